// SPDX-License-Identifier: GPL-2.0
/*
 * Probing and capturing NT service arguments. Everything a service reads
 * from user memory is copied here once and validated on the copy, so a
 * second thread changing the user buffer cannot change what was checked.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/uaccess.h>
#include "uaccess.h"
#include "nt/ntps.h"

NTSTATUS nt_put_u32(void __user *p, u32 v)
{
	return put_user(v, (u32 __user *)p) ? STATUS_ACCESS_VIOLATION : STATUS_SUCCESS;
}

NTSTATUS nt_put_u64(void __user *p, u64 v)
{
	return put_user(v, (u64 __user *)p) ? STATUS_ACCESS_VIOLATION : STATUS_SUCCESS;
}

NTSTATUS nt_put_u8(void __user *p, u8 v)
{
	return put_user(v, (u8 __user *)p) ? STATUS_ACCESS_VIOLATION : STATUS_SUCCESS;
}

NTSTATUS nt_prewrite_handle(HANDLE __user *p)
{
	return nt_put_handle(p, 0);
}

NTSTATUS nt_put_handle(HANDLE __user *p, HANDLE h)
{
	return put_user(h, p) ? STATUS_ACCESS_VIOLATION : STATUS_SUCCESS;
}

/* Validate a copied UNICODE_STRING header, then copy its buffer in. */
static NTSTATUS nt_capture_ustr_buf(const UNICODE_STRING *us, struct nt_ustr *out)
{
	NTSTATUS st;

	out->buf = NULL;
	out->len = 0;
	if (us->Length & 1)
		return STATUS_OBJECT_NAME_INVALID;
	if (us->Length > us->MaximumLength)
		return STATUS_INVALID_PARAMETER;
	if (!us->Length)
		return STATUS_SUCCESS;
	out->buf = kmalloc(us->Length, GFP_KERNEL_ACCOUNT);
	if (!out->buf)
		return STATUS_INSUFFICIENT_RESOURCES;
	st = nt_copy_in(out->buf, nt_uptr(us->Buffer), us->Length);
	if (!NT_SUCCESS(st)) {
		kfree(out->buf);
		out->buf = NULL;
		return st;
	}
	out->len = us->Length / sizeof(WCHAR);
	return STATUS_SUCCESS;
}

NTSTATUS nt_capture_ustr(const UNICODE_STRING __user *us, struct nt_ustr *out)
{
	UNICODE_STRING k;
	NTSTATUS st;

	out->buf = NULL;
	out->len = 0;
	st = nt_copy_in(&k, us, sizeof(k));
	if (!NT_SUCCESS(st))
		return st;
	return nt_capture_ustr_buf(&k, out);
}

void nt_release_ustr(struct nt_ustr *s)
{
	kfree(s->buf);
	s->buf = NULL;
	s->len = 0;
}

/* 65532 bytes: with the terminator, the largest USHORT-counted string */
#define NT_OA_NAME_MAX_WCHARS	32766

NTSTATUS nt_capture_oa(const OBJECT_ATTRIBUTES __user *oa, struct nt_oa *out)
{
	OBJECT_ATTRIBUTES k;
	NTSTATUS st;

	memset(out, 0, sizeof(*out));
	if (!oa)
		return STATUS_SUCCESS;
	st = nt_copy_in(&k, oa, sizeof(k));
	if (!NT_SUCCESS(st))
		return st;
	if (k.Length != sizeof(k) || (k.Attributes & ~OBJ_VALID_ATTRIBUTES))
		return STATUS_INVALID_PARAMETER;
	out->root = k.RootDirectory;
	out->attributes = k.Attributes;
	out->sd = k.SecurityDescriptor;
	/*
	 * A root with no name at all (not an empty one) names nothing, and
	 * a name's bytes plus its terminator must fit a USHORT (XP's
	 * ObpCaptureObjectName): Wine ntdll/tests/om.c, test_name_limits.
	 */
	if (!k.ObjectName)
		return k.RootDirectory ? STATUS_OBJECT_NAME_INVALID : STATUS_SUCCESS;
	st = nt_capture_ustr((const UNICODE_STRING __user *)nt_uptr(k.ObjectName),
			     &out->name);
	if (NT_SUCCESS(st) && out->name.len > NT_OA_NAME_MAX_WCHARS) {
		nt_release_ustr(&out->name);
		st = STATUS_OBJECT_NAME_INVALID;
	}
	return st;
}

void nt_release_oa(struct nt_oa *oa)
{
	nt_release_ustr(&oa->name);
}

/* ---- io/mm helpers (issue 7, owned by io) ---------------------------- */

#define NT_BOUNCE_SIZE	PAGE_SIZE

/*
 * Copy @len bytes between two user ranges of the current process through
 * a kernel bounce page; *@done counts what arrived. A fault on the source
 * is STATUS_PARTIAL_COPY (NtReadVirtualMemory's answer), on the
 * destination STATUS_ACCESS_VIOLATION.
 */
NTSTATUS nt_copy_user_to_user(void __user *dst, const void __user *src,
			      u32 len, u32 *done)
{
	NTSTATUS status = STATUS_SUCCESS;
	u32 chunk, left;
	void *bounce;

	*done = 0;
	if (!len)
		return STATUS_SUCCESS;
	if (!access_ok(src, len))
		return STATUS_PARTIAL_COPY;
	if (!access_ok(dst, len))
		return STATUS_ACCESS_VIOLATION;
	bounce = kmalloc(NT_BOUNCE_SIZE, GFP_KERNEL);
	if (!bounce)
		return STATUS_NO_MEMORY;
	while (*done < len) {
		chunk = min_t(u32, len - *done, NT_BOUNCE_SIZE);
		left = copy_from_user(bounce, src + *done, chunk);
		if (copy_to_user(dst + *done, bounce, chunk - left)) {
			status = STATUS_ACCESS_VIOLATION;
			break;
		}
		*done += chunk - left;
		if (left) {
			status = STATUS_PARTIAL_COPY;
			break;
		}
	}
	kfree(bounce);
	return status;
}

NTSTATUS nt_capture_context(const CONTEXT __user *uctx, CONTEXT **ctx)
{
	*ctx = kmalloc(sizeof(**ctx), GFP_KERNEL_ACCOUNT);
	if (!*ctx)
		return STATUS_NO_MEMORY;
	if (copy_from_user(*ctx, uctx, sizeof(**ctx))) {
		kfree(*ctx);
		*ctx = NULL;
		return STATUS_ACCESS_VIOLATION;
	}
	return STATUS_SUCCESS;
}
