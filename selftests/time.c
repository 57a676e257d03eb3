// SPDX-License-Identifier: GPL-2.0
/*
 * Time services: NtQuerySystemTime, NtQueryPerformanceCounter,
 * NtSetSystemTime, NtQuery/SetTimerResolution, NtQueryDefaultLocale,
 * NtQueryDefaultUILanguage.
 *
 * Windows behaviour from Wine's dlls/ntdll/tests/time.c and ReactOS
 * ntoskrnl/ex/time.c: NT time is 100 ns units since 1601, setting the
 * clock needs SeSystemtimePrivilege, releasing a resolution that was never
 * requested is STATUS_TIMER_RESOLUTION_NOT_SET.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "nt_test.h"
#include <nt/kuser.h>

#define EPOCH_DELTA	116444736000000000LL
#define KERNEL_PTR	((void *)0xc0001000)

FIXTURE(time) {};
NT_GATE_VARIANTS(time);
FIXTURE_SETUP(time) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(time) {}

static long long nt_now_from_linux(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 10000000LL + ts.tv_nsec / 100;
}

TEST_F(time, system_time_is_realtime_since_1601)
{
	long long before = nt_now_from_linux(CLOCK_REALTIME) + EPOCH_DELTA, after;
	LARGE_INTEGER t;

	nt_poison(&t);
	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemTime(&t));
	after = nt_now_from_linux(CLOCK_REALTIME) + EPOCH_DELTA;
	EXPECT_LE(before, t.QuadPart);
	EXPECT_GE(after, t.QuadPart);
}

TEST_F(time, system_time_bad_pointers)
{
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, NtQuerySystemTime(NULL));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, NtQuerySystemTime(KERNEL_PTR));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, NtQuerySystemTime((void *)1));
}

TEST_F(time, performance_counter_is_monotonic_at_10mhz)
{
	long long before = nt_now_from_linux(CLOCK_MONOTONIC), after;
	LARGE_INTEGER c, f, c2;

	nt_poison(&c);
	nt_poison(&f);
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryPerformanceCounter(&c, &f));
	after = nt_now_from_linux(CLOCK_MONOTONIC);
	EXPECT_EQ(10000000LL, f.QuadPart);
	EXPECT_LE(before, c.QuadPart);
	EXPECT_GE(after, c.QuadPart);
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryPerformanceCounter(&c2, NULL));
	EXPECT_LE(c.QuadPart, c2.QuadPart);
}

TEST_F(time, performance_counter_bad_pointers)
{
	LARGE_INTEGER c;

	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, NtQueryPerformanceCounter(NULL, NULL));
	nt_poison(&c);
	/* both probed before either is written */
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQueryPerformanceCounter(&c, KERNEL_PTR));
	EXPECT_POISONED(&c);
}

TEST_F(time, set_system_time_returns_previous)
{
	LARGE_INTEGER now, prev;

	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemTime(&now));
	nt_poison(&prev);
	ASSERT_STATUS(STATUS_SUCCESS, NtSetSystemTime(&now, &prev));
	EXPECT_LE(now.QuadPart, prev.QuadPart);
	EXPECT_GT(now.QuadPart + 10000000LL, prev.QuadPart);
}

TEST_F(time, set_system_time_before_1970_is_invalid)
{
	LARGE_INTEGER t = { .QuadPart = 1 };

	EXPECT_STATUS(STATUS_INVALID_PARAMETER, NtSetSystemTime(&t, NULL));
}

/* Without CAP_SYS_TIME (setuid(nobody) drops it) the privilege is missing. */
TEST_F(time, set_system_time_needs_privilege)
{
	int status;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		LARGE_INTEGER t;

		if (setuid(65534))
			_exit(2);
		NtQuerySystemTime(&t);
		_exit(NtSetSystemTime(&t, NULL) == STATUS_PRIVILEGE_NOT_HELD ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(time, timer_resolution_limits)
{
	ULONG max = NT_POISON_ULONG, min = NT_POISON_ULONG, cur = NT_POISON_ULONG;

	ASSERT_STATUS(STATUS_SUCCESS, NtQueryTimerResolution(&max, &min, &cur));
	EXPECT_EQ(156250u, max);
	EXPECT_EQ(10000u, min);
	EXPECT_EQ(156250u, cur);
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQueryTimerResolution(NULL, &min, &cur));
}

TEST_F(time, timer_resolution_set_and_release)
{
	ULONG max, min, cur, actual = NT_POISON_ULONG;

	ASSERT_STATUS(STATUS_TIMER_RESOLUTION_NOT_SET,
		      NtSetTimerResolution(0, FALSE, &actual));
	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimerResolution(20000, TRUE, &actual));
	EXPECT_EQ(20000u, actual);
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryTimerResolution(&max, &min, &cur));
	EXPECT_EQ(20000u, cur);
	/* clamped to the finest resolution */
	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimerResolution(1, TRUE, &actual));
	EXPECT_EQ(10000u, actual);
	ASSERT_STATUS(STATUS_SUCCESS, NtSetTimerResolution(0, FALSE, &actual));
	EXPECT_EQ(156250u, actual);
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, NtSetTimerResolution(0, TRUE, NULL));
}

/*
 * NtGetTickCount is ntdll's user-mode reading of SharedUserData on XP
 * (no service): milliseconds of CLOCK_MONOTONIC, which the shared page
 * follows. The page is updated by a timer, so allow its period.
 */
TEST_F(time, get_tick_count_follows_the_monotonic_clock)
{
	const volatile KUSER_SHARED_DATA *k = (void *)NT_KUSER_SHARED_DATA;
	LARGE_INTEGER delay = { .QuadPart = -50 * 10000LL };	/* 50 ms */
	struct timespec ts;
	ULONG t0, t1;
	long long ms;

	t0 = NtGetTickCount();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ms = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
	EXPECT_LE(llabs((long long)t0 - (ms & 0xffffffff)), 100);
	EXPECT_EQ(k->TickCountMultiplier, 1u << 24);
	ASSERT_STATUS(STATUS_SUCCESS, NtDelayExecution(FALSE, &delay));
	t1 = NtGetTickCount();
	EXPECT_GE(t1 - t0, 40u);
	EXPECT_LE(t1 - t0, 1000u);
}

TEST_F(time, default_locale_is_en_us)
{
	ULONG lcid = NT_POISON_ULONG;
	USHORT lang = 0xcccc;

	ASSERT_STATUS(STATUS_SUCCESS, NtQueryDefaultLocale(TRUE, &lcid));
	EXPECT_EQ(0x409u, lcid);
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryDefaultLocale(FALSE, &lcid));
	EXPECT_EQ(0x409u, lcid);
	ASSERT_STATUS(STATUS_SUCCESS, NtQueryDefaultUILanguage(&lang));
	EXPECT_EQ(0x409, lang);
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, NtQueryDefaultLocale(TRUE, NULL));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, NtQueryDefaultUILanguage(KERNEL_PTR));
}

TEST_HARNESS_MAIN
