// SPDX-License-Identifier: GPL-2.0
/*
 * Mutant state machine read back through NtQueryMutant: recursion,
 * ownership by thread, STATUS_MUTANT_NOT_OWNED, abandonment when the
 * owner thread exits (STATUS_ABANDONED_WAIT_0, cleared by the next
 * acquisition), OBJ_OPENIF ignoring InitialOwner.
 *
 * Behaviours after the ntsync selftest (mutex_state, ownerdead) and
 * ReactOS ntoskrnl/ke/mutex.c (KeReleaseMutant: previous count, owner
 * check) and ke/wait.c (abandoned mutants give STATUS_ABANDONED).
 */
#include "ob_test.h"

#define check_mutant_state(h, count, owned, abandoned) do {			\
	MUTANT_BASIC_INFORMATION _i;						\
	ULONG _len = 0xdeadbeef;						\
	memset(&_i, 0xcc, sizeof(_i));						\
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryMutant((h),			\
			MutantBasicInformation, &_i, sizeof(_i), &_len));	\
	EXPECT_EQ(sizeof(_i), _len);						\
	EXPECT_EQ((count), _i.CurrentCount);					\
	EXPECT_EQ((owned), _i.OwnedByCaller);					\
	EXPECT_EQ((abandoned), _i.AbandonedState);				\
} while (0)

static LARGE_INTEGER zero;

struct mutant_thread {
	HANDLE h, self;
	NTSTATUS wait, release;
	int release_it;
};

static void *grab(void *arg)
{
	struct mutant_thread *m = arg;

	NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(), NtCurrentProcess(),
			  &m->self, SYNCHRONIZE, 0, 0);
	m->wait = NtWaitForSingleObject(m->h, 0, &zero);
	m->release = m->release_it ? NtReleaseMutant(m->h, NULL) : 0x1234;
	return NULL;
}

static NTSTATUS grab_in_thread(HANDLE h, int release_it, NTSTATUS *release)
{
	struct mutant_thread m = { .h = h, .release_it = release_it };
	pthread_t t;

	pthread_create(&t, NULL, grab, &m);
	pthread_join(t, NULL);
	/*
	 * pthread_join returns at the futex wake of exit_mm(); the NT thread
	 * is done (mutants abandoned) when its handle is signaled.
	 */
	NtWaitForSingleObject(m.self, 0, NULL);
	NtClose(m.self);
	if (release)
		*release = m.release;
	return m.wait;
}

/* Every test runs through both gates (sysenter, int 0x2e). */
FIXTURE(mutant) {
	int unused;
};
NT_GATE_VARIANTS(mutant);

FIXTURE_SETUP(mutant)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(mutant)
{
}

TEST_F(mutant, mutant_state)
{
	HANDLE h = OB_POISON;
	LONG prev;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&h, MUTANT_ALL_ACCESS, NULL, 1));
	check_mutant_state(h, 0, 1, 0);
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, &zero));
	check_mutant_state(h, -1, 1, 0);
	/* another thread cannot have it */
	ASSERT_STATUS(STATUS_TIMEOUT, grab_in_thread(h, 0, NULL));
	prev = 0xdeadbeef;
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseMutant(h, &prev));
	EXPECT_EQ(-1, prev);
	check_mutant_state(h, 0, 1, 0);
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseMutant(h, &prev));
	EXPECT_EQ(0, prev);
	check_mutant_state(h, 1, 0, 0);
	prev = 0xdeadbeef;
	ASSERT_STATUS(STATUS_MUTANT_NOT_OWNED, NtReleaseMutant(h, &prev));
	EXPECT_EQ(0xdeadbeef, (unsigned)prev);
	NtClose(h);
}

TEST_F(mutant, release_by_other_thread_not_owned)
{
	NTSTATUS release;
	HANDLE h;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&h, MUTANT_ALL_ACCESS, NULL, 1));
	ASSERT_STATUS(STATUS_TIMEOUT, grab_in_thread(h, 1, &release));
	ASSERT_STATUS(STATUS_MUTANT_NOT_OWNED, release);
	check_mutant_state(h, 0, 1, 0);
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseMutant(h, NULL));
	/* free now: a thread takes it and gives it back */
	ASSERT_STATUS(STATUS_WAIT_0, grab_in_thread(h, 1, &release));
	ASSERT_STATUS(STATUS_SUCCESS, release);
	check_mutant_state(h, 1, 0, 0);
	NtClose(h);
}

