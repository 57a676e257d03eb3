// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-personality stress: P attached processes x T threads (default
 * 4 x 4) doing mixed NT calls for S seconds while an unattached Linux
 * workload (busybox sh reading /proc, forking) runs next to them; run with
 * two CPUs (`make check` boots with -smp 2).
 *
 *   stress_nt [--seconds S] [--procs P] [--threads T] [--no-faults]
 *
 * Default S is 10 in `make check` (CI time); the 30 s run is
 * `stress_nt --seconds 30`. Each thread loops over the operations this
 * build implements (an operation whose first call returns
 * STATUS_NOT_IMPLEMENTED is dropped, and reported):
 *  - a private event: create, set, wait (0 timeout: STATUS_SUCCESS), close;
 *  - the process's shared mutant: wait 1 ms, release when acquired
 *    (STATUS_SUCCESS or STATUS_TIMEOUT only; release must succeed);
 *  - the process's shared semaphore (max 4): acquire 1 ms, release;
 *  - wait-any on {mutant, semaphore} with 1 ms;
 *  - duplicate the event handle and close the duplicate;
 *  - a private file in /tmp/ntstress: create, write 512 bytes, read them
 *    back (contents compared), close;
 *  - 64 KiB of committed memory: allocate, touch, free;
 *  - NtQuerySystemTime, NtYieldExecution.
 * Odd-numbered worker processes and every other victim run as the
 * unprivileged uid 1000, attached as that user (issue 12), next to root's.
 * Any other status fails the thread. Conservation: when every thread is
 * done, the semaphore's count must be back at its initial 4 (exactly four
 * zero-timeout acquires succeed), and a file reads back what was written.
 *
 * Faults at the same time (--no-faults turns them off): see faults().
 *
 * Verdict (TAP): every worker exits 0; every victim dies by SIGKILL and
 * CPU 1 comes back online; the kernel log of the run (from
 * /dev/kmsg) is clean; the object manager's debugfs counters are back at
 * their starting values (SKIP when this build has none). The module unload
 * after the run is scripts/ntvm's (it fails on rmmod errors and splats).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <ntdll.h>
#include "kselftest.h"
#include "kernel_checks.h"
#include "nt_become.h"

#define STRESS_DIR	"/tmp/ntstress"
#define STRESS_NT	"\\??\\unix\\tmp\\ntstress"

enum op {
	OP_EVENT, OP_MUTANT, OP_SEMAPHORE, OP_WAIT_ANY, OP_DUPLICATE,
	OP_FILE, OP_MEMORY, OP_TIME, OP_YIELD, OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
	"event", "mutant", "semaphore", "wait-any", "duplicate", "file",
	"memory", "time", "yield",
};

static int seconds = 10, procs = 4, threads = 4;
static HANDLE mutant, semaphore;
static volatile int unavailable[OP_COUNT];
static volatile int stop;

struct worker {
	pthread_t tid;
	int index;
	unsigned long ops[OP_COUNT];
	int failed;
};

/* NOT_IMPLEMENTED drops the operation; anything outside @ok fails it. */
static int check(struct worker *w, enum op op, NTSTATUS st, NTSTATUS ok1, NTSTATUS ok2)
{
	if (st == STATUS_NOT_IMPLEMENTED) {
		unavailable[op] = 1;
		return -1;
	}
	if (st != ok1 && st != ok2) {
		ksft_print_msg("pid %d thread %d: %s: status 0x%08x\n", getpid(),
			       w->index, op_names[op], (unsigned int)st);
		w->failed = 1;
		return -1;
	}
	return 0;
}

static void op_event(struct worker *w)
{
	LARGE_INTEGER zero = { .QuadPart = 0 };
	HANDLE ev = NULL;

	if (check(w, OP_EVENT, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
					     NotificationEvent, FALSE), 0, 0))
		return;
	if (!check(w, OP_EVENT, NtSetEvent(ev, NULL), 0, 0))
		check(w, OP_EVENT, NtWaitForSingleObject(ev, FALSE, &zero), 0, 0);
	check(w, OP_EVENT, NtClose(ev), 0, 0);
}

static void op_mutant(struct worker *w)
{
	LARGE_INTEGER ms = { .QuadPart = -10000 };
	NTSTATUS st = NtWaitForSingleObject(mutant, FALSE, &ms);

	if (check(w, OP_MUTANT, st, STATUS_SUCCESS, STATUS_TIMEOUT) || st)
		return;
	check(w, OP_MUTANT, NtReleaseMutant(mutant, NULL), 0, 0);
}

