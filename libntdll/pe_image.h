/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PE/COFF structures ntdll's loader reads (Microsoft's "PE Format"
 * specification), 32-bit images only. User-side copies: the kernel's
 * image section code (module/mm/image.c) has its own.
 */
#ifndef NTDLL_PE_IMAGE_H
#define NTDLL_PE_IMAGE_H

#include <ntdll.h>

#define IMAGE_DOS_SIGNATURE		0x5a4d		/* MZ */
#define IMAGE_NT_SIGNATURE		0x00004550	/* PE\0\0 */
#define IMAGE_NT_OPTIONAL_HDR32_MAGIC	0x10b
#define IMAGE_FILE_RELOCS_STRIPPED	0x0001
#define IMAGE_FILE_DLL			0x2000

#define IMAGE_DIRECTORY_ENTRY_EXPORT	0
#define IMAGE_DIRECTORY_ENTRY_IMPORT	1
#define IMAGE_DIRECTORY_ENTRY_BASERELOC	5
#define IMAGE_DIRECTORY_ENTRY_TLS	9
#define IMAGE_NUMBEROF_DIRECTORY_ENTRIES 16

#define IMAGE_SCN_MEM_EXECUTE		0x20000000
#define IMAGE_SCN_MEM_READ		0x40000000
#define IMAGE_SCN_MEM_WRITE		0x80000000

#define IMAGE_REL_BASED_ABSOLUTE	0
#define IMAGE_REL_BASED_HIGH		1
#define IMAGE_REL_BASED_LOW		2
#define IMAGE_REL_BASED_HIGHLOW		3

#define IMAGE_ORDINAL_FLAG32		0x80000000u

#define DLL_PROCESS_DETACH		0
#define DLL_PROCESS_ATTACH		1
#define DLL_THREAD_ATTACH		2
#define DLL_THREAD_DETACH		3

typedef struct {
	USHORT e_magic;
	USHORT e_cblp, e_cp, e_crlc, e_cparhdr, e_minalloc, e_maxalloc, e_ss;
	USHORT e_sp, e_csum, e_ip, e_cs, e_lfarlc, e_ovno, e_res[4];
	USHORT e_oemid, e_oeminfo, e_res2[10];
	LONG e_lfanew;
} IMAGE_DOS_HEADER;

typedef struct {
	USHORT Machine;
	USHORT NumberOfSections;
	ULONG TimeDateStamp;
	ULONG PointerToSymbolTable;
	ULONG NumberOfSymbols;
	USHORT SizeOfOptionalHeader;
	USHORT Characteristics;
} IMAGE_FILE_HEADER;

typedef struct {
	ULONG VirtualAddress;
	ULONG Size;
} IMAGE_DATA_DIRECTORY;

typedef struct {
	USHORT Magic;
	UCHAR MajorLinkerVersion, MinorLinkerVersion;
	ULONG SizeOfCode, SizeOfInitializedData, SizeOfUninitializedData;
	ULONG AddressOfEntryPoint, BaseOfCode, BaseOfData, ImageBase;
	ULONG SectionAlignment, FileAlignment;
	USHORT MajorOperatingSystemVersion, MinorOperatingSystemVersion;
	USHORT MajorImageVersion, MinorImageVersion;
	USHORT MajorSubsystemVersion, MinorSubsystemVersion;
	ULONG Win32VersionValue, SizeOfImage, SizeOfHeaders, CheckSum;
	USHORT Subsystem, DllCharacteristics;
	ULONG SizeOfStackReserve, SizeOfStackCommit;
	ULONG SizeOfHeapReserve, SizeOfHeapCommit;
	ULONG LoaderFlags, NumberOfRvaAndSizes;
	IMAGE_DATA_DIRECTORY DataDirectory[IMAGE_NUMBEROF_DIRECTORY_ENTRIES];
} IMAGE_OPTIONAL_HEADER32;

typedef struct {
	ULONG Signature;
	IMAGE_FILE_HEADER FileHeader;
	IMAGE_OPTIONAL_HEADER32 OptionalHeader;
} IMAGE_NT_HEADERS32;

typedef struct {
	UCHAR Name[8];
	ULONG VirtualSize, VirtualAddress, SizeOfRawData, PointerToRawData;
	ULONG PointerToRelocations, PointerToLinenumbers;
	USHORT NumberOfRelocations, NumberOfLinenumbers;
	ULONG Characteristics;
} IMAGE_SECTION_HEADER;

typedef struct {
	ULONG Characteristics, TimeDateStamp;
	USHORT MajorVersion, MinorVersion;
	ULONG Name, Base, NumberOfFunctions, NumberOfNames;
	ULONG AddressOfFunctions, AddressOfNames, AddressOfNameOrdinals;
} IMAGE_EXPORT_DIRECTORY;

typedef struct {
	ULONG OriginalFirstThunk;	/* the lookup table (0: use FirstThunk) */
	ULONG TimeDateStamp, ForwarderChain;
	ULONG Name;
	ULONG FirstThunk;		/* the IAT */
} IMAGE_IMPORT_DESCRIPTOR;

typedef struct {
	ULONG VirtualAddress;
	ULONG SizeOfBlock;
} IMAGE_BASE_RELOCATION;

typedef struct {
	ULONG StartAddressOfRawData, EndAddressOfRawData;
	ULONG AddressOfIndex, AddressOfCallBacks;
	ULONG SizeOfZeroFill, Characteristics;
} IMAGE_TLS_DIRECTORY32;

#define IMAGE_FIRST_SECTION(nt) ((IMAGE_SECTION_HEADER *)((char *)&(nt)->OptionalHeader + \
	(nt)->FileHeader.SizeOfOptionalHeader))

#endif
