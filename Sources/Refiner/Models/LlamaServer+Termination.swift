import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LlamaServer {
    /// Stops every llama-server this process started (in parallel, SIGTERM
    /// then SIGKILL after `gracePeriod`) and forbids new ones. For exit paths:
    /// after it, no server can start in this process.
    public static func stopAll(gracePeriod: Duration = .seconds(5)) async {
        await LlamaServerRegistry.shared.stopAll(gracePeriod: gracePeriod)
    }

    /// The number of servers currently registered as running in this process.
    public static var runningCount: Int { LlamaServerRegistry.shared.count }

    /// Makes Ctrl-C, SIGTERM and SIGHUP stop all servers and then exit with
    /// 128 + the signal number (130 for Ctrl-C), and makes a normal `exit()`
    /// stop any server still running. A second signal during shutdown kills
    /// the servers at once. Call once, early in the CLI; later calls do nothing.
    ///
    /// The signals are handled by Dispatch sources, not C signal handlers, so
    /// the shutdown code may do anything (Dispatch installs its own handler,
    /// which children do not inherit: they start with default dispositions).
    public static func installTerminationHandlers(gracePeriod: Duration = .seconds(5)) {
        TerminationHandlers.shared.install(gracePeriod: gracePeriod)
    }
}

/// Owns the installed signal sources (they must stay alive) and makes the
/// installation happen once.
private final class TerminationHandlers: @unchecked Sendable {
    static let shared = TerminationHandlers()

    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []
    private var installed = false
    private var signalled = false

    func install(gracePeriod: Duration) {
        lock.lock()
        defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in handle(number, gracePeriod: gracePeriod) }
            source.resume()
            sources.append(source)
        }
        atexit {
            LlamaServerRegistry.shared.stopAllSynchronously(gracePeriod: .seconds(3))
        }
    }

    private func handle(_ number: Int32, gracePeriod: Duration) {
        lock.lock()
        let repeated = signalled
        signalled = true
        lock.unlock()
        if repeated {
            LlamaServerRegistry.shared.stopAllSynchronously(gracePeriod: .zero)
            _exit(128 + number)
        }
        Task.detached {
            await LlamaServerRegistry.shared.stopAll(gracePeriod: gracePeriod)
            exit(128 + number)
        }
    }
}
