// SPDX-License-Identifier: GPL-2.0
/*
 * Native NT programs (PE, built by mingw-w64 against its own headers
 * and ntdll import libraries: selftests/pe/) started from Linux through
 * ntrun, or exec'd directly through the module's PE binfmt; either hands
 * them to ntpeload and ntdll.dll's loader (docs/images.md). Each test checks the program's exact output on a
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
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>
#include <sys/ioctl.h>
#include "nt_test.h"
#include "nt_user.h"
#include "nt_proc.h"

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
	return nt_spawn(argv, envp, -1, out, size, 99, NULL, NULL, NULL);
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
 * Relocated with no-access gaps between its sections (gaps.exe, section
 * alignment 0x4000, linked at ntdll's base): after the loader every page
 * has the kernel's protection, headers PAGE_READONLY, gaps
 * PAGE_NOACCESS, and none is writable and executable.
 */
TEST(relocated_image_keeps_its_protections)
{
	char out[512];
	int st;

	find_dir();
	st = NTRUN(out, no_env, path_of("pe/gaps.exe"));
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_STREQ("relocated gapped image off-base=1 counter=7\n"
		     "gaps=1 headers=0x2 gap=0x1 wx=0 wrong=0\n", out);
}

/*
 * A LdrLoadDll that fails after the DLL was mapped and its entry made
 * (ldrfail.exe): XP's status, the PEB's module lists and LoadCounts as
 * before, the DLL's view and its new dependency unmapped, and
 * DLL_PROCESS_DETACH for a dependency that was attached. A dependency
 * the failing DllMain loaded itself stays, until its own unload.
 */
TEST(ldr_load_dll_failure_leaves_no_trace)
{
	char out[2048];
	int st;

	find_dir();
	st = NTRUN(out, no_env, path_of("pe/ldrfail.exe"));
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x, output:\n%s", st, out);
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_STREQ("missing dependency: 0xc0000135 same=1 free=1 testc=0xc0000135\n"
		     "missing import: 0xc0000139 same=1 free=1 testc=0xc0000135\n"
		     "C: DllMain 1\n"
		     "F: DllMain 1\n"
		     "C: DllMain 0\n"
		     "DllMain FALSE: 0xc0000142 same=1 free=1 testc=0xc0000135\n"
		     "C: DllMain 1\n"
		     "F: DllMain 1\n"
		     "DllMain FALSE, testc loaded: 0xc0000142 same=1 free=1 testc=0x00000000\n"
		     "missing import, testc loaded: 0xc0000139 same=1 free=1 testc=0x00000000\n"
		     "C: DllMain 0\n"
		     "testc: 0x00000000\n"
		     "C: DllMain 1\n"
		     "F: DllMain 1\n"
		     "F: LdrLoadDll 0x00000000\n"
		     "DllMain loads testc: 0xc0000142 same=0 free=1 testc=0x00000000\n"
		     "C: DllMain 0\n"
		     "testc: 0x00000000\n", out);
}

/*
 * Issue 14's parent and child: parent.exe starts child.exe through
 * RtlCreateUserProcess (NtCreateProcess from its image section, the
 * kernel maps ntdll.dll: the one next to ntrun, set for the test through
 * the ntdll module parameter, whose default is the packaged
 * /usr/lib/ntpersonality/ntdll.dll), waits for it and reads its exit code.
 */
TEST(parent_starts_child_through_rtl_create_user_process)
{
	const char *param = "/sys/module/ntpersonality/parameters/ntdll";
	char out[512], saved[PATH_MAX], dll[PATH_MAX];
	int st, fd;
	ssize_t n;

	find_dir();
	/* the ntdll.dll beside the ntrun the test runs: the build's or installed */
	snprintf(dll, sizeof(dll), "%s", ntrun());
	strcpy(strrchr(dll, '/') + 1, "ntdll.dll");
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
 * The kernel's PE binfmt (module/ps/binfmt.c): execve() of a .exe, with
 * no binfmt_misc entry. The module parameter pe_loader points it at this
 * build's ntpeload, which maps the ntdll.dll beside it (the installed
 * default is /usr/lib/ntpersonality/ntpeload).
 */
static void set_param(const char *name, const char *value)
{
	if (nt_param_set(name, value))
		perror(name);
}

/* a file of the build: next to the selftests, or where the VM put it */
static char *tool(const char *name)
{
	static char buf[2][PATH_MAX];
	static int i;
	char *p = buf[i++ & 1];

	snprintf(p, PATH_MAX, "%s/../bin/%s", dir, name);
	if (!access(p, F_OK))
		return p;
	snprintf(p, PATH_MAX, "/usr/lib/ntpersonality/%s", name);
	if (!access(p, F_OK))
		return p;
	snprintf(p, PATH_MAX, "/usr/bin/%s", name);
	return p;
}

