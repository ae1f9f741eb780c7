import Foundation

extension Audit {
    /// Reads a run folder's journal off the cooperative pool. Errors are
    /// ``JournalError``s in one line ("… is not a run folder: it has no
    /// journal.jsonl").
    public static func readRun(at runDirectory: URL) async throws -> JournalContents {
        try await BlockingIO.run { try Journal.read(runDirectory: runDirectory) }
    }

    /// The tasks a run was scored on, from the dataset folder (or the
    /// default one). A run made on another copy of the dataset is refused:
    /// its tests may differ, and no verdict of it could be checked.
    public static func loadTasks(for header: RunHeader, from dataDirectory: URL?) async throws -> [BenchmarkTask] {
        guard header.datasetSHA256 == header.suite.sha256 else {
            throw AuditError(
                "the run was scored on a \(header.suite.rawValue) dataset with SHA-256 \(header.datasetSHA256), "
                    + "not the published \(header.suite.sha256): its tests cannot be loaded here")
        }
        return try await loadTasks([header.suite], from: dataDirectory)
    }

    /// Every task of `suites`, loaded and verified by ``DatasetLoader``.
    public static func loadTasks(_ suites: [BenchmarkSuite], from dataDirectory: URL?) async throws -> [BenchmarkTask] {
        try await BlockingIO.run {
            try suites.flatMap { try DatasetLoader.load($0, from: dataDirectory) }
        }
    }

    /// The size of the journal's half-written last line, for the report's
    /// note of what was left out; nil when it cannot be read.
    static func halfWrittenTailBytes(runDirectory: URL) async throws -> Int? {
        let url = runDirectory.appendingPathComponent(Journal.fileName)
        return try await BlockingIO.run {
            guard var data = FileManager.default.contents(atPath: url.path) else { return nil }
            if data.last == UInt8(ascii: "\n") { data.removeLast() }
            let start = data.lastIndex(of: UInt8(ascii: "\n")).map { data.index(after: $0) } ?? data.startIndex
            return data.distance(from: start, to: data.endIndex)
        }
    }
}
