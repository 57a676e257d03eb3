// SPDX-License-Identifier: GPL-2.0
/*
 * The DLL pe_run's loader fuzz corrupts: exports by name, by ordinal
 * only and a forwarder, base relocations (its preferred base is fz.exe's,
 * so it is always relocated) and an import of ntdll. No entry point and
 * nothing of it ever runs: whatever the corruption, only the loader
 * reads it.
 */
#include "native.h"

static const char msg[] = "fz";
const char *fz_ptr = msg;			/* a relocation */
void *fz_import = (void *)strlen;		/* an import, never called */

int __cdecl fz_one(void)
{
	return fz_ptr[0];
}

int __cdecl fz_two(void)
{
	return fz_ptr[1];
}
