// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration manager (issue 15): keys under \REGISTRY, values, the
 * information classes byte by byte (partial buffers included), link keys,
 * deletion, renames, limits, and who may write where (uid 1000 against
 * the machine hive and another user's hive).
 *
 * Statuses after Wine's dlls/ntdll/tests/reg.c (test_NtOpenKey: a path
 * "\Registry\Machine" without OBJ_CASE_INSENSITIVE is
 * STATUS_OBJECT_PATH_NOT_FOUND, a relative name without a root
 * STATUS_OBJECT_PATH_SYNTAX_BAD; test_NtCreateKey: NULL attributes
 * STATUS_ACCESS_VIOLATION; test_symlinks: a link key without its
 * SymbolicLinkValue is STATUS_OBJECT_NAME_NOT_FOUND, any other value on it
 * STATUS_ACCESS_DENIED, REG_OPTION_CREATE_LINK over an existing key
 * STATUS_OBJECT_NAME_COLLISION; test_NtQueryValueKey: the partial buffer
 * rules; test_long_value_name: STATUS_INVALID_PARAMETER) and ReactOS
 * rostests apitests/ntdll/NtQueryKey.c and ntoskrnl/config/cmapi.c
 * (CmpQueryKeyData, CmpQueryKeyDataFromCache, CmRenameKey).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>
#include "reg_test.h"
#include "nt_user.h"

static NTSTATUS mk(HANDLE *h, HANDLE root, const char *name, ULONG options,
		   ULONG *disp)
{
	static struct reg_name r;

	*h = OB_POISON;
	return NtCreateKey(h, KEY_ALL_ACCESS, reg_path(&r, root, OBJ_CASE_INSENSITIVE,
						       "%s", name),
			   0, NULL, options, disp);
}

static NTSTATUS op(HANDLE *h, ACCESS_MASK access, HANDLE root, ULONG attr,
		   const char *name)
{
	static struct reg_name r;

	*h = OB_POISON;
	return NtOpenKey(h, access, reg_path(&r, root, attr, "%s", name));
}

static ACCESS_MASK granted_of(HANDLE h)
{
	OBJECT_BASIC_INFORMATION b = {};

	NtQueryObject(h, ObjectBasicInformation, &b, sizeof(b), NULL);
	return b.GrantedAccess;
}

/* The name of a key as KeyNameInformation gives it, as ASCII. */
static const char *key_path(HANDLE h)
{
	static char s[2048];
	union { KEY_NAME_INFORMATION n; UCHAR raw[4096]; } u;
	ULONG len = 0, i;

	if (NtQueryKey(h, KeyNameInformation, &u, sizeof(u), &len))
		return "?";
	for (i = 0; i < u.n.NameLength / 2 && i < sizeof(s) - 1; i++)
		s[i] = u.n.Name[i];
	s[i] = 0;
	return s;
}

FIXTURE(registry) {
	char base[128];		/* \Registry\Machine\ntp-reg-<pid>-<n> */
	HANDLE h;
};
NT_GATE_VARIANTS(registry);

FIXTURE_SETUP(registry)
{
	static int n;

	NT_GATE_SETUP();
	snprintf(self->base, sizeof(self->base),
		 "\\Registry\\Machine\\ntp-reg-%d-%d", getpid(), n++);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&self->h, NULL, self->base, 0, NULL));
}

FIXTURE_TEARDOWN(registry)
{
	if (self->h != OB_POISON)
		reg_rmtree(self->h);
}

TEST_F(registry, create_open_disposition)
{
	HANDLE h, h2, ev;
	ULONG disp = 0;
	struct reg_name r;
	char want[256];

	ASSERT_STATUS(STATUS_SUCCESS, mk(&h, self->h, "Sub", 0, &disp));
	EXPECT_EQ(REG_CREATED_NEW_KEY, disp);
	NtClose(h);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&h, self->h, "sUB", 0, &disp));
	EXPECT_EQ(REG_OPENED_EXISTING_KEY, disp);
	/* the name keeps its first spelling */
	snprintf(want, sizeof(want), "\\REGISTRY\\MACHINE%s\\Sub", self->base + 17);
	EXPECT_STREQ(want, key_path(h));
	NtClose(h);
	/* absolute, any case, trailing backslash ignored */
	EXPECT_STATUS(STATUS_SUCCESS,
		      op(&h, KEY_READ, NULL, OBJ_CASE_INSENSITIVE, "\\REGISTRY\\machine"));
	NtClose(h);
	/* the object manager finds REGISTRY case-sensitively (Wine) */
	EXPECT_STATUS(STATUS_OBJECT_PATH_NOT_FOUND,
		      op(&h, KEY_READ, NULL, 0, "\\Registry\\Machine"));
	EXPECT_STATUS(STATUS_SUCCESS, op(&h, KEY_READ, NULL, 0, "\\REGISTRY\\Machine"));
	NtClose(h);
	EXPECT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD,
		      op(&h, KEY_READ, NULL, OBJ_CASE_INSENSITIVE, "Machine"));
	EXPECT_STATUS(STATUS_SUCCESS, op(&h, KEY_READ, self->h, 0, "SUB\\"));
	NtClose(h);
	EXPECT_STATUS(STATUS_OBJECT_PATH_SYNTAX_BAD, op(&h, KEY_READ, self->h, 0, "\\Sub"));
	/* every missing key is NAME_NOT_FOUND, in the middle too */
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&h, KEY_READ, self->h, 0, "nope"));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&h, KEY_READ, self->h, 0, "nope\\Sub"));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, mk(&h, self->h, "nope\\Sub", 0, NULL));
	/* an empty component is skipped (Wine test_NtCreateKey) */
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&h, KEY_READ, self->h, 0, "Sub\\\\x"));
	/* an empty relative name opens the root key again */
	ASSERT_STATUS(STATUS_SUCCESS, op(&h, KEY_READ, self->h, 0, ""));
	EXPECT_STREQ(self->base + 17, key_path(h) + 17);
	NtClose(h);
	/* not a key */
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, 0));
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, op(&h, KEY_READ, ev, 0, "Sub"));
	NtClose(ev);
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      op(&h, KEY_READ, NULL, 0, "\\BaseNamedObjects"));
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      NtOpenEvent(&h, EVENT_ALL_ACCESS,
				  reg_path(&r, NULL, 0, "\\REGISTRY")));
	/* NULL attributes and out-pointers (Wine test_NtCreateKey, XP) */
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, NtOpenKey(&h, KEY_READ, NULL));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateKey(&h, KEY_READ, NULL, 0, NULL, 0, NULL));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateKey(NULL, KEY_READ, reg_path(&r, self->h, 0, "x"),
				  0, NULL, 0, NULL));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, mk(&h2, self->h, "x", 0x10, NULL));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&h, KEY_READ, self->h, 0, "x"));
	EXPECT_STATUS(STATUS_INVALID_HANDLE, op(&h, KEY_READ, (HANDLE)0x7ffc, 0, "x"));
}

TEST_F(registry, volatile_parent_needs_volatile_children)
{
	HANDLE v, c;

	ASSERT_STATUS(STATUS_SUCCESS, mk(&v, self->h, "vol", REG_OPTION_VOLATILE, NULL));
	EXPECT_STATUS(STATUS_CHILD_MUST_BE_VOLATILE, mk(&c, v, "nv", 0, NULL));
	EXPECT_STATUS(STATUS_SUCCESS, mk(&c, v, "v", REG_OPTION_VOLATILE, NULL));
	NtClose(c);
	/* the existing key opens whatever the options say */
	EXPECT_STATUS(STATUS_SUCCESS, mk(&c, v, "v", 0, NULL));
	NtClose(c);
	NtClose(v);
}

