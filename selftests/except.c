// SPDX-License-Identifier: GPL-2.0
/*
 * Exceptions (issue 13): CPU faults of an attached thread arrive as NT
 * exceptions through KiUserExceptionDispatcher and the fs:[0] chain,
 * with XP's EXCEPTION_RECORD and CONTEXT; NtRaiseException and the Rtl
 * half (RtlDispatchException, RtlUnwind, RtlRaiseException); an unhandled
 * exception ends the process with its code as NT exit status.
 *
 * Expected records: Wine's dlls/ntdll/tests/exception.c (the exceptions[]
 * table of test_prot_fault: privileged instructions, #GP as an access
 * violation at 0xffffffff, icebp; int3_handler: ExceptionAddress and Eip
 * on the int3; single_step_handler: TF clear in the CONTEXT;
 * test_fpu_exceptions; test_unwind; run_rtlraiseexception_test: Eip
 * backed up for STATUS_BREAKPOINT only). int 0x2c/0x2d and into as
 * ReactOS's ntoskrnl/ke/i386/traps.c documents XP.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nt_test.h"
#include "ntpersonality.h"

static unsigned char *code_mem;

struct fault_case {
	const char *name;
	unsigned char code[48];
	unsigned int addr;	/* ExceptionAddress - code_mem */
	unsigned int eip;	/* CONTEXT.Eip - code_mem */
	unsigned int resume;	/* where the handler continues */
	NTSTATUS status;
	ULONG nparams;
	ULONG params[3];
};

/* an fs:[0] registration with the case it expects after it */
struct seh_frame {
	EXCEPTION_REGISTRATION_RECORD reg;
	const struct fault_case *c;
};

static struct {
	int count;
	EXCEPTION_RECORD rec;
	CONTEXT ctx;
	ULONG flags[4];
} got;

static EXCEPTION_REGISTRATION_RECORD *seh_head(void)
{
	return (EXCEPTION_REGISTRATION_RECORD *)NtCurrentTeb()->NtTib.ExceptionList;
}

static void seh_push(struct seh_frame *f, void *handler)
{
	f->reg.Next = seh_head();
	f->reg.Handler = handler;
	NtCurrentTeb()->NtTib.ExceptionList = &f->reg;
	/* a fault, for the compiler, is no call: the frame must be written */
	__asm__ __volatile__("" ::: "memory");
}

static void seh_pop(struct seh_frame *f)
{
	/* nor does it see the handler's writes */
	__asm__ __volatile__("" ::: "memory");
	NtCurrentTeb()->NtTib.ExceptionList = f->reg.Next;
}

/* Records what it saw; fixes up per the case and continues. */
static EXCEPTION_DISPOSITION case_handler(EXCEPTION_RECORD *rec, void *frame,
					  CONTEXT *ctx, void *dc)
{
	const struct fault_case *c = ((struct seh_frame *)frame)->c;

	if (got.count < 4)
		got.flags[got.count] = rec->ExceptionFlags;
	if (!got.count++) {
		got.rec = *rec;
		got.ctx = *ctx;
	}
	if (rec->ExceptionCode == STATUS_FLOAT_DIVIDE_BY_ZERO) {
		/* the pending x87 exception, then masked (Wine does the same) */
		ctx->FloatSave.StatusWord &= ~0xff;
		ctx->FloatSave.ControlWord |= 0x3f;
	}
	if (rec->ExceptionCode == STATUS_FLOAT_MULTIPLE_TRAPS)
		*(ULONG *)(ctx->ExtendedRegisters + 24) = 0x1f80;	/* MXCSR */
	if (got.count > 3)
		return ExceptionContinueSearch;	/* a loop: let it die */
	ctx->Eip = (ULONG)code_mem + c->resume;
	return ExceptionContinueExecution;
}

static ULONG run_code(const struct fault_case *c)
{
	struct seh_frame f = { .c = c };
	ULONG (*fn)(void) = (void *)code_mem;
	ULONG ret;

	memcpy(code_mem, c->code, sizeof(c->code));
	memset(&got, 0, sizeof(got));
	seh_push(&f, case_handler);
	ret = fn();
	seh_pop(&f);
	return ret;
}

