// SPDX-License-Identifier: GPL-2.0
/*
 * testa.dll: exports by name (a_value), by ordinal only (a_add, @5
 * NONAME in testa.def) and a forwarder (a_strlen = ntdll.strlen). Its
 * DllMain says when it runs. Preferred base 0x10000000, like testb.dll:
 * one of the two must be relocated.
 */
#include "native.h"

static const char *const greeting = "a-value";	/* needs a relocation */

const char *__stdcall a_value(void)
{
	return greeting;
}

int __stdcall a_add(int x, int y)
{
	return x + y;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
	char buf[64];

	_snprintf(buf, sizeof(buf), "A: DllMain %lu%s\n", reason,
		  reason == DLL_PROCESS_ATTACH && reserved ? " static" : "");
	out(buf);
	return TRUE;
}
