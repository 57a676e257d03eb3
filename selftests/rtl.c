// SPDX-License-Identifier: GPL-2.0
/*
 * libntdll's Rtl helpers, pure user space (no NT call is made, so the
 * program never touches the module). Expected values follow Windows'
 * documented behaviour; where XP is quirky the quirk is named, after
 * ReactOS's rtl/unicode.c and Wine's dlls/ntdll/tests/rtlstr.c and
 * path.c.
 */
#include <stdlib.h>
#include <unistd.h>
#include "nt_test.h"

/* us equals the u"" literal want (exact, length included). */
static int ustr_is(const UNICODE_STRING *us, const WCHAR *want)
{
	UNICODE_STRING w;

	RtlInitUnicodeString(&w, want);
	return RtlEqualUnicodeString(us, &w, FALSE);
}

/* For failure messages: a UTF-8 copy (leaked; the test ends anyway). */
static const char *u8(const UNICODE_STRING *us)
{
	ANSI_STRING a;

	if (!NT_SUCCESS(RtlUnicodeStringToAnsiString(&a, us, TRUE)))
		return "?";
	return a.Buffer;
}

TEST(init_unicode_string)
{
	UNICODE_STRING us;

	nt_poison(&us);
	RtlInitUnicodeString(&us, u"abc");
	EXPECT_EQ(6, us.Length);
	EXPECT_EQ(8, us.MaximumLength);
	nt_poison(&us);
	RtlInitUnicodeString(&us, NULL);
	EXPECT_EQ(0, us.Length);
	EXPECT_EQ(0, us.MaximumLength);
	EXPECT_EQ(0u, (uintptr_t)us.Buffer);
}

/* XP clamps to 0xfffc bytes so that MaximumLength still fits a USHORT. */
TEST(init_unicode_string_clamps)
{
	size_t n = 40000;
	WCHAR *s = calloc(n + 1, sizeof(WCHAR));
	UNICODE_STRING us;

	ASSERT_NE(0u, (uintptr_t)s);
	for (size_t i = 0; i < n; i++)
		s[i] = 'x';
	RtlInitUnicodeString(&us, s);
	EXPECT_EQ(0xfffc, us.Length);
	EXPECT_EQ(0xfffe, us.MaximumLength);
	free(s);
}

TEST(init_ansi_string)
{
	ANSI_STRING as;

	RtlInitAnsiString(&as, "hello");
	EXPECT_EQ(5, as.Length);
	EXPECT_EQ(6, as.MaximumLength);
	RtlInitAnsiString(&as, NULL);
	EXPECT_EQ(0, as.Length);
	EXPECT_EQ(0, as.MaximumLength);
}

/* "ANSI" is UTF-8 here: BMP and supplementary characters convert. */
TEST(ansi_to_unicode_utf8)
{
	ANSI_STRING as;
	UNICODE_STRING us;

	RtlInitAnsiString(&as, "h\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e!");
	ASSERT_STATUS(STATUS_SUCCESS, RtlAnsiStringToUnicodeString(&us, &as, TRUE));
	EXPECT_TRUE(ustr_is(&us, u"h\u00e9\u20ac\U0001d11e!")) TH_LOG("got %s", u8(&us));
	EXPECT_EQ(12, us.Length);
	EXPECT_EQ(14, us.MaximumLength);
	EXPECT_EQ(0, us.Buffer[6]);
	RtlFreeUnicodeString(&us);
	EXPECT_EQ(0u, (uintptr_t)us.Buffer);
	EXPECT_EQ(0, us.Length);
	EXPECT_EQ(0, us.MaximumLength);
}

TEST(ansi_to_unicode_invalid_utf8_is_replaced)
{
	ANSI_STRING as;
	UNICODE_STRING us;

	/* stray continuation, overlong '/', truncated 3-byte sequence */
	RtlInitAnsiString(&as, "a\x80" "b\xc0\xaf" "c\xe2\x82");
	ASSERT_STATUS(STATUS_SUCCESS, RtlAnsiStringToUnicodeString(&us, &as, TRUE));
	EXPECT_TRUE(ustr_is(&us, u"a\ufffdb\ufffd\ufffdc\ufffd\ufffd"))
		TH_LOG("got %s", u8(&us));
	RtlFreeUnicodeString(&us);
}

