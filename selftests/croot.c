// SPDX-License-Identifier: GPL-2.0
/*
 * \??\C:\ per process (NTP_ATTACH_C_ROOT, ntrun --c-root, NTDLL_C_ROOT):
 * the directory given at attach is C:\ for that process and its fork
 * children, other processes keep theirs, ".." stops at C:\, the attach
 * rejects what is not a searchable directory fd, and without the flag the
 * module parameter c_root applies. Every effect is checked on disk
 * through Linux calls.
 *
 * The test re-executes itself as a child whose libntdll constructor
 * attaches with NTDLL_C_ROOT (or under ntrun --c-root); the child reports
 * through its exit status. On Windows a drive letter is a per-session
 * DosDevices link (ReactOS ntoskrnl/ob/devicemap.c): here each NT process
 * may have its own C: directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nt_test.h"
#include "ntpersonality.h"

/* c_root_fd and pad2 took reserved[0]: NTP_IOC_ATTACH keeps its number */
_Static_assert(sizeof(struct ntp_attach) == 24, "ntp_attach is 24 bytes");

#define C_ROOT_PARAM	"/sys/module/ntpersonality/parameters/c_root"

static char exe[4096];

/* ---------------------------------------------------------------- */
/* the child: --child-read NAME EXPECTED, --child-create NAME DATA,  */
/* --child-fork NAME EXPECTED, each optionally after a byte on fd 0  */

static void wname(WCHAR *out, const char *dos, const char *name)
{
	int n = 0;

	for (const char *p = dos; *p; p++)
		out[n++] = *p;
	for (const char *p = name; *p; p++)
		out[n++] = *p == '/' ? '\\' : *p;
	out[n] = 0;
}

static NTSTATUS open_c(HANDLE *h, const char *name, ULONG disp)
{
	WCHAR buf[600];
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK iosb;

	wname(buf, "\\??\\C:\\", name);
	nt_oa(&oa, &us, buf, OBJ_CASE_INSENSITIVE);
	return NtCreateFile(h, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &oa,
			    &iosb, NULL, 0, 0, disp,
			    FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
			    NULL, 0);
}

/* 0: NAME under C: holds EXPECTED; 1: open failed; 2: read failed or differs */
static int child_read(const char *name, const char *expected)
{
	IO_STATUS_BLOCK iosb;
	char data[128] = "";
	NTSTATUS st;
	HANDLE h;

	st = open_c(&h, name, FILE_OPEN);
	if (st != STATUS_SUCCESS) {
		fprintf(stderr, "child: open C:\\%s: 0x%08x\n", name, (unsigned)st);
		return 1;
	}
	st = NtReadFile(h, NULL, NULL, NULL, &iosb, data, sizeof(data) - 1,
			NULL, NULL);
	NtClose(h);
	if (st != STATUS_SUCCESS || strcmp(data, expected)) {
		fprintf(stderr, "child: C:\\%s: 0x%08x \"%s\"\n", name,
			(unsigned)st, data);
		return 2;
	}
	return 0;
}

static int child_create(const char *name, const char *data)
{
	IO_STATUS_BLOCK iosb;
	NTSTATUS st;
	HANDLE h;

	st = open_c(&h, name, FILE_CREATE);
	if (st != STATUS_SUCCESS)
		return 1;
	st = NtWriteFile(h, NULL, NULL, NULL, &iosb, data, strlen(data),
			 NULL, NULL);
	NtClose(h);
	return st == STATUS_SUCCESS ? 0 : 2;
}

/* 0: ProcessImageFileName is EXPECTED (ASCII); 1: query failed; 2: differs */
static int child_image(const char *expected)
{
	union {
		UNICODE_STRING us;
		char raw[4200];
	} u;
	char got[2100];
	unsigned int i;
	NTSTATUS st;

	st = NtQueryInformationProcess(NtCurrentProcess(), ProcessImageFileName,
				       &u, sizeof(u), NULL);
	if (st != STATUS_SUCCESS)
		return 1;
	for (i = 0; i < u.us.Length / 2 && i < sizeof(got) - 1; i++)
		got[i] = u.us.Buffer[i] < 0x80 ? u.us.Buffer[i] : '?';
	got[i] = 0;
	if (strcmp(got, expected)) {
		fprintf(stderr, "child: image name %s, not %s\n", got, expected);
		return 2;
	}
	return 0;
}

