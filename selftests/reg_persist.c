// SPDX-License-Identifier: GPL-2.0
/*
 * The registry on disk (issue 15): its redo log replayed after a crash,
 * a torn last record dropped, user hives kept across a module reload,
 * and a user kept out of another user's persisted hive.
 *
 * log_phase runs in three phases around simulated crashes, driven by
 * scripts/tests/registry-persist (NTP_REG_LOG=write, check, again);
 * skipped otherwise.
 *
 * The same binary is the workload of scripts/check-crash when
 * NTP_REG_CRASH is set (see crash_main): writers that journal every write
 * whose NtFlushKey returned, and the check after the VM was killed.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include "reg_test.h"
#include "nt_user.h"

static NTSTATUS mk(HANDLE *h, const char *name)
{
	struct reg_name r;

	*h = OB_POISON;
	return NtCreateKey(h, KEY_ALL_ACCESS,
			   reg_path(&r, NULL, OBJ_CASE_INSENSITIVE, "%s", name), 0,
			   NULL, 0, NULL);
}

static NTSTATUS op(HANDLE *h, ACCESS_MASK access, const char *name)
{
	struct reg_name r;

	*h = OB_POISON;
	return NtOpenKey(h, access,
			 reg_path(&r, NULL, OBJ_CASE_INSENSITIVE, "%s", name));
}

static NTSTATUS qv(HANDLE h, const char *name, void *buf, ULONG len, ULONG *res)
{
	return reg_query(h, name, KeyValuePartialInformation, buf, len, res);
}

#define LOG_KEY		"\\Registry\\Machine\\ntp-log"
#define USER_KEY	"\\Registry\\User\\S-1-22-1-1000\\ntp-log"
static const unsigned char mine[16] = "user hive bytes";

/*
 * write: values flushed one record at a time; the script then keeps the
 * files as they are (the crash), tears the last record of machine.log,
 * and reloads the module from them. check: everything but the torn
 * record is there, and a new flush appends over the torn tail. again
 * (after a second crash): that append was replayed.
 */
TEST(log_phase)
{
	union { KEY_VALUE_PARTIAL_INFORMATION p; UCHAR raw[128]; } u;
	const char *phase = getenv("NTP_REG_LOG");
	ULONG dw, len;
	HANDLE k, c;

	if (!phase)
		SKIP(return, "NTP_REG_LOG not set (scripts/tests/registry-persist)");
	if (!strcmp(phase, "write")) {
		ASSERT_STATUS(STATUS_SUCCESS, mk(&k, LOG_KEY));
		dw = 1;
		ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "a", REG_DWORD, &dw, 4));
		ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
		ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "b", REG_SZ, L"flushed", 16));
		ASSERT_STATUS(STATUS_SUCCESS, mk(&c, LOG_KEY "\\sub"));
		NtClose(c);
		ASSERT_STATUS(STATUS_SUCCESS, mk(&c, LOG_KEY "\\gone"));
		ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
		ASSERT_STATUS(STATUS_SUCCESS, NtDeleteKey(c));
		NtClose(c);
		ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
		NT_AS_USER(NTP_GATE_SYSENTER) {
			HANDLE m;

			ASSERT_STATUS(STATUS_SUCCESS, mk(&m, USER_KEY));
			ASSERT_STATUS(STATUS_SUCCESS,
				      reg_set(m, "mine", REG_BINARY, mine, sizeof(mine)));
			ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(m));
			NtClose(m);
		}
		/* The last record of machine.log: the script tears it. */
		dw = 7;
		ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "torn", REG_DWORD, &dw, 4));
		ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
		NtClose(k);
		return;
	}
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, KEY_ALL_ACCESS, LOG_KEY));
	ASSERT_STATUS(STATUS_SUCCESS, qv(k, "a", &u, sizeof(u), &len));
	EXPECT_EQ(REG_DWORD, u.p.Type);
	EXPECT_EQ(1, *(ULONG *)u.p.Data);
	ASSERT_STATUS(STATUS_SUCCESS, qv(k, "b", &u, sizeof(u), &len));
	EXPECT_EQ(REG_SZ, u.p.Type);
	EXPECT_EQ(16, u.p.DataLength);
	EXPECT_EQ(0, memcmp(u.p.Data, L"flushed", 16));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, qv(k, "torn", &u, sizeof(u), &len));
	ASSERT_STATUS(STATUS_SUCCESS, op(&c, KEY_READ, LOG_KEY "\\sub"));
	NtClose(c);
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&c, KEY_READ, LOG_KEY "\\gone"));
	if (!strcmp(phase, "check")) {
		dw = 5;
		ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "after", REG_DWORD, &dw, 4));
		ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
	} else {
		ASSERT_STATUS(STATUS_SUCCESS, qv(k, "after", &u, sizeof(u), &len));
		EXPECT_EQ(5, *(ULONG *)u.p.Data);
	}
	NtClose(k);
	NT_AS_USER(NTP_GATE_INT2E) {
		HANDLE m;

		ASSERT_STATUS(STATUS_SUCCESS, op(&m, KEY_READ, USER_KEY));
		ASSERT_STATUS(STATUS_SUCCESS, qv(m, "mine", &u, sizeof(u), &len));
		EXPECT_EQ(REG_BINARY, u.p.Type);
		EXPECT_EQ(sizeof(mine), u.p.DataLength);
		EXPECT_EQ(0, memcmp(u.p.Data, mine, sizeof(mine)));
		NtClose(m);
	}
	/* The loaded hive still belongs to uid 1000 alone. */
	NT_AS_UID(NT_TEST_UID2, NT_TEST_GID2, NTP_GATE_SYSENTER) {
		HANDLE m;

		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      op(&m, KEY_READ, "\\Registry\\User\\S-1-22-1-1000"));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, op(&m, KEY_READ, USER_KEY));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, op(&m, KEY_QUERY_VALUE, USER_KEY));
	}
}

