// SPDX-License-Identifier: GPL-2.0
/*
 * NT system call fuzzer: random calls through both gates (sysenter and
 * int 0x2e) with argument words drawn from a biased pool, in attached
 * child processes that a supervisor restarts when one dies.
 *
 *   fuzz [--seed N] [--calls N] [--chunk N] [--start N] [--plant-crash]
 *	  [--verbose]
 *
 * Reproducible: every call's service, gate and arguments are a function of
 * (seed, call number) only, so `--seed S` replays a run and
 * `--seed S --start I --calls 1` the single call I (the kernel state that
 * earlier calls built is not replayed). The seed is printed first.
 *
 * Calls run in chunks (--chunk, default 2000) in a fresh child each: the
 * child attaches (NtpAttach), selects the chunk's gate (even chunks
 * sysenter, odd int 0x2e) and its user (chunks 2 and 3 of every 4 run as
 * the unprivileged uid 1000, attached as that user: issue 12), creates
 * real objects for the handle pool with
 * whatever services this build implements, then issues the chunk's calls.
 * It publishes the call number and service in shared memory before every
 * call, so the supervisor names the call that killed or hung it and
 * restarts the next child after it.
 *
 * Verdict (TAP, kselftest.h):
 *  - no child died from a signal or exited non-zero; a child that makes no
 *    progress for 10 s is sent SIGALRM (which must end an NT wait with
 *    STATUS_USER_APC) and, still stuck 10 s later, SIGKILL: a failure;
 *  - the kernel log written during the run (read from /dev/kmsg) has no
 *    BUG/Oops/WARNING/GPF/Call Trace/lockup/hung task/KFENCE/UBSAN line
 *    (scripts/ntvm checks the whole boot's log again);
 *  - the object manager's debugfs counters (ntpersonality/ob/objects and
 *    ob/handles, when this build has them) are back at their start values
 *    after the last child is gone (SKIP when they do not exist);
 *  - planted_crash_detected: the supervisor itself is checked on a
 *    planted fault: a child that dies by SIGSEGV at a chosen call must be
 *    reported as a failure naming that call. This proves the death
 *    detection and restart path, not that a kernel bug would make a child
 *    die (a kernel oops is caught by the kmsg scan and by ntvm).
 *    --plant-crash makes the main run do the same (it must then FAIL).
 *
 * Argument words: each service's argument kinds come from the spec
 * (NtpServiceInfo: p pointer, h handle, others integers); a word is drawn
 * 70 % from its kind's pool and 15 % from each of the others. Pools:
 *  - integers: 0, 1, -1, -2, small ints, powers of two, access masks,
 *    huge lengths (0x7ffffffe, 0xfffffff0, 0x40000000), values in the
 *    kernel half and the null page; never an address of the fuzzer's own
 *    text, heap or stack, so that services which legitimately write to
 *    user memory cannot corrupt the fuzzer itself;
 *  - handles: real handles created by the child (event, mutant,
 *    semaphore, timer, keyed event, directory, section, file, directory
 *    file, own process, registry keys, a file holding a saved hive), a closed handle, pseudo-handles -1/-2, 0, 4,
 *    0x1234, tag bits set, kernel-handle bit, 0xfffffffc;
 *  - pointers into scratch memory: valid read-write buffers (filled with
 *    pool words), a read-only page, an unmapped page, a guard page
 *    (PROT_NONE), the last bytes before a guard page (page-straddling),
 *    misaligned addresses, kernel addresses (0xc0000000+), NULL, the
 *    read-only SharedUserData page, and structures rebuilt before every
 *    call: UNICODE_STRINGs with true and lying lengths (odd, larger than
 *    MaximumLength, 0xfffe, NULL or kernel Buffer), OBJECT_ATTRIBUTES
 *    (right and wrong Length, lying names, fuzzed attributes and roots),
 *    capped timeouts, handle arrays, CLIENT_IDs. Names only ever point
 *    into \??\unix\tmp\ntfuzz (a small tmpfs when mountable) and
 *    \BaseNamedObjects\ntfuzz*.
 *
 * EXCLUDED services and FORCED arguments are listed in rules[] below,
 * each with the reason: only calls that would legitimately end or wreck
 * the fuzzer (or the VM shared with the following tests) are excluded.
 * SANDBOX services (thread creation, contexts, NtContinue, APCs,
 * suspension, termination) may end, stop or redirect their caller: one
 * call in eight of them runs in a child forked for it, whose death is
 * expected (sandbox()).
 * One attribute is excluded too, in root's chunks only: OBJ_PERMANENT (see
 * build_structs()).
 * Every scratch region is fenced by PROT_NONE pages (setup_scratch()).
 *
 * Budget: `make check` runs the default 200,000 calls in the VM; see
 * docs/reliability.md for the measured time.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ntdll.h>
#include <nt/kuser.h>
#include "kselftest.h"
#include "kernel_checks.h"
#include "nt_become.h"

#define MAX_SERVICES	0x11c		/* table 0 of XP SP3 */
#define ARG_WORDS	17		/* 0x44 bytes, XP's largest */
#define PAGE		4096u
#define FUZZ_DIR	"/tmp/ntfuzz"
#define FUZZ_NT		"\\??\\unix\\tmp\\ntfuzz"	/* FUZZ_DIR as an NT path */
#define STALL_SECONDS	10

/* ---- what must not be called, or not with fuzzed words ---------------- */

enum rule_kind {
	EXCLUDE,	/* never called */
	FORCE_TIMEOUT,	/* argument @arg points at a capped timeout (or is 0 ms) */
	FORCE_ZERO,	/* argument @arg is 0 */
	SANDBOX,	/* called in a child of the chunk's whose death is expected */
	FORCE_TRUE,	/* argument @arg is 1 (a BOOLEAN Asynchronous) */
	FORCE_ASYNC_APC,	/* as FORCE_TRUE; ApcRoutine @apc is 0 or noop_apc */
};

/*
 * Names are written without their "Nt" prefix so that the coverage table
 * (docs/services.md, which credits a selftest with every NtXxx it names)
 * does not count an excluded service as tested by the fuzzer.
 */
struct rule {
	const char *name;		/* service name minus "Nt" */
	enum rule_kind kind;
	int arg;
	const char *why;
	int apc;			/* FORCE_ASYNC_APC: ApcRoutine's index */
};

