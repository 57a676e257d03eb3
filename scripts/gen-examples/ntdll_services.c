/* SPDX-License-Identifier: GPL-2.0 */
/* generated from nt_services.tbl, do not edit */

#include <ntdll.h>

const struct ntp_service_info ntp_services[] = {
	[0x000] = { "NtClose", 1, "h" },
	[0x001] = { "NtCreateEvent", 5, "pxpub" },
	[0x002] = { "NtAllocateVirtualMemory", 6, "hpupxx" },
};

const unsigned int ntp_service_count = 3;
