import ArgumentParser
import Foundation
import Refiner

/// `refine setup`: build llama-server and install models ahead of a run.
struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Build llama-server and install models into the cache, so later runs start at once.",
        discussion: "The cache is $REFINE_CACHE, or $XDG_CACHE_HOME/refine, or ~/.cache/refine. Everything is verified by SHA-256 and reused.")

    @Option(help: ArgumentHelp("Models to install, comma-separated (catalog names).", valueName: "names"))
    var models = "qwen2.5-coder-0.5b,qwen2.5-coder-1.5b"

    @Option(help: ArgumentHelp("Use this llama-server binary instead of building one.", valueName: "path"))
    var llamaServer: String?

    @Flag(help: "Only install models; do not build llama-server.")
    var skipServer = false

    func run() async throws {
        let names = models.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let references: [ModelReference]
        do {
            references = try names.map { try ModelReference.parse($0) }
        } catch {
            throw UsageError("\(error)")
        }
        let cache = RefineCache.resolve()
        let line = SetupLine()
        do {
            if !skipServer {
                let binary = try await LlamaServerBuild(cache: cache).ensure(userBinary: llamaServer) { line.show($0) }
                print("llama-server  \(binary.path)")
            }
            for reference in references {
                let file = try await ModelStore(cache: cache).ensure(reference) { line.show($0) }
                print("\(reference.name)  \(file.path)")
            }
        } catch {
            FileHandle.standardError.write(Data("refine: error: \(error)\n".utf8))
            throw ExitCode(Refine.Status.failed)
        }
    }
}
