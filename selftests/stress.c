// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: 4 threads x 10,000 rounds of wait + release on the same
 * objects with counts conserved (the ntsync selftest's stress_wait, in NT
 * calls): a mutant guarding a plain counter, a semaphore's count never
 * exceeded, and wait-all over both.
 */
#include "ob_test.h"

#define THREADS	4
#define ROUNDS	10000

struct stress {
	HANDLE mutant, sem;
	volatile long counter;
	volatile long inside;
	volatile long max_inside;
	int all;
	NTSTATUS bad;
};

static void *stress_main(void *arg)
{
	struct stress *s = arg;
	HANDLE both[2] = { s->sem, s->mutant };
	LARGE_INTEGER limit = { .QuadPart = -60LL * 10000000 };
	NTSTATUS st;
	long n;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		/* bounded: a lost wakeup shows as STATUS_TIMEOUT, not a hang */
		if (s->all)
			st = NtWaitForMultipleObjects(2, both, WaitAll, 0, &limit);
		else
			st = NtWaitForSingleObject(s->mutant, 0, &limit);
		if (st != STATUS_WAIT_0) {
			s->bad = st;
			break;
		}
		n = s->counter;
		s->inside++;
		if (s->inside > s->max_inside)
			s->max_inside = s->inside;
		s->counter = n + 1;
		s->inside--;
		if (s->all) {
			st = NtReleaseSemaphore(s->sem, 1, NULL);
			if (st) {
				s->bad = st;
				break;
			}
		}
		st = NtReleaseMutant(s->mutant, NULL);
		if (st) {
			s->bad = st;
			break;
		}
	}
	return NULL;
}

static void run(struct __test_metadata *_metadata, int all)
{
	struct stress s = { .all = all };
	pthread_t t[THREADS];
	SEMAPHORE_BASIC_INFORMATION si;
	MUTANT_BASIC_INFORMATION mi;
	int i;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&s.mutant, MUTANT_ALL_ACCESS, NULL, 0));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSemaphore(&s.sem, SEMAPHORE_ALL_ACCESS, NULL, 2, 2));
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, stress_main, &s));
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	ASSERT_STATUS(STATUS_SUCCESS, s.bad);
	EXPECT_EQ(THREADS * ROUNDS, s.counter);
	EXPECT_EQ(1, s.max_inside);
	NtQueryMutant(s.mutant, MutantBasicInformation, &mi, sizeof(mi), NULL);
	EXPECT_EQ(1, mi.CurrentCount);
	EXPECT_EQ(0, mi.AbandonedState);
	NtQuerySemaphore(s.sem, SemaphoreBasicInformation, &si, sizeof(si), NULL);
	EXPECT_EQ(2, si.CurrentCount);
	NtClose(s.mutant);
	NtClose(s.sem);
}

/* Every test runs through both gates (sysenter, int 0x2e). */
FIXTURE(stress) {
	int unused;
};
NT_GATE_VARIANTS(stress);

FIXTURE_SETUP(stress)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(stress)
{
}

/* Slow under TCG: give the harness more than its default 30 s. */
TEST_F_TIMEOUT(stress, stress_mutant_counter, 600)
{
	run(_metadata, 0);
}

TEST_F_TIMEOUT(stress, stress_wait_all, 600)
{
	run(_metadata, 1);
}

/* Objects and handles made and dropped by threads leave no trace. */
static void *churn(void *arg)
{
	HANDLE h[8];
	int i, j;

	for (i = 0; i < 2000; i++) {
		for (j = 0; j < 8; j++)
			NtCreateEvent(&h[j], EVENT_ALL_ACCESS, NULL, j & 1, 0);
		NtWaitForMultipleObjects(8, h, WaitAny, 0, &(LARGE_INTEGER){ .QuadPart = 0 });
		for (j = 0; j < 8; j++)
			NtClose(h[j]);
	}
	return NULL;
}

TEST_F_TIMEOUT(stress, stress_no_leak, 600)
{
	long events = ob_live("Event"), handles = ob_handles();
	pthread_t t[THREADS];
	int i;

	if (events < 0)
		SKIP(return, "no debugfs counters");
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, churn, NULL));
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	/*
	 * The counters are module-wide: an earlier test's process may still
	 * be tearing down and lower them, never raise them.
	 */
	EXPECT_GE(events, ob_live("Event"));
	EXPECT_GE(handles, ob_handles());
}

TEST_HARNESS_MAIN
