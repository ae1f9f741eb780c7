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

    public init(candidate: String, tests: String? = nil, entryPoint: String? = nil, runAsMain: Bool? = nil) {
        self.candidate = candidate
        self.tests = tests
        self.entryPoint = entryPoint
        self.runAsMain = runAsMain ?? (tests == nil)
    }
}
