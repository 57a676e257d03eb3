// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 12, files: an attached process may do with files exactly what its
 * Linux credentials allow, checked when it asks, and what happens later
 * (delete-on-close at the last close, the exit teardown on a workqueue)
 * happens with the credentials of whoever asked.
 *
 * Root prepares files and directories; the attacking half runs as uid 1000
 * (NT_AS_USER, selftests/nt_user.h); root checks the result on disk. Each
 * NT answer is compared with what the matching Linux call does as the same
 * user. "Exit without NtClose" tests end the user's process with handles
 * still open: its teardown closes them on the module's workqueue, and root
 * waits for that by watching a marker file of the user's with
 * delete-on-close, opened last (handles are closed in index order).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/landlock.h>
#include "nt_test.h"
#include "nt_user.h"

#define UID	NT_TEST_UID
#define GID	NT_TEST_GID
#define DOC	FILE_DELETE_ON_CLOSE
#define NONDIR	FILE_NON_DIRECTORY_FILE
#define SYNC	FILE_SYNCHRONOUS_IO_NONALERT
#define SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)

FIXTURE(sec_file) {
	char root[64];		/* /tmp/secroot.X: root's, 0755 */
	char user[64];		/* /tmp/secuser.X: uid 1000's, 0755 */
	char sticky[64];	/* /tmp/secsticky.X: a root file right in /tmp */
};
NT_GATE_VARIANTS(sec_file);

FIXTURE_SETUP(sec_file)
{
	int fd;

	NT_GATE_SETUP();
	if (geteuid())
		SKIP(return, "needs root in the VM");
	strcpy(self->root, "/tmp/secroot.XXXXXX");
	ASSERT_TRUE(mkdtemp(self->root) != NULL);
	ASSERT_EQ(0, chmod(self->root, 0755));
	strcpy(self->user, "/tmp/secuser.XXXXXX");
	ASSERT_TRUE(mkdtemp(self->user) != NULL);
	ASSERT_EQ(0, chmod(self->user, 0755));
	ASSERT_EQ(0, chown(self->user, UID, GID));
	strcpy(self->sticky, "/tmp/secsticky.XXXXXX");
	fd = mkstemp(self->sticky);
	ASSERT_LE(0, fd);
	close(fd);
	/* even world-writable: the sticky bit alone protects its name */
	ASSERT_EQ(0, chmod(self->sticky, 0666));
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	if (flag == FTW_DP)
		chmod(p, 0755);
	return remove(p);
}

static void rm_tree(const char *dir)
{
	/* directories the test made 0555 must be writable to be emptied */
	chmod(dir, 0755);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

FIXTURE_TEARDOWN(sec_file)
{
	if (geteuid())
		return;		/* a user half that failed an ASSERT */
	rm_tree(self->root);
	rm_tree(self->user);
	unlink(self->sticky);
}

/* @out has room for 160 bytes */
static char *lpath(char *out, const char *dir, const char *name)
{
	if (snprintf(out, 160, "%s%s%s", dir, *name ? "/" : "", name) >= 160)
		abort();
	return out;
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

static NTSTATUS nt_create(HANDLE *h, const char *path, ACCESS_MASK access,
			  ULONG disp, ULONG options)
{
	WCHAR buf[300];
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK iosb;

	*h = NULL;
	nt_oa(&oa, &us, ntname(buf, path), OBJ_CASE_INSENSITIVE);
	return NtCreateFile(h, access, &oa, &iosb, NULL, 0, SHARE_ALL, disp,
			    options, NULL, 0);
}

static NTSTATUS nt_delete(const char *path)
{
	WCHAR buf[300];
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;

	nt_oa(&oa, &us, ntname(buf, path), OBJ_CASE_INSENSITIVE);
	return NtDeleteFile(&oa);
}

static NTSTATUS nt_set_disposition(HANDLE h, BOOLEAN del)
{
	FILE_DISPOSITION_INFORMATION fdi = { .DeleteFile = del };
	IO_STATUS_BLOCK iosb;

	return NtSetInformationFile(h, &iosb, &fdi, sizeof(fdi),
				    FileDispositionInformation);
}

static void put_file(const char *path, mode_t mode, uid_t uid)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, mode);

	if (fd >= 0) {
		if (write(fd, "root data", 9) < 0)
			perror("write");
		fchmod(fd, mode);
		if (fchown(fd, uid, uid))
			perror("fchown");
		close(fd);
	}
}

