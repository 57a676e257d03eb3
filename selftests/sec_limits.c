// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 12, rows 6 and 10, as an unprivileged user:
 *
 *  - SharedUserData (0x7ffe0000) stays where it is: mremap is refused
 *    (EINVAL, the page still there), mprotect cannot make it writable, and
 *    a process that unmapped it or mapped its own page there gets errors
 *    from the module, never a write into its page; NT calls through
 *    int 0x2e keep working (the kernel side does not need the page).
 *    scripts/tests/kuser-rmmod checks rmmod with such a process around.
 *  - Resource limits (docs/security-limits.md): a per-process handle
 *    bound (module parameter max_handles), NT file handles bounded by
 *    RLIMIT_NOFILE, a bounded byte-range lock list per file, and
 *    SystemProcessInformation sized by what it returns; over a limit
 *    STATUS_INSUFFICIENT_RESOURCES, as XP when its handle table cannot grow.
 *
 * sec_limits --kuser-hold: the host test's helper (see main()).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nt_test.h"
#include "nt_user.h"
#include "nt/kuser.h"

#define KUSER		((volatile KUSER_SHARED_DATA *)NT_KUSER_SHARED_DATA)
#define NR_NtClose	0x019

/* NtClose through int 0x2e, without the stubs in SharedUserData. */
static NTSTATUS int2e_close(HANDLE h)
{
	uint32_t args[1] = { (uint32_t)(uintptr_t)h };
	uint32_t ret;

	asm volatile("int $0x2e"
		     : "=a"(ret)
		     : "a"(NR_NtClose), "d"(args)
		     : "memory", "ecx");
	return (NTSTATUS)ret;
}

/* The line of /proc/self/maps that starts at @addr, or "" */
static int maps_line(unsigned long addr, char *out, size_t size)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512], want[32];
	int found = 0;

	snprintf(want, sizeof(want), "%08lx-", addr);
	out[0] = 0;
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		found = !strncmp(line, want, strlen(want));
		if (found)
			snprintf(out, size, "%s", line);
	}
	fclose(f);
	return found;
}

/* Any mapping that shows SharedUserData's page, wherever it is */
static int kuser_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += !!strstr(line, "nt_shared_user_data");
	fclose(f);
	return n;
}

FIXTURE(sec_limits) {
	int unused;
};
NT_GATE_VARIANTS(sec_limits);

FIXTURE_SETUP(sec_limits)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(sec_limits)
{
}

