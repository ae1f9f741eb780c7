import Foundation
import Refiner
import Testing

/// The HTTP client against a real (fake) model server over loopback.
@Suite struct OpenAICompatibleClientTests {
    /// Sends one request to `server` through a fresh client.
    func complete(
        _ request: CompletionRequest, on server: FakeModelServer, model: String = ModelEndpoint.defaultModel,
        apiKey: String? = nil, requestTimeout: Duration = .seconds(30)
    ) async throws -> Completion {
        let endpoint = try ModelEndpoint(
            baseURL: server.baseURL, model: model, apiKey: apiKey, requestTimeout: requestTimeout)
        return try await OpenAICompatibleClient.withClient(endpoint: endpoint) { client in
            try await client.complete(request)
        }
    }

    static let addRequest = CompletionRequest(messages: [.system("You write Python."), .user("Add two numbers.")])

    @Test func parsesTextTokensAndTimings() async throws {
        let code = "def add(a, b):\n    return a + b\n"
        let reply = FakeCompletion(
            text: code, finishReason: "stop", promptTokens: 42, completionTokens: 12, promptMilliseconds: 30,
            predictedMilliseconds: 240)
        try await FakeModelServer.withServer(replies: [.completion(reply)]) { server in
            let completion = try await complete(Self.addRequest, on: server)
            #expect(completion.text == code)
            #expect(completion.finishReason == .stop)
            #expect(!completion.wasTruncated)
            #expect(completion.promptTokens == 42)
            #expect(completion.completionTokens == 12)
            #expect(completion.model == "fake-model.gguf")
            let timings = try #require(completion.serverTimings)
            #expect(timings.promptMilliseconds == 30)
            #expect(timings.predictedMilliseconds == 240)
            #expect(timings.predictedPerSecond == 50)
            #expect(timings.promptTokens == 42)
            #expect(timings.predictedTokens == 12)
            #expect(timings.cachedTokens == 0)
            #expect(abs(completion.generationTime / .milliseconds(1) - 270) < 1e-6)
            #expect(completion.wallTime > .zero)
        }
    }

    @Test func truncatedReplyReportsLength() async throws {
        try await FakeModelServer.withServer(replies: [.text("def add(a, b):\n    ret", finishReason: "length")]) {
            server in
            let completion = try await complete(Self.addRequest, on: server)
            #expect(completion.finishReason == .length)
            #expect(completion.wasTruncated)
        }
    }

    @Test func serverWithoutTimingsOrUsageFallsBackToWallTime() async throws {
        let reply = FakeCompletion(text: "pass", includeTimings: false, includeUsage: false)
        try await FakeModelServer.withServer(replies: [.completion(reply)]) { server in
            let completion = try await complete(Self.addRequest, on: server)
            #expect(completion.text == "pass")
            #expect(completion.serverTimings == nil)
            #expect(completion.promptTokens == nil)
            #expect(completion.completionTokens == nil)
            #expect(completion.generationTime == completion.wallTime)
        }
    }

    @Test func requestBodyCarriesMessagesAndSampling() async throws {
        let sampling = SamplingSettings(
            temperature: 0.7, seed: 42, maxTokens: 256, stop: ["```\n", "<|end|>"], topP: 0.9)
        let request = CompletionRequest(
            messages: [.system("sys"), .user("task"), .assistant("draft"), .user("feedback")], sampling: sampling)
        try await FakeModelServer.withServer(replies: [.text("ok")]) { server in
            _ = try await complete(request, on: server, model: "qwen2.5-coder", apiKey: "sekret")
            let received = try #require(await server.requests.first)
            #expect(received.model == "qwen2.5-coder")
            #expect(received.messages == request.messages)
            #expect(received.temperature == 0.7)
            #expect(received.seed == 42)
            #expect(received.maxTokens == 256)
            #expect(received.stop == ["```\n", "<|end|>"])
            #expect(received.topP == 0.9)
            #expect(received.stream == false)
            #expect(received.headers["authorization"] == "Bearer sekret")
            #expect(received.headers["content-type"] == "application/json")
            #expect(await server.requestLines == ["POST /v1/chat/completions"])
        }
    }

    @Test func defaultSamplingIsGreedyWithFixedSeedAndLeavesOutUnsetFields() async throws {
        try await FakeModelServer.withServer(replies: [.text("ok")]) { server in
            _ = try await complete(CompletionRequest(messages: [.user("hi")]), on: server)
            let received = try #require(await server.requests.first)
            #expect(received.temperature == 0)
            #expect(received.seed == SamplingSettings.defaultSeed)
            #expect(received.maxTokens == SamplingSettings.defaultMaxTokens)
            #expect(received.keys == ["model", "messages", "temperature", "seed", "max_tokens", "stream"])
            #expect(received.headers["authorization"] == nil)
        }
    }

    @Test func emptyAndNullRepliesAreValidCompletions() async throws {
        let replies: [FakeReply] = [.text(""), .completion(FakeCompletion(text: nil, finishReason: nil))]
        try await FakeModelServer.withServer(replies: replies) { server in
            let empty = try await complete(Self.addRequest, on: server)
            #expect(empty.text == "")
            #expect(empty.completionTokens == 0)
            #expect(empty.finishReason == .stop)
            let null = try await complete(Self.addRequest, on: server)
            #expect(null.text == "")
            #expect(null.finishReason == nil)
        }
    }

