/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Executive and process ABI: SYSTEM_INFORMATION_CLASS and the structures of
 * NtQuerySystemInformation, PROCESSINFOCLASS/THREADINFOCLASS and the
 * structures of NtQueryInformationProcess/Thread. XP SP3 layouts.
 */
#ifndef _UAPI_NT_NTEX_H
#define _UAPI_NT_NTEX_H

#include "ntdef.h"

typedef enum _SYSTEM_INFORMATION_CLASS {
	SystemBasicInformation = 0,
	SystemProcessorInformation = 1,
	SystemPerformanceInformation = 2,
	SystemTimeOfDayInformation = 3,
	SystemPathInformation = 4,
	SystemProcessInformation = 5,
	SystemCallCountInformation = 6,
	SystemDeviceInformation = 7,
	SystemProcessorPerformanceInformation = 8,
	SystemFlagsInformation = 9,
	SystemCallTimeInformation = 10,
	SystemModuleInformation = 11,
	SystemLocksInformation = 12,
	SystemStackTraceInformation = 13,
	SystemPagedPoolInformation = 14,
	SystemNonPagedPoolInformation = 15,
	SystemHandleInformation = 16,
	SystemObjectInformation = 17,
	SystemPageFileInformation = 18,
	SystemVdmInstemulInformation = 19,
	SystemVdmBopInformation = 20,
	SystemFileCacheInformation = 21,
	SystemPoolTagInformation = 22,
	SystemInterruptInformation = 23,
	SystemDpcBehaviorInformation = 24,
	SystemFullMemoryInformation = 25,
	SystemLoadGdiDriverInformation = 26,
	SystemUnloadGdiDriverInformation = 27,
	SystemTimeAdjustmentInformation = 28,
	SystemSummaryMemoryInformation = 29,
	SystemMirrorMemoryInformation = 30,
	SystemPerformanceTraceInformation = 31,
	SystemObsolete0 = 32,
	SystemExceptionInformation = 33,
	SystemCrashDumpStateInformation = 34,
	SystemKernelDebuggerInformation = 35,
	SystemContextSwitchInformation = 36,
	SystemRegistryQuotaInformation = 37,
	SystemExtendServiceTableInformation = 38,
	SystemPrioritySeperation = 39,
	SystemVerifierAddDriverInformation = 40,
	SystemVerifierRemoveDriverInformation = 41,
	SystemProcessorIdleInformation = 42,
	SystemLegacyDriverInformation = 43,
	SystemCurrentTimeZoneInformation = 44,
	SystemLookasideInformation = 45,
	SystemTimeSlipNotification = 46,
	SystemSessionCreate = 47,
	SystemSessionDetach = 48,
	SystemSessionInformation = 49,
	SystemRangeStartInformation = 50,
	SystemVerifierInformation = 51,
	SystemVerifierThunkExtend = 52,
	SystemSessionProcessInformation = 53,
	SystemLoadGdiDriverInSystemSpace = 54,
	SystemNumaProcessorMap = 55,
	SystemPrefetcherInformation = 56,
	SystemExtendedProcessInformation = 57,
	SystemRecommendedSharedDataAlignment = 58,
	SystemComPlusPackage = 59,
	SystemNumaAvailableMemory = 60,
	SystemProcessorPowerInformation = 61,
	SystemEmulationBasicInformation = 62,
	SystemEmulationProcessorInformation = 63,
	SystemExtendedHandleInformation = 64,
	SystemLostDelayedWriteInformation = 65,
	SystemBigPoolInformation = 66,
	SystemSessionPoolTagInformation = 67,
	SystemSessionMappedViewInformation = 68,
	SystemHotpatchInformation = 69,
	SystemObjectSecurityMode = 70,
	SystemWatchdogTimerHandler = 71,
	SystemWatchdogTimerInformation = 72,
	SystemLogicalProcessorInformation = 73,
} SYSTEM_INFORMATION_CLASS;

