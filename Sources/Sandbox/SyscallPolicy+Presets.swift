extension SyscallPolicy {
    /// Stops every dangerous call and names it in the verdict; network
    /// sockets fail with EACCES; `clone3` fails with ENOSYS (its flags live
    /// in memory a filter cannot read) so libc falls back to `clone`, whose
    /// namespace flags are checked.
    public static let strict = SyscallPolicy(
        allowed: pythonAllowlist, denied: denials(dangerous: .stop))

    /// Like ``strict`` but dangerous calls fail with EPERM and the program
    /// goes on.
    public static let lenient = SyscallPolicy(
        allowed: pythonAllowlist, denied: denials(dangerous: .fail(errno: 1)))

    /// Calls that have no business in a test run: debugging other
    /// processes, changing mounts or namespaces, kernel keyrings, eBPF,
    /// io_uring, userfaultfd, perf, modules, the clock, the machine.
    public static let dangerousSyscalls: [String] = [
        "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
        "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
        "open_tree", "move_mount", "mount_setattr", "unshare", "setns",
        "bpf", "keyctl", "add_key", "request_key",
        "io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd", "perf_event_open",
        "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
        "reboot", "swapon", "swapoff", "acct", "quotactl", "syslog", "vhangup",
        "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
        "sethostname", "setdomainname", "iopl", "ioperm", "open_by_handle_at", "name_to_handle_at",
        "fanotify_init", "lookup_dcookie", "uselib",
    ]

    static func denials(dangerous action: SyscallAction) -> [SyscallRule] {
        let tiocsti: UInt64 = 0x5412
        let tioclinux: UInt64 = 0x541C
        let afUnix: UInt64 = 1
        // CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET
        let namespaceFlags: [UInt64] = [0x0002_0000, 0x0200_0000, 0x0400_0000, 0x0800_0000, 0x1000_0000, 0x2000_0000, 0x4000_0000]
        var rules = dangerousSyscalls.map { SyscallRule($0, action) }
        // ioctl's request is an int: compare its low 32 bits only.
        rules.append(SyscallRule("ioctl", action, when: [ArgumentCondition(argument: 1, .maskedEqual(mask: 0xFFFF_FFFF, value: tiocsti))]))
        rules.append(SyscallRule("ioctl", action, when: [ArgumentCondition(argument: 1, .maskedEqual(mask: 0xFFFF_FFFF, value: tioclinux))]))
        rules.append(contentsOf: namespaceFlags.map {
            SyscallRule("clone", action, when: [ArgumentCondition(argument: 0, .maskedEqual(mask: $0, value: $0))])
        })
        rules.append(SyscallRule("clone3", .fail(errno: 38)))
        rules.append(SyscallRule("socket", .fail(errno: 13), when: [ArgumentCondition(argument: 0, .notEqual(afUnix))]))
        return rules
    }

    /// What CPython, its standard library and common extension modules
    /// (threads, subprocess, multiprocessing, numpy) use.
    public static let pythonAllowlist: Set<String> = [
        "accept", "accept4", "access", "alarm", "arch_prctl", "bind", "brk", "capget", "chdir", "chmod", "chown",
        "clock_getres", "clock_gettime", "clock_nanosleep", "clone", "close", "close_range", "connect",
        "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl",
        "epoll_pwait", "epoll_pwait2", "epoll_wait", "eventfd", "eventfd2", "execve", "execveat", "exit",
        "exit_group", "faccessat", "faccessat2", "fadvise64", "fallocate", "fchdir", "fchmod", "fchmodat",
        "fchown", "fchownat", "fcntl", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr",
        "fsetxattr", "fstat", "fstatfs", "fsync", "ftruncate", "futex", "futex_waitv", "getcpu", "getcwd",
        "getdents", "getdents64", "getegid", "geteuid", "getgid", "getgroups", "getitimer", "getpeername",
        "getpgid", "getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid", "getresuid",
        "getrlimit", "get_robust_list", "getrusage", "getsid", "getsockname", "getsockopt", "gettid",
        "gettimeofday", "getuid", "getxattr", "inotify_add_watch", "inotify_init", "inotify_init1",
        "inotify_rm_watch", "ioctl", "kill", "lchown", "lgetxattr", "link", "linkat", "listen", "listxattr",
        "llistxattr", "lremovexattr", "lseek", "lsetxattr", "lstat", "madvise", "membarrier", "memfd_create",
        "mincore", "mkdir", "mkdirat", "mlock", "mlock2", "mlockall", "mmap", "mprotect", "mq_getsetattr",
        "mq_notify", "mq_open", "mq_timedreceive", "mq_timedsend", "mq_unlink", "mremap", "msgctl", "msgget",
        "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap", "nanosleep", "newfstatat", "open",
        "openat", "openat2", "pause", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2", "poll", "ppoll",
        "prctl", "pread64", "preadv", "preadv2", "prlimit64", "pselect6", "pwrite64", "pwritev", "pwritev2",
        "read", "readahead", "readlink", "readlinkat", "readv", "recvfrom", "recvmmsg", "recvmsg",
        "remap_file_pages", "removexattr", "rename", "renameat", "renameat2", "restart_syscall", "rmdir",
        "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
        "rt_sigsuspend", "rt_sigtimedwait", "rt_tgsigqueueinfo", "sched_getaffinity", "sched_getattr",
        "sched_getparam", "sched_get_priority_max", "sched_get_priority_min", "sched_getscheduler",
        "sched_rr_get_interval", "sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler",
        "sched_yield", "select", "semctl", "semget", "semop", "semtimedop", "sendfile", "sendmmsg", "sendmsg",
        "sendto", "setfsgid", "setfsuid", "setgid", "setgroups", "setitimer", "setpgid", "setpriority",
        "setregid", "setresgid", "setresuid", "setreuid", "setrlimit", "set_robust_list", "setsid",
        "setsockopt", "set_tid_address", "setuid", "setxattr", "shmat", "shmctl", "shmdt", "shmget", "shutdown",
        "sigaltstack", "signalfd", "signalfd4", "socket", "socketpair", "splice", "stat", "statfs", "statx",
        "symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time",
        "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime", "timer_settime", "timerfd_create",
        "timerfd_gettime", "timerfd_settime", "times", "tkill", "truncate", "umask", "uname", "unlink",
        "unlinkat", "utime", "utimensat", "utimes", "vfork", "wait4", "waitid", "write", "writev",
    ]
}
