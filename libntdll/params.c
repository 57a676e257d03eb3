// SPDX-License-Identifier: GPL-2.0
/*
 * RTL_USER_PROCESS_PARAMETERS as XP's RtlCreateProcessParameters makes
 * them for RtlCreateUserProcess: one block of virtual memory holding the
 * structure and every string after it (each NUL-terminated, 4-byte
 * aligned), returned denormalized (the Buffers are offsets from the
 * block, Flags without RTL_USER_PROC_PARAMS_NORMALIZED), so that the
 * block can be copied into another process as it is. A NULL DllPath or
 * CurrentDirectory is the calling process's, a NULL CommandLine is the
 * ImagePathName, a NULL Environment the caller's environment pointer (not
 * copied: RtlCreateUserProcess copies it), the other NULL strings empty.
 * The current directory gets room for MAX_PATH characters, as XP's.
 * Behaviour from ReactOS's rtl/ppb.c and Wine's dlls/ntdll/env.c
 * (no code taken).
 */
#include <stdint.h>
#include "ntdll_private.h"

#define MAX_PATH_BYTES	(260 * sizeof(WCHAR))

static ULONG room(const UNICODE_STRING *s, ULONG min)
{
	ULONG n = (s ? s->Length : 0) + sizeof(WCHAR);

	if (n < min)
		n = min;
	return (n + 3) & ~3u;
}

static void put(RTL_USER_PROCESS_PARAMETERS *pp, char **at,
		UNICODE_STRING *dst, const UNICODE_STRING *src, ULONG size)
{
	ULONG len = src ? src->Length : 0;

	dst->Buffer = (WCHAR *)*at;
	dst->Length = len;
	dst->MaximumLength = size;
	if (len)
		memcpy(*at, src->Buffer, len);
	((WCHAR *)*at)[len / sizeof(WCHAR)] = 0;
	*at += size;
	(void)pp;
}

NTSTATUS NTAPI RtlCreateProcessParameters(
	RTL_USER_PROCESS_PARAMETERS **Result, UNICODE_STRING *ImagePathName,
	UNICODE_STRING *DllPath, UNICODE_STRING *CurrentDirectory,
	UNICODE_STRING *CommandLine, WCHAR *Environment,
	UNICODE_STRING *WindowTitle, UNICODE_STRING *DesktopInfo,
	UNICODE_STRING *ShellInfo, UNICODE_STRING *RuntimeData)
{
	RTL_USER_PROCESS_PARAMETERS *cur = NtCurrentPeb()->ProcessParameters;
	RTL_USER_PROCESS_PARAMETERS *pp;
	ULONG size, cwd_room;
	SIZE_T alloc;
	NTSTATUS st;
	char *at;

	if (!Result || !ImagePathName)
		return STATUS_INVALID_PARAMETER;
	if (!DllPath && cur)
		DllPath = &cur->DllPath;
	if (!CurrentDirectory && cur)
		CurrentDirectory = &cur->CurrentDirectory.DosPath;
	if (!CommandLine)
		CommandLine = ImagePathName;
	if (!Environment && cur)
		Environment = cur->Environment;
	cwd_room = room(CurrentDirectory, MAX_PATH_BYTES);
	size = sizeof(*pp) + room(DllPath, 0) + cwd_room +
	       room(ImagePathName, 0) + room(CommandLine, 0) +
	       room(WindowTitle, 0) + room(DesktopInfo, 0) +
	       room(ShellInfo, 0) + room(RuntimeData, 0);
	alloc = size;
	pp = NULL;
	st = NtAllocateVirtualMemory(NtCurrentProcess(), (void **)&pp, 0, &alloc,
				     MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
	if (!NT_SUCCESS(st))
		return st;
	memset(pp, 0, sizeof(*pp));
	pp->MaximumLength = size;
	pp->Length = size;
	pp->Flags = RTL_USER_PROC_PARAMS_NORMALIZED;	/* until the end */
	pp->Environment = Environment;
	at = (char *)(pp + 1);
	put(pp, &at, &pp->CurrentDirectory.DosPath, CurrentDirectory, cwd_room);
	put(pp, &at, &pp->DllPath, DllPath, room(DllPath, 0));
	put(pp, &at, &pp->ImagePathName, ImagePathName, room(ImagePathName, 0));
	put(pp, &at, &pp->CommandLine, CommandLine, room(CommandLine, 0));
	put(pp, &at, &pp->WindowTitle, WindowTitle, room(WindowTitle, 0));
	put(pp, &at, &pp->DesktopInfo, DesktopInfo, room(DesktopInfo, 0));
	put(pp, &at, &pp->ShellInfo, ShellInfo, room(ShellInfo, 0));
	put(pp, &at, &pp->RuntimeData, RuntimeData, room(RuntimeData, 0));
	*Result = RtlDeNormalizeProcessParams(pp);
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlDestroyProcessParameters(RTL_USER_PROCESS_PARAMETERS *pp)
{
	SIZE_T size = 0;
	void *p = pp;

	return NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, MEM_RELEASE);
}

/* Offsets <-> addresses of every string Buffer (and not Environment). */
static void shift(RTL_USER_PROCESS_PARAMETERS *pp, intptr_t d)
{
	UNICODE_STRING *s[] = {
		&pp->CurrentDirectory.DosPath, &pp->DllPath, &pp->ImagePathName,
		&pp->CommandLine, &pp->WindowTitle, &pp->DesktopInfo,
		&pp->ShellInfo, &pp->RuntimeData,
	};
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (s[i]->Buffer)
			s[i]->Buffer = (WCHAR *)((intptr_t)s[i]->Buffer + d);
}

RTL_USER_PROCESS_PARAMETERS *NTAPI
RtlNormalizeProcessParams(RTL_USER_PROCESS_PARAMETERS *pp)
{
	if (pp && !(pp->Flags & RTL_USER_PROC_PARAMS_NORMALIZED)) {
		shift(pp, (intptr_t)pp);
		pp->Flags |= RTL_USER_PROC_PARAMS_NORMALIZED;
	}
	return pp;
}

RTL_USER_PROCESS_PARAMETERS *NTAPI
RtlDeNormalizeProcessParams(RTL_USER_PROCESS_PARAMETERS *pp)
{
	if (pp && (pp->Flags & RTL_USER_PROC_PARAMS_NORMALIZED)) {
		shift(pp, -(intptr_t)pp);
		pp->Flags &= ~RTL_USER_PROC_PARAMS_NORMALIZED;
	}
	return pp;
}
