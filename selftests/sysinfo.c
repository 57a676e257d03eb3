// SPDX-License-Identifier: GPL-2.0
/*
 * NtQuerySystemInformation: basic, processor, performance, time of day and
 * process information, length rules and bad input.
 *
 * Length rules from ReactOS ntoskrnl/ex/sysinfo.c (QSI_DEF per class) and
 * Wine's dlls/ntdll/tests/info.c (test_query_basic, test_query_timeofday,
 * test_query_process): Basic wants the exact size, Processor and
 * Performance a minimum, TimeOfDay any length up to its size; ReturnLength
 * reports the needed size, also with STATUS_INFO_LENGTH_MISMATCH.
 */
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "nt_test.h"

#define KERNEL_PTR	((void *)0xc0001000)

FIXTURE(sysinfo) {};
NT_GATE_VARIANTS(sysinfo);
FIXTURE_SETUP(sysinfo) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(sysinfo) {}

TEST_F(sysinfo, basic_information)
{
	SYSTEM_BASIC_INFORMATION sbi;
	ULONG len = NT_POISON_ULONG;

	nt_poison(&sbi);
	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemInformation(SystemBasicInformation,
							       &sbi, sizeof(sbi), &len));
	EXPECT_EQ(sizeof(sbi), len);
	EXPECT_EQ(4096u, sbi.PageSize);
	EXPECT_EQ(0x10000u, sbi.AllocationGranularity);
	EXPECT_EQ(0x10000u, sbi.MinimumUserModeAddress);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), sbi.NumberOfProcessors);
	EXPECT_NE(0u, sbi.NumberOfPhysicalPages);
	EXPECT_EQ(156250u, sbi.TimerResolution);
}

TEST_F(sysinfo, basic_information_wants_exact_length)
{
	SYSTEM_BASIC_INFORMATION sbi[2];
	ULONG len = NT_POISON_ULONG;

	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQuerySystemInformation(SystemBasicInformation, sbi,
					       sizeof(sbi[0]) + 4, &len));
	EXPECT_EQ(sizeof(sbi[0]), len);
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQuerySystemInformation(SystemBasicInformation, sbi,
					       sizeof(sbi[0]) - 1, NULL));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQuerySystemInformation(SystemBasicInformation, NULL, 0, NULL));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQuerySystemInformation(SystemBasicInformation, sbi,
					       0xffffffff, NULL));
}

TEST_F(sysinfo, processor_information)
{
	SYSTEM_PROCESSOR_INFORMATION spi[2];

	nt_poison(&spi[0]);
	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemInformation(SystemProcessorInformation,
							       spi, sizeof(spi), NULL));
	EXPECT_EQ(PROCESSOR_ARCHITECTURE_INTEL, spi[0].ProcessorArchitecture);
	EXPECT_GE(spi[0].ProcessorLevel, 3);
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQuerySystemInformation(SystemProcessorInformation, spi,
					       sizeof(spi[0]) - 1, NULL));
}

TEST_F(sysinfo, performance_information)
{
	SYSTEM_PERFORMANCE_INFORMATION spi;
	ULONG len;

	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemInformation(SystemPerformanceInformation,
							       &spi, sizeof(spi), &len));
	EXPECT_EQ(0x138u, len);
	EXPECT_NE(0u, spi.AvailablePages);
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQuerySystemInformation(SystemPerformanceInformation, &spi,
					       sizeof(spi) - 4, &len));
	EXPECT_EQ(0x138u, len);
}

TEST_F(sysinfo, time_of_day_information)
{
	SYSTEM_TIME_OF_DAY_INFORMATION sti;
	char xp[49];
	LARGE_INTEGER now;
	ULONG len = NT_POISON_ULONG;

	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemInformation(SystemTimeOfDayInformation,
							       &sti, sizeof(sti), &len));
	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemTime(&now));
	EXPECT_EQ(sizeof(sti), len);
	EXPECT_LE(sti.CurrentTime.QuadPart, now.QuadPart);
	EXPECT_GT(sti.CurrentTime.QuadPart + 10000000LL, now.QuadPart);
	EXPECT_LT(sti.BootTime.QuadPart, sti.CurrentTime.QuadPart);
	/* XP: any length up to the size; that many bytes are written */
	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemInformation(SystemTimeOfDayInformation,
							       &sti, 0, &len));
	EXPECT_EQ(0u, len);
	/* Windows 2000/XP: up to 48 bytes (Wine's test_query_timeofday) */
	memset(xp, 0xcc, sizeof(xp));
	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemInformation(SystemTimeOfDayInformation,
							       xp, 48, &len));
	EXPECT_EQ(48u, len);
	EXPECT_EQ(0, xp[47]);
	EXPECT_EQ((char)0xcc, xp[48]);
	/* XP reports no length for too long a buffer (Wine test_query_timeofday) */
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQuerySystemInformation(SystemTimeOfDayInformation, xp, 49, &len));
	EXPECT_EQ(0u, len);
}

TEST_F(sysinfo, process_list_contains_self)
{
	SYSTEM_PROCESS_INFORMATION *spi;
	ULONG len = 0, i;
	char *buf;
	int found = 0;

	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQuerySystemInformation(SystemProcessInformation, NULL, 0, &len));
	ASSERT_GT(len, sizeof(*spi));
	len += 64 * 1024;
	buf = malloc(len);
	ASSERT_TRUE(buf != NULL);
	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemInformation(SystemProcessInformation,
							       buf, len, &len));
	for (spi = (void *)buf;; spi = (void *)((char *)spi + spi->NextEntryOffset)) {
		if ((ULONG_PTR)spi->UniqueProcessId == (ULONG_PTR)getpid()) {
			found = 1;
			EXPECT_GE(spi->NumberOfThreads, 1u);
			EXPECT_EQ((ULONG_PTR)getppid(),
				  (ULONG_PTR)spi->InheritedFromUniqueProcessId);
			EXPECT_EQ((ULONG_PTR)getpid(),
				  (ULONG_PTR)spi->Threads[0].ClientId.UniqueProcess);
			EXPECT_EQ(7 * 2, spi->ImageName.Length);	/* "sysinfo" */
			for (i = 0; i < 7 && spi->ImageName.Buffer; i++)
				EXPECT_EQ("sysinfo"[i], spi->ImageName.Buffer[i]);
			EXPECT_NE(0u, spi->VmCounters.VirtualSize);
		}
		if (!spi->NextEntryOffset)
			break;
		ASSERT_LT((char *)spi - buf + spi->NextEntryOffset, len);
	}
	EXPECT_TRUE(found);
	free(buf);
}

TEST_F(sysinfo, invalid_class)
{
	char buf[64];

	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtQuerySystemInformation(0x7fff, buf, sizeof(buf), NULL));
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtQuerySystemInformation(4, buf, sizeof(buf), NULL));
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtQuerySystemInformation(0xffffffff, buf, sizeof(buf), NULL));
}

TEST_F(sysinfo, bad_pointers)
{
	SYSTEM_BASIC_INFORMATION sbi;

	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQuerySystemInformation(SystemBasicInformation, KERNEL_PTR,
					       sizeof(sbi), NULL));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQuerySystemInformation(SystemBasicInformation, NULL,
					       sizeof(sbi), NULL));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQuerySystemInformation(SystemBasicInformation, &sbi,
					       sizeof(sbi), KERNEL_PTR));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQuerySystemInformation(SystemProcessInformation, KERNEL_PTR,
					       0x100000, NULL));
}

TEST_HARNESS_MAIN
