import Foundation
import Refiner
import Sandbox
import Testing

/// Whole runs: journal, resume after an interruption, summary.
@Suite("Benchmark runs")
struct BenchmarkRunnerTests {
    static let names = ["add", "plus", "total"]
    static var tasks: [BenchmarkTask] { names.map { LoopFixtures.task($0) } }

    static func header(settings: LoopSettings = LoopSettings(iterations: 2, earlyStopping: .best)) -> RunHeader {
        RunHeader(
            suite: .mbpp, datasetSHA256: "test", taskIDs: tasks.map(\.id), runs: 1,
            generator: ModelIdentity(name: "fake-generator"), refiner: ModelIdentity(name: "fake-refiner"),
            settings: settings, sandbox: SandboxSummary(wallSeconds: 10, cpuSeconds: 10, memoryMegabytes: 1024, interpreter: "/usr/bin/python3"),
            command: "refine bench (test)")
    }

    /// First attempts fail (2 of 3 tests), refinements are correct.
    static func replies(dying: Bool = false) -> FakeModelServer.Handler {
        { request in
            let prompt = request.lastUserMessage ?? ""
            let name = names.first { prompt.contains("function \($0)(") } ?? "add"
            if dying && name == "plus" && prompt.contains("Here is an attempt") {
                return .die
            }
            return prompt.contains("Here is an attempt")
                ? LoopFixtures.reply("return a + b", name: name) : LoopFixtures.reply("return a + b if a else 0", name: name)
        }
    }

    @Test func aRunJournalsEveryAttemptAndSummarizes() async throws {
        let directory = try LoopFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await LoopFixtures.withHTTPClient { http in
            try await FakeModelServer.withServer(handler: Self.replies()) { server in
                let loop = try await LoopFixtures.loop(server: server, httpClient: http, settings: Self.header().settings)
                let runner = BenchmarkRunner(tasks: Self.tasks, header: Self.header(), loop: loop, runDirectory: directory)
                let journal = try await runner.run()
                #expect(journal.results.count == 3)
                #expect(journal.attempts.values.map(\.count).reduce(0, +) == 6)
                let summary = RunSummary(journal)
                #expect(summary.finishedTasks == 3)
                #expect(summary.initialPassAt1.mean == 0)
                #expect(summary.finalPassAt1.mean == 1)
                #expect(summary.passAt1ByIteration.map(\.mean) == [0, 1, 1])
                #expect(summary.transitions == [RunSummary.Transition(from: "assertion_error", to: "passed", count: 3)])
                #expect(summary.fixRates.first?.rate == 1)
                #expect(summary.iterationEffects.first?.fixed == 3)
                #expect(summary.gapInStandardDeviations != nil)
                #expect(summary.time.wallSeconds > 0)
            }
        }
    }

    @Test func anInterruptedRunResumesWithoutRepeatingWork() async throws {
        let directory = try LoopFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await LoopFixtures.withHTTPClient { http in
            // First session: the server dies on the second task's refinement.
            let firstRequests = try await FakeModelServer.withServer(handler: Self.replies(dying: true)) { server in
                let loop = try await LoopFixtures.loop(server: server, httpClient: http, settings: Self.header().settings)
                let runner = BenchmarkRunner(tasks: Self.tasks, header: Self.header(), loop: loop, runDirectory: directory)
                await #expect(throws: ModelClientError.self) { _ = try await runner.run() }
                return await server.requests.count
            }
            #expect(firstRequests == 4)
            // A half-written last line, as a kill during a write leaves it.
            let journalURL = directory.appendingPathComponent(Journal.fileName)
            let handle = try FileHandle(forWritingTo: journalURL)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("{\"type\":\"attempt\",\"run\":0,\"task_".utf8))
            try handle.close()
            let interrupted = try Journal.read(runDirectory: directory)
            #expect(interrupted.truncatedTail)
            #expect(interrupted.results.count == 1)

            // Second session: same command, a healthy server.
            try await FakeModelServer.withServer(handler: Self.replies()) { server in
                let loop = try await LoopFixtures.loop(server: server, httpClient: http, settings: Self.header().settings)
                let runner = BenchmarkRunner(tasks: Self.tasks, header: Self.header(), loop: loop, runDirectory: directory)
                let journal = try await runner.run()
                #expect(journal.results.count == 3)
                #expect(!journal.truncatedTail)
                #expect(journal.resumptions.count == 1)
                // Only what was missing: plus's refinement, total's two attempts.
                #expect(await server.requests.count == 3)
                let plus = journal.attempts[TaskKey(run: 0, taskID: "Test/plus")] ?? []
                #expect(plus.map(\.iteration) == [0, 1])
                #expect(RunSummary(journal).finalPassAt1.mean == 1)
            }
        }
    }

    @Test func aFolderHoldingAnotherRunIsRefused() async throws {
        let directory = try LoopFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try await JournalWriter.open(directory: directory, header: Self.header())
        var other = Self.header(settings: LoopSettings(iterations: 5, earlyStopping: .none))
        other.command = "another"
        do {
            _ = try await JournalWriter.open(directory: directory, header: other)
            Issue.record("a different run was accepted")
        } catch let error as JournalError {
            #expect(error.description.contains("different run"))
        }
    }

    @Test func samplesExportHoldsTheReturnedPrograms() async throws {
        let directory = try LoopFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await LoopFixtures.withHTTPClient { http in
            try await FakeModelServer.withServer(handler: Self.replies()) { server in
                let loop = try await LoopFixtures.loop(server: server, httpClient: http, settings: Self.header().settings)
                let journal = try await BenchmarkRunner(
                    tasks: Self.tasks, header: Self.header(), loop: loop, runDirectory: directory
                ).run()
                let samples = directory.appendingPathComponent("samples.jsonl")
                try EvalPlusSamples.write(journal, to: samples)
                let lines = try String(contentsOf: samples, encoding: .utf8).split(separator: "\n")
                #expect(lines.count == 3)
                let first = try JSONDecoder().decode([String: String].self, from: Data(lines[0].utf8))
                #expect(first["task_id"] == "Test/add")
                #expect(first["solution"]?.contains("return a + b\n") == true)
            }
        }
    }
}
