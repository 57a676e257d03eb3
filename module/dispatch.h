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

#include <linux/types.h>
#include "nt/ntdef.h"

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
NTSTATUS nt_dispatch(u32 service, const u32 __user *args);

bool KeAddSystemServiceTable(const nt_service_fn *base, unsigned long *count,
			     u32 limit, const u8 *number, u32 index);
bool KeRemoveSystemServiceTable(u32 index);

int nt_dispatch_init(void);
void nt_dispatch_exit(void);
struct dentry *nt_debugfs_root(void);

#endif /* NTP_DISPATCH_H */
