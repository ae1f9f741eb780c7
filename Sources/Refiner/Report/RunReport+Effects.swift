/// The effect of each refinement iteration and the early-stopping
/// ablation: what refinement fixed, what it broke, and, where runs differ
/// only in `--early-stop`, what forcing every iteration cost.
extension RunReport {
    var effectSection: ReportSection {
        let effectsTable = ReportTable(
            id: "table-effects", title: "Net effect of each refinement iteration",
            columns: [
                .init("Run"), .init("Early stop"), .init("Iteration", .trailing), .init("Refinements", .trailing),
                .init("Fixed", .trailing), .init("Broken", .trailing), .init("Net", .trailing),
            ],
            rows: runs.flatMap { run in
                run.summary.iterationEffects.map { effect in
                    [
                        Self.runCell(run), .code(run.summary.earlyStopping.rawValue), .init("\(effect.iteration)"),
                        .init("\(effect.attempts)"), .init("\(effect.fixed)"), .init("\(effect.broken)"),
                        .init(effect.net > 0 ? "+\(effect.net)" : "\(effect.net)"),
                    ]
                }
            },
            note: ReportText(
                "A refinement is compared with the attempt it was shown: fixed means that attempt failed and the "
                    + "refinement passed, broken the reverse."))
        let costTable = ReportTable(
            id: "table-broken", title: "Passing code broken by refinement",
            columns: [
                .init("Run"), .init("Early stop"), .init("Refinements made", .trailing), .init("Fixed", .trailing),
                .init("Passing code broken", .trailing), .init("Returned pass@1", .trailing),
            ],
            rows: runs.map { run in
                let effects = run.summary.iterationEffects
                return [
                    Self.runCell(run), .code(run.summary.earlyStopping.rawValue), .init("\(effects.map(\.attempts).reduce(0, +))"),
                    .init("\(effects.map(\.fixed).reduce(0, +))"), .init("\(run.summary.passingBrokenByRefinement)"),
                    .init(ReportFormat.spread(run.summary.finalPassAt1)),
                ]
            })
        var tables = [effectsTable, costTable]
        var paragraphs: [ReportText] = [
            ReportText(
                "Each refinement iteration can turn failing code into passing code (fixed) or passing code into "
                    + "failing code (broken). Stopping on a pass never refines passing code; forcing every iteration does.")
        ]
        let ablations = EarlyStopAblation.groups(in: runs)
        if ablations.isEmpty {
            paragraphs.append(
                ReportText(
                    .text("No two of these runs differ only in "), .code("--early-stop"),
                    .text(". To measure what forced refinement costs, report a "), .code("--early-stop none"),
                    .text(" run together with a "), .code("pass"), .text(" or "), .code("best"),
                    .text(" run of the same setup.")))
        } else {
            for (index, ablation) in ablations.enumerated() {
                let names = ablation.runs.map { "\($0.label) (\($0.summary.earlyStopping.rawValue))" }.joined(separator: ", ")
                paragraphs.append(
                    ReportText(
                        .strong("Early-stopping ablation \(index + 1): "), .text(names),
                        .text(" are the same experiment but for "), .code("--early-stop"), .text(".")))
                tables.append(ablationTable(ablation, number: index + 1))
            }
        }
        let ordered = ablations.flatMap(\.runs) + runs.filter { run in !ablations.contains { $0.runs.contains { $0.index == run.index } } }
        let groups = ordered.flatMap { run in
            run.summary.iterationEffects.map { effect in
                GroupedBarChart.Group(
                    label: "it \(effect.iteration)",
                    bars: [
                        GroupedBarChart.Bar(
                            value: Double(effect.fixed), label: effect.fixed > 0 ? "+\(effect.fixed)" : "0",
                            tooltip: "\(run.label) iteration \(effect.iteration): \(effect.fixed) fixed of \(effect.attempts) refinements"),
                        GroupedBarChart.Bar(
                            value: -Double(effect.broken), label: effect.broken > 0 ? "−\(effect.broken)" : "0",
                            tooltip: "\(run.label) iteration \(effect.iteration): \(effect.broken) broken of \(effect.attempts) refinements"),
                    ],
                    cluster: "\(run.label) · \(run.summary.earlyStopping.rawValue)")
            }
        }
        var figures: [ReportSection.Figure] = []
        if !groups.isEmpty {
            let chart = GroupedBarChart(
                series: [
                    .init(name: "fixed (failing → passing)", color: ReportPalette.fixed),
                    .init(name: "broken (passing → failing)", color: ReportPalette.broken),
                ],
                groups: groups, isShare: false, valueTitle: "tasks", groupTitle: "refinement iteration, by run and early-stopping rule")
            figures.append(
                .init(
                    svg: chart.svg(title: "Fixed and broken tasks per refinement iteration"),
                    caption: ReportText(
                        "For each run and refinement iteration: refinements that fixed the attempt they were shown (up) and "
                            + "refinements that broke a passing one (down), counted over all of a folder's runs."
                            + (ablations.isEmpty ? "" : " Runs of an early-stopping ablation stand first, side by side."))))
        } else {
            paragraphs.append(ReportText("No run made a refinement: every first attempt was kept."))
        }
        return ReportSection(
            id: "effects", title: "Refinement effects and early stopping", paragraphs: paragraphs, figures: figures,
            tables: tables)
    }

    /// One ablation's runs compared on what stopping changes: the pass@1
    /// returned, the best cut along the way, and the work spent.
    func ablationTable(_ ablation: EarlyStopAblation, number: Int) -> ReportTable {
        ReportTable(
            id: "table-ablation-\(number)", title: "Early-stopping ablation \(number)",
            columns: [
                .init("Run"), .init("Early stop"), .init("Patience", .trailing), .init("Returned pass@1", .trailing),
                .init("Best cut", .trailing), .init("Refinements made", .trailing), .init("Passing code broken", .trailing),
                .init("Tokens per task", .trailing), .init("Seconds per task", .trailing),
            ],
            rows: ablation.runs.map { run in
                let summary = run.summary
                let best = summary.passAt1ByIteration.enumerated().max { $0.element.mean < $1.element.mean }
                let cost = run.costPerTask
                return [
                    Self.runCell(run), .code(summary.earlyStopping.rawValue), .init("\(run.header.settings.patience)"),
                    .init(ReportFormat.spread(summary.finalPassAt1)),
                    .init(best.map { "\(ReportFormat.percent($0.element.mean)) after \($0.offset)" } ?? "—"),
                    .init("\(summary.iterationEffects.map(\.attempts).reduce(0, +))"), .init("\(summary.passingBrokenByRefinement)"),
                    .init(ReportFormat.count(cost.generatorTokens + cost.refinerTokens)), .init(ReportFormat.seconds(cost.wallSeconds)),
                ]
            },
            note: ReportText(
                "Best cut: the highest mean pass@1 along the way and after how many refinements; "
                    + "with forced refinement (none) a returned pass@1 below it is what forcing cost."))
    }
}
