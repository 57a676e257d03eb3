// SPDX-License-Identifier: GPL-2.0
/*
 * Keyed events: a waiter and a releaser with the same key meet, whoever
 * comes first blocks; keys must be even; timeouts and alerts end a
 * one-sided wait; a NULL handle is the global keyed event.
 *
 * Sources: ReactOS ntoskrnl/ex/keyedevt.c (NtWaitForKeyedEvent,
 * NtReleaseKeyedEvent: an odd key is STATUS_INVALID_PARAMETER_1) and
 * Wine dlls/ntdll/tests/om.c (test_keyed_events).
 */
#include "ob_test.h"

static LARGE_INTEGER zero;

struct keyed {
	pthread_t thread;
	HANDLE h;
	void *key;
	int release;
	LARGE_INTEGER *timeout;
	NTSTATUS status;
};

static void *keyed_main(void *arg)
{
	struct keyed *k = arg;

	k->status = k->release ? NtReleaseKeyedEvent(k->h, k->key, 0, k->timeout) :
				 NtWaitForKeyedEvent(k->h, k->key, 0, k->timeout);
	return NULL;
}

static int keyed_join(struct keyed *k, int ms)
{
	struct ob_waiter w = { .thread = k->thread };

	return ob_waiter_join(&w, ms);
}

static HANDLE keyed_event(void)
{
	HANDLE h = NULL;

	NtCreateKeyedEvent(&h, KEYEDEVENT_ALL_ACCESS, NULL, 0);
	return h;
}

/* Every test runs through both gates (sysenter, int 0x2e). */
FIXTURE(keyed) {
	int unused;
};
NT_GATE_VARIANTS(keyed);

FIXTURE_SETUP(keyed)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(keyed)
{
}

TEST_F(keyed, one_sided_times_out)
{
	HANDLE h = keyed_event();

	ASSERT_NE(0, HV(h));
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForKeyedEvent(h, (void *)8, 0, &zero));
	ASSERT_STATUS(STATUS_TIMEOUT, NtReleaseKeyedEvent(h, (void *)8, 0, &zero));
	NtClose(h);
}

TEST_F(keyed, odd_key)
{
	HANDLE h = keyed_event();

	ASSERT_STATUS(STATUS_INVALID_PARAMETER_1, NtWaitForKeyedEvent(h, (void *)9, 0, &zero));
	ASSERT_STATUS(STATUS_INVALID_PARAMETER_1, NtReleaseKeyedEvent(h, (void *)9, 0, &zero));
	NtClose(h);
}

TEST_F(keyed, create_bad_flags)
{
	HANDLE h = OB_POISON;

	ASSERT_STATUS(STATUS_INVALID_PARAMETER_4,
		      NtCreateKeyedEvent(&h, KEYEDEVENT_ALL_ACCESS, NULL, 1));
	EXPECT_EQ(0, HV(h));
}

TEST_F(keyed, waiter_released_by_key)
{
	struct keyed k = { .key = (void *)0x100 };
	HANDLE h = keyed_event();

	k.h = h;
	ASSERT_EQ(0, pthread_create(&k.thread, NULL, keyed_main, &k));
	ASSERT_EQ(ETIMEDOUT, keyed_join(&k, 100));
	/* another key does not match */
	ASSERT_STATUS(STATUS_TIMEOUT, NtReleaseKeyedEvent(h, (void *)0x200, 0, &zero));
	ASSERT_EQ(ETIMEDOUT, keyed_join(&k, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseKeyedEvent(h, (void *)0x100, 0, NULL));
	ASSERT_EQ(0, keyed_join(&k, 5000));
	ASSERT_STATUS(STATUS_SUCCESS, k.status);
	NtClose(h);
}

TEST_F(keyed, releaser_blocks_until_waiter)
{
	struct keyed k = { .key = (void *)0x100, .release = 1 };
	HANDLE h = keyed_event();

	k.h = h;
	ASSERT_EQ(0, pthread_create(&k.thread, NULL, keyed_main, &k));
	ASSERT_EQ(ETIMEDOUT, keyed_join(&k, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtWaitForKeyedEvent(h, (void *)0x100, 0, NULL));
	ASSERT_EQ(0, keyed_join(&k, 5000));
	ASSERT_STATUS(STATUS_SUCCESS, k.status);
	NtClose(h);
}

TEST_F(keyed, global_keyed_event)
{
	struct keyed k = { .key = (void *)0x444 };

	ASSERT_EQ(0, pthread_create(&k.thread, NULL, keyed_main, &k));
	ASSERT_EQ(ETIMEDOUT, keyed_join(&k, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtReleaseKeyedEvent(NULL, (void *)0x444, 0, NULL));
	ASSERT_EQ(0, keyed_join(&k, 5000));
	ASSERT_STATUS(STATUS_SUCCESS, k.status);
}

TEST_F(keyed, named_keyed_event)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	HANDLE a, b;

	ob_attr(&oa, ob_name(&n, u"\\BaseNamedObjects\\ob-keyed"), 0, NULL);
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateKeyedEvent(&a, KEYEDEVENT_ALL_ACCESS, &oa, 0));
	ASSERT_STATUS(STATUS_SUCCESS, NtOpenKeyedEvent(&b, KEYEDEVENT_ALL_ACCESS, &oa));
	NtClose(b);
	NtClose(a);
}

TEST_HARNESS_MAIN
