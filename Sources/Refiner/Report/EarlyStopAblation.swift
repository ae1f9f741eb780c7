/// Runs that are the same experiment but for `--early-stop` (and its
/// patience): set side by side they show what forcing every refinement
/// (`none`) costs against stopping on a pass (`pass`) or keeping the best
/// (`best`). Grouping on the whole header, not on the folder name, keeps
/// a run with other models, feedback or tasks out of the comparison.
struct EarlyStopAblation: Sendable {
    /// The runs, ordered none, pass, best, then as given.
    var runs: [ReportRun]

    /// The groups among `runs` with at least two different stopping rules.
    static func groups(in runs: [ReportRun]) -> [EarlyStopAblation] {
        var groups: [(header: RunHeader, runs: [ReportRun])] = []
        for run in runs {
            var neutral = run.header
            neutral.settings.earlyStopping = .none
            neutral.settings.patience = 0
            if let index = groups.firstIndex(where: { $0.header.isSameExperiment(as: neutral) }) {
                groups[index].runs.append(run)
            } else {
                groups.append((neutral, [run]))
            }
        }
        let order: [EarlyStopping: Int] = [.none: 0, .pass: 1, .best: 2]
        return groups.filter { Set($0.runs.map(\.summary.earlyStopping)).count > 1 }
            .map { group in
                EarlyStopAblation(
                    runs: group.runs.enumerated().sorted {
                        (order[$0.element.summary.earlyStopping, default: 0], $0.offset)
                            < (order[$1.element.summary.earlyStopping, default: 0], $1.offset)
                    }.map(\.element))
            }
    }
}
