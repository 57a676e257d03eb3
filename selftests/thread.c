// SPDX-License-Identifier: GPL-2.0
/*
 * NT threads (issue 13): NtCreateThread runs a thread with exactly the
 * CONTEXT it is given (every register checked from the thread itself),
 * on the INITIAL_TEB's stack, suspended until resumed when asked; NT
 * suspend counts and their limit; Get/SetContextThread of a suspended
 * thread round-trip and refuse kernel selectors and privileged flags;
 * another thread is ended by NtTerminateThread, and its object, signaled,
 * keeps its status; NtSuspendProcess stops a whole process.
 *
 * Thread bodies are assembly: an NT thread is not a C library thread (it
 * has no glibc TLS), so they only record what they see and make NT calls.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pthread.h>
#include "nt_test.h"

struct seen {
	uint32_t eflags, eax, ebx, ecx, edx, esi, edi, ebp, esp;
	uint32_t fs, gs, ds, es, ss, cs;
	uint32_t teb, stack_base, stack_limit, tid;
	uint32_t fpu_cw;
	uint32_t started;
	volatile uint32_t counter;
	uint32_t mxcsr;
};

struct seen seen;

/*
 * thread_record: store every register as the thread starts, then end the
 * thread with status 0x1234. thread_spin: count forever. thread_fpu: the
 * x87 control word, then end.
 */
__asm__(
	".text\n"
	".globl thread_record\n"
	"thread_record:\n"
	"	pushfl\n"
	"	popl seen+0\n"
	"	movl %eax, seen+4\n"
	"	movl %ebx, seen+8\n"
	"	movl %ecx, seen+12\n"
	"	movl %edx, seen+16\n"
	"	movl %esi, seen+20\n"
	"	movl %edi, seen+24\n"
	"	movl %ebp, seen+28\n"
	"	movl %esp, seen+32\n"
	"	xorl %eax, %eax\n"
	"	movw %fs, %ax\n"
	"	movl %eax, seen+36\n"
	"	movw %gs, %ax\n"
	"	movl %eax, seen+40\n"
	"	movw %ds, %ax\n"
	"	movl %eax, seen+44\n"
	"	movw %es, %ax\n"
	"	movl %eax, seen+48\n"
	"	movw %ss, %ax\n"
	"	movl %eax, seen+52\n"
	"	movw %cs, %ax\n"
	"	movl %eax, seen+56\n"
	"	movl %fs:0x18, %eax\n"
	"	movl %eax, seen+60\n"
	"	movl %fs:4, %eax\n"
	"	movl %eax, seen+64\n"
	"	movl %fs:8, %eax\n"
	"	movl %eax, seen+68\n"
	"	movl %fs:0x24, %eax\n"		/* TEB.ClientId.UniqueThread */
	"	movl %eax, seen+72\n"
	"	fnstcw seen+76\n"
	"	stmxcsr seen+88\n"
	"	movl $1, seen+80\n"
	"	pushl $0x1234\n"
	"	pushl $-2\n"
	"	call NtTerminateThread\n"
	"	ud2\n"
	".globl thread_spin\n"
	"thread_spin:\n"
	"	movl $1, seen+80\n"
	"1:	incl seen+84\n"
	"	jmp 1b\n"
);

void thread_record(void);
void thread_spin(void);

#define STACK_SIZE	0x10000

struct nt_start {
	void *stack;
	CONTEXT ctx;
	INITIAL_TEB iteb;
};

/* A CONTEXT as RtlInitializeContext makes one: XP's selectors, IF set. */
static void start_init(struct nt_start *s, void (*entry)(void))
{
	uint8_t *top;

	s->stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	top = (uint8_t *)s->stack + STACK_SIZE;
	memset(&s->ctx, 0, sizeof(s->ctx));
	memset(&s->iteb, 0, sizeof(s->iteb));
	s->iteb.StackBase = top;
	s->iteb.StackLimit = s->stack;
	s->iteb.AllocatedStackBase = s->stack;
	s->ctx.ContextFlags = CONTEXT_FULL;
	s->ctx.SegCs = NT_USER_CS;
	s->ctx.SegSs = s->ctx.SegDs = s->ctx.SegEs = NT_USER_DS;
	s->ctx.SegFs = NT_TEB_SELECTOR;
	s->ctx.EFlags = 0x202;
	s->ctx.Esp = (uintptr_t)(top - 64);
	s->ctx.Eip = (uintptr_t)entry;
}

