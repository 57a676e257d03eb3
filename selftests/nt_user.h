/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running part of a selftest as an unprivileged user (issue 12).
 *
 * The selftests start as root in the VM, which is what the root half of a
 * security test needs: root-owned files, 0700 directories, setuid-root
 * binaries, root processes. The attacking half runs inside NT_AS_USER():
 *
 *	TEST_F(sec, delete_on_close_of_root_file)
 *	{
 *		make_root_file(...);			// as root
 *		NT_AS_USER(variant->gate) {
 *			st = NtOpenFile(...);		// as uid 1000
 *			ASSERT_STATUS(STATUS_ACCESS_DENIED, st);
 *		}
 *		ASSERT_EQ(0, access(path, F_OK));	// as root again
 *	}
 *
 * The block runs in a forked child that has dropped every privilege
 * (supplementary groups, gid, uid, capabilities with them) and has then
 * detached and attached again, so its NT process is created by the user,
 * not inherited from root. ASSERT_* and EXPECT_* work inside it; the
 * child's verdict becomes the test's. The block must not `return` or
 * `break`: it ends by falling off its end (or by a failed ASSERT).
 */
#ifndef NT_USER_H
#define NT_USER_H

#include <errno.h>
#include <sys/wait.h>
#include "nt_test.h"
#include "nt_become.h"

/* Parent: 1 after waiting for the child's verdict. Child: 0 as the user. */
static inline int nt_user_fork(struct __test_metadata *_metadata,
			       uid_t uid, gid_t gid, int gate)
{
	int status, err;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		TH_LOG("fork: %s", strerror(errno));
		_metadata->passed = 0;
		return 1;
	}
	if (pid == 0) {
		err = nt_become(uid, gid, gate);
		if (err) {
			TH_LOG("cannot become uid %d: %s", (int)uid, strerror(-err));
			_exit(1);
		}
		return 0;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		if (WIFSIGNALED(status))
			TH_LOG("the uid %d part died of signal %d", (int)uid,
			       WTERMSIG(status));
		_metadata->passed = 0;
	}
	return 1;
}

/* Child: the block ran to its end. */
static inline void nt_user_exit(struct __test_metadata *_metadata)
{
	fflush(stdout);
	fflush(stderr);
	_exit(_metadata->passed ? 0 : 1);
}

#define NT_AS_UID(_uid, _gid, _gate)					\
	for (int __nt_u = nt_user_fork(_metadata, (_uid), (_gid), (_gate)); \
	     __nt_u == 0; nt_user_exit(_metadata))

#define NT_AS_USER(_gate)	NT_AS_UID(NT_TEST_UID, NT_TEST_GID, (_gate))

#endif /* NT_USER_H */
