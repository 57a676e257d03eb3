// SPDX-License-Identifier: GPL-2.0
/*
 * The NT entry path, through genuine XP stub layouts written out here (not
 * libntdll's), so that it is tested independently of the generator:
 *
 *   sysenter (XP SP2+ ntdll):  mov eax, N; mov edx, 0x7ffe0300;
 *                              call [edx]; ret M
 *   int 0x2e (NT 4 / 2000):    mov eax, N; lea edx, [esp + 4];
 *                              int 0x2e; ret M
 *
 * The XP ABI (see shared/design/entry-path.md): NTSTATUS in eax; ebx, esi,
 * edi and ebp preserved; an index past the table's limit gives
 * STATUS_INVALID_SYSTEM_SERVICE; arguments that cannot be read give
 * STATUS_ACCESS_VIOLATION (ReactOS KiSystemServiceHandler).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "ntpersonality.h"
#include "nt/kuser.h"

#define STATUS_NOT_IMPLEMENTED		0xC0000002u
#define STATUS_ACCESS_VIOLATION		0xC0000005u
#define STATUS_INVALID_SYSTEM_SERVICE	0xC000001Cu
#define STATUS_ACCESS_DENIED		0xC0000022u

/* Services that no one implements on this project (LPC ports). */
#define NR_NtAcceptConnectPort		0x000	/* 0x18 argument bytes */
#define NR_NtCompleteConnectPort	0x01d	/* 0x04 */

/*
 * Generic stubs: service number and argument words are passed the stdcall
 * way, so the argument block the kernel reads is the caller's stack.
 * nt_sysenter(nr, a0, ...) = mov eax, nr; then the genuine stub body.
 */
uint32_t __attribute__((stdcall)) nt_sysenter_6(uint32_t nr, uint32_t a0, uint32_t a1,
		uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5);
uint32_t __attribute__((stdcall)) nt_int2e_6(uint32_t nr, uint32_t a0, uint32_t a1,
		uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5);
/* Same, with an explicit argument pointer (int 0x2e passes it in edx). */
uint32_t nt_int2e_ptr(uint32_t nr, uint32_t args);
/*
 * Calls through [0x7ffe0300] with the arguments at @args: the stack is
 * moved just below it, leaving room for the stub's two return addresses.
 */
uint32_t nt_sysenter_on_stack(uint32_t nr, uint32_t stack);
/* Calls with ebx/esi/edi/ebp set to @canary + 1..4; returns non-zero if changed. */
uint32_t nt_regs_clobbered(uint32_t nr, int use_int2e, uint32_t canary);

