/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Control interface of the ntpersonality module: /dev/ntpersonality.
 *
 * Structures are fixed width with explicit padding, as in ntsync's uapi:
 * unknown flags and non-zero padding are rejected with EINVAL so that they
 * can be given a meaning later.
 */
#ifndef _UAPI_NTPERSONALITY_H
#define _UAPI_NTPERSONALITY_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define NTP_DEVICE_NAME		"ntpersonality"
#define NTP_DEVICE_PATH		"/dev/" NTP_DEVICE_NAME

/* NTP_IOC_ATTACH flags */
#define NTP_ATTACH_ON_EXEC	(1u << 0)	/* attach across the next execve only */
#define NTP_ATTACH_C_ROOT	(1u << 1)	/* c_root_fd names \??\C:\ */
#define NTP_ATTACH_FLAGS	(NTP_ATTACH_ON_EXEC | NTP_ATTACH_C_ROOT)

/*
 * With NTP_ATTACH_C_ROOT, c_root_fd is an open directory of the caller
 * (O_PATH or O_DIRECTORY, search permission needed, as fchdir) that
 * \??\C:\ maps to for this process and the processes it forks, instead
 * of the module parameter c_root. The module keeps its own reference to
 * that directory: the fd may be closed after the ioctl. EBADF, ENOTDIR
 * (not a directory) or EACCES otherwise. Without the flag c_root_fd must
 * be 0. The layout is that of the first version (24 bytes, whose
 * reserved[0] is now c_root_fd and pad2), so old callers still work;
 * ps/process.c and selftests/croot.c assert the size.
 */
struct ntp_attach {
	__u32 flags;
	__u32 pad;
	__s32 c_root_fd;
	__u32 pad2;
	__u64 reserved;		/* must be zero */
};

/* NTP_IOC_QUERY state bits */
#define NTP_STATE_ATTACHED	(1u << 0)	/* NT calls are served */
#define NTP_STATE_EXEC_PENDING	(1u << 1)	/* attach happens at the next execve */

/*
 * NTP_IOC_QUERY: ids are those of the caller's pid namespace. Another
 * task is answered only if the caller may ptrace it in read mode (EPERM
 * otherwise); a thread that does not exist reads as state 0.
 */
struct ntp_query {
	__u32 pid;		/* in: thread id to query, 0 = caller */
	__u32 state;		/* out: NTP_STATE_* */
	__u32 tgid;		/* out: the NT process (thread group) */
	__u32 pad;
};

/*
 * NTP_IOC_SET_GATE: which entry SharedUserData->SystemCall names for the
 * calling process, as XP picks KiFastSystemCall or KiIntSystemCall by CPU.
 */
#define NTP_GATE_SYSENTER	0
#define NTP_GATE_INT2E		1

/*
 * NTP_IOC_SET_DISPATCHERS: where the calling process's ntdll has the
 * routines XP's kernel sends user mode to (it finds them among ntdll's
 * exports; a PE ntdll will be read that way, an ELF program's libntdll
 * tells it so): KiUserApcDispatcher, KiUserExceptionDispatcher, and
 * LdrInitializeThunk (@ldr_thunk): with it, every thread NtCreateThread
 * makes starts there, as XP's PspUserThreadStartup sends each new thread
 * through ntdll's loader: LdrInitializeThunk(&CONTEXT, 0, 0, 0) on the
 * thread's stack, below the CONTEXT it was created with, which the loader
 * NtContinue()s to. 0 leaves one unregistered. User addresses; fork
 * children inherit them, an exec forgets them. flags must be 0.
 */
struct ntp_dispatchers {
	__u32 user_apc;
	__u32 exception;
	__u32 flags;
	__u32 ldr_thunk;
};

/*
 * NTP_IOC_SET_IMAGE: the process's image is the SEC_IMAGE @section
 * (a handle with SECTION_QUERY) mapped at @base (the start of a view of
 * it in the calling process), as a loader that mapped a PE program itself
 * (ntrun) tells the kernel. The PEB's ImageBaseAddress and ImageSubsystem
 * fields are set from it, as XP's MmCreatePeb sets them from the image.
 * EBADF/EACCES for the handle, EINVAL for a section that is no image or a
 * base that is no view of it; flags and pad must be 0.
 */
struct ntp_image {
	__u32 section;
	__u32 base;
	__u32 flags;
	__u32 pad;
};

#define NTP_IOC_BASE		'N'
#define NTP_IOC_ATTACH		_IOW(NTP_IOC_BASE, 0xc0, struct ntp_attach)
#define NTP_IOC_DETACH		_IO(NTP_IOC_BASE, 0xc1)
#define NTP_IOC_QUERY		_IOWR(NTP_IOC_BASE, 0xc2, struct ntp_query)
#define NTP_IOC_SET_GATE	_IOW(NTP_IOC_BASE, 0xc3, __u32)
#define NTP_IOC_SET_DISPATCHERS	_IOW(NTP_IOC_BASE, 0xc4, struct ntp_dispatchers)
#define NTP_IOC_SET_IMAGE	_IOW(NTP_IOC_BASE, 0xc5, struct ntp_image)

#endif /* _UAPI_NTPERSONALITY_H */
