// SPDX-License-Identifier: GPL-2.0
/*
 * Rtl helpers of libntdll: counted strings, UTF-8 <-> UTF-16 conversion,
 * NTSTATUS -> Win32 error, DOS -> NT path names. Pure user-space code, no
 * system calls except getcwd(). Semantics follow XP's ntdll as documented
 * in <ntdll.h>; behaviour was learnt from the Windows documentation and
 * ReactOS's rtl/unicode.c and rtl/path.c (no code taken). Built into
 * both libntdll.a and ntdll.dll (ntdll_private.h says what differs).
 */
#include <stdint.h>
#ifndef NTDLL_PE
#include <unistd.h>
#endif
#include "ntdll_private.h"
#include <nt/kuser.h>

#define MAX_USTRING_BYTES	0xfffe	/* largest even USHORT */

static size_t wstrlen(const WCHAR *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

void NTAPI RtlInitUnicodeString(UNICODE_STRING *dst, const WCHAR *src)
{
	size_t bytes;

	dst->Buffer = (WCHAR *)src;
	if (!src) {
		dst->Length = 0;
		dst->MaximumLength = 0;
		return;
	}
	bytes = wstrlen(src) * sizeof(WCHAR);
	if (bytes > MAX_USTRING_BYTES - sizeof(WCHAR))
		bytes = MAX_USTRING_BYTES - sizeof(WCHAR);
	dst->Length = bytes;
	dst->MaximumLength = bytes + sizeof(WCHAR);
}

void NTAPI RtlInitString(STRING *dst, const char *src)
{
	RtlInitAnsiString(dst, src);
}

void NTAPI RtlInitAnsiString(ANSI_STRING *dst, const char *src)
{
	size_t bytes;

	dst->Buffer = (char *)src;
	if (!src) {
		dst->Length = 0;
		dst->MaximumLength = 0;
		return;
	}
	bytes = strlen(src);
	if (bytes > 0xfffe)
		bytes = 0xfffe;
	dst->Length = bytes;
	dst->MaximumLength = bytes + 1;
}

BOOLEAN NTAPI RtlCreateUnicodeString(UNICODE_STRING *dst, const WCHAR *src)
{
	size_t bytes = (wstrlen(src) + 1) * sizeof(WCHAR);

	if (bytes > MAX_USTRING_BYTES)
		return FALSE;
	dst->Buffer = ntdll_alloc(bytes);
	if (!dst->Buffer)
		return FALSE;
	memcpy(dst->Buffer, src, bytes);
	dst->Length = bytes - sizeof(WCHAR);
	dst->MaximumLength = bytes;
	return TRUE;
}

/*
 * One code point from UTF-8 s[0..n): its value and *used bytes. Overlong
 * forms, surrogates, values above U+10FFFF and truncated or stray bytes
 * decode as U+FFFD, consuming one byte.
 */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *used)
{
	uint32_t c = s[0], cp, min;
	size_t len, i;

	if (c < 0x80) {
		*used = 1;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		goto bad;
	}
	if (len > n)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		goto bad;
	*used = len;
	return cp;
bad:
	*used = 1;
	return 0xfffd;
}

/* Convert UTF-8 to UTF-16 into dst (may be NULL: count only); units. */
static size_t utf8_to_utf16(WCHAR *dst, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, out = 0, used;
	uint32_t cp;

	while (i < n) {
		cp = utf8_next(s + i, n - i, &used);
		i += used;
		if (cp >= 0x10000) {
			if (dst) {
				cp -= 0x10000;
				dst[out] = 0xd800 | (cp >> 10);
				dst[out + 1] = 0xdc00 | (cp & 0x3ff);
			}
			out += 2;
		} else {
			if (dst)
				dst[out] = cp;
			out++;
		}
	}
	return out;
}

/* One code point from UTF-16 s[0..n); unpaired surrogates are U+FFFD. */
static uint32_t utf16_next(const WCHAR *s, size_t n, size_t *used)
{
	uint32_t c = s[0];

	*used = 1;
	if (c >= 0xd800 && c <= 0xdbff && n > 1 &&
	    s[1] >= 0xdc00 && s[1] <= 0xdfff) {
		*used = 2;
		return 0x10000 + ((c - 0xd800) << 10) + (s[1] - 0xdc00);
	}
	if (c >= 0xd800 && c <= 0xdfff)
		return 0xfffd;
	return c;
}