asm(".text\n"
    /* nr is the first stack argument: pop it into eax, keep the rest */
    ".globl nt_sysenter_6\n"
    "nt_sysenter_6:\n"
    "	popl %ecx\n"			/* return address */
    "	popl %eax\n"			/* nr */
    "	pushl %ecx\n"
    "	movl $0x7ffe0300, %edx\n"
    "	call *(%edx)\n"
    "	ret $24\n"
    ".globl nt_int2e_6\n"
    "nt_int2e_6:\n"
    "	popl %ecx\n"
    "	popl %eax\n"
    "	pushl %ecx\n"
    "	leal 4(%esp), %edx\n"
    "	int $0x2e\n"
    "	ret $24\n"
    ".globl nt_int2e_ptr\n"
    "nt_int2e_ptr:\n"
    "	movl 4(%esp), %eax\n"
    "	movl 8(%esp), %edx\n"
    "	int $0x2e\n"
    "	ret\n"
    ".globl nt_sysenter_on_stack\n"
    "nt_sysenter_on_stack:\n"
    "	pushl %ebp\n"
    "	movl %esp, %ebp\n"
    "	movl 8(%ebp), %eax\n"
    "	movl 12(%ebp), %esp\n"
    "	subl $4, %esp\n"		/* the caller's return slot; call adds ours */
    "	movl $0x7ffe0300, %edx\n"
    "	call *(%edx)\n"
    "	movl %ebp, %esp\n"
    "	popl %ebp\n"
    "	ret\n"
    ".globl nt_regs_clobbered\n"
    "nt_regs_clobbered:\n"
    "	pushl %ebp\n"
    "	pushl %ebx\n"
    "	pushl %esi\n"
    "	pushl %edi\n"
    "	movl 20(%esp), %eax\n"		/* nr */
    "	movl 24(%esp), %ecx\n"		/* use_int2e */
    "	movl 28(%esp), %edx\n"		/* canary */
    "	leal 1(%edx), %ebx\n"
    "	leal 2(%edx), %esi\n"
    "	leal 3(%edx), %edi\n"
    "	leal 4(%edx), %ebp\n"
    "	pushl $0\n"			/* one argument word */
    "	testl %ecx, %ecx\n"
    "	jnz 1f\n"
    "	call 2f\n"
    "	jmp 3f\n"
    "1:	call 4f\n"
    "3:	movl 28(%esp), %edx\n"		/* the stubs popped their argument */
    "	xorl %eax, %eax\n"
    "	leal 1(%edx), %ecx; cmpl %ecx, %ebx; setne %al; orl %eax, %eax\n"
    "	leal 2(%edx), %ecx; cmpl %ecx, %esi; jne 5f\n"
    "	leal 3(%edx), %ecx; cmpl %ecx, %edi; jne 5f\n"
    "	leal 4(%edx), %ecx; cmpl %ecx, %ebp; jne 5f\n"
    "	jmp 6f\n"
    "5:	movl $1, %eax\n"
    "6:	popl %edi\n"
    "	popl %esi\n"
    "	popl %ebx\n"
    "	popl %ebp\n"
    "	ret\n"
    "2:	movl $0x7ffe0300, %edx\n"	/* genuine sysenter stub, ret 4 */
    "	call *(%edx)\n"
    "	ret $4\n"
    "4:	leal 4(%esp), %edx\n"		/* genuine int 0x2e stub, ret 4 */
    "	int $0x2e\n"
    "	ret $4\n");

/*
 * One NT call (one argument word) with EFLAGS.TF set from just before the
 * stub until just after it: every user instruction traps, and sysenter
 * enters the kernel with TF set (the trampoline must clear it, the kernel
 * must not warn about its steps, and the return must be by iret, which
 * restores TF).
 */
uint32_t nt_call_stepped(uint32_t nr, int use_int2e);

asm(".text\n"
    ".globl nt_call_stepped\n"
    "nt_call_stepped:\n"
    "	movl 4(%esp), %eax\n"
    "	movl 8(%esp), %ecx\n"
    "	pushl $0\n"
    "	pushfl\n"
    "	orl $0x100, (%esp)\n"
    "	popfl\n"
    "	testl %ecx, %ecx\n"
    "	jnz 11f\n"
    "	call 12f\n"
    "	jmp 13f\n"
    "11:	call 14f\n"
    "13:	pushfl\n"
    "	andl $~0x100, (%esp)\n"
    "	popfl\n"
    "	ret\n"
    "12:	movl $0x7ffe0300, %edx\n"
    "	call *(%edx)\n"
    "	ret $4\n"
    "14:	leal 4(%esp), %edx\n"
    "	int $0x2e\n"
    "	ret $4\n");

static int ntp_ioctl(unsigned long cmd, void *arg)
{
	int fd = open(NTP_DEVICE_PATH, O_RDWR), ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, cmd, arg) ? -errno : 0;
	close(fd);
	return ret;
}

static int attach(void)
{
	struct ntp_attach a = { 0 };

	return ntp_ioctl(NTP_IOC_ATTACH, &a);
}

static uint32_t call(int gate, uint32_t nr)
{
	return gate ? nt_int2e_6(nr, 0, 0, 0, 0, 0, 0) : nt_sysenter_6(nr, 0, 0, 0, 0, 0, 0);
}

FIXTURE(entry) {
};

/* The variant holds only the gate, as seccomp_bpf's TRACE variants do. */
FIXTURE_VARIANT(entry) {
	int gate;
};

FIXTURE_VARIANT_ADD(entry, sysenter) {
	.gate = NTP_GATE_SYSENTER,
};

FIXTURE_VARIANT_ADD(entry, int2e) {
	.gate = NTP_GATE_INT2E,
};

