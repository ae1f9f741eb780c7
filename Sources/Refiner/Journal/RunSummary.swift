import Foundation

/// The numbers of a benchmark run, computed from its journal alone.
public struct RunSummary: Sendable, Codable, Hashable {
    /// The suite the run used.
    public var suite: BenchmarkSuite
    /// The generator's model name.
    public var generator: String
    /// The refiner's model name.
    public var refiner: String
    /// What the refiner was shown: failures of the scoring tests, or of the
    /// visible ones only.
    public var feedback: FeedbackScope
    /// The stopping rule the loop used.
    public var earlyStopping: EarlyStopping
    /// Refinement rounds allowed after the first attempt.
    public var iterations: Int
    /// Repetitions the header asked for (some may be unfinished).
    public var runs: Int
    /// Tasks per run (the header's task list).
    public var tasksPerRun: Int
    /// Finished tasks over all runs; fewer than runs × ``tasksPerRun``
    /// means the summary is of an unfinished run.
    public var finishedTasks: Int

    /// pass@1 of the first attempt, one value per run with finished tasks
    /// (each over its finished tasks): the baseline without refinement.
    public var initialPassAt1: Spread
    /// pass@1 of the returned attempt, per run likewise: the loop's result.
    public var finalPassAt1: Spread
    /// How far apart they are, in standard deviations; see ``gapMethod``.
    public var gapInStandardDeviations: Double?
    /// How ``gapInStandardDeviations`` was computed, in words: over the
    /// first attempt's run-to-run spread when two or more runs vary, else
    /// McNemar's z over paired tasks; or why there is no gap.
    public var gapMethod: String
    /// pass@1 if the loop had been cut after each iteration (0 = no refinement).
    public var passAt1ByIteration: [Spread]

    /// First attempt's label → returned attempt's label, counted over tasks.
    public var transitions: [Transition]
    /// Among tasks whose first attempt failed with a label, how many ended passing.
    public var fixRates: [FixRate]
    /// For each refinement iteration: attempts that turned a failing
    /// candidate into a passing one, and the reverse.
    public var iterationEffects: [IterationEffect]
    /// Passing candidates that a refinement broke (the cost of forcing it).
    public var passingBrokenByRefinement: Int
    /// Attempts whose reply held no code to run (label `no_code`).
    public var noCodeReplies: Int
    /// Attempts whose scoring run failed in our own machinery
    /// (`sandbox_error`); above 0, some verdicts say nothing about the code.
    public var sandboxErrors: Int

    /// Prompt and completion tokens per role, and generation speed.
    public var tokens: TokenUse
    /// Where the time went: models, sandbox, the rest.
    public var time: TimeUse

    /// A quantity measured once per run: its mean, its spread across runs,
    /// and the values themselves.
    public struct Spread: Sendable, Codable, Hashable {
        /// The mean over runs (0 with none).
        public var mean: Double
        /// Sample standard deviation over runs (n − 1); 0 with fewer than two
        /// runs.
        public var standardDeviation: Double
        /// One value per run with finished tasks, in run order.
        public var values: [Double]

        init(_ values: [Double]) {
            let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            let squares = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            self.values = values
            self.mean = mean
            standardDeviation = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0
        }

        enum CodingKeys: String, CodingKey {
            case mean
            case standardDeviation = "sd"
            case values
        }
    }

    /// One cell of the first-label → returned-label table: how many tasks
    /// went from `from` to `to`.
    public struct Transition: Sendable, Codable, Hashable {
        /// The first attempt's label.
        public var from: String
        /// The returned attempt's label.
        public var to: String
        /// Tasks with this pair of labels, over all runs.
        public var count: Int

        /// A cell of the transition table.
        public init(from: String, to: String, count: Int) {
            self.from = from
            self.to = to
            self.count = count
        }
    }

    /// How often the loop rescued tasks whose first attempt failed with one
    /// label: which failures refinement can fix.
    public struct FixRate: Sendable, Codable, Hashable {
        /// The first attempt's label (`assertion_error`, `no_code`, …).
        public var label: String
        /// Tasks whose first attempt had this label.
        public var failures: Int
        /// Of those, tasks whose returned attempt passed.
        public var fixed: Int
        /// `fixed / failures`, from 0 to 1.
        public var rate: Double
    }

    /// What the refinements of one iteration did to the attempts they
    /// refined: fixes, breakages and their balance.
    public struct IterationEffect: Sendable, Codable, Hashable {
        /// The refinement iteration (1: the first refinement).
        public var iteration: Int
        /// Refinements made at this iteration.
        public var attempts: Int
        /// Refinements that passed where the attempt they refined failed.
        public var fixed: Int
        /// Refinements that failed where the attempt they refined passed.
        public var broken: Int
        /// `fixed − broken`: above 0 when this iteration helped.
        public var net: Int
    }

