import Sandbox

/// Everything an audit found: whether recorded verdicts reproduce, the
/// evidence under each outcome, and how the common harnesses' labels
/// compare with ours. Its JSON form (snake_case keys, `null` for absent
/// values) is what `refine audit --json` prints.
public struct AuditReport: Sendable, Codable, Hashable {
    /// What was audited.
    public struct Source: Sendable, Codable, Hashable {
        /// A run folder's journal, or a candidates file.
        public enum Kind: String, Sendable, Codable, Hashable {
            /// A run folder: recorded verdicts to reproduce.
            case run
            /// A candidates file: nothing recorded.
            case candidates
        }

        /// Which of the two was audited (a run is checked for reproduction).
        public var kind: Kind
        /// The run folder or the candidates file.
        public var path: String
        /// The suites whose tests were used (none for self-contained programs).
        public var suites: [BenchmarkSuite]
        /// Attempts whose reply held no code: nothing was executed, nothing
        /// to audit (the journal labels them `no_code`).
        public var withoutCode: Int
        /// What the audit could not cover and why (a half-written journal
        /// line), or nil when it covered everything.
        public var leftOut: String?

        /// Describes the audited input.
        public init(kind: Kind, path: String, suites: [BenchmarkSuite], withoutCode: Int = 0, leftOut: String? = nil) {
            self.kind = kind
            self.path = path
            self.suites = suites
            self.withoutCode = withoutCode
            self.leftOut = leftOut
        }

        enum CodingKeys: String, CodingKey {
            case kind, path, suites
            case withoutCode = "without_code"
            case leftOut = "left_out"
        }

        /// Every key present, `null` when nothing was left out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(path, forKey: .path)
            try container.encode(suites, forKey: .suites)
            try container.encode(withoutCode, forKey: .withoutCode)
            try container.encode(leftOut, forKey: .leftOut)
        }
    }

    /// How many candidates had an outcome, and a few to check it by eye.
    public struct OutcomeGroup: Sendable, Codable, Hashable {
        /// The outcome the group's verdicts share.
        public var outcome: Outcome
        /// How many candidates had it.
        public var count: Int
        /// Up to the asked number, chosen for variety (see ``examples(_:limit:)``).
        public var examples: [AuditEvidence]
    }

    /// What was audited, and what was left out.
    public var source: Source
    /// The limits every candidate ran under (a run's own, from its header).
    public var limits: SandboxSummary
    /// Candidates executed.
    public var executed: Int
    /// Which verdicts the outcome groups count: a run's recorded verdicts
    /// (what its claims rest on), or the audit's own.
    public var outcomesFrom: String
    /// nil for a candidates file: it records no verdicts to reproduce.
    public var reproduction: AuditReproduction?
    /// Non-empty groups, in the outcomes' order.
    public var outcomes: [OutcomeGroup]
    /// Our outcome against the common harnesses' label, on the plain programs.
    public var comparison: HarnessComparison
    /// Whether every recorded verdict reproduced (true when none were
    /// checked): the audit's exit status rests on it.
    public var allReproduced: Bool

    /// Builds the report from the observations; `examples` bounds the
    /// examples per outcome and per disagreeing cell.
    public init(source: Source, limits: SandboxSummary, results: [AuditResult], examples: Int = 3) {
        self.source = source
        self.limits = limits
        executed = results.count
        reproduction = source.kind == .run ? AuditReproduction(results: results) : nil
        allReproduced = reproduction?.allReproduced ?? true
        outcomesFrom =
            source.kind == .run
            ? "the verdicts the run recorded"
            : "the audit's scoring runs (task lines) and script runs (program lines)"
        var groups: [Outcome: [AuditResult]] = [:]
        for result in results {
            groups[result.evidenceVerdict.outcome, default: []].append(result)
        }
        outcomes = Outcome.allCases.compactMap { outcome in
            guard let members = groups[outcome] else { return nil }
            return OutcomeGroup(outcome: outcome, count: members.count, examples: Self.examples(members, limit: examples))
        }
        comparison = HarnessComparison(results: results, examplesPerCell: examples)
    }


    /// Up to `limit` examples, in order, preferring variety: first one per
    /// exception type, then one per task, then the rest.
    static func examples(_ members: [AuditResult], limit: Int) -> [AuditEvidence] {
        let keys: [@Sendable (AuditResult) -> String] = [
            { $0.evidenceVerdict.exception?.type ?? "" },
            { $0.candidate.taskID ?? $0.candidate.id },
            { $0.candidate.id },
        ]
        var chosen: [Int] = []
        for key in keys {
            var seen = Set(chosen.map { key(members[$0]) })
            for index in members.indices where chosen.count < limit && !chosen.contains(index) {
                if seen.insert(key(members[index])).inserted {
                    chosen.append(index)
                }
            }
        }
        return chosen.sorted().map { AuditEvidence(candidate: members[$0].candidate.id, verdict: members[$0].evidenceVerdict) }
    }

    enum CodingKeys: String, CodingKey {
        case source, limits, executed
        case outcomesFrom = "outcomes_from"
        case reproduction, outcomes, comparison
        case allReproduced = "all_reproduced"
    }

    /// Every key present (`reproduction` is `null` for candidates files),
    /// plus `all_reproduced`, the flag the exit status follows.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(limits, forKey: .limits)
        try container.encode(executed, forKey: .executed)
        try container.encode(outcomesFrom, forKey: .outcomesFrom)
        try container.encode(reproduction, forKey: .reproduction)
        try container.encode(outcomes, forKey: .outcomes)
        try container.encode(comparison, forKey: .comparison)
        try container.encode(allReproduced, forKey: .allReproduced)
    }
}
