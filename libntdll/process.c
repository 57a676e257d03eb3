// SPDX-License-Identifier: GPL-2.0
/*
 * RtlCreateUserProcess as XP's ntdll does it (behaviour from ReactOS's
 * lib/rtl/process.c and Wine's dlls/ntdll/process.c; no code taken):
 *
 *   NtOpenFile(image) -> NtCreateSection(SEC_IMAGE) -> NtCreateProcess
 *   (the kernel maps the image and ntdll.dll and makes the PEB) ->
 *   the environment and the process parameters copied into the child
 *   (NtAllocateVirtualMemory + NtWriteVirtualMemory), its PEB pointed at
 *   them -> a stack there as the image asks (SizeOfStackReserve, a guard
 *   page at the bottom) -> NtCreateThread(suspended) with the CONTEXT of
 *   RtlInitializeContext: Eip the image's entry, Esp at [0][PEB] (a return
 *   slot, NtProcessStartup's argument).
 *
 * The caller resumes the thread (NtResumeThread), as on XP. The
 * parameters are written normalized (absolute pointers in the child):
 * this loader reads them so, where XP's child normalizes them itself.
 * The whole stack is committed (the kernel does not grow stacks on
 * guard-page faults yet, as for ntpeload's first thread).
 * Security descriptors are ignored (the child has its creator's
 * credentials), as RtlCreateUserThread ignores its own.
 */
#include <stdint.h>
#include "ntdll_private.h"

#define PAGE		0x1000u
#define GRANULE		0x10000u

static void put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Bytes of an environment block: strings up to the empty one, included. */
static SIZE_T env_size(const WCHAR *env)
{
	const WCHAR *p = env;

	while (*p)
		while (*p++)
			;
	return (SIZE_T)(p + 1 - env) * sizeof(WCHAR);
}

