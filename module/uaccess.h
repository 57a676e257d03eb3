/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that touches user memory for NT services: probe, capture
 * once, copy out at the end. Every helper returns an NTSTATUS; a fault or a
 * kernel address is STATUS_ACCESS_VIOLATION and nothing else.
 */
#ifndef NT_UACCESS_H
#define NT_UACCESS_H

#include <linux/pagemap.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include "ob/nt_types.h"

/* Longest object name we capture, in bytes (UNICODE_STRING's own limit). */
#define NT_NAME_MAX_BYTES	0xfffe

/*
 * A captured UTF-16 string: kernel copy, @len in WCHARs, not terminated.
 * @buf is NULL when @len is 0.
 */
struct nt_ustr {
	WCHAR *buf;
	u16 len;
};

/*
 * Captured OBJECT_ATTRIBUTES. @name is empty when ObjectName was NULL or
 * had Length 0; @root is RootDirectory as given (not yet referenced);
 * @sd is SecurityDescriptor as given (a user pointer, not yet read: ob/
 * reads what it needs of it when it names an object).
 */
struct nt_oa {
	HANDLE root;
	ULONG attributes;
	struct nt_ustr name;
	u32 sd;
};

/* Copy a UNICODE_STRING and its buffer in; release with nt_release_ustr(). */
NTSTATUS nt_capture_ustr(const UNICODE_STRING __user *us, struct nt_ustr *out);
void nt_release_ustr(struct nt_ustr *s);

/*
 * Copy OBJECT_ATTRIBUTES in. A NULL @oa gives an empty nt_oa. Length must
 * be sizeof(OBJECT_ATTRIBUTES) and Attributes within OBJ_VALID_ATTRIBUTES
 * (STATUS_INVALID_PARAMETER); an odd name length is
 * STATUS_OBJECT_NAME_INVALID, Length > MaximumLength
 * STATUS_INVALID_PARAMETER. Release with nt_release_oa().
 */
NTSTATUS nt_capture_oa(const OBJECT_ATTRIBUTES __user *oa, struct nt_oa *out);
void nt_release_oa(struct nt_oa *oa);

/* Is [p, p + len) a writable user range? (no write is made) */
static inline NTSTATUS nt_probe_out(void __user *p, size_t len)
{
	return access_ok(p, len) ? STATUS_SUCCESS : STATUS_ACCESS_VIOLATION;
}

/*
 * Write an IO_STATUS_BLOCK (Status, Information) at the end of an I/O
 * call. Both words in one user-access window: nt_copy_out() of a local
 * would cost an out-of-line copy for eight bytes.
 */
static inline NTSTATUS nt_put_iosb(IO_STATUS_BLOCK __user *iosb,
				   NTSTATUS status, u32 info)
{
	if (!user_write_access_begin(iosb, sizeof(*iosb)))
		return STATUS_ACCESS_VIOLATION;
	unsafe_put_user(status, &iosb->Status, fault);
	unsafe_put_user(info, &iosb->Information, fault);
	user_write_access_end();
	return STATUS_SUCCESS;
fault:
	user_write_access_end();
	return STATUS_ACCESS_VIOLATION;
}

/* Write 0 to an out-handle before any work is done (ReactOS does). */
NTSTATUS nt_prewrite_handle(HANDLE __user *p);
NTSTATUS nt_put_handle(HANDLE __user *p, HANDLE h);
NTSTATUS nt_put_u32(void __user *p, u32 v);
/* one 8-byte store, no usercopy frame walk: LARGE_INTEGER results */
NTSTATUS nt_put_u64(void __user *p, u64 v);
NTSTATUS nt_put_u8(void __user *p, u8 v);

/*
 * Inline, so that a size known at compile time reaches copy_*_user():
 * hardened usercopy then checks the object's bounds when compiling instead
 * of walking the stack frames on every call.
 */
static inline NTSTATUS nt_copy_in(void *dst, const void __user *src, size_t len)
{
	if (copy_from_user(dst, src, len))
		return STATUS_ACCESS_VIOLATION;
	return STATUS_SUCCESS;
}

static inline NTSTATUS nt_copy_out(void __user *dst, const void *src, size_t len)
{
	if (copy_to_user(dst, src, len))
		return STATUS_ACCESS_VIOLATION;
	return STATUS_SUCCESS;
}

static inline NTSTATUS nt_put_large_integer(void __user *p, s64 v)
{
	return nt_copy_out(p, &v, sizeof(v));
}

static inline NTSTATUS nt_get_large_integer(const void __user *p, s64 *v)
{
	return nt_copy_in(v, p, sizeof(*v));
}

/* io/mm (issue 7): user-to-user copy for NtRead/WriteVirtualMemory. */
NTSTATUS nt_copy_user_to_user(void __user *dst, const void __user *src,
			      u32 len, u32 *done);

/*
 * Every byte of @p..@p+@len readable now (faulted in), as NT's I/O manager
 * finds out before it writes anything: the whole buffer, or
 * STATUS_ACCESS_VIOLATION.
 */
static inline NTSTATUS nt_probe_read_all(const void __user *p, size_t len)
{
	return fault_in_readable(p, len) ? STATUS_ACCESS_VIOLATION :
					   STATUS_SUCCESS;
}

/* A CONTEXT from user memory, in kmalloc'd memory the caller kfree()s. */
struct _CONTEXT;
NTSTATUS nt_capture_context(const struct _CONTEXT __user *uctx,
			    struct _CONTEXT **ctx);

/* A 32-bit NT pointer value as a user pointer. */
static inline void __user *nt_uptr(u32 p)
{
	return (void __user *)(unsigned long)p;
}

#endif /* NT_UACCESS_H */