static size_t utf8_len(uint32_t cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

static void utf8_put(unsigned char *d, uint32_t cp)
{
	switch (utf8_len(cp)) {
	case 1:
		d[0] = cp;
		break;
	case 2:
		d[0] = 0xc0 | cp >> 6;
		d[1] = 0x80 | (cp & 0x3f);
		break;
	case 3:
		d[0] = 0xe0 | cp >> 12;
		d[1] = 0x80 | ((cp >> 6) & 0x3f);
		d[2] = 0x80 | (cp & 0x3f);
		break;
	default:
		d[0] = 0xf0 | cp >> 18;
		d[1] = 0x80 | ((cp >> 12) & 0x3f);
		d[2] = 0x80 | ((cp >> 6) & 0x3f);
		d[3] = 0x80 | (cp & 0x3f);
		break;
	}
}

/*
 * Convert UTF-16 to UTF-8, whole characters only, at most max bytes into
 * dst (NULL: count only). Returns the bytes written (or needed).
 */
static size_t utf16_to_utf8(char *dst, size_t max, const WCHAR *src, size_t n)
{
	size_t i = 0, out = 0, used, len;
	uint32_t cp;

	while (i < n) {
		cp = utf16_next(src + i, n - i, &used);
		len = utf8_len(cp);
		if (dst && out + len > max)
			break;
		if (dst)
			utf8_put((unsigned char *)dst + out, cp);
		out += len;
		i += used;
	}
	return out;
}

NTSTATUS NTAPI RtlAnsiStringToUnicodeString(UNICODE_STRING *dst,
					    const ANSI_STRING *src,
					    BOOLEAN AllocateDestinationString)
{
	size_t units = utf8_to_utf16(NULL, src->Buffer, src->Length);
	size_t bytes = units * sizeof(WCHAR);

	if (bytes > MAX_USTRING_BYTES - sizeof(WCHAR))
		return STATUS_INVALID_PARAMETER_2;
	if (AllocateDestinationString) {
		dst->Buffer = ntdll_alloc(bytes + sizeof(WCHAR));
		if (!dst->Buffer)
			return STATUS_NO_MEMORY;
		dst->MaximumLength = bytes + sizeof(WCHAR);
	} else if (bytes >= dst->MaximumLength && bytes) {
		return STATUS_BUFFER_OVERFLOW;
	}
	utf8_to_utf16(dst->Buffer, src->Buffer, src->Length);
	dst->Length = bytes;
	if (bytes + sizeof(WCHAR) <= dst->MaximumLength)
		dst->Buffer[units] = 0;
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeStringToAnsiString(ANSI_STRING *dst,
					    const UNICODE_STRING *src,
					    BOOLEAN AllocateDestinationString)
{
	size_t units = src->Length / sizeof(WCHAR);
	size_t bytes = utf16_to_utf8(NULL, 0, src->Buffer, units);
	NTSTATUS status = STATUS_SUCCESS;
	size_t room;

	if (bytes > 0xfffe)
		return STATUS_INVALID_PARAMETER_2;
	if (AllocateDestinationString) {
		dst->Buffer = ntdll_alloc(bytes + 1);
		if (!dst->Buffer)
			return STATUS_NO_MEMORY;
		dst->MaximumLength = bytes + 1;
	} else if (bytes >= dst->MaximumLength) {
		/* XP converts what fits and reports the overflow. */
		if (!dst->MaximumLength)
			return STATUS_BUFFER_OVERFLOW;
		status = STATUS_BUFFER_OVERFLOW;
	}
	room = dst->MaximumLength - 1;
	dst->Length = utf16_to_utf8(dst->Buffer, room, src->Buffer, units);
	dst->Buffer[dst->Length] = 0;
	return status;
}

BOOLEAN NTAPI RtlCreateUnicodeStringFromAsciiz(UNICODE_STRING *dst,
					       const char *src)
{
	ANSI_STRING a;

	RtlInitAnsiString(&a, src);
	return NT_SUCCESS(RtlAnsiStringToUnicodeString(dst, &a, TRUE));
}

void NTAPI RtlFreeUnicodeString(UNICODE_STRING *str)
{
	ntdll_free(str->Buffer);
	str->Buffer = NULL;
	str->Length = 0;
	str->MaximumLength = 0;
}

void NTAPI RtlFreeAnsiString(ANSI_STRING *str)
{
	ntdll_free(str->Buffer);
	str->Buffer = NULL;
	str->Length = 0;
	str->MaximumLength = 0;
}

void NTAPI RtlCopyUnicodeString(UNICODE_STRING *dst, const UNICODE_STRING *src)
{
	size_t n;

	if (!src) {
		dst->Length = 0;
		return;
	}
	n = src->Length < dst->MaximumLength ? src->Length : dst->MaximumLength;
	n &= ~(size_t)1;
	memmove(dst->Buffer, src->Buffer, n);
	dst->Length = n;
	if (n + sizeof(WCHAR) <= dst->MaximumLength)
		dst->Buffer[n / sizeof(WCHAR)] = 0;
}

NTSTATUS NTAPI RtlAppendUnicodeStringToString(UNICODE_STRING *dst,
					      const UNICODE_STRING *src)
{
	size_t len = dst->Length + src->Length;

	if (!src->Length)
		return STATUS_SUCCESS;
	if (len > dst->MaximumLength)
		return STATUS_BUFFER_TOO_SMALL;
	memmove((char *)dst->Buffer + dst->Length, src->Buffer, src->Length);
	dst->Length = len;
	if (len + sizeof(WCHAR) <= dst->MaximumLength)
		dst->Buffer[len / sizeof(WCHAR)] = 0;
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlAppendUnicodeToString(UNICODE_STRING *dst, const WCHAR *src)
{
	UNICODE_STRING s;

	if (!src)
		return STATUS_SUCCESS;
	RtlInitUnicodeString(&s, src);
	return RtlAppendUnicodeStringToString(dst, &s);
}

WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR c)
{
	if (c >= 'a' && c <= 'z')
		return c - ('a' - 'A');
	if (c >= 0xe0 && c <= 0xfe && c != 0xf7)
		return c - 0x20;
	if (c == 0xff)
		return 0x178;
	return c;
}

WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR c)
{
	if (c >= 'A' && c <= 'Z')
		return c + ('a' - 'A');
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 0x20;
	if (c == 0x178)
		return 0xff;
	return c;
}

NTSTATUS NTAPI RtlUpcaseUnicodeString(UNICODE_STRING *dst,
				      const UNICODE_STRING *src,
				      BOOLEAN AllocateDestinationString)
{
	size_t i, n = src->Length / sizeof(WCHAR);

	if (AllocateDestinationString) {
		dst->Buffer = ntdll_alloc(src->Length + sizeof(WCHAR));
		if (!dst->Buffer)
			return STATUS_NO_MEMORY;
		dst->MaximumLength = src->Length + sizeof(WCHAR);
	} else if (src->Length > dst->MaximumLength) {
		return STATUS_BUFFER_OVERFLOW;
	}
	for (i = 0; i < n; i++)
		dst->Buffer[i] = RtlUpcaseUnicodeChar(src->Buffer[i]);
	dst->Length = src->Length;
	return STATUS_SUCCESS;
}

LONG NTAPI RtlCompareUnicodeString(const UNICODE_STRING *a,
				   const UNICODE_STRING *b,
				   BOOLEAN CaseInSensitive)
{
	size_t na = a->Length / sizeof(WCHAR), nb = b->Length / sizeof(WCHAR);
	size_t i, n = na < nb ? na : nb;
	WCHAR ca, cb;

	for (i = 0; i < n; i++) {
		ca = a->Buffer[i];
		cb = b->Buffer[i];
		if (CaseInSensitive) {
			ca = RtlUpcaseUnicodeChar(ca);
			cb = RtlUpcaseUnicodeChar(cb);
		}
		if (ca != cb)
			return (LONG)ca - (LONG)cb;
	}
	return (LONG)a->Length - (LONG)b->Length;
}

BOOLEAN NTAPI RtlEqualUnicodeString(const UNICODE_STRING *a,
				    const UNICODE_STRING *b,
				    BOOLEAN CaseInSensitive)
{
	if (a->Length != b->Length)
		return FALSE;
	return RtlCompareUnicodeString(a, b, CaseInSensitive) == 0;
}

SIZE_T NTAPI RtlCompareMemory(const void *a, const void *b, SIZE_T length)
{
	const unsigned char *pa = a, *pb = b;
	SIZE_T i;

	for (i = 0; i < length && pa[i] == pb[i]; i++)
		;
	return i;
}

static const struct {
	NTSTATUS status;
	ULONG error;
} dos_errors[] = {
	{ STATUS_SUCCESS,			0 },	/* ERROR_SUCCESS */
	{ STATUS_PENDING,			997 },	/* ERROR_IO_PENDING */
	{ STATUS_OBJECT_NAME_EXISTS,		183 },	/* ERROR_ALREADY_EXISTS */
	{ STATUS_BUFFER_OVERFLOW,		234 },	/* ERROR_MORE_DATA */
	{ STATUS_NO_MORE_FILES,			18 },	/* ERROR_NO_MORE_FILES */
	{ STATUS_NO_MORE_ENTRIES,		259 },	/* ERROR_NO_MORE_ITEMS */
	{ STATUS_DATATYPE_MISALIGNMENT,		998 },	/* ERROR_NOACCESS */
	{ STATUS_UNSUCCESSFUL,			31 },	/* ERROR_GEN_FAILURE */
	{ STATUS_NOT_IMPLEMENTED,		1 },	/* ERROR_INVALID_FUNCTION */
	{ STATUS_INVALID_INFO_CLASS,		87 },	/* ERROR_INVALID_PARAMETER */
	{ STATUS_INFO_LENGTH_MISMATCH,		24 },	/* ERROR_BAD_LENGTH */
	{ STATUS_ACCESS_VIOLATION,		998 },	/* ERROR_NOACCESS */
	{ STATUS_INVALID_HANDLE,		6 },	/* ERROR_INVALID_HANDLE */
	{ STATUS_INVALID_CID,			87 },
	{ STATUS_INVALID_PARAMETER,		87 },
	{ STATUS_NO_SUCH_DEVICE,		2 },	/* ERROR_FILE_NOT_FOUND */
	{ STATUS_NO_SUCH_FILE,			2 },
	{ STATUS_INVALID_DEVICE_REQUEST,	1 },
	{ STATUS_END_OF_FILE,			38 },	/* ERROR_HANDLE_EOF */
	{ STATUS_NO_MEMORY,			8 },	/* ERROR_NOT_ENOUGH_MEMORY */
	{ STATUS_CONFLICTING_ADDRESSES,		487 },	/* ERROR_INVALID_ADDRESS */
	{ STATUS_NOT_MAPPED_VIEW,		487 },
	{ STATUS_INVALID_SYSTEM_SERVICE,	1 },
	{ STATUS_ACCESS_DENIED,			5 },	/* ERROR_ACCESS_DENIED */
	{ STATUS_BUFFER_TOO_SMALL,		122 },	/* ERROR_INSUFFICIENT_BUFFER */
	{ STATUS_OBJECT_TYPE_MISMATCH,		6 },
	{ STATUS_NOT_COMMITTED,			487 },
	{ STATUS_INVALID_PARAMETER_MIX,		87 },
	{ STATUS_OBJECT_NAME_INVALID,		123 },	/* ERROR_INVALID_NAME */
	{ STATUS_OBJECT_NAME_NOT_FOUND,		2 },
	{ STATUS_OBJECT_NAME_COLLISION,		183 },
	{ STATUS_OBJECT_PATH_INVALID,		161 },	/* ERROR_BAD_PATHNAME */
	{ STATUS_OBJECT_PATH_NOT_FOUND,		3 },	/* ERROR_PATH_NOT_FOUND */
	{ STATUS_OBJECT_PATH_SYNTAX_BAD,	161 },
	{ STATUS_SHARING_VIOLATION,		32 },	/* ERROR_SHARING_VIOLATION */
	{ STATUS_MUTANT_NOT_OWNED,		288 },	/* ERROR_NOT_OWNER */
	{ STATUS_SEMAPHORE_LIMIT_EXCEEDED,	298 },	/* ERROR_TOO_MANY_POSTS */
	{ STATUS_FILE_LOCK_CONFLICT,		33 },	/* ERROR_LOCK_VIOLATION */
	{ STATUS_LOCK_NOT_GRANTED,		33 },
	{ STATUS_DELETE_PENDING,		5 },
	{ STATUS_PRIVILEGE_NOT_HELD,		1314 },	/* ERROR_PRIVILEGE_NOT_HELD */
	{ STATUS_DISK_FULL,			112 },	/* ERROR_DISK_FULL */
	{ STATUS_INSUFFICIENT_RESOURCES,	1450 },	/* ERROR_NO_SYSTEM_RESOURCES */
	{ STATUS_MEMORY_NOT_ALLOCATED,		487 },
	{ STATUS_FILE_IS_A_DIRECTORY,		5 },
	{ STATUS_NOT_SUPPORTED,			50 },	/* ERROR_NOT_SUPPORTED */
	{ STATUS_DIRECTORY_NOT_EMPTY,		145 },	/* ERROR_DIR_NOT_EMPTY */
	{ STATUS_NOT_A_DIRECTORY,		267 },	/* ERROR_DIRECTORY */
	{ STATUS_NAME_TOO_LONG,			206 },	/* ERROR_FILENAME_EXCED_RANGE */
	{ STATUS_CANCELLED,			995 },	/* ERROR_OPERATION_ABORTED */
	{ STATUS_PIPE_BROKEN,			109 },	/* ERROR_BROKEN_PIPE */
	{ STATUS_IO_DEVICE_ERROR,		1117 },	/* ERROR_IO_DEVICE */
};

ULONG NTAPI RtlNtStatusToDosError(NTSTATUS status)
{
	__u32 s = status;
	size_t i;

	/* A Win32 error wrapped as an NTSTATUS (FACILITY_WIN32 = 7). */
	if ((s & 0x3fff0000) == 0x00070000 && (s >> 30) >= 2)
		return s & 0xffff;
	if (s >= 0xc00000ef && s <= 0xc00000fa)	/* STATUS_INVALID_PARAMETER_n */
		return 87;
	for (i = 0; i < sizeof(dos_errors) / sizeof(dos_errors[0]); i++)
		if (dos_errors[i].status == status)
			return dos_errors[i].error;
	return 317;	/* ERROR_MR_MID_NOT_FOUND */
}

/* A growing NUL-terminated WCHAR buffer for building NT path names. */
struct wbuf {
	WCHAR *p;
	size_t len;
	size_t cap;
	int failed;
};

static void wb_put(struct wbuf *b, const WCHAR *s, size_t n)
{
	WCHAR *p;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;

		p = ntdll_realloc(b->p, cap * sizeof(WCHAR));
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n * sizeof(WCHAR));
	b->len += n;
	b->p[b->len] = 0;
}

