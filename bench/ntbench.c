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
 *   ntbench [-n ITERATIONS] [-r REPEATS] exceptions	the exception pair only
 *   ntbench [-n ITERATIONS] [-r REPEATS] images	the exec and image pairs only
 *   ntbench [-n ITERATIONS] [-r REPEATS] getppid	getppid only (run
 *		with NTDLL_NO_ATTACH=1 to measure an unattached process)
 *   ntbench scale [-s]	issue 19's curves at N = 1k, 10k, 100k: named
 *		open/create/missing in \BaseNamedObjects holding N objects,
 *		NtQueryDirectoryObject per entry (64 KiB buffer; one entry
 *		per call too, at 100k only with -s), then a SCHED_FIFO
 *		thread's worst lateness during the exit of a process with
 *		N handles against one with N eventfds, and the kernel memory
 *		(Slab + vmalloc, kB) two handles hold on a tmpfs directory
 *		of N names, listing in progress and listing complete
 *		(also alone: ntbench dirmem). Lines:
 *			raw scale <row>_<N> <units> <status>
 *   ntbench bigdir [N]	a directory of N (default 1M) hard links on
 *		tmpfs listed by NtQueryDirectoryFile in 4 KiB answers: every
 *		name once, peak and final kernel memory of the listing; exit
 *		status 1 when either fails (run with scripts/ntvm --mem 1536
 *		for 1M; make bench runs it at 100k)
 *   ntbench parallel	4 processes creating/opening distinct names, on
 *		one CPU then on all, and the Linux twin (files in tmpfs):
 *		"raw parallel names_speedup <x>", "linux_files_speedup"
 *		(wall clock: run without --icount, with --smp 2 --mttcg)
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <signal.h>
#include <ucontext.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <ntdll.h>
#include <nt/kuser.h>
#include "ntpersonality.h"

#define BAD_HANDLE	((HANDLE)0x1234)

static long iterations = 100000;
static int repeats = 1;
static int all_single;
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

/*
 * Linux's own entry-only twin of an NT index past the limit: a system call
 * number past NR_syscalls, answered -ENOSYS with no work.
 */
static __attribute__((noinline)) void op_enosys_vdso(void)
{
	sink = syscall(0x7fff);
}

static __attribute__((noinline)) void op_enosys_int80(void)
{
	long ret;

	asm volatile("int $0x80" : "=a" (ret) : "0" (0x7fff) : "memory", "cc");
	sink = ret;
}

/* The fair twin of NtQuerySystemTime: a kernel entry, not the vDSO. */
static __attribute__((noinline)) void op_clock_gettime_syscall(void)
{
	struct timespec ts;

	sink = syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts);
	sink = ts.tv_nsec;
}

/* The issue 16 sync pairs: one thread, nothing ever blocks. */
static HANDLE set_wait_ev;
static int set_wait_fd = -1;

static __attribute__((noinline)) void op_nt_set_wait(void)
{
	NTSTATUS st = NtSetEvent(set_wait_ev, NULL);

	if (!st)
		st = NtWaitForSingleObject(set_wait_ev, FALSE, NULL);
	last_status = st;
}

static __attribute__((noinline)) void op_lx_eventfd_write_read(void)
{
	uint64_t v = 1;

	sink = write(set_wait_fd, &v, sizeof(v));
	sink = read(set_wait_fd, &v, sizeof(v));
}

/* A handle lookup that hits: NtSetEvent on a signaled notification event. */
static HANDLE set_only_ev;

static __attribute__((noinline)) void op_nt_set_event(void)
{
	last_status = NtSetEvent(set_only_ev, NULL);
}

static __attribute__((noinline)) void op_lx_eventfd_write(void)
{
	uint64_t v = 1;

	sink = write(set_wait_fd, &v, sizeof(v));
}

static __attribute__((noinline)) void op_nt_create_close_event(void)
{
	HANDLE h;
	NTSTATUS st = NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL,
				    SynchronizationEvent, FALSE);

	if (!st)
		st = NtClose(h);
	last_status = st;
}

