/// The model server's own account of where a request's time went.
///
/// llama-server adds a `timings` object to every completion; keeping it
/// lets us separate the time spent evaluating the prompt (which prompt
/// caching shortens on later refinement turns) from the time spent
/// generating, independent of HTTP and queueing overhead. The JSON form is
/// llama-server's own (`prompt_ms`, `predicted_ms`, …) so a recorded
/// reply reads like the server's.
public struct ServerTimings: Sendable, Hashable, Codable {
    /// Milliseconds spent evaluating the prompt (`prompt_ms`).
    public var promptMilliseconds: Double
    /// Milliseconds spent generating the reply (`predicted_ms`).
    public var predictedMilliseconds: Double
    /// Generation speed in tokens per second (`predicted_per_second`).
    public var predictedPerSecond: Double?
    /// Prompt tokens actually evaluated, i.e. not served from the cache
    /// (`prompt_n`).
    public var promptTokens: Int?
    /// Tokens generated (`predicted_n`).
    public var predictedTokens: Int?
    /// Prompt tokens reused from the server's cache (`cache_n`).
    public var cachedTokens: Int?

    /// Timings as a server reported them.
    public init(
        promptMilliseconds: Double, predictedMilliseconds: Double, predictedPerSecond: Double? = nil,
        promptTokens: Int? = nil, predictedTokens: Int? = nil, cachedTokens: Int? = nil
    ) {
        self.promptMilliseconds = promptMilliseconds
        self.predictedMilliseconds = predictedMilliseconds
        self.predictedPerSecond = predictedPerSecond
        self.promptTokens = promptTokens
        self.predictedTokens = predictedTokens
        self.cachedTokens = cachedTokens
    }

    /// Prompt evaluation plus generation: the time the server spent
    /// computing this answer.
    public var totalTime: Duration {
        .milliseconds(promptMilliseconds + predictedMilliseconds)
    }

    enum CodingKeys: String, CodingKey {
        case promptMilliseconds = "prompt_ms"
        case predictedMilliseconds = "predicted_ms"
        case predictedPerSecond = "predicted_per_second"
        case promptTokens = "prompt_n"
        case predictedTokens = "predicted_n"
        case cachedTokens = "cache_n"
    }
}
