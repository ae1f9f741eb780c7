import AsyncHTTPClient
import Logging

/// A model behind a server we manage: when a request finds the server
/// gone, it is restarted (at most `maximumRestarts` times over the run) and
/// the request sent again. A model that keeps dying is an error, not a loop.
/// A request that gets no reply within the request timeout is sent once
/// more before it fails: on a small machine that is usually a stretch of
/// load from something else, and one more wait costs less than ending a
/// benchmark of hours.
public actor RestartingChatModel: ChatModel {
    private var client: OpenAICompatibleClient
    private var endpoint: ModelEndpoint
    private let httpClient: HTTPClient
    private let restart: @Sendable () async throws -> String
    private let logger: Logger
    /// Restarts allowed over the model's lifetime (1 by default): one crash
    /// is healed, a second is an error.
    public let maximumRestarts: Int
    /// Which server the current client talks to (one more per restart).
    private var generation = 0
    /// The restart under way, which other failing requests wait for.
    private var restarting: Task<Void, any Error>?
    /// Restarts so far.
    public private(set) var restarts = 0
    /// Requests sent again after a timeout, so far.
    public private(set) var timeoutRetries = 0

    /// - Parameter restart: brings the server back; returns its base URL
    ///   (the port may change).
    public init(
        endpoint: ModelEndpoint, httpClient: HTTPClient, maximumRestarts: Int = 1,
        logger: Logger = Logger(label: "refine.model"), restart: @escaping @Sendable () async throws -> String
    ) {
        self.endpoint = endpoint
        self.httpClient = httpClient
        self.client = OpenAICompatibleClient(endpoint: endpoint, httpClient: httpClient, logger: logger)
        self.restart = restart
        self.maximumRestarts = maximumRestarts
        self.logger = logger
    }

    /// Sends `request`; when the server cannot be reached and restarts
    /// remain, restarts it and sends the request once more; when it does not
    /// answer within the request timeout, sends it once more. Other errors
    /// pass through.
    public func complete(_ request: CompletionRequest) async throws -> Completion {
        do {
            return try await completeRestartingIfGone(request)
        } catch let error as ModelClientError {
            guard case .timeout = error else { throw error }
            logger.warning("model server gave no reply in time; asking once more", metadata: ["error": "\(error)"])
            timeoutRetries += 1
            return try await completeRestartingIfGone(request)
        }
    }

    private func completeRestartingIfGone(_ request: CompletionRequest) async throws -> Completion {
        let generation = self.generation
        do {
            return try await client.complete(request)
        } catch let error as ModelClientError where error.isConnectionFailure {
            // Requests in flight when the server died all fail; one restart
            // serves them all, and the others wait for it, then retry.
            if generation == self.generation {
                if let restarting {
                    try await restarting.value
                } else {
                    guard restarts < maximumRestarts else { throw error }
                    restarts += 1
                    let restarting = Task { try await self.replaceServer() }
                    self.restarting = restarting
                    defer { self.restarting = nil }
                    try await restarting.value
                    // Said once it worked: during shutdown (Ctrl-C) the servers
                    // are stopped on purpose and the restart is refused.
                    logger.warning("model server was unreachable; restarted it", metadata: ["error": "\(error)"])
                }
            }
            return try await client.complete(request)
        }
    }

    private func replaceServer() async throws {
        let baseURL = try await restart()
        endpoint = try ModelEndpoint(
            baseURL: baseURL, model: endpoint.model, apiKey: endpoint.apiKey, requestTimeout: endpoint.requestTimeout)
        client = OpenAICompatibleClient(endpoint: endpoint, httpClient: httpClient, logger: logger)
        generation += 1
    }
}