/* Without allocation the result plus nothing must fit: else no change. */
TEST(ansi_to_unicode_buffer_overflow)
{
	WCHAR buf[4];
	ANSI_STRING as;
	UNICODE_STRING us = { 0, sizeof(buf), buf };

	memset(buf, NT_POISON_BYTE, sizeof(buf));
	RtlInitAnsiString(&as, "abcd");
	EXPECT_STATUS(STATUS_BUFFER_OVERFLOW, RtlAnsiStringToUnicodeString(&us, &as, FALSE));
	EXPECT_EQ(0, us.Length);
	EXPECT_POISONED(&buf);
	RtlInitAnsiString(&as, "abc");
	EXPECT_STATUS(STATUS_SUCCESS, RtlAnsiStringToUnicodeString(&us, &as, FALSE));
	EXPECT_TRUE(ustr_is(&us, u"abc"));
	EXPECT_EQ(0, buf[3]);
}

TEST(unicode_to_ansi_utf8)
{
	UNICODE_STRING us;
	ANSI_STRING as;

	RtlInitUnicodeString(&us, u"\u00e9\u20ac\U0001d11e");
	ASSERT_STATUS(STATUS_SUCCESS, RtlUnicodeStringToAnsiString(&as, &us, TRUE));
	EXPECT_EQ(9, as.Length);
	EXPECT_EQ(10, as.MaximumLength);
	EXPECT_STREQ("\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e", as.Buffer);
	RtlFreeAnsiString(&as);
	EXPECT_EQ(0u, (uintptr_t)as.Buffer);
}

TEST(unicode_to_ansi_lone_surrogate_is_replaced)
{
	static const WCHAR s[] = { 'a', 0xd800, 'b', 0xdc00, 0 };
	UNICODE_STRING us;
	ANSI_STRING as;

	RtlInitUnicodeString(&us, s);
	ASSERT_STATUS(STATUS_SUCCESS, RtlUnicodeStringToAnsiString(&as, &us, TRUE));
	EXPECT_STREQ("a\xef\xbf\xbd" "b\xef\xbf\xbd", as.Buffer);
	RtlFreeAnsiString(&as);
}

/* XP converts what fits (whole characters), terminates, reports overflow. */
TEST(unicode_to_ansi_buffer_overflow_truncates)
{
	char buf[5];
	UNICODE_STRING us;
	ANSI_STRING as = { 0, sizeof(buf), buf };

	RtlInitUnicodeString(&us, u"ab\u20acc");
	EXPECT_STATUS(STATUS_BUFFER_OVERFLOW, RtlUnicodeStringToAnsiString(&as, &us, FALSE));
	EXPECT_EQ(2, as.Length);
	EXPECT_STREQ("ab", buf);
	RtlInitUnicodeString(&us, u"abcd");
	EXPECT_STATUS(STATUS_SUCCESS, RtlUnicodeStringToAnsiString(&as, &us, FALSE));
	EXPECT_STREQ("abcd", buf);
}

TEST(create_and_copy_unicode_string)
{
	UNICODE_STRING a, b;
	WCHAR buf[3];

	ASSERT_TRUE(RtlCreateUnicodeString(&a, u"xyz"));
	EXPECT_EQ(6, a.Length);
	EXPECT_EQ(8, a.MaximumLength);
	b.Buffer = buf;
	b.MaximumLength = sizeof(buf);
	RtlCopyUnicodeString(&b, &a);
	EXPECT_EQ(6, b.Length);			/* truncated to fit, no NUL */
	EXPECT_EQ('z', buf[2]);
	RtlFreeUnicodeString(&a);
	ASSERT_TRUE(RtlCreateUnicodeStringFromAsciiz(&a, "\xc3\xa9t\xc3\xa9"));
	EXPECT_TRUE(ustr_is(&a, u"\u00e9t\u00e9"));
	RtlFreeUnicodeString(&a);
}

