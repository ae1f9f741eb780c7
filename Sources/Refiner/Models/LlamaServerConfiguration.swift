import Foundation

/// How to run one llama-server: which binary and model, where its log goes,
/// and the knobs that matter on a small CPU machine. Defaults suit two cores:
/// one slot using every core, a 4096-token context.
public struct LlamaServerConfiguration: Sendable, Hashable {
    /// The llama-server executable.
    public var binary: URL
    /// The GGUF model to load.
    public var model: URL
    /// Receives the server's stdout and stderr (appended), e.g. in the run
    /// folder, so a failed run can be diagnosed later.
    public var logFile: URL
    /// CPU threads for generation (`-t`).
    public var threads: Int
    /// Concurrent requests the server handles (`-np`); each gets its own slot.
    public var parallelSlots: Int
    /// Tokens of context each slot gets; the server is started with
    /// `-c contextPerSlot * parallelSlots`, because llama-server splits `-c`
    /// among its slots.
    public var contextPerSlot: Int
    /// A fixed port, or nil to pick a free loopback port per start.
    public var port: Int?
    /// Further llama-server flags, appended last (e.g. `["--temp", "0"]`).
    public var extraArguments: [String]
    /// How long loading may take before start fails (big models on slow disks need more).
    public var startupTimeout: Duration
    /// How long `ensureRunning(checkHealth: true)` waits for `/health`
    /// before it takes a live process for hung.
    public var healthTimeout: Duration
    /// How long `stop` waits after SIGTERM before SIGKILL.
    public var stopGracePeriod: Duration
    /// How many times a death after a successful start is healed by
    /// `ensureRunning` before it becomes an error.
    public var maximumRestarts: Int
    /// How many free ports to try when another process grabs the chosen one.
    public var portAttempts: Int

    /// Describes a server; every knob but the paths has a default for a small machine.
    public init(
        binary: URL, model: URL, logFile: URL,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, parallelSlots: Int = 1,
        contextPerSlot: Int = 4096, port: Int? = nil, extraArguments: [String] = [],
        startupTimeout: Duration = .seconds(180), healthTimeout: Duration = .seconds(5),
        stopGracePeriod: Duration = .seconds(5),
        maximumRestarts: Int = 1, portAttempts: Int = 3
    ) {
        self.binary = binary
        self.model = model
        self.logFile = logFile
        self.threads = max(1, threads)
        self.parallelSlots = max(1, parallelSlots)
        self.contextPerSlot = max(256, contextPerSlot)
        self.port = port
        self.extraArguments = extraArguments
        self.startupTimeout = startupTimeout
        self.healthTimeout = healthTimeout
        self.stopGracePeriod = stopGracePeriod
        self.maximumRestarts = max(0, maximumRestarts)
        self.portAttempts = max(1, portAttempts)
    }

    /// The command-line flags for a start on `port`. The web UI is off: refine
    /// only uses the HTTP API.
    public func arguments(port: Int) -> [String] {
        [
            "-m", model.path,
            "--host", "127.0.0.1",
            "--port", "\(port)",
            "-t", "\(threads)",
            "-c", "\(contextPerSlot * parallelSlots)",
            "-np", "\(parallelSlots)",
            "--no-webui",
        ] + extraArguments
    }
}