static const struct fault_case cases[] = {
	{ "cli", { 0xfa, 0xc3 }, 0, 0, 1, STATUS_PRIVILEGED_INSTRUCTION },
	{ "sti", { 0xfb, 0xc3 }, 0, 0, 1, STATUS_PRIVILEGED_INSTRUCTION },
	{ "hlt", { 0xf4, 0xc3 }, 0, 0, 1, STATUS_PRIVILEGED_INSTRUCTION },
	{ "insb", { 0x6c, 0xc3 }, 0, 0, 1, STATUS_PRIVILEGED_INSTRUCTION },
	{ "inb $0x11", { 0xe4, 0x11, 0xc3 }, 0, 0, 2, STATUS_PRIVILEGED_INSTRUCTION },
	{ "outl %eax,$0x11", { 0xe7, 0x11, 0xc3 }, 0, 0, 2, STATUS_PRIVILEGED_INSTRUCTION },
	{ "outb %al,(%dx)", { 0xee, 0xc3 }, 0, 0, 1, STATUS_PRIVILEGED_INSTRUCTION },
	{ "mov %cr0,%eax", { 0x0f, 0x20, 0xc0, 0xc3 }, 0, 0, 3, STATUS_PRIVILEGED_INSTRUCTION },
	{ "mov %eax,%dr7", { 0x0f, 0x23, 0xf8, 0xc3 }, 0, 0, 3, STATUS_PRIVILEGED_INSTRUCTION },
	{ "fs prefixes + cli", { 0x64, 0x64, 0x64, 0x64, 0xfa, 0xc3 }, 0, 0, 5,
	  STATUS_PRIVILEGED_INSTRUCTION },
	{ "ljmp $0,$0", { 0xea, 0, 0, 0, 0, 0, 0, 0xc3 }, 0, 0, 7,
	  STATUS_ACCESS_VIOLATION, 2, { 0, 0xffffffff } },
	{ "int $0xff", { 0xcd, 0xff, 0xc3 }, 0, 0, 2,
	  STATUS_ACCESS_VIOLATION, 2, { 0, 0xffffffff } },
	{ "read 0xfffffffc", { 0xa1, 0xfc, 0xff, 0xff, 0xff, 0xc3 }, 0, 0, 5,
	  STATUS_ACCESS_VIOLATION, 2, { 0, 0xfffffffc } },
	{ "write 0xfffffffc", { 0xa3, 0xfc, 0xff, 0xff, 0xff, 0xc3 }, 0, 0, 5,
	  STATUS_ACCESS_VIOLATION, 2, { 1, 0xfffffffc } },
	{ "write NULL", { 0xa3, 0, 0, 0, 0, 0xc3 }, 0, 0, 5,
	  STATUS_ACCESS_VIOLATION, 2, { 1, 0 } },
	/* xor %ecx,%ecx; div %ecx */
	{ "div by zero", { 0x31, 0xc9, 0xf7, 0xf1, 0xc3 }, 2, 2, 4,
	  STATUS_INTEGER_DIVIDE_BY_ZERO },
	/* mov $0x7fffffff,%eax; add $1,%eax; into: a trap, EIP past it */
	{ "into", { 0xb8, 0xff, 0xff, 0xff, 0x7f, 0x83, 0xc0, 0x01, 0xce, 0xc3 },
	  8, 9, 9, STATUS_INTEGER_OVERFLOW },
	{ "int3", { 0xcc, 0xc3 }, 0, 0, 1, STATUS_BREAKPOINT, 3, { 0, 0, 0 } },
	/* pushf; orl $0x100,(%esp); popf; nop: the trap after the nop */
	{ "TF single step", { 0x9c, 0x81, 0x0c, 0x24, 0x00, 0x01, 0x00, 0x00, 0x9d,
			      0x90, 0x90, 0xc3 }, 10, 10, 10, STATUS_SINGLE_STEP },
	{ "ud2", { 0x0f, 0x0b, 0xc3 }, 0, 0, 2, STATUS_ILLEGAL_INSTRUCTION },
	{ "int $0x2c", { 0xcd, 0x2c, 0xc3 }, 0, 0, 2, STATUS_ASSERTION_FAILURE },
	/* mov $1,%eax; mov $2,%ecx; mov $3,%edx; int $0x2d; nop */
	{ "int $0x2d", { 0xb8, 1, 0, 0, 0, 0xb9, 2, 0, 0, 0, 0xba, 3, 0, 0, 0,
			 0xcd, 0x2d, 0x90, 0xc3 }, 17, 17, 17, STATUS_BREAKPOINT,
	  3, { 1, 2, 3 } },
	/*
	 * sub $4,%esp; movw $0x37b,(%esp); fldcw (%esp) (divide by zero
	 * unmasked); fldz; fld1; fdivrp; fwait (reports it); fstp %st(0);
	 * fninit; add $4,%esp
	 */
	{ "x87 divide by zero", { 0x83, 0xec, 0x04, 0x66, 0xc7, 0x04, 0x24, 0x7b,
				  0x03, 0xd9, 0x2c, 0x24, 0xd9, 0xee, 0xd9, 0xe8,
				  0xde, 0xf1, 0x9b, 0xdd, 0xd8, 0xdb, 0xe3, 0x83,
				  0xc4, 0x04, 0xc3 }, 0x10, 0x12, 0x12,
	  STATUS_FLOAT_DIVIDE_BY_ZERO },
	/*
	 * sub $4,%esp; movl $0x1d80,(%esp); ldmxcsr (%esp) (ZM clear);
	 * xorps %xmm1,%xmm1; mov $1,%eax; cvtsi2ss %eax,%xmm0;
	 * divss %xmm1,%xmm0; movl $0x1f80,(%esp); ldmxcsr; add $4,%esp
	 */
	{ "SSE divide by zero", { 0x83, 0xec, 0x04, 0xc7, 0x04, 0x24, 0x80, 0x1d,
				  0x00, 0x00, 0x0f, 0xae, 0x14, 0x24, 0x0f, 0x57,
				  0xc9, 0xb8, 0x01, 0x00, 0x00, 0x00, 0xf3, 0x0f,
				  0x2a, 0xc0, 0xf3, 0x0f, 0x5e, 0xc1, 0xc7, 0x04,
				  0x24, 0x80, 0x1f, 0x00, 0x00, 0x0f, 0xae, 0x14,
				  0x24, 0x83, 0xc4, 0x04, 0xc3 }, 0x1a, 0x1a, 0x1e,
	  STATUS_FLOAT_MULTIPLE_TRAPS, 1, { 0 } },
};

