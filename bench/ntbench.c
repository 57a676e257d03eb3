// SPDX-License-Identifier: GPL-2.0
/*
 * ntbench: instructions (or nanoseconds) per operation of NT calls and of
 * their Linux counterparts, measured in the guest with CLOCK_MONOTONIC.
 * Under `scripts/ntvm --icount` guest time advances exactly 1 ns per
 * executed instruction, so the numbers are instruction counts and are
 * deterministic; without --icount they are wall-clock ns and noisy.
 *
 * Every operation is a noinline function called from the same loop through
 * the same function pointer; the cost of that loop (an empty operation) is
 * measured the same way and subtracted from both sides of every pair.
 *
 * Output, one line per measurement, read by scripts/bench:
 *	raw <name> <units/op> <status>
 * where status is the NTSTATUS of the last call (hex) or "linux".
 *
 *   ntbench [-n ITERATIONS] [-r REPEATS] attached	NT and Linux pairs
 *   ntbench [-n ITERATIONS] [-r REPEATS] getppid	getppid only (run
 *		with NTDLL_NO_ATTACH=1 to measure an unattached process)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <ntdll.h>
#include <nt/kuser.h>

#define BAD_HANDLE	((HANDLE)0x1234)

static long iterations = 100000;
static int repeats = 1;
static volatile NTSTATUS last_status;
static volatile long sink;

typedef void (*op_fn)(void);

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static __attribute__((noinline)) void op_empty(void)
{
	asm volatile("" ::: "memory");
}

static __attribute__((noinline)) void op_ntclose(void)
{
	last_status = NtClose(BAD_HANDLE);
}

/* A notimpl service with one argument word: entry + dispatch + copy-in. */
static __attribute__((noinline)) void op_notimpl(void)
{
	last_status = NtCompleteConnectPort(BAD_HANDLE);
}

/* Notimpl services with 0 and 0x44 (XP's largest) argument bytes. */
static __attribute__((noinline)) void op_notimpl_0(void)
{
	last_status = NtIsSystemResumeAutomatic();
}

static __attribute__((noinline)) void op_notimpl_0x44(void)
{
	last_status = NtAccessCheckByTypeResultListAndAuditAlarmByHandle(NULL,
			NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL, 0,
			NULL, 0, NULL, NULL, NULL);
}

/*
 * An index past the table's limit: entry + decode only (no argument copy,
 * no service). The genuine stub shape, with the index in eax.
 */
static __attribute__((noinline)) void op_invalid_index(void)
{
	uint32_t st;

	asm volatile("pushl $0x1234\n\t"
		     "call 1f\n\t"
		     "jmp 2f\n"
		     "1:\tmovl $0x11c, %%eax\n\t"
		     "movl $0x7ffe0300, %%edx\n\t"
		     "call *(%%edx)\n\t"
		     "ret $4\n"
		     "2:"
		     : "=a" (st) : : "ecx", "edx", "memory", "cc");
	last_status = st;
}

static __attribute__((noinline)) void op_ntquerysystemtime(void)
{
	LARGE_INTEGER t;

	last_status = NtQuerySystemTime(&t);
	sink = (long)t.QuadPart;
}

/* SharedUserData->SystemTime, read the KSYSTEM_TIME way. */
static __attribute__((noinline)) void op_kuser_systemtime(void)
{
	volatile KUSER_SHARED_DATA *k = (void *)NT_KUSER_SHARED_DATA;
	uint32_t lo;
	int32_t hi;

	do {
		hi = k->SystemTime.High1Time;
		lo = k->SystemTime.LowPart;
	} while (hi != k->SystemTime.High2Time);
	sink = lo ^ hi;
}

static __attribute__((noinline)) void op_clock_gettime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	sink = ts.tv_nsec;
}

/* glibc's syscall(): through the vDSO's __kernel_vsyscall (sysenter). */
static __attribute__((noinline)) void op_close_vdso(void)
{
	sink = syscall(SYS_close, -1);
}

