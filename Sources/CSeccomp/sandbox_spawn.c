// The sandboxed spawn: everything between fork and exec.
//
// Process tree (the default, with a pid namespace):
//
//   parent (Swift, multithreaded)
//     └─ init: pid 1 of the new namespaces. Builds the root file system,
//        forks the program, serves the seccomp listener, reaps, reports.
//          └─ program: rlimits, identity, fds, no_new_privs, seccomp, execve.
//
// Both children are forked from a multithreaded process, so from clone() on
// they make only async-signal-safe calls: raw system calls on data the parent
// prepared. Failures travel to the parent as fixed-size records on a
// close-on-exec pipe; a successful execve closes the program's copy of it.
//
// A separate init (rather than the program as pid 1) matters for exactness:
// the kernel ignores signals without handlers sent to a namespace's pid 1,
// which would change how the program's own kill(), abort() or raise() end.

#define _GNU_SOURCE 1
#include "include/CSeccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
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
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
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

// MARK: - Async-signal-safe helpers for the children

static void refine_write_report(int fd, const refine_sandbox_report *report) {
    ssize_t rc;
    do {
        rc = write(fd, report, sizeof(*report));
    } while (rc < 0 && errno == EINTR);
}

_Noreturn static void refine_child_fail(int report_fd, refine_stage stage, int error_number, int step) {
    refine_sandbox_report report;
    memset(&report, 0, sizeof(report));
    report.kind = REFINE_REPORT_FAILED;
    report.stage = stage;
    report.error_number = error_number;
    report.step = step;
    report.reported_syscall = -1;
    refine_write_report(report_fd, &report);
    _exit(126);
}

static int refine_write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t rc = write(fd, bytes, length);
        if (rc < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        bytes += rc;
        length -= (size_t)rc;
    }
    return 0;
}

static pid_t refine_raw_fork(void) {
    // Not glibc's fork(): its atfork handlers take locks that another thread
    // of the parent may have held at clone time.
    return (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, NULL, NULL, NULL, 0UL);
}

static int refine_move_high(int fd) {
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, REFINE_INTERNAL_FD_FLOOR);
    if (moved >= 0) {
        close(fd);
    }
    return moved;
}

static void refine_close_range(unsigned int first, unsigned int last) {
    if (first > last) {
        return;
    }
    if (syscall(SYS_close_range, first, last, 0U) != 0) {
        for (unsigned int fd = first; fd <= last && fd < 4096; fd++) {
            close((int)fd);
        }
    }
}

/// Closes every descriptor but the `count` in `keep`: init is a copy of a
/// process that may hold anything (other runs' pipes, sockets), and a copy
/// kept open would delay their end of file or leak them into the sandbox.
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
    for (int signo = 1; signo < _NSIG; signo++) {
        if (signo == SIGKILL || signo == SIGSTOP) {
            continue;
        }
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_handler = SIG_DFL;
        // Real-time signals reserved by glibc fail with EINVAL: skip them.
        (void)sigaction(signo, &action, NULL);
    }
}

// MARK: - Root file system

