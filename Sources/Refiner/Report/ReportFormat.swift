import Foundation

/// How the report writes numbers: one place, so a value reads the same in
/// the page, its charts and the Markdown summary.
enum ReportFormat {
    /// A share as a percentage with one decimal: `37.5%`.
    static func percent(_ value: Double) -> String {
        String(format: "%.1f%%", value * 100)
    }

    /// pass@1 over runs: the mean, with the run-to-run standard deviation
    /// in percentage points when there were several runs: `37.5% ± 17.7`.
    static func spread(_ spread: RunSummary.Spread) -> String {
        guard spread.values.count > 1 else { return percent(spread.mean) }
        return percent(spread.mean) + " ± " + String(format: "%.1f", spread.standardDeviation * 100)
    }

    /// The lowest and highest run, when there were several: `25.0–50.0%`.
    static func range(_ spread: RunSummary.Spread) -> String? {
        guard spread.values.count > 1, let low = spread.values.min(), let high = spread.values.max() else { return nil }
        return String(format: "%.1f–%.1f%%", low * 100, high * 100)
    }

    /// Each run's value, in run order: `25.0%, 50.0%`.
    static func values(_ spread: RunSummary.Spread) -> String {
        spread.values.map(percent).joined(separator: ", ")
    }

    /// A change of a share, in percentage points: `+37.5 pp`.
    static func points(_ delta: Double) -> String {
        String(format: "%+.1f pp", delta * 100)
    }

    /// A signed statistic with two decimals: `+2.12`.
    static func signed(_ value: Double) -> String {
        String(format: "%+.2f", value)
    }

    /// A count with thousands separators: `12,345`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A mean count (tokens per task), rounded to a whole number.
    static func count(_ value: Double) -> String {
        count(Int(value.rounded()))
    }

    /// A setting as it was given: `0`, `0.25`, `10` (no trailing `.0`).
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    /// Seconds with one decimal: `12.3 s`.
    static func seconds(_ value: Double) -> String {
        String(format: "%.1f s", value)
    }

    /// A rate with one decimal, or a dash when it was not measured.
    static func rate(_ value: Double?, unit: String) -> String {
        value.map { String(format: "%.1f %@", $0, unit) } ?? "—"
    }

    /// A date as UTC ISO 8601, so readers anywhere see the same instant.
    static func date(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
