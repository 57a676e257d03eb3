// SPDX-License-Identifier: GPL-2.0
/*
 * ntstrace against expected transcripts. The program under trace is this
 * binary again, in a child mode selected by SPEC_TRACE_CHILD:
 *  - "linux": a known Linux call, traced through raw_syscalls, proves
 *    ntstrace's tracefs instance and ring-buffer reader on any kernel;
 *  - "nt", "nt-int2e": three NT calls with known outcomes through the
 *    default gate (sysenter) or int 0x2e, traced through the module's
 *    ntpersonality:nt_sys_enter/nt_sys_exit: the transcript shows the
 *    index (as the name) and argument count the dispatcher saw. Skipped
 *    until the tracepoints, the entry path and the gate ioctl exist;
 *  - "decode": file, sync, memory, thread and handle calls whose arguments
 *    ntstrace must show decoded (names, flags, out values), also used for
 *    -c, -e, -z/-Z and -T;
 *  - "loop": NtClose of a missing handle every 10 ms until killed, for -p.
 */
#include <ctype.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nt_test.h"

#define TRACEFS "/sys/kernel/tracing"

#define DECODE_FILE "/tmp/ntstrace-decode.txt"

/* The calls of the "decode" transcript; exits 3, or 100+ on a surprise. */
static void decode_child(void)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK iosb;
	LARGE_INTEGER ten_ms;
	HANDLE f, e;
	void *base = NULL;
	SIZE_T size = 0x10000;
	ULONG last = 0, len = 0;
	char buf[64];

	unlink(DECODE_FILE);
	if (!NT_SUCCESS(NtpAttach()))
		_exit(100);
	nt_oa(&oa, &us, u"\\??\\C:\\tmp\\ntstrace-decode.txt", OBJ_CASE_INSENSITIVE);
	if (NtCreateFile(&f, GENERIC_WRITE | SYNCHRONIZE, &oa, &iosb, NULL,
			 FILE_ATTRIBUTE_NORMAL, 0, FILE_OVERWRITE_IF,
			 FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
			 NULL, 0))
		_exit(101);
	if (NtWriteFile(f, NULL, NULL, NULL, &iosb, "nt personality demo\n", 20,
			NULL, NULL))
		_exit(102);
	NtClose(f);
	if (NtOpenFile(&f, FILE_READ_DATA | SYNCHRONIZE, &oa, &iosb,
		       FILE_SHARE_READ, FILE_SYNCHRONOUS_IO_NONALERT))
		_exit(103);
	if (NtReadFile(f, NULL, NULL, NULL, &iosb, buf, sizeof(buf), NULL, NULL))
		_exit(104);
	if (NtCreateEvent(&e, EVENT_MODIFY_STATE | SYNCHRONIZE, NULL,
			  NotificationEvent, FALSE))
		_exit(105);
	if (NtWaitForSingleObject(e, FALSE, nt_timeout_ms(&ten_ms, 10)) != STATUS_TIMEOUT)
		_exit(106);
	if (NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size,
				    MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE))
		_exit(107);
	NtClose(f);
	NtClose(e);
	NtClose((HANDLE)0x1234);
	unlink(DECODE_FILE);
	/* a status that came from a Linux errno: no such directory */
	nt_oa(&oa, &us, u"\\??\\C:\\tmp\\ntstrace-none\\x", OBJ_CASE_INSENSITIVE);
	if (NtOpenFile(&f, FILE_READ_DATA | SYNCHRONIZE, &oa, &iosb,
		       FILE_SHARE_READ, FILE_SYNCHRONOUS_IO_NONALERT) !=
	    STATUS_OBJECT_PATH_NOT_FOUND)
		_exit(108);
	/* a thread service with a deterministic out buffer */
	if (NtQueryInformationThread(NtCurrentThread(), ThreadAmILastThread,
				     &last, sizeof(last), &len) || last != 1)
		_exit(109);
	_exit(3);
}

