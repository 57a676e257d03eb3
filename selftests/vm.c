// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual memory: NtAllocateVirtualMemory, NtFreeVirtualMemory,
 * NtProtectVirtualMemory, NtQueryVirtualMemory, NtRead/WriteVirtualMemory,
 * NtFlushInstructionCache.
 *
 * Windows behaviour from Wine's dlls/kernel32/tests/virtual.c and
 * dlls/ntdll/tests/virtual.c, ReactOS ntoskrnl/mm/ARM3/virtual.c: 64 KiB
 * allocation granularity, reserved pages report Protect 0, freeing from
 * the middle of an allocation with size 0 is STATUS_FREE_VM_NOT_AT_BASE,
 * freeing unallocated memory STATUS_MEMORY_NOT_ALLOCATED, a parameter
 * error names the parameter (STATUS_INVALID_PARAMETER_n).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nt_test.h"

#define KERNEL_PTR	((void *)0xc0001000)
#define MB		0x100000

FIXTURE(vm) {};
NT_GATE_VARIANTS(vm);
FIXTURE_SETUP(vm) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(vm) {}

static NTSTATUS alloc(void **base, SIZE_T size, ULONG type, ULONG prot)
{
	return NtAllocateVirtualMemory(NtCurrentProcess(), base, 0, &size, type, prot);
}

static NTSTATUS release(void *base)
{
	SIZE_T size = 0;

	return NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, MEM_RELEASE);
}

static MEMORY_BASIC_INFORMATION query(void *addr)
{
	MEMORY_BASIC_INFORMATION mbi;

	memset(&mbi, 0xcc, sizeof(mbi));
	if (NtQueryVirtualMemory(NtCurrentProcess(), addr, MemoryBasicInformation,
				 &mbi, sizeof(mbi), NULL))
		mbi.State = 0xdead;
	return mbi;
}

/* Does touching @p fault? (in a child, so the test survives) */
static int faults(volatile char *p, int write)
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

static NTSTATUS open_pid(HANDLE *h, pid_t pid, ACCESS_MASK access)
{
	CLIENT_ID cid = { (HANDLE)(ULONG_PTR)pid, 0 };
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;

	return NtOpenProcess(h, access, nt_oa(&oa, &us, NULL, 0), &cid);
}

TEST_F(vm, reserve_then_commit_and_query)
{
	void *base = NULL, *c;
	SIZE_T size = MB;
	MEMORY_BASIC_INFORMATION mbi;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size,
					      MEM_RESERVE, PAGE_READWRITE));
	EXPECT_EQ(0u, (ULONG_PTR)base & 0xffff);
	EXPECT_EQ((SIZE_T)MB, size);
	mbi = query(base);
	EXPECT_EQ((ULONG)MEM_RESERVE, mbi.State);
	EXPECT_EQ(0u, mbi.Protect);
	EXPECT_EQ((ULONG)PAGE_READWRITE, mbi.AllocationProtect);
	EXPECT_EQ((ULONG)MEM_PRIVATE, mbi.Type);
	EXPECT_EQ((SIZE_T)MB, mbi.RegionSize);
	EXPECT_TRUE(mbi.AllocationBase == base);

	c = (char *)base + 0x1800;	/* rounds down to base + 0x1000 */
	size = 0x1000;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtAllocateVirtualMemory(NtCurrentProcess(), &c, 0, &size,
					      MEM_COMMIT, PAGE_READWRITE));
	EXPECT_TRUE(c == (char *)base + 0x1000);
	EXPECT_EQ(0x2000u, size);
	mbi = query(base);
	EXPECT_EQ((ULONG)MEM_RESERVE, mbi.State);
	EXPECT_EQ(0x1000u, mbi.RegionSize);
	mbi = query((char *)base + 0x1000);
	EXPECT_EQ((ULONG)MEM_COMMIT, mbi.State);
	EXPECT_EQ((ULONG)PAGE_READWRITE, mbi.Protect);
	EXPECT_EQ(0x2000u, mbi.RegionSize);
	EXPECT_TRUE(mbi.AllocationBase == base);
	EXPECT_EQ(0, ((char *)c)[0x1fff]);	/* zero-filled */
	((char *)c)[0] = 42;
	EXPECT_TRUE(faults(base, 0));		/* reserved only */
	EXPECT_STATUS(STATUS_SUCCESS, release(base));
	mbi = query(base);
	EXPECT_EQ((ULONG)MEM_FREE, mbi.State);
	EXPECT_EQ((ULONG)PAGE_NOACCESS, mbi.Protect);
}

