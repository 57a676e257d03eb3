// SPDX-License-Identifier: GPL-2.0
/*
 * Native NT programs (PE, built by mingw-w64 against its own headers
 * and ntdll import libraries: selftests/pe/) started from Linux through
 * ntrun, which hands them to ntpeload and ntdll.dll's loader
 * (docs/images.md). Each test checks the program's exact output on a
 * pipe and its exit status (the NT exit status, low 8 bits in wait(2)).
 * The loader behaviour expected follows XP's as Wine's
 * dlls/kernel32/tests/loader.c and ReactOS's ldr tests exercise it:
 * DllMain(PROCESS_ATTACH) of a DLL after the DLLs it imports, with a
 * non-NULL reserved argument for static loads; the exe's TLS callbacks
 * before its entry point; PROCESS_DETACH in reverse order at the end;
 * STATUS_DLL_NOT_FOUND, STATUS_PROCEDURE_NOT_FOUND and
 * STATUS_ORDINAL_NOT_FOUND from the run-time calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "nt_test.h"

static char dir[PATH_MAX / 2];	/* .../selftests */

static void find_dir(void)
{
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	char *slash;

	if (n < 0)
		n = 0;
	dir[n] = 0;
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
}

/*
 * Run argv (argv[0] executed as is) with envp; its stdout in out (NUL
 * terminated), its wait status returned.
 */
static int run(char *const argv[], char *const envp[], char *out, size_t size)
{
	int fd[2], status = -1;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execve(argv[0], argv, envp);
		_exit(99);
	}
	close(fd[1]);
	while (got + 1 < size && (n = read(fd[0], out + got, size - 1 - got)) > 0)
		got += n;
	out[got] = 0;
	close(fd[0]);
	waitpid(pid, &status, 0);
	return status;
}

static char *path_of(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int i;
	char *p = buf[i++ & 3];

	snprintf(p, PATH_MAX, "%s/%s", dir, rel);
	return p;
}

static char *const no_env[] = { "PATH=/bin:/usr/bin", NULL };

/* ntrun: next to the build's selftests, or installed (the VM's /usr/bin) */
static char *ntrun(void)
{
	char *p = path_of("../bin/ntrun");

	if (!access(p, X_OK))
		return p;
	return access("/usr/bin/ntrun", X_OK) ? "/usr/local/bin/ntrun" :
						"/usr/bin/ntrun";
}

/* ntrun PROGRAM ARGS: status and output */
#define NTRUN(out, env, ...) ({						\
	char *const _argv[] = { ntrun(), __VA_ARGS__, NULL };	\
	run(_argv, env, out, sizeof(out));				\
})

TEST(hello_writes_to_stdout_and_exits_42)
{
	char out[256];
	int st;

	find_dir();
	st = NTRUN(out, no_env, path_of("pe/hello.exe"));
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
	EXPECT_EQ(42, WEXITSTATUS(st));
	EXPECT_STREQ("hello from a native NT program\n", out);
}

/* The command line and environment arrive as UTF-16 (printed as UTF-8). */
TEST(command_line_and_environment)
{
	char *const env[] = { "NTPE_TEST=v\xc3\xa9", "OTHER=1", NULL };
	char out[1024], want[1024];
	int st;

	find_dir();
	st = NTRUN(out, env, path_of("pe/args.exe"), "a b", "c", "q\"x");
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	snprintf(want, sizeof(want),
		 "cmdline=%s \"a b\" c \"q\\\"x\"\nenv=NTPE_TEST=v\xc3\xa9\n",
		 path_of("pe/args.exe"));
	EXPECT_STREQ(want, out);
}

/*
 * Load-time imports by name and by ordinal, a forwarder, two DLLs with
 * one preferred base (one relocated), TLS data and callback, and the
 * order of DllMain and TLS callbacks: PROCESS_ATTACH in dependency
 * order, THREAD_ATTACH/DETACH for a thread of RtlCreateUserThread (which
 * gets a fresh copy of the TLS template), PROCESS_DETACH in reverse with
 * the exe's TLS callbacks after the DLLs (ReactOS's ldr order).
 */
TEST(imports_tls_and_dllmain_order)
{
	char out[1024];
	int st;

	find_dir();
	st = NTRUN(out, no_env, path_of("pe/imports.exe"));
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x, output:\n%s", st, out);
	EXPECT_EQ(7, WEXITSTATUS(st));
	EXPECT_STREQ("A: DllMain 1 static\n"
		     "B: DllMain 1\n"
		     "exe: TLS callback 1\n"
		     "main: a-value 42 4 b-one b-two a-value tls=tls-data\n"
		     "A: DllMain 2\n"
		     "B: DllMain 2\n"
		     "exe: TLS callback 2\n"
		     "thread: tls=tls-data\n"
		     "B: DllMain 3\n"
		     "A: DllMain 3\n"
		     "exe: TLS callback 3\n"
		     "A: DllMain 2\n"
		     "B: DllMain 2\n"
		     "exe: TLS callback 2\n"
		     "bare: tls=tls-data param\n"
		     "B: DllMain 0\n"
		     "A: DllMain 0\n"
		     "exe: TLS callback 0\n", out);
}

TEST(ldr_load_dll_at_run_time)
{
	char out[1024];
	int st;

	find_dir();
	st = NTRUN(out, no_env, path_of("pe/loaddll.exe"));
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x, output:\n%s", st, out);
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_STREQ("C: DllMain 1\n"
		     "load: 0x00000000\n"
		     "handle: 0x00000000 same=1\n"
		     "proc: 0x00000000 42 1\n"
		     "noproc: 0xc000007a\n"
		     "noord: 0xc0000138\n"
		     "missing: 0xc0000135\n"
		     "C: DllMain 0\n"
		     "unload: 0x00000000\n"
		     "after: 0xc0000135\n", out);
}

