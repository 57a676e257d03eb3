// SPDX-License-Identifier: GPL-2.0
/*
 * DbgPrint. XP's sends the text to the kernel debugger (through
 * int 0x2d), which a Linux host does not have; the nearest thing a user
 * sees is the process's standard error, so the text is written there
 * with NtWriteFile (nothing is written when the process has no
 * ProcessParameters or no StandardError). As XP's, one call prints at
 * most 512 bytes and returns STATUS_SUCCESS.
 */
#include <stdarg.h>
#include "ntdll_private.h"

int NTDLL_CRT(_vsnprintf)(char *buf, size_t count, const char *fmt,
			  va_list ap);

ULONG DbgPrint(const char *Format, ...)
{
	RTL_USER_PROCESS_PARAMETERS *pp = NtCurrentPeb()->ProcessParameters;
	IO_STATUS_BLOCK io;
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, Format);
	n = NTDLL_CRT(_vsnprintf)(buf, sizeof(buf), Format, ap);
	va_end(ap);
	if (n < 0)
		n = sizeof(buf);
	if (pp && pp->StandardError && n)
		NtWriteFile(pp->StandardError, NULL, NULL, NULL, &io, buf, n,
			    NULL, NULL);
	return STATUS_SUCCESS;
}
