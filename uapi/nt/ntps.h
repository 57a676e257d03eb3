/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The NT thread and process environment blocks as Windows XP SP3 (32-bit)
 * lays them out: NT_TIB, TEB, PEB, RTL_USER_PROCESS_PARAMETERS. Every
 * offset that programs or the module rely on is asserted; the sizes are
 * XP SP3's (TEB 0xfb8, PEB 0x210, parameters 0x290).
 *
 * The module fills the fields the kernel owns (ps/teb.c); the rest belongs
 * to user mode (ntdll), as on Windows.
 */
#ifndef _UAPI_NT_NTPS_H
#define _UAPI_NT_NTPS_H

#include "ntdef.h"

typedef struct _LIST_ENTRY32 {
	NT_PTR(struct _LIST_ENTRY32) Flink;
	NT_PTR(struct _LIST_ENTRY32) Blink;
} LIST_ENTRY32;
NT_ASSERT_SIZE(LIST_ENTRY32, 8);

/* fs:[0]: the part of the TEB that compilers and SEH use. */
typedef struct _NT_TIB {
	NT_PTR(void) ExceptionList;	/* EXCEPTION_REGISTRATION_RECORD chain, -1 = end */
	NT_PTR(void) StackBase;		/* one past the highest stack byte */
	NT_PTR(void) StackLimit;	/* lowest committed stack byte */
	NT_PTR(void) SubSystemTib;
	NT_PTR(void) FiberData;		/* union with ULONG Version */
	NT_PTR(void) ArbitraryUserPointer;
	NT_PTR(struct _NT_TIB) Self;
} NT_TIB;
NT_ASSERT_SIZE(NT_TIB, 0x1c);
NT_ASSERT_OFFSET(NT_TIB, Self, 0x18);

/* The end of the ExceptionList chain */
#define EXCEPTION_CHAIN_END	0xffffffffu

typedef struct _ACTIVATION_CONTEXT_STACK32 {
	ULONG Flags;
	ULONG NextCookieSequenceNumber;
	NT_PTR(void) ActiveFrame;
	LIST_ENTRY32 FrameListCache;
} ACTIVATION_CONTEXT_STACK32;
NT_ASSERT_SIZE(ACTIVATION_CONTEXT_STACK32, 0x14);

#define GDI_BATCH_BUFFER_SIZE	0x136

typedef struct _GDI_TEB_BATCH {
	ULONG Offset;
	HANDLE HDC;
	ULONG Buffer[GDI_BATCH_BUFFER_SIZE];
} GDI_TEB_BATCH;
NT_ASSERT_SIZE(GDI_TEB_BATCH, 0x4e0);

#define TLS_MINIMUM_AVAILABLE	64
#define TLS_EXPANSION_SLOTS	1024

/*
 * Windows XP SP3's TEB. The module fills NtTib's stack fields, Self,
 * ClientId, ProcessEnvironmentBlock and CurrentLocale at creation.
 */
