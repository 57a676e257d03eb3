// SPDX-License-Identifier: GPL-2.0
/*
 * NtDelayExecution through both gates: relative and absolute intervals,
 * zero (a yield), bad pointers, an alert ending an alertable delay, and a
 * Linux signal ending a delay with STATUS_USER_APC after its handler ran
 * (this project's mapping of a signal onto NT's user-APC wake-up; on
 * Windows a user APC ends an alertable delay the same way, ReactOS
 * KeDelayExecutionThread).
 */
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include "kselftest_harness.h"
#include "nt_test.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

FIXTURE(delay) {
	int unused;
};
NT_GATE_VARIANTS(delay);

FIXTURE_SETUP(delay)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(delay)
{
}

TEST_F(delay, relative_interval_elapses)
{
	LARGE_INTEGER li;
	long long t0 = now_ms();

	ASSERT_STATUS(STATUS_SUCCESS, NtDelayExecution(FALSE, nt_timeout_ms(&li, 50)));
	EXPECT_LE(50, now_ms() - t0);
}

TEST_F(delay, zero_interval_returns_at_once)
{
	LARGE_INTEGER li = { .QuadPart = 0 };
	long long t0 = now_ms();

	ASSERT_STATUS(STATUS_SUCCESS, NtDelayExecution(FALSE, &li));
	EXPECT_GT(1000, now_ms() - t0);
}

TEST_F(delay, absolute_time_in_the_past_returns_at_once)
{
	LARGE_INTEGER li = { .QuadPart = 1 };	/* 1601-01-01 plus 100 ns */
	long long t0 = now_ms();

	ASSERT_STATUS(STATUS_SUCCESS, NtDelayExecution(TRUE, &li));
	EXPECT_GT(1000, now_ms() - t0);
}

TEST_F(delay, absolute_time_in_the_future_elapses)
{
	LARGE_INTEGER li;
	long long t0 = now_ms();

	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemTime(&li));
	li.QuadPart += 50 * 10000;
	ASSERT_STATUS(STATUS_SUCCESS, NtDelayExecution(FALSE, &li));
	EXPECT_LE(49, now_ms() - t0);
}

TEST_F(delay, bad_interval_pointers)
{
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, NtDelayExecution(FALSE, NULL));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtDelayExecution(FALSE, (LARGE_INTEGER *)0xc0000000));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtDelayExecution(FALSE, (LARGE_INTEGER *)0xfffffff8));
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	alarms++;
}

TEST_F(delay, signal_interrupts_with_user_apc)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct itimerval it = { .it_value = { 0, 100000 } };	/* 100 ms */
	LARGE_INTEGER li;
	long long t0;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarms = 0;
	t0 = now_ms();
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_STATUS(STATUS_USER_APC, NtDelayExecution(FALSE, nt_timeout_ms(&li, 10000)));
	EXPECT_EQ(1, alarms);
	EXPECT_GT(5000, now_ms() - t0);
	EXPECT_LE(90, now_ms() - t0);
}

struct alert_arg {
	HANDLE thread;
	volatile int ready;
	NTSTATUS status;
};

static void *delayer(void *p)
{
	struct alert_arg *a = p;
	LARGE_INTEGER li;

	/* a real handle to this thread, for the other one to alert */
	a->status = NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(),
				      NtCurrentProcess(), &a->thread, 0, 0,
				      DUPLICATE_SAME_ACCESS);
	if (!NT_SUCCESS(a->status))
		return NULL;
	a->ready = 1;
	a->status = NtDelayExecution(TRUE, nt_timeout_ms(&li, 10000));
	return NULL;
}

TEST_F(delay, alert_ends_an_alertable_delay)
{
	struct alert_arg a = { .ready = 0 };
	struct timespec ts;
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, delayer, &a));
	while (!a.ready && a.status == 0)
		sched_yield();
	ASSERT_STATUS(STATUS_SUCCESS, a.status);
	/* still delayed: the bounded join must time out */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 100 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	ASSERT_EQ(ETIMEDOUT, pthread_timedjoin_np(t, NULL, &ts));
	ASSERT_STATUS(STATUS_SUCCESS, NtAlertThread(a.thread));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_STATUS(STATUS_ALERTED, a.status);
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(a.thread));
}

TEST_HARNESS_MAIN
