// SPDX-License-Identifier: GPL-2.0
/*
 * libntdll's Rtl helpers and the C runtime of ntdll.dll, pure user
 * space (no NT call is made, so the program never touches the module). Expected values follow Windows'
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

/*
 * Bitmaps. Values from ReactOS's modules/rostests/apitests/ntdll/
 * RtlBitmap.c (Windows' answers): a 0-bit search gives the hint rounded
 * down to a byte, a hint past the end starts at 0, and a search that
 * finds nothing is ~0.
 */
TEST(bitmap_find_clear_bits)
{
	ULONG buf[2] = { 0x060F874D, 0x3F303F30 };
	RTL_BITMAP bm;

	RtlInitializeBitMap(&bm, buf, 0);
	EXPECT_EQ(0u, RtlFindClearBits(&bm, 0, 0));
	EXPECT_EQ(0u, RtlFindClearBits(&bm, 0, 3));
	EXPECT_EQ(~0u, RtlFindClearBits(&bm, 1, 0));
	RtlInitializeBitMap(&bm, buf, 8);
	EXPECT_EQ(1u, RtlFindClearBits(&bm, 1, 0));
	EXPECT_EQ(1u, RtlFindClearBits(&bm, 1, 1));
	EXPECT_EQ(4u, RtlFindClearBits(&bm, 1, 2));
	EXPECT_EQ(4u, RtlFindClearBits(&bm, 2, 0));
	EXPECT_EQ(~0u, RtlFindClearBits(&bm, 3, 0));
	RtlInitializeBitMap(&bm, buf, 32);
	EXPECT_EQ(16u, RtlFindClearBits(&bm, 0, 21));
	EXPECT_EQ(8u, RtlFindClearBits(&bm, 0, 12));
	EXPECT_EQ(24u, RtlFindClearBits(&bm, 0, 31));
	EXPECT_EQ(0u, RtlFindClearBits(&bm, 0, 32));
}

TEST(bitmap_find_set_bits_wraps_from_the_hint)
{
	ULONG buf[2] = { 0xF9F078B2, 0x3F303F30 };
	RTL_BITMAP bm;

	RtlInitializeBitMap(&bm, buf, 32);
	EXPECT_EQ(11u, RtlFindSetBits(&bm, 4, 0));
	EXPECT_EQ(20u, RtlFindSetBits(&bm, 5, 0));
	EXPECT_EQ(11u, RtlFindSetBits(&bm, 4, 11));
	EXPECT_EQ(20u, RtlFindSetBits(&bm, 4, 12));
	EXPECT_EQ(1u, RtlFindSetBits(&bm, 1, 32));	/* hint past the end */
	EXPECT_EQ(30u, RtlFindSetBits(&bm, 1, 30));
	/* from hint 28 only 4 set bits before the end: wraps to 20 */
	EXPECT_EQ(20u, RtlFindSetBits(&bm, 5, 28));
	EXPECT_EQ(~0u, RtlFindSetBits(&bm, 6, 0));
	/* and clears what it found, as ReactOS's test shows */
	EXPECT_EQ(11u, RtlFindSetBitsAndClear(&bm, 4, 0));
	EXPECT_EQ(0xf9f000b2u, buf[0]);
}

TEST(bitmap_set_clear_and_test_ranges)
{
	ULONG buf[3] = { 0, 0, 0xdeadbeef };	/* [2] is past the map */
	RTL_BITMAP bm;

	RtlInitializeBitMap(&bm, buf, 64);
	RtlSetBits(&bm, 3, 40);
	EXPECT_EQ(0xfffffff8u, buf[0]);
	EXPECT_EQ(0x7ffu, buf[1]);
	EXPECT_TRUE(RtlAreBitsSet(&bm, 3, 40));
	EXPECT_FALSE(RtlAreBitsSet(&bm, 2, 40));
	EXPECT_TRUE(RtlAreBitsClear(&bm, 43, 21));
	EXPECT_FALSE(RtlAreBitsClear(&bm, 42, 2));
	EXPECT_EQ(40u, RtlNumberOfSetBits(&bm));
	EXPECT_EQ(24u, RtlNumberOfClearBits(&bm));
	RtlClearBits(&bm, 10, 20);
	EXPECT_EQ(20u, RtlNumberOfSetBits(&bm));
	/* ranges past the end are refused, never written */
	RtlSetBits(&bm, 60, 10);
	EXPECT_FALSE(RtlAreBitsSet(&bm, 60, 10));
	EXPECT_EQ(0xdeadbeefu, buf[2]);
	EXPECT_EQ(10u, RtlFindClearBitsAndSet(&bm, 1, 10));
	EXPECT_TRUE(RtlAreBitsSet(&bm, 10, 1));
	RtlSetAllBits(&bm);
	EXPECT_EQ(~0u, RtlFindClearBits(&bm, 1, 0));
	RtlClearAllBits(&bm);
	EXPECT_EQ(0u, RtlNumberOfSetBits(&bm));
	EXPECT_EQ(0xdeadbeefu, buf[2]);
}