typedef struct _TEB {
	NT_TIB NtTib;
	NT_PTR(void) EnvironmentPointer;
	CLIENT_ID ClientId;
	NT_PTR(void) ActiveRpcHandle;
	NT_PTR(void) ThreadLocalStoragePointer;
	NT_PTR(struct _PEB) ProcessEnvironmentBlock;
	ULONG LastErrorValue;
	ULONG CountOfOwnedCriticalSections;
	NT_PTR(void) CsrClientThread;
	NT_PTR(void) Win32ThreadInfo;
	ULONG User32Reserved[26];
	ULONG UserReserved[5];
	NT_PTR(void) WOW32Reserved;
	ULONG CurrentLocale;
	ULONG FpSoftwareStatusRegister;
	NT_PTR(void) SystemReserved1[54];
	LONG ExceptionCode;
	ACTIVATION_CONTEXT_STACK32 ActivationContextStack;
	UCHAR SpareBytes1[24];
	GDI_TEB_BATCH GdiTebBatch;
	CLIENT_ID RealClientId;
	HANDLE GdiCachedProcessHandle;
	ULONG GdiClientPID;
	ULONG GdiClientTID;
	NT_PTR(void) GdiThreadLocalInfo;
	ULONG_PTR Win32ClientInfo[62];
	NT_PTR(void) glDispatchTable[233];
	ULONG_PTR glReserved1[29];
	NT_PTR(void) glReserved2;
	NT_PTR(void) glSectionInfo;
	NT_PTR(void) glSection;
	NT_PTR(void) glTable;
	NT_PTR(void) glCurrentRC;
	NT_PTR(void) glContext;
	ULONG LastStatusValue;
	UNICODE_STRING StaticUnicodeString;
	WCHAR StaticUnicodeBuffer[261];
	NT_PTR(void) DeallocationStack;
	NT_PTR(void) TlsSlots[TLS_MINIMUM_AVAILABLE];
	LIST_ENTRY32 TlsLinks;
	NT_PTR(void) Vdm;
	NT_PTR(void) ReservedForNtRpc;
	NT_PTR(void) DbgSsReserved[2];
	ULONG HardErrorsAreDisabled;
	NT_PTR(void) Instrumentation[16];
	NT_PTR(void) WinSockData;
	ULONG GdiBatchCount;
	BOOLEAN InDbgPrint;
	BOOLEAN FreeStackOnTermination;
	BOOLEAN HasFiberData;
	UCHAR IdealProcessor;
	ULONG Spare3;
	NT_PTR(void) ReservedForPerf;
	NT_PTR(void) ReservedForOle;
	ULONG WaitingOnLoaderLock;
	/* Wx86ThreadState */
	NT_PTR(ULONG) Wx86CallBx86Eip;
	NT_PTR(void) Wx86DeallocationCpu;
	BOOLEAN Wx86UseKnownWx86Dll;
	CHAR Wx86OleStubInvoked;
	NT_PTR(NT_PTR(void)) TlsExpansionSlots;
	ULONG ImpersonationLocale;
	ULONG IsImpersonating;
	NT_PTR(void) NlsCache;
	NT_PTR(void) pShimData;
	ULONG HeapVirtualAffinity;
	HANDLE CurrentTransactionHandle;
	NT_PTR(void) ActiveFrame;
	BOOLEAN SafeThunkCall;
	BOOLEAN BooleanSpare[3];
} TEB;
NT_ASSERT_SIZE(TEB, 0xfb8);
NT_ASSERT_OFFSET(TEB, EnvironmentPointer, 0x1c);
NT_ASSERT_OFFSET(TEB, ClientId, 0x20);
NT_ASSERT_OFFSET(TEB, ThreadLocalStoragePointer, 0x2c);
NT_ASSERT_OFFSET(TEB, ProcessEnvironmentBlock, 0x30);
NT_ASSERT_OFFSET(TEB, LastErrorValue, 0x34);
NT_ASSERT_OFFSET(TEB, CurrentLocale, 0xc4);
NT_ASSERT_OFFSET(TEB, ExceptionCode, 0x1a4);
NT_ASSERT_OFFSET(TEB, GdiTebBatch, 0x1d4);
NT_ASSERT_OFFSET(TEB, RealClientId, 0x6b4);
NT_ASSERT_OFFSET(TEB, LastStatusValue, 0xbf4);
NT_ASSERT_OFFSET(TEB, StaticUnicodeString, 0xbf8);
NT_ASSERT_OFFSET(TEB, DeallocationStack, 0xe0c);
NT_ASSERT_OFFSET(TEB, TlsSlots, 0xe10);
NT_ASSERT_OFFSET(TEB, TlsLinks, 0xf10);
NT_ASSERT_OFFSET(TEB, HardErrorsAreDisabled, 0xf28);
NT_ASSERT_OFFSET(TEB, GdiBatchCount, 0xf70);
NT_ASSERT_OFFSET(TEB, WaitingOnLoaderLock, 0xf84);
NT_ASSERT_OFFSET(TEB, TlsExpansionSlots, 0xf94);
NT_ASSERT_OFFSET(TEB, ActiveFrame, 0xfb0);

