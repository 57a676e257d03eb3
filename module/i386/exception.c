// SPDX-License-Identifier: GPL-2.0
/*
 * A CPU fault of an NT thread as XP's trap handlers describe it
 * (ReactOS ntoskrnl/ke/i386/traps.c is the readable account; the
 * expected records are those of Wine's dlls/ntdll/tests/exception.c).
 *
 * Linux's trap handler has already run: it left the trap number and
 * error code in current->thread and forced a signal, which the
 * signal_generate tracepoint shows us (ps/except.c). What the hardware
 * said is all there; what XP adds is read from the faulting code:
 *  - #GP with error code 0 on a privileged opcode (cli, sti, hlt, in,
 *    out, ins, outs, mov to/from cr/dr, lgdt, ...) is
 *    STATUS_PRIVILEGED_INSTRUCTION; more than 15 bytes of prefixes is
 *    STATUS_ILLEGAL_INSTRUCTION; any other #GP, #NP or #SS is an access
 *    violation at 0xffffffff.
 *  - #GP with an IDT error code is "int n" through a gate user mode may
 *    not use: XP has user gates at 0x2c (KiRaiseAssertion:
 *    STATUS_ASSERTION_FAILURE, EIP back on the int) and 0x2d
 *    (KiDebugService: STATUS_BREAKPOINT with EAX, ECX, EDX, EIP one byte
 *    past the int as XP skips it), which Linux does not have.
 *  - int3 and into are traps: the address is that of the instruction
 *    (EIP - 1); int3's EIP goes back too (nt_arch_push_user_exception).
 */
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/signal.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/processor-flags.h>
#include <asm/ptrace.h>
#include <asm/trap_pf.h>
#include <asm/trapnr.h>
#include "i386/arch.h"
#include "nt/ntstatus.h"

/* No trap since the last fault we took (thread.trap_nr is never this) */
#define NT_NO_TRAP	0xffu

bool nt_arch_fault_probe(int sig, const struct kernel_siginfo *info,
			 struct nt_arch_fault *f)
{
	u32 trap = current->thread.trap_nr;
	bool fault;

	switch (sig) {
	case SIGSEGV:
		if (info->si_code == SI_KERNEL)
			fault = trap == X86_TRAP_GP || trap == X86_TRAP_OF ||
				trap == X86_TRAP_BR;
		else
			fault = trap == X86_TRAP_PF;
		break;
	case SIGBUS:
		fault = trap == X86_TRAP_NP || trap == X86_TRAP_SS ||
			trap == X86_TRAP_AC || trap == X86_TRAP_PF;
		break;
	case SIGFPE:
		fault = trap == X86_TRAP_DE || trap == X86_TRAP_MF ||
			trap == X86_TRAP_XF;
		break;
	case SIGILL:
		fault = trap == X86_TRAP_UD;
		break;
	case SIGTRAP:
		fault = trap == X86_TRAP_DB || trap == X86_TRAP_BP;
		break;
	default:
		fault = false;
	}
	if (!fault)
		return false;
	f->sig = sig;
	f->si_code = info->si_code;
	f->addr = (u32)(unsigned long)info->si_addr;
	f->trap = trap;
	f->error = current->thread.error_code;
	/*
	 * Spent: a later signal the kernel forces without a trap (rseq, a
	 * frame it could not write) must not pass for this fault again.
	 */
	current->thread.trap_nr = NT_NO_TRAP;
	return true;
}

static bool nt_prefix(u8 op)
{
	switch (op) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
		return true;
	}
	return false;
}

/* XP's list of what user mode may not execute (KiTrap0D) */
static NTSTATUS nt_privileged(unsigned long ip)
{
	u8 op, modrm;
	int i;

	for (i = 0; i < 15; i++) {
		if (get_user(op, (u8 __user *)ip + i))
			return 0;
		if (!nt_prefix(op))
			break;
	}
	if (i == 15)
		return STATUS_ILLEGAL_INSTRUCTION;	/* over the length limit */
	switch (op) {
	case 0x6c ... 0x6f:	/* ins, outs */
	case 0xe4 ... 0xe7:	/* in, out imm8 */
	case 0xec ... 0xef:	/* in, out dx */
	case 0xf4:		/* hlt */
	case 0xfa:		/* cli */
	case 0xfb:		/* sti */
		return STATUS_PRIVILEGED_INSTRUCTION;
	case 0x0f:
		break;
	default:
		return 0;
	}
	if (get_user(op, (u8 __user *)ip + i + 1))
		return 0;
	switch (op) {
	case 0x06:		/* clts */
	case 0x08:		/* invd */
	case 0x09:		/* wbinvd */
	case 0x20 ... 0x23:	/* mov cr, dr */
	case 0x30:		/* wrmsr */
	case 0x32:		/* rdmsr */
	case 0x35:		/* sysexit */
		return STATUS_PRIVILEGED_INSTRUCTION;
	case 0x00:		/* lldt, ltr */
	case 0x01:		/* lgdt, lidt, lmsw, invlpg */
		if (get_user(modrm, (u8 __user *)ip + i + 2))
			return 0;
		modrm = (modrm >> 3) & 7;
		if (op == 0x00 ? (modrm == 2 || modrm == 3) :
		    (modrm == 2 || modrm == 3 || modrm == 6 || modrm == 7))
			return STATUS_PRIVILEGED_INSTRUCTION;
		return 0;
	}
	return 0;
}

/* "int n" (cd n) at @ip: a gate user mode may not use */
static bool nt_int_at(unsigned long ip, u8 vector)
{
	u8 code[2];

	return !copy_from_user(code, (void __user *)ip, 2) &&
	       code[0] == 0xcd && code[1] == vector;
}