static const struct rule rules[] = {
	/* ending the fuzzer: in a sandbox child (see sandbox()) */
	{ "TerminateProcess", SANDBOX, 0, "0, -1 and our own handles end the caller" },
	{ "TerminateThread", SANDBOX, 0, "0, -2 and our own thread handles end the caller" },
	{ "TerminateJobObject", EXCLUDE, 0, "would kill the fuzzer if it were in the job" },
	{ "AssignProcessToJobObject", EXCLUDE, 0, "puts the fuzzer in a job (see above)" },
	/* control transfer to fuzzed contexts/addresses, by design */
	{ "RaiseException", EXCLUDE, 0, "dispatches to a fuzzed context: fuzzed by raise_children()" },
	{ "Continue", SANDBOX, 0, "resumes at a fuzzed CONTEXT" },
	{ "SetContextThread", SANDBOX, 0, "sets our own registers to fuzzed values" },
	{ "CallbackReturn", EXCLUDE, 0, "returns from a user-mode callback that never happened" },
	{ "QueueApcThread", SANDBOX, 0, "queues an APC to a fuzzed routine on our thread" },
	{ "CreateThread", SANDBOX, 0, "starts a thread at a fuzzed eip/stack" },
	{ "CreateProcess", SANDBOX, 0, "a child of a fuzzed section; the sandbox's end ends it" },
	{ "CreateProcessEx", SANDBOX, 0, "as CreateProcess" },
	{ "SetLdtEntries", EXCLUDE, 0, "rewrites our LDT (segment registers)" },
	{ "VdmControl", EXCLUDE, 0, "virtual-8086 mode control" },
	{ "DebugActiveProcess", EXCLUDE, 0, "stops the fuzzer on debug events nobody reads" },
	{ "SetTimer", FORCE_ZERO, 2, "TimerApcRoutine would be a fuzzed address" },
	{ "ReadFile", FORCE_ZERO, 2, "ApcRoutine would be a fuzzed address" },
	{ "WriteFile", FORCE_ZERO, 2, "ApcRoutine" },
	{ "ReadFileScatter", FORCE_ZERO, 2, "ApcRoutine" },
	{ "WriteFileGather", FORCE_ZERO, 2, "ApcRoutine" },
	{ "DeviceIoControlFile", FORCE_ZERO, 2, "ApcRoutine" },
	{ "FsControlFile", FORCE_ZERO, 2, "ApcRoutine" },
	{ "LockFile", FORCE_ZERO, 2, "ApcRoutine" },
	{ "NotifyChangeDirectoryFile", FORCE_ZERO, 2, "ApcRoutine" },
	{ "QueryDirectoryFile", FORCE_ZERO, 2, "ApcRoutine" },
	/*
	 * A synchronous registry watch waits for a change nobody makes; the
	 * completion APC of an asynchronous one would run a fuzzed address at
	 * our next alertable wait: a real no-op routine instead.
	 */
	{ "NotifyChangeKey", FORCE_ASYNC_APC, 9, "Asynchronous; ApcRoutine", 2 },
	{ "NotifyChangeMultipleKeys", FORCE_ASYNC_APC, 11, "as NotifyChangeKey", 4 },
	/* stopping the fuzzer */
	{ "SuspendProcess", SANDBOX, 0, "suspends ourselves; nobody resumes us" },
	{ "SuspendThread", SANDBOX, 0, "as SuspendProcess" },
	/* our own memory: the base comes from fuzzed memory and may be ours */
	{ "FreeVirtualMemory", EXCLUDE, 0, "may free the fuzzer's own scratch/heap/stack" },
	{ "UnmapViewOfSection", EXCLUDE, 0, "may unmap the fuzzer's own memory" },
	{ "ProtectVirtualMemory", EXCLUDE, 0, "may make the fuzzer's own memory inaccessible" },
	{ "WriteVirtualMemory", EXCLUDE, 0, "writes our own memory (only self handles exist)" },
	{ "FreeUserPhysicalPages", EXCLUDE, 0, "AWE: may remove our own pages" },
	{ "MapUserPhysicalPages", EXCLUDE, 0, "AWE: may remap our own pages" },
	{ "MapUserPhysicalPagesScatter", EXCLUDE, 0, "AWE: as above" },
	/* waits: cap the timeout (the supervisor still catches a hang) */
	{ "DelayExecution", FORCE_TIMEOUT, 1, "huge or absolute delays" },
	{ "WaitForSingleObject", FORCE_TIMEOUT, 2, "NULL timeout = forever" },
	{ "WaitForMultipleObjects", FORCE_TIMEOUT, 4, "NULL timeout = forever" },
	{ "SignalAndWaitForSingleObject", FORCE_TIMEOUT, 3, "NULL timeout = forever" },
	{ "WaitForKeyedEvent", FORCE_TIMEOUT, 3, "NULL timeout = forever" },
	{ "ReleaseKeyedEvent", FORCE_TIMEOUT, 3, "waits for a waiter, NULL = forever" },
	{ "RemoveIoCompletion", FORCE_TIMEOUT, 4, "NULL timeout = forever" },
	{ "WaitForDebugEvent", FORCE_TIMEOUT, 2, "NULL timeout = forever" },
	{ "ReplyWaitReceivePortEx", FORCE_TIMEOUT, 4, "NULL timeout = forever" },
	/* waits that have no timeout at all */
	{ "WaitHighEventPair", EXCLUDE, 0, "waits without timeout" },
	{ "WaitLowEventPair", EXCLUDE, 0, "waits without timeout" },
	{ "SetHighWaitLowEventPair", EXCLUDE, 0, "waits without timeout" },
	{ "SetLowWaitHighEventPair", EXCLUDE, 0, "waits without timeout" },
	{ "ReplyWaitReceivePort", EXCLUDE, 0, "LPC receive without timeout" },
	{ "ReplyWaitReplyPort", EXCLUDE, 0, "LPC wait without timeout" },
	{ "RequestWaitReplyPort", EXCLUDE, 0, "LPC wait without timeout" },
	{ "ListenPort", EXCLUDE, 0, "LPC listen without timeout" },
	{ "ConnectPort", EXCLUDE, 0, "waits for a server without timeout" },
	{ "SecureConnectPort", EXCLUDE, 0, "as ConnectPort" },
	/* system-wide state of the VM shared with the following tests */
	{ "ShutdownSystem", EXCLUDE, 0, "shuts the VM down" },
	{ "SetSystemPowerState", EXCLUDE, 0, "power state of the VM" },
	{ "InitiatePowerAction", EXCLUDE, 0, "power state of the VM" },
	{ "SetSystemTime", EXCLUDE, 0, "changes the VM clock for later tests" },
	{ "SetSystemInformation", EXCLUDE, 0, "system-wide settings" },
	{ "SetSystemEnvironmentValue", EXCLUDE, 0, "firmware variables" },
	{ "LoadDriver", EXCLUDE, 0, "loads kernel code" },
	{ "UnloadDriver", EXCLUDE, 0, "unloads kernel code" },
	{ "SystemDebugControl", EXCLUDE, 0, "kernel debugger control" },
	/*
	 * As root, with a hive the fuzzer saved in its directory as NewFile,
	 * it would stage that hive to replace the machine's at the next
	 * module load, on a machine that persists the registry: the names
	 * are still fuzzed and opened (checked before the handle), the key
	 * handle is always 0.
	 */
	{ "ReplaceKey", FORCE_ZERO, 1, "would replace a persisted hive at the next load" },
};

/* ---- deterministic randomness: f(seed, call) ------------------------- */

static uint64_t rng;

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 32);
}

