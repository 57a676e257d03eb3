/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt_become(): turn the calling (root, single-threaded) process into an
 * unprivileged user's NT process. Used by NT_AS_USER() (nt_user.h) and by
 * the fuzzer and stress tests, which run a share of their work as a user.
 */
#ifndef NT_BECOME_H
#define NT_BECOME_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>
#include <ntdll.h>
#include "ntpersonality.h"

/* The unprivileged users of the tests: no account is needed for a number. */
#define NT_TEST_UID	1000
#define NT_TEST_GID	1000
/* a second one, for "user B attacks user A" */
#define NT_TEST_UID2	1001
#define NT_TEST_GID2	1001

/*
 * Drop every privilege for good (groups, gid, uid and with it every
 * capability), then detach and attach again, so that the NT process is
 * created by the user rather than inherited from root, through @gate.
 * 0 or -errno.
 */
static inline int nt_become(uid_t uid, gid_t gid, int gate)
{
	int fd, err = 0;

	fd = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* ENOENT: not attached (NTDLL_NO_ATTACH) */
	if (ioctl(fd, NTP_IOC_DETACH) && errno != ENOENT)
		err = -errno;
	close(fd);
	if (err)
		return err;
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return -errno;
	/* the uid change cleared it; a user's own processes are dumpable */
	if (prctl(PR_SET_DUMPABLE, 1))
		return -errno;
	if (NtpAttach() != STATUS_SUCCESS)
		return -EPERM;
	if (NtpSetSystemCallGate(gate) != STATUS_SUCCESS)
		return -EINVAL;
	return 0;
}

#endif /* NT_BECOME_H */
