// SPDX-License-Identifier: GPL-2.0
/*
 * The wait core: object locking in its two modes, "is it signaled" and
 * "consume it" per kind, waking waiters (any and all), the one sleep
 * helper, NT timeouts, and the wait services NtWaitForSingleObject,
 * NtWaitForMultipleObjects, NtSignalAndWaitForSingleObject,
 * NtYieldExecution.
 *
 * A wait queues one entry per object; the first waker whose cmpxchg moves
 * q->signaled from -1 to its entry index consumes the object state and
 * wakes the task, so a wait is satisfied at most once. Waiters are woken
 * in queue order (FIFO). A wait-all waiter is satisfied only when every
 * object can be consumed at once, checked and consumed with all of them
 * locked under ntke_wait_all_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/hrtimer.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include "internal.h"
#include "ke/ke.h"

DEFINE_SPINLOCK(ntke_wait_all_lock);

struct ntke_q_entry {
	struct list_head node;	/* in obj->any_waiters or obj->all_waiters */
	struct ntke_q *q;
	struct ntke_obj *obj;
	u32 index;
};

/* A wait in progress; lives on the waiter's stack or heap. */
struct ntke_q {
	struct task_struct *task;
	struct ntke_thread *owner;
	atomic_t signaled;	/* -1, an entry index, or NTKE_Q_ALERTED */
	bool all;
	bool abandoned;		/* written by the winning waker */
	u32 count;
	struct ntke_q_entry entries[];
};

void ntke_obj_init(struct ntke_obj *obj, const struct ntob_type *type,
		   enum ntke_kind kind)
{
	BUILD_BUG_ON(offsetof(struct ntke_obj, ob));
	ntob_object_init(&obj->ob, type);
	obj->kind = kind;
	spin_lock_init(&obj->lock);
	atomic_set(&obj->all_hint, 0);
	INIT_LIST_HEAD(&obj->any_waiters);
	INIT_LIST_HEAD(&obj->all_waiters);
}

/*
 * Lock @obj, with the wait-all lock too if a wait-all may be queued on it.
 * (sparse counts only @obj->lock: the conditional second lock is hidden
 * from it with __release/__acquire.)
 */
bool ntke_lock_obj(struct ntke_obj *obj)
	__acquires(&obj->lock)
{
	spin_lock(&obj->lock);
	if (likely(!atomic_read(&obj->all_hint)))
		return false;
	spin_unlock(&obj->lock);
	spin_lock(&ntke_wait_all_lock);
	__release(&ntke_wait_all_lock);
	spin_lock_nest_lock(&obj->lock, &ntke_wait_all_lock);
	return true;
}

void ntke_unlock_obj(struct ntke_obj *obj, bool all)
	__releases(&obj->lock)
{
	spin_unlock(&obj->lock);
	if (all) {
		__acquire(&ntke_wait_all_lock);
		spin_unlock(&ntke_wait_all_lock);
	}
}

/*
 * Lock or unlock every object of @q but @locked, under the wait-all lock.
 * sparse cannot count locks taken in a loop: each is balanced for it.
 */
static void ntke_lock_q(struct ntke_q *q, struct ntke_obj *locked)
{
	u32 i;

	lockdep_assert_held(&ntke_wait_all_lock);
	for (i = 0; i < q->count; i++) {
		if (q->entries[i].obj == locked)
			continue;
		spin_lock_nest_lock(&q->entries[i].obj->lock, &ntke_wait_all_lock);
		__release(&q->entries[i].obj->lock);
	}
}

static void ntke_unlock_q(struct ntke_q *q, struct ntke_obj *locked)
{
	u32 i;

	for (i = 0; i < q->count; i++) {
		if (q->entries[i].obj == locked)
			continue;
		__acquire(&q->entries[i].obj->lock);
		spin_unlock(&q->entries[i].obj->lock);
	}
}

static bool ntke_is_signaled(struct ntke_obj *obj, struct ntke_thread *owner)
{
	lockdep_assert_held(&obj->lock);
	switch (obj->kind) {
	case NTKE_SEMAPHORE:
		return obj->u.sem.count;
	case NTKE_MUTANT:
		if (obj->u.mutant.owner && obj->u.mutant.owner != owner)
			return false;
		return obj->u.mutant.count < S32_MAX;
	case NTKE_EVENT:
	case NTKE_TIMER:
		return obj->u.event.signaled;
	case NTKE_THREAD:
	case NTKE_PROCESS:
		return obj->u.thread.exited;
	}
	return false;
}

