import Sandbox

/// What the audit observed for one candidate: the scoring job run again
/// (when the candidate has a task) and the plain program run as a script,
/// the one execution that gives both the common harnesses' label and ours.
public struct AuditResult: Sendable, Hashable {
    /// What was executed.
    public var candidate: AuditCandidate
    /// The scoring job's fresh verdict; nil for a self-contained program.
    public var scored: Verdict?
    /// The plain program's verdict in script mode.
    public var script: Verdict

    /// Pairs a candidate with its verdicts, so reports can be built from
    /// observations made anywhere (tests build them by hand).
    public init(candidate: AuditCandidate, scored: Verdict?, script: Verdict) {
        self.candidate = candidate
        self.scored = scored
        self.script = script
    }

    /// The verdict whose evidence the report shows for this candidate: the
    /// recorded one (that is what claims rest on), else the fresh scoring
    /// verdict, else the script's.
    var evidenceVerdict: Verdict {
        (candidate.checksReproduction ? candidate.recordedVerdict : nil) ?? scored ?? script
    }
}
