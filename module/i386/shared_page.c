// SPDX-License-Identifier: GPL-2.0
/*
 * KUSER_SHARED_DATA at 0x7ffe0000 in every attached process.
 *
 * Two physical pages differ only in SystemCall: one names KiFastSystemCall
 * (sysenter), the other KiIntSystemCall (int 0x2e), as XP chooses by CPU.
 * A process maps one of them read-only and executable (the stubs live in
 * the page, after the structure); NTP_IOC_SET_GATE swaps which. Fork copies
 * the mapping like any other.
 *
 * The mapping must never outlive the module: its vm_ops, its pages and its
 * name are the module's. A special mapping (_install_special_mapping) has
 * no way to tell us when its last VMA goes, and its VMAs survive detach if
 * they were moved or forked into an unattached process. So the page is
 * mapped from an anonymous-inode file whose f_op->owner is this module:
 * every VMA (fork copies too) holds the file, the file holds the module,
 * and rmmod waits (EBUSY) until the last VMA is gone. mremap is refused,
 * so the page is only ever at 0x7ffe0000; mprotect cannot make it writable
 * (no VM_MAYWRITE), which also refuses ptrace's forced writes.
 *
 * The clocks are rewritten every tick by an hrtimer that runs only while
 * some process is attached, with the KSYSTEM_TIME protocol: High2Time,
 * LowPart, High1Time, in that order, each store ordered by smp_wmb().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/sched/task_stack.h>
#include <linux/time64.h>
#include <linux/timekeeping.h>
#include <asm/cpufeature.h>
#include "internal.h"
#include "uaccess.h"
#include "i386/arch.h"
#include "nt/kuser.h"

/* 100 ns intervals between 1601-01-01 and 1970-01-01 */
#define NT_EPOCH_DELTA		116444736000000000ULL

#define NT_KUSER_NAME	"[nt_shared_user_data]"

static struct page *nt_kuser_page[2];		/* [NTP_GATE_*] */
/*
 * Their kernel addresses, kept: page_address() is an out-of-line call on a
 * HIGHMEM kernel, made twice per NtQuerySystemTime. The pages are lowmem
 * (alloc_page without __GFP_HIGHMEM), so the address never changes.
 */
static KUSER_SHARED_DATA *nt_kuser_addr[2];

static struct hrtimer nt_kuser_timer;
static DEFINE_MUTEX(nt_kuser_users_lock);	/* guards nt_kuser_users, timer start/stop */
static unsigned int nt_kuser_users;

static KUSER_SHARED_DATA *nt_kuser(int gate)
{
	return nt_kuser_addr[gate];
}

/* Readers in user space retry until High1Time == High2Time. */
static void nt_ksystem_time_set(KSYSTEM_TIME *t, u64 v)
{
	WRITE_ONCE(t->High2Time, (s32)(v >> 32));
	smp_wmb();	/* High2Time before LowPart */
	WRITE_ONCE(t->LowPart, (u32)v);
	smp_wmb();	/* LowPart before High1Time */
	WRITE_ONCE(t->High1Time, (s32)(v >> 32));
}

/*
 * CLOCK_REALTIME in NT units without a 64-bit division: 10^9 is a
 * multiple of 100, so floor((sec * 10^9 + nsec) / 100) is exactly
 * sec * 10^7 + nsec / 100, and nsec / 100 on a u32 is a multiply by the
 * reciprocal (GCC's constant division). Same result as
 * div_u64(ktime_get_real_ns(), 100), truncation included.
 */
static u64 nt_kuser_real_now(void)
{
	struct timespec64 ts;

	ktime_get_real_ts64(&ts);
	return (u64)ts.tv_sec * 10000000u + (u32)ts.tv_nsec / 100u +
	       NT_EPOCH_DELTA;
}

