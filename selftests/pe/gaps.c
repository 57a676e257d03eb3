// SPDX-License-Identifier: GPL-2.0
/*
 * Linked at 0x7c900000, where ntdll.dll already is, with a section
 * alignment of 0x4000: the kernel maps it elsewhere with no-access pages
 * between its sections, and the loader relocates it. After that every
 * page must have what the kernel gave it (docs/images.md, as XP's
 * MiCreateImageFileMap): the headers PAGE_READONLY, each section its
 * own protection, the pages of no section PAGE_NOACCESS; nothing
 * writable and executable that the image did not ask to be. XP's
 * loader restores exactly the sections it unprotected (ReactOS
 * dll/ntdll/ldr/ldrutils.c LdrpSetProtection).
 */
#include "native.h"

NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE Process, PVOID Address, ULONG Class,
				    PVOID Info, SIZE_T Length, PSIZE_T Result);

static const char *const words[] = { "relocated", "gapped", "image" };
static volatile int counter = 7;	/* .data */

/* What the kernel maps for a section's characteristics. */
static ULONG scn_protect(ULONG c)
{
	int x = !!(c & IMAGE_SCN_MEM_EXECUTE), r = !!(c & IMAGE_SCN_MEM_READ);

	if (c & IMAGE_SCN_MEM_WRITE)
		return x ? PAGE_EXECUTE_WRITECOPY : PAGE_WRITECOPY;
	if (x)
		return r ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
	return r ? PAGE_READONLY : PAGE_NOACCESS;
}

static int wx(ULONG p)
{
	return p == PAGE_EXECUTE_READWRITE || p == PAGE_EXECUTE_WRITECOPY;
}

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	char *base = *(char **)((char *)peb + 8);	/* ImageBaseAddress */
	IMAGE_NT_HEADERS32 *nt = (void *)(base + ((IMAGE_DOS_HEADER *)base)->e_lfanew);
	IMAGE_SECTION_HEADER *s = IMAGE_FIRST_SECTION(nt);
	ULONG size = (nt->OptionalHeader.SizeOfImage + 0xfff) & ~0xfff;
	ULONG hdrs = (nt->OptionalHeader.SizeOfHeaders + 0xfff) & ~0xfff;
	ULONG rva, want, i, bad = 0, nwx = 0, gaps = 0, hdr_prot = 0, gap_prot = 0;
	MEMORY_BASIC_INFORMATION mbi;
	char buf[160], first[96] = "";

	for (rva = 0; rva < size; rva += 0x1000) {
		int in = 0, asked_wx = 0;

		want = rva < hdrs ? PAGE_READONLY : PAGE_NOACCESS;
		for (i = 0; i < nt->FileHeader.NumberOfSections; i++) {
			ULONG v = s[i].Misc.VirtualSize ? s[i].Misc.VirtualSize :
							  s[i].SizeOfRawData;

			if (rva >= s[i].VirtualAddress &&
			    rva < ((s[i].VirtualAddress + v + 0xfff) & ~0xfff)) {
				want = scn_protect(s[i].Characteristics);
				asked_wx = wx(want);
				in = 1;
			}
		}
		if (NtQueryVirtualMemory((HANDLE)-1, base + rva, 0, &mbi,
					 sizeof(mbi), NULL)) {
			mbi.Protect = 0xdead;
		}
		if (!in && rva >= hdrs) {
			gaps++;
			gap_prot = mbi.Protect;
		}
		if (rva == 0)
			hdr_prot = mbi.Protect;
		if (wx(mbi.Protect) && !asked_wx)
			nwx++;
		if (mbi.Protect != want && !bad++)
			_snprintf(first, sizeof(first),
				  " first at rva 0x%lx: 0x%lx, want 0x%lx",
				  rva, mbi.Protect, want);
	}
	_snprintf(buf, sizeof(buf), "%s %s %s off-base=%d counter=%d\n",
		  words[0], words[1], words[2],
		  base != (char *)nt->OptionalHeader.ImageBase, counter);
	out(buf);
	_snprintf(buf, sizeof(buf),
		  "gaps=%d headers=0x%lx gap=0x%lx wx=%lu wrong=%lu%s\n",
		  gaps > 0, hdr_prot, gap_prot, nwx, bad, first);
	out(buf);
	return 0;
}
