import Sandbox

/// Orders attempts for `--early-stop best`, by what the refiner could see
/// (the feedback verdict), never by hidden tests: more tests passed first,
/// then how far the code got.
enum AttemptRanking {
    struct Rank: Comparable {
        var passedTests: Int
        var stage: Int

        static func < (lhs: Rank, rhs: Rank) -> Bool {
            (lhs.passedTests, lhs.stage) < (rhs.passedTests, rhs.stage)
        }
    }

    static func rank(_ attempt: Attempt) -> Rank {
        guard let verdict = attempt.feedbackVerdict else { return Rank(passedTests: -1, stage: 0) }
        return Rank(passedTests: verdict.tests.passed, stage: stage(of: verdict.outcome))
    }

    /// How far the code got: passing, then wrong answers, then exceptions
    /// while running, then stopped by a limit, then not even compiling.
    static func stage(of outcome: Outcome) -> Int {
        switch outcome {
        case .passed: return 7
        case .assertionError: return 6
        case .runtimeError, .typeError, .nameError, .importError: return 5
        case .timeout, .memoryLimit, .outputLimit, .crashed, .exitedEarly, .forbiddenSyscall: return 4
        case .syntaxError: return 3
        case .sandboxError: return 1
        }
    }
}