static uint32_t pick(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* ---- the generic stub ------------------------------------------------ */

/*
 * nt_call(nr, args): ARG_WORDS words copied onto the stack, then the
 * genuine XP stub body (mov eax, nr; mov edx, 0x7ffe0300; call [edx]),
 * so that SharedUserData->SystemCall picks the gate. The stub's caller
 * pops the words (the kernel reads only Number[nr] bytes of them).
 */
uint32_t nt_call(uint32_t nr, const uint32_t *args);
asm(".text\n"
    ".globl nt_call\n"
    "nt_call:\n"
    "	pushl %ebp\n"
    "	movl %esp, %ebp\n"
    "	pushl %esi\n"
    "	pushl %edi\n"
    "	subl $68, %esp\n"
    "	movl 12(%ebp), %esi\n"
    "	movl %esp, %edi\n"
    "	movl $17, %ecx\n"
    "	cld\n"
    "	rep movsl\n"
    "	movl 8(%ebp), %eax\n"
    "	call 1f\n"
    "	leal -8(%ebp), %esp\n"
    "	popl %edi\n"
    "	popl %esi\n"
    "	popl %ebp\n"
    "	ret\n"
    "1:	movl $0x7ffe0300, %edx\n"
    "	call *(%edx)\n"
    "	ret\n");

/* ---- state shared with the children --------------------------------- */

struct progress {
	volatile uint32_t call;		/* call number in flight */
	volatile uint32_t service;	/* its service number */
	volatile uint32_t done;		/* calls finished by this child */
	volatile uint32_t ticks;	/* bumped per call: the watchdog's pulse */
	volatile uint32_t statuses[4];	/* success, info/warning, error, other */
};

static struct progress *prog;
static uint64_t seed;
static int verbose;
static int fuzz_as_user;		/* this child's chunk runs as NT_TEST_UID */

static int rule_of[MAX_SERVICES];		/* index into rules[] + 1, or 0 */
static const char *kinds_of[MAX_SERVICES];
static unsigned int nargs_of[MAX_SERVICES];
static const char *name_of[MAX_SERVICES];

static uint32_t service_index(const char *name)
{
	uint32_t i;

	for (i = 0; i < MAX_SERVICES; i++)
		if (name_of[i] && !strcmp(name_of[i], name))
			return i;
	return UINT32_MAX;
}

/* The same, for a rule's name without "Nt". */
static uint32_t rule_index(const char *suffix)
{
	uint32_t i;

	for (i = 0; i < MAX_SERVICES; i++)
		if (name_of[i] && !strncmp(name_of[i], "Nt", 2) &&
		    !strcmp(name_of[i] + 2, suffix))
			return i;
	return UINT32_MAX;
}

static int load_services(void)
{
	uint32_t i;
	size_t r;

	for (i = 0; i < MAX_SERVICES; i++) {
		const struct ntp_service_info *si = NtpServiceInfo(i);

		if (!si)
			return -1;
		name_of[i] = si->name;
		kinds_of[i] = si->kinds;
		nargs_of[i] = si->nargs;
	}
	for (r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		i = rule_index(rules[r].name);
		if (i == UINT32_MAX) {
			ksft_print_msg("rule for unknown service Nt%s\n", rules[r].name);
			return -1;
		}
		rule_of[i] = r + 1;
	}
	return 0;
}

/* ---- the pools ------------------------------------------------------- */

#define SCRATCH_PAGES	16
struct scratch {
	uint8_t *rw;		/* SCRATCH_PAGES read-write pages */
	uint8_t *ro;		/* one read-only page */
	uint8_t *unmapped;	/* one page, unmapped */
	uint8_t *guarded;	/* one read-write page, then a PROT_NONE guard */
	uint8_t *structs;	/* one page of structures rebuilt per call */
};
static struct scratch sc;

static const uint32_t int_pool[] = {
	0, 1, 2, 3, 4, 7, 8, 0x10, 0x18, 0x20, 0x40, 0x80, 0x100, 0x200,
	0x1000, 0x10000, 0xffff, 0x7fff, 0xfffe,
	0xffffffff, 0xfffffffe, 0x7fffffff, 0x80000000, 0x7ffffffe,
	0xfffffff0, 0x40000000,
	0x001f0003, 0x001f0001, 0x000f000f, 0x10000000, 0x02000000,
	0x80000000 | 0x40000000, 0x00100000, 0x120089, 0x120116,
};

static const uint32_t kernel_ptrs[] = {
	0xc0000000, 0xc0001000, 0xc1000000, 0xd0000000, 0xf7ff0000,
	0xffffe000, 0xfffff000, 0xfffffffc, 0xbffffffc,
};

static uint32_t handle_pool[24];
static unsigned int handle_count;
static uint32_t own_process;		/* the chunk child's NtOpenProcess handle */

static uint32_t random_int(void)
{
	switch (pick(8)) {
	case 0:
		return pick(0x100);			/* small */
	case 1:
		return 0xc0000000 | rnd();		/* kernel half */
	case 2:
		return pick(0x10000);			/* null page area */
	default:
		return int_pool[pick(sizeof(int_pool) / sizeof(int_pool[0]))];
	}
}

static uint32_t random_handle(void)
{
	static const uint32_t fixed[] = {
		0, 0xffffffff, 0xfffffffe, 4, 8, 0x1234, 0xfffffffc,
		0x80000004, 0x7ffffffc,
	};
	uint32_t h;

	if (handle_count && pick(3)) {
		h = handle_pool[pick(handle_count)];
		switch (pick(8)) {
		case 0:
			return h | 1;		/* tag bits (ignored by NT) */
		case 1:
			return h | 3;
		default:
			return h;
		}
	}
	return fixed[pick(sizeof(fixed) / sizeof(fixed[0]))];
}

/* The structures page, rebuilt before every call. Offsets within it: */
#define S_NAMEBUF	0x000	/* UTF-16 names, 0x200 bytes */
#define S_USTR		0x200	/* 8 UNICODE_STRINGs */
#define S_OA		0x240	/* 8 OBJECT_ATTRIBUTES */
#define S_TIMEOUT	0x300	/* LARGE_INTEGERs */
#define S_HANDLES	0x340	/* handle array (64 entries) */
#define S_CID		0x440	/* CLIENT_IDs */
#define S_SIZES		0x460	/* SIZE_T / LARGE_INTEGER in-out values */

static void put_name(WCHAR *dst, const char *src)
{
	while (*src)
		*dst++ = (unsigned char)*src++;
	*dst = 0;
}

static uint32_t sptr(unsigned int off)
{
	return (uint32_t)(uintptr_t)(sc.structs + off);
}

static void build_structs(void)
{
	static const char *const names[] = {
		FUZZ_NT "\\f0",
		FUZZ_NT "\\d0\\f1",
		"\\BaseNamedObjects\\ntfuzz0",
		"\\BaseNamedObjects\\ntfuzz1",
		"ntfuzz2",
		"\\ntfuzz3",
		FUZZ_NT,
		"",
	};
	UNICODE_STRING *us = (void *)(sc.structs + S_USTR);
	OBJECT_ATTRIBUTES *oa = (void *)(sc.structs + S_OA);
	LARGE_INTEGER *to = (void *)(sc.structs + S_TIMEOUT);
	uint32_t *h = (void *)(sc.structs + S_HANDLES);
	uint32_t *w;
	unsigned int i, len;

	for (i = 0; i < 8; i++) {
		WCHAR *buf = (WCHAR *)(sc.structs + S_NAMEBUF + i * 0x40);

		put_name(buf, names[i]);
		len = strlen(names[i]) * 2;
		us[i].Buffer = buf;
		switch (pick(10)) {
		case 0:		/* Length > MaximumLength */
			us[i].Length = len + 2;
			us[i].MaximumLength = len;
			break;
		case 1:		/* odd */
			us[i].Length = len | 1;
			us[i].MaximumLength = len | 1;
			break;
		case 2:		/* huge, running off the page */
			us[i].Length = 0xfffe;
			us[i].MaximumLength = 0xfffe;
			break;
		case 3:		/* Buffer NULL or kernel, length set */
			us[i].Length = len;
			us[i].MaximumLength = len + 2;
			us[i].Buffer = pick(2) ? NULL : (WCHAR *)0xc0000000;
			break;
		case 4:		/* Buffer straddling into the guard page */
			us[i].Length = 0x40;
			us[i].MaximumLength = 0x40;
			us[i].Buffer = (WCHAR *)(sc.guarded + PAGE - 0x10);
			break;
		case 5:		/* truncated (names a prefix) */
			us[i].Length = len / 2 & ~1u;
			us[i].MaximumLength = len;
			break;
		default:
			us[i].Length = len;
			us[i].MaximumLength = len + 2;
		}
	}
	for (i = 0; i < 8; i++) {
		oa[i].Length = pick(6) ? sizeof(OBJECT_ATTRIBUTES) : random_int();
		oa[i].RootDirectory = pick(4) ? NULL : (HANDLE)(uintptr_t)random_handle();
		switch (pick(6)) {
		case 0:
			oa[i].ObjectName = NULL;
			break;
		case 1:
			oa[i].ObjectName = (UNICODE_STRING *)(uintptr_t)kernel_ptrs[pick(9)];
			break;
		case 2:
			oa[i].ObjectName = (UNICODE_STRING *)(sc.guarded + PAGE - 4);
			break;
		default:
			oa[i].ObjectName = &us[pick(8)];
		}
		oa[i].Attributes = pick(3) ? OBJ_CASE_INSENSITIVE | (pick(2) ? OBJ_OPENIF : 0) :
					     random_int();
		/*
		 * No OBJ_PERMANENT for root: a permanent named object outlives
		 * the fuzzer by design, and the leak check could not tell it
		 * from a leak. The user's chunks keep it: it must be refused
		 * (XP: SeCreatePermanentPrivilege), and if it were not, the
		 * object counters at the end would show it.
		 */
		if (!fuzz_as_user)
			oa[i].Attributes &= ~OBJ_PERMANENT;
		oa[i].SecurityDescriptor = pick(8) ? NULL : (void *)(uintptr_t)random_int();
		oa[i].SecurityQualityOfService = pick(8) ? NULL : (void *)(uintptr_t)random_int();
	}
	/* capped timeouts: 0, 1 ms, 100 ns (relative) */
	to[0].QuadPart = 0;
	to[1].QuadPart = -10000;
	to[2].QuadPart = -1;
	to[3].QuadPart = -(int64_t)pick(20000);
	for (i = 0; i < 64; i++)
		h[i] = random_handle();
	w = (uint32_t *)(sc.structs + S_CID);
	w[0] = getpid();
	w[1] = 0;
	w[2] = 1;
	w[3] = random_int();
	w = (uint32_t *)(sc.structs + S_SIZES);
	for (i = 0; i < 16; i++)
		w[i] = random_int();
}

static uint32_t random_ptr(void)
{
	static const unsigned int struct_offs[] = {
		S_USTR, S_USTR + 8, S_USTR + 16, S_OA, S_OA + 0x18, S_OA + 0x30,
		S_TIMEOUT, S_TIMEOUT + 8, S_HANDLES, S_CID, S_CID + 8, S_SIZES,
		S_SIZES + 8, S_NAMEBUF,
	};

	switch (pick(16)) {
	case 0:
		return 0;
	case 1:
		return kernel_ptrs[pick(sizeof(kernel_ptrs) / sizeof(kernel_ptrs[0]))];
	case 2:
		return (uint32_t)(uintptr_t)sc.unmapped + pick(PAGE);
	case 3:
		return (uint32_t)(uintptr_t)sc.ro + (pick(PAGE / 4) * 4);
	case 4:		/* guard page itself */
		return (uint32_t)(uintptr_t)sc.guarded + PAGE + pick(PAGE);
	case 5:		/* straddling the guard page */
		return (uint32_t)(uintptr_t)sc.guarded + PAGE - 1 - pick(16);
	case 6:		/* misaligned into valid memory */
		return (uint32_t)(uintptr_t)sc.rw + 1 + pick(3) + 4 * pick(1024);
	case 7:
		return NT_KUSER_SHARED_DATA + (pick(2) ? 0 : 0x300);
	case 8:
	case 9:
	case 10:
	case 11:
		return sptr(struct_offs[pick(sizeof(struct_offs) / sizeof(struct_offs[0]))]);
	default:	/* valid, aligned, somewhere in the rw pages */
		return (uint32_t)(uintptr_t)sc.rw + 8 * pick(SCRATCH_PAGES * PAGE / 8 - 16);
	}
}

static uint32_t random_word(char kind)
{
	unsigned int r = pick(20);
	int k = kind == 'p' ? 0 : kind == 'h' ? 1 : 2;

	if (r >= 14)		/* 30 %: one of the other kinds */
		k = (k + 1 + (r & 1)) % 3;
	switch (k) {
	case 0:
		return random_ptr();
	case 1:
		return random_handle();
	default:
		return random_int();
	}
}

/*
 * Every region is fenced by PROT_NONE pages: services that legitimately
 * write as many bytes as asked (reading process memory or a file with a
 * fuzzed length) then fault at the fence instead of overwriting the
 * fuzzer's other memory. Layout (pages):
 *	fence | rw x SCRATCH_PAGES | fence | ro | unmapped | guarded | fence |
 *	structs | fence
 */
static int setup_scratch(void)
{
	size_t total = (SCRATCH_PAGES + 8) * PAGE;
	uint8_t *p = mmap(NULL, total, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	sc.rw = p + PAGE;
	p = sc.rw + SCRATCH_PAGES * PAGE;	/* fence */
	sc.ro = p + PAGE;
	sc.unmapped = p + 2 * PAGE;
	sc.guarded = p + 3 * PAGE;		/* + PAGE is its guard */
	sc.structs = p + 5 * PAGE;		/* + PAGE is the last fence */
	memset(sc.ro, 0x41, PAGE);
	if (mprotect(sc.rw - PAGE, PAGE, PROT_NONE) ||
	    mprotect(p, PAGE, PROT_NONE) ||
	    mprotect(sc.ro, PAGE, PROT_READ) ||
	    munmap(sc.unmapped, PAGE) ||
	    mprotect(sc.guarded + PAGE, PAGE, PROT_NONE) ||
	    mprotect(sc.structs + PAGE, PAGE, PROT_NONE))
		return -1;
	return 0;
}

/* Refill the read-write pages with pool words (never our own addresses). */
static void fill_scratch(void)
{
	uint32_t *w = (uint32_t *)sc.rw;
	unsigned int i;

	/*
	 * Integers without bit 4: an OBJECT_ATTRIBUTES read from here then
	 * never has Length 0x18 nor OBJ_PERMANENT (see build_structs()).
	 */
	for (i = 0; i < SCRATCH_PAGES * PAGE / 4; i++)
		w[i] = pick(4) ? random_int() & ~0x10u : random_ptr();
	for (i = 0; i < PAGE / 4; i++)
		((uint32_t *)sc.guarded)[i] = random_int();
}

/* ---- the child ------------------------------------------------------- */

static void on_alarm(int sig)
{
	(void)sig;	/* only interrupts an NT wait (STATUS_USER_APC) */
}

/* A real call with real arguments: its handle joins the pool if it works. */
static void make_handle_args(const char *service, const uint32_t *rest, size_t n)
{
	uint32_t args[ARG_WORDS] = { 0 };
	uint32_t h = 0, nr = service_index(service);
	NTSTATUS st;

	if (nr == UINT32_MAX)
		return;
	args[0] = (uint32_t)(uintptr_t)&h;	/* the out-handle comes first */
	memcpy(&args[1], rest, n * sizeof(*rest));
	st = nt_call(nr, args);
	if (verbose)
		ksft_print_msg("setup %s: 0x%08x handle %#x\n", service, (unsigned int)st, h);
	if (NT_SUCCESS(st) && h && handle_count < sizeof(handle_pool) / sizeof(handle_pool[0]))
		handle_pool[handle_count++] = h;
}

#define make_handle(service, ...) do {					\
	const uint32_t __rest[] = { __VA_ARGS__ };			\
	make_handle_args(service, __rest, sizeof(__rest) / sizeof(__rest[0])); \
} while (0)

/*
 * Registry keys for the handle pool (issue 15): each chunk's key lives
 * below FUZZ_REG_ROOT of its hive (root: the machine hive; uid 1000: its
 * own), which the supervisor deletes with all that was made below it
 * before the counters are compared. Fuzzed names stay relative to these
 * keys, or point outside the registry.
 */
#define FUZZ_REG_MACHINE	"\\Registry\\Machine\\ntfuzz-root"
#define FUZZ_REG_USER		"\\Registry\\User\\S-1-22-1-1000"

/*
 * A file holding a real hive (root's chunks: NtSaveKey needs the backup
 * privilege), so that NtRestoreKey and NtSaveMergedKeys get past the
 * format check: the key made last, saved into FUZZ_NT\\h0.
 */
static void make_hive_file(void)
{
	static UNICODE_STRING hname;
	static OBJECT_ATTRIBUTES hoa;
	static IO_STATUS_BLOCK iosb;
	static WCHAR hbuf[64];
	uint32_t key = handle_pool[handle_count - 1];

	put_name(hbuf, FUZZ_NT "\\h0");
	RtlInitUnicodeString(&hname, hbuf);
	InitializeObjectAttributes(&hoa, &hname, OBJ_CASE_INSENSITIVE, NULL, NULL);
	/* GENERIC_READ|GENERIC_WRITE|SYNCHRONIZE, FILE_OVERWRITE_IF, synchronous */
	make_handle("NtCreateFile", 0xc0100000, (uintptr_t)&hoa, (uintptr_t)&iosb, 0,
		    0x80, 7, 5, 0x20, 0, 0);
	if (handle_pool[handle_count - 1] != key)
		NtSaveKey((HANDLE)(uintptr_t)key,
			  (HANDLE)(uintptr_t)handle_pool[handle_count - 1]);
}

static void make_key_handles(void)
{
	static UNICODE_STRING rname, kname;
	static OBJECT_ATTRIBUTES roa, koa;
	static WCHAR rbuf[80], kbuf[8];

	put_name(rbuf, fuzz_as_user ? FUZZ_REG_USER "\\ntfuzz-root" : FUZZ_REG_MACHINE);
	put_name(kbuf, "k");
	RtlInitUnicodeString(&rname, rbuf);
	RtlInitUnicodeString(&kname, kbuf);
	InitializeObjectAttributes(&roa, &rname, OBJ_CASE_INSENSITIVE, NULL, NULL);
	make_handle("NtCreateKey", 0xf003f, (uintptr_t)&roa, 0, 0, 0, 0);
	if (!handle_count)
		return;
	InitializeObjectAttributes(&koa, &kname, OBJ_CASE_INSENSITIVE,
				   (HANDLE)(uintptr_t)handle_pool[handle_count - 1], NULL);
	make_handle("NtCreateKey", 0xf003f, (uintptr_t)&koa, 0, 0, 0, 0);
	make_hive_file();
}

/* Delete @h's subtree (links not followed) and close @h. */
static void delete_key_tree(HANDLE h)
{
	union { KEY_BASIC_INFORMATION b; UCHAR raw[1024]; } u;
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	ULONG len;
	HANDLE c;

	while (!NtEnumerateKey(h, 0, KeyBasicInformation, &u, sizeof(u), &len)) {
		us.Length = us.MaximumLength = u.b.NameLength;
		us.Buffer = u.b.Name;
		InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE | OBJ_OPENLINK,
					   h, NULL);
		if (NtOpenKey(&c, KEY_ALL_ACCESS, &oa))
			break;
		delete_key_tree(c);
	}
	NtDeleteKey(h);
	NtClose(h);
}

