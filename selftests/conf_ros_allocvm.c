// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: checks ported from ReactOS
 * modules/rostests/apitests/ntdll/NtAllocateVirtualMemory.c (issue 17):
 * CheckAlignment (a reservation at an unaligned base starts at the 64 KiB
 * boundary below and ends at the page above the end; commits and frees
 * inside and outside it), CheckAdjacentVADs (ranges across allocations,
 * what NtQueryVirtualMemory reports for a page committed in the middle,
 * releasing the middle of a reservation), the lowest address rule, and the
 * Allocate/ReAllocate/Free stress of guarded buffers. Re-expressed, not
 * copied. The fixed addresses are ReactOS's (0x50000000), free in our
 * static test programs. ReactOS's "a reservation at 0x10000 conflicts" is
 * not ported: it depends on what Windows maps there, not on a rule.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nt_test.h"

#define PG	0x1000u
#define A(x)	((void *)(uintptr_t)(x))

FIXTURE(conf_ros_allocvm) {};
NT_GATE_VARIANTS(conf_ros_allocvm);
FIXTURE_SETUP(conf_ros_allocvm) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(conf_ros_allocvm) {}

static NTSTATUS ros_valloc(uintptr_t at, SIZE_T size, ULONG type, ULONG prot,
		       void **base, SIZE_T *out)
{
	NTSTATUS st;

	*base = A(at);
	*out = size;
	st = NtAllocateVirtualMemory(NtCurrentProcess(), base, 0, out, type, prot);
	return st;
}

static NTSTATUS vfree(uintptr_t at, SIZE_T size, ULONG type)
{
	void *base = A(at);

	return NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, type);
}

static int faults(volatile int *p, int write)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		if (write)
			*p = 1;
		else
			(void)*p;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

/* ReactOS NtAllocateVirtualMemory.c, CheckSize/CheckAlignment */
TEST_F(conf_ros_allocvm, ros_NtAllocateVirtualMemory_alignment)
{
	static const struct { uintptr_t base; SIZE_T in, out; } sz[] = {
		{ 0x50000000, 0x0001, 0x1000 }, { 0x50008000, 0x0001, 0x9000 },
		{ 0x50000010, 0x1000, 0x2000 }, { 0x50010000, 0x2000, 0x2000 },
		{ 0x5000ffff, 0x3000, 0x13000 }, { 0x50001010, 0x7000, 0x9000 },
		{ 0x50001010, 0xc000, 0xe000 },
	};
	SIZE_T size;
	void *base;
	unsigned int i;

	for (i = 0; i < sizeof(sz) / sizeof(sz[0]); i++) {
		ASSERT_STATUS(STATUS_SUCCESS, ros_valloc(sz[i].base, sz[i].in, MEM_RESERVE,
						     PAGE_NOACCESS, &base, &size));
		EXPECT_TRUE(base == A(sz[i].base & ~0xffffu)) TH_LOG("row %u", i);
		EXPECT_EQ(sz[i].out, size) TH_LOG("row %u", i);
		EXPECT_STATUS(STATUS_SUCCESS,
			      NtFreeVirtualMemory(NtCurrentProcess(), &base, &size,
						  MEM_RELEASE));
	}
	/* not aligned to the granularity */
	ASSERT_STATUS(STATUS_SUCCESS, ros_valloc(0x50001010, 0x1000, MEM_RESERVE, PAGE_NOACCESS,
					     &base, &size));
	EXPECT_TRUE(base == A(0x50000000));
	EXPECT_EQ(0x3000u, size);
	/* the same 64 KiB again */
	EXPECT_STATUS(STATUS_CONFLICTING_ADDRESSES,
		      ros_valloc(0x50008000, 0x1000, MEM_RESERVE, PAGE_NOACCESS, &base, &size));
	/* commit, then again with another protection */
	EXPECT_STATUS(STATUS_SUCCESS,
		      ros_valloc(0x50002000, 0x1000, MEM_COMMIT, PAGE_NOACCESS, &base, &size));
	EXPECT_TRUE(base == A(0x50002000));
	EXPECT_EQ(0x1000u, size);
	EXPECT_STATUS(STATUS_SUCCESS,
		      ros_valloc(0x50002000, 0x1000, MEM_COMMIT, PAGE_READWRITE, &base, &size));
	EXPECT_TRUE(base == A(0x50002000));
	EXPECT_EQ(0x1000u, size);
	/* past the reservation */
	EXPECT_STATUS(STATUS_CONFLICTING_ADDRESSES,
		      ros_valloc(0x50003000, 0x1000, MEM_COMMIT, PAGE_NOACCESS, &base, &size));
	/* decommit, uncommitted pages included */
	EXPECT_STATUS(STATUS_SUCCESS, vfree(0x50000000, 0x3000, MEM_DECOMMIT));
	/* release where nothing is allocated, in and out of the 64 KiB */
	EXPECT_STATUS(STATUS_MEMORY_NOT_ALLOCATED, vfree(0x50010000, 0x1000, MEM_RELEASE));
	EXPECT_STATUS(STATUS_MEMORY_NOT_ALLOCATED, vfree(0x50008000, 0x1000, MEM_RELEASE));
	/* the right base, too big */
	EXPECT_STATUS(STATUS_UNABLE_TO_FREE_VM, vfree(0x50000000, 0x4000, MEM_RELEASE));
	EXPECT_STATUS(STATUS_SUCCESS, vfree(0x50000000, 0x3000, MEM_RELEASE));
	/* reserve and commit at once, unaligned */
	ASSERT_STATUS(STATUS_SUCCESS, ros_valloc(0x50004080, 0x1000, MEM_RESERVE | MEM_COMMIT,
					     PAGE_READWRITE, &base, &size));
	EXPECT_TRUE(base == A(0x50000000));
	EXPECT_EQ(0x6000u, size);
	*(volatile int *)base = 1;
	*(volatile int *)A(0x50004080) = 1;
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, MEM_RELEASE));
}

