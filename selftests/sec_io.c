// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 12, rows 4, 5 and 8 and the suspicions next to them: renames,
 * share state and byte-range locks through NT handles, tried by an
 * unprivileged uid (NT_AS_USER) against root's files and against Linux
 * processes that use the same files.
 *
 *  - rename: a cross-directory FileRenameInformation must leave both
 *    parents unlocked (a later Linux rename across directories completes);
 *    permission checks (vfs_rename's may_delete/may_create) happen at the
 *    time of the rename; the LSM hook of rename(2) runs (Landlock); a
 *    handle whose name was unlinked cannot bring the inode back; a name
 *    being renamed under a query is read safely.
 *  - share state: FileStandardInformation and FileDispositionInformation
 *    racing the last NtClose of the handle.
 *  - locks: a read-only handle's exclusive lock does not take a Linux
 *    write lock (root's readers keep their F_OFD_SETLK(F_RDLCK)); a lock
 *    request that waits holds nothing that I/O on the same file object
 *    needs, and it can be killed.
 *
 * Every step that could hang on a broken kernel runs in a child or a
 * thread with a timeout, so a regression fails the test instead of
 * hanging the VM.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/landlock.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "nt_test.h"
#include "nt_user.h"

FIXTURE(sec_io) {
	char base[64];		/* root-owned, 0755 */
	char u[96];		/* base/u, owned by the test user */
};
NT_GATE_VARIANTS(sec_io);

FIXTURE_SETUP(sec_io)
{
	NT_GATE_SETUP();
	strcpy(self->base, "/tmp/secio.XXXXXX");
	ASSERT_TRUE(mkdtemp(self->base) != NULL);
	ASSERT_EQ(0, chmod(self->base, 0755));
	snprintf(self->u, sizeof(self->u), "%s/u", self->base);
	ASSERT_EQ(0, mkdir(self->u, 0755));
	ASSERT_EQ(0, chown(self->u, NT_TEST_UID, NT_TEST_GID));
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

/* ms since an arbitrary start */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Reap @pid within @ms: its wait status, or -1 (SIGKILLed and left). */
static int reap_within(pid_t pid, int ms)
{
	long long end = now_ms() + ms;
	int status;

	do {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(5000);
	} while (now_ms() < end);
	kill(pid, SIGKILL);
	return -1;
}

/*
 * A directory whose locks leaked cannot be cleaned up (the unlinks would
 * hang): clean up in a child and give up on it after a while.
 */
FIXTURE_TEARDOWN(sec_io)
{
	pid_t pid = fork();

	if (pid == 0) {
		nftw(self->base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		_exit(0);
	}
	if (pid > 0 && reap_within(pid, 5000) == -1)
		TH_LOG("%s left behind: its cleanup hung", self->base);
}

/* "\??\unix\a\b" for the Linux path /a/b */
static WCHAR *ntname(WCHAR *out, const char *path)
{
	int n = 0;

	for (const char *p = "\\??\\unix"; *p; p++)
		out[n++] = *p;
	for (; *path; path++)
		out[n++] = *path == '/' ? '\\' : *path;
	out[n] = 0;
	return out;
}

static NTSTATUS nt_open(HANDLE *h, const char *path, ACCESS_MASK access,
			ULONG share, ULONG disp, ULONG options)
{
	WCHAR buf[400];
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK iosb;

	nt_oa(&oa, &us, ntname(buf, path), OBJ_CASE_INSENSITIVE);
	return NtCreateFile(h, access, &oa, &iosb, NULL, 0, share, disp, options,
			    NULL, 0);
}

#define SHARE_ALL	(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
#define SYNC_IO		FILE_SYNCHRONOUS_IO_NONALERT

/* FileRenameInformation of @h to the Linux path @to, as a full NT name. */
static NTSTATUS nt_rename(HANDLE h, const char *to, BOOLEAN replace)
{
	char buf[sizeof(FILE_RENAME_INFORMATION) + 800];
	FILE_RENAME_INFORMATION *ri = (void *)buf;
	IO_STATUS_BLOCK iosb;
	WCHAR name[400];
	int n;

	ntname(name, to);
	for (n = 0; name[n]; n++)
		;
	memset(buf, 0, sizeof(buf));
	ri->ReplaceIfExists = replace;
	ri->FileNameLength = n * 2;
	memcpy(ri->FileName, name, n * 2);
	return NtSetInformationFile(h, &iosb, ri, sizeof(*ri) + n * 2,
				    FileRenameInformation);
}

static int put_file(const char *path, const char *data, mode_t mode)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, mode);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, data, strlen(data)) == (ssize_t)strlen(data);
	close(fd);
	return ok ? 0 : -1;
}

static int exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

/*
 * rename(2) in a child: 0, the errno, or -1 if it did not finish within
 * @ms (the child is then stuck in the kernel: left behind).
 */
static int linux_rename_within(const char *from, const char *to, int ms)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(rename(from, to) ? errno : 0);
	status = reap_within(pid, ms);
	if (status == -1)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

static char *cat(char *out, const char *dir, const char *name)
{
	sprintf(out, "%s/%s", dir, name);
	return out;
}

/* ---------------------------------------------------------------------- */
/* row 4: FileRenameInformation */

TEST_F(sec_io, cross_directory_rename_unlocks_both_parents)
{
	char a[128], b[128], f[160], g[160], x[160], y[160];

	NT_AS_USER(variant->gate) {
		HANDLE h;

		ASSERT_EQ(0, mkdir(cat(a, self->u, "a"), 0755));
		ASSERT_EQ(0, mkdir(cat(b, self->u, "b"), 0755));
		ASSERT_EQ(0, put_file(cat(f, a, "f"), "data", 0644));
		ASSERT_EQ(0, put_file(cat(x, a, "x"), "x", 0644));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h, f, DELETE | SYNCHRONIZE, SHARE_ALL,
				      FILE_OPEN, SYNC_IO));
		ASSERT_STATUS(STATUS_SUCCESS, nt_rename(h, cat(g, b, "g"), FALSE));
		/*
		 * Linux renames across the same two directories and across
		 * the file system: each must complete (a leaked
		 * s_vfs_rename_mutex or i_rwsem hangs them in D state, and
		 * even a lookup in @a: nothing touches @a before this).
		 */
		ASSERT_EQ(0, linux_rename_within(x, cat(y, b, "y"), 3000));
		EXPECT_FALSE(exists(f));
		EXPECT_TRUE(exists(g));
		ASSERT_EQ(0, linux_rename_within(y, cat(x, self->u, "x"), 3000));
		/* back and forth through the same handle */
		ASSERT_STATUS(STATUS_SUCCESS, nt_rename(h, f, FALSE));
		EXPECT_TRUE(exists(f));
		ASSERT_STATUS(STATUS_SUCCESS, nt_rename(h, g, FALSE));
		NtClose(h);
		ASSERT_EQ(0, linux_rename_within(g, f, 3000));
		EXPECT_TRUE(exists(f));
		EXPECT_TRUE(exists(x));
	}
}

