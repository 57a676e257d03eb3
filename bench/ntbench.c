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
#include <dirent.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
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

/* Units per call of @fn, loop included: the minimum over the repeats. */
/*
 * Registry (issue 15): a small value read, and a value set and flushed.
 * The Linux twins: fgetxattr of a 4-byte attribute (the cheapest named
 * small-value read the kernel has), and pwrite + fsync of 4 bytes. The
 * flush writes the whole machine hive crash-safely (temp file, fsync,
 * rename, directory fsync), so the directory is made for it here.
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
	reg_fd = open("/tmp/ntbench-reg", O_RDWR | O_CREAT | O_TRUNC, 0600);
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
	report_n("alloc_free_64k_nt", op_nt_alloc_free, 1, iterations / 10);
	report_n("mmap_munmap_64k_linux", op_lx_mmap_munmap, 0, iterations / 10);
	if (setup_registry()) {
		fprintf(stderr, "ntbench: registry pairs unavailable (setup failed)\n");
	} else {
		report("query_value_nt", op_nt_query_value, 1);
		report("getxattr_linux", op_lx_getxattr, 0);
		report_n("set_value_flush_nt", op_nt_set_flush, 1, 200);
		report_n("write_fsync_linux", op_lx_write_fsync, 0, 200);
	}

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
	if (!pthread_create(&t, NULL, lx_partner, NULL)) {
		report_n("pingpong_linux", op_lx_pingpong, 0, iterations / 10);
		partner_stop = 1;
		fwake(&ping_word);
		pthread_join(t, NULL);
	}
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
	/* the remaining pairs go through the default gate again */
	NtpSetSystemCallGate(NTP_GATE_SYSENTER);
	pairs();
	NtpSetSystemCallGate(NTP_GATE_INT2E);
	report("notimpl_int2e", op_notimpl, 1);
	report("invalid_index_int2e", op_invalid_index, 1);
	report("notimpl0_int2e", op_notimpl_0, 1);
	report("notimpl44_int2e", op_notimpl_0x44, 1);
	report("ntquerysystemtime_int2e", op_ntquerysystemtime, 1);
	return 0;
}
