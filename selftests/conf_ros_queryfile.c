// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: checks ported from ReactOS
 * modules/rostests/apitests/ntdll/NtQueryInformationFile.c (issue 17):
 * the class is checked before anything else (XP: STATUS_INVALID_INFO_CLASS
 * for class 0 and 0x80000000 with every other argument NULL), and
 * FileEndOfFileInformation is a set-only class: querying it is
 * STATUS_INVALID_INFO_CLASS, the buffer untouched, even with no
 * IO_STATUS_BLOCK. Re-expressed, not copied.
 */
#include "nt_test.h"

FIXTURE(conf_ros_queryfile) {};
NT_GATE_VARIANTS(conf_ros_queryfile);
FIXTURE_SETUP(conf_ros_queryfile) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(conf_ros_queryfile) {}

/* ReactOS NtQueryInformationFile.c, START_TEST */
TEST_F(conf_ros_queryfile, ros_NtQueryInformationFile_classes)
{
	FILE_END_OF_FILE_INFORMATION eof;
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK io;
	HANDLE h;

	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS, NtQueryInformationFile(NULL, NULL, NULL, 0, 0));
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtQueryInformationFile(NULL, NULL, NULL, 0, 0x80000000));
	/* the test program itself, as ReactOS opens its own image */
	nt_oa(&oa, &us, u"\\??\\C:\\proc\\self\\exe", OBJ_CASE_INSENSITIVE);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenFile(&h, GENERIC_READ | SYNCHRONIZE, &oa, &io, FILE_SHARE_READ,
				 FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE));
	eof.EndOfFile.QuadPart = 0xdeaddead;
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtQueryInformationFile(h, NULL, &eof, sizeof(eof),
					     FileEndOfFileInformation));
	EXPECT_EQ(0xdeaddead, eof.EndOfFile.QuadPart);
	NtClose(h);
}

TEST_HARNESS_MAIN