/*
 * The opener could delete the file when it opened it; by the time of the
 * rename root has taken the directory's write bit away: the rename is
 * refused then (checked at the time of use) and the file stays.
 */
TEST_F(sec_io, rename_of_root_file_out_of_root_dir_is_denied)
{
	char r[128], victim[160], stolen[160];
	int go[2], done[2];
	pid_t helper;
	char c;

	ASSERT_EQ(0, mkdir(cat(r, self->base, "r"), 0777));
	ASSERT_EQ(0, chmod(r, 0777));
	ASSERT_EQ(0, put_file(cat(victim, r, "victim"), "root's", 0644));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	helper = fork();
	ASSERT_LE(0, helper);
	if (helper == 0) {	/* root: chmod 0755 when told */
		if (read(go[0], &c, 1) != 1 || chmod(r, 0755))
			_exit(1);
		_exit(write(done[1], "k", 1) == 1 ? 0 : 1);
	}
	NT_AS_USER(variant->gate) {
		HANDLE h;

		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h, victim, DELETE | SYNCHRONIZE, SHARE_ALL,
				      FILE_OPEN, SYNC_IO));
		ASSERT_EQ(1, write(go[1], "g", 1));
		ASSERT_EQ(1, read(done[0], &c, 1));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_rename(h, cat(stolen, self->u, "stolen"), FALSE));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_rename(h, cat(stolen, r, "renamed"), FALSE));
		NtClose(h);
	}
	ASSERT_EQ(0, reap_within(helper, 5000));
	EXPECT_TRUE(exists(victim));
	EXPECT_FALSE(exists(cat(stolen, self->u, "stolen")));
	EXPECT_FALSE(exists(cat(stolen, r, "renamed")));
}