FIXTURE(except) { int unused; };
NT_GATE_VARIANTS(except);
FIXTURE_SETUP(except)
{
	NT_GATE_SETUP();
	if (!code_mem)
		code_mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, code_mem);
}
FIXTURE_TEARDOWN(except) { }

TEST_F(except, each_fault_has_xps_record)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct fault_case *c = &cases[i];

		TH_LOG("%s", c->name);
		run_code(c);
		/*
		 * An SSE exception needs a CPU that raises #XM (qemu's TCG
		 * does not): then there is none.
		 */
		if (c->status == STATUS_FLOAT_MULTIPLE_TRAPS && !got.count) {
			TH_LOG("no #XM from this CPU: SSE case not checked");
			continue;
		}
		EXPECT_EQ(1, got.count);
		EXPECT_STATUS(c->status, got.rec.ExceptionCode);
		EXPECT_EQ(0, got.rec.ExceptionFlags);
		EXPECT_EQ(NULL, got.rec.ExceptionRecord);
		/*
		 * x87: the failing instruction (FIP); a CPU that keeps FIP
		 * at the fwait reporting it gives that (Wine accepts both)
		 */
		if (c->status == STATUS_FLOAT_DIVIDE_BY_ZERO &&
		    (unsigned char *)got.rec.ExceptionAddress == code_mem + c->eip)
			TH_LOG("x87: FIP at the fwait");
		else
			EXPECT_EQ(code_mem + c->addr,
				  (unsigned char *)got.rec.ExceptionAddress);
		EXPECT_EQ((ULONG)code_mem + c->eip, got.ctx.Eip);
		ASSERT_EQ(c->nparams, got.rec.NumberParameters);
		for (j = 0; j < c->nparams; j++)
			EXPECT_EQ(c->params[j], got.rec.ExceptionInformation[j]);
		/* XP's KiDispatchException: all of it, TF never on */
		EXPECT_EQ(CONTEXT_ALL, got.ctx.ContextFlags);
		EXPECT_EQ(0, got.ctx.EFlags & 0x100);
		EXPECT_EQ(NT_USER_CS, got.ctx.SegCs);
		EXPECT_EQ(NT_TEB_SELECTOR, got.ctx.SegFs);
	}
}

/*
 * push %ebp, %ebx, %esi, %edi; mov %esp,%ebp; every register set;
 * xor %eax,%eax; mov (%eax),%eax (at 0x21, 2 bytes); pop; ret
 */
static const struct fault_case regs_case = {
	"registers", { 0x55, 0x53, 0x56, 0x57, 0x89, 0xe5,
		       0xbb, 0x11, 0x11, 0x11, 0x11, 0xbe, 0x22, 0x22, 0x22, 0x22,
		       0xbf, 0x33, 0x33, 0x33, 0x33, 0xb9, 0x44, 0x44, 0x44, 0x44,
		       0xba, 0x55, 0x55, 0x55, 0x55, 0x31, 0xc0, 0x8b, 0x00,
		       0x5f, 0x5e, 0x5b, 0x5d, 0xc3 },
	0x21, 0x21, 0x23, STATUS_ACCESS_VIOLATION, 2, { 0, 0 } };

static EXCEPTION_DISPOSITION regs_handler(EXCEPTION_RECORD *rec, void *frame,
					  CONTEXT *ctx, void *dc)
{
	got.count++;
	got.rec = *rec;
	got.ctx = *ctx;
	ctx->Eip += 2;
	ctx->Eax = 0x600d;	/* what the code returns */
	return ExceptionContinueExecution;
}

