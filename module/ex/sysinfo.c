// SPDX-License-Identifier: GPL-2.0
/*
 * NtQuerySystemInformation: basic, processor, performance, time-of-day,
 * process, per-processor performance and kernel debugger information,
 * answered from Linux state.
 *
 * Length rules (XP): Basic wants the exact size, Processor and Performance
 * at least the size, TimeOfDay any length up to its size (that many bytes
 * are written), Process the whole list or STATUS_INFO_LENGTH_MISMATCH,
 * ProcessorPerformance as many processors as fit (at least one),
 * KernelDebugger at least its two bytes.
 * ReturnLength, when given, gets the size the class needs on success and
 * on STATUS_INFO_LENGTH_MISMATCH.
 *
 * Counters Linux does not expose to modules (context switches, system
 * calls, cache manager statistics) are 0. SystemProcessInformation lists
 * the Linux thread groups of the caller's pid namespace (not the idle
 * task), numbered as that namespace numbers them, as /proc shows them
 * there; pid 0 is not listed, nor is a parent outside the namespace (0).
 */
#include <linux/cpumask.h>
#include <linux/kernel_stat.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/cputime.h>
#include <linux/pid_namespace.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/time.h>
#include <asm/processor.h>
#include "ex/ex.h"
#include "internal.h"

#define NTEX_ALLOC_GRANULARITY	0x10000u
#define NTEX_USER_MIN		0x10000u
#define NTEX_USER_MAX		(TASK_SIZE - 0x10001u)	/* as XP /3GB */
#define NTEX_TIMER_RESOLUTION	156250u
/*
 * Windows 2000/XP accept up to 48 bytes of time-of-day information (NT4's
 * 32-byte structure plus 16 reserved bytes, written as zeros); Wine's
 * ntdll info test (test_query_timeofday) checks exactly that limit.
 */
#define NTEX_TIMEOFDAY_SIZE	48
/* largest kernel staging buffer for the process list (needed size, plus slack) */
#define NTEX_PROCLIST_MAX	(32u << 20)

static const struct ntex_info_class ntex_system_classes[] = {
	[SystemBasicInformation] =
		NTEX_IC(SYSTEM_BASIC_INFORMATION, 1, NTEX_IC_QUERY),
	[SystemProcessorInformation] =
		NTEX_IC(SYSTEM_PROCESSOR_INFORMATION, 1,
			NTEX_IC_QUERY | NTEX_IC_MIN_SIZE),
	[SystemPerformanceInformation] =
		NTEX_IC(SYSTEM_PERFORMANCE_INFORMATION, 1,
			NTEX_IC_QUERY | NTEX_IC_MIN_SIZE),
	[SystemTimeOfDayInformation] = { NTEX_TIMEOFDAY_SIZE, 1,
					  NTEX_IC_QUERY | NTEX_IC_UP_TO_SIZE },
	[SystemProcessInformation] = { 0, 1, NTEX_IC_QUERY | NTEX_IC_MIN_SIZE },
	[SystemProcessorPerformanceInformation] =
		NTEX_IC(SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION, 1,
			NTEX_IC_QUERY | NTEX_IC_MIN_SIZE),
	[SystemKernelDebuggerInformation] =
		NTEX_IC(SYSTEM_KERNEL_DEBUGGER_INFORMATION, 1,
			NTEX_IC_QUERY | NTEX_IC_MIN_SIZE),
};

static void ntex_basic_info(SYSTEM_BASIC_INFORMATION *sbi)
{
	unsigned long pages = totalram_pages();
	u32 mask = 0;
	int cpu;

	for_each_online_cpu(cpu)
		if (cpu < 32)
			mask |= 1u << cpu;
	sbi->TimerResolution = NTEX_TIMER_RESOLUTION;
	sbi->PageSize = PAGE_SIZE;
	sbi->NumberOfPhysicalPages = pages;
	sbi->LowestPhysicalPageNumber = 1;
	sbi->HighestPhysicalPageNumber = pages;
	sbi->AllocationGranularity = NTEX_ALLOC_GRANULARITY;
	sbi->MinimumUserModeAddress = NTEX_USER_MIN;
	sbi->MaximumUserModeAddress = NTEX_USER_MAX;
	sbi->ActiveProcessorsAffinityMask = mask;
	sbi->NumberOfProcessors = min(num_online_cpus(), 32u);
}

