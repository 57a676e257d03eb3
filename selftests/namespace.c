// SPDX-License-Identifier: GPL-2.0
/*
 * The object namespace: named objects in \BaseNamedObjects, OBJ_OPENIF,
 * collisions within and across types, lookup errors exactly as Windows,
 * case sensitivity, temporary and permanent names, directory objects and
 * NtQueryDirectoryObject, symbolic links (and BaseNamedObjects\Global),
 * ObjectNameInformation, and names shared by two processes.
 *
 * Sources: Wine dlls/ntdll/tests/om.c (test_name_collisions,
 * test_directory, test_symboliclink, test_case_sensitive,
 * test_query_object), ReactOS ntoskrnl/ob/obname.c (ObpLookupObjectName),
 * Wine server/object.c (a non-directory in the middle of a path is
 * STATUS_OBJECT_TYPE_MISMATCH).
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ob_test.h"

#define BNO u"\\BaseNamedObjects\\"

static NTSTATUS create_event(HANDLE *h, const char16_t *name, ULONG attr, HANDLE root)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;

	*h = OB_POISON;
	return NtCreateEvent(h, EVENT_ALL_ACCESS, ob_attr(&oa, ob_name(&n, name), attr, root),
			     NotificationEvent, 0);
}

static NTSTATUS open_event(HANDLE *h, const char16_t *name, ULONG attr, HANDLE root)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;

	*h = OB_POISON;
	return NtOpenEvent(h, EVENT_ALL_ACCESS, ob_attr(&oa, ob_name(&n, name), attr, root));
}

static LONG event_state(HANDLE h)
{
	EVENT_BASIC_INFORMATION i = { 0, -1 };

	NtQueryEvent(h, EventBasicInformation, &i, sizeof(i), NULL);
	return i.EventState;
}

/* Every test runs through both gates (sysenter, int 0x2e). */
FIXTURE(ns) {
	int unused;
};
NT_GATE_VARIANTS(ns);

FIXTURE_SETUP(ns)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(ns)
{
}

TEST_F(ns, named_event_open_shares_object)
{
	HANDLE a, b;

	ASSERT_STATUS(STATUS_SUCCESS, create_event(&a, BNO u"ob-ns-shared", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, open_event(&b, BNO u"ob-ns-shared", 0, NULL));
	ASSERT_NE(HV(a), HV(b));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(a, NULL));
	EXPECT_EQ(1, event_state(b));
	NtClose(a);
	NtClose(b);
}

TEST_F(ns, openif_returns_existing)
{
	HANDLE a, b;

	ASSERT_STATUS(STATUS_SUCCESS, create_event(&a, BNO u"ob-ns-openif", OBJ_OPENIF, NULL));
	ASSERT_STATUS(STATUS_OBJECT_NAME_EXISTS,
		      create_event(&b, BNO u"ob-ns-openif", OBJ_OPENIF, NULL));
	ASSERT_NE(0, HV(b));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(b, NULL));
	EXPECT_EQ(1, event_state(a));
	NtClose(a);
	NtClose(b);
}

TEST_F(ns, name_collision)
{
	HANDLE a, b;

	ASSERT_STATUS(STATUS_SUCCESS, create_event(&a, BNO u"ob-ns-collide", 0, NULL));
	ASSERT_STATUS(STATUS_OBJECT_NAME_COLLISION,
		      create_event(&b, BNO u"ob-ns-collide", 0, NULL));
	EXPECT_EQ(0, HV(b));
	NtClose(a);
}

TEST_F(ns, name_collision_across_types)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	HANDLE e, m = OB_POISON;

	ASSERT_STATUS(STATUS_SUCCESS, create_event(&e, BNO u"ob-ns-types", 0, NULL));
	ob_name(&n, BNO u"ob-ns-types");
	ASSERT_STATUS(STATUS_OBJECT_NAME_COLLISION,
		      NtCreateMutant(&m, MUTANT_ALL_ACCESS, ob_attr(&oa, &n, 0, NULL), 0));
	EXPECT_EQ(0, HV(m));
	ASSERT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      NtCreateMutant(&m, MUTANT_ALL_ACCESS, ob_attr(&oa, &n, OBJ_OPENIF, NULL), 0));
	ASSERT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      NtOpenMutant(&m, MUTANT_ALL_ACCESS, ob_attr(&oa, &n, 0, NULL)));
	ASSERT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      NtCreateSemaphore(&m, SEMAPHORE_ALL_ACCESS,
					ob_attr(&oa, &n, OBJ_OPENIF, NULL), 0, 1));
	NtClose(e);
}

