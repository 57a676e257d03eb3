// SPDX-License-Identifier: GPL-2.0
/*
 * NT thread objects: made on first need for the calling thread, waitable
 * (signaled when the thread exits), the owner of mutants and the target
 * of alerts. NtAlertThread, NtTestAlert; the thread-exit hook abandons
 * the mutants a thread still owns. And the process dispatcher header,
 * signaled by ps/ when the last thread of its process exits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include "internal.h"
#include "ke/ke.h"
#include "ps/ps.h"

#define THREAD_READ_RIGHTS	0x00020048	/* get context, query info */
#define THREAD_WRITE_RIGHTS	0x00020037	/* terminate ... set context */

/* Atomic context is fine: put_pid() does not sleep. */
static void ntke_thread_destroy(struct ntob_object *obj)
{
	struct ntke_thread *kt = container_of(obj, struct ntke_thread, obj.ob);

	ntke_apcs_free(kt);
	put_pid(kt->pid);
	put_pid(kt->tgid);
}

/* A wider duplicate: as NtOpenThread would grant it (always, our own). */
static NTSTATUS ntke_thread_may_grant(struct ntob_object *obj,
				      ACCESS_MASK access)
{
	return ntps_may_grant_pid(container_of(obj, struct ntke_thread,
					       obj.ob)->pid, access);
}

const struct ntob_type ntke_thread_type = {
	.name = "Thread",
	.index = NTOB_TYPE_THREAD,
	.valid_access = THREAD_ALL_ACCESS,
	.mapping = {
		THREAD_READ_RIGHTS,
		THREAD_WRITE_RIGHTS,
		READ_CONTROL | SYNCHRONIZE,
		THREAD_ALL_ACCESS,
	},
	.destroy = ntke_thread_destroy,
	.may_grant = ntke_thread_may_grant,
};

/*
 * A thread object not yet given to a thread: its pid is set by whoever
 * gives it (a struct pid, not a tid: a handle must not reach a reused
 * number).
 */
struct ntke_thread *ntke_thread_alloc(void)
{
	struct ntke_thread *kt = kzalloc(sizeof(*kt), GFP_KERNEL_ACCOUNT);

	if (!kt)
		return NULL;
	BUILD_BUG_ON(offsetof(struct ntke_thread, obj));
	ntke_obj_init(&kt->obj, &ntke_thread_type, NTKE_THREAD);
	spin_lock_init(&kt->lock);
	INIT_LIST_HEAD(&kt->mutants);
	INIT_LIST_HEAD(&kt->apcs);
	return kt;
}

struct ntke_thread *ntke_thread_current(void)
{
	struct nt_thread *t = nt_thread_current();
	struct ntke_thread *kt;

	if (!t)
		return NULL;
	if (t->ke)
		return t->ke;
	/*
	 * Only the thread itself sets t->ke (here) and clears it (exit),
	 * unless NtCreateThread made it before the thread ran (ps/thread.c).
	 */
	kt = ntke_thread_alloc();
	if (!kt)
		return NULL;
	kt->pid = get_task_pid(current, PIDTYPE_PID);
	/* another thread may have made it meanwhile (ps/thread.c) */
	if (cmpxchg(&t->ke, NULL, kt)) {
		ntob_put(&kt->obj.ob);
		return t->ke;
	}
	return kt;
}

NTSTATUS ntke_current_thread_object(struct ntob_object **obj)
{
	struct ntke_thread *kt = ntke_thread_current();

	if (!kt)
		return STATUS_INSUFFICIENT_RESOURCES;
	ntob_get(&kt->obj.ob);
	*obj = &kt->obj.ob;
	return STATUS_SUCCESS;
}

void ntke_mutant_acquired(struct ntke_obj *m, struct ntke_thread *kt)
{
	lockdep_assert_held(&m->lock);
	m->u.mutant.owner = kt;
	spin_lock(&kt->lock);
	list_add_tail(&m->u.mutant.owner_node, &kt->mutants);
	spin_unlock(&kt->lock);
}

void ntke_mutant_released(struct ntke_obj *m)
{
	struct ntke_thread *kt = m->u.mutant.owner;

	lockdep_assert_held(&m->lock);
	spin_lock(&kt->lock);
	list_del_init(&m->u.mutant.owner_node);
	spin_unlock(&kt->lock);
	m->u.mutant.owner = NULL;
}