TEST_F(vm, decommit_discards_pages)
{
	void *base = NULL, *p;
	SIZE_T size = 0x1000;

	ASSERT_STATUS(STATUS_SUCCESS, alloc(&base, 0x10000, MEM_RESERVE | MEM_COMMIT,
					    PAGE_READWRITE));
	((char *)base)[0x1000] = 7;
	p = (char *)base + 0x1000;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, MEM_DECOMMIT));
	EXPECT_EQ((ULONG)MEM_RESERVE, query(p).State);
	EXPECT_EQ((ULONG)MEM_COMMIT, query(base).State);
	size = 0x1000;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtAllocateVirtualMemory(NtCurrentProcess(), &p, 0, &size,
					      MEM_COMMIT, PAGE_READWRITE));
	EXPECT_EQ(0, ((char *)base)[0x1000]);
	EXPECT_STATUS(STATUS_SUCCESS, release(base));
}

TEST_F(vm, free_errors)
{
	void *base = NULL, *p;
	SIZE_T size = 0;

	ASSERT_STATUS(STATUS_SUCCESS, alloc(&base, 0x20000, MEM_RESERVE, PAGE_READWRITE));
	p = (char *)base + 0x1000;
	EXPECT_STATUS(STATUS_FREE_VM_NOT_AT_BASE,
		      NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, MEM_RELEASE));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_4,
		      NtFreeVirtualMemory(NtCurrentProcess(), &p, &size, 0));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_4,
		      NtFreeVirtualMemory(NtCurrentProcess(), &p, &size,
					  MEM_RELEASE | MEM_DECOMMIT));
	EXPECT_STATUS(STATUS_SUCCESS, release(base));
	EXPECT_STATUS(STATUS_MEMORY_NOT_ALLOCATED, release(base));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtFreeVirtualMemory(NtCurrentProcess(), NULL, &size, MEM_RELEASE));
}

TEST_F(vm, fixed_address_and_conflict)
{
	void *base = NULL, *again;

	ASSERT_STATUS(STATUS_SUCCESS, alloc(&base, 0x10000, MEM_RESERVE, PAGE_READONLY));
	again = (char *)base + 0x2345;	/* rounds down to the granularity */
	EXPECT_STATUS(STATUS_CONFLICTING_ADDRESSES,
		      alloc(&again, 0x1000, MEM_RESERVE, PAGE_READONLY));
	EXPECT_STATUS(STATUS_SUCCESS, release(base));
	again = base;
	ASSERT_STATUS(STATUS_SUCCESS, alloc(&again, 0x1000, MEM_RESERVE, PAGE_READONLY));
	EXPECT_TRUE(again == base);
	EXPECT_STATUS(STATUS_SUCCESS, release(base));
	/* committing where nothing is reserved */
	again = base;
	EXPECT_STATUS(STATUS_CONFLICTING_ADDRESSES,
		      alloc(&again, 0x1000, MEM_COMMIT, PAGE_READONLY));
}

TEST_F(vm, top_down_is_above_bottom_up)
{
	void *low = NULL, *high = NULL;

	ASSERT_STATUS(STATUS_SUCCESS, alloc(&low, 0x10000, MEM_RESERVE, PAGE_READWRITE));
	ASSERT_STATUS(STATUS_SUCCESS, alloc(&high, 0x10000, MEM_RESERVE | MEM_TOP_DOWN,
					    PAGE_READWRITE));
	EXPECT_LT((ULONG_PTR)low, (ULONG_PTR)high);
	EXPECT_EQ(0u, (ULONG_PTR)high & 0xffff);
	EXPECT_STATUS(STATUS_SUCCESS, release(low));
	EXPECT_STATUS(STATUS_SUCCESS, release(high));
}

