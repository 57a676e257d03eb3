// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: checks ported from Wine's dlls/ntdll/tests/om.c (issue 17)
 * for the object types we implement (Event, Mutant, Semaphore, Timer,
 * KeyedEvent, Directory, SymbolicLink, Section, File, Process, Thread):
 * test_case_sensitive, test_name_collisions, test_name_limits,
 * test_directory, test_symboliclink, test_query_object. Re-expressed, not
 * copied; where Wine accepts several results, XP SP3's is expected.
 * Checks we are known to fail are marked CONF_KNOWN (conf_test.h) with the
 * reason; docs/conformance.md lists them.
 */
#include <stdlib.h>
#include <uchar.h>
#include "conf_test.h"

#define BNO	u"\\BaseNamedObjects\\"

FIXTURE(conf_om) {};
NT_GATE_VARIANTS(conf_om);
FIXTURE_SETUP(conf_om) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(conf_om) {}

static UNICODE_STRING *us_of(UNICODE_STRING *us, const char16_t *s)
{
	RtlInitUnicodeString(us, (const WCHAR *)s);
	return us;
}

static OBJECT_ATTRIBUTES *oa_of(OBJECT_ATTRIBUTES *oa, UNICODE_STRING *name,
				ULONG attributes, HANDLE root)
{
	InitializeObjectAttributes(oa, name, attributes, root, NULL);
	return oa;
}

static HANDLE open_bno(void)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	HANDLE h = NULL;

	NtOpenDirectoryObject(&h, DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
			      oa_of(&oa, us_of(&us, u"\\BaseNamedObjects"), 0, NULL));
	return h;
}

/* Wine om.c, test_case_sensitive */
TEST_F(conf_om, wine_om_case_sensitive)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	HANDLE ev, mu, h;

	oa_of(&oa, us_of(&us, BNO u"conf-om-test"), 0, NULL);
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&mu, GENERIC_ALL, &oa, FALSE));
	EXPECT_STATUS(STATUS_OBJECT_NAME_COLLISION,
		      NtCreateEvent(&ev, GENERIC_ALL, &oa, NotificationEvent, FALSE));
	/* without OBJ_CASE_INSENSITIVE another case is another name */
	oa_of(&oa, us_of(&us, BNO u"conf-om-Test"), 0, NULL);
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&ev, GENERIC_ALL, &oa, NotificationEvent, FALSE));
	oa_of(&oa, us_of(&us, BNO u"conf-om-TEst"), OBJ_CASE_INSENSITIVE, NULL);
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, NtOpenMutant(&h, GENERIC_ALL, &oa));
	NtClose(mu);
	oa_of(&oa, us_of(&us, u"\\BASENamedObjects\\conf-om-test"), OBJ_CASE_INSENSITIVE,
	      NULL);
	EXPECT_STATUS(STATUS_OBJECT_NAME_COLLISION,
		      NtCreateMutant(&mu, GENERIC_ALL, &oa, FALSE));
	EXPECT_STATUS(STATUS_OBJECT_NAME_COLLISION,
		      NtCreateEvent(&h, GENERIC_ALL, &oa, NotificationEvent, FALSE));
	oa.Attributes = 0;
	EXPECT_STATUS(STATUS_OBJECT_PATH_NOT_FOUND,
		      NtCreateMutant(&mu, GENERIC_ALL, &oa, FALSE));
	NtClose(ev);
}