TEST_F(except, context_has_the_registers_and_continues_with_the_edits)
{
	struct seh_frame f = { .c = &regs_case };
	ULONG (*fn)(void) = (void *)code_mem;
	ULONG ret;

	memcpy(code_mem, regs_case.code, sizeof(regs_case.code));
	memset(&got, 0, sizeof(got));
	seh_push(&f, regs_handler);
	ret = fn();
	seh_pop(&f);
	EXPECT_EQ(0x600d, ret);
	ASSERT_EQ(1, got.count);
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, got.rec.ExceptionCode);
	EXPECT_EQ(0, got.rec.ExceptionInformation[0]);
	EXPECT_EQ(0, got.rec.ExceptionInformation[1]);
	EXPECT_EQ((ULONG)code_mem + 0x21, got.ctx.Eip);
	EXPECT_EQ(0x11111111, got.ctx.Ebx);
	EXPECT_EQ(0x22222222, got.ctx.Esi);
	EXPECT_EQ(0x33333333, got.ctx.Edi);
	EXPECT_EQ(0x44444444, got.ctx.Ecx);
	EXPECT_EQ(0x55555555, got.ctx.Edx);
	EXPECT_EQ(0, got.ctx.Eax);
	EXPECT_EQ(got.ctx.Ebp, got.ctx.Esp);
	EXPECT_NE(0, got.ctx.EFlags & 0x200);	/* IF */
	EXPECT_EQ(NT_USER_DS, got.ctx.SegSs);
}

static int nested_seen, outer_seen;

static EXCEPTION_DISPOSITION nesting_handler(EXCEPTION_RECORD *rec, void *frame,
					     CONTEXT *ctx, void *dc)
{
	if (rec->ExceptionFlags & EXCEPTION_NESTED_CALL) {
		/* the fault below, seen again by this frame: skip it */
		nested_seen++;
		if (rec->ExceptionCode != STATUS_ACCESS_VIOLATION)
			return ExceptionContinueSearch;
		ctx->Eip += 2;
		return ExceptionContinueExecution;
	}
	outer_seen++;
	if (rec->ExceptionCode != STATUS_PRIVILEGED_INSTRUCTION)
		return ExceptionContinueSearch;
	/* a fault in the handler: its own dispatch marks this frame nested */
	__asm__ __volatile__("xorl %%eax, %%eax\n\tmovl (%%eax), %%eax"
			     ::: "eax", "memory");
	ctx->Eip += 1;
	return ExceptionContinueExecution;
}

TEST_F(except, fault_in_a_handler_is_a_nested_exception)
{
	static const struct fault_case c = { "cli", { 0xfa, 0xc3 } };
	struct seh_frame f = { .c = &c };
	void (*fn)(void) = (void *)code_mem;

	memcpy(code_mem, c.code, sizeof(c.code));
	nested_seen = outer_seen = 0;
	seh_push(&f, nesting_handler);
	fn();
	/* the dispatcher's own registrations are gone */
	EXPECT_EQ(&f.reg, seh_head());
	seh_pop(&f);
	EXPECT_EQ(1, outer_seen);
	EXPECT_EQ(1, nested_seen);
}

static EXCEPTION_DISPOSITION search_handler(EXCEPTION_RECORD *rec, void *frame,
					    CONTEXT *ctx, void *dc)
{
	got.flags[got.count++ & 3] = 0x5ea7c4;
	return ExceptionContinueSearch;
}

TEST_F(except, continue_search_goes_to_the_next_frame)
{
	static const struct fault_case c = { "hlt", { 0xf4, 0xc3 }, 0, 0, 1,
					     STATUS_PRIVILEGED_INSTRUCTION };
	struct seh_frame outer = { .c = &c }, inner = { .c = &c };
	void (*fn)(void) = (void *)code_mem;

	memcpy(code_mem, c.code, sizeof(c.code));
	memset(&got, 0, sizeof(got));
	seh_push(&outer, case_handler);
	seh_push(&inner, search_handler);
	fn();
	seh_pop(&inner);
	seh_pop(&outer);
	EXPECT_EQ(2, got.count);
	EXPECT_EQ(0x5ea7c4, got.flags[0]);
}

/* Wine's test_unwind: handlers above the target run with STATUS_UNWIND */
static ULONG unwind_eax;
static int unwind_calls;

static EXCEPTION_DISPOSITION unwind_handler(EXCEPTION_RECORD *rec, void *frame,
					    CONTEXT *ctx, void *dc)
{
	unwind_calls++;
	if (rec->ExceptionCode != STATUS_UNWIND ||
	    !(rec->ExceptionFlags & EXCEPTION_UNWINDING) ||
	    ctx->Eax != unwind_eax)
		return ExceptionContinueSearch;
	ctx->Eax += 1;
	return ExceptionContinueSearch;
}

