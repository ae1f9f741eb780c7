import AsyncHTTPClient
import Logging

/// A model behind a server we manage: when a request finds the server
/// gone, it is restarted (at most `maximumRestarts` times over the run) and
/// the request sent again. A model that keeps dying is an error, not a loop.
public actor RestartingChatModel: ChatModel {
    private var client: OpenAICompatibleClient
    private var endpoint: ModelEndpoint
    private let httpClient: HTTPClient
    private let restart: @Sendable () async throws -> String
    private let logger: Logger
    public let maximumRestarts: Int
    /// Restarts so far.
    public private(set) var restarts = 0

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

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        do {
            return try await client.complete(request)
        } catch let error as ModelClientError where error.isConnectionFailure && restarts < maximumRestarts {
            restarts += 1
            logger.warning("model server unreachable; restarting it", metadata: ["error": "\(error)"])
            let baseURL = try await restart()
            endpoint = try ModelEndpoint(
                baseURL: baseURL, model: endpoint.model, apiKey: endpoint.apiKey, requestTimeout: endpoint.requestTimeout)
            client = OpenAICompatibleClient(endpoint: endpoint, httpClient: httpClient, logger: logger)
            return try await client.complete(request)
        }
    }
}
