// SPDX-License-Identifier: GPL-2.0
/*
 * Semaphore state machine read back through NtQuerySemaphore: creation
 * limits, release with previous count, STATUS_SEMAPHORE_LIMIT_EXCEEDED,
 * waits consuming counts, blocked waiters woken by a release.
 *
 * Behaviours after the ntsync selftest (semaphore_state) and ReactOS
 * ntoskrnl/ex/sem.c (NtCreateSemaphore/NtReleaseSemaphore checks).
 */
#include "ob_test.h"

#define check_sem_state(h, count, max) do {					\
	SEMAPHORE_BASIC_INFORMATION _i;						\
	ULONG _len = 0xdeadbeef;						\
	memset(&_i, 0xcc, sizeof(_i));						\
	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySemaphore((h),			\
			SemaphoreBasicInformation, &_i, sizeof(_i), &_len));	\
	EXPECT_EQ(sizeof(_i), _len);						\
	EXPECT_EQ((count), _i.CurrentCount);					\
	EXPECT_EQ((max), _i.MaximumCount);					\
} while (0)

static LARGE_INTEGER zero;

/* Every test runs through both gates (sysenter, int 0x2e). */
FIXTURE(semaphore) {
	int unused;
};
NT_GATE_VARIANTS(semaphore);

FIXTURE_SETUP(semaphore)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(semaphore)
{
}

TEST_F(semaphore, semaphore_state)
{
	HANDLE h = OB_POISON;
	LONG prev;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, NULL, 2, 2));
	check_sem_state(h, 2, 2);
	prev = 0xdeadbeef;
	ASSERT_STATUS(STATUS_SEMAPHORE_LIMIT_EXCEEDED, NtReleaseSemaphore(h, 1, &prev));
	EXPECT_EQ(0xdeadbeef, (unsigned)prev);
	check_sem_state(h, 2, 2);
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, &zero));
	check_sem_state(h, 1, 2);
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, &zero));
	check_sem_state(h, 0, 2);
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(h, 0, &zero));
	ASSERT_STATUS(STATUS_SEMAPHORE_LIMIT_EXCEEDED, NtReleaseSemaphore(h, 3, &prev));
	check_sem_state(h, 0, 2);
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseSemaphore(h, 2, &prev));
	EXPECT_EQ(0, prev);
	check_sem_state(h, 2, 2);
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, &zero));
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseSemaphore(h, 1, &prev));
	EXPECT_EQ(1, prev);
	ASSERT_STATUS(STATUS_INVALID_PARAMETER, NtReleaseSemaphore(h, 0, &prev));
	ASSERT_STATUS(STATUS_INVALID_PARAMETER, NtReleaseSemaphore(h, -1, &prev));
	NtClose(h);
}

TEST_F(semaphore, create_semaphore_limits)
{
	HANDLE h = OB_POISON;

	ASSERT_STATUS(STATUS_INVALID_PARAMETER,
		      NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, NULL, 3, 2));
	EXPECT_EQ(0, HV(h));
	ASSERT_STATUS(STATUS_INVALID_PARAMETER,
		      NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, NULL, -1, 2));
	ASSERT_STATUS(STATUS_INVALID_PARAMETER,
		      NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, NULL, 0, 0));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, NULL, 0, 0x7fffffff));
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseSemaphore(h, 0x7fffffff, NULL));
	ASSERT_STATUS(STATUS_SEMAPHORE_LIMIT_EXCEEDED, NtReleaseSemaphore(h, 1, NULL));
	check_sem_state(h, 0x7fffffff, 0x7fffffff);
	NtClose(h);
}

TEST_F(semaphore, release_wakes_waiters_in_order)
{
	struct ob_waiter w1 = { .count = 1 }, w2 = { .count = 1 };
	HANDLE h;
	LONG prev;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, NULL, 0, 5));
	w1.objs[0] = w2.objs[0] = h;
	ASSERT_EQ(0, ob_waiter_start(&w1));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w1, 100));
	ASSERT_EQ(0, ob_waiter_start(&w2));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w2, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseSemaphore(h, 1, &prev));
	EXPECT_EQ(0, prev);
	ASSERT_EQ(0, ob_waiter_join(&w1, 5000));
	ASSERT_STATUS(STATUS_WAIT_0, w1.status);
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w2, 100));
	check_sem_state(h, 0, 5);
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseSemaphore(h, 3, &prev));
	EXPECT_EQ(0, prev);
	ASSERT_EQ(0, ob_waiter_join(&w2, 5000));
	ASSERT_STATUS(STATUS_WAIT_0, w2.status);
	check_sem_state(h, 2, 5);
	NtClose(w1.self);
	NtClose(w2.self);
	NtClose(h);
}

TEST_F(semaphore, release_needs_modify_access)
{
	HANDLE h, q;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, NULL, 0, 5));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(),
					&q, SEMAPHORE_QUERY_STATE, 0, 0));
	ASSERT_STATUS(STATUS_ACCESS_DENIED, NtReleaseSemaphore(q, 1, NULL));
	check_sem_state(q, 0, 5);
	NtClose(q);
	NtClose(h);
}

TEST_HARNESS_MAIN
