/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the NT selftests, on top of kselftest_harness.h:
 *
 *  - ASSERT_STATUS(expected, got) / EXPECT_STATUS(expected, got): exact
 *    NTSTATUS comparison printing both names ("STATUS_INVALID_HANDLE"),
 *    with the harness's optional { TH_LOG(...) } block after them;
 *  - NT_GATE_VARIANTS(fixture) + NT_GATE_SETUP(): run every TEST_F of a
 *    fixture once through sysenter and once through int 0x2e (the variant
 *    holds only the gate, as seccomp_bpf.c's variants hold only the
 *    tracer kind);
 *  - poison helpers for out-parameters;
 *  - small conveniences: relative timeouts, OBJECT_ATTRIBUTES.
 */
#ifndef NT_TEST_H
#define NT_TEST_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "kselftest_harness.h"
#include <ntdll.h>

/* The name of a status, or its hex value for one ntstatus.h lacks. */
static inline const char *nt_status_str(NTSTATUS status, char buf[16])
{
	const char *name = NtpStatusName(status);

	if (name)
		return name;
	snprintf(buf, 16, "0x%08x", (unsigned int)status);
	return buf;
}

#define __NT_STATUS_CHECK(_expected, _seen, _seen_str, _assert) do {	\
	NTSTATUS __nt_exp = (_expected);				\
	NTSTATUS __nt_seen = (_seen);					\
	if (_assert)							\
		__INC_STEP(_metadata);					\
	if (__nt_exp != __nt_seen) {					\
		char __nt_b1[16], __nt_b2[16];				\
		__TH_LOG("Expected %s (0x%08x) but %s is %s (0x%08x)",	\
			 nt_status_str(__nt_exp, __nt_b1),		\
			 (unsigned int)__nt_exp, _seen_str,		\
			 nt_status_str(__nt_seen, __nt_b2),		\
			 (unsigned int)__nt_seen);			\
		_metadata->passed = 0;					\
		_metadata->trigger = 1;					\
	}								\
} while (0); OPTIONAL_HANDLER(_assert)

#define ASSERT_STATUS(expected, seen) \
	__NT_STATUS_CHECK(expected, seen, #seen, 1)
#define EXPECT_STATUS(expected, seen) \
	__NT_STATUS_CHECK(expected, seen, #seen, 0)

/*
 * Is the NT entry path there? The shared page (SharedUserData at
 * 0x7ffe0000) is mapped into attached processes by the module.
 */
static inline int nt_entry_available(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[256];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "7ffe0000-", 9);
	fclose(f);
	return found;
}

/* SKIP the current test when NT calls cannot be made. */
#define NT_REQUIRE_ENTRY() do {						\
	if (!nt_entry_available())					\
		SKIP(return, "no NT entry path (module or shared page missing)"); \
} while (0)

/*
 * SKIP() from a FIXTURE_SETUP(): the 6.1 harness runs the test body after
 * a setup that called SKIP(return, ...), so jump out of the test instead
 * (setup not completed: no teardown, reported as skipped).
 */
#define NT_SETUP_SKIP(fmt, ...) \
	SKIP(longjmp(_metadata->env, 1), fmt, ##__VA_ARGS__)

/*
 * Both gates for a fixture:
 *
 *	FIXTURE(event) { HANDLE h; };
 *	NT_GATE_VARIANTS(event);
 *	FIXTURE_SETUP(event) { NT_GATE_SETUP(); ... }
 *
 * Use after FIXTURE(); NT_GATE_SETUP() skips when the module or the entry
 * path is missing, and the int2e variant also when the gate ioctl is (the
 * sysenter variant then runs through the default gate).
 */
#define NT_GATE_VARIANTS(fixture)					\
	FIXTURE_VARIANT(fixture) { int gate; };				\
	FIXTURE_VARIANT_ADD(fixture, sysenter) { .gate = NTP_GATE_SYSENTER }; \
	FIXTURE_VARIANT_ADD(fixture, int2e) { .gate = NTP_GATE_INT2E }

#define NT_GATE_SETUP() do {						\
	NTSTATUS __nt_st;						\
	if (!nt_entry_available())					\
		NT_SETUP_SKIP("no NT entry path (module or shared page missing)"); \
	__nt_st = NtpSetSystemCallGate(variant->gate);			\
	/* without the ioctl the process keeps the default, sysenter */	\
	if (__nt_st == STATUS_NOT_IMPLEMENTED &&			\
	    variant->gate != NTP_GATE_SYSENTER)				\
		NT_SETUP_SKIP("NTP_IOC_SET_GATE not supported");	\
	if (__nt_st != STATUS_NOT_IMPLEMENTED)				\
		ASSERT_STATUS(STATUS_SUCCESS, __nt_st);			\
} while (0)

/* Out-parameter poisoning (the ntsync selftest's 0xcc / 0xdeadbeef). */
#define NT_POISON_BYTE		0xcc
#define NT_POISON_HANDLE	((HANDLE)(uintptr_t)0xdeadbeef)
#define NT_POISON_ULONG		0xdeadbeefu
#define nt_poison(p)		memset((p), NT_POISON_BYTE, sizeof(*(p)))

static inline int nt_is_poisoned(const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i] != NT_POISON_BYTE)
			return 0;
	return 1;
}

/* The out-parameter was left alone. */
#define EXPECT_POISONED(p)	EXPECT_TRUE(nt_is_poisoned((p), sizeof(*(p))))
#define ASSERT_POISONED(p)	ASSERT_TRUE(nt_is_poisoned((p), sizeof(*(p))))

/* A relative NT timeout of ms milliseconds (negative, 100 ns units). */
static inline LARGE_INTEGER *nt_timeout_ms(LARGE_INTEGER *li, long long ms)
{
	li->QuadPart = -ms * 10000;
	return li;
}

/* OBJECT_ATTRIBUTES naming name (a u"" literal or NULL), no root. */
static inline OBJECT_ATTRIBUTES *nt_oa(OBJECT_ATTRIBUTES *oa,
				       UNICODE_STRING *us, const WCHAR *name,
				       ULONG attributes)
{
	RtlInitUnicodeString(us, name);
	InitializeObjectAttributes(oa, name ? us : NULL, attributes, NULL, NULL);
	return oa;
}

#endif /* NT_TEST_H */