/* KF_* feature bits of the XP kernel (ProcessorFeatureBits) */
#define NTEX_KF_RDTSC		0x00000002
#define NTEX_KF_CR4		0x00000004
#define NTEX_KF_CMOV		0x00000008
#define NTEX_KF_GLOBAL_PAGE	0x00000010
#define NTEX_KF_LARGE_PAGE	0x00000020
#define NTEX_KF_MTRR		0x00000040
#define NTEX_KF_CMPXCHG8B	0x00000080
#define NTEX_KF_MMX		0x00000100
#define NTEX_KF_PAT		0x00000400
#define NTEX_KF_FXSR		0x00000800
#define NTEX_KF_FAST_SYSCALL	0x00001000
#define NTEX_KF_XMMI		0x00002000
#define NTEX_KF_3DNOW		0x00004000
#define NTEX_KF_XMMI64		0x00010000
#define NTEX_KF_NX_BIT		0x20000000

static void ntex_processor_info(SYSTEM_PROCESSOR_INFORMATION *spi)
{
	static const struct { u16 feature; u32 kf; } map[] = {
		{ X86_FEATURE_TSC, NTEX_KF_RDTSC },
		{ X86_FEATURE_CMOV, NTEX_KF_CMOV },
		{ X86_FEATURE_PGE, NTEX_KF_GLOBAL_PAGE },
		{ X86_FEATURE_PSE, NTEX_KF_LARGE_PAGE },
		{ X86_FEATURE_MTRR, NTEX_KF_MTRR },
		{ X86_FEATURE_CX8, NTEX_KF_CMPXCHG8B },
		{ X86_FEATURE_MMX, NTEX_KF_MMX },
		{ X86_FEATURE_PAT, NTEX_KF_PAT },
		{ X86_FEATURE_FXSR, NTEX_KF_FXSR },
		{ X86_FEATURE_SEP, NTEX_KF_FAST_SYSCALL },
		{ X86_FEATURE_XMM, NTEX_KF_XMMI },
		{ X86_FEATURE_3DNOW, NTEX_KF_3DNOW },
		{ X86_FEATURE_XMM2, NTEX_KF_XMMI64 },
		{ X86_FEATURE_NX, NTEX_KF_NX_BIT },
	};
	u32 bits = NTEX_KF_CR4;
	int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (boot_cpu_has(map[i].feature))
			bits |= map[i].kf;
	spi->ProcessorArchitecture = 0;		/* PROCESSOR_ARCHITECTURE_INTEL */
	spi->ProcessorLevel = min_t(u8, boot_cpu_data.x86, 6);
	spi->ProcessorRevision = (boot_cpu_data.x86_model << 8) |
				 boot_cpu_data.x86_stepping;
	spi->ProcessorFeatureBits = bits;
}

static void ntex_performance_info(SYSTEM_PERFORMANCE_INFORMATION *spi)
{
	u64 idle = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		idle += kcpustat_cpu(cpu).cpustat[CPUTIME_IDLE];
	spi->IdleProcessTime.QuadPart = ntex_ticks_from_ns(idle);
	spi->AvailablePages = si_mem_available();
	spi->CommittedPages = vm_memory_committed();
	spi->CommitLimit = totalram_pages();
	spi->PeakCommitment = spi->CommittedPages;
}

