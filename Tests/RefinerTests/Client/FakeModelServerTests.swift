import Refiner
import Testing

/// The fake server's scripting, which the loop tests rely on.
@Suite struct FakeModelServerTests {
    @Test func handlerAnswersByPromptAfterTheQueueRunsOut() async throws {
        let handler: FakeModelServer.Handler = { request in
            .text("echo: \(request.lastUserMessage ?? "none") at \(request.temperature ?? -1)")
        }
        try await FakeModelServer.withServer(replies: [.text("queued")], handler: handler) { server in
            let endpoint = try ModelEndpoint(baseURL: server.baseURL)
            try await OpenAICompatibleClient.withClient(endpoint: endpoint) { client in
                let first = try await client.complete(CompletionRequest(messages: [.user("one")]))
                let second = try await client.complete(CompletionRequest(messages: [.user("two")]))
                #expect(first.text == "queued")
                #expect(second.text == "echo: two at 0.0")
            }
            #expect(await server.requests.map(\.lastUserMessage) == ["one", "two"])
        }
    }

    @Test func unscriptedRequestIsAnsweredWithAnError() async throws {
        try await FakeModelServer.withServer { server in
            let endpoint = try ModelEndpoint(baseURL: server.baseURL)
            let error = await #expect(throws: ModelClientError.self) {
                try await OpenAICompatibleClient.withClient(endpoint: endpoint) { client in
                    try await client.complete(CompletionRequest(messages: [.user("x")]))
                }
            }
            guard case .httpStatus(_, 500, let message) = error else {
                Issue.record("expected HTTP 500, got \(String(describing: error))")
                return
            }
            #expect(message.contains("no scripted reply"))
        }
    }

    @Test func parallelRequestsAreAnsweredIndependently() async throws {
        let handler: FakeModelServer.Handler = { request in
            .delayed(.milliseconds(100), .text("re: \(request.lastUserMessage ?? "")"))
        }
        try await FakeModelServer.withServer(handler: handler) { server in
            let endpoint = try ModelEndpoint(baseURL: server.baseURL)
            let texts = try await OpenAICompatibleClient.withClient(endpoint: endpoint) { client in
                try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<4 {
                        group.addTask {
                            try await client.complete(CompletionRequest(messages: [.user("q\(index)")])).text
                        }
                    }
                    return try await group.reduce(into: Set<String>()) { $0.insert($1) }
                }
            }
            #expect(texts == ["re: q0", "re: q1", "re: q2", "re: q3"])
            #expect(await server.requests.count == 4)
        }
    }

    @Test func stopAndRestartKeepThePort() async throws {
        let server = try await FakeModelServer.start(replies: [.text("a"), .text("b")])
        let port = server.port
        await server.stop()
        #expect(await !server.isRunning)
        await server.stop()
        try await server.restart()
        #expect(await server.isRunning)
        #expect(server.port == port)
        let endpoint = try ModelEndpoint(baseURL: server.baseURL)
        let text = try await OpenAICompatibleClient.withClient(endpoint: endpoint) { client in
            try await client.complete(CompletionRequest(messages: [.user("x")])).text
        }
        #expect(text == "a")
        await server.stop()
    }
}