/* Supervisor: the user's hive root before the counters, the roots after. */
static void fuzz_registry(int cleanup)
{
	static const char *const paths[] = {
		FUZZ_REG_USER, FUZZ_REG_MACHINE, FUZZ_REG_USER "\\ntfuzz-root",
	};
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	WCHAR buf[80];
	unsigned int i;
	HANDLE h;

	for (i = 0; i < (cleanup ? 3 : 1); i++) {
		put_name(buf, paths[i]);
		RtlInitUnicodeString(&us, buf);
		InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE | OBJ_OPENLINK,
					   NULL, NULL);
		if (!cleanup) {
			if (!NtCreateKey(&h, KEY_ALL_ACCESS, &oa, 0, NULL, 0, NULL))
				NtClose(h);
		} else if (i && !NtOpenKey(&h, KEY_ALL_ACCESS, &oa)) {
			delete_key_tree(h);
		}
	}
}

static void make_handles(void)
{
	static UNICODE_STRING fname, dname;
	static OBJECT_ATTRIBUTES foa, doa, noa;
	static IO_STATUS_BLOCK iosb;
	static LARGE_INTEGER size = { .QuadPart = 0x10000 };
	static CLIENT_ID cid;
	static WCHAR fbuf[64], dbuf[64];
	uint32_t closed;

	put_name(fbuf, FUZZ_NT "\\f0");
	put_name(dbuf, FUZZ_NT);
	RtlInitUnicodeString(&fname, fbuf);
	RtlInitUnicodeString(&dname, dbuf);
	InitializeObjectAttributes(&foa, &fname, OBJ_CASE_INSENSITIVE, NULL, NULL);
	InitializeObjectAttributes(&doa, &dname, OBJ_CASE_INSENSITIVE, NULL, NULL);
	InitializeObjectAttributes(&noa, NULL, 0, NULL, NULL);
	cid.UniqueProcess = (HANDLE)(uintptr_t)getpid();

	handle_count = 0;
	make_handle("NtCreateEvent", 0x1f0003);
	make_handle("NtCreateEvent", 0x1f0003, 0, 1, 1);
	make_handle("NtCreateMutant", 0x1f0001);
	make_handle("NtCreateSemaphore", 0x1f0003, 0, 1, 4);
	make_handle("NtCreateTimer", 0x1f0003);
	make_handle("NtCreateKeyedEvent", 0x1f0003);
	make_handle("NtCreateDirectoryObject", 0xf000f);
	make_handle("NtCreateSection", 0xf001f, 0, (uintptr_t)&size, 4, 0x8000000);
	/* GENERIC_READ|GENERIC_WRITE|SYNCHRONIZE, FILE_OPEN_IF, synchronous */
	make_handle("NtCreateFile", 0xc0100000, (uintptr_t)&foa, (uintptr_t)&iosb, 0,
		    0x80, 7, 3, 0x20, 0, 0);
	/* FILE_LIST_DIRECTORY|SYNCHRONIZE, FILE_OPEN, directory, synchronous */
	make_handle("NtCreateFile", 0x100001, (uintptr_t)&doa, (uintptr_t)&iosb, 0,
		    0, 7, 1, 0x21, 0, 0);
	make_handle("NtOpenProcess", 0x400, (uintptr_t)&noa, (uintptr_t)&cid);
	own_process = handle_count ? handle_pool[handle_count - 1] : 0;
	make_key_handles();
	/* a handle that was valid and is closed again */
	closed = 0;
	if (handle_count) {
		uint32_t args[ARG_WORDS] = { 0 };

		make_handle("NtCreateEvent", 0x1f0003);
		closed = handle_pool[handle_count - 1];
		args[0] = closed;
		nt_call(service_index("NtClose"), args);
		handle_pool[handle_count - 1] = closed;
	}
}

