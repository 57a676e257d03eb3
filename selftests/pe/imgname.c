// SPDX-License-Identifier: GPL-2.0
/*
 * The program's own ProcessImageFileName, printed as UTF-8: the .exe,
 * whichever loader mapped it (ntrun, or ntpeload under the kernel's
 * binfmt, which Linux keeps as the executable).
 */
#include "native.h"

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	union {
		UNICODE_STRING us;
		char raw[1024];
	} name;
	ANSI_STRING a;
	char buf[600];
	ULONG len = 0;
	NTSTATUS st;

	st = NtQueryInformationProcess((HANDLE)(LONG_PTR)-1, ProcessImageFileName,
				       &name, sizeof(name), &len);
	if (!NT_SUCCESS(st))
		return 1;
	if (!NT_SUCCESS(RtlUnicodeStringToAnsiString(&a, &name.us, TRUE)))
		return 2;
	_snprintf(buf, sizeof(buf), "image=%s\n", a.Buffer);
	out(buf);
	RtlFreeAnsiString(&a);
	return 0;
}