/*
 * A checkpoint keeps the log file and writes a new header over the old
 * one: the records after it are the file's previous life and must not be
 * replayed, even one that follows the new records in sequence.
 * NTP_REG_REUSE (scripts/tests/registry-persist): "mk" makes the key,
 * "set:N" sets its value to N and flushes (one record, the same length
 * each time), "check:N" expects N.
 */
#define REUSE_KEY	"\\Registry\\Machine\\ntp-reuse"

TEST(reuse_phase)
{
	union { KEY_VALUE_PARTIAL_INFORMATION p; UCHAR raw[64]; } u;
	const char *phase = getenv("NTP_REG_REUSE");
	ULONG dw, len;
	HANDLE k;

	if (!phase)
		SKIP(return, "NTP_REG_REUSE not set (scripts/tests/registry-persist)");
	if (!strcmp(phase, "mk")) {
		ASSERT_STATUS(STATUS_SUCCESS, mk(&k, REUSE_KEY));
		dw = 0;
		ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "v", REG_DWORD, &dw, 4));
		ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
		NtClose(k);
		return;
	}
	ASSERT_EQ(1, sscanf(phase + (phase[0] == 's' ? 4 : 6), "%u", &dw));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, KEY_ALL_ACCESS, REUSE_KEY));
	if (!strncmp(phase, "set:", 4)) {
		ASSERT_STATUS(STATUS_SUCCESS, reg_set(k, "v", REG_DWORD, &dw, 4));
		ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
	} else {
		ASSERT_STATUS(STATUS_SUCCESS, qv(k, "v", &u, sizeof(u), &len));
		EXPECT_EQ(REG_DWORD, u.p.Type);
		EXPECT_EQ(dw, *(ULONG *)u.p.Data);
	}
	NtClose(k);
}

