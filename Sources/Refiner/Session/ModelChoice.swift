import Foundation

/// Where a role's model comes from: a model we run with llama-server, or an
/// OpenAI-compatible endpoint someone else runs (vLLM, SGLang, a pool of
/// llama-servers).
public enum ModelChoice: Sendable, Hashable {
    /// A catalog name or a GGUF path, served by a llama-server we manage.
    case managed(String)
    /// A running server; `model` is the name sent in requests.
    case endpoint(url: String, model: String, apiKey: String?)
}

/// How to run managed llama-servers.
public struct ServerSettings: Sendable, Hashable {
    /// A llama-server binary of the user's; nil builds (or reuses) ours.
    public var binary: String?
    /// CPU threads of each server (`-t`): every core by default. Two managed
    /// models start two servers, each with this many.
    public var threads: Int
    /// Context tokens of a whole server, split evenly among its slots (at
    /// least 256 each); the CLI passes `--context-size` times the slots.
    public var contextSize: Int
    /// Requests a server serves at once; match it to the tasks in flight
    /// so none waits for a slot.
    public var parallelSlots: Int

    /// Settings whose defaults suit one task at a time: every core, 4096
    /// tokens, one slot.
    public init(
        binary: String? = nil, threads: Int = ProcessInfo.processInfo.activeProcessorCount, contextSize: Int = 4096,
        parallelSlots: Int = 1
    ) {
        self.binary = binary
        self.threads = threads
        self.contextSize = contextSize
        self.parallelSlots = parallelSlots
    }
}
