import Foundation

/// One run folder in a report: its journal as read, the numbers
/// ``RunSummary`` computes from it, and the short name charts use for it.
/// Keeping the journal beside the summary lets the report quote the
/// run's setup (models, hashes, settings, command) next to its numbers.
public struct ReportRun: Sendable {
    /// `R1`, `R2`, … in the order the folders were given: short enough for
    /// chart axes, explained in the comparison table.
    public var label: String
    /// Position in the report (0-based), which picks the run's colour.
    public var index: Int
    /// The run folder as given.
    public var directory: URL
    /// The journal as read: the header quoted in the report, the attempts
    /// and results every number comes from.
    public var journal: JournalContents
    /// The run's numbers, computed once from `journal` and shared by every
    /// table and chart of the report.
    public var summary: RunSummary

    /// Reads nothing: `journal` was read by the caller, which decided the
    /// run belongs in the report.
    public init(label: String, index: Int, directory: URL, journal: JournalContents) {
        self.label = label
        self.index = index
        self.directory = directory
        self.journal = journal
        self.summary = RunSummary(journal)
    }

    /// What the run was: models, settings, dataset, command.
    public var header: RunHeader { journal.header }

    /// Tasks the run set out to finish: its tasks times its repetitions.
    public var plannedTasks: Int { header.taskIDs.count * header.runs }

    /// Whether fewer tasks finished than were planned (an interrupted or
    /// still running benchmark): its numbers cover the finished ones only.
    public var isUnfinished: Bool { summary.finishedTasks < plannedTasks }

    /// The folder's own name, which `refine bench` derives from the setup.
    var folderName: String { directory.standardizedFileURL.lastPathComponent }

    var color: String { ReportPalette.run(index) }

    /// The pairing, as one line: `gen → refiner`.
    var pairing: String { "\(header.generator.name) → \(header.refiner.name)" }

    /// What a reader must know before trusting the run's numbers.
    var notes: [ReportText] {
        var notes: [ReportText] = []
        if journal.truncatedTail {
            notes.append(
                ReportText(
                    .strong(label), .text(" ("), .code(folderName),
                    .text("): the journal's last line was half-written (an interrupted write) and is left out; the rest is reported.")))
        }
        if isUnfinished {
            notes.append(
                ReportText(
                    .strong(label), .text(" ("), .code(folderName),
                    .text(
                        "): unfinished, \(summary.finishedTasks) of \(plannedTasks) planned tasks finished; "
                            + "its numbers cover the finished tasks only.")))
        }
        return notes
    }

    /// Tokens and seconds per finished task, the cost chart's bars.
    var costPerTask: CostPerTask {
        CostPerTask(summary: summary)
    }

    /// Tokens and seconds per finished task, from the summary's totals.
    struct CostPerTask: Sendable, Hashable {
        var generatorPrompt: Double
        var generatorCompletion: Double
        var refinerPrompt: Double
        var refinerCompletion: Double
        var wallSeconds: Double
        var modelSeconds: Double
        var sandboxSeconds: Double
        /// Wall time neither in the models nor in the sandbox: HTTP,
        /// queueing, extraction, the journal.
        var otherSeconds: Double

        init(summary: RunSummary) {
            let tasks = Double(max(summary.finishedTasks, 1))
            generatorPrompt = Double(summary.tokens.generatorPrompt) / tasks
            generatorCompletion = Double(summary.tokens.generatorCompletion) / tasks
            refinerPrompt = Double(summary.tokens.refinerPrompt) / tasks
            refinerCompletion = Double(summary.tokens.refinerCompletion) / tasks
            wallSeconds = summary.time.secondsPerTask
            modelSeconds = summary.time.modelSeconds / tasks
            sandboxSeconds = summary.time.sandboxSeconds / tasks
            otherSeconds = max(0, wallSeconds - modelSeconds - sandboxSeconds)
        }

        var generatorTokens: Double { generatorPrompt + generatorCompletion }
        var refinerTokens: Double { refinerPrompt + refinerCompletion }
    }
}