static __attribute__((noinline)) void op_lx_eventfd_close(void)
{
	sink = close(eventfd(0, 0));
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

/* ---- the file, memory and sync pairs of issues 6 and 7 ---------------- */

#define BENCH_DIR	"/tmp/ntbench"
#define BENCH_NT	"\\??\\unix\\tmp\\ntbench"
#define DIR_ENTRIES	10000
#define BIG		0x10000

static HANDLE nt_null, nt_file, nt_dir, nt_rdir;
static int lx_null = -1, lx_file = -1, lx_dir = -1, lx_rdir = -1;
static char big[BIG];

static NTSTATUS nt_open(HANDLE *h, const char *path, ACCESS_MASK access,
			ULONG disposition, ULONG options)
{
	WCHAR w[128];
	UNICODE_STRING name;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK iosb;
	unsigned int i;

	for (i = 0; path[i] && i < 127; i++)
		w[i] = (unsigned char)path[i];
	w[i] = 0;
	RtlInitUnicodeString(&name, w);
	InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
	return NtCreateFile(h, access | SYNCHRONIZE, &oa, &iosb, NULL, FILE_ATTRIBUTE_NORMAL,
			    FILE_SHARE_READ | FILE_SHARE_WRITE, disposition,
			    options | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

/* Files for the pairs; 0 when the NT side can open them all. */
static int setup_files(void)
{
	char path[64];
	int i, fd;

	mkdir(BENCH_DIR, 0755);
	mkdir(BENCH_DIR "/d", 0755);
	fd = open(BENCH_DIR "/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(big, 'x', sizeof(big));
	if (fd < 0 || write(fd, big, sizeof(big)) != sizeof(big))
		return -1;
	close(fd);
	for (i = 0; i < DIR_ENTRIES; i++) {
		snprintf(path, sizeof(path), BENCH_DIR "/d/entry-%05d", i);
		fd = open(path, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			return -1;
		close(fd);
	}
	/* the same names made in a scrambled order (7919 is prime to 10,000) */
	mkdir(BENCH_DIR "/r", 0755);
	for (i = 0; i < DIR_ENTRIES; i++) {
		snprintf(path, sizeof(path), BENCH_DIR "/r/entry-%05d",
			 (int)((i * 7919L + 13) % DIR_ENTRIES));
		fd = open(path, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			return -1;
		close(fd);
	}
	lx_null = open("/dev/null", O_WRONLY);
	lx_file = open(BENCH_DIR "/big", O_RDONLY);
	lx_dir = open(BENCH_DIR "/d", O_RDONLY | O_DIRECTORY);
	lx_rdir = open(BENCH_DIR "/r", O_RDONLY | O_DIRECTORY);
	if (lx_null < 0 || lx_file < 0 || lx_dir < 0 || lx_rdir < 0)
		return -1;
	if (nt_open(&nt_null, "\\Device\\Null", GENERIC_WRITE, FILE_OPEN, 0) ||
	    nt_open(&nt_file, BENCH_NT "\\big", GENERIC_READ, FILE_OPEN, 0) ||
	    nt_open(&nt_dir, BENCH_NT "\\d", FILE_LIST_DIRECTORY, FILE_OPEN,
		    FILE_DIRECTORY_FILE) ||
	    nt_open(&nt_rdir, BENCH_NT "\\r", FILE_LIST_DIRECTORY, FILE_OPEN,
		    FILE_DIRECTORY_FILE))
		return -1;
	return 0;
}

static __attribute__((noinline)) void op_nt_write_null(void)
{
	IO_STATUS_BLOCK iosb;

	last_status = NtWriteFile(nt_null, NULL, NULL, NULL, &iosb, "x", 1, NULL, NULL);
}

/*
 * Cuts through NtWriteFile for the breakdown in docs/performance.md (raw
 * lines only, no pair): the same nine argument words into a notimpl
 * service; a handle that is not in the table; the null device's handle
 * looked up and released, stopped by a NULL IO_STATUS_BLOCK.
 */
static __attribute__((noinline)) void op_nt_write_gather(void)
{
	IO_STATUS_BLOCK iosb;

	last_status = NtWriteFileGather(nt_null, NULL, NULL, NULL, &iosb, "x", 1,
					NULL, NULL);
}

static __attribute__((noinline)) void op_nt_write_badhandle(void)
{
	IO_STATUS_BLOCK iosb;

	last_status = NtWriteFile(BAD_HANDLE, NULL, NULL, NULL, &iosb, "x", 1,
				  NULL, NULL);
}

static __attribute__((noinline)) void op_nt_write_noiosb(void)
{
	last_status = NtWriteFile(nt_null, NULL, NULL, NULL, NULL, "x", 1, NULL,
				  NULL);
}

static __attribute__((noinline)) void op_lx_write_null(void)
{
	sink = write(lx_null, "x", 1);
}

static __attribute__((noinline)) void op_nt_read_64k(void)
{
	static char buf[BIG];
	IO_STATUS_BLOCK iosb;
	LARGE_INTEGER zero = { .QuadPart = 0 };

	last_status = NtReadFile(nt_file, NULL, NULL, NULL, &iosb, buf, BIG, &zero, NULL);
}

static __attribute__((noinline)) void op_lx_read_64k(void)
{
	static char buf[BIG];

	sink = pread(lx_file, buf, BIG, 0);
}

static __attribute__((noinline)) void op_nt_alloc_free(void)
{
	void *base = NULL;
	SIZE_T size = BIG;

	last_status = NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size,
					      MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
	if (NT_SUCCESS(last_status)) {
		size = 0;
		last_status = NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, MEM_RELEASE);
	}
}

static __attribute__((noinline)) void op_lx_mmap_munmap(void)
{
	void *p = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		sink = munmap(p, BIG);
}

/*
 * An image view (selftests' mingw-built img_a.exe, file alignment 0x200:
 * most pages come from the section's shadow) against mmap of the same
 * file, read-execute private, as a Linux loader starts.
 */
#define BENCH_IMAGE	"/usr/lib/ntpersonality/selftests/pe/img_a.exe"
#define BENCH_IMAGE_NT	"\\??\\unix\\usr\\lib\\ntpersonality\\selftests\\pe\\img_a.exe"
static HANDLE nt_image;
static int lx_image = -1;
static size_t lx_image_size;

static int setup_image(void)
{
	struct stat st;
	HANDLE f;

	lx_image = open(BENCH_IMAGE, O_RDONLY);
	if (lx_image < 0 || fstat(lx_image, &st))
		return -1;
	lx_image_size = st.st_size;
	if (nt_open(&f, BENCH_IMAGE_NT, FILE_EXECUTE, FILE_OPEN, 0))
		return -1;
	last_status = NtCreateSection(&nt_image, SECTION_ALL_ACCESS, NULL, NULL,
				      PAGE_EXECUTE, SEC_IMAGE, f);
	NtClose(f);
	return last_status ? -1 : 0;
}

static __attribute__((noinline)) void op_nt_map_image(void)
{
	void *base = NULL;
	SIZE_T size = 0;

	last_status = NtMapViewOfSection(nt_image, NtCurrentProcess(), &base, 0, 0,
					 NULL, &size, ViewShare, 0, PAGE_READWRITE);
	if (NT_SUCCESS(last_status))
		last_status = NtUnmapViewOfSection(NtCurrentProcess(), base);
}

static __attribute__((noinline)) void op_lx_mmap_image(void)
{
	void *p = mmap(NULL, lx_image_size, PROT_READ | PROT_EXEC, MAP_PRIVATE,
		       lx_image, 0);

	if (p != MAP_FAILED)
		sink = munmap(p, lx_image_size);
}

/*
 * Exec to exit of a native program against a static ELF one doing the
 * same work: fork, exec, wait; stdout to /dev/null. The PE side is what
 * a user's shell does: an unattached process execs ./hello.exe, the
 * module's binfmt (module/ps/binfmt.c) hands it to ntpeload, which maps
 * ntdll.dll and the image and runs the loader (docs/images.md). Both
 * children detach first, as a shell is not attached; the ntrun row is
 * the way before the binfmt (ntrun, then ntpeload: two execs).
 */
#define BENCH_HELLO_PE	"/usr/lib/ntpersonality/selftests/pe/hello.exe"
static int devnull = -1, devnt = -1;

static void exec_wait(const char *path, char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		dup2(devnull, 1);
		if (ioctl(devnt, NTP_IOC_DETACH))
			_exit(98);
		execv(path, argv);
		_exit(99);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		sink = WIFEXITED(status) && WEXITSTATUS(status) == 42;
	else
		sink = 0;
	if (!sink)
		last_status = STATUS_UNSUCCESSFUL;
}

static __attribute__((noinline)) void op_exec_hello_pe(void)
{
	char *const argv[] = { "hello.exe", NULL };

	exec_wait(BENCH_HELLO_PE, argv);
}

static __attribute__((noinline)) void op_exec_hello_pe_ntrun(void)
{
	char *const argv[] = { "ntrun", BENCH_HELLO_PE, NULL };

	exec_wait("/usr/bin/ntrun", argv);
}

static __attribute__((noinline)) void op_exec_hello_elf(void)
{
	char *const argv[] = { "hello-elf", NULL };

	exec_wait("/usr/bin/hello-elf", argv);
}

/* One full enumeration of the 10,000-entry directory, RestartScan first. */
static NTSTATUS nt_dir_all(HANDLE dir, FILE_INFORMATION_CLASS cls)
{
	static char buf[BIG];
	IO_STATUS_BLOCK iosb;
	BOOLEAN restart = TRUE;
	NTSTATUS st;

	do {
		st = NtQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, buf, sizeof(buf),
					  cls, FALSE, NULL, restart);
		restart = FALSE;
	} while (st == STATUS_SUCCESS);
	return st;	/* STATUS_NO_MORE_FILES when complete */
}

/* Names only: the information getdents64 gives. */
static __attribute__((noinline)) void op_nt_dir_names(void)
{
	last_status = nt_dir_all(nt_dir, FileNamesInformation);
}

/* The same, names made in scrambled order: the sort has no run to find. */
static __attribute__((noinline)) void op_nt_rdir_names(void)
{
	last_status = nt_dir_all(nt_rdir, FileNamesInformation);
}

/* Names, times, sizes, attributes: getdents64 + a stat of each name. */
static __attribute__((noinline)) void op_nt_dir_info(void)
{
	last_status = nt_dir_all(nt_dir, FileDirectoryInformation);
}

static void lx_dir_all(int fd)
{
	static char buf[BIG];
	long n;

	lseek(fd, 0, SEEK_SET);
	do
		n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
	while (n > 0);
	sink = n;
}

static __attribute__((noinline)) void op_lx_dir(void)
{
	lx_dir_all(lx_dir);
}

static __attribute__((noinline)) void op_lx_rdir(void)
{
	lx_dir_all(lx_rdir);
}

struct lx_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* What `ls -l` does: getdents64, then fstatat each name. */
static __attribute__((noinline)) void op_lx_dir_stat(void)
{
	static char buf[BIG];
	struct stat st;
	long n, i;

	lseek(lx_dir, 0, SEEK_SET);
	while ((n = syscall(SYS_getdents64, lx_dir, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; ) {
			struct lx_dirent64 *e = (struct lx_dirent64 *)(buf + i);

			sink += fstatat(lx_dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW);
			i += e->d_reclen;
		}
	}
}

/*
 * Ping-pong: the measuring thread signals, a partner thread answers; one
 * operation = one round trip (two wakes, two waits).
 */
static HANDLE ping_ev, pong_ev;
static volatile int ping_word, pong_word, partner_stop;

static void *nt_partner(void *arg __attribute__((unused)))
{
	while (!partner_stop) {
		NtWaitForSingleObject(ping_ev, FALSE, NULL);
		NtSetEvent(pong_ev, NULL);
	}
	return NULL;
}

static __attribute__((noinline)) void op_nt_pingpong(void)
{
	NtSetEvent(ping_ev, NULL);
	last_status = NtWaitForSingleObject(pong_ev, FALSE, NULL);
}

static long futex(volatile int *w, int op, int val)
{
	return syscall(SYS_futex, w, op, val, NULL, NULL, 0);
}

/* Linux: a word per direction, set to 1 then woken; the waiter resets it. */
static void fwait(volatile int *w)
{
	while (!__atomic_exchange_n(w, 0, __ATOMIC_ACQUIRE))
		futex(w, FUTEX_WAIT_PRIVATE, 0);
}

static void fwake(volatile int *w)
{
	__atomic_store_n(w, 1, __ATOMIC_RELEASE);
	futex(w, FUTEX_WAKE_PRIVATE, 1);
}

static void *lx_partner(void *arg __attribute__((unused)))
{
	while (!partner_stop) {
		fwait(&ping_word);
		fwake(&pong_word);
	}
	return NULL;
}

static __attribute__((noinline)) void op_lx_pingpong(void)
{
	fwake(&ping_word);
	fwait(&pong_word);
}

/*
 * Issue 13's pairs. A thread's life: NtCreateThread on a stack made once
 * (its routine ends with NtTerminateThread) + NtWaitForSingleObject on
 * its handle + NtClose, vs pthread_create (glibc's cached stack) +
 * pthread_join, the Linux side measured in an unattached process (in an
 * attached one each clone also gets its TEB). A user APC: NtQueueApcThread
 * to ourselves + NtTestAlert, delivered through KiUserApcDispatcher and
 * NtContinue, vs a signal to ourselves (tgkill) delivered to an empty
 * handler and rt_sigreturn.
 */
#define THREAD_STACK	0x10000
static CONTEXT th_ctx;
static INITIAL_TEB th_iteb;

static void th_exit(void)
{
	NtTerminateThread(NtCurrentThread(), 0);
}

static int setup_nt_thread(void)
{
	uint8_t *stack = mmap(NULL, THREAD_STACK, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (stack == MAP_FAILED)
		return -1;
	th_iteb.StackBase = stack + THREAD_STACK;
	th_iteb.StackLimit = stack;
	th_iteb.AllocatedStackBase = stack;
	th_ctx.ContextFlags = CONTEXT_FULL;
	th_ctx.SegCs = NT_USER_CS;
	th_ctx.SegSs = th_ctx.SegDs = th_ctx.SegEs = NT_USER_DS;
	th_ctx.SegFs = NT_TEB_SELECTOR;
	th_ctx.EFlags = 0x202;
	th_ctx.Esp = (uintptr_t)(stack + THREAD_STACK - 64 - 4);	/* as after a call */
	th_ctx.Eip = (uintptr_t)th_exit;
	return 0;
}

static __attribute__((noinline)) void op_nt_thread(void)
{
	CLIENT_ID cid;
	HANDLE h;

	last_status = NtCreateThread(&h, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
				     &cid, &th_ctx, &th_iteb, FALSE);
	if (NT_SUCCESS(last_status)) {
		last_status = NtWaitForSingleObject(h, FALSE, NULL);
		NtClose(h);
	}
}

static void *lx_thread_fn(void *arg)
{
	return arg;
}

static __attribute__((noinline)) void op_lx_thread(void)
{
	pthread_t t;

	if (!pthread_create(&t, NULL, lx_thread_fn, NULL))
		pthread_join(t, NULL);
}

static volatile int apcs_run;

static void NTAPI bench_apc(void *a __attribute__((unused)),
			    void *b __attribute__((unused)),
			    void *c __attribute__((unused)))
{
	apcs_run++;
}

static __attribute__((noinline)) void op_nt_apc(void)
{
	NtQueueApcThread(NtCurrentThread(), (void *)bench_apc, NULL, NULL, NULL);
	last_status = NtTestAlert();
}

static void bench_handler(int sig __attribute__((unused)))
{
	apcs_run++;
}

static pid_t my_pid, my_tid;

static __attribute__((noinline)) void op_lx_signal(void)
{
	syscall(SYS_tgkill, my_pid, my_tid, SIGUSR1);
}

static void signal_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = bench_handler;
	sigaction(SIGUSR1, &sa, NULL);
	my_pid = getpid();
	my_tid = syscall(SYS_gettid);
}

/* Units per call of @fn, loop included: the minimum over the repeats. */
/*
 * Registry (issue 15): a small value read, and a value set and flushed.
 * The Linux twins: fgetxattr of a 4-byte attribute (the cheapest named
 * small-value read the kernel has), and pwrite + fsync of 4 bytes. The
 * flush appends one record to machine.log in registry_dir and fdatasyncs
 * it; the twin's file is in that same directory, so both reach the same
 * file system (guest-bench mounts scripts/bench's ext4 disk there; without
 * one it is the initramfs, and both fsyncs are nearly free).
 */
static HANDLE reg_key;
static UNICODE_STRING reg_vname;
static WCHAR reg_vname_buf[2] = { 'v', 0 };
static int reg_fd = -1;

static int setup_registry(void)
{
	static const char path[] = "\\Registry\\Machine\\ntbench";
	static WCHAR wpath[sizeof(path)];
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	ULONG dw = 1;
	size_t i;

	mkdir("/var/lib", 0755);
	mkdir("/var/lib/ntpersonality", 0700);
	for (i = 0; i < sizeof(path); i++)
		wpath[i] = path[i];
	RtlInitUnicodeString(&us, wpath);
	RtlInitUnicodeString(&reg_vname, reg_vname_buf);
	InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, NULL, NULL);
	if (NtCreateKey(&reg_key, KEY_ALL_ACCESS, &oa, 0, NULL, 0, NULL) ||
	    NtSetValueKey(reg_key, &reg_vname, 0, REG_DWORD, &dw, 4))
		return -1;
	reg_fd = open("/var/lib/ntpersonality/ntbench-reg", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (reg_fd < 0 || fsetxattr(reg_fd, "trusted.v", &dw, 4, 0))
		return -1;
	return 0;
}

static __attribute__((noinline)) void op_nt_query_value(void)
{
	ULONG buf[4], len;

	last_status = NtQueryValueKey(reg_key, &reg_vname, KeyValuePartialInformation,
				      buf, sizeof(buf), &len);
}

static __attribute__((noinline)) void op_lx_getxattr(void)
{
	ULONG v;

	if (fgetxattr(reg_fd, "trusted.v", &v, sizeof(v)) != sizeof(v))
		abort();
}

static __attribute__((noinline)) void op_nt_set_flush(void)
{
	static ULONG dw;

	dw++;
	last_status = NtSetValueKey(reg_key, &reg_vname, 0, REG_DWORD, &dw, 4);
	if (!last_status)
		last_status = NtFlushKey(reg_key);
}

static __attribute__((noinline)) void op_lx_write_fsync(void)
{
	static ULONG dw;

	dw++;
	if (pwrite(reg_fd, &dw, 4, 0) != 4 || fsync(reg_fd))
		abort();
}

/*
 * /sys/block/vda/stat: write requests, sectors written and flushes, to
 * say what each side of the set+flush pair asks of the disk.
 */
static int blk_read(unsigned long long v[17])
{
	FILE *f = fopen("/sys/block/vda/stat", "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < 17 && fscanf(f, "%llu", &v[n]) == 1)
		n++;
	fclose(f);
	return n >= 17 ? 0 : -1;
}


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

static void report_n(const char *name, op_fn fn, int nt, long n)
{
	long saved = iterations;

	iterations = n;
	report(name, fn, nt);
	iterations = saved;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The registry pairs. The set+flush pair waits for the disk, so under
 * -icount its figures include how long the host took, which varies from
 * run to run: its two sides run in turn @runs times, @n operations each,
 * and the median of each side is the figure. Each run's figure and what
 * it asked of the disk (/sys/block/vda/stat, per operation: reads, write
 * requests, sectors written, flushes) go to "run" lines.
 */
static void registry_pairs(long n, int runs)
{
	static const struct { const char *name; op_fn fn; int nt; } p[] = {
		{ "set_value_flush_nt", op_nt_set_flush, 1 },
		{ "write_fsync_linux", op_lx_write_fsync, 0 },
	};
	unsigned long long a[17], b[17];
	int saved_repeats = repeats, r, i, have;
	long saved_iterations = iterations;
	double v[2][32];
	NTSTATUS st = 0;

	if (setup_registry()) {
		fprintf(stderr, "ntbench: registry pairs unavailable (setup failed)\n");
		return;
	}
	report("query_value_nt", op_nt_query_value, 1);
	report("getxattr_linux", op_lx_getxattr, 0);
	if (runs > 32)
		runs = 32;
	repeats = 1;
	iterations = n;
	for (r = 0; r < runs; r++) {
		for (i = 0; i < 2; i++) {
			volatile op_fn f = p[i].fn;

			have = !blk_read(a);
			last_status = 0;
			v[i][r] = run(f) - loop_cost;
			if (p[i].nt && last_status)
				st = last_status;
			printf("run %s %.2f", p[i].name, v[i][r]);
			if (have && !blk_read(b))
				printf(" blk %.2f %.2f %.2f %.2f",
				       (double)(b[0] - a[0]) / n,
				       (double)(b[4] - a[4]) / n,
				       (double)(b[6] - a[6]) / n,
				       (double)(b[15] - a[15]) / n);
			printf("\n");
		}
	}
	iterations = saved_iterations;
	repeats = saved_repeats;
	for (i = 0; i < 2; i++) {
		qsort(v[i], runs, sizeof(v[i][0]), cmp_double);
		if (p[i].nt)
			printf("raw %s %.2f 0x%08x\n", p[i].name, v[i][runs / 2],
			       (unsigned int)st);
		else
			printf("raw %s %.2f linux\n", p[i].name, v[i][runs / 2]);
	}
	fflush(stdout);
}

static void image_pairs(void);

/* ---- a caught access violation vs a caught SIGSEGV (issue 13) -------- */

static EXCEPTION_DISPOSITION av_handler(EXCEPTION_RECORD *rec, void *frame,
					CONTEXT *ctx, void *dc)
{
	(void)rec, (void)frame, (void)dc;
	ctx->Eip += 2;		/* over the faulting mov */
	return ExceptionContinueExecution;
}

#define FAULT_READ_NULL() \
	asm volatile("xorl %%eax, %%eax\n\tmovl (%%eax), %%eax" ::: "eax", "memory")

/* fs:[0] handler, KiUserExceptionDispatcher, NtContinue */
static __attribute__((noinline)) void op_nt_av(void)
{
	EXCEPTION_REGISTRATION_RECORD reg;

	reg.Next = NtCurrentTeb()->NtTib.ExceptionList;
	reg.Handler = av_handler;
	NtCurrentTeb()->NtTib.ExceptionList = &reg;
	asm volatile("" ::: "memory");
	FAULT_READ_NULL();
	NtCurrentTeb()->NtTib.ExceptionList = reg.Next;
}

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si;
	((ucontext_t *)uc)->uc_mcontext.gregs[REG_EIP] += 2;
}

/* SIGSEGV handler fixing the ucontext's eip, sigreturn */
static __attribute__((noinline)) void op_lx_segv(void)
{
	FAULT_READ_NULL();
}

/* The dispatchers libntdll registered, or none for exceptions (Linux signals) */
static int set_exception_dispatcher(int on)
{
	struct ntp_dispatchers d = {
		.user_apc = (__u32)(uintptr_t)KiUserApcDispatcher,
		.exception = on ? (__u32)(uintptr_t)KiUserExceptionDispatcher : 0,
	};
	int fd = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC), err;

	if (fd < 0)
		return -1;
	err = ioctl(fd, NTP_IOC_SET_DISPATCHERS, &d);
	close(fd);
	return err;
}

/* RtlRaiseException caught by the same handler: dispatch without a fault */
static EXCEPTION_DISPOSITION raise_handler(EXCEPTION_RECORD *rec, void *frame,
					   CONTEXT *ctx, void *dc)
{
	(void)rec, (void)frame, (void)ctx, (void)dc;
	return ExceptionContinueExecution;
}

static __attribute__((noinline)) void op_nt_raise(void)
{
	EXCEPTION_REGISTRATION_RECORD reg;
	EXCEPTION_RECORD rec = { .ExceptionCode = 0x20000001 };

	reg.Next = NtCurrentTeb()->NtTib.ExceptionList;
	reg.Handler = raise_handler;
	NtCurrentTeb()->NtTib.ExceptionList = &reg;
	asm volatile("" ::: "memory");
	RtlRaiseException(&rec);
	NtCurrentTeb()->NtTib.ExceptionList = reg.Next;
}

/* NtContinue of a CONTEXT_FULL alone: the resume half of the above */
static __attribute__((noinline)) void op_nt_continue(void)
{
	static CONTEXT ctx;
	static volatile int done;

	done = 0;
	RtlCaptureContext(&ctx);
	if (!done) {
		done = 1;
		NtContinue(&ctx, FALSE);
	}
}

static void exception_pair(void)
{
	struct sigaction sa = { .sa_sigaction = segv_handler, .sa_flags = SA_SIGINFO };
	struct sigaction old;

	report_n("caught_av_nt", op_nt_av, 1, iterations / 10);
	report_n("raise_caught_nt", op_nt_raise, 1, iterations / 10);
	report_n("continue_full_nt", op_nt_continue, 1, iterations / 10);
	if (set_exception_dispatcher(0) || sigaction(SIGSEGV, &sa, &old)) {
		fprintf(stderr, "ntbench: SIGSEGV side unavailable\n");
		return;
	}
	report_n("caught_segv_linux", op_lx_segv, 0, iterations / 10);
	sigaction(SIGSEGV, &old, NULL);
	set_exception_dispatcher(1);
}

static void pairs(void)
{
	pthread_t t;

	if (setup_files()) {
		fprintf(stderr, "ntbench: file pairs unavailable (setup failed)\n");
	} else {
		report("write_null_nt", op_nt_write_null, 1);
		report("write_null_linux", op_lx_write_null, 0);
		report("write_gather_notimpl_nt", op_nt_write_gather, 1);
		report("write_badhandle_nt", op_nt_write_badhandle, 1);
		report("write_noiosb_nt", op_nt_write_noiosb, 1);
		report_n("read_64k_nt", op_nt_read_64k, 1, iterations / 10);
		report_n("read_64k_linux", op_lx_read_64k, 0, iterations / 10);
		report_n("dir_10000_nt", op_nt_dir_names, 1, 20);
		report_n("dir_10000_linux", op_lx_dir, 0, 20);
		report_n("rdir_10000_nt", op_nt_rdir_names, 1, 20);
		report_n("rdir_10000_linux", op_lx_rdir, 0, 20);
		report_n("dir_10000_info_nt", op_nt_dir_info, 1, 20);
		report_n("dir_10000_stat_linux", op_lx_dir_stat, 0, 20);
	}
	image_pairs();
	if (!NtCreateEvent(&set_wait_ev, EVENT_ALL_ACCESS, NULL,
			   SynchronizationEvent, FALSE) &&
	    (set_wait_fd = eventfd(0, 0)) >= 0) {
		report("set_wait_nt", op_nt_set_wait, 1);
		report("eventfd_write_read_linux", op_lx_eventfd_write_read, 0);
	} else {
		fprintf(stderr, "ntbench: set+wait pair unavailable\n");
	}
	if (!NtCreateEvent(&set_only_ev, EVENT_ALL_ACCESS, NULL,
			   NotificationEvent, TRUE) && set_wait_fd >= 0) {
		report("set_event_nt", op_nt_set_event, 1);
		report("eventfd_write_linux", op_lx_eventfd_write, 0);
		NtClose(set_only_ev);
	}
	report("create_close_event_nt", op_nt_create_close_event, 1);
	report("eventfd_close_linux", op_lx_eventfd_close, 0);
	report("clock_gettime_syscall", op_clock_gettime_syscall, 0);
	report_n("alloc_free_64k_nt", op_nt_alloc_free, 1, iterations / 10);
	report_n("mmap_munmap_64k_linux", op_lx_mmap_munmap, 0, iterations / 10);
	registry_pairs(1000, 5);

	if (!NtCreateEvent(&ping_ev, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, FALSE) &&
	    !NtCreateEvent(&pong_ev, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, FALSE) &&
	    !pthread_create(&t, NULL, nt_partner, NULL)) {
		report_n("pingpong_nt", op_nt_pingpong, 1, iterations / 10);
		partner_stop = 1;
		NtSetEvent(ping_ev, NULL);
		pthread_join(t, NULL);
		partner_stop = 0;
	} else {
		fprintf(stderr, "ntbench: NT ping-pong unavailable\n");
	}
	exception_pair();
	if (!pthread_create(&t, NULL, lx_partner, NULL)) {
		report_n("pingpong_linux", op_lx_pingpong, 0, iterations / 10);
		partner_stop = 1;
		fwake(&ping_word);
		pthread_join(t, NULL);
	}
}

/* --- scale (issue 19) --- */

#define SCALE_NAME_MAX	64

static WCHAR sc_wname[SCALE_NAME_MAX];
static UNICODE_STRING sc_name;
static OBJECT_ATTRIBUTES sc_oa;

static void sc_set_name(const char *fmt, long i)
{
	char a[SCALE_NAME_MAX];
	int k;

	snprintf(a, sizeof(a), fmt, i);
	for (k = 0; a[k]; k++)
		sc_wname[k] = (unsigned char)a[k];
	sc_wname[k] = 0;
	RtlInitUnicodeString(&sc_name, sc_wname);
	InitializeObjectAttributes(&sc_oa, &sc_name, OBJ_CASE_INSENSITIVE, NULL, NULL);
}

static __attribute__((noinline)) void op_sc_open(void)
{
	HANDLE h;

	last_status = NtOpenEvent(&h, EVENT_ALL_ACCESS, &sc_oa);
	if (NT_SUCCESS(last_status))
		NtClose(h);
}

static __attribute__((noinline)) void op_sc_create(void)
{
	HANDLE h;

	last_status = NtCreateEvent(&h, EVENT_ALL_ACCESS, &sc_oa,
				    NotificationEvent, FALSE);
	if (NT_SUCCESS(last_status))
		NtClose(h);
}

static HANDLE wa_ev[MAXIMUM_WAIT_OBJECTS];

/* WaitAll on 64 signaled notification events: returns at once. */
static __attribute__((noinline)) void op_sc_waitall(void)
{
	last_status = NtWaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, wa_ev,
					       WaitAll, FALSE, NULL);
}

/* Names "\BaseNamedObjects\scale-%07ld", permanent (root), [from, to). */
static int sc_fill(long from, long to)
{
	HANDLE h;
	long i;

	for (i = from; i < to; i++) {
		sc_set_name("\\BaseNamedObjects\\scale-%07ld", i);
		sc_oa.Attributes |= OBJ_PERMANENT;
		if (NtCreateEvent(&h, EVENT_ALL_ACCESS, &sc_oa, NotificationEvent,
				  FALSE))
			return -1;
		NtClose(h);
	}
	return 0;
}

static void sc_unfill(long n)
{
	HANDLE h;
	long i;

	for (i = 0; i < n; i++) {
		sc_set_name("\\BaseNamedObjects\\scale-%07ld", i);
		if (!NtOpenEvent(&h, EVENT_ALL_ACCESS, &sc_oa)) {
			NtMakeTemporaryObject(h);
			NtClose(h);
		}
	}
}

/* Instructions per entry of a whole listing of \BaseNamedObjects. */
static double sc_list(int single, long *entries)
{
	static char buf[65536];
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING n;
	ULONG ctx = 0, len;
	uint64_t t0, t1;
	NTSTATUS st;
	HANDLE d;
	long cnt = 0;
	int restart = 1;

	RtlInitUnicodeString(&n, u"\\BaseNamedObjects");
	InitializeObjectAttributes(&oa, &n, 0, NULL, NULL);
	if (NtOpenDirectoryObject(&d, DIRECTORY_QUERY, &oa))
		return -1;
	t0 = now_ns();
	do {
		OBJECT_DIRECTORY_INFORMATION *di = (void *)buf;

		st = NtQueryDirectoryObject(d, buf, sizeof(buf), single, restart,
					    &ctx, &len);
		restart = 0;
		if (NT_SUCCESS(st))
			while (di->Name.Length) {
				cnt++;
				di++;
			}
	} while (st == STATUS_SUCCESS || st == STATUS_MORE_ENTRIES);
	t1 = now_ns();
	last_status = st;
	NtClose(d);
	*entries = cnt;
	return cnt ? (double)(t1 - t0) / cnt : -1;
}

/* What the FIFO thread saw: the worst lateness of a 100 us period. */
static volatile int fifo_stop;
static volatile uint64_t fifo_worst;

static void *fifo_thread(void *arg __attribute__((unused)))
{
	struct timespec ts;
	uint64_t next, t;

	next = now_ns();
	while (!fifo_stop) {
		next += 100000;
		ts.tv_sec = next / 1000000000ull;
		ts.tv_nsec = next % 1000000000ull;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		t = now_ns();
		if (t > next && t - next > fifo_worst)
			fifo_worst = t - next;
		if (t > next)
			next = t;
	}
	return NULL;
}

static long sc_live_handles(void)
{
	FILE *f = fopen("/sys/kernel/debug/ntpersonality/ob/handles", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/*
 * A child holding @n handles (nt) or @n eventfds exits while a SCHED_FIFO
 * thread of ours runs every 100 us: its worst lateness, from the exit
 * until the teardown is over (the NT one runs on a workqueue after the
 * exit: until the module's handle count is back).
 */
static double sc_exit_lateness(long n, int nt)
{
	struct sched_param sp = { .sched_priority = 50 };
	int ready[2], go[2];
	pthread_attr_t a;
	pthread_t t;
	long base = sc_live_handles();
	char c = 0;
	pid_t pid;

	if (pipe(ready) || pipe(go))
		return -1;
	pid = fork();
	if (!pid) {
		struct rlimit rl = { n + 64, n + 64 };
		long i;
		HANDLE h;

		setrlimit(RLIMIT_NOFILE, &rl);
		for (i = 0; i < n; i++) {
			if (nt ? NtCreateEvent(&h, EVENT_ALL_ACCESS, NULL,
					       NotificationEvent, FALSE) :
				 eventfd(0, 0) < 0)
				_exit(1);
		}
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	if (read(ready[0], &c, 1) != 1) {
		waitpid(pid, NULL, 0);
		return -1;
	}
	fifo_stop = 0;
	fifo_worst = 0;
	pthread_attr_init(&a);
	pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&a, SCHED_FIFO);
	pthread_attr_setschedparam(&a, &sp);
	if (pthread_create(&t, &a, fifo_thread, NULL))
		return -1;
	usleep(2000);
	fifo_worst = 0;
	if (write(go[1], &c, 1) != 1)
		return -1;
	waitpid(pid, NULL, 0);
	while (nt && sc_live_handles() > base)
		usleep(1000);
	usleep(2000);
	fifo_stop = 1;
	pthread_join(t, NULL);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	return fifo_worst;
}

static void sc_report(const char *row, long n, double v, int nt);

/* Slab + vmalloc in use, kB (/proc/meminfo). */
static long sc_kmem_kb(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long v, sum = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld", &v) == 1 ||
		    sscanf(line, "VmallocUsed: %ld", &v) == 1)
			sum += v;
	fclose(f);
	return sum;
}

/*
 * Kernel memory held by two handles on a tmpfs directory of @n names:
 * after one NtQueryDirectoryFile call each (listing in progress), then
 * after each listed to STATUS_NO_MORE_FILES (complete), in kB.
 */
static void sc_dirmem(long n, long *have)
{
	char path[64];
	HANDLE h[2];
	long i, base, mid, end;
	int k, fd;

	if (!*have) {
		/* its own tmpfs: the VM's /tmp has too few inodes for 100k */
		mkdir("/tmp/ntbench-scale", 0755);
		mount("none", "/tmp/ntbench-scale", "tmpfs", 0, "nr_inodes=0");
	}
	for (i = *have; i < n; i++) {
		snprintf(path, sizeof(path), "/tmp/ntbench-scale/file-%07ld", i);
		fd = open(path, O_CREAT | O_WRONLY, 0644);
		if (fd < 0)
			return;
		close(fd);
	}
	*have = n;
	for (k = 0; k < 2; k++)
		if (nt_open(&h[k], "\\??\\unix\\tmp\\ntbench-scale",
			    FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE))
			return;
	sync();
	base = sc_kmem_kb();
	for (k = 0; k < 2; k++) {
		static char buf[4096];
		IO_STATUS_BLOCK iosb;

		last_status = NtQueryDirectoryFile(h[k], NULL, NULL, NULL, &iosb,
						   buf, sizeof(buf),
						   FileNamesInformation, FALSE,
						   NULL, TRUE);
	}
	mid = sc_kmem_kb();
	for (k = 0; k < 2; k++)
		last_status = nt_dir_all(h[k], FileNamesInformation);
	end = sc_kmem_kb();
	sc_report("dirmem_2_handles_in_progress_kb", n, mid - base, 1);
	sc_report("dirmem_2_handles_complete_kb", n, end - base, 1);
	for (k = 0; k < 2; k++)
		NtClose(h[k]);
	if (n == 100000) {
		/* the pairs measured after this should not share its memory */
		umount2("/tmp/ntbench-scale", MNT_DETACH);
		rmdir("/tmp/ntbench-scale");
	}
}

/*
 * Issue 19's "a 1M-entry directory lists correctly with bounded memory":
 * @n hard links to one file on a private tmpfs (a link costs a dentry,
 * not an inode: a million tmpfs inodes do not fit i386 lowmem), listed by
 * NtQueryDirectoryFile(FileNamesInformation) into a 4 KiB buffer. Every
 * name must come exactly once ('.' and '..' too), and the kernel memory
 * (Slab + vmalloc) the listing handle holds is sampled after every call:
 * its peak and what is left once STATUS_NO_MORE_FILES came. Above
 * dir_sort_max names the listing streams a window at a time (io/dir.c),
 * so the peak is bounded by the window, not by @n. Returns 0 when every
 * name was seen once and the bounds hold (peak <= 16 MiB, complete <=
 * 1 MiB: /proc/meminfo also moves with unrelated slab activity).
 */
#define BIG_DIR		"/tmp/ntbench-big"

static int bigdir(long n)
{
	static char buf[4096];
	unsigned char *seen = calloc(n, 1);
	long i, k, base, peak = 0, kb, listed = 0, dups = 0, strays = 0, calls = 0;
	uint64_t t0, t1, t2;
	IO_STATUS_BLOCK iosb;
	char path[64];
	NTSTATUS st;
	int dots = 0, fd;
	HANDLE h;

	if (!seen)
		return 1;
	mkdir(BIG_DIR, 0755);
	if (mount("none", BIG_DIR, "tmpfs", 0, "nr_inodes=0"))
		return 1;
	fd = open(BIG_DIR "/target", O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		return 1;
	close(fd);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), BIG_DIR "/l%07ld", i);
		if (link(BIG_DIR "/target", path)) {
			fprintf(stderr, "bigdir: link %ld: %m\n", i);
			return 1;
		}
	}
	t1 = now_ns();
	if (nt_open(&h, "\\??\\unix\\tmp\\ntbench-big", FILE_LIST_DIRECTORY,
		    FILE_OPEN, FILE_DIRECTORY_FILE))
		return 1;
	sync();
	base = sc_kmem_kb();
	for (;;) {
		FILE_NAMES_INFORMATION *e;
		ULONG off = 0;
		char name[32];
		int j;

		st = NtQueryDirectoryFile(h, NULL, NULL, NULL, &iosb, buf, sizeof(buf),
					  FileNamesInformation, FALSE, NULL, !calls);
		calls++;
		if (st != STATUS_SUCCESS)
			break;
		do {
			e = (void *)(buf + off);
			for (j = 0; j < (int)(e->FileNameLength / 2) && j < 31; j++)
				name[j] = (char)e->FileName[j];
			name[j] = 0;
			if (!strcmp(name, ".") || !strcmp(name, ".."))
				dots++;
			else if (!strcmp(name, "target"))
				;
			else if (sscanf(name, "l%ld", &k) == 1 && k >= 0 && k < n)
				dups += seen[k]++ != 0;
			else
				strays++;
			listed++;
			off += e->NextEntryOffset;
		} while (e->NextEntryOffset);
		if (calls % 64 == 1) {
			kb = sc_kmem_kb() - base;
			if (kb > peak)
				peak = kb;
		}
	}
	t2 = now_ns();
	kb = sc_kmem_kb() - base;
	for (i = 0; i < n; i++)
		if (seen[i] != 1)
			break;
	printf("raw bigdir entries %ld linux\n", n);
	printf("raw bigdir listed %ld 0x%08x\n", listed, (unsigned int)st);
	printf("raw bigdir missing_or_dup %ld linux\n", (i < n) + dups + strays);
	printf("raw bigdir calls %ld linux\n", calls);
	printf("raw bigdir peak_kb %ld linux\n", peak);
	printf("raw bigdir complete_kb %ld linux\n", kb);
	printf("raw bigdir link_s %.1f linux\n", (t1 - t0) / 1e9);
	printf("raw bigdir list_s %.1f linux\n", (t2 - t1) / 1e9);
	NtClose(h);
	umount2(BIG_DIR, MNT_DETACH);
	rmdir(BIG_DIR);
	free(seen);
	return st != STATUS_NO_MORE_FILES || i < n || dups || strays || dots != 2 ||
	       listed != n + 3 || peak > 16384 || kb > 1024;
}

static double sc_exit_median(long n, int nt)
{
	double v[3], t;
	int i, j;

	for (i = 0; i < 3; i++)
		v[i] = sc_exit_lateness(n, nt);
	for (i = 0; i < 3; i++)
		for (j = i + 1; j < 3; j++)
			if (v[j] < v[i]) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
			}
	return v[1];
}

static void sc_report(const char *row, long n, double v, int nt)
{
	if (nt)
		printf("raw scale %s_%ld %.2f 0x%08x\n", row, n, v,
		       (unsigned int)last_status);
	else
		printf("raw scale %s_%ld %.2f linux\n", row, n, v);
	fflush(stdout);
}

static int scale(int all_single)
{
	static const long ns[] = { 1000, 10000, 100000 };
	long have = 0, entries;
	unsigned int k;
	FILE *f;

	/* 100k handles of one process: above the default max_handles */
	f = fopen("/sys/module/ntpersonality/parameters/max_handles", "w");
	if (f) {
		fprintf(f, "%d\n", 1 << 20);
		fclose(f);
	}
	for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		long n = ns[k];

		if (sc_fill(have, n)) {
			fprintf(stderr, "ntbench: cannot fill to %ld names\n", n);
			sc_unfill(n);
			return 1;
		}
		have = n;
		sc_set_name("\\BaseNamedObjects\\scale-%07ld", n / 2);
		sc_report("open_named", n, run(op_sc_open) - loop_cost, 1);
		sc_set_name("\\BaseNamedObjects\\scale-new-%ld", n);
		sc_report("create_named", n, run(op_sc_create) - loop_cost, 1);
		sc_set_name("\\BaseNamedObjects\\scale-missing-%ld", n);
		sc_report("open_missing", n, run(op_sc_open) - loop_cost, 1);
		sc_report("list_per_entry", n, sc_list(0, &entries), 1);
		if (n <= 10000 || all_single)
			sc_report("list_single_per_entry", n, sc_list(1, &entries), 1);
	}
	sc_unfill(have);
	have = 0;
	for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++)
		sc_dirmem(ns[k], &have);
	for (k = 0; k < MAXIMUM_WAIT_OBJECTS; k++)
		if (NtCreateEvent(&wa_ev[k], EVENT_ALL_ACCESS, NULL,
				  NotificationEvent, TRUE))
			return 1;
	sc_report("waitall", MAXIMUM_WAIT_OBJECTS, run(op_sc_waitall) - loop_cost, 1);
	for (k = 0; k < MAXIMUM_WAIT_OBJECTS; k++)
		NtClose(wa_ev[k]);
	for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		sc_report("exit_fifo_late", ns[k], sc_exit_median(ns[k], 1), 1);
		sc_report("exit_fifo_late_eventfd", ns[k],
			  sc_exit_median(ns[k], 0), 0);
	}
	return 0;
}

