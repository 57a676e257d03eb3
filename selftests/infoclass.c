// SPDX-License-Identifier: GPL-2.0
/*
 * Every information class of every query and set service, at every buffer
 * length from 0 past the largest XP structure (and a few large ones), on
 * real objects of each kind the service accepts. Rules that hold for any
 * class on Windows, whatever its structure:
 *
 *  - nothing is written past Length (the bytes after it stay poisoned);
 *    a set service writes nothing at all into its input buffer;
 *  - on success (and, where the count is an IO_STATUS_BLOCK, on
 *    STATUS_BUFFER_OVERFLOW) the bytes reported written are <= Length;
 *  - a valid buffer never gives STATUS_ACCESS_VIOLATION;
 *  - the kernel log stays clean (scripts/ntvm fails the run on a WARNING,
 *    which is how a 17-byte FileFsAttributeInformation buffer was found:
 *    issue 17; the random fuzzer had never drawn that length).
 *
 * Classes run from 0 to one past XP's last, plus 0x7fff and 0xffffffff.
 * Where the peers' suites pin a class's length rule down, every length is
 * also checked against it (length_rules[]: INFO_LENGTH_MISMATCH exactly
 * outside the accepted range).
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "nt_test.h"

/* Every length up to here (SYSTEM_PERFORMANCE_INFORMATION is 0x138) ... */
#define SWEEP_ALL	400
/* ... then these */
static const ULONG big_lengths[] = { 511, 512, 1023, 4095, 4096, 65535, 65536 };
#define BUF_MAX		65536
#define TAIL		64	/* poisoned bytes checked after Length */

struct target {
	const char *what;
	HANDLE h;
};

struct sweep_ctx {
	struct __test_metadata *_metadata;
	unsigned char *buf;
	const char *service;
	const struct target *target;
	unsigned long calls, failures;
};

/*
 * One call. @ret: the count the service reports (IO_STATUS_BLOCK
 * Information or *ReturnLength); @iosb_count: it is an IO_STATUS_BLOCK's,
 * which also counts the bytes of a STATUS_BUFFER_OVERFLOW.
 */
typedef NTSTATUS (*query_fn)(HANDLE h, ULONG cls, void *buf, ULONG len,
			     ULONG *ret);

static NTSTATUS q_file(HANDLE h, ULONG cls, void *buf, ULONG len, ULONG *ret)
{
	IO_STATUS_BLOCK iosb = { .Information = NT_POISON_ULONG };
	NTSTATUS st = NtQueryInformationFile(h, &iosb, buf, len, cls);

	*ret = iosb.Information;
	return st;
}

static NTSTATUS q_volume(HANDLE h, ULONG cls, void *buf, ULONG len, ULONG *ret)
{
	IO_STATUS_BLOCK iosb = { .Information = NT_POISON_ULONG };
	NTSTATUS st = NtQueryVolumeInformationFile(h, &iosb, buf, len, cls);

	*ret = iosb.Information;
	return st;
}

static NTSTATUS q_process(HANDLE h, ULONG cls, void *buf, ULONG len, ULONG *ret)
{
	return NtQueryInformationProcess(h, cls, buf, len, ret);
}

static NTSTATUS q_thread(HANDLE h, ULONG cls, void *buf, ULONG len, ULONG *ret)
{
	return NtQueryInformationThread(h, cls, buf, len, ret);
}

static NTSTATUS q_system(HANDLE h, ULONG cls, void *buf, ULONG len, ULONG *ret)
{
	return NtQuerySystemInformation(cls, buf, len, ret);
}

static NTSTATUS q_object(HANDLE h, ULONG cls, void *buf, ULONG len, ULONG *ret)
{
	return NtQueryObject(h, cls, buf, len, ret);
}

static NTSTATUS q_event(HANDLE h, ULONG cls, void *buf, ULONG len, ULONG *ret)
{
	return NtQueryEvent(h, cls, buf, len, ret);
}

static NTSTATUS q_mutant(HANDLE h, ULONG cls, void *buf, ULONG len, ULONG *ret)
{
	return NtQueryMutant(h, cls, buf, len, ret);
}

static NTSTATUS q_semaphore(HANDLE h, ULONG cls, void *buf, ULONG len, ULONG *ret)
{
	return NtQuerySemaphore(h, cls, buf, len, ret);
}