typedef struct _SYSTEM_BASIC_INFORMATION {
	ULONG Reserved;
	ULONG TimerResolution;		/* 100 ns units */
	ULONG PageSize;
	ULONG NumberOfPhysicalPages;
	ULONG LowestPhysicalPageNumber;
	ULONG HighestPhysicalPageNumber;
	ULONG AllocationGranularity;
	ULONG_PTR MinimumUserModeAddress;
	ULONG_PTR MaximumUserModeAddress;
	KAFFINITY ActiveProcessorsAffinityMask;
	CCHAR NumberOfProcessors;
} SYSTEM_BASIC_INFORMATION;
NT_ASSERT_SIZE(SYSTEM_BASIC_INFORMATION, 0x2c);
NT_ASSERT_OFFSET(SYSTEM_BASIC_INFORMATION, PageSize, 0x08);
NT_ASSERT_OFFSET(SYSTEM_BASIC_INFORMATION, AllocationGranularity, 0x18);
NT_ASSERT_OFFSET(SYSTEM_BASIC_INFORMATION, MaximumUserModeAddress, 0x20);
NT_ASSERT_OFFSET(SYSTEM_BASIC_INFORMATION, NumberOfProcessors, 0x28);

/* PROCESSOR_ARCHITECTURE_INTEL */
#define PROCESSOR_ARCHITECTURE_INTEL	0

typedef struct _SYSTEM_PROCESSOR_INFORMATION {
	USHORT ProcessorArchitecture;
	USHORT ProcessorLevel;		/* CPU family */
	USHORT ProcessorRevision;	/* model << 8 | stepping */
	USHORT Reserved;
	ULONG ProcessorFeatureBits;
} SYSTEM_PROCESSOR_INFORMATION;
NT_ASSERT_SIZE(SYSTEM_PROCESSOR_INFORMATION, 0x0c);
NT_ASSERT_OFFSET(SYSTEM_PROCESSOR_INFORMATION, ProcessorFeatureBits, 0x08);

typedef struct _SYSTEM_PERFORMANCE_INFORMATION {
	LARGE_INTEGER IdleProcessTime;
	LARGE_INTEGER IoReadTransferCount;
	LARGE_INTEGER IoWriteTransferCount;
	LARGE_INTEGER IoOtherTransferCount;
	ULONG IoReadOperationCount;
	ULONG IoWriteOperationCount;
	ULONG IoOtherOperationCount;
	ULONG AvailablePages;
	ULONG CommittedPages;
	ULONG CommitLimit;
	ULONG PeakCommitment;
	ULONG PageFaultCount;
	ULONG CopyOnWriteCount;
	ULONG TransitionCount;
	ULONG CacheTransitionCount;
	ULONG DemandZeroCount;
	ULONG PageReadCount;
	ULONG PageReadIoCount;
	ULONG CacheReadCount;
	ULONG CacheIoCount;
	ULONG DirtyPagesWriteCount;
	ULONG DirtyWriteIoCount;
	ULONG MappedPagesWriteCount;
	ULONG MappedWriteIoCount;
	ULONG PagedPoolPages;
	ULONG NonPagedPoolPages;
	ULONG PagedPoolAllocs;
	ULONG PagedPoolFrees;
	ULONG NonPagedPoolAllocs;
	ULONG NonPagedPoolFrees;
	ULONG FreeSystemPtes;
	ULONG ResidentSystemCodePage;
	ULONG TotalSystemDriverPages;
	ULONG TotalSystemCodePages;
	ULONG NonPagedPoolLookasideHits;
	ULONG PagedPoolLookasideHits;
	ULONG AvailablePagedPoolPages;
	ULONG ResidentSystemCachePage;
	ULONG ResidentPagedPoolPage;
	ULONG ResidentSystemDriverPage;
	ULONG CcFastReadNoWait;
	ULONG CcFastReadWait;
	ULONG CcFastReadResourceMiss;
	ULONG CcFastReadNotPossible;
	ULONG CcFastMdlReadNoWait;
	ULONG CcFastMdlReadWait;
	ULONG CcFastMdlReadResourceMiss;
	ULONG CcFastMdlReadNotPossible;
	ULONG CcMapDataNoWait;
	ULONG CcMapDataWait;
	ULONG CcMapDataNoWaitMiss;
	ULONG CcMapDataWaitMiss;
	ULONG CcPinMappedDataCount;
	ULONG CcPinReadNoWait;
	ULONG CcPinReadWait;
	ULONG CcPinReadNoWaitMiss;
	ULONG CcPinReadWaitMiss;
	ULONG CcCopyReadNoWait;
	ULONG CcCopyReadWait;
	ULONG CcCopyReadNoWaitMiss;
	ULONG CcCopyReadWaitMiss;
	ULONG CcMdlReadNoWait;
	ULONG CcMdlReadWait;
	ULONG CcMdlReadNoWaitMiss;
	ULONG CcMdlReadWaitMiss;
	ULONG CcReadAheadIos;
	ULONG CcLazyWriteIos;
	ULONG CcLazyWritePages;
	ULONG CcDataFlushes;
	ULONG CcDataPages;
	ULONG ContextSwitches;
	ULONG FirstLevelTbFills;
	ULONG SecondLevelTbFills;
	ULONG SystemCalls;
} SYSTEM_PERFORMANCE_INFORMATION;
NT_ASSERT_SIZE(SYSTEM_PERFORMANCE_INFORMATION, 0x138);
NT_ASSERT_OFFSET(SYSTEM_PERFORMANCE_INFORMATION, IoReadOperationCount, 0x20);
NT_ASSERT_OFFSET(SYSTEM_PERFORMANCE_INFORMATION, AvailablePages, 0x2c);
NT_ASSERT_OFFSET(SYSTEM_PERFORMANCE_INFORMATION, PageFaultCount, 0x3c);
NT_ASSERT_OFFSET(SYSTEM_PERFORMANCE_INFORMATION, CcFastReadNoWait, 0xb0);
NT_ASSERT_OFFSET(SYSTEM_PERFORMANCE_INFORMATION, ContextSwitches, 0x128);
NT_ASSERT_OFFSET(SYSTEM_PERFORMANCE_INFORMATION, SystemCalls, 0x134);

