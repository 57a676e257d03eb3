/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <ntdll.h>: the one header an NT program of this project includes. It
 * brings the XP ABI types (uapi/nt), the prototypes of the 284 system
 * service stubs of libntdll.a (NtXxx and ZwXxx, generated from
 * module/nt_services.tbl), the Rtl helpers and the personality's own Ntp
 * calls. Link with -lntdll (static, i386).
 *
 * Naming: Windows' i386 ntdll exports undecorated NtXxx/ZwXxx; the
 * import libraries of compilers show them as _NtXxx@N. ELF has no stdcall
 * decoration ("@" means a symbol version there), so libntdll exports the
 * plain names and the argument bytes N are in the prototype's stdcall
 * attribute and in NTP_ARGBYTES_NtXxx.
 *
 * Strings: WCHAR is a 16-bit code unit, so use u"..." literals (not
 * L"...", whose wchar_t is 32 bits on Linux). ANSI strings are UTF-8.
 * Buffers allocated by Rtl* functions are malloc()ed; free them with the
 * matching RtlFree* function.
 */
#ifndef _NTDLL_H
#define _NTDLL_H

#include <string.h>
#include <linux/types.h>
#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/access.h>
#include <nt/ntobj.h>
#include <nt/ntfile.h>
#include <nt/ntmm.h>
#include <nt/ntex.h>
#include <nt/ntreg.h>
#include <nt/ntps.h>
#include "ntpersonality.h"

#ifndef __i386__
#error "libntdll is the i386 NT system call interface; build with gcc -m32"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define NTAPI	__attribute__((stdcall))

#include "generated/ntdll_services.h"

/* Personality control (not part of Windows' ntdll) */

/* Gates for NtpSetSystemCallGate(), unless uapi/ntpersonality.h has them. */
#ifndef NTP_GATE_SYSENTER
#define NTP_GATE_SYSENTER	0	/* KiFastSystemCall: sysenter */
#endif
#ifndef NTP_GATE_INT2E
#define NTP_GATE_INT2E		1	/* KiIntSystemCall: int 0x2e */
#endif

/*
 * Attach the calling process to the NT personality (NTP_IOC_ATTACH,
 * flags 0). Every program that calls an NT stub does this on load (a
 * constructor in the stubs object) unless NTDLL_NO_ATTACH=1 is set in
 * the environment or it is already attached (e.g. started by ntrun).
 * With NTDLL_C_ROOT=DIR in the environment, that load-time attach maps
 * \??\C:\ to DIR for the process and its fork children (as ntrun
 * --c-root DIR); a DIR that cannot be used ends the program with a
 * message and status 127.
 * Returns STATUS_SUCCESS, also when already attached.
 */
NTSTATUS NtpAttach(void);

/*
 * Select the gate SharedUserData->SystemCall points at for this process:
 * NTP_GATE_SYSENTER or NTP_GATE_INT2E, as XP picks KiIntSystemCall on a
 * CPU without sysenter.
 */
NTSTATUS NtpSetSystemCallGate(int gate);

/* "STATUS_INVALID_HANDLE", or NULL for a value ntstatus.h does not name. */
const char *NtpStatusName(NTSTATUS status);

/*
 * The spec's view of service index (for tracers): name, argument count
 * and one letter per argument saying how to print it (p pointer, h
 * handle, b BOOLEAN, s NTSTATUS, x hex, d signed, u unsigned). NULL past
 * the table.
 */
struct ntp_service_info {
	const char *name;
	unsigned int nargs;
	const char *kinds;
};
const struct ntp_service_info *NtpServiceInfo(ULONG index);

/*
 * The running thread's TEB and its process's PEB, read through fs as XP's
 * ntdll and compilers' SEH do (fs:[0x18] is NT_TIB.Self). Only valid in
 * an attached process (the module sets fs = 0x3b for every thread).
 */
static inline TEB *NtCurrentTeb(void)
{
	TEB *teb;

	__asm__ __volatile__("movl %%fs:0x18, %0" : "=r" (teb));
	return teb;
}

static inline PEB *NtCurrentPeb(void)
{
	PEB *peb;

	__asm__ __volatile__("movl %%fs:0x30, %0" : "=r" (peb));
	return peb;
}

/*
 * Where the kernel sends a thread to run a user APC (libntdll/ki.c), as
 * XP's ntdll exports it; not to be called.
 */
void KiUserApcDispatcher(void);

/* Rtl helpers, with Windows' semantics unless noted */

/*
 * A thread of @Process (the calling process, for now) running
 * StartAddress(Parameter) on a new stack (StackReserve/StackCommit, 0:
 * 1 MiB / one page); it ends with RtlExitUserThread. SecurityDescriptor
 * is ignored. libntdll/thread.c.
 */
NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, void *SecurityDescriptor,
				   BOOLEAN CreateSuspended, ULONG StackZeroBits,
				   SIZE_T StackReserve, SIZE_T StackCommit,
				   void *StartAddress, void *Parameter,
				   HANDLE *Thread, CLIENT_ID *ClientId);
/* Ends the calling thread (its stack freed), or its process if it is the last. */
void NTAPI RtlExitUserThread(NTSTATUS Status) __attribute__((noreturn));

/* The thread's Win32 last error: TEB.LastErrorValue. */
ULONG NTAPI RtlGetLastWin32Error(void);
void NTAPI RtlSetLastWin32Error(ULONG error);

void NTAPI RtlInitUnicodeString(UNICODE_STRING *dst, const WCHAR *src);
void NTAPI RtlInitAnsiString(ANSI_STRING *dst, const char *src);
BOOLEAN NTAPI RtlCreateUnicodeString(UNICODE_STRING *dst, const WCHAR *src);
BOOLEAN NTAPI RtlCreateUnicodeStringFromAsciiz(UNICODE_STRING *dst,
					       const char *src);
/* UTF-8 -> UTF-16; invalid UTF-8 bytes become U+FFFD. */
NTSTATUS NTAPI RtlAnsiStringToUnicodeString(UNICODE_STRING *dst,
					    const ANSI_STRING *src,
					    BOOLEAN AllocateDestinationString);
/* UTF-16 -> UTF-8; unpaired surrogates become U+FFFD. */
NTSTATUS NTAPI RtlUnicodeStringToAnsiString(ANSI_STRING *dst,
					    const UNICODE_STRING *src,
					    BOOLEAN AllocateDestinationString);
void NTAPI RtlFreeUnicodeString(UNICODE_STRING *str);
void NTAPI RtlFreeAnsiString(ANSI_STRING *str);
void NTAPI RtlCopyUnicodeString(UNICODE_STRING *dst, const UNICODE_STRING *src);
NTSTATUS NTAPI RtlAppendUnicodeToString(UNICODE_STRING *dst, const WCHAR *src);
NTSTATUS NTAPI RtlAppendUnicodeStringToString(UNICODE_STRING *dst,
					      const UNICODE_STRING *src);
/* Case folding covers ASCII and Latin-1 only. */
WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR c);
LONG NTAPI RtlCompareUnicodeString(const UNICODE_STRING *a,
				   const UNICODE_STRING *b,
				   BOOLEAN CaseInSensitive);
BOOLEAN NTAPI RtlEqualUnicodeString(const UNICODE_STRING *a,
				    const UNICODE_STRING *b,
				    BOOLEAN CaseInSensitive);
SIZE_T NTAPI RtlCompareMemory(const void *a, const void *b, SIZE_T length);
/*
 * Milliseconds since boot, from SharedUserData: XP's ntdll export of this
 * name makes no system call (XP's kernel has no NtGetTickCount service).
 */
ULONG NTAPI NtGetTickCount(void);
/* Win32 error code of a status (the common ones; others: 317). */
ULONG NTAPI RtlNtStatusToDosError(NTSTATUS status);

/*
 * DOS path -> NT path in a malloc()ed, NUL-terminated buffer:
 *	C:\dir\f        \??\C:\dir\f
 *	\\server\share  \??\UNC\server\share
 *	\\?\X, \\.\X    \??\X
 *	\dir\f          \??\unix\dir\f     (no drive: the Linux root)
 *	f, ..\f         \??\unix\<cwd>\f   (against the Linux cwd)
 * "/" is accepted as a separator; "." and ".." components and repeated
 * separators are folded (not after \\?\). *FilePart (optional) points
 * at the last component in the result, or is NULL when the path ends with
 * a separator. RelativeName must be NULL. Returns FALSE on an empty path
 * or when out of memory.
 */
BOOLEAN NTAPI RtlDosPathNameToNtPathName_U(const WCHAR *DosName,
					   UNICODE_STRING *NtName,
					   WCHAR **FilePart,
					   void *RelativeName);

#define RtlZeroMemory(d, n)		memset((d), 0, (n))
#define RtlFillMemory(d, n, c)		memset((d), (c), (n))
#define RtlCopyMemory(d, s, n)		memcpy((d), (s), (n))
#define RtlMoveMemory(d, s, n)		memmove((d), (s), (n))
#define RtlEqualMemory(a, b, n)		(!memcmp((a), (b), (n)))

#ifdef __cplusplus
}
#endif

#endif /* _NTDLL_H */