TEST_F(vm, protect_returns_old_protection)
{
	void *base = NULL, *p;
	SIZE_T size = 0x1000;
	ULONG old = NT_POISON_ULONG;

	ASSERT_STATUS(STATUS_SUCCESS, alloc(&base, 0x10000, MEM_RESERVE | MEM_COMMIT,
					    PAGE_READWRITE));
	p = base;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtProtectVirtualMemory(NtCurrentProcess(), &p, &size,
					     PAGE_READONLY, &old));
	EXPECT_EQ((ULONG)PAGE_READWRITE, old);
	EXPECT_EQ((ULONG)PAGE_READONLY, query(base).Protect);
	EXPECT_EQ(0x1000u, query(base).RegionSize);
	EXPECT_TRUE(faults(base, 1));
	EXPECT_FALSE(faults(base, 0));
	EXPECT_FALSE(faults((char *)base + 0x1000, 1));
	size = 0x1000;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtProtectVirtualMemory(NtCurrentProcess(), &p, &size,
					     PAGE_NOACCESS, &old));
	EXPECT_EQ((ULONG)PAGE_READONLY, old);
	EXPECT_TRUE(faults(base, 0));
	size = 0x1000;
	EXPECT_STATUS(STATUS_INVALID_PAGE_PROTECTION,
		      NtProtectVirtualMemory(NtCurrentProcess(), &p, &size,
					     PAGE_READONLY | PAGE_READWRITE, &old));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtProtectVirtualMemory(NtCurrentProcess(), &p, &size,
					     PAGE_READONLY, NULL));
	EXPECT_STATUS(STATUS_SUCCESS, release(base));
}

TEST_F(vm, protect_reserved_is_not_committed)
{
	void *base = NULL;
	SIZE_T size = 0x1000;
	ULONG old;

	ASSERT_STATUS(STATUS_SUCCESS, alloc(&base, 0x10000, MEM_RESERVE, PAGE_READWRITE));
	EXPECT_STATUS(STATUS_NOT_COMMITTED,
		      NtProtectVirtualMemory(NtCurrentProcess(), &base, &size,
					     PAGE_READONLY, &old));
	EXPECT_STATUS(STATUS_SUCCESS, release(base));
}

TEST_F(vm, guard_page_is_inaccessible)
{
	void *base = NULL;

	ASSERT_STATUS(STATUS_SUCCESS, alloc(&base, 0x10000, MEM_RESERVE | MEM_COMMIT,
					    PAGE_READWRITE | PAGE_GUARD));
	EXPECT_EQ((ULONG)(PAGE_READWRITE | PAGE_GUARD), query(base).Protect);
	EXPECT_TRUE(faults(base, 0));	/* unhandled STATUS_GUARD_PAGE_VIOLATION */
	EXPECT_STATUS(STATUS_SUCCESS, release(base));
}

TEST_F(vm, allocate_bad_parameters)
{
	void *base = NULL;
	SIZE_T size = 0x1000;

	EXPECT_STATUS(STATUS_INVALID_PARAMETER_3,
		      NtAllocateVirtualMemory(NtCurrentProcess(), &base, 22, &size,
					      MEM_RESERVE, PAGE_READWRITE));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_5, alloc(&base, 0x1000, 0, PAGE_READWRITE));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_5,
		      alloc(&base, 0x1000, MEM_RESERVE | MEM_RELEASE, PAGE_READWRITE));
	EXPECT_STATUS(STATUS_INVALID_PAGE_PROTECTION, alloc(&base, 0x1000, MEM_RESERVE, 0));
	EXPECT_STATUS(STATUS_INVALID_PAGE_PROTECTION,
		      alloc(&base, 0x1000, MEM_RESERVE, PAGE_NOACCESS | PAGE_GUARD));
	EXPECT_STATUS(STATUS_INVALID_PAGE_PROTECTION,
		      alloc(&base, 0x1000, MEM_RESERVE, PAGE_WRITECOPY));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_4,
		      alloc(&base, 0, MEM_RESERVE, PAGE_READWRITE));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_4,
		      alloc(&base, 0xffffffff, MEM_RESERVE, PAGE_READWRITE));
	base = KERNEL_PTR;
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_2,
		      alloc(&base, 0x1000, MEM_RESERVE, PAGE_READWRITE));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtAllocateVirtualMemory(NtCurrentProcess(), NULL, 0, &size,
					      MEM_RESERVE, PAGE_READWRITE));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtAllocateVirtualMemory(NtCurrentProcess(), KERNEL_PTR, 0, &size,
					      MEM_RESERVE, PAGE_READWRITE));
	base = NULL;
	EXPECT_STATUS(STATUS_INVALID_HANDLE,
		      NtAllocateVirtualMemory((HANDLE)0x1234, &base, 0, &size,
					      MEM_RESERVE, PAGE_READWRITE));
}