TEST_F(registry, delete_rules_and_deleted_handles)
{
	union { KEY_BASIC_INFORMATION b; UCHAR raw[256]; } u;
	HANDLE p, c, c2, m;
	ULONG len, dw = 1;

	ASSERT_STATUS(STATUS_SUCCESS, mk(&p, self->h, "p", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, p, "c", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, op(&c2, KEY_READ, p, 0, "c"));
	EXPECT_STATUS(STATUS_CANNOT_DELETE, NtDeleteKey(p));
	/* DELETE is needed on the handle */
	EXPECT_STATUS(STATUS_ACCESS_DENIED, NtDeleteKey(c2));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(c, "v", REG_DWORD, &dw, 4));
	ASSERT_STATUS(STATUS_SUCCESS, NtDeleteKey(c));
	/* a second delete is no error (Wine test_NtDeleteKey, XP's CmDeleteKey) */
	EXPECT_STATUS(STATUS_SUCCESS, NtDeleteKey(c));
	/* every other handle to it sees the deletion */
	EXPECT_STATUS(STATUS_KEY_DELETED,
		      NtQueryKey(c2, KeyBasicInformation, &u, sizeof(u), &len));
	EXPECT_STATUS(STATUS_KEY_DELETED, reg_query(c2, "v", KeyValuePartialInformation,
						    &u, sizeof(u), &len));
	EXPECT_STATUS(STATUS_KEY_DELETED, reg_set(c, "v", REG_DWORD, &dw, 4));
	EXPECT_STATUS(STATUS_KEY_DELETED, mk(&m, c, "below", 0, NULL));
	EXPECT_STATUS(STATUS_KEY_DELETED, NtFlushKey(c));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&m, KEY_READ, p, 0, "c"));
	EXPECT_STATUS(STATUS_NO_MORE_ENTRIES,
		      NtEnumerateKey(p, 0, KeyBasicInformation, &u, sizeof(u), &len));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(c));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(c2));
	/* the same name again is a new key */
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, p, "c", 0, &len));
	EXPECT_EQ(REG_CREATED_NEW_KEY, len);
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, reg_query(c, "v", KeyValuePartialInformation,
							      &u, sizeof(u), &len));
	NtClose(c);
	/* hive roots stay */
	ASSERT_STATUS(STATUS_SUCCESS, op(&m, KEY_ALL_ACCESS, NULL, OBJ_CASE_INSENSITIVE,
					 "\\Registry\\Machine"));
	EXPECT_STATUS(STATUS_CANNOT_DELETE, NtDeleteKey(m));
	NtClose(m);
	NtClose(p);
}

/* KeyBasicInformation at every length around its fixed part and name. */
TEST_F(registry, query_key_basic_partial)
{
	UCHAR buf[64];
	KEY_BASIC_INFORMATION *b = (void *)buf;
	HANDLE h;
	ULONG len;

	ASSERT_STATUS(STATUS_SUCCESS, mk(&h, self->h, "AbCd", 0, NULL));
	len = NT_POISON_ULONG;
	EXPECT_STATUS(STATUS_BUFFER_TOO_SMALL,
		      NtQueryKey(h, KeyBasicInformation, NULL, 0, &len));
	EXPECT_EQ(16 + 8, len);
	memset(buf, 0xcc, sizeof(buf));
	EXPECT_STATUS(STATUS_BUFFER_TOO_SMALL,
		      NtQueryKey(h, KeyBasicInformation, buf, 15, &len));
	EXPECT_EQ(24, len);
	EXPECT_EQ(0xcc, buf[0]);
	EXPECT_STATUS(STATUS_BUFFER_OVERFLOW,
		      NtQueryKey(h, KeyBasicInformation, buf, 16, &len));
	EXPECT_EQ(24, len);
	EXPECT_EQ(0, b->TitleIndex);
	EXPECT_EQ(8, b->NameLength);
	EXPECT_NE(0, b->LastWriteTime.QuadPart);
	EXPECT_EQ(0xcc, buf[16]);
	EXPECT_STATUS(STATUS_BUFFER_OVERFLOW,
		      NtQueryKey(h, KeyBasicInformation, buf, 19, &len));
	EXPECT_EQ('A', b->Name[0]);
	EXPECT_EQ('b', buf[18]);
	EXPECT_EQ(0xcc, buf[19]);
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtQueryKey(h, KeyBasicInformation, buf, 24, &len));
	EXPECT_EQ(0, memcmp(b->Name, u"AbCd", 8));
	EXPECT_EQ(0xcc, buf[24]);
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      NtQueryKey(h, 6, buf, sizeof(buf), &len));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQueryKey(h, KeyBasicInformation, buf, sizeof(buf), NULL));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQueryKey(h, KeyBasicInformation, (void *)4, 64, &len));
	NtClose(h);
}

TEST_F(registry, query_key_node_full_cached_name)
{
	union { KEY_NODE_INFORMATION n; KEY_FULL_INFORMATION f;
		KEY_CACHED_INFORMATION c; KEY_NAME_INFORMATION nm;
		UCHAR raw[512]; } u;
	UNICODE_STRING cls;
	WCHAR cb[16];
	struct reg_name r;
	HANDLE h, c;
	ULONG len, dw = 7, disp;
	char want[160];

	/* name 3 chars (6 bytes): node name ends at 30, class at 32 */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateKey(&h, KEY_ALL_ACCESS,
				  reg_path(&r, self->h, 0, "Nod"), 0,
				  reg_ustr(&cls, cb, "Klass"), 0, &disp));
	memset(&u, 0xcc, sizeof(u));
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryKey(h, KeyNodeInformation, &u, sizeof(u), &len));
	EXPECT_EQ(32 + 10, len);
	EXPECT_EQ(32, u.n.ClassOffset);
	EXPECT_EQ(10, u.n.ClassLength);
	EXPECT_EQ(6, u.n.NameLength);
	EXPECT_EQ(0, memcmp(u.raw + 24, u"Nod", 6));
	EXPECT_EQ(0, memcmp(u.raw + 32, u"Klass", 10));
	EXPECT_EQ(0xcc, u.raw[42]);
	/* the class does not fit: fixed part, name, OVERFLOW */
	memset(&u, 0xcc, sizeof(u));
	EXPECT_STATUS(STATUS_BUFFER_OVERFLOW, NtQueryKey(h, KeyNodeInformation, &u, 34, &len));
	EXPECT_EQ(42, len);
	EXPECT_EQ('K', u.raw[32]);
	EXPECT_EQ(0xcc, u.raw[34]);
	EXPECT_STATUS(STATUS_BUFFER_TOO_SMALL, NtQueryKey(h, KeyNodeInformation, &u, 23, &len));
	EXPECT_EQ(42, len);

	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, h, "LongerSubName", 0, NULL));
	NtClose(c);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, h, "x", 0, NULL));
	NtClose(c);
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(h, "ValueName", REG_BINARY, "0123456789", 10));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(h, "v", REG_DWORD, &dw, 4));
	memset(&u, 0xcc, sizeof(u));
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryKey(h, KeyFullInformation, &u, sizeof(u), &len));
	EXPECT_EQ(44 + 10, len);
	EXPECT_EQ(44, u.f.ClassOffset);
	EXPECT_EQ(10, u.f.ClassLength);
	EXPECT_EQ(2, u.f.SubKeys);
	EXPECT_EQ(26, u.f.MaxNameLen);
	EXPECT_EQ(0, u.f.MaxClassLen);
	EXPECT_EQ(2, u.f.Values);
	EXPECT_EQ(18, u.f.MaxValueNameLen);
	EXPECT_EQ(10, u.f.MaxValueDataLen);
	EXPECT_EQ(0, memcmp(u.f.Class, u"Klass", 10));
	EXPECT_STATUS(STATUS_BUFFER_TOO_SMALL, NtQueryKey(h, KeyFullInformation, &u, 43, &len));
	EXPECT_EQ(54, len);

	memset(&u, 0xcc, sizeof(u));
	EXPECT_STATUS(STATUS_BUFFER_TOO_SMALL, NtQueryKey(h, KeyCachedInformation, &u, 39, &len));
	EXPECT_EQ(40, len);
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryKey(h, KeyCachedInformation, &u, sizeof(u), &len));
	EXPECT_EQ(40, len);
	EXPECT_EQ(2, u.c.SubKeys);
	EXPECT_EQ(26, u.c.MaxNameLen);
	EXPECT_EQ(2, u.c.Values);
	EXPECT_EQ(6, u.c.NameLength);
	EXPECT_EQ(0xcc, u.raw[40]);

	snprintf(want, sizeof(want), "\\REGISTRY\\MACHINE%s\\Nod", self->base + 17);
	EXPECT_STREQ(want, key_path(h));
	EXPECT_STATUS(STATUS_BUFFER_TOO_SMALL, NtQueryKey(h, KeyNameInformation, &u, 3, &len));
	EXPECT_EQ(4 + 2 * strlen(want), len);
	memset(&u, 0xcc, sizeof(u));
	EXPECT_STATUS(STATUS_BUFFER_OVERFLOW, NtQueryKey(h, KeyNameInformation, &u, 6, &len));
	EXPECT_EQ(2 * strlen(want), u.nm.NameLength);
	EXPECT_EQ('\\', u.nm.Name[0]);
	EXPECT_EQ(0xcc, u.raw[6]);
	NtClose(h);
	/* KeyNameInformation needs no access; the others KEY_QUERY_VALUE */
	ASSERT_STATUS(STATUS_SUCCESS, op(&h, KEY_ENUMERATE_SUB_KEYS, self->h, 0, "Nod"));
	EXPECT_STATUS(STATUS_SUCCESS, NtQueryKey(h, KeyNameInformation, &u, sizeof(u), &len));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, NtQueryKey(h, KeyBasicInformation, &u, sizeof(u), &len));
	NtClose(h);
}

