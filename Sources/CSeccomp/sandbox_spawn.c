// The sandboxed spawn: everything between clone and exec.
//
// Process tree (the default, with a pid namespace):
//
//   parent (Swift, multithreaded)
//     └─ init: pid 1 of the new namespaces. Builds the root file system,
//        starts the program, serves the seccomp listener, reaps, reports.
//          └─ program: rlimits, identity, fds, no_new_privs, seccomp, execve.
//
// Both children share the parent's memory (CLONE_VM) instead of copying it:
// a spawn then costs the same from a small tool and from a process with
// gigabytes resident. They run on stacks the parent mapped for them, read
// only the configuration the parent prepared, and make nothing but raw
// system calls (see raw_syscall.h): no glibc wrapper, no errno, no lock.
// Failures travel to the parent as fixed-size records on a close-on-exec
// pipe; a successful execve closes the program's copy of it.
//
// A separate init (rather than the program as pid 1) matters for exactness:
// the kernel ignores signals without handlers sent to a namespace's pid 1,
// which would change how the program's own kill(), abort() or raise() end.

#define _GNU_SOURCE 1
#include "include/CSeccomp.h"
#include "raw_syscall.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/// Internal descriptors of init are moved at or above this number, clear of
/// the program's descriptors 0 ..< fd_count.
#define REFINE_INTERNAL_FD_FLOOR 64

/// Stacks mapped per spawn: init's, then the program's (until execve).
#define REFINE_INIT_STACK_SIZE (256 * 1024)
#define REFINE_PROGRAM_STACK_SIZE (128 * 1024)
#define REFINE_GUARD_SIZE (64 * 1024)

/// The kernel's sigaction, for rt_sigaction.
struct refine_kernel_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};

// MARK: - Raw helpers

static void refine_write_report(int fd, const refine_sandbox_report *report) {
    long rc;
    do {
        rc = REFINE_SYS3(SYS_write, fd, report, sizeof(*report));
    } while (rc == -EINTR);
}

_Noreturn static void refine_exit(int status) {
    for (;;) {
        REFINE_SYS1(SYS_exit_group, status);
    }
}

_Noreturn static void refine_child_fail(int report_fd, refine_stage stage, long error, int step) {
    refine_sandbox_report report;
    memset(&report, 0, sizeof(report));
    report.kind = REFINE_REPORT_FAILED;
    report.stage = stage;
    report.error_number = (int32_t)(error < 0 ? -error : error);
    report.step = step;
    report.reported_syscall = -1;
    refine_write_report(report_fd, &report);
    refine_exit(126);
}

static long refine_write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        long rc = REFINE_SYS3(SYS_write, fd, bytes, length);
        if (rc == -EINTR) {
            continue;
        }
        if (rc < 0) {
            return rc;
        }
        bytes += rc;
        length -= (size_t)rc;
    }
    return 0;
}

static int refine_move_high(int fd) {
    long moved = REFINE_SYS3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, REFINE_INTERNAL_FD_FLOOR);
    if (moved >= 0) {
        REFINE_SYS1(SYS_close, fd);
    }
    return (int)moved;
}

static void refine_close_range(unsigned int first, unsigned int last) {
    if (first > last) {
        return;
    }
    if (REFINE_SYS3(SYS_close_range, first, last, 0) != 0) {
        for (unsigned int fd = first; fd <= last && fd < 4096; fd++) {
            REFINE_SYS1(SYS_close, fd);
        }
    }
}

/// Closes every descriptor but the `count` in `keep`: init shares nothing
/// with the parent but a copy of its descriptor table, which may hold
/// anything (other runs' pipes, sockets); a copy kept open would delay their
/// end of file or leak them into the sandbox.
static void refine_close_all_except(int *keep, unsigned int count) {
    for (unsigned int i = 1; i < count; i++) {
        int value = keep[i];
        unsigned int j = i;
        while (j > 0 && keep[j - 1] > value) {
            keep[j] = keep[j - 1];
            j--;
        }
        keep[j] = value;
    }
    unsigned int next = 0;
    for (unsigned int i = 0; i < count; i++) {
        if (keep[i] < 0) {
            continue;
        }
        if ((unsigned int)keep[i] > next) {
            refine_close_range(next, (unsigned int)keep[i] - 1);
        }
        next = (unsigned int)keep[i] + 1;
    }
    refine_close_range(next, ~0U);
}