static int child_main(int argc, char **argv)
{
	pid_t pid;
	char c;
	int st;

	if (argc > 2 && !strcmp(argv[1], "--child-image"))
		return child_image(argv[2]);
	if (argc < 4)
		return 100;
	if (!strcmp(argv[1], "--child-wait-read")) {
		/* attached with our root by now: tell the parent (fd 3) */
		if (write(3, "r", 1) != 1)
			return 105;
		if (read(0, &c, 1) != 1)
			return 101;
		return child_read(argv[2], argv[3]);
	}
	if (!strcmp(argv[1], "--child-wait-status")) {
		/* as --child-wait-read, then 0 if opening NAME gives STATUS */
		HANDLE h;

		if (write(3, "r", 1) != 1 || read(0, &c, 1) != 1)
			return 105;
		return open_c(&h, argv[2], FILE_OPEN) ==
		       (NTSTATUS)strtoul(argv[3], NULL, 0) ? 0 : 1;
	}
	if (!strcmp(argv[1], "--child-read"))
		return child_read(argv[2], argv[3]);
	if (!strcmp(argv[1], "--child-create"))
		return child_create(argv[2], argv[3]);
	if (!strcmp(argv[1], "--child-fork")) {
		pid = fork();
		if (pid == 0)
			_exit(child_read(argv[2], argv[3]));
		if (pid < 0 || waitpid(pid, &st, 0) != pid)
			return 102;
		return WIFEXITED(st) ? WEXITSTATUS(st) : 103;
	}
	return 104;
}

/* ---------------------------------------------------------------- */
/* the parent */

/*
 * Start exe MODE A1 A2 with NTDLL_C_ROOT=root (NULL: unset); a waiting
 * child reads @in and reports it has started on @ready (as fd 3).
 */
static pid_t spawn(const char *root, int in, int ready, const char *mode,
		   const char *a1, const char *a2)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (in >= 0)
			dup2(in, 0);
		if (ready >= 0)
			dup2(ready, 3);
		if (root)
			setenv("NTDLL_C_ROOT", root, 1);
		else
			unsetenv("NTDLL_C_ROOT");
		execl(exe, exe, mode, a1, a2, NULL);
		_exit(127);
	}
	return pid;
}

