// SPDX-License-Identifier: GPL-2.0
/*
 * The registry's remaining services (issue 15): notifications completed
 * by APC (in the registering thread, at its alertable moment, with its
 * IO_STATUS_BLOCK), synchronous notifications as alertable waits,
 * NtNotifyChangeMultipleKeys' slave key, NtRestoreKey, NtSaveMergedKeys
 * and NtUnloadKeyEx.
 *
 * Windows behaviour: Wine's dlls/ntdll/tests/reg.c test_notify (statuses
 * STATUS_PENDING and the event reset), dlls/ntdll/tests/file.c
 * read_file_test for the completion APC's arguments (ApcContext,
 * IoStatusBlock, 0) and its running only in an alertable wait; MSDN's
 * RegRestoreKey/RegUnLoadKey for the flags and the late unload.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "reg_test.h"
#include "nt_user.h"

static NTSTATUS mk(HANDLE *h, HANDLE root, const char *name, ULONG options)
{
	struct reg_name r;

	*h = OB_POISON;
	return NtCreateKey(h, KEY_ALL_ACCESS, reg_path(&r, root, OBJ_CASE_INSENSITIVE,
						       "%s", name),
			   0, NULL, options, NULL);
}

static NTSTATUS op(HANDLE *h, HANDLE root, const char *name)
{
	struct reg_name r;

	*h = OB_POISON;
	return NtOpenKey(h, KEY_ALL_ACCESS, reg_path(&r, root, OBJ_CASE_INSENSITIVE,
						     "%s", name));
}

static ULONG nsubkeys(HANDLE h)
{
	KEY_FULL_INFORMATION f;
	ULONG len;

	if (NtQueryKey(h, KeyFullInformation, &f, sizeof(f), &len))
		return ~0u;
	return f.SubKeys;
}

/* A file under /tmp, for writing (a save) or reading (a restore). */
static NTSTATUS hive_file(HANDLE *f, const char *name, bool write)
{
	IO_STATUS_BLOCK iosb;
	struct reg_name r;

	return NtCreateFile(f, (write ? GENERIC_WRITE : GENERIC_READ) | SYNCHRONIZE,
			    reg_path(&r, NULL, OBJ_CASE_INSENSITIVE,
				     "\\??\\C:\\tmp\\%s", name),
			    &iosb, NULL, 0x80, FILE_SHARE_READ,
			    write ? FILE_OVERWRITE_IF : FILE_OPEN,
			    FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
			    NULL, 0);
}

static NTSTATUS save_to(HANDLE key, const char *name)
{
	NTSTATUS st;
	HANDLE f;

	st = hive_file(&f, name, true);
	if (st)
		return st;
	st = NtSaveKey(key, f);
	NtClose(f);
	return st;
}

static NTSTATUS restore_from(HANDLE key, const char *name, ULONG flags)
{
	NTSTATUS st;
	HANDLE f;

	st = hive_file(&f, name, false);
	if (st)
		return st;
	st = NtRestoreKey(key, f, flags);
	NtClose(f);
	return st;
}

static LARGE_INTEGER zero_timeout;

static LARGE_INTEGER rel_ms(long long ms)
{
	LARGE_INTEGER t = { .QuadPart = -ms * 10000 };

	return t;
}

#define MAX_RUNS 8
static struct {
	int count;
	uintptr_t ctx[MAX_RUNS], a1[MAX_RUNS], a2[MAX_RUNS];
	NTSTATUS iosb_status[MAX_RUNS];
	pid_t tid[MAX_RUNS];
} runs;

static void NTAPI record_apc(void *ctx, void *a1, void *a2)
{
	int i = __atomic_fetch_add(&runs.count, 1, __ATOMIC_SEQ_CST);

	if (i < MAX_RUNS) {
		runs.ctx[i] = (uintptr_t)ctx;
		runs.a1[i] = (uintptr_t)a1;
		runs.a2[i] = (uintptr_t)a2;
		runs.iosb_status[i] = ((IO_STATUS_BLOCK *)a1)->Status;
		runs.tid[i] = syscall(SYS_gettid);
	}
}

