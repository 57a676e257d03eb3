// SPDX-License-Identifier: GPL-2.0
/*
 * User APCs and NtContinue (issue 13): NtQueueApcThread's routines run in
 * their thread, oldest first, with the words they were queued with, only
 * in an alertable wait (which then returns STATUS_USER_APC) or at
 * NtTestAlert; a non-alertable wait leaves them queued. Delivery goes
 * through libntdll's KiUserApcDispatcher and NtContinue, whose CONTEXT is
 * sanitized like NtSetContextThread's.
 *
 * Windows behaviour: Wine's dlls/ntdll/tests/sync.c (test_apc_deadlock,
 * test_delayexecution: an alertable delay with a queued APC returns
 * STATUS_USER_APC at once) and kernel32 tests of QueueUserAPC/SleepEx.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "nt_test.h"

#define MAX_RUNS 16

static struct {
	int count;
	uintptr_t ctx[MAX_RUNS], a1[MAX_RUNS], a2[MAX_RUNS];
	pid_t tid[MAX_RUNS];
} runs;

static void NTAPI record_apc(void *ctx, void *a1, void *a2)
{
	int i = __atomic_fetch_add(&runs.count, 1, __ATOMIC_SEQ_CST);

	if (i < MAX_RUNS) {
		runs.ctx[i] = (uintptr_t)ctx;
		runs.a1[i] = (uintptr_t)a1;
		runs.a2[i] = (uintptr_t)a2;
		runs.tid[i] = syscall(SYS_gettid);
	}
}

static NTSTATUS queue(HANDLE thread, uintptr_t ctx)
{
	return NtQueueApcThread(thread, (void *)record_apc, (void *)ctx,
				(void *)(ctx + 1), (void *)(ctx + 2));
}

FIXTURE(apc) { int unused; };
NT_GATE_VARIANTS(apc);
FIXTURE_SETUP(apc) { NT_GATE_SETUP(); memset(&runs, 0, sizeof(runs)); }
FIXTURE_TEARDOWN(apc) { }

TEST_F(apc, run_oldest_first_at_test_alert)
{
	int i;

	for (i = 0; i < 3; i++)
		ASSERT_STATUS(STATUS_SUCCESS, queue(NtCurrentThread(), 0x100 * (i + 1)));
	/* queued, not run: nothing so far was alertable */
	EXPECT_EQ(0, runs.count);
	EXPECT_STATUS(STATUS_SUCCESS, NtTestAlert());
	ASSERT_EQ(3, runs.count);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0x100 * (i + 1), runs.ctx[i]);
		EXPECT_EQ(0x100 * (i + 1) + 1, runs.a1[i]);
		EXPECT_EQ(0x100 * (i + 1) + 2, runs.a2[i]);
		EXPECT_EQ(syscall(SYS_gettid), runs.tid[i]);
	}
	/* nothing left */
	EXPECT_STATUS(STATUS_SUCCESS, NtTestAlert());
	EXPECT_EQ(3, runs.count);
}

TEST_F(apc, alertable_delay_returns_user_apc_at_once)
{
	LARGE_INTEGER ten_s = { .QuadPart = -100000000LL };

	ASSERT_STATUS(STATUS_SUCCESS, queue(NtCurrentThread(), 0x10));
	EXPECT_STATUS(STATUS_USER_APC, NtDelayExecution(TRUE, &ten_s));
	EXPECT_EQ(1, runs.count);
	EXPECT_EQ(0x10, runs.ctx[0]);
}