/* Service number and argument words of call @n: a function of (seed, n). */
static uint32_t call_service(uint64_t n, uint32_t *args)
{
	uint32_t nr, idx;
	unsigned int i;
	int table0;

	rng = splitmix(seed ^ splitmix(n));
	switch (pick(50)) {
	case 0:		/* past table 0's limit */
		nr = MAX_SERVICES + pick(0x1000 - MAX_SERVICES);
		break;
	case 1:		/* table 1 (empty), or any bits */
		nr = pick(2) ? 0x1000 + pick(0x1000) : rnd();
		break;
	default:
		nr = pick(MAX_SERVICES);
	}
	build_structs();
	/* the kernel decodes table = bit 12, index = the low 12 bits */
	idx = nr & 0xfff;
	table0 = !(nr & 0x1000) && idx < MAX_SERVICES;
	for (i = 0; i < ARG_WORDS; i++)
		args[i] = random_word(table0 && i < nargs_of[idx] ? kinds_of[idx][i] : 'x');
	return nr;
}

/* A completion APC the fuzzer can take at any alertable moment. */
static void __attribute__((stdcall)) noop_apc(void *ctx, void *iosb, void *reserved)
{
}

/*
 * Apply rules[]: 1 if the call must not be made, 2 if it is made in a
 * sandbox, else 0 after forcing arguments.
 */