static NTSTATUS start_thread(struct nt_start *s, BOOLEAN suspended, HANDLE *h,
			     CLIENT_ID *cid)
{
	return NtCreateThread(h, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(), cid,
			      &s->ctx, &s->iteb, suspended);
}

static NTSTATUS wait_ms(HANDLE h, long long ms)
{
	LARGE_INTEGER to;

	return NtWaitForSingleObject(h, FALSE, nt_timeout_ms(&to, ms));
}

static NTSTATUS exit_status_of(HANDLE h, THREAD_BASIC_INFORMATION *tbi)
{
	return NtQueryInformationThread(h, ThreadBasicInformation, tbi,
					sizeof(*tbi), NULL);
}

FIXTURE(thread) { int unused; };
NT_GATE_VARIANTS(thread);
FIXTURE_SETUP(thread) { NT_GATE_SETUP(); memset(&seen, 0, sizeof(seen)); }
FIXTURE_TEARDOWN(thread) { }

TEST_F(thread, runs_with_exactly_the_given_context)
{
	THREAD_BASIC_INFORMATION tbi;
	struct nt_start s;
	CLIENT_ID cid;
	HANDLE h;

	start_init(&s, thread_record);
	s.ctx.Eax = 0x11111111;
	s.ctx.Ebx = 0x22222222;
	s.ctx.Ecx = 0x33333333;
	s.ctx.Edx = 0x44444444;
	s.ctx.Esi = 0x55555555;
	s.ctx.Edi = 0x66666666;
	s.ctx.Ebp = 0x77777777;
	/* CF, PF, ZF set; IOPL 3 and NT must not survive */
	s.ctx.EFlags = 0x202 | 0x1 | 0x4 | 0x40 | 0x3000 | 0x4000;
	nt_poison(&cid);
	ASSERT_STATUS(STATUS_SUCCESS, start_thread(&s, FALSE, &h, &cid));
	ASSERT_STATUS(STATUS_SUCCESS, wait_ms(h, 5000));
	EXPECT_EQ(1, seen.started);
	EXPECT_EQ(0x11111111, seen.eax);
	EXPECT_EQ(0x22222222, seen.ebx);
	EXPECT_EQ(0x33333333, seen.ecx);
	EXPECT_EQ(0x44444444, seen.edx);
	EXPECT_EQ(0x55555555, seen.esi);
	EXPECT_EQ(0x66666666, seen.edi);
	EXPECT_EQ(0x77777777, seen.ebp);
	EXPECT_EQ(s.ctx.Esp, seen.esp);
	EXPECT_EQ(0x202 | 0x1 | 0x4 | 0x40, seen.eflags & 0x7fd7);
	/* Linux's user selectors under XP's names; fs the TEB's, gs null */
	EXPECT_EQ(NT_TEB_SELECTOR, seen.fs);
	EXPECT_EQ(0, seen.gs);
	EXPECT_EQ(0x7b, seen.ds);
	EXPECT_EQ(0x7b, seen.es);
	EXPECT_EQ(0x7b, seen.ss);
	EXPECT_EQ(0x73, seen.cs);
	/* its own TEB, on the stack the INITIAL_TEB described */
	EXPECT_NE(0, seen.teb);
	EXPECT_NE((uintptr_t)NtCurrentTeb(), seen.teb);
	EXPECT_EQ((uintptr_t)s.iteb.StackBase, seen.stack_base);
	EXPECT_EQ((uintptr_t)s.iteb.StackLimit, seen.stack_limit);
	EXPECT_EQ((uintptr_t)cid.UniqueThread, seen.tid);
	EXPECT_EQ((uintptr_t)getpid(), (uintptr_t)cid.UniqueProcess);
	/* the object was signaled at the exit and keeps the status */
	ASSERT_STATUS(STATUS_SUCCESS, exit_status_of(h, &tbi));
	EXPECT_EQ(0x1234, tbi.ExitStatus);
	EXPECT_EQ((uintptr_t)cid.UniqueThread, (uintptr_t)tbi.ClientId.UniqueThread);
	EXPECT_EQ((uintptr_t)getpid(), (uintptr_t)tbi.ClientId.UniqueProcess);
	NtClose(h);
}

