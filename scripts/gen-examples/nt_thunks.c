// SPDX-License-Identifier: GPL-2.0
/* generated from nt_services.tbl, do not edit */

#include <linux/types.h>

#include "dispatch.h"
#include "nt_services.h"
#include "nt_protos.h"

/* 0x000 = NtClose */
static NTSTATUS notrace nt_thunk_NtClose(const u32 *args)
{
	return NtClose((HANDLE)args[0]);
}

/* 0x001 = NtCreateEvent */
static NTSTATUS notrace nt_thunk_NtCreateEvent(const u32 *args)
{
	return NtCreateEvent((HANDLE __user *)(uintptr_t)args[0],
		(ACCESS_MASK)args[1],
		(const OBJECT_ATTRIBUTES __user *)(uintptr_t)args[2],
		(EVENT_TYPE)args[3], (BOOLEAN)args[4]);
}

const nt_service_fn nt_table0_base[NT_SERVICE_COUNT] = {
	[0x000] = nt_thunk_NtClose,	/* NtClose */
	[0x001] = nt_thunk_NtCreateEvent,	/* NtCreateEvent */
	[0x002] = nt_not_implemented,	/* NtAllocateVirtualMemory */
};

const u8 nt_table0_number[NT_SERVICE_COUNT] = {
	[0x000] = 0x04,	/* NtClose */
	[0x001] = 0x14,	/* NtCreateEvent */
	[0x002] = 0x18,	/* NtAllocateVirtualMemory */
};

const char *const nt_table0_names[NT_SERVICE_COUNT] = {
	[0x000] = "NtClose",
	[0x001] = "NtCreateEvent",
	[0x002] = "NtAllocateVirtualMemory",
};