/*
 * scripts/check-crash's workload. NTP_REG_CRASH=write:<dir>:<writers>:<seed>
 * starts the writers and never returns: writer i sets REG_BINARY values
 * v0..v15 of keys k0..k7 below crash\w<i> (even i: the machine hive as
 * root; odd i: its own hive as uid 1000 or 1001), flushes, and only then
 * appends "<k> <v> <seq>" to <dir>/journal-<i> and fdatasyncs it. A
 * value's data says who wrote it (writer, seq, length) and is otherwise
 * a pattern of (writer, seq), so a torn or stale value shows.
 * NTP_REG_CRASH=check:<dir>:<writers> reads the journals after the
 * reboot: every journaled write must be there, or a later one of the
 * same writer; every value must be whole. It prints "seen" lines for the
 * host's hivexsh comparison and "N passed, N failed".
 */
#define CRASH_KEYS	8
#define CRASH_VALS	16
#define CRASH_HDR	12

static uint32_t crash_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static uint32_t crash_len(uint32_t w, uint32_t seq)
{
	uint32_t s = (w + 1) * 2654435761u ^ seq * 40503u ^ 0x9e3779b9u;

	return CRASH_HDR + crash_next(&s) % 700;
}

static void crash_fill(unsigned char *d, uint32_t w, uint32_t seq, uint32_t len)
{
	uint32_t s = (w + 1) * 2246822519u ^ seq * 3266489917u ^ 1;
	uint32_t i;

	memcpy(d, &w, 4);
	memcpy(d + 4, &seq, 4);
	memcpy(d + 8, &len, 4);
	for (i = CRASH_HDR; i < len; i++)
		d[i] = crash_next(&s);
}

static uid_t crash_uid(int w)
{
	return w % 2 ? 1000 + (w / 2) % 2 : 0;
}

static void crash_path(char *buf, size_t n, int w, int k)
{
	if (crash_uid(w))
		snprintf(buf, n, "\\Registry\\User\\S-1-22-1-%u\\crash\\w%d\\k%d",
			 crash_uid(w), w, k);
	else
		snprintf(buf, n, "\\Registry\\Machine\\crash\\w%d\\k%d", w, k);
}

static void crash_writer(const char *dir, int w, uint32_t seed)
{
	unsigned char data[CRASH_HDR + 700];
	char path[160], line[64], name[8];
	uint32_t s = seed * 7919u + w + 1, seq = 0, len;
	NTSTATUS st;
	int fd, k, v, n;
	HANDLE h;

	snprintf(path, sizeof(path), "%s/journal-%d", dir, w);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0666);
	if (fd < 0 || (crash_uid(w) && nt_become(crash_uid(w), crash_uid(w),
						  NTP_GATE_SYSENTER)))
		_exit(1);
	/* NtCreateKey makes one level: the hive root, crash, w<i> first. */
	crash_path(path, sizeof(path), w, 0);
	for (k = 0; path[k]; k++) {
		if (path[k] != '\\' || k < 20)
			continue;
		path[k] = 0;
		if (mk(&h, path) == STATUS_SUCCESS)
			NtClose(h);
		path[k] = '\\';
	}
	for (;;) {
		seq++;
		k = crash_next(&s) % CRASH_KEYS;
		v = crash_next(&s) % CRASH_VALS;
		crash_path(path, sizeof(path), w, k);
		st = mk(&h, path);
		if (st == STATUS_SUCCESS) {
			len = crash_len(w, seq);
			crash_fill(data, w, seq, len);
			snprintf(name, sizeof(name), "v%d", v);
			st = reg_set(h, name, REG_BINARY, data, len);
			if (st == STATUS_SUCCESS)
				st = NtFlushKey(h);
			NtClose(h);
		}
		if (st != STATUS_SUCCESS)
			n = snprintf(line, sizeof(line), "ERR 0x%08x %u\n", st, seq);
		else
			n = snprintf(line, sizeof(line), "%d %d %u\n", k, v, seq);
		if (write(fd, line, n) != n || fdatasync(fd))
			_exit(1);
		if (st != STATUS_SUCCESS)
			_exit(1);
	}
}

