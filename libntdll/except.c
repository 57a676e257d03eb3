// SPDX-License-Identifier: GPL-2.0
/*
 * Structured exception handling on the fs:[0] chain, as XP's ntdll does
 * it for x86 (the behaviour Wine's dlls/ntdll/tests/exception.c pins
 * down): RtlDispatchException, RtlUnwind, RtlRaiseException,
 * RtlRaiseStatus, RtlCaptureContext.
 *
 * The chain is TEB.NtTib.ExceptionList: EXCEPTION_REGISTRATION_RECORDs on
 * the stack, newest first, ended by -1. A record is only believed if it
 * lies inside the thread's stack (TEB StackLimit..StackBase), is 4-byte
 * aligned, and its handler is not on the stack; the first one that is
 * not ends the search with EXCEPTION_STACK_INVALID, and the exception is
 * unhandled (the process ends), as on XP.
 *
 * Each handler runs under a registration of the dispatcher's own (XP's
 * RtlpExecuteHandler2; removed after the call unless the handler unwound
 * the chain past it, which XP leaves undefined): an exception raised
 * inside a handler finds it first and learns which frame was being
 * handled (ExceptionNestedException,
 * EXCEPTION_NESTED_CALL for the handlers up to that frame); an unwind that
 * meets another unwind's registration continues from where that one was
 * (ExceptionCollidedUnwind).
 *
 * Nothing here uses the C library: the same source is meant for the PE
 * ntdll.dll.
 */
#include "ntdll_private.h"

#define CHAIN_END	((EXCEPTION_REGISTRATION_RECORD *)EXCEPTION_CHAIN_END)

/* the dispatcher's registration around one handler call */
struct ntdll_guard {
	EXCEPTION_REGISTRATION_RECORD reg;
	EXCEPTION_REGISTRATION_RECORD *frame;	/* the frame being handled */
};

/*
 * handler(rec, frame, ctx, dispatcher_context) with @guard registered
 * around the call; ESP and the callee-saved registers are restored
 * whatever the handler's calling convention.
 */
EXCEPTION_DISPOSITION ntdll_call_handler(EXCEPTION_RECORD *rec, void *frame,
					 CONTEXT *ctx, void *dc,
					 PEXCEPTION_ROUTINE handler,
					 PEXCEPTION_ROUTINE guard);
__asm__(
	".text\n"
	ASM_LOCAL(ntdll_call_handler)
	"	pushl %ebp\n"
	"	movl %esp, %ebp\n"
	"	pushl %ebx\n"
	"	pushl %esi\n"
	"	pushl %edi\n"
	"	pushl 12(%ebp)\n"		/* guard: the frame handled */
	"	pushl 28(%ebp)\n"		/* guard: its handler */
	"	pushl %fs:0\n"			/* guard: next */
	"	movl %esp, %fs:0\n"
	"	pushl 20(%ebp)\n"
	"	pushl 16(%ebp)\n"
	"	pushl 12(%ebp)\n"
	"	pushl 8(%ebp)\n"
	"	call *24(%ebp)\n"
	"	leal -24(%ebp), %ecx\n"		/* unlink the guard, */
	"	cmpl %ecx, %fs:0\n"		/* unless the handler unwound */
	"	jne 1f\n"			/* past it (RtlUnwind) */
	"	movl (%ecx), %edx\n"
	"	movl %edx, %fs:0\n"
	"1:	leal -12(%ebp), %esp\n"
	"	popl %edi\n"
	"	popl %esi\n"
	"	popl %ebx\n"
	"	popl %ebp\n"
	"	ret\n"
	ASM_END(ntdll_call_handler)
);

/*
 * RtlCaptureContext(ctx), stdcall: CONTEXT_FULL of the caller as it will
 * be once this returns (Eip the return address, Esp past the argument).
 */
