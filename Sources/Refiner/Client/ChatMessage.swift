/// One turn of a chat conversation, as the model server sees it.
///
/// The loop builds prompts as message lists (a system instruction, the task,
/// earlier attempts and their feedback) so chat-tuned models get their own
/// chat template applied by the server instead of a hand-rolled one. The
/// JSON form (`{"role":"user","content":"…"}`) is the OpenAI wire form and
/// is also what journals record, so a run can be replayed message for
/// message.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who is speaking: servers map each role to the model's chat template,
    /// so the instruction, the task and the model's own earlier answers are
    /// kept apart.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        /// Standing instructions that frame every turn.
        case system
        /// The task and the feedback on earlier attempts.
        case user
        /// What the model answered earlier, replayed so it can refine it.
        case assistant
    }

    /// Who said this.
    public var role: Role
    /// What was said, verbatim.
    public var content: String

    /// A message from `role` saying `content`.
    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// A system instruction; shorthand that keeps prompt builders readable.
    public static func system(_ content: String) -> ChatMessage {
        ChatMessage(role: .system, content: content)
    }

    /// A user turn; shorthand that keeps prompt builders readable.
    public static func user(_ content: String) -> ChatMessage {
        ChatMessage(role: .user, content: content)
    }

    /// An earlier model answer; shorthand that keeps prompt builders readable.
    public static func assistant(_ content: String) -> ChatMessage {
        ChatMessage(role: .assistant, content: content)
    }
}