static void use_build_loader(void)
{
	find_dir();
	set_param("pe_loader", tool("ntpeload"));	/* ntdll.dll beside it */
	set_param("pe_binfmt", "1");
}

#define RUN_DETACHED	1	/* exec from a process that is not attached */
#define RUN_IN_DIR	2	/* chdir to the selftests directory first */
#define RUN_QUIET	4	/* stderr (the loader's DbgPrint) to /dev/null */

/* In the child of exec_pe(), before its exec: RUN_* flags at @arg. */
static void exec_pe_prep(void *arg)
{
	int flags = *(int *)arg, nt;

	if (flags & RUN_DETACHED) {
		nt = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (nt < 0 || (ioctl(nt, NTP_IOC_DETACH) && errno != ENOENT))
			_exit(98);
		close(nt);
	}
	if ((flags & RUN_IN_DIR) && chdir(dir))
		_exit(97);
	if (flags & RUN_QUIET) {
		nt = open("/dev/null", O_WRONLY);
		if (nt < 0 || dup2(nt, 2) < 0)
			_exit(96);
	}
}

/*
 * execve(argv[0]) in a child (stdout to @out_fd if >= 0, else a pipe
 * read into out): the wait status, or 0x7f00 | errno of a failed execve.
 */
static int exec_pe(char *const argv[], char *const envp[], int flags,
		   int out_fd, char *out, size_t size)
{
	return nt_spawn(argv, envp, out_fd, out, size, -1, exec_pe_prep, NULL,
			&flags);
}

/*
 * ./pe/hello.exe, as a shell runs it: from an unattached process (which
 * the exec attaches) and from an attached one (whose NT process the exec
 * ends; the new one is the program's). Exit status 42, output on a pipe.
 */
static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * ProcessImageFileName names the .exe, not the loader that mapped it
 * (ntrun, or ntpeload for ./prog.exe: what /proc/pid/exe shows, as for
 * any binfmt interpreter). XP: the image's file (ReactOS
 * ntoskrnl/ps/query.c, SeLocateProcessImageName).
 */
TEST(image_file_name_is_the_exe)
{
	char *const argv[] = { "./pe/imgname.exe", NULL };
	char out[1024];
	int st;

	find_dir();
	st = NTRUN(out, no_env, path_of("pe/imgname.exe"));
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_EQ(0, WEXITSTATUS(st)) TH_LOG("%s", out);
	EXPECT_TRUE(ends_with(out, "\\pe\\imgname.exe\n")) TH_LOG("%s", out);

	use_build_loader();
	st = exec_pe(argv, no_env, RUN_IN_DIR, -1, out, sizeof(out));
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
	ASSERT_EQ(0, WEXITSTATUS(st)) TH_LOG("%s", out);
	EXPECT_TRUE(ends_with(out, "\\pe\\imgname.exe\n")) TH_LOG("%s", out);
	EXPECT_EQ(0, strncmp(out, "image=\\??\\", 10)) TH_LOG("%s", out);
}

TEST(dot_slash_exe_through_the_kernel_binfmt)
{
	char *const argv[] = { "./pe/hello.exe", NULL };
	char out[256];
	int st;

	use_build_loader();
	st = exec_pe(argv, no_env, RUN_IN_DIR | RUN_DETACHED, -1, out,
		     sizeof(out));
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
	EXPECT_EQ(42, WEXITSTATUS(st));
	EXPECT_STREQ("hello from a native NT program\n", out);

	st = exec_pe(argv, no_env, RUN_IN_DIR, -1, out, sizeof(out));
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
	EXPECT_EQ(42, WEXITSTATUS(st));
	EXPECT_STREQ("hello from a native NT program\n", out);

	/* the module's switch: off, a PE is no executable format at all */
	set_param("pe_binfmt", "0");
	st = exec_pe(argv, no_env, RUN_IN_DIR | RUN_DETACHED, -1, out,
		     sizeof(out));
	set_param("pe_binfmt", "1");
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(ENOEXEC, WEXITSTATUS(st));
}

static int ntp_query_of(pid_t pid, uint32_t *state)
{
	struct ntp_query q = { .pid = pid };
	int fd = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, NTP_IOC_QUERY, &q) ? -errno : 0;
	close(fd);
	*state = q.state;
	return ret;
}

/* The handles of the object @h names, in every process. */
static ULONG handle_count(HANDLE h)
{
	OBJECT_BASIC_INFORMATION info;

	if (NtQueryObject(h, ObjectBasicInformation, &info, sizeof(info), NULL))
		return ~0u;
	return info.HandleCount;
}