__attribute__((constructor)) static void child_mode(void)
{
	const char *m = getenv("SPEC_TRACE_CHILD");

	if (!m)
		return;
	if (!strcmp(m, "linux")) {
		syscall(SYS_kill, 0, 0);
		_exit(0);
	}
	if (!strcmp(m, "decode"))
		decode_child();
	if (!strcmp(m, "loop")) {
		LARGE_INTEGER ten_ms;

		if (!NT_SUCCESS(NtpAttach()))
			_exit(100);
		for (;;) {
			NtClose((HANDLE)0x1234);
			NtDelayExecution(FALSE, nt_timeout_ms(&ten_ms, 10));
		}
	}
	if (!strcmp(m, "nt") || !strcmp(m, "nt-int2e")) {
		if (!NT_SUCCESS(NtpAttach()))
			_exit(100);
		if (!strcmp(m, "nt-int2e") &&
		    !NT_SUCCESS(NtpSetSystemCallGate(NTP_GATE_INT2E)))
			_exit(102);
		NtCreateJobSet(1, NULL, 0);
		NtAddBootEntry(NULL, NULL);
		NtDeleteBootEntry(7);
		_exit(3);
	}
	_exit(101);
}

/*
 * Run "ntstrace -o out [opts] self" on this binary in child mode; its exit
 * status. opts is at most three words.
 */
static int run_ntstrace_opts(const char *mode, const char *events,
			     const char *outfile, const char *const *opts)
{
	char self[256];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t pid;
	int st;

	if (n <= 0)
		return -1;
	self[n] = 0;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		setenv("SPEC_TRACE_CHILD", mode, 1);
		if (events)
			setenv("NTSTRACE_EVENTS", events, 1);
		else
			unsetenv("NTSTRACE_EVENTS");
		const char *argv[8] = { "ntstrace", "-o", outfile };
		int n = 3;

		while (opts && *opts && n < 6)
			argv[n++] = *opts++;
		argv[n++] = self;
		argv[n] = NULL;
		execvp("ntstrace", (char **)argv);
		_exit(126);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int run_ntstrace(const char *mode, const char *events, const char *outfile)
{
	return run_ntstrace_opts(mode, events, outfile, NULL);
}

static char *slurp(const char *path)
{
	static char buf[65536];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

TEST(ring_buffer_reader_sees_linux_calls)
{
	char out[] = "/tmp/spec_trace.XXXXXX";
	char *t;
	int fd;

	if (access(TRACEFS "/events/raw_syscalls/sys_enter", F_OK))
		SKIP(return, "no tracefs raw_syscalls events");
	fd = mkstemp(out);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, run_ntstrace("linux", "raw_syscalls:sys_enter:sys_exit", out));
	t = slurp(out);
	ASSERT_NE(0u, (uintptr_t)t);
	/* kill(0, 0) = 0 is i386 syscall 37; exit_group (252) never returns */
	EXPECT_NE(0u, (uintptr_t)strstr(t, "\nsys_37(0x0, 0x0, ")) TH_LOG("%s", t);
	EXPECT_NE(0u, (uintptr_t)strstr(t, "\nsys_252(0x0, ")) TH_LOG("%s", t);
	EXPECT_NE(0u, (uintptr_t)strstr(t, "+++ exited with 0 +++\n")) TH_LOG("%s", t);
	unlink(out);
}

/*
 * Services nobody is going to implement (job sets, boot entries), so the
 * transcript does not change as the personality grows.
 */
static const char nt_want[] =
	"NtCreateJobSet(1, NULL, 0x0) = STATUS_NOT_IMPLEMENTED\n"
	"NtAddBootEntry(NULL, NULL) = STATUS_NOT_IMPLEMENTED\n"
	"NtDeleteBootEntry(7) = STATUS_NOT_IMPLEMENTED\n"
	"+++ exited with 3 +++\n";

/* Trace the NT child mode: 0 compared, 1 gate not available, -1 error. */
static int nt_transcript(struct __test_metadata *_metadata, const char *mode)
{
	char out[] = "/tmp/spec_trace.XXXXXX";
	char *t;
	int fd, rc;

	fd = mkstemp(out);
	if (fd < 0)
		return -1;
	close(fd);
	rc = run_ntstrace(mode, NULL, out);
	t = slurp(out);
	unlink(out);
	if (rc == 102)
		return 1;
	EXPECT_EQ(3, rc);
	EXPECT_STREQ(nt_want, t ? t : "");
	return 0;
}

#define REQUIRE_NT_TRACE() do {						\
	if (access(TRACEFS "/events/ntpersonality/nt_sys_enter", F_OK))	\
		SKIP(return, "no ntpersonality:nt_sys_enter tracepoint");	\
	if (!nt_entry_available())					\
		SKIP(return, "no NT entry path");			\
} while (0)

