// SPDX-License-Identifier: GPL-2.0
/*
 * Process and thread information: NtQueryInformationProcess,
 * NtQueryInformationThread, NtOpenProcess, NtOpenThread,
 * NtTerminateProcess, NtTerminateThread.
 *
 * Windows behaviour from Wine's dlls/ntdll/tests/info.c
 * (test_query_process_basic, test_query_process_times) and ReactOS
 * ntoskrnl/ps/query.c and psmgr: exact lengths, STATUS_PENDING while
 * running, STATUS_INVALID_CID for an unknown id, STATUS_INVALID_PARAMETER_MIX
 * for a name with a CLIENT_ID, STATUS_CANT_TERMINATE_SELF for the last
 * thread. ProcessImageFileName's C: rule under a per-process root is in
 * croot.c.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "nt_test.h"

#define KERNEL_PTR	((void *)0xc0001000)

FIXTURE(process) {};
NT_GATE_VARIANTS(process);
FIXTURE_SETUP(process) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(process) {}

static pid_t gettid_(void)
{
	return syscall(SYS_gettid);
}

static CLIENT_ID cid(pid_t p, pid_t t)
{
	CLIENT_ID c = { (HANDLE)(ULONG_PTR)p, (HANDLE)(ULONG_PTR)t };

	return c;
}

TEST_F(process, basic_information_of_self)
{
	PROCESS_BASIC_INFORMATION pbi;
	ULONG len = NT_POISON_ULONG;

	nt_poison(&pbi);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation,
						&pbi, sizeof(pbi), &len));
	EXPECT_EQ(sizeof(pbi), len);
	EXPECT_EQ(STATUS_PENDING, pbi.ExitStatus);
	EXPECT_EQ((ULONG_PTR)getpid(), pbi.UniqueProcessId);
	EXPECT_EQ((ULONG_PTR)getppid(), pbi.InheritedFromUniqueProcessId);
	EXPECT_TRUE(pbi.PebBaseAddress == NtCurrentPeb());	/* selftests/teb.c */
	EXPECT_NE(0u, pbi.AffinityMask);
}

TEST_F(process, basic_information_wants_exact_length)
{
	PROCESS_BASIC_INFORMATION pbi[2];
	ULONG len = NT_POISON_ULONG;

	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation,
						pbi, sizeof(pbi), &len));
	EXPECT_EQ(sizeof(pbi[0]), len);
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation,
						pbi, 0, NULL));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation,
						pbi, 0xffffffff, NULL));
}

TEST_F(process, invalid_class_and_pointers)
{
	char buf[64];

	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtQueryInformationProcess(NtCurrentProcess(), 0x7fff, buf,
						sizeof(buf), NULL));
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtQueryInformationProcess(NtCurrentProcess(), ProcessAccessToken,
						buf, 8, NULL));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation,
						KERNEL_PTR,
						sizeof(PROCESS_BASIC_INFORMATION), NULL));
	EXPECT_STATUS(STATUS_INVALID_HANDLE,
		      NtQueryInformationProcess((HANDLE)0x1234, ProcessBasicInformation,
						buf, sizeof(PROCESS_BASIC_INFORMATION),
						NULL));
}

/* "\??\C:" + the Linux path with backslashes (C: is "/" in the tests) */
static void expected_image_name(char *out, size_t n)
{
	char exe[4096];
	ssize_t got = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[got > 0 ? got : 0] = 0;
	snprintf(out, n, "\\??\\C:%s", exe);
	for (char *c = out; *c; c++)
		if (*c == '/')
			*c = '\\';
}

/*
 * ProcessImageFileName (27): UNICODE_STRING + the NUL-terminated name it
 * points to, whole or STATUS_INFO_LENGTH_MISMATCH with the needed size
 * (ReactOS ntoskrnl/ps/query.c; Wine dlls/ntdll/tests/info.c
 * test_query_process_image_file_name). The name is an NT name the
 * process can open (here \??\C:\..., XP: \Device\HarddiskVolumeN\...).
 */