/* Wine om.c, test_name_collisions: the root directory */
TEST_F(conf_om, wine_om_name_collisions_root)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	HANDLE h;

	oa_of(&oa, us_of(&us, u"\\"), 0, NULL);
	EXPECT_STATUS(STATUS_OBJECT_NAME_COLLISION,
		      NtCreateDirectoryObject(&h, DIRECTORY_QUERY, &oa));
	oa.Attributes = OBJ_OPENIF;
	EXPECT_STATUS(STATUS_OBJECT_NAME_EXISTS,
		      NtCreateDirectoryObject(&h, DIRECTORY_QUERY, &oa));
	NtClose(h);
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      NtCreateMutant(&h, GENERIC_ALL, &oa, FALSE));
	/* OBJ_OPENIF on an existing object of the same type */
	oa_of(&oa, us_of(&us, BNO u"conf-om-openif"), OBJ_OPENIF, NULL);
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&h, GENERIC_ALL, &oa,
						    NotificationEvent, FALSE));
	{
		HANDLE h1 = NULL;

		EXPECT_STATUS(STATUS_OBJECT_NAME_EXISTS,
			      NtCreateEvent(&h1, GENERIC_ALL, &oa, NotificationEvent, FALSE));
		EXPECT_NE(0, (uintptr_t)h1);
		NtClose(h1);
	}
	NtClose(h);
}

/* One create and one open of each type we implement, as om.c's helper. */
enum kind { K_MUTANT, K_SEMAPHORE, K_EVENT, K_KEYED, K_TIMER, K_DIR, K_LINK,
	    K_SECTION, K_COUNT };
static const char *const kind_name[K_COUNT] = {
	"Mutant", "Semaphore", "Event", "KeyedEvent", "Timer", "Directory",
	"SymbolicLink", "Section",
};

static NTSTATUS create_kind(enum kind k, HANDLE *h, OBJECT_ATTRIBUTES *oa)
{
	LARGE_INTEGER size = { .QuadPart = 4096 };
	UNICODE_STRING target;

	switch (k) {
	case K_MUTANT:
		return NtCreateMutant(h, GENERIC_ALL, oa, FALSE);
	case K_SEMAPHORE:
		return NtCreateSemaphore(h, GENERIC_ALL, oa, 1, 2);
	case K_EVENT:
		return NtCreateEvent(h, GENERIC_ALL, oa, SynchronizationEvent, 0);
	case K_KEYED:
		return NtCreateKeyedEvent(h, GENERIC_ALL, oa, 0);
	case K_TIMER:
		return NtCreateTimer(h, GENERIC_ALL, oa, NotificationTimer);
	case K_DIR:
		return NtCreateDirectoryObject(h, GENERIC_ALL, oa);
	case K_LINK:
		return NtCreateSymbolicLinkObject(h, GENERIC_ALL, oa,
						  us_of(&target, u"\\DosDevices"));
	default:
		return NtCreateSection(h, SECTION_MAP_WRITE, oa, &size, PAGE_READWRITE,
				       SEC_COMMIT, NULL);
	}
}

static NTSTATUS open_kind(enum kind k, HANDLE *h, OBJECT_ATTRIBUTES *oa)
{
	switch (k) {
	case K_MUTANT:
		return NtOpenMutant(h, GENERIC_ALL, oa);
	case K_SEMAPHORE:
		return NtOpenSemaphore(h, GENERIC_ALL, oa);
	case K_EVENT:
		return NtOpenEvent(h, GENERIC_ALL, oa);
	case K_KEYED:
		return NtOpenKeyedEvent(h, GENERIC_ALL, oa);
	case K_TIMER:
		return NtOpenTimer(h, GENERIC_ALL, oa);
	case K_DIR:
		return NtOpenDirectoryObject(h, GENERIC_ALL, oa);
	case K_LINK:
		return NtOpenSymbolicLinkObject(h, GENERIC_ALL, oa);
	default:
		return NtOpenSection(h, SECTION_MAP_WRITE, oa);
	}
}

