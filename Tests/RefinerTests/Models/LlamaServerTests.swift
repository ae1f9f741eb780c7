import Foundation
import Logging
import Testing
@testable import Refiner
#if canImport(Glibc)
import Glibc
#endif

/// LlamaServer's process management against a fake server script; each test
/// uses its own registry so they can run in parallel with other suites.
@Suite("LlamaServer")
struct LlamaServerTests {
    let logger = ModelsFixtures.logger

    /// True while a process with this pid exists (zombies are reaped by Foundation).
    static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

    /// Waits (bounded) until `pid` is gone.
    static func waitUntilGone(_ pid: Int32, within seconds: Double = 10) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if !isAlive(pid) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return !isAlive(pid)
    }

    @Test func waitsForHealthThroughLoadingAndStops() async throws {
        let fake = try await FakeLlamaServer(.init(loadSeconds: 2.0))
        defer { fake.folder.remove() }
        let registry = LlamaServerRegistry()
        let server = LlamaServer(configuration: fake.configuration(), logger: logger, registry: registry)

        let url = try await server.start()
        let start = try #require(fake.starts.first)
        #expect(url.absoluteString == "http://127.0.0.1:\(start.port)")
        #expect(await server.baseURL == url)
        // The pid is the server's own (setpriv execs it), so signals reach it.
        #expect(await server.processIdentifier == start.pid)
        #expect(fake.log.contains("503"), "health was polled while loading")
        #expect(fake.log.contains("\"GET /health HTTP/1.1\" 200"))
        #expect(fake.log.contains("-t 1 -c 4096 -np 1 --no-webui"))
        #expect(await LlamaServer.isHealthy("\(url.absoluteString)/health"))
        #expect(registry.count == 1)

        await server.stop()
        #expect(await Self.waitUntilGone(start.pid))
        #expect(await server.baseURL == nil)
        #expect(registry.count == 0)
        await #expect(throws: LlamaServerError.self) { try await server.ensureRunning() }
    }

    @Test func timeoutQuotesTheLogTailAndKillsTheServer() async throws {
        let fake = try await FakeLlamaServer(.init(neverReady: true))
        defer { fake.folder.remove() }
        let registry = LlamaServerRegistry()
        let server = LlamaServer(configuration: fake.configuration(startupTimeout: .seconds(6)), logger: logger, registry: registry)
        let error = await #expect(throws: LlamaServerError.self) { try await server.start() }
        let message = try #require(error).description
        #expect(message.contains("not healthy after 6"))
        #expect(message.contains("still loading the fake model"))
        #expect(!message.contains("\n"))
        let pid = try #require(fake.starts.first).pid
        #expect(await Self.waitUntilGone(pid))
        #expect(registry.count == 0)
    }

    @Test func exitDuringStartFailsFastWithTheReason() async throws {
        let fake = try await FakeLlamaServer(.init(failWith: "llama_model_load: error loading model: fake tensor data is corrupt"))
        defer { fake.folder.remove() }
        // Fast means well before the startup timeout, however loaded the machine.
        let server = LlamaServer(
            configuration: fake.configuration(startupTimeout: .seconds(120)), logger: logger, registry: LlamaServerRegistry())
        let began = ContinuousClock.now
        let error = await #expect(throws: LlamaServerError.self) { try await server.start() }
        let message = try #require(error).description
        #expect(message.contains("exited while starting (exit code 1)"))
        #expect(message.contains("fake tensor data is corrupt"))
        #expect(ContinuousClock.now - began < .seconds(60))
    }

    @Test func bindFailureRetriesOnAnotherPort() async throws {
        let fake = try await FakeLlamaServer(.init(bindFailures: 1))
        defer { fake.folder.remove() }
        let server = LlamaServer(configuration: fake.configuration(), logger: logger, registry: LlamaServerRegistry())
        let url = try await server.start()
        let starts = fake.starts
        #expect(starts.count == 2)
        #expect(url.port == starts.last?.port)
        await server.stop()
    }

    @Test func restartsOnceThenReportsTheSecondDeath() async throws {
        let fake = try await FakeLlamaServer(.init(loadSeconds: 0.2))
        defer { fake.folder.remove() }
        let server = LlamaServer(configuration: fake.configuration(), logger: logger, registry: LlamaServerRegistry())
        try await server.start()
        let first = try #require(await server.processIdentifier)
        kill(first, SIGKILL)
        #expect(await Self.waitUntilGone(first))

        // Several callers notice the death at once; they share one restart.
        async let a = server.ensureRunning()
        async let b = server.ensureRunning()
        let (urlA, urlB) = try await (a, b)
        #expect(urlA == urlB)
        #expect(fake.starts.count == 2)
        let second = try #require(await server.processIdentifier)
        #expect(second != first)

        kill(second, SIGKILL)
        #expect(await Self.waitUntilGone(second))
        let error = await #expect(throws: LlamaServerError.self) { try await server.ensureRunning() }
        #expect(try #require(error).description.contains("died again (killed by signal 9) after 1 restart(s)"))
        #expect(fake.starts.count == 2)
    }

    @Test func hungServerIsReplacedWhenHealthIsChecked() async throws {
        let fake = try await FakeLlamaServer(.init(loadSeconds: 0.1))
        defer { fake.folder.remove() }
        let server = LlamaServer(
            configuration: fake.configuration(stopGracePeriod: .milliseconds(500)), logger: logger, registry: LlamaServerRegistry())
        try await server.start()
        let first = try #require(await server.processIdentifier)
        // A plain check trusts a live process; a health check does not.
        #expect(try await server.ensureRunning(checkHealth: true) == server.baseURL)
        kill(first, SIGSTOP)
        #expect(try await server.ensureRunning() == server.baseURL, "without a health check a live process is trusted")
        _ = try await server.ensureRunning(checkHealth: true)
        let second = try #require(await server.processIdentifier)
        #expect(second != first)
        #expect(await Self.waitUntilGone(first))
        #expect(fake.starts.count == 2)
        await server.stop()
    }

    @Test func stopEscalatesToSIGKILL() async throws {
        let fake = try await FakeLlamaServer(.init(ignoreTerm: true))
        defer { fake.folder.remove() }
        let server = LlamaServer(
            configuration: fake.configuration(stopGracePeriod: .milliseconds(500)), logger: logger, registry: LlamaServerRegistry())
        try await server.start()
        let pid = try #require(await server.processIdentifier)
        let began = ContinuousClock.now
        await server.stop()
        #expect(ContinuousClock.now - began < .seconds(5))
        #expect(await Self.waitUntilGone(pid, within: 2))
    }

    @Test func stopAllStopsEveryServerAndRefusesNewOnes() async throws {
        let fake = try await FakeLlamaServer(.init(loadSeconds: 0.1))
        defer { fake.folder.remove() }
        let registry = LlamaServerRegistry()
        let servers = (0..<2).map { _ in LlamaServer(configuration: fake.configuration(), logger: logger, registry: registry) }
        for server in servers { try await server.start() }
        #expect(registry.count == 2)
        let pids = fake.starts.map(\.pid)

        await registry.stopAll(gracePeriod: .seconds(3))
        for pid in pids {
            #expect(await Self.waitUntilGone(pid))
        }
        #expect(registry.count == 0)
        let late = LlamaServer(configuration: fake.configuration(), logger: logger, registry: registry)
        let error = await #expect(throws: LlamaServerError.self) { try await late.start() }
        #expect(try #require(error).description.contains("shutting down"))
    }

    @Test func aServerBeingStoppedAtShutdownIsNeitherTrustedNorReplaced() async throws {
        // Ignoring SIGTERM keeps the process alive (and answering) through
        // the grace period, as a llama-server finishing its requests does.
        let fake = try await FakeLlamaServer(.init(loadSeconds: 0.1, ignoreTerm: true))
        defer { fake.folder.remove() }
        let registry = LlamaServerRegistry()
        let server = LlamaServer(configuration: fake.configuration(), logger: logger, registry: registry)
        try await server.start()
        let pid = try #require(await server.processIdentifier)

        async let stopping: Void = registry.stopAll(gracePeriod: .seconds(2))
        while !registry.isShuttingDown { try await Task.sleep(for: .milliseconds(10)) }
        #expect(Self.isAlive(pid))
        for checkHealth in [false, true] {
            let error = await #expect(throws: LlamaServerError.self) { try await server.ensureRunning(checkHealth: checkHealth) }
            #expect(try #require(error).description.contains("shutting down"))
        }
        await stopping
        #expect(await Self.waitUntilGone(pid))
        #expect(fake.starts.count == 1)
    }

    @Test func configurationSplitsContextAcrossSlots() {
        let configuration = LlamaServerConfiguration(
            binary: URL(fileURLWithPath: "/bin/llama-server"), model: URL(fileURLWithPath: "/m.gguf"),
            logFile: URL(fileURLWithPath: "/tmp/l.log"), threads: 2, parallelSlots: 2, contextPerSlot: 2048,
            extraArguments: ["--temp", "0"])
        #expect(configuration.arguments(port: 8081) == [
            "-m", "/m.gguf", "--host", "127.0.0.1", "--port", "8081", "-t", "2", "-c", "4096", "-np", "2", "--no-webui",
            "--temp", "0",
        ])
    }

    @Test func freePortsAreBindableLoopbackPorts() throws {
        let port = try LoopbackPort.free()
        #expect((1024...65535).contains(port))
    }
}
