// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: checks ported from ReactOS
 * modules/rostests/apitests/ntdll/NtProtectVirtualMemory.c (issue 17):
 * TestReadWrite (each protection change reports the previous one and the
 * page behaves as the new one says; PAGE_NOACCESS keeps the contents) and
 * TestFreeNoAccess (committed without a reservation, dirtied, made
 * PAGE_NOACCESS and released, many times: fresh memory is always zero).
 * Re-expressed, not copied; faults are probed in a child.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nt_test.h"

#define PG	0x1000u

FIXTURE(conf_ros_protectvm) {};
NT_GATE_VARIANTS(conf_ros_protectvm);
FIXTURE_SETUP(conf_ros_protectvm) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(conf_ros_protectvm) {}

/* Does touching @p fault? (in a child, so the test survives) */
static int faults(volatile ULONG *p, int write)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		if (write)
			*p = 0xaa;
		else
			(void)*p;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static NTSTATUS protect(ULONG **p, SIZE_T *size, ULONG prot, ULONG *old)
{
	return NtProtectVirtualMemory(NtCurrentProcess(), (void **)p, size, prot, old);
}

/* ReactOS NtProtectVirtualMemory.c, TestReadWrite */
TEST_F(conf_ros_protectvm, ros_NtProtectVirtualMemory_read_write)
{
	ULONG *p = NULL, old;
	SIZE_T size = PG;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtAllocateVirtualMemory(NtCurrentProcess(), (void **)&p, 0, &size,
					      MEM_RESERVE, PAGE_NOACCESS));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtAllocateVirtualMemory(NtCurrentProcess(), (void **)&p, 0, &size,
					      MEM_COMMIT, PAGE_READWRITE));
	*p = 0xff;
	EXPECT_EQ(0xffu, *p);
	EXPECT_STATUS(STATUS_SUCCESS, protect(&p, &size, PAGE_READONLY, &old));
	EXPECT_EQ((ULONG)PAGE_READWRITE, old);
	EXPECT_TRUE(faults(p, 1));
	EXPECT_FALSE(faults(p, 0));
	EXPECT_EQ(0xffu, *p);
	EXPECT_STATUS(STATUS_SUCCESS, protect(&p, &size, PAGE_NOACCESS, &old));
	EXPECT_EQ((ULONG)PAGE_READONLY, old);
	EXPECT_TRUE(faults(p, 1));
	EXPECT_TRUE(faults(p, 0));
	EXPECT_STATUS(STATUS_SUCCESS, protect(&p, &size, PAGE_READONLY, &old));
	EXPECT_EQ((ULONG)PAGE_NOACCESS, old);
	EXPECT_TRUE(faults(p, 1));
	EXPECT_EQ(0xffu, *p);	/* kept across PAGE_NOACCESS */
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtFreeVirtualMemory(NtCurrentProcess(), (void **)&p, &size,
					  MEM_RELEASE));
}

/*
 * ReactOS NtProtectVirtualMemory.c, TestFreeNoAccess (CORE-13311): 500
 * rounds here, not 50000 (the VM runs under TCG).
 */
TEST_F(conf_ros_protectvm, ros_NtProtectVirtualMemory_free_no_access)
{
	unsigned int round, page, dirty = 0;
	ULONG old;
	SIZE_T size;
	void *mem;

	for (round = 0; round < 500; round++) {
		mem = NULL;
		size = 16 * PG;
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtAllocateVirtualMemory(NtCurrentProcess(), &mem, 0, &size,
						      MEM_COMMIT, PAGE_READWRITE));
		for (page = 0; page < 16; page++) {
			unsigned char *b = (unsigned char *)mem + page * PG;

			dirty += *b != 0;
			*b = 123;
		}
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtProtectVirtualMemory(NtCurrentProcess(), &mem, &size,
						     PAGE_NOACCESS, &old));
		EXPECT_EQ((ULONG)PAGE_READWRITE, old);
		size = 0;
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtFreeVirtualMemory(NtCurrentProcess(), &mem, &size,
						  MEM_RELEASE));
	}
	EXPECT_EQ(0u, dirty);
}

TEST_HARNESS_MAIN
