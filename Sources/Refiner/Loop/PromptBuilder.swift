import Sandbox

/// The messages sent to the generator and to the refiner.
///
/// The refiner gets structured feedback built from the verdict, not a raw
/// traceback: the failing test's call, expected and actual values, the
/// offending line. A 0.5B model refining itself from a raw traceback fixed
/// none of 74 HumanEval failures (it returned the same code); the failing
/// call and line let even small models make progress.
public struct PromptBuilder: Sendable {
    /// Under `visible`, MBPP prompts show only the first assert, so hidden
    /// tests never reach a prompt; under `full`, all of them.
    public var feedback: FeedbackScope

    /// A builder for the loop's ``LoopSettings/feedback``.
    public init(feedback: FeedbackScope) {
        self.feedback = feedback
    }

    static let system = "You are an expert Python programmer. You write correct, complete, self-contained Python code."

    /// The generator's messages: the system prompt, then the task
    /// (HumanEval's signature and docstring, or MBPP's description and tests)
    /// and the answer format.
    public func generation(for task: BenchmarkTask) -> [ChatMessage] {
        [.system(Self.system), .user(statement(of: task) + "\n\n" + Self.answerFormat(task))]
    }

    /// - Parameters:
    ///   - previous: the attempt the refiner should fix.
    public func refinement(for task: BenchmarkTask, previous: Attempt) -> [ChatMessage] {
        var text = statement(of: task) + "\n\n"
        if let program = previous.program {
            text += "Here is an attempt:\n\n```python\n\(program.trimmingTrailingWhitespace())\n```\n\n"
        } else {
            text += "The previous reply was:\n\n\(Self.clip(previous.completion.text, 1500))\n\n"
        }
        text += FeedbackWriter.describe(previous, task: task) + "\n\n"
        if previous.feedbackVerdict?.passed == true {
            text += "Review the code and reply with the complete final version. " + Self.answerFormat(task)
        } else {
            text += "Fix the code. " + Self.answerFormat(task)
        }
        return [.system(Self.system), .user(text)]
    }

    /// The task as the model sees it. MBPP shows tests with the description;
    /// under visible feedback only the visible one, so hidden tests never
    /// reach a prompt.
    func statement(of task: BenchmarkTask) -> String {
        switch task.suite {
        case .humaneval:
            return "Complete this Python function:\n\n```python\n\(task.prompt.trimmingTrailingWhitespace())\n```"
        case .mbpp:
            let tests = feedback == .visible ? Array(task.promptTests.prefix(1)) : task.promptTests
            var text = task.prompt.trimmingTrailingWhitespace()
            if !tests.isEmpty {
                text += "\nYour code should pass "
                    + (tests.count == 1 ? "this test:" : "these tests:") + "\n\n```python\n" + tests.joined(separator: "\n")
                    + "\n```"
            }
            return text
        }
    }

    static func answerFormat(_ task: BenchmarkTask) -> String {
        "Reply with the complete function `\(task.functionName)` (with its imports) in a single ```python code block."
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + " …"
    }
}