/*
 * Four processes creating and opening distinct names in
 * \BaseNamedObjects at once (create, open by name, close both: the name
 * goes with the last close), all pinned to CPU 0, then free to use every
 * CPU: the wall-clock speed-up. The Linux twin does the same with files
 * in a tmpfs directory (open O_CREAT, open again by name, close both,
 * unlink). Run without --icount, with --smp 2 and --mttcg (scripts/ntvm:
 * single-threaded TCG runs every vCPU on one host thread). Each ratio is
 * the median of PAR_REPS (1 CPU, all CPUs) pairs, alternated.
 */
#define PAR_PROCS	4
#define PAR_OPS		5000
#define PAR_REPS	5
#define PAR_DIR		"/tmp/ntbench-par"

static int par_nt(long k)
{
	HANDLE h, h2;

	sc_set_name("\\BaseNamedObjects\\par-%ld", (long)getpid() * 100 + k % 64);
	if (NtCreateEvent(&h, EVENT_ALL_ACCESS, &sc_oa, NotificationEvent, FALSE))
		return -1;
	if (NtOpenEvent(&h2, EVENT_ALL_ACCESS, &sc_oa))
		return -1;
	NtClose(h2);
	NtClose(h);
	return 0;
}

static int par_linux(long k)
{
	char path[64];
	int a, b;

	snprintf(path, sizeof(path), PAR_DIR "/%ld", (long)getpid() * 100 + k % 64);
	a = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (a < 0)
		return -1;
	b = open(path, O_RDWR);
	if (b < 0)
		return -1;
	close(b);
	close(a);
	return unlink(path);
}

