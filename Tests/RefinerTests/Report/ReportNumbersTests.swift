import Foundation
import Refiner
import Testing

/// The report's numbers against values worked out by hand from the
/// fixtures' journals (see `ReportFixtures`): folder A (`best`, R1) and
/// folder B (`none`, R2), two repetitions each over four tasks.
@Suite("Report numbers")
struct ReportNumbersTests {
    /// Writes both folders and reads them as one report.
    static func report() async throws -> (RunReport, URL) {
        let root = try ReportFixtures.temporaryDirectory()
        try await ReportFixtures.writeBestRun(root.appendingPathComponent("best"))
        try await ReportFixtures.writeNoneRun(root.appendingPathComponent("none"))
        let report = try RunReport.load(
            [root.appendingPathComponent("best"), root.appendingPathComponent("none")],
            generatedAt: Date(timeIntervalSince1970: 1_800_000_000))
        return (report, root)
    }

    /// A numeric cell as the page prints it.
    static func htmlCell(_ text: String) -> String {
        "<td class=\"num\">\(text)</td>"
    }

    @Test func passAt1MatchesTheHandComputedValues() async throws {
        let (report, root) = try await Self.report()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(report.runs.map(\.label) == ["R1", "R2"])
        #expect(report.leftOut.isEmpty)
        let markdown = MarkdownSummary(report).text
        let html = ReportDocument(report).html

        let folders = try MarkdownTable(titled: "Run folders", in: markdown)
        #expect(
            folders.rows == [
                ["R1", "best", "gen-small → ref-large", "full", "best", "2"], ["R2", "none", "gen-small → ref-large", "full", "none", "2"],
            ])
        let comparison = try MarkdownTable(titled: "Runs compared", in: markdown)
        #expect(comparison.rows(of: "R1") == [["R1", "8 of 8", "37.5% ± 17.7", "75.0% ± 0.0", "+37.5 pp", "+2.12", "0"]])
        #expect(comparison.rows(of: "R2") == [["R2", "8 of 8", "50.0% ± 0.0", "50.0% ± 0.0", "+0.0 pp", "+0.00", "2"]])
        let statistics = try MarkdownTable(titled: "Run-to-run spread and the gap", in: markdown)
        #expect(statistics.rows(of: "R1").first?[1...3] == ["2", "25.0%, 50.0%", "75.0%, 75.0%"])