FIXTURE_SETUP(entry)
{
	uint32_t gate = variant->gate;

	ASSERT_EQ(0, ntp_ioctl(NTP_IOC_SET_GATE, &gate));
}

FIXTURE_TEARDOWN(entry)
{
}

TEST_F(entry, not_implemented_service)
{
	EXPECT_EQ(STATUS_NOT_IMPLEMENTED, call(variant->gate, NR_NtAcceptConnectPort));
	EXPECT_EQ(STATUS_NOT_IMPLEMENTED, call(variant->gate, NR_NtCompleteConnectPort));
}

TEST_F(entry, index_past_the_limit)
{
	/* table 0 has 284 services: 0x11c is the first invalid index */
	EXPECT_EQ(STATUS_INVALID_SYSTEM_SERVICE, call(variant->gate, 0x11c));
	EXPECT_EQ(STATUS_INVALID_SYSTEM_SERVICE, call(variant->gate, 0xfff));
	/* bits above 12 other than the table bit are ignored, as on XP */
	EXPECT_EQ(STATUS_NOT_IMPLEMENTED, call(variant->gate, 0x2000 | NR_NtAcceptConnectPort));
}

TEST_F(entry, empty_win32k_table)
{
	EXPECT_EQ(STATUS_INVALID_SYSTEM_SERVICE, call(variant->gate, 0x1000));
	EXPECT_EQ(STATUS_INVALID_SYSTEM_SERVICE, call(variant->gate, 0x1001));
}

TEST_F(entry, registers_preserved)
{
	EXPECT_EQ(0, nt_regs_clobbered(NR_NtCompleteConnectPort, variant->gate, 0x5a5a0000));
	EXPECT_EQ(0, nt_regs_clobbered(0x11c, variant->gate, 0xa5a50000));
}

TEST_F(entry, process_keeps_running_after_bad_calls)
{
	int i;

	for (i = 0; i < 1000; i++)
		ASSERT_EQ(STATUS_INVALID_SYSTEM_SERVICE, call(variant->gate, 0x11c + i));
	EXPECT_EQ(STATUS_NOT_IMPLEMENTED, call(variant->gate, NR_NtAcceptConnectPort));
}

static volatile sig_atomic_t steps;

static void on_sigtrap(int sig)
{
	steps++;
}

TEST_F(entry, single_step_through_the_call)
{
	struct sigaction sa = { .sa_handler = on_sigtrap }, old;

	ASSERT_EQ(0, sigaction(SIGTRAP, &sa, &old));
	steps = 0;
	EXPECT_EQ(STATUS_NOT_IMPLEMENTED, nt_call_stepped(NR_NtCompleteConnectPort, variant->gate));
	/* testl ... popfl: at least the stub's and the caller's instructions */
	EXPECT_LE(6, steps);
	steps = 0;
	EXPECT_EQ(STATUS_INVALID_SYSTEM_SERVICE, nt_call_stepped(0x11c, variant->gate));
	EXPECT_LE(6, steps);
	ASSERT_EQ(0, sigaction(SIGTRAP, &old, NULL));
	/* and the next call, without TF, still leaves normally */
	EXPECT_EQ(STATUS_NOT_IMPLEMENTED, call(variant->gate, NR_NtAcceptConnectPort));
}

struct segs {
	uint32_t cs, ds, es, fs, gs, ss;
};

static void read_segs(struct segs *s)
{
	asm volatile("mov %%cs, %0\n\tmov %%ds, %1\n\tmov %%es, %2\n\t"
		     "mov %%fs, %3\n\tmov %%gs, %4\n\tmov %%ss, %5"
		     : "=r"(s->cs), "=r"(s->ds), "=r"(s->es), "=r"(s->fs),
		       "=r"(s->gs), "=r"(s->ss));
}

/*
 * The entry saves and the exit (iret or sysexit) restores every user
 * segment: gs is glibc's TLS, fs the TEB's; sysexit reloads only fs.
 */
