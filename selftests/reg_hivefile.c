// SPDX-License-Identifier: GPL-2.0
/*
 * Hive files (issue 15): hives mounted by NtLoadKey written back to their
 * files (NtFlushKey, NtUnloadKey, a late NtUnloadKeyEx), with the
 * loader's credentials, by temp file and rename, never over a file that
 * changed on disk since; and NtReplaceKey.
 *
 * Windows behaviour: XP writes a hive before it unloads it; NtReplaceKey
 * needs SeRestorePrivilege before anything else, names the hive by any
 * of its keys, validates NewFile, renames the hive's file to OldFile and
 * NewFile to its name, goes on with the old file, and refuses a second
 * replace with STATUS_FILE_RENAMED (NT's config/cmapi.c CmReplaceKey and
 * ntapi.c NtReplaceKey; MSDN RegReplaceKey). ReactOS leaves it
 * unimplemented.
 *
 * The machine hive's NtReplaceKey, taken at the next module load, is
 * scripts/tests/registry-replace (NTP_REG_REPLACE=write, check).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <unistd.h>
#include "reg_test.h"
#include "nt_user.h"

static NTSTATUS mk(HANDLE *h, HANDLE root, const char *name)
{
	struct reg_name r;

	*h = OB_POISON;
	return NtCreateKey(h, KEY_ALL_ACCESS,
			   reg_path(&r, root, OBJ_CASE_INSENSITIVE, "%s", name), 0,
			   NULL, 0, NULL);
}

static NTSTATUS op(HANDLE *h, HANDLE root, const char *name)
{
	struct reg_name r;

	*h = OB_POISON;
	return NtOpenKey(h, KEY_ALL_ACCESS,
			 reg_path(&r, root, OBJ_CASE_INSENSITIVE, "%s", name));
}

/* @key's subtree saved to the Linux file @path. */
static NTSTATUS save_to(HANDLE key, const char *path)
{
	IO_STATUS_BLOCK iosb;
	struct reg_name r;
	NTSTATUS st;
	HANDLE f;

	st = NtCreateFile(&f, GENERIC_WRITE | SYNCHRONIZE, reg_file(&r, path), &iosb,
			  NULL, 0x80, 0, FILE_OVERWRITE_IF,
			  FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
			  NULL, 0);
	if (st)
		return st;
	st = NtSaveKey(key, f);
	NtClose(f);
	return st;
}

/* A hive file at @path: value @name = @v, a subkey "kid". */
static NTSTATUS make_hive(const char *path, const char *name, ULONG v)
{
	char src[96];
	NTSTATUS st;
	HANDLE k, c;

	snprintf(src, sizeof(src), "\\Registry\\Machine\\ntp-hfsrc-%d", getpid());
	st = mk(&k, NULL, src);
	if (st)
		return st;
	st = reg_setdw(k, name, v);
	if (!st)
		st = mk(&c, k, "kid");
	if (!st) {
		NtClose(c);
		st = save_to(k, path);
	}
	reg_rmtree(k);
	return st;
}

static NTSTATUS replace(const char *newp, HANDLE key, const char *oldp)
{
	struct reg_name n, o;

	return NtReplaceKey(reg_file(&n, newp), key, reg_file(&o, oldp));
}

static ino_t ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

/* Entries in @dir other than . and .. */
static int entries(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static size_t slurp(const char *path, char *buf, size_t max)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, max);
	close(fd);
	return n < 0 ? 0 : n;
}

FIXTURE(hivefile) {
	char dir[96], file[128], hive[96];
};
NT_GATE_VARIANTS(hivefile);

/* A user's directory holding a hive file of theirs, mode 0644. */
FIXTURE_SETUP(hivefile)
{
	static int n;

	NT_GATE_SETUP();
	snprintf(self->dir, sizeof(self->dir), "/tmp/ntp-hf-%d-%d", getpid(), n);
	snprintf(self->file, sizeof(self->file), "%s/h.hiv", self->dir);
	snprintf(self->hive, sizeof(self->hive), "\\Registry\\Machine\\ntp-hf-%d-%d",
		 getpid(), n++);
	ASSERT_EQ(0, mkdir(self->dir, 0755));
	ASSERT_EQ(0, chown(self->dir, NT_TEST_UID, NT_TEST_GID));
	ASSERT_STATUS(STATUS_SUCCESS, make_hive(self->file, "orig", 1));
	ASSERT_EQ(0, chown(self->file, NT_TEST_UID, NT_TEST_GID));
	ASSERT_EQ(0, chmod(self->file, 0644));
}

