/// One piece of code to judge: the candidate, optionally its tests.
///
/// Tests come in two styles. MBPP style: top-level `assert` statements,
/// each one a test. HumanEval style: a `def check(candidate)` function plus
/// ``entryPoint``, the candidate's function that `check` receives; each
/// top-level statement of `check`'s body that contains an assert is a test.
/// Every test runs even after one fails, so the verdict counts them all.
public struct SandboxJob: Sendable, Hashable {
    /// The code to judge, usually a model's program. The harness compiles
    /// and runs it on its own before any test, so its syntax errors and
    /// top-level exceptions are told apart from the tests'. In ``Mode/script``
    /// it is the whole program.
    public var candidate: String
    /// The tests, in either style above; nil runs the candidate alone (then,
    /// by default, as `__main__`).
    public var tests: String?
    /// HumanEval style: the name of the candidate's function that `check`
    /// receives; nil for MBPP-style asserts. It must be a Python identifier,
    /// or ``Sandbox/run(_:)`` throws ``SandboxError/Code/invalidJob``.
    public var entryPoint: String?
    /// Run the candidate with `__name__ == "__main__"`. Defaults to true
    /// only when there are no tests, so that a model's demo block does not
    /// run (and wait for input) during a test run.
    public var runAsMain: Bool
    /// ``Mode/tests`` (the default) for a verdict per test; ``Mode/script`` to
    /// see a program the way stderr-reading harnesses see it.
    public var mode: Mode

    /// A job. `runAsMain` left nil becomes true exactly when there are no
    /// tests; a job in ``Mode/script`` takes neither `tests` nor `entryPoint`
    /// (see ``script(_:)``).
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