/*
 * Writers of both pages' time fields: the tick (hardirq) and
 * NtQuerySystemTime (below). Each takes the time inside the lock, so the
 * values written only grow (unless the clock is set back).
 *
 * An arch spinlock with interrupts off, as the kernel's own leaf locks on
 * hot paths (the trace ring buffer, the timekeeper's seqcount writer
 * side): the section is a clock read and six stores, calls nothing that
 * locks, and cannot be preempted with interrupts off; the tick on this CPU
 * cannot interrupt it. raw_spin_lock_irqsave() cost 40 instructions per
 * NtQuerySystemTime in its two out-of-line calls and the preempt count
 * round trip (make bench), a tenth of the call; lockdep does not see this
 * lock, which nests in nothing and takes nothing.
 */
static arch_spinlock_t nt_kuser_time_lock = __ARCH_SPIN_LOCK_UNLOCKED;

static __always_inline unsigned long nt_kuser_time_lock_irqsave(void)
{
	unsigned long flags;

	local_irq_save(flags);
	arch_spin_lock(&nt_kuser_time_lock);
	return flags;
}

static __always_inline void nt_kuser_time_unlock_irqrestore(unsigned long flags)
{
	arch_spin_unlock(&nt_kuser_time_lock);
	local_irq_restore(flags);
}

/* Refresh the time fields of both pages; returns the SystemTime written. */
static u64 nt_kuser_update(void)
{
	unsigned long flags;
	u64 real, mono, interrupt, ms;
	s64 bias = (s64)sys_tz.tz_minuteswest * 60 * 10000000;
	int gate;

	flags = nt_kuser_time_lock_irqsave();
	real = nt_kuser_real_now();
	mono = ktime_get_ns();
	interrupt = div_u64(mono, 100);
	ms = div_u64(mono, NSEC_PER_MSEC);
	for (gate = 0; gate < 2; gate++) {
		KUSER_SHARED_DATA *k = nt_kuser(gate);

		nt_ksystem_time_set(&k->InterruptTime, interrupt);
		nt_ksystem_time_set(&k->SystemTime, real);
		nt_ksystem_time_set(&k->TimeZoneBias, bias);
		nt_ksystem_time_set(&k->TickCount, ms);
		WRITE_ONCE(k->TickCountLowDeprecated, (u32)ms);
	}
	nt_kuser_time_unlock_irqrestore(flags);
	return real;
}

/*
 * NtQuerySystemTime's answer: on XP it reads SharedUserData->SystemTime
 * itself (KeQuerySystemTime), so a program mixing the two never sees time
 * go back (issue 17; Wine ntdll/tests/time.c). Here the page is brought
 * up to the precise time first and that value is the answer: whatever
 * either page showed before is <= it, whatever they show after is >= it,
 * and the answer keeps CLOCK_REALTIME's resolution rather than the tick's.
 * 0 while no attached process keeps the pages ticking (a real answer is
 * never 0: that is 1601). Returned, not stored through a pointer, so that
 * neither this function nor NtQuerySystemTime has a stack object for the
 * canary to guard.
 */
u64 nt_kuser_system_time(void)
{
	unsigned long flags;
	u64 real;
	int gate;

	if (!READ_ONCE(nt_kuser_users))
		return 0;
	/*
	 * Only SystemTime: the other fields are the tick's business, and
	 * the promise above is about this one. Same lock as the tick, so
	 * the values written still only grow.
	 */
	flags = nt_kuser_time_lock_irqsave();
	real = nt_kuser_real_now();
	for (gate = 0; gate < 2; gate++)
		nt_ksystem_time_set(&nt_kuser(gate)->SystemTime, real);
	nt_kuser_time_unlock_irqrestore(flags);
	return real;
}

static enum hrtimer_restart nt_kuser_tick(struct hrtimer *timer)
{
	nt_kuser_update();
	hrtimer_forward_now(timer, ns_to_ktime(TICK_NSEC));
	return HRTIMER_RESTART;
}

