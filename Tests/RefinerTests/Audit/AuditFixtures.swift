import Foundation
import Refiner
import Sandbox
import Testing

/// Hand-made journals and tasks for the audit tests: real verdicts from the
/// sandbox, written as a run writes them.
enum AuditFixtures {
    /// Two MBPP-style synthetic tasks (top-level asserts).
    static let tasks = [LoopFixtures.task("add"), LoopFixtures.task("plus")]

    /// A HumanEval-style synthetic task (`check(candidate)` plus entry point).
    static let humanEvalTask = BenchmarkTask(
        id: "HumanEval/900", suite: .humaneval, prompt: "def add(a, b):\n", functionName: "add",
        canonicalSolution: "def add(a, b):\n    return a + b\n",
        tests: "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(2, 2) == 4\n", entryPoint: "add",
        visibleTests: "")

    /// An MBPP-style synthetic task with an id a candidates file can name.
    static let mbppTask: BenchmarkTask = {
        var task = LoopFixtures.task("add")
        task.id = "Mbpp/900"
        return task
    }()

    static func header(tasks: [BenchmarkTask] = tasks) -> RunHeader {
        RunHeader(
            suite: .mbpp, datasetSHA256: "test", taskIDs: tasks.map(\.id), runs: 1,
            generator: ModelIdentity(name: "fake-generator"), refiner: ModelIdentity(name: "fake-refiner"),
            settings: LoopSettings(iterations: 1, earlyStopping: .best),
            sandbox: SandboxSummary(wallSeconds: 10, cpuSeconds: 10, memoryMegabytes: 1024, interpreter: "/usr/bin/python3"),
            command: "refine bench (audit test)")
    }

    static func attempt(_ iteration: Int, program: String?, verdict: Verdict?) -> Attempt {
        Attempt(
            iteration: iteration, role: iteration == 0 ? .generator : .refiner, model: "fake",
            messages: [.user("Write the function.")], completion: Completion(text: program ?? "I cannot."),
            extraction: program == nil ? .none : .fenced, program: program, feedbackVerdict: verdict, scoreVerdict: verdict,
            sandboxSeconds: 0, wallSeconds: 0, refinedFrom: iteration == 0 ? nil : iteration - 1)
    }

    /// `add`: correct at once. `plus`: wrong (passes 1 of 3), then no code.
    static let programs: [(taskIndex: Int, program: String?)] = [
        (0, "def add(a, b):\n    return a + b\n"),
        (1, "def plus(a, b):\n    return 3\n"),
        (1, nil),
    ]

    /// Writes a journal of ``programs`` with the verdicts the sandbox gives
    /// them now, as a benchmark run records them.
    static func writeRun(in directory: URL) async throws {
        let sandbox = try await LoopFixtures.sandbox.value
        let (writer, _) = try await JournalWriter.open(directory: directory, header: header())
        var iterations: [String: Int] = [:]
        for (taskIndex, program) in programs {
            let task = tasks[taskIndex]
            let iteration = iterations[task.id, default: 0]
            iterations[task.id] = iteration + 1
            var verdict: Verdict?
            if let program {
                verdict = try await sandbox.run(task.scoringJob(for: program))
            }
            try await writer.append(.attempt(run: 0, taskID: task.id, attempt(iteration, program: program, verdict: verdict)))
        }
        for (index, task) in tasks.enumerated() {
            let attempts = programs.filter { $0.taskIndex == index }.count
            try await writer.append(
                .task(
                    TaskResult(
                        run: 0, taskID: task.id, finalIteration: 0, stopReason: index == 0 ? .passed : .iterationsExhausted,
                        attemptCount: attempts, initialLabel: index == 0 ? "passed" : "assertion_error",
                        finalLabel: index == 0 ? "passed" : "assertion_error", initialPassed: index == 0,
                        finalPassed: index == 0, wallSeconds: 0)))
        }
        try await writer.close()
    }

    static func audit(policy: SandboxPolicy? = nil) async throws -> Audit {
        guard let policy else {
            return Audit(sandbox: try await LoopFixtures.sandbox.value, concurrency: 2)
        }
        return Audit(sandbox: try await Sandbox(policy: policy, maxConcurrentRuns: 2), concurrency: 2)
    }

    /// The result of auditing one self-contained program.
    static func script(_ program: String, policy: SandboxPolicy? = nil) async throws -> AuditResult {
        let results = try await audit(policy: policy).execute([AuditCandidate(id: "program", program: program)])
        return try #require(results.first)
    }
}
