/// Whether a model server can take requests now.
///
/// Checked before a long run so a wrong URL or a stopped server fails in a
/// second with a clear message instead of at the first task, and polled
/// after (re)starting a managed llama-server until the model has loaded.
public enum EndpointHealth: Sendable, Hashable, CustomStringConvertible {
    /// The server answered its readiness probe.
    case ready
    /// The server answered but cannot serve yet (llama-server's 503 while
    /// loading) or answered neither probe; the text is its reason.
    case notReady(String)
    /// No connection could be made; the error says why.
    case unreachable(ModelClientError)

    /// True only for ``ready``.
    public var isReady: Bool { self == .ready }

    /// A short phrase for logs and the CLI.
    public var description: String {
        switch self {
        case .ready: "ready"
        case .notReady(let reason): "not ready: \(reason)"
        case .unreachable(let error): error.description
        }
    }
}
