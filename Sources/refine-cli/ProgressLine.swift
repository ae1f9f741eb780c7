import Foundation

/// A one-line progress display on stderr (redrawn in place on a terminal,
/// one line per 10% otherwise, so logs stay readable).
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let start = ContinuousClock.now
    private let lock = NSLock()
    private var lastDecile = -1

    init(label: String, enabled: Bool = true) {
        self.label = label
        self.enabled = enabled
    }

    /// - Parameter resumed: items finished before this session (a resumed
    ///   run); the ETA is paced by the items finished since it started.
    func update(done: Int, total: Int, resumed: Int = 0, detail: String = "") {
        guard enabled, total > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let doneHere = done - resumed
        let remaining = doneHere > 0 ? seconds / Double(doneHere) * Double(total - done) : 0
        let width = 24
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "\(label) [\(bar)] \(done)/\(total) \(Self.clock(seconds)) elapsed, ETA \(Self.clock(remaining))"
            + (detail.isEmpty ? "" : "  \(detail)")
        if isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        } else {
            let decile = done * 10 / total
            if decile != lastDecile {
                lastDecile = decile
                FileHandle.standardError.write(Data("\(line)\n".utf8))
            }
        }
    }

    func finish() {
        guard enabled, isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
