import Foundation
import Refiner
import Sandbox
import Testing

/// The loop against a scripted model over real HTTP.
@Suite("Refinement loop")
struct RefinementLoopTests {
    @Test func passStopsAtTheFirstPass() async throws {
        try await LoopFixtures.withHTTPClient { http in
            try await FakeModelServer.withServer(replies: [LoopFixtures.wrongAll, LoopFixtures.correct, LoopFixtures.wrongAll]) {
                server in
                let loop = try await LoopFixtures.loop(
                    server: server, httpClient: http, settings: LoopSettings(iterations: 3, earlyStopping: .pass))
                let solution = try await loop.solve(LoopFixtures.task())
                #expect(solution.attempts.count == 2)
                #expect(solution.stopReason == .passed)
                #expect(solution.final.passed)
                #expect(solution.attempts[0].label == "assertion_error")
                #expect(await server.requests.count == 2)
            }
        }
    }

    @Test func bestKeepsTheBestAndStopsWithoutImprovement() async throws {
        try await LoopFixtures.withHTTPClient { http in
            // 2/3, then two regressions: patience 2 stops, and the first stays.
            try await FakeModelServer.withServer(
                replies: [LoopFixtures.passesTwo, LoopFixtures.passesOne, LoopFixtures.wrongAll, LoopFixtures.correct]
            ) { server in
                let loop = try await LoopFixtures.loop(
                    server: server, httpClient: http, settings: LoopSettings(iterations: 5, earlyStopping: .best, patience: 2))
                let solution = try await loop.solve(LoopFixtures.task())
                #expect(solution.attempts.count == 3)
                #expect(solution.stopReason == .noImprovement)
                #expect(solution.finalIteration == 0)
                #expect(solution.final.scoreVerdict?.tests == TestCount(passed: 2, total: 3))
                // Both refinements were shown the best attempt, not the last.
                #expect(solution.attempts[1].refinedFrom == 0)
                #expect(solution.attempts[2].refinedFrom == 0)
            }
        }
    }

    @Test func bestMovesOnFromAnImprovement() async throws {
        try await LoopFixtures.withHTTPClient { http in
            try await FakeModelServer.withServer(
                replies: [LoopFixtures.passesOne, LoopFixtures.passesTwo, LoopFixtures.correct]
            ) { server in
                let loop = try await LoopFixtures.loop(
                    server: server, httpClient: http, settings: LoopSettings(iterations: 5, earlyStopping: .best))
                let solution = try await loop.solve(LoopFixtures.task())
                #expect(solution.attempts.map(\.refinedFrom) == [nil, 0, 1])
                #expect(solution.stopReason == .passed)
                #expect(solution.finalIteration == 2)
            }
        }
    }

    @Test func noneForcesEveryIterationAndCanBreakPassingCode() async throws {
        try await LoopFixtures.withHTTPClient { http in
            try await FakeModelServer.withServer(
                replies: [LoopFixtures.correct, LoopFixtures.passesOne, LoopFixtures.passesTwo]
            ) { server in
                let loop = try await LoopFixtures.loop(
                    server: server, httpClient: http, settings: LoopSettings(iterations: 2, earlyStopping: .none))
                let solution = try await loop.solve(LoopFixtures.task())
                #expect(solution.attempts.count == 3)
                #expect(solution.stopReason == .iterationsExhausted)
                #expect(solution.finalIteration == 2)
                #expect(!solution.final.passed)
                #expect(solution.attempts[0].passed)
                // The forced refinement was told the code passed.
                let prompt = await server.requests[1].lastUserMessage ?? ""
                #expect(prompt.contains("passed all 3 tests"))
            }
        }
    }

    @Test func aReplyWithoutCodeIsRecordedAndRefined() async throws {
        try await LoopFixtures.withHTTPClient { http in
            try await FakeModelServer.withServer(replies: [LoopFixtures.noCode, LoopFixtures.correct]) { server in
                let loop = try await LoopFixtures.loop(
                    server: server, httpClient: http, settings: LoopSettings(iterations: 2, earlyStopping: .best))
                let solution = try await loop.solve(LoopFixtures.task())
                #expect(solution.attempts[0].label == AttemptLabel.noCode)
                #expect(solution.attempts[0].program == nil)
                #expect(solution.attempts[0].extraction == .none)
                #expect(solution.final.passed)
                let prompt = await server.requests[1].lastUserMessage ?? ""
                #expect(prompt.contains("contained no Python code"))
            }
        }
    }

    @Test func theRefinerSeesTheFailingTestWithExpectedAndActual() async throws {
        try await LoopFixtures.withHTTPClient { http in
            try await FakeModelServer.withServer(replies: [LoopFixtures.passesTwo, LoopFixtures.correct]) { server in
                let loop = try await LoopFixtures.loop(
                    server: server, httpClient: http, settings: LoopSettings(iterations: 1, earlyStopping: .pass))
                _ = try await loop.solve(LoopFixtures.task())
                let prompt = await server.requests[1].lastUserMessage ?? ""
                #expect(prompt.contains("assert add(0, 5) == 5"))
                #expect(prompt.contains("Expected: 5"))
                #expect(prompt.contains("Actual:   0"))
                #expect(prompt.contains("Tests passed: 2 of 3"))
                #expect(prompt.contains("return a + b if a else 0"))
            }
        }
    }