/* Consume @obj for the winner of @q. */
static void ntke_satisfy_state(struct ntke_obj *obj, struct ntke_q *q)
{
	lockdep_assert_held(&obj->lock);
	switch (obj->kind) {
	case NTKE_SEMAPHORE:
		obj->u.sem.count--;
		break;
	case NTKE_MUTANT:
		if (obj->u.mutant.abandoned) {
			obj->u.mutant.abandoned = false;
			q->abandoned = true;
		}
		if (!obj->u.mutant.count++)
			ntke_mutant_acquired(obj, q->owner);
		break;
	case NTKE_EVENT:
	case NTKE_TIMER:
		if (!obj->u.event.manual)
			obj->u.event.signaled = false;
		break;
	case NTKE_THREAD:
	case NTKE_PROCESS:
		break;
	}
}

static void ntke_try_wake_any(struct ntke_obj *obj)
{
	struct ntke_q_entry *entry;

	lockdep_assert_held(&obj->lock);
	list_for_each_entry(entry, &obj->any_waiters, node) {
		struct ntke_q *q = entry->q;
		int signaled = -1;

		if (!ntke_is_signaled(obj, q->owner)) {
			if (obj->kind == NTKE_MUTANT)
				continue;	/* the owner may be further on */
			break;
		}
		if (atomic_try_cmpxchg(&q->signaled, &signaled, entry->index)) {
			ntke_satisfy_state(obj, q);
			wake_up_process(q->task);
		}
	}
}

/* Satisfy @q if all its objects can be consumed; @locked is held already. */
static void ntke_try_wake_all(struct ntke_q *q, struct ntke_obj *locked)
{
	bool can = true;
	int signaled = -1;
	u32 i;

	lockdep_assert_held(&ntke_wait_all_lock);
	if (locked)
		lockdep_assert_held(&locked->lock);
	ntke_lock_q(q, locked);
	for (i = 0; i < q->count; i++)
		if (!ntke_is_signaled(q->entries[i].obj, q->owner)) {
			can = false;
			break;
		}
	if (can && atomic_try_cmpxchg(&q->signaled, &signaled, 0)) {
		for (i = 0; i < q->count; i++)
			ntke_satisfy_state(q->entries[i].obj, q);
		wake_up_process(q->task);
	}
	ntke_unlock_q(q, locked);
}

static void ntke_try_wake_all_obj(struct ntke_obj *obj)
{
	struct ntke_q_entry *entry;

	lockdep_assert_held(&ntke_wait_all_lock);
	lockdep_assert_held(&obj->lock);
	list_for_each_entry(entry, &obj->all_waiters, node)
		ntke_try_wake_all(entry->q, obj);
}

void ntke_wake(struct ntke_obj *obj, bool all)
{
	if (all)
		ntke_try_wake_all_obj(obj);
	ntke_try_wake_any(obj);
}

/* 100 ns intervals between 1601-01-01 and 1970-01-01 */
#define NTKE_EPOCH_DIFF	116444736000000000LL

void ntke_timeout_from_nt(s64 nt, struct ntke_timeout *t)
{
	memset(t, 0, sizeof(*t));
	if (!nt) {
		t->poll = true;
		return;
	}
	if (nt < 0) {
		if (nt < -(KTIME_MAX / 100)) {
			t->infinite = true;
			return;
		}
		t->clock = CLOCK_MONOTONIC;
		t->deadline = ktime_add_ns(ktime_get(), (u64)-nt * 100);
		return;
	}
	t->clock = CLOCK_REALTIME;
	if (nt < NTKE_EPOCH_DIFF) {
		t->deadline = 0;	/* long past */
		return;
	}
	if ((nt - NTKE_EPOCH_DIFF) > KTIME_MAX / 100) {
		t->infinite = true;
		return;
	}
	t->deadline = (nt - NTKE_EPOCH_DIFF) * 100;
}

NTSTATUS ntke_get_timeout(const LARGE_INTEGER __user *nt, struct ntke_timeout *t)
{
	NTSTATUS st;
	s64 v;

	if (!nt) {
		memset(t, 0, sizeof(*t));
		t->infinite = true;
		return STATUS_SUCCESS;
	}
	st = nt_get_large_integer(nt, &v);
	if (NT_SUCCESS(st))
		ntke_timeout_from_nt(v, t);
	return st;
}

