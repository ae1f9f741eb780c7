import Sandbox

/// What a label rests on, for a reader to check it by eye: one candidate's
/// verdict (exception, origin, line and source line, expected and actual,
/// failing test, exit status, signal, limit) in the verdict's own public
/// JSON shape, with the captured output trimmed so a report stays short.
public struct AuditEvidence: Sendable, Codable, Hashable {
    /// The candidate's id in the report.
    public var candidate: String
    /// The verdict, but stdout dropped and stderr cut to its last non-blank
    /// line (the one the common harnesses read); each stream keeps its
    /// total byte count and is flagged truncated when anything was cut.
    public var verdict: Verdict

    /// The evidence of `verdict`, for the candidate named `candidate`.
    public init(candidate: String, verdict: Verdict) {
        self.candidate = candidate
        var trimmed = verdict
        trimmed.stdout = CapturedOutput(text: "", truncated: verdict.stdout.totalBytes > 0, totalBytes: verdict.stdout.totalBytes)
        let lastLine = HarnessLabel.stderrLines(verdict.stderr.text).last { !$0.allSatisfy(\.isWhitespace) } ?? ""
        trimmed.stderr = CapturedOutput(
            text: lastLine, truncated: verdict.stderr.truncated || lastLine.utf8.count < verdict.stderr.totalBytes,
            totalBytes: verdict.stderr.totalBytes)
        self.verdict = trimmed
    }

    /// stderr's last non-blank line, or nil when stderr was empty.
    public var stderrLastLine: String? {
        verdict.stderr.text.isEmpty ? nil : verdict.stderr.text
    }
}
