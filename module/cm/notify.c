// SPDX-License-Identifier: GPL-2.0
/*
 * NtNotifyChangeKey and NtNotifyChangeMultipleKeys: a one-shot watch on a
 * key (WatchTree: and every key below it) for the REG_NOTIFY_CHANGE_*
 * kinds of change. A change moves the matching watches off their key
 * under cm_lock; they are completed after it is dropped: the IO_STATUS_BLOCK
 * (STATUS_NOTIFY_ENUM_DIR, or STATUS_NOTIFY_CLEANUP when the key's last
 * handle closes or the key is deleted) is written into the registering
 * thread's address space, then its event is set. An asynchronous call
 * returns STATUS_PENDING after resetting the event (Wine's
 * dlls/ntdll/tests/reg.c test_notify); a synchronous one waits, and a
 * Linux signal ends the wait with STATUS_USER_APC as every NT wait here.
 *
 * Not built: the completion APC (ApcRoutine is STATUS_NOT_IMPLEMENTED:
 * ke/apc.c's user APCs have no I/O completion form yet), the change
 * Buffer (XP ignores it too), and NtNotifyChangeMultipleKeys' slave key
 * (Count 1 is STATUS_NOT_IMPLEMENTED).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include "cm/cm.h"
#include "ke/ke.h"

#define CM_MAX_NOTIFY	1024	/* pending watches on one key */

struct cm_notify {
	struct list_head node;		/* key->notify or a fired list */
	u32 filter;
	bool tree;
	bool sync;
	NTSTATUS status;
	atomic_t done;			/* -1 until completed (sync) */
	struct ntob_object *event;	/* referenced, or NULL */
	struct task_struct *task;	/* referenced (async) */
	u32 iosb;
};

static void cm_fire(struct cm_notify *n, NTSTATUS status,
		    struct list_head *fired)
{
	n->status = status;
	list_del_init(&n->node);
	if (n->sync) {
		/* The waiter frees it once it has taken cm_lock again. */
		atomic_set(&n->done, 0);
		wake_up_process(n->task);
		return;
	}
	list_add_tail(&n->node, fired);
}

static void cm_fire_key(struct cm_key *key, u32 filter, bool here,
			NTSTATUS status, struct list_head *fired)
{
	struct cm_notify *n, *tmp;

	list_for_each_entry_safe(n, tmp, &key->notify, node) {
		if (!here && !n->tree)
			continue;
		if (!(filter & (n->filter | CM_NOTIFY_ANY)))
			continue;
		cm_fire(n, status, fired);
		key->nnotify--;
	}
}

void cm_report(struct cm_key *key, u32 filter, struct list_head *fired)
{
	struct cm_key *k;

	lockdep_assert_held_write(&cm_lock);
	cm_fire_key(key, filter, true, STATUS_NOTIFY_ENUM_DIR, fired);
	/* Filter 0 matches only CM_NOTIFY_ANY, and only on the key itself. */
	filter &= ~CM_NOTIFY_ANY;
	for (k = key->parent; k; k = k->parent)
		if (k->nnotify)
			cm_fire_key(k, filter, false, STATUS_NOTIFY_ENUM_DIR, fired);
}

void cm_report_cleanup(struct cm_key *key, struct list_head *fired)
{
	lockdep_assert_held_write(&cm_lock);
	cm_fire_key(key, REG_LEGAL_CHANGE_FILTER | CM_NOTIFY_ANY, true,
		    STATUS_NOTIFY_CLEANUP, fired);
}

static void cm_notify_free(struct cm_notify *n)
{
	if (n->event)
		ntob_put(n->event);
	if (n->task && !n->sync)
		put_task_struct(n->task);
	kfree(n);
}

/*
 * The key is being freed with watches still on it: a call that registered
 * one raced with the close of its last handle. Nobody waits for them.
 */
void cm_notify_drop(struct cm_key *key)
{
	struct cm_notify *n, *tmp;

	list_for_each_entry_safe(n, tmp, &key->notify, node) {
		list_del(&n->node);
		cm_notify_free(n);
	}
	key->nnotify = 0;
}

static void cm_set_event(struct ntob_object *event)
{
	LONG prev;

	ntke_event_set(to_ntke(event), &prev);
}

void cm_notify_complete(struct list_head *fired)
{
	struct cm_notify *n, *tmp;
	IO_STATUS_BLOCK iosb;

	list_for_each_entry_safe(n, tmp, fired, node) {
		iosb.Status = n->status;
		iosb.Information = 0;
		/* The thread's own address space, as the I/O manager's APC. */
		access_process_vm(n->task, n->iosb, &iosb, sizeof(iosb),
				  FOLL_WRITE);
		if (n->event)
			cm_set_event(n->event);
		list_del(&n->node);
		cm_notify_free(n);
	}
}