static void nt_kuser_get(void)
{
	mutex_lock(&nt_kuser_users_lock);
	if (!nt_kuser_users++) {
		nt_kuser_update();
		hrtimer_start(&nt_kuser_timer, ns_to_ktime(TICK_NSEC), HRTIMER_MODE_REL);
	}
	mutex_unlock(&nt_kuser_users_lock);
}

static void nt_kuser_put(void)
{
	mutex_lock(&nt_kuser_users_lock);
	if (!--nt_kuser_users)
		hrtimer_cancel(&nt_kuser_timer);
	mutex_unlock(&nt_kuser_users_lock);
}

/* The code that SystemCall and SystemCallReturn point at. */
static const u8 nt_ki_fast_system_call[] = {
	0x8b, 0xd4,		/* mov edx, esp */
	0xfd,			/* std: the NT marker for the sysenter hook */
	0x0f, 0x34,		/* sysenter */
	0xc3,			/* ret (not reached: sysenter returns to ...Ret) */
};

static const u8 nt_ki_fast_system_call_ret[] = { 0xc3 };	/* ret */

static const u8 nt_ki_int_system_call[] = {
	0x8d, 0x54, 0x24, 0x08,	/* lea edx, [esp + 8]: the arguments */
	0xcd, 0x2e,		/* int 0x2e */
	0xc3,			/* ret */
};

static void nt_kuser_fill(KUSER_SHARED_DATA *k, int gate)
{
	static const char root[] = "C:\\WINDOWS";
	u8 *page = (u8 *)k;
	int i;

	k->TickCountMultiplier = 1u << 24;	/* TickCount counts milliseconds */
	k->ImageNumberLow = 0x014c;		/* IMAGE_FILE_MACHINE_I386 */
	k->ImageNumberHigh = 0x014c;
	for (i = 0; root[i]; i++)
		k->NtSystemRoot[i] = root[i];
	k->MaxStackTraceDepth = 0;
	k->NtProductType = 1;			/* NtProductWinNt */
	k->ProductTypeIsValid = 1;
	k->NtMajorVersion = 5;
	k->NtMinorVersion = 1;
	k->ProcessorFeatures[PF_FLOATING_POINT_EMULATED] = !boot_cpu_has(X86_FEATURE_FPU);
	k->ProcessorFeatures[PF_COMPARE_EXCHANGE_DOUBLE] = boot_cpu_has(X86_FEATURE_CX8);
	k->ProcessorFeatures[PF_MMX_INSTRUCTIONS_AVAILABLE] = boot_cpu_has(X86_FEATURE_MMX);
	k->ProcessorFeatures[PF_XMMI_INSTRUCTIONS_AVAILABLE] = boot_cpu_has(X86_FEATURE_XMM);
	k->ProcessorFeatures[PF_3DNOW_INSTRUCTIONS_AVAILABLE] = boot_cpu_has(X86_FEATURE_3DNOW);
	k->ProcessorFeatures[PF_RDTSC_INSTRUCTION_AVAILABLE] = boot_cpu_has(X86_FEATURE_TSC);
	k->ProcessorFeatures[PF_PAE_ENABLED] = boot_cpu_has(X86_FEATURE_PAE);
	k->ProcessorFeatures[PF_XMMI64_INSTRUCTIONS_AVAILABLE] = boot_cpu_has(X86_FEATURE_XMM2);
	k->ProcessorFeatures[PF_NX_ENABLED] = boot_cpu_has(X86_FEATURE_NX);
	k->ProcessorFeatures[PF_SSE3_INSTRUCTIONS_AVAILABLE] = boot_cpu_has(X86_FEATURE_XMM3);
	k->NXSupportPolicy = boot_cpu_has(X86_FEATURE_NX) ? 2 : 0;	/* OptIn */
	k->NumberOfPhysicalPages = min_t(unsigned long, totalram_pages(), U32_MAX);
	k->TestRetInstruction = 0xc3;
	k->SystemCall = gate == NTP_GATE_INT2E ? NT_KUSER_KI_INT_SYSTEM_CALL
					       : NT_KUSER_KI_FAST_SYSTEM_CALL;
	k->SystemCallReturn = NT_KUSER_KI_FAST_SYSTEM_CALL_RET;

	memcpy(page + (NT_KUSER_KI_FAST_SYSTEM_CALL - NT_KUSER_SHARED_DATA),
	       nt_ki_fast_system_call, sizeof(nt_ki_fast_system_call));
	memcpy(page + (NT_KUSER_KI_FAST_SYSTEM_CALL_RET - NT_KUSER_SHARED_DATA),
	       nt_ki_fast_system_call_ret, sizeof(nt_ki_fast_system_call_ret));
	memcpy(page + (NT_KUSER_KI_INT_SYSTEM_CALL - NT_KUSER_SHARED_DATA),
	       nt_ki_int_system_call, sizeof(nt_ki_int_system_call));
}

