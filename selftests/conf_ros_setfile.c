// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: checks ported from ReactOS
 * modules/rostests/apitests/ntdll/NtSetInformationFile.c (issue 17): the
 * class is checked before anything else (STATUS_INVALID_INFO_CLASS for
 * class 0 and 0x80000000 with every other argument NULL). Re-expressed,
 * not copied.
 */
#include "nt_test.h"

FIXTURE(conf_ros_setfile) {};
NT_GATE_VARIANTS(conf_ros_setfile);
FIXTURE_SETUP(conf_ros_setfile) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(conf_ros_setfile) {}

/* ReactOS NtSetInformationFile.c, START_TEST */
TEST_F(conf_ros_setfile, ros_NtSetInformationFile_classes)
{
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS, NtSetInformationFile(NULL, NULL, NULL, 0, 0));
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtSetInformationFile(NULL, NULL, NULL, 0, 0x80000000));
}

TEST_HARNESS_MAIN