TEST_F(registry, enumerate_keys_sorted)
{
	union { KEY_BASIC_INFORMATION b; UCHAR raw[256]; } u;
	static const char *const names[] = { "b", "A", "c", "Ab", "a0" };
	static const char *const order[] = { "A", "a0", "Ab", "b", "c" };
	HANDLE h;
	ULONG len, i, j;

	for (i = 0; i < 5; i++) {
		ASSERT_STATUS(STATUS_SUCCESS, mk(&h, self->h, names[i], 0, NULL));
		NtClose(h);
	}
	for (i = 0; i < 5; i++) {
		ASSERT_STATUS(STATUS_SUCCESS, NtEnumerateKey(self->h, i, KeyBasicInformation,
							     &u, sizeof(u), &len));
		ASSERT_EQ(2 * strlen(order[i]), u.b.NameLength);
		for (j = 0; j < strlen(order[i]); j++)
			EXPECT_EQ(order[i][j], u.b.Name[j]);
	}
	EXPECT_STATUS(STATUS_NO_MORE_ENTRIES,
		      NtEnumerateKey(self->h, 5, KeyBasicInformation, &u, sizeof(u), &len));
	/* only the basic, node and full classes enumerate */
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      NtEnumerateKey(self->h, 0, KeyNameInformation, &u, sizeof(u), &len));
	ASSERT_STATUS(STATUS_SUCCESS, op(&h, KEY_QUERY_VALUE, self->h, 0, ""));
	EXPECT_STATUS(STATUS_ACCESS_DENIED,
		      NtEnumerateKey(h, 0, KeyBasicInformation, &u, sizeof(u), &len));
	NtClose(h);
}

TEST_F(registry, values_stored_as_given)
{
	union { KEY_VALUE_PARTIAL_INFORMATION p; KEY_VALUE_FULL_INFORMATION f;
		KEY_VALUE_BASIC_INFORMATION b; UCHAR raw[256]; } u;
	static const UCHAR odd[3] = { 1, 2, 3 };
	ULONG len, dw = 0x12345678;

	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "dw", REG_DWORD, &dw, 4));
	/* any type and size, as given: a 3-byte REG_DWORD, type 0x1234 */
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "odd", REG_DWORD, odd, 3));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "t", 0x1234, odd, 1));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "", REG_SZ, u"def", 8));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "empty", REG_BINARY, NULL, 0));

	memset(&u, 0xcc, sizeof(u));
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(self->h, "DW", KeyValuePartialInformation,
						&u, sizeof(u), &len));
	EXPECT_EQ(16, len);
	EXPECT_EQ(0, u.p.TitleIndex);
	EXPECT_EQ(REG_DWORD, u.p.Type);
	EXPECT_EQ(4, u.p.DataLength);
	EXPECT_EQ(dw, *(ULONG *)u.p.Data);
	EXPECT_EQ(0xcc, u.raw[16]);
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(self->h, "odd", KeyValuePartialInformation,
						&u, sizeof(u), &len));
	EXPECT_EQ(15, len);
	EXPECT_EQ(3, u.p.DataLength);
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(self->h, "t", KeyValuePartialInformation,
						&u, sizeof(u), &len));
	EXPECT_EQ(0x1234, u.p.Type);
	/* the default value is the empty name */
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(self->h, "", KeyValuePartialInformation,
						&u, sizeof(u), &len));
	EXPECT_EQ(REG_SZ, u.p.Type);
	EXPECT_EQ(0, memcmp(u.p.Data, u"def", 8));

	/* partial: fixed part, then as much data as fits (OVERFLOW) */
	memset(&u, 0xcc, sizeof(u));
	EXPECT_STATUS(STATUS_BUFFER_TOO_SMALL, reg_query(self->h, "dw", KeyValuePartialInformation,
							 &u, 11, &len));
	EXPECT_EQ(16, len);
	EXPECT_EQ(0xcc, u.raw[0]);
	EXPECT_STATUS(STATUS_BUFFER_OVERFLOW, reg_query(self->h, "dw", KeyValuePartialInformation,
							&u, 13, &len));
	EXPECT_EQ(16, len);
	EXPECT_EQ(4, u.p.DataLength);
	EXPECT_EQ(REG_DWORD, u.p.Type);

	/* full: name, then data at a 4-byte boundary */
	memset(&u, 0xcc, sizeof(u));
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(self->h, "odd", KeyValueFullInformation,
						&u, sizeof(u), &len));
	EXPECT_EQ(28 + 3, len);
	EXPECT_EQ(6, u.f.NameLength);
	EXPECT_EQ(28, u.f.DataOffset);
	EXPECT_EQ(3, u.f.DataLength);
	EXPECT_EQ(0, memcmp(u.f.Name, u"odd", 6));
	EXPECT_EQ(0, memcmp(u.raw + 28, odd, 3));
	EXPECT_STATUS(STATUS_BUFFER_TOO_SMALL, reg_query(self->h, "odd", KeyValueFullInformation,
							 &u, 19, &len));
	EXPECT_EQ(31, len);
	/* no data: DataOffset -1 and no padding */
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(self->h, "empty", KeyValueFullInformation,
						&u, sizeof(u), &len));
	EXPECT_EQ(20 + 10, len);
	EXPECT_EQ(0xffffffff, u.f.DataOffset);
	/* basic */
	memset(&u, 0xcc, sizeof(u));
	EXPECT_STATUS(STATUS_BUFFER_OVERFLOW, reg_query(self->h, "empty", KeyValueBasicInformation,
							&u, 14, &len));
	EXPECT_EQ(22, len);
	EXPECT_EQ(REG_BINARY, u.b.Type);
	EXPECT_EQ(10, u.b.NameLength);
	EXPECT_EQ('e', u.b.Name[0]);
	EXPECT_EQ(0xcc, u.raw[14]);
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, reg_query(self->h, "dw", 5, &u, sizeof(u), &len));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      reg_query(self->h, "nope", KeyValuePartialInformation, &u, sizeof(u), &len));
}