static ULONG __attribute__((noinline)) call_unwind(void *target, ULONG retval)
{
	ULONG eax;

	/* RtlUnwind "returns" through NtContinue with Eax = ReturnValue */
	__asm__ __volatile__("pushl %2\n\tpushl $0\n\tpushl $0\n\tpushl %1\n\t"
			     "call RtlUnwind"
			     : "=a" (eax) : "r" (target), "r" (retval)
			     : "ecx", "edx", "memory");
	return eax;
}

TEST_F(except, rtl_unwind_calls_and_unlinks_the_frames_above_the_target)
{
	/* the target must be above what is unwound: an array fixes the order */
	struct seh_frame frames[2], *f2 = &frames[0], *f1 = &frames[1];

	seh_push(f1, unwind_handler);
	seh_push(f2, unwind_handler);
	unwind_calls = 0;
	unwind_eax = 0xdead0000;
	EXPECT_EQ(0xdead0000, call_unwind(&f2->reg, 0xdead0000));
	EXPECT_EQ(0, unwind_calls);
	EXPECT_EQ(&f2->reg, seh_head());
	EXPECT_EQ(0xdead0001, call_unwind(&f1->reg, 0xdead0000));
	EXPECT_EQ(1, unwind_calls);
	EXPECT_EQ(&f1->reg, seh_head());
	seh_pop(f1);
}

/* RtlRaiseException: the caller's context, its own return address */
static EXCEPTION_DISPOSITION raise_handler(EXCEPTION_RECORD *rec, void *frame,
					   CONTEXT *ctx, void *dc)
{
	got.count++;
	got.rec = *rec;
	got.ctx = *ctx;
	if (rec->ExceptionCode == STATUS_BREAKPOINT)
		ctx->Eip++;
	return ExceptionContinueExecution;
}

static void *__attribute__((noinline)) raise_it(EXCEPTION_RECORD *rec)
{
	RtlRaiseException(rec);
	return __builtin_return_address(0);
}

TEST_F(except, rtl_raise_exception_reaches_the_handler_and_continues)
{
	static const NTSTATUS codes[] = { 0x12345, STATUS_BREAKPOINT,
					  STATUS_INVALID_HANDLE };
	struct seh_frame f = { 0 };
	EXCEPTION_RECORD rec;
	unsigned int i;

	seh_push(&f, raise_handler);
	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		memset(&rec, 0, sizeof(rec));
		rec.ExceptionCode = codes[i];
		rec.NumberParameters = 2;
		rec.ExceptionInformation[0] = 0xa;
		rec.ExceptionInformation[1] = 0xb;
		memset(&got, 0, sizeof(got));
		raise_it(&rec);
		ASSERT_EQ(1, got.count);
		EXPECT_STATUS(codes[i], got.rec.ExceptionCode);
		EXPECT_EQ(0, got.rec.ExceptionFlags);
		EXPECT_EQ(2, got.rec.NumberParameters);
		EXPECT_EQ(0xb, got.rec.ExceptionInformation[1]);
		/* Eip backed up for a breakpoint only, even raised (Wine) */
		EXPECT_EQ((ULONG)got.rec.ExceptionAddress -
			  (codes[i] == STATUS_BREAKPOINT), got.ctx.Eip);
		EXPECT_EQ(rec.ExceptionAddress, got.rec.ExceptionAddress);
	}
	seh_pop(&f);
}

TEST_F(except, nt_raise_exception_checks_its_arguments)
{
	EXCEPTION_RECORD rec;
	CONTEXT ctx;

	memset(&rec, 0, sizeof(rec));
	memset(&ctx, 0, sizeof(ctx));
	rec.ExceptionCode = 0x1234;
	rec.NumberParameters = EXCEPTION_MAXIMUM_PARAMETERS + 1;
	ctx.ContextFlags = CONTEXT_FULL;
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, NtRaiseException(&rec, &ctx, TRUE));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtRaiseException((void *)16, &ctx, TRUE));
	rec.NumberParameters = 0;
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtRaiseException(&rec, (void *)16, TRUE));
}

/* A child that runs @fn once the parent holds a handle to it. */
static pid_t child_run(void (*fn)(void), int *go)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(99);
		fn();
		_exit(0);
	}
	close(p[0]);
	*go = p[1];
	return pid;
}

