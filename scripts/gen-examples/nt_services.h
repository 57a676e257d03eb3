/* SPDX-License-Identifier: GPL-2.0 */
/* generated from nt_services.tbl, do not edit */

#ifndef NT_SERVICE_COUNT
#define NT_SERVICE_COUNT 3
#define NT_IDX_NtClose 0x000
#define NT_IDX_NtCreateEvent 0x001
#define NT_IDX_NtAllocateVirtualMemory 0x002
#endif

#ifdef NT_SERVICE
NT_SERVICE(0x000, NtClose, 0x04, impl)
NT_SERVICE(0x001, NtCreateEvent, 0x14, impl)
NT_SERVICE(0x002, NtAllocateVirtualMemory, 0x18, notimpl)
#endif
