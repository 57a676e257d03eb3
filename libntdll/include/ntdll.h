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
 * The spec's view of service index (for tracers): name, argument count,
 * one letter per argument saying how to print it (p pointer, h handle, b
 * BOOLEAN, s NTSTATUS, x hex, d signed, u unsigned), two characters per
 * argument saying what the tracepoints record behind it (see
 * scripts/nt-services.awk, nt_capture()), and the parameters as
 * "TYPE NAME" separated by ';'. NULL past the table.
 */
struct ntp_service_info {
	const char *name;
	unsigned int nargs;
	const char *kinds;
	const char *capture;
	const char *params;
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
/* ... and an exception (the record and CONTEXT on the stack), libntdll/ki.c */
void KiUserExceptionDispatcher(void);

/*
 * Structured exception handling on the fs:[0] chain (libntdll/except.c),
 * XP's: an fs:[0] handler is called as
 * handler(ExceptionRecord, EstablisherFrame, ContextRecord, DispatcherContext)
 * and returns an EXCEPTION_DISPOSITION.
 */
typedef EXCEPTION_DISPOSITION (*PEXCEPTION_ROUTINE)(EXCEPTION_RECORD *rec,
		void *frame, CONTEXT *ctx, void *dispatcher_context);
/* TRUE: a handler returned ExceptionContinueExecution (continue with @ctx) */
BOOLEAN NTAPI RtlDispatchException(EXCEPTION_RECORD *rec, CONTEXT *ctx);
/* Raises @rec from the caller's context, through NtRaiseException */
void NTAPI RtlRaiseException(EXCEPTION_RECORD *rec);
/* Raises @Status, noncontinuable */
void NTAPI RtlRaiseStatus(NTSTATUS Status) __attribute__((noreturn));
/*
 * Calls the handlers above @TargetFrame with EXCEPTION_UNWINDING and
 * unlinks them, then returns to its caller with Eax = @ReturnValue.
 * TargetFrame NULL: unwinds the whole chain (EXCEPTION_EXIT_UNWIND) and
 * ends in NtRaiseException(rec, FALSE). TargetIp is not used (as XP).
 */
void NTAPI RtlUnwind(void *TargetFrame, void *TargetIp,
		     EXCEPTION_RECORD *rec, void *ReturnValue);
/* The caller's registers as they will be when this returns */
void NTAPI RtlCaptureContext(CONTEXT *ctx);

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

/*
 * TLS slots (libntdll/tls.c): XP's TlsAlloc/TlsFree/TlsGetValue/
 * TlsSetValue over PEB.TlsBitmap/TlsExpansionBitmap and TEB.TlsSlots/
 * TlsExpansionSlots, under names of this library. Alloc gives the lowest
 * free index, 0..1087 (STATUS_NO_MORE_ENTRIES and TLS_OUT_OF_INDEXES when
 * all are taken); Free clears the index in every thread of the process
 * (STATUS_INVALID_PARAMETER for an index not allocated); GetValue sets
 * the last error to 0, or to ERROR_INVALID_PARAMETER for an index out of
 * range (then NULL); SetValue makes the thread's expansion array on
 * first need (STATUS_NO_MEMORY). RtlpInitializeTlsBitmaps is
 * LdrpInitializeProcess's part (done at attach).
 */
#define TLS_OUT_OF_INDEXES	0xffffffffu
void NTAPI RtlpInitializeTlsBitmaps(void);
NTSTATUS NTAPI RtlTlsAlloc(ULONG *Index);
NTSTATUS NTAPI RtlTlsFree(ULONG Index);
void *NTAPI RtlTlsGetValue(ULONG Index);
NTSTATUS NTAPI RtlTlsSetValue(ULONG Index, void *Value);
void RtlpFreeTlsExpansion(void);

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

/* The process heap (libntdll/heap.c): XP's RtlCreateHeap family. */
#define HEAP_NO_SERIALIZE		0x00000001
#define HEAP_GROWABLE			0x00000002
#define HEAP_GENERATE_EXCEPTIONS	0x00000004
#define HEAP_ZERO_MEMORY		0x00000008
#define HEAP_REALLOC_IN_PLACE_ONLY	0x00000010

/*
 * A heap of ReserveSize bytes (0: 1 MiB, and growable) with CommitSize
 * committed up front; growable heaps reserve further segments when full.
 * HeapBase, Lock and Parameters must be NULL (XP's caller-supplied memory
 * and lock are not supported: NULL is returned). Blocks are 8-byte
 * aligned; RtlSizeHeap returns the size asked for.
 */
void *NTAPI RtlCreateHeap(ULONG Flags, void *HeapBase, SIZE_T ReserveSize,
			  SIZE_T CommitSize, void *Lock, void *Parameters);
/* NULL on success, else the heap (the process heap is never destroyed). */
void *NTAPI RtlDestroyHeap(void *Heap);
void *NTAPI RtlAllocateHeap(void *Heap, ULONG Flags, SIZE_T Size);
BOOLEAN NTAPI RtlFreeHeap(void *Heap, ULONG Flags, void *Ptr);
void *NTAPI RtlReAllocateHeap(void *Heap, ULONG Flags, void *Ptr, SIZE_T Size);
/* The size the block was asked for, or (SIZE_T)-1 for a bad block. */
SIZE_T NTAPI RtlSizeHeap(void *Heap, ULONG Flags, const void *Ptr);

/* Bitmaps (libntdll/bitmap.c), bit n is bit n % 32 of Buffer[n / 32]. */
typedef struct _RTL_BITMAP {
	ULONG SizeOfBitMap;
	ULONG *Buffer;
} RTL_BITMAP;

void NTAPI RtlInitializeBitMap(RTL_BITMAP *BitMap, ULONG *Buffer, ULONG Size);
void NTAPI RtlSetAllBits(RTL_BITMAP *BitMap);
void NTAPI RtlClearAllBits(RTL_BITMAP *BitMap);
void NTAPI RtlSetBits(RTL_BITMAP *BitMap, ULONG Start, ULONG Count);
void NTAPI RtlClearBits(RTL_BITMAP *BitMap, ULONG Start, ULONG Count);
BOOLEAN NTAPI RtlAreBitsSet(const RTL_BITMAP *BitMap, ULONG Start, ULONG Count);
BOOLEAN NTAPI RtlAreBitsClear(const RTL_BITMAP *BitMap, ULONG Start,
			      ULONG Count);
/* First run of Count clear (set) bits at or after Hint, wrapping; ~0 if none. */
ULONG NTAPI RtlFindClearBits(const RTL_BITMAP *BitMap, ULONG Count, ULONG Hint);
ULONG NTAPI RtlFindSetBits(const RTL_BITMAP *BitMap, ULONG Count, ULONG Hint);
ULONG NTAPI RtlFindClearBitsAndSet(RTL_BITMAP *BitMap, ULONG Count, ULONG Hint);
ULONG NTAPI RtlFindSetBitsAndClear(RTL_BITMAP *BitMap, ULONG Count, ULONG Hint);
ULONG NTAPI RtlNumberOfSetBits(const RTL_BITMAP *BitMap);
ULONG NTAPI RtlNumberOfClearBits(const RTL_BITMAP *BitMap);

/* Time (libntdll/time.c): NT times are 100 ns units since 1601-01-01. */
typedef struct _TIME_FIELDS {
	SHORT Year;		/* 1601.. */
	SHORT Month;		/* 1..12 */
	SHORT Day;		/* 1..31 */
	SHORT Hour;
	SHORT Minute;
	SHORT Second;
	SHORT Milliseconds;
	SHORT Weekday;		/* 0 = Sunday */
} TIME_FIELDS;

void NTAPI RtlTimeToTimeFields(const LARGE_INTEGER *Time, TIME_FIELDS *Fields);
/* FALSE (and *Time untouched) for a field out of range; Weekday ignored. */
BOOLEAN NTAPI RtlTimeFieldsToTime(const TIME_FIELDS *Fields, LARGE_INTEGER *Time);
/* FALSE when the time is before the epoch or past 32 bits of seconds. */
BOOLEAN NTAPI RtlTimeToSecondsSince1970(const LARGE_INTEGER *Time,
					ULONG *Seconds);
BOOLEAN NTAPI RtlTimeToSecondsSince1980(const LARGE_INTEGER *Time,
					ULONG *Seconds);
void NTAPI RtlSecondsSince1970ToTime(ULONG Seconds, LARGE_INTEGER *Time);
void NTAPI RtlSecondsSince1980ToTime(ULONG Seconds, LARGE_INTEGER *Time);

/*
 * Critical sections (libntdll/critsec.c), XP's layout and protocol:
 * LockCount is -1 when free and counts the owner plus its waiters;
 * a contended section waits on an auto-reset event (LockSemaphore)
 * created at the first contention, and the leaving owner hands the
 * section to one waiter by setting it. OwningThread is the owner's
 * thread id (TEB.ClientId.UniqueThread).
 */
typedef struct _RTL_CRITICAL_SECTION {
	void *DebugInfo;
	LONG LockCount;
	LONG RecursionCount;
	HANDLE OwningThread;
	HANDLE LockSemaphore;
	ULONG_PTR SpinCount;
} RTL_CRITICAL_SECTION;

NTSTATUS NTAPI RtlInitializeCriticalSection(RTL_CRITICAL_SECTION *Section);
NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(
	RTL_CRITICAL_SECTION *Section, ULONG SpinCount);
NTSTATUS NTAPI RtlEnterCriticalSection(RTL_CRITICAL_SECTION *Section);
BOOLEAN NTAPI RtlTryEnterCriticalSection(RTL_CRITICAL_SECTION *Section);
NTSTATUS NTAPI RtlLeaveCriticalSection(RTL_CRITICAL_SECTION *Section);
NTSTATUS NTAPI RtlDeleteCriticalSection(RTL_CRITICAL_SECTION *Section);

/*
 * DbgPrint: XP sends it to the kernel debugger; here the text goes to
 * ProcessParameters->StandardError (nothing when there is none).
 * Formats as _vsnprintf, at most 512 bytes like XP's. STATUS_SUCCESS.
 */
ULONG DbgPrint(const char *Format, ...);	/* %wZ, %S: not printf's */

void NTAPI RtlInitString(STRING *dst, const char *src);
NTSTATUS NTAPI RtlUpcaseUnicodeString(UNICODE_STRING *dst,
				      const UNICODE_STRING *src,
				      BOOLEAN AllocateDestinationString);
WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR c);