static void cm_reset_event(struct ntob_object *event)
{
	struct ntke_obj *ev = to_ntke(event);
	bool all = ntke_lock_obj(ev);

	ev->u.event.signaled = false;
	ntke_unlock_obj(ev, all);
}

static NTSTATUS cm_notify(HANDLE KeyHandle, HANDLE Event, void __user *ApcRoutine,
			  IO_STATUS_BLOCK __user *IoStatusBlock,
			  ULONG CompletionFilter, BOOLEAN WatchTree,
			  BOOLEAN Asynchronous)
{
	struct cm_notify *n;
	struct cm_key *key;
	NTSTATUS st;

	if (CompletionFilter & ~REG_LEGAL_CHANGE_FILTER)
		return STATUS_INVALID_PARAMETER;
	if (ApcRoutine)
		return STATUS_NOT_IMPLEMENTED;
	if (nt_probe_out(IoStatusBlock, sizeof(*IoStatusBlock)))
		return STATUS_ACCESS_VIOLATION;
	n = kzalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
	if (!n)
		return STATUS_INSUFFICIENT_RESOURCES;
	INIT_LIST_HEAD(&n->node);
	n->filter = CompletionFilter;
	n->tree = !!WatchTree;
	n->sync = !Asynchronous;
	n->iosb = (u32)(unsigned long)IoStatusBlock;
	atomic_set(&n->done, -1);
	if (Event) {
		st = ntob_ref_by_handle(Event, EVENT_MODIFY_STATE, &ntke_event_type,
					&n->event);
		if (!NT_SUCCESS(st))
			goto fail;
	}
	n->task = current;
	if (!n->sync)
		get_task_struct(current);
	st = cm_ref_key(KeyHandle, KEY_NOTIFY, &key);
	if (!NT_SUCCESS(st))
		goto fail;
	if (n->event)
		cm_reset_event(n->event);
	down_write(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags)) {
		st = STATUS_KEY_DELETED;
	} else if (key->nnotify >= CM_MAX_NOTIFY) {
		st = STATUS_INSUFFICIENT_RESOURCES;
	} else {
		list_add_tail(&n->node, &key->notify);
		key->nnotify++;
		st = STATUS_PENDING;
	}
	up_write(&cm_lock);
	if (st != STATUS_PENDING) {
		ntob_put(&key->ob);
		goto fail;
	}
	if (!n->sync) {
		ntob_put(&key->ob);
		return STATUS_PENDING;
	}
	{
		struct ntke_timeout t = { .infinite = true };

		/* @done decides, whatever woke us. */
		ntke_schedule(&n->done, &t);
	}
	down_write(&cm_lock);
	if (atomic_read(&n->done) == -1) {
		/* Interrupted: still on the key's list. */
		list_del(&n->node);
		key->nnotify--;
		st = STATUS_USER_APC;
	} else {
		st = n->status;
	}
	up_write(&cm_lock);
	ntob_put(&key->ob);
	if (st != STATUS_USER_APC) {
		NTSTATUS st2 = nt_put_iosb(IoStatusBlock, st, 0);

		if (n->event)
			cm_set_event(n->event);
		if (!NT_SUCCESS(st2))
			st = st2;
	}
	cm_notify_free(n);
	return st;
fail:
	cm_notify_free(n);
	return st;
}

NTSTATUS NtNotifyChangeKey(HANDLE KeyHandle, HANDLE Event, void __user *ApcRoutine,
			   void __user *ApcContext,
			   IO_STATUS_BLOCK __user *IoStatusBlock,
			   ULONG CompletionFilter, BOOLEAN WatchTree,
			   void __user *Buffer, ULONG BufferSize,
			   BOOLEAN Asynchronous)
{
	return cm_notify(KeyHandle, Event, ApcRoutine, IoStatusBlock,
			 CompletionFilter, WatchTree, Asynchronous);
}

NTSTATUS NtNotifyChangeMultipleKeys(HANDLE MasterKeyHandle, ULONG Count,
				    const OBJECT_ATTRIBUTES __user *SlaveObjects,
				    HANDLE Event, void __user *ApcRoutine,
				    void __user *ApcContext,
				    IO_STATUS_BLOCK __user *IoStatusBlock,
				    ULONG CompletionFilter, BOOLEAN WatchTree,
				    void __user *Buffer, ULONG BufferSize,
				    BOOLEAN Asynchronous)
{
	/* XP takes at most one slave key. */
	if (Count > 1)
		return STATUS_INVALID_PARAMETER;
	if (Count)
		return STATUS_NOT_IMPLEMENTED;
	return cm_notify(MasterKeyHandle, Event, ApcRoutine, IoStatusBlock,
			 CompletionFilter, WatchTree, Asynchronous);
}
