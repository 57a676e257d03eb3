/* SPDX-License-Identifier: GPL-2.0 */
/* generated from nt_services.tbl, do not edit */

#include <ntdll.h>

const struct ntp_service_info ntp_services[] = {
	[0x000] = { "NtClose", 1, "h",
		"..",
		"HANDLE Handle" },
	[0x001] = { "NtCreateEvent", 5, "pxpub",
		"W...o.....",
		"HANDLE *EventHandle;ACCESS_MASK DesiredAccess;const OBJECT_ATTRIBUTES *ObjectAttributes;EVENT_TYPE EventType;BOOLEAN InitialState" },
	[0x002] = { "NtAllocateVirtualMemory", 6, "hpupxx",
		"..X...X.....",
		"HANDLE ProcessHandle;void **BaseAddress;ULONG_PTR ZeroBits;SIZE_T *RegionSize;ULONG AllocationType;ULONG Protect" },
};

const unsigned int ntp_service_count = 3;
