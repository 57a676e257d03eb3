/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between trampoline.S and entry.c: what each patched field
 * of the copied trampoline receives.
 */
#ifndef NTP_I386_TRAMP_H
#define NTP_I386_TRAMP_H

/* Each field is patched in the copy; "+=" fields keep their assembled addend. */
#define NT_FIX_CLAC			0	/* 3 bytes: clac, or nop if no SMAP */
#define NT_FIX_PTI			1	/* 2 bytes: jmp over the CR3 switch, nop if PTI */
#define NT_FIX_TSS_SP1			2	/* disp32 +=: entry-stack top -> tss.sp1 */
#define NT_FIX_INT2E_ENTRY		3	/* rel32: nt_int2e_entry() */
#define NT_FIX_SYSENTER_ENTRY		4	/* rel32: nt_sysenter_entry() */
#define NT_FIX_RESTORE			5	/* rel32: the kernel's iret exit */
#define NT_FIX_RESTORE_ABS		6	/* abs32: the same, as a return address */
#define NT_FIX_SYSEXIT			7	/* rel32: the kernel's sysexit exit */
#define NT_FIX_GP			8	/* rel32: exc_general_protection */
#define NT_FIX_IRQ			9	/* rel32: common_interrupt */
#define NT_FIX_SYSENTER_32		10	/* rel32: entry_SYSENTER_32 */
#define NT_FIX_ORIG_INT2E		11	/* rel32: the gate's original target */

/* PTI_SWITCH_MASK of entry_32.S, 1 << PAGE_SHIFT: the user PGD is the next page */
#define NT_PTI_SWITCH_MASK	0x1000

#define NT_INT2E_VECTOR		0x2e
/* error code of the #GP a DPL-0 gate gives: IDT bit + vector */
#define NT_INT2E_GP_ERROR	((NT_INT2E_VECTOR << 3) | 2)

/* What nt_*_entry() tell the trampoline to do next */
#define NT_KIND_SYSCALL		0	/* an NT call, done: leave by iret */
#define NT_KIND_IRQ		1	/* a device interrupt on vector 0x2e */
#define NT_KIND_GP		2	/* anything else: the #GP of a DPL-0 gate */
#define NT_KIND_SYSEXIT		3	/* an NT call by sysenter, done: leave by sysexit */

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct pt_regs;

/*
 * entry.c, called by the trampoline on the task stack with pt_regs saved,
 * kernel CR3 and segments, interrupts off; they return with interrupts
 * off and the exit work done.
 */
int nt_int2e_entry(struct pt_regs *regs);
int nt_sysenter_entry(struct pt_regs *regs);

struct nt_tramp_fixup {
	u32 offset;	/* from nt_tramp_start */
	u32 kind;	/* NT_FIX_* */
};

extern const u8 nt_tramp_start[], nt_tramp_end[];
extern const u8 nt_tramp_int2e[], nt_tramp_sysenter[];
extern const struct nt_tramp_fixup nt_tramp_fixups[], nt_tramp_fixups_end[];
#endif

#endif /* NTP_I386_TRAMP_H */
