// SPDX-License-Identifier: GPL-2.0
/*
 * Named objects between two processes started separately under ntrun: no
 * fork, no inherited handle table, only the names in \BaseNamedObjects.
 * This is how Windows programs share events and mutexes (an installer and
 * a service, two instances of one program); namespace.c covers the same
 * with a forked child.
 *
 * The test re-executes itself through ntrun in two roles:
 *   --create: makes the named event (unsignaled) and a named mutant it
 *             owns, says "ready", waits for the event, exits 0 if it came;
 *   --open:   opens both by name, finds the mutant owned (a zero-timeout
 *             wait times out), sets the event, exits 0.
 */
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "ob_test.h"

#define EV_NAME u"\\BaseNamedObjects\\xproc-event"
#define MX_NAME u"\\BaseNamedObjects\\xproc-mutant"

static int role_create(void)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	LARGE_INTEGER t;
	HANDLE ev, mx;

	if (NtCreateEvent(&ev, EVENT_ALL_ACCESS, ob_attr(&oa, ob_name(&n, EV_NAME), 0, NULL),
			  NotificationEvent, FALSE))
		return 10;
	if (NtCreateMutant(&mx, MUTANT_ALL_ACCESS, ob_attr(&oa, ob_name(&n, MX_NAME), 0, NULL),
			   TRUE))
		return 11;
	if (write(1, "ready\n", 6) != 6)
		return 12;
	return NtWaitForSingleObject(ev, FALSE, ob_ms(&t, 10000)) == STATUS_WAIT_0 ? 0 : 13;
}

static int role_open(void)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	LARGE_INTEGER t;
	HANDLE ev, mx;

	if (NtOpenEvent(&ev, EVENT_MODIFY_STATE, ob_attr(&oa, ob_name(&n, EV_NAME), 0, NULL)))
		return 20;
	if (NtOpenMutant(&mx, SYNCHRONIZE, ob_attr(&oa, ob_name(&n, MX_NAME), 0, NULL)))
		return 21;
	/* owned by the other process */
	if (NtWaitForSingleObject(mx, FALSE, ob_ms(&t, 0)) != STATUS_TIMEOUT)
		return 22;
	return NtSetEvent(ev, NULL) == STATUS_SUCCESS ? 0 : 23;
}

static char self[4096];

static pid_t spawn(const char *role, int out_fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (out_fd >= 0)
			dup2(out_fd, 1);
		execlp("ntrun", "ntrun", self, role, NULL);
		_exit(127);
	}
	return pid;
}

TEST(named_objects_between_separately_started_processes)
{
	int p[2], st;
	pid_t creator, opener;
	char buf[8] = "";

	ASSERT_EQ(0, pipe(p));
	creator = spawn("--create", p[1]);
	ASSERT_LT(0, creator);
	close(p[1]);
	ASSERT_EQ(6, read(p[0], buf, 6));
	ASSERT_EQ(0, memcmp(buf, "ready\n", 6));
	opener = spawn("--open", -1);
	ASSERT_LT(0, opener);
	ASSERT_EQ(opener, waitpid(opener, &st, 0));
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	ASSERT_EQ(creator, waitpid(creator, &st, 0));
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	close(p[0]);
}

int main(int argc, char **argv)
{
	ssize_t n;

	if (argc > 1 && !strcmp(argv[1], "--create"))
		return role_create();
	if (argc > 1 && !strcmp(argv[1], "--open"))
		return role_open();
	/* under ntrun, /proc/self/exe would name ntrun itself */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = 0;
	return test_harness_run(argc, argv);
}
