// SPDX-License-Identifier: GPL-2.0
/*
 * The user-mode ends of what the kernel sends a thread to, as XP's ntdll
 * has them (their addresses are registered with the module at attach:
 * NTP_IOC_SET_DISPATCHERS, see attach.c).
 *
 * KiUserApcDispatcher: the kernel left, on the stack, the APC's routine,
 * its three arguments and the CONTEXT the thread was leaving. Call
 * routine(context, arg1, arg2) (stdcall: it pops its arguments), then
 * NtContinue(&CONTEXT, TRUE): back to where the thread was, or into the
 * next APC. NtContinue returns only if the CONTEXT was refused; the
 * process then ends with that status (XP raises it as an exception).
 */
#include <ntdll.h>

/*
 * The same code in both objects formats: ELF symbols are the plain C
 * names, COFF ones carry the underscore and, for stdcall, @ARGBYTES.
 */
#ifdef NTDLL_PE
#define ASM_FUNC(name)	".globl _" #name "\n_" #name ":\n"
#define ASM_END(name)	""
#define ASM_STDCALL(name, bytes)	"_" #name "@" #bytes
#else
#define ASM_FUNC(name)	".globl " #name "\n.type " #name ", @function\n" #name ":\n"
#define ASM_END(name)	".size " #name ", .-" #name "\n"
#define ASM_STDCALL(name, bytes)	#name
#endif

__asm__(
	".text\n"
	ASM_FUNC(KiUserApcDispatcher)
	"	leal 16(%esp), %edi\n"		/* the CONTEXT, after 4 words */
	"	popl %eax\n"			/* the routine */
	"	call *%eax\n"
	"	pushl $1\n"			/* TestAlert */
	"	pushl %edi\n"
	"	call " ASM_STDCALL(NtContinue, 8) "\n"
	"	pushl %eax\n"
	"	pushl $-1\n"			/* NtCurrentProcess() */
	"	call " ASM_STDCALL(NtTerminateProcess, 8) "\n"
	"	ud2\n"
	ASM_END(KiUserApcDispatcher)
);
