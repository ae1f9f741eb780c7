import Sandbox

/// Our outcome against the common harnesses' label, both read from the
/// same script-mode execution of each plain program: a confusion matrix,
/// and for every cell off its diagonal, examples with the reason.
public struct HarnessComparison: Sendable, Codable, Hashable {
    /// Executions compared.
    public var compared: Int
    /// Executions whose two labels agree (see
    /// ``HarnessLabel/agreeing(with:exceptionType:)``).
    public var agreements: Int
    /// `agreements` over `compared` (1 when nothing was compared).
    public var agreementRate: Double
    /// Every non-empty cell, by our outcome, then their label.
    public var cells: [Cell]
    /// For each cell off the diagonal, up to the asked number of examples.
    public var disagreements: [Disagreement]
    /// Candidates whose plain program ended with another outcome than their
    /// scoring run (a `__main__` block that runs only in the plain program;
    /// the first failing test ending the script): the matrix's rows are
    /// about the plain program.
    public var differentFromScore: Int

    /// One cell of the confusion matrix.
    public struct Cell: Sendable, Codable, Hashable {
        /// Our outcome (the row).
        public var ours: Outcome
        /// Their label (the column).
        public var theirs: HarnessLabel
        /// Executions in the cell.
        public var count: Int
        /// How many of the cell's executions agree. A family outcome agrees
        /// for all or none; `runtime_error` agrees by the exact type, so a
        /// cell such as (runtime_error, ValueError) can be mixed when some
        /// programs printed a ValueError line of their own.
        public var agreements: Int
    }

    /// One execution the two classifications label differently.
    public struct Disagreement: Sendable, Codable, Hashable {
        /// Our outcome for the plain program.
        public var ours: Outcome
        /// Their label for the same execution.
        public var theirs: HarnessLabel
        /// Why the two differ, by rule.
        public var reason: DisagreementReason
        /// The script run the two labels were read from (exception, exit
        /// status, stderr's last line).
        public var evidence: AuditEvidence
        /// The scoring run's outcome, when the candidate has a task.
        public var scoredOutcome: Outcome?

        enum CodingKeys: String, CodingKey {
            case ours, theirs, reason, evidence
            case scoredOutcome = "scored_outcome"
        }

        /// Every key present, `null` when there was no scoring run.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ours, forKey: .ours)
            try container.encode(theirs, forKey: .theirs)
            try container.encode(reason, forKey: .reason)
            try container.encode(evidence, forKey: .evidence)
            try container.encode(scoredOutcome, forKey: .scoredOutcome)
        }
    }

    /// Compares every result's script run; keeps up to `examplesPerCell`
    /// disagreements per cell, in the results' order.
    public init(results: [AuditResult], examplesPerCell: Int = 3) {
        var counts: [Outcome: [HarnessLabel: (count: Int, agreements: Int)]] = [:]
        var agreements = 0
        var disagreements: [Disagreement] = []
        var shown: [Outcome: [HarnessLabel: Int]] = [:]
        var differentFromScore = 0
        for result in results {
            let verdict = result.script
            let label = HarnessLabel(observing: verdict)
            let agrees = label.agrees(with: verdict)
            counts[verdict.outcome, default: [:]][label, default: (0, 0)].count += 1
            if let scored = result.scored, scored.outcome != verdict.outcome {
                differentFromScore += 1
            }
            if agrees {
                counts[verdict.outcome, default: [:]][label, default: (0, 0)].agreements += 1
                agreements += 1
                continue
            }
            guard shown[verdict.outcome, default: [:]][label, default: 0] < examplesPerCell else { continue }
            shown[verdict.outcome, default: [:]][label, default: 0] += 1
            disagreements.append(
                Disagreement(
                    ours: verdict.outcome, theirs: label,
                    reason: DisagreementReason(verdict: verdict, label: label, testsFirstLine: result.candidate.testsFirstLine),
                    evidence: AuditEvidence(candidate: result.candidate.id, verdict: verdict),
                    scoredOutcome: result.scored?.outcome))
        }
        compared = results.count
        self.agreements = agreements
        agreementRate = results.isEmpty ? 1 : Double(agreements) / Double(results.count)
        cells = Outcome.allCases.flatMap { outcome in
            (counts[outcome] ?? [:]).sorted { $0.key < $1.key }.map { label, tally in
                Cell(ours: outcome, theirs: label, count: tally.count, agreements: tally.agreements)
            }
        }
        self.disagreements = disagreements.sorted { left, right in
            let order = Outcome.allCases
            let leftIndex = order.firstIndex(of: left.ours) ?? 0
            let rightIndex = order.firstIndex(of: right.ours) ?? 0
            return leftIndex != rightIndex ? leftIndex < rightIndex : left.theirs < right.theirs
        }
        self.differentFromScore = differentFromScore
    }

    enum CodingKeys: String, CodingKey {
        case compared, agreements, cells, disagreements
        case differentFromScore = "different_from_score"
        case agreementRate = "agreement_rate"
    }
}