FIXTURE_TEARDOWN(hivefile)
{
	char cmd[160];

	reg_unload(self->hive);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
}

TEST_F(hivefile, flush_writes_the_file_back)
{
	ino_t ino0 = ino_of(self->file);
	struct stat st;
	HANDLE k, c;

	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, self->file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	/* nothing changed: nothing written */
	EXPECT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
	EXPECT_EQ(ino0, ino_of(self->file));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "flushed", 7));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, k, "newkey"));
	NtClose(c);
	EXPECT_EQ(ino0, ino_of(self->file));
	/* any key of the hive flushes it, as XP flushes the whole hive */
	ASSERT_STATUS(STATUS_SUCCESS, op(&c, k, "kid"));
	EXPECT_STATUS(STATUS_SUCCESS, NtFlushKey(c));
	NtClose(c);
	/* a new file renamed over the old, no temp file left */
	ASSERT_EQ(0, stat(self->file, &st));
	EXPECT_NE(ino0, st.st_ino);
	EXPECT_EQ(1, entries(self->dir));
	/* the user's file stays the user's, its mode kept */
	EXPECT_EQ(NT_TEST_UID, st.st_uid);
	EXPECT_EQ(NT_TEST_GID, st.st_gid);
	EXPECT_EQ(0644, st.st_mode & 07777);
	ino0 = st.st_ino;
	EXPECT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
	EXPECT_EQ(ino0, ino_of(self->file));
	NtClose(k);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
	EXPECT_EQ(ino0, ino_of(self->file));

	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, self->file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	EXPECT_EQ(1, reg_getdw(k, "orig"));
	EXPECT_EQ(7, reg_getdw(k, "flushed"));
	EXPECT_STATUS(STATUS_SUCCESS, op(&c, k, "newkey"));
	NtClose(c);
	NtClose(k);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
}

TEST_F(hivefile, unload_writes_without_a_flush)
{
	LARGE_INTEGER five_s = { .QuadPart = -50000000LL };
	ino_t ino0 = ino_of(self->file);
	struct reg_name r;
	HANDLE k, ev;

	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, self->file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "u", 9));
	NtClose(k);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
	EXPECT_NE(ino0, ino_of(self->file));
	EXPECT_EQ(1, entries(self->dir));

	/* a late unload (NtUnloadKeyEx) writes at the last handle's close */
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, FALSE));
	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, self->file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	EXPECT_EQ(9, reg_getdw(k, "u"));
	ASSERT_STATUS(STATUS_PENDING,
		      NtUnloadKeyEx(reg_path(&r, NULL, OBJ_CASE_INSENSITIVE, "%s", self->hive), ev));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "late", 5));
	ino0 = ino_of(self->file);
	NtClose(k);
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(ev, FALSE, &five_s));
	EXPECT_NE(ino0, ino_of(self->file));
	NtClose(ev);

	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, self->file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	EXPECT_EQ(9, reg_getdw(k, "u"));
	EXPECT_EQ(5, reg_getdw(k, "late"));
	NtClose(k);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
}

TEST_F(hivefile, a_file_changed_on_disk_is_not_overwritten)
{
	char other[160], want[64], got[64];
	ino_t ino1;
	HANDLE k;
	int fd;

	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, self->file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "x", 1));
	/* someone else puts another file in its place */
	snprintf(other, sizeof(other), "%s/other", self->dir);
	memset(want, 'z', sizeof(want));
	fd = open(other, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(want), write(fd, want, sizeof(want)));
	close(fd);
	ASSERT_EQ(0, rename(other, self->file));
	ino1 = ino_of(self->file);

	EXPECT_STATUS(STATUS_REGISTRY_IO_FAILED, NtFlushKey(k));
	EXPECT_EQ(ino1, ino_of(self->file));
	EXPECT_EQ(sizeof(got), slurp(self->file, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(want, got, sizeof(got)));
	EXPECT_EQ(1, entries(self->dir));
	/* still dirty, still refused */
	EXPECT_STATUS(STATUS_REGISTRY_IO_FAILED, NtFlushKey(k));
	NtClose(k);
	/* the unload drops the changes rather than destroy the new file */
	EXPECT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
	EXPECT_EQ(ino1, ino_of(self->file));
	EXPECT_EQ(sizeof(got), slurp(self->file, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(want, got, sizeof(got)));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op(&k, NULL, self->hive));
}