TEST_F(ns, lookup_errors)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	HANDLE h, e;

	ASSERT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, open_event(&h, BNO u"ob-ns-nope", 0, NULL));
	EXPECT_EQ(0, HV(h));
	ASSERT_STATUS(STATUS_OBJECT_PATH_NOT_FOUND,
		      open_event(&h, BNO u"ob-ns-nodir\\x", 0, NULL));
	ASSERT_STATUS(STATUS_OBJECT_PATH_NOT_FOUND,
		      create_event(&h, BNO u"ob-ns-nodir\\x", 0, NULL));
	/* no root: the name must be absolute */
	ASSERT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD, open_event(&h, u"ob-ns-rel", 0, NULL));
	ASSERT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD, create_event(&h, u"ob-ns-rel", 0, NULL));
	ASSERT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD,
		      NtOpenEvent(&h, EVENT_ALL_ACCESS, ob_attr(&oa, NULL, 0, NULL)));
	/* empty components */
	ASSERT_STATUS(STATUS_OBJECT_NAME_INVALID, open_event(&h, BNO u"", 0, NULL));
	ASSERT_STATUS(STATUS_OBJECT_NAME_INVALID,
		      open_event(&h, u"\\BaseNamedObjects\\\\x", 0, NULL));
	/* an event in the middle of a path */
	ASSERT_STATUS(STATUS_SUCCESS, create_event(&e, BNO u"ob-ns-mid", 0, NULL));
	ASSERT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      open_event(&h, BNO u"ob-ns-mid\\x", 0, NULL));
	NtClose(e);
	/* odd lengths and Length > MaximumLength */
	ob_name(&n, BNO u"ob-ns-odd");
	n.Length--;
	ASSERT_STATUS(STATUS_OBJECT_NAME_INVALID,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, ob_attr(&oa, &n, 0, NULL),
				    NotificationEvent, 0));
	ob_name(&n, BNO u"ob-ns-odd");
	n.MaximumLength = n.Length - 2;
	ASSERT_STATUS(STATUS_INVALID_PARAMETER,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, ob_attr(&oa, &n, 0, NULL),
				    NotificationEvent, 0));
	/* a bad OBJECT_ATTRIBUTES.Length, a faulting name buffer */
	ob_attr(&oa, ob_name(&n, BNO u"ob-ns-len"), 0, NULL);
	oa.Length = 4;
	ASSERT_STATUS(STATUS_INVALID_PARAMETER,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, &oa, NotificationEvent, 0));
	ob_attr(&oa, &n, 0, NULL);
	n.Buffer = (WCHAR *)0x10;
	ASSERT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, &oa, NotificationEvent, 0));
	ASSERT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateEvent(&h, EVENT_ALL_ACCESS, (OBJECT_ATTRIBUTES *)0x10,
				    NotificationEvent, 0));
}

TEST_F(ns, case_sensitivity)
{
	HANDLE a, b;

	ASSERT_STATUS(STATUS_SUCCESS, create_event(&a, BNO u"ob-ns-Case", 0, NULL));
	ASSERT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      open_event(&b, BNO u"OB-NS-CASE", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS,
		      open_event(&b, u"\\basenamedobjects\\OB-NS-CASE", OBJ_CASE_INSENSITIVE, NULL));
	NtClose(b);
	/* without OBJ_CASE_INSENSITIVE another case is another name */
	ASSERT_STATUS(STATUS_SUCCESS, create_event(&b, BNO u"ob-ns-CASE", 0, NULL));
	NtClose(b);
	NtClose(a);
}

TEST_F(ns, temporary_name_goes_with_last_handle)
{
	HANDLE a, b;

	ASSERT_STATUS(STATUS_SUCCESS, create_event(&a, BNO u"ob-ns-temp", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, open_event(&b, BNO u"ob-ns-temp", 0, NULL));
	NtClose(a);
	NtClose(b);
	ASSERT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, open_event(&b, BNO u"ob-ns-temp", 0, NULL));
}

