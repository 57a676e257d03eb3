// SPDX-License-Identifier: GPL-2.0
/*
 * Semaphore objects: NtCreateSemaphore, NtOpenSemaphore,
 * NtReleaseSemaphore, NtQuerySemaphore.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include "ke/ke.h"

const struct ntob_type ntke_semaphore_type = {
	.name = "Semaphore",
	.index = NTOB_TYPE_SEMAPHORE,
	.valid_access = SEMAPHORE_ALL_ACCESS,
	.mapping = {
		READ_CONTROL | SEMAPHORE_QUERY_STATE,
		READ_CONTROL | SEMAPHORE_MODIFY_STATE,
		READ_CONTROL | SYNCHRONIZE,
		SEMAPHORE_ALL_ACCESS,
	},
};

static NTSTATUS ntke_semaphore_release_state(struct ntke_obj *s, LONG count,
					     LONG *prev)
{
	lockdep_assert_held(&s->lock);
	if ((u32)count > s->u.sem.max - s->u.sem.count)
		return STATUS_SEMAPHORE_LIMIT_EXCEEDED;
	*prev = s->u.sem.count;
	s->u.sem.count += count;
	return STATUS_SUCCESS;
}

NTSTATUS ntke_semaphore_release(struct ntke_obj *s, LONG count, LONG *prev)
{
	bool all = ntke_lock_obj(s);
	NTSTATUS st = ntke_semaphore_release_state(s, count, prev);

	if (NT_SUCCESS(st))
		ntke_wake(s, all);
	ntke_unlock_obj(s, all);
	return st;
}

NTSTATUS NtCreateSemaphore(HANDLE __user *SemaphoreHandle, ACCESS_MASK DesiredAccess,
			   const OBJECT_ATTRIBUTES __user *ObjectAttributes,
			   LONG InitialCount, LONG MaximumCount)
{
	struct ntke_obj *s;
	struct nt_oa oa;
	NTSTATUS st;

	st = ntob_begin_create(SemaphoreHandle, ObjectAttributes, &oa);
	if (!NT_SUCCESS(st))
		goto out;
	if (MaximumCount <= 0 || InitialCount < 0 || InitialCount > MaximumCount) {
		st = STATUS_INVALID_PARAMETER;
		goto out;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	ntke_obj_init(s, &ntke_semaphore_type, NTKE_SEMAPHORE);
	s->u.sem.count = InitialCount;
	s->u.sem.max = MaximumCount;
	st = ntob_insert(&s->ob, &oa, DesiredAccess, SemaphoreHandle);
out:
	nt_release_oa(&oa);
	return st;
}

NTSTATUS NtOpenSemaphore(HANDLE __user *SemaphoreHandle, ACCESS_MASK DesiredAccess,
			 const OBJECT_ATTRIBUTES __user *ObjectAttributes)
{
	return ntob_open_service(SemaphoreHandle, DesiredAccess, ObjectAttributes,
				 &ntke_semaphore_type);
}

NTSTATUS NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount,
			    LONG __user *PreviousCount)
{
	struct ntob_object *obj;
	NTSTATUS st;
	LONG prev;

	if (ReleaseCount <= 0)
		return STATUS_INVALID_PARAMETER;
	st = ntob_ref_by_handle(SemaphoreHandle, SEMAPHORE_MODIFY_STATE,
				&ntke_semaphore_type, &obj);
	if (!NT_SUCCESS(st))
		return st;
	st = ntke_semaphore_release(to_ntke(obj), ReleaseCount, &prev);
	ntob_put(obj);
	if (NT_SUCCESS(st) && PreviousCount)
		st = nt_put_u32(PreviousCount, prev);
	return st;
}

NTSTATUS NtQuerySemaphore(HANDLE SemaphoreHandle,
			  SEMAPHORE_INFORMATION_CLASS SemaphoreInformationClass,
			  void __user *SemaphoreInformation,
			  ULONG SemaphoreInformationLength, ULONG __user *ReturnLength)
{
	SEMAPHORE_BASIC_INFORMATION info;
	struct ntob_object *obj;
	struct ntke_obj *s;
	NTSTATUS st;

	st = ntob_ref_by_handle(SemaphoreHandle, SEMAPHORE_QUERY_STATE,
				&ntke_semaphore_type, &obj);
	if (!NT_SUCCESS(st))
		return st;
	s = to_ntke(obj);
	spin_lock(&s->lock);
	info.CurrentCount = s->u.sem.count;
	info.MaximumCount = s->u.sem.max;
	spin_unlock(&s->lock);
	ntob_put(obj);
	return ntke_query_out(SemaphoreInformationClass, 0, SemaphoreInformation,
			      SemaphoreInformationLength, ReturnLength, &info,
			      sizeof(info));
}