TEST_F(hivefile, a_file_changed_in_place_is_not_overwritten)
{
	ino_t ino0 = ino_of(self->file);
	HANDLE k;
	int fd;

	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, self->file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "x", 1));
	fd = open(self->file, O_WRONLY | O_APPEND);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, write(fd, "more", 4));
	close(fd);
	EXPECT_STATUS(STATUS_REGISTRY_IO_FAILED, NtFlushKey(k));
	EXPECT_EQ(ino0, ino_of(self->file));
	NtClose(k);
	EXPECT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
	EXPECT_EQ(ino0, ino_of(self->file));
}

/*
 * Root without CAP_DAC_OVERRIDE (and the other DAC capabilities) but
 * with CAP_SYS_ADMIN: may load the hive from the user's 0755 directory,
 * not create a file in it. Drops them, then attaches again, as
 * nt_become() does for a uid change. 0 or -errno.
 */
static int drop_dac(int gate)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	__u32 drop = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH) |
		     (1u << CAP_FOWNER);
	int fd, err = 0;

	fd = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, NTP_IOC_DETACH) && errno != ENOENT)
		err = -errno;
	close(fd);
	if (err)
		return err;
	if (syscall(SYS_capget, &hdr, d))
		return -errno;
	d[0].effective &= ~drop;
	d[0].permitted &= ~drop;
	d[0].inheritable &= ~drop;
	if (syscall(SYS_capset, &hdr, d))
		return -errno;
	if (NtpAttach() != STATUS_SUCCESS)
		return -EPERM;
	if (NtpSetSystemCallGate(gate) != STATUS_SUCCESS)
		return -EINVAL;
	return 0;
}

TEST_F(hivefile, the_write_is_the_loaders)
{
	int status;
	pid_t pid;
	HANDLE k;

	fflush(stdout);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (drop_dac(variant->gate))
			_exit(10);
		if (reg_load(self->hive, self->file))
			_exit(11);
		if (op(&k, NULL, self->hive) || reg_setdw(k, "w", 4))
			_exit(12);
		/* the temp file cannot be made in the user's directory */
		if (NtFlushKey(k) != STATUS_ACCESS_DENIED)
			_exit(13);
		NtClose(k);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	/* root flushing it later writes as the loader: still refused */
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	EXPECT_EQ(4, reg_getdw(k, "w"));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, NtFlushKey(k));
	NtClose(k);
	/* a failed write keeps the hive mounted, its changes with it */
	EXPECT_STATUS(STATUS_ACCESS_DENIED, reg_unload(self->hive));
	EXPECT_EQ(1, entries(self->dir));
	/* once the loader may write there, the unload writes */
	ASSERT_EQ(0, chmod(self->dir, 0777));
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, self->file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	EXPECT_EQ(4, reg_getdw(k, "w"));
	NtClose(k);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
}

/* ------------------------------------------------------------------ */
/* NtReplaceKey */

