/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NT entry stubs: the target of the 0x2e IDT gate and, for attached
 * tasks only, of MSR_IA32_SYSENTER_EIP.
 *
 * This code never runs where it is linked. entry.c copies the bytes between
 * nt_tramp_start and nt_tramp_end into an unused cpu_entry_area page: with
 * PTI the user page tables map that area (its PTE pages are shared by both
 * page-table sets), so the stubs can run before CR3 is switched. Module
 * text is not mapped there. The 32-bit fields listed in the fixup table
 * are patched in the copy: calls and jumps, whose rel32 depends on where
 * the copy lives, and the layout constants of the kernel's entry area.
 *
 * Each stub is the kernel's own system-call entry (entry_32.S of 6.1:
 * entry_INT80_32, entry_SYSENTER_32) with an NT call in place of the Linux
 * one:
 *   - switch to the kernel CR3 (SWITCH_TO_KERNEL_CR3) on the entry stack,
 *     then to the task stack (tss.sp1), *before* anything is written there,
 *     so an NMI on either stack finds what the kernel's NMI entry expects;
 *   - build the complete pt_regs that SAVE_ALL builds (ptrace, signals,
 *     NtGetContextThread, APC delivery and exceptions read it), with
 *     orig_ax = -1: an NT status is never a Linux call to restart;
 *   - call the C entry (entry.c) directly: no handle_exception, no gs-slot
 *     function pointer, no retpoline;
 *   - leave through the kernel's own exit code: the tail of
 *     entry_INT80_32 (restore_all_switch_stack: entry stack, espfix, user
 *     CR3, segment restore with its exception fixups, VERW, iret) or, for
 *     a sysenter call that nothing forces onto iret, the tail of
 *     entry_SYSENTER_32 (VERW, sti, sysexit). Our page has no exception
 *     table, so no user segment is ever loaded here.
 * A hit that is not an NT call (a device interrupt on vector 0x2e, or an
 * unattached task) gets the kernel's own handler with the kernel's exit as
 * its return address: no frame of this module stays on that stack.
 *
 * Memory operands on the entry stack use %ss: until %ds is the kernel's,
 * the user's %ds may be anything.
 */
#include <linux/linkage.h>
#include <asm/segment.h>
#include <asm/processor-flags.h>
#include "nt/kuser.h"
#include "i386/tramp.h"

/* Record a 32-bit field at the current location for entry.c to patch. */
.macro NT_FIXUP kind
	.pushsection .rodata.nt_tramp_fixups, "a"
	.long	772f - nt_tramp_start, \kind
	.popsection
772:
.endm

/* SWITCH_TO_KERNEL_CR3 scratch_reg=%eax, its ALTERNATIVE patched by entry.c */
.macro NT_SWITCH_TO_KERNEL_CR3
	NT_FIXUP NT_FIX_PTI
	.byte	0xeb, 781f - 780f		/* jmp 781f, or a 2-byte nop */
780:
	movl	%cr3, %eax
	testl	$NT_PTI_SWITCH_MASK, %eax
	jz	781f
	andl	$~NT_PTI_SWITCH_MASK, %eax
	movl	%eax, %cr3
781:
.endm

/* movl <entry-stack top + \depth -> tss.sp1>(%esp), %esp */
.macro NT_TO_TASK_STACK depth
	.byte	0x8b, 0xa4, 0x24
	NT_FIXUP NT_FIX_TSS_SP1
	.long	\depth
.endm

/*
 * The rest of SAVE_ALL, below ss..orig_ax: gs slot (unused on 32-bit),
 * fs, es, ds, ax, bp, di, si, dx, cx, bx; then the kernel's segments.
 */
.macro NT_SAVE_REST ax cx
	pushl	$0
	pushl	%fs
	pushl	%es
	pushl	%ds
	pushl	\ax
	pushl	%ebp
	pushl	%edi
	pushl	%esi
	pushl	%edx
	pushl	\cx
	pushl	%ebx
	movl	$(__USER_DS), %edx
	movl	%edx, %ds
	movl	%edx, %es
	movl	$(__KERNEL_PERCPU), %edx
	movl	%edx, %fs
.endm

	.section .rodata.nt_tramp_fixups, "a"
	.balign 4
SYM_DATA_START(nt_tramp_fixups)

	.section .rodata.nt_tramp, "a"
	.balign 16
SYM_DATA_START(nt_tramp_start)

