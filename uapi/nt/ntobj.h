/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Dispatcher and object-manager ABI: event/timer/wait types, the
 * information classes of events, mutants, semaphores, timers and objects,
 * and the structures those queries return.
 */
#ifndef _UAPI_NT_NTOBJ_H
#define _UAPI_NT_NTOBJ_H

#include "ntdef.h"
#include "access.h"

typedef enum _EVENT_TYPE {
	NotificationEvent = 0,		/* manual reset */
	SynchronizationEvent = 1,	/* auto reset */
} EVENT_TYPE;

typedef enum _TIMER_TYPE {
	NotificationTimer = 0,
	SynchronizationTimer = 1,
} TIMER_TYPE;

typedef enum _WAIT_TYPE {
	WaitAll = 0,
	WaitAny = 1,
} WAIT_TYPE;

/* NtWaitForMultipleObjects: XP's MAXIMUM_WAIT_OBJECTS */
#define MAXIMUM_WAIT_OBJECTS		64

/* Largest MUTANT/SEMAPHORE counts */
#define MINLONG				((LONG)0x80000000)
#define MAXLONG				((LONG)0x7fffffff)

typedef enum _EVENT_INFORMATION_CLASS {
	EventBasicInformation = 0,
} EVENT_INFORMATION_CLASS;

typedef struct _EVENT_BASIC_INFORMATION {
	EVENT_TYPE EventType;
	LONG EventState;
} EVENT_BASIC_INFORMATION;
NT_ASSERT_SIZE(EVENT_BASIC_INFORMATION, 8);
NT_ASSERT_OFFSET(EVENT_BASIC_INFORMATION, EventState, 4);

typedef enum _MUTANT_INFORMATION_CLASS {
	MutantBasicInformation = 0,
} MUTANT_INFORMATION_CLASS;

typedef struct _MUTANT_BASIC_INFORMATION {
	LONG CurrentCount;		/* 1 = free, <= 0 = owned (recursion) */
	BOOLEAN OwnedByCaller;
	BOOLEAN AbandonedState;
} MUTANT_BASIC_INFORMATION;
NT_ASSERT_SIZE(MUTANT_BASIC_INFORMATION, 8);
NT_ASSERT_OFFSET(MUTANT_BASIC_INFORMATION, OwnedByCaller, 4);
NT_ASSERT_OFFSET(MUTANT_BASIC_INFORMATION, AbandonedState, 5);

typedef enum _SEMAPHORE_INFORMATION_CLASS {
	SemaphoreBasicInformation = 0,
} SEMAPHORE_INFORMATION_CLASS;

typedef struct _SEMAPHORE_BASIC_INFORMATION {
	LONG CurrentCount;
	LONG MaximumCount;
} SEMAPHORE_BASIC_INFORMATION;
NT_ASSERT_SIZE(SEMAPHORE_BASIC_INFORMATION, 8);
NT_ASSERT_OFFSET(SEMAPHORE_BASIC_INFORMATION, MaximumCount, 4);

typedef enum _TIMER_INFORMATION_CLASS {
	TimerBasicInformation = 0,
} TIMER_INFORMATION_CLASS;

typedef struct _TIMER_BASIC_INFORMATION {
	LARGE_INTEGER RemainingTime;	/* 100 ns units */
	BOOLEAN TimerState;		/* signaled */
} TIMER_BASIC_INFORMATION;
NT_ASSERT_SIZE(TIMER_BASIC_INFORMATION, 0x10);
NT_ASSERT_OFFSET(TIMER_BASIC_INFORMATION, TimerState, 8);

typedef enum _OBJECT_INFORMATION_CLASS {
	ObjectBasicInformation = 0,
	ObjectNameInformation = 1,
	ObjectTypeInformation = 2,
	ObjectAllTypesInformation = 3,
	ObjectHandleFlagInformation = 4,
} OBJECT_INFORMATION_CLASS;