TEST_F(apc, non_alertable_wait_leaves_them_queued)
{
	LARGE_INTEGER ms50 = { .QuadPart = -500000 };
	HANDLE ev;

	ASSERT_STATUS(STATUS_SUCCESS, queue(NtCurrentThread(), 0x20));
	EXPECT_STATUS(STATUS_SUCCESS, NtDelayExecution(FALSE, &ms50));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, FALSE));
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, FALSE, &ms50));
	EXPECT_EQ(0, runs.count);
	/*
	 * An alertable wait that a signaled object satisfies at once is
	 * satisfied: the object is checked before alertability
	 * (ReactOS ntoskrnl/ke/wait.c, KeWaitForSingleObject), and the APC
	 * stays queued for the next alertable moment.
	 */
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(ev, NULL));
	EXPECT_STATUS(STATUS_SUCCESS, NtWaitForSingleObject(ev, TRUE, &ms50));
	EXPECT_EQ(0, runs.count);
	EXPECT_STATUS(STATUS_SUCCESS, NtTestAlert());
	EXPECT_EQ(1, runs.count);
	NtClose(ev);
}

struct waiter {
	HANDLE self;
	HANDLE ev;
	NTSTATUS status;
	pid_t tid;
	int ready;
};

static void *wait_alertably(void *arg)
{
	struct waiter *w = arg;

	if (NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(),
			      NtCurrentProcess(), &w->self, 0, 0,
			      DUPLICATE_SAME_ACCESS))
		return NULL;
	w->tid = syscall(SYS_gettid);
	__atomic_store_n(&w->ready, 1, __ATOMIC_RELEASE);
	w->status = NtWaitForSingleObject(w->ev, TRUE, NULL);
	return NULL;
}

TEST_F(apc, apc_from_another_thread_ends_an_alertable_wait)
{
	struct waiter w = { 0 };
	struct timespec ts;
	pthread_t th;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&w.ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, FALSE));
	ASSERT_EQ(0, pthread_create(&th, NULL, wait_alertably, &w));
	while (!__atomic_load_n(&w.ready, __ATOMIC_ACQUIRE))
		NtYieldExecution();
	/* it waits: a bounded join must time out */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 100 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	ASSERT_EQ(ETIMEDOUT, pthread_timedjoin_np(th, NULL, &ts));
	ASSERT_STATUS(STATUS_SUCCESS, queue(w.self, 0x30));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_STATUS(STATUS_USER_APC, w.status);
	ASSERT_EQ(1, runs.count);
	EXPECT_EQ(w.tid, runs.tid[0]);
	EXPECT_EQ(0x30, runs.ctx[0]);
	/*
	 * its thread is gone: nothing more can be queued to it. The thread
	 * object, signaled by the NT exit, says so; pthread_join may return
	 * before (the kernel clears the tid in exit_mm, earlier in do_exit).
	 */
	ASSERT_STATUS(STATUS_SUCCESS, NtWaitForSingleObject(w.self, FALSE, NULL));
	EXPECT_STATUS(STATUS_UNSUCCESSFUL, queue(w.self, 0x40));
	NtClose(w.self);
	NtClose(w.ev);
}

/* NtContinue resumes a CONTEXT, sanitized like NtSetContextThread's. */
static jmp_buf back;
/* read by name from the assembly below */
struct cont_regs {
	uint32_t eflags, eax, ebx, esi, edi, ebp, esp, cs, ss;
} cont;

void continue_target(void);
void continue_landing(void);
__asm__(
	".text\n"
	".globl continue_target\n"
	"continue_target:\n"
	"	pushfl\n"
	"	popl cont+0\n"
	"	movl %eax, cont+4\n"
	"	movl %ebx, cont+8\n"
	"	movl %esi, cont+12\n"
	"	movl %edi, cont+16\n"
	"	movl %ebp, cont+20\n"
	"	movl %esp, cont+24\n"
	"	xorl %eax, %eax\n"
	"	movw %cs, %ax\n"
	"	movl %eax, cont+28\n"
	"	movw %ss, %ax\n"
	"	movl %eax, cont+32\n"
	"	call continue_landing\n"
	"	ud2\n"
);

void continue_landing(void)
{
	longjmp(back, 1);
}

