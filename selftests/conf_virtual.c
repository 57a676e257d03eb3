// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: checks ported from Wine's dlls/ntdll/tests/virtual.c
 * (issue 17). Each test names the Wine test function its checks come from;
 * the checks are re-expressed, not copied. Where Wine accepts several
 * results (`ok(a || broken(b))`), the expected value here is XP SP3's.
 *
 * A few checks come from the issue's own reproductions of what Windows
 * does (VirtualAlloc(NULL, n, MEM_COMMIT), partial release, commit inside
 * a SEC_RESERVE view); those cite Wine's dlls/kernel32/tests/virtual.c,
 * where the same Win32 behaviour is asserted.
 */
#include "nt_test.h"

#ifndef AT_ROUND_TO_PAGE
#define AT_ROUND_TO_PAGE	0x40000000
#endif

FIXTURE(conf_virtual) {};
NT_GATE_VARIANTS(conf_virtual);
FIXTURE_SETUP(conf_virtual) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(conf_virtual) {}

static NTSTATUS nt_valloc(void **base, ULONG_PTR zero_bits, SIZE_T size,
		       ULONG type, ULONG prot)
{
	return NtAllocateVirtualMemory(NtCurrentProcess(), base, zero_bits,
				       &size, type, prot);
}

static NTSTATUS vfree(void **base, SIZE_T *size, ULONG type)
{
	return NtFreeVirtualMemory(NtCurrentProcess(), base, size, type);
}

static NTSTATUS vrelease(void *base)
{
	SIZE_T size = 0;

	return vfree(&base, &size, MEM_RELEASE);
}

static MEMORY_BASIC_INFORMATION vquery(void *addr)
{
	MEMORY_BASIC_INFORMATION mbi;

	memset(&mbi, 0xcc, sizeof(mbi));
	if (NtQueryVirtualMemory(NtCurrentProcess(), addr, MemoryBasicInformation,
				 &mbi, sizeof(mbi), NULL))
		mbi.State = 0xdead;
	return mbi;
}

/* Wine virtual.c, test_NtAllocateVirtualMemory: granularity and ZeroBits. */
TEST_F(conf_virtual, wine_virtual_NtAllocateVirtualMemory_conflicts_and_zero_bits)
{
	void *a1 = NULL, *a2;
	ULONG_PTR zb;
	NTSTATUS st;

	ASSERT_STATUS(STATUS_SUCCESS, nt_valloc(&a1, 0, 0x1000, MEM_RESERVE | MEM_COMMIT,
					     PAGE_EXECUTE_READWRITE));
	/* the next page is inside the same 64 KiB granule */
	a2 = (char *)a1 + 0x1000;
	EXPECT_STATUS(STATUS_CONFLICTING_ADDRESSES,
		      nt_valloc(&a2, 0, 0x1000, MEM_RESERVE | MEM_COMMIT,
			     PAGE_EXECUTE_READWRITE));
	a2 = (char *)a1 + 0x1000;
	EXPECT_STATUS(STATUS_CONFLICTING_ADDRESSES,
		      nt_valloc(&a2, 12, 0x1000, MEM_RESERVE | MEM_COMMIT,
			     PAGE_EXECUTE_READWRITE));
	/* 2..20 zero bits: success below the limit, or no memory there */
	for (zb = 2; zb <= 20; zb++) {
		a2 = NULL;
		st = nt_valloc(&a2, zb, 0x1000, MEM_RESERVE | MEM_COMMIT | MEM_TOP_DOWN,
			    PAGE_READWRITE);
		EXPECT_TRUE(st == STATUS_SUCCESS || st == STATUS_NO_MEMORY)
			TH_LOG("zero bits %lu: 0x%08x", (unsigned long)zb, st);
		if (st == STATUS_SUCCESS) {
			EXPECT_EQ(0u, (ULONG_PTR)a2 >> (32 - zb));
			EXPECT_STATUS(STATUS_SUCCESS, vrelease(a2));
		}
	}
	/* 21 never fits a 64 KiB granule; 22 and up are invalid on x86 */
	a2 = NULL;
	st = nt_valloc(&a2, 21, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READWRITE);
	EXPECT_TRUE(st == STATUS_NO_MEMORY || st == STATUS_INVALID_PARAMETER)
		TH_LOG("21 zero bits: 0x%08x", st);
	a2 = NULL;
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_3,
		      nt_valloc(&a2, 22, 0x1000, MEM_RESERVE | MEM_COMMIT,
			     PAGE_EXECUTE_READWRITE));
	a2 = NULL;
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_3,
		      nt_valloc(&a2, 0x1aaaaaaa, 0x1000,
			     MEM_RESERVE | MEM_COMMIT | MEM_TOP_DOWN, PAGE_READWRITE));
	/* AT_ROUND_TO_PAGE is a section-view flag only */
	a2 = (char *)a1 + 0x1000;
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_5,
		      nt_valloc(&a2, 0, 0x1000,
			     MEM_RESERVE | MEM_COMMIT | AT_ROUND_TO_PAGE,
			     PAGE_EXECUTE_READWRITE));
	EXPECT_STATUS(STATUS_SUCCESS, vrelease(a1));
}

