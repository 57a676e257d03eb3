// SPDX-License-Identifier: GPL-2.0
/*
 * The NT thread's environment (issue 13): fs = 0x3b points at the TEB in
 * every thread of an attached process (pthreads included), fs:[0x18] is
 * the TEB, TEB.Peb is the PEB, and both agree with what
 * NtQueryInformationThread/Process report; the PEB carries what XP's
 * kernel puts there; fork children keep their copies with their own ids;
 * TEB pages of exited threads come back zeroed; detach takes it all away.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nt_test.h"

extern char __executable_start[];	/* the linker's: the ELF's first byte */

static unsigned short fs_selector(void)
{
	unsigned short fs;

	__asm__ __volatile__("mov %%fs, %0" : "=r" (fs));
	return fs;
}

static uintptr_t fs_self(void)
{
	uintptr_t p;

	__asm__ __volatile__("movl %%fs:0x18, %0" : "=r" (p));
	return p;
}

static pid_t gettid_(void)
{
	return syscall(SYS_gettid);
}

/* Everything a thread can check about its own TEB; 0 or a failed line. */
static int check_own_teb(void)
{
	TEB *teb = NtCurrentTeb();
	THREAD_BASIC_INFORMATION tbi;
	uintptr_t sp = (uintptr_t)&teb;
	ULONG len = 0;

	if (fs_selector() != NT_TEB_SELECTOR)
		return __LINE__;
	if ((uintptr_t)teb != fs_self() || teb->NtTib.Self != &teb->NtTib)
		return __LINE__;
	if ((uintptr_t)teb & 0xfff)
		return __LINE__;
	if ((uintptr_t)teb->ClientId.UniqueProcess != (uintptr_t)getpid() ||
	    (uintptr_t)teb->ClientId.UniqueThread != (uintptr_t)gettid_())
		return __LINE__;
	if (teb->RealClientId.UniqueThread != teb->ClientId.UniqueThread)
		return __LINE__;
	if (teb->ProcessEnvironmentBlock != NtCurrentPeb() || !NtCurrentPeb())
		return __LINE__;
	if ((uintptr_t)teb->NtTib.ExceptionList != EXCEPTION_CHAIN_END)
		return __LINE__;
	if (!((uintptr_t)teb->NtTib.StackLimit <= sp &&
	      sp < (uintptr_t)teb->NtTib.StackBase))
		return __LINE__;
	if (teb->DeallocationStack != teb->NtTib.StackLimit)
		return __LINE__;
	if (teb->CurrentLocale != 0x409)
		return __LINE__;
	if (teb->StaticUnicodeString.Buffer != teb->StaticUnicodeBuffer ||
	    teb->StaticUnicodeString.MaximumLength != sizeof(teb->StaticUnicodeBuffer) ||
	    teb->StaticUnicodeString.Length)
		return __LINE__;
	if (NtQueryInformationThread(NtCurrentThread(), ThreadBasicInformation,
				     &tbi, sizeof(tbi), &len) || len != sizeof(tbi))
		return __LINE__;
	if (tbi.TebBaseAddress != teb ||
	    tbi.ClientId.UniqueProcess != teb->ClientId.UniqueProcess ||
	    tbi.ClientId.UniqueThread != teb->ClientId.UniqueThread)
		return __LINE__;
	return 0;
}

FIXTURE(teb) { int unused; };
NT_GATE_VARIANTS(teb);
FIXTURE_SETUP(teb) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(teb) { }

TEST_F(teb, fs_is_the_teb_of_the_main_thread)
{
	EXPECT_EQ(0, check_own_teb());
	/* XP's address when it is free, as in a fresh static program */
	EXPECT_EQ(NT_TEB_TOP, (uintptr_t)NtCurrentTeb());
}