TEST_F(process, image_file_name)
{
	union {
		UNICODE_STRING us;
		char raw[4200];
	} u;
	char want[4200], got[4200];
	ULONG len = NT_POISON_ULONG, needed;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK iosb;
	unsigned int i;
	HANDLE h;

	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryInformationProcess(NtCurrentProcess(), ProcessImageFileName,
						&u, 0, &len));
	expected_image_name(want, sizeof(want));
	needed = sizeof(UNICODE_STRING) + (strlen(want) + 1) * sizeof(WCHAR);
	EXPECT_EQ(needed, len);
	len = NT_POISON_ULONG;
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryInformationProcess(NtCurrentProcess(), ProcessImageFileName,
						&u, needed - 1, &len));
	EXPECT_EQ(needed, len);

	memset(&u, 0xcc, sizeof(u));
	len = NT_POISON_ULONG;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationProcess(NtCurrentProcess(), ProcessImageFileName,
						&u, needed, &len));
	EXPECT_EQ(needed, len);
	EXPECT_EQ(strlen(want) * 2, u.us.Length);
	EXPECT_EQ(u.us.Length + 2, u.us.MaximumLength);
	ASSERT_TRUE(u.us.Buffer == (WCHAR *)(u.raw + sizeof(UNICODE_STRING)));
	for (i = 0; i < u.us.Length / 2; i++)
		got[i] = u.us.Buffer[i] < 0x80 ? u.us.Buffer[i] : '?';
	got[i] = 0;
	EXPECT_STREQ(want, got);
	EXPECT_EQ(0, u.us.Buffer[u.us.Length / 2]);

	/* the name opens the executable */
	InitializeObjectAttributes(&oa, &u.us, OBJ_CASE_INSENSITIVE, NULL, NULL);
	ASSERT_STATUS(STATUS_SUCCESS, NtOpenFile(&h, FILE_READ_DATA | SYNCHRONIZE,
						 &oa, &iosb, FILE_SHARE_READ,
						 FILE_SYNCHRONOUS_IO_NONALERT));
	NtClose(h);

	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQueryInformationProcess(NtCurrentProcess(), ProcessImageFileName,
						KERNEL_PTR, needed, NULL));
	EXPECT_STATUS(STATUS_INVALID_HANDLE,
		      NtQueryInformationProcess((HANDLE)0x1234, ProcessImageFileName,
						&u, needed, NULL));
}

TEST_F(process, times_and_counters)
{
	KERNEL_USER_TIMES kut;
	VM_COUNTERS vm;
	LARGE_INTEGER now;
	ULONG session = NT_POISON_ULONG;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationProcess(NtCurrentProcess(), ProcessTimes,
						&kut, sizeof(kut), NULL));
	ASSERT_STATUS(STATUS_SUCCESS, NtQuerySystemTime(&now));
	EXPECT_LT(kut.CreateTime.QuadPart, now.QuadPart);
	EXPECT_GT(kut.CreateTime.QuadPart, now.QuadPart - 36000000000LL);
	EXPECT_EQ(0, kut.ExitTime.QuadPart);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationProcess(NtCurrentProcess(), ProcessVmCounters,
						&vm, sizeof(vm), NULL));
	EXPECT_NE(0u, vm.VirtualSize);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationProcess(NtCurrentProcess(),
						ProcessSessionInformation,
						&session, sizeof(session), NULL));
	EXPECT_EQ(0u, session);
}

TEST_F(process, thread_basic_information)
{
	THREAD_BASIC_INFORMATION tbi;
	ULONG last = NT_POISON_ULONG;

	nt_poison(&tbi);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(NtCurrentThread(), ThreadBasicInformation,
					       &tbi, sizeof(tbi), NULL));
	EXPECT_EQ(STATUS_PENDING, tbi.ExitStatus);
	EXPECT_EQ((ULONG_PTR)getpid(), (ULONG_PTR)tbi.ClientId.UniqueProcess);
	EXPECT_EQ((ULONG_PTR)gettid_(), (ULONG_PTR)tbi.ClientId.UniqueThread);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(NtCurrentThread(), ThreadAmILastThread,
					       &last, sizeof(last), NULL));
	EXPECT_EQ(1u, last);
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryInformationThread(NtCurrentThread(), ThreadBasicInformation,
					       &tbi, sizeof(tbi) - 1, NULL));
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtQueryInformationThread(NtCurrentThread(), 0x7fff, &tbi,
					       sizeof(tbi), NULL));
}

