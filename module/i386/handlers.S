/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C-side handlers that handle_exception calls for our trampoline:
 * handler(regs, error_code), regparm(3): %eax = regs, %edx = error code.
 *
 * Unattached tasks and device interrupts must not leave a frame of this
 * module on their stack: the kernel's handlers may sleep, stop for ptrace
 * or never return (a fatal signal), and the module may be unloaded
 * meanwhile. So the choice is made in C with interrupts off, and the
 * kernel's handler is reached by a tail jump. Only NT calls, whose thread
 * holds a module reference, run module code with interrupts on.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>
#include "i386/tramp.h"

.macro NT_HANDLER name kind_fn syscall_fn
SYM_FUNC_START(\name)
	pushl	%eax
	pushl	%edx
	call	\kind_fn		/* (regs) -> NT_KIND_* */
	movl	%eax, %ecx
	popl	%edx
	popl	%eax
	cmpl	$NT_KIND_SYSCALL, %ecx
	je	\syscall_fn		/* (regs): the NT call */
	cmpl	$NT_KIND_IRQ, %ecx
	je	.Lirq_\@
	movl	$NT_INT2E_GP_ERROR, %edx
	movl	nt_k_exc_general_protection, %ecx
	JMP_NOSPEC ecx
.Lirq_\@:
	movl	$NT_INT2E_VECTOR, %edx
	movl	nt_k_common_interrupt, %ecx
	JMP_NOSPEC ecx
SYM_FUNC_END(\name)
.endm

	.text
NT_HANDLER nt_handle_int2e, nt_int2e_kind, nt_int2e_syscall
NT_HANDLER nt_handle_sysenter, nt_sysenter_kind, nt_sysenter_syscall
