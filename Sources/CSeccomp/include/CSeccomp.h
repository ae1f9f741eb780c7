// The only C in refine: what Swift cannot express.
//
// * Building seccomp filters with libseccomp and exporting them as classic BPF
//   (libseccomp's API is built from macros and variadic functions).
// * Everything between fork and exec: a forked child of a multithreaded Swift
//   process may only make async-signal-safe calls, so namespaces, mounts,
//   rlimits, file descriptors, no_new_privs, seccomp installation and execve
//   all live here, driven by a plan the Swift side prepared in advance.
// * Raw system calls that glibc exposes only through the variadic syscall().
//
// Every symbol carries the `refine_` prefix. No libseccomp or kernel type
// appears in this header, so nothing C leaks into the Swift API.

#ifndef REFINE_CSECCOMP_H
#define REFINE_CSECCOMP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#if !defined(__clang__)
#define _Nonnull
#define _Nullable
#endif

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Seccomp filters

/// What a filter does with a matching system call.
typedef enum {
    /// Let the call through.
    REFINE_SECCOMP_ALLOW = 0,
    /// Fail the call with `error_number` without running it.
    REFINE_SECCOMP_FAIL = 1,
    /// Hold the call and notify the listener, which stops the process and
    /// reports the call by name (a user notification, never executed).
    REFINE_SECCOMP_REPORT = 2,
    /// Kill the process at once (SIGSYS); the call cannot be named afterwards.
    REFINE_SECCOMP_KILL = 3,
} refine_seccomp_action;

/// How a condition compares a system call argument.
typedef enum {
    REFINE_SECCOMP_EQUAL = 0,
    REFINE_SECCOMP_NOT_EQUAL = 1,
    /// `(argument & mask) == value`
    REFINE_SECCOMP_MASKED_EQUAL = 2,
    REFINE_SECCOMP_LESS = 3,
    REFINE_SECCOMP_GREATER_OR_EQUAL = 4,
} refine_seccomp_comparison;

typedef struct {
    unsigned int argument;
    refine_seccomp_comparison comparison;
    uint64_t value;
    uint64_t mask;
} refine_seccomp_condition;

typedef struct {
    const char *_Nullable syscall;
    refine_seccomp_action action;
    int error_number;
    const refine_seccomp_condition *_Nullable conditions;
    unsigned int condition_count;
} refine_seccomp_rule;

typedef struct {
    refine_seccomp_action default_action;
    int default_error_number;
    /// Action for calls made through another ABI (i386, x32).
    refine_seccomp_action foreign_abi_action;
    const refine_seccomp_rule *_Nullable rules;
    size_t rule_count;
} refine_seccomp_filter;

/// Builds `filter` with libseccomp for the native architecture and exports
/// it as classic BPF into a malloc'd buffer (`*program`, `*length` bytes).
/// Returns 0, or a positive errno; when a rule names a system call this
/// architecture does not know, `*unknown_rule` is set to its index.
int refine_seccomp_compile(const refine_seccomp_filter *_Nonnull filter,
                           void *_Nullable *_Nonnull program,
                           size_t *_Nonnull length,
                           long *_Nonnull unknown_rule);

/// Frees a program returned by `refine_seccomp_compile`.
void refine_seccomp_free(void *_Nullable program);

/// Writes the name of system call `number` of the ABI `audit_arch` (the
/// kernel's AUDIT_ARCH_* value, as carried in a notification) into `buffer`.
/// Returns 0, or -1 when libseccomp does not know the number.
int refine_seccomp_syscall_name(uint32_t audit_arch, int number,
                                char *_Nonnull buffer, size_t capacity);

/// The native ABI's AUDIT_ARCH_* value.
uint32_t refine_seccomp_native_arch(void);

/// What `refine_seccomp_syscall_number` answers for a name without a number
/// on this architecture.
enum {
    /// Only other architectures have it (`socketcall` on x86_64).
    REFINE_SYSCALL_OTHER_ARCHITECTURE = -1,
    /// libseccomp knows it on no architecture: a misspelling.
    REFINE_SYSCALL_UNKNOWN = -2,
};

/// The native number of a system call, or one of the negative answers above.
int refine_seccomp_syscall_number(const char *_Nonnull name);

// MARK: - Sandboxed spawn

/// One step of building the sandbox's root file system. Targets are relative
/// to the new root; the steps run in order inside the new mount namespace,
/// where the host's root is still reachable at /.oldroot (so host sources
/// are given as /.oldroot/PATH).
typedef enum {
    /// `mkdir target`
    REFINE_STEP_DIRECTORY = 0,
    /// Bind-mount host `source` on `target` (a directory when `is_directory`,
    /// else a file); `read_only` remounts it read-only, `no_device` adds nodev.
    REFINE_STEP_BIND = 1,
    /// A tmpfs on `target` with mount options `data`.
    REFINE_STEP_TMPFS = 2,
    /// A fresh procfs on `target` (for the new pid namespace).
    REFINE_STEP_PROC = 3,
    /// `symlink(source, target)`
    REFINE_STEP_SYMLINK = 4,
    /// A new file `target` holding `data_length` bytes of `data`.
    REFINE_STEP_FILE = 5,
} refine_step_kind;

typedef struct {
    refine_step_kind kind;
    const char *_Nullable source;
    const char *_Nullable target;
    const char *_Nullable data;
    size_t data_length;
    unsigned int mode;
    int is_directory;
    int read_only;
    int no_device;
} refine_mount_step;

typedef struct {
    int resource;
    uint64_t soft;
    uint64_t hard;
} refine_resource_limit;

/// Places `source` at `target` in the sandboxed process.
typedef struct {
    int source;
    int target;
} refine_fd_mapping;