static void wb_ascii(struct wbuf *b, const char *s)
{
	WCHAR c;

	for (; *s; s++) {
		c = (unsigned char)*s;
		wb_put(b, &c, 1);
	}
}

static int is_sep(WCHAR c)
{
	return c == '\\' || c == '/';
}

/*
 * Append path s[0..n) to b one component at a time: separators are
 * normalised to one backslash, "." is dropped, ".." removes the previous
 * component but never goes below floor (the root: "\??\C:", ...).
 */
static void wb_path(struct wbuf *b, size_t floor, const WCHAR *s, size_t n)
{
	static const WCHAR bs = '\\';
	size_t i = 0, j;

	while (i < n) {
		for (j = i; j < n && !is_sep(s[j]); j++)
			;
		if (j == i || (j - i == 1 && s[i] == '.')) {
			/* empty or "." */
		} else if (j - i == 2 && s[i] == '.' && s[i + 1] == '.') {
			while (b->len > floor && b->p[b->len - 1] != '\\')
				b->len--;
			if (b->len > floor)
				b->len--;
			if (!b->failed)
				b->p[b->len] = 0;
		} else {
			if (!b->len || b->p[b->len - 1] != '\\')
				wb_put(b, &bs, 1);
			wb_put(b, s + i, j - i);
		}
		i = j + 1;
	}
	if ((n && is_sep(s[n - 1])) || b->len == floor)
		if (!b->len || b->p[b->len - 1] != '\\')
			wb_put(b, &bs, 1);
}

