import Foundation
import Glibc
internal import CSeccomp

/// A policy compiled once into what the child needs: BPF programs, the root
/// file system plan, argv, envp, id maps and rlimits, all in C memory that
/// stays put for every fork that reads it.
final class PreparedPolicy: @unchecked Sendable {
    let policy: SandboxPolicy
    /// Everything but the per-run descriptors; immutable once built.
    let baseConfig: refine_sandbox_config
    /// The native ABI, for naming reported system calls.
    let nativeArch: UInt32
    /// /dev/null, open for reading, shared by every run as its stdin.
    let nullDescriptor: Int32
    /// A readable line per root file system step, for error messages.
    let stepDescriptions: [String]
    private let arena: CArena

    init(_ policy: SandboxPolicy, harness: HarnessProgram) throws {
        self.policy = policy
        let arena = CArena()
        self.arena = arena
        self.nativeArch = refine_seccomp_native_arch()

        let isRoot = geteuid() == 0

        var config = refine_sandbox_config()
        config.executable = UnsafePointer(arena.string(policy.interpreter))
        config.argv = UnsafePointer(arena.stringArray(harness.arguments(interpreter: policy.interpreter)))
        config.envp = UnsafePointer(arena.stringArray(Self.environment(for: policy)))
        config.working_directory = UnsafePointer(
            arena.string(policy.namespaces.contains(.mount) ? policy.filesystem.workDirectory : "/"))
        config.namespaces = Self.cloneFlags(policy.namespaces)

        let identity = policy.identity
        if policy.namespaces.contains(.user) {
            let hostUID = isRoot ? identity.hostUIDWhenRoot : geteuid()
            let hostGID = isRoot ? identity.hostGIDWhenRoot : getegid()
            config.uid_map = UnsafePointer(arena.string("\(identity.uid) \(hostUID) 1\n"))
            config.gid_map = UnsafePointer(arena.string("\(identity.gid) \(hostGID) 1\n"))
            // Unprivileged callers must give up setgroups to write a gid map;
            // root instead drops its supplementary groups in the child.
            config.deny_setgroups = isRoot ? 0 : 1
            config.drop_supplementary_groups = isRoot ? 1 : 0
            config.uid = identity.uid
            config.gid = identity.gid
        } else {
            config.drop_supplementary_groups = 1
            config.uid = identity.hostUIDWhenRoot
            config.gid = identity.hostGIDWhenRoot
        }
        config.hostname = UnsafePointer(arena.string("sandbox"))
        config.staging_directory = UnsafePointer(arena.string(policy.filesystem.stagingDirectory))
        config.root_options = UnsafePointer(arena.string("mode=0755,size=4m,nr_inodes=4096"))

        if policy.namespaces.contains(.mount) {
            let plan = try RootFilesystemPlan(policy: policy, harness: harness)
            let steps = plan.steps(in: arena)
            config.steps = UnsafePointer(arena.array(steps))
            config.step_count = UInt32(steps.count)
            stepDescriptions = plan.steps.map(\.description)
        } else {
            stepDescriptions = []
        }

        let limits = Self.resourceLimits(policy.limits)
        config.limits = UnsafePointer(arena.array(limits))
        config.limit_count = UInt32(limits.count)

        let filters = try SeccompFilters(policy.syscalls)
        if let allowlist = filters.allowlist {
            arena.adopt(allowlist.pointer)
            config.allowlist_program = UnsafeRawPointer(allowlist.pointer)
            config.allowlist_length = allowlist.length
        }
        if let report = filters.report {
            arena.adopt(report.pointer)
            config.report_program = UnsafeRawPointer(report.pointer)
            config.report_length = report.length
        }
        self.baseConfig = config

        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard null >= 0 else {
            throw SandboxError(.resourceUnavailable, errno: errno, "cannot open /dev/null")
        }
        self.nullDescriptor = null
    }

    deinit {
        close(nullDescriptor)
    }

