import Foundation

/// The verdict's JSON spelling, a public interface: snake_case keys, every
/// key always present (`null` when absent), stdout and stderr flat with
/// their truncation flags beside them.
extension Verdict: Codable {
    enum CodingKeys: String, CodingKey {
        case outcome, exception
        case failingTest = "failing_test"
        case tests
        case exitCode = "exit_code"
        case signal, syscall, limit
        case stdout
        case stdoutTruncated = "stdout_truncated"
        case stdoutBytes = "stdout_bytes"
        case stderr
        case stderrTruncated = "stderr_truncated"
        case stderrBytes = "stderr_bytes"
        case durationMilliseconds = "duration_ms"
        case cpuMilliseconds = "cpu_ms"
        case maxResidentKilobytes = "max_rss_kb"
    }

    /// Writes the public shape: every key present (`null` when absent),
    /// stdout and stderr flat with `_truncated` and `_bytes` beside them,
    /// times rounded to the microsecond.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(exception, forKey: .exception)
        try container.encode(failingTest, forKey: .failingTest)
        try container.encode(tests, forKey: .tests)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(signal, forKey: .signal)
        try container.encode(syscall, forKey: .syscall)
        try container.encode(limit, forKey: .limit)
        try container.encode(stdout.text, forKey: .stdout)
        try container.encode(stdout.truncated, forKey: .stdoutTruncated)
        try container.encode(stdout.totalBytes, forKey: .stdoutBytes)
        try container.encode(stderr.text, forKey: .stderr)
        try container.encode(stderr.truncated, forKey: .stderrTruncated)
        try container.encode(stderr.totalBytes, forKey: .stderrBytes)
        try container.encode((durationMilliseconds * 1000).rounded() / 1000, forKey: .durationMilliseconds)
        try container.encode((cpuMilliseconds * 1000).rounded() / 1000, forKey: .cpuMilliseconds)
        try container.encode(maxResidentKilobytes, forKey: .maxResidentKilobytes)
    }

    /// Reads a verdict back (a journal, `refine exec --json`). Only
    /// `outcome` is required; other missing keys take their empty values.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            outcome: try container.decode(Outcome.self, forKey: .outcome),
            exception: try container.decodeIfPresent(ExceptionReport.self, forKey: .exception),
            failingTest: try container.decodeIfPresent(TestLocation.self, forKey: .failingTest),
            tests: try container.decodeIfPresent(TestCount.self, forKey: .tests) ?? TestCount(passed: 0, total: 0),
            exitCode: try container.decodeIfPresent(Int32.self, forKey: .exitCode),
            signal: try container.decodeIfPresent(String.self, forKey: .signal),
            syscall: try container.decodeIfPresent(String.self, forKey: .syscall),
            limit: try container.decodeIfPresent(Limit.self, forKey: .limit),
            stdout: CapturedOutput(
                text: try container.decodeIfPresent(String.self, forKey: .stdout) ?? "",
                truncated: try container.decodeIfPresent(Bool.self, forKey: .stdoutTruncated) ?? false,
                totalBytes: try container.decodeIfPresent(Int.self, forKey: .stdoutBytes) ?? 0),
            stderr: CapturedOutput(
                text: try container.decodeIfPresent(String.self, forKey: .stderr) ?? "",
                truncated: try container.decodeIfPresent(Bool.self, forKey: .stderrTruncated) ?? false,
                totalBytes: try container.decodeIfPresent(Int.self, forKey: .stderrBytes) ?? 0),
            durationMilliseconds: try container.decodeIfPresent(Double.self, forKey: .durationMilliseconds) ?? 0,
            cpuMilliseconds: try container.decodeIfPresent(Double.self, forKey: .cpuMilliseconds) ?? 0,
            maxResidentKilobytes: try container.decodeIfPresent(Int.self, forKey: .maxResidentKilobytes))
    }

    /// The verdict as one JSON object (keys sorted, so output is stable).
    public func jsonData(prettyPrinted: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

extension ExceptionReport {
    /// Writes every key, `null` when absent (synthesized `Codable` would
    /// drop nil keys), so `exception` has one shape in every verdict.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(message, forKey: .message)
        try container.encode(origin, forKey: .origin)
        try container.encode(line, forKey: .line)
        try container.encode(sourceLine, forKey: .sourceLine)
        try container.encode(expected, forKey: .expected)
        try container.encode(actual, forKey: .actual)
    }
}
