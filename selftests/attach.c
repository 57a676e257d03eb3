// SPDX-License-Identifier: GPL-2.0
/*
 * Attach lifecycle through /dev/ntpersonality and ntrun: the personality is
 * attached across exactly the exec ntrun performs, reported for that process
 * only, inherited by fork and dropped by a further exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "ntpersonality.h"

static int query(pid_t pid, struct ntp_query *q)
{
	int fd = open(NTP_DEVICE_PATH, O_RDWR), ret;

	if (fd < 0)
		return -errno;
	memset(q, 0xcc, sizeof(*q));
	q->pid = pid;
	q->pad = 0;
	ret = ioctl(fd, NTP_IOC_QUERY, q) ? -errno : 0;
	close(fd);
	return ret;
}

/* Child modes, selected by argv[1] when the test re-executes itself. */
static int probe_main(int argc, char **argv)
{
	struct ntp_query q;
	pid_t child;
	int st;

	if (query(0, &q))
		return 10;
	if (!strcmp(argv[1], "--expect-detached"))
		return q.state == 0 ? 0 : 11;
	if (q.state != NTP_STATE_ATTACHED || q.tgid != (unsigned)getpid())
		return 12;
	if (!strcmp(argv[1], "--probe-fork")) {
		/* fork inherits: the child is attached as its own process */
		child = fork();
		if (child == 0) {
			if (query(0, &q) || q.state != NTP_STATE_ATTACHED ||
			    q.tgid != (unsigned)getpid())
				_exit(13);
			_exit(0);
		}
		waitpid(child, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 14;
	}
	if (!strcmp(argv[1], "--probe-exec")) {
		/* a plain exec drops it */
		execl("/proc/self/exe", argv[0], "--expect-detached", NULL);
		return 15;
	}
	if (!strcmp(argv[1], "--probe-wait")) {
		/* stay attached until the parent has looked at us */
		char c;

		return read(0, &c, 1) == 1 ? 0 : 16;
	}
	return 0;
}

static char self[4096];

static int run_ntrun(const char *mode)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		execlp("ntrun", "ntrun", self, mode, NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

TEST(unattached_by_default)
{
	struct ntp_query q;

	ASSERT_EQ(0, query(0, &q));
	EXPECT_EQ(0, q.state);
	EXPECT_EQ(0, q.tgid);
}

TEST(ntrun_attaches_the_child)
{
	EXPECT_EQ(0, run_ntrun("--probe"));
}

TEST(fork_inherits)
{
	EXPECT_EQ(0, run_ntrun("--probe-fork"));
}

TEST(exec_drops)
{
	EXPECT_EQ(0, run_ntrun("--probe-exec"));
}

TEST(visible_to_others_only_for_that_process)
{
	int to_child[2];
	struct ntp_query q;
	pid_t pid, sibling;
	int st, tries;

	ASSERT_EQ(0, pipe(to_child));
	pid = fork();
	if (pid == 0) {
		dup2(to_child[0], 0);
		close(to_child[1]);
		execlp("ntrun", "ntrun", self, "--probe-wait", NULL);
		_exit(127);
	}
	close(to_child[0]);
	sibling = fork();
	if (sibling == 0) {
		pause();
		_exit(0);
	}
	/* ntrun execs quickly; the attach completes before the first user insn */
	for (tries = 0; tries < 500; tries++) {
		ASSERT_EQ(0, query(pid, &q));
		if (q.state == NTP_STATE_ATTACHED)
			break;
		usleep(10000);
	}
	EXPECT_EQ(NTP_STATE_ATTACHED, q.state);
	EXPECT_EQ((unsigned)pid, q.tgid);
	ASSERT_EQ(0, query(sibling, &q));
	EXPECT_EQ(0, q.state);
	ASSERT_EQ(0, query(getpid(), &q));
	EXPECT_EQ(0, q.state);

	ASSERT_EQ(1, write(to_child[1], "x", 1));
	waitpid(pid, &st, 0);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	kill(sibling, SIGKILL);
	waitpid(sibling, &st, 0);
	/* gone with its process */
	ASSERT_EQ(0, query(pid, &q));
	EXPECT_EQ(0, q.state);
}

TEST(attach_rejects_unknown_flags_and_padding)
{
	struct ntp_attach a = { .flags = 1u << 31 };
	int fd = open(NTP_DEVICE_PATH, O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, NTP_IOC_ATTACH, &a));
	EXPECT_EQ(EINVAL, errno);
	a.flags = NTP_ATTACH_ON_EXEC;
	a.pad = 1;
	EXPECT_EQ(-1, ioctl(fd, NTP_IOC_ATTACH, &a));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, NTP_IOC_ATTACH, NULL));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strncmp(argv[1], "--", 2) && strcmp(argv[1], "--help") &&
	    (strstr(argv[1], "probe") || strstr(argv[1], "expect")))
		return probe_main(argc, argv);
	/* under ntrun, /proc/self/exe would name ntrun itself */
	if (readlink("/proc/self/exe", self, sizeof(self) - 1) < 0)
		return 1;
	return test_harness_run(argc, argv);
}
