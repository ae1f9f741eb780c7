import Foundation
import Refiner
import Sandbox

/// Hand-made journals with known outcomes, written through the real
/// `JournalWriter`, so the report's numbers can be checked against values
/// worked out by hand.
enum ReportFixtures {
    /// One task's attempts, as (label, refined-from) pairs, and which one
    /// the loop returned.
    struct TaskScript {
        var id: String
        var attempts: [(label: String, refinedFrom: Int?)]
        var returned: Int
    }

    static let taskIDs = ["T/a", "T/b", "T/c", "T/d"]

    static func header(
        suite: BenchmarkSuite = .humaneval, datasetSHA256: String? = nil, runs: Int, earlyStopping: EarlyStopping,
        command: String = "refine bench humaneval --limit 4", generatorName: String = "gen-small"
    ) -> RunHeader {
        RunHeader(
            suite: suite, datasetSHA256: datasetSHA256 ?? suite.sha256, taskIDs: taskIDs, runs: runs,
            generator: ModelIdentity(name: generatorName, file: "/models/gen-small.gguf", sha256: String(repeating: "a1", count: 32)),
            refiner: ModelIdentity(name: "ref-large", file: "/models/ref-large.gguf", sha256: String(repeating: "b2", count: 32)),
            settings: LoopSettings(
                iterations: 2, earlyStopping: earlyStopping, patience: 2, feedback: .full,
                generatorSampling: SamplingSettings(maxTokens: 512), refinerSampling: SamplingSettings(maxTokens: 640, stop: ["\n```\n"])),
            sandbox: SandboxSummary(wallSeconds: 10, cpuSeconds: 10, memoryMegabytes: 1024, interpreter: "/usr/bin/python3"),
            execution: ExecutionSummary(threads: 2, contextSize: 4096, parallelSlots: 1, concurrency: 1),
            command: command, startedAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    /// An attempt with a fixed cost: the generator's 100 + 40 tokens in
    /// 2 s of server time, the refiner's 300 + 60 in 3 s; 0.25 s in the
    /// sandbox when there was code. Every task has 3 tests.
    static func attempt(iteration: Int, label: String, refinedFrom: Int?) -> Attempt {
        let generator = iteration == 0
        let completion = Completion(
            text: "```python\npass\n```", promptTokens: generator ? 100 : 300, completionTokens: generator ? 40 : 60,
            serverTimings: ServerTimings(promptMilliseconds: generator ? 500 : 1000, predictedMilliseconds: generator ? 1500 : 2000),
            wallTime: .seconds(generator ? 2.1 : 3.1))
        let verdict = Outcome(rawValue: label).map {
            Verdict(outcome: $0, tests: TestCount(passed: $0 == .passed ? 3 : $0 == .assertionError ? 1 : 0, total: 3))
        }
        return Attempt(
            iteration: iteration, role: generator ? .generator : .refiner, model: generator ? "gen-small" : "ref-large",
            messages: [ChatMessage(role: .user, content: "Write it.")], completion: completion,
            extraction: verdict == nil ? .none : .fenced, program: verdict == nil ? nil : "def f():\n    pass\n",
            feedbackVerdict: verdict, scoreVerdict: verdict, sandboxSeconds: verdict == nil ? 0 : 0.25,
            wallSeconds: generator ? 2.5 : 3.5, refinedFrom: refinedFrom)
    }

    /// Writes a run folder: for each repetition, each task's attempts and
    /// its result (10 s of wall time per task). Tasks beyond `finishing`
    /// per repetition are left unfinished.
    static func writeRun(
        _ directory: URL, header: RunHeader, repetitions: [[TaskScript]], finishing: Int? = nil
    ) async throws {
        let (writer, existing) = try await JournalWriter.open(directory: directory, header: header)
        precondition(existing == nil, "fixture folders are new")
        for (run, scripts) in repetitions.enumerated() {
            for script in scripts.prefix(finishing ?? scripts.count) {
                let attempts = script.attempts.enumerated().map {
                    attempt(iteration: $0.offset, label: $0.element.label, refinedFrom: $0.element.refinedFrom)
                }
                for attempt in attempts {
                    try await writer.append(.attempt(run: run, taskID: script.id, attempt))
                }
                let first = attempts[0]
                let returned = attempts[script.returned]
                try await writer.append(
                    .task(
                        TaskResult(
                            run: run, taskID: script.id, finalIteration: script.returned,
                            stopReason: returned.passed ? .passed : .iterationsExhausted, attemptCount: attempts.count,
                            initialLabel: first.label, finalLabel: returned.label, initialPassed: first.passed,
                            finalPassed: returned.passed, wallSeconds: 10)))
            }
        }
        try await writer.close()
    }

    /// Folder A: `--early-stop best`, two repetitions.
    ///
    /// Repetition 0: a passes at once; b assertion → passed; c syntax →
    /// assertion → assertion (returns 1); d assertion → runtime → passed
    /// (refined from 0). Repetition 1: a and b pass at once; c syntax →
    /// passed; d no code → assertion → assertion (returns 1).
    static let bestRepetitions: [[TaskScript]] = [
        [
            TaskScript(id: "T/a", attempts: [("passed", nil)], returned: 0),
            TaskScript(id: "T/b", attempts: [("assertion_error", nil), ("passed", 0)], returned: 1),
            TaskScript(id: "T/c", attempts: [("syntax_error", nil), ("assertion_error", 0), ("assertion_error", 1)], returned: 1),
            TaskScript(id: "T/d", attempts: [("assertion_error", nil), ("runtime_error", 0), ("passed", 0)], returned: 2),
        ],
        [
            TaskScript(id: "T/a", attempts: [("passed", nil)], returned: 0),
            TaskScript(id: "T/b", attempts: [("passed", nil)], returned: 0),
            TaskScript(id: "T/c", attempts: [("syntax_error", nil), ("passed", 0)], returned: 1),
            TaskScript(id: "T/d", attempts: [("no_code", nil), ("assertion_error", 0), ("assertion_error", 1)], returned: 1),
        ],
    ]

    /// Folder B: the same experiment with `--early-stop none`, two equal
    /// repetitions: a passed → passed → assertion (broken at 2); b
    /// assertion → passed → passed; c syntax three times; d passes three
    /// times. The last attempt is returned.
    static let noneRepetition: [TaskScript] = [
        TaskScript(id: "T/a", attempts: [("passed", nil), ("passed", 0), ("assertion_error", 1)], returned: 2),
        TaskScript(id: "T/b", attempts: [("assertion_error", nil), ("passed", 0), ("passed", 1)], returned: 2),
        TaskScript(id: "T/c", attempts: [("syntax_error", nil), ("syntax_error", 0), ("syntax_error", 1)], returned: 2),
        TaskScript(id: "T/d", attempts: [("passed", nil), ("passed", 0), ("passed", 1)], returned: 2),
    ]

    static func writeBestRun(_ directory: URL, command: String = "refine bench humaneval --limit 4 --runs 2") async throws {
        try await writeRun(
            directory, header: header(runs: 2, earlyStopping: .best, command: command), repetitions: bestRepetitions)
    }

    static func writeNoneRun(_ directory: URL) async throws {
        try await writeRun(
            directory, header: header(runs: 2, earlyStopping: .none, command: "refine bench humaneval --limit 4 --runs 2 --early-stop none"),
            repetitions: [noneRepetition, noneRepetition])
    }

    /// A fresh folder under the temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("refine-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