TEST_F(sec_io, rename_into_root_dir_is_denied)
{
	char r[128], mine[160], there[160];

	ASSERT_EQ(0, mkdir(cat(r, self->base, "r"), 0755));
	cat(mine, self->u, "mine");
	cat(there, r, "mine");
	NT_AS_USER(variant->gate) {
		HANDLE h;

		ASSERT_EQ(0, put_file(mine, "x", 0644));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h, mine, DELETE | SYNCHRONIZE, SHARE_ALL,
				      FILE_OPEN, SYNC_IO));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, nt_rename(h, there, FALSE));
		NtClose(h);
	}
	EXPECT_TRUE(exists(mine));
	EXPECT_FALSE(exists(there));
}

/* Across mounts: what rename(2) calls EXDEV. */
TEST_F(sec_io, rename_to_another_mount_is_not_same_device)
{
	char mine[160];

	/* /proc is another mount than /tmp */
	cat(mine, self->u, "mine");
	NT_AS_USER(variant->gate) {
		HANDLE h;

		ASSERT_EQ(0, put_file(mine, "x", 0644));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h, mine, DELETE | SYNCHRONIZE, SHARE_ALL,
				      FILE_OPEN, SYNC_IO));
		EXPECT_STATUS(STATUS_NOT_SAME_DEVICE,
			      nt_rename(h, "/proc/secio-mine", FALSE));
		NtClose(h);
	}
	EXPECT_TRUE(exists(mine));
}

/* A directory cannot go below itself: EINVAL in rename(2). */
TEST_F(sec_io, rename_of_directory_into_itself_is_invalid)
{
	char d[128], inside[160];

	NT_AS_USER(variant->gate) {
		HANDLE h;

		ASSERT_EQ(0, mkdir(cat(d, self->u, "d"), 0755));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h, d, DELETE | SYNCHRONIZE, SHARE_ALL,
				      FILE_OPEN, SYNC_IO | FILE_DIRECTORY_FILE));
		EXPECT_STATUS(STATUS_INVALID_PARAMETER,
			      nt_rename(h, cat(inside, d, "sub"), FALSE));
		NtClose(h);
		EXPECT_TRUE(exists(d));
		EXPECT_FALSE(exists(inside));
	}
}

static int landlock_abi(void)
{
	return syscall(__NR_landlock_create_ruleset, NULL, 0,
		       LANDLOCK_CREATE_RULESET_VERSION);
}

/*
 * The LSM hook of rename(2) runs: a Landlock domain that lets the user
 * remove files in @a but not make them refuses the rename within @a,
 * through Linux and through NT alike.
 */
TEST_F(sec_io, rename_runs_the_lsm_path_hook)
{
	char a[128], f[160], g[160];

	if (landlock_abi() < 1)
		SKIP(return, "Landlock is not enabled in this kernel");
	NT_AS_USER(variant->gate) {
		struct landlock_ruleset_attr attr = {
			.handled_access_fs = LANDLOCK_ACCESS_FS_REMOVE_FILE |
					     LANDLOCK_ACCESS_FS_MAKE_REG,
		};
		struct landlock_path_beneath_attr pb = {
			.allowed_access = LANDLOCK_ACCESS_FS_REMOVE_FILE,
		};
		int rs;
		HANDLE h;

		ASSERT_EQ(0, mkdir(cat(a, self->u, "a"), 0755));
		ASSERT_EQ(0, put_file(cat(f, a, "f"), "x", 0644));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h, f, DELETE | SYNCHRONIZE, SHARE_ALL,
				      FILE_OPEN, SYNC_IO));
		rs = syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
		ASSERT_LE(0, rs);
		pb.parent_fd = open(a, O_PATH | O_CLOEXEC);
		ASSERT_LE(0, pb.parent_fd);
		ASSERT_EQ(0, syscall(__NR_landlock_add_rule, rs,
				     LANDLOCK_RULE_PATH_BENEATH, &pb, 0));
		ASSERT_EQ(0, prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
		ASSERT_EQ(0, syscall(__NR_landlock_restrict_self, rs, 0));
		/* Linux says no */
		ASSERT_EQ(EACCES, linux_rename_within(f, cat(g, a, "g"), 3000));
		/* so does NT */
		EXPECT_STATUS(STATUS_ACCESS_DENIED, nt_rename(h, g, FALSE));
		EXPECT_TRUE(exists(f));
		EXPECT_FALSE(exists(g));
		NtClose(h);
	}
}

/*
 * Suspicion: a handle whose name was unlinked renames the dead inode
 * (i_nlink 0) back into the tree. rename(2) cannot name it any more
 * (ENOENT), and neither can NT: STATUS_OBJECT_NAME_NOT_FOUND.
 */