__asm__(
	".text\n"
	ASM_STDFUNC(RtlCaptureContext, 4)
	"	pushl %eax\n"
	"	movl 8(%esp), %eax\n"
	"	movl %ebx, 0xa4(%eax)\n"
	"	movl %ecx, 0xac(%eax)\n"
	"	movl %edx, 0xa8(%eax)\n"
	"	movl %esi, 0xa0(%eax)\n"
	"	movl %edi, 0x9c(%eax)\n"
	"	movl %ebp, 0xb4(%eax)\n"
	"	popl 0xb0(%eax)\n"
	"	movl (%esp), %ecx\n"
	"	movl %ecx, 0xb8(%eax)\n"	/* Eip */
	"	leal 8(%esp), %ecx\n"
	"	movl %ecx, 0xc4(%eax)\n"	/* Esp */
	"	pushfl\n"
	"	popl 0xc0(%eax)\n"
	"	xorl %ecx, %ecx\n"
	"	movw %cs, %cx\n"
	"	movl %ecx, 0xbc(%eax)\n"
	"	movw %ss, %cx\n"
	"	movl %ecx, 0xc8(%eax)\n"
	"	movw %ds, %cx\n"
	"	movl %ecx, 0x98(%eax)\n"
	"	movw %es, %cx\n"
	"	movl %ecx, 0x94(%eax)\n"
	"	movw %fs, %cx\n"
	"	movl %ecx, 0x90(%eax)\n"
	"	movw %gs, %cx\n"
	"	movl %ecx, 0x8c(%eax)\n"
	"	movl $0x10007, (%eax)\n"	/* CONTEXT_FULL */
	"	movl 0xac(%eax), %ecx\n"
	"	ret $4\n"
	ASM_END(RtlCaptureContext)
);

/*
 * RtlRaiseException(rec), stdcall: the caller's context (as if this had
 * returned), ExceptionAddress = the return address, then
 * NtRaiseException(rec, ctx, TRUE). Only a refused raise comes back: its
 * status is raised instead.
 */
__asm__(
	".text\n"
	ASM_STDFUNC(RtlRaiseException, 4)
	"	pushl %ebp\n"
	"	movl %esp, %ebp\n"
	"	subl $0x2cc, %esp\n"		/* sizeof(CONTEXT) */
	"	pushl %esp\n"
	"	call " ASM_STDCALL(RtlCaptureContext, 4) "\n"
	"	movl (%ebp), %eax\n"
	"	movl %eax, 0xb4(%esp)\n"	/* the caller's Ebp */
	"	movl 4(%ebp), %eax\n"
	"	movl %eax, 0xb8(%esp)\n"	/* Eip: where it returns */
	"	leal 12(%ebp), %ecx\n"
	"	movl %ecx, 0xc4(%esp)\n"	/* Esp: past rec */
	"	movl 8(%ebp), %ecx\n"
	"	movl %eax, 12(%ecx)\n"		/* rec->ExceptionAddress */
	"	movl %esp, %eax\n"
	"	pushl $1\n"
	"	pushl %eax\n"
	"	pushl %ecx\n"
	"	call " ASM_STDCALL(NtRaiseException, 12) "\n"
	"	pushl %eax\n"
	"	call " ASM_STDCALL(RtlRaiseStatus, 4) "\n"
	ASM_END(RtlRaiseException)
);

void ntdll_unwind(EXCEPTION_REGISTRATION_RECORD *target, void *ip,
		  EXCEPTION_RECORD *rec, void *retval, CONTEXT *ctx)
	__attribute__((noreturn));

/*
 * RtlUnwind(TargetFrame, TargetIp, rec, ReturnValue), stdcall: the
 * caller's context as it will be after the return, then ntdll_unwind,
 * which resumes it with NtContinue.
 */