/*
 * Wine virtual.c, test_NtAllocateVirtualMemory ("NtFreeVirtualMemory
 * tests"): rounding of a decommit range, and size 0 naming the whole
 * allocation from any address in its first page. XP reports the whole
 * allocation's size for a size-0 decommit (Wine: broken(size == 0x10000)).
 */
TEST_F(conf_virtual, wine_virtual_NtFreeVirtualMemory_rounding)
{
	void *a1 = NULL, *a2;
	SIZE_T size;

	ASSERT_STATUS(STATUS_SUCCESS, nt_valloc(&a1, 0, 0x10000, MEM_RESERVE | MEM_COMMIT,
					     PAGE_EXECUTE_READWRITE));
	size = 2;
	a2 = (char *)a1 + 0x1fff;
	EXPECT_STATUS(STATUS_SUCCESS, vfree(&a2, &size, MEM_DECOMMIT));
	EXPECT_EQ(0x2000u, size);
	EXPECT_TRUE(a2 == (char *)a1 + 0x1000);

	size = 0;
	a2 = (char *)a1 + 0x1001;
	EXPECT_STATUS(STATUS_FREE_VM_NOT_AT_BASE, vfree(&a2, &size, MEM_DECOMMIT));
	EXPECT_EQ(0u, size);
	EXPECT_TRUE(a2 == (char *)a1 + 0x1001);

	size = 0;
	a2 = (char *)a1 + 0xffe;
	EXPECT_STATUS(STATUS_SUCCESS, vfree(&a2, &size, MEM_DECOMMIT));
	EXPECT_EQ(0x10000u, size);
	EXPECT_TRUE(a2 == a1);
	EXPECT_EQ((ULONG)MEM_RESERVE, vquery(a1).State);

	size = 0;
	a2 = (char *)a1 + 0x1001;
	EXPECT_STATUS(STATUS_FREE_VM_NOT_AT_BASE, vfree(&a2, &size, MEM_RELEASE));
	EXPECT_EQ(0u, size);
	EXPECT_TRUE(a2 == (char *)a1 + 0x1001);

	size = 0;
	a2 = (char *)a1 + 0xfff;
	EXPECT_STATUS(STATUS_SUCCESS, vfree(&a2, &size, MEM_RELEASE));
	EXPECT_EQ(0x10000u, size);
	EXPECT_TRUE(a2 == a1);
	EXPECT_EQ((ULONG)MEM_FREE, vquery(a1).State);
}

/*
 * Issue 17 / Wine kernel32 virtual.c (test_VirtualAlloc): a commit with
 * no base reserves and commits, as VirtualAlloc(NULL, n, MEM_COMMIT) does.
 */
TEST_F(conf_virtual, wine_virtual_commit_without_reserve_at_null_base)
{
	void *a = NULL;
	SIZE_T size = 0x3000;
	MEMORY_BASIC_INFORMATION mbi;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtAllocateVirtualMemory(NtCurrentProcess(), &a, 0, &size,
					      MEM_COMMIT, PAGE_READWRITE));
	EXPECT_EQ(0u, (ULONG_PTR)a & 0xffff);
	EXPECT_EQ(0x3000u, size);
	((volatile char *)a)[0x2fff] = 1;
	mbi = vquery(a);
	EXPECT_EQ((ULONG)MEM_COMMIT, mbi.State);
	EXPECT_EQ((ULONG)MEM_PRIVATE, mbi.Type);
	EXPECT_EQ((ULONG)PAGE_READWRITE, mbi.Protect);
	EXPECT_EQ(0x3000u, mbi.RegionSize);
	EXPECT_STATUS(STATUS_SUCCESS, vrelease(a));
}

