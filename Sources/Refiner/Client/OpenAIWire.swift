/// The JSON bodies of the OpenAI chat-completions API, as far as we use
/// them. Kept apart from the public types so the recorded journal forms can
/// evolve without changing what is sent over the wire, and vice versa.
enum OpenAIWire {
    /// The body of `POST /v1/chat/completions`.
    struct ChatRequest: Encodable {
        var model: String
        var messages: [ChatMessage]
        var temperature: Double
        var seed: Int
        var maxTokens: Int
        var stop: [String]
        var topP: Double?
        var stream = false

        init(model: String, request: CompletionRequest) {
            self.model = model
            self.messages = request.messages
            self.temperature = request.sampling.temperature
            self.seed = request.sampling.seed
            self.maxTokens = request.sampling.maxTokens
            self.stop = request.sampling.stop
            self.topP = request.sampling.topP
        }

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature, seed, stop, stream
            case maxTokens = "max_tokens"
            case topP = "top_p"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(model, forKey: .model)
            try container.encode(messages, forKey: .messages)
            try container.encode(temperature, forKey: .temperature)
            try container.encode(seed, forKey: .seed)
            try container.encode(maxTokens, forKey: .maxTokens)
            // Some servers reject an empty list; leaving it out means "none".
            if !stop.isEmpty { try container.encode(stop, forKey: .stop) }
            try container.encodeIfPresent(topP, forKey: .topP)
            try container.encode(stream, forKey: .stream)
        }
    }

    /// The body of a successful chat completion.
    struct ChatResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                /// Null when the model only called tools; we treat that as empty.
                var content: String?
            }
            var message: Message?
            /// Legacy completions form, sent by a few servers even for chat.
            var text: String?
            var finishReason: String?

            enum CodingKeys: String, CodingKey {
                case message, text
                case finishReason = "finish_reason"
            }
        }
        struct Usage: Decodable {
            var promptTokens: Int?
            var completionTokens: Int?

            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
            }
        }

        var choices: [Choice]
        var usage: Usage?
        var timings: ServerTimings?
        var model: String?

        enum CodingKeys: String, CodingKey {
            case choices, usage, timings, model
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            choices = try container.decode([Choice].self, forKey: .choices)
            // Usage and timings are extras: a server that shapes them oddly
            // still gave us an answer worth keeping.
            usage = try? container.decodeIfPresent(Usage.self, forKey: .usage)
            timings = try? container.decodeIfPresent(ServerTimings.self, forKey: .timings)
            model = try? container.decodeIfPresent(String.self, forKey: .model)
        }
    }

    /// An error body: OpenAI and llama-server send `{"error":{"message":…}}`,
    /// some servers a top-level `message` or a bare string `error`.
    struct ErrorResponse: Decodable {
        struct Detail: Decodable {
            var message: String?
        }
        var message: String?

        enum CodingKeys: String, CodingKey {
            case error, message, detail
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let detail = try? container.decodeIfPresent(Detail.self, forKey: .error), let text = detail.message {
                message = text
            } else if let text = try? container.decodeIfPresent(String.self, forKey: .error) {
                message = text
            } else if let text = try? container.decodeIfPresent(String.self, forKey: .message) {
                message = text
            } else if let text = try? container.decodeIfPresent(String.self, forKey: .detail) {
                message = text
            } else {
                message = nil
            }
        }
    }
}
