import Foundation

/// Identifies one task in one run of a benchmark.
public struct TaskKey: Sendable, Hashable, Codable {
    /// The 0-based repetition (``RunHeader/runs``).
    public var run: Int
    /// The task's id ("HumanEval/0").
    public var taskID: String

    /// The key of `taskID` in repetition `run`.
    public init(run: Int, taskID: String) {
        self.run = run
        self.taskID = taskID
    }
}

/// A journal as read back: everything a summary, audit or report needs.
public struct JournalContents: Sendable {
    /// The run's header, its first line; a header repeated later is
    /// ignored.
    public var header: RunHeader
    /// Attempts per task, in iteration order.
    public var attempts: [TaskKey: [Attempt]]
    /// Finished tasks. A key with attempts but no result is a task
    /// interrupted mid-loop, which a resumed run continues.
    public var results: [TaskKey: TaskResult]
    /// When, and with which command line, the run was resumed, in file
    /// order; empty for a run finished in one session.
    public var resumptions: [(date: Date, command: String)]
    /// Whether the last line was half-written (an interrupted write) and
    /// left out.
    public var truncatedTail: Bool

    /// Finished tasks, in the header's order, run by run.
    public var orderedResults: [TaskResult] {
        (0..<header.runs).flatMap { run in
            header.taskIDs.compactMap { results[TaskKey(run: run, taskID: $0)] }
        }
    }
}

/// Where a run keeps its journal, and how entries are written and read.
public enum Journal {
    /// The journal's file inside a run folder: what resuming, `refine
    /// audit` and `refine report` look for.
    public static let fileName = "journal.jsonl"

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Reads a run folder's journal. A half-written last line is left out
    /// and flagged; a bad line anywhere else is an error naming it.
    public static func read(runDirectory: URL) throws -> JournalContents {
        let url = runDirectory.appendingPathComponent(fileName)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: runDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw JournalError("\(runDirectory.path) is not a folder")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw JournalError("\(runDirectory.path) is not a run folder: it has no \(fileName)")
        }
        return try parse(data, source: url.path).contents
    }

    /// Parses journal bytes; also returns the byte length of the complete
    /// lines, where a resumed run truncates before appending.
    static func parse(_ data: Data, source: String) throws -> (contents: JournalContents, validLength: Int) {
        let decoder = decoder()
        var header: RunHeader?
        var attempts: [TaskKey: [Attempt]] = [:]
        var results: [TaskKey: TaskResult] = [:]
        var resumptions: [(Date, String)] = []
        var truncated = false
        var validLength = 0
        var lineNumber = 0
        var start = data.startIndex
        while start < data.endIndex {
            lineNumber += 1
            let newline = data[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline ?? data.endIndex
            let line = data[start..<end]
            let isLast = newline == nil || data.index(after: end) == data.endIndex
            defer { start = newline.map { data.index(after: $0) } ?? data.endIndex }
            if line.isEmpty {
                continue
            }
            let entry: JournalEntry
            do {
                entry = try decoder.decode(JournalEntry.self, from: line)
            } catch {
                if isLast {
                    truncated = true
                    break
                }
                throw JournalError("\(source) line \(lineNumber) is not a journal entry: \(error.localizedDescription)")
            }
            guard newline != nil else {
                // A complete entry without its newline: keep it, it was written.
                validLength = data.count
                record(entry)
                continue
            }
            validLength = data.distance(from: data.startIndex, to: end) + 1
            record(entry)
        }
        func record(_ entry: JournalEntry) {
            switch entry {
            case .header(let value):
                header = header ?? value
            case .attempt(let run, let taskID, let attempt):
                let key = TaskKey(run: run, taskID: taskID)
                attempts[key, default: []].removeAll { $0.iteration == attempt.iteration }
                attempts[key, default: []].append(attempt)
            case .task(let result):
                results[TaskKey(run: result.run, taskID: result.taskID)] = result
            case .resumed(let date, let command):
                resumptions.append((date, command))
            }
        }
        guard let header else {
            throw JournalError("\(source) is not a run journal: its first line is not a run header")
        }
        for key in attempts.keys {
            attempts[key]?.sort { $0.iteration < $1.iteration }
        }
        return (
            JournalContents(
                header: header, attempts: attempts, results: results, resumptions: resumptions, truncatedTail: truncated),
            validLength
        )
    }
}

/// A journal that cannot be used, said in one line.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    /// The reason in one line, naming the file (and line) concerned and,
    /// where there is one, the fix.
    public let description: String
    /// An error with this one-line reason.
    public init(_ description: String) { self.description = description }
}
