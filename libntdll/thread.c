// SPDX-License-Identifier: GPL-2.0
/*
 * Threads as XP's ntdll makes them: RtlCreateUserThread reserves and
 * commits a stack (with a guard page below the committed part), describes
 * it in an INITIAL_TEB, and starts StartAddress(Parameter) on it through
 * NtCreateThread with a CONTEXT as RtlInitializeContext builds it: XP's
 * selectors, interrupts on, the parameter above a return address of 0 (a
 * thread routine ends with RtlExitUserThread, it does not return).
 * RtlExitUserThread ends the thread, or the process if it is the last
 * thread, and has the kernel free its stack on the way out
 * (TEB.FreeStackOnTermination), as kernel32's ExitThread does on XP.
 *
 * In ntdll.dll a thread made here starts in the loader's thread start
 * (ldr.c: its static TLS, DLL_THREAD_ATTACH to every DLL) before
 * StartAddress, and RtlExitUserThread sends DLL_THREAD_DETACH first
 * (LdrShutdownThread), the order XP's loader gives them. XP runs the
 * attach from LdrInitializeThunk, where its kernel starts every thread;
 * this kernel does too once ntpeload registered it (then LdrpThreadStart
 * finds the attach done), so a bare NtCreateThread thread gets it also.
 */
#include <stdint.h>
#include "ntdll_private.h"

#define NTDLL_STACK_RESERVE	0x100000	/* XP's default: 1 MiB */
#define NTDLL_STACK_COMMIT	0x1000
#define NTDLL_PAGE		0x1000

NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, void *SecurityDescriptor,
				   BOOLEAN CreateSuspended, ULONG StackZeroBits,
				   SIZE_T StackReserve, SIZE_T StackCommit,
				   void *StartAddress, void *Parameter,
				   HANDLE *Thread, CLIENT_ID *ClientId)
{
	SIZE_T reserve = StackReserve ? StackReserve : NTDLL_STACK_RESERVE;
	SIZE_T commit = StackCommit ? StackCommit : NTDLL_STACK_COMMIT;
	SIZE_T size, zero = 0;
	uint8_t *base = NULL, *top, *p;
	OBJECT_ATTRIBUTES oa;
	INITIAL_TEB iteb;
	CLIENT_ID cid;
	CONTEXT ctx;
	uint32_t frame[3];
	NTSTATUS st;
	HANDLE h;

	(void)SecurityDescriptor;	/* threads carry no security here yet */
	reserve = (reserve + 0xffff) & ~0xffffu;
	commit = (commit + NTDLL_PAGE - 1) & ~(NTDLL_PAGE - 1);
	if (commit + NTDLL_PAGE > reserve)
		reserve = (commit + NTDLL_PAGE + 0xffff) & ~0xffffu;
	size = reserve;
	st = NtAllocateVirtualMemory(Process, (void **)&base, StackZeroBits, &size,
				     MEM_RESERVE, PAGE_READWRITE);
	if (!NT_SUCCESS(st))
		return st;
	top = base + reserve;
	p = top - commit;
	size = commit;
	st = NtAllocateVirtualMemory(Process, (void **)&p, 0, &size, MEM_COMMIT,
				     PAGE_READWRITE);
	if (NT_SUCCESS(st)) {
		p = top - commit - NTDLL_PAGE;
		size = NTDLL_PAGE;
		st = NtAllocateVirtualMemory(Process, (void **)&p, 0, &size,
					     MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
	}
	if (!NT_SUCCESS(st))
		goto free_stack;

	memset(&iteb, 0, sizeof(iteb));
	iteb.StackBase = top;
	iteb.StackLimit = top - commit;
	iteb.AllocatedStackBase = base;

	/* RtlInitializeContext: [return address 0][Parameter] at the top */
	frame[0] = 0;
#ifdef NTDLL_PE
	/* LdrpThreadStart(StartAddress, Parameter) */
	frame[1] = (uint32_t)(uintptr_t)StartAddress;
	frame[2] = (uint32_t)(uintptr_t)Parameter;
#else
	frame[1] = (uint32_t)(uintptr_t)Parameter;
	frame[2] = 0;
#endif
	st = NtWriteVirtualMemory(Process, top - sizeof(frame), frame,
				  sizeof(frame), NULL);
	if (!NT_SUCCESS(st))
		goto free_stack;
	memset(&ctx, 0, sizeof(ctx));
	ctx.ContextFlags = CONTEXT_FULL;
	ctx.SegCs = NT_USER_CS;
	ctx.SegSs = ctx.SegDs = ctx.SegEs = NT_USER_DS;
	ctx.SegFs = NT_TEB_SELECTOR;
	ctx.EFlags = 0x200;			/* IF */
	ctx.Esp = (uint32_t)(uintptr_t)(top - sizeof(frame));
#ifdef NTDLL_PE
	ctx.Eip = (uint32_t)(uintptr_t)LdrpThreadStart;
#else
	ctx.Eip = (uint32_t)(uintptr_t)StartAddress;
#endif

	InitializeObjectAttributes(&oa, NULL, 0, NULL, NULL);
	st = NtCreateThread(&h, THREAD_ALL_ACCESS, &oa, Process, &cid, &ctx,
			    &iteb, CreateSuspended);
	if (!NT_SUCCESS(st))
		goto free_stack;
	if (Thread)
		*Thread = h;
	else
		NtClose(h);
	if (ClientId)
		*ClientId = cid;
	return STATUS_SUCCESS;

free_stack:
	NtFreeVirtualMemory(Process, (void **)&base, &zero, MEM_RELEASE);
	return st;
}

void NTAPI RtlExitUserThread(NTSTATUS Status)
{
	ULONG last = 0;

	NtQueryInformationThread(NtCurrentThread(), ThreadAmILastThread, &last,
				 sizeof(last), NULL);
	if (last) {
#ifdef NTDLL_PE
		LdrShutdownProcess();
#endif
		NtTerminateProcess(NtCurrentProcess(), Status);
	}
#ifdef NTDLL_PE
	LdrShutdownThread();
#endif
	RtlpFreeTlsExpansion();		/* LdrShutdownThread's part */
	NtCurrentTeb()->FreeStackOnTermination = TRUE;
	NtTerminateThread(NtCurrentThread(), Status);
	__builtin_trap();	/* not reached: the thread is gone */
}
