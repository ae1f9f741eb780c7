/// What ``FakeModelServer`` does with one chat-completion request.
///
/// Tests script a model server's behaviour with these: answers, server
/// errors, malformed bodies, slow answers, dropped connections and a
/// server that dies mid-run.
enum FakeReply: Sendable {
    /// A 200 OpenAI-shaped chat completion.
    case completion(FakeCompletion)
    /// An HTTP status with a raw body (JSON or not) and its content type.
    case raw(status: Int, body: String, contentType: String = "application/json")
    /// Waits, then does `reply`; a slow model, for timeout tests.
    indirect case delayed(Duration, FakeReply)
    /// Closes this connection without answering; the server keeps
    /// listening, like a worker that crashed under one request.
    case hangUp
    /// Stops listening, then closes this connection without answering, and
    /// every other one: the whole server died. ``FakeModelServer/restart()``
    /// brings it back on the same port.
    case die

    /// A completion whose message content is `text`, with token counts and
    /// llama.cpp-style timings derived from the request.
    static func text(_ text: String, finishReason: String? = "stop") -> FakeReply {
        .completion(FakeCompletion(text: text, finishReason: finishReason))
    }

    /// An error in the OpenAI / llama-server shape:
    /// `{"error":{"code":status,"message":message,"type":type}}`.
    static func error(status: Int, message: String, type: String = "server_error") -> FakeReply {
        .raw(status: status, body: FakeJSON.errorBody(status: status, message: message, type: type))
    }
}

/// The fields of a scripted chat completion; nil counts and timings are
/// derived from the request so most tests only give the text.
struct FakeCompletion: Sendable {
    /// `choices[0].message.content`; nil sends JSON null.
    var text: String?
    /// `choices[0].finish_reason`; nil sends JSON null.
    var finishReason: String? = "stop"
    /// `usage.prompt_tokens`; nil derives roughly one token per four bytes.
    var promptTokens: Int? = nil
    /// `usage.completion_tokens`; nil derives roughly one token per four bytes.
    var completionTokens: Int? = nil
    /// Whether to send llama-server's `timings` object (vLLM does not).
    var includeTimings = true
    /// `timings.prompt_ms`; nil derives 0.5 ms per prompt token.
    var promptMilliseconds: Double? = nil
    /// `timings.predicted_ms`; nil derives 20 ms per completion token.
    var predictedMilliseconds: Double? = nil
    /// Whether to send `usage` at all.
    var includeUsage = true
    /// The top-level `model` field.
    var model = "fake-model.gguf"
}