static void op_semaphore(struct worker *w)
{
	LARGE_INTEGER ms = { .QuadPart = -10000 };
	NTSTATUS st = NtWaitForSingleObject(semaphore, FALSE, &ms);

	if (check(w, OP_SEMAPHORE, st, STATUS_SUCCESS, STATUS_TIMEOUT) || st)
		return;
	check(w, OP_SEMAPHORE, NtReleaseSemaphore(semaphore, 1, NULL), 0, 0);
}

static void op_wait_any(struct worker *w)
{
	LARGE_INTEGER ms = { .QuadPart = -10000 };
	HANDLE h[2] = { mutant, semaphore };
	NTSTATUS st = NtWaitForMultipleObjects(2, h, WaitAny, FALSE, &ms);

	if (st != STATUS_WAIT_0 + 1 &&
	    check(w, OP_WAIT_ANY, st, STATUS_WAIT_0, STATUS_TIMEOUT))
		return;
	if (st == STATUS_WAIT_0)
		check(w, OP_WAIT_ANY, NtReleaseMutant(mutant, NULL), 0, 0);
	else if (st == STATUS_WAIT_0 + 1)
		check(w, OP_WAIT_ANY, NtReleaseSemaphore(semaphore, 1, NULL), 0, 0);
}

static void op_duplicate(struct worker *w)
{
	HANDLE dup = NULL;

	if (check(w, OP_DUPLICATE, NtDuplicateObject(NtCurrentProcess(), mutant,
						     NtCurrentProcess(), &dup, 0, 0,
						     DUPLICATE_SAME_ACCESS), 0, 0))
		return;
	check(w, OP_DUPLICATE, NtClose(dup), 0, 0);
}

static void op_file(struct worker *w)
{
	char path[96], data[512], back[512];
	WCHAR wpath[96];
	UNICODE_STRING name;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK iosb;
	LARGE_INTEGER off = { .QuadPart = 0 };
	HANDLE f = NULL;
	unsigned int i;

	snprintf(path, sizeof(path), STRESS_NT "\\p%d-t%d", getpid(), w->index);
	for (i = 0; path[i]; i++)
		wpath[i] = (unsigned char)path[i];
	wpath[i] = 0;
	RtlInitUnicodeString(&name, wpath);
	InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
	if (check(w, OP_FILE, NtCreateFile(&f, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE,
					   &oa, &iosb, NULL, FILE_ATTRIBUTE_NORMAL, 0,
					   FILE_OVERWRITE_IF,
					   FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0), 0, 0))
		return;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + w->index + getpid());
	if (!check(w, OP_FILE, NtWriteFile(f, NULL, NULL, NULL, &iosb, data, sizeof(data),
					   &off, NULL), 0, 0) &&
	    !check(w, OP_FILE, NtReadFile(f, NULL, NULL, NULL, &iosb, back, sizeof(back),
					  &off, NULL), 0, 0) &&
	    (iosb.Information != sizeof(back) || memcmp(data, back, sizeof(back)))) {
		ksft_print_msg("pid %d thread %d: file read back %lu bytes, not what was written\n",
			       getpid(), w->index, (unsigned long)iosb.Information);
		w->failed = 1;
	}
	check(w, OP_FILE, NtClose(f), 0, 0);
}

static void op_memory(struct worker *w)
{
	void *base = NULL;
	SIZE_T size = 0x10000;

	if (check(w, OP_MEMORY, NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size,
							MEM_COMMIT | MEM_RESERVE,
							PAGE_READWRITE), 0, 0))
		return;
	memset(base, 0x5a, 0x10000);
	size = 0;
	check(w, OP_MEMORY, NtFreeVirtualMemory(NtCurrentProcess(), &base, &size,
						MEM_RELEASE), 0, 0);
}

static void op_time(struct worker *w)
{
	LARGE_INTEGER t;

	check(w, OP_TIME, NtQuerySystemTime(&t), 0, 0);
}

static void op_yield(struct worker *w)
{
	check(w, OP_YIELD, NtYieldExecution(), STATUS_SUCCESS, STATUS_NO_YIELD_PERFORMED);
}

static void (*const ops[OP_COUNT])(struct worker *) = {
	op_event, op_mutant, op_semaphore, op_wait_any, op_duplicate,
	op_file, op_memory, op_time, op_yield,
};

static void *thread_main(void *arg)
{
	struct worker *w = arg;
	unsigned int r = w->index * 2654435761u + getpid();
	int op;

	while (!stop && !w->failed) {
		r = r * 1103515245 + 12345;
		op = (r >> 16) % OP_COUNT;
		if (unavailable[op])
			continue;
		ops[op](w);
		w->ops[op]++;
	}
	return NULL;
}

