import Foundation

/// How a child process ended, worded for error messages.
struct ExitStatus: Sendable, Hashable, CustomStringConvertible {
    let code: Int32
    let bySignal: Bool

    var succeeded: Bool { !bySignal && code == 0 }

    var description: String { bySignal ? "killed by signal \(code)" : "exit code \(code)" }
}

/// Lets any number of tasks await a child's exit without blocking a thread:
/// Foundation's `terminationHandler` calls `finish`, waiters are continuations.
/// Waiting with a timeout uses a Dispatch timer, not a sleeping task.
final class ProcessExit: @unchecked Sendable {
    private let lock = NSLock()
    private var status: ExitStatus?
    private var waiters: [UUID: CheckedContinuation<ExitStatus?, Never>] = [:]

    /// Records the exit and wakes every waiter; later calls are ignored.
    func finish(_ exit: ExitStatus) {
        lock.lock()
        guard status == nil else {
            lock.unlock()
            return
        }
        status = exit
        let woken = waiters
        waiters = [:]
        lock.unlock()
        for continuation in woken.values {
            continuation.resume(returning: exit)
        }
    }

    /// The exit status if the process has ended, without waiting.
    var current: ExitStatus? {
        lock.lock()
        defer { lock.unlock() }
        return status
    }

    /// Waits until the process ends.
    func wait() async -> ExitStatus {
        // A nil result only comes from a timeout, and there is none here.
        await wait(timeout: nil)!
    }

    /// Waits until the process ends or `timeout` passes (then returns nil).
    func wait(timeout: Duration?) async -> ExitStatus? {
        let id = UUID()
        return await withCheckedContinuation { continuation in
            lock.lock()
            if let status {
                lock.unlock()
                continuation.resume(returning: status)
                return
            }
            waiters[id] = continuation
            lock.unlock()
            if let timeout {
                let nanoseconds = max(0, timeout.components.seconds) * 1_000_000_000
                    + max(0, timeout.components.attoseconds / 1_000_000_000)
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { [self] in
                    expire(id)
                }
            }
        }
    }

    private func expire(_ id: UUID) {
        lock.lock()
        let continuation = waiters.removeValue(forKey: id)
        lock.unlock()
        continuation?.resume(returning: nil)
    }
}

extension ExitStatus {
    /// Reads the status of a finished Foundation process.
    init(_ process: Process) {
        self.init(code: process.terminationStatus, bySignal: process.terminationReason == .uncaughtSignal)
    }
}