TEST_F(sec_io, rename_of_unlinked_file_fails)
{
	char f[160], g[160];

	NT_AS_USER(variant->gate) {
		HANDLE h;

		ASSERT_EQ(0, put_file(cat(f, self->u, "f"), "x", 0644));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h, f, DELETE | SYNCHRONIZE, SHARE_ALL,
				      FILE_OPEN, SYNC_IO));
		ASSERT_EQ(0, unlink(f));
		EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
			      nt_rename(h, cat(g, self->u, "g"), FALSE));
		EXPECT_FALSE(exists(g));
		NtClose(h);
	}
}

/* ReplaceIfExists is honoured under the locks; a directory is never replaced. */
TEST_F(sec_io, rename_replace_rules)
{
	char f[160], g[160], d[160];

	NT_AS_USER(variant->gate) {
		HANDLE h;

		ASSERT_EQ(0, put_file(cat(f, self->u, "f"), "ff", 0644));
		ASSERT_EQ(0, put_file(cat(g, self->u, "g"), "g", 0644));
		ASSERT_EQ(0, mkdir(cat(d, self->u, "d"), 0755));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h, f, DELETE | SYNCHRONIZE, SHARE_ALL,
				      FILE_OPEN, SYNC_IO));
		EXPECT_STATUS(STATUS_OBJECT_NAME_COLLISION, nt_rename(h, g, FALSE));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, nt_rename(h, d, TRUE));
		EXPECT_STATUS(STATUS_SUCCESS, nt_rename(h, g, TRUE));
		EXPECT_FALSE(exists(f));
		EXPECT_TRUE(exists(d));
		NtClose(h);
	}
}

/*
 * Suspicion: attributes read dentry->d_name while the name changes. Two
 * long (out-of-line) names starting with '.', swapped by rename(2) in
 * a thread while FileBasicInformation is queried: the name read must
 * always be one of them, so HIDDEN never goes away. (Without KASAN the
 * old unlocked read is unlikely to show: it passed on c3bd855. This is
 * the stress half of a fix made by reading.)
 */
struct renamer {
	const char *a, *b;
	atomic_int stop;
	int fails;
};

static void *rename_loop(void *arg)
{
	struct renamer *r = arg;

	while (!atomic_load(&r->stop)) {
		if (rename(r->a, r->b) || rename(r->b, r->a))
			r->fails++;
	}
	return NULL;
}

TEST_F(sec_io, attributes_of_a_file_being_renamed)
{
	char a[200], b[200];
	struct renamer r = {};

	NT_AS_USER(variant->gate) {
		FILE_BASIC_INFORMATION fbi;
		IO_STATUS_BLOCK iosb;
		long long end;
		pthread_t t;
		int bad = 0, n = 0;
		HANDLE h;

		cat(a, self->u, ".a-name-long-enough-to-live-outside-the-dentry-aaaa");
		cat(b, self->u, ".b-name-long-enough-to-live-outside-the-dentry-bbbb");
		ASSERT_EQ(0, put_file(a, "x", 0644));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h, a, FILE_READ_ATTRIBUTES | SYNCHRONIZE,
				      SHARE_ALL, FILE_OPEN, SYNC_IO));
		r.a = a;
		r.b = b;
		ASSERT_EQ(0, pthread_create(&t, NULL, rename_loop, &r));
		end = now_ms() + 1500;
		while (now_ms() < end) {
			NTSTATUS st = NtQueryInformationFile(h, &iosb, &fbi,
							     sizeof(fbi),
							     FileBasicInformation);

			n++;
			if (st != STATUS_SUCCESS ||
			    fbi.FileAttributes != (FILE_ATTRIBUTE_ARCHIVE |
						   FILE_ATTRIBUTE_HIDDEN))
				bad++;
		}
		atomic_store(&r.stop, 1);
		pthread_join(t, NULL);
		EXPECT_EQ(0, bad) TH_LOG("%d of %d queries wrong", bad, n);
		EXPECT_EQ(0, r.fails);
		NtClose(h);
	}
}

/* ---------------------------------------------------------------------- */
/* row 5: the share state and the last close */

struct closer {
	const char *path;
	atomic_uintptr_t h;	/* the handle of the moment (0: none) */
	atomic_int stop;
	atomic_int unexpected;
	atomic_uint last_bad;
};

static void note(struct closer *c, NTSTATUS st)
{
	/*
	 * A closed or not yet reopened handle, or one closed under the
	 * call: STATUS_FILE_CLOSED, or STATUS_OBJECT_NAME_NOT_FOUND when
	 * that close also deleted the name before the disposition's
	 * unlink(2) permission check looked at it.
	 */
	if (st == STATUS_SUCCESS || st == STATUS_INVALID_HANDLE ||
	    st == STATUS_FILE_CLOSED || st == STATUS_OBJECT_NAME_NOT_FOUND)
		return;
	atomic_fetch_add(&c->unexpected, 1);
	atomic_store(&c->last_bad, (unsigned int)st);
}

