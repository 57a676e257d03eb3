/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Executive helpers shared by the io, mm, ex and ps services: NT time
 * conversion, the information-class table and its buffer checker, and the
 * user-copy wrappers that turn a fault into STATUS_ACCESS_VIOLATION.
 */
#ifndef NTP_EX_H
#define NTP_EX_H

#include <linux/time64.h>
#include <linux/types.h>
#include "status.h"
#include "nt/access.h"
#include "nt/ntex.h"
#include "generated/nt_protos.h"

/* 100 ns intervals between 1601-01-01 and 1970-01-01 */
#define NTEX_EPOCH_DELTA	116444736000000000LL
#define NTEX_TICKS_PER_SEC	10000000LL

static inline s64 ntex_time_from_timespec(const struct timespec64 *ts)
{
	return ts->tv_sec * NTEX_TICKS_PER_SEC + ts->tv_nsec / 100 +
	       NTEX_EPOCH_DELTA;
}

/* Linux ns since the Unix epoch (or a duration in ns) -> NT ticks */
static inline s64 ntex_ticks_from_ns(u64 ns)
{
	return div_u64(ns, 100);
}

s64 ntex_system_time(void);
/* SharedUserData's SystemTime, refreshed: NtQuerySystemTime's answer */
s64 ntex_query_system_time(void);

/*
 * Information classes as data (one row per class, indexed by class):
 * size is the exact size unless a flag says otherwise.
 */
#define NTEX_IC_QUERY		0x01
#define NTEX_IC_SET		0x02
#define NTEX_IC_MIN_SIZE	0x04	/* size is a minimum (variable data) */
#define NTEX_IC_UP_TO_SIZE	0x08	/* any length up to size is accepted */

struct ntex_info_class {
	u16 size;
	u8 align;
	u8 flags;
};

#define NTEX_IC(type, align, flags) { sizeof(type), align, flags }

/*
 * Check a query (@set false) or set request against @classes:
 * STATUS_INVALID_INFO_CLASS for an unknown class or one that does not
 * allow the operation, STATUS_INFO_LENGTH_MISMATCH for a bad length,
 * STATUS_DATATYPE_MISALIGNMENT, STATUS_ACCESS_VIOLATION for a buffer
 * outside user space. *@needed gets the size the class wants.
 */
NTSTATUS ntex_check_info(const struct ntex_info_class *classes, u32 nr,
			 u32 cls, bool set, const void __user *buf, u32 len,
			 u32 *needed);

/* User memory: a fault or a kernel address is STATUS_ACCESS_VIOLATION. */
NTSTATUS ntex_copy_out(void __user *dst, const void *src, size_t len);
NTSTATUS ntex_copy_in(void *dst, const void __user *src, size_t len);
NTSTATUS ntex_put_u32(u32 __user *dst, u32 val);
/* Optional out-pointer: NULL is fine. */
NTSTATUS ntex_put_opt_u32(u32 __user *dst, u32 val);
NTSTATUS ntex_put_s64(s64 __user *dst, s64 val);
/*
 * User-to-user copy through a kernel bounce buffer; *done counts the bytes
 * copied. Source fault: STATUS_PARTIAL_COPY; destination fault:
 * STATUS_ACCESS_VIOLATION.
 */
NTSTATUS ntex_copy_user(void __user *dst, const void __user *src, u32 len,
			u32 *done);
/* align must be a power of two */
NTSTATUS ntex_probe(const void __user *p, size_t len, size_t align);

/*
 * module/ps/info.c: is @process a handle to the current process?
 * STATUS_SUCCESS, STATUS_NOT_IMPLEMENTED (another process: the caller
 * cannot act on it), or the handle lookup's error.
 */
NTSTATUS ntps_check_current_process(HANDLE process);
/*
 * module/ps/info.c: the address space behind a process handle that grants
 * @access, for NtRead/WriteVirtualMemory: NULL in *@mm for the current
 * process; for another, its mm as mm_access() gives it (ptrace attach
 * mode, checked now against the image it runs now), referenced: mmput()
 * it. STATUS_ACCESS_DENIED when ptrace would refuse.
 */
struct mm_struct;
NTSTATUS ntps_ref_process_mm(HANDLE process, ACCESS_MASK access,
			     struct mm_struct **mm);

/*
 * module/ps/info.c: the same, and the process's NT state (referenced:
 * nt_process_put()), for the services that change another process's
 * mappings; both NULL for the current process.
 */
struct nt_process;
NTSTATUS ntps_ref_process_vm(HANDLE process, ACCESS_MASK access,
			     struct mm_struct **mm, struct nt_process **proc);

#endif /* NTP_EX_H */