TEST_F(registry, enumerate_and_delete_values)
{
	union { KEY_VALUE_BASIC_INFORMATION b; UCHAR raw[256]; } u;
	UNICODE_STRING us;
	WCHAR b[8];
	ULONG len, dw = 1;

	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "z", REG_DWORD, &dw, 4));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "a", REG_DWORD, &dw, 4));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "m", REG_DWORD, &dw, 4));
	/* replacing keeps the place and the first spelling of the name */
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "Z", REG_SZ, u"x", 4));
	ASSERT_STATUS(STATUS_SUCCESS, NtEnumerateValueKey(self->h, 0, KeyValueBasicInformation,
							  &u, sizeof(u), &len));
	EXPECT_EQ('z', u.b.Name[0]);
	EXPECT_EQ(REG_SZ, u.b.Type);
	ASSERT_STATUS(STATUS_SUCCESS, NtEnumerateValueKey(self->h, 2, KeyValueBasicInformation,
							  &u, sizeof(u), &len));
	EXPECT_EQ('m', u.b.Name[0]);
	EXPECT_STATUS(STATUS_NO_MORE_ENTRIES,
		      NtEnumerateValueKey(self->h, 3, KeyValueBasicInformation,
					  &u, sizeof(u), &len));
	ASSERT_STATUS(STATUS_SUCCESS, NtDeleteValueKey(self->h, reg_ustr(&us, b, "A")));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      NtDeleteValueKey(self->h, reg_ustr(&us, b, "a")));
	ASSERT_STATUS(STATUS_SUCCESS, NtEnumerateValueKey(self->h, 1, KeyValueBasicInformation,
							  &u, sizeof(u), &len));
	EXPECT_EQ('m', u.b.Name[0]);
	EXPECT_STATUS(STATUS_NO_MORE_ENTRIES,
		      NtEnumerateValueKey(self->h, 2, KeyValueBasicInformation,
					  &u, sizeof(u), &len));
}

TEST_F(registry, query_multiple_values)
{
	KEY_VALUE_ENTRY e[2];
	UNICODE_STRING n1, n2;
	WCHAR b1[8], b2[8];
	UCHAR buf[64];
	ULONG len, req, dw = 0xabcd;

	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "three", REG_BINARY, "abc", 3));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "dw", REG_DWORD, &dw, 4));
	memset(e, 0, sizeof(e));
	e[0].ValueName = reg_ustr(&n1, b1, "three");
	e[1].ValueName = reg_ustr(&n2, b2, "DW");
	len = sizeof(buf);
	memset(buf, 0xcc, sizeof(buf));
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryMultipleValueKey(self->h, e, 2, buf, &len, &req));
	EXPECT_EQ(8, len);
	EXPECT_EQ(8, req);
	EXPECT_EQ(0, e[0].DataOffset);
	EXPECT_EQ(3, e[0].DataLength);
	EXPECT_EQ(REG_BINARY, e[0].Type);
	EXPECT_EQ(4, e[1].DataOffset);
	EXPECT_EQ(REG_DWORD, e[1].Type);
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_EQ(dw, *(ULONG *)(buf + 4));
	len = 6;
	EXPECT_STATUS(STATUS_BUFFER_OVERFLOW,
		      NtQueryMultipleValueKey(self->h, e, 2, buf, &len, &req));
	EXPECT_EQ(8, req);
	e[1].ValueName = reg_ustr(&n2, b2, "nope");
	len = sizeof(buf);
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      NtQueryMultipleValueKey(self->h, e, 2, buf, &len, &req));
}

TEST_F(registry, limits)
{
	static UCHAR big[1024 * 1024 + 1];
	static WCHAR name[16384];
	UNICODE_STRING us;
	HANDLE h;
	ULONG i;

	for (i = 0; i < 16384; i++)
		name[i] = 'n';
	us.Buffer = name;
	us.Length = us.MaximumLength = 16384 * 2;
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      NtSetValueKey(self->h, &us, 0, REG_NONE, NULL, 0));
	us.Length = us.MaximumLength = 16383 * 2;
	EXPECT_STATUS(STATUS_SUCCESS, NtSetValueKey(self->h, &us, 0, REG_NONE, NULL, 0));
	EXPECT_STATUS(STATUS_SUCCESS, reg_set(self->h, "big", REG_BINARY, big, sizeof(big) - 1));
	EXPECT_STATUS(STATUS_INSUFFICIENT_RESOURCES,
		      reg_set(self->h, "big", REG_BINARY, big, sizeof(big)));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, reg_set(self->h, "bad", REG_BINARY, (void *)4, 4));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      reg_query(self->h, "bad", KeyValueBasicInformation, big, 64, &i));
	/* a key name component: 255 characters */
	memset(big, 'k', 256);
	big[255] = 0;
	EXPECT_STATUS(STATUS_SUCCESS, mk(&h, self->h, (char *)big, 0, NULL));
	NtClose(h);
	big[255] = 'k';
	big[256] = 0;
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, mk(&h, self->h, (char *)big, 0, NULL));
}

TEST_F(registry, link_keys)
{
	union { KEY_VALUE_PARTIAL_INFORMATION p; UCHAR raw[512]; } u;
	static struct reg_name t;
	char target[160], want[160];
	HANDLE tgt, l, h;
	ULONG disp, len, dw = 5;
	UNICODE_STRING us;
	WCHAR b[32];

	ASSERT_STATUS(STATUS_SUCCESS, mk(&tgt, self->h, "target", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(tgt, "v", REG_DWORD, &dw, 4));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&l, self->h, "link", REG_OPTION_CREATE_LINK, &disp));
	EXPECT_EQ(REG_CREATED_NEW_KEY, disp);
	/* no target yet */
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&h, KEY_READ, self->h, 0, "link"));
	/* a link key holds SymbolicLinkValue as REG_LINK and nothing else */
	EXPECT_STATUS(STATUS_ACCESS_DENIED, reg_set(l, "SymbolicLinkValue", REG_SZ, "x", 2));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, reg_set(l, "other", REG_LINK, "x", 2));
	snprintf(target, sizeof(target), "%s\\target", self->base);
	reg_path(&t, NULL, 0, "%s", target);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtSetValueKey(l, reg_ustr(&us, b, "SymbolicLinkValue"), 0, REG_LINK,
				    t.buf, t.us.Length));
	/* followed, last component and in the middle */
	ASSERT_STATUS(STATUS_SUCCESS, op(&h, KEY_READ, self->h, 0, "link"));
	snprintf(want, sizeof(want), "\\REGISTRY\\MACHINE%s\\target", self->base + 17);
	EXPECT_STREQ(want, key_path(h));
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(h, "v", KeyValuePartialInformation, &u,
						sizeof(u), &len));
	EXPECT_EQ(5, *(ULONG *)u.p.Data);
	NtClose(h);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&h, self->h, "link\\made", 0, &disp));
	EXPECT_EQ(REG_CREATED_NEW_KEY, disp);
	NtClose(h);
	ASSERT_STATUS(STATUS_SUCCESS, op(&h, KEY_READ, tgt, 0, "made"));
	NtClose(h);
	/* OBJ_OPENLINK and REG_OPTION_OPEN_LINK open the link itself */
	ASSERT_STATUS(STATUS_SUCCESS, op(&h, KEY_READ, self->h, OBJ_OPENLINK, "link"));
	snprintf(want, sizeof(want), "\\REGISTRY\\MACHINE%s\\link", self->base + 17);
	EXPECT_STREQ(want, key_path(h));
	NtClose(h);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&h, self->h, "link", REG_OPTION_OPEN_LINK, &disp));
	EXPECT_EQ(REG_OPENED_EXISTING_KEY, disp);
	EXPECT_STREQ(want, key_path(h));
	NtClose(h);
	/* a link over an existing key */
	EXPECT_STATUS(STATUS_OBJECT_NAME_COLLISION,
		      mk(&h, self->h, "target", REG_OPTION_CREATE_LINK, NULL));
	/* a link to itself never resolves */
	reg_path(&t, NULL, 0, "%s\\link", self->base);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtSetValueKey(l, reg_ustr(&us, b, "SymbolicLinkValue"), 0, REG_LINK,
				    t.buf, t.us.Length));
	EXPECT_STATUS(STATUS_REPARSE_POINT_NOT_RESOLVED,
		      op(&h, KEY_READ, self->h, 0, "link"));
	NtClose(l);
	NtClose(tgt);
}