static void *query_loop(void *arg)
{
	struct closer *c = arg;
	FILE_STANDARD_INFORMATION fsi;
	IO_STATUS_BLOCK iosb;

	while (!atomic_load(&c->stop))
		note(c, NtQueryInformationFile((HANDLE)atomic_load(&c->h), &iosb,
					       &fsi, sizeof(fsi),
					       FileStandardInformation));
	return NULL;
}

static void *dispose_loop(void *arg)
{
	struct closer *c = arg;
	FILE_DISPOSITION_INFORMATION fdi;
	IO_STATUS_BLOCK iosb;
	int i = 0;

	while (!atomic_load(&c->stop)) {
		fdi.DeleteFile = i++ & 1;
		note(c, NtSetInformationFile((HANDLE)atomic_load(&c->h), &iosb,
					     &fdi, sizeof(fdi),
					     FileDispositionInformation));
	}
	return NULL;
}

TEST_F(sec_io, share_state_races_the_last_close)
{
	char f[160];

	NT_AS_USER(variant->gate) {
		struct closer c = { .path = cat(f, self->u, "race") };
		pthread_t t[4];
		long long end;
		int opens = 0, i;
		HANDLE h;

		for (i = 0; i < 4; i++)
			ASSERT_EQ(0, pthread_create(&t[i], NULL,
						    i & 1 ? dispose_loop : query_loop,
						    &c));
		end = now_ms() + 2500;
		while (now_ms() < end) {
			NTSTATUS st = nt_open(&h, f, DELETE | GENERIC_READ |
					      GENERIC_WRITE | SYNCHRONIZE,
					      SHARE_ALL, FILE_OPEN_IF, SYNC_IO);

			if (st != STATUS_SUCCESS)
				continue;
			opens++;
			atomic_store(&c.h, (uintptr_t)h);
			sched_yield();
			atomic_store(&c.h, 0);
			NtClose(h);
		}
		atomic_store(&c.stop, 1);
		for (i = 0; i < 4; i++)
			pthread_join(t[i], NULL);
		EXPECT_LT(20, opens);
		EXPECT_EQ(0, atomic_load(&c.unexpected))
			TH_LOG("last unexpected status 0x%08x",
			       atomic_load(&c.last_bad));
	}
}

/* ---------------------------------------------------------------------- */
/* row 8: byte-range locks */

static int ofd_lock(int fd, short type, off_t start, off_t len)
{
	struct flock fl = {
		.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len,
	};

	return fcntl(fd, F_OFD_SETLK, &fl) ? errno : 0;
}

static NTSTATUS nt_lock(HANDLE h, long long at, long long n, BOOLEAN wait,
			BOOLEAN excl)
{
	LARGE_INTEGER off = { .QuadPart = at }, len = { .QuadPart = n };
	IO_STATUS_BLOCK iosb;

	return NtLockFile(h, NULL, NULL, NULL, &iosb, &off, &len, 0, !wait, excl);
}

static NTSTATUS nt_unlock(HANDLE h, long long at, long long n)
{
	LARGE_INTEGER off = { .QuadPart = at }, len = { .QuadPart = n };
	IO_STATUS_BLOCK iosb;

	return NtUnlockFile(h, &iosb, &off, &len, 0);
}

static NTSTATUS nt_read(HANDLE h, long long at, char *buf, ULONG n)
{
	LARGE_INTEGER off = { .QuadPart = at };
	IO_STATUS_BLOCK iosb;

	return NtReadFile(h, NULL, NULL, NULL, &iosb, buf, n,
			  at < 0 ? NULL : &off, NULL);
}

/*
 * Root's daemon reads its database under OFD read locks. The user may
 * read the file, and on Windows a read handle may hold an exclusive lock
 * (LockFileEx needs GENERIC_READ or GENERIC_WRITE): so NtLockFile grants
 * it, exclusive against every other NT handle, but on the Linux side it
 * is what fcntl(F_OFD_SETLK) lets a read-only file take, a read lock.
 * Root's readers are not blocked; a Linux F_WRLCK would have been
 * (F_WRLCK needs FMODE_WRITE, check_fmode_for_setlk).
 */
