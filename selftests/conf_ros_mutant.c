// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: checks ported from ReactOS
 * modules/rostests/apitests/ntdll/NtMutant.c (issue 17): Test_Release, a
 * mutant created owned through a handle with no access at all is
 * released through it (NtReleaseMutant needs no access right).
 * Re-expressed, not copied.
 */
#include "nt_test.h"

FIXTURE(conf_ros_mutant) {};
NT_GATE_VARIANTS(conf_ros_mutant);
FIXTURE_SETUP(conf_ros_mutant) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(conf_ros_mutant) {}

/* ReactOS NtMutant.c, Test_Release */
TEST_F(conf_ros_mutant, ros_NtMutant_release)
{
	HANDLE h;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&h, 0, NULL, TRUE));
	EXPECT_STATUS(STATUS_SUCCESS, NtReleaseMutant(h, NULL));
	NtClose(h);
}

TEST_HARNESS_MAIN