static void refine_reset_signals(void) {
    struct refine_kernel_sigaction action;
    memset(&action, 0, sizeof(action));
    action.handler = SIG_DFL;
    for (int signo = 1; signo < 65; signo++) {
        if (signo == SIGKILL || signo == SIGSTOP) {
            continue;
        }
        REFINE_SYS4(SYS_rt_sigaction, signo, &action, NULL, sizeof(action.mask));
    }
}

// MARK: - Root file system

static unsigned long refine_preserved_mount_flags(const char *path) {
    // A bind remount inside a user namespace must keep the flags the host
    // locked on the source mount (nosuid, nodev, noexec, atime policy).
    struct statfs info;
    if (REFINE_SYS2(SYS_statfs, path, &info) != 0) {
        return 0;
    }
    unsigned long flags = 0;
    if (info.f_flags & ST_NOSUID) flags |= MS_NOSUID;
    if (info.f_flags & ST_NODEV) flags |= MS_NODEV;
    if (info.f_flags & ST_NOEXEC) flags |= MS_NOEXEC;
    if (info.f_flags & ST_NOATIME) flags |= MS_NOATIME;
    if (info.f_flags & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (info.f_flags & ST_RELATIME) flags |= MS_RELATIME;
    return flags;
}

static long refine_mkdir(const char *path, unsigned int mode) {
    long rc = REFINE_SYS3(SYS_mkdirat, AT_FDCWD, path, mode);
    return rc == -EEXIST ? 0 : rc;
}

static long refine_mount(const char *source, const char *target, const char *type, unsigned long flags,
                         const void *data) {
    return REFINE_SYS5(SYS_mount, source, target, type, flags, data);
}

static long refine_run_step(const refine_mount_step *step) {
    long rc;
    switch (step->kind) {
    case REFINE_STEP_DIRECTORY:
        return refine_mkdir(step->target, step->mode);

    case REFINE_STEP_BIND: {
        if (step->is_directory) {
            if ((rc = refine_mkdir(step->target, 0755)) != 0) {
                return rc;
            }
        } else {
            long fd = REFINE_SYS4(SYS_openat, AT_FDCWD, step->target, O_WRONLY | O_CREAT | O_CLOEXEC, 0444);
            if (fd < 0) {
                return fd;
            }
            REFINE_SYS1(SYS_close, fd);
        }
        if ((rc = refine_mount(step->source, step->target, NULL, MS_BIND | MS_REC, NULL)) != 0) {
            return rc;
        }
        if (step->read_only || step->no_device) {
            unsigned long flags = MS_REMOUNT | MS_BIND | MS_NOSUID | refine_preserved_mount_flags(step->target);
            if (step->read_only) flags |= MS_RDONLY;
            if (step->no_device) flags |= MS_NODEV;
            return refine_mount(NULL, step->target, NULL, flags, NULL);
        }
        return 0;
    }

    case REFINE_STEP_TMPFS:
        if ((rc = refine_mkdir(step->target, 0755)) != 0) {
            return rc;
        }
        return refine_mount("tmpfs", step->target, "tmpfs", MS_NOSUID | MS_NODEV, step->data);

    case REFINE_STEP_PROC:
        if ((rc = refine_mkdir(step->target, 0555)) != 0) {
            return rc;
        }
        return refine_mount("proc", step->target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);

    case REFINE_STEP_SYMLINK:
        return REFINE_SYS3(SYS_symlinkat, step->source, AT_FDCWD, step->target);

    case REFINE_STEP_FILE: {
        long fd = REFINE_SYS4(SYS_openat, AT_FDCWD, step->target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, step->mode);
        if (fd < 0) {
            return fd;
        }
        rc = refine_write_all((int)fd, step->data, step->data_length);
        REFINE_SYS1(SYS_close, fd);
        return rc;
    }
    }
    return -EINVAL;
}

static void refine_build_root(const refine_sandbox_config *config, int report_fd) {
    long rc;
    // Nothing mounted from here on propagates back to the host.
    if ((rc = refine_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_MOUNT_PRIVATE, rc, -1);
    }
    if ((rc = refine_mount("tmpfs", config->staging_directory, "tmpfs", MS_NOSUID | MS_NODEV, config->root_options)) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_MOUNT_ROOT, rc, -1);
    }
    // Pivot first, keeping the host's root at /.oldroot: every host path,
    // the staging directory's own contents included, stays reachable as a
    // bind source there while the new root is filled in.
    if ((rc = REFINE_SYS1(SYS_chdir, config->staging_directory)) != 0 ||
        (rc = REFINE_SYS3(SYS_mkdirat, AT_FDCWD, ".oldroot", 0700)) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_MOUNT_ROOT, rc, -1);
    }
    if ((rc = REFINE_SYS2(SYS_pivot_root, ".", ".oldroot")) != 0 || (rc = REFINE_SYS1(SYS_chdir, "/")) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_PIVOT_ROOT, rc, -1);
    }
    for (unsigned int index = 0; index < config->step_count; index++) {
        if ((rc = refine_run_step(&config->steps[index])) != 0) {
            refine_child_fail(report_fd, REFINE_STAGE_MOUNT_STEP, rc, (int)index);
        }
    }
    // Then the host's root goes, lazily: nothing of it stays reachable.
    if ((rc = REFINE_SYS2(SYS_umount2, "/.oldroot", MNT_DETACH)) != 0 ||
        (rc = REFINE_SYS3(SYS_unlinkat, AT_FDCWD, "/.oldroot", AT_REMOVEDIR)) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_PIVOT_ROOT, rc, -1);
    }
    if ((rc = refine_mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL)) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_REMOUNT_ROOT, rc, -1);
    }
}