TEST_F(ns, permanent_object)
{
	HANDLE a, b, q;

	ASSERT_STATUS(STATUS_SUCCESS, create_event(&a, BNO u"ob-ns-perm", OBJ_PERMANENT, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetEvent(a, NULL));
	NtClose(a);
	ASSERT_STATUS(STATUS_SUCCESS, open_event(&b, BNO u"ob-ns-perm", 0, NULL));
	EXPECT_EQ(1, event_state(b));
	/* making it temporary needs DELETE */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), b, NtCurrentProcess(), &q,
					EVENT_QUERY_STATE, 0, 0));
	ASSERT_STATUS(STATUS_ACCESS_DENIED, NtMakeTemporaryObject(q));
	NtClose(q);
	ASSERT_STATUS(STATUS_SUCCESS, NtMakeTemporaryObject(b));
	ASSERT_STATUS(STATUS_SUCCESS, open_event(&a, BNO u"ob-ns-perm", 0, NULL));
	NtClose(a);
	NtClose(b);
	ASSERT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, open_event(&a, BNO u"ob-ns-perm", 0, NULL));
}

TEST_F(ns, directory_objects)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	HANDLE d = OB_POISON, d2, e, f;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateDirectoryObject(&d, DIRECTORY_ALL_ACCESS,
					      ob_attr(&oa, ob_name(&n, BNO u"ob-ns-dir"), 0, NULL)));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenDirectoryObject(&d2, DIRECTORY_QUERY,
					    ob_attr(&oa, ob_name(&n, BNO u"ob-ns-dir"), 0, NULL)));
	/* relative to a root handle, and back by absolute path */
	ASSERT_STATUS(STATUS_SUCCESS, create_event(&e, u"ev", 0, d));
	ASSERT_STATUS(STATUS_SUCCESS, open_event(&f, BNO u"ob-ns-dir\\ev", 0, NULL));
	NtClose(f);
	ASSERT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD, open_event(&f, u"\\ev", 0, d));
	/* a root that is not a directory */
	ASSERT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, open_event(&f, u"x", 0, e));
	ASSERT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      NtOpenDirectoryObject(&f, DIRECTORY_QUERY,
					    ob_attr(&oa, ob_name(&n, BNO u"ob-ns-dir\\ev"), 0, NULL)));
	NtClose(e);
	NtClose(d2);
	NtClose(d);
}

TEST_F(ns, query_directory_object)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	HANDLE d, e1, e2;
	char buf[512];
	OBJECT_DIRECTORY_INFORMATION *di = (void *)buf;
	ULONG ctx = 0xdeadbeef, len = 0;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateDirectoryObject(&d, DIRECTORY_ALL_ACCESS,
					      ob_attr(&oa, ob_name(&n, BNO u"ob-ns-qdir"), 0, NULL)));
	ASSERT_STATUS(STATUS_NO_MORE_ENTRIES,
		      NtQueryDirectoryObject(d, buf, sizeof(buf), 1, 1, &ctx, &len));
	ASSERT_STATUS(STATUS_SUCCESS, create_event(&e1, u"one", 0, d));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateMutant(&e2, MUTANT_ALL_ACCESS,
				     ob_attr(&oa, ob_name(&n, u"two"), 0, d), 0));
	/* one at a time */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryDirectoryObject(d, buf, sizeof(buf), 1, 1, &ctx, &len));
	EXPECT_EQ(1, ctx);
	ASSERT_EQ(6, di[0].Name.Length);
	EXPECT_EQ(0, memcmp(di[0].Name.Buffer, u"one", 6));
	ASSERT_EQ(10, di[0].TypeName.Length);
	EXPECT_EQ(0, memcmp(di[0].TypeName.Buffer, u"Event", 10));
	EXPECT_EQ(0, di[1].Name.Length);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryDirectoryObject(d, buf, sizeof(buf), 1, 0, &ctx, &len));
	EXPECT_EQ(2, ctx);
	EXPECT_EQ(0, memcmp(di[0].TypeName.Buffer, u"Mutant", 12));
	ASSERT_STATUS(STATUS_NO_MORE_ENTRIES,
		      NtQueryDirectoryObject(d, buf, sizeof(buf), 1, 0, &ctx, &len));
	/* all at once */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryDirectoryObject(d, buf, sizeof(buf), 0, 1, &ctx, &len));
	EXPECT_EQ(2, ctx);
	EXPECT_EQ(6, di[1].Name.Length);
	EXPECT_EQ(0, di[2].Name.Length);
	EXPECT_EQ(0, di[2].TypeName.Length);
	/* too small for one entry */
	ASSERT_STATUS(STATUS_BUFFER_TOO_SMALL,
		      NtQueryDirectoryObject(d, buf, 20, 1, 1, &ctx, &len));
	EXPECT_LT(20, len);
	NtClose(e1);
	NtClose(e2);
	NtClose(d);
}

