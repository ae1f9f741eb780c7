import Foundation

/// Where a chat model is served and how to ask it.
///
/// One value describes a llama-server we started ourselves as well as a
/// remote OpenAI-compatible server (vLLM, SGLang): only the URL, the model
/// name and possibly a key differ. The URL is checked once here so a typo
/// fails before a long run starts, not at the first request.
public struct ModelEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The server's root, e.g. `http://127.0.0.1:8080`: no trailing slash
    /// and no `/v1`, which the client adds itself.
    public let baseURL: String
    /// The model name sent with each request. llama-server serves whatever
    /// it loaded and ignores it; vLLM and SGLang route by it.
    public var model: String
    /// Sent as `Authorization: Bearer …` to servers that require a key;
    /// never printed or recorded.
    public var apiKey: String?
    /// How long one completion may take, from sending to the last byte.
    /// Generous by default because a CPU-only server can take minutes for
    /// a long answer.
    public var requestTimeout: Duration

    /// The model name used when none is given; local llama-server ignores it.
    public static let defaultModel = "local"
    /// The request timeout used when none is given.
    public static let defaultRequestTimeout = Duration.seconds(600)

    /// An endpoint at `baseURL`, which may be given with a trailing slash
    /// or a trailing `/v1` (the usual `OPENAI_BASE_URL` form): both are
    /// removed. Throws ``ModelClientError/invalidEndpoint(_:reason:)`` for
    /// a URL that is not `http(s)://host[:port][/path]`.
    public init(
        baseURL: String, model: String = ModelEndpoint.defaultModel, apiKey: String? = nil,
        requestTimeout: Duration = ModelEndpoint.defaultRequestTimeout
    ) throws(ModelClientError) {
        self.baseURL = try Self.normalize(baseURL)
        self.model = model
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.requestTimeout = requestTimeout
    }

    /// `POST` here for a chat completion.
    public var chatCompletionsURL: String { baseURL + "/v1/chat/completions" }
    /// llama-server's readiness probe (503 while the model loads).
    public var healthURL: String { baseURL + "/health" }
    /// The OpenAI model list, the readiness probe for servers without
    /// `/health`.
    public var modelsURL: String { baseURL + "/v1/models" }

    /// The URL and model, never the key, so endpoints can be logged.
    public var description: String {
        "\(baseURL) (model \(model)\(apiKey == nil ? "" : ", with API key"))"
    }

    private static func normalize(_ raw: String) throws(ModelClientError) -> String {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/v1") { text.removeLast(3) }
        while text.hasSuffix("/") { text.removeLast() }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw .invalidEndpoint(raw, reason: "not a URL; expected e.g. http://127.0.0.1:8080")
        }
        guard scheme == "http" || scheme == "https" else {
            throw .invalidEndpoint(raw, reason: "scheme must be http or https, not \(scheme)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidEndpoint(raw, reason: "no host; expected e.g. http://127.0.0.1:8080")
        }
        guard components.query == nil, components.fragment == nil else {
            throw .invalidEndpoint(raw, reason: "must not have a query or fragment")
        }
        return text
    }
}