TEST_F(thread, suspended_thread_runs_only_after_resume)
{
	struct nt_start s;
	CLIENT_ID cid;
	ULONG prev = NT_POISON_ULONG;
	HANDLE h;

	start_init(&s, thread_record);
	ASSERT_STATUS(STATUS_SUCCESS, start_thread(&s, TRUE, &h, &cid));
	EXPECT_STATUS(STATUS_TIMEOUT, wait_ms(h, 200));
	EXPECT_EQ(0, seen.started);
	ASSERT_STATUS(STATUS_SUCCESS, NtResumeThread(h, &prev));
	EXPECT_EQ(1, prev);
	ASSERT_STATUS(STATUS_SUCCESS, wait_ms(h, 5000));
	EXPECT_EQ(1, seen.started);
	NtClose(h);
}

TEST_F(thread, alert_resume_resumes)
{
	struct nt_start s;
	CLIENT_ID cid;
	ULONG prev = NT_POISON_ULONG;
	HANDLE h;

	start_init(&s, thread_record);
	ASSERT_STATUS(STATUS_SUCCESS, start_thread(&s, TRUE, &h, &cid));
	ASSERT_STATUS(STATUS_SUCCESS, NtAlertResumeThread(h, &prev));
	EXPECT_EQ(1, prev);
	ASSERT_STATUS(STATUS_SUCCESS, wait_ms(h, 5000));
	EXPECT_EQ(1, seen.started);
	NtClose(h);
}

TEST_F(thread, suspend_counts_and_their_limit)
{
	struct nt_start s;
	CLIENT_ID cid;
	ULONG prev, i;
	HANDLE h;

	start_init(&s, thread_record);
	ASSERT_STATUS(STATUS_SUCCESS, start_thread(&s, TRUE, &h, &cid));
	for (i = 1; i < MAXIMUM_SUSPEND_COUNT; i++) {
		prev = NT_POISON_ULONG;
		ASSERT_STATUS(STATUS_SUCCESS, NtSuspendThread(h, &prev));
		ASSERT_EQ(i, prev);
	}
	prev = NT_POISON_ULONG;
	EXPECT_STATUS(STATUS_SUSPEND_COUNT_EXCEEDED, NtSuspendThread(h, &prev));
	for (i = MAXIMUM_SUSPEND_COUNT; i > 0; i--) {
		ASSERT_STATUS(STATUS_SUCCESS, NtResumeThread(h, &prev));
		ASSERT_EQ(i, prev);
		if (i > 1)
			EXPECT_EQ(0, seen.started);
	}
	ASSERT_STATUS(STATUS_SUCCESS, wait_ms(h, 5000));
	/* a count at 0 stays there */
	prev = NT_POISON_ULONG;
	EXPECT_STATUS(STATUS_SUCCESS, NtResumeThread(NtCurrentThread(), &prev));
	EXPECT_EQ(0, prev);
	NtClose(h);
}

