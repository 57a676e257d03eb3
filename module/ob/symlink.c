// SPDX-License-Identifier: GPL-2.0
/*
 * Symbolic link objects: an immutable target path that lookups reparse
 * into. NtCreateSymbolicLinkObject, NtOpenSymbolicLinkObject,
 * NtQuerySymbolicLinkObject.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include "ob/ob.h"

/* @target is set at creation and never changes: no lock. */
struct ntob_symlink {
	struct ntob_object ob;
	WCHAR *target;
	u16 len;	/* WCHARs */
};

static void ntob_symlink_destroy(struct ntob_object *obj)
{
	struct ntob_symlink *l = container_of(obj, struct ntob_symlink, ob);

	kfree(l->target);
}

const struct ntob_type ntob_symlink_type = {
	.name = "SymbolicLink",
	.index = NTOB_TYPE_SYMLINK,
	.valid_access = SYMBOLIC_LINK_ALL_ACCESS,
	.mapping = {
		READ_CONTROL | SYMBOLIC_LINK_QUERY,
		READ_CONTROL,
		READ_CONTROL | SYMBOLIC_LINK_QUERY,
		SYMBOLIC_LINK_ALL_ACCESS,
	},
	.destroy = ntob_symlink_destroy,
};

void ntob_symlink_target(struct ntob_object *obj, const WCHAR **buf, u16 *len)
{
	struct ntob_symlink *l = container_of(obj, struct ntob_symlink, ob);

	*buf = l->target;
	*len = l->len;
}

/* Takes ownership of @target (kmalloc'ed). */
static struct ntob_symlink *ntob_symlink_alloc(WCHAR *target, u16 len)
{
	struct ntob_symlink *l = kzalloc(sizeof(*l), GFP_KERNEL_ACCOUNT);

	BUILD_BUG_ON(offsetof(struct ntob_symlink, ob));
	if (!l) {
		kfree(target);
		return NULL;
	}
	ntob_object_init(&l->ob, &ntob_symlink_type);
	l->target = target;
	l->len = len;
	return l;
}

/* A link with an ASCII target, for the namespace roots and io/. */
NTSTATUS ntob_symlink_create_kernel(const char *target, struct ntob_object **obj)
{
	u16 i, len = strlen(target);
	struct ntob_symlink *l;
	WCHAR *t;

	t = kmalloc_array(len ? len : 1, sizeof(WCHAR), GFP_KERNEL_ACCOUNT);
	if (!t)
		return STATUS_INSUFFICIENT_RESOURCES;
	for (i = 0; i < len; i++)
		t[i] = target[i];
	l = ntob_symlink_alloc(t, len);
	if (!l)
		return STATUS_INSUFFICIENT_RESOURCES;
	*obj = &l->ob;
	return STATUS_SUCCESS;
}

NTSTATUS NtCreateSymbolicLinkObject(HANDLE __user *LinkHandle,
				    ACCESS_MASK DesiredAccess,
				    const OBJECT_ATTRIBUTES __user *ObjectAttributes,
				    const UNICODE_STRING __user *LinkTarget)
{
	struct ntob_symlink *l;
	struct nt_ustr target;
	struct nt_oa oa;
	NTSTATUS st;

	UNICODE_STRING hdr;

	st = ntob_begin_create(LinkHandle, ObjectAttributes, &oa);
	if (!NT_SUCCESS(st))
		goto out;
	/*
	 * A target needs a buffer and an even, non-zero MaximumLength (XP's
	 * NtCreateSymbolicLinkObject; Wine ntdll/tests/om.c,
	 * test_symboliclink: a zeroed UNICODE_STRING is
	 * STATUS_INVALID_PARAMETER).
	 */
	st = nt_copy_in(&hdr, LinkTarget, sizeof(hdr));
	if (!NT_SUCCESS(st))
		goto out;
	if (!hdr.Buffer || !hdr.MaximumLength || (hdr.MaximumLength & 1)) {
		st = STATUS_INVALID_PARAMETER;
		goto out;
	}
	st = nt_capture_ustr(LinkTarget, &target);
	if (st == STATUS_OBJECT_NAME_INVALID)
		st = STATUS_INVALID_PARAMETER;
	if (!NT_SUCCESS(st))
		goto out;
	l = ntob_symlink_alloc(target.buf, target.len);
	if (!l) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	st = ntob_insert(&l->ob, &oa, DesiredAccess, LinkHandle);
out:
	nt_release_oa(&oa);
	return st;
}

NTSTATUS NtOpenSymbolicLinkObject(HANDLE __user *LinkHandle,
				  ACCESS_MASK DesiredAccess,
				  const OBJECT_ATTRIBUTES __user *ObjectAttributes)
{
	return ntob_open_service(LinkHandle, DesiredAccess, ObjectAttributes,
				 &ntob_symlink_type);
}

NTSTATUS NtQuerySymbolicLinkObject(HANDLE LinkHandle,
				   UNICODE_STRING __user *LinkTarget,
				   ULONG __user *ReturnedLength)
{
	static const WCHAR nul;
	struct ntob_symlink *l;
	struct ntob_object *obj;
	UNICODE_STRING us;
	u32 need;
	u16 bytes;
	NTSTATUS st;

	st = ntob_ref_by_handle(LinkHandle, SYMBOLIC_LINK_QUERY,
				&ntob_symlink_type, &obj);
	if (!NT_SUCCESS(st))
		return st;
	l = container_of(obj, struct ntob_symlink, ob);
	st = nt_copy_in(&us, LinkTarget, sizeof(us));
	if (!NT_SUCCESS(st))
		goto out;
	bytes = l->len * sizeof(WCHAR);
	need = bytes + sizeof(WCHAR);
	/*
	 * The target is stored with its terminator (NT's MaximumLength is
	 * Length + 2), and the caller gets both or nothing (Wine
	 * ntdll/tests/om.c, test_directory: MaximumLength == Length is
	 * STATUS_BUFFER_TOO_SMALL).
	 */
	if (us.MaximumLength < need) {
		st = STATUS_BUFFER_TOO_SMALL;
		goto out_len;
	}
	st = nt_copy_out(nt_uptr(us.Buffer), l->target, bytes);
	if (NT_SUCCESS(st))
		st = nt_copy_out(nt_uptr(us.Buffer) + bytes, &nul, sizeof(nul));
	if (NT_SUCCESS(st))
		st = nt_copy_out(&LinkTarget->Length, &bytes, sizeof(bytes));
out_len:
	if (ReturnedLength) {
		NTSTATUS st2 = nt_put_u32(ReturnedLength, need);

		if (!NT_SUCCESS(st2))
			st = st2;
	}
out:
	ntob_put(obj);
	return st;
}
