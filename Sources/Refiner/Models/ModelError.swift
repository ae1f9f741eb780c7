/// Why a model could not be found, installed or verified. Each message is a
/// single line that names what to do next (which package to reinstall, which
/// names are valid), because `refine setup` prints it as is.
public struct ModelError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The one-line message, ready to print.
    public let description: String
    init(_ description: String) { self.description = description }
}
