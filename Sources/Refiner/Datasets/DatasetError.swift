/// Why a dataset could not be used; each says what to do about it.
public struct DatasetError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
