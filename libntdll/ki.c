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
#include "ntdll_private.h"


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
__asm__(
	".text\n"
	ASM_FUNC(KiUserExceptionDispatcher)
	"	cld\n"
	"	movl 4(%esp), %ecx\n"		/* the CONTEXT */
	"	movl (%esp), %ebx\n"		/* the EXCEPTION_RECORD */
	"	pushl %ecx\n"
	"	pushl %ebx\n"
	"	call " ASM_STDCALL(RtlDispatchException, 8) "\n"
	"	movl (%esp), %ebx\n"
	"	movl 4(%esp), %ecx\n"
	"	testb %al, %al\n"
	"	jz 1f\n"
	"	pushl $0\n"
	"	pushl %ecx\n"
	"	call " ASM_STDCALL(NtContinue, 8) "\n"
	"	jmp 2f\n"
	"1:	pushl $0\n"			/* FirstChance = FALSE */
	"	pushl %ecx\n"
	"	pushl %ebx\n"
	"	call " ASM_STDCALL(NtRaiseException, 12) "\n"
	"2:	pushl %ebx\n"
	"	pushl %eax\n"
	"	call " ASM_CDECL(ntdll_dispatch_failed) "\n"
	ASM_END(KiUserExceptionDispatcher)
);