/* One attached worker process: T threads for the duration, then checks. */
static int worker_process(void)
{
	LARGE_INTEGER zero = { .QuadPart = 0 };
	struct worker *w = calloc(threads, sizeof(*w));
	unsigned long total[OP_COUNT] = { 0 };
	int i, op, failed = 0, acquired = 0;
	NTSTATUS st;

	if (!w)
		return 1;
	st = NtCreateMutant(&mutant, MUTANT_ALL_ACCESS, NULL, FALSE);
	if (st == STATUS_NOT_IMPLEMENTED) {
		unavailable[OP_MUTANT] = unavailable[OP_WAIT_ANY] = 1;
		unavailable[OP_DUPLICATE] = 1;
	} else if (st) {
		ksft_print_msg("NtCreateMutant: 0x%08x\n", (unsigned int)st);
		return 1;
	}
	st = NtCreateSemaphore(&semaphore, SEMAPHORE_ALL_ACCESS, NULL, 4, 4);
	if (st == STATUS_NOT_IMPLEMENTED) {
		unavailable[OP_SEMAPHORE] = unavailable[OP_WAIT_ANY] = 1;
	} else if (st) {
		ksft_print_msg("NtCreateSemaphore: 0x%08x\n", (unsigned int)st);
		return 1;
	}
	for (i = 0; i < threads; i++) {
		w[i].index = i;
		if (pthread_create(&w[i].tid, NULL, thread_main, &w[i]))
			return 1;
	}
	sleep(seconds);
	stop = 1;
	for (i = 0; i < threads; i++) {
		pthread_join(w[i].tid, NULL);
		failed |= w[i].failed;
		for (op = 0; op < OP_COUNT; op++)
			total[op] += w[i].ops[op];
	}
	/* conservation: the semaphore is back at 4 */
	if (!unavailable[OP_SEMAPHORE]) {
		while (acquired < 5 && NtWaitForSingleObject(semaphore, FALSE, &zero) == 0)
			acquired++;
		if (acquired != 4) {
			ksft_print_msg("pid %d: semaphore count %d at the end, not 4\n",
				       getpid(), acquired);
			failed = 1;
		}
	}
	{
		char line[512];
		int n = 0;

		for (op = 0; op < OP_COUNT; op++)
			n += snprintf(line + n, sizeof(line) - n, " %s=%lu%s", op_names[op],
				      total[op], unavailable[op] ? "(notimpl)" : "");
		ksft_print_msg("pid %d:%s\n", getpid(), line);
	}
	if (mutant)
		NtClose(mutant);
	if (semaphore)
		NtClose(semaphore);
	for (op = 0; op < OP_COUNT && unavailable[op]; op++)
		;
	return failed ? 1 : op == OP_COUNT ? 77 : 0;	/* 77: nothing to stress */
}

/*
 * Faults during the run (unless --no-faults): victims killed by SIGKILL in
 * the middle of NT work, and CPU 1 taken offline and back.
 *  0: owns a mutant and waits forever on its own event (mid-wait, holding
 *     a mutant: the wait must end by the kill, the mutant be abandoned);
 *  1: writes and rewrites a file (mid-file-I/O);
 *  2: acquires and releases a mutant and creates/closes events in a loop.
 * A victim must die by SIGKILL and nothing else.
 */
static void victim(int kind)
{
	HANDLE m = NULL, ev = NULL;
	struct worker w = { .index = 100 + kind };

	switch (kind) {
	case 0:
		NtCreateMutant(&m, MUTANT_ALL_ACCESS, NULL, TRUE);
		NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
		for (;;)
			NtWaitForSingleObject(ev, FALSE, NULL);
	case 1:
		for (;;)
			op_file(&w);
	default:
		if (NtCreateMutant(&mutant, MUTANT_ALL_ACCESS, NULL, FALSE))
			for (;;)
				pause();
		for (;;) {
			op_mutant(&w);
			op_event(&w);
		}
	}
}