        let iterations = try MarkdownTable(titled: "pass@1 by refinement iterations allowed", in: markdown)
        #expect(
            iterations.rows(of: "R1") == [["R1", "best", "37.5% ± 17.7 (25.0–50.0%)", "62.5% ± 17.7 (50.0–75.0%)", "75.0% ± 0.0 (75.0–75.0%)"]])
        #expect(
            iterations.rows(of: "R2") == [["R2", "none", "50.0% ± 0.0 (50.0–50.0%)", "75.0% ± 0.0 (75.0–75.0%)", "50.0% ± 0.0 (50.0–50.0%)"]])

        for cell in ["37.5% ± 17.7", "75.0% ± 0.0", "+37.5 pp", "+2.12", "62.5% ± 17.7 (50.0–75.0%)", "75.0% ± 0.0 (75.0–75.0%)"] {
            #expect(html.contains(Self.htmlCell(cell)), "the page lacks \(cell)")
        }
    }

    @Test func transitionsAndFixRatesMatchTheHandCounts() async throws {
        let (report, root) = try await Self.report()
        defer { try? FileManager.default.removeItem(at: root) }
        let markdown = MarkdownSummary(report).text
        let html = ReportDocument(report).html

        let transitions = try MarkdownTable(titled: "First attempt → returned attempt", in: markdown)
        #expect(
            transitions.rows(of: "R1") == [
                ["R1", "passed", "passed", "3", "37.5%"],
                ["R1", "assertion_error", "passed", "2", "25.0%"],
                ["R1", "syntax_error", "passed", "1", "12.5%"],
                ["R1", "syntax_error", "assertion_error", "1", "12.5%"],
                ["R1", "no_code", "assertion_error", "1", "12.5%"],
            ])
        #expect(
            transitions.rows(of: "R2") == [
                ["R2", "passed", "passed", "2", "25.0%"],
                ["R2", "passed", "assertion_error", "2", "25.0%"],
                ["R2", "assertion_error", "passed", "2", "25.0%"],
                ["R2", "syntax_error", "syntax_error", "2", "25.0%"],
            ])

        let fixRates = try MarkdownTable(titled: "Fix rate by first error type", in: markdown)
        #expect(
            fixRates.rows(of: "R1") == [
                ["R1", "assertion_error", "2", "2", "100.0%"],
                ["R1", "syntax_error", "2", "1", "50.0%"],
                ["R1", "no_code", "1", "0", "0.0%"],
            ])
        #expect(fixRates.rows(of: "R2") == [["R2", "assertion_error", "2", "2", "100.0%"], ["R2", "syntax_error", "2", "0", "0.0%"]])
        // The fix-rate chart labels its bars fixed/failed.
        #expect(html.contains(">1/2</text>"))
        #expect(html.contains(">0/1</text>"))
        // The flow chart's nodes carry the counts.
        #expect(html.contains("syntax_error  2</text>"))
    }

    @Test func iterationEffectsAndTheAblationMatchTheHandCounts() async throws {
        let (report, root) = try await Self.report()
        defer { try? FileManager.default.removeItem(at: root) }
        let markdown = MarkdownSummary(report).text

        let effects = try MarkdownTable(titled: "Net effect of each refinement iteration", in: markdown)
        #expect(effects.rows(of: "R1") == [["R1", "best", "1", "5", "2", "0", "+2"], ["R1", "best", "2", "3", "1", "0", "+1"]])
        #expect(effects.rows(of: "R2") == [["R2", "none", "1", "8", "2", "0", "+2"], ["R2", "none", "2", "8", "0", "2", "-2"]])

        let broken = try MarkdownTable(titled: "Passing code broken by refinement", in: markdown)
        #expect(broken.rows(of: "R1") == [["R1", "best", "8", "3", "0", "75.0% ± 0.0"]])
        #expect(broken.rows(of: "R2") == [["R2", "none", "16", "2", "2", "50.0% ± 0.0"]])

        // R1 and R2 differ only in --early-stop: one ablation, none first.
        let ablation = try MarkdownTable(titled: "Early-stopping ablation 1", in: markdown)
        #expect(
            ablation.rows == [
                ["R2", "none", "2", "50.0% ± 0.0", "75.0% after 1", "16", "2", "860", "10.0 s"],
                ["R1", "best", "2", "75.0% ± 0.0", "75.0% after 2", "8", "0", "500", "10.0 s"],
            ])
    }

    @Test func costPerTaskMatchesTheFixturesCosts() async throws {
        let (report, root) = try await Self.report()
        defer { try? FileManager.default.removeItem(at: root) }
        let markdown = MarkdownSummary(report).text

        // Per task: the generator once (100 + 40 tokens, 2 s), the refiner
        // 8 times over 8 tasks for R1 and 16 for R2 (300 + 60, 3 s each).
        let tokens = try MarkdownTable(titled: "Tokens per task", in: markdown)
        #expect(tokens.rows(of: "R1") == [["R1", "8", "100", "40", "300", "60", "26.7 tok/s", "30.0 tok/s"]])
        #expect(tokens.rows(of: "R2") == [["R2", "8", "100", "40", "600", "120", "26.7 tok/s", "30.0 tok/s"]])
        let time = try MarkdownTable(titled: "Seconds per task", in: markdown)
        // R1: 15 attempts with code × 0.25 s = 3.75 s; 40 s in the models; 80 s wall.
        #expect(time.rows(of: "R1") == [["R1", "80.0 s", "10.0 s", "5.0 s", "0.5 s", "4.5 s", "1", "0"]])
    }

    @Test func theSetupOfEachRunIsQuoted() async throws {
        let (report, root) = try await Self.report()
        defer { try? FileManager.default.removeItem(at: root) }
        let markdown = MarkdownSummary(report).text
        let setup = try MarkdownTable(titled: "R1: best", in: markdown)
        let values = Dictionary(setup.rows.map { ($0[0], $0[1]) }, uniquingKeysWith: { first, _ in first })
        #expect(values["Command"] == "refine bench humaneval --limit 4 --runs 2")
        #expect(values["Dataset SHA-256"] == BenchmarkSuite.humaneval.sha256)
        #expect(values["Generator"] == "gen-small")
        #expect(values["Generator SHA-256"] == String(repeating: "a1", count: 32))
        #expect(values["Refiner file"] == "/models/ref-large.gguf")
        #expect(values["Refiner sampling"] == "temperature 0, seed 1234, max tokens 640, stop \"\\n```\\n\", top-p server default")
        #expect(values["Loop"] == "iterations 2, early stop best, patience 2, feedback full")
        #expect(values["Sandbox limits"] == "wall 10 s, CPU 10 s, memory 1024 MB")
        #expect(values["Execution"] == "threads 2, context 4096, parallel slots 1, concurrency 1")
        #expect(values["refine version"] == RefineVersion.current)
        #expect(values["Resumed"] == "never")
    }

    @Test func textFromFilesIsEscaped() async throws {
        let root = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("hostile")
        try await ReportFixtures.writeRun(
            folder,
            header: ReportFixtures.header(
                runs: 1, earlyStopping: .pass, command: "refine bench <script>alert(1)</script> | `x` & y",
                generatorName: "<b>gen</b>"),
            repetitions: [ReportFixtures.noneRepetition])
        let report = try RunReport.load([folder])
        let html = ReportDocument(report).html
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>gen"))
        #expect(html.contains("refine bench &lt;script&gt;alert(1)&lt;/script&gt; | `x` &amp; y"))
        #expect(html.contains("&lt;b&gt;gen&lt;/b&gt; → ref-large"))
        let markdown = MarkdownSummary(report).text
        let folders = try MarkdownTable(titled: "Run folders", in: markdown)
        #expect(folders.rows.first?[2] == "<b>gen</b> → ref-large")
        #expect(!markdown.contains("| <b>gen"))
        let setup = try MarkdownTable(titled: "R1: hostile", in: markdown)
        #expect(setup.rows.first { $0[0] == "Command" }?[1] == "refine bench <script>alert(1)</script> | `x` & y")
    }
}
