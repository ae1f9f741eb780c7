import Refiner
import Testing

/// Readiness probes: `/health`, the `/v1/models` fallback, and waiting for
/// a server that is still loading.
@Suite struct EndpointHealthTests {
    func withClient<Result: Sendable>(
        _ server: FakeModelServer, _ body: (OpenAICompatibleClient) async throws -> Result
    ) async throws -> Result {
        try await OpenAICompatibleClient.withClient(endpoint: try ModelEndpoint(baseURL: server.baseURL), body)
    }

    @Test func readyServerAnswersHealth() async throws {
        try await FakeModelServer.withServer { server in
            let health = try await withClient(server) { await $0.checkHealth() }
            #expect(health == .ready)
            #expect(health.isReady)
            #expect(await server.requestLines == ["GET /health"])
        }
    }

    @Test func loadingServerIsNotReadyWithItsReason() async throws {
        try await FakeModelServer.withServer { server in
            await server.setHealth(.loading)
            let health = try await withClient(server) { await $0.checkHealth() }
            #expect(health == .notReady("HTTP 503: Loading model"))
            #expect(!health.isReady)
        }
    }

    @Test func serverWithoutHealthRouteFallsBackToModels() async throws {
        try await FakeModelServer.withServer { server in
            await server.setHealth(.noHealthRoute)
            let health = try await withClient(server) { await $0.checkHealth() }
            #expect(health == .ready)
            #expect(await server.requestLines == ["GET /health", "GET /v1/models"])
        }
    }

    @Test func somethingThatIsNotAModelServerIsNotReady() async throws {
        try await FakeModelServer.withServer { server in
            await server.setHealth(.noRoutes)
            let health = try await withClient(server) { await $0.checkHealth() }
            guard case .notReady(let reason) = health else {
                Issue.record("expected not ready, got \(health)")
                return
            }
            #expect(reason.contains("HTTP 404"))
            #expect(reason.contains("File Not Found"))
        }
    }

    @Test func stoppedServerIsUnreachable() async throws {
        let server = try await FakeModelServer.start()
        await server.stop()
        let health = try await withClient(server) { await $0.checkHealth() }
        guard case .unreachable(let error) = health else {
            Issue.record("expected unreachable, got \(health)")
            return
        }
        #expect(error.isConnectionFailure)
        #expect(error.url == server.baseURL + "/health")
        #expect(health.description.contains(server.baseURL))
    }

    @Test func waitUntilReadyReturnsOnceTheModelHasLoaded() async throws {
        try await FakeModelServer.withServer { server in
            await server.setHealth(.loading)
            // Ready only once a probe has seen it loading: on a busy machine
            // the first probe may come later than the 300 ms.
            let loaded = Task {
                try await Task.sleep(for: .milliseconds(300))
                while await server.requestLines.isEmpty {
                    try await Task.sleep(for: .milliseconds(10))
                }
                await server.setHealth(.ready)
            }
            let started = ContinuousClock.now
            try await withClient(server) {
                try await $0.waitUntilReady(timeout: .seconds(20), pollInterval: .milliseconds(50))
            }
            #expect(ContinuousClock.now - started >= .milliseconds(300))
            try await loaded.value
            #expect(await server.requestLines.count >= 2)
        }
    }

    @Test func waitUntilReadyGivesUpWithTheLastReason() async throws {
        try await FakeModelServer.withServer { server in
            await server.setHealth(.loading)
            let error = await #expect(throws: ModelClientError.self) {
                try await withClient(server) {
                    // Long enough for one probe to be answered on a loaded machine.
                    try await $0.waitUntilReady(timeout: .seconds(5), pollInterval: .milliseconds(50))
                }
            }
            guard case .notReady(let url, let reason) = error else {
                Issue.record("expected not ready, got \(String(describing: error))")
                return
            }
            #expect(url == server.baseURL)
            #expect(reason.contains("Loading model"))
        }
    }

    @Test func waitUntilReadyOnAStoppedServerThrowsUnreachable() async throws {
        let server = try await FakeModelServer.start()
        await server.stop()
        let error = await #expect(throws: ModelClientError.self) {
            try await withClient(server) {
                try await $0.waitUntilReady(timeout: .milliseconds(200), pollInterval: .milliseconds(50))
            }
        }
        #expect(error?.isConnectionFailure == true)
    }
}
