/// The report's parts: every number in them is read from ``RunSummary``
/// (computed from the journal); this file only arranges and draws them.
extension RunReport {
    /// The suite as readers know it.
    var suiteName: String {
        switch suite {
        case .humaneval: return "HumanEval"
        case .mbpp: return "MBPP (sanitized)"
        }
    }

    /// What the report covers, in one line under the title.
    var subtitle: ReportText {
        let tasks = Set(runs.map(\.header.taskIDs.count)).sorted().map(String.init).joined(separator: " or ")
        return ReportText(
            "\(runs.count) \(runs.count == 1 ? "run folder" : "run folders") · \(suiteName), \(tasks) tasks per run · "
                + "generated \(ReportFormat.date(generatedAt))")
    }

    /// How the report was made, at its end.
    var colophon: ReportText {
        ReportText(
            .text("Made by refine \(refineVersion) ("), .code("refine report"),
            .text(
                ") from the journals of the runs listed. Every number is computed from those journals; "
                    + "none is typed in. Labels R1… follow the order in which the folders were given."))
    }

    /// The parts, in reading order.
    var sections: [ReportSection] {
        [
            comparisonSection, iterationSection, transitionSection, fixRateSection, effectSection, costSection,
            provenanceSection,
        ]
    }

    static func runCell(_ run: ReportRun) -> ReportTable.Cell {
        ReportTable.Cell(run.label, swatch: run.color)
    }

    /// How a run is named in chart legends: its label and what sets it apart.
    static func legendName(_ run: ReportRun) -> String {
        "\(run.label) · \(run.summary.earlyStopping.rawValue) · \(run.summary.feedback.rawValue)"
    }

    // MARK: - Runs compared

    var comparisonSection: ReportSection {
        let folders = ReportTable(
            id: "table-runs", title: "Run folders",
            columns: [
                .init("Run"), .init("Folder"), .init("Generator → refiner"), .init("Feedback"), .init("Early stop"),
                .init("Iterations", .trailing),
            ],
            rows: runs.map { run in
                [
                    Self.runCell(run), .code(run.folderName), .init(run.pairing), .code(run.summary.feedback.rawValue),
                    .code(run.summary.earlyStopping.rawValue), .init("\(run.summary.iterations)"),
                ]
            },
            note: ReportText(
                .text("Labels R1… follow the order the folders were given; each folder's full setup is under "),
                .strong("Setup of each run"), .text(".")))
        let table = ReportTable(
            id: "table-comparison", title: "Runs compared",
            columns: [
                .init("Run"), .init("Tasks finished", .trailing), .init("First attempt pass@1", .trailing),
                .init("Returned pass@1", .trailing), .init("Change", .trailing), .init("Gap (sd)", .trailing),
                .init("Passing code broken", .trailing),
            ],
            rows: runs.map { run in
                let summary = run.summary
                return [
                    Self.runCell(run), .init("\(summary.finishedTasks) of \(run.plannedTasks)"),
                    .init(ReportFormat.spread(summary.initialPassAt1)), .init(ReportFormat.spread(summary.finalPassAt1)),
                    .init(ReportFormat.points(summary.finalPassAt1.mean - summary.initialPassAt1.mean)),
                    .init(summary.gapInStandardDeviations.map(ReportFormat.signed) ?? "—"),
                    .init("\(summary.passingBrokenByRefinement)"),
                ]
            },
            note: ReportText(
                "pass@1 is the share of finished tasks whose code passed every test. With several runs in one folder "
                    + "the value is the mean over runs ± the sample standard deviation, in percentage points. "
                    + "Change is returned minus first attempt; the gap and how it was computed are in the next table."))
        let statistics = ReportTable(
            id: "table-statistics", title: "Run-to-run spread and the gap",
            columns: [
                .init("Run"), .init("Runs", .trailing), .init("First attempt, per run"), .init("Returned, per run"),
                .init("Gap (sd)", .trailing), .init("How the gap was computed"),
            ],
            rows: runs.map { run in
                let summary = run.summary
                return [
                    Self.runCell(run), .init("\(summary.initialPassAt1.values.count)"), .init(ReportFormat.values(summary.initialPassAt1)),
                    .init(ReportFormat.values(summary.finalPassAt1)),
                    .init(summary.gapInStandardDeviations.map(ReportFormat.signed) ?? "—"), .init(summary.gapMethod),
                ]
            })
        func bar(_ run: ReportRun, _ spread: RunSummary.Spread, _ name: String) -> GroupedBarChart.Bar {
            let deviation = spread.values.count > 1 ? spread.standardDeviation : nil
            return GroupedBarChart.Bar(
                value: spread.mean, low: deviation.map { max(spread.mean - $0, 0) }, high: deviation.map { min(spread.mean + $0, 1) },
                label: ReportFormat.percent(spread.mean), tooltip: "\(run.label) \(name): pass@1 \(ReportFormat.spread(spread))")
        }
        let chart = GroupedBarChart(
            series: [
                .init(name: "first attempt (generator)", color: ReportPalette.firstAttempt),
                .init(name: "returned attempt (after refinement)", color: ReportPalette.returned),
            ],
            groups: runs.map { run in
                GroupedBarChart.Group(
                    label: run.label,
                    bars: [bar(run, run.summary.initialPassAt1, "first attempt"), bar(run, run.summary.finalPassAt1, "returned attempt")])
            },
            isShare: true, valueTitle: "pass@1", groupTitle: "run (named in the table below)")
        let spreadNote = runs.contains { $0.summary.initialPassAt1.values.count > 1 } ? " Whiskers span ±1 standard deviation over a folder's runs." : ""
        return ReportSection(
            id: "comparison", title: "Runs compared",
            paragraphs: [
                ReportText(
                    .text("Each run is a folder written by "), .code("refine bench"),
                    .text(
                        "; its numbers are computed from its journal alone. The first attempt is the generator's answer; "
                            + "the returned attempt is the one the loop kept after refinement."))
            ],
            figures: [
                .init(
                    svg: chart.svg(title: "pass@1 of the first attempt and of the returned attempt, per run"),
                    caption: ReportText(
                        "First-attempt and returned pass@1 for each run, side by side (bar height: mean over the folder's runs)."
                            + spreadNote))
            ],
            tables: [folders, table, statistics])
    }