TEST_F(apc, nt_continue_resumes_a_sanitized_context)
{
	uint8_t *stack = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static CONTEXT ctx;
	NTSTATUS st;

	ASSERT_NE(MAP_FAILED, stack);
	memset(&ctx, 0, sizeof(ctx));
	ctx.ContextFlags = CONTEXT_FULL;
	ASSERT_STATUS(STATUS_SUCCESS, NtGetContextThread(NtCurrentThread(), &ctx));
	ctx.Eip = (uintptr_t)continue_target;
	ctx.Esp = (uintptr_t)(stack + 0x8000);
	ctx.Eax = 0x1a1a1a1a;
	ctx.Ebx = 0x2b2b2b2b;
	ctx.Esi = 0x3c3c3c3c;
	ctx.Edi = 0x4d4d4d4d;
	ctx.Ebp = 0x5e5e5e5e;
	ctx.EFlags = 0x202 | 0x1 | 0x3000;	/* CF; IOPL must not stick */
	ctx.SegCs = 0x60;			/* a kernel selector */
	ctx.SegSs = 0x68;
	if (!setjmp(back)) {
		st = NtContinue(&ctx, FALSE);
		/* not reached: NtContinue does not return on success */
		ASSERT_STATUS(STATUS_SUCCESS, st) TH_LOG("NtContinue returned");
		ASSERT_TRUE(0);
	}
	EXPECT_EQ(0x1a1a1a1a, cont.eax);
	EXPECT_EQ(0x2b2b2b2b, cont.ebx);
	EXPECT_EQ(0x3c3c3c3c, cont.esi);
	EXPECT_EQ(0x4d4d4d4d, cont.edi);
	EXPECT_EQ(0x5e5e5e5e, cont.ebp);
	EXPECT_EQ((uintptr_t)(stack + 0x8000), cont.esp);
	EXPECT_EQ(0x1, cont.eflags & 0x1);
	EXPECT_EQ(0, cont.eflags & 0x3000);
	EXPECT_EQ(0x73, cont.cs);
	EXPECT_EQ(0x7b, cont.ss);
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, NtContinue((CONTEXT *)0xc0000000, FALSE));
}

/*
 * NtSetTimer's TimerApcRoutine: a user APC in the thread that set the
 * timer, routine(TimerContext, low and high part of the system time at
 * expiry). A periodic timer queues one at a time; cancelling takes a
 * waiting one back (ReactOS ntoskrnl/ex/timer.c, NtCancelTimer ->
 * KeRemoveQueueApc).
 */
/* A timer APC that stops its timer: no expiry can slip in after it. */
static void NTAPI record_and_cancel_apc(void *ctx, void *a1, void *a2)
{
	record_apc(ctx, a1, a2);
	NtCancelTimer((HANDLE)ctx, NULL);
}

static LARGE_INTEGER rel_ms(long long ms)
{
	LARGE_INTEGER li = { .QuadPart = -ms * 10000 };

	return li;
}

TEST_F(apc, timer_apc_runs_in_an_alertable_wait)
{
	LARGE_INTEGER due = rel_ms(20), ten_s = rel_ms(10000), before, after, fired;
	HANDLE tm;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateTimer(&tm, TIMER_ALL_ACCESS, NULL,
						    NotificationTimer));
	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemTime(&before));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimer(tm, &due, (void *)record_apc,
						 (void *)0x77, FALSE, 0, NULL));
	EXPECT_STATUS(STATUS_USER_APC, NtDelayExecution(TRUE, &ten_s));
	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemTime(&after));
	ASSERT_EQ(1, runs.count);
	EXPECT_EQ(0x77, runs.ctx[0]);
	fired.LowPart = runs.a1[0];
	fired.HighPart = runs.a2[0];
	EXPECT_LE(before.QuadPart, fired.QuadPart);
	EXPECT_GE(after.QuadPart, fired.QuadPart);
	/* and the timer object was signaled too */
	EXPECT_STATUS(STATUS_SUCCESS, NtWaitForSingleObject(tm, FALSE, &due));
	NtClose(tm);
}

