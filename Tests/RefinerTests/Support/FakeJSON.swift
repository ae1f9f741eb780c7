import Foundation

/// The JSON bodies ``FakeModelServer`` sends, written out key by key in the
/// shapes llama-server uses, so the client is tested against the server's
/// format rather than against its own encoder.
enum FakeJSON {
    /// `{"error":{"code":…,"message":…,"type":…}}`.
    static func errorBody(status: Int, message: String, type: String) -> String {
        encode(["error": ["code": status, "message": message, "type": type] as [String: Any]])
    }

    /// A chat completion for `request` as llama-server shapes it.
    static func completionBody(_ completion: FakeCompletion, for request: FakeChatRequest) -> String {
        let promptTokens =
            completion.promptTokens
            ?? max(1, request.messages.reduce(0) { $0 + ($1.content.utf8.count + 3) / 4 })
        let completionTokens = completion.completionTokens ?? ((completion.text ?? "").utf8.count + 3) / 4
        let promptMilliseconds = completion.promptMilliseconds ?? Double(promptTokens) * 0.5
        let predictedMilliseconds = completion.predictedMilliseconds ?? Double(completionTokens) * 20
        var object: [String: Any] = [
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": completion.model,
            "system_fingerprint": "b0000-fake",
            "choices": [
                [
                    "index": 0,
                    "message": ["role": "assistant", "content": completion.text.map { $0 as Any } ?? NSNull()],
                    "finish_reason": completion.finishReason.map { $0 as Any } ?? NSNull(),
                ] as [String: Any]
            ],
        ]
        if completion.includeUsage {
            object["usage"] = [
                "prompt_tokens": promptTokens,
                "completion_tokens": completionTokens,
                "total_tokens": promptTokens + completionTokens,
            ]
        }
        if completion.includeTimings {
            object["timings"] =
                [
                    "cache_n": 0,
                    "prompt_n": promptTokens,
                    "prompt_ms": promptMilliseconds,
                    "prompt_per_token_ms": promptMilliseconds / Double(promptTokens),
                    "prompt_per_second": promptMilliseconds == 0 ? 0 : Double(promptTokens) * 1000 / promptMilliseconds,
                    "predicted_n": completionTokens,
                    "predicted_ms": predictedMilliseconds,
                    "predicted_per_token_ms": completionTokens == 0
                        ? 0 : predictedMilliseconds / Double(completionTokens),
                    "predicted_per_second":
                        predictedMilliseconds == 0 ? 0 : Double(completionTokens) * 1000 / predictedMilliseconds,
                ] as [String: Any]
        }
        return encode(object)
    }

    /// The OpenAI model list with one model.
    static func modelsBody() -> String {
        encode([
            "object": "list",
            "data": [["id": "fake-model.gguf", "object": "model", "created": 1_700_000_000, "owned_by": "llamacpp"]],
        ])
    }

    static func encode(_ object: Any) -> String {
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        } catch {
            preconditionFailure("FakeJSON built an object JSONSerialization cannot encode: \(error)")
        }
    }
}
