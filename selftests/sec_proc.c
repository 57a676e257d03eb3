// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 12, cross-process rows: what an unprivileged user (uid 1000) can
 * do to other processes through process and thread handles.
 *
 *  - row 2: a handle opened on the user's own child does not reach the
 *    image the child runs after exec'ing a setuid-root program: memory,
 *    queries and termination are checked again at each use (the
 *    /proc/pid/mem bug, CVE-2012-0056);
 *  - row 7: NtDuplicateObject never widens access beyond what an open
 *    would grant (processes) or the source handle grants (other types);
 *  - row 14: an exec attach (NTP_ATTACH_ON_EXEC) does not follow a setuid
 *    exec;
 *  - row 15: process lists and ids in the caller's pid namespace, thread
 *    handles that do not follow pid reuse, NTP_IOC_QUERY only for tasks
 *    the caller may ptrace.
 *
 * The victim is this binary itself, copied by root to /tmp as a
 * setuid-root program (or a plain one, for the controls) and run with
 * HELPER_ARG: a constructor then reports its NT state and euid on stdout,
 * waits for stdin to close, writes its marker as it sees it and exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/capability.h>
#include "nt_test.h"
#include "nt_user.h"

#define HELPER_ARG	"--sec-proc-helper"
#define SUID_PATH	"/tmp/sec_proc_suid"
#define PLAIN_PATH	"/tmp/sec_proc_plain"
#define FCAP_PATH	"/tmp/sec_proc_fcap"
#define MARKER_LEN	32
#define MARKER_INIT	"sec_proc: untouched"
#define MARKER_PWNED	"sec_proc: written by uid 1000"

/* Static, not PIE: the same address in every copy of the binary. */
static volatile char sec_marker[MARKER_LEN] = MARKER_INIT;

struct report {
	char tag[4];		/* "RDY" */
	uint32_t state;		/* NTP_IOC_QUERY of itself, ~0 on error */
	uint32_t euid;
	uint32_t pad;
};

static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

static int ntp_query_pid(pid_t pid, struct ntp_query *q)
{
	int fd = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	memset(q, 0, sizeof(*q));
	q->pid = pid;
	ret = ioctl(fd, NTP_IOC_QUERY, q) ? -errno : 0;
	close(fd);
	return ret;
}

/* The victim's side: runs before main() and never returns to it. */
__attribute__((constructor)) static void sec_proc_helper(int argc, char **argv)
{
	struct report r = { .tag = "RDY" };
	struct ntp_query q;
	char c;

	if (argc < 2 || strcmp(argv[1], HELPER_ARG))
		return;
	r.state = ntp_query_pid(0, &q) ? ~0u : q.state;
	r.euid = geteuid();
	if (write(1, &r, sizeof(r)) != sizeof(r))
		_exit(3);
	while (read(0, &c, 1) > 0)
		;
	if (write(1, (const char *)sec_marker, MARKER_LEN) != MARKER_LEN)
		_exit(4);
	_exit(0);
}

/* Root: a copy of this binary at @path, owned by root, with @mode. */
static int copy_self(const char *path, mode_t mode)
{
	int in, out, ret = -1;
	char buf[65536];
	ssize_t n;

	unlink(path);
	in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (out < 0)
		goto out_in;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			goto out;
	/* chown first: it would clear the setuid bit */
	if (!n && !fchown(out, 0, 0) && !fchmod(out, mode))
		ret = 0;
out:
	close(out);
out_in:
	close(in);
	return ret;
}

/* Root: file capabilities (cap_net_raw+ep) on @path, as setcap sets them. */
static int set_file_cap(const char *path)
{
	struct vfs_cap_data cap = {
		.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE,
		.data[0].permitted = 1u << CAP_NET_RAW,
	};

	return setxattr(path, "security.capability", &cap, XATTR_CAPS_SZ_2, 0);
}

struct helper {
	pid_t pid;
	int go;		/* a byte: exec now */
	int in;		/* its stdin: closing it makes it answer */
	int out;	/* its stdout: the report, then the marker */
};

