import Foundation
import Sandbox

extension AuditReport {
    /// The report as plain text for the terminal: reproduction, evidence per
    /// outcome, and the comparison with the common harnesses.
    public var text: String {
        var lines: [String] = []
        let what = source.kind == .run ? "run" : "candidates file"
        let suites = source.suites.isEmpty ? "" : " (\(source.suites.map(\.rawValue).joined(separator: ", ")))"
        lines.append("audit of \(what) \(source.path)\(suites)")
        var executedLine = "  \(executed) candidates executed"
        if source.kind == .run {
            executedLine += ", \(source.withoutCode) attempts without code (nothing to execute)"
        }
        lines.append(executedLine)
        lines.append(
            String(
                format: "  sandbox: %@ s wall, %d s cpu, %d MB, %@", Self.number(limits.wallSeconds), limits.cpuSeconds,
                limits.memoryMegabytes, limits.interpreter))
        if let leftOut = source.leftOut {
            lines.append("  left out: \(leftOut)")
        }
        lines.append("")
        lines += reproductionLines
        lines.append("")
        lines += outcomeLines
        lines.append("")
        lines += comparisonLines
        return lines.joined(separator: "\n")
    }

    private var reproductionLines: [String] {
        guard let reproduction else {
            return ["reproduction: not checked (a candidates file records no verdicts)"]
        }
        var lines = [
            "reproduction: \(reproduction.reproduced) of \(reproduction.checked) recorded verdicts reproduced "
                + "(compared: outcome, exception type, exception origin, tests passed of total)"
        ]
        for mismatch in reproduction.mismatches {
            lines.append("")
            let verb = mismatch.differences.count == 1 ? "differs" : "differ"
            lines.append("  \(mismatch.candidate): \(mismatch.differences.joined(separator: ", ")) \(verb) — \(mismatch.hint)")
            let recorded = mismatch.recorded.map(Self.fields) ?? [:]
            let now = Self.fields(mismatch.reproduced)
            lines.append("    " + Self.pad("", 12) + Self.pad("recorded", 40) + "now")
            for key in Self.fieldOrder where recorded[key] != nil || now[key] != nil {
                lines.append("    " + Self.pad(key, 12) + Self.pad(recorded[key] ?? "-", 40) + (now[key] ?? "-"))
            }
        }
        return lines
    }

    private var outcomeLines: [String] {
        var lines = ["outcomes (\(outcomesFrom))"]
        let width = max(16, (outcomes.map(\.outcome.rawValue.count).max() ?? 0) + 2)
        for group in outcomes {
            lines.append("  " + Self.pad(group.outcome.rawValue, width) + String(format: "%5d", group.count))
        }
        for group in outcomes {
            lines.append("")
            lines.append("  \(group.outcome.rawValue): \(group.count), for example")
            for example in group.examples {
                lines += Self.evidenceLines(example).map { "    " + $0 }
            }
        }
        return lines
    }

    private var comparisonLines: [String] {
        var lines = [
            "common harnesses vs ours, on one execution of each plain program (code + tests + check call, "
                + "run as `python3 program.py` inside the sandbox)",
        ]
        lines += Self.wrap("their rule: " + HarnessLabel.ruleText, indent: "  ", hanging: "    ")
        lines += Self.wrap("agreement: " + HarnessLabel.agreementText, indent: "  ", hanging: "    ")
        lines += [
            String(
                format: "  agree on %d of %d (%.1f%%)", comparison.agreements, comparison.compared,
                comparison.agreementRate * 100),
        ]
        if comparison.differentFromScore > 0 {
            lines.append(
                "  note: \(comparison.differentFromScore) plain program\(comparison.differentFromScore == 1 ? "" : "s") "
                    + "ended with another outcome than the scoring run "
                    + "(rows are the plain program's outcome)")
        }
        lines.append("")
        lines += matrixLines
        if !comparison.disagreements.isEmpty {
            lines.append("")
            lines.append("disagreements, with the reason")
            var lastCell: (Outcome, HarnessLabel)?
            for disagreement in comparison.disagreements {
                if lastCell.map({ $0 != disagreement.ours || $1 != disagreement.theirs }) ?? true {
                    let count = comparison.cells.first { $0.ours == disagreement.ours && $0.theirs == disagreement.theirs }
                    let disagreeing = count.map { $0.count - $0.agreements } ?? 0
                    lines.append("  ours \(disagreement.ours.rawValue), theirs \(disagreement.theirs) (\(disagreeing)):")
                    lastCell = (disagreement.ours, disagreement.theirs)
                }
                let verdict = disagreement.evidence.verdict
                var head = "    \(disagreement.evidence.candidate)"
                if let type = verdict.exception?.type { head += " [\(type)]" }
                if let status = verdict.exitCode { head += " exit \(status)" }
                if let scored = disagreement.scoredOutcome, scored != disagreement.ours { head += ", scored \(scored.rawValue)" }
                lines.append(head)
                lines += Self.wrap(
                    "\(disagreement.reason.kind.rawValue): \(disagreement.reason.text)", indent: "      ", hanging: "        ")
                if let last = disagreement.evidence.stderrLastLine {
                    lines.append("      stderr's last line: \(Self.clip(last))")
                }
            }
        }
        return lines
    }