struct exec_trace {
	int execs;		/* PTRACE_EVENT_EXEC stops */
	uint32_t state;		/* NTP_IOC_QUERY of the child at its first */
	ULONG handles;		/* handle_count(@ev) once the first exec is done */
	PROCESS_BASIC_INFORMATION pbi;	/* of the child, then */
	uint32_t params;	/* its PEB->ProcessParameters, then */
	char image[256];	/* its ProcessImageFileName, then (ASCII) */
};

/* What an NT process handle to the stopped child says of it. */
static void trace_process(pid_t pid, struct exec_trace *tr)
{
	OBJECT_ATTRIBUTES oa = { .Length = sizeof(oa) };
	CLIENT_ID cid = { .UniqueProcess = (HANDLE)(uintptr_t)pid };
	union {
		UNICODE_STRING us;
		char raw[1024];
	} name;
	HANDLE p;
	USHORT i;

	if (NtOpenProcess(&p, PROCESS_QUERY_INFORMATION | PROCESS_VM_READ,
			  &oa, &cid))
		return;
	NtQueryInformationProcess(p, ProcessBasicInformation, &tr->pbi,
				  sizeof(tr->pbi), NULL);
	if (tr->pbi.PebBaseAddress)
		NtReadVirtualMemory(p, (char *)tr->pbi.PebBaseAddress +
				    offsetof(PEB, ProcessParameters),
				    &tr->params, 4, NULL);
	if (!NtQueryInformationProcess(p, ProcessImageFileName, &name,
				       sizeof(name), NULL))
		for (i = 0; i < name.us.Length / 2 && i < sizeof(tr->image) - 1; i++)
			tr->image[i] = (char)name.us.Buffer[i];
	NtClose(p);
}

/* In the child of exec_pe_traced(): stopped for its tracer, in dir. */
static void traced_prep(void *arg)
{
	if (chdir(dir) || ptrace(PTRACE_TRACEME, 0, NULL, NULL))
		_exit(97);
	raise(SIGSTOP);
}

/*
 * The tracer of exec_pe_traced()'s child, until it ends: its wait status.
 * @arg: the struct exec_trace, its @ev the event whose count it reads.
 */
struct exec_trace_arg {
	struct exec_trace *tr;
	HANDLE ev;
};

static int traced_wait(pid_t pid, void *arg)
{
	struct exec_trace_arg *a = arg;
	struct exec_trace *tr = a->tr;
	int status = -1;

	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status) ||
	    ptrace(PTRACE_SETOPTIONS, pid, NULL,
		   (void *)(PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL)) ||
	    ptrace(PTRACE_CONT, pid, NULL, NULL)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	for (;;) {
		int sig = 0;

		if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
			break;
		if (status >> 8 == (SIGTRAP | PTRACE_EVENT_EXEC << 8)) {
			if (!tr->execs++) {
				ntp_query_of(pid, &tr->state);
				trace_process(pid, tr);
				/* the old process's teardown is a queued work */
				for (int i = 0; i < 200 && handle_count(a->ev) != 1; i++)
					usleep(5000);
				tr->handles = handle_count(a->ev);
			}
		} else {
			sig = WSTOPSIG(status);
		}
		ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
	}
	return status;
}

/*
 * exec_pe()'s exec from an attached child, traced: how many execs the
 * start of the program takes, and at the first one (past its point of
 * no return, its setup work done: ptrace_notify() runs task works before
 * the stop; no instruction of the new image run), what the module says
 * of the child and whether the handles of its old NT process (a copy of
 * ours, @ev among them) are gone.
 */
static int exec_pe_traced(char *const argv[], HANDLE ev, struct exec_trace *tr,
			  char *out, size_t size)
{
	struct exec_trace_arg a = { tr, ev };

	memset(tr, 0, sizeof(*tr));
	return nt_spawn(argv, no_env, -1, out, size, -1, traced_prep,
			traced_wait, &a);
}

/*
 * ./prog.exe from an attached process: the exec replaces its NT process
 * with the program's (ps/process.c nt_exec_replace()), in that one exec:
 * no second exec of ntpeload to ask for the attach. At that exec the
 * child's old NT process is gone (its copy of our handle table closed:
 * the event's count back to ours alone) and the new one is there, with
 * a PEB, process parameters and the exec'd file as its image name. The
 * program then runs on those parameters: its command line.
 */