TEST_F(vm, query_linux_mappings_and_bad_input)
{
	static const char image_data[] = "x";
	MEMORY_BASIC_INFORMATION mbi;
	char stack_var;
	SIZE_T len = NT_POISON_ULONG;

	mbi = query(&stack_var);
	EXPECT_EQ((ULONG)MEM_COMMIT, mbi.State);
	EXPECT_EQ((ULONG)PAGE_READWRITE, mbi.Protect);
	EXPECT_EQ((ULONG)MEM_PRIVATE, mbi.Type);
	mbi = query((void *)image_data);
	EXPECT_EQ((ULONG)MEM_COMMIT, mbi.State);
	EXPECT_EQ((ULONG)MEM_MAPPED, mbi.Type);
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      NtQueryVirtualMemory(NtCurrentProcess(), KERNEL_PTR,
					   MemoryBasicInformation, &mbi, sizeof(mbi),
					   NULL));
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtQueryVirtualMemory(NtCurrentProcess(), &stack_var, 7, &mbi,
					   sizeof(mbi), NULL));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryVirtualMemory(NtCurrentProcess(), &stack_var,
					   MemoryBasicInformation, &mbi,
					   sizeof(mbi) - 1, NULL));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQueryVirtualMemory(NtCurrentProcess(), &stack_var,
					   MemoryBasicInformation, KERNEL_PTR,
					   sizeof(mbi), NULL));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryVirtualMemory(NtCurrentProcess(), &stack_var,
					   MemoryBasicInformation, &mbi,
					   0xffffffff, &len));
	EXPECT_EQ(sizeof(mbi), len);
}

TEST_F(vm, read_write_virtual_memory_of_self)
{
	char src[32] = "hello, nt", dst[32];
	SIZE_T done = NT_POISON_ULONG;
	void *gone = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(dst, 0, sizeof(dst));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtReadVirtualMemory(NtCurrentProcess(), src, dst, sizeof(src),
					  &done));
	EXPECT_EQ(sizeof(src), done);
	EXPECT_STREQ(src, dst);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtWriteVirtualMemory(NtCurrentProcess(), dst, "bye", 4, &done));
	EXPECT_EQ(4u, done);
	EXPECT_STREQ("bye", dst);
	munmap(gone, 4096);
	EXPECT_STATUS(STATUS_PARTIAL_COPY,
		      NtReadVirtualMemory(NtCurrentProcess(), gone, dst, 16, &done));
	EXPECT_EQ(0u, done);
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtReadVirtualMemory(NtCurrentProcess(), src, gone, 16, &done));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtReadVirtualMemory(NtCurrentProcess(), src, KERNEL_PTR, 16, NULL));
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtFlushInstructionCache(NtCurrentProcess(), src, sizeof(src)));
	EXPECT_STATUS(STATUS_INVALID_HANDLE,
		      NtFlushInstructionCache((HANDLE)0x1234, NULL, 0));
}

static volatile int shared_word = 0x1234;

