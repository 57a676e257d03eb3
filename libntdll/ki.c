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

__asm__(
	".text\n"
	".globl KiUserApcDispatcher\n"
	".type KiUserApcDispatcher, @function\n"
	"KiUserApcDispatcher:\n"
	"	leal 16(%esp), %edi\n"		/* the CONTEXT, after 4 words */
	"	popl %eax\n"			/* the routine */
	"	call *%eax\n"
	"	pushl $1\n"			/* TestAlert */
	"	pushl %edi\n"
	"	call NtContinue\n"
	"	pushl %eax\n"
	"	pushl $-1\n"			/* NtCurrentProcess() */
	"	call NtTerminateProcess\n"
	"	ud2\n"
	".size KiUserApcDispatcher, .-KiUserApcDispatcher\n"
);
