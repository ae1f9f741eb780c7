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
    public var threads: Int
    public var contextSize: Int
    public var parallelSlots: Int

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
