import Foundation
import Glibc

/// Runs a program with a plain `python3 program.py`, as the common
/// evaluation harnesses do: no isolation at all. It is the baseline the
/// sandbox's cost is measured against, so it is kept as cheap as a spawn
/// can be: posix_spawn, pipes drained, waitpid.
struct BarePythonRunner: Sendable {
    let interpreter: String
    let directory: URL

    struct Result: Sendable {
        var exitStatus: Int32
        var duration: Duration
    }

    init(interpreter: String) throws {
        self.interpreter = interpreter
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("refine-bare-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func removeFiles() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `program` to a file and runs it; blocking (call it from a
    /// dedicated thread). Only spawn to exit is timed.
    func run(_ program: String, name: String) throws -> Result {
        let file = directory.appendingPathComponent(name.replacingOccurrences(of: "/", with: "_") + ".py")
        try Data(program.utf8).write(to: file)
        var output: [Int32] = [-1, -1]
        guard pipe(&output) == 0 else { throw DatasetError("cannot create a pipe for the bare run") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, output[1], 2)
        posix_spawn_file_actions_addclose(&actions, output[0])
        posix_spawn_file_actions_addclose(&actions, output[1])

        let arguments = [interpreter, file.path]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let clock = ContinuousClock()
        let start = clock.now
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, interpreter, &actions, nil, argv, environ)
        close(output[1])
        guard spawned == 0 else {
            close(output[0])
            throw DatasetError("cannot start \(interpreter): \(String(cString: strerror(spawned)))")
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while read(output[0], &buffer, buffer.count) > 0 {}
        close(output[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Result(exitStatus: status, duration: start.duration(to: clock.now))
    }
}