TEST(kernel_binfmt_attached_caller_execs_once)
{
	char *const argv[] = { "./pe/args.exe", "x y", NULL };
	struct exec_trace tr;
	char out[1024];
	HANDLE ev;
	size_t n;
	int st;

	use_build_loader();
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
				    NotificationEvent, FALSE));
	ASSERT_EQ(1u, handle_count(ev));
	st = exec_pe_traced(argv, ev, &tr, out, sizeof(out));
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_STREQ("cmdline=./pe/args.exe \"x y\"\n", out);
	EXPECT_EQ(1, tr.execs);
	EXPECT_EQ(NTP_STATE_ATTACHED, tr.state);
	EXPECT_EQ(1u, tr.handles);
	EXPECT_NE(NULL, tr.pbi.PebBaseAddress);
	EXPECT_NE(0u, tr.params);
	/*
	 * the file this exec loaded, not the old process's (this test): at
	 * the exec stop, before the loader has named the image it maps
	 * (image_file_name_is_the_exe), the loader itself, /proc/pid/exe
	 */
	n = strlen(tr.image);
	ASSERT_LT(9, n);
	EXPECT_STREQ("\\ntpeload", tr.image + n - 9);
	NtClose(ev);
}

/* argv and envp become the command line and environment, as through ntrun. */
TEST(kernel_binfmt_command_line_and_environment)
{
	char *const env[] = { "NTPE_TEST=v\xc3\xa9", "OTHER=1", NULL };
	char out[1024], want[1024];
	int st;

	use_build_loader();
	{
		char *const argv[] = { path_of("pe/args.exe"), "a b", "c",
				       "q\"x", NULL };

		st = exec_pe(argv, env, RUN_DETACHED, -1, out, sizeof(out));
	}
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
	EXPECT_EQ(0, WEXITSTATUS(st));
	snprintf(want, sizeof(want),
		 "cmdline=%s \"a b\" c \"q\\\"x\"\nenv=NTPE_TEST=v\xc3\xa9\n",
		 path_of("pe/args.exe"));
	EXPECT_STREQ(want, out);
}

/* ./hello.exe > file: the NT program's StandardOutput is fd 1, a file. */
TEST(kernel_binfmt_output_to_a_file)
{
	char *const argv[] = { "./pe/hello.exe", NULL };
	char path[] = "/tmp/pe_run_out_XXXXXX";
	char out[256], got[256];
	ssize_t n;
	int fd, st;

	use_build_loader();
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, write(fd, "old\n", 4));
	ASSERT_EQ(0, ftruncate(fd, 0));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	st = exec_pe(argv, no_env, RUN_IN_DIR | RUN_DETACHED, fd, out,
		     sizeof(out));
	n = pread(fd, got, sizeof(got) - 1, 0);
	close(fd);
	unlink(path);
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
	EXPECT_EQ(42, WEXITSTATUS(st));
	ASSERT_LE(0, n);
	got[n] = 0;
	EXPECT_STREQ("hello from a native NT program\n", got);
	EXPECT_STREQ("", out);
}

static int write_file(const char *path, const void *buf, size_t len,
		      mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, buf, len);
	close(fd);
	return n == (ssize_t)len && !chmod(path, mode) ? 0 : -1;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	static char buf[1 << 20];
	int fd = open(from, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 ? write_file(to, buf, n, mode) : -1;
}

/*
 * Only i386 PE files are the binfmt's: "MZ" alone, or a PE of another
 * machine, is left to the other handlers (none here: ENOEXEC), also with
 * the PE header past the first 256 bytes the kernel reads for handlers.
 * An i386 PE header on a file that is no image is taken and fails in
 * ntpeload, with its status 126.
 */
TEST(kernel_binfmt_takes_only_i386_pe)
{
	const char *path = "/tmp/pe_run_fmt.exe";
	unsigned char img[0x1100];
	char out[256];
	char *const argv[] = { (char *)path, NULL };
	int st;

	use_build_loader();
	memset(img, 0, sizeof(img));
	img[0] = 'M';
	img[1] = 'Z';
	ASSERT_EQ(0, write_file(path, img, 0x80, 0755));
	st = exec_pe(argv, no_env, RUN_DETACHED, -1, out, sizeof(out));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(ENOEXEC, WEXITSTATUS(st));

	/* e_lfanew 0x1000: "PE\0\0" for x86-64 (0x8664), then for i386 */
	img[0x3c] = 0x00;
	img[0x3d] = 0x10;
	memcpy(img + 0x1000, "PE\0\0\x64\x86", 6);
	ASSERT_EQ(0, write_file(path, img, sizeof(img), 0755));
	st = exec_pe(argv, no_env, RUN_DETACHED, -1, out, sizeof(out));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(ENOEXEC, WEXITSTATUS(st));

	/* a header cut short by the end of the file */
	ASSERT_EQ(0, write_file(path, img, 0x1003, 0755));
	st = exec_pe(argv, no_env, RUN_DETACHED, -1, out, sizeof(out));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(ENOEXEC, WEXITSTATUS(st));

	memcpy(img + 0x1000, "PE\0\0\x4c\x01", 6);
	ASSERT_EQ(0, write_file(path, img, sizeof(img), 0755));
	st = exec_pe(argv, no_env, RUN_DETACHED, -1, out, sizeof(out));
	unlink(path);
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(126, WEXITSTATUS(st));
	EXPECT_STREQ("", out);
}

