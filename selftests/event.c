// SPDX-License-Identifier: GPL-2.0
/*
 * Event state machines, read back through NtQueryEvent: notification
 * (manual reset) and synchronization (auto reset) events, Set / Reset /
 * Clear / Pulse with their previous states, waits consuming auto events,
 * and blocking proven with a thread and a bounded join.
 *
 * Behaviours after the ntsync selftest (manual_event_state,
 * auto_event_state, wake_any) and ReactOS ntoskrnl/ke/eventobj.c
 * (KePulseEvent: signal, satisfy waiters, reset; previous states).
 */
#include "ob_test.h"

#define check_event_state(h, signaled, manual) do {				\
	EVENT_BASIC_INFORMATION _i;						\
	ULONG _len = 0xdeadbeef;						\
	memset(&_i, 0xcc, sizeof(_i));						\
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryEvent((h), EventBasicInformation,	\
				&_i, sizeof(_i), &_len));			\
	EXPECT_EQ(sizeof(_i), _len);						\
	EXPECT_EQ((signaled), _i.EventState);					\
	EXPECT_EQ((manual) ? NotificationEvent : SynchronizationEvent,		\
		  _i.EventType);						\
} while (0)

static LARGE_INTEGER zero;

/* Every test runs through both gates (sysenter, int 0x2e). */
FIXTURE(event) {
	int unused;
};
NT_GATE_VARIANTS(event);

FIXTURE_SETUP(event)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(event)
{
}

TEST_F(event, manual_event_state)
{
	HANDLE h = OB_POISON;
	LONG prev;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL, NotificationEvent, 0));
	check_event_state(h, 0, 1);
	prev = 0xdeadbeef;
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(h, &prev));
	EXPECT_EQ(0, prev);
	check_event_state(h, 1, 1);
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(h, &prev));
	EXPECT_EQ(1, prev);
	/* waits do not consume a notification event */
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, &zero));
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, &zero));
	check_event_state(h, 1, 1);
	ASSERT_STATUS(STATUS_SUCCESS, NtResetEvent(h, &prev));
	EXPECT_EQ(1, prev);
	check_event_state(h, 0, 1);
	ASSERT_STATUS(STATUS_SUCCESS, NtResetEvent(h, &prev));
	EXPECT_EQ(0, prev);
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(h, 0, &zero));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(h, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, NtClearEvent(h));
	check_event_state(h, 0, 1);
	/* pulse with nobody waiting leaves it reset */
	ASSERT_STATUS(STATUS_SUCCESS, NtPulseEvent(h, &prev));
	EXPECT_EQ(0, prev);
	check_event_state(h, 0, 1);
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(h, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, NtPulseEvent(h, &prev));
	EXPECT_EQ(1, prev);
	check_event_state(h, 0, 1);
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEventBoostPriority(h));
	check_event_state(h, 1, 1);
	NtClose(h);
}

TEST_F(event, auto_event_state)
{
	HANDLE h = OB_POISON;
	LONG prev;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, 1));
	check_event_state(h, 1, 0);
	/* a wait consumes an auto-reset event */
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(h, 0, &zero));
	check_event_state(h, 0, 0);
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(h, 0, &zero));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(h, &prev));
	EXPECT_EQ(0, prev);
	check_event_state(h, 1, 0);
	ASSERT_STATUS(STATUS_SUCCESS, NtResetEvent(h, &prev));
	EXPECT_EQ(1, prev);
	check_event_state(h, 0, 0);
	ASSERT_STATUS(STATUS_SUCCESS, NtPulseEvent(h, &prev));
	EXPECT_EQ(0, prev);
	check_event_state(h, 0, 0);
	NtClose(h);
}

TEST_F(event, create_event_bad_type)
{
	HANDLE h = OB_POISON;

	ASSERT_STATUS(STATUS_INVALID_PARAMETER,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL, 2, 0));
	EXPECT_EQ(0, HV(h));
}