/*
 * SystemProcessorPerformanceInformation: one entry per processor for as
 * many as @len holds (at least one, else STATUS_INFO_LENGTH_MISMATCH with
 * the size all of them need), as XP's ExpQuerySystemInformation fills it
 * (Wine ntdll/tests/info.c, test_query_procperf). Times from the CPU's
 * kernel_cpustat, as /proc/stat reads them; NT's KernelTime includes the
 * idle time.
 */
static NTSTATUS ntex_processor_performance(void __user *buf, u32 len, u32 *needed)
{
	SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION *p;
	u32 size = sizeof(*p), n = 0, max;
	NTSTATUS status;
	int cpu;

	max = min(num_online_cpus(), 32u);
	*needed = max * size;
	if (len < size)
		return STATUS_INFO_LENGTH_MISMATCH;
	max = min(max, len / size);
	p = kcalloc(max, size, GFP_KERNEL_ACCOUNT);
	if (!p)
		return STATUS_NO_MEMORY;
	for_each_online_cpu(cpu) {
		const u64 *t = kcpustat_cpu(cpu).cpustat;
		u64 irq = t[CPUTIME_IRQ], softirq = t[CPUTIME_SOFTIRQ];
		u64 idle = t[CPUTIME_IDLE] + t[CPUTIME_IOWAIT];

		if (n == max)
			break;
		p[n].IdleTime.QuadPart = ntex_ticks_from_ns(idle);
		p[n].KernelTime.QuadPart = ntex_ticks_from_ns(idle + t[CPUTIME_SYSTEM] +
							      irq + softirq);
		p[n].UserTime.QuadPart = ntex_ticks_from_ns(t[CPUTIME_USER] +
							    t[CPUTIME_NICE]);
		p[n].DpcTime.QuadPart = ntex_ticks_from_ns(softirq);
		p[n].InterruptTime.QuadPart = ntex_ticks_from_ns(irq);
		p[n].InterruptCount = kstat_cpu_irqs_sum(cpu);
		n++;
	}
	*needed = n * size;
	status = ntex_copy_out(buf, p, n * size);
	kfree(p);
	return status;
}

static s64 ntex_boot_time(void)
{
	return ntex_system_time() - ntex_ticks_from_ns(ktime_get_boottime_ns());
}

static void ntex_timeofday_info(SYSTEM_TIME_OF_DAY_INFORMATION *sti)
{
	sti->CurrentTime.QuadPart = ntex_query_system_time();
	sti->BootTime.QuadPart = ntex_boot_time();
	sti->TimeZoneBias.QuadPart = (s64)sys_tz.tz_minuteswest * 60 * NTEX_TICKS_PER_SEC;
	sti->TimeZoneId = 0;			/* TIME_ZONE_ID_UNKNOWN */
}

/* Staging state of the process list: a kernel copy of the user buffer. */
struct ntex_proclist {
	u8 *buf;
	u32 cap;		/* bytes of @buf */
	u32 user;		/* user address of the buffer */
	u32 needed;		/* bytes the whole list takes */
	u32 last;		/* offset of the last entry written, or ~0 */
	bool truncated;
	s64 boot;
	struct pid_namespace *ns;	/* the caller's: who is listed, and how */
};

static u32 ntex_thread_state(struct task_struct *t)
{
	return task_is_running(t) ? 2 : 5;	/* Running : Waiting */
}

