import AsyncHTTPClient
import Foundation
import Logging

/// The generator and refiner for one run: builds and starts what must run
/// locally (llama-server, models), connects to what runs elsewhere, and
/// stops everything it started. Two roles with the same managed model share
/// one server.
public final class ModelSession: Sendable {
    /// The model for first attempts: a managed server (restarted once if it
    /// dies), or a client of the user's endpoint.
    public let generator: any ChatModel
    /// The model for refinements; the same object as ``generator`` when both
    /// roles name the same model.
    public let refiner: any ChatModel
    /// The generator's name and exact weights (or endpoint), for the run
    /// header.
    public let generatorIdentity: ModelIdentity
    /// The refiner's name and exact weights (or endpoint), for the run
    /// header.
    public let refinerIdentity: ModelIdentity
    private let servers: [LlamaServer]
    private let httpClient: HTTPClient

    private init(
        generator: any ChatModel, refiner: any ChatModel, generatorIdentity: ModelIdentity,
        refinerIdentity: ModelIdentity, servers: [LlamaServer], httpClient: HTTPClient
    ) {
        self.generator = generator
        self.refiner = refiner
        self.generatorIdentity = generatorIdentity
        self.refinerIdentity = refinerIdentity
        self.servers = servers
        self.httpClient = httpClient
    }

    /// Prepares both roles. Server logs go to `logDirectory`.
    public static func open(
        generator: ModelChoice, refiner: ModelChoice, server settings: ServerSettings, logDirectory: URL,
        cache: RefineCache = .resolve(), progress: SetupProgressHandler? = nil,
        logger: Logger = Logger(label: "refine.session")
    ) async throws -> ModelSession {
        // A misspelled name or a missing file is reported before anything is
        // built, installed or started for the other role.
        var references: [String: ModelReference] = [:]
        for case .managed(let argument) in [generator, refiner] {
            references[argument] = try ModelReference.parse(argument)
        }
        let httpClient = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: OpenAICompatibleClient.httpClientConfiguration())
        var started: [String: (model: any ChatModel, identity: ModelIdentity, server: LlamaServer?)] = [:]
        do {
            var binary: URL?
            for choice in [generator, refiner] {
                let key = "\(choice)"
                guard started[key] == nil else { continue }
                switch choice {
                case .endpoint(let url, let model, let apiKey):
                    let endpoint = try ModelEndpoint(baseURL: url, model: model, apiKey: apiKey)
                    let client = OpenAICompatibleClient(endpoint: endpoint, httpClient: httpClient, logger: logger)
                    if case .unreachable(let error) = await client.checkHealth() {
                        throw error
                    }
                    started[key] = (client, ModelIdentity(name: model, endpoint: endpoint.baseURL), nil)
                case .managed(let argument):
                    let reference = references[argument]!
                    if binary == nil {
                        binary = try await LlamaServerBuild(cache: cache, logger: logger).ensure(
                            userBinary: settings.binary, progress: progress)
                    }
                    let file = try await ModelStore(cache: cache, logger: logger).ensure(reference, progress: progress)
                    let identity = try Self.identity(of: reference, file: file)
                    let logFile = logDirectory.appendingPathComponent("llama-server-\(reference.name).log")
                    let server = LlamaServer(
                        configuration: LlamaServerConfiguration(
                            binary: binary!, model: file, logFile: logFile, threads: settings.threads,
                            parallelSlots: settings.parallelSlots,
                            contextPerSlot: max(256, settings.contextSize / max(1, settings.parallelSlots))),
                        logger: logger)
                    progress?(SetupProgress(subject: reference.name, step: "starting llama-server"))
                    let url = try await server.start()
                    let endpoint = try ModelEndpoint(baseURL: url.absoluteString, model: reference.name)
                    // Called after a connection failure: a process that still
                    // exists but no longer answers (dying) is replaced too.
                    let model = RestartingChatModel(endpoint: endpoint, httpClient: httpClient, logger: logger) {
                        try await server.ensureRunning(checkHealth: true).absoluteString
                    }
                    started[key] = (model, identity, server)
                }
            }
        } catch {
            for entry in started.values {
                await entry.server?.stop()
            }
            try? await httpClient.shutdown()
            throw error
        }
        let generatorEntry = started["\(generator)"]!
        let refinerEntry = started["\(refiner)"]!
        return ModelSession(
            generator: generatorEntry.model, refiner: refinerEntry.model, generatorIdentity: generatorEntry.identity,
            refinerIdentity: refinerEntry.identity, servers: started.values.compactMap(\.server), httpClient: httpClient)
    }

    /// Stops the servers this session started.
    public func close() async {
        for server in servers {
            await server.stop()
        }
        try? await httpClient.shutdown()
    }

    /// The weights behind a reference: the catalog's pinned hash, or the
    /// hash of the user's file (so reports can say exactly what ran).
    static func identity(of reference: ModelReference, file: URL) throws -> ModelIdentity {
        switch reference {
        case .catalog(let spec):
            return ModelIdentity(name: spec.name, file: file.path, sha256: spec.sha256)
        case .file(let url):
            return ModelIdentity(name: url.lastPathComponent, file: url.path, sha256: try FileDigest.sha256(of: url).sha256)
        }
    }
}