__asm__(
	".text\n"
	ASM_STDFUNC(RtlUnwind, 16)
	"	pushl %ebp\n"
	"	movl %esp, %ebp\n"
	"	subl $0x2cc, %esp\n"
	"	pushl %esp\n"
	"	call " ASM_STDCALL(RtlCaptureContext, 4) "\n"
	"	movl (%ebp), %eax\n"
	"	movl %eax, 0xb4(%esp)\n"
	"	movl 4(%ebp), %eax\n"
	"	movl %eax, 0xb8(%esp)\n"
	"	leal 24(%ebp), %eax\n"
	"	movl %eax, 0xc4(%esp)\n"	/* past four arguments */
	"	movl %esp, %eax\n"
	"	pushl %eax\n"
	"	pushl 20(%ebp)\n"
	"	pushl 16(%ebp)\n"
	"	pushl 12(%ebp)\n"
	"	pushl 8(%ebp)\n"
	"	call " ASM_CDECL(ntdll_unwind) "\n"
	ASM_END(RtlUnwind)
);

/* XP's checks of one registration record of the chain */
static int ntdll_frame_valid(const EXCEPTION_REGISTRATION_RECORD *frame,
			     ULONG low, ULONG high)
{
	ULONG f = (ULONG)frame, h;

	if (f < low || f > high - sizeof(*frame) || (f & 3))
		return 0;
	h = (ULONG)frame->Handler;
	return h < low || h >= high;	/* no handler on the stack */
}

static void ntdll_raise_nested(NTSTATUS code, EXCEPTION_RECORD *rec)
{
	EXCEPTION_RECORD nested;

	nested.ExceptionCode = code;
	nested.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
	nested.ExceptionRecord = rec;
	nested.ExceptionAddress = 0;
	nested.NumberParameters = 0;
	RtlRaiseException(&nested);
}

/* An exception inside a handler: which frame the dispatch was at */
static EXCEPTION_DISPOSITION ntdll_dispatch_guard(EXCEPTION_RECORD *rec,
						  void *frame, CONTEXT *ctx,
						  void *dc)
{
	(void)ctx;
	if (rec->ExceptionFlags & EXCEPTION_UNWIND)
		return ExceptionContinueSearch;
	*(EXCEPTION_REGISTRATION_RECORD **)dc =
		((struct ntdll_guard *)frame)->frame;
	return ExceptionNestedException;
}

/* An unwind that reaches another unwind's handler call */
static EXCEPTION_DISPOSITION ntdll_unwind_guard(EXCEPTION_RECORD *rec,
						void *frame, CONTEXT *ctx,
						void *dc)
{
	(void)ctx;
	if (!(rec->ExceptionFlags & EXCEPTION_UNWIND))
		return ExceptionContinueSearch;
	*(EXCEPTION_REGISTRATION_RECORD **)dc =
		((struct ntdll_guard *)frame)->frame;
	return ExceptionCollidedUnwind;
}

BOOLEAN NTAPI RtlDispatchException(EXCEPTION_RECORD *rec, CONTEXT *ctx)
{
	NT_TIB *tib = &NtCurrentTeb()->NtTib;
	ULONG low = (ULONG)tib->StackLimit, high = (ULONG)tib->StackBase;
	EXCEPTION_REGISTRATION_RECORD *frame = tib->ExceptionList;
	EXCEPTION_REGISTRATION_RECORD *nested = 0, *dc;
	EXCEPTION_DISPOSITION disp;

	while (frame != CHAIN_END) {
		if (!ntdll_frame_valid(frame, low, high)) {
			rec->ExceptionFlags |= EXCEPTION_STACK_INVALID;
			return FALSE;
		}
		dc = 0;
		disp = ntdll_call_handler(rec, frame, ctx, &dc,
					  (PEXCEPTION_ROUTINE)frame->Handler,
					  ntdll_dispatch_guard);
		if (frame == nested) {	/* back at the frame that was handled */
			rec->ExceptionFlags &= ~EXCEPTION_NESTED_CALL;
			nested = 0;
		}
		switch (disp) {
		case ExceptionContinueExecution:
			if (!(rec->ExceptionFlags & EXCEPTION_NONCONTINUABLE))
				return TRUE;
			ntdll_raise_nested(STATUS_NONCONTINUABLE_EXCEPTION, rec);
			break;
		case ExceptionContinueSearch:
			break;
		case ExceptionNestedException:
			rec->ExceptionFlags |= EXCEPTION_NESTED_CALL;
			if ((ULONG)dc > (ULONG)nested)
				nested = dc;
			break;
		default:
			ntdll_raise_nested(STATUS_INVALID_DISPOSITION, rec);
			break;
		}
		frame = frame->Next;
	}
	return FALSE;
}

