import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Compiles llama-server from a pinned llama.cpp source into the cache, once
/// per version, and hands out its path.
///
/// The build runs in a scratch folder (`work/`, left after a failure for
/// inspection and deleted by the next run) with its log kept beside the
/// result; the binary is verified (`--version`) and renamed into place only at
/// the end, so a failed or interrupted build leaves nothing that looks usable. It links
/// statically (`BUILD_SHARED_LIBS=OFF`) so the binary can be moved or copied.
public struct LlamaServerBuild: Sendable {
    /// The cache the build lives in (`<root>/llama.cpp/<version>/`).
    public let cache: RefineCache
    /// The pinned source to compile.
    public let source: LlamaCppSource
    /// Used to install cmake (and ninja) from PyPI when they are not on PATH.
    public let pip: PipInstaller
    /// Parallel compile jobs; defaults to the number of cores.
    public let jobs: Int
    /// Where build steps and warnings are logged.
    public let logger: Logger

    /// Makes a builder; nothing is touched until `ensure` is called.
    public init(
        cache: RefineCache = .resolve(), source: LlamaCppSource = .pinned, pip: PipInstaller = .fromEnvironment(),
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount, logger: Logger = Logger(label: "refine.llama-build")
    ) {
        self.cache = cache
        self.source = source
        self.pip = pip
        self.jobs = max(1, jobs)
        self.logger = logger
    }

    /// This version's folder: `bin/llama-server`, `build.log`, scratch `work/`.
    public var versionDirectory: URL {
        cache.llamaCppDirectory.appendingPathComponent(source.version, isDirectory: true)
    }

    /// Where the finished binary is installed.
    public var binaryLocation: URL {
        versionDirectory.appendingPathComponent("bin/llama-server")
    }

    /// The full output of the last build, kept for diagnosis.
    public var logLocation: URL {
        versionDirectory.appendingPathComponent("build.log")
    }

    /// The built binary if it is installed; cheap, for status displays and
    /// for deciding whether tests that need it can run.
    public var installedBinary: URL? {
        FileManager.default.isExecutableFile(atPath: binaryLocation.path) ? binaryLocation : nil
    }

    /// Checks a llama-server the user supplied instead of a built one, so a
    /// bad `--llama-server` path fails at once with a clear message.
    public static func validate(userBinary path: String) throws -> URL {
        guard let url = ExecutableLocator.find(path) else {
            throw LlamaServerError("llama-server '\(path)' is not an executable file (or not on PATH); give the path of a llama-server binary")
        }
        return url
    }

    /// Returns the path of a llama-server: `userBinary` if given (checked),
    /// else the cached build, compiling it first if needed (minutes).
    public func ensure(userBinary: String? = nil, progress: SetupProgressHandler? = nil) async throws -> URL {
        if let userBinary {
            return try Self.validate(userBinary: userBinary)
        }
        let report = SetupReporter(subject: "llama-server \(source.version)", handler: progress, logger: logger)
        let directory = try cache.directory("llama.cpp", source.version)
        let lock = try await FileLock.acquire(directory.appendingPathComponent(".lock")) {
            report.step("waiting for another refine process that is building llama-server")
        }
        defer { withExtendedLifetime(lock) {} }
        if let installed = installedBinary {
            report.step("already built at \(installed.path)", fraction: 1)
            return installed
        }
        let work = directory.appendingPathComponent("work", isDirectory: true)
        try? FileManager.default.removeItem(at: work)
        try? FileManager.default.removeItem(at: Self.temporaryLocation(of: binaryLocation))
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try Data("refine: building llama-server \(source.version) on \(Date())\n".utf8).write(to: logLocation)

        let tools = try await buildTools(report: report)
        report.step("downloading \(source.fileName)", fraction: 0.02)
        let archive = work.appendingPathComponent(source.fileName)
        try await fetchArchive(to: archive, report: report)

        report.step("unpacking \(source.fileName)", fraction: 0.08)
        let unpacked = work.appendingPathComponent("src", isDirectory: true)
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        try await step("unpacking", tools.tar, ["-xzf", archive.path, "-C", unpacked.path])
        let sourceFolder = unpacked.appendingPathComponent(source.sourceDirectory, isDirectory: true)
        guard FileManager.default.fileExists(atPath: sourceFolder.appendingPathComponent("CMakeLists.txt").path) else {
            throw LlamaServerError(
                "\(source.fileName) has no \(source.sourceDirectory)/CMakeLists.txt; the archive is not the expected llama.cpp source")
        }
        try? FileManager.default.removeItem(at: archive)

        report.step("configuring with cmake", fraction: 0.1)
        let buildFolder = work.appendingPathComponent("build", isDirectory: true)
        try await step("configuring", tools.cmake, ["-S", sourceFolder.path, "-B", buildFolder.path] + tools.generatorArguments + Self.cmakeOptions)

        report.step("compiling llama-server with \(jobs) jobs (several minutes)", fraction: 0.15)
        try await watchingProgress(report: report) {
            try await step("compiling", tools.cmake, ["--build", buildFolder.path, "--target", "llama-server", "-j", "\(jobs)"])
        }

        report.step("checking the binary", fraction: 0.98)
        let built = buildFolder.appendingPathComponent("bin/llama-server")
        guard FileManager.default.isExecutableFile(atPath: built.path) else {
            throw LlamaServerError("the build finished but produced no \(built.path); see \(logLocation.path)")
        }
        try await step("checking the built binary with --version", built, ["--version"])
        try install(built)
        try? FileManager.default.removeItem(at: work)
        report.step("built at \(binaryLocation.path)", fraction: 1)
        return binaryLocation
    }