TEST_F(apc, periodic_timer_queues_one_at_a_time)
{
	LARGE_INTEGER due = rel_ms(5), ms100 = rel_ms(100);
	HANDLE tm;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateTimer(&tm, TIMER_ALL_ACCESS, NULL,
						    SynchronizationTimer));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimer(tm, &due, (void *)record_apc,
						 (void *)0x88, FALSE, 5, NULL));
	/* some twenty expiries while nothing is alertable */
	EXPECT_STATUS(STATUS_SUCCESS, NtDelayExecution(FALSE, &ms100));
	EXPECT_EQ(0, runs.count);
	ASSERT_STATUS(STATUS_SUCCESS, NtCancelTimer(tm, NULL));
	/* the waiting one was taken back with the cancel */
	EXPECT_STATUS(STATUS_SUCCESS, NtTestAlert());
	EXPECT_EQ(0, runs.count);
	/*
	 * Set again: one at the next alertable moment, not twenty. Its
	 * routine cancels the timer, so none can be queued while it runs.
	 */
	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimer(tm, &due, (void *)record_and_cancel_apc,
						 tm, FALSE, 5, NULL));
	EXPECT_STATUS(STATUS_SUCCESS, NtDelayExecution(FALSE, &ms100));
	EXPECT_STATUS(STATUS_SUCCESS, NtTestAlert());
	EXPECT_EQ(1, runs.count);
	EXPECT_EQ((uintptr_t)tm, runs.ctx[0]);
	NtClose(tm);
	/* closed: nothing more comes */
	EXPECT_STATUS(STATUS_SUCCESS, NtDelayExecution(TRUE, &ms100));
	EXPECT_EQ(1, runs.count);
}

TEST_F(apc, handles_and_rights)
{
	HANDLE ev, q;

	EXPECT_STATUS(STATUS_INVALID_HANDLE, queue((HANDLE)0x1234, 0));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, FALSE));
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, queue(ev, 0));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(),
					NtCurrentProcess(), &q, THREAD_QUERY_INFORMATION,
					0, 0));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, queue(q, 0));
	NtClose(q);
	NtClose(ev);
	EXPECT_STATUS(STATUS_SUCCESS, NtTestAlert());
	EXPECT_EQ(0, runs.count);
}

/*
 * I/O completion APCs: routine(ApcContext, IoStatusBlock, 0) queued to
 * the caller when the I/O completes, run at its next alertable moment;
 * none when the call fails, before or during the I/O (XP's
 * IopCompleteRequest completes an error without APC, event or IOSB).
 * Wine's dlls/ntdll/tests/file.c read_file_test: the APC of a write runs
 * at SleepEx(alertable) only; a read beyond the end gives
 * STATUS_END_OF_FILE and no APC; a non-overlapped file takes the APC too.
 */
static WCHAR *io_name(WCHAR *out, const char *tag)
{
	char tmp[128];
	int i;

	snprintf(tmp, sizeof(tmp), "\\??\\C:\\tmp\\apc-%d-%s", getpid(), tag);
	for (i = 0; tmp[i]; i++)
		out[i] = tmp[i];
	out[i] = 0;
	return out;
}

static NTSTATUS io_open(HANDLE *h, const char *tag, ULONG options)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK iosb;
	WCHAR name[128];

	nt_oa(&oa, &us, io_name(name, tag), OBJ_CASE_INSENSITIVE);
	return NtCreateFile(h, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE |
			    DELETE, &oa, &iosb, NULL, 0, 0, FILE_OVERWRITE_IF,
			    options | FILE_DELETE_ON_CLOSE, NULL, 0);
}

