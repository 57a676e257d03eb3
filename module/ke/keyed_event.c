// SPDX-License-Identifier: GPL-2.0
/*
 * Keyed events: a rendezvous between one waiter and one releaser with the
 * same key (a pointer-sized value with bit 0 clear). Whoever comes second
 * takes the first from the other side's queue (FIFO per key) and both
 * return; whoever comes first sleeps. NtCreateKeyedEvent,
 * NtOpenKeyedEvent, NtWaitForKeyedEvent, NtReleaseKeyedEvent. A NULL
 * handle means the one global keyed event (XP's
 * \KernelObjects\CritSecOutOfMemoryEvent, used by RtlpWaitForCriticalSection).
 *
 * A waiter and a releaser meet only within one process, as on XP and
 * ReactOS (the key is an address in the process's own space): a shared
 * keyed event does not let one process wake, or be woken by, another
 * (issue 12), even of the same user. The other process's release just
 * queues and times out.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched.h>
#include <linux/slab.h>
#include "ke/ke.h"

/*
 * @lock guards both queues. @obj is a dispatcher header that stays
 * signaled: NT waits on an object without one of its own through the
 * type's default object, which is always signaled, so a wait on a keyed
 * event handle (with SYNCHRONIZE) returns at once (Wine
 * ntdll/tests/sync.c, test_keyed_events).
 */
struct ntke_keyed_event {
	struct ntke_obj obj;
	spinlock_t lock;		/* guards both queues */
	struct list_head waiters;
	struct list_head releasers;
};

/* One side of a rendezvous, on its caller's stack. */
struct ntke_kwait {
	struct list_head node;
	u32 key;
	pid_t tgid;		/* the process; it lives while it is queued */
	struct task_struct *task;
	atomic_t signaled;	/* -1, 0 = partner came, or NTKE_Q_ALERTED */
};

const struct ntob_type ntke_keyed_event_type = {
	.name = "KeyedEvent",
	.index = NTOB_TYPE_KEYED_EVENT,
	/* a type waited on through its default object also takes SYNCHRONIZE */
	.valid_access = KEYEDEVENT_ALL_ACCESS | SYNCHRONIZE,
	.mapping = {
		READ_CONTROL | KEYEDEVENT_WAIT,
		READ_CONTROL | KEYEDEVENT_WAKE,
		READ_CONTROL,
		KEYEDEVENT_ALL_ACCESS,
	},
};

static struct ntke_keyed_event ntke_global_keyed_event = {
	.lock = __SPIN_LOCK_UNLOCKED(ntke_global_keyed_event.lock),
	.waiters = LIST_HEAD_INIT(ntke_global_keyed_event.waiters),
	.releasers = LIST_HEAD_INIT(ntke_global_keyed_event.releasers),
};

static struct ntke_keyed_event *ntke_keyed_alloc(void)
{
	struct ntke_keyed_event *k = kzalloc(sizeof(*k), GFP_KERNEL_ACCOUNT);

	BUILD_BUG_ON(offsetof(struct ntke_keyed_event, obj.ob));
	if (!k)
		return NULL;
	ntke_obj_init(&k->obj, &ntke_keyed_event_type, NTKE_EVENT);
	k->obj.u.event.manual = true;
	k->obj.u.event.signaled = true;
	spin_lock_init(&k->lock);
	INIT_LIST_HEAD(&k->waiters);
	INIT_LIST_HEAD(&k->releasers);
	return k;
}

NTSTATUS NtCreateKeyedEvent(HANDLE __user *KeyedEventHandle, ACCESS_MASK DesiredAccess,
			    const OBJECT_ATTRIBUTES __user *ObjectAttributes,
			    ULONG Flags)
{
	struct ntke_keyed_event *k;
	struct nt_oa oa;
	NTSTATUS st;

	st = ntob_begin_create(KeyedEventHandle, ObjectAttributes, &oa);
	if (!NT_SUCCESS(st))
		goto out;
	if (Flags) {
		st = STATUS_INVALID_PARAMETER_4;
		goto out;
	}
	k = ntke_keyed_alloc();
	if (!k) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	st = ntob_insert(&k->obj.ob, &oa, DesiredAccess, KeyedEventHandle);
out:
	nt_release_oa(&oa);
	return st;
}