TEST_F(process, open_self_by_client_id)
{
	PROCESS_BASIC_INFORMATION pbi;
	THREAD_BASIC_INFORMATION tbi;
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	CLIENT_ID c = cid(getpid(), 0);
	HANDLE h = NT_POISON_HANDLE;

	nt_oa(&oa, &us, NULL, 0);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenProcess(&h, PROCESS_QUERY_INFORMATION, &oa, &c));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationProcess(h, ProcessBasicInformation, &pbi,
						sizeof(pbi), NULL));
	EXPECT_EQ((ULONG_PTR)getpid(), pbi.UniqueProcessId);
	/* query access was granted, terminate was not */
	EXPECT_STATUS(STATUS_ACCESS_DENIED, NtTerminateProcess(h, 0));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));

	c = cid(0, gettid_());
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenThread(&h, THREAD_QUERY_INFORMATION, &oa, &c));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(h, ThreadBasicInformation, &tbi,
					       sizeof(tbi), NULL));
	EXPECT_EQ((ULONG_PTR)gettid_(), (ULONG_PTR)tbi.ClientId.UniqueThread);
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      NtQueryInformationProcess(h, ProcessBasicInformation, &pbi,
						sizeof(pbi), NULL));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));
}

TEST_F(process, open_bad_client_id)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	CLIENT_ID c = cid(0x3ffffff0, 0);
	HANDLE h = NT_POISON_HANDLE;

	nt_oa(&oa, &us, NULL, 0);
	EXPECT_STATUS(STATUS_INVALID_CID,
		      NtOpenProcess(&h, PROCESS_QUERY_INFORMATION, &oa, &c));
	EXPECT_TRUE(h == NULL);		/* pre-written with 0 */
	c = cid(1, gettid_());		/* thread not in that process */
	EXPECT_STATUS(STATUS_INVALID_CID,
		      NtOpenThread(&h, THREAD_QUERY_INFORMATION, &oa, &c));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_MIX,
		      NtOpenProcess(&h, PROCESS_QUERY_INFORMATION, &oa, NULL));
	nt_oa(&oa, &us, u"\\x", 0);
	c = cid(getpid(), 0);
	EXPECT_STATUS(STATUS_INVALID_PARAMETER_MIX,
		      NtOpenProcess(&h, PROCESS_QUERY_INFORMATION, &oa, &c));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtOpenProcess(&h, PROCESS_QUERY_INFORMATION, NULL, &c));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtOpenProcess(KERNEL_PTR, PROCESS_QUERY_INFORMATION, &oa, &c));
}

/* An unprivileged caller may not ptrace init, so may not open it. */
TEST_F(process, open_needs_ptrace_access)
{
	int status;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		OBJECT_ATTRIBUTES oa;
		UNICODE_STRING us;
		CLIENT_ID c = cid(1, 0);
		HANDLE h;

		if (setuid(65534))
			_exit(2);
		nt_oa(&oa, &us, NULL, 0);
		_exit(NtOpenProcess(&h, PROCESS_TERMINATE, &oa, &c) ==
		      STATUS_ACCESS_DENIED ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * A task that dies inside an NT call (NtTerminateProcess/Thread on itself)
 * must not keep rmmod waiting (scripts/ntvm rmmods after the run).
 */

TEST_F(process, terminate_self_sets_exit_code)
{
	int status;
	pid_t pid;

	pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		NtTerminateProcess(NtCurrentProcess(), 0x42);
		_exit(1);	/* not reached */
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0x42, WEXITSTATUS(status));
}

TEST_F(process, terminate_other_process)
{
	PROCESS_BASIC_INFORMATION pbi;
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	CLIENT_ID c;
	HANDLE h;
	int status;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		for (;;)
			pause();
	}
	c = cid(pid, 0);
	nt_oa(&oa, &us, NULL, 0);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenProcess(&h, PROCESS_TERMINATE | PROCESS_QUERY_INFORMATION,
				    &oa, &c));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationProcess(h, ProcessBasicInformation, &pbi,
						sizeof(pbi), NULL));
	EXPECT_EQ(STATUS_PENDING, pbi.ExitStatus);
	EXPECT_EQ((ULONG_PTR)pid, pbi.UniqueProcessId);
	EXPECT_EQ((ULONG_PTR)getpid(), pbi.InheritedFromUniqueProcessId);
	ASSERT_STATUS(STATUS_SUCCESS, NtTerminateProcess(h, 7));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));
}

