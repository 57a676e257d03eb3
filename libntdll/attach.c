// SPDX-License-Identifier: GPL-2.0
/*
 * The personality's own calls: attaching the process (explicitly and on
 * load) and selecting the system call gate. They talk to the module
 * through /dev/ntpersonality ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <ntdll.h>
#include "ntpersonality.h"

/*
 * NTP_IOC_SET_GATE: switch SharedUserData->SystemCall of the calling
 * process between KiFastSystemCall and KiIntSystemCall. Until the lead's
 * uapi/ntpersonality.h defines it, use the number reserved for it.
 */
#ifndef NTP_IOC_SET_GATE
#define NTP_IOC_SET_GATE	_IOW(NTP_IOC_BASE, 0xc3, __u32)
#endif

static NTSTATUS status_from_errno(int err)
{
	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return STATUS_NO_SUCH_DEVICE;
	case EACCES:
	case EPERM:
		return STATUS_ACCESS_DENIED;
	case EINVAL:
		return STATUS_INVALID_PARAMETER;
	case ENOTTY:
		return STATUS_NOT_IMPLEMENTED;
	case EBUSY:
		return STATUS_DEVICE_BUSY;
	case ENOMEM:
		return STATUS_NO_MEMORY;
	default:
		return STATUS_UNSUCCESSFUL;
	}
}

/* One ioctl on a fresh descriptor of the control device; -errno or 0. */
static int ntp_ioctl(unsigned long cmd, void *arg)
{
	int fd, ret;

	fd = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = ioctl(fd, cmd, arg) ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * Tell the module where this ntdll's dispatchers are, as XP's kernel
 * finds them among ntdll's exports. Every attach path does it; a module
 * without the ioctl (ENOTTY) simply delivers nothing to user mode.
 */
static void ntdll_register_dispatchers(void)
{
	struct ntp_dispatchers d;

	memset(&d, 0, sizeof(d));
	d.user_apc = (__u32)(uintptr_t)KiUserApcDispatcher;
	d.exception = (__u32)(uintptr_t)KiUserExceptionDispatcher;
	ntp_ioctl(NTP_IOC_SET_DISPATCHERS, &d);

	/* attached: the PEB is there (LdrpInitializeProcess's TLS part) */
	RtlpInitializeTlsBitmaps();
}

NTSTATUS NtpAttach(void)
{
	struct ntp_attach a;
	int ret;

	memset(&a, 0, sizeof(a));
	ret = ntp_ioctl(NTP_IOC_ATTACH, &a);
	if (ret == -EALREADY)
		ret = 0;
	if (ret)
		return status_from_errno(-ret);
	ntdll_register_dispatchers();
	return STATUS_SUCCESS;
}

NTSTATUS NtpSetSystemCallGate(int gate)
{
	__u32 g = gate;
	int ret;

	if (gate != NTP_GATE_SYSENTER && gate != NTP_GATE_INT2E)
		return STATUS_INVALID_PARAMETER;
	ret = ntp_ioctl(NTP_IOC_SET_GATE, &g);
	return ret ? status_from_errno(-ret) : STATUS_SUCCESS;
}

/*
 * NTDLL_C_ROOT=DIR: attach with \??\C:\ mapped to DIR for this process
 * and its fork children (NTP_ATTACH_C_ROOT). A root that cannot be
 * honoured ends the program: running on with another C: would touch
 * files the caller did not mean.
 */
static void ntdll_attach_c_root(const char *dir)
{
	struct ntp_attach a;
	int fd, ret;

	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
	} else {
		memset(&a, 0, sizeof(a));
		a.flags = NTP_ATTACH_C_ROOT;
		a.c_root_fd = fd;
		ret = ntp_ioctl(NTP_IOC_ATTACH, &a);
		close(fd);	/* the module holds its own reference */
	}
	if (ret == -ENOENT && fd >= 0)
		return;		/* no module: the first NT call says so */
	if (!ret)
		ntdll_register_dispatchers();
	if (ret) {
		fprintf(stderr, "ntdll: NTDLL_C_ROOT=%s: %s\n", dir,
			strerror(-ret));
		_exit(127);
	}
}

/*
 * Registered in .init_array by the generated stubs object, so it runs
 * before main() in every program that calls an NT stub. Silent: a program
 * without the module finds out on its first NT call (tests SKIP on it).
 * An already attached program (ntrun) keeps the root it was given.
 */
void ntdll_auto_attach(void);
void ntdll_auto_attach(void)
{
	struct ntp_query q;
	const char *no = getenv("NTDLL_NO_ATTACH");
	const char *root = getenv("NTDLL_C_ROOT");

	if (no && !strcmp(no, "1"))
		return;
	memset(&q, 0, sizeof(q));
	if (!ntp_ioctl(NTP_IOC_QUERY, &q) && (q.state & NTP_STATE_ATTACHED)) {
		ntdll_register_dispatchers();	/* attached by ntrun */
		return;
	}
	if (root && *root)
		ntdll_attach_c_root(root);
	else
		NtpAttach();
}