// MARK: - The program

static long refine_place_fds(const refine_sandbox_config *config) {
    // Two phases, so that a source equal to another mapping's target is not
    // overwritten before it is used.
    int staged[16];
    if (config->fd_count > 16) {
        return -EINVAL;
    }
    for (unsigned int index = 0; index < config->fd_count; index++) {
        long fd = REFINE_SYS3(SYS_fcntl, config->fds[index].source, F_DUPFD_CLOEXEC, REFINE_INTERNAL_FD_FLOOR + 32);
        if (fd < 0) {
            return fd;
        }
        staged[index] = (int)fd;
    }
    for (unsigned int index = 0; index < config->fd_count; index++) {
        // dup3 without O_CLOEXEC: the target survives execve.
        long rc = REFINE_SYS3(SYS_dup3, staged[index], config->fds[index].target, 0);
        if (rc < 0) {
            return rc;
        }
    }
    // Everything else closes at execve; the report pipe stays usable until then.
    if (REFINE_SYS3(SYS_close_range, config->fd_count, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        // Kernels before 5.11: mark each descriptor we might hold.
        for (int fd = (int)config->fd_count; fd < 1024; fd++) {
            long flags = REFINE_SYS2(SYS_fcntl, fd, F_GETFD);
            if (flags >= 0) {
                REFINE_SYS3(SYS_fcntl, fd, F_SETFD, flags | FD_CLOEXEC);
            }
        }
    }
    return 0;
}

static long refine_send_fd(int socket_fd, int fd) {
    char byte = 'L';
    struct iovec vector = { .iov_base = &byte, .iov_len = 1 };
    union {
        char buffer[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr message;
    memset(&message, 0, sizeof(message));
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control.buffer;
    message.msg_controllen = sizeof(control.buffer);
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &fd, sizeof(int));
    long rc;
    do {
        rc = REFINE_SYS3(SYS_sendmsg, socket_fd, &message, MSG_NOSIGNAL);
    } while (rc == -EINTR);
    return rc == 1 ? 0 : (rc < 0 ? rc : -EIO);
}

static int refine_receive_fd(int socket_fd) {
    char byte;
    struct iovec vector = { .iov_base = &byte, .iov_len = 1 };
    union {
        char buffer[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr message;
    memset(&message, 0, sizeof(message));
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control.buffer;
    message.msg_controllen = sizeof(control.buffer);
    long rc;
    do {
        rc = REFINE_SYS3(SYS_recvmsg, socket_fd, &message, MSG_CMSG_CLOEXEC);
    } while (rc == -EINTR);
    if (rc != 1) {
        return -1;
    }
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    if (header == NULL || header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) {
        return -1;
    }
    int fd;
    memcpy(&fd, CMSG_DATA(header), sizeof(int));
    return fd;
}

struct refine_program_arguments {
    const refine_sandbox_config *config;
    int report_fd;
    int listener_socket;
};

/// The program's process, from clone until execve.
static int refine_program_main(void *argument) {
    const struct refine_program_arguments *arguments = argument;
    const refine_sandbox_config *config = arguments->config;
    int report_fd = arguments->report_fd;
    long rc;

    if ((config->namespaces & CLONE_NEWPID) == 0) {
        // Without a pid namespace the program's process group is what init
        // kills, and the program must not outlive init.
        REFINE_SYS2(SYS_setpgid, 0, 0);
    }
    for (unsigned int index = 0; index < config->limit_count; index++) {
        struct rlimit limit = {
            .rlim_cur = (rlim_t)config->limits[index].soft,
            .rlim_max = (rlim_t)config->limits[index].hard,
        };
        if ((rc = REFINE_SYS4(SYS_prlimit64, 0, config->limits[index].resource, &limit, NULL)) != 0) {
            refine_child_fail(report_fd, REFINE_STAGE_LIMITS, rc, (int)index);
        }
    }
    if (config->gid != (gid_t)-1 && (rc = REFINE_SYS3(SYS_setresgid, config->gid, config->gid, config->gid)) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_IDENTITY, rc, 0);
    }
    if (config->uid != (uid_t)-1 && (rc = REFINE_SYS3(SYS_setresuid, config->uid, config->uid, config->uid)) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_IDENTITY, rc, 1);
    }
    if ((config->namespaces & CLONE_NEWPID) == 0) {
        // Set after the identity change, which clears it.
        REFINE_SYS2(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL);
    }
    if ((rc = refine_place_fds(config)) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_FDS, rc, -1);
    }
    if ((rc = REFINE_SYS5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_NO_NEW_PRIVS, rc, -1);
    }
    unsigned long empty = 0;
    if ((rc = REFINE_SYS4(SYS_rt_sigprocmask, SIG_SETMASK, &empty, NULL, sizeof(empty))) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_SIGNALS, rc, -1);
    }

    // Seccomp last: from here on every call, execve included, is filtered.
    if (config->allowlist_program != NULL) {
        struct sock_fprog program = {
            .len = (unsigned short)(config->allowlist_length / sizeof(struct sock_filter)),
            .filter = (struct sock_filter *)config->allowlist_program,
        };
        if ((rc = REFINE_SYS5(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0)) != 0) {
            refine_child_fail(report_fd, REFINE_STAGE_SECCOMP, rc, 0);
        }
    }
    if (config->report_program != NULL) {
        struct sock_fprog program = {
            .len = (unsigned short)(config->report_length / sizeof(struct sock_filter)),
            .filter = (struct sock_filter *)config->report_program,
        };
        long listener = REFINE_SYS3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
        if (listener < 0) {
            refine_child_fail(report_fd, REFINE_STAGE_SECCOMP, listener, 1);
        }
        if ((rc = refine_send_fd(arguments->listener_socket, (int)listener)) != 0) {
            refine_child_fail(report_fd, REFINE_STAGE_LISTENER, rc, -1);
        }
        REFINE_SYS1(SYS_close, listener);
    }
    if (arguments->listener_socket >= 0) {
        REFINE_SYS1(SYS_close, arguments->listener_socket);
    }

    rc = REFINE_SYS3(SYS_execve, config->executable, config->argv, config->envp);
    refine_child_fail(report_fd, REFINE_STAGE_EXEC, rc, -1);
}