static int exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

/*
 * User side, last thing before exiting: a file of the user's own with
 * delete-on-close, left open like the rest. Root side: wait until the
 * teardown has removed it, i.e. has closed every earlier handle too.
 */
static void open_marker(struct __test_metadata *_metadata, const char *dir)
{
	char p[160];
	HANDLE h;

	ASSERT_STATUS(STATUS_SUCCESS,
		      nt_create(&h, lpath(p, dir, "marker"),
				DELETE | SYNCHRONIZE, FILE_CREATE, DOC | NONDIR));
}

static int wait_marker(const char *dir)
{
	char p[160];
	int i;

	lpath(p, dir, "marker");
	for (i = 0; i < 1000 && exists(p); i++)
		usleep(10000);
	return !exists(p);
}

/* ---- row 1: DELETE and the deferred delete ---------------------------- */

TEST_F(sec_file, delete_on_close_of_root_file_denied)
{
	char victim[160];

	put_file(lpath(victim, self->root, "victim"), 0644, 0);
	NT_AS_USER(variant->gate) {
		HANDLE h;

		/* Linux: the user may not unlink it (no write on the dir) */
		EXPECT_EQ(-1, unlink(victim));
		EXPECT_EQ(EACCES, errno);
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, victim, DELETE | SYNCHRONIZE,
					FILE_OPEN, DOC | NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, victim, DELETE, FILE_OPEN, NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, victim, GENERIC_READ | DELETE,
					FILE_OPEN, NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, nt_delete(victim));
		/* reading it is allowed: the handle has no DELETE */
		EXPECT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, victim, GENERIC_READ, FILE_OPEN,
					NONDIR));
		/* exit without NtClose: the teardown must not delete it */
		open_marker(_metadata, self->user);
	}
	ASSERT_TRUE(wait_marker(self->user));
	EXPECT_TRUE(exists(victim));
}

/*
 * A handle the old code granted DELETE on a root file could set the
 * disposition, and the teardown then deleted as root.
 */
TEST_F(sec_file, disposition_of_root_file_at_exit)
{
	char victim[160];

	put_file(lpath(victim, self->root, "victim"), 0666, 0);
	NT_AS_USER(variant->gate) {
		NTSTATUS st;
		HANDLE h;

		st = nt_create(&h, victim, DELETE | SYNCHRONIZE, FILE_OPEN,
			       NONDIR);
		EXPECT_STATUS(STATUS_ACCESS_DENIED, st);
		if (NT_SUCCESS(st))
			EXPECT_STATUS(STATUS_ACCESS_DENIED,
				      nt_set_disposition(h, TRUE));
		/* world-writable data is not a deletable name */
		EXPECT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, victim, GENERIC_WRITE, FILE_OPEN,
					NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, nt_set_disposition(h, TRUE));
		open_marker(_metadata, self->user);
	}
	ASSERT_TRUE(wait_marker(self->user));
	EXPECT_TRUE(exists(victim));
}

/* /tmp is 1777: writable, but the sticky bit keeps root's names root's. */
TEST_F(sec_file, sticky_tmp_root_file)
{
	const char *victim = self->sticky;

	NT_AS_USER(variant->gate) {
		HANDLE h;

		EXPECT_EQ(0, access("/tmp", W_OK));
		EXPECT_EQ(-1, unlink(victim));
		EXPECT_EQ(EPERM, errno);
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, victim, DELETE | SYNCHRONIZE,
					FILE_OPEN, DOC | NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, victim, DELETE | GENERIC_WRITE,
					FILE_OPEN, NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, nt_delete(victim));
		EXPECT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, victim, GENERIC_WRITE, FILE_OPEN,
					NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, nt_set_disposition(h, TRUE));
		open_marker(_metadata, self->user);
	}
	ASSERT_TRUE(wait_marker(self->user));
	EXPECT_TRUE(exists(victim));
}

