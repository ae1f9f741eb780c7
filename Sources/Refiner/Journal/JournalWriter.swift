import Foundation

/// Appends entries to a run's journal, one flushed line at a time, so an
/// interrupted run loses at most the line being written, and a resumed run
/// goes on where it stopped.
public actor JournalWriter {
    /// The journal file being appended to.
    public let url: URL
    private let handle: FileHandle
    private let encoder = Journal.encoder()

    private init(url: URL, handle: FileHandle) {
        self.url = url
        self.handle = handle
    }

    /// Opens `directory`'s journal for `header`: creates it, or resumes it
    /// when it holds the same experiment (returning what it holds). A
    /// different experiment in the folder is an error: pick another folder.
    public static func open(directory: URL, header: RunHeader) async throws -> (JournalWriter, JournalContents?) {
        let url = directory.appendingPathComponent(Journal.fileName)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let data = FileManager.default.contents(atPath: url.path), !data.isEmpty {
            let (contents, validLength) = try Journal.parse(data, source: url.path)
            guard contents.header.isSameExperiment(as: header) else {
                throw JournalError(
                    "\(directory.path) holds a different run (\(header.difference(from: contents.header))): "
                        + "choose another --out folder or remove it")
            }
            let handle = try FileHandle(forWritingTo: url)
            // Drop a half-written last line so the file stays valid JSON Lines.
            try handle.truncate(atOffset: UInt64(validLength))
            try handle.seekToEnd()
            let writer = JournalWriter(url: url, handle: handle)
            try await writer.append(.resumed(at: Date(), command: header.command))
            return (writer, contents)
        }
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw JournalError("cannot create \(url.path)")
        }
        let writer = JournalWriter(url: url, handle: try FileHandle(forWritingTo: url))
        try await writer.append(.header(header))
        return (writer, nil)
    }

    /// Writes `entry` as one line and syncs it to disk before returning, so a
    /// crash loses at most the line being written.
    public func append(_ entry: JournalEntry) throws {
        var line = try encoder.encode(entry)
        line.append(UInt8(ascii: "\n"))
        try handle.write(contentsOf: line)
        try handle.synchronize()
    }

    /// Closes the file; append nothing after it.
    public func close() throws {
        try handle.close()
    }
}