    // MARK: - pass@1 by iteration

    var iterationSection: ReportSection {
        let longest = runs.map { $0.summary.passAt1ByIteration.count }.max() ?? 1
        let table = ReportTable(
            id: "table-iterations", title: "pass@1 by refinement iterations allowed",
            columns: [ReportTable.Column("Run"), ReportTable.Column("Early stop")]
                + (0..<longest).map { ReportTable.Column($0 == 0 ? "0 (first attempt)" : "\($0)", .trailing) },
            rows: runs.map { run -> [ReportTable.Cell] in
                let cuts = (0..<longest).map { cut -> ReportTable.Cell in
                    guard cut < run.summary.passAt1ByIteration.count else { return ReportTable.Cell("—") }
                    let spread = run.summary.passAt1ByIteration[cut]
                    return ReportTable.Cell(ReportFormat.spread(spread) + (ReportFormat.range(spread).map { " (\($0))" } ?? ""))
                }
                return [Self.runCell(run), ReportTable.Cell.code(run.summary.earlyStopping.rawValue)] + cuts
            },
            note: ReportText("Mean ± standard deviation over a folder's runs, with the lowest and highest run in brackets."))
        let chart = LineChart(
            series: runs.map { run in
                LineChart.Series(
                    name: Self.legendName(run), color: run.color,
                    points: run.summary.passAt1ByIteration.enumerated().map { LineChart.Point(x: $0.offset, spread: $0.element) })
            },
            xTitle: "refinement iterations allowed (0 = first attempt only)", yTitle: "pass@1")
        let several = runs.contains { $0.summary.initialPassAt1.values.count > 1 }
        return ReportSection(
            id: "iterations", title: "pass@1 by iteration",
            paragraphs: [
                ReportText(
                    "The pass@1 each run would have had if the loop had been cut after k refinements (k = 0: the first "
                        + "attempt alone). It replays each task's journaled attempts with the run's own stopping rule, "
                        + "so the last point is the returned pass@1.")
            ],
            figures: [
                .init(
                    svg: chart.svg(title: "pass@1 by refinement iterations allowed"),
                    caption: ReportText(
                        "One line per run: the mean pass@1 over the folder's runs."
                            + (several
                                ? " The shaded band spans the lowest to the highest run; whiskers span ±1 standard deviation."
                                : " Each folder holds one run, so there is no spread to draw.")))
            ],
            tables: [table])
    }

    // MARK: - Error flow

    /// A run's transitions, best first on both sides.
    static func orderedTransitions(_ run: ReportRun) -> [RunSummary.Transition] {
        run.summary.transitions.sorted {
            (ReportPalette.labelOrder($0.from), $0.from, ReportPalette.labelOrder($0.to), $0.to)
                < (ReportPalette.labelOrder($1.from), $1.from, ReportPalette.labelOrder($1.to), $1.to)
        }
    }