/* Linked at ntdll's base: mapped elsewhere and relocated. */
TEST(exe_relocated_off_its_base)
{
	char out[256];
	int st;

	find_dir();
	st = NTRUN(out, no_env, path_of("pe/reloc.exe"));
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_STREQ("relocated image runs off-base=1\n", out);
}

/*
 * Issue 14's parent and child: parent.exe starts child.exe through
 * RtlCreateUserProcess (NtCreateProcess from its image section, the
 * kernel maps ntdll.dll: the one next to ntrun, set for the test through
 * the ntdll module parameter), waits for it and reads its exit code.
 */
TEST(parent_starts_child_through_rtl_create_user_process)
{
	const char *param = "/sys/module/ntpersonality/parameters/ntdll";
	char out[512], saved[PATH_MAX], *dll;
	int st, fd;
	ssize_t n;

	find_dir();
	dll = path_of("../bin/ntdll.dll");
	fd = open(param, O_RDWR);
	ASSERT_LE(0, fd);
	n = read(fd, saved, sizeof(saved) - 1);
	ASSERT_LT(0, n);
	saved[n] = 0;
	if (!access(dll, R_OK))
		ASSERT_EQ((ssize_t)strlen(dll), pwrite(fd, dll, strlen(dll), 0));
	st = NTRUN(out, no_env, path_of("pe/parent.exe"));
	pwrite(fd, saved, strlen(saved), 0);
	close(fd);
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x, output:\n%s", st, out);
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("output:\n%s", out);
	EXPECT_STREQ("info 68, same pid and tid 1\n"
		     "child exit code 42, query 00000000\n", out);
}

/* Threads from RtlCreateUserThread, a critical section, the heap. */
TEST(threads_critical_section_and_heap)
{
	char out[256];
	int st;

	find_dir();
	st = NTRUN(out, no_env, path_of("pe/threads.exe"));
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x, output:\n%s", st, out);
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_STREQ("threads: 3000 overlap=0 codes=0x303\n", out);
}

/*
 * SEH in a PE program: an fs:[0] frame catches an access violation with
 * XP's record (read of 0x10: ExceptionInformation 0, 0x10; Wine's
 * dlls/ntdll/tests/exception.c test_exceptions has the same values) and
 * continues with the handler's registers; without a frame the process
 * ends as XP's (STATUS_ACCESS_VIOLATION; on Linux the fault's SIGSEGV).
 */
TEST(seh_catches_an_access_violation)
{
	char out[512];
	int st;

	find_dir();
	st = NTRUN(out, no_env, path_of("pe/seh.exe"));
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x, output %s", st, out);
	EXPECT_EQ(7, WEXITSTATUS(st));
	EXPECT_STREQ("caught c0000005 flags 0 params 2 info 0 00000010\n"
		     "continued with eax 1234\n", out);
	st = NTRUN(out, no_env, path_of("pe/seh.exe"), "unhandled");
	ASSERT_TRUE(WIFSIGNALED(st)) TH_LOG("status %#x, output %s", st, out);
	EXPECT_EQ(SIGSEGV, WTERMSIG(st));
	EXPECT_STREQ("caught c0000005 flags 0 params 2 info 0 00000010\n"
		     "continued with eax 1234\n", out);
}

/* A file that is no image: ntrun says so and exits 126. */
TEST(not_an_image)
{
	char path[] = "/tmp/pe_run_bad_XXXXXX";
	char out[256];
	int fd, st;

	find_dir();
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(64, write(fd, "MZ this is not a PE file, only its first two bytes look like one.", 64));
	close(fd);
	st = NTRUN(out, no_env, path);
	unlink(path);
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(126, WEXITSTATUS(st));
	EXPECT_STREQ("", out);
}

/*
 * ./hello.exe through binfmt_misc ("MZ" -> ntrun), registered here as
 * the install step does it (docs/images.md); skipped where binfmt_misc
 * is not available. The module stays loaded: it is the kernel's.
 */
TEST(dot_slash_exe_through_binfmt_misc)
{
	const char *reg = "/proc/sys/fs/binfmt_misc/register";
	const char *entry = "/proc/sys/fs/binfmt_misc/ntpe-selftest";
	char rule[PATH_MAX + 64], out[256];
	int fd, st;

	find_dir();
	if (access(reg, W_OK)) {
		/* the test VM carries the module (scripts/ntvm) */
		fd = open("/lib/modules/binfmt_misc.ko", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			syscall(SYS_finit_module, fd, "", 0);
			close(fd);
		}
		mount("binfmt_misc", "/proc/sys/fs/binfmt_misc", "binfmt_misc", 0,
		      NULL);
	}
	fd = open(reg, O_WRONLY);
	if (fd < 0)
		SKIP(return, "binfmt_misc: %s", strerror(errno));
	snprintf(rule, sizeof(rule), ":ntpe-selftest:M::MZ::%s:", ntrun());
	if (write(fd, rule, strlen(rule)) < 0) {
		close(fd);
		SKIP(return, "binfmt_misc register: %s", strerror(errno));
	}
	close(fd);
	{
		char *const argv[] = { path_of("pe/hello.exe"), NULL };

		st = run(argv, no_env, out, sizeof(out));
	}
	fd = open(entry, O_WRONLY);
	if (fd >= 0) {
		ASSERT_EQ(2, write(fd, "-1", 2));	/* unregister */
		close(fd);
	}
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
	EXPECT_EQ(42, WEXITSTATUS(st));
	EXPECT_STREQ("hello from a native NT program\n", out);
}

TEST_HARNESS_MAIN