/*
 * Exit statuses survive the exit whole: Windows keeps all 32 bits of
 * NtTerminateProcess's ExitStatus for NtQueryInformationProcess and
 * GetExitCodeProcess (ReactOS ntoskrnl/ps/kill.c; Wine dlls/ntdll/tests/
 * info.c and kernel32/tests/process.c test_TerminateProcess), where Linux
 * keeps 8 bits or the killing signal. The first status wins: an exiting or
 * dead process answers STATUS_PROCESS_IS_TERMINATING and keeps its own.
 */

static pid_t fork_pausing_child(void)
{
	pid_t pid = fork();

	if (!pid)
		for (;;)
			pause();
	return pid;
}

/* Wait until @pid is a zombie, leaving it to be reaped. */
static int wait_zombie(pid_t pid, siginfo_t *si)
{
	memset(si, 0, sizeof(*si));
	return waitid(P_PID, pid, si, WEXITED | WNOWAIT);
}

static HANDLE open_process(struct __test_metadata *_metadata, pid_t pid,
			   ACCESS_MASK access)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	CLIENT_ID c = cid(pid, 0);
	HANDLE h = NT_POISON_HANDLE;

	nt_oa(&oa, &us, NULL, 0);
	EXPECT_STATUS(STATUS_SUCCESS, NtOpenProcess(&h, access, &oa, &c));
	return h;
}

static NTSTATUS process_exit_status(HANDLE h)
{
	PROCESS_BASIC_INFORMATION pbi;
	NTSTATUS st;

	nt_poison(&pbi);
	st = NtQueryInformationProcess(h, ProcessBasicInformation, &pbi,
				       sizeof(pbi), NULL);
	return st == STATUS_SUCCESS ? pbi.ExitStatus : st;
}

static NTSTATUS thread_exit_status(HANDLE h)
{
	THREAD_BASIC_INFORMATION tbi;
	NTSTATUS st;

	nt_poison(&tbi);
	st = NtQueryInformationThread(h, ThreadBasicInformation, &tbi,
				      sizeof(tbi), NULL);
	return st == STATUS_SUCCESS ? tbi.ExitStatus : st;
}

TEST_F(process, terminate_other_keeps_whole_exit_status)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	CLIENT_ID c;
	siginfo_t si;
	int status;
	pid_t pid = fork_pausing_child();
	HANDLE h, th;

	ASSERT_GE(pid, 0);
	nt_oa(&oa, &us, NULL, 0);
	h = open_process(_metadata, pid,
			 PROCESS_TERMINATE | PROCESS_QUERY_INFORMATION);
	ASSERT_STATUS(STATUS_SUCCESS, NtTerminateProcess(h, 0x12345678));
	ASSERT_EQ(0, wait_zombie(pid, &si));
	EXPECT_EQ(CLD_KILLED, si.si_code);
	EXPECT_STATUS(0x12345678, process_exit_status(h));
	/* its thread ended with the process's status too */
	c = cid(pid, pid);
	ASSERT_STATUS(STATUS_SUCCESS, NtOpenThread(&th, THREAD_QUERY_INFORMATION, &oa, &c));
	EXPECT_STATUS(0x12345678, thread_exit_status(th));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(th));
	/* Linux still sees the SIGKILL */
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));
}

TEST_F(process, terminate_self_keeps_whole_exit_status)
{
	siginfo_t si;
	int status;
	pid_t pid = fork();
	HANDLE h;

	ASSERT_GE(pid, 0);
	if (!pid) {
		NtTerminateProcess(NtCurrentProcess(), 0xC0000135);
		_exit(1);	/* not reached */
	}
	ASSERT_EQ(0, wait_zombie(pid, &si));
	EXPECT_EQ(CLD_EXITED, si.si_code);
	EXPECT_EQ(0x35, si.si_status);
	/* opened only now: the status is kept with the process, not a handle */
	h = open_process(_metadata, pid, PROCESS_QUERY_INFORMATION);
	EXPECT_STATUS(STATUS_DLL_NOT_FOUND, process_exit_status(h));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0x35, WEXITSTATUS(status));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));
}

