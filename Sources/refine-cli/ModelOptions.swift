import ArgumentParser
import Foundation
import Refiner
import Sandbox

/// Which models generate and refine, and how their servers run.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The model that writes the first attempt: qwen2.5-coder-0.5b, qwen2.5-coder-1.5b, smollm2-135m, or a .gguf file. With --endpoint, the model name sent to it.",
        valueName: "model"))
    var generator = "qwen2.5-coder-0.5b"

    @Option(help: ArgumentHelp("The model that refines failing code (same choices).", valueName: "model"))
    var refiner = "qwen2.5-coder-1.5b"

    @Option(help: ArgumentHelp(
        "An OpenAI-compatible server (vLLM, SGLang, llama-server) to use instead of starting llama-server; for the refiner too unless --refiner-endpoint.",
        valueName: "url"))
    var endpoint: String?

    @Option(help: ArgumentHelp("A separate OpenAI-compatible server for the refiner.", valueName: "url"))
    var refinerEndpoint: String?

    @Option(help: ArgumentHelp("The endpoints' API key (default: $REFINE_API_KEY or $OPENAI_API_KEY).", valueName: "key"))
    var apiKey: String?

    @Option(help: ArgumentHelp("Your own llama-server binary instead of the one refine builds.", valueName: "path"))
    var llamaServer: String?

    @Option(help: "Threads per llama-server.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Context size of each llama-server, in tokens (per parallel slot).")
    var contextSize = 4096

    @Option(help: "Requests each llama-server serves at once (default: as many as tasks in flight).")
    var parallelSlots: Int?

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if contextSize < 512 { throw ValidationError("--context-size must be at least 512") }
        if let parallelSlots, parallelSlots < 1 || parallelSlots > 64 { throw ValidationError("--parallel-slots must be between 1 and 64") }
        if refinerEndpoint != nil && endpoint == nil && llamaServer != nil {
            throw ValidationError("--llama-server is for managed models; pass --endpoint for the generator or drop --llama-server")
        }
    }

    var generatorChoice: ModelChoice { choice(generator, endpoint: endpoint) }
    var refinerChoice: ModelChoice { choice(refiner, endpoint: refinerEndpoint ?? endpoint) }

    private func choice(_ model: String, endpoint: String?) -> ModelChoice {
        guard let endpoint else { return .managed(model) }
        let environment = ProcessInfo.processInfo.environment
        return .endpoint(url: endpoint, model: model, apiKey: apiKey ?? environment["REFINE_API_KEY"] ?? environment["OPENAI_API_KEY"])
    }

    func serverSettings(concurrency: Int = 1) -> ServerSettings {
        let slots = parallelSlots ?? concurrency
        return ServerSettings(binary: llamaServer, threads: threads, contextSize: contextSize * slots, parallelSlots: slots)
    }
}

/// How the loop runs.
struct LoopOptions: ParsableArguments {
    @Option(help: "Refinement rounds after the first attempt.")
    var iterations = 3

    @Option(help: "pass: stop at the first pass; best: also stop after --patience rounds without improvement and keep the best; none: always run every round (the ablation).")
    var earlyStop: EarlyStopping = .best

    @Option(help: "Rounds without improvement before --early-stop best stops.")
    var patience = 2

    @Option(help: "full: the refiner sees failures of the scoring tests; visible: only the docstring examples (HumanEval) or the first assert (MBPP, whose prompt then shows only that assert, so the other tests stay hidden). The score always uses every test.")
    var feedback: FeedbackScope = .full

    @Option(help: "Sampling temperature (0: greedy).")
    var temperature = 0.0

    @Option(help: "Sampling seed.")
    var seed = SamplingSettings.defaultSeed

    @Option(help: "Most tokens per reply.")
    var maxTokens = 512

    @Option(help: ArgumentHelp("A stop sequence (repeatable).", valueName: "text"))
    var stop: [String] = []

    func validate() throws {
        if iterations < 0 || iterations > 50 { throw ValidationError("--iterations must be between 0 and 50") }
        if patience < 1 { throw ValidationError("--patience must be at least 1") }
        if temperature < 0 || temperature > 5 { throw ValidationError("--temperature must be between 0 and 5") }
        if maxTokens < 16 { throw ValidationError("--max-tokens must be at least 16") }
    }

    var settings: LoopSettings {
        let sampling = SamplingSettings(temperature: temperature, seed: seed, maxTokens: maxTokens, stop: stop)
        return LoopSettings(
            iterations: iterations, earlyStopping: earlyStop, patience: patience, feedback: feedback,
            generatorSampling: sampling, refinerSampling: sampling)
    }
}

/// The sandbox's limits for model-written code.
struct SandboxOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Wall-clock limit per run, in seconds; the CPU limit follows it.", valueName: "seconds"))
    var timeout = 10.0

    @Option(help: ArgumentHelp("Address-space limit per run, in megabytes.", valueName: "MB"))
    var memory = 1024

    @Option(help: ArgumentHelp("The Python interpreter for the code.", valueName: "path"))
    var python = "/usr/bin/python3"

    func validate() throws {
        if !(timeout > 0 && timeout <= 3600) { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
        if !(memory >= 16 && memory <= 1 << 20) { throw ValidationError("--memory must be between 16 and 1048576 megabytes") }
    }

    var policy: SandboxPolicy { summary.policy }

    var summary: SandboxSummary {
        SandboxSummary(wallSeconds: timeout, cpuSeconds: max(1, Int(timeout.rounded(.up))), memoryMegabytes: memory, interpreter: python)
    }
}

extension EarlyStopping: ExpressibleByArgument {}
extension FeedbackScope: ExpressibleByArgument {}
