import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing
@testable import Refiner
#if canImport(Glibc)
import Glibc
#endif

/// The real thing: the compiled llama-server with SmolLM2-135M. Both are
/// large and slow to make, so the test runs only where `refine setup` (or CI's
/// setup step) put them in the cache, or where REFINE_TEST_LLAMA_SERVER and
/// REFINE_TEST_MODEL point at them; elsewhere it is skipped with that reason.
@Suite("RealLlamaServer")
struct RealLlamaServerTests {
    static let binary: URL? = {
        if let configured = ProcessInfo.processInfo.environment["REFINE_TEST_LLAMA_SERVER"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        return LlamaServerBuild().installedBinary
    }()

    static let model: URL? = {
        if let configured = ProcessInfo.processInfo.environment["REFINE_TEST_MODEL"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        return ModelStore().installedModel(ModelCatalog.smolLM2135M)
    }()

    @Test(
        .enabled(
            if: binary != nil && model != nil,
            "needs llama-server and smollm2-135m in the refine cache (run refine setup) or REFINE_TEST_LLAMA_SERVER and REFINE_TEST_MODEL"),
        .timeLimit(.minutes(5)))
    func servesACompletionAndStops() async throws {
        let folder = try ModelsFixtures.Folder()
        defer { folder.remove() }
        let configuration = LlamaServerConfiguration(
            binary: try #require(Self.binary), model: try #require(Self.model), logFile: folder.file("llama-server.log"),
            contextPerSlot: 1024)
        let server = LlamaServer(configuration: configuration, logger: ModelsFixtures.logger, registry: LlamaServerRegistry())
        let url = try await server.start()
        let pid = try #require(await server.processIdentifier)

        var request = URLRequest(url: url.appendingPathComponent("completion"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"prompt": "def add(a, b):\n    return", "n_predict": 8, "temperature": 0}"#.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(body["content"] is String)
        #expect((body["tokens_predicted"] as? Int ?? 0) > 0)

        await server.stop()
        #expect(await LlamaServerTests.waitUntilGone(pid))
    }
}
