/// Why a dataset could not be used; each says what to do about it.
public struct DatasetError: Error, Sendable, CustomStringConvertible {
    /// The one-line reason and what to do (which file, where to get it):
    /// what `refine` prints.
    public let description: String
    init(_ description: String) { self.description = description }
}
