// SPDX-License-Identifier: GPL-2.0
/*
 * Mutant objects: recursive ownership by a thread, abandonment when the
 * owner exits (ke/thread.c). NtCreateMutant, NtOpenMutant,
 * NtReleaseMutant, NtQueryMutant.
 *
 * NT's "count" of a mutant is 1 - recursion: 1 free, 0 owned once,
 * -1 owned twice... that is what PreviousCount and CurrentCount report.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include "ke/ke.h"

/*
 * The last reference can go while a thread still owns the mutant (its
 * last handle closed by the owner): leave the owner's list first. May run
 * in the atomic thread-exit path: spinlocks only.
 */
static void ntke_mutant_destroy(struct ntob_object *ob)
{
	struct ntke_obj *m = to_ntke(ob);

	spin_lock(&m->lock);
	if (m->u.mutant.owner)
		ntke_mutant_released(m);
	spin_unlock(&m->lock);
}

const struct ntob_type ntke_mutant_type = {
	.name = "Mutant",
	.index = NTOB_TYPE_MUTANT,
	.valid_access = MUTANT_ALL_ACCESS,
	.mapping = {
		READ_CONTROL | MUTANT_QUERY_STATE,
		READ_CONTROL,
		READ_CONTROL | SYNCHRONIZE,
		MUTANT_ALL_ACCESS,
	},
	.destroy = ntke_mutant_destroy,
};

/* Release one level of ownership by @kt. */
static NTSTATUS ntke_mutant_release_state(struct ntke_obj *m,
					  struct ntke_thread *kt, LONG *prev)
{
	lockdep_assert_held(&m->lock);
	if (!kt || m->u.mutant.owner != kt)
		return STATUS_MUTANT_NOT_OWNED;
	*prev = 1 - (LONG)m->u.mutant.count;
	if (!--m->u.mutant.count)
		ntke_mutant_released(m);
	return STATUS_SUCCESS;
}

NTSTATUS ntke_mutant_release(struct ntke_obj *m, struct ntke_thread *kt, LONG *prev)
{
	bool all = ntke_lock_obj(m);
	NTSTATUS st = ntke_mutant_release_state(m, kt, prev);

	if (NT_SUCCESS(st))
		ntke_wake(m, all);
	ntke_unlock_obj(m, all);
	return st;
}

NTSTATUS NtCreateMutant(HANDLE __user *MutantHandle, ACCESS_MASK DesiredAccess,
			const OBJECT_ATTRIBUTES __user *ObjectAttributes,
			BOOLEAN InitialOwner)
{
	struct ntke_thread *kt = NULL;
	struct ntke_obj *m;
	struct nt_oa oa;
	NTSTATUS st;

	st = ntob_begin_create(MutantHandle, ObjectAttributes, &oa);
	if (!NT_SUCCESS(st))
		goto out;
	if (InitialOwner) {
		kt = ntke_thread_current();
		if (!kt) {
			st = STATUS_INSUFFICIENT_RESOURCES;
			goto out;
		}
	}
	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	ntke_obj_init(m, &ntke_mutant_type, NTKE_MUTANT);
	INIT_LIST_HEAD(&m->u.mutant.owner_node);
	if (kt) {
		spin_lock(&m->lock);
		m->u.mutant.count = 1;
		ntke_mutant_acquired(m, kt);
		spin_unlock(&m->lock);
	}
	/*
	 * With OBJ_OPENIF an existing mutant is opened instead and ours goes
	 * away with its ownership: ntob_insert drops it through the last put,
	 * so give up ownership first if the insert did not keep it.
	 */
	ntob_get(&m->ob);
	st = ntob_insert(&m->ob, &oa, DesiredAccess, MutantHandle);
	if (kt && (st == STATUS_OBJECT_NAME_EXISTS || !NT_SUCCESS(st))) {
		spin_lock(&m->lock);
		if (m->u.mutant.owner == kt) {
			m->u.mutant.count = 0;
			ntke_mutant_released(m);
		}
		spin_unlock(&m->lock);
	}
	ntob_put(&m->ob);
out:
	nt_release_oa(&oa);
	return st;
}

NTSTATUS NtOpenMutant(HANDLE __user *MutantHandle, ACCESS_MASK DesiredAccess,
		      const OBJECT_ATTRIBUTES __user *ObjectAttributes)
{
	return ntob_open_service(MutantHandle, DesiredAccess, ObjectAttributes,
				 &ntke_mutant_type);
}

NTSTATUS NtReleaseMutant(HANDLE MutantHandle, LONG __user *PreviousCount)
{
	struct ntob_object *obj;
	NTSTATUS st;
	LONG prev;

	/*
	 * No access right: only the owner can release, and OpenMutex with
	 * SYNCHRONIZE alone followed by ReleaseMutex is the common Win32
	 * pattern (XP's NtReleaseMutant references the handle with 0).
	 */
	st = ntob_ref_by_handle(MutantHandle, 0,
				&ntke_mutant_type, &obj);
	if (!NT_SUCCESS(st))
		return st;
	st = ntke_mutant_release(to_ntke(obj), ntke_thread_current(), &prev);
	ntob_put(obj);
	if (NT_SUCCESS(st) && PreviousCount)
		st = nt_put_u32(PreviousCount, prev);
	return st;
}

NTSTATUS NtQueryMutant(HANDLE MutantHandle, MUTANT_INFORMATION_CLASS MutantInformationClass,
		       void __user *MutantInformation, ULONG MutantInformationLength,
		       ULONG __user *ResultLength)
{
	struct ntke_thread *kt = ntke_thread_current();
	MUTANT_BASIC_INFORMATION info = {};
	struct ntob_object *obj;
	struct ntke_obj *m;
	NTSTATUS st;

	st = ntob_ref_by_handle(MutantHandle, MUTANT_QUERY_STATE,
				&ntke_mutant_type, &obj);
	if (!NT_SUCCESS(st))
		return st;
	m = to_ntke(obj);
	spin_lock(&m->lock);
	info.CurrentCount = 1 - (LONG)m->u.mutant.count;
	info.OwnedByCaller = kt && m->u.mutant.owner == kt;
	info.AbandonedState = m->u.mutant.abandoned;
	spin_unlock(&m->lock);
	ntob_put(obj);
	return ntke_query_out(MutantInformationClass, 0, MutantInformation,
			      MutantInformationLength, ResultLength, &info,
			      sizeof(info));
}
