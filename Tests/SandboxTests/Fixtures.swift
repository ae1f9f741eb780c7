import Foundation

@testable import Sandbox

/// Shared sandboxes for the tests: compiling a policy costs a Python start,
/// so each distinct policy is built once.
enum Fixtures {
    static let strictSandbox = Task { try await Sandbox(policy: .strict) }

    static func run(
        _ candidate: String, tests: String? = nil, entryPoint: String? = nil, policy: SandboxPolicy? = nil
    ) async throws -> Verdict {
        let sandbox: Sandbox
        if let policy {
            sandbox = try await Sandbox(policy: policy)
        } else {
            sandbox = try await strictSandbox.value
        }
        return try await sandbox.run(SandboxJob(candidate: candidate, tests: tests, entryPoint: entryPoint))
    }

    /// The strict policy with a short wall clock, for tests that time out.
    static func quick(wallSeconds: Int = 2, cpuSeconds: Int = 10) -> SandboxPolicy {
        var policy = SandboxPolicy.strict
        policy.limits.wallTime = .seconds(wallSeconds)
        policy.limits.cpuSeconds = cpuSeconds
        return policy
    }

    /// A fresh directory under the host's /tmp.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("refine-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The `refine` executable built beside the test bundle.
    static func refineExecutable() throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for _ in 0..<4 {
            directory.deleteLastPathComponent()
            let candidate = directory.appendingPathComponent("refine")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw FixtureError("the refine executable was not built next to the tests (run `swift build` first)")
    }

    /// Runs a command and returns its exit status and output. The wait
    /// happens on a thread of its own: blocking the cooperative pool (two
    /// threads on a 2-core machine) stalls every other test in the process,
    /// the fake model servers included.
    static func execute(
        _ executable: String, _ arguments: [String]
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await runOnOwnThread { try executeBlocking(executable, arguments) }
    }

    private static func executeBlocking(
        _ executable: String, _ arguments: [String]
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