/* ReactOS NtAllocateVirtualMemory.c, CheckAdjacentVADs */
TEST_F(conf_ros_allocvm, ros_NtAllocateVirtualMemory_adjacent)
{
	MEMORY_BASIC_INFORMATION mbi;
	SIZE_T size;
	void *base;

	ASSERT_STATUS(STATUS_SUCCESS, ros_valloc(0x50000000, 0x10000, MEM_RESERVE,
					     PAGE_NOACCESS, &base, &size));
	ASSERT_STATUS(STATUS_SUCCESS, ros_valloc(0x50020000, 0x10000, MEM_RESERVE,
					     PAGE_NOACCESS, &base, &size));
	/* across two allocations and the hole between */
	EXPECT_STATUS(STATUS_UNABLE_TO_FREE_VM, vfree(0x50000000, 0x30000, MEM_RELEASE));
	ASSERT_STATUS(STATUS_SUCCESS, ros_valloc(0x50010000, 0x10000, MEM_RESERVE,
					     PAGE_NOACCESS, &base, &size));
	EXPECT_STATUS(STATUS_CONFLICTING_ADDRESSES,
		      ros_valloc(0x50004000, 0x10000, MEM_COMMIT, PAGE_NOACCESS, &base, &size));
	EXPECT_STATUS(STATUS_SUCCESS,
		      ros_valloc(0x50000000, 0x1000, MEM_COMMIT, PAGE_READWRITE, &base, &size));
	EXPECT_STATUS(STATUS_SUCCESS,
		      ros_valloc(0x50002000, 0x1000, MEM_COMMIT, PAGE_NOACCESS, &base, &size));
	*(volatile int *)A(0x50000000) = 1;
	EXPECT_TRUE(faults(A(0x50002000), 0));
	/* three pages over the two, read-only */
	EXPECT_STATUS(STATUS_SUCCESS,
		      ros_valloc(0x50000000, 0x3000, MEM_COMMIT, PAGE_READONLY, &base, &size));
	EXPECT_TRUE(faults(A(0x50000000), 1));
	/* the last page of the first region, and what a query says of it */
	EXPECT_STATUS(STATUS_SUCCESS,
		      ros_valloc(0x5000f000, 0x1000, MEM_COMMIT, PAGE_READWRITE, &base, &size));
	EXPECT_TRUE(base == A(0x5000f000));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryVirtualMemory(NtCurrentProcess(), A(0x5000f700),
					   MemoryBasicInformation, &mbi, sizeof(mbi), NULL));
	EXPECT_TRUE(mbi.BaseAddress == A(0x5000f000));
	EXPECT_TRUE(mbi.AllocationBase == A(0x50000000));
	EXPECT_EQ((ULONG)PAGE_NOACCESS, mbi.AllocationProtect);
	EXPECT_EQ(0x1000u, mbi.RegionSize);
	EXPECT_EQ((ULONG)MEM_COMMIT, mbi.State);
	EXPECT_EQ((ULONG)PAGE_READWRITE, mbi.Protect);
	EXPECT_EQ((ULONG)MEM_PRIVATE, mbi.Type);
	EXPECT_STATUS(STATUS_UNABLE_TO_FREE_VM, vfree(0x50000000, 0x30000, MEM_RELEASE));
	EXPECT_STATUS(STATUS_SUCCESS, vfree(0x50000000, 0x10000, MEM_RELEASE));
	EXPECT_STATUS(STATUS_SUCCESS, vfree(0x50010000, 0x10000, MEM_RELEASE));
	EXPECT_STATUS(STATUS_SUCCESS, vfree(0x50020000, 0x10000, MEM_RELEASE));
	/* three granules at once, then the middle one released */
	ASSERT_STATUS(STATUS_SUCCESS, ros_valloc(0x50000000, 0x30000, MEM_RESERVE,
					     PAGE_NOACCESS, &base, &size));
	EXPECT_STATUS(STATUS_SUCCESS, vfree(0x50010000, 0x10000, MEM_RELEASE));
	EXPECT_STATUS(STATUS_SUCCESS, vfree(0x50000000, 0x10000, MEM_RELEASE));
	EXPECT_STATUS(STATUS_SUCCESS, vfree(0x50020000, 0x10000, MEM_RELEASE));
}

