import Sandbox

/// Writes what went wrong in words a small model can act on: the failing
/// test's call, expected against actual, the exception and the line.
enum FeedbackWriter {
    static func describe(_ attempt: Attempt, task: BenchmarkTask) -> String {
        guard attempt.program != nil else {
            return "The reply contained no Python code."
        }
        guard let verdict = attempt.feedbackVerdict else {
            return "The code could not be run."
        }
        var lines: [String] = []
        let tests = verdict.tests
        switch verdict.outcome {
        case .passed:
            return "The code passed all \(tests.total) tests."
        case .syntaxError:
            lines.append("The code does not compile.")
        case .timeout:
            lines.append(
                verdict.limit == .cpuTime
                    ? "The code ran out of CPU time: it is too slow or loops forever."
                    : "The code did not finish in time: it is too slow, loops forever or waits for input.")
        case .memoryLimit:
            lines.append("The code ran out of memory.")
        case .outputLimit:
            lines.append("The code printed far too much output.")
        case .forbiddenSyscall:
            lines.append("The code was stopped for calling `\(verdict.syscall ?? "a forbidden system call")`, which is not allowed here (no network, no subprocess tricks).")
        case .crashed:
            lines.append("The program crashed (\(verdict.signal ?? "signal")).")
        case .exitedEarly:
            lines.append("The program exited before the tests finished; do not call exit().")
        case .sandboxError:
            lines.append("The code could not be run (an error of the test machinery, not of the code).")
        default:
            lines.append("The code fails.")
        }
        if tests.total > 0 {
            lines.append("Tests passed: \(tests.passed) of \(tests.total).")
        }
        if let test = verdict.failingTest {
            let label = verdict.outcome == .timeout ? "Test running when time ran out" : "Failing test"
            lines.append("\(label):\n```python\n\(test.source)\n```")
        }
        if let exception = verdict.exception {
            let message = exception.message.isEmpty ? "" : ": \(PromptBuilder.clip(exception.message, 300))"
            lines.append("Error: \(exception.type)\(message)")
            if let expected = exception.expected, let actual = exception.actual {
                lines.append("Expected: \(expected)\nActual:   \(actual)")
            }
            if let line = exception.line, let source = exception.sourceLine {
                let place = exception.origin == .candidate ? "in your code, line \(line)" : "in the test, line \(line)"
                lines.append("Where: \(place): `\(source)`")
            }
        }
        let output = verdict.stdout.text.trimmingTrailingWhitespace()
        if !output.isEmpty && verdict.outcome != .passed {
            lines.append("Printed output (truncated):\n\(PromptBuilder.clip(output, 400))")
        }
        return lines.joined(separator: "\n")
    }
}