static unsigned long refine_preserved_mount_flags(const char *path) {
    // A bind remount inside a user namespace must keep the flags the host
    // locked on the source mount (nosuid, nodev, noexec, atime policy).
    // statfs(2), not glibc's statvfs(), which reads /proc/mounts with malloc.
    struct statfs info;
    if (statfs(path, &info) != 0) {
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

static int refine_run_step(const refine_mount_step *step) {
    switch (step->kind) {
    case REFINE_STEP_DIRECTORY:
        if (mkdir(step->target, step->mode) != 0 && errno != EEXIST) {
            return errno;
        }
        return 0;

    case REFINE_STEP_BIND: {
        if (step->is_directory) {
            if (mkdir(step->target, 0755) != 0 && errno != EEXIST) {
                return errno;
            }
        } else {
            int fd = open(step->target, O_WRONLY | O_CREAT | O_CLOEXEC, 0444);
            if (fd < 0) {
                return errno;
            }
            close(fd);
        }
        if (mount(step->source, step->target, NULL, MS_BIND | MS_REC, NULL) != 0) {
            return errno;
        }
        if (step->read_only || step->no_device) {
            unsigned long flags = MS_REMOUNT | MS_BIND | MS_NOSUID |
                                  refine_preserved_mount_flags(step->target);
            if (step->read_only) flags |= MS_RDONLY;
            if (step->no_device) flags |= MS_NODEV;
            if (mount(NULL, step->target, NULL, flags, NULL) != 0) {
                return errno;
            }
        }
        return 0;
    }

    case REFINE_STEP_TMPFS:
        if (mkdir(step->target, 0755) != 0 && errno != EEXIST) {
            return errno;
        }
        if (mount("tmpfs", step->target, "tmpfs", MS_NOSUID | MS_NODEV, step->data) != 0) {
            return errno;
        }
        return 0;

    case REFINE_STEP_PROC:
        if (mkdir(step->target, 0555) != 0 && errno != EEXIST) {
            return errno;
        }
        if (mount("proc", step->target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
            return errno;
        }
        return 0;

    case REFINE_STEP_SYMLINK:
        if (symlink(step->source, step->target) != 0) {
            return errno;
        }
        return 0;

    case REFINE_STEP_FILE: {
        int fd = open(step->target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, step->mode);
        if (fd < 0) {
            return errno;
        }
        int rc = refine_write_all(fd, step->data, step->data_length);
        int error = errno;
        close(fd);
        return rc == 0 ? 0 : error;
    }
    }
    return EINVAL;
}

static void refine_build_root(const refine_sandbox_config *config, int report_fd) {
    // Nothing mounted from here on propagates back to the host.
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_MOUNT_PRIVATE, errno, -1);
    }
    if (mount("tmpfs", config->staging_directory, "tmpfs", MS_NOSUID | MS_NODEV,
              config->root_options) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_MOUNT_ROOT, errno, -1);
    }
    // Pivot first, keeping the host's root at /.oldroot: every host path,
    // the staging directory's own contents included, stays reachable as a
    // bind source there while the new root is filled in.
    if (chdir(config->staging_directory) != 0 || mkdir(".oldroot", 0700) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_MOUNT_ROOT, errno, -1);
    }
    if (syscall(SYS_pivot_root, ".", ".oldroot") != 0 || chdir("/") != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_PIVOT_ROOT, errno, -1);
    }
    for (unsigned int index = 0; index < config->step_count; index++) {
        int error = refine_run_step(&config->steps[index]);
        if (error != 0) {
            refine_child_fail(report_fd, REFINE_STAGE_MOUNT_STEP, error, (int)index);
        }
    }
    // Then the host's root goes, lazily: nothing of it stays reachable.
    if (umount2("/.oldroot", MNT_DETACH) != 0 || rmdir("/.oldroot") != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_PIVOT_ROOT, errno, -1);
    }
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_REMOUNT_ROOT, errno, -1);
    }
}

// MARK: - The program (grandchild)