static void NTAPI plain_apc(void *ctx, void *a1, void *a2)
{
	__atomic_fetch_add(&runs.count, 1, __ATOMIC_SEQ_CST);
}

FIXTURE(regsvc) {
	char base[128];
	HANDLE h;
};
NT_GATE_VARIANTS(regsvc);

FIXTURE_SETUP(regsvc)
{
	static int n;

	NT_GATE_SETUP();
	memset(&runs, 0, sizeof(runs));
	snprintf(self->base, sizeof(self->base),
		 "\\Registry\\Machine\\ntp-rsvc-%d-%d", getpid(), n++);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&self->h, NULL, self->base, 0));
}

FIXTURE_TEARDOWN(regsvc)
{
	if (self->h != OB_POISON)
		reg_rmtree(self->h);
}

/* ------------------------------------------------------------------ */
/* Notifications by APC */

TEST_F(regsvc, notify_apc_runs_in_the_alertable_wait_with_its_iosb)
{
	LARGE_INTEGER ms20 = rel_ms(20);
	IO_STATUS_BLOCK iosb = { .Status = 0x1234 };
	HANDLE ev, k;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, TRUE));
	ASSERT_STATUS(STATUS_PENDING,
		      NtNotifyChangeKey(self->h, ev, (void *)record_apc, (void *)0x77,
					&iosb, REG_NOTIFY_CHANGE_NAME, FALSE, NULL, 0, TRUE));
	/* the call reset the event */
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, FALSE, &zero_timeout));
	EXPECT_EQ(0x1234, iosb.Status);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&k, self->h, "new", 0));
	NtClose(k);
	/* completed: IOSB and event now, the APC only when alertable */
	EXPECT_EQ(STATUS_NOTIFY_ENUM_DIR, iosb.Status);
	EXPECT_EQ(0, iosb.Information);
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, FALSE, &zero_timeout));
	EXPECT_STATUS(STATUS_SUCCESS, NtDelayExecution(FALSE, &ms20));
	EXPECT_EQ(0, runs.count);
	EXPECT_STATUS(STATUS_USER_APC, NtDelayExecution(TRUE, &ms20));
	ASSERT_EQ(1, runs.count);
	EXPECT_EQ(0x77, runs.ctx[0]);
	EXPECT_EQ((uintptr_t)&iosb, runs.a1[0]);
	EXPECT_EQ(0, runs.a2[0]);
	EXPECT_EQ(STATUS_NOTIFY_ENUM_DIR, runs.iosb_status[0]);
	EXPECT_EQ(syscall(SYS_gettid), runs.tid[0]);

	/* the close of the last handle: STATUS_NOTIFY_CLEANUP, APC too */
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, self->h, "new"));
	ASSERT_STATUS(STATUS_PENDING,
		      NtNotifyChangeKey(k, NULL, (void *)record_apc, (void *)0x88,
					&iosb, REG_NOTIFY_CHANGE_LAST_SET, TRUE, NULL, 0,
					TRUE));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(k));
	EXPECT_EQ(STATUS_NOTIFY_CLEANUP, iosb.Status);
	EXPECT_STATUS(STATUS_SUCCESS, NtTestAlert());
	ASSERT_EQ(2, runs.count);
	EXPECT_EQ(0x88, runs.ctx[1]);
	EXPECT_EQ(STATUS_NOTIFY_CLEANUP, runs.iosb_status[1]);
	NtClose(ev);
}

struct changer {
	HANDLE key;
	int delay_ms;
	NTSTATUS st;
};

static void *change_later(void *arg)
{
	struct changer *c = arg;

	usleep(c->delay_ms * 1000);
	c->st = reg_setdw(c->key, "later", 2);
	return NULL;
}