typedef struct _OBJECT_BASIC_INFORMATION {
	ULONG Attributes;		/* OBJ_INHERIT, OBJ_PERMANENT, ... */
	ACCESS_MASK GrantedAccess;
	ULONG HandleCount;
	ULONG PointerCount;
	ULONG PagedPoolUsage;
	ULONG NonPagedPoolUsage;
	ULONG Reserved[3];
	ULONG NameInformationLength;
	ULONG TypeInformationLength;
	ULONG SecurityDescriptorLength;
	LARGE_INTEGER CreateTime;
} OBJECT_BASIC_INFORMATION;
NT_ASSERT_SIZE(OBJECT_BASIC_INFORMATION, 0x38);
NT_ASSERT_OFFSET(OBJECT_BASIC_INFORMATION, HandleCount, 0x08);
NT_ASSERT_OFFSET(OBJECT_BASIC_INFORMATION, PointerCount, 0x0c);
NT_ASSERT_OFFSET(OBJECT_BASIC_INFORMATION, NameInformationLength, 0x24);
NT_ASSERT_OFFSET(OBJECT_BASIC_INFORMATION, CreateTime, 0x30);

/* ObjectNameInformation: the string's buffer follows the structure. */
typedef struct _OBJECT_NAME_INFORMATION {
	UNICODE_STRING Name;
} OBJECT_NAME_INFORMATION;
NT_ASSERT_SIZE(OBJECT_NAME_INFORMATION, 8);

/* ObjectTypeInformation: XP layout; the type name follows the structure. */
typedef struct _OBJECT_TYPE_INFORMATION {
	UNICODE_STRING TypeName;
	ULONG TotalNumberOfObjects;
	ULONG TotalNumberOfHandles;
	ULONG TotalPagedPoolUsage;
	ULONG TotalNonPagedPoolUsage;
	ULONG TotalNamePoolUsage;
	ULONG TotalHandleTableUsage;
	ULONG HighWaterNumberOfObjects;
	ULONG HighWaterNumberOfHandles;
	ULONG HighWaterPagedPoolUsage;
	ULONG HighWaterNonPagedPoolUsage;
	ULONG HighWaterNamePoolUsage;
	ULONG HighWaterHandleTableUsage;
	ULONG InvalidAttributes;
	GENERIC_MAPPING GenericMapping;
	ULONG ValidAccessMask;
	BOOLEAN SecurityRequired;
	BOOLEAN MaintainHandleCount;
	USHORT MaintainTypeList;
	ULONG PoolType;
	ULONG DefaultPagedPoolCharge;
	ULONG DefaultNonPagedPoolCharge;
} OBJECT_TYPE_INFORMATION;
NT_ASSERT_SIZE(OBJECT_TYPE_INFORMATION, 0x60);
NT_ASSERT_OFFSET(OBJECT_TYPE_INFORMATION, TotalNumberOfObjects, 0x08);
NT_ASSERT_OFFSET(OBJECT_TYPE_INFORMATION, InvalidAttributes, 0x38);
NT_ASSERT_OFFSET(OBJECT_TYPE_INFORMATION, GenericMapping, 0x3c);
NT_ASSERT_OFFSET(OBJECT_TYPE_INFORMATION, ValidAccessMask, 0x4c);
NT_ASSERT_OFFSET(OBJECT_TYPE_INFORMATION, SecurityRequired, 0x50);
NT_ASSERT_OFFSET(OBJECT_TYPE_INFORMATION, PoolType, 0x54);

/* ObjectHandleFlagInformation (query and set) */
typedef struct _OBJECT_HANDLE_FLAG_INFORMATION {
	BOOLEAN Inherit;
	BOOLEAN ProtectFromClose;
} OBJECT_HANDLE_FLAG_INFORMATION;
NT_ASSERT_SIZE(OBJECT_HANDLE_FLAG_INFORMATION, 2);

/* NtQueryDirectoryObject entries; an all-zero entry ends the array. */
typedef struct _OBJECT_DIRECTORY_INFORMATION {
	UNICODE_STRING Name;
	UNICODE_STRING TypeName;
} OBJECT_DIRECTORY_INFORMATION;
NT_ASSERT_SIZE(OBJECT_DIRECTORY_INFORMATION, 0x10);
NT_ASSERT_OFFSET(OBJECT_DIRECTORY_INFORMATION, TypeName, 8);

#endif /* _UAPI_NT_NTOBJ_H */