/*
 * Positive control for the looked-up LSM hooks (rmdir, chmod): the user
 * removes his own empty directory and changes his own file's attributes.
 */
TEST_F(sec_file, own_rmdir_and_chmod)
{
	char dir[160], file[160];
	struct stat st;

	lpath(dir, self->user, "dir");
	lpath(file, self->user, "file");
	NT_AS_USER(variant->gate) {
		FILE_BASIC_INFORMATION fbi = {};
		IO_STATUS_BLOCK iosb;
		HANDLE h;

		ASSERT_EQ(0, mkdir(dir, 0755));
		EXPECT_STATUS(STATUS_SUCCESS, nt_delete(dir));
		EXPECT_FALSE(exists(dir));
		ASSERT_EQ(0, mkdir(dir, 0755));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, dir, DELETE | SYNCHRONIZE, FILE_OPEN,
					DOC | FILE_DIRECTORY_FILE));
		EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));
		EXPECT_FALSE(exists(dir));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, file, GENERIC_WRITE, FILE_CREATE,
					NONDIR));
		fbi.FileAttributes = FILE_ATTRIBUTE_READONLY;
		fbi.LastWriteTime.QuadPart = 116444736000000000LL; /* 1970 */
		EXPECT_STATUS(STATUS_SUCCESS,
			      NtSetInformationFile(h, &iosb, &fbi, sizeof(fbi),
						   FileBasicInformation));
		NtClose(h);
	}
	ASSERT_EQ(0, stat(file, &st));
	EXPECT_EQ(0, st.st_mode & 0222);
	EXPECT_EQ(0, st.st_mtime);
}

/* Positive control: the user deletes his own files, at close and at exit. */
TEST_F(sec_file, own_file_delete_on_close)
{
	char a[160], b[160], c[160], d[160];

	lpath(a, self->user, "a");
	lpath(b, self->user, "b");
	lpath(c, self->user, "c");
	lpath(d, self->user, "d");
	NT_AS_USER(variant->gate) {
		HANDLE h;

		/* delete-on-close at open, then NtClose */
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, a, GENERIC_WRITE | DELETE,
					FILE_CREATE, DOC | NONDIR));
		EXPECT_TRUE(exists(a));
		EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));
		EXPECT_FALSE(exists(a));
		/* the disposition, then NtClose */
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, b, GENERIC_WRITE | DELETE,
					FILE_CREATE, NONDIR));
		EXPECT_STATUS(STATUS_SUCCESS, nt_set_disposition(h, TRUE));
		EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));
		EXPECT_FALSE(exists(b));
		/* left open at exit: the teardown deletes them, as the user */
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, c, GENERIC_WRITE | DELETE,
					FILE_CREATE, DOC | NONDIR));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, d, GENERIC_WRITE | DELETE,
					FILE_CREATE, NONDIR));
		EXPECT_STATUS(STATUS_SUCCESS, nt_set_disposition(h, TRUE));
		open_marker(_metadata, self->user);
	}
	ASSERT_TRUE(wait_marker(self->user));
	EXPECT_FALSE(exists(c));
	EXPECT_FALSE(exists(d));
}

/*
 * What the teardown does, it does as the user: a delete the user asked for
 * while he could, in a directory he then made read-only (0555), fails at
 * the exit as unlink(2) fails, instead of running as root. The disposition
 * is checked again when it is set.
 */
