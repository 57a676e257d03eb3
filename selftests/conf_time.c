// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: checks ported from Wine's dlls/ntdll/tests/time.c (issue
 * 17): test_NtQueryPerformanceCounter, and test_user_shared_data_time's
 * rule that SharedUserData->SystemTime and NtQuerySystemTime read one
 * clock (on XP, KeQuerySystemTime reads the shared page's value), so time
 * never goes back between them. Re-expressed, not copied.
 */
#include "nt_test.h"
#include <nt/kuser.h>

FIXTURE(conf_time) {};
NT_GATE_VARIANTS(conf_time);
FIXTURE_SETUP(conf_time) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(conf_time) {}

/* Wine time.c, test_NtQueryPerformanceCounter */
TEST_F(conf_time, wine_time_NtQueryPerformanceCounter)
{
	LARGE_INTEGER counter, freq;

	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, NtQueryPerformanceCounter(NULL, NULL));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION, NtQueryPerformanceCounter(NULL, &freq));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQueryPerformanceCounter(&counter, (void *)0xdeadbee0));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQueryPerformanceCounter((void *)0xdeadbee0, &freq));
	EXPECT_STATUS(STATUS_SUCCESS, NtQueryPerformanceCounter(&counter, NULL));
	EXPECT_STATUS(STATUS_SUCCESS, NtQueryPerformanceCounter(&counter, &freq));
}

static long long ksystem_time(volatile KSYSTEM_TIME *t)
{
	LONG hi;
	ULONG lo;

	do {
		hi = t->High1Time;
		__sync_synchronize();
		lo = t->LowPart;
		__sync_synchronize();
	} while (hi != t->High2Time);
	return (long long)hi << 32 | lo;
}

/* Wine time.c, test_user_shared_data_time: SystemTime bracket */
TEST_F(conf_time, wine_time_user_shared_data_system_time)
{
	volatile KUSER_SHARED_DATA *k = (volatile KUSER_SHARED_DATA *)0x7ffe0000;
	long long t1, t3, worst = 0;
	LARGE_INTEGER t2;
	int i, bad = 0;

	for (i = 0; i < 20000; i++) {
		t1 = ksystem_time(&k->SystemTime);
		NtQuerySystemTime(&t2);
		t3 = ksystem_time(&k->SystemTime);
		if (t1 > t2.QuadPart || t2.QuadPart > t3) {
			bad++;
			if (t1 - t2.QuadPart > worst)
				worst = t1 - t2.QuadPart;
			if (t2.QuadPart - t3 > worst)
				worst = t2.QuadPart - t3;
		}
	}
	EXPECT_EQ(0, bad) TH_LOG("%d of 20000 out of order, by up to %lld00 ns",
				  bad, worst);
}

TEST_HARNESS_MAIN
