import ArgumentParser
import Foundation
import Sandbox

/// `refine exec`: judge one candidate file in the sandbox.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a Python candidate (and its tests) in the sandbox and print the verdict.",
        discussion: """
            Tests are either top-level assert statements (MBPP style), each one a test, or a \
            `def check(candidate)` function (HumanEval style) with --entry-point naming the \
            candidate's function; each top-level statement of check's body that contains an \
            assert is a test. Every test runs, so the verdict says how many passed.

            Exit status: 0 passed, 1 any other outcome about the code, 2 bad usage, \
            3 sandbox_error (our own machinery failed; never the code's fault).
            """)

    @Argument(help: "The candidate Python file.")
    var candidate: String

    @Option(help: ArgumentHelp("A Python file of tests.", valueName: "test.py"))
    var test: String?

    @Option(help: "The candidate function that check(candidate) receives (HumanEval-style tests).")
    var entryPoint: String?

    @Flag(help: "Print the verdict as one JSON object.")
    var json = false

    @Option(help: ArgumentHelp("Wall-clock limit in seconds; the CPU limit follows it. (default: 10)", valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("Address-space limit in megabytes. (default: 1024)", valueName: "MB"))
    var memory: Int?

    @Option(help: ArgumentHelp("The Python interpreter to run.", valueName: "path"))
    var python = "/usr/bin/python3"

    func validate() throws {
        if let timeout, !(timeout > 0 && timeout <= 86_400) {
            throw ValidationError("--timeout must be a number of seconds between 0 and 86400")
        }
        if let memory, !(memory >= 16 && memory <= 1 << 20) {
            throw ValidationError("--memory must be between 16 and 1048576 megabytes")
        }
    }

    func run() async throws {
        let candidateText = try InputFile.text(at: candidate, role: "candidate", allowEmpty: false)
        let testText = try test.map { try InputFile.text(at: $0, role: "test") }
        var policy = SandboxPolicy.strict
        policy.interpreter = python
        if let timeout {
            policy.limits.wallTime = .milliseconds(Int64((timeout * 1000).rounded(.up)))
            policy.limits.cpuSeconds = max(1, Int(timeout.rounded(.up)))
        }
        if let memory {
            policy.limits.addressSpaceBytes = memory << 20
        }
        let job = SandboxJob(candidate: candidateText, tests: testText, entryPoint: entryPoint)

        let verdict: Verdict
        do {
            let sandbox = try await Sandbox(policy: policy)
            verdict = try await sandbox.run(job)
        } catch let error as SandboxError where error.code == .invalidJob {
            throw UsageError(error.message)
        } catch let error as SandboxError {
            try VerdictPrinter.print(Verdict(sandboxError: error), json: json)
            throw ExitCode(Refine.Status.sandboxError)
        }
        try VerdictPrinter.print(verdict, json: json)
        throw ExitCode(verdict.passed ? Refine.Status.passed : Refine.Status.failed)
    }
}
