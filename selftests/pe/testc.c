// SPDX-License-Identifier: GPL-2.0
/* testc.dll: loaded at run time by loaddll.exe. */
#include "native.h"

int __stdcall c_twice(int x)
{
	return 2 * x;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
	char buf[64];

	_snprintf(buf, sizeof(buf), "C: DllMain %lu\n", reason);
	out(buf);
	return TRUE;
}
