// SPDX-License-Identifier: GPL-2.0
/*
 * The i386 NT entry points: the int 0x2e IDT gate, the sysenter hook and
 * the C entries that the trampoline (trampoline.S) calls once it has saved
 * pt_regs on the task stack, as the kernel's own system-call entry does.
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
 * trampoline and the choice in nt_*_entry() run with interrupts off, and
 * whatever runs later with interrupts on is either an NT call (its thread
 * holds a module reference) or kernel code reached by a tail jump, whose
 * return address is the kernel's own exit: a device interrupt or an
 * unattached task leaves no frame of this module on its stack, since the
 * kernel's handlers may sleep, stop for ptrace or never return. Then
 * the trampoline page is unmapped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/entry-common.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kallsyms.h>
#include <linux/kdebug.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/randomize_kstack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/static_call.h>
#include <linux/syscore_ops.h>
#include <linux/vmalloc.h>
#include <asm/apic.h>
#include <asm/cpu_entry_area.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/setup.h>
#include <asm/tlbflush.h>
#include <asm/traps.h>
#include <asm/unaligned.h>
#include "internal.h"
#include "dispatch.h"
#include "trace.h"
#include "i386/arch.h"
#include "i386/tramp.h"
#include "nt/kuser.h"

/* Kernel entry code the trampoline calls or jumps to (not exported; see lookup.c). */
static struct {
	unsigned long entry_sysenter_32;
	unsigned long restore;		/* entry_INT80_32's exit, after its C call */
	unsigned long sysexit;		/* entry_SYSENTER_32's sysexit tail */
	unsigned long exc_general_protection;
	unsigned long common_interrupt;
} k;
/*
 * Every NT call makes these two calls: static calls (a direct jump in a
 * patched trampoline) instead of retpolined calls through pointers. We
 * come from user mode, so the user-mode halves of irqentry_enter/exit.
 */
DEFINE_STATIC_CALL_NULL(nt_enter_from_user_mode, irqentry_enter_from_user_mode);
DEFINE_STATIC_CALL_NULL(nt_exit_to_user_mode, irqentry_exit_to_user_mode);
/*
 * The kernel's randomize_kstack_offset key, mirrored: it is
 * __ro_after_init, set only by its boot parameter, so a copy taken at
 * load time stays exact, and ours is a patched jump like the kernel's.
 */
static DEFINE_STATIC_KEY_FALSE(nt_kstack_rand);

/*
 * The key is data, which kallsyms does not list on this kernel
 * (KALLSYMS_ALL is off): decide as the kernel did, from the config
 * default and the last randomize_kstack_offset= on the command line.
 */
static bool nt_kstack_rand_on(void)
{
	static const char param[] = "randomize_kstack_offset=";
	bool on = IS_ENABLED(CONFIG_RANDOMIZE_KSTACK_OFFSET_DEFAULT);
	struct file *f;
	loff_t pos = 0;
	char *buf, *p;
	ssize_t n;

	if (!IS_ENABLED(CONFIG_RANDOMIZE_KSTACK_OFFSET))
		return false;
	buf = kmalloc(COMMAND_LINE_SIZE + 1, GFP_KERNEL);
	if (!buf)
		return on;
	f = filp_open("/proc/cmdline", O_RDONLY, 0);
	if (IS_ERR(f)) {
		pr_warn("no /proc/cmdline: random kernel stack offset as configured (%d)\n", on);
		kfree(buf);
		return on;
	}
	n = kernel_read(f, buf, COMMAND_LINE_SIZE, &pos);
	filp_close(f, NULL);
	buf[max_t(ssize_t, n, 0)] = 0;
	for (p = buf; (p = strstr(p, param)); p += sizeof(param) - 1) {
		bool v;

		if (p != buf && p[-1] != ' ')
			continue;
		if (!kstrtobool(p + sizeof(param) - 1, &v))
			on = v;
	}
	kfree(buf);
	return on;
}

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

/* ---- C entries, called by the trampoline with interrupts off ---- */

/*
 * What do_int80_syscall_32() does around a Linux call, for an NT one:
 * context tracking and lockdep in, the random stack offset, the call with
 * interrupts on, then the exit work (irqentry_exit_to_user_mode():
 * signals and APC delivery, reschedule, task_work, notify-resume, a new
 * random stack offset), which tests the thread flags once when none is
 * set.
 */
static __always_inline void nt_syscall(struct pt_regs *regs, unsigned long args)
{
	static_call(nt_enter_from_user_mode)(regs);
	if (static_branch_likely(&nt_kstack_rand)) {
		u8 *ptr = __kstack_alloca(KSTACK_OFFSET_MAX(current->kstack_offset));

		/* keep the allocation even after ptr goes out of scope */
		asm volatile("" :: "r"(ptr) : "memory");
	}
	local_irq_enable();
	regs->ax = nt_dispatch(regs->ax, (const u32 __user *)args);
	local_irq_disable();
	static_call(nt_exit_to_user_mode)(regs);
}

