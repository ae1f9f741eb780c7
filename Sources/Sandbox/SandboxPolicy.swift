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
    /// The namespaces that isolate the run: ``Namespaces/all`` by default.
    /// Switch some off only to measure what they cost, or where the kernel
    /// refuses them.
    public var namespaces: Namespaces
    /// The ids the program runs as, inside and on the host.
    public var identity: SandboxIdentity
    /// What the program sees of the file system. Applies only with
    /// ``Namespaces/mount``; without it the program sees the host's file
    /// system and starts in `/`.
    public var filesystem: FilesystemView
    /// Time, memory, file, process and output limits of each run; a
    /// shorter timeout turns slow code into `timeout` verdicts.
    public var limits: ResourceLimits
    /// The seccomp filter: ``SyscallPolicy/strict`` stops dangerous calls and
    /// names them in the verdict, ``SyscallPolicy/lenient`` makes them fail
    /// with `EPERM`.
    public var syscalls: SyscallPolicy
    /// `PYTHONHASHSEED` for the program. A fixed seed makes set and dict
    /// iteration order, and so verdicts, reproducible; `nil` randomizes.
    public var hashSeed: UInt32?

    /// A policy from the given parts; every default is the strict one:
    /// `/usr/bin/python3`, every namespace, the default identity, view and
    /// limits, the strict filter, and `PYTHONHASHSEED=0`.
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
    /// One bit per namespace, as `OptionSet` requires; use the named members
    /// rather than bits.
    public let rawValue: UInt8
    /// A set from raw bits; prefer the named members and ``all``.
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
    /// Private System V IPC (shared memory, semaphores, message queues) and
    /// POSIX message queues: nothing shared with host processes.
    public static let ipc = Namespaces(rawValue: 1 << 4)
    /// A private host name (`sandbox`): the program neither learns nor
    /// changes the host's.
    public static let uts = Namespaces(rawValue: 1 << 5)

    /// Every namespace: the default, and what untrusted code should get.
    public static let all: Namespaces = [.user, .pid, .network, .mount, .ipc, .uts]
}

/// Who the program is, inside and outside the sandbox. The program never
/// runs as root, even when the caller is.
public struct SandboxIdentity: Sendable, Hashable {
    /// The program's user id as it sees it (1000 by default).
    public var uid: UInt32
    /// The program's group id as it sees it (1000 by default, like ``uid``).
    public var gid: UInt32
    /// The host ids the program's ids map to when the caller is root
    /// (`nobody` by default). An unprivileged caller maps its own ids.
    public var hostUIDWhenRoot: UInt32
    /// The host group the program's group maps to when the caller is root
    /// (65534, `nogroup`, by default). Without a user namespace (root only)
    /// the program runs as these two host ids directly.
    public var hostGIDWhenRoot: UInt32

    /// An identity; the defaults run the program as 1000:1000 inside and,
    /// when the caller is root, as 65534:65534 on the host.
    public init(uid: UInt32 = 1000, gid: UInt32 = 1000, hostUIDWhenRoot: UInt32 = 65534, hostGIDWhenRoot: UInt32 = 65534) {
        self.uid = uid
        self.gid = gid
        self.hostUIDWhenRoot = hostUIDWhenRoot
        self.hostGIDWhenRoot = hostGIDWhenRoot
    }

    /// 1000:1000 inside, `nobody` on the host when the caller is root: what
    /// both policy presets use.
    public static let `default` = SandboxIdentity()
}
