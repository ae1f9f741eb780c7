/// One piece of code to judge: the candidate, optionally its tests.
///
/// Tests come in two styles. MBPP style: top-level `assert` statements,
/// each one a test. HumanEval style: a `def check(candidate)` function plus
/// ``entryPoint``, the candidate's function that `check` receives; each
/// top-level statement of `check`'s body that contains an assert is a test.
/// Every test runs even after one fails, so the verdict counts them all.
public struct SandboxJob: Sendable, Hashable {
    public var candidate: String
    public var tests: String?
    public var entryPoint: String?
    /// Run the candidate with `__name__ == "__main__"`. Defaults to true
    /// only when there are no tests, so that a model's demo block does not
    /// run (and wait for input) during a test run.
    public var runAsMain: Bool
    public var mode: Mode

    public init(
        candidate: String, tests: String? = nil, entryPoint: String? = nil, runAsMain: Bool? = nil, mode: Mode = .tests
    ) {
        self.candidate = candidate
        self.tests = tests
        self.entryPoint = entryPoint
        self.runAsMain = runAsMain ?? (tests == nil)
        self.mode = mode
    }

    /// How the code is run.
    public enum Mode: String, Sendable, Hashable, Codable {
        /// The harness runs the candidate, then each test on its own.
        case tests
        /// The candidate is one plain script, run as `python3 program.py`
        /// would run it: an uncaught exception prints its traceback to stderr
        /// and exits 1, `sys.exit(n)` exits n. This is what the common
        /// evaluation harnesses observe (exit status, stderr), reproduced
        /// inside the sandbox; the verdict still names the exception
        /// exactly. `tests` and `entryPoint` must be nil.
        case script
    }

    /// A job that runs `program` as a plain script (see ``Mode/script``).
    public static func script(_ program: String) -> SandboxJob {
        SandboxJob(candidate: program, runAsMain: true, mode: .script)
    }
}