    /// The cmake options for a self-contained CPU build of the server only.
    static let cmakeOptions = [
        "-DCMAKE_BUILD_TYPE=Release",
        "-DBUILD_SHARED_LIBS=OFF",
        "-DLLAMA_BUILD_TESTS=OFF",
        "-DLLAMA_BUILD_EXAMPLES=OFF",
        "-DLLAMA_CURL=OFF",
        "-DLLAMA_OPENSSL=OFF",
    ]

    static func temporaryLocation(of binary: URL) -> URL {
        binary.deletingLastPathComponent().appendingPathComponent(binary.lastPathComponent + ".partial")
    }

    /// Runs one build command with its output in the build log; a failure
    /// quotes the log's last lines.
    func step(_ name: String, _ executable: URL, _ arguments: [String]) async throws {
        let start = LogTail.size(of: logLocation)
        let status = try await ChildProcess.run(executable, arguments, log: logLocation)
        guard status.succeeded else {
            let tail = LogTail.read(logLocation, from: start, lines: 4)
            throw LlamaServerError(
                "building llama-server \(source.version) failed while \(name) (\(status)): \(tail) (full log: \(logLocation.path))")
        }
    }

    /// Copies the verified binary beside its final place and renames it there,
    /// so `bin/llama-server` exists only complete.
    private func install(_ built: URL) throws {
        let binDirectory = binaryLocation.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: binDirectory, withIntermediateDirectories: true)
        let temporary = Self.temporaryLocation(of: binaryLocation)
        try? FileManager.default.removeItem(at: temporary)
        try FileManager.default.copyItem(at: built, to: temporary)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary.path)
        guard rename(temporary.path, binaryLocation.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw LlamaServerError("cannot install llama-server at \(binaryLocation.path): \(reason)")
        }
    }

    /// Runs `body` while reporting cmake's `[ NN%]` lines from the build log,
    /// so minutes of compiling show movement.
    private func watchingProgress(report: SetupReporter, _ body: () async throws -> Void) async throws {
        let log = logLocation
        let watcher = Task {
            var offset = LogTail.size(of: log)
            var lastPercent = -1
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(2))
                guard let handle = try? FileHandle(forReadingFrom: log) else { continue }
                _ = try? handle.seek(toOffset: offset)
                let data = (try? handle.readToEnd()) ?? Data()
                try? handle.close()
                offset += UInt64(data.count)
                if let percent = Self.lastPercent(in: String(decoding: data, as: UTF8.self)), percent / 10 > lastPercent / 10 {
                    lastPercent = percent
                    report.step("compiling llama-server (\(percent)%)", fraction: 0.15 + 0.83 * Double(percent) / 100)
                }
            }
        }
        defer { watcher.cancel() }
        try await body()
    }

    /// The last `[ NN%]` progress marker in cmake/make (or `[n/m]` ninja) output.
    static func lastPercent(in text: String) -> Int? {
        var result: Int?
        for line in text.split(whereSeparator: \.isNewline) {
            guard line.hasPrefix("[") else { continue }
            let inside = line.dropFirst().prefix { $0 != "]" }
            if inside.hasSuffix("%"), let value = Int(inside.dropLast().trimmingCharacters(in: .whitespaces)) {
                result = value
            } else {
                let numbers = inside.split(separator: "/")
                if numbers.count == 2, let done = Int(numbers[0]), let total = Int(numbers[1]), total > 0 {
                    result = 100 * done / total
                }
            }
        }
        return result
    }
}
