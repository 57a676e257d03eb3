// SPDX-License-Identifier: GPL-2.0
/*
 * The i386 NT entry points: the int 0x2e IDT gate, the sysenter hook and
 * the C handlers that the trampoline (trampoline.S) reaches through the
 * kernel's handle_exception.
 *
 * sysenter: MSR_IA32_SYSENTER_EIP is ours only while an attached task runs.
 * The preempt notifiers of attached threads write it on sched_in and give
 * the kernel its entry_SYSENTER_32 back on sched_out, so every other task
 * enters the kernel exactly as without the module, at no cost; CPU hotplug
 * needs nothing (a CPU starts with the kernel's value and an attached task
 * writes ours when it is scheduled there) and resume re-applies ours for an
 * attached task that is current.
 *
 * int 0x2e: the IDT is shared by all CPUs; one gate, DPL 3, points at the
 * trampoline in a cpu_entry_area page. Kernel-mode hits (device interrupts)
 * go straight to the original stub; user-mode device interrupts are told
 * apart by the local APIC's in-service bit; unattached tasks get the #GP
 * that a DPL-0 gate would have raised.
 *
 * Unload: the gate and MSRs are restored, then one RCU grace period: the
 * trampoline and the choice in handlers.S run with interrupts off, and
 * whatever runs later with interrupts on is either an NT call (its thread
 * holds a module reference) or kernel code reached by a tail jump. Then
 * the trampoline page is unmapped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/entry-common.h>
#include <linux/kdebug.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/static_call.h>
#include <linux/syscore_ops.h>
#include <linux/vmalloc.h>
#include <asm/apic.h>
#include <asm/cpu_entry_area.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/tlbflush.h>
#include <asm/traps.h>
#include <asm/unaligned.h>
#include "internal.h"
#include "dispatch.h"
#include "i386/arch.h"
#include "i386/tramp.h"

/* Kernel entry code we call or jump to (not exported; see lookup.c). */
static struct {
	unsigned long handle_exception;
	unsigned long entry_sysenter_32;
} k;
/*
 * Every NT call makes these two calls: static calls (a direct jump in a
 * patched trampoline) instead of retpolined calls through pointers.
 */
DEFINE_STATIC_CALL_NULL(nt_irqentry_enter, irqentry_enter);
DEFINE_STATIC_CALL_NULL(nt_irqentry_exit, irqentry_exit);
/* tail-jump targets of handlers.S */
unsigned long nt_k_exc_general_protection, nt_k_common_interrupt;

static unsigned long nt_tramp_base;	/* the copy in the cpu_entry_area */
static struct page *nt_tramp_page;
static pte_t *nt_tramp_pte;
static gate_desc nt_orig_gate;
static bool nt_gate_installed;
static DEFINE_PER_CPU(bool, nt_msr_ours);

static unsigned long nt_tramp_addr(const u8 *sym)
{
	return nt_tramp_base + (sym - nt_tramp_start);
}

/* ---- C handlers, called by handle_exception with interrupts off ---- */

static void nt_syscall(struct pt_regs *regs, unsigned long args)
{
	irqentry_state_t state = static_call(nt_irqentry_enter)(regs);

	local_irq_enable();
	regs->ax = nt_dispatch(regs->ax, (const u32 __user *)args);
	local_irq_disable();
	static_call(nt_irqentry_exit)(regs, state);
}

static bool nt_apic_in_service(unsigned int vector)
{
	return apic_read(APIC_ISR + (vector / 32) * 0x10) & BIT(vector % 32);
}

/* Interrupts are off in the *_kind() functions, and they never sleep. */
int notrace nt_int2e_kind(struct pt_regs *regs)
{
	if (nt_apic_in_service(NT_INT2E_VECTOR))
		return NT_KIND_IRQ;
	return nt_process_current() ? NT_KIND_SYSCALL : NT_KIND_GP;
}

int notrace nt_sysenter_kind(struct pt_regs *regs)
{
	/* only attached tasks have our MSR; anything else would be a bug */
	return likely(nt_process_current()) ? NT_KIND_SYSCALL : NT_KIND_GP;
}

/* KiIntSystemCall: edx points at the arguments. */
void notrace nt_int2e_syscall(struct pt_regs *regs)
{
	nt_syscall(regs, regs->dx);
}

/* KiFastSystemCall: edx = esp, then two return addresses, then arguments. */
void notrace nt_sysenter_syscall(struct pt_regs *regs)
{
	nt_syscall(regs, regs->sp + 8);
}

/* ---- sysenter MSR, per attached task ---- */

static void nt_msr_set(bool ours)
{
	unsigned long eip = ours ? nt_tramp_addr(nt_tramp_sysenter) : k.entry_sysenter_32;

	if (__this_cpu_read(nt_msr_ours) == ours)
		return;
	wrmsr(MSR_IA32_SYSENTER_EIP, eip, 0);
	__this_cpu_write(nt_msr_ours, ours);
}