static int reap(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int run(const char *root, const char *mode, const char *a1,
	       const char *a2)
{
	return reap(spawn(root, -1, -1, mode, a1, a2));
}

static void put_file(const char *dir, const char *name, const char *data)
{
	char p[600];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = open(p, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd >= 0) {
		if (write(fd, data, strlen(data)) < 0)
			perror("write");
		close(fd);
	}
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

FIXTURE(croot) {
	char a[64];
	char b[64];
};

FIXTURE_SETUP(croot)
{
	int fd = open(NTP_DEVICE_PATH, O_RDWR);

	if (fd < 0)
		NT_SETUP_SKIP("no %s", NTP_DEVICE_PATH);
	close(fd);
	if (!nt_entry_available())
		NT_SETUP_SKIP("no NT entry path");
	strcpy(self->a, "/tmp/ntcrootA.XXXXXX");
	strcpy(self->b, "/tmp/ntcrootB.XXXXXX");
	ASSERT_TRUE(mkdtemp(self->a) != NULL);
	ASSERT_TRUE(mkdtemp(self->b) != NULL);
	put_file(self->a, "x", "in A");
	put_file(self->b, "x", "in B");
}

FIXTURE_TEARDOWN(croot)
{
	nftw(self->a, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	nftw(self->b, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TEST_F(croot, c_drive_is_the_attach_directory)
{
	char p[600], data[32] = "";
	int fd;

	EXPECT_EQ(0, run(self->a, "--child-read", "x", "in A"));
	/* a file created through C: lands in the directory, nowhere else */
	ASSERT_EQ(0, run(self->a, "--child-create", "made", "by NT"));
	snprintf(p, sizeof(p), "%s/made", self->a);
	fd = open(p, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(5, read(fd, data, sizeof(data) - 1));
	close(fd);
	EXPECT_STREQ("by NT", data);
	EXPECT_NE(0, access("/made", F_OK));
}

TEST_F(croot, ntrun_c_root)
{
	pid_t pid = fork();

	if (pid == 0) {
		unsetenv("NTDLL_C_ROOT");
		execlp("ntrun", "ntrun", "--c-root", self->b, exe,
		       "--child-read", "x", "in B", NULL);
		_exit(127);
	}
	EXPECT_EQ(0, reap(pid));
	/* the exec fails: the pending root is dropped with the process */
	pid = fork();
	if (pid == 0) {
		execlp("ntrun", "ntrun", "--c-root", self->b, "/nonexistent", NULL);
		_exit(126);
	}
	EXPECT_EQ(127, reap(pid));
}

/* A waits while B runs, then looks: each process keeps its own C:. */
TEST_F(croot, two_processes_two_roots)
{
	int go[2], ready[2];
	pid_t a;
	char c;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	a = spawn(self->a, go[0], ready[1], "--child-wait-read", "x", "in A");
	close(go[0]);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	EXPECT_EQ(0, run(self->b, "--child-read", "x", "in B"));
	EXPECT_EQ(1, write(go[1], "g", 1));
	close(go[1]);
	EXPECT_EQ(0, reap(a));
}

TEST_F(croot, fork_inherits_the_root)
{
	EXPECT_EQ(0, run(self->b, "--child-fork", "x", "in B"));
}

/* ".." is dropped lexically at C:\ (path.c): the name stays inside. */
TEST_F(croot, dotdot_stays_under_the_root)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/etc", self->a);
	ASSERT_EQ(0, mkdir(p, 0755));
	put_file(p, "passwd", "not the real one");
	EXPECT_EQ(0, run(self->a, "--child-read", "../../etc/passwd",
			 "not the real one"));
	EXPECT_EQ(0, run(self->a, "--child-read", "etc/../../x", "in A"));
}

/* The root is pinned at attach: renaming it moves C: along with it. */
TEST_F(croot, rename_of_the_root_is_followed)
{
	char moved[80], c;
	int go[2], ready[2];
	pid_t a;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	a = spawn(self->a, go[0], ready[1], "--child-wait-read", "x", "in A");
	close(go[0]);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	snprintf(moved, sizeof(moved), "%s.moved", self->a);
	ASSERT_EQ(0, rename(self->a, moved));
	/* a new directory under the old name is not C: */
	ASSERT_EQ(0, mkdir(self->a, 0755));
	put_file(self->a, "x", "impostor");
	EXPECT_EQ(1, write(go[1], "g", 1));
	close(go[1]);
	EXPECT_EQ(0, reap(a));
	nftw(self->a, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	ASSERT_EQ(0, rename(moved, self->a));
}

/* @prefix, then @path with backslashes for slashes */
static char *nt_name(char *out, size_t n, const char *prefix, const char *path)
{
	snprintf(out, n, "%s%s", prefix, path);
	for (char *c = out; *c; c++)
		if (*c == '/')
			*c = '\\';
	return out;
}

/* ProcessImageFileName names the executable in the process's own C:. */
TEST_F(croot, image_file_name_follows_the_root)
{
	char copy[600], want[4200], buf[65536];
	int in, out;
	ssize_t n;
	pid_t pid;

	/* outside the root: only \??\unix\ can name it */
	EXPECT_EQ(0, run(self->a, "--child-image",
			 nt_name(want, sizeof(want), "\\??\\unix", exe), NULL));
	/* a copy of the test inside the root is C:\croot */
	snprintf(copy, sizeof(copy), "%s/croot", self->a);
	in = open(exe, O_RDONLY);
	ASSERT_LE(0, in);
	out = open(copy, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	ASSERT_LE(0, out);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ASSERT_EQ(n, write(out, buf, n));
	close(in);
	close(out);
	pid = fork();
	if (pid == 0) {
		setenv("NTDLL_C_ROOT", self->a, 1);
		execl(copy, copy, "--child-image", "\\??\\C:\\croot", NULL);
		_exit(127);
	}
	EXPECT_EQ(0, reap(pid));
}

/* Gone, the root is not looked up again by name: C: names fail. */
TEST_F(croot, deleted_root_is_not_replaced)
{
	char status[16], c;
	int go[2], ready[2];
	pid_t a;

	snprintf(status, sizeof(status), "0x%08x",
		 (unsigned int)STATUS_OBJECT_PATH_NOT_FOUND);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	a = spawn(self->a, go[0], ready[1], "--child-wait-status", "x", status);
	close(go[0]);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	nftw(self->a, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	ASSERT_EQ(0, mkdir(self->a, 0755));
	put_file(self->a, "x", "impostor");
	EXPECT_EQ(1, write(go[1], "g", 1));
	close(go[1]);
	EXPECT_EQ(0, reap(a));
}

static int attach_errno(struct ntp_attach *a)
{
	int fd = open(NTP_DEVICE_PATH, O_RDWR), ret;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, NTP_IOC_ATTACH, a) ? errno : 0;
	close(fd);
	return ret;
}

/*
 * Checked before anything else, so the answers are the same in this
 * already attached process as in a fresh one.
 */
TEST_F(croot, attach_rejects_bad_roots)
{
	struct ntp_attach a;
	char p[600];
	int fd;

	memset(&a, 0, sizeof(a));
	a.flags = NTP_ATTACH_C_ROOT | NTP_ATTACH_ON_EXEC;
	a.c_root_fd = -1;
	EXPECT_EQ(EBADF, attach_errno(&a));
	a.c_root_fd = 1000;
	EXPECT_EQ(EBADF, attach_errno(&a));
	snprintf(p, sizeof(p), "%s/x", self->a);
	fd = open(p, O_PATH);
	ASSERT_LE(0, fd);
	a.c_root_fd = fd;
	EXPECT_EQ(ENOTDIR, attach_errno(&a));
	close(fd);

	fd = open(self->a, O_PATH | O_DIRECTORY);
	ASSERT_LE(0, fd);
	a.c_root_fd = fd;
	a.pad2 = 1;
	EXPECT_EQ(EINVAL, attach_errno(&a));
	a.pad2 = 0;
	a.reserved = 1;
	EXPECT_EQ(EINVAL, attach_errno(&a));
	a.reserved = 0;
	a.pad = 1;
	EXPECT_EQ(EINVAL, attach_errno(&a));
	a.pad = 0;
	/* without the flag the fd field is padding too */
	a.flags = NTP_ATTACH_ON_EXEC;
	EXPECT_EQ(EINVAL, attach_errno(&a));
	/* a good root: this process is attached already */
	a.flags = NTP_ATTACH_C_ROOT;
	EXPECT_EQ(EALREADY, attach_errno(&a));
	close(fd);
}

static int set_param(const char *value)
{
	int fd = open(C_ROOT_PARAM, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, value, strlen(value)) == (ssize_t)strlen(value);
	close(fd);
	return ok ? 0 : -1;
}

/* Without NTP_ATTACH_C_ROOT the module parameter is C:\; with it, not. */
TEST_F(croot, module_parameter_without_the_flag)
{
	char path[600];

	/* the default "/": C:\tmp\ntcrootA.X\x */
	snprintf(path, sizeof(path), "%s/x", self->a + 1);
	EXPECT_EQ(0, run(NULL, "--child-read", path, "in A"));
	if (set_param(self->a))
		SKIP(return, "cannot write %s", C_ROOT_PARAM);
	EXPECT_EQ(0, run(NULL, "--child-read", "x", "in A"));
	EXPECT_EQ(0, run(self->b, "--child-read", "x", "in B"));
	EXPECT_EQ(0, set_param("/"));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strncmp(argv[1], "--child-", 8))
		return child_main(argc, argv);
	if (readlink("/proc/self/exe", exe, sizeof(exe) - 1) < 0)
		return 1;
	return test_harness_run(argc, argv);
}