/* What CONTEXT_FULL shows of a thread that has not run yet. */
TEST_F(thread, get_and_set_context_of_a_suspended_thread)
{
	struct nt_start s;
	CONTEXT ctx;
	CLIENT_ID cid;
	HANDLE h;

	start_init(&s, thread_record);
	s.ctx.Eax = 0xa0a0a0a0;
	s.ctx.Edi = 0xd1d1d1d1;
	ASSERT_STATUS(STATUS_SUCCESS, start_thread(&s, TRUE, &h, &cid));
	memset(&ctx, 0xcc, sizeof(ctx));
	ctx.ContextFlags = CONTEXT_FULL;
	ASSERT_STATUS(STATUS_SUCCESS, NtGetContextThread(h, &ctx));
	EXPECT_EQ(CONTEXT_FULL, ctx.ContextFlags);
	EXPECT_EQ(s.ctx.Eip, ctx.Eip);
	EXPECT_EQ(s.ctx.Esp, ctx.Esp);
	EXPECT_EQ(0xa0a0a0a0, ctx.Eax);
	EXPECT_EQ(0xd1d1d1d1, ctx.Edi);
	EXPECT_EQ(0, ctx.Ebx);
	EXPECT_EQ(NT_USER_CS, ctx.SegCs);
	EXPECT_EQ(NT_USER_DS, ctx.SegSs);
	EXPECT_EQ(NT_USER_DS, ctx.SegDs);
	EXPECT_EQ(NT_USER_DS, ctx.SegEs);
	EXPECT_EQ(NT_TEB_SELECTOR, ctx.SegFs);
	EXPECT_EQ(0, ctx.SegGs);
	EXPECT_EQ(0x202, ctx.EFlags & 0x7fd7);
	/* parts not asked for are left as they were */
	EXPECT_EQ(0xcccccccc, ctx.Dr0);

	/* kernel selectors and privileged flags are refused quietly */
	ctx.Eax = 0x0badf00d;
	ctx.Ebx = 0x0b0b0b0b;
	ctx.SegCs = 0x60;		/* __KERNEL_CS */
	ctx.SegSs = 0x68;		/* __KERNEL_DS */
	ctx.SegDs = 0x10;
	ctx.SegEs = 0x08;
	ctx.SegGs = 0x60;
	ctx.EFlags |= 0x3000 | 0x20000;	/* IOPL 3, VM */
	ctx.EFlags &= ~0x200;		/* IF off */
	ASSERT_STATUS(STATUS_SUCCESS, NtSetContextThread(h, &ctx));
	memset(&ctx, 0xcc, sizeof(ctx));
	ctx.ContextFlags = CONTEXT_FULL;
	ASSERT_STATUS(STATUS_SUCCESS, NtGetContextThread(h, &ctx));
	EXPECT_EQ(0x0badf00d, ctx.Eax);
	EXPECT_EQ(0x0b0b0b0b, ctx.Ebx);
	EXPECT_EQ(NT_USER_CS, ctx.SegCs);
	EXPECT_EQ(NT_USER_DS, ctx.SegSs);
	EXPECT_EQ(NT_USER_DS, ctx.SegDs);
	EXPECT_EQ(NT_USER_DS, ctx.SegEs);
	EXPECT_EQ(0, ctx.SegGs);
	EXPECT_EQ(0x202, ctx.EFlags & 0x33202);
	/* it runs with them */
	ASSERT_STATUS(STATUS_SUCCESS, NtResumeThread(h, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, wait_ms(h, 5000));
	EXPECT_EQ(0x0badf00d, seen.eax);
	EXPECT_EQ(0x0b0b0b0b, seen.ebx);
	EXPECT_EQ(0x73, seen.cs);
	EXPECT_EQ(0, seen.eflags & 0x3000);
	NtClose(h);
}

TEST_F(thread, floating_point_context_reaches_the_thread)
{
	struct nt_start s;
	CONTEXT ctx;
	CLIENT_ID cid;
	HANDLE h;

	start_init(&s, thread_record);
	ASSERT_STATUS(STATUS_SUCCESS, start_thread(&s, TRUE, &h, &cid));
	memset(&ctx, 0, sizeof(ctx));
	ctx.ContextFlags = CONTEXT_FLOATING_POINT;
	ASSERT_STATUS(STATUS_SUCCESS, NtGetContextThread(h, &ctx));
	/* the x87 state of a thread that has not computed: nothing in use */
	EXPECT_EQ(0xffff, ctx.FloatSave.TagWord & 0xffff);
	ctx.FloatSave.ControlWord = 0x27f;	/* 53-bit precision */
	ASSERT_STATUS(STATUS_SUCCESS, NtSetContextThread(h, &ctx));
	memset(&ctx, 0, sizeof(ctx));
	ctx.ContextFlags = CONTEXT_FLOATING_POINT;
	ASSERT_STATUS(STATUS_SUCCESS, NtGetContextThread(h, &ctx));
	EXPECT_EQ(0x27f, ctx.FloatSave.ControlWord & 0xffff);
	ASSERT_STATUS(STATUS_SUCCESS, NtResumeThread(h, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, wait_ms(h, 5000));
	EXPECT_EQ(0x27f, seen.fpu_cw & 0xffff);
	NtClose(h);
}

/*
 * XP's KiInitializeContextThread: a new thread's FPU is FNINIT's with
 * control word 0x27f and MXCSR 0x1f80, whatever its creator's (clone()
 * copies the creator's).
 */
TEST_F(thread, new_thread_gets_a_fresh_fpu_state)
{
	uint16_t cw = 0x0c7f;		/* round toward zero, 64-bit */
	uint32_t mx = 0x7f80;		/* round toward zero */
	struct nt_start s;
	CONTEXT ctx;
	CLIENT_ID cid;
	HANDLE h;

	__asm__ volatile("fldcw %0; ldmxcsr %1; fld1" : : "m" (cw), "m" (mx));
	start_init(&s, thread_record);
	ASSERT_STATUS(STATUS_SUCCESS, start_thread(&s, TRUE, &h, &cid));
	memset(&ctx, 0, sizeof(ctx));
	ctx.ContextFlags = CONTEXT_FLOATING_POINT | CONTEXT_EXTENDED_REGISTERS |
			   CONTEXT_SEGMENTS;
	ASSERT_STATUS(STATUS_SUCCESS, NtGetContextThread(h, &ctx));
	EXPECT_EQ(0x27f, ctx.FloatSave.ControlWord & 0xffff);
	EXPECT_EQ(0xffff, ctx.FloatSave.TagWord & 0xffff);
	EXPECT_EQ(0x1f80, *(uint32_t *)(ctx.ExtendedRegisters + 24));
	EXPECT_EQ(0, ctx.SegGs);
	ASSERT_STATUS(STATUS_SUCCESS, NtResumeThread(h, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, wait_ms(h, 5000));
	EXPECT_EQ(0x27f, seen.fpu_cw & 0xffff);
	EXPECT_EQ(0x1f80, seen.mxcsr);
	NtClose(h);
	/* the creator's own state is untouched */
	cw = 0;
	mx = 0;
	__asm__ volatile("fnstcw %0; stmxcsr %1; fstp %%st(0)" : "=m" (cw), "=m" (mx));
	EXPECT_EQ(0x0c7f, cw);
	EXPECT_EQ(0x7f80, mx);
	cw = 0x37f;
	mx = 0x1f80;
	__asm__ volatile("fldcw %0; ldmxcsr %1" : : "m" (cw), "m" (mx));
}

/*
 * A thread asleep in an NT wait is suspended there (XP's suspend APC
 * interrupts the wait): its context is read at once, the wait does not
 * end while it is suspended even if its object is signaled, and goes on
 * after the resume.
 */
struct waiter {
	HANDLE ev, self;
	NTSTATUS status;
	volatile int ready, done;
};

static void *wait_forever(void *arg)
{
	struct waiter *w = arg;

	NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(),
			  NtCurrentProcess(), &w->self, 0, 0, DUPLICATE_SAME_ACCESS);
	__atomic_store_n(&w->ready, 1, __ATOMIC_RELEASE);
	w->status = NtWaitForSingleObject(w->ev, FALSE, NULL);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

TEST_F(thread, suspend_a_thread_asleep_in_a_wait)
{
	LARGE_INTEGER t0, t1, ms100 = { .QuadPart = -1000000 };
	struct waiter w = { 0 };
	CONTEXT ctx;
	pthread_t th;
	ULONG prev = 99;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&w.ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, FALSE));
	ASSERT_EQ(0, pthread_create(&th, NULL, wait_forever, &w));
	while (!__atomic_load_n(&w.ready, __ATOMIC_ACQUIRE))
		usleep(1000);
	NtDelayExecution(FALSE, &ms100);	/* asleep in the wait by now */
	NtQuerySystemTime(&t0);
	ASSERT_STATUS(STATUS_SUCCESS, NtSuspendThread(w.self, &prev));
	EXPECT_EQ(0, prev);
	memset(&ctx, 0, sizeof(ctx));
	ctx.ContextFlags = CONTEXT_FULL;
	ASSERT_STATUS(STATUS_SUCCESS, NtGetContextThread(w.self, &ctx));
	NtQuerySystemTime(&t1);
	/* promptly: not when the (endless) wait ends */
	EXPECT_LT(t1.QuadPart - t0.QuadPart, 20000000LL);
	EXPECT_EQ(NT_USER_CS, ctx.SegCs);
	EXPECT_NE(0, ctx.Eip);
	/* signaled while suspended: the wait does not return yet */
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(w.ev, NULL));
	NtDelayExecution(FALSE, &ms100);
	EXPECT_EQ(0, __atomic_load_n(&w.done, __ATOMIC_ACQUIRE));
	ASSERT_STATUS(STATUS_SUCCESS, NtResumeThread(w.self, &prev));
	EXPECT_EQ(1, prev);
	pthread_join(th, NULL);
	EXPECT_EQ(1, w.done);
	EXPECT_STATUS(STATUS_WAIT_0, w.status);
	NtClose(w.self);
	NtClose(w.ev);
}

