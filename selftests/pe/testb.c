// SPDX-License-Identifier: GPL-2.0
/*
 * testb.dll: same preferred base as testa.dll and imports from it, so
 * it is initialized after it; b_message reads a relocated pointer.
 */
#include "native.h"

const char *__stdcall a_value(void);

static const char *const table[] = { "b-one", "b-two" };

const char *__stdcall b_message(int i)
{
	return table[i & 1];
}

const char *__stdcall b_from_a(void)
{
	return a_value();
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
	char buf[64];

	_snprintf(buf, sizeof(buf), "B: DllMain %lu\n", reason);
	out(buf);
	return TRUE;
}