/* XP's structure ends after Reserved (0x20 bytes); later versions grew. */
typedef struct _SYSTEM_TIME_OF_DAY_INFORMATION {
	LARGE_INTEGER BootTime;
	LARGE_INTEGER CurrentTime;
	LARGE_INTEGER TimeZoneBias;
	ULONG TimeZoneId;
	ULONG Reserved;
} SYSTEM_TIME_OF_DAY_INFORMATION;
NT_ASSERT_SIZE(SYSTEM_TIME_OF_DAY_INFORMATION, 0x20);
NT_ASSERT_OFFSET(SYSTEM_TIME_OF_DAY_INFORMATION, TimeZoneBias, 0x10);
NT_ASSERT_OFFSET(SYSTEM_TIME_OF_DAY_INFORMATION, TimeZoneId, 0x18);

/* One per processor; KernelTime includes IdleTime. */
typedef struct _SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION {
	LARGE_INTEGER IdleTime;
	LARGE_INTEGER KernelTime;
	LARGE_INTEGER UserTime;
	LARGE_INTEGER DpcTime;
	LARGE_INTEGER InterruptTime;
	ULONG InterruptCount;
} SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION;
NT_ASSERT_SIZE(SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION, 0x30);
NT_ASSERT_OFFSET(SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION, UserTime, 0x10);
NT_ASSERT_OFFSET(SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION, InterruptCount, 0x28);

typedef struct _SYSTEM_KERNEL_DEBUGGER_INFORMATION {
	BOOLEAN KernelDebuggerEnabled;
	BOOLEAN KernelDebuggerNotPresent;
} SYSTEM_KERNEL_DEBUGGER_INFORMATION;
NT_ASSERT_SIZE(SYSTEM_KERNEL_DEBUGGER_INFORMATION, 2);

typedef struct _VM_COUNTERS {
	SIZE_T PeakVirtualSize;
	SIZE_T VirtualSize;
	ULONG PageFaultCount;
	SIZE_T PeakWorkingSetSize;
	SIZE_T WorkingSetSize;
	SIZE_T QuotaPeakPagedPoolUsage;
	SIZE_T QuotaPagedPoolUsage;
	SIZE_T QuotaPeakNonPagedPoolUsage;
	SIZE_T QuotaNonPagedPoolUsage;
	SIZE_T PagefileUsage;
	SIZE_T PeakPagefileUsage;
} VM_COUNTERS;
NT_ASSERT_SIZE(VM_COUNTERS, 0x2c);

typedef struct _IO_COUNTERS {
	ULONGLONG ReadOperationCount;
	ULONGLONG WriteOperationCount;
	ULONGLONG OtherOperationCount;
	ULONGLONG ReadTransferCount;
	ULONGLONG WriteTransferCount;
	ULONGLONG OtherTransferCount;
} IO_COUNTERS;
NT_ASSERT_SIZE(IO_COUNTERS, 0x30);

