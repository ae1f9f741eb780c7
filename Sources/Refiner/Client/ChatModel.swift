/// Anything that can answer a chat completion request.
///
/// The generate → execute → refine loop talks to this protocol rather than
/// to HTTP, so it can be driven by ``OpenAICompatibleClient`` in real runs
/// and by scripted fakes in tests.
public protocol ChatModel: Sendable {
    /// Asks the model for the next assistant turn.
    ///
    /// An empty reply is a valid ``Completion`` with empty text, not an
    /// error: the loop records it as "no code". Implementations throw
    /// ``ModelClientError`` for transport and server failures and
    /// `CancellationError` when the calling task is cancelled.
    func complete(_ request: CompletionRequest) async throws -> Completion
}
