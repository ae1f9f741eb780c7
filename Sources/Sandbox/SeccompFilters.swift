import Glibc
internal import CSeccomp

/// A ``SyscallPolicy`` compiled by libseccomp into two BPF programs.
///
/// libseccomp lets an unconditional rule override conditional ones on the
/// same call, and allows one comparison per argument per rule, so "allow
/// ioctl except TIOCSTI" cannot be one filter. Stacked filters can: the
/// kernel applies the most restrictive answer of all of them.
///
/// * The allowlist: unlisted calls get ``SyscallPolicy/otherwise``;
///   unconditional `fail` and `kill` denials are decided here.
/// * The report filter (allow by default): conditional denials and `stop`
///   denials. A `stop` is a user notification, the one action that lets the
///   supervisor learn which call was attempted before the program dies.
///   A call that this filter must see passes the allowlist.
struct SeccompFilters {
    struct Program {
        let pointer: UnsafeMutableRawPointer
        let length: Int
    }

    let allowlist: Program?
    let report: Program?

    init(_ policy: SyscallPolicy) throws {
        // A name another architecture has is left out here, so one list
        // serves x86_64 and aarch64; a name no architecture has is a
        // misspelling, and dropping it silently could drop a denial.
        let names = policy.allowed.union(policy.denied.map(\.syscall))
        let numbers = Dictionary(uniqueKeysWithValues: names.map { ($0, refine_seccomp_syscall_number($0)) })
        let unknown = Int32(REFINE_SYSCALL_UNKNOWN)
        if let misspelled = numbers.filter({ $0.value == unknown }).keys.sorted().first {
            throw SandboxError(
                .invalidPolicy, "the system call \"\(misspelled)\" is unknown to libseccomp on every architecture")
        }
        func known(_ name: String) -> Bool { numbers[name, default: unknown] >= 0 }

        var allowlistRules: [(String, SyscallAction?, [ArgumentCondition])] = []
        var reportRules: [(String, SyscallAction?, [ArgumentCondition])] = []
        var allowed = Set(policy.allowed.filter(known))

        for rule in policy.denied where known(rule.syscall) {
            if rule.conditions.isEmpty && rule.action != .stop {
                allowed.remove(rule.syscall)
                allowlistRules.append((rule.syscall, rule.action, []))
            } else {
                reportRules.append((rule.syscall, rule.action, rule.conditions))
            }
        }
        let needsReportFilter = !reportRules.isEmpty || policy.foreignABI == .stop
        if needsReportFilter {
            // Every call the report filter judges must get past the allowlist,
            // and seccomp() itself installs the report filter; afterwards the
            // program may not add a filter of its own.
            for (name, _, _) in reportRules {
                allowed.insert(name)
            }
            allowed.insert("seccomp")
            reportRules.append(("seccomp", .fail(errno: EPERM), []))
        }
        allowlistRules += allowed.sorted().map { ($0, nil, []) }

        let otherwise = policy.otherwise == .stop ? SyscallAction.fail(errno: ENOSYS) : policy.otherwise
        allowlist = try Self.compile(
            defaultAction: otherwise,
            foreignABI: policy.foreignABI == .stop ? nil : policy.foreignABI,
            rules: allowlistRules)
        report =
            needsReportFilter
            ? try Self.compile(
                defaultAction: nil, foreignABI: policy.foreignABI == .stop ? .stop : nil, rules: reportRules)
            : nil
    }

    /// `nil` as an action means allow.
    private static func compile(
        defaultAction: SyscallAction?, foreignABI: SyscallAction?,
        rules: [(String, SyscallAction?, [ArgumentCondition])]
    ) throws -> Program {
        let arena = CArena()
        var cRules: [refine_seccomp_rule] = []
        // libseccomp refuses a rule that only repeats the default action.
        let rules = rules.filter { $0.1 != defaultAction }
        for (name, action, conditions) in rules {
            var rule = refine_seccomp_rule()
            rule.syscall = UnsafePointer(arena.string(name))
            (rule.action, rule.error_number) = cAction(action)
            let cConditions = conditions.map(cCondition)
            rule.conditions = UnsafePointer(arena.array(cConditions))
            rule.condition_count = UInt32(cConditions.count)
            cRules.append(rule)
        }
        var filter = refine_seccomp_filter()
        (filter.default_action, filter.default_error_number) = cAction(defaultAction)
        (filter.foreign_abi_action, _) = cAction(foreignABI)
        let cRulesPointer = arena.array(cRules)
        filter.rules = UnsafePointer(cRulesPointer)
        filter.rule_count = cRules.count

        var program: UnsafeMutableRawPointer?
        var length = 0
        var failedRule = -1
        let result = refine_seccomp_compile(&filter, &program, &length, &failedRule)
        guard result == 0, let program else {
            let culprit = failedRule >= 0 && failedRule < rules.count ? " (rule for \(rules[failedRule].0))" : ""
            throw SandboxError(.invalidPolicy, errno: result, "libseccomp could not build the filter\(culprit)")
        }
        return Program(pointer: program, length: length)
    }

    private static func cAction(_ action: SyscallAction?) -> (refine_seccomp_action, Int32) {
        switch action {
        case nil: return (REFINE_SECCOMP_ALLOW, 0)
        case .fail(let errno): return (REFINE_SECCOMP_FAIL, errno)
        case .stop: return (REFINE_SECCOMP_REPORT, 0)
        case .kill: return (REFINE_SECCOMP_KILL, 0)
        }
    }

    private static func cCondition(_ condition: ArgumentCondition) -> refine_seccomp_condition {
        var c = refine_seccomp_condition()
        c.argument = UInt32(condition.argument)
        switch condition.comparison {
        case .equal(let value):
            c.comparison = REFINE_SECCOMP_EQUAL
            c.value = value
        case .notEqual(let value):
            c.comparison = REFINE_SECCOMP_NOT_EQUAL
            c.value = value
        case .maskedEqual(let mask, let value):
            c.comparison = REFINE_SECCOMP_MASKED_EQUAL
            c.mask = mask
            c.value = value
        case .less(let value):
            c.comparison = REFINE_SECCOMP_LESS
            c.value = value
        case .greaterOrEqual(let value):
            c.comparison = REFINE_SECCOMP_GREATER_OR_EQUAL
            c.value = value
        }
        return c
    }
}
