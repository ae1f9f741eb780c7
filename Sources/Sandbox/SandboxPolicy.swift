/// Everything that decides how contained a run is: the interpreter, the
/// namespaces, the file system view, the limits and the system call filter.
///
/// Start from a preset and change what you need:
/// ```swift
/// var policy = SandboxPolicy.strict
/// policy.limits.wallTime = .seconds(5)
/// ```
public struct SandboxPolicy: Sendable, Hashable {
    /// The Python interpreter to run. Its prefix is made visible read-only
    /// when it lies outside the system directories.
    public var interpreter: String
    public var namespaces: Namespaces
    public var identity: SandboxIdentity
    public var filesystem: FilesystemView
    public var limits: ResourceLimits
    public var syscalls: SyscallPolicy
    /// `PYTHONHASHSEED` for the program. A fixed seed makes set and dict
    /// iteration order, and so verdicts, reproducible; `nil` randomizes.
    public var hashSeed: UInt32?

    public init(
        interpreter: String = "/usr/bin/python3", namespaces: Namespaces = .all,
        identity: SandboxIdentity = .default, filesystem: FilesystemView = .default,
        limits: ResourceLimits = .default, syscalls: SyscallPolicy = .strict, hashSeed: UInt32? = 0
    ) {
        self.interpreter = interpreter
        self.namespaces = namespaces
        self.identity = identity
        self.filesystem = filesystem
        self.limits = limits
        self.syscalls = syscalls
        self.hashSeed = hashSeed
    }

    /// The default for untrusted code: every namespace, the strict system
    /// call filter (dangerous calls stop the program and are reported by
    /// name, network sockets fail), and the default limits.
    public static let strict = SandboxPolicy()

    /// For code you trust a little more and want to see fail gracefully:
    /// the same containment, but denied system calls fail with `EPERM`
    /// instead of stopping the program, and the limits are doubled.
    public static let lenient: SandboxPolicy = {
        var policy = SandboxPolicy(syscalls: .lenient)
        policy.limits.wallTime = .seconds(20)
        policy.limits.cpuSeconds = 20
        policy.limits.addressSpaceBytes = 2 << 30
        return policy
    }()
}

/// The Linux namespaces a run gets. Each can be switched off, for example
/// to measure what it costs; without ``user`` the caller must be root.
public struct Namespaces: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Lets an unprivileged caller build the rest, and keeps the program's
    /// ids unprivileged on the host.
    public static let user = Namespaces(rawValue: 1 << 0)
    /// The program cannot see or signal host processes, and the whole tree,
    /// daemons included, dies with the run.
    public static let pid = Namespaces(rawValue: 1 << 1)
    /// No network: only a loopback device that is down.
    public static let network = Namespaces(rawValue: 1 << 2)
    /// A private root file system (see ``FilesystemView``).
    public static let mount = Namespaces(rawValue: 1 << 3)
    public static let ipc = Namespaces(rawValue: 1 << 4)
    public static let uts = Namespaces(rawValue: 1 << 5)

    public static let all: Namespaces = [.user, .pid, .network, .mount, .ipc, .uts]
}

/// Who the program is, inside and outside the sandbox. The program never
/// runs as root, even when the caller is.
public struct SandboxIdentity: Sendable, Hashable {
    /// The program's user and group id as it sees them.
    public var uid: UInt32
    public var gid: UInt32
    /// The host ids the program's ids map to when the caller is root
    /// (`nobody` by default). An unprivileged caller maps its own ids.
    public var hostUIDWhenRoot: UInt32
    public var hostGIDWhenRoot: UInt32

    public init(uid: UInt32 = 1000, gid: UInt32 = 1000, hostUIDWhenRoot: UInt32 = 65534, hostGIDWhenRoot: UInt32 = 65534) {
        self.uid = uid
        self.gid = gid
        self.hostUIDWhenRoot = hostUIDWhenRoot
        self.hostGIDWhenRoot = hostGIDWhenRoot
    }

    public static let `default` = SandboxIdentity()
}
