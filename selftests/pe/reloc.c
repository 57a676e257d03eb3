// SPDX-License-Identifier: GPL-2.0
/*
 * Linked at 0x7c900000, where ntdll.dll already is: the kernel maps it
 * elsewhere (STATUS_IMAGE_NOT_AT_BASE) and the loader applies its base
 * relocations, or the pointers below point into ntdll.
 */
#include "native.h"

static const char *const words[] = { "relocated", "image", "runs" };

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	char buf[96];
	PVOID base = *(PVOID *)((char *)peb + 8);	/* ImageBaseAddress */

	_snprintf(buf, sizeof(buf), "%s %s %s off-base=%d\n", words[0],
		  words[1], words[2], base != (PVOID)0x7c900000);
	out(buf);
	return 0;
}