/* Row 6: the special mapping refuses to move; it is still at 0x7ffe0000. */
TEST_F(sec_limits, shared_page_mremap_refused)
{
	NT_AS_USER(variant->gate) {
		void *where = mmap(NULL, 4 * 4096, PROT_NONE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char line[512];
		void *r;

		ASSERT_NE(MAP_FAILED, where);
		ASSERT_EQ(1, maps_line(NT_KUSER_SHARED_DATA, line, sizeof(line)));
		r = mremap((void *)NT_KUSER_SHARED_DATA, 4096, 4096,
			   MREMAP_MAYMOVE | MREMAP_FIXED, where);
		EXPECT_EQ(MAP_FAILED, r);
		EXPECT_EQ(EINVAL, errno);
		/* without MREMAP_FIXED, growing, or keeping the old range */
		r = mremap((void *)NT_KUSER_SHARED_DATA, 4096, 8192, MREMAP_MAYMOVE);
		EXPECT_EQ(MAP_FAILED, r);
		r = mremap((void *)NT_KUSER_SHARED_DATA, 4096, 4096,
			   MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
		EXPECT_EQ(MAP_FAILED, r);
		/* still there, once, and still working */
		EXPECT_EQ(1, maps_line(NT_KUSER_SHARED_DATA, line, sizeof(line)));
		EXPECT_EQ(1, kuser_mappings()) TH_LOG("%s", line);
		EXPECT_EQ(5, KUSER->NtMajorVersion);
		EXPECT_STATUS(STATUS_INVALID_HANDLE, NtClose((HANDLE)0x1230));
	}
}

/* Row 6: never writable, not by mprotect, not by /proc/self/mem. */
TEST_F(sec_limits, shared_page_not_writable)
{
	NT_AS_USER(variant->gate) {
		uint32_t evil = 0x41414141;
		int fd;

		EXPECT_EQ(-1, mprotect((void *)NT_KUSER_SHARED_DATA, 4096,
				       PROT_READ | PROT_WRITE));
		EXPECT_EQ(EACCES, errno);
		fd = open("/proc/self/mem", O_RDWR);
		ASSERT_LE(0, fd);
		EXPECT_EQ(-1, pwrite(fd, &evil, 4, NT_KUSER_SHARED_DATA + 0x26c));
		close(fd);
		EXPECT_EQ(5, KUSER->NtMajorVersion);
		EXPECT_STATUS(STATUS_INVALID_HANDLE, NtClose((HANDLE)0x1230));
	}
}

/*
 * Row 6: a process that unmaps the page is on its own: stubs that call
 * through it fault in user space, but int 0x2e works, the gate ioctl
 * fails, and a page of its own at 0x7ffe0000 is never touched.
 */
TEST_F(sec_limits, shared_page_unmapped_by_user)
{
	NT_AS_USER(variant->gate) {
		volatile uint32_t *mine;
		char line[512];
		int fd;

		ASSERT_EQ(0, munmap((void *)NT_KUSER_SHARED_DATA, 4096));
		EXPECT_EQ(0, maps_line(NT_KUSER_SHARED_DATA, line, sizeof(line)));
		EXPECT_STATUS(STATUS_INVALID_HANDLE, int2e_close((HANDLE)0x1230));
		EXPECT_NE(STATUS_SUCCESS, NtpSetSystemCallGate(NTP_GATE_INT2E));
		/* a page of its own there: the module leaves it alone */
		mine = mmap((void *)NT_KUSER_SHARED_DATA, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		ASSERT_EQ((void *)NT_KUSER_SHARED_DATA, (void *)mine);
		mine[0x26c / 4] = 0x12345678;
		EXPECT_NE(STATUS_SUCCESS, NtpSetSystemCallGate(NTP_GATE_SYSENTER));
		EXPECT_EQ(0x12345678, mine[0x26c / 4]);
		EXPECT_STATUS(STATUS_INVALID_HANDLE, int2e_close((HANDLE)0x1230));
		/* detach leaves it too */
		fd = open(NTP_DEVICE_PATH, O_RDWR);
		ASSERT_LE(0, fd);
		EXPECT_EQ(0, ioctl(fd, NTP_IOC_DETACH));
		close(fd);
		EXPECT_EQ(1, maps_line(NT_KUSER_SHARED_DATA, line, sizeof(line)));
		EXPECT_EQ(0x12345678, mine[0x26c / 4]);
	}
}

/* Row 6: fork copies it, and the copy refuses to move too. */
TEST_F(sec_limits, shared_page_fork_copy_stays)
{
	NT_AS_USER(variant->gate) {
		int status;
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0) {
			void *where = mmap(NULL, 4096, PROT_NONE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (mremap((void *)NT_KUSER_SHARED_DATA, 4096, 4096,
				   MREMAP_MAYMOVE | MREMAP_FIXED, where) != MAP_FAILED)
				_exit(1);
			if (KUSER->NtMajorVersion != 5)
				_exit(2);
			if (NtClose((HANDLE)0x1230) != STATUS_INVALID_HANDLE)
				_exit(3);
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
}

/*
 * The host test's helper (scripts/tests/kuser-rmmod): become uid 1000,
 * try to move SharedUserData, detach, say "ready" and wait to be killed,
 * while the script unloads the module and reads our /proc/PID/maps.
 */
static int kuser_hold(void)
{
	void *where;
	int fd, moved;

	if (nt_become(NT_TEST_UID, NT_TEST_GID, NTP_GATE_SYSENTER))
		return 2;
	where = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	moved = mremap((void *)NT_KUSER_SHARED_DATA, 4096, 4096,
		       MREMAP_MAYMOVE | MREMAP_FIXED, where) != MAP_FAILED;
	fd = open(NTP_DEVICE_PATH, O_RDWR);
	if (fd < 0 || ioctl(fd, NTP_IOC_DETACH))
		return 3;
	close(fd);
	printf("%s %d\n", moved ? "moved" : "ready", (int)getpid());
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--kuser-hold"))
		return kuser_hold();
	return test_harness_run(argc, argv);
}
