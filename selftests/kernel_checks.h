/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the long-running suites (fuzz, stress_nt) check after their run:
 * no kernel splat logged since they started, and the object manager's
 * debugfs counters back where they were.
 *
 * The splat list mirrors scripts/ntvm's, which checks the whole boot.
 */
#ifndef NT_KERNEL_CHECKS_H
#define NT_KERNEL_CHECKS_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "kselftest.h"

static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Splats logged since kmsg_open(); -1 if the log cannot be read. */
static int kmsg_splats(int fd)
{
	static const char *const bad[] = {
		"BUG:", "Oops", "WARNING:", "general protection fault",
		"Call Trace", "soft lockup", "hard LOCKUP", "blocked for more than",
		"KFENCE", "UBSAN", "Kernel panic", "kmemleak",
	};
	char rec[1024];
	ssize_t len;
	size_t i;
	int found = 0;

	if (fd < 0)
		return -1;
	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)
			continue;	/* overwritten records */
		if (len <= 0)
			break;
		rec[len] = 0;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (strstr(rec, bad[i])) {
				ksft_print_msg("kmsg: %s", rec);
				found++;
				break;
			}
	}
	close(fd);
	return found;
}

#define DEBUGFS "/sys/kernel/debug/ntpersonality"
static const char *const counter_files[] = { DEBUGFS "/ob/objects", DEBUGFS "/ob/handles" };

/* Concatenated contents of the counter files; 0 if none exists. */
static int read_counters(char *buf, size_t size)
{
	size_t i, used = 0;
	int found = 0;
	ssize_t n;
	int fd;

	buf[0] = 0;
	for (i = 0; i < sizeof(counter_files) / sizeof(counter_files[0]); i++) {
		fd = open(counter_files[i], O_RDONLY);
		if (fd < 0)
			continue;
		found = 1;
		used += snprintf(buf + used, size - used, "[%s]\n", counter_files[i]);
		while (used < size - 1 && (n = read(fd, buf + used, size - 1 - used)) > 0)
			used += n;
		buf[used] = 0;
		close(fd);
	}
	return found;
}

/*
 * Report "object_counters_restored": the counters read now equal @before.
 * Process teardown runs on a workqueue, so they get 5 s to settle.
 */
static void check_counters_restored(int have_counters, const char *before,
				    char *after, size_t size)
{
	int i;

	if (!have_counters) {
		ksft_test_result_skip("object_counters_restored (no ob counters in debugfs)\n");
		return;
	}
	for (i = 0; i < 50; i++) {
		read_counters(after, size);
		if (!strcmp(before, after))
			break;
		usleep(100000);
	}
	if (strcmp(before, after))
		ksft_print_msg("counters before:\n%s# after:\n%s", before, after);
	ksft_test_result(!strcmp(before, after), "object_counters_restored\n");
}

#endif /* NT_KERNEL_CHECKS_H */
