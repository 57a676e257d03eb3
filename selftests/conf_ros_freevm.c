// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: checks ported from ReactOS
 * modules/rostests/apitests/ntdll/NtFreeVirtualMemory.c (issue 17):
 * Test_NtFreeVirtualMemory's rounding of unaligned ranges, ranges past the
 * allocation, and page-by-page release of a two-page reservation in
 * either order. Re-expressed, not copied.
 */
#include "nt_test.h"

#define PG	0x1000u

FIXTURE(conf_ros_freevm) {};
NT_GATE_VARIANTS(conf_ros_freevm);
FIXTURE_SETUP(conf_ros_freevm) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(conf_ros_freevm) {}

static NTSTATUS reserve(void **base, SIZE_T *len)
{
	return NtAllocateVirtualMemory(NtCurrentProcess(), base, 0, len, MEM_RESERVE,
				       PAGE_READWRITE);
}

static NTSTATUS vfree(void **base, SIZE_T *len, ULONG type)
{
	return NtFreeVirtualMemory(NtCurrentProcess(), base, len, type);
}

/* ReactOS NtFreeVirtualMemory.c: one page, ranges in and out of bounds */
TEST_F(conf_ros_freevm, ros_NtFreeVirtualMemory_one_page)
{
	void *buf = NULL, *b2;
	SIZE_T len = PG;

	ASSERT_STATUS(STATUS_SUCCESS, reserve(&buf, &len));
	EXPECT_EQ(PG, len);
	EXPECT_EQ(0u, (uintptr_t)buf % PG);
	EXPECT_STATUS(STATUS_SUCCESS, vfree(&buf, &len, MEM_DECOMMIT));
	/* more than the allocation */
	len++;
	EXPECT_STATUS(STATUS_UNABLE_TO_FREE_VM, vfree(&buf, &len, MEM_DECOMMIT));
	EXPECT_STATUS(STATUS_UNABLE_TO_FREE_VM, vfree(&buf, &len, MEM_RELEASE));
	/* from one byte in, a page long: runs past the end */
	len = PG;
	b2 = (char *)buf + 1;
	EXPECT_STATUS(STATUS_UNABLE_TO_FREE_VM, vfree(&b2, &len, MEM_DECOMMIT));
	b2 = (char *)buf + 1;
	len = PG;
	EXPECT_STATUS(STATUS_UNABLE_TO_FREE_VM, vfree(&b2, &len, MEM_RELEASE));
	/* the same, in bounds: rounded out to the page */
	len = PG - 1;
	b2 = (char *)buf + 1;
	EXPECT_STATUS(STATUS_SUCCESS, vfree(&b2, &len, MEM_DECOMMIT));
	EXPECT_TRUE(b2 == buf);
	EXPECT_EQ(PG, len);
	b2 = (char *)buf + 1;
	len = PG - 1;
	EXPECT_STATUS(STATUS_SUCCESS, vfree(&b2, &len, MEM_RELEASE));
	EXPECT_TRUE(b2 == buf);
	EXPECT_EQ(PG, len);
}

/* ReactOS NtFreeVirtualMemory.c: two pages, released one at a time */
TEST_F(conf_ros_freevm, ros_NtFreeVirtualMemory_two_pages)
{
	void *buf = NULL, *b2;
	SIZE_T len;
	int order;

	for (order = 0; order < 2; order++) {
		len = 2 * PG;
		ASSERT_STATUS(STATUS_SUCCESS, reserve(&buf, &len));
		EXPECT_EQ(2 * PG, len);
		b2 = (char *)buf + (order ? PG : 0);
		len = PG;
		EXPECT_STATUS(STATUS_SUCCESS, vfree(&b2, &len, MEM_RELEASE));
		EXPECT_EQ(PG, len);
		EXPECT_TRUE(b2 == (char *)buf + (order ? PG : 0));
		b2 = (char *)buf + (order ? 0 : PG);
		len = PG;
		EXPECT_STATUS(STATUS_SUCCESS, vfree(&b2, &len, MEM_RELEASE));
		EXPECT_EQ(PG, len);
		EXPECT_TRUE(b2 == (char *)buf + (order ? 0 : PG));
	}
	/* a page from one byte in spans both: the whole reservation */
	len = 2 * PG;
	ASSERT_STATUS(STATUS_SUCCESS, reserve(&buf, &len));
	b2 = (char *)buf + 1;
	len = PG;
	EXPECT_STATUS(STATUS_SUCCESS, vfree(&b2, &len, MEM_RELEASE));
	EXPECT_EQ(2 * PG, len);
	EXPECT_TRUE(b2 == buf);
}

TEST_HARNESS_MAIN
