// SPDX-License-Identifier: GPL-2.0
/*
 * ntrun PROGRAM [ARGS...]: run PROGRAM with the NT personality attached.
 *
 * The attach is requested for exactly the next execve of this process, so
 * the personality starts with PROGRAM's first instruction and ntrun itself
 * never runs attached.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "ntpersonality.h"

int main(int argc, char **argv)
{
	struct ntp_attach a = { .flags = NTP_ATTACH_ON_EXEC };
	int fd;

	if (argc < 2 || !strcmp(argv[1], "--help")) {
		fprintf(stderr, "usage: ntrun PROGRAM [ARGS...]\n");
		return 2;
	}
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
	execvp(argv[1], argv + 1);
	fprintf(stderr, "ntrun: %s: %s\n", argv[1], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