static NTSTATUS q_timer(HANDLE h, ULONG cls, void *buf, ULONG len, ULONG *ret)
{
	return NtQueryTimer(h, cls, buf, len, ret);
}

static NTSTATUS q_section(HANDLE h, ULONG cls, void *buf, ULONG len, ULONG *ret)
{
	SIZE_T r = NT_POISON_ULONG;
	NTSTATUS st = NtQuerySection(h, cls, buf, len, &r);

	*ret = r;
	return st;
}

/* the queried address is the sweep buffer itself: committed memory */
static NTSTATUS q_vm(HANDLE h, ULONG cls, void *buf, ULONG len, ULONG *ret)
{
	SIZE_T r = NT_POISON_ULONG;
	NTSTATUS st = NtQueryVirtualMemory(h, buf, cls, buf, len, &r);

	*ret = r;
	return st;
}

/*
 * XP's length rule for the classes whose rule the peers' suites pin down
 * (issue 17): a length outside [min, max] is STATUS_INFO_LENGTH_MISMATCH,
 * one inside never is. Exact-size classes have min == max.
 */
static const struct length_rule {
	const char *service;
	ULONG cls, min, max;
	const char *source;
} length_rules[] = {
	/* Wine ntdll/tests/info.c */
	{ "NtQuerySystemInformation", 0, 0x2c, 0x2c, "test_query_basic" },
	{ "NtQuerySystemInformation", 1, 0x0c, ~0u, "test_query_cpu" },
	{ "NtQuerySystemInformation", 2, 0x138, ~0u, "test_query_performance" },
	{ "NtQuerySystemInformation", 3, 0, 48, "test_query_timeofday" },
	{ "NtQuerySystemInformation", 8, 48, ~0u, "test_query_procperf" },
	{ "NtQuerySystemInformation", 35, 2, ~0u, "test_query_kerndebug" },
	{ "NtQueryInformationProcess", 0, 24, 24, "test_query_process_basic" },
	/* Wine ntdll/tests/sync.c (and ReactOS DefaultQueryInfoBufferCheck) */
	{ "NtQueryEvent", 0, 8, 8, "test_event" },
	{ "NtQueryMutant", 0, 8, 8, "test_mutant" },
	{ "NtQuerySemaphore", 0, 8, 8, "test_semaphore" },
	/* ReactOS apitests NtQueryVolumeInformationFile.c */
	{ "NtQueryVolumeInformationFile", 1, 24, ~0u, "TestFileFsVolumeInformation" },
	{ "NtQueryVolumeInformationFile", 4, 8, ~0u, "TestFileFsDeviceInformation" },
	{ "NtQueryVolumeInformationFile", 5, 16, ~0u, "TestFileFsAttributeInformation" },
};

static const struct length_rule *length_rule(const char *service, ULONG cls)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(length_rules); i++)
		if (length_rules[i].cls == cls &&
		    !strcmp(length_rules[i].service, service))
			return &length_rules[i];
	return NULL;
}

static void check_one(struct sweep_ctx *c, query_fn fn, ULONG cls, ULONG len,
		      int iosb_count)
{
	const struct length_rule *rule = length_rule(c->service, cls);
	struct __test_metadata *_metadata = c->_metadata;
	ULONG ret = NT_POISON_ULONG, i;
	NTSTATUS st;
	char b1[16];
	int bad = 0;

	memset(c->buf, NT_POISON_BYTE, len + TAIL);
	st = fn(c->target->h, cls, c->buf, len, &ret);
	c->calls++;
	for (i = len; i < len + TAIL; i++)
		if (c->buf[i] != NT_POISON_BYTE)
			break;
	if (i < len + TAIL) {
		TH_LOG("%s(%s) class %#x length %u: byte %u written past Length (%s)",
		       c->service, c->target->what, cls, len, i,
		       nt_status_str(st, b1));
		bad = 1;
	}
	if ((NT_SUCCESS(st) || (iosb_count && st == STATUS_BUFFER_OVERFLOW)) &&
	    ret > len) {
		TH_LOG("%s(%s) class %#x length %u: %s reports %u bytes",
		       c->service, c->target->what, cls, len,
		       nt_status_str(st, b1), ret);
		bad = 1;
	}
	if (st == STATUS_ACCESS_VIOLATION) {
		TH_LOG("%s(%s) class %#x length %u: STATUS_ACCESS_VIOLATION on a valid buffer",
		       c->service, c->target->what, cls, len);
		bad = 1;
	}
	if (rule && ((len < rule->min || len > rule->max) !=
		     (st == STATUS_INFO_LENGTH_MISMATCH))) {
		TH_LOG("%s(%s) class %#x length %u: %s, XP's rule is [%u, %u] (%s)",
		       c->service, c->target->what, cls, len,
		       nt_status_str(st, b1), rule->min, rule->max, rule->source);
		bad = 1;
	}
	if (bad) {
		c->failures++;
		_metadata->passed = 0;
	}
}

