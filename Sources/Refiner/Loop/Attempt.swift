import Foundation
import Sandbox

/// One iteration of the loop on one task, exactly as the journal keeps it:
/// what the model was asked and said, the code taken from it, and the
/// verdicts on that code.
public struct Attempt: Sendable, Codable {
    /// Which model wrote an attempt, so generator and refiner can be
    /// measured apart (tokens, speed, fixes).
    public enum Role: String, Sendable, Codable {
        /// The first attempt (iteration 0), written from the task alone.
        case generator
        /// A refinement, written from an earlier attempt and its feedback.
        case refiner
    }

    /// 0 is the generator's attempt; 1… are refinements.
    public var iteration: Int
    /// Which role wrote it; iteration 0 is always the generator's.
    public var role: Role
    /// The name of the model that wrote it (its ``ModelIdentity/name``).
    public var model: String
    /// The exact messages sent, system prompt included, so the prompt
    /// behind any answer can be read back.
    public var messages: [ChatMessage]
    /// The reply as the server returned it: text, finish reason, token
    /// counts and timings.
    public var completion: Completion
    /// How the program was taken from the reply; `none` means no code (label
    /// `no_code`), so a bad extraction can be told from bad code.
    public var extraction: CodeExtractor.Method
    /// The program run in the sandbox; nil when the reply had no code.
    public var program: String?
    /// The verdict the refiner is shown (on the visible tests, under
    /// `--feedback visible`).
    public var feedbackVerdict: Verdict?
    /// The verdict on every test: the score.
    public var scoreVerdict: Verdict?
    /// Sandbox time for this attempt's runs.
    public var sandboxSeconds: Double
    /// Everything this attempt took: the request, extraction and verdicts.
    public var wallSeconds: Double
    /// Which earlier attempt the refiner was shown (nil for the generator).
    public var refinedFrom: Int?

    /// An attempt as the loop records it.
    public init(
        iteration: Int, role: Role, model: String, messages: [ChatMessage], completion: Completion,
        extraction: CodeExtractor.Method, program: String?, feedbackVerdict: Verdict?, scoreVerdict: Verdict?,
        sandboxSeconds: Double, wallSeconds: Double, refinedFrom: Int?
    ) {
        self.iteration = iteration
        self.role = role
        self.model = model
        self.messages = messages
        self.completion = completion
        self.extraction = extraction
        self.program = program
        self.feedbackVerdict = feedbackVerdict
        self.scoreVerdict = scoreVerdict
        self.sandboxSeconds = sandboxSeconds
        self.wallSeconds = wallSeconds
        self.refinedFrom = refinedFrom
    }

    /// The label of this attempt's score: an outcome, or `no_code`.
    public var label: String { scoreVerdict?.outcome.rawValue ?? AttemptLabel.noCode }

    /// Whether the program passed every scoring test; false without code.
    public var passed: Bool { scoreVerdict?.passed ?? false }

    enum CodingKeys: String, CodingKey {
        case iteration, role, model, messages, completion, extraction, program
        case feedbackVerdict = "feedback_verdict"
        case scoreVerdict = "score_verdict"
        case sandboxSeconds = "sandbox_seconds"
        case wallSeconds = "wall_seconds"
        case refinedFrom = "refined_from"
    }
}

/// Labels beside the sandbox's outcomes.
public enum AttemptLabel {
    /// The model's reply held no code to run.
    public static let noCode = "no_code"
}