/* Another thread's change: the APC still runs in the registering thread. */
TEST_F(regsvc, notify_apc_from_another_threads_change)
{
	struct changer c = { .key = self->h, .delay_ms = 50 };
	IO_STATUS_BLOCK iosb;
	LARGE_INTEGER ten_s = rel_ms(10000);
	pthread_t t;

	ASSERT_STATUS(STATUS_PENDING,
		      NtNotifyChangeKey(self->h, NULL, (void *)record_apc, (void *)0x99,
					&iosb, REG_NOTIFY_CHANGE_LAST_SET, FALSE, NULL, 0,
					TRUE));
	ASSERT_EQ(0, pthread_create(&t, NULL, change_later, &c));
	/* the APC ends the alertable wait */
	EXPECT_STATUS(STATUS_USER_APC, NtDelayExecution(TRUE, &ten_s));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_STATUS(STATUS_SUCCESS, c.st);
	ASSERT_EQ(1, runs.count);
	EXPECT_EQ(0x99, runs.ctx[0]);
	EXPECT_EQ(syscall(SYS_gettid), runs.tid[0]);
	EXPECT_EQ(STATUS_NOTIFY_ENUM_DIR, iosb.Status);
}

/* Asynchronous=FALSE: the call waits; its APC is queued at completion. */
TEST_F(regsvc, notify_synchronous_with_apc_and_alerts)
{
	struct changer c = { .key = self->h, .delay_ms = 50 };
	IO_STATUS_BLOCK iosb = { .Status = 0x1234 };
	HANDLE thread;
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, change_later, &c));
	EXPECT_STATUS(STATUS_NOTIFY_ENUM_DIR,
		      NtNotifyChangeKey(self->h, NULL, (void *)record_apc, (void *)0xaa,
					&iosb, REG_NOTIFY_CHANGE_LAST_SET, FALSE, NULL, 0,
					FALSE));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(STATUS_NOTIFY_ENUM_DIR, iosb.Status);
	EXPECT_EQ(0, runs.count);
	EXPECT_STATUS(STATUS_SUCCESS, NtTestAlert());
	ASSERT_EQ(1, runs.count);
	EXPECT_EQ(0xaa, runs.ctx[0]);

	/* the wait is alertable: a queued APC ends it, the watch withdrawn */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueueApcThread(NtCurrentThread(), (void *)plain_apc, NULL,
				       NULL, NULL));
	iosb.Status = 0x1234;
	EXPECT_STATUS(STATUS_USER_APC,
		      NtNotifyChangeKey(self->h, NULL, NULL, NULL, &iosb,
					REG_NOTIFY_CHANGE_LAST_SET, FALSE, NULL, 0, FALSE));
	EXPECT_EQ(2, runs.count);
	EXPECT_EQ(0x1234, iosb.Status);
	EXPECT_STATUS(STATUS_SUCCESS, reg_setdw(self->h, "after", 1));
	EXPECT_EQ(0x1234, iosb.Status);
	/* and so does an alert */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(),
					NtCurrentProcess(), &thread, 0, 0,
					DUPLICATE_SAME_ACCESS));
	ASSERT_STATUS(STATUS_SUCCESS, NtAlertThread(thread));
	EXPECT_STATUS(STATUS_ALERTED,
		      NtNotifyChangeKey(self->h, NULL, NULL, NULL, &iosb,
					REG_NOTIFY_CHANGE_LAST_SET, FALSE, NULL, 0, FALSE));
	NtClose(thread);
}