int ntke_schedule(atomic_t *signaled, const struct ntke_timeout *t)
{
	struct nt_thread *nt = nt_thread_current();
	ktime_t deadline = t->deadline;
	int ret = 0;

	if (t->poll)
		return atomic_read(signaled) != -1 ? 0 : -ETIMEDOUT;
	if (nt)
		WRITE_ONCE(nt->in_nt_wait, true);
	do {
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		/* a full barrier: in_nt_wait before the suspend count's read */
		set_current_state(TASK_INTERRUPTIBLE);
		if (atomic_read(signaled) != -1) {
			ret = 0;
			break;
		}
		/* NT suspension: park here, then wait on (ps/thread.c) */
		if (nt && READ_ONCE(nt->suspend_count) && !READ_ONCE(nt->kill) &&
		    nt_park_hook) {
			__set_current_state(TASK_RUNNING);
			nt_park_hook(nt);
			ret = -EINTR;
			continue;
		}
		ret = schedule_hrtimeout_range_clock(t->infinite ? NULL : &deadline,
						     0, HRTIMER_MODE_ABS, t->clock);
		if (!ret)
			ret = -ETIMEDOUT;
	} while (ret == -EINTR);
	__set_current_state(TASK_RUNNING);
	if (nt)
		WRITE_ONCE(nt->in_nt_wait, false);
	if (ret == -ETIMEDOUT && atomic_read(signaled) != -1)
		ret = 0;
	return ret;
}

static struct ntke_q *ntke_q_alloc(u32 count, bool all, struct ntke_thread *kt)
{
	struct ntke_q *q = kzalloc(struct_size(q, entries, count), GFP_KERNEL);

	if (!q)
		return NULL;
	q->task = current;
	q->owner = kt;
	atomic_set(&q->signaled, -1);
	q->all = all;
	q->count = count;
	return q;
}

static void ntke_queue(struct ntke_q *q)
{
	u32 i;
	bool all;

	if (q->all) {
		spin_lock(&ntke_wait_all_lock);
		for (i = 0; i < q->count; i++) {
			struct ntke_obj *obj = q->entries[i].obj;

			atomic_inc(&obj->all_hint);
			list_add_tail(&q->entries[i].node, &obj->all_waiters);
		}
		ntke_try_wake_all(q, NULL);
		spin_unlock(&ntke_wait_all_lock);
		return;
	}
	for (i = 0; i < q->count; i++) {
		struct ntke_obj *obj = q->entries[i].obj;

		all = ntke_lock_obj(obj);
		list_add_tail(&q->entries[i].node, &obj->any_waiters);
		ntke_unlock_obj(obj, all);
	}
	for (i = 0; i < q->count && atomic_read(&q->signaled) == -1; i++) {
		struct ntke_obj *obj = q->entries[i].obj;

		all = ntke_lock_obj(obj);
		ntke_try_wake_any(obj);
		ntke_unlock_obj(obj, all);
	}
}

static void ntke_dequeue(struct ntke_q *q)
{
	u32 i;
	bool all;

	if (q->all) {
		spin_lock(&ntke_wait_all_lock);
		for (i = 0; i < q->count; i++) {
			list_del(&q->entries[i].node);
			atomic_dec(&q->entries[i].obj->all_hint);
		}
		spin_unlock(&ntke_wait_all_lock);
		return;
	}
	for (i = 0; i < q->count; i++) {
		struct ntke_obj *obj = q->entries[i].obj;

		all = ntke_lock_obj(obj);
		list_del(&q->entries[i].node);
		ntke_unlock_obj(obj, all);
	}
}

/*
 * Wait on @count referenced objects (the references stay the caller's).
 * Returns the NT status of the wait.
 */
static NTSTATUS ntke_wait_objects(struct ntke_obj **objs, u32 count, bool all,
				  bool alertable, const struct ntke_timeout *t)
{
	struct ntke_thread *kt = ntke_thread_current();
	bool armed = false;
	struct ntke_q *q;
	NTSTATUS st;
	int ret, signaled;
	u32 i;

	if (!kt)
		return STATUS_INSUFFICIENT_RESOURCES;
	q = ntke_q_alloc(count, all, kt);
	if (!q)
		return STATUS_INSUFFICIENT_RESOURCES;
	for (i = 0; i < count; i++) {
		q->entries[i].q = q;
		q->entries[i].obj = objs[i];
		q->entries[i].index = i;
	}
	ntke_queue(q);
	if (alertable && atomic_read(&q->signaled) == -1)
		armed = ntke_alert_arm(kt, &q->signaled);
	ret = ntke_schedule(&q->signaled, t);
	if (armed)
		ntke_alert_disarm(kt);
	ntke_dequeue(q);

	signaled = atomic_read(&q->signaled);
	if (signaled == NTKE_Q_ALERTED) {
		st = STATUS_ALERTED;
	} else if (signaled == NTKE_Q_USER_APC) {
		st = STATUS_USER_APC;
		/* the APC runs first; the wait then returns STATUS_USER_APC */
		ntke_deliver_user_apc(kt, st);
	} else if (signaled != -1) {
		st = (q->abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0) +
			(all ? 0 : signaled);
	} else if (ret == -ERESTARTSYS) {
		st = STATUS_USER_APC;
	} else {
		st = STATUS_TIMEOUT;
	}
	kfree(q);
	return st;
}

