/// What each run was, quoted from its journal's header: models with their
/// hashes, sampling, loop and sandbox settings, the dataset, the command
/// and its resumptions; so every number in the report can be traced to
/// the setup that produced it and the run repeated.
extension RunReport {
    var provenanceSection: ReportSection {
        ReportSection(
            id: "setup", title: "Setup of each run",
            paragraphs: [
                ReportText(
                    .text("Quoted from each journal's header line ("), .code(Journal.fileName),
                    .text("), which a resumed run must match, and from its resumption lines."))
            ],
            figures: [], tables: runs.map(provenanceTable))
    }

    func provenanceTable(_ run: ReportRun) -> ReportTable {
        typealias Cell = ReportTable.Cell
        let header = run.header
        let settings = header.settings
        var rows: [[Cell]] = [
            [Cell("Folder"), .code(run.directory.path)],
            [Cell("Command"), .code(header.command)],
            [Cell("Started"), Cell(ReportFormat.date(header.startedAt))],
        ]
        if run.journal.resumptions.isEmpty {
            rows.append([Cell("Resumed"), Cell("never")])
        }
        for (index, resumption) in run.journal.resumptions.enumerated() {
            rows.append([Cell("Resumed (\(index + 1)) \(ReportFormat.date(resumption.date))"), .code(resumption.command)])
        }
        rows += [
            [Cell("refine version"), .code(header.refineVersion)],
            [Cell("Dataset"), Cell("\(header.suite.rawValue), \(header.taskIDs.count) of \(header.suite.taskCount) tasks")],
            [Cell("Dataset SHA-256"), .code(header.datasetSHA256)],
            [Cell("Tasks"), .code(Self.taskRange(header.taskIDs))],
            [
                Cell("Runs"),
                Cell(
                    "\(header.runs) planned; \(run.summary.finishedTasks) of \(run.plannedTasks) tasks finished"
                        + (run.isUnfinished ? " (unfinished)" : "")),
            ],
        ]
        for (role, identity) in [("Generator", header.generator), ("Refiner", header.refiner)] {
            rows.append([Cell(role), .code(identity.name)])
            rows.append([Cell("\(role) file"), identity.file.map { Cell.code($0) } ?? Cell("—")])
            rows.append([Cell("\(role) SHA-256"), identity.sha256.map { Cell.code($0) } ?? Cell("not recorded")])
            if let endpoint = identity.endpoint {
                rows.append([Cell("\(role) endpoint"), .code(endpoint)])
            }
        }
        rows += [
            [Cell("Generator sampling"), .code(Self.sampling(settings.generatorSampling))],
            [Cell("Refiner sampling"), .code(Self.sampling(settings.refinerSampling))],
            [
                Cell("Loop"),
                .code(
                    "iterations \(settings.iterations), early stop \(settings.earlyStopping.rawValue), patience \(settings.patience), "
                        + "feedback \(settings.feedback.rawValue)"),
            ],
            [
                Cell("Sandbox limits"),
                .code(
                    "wall \(ReportFormat.plain(header.sandbox.wallSeconds)) s, CPU \(header.sandbox.cpuSeconds) s, "
                        + "memory \(header.sandbox.memoryMegabytes) MB"),
            ],
            [Cell("Interpreter"), .code(header.sandbox.interpreter)],
            [
                Cell("Execution"),
                header.execution.map {
                    Cell.code(
                        "threads \($0.threads), context \($0.contextSize), parallel slots \($0.parallelSlots), concurrency \($0.concurrency)")
                } ?? Cell("not recorded (journal written before execution settings were kept)"),
            ],
            [
                Cell("Journal"),
                Cell(run.journal.truncatedTail ? "last line half-written (an interrupted write): left out" : "complete"),
            ],
        ]
        return ReportTable(
            id: "table-setup-\(run.label)", title: "\(run.label): \(run.folderName)", columns: [.init("Setting"), .init("Value")],
            rows: rows)
    }

    /// Sampling settings as one line, every field spelled out.
    static func sampling(_ sampling: SamplingSettings) -> String {
        let stop = sampling.stop.isEmpty ? "none" : sampling.stop.map { String(reflecting: $0) }.joined(separator: ", ")
        return "temperature \(ReportFormat.plain(sampling.temperature)), seed \(sampling.seed), max tokens \(sampling.maxTokens), stop \(stop), "
            + "top-p \(sampling.topP.map(ReportFormat.plain) ?? "server default")"
    }

    /// The task selection, short: all ids when few, else first … last.
    static func taskRange(_ ids: [String]) -> String {
        guard ids.count > 6, let first = ids.first, let last = ids.last else { return ids.joined(separator: ", ") }
        return "\(first) … \(last) (\(ids.count) tasks)"
    }
}