TEST_F(ns, symbolic_links)
{
	UNICODE_STRING n, t;
	OBJECT_ATTRIBUTES oa;
	HANDLE d, l, l2, e, f;
	WCHAR buf[64];
	ULONG len = 0;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateDirectoryObject(&d, DIRECTORY_ALL_ACCESS,
					      ob_attr(&oa, ob_name(&n, BNO u"ob-ns-ldir"), 0, NULL)));
	ASSERT_STATUS(STATUS_SUCCESS, create_event(&e, u"ev", 0, d));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSymbolicLinkObject(&l, SYMBOLIC_LINK_ALL_ACCESS,
						 ob_attr(&oa, ob_name(&n, BNO u"ob-ns-link"), 0, NULL),
						 ob_name(&t, BNO u"ob-ns-ldir")));
	/* through the link in the middle of a path */
	ASSERT_STATUS(STATUS_SUCCESS, open_event(&f, BNO u"ob-ns-link\\ev", 0, NULL));
	NtClose(f);
	/* the link itself */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenSymbolicLinkObject(&l2, SYMBOLIC_LINK_QUERY,
					       ob_attr(&oa, ob_name(&n, BNO u"ob-ns-link"), 0, NULL)));
	t.Buffer = buf;
	t.Length = 0;
	t.MaximumLength = sizeof(buf);
	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySymbolicLinkObject(l2, &t, &len));
	ASSERT_EQ(sizeof(BNO u"ob-ns-ldir") - 2, t.Length);
	EXPECT_EQ(0, memcmp(buf, BNO u"ob-ns-ldir", t.Length));
	EXPECT_EQ(t.Length + 2, len);
	t.MaximumLength = 4;
	ASSERT_STATUS(STATUS_BUFFER_TOO_SMALL, NtQuerySymbolicLinkObject(l2, &t, &len));
	/* a link at the end is followed for other types */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenDirectoryObject(&f, DIRECTORY_QUERY,
					    ob_attr(&oa, ob_name(&n, BNO u"ob-ns-link"), 0, NULL)));
	NtClose(f);
	/* odd target length */
	ob_name(&t, u"\\x");
	t.Length = 3;
	ASSERT_STATUS(STATUS_INVALID_PARAMETER,
		      NtCreateSymbolicLinkObject(&f, SYMBOLIC_LINK_ALL_ACCESS,
						 ob_attr(&oa, ob_name(&n, BNO u"ob-ns-link2"), 0, NULL),
						 &t));
	NtClose(l2);
	NtClose(l);
	NtClose(e);
	NtClose(d);
}

