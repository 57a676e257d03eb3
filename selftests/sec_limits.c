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
 *  - Resource limits (docs/security.md, Limits): a per-process handle
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
#include <sys/mount.h>
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

/* Row 10 helpers */

#define PARAMS		"/sys/module/ntpersonality/parameters/"
#define DEFAULT_MAX_HANDLES	65536
#define DEFAULT_MAX_FILE_LOCKS	1024

/* Read a module parameter (-1: none), or write one (0 or -1). */
static long param_get(const char *name)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

static int param_set(const char *name, long value)
{
	char path[128], buf[32];
	int fd, len, ok;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%ld\n", value);
	ok = write(fd, buf, len) == len;
	close(fd);
	return ok ? 0 : -1;
}

static NTSTATUS open_self(HANDLE *h)
{
	CLIENT_ID c = { (HANDLE)(ULONG_PTR)getpid(), NULL };
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;

	nt_oa(&oa, &us, NULL, 0);
	return NtOpenProcess(h, PROCESS_QUERY_INFORMATION, &oa, &c);
}

static NTSTATUS new_event(HANDLE *h)
{
	return NtCreateEvent(h, EVENT_ALL_ACCESS, NULL, NotificationEvent, 0);
}

static NTSTATUS open_file(HANDLE *h, const WCHAR *name, ULONG disposition)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK iosb;

	nt_oa(&oa, &us, name, 0);
	return NtCreateFile(h, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &oa,
			    &iosb, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
			    disposition, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

/* Row 10: the handle table stops at max_handles, exactly, and frees up. */
TEST_F(sec_limits, handles_bounded_by_max_handles)
{
	long saved = param_get("max_handles");

	ASSERT_EQ(DEFAULT_MAX_HANDLES, saved);
	ASSERT_EQ(0, param_set("max_handles", 300));
	NT_AS_USER(variant->gate) {
		static HANDLE h[400];
		NTSTATUS st = STATUS_SUCCESS;
		HANDLE extra;
		int n, i;

		for (n = 0; n < 400; n++) {
			/* events and process handles count alike */
			st = n & 1 ? new_event(&h[n]) : open_self(&h[n]);
			if (st != STATUS_SUCCESS)
				break;
		}
		EXPECT_EQ(300, n);
		EXPECT_STATUS(STATUS_INSUFFICIENT_RESOURCES, st);
		EXPECT_STATUS(STATUS_INSUFFICIENT_RESOURCES, open_self(&extra));
		EXPECT_STATUS(STATUS_INSUFFICIENT_RESOURCES,
			      NtDuplicateObject(NtCurrentProcess(), h[1],
						NtCurrentProcess(), &extra, 0, 0,
						DUPLICATE_SAME_ACCESS));
		/* one closed, one more */
		ASSERT_STATUS(STATUS_SUCCESS, NtClose(h[7]));
		EXPECT_STATUS(STATUS_SUCCESS, new_event(&h[7]));
		EXPECT_STATUS(STATUS_INSUFFICIENT_RESOURCES, new_event(&extra));
		for (i = 0; i < n; i++)
			EXPECT_STATUS(STATUS_SUCCESS, NtClose(h[i]));
		EXPECT_STATUS(STATUS_SUCCESS, new_event(&extra));
	}
	EXPECT_EQ(0, param_set("max_handles", saved));
}

/* Row 10: by default, 64K handles; NtOpenProcess(self) no longer to 16M. */
TEST_F(sec_limits, handles_default_limit)
{
	NT_AS_USER(variant->gate) {
		NTSTATUS st = STATUS_SUCCESS;
		HANDLE h;
		int n;

		for (n = 0; n < DEFAULT_MAX_HANDLES + 1000; n++) {
			st = open_self(&h);
			if (st != STATUS_SUCCESS)
				break;
		}
		EXPECT_EQ(DEFAULT_MAX_HANDLES, n);
		EXPECT_STATUS(STATUS_INSUFFICIENT_RESOURCES, st);
		/* the child's exit closes them all */
	}
}

/* Row 10: NT File handles stop at RLIMIT_NOFILE, other handles do not. */
TEST_F(sec_limits, file_handles_bounded_by_rlimit_nofile)
{
	const char *path = "/tmp/sec_limits_nofile";
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0666);

	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, chmod(path, 0666));
	NT_AS_USER(variant->gate) {
		struct rlimit rl = { 64, 64 };
		NTSTATUS st = STATUS_SUCCESS;
		HANDLE h[100], ev;
		int n, i;

		ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
		for (n = 0; n < 100; n++) {
			st = open_file(&h[n], u"\\??\\C:\\tmp\\sec_limits_nofile", FILE_OPEN);
			if (st != STATUS_SUCCESS)
				break;
		}
		EXPECT_EQ(64, n);
		EXPECT_STATUS(STATUS_INSUFFICIENT_RESOURCES, st);
		EXPECT_STATUS(STATUS_SUCCESS, new_event(&ev));
		ASSERT_STATUS(STATUS_SUCCESS, NtClose(h[10]));
		EXPECT_STATUS(STATUS_SUCCESS,
			      open_file(&h[10], u"\\??\\C:\\tmp\\sec_limits_nofile", FILE_OPEN));
		EXPECT_STATUS(STATUS_INSUFFICIENT_RESOURCES,
			      open_file(&ev, u"\\??\\C:\\tmp\\sec_limits_nofile", FILE_OPEN));
		for (i = 0; i < n; i++)
			EXPECT_STATUS(STATUS_SUCCESS, NtClose(h[i]));
	}
	unlink(path);
}