typedef struct _SYSTEM_THREAD_INFORMATION {
	LARGE_INTEGER KernelTime;
	LARGE_INTEGER UserTime;
	LARGE_INTEGER CreateTime;
	ULONG WaitTime;
	NT_PTR(void) StartAddress;
	CLIENT_ID ClientId;
	KPRIORITY Priority;
	LONG BasePriority;
	ULONG ContextSwitches;
	ULONG ThreadState;
	ULONG WaitReason;
} SYSTEM_THREAD_INFORMATION;
NT_ASSERT_SIZE(SYSTEM_THREAD_INFORMATION, 0x40);
NT_ASSERT_OFFSET(SYSTEM_THREAD_INFORMATION, WaitTime, 0x18);
NT_ASSERT_OFFSET(SYSTEM_THREAD_INFORMATION, ClientId, 0x20);
NT_ASSERT_OFFSET(SYSTEM_THREAD_INFORMATION, Priority, 0x28);
NT_ASSERT_OFFSET(SYSTEM_THREAD_INFORMATION, WaitReason, 0x38);

/*
 * SystemProcessInformation: one entry per process, chained by
 * NextEntryOffset (0 in the last), each followed by NumberOfThreads
 * SYSTEM_THREAD_INFORMATION and then the image name's characters.
 */
typedef struct _SYSTEM_PROCESS_INFORMATION {
	ULONG NextEntryOffset;
	ULONG NumberOfThreads;
	LARGE_INTEGER Reserved1[3];
	LARGE_INTEGER CreateTime;
	LARGE_INTEGER UserTime;
	LARGE_INTEGER KernelTime;
	UNICODE_STRING ImageName;
	KPRIORITY BasePriority;
	HANDLE UniqueProcessId;
	HANDLE InheritedFromUniqueProcessId;
	ULONG HandleCount;
	ULONG SessionId;
	ULONG_PTR PageDirectoryBase;
	VM_COUNTERS VmCounters;
	SIZE_T PrivatePageCount;
	IO_COUNTERS IoCounters;
	SYSTEM_THREAD_INFORMATION Threads[];
} SYSTEM_PROCESS_INFORMATION;
NT_ASSERT_SIZE(SYSTEM_PROCESS_INFORMATION, 0xb8);
NT_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, CreateTime, 0x20);
NT_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, ImageName, 0x38);
NT_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, BasePriority, 0x40);
NT_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, UniqueProcessId, 0x44);
NT_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, HandleCount, 0x4c);
NT_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, VmCounters, 0x58);
NT_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, PrivatePageCount, 0x84);
NT_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, IoCounters, 0x88);
NT_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, Threads, 0xb8);

typedef enum _PROCESSINFOCLASS {
	ProcessBasicInformation = 0,
	ProcessQuotaLimits = 1,
	ProcessIoCounters = 2,
	ProcessVmCounters = 3,
	ProcessTimes = 4,
	ProcessBasePriority = 5,
	ProcessRaisePriority = 6,
	ProcessDebugPort = 7,
	ProcessExceptionPort = 8,
	ProcessAccessToken = 9,
	ProcessLdtInformation = 10,
	ProcessLdtSize = 11,
	ProcessDefaultHardErrorMode = 12,
	ProcessIoPortHandlers = 13,
	ProcessPooledUsageAndLimits = 14,
	ProcessWorkingSetWatch = 15,
	ProcessUserModeIOPL = 16,
	ProcessEnableAlignmentFaultFixup = 17,
	ProcessPriorityClass = 18,
	ProcessWx86Information = 19,
	ProcessHandleCount = 20,
	ProcessAffinityMask = 21,
	ProcessPriorityBoost = 22,
	ProcessDeviceMap = 23,
	ProcessSessionInformation = 24,
	ProcessForegroundInformation = 25,
	ProcessWow64Information = 26,
	ProcessImageFileName = 27,
	ProcessLUIDDeviceMapsEnabled = 28,
	ProcessBreakOnTermination = 29,
	ProcessDebugObjectHandle = 30,
	ProcessDebugFlags = 31,
	ProcessHandleTracing = 32,
	ProcessIoPriority = 33,
	ProcessExecuteFlags = 34,
} PROCESSINFOCLASS;