TEST_F(hivefile, replace_key_statuses)
{
	char newp[160], oldp[160], junk[160], bad[160], buf[8192];
	HANDLE k, c, user, f;
	IO_STATUS_BLOCK iosb;
	struct reg_name r;
	unsigned int root;
	size_t n;
	int fd;

	snprintf(newp, sizeof(newp), "%s/new.hiv", self->dir);
	snprintf(oldp, sizeof(oldp), "%s/old.hiv", self->dir);
	snprintf(junk, sizeof(junk), "%s/junk.hiv", self->dir);
	snprintf(bad, sizeof(bad), "%s/bad.hiv", self->dir);
	ASSERT_STATUS(STATUS_SUCCESS, make_hive(newp, "new", 2));
	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, self->file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));

	/* SeRestorePrivilege before anything else */
	NT_AS_USER(variant->gate) {
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD, replace(newp, k, oldp));
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD,
			      replace(newp, (HANDLE)0x1230, oldp));
	}
	EXPECT_STATUS(STATUS_INVALID_HANDLE, replace(newp, (HANDLE)0x1230, oldp));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateFile(&f, GENERIC_READ | SYNCHRONIZE, reg_file(&r, newp),
				   &iosb, NULL, 0x80, FILE_SHARE_READ, FILE_OPEN,
				   FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
				   NULL, 0));
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH, replace(newp, f, oldp));
	NtClose(f);
	/* \REGISTRY\USER holds hives, it is none */
	ASSERT_STATUS(STATUS_SUCCESS, op(&user, NULL, "\\Registry\\User"));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, replace(newp, user, oldp));
	NtClose(user);

	/* NewFile: missing, not a hive, a hive with a broken root cell */
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      replace("/tmp/ntp-hf-none.hiv", k, oldp));
	memset(buf, 'j', sizeof(buf));
	fd = open(junk, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(buf), write(fd, buf, sizeof(buf)));
	close(fd);
	EXPECT_STATUS(STATUS_NOT_REGISTRY_FILE, replace(junk, k, oldp));
	n = slurp(newp, buf, sizeof(buf));
	ASSERT_LE(0x1030, n);
	root = *(unsigned int *)(buf + 0x24);
	ASSERT_GT(n, 0x1000 + root + 8);
	memcpy(buf + 0x1000 + root + 4, "xx", 2);	/* not "nk" */
	fd = open(bad, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(n, write(fd, buf, n));
	close(fd);
	EXPECT_STATUS(STATUS_REGISTRY_CORRUPT, replace(bad, k, oldp));
	/* OldFile exists: nothing renamed */
	EXPECT_STATUS(STATUS_OBJECT_NAME_COLLISION, replace(newp, k, junk));
	EXPECT_EQ(0, access(newp, F_OK));
	EXPECT_EQ(0, access(self->file, F_OK));
	/* none of it changed the hive's file */
	EXPECT_NE(0, access(oldp, F_OK));

	/* a deleted key */
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, k, "gone"));
	ASSERT_STATUS(STATUS_SUCCESS, NtDeleteKey(c));
	EXPECT_STATUS(STATUS_KEY_DELETED, replace(newp, c, oldp));
	NtClose(c);
	NtClose(k);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
}

TEST_F(hivefile, replace_key_of_a_mounted_hive)
{
	char newp[160], oldp[160];
	ino_t ino_hive = ino_of(self->file), ino_new;
	HANDLE k, c;

	snprintf(newp, sizeof(newp), "%s/new.hiv", self->dir);
	snprintf(oldp, sizeof(oldp), "%s/old.hiv", self->dir);
	ASSERT_STATUS(STATUS_SUCCESS, make_hive(newp, "new", 2));
	ino_new = ino_of(newp);
	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, self->file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	/* any key of the hive names it */
	ASSERT_STATUS(STATUS_SUCCESS, op(&c, k, "kid"));
	ASSERT_STATUS(STATUS_SUCCESS, replace(newp, c, oldp));
	NtClose(c);
	EXPECT_EQ(ino_new, ino_of(self->file));
	EXPECT_EQ(ino_hive, ino_of(oldp));
	EXPECT_NE(0, access(newp, F_OK));
	/* once per hive, as XP */
	ASSERT_STATUS(STATUS_SUCCESS, make_hive(newp, "new", 3));
	EXPECT_STATUS(STATUS_FILE_RENAMED, replace(newp, k, oldp));
	unlink(newp);

	/* the mounted hive goes on with its file, now OldFile */
	EXPECT_EQ(1, reg_getdw(k, "orig"));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "after", 3));
	EXPECT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
	EXPECT_NE(ino_hive, ino_of(oldp));
	EXPECT_EQ(ino_new, ino_of(self->file));
	NtClose(k);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
	EXPECT_EQ(2, entries(self->dir));

	/* the next load of the hive's file reads NewFile's content */
	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, self->file));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	EXPECT_EQ(2, reg_getdw(k, "new"));
	EXPECT_EQ(~0u, reg_getdw(k, "orig"));
	NtClose(k);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
	/* and OldFile has the old hive with what was written since */
	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, oldp));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	EXPECT_EQ(1, reg_getdw(k, "orig"));
	EXPECT_EQ(3, reg_getdw(k, "after"));
	NtClose(k);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
}

/*
 * scripts/tests/registry-replace: the machine hive replaced at the next
 * module load. write: a marker key with v=1 saved with the whole machine
 * hive as NewFile, v=2 set and flushed, NtReplaceKey; OldFile holds v=2;
 * the same for uid 1000's hive. check (after rmmod and insmod): v and u
 * are 1 again.
 */