/* vm_private_data: the gate whose page the VMA shows */
static vm_fault_t nt_kuser_fault(struct vm_fault *vmf)
{
	unsigned long gate = (unsigned long)vmf->vma->vm_private_data;
	struct page *page;

	if (vmf->pgoff || gate > NTP_GATE_INT2E)
		return VM_FAULT_SIGBUS;
	page = nt_kuser_page[gate];
	get_page(page);
	vmf->page = page;
	return 0;
}

/* Anywhere but 0x7ffe0000 it is not SharedUserData: stay put. */
static int nt_kuser_mremap(struct vm_area_struct *vma)
{
	return -EINVAL;
}

static const char *nt_kuser_vma_name(struct vm_area_struct *vma)
{
	return NT_KUSER_NAME;
}

static const struct vm_operations_struct nt_kuser_vm_ops = {
	.fault = nt_kuser_fault,
	.mremap = nt_kuser_mremap,
	.name = nt_kuser_vma_name,
};

static int nt_kuser_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	/*
	 * Read-only for good, executable whatever the anon inode mount
	 * says: the stubs run from the page. Not VM_SHARED, no VM_MAYWRITE:
	 * neither mprotect nor FOLL_FORCE can write it.
	 */
	vma->vm_flags |= VM_EXEC | VM_MAYEXEC | VM_DONTEXPAND;
	vma->vm_flags &= ~(VM_WRITE | VM_MAYWRITE);
	vma->vm_private_data = (void *)(unsigned long)NTP_GATE_SYSENTER;
	vma->vm_ops = &nt_kuser_vm_ops;
	return 0;
}

/* Only mapped by nt_arch_attach_mm(): the file is in no fd table. */
static const struct file_operations nt_kuser_fops = {
	.owner = THIS_MODULE,
	.mmap = nt_kuser_mmap,
};

static bool nt_kuser_vma(struct vm_area_struct *vma)
{
	return vma && vma->vm_start == NT_KUSER_SHARED_DATA &&
	       vma->vm_ops == &nt_kuser_vm_ops;
}

int nt_arch_attach_mm(struct nt_process *proc)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct file *file;
	unsigned long addr;
	bool present;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	vma = find_vma_intersection(mm, NT_KUSER_SHARED_DATA,
				    NT_KUSER_SHARED_DATA + PAGE_SIZE);
	/* a fork child: the copied mapping is already there */
	present = nt_kuser_vma(vma);
	mmap_read_unlock(mm);
	if (!present) {
		file = anon_inode_getfile(NT_KUSER_NAME, &nt_kuser_fops, NULL, O_RDONLY);
		if (IS_ERR(file))
			return PTR_ERR(file);
		/* never map it elsewhere: NOREPLACE fails if anything is there */
		addr = vm_mmap(file, NT_KUSER_SHARED_DATA, PAGE_SIZE, PROT_READ,
			       MAP_PRIVATE | MAP_FIXED_NOREPLACE, 0);
		fput(file);	/* the VMA holds its own reference */
		if (IS_ERR_VALUE(addr)) {
			if (addr == -EEXIST)
				pr_info_ratelimited("%s[%d]: 0x7ffe0000 is already mapped\n",
						    current->comm, current->pid);
			return addr;
		}
	}
	proc->kuser_ref = true;
	nt_kuser_get();
	return 0;
}