TEST_F(sec_file, teardown_deletes_with_the_askers_credentials)
{
	char sub[160], a[160], b[160];

	lpath(sub, self->user, "sub");
	lpath(a, sub, "a");
	lpath(b, sub, "b");
	NT_AS_USER(variant->gate) {
		HANDLE ha, hb;

		ASSERT_EQ(0, mkdir(sub, 0755));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&ha, a, GENERIC_WRITE | DELETE,
					FILE_CREATE, DOC | NONDIR));
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&hb, b, GENERIC_WRITE | DELETE,
					FILE_CREATE, NONDIR));
		ASSERT_EQ(0, chmod(sub, 0555));
		EXPECT_EQ(-1, unlink(b));
		EXPECT_EQ(EACCES, errno);
		EXPECT_STATUS(STATUS_ACCESS_DENIED, nt_set_disposition(hb, TRUE));
		open_marker(_metadata, self->user);
	}
	ASSERT_TRUE(wait_marker(self->user));
	EXPECT_TRUE(exists(a));
	EXPECT_TRUE(exists(b));
}

/* MAXIMUM_ALLOWED of a file the user may write but not delete: no DELETE. */
TEST_F(sec_file, maximum_allowed_drops_delete)
{
	char mine[160];

	put_file(lpath(mine, self->root, "mine"), 0644, UID);
	NT_AS_USER(variant->gate) {
		FILE_ACCESS_INFORMATION fai;
		IO_STATUS_BLOCK iosb;
		HANDLE h;

		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, mine, MAXIMUM_ALLOWED, FILE_OPEN,
					NONDIR));
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtQueryInformationFile(h, &iosb, &fai, sizeof(fai),
						     FileAccessInformation));
		EXPECT_EQ(0, fai.AccessFlags & DELETE);
		EXPECT_NE(0, fai.AccessFlags & FILE_WRITE_DATA);
		EXPECT_STATUS(STATUS_ACCESS_DENIED, nt_set_disposition(h, TRUE));
		EXPECT_STATUS(STATUS_SUCCESS, NtClose(h));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, mine, GENERIC_ALL, FILE_OPEN, NONDIR));
	}
	EXPECT_TRUE(exists(mine));
}

/* ---- row 3: data access needs the Linux permission -------------------- */

TEST_F(sec_file, list_root_0700_directory_denied)
{
	char priv[160], secret[160];

	ASSERT_EQ(0, mkdir(lpath(priv, self->root, "private"), 0700));
	put_file(lpath(secret, priv, "secret-name"), 0600, 0);
	NT_AS_USER(variant->gate) {
		FILE_NETWORK_OPEN_INFORMATION fni;
		IO_STATUS_BLOCK iosb;
		char buf[4096];
		HANDLE h;

		EXPECT_EQ(-1, open(priv, O_RDONLY | O_DIRECTORY));
		EXPECT_EQ(EACCES, errno);
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, priv, FILE_LIST_DIRECTORY | SYNCHRONIZE,
					FILE_OPEN, FILE_DIRECTORY_FILE | SYNC));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, priv, GENERIC_READ, FILE_OPEN,
					FILE_DIRECTORY_FILE));
		/* attributes need only the lookup, as stat(2) */
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, priv, FILE_READ_ATTRIBUTES | SYNCHRONIZE,
					FILE_OPEN, FILE_DIRECTORY_FILE | SYNC));
		EXPECT_STATUS(STATUS_SUCCESS,
			      NtQueryInformationFile(h, &iosb, &fni, sizeof(fni),
						     FileNetworkOpenInformation));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtQueryDirectoryFile(h, NULL, NULL, NULL, &iosb, buf,
						   sizeof(buf), FileNamesInformation,
						   FALSE, NULL, TRUE));
		NtClose(h);
		/* the file in it cannot even be looked up */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, secret, FILE_READ_ATTRIBUTES,
					FILE_OPEN, 0));
	}
}