/* The user's exec attach request, as ntrun makes it. */
static int request_exec_attach(void)
{
	struct ntp_attach a = { .flags = NTP_ATTACH_ON_EXEC };
	int fd = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -1;
	/* a fork child of an NT process is attached: start over */
	if ((ioctl(fd, NTP_IOC_DETACH) && errno != ENOENT) ||
	    ioctl(fd, NTP_IOC_ATTACH, &a))
		ret = -1;
	close(fd);
	return ret;
}

/* A child that waits for helper_exec(), then execs @path as the helper. */
static int helper_fork(struct helper *h, const char *path, int attach_on_exec)
{
	int go[2], in[2], out[2];

	if (pipe(go) || pipe(in) || pipe(out))
		return -1;
	h->pid = fork();
	if (h->pid < 0)
		return -1;
	if (!h->pid) {
		char *argv[] = { (char *)path, HELPER_ARG, NULL };
		char *envp[] = { "NTDLL_NO_ATTACH=1", NULL };
		char c;

		close(go[1]);
		close(in[1]);
		close(out[0]);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0)
			_exit(100);
		if (read(go[0], &c, 1) != 1)
			_exit(101);
		if (attach_on_exec && request_exec_attach())
			_exit(102);
		execve(path, argv, envp);
		_exit(103);
	}
	close(go[0]);
	close(in[0]);
	close(out[1]);
	h->go = go[1];
	h->in = in[1];
	h->out = out[0];
	return 0;
}

/* Let it exec; its report once it runs the new image. */
static int helper_exec(struct helper *h, struct report *r)
{
	if (write(h->go, "g", 1) != 1 || read_full(h->out, r, sizeof(*r)))
		return -1;
	return memcmp(r->tag, "RDY", 4) ? -1 : 0;
}

/* Its marker as it sees it, and how it ended. */
static int helper_finish(struct helper *h, char *marker, int *status)
{
	int ret;

	close(h->in);
	ret = read_full(h->out, marker, MARKER_LEN);
	marker[MARKER_LEN - 1] = 0;
	while (waitpid(h->pid, status, 0) < 0 && errno == EINTR)
		;
	close(h->go);
	close(h->out);
	return ret;
}

static NTSTATUS open_process(HANDLE *h, pid_t pid, ACCESS_MASK access)
{
	CLIENT_ID cid = { (HANDLE)(ULONG_PTR)pid, 0 };
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;

	return NtOpenProcess(h, access, nt_oa(&oa, &us, NULL, 0), &cid);
}

static NTSTATUS open_thread(HANDLE *h, pid_t tid, ACCESS_MASK access)
{
	CLIENT_ID cid = { 0, (HANDLE)(ULONG_PTR)tid };
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;

	return NtOpenThread(h, access, nt_oa(&oa, &us, NULL, 0), &cid);
}

static pid_t gettid_(void)
{
	return syscall(SYS_gettid);
}

#define VM_RIGHTS	(PROCESS_VM_READ | PROCESS_VM_WRITE | PROCESS_VM_OPERATION | \
			 PROCESS_QUERY_INFORMATION | PROCESS_TERMINATE)

FIXTURE(sec_proc) {};
NT_GATE_VARIANTS(sec_proc);
FIXTURE_SETUP(sec_proc) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(sec_proc) {}

/*
 * Row 2: the handle was opened on the user's own process; after the exec
 * of a setuid-root program it names a root process, which it must not
 * read, write, query or kill. The marker is reported by the victim itself.
 */