// MARK: - init

static void refine_init_serve(pid_t program, int report_fd, int lifeline_fd, int listener_socket,
                              int signal_fd, int kill_group) {
    int listener = listener_socket >= 0 ? refine_receive_fd(listener_socket) : -1;
    if (listener_socket >= 0) {
        REFINE_SYS1(SYS_close, listener_socket);
    }

    refine_sandbox_report report;
    memset(&report, 0, sizeof(report));
    report.kind = REFINE_REPORT_FINISHED;
    report.reported_syscall = -1;

    for (;;) {
        struct pollfd watched[3] = {
            { .fd = signal_fd, .events = POLLIN },
            { .fd = lifeline_fd, .events = POLLIN },
            { .fd = listener, .events = POLLIN },
        };
        long rc = REFINE_SYS5(SYS_ppoll, watched, listener >= 0 ? 3 : 2, NULL, NULL, 0);
        if (rc < 0) {
            if (rc == -EINTR) {
                continue;
            }
            refine_child_fail(report_fd, REFINE_STAGE_INIT, rc, -1);
        }
        if (watched[1].revents != 0) {
            // The parent closed the lifeline or died: end the sandbox.
            REFINE_SYS2(SYS_kill, program, SIGKILL);
            if (kill_group) {
                REFINE_SYS2(SYS_kill, -program, SIGKILL);
            }
            refine_exit(125);
        }
        if (listener >= 0 && (watched[2].revents & POLLIN)) {
            struct seccomp_notif notification;
            memset(&notification, 0, sizeof(notification));
            if (REFINE_SYS3(SYS_ioctl, listener, SECCOMP_IOCTL_NOTIF_RECV, &notification) == 0) {
                if (report.reported_syscall < 0) {
                    report.reported_syscall = notification.data.nr;
                    report.reported_arch = notification.data.arch;
                }
                // The attempt is never answered: the caller dies holding it.
                REFINE_SYS2(SYS_kill, notification.pid, SIGKILL);
                REFINE_SYS2(SYS_kill, program, SIGKILL);
            }
        } else if (listener >= 0 && (watched[2].revents & (POLLHUP | POLLERR | POLLNVAL))) {
            // No process is left under the filter.
            REFINE_SYS1(SYS_close, listener);
            listener = -1;
        }
        if (watched[0].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (REFINE_SYS3(SYS_read, signal_fd, &info, sizeof(info)) == (long)sizeof(info)) {
            }
            // Reap everything: orphans re-parented to init would otherwise
            // stay zombies and count against the process limit.
            for (;;) {
                int status = 0;
                struct rusage usage;
                long reaped = REFINE_SYS4(SYS_wait4, -1, &status, WNOHANG | __WALL, &usage);
                if (reaped <= 0) {
                    break;
                }
                if (reaped == program) {
                    report.wait_status = status;
                    report.user_microseconds =
                        (int64_t)usage.ru_utime.tv_sec * 1000000 + usage.ru_utime.tv_usec;
                    report.system_microseconds =
                        (int64_t)usage.ru_stime.tv_sec * 1000000 + usage.ru_stime.tv_usec;
                    report.max_rss_kilobytes = usage.ru_maxrss;
                    if (kill_group) {
                        REFINE_SYS2(SYS_kill, -program, SIGKILL);
                    }
                    refine_write_report(report_fd, &report);
                    // As pid 1, our exit makes the kernel kill every process
                    // left in the namespace, daemons included.
                    refine_exit(0);
                }
            }
        }
    }
}

