import ArgumentParser

struct SandboxBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sandbox-bench")
    func run() async throws {}
}
