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
    /// Calls the program may make. Names only other architectures have are
    /// ignored, so one list serves x86_64 and aarch64; a name no
    /// architecture has makes the policy invalid.
    public var allowed: Set<String>
    /// Denials, checked on top of the allowlist.
    public var denied: [SyscallRule]
    /// For calls that are neither allowed nor denied. Failing with ENOSYS
    /// (the default) lets libc fall back, as it does on older kernels.
    /// ``SyscallAction/stop`` is not available here: it fails with ENOSYS.
    public var otherwise: SyscallAction
    /// For calls made through another ABI than the native one.
    public var foreignABI: SyscallAction

    /// A policy from your own lists; most callers start from ``strict`` or
    /// ``lenient`` and edit them. Names this architecture does not have are
    /// ignored in both lists; a misspelled name (no architecture has it) is
    /// a ``SandboxError/Code/invalidPolicy`` error when the sandbox is built.
    /// By default other calls fail with `ENOSYS` (38) and foreign-ABI calls
    /// stop the program.
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
    /// The call's name as libseccomp spells it (`ioctl`, `clone`); a name
    /// only other architectures have drops the rule, a name none has is an
    /// invalid policy (a misspelled denial must not vanish silently).
    public var syscall: String
    /// What a matching call does: stop (named in the verdict), fail with an
    /// errno, or kill.
    public var action: SyscallAction
    /// All must hold (at most one per argument, a libseccomp rule).
    public var conditions: [ArgumentCondition]

    /// A denial of `syscall`: every call, or with `conditions` only calls
    /// whose arguments match. A conditional (or stopping) rule is judged by the
    /// second filter, so the call itself goes on the allowlist: with
    /// conditions, calls whose arguments do not match are allowed even when
    /// `allowed` lacks the name.
    public init(_ syscall: String, _ action: SyscallAction, when conditions: [ArgumentCondition] = []) {
        self.syscall = syscall
        self.action = action
        self.conditions = conditions
    }
}

/// A comparison on one system call argument (0-based).
public struct ArgumentCondition: Sendable, Hashable {
    /// Which argument, 0-based (`ioctl`'s request is argument 1).
    public var argument: Int
    /// The test applied to that argument's raw 64-bit value.
    public var comparison: Comparison

    /// A condition on argument `argument` (0-based).
    public init(argument: Int, _ comparison: Comparison) {
        self.argument = argument
        self.comparison = comparison
    }

    /// How the argument is compared. Operands are raw 64-bit register values,
    /// compared unsigned: mask a 32-bit argument with ``maskedEqual(mask:value:)``
    /// to ignore its upper half.
    public enum Comparison: Sendable, Hashable {
        /// The argument equals the value.
        case equal(UInt64)
        /// The argument differs from the value.
        case notEqual(UInt64)
        /// `(argument & mask) == value`
        case maskedEqual(mask: UInt64, value: UInt64)
        /// The argument is below the value.
        case less(UInt64)
        /// The argument is at least the value.
        case greaterOrEqual(UInt64)
    }
}