TEST_F(sec_file, write_paths_of_root_file_denied)
{
	char victim[160], newf[160], newd[160];
	FILE_BASIC_INFORMATION fbi;
	struct stat before, after;

	put_file(lpath(victim, self->root, "victim"), 0644, 0);
	lpath(newf, self->root, "new-file");
	lpath(newd, self->root, "new-dir");
	ASSERT_EQ(0, stat(victim, &before));
	NT_AS_USER(variant->gate) {
		FILE_END_OF_FILE_INFORMATION eof = {};
		IO_STATUS_BLOCK iosb;
		HANDLE h;

		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, victim, GENERIC_WRITE, FILE_OPEN, NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, victim, FILE_APPEND_DATA, FILE_OPEN,
					NONDIR));
		/* overwrite / supersede asking for no data access at all */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, victim, FILE_READ_ATTRIBUTES,
					FILE_OVERWRITE, NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, victim, FILE_READ_ATTRIBUTES,
					FILE_SUPERSEDE, NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, victim, GENERIC_READ,
					FILE_OVERWRITE_IF, NONDIR));
		/* truncation through a read handle */
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, victim, GENERIC_READ, FILE_OPEN, NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtSetInformationFile(h, &iosb, &eof, sizeof(eof),
						   FileEndOfFileInformation));
		NtClose(h);
		/* times and attributes are the owner's (utimensat, chmod) */
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, victim, FILE_WRITE_ATTRIBUTES,
					FILE_OPEN, NONDIR));
		memset(&fbi, 0, sizeof(fbi));
		fbi.LastWriteTime.QuadPart = 116444736000000000LL; /* 1970 */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtSetInformationFile(h, &iosb, &fbi, sizeof(fbi),
						   FileBasicInformation));
		memset(&fbi, 0, sizeof(fbi));
		fbi.FileAttributes = FILE_ATTRIBUTE_READONLY;
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtSetInformationFile(h, &iosb, &fbi, sizeof(fbi),
						   FileBasicInformation));
		NtClose(h);
		/* nothing new in a directory the user may not write */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, newf, GENERIC_WRITE, FILE_CREATE,
					NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, newd, FILE_LIST_DIRECTORY | SYNCHRONIZE,
					FILE_CREATE, FILE_DIRECTORY_FILE | SYNC));
	}
	ASSERT_EQ(0, stat(victim, &after));
	EXPECT_EQ(before.st_size, after.st_size);
	EXPECT_EQ(before.st_mode, after.st_mode);
	EXPECT_EQ(before.st_mtime, after.st_mtime);
	EXPECT_FALSE(exists(newf));
	EXPECT_FALSE(exists(newd));
}

/* ---- row 12: the LSM path hooks (Landlock) ---------------------------- */

static int landlock_abi(void)
{
	return syscall(__NR_landlock_create_ruleset, NULL, 0,
		       LANDLOCK_CREATE_RULESET_VERSION);
}

/* Forbid making and removing names anywhere: no rule allows them. */
static int landlock_forbid_names(void)
{
	struct landlock_ruleset_attr attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_MAKE_DIR |
				     LANDLOCK_ACCESS_FS_MAKE_REG |
				     LANDLOCK_ACCESS_FS_REMOVE_FILE |
				     LANDLOCK_ACCESS_FS_REMOVE_DIR,
	};
	int fd, err;

	fd = syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0)
		return -errno;
	err = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ? -errno : 0;
	if (!err && syscall(__NR_landlock_restrict_self, fd, 0))
		err = -errno;
	close(fd);
	return err;
}

/* A child detaches, attaches again and opens @path for reading. */
static int attach_again_works(const char *path, int gate)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		int fd = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		HANDLE h;

		if (fd < 0 || ioctl(fd, NTP_IOC_DETACH))
			_exit(1);
		close(fd);
		if (NtpAttach() != STATUS_SUCCESS ||
		    NtpSetSystemCallGate(gate) != STATUS_SUCCESS)
			_exit(2);
		_exit(nt_create(&h, path, GENERIC_READ, FILE_OPEN, NONDIR) ? 3 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		printf("# attach again: status 0x%x\n", status);
	return WIFEXITED(status) && !WEXITSTATUS(status);
}