TEST(nt_transcript_sysenter)
{
	REQUIRE_NT_TRACE();
	ASSERT_EQ(0, nt_transcript(_metadata, "nt"));
}

TEST(nt_transcript_int2e)
{
	int rc;

	REQUIRE_NT_TRACE();
	rc = nt_transcript(_metadata, "nt-int2e");
	if (rc == 1)
		SKIP(return, "NTP_IOC_SET_GATE not supported");
	ASSERT_EQ(0, rc);
}

/*
 * Does the transcript match line by line? In @want, "%x" stands for one
 * hexadecimal number (handles and addresses vary from run to run) and
 * "%t" for a -T time "<0.000123>".
 */
static int transcript_matches(const char *want, const char *got)
{
	while (*want) {
		if (want[0] == '%' && want[1] == 'x') {
			if (strncmp(got, "0x", 2))
				return 0;
			got += 2;
			if (!isxdigit((unsigned char)*got))
				return 0;
			while (isxdigit((unsigned char)*got))
				got++;
			want += 2;
		} else if (want[0] == '%' && want[1] == 't') {
			if (*got++ != '<')
				return 0;
			while (isdigit((unsigned char)*got) || *got == '.')
				got++;
			if (*got++ != '>')
				return 0;
			want += 2;
		} else if (*want++ != *got++) {
			return 0;
		}
	}
	return !*got;
}

#define F "%x<File \\??\\C:\\tmp\\ntstrace-decode.txt>"

static const char *const decode_want[] = {
	"NtCreateFile([%x], GENERIC_WRITE|SYNCHRONIZE, "
	"{\"\\??\\C:\\tmp\\ntstrace-decode.txt\", OBJ_CASE_INSENSITIVE}, "
	"{STATUS_SUCCESS, 2}, NULL, FILE_ATTRIBUTE_NORMAL, 0, FILE_OVERWRITE_IF, "
	"FILE_SYNCHRONOUS_IO_NONALERT|FILE_NON_DIRECTORY_FILE, NULL, 0) = STATUS_SUCCESS",
	"NtWriteFile(" F ", NULL, NULL, NULL, {STATUS_SUCCESS, 20}, "
	"\"nt personality demo\\n\", 20, NULL, NULL) = STATUS_SUCCESS",
	"NtClose(" F ") = STATUS_SUCCESS",
	"NtOpenFile([%x], FILE_READ_DATA|SYNCHRONIZE, "
	"{\"\\??\\C:\\tmp\\ntstrace-decode.txt\", OBJ_CASE_INSENSITIVE}, "
	"{STATUS_SUCCESS, 1}, FILE_SHARE_READ, FILE_SYNCHRONOUS_IO_NONALERT) = STATUS_SUCCESS",
	"NtReadFile(" F ", NULL, NULL, NULL, {STATUS_SUCCESS, 20}, "
	"\"nt personality demo\\n\", 64, NULL, NULL) = STATUS_SUCCESS",
	"NtCreateEvent([%x], EVENT_MODIFY_STATE|SYNCHRONIZE, NULL, "
	"NotificationEvent, FALSE) = STATUS_SUCCESS",
	"NtWaitForSingleObject(%x<Event>, FALSE, [0.0100000s]) = STATUS_TIMEOUT",
	"NtAllocateVirtualMemory(NtCurrentProcess(), [0 => %x], 0, [65536], "
	"MEM_COMMIT|MEM_RESERVE, PAGE_READWRITE) = STATUS_SUCCESS",
	"NtClose(" F ") = STATUS_SUCCESS",
	"NtClose(%x<Event>) = STATUS_SUCCESS",
	"NtClose(0x1234) = STATUS_INVALID_HANDLE",
	"NtOpenFile(%x, FILE_READ_DATA|SYNCHRONIZE, "
	"{\"\\??\\C:\\tmp\\ntstrace-none\\x\", OBJ_CASE_INSENSITIVE}, "
	"%x, FILE_SHARE_READ, FILE_SYNCHRONOUS_IO_NONALERT) = "
	"STATUS_OBJECT_PATH_NOT_FOUND (ENOENT)",
	"NtQueryInformationThread(NtCurrentThread(), 12, \"\\x01\\0\\0\\0\", 4, [4]) = "
	"STATUS_SUCCESS",
	"+++ exited with 3 +++",
	NULL
};