    static func validate(_ policy: SandboxPolicy, isRoot: Bool = geteuid() == 0) throws {
        guard access(policy.interpreter, X_OK) == 0 else {
            throw SandboxError(
                .interpreterFailed, errno: errno, "the interpreter \(policy.interpreter) cannot be executed")
        }
        if !policy.namespaces.contains(.user) && !isRoot {
            throw SandboxError(
                .invalidPolicy,
                "a sandbox without a user namespace needs root: keep Namespaces.user or run as root")
        }
        if policy.namespaces.contains(.mount) {
            guard policy.filesystem.workDirectory.hasPrefix("/") else {
                throw SandboxError(.invalidPolicy, "the work directory must be an absolute path")
            }
            var info = stat()
            guard stat(policy.filesystem.stagingDirectory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw SandboxError(
                    .invalidPolicy, "the staging directory \(policy.filesystem.stagingDirectory) is not a directory")
            }
        }
        let limits = policy.limits
        guard limits.wallTime > .zero, limits.cpuSeconds > 0, limits.addressSpaceBytes > 0, limits.openFiles > 4,
            limits.processes > 0, limits.outputKeptBytes >= 0, limits.outputLimitBytes >= limits.outputKeptBytes
        else {
            throw SandboxError(.invalidPolicy, "every limit must be positive, and output kept at most the output limit")
        }
    }

    private static func environment(for policy: SandboxPolicy) -> [String] {
        let home = policy.namespaces.contains(.mount) ? policy.filesystem.workDirectory : "/tmp"
        var environment = [
            "PATH=/usr/local/bin:/usr/bin:/bin",
            "HOME=\(home)",
            "TMPDIR=\(home)",
            "LANG=C.UTF-8",
            "USER=sandbox",
            "LOGNAME=sandbox",
            "PYTHONSAFEPATH=1",
            // One thread per numeric library: predictable CPU and memory.
            "OPENBLAS_NUM_THREADS=1",
            "OMP_NUM_THREADS=1",
            "MKL_NUM_THREADS=1",
        ]
        if let seed = policy.hashSeed {
            environment.append("PYTHONHASHSEED=\(seed)")
        }
        return environment
    }

    static func cloneFlags(_ namespaces: Namespaces) -> UInt {
        var flags: UInt = 0
        if namespaces.contains(.mount) { flags |= 0x0002_0000 }  // CLONE_NEWNS
        if namespaces.contains(.uts) { flags |= 0x0400_0000 }  // CLONE_NEWUTS
        if namespaces.contains(.ipc) { flags |= 0x0800_0000 }  // CLONE_NEWIPC
        if namespaces.contains(.user) { flags |= 0x1000_0000 }  // CLONE_NEWUSER
        if namespaces.contains(.pid) { flags |= 0x2000_0000 }  // CLONE_NEWPID
        if namespaces.contains(.network) { flags |= 0x4000_0000 }  // CLONE_NEWNET
        return flags
    }

    private static func resourceLimits(_ limits: ResourceLimits) -> [refine_resource_limit] {
        func limit(_ resource: __rlimit_resource, _ soft: Int, _ hard: Int? = nil) -> refine_resource_limit {
            refine_resource_limit(resource: Int32(resource.rawValue), soft: UInt64(soft), hard: UInt64(hard ?? soft))
        }
        return [
            // SIGXCPU at the limit; the hard limit's SIGKILL a second later
            // catches a program that ignores SIGXCPU.
            limit(RLIMIT_CPU, limits.cpuSeconds, limits.cpuSeconds + 1),
            limit(RLIMIT_AS, limits.addressSpaceBytes),
            limit(RLIMIT_NOFILE, limits.openFiles),
            limit(__RLIMIT_NPROC, limits.processes),
            limit(RLIMIT_FSIZE, limits.fileSizeBytes),
            limit(RLIMIT_STACK, limits.stackBytes),
            limit(RLIMIT_CORE, 0),
        ]
    }
}
