// SPDX-License-Identifier: GPL-2.0
/*
 * Handle semantics: values (multiples of 4, never 0, LIFO reuse), NtClose,
 * NtDuplicateObject (same access, close source, narrower access), access
 * and type checks, pseudo-handles, NtQueryObject, and no growth in live
 * objects over 100,000 handles.
 *
 * Sources: ReactOS ntoskrnl/ob/obhandle.c (ObDuplicateObject closes the
 * source even on failure; pseudo-handles resolved first), Wine
 * dlls/ntdll/tests/om.c (test_query_object, test_type_mismatch), Windows
 * handle tables reuse the most recently freed entry first.
 */
#include <sys/wait.h>
#include "ob_test.h"

static HANDLE new_event(void)
{
	HANDLE h = OB_POISON;

	if (NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL, NotificationEvent, 0))
		return NULL;
	return h;
}

/* Every test runs through both gates (sysenter, int 0x2e). */
FIXTURE(handle) {
	int unused;
};
NT_GATE_VARIANTS(handle);

FIXTURE_SETUP(handle)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(handle)
{
}

TEST_F(handle, close_invalid_handle)
{
	ASSERT_STATUS(STATUS_INVALID_HANDLE, NtClose(NULL));
	ASSERT_STATUS(STATUS_INVALID_HANDLE, NtClose((HANDLE)0x1234560));
	ASSERT_STATUS(STATUS_INVALID_HANDLE, NtClose((HANDLE)0x80000004));
}

TEST_F(handle, close_twice)
{
	HANDLE h = new_event();

	ASSERT_NE(0, HV(h));
	ASSERT_STATUS(STATUS_SUCCESS, NtClose(h));
	ASSERT_STATUS(STATUS_INVALID_HANDLE, NtClose(h));
}

TEST_F(handle, handle_values_multiple_of_four)
{
	HANDLE h[16];
	int i;

	for (i = 0; i < 16; i++) {
		h[i] = new_event();
		ASSERT_NE(0, HV(h[i]));
		ASSERT_EQ(0, (uintptr_t)h[i] & 3);
	}
	for (i = 0; i < 16; i++)
		ASSERT_STATUS(STATUS_SUCCESS, NtClose(h[i]));
}

/* The low two bits are tag bits: ignored on lookup, as on Windows. */
TEST_F(handle, handle_low_bits_ignored)
{
	HANDLE h = new_event();
	LONG prev = 7;

	ASSERT_NE(0, HV(h));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent((HANDLE)((uintptr_t)h | 3), &prev));
	ASSERT_EQ(0, prev);
	ASSERT_STATUS(STATUS_SUCCESS, NtClose((HANDLE)((uintptr_t)h | 1)));
}

TEST_F(handle, handle_reuse_is_lifo)
{
	HANDLE a = new_event(), b = new_event(), c = new_event(), x, y, z;

	ASSERT_NE(0, HV(a));
	ASSERT_NE(0, HV(b));
	ASSERT_NE(0, HV(c));
	ASSERT_STATUS(STATUS_SUCCESS, NtClose(a));
	ASSERT_STATUS(STATUS_SUCCESS, NtClose(c));
	ASSERT_STATUS(STATUS_SUCCESS, NtClose(b));
	x = new_event();
	y = new_event();
	z = new_event();
	EXPECT_EQ(HV(b), HV(x));
	EXPECT_EQ(HV(c), HV(y));
	EXPECT_EQ(HV(a), HV(z));
	NtClose(x);
	NtClose(y);
	NtClose(z);
}

TEST_F(handle, out_handle_prewritten_on_failure)
{
	HANDLE h = OB_POISON;

	ASSERT_STATUS(STATUS_INVALID_PARAMETER,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL, 2, 0));
	ASSERT_EQ(0, HV(h));
}

TEST_F(handle, out_handle_fault)
{
	ASSERT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateEvent((HANDLE *)0x10, EVENT_ALL_ACCESS, NULL,
				    NotificationEvent, 0));
	/* a kernel address is a fault too */
	ASSERT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateEvent((HANDLE *)0xc0001000, EVENT_ALL_ACCESS, NULL,
				    NotificationEvent, 0));
}

TEST_F(handle, duplicate_same_access)
{
	HANDLE h = new_event(), d = OB_POISON;
	LONG prev = 7;

	ASSERT_NE(0, HV(h));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(),
					&d, 0, 0, DUPLICATE_SAME_ACCESS));
	ASSERT_NE(HV(h), HV(d));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(h, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, NtResetEvent(d, &prev));
	ASSERT_EQ(1, prev);
	ASSERT_STATUS(STATUS_SUCCESS, NtClose(h));
	/* the object lives on through the duplicate */
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(d, &prev));
	ASSERT_EQ(0, prev);
	ASSERT_STATUS(STATUS_SUCCESS, NtClose(d));
}