static double par_run(int cpus, int (*op)(long))
{
	uint64_t t0 = now_ns();
	pid_t pids[PAR_PROCS];
	int i, bad = 0, st;

	for (i = 0; i < PAR_PROCS; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			cpu_set_t set;
			long k;
			int c;

			CPU_ZERO(&set);
			for (c = 0; c < cpus; c++)
				CPU_SET(c, &set);
			if (sched_setaffinity(0, sizeof(set), &set))
				_exit(1);
			for (k = 0; k < PAR_OPS; k++)
				if (op(k))
					_exit(1);
			_exit(0);
		}
	}
	for (i = 0; i < PAR_PROCS; i++) {
		waitpid(pids[i], &st, 0);
		bad |= !WIFEXITED(st) || WEXITSTATUS(st);
	}
	return bad ? -1 : (double)(now_ns() - t0);
}

/* Median over PAR_REPS of one-CPU time / all-CPU time; -1 on failure. */
static double par_speedup(const char *name, int (*op)(long))
{
	int cpus = sysconf(_SC_NPROCESSORS_ONLN), r;
	double one[PAR_REPS], all[PAR_REPS], ratio[PAR_REPS];

	for (r = 0; r < PAR_REPS; r++) {
		one[r] = par_run(1, op);
		all[r] = par_run(cpus, op);
		if (one[r] < 0 || all[r] < 0)
			return -1;
		ratio[r] = one[r] / all[r];
	}
	qsort(one, PAR_REPS, sizeof(double), cmp_double);
	qsort(all, PAR_REPS, sizeof(double), cmp_double);
	qsort(ratio, PAR_REPS, sizeof(double), cmp_double);
	printf("raw parallel %s_1cpu_ns %.0f linux\n", name, one[PAR_REPS / 2]);
	printf("raw parallel %s_%dcpu_ns %.0f linux\n", name, cpus, all[PAR_REPS / 2]);
	printf("raw parallel %s_speedup %.3f linux\n", name, ratio[PAR_REPS / 2]);
	printf("raw parallel %s_speedup_range %.3f-%.3f linux\n", name, ratio[0],
	       ratio[PAR_REPS - 1]);
	return ratio[PAR_REPS / 2];
}