/* NtNotifyChangeMultipleKeys: one watch over a master and a slave key. */
TEST_F(regsvc, notify_multiple_keys)
{
	IO_STATUS_BLOCK iosb;
	HANDLE ev, a, b, b2;
	struct reg_name r;

	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, FALSE));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&a, self->h, "a", 0));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&b, self->h, "b", 0));
	/* a change in the slave completes it */
	ASSERT_STATUS(STATUS_PENDING,
		      NtNotifyChangeMultipleKeys(a, 1, reg_path(&r, self->h, 0, "b"), ev,
						 NULL, NULL, &iosb,
						 REG_NOTIFY_CHANGE_LAST_SET, FALSE,
						 NULL, 0, TRUE));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(b, "v", 1));
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, FALSE, &zero_timeout));
	EXPECT_EQ(STATUS_NOTIFY_ENUM_DIR, iosb.Status);
	/* one shot: the master's change afterwards does nothing */
	NtResetEvent(ev, NULL);
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(a, "v", 1));
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, FALSE, &zero_timeout));

	/* so does one in the master; closing a slave handle does not */
	ASSERT_STATUS(STATUS_PENDING,
		      NtNotifyChangeMultipleKeys(a, 1, reg_path(&r, self->h, 0, "b"), ev,
						 NULL, NULL, &iosb,
						 REG_NOTIFY_CHANGE_LAST_SET, FALSE,
						 NULL, 0, TRUE));
	ASSERT_STATUS(STATUS_SUCCESS, op(&b2, self->h, "b"));
	NtClose(b2);
	NtClose(b);
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, FALSE, &zero_timeout));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(a, "v", 2));
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, FALSE, &zero_timeout));
	EXPECT_EQ(STATUS_NOTIFY_ENUM_DIR, iosb.Status);

	/* the master's close ends it: STATUS_NOTIFY_CLEANUP */
	NtResetEvent(ev, NULL);
	ASSERT_STATUS(STATUS_PENDING,
		      NtNotifyChangeMultipleKeys(a, 1, reg_path(&r, self->h, 0, "b"), ev,
						 NULL, NULL, &iosb,
						 REG_NOTIFY_CHANGE_NAME, TRUE,
						 NULL, 0, TRUE));
	NtClose(a);
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, FALSE, &zero_timeout));
	EXPECT_EQ(STATUS_NOTIFY_CLEANUP, iosb.Status);

	/* the slave is opened as NtOpenKey would, KEY_NOTIFY checked */
	ASSERT_STATUS(STATUS_SUCCESS, op(&a, self->h, "a"));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      NtNotifyChangeMultipleKeys(a, 1, reg_path(&r, self->h, 0, "nope"),
						 ev, NULL, NULL, &iosb,
						 REG_NOTIFY_CHANGE_NAME, FALSE, NULL, 0,
						 TRUE));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtNotifyChangeMultipleKeys(a, 1, NULL, ev, NULL, NULL, &iosb,
						 REG_NOTIFY_CHANGE_NAME, FALSE, NULL, 0,
						 TRUE));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      NtNotifyChangeMultipleKeys(a, 2, reg_path(&r, self->h, 0, "b"),
						 ev, NULL, NULL, &iosb,
						 REG_NOTIFY_CHANGE_NAME, FALSE, NULL, 0,
						 TRUE));
	NT_AS_USER(variant->gate) {
		HANDLE ro;

		/* KEY_READ carries KEY_NOTIFY: a reader of the machine hive may watch */
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtOpenKey(&ro, KEY_READ,
					reg_path(&r, NULL, OBJ_CASE_INSENSITIVE, "%s",
						 self->base)));
		EXPECT_STATUS(STATUS_PENDING,
			      NtNotifyChangeMultipleKeys(ro, 1,
							 reg_path(&r, ro, 0, "b"), NULL,
							 NULL, NULL, &iosb,
							 REG_NOTIFY_CHANGE_NAME, FALSE,
							 NULL, 0, TRUE));
		NtClose(ro);
	}
	NtClose(a);
	NtClose(ev);
}

/* ------------------------------------------------------------------ */
/* NtRestoreKey */