TEST_F(process, first_exit_status_wins)
{
	siginfo_t si;
	int status;
	pid_t pid = fork_pausing_child();
	HANDLE h;

	ASSERT_GE(pid, 0);
	h = open_process(_metadata, pid,
			 PROCESS_TERMINATE | PROCESS_QUERY_INFORMATION);
	ASSERT_STATUS(STATUS_SUCCESS, NtTerminateProcess(h, 0x12345678));
	/* still dying */
	EXPECT_STATUS(STATUS_PROCESS_IS_TERMINATING, NtTerminateProcess(h, 0x0badbad0));
	ASSERT_EQ(0, wait_zombie(pid, &si));
	/* dead */
	EXPECT_STATUS(STATUS_PROCESS_IS_TERMINATING, NtTerminateProcess(h, 0x0badbad1));
	EXPECT_STATUS(0x12345678, process_exit_status(h));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));
}

TEST_F(process, terminate_dead_process_keeps_its_exit_code)
{
	siginfo_t si;
	int status;
	pid_t pid = fork();
	HANDLE h;

	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(5);
	ASSERT_EQ(0, wait_zombie(pid, &si));
	h = open_process(_metadata, pid,
			 PROCESS_TERMINATE | PROCESS_QUERY_INFORMATION);
	EXPECT_STATUS(STATUS_PROCESS_IS_TERMINATING, NtTerminateProcess(h, 0x12345678));
	EXPECT_STATUS(5, process_exit_status(h));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(5, WEXITSTATUS(status));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));
}

/*
 * The main thread ends itself while another thread runs: it stays a
 * zombie, so the handle it opened to itself still reaches it, and the
 * thread's status is the whole NTSTATUS while the process's is still
 * STATUS_PENDING (Wine dlls/ntdll/tests/info.c test_query_thread_basic;
 * ReactOS ntoskrnl/ps/kill.c PspExitThread). Linux has no wait for one
 * thread of another, so the survivor polls, bounded, for the change.
 * Other threads are reaped as soon as they end and cannot be queried.
 */
enum { TT_OK, TT_OPEN, TT_THREAD_STATUS, TT_TIMEOUT, TT_PROCESS_STATUS,
       TT_CREATE, TT_RETURNED };

static void *survivor_thread(void *arg)
{
	HANDLE h = arg;
	struct timespec start, now;
	NTSTATUS st;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((st = thread_exit_status(h)) == STATUS_PENDING) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 10)
			_exit(TT_TIMEOUT);
		sched_yield();
	}
	if (st != (NTSTATUS)0xC0000001) {
		fprintf(stderr, "# thread ExitStatus %#x\n", (unsigned int)st);
		_exit(TT_THREAD_STATUS);
	}
	st = process_exit_status(NtCurrentProcess());
	if (st != STATUS_PENDING) {
		fprintf(stderr, "# process ExitStatus %#x\n", (unsigned int)st);
		_exit(TT_PROCESS_STATUS);
	}
	_exit(TT_OK);
}

static void terminate_main_thread_child(void)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	CLIENT_ID c = cid(getpid(), gettid_());
	pthread_t t;
	HANDLE h;

	nt_oa(&oa, &us, NULL, 0);
	if (NtOpenThread(&h, THREAD_QUERY_INFORMATION, &oa, &c) != STATUS_SUCCESS)
		_exit(TT_OPEN);
	if (pthread_create(&t, NULL, survivor_thread, h))
		_exit(TT_CREATE);
	NtTerminateThread(NtCurrentThread(), 0xC0000001);
	_exit(TT_RETURNED);
}

TEST_F(process, terminate_thread_keeps_whole_exit_status)
{
	siginfo_t si;
	int status;
	pid_t pid = fork();
	HANDLE h;

	ASSERT_GE(pid, 0);
	if (!pid)
		terminate_main_thread_child();
	ASSERT_EQ(0, wait_zombie(pid, &si));
	EXPECT_EQ(CLD_EXITED, si.si_code);
	EXPECT_EQ(TT_OK, si.si_status);
	/* the process ended with the survivor's exit code, not the thread's status */
	h = open_process(_metadata, pid, PROCESS_QUERY_INFORMATION);
	EXPECT_STATUS(TT_OK, process_exit_status(h));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
}

