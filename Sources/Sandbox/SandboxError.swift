import Foundation

/// A failure of our own machinery, or a job we cannot run. Everything the
/// code itself did is a ``Verdict`` instead; these are never blamed on it.
public struct SandboxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which part failed, for programs to branch on (``Code/namespacesUnavailable``
    /// means this host cannot sandbox at all); ``message`` is for people.
    public var code: Code
    /// The errno behind the failure, when there was one.
    public var underlyingErrno: Int32?
    /// What went wrong, in one line a user can act on.
    public var message: String

    /// An error of kind `code`, with the errno behind it when there is one
    /// (``description`` adds its text) and a one-line `message`.
    public init(_ code: Code, errno: Int32? = nil, _ message: String) {
        self.code = code
        self.underlyingErrno = errno
        self.message = message
    }

    /// The kinds of failure of our own. The raw values are stable, for logs
    /// and JSON that other tools read.
    public enum Code: String, Sendable, Hashable {
        /// The policy cannot be built (unknown system call, impossible setting).
        case invalidPolicy = "invalid_policy"
        /// The job cannot be run (bad entry point, tests without `check`).
        case invalidJob = "invalid_job"
        /// The kernel refused a namespace (user namespaces disabled, ...).
        case namespacesUnavailable = "namespaces_unavailable"
        /// Building the sandbox failed (a mount, a limit, the filter).
        case setupFailed = "setup_failed"
        /// The interpreter could not be executed.
        case interpreterFailed = "interpreter_failed"
        /// The harness reported a failure of its own.
        case harnessFailed = "harness_failed"
        /// A system resource of the supervisor ran out (pipes, threads).
        case resourceUnavailable = "resource_unavailable"
    }

    /// The message, then the errno's text (`strerror`) when there is one:
    /// the line `refine` prints.
    public var description: String {
        if let underlyingErrno {
            return "\(message) (\(String(cString: strerror(underlyingErrno))))"
        }
        return message
    }
}
