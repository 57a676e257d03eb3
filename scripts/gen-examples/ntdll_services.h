/* SPDX-License-Identifier: GPL-2.0 */
/* generated from nt_services.tbl, do not edit */
#ifndef NTDLL_SERVICES_H
#define NTDLL_SERVICES_H

/* Included by <ntdll.h>, which defines the types and NTAPI. */

/* 0x000 = NtClose, impl */
#define NTP_INDEX_NtClose 0x000
#define NTP_ARGBYTES_NtClose 0x04
NTSTATUS NTAPI NtClose(/* _In_ */ HANDLE Handle);
NTSTATUS NTAPI ZwClose(/* _In_ */ HANDLE Handle);

/* 0x001 = NtCreateEvent, impl */
#define NTP_INDEX_NtCreateEvent 0x001
#define NTP_ARGBYTES_NtCreateEvent 0x14
NTSTATUS NTAPI NtCreateEvent(/* _Out_ */ HANDLE *EventHandle,
		/* _In_ */ ACCESS_MASK DesiredAccess,
		/* _In_opt_ */ const OBJECT_ATTRIBUTES *ObjectAttributes,
		/* _In_ */ EVENT_TYPE EventType,
		/* _In_ */ BOOLEAN InitialState);
NTSTATUS NTAPI ZwCreateEvent(/* _Out_ */ HANDLE *EventHandle,
		/* _In_ */ ACCESS_MASK DesiredAccess,
		/* _In_opt_ */ const OBJECT_ATTRIBUTES *ObjectAttributes,
		/* _In_ */ EVENT_TYPE EventType,
		/* _In_ */ BOOLEAN InitialState);

/* 0x002 = NtAllocateVirtualMemory, notimpl */
#define NTP_INDEX_NtAllocateVirtualMemory 0x002
#define NTP_ARGBYTES_NtAllocateVirtualMemory 0x18
NTSTATUS NTAPI NtAllocateVirtualMemory(/* _In_ */ HANDLE ProcessHandle,
		/* _Inout_ */ void **BaseAddress, /* _In_ */ ULONG_PTR ZeroBits,
		/* _Inout_ */ SIZE_T *RegionSize,
		/* _In_ */ ULONG AllocationType, /* _In_ */ ULONG Protect);
NTSTATUS NTAPI ZwAllocateVirtualMemory(/* _In_ */ HANDLE ProcessHandle,
		/* _Inout_ */ void **BaseAddress, /* _In_ */ ULONG_PTR ZeroBits,
		/* _Inout_ */ SIZE_T *RegionSize,
		/* _In_ */ ULONG AllocationType, /* _In_ */ ULONG Protect);

#define NTP_SERVICE_COUNT 3

#endif /* NTDLL_SERVICES_H */