/* create and open each kind; *bad counts mismatches, logged */
static void all_kinds(struct __test_metadata *_metadata, int line,
		      OBJECT_ATTRIBUTES *oa, NTSTATUS create_expect,
		      NTSTATUS open_expect, int *bad)
{
	NTSTATUS st, st2;
	HANDLE h, h2;
	int k;

	for (k = 0; k < K_COUNT; k++) {
		char b1[16], b2[16];

		st = create_kind(k, &h, oa);
		st2 = open_kind(k, &h2, oa);
		if (st != create_expect || st2 != open_expect) {
			(*bad)++;
			TH_LOG("line %d, %s: create %s (want 0x%08x), open %s (want 0x%08x)",
			       line, kind_name[k], nt_status_str(st, b1),
			       create_expect, nt_status_str(st2, b2), open_expect);
		}
		if (NT_SUCCESS(st))
			NtClose(h);
		if (NT_SUCCESS(st2))
			NtClose(h2);
	}
}

/* Wine om.c, test_name_limits: name lengths and OBJECT_ATTRIBUTES rules */
TEST_F(conf_om, wine_om_name_limits)
{
	OBJECT_ATTRIBUTES oa, oa2, oa3;
	UNICODE_STRING us;
	int bad = 0, known = 0, k;
	HANDLE h, h2, bno;
	WCHAR *buf;
	ULONG i;

	bno = open_bno();
	ASSERT_NE(0, (uintptr_t)bno);
	buf = malloc(65536);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < 32768; i++)
		buf[i] = 'a';
	us.Buffer = buf;
	us.MaximumLength = 65534;
	oa_of(&oa, &us, 0, bno);
	oa_of(&oa2, &us, 0, (HANDLE)0xdeadbeef);
	oa_of(&oa3, &us, 0, NULL);

	/* an empty name is no name: the root is not even looked at */
	us.Length = 0;
	for (k = 0; k < K_COUNT; k++) {
		EXPECT_STATUS(STATUS_SUCCESS, create_kind(k, &h, &oa2))
			TH_LOG("%s", kind_name[k]);
		oa3.RootDirectory = h;
		/* opening "the root itself" as another type */
		if (k != K_DIR && k != K_LINK) {
			NTSTATUS st = open_kind(k, &h2, &oa);

			EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, st)
				TH_LOG("%s", kind_name[k]);
			if (NT_SUCCESS(st))
				NtClose(h2);
		}
		NtClose(h);
	}
	/* an odd byte count is not a name */
	us.Length = 67;
	all_kinds(_metadata, __LINE__, &oa2, STATUS_OBJECT_NAME_INVALID,
		  STATUS_OBJECT_NAME_INVALID, &bad);
	/* the longest name, and one character more */
	us.Length = 65532;
	all_kinds(_metadata, __LINE__, &oa, STATUS_SUCCESS, STATUS_SUCCESS, &bad);
	us.Length = 65534;
	all_kinds(_metadata, __LINE__, &oa, STATUS_OBJECT_NAME_INVALID,
		  STATUS_OBJECT_NAME_INVALID, &bad);
	/* OBJECT_ATTRIBUTES.Length must be exact */
	us.Length = 128;
	for (oa.Length = 0; oa.Length <= 2 * sizeof(oa); oa.Length++)
		if (oa.Length == sizeof(oa))
			all_kinds(_metadata, __LINE__, &oa, STATUS_SUCCESS,
				  STATUS_SUCCESS, &bad);
		else
			all_kinds(_metadata, __LINE__, &oa, STATUS_INVALID_PARAMETER,
				  STATUS_INVALID_PARAMETER, &bad);
	oa.Length = sizeof(oa);
	/* no name: with a root it is invalid, without one unnamed */
	oa2.ObjectName = oa3.ObjectName = NULL;
	oa3.RootDirectory = NULL;
	all_kinds(_metadata, __LINE__, &oa2, STATUS_OBJECT_NAME_INVALID,
		  STATUS_OBJECT_NAME_INVALID, &bad);
	all_kinds(_metadata, __LINE__, &oa3, STATUS_SUCCESS,
		  STATUS_OBJECT_PATH_SYNTAX_BAD, &bad);
	/* no attributes at all: unnamed create, invalid open (XP: a link too) */
	for (k = 0; k < K_COUNT; k++) {
		NTSTATUS st = create_kind(k, &h, NULL);

		EXPECT_STATUS(STATUS_SUCCESS, st) TH_LOG("%s", kind_name[k]);
		if (NT_SUCCESS(st))
			NtClose(h);
		EXPECT_STATUS(STATUS_INVALID_PARAMETER, open_kind(k, &h, NULL))
			TH_LOG("%s", kind_name[k]);
	}
	free(buf);
	NtClose(bno);
	EXPECT_EQ(0, bad);
	if (known && _metadata->passed)
		SKIP(return, "%d known deviation(s) (issue 17): name limits, logged above", known);
}