/*
 * The kernel checks the .exe as any exec: as uid 1000, a root-owned .exe
 * without x for others is EACCES, and on a noexec mount so is a 0755
 * one, for root as well.
 */
TEST(kernel_binfmt_exec_permission_and_noexec)
{
	const char *mnt = "/tmp/ntpe_noexec";
	char *const argv_x[] = { "/tmp/ntpe_noexec/hello.exe", NULL };
	char *const argv_r[] = { "/tmp/pe_run_0744.exe", NULL };
	char out[256];
	struct stat sd;
	int st, mode;
	pid_t pid;

	use_build_loader();
	ASSERT_EQ(0, copy_file(path_of("pe/hello.exe"), argv_r[0], 0744));
	NT_AS_USER(NTP_GATE_SYSENTER) {
		st = exec_pe(argv_r, no_env, 0, -1, out, sizeof(out));
		ASSERT_TRUE(WIFEXITED(st));
		EXPECT_EQ(EACCES, WEXITSTATUS(st));
	}
	/* root may: the file is someone's executable */
	st = exec_pe(argv_r, no_env, 0, -1, out, sizeof(out));
	unlink(argv_r[0]);
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(42, WEXITSTATUS(st));

	/*
	 * Who may not open the control device may not start a PE either
	 * (a udev rule restricting it, docs/security.md): EACCES.
	 */
	ASSERT_EQ(0, stat(NTP_DEVICE_PATH, &sd));
	for (mode = 0600; mode >= 0; mode -= 0600) {
		/* 0600: refused; then as it was: the same exec runs */
		ASSERT_EQ(0, chmod(NTP_DEVICE_PATH,
				   mode ? mode : sd.st_mode & 07777));
		pid = fork();
		if (!pid) {
			char *const argv[] = { path_of("pe/hello.exe"), NULL };
			int null = open("/dev/null", O_WRONLY);

			if (null < 0 || dup2(null, 1) < 0 ||
			    setgroups(0, NULL) ||
			    setresgid(1000, 1000, 1000) ||
			    setresuid(1000, 1000, 1000))
				_exit(98);
			execve(argv[0], argv, no_env);
			_exit(errno & 0x7f);
		}
		waitpid(pid, &st, 0);
		chmod(NTP_DEVICE_PATH, sd.st_mode & 07777);
		ASSERT_TRUE(WIFEXITED(st));
		EXPECT_EQ(mode ? EACCES : 42, WEXITSTATUS(st));
	}

	mkdir(mnt, 0755);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", MS_NOEXEC, "size=2m"));
	ASSERT_EQ(0, copy_file(path_of("pe/hello.exe"), argv_x[0], 0755));
	st = exec_pe(argv_x, no_env, RUN_DETACHED, -1, out, sizeof(out));
	umount(mnt);
	rmdir(mnt);
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(EACCES, WEXITSTATUS(st));
	EXPECT_STREQ("", out);
}

/*
 * A setuid-root .exe runs with the rights of who started it, as a script
 * or a binfmt_misc entry without "C" does (docs/security.md): create.exe
 * makes a file in a directory only root may write to, and ends with the
 * status. Run by root: created. Run by uid 1000 from a setuid-root copy
 * on a mount that honours setuid: STATUS_ACCESS_DENIED, no file.
 */
TEST(kernel_binfmt_ignores_setuid)
{
	const char *mnt = "/tmp/ntpe_bin";
	char *const argv[] = { "/tmp/ntpe_bin/create.exe", NULL };
	const char *probe = "/tmp/ntpe_bin/root/probe";
	char out[256];
	int st;

	use_build_loader();
	mkdir(mnt, 0755);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, "size=2m,mode=0755"));
	ASSERT_EQ(0, mkdir("/tmp/ntpe_bin/root", 0755));
	ASSERT_EQ(0, copy_file(path_of("pe/create.exe"), argv[0], 04755));

	st = exec_pe(argv, no_env, RUN_DETACHED, -1, out, sizeof(out));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) TH_LOG("status %#x", st);
	EXPECT_EQ(0, unlink(probe));

	NT_AS_USER(NTP_GATE_SYSENTER) {
		st = exec_pe(argv, no_env, RUN_DETACHED, -1, out, sizeof(out));
		ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
		EXPECT_EQ(STATUS_ACCESS_DENIED & 0xff, WEXITSTATUS(st));
		/* and from an attached process (ntpeload's second exec) */
		st = exec_pe(argv, no_env, 0, -1, out, sizeof(out));
		ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
		EXPECT_EQ(STATUS_ACCESS_DENIED & 0xff, WEXITSTATUS(st));
	}
	st = access(probe, F_OK);
	umount(mnt);
	rmdir(mnt);
	EXPECT_EQ(-1, st);
}

