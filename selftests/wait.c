// SPDX-License-Identifier: GPL-2.0
/*
 * Waits: NtWaitForSingleObject / NtWaitForMultipleObjects (any, all),
 * argument checks, timeouts (zero = poll, relative, absolute), alerts,
 * Linux signals (STATUS_USER_APC by the project's contract),
 * NtSignalAndWaitForSingleObject, thread handles signaled at exit,
 * NtYieldExecution.
 *
 * Sources: the ntsync selftest (test_wait_any, test_wait_all, wake_any,
 * wake_all, alert_any), ReactOS ntoskrnl/ob/obwait.c
 * (NtWaitForMultipleObjects: count 0 or > 64 is STATUS_INVALID_PARAMETER_1,
 * a bad wait type STATUS_INVALID_PARAMETER_3, the same object twice in a
 * WaitAll STATUS_INVALID_PARAMETER_MIX), ReactOS ke/wait.c and
 * ke/thrdobj.c (alerts), Wine dlls/ntdll/tests/sync.c.
 */
#include <signal.h>
#include "ob_test.h"

static LARGE_INTEGER zero;

static HANDLE event(int manual, int state)
{
	HANDLE h = NULL;

	NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL,
		      manual ? NotificationEvent : SynchronizationEvent, state);
	return h;
}

static HANDLE sem(LONG count, LONG max)
{
	HANDLE h = NULL;

	NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, NULL, count, max);
	return h;
}

static LONG sem_count(HANDLE h)
{
	SEMAPHORE_BASIC_INFORMATION i = { -1, -1 };

	NtQuerySemaphore(h, SemaphoreBasicInformation, &i, sizeof(i), NULL);
	return i.CurrentCount;
}

/* Every test runs through both gates (sysenter, int 0x2e). */
FIXTURE(wait) {
	int unused;
};
NT_GATE_VARIANTS(wait);

FIXTURE_SETUP(wait)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(wait)
{
}

TEST_F(wait, wait_multiple_bad_arguments)
{
	HANDLE h[MAXIMUM_WAIT_OBJECTS + 1];
	int i;

	for (i = 0; i <= MAXIMUM_WAIT_OBJECTS; i++)
		h[i] = event(1, 1);
	ASSERT_STATUS(STATUS_INVALID_PARAMETER_1,
		      NtWaitForMultipleObjects(0, h, WaitAny, 0, &zero));
	ASSERT_STATUS(STATUS_INVALID_PARAMETER_1,
		      NtWaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, h, WaitAny, 0, &zero));
	ASSERT_STATUS(STATUS_INVALID_PARAMETER_3,
		      NtWaitForMultipleObjects(2, h, 2, 0, &zero));
	ASSERT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtWaitForMultipleObjects(2, (HANDLE *)8, WaitAny, 0, &zero));
	ASSERT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtWaitForSingleObject(h[0], 0, (LARGE_INTEGER *)8));
	ASSERT_STATUS(STATUS_WAIT_0 + 0,
		      NtWaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, h, WaitAny, 0, &zero));
	ASSERT_STATUS(STATUS_WAIT_0,
		      NtWaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, h, WaitAll, 0, &zero));
	for (i = 0; i <= MAXIMUM_WAIT_OBJECTS; i++)
		NtClose(h[i]);
}

TEST_F(wait, wait_invalid_handles)
{
	HANDLE h[2] = { event(1, 1), (HANDLE)0x7ff0 };
	HANDLE dir = NULL;
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;

	ASSERT_STATUS(STATUS_INVALID_HANDLE, NtWaitForSingleObject(NULL, 0, &zero));
	ASSERT_STATUS(STATUS_INVALID_HANDLE,
		      NtWaitForMultipleObjects(2, h, WaitAny, 0, &zero));
	/*
	 * A directory handle cannot hold SYNCHRONIZE (not in the type's
	 * valid access), so the wait is denied before its type matters.
	 */
	ob_attr(&oa, ob_name(&n, u"\\BaseNamedObjects"), 0, NULL);
	ASSERT_STATUS(STATUS_SUCCESS, NtOpenDirectoryObject(&dir, MAXIMUM_ALLOWED, &oa));
	ASSERT_STATUS(STATUS_ACCESS_DENIED, NtWaitForSingleObject(dir, 0, &zero));
	NtClose(dir);
	NtClose(h[0]);
}

TEST_F(wait, wait_any_lowest_signaled_index)
{
	HANDLE h[3] = { sem(0, 5), sem(1, 5), sem(1, 5) };

	ASSERT_STATUS(STATUS_WAIT_0 + 1,
		      NtWaitForMultipleObjects(3, h, WaitAny, 0, &zero));
	EXPECT_EQ(0, sem_count(h[1]));
	EXPECT_EQ(1, sem_count(h[2]));
	ASSERT_STATUS(STATUS_WAIT_0 + 2,
		      NtWaitForMultipleObjects(3, h, WaitAny, 0, &zero));
	ASSERT_STATUS(STATUS_TIMEOUT,
		      NtWaitForMultipleObjects(3, h, WaitAny, 0, &zero));
	NtClose(h[0]);
	NtClose(h[1]);
	NtClose(h[2]);
}

