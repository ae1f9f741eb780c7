/// How the model samples its answer.
///
/// These settings decide whether a run can be reproduced, so they are
/// recorded in every journal. The defaults are greedy decoding (temperature
/// 0) with a fixed seed, which makes a local llama-server answer the same
/// prompt with the same text run after run. The JSON form uses fixed
/// snake_case keys (`temperature`, `seed`, `max_tokens`, `stop`, `top_p`)
/// that match the OpenAI request fields, omits `top_p` when unset, and
/// decodes missing keys to the defaults so older journals stay readable.
public struct SamplingSettings: Sendable, Hashable, Codable {
    /// The seed used unless one is given: fixed so that two runs with the
    /// same settings ask the server for the same random stream.
    public static let defaultSeed = 1234
    /// Enough tokens for one benchmark function with some explanation,
    /// small enough that a runaway answer is cut off quickly on a CPU.
    public static let defaultMaxTokens = 768

    /// Greedy decoding with the default seed and token budget: the
    /// reproducible baseline every experiment starts from.
    public static let greedy = SamplingSettings()

    /// Softmax temperature; 0 picks the most likely token every time.
    public var temperature: Double
    /// The server's random seed, so sampled runs (temperature > 0) can be
    /// repeated too.
    public var seed: Int
    /// The most tokens the model may produce; an answer cut here ends with
    /// ``Completion/FinishReason/length``.
    public var maxTokens: Int
    /// Strings at which the server stops generating (not included in the
    /// text); empty means none and is left out of the request.
    public var stop: [String]
    /// Nucleus-sampling cut-off; nil leaves the server's default in place.
    public var topP: Double?

    /// Settings with the given values; every default is the reproducible
    /// greedy baseline.
    public init(
        temperature: Double = 0, seed: Int = SamplingSettings.defaultSeed,
        maxTokens: Int = SamplingSettings.defaultMaxTokens, stop: [String] = [], topP: Double? = nil
    ) {
        self.temperature = temperature
        self.seed = seed
        self.maxTokens = maxTokens
        self.stop = stop
        self.topP = topP
    }

    enum CodingKeys: String, CodingKey {
        case temperature
        case seed
        case maxTokens = "max_tokens"
        case stop
        case topP = "top_p"
    }

    /// Reads the journal form; missing keys take their defaults so journals
    /// written before a field existed still load.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        temperature = try container.decodeIfPresent(Double.self, forKey: .temperature) ?? 0
        seed = try container.decodeIfPresent(Int.self, forKey: .seed) ?? Self.defaultSeed
        maxTokens = try container.decodeIfPresent(Int.self, forKey: .maxTokens) ?? Self.defaultMaxTokens
        stop = try container.decodeIfPresent([String].self, forKey: .stop) ?? []
        topP = try container.decodeIfPresent(Double.self, forKey: .topP)
    }

    /// Writes the journal form: every field but an unset `top_p`, under
    /// the fixed snake_case keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(temperature, forKey: .temperature)
        try container.encode(seed, forKey: .seed)
        try container.encode(maxTokens, forKey: .maxTokens)
        try container.encode(stop, forKey: .stop)
        try container.encodeIfPresent(topP, forKey: .topP)
    }
}
