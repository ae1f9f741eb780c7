import Foundation
import Refiner
import Testing

/// Folders that are not runs, half-written journals, mixed datasets and
/// unfinished runs: each gets a one-line reason, and whatever is usable is
/// still reported, saying what was left out.
@Suite("Report input")
struct ReportInputTests {
    @Test func aFolderWithoutAJournalIsLeftOutWithItsReason() async throws {
        let root = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let run = root.appendingPathComponent("best")
        try await ReportFixtures.writeBestRun(run)

        do {
            _ = try RunReport.load([empty])
            Issue.record("a folder without a journal made a report")
        } catch let error as ReportError {
            #expect(error.description == "no run to report: \(empty.path) is not a run folder: it has no journal.jsonl")
        }

        let report = try RunReport.load([empty, run])
        #expect(report.runs.map(\.directory) == [run])
        #expect(report.leftOut.map(\.message) == ["\(empty.path) is not a run folder: it has no journal.jsonl"])
        let markdown = MarkdownSummary(report).text
        #expect(markdown.contains("**Left out:** \(empty.path) is not a run folder"))
        #expect(ReportDocument(report).html.contains("<strong>Left out:</strong> \(empty.path) is not a run folder"))
    }

    @Test func aMissingFolderAndARepeatedFolderAreNamed() async throws {
        let root = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = root.appendingPathComponent("best")
        try await ReportFixtures.writeBestRun(run)
        let missing = root.appendingPathComponent("missing")
        let report = try RunReport.load([run, missing, run])
        #expect(report.runs.count == 1)
        #expect(report.leftOut.map(\.message) == ["\(missing.path) is not a folder", "\(run.path): given twice; reported once"])
        #expect(throws: ReportError.self) { try RunReport.load([]) }
    }

    @Test func aHalfWrittenLastLineIsReportedAndTheRestIsKept() async throws {
        let root = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = root.appendingPathComponent("cut")
        try await ReportFixtures.writeBestRun(run)
        let journal = run.appendingPathComponent(Journal.fileName)
        let handle = try FileHandle(forWritingTo: journal)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"type\":\"task\",\"task\":{\"run\":1,\"task_".utf8))
        try handle.close()

        let report = try RunReport.load([run])
        #expect(report.leftOut.isEmpty)
        #expect(report.runs.first?.journal.truncatedTail == true)
        #expect(report.warnings == ["R1 (cut): the journal's last line was half-written (an interrupted write) and is left out; the rest is reported."])
        let markdown = MarkdownSummary(report).text
        #expect(markdown.contains("half-written (an interrupted write) and is left out"))
        // Every finished task is still counted.
        let comparison = try MarkdownTable(titled: "Runs compared", in: markdown)
        #expect(comparison.rows.first?[1...3] == ["8 of 8", "37.5% ± 17.7", "75.0% ± 0.0"])
        let setup = try MarkdownTable(titled: "R1: cut", in: markdown)
        #expect(setup.rows.first { $0[0] == "Journal" }?[1] == "last line half-written (an interrupted write): left out")
    }

    @Test func runsOnAnotherDatasetAreLeftOut() async throws {
        let root = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let humaneval = root.appendingPathComponent("humaneval")
        try await ReportFixtures.writeBestRun(humaneval)
        let mbpp = root.appendingPathComponent("mbpp")
        try await ReportFixtures.writeRun(
            mbpp, header: ReportFixtures.header(suite: .mbpp, runs: 1, earlyStopping: .best),
            repetitions: [ReportFixtures.noneRepetition])
        let otherCopy = root.appendingPathComponent("other-copy")
        try await ReportFixtures.writeRun(
            otherCopy, header: ReportFixtures.header(datasetSHA256: String(repeating: "0", count: 64), runs: 1, earlyStopping: .best),
            repetitions: [ReportFixtures.noneRepetition])

        let report = try RunReport.load([humaneval, mbpp, otherCopy])
        #expect(report.suite == .humaneval)
        #expect(report.runs.map(\.directory) == [humaneval])
        #expect(
            report.leftOut.map(\.message) == [
                "\(mbpp.path): its dataset is mbpp (sha256 ca95deaa9a01…), not the report's humaneval (sha256 b796127e635a…) "
                    + "from the first usable folder \(humaneval.path); a report never mixes datasets",
                "\(otherCopy.path): its dataset is humaneval (sha256 000000000000…), not the report's humaneval "
                    + "(sha256 b796127e635a…) from the first usable folder \(humaneval.path); a report never mixes datasets",
            ])
        #expect(MarkdownSummary(report).text.contains("a report never mixes datasets"))

        // The first usable folder decides: MBPP first reports MBPP.
        let mbppFirst = try RunReport.load([mbpp, humaneval])
        #expect(mbppFirst.suite == .mbpp)
        #expect(mbppFirst.leftOut.map(\.directory) == [humaneval])
    }

    @Test func anUnfinishedRunIsReportedAsSuch() async throws {
        let root = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = root.appendingPathComponent("partial")
        try await ReportFixtures.writeRun(
            run, header: ReportFixtures.header(runs: 2, earlyStopping: .best), repetitions: ReportFixtures.bestRepetitions,
            finishing: 3)
        let report = try RunReport.load([run])
        #expect(report.runs.first?.isUnfinished == true)
        #expect(
            report.warnings == [
                "R1 (partial): unfinished, 6 of 8 planned tasks finished; its numbers cover the finished tasks only."
            ])
        let comparison = try MarkdownTable(titled: "Runs compared", in: MarkdownSummary(report).text)
        #expect(comparison.rows.first?[1] == "6 of 8")

        let nothing = root.appendingPathComponent("nothing")
        try await ReportFixtures.writeRun(
            nothing, header: ReportFixtures.header(runs: 1, earlyStopping: .best), repetitions: [ReportFixtures.noneRepetition],
            finishing: 0)
        let withEmpty = try RunReport.load([run, nothing])
        #expect(withEmpty.leftOut.map(\.message) == ["\(nothing.path): no task has finished yet, so it has no numbers"])
    }

    @Test func writingReplacesBothFilesWhole() async throws {
        let root = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = root.appendingPathComponent("best")
        try await ReportFixtures.writeBestRun(run)
        let out = root.appendingPathComponent("out/nested")
        let report = try RunReport.load([run])
        let files = try report.write(to: out)
        #expect(files.html.lastPathComponent == "report.html")
        #expect(files.markdown.lastPathComponent == "report.md")
        #expect(try String(contentsOf: files.html, encoding: .utf8) == ReportDocument(report).html)
        #expect(try String(contentsOf: files.markdown, encoding: .utf8) == MarkdownSummary(report).text)
        // Nothing but the two files is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["report.html", "report.md"])

        let blocked = root.appendingPathComponent("blocked")
        try Data("a file".utf8).write(to: blocked)
        #expect(throws: ReportError.self) { _ = try report.write(to: blocked) }
    }
}