TEST(append_unicode)
{
	WCHAR buf[6];
	UNICODE_STRING us = { 0, sizeof(buf), buf };

	EXPECT_STATUS(STATUS_SUCCESS, RtlAppendUnicodeToString(&us, u"ab"));
	EXPECT_STATUS(STATUS_SUCCESS, RtlAppendUnicodeToString(&us, u"cd"));
	EXPECT_TRUE(ustr_is(&us, u"abcd"));
	EXPECT_STATUS(STATUS_BUFFER_TOO_SMALL, RtlAppendUnicodeToString(&us, u"efg"));
	EXPECT_TRUE(ustr_is(&us, u"abcd"));
}

TEST(compare_unicode_strings)
{
	UNICODE_STRING a, b;

	RtlInitUnicodeString(&a, u"Caf\u00e9");
	RtlInitUnicodeString(&b, u"CAF\u00c9");
	EXPECT_FALSE(RtlEqualUnicodeString(&a, &b, FALSE));
	EXPECT_TRUE(RtlEqualUnicodeString(&a, &b, TRUE));
	EXPECT_EQ(0, RtlCompareUnicodeString(&a, &b, TRUE));
	EXPECT_GT(RtlCompareUnicodeString(&a, &b, FALSE), 0);
	RtlInitUnicodeString(&b, u"Caf");
	EXPECT_GT(RtlCompareUnicodeString(&a, &b, FALSE), 0);
	EXPECT_LT(RtlCompareUnicodeString(&b, &a, FALSE), 0);
}

TEST(compare_memory_counts_equal_prefix)
{
	EXPECT_EQ(2u, RtlCompareMemory("abcd", "abxd", 4));
	EXPECT_EQ(3u, RtlCompareMemory("abcd", "abcx", 4));
	EXPECT_EQ(4u, RtlCompareMemory("abcd", "abcd", 4));
	EXPECT_EQ(0u, RtlCompareMemory("a", "b", 0));
}

TEST(status_to_dos_error)
{
	EXPECT_EQ(0u, RtlNtStatusToDosError(STATUS_SUCCESS));
	EXPECT_EQ(6u, RtlNtStatusToDosError(STATUS_INVALID_HANDLE));
	EXPECT_EQ(2u, RtlNtStatusToDosError(STATUS_OBJECT_NAME_NOT_FOUND));
	EXPECT_EQ(3u, RtlNtStatusToDosError(STATUS_OBJECT_PATH_NOT_FOUND));
	EXPECT_EQ(5u, RtlNtStatusToDosError(STATUS_ACCESS_DENIED));
	EXPECT_EQ(998u, RtlNtStatusToDosError(STATUS_ACCESS_VIOLATION));
	EXPECT_EQ(183u, RtlNtStatusToDosError(STATUS_OBJECT_NAME_COLLISION));
	EXPECT_EQ(234u, RtlNtStatusToDosError(STATUS_BUFFER_OVERFLOW));
	EXPECT_EQ(87u, RtlNtStatusToDosError(STATUS_INVALID_PARAMETER_3));
	EXPECT_EQ(1u, RtlNtStatusToDosError(STATUS_NOT_IMPLEMENTED));
	EXPECT_EQ(38u, RtlNtStatusToDosError(STATUS_END_OF_FILE));
	EXPECT_EQ(5u, RtlNtStatusToDosError((NTSTATUS)0xc0070005));	/* FACILITY_WIN32 */
	EXPECT_EQ(317u, RtlNtStatusToDosError((NTSTATUS)0xc0ffee00));
}

TEST(status_names)
{
	EXPECT_STREQ("STATUS_INVALID_HANDLE", NtpStatusName(STATUS_INVALID_HANDLE));
	EXPECT_STREQ("STATUS_SUCCESS", NtpStatusName(STATUS_WAIT_0));
	EXPECT_STREQ("STATUS_ABANDONED_WAIT_0", NtpStatusName(STATUS_ABANDONED));
	EXPECT_STREQ("STATUS_OBJECT_NAME_EXISTS", NtpStatusName(0x40000000));
	EXPECT_EQ(0u, (uintptr_t)NtpStatusName((NTSTATUS)0xc0ffee00));
}

