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
 *    until the tracepoints, the entry path and the gate ioctl exist.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nt_test.h"

#define TRACEFS "/sys/kernel/tracing"

__attribute__((constructor)) static void child_mode(void)
{
	const char *m = getenv("SPEC_TRACE_CHILD");

	if (!m)
		return;
	if (!strcmp(m, "linux")) {
		syscall(SYS_kill, 0, 0);
		_exit(0);
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

/* Run ntstrace -o out on this binary in child mode; its exit status. */
static int run_ntstrace(const char *mode, const char *events, const char *outfile)
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
		execlp("ntstrace", "ntstrace", "-o", outfile, self, (char *)NULL);
		_exit(126);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
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

TEST_HARNESS_MAIN