typedef struct _CURDIR {
	UNICODE_STRING DosPath;
	HANDLE Handle;
} CURDIR;
NT_ASSERT_SIZE(CURDIR, 0xc);

typedef struct _RTL_DRIVE_LETTER_CURDIR {
	USHORT Flags;
	USHORT Length;
	ULONG TimeStamp;
	STRING DosPath;
} RTL_DRIVE_LETTER_CURDIR;
NT_ASSERT_SIZE(RTL_DRIVE_LETTER_CURDIR, 0x10);

/* RTL_USER_PROCESS_PARAMETERS.Flags */
#define RTL_USER_PROC_PARAMS_NORMALIZED	0x00000001

/*
 * A process's start-up parameters. Normalized (Flags bit 0): the string
 * Buffers and Environment are addresses; denormalized ones are offsets
 * from the structure, as RtlCreateProcessParameters leaves them.
 */
typedef struct _RTL_USER_PROCESS_PARAMETERS {
	ULONG MaximumLength;
	ULONG Length;
	ULONG Flags;
	ULONG DebugFlags;
	HANDLE ConsoleHandle;
	ULONG ConsoleFlags;
	HANDLE StandardInput;
	HANDLE StandardOutput;
	HANDLE StandardError;
	CURDIR CurrentDirectory;
	UNICODE_STRING DllPath;
	UNICODE_STRING ImagePathName;
	UNICODE_STRING CommandLine;
	NT_PTR(WCHAR) Environment;
	ULONG StartingX;
	ULONG StartingY;
	ULONG CountX;
	ULONG CountY;
	ULONG CountCharsX;
	ULONG CountCharsY;
	ULONG FillAttribute;
	ULONG WindowFlags;
	ULONG ShowWindowFlags;
	UNICODE_STRING WindowTitle;
	UNICODE_STRING DesktopInfo;
	UNICODE_STRING ShellInfo;
	UNICODE_STRING RuntimeData;
	RTL_DRIVE_LETTER_CURDIR CurrentDirectores[32];
} RTL_USER_PROCESS_PARAMETERS;
NT_ASSERT_SIZE(RTL_USER_PROCESS_PARAMETERS, 0x290);
NT_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, StandardInput, 0x18);
NT_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, CurrentDirectory, 0x24);
NT_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, DllPath, 0x30);
NT_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, ImagePathName, 0x38);
NT_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, CommandLine, 0x40);
NT_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, Environment, 0x48);
NT_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, WindowTitle, 0x70);
NT_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, CurrentDirectores, 0x90);

#define GDI_HANDLE_BUFFER_SIZE	34

