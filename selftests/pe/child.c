// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 14's child, started by parent.exe through RtlCreateUserProcess:
 * exit code 42 when its process parameters name it (ImagePathName ends
 * in child.exe, CommandLine the same by default), 43 otherwise.
 */
#include "native.h"

static int ends_with_child(const UNICODE_STRING *s)
{
	static const WCHAR want[] = L"\\child.exe";
	int n = s->Length / 2, m = sizeof(want) / 2 - 1, i;

	if (!s->Buffer || n < m)
		return 0;
	for (i = 0; i < m; i++)
		if (s->Buffer[n - m + i] != want[i])
			return 0;
	return 1;
}

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	RTL_USER_PROCESS_PARAMETERS *pp = peb->ProcessParameters;

	if (!pp || !ends_with_child(&pp->ImagePathName) ||
	    !ends_with_child(&pp->CommandLine))
		return 43;
	return 42;
}