TEST_F(sec_proc, handle_does_not_reach_setuid_image)
{
	ASSERT_EQ(0, copy_self(SUID_PATH, 04755));
	NT_AS_USER(variant->gate) {
		char m[MARKER_LEN], w[MARKER_LEN] = MARKER_PWNED;
		LARGE_INTEGER max = { .QuadPart = 0x10000 };
		void *base = NULL, *at = (void *)sec_marker;
		PROCESS_BASIC_INFORMATION pbi;
		MEMORY_BASIC_INFORMATION mbi;
		SIZE_T done, size = 0x10000;
		struct helper hp;
		struct report r;
		int status;
		HANDLE h, s;
		ULONG old;

		ASSERT_EQ(0, helper_fork(&hp, SUID_PATH, 0));
		ASSERT_STATUS(STATUS_SUCCESS, open_process(&h, hp.pid, VM_RIGHTS));
		/* still the user's own fork: every right works */
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtReadVirtualMemory(h, (void *)sec_marker, m,
						  MARKER_LEN, &done));
		ASSERT_EQ(0, helper_exec(&hp, &r));
		ASSERT_EQ(0u, r.euid);	/* the setuid bit took effect */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtWriteVirtualMemory(h, (void *)sec_marker, w,
						   MARKER_LEN, &done));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtReadVirtualMemory(h, (void *)sec_marker, m,
						  MARKER_LEN, &done));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtQueryInformationProcess(h, ProcessBasicInformation,
							&pbi, sizeof(pbi), NULL));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, NtTerminateProcess(h, 0x1234));
		/* nor change its mappings (mm/virtual.c ntmm_run_in) */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtAllocateVirtualMemory(h, &base, 0, &size,
						      MEM_COMMIT | MEM_RESERVE,
						      PAGE_EXECUTE_READWRITE));
		size = 0x1000;
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtProtectVirtualMemory(h, &at, &size,
						     PAGE_READWRITE, &old));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtQueryVirtualMemory(h, at, MemoryBasicInformation,
						   &mbi, sizeof(mbi), NULL));
		size = 0;
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtFreeVirtualMemory(h, &at, &size, MEM_RELEASE));
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, &max,
					      PAGE_EXECUTE_READWRITE,
					      SEC_COMMIT, NULL));
		size = 0;
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtMapViewOfSection(s, h, &base, 0, 0, NULL, &size,
						 ViewUnmap, 0,
						 PAGE_EXECUTE_READWRITE));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtUnmapViewOfSection(h, at));
		NtClose(s);
		NtClose(h);
		ASSERT_EQ(0, helper_finish(&hp, m, &status));
		EXPECT_STREQ(MARKER_INIT, m);
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	EXPECT_EQ(0, unlink(SUID_PATH));
}

/*
 * A root process the user never had a handle to: no handle that could
 * change its memory is granted in the first place.
 */
TEST_F(sec_proc, no_memory_handle_to_root_process)
{
	int status;
	pid_t root;

	root = fork();
	ASSERT_LE(0, root);
	if (!root) {
		pause();
		_exit(0);
	}
	NT_AS_USER(variant->gate) {
		HANDLE h;

		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      open_process(&h, root, PROCESS_VM_OPERATION));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      open_process(&h, 1, PROCESS_VM_OPERATION));
	}
	kill(root, SIGKILL);
	waitpid(root, &status, 0);
}

