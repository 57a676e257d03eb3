// SPDX-License-Identifier: GPL-2.0
/*
 * ntrun [--c-root DIR] PROGRAM [ARGS...]: run PROGRAM with the NT
 * personality attached.
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
#include <unistd.h>
#include <sys/ioctl.h>
#include "ntpersonality.h"

static int usage(void)
{
	fprintf(stderr, "usage: ntrun [--c-root DIR] PROGRAM [ARGS...]\n");
	return 2;
}

int main(int argc, char **argv)
{
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
	execvp(argv[i], argv + i);
	fprintf(stderr, "ntrun: %s: %s\n", argv[i], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