static NTSTATUS exit_status_of(pid_t pid, int go, int *wstatus)
{
	PROCESS_BASIC_INFORMATION pbi;
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	CLIENT_ID c = { (HANDLE)(uintptr_t)pid, 0 };
	siginfo_t si;
	HANDLE h;
	NTSTATUS st;

	nt_oa(&oa, &us, NULL, 0);
	st = NtOpenProcess(&h, PROCESS_QUERY_INFORMATION, &oa, &c);
	if (write(go, "g", 1) != 1)
		st = STATUS_UNSUCCESSFUL;
	close(go);
	if (st)
		return st;
	waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	st = NtQueryInformationProcess(h, ProcessBasicInformation, &pbi,
				       sizeof(pbi), NULL);
	NtClose(h);
	waitpid(pid, wstatus, 0);
	return st ? st : pbi.ExitStatus;
}

static void fault_unhandled(void)
{
	*(volatile int *)0 = 1;
}

static void raise_unhandled(void)
{
	RtlRaiseStatus(0xe0000042);
}

static int corrupt_handler_ran;

static EXCEPTION_DISPOSITION exit_handler(EXCEPTION_RECORD *rec, void *frame,
					  CONTEXT *ctx, void *dc)
{
	_exit(42);	/* must never be called */
}

static void fault_misaligned_chain(void)
{
	char buf[16] __attribute__((aligned(4)));
	EXCEPTION_REGISTRATION_RECORD *r = (void *)(buf + 1);

	r->Next = seh_head();
	r->Handler = exit_handler;
	NtCurrentTeb()->NtTib.ExceptionList = r;
	*(volatile int *)0 = 1;
}

static EXCEPTION_REGISTRATION_RECORD off_stack;

static void fault_chain_off_the_stack(void)
{
	off_stack.Next = seh_head();
	off_stack.Handler = exit_handler;
	NtCurrentTeb()->NtTib.ExceptionList = &off_stack;
	*(volatile int *)0 = 1;
}

static void fault_handler_on_the_stack(void)
{
	struct seh_frame f;
	unsigned char code[4] = { 0xc3 };

	seh_push(&f, code);	/* a "handler" on the stack: refused */
	*(volatile int *)0 = 1;
}

TEST_F(except, unhandled_fault_ends_the_process_with_its_code)
{
	int go, ws;
	pid_t pid = child_run(fault_unhandled, &go);

	ASSERT_GT(pid, 0);
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, exit_status_of(pid, go, &ws));
	/* Linux sees the crash it would have seen */
	EXPECT_TRUE(WIFSIGNALED(ws));
	EXPECT_EQ(SIGSEGV, WTERMSIG(ws));
}

TEST_F(except, unhandled_raise_exits_with_its_code)
{
	int go, ws;
	pid_t pid = child_run(raise_unhandled, &go);

	ASSERT_GT(pid, 0);
	EXPECT_STATUS(0xe0000042, exit_status_of(pid, go, &ws));
	EXPECT_TRUE(WIFEXITED(ws));
	EXPECT_EQ(0x42, WEXITSTATUS(ws));
}

TEST_F(except, corrupt_chain_ends_the_process_without_calling_it)
{
	static void (*const bad[])(void) = { fault_misaligned_chain,
					     fault_chain_off_the_stack,
					     fault_handler_on_the_stack };
	unsigned int i;
	int go, ws;

	(void)corrupt_handler_ran;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		pid_t pid = child_run(bad[i], &go);

		ASSERT_GT(pid, 0);
		EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
			      exit_status_of(pid, go, &ws));
		EXPECT_TRUE(WIFSIGNALED(ws));
		EXPECT_EQ(SIGSEGV, WTERMSIG(ws));
	}
}

static sigjmp_buf segv_jmp;

static void segv_catch(int sig)
{
	siglongjmp(segv_jmp, 1);
}

/* Without a registered exception dispatcher a fault is a Linux signal. */
static void fault_without_dispatcher(void)
{
	struct ntp_dispatchers d = { (__u32)(uintptr_t)KiUserApcDispatcher, 0 };
	int fd = open(NTP_DEVICE_PATH, O_RDWR);

	if (fd < 0 || ioctl(fd, NTP_IOC_SET_DISPATCHERS, &d))
		_exit(98);
	signal(SIGSEGV, segv_catch);
	if (!sigsetjmp(segv_jmp, 1))
		*(volatile int *)0 = 1;
	else
		_exit(7);	/* the signal came */
	_exit(8);
}

TEST_F(except, no_exception_dispatcher_keeps_linux_signals)
{
	int go, ws;
	pid_t pid = child_run(fault_without_dispatcher, &go);

	ASSERT_GT(pid, 0);
	EXPECT_EQ(7, exit_status_of(pid, go, &ws));
	EXPECT_TRUE(WIFEXITED(ws));
	EXPECT_EQ(7, WEXITSTATUS(ws));
}

/* PAGE_GUARD: the first touch raises, once; then the page is plain */
static struct {
	int count;
	EXCEPTION_RECORD rec[2];
	ULONG eip[2];
} guard;

