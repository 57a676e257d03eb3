// SPDX-License-Identifier: GPL-2.0
/*
 * Threads of a native program: RtlCreateUserThread three times, each
 * thread adding to a counter under a critical section with a block from
 * the process heap, RtlExitUserThread with a status the parent reads
 * back after NtWaitForSingleObject.
 */
#include "native.h"

#define ROUNDS 1000

/* XP's THREAD_BASIC_INFORMATION (mingw's winternl.h has only the class) */
struct thread_basic {
	NTSTATUS ExitStatus;
	PVOID TebBaseAddress;
	CLIENT_ID ClientId;
	ULONG_PTR AffinityMask;
	LONG Priority;
	LONG BasePriority;
};

static RTL_CRITICAL_SECTION cs;
static volatile LONG counter, inside, overlap;

static VOID NTAPI worker(PVOID param)
{
	PVOID heap = *(PVOID *)((char *)NtCurrentTeb()->ProcessEnvironmentBlock + 0x18);
	int i;

	for (i = 0; i < ROUNDS; i++) {
		char *p = RtlAllocateHeap(heap, HEAP_ZERO_MEMORY, 64);

		RtlEnterCriticalSection(&cs);
		if (inside++)
			overlap = 1;
		counter += p && !p[63];
		inside--;
		RtlLeaveCriticalSection(&cs);
		RtlFreeHeap(heap, 0, p);
	}
	RtlExitUserThread(0x100 + (ULONG)(ULONG_PTR)param);
}

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	struct thread_basic tbi;
	HANDLE h[3];
	char buf[96];
	ULONG codes = 0;
	int i;

	RtlInitializeCriticalSection(&cs);
	for (i = 0; i < 3; i++)
		if (RtlCreateUserThread((HANDLE)-1, NULL, FALSE, 0, 0, 0,
					worker, (PVOID)(ULONG_PTR)i, &h[i], NULL))
			return 1;
	for (i = 0; i < 3; i++) {
		NtWaitForSingleObject(h[i], FALSE, NULL);
		NtQueryInformationThread(h[i], ThreadBasicInformation, &tbi,
					 sizeof(tbi), NULL);
		codes += tbi.ExitStatus;
		NtClose(h[i]);
	}
	_snprintf(buf, sizeof(buf), "threads: %ld overlap=%ld codes=%#lx\n",
		  counter, overlap, codes);
	out(buf);
	return 0;
}
