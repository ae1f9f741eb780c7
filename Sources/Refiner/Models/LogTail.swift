import Foundation

/// Reads the end of a log so errors can quote it: a failed build or a model
/// that will not load says why in its last lines.
enum LogTail {
    /// The last `lines` non-empty lines written to `url` after byte `offset`,
    /// joined with " | " so the error stays on one line. Command echoes that
    /// refine writes (`$ cmake …`) are left out, and so are lines containing
    /// any of `ignoring` (e.g. llama-server's log line for every `/health`
    /// poll, which would otherwise bury the reason). "(no output)" if there is
    /// nothing to quote.
    static func read(
        _ url: URL, from offset: UInt64 = 0, lines: Int = 6, maxBytes: UInt64 = 65_536, ignoring: [String] = []
    ) -> String {
        let nothing = "(no output)"
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nothing }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), end > offset else { return nothing }
        let start = max(offset, end > maxBytes ? end - maxBytes : 0)
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { return nothing }
        let text = String(decoding: data, as: UTF8.self)
        let kept = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { line in
                !line.isEmpty && !line.hasPrefix("$ ") && !ignoring.contains { line.contains($0) }
            }
            .suffix(lines)
        return kept.isEmpty ? nothing : kept.joined(separator: " | ")
    }

    /// The size of `url` now, so a later `read(from:)` quotes only new lines.
    static func size(of url: URL) -> UInt64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
    }
}