/* Every class below @classes (and a few beyond) at every length. */
static void sweep(struct sweep_ctx *c, query_fn fn, ULONG classes, int iosb_count)
{
	const ULONG extra[] = { classes, classes + 1, 0x7fff, 0xffffffff };
	ULONG cls, len, i, k;

	for (k = 0; k < classes + ARRAY_SIZE(extra); k++) {
		cls = k < classes ? k : extra[k - classes];
		/* a few lengths first: a class that is not there is done */
		for (len = 0; len <= SWEEP_ALL && c->failures < 20; len++)
			check_one(c, fn, cls, len, iosb_count);
		for (i = 0; i < ARRAY_SIZE(big_lengths) && c->failures < 20; i++)
			check_one(c, fn, cls, big_lengths[i], iosb_count);
	}
}

FIXTURE(infoclass) {
	char dir[64];
	unsigned char *buf;
	HANDLE file, dir_h, null, event, mutant, semaphore, timer, section;
};
NT_GATE_VARIANTS(infoclass);

static NTSTATUS open_path(HANDLE *h, const char *linux_path, ACCESS_MASK access,
			  ULONG disp, ULONG options)
{
	WCHAR name[300];
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK iosb;
	int n = 0, i;

	for (const char *p = "\\??\\unix"; *p; p++)
		name[n++] = *p;
	for (i = 0; linux_path[i]; i++)
		name[n++] = linux_path[i] == '/' ? '\\' : linux_path[i];
	name[n] = 0;
	nt_oa(&oa, &us, name, OBJ_CASE_INSENSITIVE);
	return NtCreateFile(h, access, &oa, &iosb, NULL, 0,
			    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
			    disp, options | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

FIXTURE_SETUP(infoclass)
{
	LARGE_INTEGER size = { .QuadPart = 0x10000 };
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	char path[128];

	NT_GATE_SETUP();
	self->buf = mmap(NULL, BUF_MAX + TAIL + 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->buf);
	strcpy(self->dir, "/tmp/ntic.XXXXXX");
	ASSERT_TRUE(mkdtemp(self->dir) != NULL);
	snprintf(path, sizeof(path), "%s/f", self->dir);
	ASSERT_STATUS(STATUS_SUCCESS,
		      open_path(&self->file, path, GENERIC_READ | GENERIC_WRITE |
				DELETE | SYNCHRONIZE, FILE_CREATE, 0));
	ASSERT_STATUS(STATUS_SUCCESS,
		      open_path(&self->dir_h, self->dir, FILE_LIST_DIRECTORY |
				FILE_READ_ATTRIBUTES | SYNCHRONIZE, FILE_OPEN,
				FILE_DIRECTORY_FILE));
	nt_oa(&oa, &us, u"\\Device\\Null", 0);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateFile(&self->null, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE,
				   &oa, &(IO_STATUS_BLOCK){ 0 }, NULL, 0, 0, FILE_OPEN,
				   FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&self->event, EVENT_ALL_ACCESS,
						    NULL, NotificationEvent, FALSE));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateMutant(&self->mutant, MUTANT_ALL_ACCESS,
						     NULL, FALSE));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateSemaphore(&self->semaphore,
							SEMAPHORE_ALL_ACCESS, NULL, 1, 4));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateTimer(&self->timer, TIMER_ALL_ACCESS,
						    NULL, NotificationTimer));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateSection(&self->section, SECTION_ALL_ACCESS,
						      NULL, &size, PAGE_READWRITE,
						      SEC_COMMIT, NULL));
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

