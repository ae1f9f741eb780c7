import Foundation

/// What a benchmark run is: the first line of its journal. A resumed run
/// must match it, so that one journal never mixes two configurations; and
/// reports quote it, so every number can be traced to its setup.
public struct RunHeader: Sendable, Codable, Hashable {
    /// The journal format this version writes. A journal of another format
    /// is a different experiment and is not resumed.
    public static let currentFormat = 1

    /// The format the journal was written in (``currentFormat`` when this
    /// version created it).
    public var format: Int
    /// The suite the tasks come from.
    public var suite: BenchmarkSuite
    /// SHA-256 of the dataset file (the published one; others are refused),
    /// so every number traces to the exact data.
    public var datasetSHA256: String
    /// The tasks of the run, in order (all of the suite, or the first N).
    public var taskIDs: [String]
    /// Independent repetitions of the whole benchmark.
    public var runs: Int
    /// The model that wrote each task's first attempt, with its exact
    /// weights.
    public var generator: ModelIdentity
    /// The model that wrote the refinements (possibly the generator
    /// itself).
    public var refiner: ModelIdentity
    /// Iterations, early stopping, feedback and sampling: each changes the
    /// results, so a resumed run must match them.
    public var settings: LoopSettings
    /// The limits the code ran under; a resumed run must match them.
    public var sandbox: SandboxSummary
    /// How the model servers ran and how many tasks were in flight (batched
    /// requests can change greedy outputs slightly); nil for older journals.
    public var execution: ExecutionSummary?
    /// The command line that started the run.
    public var command: String
    /// When the run was first started; a resume keeps it (resumptions are
    /// journal entries of their own).
    public var startedAt: Date
    /// The version of refine that started the run. Quoted, not compared: a
    /// newer build may resume the run.
    public var refineVersion: String

    /// A header for a new run; `format` is always ``currentFormat``, and
    /// `startedAt` and `refineVersion` default to now and this build.
    public init(
        suite: BenchmarkSuite, datasetSHA256: String, taskIDs: [String], runs: Int, generator: ModelIdentity,
        refiner: ModelIdentity, settings: LoopSettings, sandbox: SandboxSummary, execution: ExecutionSummary? = nil,
        command: String, startedAt: Date = Date(), refineVersion: String = RefineVersion.current
    ) {
        self.format = Self.currentFormat
        self.suite = suite
        self.datasetSHA256 = datasetSHA256
        self.taskIDs = taskIDs
        self.runs = runs
        self.generator = generator
        self.refiner = refiner
        self.settings = settings
        self.sandbox = sandbox
        self.execution = execution
        self.command = command
        self.startedAt = startedAt
        self.refineVersion = refineVersion
    }

    /// Whether `other` describes the same experiment (command line and start
    /// time may differ: they are how it was started, not what it is).
    public func isSameExperiment(as other: RunHeader) -> Bool {
        var mine = self
        var theirs = other
        mine.command = ""
        theirs.command = ""
        mine.startedAt = Date(timeIntervalSince1970: 0)
        theirs.startedAt = mine.startedAt
        mine.refineVersion = ""
        theirs.refineVersion = ""
        // How fast it ran is not what it is.
        mine.execution = nil
        theirs.execution = nil
        return mine == theirs
    }

    /// The first difference from `other`, in words, for error messages.
    public func difference(from other: RunHeader) -> String {
        if suite != other.suite { return "suite \(other.suite.rawValue) vs \(suite.rawValue)" }
        if datasetSHA256 != other.datasetSHA256 { return "dataset hash" }
        if taskIDs != other.taskIDs { return "task selection (\(other.taskIDs.count) vs \(taskIDs.count) tasks)" }
        if runs != other.runs { return "runs \(other.runs) vs \(runs)" }
        if generator != other.generator { return "generator \(other.generator.name) vs \(generator.name)" }
        if refiner != other.refiner { return "refiner \(other.refiner.name) vs \(refiner.name)" }
        if settings != other.settings { return "loop settings (iterations, early stopping, feedback or sampling)" }
        if sandbox != other.sandbox { return "sandbox limits" }
        return "format"
    }

    enum CodingKeys: String, CodingKey {
        case format, suite
        case datasetSHA256 = "dataset_sha256"
        case taskIDs = "task_ids"
        case runs, generator, refiner, settings, sandbox, execution, command
        case startedAt = "started_at"
        case refineVersion = "refine_version"
    }
}

/// How a run was executed: server threads, context, slots, tasks in flight.
public struct ExecutionSummary: Sendable, Codable, Hashable {
    /// CPU threads per llama-server (`--threads`).
    public var threads: Int
    /// Context tokens per parallel slot (`--context-size`).
    public var contextSize: Int
    /// Requests each llama-server served at once (`--parallel-slots`, by
    /// default the concurrency).
    public var parallelSlots: Int
    /// Tasks solved at once (`--concurrency`).
    public var concurrency: Int

    /// A summary as `refine bench` records it.
    public init(threads: Int, contextSize: Int, parallelSlots: Int, concurrency: Int) {
        self.threads = threads
        self.contextSize = contextSize
        self.parallelSlots = parallelSlots
        self.concurrency = concurrency
    }

    enum CodingKeys: String, CodingKey {
        case threads
        case contextSize = "context_size"
        case parallelSlots = "parallel_slots"
        case concurrency
    }
}

/// Which model produced the text: its catalog name and the exact weights.
public struct ModelIdentity: Sendable, Codable, Hashable {
    /// The catalog name, the GGUF file's name, or the model name sent to an
    /// endpoint: what summaries and reports print.
    public var name: String
    /// The GGUF file, for a managed server.
    public var file: String?
    /// SHA-256 of the GGUF file (the catalog's pinned hash, or the user's
    /// file hashed at start); nil for an endpoint, whose weights we cannot see.
    public var sha256: String?
    /// The OpenAI-compatible endpoint, when not managed by us.
    public var endpoint: String?

    /// An identity: `file` and `sha256` for weights we serve, `endpoint` for
    /// a server someone else runs.
    public init(name: String, file: String? = nil, sha256: String? = nil, endpoint: String? = nil) {
        self.name = name
        self.file = file
        self.sha256 = sha256
        self.endpoint = endpoint
    }
}

/// The sandbox limits a run used (they change verdicts: a shorter timeout
/// turns slow code into timeouts).
public struct SandboxSummary: Sendable, Codable, Hashable {
    /// Wall-clock limit per run, in seconds (`--timeout`).
    public var wallSeconds: Double
    /// CPU-time limit per run, in seconds (`--timeout`, rounded up).
    public var cpuSeconds: Int
    /// Address-space limit per run, in MiB (`--memory`).
    public var memoryMegabytes: Int
    /// The Python interpreter the code ran with (`--python`).
    public var interpreter: String

    /// A summary of these limits; `SandboxSummary(policy:)` reads them from
    /// a policy instead.
    public init(wallSeconds: Double, cpuSeconds: Int, memoryMegabytes: Int, interpreter: String) {
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.memoryMegabytes = memoryMegabytes
        self.interpreter = interpreter
    }

    enum CodingKeys: String, CodingKey {
        case wallSeconds = "wall_seconds"
        case cpuSeconds = "cpu_seconds"
        case memoryMegabytes = "memory_mb"
        case interpreter
    }
}

/// The version written into journals.
public enum RefineVersion {
    /// This build's version, written into each new journal's header.
    public static let current = "0.1.0"
}
