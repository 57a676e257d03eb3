// SPDX-License-Identifier: GPL-2.0
/*
 * libntdll's generated stubs: their code is XP SP3's byte for byte, the
 * Zw names are aliases, and (once the entry path is there) calls through
 * both gates reach the dispatcher with the stub's index: a notimpl service
 * answers STATUS_NOT_IMPLEMENTED, an index past the table
 * STATUS_INVALID_SYSTEM_SERVICE (as KiSystemService does for
 * Id >= Limit; ReactOS ntoskrnl/ke/i386/traphdlr.c).
 */
#include "nt_test.h"

/* mov eax, INDEX; mov edx, 0x7ffe0300; call [edx]; ret ARGBYTES */
static int stub_is(const void *fn, unsigned int index, unsigned int argbytes)
{
	unsigned char want[15] = {
		0xb8, index, index >> 8, 0, 0,
		0xba, 0x00, 0x03, 0xfe, 0x7f,
		0xff, 0x12,
		0xc2, argbytes, 0,
	};

	if (!argbytes) {
		want[12] = 0xc3;
		return !memcmp(fn, want, 13);
	}
	return !memcmp(fn, want, 15);
}

TEST(stub_bytes_are_genuine)
{
	EXPECT_TRUE(stub_is((void *)NtClose, 0x19, 4));
	EXPECT_TRUE(stub_is((void *)NtCreateFile, 0x25, 0x2c));
	EXPECT_TRUE(stub_is((void *)NtWaitForMultipleObjects, 0x10e, 0x14));
	EXPECT_TRUE(stub_is((void *)NtYieldExecution, 0x116, 0));
	EXPECT_TRUE(stub_is((void *)NtQueryPortInformationProcess, 0x11b, 0));
	EXPECT_TRUE(stub_is((void *)NtAccessCheckByTypeResultListAndAuditAlarmByHandle,
			    0x07, 0x44));
}

TEST(spec_constants_match_stubs)
{
	EXPECT_EQ(0x19, NTP_INDEX_NtClose);
	EXPECT_EQ(4, NTP_ARGBYTES_NtClose);
	EXPECT_EQ(284, NTP_SERVICE_COUNT);
	EXPECT_TRUE(stub_is((void *)NtCreateEvent, NTP_INDEX_NtCreateEvent,
			    NTP_ARGBYTES_NtCreateEvent));
}

TEST(zw_is_an_alias)
{
	EXPECT_EQ((uintptr_t)NtClose, (uintptr_t)ZwClose);
	EXPECT_EQ((uintptr_t)NtCreateFile, (uintptr_t)ZwCreateFile);
	EXPECT_EQ((uintptr_t)NtYieldExecution, (uintptr_t)ZwYieldExecution);
}

/* A stub-shaped call with an arbitrary service number and no arguments. */
static NTSTATUS raw_service(ULONG index)
{
	unsigned long eax = index, edx = 0x7ffe0300;

	asm volatile("call *(%%edx)"
		     : "+a"(eax), "+d"(edx) : : "ecx", "memory", "cc");
	return (NTSTATUS)eax;
}

FIXTURE(gate) {
	int unused;
};

NT_GATE_VARIANTS(gate);

FIXTURE_SETUP(gate)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(gate)
{
}

/*
 * Services nobody plans to implement (job sets, boot options): the
 * dispatcher's table answers for them.
 */
TEST_F(gate, notimpl_service_is_not_implemented)
{
	ULONG set = 0;

	EXPECT_STATUS(STATUS_NOT_IMPLEMENTED, NtCreateJobSet(1, &set, 0));
	EXPECT_STATUS(STATUS_NOT_IMPLEMENTED, ZwSetBootOptions(&set, 0));
}

TEST_F(gate, index_past_table_is_invalid_system_service)
{
	EXPECT_STATUS(STATUS_INVALID_SYSTEM_SERVICE, raw_service(NTP_SERVICE_COUNT));
	EXPECT_STATUS(STATUS_INVALID_SYSTEM_SERVICE, raw_service(0xfff));
}

/* Table 1 (win32k, index 0x1000..) is not attached. */
TEST_F(gate, shadow_table_is_invalid_system_service)
{
	EXPECT_STATUS(STATUS_INVALID_SYSTEM_SERVICE, raw_service(0x1000));
}

TEST_HARNESS_MAIN