FIXTURE_TEARDOWN(infoclass)
{
	nftw(self->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

#define SWEEP(_service, _fn, _classes, _iosb, ...) do {			\
	const struct target __t[] = { __VA_ARGS__ };			\
	struct sweep_ctx __c = { _metadata, self->buf, _service };	\
	for (size_t __i = 0; __i < ARRAY_SIZE(__t); __i++) {		\
		__c.target = &__t[__i];					\
		sweep(&__c, _fn, _classes, _iosb);			\
	}								\
	TH_LOG("%s: %lu calls, %lu bad", _service, __c.calls, __c.failures); \
} while (0)

/* XP's last FILE_INFORMATION_CLASS is FileMaximumInformation (0x29) */
TEST_F(infoclass, query_information_file)
{
	SWEEP("NtQueryInformationFile", q_file, 0x29, 1,
	      { "file", self->file }, { "directory", self->dir_h },
	      { "\\Device\\Null", self->null });
}

TEST_F(infoclass, query_volume_information_file)
{
	SWEEP("NtQueryVolumeInformationFile", q_volume, 0x0b, 1,
	      { "file", self->file }, { "directory", self->dir_h },
	      { "\\Device\\Null", self->null });
}

/* XP: MaxProcessInfoClass 0x24, MaxThreadInfoClass 0x19 (ReactOS psdk) */
TEST_F(infoclass, query_information_process_and_thread)
{
	SWEEP("NtQueryInformationProcess", q_process, 0x24, 0,
	      { "current process", NtCurrentProcess() });
	SWEEP("NtQueryInformationThread", q_thread, 0x19, 0,
	      { "current thread", NtCurrentThread() });
}

/* XP: SystemInformationClass up to 0x51 (MaxSystemInfoClass 0x52) */
TEST_F(infoclass, query_system_information)
{
	SWEEP("NtQuerySystemInformation", q_system, 0x52, 0, { "-", NULL });
}

TEST_F(infoclass, query_object)
{
	SWEEP("NtQueryObject", q_object, 0x05, 0,
	      { "file", self->file }, { "event", self->event },
	      { "section", self->section }, { "process", NtCurrentProcess() });
}

TEST_F(infoclass, query_sync_objects_and_sections)
{
	SWEEP("NtQueryEvent", q_event, 1, 0, { "event", self->event });
	SWEEP("NtQueryMutant", q_mutant, 1, 0, { "mutant", self->mutant });
	SWEEP("NtQuerySemaphore", q_semaphore, 1, 0, { "semaphore", self->semaphore });
	SWEEP("NtQueryTimer", q_timer, 1, 0, { "timer", self->timer });
	SWEEP("NtQuerySection", q_section, 2, 0, { "section", self->section });
	SWEEP("NtQueryVirtualMemory", q_vm, 3, 0, { "current process", NtCurrentProcess() });
}

/*
 * Set classes: input buffers of zeros and of poison, every length. The
 * file is reopened for each class (a class may rename, truncate or mark
 * it for deletion); the buffer must come back unchanged.
 */
TEST_F(infoclass, set_information_file)
{
	unsigned char *copy = malloc(BUF_MAX);
	unsigned long calls = 0;
	IO_STATUS_BLOCK iosb;
	char path[128];
	ULONG cls, len, pass;
	NTSTATUS st;
	char b1[16];
	HANDLE h;

	ASSERT_NE(NULL, copy);
	snprintf(path, sizeof(path), "%s/s", self->dir);
	for (cls = 0; cls < 0x2b; cls++) {
		for (pass = 0; pass < 2; pass++) {
			unlink(path);
			ASSERT_STATUS(STATUS_SUCCESS,
				      open_path(&h, path, GENERIC_READ | GENERIC_WRITE |
						DELETE | SYNCHRONIZE, FILE_CREATE, 0));
			for (len = 0; len <= SWEEP_ALL; len += 1 + pass * 3) {
				memset(self->buf, pass ? NT_POISON_BYTE : 0, len + TAIL);
				memcpy(copy, self->buf, len + TAIL);
				st = NtSetInformationFile(h, &iosb, self->buf, len, cls);
				calls++;
				EXPECT_EQ(0, memcmp(copy, self->buf, len + TAIL))
					TH_LOG("class %#x length %u: input buffer written", cls, len);
				EXPECT_NE(STATUS_ACCESS_VIOLATION, st)
					TH_LOG("class %#x length %u: %s", cls, len,
					       nt_status_str(st, b1));
			}
			NtClose(h);
			/* a rename class may have moved it anywhere in the directory */
			nftw(self->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
			mkdir(self->dir, 0700);
		}
	}
	TH_LOG("NtSetInformationFile: %lu calls", calls);
	free(copy);
}

TEST_HARNESS_MAIN