TEST_F(registry, handle_access_checked)
{
	union { KEY_VALUE_PARTIAL_INFORMATION p; UCHAR raw[64]; } u;
	HANDLE q, s, h;
	ULONG len, dw = 1;

	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "v", REG_DWORD, &dw, 4));
	ASSERT_STATUS(STATUS_SUCCESS, op(&q, KEY_QUERY_VALUE, self->h, 0, ""));
	ASSERT_STATUS(STATUS_SUCCESS, op(&s, KEY_SET_VALUE, self->h, 0, ""));
	EXPECT_EQ(KEY_QUERY_VALUE, granted_of(q));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, reg_set(q, "v", REG_DWORD, &dw, 4));
	EXPECT_STATUS(STATUS_SUCCESS, reg_set(s, "v", REG_DWORD, &dw, 4));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, reg_query(s, "v", KeyValuePartialInformation,
						      &u, sizeof(u), &len));
	EXPECT_STATUS(STATUS_SUCCESS, reg_query(q, "v", KeyValuePartialInformation,
						&u, sizeof(u), &len));
	EXPECT_STATUS(STATUS_ACCESS_DENIED,
		      NtEnumerateValueKey(s, 0, KeyValueBasicInformation, &u, sizeof(u), &len));
	/* creating below needs the right on the parent key, not the handle */
	EXPECT_STATUS(STATUS_SUCCESS, mk(&h, q, "c", 0, NULL));
	NtClose(h);
	EXPECT_EQ(KEY_READ, granted_of(self->h) & KEY_READ);
	NtClose(q);
	NtClose(s);
}

TEST_F(registry, rename_and_write_time)
{
	KEY_WRITE_TIME_INFORMATION wt = { .LastWriteTime.QuadPart = 0x01c0ffee12345678LL };
	union { KEY_BASIC_INFORMATION b; UCHAR raw[256]; } u;
	UNICODE_STRING us;
	WCHAR b[16];
	HANDLE a, c;
	ULONG len, fl = 3;

	ASSERT_STATUS(STATUS_SUCCESS, mk(&a, self->h, "a", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, self->h, "c", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, NtRenameKey(a, reg_ustr(&us, b, "b")));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&c, KEY_READ, self->h, 0, "a"));
	EXPECT_STATUS(STATUS_SUCCESS, op(&c, KEY_READ, self->h, 0, "B"));
	NtClose(c);
	EXPECT_STATUS(STATUS_CANNOT_DELETE, NtRenameKey(a, reg_ustr(&us, b, "C")));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, NtRenameKey(a, reg_ustr(&us, b, "x\\y")));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, NtRenameKey(a, reg_ustr(&us, b, "")));
	ASSERT_STATUS(STATUS_SUCCESS, NtEnumerateKey(self->h, 0, KeyBasicInformation,
						     &u, sizeof(u), &len));
	EXPECT_EQ('b', u.b.Name[0]);

	ASSERT_STATUS(STATUS_SUCCESS, NtSetInformationKey(a, KeyWriteTimeInformation,
							  &wt, sizeof(wt)));
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryKey(a, KeyBasicInformation, &u, sizeof(u), &len));
	EXPECT_EQ(wt.LastWriteTime.QuadPart, u.b.LastWriteTime.QuadPart);
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtSetInformationKey(a, KeyWriteTimeInformation, &wt, 4));
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtSetInformationKey(a, 7, &wt, sizeof(wt)));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetInformationKey(a, KeyUserFlagsInformation,
							  &fl, sizeof(fl)));
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryKey(a, KeyFlagsInformation, &u, 4, &len));
	EXPECT_EQ(3, *(ULONG *)u.raw);
	EXPECT_STATUS(STATUS_SUCCESS, NtFlushKey(a));
	EXPECT_STATUS(STATUS_SUCCESS, NtCompressKey(a));
	EXPECT_STATUS(STATUS_SUCCESS, NtCompactKeys(1, &a));
	EXPECT_STATUS(STATUS_INVALID_HANDLE, NtFlushKey((HANDLE)0x7ffc));
	NtClose(a);
	NtClose(c);
}

TEST_F(registry, query_open_subkeys)
{
	struct reg_name r;
	ULONG n0 = 0, n1 = 0;
	HANDLE a, b;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryOpenSubKeys(reg_path(&r, NULL, OBJ_CASE_INSENSITIVE,
						  "\\Registry\\Machine"), &n0));
	EXPECT_LE(1, n0);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&a, self->h, "a", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, op(&b, KEY_READ, self->h, 0, "a"));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryOpenSubKeys(reg_path(&r, NULL, OBJ_CASE_INSENSITIVE,
						  "\\Registry\\Machine"), &n1));
	EXPECT_EQ(n0 + 2, n1);
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      NtQueryOpenSubKeys(reg_path(&r, NULL, OBJ_CASE_INSENSITIVE, "%s",
						  self->base), &n1));
	NtClose(a);
	NtClose(b);
}

