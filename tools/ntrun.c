// SPDX-License-Identifier: GPL-2.0
/*
 * ntrun [--c-root DIR] PROGRAM [ARGS...]: run PROGRAM with the NT
 * personality attached.
 *
 * PROGRAM may be a Linux program (ELF built against libntdll) or a
 * native NT program (a PE file: "MZ"). For a PE file the program
 * exec'd is ntpeload (from ntrun's own directory, else the module's
 * pe_loader, else /usr/lib/ntpersonality/), with PROGRAM and ARGS as its
 * argv: it maps ntdll.dll and PROGRAM and starts the NT loader
 * (tools/ntpeload.c). ./prog.exe needs no ntrun: the module's PE binfmt
 * starts ntpeload itself (docs/images.md).
 *
 * The attach is requested for exactly the next execve of this process, so
 * the personality starts with PROGRAM's first instruction and ntrun itself
 * never runs attached. With --c-root, \??\C:\ of PROGRAM (and of the
 * processes it forks) is DIR instead of the module parameter c_root: DIR
 * is opened here and the module keeps a reference to that directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "ntpersonality.h"

static int usage(void)
{
	fprintf(stderr, "usage: ntrun [--c-root DIR] PROGRAM [ARGS...]\n");
	return 2;
}

/*
 * The file execvp would run for name, if it starts with "MZ": its path
 * (name itself when it has a '/', else found in $PATH) in buf.
 */
static int is_pe(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH"), *p, *end;
	char magic[2];
	int fd, n;

	if (strchr(name, '/')) {
		snprintf(buf, size, "%s", name);
	} else {
		if (!path)
			path = "/bin:/usr/bin";
		for (p = path;; p = end + 1) {
			end = strchr(p, ':');
			if (!end)
				end = p + strlen(p);
			n = snprintf(buf, size, "%.*s/%s", (int)(end - p),
				     end > p ? p : ".", name);
			if (n > 0 && (size_t)n < size && !access(buf, X_OK))
				break;
			if (!*end)
				return 0;
		}
	}
	fd = open(buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, magic, 2);
	close(fd);
	return n == 2 && magic[0] == 'M' && magic[1] == 'Z';
}

/*
 * ntpeload for a PE file: from the directory of this program (a build
 * tree), else the one the module's binfmt uses (its parameter
 * pe_loader), else the installed one.
 */
static void exec_pe(const char *path, char **argv)
{
	char self[PATH_MAX], loader[PATH_MAX + 16], *slash;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int fd;

	loader[0] = 0;
	if (len > 0) {
		self[len] = 0;
		slash = strrchr(self, '/');
		if (slash)
			*slash = 0;
		snprintf(loader, sizeof(loader), "%s/ntpeload", self);
	}
	if (!loader[0] || access(loader, X_OK)) {
		loader[0] = 0;
		fd = open("/sys/module/ntpersonality/parameters/pe_loader",
			  O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			len = read(fd, loader, sizeof(loader) - 1);
			close(fd);
			loader[len > 0 ? len : 0] = 0;
			loader[strcspn(loader, "\n")] = 0;
		}
		if (!loader[0])
			snprintf(loader, sizeof(loader), "%s",
				 "/usr/lib/ntpersonality/ntpeload");
	}
	argv[0] = (char *)path;
	execv(loader, argv);
	fprintf(stderr, "ntrun: %s: %s\n", loader, strerror(errno));
}

int main(int argc, char **argv)
{
	char pe[PATH_MAX];
	struct ntp_attach a = { .flags = NTP_ATTACH_ON_EXEC };
	int fd, root = -1, i = 1;

	if (argc > 1 && !strcmp(argv[1], "--c-root")) {
		if (argc < 3)
			return usage();
		root = open(argv[2], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0) {
			fprintf(stderr, "ntrun: %s: %s\n", argv[2], strerror(errno));
			return 126;
		}
		a.flags |= NTP_ATTACH_C_ROOT;
		a.c_root_fd = root;
		i = 3;
	}
	if (argc <= i || !strcmp(argv[i], "--help"))
		return usage();
	fd = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "ntrun: %s: %s (is the module loaded?)\n",
			NTP_DEVICE_PATH, strerror(errno));
		return 126;
	}
	if (ioctl(fd, NTP_IOC_ATTACH, &a)) {
		fprintf(stderr, "ntrun: attach: %s\n", strerror(errno));
		return 126;
	}
	close(fd);
	if (root >= 0)
		close(root);	/* the module holds its own reference */
	if (is_pe(argv[i], pe, sizeof(pe))) {
		exec_pe(pe, argv + i);
		return 126;
	}
	execvp(argv[i], argv + i);
	fprintf(stderr, "ntrun: %s: %s\n", argv[i], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
