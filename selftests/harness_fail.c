// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberately failing selftest. Never in the default list: the host test
 * scripts/tests/harness-catches-failure runs the real test command on it and
 * expects "1 passed, 1 failed" and a non-zero exit.
 */
#include "kselftest_harness.h"

TEST(passes)
{
	ASSERT_EQ(1, 1);
}

TEST(fails_on_purpose)
{
	ASSERT_EQ(1, 2);
}

TEST_HARNESS_MAIN
