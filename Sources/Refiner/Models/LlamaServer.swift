import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One running llama-server on a loopback port, owned by a refinement run.
///
/// `start` launches it with its output appended to the configured log and
/// returns once `GET /health` answers 200 (llama-server answers 503 while the
/// model loads). A server that dies mid-run is restarted once by
/// `ensureRunning`, which the loop calls before each request; a second death is
/// an error. An actor because it owns a child process and its restart budget.
///
/// Every started server is in a process-wide registry that
/// `LlamaServer.stopAll()` and the handlers of
/// `LlamaServer.installTerminationHandlers()` use, so Ctrl-C or `exit()` do
/// not leave servers behind. When util-linux's `setpriv` is present the child
/// also gets `PR_SET_PDEATHSIG=SIGKILL`, so even a crash or SIGKILL of refine
/// takes the server down; without it, only the normal paths above stop it.
public actor LlamaServer {
    /// What this server runs with.
    public nonisolated let configuration: LlamaServerConfiguration
    private let logger: Logger
    private let registry: LlamaServerRegistry
    private let id = UUID()

    private struct Child {
        let pid: Int32
        let port: Int
        let exit: ProcessExit
        let logOffset: UInt64
    }

    private var child: Child?
    private var pendingLaunch: Task<URL, Error>?
    private var restarts = 0
    private var stopped = false

    /// Prepares a server; nothing runs until `start` or `ensureRunning`.
    public init(configuration: LlamaServerConfiguration, logger: Logger = Logger(label: "refine.llama-server")) {
        self.init(configuration: configuration, logger: logger, registry: .shared)
    }

    init(configuration: LlamaServerConfiguration, logger: Logger, registry: LlamaServerRegistry) {
        self.configuration = configuration
        self.logger = logger
        self.registry = registry
    }

    /// A server dropped without `stop` is still asked to exit, so a forgotten
    /// server does not hold gigabytes of memory until refine ends.
    deinit {
        if let child, child.exit.current == nil {
            kill(child.pid, SIGTERM)
        }
        registry.remove(id)
    }

    /// The server's address, `http://127.0.0.1:PORT`, while it runs. It can
    /// change after a restart; take it from `ensureRunning` before requests.
    public var baseURL: URL? {
        guard let child, child.exit.current == nil else { return nil }
        return Self.url(port: child.port)
    }

    /// The server's process id while it runs (for diagnostics and tests).
    public var processIdentifier: Int32? {
        guard let child, child.exit.current == nil else { return nil }
        return child.pid
    }

    /// Starts the server (if not running) and waits until it is healthy;
    /// returns its base URL. Fails with the log's last lines if it exits or
    /// does not become healthy within the startup timeout. A stopped server
    /// starts afresh (with a new restart budget).
    @discardableResult
    public func start() async throws -> URL {
        if let url = baseURL { return url }
        if stopped, pendingLaunch == nil {
            stopped = false
            restarts = 0
            child = nil
        }
        return try await ensureRunning()
    }

    /// Returns the base URL of a healthy server, restarting it if it died
    /// (at most `maximumRestarts` times per server). Call before each request,
    /// and with `checkHealth: true` after a connection failure: then a server
    /// whose process is alive but does not answer `/health` within
    /// `healthTimeout` (hung, or dying) is killed and restarted too. Once
    /// the process is shutting down (Ctrl-C), it fails at once: a server
    /// being stopped on purpose is neither trusted nor replaced.
    @discardableResult
    public func ensureRunning(checkHealth: Bool = false) async throws -> URL {
        try refuseDuringShutdown()
        if checkHealth, pendingLaunch == nil, let child, child.exit.current == nil {
            let health = Self.url(port: child.port).appendingPathComponent("health").absoluteString
            if await Self.isHealthy(health, timeout: configuration.healthTimeout) {
                return Self.url(port: child.port)
            }
            if await child.exit.wait(timeout: .seconds(1)) == nil, self.child?.pid == child.pid {
                logger.warning("llama-server runs but does not answer /health; killing it to restart")
                _ = await terminateChild()
            }
        }
        if let child, child.exit.current == nil, kill(child.pid, 0) != 0, errno == ESRCH {
            // Already reaped, but the termination handler has not reported yet.
            _ = await child.exit.wait(timeout: .seconds(2))
        }
        if let url = baseURL { return url }
        if let pendingLaunch { return try await pendingLaunch.value }
        guard !stopped else {
            throw LlamaServerError("llama-server for \(configuration.model.lastPathComponent) was stopped; start a new one")
        }
        guard let child, let status = child.exit.current else {
            return try await launchOnce()
        }
        let tail = Self.logTail(configuration.logFile, from: child.logOffset)
        guard restarts < configuration.maximumRestarts else {
            throw LlamaServerError(
                "llama-server died again (\(status)) after \(restarts) restart(s): \(tail) (log: \(configuration.logFile.path))")
        }
        restarts += 1
        logger.warning("llama-server died (\(status)); restarting it", metadata: ["log": "\(configuration.logFile.path)"])
        return try await launchOnce()
    }

    /// Stops the server: SIGTERM, then SIGKILL after the grace period. Waits
    /// until it has exited. Safe to call more than once; afterwards
    /// `ensureRunning` fails until `start` is called again.
    public func stop() async {
        stopped = true
        pendingLaunch?.cancel()
        let status = await terminateChild()
        logger.debug("llama-server stopped (\(status.map { "\($0)" } ?? "did not exit"))")
    }

    /// Ends the current child process, if any, and forgets it in the registry.
    private func terminateChild() async -> ExitStatus? {
        guard let child else { return nil }
        let status = await LlamaServerRegistry.terminate(
            LlamaServerRegistry.Entry(pid: child.pid, exit: child.exit), gracePeriod: configuration.stopGracePeriod)
        registry.remove(id)
        return status
    }

    /// Runs one launch at a time, so concurrent `ensureRunning` calls share it.
    private func launchOnce() async throws -> URL {
        if let pendingLaunch { return try await pendingLaunch.value }
        let task = Task { try await self.launch() }
        pendingLaunch = task
        defer { pendingLaunch = nil }
        return try await task.value
    }

    private func launch() async throws -> URL {
        for attempt in 1...configuration.portAttempts {
            try checkLaunchAllowed()
            let port = try configuration.port ?? LoopbackPort.free()
            let child = try await spawn(port: port)
            switch await waitUntilHealthy(child) {
            case .healthy:
                logger.info("llama-server ready at \(Self.url(port: port))", metadata: ["model": "\(configuration.model.lastPathComponent)"])
                return Self.url(port: port)
            case .exited(let status):
                registry.remove(id)
                let tail = Self.logTail(configuration.logFile, from: child.logOffset)
                if tail.contains("couldn't bind"), configuration.port == nil, attempt < configuration.portAttempts {
                    logger.notice("port \(port) was taken before llama-server bound it; trying another")
                    continue
                }
                try checkLaunchAllowed()
                throw LlamaServerError(
                    "llama-server exited while starting (\(status)): \(tail) (log: \(configuration.logFile.path))")
            case .cancelled:
                _ = await terminateChild()
                throw LlamaServerError("llama-server start was cancelled because the server was stopped")
            case .timedOut:
                _ = await terminateChild()
                let tail = Self.logTail(configuration.logFile, from: child.logOffset)
                throw LlamaServerError(
                    "llama-server was not healthy after \(configuration.startupTimeout) (model \(configuration.model.lastPathComponent)): \(tail) (log: \(configuration.logFile.path))")
            }
        }
        throw LlamaServerError("llama-server could not bind a loopback port in \(configuration.portAttempts) attempts")
    }

    private func checkLaunchAllowed() throws {
        if stopped || Task.isCancelled {
            throw LlamaServerError("llama-server start was cancelled because the server was stopped")
        }
        try refuseDuringShutdown()
    }

    /// Once the process is shutting down no server starts, and none is
    /// trusted: the registry is stopping them.
    private func refuseDuringShutdown() throws {
        if registry.isShuttingDown { throw Self.shuttingDown }
    }

    private static let shuttingDown = LlamaServerError("refine is shutting down; llama-server not started")

    /// Launches the process with its output appended to the log.
    private func spawn(port: Int) async throws -> Child {
        let log = configuration.logFile
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        let output = try ChildProcess.appendingHandle(log)
        defer { try? output.close() }
        let arguments = configuration.arguments(port: port)
        let header = "\n== refine: \(Date()) starting \(configuration.binary.path) \(arguments.joined(separator: " "))\n"
        try output.write(contentsOf: Data(header.utf8))
        let offset = LogTail.size(of: log)
        let process = ChildProcess.makeProcess(
            configuration.binary, arguments, environment: nil, currentDirectory: nil, output: output, dieWithParent: true)
        let exit = ProcessExit()
        process.terminationHandler = { finished in exit.finish(ExitStatus(finished)) }
        do {
            try await SpawnThread.shared.launch(process)
        } catch {
            throw LlamaServerError("cannot run \(configuration.binary.path): \(error.localizedDescription); check the llama-server path")
        }
        let child = Child(pid: process.processIdentifier, port: port, exit: exit, logOffset: offset)
        self.child = child
        guard registry.add(id, LlamaServerRegistry.Entry(pid: child.pid, exit: exit)) else {
            _ = await LlamaServerRegistry.terminate(.init(pid: child.pid, exit: exit), gracePeriod: .seconds(1))
            throw Self.shuttingDown
        }
        return child
    }

    private enum Readiness {
        case healthy
        case exited(ExitStatus)
        case timedOut
        case cancelled
    }

    /// Polls `/health` until 200, the process exiting, or the timeout.
    private func waitUntilHealthy(_ child: Child) async -> Readiness {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.startupTimeout
        let health = "\(Self.url(port: child.port).absoluteString)/health"
        while true {
            if let status = child.exit.current { return .exited(status) }
            if stopped || Task.isCancelled { return .cancelled }
            if clock.now >= deadline { return .timedOut }
            if await Self.isHealthy(health) { return .healthy }
            // Sleeps 200 ms, or less if the process exits meanwhile.
            if let status = await child.exit.wait(timeout: .milliseconds(200)) { return .exited(status) }
        }
    }

    /// True if `GET url` answers 200 within `timeout`.
    static func isHealthy(_ url: String, timeout: Duration = .seconds(2)) async -> Bool {
        do {
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: url), timeout: TimeAmount(timeout))
            _ = try? await response.body.collect(upTo: 1 << 20)
            return response.status == .ok
        } catch {
            return false
        }
    }

    /// The log's last lines since `offset`, without the health-poll noise.
    static func logTail(_ log: URL, from offset: UInt64) -> String {
        LogTail.read(log, from: offset, ignoring: ["/health"])
    }

    static func url(port: Int) -> URL {
        URL(string: "http://127.0.0.1:\(port)")!
    }
}