static EXCEPTION_DISPOSITION guard_handler(EXCEPTION_RECORD *rec, void *frame,
					   CONTEXT *ctx, void *dc)
{
	if (guard.count < 2) {
		guard.rec[guard.count] = *rec;
		guard.eip[guard.count] = ctx->Eip;
	}
	guard.count++;
	return ExceptionContinueExecution;	/* again: the guard is gone */
}

static ULONG page_protect(void *p)
{
	MEMORY_BASIC_INFORMATION mbi;

	if (NtQueryVirtualMemory(NtCurrentProcess(), p, MemoryBasicInformation,
				 &mbi, sizeof(mbi), NULL))
		return 0;
	return mbi.Protect;
}

TEST_F(except, guard_page_raises_once_then_is_plain)
{
	struct seh_frame f = { 0 };
	SIZE_T size = 0x10000;
	char *base = NULL;
	int v;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtAllocateVirtualMemory(NtCurrentProcess(), (void **)&base, 0,
					      &size, MEM_RESERVE | MEM_COMMIT,
					      PAGE_READWRITE | PAGE_GUARD));
	memset(&guard, 0, sizeof(guard));
	seh_push(&f, guard_handler);
	v = *(volatile int *)(base + 0x10);
	*(volatile int *)(base + 0x1008) = 5;
	v += *(volatile int *)(base + 0x1008);
	*(volatile int *)(base + 0x10) = 6;
	seh_pop(&f);
	EXPECT_EQ(5, v);
	ASSERT_EQ(2, guard.count);
	EXPECT_STATUS(STATUS_GUARD_PAGE_VIOLATION, guard.rec[0].ExceptionCode);
	EXPECT_EQ(2, guard.rec[0].NumberParameters);
	EXPECT_EQ(EXCEPTION_READ_FAULT, guard.rec[0].ExceptionInformation[0]);
	EXPECT_EQ((ULONG)base + 0x10, guard.rec[0].ExceptionInformation[1]);
	EXPECT_EQ((ULONG)guard.rec[0].ExceptionAddress, guard.eip[0]);
	EXPECT_STATUS(STATUS_GUARD_PAGE_VIOLATION, guard.rec[1].ExceptionCode);
	EXPECT_EQ(EXCEPTION_WRITE_FAULT, guard.rec[1].ExceptionInformation[0]);
	EXPECT_EQ((ULONG)base + 0x1008, guard.rec[1].ExceptionInformation[1]);
	/* the two pages touched lost their guard, the third keeps it */
	EXPECT_EQ(PAGE_READWRITE, page_protect(base));
	EXPECT_EQ(PAGE_READWRITE, page_protect(base + 0x1000));
	EXPECT_EQ(PAGE_READWRITE | PAGE_GUARD, page_protect(base + 0x2000));
	size = 0;
	NtFreeVirtualMemory(NtCurrentProcess(), (void **)&base, &size, MEM_RELEASE);
}

/*
 * A thread's stack (RtlCreateUserThread: a guard page below what is
 * committed) grows through its guard page without an exception, as XP
 * moves the guard, until the reservation's end: STATUS_STACK_OVERFLOW,
 * with StackLimit one page above the reservation's base.
 */
static struct {
	int depth;
	int count;
	EXCEPTION_RECORD rec;
	ULONG limit, dealloc, limit0;
} ovf;

static EXCEPTION_DISPOSITION overflow_handler(EXCEPTION_RECORD *rec,
					      void *frame, CONTEXT *ctx,
					      void *dc)
{
	if (!ovf.count++) {
		ovf.rec = *rec;
		ovf.limit = (ULONG)NtCurrentTeb()->NtTib.StackLimit;
	}
	RtlExitUserThread(0x77);
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int __attribute__((noinline)) recurse(int n)
{
	volatile int pad[256];

	pad[0] = n;
	ovf.depth = n;
	return recurse(n + 1) + pad[0];
}

static void NTAPI overflow_thread(void *param)
{
	struct seh_frame f = { 0 };

	ovf.dealloc = (ULONG)NtCurrentTeb()->DeallocationStack;
	ovf.limit0 = (ULONG)NtCurrentTeb()->NtTib.StackLimit;
	seh_push(&f, overflow_handler);
	recurse(0);
}

TEST_F(except, stack_grows_through_its_guard_then_overflows)
{
	THREAD_BASIC_INFORMATION tbi;
	LARGE_INTEGER t = { .QuadPart = -50000000LL };
	CLIENT_ID cid;
	HANDLE h;

	memset(&ovf, 0, sizeof(ovf));
	ASSERT_STATUS(STATUS_SUCCESS,
		      RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0,
					  0x40000, 0x1000, (void *)overflow_thread,
					  NULL, &h, &cid));
	ASSERT_STATUS(STATUS_SUCCESS, NtWaitForSingleObject(h, FALSE, &t));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(h, ThreadBasicInformation, &tbi,
					       sizeof(tbi), NULL));
	NtClose(h);
	EXPECT_EQ(0x77, tbi.ExitStatus);
	ASSERT_EQ(1, ovf.count);
	EXPECT_STATUS(STATUS_STACK_OVERFLOW, ovf.rec.ExceptionCode);
	EXPECT_EQ(2, ovf.rec.NumberParameters);
	EXPECT_EQ(EXCEPTION_WRITE_FAULT, ovf.rec.ExceptionInformation[0]);
	/* the last guard page, two above the base */
	EXPECT_EQ(ovf.dealloc + 0x2000, ovf.rec.ExceptionInformation[1] & ~0xfff);
	EXPECT_EQ(ovf.dealloc + 0x1000, ovf.limit);
	/* it went down silently through ~60 guard pages (1 KiB a level) */
	EXPECT_GT(ovf.depth, 200);
	EXPECT_EQ(ovf.dealloc + 0x40000 - 0x1000, ovf.limit0);
}

