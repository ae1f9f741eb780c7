import ArgumentParser
import Foundation
import Refiner
import Sandbox

/// `refine solve`: the loop on one task of your own, shown step by step.
struct SolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Generate, run and refine code for one task, printing each iteration.",
        discussion: """
            PROMPT_FILE holding a `def` (a signature with a docstring) is completed like HumanEval; \
            any other text is taken as a description, like MBPP, and shown with the tests. Tests are \
            top-level asserts, or `def check(candidate)` with --entry-point.

            Exit status: 0 when the final code passes, 1 when it does not, 2 for bad usage.
            """)

    @Argument(help: "The task: a function signature with its docstring, or a description.")
    var promptFile: String

    @Option(help: ArgumentHelp("The tests the code must pass.", valueName: "test.py"))
    var test: String?

    @Option(help: "The function check(candidate) receives (HumanEval-style tests).")
    var entryPoint: String?

    @OptionGroup var models: ModelOptions
    @OptionGroup var loop: LoopOptions
    @OptionGroup var sandbox: SandboxOptions

    func run() async throws {
        let prompt = try InputFile.text(at: promptFile, role: "prompt", allowEmpty: false)
        let tests = try test.map { try InputFile.text(at: $0, role: "test") } ?? ""
        let task = try makeTask(prompt: prompt, tests: tests)

        let sandboxInstance: Sandbox
        do {
            sandboxInstance = try await Sandbox(policy: sandbox.policy)
        } catch let error as SandboxError {
            throw UsageError("the sandbox cannot run here: \(error)")
        }
        LlamaServer.installTerminationHandlers()
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("refine-solve-\(getpid())")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let setup = SetupLine()
        let session: ModelSession
        do {
            session = try await ModelSession.open(
                generator: models.generatorChoice, refiner: models.refinerChoice, server: models.serverSettings(),
                logDirectory: logs, progress: { setup.show($0) })
        } catch {
            throw UsageError("\(error)")
        }
        let refinement = RefinementLoop(
            generator: session.generator, generatorName: session.generatorIdentity.name, refiner: session.refiner,
            refinerName: session.refinerIdentity.name, sandbox: sandboxInstance, settings: loop.settings)
        let printer = IterationPrinter()
        let solution: RefinementLoop.Solution
        do {
            solution = try await refinement.solve(task) { attempt in printer.show(attempt) }
        } catch {
            await session.close()
            FileHandle.standardError.write(Data("refine: error: \(error)\n".utf8))
            throw ExitCode(Refine.Status.failed)
        }
        await session.close()
        try? FileManager.default.removeItem(at: logs)
        let final = solution.final
        print("── final: iteration \(solution.finalIteration) (\(solution.stopReason.rawValue)), \(final.label) ──")
        print(final.program ?? "(no code)")
        throw ExitCode(final.passed ? Refine.Status.passed : Refine.Status.failed)
    }

    private func makeTask(prompt: String, tests: String) throws -> BenchmarkTask {
        let definitions = prompt.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("def ") else { return nil }
            return String(line.dropFirst(4).prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        }
        let isSignature = !definitions.isEmpty
        let asserts = tests.split(separator: "\n").filter { $0.hasPrefix("assert ") }.map(String.init)
        let function: String
        if let entryPoint {
            function = entryPoint
        } else if let last = definitions.last {
            function = last
        } else if let called = asserts.first.flatMap(Self.calledFunction) {
            function = called
        } else {
            throw UsageError("cannot tell which function to write: give the prompt a `def`, tests that call it, or --entry-point")
        }
        return BenchmarkTask(
            id: "solve/\(function)", suite: isSignature ? .humaneval : .mbpp, prompt: prompt, functionName: function,
            canonicalSolution: "", tests: tests, entryPoint: entryPoint, visibleTests: entryPoint == nil ? tests : "",
            promptTests: asserts)
    }

    /// The first function an assert calls: `assert f(1) == 2` → f.
    static func calledFunction(_ line: String) -> String? {
        var rest = Substring(line.dropFirst("assert ".count))
        while let open = rest.firstIndex(of: "(") {
            let name = rest[..<open].split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).last
            if let name, !["set", "sorted", "list", "tuple", "abs", "round", "len", "str", "int", "float", "not"].contains(String(name)) {
                return String(name)
            }
            rest = rest[rest.index(after: open)...]
        }
        return nil
    }
}

/// Prints each attempt as it comes: what changed in the code, and the verdict.
final class IterationPrinter: @unchecked Sendable {
    private var previous: String?

    func show(_ attempt: Attempt) {
        print("── iteration \(attempt.iteration): \(attempt.role.rawValue) \(attempt.model) ──")
        if let program = attempt.program {
            if let previous {
                let diff = LineDiff.unified(from: previous, to: program)
                print(diff.isEmpty ? "(same code as before)" : diff)
            } else {
                print(program)
            }
            self.previous = program
        } else {
            print("(the reply held no code)")
        }
        if let verdict = attempt.scoreVerdict {
            print(VerdictPrinter.readable(verdict), terminator: "")
        }
    }
}
