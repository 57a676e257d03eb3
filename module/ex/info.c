// SPDX-License-Identifier: GPL-2.0
/*
 * The information-class buffer checker used by every Query/Set*Information
 * service (system, process, thread, file, volume), and thin wrappers over
 * the uaccess.c helpers for the io/mm/ex/ps services.
 *
 * Order of the checks (as Windows reports them): class, length, alignment,
 * address range. Faults while copying are found by the copy itself.
 */
#include <linux/uaccess.h>
#include "ex/ex.h"
#include "uaccess.h"

NTSTATUS ntex_check_info(const struct ntex_info_class *classes, u32 nr,
			 u32 cls, bool set, const void __user *buf, u32 len,
			 u32 *needed)
{
	const struct ntex_info_class *ic;

	*needed = 0;
	if (cls >= nr)
		return STATUS_INVALID_INFO_CLASS;
	ic = &classes[cls];
	if (!(ic->flags & (set ? NTEX_IC_SET : NTEX_IC_QUERY)))
		return STATUS_INVALID_INFO_CLASS;
	*needed = ic->size;
	if (ic->flags & NTEX_IC_MIN_SIZE) {
		if (len < ic->size)
			return STATUS_INFO_LENGTH_MISMATCH;
	} else if (ic->flags & NTEX_IC_UP_TO_SIZE) {
		if (len > ic->size)
			return STATUS_INFO_LENGTH_MISMATCH;
		*needed = len;
	} else if (len != ic->size) {
		return STATUS_INFO_LENGTH_MISMATCH;
	}
	return ntex_probe(buf, len, ic->align);
}

NTSTATUS ntex_probe(const void __user *p, size_t len, size_t align)
{
	if (!len)
		return STATUS_SUCCESS;
	if (align > 1 && ((unsigned long)p & (align - 1)))
		return STATUS_DATATYPE_MISALIGNMENT;
	if (!access_ok(p, len))
		return STATUS_ACCESS_VIOLATION;
	return STATUS_SUCCESS;
}

NTSTATUS ntex_copy_out(void __user *dst, const void *src, size_t len)
{
	return nt_copy_out(dst, src, len);
}

NTSTATUS ntex_copy_in(void *dst, const void __user *src, size_t len)
{
	return nt_copy_in(dst, src, len);
}

NTSTATUS ntex_put_u32(u32 __user *dst, u32 val)
{
	return ntex_copy_out(dst, &val, sizeof(val));
}

NTSTATUS ntex_put_opt_u32(u32 __user *dst, u32 val)
{
	return dst ? ntex_put_u32(dst, val) : STATUS_SUCCESS;
}

NTSTATUS ntex_put_s64(s64 __user *dst, s64 val)
{
	return nt_put_u64(dst, val);
}

NTSTATUS ntex_copy_user(void __user *dst, const void __user *src, u32 len,
			u32 *done)
{
	return nt_copy_user_to_user(dst, src, len, done);
}