/* Trace "decode" with opts; the transcript's lines in lines[] (max n). */
static int decode_lines(struct __test_metadata *_metadata, const char *const *opts,
			char **lines, int n)
{
	char out[] = "/tmp/spec_trace.XXXXXX";
	char *t, *save, *l;
	int fd, rc, i = 0;

	fd = mkstemp(out);
	if (fd < 0)
		return -1;
	close(fd);
	rc = run_ntstrace_opts("decode", NULL, out, opts);
	t = slurp(out);
	unlink(out);
	EXPECT_EQ(3, rc) TH_LOG("%s", t ? t : "");
	for (l = strtok_r(t, "\n", &save); l && i < n; l = strtok_r(NULL, "\n", &save))
		lines[i++] = strdup(l);
	return i;
}

TEST(decoded_arguments)
{
	char *lines[64];
	int n, i;

	REQUIRE_NT_TRACE();
	n = decode_lines(_metadata, NULL, lines, 64);
	for (i = 0; decode_want[i]; i++) {
		ASSERT_LT(i, n) TH_LOG("missing: %s", decode_want[i]);
		EXPECT_TRUE(transcript_matches(decode_want[i], lines[i]))
			TH_LOG("want %s\n      got %s", decode_want[i], lines[i]);
	}
	EXPECT_EQ(i, n);
}

TEST(filter_by_name_and_class)
{
	const char *const by_name[] = { "-e", "trace=NtClose,NtReadFile", NULL };
	const char *const by_class[] = { "-e", "trace=%sync", NULL };
	const char *const by_process[] = { "-e", "trace=%process", NULL };
	char *lines[64];
	int n, i;

	REQUIRE_NT_TRACE();
	n = decode_lines(_metadata, by_name, lines, 64);
	ASSERT_EQ(6, n);
	EXPECT_TRUE(transcript_matches(decode_want[2], lines[0])) TH_LOG("%s", lines[0]);
	EXPECT_TRUE(transcript_matches(decode_want[4], lines[1])) TH_LOG("%s", lines[1]);
	for (i = 2; i < 5; i++)
		EXPECT_TRUE(transcript_matches(decode_want[i + 6], lines[i])) TH_LOG("%s", lines[i]);
	n = decode_lines(_metadata, by_class, lines, 64);
	ASSERT_EQ(3, n);
	EXPECT_TRUE(transcript_matches(decode_want[5], lines[0])) TH_LOG("%s", lines[0]);
	EXPECT_TRUE(transcript_matches(decode_want[6], lines[1])) TH_LOG("%s", lines[1]);
	n = decode_lines(_metadata, by_process, lines, 64);
	ASSERT_EQ(2, n);
	EXPECT_TRUE(transcript_matches(decode_want[12], lines[0])) TH_LOG("%s", lines[0]);
}

TEST(only_failing_or_successful)
{
	const char *const failing[] = { "-Z", NULL };
	const char *const ok[] = { "-z", "-T", NULL };
	char *lines[64];
	char want[512];
	int n, i;

	REQUIRE_NT_TRACE();
	n = decode_lines(_metadata, failing, lines, 64);
	ASSERT_EQ(3, n);
	EXPECT_TRUE(transcript_matches(decode_want[10], lines[0])) TH_LOG("%s", lines[0]);
	EXPECT_TRUE(transcript_matches(decode_want[11], lines[1])) TH_LOG("%s", lines[1]);
	n = decode_lines(_metadata, ok, lines, 64);
	/* STATUS_TIMEOUT is a success status; the two failing calls are gone */
	ASSERT_EQ(12, n);
	for (i = 0; i < 10; i++) {
		snprintf(want, sizeof(want), "%s %%t", decode_want[i]);
		EXPECT_TRUE(transcript_matches(want, lines[i])) TH_LOG("%s", lines[i]);
	}
}