#ifdef NTDLL_PE
/*
 * ntdll.dll: the process's current directory is
 * ProcessParameters->CurrentDirectory.DosPath (C:\dir\, or Z:\dir\
 * for a directory outside C:, module/ps/params.c), without its drive.
 */
static size_t wb_cwd(struct wbuf *b)
{
	RTL_USER_PROCESS_PARAMETERS *pp = NtCurrentPeb()->ProcessParameters;
	const UNICODE_STRING *d = pp ? &pp->CurrentDirectory.DosPath : NULL;
	size_t floor;

	if (!d || d->Length < 3 * sizeof(WCHAR) || d->Buffer[1] != ':') {
		b->failed = 1;
		return 0;
	}
	if (d->Buffer[0] == 'Z' || d->Buffer[0] == 'z') {
		wb_ascii(b, "\\??\\unix");
	} else {
		wb_ascii(b, "\\??\\");
		wb_put(b, d->Buffer, 2);
	}
	floor = b->len;
	wb_path(b, floor, d->Buffer + 2, d->Length / sizeof(WCHAR) - 2);
	if (b->len > floor && b->p[b->len - 1] == '\\')
		b->p[--b->len] = 0;
	return floor;
}
#else
/*
 * Append \??\unix and the Linux current directory, UTF-8 decoded, as path
 * components; the length of the root part is returned.
 */
