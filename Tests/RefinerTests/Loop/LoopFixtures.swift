import AsyncHTTPClient
import Foundation
import Refiner
import Sandbox

/// Small tasks and canned replies for the loop tests.
enum LoopFixtures {
    static let sandbox = Task { try await Sandbox(policy: .strict) }

    static func task(_ name: String = "add") -> BenchmarkTask {
        BenchmarkTask(
            id: "Test/\(name)", suite: .mbpp, prompt: "Write a function \(name)(a, b) that returns the sum of a and b.",
            functionName: name, canonicalSolution: "def \(name)(a, b):\n    return a + b\n",
            tests: "assert \(name)(1, 2) == 3\nassert \(name)(2, 2) == 4\nassert \(name)(0, 5) == 5\n", entryPoint: nil,
            visibleTests: "assert \(name)(1, 2) == 3\n",
            promptTests: ["assert \(name)(1, 2) == 3", "assert \(name)(2, 2) == 4", "assert \(name)(0, 5) == 5"])
    }

    /// A reply holding `body` as the function's body, fenced.
    static func reply(_ body: String, name: String = "add") -> FakeReply {
        .text("Here you go:\n\n```python\ndef \(name)(a, b):\n    \(body)\n```\n")
    }

    /// Passes 3 of 3.
    static let correct = reply("return a + b")
    /// Passes none.
    static let wrongAll = reply("return a * b + 100")
    /// Passes 2 of 3: wrong only when a is 0.
    static let passesTwo = reply("return a + b if a else 0")
    /// Passes 1 of 3: right only for (1, 2).
    static let passesOne = reply("return 3")
    static let noCode = FakeReply.text("I am sorry, I cannot write that function.")

    static func loop(
        server: FakeModelServer, httpClient: HTTPClient, settings: LoopSettings
    ) async throws -> RefinementLoop {
        let endpoint = try ModelEndpoint(baseURL: server.baseURL, model: "fake")
        let client = OpenAICompatibleClient(endpoint: endpoint, httpClient: httpClient)
        return RefinementLoop(
            generator: client, generatorName: "fake-generator", refiner: client, refinerName: "fake-refiner",
            sandbox: try await sandbox.value, settings: settings)
    }

    static func withHTTPClient<Result>(_ body: (HTTPClient) async throws -> Result) async throws -> Result {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: OpenAICompatibleClient.httpClientConfiguration())
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("refine-loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