TEST_F(handle, duplicate_close_source)
{
	HANDLE h = new_event(), d = OB_POISON;

	ASSERT_NE(0, HV(h));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(),
					&d, 0, 0,
					DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
	ASSERT_STATUS(STATUS_INVALID_HANDLE, NtClose(h));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(d, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, NtClose(d));
}

/* DUPLICATE_CLOSE_SOURCE without a target just closes (ReactOS). */
TEST_F(handle, duplicate_close_source_no_target)
{
	HANDLE h = new_event();

	ASSERT_NE(0, HV(h));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(),
					NULL, 0, 0, DUPLICATE_CLOSE_SOURCE));
	ASSERT_STATUS(STATUS_INVALID_HANDLE, NtClose(h));
}

TEST_F(handle, duplicate_invalid_source)
{
	HANDLE d = OB_POISON;

	ASSERT_STATUS(STATUS_INVALID_HANDLE,
		      NtDuplicateObject(NtCurrentProcess(), (HANDLE)0x7ffc,
					NtCurrentProcess(), &d, 0, 0,
					DUPLICATE_SAME_ACCESS));
	ASSERT_EQ(0, HV(d));
}

TEST_F(handle, access_denied_on_narrow_handle)
{
	HANDLE h = new_event(), q = OB_POISON;
	EVENT_BASIC_INFORMATION info;

	ASSERT_NE(0, HV(h));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(),
					&q, EVENT_QUERY_STATE, 0, 0));
	ASSERT_STATUS(STATUS_ACCESS_DENIED, NtSetEvent(q, NULL));
	ASSERT_STATUS(STATUS_ACCESS_DENIED, NtWaitForSingleObject(q, 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryEvent(q, EventBasicInformation, &info, sizeof(info), NULL));
	NtClose(q);
	NtClose(h);
}

TEST_F(handle, generic_access_is_mapped)
{
	HANDLE h = new_event(), r = OB_POISON;
	OBJECT_BASIC_INFORMATION info;

	ASSERT_NE(0, HV(h));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(),
					&r, GENERIC_READ, 0, 0));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryObject(r, ObjectBasicInformation, &info, sizeof(info), NULL));
	EXPECT_EQ(READ_CONTROL | EVENT_QUERY_STATE, info.GrantedAccess);
	NtClose(r);
	NtClose(h);
}

TEST_F(handle, type_mismatch)
{
	HANDLE h = new_event(), s = OB_POISON;

	ASSERT_NE(0, HV(h));
	ASSERT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, NtReleaseMutant(h, NULL));
	ASSERT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, NtReleaseSemaphore(h, 1, NULL));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSemaphore(&s, SEMAPHORE_ALL_ACCESS, NULL, 0, 1));
	ASSERT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, NtSetEvent(s, NULL));
	NtClose(s);
	NtClose(h);
}

TEST_F(handle, pseudo_handles)
{
	HANDLE t = OB_POISON;

	/* No process objects yet: the right type question still answers. */
	ASSERT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, NtSetEvent(NtCurrentProcess(), NULL));
	ASSERT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, NtSetEvent(NtCurrentThread(), NULL));
	/* a real handle to the current thread, as DuplicateHandle makes it */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(),
					NtCurrentProcess(), &t, 0, 0,
					DUPLICATE_SAME_ACCESS));
	ASSERT_EQ(0, (uintptr_t)t & 3);
	ASSERT_STATUS(STATUS_SUCCESS, NtAlertThread(t));
	ASSERT_STATUS(STATUS_ALERTED, NtTestAlert());
	ASSERT_STATUS(STATUS_SUCCESS, NtTestAlert());
	/* a thread is not signaled while it runs */
	LARGE_INTEGER zero = { .QuadPart = 0 };
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(t, 0, &zero));
	ASSERT_STATUS(STATUS_SUCCESS, NtClose(t));
}

TEST_F(handle, query_object_basic)
{
	HANDLE h = new_event(), d;
	OBJECT_BASIC_INFORMATION info;
	ULONG len = 0xdeadbeef;

	ASSERT_NE(0, HV(h));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(),
					&d, 0, OBJ_INHERIT, DUPLICATE_SAME_ACCESS));
	memset(&info, 0xcc, sizeof(info));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryObject(d, ObjectBasicInformation, &info, sizeof(info), &len));
	EXPECT_EQ(sizeof(info), len);
	EXPECT_EQ(0x38, sizeof(info));
	EXPECT_EQ(OBJ_INHERIT, info.Attributes);
	EXPECT_EQ(EVENT_ALL_ACCESS, info.GrantedAccess);
	EXPECT_EQ(2, info.HandleCount);
	ASSERT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryObject(d, ObjectBasicInformation, &info, sizeof(info) - 4, &len));
	ASSERT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtQueryObject(d, 42, &info, sizeof(info), &len));
	NtClose(d);
	NtClose(h);
}