/* Another process, by a handle with PROCESS_VM_READ/WRITE (as a debugger). */
TEST_F(vm, read_write_another_process)
{
	int p2c[2], c2p[2], v = 0, status;
	CLIENT_ID cid = { 0 };
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	SIZE_T done;
	HANDLE h, q;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(p2c));
	ASSERT_EQ(0, pipe(c2p));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		shared_word = 0x5678;
		if (write(c2p[1], "r", 1) != 1 || read(p2c[0], &c, 1) != 1)
			_exit(2);
		_exit(shared_word == 0x9abc ? 0 : 1);
	}
	ASSERT_EQ(1, read(c2p[0], &c, 1));
	cid.UniqueProcess = (HANDLE)(ULONG_PTR)pid;
	nt_oa(&oa, &us, NULL, 0);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenProcess(&h, PROCESS_VM_READ | PROCESS_VM_WRITE |
				    PROCESS_VM_OPERATION, &oa, &cid));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtReadVirtualMemory(h, (void *)&shared_word, &v, sizeof(v), &done));
	EXPECT_EQ(0x5678, v);
	EXPECT_EQ(sizeof(v), done);
	v = 0x9abc;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtWriteVirtualMemory(h, (void *)&shared_word, &v, sizeof(v), &done));
	EXPECT_EQ(0x1234, shared_word);		/* ours is a copy */
	EXPECT_STATUS(STATUS_PARTIAL_COPY,
		      NtReadVirtualMemory(h, (void *)0x1000, &v, sizeof(v), &done));
	EXPECT_EQ(0u, done);
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtReadVirtualMemory(h, (void *)&shared_word, KERNEL_PTR, 4, NULL));
	EXPECT_STATUS(STATUS_SUCCESS, NtFlushInstructionCache(h, NULL, 0));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenProcess(&q, PROCESS_QUERY_INFORMATION, &oa, &cid));
	EXPECT_STATUS(STATUS_ACCESS_DENIED,
		      NtReadVirtualMemory(q, (void *)&shared_word, &v, sizeof(v), NULL));
	NtClose(q);
	NtClose(h);
	ASSERT_EQ(1, write(p2c[1], "w", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(vm, fork_keeps_regions)
{
	void *base = NULL;
	int status;
	pid_t pid;

	ASSERT_STATUS(STATUS_SUCCESS, alloc(&base, 0x10000, MEM_RESERVE | MEM_COMMIT,
					    PAGE_READWRITE));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(query(base).State == MEM_COMMIT && release(base) == STATUS_SUCCESS ?
		      0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_STATUS(STATUS_SUCCESS, release(base));
}

static MEMORY_BASIC_INFORMATION query_in(HANDLE h, void *addr)
{
	MEMORY_BASIC_INFORMATION mbi;

	memset(&mbi, 0xcc, sizeof(mbi));
	if (NtQueryVirtualMemory(h, addr, MemoryBasicInformation, &mbi,
				 sizeof(mbi), NULL))
		mbi.State = 0xdead;
	return mbi;
}

/*
 * A child that reads, at the parent's request, the word at an address the
 * parent names, and reports it (or 0xfa017 if the read faults).
 */
static void peek_child(int in, int out)
{
	volatile ULONG *p;
	ULONG v = 0;

	/* attached (by fork) once it runs: ready */
	if (write(out, &v, sizeof(v)) != sizeof(v))
		_exit(2);
	while (read(in, &p, sizeof(p)) == sizeof(p)) {
		v = faults((volatile char *)p, 0) ? 0xfa017 : *p;
		if (write(out, &v, sizeof(v)) != sizeof(v))
			_exit(2);
	}
	_exit(0);
}

static ULONG peek(int p2c, int c2p, void *addr)
{
	ULONG v = 0xdead;

	if (write(p2c, &addr, sizeof(addr)) != sizeof(addr) ||
	    read(c2p, &v, sizeof(v)) != sizeof(v))
		return 0xdead;
	return v;
}

/*
 * Allocate, protect, query, free memory and map and unmap a view in
 * another process, as RtlCreateUserProcess and a debugger do: the child
 * itself sees the result, the caller's own address space does not.
 */
TEST_F(vm, memory_services_in_another_process)
{
	LARGE_INTEGER max = { .QuadPart = 0x10000 };
	int p2c[2], c2p[2], status;
	MEMORY_BASIC_INFORMATION mbi;
	void *base = NULL, *view = NULL, *mine = NULL, *p;
	SIZE_T size = 0x20000, vsize = 0, msize = 0, done;
	ULONG old, v = 0x600df00d;
	HANDLE h, q, s;
	pid_t pid;

	ASSERT_EQ(0, pipe(p2c));
	ASSERT_EQ(0, pipe(c2p));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		close(p2c[1]);
		close(c2p[0]);
		peek_child(p2c[0], c2p[1]);
	}
	close(p2c[0]);
	close(c2p[1]);
	ASSERT_EQ(sizeof(v), read(c2p[0], &old, sizeof(old)));
	ASSERT_STATUS(STATUS_SUCCESS,
		      open_pid(&h, pid, PROCESS_VM_OPERATION | PROCESS_VM_READ |
			       PROCESS_VM_WRITE | PROCESS_QUERY_INFORMATION));

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtAllocateVirtualMemory(h, &base, 0, &size, MEM_RESERVE,
					      PAGE_NOACCESS));
	EXPECT_EQ(0x20000u, size);
	EXPECT_EQ(0u, (ULONG_PTR)base & 0xffff);
	EXPECT_EQ((ULONG)MEM_FREE, query(base).State);	/* not ours */
	mbi = query_in(h, base);
	EXPECT_EQ((ULONG)MEM_RESERVE, mbi.State);
	EXPECT_EQ((ULONG)MEM_PRIVATE, mbi.Type);
	EXPECT_EQ((ULONG_PTR)base, (ULONG_PTR)mbi.AllocationBase);
	EXPECT_EQ(0x20000u, mbi.RegionSize);
	EXPECT_EQ(0xfa017u, peek(p2c[1], c2p[0], base));
	/* commit the first page, write it, the child reads it */
	p = base;
	size = 0x1000;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtAllocateVirtualMemory(h, &p, 0, &size, MEM_COMMIT,
					      PAGE_READWRITE));
	EXPECT_EQ(base, p);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtWriteVirtualMemory(h, base, &v, sizeof(v), &done));
	EXPECT_EQ(0x600df00du, peek(p2c[1], c2p[0], base));
	mbi = query_in(h, base);
	EXPECT_EQ((ULONG)MEM_COMMIT, mbi.State);
	EXPECT_EQ((ULONG)PAGE_READWRITE, mbi.Protect);
	EXPECT_EQ(0x1000u, mbi.RegionSize);
	/* read-only there: NtWriteVirtualMemory no longer writes it */
	size = 0x1000;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtProtectVirtualMemory(h, &p, &size, PAGE_READONLY, &old));
	EXPECT_EQ((ULONG)PAGE_READWRITE, old);
	EXPECT_EQ((ULONG)PAGE_READONLY, query_in(h, base).Protect);
	EXPECT_STATUS(STATUS_PARTIAL_COPY,
		      NtWriteVirtualMemory(h, base, &v, sizeof(v), &done));
	EXPECT_STATUS(STATUS_NOT_COMMITTED,
		      NtProtectVirtualMemory(h, &(void *){ (char *)base + 0x1000 },
					     &(SIZE_T){ 0x1000 }, PAGE_READONLY, &old));
	/* decommit, release */
	size = 0x1000;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtFreeVirtualMemory(h, &p, &size, MEM_DECOMMIT));
	EXPECT_EQ((ULONG)MEM_RESERVE, query_in(h, base).State);
	EXPECT_EQ(0xfa017u, peek(p2c[1], c2p[0], base));
	size = 0;
	EXPECT_STATUS(STATUS_FREE_VM_NOT_AT_BASE,
		      NtFreeVirtualMemory(h, &(void *){ (char *)base + 0x1000 },
					  &size, MEM_RELEASE));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtFreeVirtualMemory(h, &p, &size, MEM_RELEASE));
	EXPECT_EQ((ULONG)MEM_FREE, query_in(h, base).State);

	/* a view of a pagefile section in both: the child sees our writes */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_READWRITE, SEC_COMMIT, NULL));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtMapViewOfSection(s, h, &view, 0, 0, NULL, &vsize,
					 ViewUnmap, 0, PAGE_READWRITE));
	EXPECT_EQ(0x10000u, vsize);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtMapViewOfSection(s, NtCurrentProcess(), &mine, 0, 0, NULL,
					 &msize, ViewUnmap, 0, PAGE_READWRITE));
	((volatile ULONG *)mine)[3] = 0x5ec7104;
	EXPECT_EQ(0x5ec7104u, peek(p2c[1], c2p[0], (ULONG *)view + 3));
	EXPECT_EQ((ULONG)MEM_MAPPED, query_in(h, view).Type);
	EXPECT_STATUS(STATUS_UNABLE_TO_DELETE_SECTION,
		      NtFreeVirtualMemory(h, &view, &(SIZE_T){ 0 }, MEM_RELEASE));
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(h, view));
	EXPECT_STATUS(STATUS_NOT_MAPPED_VIEW, NtUnmapViewOfSection(h, view));
	EXPECT_EQ((ULONG)MEM_FREE, query_in(h, view).State);
	EXPECT_EQ(0xfa017u, peek(p2c[1], c2p[0], view));
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(NtCurrentProcess(), mine));

	/* the handle's rights are checked: query only */
	ASSERT_STATUS(STATUS_SUCCESS, open_pid(&q, pid, PROCESS_QUERY_INFORMATION));
	base = NULL;
	size = 0x10000;
	EXPECT_STATUS(STATUS_ACCESS_DENIED,
		      NtAllocateVirtualMemory(q, &base, 0, &size, MEM_COMMIT,
					      PAGE_READWRITE));
	EXPECT_STATUS(STATUS_ACCESS_DENIED,
		      NtMapViewOfSection(s, q, &view, 0, 0, NULL, &vsize,
					 ViewUnmap, 0, PAGE_READWRITE));
	EXPECT_EQ((ULONG)MEM_FREE, query_in(q, (void *)0x10000000).State);
	EXPECT_STATUS(STATUS_INVALID_HANDLE,
		      NtAllocateVirtualMemory((HANDLE)0x1234, &base, 0, &size,
					      MEM_COMMIT, PAGE_READWRITE));
	NtClose(q);
	NtClose(s);
	NtClose(h);
	close(p2c[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(c2p[0]);
}

/*
 * A Linux process that is not attached has no NT regions to keep: the
 * services that change them refuse it, reading its memory still works.
 */
TEST_F(vm, memory_services_need_an_nt_process)
{
	void *base = NULL;
	SIZE_T size = 0x10000;
	int cl[2], status;
	HANDLE h;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe2(cl, O_CLOEXEC));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		char *argv[] = { "sleep", "10", NULL };
		char *envp[] = { "NTDLL_NO_ATTACH=1", NULL };

		close(cl[0]);
		execve("/bin/sleep", argv, envp);
		_exit(127);
	}
	close(cl[1]);
	ASSERT_EQ(0, read(cl[0], &c, 1));	/* closed by the exec */
	close(cl[0]);
	ASSERT_STATUS(STATUS_SUCCESS,
		      open_pid(&h, pid, PROCESS_VM_OPERATION | PROCESS_VM_READ |
			       PROCESS_QUERY_INFORMATION));
	EXPECT_STATUS(STATUS_NOT_SUPPORTED,
		      NtAllocateVirtualMemory(h, &base, 0, &size,
					      MEM_RESERVE | MEM_COMMIT,
					      PAGE_READWRITE));
	EXPECT_STATUS(STATUS_NOT_SUPPORTED,
		      NtQueryVirtualMemory(h, (void *)0x10000, MemoryBasicInformation,
					   &(MEMORY_BASIC_INFORMATION){ 0 },
					   sizeof(MEMORY_BASIC_INFORMATION), NULL));
	NtClose(h);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
}

