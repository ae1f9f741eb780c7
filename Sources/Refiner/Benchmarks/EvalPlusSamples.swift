import Foundation
import Glibc

/// Writes a run's returned programs as an EvalPlus samples file (JSON Lines
/// of `task_id` and `solution`), so the same code can be scored by EvalPlus.
public enum EvalPlusSamples {
    /// Writes one line per finished task, run by run in the header's
    /// order, holding the program of the attempt the loop returned (empty when
    /// it had no code). The file is written whole and renamed over `url`.
    public static func write(_ journal: JournalContents, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for result in journal.orderedResults {
            let attempts = journal.attempts[TaskKey(run: result.run, taskID: result.taskID)] ?? []
            let program = attempts.first { $0.iteration == result.finalIteration }?.program ?? ""
            data.append(try encoder.encode(["task_id": result.taskID, "solution": program]))
            data.append(UInt8(ascii: "\n"))
        }
        // Written whole, then renamed: never a half-written samples file.
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        try data.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw JournalError("cannot write \(url.path): \(reason)")
        }
    }
}