/* int 0x2e, an interrupt gate: IF, TF and NT are already clear. */
SYM_INNER_LABEL(nt_tramp_int2e, SYM_L_GLOBAL)
	/*
	 * Vector 0x2e is also a device-IRQ vector. A hit from kernel mode
	 * can only be a device interrupt: hand the untouched frame to the
	 * kernel's own stub. (A device interrupt in user mode is told apart
	 * in C, from the local APIC's in-service bit.) No VM86 on this
	 * kernel (CONFIG_VM86 is off), so CS's RPL tells user mode.
	 */
	testl	$SEGMENT_RPL_MASK, 4(%esp)
	jz	.Lint2e_from_kernel
	NT_FIXUP NT_FIX_CLAC
	.byte	0x0f, 0x01, 0xca		/* clac, or a 3-byte nop */
	cld
	/* entry stack, from esp up: cx, ax, then the CPU's ip cs flags sp ss */
	pushl	%eax
	pushl	%ecx
	NT_SWITCH_TO_KERNEL_CR3
	movl	%esp, %ecx
	NT_TO_TASK_STACK 7*4
	/* on the (empty) task stack now; the entry stack is only read */
	pushl	%ss:6*4(%ecx)			/* ss */
	pushl	%ss:5*4(%ecx)			/* sp */
	pushl	%ss:4*4(%ecx)			/* flags */
	movzwl	%ss:3*4(%ecx), %eax		/* cs: FIXUP_FRAME's upper-half clear */
	pushl	%eax
	pushl	%ss:2*4(%ecx)			/* ip */
	pushl	$-1				/* orig_ax */
	NT_SAVE_REST ax=%ss:1*4(%ecx), cx=%ss:(%ecx)
	movl	%esp, %eax
	.byte	0xe8				/* call nt_int2e_entry */
	NT_FIXUP NT_FIX_INT2E_ENTRY
	.long	0
	testl	%eax, %eax
	jnz	.Lnot_nt_call
.Lexit_iret:
	.byte	0xe9				/* jmp restore_all_switch_stack */
	NT_FIXUP NT_FIX_RESTORE
	.long	0

.Lint2e_from_kernel:
	.byte	0xe9				/* jmp <the original gate> */
	NT_FIXUP NT_FIX_ORIG_INT2E
	.long	0

/*
 * The kernel's handler, returning into the kernel's exit: what its own
 * idtentry stubs and handle_exception do for a user-mode entry.
 */
.Lnot_nt_call:
	cmpl	$NT_KIND_IRQ, %eax
	movl	%esp, %eax			/* regs */
	.byte	0x68				/* pushl $restore_all_switch_stack */
	NT_FIXUP NT_FIX_RESTORE_ABS
	.long	0
	je	.Lirq
	movl	$NT_INT2E_GP_ERROR, %edx
	.byte	0xe9				/* jmp exc_general_protection */
	NT_FIXUP NT_FIX_GP
	.long	0
.Lirq:
	movl	$NT_INT2E_VECTOR, %edx
	.byte	0xe9				/* jmp common_interrupt */
	NT_FIXUP NT_FIX_IRQ
	.long	0

/*
 * sysenter from an attached task. IF is clear; every other flag, and
 * every register, is the user's. The entry stack is empty.
 */
SYM_INNER_LABEL(nt_tramp_sysenter, SYM_L_GLOBAL)
	/*
	 * KiFastSystemCall sets DF; the Linux vDSO never does. Anything
	 * else is a Linux call: give it to entry_SYSENTER_32 exactly as the
	 * CPU gave it to us (popfl restores the flags testl changed).
	 * With TF set each of these instructions traps; entry.c's #DB
	 * notifier lets them pass.
	 */
	pushfl
	testl	$X86_EFLAGS_DF, (%esp)
	jnz	.Lsysenter_nt
	popfl
	.byte	0xe9				/* jmp entry_SYSENTER_32 */
	NT_FIXUP NT_FIX_SYSENTER_32
	.long	0
.Lsysenter_nt:
	popl	%ecx			/* user flags; ecx is volatile in the NT ABI */
	/* Clear NT, AC, TF and DF, as entry_SYSENTER_32 does. */
	pushl	$X86_EFLAGS_FIXED
	popfl
	pushl	%eax
	NT_SWITCH_TO_KERNEL_CR3
	popl	%eax
	/* entry stack empty again, as in entry_SYSENTER_32 */
	NT_TO_TASK_STACK 0
	andl	$~X86_EFLAGS_DF, %ecx	/* the marker is ours, not the caller's */
	orl	$X86_EFLAGS_IF, %ecx
	pushl	$__USER_DS		/* ss */
	pushl	%edx			/* sp: KiFastSystemCall did mov edx, esp */
	pushl	%ecx			/* flags */
	pushl	$__USER_CS		/* cs */
	pushl	$NT_KUSER_KI_FAST_SYSTEM_CALL_RET	/* ip: SystemCallReturn */
	pushl	$-1			/* orig_ax */
	NT_SAVE_REST ax=%eax, cx=%ecx
	movl	%esp, %eax
	.byte	0xe8			/* call nt_sysenter_entry */
	NT_FIXUP NT_FIX_SYSENTER_ENTRY
	.long	0
	testl	%eax, %eax
	jz	.Lexit_iret
	cmpl	$NT_KIND_SYSEXIT, %eax
	jne	.Lnot_nt_call
	.byte	0xe9			/* jmp <entry_SYSENTER_32's sysexit tail> */
	NT_FIXUP NT_FIX_SYSEXIT
	.long	0

SYM_INNER_LABEL(nt_tramp_end, SYM_L_GLOBAL)
SYM_DATA_END(nt_tramp_start)

	.section .rodata.nt_tramp_fixups, "a"
SYM_INNER_LABEL(nt_tramp_fixups_end, SYM_L_GLOBAL)
SYM_DATA_END(nt_tramp_fixups)