TEST_F(thread, context_of_the_calling_thread)
{
	CONTEXT ctx;
	uintptr_t sp = (uintptr_t)&ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.ContextFlags = CONTEXT_FULL;
	ASSERT_STATUS(STATUS_SUCCESS, NtGetContextThread(NtCurrentThread(), &ctx));
	EXPECT_EQ(NT_USER_CS, ctx.SegCs);
	EXPECT_EQ(NT_USER_DS, ctx.SegSs);
	EXPECT_EQ(NT_TEB_SELECTOR, ctx.SegFs);
	/* the stack of the call, just below our frame */
	EXPECT_LT(ctx.Esp, sp);
	EXPECT_GT(ctx.Esp + 4096, sp);
	EXPECT_NE(0, ctx.Eip);
}

/* A spinning thread stops while suspended and goes on after. */
TEST_F(thread, suspend_stops_a_running_thread)
{
	THREAD_BASIC_INFORMATION tbi;
	struct nt_start s;
	CONTEXT ctx;
	CLIENT_ID cid;
	ULONG prev;
	uint32_t c1, c2;
	HANDLE h;

	start_init(&s, thread_spin);
	ASSERT_STATUS(STATUS_SUCCESS, start_thread(&s, FALSE, &h, &cid));
	while (!seen.counter)
		NtYieldExecution();
	ASSERT_STATUS(STATUS_SUCCESS, NtSuspendThread(h, &prev));
	EXPECT_EQ(0, prev);
	/* a context read waits until the thread has stopped */
	ctx.ContextFlags = CONTEXT_CONTROL;
	ASSERT_STATUS(STATUS_SUCCESS, NtGetContextThread(h, &ctx));
	EXPECT_LE((uintptr_t)thread_spin, ctx.Eip);
	EXPECT_GT((uintptr_t)thread_spin + 32, ctx.Eip);
	c1 = seen.counter;
	EXPECT_STATUS(STATUS_TIMEOUT, wait_ms(h, 100));
	c2 = seen.counter;
	EXPECT_EQ(c1, c2);
	ASSERT_STATUS(STATUS_SUCCESS, NtResumeThread(h, &prev));
	EXPECT_EQ(1, prev);
	while (seen.counter == c2)
		NtYieldExecution();
	/* and another thread ends it, with the status it names */
	ASSERT_STATUS(STATUS_SUCCESS, NtTerminateThread(h, 0x0abc));
	ASSERT_STATUS(STATUS_SUCCESS, wait_ms(h, 5000));
	ASSERT_STATUS(STATUS_SUCCESS, exit_status_of(h, &tbi));
	EXPECT_EQ(0x0abc, tbi.ExitStatus);
	NtClose(h);
}

