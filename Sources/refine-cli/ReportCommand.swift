import ArgumentParser
import Foundation
import Refiner

/// `refine report`: one HTML page with charts and one Markdown summary
/// with the same numbers, from one or more run folders.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML report (inline charts) and a Markdown summary of one or more benchmark runs.",
        discussion: """
            Every number is computed from the runs' journals (<run-dir>/journal.jsonl, as written by \
            `refine bench`). Give several run folders to compare them side by side: generator/refiner \
            pairings, --feedback full against visible, --early-stop none against pass or best.

            A report never mixes datasets: runs on another suite or another copy of the dataset than \
            the first usable folder are left out, and so are folders that hold no run; each is named on \
            stderr and in the report. A journal whose last line was half-written is reported without that \
            line; an unfinished run is reported and marked as such.

            Exit status: 0 when every folder is in the report; 1 when the report was written but some \
            folders were left out; 2 for bad usage (no usable run, an output that cannot be written).
            """)

    @Argument(help: ArgumentHelp("Run folders written by `refine bench`.", valueName: "run-dir"))
    var runDirectories: [String]

    @Option(help: ArgumentHelp("Folder to write report.html and report.md into (default: the current folder).", valueName: "dir"))
    var out: String?

    func run() async throws {
        let report: RunReport
        do {
            report = try RunReport.load(runDirectories.map { URL(fileURLWithPath: $0) })
        } catch let error as ReportError {
            throw UsageError(error.description)
        }
        for leftOut in report.leftOut {
            FileHandle.standardError.write(Data("refine: left out: \(leftOut.message)\n".utf8))
        }
        for warning in report.warnings {
            FileHandle.standardError.write(Data("refine: note: \(warning)\n".utf8))
        }
        let files: (html: URL, markdown: URL)
        do {
            files = try report.write(to: URL(fileURLWithPath: out ?? FileManager.default.currentDirectoryPath))
        } catch let error as ReportError {
            throw UsageError(error.description)
        }
        print("report:  \(files.html.path)")
        print("summary: \(files.markdown.path)")
        if !report.leftOut.isEmpty {
            throw ExitCode(Refine.Status.failed)
        }
    }
}