/*
 * The exec that replaces an attached caller's NT process follows the
 * exec-attach rule (docs/security.md): never across a secure exec. Root
 * points the binfmt at a setuid-root copy of ntpeload (its credentials
 * are the exec's): uid 1000's attached ./hello.exe then gains euid 0, so
 * the replace is refused, as the attach ntpeload asks for before its own
 * second exec is, and ntpeload ends "not attached" (127). Attached
 * there, it would have run hello.exe as root (42).
 */
TEST(kernel_binfmt_replace_not_across_secure_exec)
{
	const char *mnt = "/tmp/ntpe_suid";
	char *const argv[] = { "./pe/hello.exe", NULL };
	char out[256];
	int st;

	use_build_loader();
	mkdir(mnt, 0755);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, "size=8m,mode=0755"));
	ASSERT_EQ(0, copy_file(tool("ntpeload"), "/tmp/ntpe_suid/ntpeload", 04755));
	ASSERT_EQ(0, copy_file(tool("ntdll.dll"), "/tmp/ntpe_suid/ntdll.dll", 0644));
	set_param("pe_loader", "/tmp/ntpe_suid/ntpeload");
	NT_AS_USER(NTP_GATE_SYSENTER) {
		st = exec_pe(argv, no_env, RUN_IN_DIR | RUN_QUIET, -1, out,
			     sizeof(out));
		ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
		EXPECT_EQ(127, WEXITSTATUS(st));
		EXPECT_STREQ("", out);
	}
	use_build_loader();
	umount(mnt);
	rmdir(mnt);
}

/*
 * The loader does not trust the image (libntdll/ldr.c): fz.exe and the
 * DLL it imports, fzdll.dll (relocated: both prefer 0x10000000; only
 * the loader reads them, no code of theirs but a no-op TLS callback
 * runs), with one corruption each in their import, export, relocation
 * and TLS directories. Every run ends with an exit status, never a
 * signal; the kernel log stays clean (scripts/run-tests). The statuses
 * are XP's loader's (ReactOS ldrpe.c, rtl/image.c; see ldr.c): the low
 * 8 bits of STATUS_INVALID_IMAGE_FORMAT (0x7b), STATUS_ENTRYPOINT_NOT_FOUND
 * (0x39), STATUS_ORDINAL_NOT_FOUND (0x38), STATUS_DLL_NOT_FOUND (0x35).
 */
#define IMAGE_DIRECTORY_ENTRY_EXPORT	0
#define IMAGE_DIRECTORY_ENTRY_IMPORT	1
#define IMAGE_DIRECTORY_ENTRY_BASERELOC	5
#define IMAGE_DIRECTORY_ENTRY_TLS	9

struct pefile {
	unsigned char *buf;
	size_t len;
	unsigned int nt, nsec, sec;	/* offsets of the headers */
	unsigned int base, size;	/* ImageBase, SizeOfImage */
};

static unsigned int rd32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (unsigned int)p[3] << 24;
}