static int parallel(void)
{
	double nt, lx;

	mkdir(PAR_DIR, 0700);
	nt = par_speedup("names", par_nt);
	lx = par_speedup("linux_files", par_linux);
	rmdir(PAR_DIR);
	if (nt > 0 && lx > 0)
		printf("raw parallel names_speedup_vs_linux %.3f linux\n", nt / lx);
	return nt < 0 || lx < 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: ntbench [-n ITERATIONS] [-r REPEATS] [-s] "
		"attached|exceptions|registry|getppid|scale|parallel|dirmem|bigdir [N]\n");
	exit(2);
}

/* The exec and image pairs (issue 14), also alone: ntbench images. */
static void image_pairs(void)
{
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	devnt = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (devnull >= 0 && devnt >= 0 && !access(BENCH_HELLO_PE, R_OK) &&
	    !access("/usr/bin/hello-elf", X_OK)) {
		report_n("exec_hello_pe", op_exec_hello_pe, 1, 20);
		report_n("exec_hello_pe_ntrun", op_exec_hello_pe_ntrun, 1, 20);
		report_n("exec_hello_elf", op_exec_hello_elf, 0, 20);
	}
	if (!setup_image()) {
		report_n("map_image_nt", op_nt_map_image, 1, iterations / 10);
		report_n("mmap_image_linux", op_lx_mmap_image, 0, iterations / 10);
	} else {
		fprintf(stderr, "ntbench: image pair unavailable (0x%08x)\n",
			(unsigned int)last_status);
	}
}

