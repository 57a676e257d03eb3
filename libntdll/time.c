// SPDX-License-Identifier: GPL-2.0
/*
 * NT time conversions: 100 ns units since 1601-01-01 00:00 UTC, the
 * proleptic Gregorian calendar. Ranges as Wine's dlls/ntdll/tests/time.c
 * and the XP documentation give them: RtlTimeFieldsToTime refuses a field
 * out of range (month 1..12, day within the month, hour < 24, minute and
 * second < 60, milliseconds < 1000, year >= 1601) and ignores Weekday;
 * the SecondsSince conversions refuse times before their epoch or more
 * than 0xffffffff seconds after it.
 */
#include "ntdll_private.h"

#define TICKS_PER_MS		10000LL
#define TICKS_PER_SEC		10000000LL
#define SECS_PER_DAY		86400LL
#define SECS_1601_TO_1970	11644473600LL
#define SECS_1601_TO_1980	11960006400LL

static const SHORT month_days[2][12] = {
	{ 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
	{ 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
};

static int leap(LONG y)
{
	return (!(y % 4) && (y % 100)) || !(y % 400);
}

/* Days from 1601-01-01 to y-m-d (m 1..12). */
static LONGLONG days_from_1601(LONG y, LONG m, LONG d)
{
	LONGLONG yy = y - 1601, days;
	LONG i;

	days = yy * 365 + yy / 4 - yy / 100 + yy / 400;
	for (i = 1; i < m; i++)
		days += month_days[leap(y)][i - 1];
	return days + d - 1;
}

void NTAPI RtlTimeToTimeFields(const LARGE_INTEGER *Time, TIME_FIELDS *tf)
{
	ULONGLONG t = (ULONGLONG)Time->QuadPart;
	ULONGLONG secs = t / TICKS_PER_SEC;
	ULONGLONG days = secs / SECS_PER_DAY;
	ULONG rem = secs % SECS_PER_DAY, cycles, y, m, l;

	tf->Milliseconds = (t % TICKS_PER_SEC) / TICKS_PER_MS;
	tf->Hour = rem / 3600;
	tf->Minute = rem % 3600 / 60;
	tf->Second = rem % 60;
	tf->Weekday = (days + 1) % 7;	/* 1601-01-01 was a Monday */

	/* 400-year cycles of 146097 days, then centuries, 4-year spans */
	cycles = days / 146097;
	days %= 146097;
	y = 1601 + cycles * 400;
	l = days / 36524;
	if (l == 4)
		l = 3;			/* the last day of a cycle */
	y += l * 100;
	days -= l * 36524;
	l = days / 1461;
	y += l * 4;
	days -= l * 1461;
	l = days / 365;
	if (l == 4)
		l = 3;			/* Dec 31 of a leap year */
	y += l;
	days -= l * 365;
	for (m = 0; days >= (ULONGLONG)month_days[leap(y)][m]; m++)
		days -= month_days[leap(y)][m];
	tf->Year = y;
	tf->Month = m + 1;
	tf->Day = days + 1;
}

BOOLEAN NTAPI RtlTimeFieldsToTime(const TIME_FIELDS *tf, LARGE_INTEGER *Time)
{
	LONGLONG t;

	if (tf->Year < 1601 || tf->Month < 1 || tf->Month > 12 ||
	    tf->Day < 1 || tf->Day > month_days[leap(tf->Year)][tf->Month - 1] ||
	    tf->Hour < 0 || tf->Hour > 23 || tf->Minute < 0 || tf->Minute > 59 ||
	    tf->Second < 0 || tf->Second > 59 || tf->Milliseconds < 0 ||
	    tf->Milliseconds > 999)
		return FALSE;
	t = days_from_1601(tf->Year, tf->Month, tf->Day) * SECS_PER_DAY +
	    tf->Hour * 3600 + tf->Minute * 60 + tf->Second;
	Time->QuadPart = t * TICKS_PER_SEC + tf->Milliseconds * TICKS_PER_MS;
	return TRUE;
}

static BOOLEAN to_seconds(const LARGE_INTEGER *Time, LONGLONG epoch,
			  ULONG *Seconds)
{
	LONGLONG s = Time->QuadPart / TICKS_PER_SEC - epoch;

	if (Time->QuadPart < 0 || s < 0 || s > 0xffffffffLL)
		return FALSE;
	*Seconds = (ULONG)s;
	return TRUE;
}

BOOLEAN NTAPI RtlTimeToSecondsSince1970(const LARGE_INTEGER *Time,
					ULONG *Seconds)
{
	return to_seconds(Time, SECS_1601_TO_1970, Seconds);
}

BOOLEAN NTAPI RtlTimeToSecondsSince1980(const LARGE_INTEGER *Time,
					ULONG *Seconds)
{
	return to_seconds(Time, SECS_1601_TO_1980, Seconds);
}

void NTAPI RtlSecondsSince1970ToTime(ULONG Seconds, LARGE_INTEGER *Time)
{
	Time->QuadPart = ((LONGLONG)Seconds + SECS_1601_TO_1970) * TICKS_PER_SEC;
}

void NTAPI RtlSecondsSince1980ToTime(ULONG Seconds, LARGE_INTEGER *Time)
{
	Time->QuadPart = ((LONGLONG)Seconds + SECS_1601_TO_1980) * TICKS_PER_SEC;
}
