import Foundation
import Refiner

/// A chat-completion request as ``FakeModelServer`` received it, decoded
/// from the wire independently of the client's own encoder so tests check
/// what was really sent.
struct FakeChatRequest: Sendable, Hashable {
    var model: String?
    var messages: [ChatMessage]
    var temperature: Double?
    var seed: Int?
    var maxTokens: Int?
    var stop: [String]?
    var topP: Double?
    var stream: Bool?
    /// The top-level JSON keys present, to check what was left out.
    var keys: Set<String>
    /// Request headers, names lowercased.
    var headers: [String: String]
    /// The raw JSON body.
    var body: String

    /// The text of the last user message, which scripted handlers usually
    /// answer by.
    var lastUserMessage: String? {
        messages.last { $0.role == .user }?.content
    }

    /// Decodes `body`; throws for a body that is not a chat request.
    init(body: Data, headers: [String: String]) throws {
        struct Wire: Decodable {
            struct Message: Decodable {
                var role: String
                var content: String?
            }
            var model: String?
            var messages: [Message]
            var temperature: Double?
            var seed: Int?
            var max_tokens: Int?
            var stop: [String]?
            var top_p: Double?
            var stream: Bool?
        }
        let wire = try JSONDecoder().decode(Wire.self, from: body)
        model = wire.model
        messages = try wire.messages.map { message in
            guard let role = ChatMessage.Role(rawValue: message.role) else {
                throw FakeServerError("unknown role \(message.role)")
            }
            return ChatMessage(role: role, content: message.content ?? "")
        }
        temperature = wire.temperature
        seed = wire.seed
        maxTokens = wire.max_tokens
        stop = wire.stop
        topP = wire.top_p
        stream = wire.stream
        let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        keys = Set(object.keys)
        self.headers = headers
        self.body = String(decoding: body, as: UTF8.self)
    }
}

/// A failure inside the fake server, reported to the client as HTTP 400.
struct FakeServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
