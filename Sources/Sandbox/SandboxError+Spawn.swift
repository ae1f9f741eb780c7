import Glibc
internal import CSeccomp

extension SandboxError {
    /// Explains a failed spawn in terms of what the user can change.
    static func spawnFailure(stage: refine_stage, errno error: Int32) -> SandboxError {
        switch stage {
        case REFINE_STAGE_CLONE where error == EPERM || error == ENOSPC || error == EINVAL || error == EUSERS:
            return SandboxError(
                .namespacesUnavailable, errno: error,
                "the kernel refused to create the sandbox's namespaces: user namespaces may be disabled "
                    + "(check /proc/sys/user/max_user_namespaces, kernel.unprivileged_userns_clone, and "
                    + "kernel.apparmor_restrict_unprivileged_userns), or this process may itself be confined "
                    + "(a container or seccomp profile that blocks clone with CLONE_NEWUSER)")
        case REFINE_STAGE_CLONE:
            return SandboxError(.resourceUnavailable, errno: error, "cannot fork the sandbox")
        case REFINE_STAGE_ID_MAPS:
            return SandboxError(
                .namespacesUnavailable, errno: error,
                "cannot write the user namespace's id maps (an unprivileged caller can only map its own ids)")
        default:
            return SandboxError(.resourceUnavailable, errno: error, "cannot set up the sandbox's pipes")
        }
    }

    /// Explains a setup failure that init or the program reported.
    static func childFailure(_ report: ChildReport, policy: SandboxPolicy, plan: [String]) -> SandboxError {
        let error = report.errorNumber
        let what: String
        switch report.stage {
        case REFINE_STAGE_GROUPS: what = "dropping supplementary groups"
        case REFINE_STAGE_HOSTNAME: what = "setting the sandbox's host name"
        case REFINE_STAGE_MOUNT_PRIVATE: what = "making the mount namespace private"
        case REFINE_STAGE_MOUNT_ROOT:
            what = "mounting the new root on \(policy.filesystem.stagingDirectory)"
        case REFINE_STAGE_MOUNT_STEP:
            let step = Int(report.step)
            what = "building the root file system at step \(step)" + (step >= 0 && step < plan.count ? " (\(plan[step]))" : "")
        case REFINE_STAGE_PIVOT_ROOT: what = "switching to the new root"
        case REFINE_STAGE_REMOUNT_ROOT: what = "making the new root read-only"
        case REFINE_STAGE_WORKING_DIRECTORY: what = "entering the work directory"
        case REFINE_STAGE_INIT: what = "starting the sandbox's init"
        case REFINE_STAGE_FORK: what = "forking the program"
        case REFINE_STAGE_LIMITS: what = "setting resource limit #\(report.step)"
        case REFINE_STAGE_IDENTITY: what = "switching to the sandbox user"
        case REFINE_STAGE_FDS: what = "placing the program's file descriptors"
        case REFINE_STAGE_NO_NEW_PRIVS: what = "setting no_new_privs"
        case REFINE_STAGE_SECCOMP: what = "installing the system call filter"
        case REFINE_STAGE_LISTENER: what = "handing the filter's listener to init"
        case REFINE_STAGE_EXEC:
            return SandboxError(
                .interpreterFailed, errno: error, "cannot execute the interpreter \(policy.interpreter) in the sandbox")
        default: what = "setting up the sandbox"
        }
        return SandboxError(.setupFailed, errno: error, "the sandbox failed while \(what)")
    }
}