struct refine_init_arguments {
    const refine_sandbox_config *config;
    int report_fd;
    int report_read_fd;
    int lifeline_fd;
    int lifeline_write_fd;
    char *program_stack_top;
};

static int refine_init_main(void *argument) {
    const struct refine_init_arguments *arguments = argument;
    const refine_sandbox_config *config = arguments->config;
    int report_fd = arguments->report_fd;
    int lifeline_fd = arguments->lifeline_fd;
    long rc;

    // Only the parent may hold these ends, or end of file never comes.
    REFINE_SYS1(SYS_close, arguments->report_read_fd);
    REFINE_SYS1(SYS_close, arguments->lifeline_write_fd);
    refine_reset_signals();

    // Wait for the parent to write our id maps. End of file means it failed
    // or died: leave quietly. The pipe then stays open as the lifeline.
    char byte;
    do {
        rc = REFINE_SYS3(SYS_read, lifeline_fd, &byte, 1);
    } while (rc == -EINTR);
    if (rc != 1) {
        refine_exit(125);
    }

    report_fd = refine_move_high(report_fd);
    lifeline_fd = refine_move_high(lifeline_fd);
    if (report_fd < 0 || lifeline_fd < 0 || config->fd_count > 16) {
        refine_exit(125);
    }
    {
        int keep[18];
        unsigned int count = 0;
        keep[count++] = report_fd;
        keep[count++] = lifeline_fd;
        for (unsigned int index = 0; index < config->fd_count; index++) {
            keep[count++] = config->fds[index].source;
        }
        refine_close_all_except(keep, count);
    }

    if (config->drop_supplementary_groups && (rc = REFINE_SYS2(SYS_setgroups, 0, NULL)) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_GROUPS, rc, -1);
    }
    if (config->namespaces & CLONE_NEWUSER) {
        // Files init creates must belong to an id mapped in the namespace.
        if (config->gid != (gid_t)-1) REFINE_SYS1(SYS_setfsgid, config->gid);
        if (config->uid != (uid_t)-1) REFINE_SYS1(SYS_setfsuid, config->uid);
    }
    // After the credential changes, which clear it: die with the thread
    // that supervises us (the lifeline covers the whole process).
    REFINE_SYS2(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL);

    if (config->hostname != NULL && (config->namespaces & CLONE_NEWUTS)) {
        if ((rc = REFINE_SYS2(SYS_sethostname, config->hostname, strlen(config->hostname))) != 0) {
            refine_child_fail(report_fd, REFINE_STAGE_HOSTNAME, rc, -1);
        }
    }
    if (config->namespaces & CLONE_NEWNS) {
        refine_build_root(config, report_fd);
    }
    if ((rc = REFINE_SYS1(SYS_chdir, config->working_directory)) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_WORKING_DIRECTORY, rc, -1);
    }

    if ((config->namespaces & CLONE_NEWPID) == 0) {
        // Orphans of the program come to init, which reaps them.
        REFINE_SYS2(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1);
    }
    // SIGCHLD stays blocked (all signals are, since the parent's clone) and
    // is read from a signalfd.
    unsigned long child_signal = 1UL << (SIGCHLD - 1);
    long signal_fd = REFINE_SYS4(SYS_signalfd4, -1, &child_signal, sizeof(child_signal), SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd < 0 || (signal_fd = refine_move_high((int)signal_fd)) < 0) {
        refine_child_fail(report_fd, REFINE_STAGE_INIT, signal_fd, -1);
    }

    int sockets[2] = { -1, -1 };
    if (config->report_program != NULL) {
        if ((rc = REFINE_SYS4(SYS_socketpair, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets)) != 0) {
            refine_child_fail(report_fd, REFINE_STAGE_INIT, rc, -1);
        }
        sockets[0] = refine_move_high(sockets[0]);
        sockets[1] = refine_move_high(sockets[1]);
        if (sockets[0] < 0 || sockets[1] < 0) {
            refine_child_fail(report_fd, REFINE_STAGE_INIT, -EMFILE, -1);
        }
    }

    // CLONE_VFORK: init waits until the program has called execve (or died
    // trying), since they share memory until then.
    struct refine_program_arguments program_arguments = {
        .config = config, .report_fd = report_fd, .listener_socket = sockets[1],
    };
    long program = refine_clone_on_stack(CLONE_VM | CLONE_VFORK | SIGCHLD, arguments->program_stack_top, NULL,
                                         refine_program_main, &program_arguments);
    if (program < 0) {
        refine_child_fail(report_fd, REFINE_STAGE_FORK, program, -1);
    }
    if (sockets[1] >= 0) {
        REFINE_SYS1(SYS_close, sockets[1]);
    }
    // Init keeps only what it serves: the program's pipes must reach end of
    // file when the program's side closes, not when init exits.
    for (unsigned int index = 0; index < config->fd_count; index++) {
        REFINE_SYS1(SYS_close, config->fds[index].source);
    }
    refine_init_serve((pid_t)program, report_fd, lifeline_fd, sockets[0], (int)signal_fd,
                      (config->namespaces & CLONE_NEWPID) == 0);
    refine_exit(0);
}