/* ReactOS NtAllocateVirtualMemory.c: below 0x10000 is no user address */
TEST_F(conf_ros_allocvm, ros_NtAllocateVirtualMemory_lowest_address)
{
	SIZE_T size;
	void *base;

	EXPECT_STATUS(STATUS_INVALID_PARAMETER_2,
		      ros_valloc(0xf000, 0x1000, MEM_RESERVE, PAGE_READWRITE, &base, &size));
}

/* A buffer ending at a guard page, as ReactOS's Allocate() builds it. */
struct gbuf {
	unsigned char *user;
	void *start;
	SIZE_T alloc, len;
};

static NTSTATUS galloc(struct gbuf *g, SIZE_T len)
{
	SIZE_T size = (len + PG + 2 * sizeof(SIZE_T) + PG - 1) & ~(SIZE_T)(PG - 1);
	SIZE_T commit = size - PG;
	void *first;
	NTSTATUS st;

	g->start = NULL;
	st = NtAllocateVirtualMemory(NtCurrentProcess(), &g->start, 0, &size,
				     MEM_RESERVE, PAGE_NOACCESS);
	if (st)
		return st;
	first = g->start;
	st = NtAllocateVirtualMemory(NtCurrentProcess(), &first, 0, &commit,
				     MEM_COMMIT, PAGE_READWRITE);
	if (st)
		return st;
	g->alloc = size;
	g->len = len;
	g->user = (unsigned char *)g->start + size - PG - len;
	return STATUS_SUCCESS;
}

static NTSTATUS gfree(struct gbuf *g)
{
	SIZE_T zero = 0;

	return NtFreeVirtualMemory(NtCurrentProcess(), &g->start, &zero, MEM_RELEASE);
}

/* ReactOS NtAllocateVirtualMemory.c: the Allocate/ReAllocate/Free runs */
TEST_F(conf_ros_allocvm, ros_NtAllocateVirtualMemory_realloc_runs)
{
	struct gbuf a, b, n;
	SIZE_T i, bad = 0;
	int run;

	ASSERT_STATUS(STATUS_SUCCESS, galloc(&a, 32));
	ASSERT_STATUS(STATUS_SUCCESS, galloc(&b, 128));
	for (i = 0; i < a.len; i++)
		a.user[i] = (unsigned char)i;
	for (i = 0; i < b.len; i++)
		b.user[i] = 255 - (unsigned char)i;
	for (run = 0; run < 32; run++) {
		ASSERT_STATUS(STATUS_SUCCESS, galloc(&n, a.len * 3 / 2));
		for (i = 0; i < n.len; i++)
			bad += n.user[i] != 0;
		memcpy(n.user, a.user, a.len);
		ASSERT_STATUS(STATUS_SUCCESS, gfree(&a));
		a = n;
		for (i = 0; i < a.len; i++)
			a.user[i] = (unsigned char)i;
		ASSERT_STATUS(STATUS_SUCCESS, galloc(&n, b.len + 128));
		memcpy(n.user, b.user, b.len);
		for (i = 0; i < b.len; i++)
			bad += n.user[i] != (unsigned char)(255 - i);
		ASSERT_STATUS(STATUS_SUCCESS, gfree(&b));
		b = n;
		for (i = 0; i < b.len; i++)
			b.user[i] = 255 - (unsigned char)i;
	}
	for (i = 0; i < a.len; i++)
		bad += a.user[i] != (unsigned char)i;
	EXPECT_EQ(0u, bad);
	/* the guard page after each buffer */
	EXPECT_TRUE(faults((volatile int *)(a.user + a.len), 0));
	EXPECT_STATUS(STATUS_SUCCESS, gfree(&a));
	EXPECT_STATUS(STATUS_SUCCESS, gfree(&b));
}

TEST_HARNESS_MAIN
