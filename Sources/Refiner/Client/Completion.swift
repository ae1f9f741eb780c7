/// A model's answer with what it cost.
///
/// Besides the text, a completion keeps the token counts and two clocks:
/// the server's own generation time (llama-server's `timings`, when sent)
/// and the wall time we measured around the request. Their difference is
/// queueing, HTTP and model-loading overhead, which matters when comparing
/// refinement strategies by "time the model server spent generating".
/// The JSON form uses fixed snake_case keys because completions are
/// recorded in journals.
public struct Completion: Sendable, Hashable, Codable {
    /// Why the server stopped generating; journals keep the server's word
    /// verbatim, so this is an open set of strings with the common ones
    /// named.
    public struct FinishReason: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The server's own word, e.g. `"stop"`.
        public var rawValue: String

        /// Wraps the server's word.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The model ended its answer or hit a stop sequence.
        public static let stop = FinishReason(rawValue: "stop")
        /// The answer was cut at `max_tokens`: the code in it may be
        /// incomplete, which the loop may want to report as such.
        public static let length = FinishReason(rawValue: "length")

        /// The raw word, so messages read naturally.
        public var description: String { rawValue }

        /// Reads the bare string form.
        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        /// Writes the bare string form.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    /// The assistant's reply; empty when the model said nothing.
    public var text: String
    /// Why generation stopped; nil when the server did not say.
    public var finishReason: FinishReason?
    /// Tokens in the prompt as the server counted them (`usage`), when sent.
    public var promptTokens: Int?
    /// Tokens in the reply as the server counted them (`usage`), when sent.
    public var completionTokens: Int?
    /// The server's own clock (llama-server's `timings`); nil for servers
    /// that do not report it.
    public var serverTimings: ServerTimings?
    /// The wall time of the request as measured by the client, from send
    /// to the last byte of the reply.
    public var wallTime: Duration
    /// The model name the server reported, which may differ from the name
    /// asked for (llama-server reports the loaded file).
    public var model: String?

    /// A completion with the given fields; the client builds these from
    /// server replies, fakes build them directly.
    public init(
        text: String, finishReason: FinishReason? = .stop, promptTokens: Int? = nil, completionTokens: Int? = nil,
        serverTimings: ServerTimings? = nil, wallTime: Duration = .zero, model: String? = nil
    ) {
        self.text = text
        self.finishReason = finishReason
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.serverTimings = serverTimings
        self.wallTime = wallTime
        self.model = model
    }

    /// The time the server spent on this request: its own prompt plus
    /// generation time when it reported one, else our wall time (an upper
    /// bound), so totals can always be summed.
    public var generationTime: Duration {
        serverTimings?.totalTime ?? wallTime
    }

    /// True when the answer was cut off at the token limit.
    public var wasTruncated: Bool { finishReason == .length }

    enum CodingKeys: String, CodingKey {
        case text
        case finishReason = "finish_reason"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case serverTimings = "timings"
        case wallSeconds = "wall_seconds"
        case model
    }

    /// Reads the journal form; absent optional fields stay nil.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        text = try container.decode(String.self, forKey: .text)
        finishReason = try container.decodeIfPresent(FinishReason.self, forKey: .finishReason)
        promptTokens = try container.decodeIfPresent(Int.self, forKey: .promptTokens)
        completionTokens = try container.decodeIfPresent(Int.self, forKey: .completionTokens)
        serverTimings = try container.decodeIfPresent(ServerTimings.self, forKey: .serverTimings)
        wallTime = try .seconds(container.decodeIfPresent(Double.self, forKey: .wallSeconds) ?? 0)
        model = try container.decodeIfPresent(String.self, forKey: .model)
    }

    /// Writes the journal form, with the wall time in seconds.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encodeIfPresent(finishReason, forKey: .finishReason)
        try container.encodeIfPresent(promptTokens, forKey: .promptTokens)
        try container.encodeIfPresent(completionTokens, forKey: .completionTokens)
        try container.encodeIfPresent(serverTimings, forKey: .serverTimings)
        try container.encode(wallTime.seconds, forKey: .wallSeconds)
        try container.encodeIfPresent(model, forKey: .model)
    }
}