/* ntpersonality/ps/exit_statuses: how many statuses the module keeps */
static long exit_status_records(void)
{
	char buf[32];
	ssize_t n;
	int fd = open("/sys/kernel/debug/ntpersonality/ps/exit_statuses", O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

/*
 * Each kept status goes with its task: once reaped (and an RCU grace
 * period later, when the kernel frees the task) the count is back.
 */
TEST_F(process, exit_statuses_freed_with_the_task)
{
	long before = exit_status_records(), now;
	struct timespec start, t;
	siginfo_t si;
	int i, status;

	if (before < 0)
		SKIP(return, "no ntpersonality/ps/exit_statuses in debugfs");
	for (i = 0; i < 20; i++) {
		pid_t pid = fork_pausing_child();
		HANDLE h;

		ASSERT_GE(pid, 0);
		h = open_process(_metadata, pid, PROCESS_TERMINATE);
		ASSERT_STATUS(STATUS_SUCCESS, NtTerminateProcess(h, 0xC0000000 | i));
		ASSERT_EQ(0, wait_zombie(pid, &si));
		/* kept while the zombie is there */
		EXPECT_GE(exit_status_records(), 1);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));

		pid = fork();
		ASSERT_GE(pid, 0);
		if (!pid) {
			NtTerminateProcess(NtCurrentProcess(), 0xC0000100 | i);
			_exit(1);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
	}
	/* the free is an RCU callback: give it up to 5 s */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((now = exit_status_records()) > before) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - start.tv_sec > 5)
			break;
		usleep(10000);
	}
	EXPECT_LE(now, before);
}

TEST_F(process, terminate_last_thread_is_refused)
{
	EXPECT_STATUS(STATUS_CANT_TERMINATE_SELF,
		      NtTerminateThread(NtCurrentThread(), 0));
	EXPECT_STATUS(STATUS_INVALID_HANDLE, NtTerminateThread((HANDLE)0x1234, 0));
}

static void *exit_thread(void *arg)
{
	*(NTSTATUS *)arg = NtTerminateThread(NtCurrentThread(), 3);
	return NULL;	/* reached only on failure */
}

TEST_F(process, terminate_thread_ends_only_that_thread)
{
	NTSTATUS st = 0x12345678;
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, exit_thread, &st));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(0x12345678, st);	/* the call did not return */
}

/*
 * Waits on a Linux process that is not attached (XP: a process handle is
 * signaled when the process ends, whatever ended it; Wine's
 * kernel32/tests/process.c waits on every child's handle). The child is a
 * plain Linux program (exec'd, so not attached) that ends when told
 * through a pipe.
 */
static pid_t linux_child(int *wfd, const char *script)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(p[0], 0);
		close(p[0]);
		close(p[1]);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	*wfd = p[1];
	return pid;
}

static NTSTATUS wait_for(HANDLE h, LONGLONG ms)
{
	LARGE_INTEGER t = { .QuadPart = -ms * 10000 };

	return NtWaitForSingleObject(h, FALSE, &t);
}

static void *tell_later(void *arg)
{
	usleep(100000);
	if (write((int)(long)arg, "x\n", 2) != 2)
		return NULL;
	return NULL;
}