/* uid 1000: reads the machine hive, writes only its own hive. */
TEST_F(registry, user_rights)
{
	union { KEY_VALUE_PARTIAL_INFORMATION p; UCHAR raw[64]; } u;
	HANDLE other, h;
	ULONG dw = 9, len;

	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "v", REG_DWORD, &dw, 4));
	/* root makes uid 1001's hive root: owned by 1001 */
	ASSERT_STATUS(STATUS_SUCCESS, mk(&other, NULL, "\\Registry\\User\\S-1-22-1-1001",
					 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(other, "secret", REG_DWORD, &dw, 4));
	NT_AS_USER(variant->gate) {
		HANDLE m, k, c;
		char mine[64];

		ASSERT_STATUS(STATUS_SUCCESS, op(&m, KEY_READ, NULL, OBJ_CASE_INSENSITIVE,
						 self->base));
		EXPECT_STATUS(STATUS_SUCCESS, reg_query(m, "v", KeyValuePartialInformation,
							&u, sizeof(u), &len));
		EXPECT_EQ(9, *(ULONG *)u.p.Data);
		EXPECT_STATUS(STATUS_ACCESS_DENIED, reg_set(m, "v", REG_DWORD, &dw, 4));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, mk(&c, m, "mine", 0, NULL));
		NtClose(m);
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      op(&m, KEY_SET_VALUE, NULL, OBJ_CASE_INSENSITIVE, self->base));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      op(&m, DELETE, NULL, OBJ_CASE_INSENSITIVE, self->base));
		ASSERT_STATUS(STATUS_SUCCESS,
			      op(&m, MAXIMUM_ALLOWED, NULL, OBJ_CASE_INSENSITIVE, self->base));
		EXPECT_EQ(KEY_READ, granted_of(m));
		NtClose(m);
		/* another user's hive: nothing */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      op(&m, KEY_READ, NULL, OBJ_CASE_INSENSITIVE,
				 "\\Registry\\User\\S-1-22-1-1001"));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      mk(&m, NULL, "\\Registry\\User\\S-1-22-1-0", 0, NULL));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      mk(&m, NULL, "\\Registry\\User\\S-1-22-1-1001\\x", 0, NULL));
		/* its own: created on demand, writable, deletable below the root */
		snprintf(mine, sizeof(mine), "\\Registry\\User\\S-1-22-1-%u", getuid());
		ASSERT_STATUS(STATUS_SUCCESS, mk(&k, NULL, mine, 0, NULL));
		ASSERT_STATUS(STATUS_SUCCESS, mk(&c, k, "Software", 0, NULL));
		EXPECT_STATUS(STATUS_SUCCESS, reg_set(c, "v", REG_DWORD, &dw, 4));
		EXPECT_STATUS(STATUS_SUCCESS, NtDeleteKey(c));
		EXPECT_STATUS(STATUS_CANNOT_DELETE, NtDeleteKey(k));
		NtClose(c);
		NtClose(k);
	}
	/* root (CAP_SYS_ADMIN) reads every hive */
	ASSERT_STATUS(STATUS_SUCCESS, op(&h, KEY_READ, NULL, OBJ_CASE_INSENSITIVE,
					 "\\Registry\\User\\S-1-22-1-1000"));
	NtClose(h);
	NtClose(other);
}

static LARGE_INTEGER zero_timeout;

static NTSTATUS watch(HANDLE key, HANDLE ev, IO_STATUS_BLOCK *iosb, ULONG filter,
		      BOOLEAN tree)
{
	return NtNotifyChangeKey(key, ev, NULL, NULL, iosb, filter, tree, NULL, 0, TRUE);
}

/* After Wine's dlls/ntdll/tests/reg.c test_notify. */
TEST_F(registry, notify_event_filters_and_tree)
{
	IO_STATUS_BLOCK iosb, iosb2;
	HANDLE ev, ev2, c, k, q, r;
	ULONG dw = 1;

	/* auto-reset and set: the call resets it */
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
						    SynchronizationEvent, 1));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, self->h, "child", 0, NULL));
	iosb.Status = 0x1234;
	ASSERT_STATUS(STATUS_PENDING, watch(self->h, ev, &iosb, REG_NOTIFY_CHANGE_NAME, 0));
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, 0, &zero_timeout));
	/* a value is not a name change; a child's subkey is not ours */
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "v", REG_DWORD, &dw, 4));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&k, c, "grandchild", 0, NULL));
	NtClose(k);
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, 0, &zero_timeout));
	EXPECT_EQ(0x1234, iosb.Status);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&k, self->h, "new", 0, NULL));
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, 0, &zero_timeout));
	EXPECT_EQ(STATUS_NOTIFY_ENUM_DIR, iosb.Status);
	EXPECT_EQ(0, iosb.Information);
	/* one shot */
	ASSERT_STATUS(STATUS_SUCCESS, NtDeleteKey(k));
	NtClose(k);
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, 0, &zero_timeout));

	/*
	 * A handle's first call fixes its notify block's filter and
	 * WatchTree, later ones through it share them (XP; Wine test_notify):
	 * other filters need other handles. LAST_SET with WatchTree: a value
	 * set two levels down.
	 */
	ASSERT_STATUS(STATUS_SUCCESS, op(&q, KEY_NOTIFY, self->h, 0, ""));
	ASSERT_STATUS(STATUS_PENDING, watch(q, ev, &iosb, REG_NOTIFY_CHANGE_LAST_SET, 1));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, KEY_ALL_ACCESS, c, 0, "grandchild"));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "deep", REG_DWORD, &dw, 4));
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, 0, &zero_timeout));
	NtClose(q);
	/* without WatchTree it does not reach up */
	ASSERT_STATUS(STATUS_SUCCESS, op(&q, KEY_NOTIFY, self->h, 0, ""));
	ASSERT_STATUS(STATUS_PENDING, watch(q, ev, &iosb, REG_NOTIFY_CHANGE_LAST_SET, 0));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "deep", REG_DWORD, &dw, 4));
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, 0, &zero_timeout));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "v", REG_DWORD, &dw, 4));
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, 0, &zero_timeout));
	/* a second call through that handle, while one waits, shares its filter */
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev2, EVENT_ALL_ACCESS, NULL,
						    SynchronizationEvent, 0));
	ASSERT_STATUS(STATUS_PENDING, watch(q, ev, &iosb, REG_NOTIFY_CHANGE_LAST_SET, 0));
	ASSERT_STATUS(STATUS_PENDING, watch(q, ev2, &iosb2, REG_NOTIFY_CHANGE_NAME, 1));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&r, self->h, "name-change", 0, NULL));
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev2, 0, &zero_timeout));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(self->h, "v", REG_DWORD, &dw, 4));
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, 0, &zero_timeout));
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev2, 0, &zero_timeout));
	EXPECT_EQ(STATUS_NOTIFY_ENUM_DIR, iosb2.Status);
	NtClose(ev2);
	NtDeleteKey(r);
	NtClose(r);
	NtClose(q);
	NtClose(k);

	/* filter 0 watches nothing: a subkey's deletion leaves it pending... */
	ASSERT_STATUS(STATUS_PENDING, watch(c, ev, &iosb, 0, 0));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, KEY_ALL_ACCESS, c, 0, "grandchild"));
	ASSERT_STATUS(STATUS_SUCCESS, NtDeleteKey(k));
	NtClose(k);
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, 0, &zero_timeout));

	/* ...and so does a name change to a post that joined its block */
	ASSERT_STATUS(STATUS_PENDING, watch(c, ev, &iosb, REG_NOTIFY_CHANGE_NAME, 0));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&k, c, "grandchild2", 0, NULL));
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, 0, &zero_timeout));
	NtDeleteKey(k);
	NtClose(k);
	/* the last handle's close ends them all: STATUS_NOTIFY_CLEANUP */
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(c));
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, 0, &zero_timeout));
	EXPECT_EQ(STATUS_NOTIFY_CLEANUP, iosb.Status);

	/* parameters and rights */
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, watch(self->h, ev, &iosb, 0x10, 0));
	/* completion APCs and slave keys: registry_svc.c */
	ASSERT_STATUS(STATUS_SUCCESS, op(&q, KEY_QUERY_VALUE, self->h, 0, ""));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, watch(q, ev, &iosb, REG_NOTIFY_CHANGE_NAME, 0));
	NtClose(q);
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      NtNotifyChangeMultipleKeys(self->h, 2, NULL, ev, NULL, NULL, &iosb,
						 REG_NOTIFY_CHANGE_NAME, 0, NULL, 0, TRUE));
	ASSERT_STATUS(STATUS_PENDING,
		      NtNotifyChangeMultipleKeys(self->h, 0, NULL, ev, NULL, NULL, &iosb,
						 REG_NOTIFY_CHANGE_NAME, 0, NULL, 0, TRUE));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&k, self->h, "new2", 0, NULL));
	NtClose(k);
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, 0, &zero_timeout));
	NtClose(ev);
}

static void *set_later(void *arg)
{
	ULONG dw = 2;

	usleep(100 * 1000);
	return (void *)(uintptr_t)reg_set((HANDLE)arg, "later", REG_DWORD, &dw, 4);
}