TEST_F(handle, query_object_type)
{
	HANDLE h = new_event();
	char buf[256];
	OBJECT_TYPE_INFORMATION *t = (void *)buf;
	ULONG len = 0;
	char16_t want[] = u"Event";

	ASSERT_NE(0, HV(h));
	ASSERT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryObject(h, ObjectTypeInformation, buf, 8, &len));
	EXPECT_EQ(sizeof(*t) + sizeof(want), len);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryObject(h, ObjectTypeInformation, buf, sizeof(buf), &len));
	ASSERT_EQ(10, t->TypeName.Length);
	EXPECT_EQ(0, memcmp(t->TypeName.Buffer, want, 10));
	EXPECT_EQ(EVENT_ALL_ACCESS, t->ValidAccessMask);
	NtClose(h);
}

TEST_F(handle, many_handles_no_growth)
{
	long events = ob_live("Event"), handles = ob_handles();
	HANDLE h[100];
	int i, j;

	if (events < 0)
		SKIP(return, "no debugfs counters");
	for (i = 0; i < 1000; i++) {
		for (j = 0; j < 100; j++) {
			h[j] = new_event();
			ASSERT_NE(0, HV(h[j]));
		}
		for (j = 0; j < 100; j++)
			ASSERT_STATUS(STATUS_SUCCESS, NtClose(h[j]));
	}
	/* module-wide counters: other processes may only lower them */
	EXPECT_GE(events, ob_live("Event"));
	EXPECT_GE(handles, ob_handles());
}

/*
 * A table grown to over a thousand slots (each growth copies the slots and
 * publishes the copy): after 100 closes the last 32 freed come back
 * last-freed-first, then the lowest free ones in order; a forked child
 * has every handle at the same value with the same access.
 */
#define GROW_N		1000
#define GROW_LO		500
#define GROW_HOLES	100
TEST_F(handle, grown_table_reuse_order_and_fork)
{
	static HANDLE h[GROW_N], n[GROW_HOLES];
	EVENT_BASIC_INFORMATION ebi;
	int i, status;
	pid_t pid;

	/* the first ones fill whatever earlier tests left free */
	for (i = 0; i < GROW_N; i++) {
		h[i] = new_event();
		ASSERT_NE(0, HV(h[i]));
	}
	for (i = 33; i < GROW_N; i++)
		ASSERT_EQ(HV(h[i - 1]) + 4, HV(h[i]));
	for (i = GROW_LO; i < GROW_LO + GROW_HOLES; i++)
		ASSERT_STATUS(STATUS_SUCCESS, NtClose(h[i]));
	for (i = 0; i < GROW_HOLES; i++) {
		n[i] = new_event();
		ASSERT_NE(0, HV(n[i]));
	}
	/* the free stack keeps the last 32 freed */
	for (i = 0; i < 32; i++)
		EXPECT_EQ(HV(h[GROW_LO + GROW_HOLES - 1 - i]), HV(n[i]));
	for (i = 32; i < GROW_HOLES; i++)
		EXPECT_EQ(HV(h[GROW_LO + i - 32]), HV(n[i]));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(h[GROW_N - 1], NULL));

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		int bad = 0;

		for (i = 0; i < GROW_N; i++) {
			HANDLE x = (i >= GROW_LO && i < GROW_LO + GROW_HOLES) ?
				   n[i - GROW_LO] : h[i];

			if (NtQueryEvent(x, EventBasicInformation, &ebi,
					 sizeof(ebi), NULL))
				bad++;
		}
		/* the same object: the parent set it */
		if (NtQueryEvent(h[GROW_N - 1], EventBasicInformation, &ebi,
				 sizeof(ebi), NULL) || ebi.EventState != 1)
			bad++;
		/* past the end of the table */
		if (NtClose((HANDLE)(uintptr_t)(HV(h[GROW_N - 1]) + 4 * 4096)) !=
		    STATUS_INVALID_HANDLE)
			bad++;
		_exit(bad ? 1 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	for (i = 0; i < GROW_N; i++)
		if (i < GROW_LO || i >= GROW_LO + GROW_HOLES)
			ASSERT_STATUS(STATUS_SUCCESS, NtClose(h[i]));
	for (i = 0; i < GROW_HOLES; i++)
		ASSERT_STATUS(STATUS_SUCCESS, NtClose(n[i]));
	EXPECT_STATUS(STATUS_INVALID_HANDLE, NtClose(h[GROW_N - 1]));
}

TEST_HARNESS_MAIN