static int refine_place_fds(const refine_sandbox_config *config) {
    // Two phases, so that a source equal to another mapping's target is not
    // overwritten before it is used.
    int staged[16];
    if (config->fd_count > 16) {
        errno = EINVAL;
        return -1;
    }
    for (unsigned int index = 0; index < config->fd_count; index++) {
        staged[index] = fcntl(config->fds[index].source, F_DUPFD_CLOEXEC, REFINE_INTERNAL_FD_FLOOR + 32);
        if (staged[index] < 0) {
            return -1;
        }
    }
    for (unsigned int index = 0; index < config->fd_count; index++) {
        // dup2 clears close-on-exec on the new descriptor.
        if (dup2(staged[index], config->fds[index].target) < 0) {
            return -1;
        }
    }
    // Everything else closes at execve; the report pipe stays usable until then.
    if (syscall(SYS_close_range, config->fd_count, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        // Kernels before 5.11: mark each descriptor we might hold.
        for (int fd = (int)config->fd_count; fd < 1024; fd++) {
            int flags = fcntl(fd, F_GETFD);
            if (flags >= 0) {
                fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
            }
        }
    }
    return 0;
}

static int refine_send_fd(int socket_fd, int fd) {
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
    ssize_t rc;
    do {
        rc = sendmsg(socket_fd, &message, MSG_NOSIGNAL);
    } while (rc < 0 && errno == EINTR);
    return rc == 1 ? 0 : -1;
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
    ssize_t rc;
    do {
        rc = recvmsg(socket_fd, &message, MSG_CMSG_CLOEXEC);
    } while (rc < 0 && errno == EINTR);
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

_Noreturn static void refine_program_main(const refine_sandbox_config *config, int report_fd,
                                          int listener_socket) {
    if ((config->namespaces & CLONE_NEWPID) == 0) {
        // Without a pid namespace the program's process group is what the
        // supervisor kills, and the program must not outlive init.
        (void)setpgid(0, 0);
    }
    for (unsigned int index = 0; index < config->limit_count; index++) {
        struct rlimit limit = {
            .rlim_cur = (rlim_t)config->limits[index].soft,
            .rlim_max = (rlim_t)config->limits[index].hard,
        };
        if (setrlimit(config->limits[index].resource, &limit) != 0) {
            refine_child_fail(report_fd, REFINE_STAGE_LIMITS, errno, (int)index);
        }
    }
    // Raw system calls: glibc's setres[ug]id broadcast the change to every
    // thread it knows of, which here are the parent's, under a lock one of
    // them may hold. This process has a single thread.
    if (config->gid != (gid_t)-1 && syscall(SYS_setresgid, config->gid, config->gid, config->gid) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_IDENTITY, errno, 0);
    }
    if (config->uid != (uid_t)-1 && syscall(SYS_setresuid, config->uid, config->uid, config->uid) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_IDENTITY, errno, 1);
    }
    if ((config->namespaces & CLONE_NEWPID) == 0) {
        // Set after the identity change, which clears it.
        (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
    }
    if (refine_place_fds(config) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_FDS, errno, -1);
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_NO_NEW_PRIVS, errno, -1);
    }
    sigset_t empty;
    sigemptyset(&empty);
    if (sigprocmask(SIG_SETMASK, &empty, NULL) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_SIGNALS, errno, -1);
    }

    // Seccomp last: from here on every call, execve included, is filtered.
    if (config->allowlist_program != NULL) {
        struct sock_fprog program = {
            .len = (unsigned short)(config->allowlist_length / sizeof(struct sock_filter)),
            .filter = (struct sock_filter *)config->allowlist_program,
        };
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) != 0) {
            refine_child_fail(report_fd, REFINE_STAGE_SECCOMP, errno, 0);
        }
    }
    if (config->report_program != NULL) {
        struct sock_fprog program = {
            .len = (unsigned short)(config->report_length / sizeof(struct sock_filter)),
            .filter = (struct sock_filter *)config->report_program,
        };
        int listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                                    SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
        if (listener < 0) {
            refine_child_fail(report_fd, REFINE_STAGE_SECCOMP, errno, 1);
        }
        if (refine_send_fd(listener_socket, listener) != 0) {
            refine_child_fail(report_fd, REFINE_STAGE_LISTENER, errno, -1);
        }
        close(listener);
    }
    close(listener_socket);

    execve(config->executable, config->argv, config->envp);
    refine_child_fail(report_fd, REFINE_STAGE_EXEC, errno, -1);
}

// MARK: - init

