// SPDX-License-Identifier: GPL-2.0
/*
 * The uapi/nt headers as a user program sees them: every structure's XP
 * offsets and size are checked at compile time by the _Static_asserts in
 * the headers themselves (this file includes all of them, built with
 * gcc -m32); the tests below check the few things that are values rather
 * than layouts: success/failure classes, pseudo-handles and
 * InitializeObjectAttributes.
 */
#include <stdint.h>
#include <stddef.h>
#include "kselftest_harness.h"
#include "nt/ntdef.h"
#include "nt/ntstatus.h"
#include "nt/access.h"
#include "nt/ntobj.h"
#include "nt/ntfile.h"
#include "nt/ntmm.h"
#include "nt/ntex.h"

/* Waits, APCs, timeouts and "exists" are successes carrying news. */
TEST(success_with_news_is_success)
{
	EXPECT_TRUE(NT_SUCCESS(STATUS_SUCCESS));
	EXPECT_TRUE(NT_SUCCESS(STATUS_WAIT_63));
	EXPECT_TRUE(NT_SUCCESS(STATUS_ABANDONED_WAIT_0));
	EXPECT_TRUE(NT_SUCCESS(STATUS_USER_APC));
	EXPECT_TRUE(NT_SUCCESS(STATUS_ALERTED));
	EXPECT_TRUE(NT_SUCCESS(STATUS_TIMEOUT));
	EXPECT_TRUE(NT_SUCCESS(STATUS_PENDING));
	EXPECT_TRUE(NT_SUCCESS(STATUS_OBJECT_NAME_EXISTS));
	EXPECT_TRUE(NT_INFORMATION(STATUS_OBJECT_NAME_EXISTS));
}

/* Warnings (partial output) and errors are failures. */
TEST(warnings_and_errors_fail)
{
	EXPECT_FALSE(NT_SUCCESS(STATUS_BUFFER_OVERFLOW));
	EXPECT_TRUE(NT_WARNING(STATUS_NO_MORE_FILES));
	EXPECT_FALSE(NT_SUCCESS(STATUS_NOT_IMPLEMENTED));
	EXPECT_TRUE(NT_ERROR(STATUS_INVALID_SYSTEM_SERVICE));
	EXPECT_EQ(0xc0000005u, (uint32_t)STATUS_ACCESS_VIOLATION);
}

TEST(pseudo_handles)
{
	EXPECT_EQ(0xffffffffu, (uint32_t)(uintptr_t)NtCurrentProcess());
	EXPECT_EQ(0xfffffffeu, (uint32_t)(uintptr_t)NtCurrentThread());
}

TEST(initialize_object_attributes)
{
	UNICODE_STRING name = { 0 };
	OBJECT_ATTRIBUTES oa;

	memset(&oa, 0xcc, sizeof(oa));
	InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE,
				   (HANDLE)8, NULL);
	EXPECT_EQ(0x18u, oa.Length);
	EXPECT_EQ(8u, (uintptr_t)oa.RootDirectory);
	EXPECT_EQ((uintptr_t)&name, (uintptr_t)oa.ObjectName);
	EXPECT_EQ((ULONG)OBJ_CASE_INSENSITIVE, oa.Attributes);
	EXPECT_EQ(0u, (uintptr_t)oa.SecurityDescriptor);
	EXPECT_EQ(0u, (uintptr_t)oa.SecurityQualityOfService);
}

/* The 64-bit members are 8-byte aligned even inside arrays of structs. */
TEST(large_integer_alignment)
{
	FILE_BASIC_INFORMATION fbi[2];

	EXPECT_EQ(0x28, (char *)&fbi[1] - (char *)&fbi[0]);
	EXPECT_EQ(0u, (uintptr_t)&fbi[1].CreationTime % 8);
}

TEST_HARNESS_MAIN