TEST_F(regsvc, restore_key_replaces_the_subtree)
{
	HANDLE k, c, old, f, rd;
	char file[64];

	snprintf(file, sizeof(file), "ntp-restore-%d.hiv", getpid());
	ASSERT_STATUS(STATUS_SUCCESS, mk(&k, self->h, "src", 0));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "top", 1));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, k, "kid", 0));
	NtClose(c);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, k, "kid\\grandkid", 0));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(c, "deep", 2));
	NtClose(c);
	ASSERT_STATUS(STATUS_SUCCESS, save_to(k, file));

	/* change it all: a value changed, one added, a key added and removed */
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "top", 10));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "extra", 11));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, k, "other", 0));
	NtClose(c);
	ASSERT_STATUS(STATUS_SUCCESS, op(&c, k, "kid\\grandkid"));
	ASSERT_STATUS(STATUS_SUCCESS, NtDeleteKey(c));
	NtClose(c);

	ASSERT_STATUS(STATUS_SUCCESS, restore_from(k, file, 0));
	EXPECT_EQ(1, reg_getdw(k, "top"));
	EXPECT_EQ(~0u, reg_getdw(k, "extra"));
	EXPECT_EQ(1, nsubkeys(k));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&c, k, "other"));
	ASSERT_STATUS(STATUS_SUCCESS, op(&c, k, "kid\\grandkid"));
	EXPECT_EQ(2, reg_getdw(c, "deep"));

	/* an open key below: refused, unless forced; then it is deleted */
	EXPECT_STATUS(STATUS_CANNOT_DELETE, restore_from(k, file, 0));
	old = c;
	ASSERT_STATUS(STATUS_SUCCESS, restore_from(k, file, REG_FORCE_RESTORE));
	EXPECT_STATUS(STATUS_KEY_DELETED, reg_setdw(old, "x", 1));
	NtClose(old);
	ASSERT_STATUS(STATUS_SUCCESS, op(&c, k, "kid\\grandkid"));
	EXPECT_EQ(2, reg_getdw(c, "deep"));
	NtClose(c);

	/* flags, privileges, the file's rights, what is not a hive */
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, restore_from(k, file, 0x10));
	EXPECT_STATUS(STATUS_NOT_IMPLEMENTED, restore_from(k, file, REG_REFRESH_HIVE));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      restore_from(k, file, REG_WHOLE_HIVE_VOLATILE));
	ASSERT_STATUS(STATUS_SUCCESS, hive_file(&f, "ntp-restore-w.hiv", true));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, NtRestoreKey(k, f, 0));
	NtClose(f);
	ASSERT_STATUS(STATUS_SUCCESS, op(&rd, NULL, "\\Registry"));
	ASSERT_STATUS(STATUS_SUCCESS, hive_file(&f, file, false));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, NtRestoreKey(rd, f, 0));
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, NtRestoreKey(f, f, 0));
	EXPECT_STATUS(STATUS_INVALID_HANDLE, NtRestoreKey(k, (HANDLE)0x1230, 0));
	NtClose(rd);
	NT_AS_USER(variant->gate) {
		/* SeRestorePrivilege: CAP_SYS_ADMIN */
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD, NtRestoreKey(k, f, 0));
	}
	NtClose(f);
	{
		int fd = open("/tmp/ntp-restore-junk.hiv", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		char junk[0x3000] = "not a hive";

		ASSERT_LE(0, fd);
		ASSERT_EQ(sizeof(junk), write(fd, junk, sizeof(junk)));
		close(fd);
	}
	EXPECT_STATUS(STATUS_NOT_REGISTRY_FILE,
		      restore_from(k, "ntp-restore-junk.hiv", 0));
	/* a failed restore changed nothing */
	EXPECT_EQ(1, reg_getdw(k, "top"));
	EXPECT_EQ(1, nsubkeys(k));
	NtClose(k);
	unlink("/tmp/ntp-restore-junk.hiv");
	unlink("/tmp/ntp-restore-w.hiv");
	snprintf(file, sizeof(file), "/tmp/ntp-restore-%d.hiv", getpid());
	unlink(file);
}