static NTSTATUS copy_into(HANDLE process, const void *data, SIZE_T size,
			  void **at)
{
	SIZE_T alloc = size;
	NTSTATUS st;

	*at = NULL;
	st = NtAllocateVirtualMemory(process, at, 0, &alloc,
				     MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
	if (NT_SUCCESS(st))
		st = NtWriteVirtualMemory(process, *at, data, size, NULL);
	return st;
}

/* One string of the block, as a pointer into the child's copy at @child. */
static void rebase(RTL_USER_PROCESS_PARAMETERS *pp, UNICODE_STRING *s,
		   uintptr_t child, int normalized)
{
	uintptr_t off = (uintptr_t)s->Buffer;

	if (!s->Buffer)
		return;
	if (normalized)
		off -= (uintptr_t)pp;
	s->Buffer = (WCHAR *)(child + off);
}

/* Parameters and environment into the child; PEB->ProcessParameters. */
static NTSTATUS write_params(HANDLE process, PEB *peb,
			     const RTL_USER_PROCESS_PARAMETERS *src)
{
	RTL_USER_PROCESS_PARAMETERS *pp;
	int normalized = !!(src->Flags & RTL_USER_PROC_PARAMS_NORMALIZED);
	SIZE_T size = src->Length, alloc = size;
	void *env = NULL, *at = NULL;
	NTSTATUS st;

	if (src->Environment) {
		st = copy_into(process, src->Environment,
			       env_size(src->Environment), &env);
		if (!NT_SUCCESS(st))
			return st;
	}
	st = NtAllocateVirtualMemory(process, &at, 0, &alloc,
				     MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
	if (!NT_SUCCESS(st))
		return st;
	pp = RtlAllocateHeap(ntdll_process_heap(), 0, size);
	if (!pp)
		return STATUS_NO_MEMORY;
	memcpy(pp, src, size);
	rebase(pp, &pp->CurrentDirectory.DosPath, (uintptr_t)at, normalized);
	rebase(pp, &pp->DllPath, (uintptr_t)at, normalized);
	rebase(pp, &pp->ImagePathName, (uintptr_t)at, normalized);
	rebase(pp, &pp->CommandLine, (uintptr_t)at, normalized);
	rebase(pp, &pp->WindowTitle, (uintptr_t)at, normalized);
	rebase(pp, &pp->DesktopInfo, (uintptr_t)at, normalized);
	rebase(pp, &pp->ShellInfo, (uintptr_t)at, normalized);
	rebase(pp, &pp->RuntimeData, (uintptr_t)at, normalized);
	pp->Environment = env;
	pp->Flags |= RTL_USER_PROC_PARAMS_NORMALIZED;
	st = NtWriteVirtualMemory(process, at, pp, size, NULL);
	RtlFreeHeap(ntdll_process_heap(), 0, pp);
	if (NT_SUCCESS(st))
		st = NtWriteVirtualMemory(process, &peb->ProcessParameters, &at,
					  sizeof(at), NULL);
	return st;
}

/* The first thread: its stack, its CONTEXT, created suspended. */
static NTSTATUS first_thread(HANDLE process, PEB *peb,
			     const SECTION_IMAGE_INFORMATION *sii,
			     HANDLE *thread, CLIENT_ID *cid)
{
	SIZE_T reserve = (sii->MaximumStackSize + GRANULE - 1) & ~(GRANULE - 1);
	SIZE_T size;
	uint8_t *base = NULL, *p, frame[8];
	INITIAL_TEB iteb;
	CONTEXT ctx;
	NTSTATUS st;

	if (reserve < 2 * GRANULE)
		reserve = 2 * GRANULE;
	size = reserve;
	st = NtAllocateVirtualMemory(process, (void **)&base, 0, &size,
				     MEM_RESERVE, PAGE_READWRITE);
	if (!NT_SUCCESS(st))
		return st;
	p = base + PAGE;
	size = reserve - PAGE;
	st = NtAllocateVirtualMemory(process, (void **)&p, 0, &size, MEM_COMMIT,
				     PAGE_READWRITE);
	if (NT_SUCCESS(st)) {
		p = base;
		size = PAGE;
		st = NtAllocateVirtualMemory(process, (void **)&p, 0, &size,
					     MEM_COMMIT,
					     PAGE_READWRITE | PAGE_GUARD);
	}
	if (!NT_SUCCESS(st))
		return st;
	memset(&iteb, 0, sizeof(iteb));
	iteb.StackBase = base + reserve;
	iteb.StackLimit = base + PAGE;
	iteb.AllocatedStackBase = base;

	/* RtlInitializeContext: [return slot 0][PEB], the entry in Eax */
	put_u32(frame, 0);
	put_u32(frame + 4, (uint32_t)(uintptr_t)peb);
	st = NtWriteVirtualMemory(process, base + reserve - sizeof(frame), frame,
				  sizeof(frame), NULL);
	if (!NT_SUCCESS(st))
		return st;
	memset(&ctx, 0, sizeof(ctx));
	ctx.ContextFlags = CONTEXT_FULL;
	ctx.SegCs = NT_USER_CS;
	ctx.SegSs = ctx.SegDs = ctx.SegEs = NT_USER_DS;
	ctx.SegFs = NT_TEB_SELECTOR;
	ctx.EFlags = 0x200;			/* IF */
	ctx.Esp = (uint32_t)(uintptr_t)(base + reserve - sizeof(frame));
	ctx.Eip = (uint32_t)(uintptr_t)sii->TransferAddress;
	ctx.Eax = ctx.Eip;
	ctx.Ebx = (uint32_t)(uintptr_t)peb;
	return NtCreateThread(thread, THREAD_ALL_ACCESS, NULL, process, cid, &ctx,
			      &iteb, TRUE);
}

NTSTATUS NTAPI RtlCreateUserProcess(UNICODE_STRING *NtImagePathName,
				    ULONG Attributes,
				    RTL_USER_PROCESS_PARAMETERS *ProcessParameters,
				    void *ProcessSecurityDescriptor,
				    void *ThreadSecurityDescriptor,
				    HANDLE ParentProcess, BOOLEAN InheritHandles,
				    HANDLE DebugPort, HANDLE ExceptionPort,
				    RTL_USER_PROCESS_INFORMATION *Info)
{
	PROCESS_BASIC_INFORMATION pbi;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK iosb;
	HANDLE file, section, process = NULL, thread = NULL;
	NTSTATUS st;

	(void)ProcessSecurityDescriptor;
	(void)ThreadSecurityDescriptor;
	if (!NtImagePathName || !ProcessParameters || !Info)
		return STATUS_INVALID_PARAMETER;
	InitializeObjectAttributes(&oa, NtImagePathName, Attributes, NULL, NULL);
	st = NtOpenFile(&file, SYNCHRONIZE | FILE_EXECUTE | FILE_READ_DATA, &oa,
			&iosb, FILE_SHARE_READ | FILE_SHARE_DELETE,
			FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
	if (!NT_SUCCESS(st))
		return st;
	st = NtCreateSection(&section, SECTION_ALL_ACCESS, NULL, NULL,
			     PAGE_EXECUTE, SEC_IMAGE, file);
	NtClose(file);
	if (!NT_SUCCESS(st))
		return st;
	st = NtCreateProcess(&process, PROCESS_ALL_ACCESS, NULL,
			     ParentProcess ? ParentProcess : NtCurrentProcess(),
			     InheritHandles, section, DebugPort, ExceptionPort);
	if (NT_SUCCESS(st))
		st = NtQuerySection(section, SectionImageInformation,
				    &Info->ImageInformation,
				    sizeof(Info->ImageInformation), NULL);
	NtClose(section);
	if (NT_SUCCESS(st))
		st = NtQueryInformationProcess(process, ProcessBasicInformation,
					       &pbi, sizeof(pbi), NULL);
	if (NT_SUCCESS(st))
		st = write_params(process, (PEB *)pbi.PebBaseAddress,
				  ProcessParameters);
	if (NT_SUCCESS(st))
		st = first_thread(process, (PEB *)pbi.PebBaseAddress,
				  &Info->ImageInformation, &thread,
				  &Info->ClientId);
	if (!NT_SUCCESS(st)) {
		if (process) {
			NtTerminateProcess(process, st);
			NtClose(process);
		}
		return st;
	}
	Info->Length = sizeof(*Info);
	Info->ProcessHandle = process;
	Info->ThreadHandle = thread;
	return STATUS_SUCCESS;
}
