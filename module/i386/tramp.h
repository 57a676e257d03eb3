/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between trampoline.S and entry.c: what each patched field
 * of the copied trampoline receives.
 */
#ifndef NTP_I386_TRAMP_H
#define NTP_I386_TRAMP_H

#define NT_FIX_CLAC			0	/* 3 bytes: clac, or nop if no SMAP */
#define NT_FIX_INT2E_HANDLER		1	/* abs32: C handler for int 0x2e */
#define NT_FIX_SYSENTER_HANDLER		2	/* abs32: C handler for sysenter */
#define NT_FIX_HANDLE_EXCEPTION		3	/* rel32: handle_exception */
#define NT_FIX_SYSENTER_32		4	/* rel32: entry_SYSENTER_32 */
#define NT_FIX_ORIG_INT2E		5	/* rel32: the gate's original target */

#define NT_INT2E_VECTOR		0x2e
/* error code of the #GP a DPL-0 gate gives: IDT bit + vector */
#define NT_INT2E_GP_ERROR	((NT_INT2E_VECTOR << 3) | 2)

/* What handlers.S does with a trampoline hit (nt_*_kind()) */
#define NT_KIND_SYSCALL		0	/* an NT call from an attached task */
#define NT_KIND_IRQ		1	/* a device interrupt on vector 0x2e */
#define NT_KIND_GP		2	/* anything else: the #GP of a DPL-0 gate */

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct pt_regs;

/* handlers.S: called by handle_exception(regs, error_code) */
void nt_handle_int2e(struct pt_regs *regs, unsigned long error_code);
void nt_handle_sysenter(struct pt_regs *regs, unsigned long error_code);
/* entry.c, called by handlers.S */
int nt_int2e_kind(struct pt_regs *regs);
int nt_sysenter_kind(struct pt_regs *regs);
void nt_int2e_syscall(struct pt_regs *regs);
void nt_sysenter_syscall(struct pt_regs *regs);
extern unsigned long nt_k_exc_general_protection, nt_k_common_interrupt;

struct nt_tramp_fixup {
	u32 offset;	/* from nt_tramp_start */
	u32 kind;	/* NT_FIX_* */
};

extern const u8 nt_tramp_start[], nt_tramp_end[];
extern const u8 nt_tramp_int2e[], nt_tramp_sysenter[];
extern const struct nt_tramp_fixup nt_tramp_fixups[], nt_tramp_fixups_end[];
#endif

#endif /* NTP_I386_TRAMP_H */