TEST_F(ns, global_and_local_links)
{
	HANDLE a, b;

	ASSERT_STATUS(STATUS_SUCCESS, create_event(&a, BNO u"Global\\ob-ns-global", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, open_event(&b, BNO u"ob-ns-global", 0, NULL));
	NtClose(b);
	ASSERT_STATUS(STATUS_SUCCESS, open_event(&b, BNO u"Local\\ob-ns-global", 0, NULL));
	NtClose(b);
	NtClose(a);
}

TEST_F(ns, object_name_information)
{
	HANDLE a;
	char buf[256];
	OBJECT_NAME_INFORMATION *ni = (void *)buf;
	ULONG len = 0;
	static const char16_t want[] = BNO u"ob-ns-name";

	ASSERT_STATUS(STATUS_SUCCESS, create_event(&a, BNO u"Global\\ob-ns-name", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryObject(a, ObjectNameInformation, buf, sizeof(buf), &len));
	ASSERT_EQ(sizeof(want) - 2, ni->Name.Length);
	EXPECT_EQ(0, memcmp(ni->Name.Buffer, want, ni->Name.Length));
	EXPECT_EQ(sizeof(*ni) + sizeof(want), len);
	ASSERT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryObject(a, ObjectNameInformation, buf, 8, &len));
	NtClose(a);
}

/* Two processes meet through names only (the child's copy of the table is not used). */
TEST_F(ns, names_shared_between_processes)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	LARGE_INTEGER t;
	HANDLE e, m;
	pid_t pid;
	int status;

	ASSERT_STATUS(STATUS_SUCCESS, create_event(&e, BNO u"ob-ns-xproc-ev", 0, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		HANDLE c, cm;

		if (open_event(&c, BNO u"ob-ns-xproc-ev", 0, NULL))
			_exit(1);
		if (NtCreateMutant(&cm, MUTANT_ALL_ACCESS,
				   ob_attr(&oa, ob_name(&n, BNO u"ob-ns-xproc-mx"), 0, NULL), 1))
			_exit(2);
		if (NtSetEvent(c, NULL))
			_exit(3);
		/* keep the mutant owned until the parent has looked */
		NtWaitForSingleObject(c, 0, ob_ms(&t, 5000));
		while (event_state(c))
			NtWaitForSingleObject(cm, 0, ob_ms(&t, 1));
		_exit(0);
	}
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(e, 0, ob_ms(&t, 5000)));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenMutant(&m, MUTANT_ALL_ACCESS,
				   ob_attr(&oa, ob_name(&n, BNO u"ob-ns-xproc-mx"), 0, NULL)));
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(m, 0, ob_ms(&t, 1)));
	ASSERT_STATUS(STATUS_SUCCESS, NtResetEvent(e, NULL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	/* the child exited owning it: abandoned, across processes */
	ASSERT_STATUS(STATUS_ABANDONED_WAIT_0, NtWaitForSingleObject(m, 0, ob_ms(&t, 5000)));
	NtClose(m);
	NtClose(e);
}

TEST_HARNESS_MAIN

/* @prefix and 5 digits as UTF-16 into @w. */
static const char16_t *num_name(char16_t *w, const char *prefix, unsigned int i)
{
	char a[16];
	int k;

	snprintf(a, sizeof(a), "%s%05u", prefix, i);
	for (k = 0; a[k]; k++)
		w[k] = (unsigned char)a[k];
	w[k] = 0;
	return w;
}

#define MANY	3000

/*
 * Issue 19: a directory's hash grows as it fills (16 buckets at first),
 * so this crosses several rehashes: every name is still found, in any
 * case with OBJ_CASE_INSENSITIVE and only as created without, and a
 * second create of any of them collides.
 */
TEST_F(ns, many_names_in_one_directory)
{
	static HANDLE h[MANY];
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	char16_t w[16];
	HANDLE d, e;
	unsigned int i;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateDirectoryObject(&d, DIRECTORY_ALL_ACCESS,
					      ob_attr(&oa, ob_name(&n, BNO u"ob-ns-many"), 0, NULL)));
	for (i = 0; i < MANY; i++)
		ASSERT_STATUS(STATUS_SUCCESS, create_event(&h[i], num_name(w, "ev", i), 0, d));
	for (i = 0; i < MANY; i += 7) {
		ASSERT_STATUS(STATUS_SUCCESS,
			      open_event(&e, num_name(w, "EV", i), OBJ_CASE_INSENSITIVE, d));
		NtClose(e);
		ASSERT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
			      open_event(&e, num_name(w, "EV", i), 0, d));
		ASSERT_STATUS(STATUS_OBJECT_NAME_COLLISION,
			      create_event(&e, num_name(w, "ev", i), 0, d));
		ASSERT_STATUS(STATUS_OBJECT_NAME_EXISTS,
			      create_event(&e, num_name(w, "Ev", i),
					   OBJ_OPENIF | OBJ_CASE_INSENSITIVE, d));
		NtClose(e);
	}
	ASSERT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      open_event(&e, num_name(w, "ev", MANY), 0, d));
	/* temporary names go with their last handle, also in a big table */
	for (i = 0; i < MANY; i++)
		NtClose(h[i]);
	for (i = 0; i < MANY; i += 101)
		ASSERT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
			      open_event(&e, num_name(w, "ev", i), 0, d));
	NtClose(d);
}

/*
 * Listing a directory one entry per call and a page at a time gives every
 * entry once, in creation order (nothing was removed: slot order). Context is a cursor into the listing
 * (issue 19): entries removed behind it do not make the rest of the
 * listing skip any (an ordinal Context, as XP's, would skip as many).
 */