static size_t wb_cwd(struct wbuf *b)
{
	char *cwd = getcwd(NULL, 0);	/* malloc()ed by glibc */
	size_t n, floor;
	WCHAR *w;

	wb_ascii(b, "\\??\\unix");
	floor = b->len;
	if (!cwd) {
		b->failed = 1;
		return floor;
	}
	n = utf8_to_utf16(NULL, cwd, strlen(cwd));
	w = ntdll_alloc((n + 1) * sizeof(WCHAR));
	if (w) {
		utf8_to_utf16(w, cwd, strlen(cwd));
		wb_path(b, floor, w, n);
		/* wb_path ends a bare root with "\": not wanted mid-path */
		if (b->len > floor && b->p[b->len - 1] == '\\')
			b->p[--b->len] = 0;
		ntdll_free(w);
	} else {
		b->failed = 1;
	}
	free(cwd);
	return floor;
}
#endif

BOOLEAN NTAPI RtlDosPathNameToNtPathName_U(const WCHAR *DosName,
					   UNICODE_STRING *NtName,
					   WCHAR **FilePart,
					   void *RelativeName)
{
	struct wbuf b = { NULL, 0, 0, 0 };
	size_t n, floor, i;
	const WCHAR *s = DosName;

	(void)RelativeName;
	if (!s || !s[0])
		return FALSE;
	n = wstrlen(s);

	if (n >= 4 && is_sep(s[0]) && is_sep(s[1]) && s[2] == '?' && s[3] == '\\') {
		/* \\?\X: taken verbatim */
		wb_ascii(&b, "\\??\\");
		wb_put(&b, s + 4, n - 4);
	} else if (n >= 4 && is_sep(s[0]) && is_sep(s[1]) &&
		   (s[2] == '.' || s[2] == '?') && is_sep(s[3])) {
		/* \\.\X: a device name */
		wb_ascii(&b, "\\??");
		wb_path(&b, b.len, s + 3, n - 3);
	} else if (n >= 2 && is_sep(s[0]) && is_sep(s[1])) {
		/* \\server\share */
		wb_ascii(&b, "\\??\\UNC");
		wb_path(&b, b.len, s + 2, n - 2);
	} else if (n >= 2 && s[1] == ':' &&
		   ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))) {
		/* C:\x; C:x (no per-drive directory here) is taken as C:\x */
		wb_ascii(&b, "\\??\\");
		wb_put(&b, s, 2);
		floor = b.len;
		wb_path(&b, floor, s + 2, n - 2);
	} else if (is_sep(s[0])) {
		/* \x: the current drive is the Linux root */
		wb_ascii(&b, "\\??\\unix");
		wb_path(&b, b.len, s, n);
	} else {
		/* relative: against the current directory */
		floor = wb_cwd(&b);
		wb_path(&b, floor, s, n);
	}

	if (b.failed || b.len * sizeof(WCHAR) > MAX_USTRING_BYTES - sizeof(WCHAR)) {
		ntdll_free(b.p);
		return FALSE;
	}
	NtName->Buffer = b.p;
	NtName->Length = b.len * sizeof(WCHAR);
	NtName->MaximumLength = (b.len + 1) * sizeof(WCHAR);
	if (FilePart) {
		for (i = b.len; i > 0 && b.p[i - 1] != '\\'; i--)
			;
		*FilePart = (i < b.len) ? b.p + i : NULL;
	}
	return TRUE;
}

/*
 * XP's ntdll exports NtGetTickCount, but XP's kernel has no such service
 * (NT 4 and 2000 had one): it is computed in user mode from
 * SharedUserData, TickCountLow scaled by TickCountMultiplier (a 8.24
 * fixed-point factor), as kernel32's GetTickCount does.
 */
ULONG NTAPI NtGetTickCount(void)
{
	const volatile KUSER_SHARED_DATA *k =
		(const volatile KUSER_SHARED_DATA *)NT_KUSER_SHARED_DATA;

	return (ULONG)(((uint64_t)k->TickCountLowDeprecated *
			k->TickCountMultiplier) >> 24);
}

ULONG NTAPI RtlGetLastWin32Error(void)
{
	return NtCurrentTeb()->LastErrorValue;
}

void NTAPI RtlSetLastWin32Error(ULONG error)
{
	NtCurrentTeb()->LastErrorValue = error;
}