/* A restore is a change of names and values: watches fire, and end. */
TEST_F(regsvc, restore_key_notifies)
{
	IO_STATUS_BLOCK iosb, iosb2;
	HANDLE k, c, ev, ev2;
	char file[64];

	snprintf(file, sizeof(file), "ntp-restore-n-%d.hiv", getpid());
	ASSERT_STATUS(STATUS_SUCCESS, mk(&k, self->h, "n", 0));
	ASSERT_STATUS(STATUS_SUCCESS, save_to(k, file));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, k, "watched", 0));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, FALSE));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev2, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, FALSE));
	ASSERT_STATUS(STATUS_PENDING,
		      NtNotifyChangeKey(k, ev, NULL, NULL, &iosb, REG_NOTIFY_CHANGE_NAME,
					FALSE, NULL, 0, TRUE));
	ASSERT_STATUS(STATUS_PENDING,
		      NtNotifyChangeKey(c, ev2, NULL, NULL, &iosb2,
					REG_NOTIFY_CHANGE_LAST_SET, FALSE, NULL, 0, TRUE));
	ASSERT_STATUS(STATUS_SUCCESS, restore_from(k, file, REG_FORCE_RESTORE));
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, FALSE, &zero_timeout));
	EXPECT_EQ(STATUS_NOTIFY_ENUM_DIR, iosb.Status);
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev2, FALSE, &zero_timeout));
	EXPECT_EQ(STATUS_NOTIFY_CLEANUP, iosb2.Status);
	EXPECT_EQ(0, nsubkeys(k));
	NtClose(c);
	NtClose(k);
	NtClose(ev);
	NtClose(ev2);
	snprintf(file, sizeof(file), "/tmp/ntp-restore-n-%d.hiv", getpid());
	unlink(file);
}

/* ------------------------------------------------------------------ */
/* NtSaveMergedKeys */

static NTSTATUS load(const char *target, const char *file)
{
	struct reg_name t, f;

	return NtLoadKey(reg_path(&t, NULL, OBJ_CASE_INSENSITIVE, "%s", target),
			 reg_path(&f, NULL, OBJ_CASE_INSENSITIVE, "\\??\\C:\\tmp\\%s", file));
}

TEST_F(regsvc, save_merged_keys_high_precedence_wins)
{
	char hive[96], merged[96], file[64];
	HANDLE low, high, f, k, c;

	/* the high tree is a hive of its own, mounted from a file */
	snprintf(file, sizeof(file), "ntp-merge-h-%d.hiv", getpid());
	ASSERT_STATUS(STATUS_SUCCESS, mk(&k, self->h, "hsrc", 0));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "both", 2));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "high_only", 3));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, k, "shared", 0));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(c, "s", 20));
	NtClose(c);
	ASSERT_STATUS(STATUS_SUCCESS, save_to(k, file));
	NtClose(k);
	snprintf(hive, sizeof(hive), "\\Registry\\Machine\\ntp-merge-%d", getpid());
	ASSERT_STATUS(STATUS_SUCCESS, load(hive, file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&high, NULL, hive));

	ASSERT_STATUS(STATUS_SUCCESS, mk(&low, self->h, "low", 0));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(low, "both", 1));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(low, "low_only", 4));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, low, "shared", 0));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(c, "s", 10));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(c, "t", 11));
	NtClose(c);
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, low, "low_key", 0));
	NtClose(c);

	snprintf(merged, sizeof(merged), "ntp-merged-%d.hiv", getpid());
	ASSERT_STATUS(STATUS_SUCCESS, hive_file(&f, merged, true));
	/* two keys of one hive: refused */
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, NtSaveMergedKeys(low, self->h, f));
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, NtSaveMergedKeys(high, f, f));
	ASSERT_STATUS(STATUS_SUCCESS, NtSaveMergedKeys(high, low, f));
	NT_AS_USER(variant->gate) {
		/* SeBackupPrivilege: CAP_DAC_READ_SEARCH */
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD, NtSaveMergedKeys(high, low, f));
	}
	NtClose(f);
	NtClose(high);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(hive));

	/* mount the merged file and read the union back */
	ASSERT_STATUS(STATUS_SUCCESS, load(hive, merged));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, hive));
	EXPECT_EQ(2, reg_getdw(k, "both"));
	EXPECT_EQ(3, reg_getdw(k, "high_only"));
	/* a key in both trees is the high tree's, values and all */
	EXPECT_EQ(~0u, reg_getdw(k, "low_only"));
	EXPECT_EQ(2, nsubkeys(k));
	ASSERT_STATUS(STATUS_SUCCESS, op(&c, k, "shared"));
	EXPECT_EQ(20, reg_getdw(c, "s"));
	EXPECT_EQ(~0u, reg_getdw(c, "t"));
	NtClose(c);
	ASSERT_STATUS(STATUS_SUCCESS, op(&c, k, "low_key"));
	NtClose(c);
	NtClose(k);
	NtClose(low);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(hive));
	snprintf(file, sizeof(file), "/tmp/ntp-merge-h-%d.hiv", getpid());
	unlink(file);
	snprintf(merged, sizeof(merged), "/tmp/ntp-merged-%d.hiv", getpid());
	unlink(merged);
}

