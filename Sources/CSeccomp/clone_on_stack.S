// long refine_clone_on_stack(unsigned long flags, void *stack_top, int *parent_tid,
//                            int (*entry)(void *), void *argument)
//
// The raw clone system call, with the child starting on its own stack in
// entry(argument) and exiting with entry's result (it never returns into
// the caller's frames, which the parent may still be using). The caller
// gets the child's pid or -errno; errno is not touched.

#if defined(__x86_64__)
    .text
    .globl refine_clone_on_stack
    .type refine_clone_on_stack, @function
refine_clone_on_stack:
    // rdi flags, rsi stack_top, rdx parent_tid, rcx entry, r8 argument
    andq $-16, %rsi
    subq $16, %rsi
    movq %rcx, 0(%rsi)          // entry
    movq %r8, 8(%rsi)           // argument
    // clone(flags, newsp, parent_tid, child_tid, tls)
    xorl %r10d, %r10d
    xorl %r8d, %r8d
    movl $56, %eax              // SYS_clone
    syscall
    testq %rax, %rax
    jnz 1f
    // Child: its own stack, nothing of the caller's.
    xorl %ebp, %ebp
    popq %rax                   // entry
    popq %rdi                   // argument
    call *%rax
    movl %eax, %edi
    movl $60, %eax              // SYS_exit
    syscall
    hlt
1:
    ret
    .size refine_clone_on_stack, .-refine_clone_on_stack

#elif defined(__aarch64__)
    .text
    .globl refine_clone_on_stack
    .type refine_clone_on_stack, %function
refine_clone_on_stack:
    // x0 flags, x1 stack_top, x2 parent_tid, x3 entry, x4 argument
    and x1, x1, #-16
    stp x3, x4, [x1, #-16]!
    // clone(flags, newsp, parent_tid, tls, child_tid)
    mov x3, xzr
    mov x4, xzr
    mov x8, #220                // SYS_clone
    svc #0
    cbnz x0, 1f
    mov x29, xzr
    mov x30, xzr
    ldp x1, x0, [sp], #16       // x1 entry, x0 argument
    blr x1
    mov x8, #93                 // SYS_exit
    svc #0
    brk #0
1:
    ret
    .size refine_clone_on_stack, .-refine_clone_on_stack
#endif

    .section .note.GNU-stack,"",%progbits