static int crash_check(const char *dir, int writers)
{
	static uint32_t last[64][CRASH_KEYS][CRASH_VALS];
	union { KEY_VALUE_PARTIAL_INFORMATION p; UCHAR raw[1024]; } u;
	unsigned char want[CRASH_HDR + 700];
	int w, k, v, passed = 0, failed = 0;
	char path[160], name[8], line[128];
	uint32_t hw, seq, len;
	unsigned int jk, jv, js;
	NTSTATUS st;
	ULONG rl;
	HANDLE h;
	FILE *f;

	for (w = 0; w < writers && w < 64; w++) {
		snprintf(path, sizeof(path), "%s/journal-%d", dir, w);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* A line without its newline is a journal write cut short. */
		while (fgets(line, sizeof(line), f) && strchr(line, '\n')) {
			if (!strncmp(line, "ERR", 3)) {
				printf("not ok writer %d: %s", w, line);
				failed++;
			} else if (sscanf(line, "%u %u %u", &jk, &jv, &js) == 3 &&
				   jk < CRASH_KEYS && jv < CRASH_VALS) {
				last[w][jk][jv] = js;
			}
		}
		fclose(f);
	}
	for (w = 0; w < writers && w < 64; w++) {
		for (k = 0; k < CRASH_KEYS; k++) {
			crash_path(path, sizeof(path), w, k);
			if (op(&h, KEY_READ, path) != STATUS_SUCCESS)
				h = OB_POISON;
			for (v = 0; v < CRASH_VALS; v++) {
				snprintf(name, sizeof(name), "v%d", v);
				st = h == OB_POISON ? STATUS_OBJECT_NAME_NOT_FOUND :
				     qv(h, name, &u, sizeof(u), &rl);
				if (st == STATUS_OBJECT_NAME_NOT_FOUND) {
					if (last[w][k][v]) {
						printf("not ok w%d\\k%d\\v%d: flushed seq %u lost\n",
						       w, k, v, last[w][k][v]);
						failed++;
					}
					continue;
				}
				if (st != STATUS_SUCCESS || u.p.DataLength < CRASH_HDR) {
					printf("not ok w%d\\k%d\\v%d: status 0x%08x, %u bytes\n",
					       w, k, v, st, (unsigned int)u.p.DataLength);
					failed++;
					continue;
				}
				memcpy(&hw, u.p.Data, 4);
				memcpy(&seq, u.p.Data + 4, 4);
				memcpy(&len, u.p.Data + 8, 4);
				if (hw != w || len != u.p.DataLength || len != crash_len(w, seq) ||
				    u.p.Type != REG_BINARY) {
					printf("not ok w%d\\k%d\\v%d: torn header\n", w, k, v);
					failed++;
					continue;
				}
				crash_fill(want, w, seq, len);
				if (memcmp(want, u.p.Data, len)) {
					printf("not ok w%d\\k%d\\v%d: torn data (seq %u)\n", w, k, v, seq);
					failed++;
				} else if (seq < last[w][k][v]) {
					printf("not ok w%d\\k%d\\v%d: seq %u older than flushed %u\n",
					       w, k, v, seq, last[w][k][v]);
					failed++;
				} else {
					passed++;
				}
				printf("seen %u w%d k%d v%d %u\n", crash_uid(w), w, k, v, seq);
			}
			if (h != OB_POISON)
				NtClose(h);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

/* libntdll's attach runs from .init_array too, maybe after this one. */
void ntdll_auto_attach(void);

static int crash_main(const char *mode)
{
	char dir[128];
	unsigned int writers = 0, seed = 0;
	int i;

	ntdll_auto_attach();
	if (sscanf(mode, "check:%127[^:]:%u", dir, &writers) == 2)
		return crash_check(dir, writers);
	if (sscanf(mode, "write:%127[^:]:%u:%u", dir, &writers, &seed) != 3 ||
	    writers > 64)
		return 2;
	for (i = 0; i < (int)writers; i++)
		if (fork() == 0)
			crash_writer(dir, i, seed);
	/* Until the VM is killed. */
	for (;;)
		pause();
}

static void __attribute__((constructor)) crash_entry(void)
{
	const char *mode = getenv("NTP_REG_CRASH");

	if (mode)
		exit(crash_main(mode));
}

TEST_HARNESS_MAIN