/*
 * Issue 17 (XP's MiFreeVirtualMemory trims or splits the VAD): MEM_RELEASE
 * of the head, the tail and the middle of one reservation.
 */
TEST_F(conf_virtual, wine_virtual_partial_release)
{
	void *a = NULL, *p;
	SIZE_T size;
	MEMORY_BASIC_INFORMATION mbi;
	char *c;

	ASSERT_STATUS(STATUS_SUCCESS, nt_valloc(&a, 0, 0x10000, MEM_RESERVE | MEM_COMMIT,
					     PAGE_READWRITE));
	c = a;
	c[0x5000] = 5;
	c[0xa000] = 10;
	/* the middle: two allocations remain */
	p = c + 0x6000;
	size = 0x2000;
	ASSERT_STATUS(STATUS_SUCCESS, vfree(&p, &size, MEM_RELEASE));
	EXPECT_TRUE(p == c + 0x6000);
	EXPECT_EQ(0x2000u, size);
	EXPECT_EQ((ULONG)MEM_FREE, vquery(c + 0x6000).State);
	EXPECT_EQ((ULONG)MEM_FREE, vquery(c + 0x7000).State);
	mbi = vquery(c + 0x8000);
	EXPECT_EQ((ULONG)MEM_COMMIT, mbi.State);
	EXPECT_TRUE(mbi.AllocationBase == c + 0x8000);
	EXPECT_EQ(0x8000u, mbi.RegionSize);
	mbi = vquery(c);
	EXPECT_TRUE(mbi.AllocationBase == c);
	EXPECT_EQ(0x6000u, mbi.RegionSize);
	EXPECT_EQ(5, c[0x5000]);
	EXPECT_EQ(10, c[0xa000]);
	/* the head of the upper piece */
	p = c + 0x8000;
	size = 0x1000;
	ASSERT_STATUS(STATUS_SUCCESS, vfree(&p, &size, MEM_RELEASE));
	mbi = vquery(c + 0x9000);
	EXPECT_TRUE(mbi.AllocationBase == c + 0x9000);
	EXPECT_EQ(0x7000u, mbi.RegionSize);
	EXPECT_EQ(10, c[0xa000]);
	/* the tail of the lower piece */
	p = c + 0x4000;
	size = 0x2000;
	ASSERT_STATUS(STATUS_SUCCESS, vfree(&p, &size, MEM_RELEASE));
	EXPECT_EQ(0x4000u, vquery(c).RegionSize);
	EXPECT_EQ((ULONG)MEM_FREE, vquery(c + 0x4000).State);
	/* a range across two allocations is refused */
	p = c + 0x3000;
	size = 0x7000;
	EXPECT_STATUS(STATUS_UNABLE_TO_FREE_VM, vfree(&p, &size, MEM_RELEASE));
	EXPECT_STATUS(STATUS_SUCCESS, vrelease(c));
	EXPECT_STATUS(STATUS_SUCCESS, vrelease(c + 0x9000));
	EXPECT_EQ((ULONG)MEM_FREE, vquery(c + 0xf000).State);
}

/*
 * Issue 17 / Wine kernel32 virtual.c (test_CreateFileMapping's SEC_RESERVE
 * part): pages of a view of a SEC_RESERVE section are committed with
 * NtAllocateVirtualMemory(MEM_COMMIT) at their address.
 */
TEST_F(conf_virtual, wine_virtual_commit_in_sec_reserve_view)
{
	LARGE_INTEGER max = { .QuadPart = 0x100000 };
	void *view = NULL, *p;
	SIZE_T size = 0;
	HANDLE s;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_READWRITE, SEC_RESERVE, NULL));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtMapViewOfSection(s, NtCurrentProcess(), &view, 0, 0, NULL,
					 &size, ViewShare, 0, PAGE_READWRITE));
	p = (char *)view + 0x3000;
	EXPECT_STATUS(STATUS_SUCCESS, nt_valloc(&p, 0, 0x2000, MEM_COMMIT, PAGE_READWRITE));
	EXPECT_TRUE(p == (char *)view + 0x3000);
	((volatile char *)view)[0x4fff] = 7;
	EXPECT_EQ((ULONG)MEM_COMMIT, vquery((char *)view + 0x3000).State);
	EXPECT_EQ((ULONG)MEM_MAPPED, vquery((char *)view + 0x3000).Type);
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(NtCurrentProcess(), view));
	NtClose(s);
}

TEST_HARNESS_MAIN