/* Windows XP SP3's PEB (before Server 2003's changes at 0x20..0x2c). */
typedef struct _PEB {
	BOOLEAN InheritedAddressSpace;
	BOOLEAN ReadImageFileExecOptions;
	BOOLEAN BeingDebugged;
	BOOLEAN SpareBool;
	HANDLE Mutant;
	NT_PTR(void) ImageBaseAddress;
	NT_PTR(void) Ldr;
	NT_PTR(RTL_USER_PROCESS_PARAMETERS) ProcessParameters;
	NT_PTR(void) SubSystemData;
	NT_PTR(void) ProcessHeap;
	NT_PTR(void) FastPebLock;
	NT_PTR(void) FastPebLockRoutine;
	NT_PTR(void) FastPebUnlockRoutine;
	ULONG EnvironmentUpdateCount;
	NT_PTR(void) KernelCallbackTable;
	ULONG SystemReserved[1];
	ULONG AtlThunkSListPtr32;
	NT_PTR(void) FreeList;
	ULONG TlsExpansionCounter;
	NT_PTR(void) TlsBitmap;
	ULONG TlsBitmapBits[2];
	NT_PTR(void) ReadOnlySharedMemoryBase;
	NT_PTR(void) ReadOnlySharedMemoryHeap;
	NT_PTR(void) ReadOnlyStaticServerData;
	NT_PTR(void) AnsiCodePageData;
	NT_PTR(void) OemCodePageData;
	NT_PTR(void) UnicodeCaseTableData;
	ULONG NumberOfProcessors;
	ULONG NtGlobalFlag;
	LARGE_INTEGER CriticalSectionTimeout;
	ULONG_PTR HeapSegmentReserve;
	ULONG_PTR HeapSegmentCommit;
	ULONG_PTR HeapDeCommitTotalFreeThreshold;
	ULONG_PTR HeapDeCommitFreeBlockThreshold;
	ULONG NumberOfHeaps;
	ULONG MaximumNumberOfHeaps;
	NT_PTR(NT_PTR(void)) ProcessHeaps;
	NT_PTR(void) GdiSharedHandleTable;
	NT_PTR(void) ProcessStarterHelper;
	ULONG GdiDCAttributeList;
	NT_PTR(void) LoaderLock;
	ULONG OSMajorVersion;
	ULONG OSMinorVersion;
	USHORT OSBuildNumber;
	USHORT OSCSDVersion;
	ULONG OSPlatformId;
	ULONG ImageSubsystem;
	ULONG ImageSubsystemMajorVersion;
	ULONG ImageSubsystemMinorVersion;
	ULONG_PTR ImageProcessAffinityMask;
	ULONG GdiHandleBuffer[GDI_HANDLE_BUFFER_SIZE];
	NT_PTR(void) PostProcessInitRoutine;
	NT_PTR(void) TlsExpansionBitmap;
	ULONG TlsExpansionBitmapBits[32];
	ULONG SessionId;
	ULARGE_INTEGER AppCompatFlags;
	ULARGE_INTEGER AppCompatFlagsUser;
	NT_PTR(void) pShimData;
	NT_PTR(void) AppCompatInfo;
	UNICODE_STRING CSDVersion;
	NT_PTR(void) ActivationContextData;
	NT_PTR(void) ProcessAssemblyStorageMap;
	NT_PTR(void) SystemDefaultActivationContextData;
	NT_PTR(void) SystemAssemblyStorageMap;
	ULONG_PTR MinimumStackCommit;
} PEB;
NT_ASSERT_SIZE(PEB, 0x210);
NT_ASSERT_OFFSET(PEB, BeingDebugged, 0x02);
NT_ASSERT_OFFSET(PEB, ImageBaseAddress, 0x08);
NT_ASSERT_OFFSET(PEB, Ldr, 0x0c);
NT_ASSERT_OFFSET(PEB, ProcessParameters, 0x10);
NT_ASSERT_OFFSET(PEB, ProcessHeap, 0x18);
NT_ASSERT_OFFSET(PEB, FastPebLock, 0x1c);
NT_ASSERT_OFFSET(PEB, TlsExpansionCounter, 0x3c);
NT_ASSERT_OFFSET(PEB, NumberOfProcessors, 0x64);
NT_ASSERT_OFFSET(PEB, NtGlobalFlag, 0x68);
NT_ASSERT_OFFSET(PEB, CriticalSectionTimeout, 0x70);
NT_ASSERT_OFFSET(PEB, GdiSharedHandleTable, 0x94);
NT_ASSERT_OFFSET(PEB, LoaderLock, 0xa0);
NT_ASSERT_OFFSET(PEB, OSMajorVersion, 0xa4);
NT_ASSERT_OFFSET(PEB, OSBuildNumber, 0xac);
NT_ASSERT_OFFSET(PEB, OSCSDVersion, 0xae);
NT_ASSERT_OFFSET(PEB, OSPlatformId, 0xb0);
NT_ASSERT_OFFSET(PEB, ImageSubsystem, 0xb4);
NT_ASSERT_OFFSET(PEB, ImageProcessAffinityMask, 0xc0);
NT_ASSERT_OFFSET(PEB, PostProcessInitRoutine, 0x14c);
NT_ASSERT_OFFSET(PEB, SessionId, 0x1d4);
NT_ASSERT_OFFSET(PEB, CSDVersion, 0x1f0);
NT_ASSERT_OFFSET(PEB, MinimumStackCommit, 0x208);