static void create_open_dir(struct __test_metadata *_metadata, HANDLE root,
			    const char16_t *name, NTSTATUS expect, int known)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	NTSTATUS st;
	HANDLE h;

	oa_of(&oa, us_of(&us, name), 0, root);
	st = NtCreateDirectoryObject(&h, DIRECTORY_QUERY, &oa);
	if (NT_SUCCESS(st))
		NtClose(h);
	if (!known)
		EXPECT_STATUS(expect, st);
	st = NtOpenDirectoryObject(&h, DIRECTORY_QUERY, &oa);
	if (NT_SUCCESS(st))
		NtClose(h);
	if (!known)
		EXPECT_STATUS(expect, st);
}

/* Wine om.c, test_directory */
TEST_F(conf_om, wine_om_directory)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	HANDLE dir, h, h2, bno;
	CONF_BEGIN();

	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateDirectoryObject(NULL, DIRECTORY_QUERY,
					      oa_of(&oa, NULL, 0, NULL)));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtOpenDirectoryObject(NULL, DIRECTORY_QUERY, &oa));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateDirectoryObject(&h, DIRECTORY_QUERY, NULL));
	NtClose(h);
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, NtOpenDirectoryObject(&h, DIRECTORY_QUERY, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateDirectoryObject(&dir, DIRECTORY_QUERY, &oa));
	EXPECT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD,
		      NtOpenDirectoryObject(&h, DIRECTORY_QUERY, &oa));
	NtClose(dir);
	oa_of(&oa, us_of(&us, u""), 0, NULL);
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateDirectoryObject(&h, DIRECTORY_QUERY, &oa));
	NtClose(h);
	EXPECT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD,
		      NtOpenDirectoryObject(&h, DIRECTORY_QUERY, &oa));

	create_open_dir(_metadata, NULL, u"BaseNamedObjects", STATUS_OBJECT_PATH_SYNTAX_BAD, 0);
	create_open_dir(_metadata, NULL, BNO, STATUS_OBJECT_NAME_INVALID, 0);
	create_open_dir(_metadata, NULL, u"\\\\BaseNamedObjects", STATUS_OBJECT_NAME_INVALID, 0);
	create_open_dir(_metadata, NULL, BNO u"\\conf-om-d", STATUS_OBJECT_NAME_INVALID, 0);
	create_open_dir(_metadata, NULL, BNO u"conf-om-d\\", STATUS_OBJECT_PATH_NOT_FOUND, 0);

	oa_of(&oa, us_of(&us, BNO u"conf-om-d"), 0, NULL);
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateDirectoryObject(&h, DIRECTORY_QUERY, &oa));
	EXPECT_STATUS(STATUS_SUCCESS, NtOpenDirectoryObject(&h2, DIRECTORY_QUERY, &oa));
	NtClose(h2);
	NtClose(h);

	/* a root directory handle */
	bno = open_bno();
	ASSERT_NE(0, (uintptr_t)bno);
	EXPECT_STATUS(STATUS_OBJECT_NAME_INVALID,
		      NtOpenDirectoryObject(&h, DIRECTORY_QUERY, oa_of(&oa, NULL, 0, bno)));
	create_open_dir(_metadata, bno, u"\\", STATUS_OBJECT_PATH_SYNTAX_BAD, 0);
	create_open_dir(_metadata, bno, u"\\conf-om-d", STATUS_OBJECT_PATH_SYNTAX_BAD, 0);
	create_open_dir(_metadata, bno, u"\\conf-om-d\\", STATUS_OBJECT_PATH_SYNTAX_BAD, 0);
	create_open_dir(_metadata, bno, u"conf-om-d\\", STATUS_OBJECT_PATH_NOT_FOUND, 0);
	oa_of(&oa, us_of(&us, u"conf-om-d"), 0, bno);
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateDirectoryObject(&dir, DIRECTORY_QUERY, &oa));
	EXPECT_STATUS(STATUS_SUCCESS, NtOpenDirectoryObject(&h, DIRECTORY_QUERY, &oa));
	NtClose(h);
	/* nested */
	oa_of(&oa, us_of(&us, u"one more level"), 0, dir);
	EXPECT_STATUS(STATUS_SUCCESS, NtCreateDirectoryObject(&h, DIRECTORY_QUERY, &oa));
	NtClose(h);
	/* other objects under a root: bad paths */
	oa_of(&oa, us_of(&us, u"\\conf-om-mutant"), 0, bno);
	EXPECT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD, NtCreateMutant(&h, GENERIC_ALL, &oa, FALSE));
	oa_of(&oa, us_of(&us, u"\\conf-om-mutant\\"), 0, bno);
	EXPECT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD, NtCreateMutant(&h, GENERIC_ALL, &oa, FALSE));
	oa_of(&oa, us_of(&us, u"conf-om\\-mutant"), 0, bno);
	EXPECT_STATUS(STATUS_OBJECT_PATH_NOT_FOUND, NtCreateMutant(&h, GENERIC_ALL, &oa, FALSE));
	oa_of(&oa, us_of(&us, u"conf-om-mutant"), 0, bno);
	EXPECT_STATUS(STATUS_SUCCESS, NtCreateMutant(&h, GENERIC_ALL, &oa, FALSE));
	NtClose(h);
	/* the root directory "\" with a root handle */
	NtClose(dir);
	oa_of(&oa, us_of(&us, u"\\"), 0, NULL);
	ASSERT_STATUS(STATUS_SUCCESS, NtOpenDirectoryObject(&dir, DIRECTORY_QUERY, &oa));
	oa.RootDirectory = dir;
	EXPECT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD,
		      NtOpenDirectoryObject(&h, DIRECTORY_QUERY, &oa));
	NtClose(dir);
	NtClose(bno);
	CONF_END();
}