TEST_F(entry, segments_preserved)
{
	struct segs before, after;
	int i;

	read_segs(&before);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(STATUS_NOT_IMPLEMENTED, call(variant->gate, NR_NtAcceptConnectPort));
		EXPECT_EQ(STATUS_INVALID_SYSTEM_SERVICE, call(variant->gate, 0x11c));
	}
	read_segs(&after);
	EXPECT_EQ(before.cs & 0xffff, after.cs & 0xffff);
	EXPECT_EQ(before.ds & 0xffff, after.ds & 0xffff);
	EXPECT_EQ(before.es & 0xffff, after.es & 0xffff);
	EXPECT_EQ(before.fs & 0xffff, after.fs & 0xffff);
	EXPECT_EQ(before.gs & 0xffff, after.gs & 0xffff);
	EXPECT_EQ(before.ss & 0xffff, after.ss & 0xffff);
	EXPECT_NE(0, before.gs & 0xffff);	/* glibc's TLS: a real test */
}

/* Arguments on a page followed by an unmapped one. */
static char *two_pages_second_unmapped(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p + 4096, 4096))
		return NULL;
	return p;
}

TEST(unmapped_arguments_sysenter)
{
	char *p = two_pages_second_unmapped();

	ASSERT_NE(NULL, p);
	/* the stub's two return addresses fit, the arguments do not */
	EXPECT_EQ(STATUS_ACCESS_VIOLATION,
		  nt_sysenter_on_stack(NR_NtCompleteConnectPort, (uint32_t)(p + 4096)));
	/* the same stack, arguments readable: the call goes through */
	EXPECT_EQ(STATUS_NOT_IMPLEMENTED,
		  nt_sysenter_on_stack(NR_NtCompleteConnectPort, (uint32_t)(p + 4096 - 4)));
	/* an index past the limit is reported before the arguments are read */
	EXPECT_EQ(STATUS_INVALID_SYSTEM_SERVICE,
		  nt_sysenter_on_stack(0x11c, (uint32_t)(p + 4096)));
	munmap(p, 4096);
}

TEST(unmapped_and_kernel_arguments_int2e)
{
	char *p = two_pages_second_unmapped();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(STATUS_ACCESS_VIOLATION,
		  nt_int2e_ptr(NR_NtCompleteConnectPort, (uint32_t)(p + 4096)));
	/* straddling: 0x18 bytes starting 8 bytes before the hole */
	EXPECT_EQ(STATUS_ACCESS_VIOLATION,
		  nt_int2e_ptr(NR_NtAcceptConnectPort, (uint32_t)(p + 4096 - 8)));
	EXPECT_EQ(STATUS_NOT_IMPLEMENTED,
		  nt_int2e_ptr(NR_NtAcceptConnectPort, (uint32_t)(p + 4096 - 0x18)));
	/* kernel addresses fault like unmapped ones */
	EXPECT_EQ(STATUS_ACCESS_VIOLATION, nt_int2e_ptr(NR_NtCompleteConnectPort, 0xc0000000));
	EXPECT_EQ(STATUS_ACCESS_VIOLATION, nt_int2e_ptr(NR_NtCompleteConnectPort, 0xfffffffc));
	EXPECT_EQ(STATUS_ACCESS_VIOLATION, nt_int2e_ptr(NR_NtCompleteConnectPort, 0));
	/* zero argument bytes read nothing: any pointer will do */
	munmap(p, 4096);
}

TEST(kernel_address_arguments_sysenter)
{
	/* A stack whose arguments would be at 0xc0000000: the top user page. */
	char *p = mmap((void *)0xbffff000, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (char *)0xbffff000)
		SKIP(return, "the top user page is in use here");
	EXPECT_EQ(STATUS_ACCESS_VIOLATION,
		  nt_sysenter_on_stack(NR_NtCompleteConnectPort, 0xc0000000));
	EXPECT_EQ(STATUS_NOT_IMPLEMENTED,
		  nt_sysenter_on_stack(NR_NtCompleteConnectPort, 0xbffffffc));
	munmap(p, 4096);
}

static const volatile KUSER_SHARED_DATA *kuser = (void *)NT_KUSER_SHARED_DATA;

