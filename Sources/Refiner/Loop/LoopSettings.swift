/// When the loop stops refining.
public enum EarlyStopping: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stop as soon as the code passes (the published rule).
    case pass
    /// Stop on a pass, or after `patience` rounds without improvement;
    /// never return a candidate worse than the best seen.
    case best
    /// Always run every iteration and keep the last code: the ablation that
    /// shows what forced refinement costs.
    case none
}

/// Which test failures the refiner is shown.
public enum FeedbackScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// The scoring tests themselves (the published setup).
    case full
    /// Only HumanEval's docstring examples or MBPP's first assert; the final
    /// score still uses every test.
    case visible
}

/// How one task is solved: iterations, stopping, feedback and sampling.
public struct LoopSettings: Sendable, Hashable, Codable {
    /// Refinement rounds after the first attempt.
    public var iterations: Int
    /// When to stop refining: `best` (the default) stops on a pass or after
    /// ``patience`` rounds without improvement and keeps the best attempt.
    public var earlyStopping: EarlyStopping
    /// Rounds without improvement before `best` stops.
    public var patience: Int
    /// Which test failures the refiner sees; `full` (the published setup) by
    /// default.
    public var feedback: FeedbackScope
    /// Sampling for the first attempt: greedy, 512 tokens by default (the
    /// CLI's `--max-tokens`).
    public var generatorSampling: SamplingSettings
    /// Sampling for refinements; the CLI gives both roles the same
    /// settings.
    public var refinerSampling: SamplingSettings

    /// Settings whose defaults are the CLI's: 3 refinements, `best` with a
    /// patience of 2, full feedback, greedy 512-token replies.
    public init(
        iterations: Int = 3, earlyStopping: EarlyStopping = .best, patience: Int = 2, feedback: FeedbackScope = .full,
        generatorSampling: SamplingSettings = SamplingSettings(maxTokens: 512),
        refinerSampling: SamplingSettings = SamplingSettings(maxTokens: 512)
    ) {
        self.iterations = iterations
        self.earlyStopping = earlyStopping
        self.patience = patience
        self.feedback = feedback
        self.generatorSampling = generatorSampling
        self.refinerSampling = refinerSampling
    }

    enum CodingKeys: String, CodingKey {
        case iterations
        case earlyStopping = "early_stopping"
        case patience, feedback
        case generatorSampling = "generator_sampling"
        case refinerSampling = "refiner_sampling"
    }
}