/* Wine om.c, test_directory: NtQuerySymbolicLinkObject lengths */
TEST_F(conf_om, wine_om_query_symbolic_link)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us, t;
	WCHAR buf[256];
	HANDLE link;
	ULONG len, full;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSymbolicLinkObject(&link, SYMBOLIC_LINK_QUERY,
						 oa_of(&oa, us_of(&us, BNO u"conf-om-l"), 0, NULL),
						 us_of(&t, u"\\BaseNamedObjects")));
	t.Buffer = buf;
	t.Length = 0;
	t.MaximumLength = sizeof(buf);
	len = 0xdeadbeef;
	memset(buf, 0xaa, sizeof(buf));
	EXPECT_STATUS(STATUS_SUCCESS, NtQuerySymbolicLinkObject(link, &t, &len));
	full = t.Length + sizeof(WCHAR);
	EXPECT_EQ(full, len);
	EXPECT_EQ(0, buf[len / sizeof(WCHAR) - 1]);
	/* no room for the terminator */
	t.MaximumLength = t.Length;
	len = 0xdeadbeef;
	EXPECT_STATUS(STATUS_BUFFER_TOO_SMALL, NtQuerySymbolicLinkObject(link, &t, &len));
	EXPECT_EQ(full, len);
	t.MaximumLength = 0;
	len = 0xdeadbeef;
	EXPECT_STATUS(STATUS_BUFFER_TOO_SMALL, NtQuerySymbolicLinkObject(link, &t, &len));
	EXPECT_EQ(full, len);
	t.MaximumLength = full;
	len = 0xdeadbeef;
	EXPECT_STATUS(STATUS_SUCCESS, NtQuerySymbolicLinkObject(link, &t, &len));
	EXPECT_EQ(full, len);
	NtClose(link);
}