TEST_F(sec_io, read_handle_exclusive_lock_leaves_root_readers_alone)
{
	char db[160], c;
	int to_root[2], to_user[2];
	pid_t daemon;

	ASSERT_EQ(0, put_file(cat(db, self->base, "db"),
			      "root's database, read under OFD read locks", 0644));
	ASSERT_EQ(0, pipe(to_root));
	ASSERT_EQ(0, pipe(to_user));
	daemon = fork();
	ASSERT_LE(0, daemon);
	if (daemon == 0) {	/* root, reading */
		int fd1 = open(db, O_RDONLY), fd2 = open(db, O_RDONLY), res;

		res = fd1 < 0 || fd2 < 0 ? EBADF : ofd_lock(fd1, F_RDLCK, 0, 100);
		if (write(to_user[1], &res, sizeof(res)) != sizeof(res) ||
		    read(to_root[0], &c, 1) != 1)
			_exit(1);
		/* the user holds its NT lock now */
		res = ofd_lock(fd2, F_RDLCK, 0, 100);
		if (write(to_user[1], &res, sizeof(res)) != sizeof(res) ||
		    read(to_root[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	NT_AS_USER(variant->gate) {
		char buf[8];
		HANDLE h, h2;
		int res;

		ASSERT_EQ(sizeof(res), read(to_user[0], &res, sizeof(res)));
		ASSERT_EQ(0, res);
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h, db, GENERIC_READ | SYNCHRONIZE,
				      FILE_SHARE_READ | FILE_SHARE_WRITE,
				      FILE_OPEN, SYNC_IO));
		ASSERT_STATUS(STATUS_ACCESS_DENIED,
			      nt_open(&h2, db, GENERIC_WRITE | SYNCHRONIZE,
				      FILE_SHARE_READ | FILE_SHARE_WRITE,
				      FILE_OPEN, SYNC_IO));
		/* granted although root reads under a read lock */
		EXPECT_STATUS(STATUS_SUCCESS, nt_lock(h, 0, 100, FALSE, TRUE));
		ASSERT_EQ(1, write(to_root[1], "l", 1));
		ASSERT_EQ(sizeof(res), read(to_user[0], &res, sizeof(res)));
		EXPECT_EQ(0, res) TH_LOG("root's F_OFD_SETLK(F_RDLCK): %s",
					 strerror(res));
		/* exclusive among NT handles all the same */
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h2, db, GENERIC_READ | SYNCHRONIZE,
				      FILE_SHARE_READ | FILE_SHARE_WRITE,
				      FILE_OPEN, SYNC_IO));
		EXPECT_STATUS(STATUS_LOCK_NOT_GRANTED, nt_lock(h2, 10, 5, FALSE, FALSE));
		EXPECT_STATUS(STATUS_FILE_LOCK_CONFLICT, nt_read(h2, 0, buf, 4));
		EXPECT_STATUS(STATUS_SUCCESS, nt_read(h, 0, buf, 4));
		EXPECT_STATUS(STATUS_SUCCESS, nt_unlock(h, 0, 100));
		EXPECT_STATUS(STATUS_SUCCESS, nt_lock(h2, 10, 5, FALSE, FALSE));
		EXPECT_STATUS(STATUS_SUCCESS, nt_read(h2, 0, buf, 4));
		NtClose(h2);
		NtClose(h);
		ASSERT_EQ(1, write(to_root[1], "q", 1));
	}
	EXPECT_EQ(0, reap_within(daemon, 5000));
}

struct waiter {
	HANDLE h;
	long long at, n;
	BOOLEAN excl;
	atomic_int done;
	NTSTATUS status;
};

static void *lock_thread(void *arg)
{
	struct waiter *w = arg;

	w->status = nt_lock(w->h, w->at, w->n, TRUE, w->excl);
	atomic_store(&w->done, 1);
	return NULL;
}

struct reader {
	HANDLE h;
	atomic_int done;
	NTSTATUS read, pos;
};

static void *read_thread(void *arg)
{
	struct reader *r = arg;
	FILE_POSITION_INFORMATION fpi;
	IO_STATUS_BLOCK iosb;
	char buf[4];

	/* the file pointer: both take the file object's lock */
	r->read = nt_read(r->h, -1, buf, sizeof(buf));
	r->pos = NtQueryInformationFile(r->h, &iosb, &fpi, sizeof(fpi),
					FilePositionInformation);
	atomic_store(&r->done, 1);
	return NULL;
}

static int done_within(atomic_int *done, int ms)
{
	long long end = now_ms() + ms;

	while (!atomic_load(done) && now_ms() < end)
		usleep(5000);
	return atomic_load(done);
}

