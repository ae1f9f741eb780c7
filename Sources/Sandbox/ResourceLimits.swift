/// Limits on one run. The kernel enforces the rlimits inside the sandbox;
/// the supervisor enforces the wall clock and the output caps from outside.
public struct ResourceLimits: Sendable, Hashable {
    /// Enforced by the supervisor, which kills the whole sandbox.
    public var wallTime: Duration
    /// RLIMIT_CPU: SIGXCPU at this many seconds, SIGKILL one second later.
    public var cpuSeconds: Int
    /// RLIMIT_AS. Python raises `MemoryError` when an allocation fails.
    public var addressSpaceBytes: Int
    /// RLIMIT_NOFILE: descriptors the program may hold open (256 by default;
    /// it must exceed 4: the standard streams and the harness's channels).
    /// Past it, opening fails with `EMFILE` (limit `open_files`).
    public var openFiles: Int
    /// RLIMIT_NPROC, counted inside the sandbox's own user namespace.
    public var processes: Int
    /// RLIMIT_FSIZE: the largest file the program may write.
    public var fileSizeBytes: Int
    /// RLIMIT_STACK (8 MiB, the usual Linux default). Recursion that
    /// outgrows it (after raising `sys.setrecursionlimit`) ends with SIGSEGV,
    /// a `crashed` verdict.
    public var stackBytes: Int
    /// Size of the private tmpfs that is the working directory and /tmp.
    public var workDirectoryBytes: Int
    /// Bytes of stdout and of stderr kept in the verdict.
    public var outputKeptBytes: Int
    /// Bytes a stream may carry before the run ends with `output_limit`.
    public var outputLimitBytes: Int

    /// Limits with the given values. The defaults (10 s of wall clock and
    /// CPU, 1 GiB of address space, 64 MiB per file and for the work directory,
    /// 64 KiB of output kept, 8 MiB allowed) let benchmark solutions finish
    /// while runaway code ends within seconds. ``Sandbox`` refuses limits that
    /// are not positive, or output kept beyond the output limit.
    public init(
        wallTime: Duration = .seconds(10), cpuSeconds: Int = 10, addressSpaceBytes: Int = 1 << 30,
        openFiles: Int = 256, processes: Int = 64, fileSizeBytes: Int = 64 << 20, stackBytes: Int = 8 << 20,
        workDirectoryBytes: Int = 64 << 20, outputKeptBytes: Int = 64 << 10, outputLimitBytes: Int = 8 << 20
    ) {
        self.wallTime = wallTime
        self.cpuSeconds = cpuSeconds
        self.addressSpaceBytes = addressSpaceBytes
        self.openFiles = openFiles
        self.processes = processes
        self.fileSizeBytes = fileSizeBytes
        self.stackBytes = stackBytes
        self.workDirectoryBytes = workDirectoryBytes
        self.outputKeptBytes = outputKeptBytes
        self.outputLimitBytes = outputLimitBytes
    }

    /// The limits of ``SandboxPolicy/strict``: generous for a benchmark
    /// solution, tight enough that a runaway program can neither stall a run
    /// for long nor fill the host's memory or disk.
    public static let `default` = ResourceLimits()
}
