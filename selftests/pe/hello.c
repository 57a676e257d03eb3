// SPDX-License-Identifier: GPL-2.0
/* The smallest native program: a line on stdout, exit status 42. */
#include "native.h"

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	IO_STATUS_BLOCK io;
	static const char msg[] = "hello from a native NT program\n";

	NtWriteFile(peb->ProcessParameters->Reserved2[3], NULL, NULL, NULL, &io,
		    (PVOID)msg, sizeof(msg) - 1, NULL, NULL);
	return 42;
}