/*
 * The loader's view of the process (ntdll.dll, libntdll/ldr.c), XP's
 * layouts: PEB->Ldr and one entry per mapped image on its three lists.
 */
typedef struct _PEB_LDR_DATA {
	ULONG Length;
	BOOLEAN Initialized;
	void *SsHandle;
	LIST_ENTRY32 InLoadOrderModuleList;
	LIST_ENTRY32 InMemoryOrderModuleList;
	LIST_ENTRY32 InInitializationOrderModuleList;
	void *EntryInProgress;
} PEB_LDR_DATA;
NT_ASSERT_SIZE(PEB_LDR_DATA, 0x28);

typedef struct _LDR_DATA_TABLE_ENTRY {
	LIST_ENTRY32 InLoadOrderLinks;
	LIST_ENTRY32 InMemoryOrderLinks;
	LIST_ENTRY32 InInitializationOrderLinks;
	void *DllBase;
	void *EntryPoint;
	ULONG SizeOfImage;
	UNICODE_STRING FullDllName;
	UNICODE_STRING BaseDllName;
	ULONG Flags;
	USHORT LoadCount;	/* 0xffff: never unloaded (static imports) */
	USHORT TlsIndex;
	LIST_ENTRY32 HashLinks;
	ULONG TimeDateStamp;
	void *EntryPointActivationContext;
	void *PatchInformation;
} LDR_DATA_TABLE_ENTRY;
NT_ASSERT_SIZE(LDR_DATA_TABLE_ENTRY, 0x50);
NT_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, DllBase, 0x18);
NT_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, BaseDllName, 0x2c);