TEST_F(wait, wait_any_same_object_twice)
{
	HANDLE s = sem(1, 5), h[2] = { s, s };

	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForMultipleObjects(2, h, WaitAny, 0, &zero));
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForMultipleObjects(2, h, WaitAny, 0, &zero));
	NtClose(s);
}

TEST_F(wait, wait_all_same_object_twice)
{
	HANDLE s = sem(2, 5), d, h[2];

	/* also through two different handles to it */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), s, NtCurrentProcess(),
					&d, 0, 0, DUPLICATE_SAME_ACCESS));
	h[0] = s;
	h[1] = s;
	ASSERT_STATUS(STATUS_INVALID_PARAMETER_MIX,
		      NtWaitForMultipleObjects(2, h, WaitAll, 0, &zero));
	h[1] = d;
	ASSERT_STATUS(STATUS_INVALID_PARAMETER_MIX,
		      NtWaitForMultipleObjects(2, h, WaitAll, 0, &zero));
	EXPECT_EQ(2, sem_count(s));
	NtClose(d);
	NtClose(s);
}

TEST_F(wait, wait_all_is_atomic)
{
	HANDLE h[2] = { sem(1, 5), event(0, 0) };
	MUTANT_BASIC_INFORMATION mi;
	HANDLE m;

	/* one of two signaled: nothing is consumed */
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForMultipleObjects(2, h, WaitAll, 0, &zero));
	EXPECT_EQ(1, sem_count(h[0]));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(h[1], NULL));
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForMultipleObjects(2, h, WaitAll, 0, &zero));
	EXPECT_EQ(0, sem_count(h[0]));
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(h[1], 0, &zero));
	/* a mutant we own counts as signaled for us */
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&m, MUTANT_ALL_ACCESS, NULL, 1));
	NtClose(h[1]);
	h[1] = m;
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseSemaphore(h[0], 1, NULL));
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForMultipleObjects(2, h, WaitAll, 0, &zero));
	NtQueryMutant(m, MutantBasicInformation, &mi, sizeof(mi), NULL);
	EXPECT_EQ(-1, mi.CurrentCount);
	NtClose(h[0]);
	NtClose(m);
}

TEST_F(wait, wake_all_blocked_until_all)
{
	struct ob_waiter w = { .count = 2, .type = WaitAll };
	HANDLE s = sem(0, 5), e = event(1, 0);

	w.objs[0] = s;
	w.objs[1] = e;
	ASSERT_EQ(0, ob_waiter_start(&w));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseSemaphore(s, 1, NULL));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	/* the semaphore is left alone while the wait-all is unsatisfied */
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(s, 0, &zero));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(e, NULL));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseSemaphore(s, 2, NULL));
	ASSERT_EQ(0, ob_waiter_join(&w, 5000));
	ASSERT_STATUS(STATUS_WAIT_0, w.status);
	EXPECT_EQ(1, sem_count(s));
	NtClose(w.self);
	NtClose(s);
	NtClose(e);
}

TEST_F(wait, wake_any_blocked_index)
{
	struct ob_waiter w = { .count = 3, .type = WaitAny };
	HANDLE a = sem(0, 5), b = sem(0, 5), c = event(0, 0);

	w.objs[0] = a;
	w.objs[1] = b;
	w.objs[2] = c;
	ASSERT_EQ(0, ob_waiter_start(&w));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(c, NULL));
	ASSERT_EQ(0, ob_waiter_join(&w, 5000));
	ASSERT_STATUS(STATUS_WAIT_0 + 2, w.status);
	EXPECT_EQ(0, sem_count(a));
	NtClose(w.self);
	NtClose(a);
	NtClose(b);
	NtClose(c);
}

TEST_F(wait, timeouts)
{
	HANDLE e = event(1, 0);
	LARGE_INTEGER t;
	struct timespec a, b;
	long ms;

	/* relative: 50 ms */
	clock_gettime(CLOCK_MONOTONIC, &a);
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(e, 0, ob_ms(&t, 50)));
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	EXPECT_GE(ms, 50);
	/* absolute, in the past (1601 + 1 s): immediate */
	t.QuadPart = 10000000;
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(e, 0, &t));
	/* absolute, 50 ms from now */
	clock_gettime(CLOCK_REALTIME, &a);
	t.QuadPart = 116444736000000000LL + a.tv_sec * 10000000LL +
		     a.tv_nsec / 100 + 500000;
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(e, 0, &t));
	clock_gettime(CLOCK_REALTIME, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	EXPECT_GE(ms, 49);
	NtClose(e);
}