/* The stack NtCreateThread's caller made for the new thread (XP layout). */
typedef struct _INITIAL_TEB {
	NT_PTR(void) PreviousStackBase;
	NT_PTR(void) PreviousStackLimit;
	NT_PTR(void) StackBase;		/* one past the highest byte */
	NT_PTR(void) StackLimit;	/* lowest committed byte */
	NT_PTR(void) AllocatedStackBase;	/* the reservation's base */
} INITIAL_TEB;
NT_ASSERT_SIZE(INITIAL_TEB, 0x14);

/* x86 CONTEXT.ContextFlags */
#define CONTEXT_i386			0x00010000
#define CONTEXT_CONTROL			(CONTEXT_i386 | 0x01)	/* ebp eip cs eflags esp ss */
#define CONTEXT_INTEGER			(CONTEXT_i386 | 0x02)	/* edi esi ebx edx ecx eax */
#define CONTEXT_SEGMENTS		(CONTEXT_i386 | 0x04)	/* ds es fs gs */
#define CONTEXT_FLOATING_POINT		(CONTEXT_i386 | 0x08)	/* x87 state */
#define CONTEXT_DEBUG_REGISTERS		(CONTEXT_i386 | 0x10)	/* dr0-3, dr6, dr7 */
#define CONTEXT_EXTENDED_REGISTERS	(CONTEXT_i386 | 0x20)	/* FXSAVE image */
#define CONTEXT_FULL	(CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS)
#define CONTEXT_ALL	(CONTEXT_FULL | CONTEXT_FLOATING_POINT | \
			 CONTEXT_DEBUG_REGISTERS | CONTEXT_EXTENDED_REGISTERS)

#define SIZE_OF_80387_REGISTERS		80
#define MAXIMUM_SUPPORTED_EXTENSION	512

typedef struct _FLOATING_SAVE_AREA {
	ULONG ControlWord;
	ULONG StatusWord;
	ULONG TagWord;
	ULONG ErrorOffset;
	ULONG ErrorSelector;
	ULONG DataOffset;
	ULONG DataSelector;
	UCHAR RegisterArea[SIZE_OF_80387_REGISTERS];
	ULONG Cr0NpxState;
} FLOATING_SAVE_AREA;
NT_ASSERT_SIZE(FLOATING_SAVE_AREA, 0x70);

/* A thread's user-mode registers, as XP's x86 CONTEXT lays them out. */
typedef struct _CONTEXT {
	ULONG ContextFlags;
	ULONG Dr0;
	ULONG Dr1;
	ULONG Dr2;
	ULONG Dr3;
	ULONG Dr6;
	ULONG Dr7;
	FLOATING_SAVE_AREA FloatSave;
	ULONG SegGs;
	ULONG SegFs;
	ULONG SegEs;
	ULONG SegDs;
	ULONG Edi;
	ULONG Esi;
	ULONG Ebx;
	ULONG Edx;
	ULONG Ecx;
	ULONG Eax;
	ULONG Ebp;
	ULONG Eip;
	ULONG SegCs;
	ULONG EFlags;
	ULONG Esp;
	ULONG SegSs;
	UCHAR ExtendedRegisters[MAXIMUM_SUPPORTED_EXTENSION];
} CONTEXT;
NT_ASSERT_SIZE(CONTEXT, 0x2cc);
NT_ASSERT_OFFSET(CONTEXT, FloatSave, 0x1c);
NT_ASSERT_OFFSET(CONTEXT, SegGs, 0x8c);
NT_ASSERT_OFFSET(CONTEXT, Edi, 0x9c);
NT_ASSERT_OFFSET(CONTEXT, Eax, 0xb0);
NT_ASSERT_OFFSET(CONTEXT, Ebp, 0xb4);
NT_ASSERT_OFFSET(CONTEXT, Eip, 0xb8);
NT_ASSERT_OFFSET(CONTEXT, EFlags, 0xc0);
NT_ASSERT_OFFSET(CONTEXT, Esp, 0xc4);
NT_ASSERT_OFFSET(CONTEXT, SegSs, 0xc8);
NT_ASSERT_OFFSET(CONTEXT, ExtendedRegisters, 0xcc);

