import Sandbox

/// Whether a run's recorded verdicts come out the same when their jobs run
/// again: a label that does not reproduce cannot carry a claim.
///
/// A verdict reproduces when the outcome, the exception type, the
/// exception's origin and the tests passed (of the total) all match.
/// Timings, messages and output may differ.
public struct AuditReproduction: Sendable, Codable, Hashable {
    /// Candidates whose recorded verdict was checked.
    public var checked: Int
    /// Checked verdicts that came out the same.
    public var reproduced: Int
    /// Every candidate that did not reproduce, with both verdicts.
    public var mismatches: [Mismatch]

    /// Whether every checked verdict reproduced.
    public var allReproduced: Bool { mismatches.isEmpty }

    /// One verdict that did not reproduce, side by side with the new one.
    public struct Mismatch: Sendable, Codable, Hashable {
        /// The candidate's id in the report.
        public var candidate: String
        /// The compared fields that differ: `outcome`, `exception_type`,
        /// `exception_origin`, `tests`, or `verdict` when none was recorded.
        public var differences: [String]
        /// What kind of difference it looks like, by rule (timing, memory,
        /// our machinery, or the code's own behaviour).
        public var hint: String
        /// The verdict the journal holds; nil when it holds none for the code.
        public var recorded: AuditEvidence?
        /// The verdict the same job gives now.
        public var reproduced: AuditEvidence

        enum CodingKeys: String, CodingKey {
            case candidate, differences, hint, recorded, reproduced
        }

        /// Every key present, `null` when there was no recorded verdict.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(candidate, forKey: .candidate)
            try container.encode(differences, forKey: .differences)
            try container.encode(hint, forKey: .hint)
            try container.encode(recorded, forKey: .recorded)
            try container.encode(reproduced, forKey: .reproduced)
        }
    }

    /// Checks every result whose candidate carries a recorded verdict.
    public init(results: [AuditResult]) {
        var checked = 0
        var mismatches: [Mismatch] = []
        for result in results where result.candidate.checksReproduction {
            guard let now = result.scored else { continue }
            checked += 1
            let recorded = result.candidate.recordedVerdict
            let differences = Self.differences(recorded: recorded, reproduced: now)
            guard !differences.isEmpty else { continue }
            mismatches.append(
                Mismatch(
                    candidate: result.candidate.id, differences: differences,
                    hint: Self.hint(recorded: recorded, reproduced: now),
                    recorded: recorded.map { AuditEvidence(candidate: result.candidate.id, verdict: $0) },
                    reproduced: AuditEvidence(candidate: result.candidate.id, verdict: now)))
        }
        self.checked = checked
        self.reproduced = checked - mismatches.count
        self.mismatches = mismatches
    }

    /// The compared fields in which `reproduced` differs from `recorded`.
    public static func differences(recorded: Verdict?, reproduced: Verdict) -> [String] {
        guard let recorded else { return ["verdict"] }
        var differences: [String] = []
        if recorded.outcome != reproduced.outcome { differences.append("outcome") }
        if recorded.exception?.type != reproduced.exception?.type { differences.append("exception_type") }
        if recorded.exception?.origin != reproduced.exception?.origin { differences.append("exception_origin") }
        if recorded.tests != reproduced.tests { differences.append("tests") }
        return differences
    }

    static func hint(recorded: Verdict?, reproduced: Verdict) -> String {
        guard let recorded else { return "the journal holds code without a verdict on it" }
        let outcomes = [recorded.outcome, reproduced.outcome]
        let limits = [recorded.limit, reproduced.limit]
        if outcomes.contains(.sandboxError) {
            return "our sandbox failed in one of the runs: not a statement about the code"
        }
        if outcomes.contains(.timeout) || limits.contains(.wallTime) || limits.contains(.cpuTime) {
            return "timing-dependent: one run hit the time limit (the code runs near it, or the machine was loaded)"
        }
        if outcomes.contains(.memoryLimit) || limits.contains(.addressSpace) {
            return "memory-dependent: one run hit the memory limit"
        }
        return "the code behaved differently: randomness, the clock, or the environment (interpreter, files)"
    }
}
