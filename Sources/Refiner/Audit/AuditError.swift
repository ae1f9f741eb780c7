/// Why an audit could not start (a journal naming unknown tasks, a bad
/// candidates line, a run from another dataset), said in one line.
public struct AuditError: Error, Sendable, CustomStringConvertible {
    /// The one line shown to the user.
    public let description: String

    /// Wraps the line, so callers can raise their own audit errors.
    public init(_ description: String) { self.description = description }
}
