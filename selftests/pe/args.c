// SPDX-License-Identifier: GPL-2.0
/*
 * The command line and an environment variable, as UTF-16 in the
 * process parameters, printed back as UTF-8 (RtlUnicodeStringToAnsiString
 * of this project's ntdll converts to UTF-8).
 */
#include "native.h"

static int prefix(const WCHAR *s, const WCHAR *p)
{
	while (*p)
		if (*s++ != *p++)
			return 0;
	return 1;
}

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	PRTL_USER_PROCESS_PARAMETERS pp = peb->ProcessParameters;
	/* XP: Environment is the PVOID after DllPath, ImagePathName,
	 * CommandLine (offset 0x48) */
	WCHAR *env = *(WCHAR **)((char *)pp + 0x48);
	UNICODE_STRING u;
	ANSI_STRING a;
	char buf[600];

	if (!NT_SUCCESS(RtlUnicodeStringToAnsiString(&a, &pp->CommandLine, TRUE)))
		return 1;
	_snprintf(buf, sizeof(buf), "cmdline=%s\n", a.Buffer);
	out(buf);
	RtlFreeAnsiString(&a);
	for (; *env; env += u.Length / 2 + 1) {
		RtlInitUnicodeString(&u, env);
		if (u.Length >= 20 && prefix(env, L"NTPE_TEST=")) {
			RtlUnicodeStringToAnsiString(&a, &u, TRUE);
			_snprintf(buf, sizeof(buf), "env=%s\n", a.Buffer);
			out(buf);
			RtlFreeAnsiString(&a);
		}
	}
	return 0;
}