    @Test func httpErrorSurfacesTheServersMessage() async throws {
        try await FakeModelServer.withServer(replies: [.error(status: 500, message: "failed to tokenize prompt")]) {
            server in
            let error = await #expect(throws: ModelClientError.self) {
                try await complete(Self.addRequest, on: server)
            }
            let url = server.baseURL + "/v1/chat/completions"
            #expect(error == .httpStatus(url: url, status: 500, message: "failed to tokenize prompt"))
            #expect(error?.isConnectionFailure == false)
            #expect(error?.description == "the model server at \(url) answered HTTP 500: failed to tokenize prompt")
        }
    }

    @Test func httpErrorWithoutJSONShowsTheBodysStartOnOneLine() async throws {
        let page = "<html>\n  <body>Bad Gateway</body>\n</html>\n" + String(repeating: "x", count: 1000)
        try await FakeModelServer.withServer(replies: [.raw(status: 502, body: page, contentType: "text/html")]) {
            server in
            let error = await #expect(throws: ModelClientError.self) {
                try await complete(Self.addRequest, on: server)
            }
            guard case .httpStatus(_, let status, let message) = error else {
                Issue.record("expected an HTTP status error, got \(String(describing: error))")
                return
            }
            #expect(status == 502)
            #expect(message.hasPrefix("<html> <body>Bad Gateway</body> </html> xxx"))
            #expect(!message.contains("\n"))
            #expect(message.count <= 201)
        }
    }

    @Test func malformedRepliesAreReportedAsSuch() async throws {
        let replies: [FakeReply] = [
            .raw(status: 200, body: "this is not json", contentType: "text/plain"),
            .raw(status: 200, body: #"{"choices":[]}"#),
            .raw(status: 200, body: #"{"object":"chat.completion"}"#),
        ]
        try await FakeModelServer.withServer(replies: replies) { server in
            var reasons: [String] = []
            for _ in replies {
                let error = await #expect(throws: ModelClientError.self) {
                    try await complete(Self.addRequest, on: server)
                }
                guard case .malformedResponse(_, let reason) = error else {
                    Issue.record("expected a malformed-response error, got \(String(describing: error))")
                    continue
                }
                #expect(error?.isConnectionFailure == false)
                reasons.append(reason)
            }
            #expect(reasons.count == 3)
            #expect(reasons.first?.contains("not valid JSON") == true)
            #expect(reasons.dropFirst().first?.contains("no choices") == true)
            #expect(reasons.last?.contains("missing choices") == true)
        }
    }

    @Test func unreachableEndpointIsAConnectionFailureNamingTheURL() async throws {
        let server = try await FakeModelServer.start()
        await server.stop()
        let started = ContinuousClock.now
        let error = await #expect(throws: ModelClientError.self) {
            try await complete(Self.addRequest, on: server)
        }
        // The connect timeout is 5 s; a refused connection must not wait for
        // it (the bound leaves room for a loaded machine).
        #expect(
            ContinuousClock.now - started < .seconds(4),
            "a refused connection must fail at once, not after the connect timeout")
        let url = server.baseURL + "/v1/chat/completions"
        #expect(error == .unreachable(url: url, reason: "Connection refused"))
        #expect(error?.isConnectionFailure == true)
        #expect(error?.description.contains(url) == true)
    }

    @Test func slowServerTimesOut() async throws {
        try await FakeModelServer.withServer(replies: [.delayed(.seconds(20), .text("too late"))]) { server in
            let started = ContinuousClock.now
            let error = await #expect(throws: ModelClientError.self) {
                try await complete(Self.addRequest, on: server, requestTimeout: .milliseconds(300))
            }
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(error == .timeout(url: server.baseURL + "/v1/chat/completions", after: .milliseconds(300)))
            #expect(error?.isConnectionFailure == false)
            #expect(error?.description.contains("0.3 s") == true)
        }
    }

    @Test func cancellingTheTaskThrowsCancellationError() async throws {
        try await FakeModelServer.withServer(replies: [.delayed(.seconds(20), .text("too late"))]) { server in
            let request = Task { try await complete(Self.addRequest, on: server) }
            while await server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            request.cancel()
            let started = ContinuousClock.now
            let result = await request.result
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(throws: CancellationError.self) { try result.get() }
        }
    }

    @Test func serverDyingMidRequestIsAConnectionFailureAndRestartRecovers() async throws {
        try await FakeModelServer.withServer(replies: [.text("first"), .die]) { server in
            let endpoint = try ModelEndpoint(baseURL: server.baseURL)
            try await OpenAICompatibleClient.withClient(endpoint: endpoint) { client in
                #expect(try await client.complete(Self.addRequest).text == "first")

                let lost = await #expect(throws: ModelClientError.self) { try await client.complete(Self.addRequest) }
                #expect(lost?.isConnectionFailure == true)
                #expect(await !server.isRunning)

                let refused = await #expect(throws: ModelClientError.self) {
                    try await client.complete(Self.addRequest)
                }
                #expect(refused == .unreachable(url: endpoint.chatCompletionsURL, reason: "Connection refused"))

                try await server.restart()
                await server.enqueue(.text("back"))
                #expect(try await client.complete(Self.addRequest).text == "back")
            }
            #expect(await server.requests.count == 3)
        }
    }

    @Test func hangUpDropsOneRequestButTheServerStaysUp() async throws {
        try await FakeModelServer.withServer(replies: [.hangUp, .text("again")]) { server in
            let endpoint = try ModelEndpoint(baseURL: server.baseURL)
            try await OpenAICompatibleClient.withClient(endpoint: endpoint) { client in
                let error = await #expect(throws: ModelClientError.self) { try await client.complete(Self.addRequest) }
                guard case .connectionLost(let url, _) = error else {
                    Issue.record("expected a lost connection, got \(String(describing: error))")
                    return
                }
                #expect(url == endpoint.chatCompletionsURL)
                let again = try await client.complete(Self.addRequest)
                #expect(again.text == "again")
            }
        }
    }
}
