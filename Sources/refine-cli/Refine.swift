import ArgumentParser
import Foundation
import Logging

/// `refine`: run model-written Python safely, judge it exactly, and refine
/// it with local models.
@main
struct Refine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refine",
        abstract: "Run untrusted Python in a sandbox and tell exactly how it failed.",
        subcommands: [
            ExecCommand.self, SolveCommand.self, BenchCommand.self, SetupCommand.self, SandboxBenchCommand.self,
            AuditCommand.self, ReportCommand.self,
        ])

    /// Exit statuses shared by every command.
    enum Status {
        static let passed: Int32 = 0
        static let failed: Int32 = 1
        static let usage: Int32 = 2
        static let sandboxError: Int32 = 3
    }

    /// Like ArgumentParser's `main()`, but bad usage exits with 2, as our
    /// commands document, rather than 64.
    static func main() async {
        // The libraries log through swift-log; the tool decides how much is
        // shown: warnings and errors, or what $REFINE_LOG_LEVEL asks for.
        let level = ProcessInfo.processInfo.environment["REFINE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as UsageError {
            FileHandle.standardError.write(Data("refine: error: \(error.description)\n".utf8))
            Foundation.exit(Status.usage)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(Status.usage)
            }
            exit(withError: error)
        }
    }
}

/// A one-line error for bad input: printed as `refine: error: …`, exit 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension UsageError: LocalizedError {
    var errorDescription: String? { description }
}
