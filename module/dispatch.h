/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The service dispatcher: KeServiceDescriptorTable and the tables in it.
 *
 * Every service in a table has one signature, nt_service_fn, taking the
 * argument words copied from the caller's stack; the generated thunks
 * (module/generated/nt_thunks.c) unpack them into the typed Nt* functions.
 */
#ifndef NTP_DISPATCH_H
#define NTP_DISPATCH_H

#include <linux/atomic.h>
#include <linux/jump_label.h>
#include <linux/nospec.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/tracepoint-defs.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include "nt/ntdef.h"
#include "nt/ntstatus.h"

/* The largest argument block of any XP service (NtAccessCheck... 0x44). */
#define NT_MAX_ARG_BYTES	0x44
#define NT_MAX_ARGS		(NT_MAX_ARG_BYTES / 4)

/* service number: bit 12 selects the table, bits 0-11 the index */
#define NT_SERVICE_TABLE(nr)	(((nr) >> 12) & 1)
#define NT_SERVICE_INDEX(nr)	((nr) & 0xfff)
#define NT_MAX_SERVICE_TABLES	4

typedef NTSTATUS (*nt_service_fn)(const u32 *args);

/*
 * KSERVICE_TABLE_DESCRIPTOR. A table is published by storing Limit last
 * (release) and read by loading Limit first (acquire).
 */
struct nt_service_descriptor {
	const nt_service_fn *Base;
	unsigned long *Count;		/* per-service calls, optional */
	u32 Limit;
	const u8 *Number;		/* argument bytes per service */
};

extern struct nt_service_descriptor KeServiceDescriptorTable[NT_MAX_SERVICE_TABLES];

/* Table 0, generated from module/nt_services.tbl. */
extern const nt_service_fn nt_table0_base[];
extern const u8 nt_table0_number[];
extern const char *const nt_table0_names[];

/* dispatch_trace.c: the tracepoints, with the data behind the pointers */
void nt_trace_enter(u32 service, const char *name, const u32 *args,
		    unsigned int nargs);
void nt_trace_exit(u32 service, const u32 *args, unsigned int nargs,
		   NTSTATUS status);

NTSTATUS nt_not_implemented(const u32 *args);

/* dispatch.c: calls in flight through tables 1-3, whose code may be another module's */
extern atomic_t nt_table_users[NT_MAX_SERVICE_TABLES];
/* dispatch.c: module parameter count_services (CounterTable) */
DECLARE_STATIC_KEY_FALSE(nt_count_services);
DECLARE_TRACEPOINT(nt_sys_enter);
DECLARE_TRACEPOINT(nt_sys_exit);

/*
 * Copy @bytes of arguments (a multiple of 4, at most NT_MAX_ARG_BYTES) in
 * one user-access window: copy_from_user() of a variable length would also
 * run the hardened-usercopy stack-frame walk, which is most of its cost for
 * a few words. user_read_access_begin() is access_ok(), so a kernel address
 * fails like an unmapped one. The odd word first, then pairs downwards:
 * the common one- and two-word calls run no loop set-up.
 */
static __always_inline bool nt_get_args(u32 *args, const u32 __user *uargs,
					u32 bytes)
{
	u32 n = bytes / 4;

	if (!n)
		return true;
	if (!user_read_access_begin(uargs, bytes))
		return false;
	if (n & 1) {
		n--;
		unsafe_get_user(args[n], &uargs[n], fault);
	}
	while (n) {
		n -= 2;
		unsafe_get_user(args[n + 1], &uargs[n + 1], fault);
		unsafe_get_user(args[n], &uargs[n], fault);
	}
	user_read_access_end();
	return true;
fault:
	user_read_access_end();
	return false;
}

/*
 * The dispatcher, for the C entries only (i386/entry.c), inlined into
 * them: as a function of its own it cost a call, an fentry nop, a frame
 * and three saved registers per NT call. The entry already holds the
 * stack canary that the argument array needs.
 */
static __always_inline NTSTATUS nt_dispatch(u32 service, const u32 __user *uargs)
{
	unsigned int table = NT_SERVICE_TABLE(service);
	struct nt_service_descriptor *d = &KeServiceDescriptorTable[table];
	/*
	 * Not zeroed: a service reads only its own Number[] bytes, all
	 * copied, and the tracepoint records only those.
	 */
	u32 args[NT_MAX_ARGS] __uninitialized;
	u32 index = NT_SERVICE_INDEX(service);
	u32 limit, bytes;
	NTSTATUS status;

	/*
	 * A seccomp filter cannot see NT calls, which are not Linux system
	 * calls: a task that asked to be confined gets none of them.
	 */
	if (unlikely(READ_ONCE(current->seccomp.mode) != SECCOMP_MODE_DISABLED))
		return STATUS_ACCESS_DENIED;
	if (table)
		atomic_inc(&nt_table_users[table]);
	/* pairs with the release in KeAddSystemServiceTable: Base, Number set */
	limit = smp_load_acquire(&d->Limit);
	if (index >= limit) {
		status = STATUS_INVALID_SYSTEM_SERVICE;
		goto out;
	}
	index = array_index_nospec(index, limit);
	bytes = min_t(u32, d->Number[index], NT_MAX_ARG_BYTES);
	if (!nt_get_args(args, uargs, bytes)) {
		status = STATUS_ACCESS_VIOLATION;
		goto out;
	}
	if (static_branch_unlikely(&nt_count_services) && d->Count)
		d->Count[index]++;	/* a statistic: races only lose counts */
	/* names and pointed-to data are looked up only when someone listens */
	if (tracepoint_enabled(nt_sys_enter))
		nt_trace_enter(service, table ? "" : nt_table0_names[index],
			       args, bytes / 4);
	status = d->Base[index](args);
	if (tracepoint_enabled(nt_sys_exit))
		nt_trace_exit(service, args, bytes / 4, status);
out:
	if (table)
		atomic_dec(&nt_table_users[table]);
	return status;
}

bool KeAddSystemServiceTable(const nt_service_fn *base, unsigned long *count,
			     u32 limit, const u8 *number, u32 index);
bool KeRemoveSystemServiceTable(u32 index);

int nt_dispatch_init(void);
void nt_dispatch_exit(void);
struct dentry *nt_debugfs_root(void);

#endif /* NTP_DISPATCH_H */
