import Foundation

/// What the user asked for with `--generator`/`--refiner`: a catalog model
/// (installed on demand) or a GGUF file of their own (used as is).
public enum ModelReference: Sendable, Hashable, CustomStringConvertible {
    /// A model from the catalog, installed and verified by `ModelStore`.
    case catalog(ModelSpec)
    /// A GGUF file the user supplied; refine neither installs nor verifies it.
    case file(URL)

    /// Parses a user-supplied model argument. A catalog name wins; otherwise
    /// the argument must be the path of an existing `.gguf` file. Anything
    /// else fails with a one-line error that lists the known names.
    public static func parse(_ argument: String, catalog: [ModelSpec] = ModelCatalog.all) throws -> ModelReference {
        if let spec = ModelCatalog.spec(named: argument, in: catalog) {
            return .catalog(spec)
        }
        let known = catalog.map(\.name).joined(separator: ", ")
        guard argument.lowercased().hasSuffix(".gguf") else {
            throw ModelError("unknown model '\(argument)': use one of \(known), or the path of a .gguf file")
        }
        let url = URL(fileURLWithPath: argument).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ModelError("model file \(url.path) does not exist: give an existing .gguf file or one of \(known)")
        }
        return .file(url)
    }

    /// A short name for logs and reports: the catalog name or the file name.
    public var name: String {
        switch self {
        case .catalog(let spec): spec.name
        case .file(let url): url.lastPathComponent
        }
    }

    /// Same as `name`, so references print naturally.
    public var description: String { name }
}
