import Foundation
import Refiner

/// Shows setup steps (building llama-server, installing models) on stderr,
/// one line each, so minutes-long steps are visibly alive.
final class SetupLine: @unchecked Sendable {
    private let lock = NSLock()
    private var last = ""

    func show(_ progress: SetupProgress) {
        lock.lock()
        defer { lock.unlock() }
        let line = progress.description
        guard line != last else { return }
        last = line
        FileHandle.standardError.write(Data("refine: \(line)\n".utf8))
    }
}