/// Everything the child needs, prepared by the parent so that the child only
/// makes async-signal-safe calls.
typedef struct {
    const char *_Nullable executable;
    char *_Nullable const *_Nullable argv;
    char *_Nullable const *_Nullable envp;
    const char *_Nullable working_directory;

    /// Targets must be exactly 0 ..< fd_count; every other descriptor closes.
    const refine_fd_mapping *_Nullable fds;
    unsigned int fd_count;

    /// CLONE_NEW* flags.
    unsigned long namespaces;
    /// Written by the parent into /proc/PID/{uid_map,gid_map} (user namespace).
    const char *_Nullable uid_map;
    const char *_Nullable gid_map;
    /// Write "deny" to /proc/PID/setgroups first (required when unprivileged).
    int deny_setgroups;
    /// Drop supplementary groups in the child (possible when privileged).
    int drop_supplementary_groups;
    /// Identity of the sandboxed program; (uid_t)-1 keeps the current one.
    uid_t uid;
    gid_t gid;

    const char *_Nullable hostname;
    /// An existing host directory to mount the new root on (in the
    /// sandbox's mount namespace only) before pivot_root.
    const char *_Nullable staging_directory;
    /// Options for the tmpfs that becomes the new (later read-only) root.
    const char *_Nullable root_options;
    const refine_mount_step *_Nullable steps;
    unsigned int step_count;

    const refine_resource_limit *_Nullable limits;
    unsigned int limit_count;

    /// Allowlist filter, installed with prctl(PR_SET_SECCOMP).
    const void *_Nullable allowlist_program;
    size_t allowlist_length;
    /// Argument and reporting filter, installed with seccomp() and a listener
    /// that the sandbox's init process serves.
    const void *_Nullable report_program;
    size_t report_length;
} refine_sandbox_config;

/// Where a spawn failed; each value names one step of the setup.
typedef enum {
    REFINE_STAGE_NONE = 0,
    REFINE_STAGE_PIPE,
    REFINE_STAGE_CLONE,
    REFINE_STAGE_ID_MAPS,
    REFINE_STAGE_SYNC,
    REFINE_STAGE_SIGNALS,
    REFINE_STAGE_GROUPS,
    REFINE_STAGE_HOSTNAME,
    REFINE_STAGE_MOUNT_PRIVATE,
    REFINE_STAGE_MOUNT_ROOT,
    REFINE_STAGE_MOUNT_STEP,
    REFINE_STAGE_PIVOT_ROOT,
    REFINE_STAGE_REMOUNT_ROOT,
    REFINE_STAGE_WORKING_DIRECTORY,
    REFINE_STAGE_INIT,
    REFINE_STAGE_FORK,
    REFINE_STAGE_LIMITS,
    REFINE_STAGE_IDENTITY,
    REFINE_STAGE_FDS,
    REFINE_STAGE_NO_NEW_PRIVS,
    REFINE_STAGE_SECCOMP,
    REFINE_STAGE_LISTENER,
    REFINE_STAGE_EXEC,
} refine_stage;

typedef enum {
    /// Setup failed before the program ran: `stage`, `error_number`, `step`.
    REFINE_REPORT_FAILED = 1,
    /// The program ended: `wait_status`, resource usage and, when the report
    /// filter stopped it, the system call it attempted.
    REFINE_REPORT_FINISHED = 2,
} refine_report_kind;

/// One fixed-size record on the report pipe (written atomically).
typedef struct {
    int32_t kind;
    int32_t stage;
    int32_t error_number;
    int32_t step;
    int32_t wait_status;
    int32_t reported_syscall;
    uint32_t reported_arch;
    int32_t reserved;
    int64_t user_microseconds;
    int64_t system_microseconds;
    int64_t max_rss_kilobytes;
} refine_sandbox_report;

typedef struct {
    pid_t pid;
    int pidfd;
    /// Read end of the report pipe: zero or more records, then end of file.
    int report_fd;
    /// Held by the parent for the whole run; closing it (or the parent's
    /// death) makes init kill the sandbox.
    int lifeline_fd;
    /// The children's stacks and configuration copy: released with
    /// refine_sandbox_release once init has been reaped, never before.
    void *_Nullable region;
    size_t region_size;
} refine_sandbox_process;

/// Starts the sandbox's init process in the requested namespaces (sharing
/// our memory, on its own stack: no copy of this process is made), gives it
/// its id maps, and lets it build the sandbox and start the program. The
/// configuration is copied; what it points to must stay valid until the
/// program has been executed. Call it from the thread that will supervise
/// the child: the init process dies with that thread. Returns 0, or a positive errno with
/// `*failed_stage` set; failures inside the child arrive as report records.
int refine_sandbox_spawn(const refine_sandbox_config *_Nonnull config,
                         refine_sandbox_process *_Nonnull process,
                         refine_stage *_Nonnull failed_stage);

/// Unmaps what a spawn mapped for its children. Call it only after init
/// has been reaped.
void refine_sandbox_release(refine_sandbox_process *_Nonnull process);

/// Reaps the init process (waitid P_PIDFD). Returns 0 and its wait status,
/// or a positive errno.
int refine_sandbox_reap(int pidfd, int *_Nonnull wait_status);

/// Sends SIGKILL through the pidfd. Returns 0 or a positive errno.
int refine_sandbox_kill(int pidfd);

/// Creates a sealed-size anonymous file holding `length` bytes of `bytes`,
/// positioned at offset 0, close-on-exec. Returns the fd or -errno.
int refine_memory_file(const char *_Nonnull name, const void *_Nullable bytes,
                       size_t length);

/// pipe2(O_CLOEXEC); returns 0 or a positive errno.
int refine_pipe_cloexec(int fds[_Nonnull 2]);

#ifdef __cplusplus
}
#endif

#endif
