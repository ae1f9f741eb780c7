/// Why a model server could not answer, in one line a user can act on.
///
/// The cases separate what the loop does next: a connection failure
/// (``isConnectionFailure``) means the server is gone, so a managed
/// llama-server is restarted and the request retried once; an HTTP error,
/// a malformed reply or a timeout would recur on retry, so they are
/// reported instead. Every message names the URL involved.
public enum ModelClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The configured endpoint is not a usable URL.
    case invalidEndpoint(String, reason: String)
    /// No connection could be made: refused, no route, DNS failure or
    /// connect timeout. The server is not running or the URL is wrong.
    case unreachable(url: String, reason: String)
    /// A connection was made but dropped before a full reply arrived: the
    /// server crashed, was killed, or closed the connection.
    case connectionLost(url: String, reason: String)
    /// No full reply within the request timeout.
    case timeout(url: String, after: Duration)
    /// The server answered with a non-success status; `message` is the
    /// server's own error message when it sent one, else the start of the
    /// body.
    case httpStatus(url: String, status: Int, message: String)
    /// The server answered 2xx with something that is not an OpenAI chat
    /// completion.
    case malformedResponse(url: String, reason: String)
    /// The server answered but did not become ready in time (e.g. still
    /// loading the model).
    case notReady(url: String, reason: String)
    /// The request failed on our side for another reason.
    case requestFailed(url: String, reason: String)

    /// True when the server could not be reached or went away mid-request:
    /// the failures a restart of a managed server can cure.
    public var isConnectionFailure: Bool {
        switch self {
        case .unreachable, .connectionLost: true
        default: false
        }
    }

    /// The URL the failed request went to (or the endpoint text that could
    /// not be parsed).
    public var url: String {
        switch self {
        case .invalidEndpoint(let url, _), .unreachable(let url, _), .connectionLost(let url, _),
            .timeout(let url, _), .httpStatus(let url, _, _), .malformedResponse(let url, _),
            .notReady(let url, _), .requestFailed(let url, _):
            url
        }
    }

    /// One line saying what failed, where, and what to check.
    public var description: String {
        switch self {
        case .invalidEndpoint(let url, let reason):
            "invalid model endpoint '\(url)': \(reason)"
        case .unreachable(let url, let reason):
            "cannot reach the model server at \(url): \(reason); check that the server is running and the URL is right"
        case .connectionLost(let url, let reason):
            "the model server at \(url) closed the connection before answering (\(reason)); it may have crashed or been stopped"
        case .timeout(let url, let after):
            "the model server at \(url) did not answer within \(after.humanReadable); it may be overloaded or too slow for this many tokens: raise the request timeout or lower max tokens"
        case .httpStatus(let url, let status, let message):
            "the model server at \(url) answered HTTP \(status): \(message.isEmpty ? "(empty body)" : message)"
        case .malformedResponse(let url, let reason):
            "the model server at \(url) sent a reply that is not an OpenAI chat completion: \(reason)"
        case .notReady(let url, let reason):
            "the model server at \(url) is not ready: \(reason)"
        case .requestFailed(let url, let reason):
            "the request to the model server at \(url) failed: \(reason)"
        }
    }
}