static int exclude_fix(uint32_t nr, uint32_t *args)
{
	const struct rule *r;
	uint32_t idx = nr & 0xfff;

	/* the kernel decodes table = bit 12, index = low 12 bits */
	if ((nr & 0x1000) || idx >= MAX_SERVICES || !rule_of[idx])
		return 0;
	r = &rules[rule_of[idx] - 1];
	switch (r->kind) {
	case EXCLUDE:
		return 1;
	case SANDBOX:
		return 2;
	case FORCE_ZERO:
		args[r->arg] = 0;
		break;
	case FORCE_TRUE:
		args[r->arg] = 1;
		break;
	case FORCE_ASYNC_APC:
		args[r->arg] = 1;
		args[r->apc] = args[r->apc] ? (uint32_t)(uintptr_t)noop_apc : 0;
		break;
	case FORCE_TIMEOUT:
		args[r->arg] = sptr(S_TIMEOUT + 8 * (rnd() % 4));
		break;
	}
	return 0;
}

/* ---- the sandbox: thread and process control with fuzzed words ------ */

static void sandbox_fault(int sig)
{
	(void)sig;
	_exit(0);	/* a fuzzed context faulted: the death that was expected */
}

static volatile pid_t sandbox_peer_tid;
static HANDLE sandbox_never;		/* an event nobody sets */

/*
 * The peer sleeps in a non-alertable NT wait, where NT suspension parks
 * it at once (and no APC can run), with every signal blocked: it never
 * returns to user mode with a context the fuzzed call may have set.
 */
static void *sandbox_peer_main(void *arg)
{
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	sandbox_peer_tid = syscall(SYS_gettid);
	for (;;)
		NtWaitForSingleObject(sandbox_never, FALSE, NULL);
	return NULL;
}

/*
 * The services that end, stop or redirect their caller (rules[] SANDBOX)
 * run in a child of the chunk's child, forked for the call: the fuzzed
 * words may end it, stop it for good, or send a thread of it anywhere
 * (a created thread at a fuzzed eip, an APC to a fuzzed routine, a
 * fuzzed CONTEXT). Its death is expected; only the kernel's behaviour is
 * judged (the kmsg scan, the object counters, and that SIGKILL ends it:
 * a sandbox that does not die holds up its chunk, which the supervisor
 * reports as a hang).
 *
 * The sandbox has a peer thread, asleep in an NT wait with every signal
 * blocked, suspended first in half of the calls, so that calls on another
 * thread meet a running or a suspended one; a thread-handle argument is
 * the peer's in a third of the calls. After the call, the peer's context
 * is read and it is resumed (what a debugger does after a stop). The chunk child's process handle
 * is replaced by NtCurrentProcess(): it would reach the chunk child.
 * After the call, an alertable moment delivers what was queued and lets
 * created threads run. Fault signals end the sandbox quietly (handled on
 * an alternate stack, so the kernel logs no unhandled-fault line).
 */
