/// What the program sees of the file system: a read-only root built from
/// scratch, holding only what is listed here, plus a private size-capped
/// tmpfs as its working directory and /tmp. Nothing it writes reaches the
/// host, and no host home directory or host /tmp is visible.
public struct FilesystemView: Sendable, Hashable {
    /// Host system directories, mirrored read-only at the same paths. A
    /// directory that is a symlink on the host (`/lib` → `usr/lib` on
    /// merged-/usr systems) becomes the same symlink.
    public var systemDirectories: [String]
    /// Of /etc, only these (when they exist): the loader cache, the time
    /// zone, Debian's Python site configuration. Paths may end in `*`.
    public var etcEntries: [String]
    /// More host paths to show read-only at the same place (a virtualenv,
    /// a data folder).
    public var extraReadOnlyPaths: [String]
    /// The working directory inside the sandbox; also mounted as /tmp.
    public var workDirectory: String
    /// A host directory that exists, where the new root is assembled before
    /// `pivot_root` (in the sandbox's own mount namespace: the host's view
    /// of it does not change).
    public var stagingDirectory: String

    /// Builds a view; every default is what ``default`` uses. System
    /// directories missing on the host are skipped, so one list serves most
    /// distributions.
    public init(
        systemDirectories: [String] = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"],
        etcEntries: [String] = ["/etc/ld.so.cache", "/etc/localtime", "/etc/python3*"],
        extraReadOnlyPaths: [String] = [], workDirectory: String = "/tmp", stagingDirectory: String = "/tmp"
    ) {
        self.systemDirectories = systemDirectories
        self.etcEntries = etcEntries
        self.extraReadOnlyPaths = extraReadOnlyPaths
        self.workDirectory = workDirectory
        self.stagingDirectory = stagingDirectory
    }

    /// The view of both presets: the usual system directories, the three
    /// /etc entries Python needs, nothing else of the host, and /tmp as the
    /// working directory.
    public static let `default` = FilesystemView()
}