void nt_arch_sched_in(struct nt_thread *t)
{
	nt_msr_set(true);
}

void nt_arch_sched_out(struct nt_thread *t)
{
	nt_msr_set(false);
}

/* enable_sep_cpu() rewrote the kernel's value on resume. */
static void nt_resume(void)
{
	__this_cpu_write(nt_msr_ours, false);
	if (nt_process_current())
		nt_msr_set(true);
}

static struct syscore_ops nt_syscore_ops = {
	.resume = nt_resume,
};

/* ---- single-step (TF) through the trampoline ---- */

/*
 * A task may sysenter with TF set; each trampoline instruction then traps
 * in kernel mode, which exc_debug_kernel() would WARN about. The kernel
 * excuses such traps in entry_SYSENTER_32; we excuse them in our page.
 */
static int nt_die_notify(struct notifier_block *nb, unsigned long val, void *data)
{
	struct die_args *args = data;
	unsigned long *dr6 = (unsigned long *)args->err;

	if (val != DIE_DEBUG || user_mode(args->regs) ||
	    args->regs->ip - nt_tramp_base >= PAGE_SIZE || !(*dr6 & DR_STEP))
		return NOTIFY_DONE;
	*dr6 &= ~DR_STEP;
	return *dr6 ? NOTIFY_DONE : NOTIFY_STOP;
}

static struct notifier_block nt_die_nb = {
	.notifier_call = nt_die_notify,
};

/* ---- the trampoline page ---- */

/*
 * A cpu_entry_area page the kernel never maps: the GDT page of the last
 * CPU index, which is not possible on this machine. Its PTE page exists
 * (the whole area is populated at boot) and is shared with the user page
 * tables.
 */
static int nt_tramp_map(void)
{
	const struct nt_tramp_fixup *f;
	unsigned int level;
	u8 *buf;

	/* the area exists for every CPU index the kernel was built for */
	if (nr_cpu_ids >= CONFIG_NR_CPUS) {
		pr_err("no unused cpu_entry_area slot (nr_cpu_ids = NR_CPUS)\n");
		return -ENOSPC;
	}
	nt_tramp_base = (unsigned long)get_cpu_entry_area(CONFIG_NR_CPUS - 1)->gdt;
	nt_tramp_pte = lookup_address(nt_tramp_base, &level);
	if (!nt_tramp_pte || level != PG_LEVEL_4K || !pte_none(*nt_tramp_pte)) {
		pr_err("cpu_entry_area slot at %#lx is not free\n", nt_tramp_base);
		return -EBUSY;
	}
	BUILD_BUG_ON(PAGE_SIZE < 256);
	if (WARN_ON(nt_tramp_end - nt_tramp_start > PAGE_SIZE))
		return -E2BIG;

	nt_tramp_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!nt_tramp_page)
		return -ENOMEM;
	buf = page_address(nt_tramp_page);
	memset(buf, 0xcc, PAGE_SIZE);	/* int3 around the stubs */
	memcpy(buf, nt_tramp_start, nt_tramp_end - nt_tramp_start);

	for (f = nt_tramp_fixups; f < nt_tramp_fixups_end; f++) {
		u8 *p = buf + f->offset;
		unsigned long next = nt_tramp_base + f->offset + 4;	/* rel32 base */

		switch (f->kind) {
		case NT_FIX_CLAC:
			if (!boot_cpu_has(X86_FEATURE_SMAP))
				memcpy(p, "\x0f\x1f\x00", 3);	/* nopl (%eax) */
			break;
		case NT_FIX_INT2E_HANDLER:
			put_unaligned((u32)(unsigned long)nt_handle_int2e, (u32 *)p);
			break;
		case NT_FIX_SYSENTER_HANDLER:
			put_unaligned((u32)(unsigned long)nt_handle_sysenter, (u32 *)p);
			break;
		case NT_FIX_HANDLE_EXCEPTION:
			put_unaligned((u32)(k.handle_exception - next), (u32 *)p);
			break;
		case NT_FIX_SYSENTER_32:
			put_unaligned((u32)(k.entry_sysenter_32 - next), (u32 *)p);
			break;
		case NT_FIX_ORIG_INT2E:
			put_unaligned((u32)(gate_offset(&nt_orig_gate) - next), (u32 *)p);
			break;
		default:
			WARN_ON(1);
			__free_page(nt_tramp_page);
			return -EINVAL;
		}
	}
	set_pte(nt_tramp_pte, mk_pte(nt_tramp_page, PAGE_KERNEL_ROX));
	return 0;
}

static void nt_flush_tlb_one(void *unused)
{
	__flush_tlb_all();
}

