/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the two outputs built from libntdll's sources:
 * libntdll.a (ELF, linked into Linux programs next to glibc) and
 * ntdll.dll (PE, the only library of a native NT process; NTDLL_PE is
 * defined). Everything else is the same code.
 *
 *  - Memory that Rtl functions hand to their caller: malloc() in the ELF
 *    library (as <ntdll.h> documents, so it mixes with the program's
 *    own), the process heap in ntdll.dll, as XP's RtlFreeUnicodeString
 *    expects.
 *  - The C runtime XP's ntdll exports (libntdll/crt.c): the plain names
 *    in ntdll.dll; in the ELF library glibc owns them, so they are built
 *    as NtpCrt_<name> (tested by selftests/rtl.c under those names).
 */
#ifndef NTDLL_PRIVATE_H
#define NTDLL_PRIVATE_H

#include <ntdll.h>

#ifdef NTDLL_PE
#define NTDLL_CRT(name)	name
void *ntdll_alloc(SIZE_T n);
void *ntdll_realloc(void *p, SIZE_T n);
void ntdll_free(void *p);
#else
#include <stdlib.h>
#define NTDLL_CRT(name)	NtpCrt_##name
#define ntdll_alloc(n)		malloc(n)
#define ntdll_realloc(p, n)	realloc((p), (n))
#define ntdll_free(p)		free(p)
#endif

#ifdef NTDLL_PE
/* ldr.c: where RtlCreateUserThread's threads start (stdcall, 8 bytes) */
void NTAPI LdrpThreadStart(void *StartAddress, void *Parameter)
	__attribute__((noreturn));
NTSTATUS NTAPI LdrShutdownThread(void);
#endif

/* The process heap, created on first use where nobody made it yet. */
void *ntdll_process_heap(void);

#endif