/* XP's user selectors, as CONTEXT shows them (KGDT_R3_CODE/DATA | 3) */
#define NT_USER_CS		0x1b
#define NT_USER_DS		0x23

/* A suspend count beyond this is STATUS_SUSPEND_COUNT_EXCEEDED */
#define MAXIMUM_SUSPEND_COUNT	0x7f

/* Where XP puts them: the PEB, then TEBs downwards from just below it. */
#define NT_PEB_ADDRESS		0x7ffdf000u
#define NT_TEB_TOP		0x7ffde000u

/* fs of an NT thread: GDT entry 7 (the second TLS slot), RPL 3 */
#define NT_TEB_SELECTOR		0x3b

/* OS version the PEB reports: Windows XP SP3 */
#define NT_OS_MAJOR		5
#define NT_OS_MINOR		1
#define NT_OS_BUILD		2600
#define NT_OS_CSD		0x0300	/* service pack 3, minor 0 */
#define NT_OS_PLATFORM_NT	2	/* VER_PLATFORM_WIN32_NT */

/* Exceptions: what KiDispatchException hands KiUserExceptionDispatcher */
#define EXCEPTION_MAXIMUM_PARAMETERS	15

/* EXCEPTION_RECORD.ExceptionFlags */
#define EXCEPTION_NONCONTINUABLE	0x01
#define EXCEPTION_UNWINDING		0x02
#define EXCEPTION_EXIT_UNWIND		0x04
#define EXCEPTION_STACK_INVALID		0x08
#define EXCEPTION_NESTED_CALL		0x10
#define EXCEPTION_TARGET_UNWIND		0x20
#define EXCEPTION_COLLIDED_UNWIND	0x40
#define EXCEPTION_UNWIND		(EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND | \
					 EXCEPTION_TARGET_UNWIND | \
					 EXCEPTION_COLLIDED_UNWIND)

typedef struct _EXCEPTION_RECORD {
	NTSTATUS ExceptionCode;
	ULONG ExceptionFlags;
	NT_PTR(struct _EXCEPTION_RECORD) ExceptionRecord;	/* a nested one */
	NT_PTR(void) ExceptionAddress;
	ULONG NumberParameters;
	ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];
} EXCEPTION_RECORD;
NT_ASSERT_SIZE(EXCEPTION_RECORD, 0x50);
NT_ASSERT_OFFSET(EXCEPTION_RECORD, ExceptionInformation, 0x14);

/* An fs:[0] chain entry (TEB.NtTib.ExceptionList; -1 ends the chain) */
typedef struct _EXCEPTION_REGISTRATION_RECORD {
	NT_PTR(struct _EXCEPTION_REGISTRATION_RECORD) Next;
	NT_PTR(void) Handler;
} EXCEPTION_REGISTRATION_RECORD;
NT_ASSERT_SIZE(EXCEPTION_REGISTRATION_RECORD, 8);

/* What an fs:[0] handler returns */
typedef enum _EXCEPTION_DISPOSITION {
	ExceptionContinueExecution = 0,
	ExceptionContinueSearch = 1,
	ExceptionNestedException = 2,
	ExceptionCollidedUnwind = 3,
} EXCEPTION_DISPOSITION;

/* ExceptionInformation[0] of STATUS_ACCESS_VIOLATION and STATUS_GUARD_PAGE_VIOLATION */
#define EXCEPTION_READ_FAULT		0
#define EXCEPTION_WRITE_FAULT		1
#define EXCEPTION_EXECUTE_FAULT		8

#endif /* _UAPI_NT_NTPS_H */
