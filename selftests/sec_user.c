// SPDX-License-Identifier: GPL-2.0
/*
 * The unprivileged half of the security tests (issue 12) checked on its
 * own: NT_AS_USER() really runs as uid 1000 with no capability, attached
 * afresh as that user through the variant's gate, and a failure inside
 * the block fails the test.
 */
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include "nt_user.h"

FIXTURE(as_user) { int unused; };
NT_GATE_VARIANTS(as_user);
FIXTURE_SETUP(as_user) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(as_user) { }

/* CapEff of /proc/self/status, or ~0 when it cannot be read. */
static unsigned long long cap_effective(void)
{
	unsigned long long caps = ~0ull;
	char line[128];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return caps;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			break;
	fclose(f);
	return caps;
}

TEST_F(as_user, block_runs_as_uid_1000_without_capabilities)
{
	pid_t root_pid = getpid();

	ASSERT_EQ(0, getuid());
	NT_AS_USER(variant->gate) {
		uid_t r, e, s;
		gid_t gr, ge, gs;

		ASSERT_EQ(0, getresuid(&r, &e, &s));
		ASSERT_EQ(0, getresgid(&gr, &ge, &gs));
		EXPECT_EQ(NT_TEST_UID, r);
		EXPECT_EQ(NT_TEST_UID, e);
		EXPECT_EQ(NT_TEST_UID, s);
		EXPECT_EQ(NT_TEST_GID, gr);
		EXPECT_EQ(NT_TEST_GID, ge);
		EXPECT_EQ(NT_TEST_GID, gs);
		EXPECT_EQ(0, getgroups(0, NULL));
		EXPECT_EQ(0ull, cap_effective());
		EXPECT_NE(root_pid, getpid());
		/* attached: an NT call is served */
		EXPECT_STATUS(STATUS_INVALID_HANDLE, NtClose((HANDLE)0x1234));
	}
	/* back in the root part */
	EXPECT_EQ(0, geteuid());
	EXPECT_EQ(root_pid, getpid());
}

TEST_F(as_user, failure_inside_the_block_fails_the_test)
{
	struct __test_metadata inner;

	memset(&inner, 0, sizeof(inner));
	inner.name = "inner";
	inner.passed = 1;
	TH_LOG("an EXPECT failure is meant next:");
	{
		struct __test_metadata *_metadata = &inner;

		NT_AS_USER(variant->gate)
			EXPECT_EQ(0, 1);
	}
	EXPECT_EQ(0, inner.passed);
}

TEST_F(as_user, second_user_is_another_uid)
{
	NT_AS_UID(NT_TEST_UID2, NT_TEST_GID2, variant->gate) {
		EXPECT_EQ(NT_TEST_UID2, geteuid());
		EXPECT_EQ(NT_TEST_GID2, getegid());
		EXPECT_STATUS(STATUS_INVALID_HANDLE, NtClose((HANDLE)0x1234));
	}
}

TEST_HARNESS_MAIN