// MARK: - Parent side

/// What one spawn maps for its children: their stacks (each above a guard
/// page range), and the copies of the per-run configuration they read
/// after refine_sandbox_spawn has returned.
struct refine_spawn_region {
    refine_sandbox_config config;
    refine_fd_mapping fds[16];
    struct refine_init_arguments init;
};

#define REFINE_REGION_SIZE                                                                                  \
    (REFINE_GUARD_SIZE + REFINE_PROGRAM_STACK_SIZE + REFINE_GUARD_SIZE + REFINE_INIT_STACK_SIZE + 4096)

static int refine_write_proc_file(pid_t pid, const char *name, const char *contents) {
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    size_t length = strlen(contents);
    ssize_t rc = write(fd, contents, length);
    int error = rc == (ssize_t)length ? 0 : (rc < 0 ? errno : EIO);
    close(fd);
    return error;
}

int refine_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC) == 0 ? 0 : errno;
}

int refine_sandbox_spawn(const refine_sandbox_config *config, refine_sandbox_process *process,
                         refine_stage *failed_stage) {
    *failed_stage = REFINE_STAGE_NONE;
    memset(process, 0, sizeof(*process));
    if (config->fd_count > 16) {
        *failed_stage = REFINE_STAGE_FDS;
        return EINVAL;
    }
    char *region = mmap(NULL, REFINE_REGION_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (region == MAP_FAILED) {
        *failed_stage = REFINE_STAGE_CLONE;
        return errno;
    }
    // Guards below each stack: an overflow faults instead of writing into
    // the parent's memory.
    char *program_stack_top = region + REFINE_GUARD_SIZE + REFINE_PROGRAM_STACK_SIZE;
    char *init_stack_top = program_stack_top + REFINE_GUARD_SIZE + REFINE_INIT_STACK_SIZE;
    if (mprotect(region, REFINE_GUARD_SIZE, PROT_NONE) != 0 ||
        mprotect(program_stack_top, REFINE_GUARD_SIZE, PROT_NONE) != 0) {
        int error = errno;
        munmap(region, REFINE_REGION_SIZE);
        *failed_stage = REFINE_STAGE_CLONE;
        return error;
    }
    struct refine_spawn_region *data = (struct refine_spawn_region *)init_stack_top;
    data->config = *config;
    memcpy(data->fds, config->fds, config->fd_count * sizeof(refine_fd_mapping));
    data->config.fds = data->fds;

    int report_pipe[2];
    int sync_pipe[2];
    if (pipe2(report_pipe, O_CLOEXEC) != 0) {
        int error = errno;
        munmap(region, REFINE_REGION_SIZE);
        *failed_stage = REFINE_STAGE_PIPE;
        return error;
    }
    if (pipe2(sync_pipe, O_CLOEXEC) != 0) {
        int error = errno;
        close(report_pipe[0]);
        close(report_pipe[1]);
        munmap(region, REFINE_REGION_SIZE);
        *failed_stage = REFINE_STAGE_PIPE;
        return error;
    }
    data->init = (struct refine_init_arguments){
        .config = &data->config,
        .report_fd = report_pipe[1],
        .report_read_fd = report_pipe[0],
        .lifeline_fd = sync_pipe[0],
        .lifeline_write_fd = sync_pipe[1],
        .program_stack_top = program_stack_top,
    };

    // All signals blocked across clone, so that no handler of the parent
    // runs in the child before the child resets them.
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    int pidfd = -1;
    long pid = refine_clone_on_stack(config->namespaces | CLONE_VM | CLONE_PIDFD | SIGCHLD, init_stack_top, &pidfd,
                                     refine_init_main, &data->init);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(report_pipe[1]);
    close(sync_pipe[0]);
    if (pid < 0) {
        close(report_pipe[0]);
        close(sync_pipe[1]);
        munmap(region, REFINE_REGION_SIZE);
        *failed_stage = REFINE_STAGE_CLONE;
        return (int)-pid;
    }

    int error = 0;
    if (config->namespaces & CLONE_NEWUSER) {
        if (config->deny_setgroups) {
            error = refine_write_proc_file((pid_t)pid, "setgroups", "deny");
        }
        if (error == 0 && config->uid_map != NULL) {
            error = refine_write_proc_file((pid_t)pid, "uid_map", config->uid_map);
        }
        if (error == 0 && config->gid_map != NULL) {
            error = refine_write_proc_file((pid_t)pid, "gid_map", config->gid_map);
        }
    }
    if (error == 0) {
        char go = 'G';
        if (write(sync_pipe[1], &go, 1) != 1) {
            error = errno;
        }
    }
    if (error != 0) {
        kill((pid_t)pid, SIGKILL);
        siginfo_t info;
        (void)waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED);
        close(pidfd);
        close(sync_pipe[1]);
        close(report_pipe[0]);
        munmap(region, REFINE_REGION_SIZE);
        *failed_stage = REFINE_STAGE_ID_MAPS;
        return error;
    }
    process->pid = (pid_t)pid;
    process->pidfd = pidfd;
    process->report_fd = report_pipe[0];
    process->lifeline_fd = sync_pipe[1];
    process->region = region;
    process->region_size = REFINE_REGION_SIZE;
    return 0;
}

void refine_sandbox_release(refine_sandbox_process *process) {
    if (process->region != NULL) {
        munmap(process->region, process->region_size);
        process->region = NULL;
    }
}

int refine_sandbox_reap(int pidfd, int *wait_status) {
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    int rc;
    do {
        rc = waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        return errno;
    }
    switch (info.si_code) {
    case CLD_EXITED:
        *wait_status = (info.si_status & 0xff) << 8;
        break;
    case CLD_KILLED:
        *wait_status = info.si_status & 0x7f;
        break;
    case CLD_DUMPED:
        *wait_status = (info.si_status & 0x7f) | 0x80;
        break;
    default:
        *wait_status = 0;
        break;
    }
    return 0;
}

int refine_sandbox_kill(int pidfd) {
    return syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) == 0 ? 0 : errno;
}

int refine_memory_file(const char *name, const void *bytes, size_t length) {
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    const char *cursor = bytes;
    size_t remaining = length;
    while (remaining > 0) {
        ssize_t written = write(fd, cursor, remaining);
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            int error = written < 0 ? errno : EIO;
            close(fd);
            return -error;
        }
        cursor += written;
        remaining -= (size_t)written;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}