/* mremap is refused, so 0x7ffe0000 is the only place the page can be. */
void nt_arch_detach_mm(struct nt_process *proc)
{
	struct mm_struct *mm = current->mm;

	mmap_read_lock(mm);
	if (!nt_kuser_vma(find_vma(mm, NT_KUSER_SHARED_DATA))) {
		mmap_read_unlock(mm);
		return;
	}
	mmap_read_unlock(mm);
	vm_munmap(NT_KUSER_SHARED_DATA, PAGE_SIZE);
}

void nt_arch_process_fini(struct nt_process *proc)
{
	if (proc->kuser_ref)
		nt_kuser_put();
	proc->kuser_ref = false;
}

int nt_arch_set_gate(u32 gate)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int err = 0;

	if (gate > NTP_GATE_INT2E)
		return -EINVAL;
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	vma = find_vma(mm, NT_KUSER_SHARED_DATA);
	if (!nt_kuser_vma(vma)) {
		err = -ENOENT;
	} else if ((unsigned long)vma->vm_private_data != gate) {
		/* the next access faults in the other page */
		zap_page_range(vma, vma->vm_start, PAGE_SIZE);
		vma->vm_private_data = (void *)(unsigned long)gate;
	}
	mmap_write_unlock(mm);
	return err;
}

int nt_kuser_init(void)
{
	int gate;

	for (gate = 0; gate < 2; gate++) {
		nt_kuser_page[gate] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!nt_kuser_page[gate]) {
			nt_kuser_exit();
			return -ENOMEM;
		}
		nt_kuser_addr[gate] = page_address(nt_kuser_page[gate]);
		nt_kuser_fill(nt_kuser(gate), gate);
	}
	hrtimer_init(&nt_kuser_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	nt_kuser_timer.function = nt_kuser_tick;
	return 0;
}

/*
 * After every process is gone, and every VMA: each held the module through
 * its file, so no mapping can fault on the pages any more.
 */
void nt_kuser_exit(void)
{
	int gate;

	WARN_ON(nt_kuser_users);
	for (gate = 0; gate < 2; gate++) {
		if (nt_kuser_page[gate])
			__free_page(nt_kuser_page[gate]);
		nt_kuser_page[gate] = NULL;
		nt_kuser_addr[gate] = NULL;
	}
}

/*
 * Make current, on its way back to user mode, call NT service @service
 * with @nargs argument words, through KiIntSystemCall in its
 * SharedUserData: the frame KiIntSystemCall expects (two return addresses,
 * then the arguments) is pushed on its user stack. ps/thread.c ends a
 * thread this way, so that the thread ends in an ordinary NT call and not
 * in the middle of the task_work list it is running. -EFAULT if the stack
 * cannot take the frame, -ENOENT if the page is not mapped. The return
 * address is 0: the service is one that does not return.
 */
int nt_arch_call_service(u32 service, const u32 *args, unsigned int nargs)
{
	u32 frame[2 + 4] = { 0, 0 };
	struct vm_area_struct *vma;
	bool ours;
	int err;

	if (nargs > ARRAY_SIZE(frame) - 2)
		return -EINVAL;
	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, NT_KUSER_SHARED_DATA);
	ours = nt_kuser_vma(vma);
	mmap_read_unlock(current->mm);
	if (!ours)
		return -ENOENT;
	memcpy(frame + 2, args, nargs * sizeof(u32));
	err = nt_arch_enter_user(NT_KUSER_KI_INT_SYSTEM_CALL, frame,
				 (2 + nargs) * sizeof(u32));
	if (!err)
		task_pt_regs(current)->ax = service;
	return err;
}