/* LDR_DATA_TABLE_ENTRY.Flags, XP's values */
#define LDRP_STATIC_LINK		0x00000002
#define LDRP_IMAGE_DLL			0x00000004
#define LDRP_LOAD_IN_PROGRESS		0x00001000
#define LDRP_ENTRY_PROCESSED		0x00004000
#define LDRP_PROCESS_ATTACH_CALLED	0x00080000
#define LDRP_IMAGE_NOT_AT_BASE		0x00200000

/*
 * Process parameters as RtlCreateUserProcess wants them (libntdll/
 * params.c): one block, returned denormalized (string Buffers are
 * offsets); NULL DllPath/CurrentDirectory/Environment: the caller's,
 * NULL CommandLine: ImagePathName. Free with RtlDestroyProcessParameters.
 */
NTSTATUS NTAPI RtlCreateProcessParameters(
	RTL_USER_PROCESS_PARAMETERS **Result, UNICODE_STRING *ImagePathName,
	UNICODE_STRING *DllPath, UNICODE_STRING *CurrentDirectory,
	UNICODE_STRING *CommandLine, WCHAR *Environment,
	UNICODE_STRING *WindowTitle, UNICODE_STRING *DesktopInfo,
	UNICODE_STRING *ShellInfo, UNICODE_STRING *RuntimeData);
NTSTATUS NTAPI RtlDestroyProcessParameters(RTL_USER_PROCESS_PARAMETERS *pp);
RTL_USER_PROCESS_PARAMETERS *NTAPI
RtlNormalizeProcessParams(RTL_USER_PROCESS_PARAMETERS *pp);
RTL_USER_PROCESS_PARAMETERS *NTAPI
RtlDeNormalizeProcessParams(RTL_USER_PROCESS_PARAMETERS *pp);