/*
 * Suspicion: NtLockFile waited for a conflicting lock while holding the
 * file object's lock, so synchronous I/O through the same handle hung
 * behind it (uninterruptibly). The blocker is a Linux OFD lock, then an
 * NT lock through another handle.
 */
TEST_F(sec_io, waiting_lock_does_not_hold_up_sync_io)
{
	char f[160];

	NT_AS_USER(variant->gate) {
		struct waiter w = { .at = 0, .n = 5, .excl = TRUE };
		struct waiter w2 = { .at = 20, .n = 5, .excl = FALSE };
		struct reader r = {}, r2 = {};
		pthread_t tw, tr;
		HANDLE h2;
		int lfd;

		ASSERT_EQ(0, put_file(cat(f, self->u, "lk"),
				      "0123456789abcdefghijklmnopqrstuvwxyz", 0644));
		lfd = open(f, O_RDWR);
		ASSERT_LE(0, lfd);
		ASSERT_EQ(0, ofd_lock(lfd, F_WRLCK, 0, 5));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&w.h, f, GENERIC_READ | GENERIC_WRITE |
				      SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC_IO));
		ASSERT_EQ(0, pthread_create(&tw, NULL, lock_thread, &w));
		EXPECT_FALSE(done_within(&w.done, 200));
		r.h = w.h;
		ASSERT_EQ(0, pthread_create(&tr, NULL, read_thread, &r));
		EXPECT_TRUE(done_within(&r.done, 5000))
			TH_LOG("sync I/O stuck behind a waiting NtLockFile");
		/* let everything go, stuck or not */
		EXPECT_EQ(0, ofd_lock(lfd, F_UNLCK, 0, 5));
		EXPECT_TRUE(done_within(&w.done, 3000));
		pthread_join(tw, NULL);
		pthread_join(tr, NULL);
		EXPECT_STATUS(STATUS_SUCCESS, w.status);
		EXPECT_STATUS(STATUS_SUCCESS, r.read);
		EXPECT_STATUS(STATUS_SUCCESS, r.pos);
		/* the lock is the handle's now: Linux cannot take it */
		EXPECT_EQ(EAGAIN, ofd_lock(lfd, F_RDLCK, 0, 5));

		/* an NT blocker: a read-only handle's exclusive lock */
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h2, f, GENERIC_READ | SYNCHRONIZE,
				      SHARE_ALL, FILE_OPEN, SYNC_IO));
		ASSERT_STATUS(STATUS_SUCCESS, nt_lock(h2, 20, 5, FALSE, TRUE));
		w2.h = w.h;
		ASSERT_EQ(0, pthread_create(&tw, NULL, lock_thread, &w2));
		EXPECT_FALSE(done_within(&w2.done, 200));
		r2.h = w.h;
		ASSERT_EQ(0, pthread_create(&tr, NULL, read_thread, &r2));
		EXPECT_TRUE(done_within(&r2.done, 5000))
			TH_LOG("sync I/O stuck behind a waiting NtLockFile");
		EXPECT_STATUS(STATUS_SUCCESS, nt_unlock(h2, 20, 5));
		EXPECT_TRUE(done_within(&w2.done, 3000));
		pthread_join(tw, NULL);
		pthread_join(tr, NULL);
		EXPECT_STATUS(STATUS_SUCCESS, w2.status);
		EXPECT_STATUS(STATUS_SUCCESS, r2.read);
		/* the waiter's shared lock now stops h2's exclusive one */
		EXPECT_STATUS(STATUS_LOCK_NOT_GRANTED, nt_lock(h2, 22, 1, FALSE, TRUE));
		NtClose(h2);
		NtClose(w.h);
		close(lfd);
	}
}

/*
 * A request waiting for another handle's lock ends when its own handle
 * is closed (the object's cleanup releases it: STATUS_FILE_CLOSED).
 */
TEST_F(sec_io, closing_the_handle_ends_a_waiting_lock)
{
	char f[160];

	NT_AS_USER(variant->gate) {
		struct waiter w = { .at = 0, .n = 5, .excl = TRUE };
		pthread_t tw;
		HANDLE h2;

		ASSERT_EQ(0, put_file(cat(f, self->u, "lk"), "0123456789", 0644));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&w.h, f, GENERIC_READ | SYNCHRONIZE,
				      SHARE_ALL, FILE_OPEN, SYNC_IO));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h2, f, GENERIC_READ | SYNCHRONIZE,
				      SHARE_ALL, FILE_OPEN, SYNC_IO));
		ASSERT_STATUS(STATUS_SUCCESS, nt_lock(h2, 0, 5, FALSE, FALSE));
		ASSERT_EQ(0, pthread_create(&tw, NULL, lock_thread, &w));
		EXPECT_FALSE(done_within(&w.done, 200));
		NtClose(w.h);
		EXPECT_TRUE(done_within(&w.done, 5000));
		/* let it go in any case */
		NtClose(h2);
		pthread_join(tw, NULL);
		EXPECT_STATUS(STATUS_FILE_CLOSED, w.status);
	}
}

