/// One question to a chat model: the conversation so far and how to sample
/// the answer.
///
/// Kept separate from the endpoint (URL, model name, key) so the loop can
/// build and record requests without knowing which server answers them,
/// and so fakes in tests receive exactly what a real server would.
public struct CompletionRequest: Sendable, Hashable, Codable {
    /// The conversation, oldest first.
    public var messages: [ChatMessage]
    /// How to sample the reply.
    public var sampling: SamplingSettings

    /// A request for the next assistant turn after `messages`, sampled with
    /// `sampling` (greedy by default, for reproducible runs).
    public init(messages: [ChatMessage], sampling: SamplingSettings = .greedy) {
        self.messages = messages
        self.sampling = sampling
    }
}
