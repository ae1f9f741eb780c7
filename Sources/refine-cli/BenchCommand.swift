import ArgumentParser
import Foundation
import Refiner
import Sandbox

/// `refine bench`: the loop over a whole suite, journaled and resumable.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run generate → execute → refine over HumanEval or MBPP and summarize what refinement changed.",
        discussion: """
            Every attempt is journaled in <out>/journal.jsonl as it happens. Interrupt at any time \
            (Ctrl-C): the same command resumes where it stopped. Models are built and installed on \
            first use into the cache ($REFINE_CACHE or ~/.cache/refine); `refine setup` does it ahead.
            """)

    @Argument(help: "humaneval or mbpp.")
    var suite: BenchmarkSuite

    @Option(help: "Only the first N tasks.")
    var limit: Int?

    @Option(help: "Repetitions of the whole benchmark (they differ only when sampling, by seed).")
    var runs = 1

    @Option(help: ArgumentHelp("The run folder (default: runs/<suite>-<generator>-<refiner>-<feedback>-<early-stop>…).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Folder holding the datasets (default: $REFINE_DATA or ../shared/datasets).", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("Also write the returned programs as an EvalPlus samples file.", valueName: "file.jsonl"))
    var exportSamples: String?

    @Option(help: "Tasks solved at once.")
    var concurrency = 1

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @OptionGroup var models: ModelOptions
    @OptionGroup var loop: LoopOptions
    @OptionGroup var sandbox: SandboxOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if runs < 1 || runs > 100 { throw ValidationError("--runs must be between 1 and 100") }
        if concurrency < 1 || concurrency > 64 { throw ValidationError("--concurrency must be between 1 and 64") }
    }

    func run() async throws {
        let tasks: [BenchmarkTask]
        do {
            tasks = Array(try DatasetLoader.load(suite, from: data.map { URL(fileURLWithPath: $0) }).prefix(limit ?? .max))
        } catch let error as DatasetError {
            throw UsageError(error.description)
        }
        let directory = URL(fileURLWithPath: out ?? defaultOut())
        let settings = loop.settings
        if runs > 1 && settings.generatorSampling.temperature == 0 {
            FileHandle.standardError.write(Data("refine: note: with greedy decoding (--temperature 0) every run gives the same answers\n".utf8))
        }

        let sandboxInstance: Sandbox
        do {
            sandboxInstance = try await Sandbox(policy: sandbox.policy)
        } catch let error as SandboxError {
            throw UsageError("the sandbox cannot run here: \(error)")
        }
        let created = !FileManager.default.fileExists(atPath: directory.path)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        LlamaServer.installTerminationHandlers()
        let setup = SetupLine()
        let session: ModelSession
        do {
            session = try await ModelSession.open(
                generator: models.generatorChoice, refiner: models.refinerChoice,
                server: models.serverSettings(concurrency: concurrency),
                logDirectory: directory, progress: { setup.show($0) })
        } catch {
            // Nothing ran: leave no run folder behind (the error quotes what a
            // server's log said).
            if created {
                try? FileManager.default.removeItem(at: directory)
            }
            throw UsageError("\(error)")
        }

        let header = RunHeader(
            suite: suite, datasetSHA256: suite.sha256, taskIDs: tasks.map(\.id), runs: runs,
            generator: session.generatorIdentity, refiner: session.refinerIdentity, settings: settings,
            sandbox: sandbox.summary,
            execution: ExecutionSummary(
                threads: models.threads, contextSize: models.contextSize,
                parallelSlots: models.parallelSlots ?? concurrency, concurrency: concurrency),
            command: CommandLine.arguments.joined(separator: " "))
        let loopInstance = RefinementLoop(
            generator: session.generator, generatorName: session.generatorIdentity.name, refiner: session.refiner,
            refinerName: session.refinerIdentity.name, sandbox: sandboxInstance, settings: settings)
        let runner = BenchmarkRunner(
            tasks: tasks, header: header, loop: loopInstance, runDirectory: directory, concurrency: concurrency)
        FileHandle.standardError.write(Data("refine: journal \(directory.path)/\(Journal.fileName) (interrupt anytime: the same command resumes)\n".utf8))

        let progress = ProgressLine(label: suite.rawValue)
        let journal: JournalContents
        do {
            journal = try await runner.run { state in
                let rate = state.finished > 0 ? Double(state.passed) / Double(state.finished) * 100 : 0
                let first = state.finished > 0 ? Double(state.initiallyPassed) / Double(state.finished) * 100 : 0
                progress.update(
                    done: state.finished, total: state.total, resumed: state.resumed,
                    detail: String(format: "pass@1 %.1f%% (first attempt %.1f%%)  %@", rate, first, state.lastTask))
            }
        } catch let error as JournalError {
            progress.finish()
            await session.close()
            throw UsageError(error.description)
        } catch {
            progress.finish()
            await session.close()
            FileHandle.standardError.write(Data("refine: error: \(error)\nrefine: the tasks finished so far are kept in \(directory.path): rerun the same command to resume\n".utf8))
            throw ExitCode(Refine.Status.failed)
        }
        progress.finish()
        await session.close()

        let summary = RunSummary(journal)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(summary).write(to: directory.appendingPathComponent("summary.json"))
        try Data((summary.text + "\n").utf8).write(to: directory.appendingPathComponent("summary.txt"))
        if let exportSamples {
            try EvalPlusSamples.write(journal, to: URL(fileURLWithPath: exportSamples))
        }
        if json {
            FileHandle.standardOutput.write(try encoder.encode(summary) + Data("\n".utf8))
        } else {
            print(summary.text)
            print("\nrun folder: \(directory.path)")
        }
    }

    /// The same command gives the same folder, so that rerunning it resumes.
    private func defaultOut() -> String {
        func slug(_ name: String) -> String {
            var base = URL(fileURLWithPath: name).lastPathComponent
            if base.lowercased().hasSuffix(".gguf") {
                base = String(base.dropLast(5))
            }
            return String(base.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "-" })
        }
        var name = "\(suite.rawValue)-\(slug(models.generator))-\(slug(models.refiner))-\(loop.feedback.rawValue)-\(loop.earlyStop.rawValue)-i\(loop.iterations)"
        if let limit { name += "-n\(limit)" }
        if runs > 1 { name += "-r\(runs)" }
        if loop.temperature > 0 { name += "-t\(loop.temperature)" }
        return "runs/" + name
    }
}