#define USER_HIVE	"\\Registry\\User\\S-1-22-1-1000"

TEST_F(hivefile, machine_replace_phase)
{
	const char *phase = getenv("NTP_REG_REPLACE");
	HANDLE m, k;

	if (!phase)
		SKIP(return, "NTP_REG_REPLACE not set (scripts/tests/registry-replace)");
	if (variant->gate != NTP_GATE_INT2E)
		SKIP(return, "once");
	if (!strcmp(phase, "write")) {
		ASSERT_STATUS(STATUS_SUCCESS, mk(&k, NULL, "\\Registry\\Machine\\ntp-repl"));
		ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "v", 1));
		ASSERT_STATUS(STATUS_SUCCESS, op(&m, NULL, "\\Registry\\Machine"));
		ASSERT_STATUS(STATUS_SUCCESS, save_to(m, "/tmp/ntp-repl-new.hiv"));
		ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "v", 2));
		ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
		unlink("/tmp/ntp-repl-old.hiv");
		ASSERT_STATUS(STATUS_SUCCESS, replace("/tmp/ntp-repl-new.hiv", k,
						      "/tmp/ntp-repl-old.hiv"));
		EXPECT_STATUS(STATUS_FILE_RENAMED,
			      replace("/tmp/ntp-repl-new.hiv", m, "/tmp/ntp-repl-x.hiv"));
		/* changes after it are flushed to the old base, and dropped */
		ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "v", 3));
		ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
		NtClose(k);
		NtClose(m);
		/* OldFile: the hive as it was, v=2 */
		ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, "/tmp/ntp-repl-old.hiv"));
		ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
		ASSERT_STATUS(STATUS_SUCCESS, op(&m, k, "ntp-repl"));
		EXPECT_EQ(2, reg_getdw(m, "v"));
		NtClose(m);
		NtClose(k);
		ASSERT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));

		/* uid 1000's hive, replaced by root: the same at its next load */
		ASSERT_STATUS(STATUS_SUCCESS, mk(&m, NULL, USER_HIVE));
		ASSERT_STATUS(STATUS_SUCCESS, mk(&k, m, "ntp-repl"));
		ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "u", 1));
		ASSERT_STATUS(STATUS_SUCCESS, save_to(m, "/tmp/ntp-repl-unew.hiv"));
		ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "u", 2));
		ASSERT_STATUS(STATUS_SUCCESS, NtFlushKey(k));
		unlink("/tmp/ntp-repl-uold.hiv");
		ASSERT_STATUS(STATUS_SUCCESS, replace("/tmp/ntp-repl-unew.hiv", m,
						      "/tmp/ntp-repl-uold.hiv"));
		NtClose(k);
		NtClose(m);
	} else {
		ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, "\\Registry\\Machine\\ntp-repl"));
		EXPECT_EQ(1, reg_getdw(k, "v"));
		NtClose(k);
		ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, USER_HIVE "\\ntp-repl"));
		EXPECT_EQ(1, reg_getdw(k, "u"));
		NtClose(k);
		ASSERT_STATUS(STATUS_SUCCESS,
			      op(&k, NULL, "\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion"));
		NtClose(k);
	}
}

/*
 * scripts/tests/regf-writeback: a mounted hive changed and unloaded
 * without a flush; the file written back is then listed by hivexsh on
 * the host.
 */
TEST_F(hivefile, writeback_phase)
{
	const char *wb = "/tmp/ntp-wb.hiv";
	HANDLE k, c;

	if (!getenv("NTP_REG_WRITEBACK"))
		SKIP(return, "NTP_REG_WRITEBACK not set (scripts/tests/regf-writeback)");
	if (variant->gate != NTP_GATE_INT2E)
		SKIP(return, "once");
	ASSERT_STATUS(STATUS_SUCCESS, make_hive(wb, "orig", 1));
	ASSERT_STATUS(STATUS_SUCCESS, reg_load(self->hive, wb));
	ASSERT_STATUS(STATUS_SUCCESS, op(&k, NULL, self->hive));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(k, "dword", 0x01020304));
	ASSERT_STATUS(STATUS_SUCCESS, mk(&c, k, "Added"));
	ASSERT_STATUS(STATUS_SUCCESS, reg_setdw(c, "s", 5));
	NtClose(c);
	NtClose(k);
	ASSERT_STATUS(STATUS_SUCCESS, reg_unload(self->hive));
}

TEST_HARNESS_MAIN