/* Row 2's control: a plain exec keeps the handle working (ptrace does). */
TEST_F(sec_proc, handle_follows_plain_exec)
{
	ASSERT_EQ(0, copy_self(PLAIN_PATH, 0755));
	NT_AS_USER(variant->gate) {
		char m[MARKER_LEN], w[MARKER_LEN] = MARKER_PWNED;
		PROCESS_BASIC_INFORMATION pbi;
		struct helper hp;
		struct report r;
		SIZE_T done = 0;
		int status;
		HANDLE h;

		ASSERT_EQ(0, helper_fork(&hp, PLAIN_PATH, 0));
		ASSERT_STATUS(STATUS_SUCCESS, open_process(&h, hp.pid, VM_RIGHTS));
		ASSERT_EQ(0, helper_exec(&hp, &r));
		ASSERT_EQ((unsigned)NT_TEST_UID, r.euid);
		EXPECT_STATUS(STATUS_SUCCESS,
			      NtReadVirtualMemory(h, (void *)sec_marker, m,
						  MARKER_LEN, &done));
		EXPECT_EQ(MARKER_LEN, done);
		EXPECT_STREQ(MARKER_INIT, m);
		EXPECT_STATUS(STATUS_SUCCESS,
			      NtWriteVirtualMemory(h, (void *)sec_marker, w,
						   MARKER_LEN, &done));
		EXPECT_STATUS(STATUS_SUCCESS,
			      NtQueryInformationProcess(h, ProcessBasicInformation,
							&pbi, sizeof(pbi), NULL));
		EXPECT_EQ((ULONG_PTR)hp.pid, (ULONG_PTR)pbi.UniqueProcessId);
		NtClose(h);
		ASSERT_EQ(0, helper_finish(&hp, m, &status));
		EXPECT_STREQ(MARKER_PWNED, m);
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	EXPECT_EQ(0, unlink(PLAIN_PATH));
}

/*
 * Row 7: a query-only handle to what is now a root process cannot be
 * duplicated into PROCESS_ALL_ACCESS (an open with that access would be
 * refused); before the exec, the same duplicate is what an open gives.
 */
TEST_F(sec_proc, duplicate_does_not_widen_process_access)
{
	ASSERT_EQ(0, copy_self(SUID_PATH, 04755));
	NT_AS_USER(variant->gate) {
		HANDLE q, d;
		char m[MARKER_LEN];
		struct helper hp;
		struct report r;
		int status;

		/* root's own processes cannot be opened at all */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      open_process(&q, 1, PROCESS_QUERY_INFORMATION));
		ASSERT_EQ(0, helper_fork(&hp, SUID_PATH, 0));
		ASSERT_STATUS(STATUS_SUCCESS,
			      open_process(&q, hp.pid, PROCESS_QUERY_INFORMATION));
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtDuplicateObject(NtCurrentProcess(), q,
						NtCurrentProcess(), &d,
						PROCESS_ALL_ACCESS, 0, 0));
		NtClose(d);
		ASSERT_EQ(0, helper_exec(&hp, &r));
		ASSERT_EQ(0u, r.euid);
		d = NT_POISON_HANDLE;
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtDuplicateObject(NtCurrentProcess(), q,
						NtCurrentProcess(), &d,
						PROCESS_ALL_ACCESS, 0, 0));
		EXPECT_EQ(0, (uintptr_t)d);
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtDuplicateObject(NtCurrentProcess(), q,
						NtCurrentProcess(), &d,
						PROCESS_TERMINATE, 0, 0));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, NtTerminateProcess(q, 0x1234));
		/* the same access is no widening */
		EXPECT_STATUS(STATUS_SUCCESS,
			      NtDuplicateObject(NtCurrentProcess(), q,
						NtCurrentProcess(), &d, 0, 0,
						DUPLICATE_SAME_ACCESS));
		NtClose(d);
		NtClose(q);
		ASSERT_EQ(0, helper_finish(&hp, m, &status));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	EXPECT_EQ(0, unlink(SUID_PATH));
}

/*
 * Row 7, other types: no check of the object's own yet (row 11), so a
 * duplicate is never wider than its source; MAXIMUM_ALLOWED is the
 * source's access.
 */
TEST_F(sec_proc, duplicate_does_not_widen_event_access)
{
	NT_AS_USER(variant->gate) {
		OBJECT_BASIC_INFORMATION info;
		HANDLE e, s, d;

		ASSERT_STATUS(STATUS_SUCCESS,
			      NtCreateEvent(&e, EVENT_ALL_ACCESS, NULL,
					    NotificationEvent, FALSE));
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtDuplicateObject(NtCurrentProcess(), e,
						NtCurrentProcess(), &s,
						SYNCHRONIZE, 0, 0));
		NtClose(e);
		d = NT_POISON_HANDLE;
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtDuplicateObject(NtCurrentProcess(), s,
						NtCurrentProcess(), &d,
						EVENT_ALL_ACCESS, 0, 0));
		EXPECT_EQ(0, (uintptr_t)d);
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtDuplicateObject(NtCurrentProcess(), s,
						NtCurrentProcess(), &d,
						GENERIC_WRITE, 0, 0));
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtDuplicateObject(NtCurrentProcess(), s,
						NtCurrentProcess(), &d,
						MAXIMUM_ALLOWED, 0, 0));
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtQueryObject(d, ObjectBasicInformation, &info,
					    sizeof(info), NULL));
		EXPECT_EQ(SYNCHRONIZE, info.GrantedAccess);
		EXPECT_STATUS(STATUS_ACCESS_DENIED, NtSetEvent(d, NULL));
		NtClose(d);
		NtClose(s);
	}
}

/*
 * Row 14: the user's exec attach is not carried into a setuid-root image
 * or one with file capabilities (the exec goes on, unattached); into a
 * plain one it is.
 */
