/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Descriptor table 0 as the dispatcher sees it. The tables are generated
 * from nt_services.tbl into module/generated/nt_thunks.c.
 *
 * Placeholder written by the spec branch so that the generated thunks
 * compile; the lead's dispatch.h replaces it.
 */
#ifndef NTP_DISPATCH_H
#define NTP_DISPATCH_H

#include <linux/types.h>

#include "nt/ntdef.h"
#include "nt_services.h"

/* Every table entry has this one signature; args = the captured words. */
typedef NTSTATUS (*nt_service_fn)(const u32 *args);

/* The entry of every notimpl service: returns STATUS_NOT_IMPLEMENTED. */
NTSTATUS nt_not_implemented(const u32 *args);

extern const nt_service_fn nt_table0_base[NT_SERVICE_COUNT];
extern const u8 nt_table0_number[NT_SERVICE_COUNT];
extern const char *const nt_table0_names[NT_SERVICE_COUNT];

#endif /* NTP_DISPATCH_H */