TEST(count_table)
{
	const char *const count[] = { "-c", NULL };
	char *lines[64];
	unsigned long calls, errors;
	int n, i, close_seen = 0, total_seen = 0;

	REQUIRE_NT_TRACE();
	n = decode_lines(_metadata, count, lines, 64);
	ASSERT_LT(4, n);
	EXPECT_EQ(0, strncmp(lines[0], "% time     seconds  usecs/call     calls    errors service", 58));
	for (i = 2; i < n; i++) {
		char name[64];
		double pct, secs;
		unsigned long usecs;

		if (sscanf(lines[i], "%lf %lf %lu %lu %lu %63s", &pct, &secs, &usecs,
			   &calls, &errors, name) == 6) {
			if (!strcmp(name, "NtClose")) {
				EXPECT_EQ(4u, calls);
				EXPECT_EQ(1u, errors);
				close_seen = 1;
			}
		} else if (sscanf(lines[i], "%lf %lf %lu %lu %63s", &pct, &secs, &usecs,
				  &calls, name) == 5 && !strcmp(name, "total")) {
			EXPECT_EQ(13u, calls);
			total_seen = 1;
		}
	}
	EXPECT_TRUE(close_seen);
	/* the total line has the one error too */
	for (i = 2; i < n; i++)
		if (strstr(lines[i], "total") &&
		    sscanf(lines[i], "%*f %*f %*u %lu %lu", &calls, &errors) == 2) {
			EXPECT_EQ(13u, calls);
			EXPECT_EQ(2u, errors);
			total_seen = 1;
		}
	EXPECT_TRUE(total_seen);
}

TEST(attach_to_running_process)
{
	char out[] = "/tmp/spec_trace.XXXXXX";
	char self[256], pidstr[16];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t victim, tracer;
	int fd, st, i;
	char *t;

	REQUIRE_NT_TRACE();
	ASSERT_LT(0, len);
	self[len] = 0;
	fd = mkstemp(out);
	ASSERT_LE(0, fd);
	close(fd);
	victim = fork();
	ASSERT_LE(0, victim);
	if (!victim) {
		setenv("SPEC_TRACE_CHILD", "loop", 1);
		execl(self, self, (char *)NULL);
		_exit(126);
	}
	usleep(200000);
	snprintf(pidstr, sizeof(pidstr), "%d", (int)victim);
	tracer = fork();
	ASSERT_LE(0, tracer);
	if (!tracer) {
		execlp("ntstrace", "ntstrace", "-o", out, "-p", pidstr, (char *)NULL);
		_exit(126);
	}
	/* until the tracer has seen a few calls (the VM may be slow) */
	for (i = 0; i < 200; i++) {
		t = slurp(out);
		if (t && strstr(t, "NtDelayExecution(FALSE, [0.0100000s]) = STATUS_SUCCESS\n"))
			break;
		usleep(50000);
	}
	kill(victim, SIGKILL);
	ASSERT_EQ(victim, waitpid(victim, &st, 0));
	ASSERT_EQ(tracer, waitpid(tracer, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	t = slurp(out);
	unlink(out);
	ASSERT_NE(0u, (uintptr_t)t);
	EXPECT_NE(0u, (uintptr_t)strstr(t, "NtClose(0x1234) = STATUS_INVALID_HANDLE\n")) TH_LOG("%s", t);
	EXPECT_NE(0u, (uintptr_t)strstr(t, "NtDelayExecution(FALSE, [0.0100000s]) = STATUS_SUCCESS\n"))
		TH_LOG("%s", t);
	/* attached mid-run: no exit line of a program it did not start */
	EXPECT_EQ(0u, (uintptr_t)strstr(t, "+++"));
}

TEST_HARNESS_MAIN