static uint64_t ksystem_time(const volatile KSYSTEM_TIME *t)
{
	int32_t hi;
	uint32_t lo;

	do {
		hi = t->High1Time;
		lo = t->LowPart;
	} while (hi != t->High2Time);
	return (uint64_t)(uint32_t)hi << 32 | lo;
}

TEST(shared_user_data_fields)
{
	static const char root[] = "C:\\WINDOWS";
	int i;

	EXPECT_EQ(5, kuser->NtMajorVersion);
	EXPECT_EQ(1, kuser->NtMinorVersion);
	EXPECT_EQ(1, kuser->NtProductType);
	EXPECT_EQ(1, kuser->ProductTypeIsValid);
	EXPECT_EQ(0xc3, kuser->TestRetInstruction);
	EXPECT_EQ(0x14c, kuser->ImageNumberLow);
	EXPECT_EQ(1u << 24, kuser->TickCountMultiplier);
	EXPECT_EQ(NT_KUSER_KI_FAST_SYSTEM_CALL, kuser->SystemCall);
	EXPECT_EQ(NT_KUSER_KI_FAST_SYSTEM_CALL_RET, kuser->SystemCallReturn);
	/* KiFastSystemCall: mov edx, esp; std; sysenter -- KiFastSystemCallRet: ret */
	EXPECT_EQ(0, memcmp((void *)NT_KUSER_KI_FAST_SYSTEM_CALL, "\x8b\xd4\xfd\x0f\x34", 5));
	EXPECT_EQ(0xc3, *(uint8_t *)NT_KUSER_KI_FAST_SYSTEM_CALL_RET);
	EXPECT_EQ(0, memcmp((void *)NT_KUSER_KI_INT_SYSTEM_CALL, "\x8d\x54\x24\x08\xcd\x2e\xc3", 7));
	for (i = 0; root[i]; i++)
		EXPECT_EQ(root[i], kuser->NtSystemRoot[i]);
	EXPECT_EQ(0, kuser->NtSystemRoot[i]);
	/* every i686 with PAE has cmpxchg8b and rdtsc */
	EXPECT_EQ(1, kuser->ProcessorFeatures[PF_COMPARE_EXCHANGE_DOUBLE]);
	EXPECT_EQ(1, kuser->ProcessorFeatures[PF_RDTSC_INSTRUCTION_AVAILABLE]);
	EXPECT_EQ(1, kuser->ProcessorFeatures[PF_PAE_ENABLED]);
}

