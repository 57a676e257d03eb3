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
 * are patched in the copy: handler addresses and jumps, whose rel32 depends
 * on where the copy lives.
 *
 * Both stubs do as little as possible: they build the frame of an
 * exception entry on the entry stack and jump to the kernel's own
 * handle_exception, which switches CR3 and stack, saves pt_regs, calls
 * handler(regs, error_code) and leaves through the kernel's exit path
 * (exit work, CPU buffer clearing, iret). The frame, top down:
 *
 *	ss, sp, flags, cs, ip	iret frame (the CPU's for int 0x2e; built
 *				by hand for sysenter, which saves nothing)
 *	orig_ax			error code: the vector for int 0x2e
 *	gs slot			the C handler, which handle_exception calls
 */
#include <linux/linkage.h>
#include <asm/segment.h>
#include <asm/processor-flags.h>
#include <asm/nospec-branch.h>
#include "nt/kuser.h"
#include "i386/tramp.h"

/* Record a 32-bit field at the current location for entry.c to patch. */
.macro NT_FIXUP kind
	.pushsection .rodata.nt_tramp_fixups, "a"
	.long	772f - nt_tramp_start, \kind
	.popsection
772:
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
	 * in C, from the local APIC's in-service bit.)
	 */
	testl	$SEGMENT_RPL_MASK, 4(%esp)
	jz	.Lint2e_from_kernel
	NT_FIXUP NT_FIX_CLAC
	.byte	0x0f, 0x01, 0xca		/* clac, or a 3-byte nop */
	pushl	$0x2e				/* orig_ax: the vector */
	.byte	0x68				/* pushl $handler */
	NT_FIXUP NT_FIX_INT2E_HANDLER
	.long	0
	.byte	0xe9				/* jmp handle_exception */
	NT_FIXUP NT_FIX_HANDLE_EXCEPTION
	.long	0
.Lint2e_from_kernel:
	.byte	0xe9				/* jmp <the original gate> */
	NT_FIXUP NT_FIX_ORIG_INT2E
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
	andl	$~X86_EFLAGS_DF, %ecx	/* the marker is ours, not the caller's */
	orl	$X86_EFLAGS_IF, %ecx
	pushl	$__USER_DS		/* ss */
	pushl	%edx			/* sp: KiFastSystemCall did mov edx, esp */
	pushl	%ecx			/* flags */
	pushl	$__USER_CS		/* cs */
	pushl	$NT_KUSER_KI_FAST_SYSTEM_CALL_RET	/* ip: SystemCallReturn */
	pushl	$0			/* orig_ax */
	.byte	0x68			/* pushl $handler */
	NT_FIXUP NT_FIX_SYSENTER_HANDLER
	.long	0
	.byte	0xe9			/* jmp handle_exception */
	NT_FIXUP NT_FIX_HANDLE_EXCEPTION
	.long	0

SYM_INNER_LABEL(nt_tramp_end, SYM_L_GLOBAL)
SYM_DATA_END(nt_tramp_start)

	.section .rodata.nt_tramp_fixups, "a"
SYM_INNER_LABEL(nt_tramp_fixups_end, SYM_L_GLOBAL)
SYM_DATA_END(nt_tramp_fixups)
