import Foundation
import Glibc
internal import CSeccomp

/// Turns a ``FilesystemView`` into the ordered steps init runs to build the
/// sandbox's root: host paths are inspected here, once, so the child only
/// replays mkdir, mount and symlink calls.
struct RootFilesystemPlan {
    enum Step: Equatable {
        case directory(String, mode: mode_t)
        case bindReadOnly(source: String, target: String, isDirectory: Bool)
        /// A device node, writable (writing /dev/null must work).
        case bindDevice(source: String, target: String)
        /// A bind of something already inside the new root.
        case bindInside(source: String, target: String)
        case tmpfs(target: String, options: String)
        case proc(target: String)
        case symlink(target: String, pointingTo: String)
        case file(target: String, contents: [UInt8], mode: mode_t)
    }

    let steps: [Step]

    /// Files of /etc copied rather than bind-mounted: a write is cheaper
    /// than two mount calls, and these are small.
    private static let largestCopiedFile = 512 * 1024

    init(policy: SandboxPolicy, harness: HarnessProgram) throws {
        let view = policy.filesystem
        var steps: [Step] = []
        var covered: [String] = []

        for directory in view.systemDirectories {
            var info = stat()
            guard lstat(directory, &info) == 0 else { continue }
            let target = Self.relative(directory)
            if (info.st_mode & S_IFMT) == S_IFLNK {
                guard let destination = Self.readLink(directory) else { continue }
                steps.append(.symlink(target: target, pointingTo: destination))
            } else if (info.st_mode & S_IFMT) == S_IFDIR {
                steps.append(.bindReadOnly(source: directory, target: target, isDirectory: true))
                covered.append(directory)
            }
        }

        // The work directory first: a read-only path below /tmp is mounted
        // inside it, not hidden under it.
        let workOptions = "size=\(policy.limits.workDirectoryBytes),nr_inodes=16384,mode=1777"
        steps.append(.tmpfs(target: "tmp", options: workOptions))
        let work = Self.relative(view.workDirectory)
        if work != "tmp" {
            steps.append(contentsOf: Self.parents(of: view.workDirectory))
            steps.append(.bindInside(source: "tmp", target: work))
        }

        // The interpreter's prefix, and its virtual environment if it has one.
        var extra = view.extraReadOnlyPaths
        let interpreter = URL(fileURLWithPath: policy.interpreter)
        let resolved = interpreter.resolvingSymlinksInPath()
        extra.append(resolved.deletingLastPathComponent().deletingLastPathComponent().path)
        let environment = interpreter.deletingLastPathComponent().deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: environment.appendingPathComponent("pyvenv.cfg").path) {
            extra.append(environment.path)
        }
        let realCovered = covered.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
        for path in extra {
            let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
            let real = URL(fileURLWithPath: standardized).resolvingSymlinksInPath().path
            if (covered + realCovered).contains(where: { Self.isInside(standardized, $0) || Self.isInside(real, $0) }) {
                continue
            }
            var info = stat()
            guard stat(standardized, &info) == 0 else {
                throw SandboxError(.invalidPolicy, errno: errno, "the read-only path \(path) does not exist")
            }
            steps.append(contentsOf: Self.parents(of: standardized))
            steps.append(
                .bindReadOnly(
                    source: standardized, target: Self.relative(standardized),
                    isDirectory: (info.st_mode & S_IFMT) == S_IFDIR))
            covered.append(standardized)
        }