TEST(shared_user_data_is_read_only)
{
	EXPECT_EQ(-1, mprotect((void *)NT_KUSER_SHARED_DATA, 4096, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
}

TEST_SIGNAL(shared_user_data_write_faults, SIGSEGV)
{
	((volatile KUSER_SHARED_DATA *)kuser)->NtMajorVersion = 6;
}

TEST(system_time_matches_linux)
{
	struct timespec ts;
	uint64_t nt, linux_100ns;

	ASSERT_EQ(0, clock_gettime(CLOCK_REALTIME, &ts));
	nt = ksystem_time(&kuser->SystemTime);
	linux_100ns = (uint64_t)ts.tv_sec * 10000000 + ts.tv_nsec / 100 +
		      116444736000000000ull;
	EXPECT_GT(10000000ll, llabs((long long)(nt - linux_100ns)))
		TH_LOG("SystemTime %llu vs Linux %llu", (unsigned long long)nt,
		       (unsigned long long)linux_100ns);
}

TEST(clocks_advance)
{
	uint64_t it0 = ksystem_time(&kuser->InterruptTime);
	uint64_t tc0 = ksystem_time(&kuser->TickCount);
	uint32_t low0 = kuser->TickCountLowDeprecated;
	struct timespec d = { 0, 50 * 1000 * 1000 };
	uint64_t it1, tc1;

	nanosleep(&d, NULL);
	it1 = ksystem_time(&kuser->InterruptTime);
	tc1 = ksystem_time(&kuser->TickCount);
	/* 50 ms = 500,000 x 100 ns; ticks are ms; allow one 4 ms tick of lag */
	EXPECT_LE(460000, it1 - it0);
	EXPECT_LE(46, tc1 - tc0);
	EXPECT_LE(46, kuser->TickCountLowDeprecated - low0);
}

TEST(set_gate_switches_system_call)
{
	uint32_t gate = NTP_GATE_INT2E;

	ASSERT_EQ(0, ntp_ioctl(NTP_IOC_SET_GATE, &gate));
	EXPECT_EQ(NT_KUSER_KI_INT_SYSTEM_CALL, kuser->SystemCall);
	EXPECT_EQ(STATUS_NOT_IMPLEMENTED, call(NTP_GATE_SYSENTER, NR_NtAcceptConnectPort));
	gate = NTP_GATE_SYSENTER;
	ASSERT_EQ(0, ntp_ioctl(NTP_IOC_SET_GATE, &gate));
	EXPECT_EQ(NT_KUSER_KI_FAST_SYSTEM_CALL, kuser->SystemCall);
	gate = 2;
	EXPECT_EQ(-EINVAL, ntp_ioctl(NTP_IOC_SET_GATE, &gate));
}

/*
 * Linux calls through the vDSO's sysenter from an attached task must still
 * be Linux calls: glibc's getpid() mixed with NT calls on both gates.
 */
TEST(vdso_linux_calls_mixed_with_nt_calls)
{
	pid_t pid = getpid();
	long i, bad_linux = 0, bad_nt = 0;

	for (i = 0; i < 1000000; i++) {
		if (syscall(SYS_getpid) != pid)
			bad_linux++;
		if ((i & 15) == 0 && call(i & 16, NR_NtAcceptConnectPort) != STATUS_NOT_IMPLEMENTED)
			bad_nt++;
	}
	EXPECT_EQ(0, bad_linux);
	EXPECT_EQ(0, bad_nt);
}

static void *thread_calls(void *arg)
{
	long i, bad = 0;

	for (i = 0; i < 20000; i++)
		if (call(i & 1, NR_NtAcceptConnectPort) != STATUS_NOT_IMPLEMENTED)
			bad++;
	return (void *)bad;
}

TEST(threads_share_the_personality)
{
	pthread_t t[4];
	void *bad;
	int i;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, thread_calls, NULL));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &bad));
		EXPECT_EQ(NULL, bad);
	}
}

/* debugfs: "<index> <name> <calls>" per service called (CounterTable) */
static long service_count(const char *name)
{
	FILE *f = fopen("/sys/kernel/debug/ntpersonality/counters", "r");
	char line[256], n[128];
	unsigned int idx;
	long calls, found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %127s %ld", &idx, n, &calls) == 3 && !strcmp(n, name))
			found = calls;
	fclose(f);
	return found;
}

#define COUNT_PARAM "/sys/module/ntpersonality/parameters/count_services"