/* ------------------------------------------------------------------ */
/* NtUnloadKeyEx */

TEST_F(regsvc, unload_key_ex_waits_for_the_last_handle)
{
	LARGE_INTEGER five_s = rel_ms(5000);
	char hive[96], file[64];
	HANDLE k, c, ev;
	struct reg_name r;

	snprintf(file, sizeof(file), "ntp-unl-%d.hiv", getpid());
	ASSERT_STATUS(STATUS_SUCCESS, mk(&k, self->h, "u", 0));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, k, "kid", 0));
	NtClose(c);
	ASSERT_STATUS(STATUS_SUCCESS, save_to(k, file));
	NtClose(k);
	snprintf(hive, sizeof(hive), "\\Registry\\Machine\\ntp-unl-%d", getpid());
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, FALSE));

	/* no handle open: unloaded at once, the event untouched */
	ASSERT_STATUS(STATUS_SUCCESS, load(hive, file));
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtUnloadKeyEx(reg_path(&r, NULL, OBJ_CASE_INSENSITIVE, "%s", hive), ev));
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, FALSE, &zero_timeout));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&k, NULL, hive));

	/* a key open: without an event refused, with one deferred */
	ASSERT_STATUS(STATUS_SUCCESS, load(hive, file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&c, NULL, hive));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, c, "kid"));
	EXPECT_STATUS(STATUS_CANNOT_DELETE,
		      NtUnloadKeyEx(reg_path(&r, NULL, OBJ_CASE_INSENSITIVE, "%s", hive), NULL));
	EXPECT_STATUS(STATUS_PENDING,
		      NtUnloadKeyEx(reg_path(&r, NULL, OBJ_CASE_INSENSITIVE, "%s", hive), ev));
	EXPECT_STATUS(STATUS_CANNOT_DELETE,
		      NtUnloadKeyEx(reg_path(&r, NULL, OBJ_CASE_INSENSITIVE, "%s", hive), ev));
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, FALSE, &zero_timeout));
	NtClose(c);
	EXPECT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(ev, FALSE, &zero_timeout));
	NtClose(k);
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, FALSE, &five_s));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&k, NULL, hive));

	/* rights: an event handle that cannot set it; privilege */
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      NtUnloadKeyEx(reg_path(&r, NULL, OBJ_CASE_INSENSITIVE, "%s", hive),
				    self->h));
	NT_AS_USER(variant->gate) {
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD,
			      NtUnloadKeyEx(reg_path(&r, NULL, OBJ_CASE_INSENSITIVE, "%s",
						     hive), NULL));
	}
	NtClose(ev);
	snprintf(file, sizeof(file), "/tmp/ntp-unl-%d.hiv", getpid());
	unlink(file);
}

TEST_HARNESS_MAIN
