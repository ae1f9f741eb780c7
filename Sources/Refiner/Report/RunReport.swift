import Foundation
import Logging

/// The runs one report shows, read from their journals, with the folders
/// that were left out and why. A report never mixes datasets: pass@1 on
/// HumanEval and on MBPP (or on two copies of one suite) are not the same
/// quantity, so only runs on the dataset of the first usable folder are
/// kept, and every other folder is named with its reason.
public struct RunReport: Sendable {
    /// A folder that was given but is not in the report.
    public struct LeftOut: Sendable, Hashable {
        /// The folder as given.
        public var directory: URL
        /// One line that names the folder and says why it was left out.
        public var message: String

        /// A folder and the one line that says why it is not reported.
        public init(directory: URL, message: String) {
            self.directory = directory
            self.message = message
        }
    }

    /// The suite every reported run used.
    public var suite: BenchmarkSuite
    /// The hash of the dataset file every reported run used: the same
    /// suite from another file is another dataset.
    public var datasetSHA256: String
    /// The reported runs, in the order given.
    public var runs: [ReportRun]
    /// Folders given but not reported, in the order given, with why.
    public var leftOut: [LeftOut]
    /// When the report was made; printed on it.
    public var generatedAt: Date
    /// The version of the tool that made the report (runs record their own).
    public var refineVersion: String

    /// Reads each folder's journal and keeps the runs that can be reported
    /// together; throws ``ReportError`` only when none can.
    public static func load(
        _ directories: [URL], generatedAt: Date = Date(), logger: Logger = Logger(label: "refine.report")
    ) throws -> RunReport {
        var usable: [(URL, JournalContents)] = []
        var leftOut: [LeftOut] = []
        var seen: Set<String> = []
        for directory in directories {
            let path = directory.standardizedFileURL.path
            guard seen.insert(path).inserted else {
                leftOut.append(LeftOut(directory: directory, message: "\(directory.path): given twice; reported once"))
                continue
            }
            let journal: JournalContents
            do {
                journal = try Journal.read(runDirectory: directory)
            } catch let error as JournalError {
                leftOut.append(LeftOut(directory: directory, message: error.description))
                continue
            } catch {
                leftOut.append(LeftOut(directory: directory, message: "\(directory.path): cannot be read: \(error)"))
                continue
            }
            guard !journal.results.isEmpty else {
                leftOut.append(LeftOut(directory: directory, message: "\(directory.path): no task has finished yet, so it has no numbers"))
                continue
            }
            if let first = usable.first?.1, !sameDataset(first.header, journal.header) {
                leftOut.append(
                    LeftOut(
                        directory: directory,
                        message: "\(directory.path): its dataset is \(datasetName(journal.header)), not the report's "
                            + "\(datasetName(first.header)) from the first usable folder \(usable[0].0.path); "
                            + "a report never mixes datasets"))
                continue
            }
            usable.append((directory, journal))
        }
        for entry in leftOut {
            logger.notice("left out of the report", metadata: ["reason": "\(entry.message)"])
        }
        guard let first = usable.first?.1 else {
            let reasons = leftOut.map(\.message).joined(separator: "; ")
            throw ReportError("no run to report: \(reasons.isEmpty ? "no run folder was given" : reasons)")
        }
        let runs = usable.enumerated().map { index, entry in
            ReportRun(label: "R\(index + 1)", index: index, directory: entry.0, journal: entry.1)
        }
        logger.debug("report runs", metadata: ["runs": "\(runs.map(\.directory.path))"])
        return RunReport(
            suite: first.header.suite, datasetSHA256: first.header.datasetSHA256, runs: runs, leftOut: leftOut,
            generatedAt: generatedAt, refineVersion: RefineVersion.current)
    }

    /// The same suite from the same file: only then is pass@1 comparable.
    static func sameDataset(_ lhs: RunHeader, _ rhs: RunHeader) -> Bool {
        lhs.suite == rhs.suite && lhs.datasetSHA256 == rhs.datasetSHA256
    }

    static func datasetName(_ header: RunHeader) -> String {
        "\(header.suite.rawValue) (sha256 \(header.datasetSHA256.prefix(12))…)"
    }

    /// Everything a reader must know before reading the numbers: folders
    /// left out, then what is odd about the runs kept.
    var notes: [ReportText] {
        leftOut.map { ReportText(.strong("Left out:"), .text(" " + $0.message)) } + runNotes
    }

    /// Interrupted writes, unfinished runs, runs over different tasks.
    var runNotes: [ReportText] {
        var notes = runs.flatMap(\.notes)
        let selections = Set(runs.map(\.header.taskIDs))
        if selections.count > 1 {
            let counts = runs.map { "\($0.label): \($0.header.taskIDs.count) tasks" }.joined(separator: ", ")
            notes.append(
                ReportText(
                    .strong("Different tasks:"),
                    .text(" the runs cover different task selections (\(counts)); each pass@1 is over its own run's tasks.")))
        }
        return notes
    }

    /// What is odd about the runs kept, as plain lines for the terminal:
    /// the same words as on the page, without markup. (Folders left out
    /// are in ``leftOut``.)
    public var warnings: [String] {
        runNotes.map(\.plain)
    }
}