TEST_F(thread, terminate_a_suspended_thread)
{
	THREAD_BASIC_INFORMATION tbi;
	struct nt_start s;
	CLIENT_ID cid;
	HANDLE h;

	start_init(&s, thread_record);
	ASSERT_STATUS(STATUS_SUCCESS, start_thread(&s, TRUE, &h, &cid));
	ASSERT_STATUS(STATUS_SUCCESS, NtTerminateThread(h, 0x77));
	ASSERT_STATUS(STATUS_SUCCESS, wait_ms(h, 5000));
	EXPECT_EQ(0, seen.started);
	ASSERT_STATUS(STATUS_SUCCESS, exit_status_of(h, &tbi));
	EXPECT_EQ(0x77, tbi.ExitStatus);
	NtClose(h);
}

TEST_F(thread, bad_arguments)
{
	struct nt_start s;
	CLIENT_ID cid;
	HANDLE h = NT_POISON_HANDLE, ev;
	ULONG prev;

	start_init(&s, thread_record);
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      NtCreateThread(&h, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
				     &cid, NULL, &s.iteb, FALSE));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateThread(&h, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
				     &cid, (CONTEXT *)0xc0000000, &s.iteb, FALSE));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateThread(&h, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
				     (CLIENT_ID *)0x10, &s.ctx, &s.iteb, FALSE));
	EXPECT_STATUS(STATUS_INVALID_HANDLE,
		      NtCreateThread(&h, THREAD_ALL_ACCESS, NULL, (HANDLE)0x1234,
				     &cid, &s.ctx, &s.iteb, FALSE));
	/* none of these started a thread */
	EXPECT_STATUS(STATUS_SUCCESS, NtDelayExecution(FALSE, &(LARGE_INTEGER){ .QuadPart = -200000 }));
	EXPECT_EQ(0, seen.started);
	EXPECT_STATUS(STATUS_INVALID_HANDLE, NtSuspendThread((HANDLE)0x1234, &prev));
	EXPECT_STATUS(STATUS_INVALID_HANDLE, NtResumeThread((HANDLE)0x1234, &prev));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, FALSE));
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, NtSuspendThread(ev, &prev));
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, NtGetContextThread(ev, &s.ctx));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtGetContextThread(NtCurrentThread(), (CONTEXT *)0xc0000000));
	NtClose(ev);
}