TEST_F(apc, io_apc_runs_at_the_alertable_wait_with_its_iosb)
{
	LARGE_INTEGER zero = { .QuadPart = 0 }, ms20 = rel_ms(20);
	IO_STATUS_BLOCK iosb, iosb2;
	char buf[16];
	HANDLE h, ev;

	ASSERT_STATUS(STATUS_SUCCESS, io_open(&h, "rw", 0));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, FALSE));
	ASSERT_STATUS(STATUS_SUCCESS, NtWriteFile(h, ev, (void *)record_apc,
						  (void *)0x1234, &iosb, "foobar",
						  6, &zero, NULL));
	EXPECT_STATUS(STATUS_SUCCESS, iosb.Status);
	EXPECT_EQ(6, iosb.Information);
	/* completed, event set, APC queued and not run */
	EXPECT_STATUS(STATUS_SUCCESS, NtWaitForSingleObject(ev, FALSE, &ms20));
	EXPECT_STATUS(STATUS_SUCCESS, NtDelayExecution(FALSE, &ms20));
	EXPECT_EQ(0, runs.count);
	EXPECT_STATUS(STATUS_USER_APC, NtDelayExecution(TRUE, &ms20));
	ASSERT_EQ(1, runs.count);
	EXPECT_EQ(0x1234, runs.ctx[0]);
	EXPECT_EQ((uintptr_t)&iosb, runs.a1[0]);
	EXPECT_EQ(0, runs.a2[0]);
	EXPECT_EQ(syscall(SYS_gettid), runs.tid[0]);

	/* a read and a lock, then both APCs at NtTestAlert, in order */
	ASSERT_STATUS(STATUS_SUCCESS, NtReadFile(h, NULL, (void *)record_apc,
						 (void *)0x5678, &iosb2, buf,
						 sizeof(buf), &zero, NULL));
	EXPECT_EQ(6, iosb2.Information);
	ASSERT_STATUS(STATUS_SUCCESS, NtLockFile(h, NULL, (void *)record_apc,
						 (void *)0x9abc, &iosb, &zero,
						 &ms20, 0, TRUE, TRUE));
	EXPECT_EQ(1, runs.count);
	EXPECT_STATUS(STATUS_SUCCESS, NtTestAlert());
	ASSERT_EQ(3, runs.count);
	EXPECT_EQ(0x5678, runs.ctx[1]);
	EXPECT_EQ((uintptr_t)&iosb2, runs.a1[1]);
	EXPECT_EQ(0x9abc, runs.ctx[2]);
	EXPECT_EQ((uintptr_t)&iosb, runs.a1[2]);
	EXPECT_EQ(0, runs.a2[2]);
	NtClose(ev);
	NtClose(h);
}

TEST_F(apc, io_apc_not_queued_when_the_call_fails)
{
	LARGE_INTEGER zero = { .QuadPart = 0 }, far = { .QuadPart = 100 };
	LARGE_INTEGER one = { .QuadPart = 1 };
	IO_STATUS_BLOCK iosb;
	char buf[4];
	HANDLE h, h2;

	ASSERT_STATUS(STATUS_SUCCESS, io_open(&h, "fail", 0));
	/* before the I/O: handle, missing offset of an asynchronous file */
	EXPECT_STATUS(STATUS_INVALID_HANDLE,
		      NtReadFile((HANDLE)0x1230, NULL, (void *)record_apc,
				 (void *)1, &iosb, buf, 4, &zero, NULL));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      NtReadFile(h, NULL, (void *)record_apc, (void *)2, &iosb,
				 buf, 4, NULL, NULL));
	/* during it: beyond the end (an error status) */
	iosb.Status = NT_POISON_ULONG;
	EXPECT_STATUS(STATUS_END_OF_FILE,
		      NtReadFile(h, NULL, (void *)record_apc, (void *)3, &iosb,
				 buf, 4, &far, NULL));
	EXPECT_STATUS(STATUS_END_OF_FILE, iosb.Status);
	/* a lock not granted */
	ASSERT_STATUS(STATUS_SUCCESS, NtLockFile(h, NULL, NULL, NULL, &iosb,
						 &zero, &one, 0, TRUE, TRUE));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(),
					&h2, 0, 0, DUPLICATE_SAME_ACCESS));
	EXPECT_STATUS(STATUS_LOCK_NOT_GRANTED,
		      NtLockFile(h, NULL, (void *)record_apc, (void *)4, &iosb,
				 &zero, &one, 1, TRUE, TRUE));
	/* no control code exists: refused as a device refuses it */
	EXPECT_STATUS(STATUS_INVALID_DEVICE_REQUEST,
		      NtDeviceIoControlFile(h, NULL, (void *)record_apc,
					    (void *)5, &iosb, 0x222000, NULL, 0,
					    NULL, 0));
	EXPECT_STATUS(STATUS_SUCCESS, NtTestAlert());
	EXPECT_EQ(0, runs.count);
	NtClose(h2);
	NtClose(h);
}