/*
 * A process blocked in NtLockFile, and one doing I/O through the same
 * file object (a forked child shares it), both die of SIGKILL promptly.
 */
TEST_F(sec_io, lock_waiters_die_of_sigkill)
{
	char f[160];

	NT_AS_USER(variant->gate) {
		pid_t locker, reader;
		int lfd, st1, st2;
		HANDLE h;

		ASSERT_EQ(0, put_file(cat(f, self->u, "lk"), "0123456789", 0644));
		lfd = open(f, O_RDWR);
		ASSERT_LE(0, lfd);
		ASSERT_EQ(0, ofd_lock(lfd, F_WRLCK, 0, 5));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h, f, GENERIC_READ | GENERIC_WRITE |
				      SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC_IO));
		locker = fork();
		ASSERT_LE(0, locker);
		if (locker == 0)
			_exit(nt_lock(h, 0, 5, TRUE, TRUE) == STATUS_SUCCESS ? 0 : 1);
		usleep(200 * 1000);
		reader = fork();
		ASSERT_LE(0, reader);
		if (reader == 0) {
			char buf[2];

			for (;;)
				nt_read(h, 0, buf, sizeof(buf));
		}
		usleep(200 * 1000);
		kill(reader, SIGKILL);
		st2 = reap_within(reader, 5000);
		kill(locker, SIGKILL);
		st1 = reap_within(locker, 5000);
		/* unstick whatever is left before judging */
		ofd_lock(lfd, F_UNLCK, 0, 5);
		if (st1 == -1)
			waitpid(locker, NULL, 0);
		if (st2 == -1)
			waitpid(reader, NULL, 0);
		EXPECT_TRUE(st2 != -1 && WIFSIGNALED(st2))
			TH_LOG("the reader did not die of SIGKILL in time");
		EXPECT_TRUE(st1 != -1 && WIFSIGNALED(st1))
			TH_LOG("the locker did not die of SIGKILL in time");
		NtClose(h);
		close(lfd);
	}
}

/*
 * Suspicion: f->lock is held across a transfer that sleeps (a user page
 * fault, here a FIFO read waiting for data: Windows serializes
 * synchronous I/O on a file object the same way, and Linux holds
 * f_pos_lock across read()). Whoever waits for it behind such a
 * transfer must stay killable: a process sharing the file object
 * (fork) and querying its position dies of SIGKILL promptly.
 */
TEST_F(sec_io, waiters_behind_a_sleeping_transfer_die_of_sigkill)
{
	char fifo[160];

	NT_AS_USER(variant->gate) {
		pid_t reader, querier;
		int wfd, st;
		HANDLE h;

		ASSERT_EQ(0, mkfifo(cat(fifo, self->u, "fifo"), 0600));
		wfd = open(fifo, O_RDWR | O_NONBLOCK);	/* a writer: opens go */
		ASSERT_LE(0, wfd);
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_open(&h, fifo, GENERIC_READ | SYNCHRONIZE,
				      SHARE_ALL, FILE_OPEN, SYNC_IO));
		reader = fork();
		ASSERT_LE(0, reader);
		if (reader == 0) {
			char buf[4];

			nt_read(h, -1, buf, sizeof(buf));	/* no data: sleeps */
			_exit(0);
		}
		usleep(300 * 1000);
		querier = fork();
		ASSERT_LE(0, querier);
		if (querier == 0) {
			FILE_POSITION_INFORMATION fpi;
			IO_STATUS_BLOCK iosb;

			NtQueryInformationFile(h, &iosb, &fpi, sizeof(fpi),
					       FilePositionInformation);
			_exit(0);
		}
		usleep(300 * 1000);
		kill(querier, SIGKILL);
		st = reap_within(querier, 5000);
		kill(reader, SIGKILL);
		EXPECT_NE(-1, reap_within(reader, 5000));
		EXPECT_NE(-1, st) TH_LOG("the querier did not die of SIGKILL in time");
		if (st == -1)
			waitpid(querier, NULL, 0);	/* free now: the reader died */
		else
			EXPECT_TRUE(WIFSIGNALED(st));
		NtClose(h);
		close(wfd);
	}
}

TEST_HARNESS_MAIN