/* Wine om.c, test_symboliclink */
TEST_F(conf_om, wine_om_symboliclink)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us, t;
	HANDLE h, link, dir, mu;
	CONF_BEGIN();

	oa_of(&oa, NULL, 0, NULL);
	us_of(&t, u"\\DosDevices");
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateSymbolicLinkObject(NULL, SYMBOLIC_LINK_QUERY, &oa, &t));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtOpenSymbolicLinkObject(NULL, SYMBOLIC_LINK_QUERY, &oa));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, NULL, NULL));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      NtOpenSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, NULL));
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtCreateSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, NULL, &t));
	NtClose(h);
	memset(&t, 0, sizeof(t));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      NtCreateSymbolicLinkObject(&link, SYMBOLIC_LINK_QUERY, &oa, &t));
	EXPECT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD,
		      NtOpenSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, &oa));
	/* bad names */
	us_of(&t, u"anywhere");
	oa_of(&oa, us_of(&us, u""), 0, NULL);
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtCreateSymbolicLinkObject(&link, SYMBOLIC_LINK_QUERY, &oa, &t));
	NtClose(link);
	EXPECT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD,
		      NtOpenSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, &oa));
	us_of(&t, u"->Somewhere");
	us_of(&us, u"BaseNamedObjects");
	EXPECT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD,
		      NtCreateSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, &oa, &t));
	EXPECT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD,
		      NtOpenSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, &oa));
	us_of(&us, BNO);
	EXPECT_STATUS(STATUS_OBJECT_NAME_INVALID,
		      NtCreateSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, &oa, &t));
	EXPECT_STATUS(STATUS_OBJECT_NAME_INVALID,
		      NtOpenSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, &oa));
	us_of(&us, u"\\\\BaseNamedObjects");
	EXPECT_STATUS(STATUS_OBJECT_NAME_INVALID,
		      NtCreateSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, &oa, &t));
	us_of(&us, BNO u"\\conf-om-l");
	EXPECT_STATUS(STATUS_OBJECT_NAME_INVALID,
		      NtCreateSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, &oa, &t));
	us_of(&us, BNO u"conf-om-l\\");
	EXPECT_STATUS(STATUS_OBJECT_PATH_NOT_FOUND,
		      NtCreateSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, &oa, &t));
	EXPECT_STATUS(STATUS_OBJECT_PATH_NOT_FOUND,
		      NtOpenSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, &oa));

	/* a link in \DosDevices to a directory, used as a path prefix */
	oa_of(&oa, us_of(&us, BNO u"conf-om-sd"), 0, NULL);
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateDirectoryObject(&dir, DIRECTORY_QUERY, &oa));
	us_of(&us, u"\\DosDevices\\conf_om_link");
	us_of(&t, u"\\BaseNamedObjects");
	link = NULL;
	CONF_KNOWN(STATUS_SUCCESS,
		   NtCreateSymbolicLinkObject(&link, SYMBOLIC_LINK_QUERY, &oa, &t),
		   "\\DosDevices links cannot be created (io/ resolves \\?? itself)");
	if (link) {
		EXPECT_STATUS(STATUS_SUCCESS,
			      NtOpenSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, &oa));
		NtClose(h);
		us_of(&us, u"\\DosDevices\\conf_om_link\\conf-om-sd\\obj");
		EXPECT_STATUS(STATUS_SUCCESS, NtCreateMutant(&mu, GENERIC_ALL, &oa, FALSE));
		us_of(&us, BNO u"conf-om-sd\\obj");
		EXPECT_STATUS(STATUS_OBJECT_NAME_COLLISION,
			      NtCreateMutant(&h, GENERIC_ALL, &oa, FALSE));
		NtClose(mu);
		/* a link is not a directory to create under */
		oa_of(&oa, us_of(&us, u"conf-om-sd\\obj"), 0, link);
		EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
			      NtCreateMutant(&h, GENERIC_ALL, &oa, FALSE));
		NtClose(link);
	}
	NtClose(dir);
	CONF_END();
}