    /// Tokens the servers reported, per role; replies without usage counts
    /// add nothing.
    public struct TokenUse: Sendable, Codable, Hashable {
        /// Prompt tokens of the generator's requests.
        public var generatorPrompt: Int
        /// Tokens the generator produced.
        public var generatorCompletion: Int
        /// Prompt tokens of the refiner's requests.
        public var refinerPrompt: Int
        /// Tokens the refiner produced.
        public var refinerCompletion: Int
        /// Completion tokens per second of server generation time.
        public var generatorTokensPerSecond: Double?
        /// The same for the refiner; nil when its server reported no timings
        /// (not a llama-server).
        public var refinerTokensPerSecond: Double?

        enum CodingKeys: String, CodingKey {
            case generatorPrompt = "generator_prompt"
            case generatorCompletion = "generator_completion"
            case refinerPrompt = "refiner_prompt"
            case refinerCompletion = "refiner_completion"
            case generatorTokensPerSecond = "generator_tokens_per_second"
            case refinerTokensPerSecond = "refiner_tokens_per_second"
        }
    }

    /// Where the time went, in seconds summed over tasks (tasks in flight
    /// at once overlap, so the sums can exceed the elapsed time).
    public struct TimeUse: Sendable, Codable, Hashable {
        /// Time spent on tasks, over all sessions.
        public var wallSeconds: Double
        /// Time the model servers reported spending on prompts and generation.
        public var modelSeconds: Double
        /// Time in the sandbox: scoring and feedback runs.
        public var sandboxSeconds: Double
        /// Everything that is not the models generating: sandbox, HTTP,
        /// extraction, journal; as a share of wall time.
        public var loopOverheadFraction: Double
        /// Mean wall time of a finished task.
        public var secondsPerTask: Double

        enum CodingKeys: String, CodingKey {
            case wallSeconds = "wall_seconds"
            case modelSeconds = "model_seconds"
            case sandboxSeconds = "sandbox_seconds"
            case loopOverheadFraction = "loop_overhead_fraction"
            case secondsPerTask = "seconds_per_task"
        }
    }

    enum CodingKeys: String, CodingKey {
        case suite, generator, refiner, feedback
        case earlyStopping = "early_stopping"
        case iterations, runs
        case tasksPerRun = "tasks_per_run"
        case finishedTasks = "finished_tasks"
        case initialPassAt1 = "initial_pass_at_1"
        case finalPassAt1 = "final_pass_at_1"
        case gapInStandardDeviations = "gap_sd"
        case gapMethod = "gap_method"
        case passAt1ByIteration = "pass_at_1_by_iteration"
        case transitions
        case fixRates = "fix_rates"
        case iterationEffects = "iteration_effects"
        case passingBrokenByRefinement = "passing_broken_by_refinement"
        case noCodeReplies = "no_code_replies"
        case sandboxErrors = "sandbox_errors"
        case tokens, time
    }

    // MARK: - Computing

