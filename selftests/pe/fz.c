// SPDX-License-Identifier: GPL-2.0
/*
 * The exe pe_run's loader fuzz corrupts: imports of fzdll.dll by name,
 * by ordinal and through a forwarder (bound, never called), a TLS
 * directory with a callback that does nothing, at fzdll.dll's preferred
 * base. Ends with 0x33 when the loader let it start.
 */
#include "native.h"

int __cdecl fz_one(void);
int __cdecl fz_two(void);
size_t __cdecl fz_len(const char *s);

void *volatile fz_refs[] = { (void *)fz_one, (void *)fz_two, (void *)fz_len };

ULONG _tls_index;
static char tls_start[16] __attribute__((section(".tls"))) = "fz-tls";
static char tls_end __attribute__((section(".tls$ZZZ")));

static void NTAPI tls_cb(PVOID base, DWORD reason, PVOID reserved)
{
	(void)base, (void)reason, (void)reserved;
}

static PIMAGE_TLS_CALLBACK callbacks[] = { tls_cb, NULL };

const IMAGE_TLS_DIRECTORY _tls_used = {
	(DWORD)tls_start, (DWORD)&tls_end, (DWORD)&_tls_index,
	(DWORD)callbacks, 0, 0
};

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	(void)peb;
	return 0x33;
}
