import Foundation
import Refiner
import Testing

/// The page as a browser draws it: headless Chromium takes a screenshot of
/// the report of the hand-made runs, and the test finds the charts' colours
/// in the amounts and places the fixtures' numbers call for.
@Suite("Report in a browser")
struct ReportScreenshotTests {
    /// Debian's `chromium` (CI installs it), or another Chrome on the PATH.
    static let chromium: String? = {
        let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in names where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }()

    // Colours of the fixtures' charts (ReportPalette), by chart.
    static let firstAttempt = "#a9b8cc"
    static let returned = "#24548f"
    static let broken = "#c62828"
    static let generatorCompletion = "#2f6fb0"
    static let refinerCompletion = "#d9641e"
    static let modelTime = "#5b4ea3"
    static let syntaxError = "#1565c0"
    /// A legend key is 12 × 12 pixels.
    static let legendKey = 144.0

    /// Renders `html` to a PNG with headless Chromium.
    static func screenshot(of html: URL, to png: URL, chromium: String, profile: URL) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
            "--no-first-run", "--disable-extensions", "--user-data-dir=\(profile.path)", "--window-size=1280,9000",
            "--screenshot=\(png.path)", html.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(180)
        while process.isRunning && Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("Chromium did not finish the screenshot within 180 s")
        }
    }

    @Test(
        .enabled(if: chromium != nil, "Chromium is not installed (apt-get install chromium): the screenshot test is skipped"),
        .timeLimit(.minutes(5)))
    func theChartsAreDrawnWhereAndAsLargeAsTheNumbersSay() async throws {
        let chromium = try #require(Self.chromium)
        let root = try ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try await ReportFixtures.writeBestRun(root.appendingPathComponent("best"))
        try await ReportFixtures.writeNoneRun(root.appendingPathComponent("none"))
        let report = try RunReport.load([root.appendingPathComponent("best"), root.appendingPathComponent("none")])
        let files = try report.write(to: root.appendingPathComponent("out"))
        let png = root.appendingPathComponent("report.png")
        try await Self.screenshot(of: files.html, to: png, chromium: chromium, profile: root.appendingPathComponent("profile"))
        let data = try #require(FileManager.default.contents(atPath: png.path), "Chromium wrote no screenshot")
        // Kept for a person to look at.
        let kept = FileManager.default.temporaryDirectory.appendingPathComponent("refine-report-screenshot.png")
        try? FileManager.default.removeItem(at: kept)
        try? data.write(to: kept)
        print("report screenshot: \(kept.path)")

        let image = try PNGImage(data: data)
        #expect(image.width == 1280)
        let census = image.census([
            Self.firstAttempt, Self.returned, Self.broken, Self.generatorCompletion, Self.refinerCompletion, Self.modelTime,
            Self.syntaxError,
        ])
        func count(_ color: String) -> Double { Double(census[color]?.count ?? 0) }
        func bars(_ color: String) -> ClosedRange<Int>? { census[color]?.rows(holdingAtLeast: 40) }

        // Chart 1, drawn at its own scale (960 px wide, 260 px for 100 %):
        // bars 54 px wide; returned 75 % (R1) and 50 % (R2), first attempt
        // 37.5 % and 50 %.
        let returnedArea = 54 * (195 + 130) + Self.legendKey
        #expect(abs(count(Self.returned) - returnedArea) < returnedArea * 0.05, "returned bars: \(count(Self.returned)) px")
        let returnedRows = try #require(bars(Self.returned), "no returned-pass@1 bars")
        #expect(abs(returnedRows.count - 195) <= 3, "the 75 % bar is \(returnedRows.count) px tall, not 195")
        let firstArea = 54 * (97.5 + 130) + Self.legendKey
        #expect(abs(count(Self.firstAttempt) - firstArea) < firstArea * 0.06, "first-attempt bars: \(count(Self.firstAttempt)) px")
        let firstRows = try #require(bars(Self.firstAttempt))
        #expect(abs(firstRows.count - 130) <= 3, "the 50 % bar is \(firstRows.count) px tall, not 130")
        #expect(firstRows.upperBound == returnedRows.upperBound, "the bars do not share their baseline")

        // Chart 4: R2 broke 2 passing tasks at iteration 2. The axis runs
        // from -3 to 3 tasks (2 with headroom, rounded), 260 px: one bar
        // 86.7 px tall hanging below zero.
        let brokenArea = 54 * 86.7 + Self.legendKey
        #expect(abs(count(Self.broken) - brokenArea) < brokenArea * 0.05, "broken bars: \(count(Self.broken)) px")
        let brokenRows = try #require(bars(Self.broken), "no broken bars")
        #expect(abs(brokenRows.count - 87) <= 3, "the broken bar is \(brokenRows.count) px tall, not 87")

        // Chart 5: refiner completion tokens per task (60 + 120) against the
        // generator's (40 + 40): 2.25 times the area.
        let refinerTokens = count(Self.refinerCompletion) - Self.legendKey
        let generatorTokens = count(Self.generatorCompletion) - Self.legendKey
        #expect(generatorTokens > 1000, "generator completion bars: \(generatorTokens) px")
        #expect(abs(refinerTokens / max(generatorTokens, 1) - 2.25) < 0.15, "token bars \(refinerTokens) : \(generatorTokens)")
        // Model seconds per task: 5 and 8 at 77.6 px per second, 24 px tall.
        let modelArea = 13 * 77.6 * 24 + Self.legendKey
        #expect(abs(count(Self.modelTime) - modelArea) < modelArea * 0.05, "model-time bars: \(count(Self.modelTime)) px")
        let modelRows = try #require(bars(Self.modelTime), "no model-time bars")

        // Chart 2: syntax_error nodes (38 px for R1, 42 px twice for R2, 18
        // px wide) plus at most six 10 px table keys.
        #expect(count(Self.syntaxError) >= 2196 && count(Self.syntaxError) <= 2196 + 700, "syntax_error: \(count(Self.syntaxError)) px")

        // The charts stand in the report's order, top to bottom.
        #expect(returnedRows.upperBound < brokenRows.lowerBound)
        #expect(brokenRows.upperBound < modelRows.lowerBound)
    }
}