/* x87: the first unmasked exception, in Wine's get_fpu_code() order */
static NTSTATUS nt_x87_code(const CONTEXT *ctx)
{
	u32 st = ctx->FloatSave.StatusWord & ~(ctx->FloatSave.ControlWord & 0x3f);

	if (st & 0x01)
		return (st & 0x40) ? STATUS_FLOAT_STACK_CHECK :
				     STATUS_FLOAT_INVALID_OPERATION;
	if (st & 0x02)
		return STATUS_FLOAT_DENORMAL_OPERAND;
	if (st & 0x04)
		return STATUS_FLOAT_DIVIDE_BY_ZERO;
	if (st & 0x08)
		return STATUS_FLOAT_OVERFLOW;
	if (st & 0x10)
		return STATUS_FLOAT_UNDERFLOW;
	if (st & 0x20)
		return STATUS_FLOAT_INEXACT_RESULT;
	return STATUS_FLOAT_INVALID_OPERATION;
}

static void nt_av(EXCEPTION_RECORD *rec, u32 rw, u32 addr)
{
	rec->ExceptionCode = STATUS_ACCESS_VIOLATION;
	rec->NumberParameters = 2;
	rec->ExceptionInformation[0] = rw;
	rec->ExceptionInformation[1] = addr;
}

void nt_arch_fault_exception(const struct nt_arch_fault *f,
			     EXCEPTION_RECORD *rec, CONTEXT *ctx)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long ip = regs->ip;
	NTSTATUS code;
	u32 rw;

	memset(rec, 0, sizeof(*rec));
	rec->ExceptionAddress = ip;
	switch (f->trap) {
	case X86_TRAP_DE:
		rec->ExceptionCode = STATUS_INTEGER_DIVIDE_BY_ZERO;
		break;
	case X86_TRAP_DB:
		/* KiTrap01: the handler sees the step done, TF off */
		regs->flags &= ~X86_EFLAGS_TF;
		rec->ExceptionCode = STATUS_SINGLE_STEP;
		break;
	case X86_TRAP_BP:
		rec->ExceptionCode = STATUS_BREAKPOINT;
		rec->ExceptionAddress = ip - 1;
		rec->NumberParameters = 3;	/* BREAKPOINT_BREAK, 0, 0 */
		break;
	case X86_TRAP_OF:
		rec->ExceptionCode = STATUS_INTEGER_OVERFLOW;
		rec->ExceptionAddress = ip - 1;
		break;
	case X86_TRAP_BR:
		rec->ExceptionCode = STATUS_ARRAY_BOUNDS_EXCEEDED;
		break;
	case X86_TRAP_UD:
		rec->ExceptionCode = STATUS_ILLEGAL_INSTRUCTION;
		break;
	case X86_TRAP_AC:
		rec->ExceptionCode = STATUS_DATATYPE_MISALIGNMENT;
		break;
	case X86_TRAP_GP:
		if ((f->error & 7) == 2 && (f->error >> 3) == 0x2d &&
		    nt_int_at(ip, 0x2d)) {
			/* KiDebugService: past the int and one more byte */
			regs->ip = ip + 3;
			rec->ExceptionCode = STATUS_BREAKPOINT;
			rec->ExceptionAddress = ip + 2;
			rec->NumberParameters = 3;
			rec->ExceptionInformation[0] = regs->ax;
			rec->ExceptionInformation[1] = regs->cx;
			rec->ExceptionInformation[2] = regs->dx;
			break;
		}
		if ((f->error & 7) == 2 && (f->error >> 3) == 0x2c &&
		    nt_int_at(ip, 0x2c)) {
			rec->ExceptionCode = STATUS_ASSERTION_FAILURE;
			break;
		}
		code = f->error ? 0 : nt_privileged(ip);
		if (code) {
			rec->ExceptionCode = code;
			break;
		}
		fallthrough;
	case X86_TRAP_NP:
	case X86_TRAP_SS:
		nt_av(rec, EXCEPTION_READ_FAULT, 0xffffffff);
		break;
	case X86_TRAP_PF:
		if (f->error & X86_PF_INSTR)
			rw = EXCEPTION_EXECUTE_FAULT;
		else if (f->error & X86_PF_WRITE)
			rw = EXCEPTION_WRITE_FAULT;
		else
			rw = EXCEPTION_READ_FAULT;
		nt_av(rec, rw, f->addr);
		if (f->sig == SIGBUS) {
			/* a page that could not be read in: past a file's end */
			rec->ExceptionCode = STATUS_IN_PAGE_ERROR;
			rec->NumberParameters = 3;
			rec->ExceptionInformation[2] =
				f->si_code == BUS_ADRERR ? STATUS_END_OF_FILE :
				STATUS_DEVICE_DATA_ERROR;
		}
		break;
	case X86_TRAP_XF:
		/* what Windows reports for any SSE exception (Wine's notes) */
		rec->ExceptionCode = STATUS_FLOAT_MULTIPLE_TRAPS;
		rec->NumberParameters = 1;
		break;
	}
	ctx->ContextFlags = CONTEXT_ALL;
	nt_arch_get_context(current, ctx);
	if (f->trap == X86_TRAP_MF) {
		rec->ExceptionCode = nt_x87_code(ctx);
		/* the x87 instruction that failed, not the one reporting it */
		if (ctx->FloatSave.ErrorOffset)
			rec->ExceptionAddress = ctx->FloatSave.ErrorOffset;
		nt_arch_fpu_clear_x87_exceptions();
	}
}