TEST_F(wait, alertable_wait_alerted)
{
	struct ob_waiter w = { .count = 1, .alertable = 1 };
	HANDLE e = event(1, 0);

	w.objs[0] = e;
	ASSERT_EQ(0, ob_waiter_start(&w));
	ASSERT_NE(0, HV(w.self));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtAlertThread(w.self));
	ASSERT_EQ(0, ob_waiter_join(&w, 5000));
	ASSERT_STATUS(STATUS_ALERTED, w.status);
	/* the alert was consumed by the wait */
	NtClose(w.self);
	NtClose(e);
}

TEST_F(wait, nonalertable_wait_ignores_alert)
{
	struct ob_waiter w = { .count = 1 };
	HANDLE e = event(1, 0);

	w.objs[0] = e;
	ASSERT_EQ(0, ob_waiter_start(&w));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtAlertThread(w.self));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(e, NULL));
	ASSERT_EQ(0, ob_waiter_join(&w, 5000));
	ASSERT_STATUS(STATUS_WAIT_0, w.status);
	NtClose(w.self);
	NtClose(e);
}

TEST_F(wait, pending_alert_ends_alertable_wait)
{
	HANDLE me, e = event(1, 0), s = event(1, 1);

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(),
					NtCurrentProcess(), &me, THREAD_ALERT, 0, 0));
	ASSERT_STATUS(STATUS_SUCCESS, NtAlertThread(me));
	/* a signaled object wins over a pending alert, which stays */
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(s, 1, NULL));
	/* non-alertable waits leave it pending too */
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(e, 0, &zero));
	ASSERT_STATUS(STATUS_ALERTED, NtWaitForSingleObject(e, 1, NULL));
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(e, 1, &zero));
	ASSERT_STATUS(STATUS_SUCCESS, NtTestAlert());
	/* a thread handle without THREAD_ALERT */
	HANDLE q;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), me, NtCurrentProcess(),
					&q, SYNCHRONIZE, 0, 0));
	ASSERT_STATUS(STATUS_ACCESS_DENIED, NtAlertThread(q));
	NtClose(q);
	NtClose(me);
	NtClose(e);
	NtClose(s);
}

static void on_usr1(int sig)
{
}

TEST_F(wait, signal_interrupts_wait_with_user_apc)
{
	struct ob_waiter w = { .count = 1 };
	struct sigaction sa = { .sa_handler = on_usr1 };
	HANDLE e = event(1, 0);

	sigaction(SIGUSR1, &sa, NULL);
	w.objs[0] = e;
	ASSERT_EQ(0, ob_waiter_start(&w));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	pthread_kill(w.thread, SIGUSR1);
	ASSERT_EQ(0, ob_waiter_join(&w, 5000));
	ASSERT_STATUS(STATUS_USER_APC, w.status);
	NtClose(w.self);
	NtClose(e);
}

TEST_F(wait, thread_handle_signaled_at_exit)
{
	struct ob_waiter w = { .count = 1 };
	LARGE_INTEGER t;
	HANDLE e = event(1, 0);

	w.objs[0] = e;
	w.timeout = ob_ms(&t, 10);
	ASSERT_EQ(0, ob_waiter_start(&w));
	ASSERT_EQ(0, ob_waiter_join(&w, 5000));
	ASSERT_STATUS(STATUS_TIMEOUT, w.status);
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(w.self, 0, NULL));
	NtClose(w.self);
	NtClose(e);
}

TEST_F(wait, signal_and_wait)
{
	HANDLE a = event(0, 0), b = sem(1, 1), m;

	ASSERT_STATUS(STATUS_WAIT_0, NtSignalAndWaitForSingleObject(a, b, 0, &zero));
	/* the auto event stayed set (no waiter), the semaphore was taken */
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(a, 0, &zero));
	EXPECT_EQ(0, sem_count(b));
	ASSERT_STATUS(STATUS_TIMEOUT, NtSignalAndWaitForSingleObject(b, a, 0, &zero));
	EXPECT_EQ(1, sem_count(b));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&m, MUTANT_ALL_ACCESS, NULL, 0));
	ASSERT_STATUS(STATUS_MUTANT_NOT_OWNED,
		      NtSignalAndWaitForSingleObject(m, b, 0, &zero));
	ASSERT_STATUS(STATUS_SEMAPHORE_LIMIT_EXCEEDED,
		      NtSignalAndWaitForSingleObject(b, a, 0, &zero));
	NtClose(a);
	NtClose(b);
	NtClose(m);
}

TEST_F(wait, yield_execution)
{
	NTSTATUS st = NtYieldExecution();

	/* STATUS_NO_YIELD_PERFORMED when nothing else was ready */
	EXPECT_TRUE(st == STATUS_SUCCESS || st == STATUS_NO_YIELD_PERFORMED);
}

TEST_HARNESS_MAIN