/* Y or N into count_services; 0 on success */
static int count_services(char c)
{
	int fd = open(COUNT_PARAM, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, &c, 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

/* Counting is off by default (XP counts only in checked builds). */
TEST(debugfs_counters_count_each_call)
{
	long before = service_count("NtCompleteConnectPort"), after;
	int i;

	if (before < 0)
		SKIP(return, "debugfs is not mounted");
	for (i = 0; i < 10; i++)
		call(i & 1, NR_NtCompleteConnectPort);
	EXPECT_EQ(before, service_count("NtCompleteConnectPort"));

	ASSERT_EQ(0, count_services('Y'));
	for (i = 0; i < 10; i++)
		call(i & 1, NR_NtCompleteConnectPort);
	/* invalid indexes and unreadable arguments are not counted */
	call(0, 0x11c);
	nt_int2e_ptr(NR_NtCompleteConnectPort, 0xc0000000);
	after = service_count("NtCompleteConnectPort");
	EXPECT_EQ(0, count_services('N'));
	EXPECT_EQ(before + 10, after);
	call(0, NR_NtCompleteConnectPort);
	EXPECT_EQ(after, service_count("NtCompleteConnectPort"));
}

/*
 * seccomp filters see only Linux system calls, so NT calls must not be a
 * way around them: a confined task gets STATUS_ACCESS_DENIED for every NT
 * call and cannot attach.
 */
static int seccomp_allow_all(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &allow };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

TEST(seccomp_denies_nt_calls)
{
	ASSERT_EQ(STATUS_NOT_IMPLEMENTED, call(0, NR_NtAcceptConnectPort));
	ASSERT_EQ(0, seccomp_allow_all());
	EXPECT_EQ(STATUS_ACCESS_DENIED, call(0, NR_NtAcceptConnectPort));
	EXPECT_EQ(STATUS_ACCESS_DENIED, call(1, NR_NtAcceptConnectPort));
	/* Linux calls still go through the vDSO */
	EXPECT_EQ(getpid(), syscall(SYS_getpid));
}

TEST(seccomp_refuses_attach)
{
	struct ntp_attach a = { .flags = NTP_ATTACH_ON_EXEC };

	ASSERT_EQ(0, ntp_ioctl(NTP_IOC_DETACH, NULL));
	ASSERT_EQ(0, seccomp_allow_all());
	EXPECT_EQ(-EPERM, attach());
	EXPECT_EQ(-EPERM, ntp_ioctl(NTP_IOC_ATTACH, &a));
}

/* Without the personality, int 0x2e is the #GP of a DPL-0 gate. */
TEST_SIGNAL(detached_int2e_is_sigsegv, SIGSEGV)
{
	ASSERT_EQ(0, ntp_ioctl(NTP_IOC_DETACH, NULL));
	nt_int2e_ptr(NR_NtAcceptConnectPort, 0);
}

TEST(unattached_exec_int2e_is_sigsegv)
{
	char self[4096];
	pid_t pid;
	int st;

	ASSERT_LT(0, readlink("/proc/self/exe", self, sizeof(self) - 1));
	self[readlink("/proc/self/exe", self, sizeof(self) - 1)] = 0;
	pid = fork();
	if (pid == 0) {
		/* exec drops the personality: the same binary, unattached */
		execl(self, self, "--int2e-unattached", NULL);
		_exit(99);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(SIGSEGV, WTERMSIG(st));
}

static volatile sig_atomic_t got_signal;

static void on_sigusr1(int sig)
{
	got_signal = 1;
}

TEST(signal_handler_runs_after_nt_call)
{
	/* a signal pending at the NT call is delivered on its way out */
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	sigset_t set, old;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, &old));
	ASSERT_EQ(0, kill(getpid(), SIGUSR1));
	ASSERT_EQ(0, sigprocmask(SIG_SETMASK, &old, NULL));
	EXPECT_EQ(1, got_signal);
	got_signal = 0;
	/* the NT call itself is not disturbed by a handler running around it */
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, &old));
	ASSERT_EQ(0, kill(getpid(), SIGUSR1));
	EXPECT_EQ(STATUS_NOT_IMPLEMENTED, call(0, NR_NtAcceptConnectPort));
	ASSERT_EQ(0, sigprocmask(SIG_SETMASK, &old, NULL));
	EXPECT_EQ(1, got_signal);
}

/*
 * entry --hammer SECONDS: NT calls through both gates, checked, for the SMP
 * stress test (scripts/tests/entry-smp-stress). Exits 0 if every call
 * returned what it must.
 */
static int hammer(int seconds)
{
	time_t end = time(NULL) + seconds;
	unsigned long calls = 0, bad = 0;

	do {
		int i;

		for (i = 0; i < 256; i++, calls++) {
			if (call(i & 1, NR_NtAcceptConnectPort) != STATUS_NOT_IMPLEMENTED)
				bad++;
			if (call(i & 2, 0x11c + i) != STATUS_INVALID_SYSTEM_SERVICE)
				bad++;
			if (syscall(SYS_getppid) <= 0)
				bad++;
		}
	} while (time(NULL) < end);
	printf("hammer %d: %lu rounds, %lu bad\n", getpid(), calls, bad);
	return bad != 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "--hammer"))
		return attach() ? 2 : hammer(atoi(argv[2]));
	if (argc > 1 && !strcmp(argv[1], "--int2e-unattached")) {
		nt_int2e_ptr(NR_NtAcceptConnectPort, 0);
		return 0;	/* not reached: SIGSEGV */
	}
	if (attach()) {
		perror("entry: attach");
		return 1;
	}
	return test_harness_run(argc, argv);
}