static int set_cpu1(int online)
{
	int fd = open("/sys/devices/system/cpu/cpu1/online", O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, online ? "1" : "0", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

static int faults(time_t end, int *victims, int *hotplugs)
{
	int kind = 0, status, bad = 0, cpu_off = 0;
	pid_t v;

	while (time(NULL) < end) {
		v = fork();
		if (!v) {
			if ((*victims & 1) &&
			    nt_become(NT_TEST_UID, NT_TEST_GID, NTP_GATE_INT2E))
				_exit(1);
			victim(kind);
			_exit(0);
		}
		usleep(100000 + 50000 * kind);
		if (!cpu_off && !set_cpu1(0)) {
			cpu_off = 1;
			(*hotplugs)++;
		} else if (cpu_off && !set_cpu1(1)) {
			cpu_off = 0;
		}
		kill(v, SIGKILL);
		waitpid(v, &status, 0);
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
			ksft_print_msg("victim %d (kind %d) did not die by SIGKILL: status %#x\n",
				       v, kind, status);
			bad = 1;
		}
		(*victims)++;
		kind = (kind + 1) % 3;
		usleep(200000);
	}
	if (cpu_off && set_cpu1(1)) {
		ksft_print_msg("could not bring CPU 1 back online\n");
		bad = 1;
	}
	return bad;
}

int main(int argc, char **argv)
{
	char before[1024], after[1024];
	int i, status, bad = 0, skipped = 0, kfd, have_counters, splats;
	int with_faults = 1, victims = 0, hotplugs = 0, fault_bad = 0;
	pid_t load, pid, *workers;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--procs") && i + 1 < argc)
			procs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			threads = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no-faults"))
			with_faults = 0;
		else {
			fprintf(stderr, "usage: stress_nt [--seconds S] [--procs P] [--threads T] [--no-faults]\n");
			return 2;
		}
	}
	ksft_print_header();
	ksft_set_plan(4);
	if (access("/dev/ntpersonality", F_OK))
		ksft_exit_skip("no /dev/ntpersonality (module not loaded)\n");
	ksft_print_msg("%d processes x %d threads for %d s, %ld CPUs online, with a Linux workload\n",
		       procs, threads, seconds, sysconf(_SC_NPROCESSORS_ONLN));
	mkdir(STRESS_DIR, 0755);
	chmod(STRESS_DIR, 01777);	/* root's and the user's workers */
	have_counters = read_counters(before, sizeof(before));
	kfd = kmsg_open();

	/* the Linux workload: a fresh exec, so not attached */
	load = fork();
	if (!load) {
		execl("/bin/sh", "sh", "-c",
		      "while :; do cat /proc/meminfo /proc/stat >/dev/null; ls -R /proc/self >/dev/null 2>&1; done",
		      (char *)NULL);
		_exit(127);
	}
	workers = calloc(procs, sizeof(*workers));
	if (!workers)
		ksft_exit_fail_msg("out of memory\n");
	for (i = 0; i < procs; i++) {
		pid = fork();
		if (!pid) {
			if ((i & 1) && nt_become(NT_TEST_UID, NT_TEST_GID,
						 NTP_GATE_SYSENTER)) {
				ksft_print_msg("worker %d: cannot become uid %d\n",
					       i, NT_TEST_UID);
				_exit(1);
			}
			_exit(worker_process());
		}
		if (pid < 0)
			ksft_exit_fail_msg("fork: %s\n", strerror(errno));
		workers[i] = pid;
	}
	if (with_faults) {
		fault_bad = faults(time(NULL) + seconds, &victims, &hotplugs);
		ksft_print_msg("%d victims killed mid-work, CPU 1 offlined %d times\n",
			       victims, hotplugs);
	}
	for (i = 0; i < procs; i++) {
		pid = waitpid(workers[i], &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
			skipped++;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			ksft_print_msg("worker %d: %s %d\n", pid,
				       WIFSIGNALED(status) ? "signal" : "exit",
				       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			bad = 1;
		}
	}
	if (waitpid(load, &status, WNOHANG) == load) {
		ksft_print_msg("the Linux workload ended early\n");
		bad = 1;
	} else {
		kill(load, SIGKILL);
		waitpid(load, NULL, 0);
	}
	if (!bad && skipped == procs)
		ksft_test_result_skip("workers_finish_clean (no stressed service is implemented)\n");
	else
		ksft_test_result(!bad, "workers_finish_clean\n");

	if (!with_faults)
		ksft_test_result_skip("faults_survived (--no-faults)\n");
	else
		ksft_test_result(!fault_bad && victims > 0, "faults_survived\n");

	splats = kmsg_splats(kfd);
	if (splats < 0)
		ksft_test_result_skip("kernel_log_clean (no /dev/kmsg)\n");
	else
		ksft_test_result(!splats, "kernel_log_clean\n");

	check_counters_restored(have_counters, before, after, sizeof(after));
	ksft_finished();
}
