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

/*
 * KiUserExceptionDispatcher: the kernel left the addresses of the
 * EXCEPTION_RECORD and of the CONTEXT at the top of the stack, the two
 * themselves above (XP's KiDispatchException frame). A handler that
 * takes the exception: NtContinue(ctx) resumes what it left in the
 * CONTEXT. None: NtRaiseException(rec, ctx, FALSE), the second chance,
 * which ends the process. Either returns only with a refusal, which is
 * raised in turn (ntdll_dispatch_failed).
 */
#ifndef NTDLL_PE	/* except.c is not in the PE ntdll yet */
__asm__(
	".text\n"
	".globl KiUserExceptionDispatcher\n"
	".type KiUserExceptionDispatcher, @function\n"
	"KiUserExceptionDispatcher:\n"
	"	cld\n"
	"	movl 4(%esp), %ecx\n"		/* the CONTEXT */
	"	movl (%esp), %ebx\n"		/* the EXCEPTION_RECORD */
	"	pushl %ecx\n"
	"	pushl %ebx\n"
	"	call RtlDispatchException\n"
	"	movl (%esp), %ebx\n"
	"	movl 4(%esp), %ecx\n"
	"	testb %al, %al\n"
	"	jz 1f\n"
	"	pushl $0\n"
	"	pushl %ecx\n"
	"	call NtContinue\n"
	"	jmp 2f\n"
	"1:	pushl $0\n"			/* FirstChance = FALSE */
	"	pushl %ecx\n"
	"	pushl %ebx\n"
	"	call NtRaiseException\n"
	"2:	pushl %ebx\n"
	"	pushl %eax\n"
	"	call ntdll_dispatch_failed\n"
	".size KiUserExceptionDispatcher, .-KiUserExceptionDispatcher\n"
);
#endif