static void refine_init_serve(pid_t program, int report_fd, int lifeline_fd, int listener_socket,
                              int signal_fd, int kill_group) {
    int listener = listener_socket >= 0 ? refine_receive_fd(listener_socket) : -1;
    if (listener_socket >= 0) {
        close(listener_socket);
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
        int rc = poll(watched, listener >= 0 ? 3 : 2, -1);
        if (rc < 0) {
            if (errno == EINTR) {
                continue;
            }
            refine_child_fail(report_fd, REFINE_STAGE_INIT, errno, -1);
        }
        if (watched[1].revents != 0) {
            // The parent closed the lifeline or died: end the sandbox.
            kill(program, SIGKILL);
            if (kill_group) {
                kill(-program, SIGKILL);
            }
            _exit(125);
        }
        if (listener >= 0 && (watched[2].revents & POLLIN)) {
            struct seccomp_notif notification;
            memset(&notification, 0, sizeof(notification));
            if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &notification) == 0) {
                if (report.reported_syscall < 0) {
                    report.reported_syscall = notification.data.nr;
                    report.reported_arch = notification.data.arch;
                }
                // The attempt is never answered: the caller dies holding it.
                kill((pid_t)notification.pid, SIGKILL);
                kill(program, SIGKILL);
            }
        } else if (listener >= 0 && (watched[2].revents & (POLLHUP | POLLERR | POLLNVAL))) {
            // No process is left under the filter.
            close(listener);
            listener = -1;
        }
        if (watched[0].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(signal_fd, &info, sizeof(info)) == (ssize_t)sizeof(info)) {
            }
            // Reap everything: orphans re-parented to init would otherwise
            // stay zombies and count against the process limit.
            for (;;) {
                int status = 0;
                struct rusage usage;
                pid_t reaped = wait4(-1, &status, WNOHANG | __WALL, &usage);
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
                        kill(-program, SIGKILL);
                    }
                    refine_write_report(report_fd, &report);
                    // As pid 1, our exit makes the kernel kill every process
                    // left in the namespace, daemons included.
                    _exit(0);
                }
            }
        }
    }
}

_Noreturn static void refine_init_main(const refine_sandbox_config *config, int report_fd, int lifeline_fd) {
    refine_reset_signals();

    // Wait for the parent to write our id maps. End of file means it failed
    // or died: leave quietly. The pipe then stays open as the lifeline.
    char byte;
    ssize_t got;
    do {
        got = read(lifeline_fd, &byte, 1);
    } while (got < 0 && errno == EINTR);
    if (got != 1) {
        _exit(125);
    }

    report_fd = refine_move_high(report_fd);
    lifeline_fd = refine_move_high(lifeline_fd);
    if (report_fd < 0 || lifeline_fd < 0 || config->fd_count > 16) {
        _exit(125);
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
    // Our memory came from the parent: keep the program from reading it.
    (void)prctl(PR_SET_DUMPABLE, 0);

    if (config->drop_supplementary_groups && syscall(SYS_setgroups, 0, NULL) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_GROUPS, errno, -1);
    }
    if (config->namespaces & CLONE_NEWUSER) {
        // Files init creates must belong to an id mapped in the namespace.
        if (config->gid != (gid_t)-1) (void)syscall(SYS_setfsgid, config->gid);
        if (config->uid != (uid_t)-1) (void)syscall(SYS_setfsuid, config->uid);
    }
    // After the credential changes, which clear it: die with the thread
    // that supervises us (the lifeline covers the whole process).
    (void)prctl(PR_SET_PDEATHSIG, SIGKILL);

    if (config->hostname != NULL && (config->namespaces & CLONE_NEWUTS)) {
        if (sethostname(config->hostname, strlen(config->hostname)) != 0) {
            refine_child_fail(report_fd, REFINE_STAGE_HOSTNAME, errno, -1);
        }
    }
    if (config->namespaces & CLONE_NEWNS) {
        refine_build_root(config, report_fd);
    }
    if (chdir(config->working_directory) != 0) {
        refine_child_fail(report_fd, REFINE_STAGE_WORKING_DIRECTORY, errno, -1);
    }

    if ((config->namespaces & CLONE_NEWPID) == 0) {
        // Orphans of the program come to init, which reaps them.
        (void)prctl(PR_SET_CHILD_SUBREAPER, 1);
    }
    sigset_t child_signal;
    sigemptyset(&child_signal);
    sigaddset(&child_signal, SIGCHLD);
    int signal_fd = signalfd(-1, &child_signal, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd < 0 || (signal_fd = refine_move_high(signal_fd)) < 0) {
        refine_child_fail(report_fd, REFINE_STAGE_INIT, errno, -1);
    }

    int sockets[2] = { -1, -1 };
    if (config->report_program != NULL) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
            refine_child_fail(report_fd, REFINE_STAGE_INIT, errno, -1);
        }
        sockets[0] = refine_move_high(sockets[0]);
        sockets[1] = refine_move_high(sockets[1]);
        if (sockets[0] < 0 || sockets[1] < 0) {
            refine_child_fail(report_fd, REFINE_STAGE_INIT, errno, -1);
        }
    }

    pid_t program = refine_raw_fork();
    if (program < 0) {
        refine_child_fail(report_fd, REFINE_STAGE_FORK, errno, -1);
    }
    if (program == 0) {
        close(lifeline_fd);
        close(signal_fd);
        if (sockets[0] >= 0) {
            close(sockets[0]);
        }
        refine_program_main(config, report_fd, sockets[1]);
    }
    if (sockets[1] >= 0) {
        close(sockets[1]);
    }
    // Init keeps only what it serves: the program's pipes must reach end of
    // file when the program's side closes, not when init exits.
    for (unsigned int index = 0; index < config->fd_count; index++) {
        close(config->fds[index].source);
    }
    refine_init_serve(program, report_fd, lifeline_fd, sockets[0], signal_fd,
                      (config->namespaces & CLONE_NEWPID) == 0);
    _exit(0);
}

