import AsyncHTTPClient
import Foundation
import NIOCore

extension OpenAICompatibleClient {
    /// Asks the server whether it can take requests now: `GET /health`
    /// (llama-server, vLLM, SGLang), and when that path does not exist,
    /// `GET /v1/models` (any OpenAI-compatible server). Never throws: the
    /// answer is the status, so callers can poll it or print it.
    public func checkHealth(timeout: Duration = .seconds(10)) async -> EndpointHealth {
        let health: Reply
        do {
            health = try await get(endpoint.healthURL, timeout: timeout)
        } catch {
            return Self.health(after: error, url: endpoint.healthURL)
        }
        switch health.status {
        case 200..<300:
            return .ready
        case 503:
            // llama-server while loading the model: {"error":{"message":"Loading model"}}
            return .notReady("HTTP 503: \(Self.errorMessage(in: health.body))")
        default:
            break
        }
        let models: Reply
        do {
            models = try await get(endpoint.modelsURL, timeout: timeout)
        } catch {
            return Self.health(after: error, url: endpoint.modelsURL)
        }
        if (200..<300).contains(models.status) { return .ready }
        return .notReady(
            "GET /health answered HTTP \(health.status) and GET /v1/models answered HTTP \(models.status): \(Self.errorMessage(in: models.body))"
        )
    }

    /// Polls ``checkHealth(timeout:)`` until the server is ready, e.g. after
    /// starting llama-server, which answers 503 while it loads the model.
    /// Throws the last reason (``ModelClientError/unreachable(url:reason:)``
    /// or ``ModelClientError/notReady(url:reason:)``) once `timeout` has
    /// passed, and `CancellationError` if the task is cancelled.
    public func waitUntilReady(timeout: Duration, pollInterval: Duration = .milliseconds(250)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        // The last thing the server itself said: a probe that merely ran out
        // of time near the deadline says less than an earlier answer did.
        var lastAnswer: String?
        while true {
            let remaining = deadline - clock.now
            let health = await checkHealth(timeout: max(min(remaining, .seconds(10)), .seconds(1)))
            switch health {
            case .ready:
                return
            case .notReady(let reason):
                if reason.hasPrefix("HTTP") || reason.hasPrefix("GET") {
                    lastAnswer = reason
                }
                if clock.now >= deadline {
                    throw ModelClientError.notReady(
                        url: endpoint.baseURL,
                        reason: "\(lastAnswer ?? reason) (still not ready after \(timeout.humanReadable))")
                }
            case .unreachable(let error):
                if clock.now >= deadline { throw error }
            }
            logger.debug("model server not ready yet", metadata: ["health": "\(health)"])
            try await Task.sleep(for: min(pollInterval, max(deadline - clock.now, .zero)))
        }
    }

    /// A `GET` with the standard headers.
    private func get(_ url: String, timeout: Duration) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        addStandardHeaders(to: &request)
        return try await send(request, url: url, timeout: timeout)
    }

    /// The health implied by a failed probe.
    private static func health(after error: any Error, url: String) -> EndpointHealth {
        guard let error = error as? ModelClientError else {
            return .notReady("health check interrupted: \(error)")
        }
        if error.isConnectionFailure { return .unreachable(error) }
        return .notReady(error.description)
    }
}