/* DOS -> NT path conversion; want is the expected NT path. */
static int dos_to_nt(const WCHAR *dos, const WCHAR *want, const WCHAR *part)
{
	UNICODE_STRING nt;
	WCHAR *file = (WCHAR *)1;
	int ok;

	if (!RtlDosPathNameToNtPathName_U(dos, &nt, &file, NULL))
		return 0;
	ok = ustr_is(&nt, want) && nt.MaximumLength == nt.Length + 2 &&
	     nt.Buffer[nt.Length / 2] == 0;
	if (part) {
		UNICODE_STRING p;

		RtlInitUnicodeString(&p, file);
		ok = ok && file && ustr_is(&p, part);
	} else {
		ok = ok && !file;
	}
	if (!ok)
		fprintf(stderr, "#   got %s\n", u8(&nt));
	RtlFreeUnicodeString(&nt);
	return ok;
}

TEST(dos_path_drive)
{
	EXPECT_TRUE(dos_to_nt(u"C:\\x", u"\\??\\C:\\x", u"x"));
	EXPECT_TRUE(dos_to_nt(u"c:\\dir\\f.txt", u"\\??\\c:\\dir\\f.txt", u"f.txt"));
	EXPECT_TRUE(dos_to_nt(u"C:\\", u"\\??\\C:\\", NULL));
	EXPECT_TRUE(dos_to_nt(u"C:\\dir\\", u"\\??\\C:\\dir\\", NULL));
}

TEST(dos_path_folds_dots_and_separators)
{
	EXPECT_TRUE(dos_to_nt(u"C:/a/./b//../c", u"\\??\\C:\\a\\c", u"c"));
	EXPECT_TRUE(dos_to_nt(u"C:\\..\\..\\x", u"\\??\\C:\\x", u"x"));
	EXPECT_TRUE(dos_to_nt(u"C:\\a\\..", u"\\??\\C:\\", NULL));
}

TEST(dos_path_unc_and_device)
{
	EXPECT_TRUE(dos_to_nt(u"\\\\srv\\share\\f", u"\\??\\UNC\\srv\\share\\f", u"f"));
	EXPECT_TRUE(dos_to_nt(u"\\\\.\\pipe\\p", u"\\??\\pipe\\p", u"p"));
	/* \\?\ is taken verbatim: no folding */
	EXPECT_TRUE(dos_to_nt(u"\\\\?\\C:\\a\\..\\b", u"\\??\\C:\\a\\..\\b", u"b"));
}

/* No drive: the Linux root and current directory, under \??\unix. */
TEST(dos_path_rooted_and_relative)
{
	char *old = getcwd(NULL, 0);

	ASSERT_EQ(0, chdir("/tmp"));
	EXPECT_TRUE(dos_to_nt(u"\\etc\\passwd", u"\\??\\unix\\etc\\passwd", u"passwd"));
	EXPECT_TRUE(dos_to_nt(u"f", u"\\??\\unix\\tmp\\f", u"f"));
	EXPECT_TRUE(dos_to_nt(u".\\d\\f", u"\\??\\unix\\tmp\\d\\f", u"f"));
	EXPECT_TRUE(dos_to_nt(u"..\\f", u"\\??\\unix\\f", u"f"));
	EXPECT_TRUE(dos_to_nt(u"..\\..\\..", u"\\??\\unix\\", NULL));
	ASSERT_EQ(0, chdir("/"));
	EXPECT_TRUE(dos_to_nt(u"f", u"\\??\\unix\\f", u"f"));
	if (old) {
		chdir(old);
		free(old);
	}
}

TEST(dos_path_empty_fails)
{
	UNICODE_STRING nt;

	EXPECT_FALSE(RtlDosPathNameToNtPathName_U(u"", &nt, NULL, NULL));
	EXPECT_FALSE(RtlDosPathNameToNtPathName_U(NULL, &nt, NULL, NULL));
}

TEST_HARNESS_MAIN
