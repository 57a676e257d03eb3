// SPDX-License-Identifier: GPL-2.0
/*
 * A native program's own SEH, as MSVC's __try compiles to it: a frame on
 * fs:[0], a fault, the frame's handler called by ntdll.dll's
 * KiUserExceptionDispatcher with XP's record and context, execution
 * continued past the faulting instruction. With "unhandled" on the
 * command line the second fault has no frame: the process ends as XP's
 * does, with STATUS_ACCESS_VIOLATION (on Linux: SIGSEGV, see
 * docs/nt-threads.md).
 */
#include "native.h"

static EXCEPTION_DISPOSITION __cdecl handler(EXCEPTION_RECORD *rec, void *frame,
					     CONTEXT *ctx, void *dc)
{
	char buf[128];

	(void)frame;
	(void)dc;
	_snprintf(buf, sizeof(buf), "caught %08lx flags %lu params %lu info %lu %08lx\n",
		  rec->ExceptionCode, rec->ExceptionFlags, rec->NumberParameters,
		  rec->ExceptionInformation[0], rec->ExceptionInformation[1]);
	out(buf);
	if (rec->ExceptionCode != STATUS_ACCESS_VIOLATION ||
	    (ULONG_PTR)rec->ExceptionAddress != ctx->Eip)
		return ExceptionContinueSearch;
	ctx->Eip += 5;		/* movl 0x10, %eax is five bytes */
	ctx->Eax = 1234;
	return ExceptionContinueExecution;
}

static int has_word(const UNICODE_STRING *s, const WCHAR *w)
{
	int n = s->Length / 2, len = 0, i, j;

	while (w[len])
		len++;
	for (i = 0; i + len <= n; i++) {
		for (j = 0; j < len && s->Buffer[i + j] == w[j]; j++)
			;
		if (j == len)
			return 1;
	}
	return 0;
}

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	EXCEPTION_REGISTRATION_RECORD reg;
	char buf[64];
	int v;

	reg.Handler = (PEXCEPTION_ROUTINE)handler;
	__asm__ __volatile__("movl %%fs:0, %%eax\n\t"
			     "movl %%eax, (%0)\n\t"
			     "movl %0, %%fs:0" : : "r" (&reg) : "eax", "memory");
	__asm__ __volatile__("movl 0x10, %0" : "=a" (v) : : "memory");
	__asm__ __volatile__("movl (%0), %%eax\n\t"
			     "movl %%eax, %%fs:0" : : "r" (&reg) : "eax", "memory");
	_snprintf(buf, sizeof(buf), "continued with eax %d\n", v);
	out(buf);
	if (has_word(&peb->ProcessParameters->CommandLine, L"unhandled"))
		__asm__ __volatile__("movl $1, 0x20" : : : "memory");
	return 7;
}