    @Test func visibleFeedbackHidesTheScoringTests() async throws {
        try await LoopFixtures.withHTTPClient { http in
            // Passes the visible test (1, 2) but not all: the loop stops (it
            // cannot know), the score says otherwise.
            try await FakeModelServer.withServer(replies: [LoopFixtures.passesOne]) { server in
                let loop = try await LoopFixtures.loop(
                    server: server, httpClient: http,
                    settings: LoopSettings(iterations: 2, earlyStopping: .best, feedback: .visible))
                let solution = try await loop.solve(LoopFixtures.task())
                #expect(solution.stopReason == .passed)
                #expect(solution.final.feedbackVerdict?.passed == true)
                #expect(solution.final.scoreVerdict?.passed == false)
                let prompt = await server.requests[0].lastUserMessage ?? ""
                #expect(prompt.contains("assert add(1, 2) == 3"))
                #expect(!prompt.contains("assert add(0, 5) == 5"))
            }
        }
    }

    @Test func aServerThatDiesIsRestartedOnce() async throws {
        try await LoopFixtures.withHTTPClient { http in
            try await FakeModelServer.withServer(replies: [LoopFixtures.wrongAll, .die, LoopFixtures.correct]) { server in
                let endpoint = try ModelEndpoint(baseURL: server.baseURL, model: "fake")
                let model = RestartingChatModel(endpoint: endpoint, httpClient: http) {
                    try await server.restart()
                    return server.baseURL
                }
                let loop = RefinementLoop(
                    generator: model, generatorName: "g", refiner: model, refinerName: "r",
                    sandbox: try await LoopFixtures.sandbox.value, settings: LoopSettings(iterations: 2, earlyStopping: .pass))
                let solution = try await loop.solve(LoopFixtures.task())
                #expect(solution.final.passed)
                #expect(await model.restarts == 1)
            }
        }
    }

    @Test func aServerThatDiesTwiceEndsTheRun() async throws {
        try await LoopFixtures.withHTTPClient { http in
            try await FakeModelServer.withServer(replies: [.die, .die, LoopFixtures.correct]) { server in
                let endpoint = try ModelEndpoint(baseURL: server.baseURL, model: "fake")
                let model = RestartingChatModel(endpoint: endpoint, httpClient: http) {
                    try await server.restart()
                    return server.baseURL
                }
                let loop = RefinementLoop(
                    generator: model, generatorName: "g", refiner: model, refinerName: "r",
                    sandbox: try await LoopFixtures.sandbox.value, settings: LoopSettings(iterations: 2, earlyStopping: .pass))
                await #expect(throws: ModelClientError.self) { _ = try await loop.solve(LoopFixtures.task()) }
            }
        }
    }

    @Test func aRequestThatTimesOutIsSentOnceMore() async throws {
        try await LoopFixtures.withHTTPClient { http in
            // The timeout leaves an immediate reply time to arrive on a busy
            // machine; the first reply would come long after it.
            let replies: [FakeReply] = [.delayed(.seconds(120), LoopFixtures.wrongAll), LoopFixtures.correct]
            try await FakeModelServer.withServer(replies: replies) { server in
                let endpoint = try ModelEndpoint(baseURL: server.baseURL, model: "fake", requestTimeout: .seconds(5))
                let model = RestartingChatModel(endpoint: endpoint, httpClient: http) {
                    Issue.record("a slow server is not restarted")
                    return server.baseURL
                }
                let reply = try await model.complete(CompletionRequest(messages: [.user("write add")]))
                #expect(reply.text.contains("return a + b"))
                #expect(await model.timeoutRetries == 1)
                #expect(await model.restarts == 0)
            }
        }
    }

    @Test func aRequestThatTimesOutTwiceFails() async throws {
        try await LoopFixtures.withHTTPClient { http in
            let replies: [FakeReply] = [
                .delayed(.seconds(120), LoopFixtures.wrongAll), .delayed(.seconds(120), LoopFixtures.wrongAll),
                LoopFixtures.correct,
            ]
            try await FakeModelServer.withServer(replies: replies) { server in
                let endpoint = try ModelEndpoint(baseURL: server.baseURL, model: "fake", requestTimeout: .seconds(5))
                let model = RestartingChatModel(endpoint: endpoint, httpClient: http) { server.baseURL }
                let error = await #expect(throws: ModelClientError.self) {
                    _ = try await model.complete(CompletionRequest(messages: [.user("write add")]))
                }
                #expect(error == .timeout(url: server.baseURL + "/v1/chat/completions", after: .seconds(5)))
                #expect(await model.timeoutRetries == 1)
            }
        }
    }

    @Test func requestsInFlightWhenTheServerDiesShareOneRestart() async throws {
        try await LoopFixtures.withHTTPClient { http in
            // Every reply but the dying one is correct: which request the
            // server reads first is up to the scheduler, not the test.
            let replies: [FakeReply] = [
                .delayed(.milliseconds(300), .die), .delayed(.seconds(2), LoopFixtures.correct),
                LoopFixtures.correct, LoopFixtures.correct,
            ]
            try await FakeModelServer.withServer(replies: replies) { server in
                let endpoint = try ModelEndpoint(baseURL: server.baseURL, model: "fake")
                let model = RestartingChatModel(endpoint: endpoint, httpClient: http) {
                    try await server.restart()
                    return server.baseURL
                }
                let request = CompletionRequest(messages: [.user("write add")])
                async let first = model.complete(request)
                try await Task.sleep(for: .milliseconds(100))
                async let second = model.complete(request)
                let texts = try await [first.text, second.text]
                #expect(texts.allSatisfy { $0.contains("return a + b") })
                #expect(await model.restarts == 1)
            }
        }
    }
}
