import Sandbox

extension HarnessLabel {
    /// Their labels that say the same as `outcome`, given the exact
    /// exception type we found (nil when there was none). This is the one
    /// definition of agreement the audit counts:
    ///
    /// - `passed` ↔ `passed`; `timeout` ↔ `TimeoutError`
    /// - `syntax_error` ↔ SyntaxError, IndentationError, TabError
    /// - `name_error` ↔ NameError, UnboundLocalError
    /// - `import_error` ↔ ImportError, ModuleNotFoundError
    /// - `type_error` ↔ TypeError; `assertion_error` ↔ AssertionError
    /// - `memory_limit` ↔ MemoryError
    /// - `runtime_error` ↔ our exact exception type
    /// - any exception outcome also ↔ our exact type (a class the code
    ///   defined, such as `class BadInput(TypeError)`, is named as such)
    /// - `output_limit`, `forbidden_syscall`, `crashed`, `exited_early`,
    ///   `sandbox_error` ↔ nothing: no label of theirs says what happened.
    public static func agreeing(with outcome: Outcome, exceptionType: String?) -> Set<HarnessLabel> {
        let family: [String]
        switch outcome {
        case .passed: return [.passed]
        case .timeout: return [.timeout]
        case .outputLimit, .forbiddenSyscall, .crashed, .exitedEarly, .sandboxError: return []
        case .syntaxError: family = ["SyntaxError", "IndentationError", "TabError"]
        case .nameError: family = ["NameError", "UnboundLocalError"]
        case .importError: family = ["ImportError", "ModuleNotFoundError"]
        case .typeError: family = ["TypeError"]
        case .assertionError: family = ["AssertionError"]
        case .memoryLimit: family = ["MemoryError"]
        case .runtimeError: family = []
        }
        return Set((family + (exceptionType.map { [$0] } ?? [])).map(HarnessLabel.init))
    }

    /// Their rule, in words, for reports and help.
    public static let ruleText =
        "a timeout is TimeoutError; exit status 0 is passed; otherwise the last stderr line matching "
        + "`^(\\w+(?:Error|Exception|Warning)): ` names the type; no such line: unclassified"

    /// The agreement table of ``agreeing(with:exceptionType:)``, in words.
    public static let agreementText =
        "passed=passed, timeout=TimeoutError, syntax_error=SyntaxError|IndentationError|TabError, "
        + "name_error=NameError|UnboundLocalError, import_error=ImportError|ModuleNotFoundError, type_error=TypeError, "
        + "assertion_error=AssertionError, memory_limit=MemoryError, runtime_error=its exact exception type "
        + "(any exception outcome also agrees with its exact type); output_limit, forbidden_syscall, crashed, "
        + "exited_early and sandbox_error agree with nothing"

    /// Whether this label says what `verdict` says (see
    /// ``agreeing(with:exceptionType:)``).
    public func agrees(with verdict: Verdict) -> Bool {
        Self.agreeing(with: verdict.outcome, exceptionType: verdict.exception?.type).contains(self)
    }
}