static NTSTATUS map(HANDLE s, void **base, SIZE_T *size, LONGLONG off, ULONG prot)
{
	LARGE_INTEGER o = { .QuadPart = off };

	return NtMapViewOfSection(s, NtCurrentProcess(), base, 0, 0, &o, size,
				  ViewUnmap, 0, prot);
}

TEST_F(vm, pagefile_section_views_share_memory)
{
	LARGE_INTEGER max = { .QuadPart = 0x20000 };
	SECTION_BASIC_INFORMATION sbi;
	MEMORY_BASIC_INFORMATION mbi;
	void *a = NULL, *b = NULL;
	SIZE_T sa = 0, sb = 0x1000, freesize = 0;
	HANDLE s;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_READWRITE, SEC_COMMIT, NULL));
	ASSERT_STATUS(STATUS_SUCCESS, map(s, &a, &sa, 0, PAGE_READWRITE));
	EXPECT_EQ(0x20000u, sa);
	EXPECT_EQ(0u, (ULONG_PTR)a & 0xffff);
	ASSERT_STATUS(STATUS_SUCCESS, map(s, &b, &sb, 0x10000, PAGE_READONLY));
	EXPECT_EQ(0x1000u, sb);
	((char *)a)[0x10000] = 'x';
	EXPECT_EQ('x', ((char *)b)[0]);
	mbi = query(a);
	EXPECT_EQ((ULONG)MEM_MAPPED, mbi.Type);
	EXPECT_EQ((ULONG)MEM_COMMIT, mbi.State);
	EXPECT_EQ((ULONG)PAGE_READWRITE, mbi.Protect);
	EXPECT_EQ(0x20000u, mbi.RegionSize);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQuerySection(s, SectionBasicInformation, &sbi, sizeof(sbi), NULL));
	EXPECT_EQ(0x20000, sbi.MaximumSize.QuadPart);
	EXPECT_EQ((ULONG)SEC_COMMIT, sbi.AllocationAttributes);
	EXPECT_STATUS(STATUS_SECTION_NOT_IMAGE,
		      NtQuerySection(s, SectionImageInformation, &sbi, 0x30, NULL));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQuerySection(s, SectionBasicInformation, &sbi, 4, NULL));
	EXPECT_STATUS(STATUS_UNABLE_TO_DELETE_SECTION,
		      NtFreeVirtualMemory(NtCurrentProcess(), &a, &freesize,
					  MEM_RELEASE));
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(NtCurrentProcess(), b));
	EXPECT_STATUS(STATUS_NOT_MAPPED_VIEW, NtUnmapViewOfSection(NtCurrentProcess(), b));
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(NtCurrentProcess(), a));
	EXPECT_EQ((ULONG)MEM_FREE, query(a).State);
	NtClose(s);
}