NTSTATUS ntke_delay(const struct ntke_timeout *t, bool alertable)
{
	NTSTATUS st = ntke_wait_objects(NULL, 0, false, alertable, t);

	return st == STATUS_TIMEOUT ? STATUS_SUCCESS : st;
}

NTSTATUS ntke_delay_execution(bool alertable, const LARGE_INTEGER __user *interval)
{
	struct ntke_timeout t;
	NTSTATUS st;
	s64 v;

	st = nt_get_large_integer(interval, &v);
	if (!NT_SUCCESS(st))
		return st;
	ntke_timeout_from_nt(v, &t);
	return ntke_delay(&t, alertable);
}

static const struct ntob_type *const ntke_waitable[] = {
	&ntke_event_type, &ntke_mutant_type, &ntke_semaphore_type,
	&ntke_timer_type, &ntke_thread_type, &ntke_keyed_event_type,
	&ntke_process_type,
};

/*
 * Reference a handle for waiting: SYNCHRONIZE and a dispatcher type, or
 * an object whose type leads to one (Process and Thread handles opened
 * by ps/, ntob_type.wait_object): ke only follows the pointer it is given.
 */
static NTSTATUS ntke_ref_waitable(HANDLE h, struct ntke_obj **obj)
{
	struct ntob_object *ob, *w;
	NTSTATUS st;
	int i;

	/*
	 * NtCurrentProcess(): our own header, signaled only once we are all
	 * gone, so such a wait ends by its timeout or an alert (as on XP).
	 */
	if (h == NT_CURRENT_PROCESS) {
		struct nt_thread *t = nt_thread_current();

		if (!t || !t->proc)
			return STATUS_INVALID_HANDLE;
		ntob_get(&t->proc->ke->obj.ob);
		*obj = &t->proc->ke->obj;
		return STATUS_SUCCESS;
	}
	st = ntob_ref_by_handle(h, SYNCHRONIZE, NULL, &ob);
	if (!NT_SUCCESS(st))
		return st;
	if (ob->type->wait_object) {
		st = ob->type->wait_object(ob, &w);
		ntob_put(ob);
		if (!NT_SUCCESS(st))
			return st;
		ob = w;
	}
	for (i = 0; i < ARRAY_SIZE(ntke_waitable); i++)
		if (ob->type == ntke_waitable[i]) {
			*obj = to_ntke(ob);
			return STATUS_SUCCESS;
		}
	ntob_put(ob);
	return STATUS_OBJECT_TYPE_MISMATCH;
}

NTSTATUS NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
			       const LARGE_INTEGER __user *Timeout)
{
	struct ntke_timeout t;
	struct ntke_obj *obj;
	NTSTATUS st;

	st = ntke_get_timeout(Timeout, &t);
	if (!NT_SUCCESS(st))
		return st;
	st = ntke_ref_waitable(Handle, &obj);
	if (!NT_SUCCESS(st))
		return st;
	st = ntke_wait_objects(&obj, 1, false, Alertable, &t);
	ntob_put(&obj->ob);
	return st;
}

#define NTKE_DUP_BITS	7	/* twice MAXIMUM_WAIT_OBJECTS slots */

/*
 * Does @objs name one object twice? O(@count): an open-addressed table
 * of indexes into @objs (+1, 0 = free) at most half full, instead of
 * comparing every pair (issue 19: 2k compares at 64 handles).
 */
static bool ntke_has_duplicate(struct ntke_obj *const *objs, u32 count)
{
	u8 slot[1U << NTKE_DUP_BITS] = {};
	u32 i, k;

	BUILD_BUG_ON(2 * MAXIMUM_WAIT_OBJECTS > (1U << NTKE_DUP_BITS));
	for (i = 0; i < count; i++) {
		for (k = hash_ptr(objs[i], NTKE_DUP_BITS); slot[k];
		     k = (k + 1) & ((1U << NTKE_DUP_BITS) - 1))
			if (objs[slot[k] - 1] == objs[i])
				return true;
		slot[k] = i + 1;
	}
	return false;
}

