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

/*
 * Hand-written assembly in both object formats: ELF symbols are the plain
 * C names, COFF ones carry the underscore and, for stdcall, @ARGBYTES.
 * ASM_FUNC/ASM_END frame a function, ASM_CDECL/ASM_STDCALL name one.
 */
#ifdef NTDLL_PE
#define ASM_FUNC(name)		".globl _" #name "\n_" #name ":\n"
#define ASM_STDFUNC(name, bytes) ".globl _" #name "@" #bytes "\n_" #name "@" #bytes ":\n"
#define ASM_LOCAL(name)		ASM_FUNC(name)
#define ASM_END(name)		""
#define ASM_CDECL(name)		"_" #name
#define ASM_STDCALL(name, bytes) "_" #name "@" #bytes
#else
#define ASM_FUNC(name)		".globl " #name "\n.type " #name ", @function\n" #name ":\n"
#define ASM_STDFUNC(name, bytes) ASM_FUNC(name)
#define ASM_LOCAL(name)		".globl " #name "\n.hidden " #name "\n" \
				".type " #name ", @function\n" #name ":\n"
#define ASM_END(name)		".size " #name ", .-" #name "\n"
#define ASM_CDECL(name)		#name
#define ASM_STDCALL(name, bytes) #name
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
