/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the process-creation selftests (create_process.c, pe_run.c):
 * the module parameters they set (ntdll, pe_loader, pe_binfmt) and other
 * sysfs knobs, and a child run with its stdout collected.
 */
#ifndef NT_PROC_H
#define NT_PROC_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>

#define NT_PARAM_DIR	"/sys/module/ntpersonality/parameters/"

/*
 * Read (@write 0: NUL terminated, up to @len - 1 bytes, the first line
 * only when @line) or write @len bytes of a sysfs file: 0, or -1 with
 * errno.
 */
static inline int nt_sysfs_rw(const char *path, char *buf, size_t len,
			      int write, int line)
{
	int fd = open(path, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC), err;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write ? pwrite(fd, buf, len, 0) : pread(fd, buf, len - 1, 0);
	err = errno;
	close(fd);
	errno = err;
	if (n < 0 || (write && (size_t)n != len))
		return -1;
	if (!write) {
		buf[n] = 0;
		if (line)
			buf[strcspn(buf, "\n")] = 0;
	}
	return 0;
}

static inline int nt_sysfs_put(const char *path, const char *val)
{
	return nt_sysfs_rw(path, (char *)val, strlen(val), 1, 0);
}

/* The module parameter @name, as nt_sysfs_rw() (the whole file). */
static inline int nt_param_rw(const char *name, char *buf, size_t len,
			      int write)
{
	char path[128];

	snprintf(path, sizeof(path), NT_PARAM_DIR "%s", name);
	return nt_sysfs_rw(path, buf, len, write, 0);
}

static inline int nt_param_set(const char *name, const char *value)
{
	return nt_param_rw(name, (char *)value, strlen(value), 1);
}

/*
 * Fork; the child sends its stdout to @out_fd if >= 0, else to a pipe
 * read into @out (NUL terminated), runs @prep(@arg) if given and execs
 * argv[0], ending with @fail_code (or 0x7f & errno when it is < 0) if
 * it cannot. The parent waits with @wait(pid, @arg) if given (before it
 * reads: for a child it must tend, as a tracer), else reads the pipe to
 * its end and reaps. The wait status, or -1.
 */
static inline int nt_spawn(char *const argv[], char *const envp[], int out_fd,
			   char *out, size_t size, int fail_code,
			   void (*prep)(void *arg),
			   int (*wait)(pid_t pid, void *arg), void *arg)
{
	int fd[2], status = -1;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(out_fd >= 0 ? out_fd : fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		if (prep)
			prep(arg);
		execve(argv[0], argv, envp);
		_exit(fail_code >= 0 ? fail_code : 0x7f & errno);
	}
	close(fd[1]);
	if (wait)
		status = wait(pid, arg);
	while (got + 1 < size && (n = read(fd[0], out + got, size - 1 - got)) > 0)
		got += n;
	out[got] = 0;
	close(fd[0]);
	if (!wait)
		waitpid(pid, &status, 0);
	return status;
}

#endif /* NT_PROC_H */