/*
 * Time. 1601-01-01 was a Monday, 1970-01-01 a Thursday; the year 2000
 * has a 29 February and 1900 has none (Wine's dlls/ntdll/tests/time.c
 * walks the same calendar rules).
 */
TEST(time_fields_round_trip)
{
	static const struct { SHORT y, mo, d, h, mi, s, ms, wd; } cases[] = {
		{ 1601, 1, 1, 0, 0, 0, 0, 1 },
		{ 1970, 1, 1, 0, 0, 0, 0, 4 },
		{ 2000, 2, 29, 12, 34, 56, 789, 2 },
		{ 2000, 12, 31, 23, 59, 59, 999, 0 },
		{ 2100, 3, 1, 0, 0, 1, 0, 1 },
		{ 2026, 12, 6, 11, 0, 0, 0, 0 },
	};
	TIME_FIELDS tf, back;
	LARGE_INTEGER t;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tf.Year = cases[i].y;
		tf.Month = cases[i].mo;
		tf.Day = cases[i].d;
		tf.Hour = cases[i].h;
		tf.Minute = cases[i].mi;
		tf.Second = cases[i].s;
		tf.Milliseconds = cases[i].ms;
		tf.Weekday = 6;			/* ignored */
		ASSERT_TRUE(RtlTimeFieldsToTime(&tf, &t));
		RtlTimeToTimeFields(&t, &back);
		EXPECT_EQ(cases[i].y, back.Year);
		EXPECT_EQ(cases[i].mo, back.Month);
		EXPECT_EQ(cases[i].d, back.Day);
		EXPECT_EQ(cases[i].h, back.Hour);
		EXPECT_EQ(cases[i].mi, back.Minute);
		EXPECT_EQ(cases[i].s, back.Second);
		EXPECT_EQ(cases[i].ms, back.Milliseconds);
		EXPECT_EQ(cases[i].wd, back.Weekday);
	}
	tf.Year = 1970; tf.Month = 1; tf.Day = 1;
	tf.Hour = tf.Minute = tf.Second = tf.Milliseconds = 0;
	ASSERT_TRUE(RtlTimeFieldsToTime(&tf, &t));
	EXPECT_EQ(116444736000000000LL, t.QuadPart);
}

TEST(time_fields_out_of_range_are_refused)
{
	TIME_FIELDS tf = { 1900, 2, 29, 0, 0, 0, 0, 0 };
	LARGE_INTEGER t = { .QuadPart = 1234 };

	EXPECT_FALSE(RtlTimeFieldsToTime(&tf, &t));	/* 1900 is not leap */
	tf.Month = 13;
	tf.Day = 1;
	EXPECT_FALSE(RtlTimeFieldsToTime(&tf, &t));
	tf.Month = 1;
	tf.Hour = 24;
	EXPECT_FALSE(RtlTimeFieldsToTime(&tf, &t));
	tf.Hour = 0;
	tf.Milliseconds = 1000;
	EXPECT_FALSE(RtlTimeFieldsToTime(&tf, &t));
	tf.Milliseconds = 0;
	tf.Year = 1600;
	EXPECT_FALSE(RtlTimeFieldsToTime(&tf, &t));
	EXPECT_EQ(1234, t.QuadPart);
}

TEST(time_seconds_since_1970_and_1980)
{
	LARGE_INTEGER t;
	ULONG s = 7;

	RtlSecondsSince1970ToTime(0, &t);
	EXPECT_EQ(116444736000000000LL, t.QuadPart);
	ASSERT_TRUE(RtlTimeToSecondsSince1970(&t, &s));
	EXPECT_EQ(0u, s);
	RtlSecondsSince1980ToTime(1, &t);
	ASSERT_TRUE(RtlTimeToSecondsSince1970(&t, &s));
	EXPECT_EQ(315532801u, s);	/* 1980-01-01 00:00:01 */
	ASSERT_TRUE(RtlTimeToSecondsSince1980(&t, &s));
	EXPECT_EQ(1u, s);
	t.QuadPart = 116444736000000000LL - 10000000;	/* 1969 */
	s = 7;
	EXPECT_FALSE(RtlTimeToSecondsSince1970(&t, &s));
	EXPECT_EQ(7u, s);
	t.QuadPart = 116444736000000000LL + 0x100000000LL * 10000000;
	EXPECT_FALSE(RtlTimeToSecondsSince1970(&t, &s));
	t.QuadPart -= 10000000;
	ASSERT_TRUE(RtlTimeToSecondsSince1970(&t, &s));
	EXPECT_EQ(0xffffffffu, s);
}

/*
 * The C runtime of ntdll.dll (NtpCrt_ names in the ELF library), with
 * Microsoft's semantics: _snprintf does not terminate output that fills
 * the buffer and returns -1 when it is cut (Wine's dlls/ntdll/tests/
 * string.c, test__snprintf); %S is the other width's string, %Z a
 * counted string.
 */
TEST(crt_snprintf_truncation)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(3, NtpCrt__snprintf(buf, 4, "%s", "abc"));
	EXPECT_STREQ("abc", buf);
	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(4, NtpCrt__snprintf(buf, 4, "%s", "abcd"));
	EXPECT_EQ(0, memcmp(buf, "abcdx", 5));	/* not terminated */
	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(-1, NtpCrt__snprintf(buf, 4, "%s", "abcde"));
	EXPECT_EQ(0, memcmp(buf, "abcdx", 5));
	EXPECT_EQ(0, NtpCrt__snprintf(buf, 0, "%s", ""));
}