        steps.append(.directory("etc", mode: 0o755))
        for entry in Self.expand(view.etcEntries) {
            var info = stat()
            guard lstat(entry, &info) == 0 else { continue }
            let target = Self.relative(entry)
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                if let destination = Self.readLink(entry) {
                    steps.append(.symlink(target: target, pointingTo: destination))
                }
            case S_IFDIR:
                // A small directory (Debian's /etc/python3.x) is copied: a few
                // writes cost less than a bind and its read-only remount.
                if let copy = Self.copySteps(of: entry, target: target) {
                    steps.append(contentsOf: copy)
                } else {
                    steps.append(.bindReadOnly(source: entry, target: target, isDirectory: true))
                }
            case S_IFREG where Int(info.st_size) <= Self.largestCopiedFile:
                if let contents = FileManager.default.contents(atPath: entry) {
                    steps.append(.file(target: target, contents: [UInt8](contents), mode: 0o644))
                }
            case S_IFREG:
                steps.append(.bindReadOnly(source: entry, target: target, isDirectory: false))
            default:
                continue
            }
        }
        let identity = policy.identity
        steps.append(
            .file(
                target: "etc/passwd",
                contents: Array(
                    """
                    root:x:0:0:root:/root:/usr/sbin/nologin
                    sandbox:x:\(identity.uid):\(identity.gid):sandbox:\(view.workDirectory):/usr/sbin/nologin
                    nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin

                    """.utf8), mode: 0o644))
        steps.append(
            .file(
                target: "etc/group",
                contents: Array("root:x:0:\nsandbox:x:\(identity.gid):\nnogroup:x:65534:\n".utf8), mode: 0o644))
        steps.append(
            .file(target: "etc/hosts", contents: Array("127.0.0.1 localhost sandbox\n::1 localhost\n".utf8), mode: 0o644)
        )

        if let bytecode = harness.bytecode {
            steps.append(.file(target: Self.relative(HarnessProgram.pathInSandbox), contents: bytecode, mode: 0o444))
        }

        if policy.namespaces.contains(.pid) {
            // A procfs can only be mounted for a pid namespace we own; without
            // one the sandbox gets no /proc rather than the host's.
            steps.append(.proc(target: "proc"))
        }


        steps.append(.directory("dev", mode: 0o755))
        for device in ["null", "zero", "random", "urandom"] {
            steps.append(.bindDevice(source: "/dev/\(device)", target: "dev/\(device)"))
        }
        steps.append(.symlink(target: "dev/fd", pointingTo: "/proc/self/fd"))
        steps.append(.symlink(target: "dev/stdin", pointingTo: "/proc/self/fd/0"))
        steps.append(.symlink(target: "dev/stdout", pointingTo: "/proc/self/fd/1"))
        steps.append(.symlink(target: "dev/stderr", pointingTo: "/proc/self/fd/2"))
        // POSIX semaphores (multiprocessing locks) need a tmpfs at /dev/shm.
        steps.append(.bindInside(source: "tmp", target: "dev/shm"))

        self.steps = steps
    }

    /// The steps as C structs whose strings live in `arena`.
    func steps(in arena: CArena) -> [refine_mount_step] {
        steps.map { step in
            var c = refine_mount_step()
            switch step {
            case .directory(let target, let mode):
                c.kind = REFINE_STEP_DIRECTORY
                c.target = UnsafePointer(arena.string(target))
                c.mode = UInt32(mode)
            case .bindReadOnly(let source, let target, let isDirectory):
                c.kind = REFINE_STEP_BIND
                c.source = UnsafePointer(arena.string(Self.hostRoot + source))
                c.target = UnsafePointer(arena.string(target))
                c.is_directory = isDirectory ? 1 : 0
                c.read_only = 1
                c.no_device = 1
            case .bindDevice(let source, let target):
                c.kind = REFINE_STEP_BIND
                c.source = UnsafePointer(arena.string(Self.hostRoot + source))
                c.target = UnsafePointer(arena.string(target))
            case .bindInside(let source, let target):
                c.kind = REFINE_STEP_BIND
                c.source = UnsafePointer(arena.string(source))
                c.target = UnsafePointer(arena.string(target))
                c.is_directory = 1
            case .tmpfs(let target, let options):
                c.kind = REFINE_STEP_TMPFS
                c.target = UnsafePointer(arena.string(target))
                c.data = UnsafePointer(arena.string(options))
            case .proc(let target):
                c.kind = REFINE_STEP_PROC
                c.target = UnsafePointer(arena.string(target))
            case .symlink(let target, let destination):
                c.kind = REFINE_STEP_SYMLINK
                c.source = UnsafePointer(arena.string(destination))
                c.target = UnsafePointer(arena.string(target))
            case .file(let target, let contents, let mode):
                c.kind = REFINE_STEP_FILE
                c.target = UnsafePointer(arena.string(target))
                c.data = UnsafePointer(arena.bytes(contents))
                c.data_length = contents.count
                c.mode = UInt32(mode)
            }
            return c
        }
    }

    /// Where init sees the host's root while it builds the new one.
    static let hostRoot = "/.oldroot"

    private static func relative(_ path: String) -> String {
        String(path.drop(while: { $0 == "/" }))
    }

    private static func isInside(_ path: String, _ directory: String) -> Bool {
        path == directory || path.hasPrefix(directory.hasSuffix("/") ? directory : directory + "/")
    }

    private static func parents(of path: String) -> [Step] {
        let components = relative(path).split(separator: "/").dropLast()
        var steps: [Step] = []
        var current = ""
        for component in components {
            current += current.isEmpty ? String(component) : "/" + component
            steps.append(.directory(current, mode: 0o755))
        }
        return steps
    }

    private static func readLink(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    /// Steps that recreate a small directory tree (at most 64 entries and
    /// 1 MB of regular files and symlinks); nil when it is larger or holds
    /// anything else.
    private static func copySteps(of directory: String, target: String) -> [Step]? {
        var steps: [Step] = [.directory(target, mode: 0o755)]
        var bytes = 0
        var pending = [(directory, target)]
        while let (source, destination) = pending.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: source) else { return nil }
            for name in names.sorted() {
                let path = source + "/" + name
                let inside = destination + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else { return nil }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    steps.append(.directory(inside, mode: 0o755))
                    pending.append((path, inside))
                case S_IFLNK:
                    guard let link = readLink(path) else { return nil }
                    steps.append(.symlink(target: inside, pointingTo: link))
                case S_IFREG:
                    guard let contents = FileManager.default.contents(atPath: path) else { return nil }
                    bytes += contents.count
                    steps.append(.file(target: inside, contents: [UInt8](contents), mode: 0o644))
                default:
                    return nil
                }
                if steps.count > 64 || bytes > 1 << 20 { return nil }
            }
        }
        return steps
    }

    /// Expands a trailing `*` against the directory's entries.
    private static func expand(_ entries: [String]) -> [String] {
        entries.flatMap { entry -> [String] in
            guard entry.hasSuffix("*") else { return [entry] }
            let url = URL(fileURLWithPath: String(entry.dropLast()))
            let directory = url.deletingLastPathComponent().path
            let prefix = url.lastPathComponent
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.filter { $0.hasPrefix(prefix) }.sorted().map { directory + "/" + $0 }
        }
    }
}

extension RootFilesystemPlan.Step: CustomStringConvertible {
    var description: String {
        switch self {
        case .directory(let target, _): return "mkdir /\(target)"
        case .bindReadOnly(let source, let target, _): return "bind \(source) on /\(target), read-only"
        case .bindDevice(let source, let target): return "bind \(source) on /\(target)"
        case .bindInside(let source, let target): return "bind /\(source) on /\(target)"
        case .tmpfs(let target, let options): return "tmpfs on /\(target) (\(options))"
        case .proc(let target): return "proc on /\(target)"
        case .symlink(let target, let destination): return "symlink /\(target) -> \(destination)"
        case .file(let target, let contents, _): return "write /\(target) (\(contents.count) bytes)"
        }
    }
}
