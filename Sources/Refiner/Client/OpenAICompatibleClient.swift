import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// A ``ChatModel`` that talks to llama.cpp's llama-server or any other
/// OpenAI-compatible server (vLLM, SGLang) over HTTP.
///
/// ```swift
/// let endpoint = try ModelEndpoint(baseURL: "http://127.0.0.1:8080")
/// try await OpenAICompatibleClient.withClient(endpoint: endpoint, logger: logger) { model in
///     guard await model.checkHealth().isReady else { … }
///     let reply = try await model.complete(CompletionRequest(messages: [.user("Write fizzbuzz.")]))
/// }
/// ```
///
/// The client is a value that borrows an `HTTPClient`; whoever created
/// that `HTTPClient` shuts it down. ``withClient(endpoint:connectTimeout:logger:isolation:_:)``
/// does both for you with a configuration suited to model servers (see
/// ``httpClientConfiguration(connectTimeout:)``). Requests are
/// non-streaming: the loop needs the whole answer before it can run it.
public struct OpenAICompatibleClient: ChatModel {
    /// Where requests go and how long they may take.
    public let endpoint: ModelEndpoint
    let httpClient: HTTPClient
    let logger: Logger

    /// Replies larger than this are refused as malformed: a chat completion
    /// of a few thousand tokens is tens of kilobytes.
    static let maxResponseBytes = 16 * 1024 * 1024

    /// A client for `endpoint` that sends its requests through `httpClient`,
    /// which the caller keeps alive and shuts down. Prefer an `HTTPClient`
    /// made with ``httpClientConfiguration(connectTimeout:)``: with
    /// AsyncHTTPClient's defaults a stopped server is retried until the
    /// request timeout instead of failing at once.
    public init(
        endpoint: ModelEndpoint, httpClient: HTTPClient, logger: Logger = Logger(label: "refine.model-client")
    ) {
        self.endpoint = endpoint
        self.httpClient = httpClient
        self.logger = logger
    }

    /// The `HTTPClient` configuration for model servers:
    /// - a refused connection fails the request at once (no retry until the
    ///   deadline) so a dead server is noticed, restarted and retried by
    ///   the loop within seconds;
    /// - a connection that cannot be made within `connectTimeout` fails as
    ///   unreachable;
    /// - idle connections are dropped after 2 s, before llama-server's own
    ///   5 s keep-alive limit closes them under a request about to reuse
    ///   them (which would look like a crash);
    /// - no redirects, since a POST must not be silently re-sent elsewhere.
    public static func httpClientConfiguration(connectTimeout: Duration = .seconds(5)) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: connectTimeout.timeAmount)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.idleTimeout = .seconds(2)
        configuration.redirectConfiguration = .disallow
        return configuration
    }

    /// Runs `body` with a client for `endpoint` on an `HTTPClient` of its
    /// own (configured by ``httpClientConfiguration(connectTimeout:)``),
    /// and shuts that `HTTPClient` down when `body` returns or throws, so
    /// no connection outlives the run.
    public static func withClient<Result>(
        endpoint: ModelEndpoint, connectTimeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "refine.model-client"),
        isolation: isolated (any Actor)? = #isolation,
        _ body: (OpenAICompatibleClient) async throws -> Result
    ) async throws -> Result {
        try await HTTPClient.withHTTPClient(
            configuration: httpClientConfiguration(connectTimeout: connectTimeout),
            backgroundActivityLogger: logger,
            isolation: isolation
        ) { httpClient in
            try await body(OpenAICompatibleClient(endpoint: endpoint, httpClient: httpClient, logger: logger))
        }
    }

    /// Sends `request` to `POST /v1/chat/completions` and returns the first
    /// choice. Throws ``ModelClientError`` for every failure (check
    /// ``ModelClientError/isConnectionFailure`` to decide on a restart) and
    /// `CancellationError` when the task is cancelled. An empty or null
    /// reply is returned as a completion with empty text.
    public func complete(_ request: CompletionRequest) async throws -> Completion {
        let url = endpoint.chatCompletionsURL
        let payload: Data
        do {
            payload = try JSONEncoder().encode(OpenAIWire.ChatRequest(model: endpoint.model, request: request))
        } catch {
            throw ModelClientError.requestFailed(url: url, reason: "could not encode the request: \(error)")
        }
        var httpRequest = HTTPClientRequest(url: url)
        httpRequest.method = .POST
        addStandardHeaders(to: &httpRequest)
        httpRequest.headers.add(name: "Content-Type", value: "application/json")
        httpRequest.body = .bytes(ByteBuffer(bytes: payload))

        logger.debug(
            "requesting completion",
            metadata: [
                "url": "\(url)", "messages": "\(request.messages.count)",
                "max_tokens": "\(request.sampling.maxTokens)", "temperature": "\(request.sampling.temperature)",
            ])
        let started = ContinuousClock.now
        let reply = try await send(httpRequest, url: url, timeout: endpoint.requestTimeout)
        let wallTime = ContinuousClock.now - started

        guard (200..<300).contains(reply.status) else {
            let error = ModelClientError.httpStatus(
                url: url, status: reply.status, message: Self.errorMessage(in: reply.body))
            logger.debug("completion failed", metadata: ["error": "\(error)"])
            throw error
        }
        let completion = try Self.decodeCompletion(reply.body, url: url, wallTime: wallTime)
        logger.debug(
            "completion received",
            metadata: [
                "finish_reason": "\(completion.finishReason?.rawValue ?? "none")",
                "completion_tokens": "\(completion.completionTokens.map(String.init) ?? "unknown")",
                "wall_seconds": "\(wallTime.seconds)",
            ])
        return completion
    }

    /// A reply's status and whole body.
    struct Reply {
        var status: Int
        var body: ByteBuffer
    }

    /// Executes `request` and collects its body, turning every transport
    /// failure into a ``ModelClientError`` (or `CancellationError`).
    func send(_ request: HTTPClientRequest, url: String, timeout: Duration) async throws -> Reply {
        do {
            let response = try await httpClient.execute(request, timeout: timeout.timeAmount, logger: logger)
            let body = try await response.body.collect(upTo: Self.maxResponseBytes)
            return Reply(status: Int(response.status.code), body: body)
        } catch {
            throw Self.transportError(error, url: url, timeout: timeout)
        }
    }

    /// Headers every request carries: what we accept, who we are, and the
    /// key for servers that want one.
    func addStandardHeaders(to request: inout HTTPClientRequest) {
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "refine")
        if let apiKey = endpoint.apiKey {
            request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        }
    }

    /// Parses a 2xx body into a ``Completion``.
    static func decodeCompletion(_ body: ByteBuffer, url: String, wallTime: Duration) throws(ModelClientError)
        -> Completion
    {
        let decoded: OpenAIWire.ChatResponse
        do {
            decoded = try JSONDecoder().decode(OpenAIWire.ChatResponse.self, from: Data(body.readableBytesView))
        } catch {
            throw .malformedResponse(
                url: url, reason: "\(describeDecodingError(error)); body starts: \(snippet(of: body))")
        }
        guard let choice = decoded.choices.first else {
            throw .malformedResponse(url: url, reason: "no choices in the reply; body starts: \(snippet(of: body))")
        }
        return Completion(
            text: choice.message?.content ?? choice.text ?? "",
            finishReason: choice.finishReason.map(Completion.FinishReason.init(rawValue:)),
            promptTokens: decoded.usage?.promptTokens,
            completionTokens: decoded.usage?.completionTokens,
            serverTimings: decoded.timings,
            wallTime: wallTime,
            model: decoded.model
        )
    }
}