static void ntex_add_process(struct ntex_proclist *pl, struct task_struct *p)
{
	u32 start = pl->needed, off = start + sizeof(SYSTEM_PROCESS_INFORMATION);
	u32 name_len = strnlen(p->comm, TASK_COMM_LEN), nthreads = 0, size, i;
	SYSTEM_PROCESS_INFORMATION *spi;
	u64 utime = 0, stime = 0;
	struct task_struct *t;
	struct mm_struct *mm;

	for_each_thread(p, t) {
		SYSTEM_THREAD_INFORMATION *sti = (void *)(pl->buf + off);

		utime += t->utime;
		stime += t->stime;
		if (off + sizeof(*sti) <= pl->cap) {
			sti->KernelTime.QuadPart = ntex_ticks_from_ns(t->stime);
			sti->UserTime.QuadPart = ntex_ticks_from_ns(t->utime);
			sti->CreateTime.QuadPart = pl->boot +
					  ntex_ticks_from_ns(t->start_boottime);
			sti->ClientId.UniqueProcess = task_tgid_nr_ns(p, pl->ns);
			sti->ClientId.UniqueThread = task_pid_nr_ns(t, pl->ns);
			sti->Priority = 8;
			sti->BasePriority = 8;
			sti->ContextSwitches = t->nvcsw + t->nivcsw;
			sti->ThreadState = ntex_thread_state(t);
		}
		off += sizeof(*sti);
		nthreads++;
	}
	size = ALIGN(off + (name_len + 1) * 2 - start, 8);
	pl->needed += size;
	if (start + size > pl->cap) {
		pl->truncated = true;
		return;
	}
	for (i = 0; i < name_len; i++)
		((__le16 *)(pl->buf + off))[i] = cpu_to_le16((u8)p->comm[i]);
	spi = (void *)(pl->buf + start);
	spi->NumberOfThreads = nthreads;
	spi->CreateTime.QuadPart = pl->boot + ntex_ticks_from_ns(p->start_boottime);
	spi->UserTime.QuadPart = ntex_ticks_from_ns(utime);
	spi->KernelTime.QuadPart = ntex_ticks_from_ns(stime);
	spi->ImageName.Length = name_len * 2;
	spi->ImageName.MaximumLength = (name_len + 1) * 2;
	spi->ImageName.Buffer = pl->user + off;
	spi->BasePriority = 8;
	spi->UniqueProcessId = task_tgid_nr_ns(p, pl->ns);
	spi->InheritedFromUniqueProcessId =
		task_tgid_nr_ns(rcu_dereference(p->real_parent), pl->ns);
	task_lock(p);
	mm = p->mm;
	if (mm) {
		spi->VmCounters.VirtualSize = mm->total_vm << PAGE_SHIFT;
		spi->VmCounters.PeakVirtualSize = max(mm->hiwater_vm, mm->total_vm) << PAGE_SHIFT;
		spi->VmCounters.WorkingSetSize = get_mm_rss(mm) << PAGE_SHIFT;
		spi->VmCounters.PeakWorkingSetSize = max(mm->hiwater_rss, get_mm_rss(mm))
					  << PAGE_SHIFT;
		spi->PrivatePageCount = get_mm_counter(mm, MM_ANONPAGES) << PAGE_SHIFT;
		spi->VmCounters.PagefileUsage = spi->PrivatePageCount;
		spi->VmCounters.PeakPagefileUsage = spi->PrivatePageCount;
	}
	task_unlock(p);
	spi->VmCounters.PageFaultCount = p->maj_flt + p->min_flt;
	if (pl->last != ~0u)
		((SYSTEM_PROCESS_INFORMATION *)(pl->buf + pl->last))->NextEntryOffset =
			start - pl->last;
	pl->last = start;
}

/*
 * The list is staged in kernel memory charged to the caller, no larger
 * than it needs: a first pass only sizes it (nothing is written with a
 * zero cap), so a buffer that is too small costs no allocation; then it is
 * written into that size plus room for processes started meanwhile, and
 * taken again if it outgrew even that.
 */
