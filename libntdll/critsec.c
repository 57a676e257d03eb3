// SPDX-License-Identifier: GPL-2.0
/*
 * Critical sections with XP's layout and protocol, so that code which
 * peeks at the fields (debuggers, old programs) sees what it expects:
 *
 *  - LockCount starts at -1; every thread that wants the section
 *    increments it, so 0 means owned and n > 0 means n waiters.
 *  - The owner re-entering bumps RecursionCount (and LockCount).
 *  - A thread that finds the section owned waits on LockSemaphore, an
 *    auto-reset event made at the first contention; the owner leaving
 *    with waiters sets it, and the one thread it wakes is the new owner
 *    (it already counted itself in LockCount). An auto-reset event keeps
 *    a set that comes before the wait, so no wake-up is lost.
 *
 * The event is created by whichever side needs it first, the waiter or
 * the leaver, and installed with a compare-and-swap; the loser closes its
 * own. XP raises STATUS_NO_MEMORY when it cannot make the event (or
 * falls back to a keyed event); here the waiter retries after a short
 * delay, which ends when memory is available again. SpinCount is kept
 * and honoured on multiprocessors before waiting.
 */
#include "ntdll_private.h"

static HANDLE cs_event(RTL_CRITICAL_SECTION *cs)
{
	LARGE_INTEGER delay;
	HANDLE h, old;

	while (!(h = cs->LockSemaphore)) {
		if (NT_SUCCESS(NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL,
					     SynchronizationEvent, FALSE))) {
			old = __sync_val_compare_and_swap(&cs->LockSemaphore,
							  (HANDLE)0, h);
			if (!old)
				return h;
			NtClose(h);
			return old;
		}
		delay.QuadPart = -10 * 1000;	/* 1 ms */
		NtDelayExecution(FALSE, &delay);
	}
	return h;
}

static HANDLE self_id(void)
{
	return NtCurrentTeb()->ClientId.UniqueThread;
}

NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(
	RTL_CRITICAL_SECTION *cs, ULONG SpinCount)
{
	cs->DebugInfo = NULL;
	cs->LockCount = -1;
	cs->RecursionCount = 0;
	cs->OwningThread = 0;
	cs->LockSemaphore = 0;
	cs->SpinCount = SpinCount & 0x00ffffff;	/* the rest are flags */
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlInitializeCriticalSection(RTL_CRITICAL_SECTION *cs)
{
	return RtlInitializeCriticalSectionAndSpinCount(cs, 0);
}

NTSTATUS NTAPI RtlDeleteCriticalSection(RTL_CRITICAL_SECTION *cs)
{
	if (cs->LockSemaphore)
		NtClose(cs->LockSemaphore);
	cs->LockSemaphore = 0;
	cs->LockCount = -1;
	cs->RecursionCount = 0;
	cs->OwningThread = 0;
	return STATUS_SUCCESS;
}

BOOLEAN NTAPI RtlTryEnterCriticalSection(RTL_CRITICAL_SECTION *cs)
{
	HANDLE me = self_id();

	if (__sync_bool_compare_and_swap(&cs->LockCount, -1, 0)) {
		cs->OwningThread = me;
		cs->RecursionCount = 1;
		return TRUE;
	}
	if (cs->OwningThread == me) {
		__sync_fetch_and_add(&cs->LockCount, 1);
		cs->RecursionCount++;
		return TRUE;
	}
	return FALSE;
}

NTSTATUS NTAPI RtlEnterCriticalSection(RTL_CRITICAL_SECTION *cs)
{
	HANDLE me = self_id();
	ULONG spin;

	for (spin = cs->SpinCount; spin; spin--) {
		if (RtlTryEnterCriticalSection(cs))
			return STATUS_SUCCESS;
		if (cs->LockCount > 0)
			break;		/* others wait already: join them */
		__asm__ __volatile__("pause");
	}
	if (__sync_add_and_fetch(&cs->LockCount, 1)) {
		if (cs->OwningThread == me) {
			cs->RecursionCount++;
			return STATUS_SUCCESS;
		}
		NtWaitForSingleObject(cs_event(cs), FALSE, NULL);
	}
	cs->OwningThread = me;
	cs->RecursionCount = 1;
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlLeaveCriticalSection(RTL_CRITICAL_SECTION *cs)
{
	if (--cs->RecursionCount) {
		__sync_sub_and_fetch(&cs->LockCount, 1);
		return STATUS_SUCCESS;
	}
	cs->OwningThread = 0;
	if (__sync_sub_and_fetch(&cs->LockCount, 1) >= 0)
		NtSetEvent(cs_event(cs), NULL);
	return STATUS_SUCCESS;
}
