import Crypto
import Foundation

/// Streams files through SHA-256 in fixed-size chunks, because models are up
/// to a gigabyte and must never be read into memory whole.
enum FileDigest {
    /// Read size: big enough for throughput, small enough to keep memory flat.
    static let chunkSize = 4 << 20

    /// The SHA-256 (lowercase hex) and byte count of `file`. `progress`
    /// receives the running byte count after each chunk.
    static func sha256(of file: URL, progress: (Int64) -> Void = { _ in }) throws -> (sha256: String, size: Int64) {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
            progress(size)
        }
        return (hex(hasher.finalize()), size)
    }

    /// Lowercase hex of a digest, the form PyPI and model cards publish.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
