import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a helper program (pip, cmake, tar) to completion with its output
/// appended to a log file, awaiting its exit through `terminationHandler`
/// instead of blocking a thread in `waitUntilExit`. Cancelling the task
/// terminates the child.
enum ChildProcess {
    /// `setpriv`, when present, makes children die with refine (see `SpawnThread`).
    static let setpriv: URL? = ExecutableLocator.find("setpriv")

    /// Makes a process for `executable arguments`, wrapped in
    /// `setpriv --pdeathsig KILL` when available so it cannot outlive refine.
    /// `setpriv` execs the program, so the process id is the program's.
    static func makeProcess(
        _ executable: URL, _ arguments: [String], environment: [String: String]?,
        currentDirectory: URL?, output: FileHandle, dieWithParent: Bool
    ) -> Process {
        let process = Process()
        if dieWithParent, let setpriv {
            process.executableURL = setpriv
            process.arguments = ["--pdeathsig", "KILL", "--", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        return process
    }

    /// Opens `log` for appending, creating it if needed.
    static func appendingHandle(_ log: URL) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        return handle
    }

    /// Runs the program and returns how it ended. Throws only if it could not
    /// be started (or the task was cancelled, after stopping the child).
    static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
        currentDirectory: URL? = nil, log: URL
    ) async throws -> ExitStatus {
        let output = try appendingHandle(log)
        defer { try? output.close() }
        let header = "$ \(([executable.path] + arguments).joined(separator: " "))\n"
        try output.write(contentsOf: Data(header.utf8))
        let process = makeProcess(
            executable, arguments, environment: environment, currentDirectory: currentDirectory,
            output: output, dieWithParent: true)
        let exit = ProcessExit()
        process.terminationHandler = { finished in exit.finish(ExitStatus(finished)) }
        try await SpawnThread.shared.launch(process)
        let pid = process.processIdentifier
        let status = await withTaskCancellationHandler {
            await exit.wait()
        } onCancel: {
            kill(pid, SIGTERM)
        }
        try Task.checkCancellation()
        return status
    }
}