/*
 * An exception whose frame must go below StackLimit, onto the guard
 * page: the stack grows first, as XP's probe of the frame makes it.
 */
static int low_calls;

static EXCEPTION_DISPOSITION skip_int3(EXCEPTION_RECORD *rec, void *frame,
				       CONTEXT *ctx, void *dc)
{
	low_calls++;
	ctx->Eip++;
	return ExceptionContinueExecution;
}

static void NTAPI low_stack_thread(void *param)
{
	struct seh_frame f = { 0 };
	ULONG sp = (ULONG)NtCurrentTeb()->NtTib.StackLimit + 0x100;

	seh_push(&f, skip_int3);
	__asm__ __volatile__("movl %%esp, %%esi\n\tmovl %0, %%esp\n\t"
			     "int3\n\tmovl %%esi, %%esp"
			     : : "r" (sp) : "esi", "memory");
	seh_pop(&f);
	RtlExitUserThread(0x100 + low_calls);
}

TEST_F(except, frame_below_the_stack_limit_grows_the_stack)
{
	THREAD_BASIC_INFORMATION tbi;
	LARGE_INTEGER t = { .QuadPart = -50000000LL };
	CLIENT_ID cid;
	HANDLE h;

	low_calls = 0;
	ASSERT_STATUS(STATUS_SUCCESS,
		      RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0,
					  0x40000, 0x1000, (void *)low_stack_thread,
					  NULL, &h, &cid));
	ASSERT_STATUS(STATUS_SUCCESS, NtWaitForSingleObject(h, FALSE, &t));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(h, ThreadBasicInformation, &tbi,
					       sizeof(tbi), NULL));
	NtClose(h);
	EXPECT_EQ(0x101, tbi.ExitStatus);
}

/*
 * __except's way: the handler unwinds the frames above its own (their
 * handlers see the exception with EXCEPTION_UNWINDING), then continues
 * in its own scope.
 */
static struct {
	int calls;
	NTSTATUS code;
	ULONG flags;
} inner_unwound;

static EXCEPTION_DISPOSITION inner_unwind_handler(EXCEPTION_RECORD *rec,
						  void *frame, CONTEXT *ctx,
						  void *dc)
{
	if (rec->ExceptionFlags & EXCEPTION_UNWIND) {
		inner_unwound.calls++;
		inner_unwound.code = rec->ExceptionCode;
		inner_unwound.flags = rec->ExceptionFlags;
	}
	return ExceptionContinueSearch;
}

static EXCEPTION_DISPOSITION outer_unwinding_handler(EXCEPTION_RECORD *rec,
						     void *frame, CONTEXT *ctx,
						     void *dc)
{
	RtlUnwind(frame, NULL, rec, NULL);
	ctx->Eip += 2;
	return ExceptionContinueExecution;
}

TEST_F(except, handler_unwinds_inner_frames_then_continues)
{
	struct seh_frame frames[2], *inner = &frames[0], *outer = &frames[1];

	memset(&inner_unwound, 0, sizeof(inner_unwound));
	seh_push(outer, outer_unwinding_handler);
	seh_push(inner, inner_unwind_handler);
	__asm__ __volatile__("xorl %%eax, %%eax\n\tmovl (%%eax), %%eax"
			     ::: "eax", "memory");
	/* the inner frame is gone from the chain */
	EXPECT_EQ(&outer->reg, seh_head());
	seh_pop(outer);
	EXPECT_EQ(1, inner_unwound.calls);
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, inner_unwound.code);
	EXPECT_EQ(EXCEPTION_UNWINDING, inner_unwound.flags);
}

TEST_HARNESS_MAIN