TEST_F(teb, peb_is_xp_sp3s)
{
	PROCESS_BASIC_INFORMATION pbi;
	PEB *peb = NtCurrentPeb();
	ULONG len = 0;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationProcess(NtCurrentProcess(),
						ProcessBasicInformation,
						&pbi, sizeof(pbi), &len));
	EXPECT_EQ(peb, pbi.PebBaseAddress);
	EXPECT_EQ(NT_PEB_ADDRESS, (uintptr_t)peb);
	EXPECT_EQ(5, peb->OSMajorVersion);
	EXPECT_EQ(1, peb->OSMinorVersion);
	EXPECT_EQ(2600, peb->OSBuildNumber);
	EXPECT_EQ(0x0300, peb->OSCSDVersion);
	EXPECT_EQ(2, peb->OSPlatformId);
	EXPECT_EQ((ULONG)sysconf(_SC_NPROCESSORS_ONLN), peb->NumberOfProcessors);
	EXPECT_EQ((void *)__executable_start, peb->ImageBaseAddress);
	EXPECT_EQ(0, peb->BeingDebugged);
	EXPECT_EQ(0, peb->SessionId);
	EXPECT_EQ(0, peb->NtGlobalFlag);
	EXPECT_EQ((void **)((char *)peb + sizeof(PEB)), peb->ProcessHeaps);
	EXPECT_EQ((4096 - sizeof(PEB)) / 4, peb->MaximumNumberOfHeaps);
	EXPECT_EQ(-2592000LL * 10000000LL, peb->CriticalSectionTimeout.QuadPart);
	EXPECT_EQ(0x100000, peb->HeapSegmentReserve);
	EXPECT_EQ(0x2000, peb->HeapSegmentCommit);
	/* what user mode (ntdll) owns is left to it */
	EXPECT_EQ(NULL, peb->Ldr);
	EXPECT_EQ(NULL, peb->ProcessHeap);
}

TEST_F(teb, last_error_lives_in_the_teb)
{
	RtlSetLastWin32Error(1234);
	EXPECT_EQ(1234, RtlGetLastWin32Error());
	EXPECT_EQ(1234, NtCurrentTeb()->LastErrorValue);
	NtCurrentTeb()->LastErrorValue = 5;
	EXPECT_EQ(5, RtlGetLastWin32Error());
}

#define NTHREADS 4

struct tinfo {
	int result;
	TEB *teb;
	pid_t tid;
	int go;			/* futex-free handshake: spin, then exit */
};

static void *thread_check(void *arg)
{
	struct tinfo *ti = arg;

	ti->result = check_own_teb();
	ti->teb = NtCurrentTeb();
	ti->tid = gettid_();
	/* a value the next owner of this page must not see */
	NtCurrentTeb()->LastErrorValue = 0x5a5a;
	NtCurrentTeb()->TlsSlots[7] = (void *)0x1234;
	while (!__atomic_load_n(&ti->go, __ATOMIC_ACQUIRE))
		NtYieldExecution();
	return NULL;
}

TEST_F(teb, every_pthread_has_its_own)
{
	struct tinfo ti[NTHREADS] = { 0 };
	pthread_t th[NTHREADS];
	CLIENT_ID cid;
	OBJECT_ATTRIBUTES oa;
	THREAD_BASIC_INFORMATION tbi;
	HANDLE h;
	int i, j;

	for (i = 0; i < NTHREADS; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, thread_check, &ti[i]));
	for (i = 0; i < NTHREADS; i++)
		while (!__atomic_load_n(&ti[i].tid, __ATOMIC_ACQUIRE))
			NtYieldExecution();
	for (i = 0; i < NTHREADS; i++) {
		EXPECT_EQ(0, ti[i].result) TH_LOG("thread %d: check at line %d", i, ti[i].result);
		EXPECT_NE(NtCurrentTeb(), ti[i].teb);
		for (j = 0; j < i; j++)
			EXPECT_NE(ti[j].teb, ti[i].teb);
		/* another thread's TEB, as a thread handle reports it */
		InitializeObjectAttributes(&oa, NULL, 0, NULL, NULL);
		cid.UniqueProcess = (HANDLE)(uintptr_t)getpid();
		cid.UniqueThread = (HANDLE)(uintptr_t)ti[i].tid;
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtOpenThread(&h, THREAD_QUERY_INFORMATION, &oa, &cid));
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtQueryInformationThread(h, ThreadBasicInformation,
						       &tbi, sizeof(tbi), NULL));
		EXPECT_EQ(ti[i].teb, tbi.TebBaseAddress);
		NtClose(h);
	}
	for (i = 0; i < NTHREADS; i++) {
		__atomic_store_n(&ti[i].go, 1, __ATOMIC_RELEASE);
		pthread_join(th[i], NULL);
	}
}