// MARK: - Parent side

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
    int report_pipe[2];
    int sync_pipe[2];
    if (pipe2(report_pipe, O_CLOEXEC) != 0) {
        *failed_stage = REFINE_STAGE_PIPE;
        return errno;
    }
    if (pipe2(sync_pipe, O_CLOEXEC) != 0) {
        int error = errno;
        close(report_pipe[0]);
        close(report_pipe[1]);
        *failed_stage = REFINE_STAGE_PIPE;
        return error;
    }

    // All signals blocked across clone, so that no handler of the parent
    // runs in the child before the child resets them.
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);

    int pidfd = -1;
    pid_t pid = (pid_t)syscall(SYS_clone, config->namespaces | CLONE_PIDFD | (unsigned long)SIGCHLD,
                               NULL, &pidfd, NULL, 0UL);
    if (pid == 0) {
        // Only the parent may hold the write end, or end of file never comes.
        close(report_pipe[0]);
        close(sync_pipe[1]);
        refine_init_main(config, report_pipe[1], sync_pipe[0]);
    }
    int clone_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(report_pipe[1]);
    close(sync_pipe[0]);
    if (pid < 0) {
        close(report_pipe[0]);
        close(sync_pipe[1]);
        *failed_stage = REFINE_STAGE_CLONE;
        return clone_error;
    }

    int error = 0;
    if (config->namespaces & CLONE_NEWUSER) {
        if (config->deny_setgroups) {
            error = refine_write_proc_file(pid, "setgroups", "deny");
        }
        if (error == 0 && config->uid_map != NULL) {
            error = refine_write_proc_file(pid, "uid_map", config->uid_map);
        }
        if (error == 0 && config->gid_map != NULL) {
            error = refine_write_proc_file(pid, "gid_map", config->gid_map);
        }
    }
    if (error == 0) {
        char go = 'G';
        if (write(sync_pipe[1], &go, 1) != 1) {
            error = errno;
        }
    }
    if (error != 0) {
        kill(pid, SIGKILL);
        siginfo_t info;
        (void)waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED);
        close(pidfd);
        close(sync_pipe[1]);
        close(report_pipe[0]);
        *failed_stage = REFINE_STAGE_ID_MAPS;
        return error;
    }
    process->pid = pid;
    process->pidfd = pidfd;
    process->report_fd = report_pipe[0];
    process->lifeline_fd = sync_pipe[1];
    return 0;
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
    if (length > 0 && refine_write_all(fd, bytes, length) != 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}