static void name_of(struct __test_metadata *_metadata, HANDLE h, char *buf,
		    ULONG size, ULONG *len, NTSTATUS expect)
{
	memset(buf, 0, size);
	*len = 0;
	EXPECT_STATUS(expect, NtQueryObject(h, ObjectNameInformation, buf, size, len));
}

static int us_equal(const UNICODE_STRING *s, const char16_t *want)
{
	size_t n = 0;

	while (want[n])
		n++;
	return s->Length == n * 2 && !memcmp(s->Buffer, want, n * 2);
}

/* Wine om.c, test_query_object (and _test_object_type/_test_object_name) */
TEST_F(conf_om, wine_om_query_object)
{
	char buf[1024];
	OBJECT_TYPE_INFORMATION *type = (void *)buf;
	UNICODE_STRING *str = (void *)buf, us;
	OBJECT_BASIC_INFORMATION info;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK iosb;
	ULONG len, expected;
	HANDLE h;
	CONF_BEGIN();

	oa_of(&oa, us_of(&us, BNO u"conf_om_event"), 0, NULL);
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&h, GENERIC_ALL, &oa,
						    SynchronizationEvent, FALSE));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryObject(h, ObjectBasicInformation, NULL, 0, NULL));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryObject(h, ObjectBasicInformation, &info, 0, NULL));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryObject(h, ObjectBasicInformation, NULL, 0, &len));
	len = 0;
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtQueryObject(h, ObjectBasicInformation, &info, sizeof(info), &len));
	EXPECT_LE(sizeof(info), len);
	/* too short: the length needed is reported */
	name_of(_metadata, h, buf, 0, &len, STATUS_INFO_LENGTH_MISMATCH);
	EXPECT_LE(sizeof(UNICODE_STRING) + sizeof(BNO u"conf_om_event"), len);
	len = 0;
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryObject(h, ObjectTypeInformation, buf, 0, &len));
	EXPECT_LE(sizeof(OBJECT_TYPE_INFORMATION) + sizeof(u"Event"), len);
	name_of(_metadata, h, buf, sizeof(UNICODE_STRING), &len,
		STATUS_INFO_LENGTH_MISMATCH);
	EXPECT_LE(sizeof(UNICODE_STRING) + sizeof(BNO u"conf_om_event"), len);
	len = 0;
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryObject(h, ObjectTypeInformation, buf,
				    sizeof(OBJECT_TYPE_INFORMATION), &len));
	EXPECT_LE(sizeof(OBJECT_TYPE_INFORMATION) + sizeof(u"Event"), len);
	/* XP's name has no \Sessions prefix (Wine: broken() for winxp) */
	name_of(_metadata, h, buf, sizeof(buf), &len, STATUS_SUCCESS);
	EXPECT_EQ(sizeof(UNICODE_STRING) + str->Length + sizeof(WCHAR), len);
	EXPECT_TRUE(us_equal(str, BNO u"conf_om_event"));
	len -= sizeof(WCHAR);
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryObject(h, ObjectNameInformation, buf, len, &len));
	EXPECT_LE(sizeof(UNICODE_STRING) + sizeof(BNO u"conf_om_event"), len);
	memset(buf, 0, sizeof(buf));
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtQueryObject(h, ObjectTypeInformation, buf, sizeof(buf), &len));
	EXPECT_TRUE(us_equal(&type->TypeName, u"Event"));
	EXPECT_LE(sizeof(*type) + type->TypeName.Length, len);
	/* not a file */
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      NtQueryInformationFile(h, &iosb, buf, sizeof(buf), FileAccessInformation));
	NtClose(h);

	/* unnamed: an empty string, no buffer */
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&h, GENERIC_ALL, NULL,
						    SynchronizationEvent, FALSE));
	name_of(_metadata, h, buf, sizeof(buf), &len, STATUS_SUCCESS);
	EXPECT_EQ(sizeof(UNICODE_STRING), len);
	EXPECT_EQ(0, str->Length);
	EXPECT_EQ(NULL, str->Buffer);
	NtClose(h);

	/* a directory file: named, with XP's lengths */
	oa_of(&oa, us_of(&us, u"\\??\\C:\\tmp"), OBJ_CASE_INSENSITIVE, NULL);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenFile(&h, FILE_LIST_DIRECTORY | SYNCHRONIZE, &oa, &iosb,
				 FILE_SHARE_READ | FILE_SHARE_WRITE,
				 FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT));
	name_of(_metadata, h, buf, sizeof(buf), &len, STATUS_SUCCESS);
	EXPECT_LT(sizeof(UNICODE_STRING), len);
	expected = sizeof(UNICODE_STRING) + str->Length + sizeof(WCHAR);
	EXPECT_EQ(expected, len);
	/* XP answers \Device\HarddiskVolumeN\...; we answer the \?? name */
	CONF_KNOWN(STATUS_SUCCESS,
		   str->Length >= 44 &&
		   !memcmp(str->Buffer, u"\\Device\\HarddiskVolume", 44) ?
		   STATUS_SUCCESS : STATUS_OBJECT_NAME_NOT_FOUND,
		   "file names are \\??\\C:\\..., no volume device in the namespace");
	name_of(_metadata, h, buf, 0, &len, STATUS_INFO_LENGTH_MISMATCH);
	EXPECT_EQ(0u, len);
	name_of(_metadata, h, buf, sizeof(UNICODE_STRING), &len, STATUS_BUFFER_OVERFLOW);
	EXPECT_EQ(expected, len);
	memset(buf, 0, sizeof(buf));
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtQueryObject(h, ObjectTypeInformation, buf, sizeof(buf), &len));
	EXPECT_TRUE(us_equal(&type->TypeName, u"File"));
	NtClose(h);

	/* process and thread handles */
	{
		PROCESS_BASIC_INFORMATION pbi;
		CLIENT_ID cid = {};
		HANDLE p;

		ASSERT_STATUS(STATUS_SUCCESS,
			      NtQueryInformationProcess(NtCurrentProcess(),
							ProcessBasicInformation, &pbi,
							sizeof(pbi), NULL));
		cid.UniqueProcess = (HANDLE)pbi.UniqueProcessId;
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtOpenProcess(&p, PROCESS_QUERY_INFORMATION,
					    oa_of(&oa, NULL, 0, NULL), &cid));
		memset(buf, 0, sizeof(buf));
		EXPECT_STATUS(STATUS_SUCCESS, NtQueryObject(p, ObjectTypeInformation,
							    buf, sizeof(buf), &len));
		EXPECT_TRUE(us_equal(&type->TypeName, u"Process"));
		NtClose(p);
	}
	CONF_KNOWN(STATUS_SUCCESS,
		   NtQueryObject(NtCurrentProcess(), ObjectTypeInformation, buf,
				 sizeof(buf), &len),
		   "the current-process pseudo-handle has no process object (ob/handle.c)");
	memset(buf, 0, sizeof(buf));
	EXPECT_STATUS(STATUS_SUCCESS, NtQueryObject(NtCurrentThread(), ObjectTypeInformation,
						    buf, sizeof(buf), &len));
	EXPECT_TRUE(us_equal(&type->TypeName, u"Thread"));
	CONF_END();
}

TEST_HARNESS_MAIN
