/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the registry selftests (registry, registry_svc,
 * reg_persist, reg_hivefile, conf_reg): key paths from ASCII, values by
 * ASCII name, and the removal of a test's subtree.
 */
#ifndef REG_TEST_H
#define REG_TEST_H

#include <stdarg.h>
#include "ob_test.h"

/* An NT name widened from ASCII, and the attributes that carry it. */
struct reg_name {
	WCHAR buf[1024];
	UNICODE_STRING us;
	OBJECT_ATTRIBUTES oa;
};

static inline OBJECT_ATTRIBUTES *__attribute__((format(printf, 4, 5)))
reg_path(struct reg_name *r, HANDLE root, ULONG attr, const char *fmt, ...)
{
	char s[sizeof(r->buf) / sizeof(r->buf[0])];
	va_list ap;
	size_t i, n;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	n = strlen(s);
	for (i = 0; i < n; i++)
		r->buf[i] = (unsigned char)s[i];
	r->us.Length = r->us.MaximumLength = n * 2;
	r->us.Buffer = r->buf;
	return ob_attr(&r->oa, &r->us, attr, root);
}

/* A Linux path as an NT name: \??\C:\... ('/' or '\' separators). */
static inline OBJECT_ATTRIBUTES *reg_file(struct reg_name *r, const char *path)
{
	char s[512];
	size_t i;

	snprintf(s, sizeof(s), "\\??\\C:%s", path);
	for (i = 0; s[i]; i++)
		if (s[i] == '/')
			s[i] = '\\';
	return reg_path(r, NULL, OBJ_CASE_INSENSITIVE, "%s", s);
}

/* NtLoadKey of the file at @path (as reg_file) on the key @key. */
static inline NTSTATUS reg_load(const char *key, const char *path)
{
	struct reg_name t, f;

	return NtLoadKey(reg_path(&t, NULL, OBJ_CASE_INSENSITIVE, "%s", key),
			 reg_file(&f, path));
}

static inline NTSTATUS reg_unload(const char *key)
{
	struct reg_name t;

	return NtUnloadKey(reg_path(&t, NULL, OBJ_CASE_INSENSITIVE, "%s", key));
}

/* @s widened into @buf, which must hold strlen(@s) characters. */
static inline UNICODE_STRING *reg_ustr(UNICODE_STRING *us, WCHAR *buf, const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)s[i];
	us->Length = us->MaximumLength = n * 2;
	us->Buffer = buf;
	return us;
}

static inline NTSTATUS reg_set(HANDLE h, const char *name, ULONG type,
			       const void *data, ULONG size)
{
	UNICODE_STRING us;
	WCHAR b[64];

	return NtSetValueKey(h, reg_ustr(&us, b, name), 0, type, (void *)data, size);
}

static inline NTSTATUS reg_query(HANDLE h, const char *name, ULONG cls, void *buf,
				 ULONG len, ULONG *res)
{
	UNICODE_STRING us;
	WCHAR b[64];

	return NtQueryValueKey(h, reg_ustr(&us, b, name), cls, buf, len, res);
}

static inline NTSTATUS reg_setdw(HANDLE h, const char *name, ULONG dw)
{
	return reg_set(h, name, REG_DWORD, &dw, 4);
}

/* The DWORD value @name of @h, or ~0 when it cannot be read. */
static inline ULONG reg_getdw(HANDLE h, const char *name)
{
	union { KEY_VALUE_PARTIAL_INFORMATION p; UCHAR raw[64]; } u;
	ULONG len;

	if (reg_query(h, name, KeyValuePartialInformation, &u, sizeof(u), &len))
		return ~0u;
	return *(ULONG *)u.p.Data;
}

/* Delete @h's subtree, links not followed; closes @h. */
static inline void reg_rmtree(HANDLE h)
{
	union { KEY_BASIC_INFORMATION b; UCHAR raw[1024]; } u;
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	ULONG len;
	HANDLE c;

	while (!NtEnumerateKey(h, 0, KeyBasicInformation, &u, sizeof(u), &len)) {
		us.Length = us.MaximumLength = u.b.NameLength;
		us.Buffer = u.b.Name;
		ob_attr(&oa, &us, OBJ_CASE_INSENSITIVE | OBJ_OPENLINK, h);
		if (NtOpenKey(&c, KEY_ALL_ACCESS, &oa))
			break;
		reg_rmtree(c);
	}
	NtDeleteKey(h);
	NtClose(h);
}

#endif /* REG_TEST_H */
