/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few ntdll prototypes a native program needs that mingw-w64's
 * <winternl.h> does not declare (XP's signatures, as a native program
 * written for XP declares them itself), and a write-to-stdout helper.
 * Everything else comes from mingw's own headers and import library.
 */
#ifndef PE_NATIVE_H
#define PE_NATIVE_H

#include <windows.h>
#include <winternl.h>

NTSTATUS NTAPI NtWriteFile(HANDLE File, HANDLE Event, PVOID ApcRoutine,
			   PVOID ApcContext, PIO_STATUS_BLOCK Io, PVOID Buffer,
			   ULONG Length, PLARGE_INTEGER Offset, PULONG Key);
NTSTATUS NTAPI NtTerminateProcess(HANDLE Process, NTSTATUS Status);
NTSTATUS NTAPI LdrLoadDll(PWSTR Path, PULONG Flags, PUNICODE_STRING Name,
			  PVOID *Base);
NTSTATUS NTAPI LdrGetDllHandle(PWSTR Path, PVOID Unused,
			       PUNICODE_STRING Name, PVOID *Base);
NTSTATUS NTAPI LdrGetProcedureAddress(PVOID Base, PANSI_STRING Name,
				      ULONG Ordinal, PVOID *Address);
NTSTATUS NTAPI LdrUnloadDll(PVOID Base);
NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PVOID Security,
				   BOOLEAN Suspended, ULONG ZeroBits,
				   SIZE_T Reserve, SIZE_T Commit, PVOID Start,
				   PVOID Param, PHANDLE Thread, PVOID ClientId);
VOID NTAPI RtlExitUserThread(NTSTATUS Status);
NTSTATUS NTAPI RtlInitializeCriticalSection(RTL_CRITICAL_SECTION *cs);
NTSTATUS NTAPI RtlEnterCriticalSection(RTL_CRITICAL_SECTION *cs);
NTSTATUS NTAPI RtlLeaveCriticalSection(RTL_CRITICAL_SECTION *cs);
PVOID NTAPI RtlAllocateHeap(PVOID Heap, ULONG Flags, SIZE_T Size);
BOOLEAN NTAPI RtlFreeHeap(PVOID Heap, ULONG Flags, PVOID Ptr);
int __cdecl _snprintf(char *buf, size_t count, const char *fmt, ...);
size_t __cdecl strlen(const char *s);
void *__cdecl memcpy(void *d, const void *s, size_t n);

/*
 * RTL_USER_PROCESS_PARAMETERS as XP lays it out; mingw's hides the
 * handles in Reserved2: ConsoleHandle, ConsoleFlags, StandardInput,
 * StandardOutput, StandardError, ...
 */
static inline HANDLE std_out(void)
{
	PPEB peb = NtCurrentTeb()->ProcessEnvironmentBlock;

	return peb->ProcessParameters->Reserved2[3];
}

static inline void out(const char *s)
{
	IO_STATUS_BLOCK io;

	NtWriteFile(std_out(), NULL, NULL, NULL, &io, (PVOID)s, strlen(s),
		    NULL, NULL);
}

#endif