static void sandbox(uint32_t nr, uint32_t *args)
{
	static LARGE_INTEGER ms1 = { .QuadPart = -10000 };
	static const int faults[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };
	uint32_t idx = nr & 0xfff, peer = 0;
	struct sigaction sa;
	unsigned int i, w;
	CLIENT_ID cid;
	OBJECT_ATTRIBUTES oa;
	stack_t ss;
	pthread_t th;
	int wstatus, suspend = pick(2), use_peer = pick(3);
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return;
	if (pid) {
		/*
		 * Up to ~50 ms (the call and an alertable millisecond), then
		 * it is stopped for good (suspended, waiting): SIGKILL must
		 * end it.
		 */
		for (w = 0; w < 100; w++) {
			if (waitpid(pid, &wstatus, WNOHANG) == pid)
				return;
			usleep(500);
		}
		kill(pid, SIGKILL);
		while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
			;
		return;
	}
	ss.ss_sp = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ss.ss_size = 4 * PAGE;
	ss.ss_flags = 0;
	if (ss.ss_sp != MAP_FAILED)
		sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sandbox_fault;
	sa.sa_flags = SA_ONSTACK;
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigaction(faults[i], &sa, NULL);
	NtCreateEvent(&sandbox_never, EVENT_ALL_ACCESS, NULL, NotificationEvent,
		      FALSE);
	if (!pthread_create(&th, NULL, sandbox_peer_main, NULL)) {
		InitializeObjectAttributes(&oa, NULL, 0, NULL, NULL);
		cid.UniqueProcess = (HANDLE)(uintptr_t)getpid();
		while (!sandbox_peer_tid)
			sched_yield();
		cid.UniqueThread = (HANDLE)(uintptr_t)sandbox_peer_tid;
		if (cid.UniqueThread &&
		    !NtOpenThread((HANDLE *)&peer, THREAD_ALL_ACCESS, &oa, &cid) &&
		    suspend)
			NtSuspendThread((HANDLE)(uintptr_t)peer, NULL);
	}
	for (i = 0; i < nargs_of[idx]; i++) {
		if (kinds_of[idx][i] != 'h')
			continue;
		if (own_process && (args[i] & ~3u) == own_process)
			args[i] = 0xffffffff;
		else if (peer && use_peer)
			args[i] = peer;
	}
	nt_call(nr, args);
	if (peer) {
		static CONTEXT ctx;

		ctx.ContextFlags = CONTEXT_FULL | CONTEXT_EXTENDED_REGISTERS;
		NtGetContextThread((HANDLE)(uintptr_t)peer, &ctx);
		NtResumeThread((HANDLE)(uintptr_t)peer, NULL);
	}
	NtTestAlert();
	NtDelayExecution(TRUE, &ms1);
	_exit(0);
}

static void child(uint64_t first, uint64_t last, int gate, int as_user,
		  uint64_t plant_at)
{
	uint32_t args[ARG_WORDS];
	uint64_t n;
	uint32_t nr, st;

	signal(SIGALRM, on_alarm);
	fuzz_as_user = as_user;
	if (as_user) {
		if (nt_become(NT_TEST_UID, NT_TEST_GID, gate))
			_exit(5);
	} else if (!NT_SUCCESS(NtpAttach()) ||
		   !NT_SUCCESS(NtpSetSystemCallGate(gate))) {
		_exit(3);
	}
	/* pool contents depend on the chunk, not on what ran before */
	/* the unmapped page must still be a hole (no mmap filled it) */
	if (msync(sc.unmapped, PAGE, MS_ASYNC) == 0 || errno != ENOMEM)
		_exit(4);
	rng = splitmix(seed ^ splitmix(first) ^ 0x5eed);
	fill_scratch();
	make_handles();
	for (n = first; n < last; n++) {
		nr = call_service(n, args);
		prog->call = n;
		prog->ticks++;
		prog->service = nr;
		if (n == plant_at)
			*(volatile int *)(sc.guarded + PAGE) = 0;	/* planted: SIGSEGV */
		switch (exclude_fix(nr, args)) {
		case 1:
			continue;
		case 2:
			/* a fork each: one in eight, to keep the run's length */
			if (pick(8))
				continue;
			sandbox(nr, args);
			prog->done++;
			continue;
		}
		st = nt_call(nr, args);
		prog->statuses[st >> 30]++;
		prog->done++;
		if (verbose)
			ksft_print_msg("call %" PRIu64 " %#x %s -> 0x%08x\n", n, nr,
				       (nr & 0x1000) || nr >= MAX_SERVICES ? "-" : name_of[nr],
				       st);
	}
	_exit(0);
}

/* ---- the supervisor -------------------------------------------------- */

struct campaign {
	uint64_t start, calls, chunk, plant_at;
	unsigned int children, deaths, hangs, failed_exits;
	uint64_t issued;
	uint32_t statuses[4];
	uint64_t first_bad_call;
	int first_bad_sig;
};

static const char *svc_name(uint32_t nr)
{
	if ((nr & 0x1000) || (nr & 0xfff) >= MAX_SERVICES)
		return "(out of range)";
	return name_of[nr & 0xfff];
}

/* Run one child over [first, last); returns the call after the last done. */
static uint64_t supervise(struct campaign *c, uint64_t first, uint64_t last,
			  int gate, int as_user)
{
	uint32_t last_ticks, stalled = 0, status_before[4];
	int wstatus, i, alarmed = 0;
	pid_t pid, r;

	memset((void *)prog, 0, sizeof(*prog));
	prog->call = first;
	c->children++;
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (!pid)
		child(first, last, gate, as_user, c->plant_at);
	memcpy(status_before, (void *)prog->statuses, sizeof(status_before));
	last_ticks = prog->ticks;
	for (;;) {
		r = waitpid(pid, &wstatus, WNOHANG);
		if (r == pid)
			break;
		usleep(20000);
		if (prog->ticks != last_ticks) {
			last_ticks = prog->ticks;
			stalled = 0;
			continue;
		}
		if (++stalled == STALL_SECONDS * 50) {
			ksft_print_msg("call %u (%#x %s) stalled %d s: SIGALRM\n",
				       prog->call, prog->service, svc_name(prog->service),
				       STALL_SECONDS);
			kill(pid, SIGALRM);
			alarmed = 1;
		} else if (stalled == 2 * STALL_SECONDS * 50) {
			ksft_print_msg("call %u (%#x %s) still stuck: SIGKILL\n",
				       prog->call, prog->service, svc_name(prog->service));
			kill(pid, SIGKILL);
		}
	}
	c->issued += prog->done;
	for (i = 0; i < 4; i++)
		c->statuses[i] += prog->statuses[i];
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
		if (alarmed) {
			c->hangs++;
			if (!c->first_bad_call)
				c->first_bad_call = prog->call + 1;
		}
		return last;
	}
	if (WIFSIGNALED(wstatus)) {
		ksft_print_msg("child died by signal %d (%s) at call %u: service %#x %s, gate %s, uid %d; replay: fuzz --seed %" PRIu64 " --start %u --calls 1\n",
			       WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)), prog->call,
			       prog->service, svc_name(prog->service),
			       gate ? "int 0x2e" : "sysenter",
			       as_user ? NT_TEST_UID : 0, seed, prog->call);
		if (WTERMSIG(wstatus) == SIGKILL && alarmed)
			c->hangs++;
		else
			c->deaths++;
		if (!c->first_bad_call) {
			c->first_bad_call = prog->call + 1;
			c->first_bad_sig = WTERMSIG(wstatus);
		}
	} else {
		ksft_print_msg("child exited %d at call %u\n", WEXITSTATUS(wstatus), prog->call);
		c->failed_exits++;
	}
	return (uint64_t)prog->call + 1;	/* restart after the fatal call */
}

static void run_campaign(struct campaign *c)
{
	uint64_t n = c->start, end = c->start + c->calls, stop;

	while (n < end) {
		/* chunks are aligned, so a replayed call keeps its gate and user */
		stop = (n / c->chunk + 1) * c->chunk;
		if (stop > end)
			stop = end;
		n = supervise(c, n, stop,
			      (n / c->chunk) & 1 ? NTP_GATE_INT2E : NTP_GATE_SYSENTER,
			      (n / c->chunk) & 2);
	}
}


/* ---- main ------------------------------------------------------------ */