TEST_F(sec_file, landlock_path_rules_apply)
{
	char file[160], dir[160], newf[160], newd[160], lnew[160], ldir[160];

	if (landlock_abi() < 1)
		SKIP(return, "Landlock is not enabled in this kernel");
	put_file(lpath(file, self->user, "file"), 0644, UID);
	ASSERT_EQ(0, mkdir(lpath(dir, self->user, "dir"), 0755));
	ASSERT_EQ(0, chown(dir, UID, GID));
	lpath(newf, self->user, "new-file");
	lpath(newd, self->user, "new-dir");
	lpath(lnew, self->user, "linux-file");
	lpath(ldir, self->user, "linux-dir");
	NT_AS_USER(variant->gate) {
		HANDLE h;

		ASSERT_EQ(0, landlock_forbid_names());
		/* still attached and working: reading is not handled */
		ASSERT_STATUS(STATUS_SUCCESS,
			      nt_create(&h, file, GENERIC_READ, FILE_OPEN, NONDIR));
		NtClose(h);
		/* no_new_privs and Landlock do not keep a process from attaching */
		ASSERT_TRUE(attach_again_works(file, variant->gate));
		/* Linux refuses... */
		EXPECT_EQ(-1, mkdir(ldir, 0755));
		EXPECT_EQ(EACCES, errno);
		EXPECT_EQ(-1, open(lnew, O_CREAT | O_WRONLY, 0644));
		EXPECT_EQ(EACCES, errno);
		EXPECT_EQ(-1, unlink(file));
		EXPECT_EQ(EACCES, errno);
		EXPECT_EQ(-1, rmdir(dir));
		EXPECT_EQ(EACCES, errno);
		/* ...and so does NT */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, newd, FILE_LIST_DIRECTORY | SYNCHRONIZE,
					FILE_CREATE, FILE_DIRECTORY_FILE | SYNC));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, newf, GENERIC_WRITE, FILE_CREATE,
					NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, nt_delete(file));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, nt_delete(dir));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, file, DELETE | SYNCHRONIZE, FILE_OPEN,
					DOC | NONDIR));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      nt_create(&h, dir, DELETE | SYNCHRONIZE, FILE_OPEN,
					DOC | FILE_DIRECTORY_FILE));
	}
	EXPECT_TRUE(exists(file));
	EXPECT_TRUE(exists(dir));
	EXPECT_FALSE(exists(newf));
	EXPECT_FALSE(exists(newd));
	EXPECT_FALSE(exists(lnew));
	EXPECT_FALSE(exists(ldir));
}

/* ---- suspicion: d_name read without d_lock ----------------------------- */

struct renamer {
	const char *a, *b;
	volatile int stop;
};

static void *rename_loop(void *arg)
{
	struct renamer *r = arg;

	while (!r->stop) {
		rename(r->a, r->b);
		rename(r->b, r->a);
	}
	return NULL;
}

/*
 * Names longer than a dentry's inline name are freed by a rename (after
 * RCU): the HIDDEN attribute, which reads the name, must read it under
 * d_lock. Without KASAN the race cannot be seen, only survived: this
 * checks that the answers stay sane while a Linux rename runs.
 */
TEST_F(sec_file, attributes_during_rename)
{
	char a[160], b[160];
	struct renamer r = { .a = a, .b = b };
	FILE_BASIC_INFORMATION fbi;
	IO_STATUS_BLOCK iosb;
	pthread_t th;
	HANDLE h;
	int i;

	lpath(a, self->user, ".hidden-name-long-enough-to-live-outside-the-dentry");
	lpath(b, self->user, "visible-name-long-enough-to-live-outside-the-dentry");
	put_file(a, 0644, 0);
	ASSERT_STATUS(STATUS_SUCCESS,
		      nt_create(&h, a, FILE_READ_ATTRIBUTES, FILE_OPEN, NONDIR));
	ASSERT_EQ(0, pthread_create(&th, NULL, rename_loop, &r));
	for (i = 0; i < 3000; i++) {
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtQueryInformationFile(h, &iosb, &fbi, sizeof(fbi),
						     FileBasicInformation));
		ASSERT_EQ(0, fbi.FileAttributes & ~(FILE_ATTRIBUTE_ARCHIVE |
						    FILE_ATTRIBUTE_HIDDEN));
	}
	r.stop = 1;
	pthread_join(th, NULL);
	NtClose(h);
}

TEST_HARNESS_MAIN
