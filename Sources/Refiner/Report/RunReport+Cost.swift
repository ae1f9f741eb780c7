/// What each run cost per task: tokens by model and role, seconds by where
/// they went, and the replies and sandbox failures that are not about the
/// code.
extension RunReport {
    var costSection: ReportSection {
        let tokens = ReportTable(
            id: "table-tokens", title: "Tokens per task",
            columns: [
                .init("Run"), .init("Tasks", .trailing), .init("Generator prompt", .trailing), .init("Generator completion", .trailing),
                .init("Refiner prompt", .trailing), .init("Refiner completion", .trailing), .init("Generator speed", .trailing),
                .init("Refiner speed", .trailing),
            ],
            rows: runs.map { run in
                let cost = run.costPerTask
                let use = run.summary.tokens
                return [
                    Self.runCell(run), .init("\(run.summary.finishedTasks)"), .init(ReportFormat.count(cost.generatorPrompt)),
                    .init(ReportFormat.count(cost.generatorCompletion)), .init(ReportFormat.count(cost.refinerPrompt)),
                    .init(ReportFormat.count(cost.refinerCompletion)), .init(ReportFormat.rate(use.generatorTokensPerSecond, unit: "tok/s")),
                    .init(ReportFormat.rate(use.refinerTokensPerSecond, unit: "tok/s")),
                ]
            },
            note: ReportText(
                "Tokens as the model server counted them, summed over every attempt of the finished tasks and divided by "
                    + "their number. Speed is completion tokens per second of the server's own generation time."))
        let time = ReportTable(
            id: "table-time", title: "Seconds per task",
            columns: [
                .init("Run"), .init("Wall, total", .trailing), .init("Wall per task", .trailing), .init("Models", .trailing),
                .init("Sandbox", .trailing), .init("Other", .trailing), .init("Replies without code", .trailing),
                .init("Sandbox errors", .trailing),
            ],
            rows: runs.map { run in
                let cost = run.costPerTask
                return [
                    Self.runCell(run), .init(ReportFormat.seconds(run.summary.time.wallSeconds)), .init(ReportFormat.seconds(cost.wallSeconds)),
                    .init(ReportFormat.seconds(cost.modelSeconds)), .init(ReportFormat.seconds(cost.sandboxSeconds)),
                    .init(ReportFormat.seconds(cost.otherSeconds)), .init("\(run.summary.noCodeReplies)"), .init("\(run.summary.sandboxErrors)"),
                ]
            },
            note: ReportText(
                "Wall time is measured per task over all sessions of a run. Models is the servers' own prompt and generation "
                    + "time (or the request's wall time where a server did not report it); other is the rest of the wall time: "
                    + "HTTP, queueing, extraction, the journal. Sandbox errors are failures of the sandbox itself, never of the code."))
        let tokenChart = StackedBarChart(
            series: [
                .init(name: "generator prompt", color: ReportPalette.generatorPrompt),
                .init(name: "generator completion", color: ReportPalette.generatorCompletion),
                .init(name: "refiner prompt", color: ReportPalette.refinerPrompt),
                .init(name: "refiner completion", color: ReportPalette.refinerCompletion),
            ],
            rows: runs.map { run in
                let cost = run.costPerTask
                return .init(
                    label: run.label, values: [cost.generatorPrompt, cost.generatorCompletion, cost.refinerPrompt, cost.refinerCompletion],
                    total: "\(ReportFormat.count(cost.generatorTokens + cost.refinerTokens)) tokens")
            },
            valueTitle: "tokens per finished task", unit: "tokens")
        let timeChart = StackedBarChart(
            series: [
                .init(name: "models", color: ReportPalette.modelTime), .init(name: "sandbox", color: ReportPalette.sandboxTime),
                .init(name: "other (HTTP, queueing, extraction, journal)", color: ReportPalette.otherTime),
            ],
            rows: runs.map { run in
                let cost = run.costPerTask
                return .init(
                    label: run.label, values: [cost.modelSeconds, cost.sandboxSeconds, cost.otherSeconds],
                    total: ReportFormat.seconds(cost.wallSeconds))
            },
            valueTitle: "seconds per finished task", unit: "s")
        return ReportSection(
            id: "cost", title: "Tokens and seconds per task",
            paragraphs: [ReportText("What a task cost each run, on average over its finished tasks.")],
            figures: [
                .init(
                    svg: tokenChart.svg(title: "Tokens per task, by model and role"),
                    caption: ReportText("Tokens per finished task: prompt and completion, of the generator (first attempts) and of the refiner.")),
                .init(
                    svg: timeChart.svg(title: "Seconds per task, by where they went"),
                    caption: ReportText(
                        "Wall seconds per finished task, split into the model servers' time, the sandbox's time and the rest.")),
            ],
            tables: [tokens, time])
    }
}