TEST_F(vm, section_bad_parameters)
{
	LARGE_INTEGER max = { .QuadPart = 0x10000 }, zero = { .QuadPart = 0 };
	void *a = NULL;
	SIZE_T sa = 0;
	HANDLE s, ro;

	EXPECT_STATUS(STATUS_INVALID_PARAMETER_4,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, &zero,
				      PAGE_READWRITE, SEC_COMMIT, NULL));
	/* ring3k's tests/section.c, run on XP: an image needs a file */
	EXPECT_STATUS(STATUS_INVALID_FILE_FOR_SECTION,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_READONLY, SEC_IMAGE, NULL));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_6,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_READWRITE, SEC_COMMIT | SEC_RESERVE, NULL));
	EXPECT_STATUS(STATUS_INVALID_PAGE_PROTECTION,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_NOACCESS, SEC_COMMIT, NULL));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateSection(KERNEL_PTR, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_READWRITE, SEC_COMMIT, NULL));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_READWRITE, SEC_RESERVE, NULL));
	EXPECT_STATUS(STATUS_MAPPED_ALIGNMENT, map(s, &a, &sa, 0x1000, PAGE_READWRITE));
	sa = 0x20000;
	EXPECT_STATUS(STATUS_INVALID_VIEW_SIZE, map(s, &a, &sa, 0, PAGE_READWRITE));
	sa = 0;
	EXPECT_STATUS(STATUS_INVALID_VIEW_SIZE, map(s, &a, &sa, 0x10000, PAGE_READWRITE));
	EXPECT_STATUS(STATUS_INVALID_HANDLE,
		      map((HANDLE)0x1234, &a, &sa, 0, PAGE_READWRITE));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSection(&ro, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_READONLY, SEC_COMMIT, NULL));
	EXPECT_STATUS(STATUS_SECTION_PROTECTION, map(ro, &a, &sa, 0, PAGE_READWRITE));
	NtClose(ro);
	/* a handle without SECTION_MAP_WRITE cannot map read-write */
	ASSERT_STATUS(STATUS_SUCCESS, NtDuplicateObject(NtCurrentProcess(), s,
							NtCurrentProcess(), &ro,
							SECTION_MAP_READ, 0, 0));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, map(ro, &a, &sa, 0, PAGE_READWRITE));
	NtClose(ro);
	NtClose(s);
}

TEST_HARNESS_MAIN