static NTSTATUS ntex_process_list(void __user *buf, u32 len, u32 *needed)
{
	struct ntex_proclist pl = { };
	struct task_struct *p;
	NTSTATUS status;
	u32 cap = 0;
	int pass;

	for (pass = 0; pass < 4; pass++) {
		pl = (struct ntex_proclist) {
			.cap = cap,
			.user = (u32)(unsigned long)buf,
			.last = ~0u,
			.boot = ntex_boot_time(),
			.ns = task_active_pid_ns(current),
		};
		if (cap) {
			pl.buf = kvzalloc(cap, GFP_KERNEL_ACCOUNT);
			if (!pl.buf)
				return STATUS_NO_MEMORY;
		}
		rcu_read_lock();
		for_each_process(p)
			if (task_tgid_nr_ns(p, pl.ns))	/* 0: not in our namespace */
				ntex_add_process(&pl, p);
		rcu_read_unlock();
		*needed = pl.needed;
		if (pl.needed > len) {
			status = STATUS_INFO_LENGTH_MISMATCH;
			goto out;
		}
		if (pl.buf && !pl.truncated) {
			status = ntex_copy_out(buf, pl.buf, pl.needed);
			goto out;
		}
		kvfree(pl.buf);
		pl.buf = NULL;
		if (pl.needed > NTEX_PROCLIST_MAX)
			break;
		cap = min3(len, NTEX_PROCLIST_MAX,
			   pl.needed + pl.needed / 8 + (u32)PAGE_SIZE);
	}
	return STATUS_INSUFFICIENT_RESOURCES;
out:
	kvfree(pl.buf);
	return status;
}

NTSTATUS NtQuerySystemInformation(SYSTEM_INFORMATION_CLASS SystemInformationClass,
				  void __user *SystemInformation,
				  ULONG SystemInformationLength,
				  ULONG __user *ReturnLength)
{
	union {
		SYSTEM_BASIC_INFORMATION basic;
		SYSTEM_PROCESSOR_INFORMATION processor;
		SYSTEM_PERFORMANCE_INFORMATION perf;
		SYSTEM_TIME_OF_DAY_INFORMATION tod;
		u8 tod_xp[NTEX_TIMEOFDAY_SIZE];
		SYSTEM_KERNEL_DEBUGGER_INFORMATION kd;
	} *info;
	u32 cls = SystemInformationClass, len = SystemInformationLength;
	NTSTATUS status;
	u32 needed;

	status = ntex_check_info(ntex_system_classes,
				 ARRAY_SIZE(ntex_system_classes), cls, false,
				 SystemInformation, len, &needed);
	if (status == STATUS_INFO_LENGTH_MISMATCH &&
	    cls == SystemProcessorPerformanceInformation)
		status = ntex_processor_performance(SystemInformation, len, &needed);
	/* XP reports nothing for too long a time of day (Wine info.c) */
	if (status == STATUS_INFO_LENGTH_MISMATCH &&
	    cls == SystemTimeOfDayInformation)
		needed = 0;
	if (status == STATUS_INFO_LENGTH_MISMATCH)
		goto out_len;
	if (!NT_SUCCESS(status))
		return status;
	if (cls == SystemProcessInformation) {
		status = ntex_process_list(SystemInformation, len, &needed);
		goto out_len;
	}
	if (cls == SystemProcessorPerformanceInformation) {
		status = ntex_processor_performance(SystemInformation, len, &needed);
		goto out_len;
	}
	info = kzalloc(sizeof(*info), GFP_KERNEL_ACCOUNT);
	if (!info)
		return STATUS_NO_MEMORY;
	switch (cls) {
	case SystemBasicInformation:
		ntex_basic_info(&info->basic);
		break;
	case SystemProcessorInformation:
		ntex_processor_info(&info->processor);
		break;
	case SystemPerformanceInformation:
		ntex_performance_info(&info->perf);
		break;
	case SystemTimeOfDayInformation:
		ntex_timeofday_info(&info->tod);
		break;
	case SystemKernelDebuggerInformation:
		/* no kernel debugger: not enabled, not present */
		info->kd.KernelDebuggerNotPresent = TRUE;
		break;
	}
	status = ntex_copy_out(SystemInformation, info, needed);
	kfree(info);
out_len:
	if (ReturnLength && (NT_SUCCESS(status) ||
			     status == STATUS_INFO_LENGTH_MISMATCH)) {
		if (!NT_SUCCESS(ntex_put_u32(ReturnLength, needed)))
			return STATUS_ACCESS_VIOLATION;
	}
	return status;
}
