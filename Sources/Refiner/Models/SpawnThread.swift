import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts child processes from one thread that lives as long as refine does.
///
/// Linux's "kill me when my parent dies" signal (`PR_SET_PDEATHSIG`, set here
/// through util-linux's `setpriv --pdeathsig`) fires when the *thread* that
/// created the child exits, not the process. Swift concurrency and Dispatch
/// retire idle threads, so a child spawned from them could be killed at a
/// random moment; spawning from this never-ending thread makes the signal mean
/// exactly "refine is gone".
///
/// It also gives children a clean signal mask: threads made by Dispatch block
/// almost every signal, a child inherits its creator's mask, and a child with
/// SIGCHLD blocked (cmake, via libuv) never notices its own children exit.
final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()

    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "refine.spawn"
        thread.start()
    }

    /// Calls `process.run()` on the spawn thread and returns once it started.
    func launch(_ process: Process) async throws {
        let box = UncheckedProcess(process)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            enqueue {
                var empty = sigset_t()
                var saved = sigset_t()
                sigemptyset(&empty)
                pthread_sigmask(SIG_SETMASK, &empty, &saved)
                defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
                do {
                    try box.process.run()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private func enqueue(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty {
                condition.wait()
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}

/// Carries a `Process` to the spawn thread. Safe because the process is
/// configured before and only read by Foundation after `run()`.
private struct UncheckedProcess: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