NTSTATUS NtOpenKeyedEvent(HANDLE __user *KeyedEventHandle, ACCESS_MASK DesiredAccess,
			  const OBJECT_ATTRIBUTES __user *ObjectAttributes)
{
	return ntob_open_service(KeyedEventHandle, DesiredAccess, ObjectAttributes,
				 &ntke_keyed_event_type);
}

/* Meet a partner with @key on the other queue, or queue and sleep. */
static NTSTATUS ntke_keyed_op(struct ntke_keyed_event *k, u32 key, bool release,
			      bool alertable, const struct ntke_timeout *t)
{
	struct list_head *theirs = release ? &k->waiters : &k->releasers;
	struct list_head *ours = release ? &k->releasers : &k->waiters;
	struct ntke_thread *kt = NULL;
	struct ntke_kwait me, *w;
	bool armed = false;
	int ret, s;

	if (alertable) {
		kt = ntke_thread_current();
		if (!kt)
			return STATUS_INSUFFICIENT_RESOURCES;
	}
	spin_lock(&k->lock);
	list_for_each_entry(w, theirs, node) {
		s = -1;
		if (w->key == key && w->tgid == current->tgid &&
		    atomic_try_cmpxchg(&w->signaled, &s, 0)) {
			list_del_init(&w->node);
			wake_up_process(w->task);
			spin_unlock(&k->lock);
			return STATUS_SUCCESS;
		}
	}
	me.key = key;
	me.tgid = current->tgid;
	me.task = current;
	atomic_set(&me.signaled, -1);
	list_add_tail(&me.node, ours);
	spin_unlock(&k->lock);

	if (kt)
		armed = ntke_alert_arm(kt, &me.signaled);
	ret = ntke_schedule(&me.signaled, t);
	if (armed)
		ntke_alert_disarm(kt);
	spin_lock(&k->lock);
	list_del_init(&me.node);
	spin_unlock(&k->lock);

	s = atomic_read(&me.signaled);
	if (s == 0)
		return STATUS_SUCCESS;
	if (s == NTKE_Q_ALERTED)
		return STATUS_ALERTED;
	return ret == -ERESTARTSYS ? STATUS_USER_APC : STATUS_TIMEOUT;
}

static NTSTATUS ntke_keyed_service(HANDLE h, void __user *key, bool release,
				   BOOLEAN alertable,
				   const LARGE_INTEGER __user *timeout)
{
	struct ntke_keyed_event *k = &ntke_global_keyed_event;
	struct ntob_object *obj = NULL;
	struct ntke_timeout t;
	u32 kv = (u32)(unsigned long)key;
	NTSTATUS st;

	if (kv & 1)
		return STATUS_INVALID_PARAMETER_1;
	st = ntke_get_timeout(timeout, &t);
	if (!NT_SUCCESS(st))
		return st;
	if (h) {
		st = ntob_ref_by_handle(h, release ? KEYEDEVENT_WAKE : KEYEDEVENT_WAIT,
					&ntke_keyed_event_type, &obj);
		if (!NT_SUCCESS(st))
			return st;
		k = container_of(obj, struct ntke_keyed_event, obj.ob);
	}
	st = ntke_keyed_op(k, kv, release, alertable, &t);
	if (obj)
		ntob_put(obj);
	return st;
}

NTSTATUS NtWaitForKeyedEvent(HANDLE KeyedEventHandle, void __user *Key,
			     BOOLEAN Alertable, const LARGE_INTEGER __user *Timeout)
{
	return ntke_keyed_service(KeyedEventHandle, Key, false, Alertable, Timeout);
}

NTSTATUS NtReleaseKeyedEvent(HANDLE KeyedEventHandle, void __user *Key,
			     BOOLEAN Alertable, const LARGE_INTEGER __user *Timeout)
{
	return ntke_keyed_service(KeyedEventHandle, Key, true, Alertable, Timeout);
}
