// SPDX-License-Identifier: GPL-2.0
/*
 * Time services: system time (CLOCK_REALTIME in NT units), the performance
 * counter, timer resolution, and the default locale/UI language.
 *
 * NT time is 100 ns units since 1601-01-01 UTC. The performance counter is
 * CLOCK_MONOTONIC (ktime_get) at a fixed frequency of 10 MHz, the unit NT
 * uses for everything else, so counter deltas are exact 100 ns ticks.
 *
 * Timer resolution: Linux high-resolution timers do not depend on a tick
 * rate, so NtSetTimerResolution records the request per process (what
 * NtQueryTimerResolution then reports as current) and changes nothing
 * else. The limits are XP's usual ones: 15.625 ms coarsest, 1 ms finest.
 */
#include <linux/capability.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include "ex/ex.h"
#include "internal.h"
#include "i386/arch.h"

#define NTEX_PERF_FREQUENCY	10000000LL
#define NTEX_TIMER_RES_MAX	156250u		/* coarsest, 100 ns units */
#define NTEX_TIMER_RES_MIN	10000u		/* finest */
#define NTEX_DEFAULT_LCID	0x0409		/* en-US */

/* noinline: keeps its timespec (and the canary) out of NtQuerySystemTime */
noinline s64 ntex_system_time(void)
{
	struct timespec64 ts;

	ktime_get_real_ts64(&ts);
	return ntex_time_from_timespec(&ts);
}

/*
 * What NtQuerySystemTime and SystemTimeOfDayInformation answer: the time
 * SharedUserData->SystemTime shows, brought up to date first, as XP's
 * KeQuerySystemTime reads that field: a program mixing them never sees
 * time go back.
 */
s64 ntex_query_system_time(void)
{
	u64 kuser = nt_kuser_system_time();

	return likely(kuser) ? (s64)kuser : ntex_system_time();
}

NTSTATUS NtQuerySystemTime(LARGE_INTEGER __user *SystemTime)
{
	return ntex_put_s64((s64 __user *)SystemTime, ntex_query_system_time());
}

NTSTATUS NtQueryPerformanceCounter(LARGE_INTEGER __user *PerformanceCounter,
				   LARGE_INTEGER __user *PerformanceFrequency)
{
	s64 count = ntex_ticks_from_ns(ktime_get_ns());
	s64 freq = NTEX_PERF_FREQUENCY;
	NTSTATUS status;

	/* both probed before either is written, as Windows does */
	status = ntex_probe(PerformanceCounter, sizeof(count), 1);
	if (NT_SUCCESS(status) && PerformanceFrequency)
		status = ntex_probe(PerformanceFrequency, sizeof(freq), 1);
	if (!NT_SUCCESS(status))
		return status;
	status = ntex_copy_out(PerformanceCounter, &count, sizeof(count));
	if (NT_SUCCESS(status) && PerformanceFrequency)
		status = ntex_copy_out(PerformanceFrequency, &freq, sizeof(freq));
	return status;
}

/*
 * Setting the clock needs CAP_SYS_TIME (SeSystemtimePrivilege). A NULL
 * SystemTime only checks the privilege (and still reports the time).
 */
NTSTATUS NtSetSystemTime(const LARGE_INTEGER __user *SystemTime,
			 LARGE_INTEGER __user *PreviousTime)
{
	struct timespec64 ts;
	s64 nt = 0, prev;
	NTSTATUS status;
	s32 rem;
	int err;

	if (SystemTime) {
		status = ntex_copy_in(&nt, SystemTime, sizeof(nt));
		if (!NT_SUCCESS(status))
			return status;
	}
	if (PreviousTime) {
		status = ntex_probe(PreviousTime, sizeof(prev), 1);
		if (!NT_SUCCESS(status))
			return status;
	}
	if (!capable(CAP_SYS_TIME))
		return STATUS_PRIVILEGE_NOT_HELD;
	prev = ntex_system_time();
	if (SystemTime) {
		if (nt < NTEX_EPOCH_DELTA)
			return STATUS_INVALID_PARAMETER;
		nt -= NTEX_EPOCH_DELTA;
		ts.tv_sec = div_s64_rem(nt, NTEX_TICKS_PER_SEC, &rem);
		ts.tv_nsec = rem * 100;
		err = do_settimeofday64(&ts);
		if (err)
			return nt_status_from_errno(err);
	}
	if (PreviousTime)
		return ntex_copy_out(PreviousTime, &prev, sizeof(prev));
	return STATUS_SUCCESS;
}

static u32 ntex_current_resolution(struct nt_process *proc)
{
	u32 res = READ_ONCE(proc->ex.timer_resolution);

	return res ? res : NTEX_TIMER_RES_MAX;
}

NTSTATUS NtQueryTimerResolution(ULONG __user *MaximumTime,
				ULONG __user *MinimumTime,
				ULONG __user *CurrentTime)
{
	NTSTATUS status;

	status = ntex_put_u32(MaximumTime, NTEX_TIMER_RES_MAX);
	if (NT_SUCCESS(status))
		status = ntex_put_u32(MinimumTime, NTEX_TIMER_RES_MIN);
	if (NT_SUCCESS(status))
		status = ntex_put_u32(CurrentTime,
				      ntex_current_resolution(nt_process_current()));
	return status;
}

/*
 * SetResolution TRUE records DesiredTime clamped to the limits; FALSE
 * withdraws this process's request (STATUS_TIMER_RESOLUTION_NOT_SET if it
 * made none). CurrentTime gets the resulting resolution either way.
 */
NTSTATUS NtSetTimerResolution(ULONG DesiredTime, BOOLEAN SetResolution,
			      ULONG __user *ActualTime)
{
	struct nt_process *proc = nt_process_current();
	NTSTATUS status = STATUS_SUCCESS;

	if (!ActualTime || !NT_SUCCESS(ntex_probe(ActualTime, sizeof(u32), 1)))
		return STATUS_ACCESS_VIOLATION;
	if (SetResolution & 0xff) {
		DesiredTime = clamp(DesiredTime, NTEX_TIMER_RES_MIN,
				    NTEX_TIMER_RES_MAX);
		WRITE_ONCE(proc->ex.timer_resolution, DesiredTime);
	} else if (!xchg(&proc->ex.timer_resolution, 0)) {
		status = STATUS_TIMER_RESOLUTION_NOT_SET;
	}
	if (NT_SUCCESS(ntex_put_u32(ActualTime, ntex_current_resolution(proc))))
		return status;
	return STATUS_ACCESS_VIOLATION;
}

/* There is one locale: en-US, for the user and the system. */
NTSTATUS NtQueryDefaultLocale(BOOLEAN UserProfile, ULONG __user *DefaultLocaleId)
{
	return ntex_put_u32(DefaultLocaleId, NTEX_DEFAULT_LCID);
}

NTSTATUS NtQueryDefaultUILanguage(USHORT __user *UILanguageId)
{
	u16 lang = NTEX_DEFAULT_LCID;

	return ntex_copy_out(UILanguageId, &lang, sizeof(lang));
}