TEST_F(sec_proc, exec_attach_not_across_setuid)
{
	int fcap;

	ASSERT_EQ(0, copy_self(SUID_PATH, 04755));
	ASSERT_EQ(0, copy_self(PLAIN_PATH, 0755));
	ASSERT_EQ(0, copy_self(FCAP_PATH, 0755));
	fcap = !set_file_cap(FCAP_PATH);
	if (!fcap)
		TH_LOG("no file capabilities here (%s): that case is not run",
		       strerror(errno));
	NT_AS_USER(variant->gate) {
		char m[MARKER_LEN];
		struct helper hp;
		struct report r;
		int status;

		ASSERT_EQ(0, helper_fork(&hp, SUID_PATH, 1));
		ASSERT_EQ(0, helper_exec(&hp, &r));
		EXPECT_EQ(0u, r.euid);
		EXPECT_EQ(0u, r.state);
		ASSERT_EQ(0, helper_finish(&hp, m, &status));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

		if (fcap) {
			ASSERT_EQ(0, helper_fork(&hp, FCAP_PATH, 1));
			ASSERT_EQ(0, helper_exec(&hp, &r));
			EXPECT_EQ((unsigned)NT_TEST_UID, r.euid);
			EXPECT_EQ(0u, r.state);
			ASSERT_EQ(0, helper_finish(&hp, m, &status));
			EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}

		ASSERT_EQ(0, helper_fork(&hp, PLAIN_PATH, 1));
		ASSERT_EQ(0, helper_exec(&hp, &r));
		EXPECT_EQ((unsigned)NT_TEST_UID, r.euid);
		EXPECT_EQ(NTP_STATE_ATTACHED, r.state);
		ASSERT_EQ(0, helper_finish(&hp, m, &status));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	EXPECT_EQ(0, unlink(SUID_PATH));
	EXPECT_EQ(0, unlink(PLAIN_PATH));
	EXPECT_EQ(0, unlink(FCAP_PATH));
}

/* Row 15: NTP_IOC_QUERY tells only about tasks the caller may ptrace. */
TEST_F(sec_proc, query_only_what_ptrace_allows)
{
	NT_AS_USER(variant->gate) {
		struct ntp_query q;
		int status;
		pid_t child;

		EXPECT_EQ(-EPERM, ntp_query_pid(1, &q));	/* root's init */
		ASSERT_EQ(0, ntp_query_pid(0, &q));
		EXPECT_EQ(NTP_STATE_ATTACHED, q.state);
		EXPECT_EQ((unsigned)getpid(), q.tgid);
		child = fork();
		ASSERT_LE(0, child);
		if (!child) {
			pause();
			_exit(0);
		}
		/* the user's own (attached by fork, once it has run) */
		for (int i = 0; i < 200; i++) {
			ASSERT_EQ(0, ntp_query_pid(child, &q));
			if (q.state == NTP_STATE_ATTACHED)
				break;
			usleep(10000);
		}
		EXPECT_EQ(NTP_STATE_ATTACHED, q.state);
		EXPECT_EQ((unsigned)child, q.tgid);
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
}

/*
 * Row 15: a process list and process ids in a new pid namespace are that
 * namespace's, as /proc there shows them. Root makes the namespace; its
 * first process (1 there) and a child (2) are all that is listed.
 */
static int pidns_child(void)
{
	PROCESS_BASIC_INFORMATION pbi;
	SYSTEM_PROCESS_INFORMATION *spi;
	ULONG len = 1 << 20;
	int seen = 0, err = 0, status;
	char *buf;
	pid_t g;
	HANDLE h;

	if (getpid() != 1)
		return 10;
	g = fork();
	if (g < 0)
		return 11;
	if (!g) {
		pause();
		_exit(0);
	}
	buf = malloc(len);
	if (!buf)
		return 12;
	if (NtQuerySystemInformation(SystemProcessInformation, buf, len, &len))
		err = 13;
	for (spi = (void *)buf; !err;
	     spi = (void *)((char *)spi + spi->NextEntryOffset)) {
		ULONG_PTR id = (ULONG_PTR)spi->UniqueProcessId;
		ULONG_PTR parent = (ULONG_PTR)spi->InheritedFromUniqueProcessId;

		seen++;
		if (id == 1 && (parent != 0 ||
		    (ULONG_PTR)spi->Threads[0].ClientId.UniqueThread != 1))
			err = 14;
		else if (id == 2 && (parent != 1 ||
			 (ULONG_PTR)spi->Threads[0].ClientId.UniqueProcess != 2))
			err = 15;
		else if (id != 1 && id != 2)
			err = 16;	/* someone outside the namespace */
		if (!spi->NextEntryOffset)
			break;
	}
	if (!err && seen != 2)
		err = 17;
	/* ids given to and by NtOpenProcess are the namespace's too */
	if (!err && (open_process(&h, g, PROCESS_QUERY_INFORMATION) ||
		     NtQueryInformationProcess(h, ProcessBasicInformation, &pbi,
					       sizeof(pbi), NULL) ||
		     (ULONG_PTR)pbi.UniqueProcessId != 2 ||
		     (ULONG_PTR)pbi.InheritedFromUniqueProcessId != 1))
		err = 18;
	kill(g, SIGKILL);
	waitpid(g, &status, 0);
	free(buf);
	return err;
}

TEST_F(sec_proc, process_list_in_pid_namespace)
{
	int status;
	pid_t c;

	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	c = fork();
	ASSERT_LE(0, c);
	if (!c)
		_exit(pidns_child());
	ASSERT_EQ(c, waitpid(c, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * Row 15: a handle to a thread that has ended must not reach whatever
 * later gets the same number. Root steers the next pid to the dead
 * thread's with ns_last_pid.
 */
struct tid_arg {
	HANDLE ke;	/* NtCurrentThread() made real, in the thread */
	HANDLE opened;	/* NtOpenThread from another thread */
	pid_t tid;
	int ready;	/* the thread says it has made its handle */
	int wait;	/* then waits for a byte here */
};

static void *short_thread(void *p)
{
	struct tid_arg *a = p;
	char c;

	a->tid = gettid_();
	if (NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(),
			      NtCurrentProcess(), &a->ke, 0, 0,
			      DUPLICATE_SAME_ACCESS))
		a->ke = NULL;
	if (write(a->ready, "t", 1) != 1 || read(a->wait, &c, 1) != 1)
		return NULL;
	return NULL;
}

static int set_last_pid(pid_t pid)
{
	char s[16];
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
	int n = snprintf(s, sizeof(s), "%d", (int)pid), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, s, n) == n ? 0 : -1;
	close(fd);
	return ret;
}

TEST_F(sec_proc, thread_handle_does_not_follow_pid_reuse)
{
	THREAD_BASIC_INFORMATION tbi;
	struct tid_arg a = { 0 };
	int ready[2], go[2], status, tries;
	pthread_t th;
	pid_t g = -1;
	char c;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	a.ready = ready[1];
	a.wait = go[0];
	ASSERT_EQ(0, pthread_create(&th, NULL, short_thread, &a));
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_NE(NULL, a.ke);
	ASSERT_STATUS(STATUS_SUCCESS,
		      open_thread(&a.opened, a.tid, THREAD_QUERY_INFORMATION));
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	/* gone for good: reaped, its number free */
	for (tries = 0; tries < 500 && !syscall(SYS_tgkill, getpid(), a.tid, 0);
	     tries++)
		usleep(2000);
	ASSERT_EQ(ESRCH, errno);
	for (tries = 0; tries < 5; tries++) {
		ASSERT_EQ(0, set_last_pid(a.tid - 1));
		g = fork();
		ASSERT_LE(0, g);
		if (!g) {
			pause();
			_exit(0);
		}
		if (g == a.tid)
			break;
		kill(g, SIGKILL);
		waitpid(g, &status, 0);
		g = -1;
	}
	if (g < 0)
		SKIP(return, "could not make pid %d again", (int)a.tid);
	/*
	 * The thread's own object answers for the dead thread (how it
	 * ended, its ids), never for the live task that has its number now.
	 */
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(a.ke, ThreadBasicInformation,
					       &tbi, sizeof(tbi), NULL));
	EXPECT_NE(STATUS_PENDING, tbi.ExitStatus);
	EXPECT_EQ((uintptr_t)a.tid, (uintptr_t)tbi.ClientId.UniqueThread);
	EXPECT_EQ(NULL, tbi.TebBaseAddress);
	EXPECT_STATUS(STATUS_THREAD_IS_TERMINATING,
		      NtQueryInformationThread(a.opened, ThreadBasicInformation,
					       &tbi, sizeof(tbi), NULL));
	kill(g, SIGKILL);
	waitpid(g, &status, 0);
	NtClose(a.ke);
	NtClose(a.opened);
}

TEST_HARNESS_MAIN