typedef enum _THREADINFOCLASS {
	ThreadBasicInformation = 0,
	ThreadTimes = 1,
	ThreadPriority = 2,
	ThreadBasePriority = 3,
	ThreadAffinityMask = 4,
	ThreadImpersonationToken = 5,
	ThreadDescriptorTableEntry = 6,
	ThreadEnableAlignmentFaultFixup = 7,
	ThreadEventPair = 8,
	ThreadQuerySetWin32StartAddress = 9,
	ThreadZeroTlsCell = 10,
	ThreadPerformanceCount = 11,
	ThreadAmILastThread = 12,
	ThreadIdealProcessor = 13,
	ThreadPriorityBoost = 14,
	ThreadSetTlsArrayAddress = 15,
	ThreadIsIoPending = 16,
	ThreadHideFromDebugger = 17,
	ThreadBreakOnTermination = 18,
} THREADINFOCLASS;

typedef struct _PROCESS_BASIC_INFORMATION {
	NTSTATUS ExitStatus;		/* STATUS_PENDING while running */
	NT_PTR(void) PebBaseAddress;
	KAFFINITY AffinityMask;
	KPRIORITY BasePriority;
	ULONG_PTR UniqueProcessId;
	ULONG_PTR InheritedFromUniqueProcessId;
} PROCESS_BASIC_INFORMATION;
NT_ASSERT_SIZE(PROCESS_BASIC_INFORMATION, 0x18);
NT_ASSERT_OFFSET(PROCESS_BASIC_INFORMATION, PebBaseAddress, 0x04);
NT_ASSERT_OFFSET(PROCESS_BASIC_INFORMATION, UniqueProcessId, 0x10);
NT_ASSERT_OFFSET(PROCESS_BASIC_INFORMATION, InheritedFromUniqueProcessId, 0x14);

/* ProcessTimes and ThreadTimes */
typedef struct _KERNEL_USER_TIMES {
	LARGE_INTEGER CreateTime;
	LARGE_INTEGER ExitTime;
	LARGE_INTEGER KernelTime;
	LARGE_INTEGER UserTime;
} KERNEL_USER_TIMES;
NT_ASSERT_SIZE(KERNEL_USER_TIMES, 0x20);
NT_ASSERT_OFFSET(KERNEL_USER_TIMES, UserTime, 0x18);

typedef struct _QUOTA_LIMITS {
	SIZE_T PagedPoolLimit;
	SIZE_T NonPagedPoolLimit;
	SIZE_T MinimumWorkingSetSize;
	SIZE_T MaximumWorkingSetSize;
	SIZE_T PagefileLimit;
	LARGE_INTEGER TimeLimit;
} QUOTA_LIMITS;
NT_ASSERT_SIZE(QUOTA_LIMITS, 0x20);
NT_ASSERT_OFFSET(QUOTA_LIMITS, TimeLimit, 0x18);

typedef struct _PROCESS_PRIORITY_CLASS {
	BOOLEAN Foreground;
	UCHAR PriorityClass;
} PROCESS_PRIORITY_CLASS;
NT_ASSERT_SIZE(PROCESS_PRIORITY_CLASS, 2);

typedef struct _PROCESS_SESSION_INFORMATION {
	ULONG SessionId;
} PROCESS_SESSION_INFORMATION;
NT_ASSERT_SIZE(PROCESS_SESSION_INFORMATION, 4);

typedef struct _THREAD_BASIC_INFORMATION {
	NTSTATUS ExitStatus;
	NT_PTR(void) TebBaseAddress;
	CLIENT_ID ClientId;
	KAFFINITY AffinityMask;
	KPRIORITY Priority;
	KPRIORITY BasePriority;
} THREAD_BASIC_INFORMATION;
NT_ASSERT_SIZE(THREAD_BASIC_INFORMATION, 0x1c);
NT_ASSERT_OFFSET(THREAD_BASIC_INFORMATION, ClientId, 0x08);
NT_ASSERT_OFFSET(THREAD_BASIC_INFORMATION, AffinityMask, 0x10);
NT_ASSERT_OFFSET(THREAD_BASIC_INFORMATION, BasePriority, 0x18);

#endif /* _UAPI_NT_NTEX_H */
