import Foundation
import Refiner
import Sandbox
import Testing

/// The whole loop with a real model: llama-server and SmolLM2-135M from the
/// cache (`refine setup --models smollm2-135m` puts them there; CI does),
/// three HumanEval tasks. Checks that the journal and the summary are
/// complete and agree with each other, not how well the model does.
@Suite("Real model")
struct RealModelBenchmarkTests {
    static let cache = RefineCache.resolve()
    static var ready: Bool {
        LlamaServerBuild(cache: cache).installedBinary != nil
            && ModelStore(cache: cache).installedModel(ModelCatalog.smolLM2135M) != nil
            && DatasetLoader.defaultDirectory() != nil
    }

    @Test(.enabled(if: ready, "needs llama-server and smollm2-135m in the cache (refine setup --models smollm2-135m) and the HumanEval dataset"))
    func aShortBenchmarkWritesACompleteConsistentJournal() async throws {
        let tasks = Array(try DatasetLoader.load(.humaneval).prefix(3))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("refine-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

        let session = try await ModelSession.open(
            generator: .managed("smollm2-135m"), refiner: .managed("smollm2-135m"),
            server: ServerSettings(contextSize: 2048), logDirectory: directory, cache: Self.cache)
        let settings = LoopSettings(
            iterations: 1, earlyStopping: .none, generatorSampling: SamplingSettings(maxTokens: 128),
            refinerSampling: SamplingSettings(maxTokens: 128))
        let header = RunHeader(
            suite: .humaneval, datasetSHA256: BenchmarkSuite.humaneval.sha256, taskIDs: tasks.map(\.id), runs: 1,
            generator: session.generatorIdentity, refiner: session.refinerIdentity, settings: settings,
            sandbox: SandboxSummary(wallSeconds: 10, cpuSeconds: 10, memoryMegabytes: 1024, interpreter: "/usr/bin/python3"),
            command: "e2e test")
        let loop = RefinementLoop(
            generator: session.generator, generatorName: "smollm2-135m", refiner: session.refiner,
            refinerName: "smollm2-135m", sandbox: try await Sandbox(), settings: settings)
        let journal: JournalContents
        do {
            journal = try await BenchmarkRunner(tasks: tasks, header: header, loop: loop, runDirectory: directory).run()
            await session.close()
        } catch {
            await session.close()
            throw error
        }

        // Every task finished, with both attempts (early stop "none").
        #expect(journal.results.count == 3)
        #expect(!journal.truncatedTail)
        #expect(journal.header.generator.sha256 == ModelCatalog.smolLM2135M.sha256)
        for task in tasks {
            let key = TaskKey(run: 0, taskID: task.id)
            let attempts = try #require(journal.attempts[key])
            let result = try #require(journal.results[key])
            #expect(attempts.map(\.iteration) == [0, 1])
            #expect(result.attemptCount == attempts.count)
            #expect(result.initialLabel == attempts[0].label)
            #expect(result.finalLabel == attempts[result.finalIteration].label)
            #expect(result.finalPassed == attempts[result.finalIteration].passed)
            for attempt in attempts {
                #expect((attempt.completion.completionTokens ?? 0) > 0)
                #expect(attempt.completion.serverTimings != nil)
                // A program always has a verdict; a verdict always a program.
                #expect((attempt.program == nil) == (attempt.scoreVerdict == nil))
                #expect(attempt.label == AttemptLabel.noCode || Outcome(rawValue: attempt.label) != nil)
                #expect(attempt.messages.last?.content.isEmpty == false)
            }
        }

        // The summary says the same as the journal.
        let summary = RunSummary(journal)
        let results = Array(journal.results.values)
        #expect(summary.finishedTasks == 3)
        #expect(summary.transitions.map(\.count).reduce(0, +) == 3)
        #expect(summary.initialPassAt1.mean == Double(results.filter(\.initialPassed).count) / 3)
        #expect(summary.finalPassAt1.mean == Double(results.filter(\.finalPassed).count) / 3)
        #expect(summary.passAt1ByIteration.count == 2)
        #expect(summary.passAt1ByIteration.last?.mean == summary.finalPassAt1.mean)
        #expect(summary.iterationEffects.map(\.attempts).reduce(0, +) == 3)
        #expect(summary.tokens.generatorCompletion > 0 && summary.tokens.refinerCompletion > 0)
        #expect(summary.time.wallSeconds > 0 && summary.time.modelSeconds > 0)
        #expect(summary.time.modelSeconds <= summary.time.wallSeconds)
    }
}