/* Atomic context: the sched_process_exit tracepoint. */
void ntke_thread_exit(struct nt_thread *t)
{
	struct ntke_thread *kt = t->ke;
	struct ntke_obj *m;
	bool all;

	if (!kt)
		return;
	for (;;) {
		spin_lock(&kt->lock);
		m = list_first_entry_or_null(&kt->mutants, struct ntke_obj,
					     u.mutant.owner_node);
		if (m && !kref_get_unless_zero(&m->ob.ref)) {
			/* being destroyed: its destroy unlinks it from us */
			spin_unlock(&kt->lock);
			cpu_relax();
			continue;
		}
		spin_unlock(&kt->lock);
		if (!m)
			break;
		all = ntke_lock_obj(m);
		if (m->u.mutant.owner == kt) {
			m->u.mutant.count = 0;
			m->u.mutant.abandoned = true;
			ntke_mutant_released(m);
			ntke_wake(m, all);
		}
		ntke_unlock_obj(m, all);
		ntob_put(&m->ob);
	}
	ntke_apcs_free(kt);	/* nobody will run them */
	all = ntke_lock_obj(&kt->obj);
	kt->obj.u.thread.exited = true;
	ntke_wake(&kt->obj, all);
	ntke_unlock_obj(&kt->obj, all);
	t->ke = NULL;
	ntob_put(&kt->obj.ob);
}

/* -------------------------------------------------------------------- */
/* processes */

const struct ntob_type ntke_process_type = {
	.name = "Process",
	.index = NTOB_TYPE_OTHER,	/* a header, never a handle's object */
	.valid_access = PROCESS_ALL_ACCESS,
};

struct ntke_process *ntke_process_alloc(void)
{
	struct ntke_process *kp = kzalloc(sizeof(*kp), GFP_KERNEL_ACCOUNT);

	if (!kp)
		return NULL;
	BUILD_BUG_ON(offsetof(struct ntke_process, obj));
	ntke_obj_init(&kp->obj, &ntke_process_type, NTKE_PROCESS);
	return kp;
}

/*
 * The status is written under the object's lock before the state that
 * wakes the waiters, so a waiter that returns (or anyone who then reads
 * it through ntke_exited()) sees the final one.
 */
void ntke_process_exit(struct ntke_process *kp, NTSTATUS status)
{
	bool all = ntke_lock_obj(&kp->obj);

	if (!kp->obj.u.thread.exited) {
		kp->exit_status = status;
		kp->obj.u.thread.exited = true;
		ntke_wake(&kp->obj, all);
	}
	ntke_unlock_obj(&kp->obj, all);
}

void ntke_set_exited(struct ntke_obj *obj)
{
	bool all = ntke_lock_obj(obj);

	obj->u.thread.exited = true;
	ntke_wake(obj, all);
	ntke_unlock_obj(obj, all);
}

bool ntke_exited(struct ntke_obj *obj, NTSTATUS *status)
{
	bool all = ntke_lock_obj(obj), exited;

	exited = obj->u.thread.exited;
	if (exited && status && obj->kind == NTKE_PROCESS)
		*status = container_of(obj, struct ntke_process, obj)->exit_status;
	ntke_unlock_obj(obj, all);
	return exited;
}

bool ntke_alert_arm(struct ntke_thread *kt, atomic_t *target)
{
	bool armed = true;

	spin_lock(&kt->lock);
	if (!list_empty(&kt->apcs)) {
		int s = -1;

		/* a pending user APC ends an alertable wait at once */
		atomic_try_cmpxchg(target, &s, NTKE_Q_USER_APC);
		armed = false;
	} else if (kt->alerted) {
		int s = -1;

		/* a pending alert ends the wait now, unless it is already over */
		if (atomic_try_cmpxchg(target, &s, NTKE_Q_ALERTED))
			kt->alerted = false;
		armed = false;
	} else {
		kt->alert_target = target;
		kt->alert_task = current;
	}
	spin_unlock(&kt->lock);
	return armed;
}

void ntke_alert_disarm(struct ntke_thread *kt)
{
	spin_lock(&kt->lock);
	kt->alert_target = NULL;
	kt->alert_task = NULL;
	spin_unlock(&kt->lock);
}

void ntke_alert(struct ntke_thread *kt)
{
	int s = -1;

	spin_lock(&kt->lock);
	if (kt->alert_target &&
	    atomic_try_cmpxchg(kt->alert_target, &s, NTKE_Q_ALERTED))
		wake_up_process(kt->alert_task);
	else
		kt->alerted = true;
	spin_unlock(&kt->lock);
}

NTSTATUS NtAlertThread(HANDLE ThreadHandle)
{
	struct ntob_object *obj;
	NTSTATUS st;

	st = ntob_ref_by_handle(ThreadHandle, THREAD_ALERT, &ntke_thread_type, &obj);
	if (!NT_SUCCESS(st))
		return st;
	ntke_alert(container_of(obj, struct ntke_thread, obj.ob));
	ntob_put(obj);
	return STATUS_SUCCESS;
}

/* Clears an alert; pending user APCs run on the way out, oldest first. */
NTSTATUS NtTestAlert(void)
{
	struct ntke_thread *kt = ntke_thread_current();
	NTSTATUS st = STATUS_SUCCESS;

	if (!kt)
		return STATUS_SUCCESS;
	spin_lock(&kt->lock);
	if (kt->alerted) {
		kt->alerted = false;
		st = STATUS_ALERTED;
	}
	spin_unlock(&kt->lock);
	ntke_deliver_user_apc(kt, st);
	return st;
}
