import Foundation

/// Remembers that a file was hashed and matched, so a 1 GB model is not
/// re-hashed on every run. The stamp holds the file's size and modification
/// time at hashing; if either changed, the file is hashed again.
struct VerificationStamp: Codable, Equatable, Sendable {
    var size: Int64
    var modificationTime: Double
    var sha256: String

    /// The stamp's own location: beside the file, with `.verified` appended.
    static func location(for file: URL) -> URL {
        file.deletingLastPathComponent().appendingPathComponent(file.lastPathComponent + ".verified")
    }

    /// The file's current size and modification time, or nil if it is missing.
    static func attributes(of file: URL) -> (size: Int64, modificationTime: Double)? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
            (attributes[.type] as? FileAttributeType) == .typeRegular,
            let size = (attributes[.size] as? NSNumber)?.int64Value,
            let date = attributes[.modificationDate] as? Date
        else { return nil }
        return (size, date.timeIntervalSince1970)
    }

    /// True if `file` still has the size and time recorded for a file whose
    /// hash was `sha256`.
    static func isCurrent(for file: URL, sha256: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: location(for: file).path),
            let stamp = try? JSONDecoder().decode(VerificationStamp.self, from: data),
            let now = attributes(of: file)
        else { return false }
        return stamp.sha256 == sha256 && stamp.size == now.size && stamp.modificationTime == now.modificationTime
    }

    /// Records that `file`, as it is now, hashed to `sha256`.
    static func record(for file: URL, sha256: String) throws {
        guard let now = attributes(of: file) else {
            throw ModelError("cannot read \(file.path) to record its verification")
        }
        let stamp = VerificationStamp(size: now.size, modificationTime: now.modificationTime, sha256: sha256)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(stamp).write(to: location(for: file), options: .atomic)
    }
}
