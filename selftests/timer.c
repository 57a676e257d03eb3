// SPDX-License-Identifier: GPL-2.0
/*
 * Timer objects: notification and synchronization timers, relative and
 * absolute due times, periods, NtCancelTimer, NtQueryTimer, and the
 * argument checks of NtCreateTimer/NtSetTimer.
 *
 * Sources: ReactOS ntoskrnl/ex/timer.c (NtCreateTimer: a bad type is
 * STATUS_INVALID_PARAMETER_4; NtSetTimer: a negative period is
 * STATUS_INVALID_PARAMETER_6; previous/current states), Wine
 * dlls/ntdll/tests/sync.c (test_timer).
 */
#include "ob_test.h"

#define check_timer_state(h, signaled) do {					\
	TIMER_BASIC_INFORMATION _i;						\
	ULONG _len = 0xdeadbeef;						\
	memset(&_i, 0xcc, sizeof(_i));						\
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryTimer((h), TimerBasicInformation,	\
			&_i, sizeof(_i), &_len));				\
	EXPECT_EQ(sizeof(_i), _len);						\
	EXPECT_EQ((signaled), _i.TimerState);					\
} while (0)

static LARGE_INTEGER zero;

static HANDLE timer(TIMER_TYPE type)
{
	HANDLE h = NULL;

	NtCreateTimer(&h, TIMER_ALL_ACCESS, NULL, type);
	return h;
}

/* Every test runs through both gates (sysenter, int 0x2e). */
FIXTURE(timer) {
	int unused;
};
NT_GATE_VARIANTS(timer);

FIXTURE_SETUP(timer)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(timer)
{
}

TEST_F(timer, create_timer_bad_type)
{
	HANDLE h = OB_POISON;

	ASSERT_STATUS(STATUS_INVALID_PARAMETER_4,
		      NtCreateTimer(&h, TIMER_ALL_ACCESS, NULL, 2));
	EXPECT_EQ(0, HV(h));
}

TEST_F(timer, notification_timer_state)
{
	HANDLE h = timer(NotificationTimer);
	LARGE_INTEGER due;
	BOOLEAN prev = 0xcc;

	ASSERT_NE(0, HV(h));
	check_timer_state(h, 0);
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(h, 0, &zero));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtSetTimer(h, ob_ms(&due, 50), NULL, NULL, 0, 0, &prev));
	EXPECT_EQ(0, prev);
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, NULL));
	check_timer_state(h, 1);
	/* it stays signaled for every waiter */
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, &zero));
	/* setting it again resets it and reports the old state */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtSetTimer(h, ob_ms(&due, 10000), NULL, NULL, 0, 0, &prev));
	EXPECT_EQ(1, prev);
	check_timer_state(h, 0);
	ASSERT_STATUS(STATUS_SUCCESS, NtCancelTimer(h, &prev));
	EXPECT_EQ(0, prev);
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(h, 0, &zero));
	NtClose(h);
}

TEST_F(timer, synchronization_timer_releases_one)
{
	HANDLE h = timer(SynchronizationTimer);
	LARGE_INTEGER due;

	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimer(h, ob_ms(&due, 20), NULL, NULL, 0, 0, NULL));
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, NULL));
	check_timer_state(h, 0);
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(h, 0, &zero));
	NtClose(h);
}

TEST_F(timer, periodic_timer)
{
	HANDLE h = timer(SynchronizationTimer);
	LARGE_INTEGER due, t;
	int i;

	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimer(h, ob_ms(&due, 10), NULL, NULL, 0, 20, NULL));
	for (i = 0; i < 3; i++)
		ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, ob_ms(&t, 5000)));
	ASSERT_STATUS(STATUS_SUCCESS, NtCancelTimer(h, NULL));
	NtClose(h);
}

TEST_F(timer, absolute_due_time)
{
	HANDLE h = timer(NotificationTimer);
	LARGE_INTEGER due, t;
	struct timespec now;

	/* in the past: due at once */
	due.QuadPart = 10000000;
	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimer(h, &due, NULL, NULL, 0, 0, NULL));
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, ob_ms(&t, 5000)));
	/* 30 ms from now, on the wall clock since 1601 */
	clock_gettime(CLOCK_REALTIME, &now);
	due.QuadPart = 116444736000000000LL + now.tv_sec * 10000000LL +
		       now.tv_nsec / 100 + 300000;
	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimer(h, &due, NULL, NULL, 0, 0, NULL));
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(h, 0, &zero));
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, ob_ms(&t, 5000)));
	NtClose(h);
}

TEST_F(timer, remaining_time)
{
	HANDLE h = timer(NotificationTimer);
	TIMER_BASIC_INFORMATION i;
	LARGE_INTEGER due;

	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimer(h, ob_ms(&due, 10000), NULL, NULL, 0, 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryTimer(h, TimerBasicInformation, &i, sizeof(i), NULL));
	EXPECT_GT(i.RemainingTime.QuadPart, 90000000LL);
	EXPECT_LE(i.RemainingTime.QuadPart, 100000000LL);
	EXPECT_EQ(0, i.TimerState);
	ASSERT_STATUS(STATUS_INVALID_INFO_CLASS, NtQueryTimer(h, 1, &i, sizeof(i), NULL));
	ASSERT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryTimer(h, TimerBasicInformation, &i, sizeof(i) - 1, NULL));
	NtClose(h);
}

TEST_F(timer, set_timer_bad_arguments)
{
	HANDLE h = timer(NotificationTimer);
	LARGE_INTEGER due;

	ASSERT_STATUS(STATUS_INVALID_PARAMETER_6,
		      NtSetTimer(h, ob_ms(&due, 10), NULL, NULL, 0, -1, NULL));
	ASSERT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtSetTimer(h, (LARGE_INTEGER *)8, NULL, NULL, 0, 0, NULL));
	/* a routine is taken at its word (selftests/apc.c runs them) */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtSetTimer(h, ob_ms(&due, 10000), (void *)0x1000, NULL, 0, 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, NtCancelTimer(h, NULL));
	NtClose(h);
}

TEST_F(timer, close_running_timer)
{
	long before = ob_live("Timer");
	HANDLE h = timer(NotificationTimer);
	LARGE_INTEGER due;

	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimer(h, ob_ms(&due, 1), NULL, NULL, 0, 1, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, NtClose(h));
	if (before >= 0)
		EXPECT_GE(before, ob_live("Timer"));
}

TEST_F(timer, timer_wakes_blocked_waiter)
{
	struct ob_waiter w = { .count = 1 };
	HANDLE h = timer(SynchronizationTimer);
	LARGE_INTEGER due;

	w.objs[0] = h;
	ASSERT_EQ(0, ob_waiter_start(&w));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimer(h, ob_ms(&due, 10), NULL, NULL, 0, 0, NULL));
	ASSERT_EQ(0, ob_waiter_join(&w, 5000));
	ASSERT_STATUS(STATUS_WAIT_0, w.status);
	NtClose(w.self);
	NtClose(h);
}

TEST_HARNESS_MAIN
