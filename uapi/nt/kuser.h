/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * KUSER_SHARED_DATA as Windows XP (5.1) lays it out at 0x7ffe0000, mapped
 * read-only into every attached process. Offsets are asserted below; the
 * layout is the XP one, not a later Windows version's.
 *
 * The time fields are KSYSTEM_TIME: the writer stores High2Time, LowPart,
 * High1Time in that order; a reader loops until High1Time == High2Time,
 * reading through a volatile (or READ_ONCE) view of the page.
 */
#ifndef _UAPI_NT_KUSER_H
#define _UAPI_NT_KUSER_H

#define NT_KUSER_SHARED_DATA		0x7ffe0000

/*
 * Code that the module places in the same page, after the structure: the
 * targets of SystemCall and SystemCallReturn. KiFastSystemCall sets DF as
 * a register-only marker that tells the sysenter hook an NT call from a
 * Linux vDSO call (the Linux ABI never enters the vDSO with DF set).
 */
#define NT_KUSER_KI_FAST_SYSTEM_CALL		(NT_KUSER_SHARED_DATA + 0x400)
#define NT_KUSER_KI_FAST_SYSTEM_CALL_RET	(NT_KUSER_SHARED_DATA + 0x410)
#define NT_KUSER_KI_INT_SYSTEM_CALL		(NT_KUSER_SHARED_DATA + 0x420)

#ifndef __ASSEMBLY__
#include <linux/types.h>

typedef struct _KSYSTEM_TIME {
	__u32 LowPart;
	__s32 High1Time;
	__s32 High2Time;
} KSYSTEM_TIME;

#define NT_PROCESSOR_FEATURE_MAX	64

/* ProcessorFeatures[] indexes (PF_*) */
#define PF_FLOATING_POINT_PRECISION_ERRATA	0
#define PF_FLOATING_POINT_EMULATED		1
#define PF_COMPARE_EXCHANGE_DOUBLE		2
#define PF_MMX_INSTRUCTIONS_AVAILABLE		3
#define PF_XMMI_INSTRUCTIONS_AVAILABLE		6
#define PF_3DNOW_INSTRUCTIONS_AVAILABLE		7
#define PF_RDTSC_INSTRUCTION_AVAILABLE		8
#define PF_PAE_ENABLED				9
#define PF_XMMI64_INSTRUCTIONS_AVAILABLE	10
#define PF_NX_ENABLED				12
#define PF_SSE3_INSTRUCTIONS_AVAILABLE		13

typedef struct _KUSER_SHARED_DATA {
	__u32 TickCountLowDeprecated;		/* 0x000 */
	__u32 TickCountMultiplier;		/* 0x004 */
	KSYSTEM_TIME InterruptTime;	/* 0x008 */
	KSYSTEM_TIME SystemTime;	/* 0x014 */
	KSYSTEM_TIME TimeZoneBias;	/* 0x020 */
	__u16 ImageNumberLow;			/* 0x02c */
	__u16 ImageNumberHigh;			/* 0x02e */
	__u16 NtSystemRoot[260];		/* 0x030 */
	__u32 MaxStackTraceDepth;		/* 0x238 */
	__u32 CryptoExponent;			/* 0x23c */
	__u32 TimeZoneId;			/* 0x240 */
	__u32 Reserved2[8];			/* 0x244 */
	__u32 NtProductType;			/* 0x264 */
	__u8 ProductTypeIsValid;		/* 0x268 */
	__u8 Pad0[3];
	__u32 NtMajorVersion;			/* 0x26c */
	__u32 NtMinorVersion;			/* 0x270 */
	__u8 ProcessorFeatures[NT_PROCESSOR_FEATURE_MAX];	/* 0x274 */
	__u32 Reserved1;			/* 0x2b4 */
	__u32 Reserved3;			/* 0x2b8 */
	__u32 TimeSlip;		/* 0x2bc */
	__u32 AlternativeArchitecture;		/* 0x2c0 */
	__u32 Pad1;
	__s64 SystemExpirationDate;		/* 0x2c8 */
	__u32 SuiteMask;			/* 0x2d0 */
	__u8 KdDebuggerEnabled;			/* 0x2d4 */
	__u8 NXSupportPolicy;			/* 0x2d5 */
	__u8 Pad2[2];
	__u32 ActiveConsoleId;		/* 0x2d8 */
	__u32 DismountCount;		/* 0x2dc */
	__u32 ComPlusPackage;			/* 0x2e0 */
	__u32 LastSystemRITEventTickCount;	/* 0x2e4 */
	__u32 NumberOfPhysicalPages;		/* 0x2e8 */
	__u8 SafeBootMode;			/* 0x2ec */
	__u8 Pad3[3];
	__u32 TraceLogging;			/* 0x2f0 */
	__u32 Pad4;
	__u64 TestRetInstruction;		/* 0x2f8 */
	__u32 SystemCall;			/* 0x300 */
	__u32 SystemCallReturn;			/* 0x304 */
	__u64 SystemCallPad[3];			/* 0x308 */
	KSYSTEM_TIME TickCount;	/* 0x320 */
	__u32 Pad5;
	__u32 Cookie;				/* 0x330 */
	__u32 Pad6;
} __attribute__((aligned(8))) KUSER_SHARED_DATA;

#define NT_KUSER_ASSERT(f, off) \
	_Static_assert(__builtin_offsetof(KUSER_SHARED_DATA, f) == (off), \
		       "KUSER_SHARED_DATA." #f " is not at XP offset " #off)
NT_KUSER_ASSERT(TickCountMultiplier, 0x004);
NT_KUSER_ASSERT(InterruptTime, 0x008);
NT_KUSER_ASSERT(SystemTime, 0x014);
NT_KUSER_ASSERT(TimeZoneBias, 0x020);
NT_KUSER_ASSERT(ImageNumberLow, 0x02c);
NT_KUSER_ASSERT(NtSystemRoot, 0x030);
NT_KUSER_ASSERT(MaxStackTraceDepth, 0x238);
NT_KUSER_ASSERT(NtProductType, 0x264);
NT_KUSER_ASSERT(ProductTypeIsValid, 0x268);
NT_KUSER_ASSERT(NtMajorVersion, 0x26c);
NT_KUSER_ASSERT(NtMinorVersion, 0x270);
NT_KUSER_ASSERT(ProcessorFeatures, 0x274);
NT_KUSER_ASSERT(Reserved1, 0x2b4);
NT_KUSER_ASSERT(SystemExpirationDate, 0x2c8);
NT_KUSER_ASSERT(SuiteMask, 0x2d0);
NT_KUSER_ASSERT(KdDebuggerEnabled, 0x2d4);
NT_KUSER_ASSERT(ActiveConsoleId, 0x2d8);
NT_KUSER_ASSERT(NumberOfPhysicalPages, 0x2e8);
NT_KUSER_ASSERT(SafeBootMode, 0x2ec);
NT_KUSER_ASSERT(TraceLogging, 0x2f0);
NT_KUSER_ASSERT(TestRetInstruction, 0x2f8);
NT_KUSER_ASSERT(SystemCall, 0x300);
NT_KUSER_ASSERT(SystemCallReturn, 0x304);
NT_KUSER_ASSERT(SystemCallPad, 0x308);
NT_KUSER_ASSERT(TickCount, 0x320);
NT_KUSER_ASSERT(Cookie, 0x330);
_Static_assert(sizeof(KUSER_SHARED_DATA) == 0x338, "XP KUSER_SHARED_DATA is 0x338 bytes");
#endif /* __ASSEMBLY__ */

#endif /* _UAPI_NT_KUSER_H */