TEST_F(registry, notify_synchronous_waits)
{
	IO_STATUS_BLOCK iosb = { .Status = 0x1234 };
	pthread_t t;
	void *ret;

	ASSERT_EQ(0, pthread_create(&t, NULL, set_later, self->h));
	EXPECT_STATUS(STATUS_NOTIFY_ENUM_DIR,
		      NtNotifyChangeKey(self->h, NULL, NULL, NULL, &iosb,
					REG_NOTIFY_CHANGE_LAST_SET, 0, NULL, 0, FALSE));
	EXPECT_EQ(STATUS_NOTIFY_ENUM_DIR, iosb.Status);
	ASSERT_EQ(0, pthread_join(t, &ret));
	EXPECT_EQ(0, (uintptr_t)ret);
}

/* What an XP program reads at start, there for everyone (docs/registry.md). */
TEST_F(registry, seed_content)
{
	union { KEY_VALUE_PARTIAL_INFORMATION p; UCHAR raw[128]; } u;
	ULONG len;
	HANDLE h;

	NT_AS_USER(variant->gate) {
		ASSERT_STATUS(STATUS_SUCCESS,
			      op(&h, KEY_READ, NULL, OBJ_CASE_INSENSITIVE,
				 "\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion"));
		ASSERT_STATUS(STATUS_SUCCESS,
			      reg_query(h, "CurrentVersion", KeyValuePartialInformation,
					&u, sizeof(u), &len));
		EXPECT_EQ(REG_SZ, u.p.Type);
		EXPECT_EQ(8, u.p.DataLength);
		EXPECT_EQ(0, memcmp(u.p.Data, u"5.1", 8));
		ASSERT_STATUS(STATUS_SUCCESS,
			      reg_query(h, "CurrentBuildNumber", KeyValuePartialInformation,
					&u, sizeof(u), &len));
		EXPECT_EQ(0, memcmp(u.p.Data, u"2600", 10));
		ASSERT_STATUS(STATUS_SUCCESS, reg_query(h, "CSDVersion", KeyValuePartialInformation,
							&u, sizeof(u), &len));
		EXPECT_EQ(30, u.p.DataLength);
		EXPECT_EQ(0, memcmp(u.p.Data, u"Service Pack 3", 30));
		NtClose(h);
	}
}

/*
 * NtSaveKey writes a REGF hive: checked here for its frame (signature,
 * base block checksum, the hbin, the root nk cell); scripts/tests/regf-hivex
 * has hivexregedit read this same file (/tmp/ntp-save.hiv) back.
 */
TEST_F(registry, save_key_writes_regf)
{
	static const char multi[] = "a\0bc\0";
	static UCHAR big[10000], file[65536];
	IO_STATUS_BLOCK iosb;
	struct reg_name r;
	HANDLE f, k, c, v;
	ULONG dw = 0x01020304, sum = 0, i;
	UNICODE_STRING cls;
	WCHAR cb[8];
	int fd;
	ssize_t n;

	for (i = 0; i < sizeof(big); i++)
		big[i] = i * 7;
	ASSERT_STATUS(STATUS_SUCCESS, mk(&k, self->h, "save", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "", REG_SZ, u"default", 16));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "dword", REG_DWORD, &dw, 4));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "big", REG_BINARY, big, sizeof(big)));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "multi", REG_MULTI_SZ, u"a\0bc\0", 12));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateKey(&c, KEY_ALL_ACCESS, reg_path(&r, k, 0, "Child"), 0,
				  reg_ustr(&cls, cb, "cls"), 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(c, "s", REG_SZ, u"text", 10));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&v, k, "Gone", REG_OPTION_VOLATILE, NULL));
	NtClose(v);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&v, c, "Grand", 0, NULL));
	NtClose(v);
	NtClose(c);
	(void)multi;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateFile(&f, GENERIC_WRITE | SYNCHRONIZE,
				   reg_path(&r, NULL, OBJ_CASE_INSENSITIVE,
					    "\\??\\C:\\tmp\\ntp-save.hiv"),
				   &iosb, NULL, 0x80, 0, FILE_OVERWRITE_IF,
				   FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
				   NULL, 0));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, NtSaveKeyEx(k, f, 3));
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, NtSaveKey(k, k));
	ASSERT_STATUS(STATUS_SUCCESS, NtSaveKey(k, f));
	NT_AS_USER(variant->gate) {
		/* SeBackupPrivilege: CAP_DAC_READ_SEARCH */
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD, NtSaveKey(NULL, NULL));
	}
	NtClose(f);
	NtClose(k);

	fd = open("/tmp/ntp-save.hiv", O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, file, sizeof(file));
	close(fd);
	ASSERT_LE(0x2000, n);
	EXPECT_EQ(0, n % 4096);
	EXPECT_EQ(0, memcmp(file, "regf", 4));
	for (i = 0; i < 0x1fc; i += 4)
		sum ^= *(ULONG *)(file + i);
	EXPECT_EQ(sum, *(ULONG *)(file + 0x1fc));
	EXPECT_EQ(1, *(ULONG *)(file + 0x14));
	EXPECT_EQ(3, *(ULONG *)(file + 0x18));
	EXPECT_EQ(n - 0x1000, *(ULONG *)(file + 0x28));
	EXPECT_EQ(0, memcmp(file + 0x1000, "hbin", 4));
	i = *(ULONG *)(file + 0x24);
	ASSERT_GT(n - 0x1000 - 0x50, i);
	EXPECT_EQ(0, memcmp(file + 0x1000 + i + 4, "nk", 2));
	EXPECT_EQ(0, memcmp(file + 0x1000 + i + 4 + 0x4c, "save", 4));
	EXPECT_EQ(1, *(ULONG *)(file + 0x1000 + i + 4 + 0x14));	/* Gone not saved */
	EXPECT_EQ(4, *(ULONG *)(file + 0x1000 + i + 4 + 0x24));
}