TEST_F(ns, query_directory_object_cursor)
{
	static HANDLE h[MANY];
	static char buf[4096];
	OBJECT_DIRECTORY_INFORMATION *di = (void *)buf;
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	ULONG ctx = 0, len;
	unsigned int i, seen = 0, calls = 0;
	char16_t w[16];
	NTSTATUS st;
	HANDLE d;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateDirectoryObject(&d, DIRECTORY_ALL_ACCESS,
					      ob_attr(&oa, ob_name(&n, BNO u"ob-ns-cursor"), 0, NULL)));
	for (i = 0; i < MANY; i++)
		ASSERT_STATUS(STATUS_SUCCESS, create_event(&h[i], num_name(w, "ev", i), 0, d));
	/* a page at a time: STATUS_MORE_ENTRIES until the last page */
	st = STATUS_MORE_ENTRIES;
	while (st == STATUS_MORE_ENTRIES) {
		st = NtQueryDirectoryObject(d, buf, sizeof(buf), FALSE, !calls++, &ctx, &len);
		ASSERT_TRUE(st == STATUS_SUCCESS || st == STATUS_MORE_ENTRIES);
		ASSERT_GE(sizeof(buf), len);
		for (di = (void *)buf; di->Name.Length; di++, seen++) {
			ASSERT_EQ(14, di->Name.Length);
			ASSERT_EQ(0, memcmp(di->Name.Buffer, num_name(w, "ev", seen), 14));
			ASSERT_EQ(0, di->Name.Buffer[7]);
			ASSERT_EQ(0, memcmp(di->TypeName.Buffer, u"Event", 12));
		}
	}
	ASSERT_STATUS(STATUS_SUCCESS, st);
	EXPECT_EQ(MANY, seen);
	EXPECT_EQ(MANY, ctx);
	EXPECT_LT(2, calls);
	ASSERT_STATUS(STATUS_NO_MORE_ENTRIES,
		      NtQueryDirectoryObject(d, buf, sizeof(buf), FALSE, FALSE, &ctx, &len));
	/* one at a time, removing entries behind the cursor as we go */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryDirectoryObject(d, buf, sizeof(buf), TRUE, TRUE, &ctx, &len));
	di = (void *)buf;
	ASSERT_EQ(0, memcmp(di->Name.Buffer, num_name(w, "ev", 0), 14));
	for (i = 1; i < MANY; i++) {
		if (i % 3 == 0)
			NtClose(h[i - 1]);
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtQueryDirectoryObject(d, buf, sizeof(buf), TRUE, FALSE, &ctx, &len));
		ASSERT_EQ(0, memcmp(di->Name.Buffer, num_name(w, "ev", i), 14));
		ASSERT_EQ(0, di[1].Name.Length);
	}
	ASSERT_STATUS(STATUS_NO_MORE_ENTRIES,
		      NtQueryDirectoryObject(d, buf, sizeof(buf), TRUE, FALSE, &ctx, &len));
	for (i = 0; i < MANY; i++)
		NtClose(h[i]);
	ASSERT_STATUS(STATUS_NO_MORE_ENTRIES,
		      NtQueryDirectoryObject(d, buf, sizeof(buf), FALSE, TRUE, &ctx, &len));
	NtClose(d);
}

/*
 * A name whose last handle is being closed is never revived by an open:
 * while one thread creates and closes a temporary event again and again,
 * opens of its name from another find it (SUCCESS) or not (NOT_FOUND),
 * nothing else, and once both stop the name is gone.
 */
static volatile int race_stop;

static void *race_creator(void *arg)
{
	HANDLE h;
	long bad = 0;

	(void)arg;
	while (!race_stop) {
		if (create_event(&h, BNO u"ob-ns-race", OBJ_OPENIF, NULL) < 0)
			bad++;
		else
			NtClose(h);
	}
	return (void *)bad;
}

TEST_F(ns, last_close_races_open_by_name)
{
	pthread_t t;
	void *bad;
	HANDLE h;
	NTSTATUS st;
	int i, found = 0;

	race_stop = 0;
	ASSERT_EQ(0, pthread_create(&t, NULL, race_creator, NULL));
	for (i = 0; i < 20000; i++) {
		st = open_event(&h, BNO u"ob-ns-race", 0, NULL);
		if (st == STATUS_SUCCESS) {
			found++;
			NtClose(h);
		} else {
			ASSERT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, st);
		}
	}
	race_stop = 1;
	ASSERT_EQ(0, pthread_join(t, &bad));
	EXPECT_EQ(0, (long)bad);
	ASSERT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      open_event(&h, BNO u"ob-ns-race", 0, NULL));
	TH_LOG("%d of 20000 opens found it", found);
}
