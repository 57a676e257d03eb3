// SPDX-License-Identifier: GPL-2.0
/*
 * errno -> NTSTATUS table. One row per errno; docs/errno.md lists the same
 * rows with the reason for each choice (checked by scripts/tests/errno-doc,
 * which reads the "[Exxx] = STATUS_xxx," lines below: keep one per line).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include "status.h"
#include "trace.h"

static const NTSTATUS ntstatus_by_errno[] = {
	[EPERM] = STATUS_ACCESS_DENIED,
	[ENOENT] = STATUS_OBJECT_NAME_NOT_FOUND,
	[ESRCH] = STATUS_INVALID_CID,
	[EINTR] = STATUS_USER_APC,
	[EIO] = STATUS_IO_DEVICE_ERROR,
	[ENXIO] = STATUS_NO_SUCH_DEVICE,
	[E2BIG] = STATUS_INVALID_PARAMETER,
	[ENOEXEC] = STATUS_INVALID_IMAGE_FORMAT,
	[EBADF] = STATUS_INVALID_HANDLE,
	[EAGAIN] = STATUS_INSUFFICIENT_RESOURCES,
	[ENOMEM] = STATUS_NO_MEMORY,
	[EACCES] = STATUS_ACCESS_DENIED,
	[EFAULT] = STATUS_ACCESS_VIOLATION,
	[EBUSY] = STATUS_SHARING_VIOLATION,
	[EEXIST] = STATUS_OBJECT_NAME_COLLISION,
	[EXDEV] = STATUS_NOT_SAME_DEVICE,
	[ENODEV] = STATUS_NO_SUCH_DEVICE,
	[ENOTDIR] = STATUS_OBJECT_PATH_NOT_FOUND,
	[EISDIR] = STATUS_FILE_IS_A_DIRECTORY,
	[EINVAL] = STATUS_INVALID_PARAMETER,
	[ENFILE] = STATUS_TOO_MANY_OPENED_FILES,
	[EMFILE] = STATUS_TOO_MANY_OPENED_FILES,
	[ENOTTY] = STATUS_INVALID_DEVICE_REQUEST,
	[ETXTBSY] = STATUS_SHARING_VIOLATION,
	[EFBIG] = STATUS_DISK_FULL,
	[ENOSPC] = STATUS_DISK_FULL,
	[ESPIPE] = STATUS_INVALID_PARAMETER,
	[EROFS] = STATUS_MEDIA_WRITE_PROTECTED,
	[EMLINK] = STATUS_TOO_MANY_LINKS,
	[EPIPE] = STATUS_PIPE_BROKEN,
	[ERANGE] = STATUS_BUFFER_TOO_SMALL,
	[EDEADLK] = STATUS_POSSIBLE_DEADLOCK,
	[ENAMETOOLONG] = STATUS_NAME_TOO_LONG,
	[ENOLCK] = STATUS_LOCK_NOT_GRANTED,
	[ENOSYS] = STATUS_NOT_IMPLEMENTED,
	[ENOTEMPTY] = STATUS_DIRECTORY_NOT_EMPTY,
	[ELOOP] = STATUS_REPARSE_POINT_NOT_RESOLVED,
	[EOVERFLOW] = STATUS_INTEGER_OVERFLOW,
	[EILSEQ] = STATUS_OBJECT_NAME_INVALID,
	[ENOBUFS] = STATUS_INSUFFICIENT_RESOURCES,
	[EOPNOTSUPP] = STATUS_NOT_SUPPORTED,
	[ECONNREFUSED] = STATUS_CONNECTION_REFUSED,
	[ETIMEDOUT] = STATUS_IO_TIMEOUT,
	[ESTALE] = STATUS_FILE_INVALID,
	[EDQUOT] = STATUS_QUOTA_EXCEEDED,
	[ECANCELED] = STATUS_CANCELLED,
};

/* Kernel-internal errnos (include/linux/errno.h), never seen by user space. */
static NTSTATUS ntstatus_by_kernel_errno(int err)
{
	switch (err) {
	case ERESTARTSYS:
	case ERESTARTNOINTR:
	case ERESTARTNOHAND:
	case ERESTART_RESTARTBLOCK:
		return STATUS_USER_APC;	/* a signal ends the call (contract) */
	case ENOTSUPP:
		return STATUS_NOT_SUPPORTED;
	case ENOIOCTLCMD:
		return STATUS_INVALID_DEVICE_REQUEST;
	default:
		return 0;
	}
}

NTSTATUS nt_status_from_errno(int err)
{
	NTSTATUS status = 0;

	if (err < 0)
		err = -err;
	if (!err)
		return STATUS_SUCCESS;
	if ((unsigned int)err < ARRAY_SIZE(ntstatus_by_errno))
		status = ntstatus_by_errno[err];
	else
		status = ntstatus_by_kernel_errno(err);
	if (!status) {
		WARN_ONCE(IS_ENABLED(CONFIG_DEBUG_KERNEL), "unmapped errno %d\n", err);
		status = STATUS_UNSUCCESSFUL;
	}
	/* so that a tracer can say which Linux error a status came from */
	trace_nt_status_errno(err, status);
	return status;
}

NTSTATUS nt_status_mapped(int err, NTSTATUS status)
{
	trace_nt_status_errno(err < 0 ? -err : err, status);
	return status;
}