TEST_F(mutant, mutant_abandoned_on_thread_exit)
{
	HANDLE h;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&h, MUTANT_ALL_ACCESS, NULL, 0));
	/* the thread takes it and exits holding it */
	ASSERT_STATUS(STATUS_WAIT_0, grab_in_thread(h, 0, NULL));
	check_mutant_state(h, 1, 0, 1);
	ASSERT_STATUS(STATUS_ABANDONED_WAIT_0, NtWaitForSingleObject(h, 0, &zero));
	/* acquiring it clears the abandoned state */
	check_mutant_state(h, 0, 1, 0);
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseMutant(h, NULL));
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, &zero));
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseMutant(h, NULL));
	NtClose(h);
}

TEST_F(mutant, abandoned_wakes_waiter)
{
	struct ob_waiter w = { .count = 2, .type = WaitAny };
	HANDLE h, ev;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&h, MUTANT_ALL_ACCESS, NULL, 1));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL, NotificationEvent, 0));
	w.objs[0] = ev;
	w.objs[1] = h;
	ASSERT_EQ(0, ob_waiter_start(&w));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseMutant(h, NULL));
	ASSERT_EQ(0, ob_waiter_join(&w, 5000));
	ASSERT_STATUS(STATUS_WAIT_0 + 1, w.status);
	/* the waiter thread has exited owning it: abandoned */
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(w.self, 0, NULL));
	check_mutant_state(h, 1, 0, 1);
	NtClose(w.self);
	NtClose(ev);
	NtClose(h);
}

struct owner_exit {
	HANDLE h;
	HANDLE go;
};

static void *own_then_exit(void *arg)
{
	struct owner_exit *o = arg;

	NtWaitForSingleObject(o->h, 0, NULL);
	NtWaitForSingleObject(o->go, 0, NULL);
	return NULL;
}

TEST_F(mutant, abandonment_wakes_blocked_waiter)
{
	struct ob_waiter w = { .count = 1 };
	struct owner_exit o;
	pthread_t t;
	HANDLE h, go;
	LARGE_INTEGER ms;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&h, MUTANT_ALL_ACCESS, NULL, 0));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&go, EVENT_ALL_ACCESS, NULL, NotificationEvent, 0));
	o.h = h;
	o.go = go;
	ASSERT_EQ(0, pthread_create(&t, NULL, own_then_exit, &o));
	/* wait until the thread owns it */
	do {
		MUTANT_BASIC_INFORMATION i;

		NtQueryMutant(h, MutantBasicInformation, &i, sizeof(i), NULL);
		if (i.CurrentCount == 0)
			break;
		NtWaitForSingleObject(go, 0, ob_ms(&ms, 1));
	} while (1);
	w.objs[0] = h;
	ASSERT_EQ(0, ob_waiter_start(&w));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(go, NULL));
	pthread_join(t, NULL);
	ASSERT_EQ(0, ob_waiter_join(&w, 5000));
	ASSERT_STATUS(STATUS_ABANDONED_WAIT_0, w.status);
	NtClose(w.self);
	NtClose(go);
	NtClose(h);
}

TEST_F(mutant, openif_ignores_initial_owner)
{
	UNICODE_STRING name;
	OBJECT_ATTRIBUTES oa;
	HANDLE a, b;
	NTSTATUS st;

	ob_attr(&oa, ob_name(&name, u"\\BaseNamedObjects\\ob-mutant-openif"),
		OBJ_OPENIF, NULL);
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&a, MUTANT_ALL_ACCESS, &oa, 0));
	st = NtCreateMutant(&b, MUTANT_ALL_ACCESS, &oa, 1);
	ASSERT_STATUS(STATUS_OBJECT_NAME_EXISTS, st);
	check_mutant_state(b, 1, 0, 0);
	NtClose(b);
	NtClose(a);
}

TEST_F(mutant, recursion_and_query_access)
{
	HANDLE h, q;
	int i;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&h, MUTANT_ALL_ACCESS, NULL, 0));
	for (i = 0; i < 100; i++)
		ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, NULL));
	check_mutant_state(h, -99, 1, 0);
	for (i = 0; i < 100; i++)
		ASSERT_STATUS(STATUS_SUCCESS, NtReleaseMutant(h, NULL));
	check_mutant_state(h, 1, 0, 0);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(),
					&q, SYNCHRONIZE, 0, 0));
	MUTANT_BASIC_INFORMATION info;
	ASSERT_STATUS(STATUS_ACCESS_DENIED,
		      NtQueryMutant(q, MutantBasicInformation, &info, sizeof(info), NULL));
	NtClose(q);
	NtClose(h);
}

TEST_HARNESS_MAIN