/* Row 10: a file object's byte-range lock list is bounded. */
TEST_F(sec_limits, lock_list_bounded)
{
	const char *path = "/tmp/sec_limits_locks";

	unlink(path);
	NT_AS_USER(variant->gate) {
		NTSTATUS st = STATUS_SUCCESS;
		LARGE_INTEGER off, len = { .QuadPart = 1 };
		IO_STATUS_BLOCK iosb;
		HANDLE h;
		int n;

		ASSERT_STATUS(STATUS_SUCCESS,
			      open_file(&h, u"\\??\\C:\\tmp\\sec_limits_locks", FILE_CREATE));
		for (n = 0; n < DEFAULT_MAX_FILE_LOCKS + 100; n++) {
			off.QuadPart = 2 * n;	/* apart: Linux does not merge them */
			st = NtLockFile(h, NULL, NULL, NULL, &iosb, &off, &len, 0,
					TRUE, FALSE);
			if (st != STATUS_SUCCESS)
				break;
		}
		EXPECT_EQ(DEFAULT_MAX_FILE_LOCKS, n);
		EXPECT_STATUS(STATUS_INSUFFICIENT_RESOURCES, st);
		off.QuadPart = 2 * 5;
		ASSERT_STATUS(STATUS_SUCCESS, NtUnlockFile(h, &iosb, &off, &len, 0));
		EXPECT_STATUS(STATUS_SUCCESS,
			      NtLockFile(h, NULL, NULL, NULL, &iosb, &off, &len, 0,
					 TRUE, TRUE));
		off.QuadPart = 2 * n + 10;
		EXPECT_STATUS(STATUS_INSUFFICIENT_RESOURCES,
			      NtLockFile(h, NULL, NULL, NULL, &iosb, &off, &len, 0,
					 TRUE, FALSE));
		/* closing releases them all */
		EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));
	}
	unlink(path);
}

/* Row 10: a small buffer: the size needed, no 32 MB staging buffer. */
TEST_F(sec_limits, process_list_sized_to_need)
{
	NT_AS_USER(variant->gate) {
		ULONG len = 0, got = 0, size;
		int tries, exact = 0;
		char small[64];
		char *buf;

		EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
			      NtQuerySystemInformation(SystemProcessInformation,
						       small, sizeof(small), &len));
		EXPECT_LT(sizeof(small), len);
		EXPECT_GT(1u << 20, len);
		/* a huge buffer the caller never touches: only what is needed */
		size = 64 << 20;
		buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		ASSERT_NE(MAP_FAILED, buf);
		EXPECT_STATUS(STATUS_SUCCESS,
			      NtQuerySystemInformation(SystemProcessInformation,
						       buf, size, &got));
		EXPECT_LT(sizeof(small), got);
		EXPECT_GT(1u << 20, got);
		EXPECT_EQ(0, ((SYSTEM_PROCESS_INFORMATION *)buf)->NextEntryOffset % 8);
		/*
		 * The exact size is enough, and 8 bytes less is not, with the
		 * same ReturnLength: tried a few times, as kernel threads
		 * come and go.
		 */
		for (tries = 0; tries < 5 && !exact; tries++) {
			if (NtQuerySystemInformation(SystemProcessInformation, buf,
						     size, &got) != STATUS_SUCCESS)
				continue;
			exact = NtQuerySystemInformation(SystemProcessInformation,
							 buf + size - got, got,
							 &len) == STATUS_SUCCESS &&
				len == got &&
				NtQuerySystemInformation(SystemProcessInformation,
							 buf, got - 8, &len) ==
					STATUS_INFO_LENGTH_MISMATCH &&
				len == got;
		}
		EXPECT_TRUE(exact);
		munmap(buf, size);
	}
}