/*
 * pthread_join() returns when the kernel clears the thread's tid, which is
 * before the exit tracepoint that frees its TEB page; the thread's /proc
 * entry goes only after it.
 */
static void wait_thread_gone(pid_t tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d", tid);
	while (access(path, F_OK) == 0)
		usleep(1000);
}

static void *thread_look_at_fresh_teb(void *arg)
{
	struct tinfo *ti = arg;
	TEB *teb = NtCurrentTeb();

	ti->result = check_own_teb();
	if (!ti->result && (teb->LastErrorValue || teb->TlsSlots[7]))
		ti->result = __LINE__;
	ti->teb = teb;
	ti->tid = gettid_();
	return NULL;
}

TEST_F(teb, pages_of_exited_threads_come_back_zeroed)
{
	struct tinfo first = { .go = 1 }, second = { 0 };
	pthread_t th;

	ASSERT_EQ(0, pthread_create(&th, NULL, thread_check, &first));
	pthread_join(th, NULL);
	ASSERT_EQ(0, first.result);
	wait_thread_gone(first.tid);
	ASSERT_EQ(0, pthread_create(&th, NULL, thread_look_at_fresh_teb, &second));
	pthread_join(th, NULL);
	EXPECT_EQ(0, second.result) TH_LOG("check at line %d", second.result);
	/* the same page, and nothing the first thread left in it */
	EXPECT_EQ(first.teb, second.teb);
	EXPECT_NE(first.tid, second.tid);
}