static int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ok = fd >= 0 && write(fd, buf, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* Save a key, mount the file elsewhere with NtLoadKey, read it back. */
TEST_F(registry, load_key_round_trip)
{
	union { KEY_VALUE_PARTIAL_INFORMATION p; KEY_NODE_INFORMATION n;
		UCHAR raw[20000]; } u;
	static UCHAR big[10000], file[65536];
	char target[96];
	IO_STATUS_BLOCK iosb;
	UNICODE_STRING cls;
	HANDLE k, c, f, h;
	ULONG dw = 0xfeedface, len, i;
	struct reg_name r;
	WCHAR cb[8];
	ssize_t n;
	int fd;

	for (i = 0; i < sizeof(big); i++)
		big[i] = i * 13;
	ASSERT_STATUS(STATUS_SUCCESS, mk(&k, self->h, "src", 0, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "dw", REG_DWORD, &dw, 4));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "big", REG_BINARY, big, sizeof(big)));
	ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "", REG_SZ, u"d", 4));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateKey(&c, KEY_ALL_ACCESS, reg_path(&r, k, 0, "Kid"), 0,
				  reg_ustr(&cls, cb, "cls"), 0, NULL));
	NtClose(c);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, k, "Kid\\Deeper", 0, NULL));
	NtClose(c);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateFile(&f, GENERIC_WRITE | SYNCHRONIZE,
				   reg_path(&r, NULL, OBJ_CASE_INSENSITIVE,
					    "\\??\\C:\\tmp\\ntp-load.hiv"),
				   &iosb, NULL, 0x80, 0, FILE_OVERWRITE_IF,
				   FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
				   NULL, 0));
	ASSERT_STATUS(STATUS_SUCCESS, NtSaveKey(k, f));
	NtClose(f);
	NtClose(k);

	snprintf(target, sizeof(target), "\\Registry\\Machine\\ntp-load-%d", getpid());
	ASSERT_STATUS(STATUS_SUCCESS, reg_load(target, "\\tmp\\ntp-load.hiv"));
	EXPECT_STATUS(STATUS_OBJECT_NAME_COLLISION, reg_load(target, "\\tmp\\ntp-load.hiv"));
	ASSERT_STATUS(STATUS_SUCCESS, op(&h, KEY_READ, NULL, OBJ_CASE_INSENSITIVE, target));
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(h, "dw", KeyValuePartialInformation, &u,
						sizeof(u), &len));
	EXPECT_EQ(REG_DWORD, u.p.Type);
	EXPECT_EQ(dw, *(ULONG *)u.p.Data);
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(h, "big", KeyValuePartialInformation, &u,
						sizeof(u), &len));
	EXPECT_EQ(sizeof(big), u.p.DataLength);
	EXPECT_EQ(0, memcmp(u.p.Data, big, sizeof(big)));
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(h, "", KeyValuePartialInformation, &u,
						sizeof(u), &len));
	EXPECT_EQ(0, memcmp(u.p.Data, u"d", 4));
	ASSERT_STATUS(STATUS_SUCCESS, op(&c, KEY_READ, h, 0, "kid\\deeper"));
	NtClose(c);
	ASSERT_STATUS(STATUS_SUCCESS, op(&c, KEY_READ, h, 0, "Kid"));
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryKey(c, KeyNodeInformation, &u, sizeof(u), &len));
	EXPECT_EQ(6, u.n.ClassLength);
	EXPECT_EQ(6, u.n.NameLength);
	EXPECT_EQ(0, memcmp(u.raw + u.n.ClassOffset, u"cls", 6));
	/* a hive with open keys stays */
	EXPECT_STATUS(STATUS_CANNOT_DELETE, reg_unload(target));
	NtClose(c);
	NtClose(h);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(target));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      op(&h, KEY_READ, NULL, OBJ_CASE_INSENSITIVE, target));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, reg_unload(target));
	/* only directly below MACHINE or USER; only loaded hives unload */
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, reg_load("\\Registry\\Machine\\a\\b",
							 "\\tmp\\ntp-load.hiv"));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, reg_unload("\\Registry\\Machine\\SOFTWARE"));
	/* not a hive, a torn one */
	fd = open("/tmp/ntp-load.hiv", O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, file, sizeof(file));
	close(fd);
	ASSERT_LE(0x2000, n);
	ASSERT_EQ(0, write_file("/tmp/ntp-junk.hiv", "hello, world", 12));
	EXPECT_STATUS(STATUS_NOT_REGISTRY_FILE, reg_load(target, "\\tmp\\ntp-junk.hiv"));
	file[0x10] ^= 1;	/* the checksum no longer matches */
	ASSERT_EQ(0, write_file("/tmp/ntp-junk.hiv", file, n));
	EXPECT_STATUS(STATUS_NOT_REGISTRY_FILE, reg_load(target, "\\tmp\\ntp-junk.hiv"));
	file[0x10] ^= 1;
	i = *(ULONG *)(file + 0x24);
	file[0x1000 + i + 4] = 'x';	/* the root is no nk cell */
	ASSERT_EQ(0, write_file("/tmp/ntp-junk.hiv", file, n));
	EXPECT_STATUS(STATUS_REGISTRY_CORRUPT, reg_load(target, "\\tmp\\ntp-junk.hiv"));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      op(&h, KEY_READ, NULL, OBJ_CASE_INSENSITIVE, target));
	NT_AS_USER(variant->gate) {
		/* SeRestorePrivilege: CAP_SYS_ADMIN */
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD, reg_load(target, "\\tmp\\ntp-load.hiv"));
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD, reg_unload(target));
	}
}

/*
 * A hive written by hivex (scripts/tests/regf-hivex passes it in as
 * /ntp-hivex.hiv after hivexsh -w added a key and values to one this
 * module saved); skipped when run without it.
 */
TEST_F(registry, load_hive_written_by_hivex)
{
	union { KEY_VALUE_PARTIAL_INFORMATION p; UCHAR raw[256]; } u;
	ULONG len;
	HANDLE h;

	if (access("/ntp-hivex.hiv", R_OK))
		SKIP(return, "no /ntp-hivex.hiv (scripts/tests/regf-hivex passes it)");
	ASSERT_STATUS(STATUS_SUCCESS, reg_load("\\Registry\\Machine\\ntp-hivex", "\\ntp-hivex.hiv"));
	ASSERT_STATUS(STATUS_SUCCESS, op(&h, KEY_READ, NULL, OBJ_CASE_INSENSITIVE,
					 "\\Registry\\Machine\\ntp-hivex\\FromHivex"));
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(h, "answer", KeyValuePartialInformation, &u,
						sizeof(u), &len));
	EXPECT_EQ(REG_DWORD, u.p.Type);
	EXPECT_EQ(42, *(ULONG *)u.p.Data);
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(h, "greeting", KeyValuePartialInformation, &u,
						sizeof(u), &len));
	EXPECT_EQ(REG_SZ, u.p.Type);
	EXPECT_EQ(0, memcmp(u.p.Data, u"hello", 10));
	NtClose(h);
	EXPECT_STATUS(STATUS_SUCCESS, reg_unload("\\Registry\\Machine\\ntp-hivex"));
}

/*
 * Persistence across a module reload, in two phases that
 * scripts/tests/registry-persist runs around rmmod and insmod
 * (NTP_REG_PERSIST=write, then =check); skipped otherwise.
 */
TEST_F(registry, persist_phase)
{
	union { KEY_VALUE_PARTIAL_INFORMATION p; UCHAR raw[128]; } u;
	const char *phase = getenv("NTP_REG_PERSIST");
	ULONG dw = 1234, len;
	HANDLE k, v;

	if (!phase)
		SKIP(return, "NTP_REG_PERSIST not set (scripts/tests/registry-persist)");
	if (!strcmp(phase, "write")) {
		ASSERT_STATUS(STATUS_SUCCESS, mk(&k, NULL, "\\Registry\\Machine\\ntp-persist",
						 0, NULL));
		ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "v", REG_DWORD, &dw, 4));
		ASSERT_STATUS(STATUS_SUCCESS, mk(&v, k, "vol", REG_OPTION_VOLATILE, NULL));
		ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(v));
		ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
		EXPECT_EQ(0, access("/var/lib/ntpersonality/machine.hiv", R_OK));
		NtClose(v);
		NtClose(k);
		return;
	}
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, KEY_READ, NULL, OBJ_CASE_INSENSITIVE,
					 "\\Registry\\Machine\\ntp-persist"));
	ASSERT_STATUS(STATUS_SUCCESS, reg_query(k, "v", KeyValuePartialInformation, &u,
						sizeof(u), &len));
	EXPECT_EQ(REG_DWORD, u.p.Type);
	EXPECT_EQ(1234, *(ULONG *)u.p.Data);
	/* volatile keys are gone, the seed came back from the file */
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&v, KEY_READ, k, 0, "vol"));
	NtClose(k);
	ASSERT_STATUS(STATUS_SUCCESS,
		      op(&k, KEY_READ, NULL, OBJ_CASE_INSENSITIVE,
			 "\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion"));
	EXPECT_STATUS(STATUS_SUCCESS, reg_query(k, "CSDVersion", KeyValuePartialInformation, &u,
						sizeof(u), &len));
	NtClose(k);
	/* the volatile HARDWARE key is made again at every load */
	EXPECT_STATUS(STATUS_SUCCESS,
		      op(&k, KEY_READ, NULL, OBJ_CASE_INSENSITIVE, "\\Registry\\Machine\\HARDWARE"));
	NtClose(k);
}

TEST_HARNESS_MAIN