TEST_F(apc, io_apc_of_a_synchronous_file_and_a_directory_listing)
{
	LARGE_INTEGER ms20 = rel_ms(20);
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK iosb, iosb2;
	char list[4096];
	HANDLE h, d;

	/* FILE_SYNCHRONOUS_IO_NONALERT: the file pointer, and the APC still */
	ASSERT_STATUS(STATUS_SUCCESS, io_open(&h, "sync",
					      FILE_SYNCHRONOUS_IO_NONALERT));
	ASSERT_STATUS(STATUS_SUCCESS, NtWriteFile(h, NULL, (void *)record_apc,
						  (void *)0x51, &iosb, "ab", 2,
						  NULL, NULL));
	EXPECT_EQ(0, runs.count);
	nt_oa(&oa, &us, u"\\??\\C:\\tmp", OBJ_CASE_INSENSITIVE);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenFile(&d, FILE_LIST_DIRECTORY | SYNCHRONIZE, &oa,
				 &iosb2, FILE_SHARE_READ | FILE_SHARE_WRITE |
				 FILE_SHARE_DELETE, FILE_DIRECTORY_FILE |
				 FILE_SYNCHRONOUS_IO_NONALERT));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryDirectoryFile(d, NULL, (void *)record_apc,
					   (void *)0x52, &iosb2, list,
					   sizeof(list), FileNamesInformation,
					   TRUE, NULL, TRUE));
	EXPECT_STATUS(STATUS_USER_APC, NtDelayExecution(TRUE, &ms20));
	ASSERT_EQ(2, runs.count);
	EXPECT_EQ(0x51, runs.ctx[0]);
	EXPECT_EQ((uintptr_t)&iosb, runs.a1[0]);
	EXPECT_EQ(0x52, runs.ctx[1]);
	EXPECT_EQ((uintptr_t)&iosb2, runs.a1[1]);
	/*
	 * The end of a listing, STATUS_NO_MORE_FILES, is a warning: XP
	 * writes the IOSB and queues the APC. A mask that matches nothing,
	 * STATUS_NO_SUCH_FILE, is an error: neither.
	 */
	while (NtQueryDirectoryFile(d, NULL, NULL, NULL, &iosb2, list,
				    sizeof(list), FileNamesInformation, FALSE,
				    NULL, FALSE) == STATUS_SUCCESS)
		;
	EXPECT_STATUS(STATUS_NO_MORE_FILES,
		      NtQueryDirectoryFile(d, NULL, (void *)record_apc,
					   (void *)0x53, &iosb2, list,
					   sizeof(list), FileNamesInformation,
					   FALSE, NULL, FALSE));
	RtlInitUnicodeString(&us, u"no-such-name-*.none");
	EXPECT_STATUS(STATUS_NO_SUCH_FILE,
		      NtQueryDirectoryFile(d, NULL, (void *)record_apc,
					   (void *)0x54, &iosb2, list,
					   sizeof(list), FileNamesInformation,
					   FALSE, &us, TRUE));
	EXPECT_STATUS(STATUS_SUCCESS, NtTestAlert());
	ASSERT_EQ(3, runs.count);
	EXPECT_EQ(0x53, runs.ctx[2]);
	EXPECT_EQ((uintptr_t)&iosb2, runs.a1[2]);
	NtClose(d);
	NtClose(h);
}

TEST_HARNESS_MAIN
