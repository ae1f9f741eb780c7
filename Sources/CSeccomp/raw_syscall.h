// Raw system calls for the sandbox's children.
//
// The children share the parent's memory (CLONE_VM), so they must not
// write anything the parent's threads use. glibc's wrappers write errno,
// which lives in the calling thread's TLS: in a CLONE_VM child that is the
// TLS of the parent thread that spawned it. These wrappers return -errno
// instead and touch no memory but their arguments.

#ifndef REFINE_RAW_SYSCALL_H
#define REFINE_RAW_SYSCALL_H

#include <sys/syscall.h>

static inline long refine_sys6(long number, long a, long b, long c, long d, long e, long f) {
#if defined(__x86_64__)
    long result;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return result;
#elif defined(__aarch64__)
    register long x8 __asm__("x8") = number;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    register long x4 __asm__("x4") = e;
    register long x5 __asm__("x5") = f;
    __asm__ volatile("svc 0"
                     : "+r"(x0)
                     : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                     : "memory");
    return x0;
#else
#error "refine's sandbox supports x86_64 and aarch64"
#endif
}

#define REFINE_SYS0(n) refine_sys6((n), 0, 0, 0, 0, 0, 0)
#define REFINE_SYS1(n, a) refine_sys6((n), (long)(a), 0, 0, 0, 0, 0)
#define REFINE_SYS2(n, a, b) refine_sys6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define REFINE_SYS3(n, a, b, c) refine_sys6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define REFINE_SYS4(n, a, b, c, d) refine_sys6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define REFINE_SYS5(n, a, b, c, d, e) refine_sys6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/// clone() that runs `entry(argument)` on `stack_top` in the child and
/// exits with its result; returns the child's pid or -errno to the caller.
/// `parent_tid` receives the pidfd when `flags` holds CLONE_PIDFD.
long refine_clone_on_stack(unsigned long flags, void *stack_top, int *parent_tid, int (*entry)(void *),
                           void *argument);

#endif
