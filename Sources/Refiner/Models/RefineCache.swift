import Foundation

/// The per-user folder where refine keeps what is expensive to recreate:
/// model files, the compiled llama-server and the tools used to build it.
/// Everything in it can be deleted; `refine setup` recreates it.
public struct RefineCache: Sendable, Hashable {
    /// Overrides the cache location (useful for CI and for tests).
    public static let environmentVariable = "REFINE_CACHE"

    /// The cache's root folder. It may not exist yet; the accessors create
    /// the parts that are asked for.
    public let root: URL

    /// Uses `root` as the cache, e.g. a temporary folder in tests.
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// Finds the cache folder the way other tools do: `$REFINE_CACHE` if set,
    /// else `$XDG_CACHE_HOME/refine`, else `~/.cache/refine`. Empty variables
    /// count as unset, as the XDG specification asks.
    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> RefineCache {
        if let configured = environment[environmentVariable], !configured.isEmpty {
            return RefineCache(root: URL(fileURLWithPath: configured, isDirectory: true))
        }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty, xdg.hasPrefix("/") {
            return RefineCache(root: URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("refine"))
        }
        let home: URL
        if let configured = environment["HOME"], !configured.isEmpty {
            home = URL(fileURLWithPath: configured, isDirectory: true)
        } else {
            home = FileManager.default.homeDirectoryForCurrentUser
        }
        return RefineCache(root: home.appendingPathComponent(".cache/refine", isDirectory: true))
    }

    /// Returns `root/components…`, creating the folder (and its parents) if
    /// needed, so callers never deal with a missing cache.
    public func directory(_ components: String...) throws -> URL {
        var url = root
        for component in components {
            url.appendPathComponent(component, isDirectory: true)
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw ModelError("cannot create cache folder \(url.path): \(error.localizedDescription); set \(Self.environmentVariable) to a writable folder")
        }
        return url
    }

    /// Where models live: one subfolder per catalog name.
    public var modelsDirectory: URL { root.appendingPathComponent("models", isDirectory: true) }

    /// Where compiled llama.cpp versions live, one subfolder per version.
    public var llamaCppDirectory: URL { root.appendingPathComponent("llama.cpp", isDirectory: true) }

    /// Where build tools installed from PyPI (cmake, ninja) live.
    public var toolsDirectory: URL { root.appendingPathComponent("tools", isDirectory: true) }
}