void ntdll_unwind(EXCEPTION_REGISTRATION_RECORD *target, void *ip,
		  EXCEPTION_RECORD *rec, void *retval, CONTEXT *ctx)
{
	NT_TIB *tib = &NtCurrentTeb()->NtTib;
	ULONG low = (ULONG)tib->StackLimit, high = (ULONG)tib->StackBase;
	EXCEPTION_REGISTRATION_RECORD *frame = tib->ExceptionList, *dc;
	EXCEPTION_RECORD local;
	EXCEPTION_DISPOSITION disp;
	NTSTATUS status;

	(void)ip;
	if (!rec) {
		local.ExceptionCode = STATUS_UNWIND;
		local.ExceptionFlags = 0;
		local.ExceptionRecord = 0;
		local.ExceptionAddress = (void *)ctx->Eip;
		local.NumberParameters = 0;
		rec = &local;
	}
	rec->ExceptionFlags |= EXCEPTION_UNWINDING;
	if (!target)
		rec->ExceptionFlags |= EXCEPTION_EXIT_UNWIND;
	ctx->Eax = (ULONG)retval;

	while (frame != CHAIN_END && frame != target) {
		if (target && (ULONG)target < (ULONG)frame)
			ntdll_raise_nested(STATUS_INVALID_UNWIND_TARGET, rec);
		if (!ntdll_frame_valid(frame, low, high))
			ntdll_raise_nested(STATUS_BAD_STACK, rec);
		dc = 0;
		disp = ntdll_call_handler(rec, frame, ctx, &dc,
					  (PEXCEPTION_ROUTINE)frame->Handler,
					  ntdll_unwind_guard);
		switch (disp) {
		case ExceptionContinueSearch:
			break;
		case ExceptionCollidedUnwind:
			frame = dc;	/* where the other unwind had got to */
			break;
		default:
			ntdll_raise_nested(STATUS_INVALID_DISPOSITION, rec);
			break;
		}
		frame = frame->Next;
		tib->ExceptionList = frame;	/* unlinked: it has run */
	}
	if (frame == target || target == CHAIN_END)
		status = NtContinue(ctx, FALSE);
	else	/* the end of the chain without the target: unhandled */
		status = NtRaiseException(rec, ctx, FALSE);
	RtlRaiseStatus(status);
}

void NTAPI RtlRaiseStatus(NTSTATUS Status)
{
	EXCEPTION_RECORD rec;

	rec.ExceptionCode = Status;
	rec.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
	rec.ExceptionRecord = 0;
	rec.ExceptionAddress = 0;
	rec.NumberParameters = 0;
	for (;;)
		RtlRaiseException(&rec);
}

/*
 * KiUserExceptionDispatcher could not go on (NtContinue or
 * NtRaiseException refused its CONTEXT): XP raises that status, with
 * the exception it was dispatching as the nested record.
 */
void ntdll_dispatch_failed(NTSTATUS status, EXCEPTION_RECORD *rec)
	__attribute__((noreturn));
void ntdll_dispatch_failed(NTSTATUS status, EXCEPTION_RECORD *rec)
{
	for (;;)
		ntdll_raise_nested(status, rec);
}