static void wr32(unsigned char *p, unsigned int v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static int pe_read(const char *path, struct pefile *f)
{
	static unsigned char bufs[2][1 << 16];
	static int n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return -1;
	f->buf = bufs[n++ & 1];
	got = read(fd, f->buf, sizeof(bufs[0]));
	close(fd);
	if (got < 0x200)
		return -1;
	f->len = got;
	f->nt = rd32(f->buf + 0x3c);
	f->nsec = f->buf[f->nt + 6] | f->buf[f->nt + 7] << 8;
	f->sec = f->nt + 24 + (f->buf[f->nt + 20] | f->buf[f->nt + 21] << 8);
	f->base = rd32(f->buf + f->nt + 24 + 28);
	f->size = rd32(f->buf + f->nt + 24 + 56);
	return 0;
}

/* The file offset of DataDirectory[i]'s entry (RVA; Size follows). */
static unsigned int pe_dir_entry(const struct pefile *f, int i)
{
	return f->nt + 24 + 96 + 8 * i;
}

/* The file offset of rva, and the bytes of its section after it (0: none). */
static unsigned int pe_off(const struct pefile *f, unsigned int rva,
			   unsigned int *room)
{
	unsigned int i, s, va, raw, ptr;

	for (i = 0; i < f->nsec; i++) {
		s = f->sec + 40 * i;
		va = rd32(f->buf + s + 12);
		raw = rd32(f->buf + s + 16);
		ptr = rd32(f->buf + s + 20);
		if (rva >= va && rva - va < raw) {
			*room = raw - (rva - va);
			return ptr + rva - va;
		}
	}
	*room = 0;
	return 0;
}

static unsigned int rnd_state;

static unsigned int rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* A value a corrupt field takes: the edges of the image and of 32 bits. */
static unsigned int fuzz_value(const struct pefile *f, unsigned int old)
{
	switch (rnd() % 12) {
	case 0: return 0;
	case 1: return 0xffffffff;
	case 2: return 0x7fffffff;
	case 3: return 0x80000000;
	case 4: return f->size;
	case 5: return f->size - 1;
	case 6: return f->size - 4;
	case 7: return old + 1;
	case 8: return old - 1;
	case 9: return old ^ (1u << (rnd() % 32));
	case 10: return f->base + f->size - 2;
	default: return rnd();
	}
}

/*
 * One corruption of directory d of f: its entry's RVA or size, or 1, 2
 * or 4 bytes of what it points to (the TLS directory: its six fields).
 */
static void fuzz_dir(struct pefile *f, int d)
{
	unsigned int e = pe_dir_entry(f, d), rva = rd32(f->buf + e);
	unsigned int size = rd32(f->buf + e + 4), room, off, at, v;

	if (rnd() % 4 == 0) {
		at = e + 4 * (rnd() % 2);
		wr32(f->buf + at, fuzz_value(f, rd32(f->buf + at)));
		return;
	}
	off = pe_off(f, rva, &room);
	if (!off)
		return;
	if (d == IMAGE_DIRECTORY_ENTRY_TLS)
		room = 24;
	else if (d != IMAGE_DIRECTORY_ENTRY_IMPORT &&
		 d != IMAGE_DIRECTORY_ENTRY_EXPORT && room > size)
		room = size;	/* imports and exports: their names too */
	if (room < 4)
		return;
	at = off + rnd() % (room - 3);
	if (d == IMAGE_DIRECTORY_ENTRY_TLS)
		at = off + 4 * (rnd() % 6);
	v = fuzz_value(f, rd32(f->buf + at));
	switch (rnd() % 3) {
	case 0:
		f->buf[at] = v;
		break;
	case 1:
		f->buf[at] = v;
		f->buf[at + 1] = v >> 8;
		break;
	default:
		wr32(f->buf + at, v);
	}
}

static int fuzz_run(const char *exe, const struct pefile *x,
		    const struct pefile *dll, char *out, size_t size)
{
	char *const argv[] = { (char *)exe, NULL };

	if (write_file("/tmp/pe_fuzz/fz.exe", x->buf, x->len, 0755) ||
	    write_file("/tmp/pe_fuzz/fzdll.dll", dll->buf, dll->len, 0644))
		return -1;
	return exec_pe(argv, no_env, RUN_DETACHED | RUN_QUIET, -1, out, size);
}

#define FUZZ_RUNS	3000

/*
 * One fixed case: the exe and DLL as @x and @d are now, run to an exit
 * status (a signal fails the test), which is returned; @x and @d are
 * then made the originals @ox and @od again, for the next case.
 */
static int fuzz_case(struct __test_metadata *_metadata, struct pefile *x,
		     struct pefile *d, const struct pefile *ox,
		     const struct pefile *od)
{
	char out[64];
	int st = fuzz_run("/tmp/pe_fuzz/fz.exe", x, d, out, sizeof(out));

	memcpy(x->buf, ox->buf, ox->len);
	memcpy(d->buf, od->buf, od->len);
	ASSERT_TRUE(WIFEXITED(st)) TH_LOG("status %#x", st);
	return WEXITSTATUS(st);
}


FIXTURE(fuzz) {};
FIXTURE_SETUP(fuzz) {}
FIXTURE_TEARDOWN(fuzz) {}

TEST_F_TIMEOUT(fuzz, loader_survives_corrupt_directories, 1800)
{
	static const int dirs_exe[] = { IMAGE_DIRECTORY_ENTRY_IMPORT,
					IMAGE_DIRECTORY_ENTRY_TLS };
	static const int dirs_dll[] = { IMAGE_DIRECTORY_ENTRY_EXPORT,
					IMAGE_DIRECTORY_ENTRY_IMPORT,
					IMAGE_DIRECTORY_ENTRY_BASERELOC };
	struct pefile ox, od, x, d;
	unsigned int e, off, room, counts[256] = { 0 }, i, n = 0;
	char out[64];
	int st;

	use_build_loader();
	mkdir("/tmp/pe_fuzz", 0755);
	ASSERT_EQ(0, pe_read(path_of("pe/fz.exe"), &ox));
	ASSERT_EQ(0, pe_read(path_of("pe/fzdll.dll"), &od));
	/* working copies: the originals stay as built */
	x = ox;
	d = od;
	x.buf = malloc(ox.len);
	d.buf = malloc(od.len);
	ASSERT_TRUE(x.buf && d.buf);
	memcpy(x.buf, ox.buf, ox.len);
	memcpy(d.buf, od.buf, od.len);

	/* as built: it runs */
	ASSERT_EQ(0x33, fuzz_case(_metadata, &x, &d, &ox, &od));

	/* the export table past the end of the DLL */
	e = pe_dir_entry(&d, IMAGE_DIRECTORY_ENTRY_EXPORT);
	wr32(d.buf + e, d.size - 4);
	EXPECT_EQ(STATUS_INVALID_IMAGE_FORMAT & 0xff,
		  fuzz_case(_metadata, &x, &d, &ox, &od));

	/* a relocation block longer than the directory */
	off = pe_off(&d, rd32(d.buf + pe_dir_entry(&d, IMAGE_DIRECTORY_ENTRY_BASERELOC)),
		     &room);
	ASSERT_NE(0, off);
	wr32(d.buf + off + 4, 0xfff0);
	EXPECT_EQ(STATUS_INVALID_IMAGE_FORMAT & 0xff,
		  fuzz_case(_metadata, &x, &d, &ox, &od));

	/* the exe's first import descriptor names its DLL out of the image */
	off = pe_off(&x, rd32(x.buf + pe_dir_entry(&x, IMAGE_DIRECTORY_ENTRY_IMPORT)),
		     &room);
	ASSERT_NE(0, off);
	wr32(x.buf + off + 12, 0xfffffff0);
	EXPECT_EQ(STATUS_INVALID_IMAGE_FORMAT & 0xff,
		  fuzz_case(_metadata, &x, &d, &ox, &od));

	/* TLS callbacks read from the headers: no code of the image */
	off = pe_off(&x, rd32(x.buf + pe_dir_entry(&x, IMAGE_DIRECTORY_ENTRY_TLS)),
		     &room);
	ASSERT_NE(0, off);
	wr32(x.buf + off + 12, x.base);
	EXPECT_EQ(STATUS_INVALID_IMAGE_FORMAT & 0xff,
		  fuzz_case(_metadata, &x, &d, &ox, &od));

	/* an imported name the DLL does not export, at load time */
	for (i = 0; i + 6 < x.len; i++)
		if (!memcmp(x.buf + i, "fz_one", 6))
			break;
	ASSERT_LT(i + 6, x.len);
	x.buf[i + 5] = 'x';
	EXPECT_EQ(STATUS_ENTRYPOINT_NOT_FOUND & 0xff,
		  fuzz_case(_metadata, &x, &d, &ox, &od));

	for (i = 0; i < FUZZ_RUNS; i++) {
		rnd_state = 0x9e3779b9u ^ (i * 2654435761u);
		rnd();
		memcpy(x.buf, ox.buf, ox.len);
		memcpy(d.buf, od.buf, od.len);
		if (rnd() % 5 < 2)
			fuzz_dir(&x, dirs_exe[rnd() % 2]);
		else
			fuzz_dir(&d, dirs_dll[rnd() % 3]);
		st = fuzz_run("/tmp/pe_fuzz/fz.exe", &x, &d, out, sizeof(out));
		if (!WIFEXITED(st)) {
			TH_LOG("run %u: status %#x", i, st);
			n++;
			continue;
		}
		counts[WEXITSTATUS(st)]++;
	}
	free(x.buf);
	free(d.buf);
	unlink("/tmp/pe_fuzz/fz.exe");
	unlink("/tmp/pe_fuzz/fzdll.dll");
	rmdir("/tmp/pe_fuzz");
	for (i = 0; i < 256; i++)
		if (counts[i])
			TH_LOG("exit status %#04x: %u runs", i, counts[i]);
	EXPECT_EQ(0, n);
	/* the loader said no, with its statuses, to many of them */
	EXPECT_LT(100, counts[STATUS_INVALID_IMAGE_FORMAT & 0xff]);
}

TEST_HARNESS_MAIN
