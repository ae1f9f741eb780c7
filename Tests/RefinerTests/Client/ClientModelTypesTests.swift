import Foundation
import Refiner
import Testing

/// The journal JSON forms of the client's value types and endpoint parsing.
@Suite struct ClientModelTypesTests {
    func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func samplingSettingsHaveAStableJSONForm() throws {
        #expect(try json(SamplingSettings()) == #"{"max_tokens":768,"seed":1234,"stop":[],"temperature":0}"#)
        let custom = SamplingSettings(temperature: 0.8, seed: 7, maxTokens: 100, stop: ["\n\n"], topP: 0.95)
        #expect(
            try json(custom) == #"{"max_tokens":100,"seed":7,"stop":["\n\n"],"temperature":0.8,"top_p":0.95}"#)
        #expect(try JSONDecoder().decode(SamplingSettings.self, from: Data(json(custom).utf8)) == custom)
    }

    @Test func samplingSettingsDecodeMissingKeysAsDefaults() throws {
        #expect(try JSONDecoder().decode(SamplingSettings.self, from: Data("{}".utf8)) == .greedy)
        let partial = try JSONDecoder().decode(SamplingSettings.self, from: Data(#"{"temperature":0.5}"#.utf8))
        #expect(partial == SamplingSettings(temperature: 0.5))
    }

    @Test func completionRoundTripsThroughItsJournalForm() throws {
        let completion = Completion(
            text: "def f():\n    return 1\n", finishReason: .length, promptTokens: 10, completionTokens: 5,
            serverTimings: ServerTimings(
                promptMilliseconds: 12.5, predictedMilliseconds: 100, predictedPerSecond: 50, promptTokens: 10,
                predictedTokens: 5, cachedTokens: 3),
            wallTime: .milliseconds(1500), model: "m.gguf")
        let text = try json(completion)
        #expect(text.contains(#""finish_reason":"length""#))
        #expect(text.contains(#""wall_seconds":1.5"#))
        #expect(
            text.contains(
                #""timings":{"cache_n":3,"predicted_ms":100,"predicted_n":5,"predicted_per_second":50,"prompt_ms":12.5,"prompt_n":10}"#
            ))
        #expect(try JSONDecoder().decode(Completion.self, from: Data(text.utf8)) == completion)
    }

    @Test func requestAndMessagesHaveTheWireShape() throws {
        let request = CompletionRequest(messages: [.system("s"), .user("u"), .assistant("a")])
        #expect(
            try json(request)
                == #"{"messages":[{"content":"s","role":"system"},{"content":"u","role":"user"},{"content":"a","role":"assistant"}],"sampling":{"max_tokens":768,"seed":1234,"stop":[],"temperature":0}}"#
        )
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080"),
        (" https://models.example/v1/ ", "https://models.example"),
        ("http://gpu-box:8000/proxy/v1", "http://gpu-box:8000/proxy"),
    ])
    func endpointNormalizesItsBaseURL(raw: String, expected: String) throws {
        let endpoint = try ModelEndpoint(baseURL: raw)
        #expect(endpoint.baseURL == expected)
        #expect(endpoint.chatCompletionsURL == expected + "/v1/chat/completions")
        #expect(endpoint.healthURL == expected + "/health")
        #expect(endpoint.modelsURL == expected + "/v1/models")
    }

    @Test(arguments: ["127.0.0.1:8080", "ftp://host/", "http://", "http://host:8080?x=1", ""])
    func endpointRejectsUnusableURLs(raw: String) {
        #expect(throws: ModelClientError.self) { try ModelEndpoint(baseURL: raw) }
    }

    @Test func endpointNeverPrintsItsKey() throws {
        let endpoint = try ModelEndpoint(baseURL: "http://h:1", model: "m", apiKey: "sk-secret")
        #expect(!endpoint.description.contains("sk-secret"))
        #expect(endpoint.description == "http://h:1 (model m, with API key)")
        #expect(try ModelEndpoint(baseURL: "http://h:1", apiKey: "").apiKey == nil)
    }

    @Test func onlyUnreachableAndLostConnectionsAreConnectionFailures() {
        let url = "http://h:1/v1/chat/completions"
        #expect(ModelClientError.unreachable(url: url, reason: "x").isConnectionFailure)
        #expect(ModelClientError.connectionLost(url: url, reason: "x").isConnectionFailure)
        #expect(!ModelClientError.timeout(url: url, after: .seconds(1)).isConnectionFailure)
        #expect(!ModelClientError.httpStatus(url: url, status: 500, message: "x").isConnectionFailure)
        #expect(!ModelClientError.malformedResponse(url: url, reason: "x").isConnectionFailure)
        #expect(!ModelClientError.notReady(url: url, reason: "x").isConnectionFailure)
        #expect(!ModelClientError.requestFailed(url: url, reason: "x").isConnectionFailure)
        #expect(!ModelClientError.invalidEndpoint(url, reason: "x").isConnectionFailure)
    }
}