/*
 * Is @vector in service in the local APIC, i.e. is this a device interrupt
 * rather than a software int? The in-service bit is exact, whatever the
 * kernel does with the vector: the CPU sets it when it accepts a device
 * interrupt and it stays set until the handler's EOI; an int instruction
 * never sets it, and a device interrupt on the vector cannot be delivered
 * again while its bit is set (the vector is also its own priority class).
 *
 * apic->read is chosen at boot. This kernel has no x2APIC on i386
 * (X86_X2APIC depends on X86_64), and its drivers with an APIC read
 * registers through the memory-mapped page: native_apic_mem_read(), the
 * header's readl(APIC_BASE + reg). nt_apic_isr_init() checks that
 * apic->read *is* that function, by its kallsyms name at offset 0, and
 * then the entry does the same read itself: one load of the ISR word
 * instead of a call into the driver. Any other read (apic_noop's, a
 * hypervisor's hook such as Hyper-V's hv_apic_read(), a future driver's)
 * keeps the call, as a static call.
 */
DEFINE_STATIC_CALL_NULL(nt_apic_read, *apic->read);
static DEFINE_STATIC_KEY_FALSE(nt_apic_by_call);	/* set unless read inline */
static const void __iomem *nt_apic_isr_reg __ro_after_init;	/* ISR word of 0x2e */

#define NT_APIC_ISR_OFFSET(vector)	(APIC_ISR + ((vector) / 32) * 0x10)

static __always_inline bool nt_apic_in_service(unsigned int vector)
{
	if (static_branch_unlikely(&nt_apic_by_call))
		return static_call(nt_apic_read)(NT_APIC_ISR_OFFSET(vector)) & BIT(vector % 32);
	return readl(nt_apic_isr_reg) & BIT(vector % 32);
}

static void nt_apic_isr_init(void)
{
	char name[KSYM_SYMBOL_LEN];

	static_call_update(nt_apic_read, apic->read);
	/* the function itself, not code inside a bigger one */
	sprint_symbol(name, (unsigned long)apic->read);
	if (!strstarts(name, "native_apic_mem_read+0x0/")) {
		static_branch_enable(&nt_apic_by_call);
		return;
	}
	/* APIC_BASE depends on __FIXADDR_TOP, fixed before the first APIC access */
	nt_apic_isr_reg = (const void __iomem *)(APIC_BASE + NT_APIC_ISR_OFFSET(NT_INT2E_VECTOR));
}

/*
 * Until nt_syscall() enters, these run in the state the kernel's entry
 * code leaves (no context tracking or lockdep hooks yet): notrace, and
 * they never sleep. They hold the dispatcher's argument array (inlined
 * from dispatch.h), so they have a stack canary, unlike the kernel's
 * entry C code (arch/x86/entry/Makefile), which holds none: the
 * trampoline has loaded the kernel's %fs before the call, so the per-CPU
 * canary is readable at once, and a reschedule in the exit work finds the
 * same task's canary when it comes back.
 */

/* KiIntSystemCall: edx points at the arguments. */
int notrace nt_int2e_entry(struct pt_regs *regs)
{
	if (unlikely(nt_apic_in_service(NT_INT2E_VECTOR)))
		return NT_KIND_IRQ;
	if (unlikely(!nt_process_current()))
		return NT_KIND_GP;
	nt_syscall(regs, regs->dx);
	return NT_KIND_SYSCALL;
}

/*
 * KiFastSystemCall: edx = esp, then two return addresses, then arguments.
 * sysexit returns to SystemCallReturn with the saved esp and may restore
 * only ip, sp, flags, fs and the preserved registers (edx and ecx get ip
 * and sp); anything else the call or its exit work changed (an APC or
 * exception frame, a new CONTEXT, a single-step) needs iret. The rules
 * of do_fast_syscall_32(), plus ds/es, which the kernel's sysexit tail
 * leaves at __USER_DS, plus ecx/edx as the entry saved them: a CONTEXT
 * set by NtSetContextThread or ptrace while the thread waited in the call
 * is restored whole, as XP's exit does for a frame marked FRAME_EDITED.
 */
