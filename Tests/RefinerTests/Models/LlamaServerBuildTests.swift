import Foundation
import Logging
import Testing
@testable import Refiner

/// LlamaServerBuild's download-verify-unpack-configure-build-install path,
/// run on a tiny fake "llama.cpp" whose CMake project copies a script into
/// `bin/llama-server` (no compiler involved, so it takes a second).
@Suite("LlamaServerBuild")
struct LlamaServerBuildTests {
    /// cmake and tar from PATH; without them the build would fetch cmake from PyPI.
    static let toolsPresent = ExecutableLocator.find("cmake") != nil && ExecutableLocator.find("tar") != nil

    static let workingProject = """
        cmake_minimum_required(VERSION 3.14)
        project(fake NONE)
        add_custom_target(llama-server
          COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/bin
          COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/fake-server.sh ${CMAKE_BINARY_DIR}/bin/llama-server)

        """

    static let brokenProject = """
        cmake_minimum_required(VERSION 3.14)
        project(fake NONE)
        message(FATAL_ERROR "refine-test: the configure step exploded")

        """

    /// Packs a fake sdist `fake-1.0/llama.cpp/…` and describes it as a source.
    static func makeSource(_ project: String, in folder: ModelsFixtures.Folder, pinnedHash: String? = nil) async throws -> LlamaCppSource {
        let root = folder.file("sdist/fake-1.0/llama.cpp")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data(project.utf8).write(to: root.appendingPathComponent("CMakeLists.txt"))
        try await ModelsFixtures.writeExecutable(
            "#!/bin/sh\necho \"version: fake-llama-server\"\n", to: root.appendingPathComponent("fake-server.sh"))
        let archive = folder.file("fake-1.0.tar.gz")
        let status = try await ModelsFixtures.runTool("tar", ["-czf", archive.path, "fake-1.0"], in: folder.file("sdist"))
        #expect(status == 0)
        let hash = try pinnedHash ?? ModelsFixtures.sha256Hex(Data(contentsOf: archive))
        return LlamaCppSource(
            package: "fake", version: "1.0-test", fileName: "fake-1.0.tar.gz", sha256: hash,
            sourceDirectory: "fake-1.0/llama.cpp", archiveURL: archive)
    }

    static func builder(_ source: LlamaCppSource, _ folder: ModelsFixtures.Folder) -> LlamaServerBuild {
        LlamaServerBuild(cache: RefineCache(root: folder.file("cache")), source: source, jobs: 2, logger: ModelsFixtures.logger)
    }

    @Test(.enabled(if: toolsPresent, "needs cmake and tar on PATH"))
    func buildsInstallsAtomicallyAndReuses() async throws {
        let folder = try ModelsFixtures.Folder()
        defer { folder.remove() }
        let build = Self.builder(try await Self.makeSource(Self.workingProject, in: folder), folder)
        #expect(build.installedBinary == nil)
        let progress = ModelsFixtures.ProgressLog()

        let binary = try await build.ensure(progress: progress.handler)
        #expect(binary == build.binaryLocation)
        #expect(binary.path.hasSuffix("cache/llama.cpp/1.0-test/bin/llama-server"))
        #expect(build.installedBinary == binary)
        #expect(progress.contains("configuring"))
        #expect(progress.contains("compiling"))
        #expect(!FileManager.default.fileExists(atPath: build.versionDirectory.appendingPathComponent("work").path))
        let log = try String(contentsOf: build.logLocation, encoding: .utf8)
        #expect(log.contains("-DBUILD_SHARED_LIBS=OFF"))
        #expect(log.contains("version: fake-llama-server"), "the binary was run with --version before install")

        let again = ModelsFixtures.ProgressLog()
        #expect(try await build.ensure(progress: again.handler) == binary)
        #expect(again.contains("already built"))
        #expect(try String(contentsOf: build.logLocation, encoding: .utf8) == log, "no second build")
    }

    @Test(.enabled(if: toolsPresent, "needs cmake and tar on PATH"))
    func failedBuildQuotesTheLogAndLeavesNoBinary() async throws {
        let folder = try ModelsFixtures.Folder()
        defer { folder.remove() }
        let build = Self.builder(try await Self.makeSource(Self.brokenProject, in: folder), folder)
        let error = await #expect(throws: LlamaServerError.self) { try await build.ensure() }
        let message = try #require(error).description
        #expect(message.contains("failed while configuring"))
        #expect(message.contains("the configure step exploded"))
        #expect(message.contains(build.logLocation.path))
        #expect(!message.contains("\n"))
        #expect(build.installedBinary == nil)
        #expect(!FileManager.default.fileExists(atPath: build.binaryLocation.path))
        #expect(!FileManager.default.fileExists(atPath: LlamaServerBuild.temporaryLocation(of: build.binaryLocation).path))
    }

    @Test(.enabled(if: toolsPresent, "needs cmake and tar on PATH"))
    func archiveWithTheWrongHashIsRefused() async throws {
        let folder = try ModelsFixtures.Folder()
        defer { folder.remove() }
        let wrong = String(repeating: "ab", count: 32)
        let build = Self.builder(try await Self.makeSource(Self.workingProject, in: folder, pinnedHash: wrong), folder)
        let error = await #expect(throws: LlamaServerError.self) { try await build.ensure() }
        #expect(try #require(error).description.contains("not the pinned \(wrong)"))
        #expect(build.installedBinary == nil)
    }

    @Test func userBinaryIsCheckedNotBuilt() async throws {
        let folder = try ModelsFixtures.Folder()
        defer { folder.remove() }
        let mine = folder.file("my-llama-server")
        try Data("#!/bin/sh\n".utf8).write(to: mine)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: mine.path)
        let build = LlamaServerBuild(cache: RefineCache(root: folder.file("cache")))
        #expect(try await build.ensure(userBinary: mine.path) == mine)
        let error = #expect(throws: LlamaServerError.self) { try LlamaServerBuild.validate(userBinary: folder.file("nope").path) }
        #expect(try #require(error).description.contains("is not an executable file"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("cache").path))
    }

    @Test func parsesBuildProgressAndCMakeVersions() {
        #expect(LlamaServerBuild.lastPercent(in: "[  4%] Building C object\n[ 45%] Building CXX object x.o\nLinking") == 45)
        #expect(LlamaServerBuild.lastPercent(in: "[12/48] Building CXX object y.o") == 25)
        #expect(LlamaServerBuild.lastPercent(in: "no progress here") == nil)
        #expect(LlamaServerBuild.cmakeVersion(in: "cmake version 3.25.1\n\nCMake suite") == [3, 25, 1])
        #expect(LlamaServerBuild.cmakeVersion(in: "bash: cmake: not found") == nil)
    }
}