TEST_F(event, query_event_bad_class_and_length)
{
	EVENT_BASIC_INFORMATION i;
	HANDLE h;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL, NotificationEvent, 0));
	ASSERT_STATUS(STATUS_INVALID_INFO_CLASS, NtQueryEvent(h, 1, &i, sizeof(i), NULL));
	ASSERT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryEvent(h, EventBasicInformation, &i, sizeof(i) + 1, NULL));
	ASSERT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQueryEvent(h, EventBasicInformation, (void *)8, sizeof(i), NULL));
	NtClose(h);
}

TEST_F(event, previous_state_fault)
{
	HANDLE h;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL, NotificationEvent, 0));
	ASSERT_STATUS(STATUS_ACCESS_VIOLATION, NtSetEvent(h, (LONG *)4));
	/* the event was set before the copy-out failed */
	check_event_state(h, 1, 1);
	NtClose(h);
}

TEST_F(event, set_wakes_blocked_waiter)
{
	struct ob_waiter w = { .count = 1 };
	HANDLE h;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, 0));
	w.objs[0] = h;
	ASSERT_EQ(0, ob_waiter_start(&w));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(h, NULL));
	ASSERT_EQ(0, ob_waiter_join(&w, 5000));
	ASSERT_STATUS(STATUS_WAIT_0, w.status);
	/* the waiter consumed it */
	check_event_state(h, 0, 0);
	NtClose(w.self);
	NtClose(h);
}

TEST_F(event, pulse_wakes_all_manual_waiters)
{
	struct ob_waiter w1 = { .count = 1 }, w2 = { .count = 1 };
	HANDLE h;
	LONG prev;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL, NotificationEvent, 0));
	w1.objs[0] = w2.objs[0] = h;
	ASSERT_EQ(0, ob_waiter_start(&w1));
	ASSERT_EQ(0, ob_waiter_start(&w2));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w1, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtPulseEvent(h, &prev));
	EXPECT_EQ(0, prev);
	ASSERT_EQ(0, ob_waiter_join(&w1, 5000));
	ASSERT_EQ(0, ob_waiter_join(&w2, 5000));
	ASSERT_STATUS(STATUS_WAIT_0, w1.status);
	ASSERT_STATUS(STATUS_WAIT_0, w2.status);
	check_event_state(h, 0, 1);
	NtClose(w1.self);
	NtClose(w2.self);
	NtClose(h);
}

TEST_F(event, auto_event_wakes_one_fifo)
{
	struct ob_waiter w1 = { .count = 1 }, w2 = { .count = 1 };
	HANDLE h;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, 0));
	w1.objs[0] = w2.objs[0] = h;
	ASSERT_EQ(0, ob_waiter_start(&w1));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w1, 100));
	ASSERT_EQ(0, ob_waiter_start(&w2));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w2, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(h, NULL));
	/* the first waiter queued is the one released */
	ASSERT_EQ(0, ob_waiter_join(&w1, 5000));
	ASSERT_STATUS(STATUS_WAIT_0, w1.status);
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w2, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(h, NULL));
	ASSERT_EQ(0, ob_waiter_join(&w2, 5000));
	ASSERT_STATUS(STATUS_WAIT_0, w2.status);
	NtClose(w1.self);
	NtClose(w2.self);
	NtClose(h);
}

TEST_F(event, close_while_waited_on)
{
	struct ob_waiter w = { .count = 1 };
	HANDLE h, d;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL, NotificationEvent, 0));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(),
					&d, 0, 0, DUPLICATE_SAME_ACCESS));
	w.objs[0] = h;
	ASSERT_EQ(0, ob_waiter_start(&w));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	/* the wait pins the object: closing the handle does not end it */
	ASSERT_STATUS(STATUS_SUCCESS, NtClose(h));
	ASSERT_EQ(ETIMEDOUT, ob_waiter_join(&w, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(d, NULL));
	ASSERT_EQ(0, ob_waiter_join(&w, 5000));
	ASSERT_STATUS(STATUS_WAIT_0, w.status);
	NtClose(w.self);
	NtClose(d);
}

TEST_HARNESS_MAIN