static void nt_tramp_unmap(void)
{
	pte_clear(&init_mm, nt_tramp_base, nt_tramp_pte);
	on_each_cpu(nt_flush_tlb_one, NULL, 1);
	__free_page(nt_tramp_page);
}

/* ---- the IDT gate ---- */

/*
 * The IDT the CPUs load is a read-only alias. Read the 0x2e gate into @old
 * and, if @new is given, replace it through a temporary writable mapping
 * of the same page, in one 8-byte store.
 */
static int nt_idt_rw(const gate_desc *new, gate_desc *old)
{
	struct desc_ptr dt;
	unsigned long addr;
	unsigned int level;
	struct page *page;
	pte_t *pte;
	u64 *slot, cur;
	void *w;

	store_idt(&dt);
	addr = dt.address + NT_INT2E_VECTOR * sizeof(gate_desc);
	pte = lookup_address(addr, &level);
	if (!pte || level != PG_LEVEL_4K)
		return -EFAULT;
	page = pte_page(*pte);
	w = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	if (!w)
		return -ENOMEM;
	slot = w + offset_in_page(addr);
	cur = READ_ONCE(*slot);
	if (old)
		memcpy(old, &cur, sizeof(*old));
	if (new) {
		u64 want;

		memcpy(&want, new, sizeof(want));
		WARN_ON(cmpxchg64(slot, cur, want) != cur);
	}
	vunmap(w);
	return 0;
}

static int nt_gate_check(void)
{
	int err = nt_idt_rw(NULL, &nt_orig_gate);

	if (err)
		return err;
	/* the trampoline forwards kernel-mode hits to this target */
	if (gate_segment(&nt_orig_gate) != __KERNEL_CS || nt_orig_gate.bits.dpl != 0 ||
	    !nt_orig_gate.bits.p) {
		pr_err("unexpected original gate for vector 0x2e\n");
		return -EINVAL;
	}
	return 0;
}

static void nt_gate_activate(void)
{
	gate_desc gate;

	pack_gate(&gate, GATE_INTERRUPT, nt_tramp_addr(nt_tramp_int2e), 3, 0, __KERNEL_CS);
	nt_gate_installed = !nt_idt_rw(&gate, NULL);
}

static void nt_gate_restore(void)
{
	if (nt_gate_installed)
		nt_idt_rw(&nt_orig_gate, NULL);
	nt_gate_installed = false;
}

static void nt_msr_restore_cpu(void *unused)
{
	nt_msr_set(false);
}

int nt_arch_init(void)
{
	unsigned long enter, exit;
	int err;

	if (!boot_cpu_has(X86_FEATURE_SEP)) {
		pr_err("the CPU has no sysenter\n");
		return -ENODEV;
	}
	k.handle_exception = nt_lookup("handle_exception");
	k.entry_sysenter_32 = nt_lookup("entry_SYSENTER_32");
	enter = nt_lookup("irqentry_enter");
	exit = nt_lookup("irqentry_exit");
	nt_k_common_interrupt = nt_lookup("common_interrupt");
	nt_k_exc_general_protection = nt_lookup("exc_general_protection");
	if (!k.handle_exception || !k.entry_sysenter_32 || !enter || !exit ||
	    !nt_k_common_interrupt || !nt_k_exc_general_protection)
		return -ENOENT;
	static_call_update(nt_irqentry_enter, (void *)enter);
	static_call_update(nt_irqentry_exit, (void *)exit);

	err = nt_gate_check();
	if (err)
		return err;
	err = nt_kuser_init();
	if (err)
		return err;
	err = nt_tramp_map();
	if (err)
		goto err_kuser;
	err = register_die_notifier(&nt_die_nb);
	if (err)
		goto err_tramp;
	register_syscore_ops(&nt_syscore_ops);
	nt_gate_activate();
	if (!nt_gate_installed) {
		err = -EIO;
		goto err_notifier;
	}
	pr_info("entry: int 0x2e gate and sysenter hook at %#lx\n", nt_tramp_base);
	return 0;

err_notifier:
	unregister_syscore_ops(&nt_syscore_ops);
	unregister_die_notifier(&nt_die_nb);
err_tramp:
	nt_tramp_unmap();
err_kuser:
	nt_kuser_exit();
	return err;
}

/* Called once no task is attached (each holds a module reference). */
void nt_arch_exit(void)
{
	nt_gate_restore();
	on_each_cpu(nt_msr_restore_cpu, NULL, 1);
	unregister_syscore_ops(&nt_syscore_ops);
	/* nothing new can enter; what is inside runs with interrupts off */
	synchronize_rcu();
	unregister_die_notifier(&nt_die_nb);
	nt_tramp_unmap();
	nt_kuser_exit();
}