/* RtlCreateUserProcess's answer, XP's layout. */
typedef struct _RTL_USER_PROCESS_INFORMATION {
	ULONG Length;
	HANDLE ProcessHandle;
	HANDLE ThreadHandle;
	CLIENT_ID ClientId;
	SECTION_IMAGE_INFORMATION ImageInformation;
} RTL_USER_PROCESS_INFORMATION;

/*
 * A process of the image @NtImagePathName (opened with OBJ_* @Attributes)
 * with @ProcessParameters (normalized or not) copied into it, and its
 * first thread, suspended: NtResumeThread starts it in the loader, then
 * at the image's entry. The security descriptors are ignored.
 * libntdll/process.c.
 */
NTSTATUS NTAPI RtlCreateUserProcess(UNICODE_STRING *NtImagePathName,
				    ULONG Attributes,
				    RTL_USER_PROCESS_PARAMETERS *ProcessParameters,
				    void *ProcessSecurityDescriptor,
				    void *ThreadSecurityDescriptor,
				    HANDLE ParentProcess, BOOLEAN InheritHandles,
				    HANDLE DebugPort, HANDLE ExceptionPort,
				    RTL_USER_PROCESS_INFORMATION *Info);

/* The loader (ntdll.dll only). */
NTSTATUS NTAPI LdrLoadDll(const WCHAR *SearchPath, ULONG *Flags,
			  const UNICODE_STRING *Name, void **BaseAddress);
NTSTATUS NTAPI LdrGetDllHandle(const WCHAR *Path, void *Unused,
			       const UNICODE_STRING *Name, void **BaseAddress);
NTSTATUS NTAPI LdrGetProcedureAddress(void *BaseAddress,
				      const ANSI_STRING *Name, ULONG Ordinal,
				      void **Address);
NTSTATUS NTAPI LdrUnloadDll(void *BaseAddress);
NTSTATUS NTAPI LdrShutdownProcess(void);
void NTAPI LdrInitializeThunk(CONTEXT *Context, void *NtdllBase,
			      void *Unused1, void *Unused2);

/* Image helpers (both libraries): NULL for a bad image. */
void *NTAPI RtlImageNtHeader(void *Base);
void *NTAPI RtlImageDirectoryEntryToData(void *Base, BOOLEAN MappedAsImage,
					 USHORT Directory, ULONG *Size);

/*
 * The C runtime XP's ntdll exports (libntdll/crt.c), which ntdll.dll
 * exports under these names without the NtpCrt_ prefix. In a Linux
 * program glibc owns the plain names, so libntdll.a has them prefixed:
 * for testing the DLL's semantics (Microsoft's _snprintf, %S, ...) from
 * ELF code. WCHAR strings are 16-bit.
 */
int NtpCrt__snprintf(char *buf, size_t count, const char *fmt, ...);
int NtpCrt__snwprintf(WCHAR *buf, size_t count, const WCHAR *fmt, ...);
int NtpCrt_sprintf(char *buf, const char *fmt, ...);
int NtpCrt_swprintf(WCHAR *buf, const WCHAR *fmt, ...);
size_t NtpCrt_wcslen(const WCHAR *s);
int NtpCrt_wcscmp(const WCHAR *a, const WCHAR *b);
int NtpCrt__wcsicmp(const WCHAR *a, const WCHAR *b);
int NtpCrt__stricmp(const char *a, const char *b);
WCHAR *NtpCrt_wcschr(const WCHAR *s, WCHAR c);
WCHAR *NtpCrt_wcsstr(const WCHAR *s, const WCHAR *find);
long NtpCrt_strtol(const char *s, char **end, int base);
unsigned long NtpCrt_strtoul(const char *s, char **end, int base);
int NtpCrt_atoi(const char *s);
int NtpCrt__wtoi(const WCHAR *s);
void *NtpCrt_memmove(void *dst, const void *src, size_t n);
void *NtpCrt_memcpy(void *dst, const void *src, size_t n);
WCHAR NtpCrt_towupper(WCHAR c);

#define RtlZeroMemory(d, n)		memset((d), 0, (n))
#define RtlFillMemory(d, n, c)		memset((d), (c), (n))
#define RtlCopyMemory(d, s, n)		memcpy((d), (s), (n))
#define RtlMoveMemory(d, s, n)		memmove((d), (s), (n))
#define RtlEqualMemory(a, b, n)		(!memcmp((a), (b), (n)))

#ifdef __cplusplus
}
#endif

#endif /* _NTDLL_H */
