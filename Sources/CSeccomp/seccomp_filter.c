// Seccomp filters: built with libseccomp in the parent, exported as BPF.

#define _GNU_SOURCE 1
#include "include/CSeccomp.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint32_t refine_libseccomp_action(refine_seccomp_action action, int error_number) {
    switch (action) {
    case REFINE_SECCOMP_ALLOW:
        return SCMP_ACT_ALLOW;
    case REFINE_SECCOMP_FAIL:
        return SCMP_ACT_ERRNO((uint32_t)error_number);
    case REFINE_SECCOMP_REPORT:
        return SCMP_ACT_NOTIFY;
    case REFINE_SECCOMP_KILL:
    default:
        return SCMP_ACT_KILL_PROCESS;
    }
}

static int refine_libseccomp_comparison(const refine_seccomp_condition *condition,
                                        struct scmp_arg_cmp *out) {
    if (condition->argument > 5) {
        return EINVAL;
    }
    out->arg = condition->argument;
    out->datum_a = condition->value;
    out->datum_b = 0;
    switch (condition->comparison) {
    case REFINE_SECCOMP_EQUAL:
        out->op = SCMP_CMP_EQ;
        break;
    case REFINE_SECCOMP_NOT_EQUAL:
        out->op = SCMP_CMP_NE;
        break;
    case REFINE_SECCOMP_MASKED_EQUAL:
        out->op = SCMP_CMP_MASKED_EQ;
        out->datum_a = condition->mask;
        out->datum_b = condition->value;
        break;
    case REFINE_SECCOMP_LESS:
        out->op = SCMP_CMP_LT;
        break;
    case REFINE_SECCOMP_GREATER_OR_EQUAL:
        out->op = SCMP_CMP_GE;
        break;
    default:
        return EINVAL;
    }
    return 0;
}

int refine_seccomp_compile(const refine_seccomp_filter *filter, void **program,
                           size_t *length, long *unknown_rule) {
    *program = NULL;
    *length = 0;
    *unknown_rule = -1;

    scmp_filter_ctx context =
        seccomp_init(refine_libseccomp_action(filter->default_action, filter->default_error_number));
    if (context == NULL) {
        return ENOMEM;
    }
    int result = 0;
    int rc = seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH,
                              refine_libseccomp_action(filter->foreign_abi_action, ENOSYS));
    // The child sets no_new_privs itself, right before installing.
    if (rc == 0) {
        rc = seccomp_attr_set(context, SCMP_FLTATR_CTL_NNP, 0);
    }
    // A binary tree keeps the cost per system call logarithmic in rule count.
    if (rc == 0) {
        rc = seccomp_attr_set(context, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    }
    if (rc != 0) {
        result = -rc;
        goto done;
    }

    for (size_t index = 0; index < filter->rule_count; index++) {
        const refine_seccomp_rule *rule = &filter->rules[index];
        int number = seccomp_syscall_resolve_name(rule->syscall);
        if (number == __NR_SCMP_ERROR) {
            *unknown_rule = (long)index;
            result = ENOENT;
            goto done;
        }
        struct scmp_arg_cmp comparisons[6];
        if (rule->condition_count > 6) {
            result = EINVAL;
            goto done;
        }
        for (unsigned int c = 0; c < rule->condition_count; c++) {
            result = refine_libseccomp_comparison(&rule->conditions[c], &comparisons[c]);
            if (result != 0) {
                *unknown_rule = (long)index;
                goto done;
            }
        }
        rc = seccomp_rule_add_array(context, refine_libseccomp_action(rule->action, rule->error_number),
                                    number, rule->condition_count, comparisons);
        if (rc != 0) {
            *unknown_rule = (long)index;
            result = -rc;
            goto done;
        }
    }

    // libseccomp 2.5 exports to a file descriptor only; an anonymous file
    // carries the program into memory.
    int fd = memfd_create("refine-seccomp-bpf", MFD_CLOEXEC);
    if (fd < 0) {
        result = errno;
        goto done;
    }
    rc = seccomp_export_bpf(context, fd);
    if (rc != 0) {
        result = -rc;
        close(fd);
        goto done;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    if (size <= 0 || lseek(fd, 0, SEEK_SET) != 0) {
        result = size == 0 ? EINVAL : errno;
        close(fd);
        goto done;
    }
    unsigned char *bytes = malloc((size_t)size);
    if (bytes == NULL) {
        result = ENOMEM;
        close(fd);
        goto done;
    }
    size_t filled = 0;
    while (filled < (size_t)size) {
        ssize_t got = read(fd, bytes + filled, (size_t)size - filled);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            result = got < 0 ? errno : EIO;
            free(bytes);
            close(fd);
            goto done;
        }
        filled += (size_t)got;
    }
    close(fd);
    *program = bytes;
    *length = filled;

done:
    seccomp_release(context);
    return result;
}

void refine_seccomp_free(void *program) {
    free(program);
}

int refine_seccomp_syscall_name(uint32_t audit_arch, int number, char *buffer, size_t capacity) {
    // libseccomp's architecture tokens are the kernel's AUDIT_ARCH_* values.
    char *name = seccomp_syscall_resolve_num_arch(audit_arch, number);
    if (name == NULL || capacity == 0) {
        free(name);
        return -1;
    }
    strncpy(buffer, name, capacity - 1);
    buffer[capacity - 1] = '\0';
    free(name);
    return 0;
}

uint32_t refine_seccomp_native_arch(void) {
    return seccomp_arch_native();
}

int refine_seccomp_syscall_number(const char *name) {
    // libseccomp answers a name it has in its table but not for this
    // architecture with a negative pseudo number, and a name it has nowhere
    // with __NR_SCMP_ERROR.
    int number = seccomp_syscall_resolve_name(name);
    if (number == __NR_SCMP_ERROR) {
        return REFINE_SYSCALL_UNKNOWN;
    }
    return number < 0 ? REFINE_SYSCALL_OTHER_ARCHITECTURE : number;
}