int main(int argc, char **argv)
{
	volatile op_fn empty = op_empty;
	const char *what;
	int c;

	while ((c = getopt(argc, argv, "n:r:s")) != -1) {
		switch (c) {
		case 'n':
			iterations = atol(optarg);
			break;
		case 'r':
			repeats = atoi(optarg);
			break;
		case 's':
			all_single = 1;
			break;
		default:
			usage();
		}
	}
	/* one mode word, and bigdir's optional size */
	if (optind >= argc || optind < argc - 1 - !strcmp(argv[optind], "bigdir") ||
	    iterations <= 0 || repeats <= 0)
		usage();
	what = argv[optind];
	loop_cost = run(empty);
	printf("raw loop %.2f linux\n", loop_cost);

	if (!strcmp(what, "scale"))
		return scale(all_single);
	if (!strcmp(what, "parallel"))
		return parallel();
	if (!strcmp(what, "bigdir"))
		return bigdir(optind + 1 < argc ? atol(argv[optind + 1]) : 1000000);
	if (!strcmp(what, "dirmem")) {
		long have = 0;

		sc_dirmem(1000, &have);
		sc_dirmem(10000, &have);
		sc_dirmem(100000, &have);
		return 0;
	}
	if (!strcmp(what, "getppid")) {
		report("getppid_vdso", op_getppid_vdso, 0);
		/* plain Linux (unattached here): the thread and signal pairs */
		report_n("thread_linux", op_lx_thread, 0, iterations / 100);
		signal_setup();
		report_n("signal_linux", op_lx_signal, 0, iterations / 10);
		return 0;
	}
	if (!strcmp(what, "images")) {		/* those pairs alone */
		image_pairs();
		return 0;
	}
	if (!strcmp(what, "registry")) {	/* those pairs alone */
		registry_pairs(iterations, repeats);
		return 0;
	}
	if (!strcmp(what, "exceptions")) {	/* that pair alone */
		exception_pair();
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
	report("enosys_vdso", op_enosys_vdso, 0);
	report("enosys_int80", op_enosys_int80, 0);

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
	/* the remaining pairs go through the default gate again */
	NtpSetSystemCallGate(NTP_GATE_SYSENTER);
	pairs();
	if (!setup_nt_thread())
		report_n("thread_nt", op_nt_thread, 1, iterations / 100);
	report_n("thread_attached_linux", op_lx_thread, 0, iterations / 100);
	report_n("apc_nt", op_nt_apc, 1, iterations / 10);
	signal_setup();
	report_n("signal_attached_linux", op_lx_signal, 0, iterations / 10);
	NtpSetSystemCallGate(NTP_GATE_INT2E);
	report("notimpl_int2e", op_notimpl, 1);
	report("invalid_index_int2e", op_invalid_index, 1);
	report("notimpl0_int2e", op_notimpl_0, 1);
	report("notimpl44_int2e", op_notimpl_0x44, 1);
	report("ntquerysystemtime_int2e", op_ntquerysystemtime, 1);
	return 0;
}