    /// Rows: our outcomes; columns: their labels; `*` marks agreement
    /// (`n (k*)` a cell where only k of n agree).
    private var matrixLines: [String] {
        let columns = Array(Set(comparison.cells.map(\.theirs))).sorted()
        let rows = Outcome.allCases.filter { outcome in comparison.cells.contains { $0.ours == outcome } }
        guard !rows.isEmpty else { return ["  (nothing compared)"] }
        let rowWidth = max(14, (rows.map(\.rawValue.count).max() ?? 0) + 2)
        func cellText(_ outcome: Outcome, _ label: HarnessLabel) -> String {
            guard let cell = comparison.cells.first(where: { $0.ours == outcome && $0.theirs == label }) else { return "." }
            if cell.agreements == cell.count { return "\(cell.count)*" }
            return cell.agreements == 0 ? "\(cell.count)" : "\(cell.count) (\(cell.agreements)*)"
        }
        let widths = columns.map { label in
            max(label.rawValue.count, rows.map { cellText($0, label).count }.max() ?? 1) + 2
        }
        var lines = ["  " + Self.pad("ours \\ theirs", rowWidth) + zip(columns, widths).map { Self.padLeft($0.rawValue, $1) }.joined()]
        for row in rows {
            lines.append("  " + Self.pad(row.rawValue, rowWidth) + zip(columns, widths).map { Self.padLeft(cellText(row, $0), $1) }.joined())
        }
        lines.append("  (* the labels agree)")
        return lines
    }

    /// One example's evidence: the candidate and tests, then the exception
    /// and failing test, as a reader checks a label.
    static func evidenceLines(_ evidence: AuditEvidence) -> [String] {
        let verdict = evidence.verdict
        // A script has no tests of its own to count.
        var details: [String] = verdict.tests.total > 0 ? ["tests \(verdict.tests.passed)/\(verdict.tests.total)"] : []
        // A test run's harness exits 0 whatever the tests did: the status
        // says something only when the program ended it.
        if let status = verdict.exitCode, status != 0 || verdict.outcome == .exitedEarly { details.append("exit \(status)") }
        if let signal = verdict.signal { details.append(signal) }
        if let syscall = verdict.syscall { details.append("system call \(syscall)") }
        if let limit = verdict.limit { details.append("limit \(limit.rawValue)") }
        var lines = [details.isEmpty ? evidence.candidate : "\(evidence.candidate): " + details.joined(separator: ", ")]
        let fields = Self.fields(evidence)
        for key in ["exception", "at", "expected", "actual", "failing test", "stderr"] {
            if let value = fields[key] { lines.append("  " + Self.pad(key, 14) + value) }
        }
        return lines
    }

    private static let fieldOrder = ["outcome", "exception", "at", "expected", "actual", "failing test", "tests", "limit", "duration"]

    /// The fields of one verdict as short texts, keyed by what they show.
    private static func fields(_ evidence: AuditEvidence) -> [String: String] {
        let verdict = evidence.verdict
        var fields: [String: String] = [
            "outcome": verdict.outcome.rawValue,
            "tests": "\(verdict.tests.passed)/\(verdict.tests.total)",
            "duration": String(format: "%.1f ms", verdict.durationMilliseconds),
        ]
        if let exception = verdict.exception {
            var text = exception.type + (exception.message.isEmpty ? "" : ": " + firstLine(exception.message))
            if let origin = exception.origin {
                text += " (\(origin.rawValue)" + (exception.line.map { " line \($0)" } ?? "") + ")"
            }
            fields["exception"] = clip(text)
            fields["at"] = exception.sourceLine.map(clip)
            fields["expected"] = exception.expected.map(clip)
            fields["actual"] = exception.actual.map(clip)
        }
        if let test = verdict.failingTest {
            let source = firstLine(test.source).trimmingCharacters(in: .whitespaces)
            fields["failing test"] = clip("#\(test.index), line \(test.line): \(source)")
        }
        if let limit = verdict.limit { fields["limit"] = limit.rawValue }
        if verdict.exception == nil, let last = evidence.stderrLastLine { fields["stderr"] = clip(last) }
        return fields
    }

    /// `text` broken at spaces into lines of at most 110 characters.
    private static func wrap(_ text: String, indent: String, hanging: String) -> [String] {
        var lines: [String] = []
        var words: [String] = []
        var length = indent.count
        for word in text.split(separator: " ").map(String.init) {
            let added: Int = words.isEmpty ? word.count : word.count + 1
            if !words.isEmpty && length + added > 110 {
                let prefix: String = lines.isEmpty ? indent : hanging
                lines.append(prefix + words.joined(separator: " "))
                words = [word]
                length = hanging.count + word.count
            } else {
                words.append(word)
                length += added
            }
        }
        let prefix: String = lines.isEmpty ? indent : hanging
        lines.append(prefix + words.joined(separator: " "))
        return lines
    }

    private static func firstLine(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count > 1 ? "\(lines[0]) …" : text
    }

    private static func clip(_ text: String) -> String {
        text.count <= 100 ? text : String(text.prefix(99)) + "…"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    private static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
