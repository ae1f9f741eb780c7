/// Why llama-server could not be built, started or kept running. Each message
/// is one line and quotes the end of the relevant log, so a user sees the cause
/// (a missing compiler, a model that fails to load) without opening files.
public struct LlamaServerError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The one-line message, ready to print.
    public let description: String
    init(_ description: String) { self.description = description }
}