int notrace nt_sysenter_entry(struct pt_regs *regs)
{
	unsigned long cx = regs->cx, dx = regs->dx;

	/* only attached tasks have our MSR; anything else would be a bug */
	if (unlikely(!nt_process_current()))
		return NT_KIND_GP;
	nt_syscall(regs, regs->sp + 8);
	if (regs->ip == NT_KUSER_KI_FAST_SYSTEM_CALL_RET &&
	    regs->cx == cx && regs->dx == dx &&
	    regs->cs == __USER_CS && regs->ss == __USER_DS &&
	    regs->ds == __USER_DS && regs->es == __USER_DS &&
	    !(regs->flags & (X86_EFLAGS_RF | X86_EFLAGS_TF | X86_EFLAGS_VM)))
		return NT_KIND_SYSEXIT;
	return NT_KIND_SYSCALL;
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

/* TSS_entry2task_stack of asm-offsets_32.c: entry-stack top -> tss.sp1 */
static u32 nt_entry2task_stack(void)
{
	return offsetof(struct cpu_entry_area, tss.x86_tss.sp1) -
	       offsetofend(struct cpu_entry_area, entry_stack_page.stack);
}

/*
 * The instruction after "call @callee" in the first bytes of the kernel's
 * entry stub @entry: where that stub goes on once its C part returns.
 * With @test_jz, that call must be followed by "test %eax, %eax; jz", and
 * the result is what follows the jz (entry_SYSENTER_32's sysexit path).
 */
static unsigned long nt_after_call(unsigned long entry, unsigned long callee,
				   bool test_jz)
{
	const u8 *p = (const u8 *)entry;
	unsigned int i;

	for (i = 0; i < 512; i++) {
		const u8 *c = p + i;

		if (c[0] != 0xe8 ||
		    (unsigned long)c + 5 + get_unaligned((s32 *)(c + 1)) != callee)
			continue;
		c += 5;
		if (!test_jz)
			return (unsigned long)c;
		if (c[0] != 0x85 || c[1] != 0xc0)	/* test %eax, %eax */
			break;
		if (c[2] == 0x74)			/* jz rel8 */
			return (unsigned long)c + 4;
		if (c[2] == 0x0f && c[3] == 0x84)	/* jz rel32 */
			return (unsigned long)c + 8;
		break;
	}
	pr_err("unexpected code in the kernel entry at %pS\n", (void *)entry);
	return 0;
}

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
		unsigned long target;

		switch (f->kind) {
		case NT_FIX_CLAC:
			if (!boot_cpu_has(X86_FEATURE_SMAP))
				memcpy(p, "\x0f\x1f\x00", 3);	/* nopl (%eax) */
			continue;
		case NT_FIX_PTI:
			if (boot_cpu_has(X86_FEATURE_PTI))
				memcpy(p, "\x66\x90", 2);		/* xchg %ax, %ax */
			continue;
		case NT_FIX_TSS_SP1:
			put_unaligned(get_unaligned((u32 *)p) + nt_entry2task_stack(), (u32 *)p);
			continue;
		case NT_FIX_RESTORE_ABS:
			put_unaligned((u32)k.restore, (u32 *)p);
			continue;
		case NT_FIX_INT2E_ENTRY:
			target = (unsigned long)nt_int2e_entry;
			break;
		case NT_FIX_SYSENTER_ENTRY:
			target = (unsigned long)nt_sysenter_entry;
			break;
		case NT_FIX_RESTORE:
			target = k.restore;
			break;
		case NT_FIX_SYSEXIT:
			target = k.sysexit;
			break;
		case NT_FIX_GP:
			target = k.exc_general_protection;
			break;
		case NT_FIX_IRQ:
			target = k.common_interrupt;
			break;
		case NT_FIX_SYSENTER_32:
			target = k.entry_sysenter_32;
			break;
		case NT_FIX_ORIG_INT2E:
			target = gate_offset(&nt_orig_gate);
			break;
		default:
			WARN_ON(1);
			__free_page(nt_tramp_page);
			return -EINVAL;
		}
		put_unaligned((u32)(target - next), (u32 *)p);
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
	unsigned long enter, exit, int80, do_int80, do_sysenter;
	int err;

	if (!boot_cpu_has(X86_FEATURE_SEP)) {
		pr_err("the CPU has no sysenter\n");
		return -ENODEV;
	}
	k.entry_sysenter_32 = nt_lookup("entry_SYSENTER_32");
	int80 = nt_lookup("entry_INT80_32");
	do_int80 = nt_lookup("do_int80_syscall_32");
	do_sysenter = nt_lookup("do_SYSENTER_32");
	enter = nt_lookup("irqentry_enter_from_user_mode");
	exit = nt_lookup("irqentry_exit_to_user_mode");
	k.common_interrupt = nt_lookup("common_interrupt");
	k.exc_general_protection = nt_lookup("exc_general_protection");
	if (!k.entry_sysenter_32 || !int80 || !do_int80 || !do_sysenter ||
	    !enter || !exit || !k.common_interrupt || !k.exc_general_protection)
		return -ENOENT;
	k.restore = nt_after_call(int80, do_int80, false);
	k.sysexit = nt_after_call(k.entry_sysenter_32, do_sysenter, true);
	if (!k.restore || !k.sysexit)
		return -ENOENT;
	nt_apic_isr_init();
	static_call_update(nt_enter_from_user_mode, (void *)enter);
	static_call_update(nt_exit_to_user_mode, (void *)exit);
	if (nt_kstack_rand_on())
		static_branch_enable(&nt_kstack_rand);

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
	pr_info("entry: int 0x2e gate and sysenter hook at %#lx, random kernel stack offset %s, APIC ISR %s\n",
		nt_tramp_base, static_key_enabled(&nt_kstack_rand) ? "on" : "off",
		static_key_enabled(&nt_apic_by_call) ? "through apic->read" : "read inline");
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