TEST_F(process, wait_on_a_linux_process_ends_at_its_exit)
{
	pthread_t teller;
	int wfd, status;
	pid_t pid = linux_child(&wfd, "read x; exit 3");
	HANDLE h, h2;

	ASSERT_GT(pid, 0);
	h = open_process(_metadata, pid, SYNCHRONIZE | PROCESS_QUERY_INFORMATION);
	h2 = open_process(_metadata, pid, SYNCHRONIZE);
	ASSERT_STATUS(STATUS_TIMEOUT, wait_for(h, 0));
	ASSERT_STATUS(STATUS_TIMEOUT, wait_for(h2, 20));
	ASSERT_STATUS(STATUS_PENDING, process_exit_status(h));
	/* asleep in the wait when it ends: the exit wakes it */
	ASSERT_EQ(0, pthread_create(&teller, NULL, tell_later, (void *)(long)wfd));
	ASSERT_STATUS(STATUS_WAIT_0, wait_for(h, 10000));
	ASSERT_EQ(0, pthread_join(teller, NULL));
	/* a zombie still: the status is final before wait(2) */
	ASSERT_STATUS(3, process_exit_status(h));
	ASSERT_STATUS(STATUS_WAIT_0, wait_for(h2, 0));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(3, WEXITSTATUS(status));
	/* reaped: stays signaled */
	ASSERT_STATUS(STATUS_WAIT_0, wait_for(h, 0));
	close(wfd);
	NtClose(h2);
	NtClose(h);
}

TEST_F(process, wait_on_a_killed_linux_process)
{
	int wfd, status;
	pid_t pid = linux_child(&wfd, "read x; exit 3");
	HANDLE h;

	ASSERT_GT(pid, 0);
	h = open_process(_metadata, pid, SYNCHRONIZE | PROCESS_QUERY_INFORMATION);
	ASSERT_STATUS(STATUS_TIMEOUT, wait_for(h, 0));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_STATUS(STATUS_WAIT_0, wait_for(h, 10000));
	/* what wait(2) reports: the number of the killing signal */
	ASSERT_STATUS(SIGKILL, process_exit_status(h));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	close(wfd);
	NtClose(h);
}

/* A handle closed while its wait is armed, then the process ends. */
TEST_F(process, linux_process_handle_closed_before_the_exit)
{
	int wfd, status;
	pid_t pid = linux_child(&wfd, "read x; exit 4");
	HANDLE h;

	ASSERT_GT(pid, 0);
	h = open_process(_metadata, pid, SYNCHRONIZE);
	ASSERT_STATUS(STATUS_TIMEOUT, wait_for(h, 0));
	ASSERT_STATUS(STATUS_SUCCESS, NtClose(h));
	ASSERT_EQ(2, write(wfd, "x\n", 2));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(4, WEXITSTATUS(status));
	close(wfd);
}

/*
 * The leader of a Linux process ends first: the process has not ended
 * (XP: a process ends with its last thread) until its other thread does.
 * The child is this binary again, exec'd (so not attached), running the
 * constructor below instead of the tests.
 */
#define LEADER_FIRST_ENV "NTP_SELFTEST_LEADER_FIRST"

static void *leader_first_survivor(void *arg)
{
	char c;

	if (read(0, &c, 1) != 1)
		syscall(SYS_exit_group, 100);
	syscall(SYS_exit_group, 6);
	return NULL;
}

__attribute__((constructor)) static void leader_first_child(void)
{
	pthread_t t;

	if (!getenv(LEADER_FIRST_ENV))
		return;
	if (pthread_create(&t, NULL, leader_first_survivor, NULL))
		_exit(101);
	syscall(SYS_exit, 0);	/* this thread only */
}

static char leader_state(pid_t pid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] ? p[2] : 0;
}

TEST_F(process, linux_process_whose_leader_ends_first)
{
	char exe[256];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int p[2], status, i;
	pid_t pid;
	HANDLE h;

	ASSERT_GT(len, 0);
	exe[len] = 0;
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		dup2(p[0], 0);
		setenv(LEADER_FIRST_ENV, "1", 1);
		execl(exe, exe, (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	h = open_process(_metadata, pid, SYNCHRONIZE | PROCESS_QUERY_INFORMATION);
	for (i = 0; i < 1000 && leader_state(pid) != 'Z'; i++)
		usleep(10000);
	ASSERT_EQ('Z', leader_state(pid));
	/* the leader is a zombie, its other thread runs: not ended */
	ASSERT_STATUS(STATUS_TIMEOUT, wait_for(h, 50));
	ASSERT_STATUS(STATUS_PENDING, process_exit_status(h));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_STATUS(STATUS_WAIT_0, wait_for(h, 10000));
	ASSERT_STATUS(6, process_exit_status(h));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(6, WEXITSTATUS(status));
	close(p[1]);
	NtClose(h);
}

TEST_HARNESS_MAIN