TEST(crt_printf_conversions)
{
	UNICODE_STRING us = { 6, 6, (WCHAR *)u"uniXXX" };
	ANSI_STRING as = { 3, 3, (char *)"ansiX" };
	char buf[128];

	NtpCrt_sprintf(buf, "[%5d|%-5d|%05d|%+d|%x|%X|%#x|%o|%u]",
		       42, 42, -42, 7, 0xbeef, 0xbeef, 255, 8, 3000000000u);
	EXPECT_STREQ("[   42|42   |-0042|+7|beef|BEEF|0xff|10|3000000000]", buf);
	NtpCrt_sprintf(buf, "%I64d %lld %I64x %hd %.3d %c%%",
		       -5000000000LL, 1LL << 40, 0x123456789abLL, 70000, 5, 'z');
	EXPECT_STREQ("-5000000000 1099511627776 123456789ab 4464 005 z%", buf);
	NtpCrt_sprintf(buf, "%S|%ls|%hs|%.2s|%6s|%-4s|", u"wide", u"\u00e9", "nar",
		       "abc", "r", "l");
	EXPECT_STREQ("wide|\xc3\xa9|nar|ab|     r|l   |", buf);
	NtpCrt_sprintf(buf, "%Z|%wZ|%s|%p", &as, &us, (char *)NULL, (void *)0x1234);
	EXPECT_STREQ("ans|uni|(null)|00001234", buf);
}

TEST(crt_wide_printf)
{
	WCHAR w[32];

	EXPECT_EQ(9, NtpCrt__snwprintf(w, 32, u"%s-%S-%d", u"ab", "cd", -12));
	EXPECT_EQ(0, NtpCrt_wcscmp(w, u"ab-cd--12"));
	EXPECT_EQ(-1, NtpCrt__snwprintf(w, 3, u"%s", u"abcd"));
	EXPECT_EQ(0, memcmp(w, u"abc", 6));
	EXPECT_EQ(5, NtpCrt_swprintf(w, u"%c%C%03u", u'\u00e9', 'x', 7));
	EXPECT_EQ(0, NtpCrt_wcscmp(w, u"\u00e9x007"));
	EXPECT_EQ(5u, NtpCrt_wcslen(w));
}

TEST(crt_strings_and_numbers)
{
	char *end;
	char ov[] = "abcdef";

	/* Microsoft's _stricmp compares lowercased: '_' sorts before 'a' */
	EXPECT_LT(NtpCrt__stricmp("_", "A"), 0);
	EXPECT_EQ(0, NtpCrt__stricmp("HeLLo", "hello"));
	EXPECT_EQ(0, NtpCrt__wcsicmp(u"\u00c9T\u00c9", u"\u00e9t\u00e9"));
	EXPECT_EQ(u'\u00c9', NtpCrt_towupper(u'\u00e9'));
	EXPECT_EQ(0, NtpCrt_wcscmp(NtpCrt_wcsstr(u"abcd", u"cd"), u"cd"));
	EXPECT_EQ(NULL, NtpCrt_wcschr(u"abc", u'z'));
	EXPECT_EQ(31, NtpCrt_strtol(" 0x1f!", &end, 0));
	EXPECT_EQ('!', *end);
	EXPECT_EQ(8, NtpCrt_strtol("010", NULL, 0));
	EXPECT_EQ(0x7fffffff, NtpCrt_strtol("2147483648", NULL, 10));
	EXPECT_EQ((long)0x80000000, NtpCrt_strtol("-2147483649", NULL, 10));
	EXPECT_EQ(0xffffffffu, NtpCrt_strtoul("-1", NULL, 10));
	EXPECT_EQ(0, NtpCrt_strtol("zz", &end, 10));
	EXPECT_STREQ("zz", end);
	EXPECT_EQ(-12, NtpCrt_atoi("  -12abc"));
	EXPECT_EQ(345, NtpCrt__wtoi(u"+345"));
	/* XP's memcpy is memmove: overlap is fine */
	NtpCrt_memcpy(ov + 1, ov, 4);
	EXPECT_STREQ("aabcdf", ov);
}

TEST(upcase_unicode_string)
{
	UNICODE_STRING src, dst;
	WCHAR small[2];

	RtlInitUnicodeString(&src, u"ab\u00e9\u00ff1");
	ASSERT_STATUS(STATUS_SUCCESS, RtlUpcaseUnicodeString(&dst, &src, TRUE));
	EXPECT_TRUE(ustr_is(&dst, u"AB\u00c9\u01781"));
	RtlFreeUnicodeString(&dst);
	dst.Buffer = small;
	dst.MaximumLength = sizeof(small);
	ASSERT_STATUS(STATUS_BUFFER_OVERFLOW,
		      RtlUpcaseUnicodeString(&dst, &src, FALSE));
}

TEST_HARNESS_MAIN