    /// Computes every number from `journal` alone, counting finished tasks
    /// only, so a partial or resumed run gets a consistent summary.
    public init(_ journal: JournalContents) {
        let header = journal.header
        let results = journal.orderedResults
        suite = header.suite
        generator = header.generator.name
        refiner = header.refiner.name
        feedback = header.settings.feedback
        earlyStopping = header.settings.earlyStopping
        iterations = header.settings.iterations
        runs = header.runs
        tasksPerRun = header.taskIDs.count
        finishedTasks = results.count

        let byRun = Dictionary(grouping: results, by: \.run)
        let runIndices = (0..<header.runs).filter { byRun[$0] != nil }
        func rate(_ run: Int, _ passed: (TaskResult) -> Bool) -> Double {
            let tasks = byRun[run] ?? []
            return tasks.isEmpty ? 0 : Double(tasks.filter(passed).count) / Double(tasks.count)
        }
        initialPassAt1 = Spread(runIndices.map { rate($0, \.initialPassed) })
        finalPassAt1 = Spread(runIndices.map { rate($0, \.finalPassed) })

        // Paired counts across all finished tasks.
        let fixed = results.filter { !$0.initialPassed && $0.finalPassed }.count
        let broken = results.filter { $0.initialPassed && !$0.finalPassed }.count
        if runIndices.count >= 2 && initialPassAt1.standardDeviation > 0 {
            gapInStandardDeviations = (finalPassAt1.mean - initialPassAt1.mean) / initialPassAt1.standardDeviation
            gapMethod = "difference of mean pass@1 over the run-to-run standard deviation of the first attempt"
        } else if fixed + broken > 0 {
            gapInStandardDeviations = Double(fixed - broken) / Double(fixed + broken).squareRoot()
            gapMethod = "McNemar z: (fixed - broken) / sqrt(fixed + broken), paired over tasks"
        } else {
            gapInStandardDeviations = nil
            gapMethod = "no task changed between the first and the returned attempt"
        }

        // pass@1 had the loop been cut after each iteration.
        let settings = header.settings
        passAt1ByIteration = (0...max(settings.iterations, 0)).map { cut in
            Spread(
                runIndices.map { run in
                    let tasks = byRun[run] ?? []
                    guard !tasks.isEmpty else { return 0 }
                    let passing = tasks.filter { result in
                        let attempts = journal.attempts[TaskKey(run: run, taskID: result.taskID)] ?? []
                        return Self.candidate(after: cut, attempts: attempts, settings: settings)?.passed ?? false
                    }
                    return Double(passing.count) / Double(tasks.count)
                })
        }

        var transitionCounts: [String: [String: Int]] = [:]
        for result in results {
            transitionCounts[result.initialLabel, default: [:]][result.finalLabel, default: 0] += 1
        }
        transitions = transitionCounts.flatMap { from, targets in
            targets.map { Transition(from: from, to: $0.key, count: $0.value) }
        }.sorted { ($0.from, $0.to) < ($1.from, $1.to) }

        fixRates = Dictionary(grouping: results.filter { !$0.initialPassed }, by: \.initialLabel)
            .map { label, tasks in
                let fixedCount = tasks.filter(\.finalPassed).count
                return FixRate(label: label, failures: tasks.count, fixed: fixedCount, rate: Double(fixedCount) / Double(tasks.count))
            }
            .sorted { ($0.failures, $1.label) > ($1.failures, $0.label) }

        // Effects of each refinement on the candidate it refined.
        let finishedKeys = Set(results.map { TaskKey(run: $0.run, taskID: $0.taskID) })
        let allAttempts = journal.attempts.filter { finishedKeys.contains($0.key) }.values
        var effects: [Int: IterationEffect] = [:]
        var passingBroken = 0
        for attempts in allAttempts {
            for attempt in attempts where attempt.iteration > 0 {
                guard let source = attempt.refinedFrom, let base = attempts.first(where: { $0.iteration == source }) else {
                    continue
                }
                var effect = effects[attempt.iteration] ?? IterationEffect(iteration: attempt.iteration, attempts: 0, fixed: 0, broken: 0, net: 0)
                effect.attempts += 1
                if !base.passed && attempt.passed { effect.fixed += 1 }
                if base.passed && !attempt.passed {
                    effect.broken += 1
                    passingBroken += 1
                }
                effect.net = effect.fixed - effect.broken
                effects[attempt.iteration] = effect
            }
        }
        iterationEffects = effects.values.sorted { $0.iteration < $1.iteration }
        passingBrokenByRefinement = passingBroken

        let attemptsFlat = allAttempts.flatMap { $0 }
        noCodeReplies = attemptsFlat.filter { $0.program == nil }.count
        sandboxErrors = attemptsFlat.filter { $0.scoreVerdict?.outcome == .sandboxError }.count

        let generatorAttempts = attemptsFlat.filter { $0.role == .generator }
        let refinerAttempts = attemptsFlat.filter { $0.role == .refiner }
        func tokensPerSecond(_ attempts: [Attempt]) -> Double? {
            // Tokens and time from the same replies: those the server timed.
            let timed = attempts.compactMap { attempt -> (tokens: Int, seconds: Double)? in
                guard let timings = attempt.completion.serverTimings,
                    let tokens = timings.predictedTokens ?? attempt.completion.completionTokens
                else { return nil }
                return (tokens, timings.predictedMilliseconds / 1000)
            }
            let seconds = timed.map(\.seconds).reduce(0, +)
            return seconds > 0 ? Double(timed.map(\.tokens).reduce(0, +)) / seconds : nil
        }
        tokens = TokenUse(
            generatorPrompt: generatorAttempts.compactMap(\.completion.promptTokens).reduce(0, +),
            generatorCompletion: generatorAttempts.compactMap(\.completion.completionTokens).reduce(0, +),
            refinerPrompt: refinerAttempts.compactMap(\.completion.promptTokens).reduce(0, +),
            refinerCompletion: refinerAttempts.compactMap(\.completion.completionTokens).reduce(0, +),
            generatorTokensPerSecond: tokensPerSecond(generatorAttempts),
            refinerTokensPerSecond: tokensPerSecond(refinerAttempts))

        let wall = results.map(\.wallSeconds).reduce(0, +)
        let model = attemptsFlat.map { $0.completion.generationTime.seconds }.reduce(0, +)
        time = TimeUse(
            wallSeconds: wall, modelSeconds: model, sandboxSeconds: attemptsFlat.map(\.sandboxSeconds).reduce(0, +),
            loopOverheadFraction: wall > 0 ? max(0, wall - model) / wall : 0,
            secondsPerTask: results.isEmpty ? 0 : wall / Double(results.count))
    }

    /// The attempt the loop would have returned had it been allowed only
    /// `cut` refinements.
    static func candidate(after cut: Int, attempts: [Attempt], settings: LoopSettings) -> Attempt? {
        let available = attempts.filter { $0.iteration <= cut }
        guard !available.isEmpty else { return nil }
        if settings.earlyStopping == .best {
            var best = available[0]
            for attempt in available.dropFirst() where AttemptRanking.rank(attempt) > AttemptRanking.rank(best) {
                best = attempt
            }
            return best
        }
        return available.last
    }
}