    var transitionSection: ReportSection {
        let table = ReportTable(
            id: "table-transitions", title: "First attempt → returned attempt",
            columns: [.init("Run"), .init("First attempt"), .init("Returned attempt"), .init("Tasks", .trailing), .init("Share of run", .trailing)],
            rows: runs.flatMap { run in
                Self.orderedTransitions(run).map { transition in
                    [
                        Self.runCell(run), .code(transition.from, swatch: ReportPalette.outcome(transition.from)),
                        .code(transition.to, swatch: ReportPalette.outcome(transition.to)), .init("\(transition.count)"),
                        .init(ReportFormat.percent(Double(transition.count) / Double(max(run.summary.finishedTasks, 1)))),
                    ]
                }
            },
            note: ReportText(
                "Tasks counted by the label of their first attempt and of their returned attempt, over every finished task "
                    + "of every run in the folder. A label is the sandbox's outcome, or no_code when the reply held no code."))
        let figures = runs.map { run in
            ReportSection.Figure(
                svg: FlowChart(transitions: run.summary.transitions).svg(title: "\(run.label): error types, first attempt → returned attempt"),
                caption: ReportText(
                    .strong(run.label), .text(" ("), .code(run.folderName),
                    .text(
                        "): each ribbon is the tasks whose first attempt ended with the label on the left and whose returned "
                            + "attempt ended with the label on the right; its thickness is their number "
                            + "(\(run.summary.finishedTasks) finished tasks). Ribbons take the colour of the first attempt's label.")))
        }
        return ReportSection(
            id: "transitions", title: "How error types change",
            paragraphs: [
                ReportText("What refinement did to each kind of failure: which ones it turned into passes, which it left, and which it turned into other failures.")
            ],
            figures: figures, tables: [table])
    }

    // MARK: - Fix rates

    var fixRateSection: ReportSection {
        let labels = Set(runs.flatMap { $0.summary.fixRates.map(\.label) })
            .sorted { (ReportPalette.labelOrder($0), $0) < (ReportPalette.labelOrder($1), $1) }
        let table = ReportTable(
            id: "table-fix-rates", title: "Fix rate by first error type",
            columns: [.init("Run"), .init("First error"), .init("Failed first attempts", .trailing), .init("Fixed", .trailing), .init("Fix rate", .trailing)],
            rows: runs.flatMap { run in
                run.summary.fixRates.map { rate in
                    [
                        Self.runCell(run), .code(rate.label, swatch: ReportPalette.outcome(rate.label)), .init("\(rate.failures)"),
                        .init("\(rate.fixed)"), .init(ReportFormat.percent(rate.rate)),
                    ]
                }
            },
            note: ReportText("Among tasks whose first attempt failed with a label, the share whose returned attempt passed."))
        var figures: [ReportSection.Figure] = []
        if !labels.isEmpty {
            let single = runs.count == 1
            let chart = GroupedBarChart(
                series: single
                    ? [GroupedBarChart.Series(name: "fix rate", color: ReportPalette.returned)]
                    : runs.map { GroupedBarChart.Series(name: Self.legendName($0), color: $0.color) },
                groups: labels.map { label in
                    GroupedBarChart.Group(
                        label: label,
                        bars: runs.map { run in
                            run.summary.fixRates.first { $0.label == label }.map { rate in
                                GroupedBarChart.Bar(
                                    value: rate.rate, label: "\(rate.fixed)/\(rate.failures)",
                                    tooltip: "\(run.label) \(label): \(rate.fixed) of \(rate.failures) fixed (\(ReportFormat.percent(rate.rate)))",
                                    color: single ? ReportPalette.outcome(label) : nil)
                            }
                        })
                },
                isShare: true, valueTitle: "fix rate", groupTitle: "label of the first attempt", showsLegend: !single)
            figures.append(
                .init(
                    svg: chart.svg(title: "Fix rate by the first attempt's error type"),
                    caption: ReportText(
                        "For each error type of the first attempt, the share of those tasks whose returned attempt passed; "
                            + "the label on a bar is fixed/failed, counted over all of a folder's runs."
                            + (single ? " Bars take the colour of their label." : " One bar per run."))))
        }
        return ReportSection(
            id: "fix-rates", title: "Fix rate by first error type",
            paragraphs: labels.isEmpty
                ? [ReportText("No first attempt failed in any run, so there was nothing to fix.")]
                : [ReportText("Which failures refinement repairs, and which it does not.")],
            figures: figures, tables: labels.isEmpty ? [] : [table])
    }
}