static __attribute__((noinline)) void op_close_int80(void)
{
	long ret;

	asm volatile("pushl %%ebx\n\t"
		     "movl $-1, %%ebx\n\t"
		     "int $0x80\n\t"
		     "popl %%ebx"
		     : "=a" (ret) : "0" (SYS_close) : "memory", "cc");
	sink = ret;
}

static __attribute__((noinline)) void op_getppid_vdso(void)
{
	sink = syscall(SYS_getppid);
}

static __attribute__((noinline)) void op_getppid_int80(void)
{
	long ret;

	asm volatile("int $0x80" : "=a" (ret) : "0" (SYS_getppid) : "memory", "cc");
	sink = ret;
}

/* Units per call of @fn, loop included: the minimum over the repeats. */
static double run(op_fn fn)
{
	double best = 0;
	uint64_t t0, t1;
	long i;
	int r;

	for (i = 0; i < iterations / 100 + 1; i++)
		fn();
	for (r = 0; r < repeats; r++) {
		t0 = now_ns();
		for (i = 0; i < iterations; i++)
			fn();
		t1 = now_ns();
		if (!r || (double)(t1 - t0) / iterations < best)
			best = (double)(t1 - t0) / iterations;
	}
	return best;
}

static double loop_cost;

static void report(const char *name, op_fn fn, int nt)
{
	volatile op_fn f = fn;	/* always the same indirect call */
	double v;

	last_status = 0;
	v = run(f) - loop_cost;
	if (nt)
		printf("raw %s %.2f 0x%08x\n", name, v, (unsigned int)last_status);
	else
		printf("raw %s %.2f linux\n", name, v);
	fflush(stdout);
}

static void usage(void)
{
	fprintf(stderr, "usage: ntbench [-n ITERATIONS] [-r REPEATS] attached|getppid\n");
	exit(2);
}

int main(int argc, char **argv)
{
	volatile op_fn empty = op_empty;
	const char *what;
	int c;

	while ((c = getopt(argc, argv, "n:r:")) != -1) {
		switch (c) {
		case 'n':
			iterations = atol(optarg);
			break;
		case 'r':
			repeats = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || iterations <= 0 || repeats <= 0)
		usage();
	what = argv[optind];
	loop_cost = run(empty);
	printf("raw loop %.2f linux\n", loop_cost);

	if (!strcmp(what, "getppid")) {
		report("getppid_vdso", op_getppid_vdso, 0);
		return 0;
	}
	if (strcmp(what, "attached"))
		usage();

	/* Linux side first: it does not depend on the gate. */
	report("close_vdso", op_close_vdso, 0);
	report("close_int80", op_close_int80, 0);
	report("getppid_vdso", op_getppid_vdso, 0);
	report("getppid_int80", op_getppid_int80, 0);
	report("clock_gettime_vdso", op_clock_gettime, 0);

	if (!NT_SUCCESS(NtpSetSystemCallGate(NTP_GATE_SYSENTER))) {
		fprintf(stderr, "ntbench: cannot select the sysenter gate (module?)\n");
		return 1;
	}
	report("kuser_systemtime", op_kuser_systemtime, 0);
	report("ntclose_sysenter", op_ntclose, 1);
	report("notimpl_sysenter", op_notimpl, 1);
	report("invalid_index_sysenter", op_invalid_index, 1);
	report("notimpl0_sysenter", op_notimpl_0, 1);
	report("notimpl44_sysenter", op_notimpl_0x44, 1);
	report("ntquerysystemtime_sysenter", op_ntquerysystemtime, 1);

	if (!NT_SUCCESS(NtpSetSystemCallGate(NTP_GATE_INT2E))) {
		fprintf(stderr, "ntbench: cannot select the int 0x2e gate\n");
		return 1;
	}
	report("ntclose_int2e", op_ntclose, 1);
	report("notimpl_int2e", op_notimpl, 1);
	report("invalid_index_int2e", op_invalid_index, 1);
	report("notimpl0_int2e", op_notimpl_0, 1);
	report("notimpl44_int2e", op_notimpl_0x44, 1);
	report("ntquerysystemtime_int2e", op_ntquerysystemtime, 1);
	return 0;
}