TEST_F(teb, fork_child_keeps_its_copy_with_its_own_ids)
{
	TEB *parent_teb = NtCurrentTeb();
	PEB *parent_peb = NtCurrentPeb();
	int status;
	pid_t pid;

	NtCurrentTeb()->LastErrorValue = 77;
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int r = check_own_teb();

		if (!r && (NtCurrentTeb() != parent_teb || NtCurrentPeb() != parent_peb))
			r = __LINE__;
		/* the ids are rewritten, the page otherwise the parent's copy */
		_exit(r ? r & 0xff ? r & 0xff : 1 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* the parent's TEB is untouched by the child's setup */
	EXPECT_EQ(0, check_own_teb());
	EXPECT_EQ(77, NtCurrentTeb()->LastErrorValue);
}

/* Detach takes fs, PEB and TEB away; attaching again brings them back. */
TEST_F(teb, detach_and_attach_again)
{
	int status;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int fd = open(NTP_DEVICE_PATH, O_RDWR);

		if (fd < 0 || ioctl(fd, NTP_IOC_DETACH))
			_exit(1);
		if (fs_selector() != 0)
			_exit(2);
		/* the pages are gone: msync of an unmapped page is ENOMEM */
		if (msync((void *)NT_PEB_ADDRESS, 4096, MS_ASYNC) == 0 ||
		    msync((void *)NT_TEB_TOP, 4096, MS_ASYNC) == 0)
			_exit(3);
		if (NtpAttach() != STATUS_SUCCESS)
			_exit(4);
		_exit(check_own_teb() ? 5 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* A program started by ntrun (exec attach) has them from its first insn. */
TEST_F(teb, exec_attach_through_ntrun)
{
	char exe[4096] = { 0 };
	int status;
	pid_t pid;

	ASSERT_LT(0, readlink("/proc/self/exe", exe, sizeof(exe) - 1));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		execlp("ntrun", "ntrun", exe, "--probe", NULL);
		_exit(127);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * RTL_USER_PROCESS_PARAMETERS of a program started by ntrun: argv quoted
 * as CommandLineToArgvW splits it, envp, the cwd as a DOS path, the image
 * as an NT path, and fds 0-2 as working NT handles.
 */
static const char *const param_args[] = {
	"a b", "q\"x", "", "back\\", "t a\\", NULL
};
#define PARAM_TAIL " --params-probe \"a b\" \"q\\\"x\" \"\" back\\ \"t a\\\\\""

static int wcs_eq_ascii(const WCHAR *w, size_t n, const char *a)
{
	size_t i;

	if (strlen(a) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (w[i] != (unsigned char)a[i])
			return 0;
	return 1;
}

static int us_eq_ascii(const UNICODE_STRING *us, const char *a)
{
	return wcs_eq_ascii(us->Buffer, us->Length / 2, a) &&
	       us->Buffer[us->Length / 2] == 0;
}

static int params_probe(const char *exe)
{
	RTL_USER_PROCESS_PARAMETERS *pp = NtCurrentPeb()->ProcessParameters;
	char want[4200], nt[4200];
	IO_STATUS_BLOCK iosb;
	int found_foo = 0, i;
	const WCHAR *e;
	char buf[8];

	if (!pp)
		return __LINE__;
	if (!(pp->Flags & RTL_USER_PROC_PARAMS_NORMALIZED) ||
	    pp->Length != pp->MaximumLength || pp->Length < sizeof(*pp))
		return __LINE__;
	snprintf(want, sizeof(want), "%s" PARAM_TAIL, exe);
	if (!us_eq_ascii(&pp->CommandLine, want))
		return __LINE__;
	snprintf(nt, sizeof(nt), "\\??\\C:%s", exe);
	for (i = 0; nt[i]; i++)
		if (nt[i] == '/')
			nt[i] = '\\';
	if (!us_eq_ascii(&pp->ImagePathName, nt))
		return __LINE__;
	if (!us_eq_ascii(&pp->CurrentDirectory.DosPath, "C:\\tmp\\") ||
	    pp->CurrentDirectory.DosPath.MaximumLength != 261 * 2)
		return __LINE__;
	/* "A=B\0C=D\0\0" */
	for (e = pp->Environment; *e; e++) {
		size_t n = 0;

		while (e[n])
			n++;
		found_foo |= wcs_eq_ascii(e, n, "FOO=bar");
		e += n;
	}
	if (!found_foo)
		return __LINE__;
	if (NtReadFile(pp->StandardInput, NULL, NULL, NULL, &iosb, buf,
		       sizeof(buf), NULL, NULL) != STATUS_SUCCESS ||
	    iosb.Information != 3 || memcmp(buf, "in\n", 3))
		return __LINE__;
	if (NtWriteFile(pp->StandardOutput, NULL, NULL, NULL, &iosb, "out!", 4,
			NULL, NULL) != STATUS_SUCCESS || iosb.Information != 4)
		return __LINE__;
	if (NtWriteFile(pp->StandardError, NULL, NULL, NULL, &iosb, "err", 3,
			NULL, NULL) != STATUS_SUCCESS || iosb.Information != 3)
		return __LINE__;
	return 0;
}

TEST_F(teb, process_parameters_of_an_ntrun_program)
{
	int in[2], out[2], err[2], status, i;
	char exe[4096] = { 0 }, buf[16];
	const char *argv[16];
	char *envp[] = { "FOO=bar", "PATH=/usr/local/bin:/usr/bin:/bin", NULL };
	pid_t pid;

	ASSERT_LT(0, readlink("/proc/self/exe", exe, sizeof(exe) - 1));
	ASSERT_EQ(0, pipe(in));
	ASSERT_EQ(0, pipe(out));
	ASSERT_EQ(0, pipe(err));
	argv[0] = "ntrun";
	argv[1] = exe;
	argv[2] = "--params-probe";
	for (i = 0; param_args[i]; i++)
		argv[3 + i] = param_args[i];
	argv[3 + i] = NULL;
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 ||
		    dup2(err[1], 2) < 0 || chdir("/tmp"))
			_exit(126);
		execve("/usr/bin/ntrun", (char **)argv, envp);
		execve("/bin/ntrun", (char **)argv, envp);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	ASSERT_EQ(3, write(in[1], "in\n", 3));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("probe failed at line %d", WEXITSTATUS(status));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(4, read(out[0], buf, sizeof(buf)));
	EXPECT_STREQ("out!", buf);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(3, read(err[0], buf, sizeof(buf)));
	EXPECT_STREQ("err", buf);
}

/* A program that attached itself did not start as an NT process. */
TEST_F(teb, no_parameters_without_ntrun)
{
	EXPECT_EQ(NULL, NtCurrentPeb()->ProcessParameters);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--probe")) {
		int r = check_own_teb();

		return r ? (r & 0xff ? r & 0xff : 1) : 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--params-probe")) {
		int r = params_probe(argv[0]);

		return r ? (r & 0xff ? r & 0xff : 1) : 0;
	}
	return test_harness_run(argc, argv);
}