/*
 * Row 10, memcg: what a user's NT calls allocate is charged to the user's
 * cgroup. Only the charge is checked: at memory.max the charge runs the
 * memcg OOM killer, whose report (with a stack) the VM harness takes for
 * a kernel splat.
 */
#define CG_ROOT		"/sys/fs/cgroup"

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/* Move the calling (root) process into a new memory cgroup: 0, or -1 to SKIP */
static int cg_enter(char *dir, size_t size)
{
	char path[160], buf[256] = "";
	int fd;

	if (access(CG_ROOT "/cgroup.controllers", F_OK) &&
	    mount("none", CG_ROOT, "cgroup2", 0, NULL))
		return -1;
	fd = open(CG_ROOT "/cgroup.controllers", O_RDONLY);
	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	if (!strstr(buf, "memory"))
		return -1;
	if (write_str(CG_ROOT "/cgroup.subtree_control", "+memory"))
		return -1;
	snprintf(dir, size, CG_ROOT "/sec_limits.%d", (int)getpid());
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -1;
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(buf, sizeof(buf), "%d", (int)getpid());
	return write_str(path, buf);
}

static void cg_leave(const char *dir)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", (int)getpid());
	write_str(CG_ROOT "/cgroup.procs", buf);
	rmdir(dir);
}

static long long cg_current(const char *dir)
{
	char path[160], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/memory.current", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtoll(buf, NULL, 10);
}

/* A process handle: its object, entry and table slot, all charged. */
TEST_F(sec_limits, memcg_charges_process_handles)
{
	char cg[128];

	if (cg_enter(cg, sizeof(cg)))
		SKIP(return, "no cgroup2 memory controller");
	NT_AS_USER(variant->gate) {
		enum { N = 20000 };
		HANDLE *h = calloc(N, sizeof(*h));
		long long before, after;
		int i;

		ASSERT_NE(NULL, h);
		memset(h, 0, N * sizeof(*h));	/* its pages charged before */
		before = cg_current(cg);
		ASSERT_LE(0, before);
		for (i = 0; i < N; i++)
			ASSERT_STATUS(STATUS_SUCCESS, open_self(&h[i]));
		after = cg_current(cg);
		/* entry 16 + slot ~5 + object 64: the object was not charged */
		EXPECT_LE(48, (after - before) / N)
			TH_LOG("%lld bytes for %d handles", after - before, N);
		for (i = 0; i < N; i++)
			NtClose(h[i]);
	}
	cg_leave(cg);
}

/* Reserved address space: the region and its per-page state, charged. */
TEST_F(sec_limits, memcg_charges_reservations)
{
	char cg[128];

	if (cg_enter(cg, sizeof(cg)))
		SKIP(return, "no cgroup2 memory controller");
	NT_AS_USER(variant->gate) {
		/*
		 * memcg charges in per-CPU batches (MEMCG_CHARGE_BATCH: 64
		 * pages), so memory.current moves by up to 256 KiB a CPU more
		 * or less than what was charged: 64 regions (1 MiB of page
		 * state) keep that noise under half of what is measured.
		 */
		enum { N = 64, SIZE = 16 << 20 };
		long long before, after;
		void *base[N];
		SIZE_T size;
		int i;

		before = cg_current(cg);
		ASSERT_LE(0, before);
		for (i = 0; i < N; i++) {
			base[i] = NULL;
			size = SIZE;
			ASSERT_STATUS(STATUS_SUCCESS,
				      NtAllocateVirtualMemory(NtCurrentProcess(), &base[i], 0,
							      &size, MEM_RESERVE,
							      PAGE_READWRITE));
		}
		after = cg_current(cg);
		/* 4 bytes of state per reserved page: 16 KiB a region */
		EXPECT_LE(8 << 10, (after - before) / N)
			TH_LOG("%lld bytes for %d regions", after - before, N);
		for (i = 0; i < N; i++) {
			size = 0;
			NtFreeVirtualMemory(NtCurrentProcess(), &base[i], &size,
					    MEM_RELEASE);
		}
	}
	cg_leave(cg);
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