/*
 * NtRaiseException in children whose death is expected: a fuzzed record
 * (or pointer) and CONTEXT (or pointer), first or second chance. Each
 * child must end by itself (an exit, or a signal: a fuzzed context runs
 * wherever it points), within 10 s (its SIGALRM); the kernel log check
 * that follows covers what the kernel did with them. Returns the number
 * that did not end.
 */
static unsigned int raise_children(unsigned int n, unsigned int *exits,
				   unsigned int *signals)
{
	static const uint32_t flags[] = { 0x10007, 0x1003f, 0x10001, 0x10000, 0 };
	static uint32_t rec[24], ctx[0x2cc / 4];
	unsigned int i, j, stuck = 0;
	uint32_t r, c, first;
	int status;
	pid_t pid;

	for (i = 0; i < n; i++) {
		for (j = 0; j < 24; j++)
			rec[j] = random_int();
		rec[4] = pick(20);			/* NumberParameters */
		for (j = 0; j < 0x2cc / 4; j++)
			ctx[j] = pick(4) ? random_int() : random_ptr();
		ctx[0] = pick(2) ? flags[pick(5)] : random_int();
		r = pick(4) ? (uint32_t)(uintptr_t)rec : random_word('p');
		c = pick(4) ? (uint32_t)(uintptr_t)ctx : random_word('p');
		first = pick(3) ? 1 : random_int();
		pid = fork();
		if (pid < 0)
			return stuck + 1;
		if (!pid) {
			alarm(STALL_SECONDS);
			_exit(NtRaiseException((void *)(uintptr_t)r,
					       (void *)(uintptr_t)c, first) & 0xff);
		}
		if (waitpid(pid, &status, 0) != pid) {
			stuck++;
		} else if (WIFSIGNALED(status)) {
			(*signals)++;
			stuck += WTERMSIG(status) == SIGALRM;
		} else {
			(*exits)++;
		}
	}
	return stuck;
}

static void usage(void)
{
	fprintf(stderr, "usage: fuzz [--seed N] [--calls N] [--chunk N] [--start N] [--plant-crash] [--verbose]\n");
	exit(2);
}

static void report(const struct campaign *c, const char *what)
{
	ksft_print_msg("%s: %" PRIu64 " calls from %" PRIu64 " in %u children: %" PRIu64 " issued (success %u, informational %u, warning %u, error %u), %u deaths, %u hangs, %u bad exits\n",
		       what, c->calls, c->start, c->children, c->issued,
		       c->statuses[0], c->statuses[1], c->statuses[2], c->statuses[3],
		       c->deaths, c->hangs, c->failed_exits);
}

int main(int argc, char **argv)
{
	struct campaign main_run = { .calls = 200000, .chunk = 2000, .plant_at = UINT64_MAX };
	struct campaign planted;
	char before[2048], after[2048];
	int have_counters, kfd, splats, plant = 0, i;
	struct timespec t0, t1;
	uint32_t excluded = 0;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--calls") && i + 1 < argc)
			main_run.calls = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--chunk") && i + 1 < argc)
			main_run.chunk = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--start") && i + 1 < argc)
			main_run.start = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--plant-crash"))
			plant = 1;
		else if (!strcmp(argv[i], "--verbose"))
			verbose = 1;	/* line-buffered below: a killed child's lines survive */
		else
			usage();
	}
	if (!main_run.chunk)
		usage();
	if (plant)
		main_run.plant_at = main_run.start + main_run.calls / 2;

	ksft_print_header();
	ksft_set_plan(5);
	if (verbose)
		setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_msg("seed %" PRIu64 " (replay: fuzz --seed %" PRIu64 " --calls %" PRIu64 ")\n",
		       seed, seed, main_run.calls);

	if (load_services())
		ksft_exit_fail_msg("the spec's service table (NtpServiceInfo) is not the XP one\n");
	for (i = 0; i < MAX_SERVICES; i++)
		excluded += rule_of[i] && rules[rule_of[i] - 1].kind == EXCLUDE;
	ksft_print_msg("%u services excluded, %zu rules (see rules[] in fuzz.c)\n",
		       excluded, sizeof(rules) / sizeof(rules[0]));
	if (access("/dev/ntpersonality", F_OK))
		ksft_exit_skip("no /dev/ntpersonality (module not loaded)\n");
	prog = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (prog == MAP_FAILED)
		ksft_exit_fail_msg("shared page: %s\n", strerror(errno));
	if (setup_scratch())
		ksft_exit_fail_msg("scratch memory: %s\n", strerror(errno));
	mkdir(FUZZ_DIR, 0755);
	/* a small tmpfs: fuzzed lengths must not fill the VM's memory */
	if (mount("ntfuzz", FUZZ_DIR, "tmpfs", 0, "size=8m"))
		ksft_print_msg("no tmpfs on " FUZZ_DIR " (%s): using the directory\n",
			       strerror(errno));
	mkdir(FUZZ_DIR "/d0", 0755);
	/* the user's chunks create in FUZZ_DIR; d0 stays root's */
	if (chown(FUZZ_DIR, NT_TEST_UID, NT_TEST_GID))
		ksft_print_msg("chown " FUZZ_DIR ": %s\n", strerror(errno));

	fuzz_registry(0);
	have_counters = read_counters(before, sizeof(before));
	kfd = kmsg_open();

	/* 1: the supervisor catches a planted death (small, fixed seed) */
	ksft_print_msg("planted fault check: the next death (call 1150) is expected\n");
	memset(&planted, 0, sizeof(planted));
	planted.start = 1000;
	planted.calls = 200;
	planted.chunk = 100;
	planted.plant_at = 1150;
	{
		uint64_t saved = seed;

		seed = 1;
		run_campaign(&planted);
		seed = saved;
	}
	report(&planted, "planted");
	ksft_test_result(planted.deaths == 1 && planted.first_bad_call == 1151 &&
			 planted.first_bad_sig == SIGSEGV && planted.children == 3 &&
			 !planted.hangs && !planted.failed_exits,
			 "planted_crash_detected\n");

	/* 2: the run */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_campaign(&main_run);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	report(&main_run, "fuzz");
	ksft_print_msg("%.1f s, %.0f calls/s\n",
		       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		       main_run.issued / ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9));
	ksft_test_result(!main_run.deaths && !main_run.hangs && !main_run.failed_exits,
			 "children_survive_%" PRIu64 "_calls_seed_%" PRIu64 "\n",
			 main_run.calls, seed);

	/* 3: NtRaiseException, in children that may die of it */
	{
		unsigned int exits = 0, signals = 0, stuck;

		stuck = raise_children(200, &exits, &signals);
		ksft_print_msg("NtRaiseException: 200 children: %u exits, %u signals, %u stuck\n",
			       exits, signals, stuck);
		ksft_test_result(!stuck, "raise_exception_children_end\n");
	}

	/* 4: the kernel log */
	splats = kmsg_splats(kfd);
	if (splats < 0)
		ksft_test_result_skip("kernel_log_clean (no /dev/kmsg)\n");
	else
		ksft_test_result(splats == 0, "kernel_log_clean\n");

	/* 5: object and handle counters */
	fuzz_registry(1);
	check_counters_restored(have_counters, before, after, sizeof(after));
	umount(FUZZ_DIR);
	ksft_finished();
}
