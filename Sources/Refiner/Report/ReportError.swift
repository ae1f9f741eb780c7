/// Why no report could be written, said in one line: no usable run among
/// those given, or the output could not be written.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    /// The message, ready to print after `refine: error:`.
    public let description: String

    /// An error with its one-line message.
    public init(_ description: String) {
        self.description = description
    }
}
