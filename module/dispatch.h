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
#include <asm/asm.h>
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
 * fails like an unmapped one.
 *
 * The loop is unsafe_get_user()'s one load with its exception-table entry
 * (_ASM_EXTABLE_UA: a fault resumes at 2, out of line, which goes to
 * @fault), in a loop of four instructions a word, downwards, with no
 * set-up: in C, GCC gave one word eleven instructions behind the canary
 * and the live values of the entry.
 */
static __always_inline bool nt_get_args(u32 *args, const u32 __user *uargs,
					u32 bytes)
{
	u32 n = bytes / 4, w;

	if (!n)
		return true;
	if (!user_read_access_begin(uargs, bytes))
		return false;
	asm_goto_output("1:	movl -4(%[src],%[n],4), %[w]\n"
			"	movl %[w], -4(%[dst],%[n],4)\n"
			"	decl %[n]\n"
			"	jnz 1b\n"
			"	.pushsection .text.unlikely, \"ax\"\n"
			"2:	jmp %l[fault]\n"
			"	.popsection\n"
			_ASM_EXTABLE_UA(1b, 2b)
			: [n] "+r" (n), [w] "=&r" (w)
			: [src] "r" ((unsigned long)uargs), [dst] "r" (args)
			: "memory", "cc"
			: fault);
	user_read_access_end();
	return true;
fault:
	user_read_access_end();
	return false;
}

/*
 * One table's part of the dispatcher: bound-check, copy exactly
 * Number[index] argument bytes from the caller, count, trace, call. For
 * table 0 @d is a constant and every load of the descriptor an absolute
 * address.
 */
static __always_inline u32 nt_arg_bytes(const struct nt_service_descriptor *d,
					u32 index, bool checked)
{
	u32 bytes = d->Number[index];

	return checked ? bytes : min_t(u32, bytes, NT_MAX_ARG_BYTES);
}

/*
 * @checked: every Number[] of @d was checked against NT_MAX_ARG_BYTES
 * when the table was set up and cannot change (table 0's, in rodata):
 * no bound on the argument size here.
 */
static __always_inline NTSTATUS
nt_dispatch_table(const struct nt_service_descriptor *d, u32 service,
		  const u32 __user *uargs, bool checked)
{
	/*
	 * Not zeroed: a service reads only its own Number[] bytes, all
	 * copied, and the tracepoint records only those.
	 */
	u32 args[NT_MAX_ARGS] __uninitialized;
	u32 index = NT_SERVICE_INDEX(service);
	u32 limit, bytes;
	NTSTATUS status;

	/* pairs with the release in KeAddSystemServiceTable: Base, Number set */
	limit = smp_load_acquire(&d->Limit);
	if (unlikely(index >= limit))
		return STATUS_INVALID_SYSTEM_SERVICE;
	index = array_index_nospec(index, limit);
	bytes = nt_arg_bytes(d, index, checked);
	if (unlikely(!nt_get_args(args, uargs, bytes)))
		return STATUS_ACCESS_VIOLATION;
	if (static_branch_unlikely(&nt_count_services) && d->Count)
		d->Count[index]++;	/* a statistic: races only lose counts */
	/*
	 * Names and pointed-to data are looked up only when someone
	 * listens; the size is looked up again there, so that the fast
	 * path keeps nothing for the tracer across the copy and the call.
	 */
	if (tracepoint_enabled(nt_sys_enter))
		nt_trace_enter(service, d == KeServiceDescriptorTable ?
			       nt_table0_names[index] : "", args,
			       nt_arg_bytes(d, index, checked) / 4);
	status = d->Base[index](args);
	if (tracepoint_enabled(nt_sys_exit))
		nt_trace_exit(service, args, nt_arg_bytes(d, index, checked) / 4,
			      status);
	return status;
}

/* dispatch.c: tables 1-3, out of line */
NTSTATUS nt_dispatch_other(u32 service, const u32 __user *uargs);

/*
 * The dispatcher, for the C entries only (i386/entry.c), inlined into
 * them: as a function of its own it cost a call, an fentry nop, a frame
 * and three saved registers per NT call. The entry already holds the
 * stack canary that the argument array needs. Table 0 (ntoskrnl's) is
 * decoded inline; the others, whose code may be another module's and
 * which count their callers, out of line.
 */
static __always_inline NTSTATUS nt_dispatch(u32 service, const u32 __user *uargs)
{
	/*
	 * A seccomp filter cannot see NT calls, which are not Linux system
	 * calls: a task that asked to be confined gets none of them.
	 */
	if (unlikely(READ_ONCE(current->seccomp.mode) != SECCOMP_MODE_DISABLED))
		return STATUS_ACCESS_DENIED;
	if (unlikely(NT_SERVICE_TABLE(service)))
		return nt_dispatch_other(service, uargs);
	return nt_dispatch_table(&KeServiceDescriptorTable[0], service, uargs, true);
}

bool KeAddSystemServiceTable(const nt_service_fn *base, unsigned long *count,
			     u32 limit, const u8 *number, u32 index);
bool KeRemoveSystemServiceTable(u32 index);

int nt_dispatch_init(void);
void nt_dispatch_exit(void);
struct dentry *nt_debugfs_root(void);

#endif /* NTP_DISPATCH_H */
