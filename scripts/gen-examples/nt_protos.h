/* SPDX-License-Identifier: GPL-2.0 */
/* generated from nt_services.tbl, do not edit */
#ifndef NT_GENERATED_PROTOS_H
#define NT_GENERATED_PROTOS_H

#include <linux/compiler.h>
#include <linux/types.h>
#include "nt/ntdef.h"
#include "nt/ntstatus.h"
#include "nt/access.h"
#include "nt/ntobj.h"
#include "nt/ntfile.h"
#include "nt/ntmm.h"
#include "nt/ntex.h"
#include "nt/ntps.h"

/* 0x000 = NtClose, impl */
NTSTATUS NtClose(HANDLE Handle);

/* 0x001 = NtCreateEvent, impl */
NTSTATUS NtCreateEvent(HANDLE __user *EventHandle, ACCESS_MASK DesiredAccess,
		const OBJECT_ATTRIBUTES __user *ObjectAttributes,
		EVENT_TYPE EventType, BOOLEAN InitialState);

/* 0x002 = NtAllocateVirtualMemory, notimpl */
NTSTATUS NtAllocateVirtualMemory(HANDLE ProcessHandle,
		ULONG_PTR __user *BaseAddress, ULONG_PTR ZeroBits,
		SIZE_T __user *RegionSize, ULONG AllocationType, ULONG Protect);

#endif /* NT_GENERATED_PROTOS_H */
