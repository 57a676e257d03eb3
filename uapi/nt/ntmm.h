/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Memory manager ABI: allocation types, page protections, section
 * attributes, MEMORY_BASIC_INFORMATION and the section information classes.
 */
#ifndef _UAPI_NT_NTMM_H
#define _UAPI_NT_NTMM_H

#include "ntdef.h"

/*
 * The kernel has its own PAGE_READONLY (a pgprot_t): take its header first
 * and drop that name, so NT's protection below is the one kernel code sees
 * whatever the include order.
 */
#ifdef __KERNEL__
#include <asm/pgtable_types.h>
#undef PAGE_READONLY
#endif

/* AllocationType / FreeType / MEMORY_BASIC_INFORMATION.State and .Type */
#define MEM_COMMIT			0x00001000
#define MEM_RESERVE			0x00002000
#define MEM_DECOMMIT			0x00004000
#define MEM_RELEASE			0x00008000
#define MEM_FREE			0x00010000
#define MEM_PRIVATE			0x00020000
#define MEM_MAPPED			0x00040000
#define MEM_RESET			0x00080000
#define MEM_TOP_DOWN			0x00100000
#define MEM_WRITE_WATCH			0x00200000
#define MEM_PHYSICAL			0x00400000
#define MEM_IMAGE			0x01000000
#define MEM_LARGE_PAGES			0x20000000
#define MEM_4MB_PAGES			0x80000000

/* Page protections */
#define PAGE_NOACCESS			0x00000001
#define PAGE_READONLY			0x00000002
#define PAGE_READWRITE			0x00000004
#define PAGE_WRITECOPY			0x00000008
#define PAGE_EXECUTE			0x00000010
#define PAGE_EXECUTE_READ		0x00000020
#define PAGE_EXECUTE_READWRITE		0x00000040
#define PAGE_EXECUTE_WRITECOPY		0x00000080
#define PAGE_GUARD			0x00000100
#define PAGE_NOCACHE			0x00000200
#define PAGE_WRITECOMBINE		0x00000400

/* NtCreateSection AllocationAttributes */
#define SEC_FILE			0x00800000
#define SEC_IMAGE			0x01000000
#define SEC_RESERVE			0x04000000
#define SEC_COMMIT			0x08000000
#define SEC_NOCACHE			0x10000000
#define SEC_LARGE_PAGES			0x80000000

/* XP's address space: 64 KiB allocation granularity, 4 KiB pages */
#define NT_PAGE_SIZE			0x1000
#define NT_ALLOCATION_GRANULARITY	0x10000

typedef enum _MEMORY_INFORMATION_CLASS {
	MemoryBasicInformation = 0,
	MemoryWorkingSetList = 1,
	MemorySectionName = 2,
	MemoryBasicVlmInformation = 3,
} MEMORY_INFORMATION_CLASS;

typedef struct _MEMORY_BASIC_INFORMATION {
	NT_PTR(void) BaseAddress;
	NT_PTR(void) AllocationBase;
	ULONG AllocationProtect;
	SIZE_T RegionSize;
	ULONG State;			/* MEM_COMMIT, MEM_RESERVE, MEM_FREE */
	ULONG Protect;
	ULONG Type;			/* MEM_PRIVATE, MEM_MAPPED, MEM_IMAGE */
} MEMORY_BASIC_INFORMATION;
NT_ASSERT_SIZE(MEMORY_BASIC_INFORMATION, 0x1c);
NT_ASSERT_OFFSET(MEMORY_BASIC_INFORMATION, AllocationProtect, 0x08);
NT_ASSERT_OFFSET(MEMORY_BASIC_INFORMATION, RegionSize, 0x0c);
NT_ASSERT_OFFSET(MEMORY_BASIC_INFORMATION, State, 0x10);
NT_ASSERT_OFFSET(MEMORY_BASIC_INFORMATION, Protect, 0x14);
NT_ASSERT_OFFSET(MEMORY_BASIC_INFORMATION, Type, 0x18);

typedef enum _SECTION_INHERIT {
	ViewShare = 1,
	ViewUnmap = 2,
} SECTION_INHERIT;

typedef enum _SECTION_INFORMATION_CLASS {
	SectionBasicInformation = 0,
	SectionImageInformation = 1,
} SECTION_INFORMATION_CLASS;

typedef struct _SECTION_BASIC_INFORMATION {
	NT_PTR(void) BaseAddress;
	ULONG AllocationAttributes;	/* SEC_* */
	LARGE_INTEGER MaximumSize;
} SECTION_BASIC_INFORMATION;
NT_ASSERT_SIZE(SECTION_BASIC_INFORMATION, 0x10);
NT_ASSERT_OFFSET(SECTION_BASIC_INFORMATION, AllocationAttributes, 0x04);
NT_ASSERT_OFFSET(SECTION_BASIC_INFORMATION, MaximumSize, 0x08);

typedef struct _SECTION_IMAGE_INFORMATION {
	NT_PTR(void) TransferAddress;
	ULONG ZeroBits;
	SIZE_T MaximumStackSize;
	SIZE_T CommittedStackSize;
	ULONG SubSystemType;
	union {
		struct {
			USHORT SubSystemMinorVersion;
			USHORT SubSystemMajorVersion;
		};
		ULONG SubSystemVersion;
	};
	ULONG GpValue;
	USHORT ImageCharacteristics;
	USHORT DllCharacteristics;
	USHORT Machine;
	BOOLEAN ImageContainsCode;
	BOOLEAN Spare1;
	ULONG LoaderFlags;
	ULONG ImageFileSize;
	/* XP: Reserved[1], left zero; later Windows put CheckSum here */
	union {
		ULONG Reserved[1];
		ULONG CheckSum;
	};
} SECTION_IMAGE_INFORMATION;
NT_ASSERT_SIZE(SECTION_IMAGE_INFORMATION, 0x30);
NT_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, SubSystemType, 0x10);
NT_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, SubSystemVersion, 0x14);
NT_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, ImageCharacteristics, 0x1c);
NT_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, Machine, 0x20);
NT_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, LoaderFlags, 0x24);
NT_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, ImageFileSize, 0x28);
NT_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, CheckSum, 0x2c);

#endif /* _UAPI_NT_NTMM_H */