NTSTATUS NtWaitForMultipleObjects(ULONG Count, const HANDLE __user *Handles,
				  WAIT_TYPE WaitType, BOOLEAN Alertable,
				  const LARGE_INTEGER __user *Timeout)
{
	struct ntke_obj *objs[MAXIMUM_WAIT_OBJECTS];
	HANDLE h[MAXIMUM_WAIT_OBJECTS];
	struct ntke_timeout t;
	NTSTATUS st;
	u32 n = 0;

	if (!Count || Count > MAXIMUM_WAIT_OBJECTS)
		return STATUS_INVALID_PARAMETER_1;
	if (WaitType != WaitAll && WaitType != WaitAny)
		return STATUS_INVALID_PARAMETER_3;
	st = nt_copy_in(h, Handles, Count * sizeof(HANDLE));
	if (!NT_SUCCESS(st))
		return st;
	st = ntke_get_timeout(Timeout, &t);
	if (!NT_SUCCESS(st))
		return st;
	for (n = 0; n < Count; n++) {
		st = ntke_ref_waitable(h[n], &objs[n]);
		if (!NT_SUCCESS(st))
			goto out;
	}
	/*
	 * The same object twice in a wait-all cannot be satisfied atomically:
	 * STATUS_INVALID_PARAMETER_MIX, as ReactOS ntoskrnl/ob/obwait.c
	 * (NtWaitForMultipleObjects) and Windows answer.
	 */
	if (WaitType == WaitAll && ntke_has_duplicate(objs, Count)) {
		st = STATUS_INVALID_PARAMETER_MIX;
		goto out;
	}
	st = ntke_wait_objects(objs, Count, WaitType == WaitAll, Alertable, &t);
out:
	while (n--)
		ntob_put(&objs[n]->ob);
	return st;
}

NTSTATUS NtSignalAndWaitForSingleObject(HANDLE SignalHandle, HANDLE WaitHandle,
					BOOLEAN Alertable,
					const LARGE_INTEGER __user *Timeout)
{
	struct ntob_object *sig;
	struct ntke_obj *obj;
	struct ntke_timeout t;
	ACCESS_MASK granted;
	ULONG attributes;
	NTSTATUS st;
	LONG prev;

	st = ntke_get_timeout(Timeout, &t);
	if (!NT_SUCCESS(st))
		return st;
	st = ntob_ref_by_handle_info(SignalHandle, 0, NULL, &sig, &granted,
				     &attributes);
	if (!NT_SUCCESS(st))
		return st;
	st = ntke_ref_waitable(WaitHandle, &obj);
	if (!NT_SUCCESS(st))
		goto out_sig;
	if (sig->type == &ntke_event_type)
		st = (granted & EVENT_MODIFY_STATE) ?
			ntke_event_set(to_ntke(sig), &prev) : STATUS_ACCESS_DENIED;
	else if (sig->type == &ntke_semaphore_type)
		st = (granted & SEMAPHORE_MODIFY_STATE) ?
			ntke_semaphore_release(to_ntke(sig), 1, &prev) :
			STATUS_ACCESS_DENIED;
	else if (sig->type == &ntke_mutant_type)
		st = ntke_mutant_release(to_ntke(sig), ntke_thread_current(), &prev);
	else
		st = STATUS_OBJECT_TYPE_MISMATCH;
	if (NT_SUCCESS(st))
		st = ntke_wait_objects(&obj, 1, false, Alertable, &t);
	ntob_put(&obj->ob);
out_sig:
	ntob_put(sig);
	return st;
}

#define STATUS_NO_YIELD_PERFORMED	((NTSTATUS)0x40000024)

NTSTATUS NtYieldExecution(void)
{
	unsigned long before = current->nivcsw + current->nvcsw;

	yield();
	if (current->nivcsw + current->nvcsw == before)
		return STATUS_NO_YIELD_PERFORMED;
	return STATUS_SUCCESS;
}

NTSTATUS ntke_query_out(u32 class, u32 want, void __user *info, ULONG len,
			ULONG __user *ret, const void *src, u32 size)
{
	NTSTATUS st;

	if (class != want)
		return STATUS_INVALID_INFO_CLASS;
	if (len != size)
		return STATUS_INFO_LENGTH_MISMATCH;
	st = nt_copy_out(info, src, size);
	if (NT_SUCCESS(st) && ret)
		st = nt_put_u32(ret, size);
	return st;
}
