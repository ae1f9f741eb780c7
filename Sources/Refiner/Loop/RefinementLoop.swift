import Foundation
import Logging
import Sandbox

/// Generate → execute → refine, with early stopping, for one task.
///
/// The generator writes the first attempt; while the policy allows, the
/// refiner is shown an attempt with structured feedback from its verdict
/// and writes the next. Every attempt is scored on all tests; stopping and
/// keep-best decisions use only what the refiner was shown.
public struct RefinementLoop: Sendable {
    /// Writes each task's first attempt.
    public var generator: any ChatModel
    /// The generator's name as recorded in its attempts (``Attempt/model``).
    public var generatorName: String
    /// Writes the refinements; may be the generator itself.
    public var refiner: any ChatModel
    /// The refiner's name as recorded in its attempts.
    public var refinerName: String
    /// Runs every program; its limits decide what times out, so they are
    /// part of the experiment (``RunHeader/sandbox``).
    public var sandbox: Sandbox
    /// Iterations, stopping, feedback and sampling.
    public var settings: LoopSettings
    /// Receives a debug line per attempt and a warning per sandbox error.
    public var logger: Logger

    /// A loop over these models and this sandbox; nothing runs until
    /// ``solve(_:resumingFrom:record:)``.
    public init(
        generator: any ChatModel, generatorName: String, refiner: any ChatModel, refinerName: String, sandbox: Sandbox,
        settings: LoopSettings, logger: Logger = Logger(label: "refine.loop")
    ) {
        self.generator = generator
        self.generatorName = generatorName
        self.refiner = refiner
        self.refinerName = refinerName
        self.sandbox = sandbox
        self.settings = settings
        self.logger = logger
    }

    /// Why the loop stopped.
    public enum StopReason: String, Sendable, Codable {
        /// The code passed the tests the refiner sees.
        case passed
        /// `best`: `patience` rounds without improvement.
        case noImprovement = "no_improvement"
        /// Every iteration ran.
        case iterationsExhausted = "iterations_exhausted"
    }

    /// Everything the loop did on one task: every attempt, which one it
    /// returns, and why it stopped.
    public struct Solution: Sendable {
        /// Every attempt in iteration order, a resumed run's recorded ones
        /// included.
        public var attempts: [Attempt]
        /// The attempt the loop returns.
        public var finalIteration: Int
        /// Why the loop stopped.
        public var stopReason: StopReason

        /// The returned attempt: the task's answer and score.
        public var final: Attempt { attempts[finalIteration] }
    }

    /// Solves `task`. `recorded` are attempts already made (a resumed run):
    /// they are taken as they are, and the loop goes on from there.
    /// `record` is called with every new attempt before the next starts.
    public func solve(
        _ task: BenchmarkTask, resumingFrom recorded: [Attempt] = [],
        record: @Sendable (Attempt) async throws -> Void = { _ in }
    ) async throws -> Solution {
        let prompts = PromptBuilder(feedback: settings.feedback)
        var attempts = recorded.sorted { $0.iteration < $1.iteration }
        if attempts.isEmpty {
            let first = try await attempt(
                task, iteration: 0, role: .generator, messages: prompts.generation(for: task), refinedFrom: nil)
            attempts.append(first)
            try await record(first)
        }
        while true {
            if let reason = stopReason(attempts) {
                return Solution(attempts: attempts, finalIteration: finalIndex(attempts), stopReason: reason)
            }
            let base = settings.earlyStopping == .best ? bestIndex(attempts) : attempts.count - 1
            let next = try await attempt(
                task, iteration: attempts.count, role: .refiner,
                messages: prompts.refinement(for: task, previous: attempts[base]), refinedFrom: base)
            attempts.append(next)
            try await record(next)
        }
    }

    /// The stopping rule, given the attempts so far.
    func stopReason(_ attempts: [Attempt]) -> StopReason? {
        let last = attempts[attempts.count - 1]
        switch settings.earlyStopping {
        case .pass, .best:
            if last.feedbackVerdict?.passed == true {
                return .passed
            }
        case .none:
            break
        }
        if settings.earlyStopping == .best {
            let best = bestIndex(attempts)
            if attempts.count - 1 - best >= settings.patience {
                return .noImprovement
            }
        }
        return attempts.count > settings.iterations ? .iterationsExhausted : nil
    }

    func finalIndex(_ attempts: [Attempt]) -> Int {
        settings.earlyStopping == .best ? bestIndex(attempts) : attempts.count - 1
    }

    /// The first attempt with the highest rank: a later one must be
    /// strictly better to replace it.
    func bestIndex(_ attempts: [Attempt]) -> Int {
        var best = 0
        for index in attempts.indices.dropFirst()
        where AttemptRanking.rank(attempts[index]) > AttemptRanking.rank(attempts[best]) {
            best = index
        }
        return best
    }

    private func attempt(
        _ task: BenchmarkTask, iteration: Int, role: Attempt.Role, messages: [ChatMessage], refinedFrom: Int?
    ) async throws -> Attempt {
        let clock = ContinuousClock()
        let began = clock.now
        let model = role == .generator ? generator : refiner
        let sampling = role == .generator ? settings.generatorSampling : settings.refinerSampling
        let completion = try await model.complete(CompletionRequest(messages: messages, sampling: sampling))
        let extraction = CodeExtractor.extract(
            from: completion.text, function: task.functionName, prompt: task.suite == .humaneval ? task.prompt : nil)
        var feedback: Verdict?
        var score: Verdict?
        let start = clock.now
        if let program = extraction.program {
            score = try await judge(task.scoringJob(for: program))
            feedback = settings.feedback == .full ? score : try await judge(task.visibleJob(for: program))
        }
        let sandboxTime = start.duration(to: clock.now)
        logger.debug(
            "attempt",
            metadata: [
                "task": "\(task.id)", "iteration": "\(iteration)", "outcome": "\(score?.outcome.rawValue ?? AttemptLabel.noCode)",
            ])
        return Attempt(
            iteration: iteration, role: role, model: role == .generator ? generatorName : refinerName, messages: messages,
            completion: completion, extraction: extraction.method, program: extraction.program,
            feedbackVerdict: feedback, scoreVerdict: score,
            sandboxSeconds: sandboxTime.seconds, wallSeconds: began.duration(to: clock.now).seconds,
            refinedFrom: refinedFrom)
    }

    /// A sandbox failure of our own is recorded as such, never blamed on
    /// the code, and does not end the run.
    private func judge(_ job: SandboxJob) async throws -> Verdict {
        do {
            return try await sandbox.run(job)
        } catch let error as SandboxError where error.code != .invalidJob {
            logger.warning("sandbox error", metadata: ["error": "\(error)"])
            return Verdict(sandboxError: error)
        }
    }
}