/* A thread handle without THREAD_SUSPEND_RESUME cannot suspend. */
TEST_F(thread, rights_of_the_handle)
{
	struct nt_start s;
	CLIENT_ID cid;
	HANDLE h, q;
	ULONG prev;

	start_init(&s, thread_record);
	ASSERT_STATUS(STATUS_SUCCESS, start_thread(&s, TRUE, &h, &cid));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(),
					&q, SYNCHRONIZE | THREAD_QUERY_INFORMATION, 0, 0));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, NtSuspendThread(q, &prev));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, NtResumeThread(q, &prev));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, NtGetContextThread(q, &s.ctx));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, NtTerminateThread(q, 1));
	ASSERT_STATUS(STATUS_SUCCESS, NtResumeThread(h, &prev));
	ASSERT_STATUS(STATUS_SUCCESS, wait_ms(q, 5000));
	NtClose(q);
	NtClose(h);
}

/* RtlCreateUserThread's thread: a C routine with its parameter. */
static void *rtl_stack;

static void NTAPI rtl_routine(void *param)
{
	*(volatile int *)param = 42;
	rtl_stack = NtCurrentTeb()->DeallocationStack;
	RtlExitUserThread(0x55);
}

TEST_F(thread, rtl_create_user_thread_runs_and_frees_its_stack)
{
	THREAD_BASIC_INFORMATION tbi;
	MEMORY_BASIC_INFORMATION mbi;
	volatile int value = 0;
	CLIENT_ID cid;
	HANDLE h;
	int i;

	for (i = 0; i < 20; i++) {
		value = 0;
		rtl_stack = NULL;
		ASSERT_STATUS(STATUS_SUCCESS,
			      RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0,
						  0, 0, (void *)rtl_routine,
						  (void *)&value, &h, &cid));
		ASSERT_STATUS(STATUS_SUCCESS, wait_ms(h, 5000));
		ASSERT_EQ(42, value);
		ASSERT_STATUS(STATUS_SUCCESS, exit_status_of(h, &tbi));
		EXPECT_EQ(0x55, tbi.ExitStatus);
		EXPECT_EQ((uintptr_t)getpid(), (uintptr_t)cid.UniqueProcess);
		NtClose(h);
		/* the kernel freed the 1 MiB reservation as the thread ended */
		ASSERT_NE(NULL, rtl_stack);
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtQueryVirtualMemory(NtCurrentProcess(), rtl_stack,
						   MemoryBasicInformation, &mbi,
						   sizeof(mbi), NULL));
		ASSERT_EQ(MEM_FREE, mbi.State) TH_LOG("round %d", i);
	}
}

/* NtSuspendProcess stops every thread of another process. */
TEST_F(thread, suspend_and_resume_another_process)
{
	volatile uint32_t *count = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	OBJECT_ATTRIBUTES oa;
	CLIENT_ID cid = { 0 };
	uint32_t c1, c2;
	HANDLE p;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, (void *)count);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		for (;;)
			(*count)++;
	}
	while (!*count)
		NtYieldExecution();
	InitializeObjectAttributes(&oa, NULL, 0, NULL, NULL);
	cid.UniqueProcess = (HANDLE)(uintptr_t)pid;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenProcess(&p, PROCESS_SUSPEND_RESUME, &oa, &cid));
	ASSERT_STATUS(STATUS_SUCCESS, NtSuspendProcess(p));
	/* suspension is asynchronous: it is in place once the count stands */
	do {
		c1 = *count;
		NtDelayExecution(FALSE, &(LARGE_INTEGER){ .QuadPart = -500000 });
	} while (*count != c1);
	NtDelayExecution(FALSE, &(LARGE_INTEGER){ .QuadPart = -1000000 });
	EXPECT_EQ(c1, *count);
	ASSERT_STATUS(STATUS_SUCCESS, NtResumeProcess(p));
	c2 = *count;
	while (*count == c2)
		NtYieldExecution();
	NtClose(p);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

TEST_HARNESS_MAIN
