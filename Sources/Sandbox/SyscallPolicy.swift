/// The seccomp policy: an allowlist of system calls, rules that deny some
/// calls (or some arguments of allowed ones), and what happens to a call
/// that is on neither list.
///
/// It is compiled in the parent with libseccomp into two stacked BPF
/// filters: the allowlist (installed with `prctl(PR_SET_SECCOMP)`) and the
/// rules (installed with a user-notification listener, so that a call the
/// policy stops is reported by name). Calls through a foreign ABI (i386,
/// x32) never reach the allowlist's rules.
public struct SyscallPolicy: Sendable, Hashable {
    /// Calls the program may make. Names unknown to this architecture are
    /// ignored, so one list serves x86_64 and aarch64.
    public var allowed: Set<String>
    /// Denials, checked on top of the allowlist.
    public var denied: [SyscallRule]
    /// For calls that are neither allowed nor denied. Failing with ENOSYS
    /// (the default) lets libc fall back, as it does on older kernels.
    public var otherwise: SyscallAction
    /// For calls made through another ABI than the native one.
    public var foreignABI: SyscallAction

    public init(allowed: Set<String>, denied: [SyscallRule], otherwise: SyscallAction = .fail(errno: 38),
                foreignABI: SyscallAction = .stop) {
        self.allowed = allowed
        self.denied = denied
        self.otherwise = otherwise
        self.foreignABI = foreignABI
    }
}

/// What a denied system call does.
public enum SyscallAction: Sendable, Hashable {
    /// The call fails with this errno; the program goes on.
    case fail(errno: Int32)
    /// The program is stopped before the call runs, and the verdict names
    /// the call (`forbidden_syscall`).
    case stop
    /// The kernel kills the program with SIGSYS; the call cannot be named.
    case kill
}

/// A denial: one system call, optionally only when its arguments match.
public struct SyscallRule: Sendable, Hashable {
    public var syscall: String
    public var action: SyscallAction
    /// All must hold (at most one per argument, a libseccomp rule).
    public var conditions: [ArgumentCondition]

    public init(_ syscall: String, _ action: SyscallAction, when conditions: [ArgumentCondition] = []) {
        self.syscall = syscall
        self.action = action
        self.conditions = conditions
    }
}

/// A comparison on one system call argument (0-based).
public struct ArgumentCondition: Sendable, Hashable {
    public var argument: Int
    public var comparison: Comparison

    public init(argument: Int, _ comparison: Comparison) {
        self.argument = argument
        self.comparison = comparison
    }

    public enum Comparison: Sendable, Hashable {
        case equal(UInt64)
        case notEqual(UInt64)
        /// `(argument & mask) == value`
        case maskedEqual(mask: UInt64, value: UInt64)
        case less(UInt64)
        case greaterOrEqual(UInt64)
    }
}
