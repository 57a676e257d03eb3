// SPDX-License-Identifier: GPL-2.0
/*
 * NtNotifyChangeKey and NtNotifyChangeMultipleKeys: one-shot watches on a
 * key (WatchTree: and every key below it) for the REG_NOTIFY_CHANGE_*
 * kinds of change; NtNotifyChangeMultipleKeys watches a second ("slave")
 * key named by OBJECT_ATTRIBUTES with the same watch, and a change in
 * either completes it.
 *
 * XP keeps one notify block per key handle: the first call through a
 * handle fixes the block's filter and WatchTree, later calls through the
 * same handle queue more one-shot requests ("posts") on that block and
 * their own filter is not used; a change matching the block completes
 * every post on it (Wine's dlls/ntdll/tests/reg.c test_notify shows both:
 * a filter-0 call through a handle whose block watches names completes on
 * a new subkey, a filter-REG_NOTIFY_CHANGE_NAME call through a handle
 * whose block has filter 0 does not). Here a block is identified by the
 * registering process and the handle value and lives while it has posts:
 * XP keeps it, and its filter, until the handle closes, which ob/ does
 * not tell us (no per-handle close hook); a block outliving its posts
 * would be inherited by the next handle of that value. Both differences
 * are listed in docs/conformance.md.
 *
 * A change moves the matching posts off their keys under cm_lock; they
 * are completed after it is dropped. Completion is XP's for an I/O
 * request: the IO_STATUS_BLOCK (Status STATUS_NOTIFY_ENUM_DIR for a
 * change, STATUS_NOTIFY_CLEANUP when the key's last handle closes or a
 * watched key is deleted; Information 0) is written into the registering
 * thread's address space, the event is set, and the completion APC, if
 * any, routine(ApcContext, IoStatusBlock, 0), is queued to the registering
 * thread (it runs when that thread waits alertably, ke/apc.c). An
 * asynchronous call returns STATUS_PENDING after resetting the event
 * (test_notify); a synchronous one waits alertably: the watch's
 * completion is its status, an alert or user APC ends it with
 * STATUS_ALERTED / STATUS_USER_APC and a Linux signal with STATUS_USER_APC
 * (SIGKILL kills it), the watch then withdrawn.
 *
 * Lifetime: a post holds a reference on each key it is on, so a key is
 * never freed with a post pending; it leaves its keys when it fires or
 * its synchronous waiter withdraws it, both under cm_lock. An
 * asynchronous post holds its thread (task and NT thread object) for the
 * IOSB write and the APC. The change Buffer is not filled: XP ignores it
 * too. Bounded: CM_MAX_NOTIFY blocks and slave watches per key,
 * CM_MAX_NOTIFY posts per block, all charged to the registering task.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include "cm/cm.h"
#include "ke/ke.h"

#define CM_MAX_NOTIFY	1024	/* pending watches on one key */

struct cm_notify;

/* One handle's notify block on @key->notify (cm_lock). */
struct cm_nblock {
	struct list_head node;
	struct list_head posts;		/* cm_watch parts (master) waiting */
	struct pid *tgid;		/* the registering process, referenced */
	HANDLE h;			/* the handle it came through */
	u32 filter;
	u32 nposts;
	bool tree;
};

/*
 * One key's part of a post: the master's on its block's @posts, a
 * slave's on the slave key's @slaves.
 */
struct cm_watch {
	struct list_head node;
	struct cm_key *key;		/* referenced */
	struct cm_nblock *b;		/* master: its block */
	struct cm_notify *n;
};

struct cm_notify {
	struct cm_watch w[2];		/* master, slave (NtNotifyChangeMultipleKeys) */
	u32 nw;
	struct list_head fired;		/* on a fired list once off the keys */
	u32 filter;			/* the block's, for the slave part */
	bool tree;
	bool sync;
	NTSTATUS status;
	atomic_t done;			/* -1 until completed or alerted (sync) */
	struct ntob_object *event;	/* referenced, or NULL */
	struct task_struct *task;	/* referenced (async) */
	struct ntke_thread *kt;		/* referenced (async with an APC) */
	struct ntke_apc *apc;		/* made at registration, or NULL */
	u32 iosb;
};

static void cm_nblock_free(struct cm_nblock *b)
{
	WARN_ON_ONCE(!list_empty(&b->posts));
	put_pid(b->tgid);
	kfree(b);
}

/*
 * Take every part of @n off its key (cm_lock held for writing). A block
 * left without posts goes, unless it is @keep (the one being walked).
 */
static void cm_unwatch(struct cm_notify *n, struct cm_nblock *keep)
{
	struct cm_nblock *b;
	u32 i;

	for (i = 0; i < n->nw; i++) {
		if (list_empty(&n->w[i].node))
			continue;
		list_del_init(&n->w[i].node);
		b = n->w[i].b;
		if (!b) {
			n->w[i].key->nnotify--;
			continue;
		}
		if (--b->nposts || b == keep)
			continue;
		list_del(&b->node);
		n->w[i].key->nnotify--;
		cm_nblock_free(b);
	}
}

static void cm_fire(struct cm_notify *n, NTSTATUS status,
		    struct cm_nblock *keep, struct list_head *fired)
{
	int s = -1;

	n->status = status;
	cm_unwatch(n, keep);
	if (n->sync) {
		/*
		 * The waiter frees it once it has taken cm_lock again; it
		 * tells fired from withdrawn by the empty lists.
		 */
		atomic_try_cmpxchg(&n->done, &s, 0);
		wake_up_process(n->task);
		return;
	}
	list_add_tail(&n->fired, fired);
}

/* CM_NOTIFY_ANY in @filter: every watch (the cleanup of a key). */
static bool cm_matches(u32 filter, u32 watched)
{
	return (filter & CM_NOTIFY_ANY) || (filter & watched);
}

static void cm_fire_key(struct cm_key *key, u32 filter, bool here,
			bool master_only, NTSTATUS status,
			struct list_head *fired)
{
	struct cm_nblock *b, *btmp;
	struct cm_watch *w, *tmp;

	/*
	 * A post has at most one part on one key (cm_notify() never puts the
	 * master and the slave on the same key): firing one takes nothing
	 * else off the lists walked here, and the block walked is kept until
	 * its walk is over.
	 */
	list_for_each_entry_safe(b, btmp, &key->notify, node) {
		if (!(here || b->tree) || !cm_matches(filter, b->filter))
			continue;
		list_for_each_entry_safe(w, tmp, &b->posts, node)
			cm_fire(w->n, status, b, fired);
		list_del(&b->node);
		key->nnotify--;
		cm_nblock_free(b);
	}
	if (master_only)
		return;
	list_for_each_entry_safe(w, tmp, &key->slaves, node) {
		if ((here || w->n->tree) && cm_matches(filter, w->n->filter))
			cm_fire(w->n, status, NULL, fired);
	}
}

void cm_report(struct cm_key *key, u32 filter, struct list_head *fired)
{
	struct cm_key *k;

	lockdep_assert_held_write(&cm_lock);
	cm_fire_key(key, filter, true, false, STATUS_NOTIFY_ENUM_DIR, fired);
	for (k = key->parent; k; k = k->parent)
		if (k->nnotify)
			cm_fire_key(k, filter, false, false,
				    STATUS_NOTIFY_ENUM_DIR, fired);
}

/*
 * @key is deleted (@closed false) or its last handle closed: its posts
 * end with STATUS_NOTIFY_CLEANUP, and its blocks with them. A slave
 * key's handles are not the post's: their close leaves it pending.
 */
void cm_report_cleanup(struct cm_key *key, bool closed,
		       struct list_head *fired)
{
	lockdep_assert_held_write(&cm_lock);
	cm_fire_key(key, CM_NOTIFY_ANY, true, closed, STATUS_NOTIFY_CLEANUP,
		    fired);
}

static void cm_notify_free(struct cm_notify *n)
{
	u32 i;

	for (i = 0; i < n->nw; i++)
		ntob_put(&n->w[i].key->ob);
	if (n->event)
		ntob_put(n->event);
	if (n->kt)
		ntob_put(&n->kt->obj.ob);
	kfree(n->apc);
	if (n->task && !n->sync)
		put_task_struct(n->task);
	kfree(n);
}

/* The key is freed: no post can be pending, each references it. */
void cm_notify_drop(struct cm_key *key)
{
	WARN_ON_ONCE(!list_empty(&key->notify) || !list_empty(&key->slaves));
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

	list_for_each_entry_safe(n, tmp, fired, fired) {
		iosb.Status = n->status;
		iosb.Information = 0;
		/* The thread's own address space, as the I/O manager's APC. */
		access_process_vm(n->task, n->iosb, &iosb, sizeof(iosb),
				  FOLL_WRITE);
		if (n->event)
			cm_set_event(n->event);
		/*
		 * XP queues the completion APC for any non-error status; a
		 * thread that has exited, or a full queue, loses it as a
		 * KeInsertQueueApc that fails does. It was made when the
		 * watch was, so this thread (maybe another user's) neither
		 * allocates nor is charged for it, and memory cannot lose it.
		 */
		if (n->kt) {
			ntke_insert_user_apc(n->kt, n->apc, n->iosb, 0);
			n->apc = NULL;
		}
		list_del(&n->fired);
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

/*
 * Put @n's parts on their keys, or fail with nothing listed: the master
 * part on its handle's block (made from *@spare if it has none yet, whose
 * filter and WatchTree it then takes), the slave part on the slave key.
 */
static NTSTATUS cm_watch_keys(struct cm_notify *n, HANDLE h,
			      struct cm_nblock **spare)
{
	struct cm_key *key = n->w[0].key, *slave = n->nw > 1 ? n->w[1].key : NULL;
	struct pid *tgid = task_tgid(current);
	struct cm_nblock *b;

	lockdep_assert_held_write(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags) ||
	    (slave && test_bit(CM_KEY_DELETED, &slave->flags)))
		return STATUS_KEY_DELETED;
	/*
	 * The handle was closed under us: its last close's cleanup may have
	 * run already and would never see this post.
	 */
	if (!atomic_read(&key->ob.handle_count))
		return STATUS_INVALID_HANDLE;
	list_for_each_entry(b, &key->notify, node)
		if (b->tgid == tgid && b->h == h)
			goto found;
	if (key->nnotify >= CM_MAX_NOTIFY)
		return STATUS_INSUFFICIENT_RESOURCES;
	b = *spare;
	*spare = NULL;
	INIT_LIST_HEAD(&b->posts);
	b->tgid = get_pid(tgid);
	b->h = h;
	b->filter = n->filter;
	b->tree = n->tree;
	list_add_tail(&b->node, &key->notify);
	key->nnotify++;
found:
	if (b->nposts >= CM_MAX_NOTIFY ||
	    (slave && slave->nnotify >= CM_MAX_NOTIFY))
		return STATUS_INSUFFICIENT_RESOURCES;
	n->filter = b->filter;
	n->tree = b->tree;
	n->w[0].b = b;
	list_add_tail(&n->w[0].node, &b->posts);
	b->nposts++;
	if (slave) {
		list_add_tail(&n->w[1].node, &slave->slaves);
		slave->nnotify++;
	}
	return STATUS_PENDING;
}

/* The synchronous form: wait alertably for the watch, in this thread. */
static NTSTATUS cm_notify_wait(struct cm_notify *n, struct ntke_apc *apc,
			       IO_STATUS_BLOCK __user *IoStatusBlock)
{
	struct ntke_timeout t = { .infinite = true };
	struct ntke_thread *kt = ntke_thread_current();
	bool armed = false, fired;
	NTSTATUS st;
	int done;

	if (kt && atomic_read(&n->done) == -1)
		armed = ntke_alert_arm(kt, &n->done);
	/* @done decides, whatever woke us. */
	ntke_schedule(&n->done, &t);
	if (armed)
		ntke_alert_disarm(kt);
	down_write(&cm_lock);
	fired = list_empty(&n->w[0].node) &&
		(n->nw < 2 || list_empty(&n->w[1].node));
	if (!fired)
		cm_unwatch(n, NULL);
	up_write(&cm_lock);
	done = atomic_read(&n->done);
	if (fired) {
		st = n->status;
	} else if (done == NTKE_Q_ALERTED) {
		st = STATUS_ALERTED;
	} else if (done == NTKE_Q_USER_APC) {
		st = STATUS_USER_APC;
		/* the APC runs first; the call then returns STATUS_USER_APC */
		ntke_deliver_user_apc(kt, st);
	} else {
		st = STATUS_USER_APC;	/* a Linux signal */
	}
	if (fired) {
		NTSTATUS st2 = nt_put_iosb(IoStatusBlock, st, 0);

		if (n->event)
			cm_set_event(n->event);
		if (!NT_SUCCESS(st2))
			st = st2;
		ntke_io_apc_complete(apc, st, IoStatusBlock);
	} else {
		ntke_io_apc_complete(apc, STATUS_CANCELLED, NULL);
	}
	return st;
}

static NTSTATUS cm_notify(HANDLE KeyHandle,
			  const OBJECT_ATTRIBUTES __user *SlaveObject,
			  HANDLE Event, void __user *ApcRoutine,
			  void __user *ApcContext,
			  IO_STATUS_BLOCK __user *IoStatusBlock,
			  ULONG CompletionFilter, BOOLEAN WatchTree,
			  BOOLEAN Asynchronous)
{
	struct ntke_apc *apc = NULL;
	struct cm_nblock *spare;
	struct cm_notify *n;
	struct cm_key *key;
	NTSTATUS st;
	u32 i;

	if (CompletionFilter & ~REG_LEGAL_CHANGE_FILTER)
		return STATUS_INVALID_PARAMETER;
	if (nt_probe_out(IoStatusBlock, sizeof(*IoStatusBlock)))
		return STATUS_ACCESS_VIOLATION;
	n = kzalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
	spare = kzalloc(sizeof(*spare), GFP_KERNEL_ACCOUNT);
	if (!n || !spare) {
		kfree(n);
		kfree(spare);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	for (i = 0; i < ARRAY_SIZE(n->w); i++) {
		INIT_LIST_HEAD(&n->w[i].node);
		n->w[i].n = n;
	}
	INIT_LIST_HEAD(&n->fired);
	n->filter = CompletionFilter;
	n->tree = !!WatchTree;
	n->sync = !Asynchronous;
	n->iosb = (u32)(unsigned long)IoStatusBlock;
	atomic_set(&n->done, -1);
	n->task = current;
	if (!n->sync)
		get_task_struct(current);
	if (Event) {
		st = ntob_ref_by_handle(Event, EVENT_MODIFY_STATE, &ntke_event_type,
					&n->event);
		if (!NT_SUCCESS(st))
			goto fail;
	}
	st = cm_ref_key(KeyHandle, KEY_NOTIFY, &key);
	if (!NT_SUCCESS(st))
		goto fail;
	n->w[0].key = key;
	n->nw = 1;
	if (SlaveObject) {
		st = cm_open_key_oa(SlaveObject, KEY_NOTIFY, &key);
		if (!NT_SUCCESS(st))
			goto fail;
		if (key == n->w[0].key)
			ntob_put(&key->ob);	/* one key: one part */
		else
			n->w[n->nw++].key = key;
	}
	if (ApcRoutine && n->sync) {
		st = ntke_io_apc_prepare(ApcRoutine, ApcContext, &apc);
		if (!NT_SUCCESS(st))
			goto fail;
	} else if (ApcRoutine) {
		n->kt = ntke_thread_current();
		if (!n->kt) {
			st = STATUS_INSUFFICIENT_RESOURCES;
			goto fail;
		}
		ntob_get(&n->kt->obj.ob);
		st = ntke_io_apc_prepare(ApcRoutine, ApcContext, &n->apc);
		if (!NT_SUCCESS(st))
			goto fail;
	}
	if (n->event)
		cm_reset_event(n->event);
	down_write(&cm_lock);
	st = cm_watch_keys(n, KeyHandle, &spare);
	up_write(&cm_lock);
	kfree(spare);		/* the handle had its block already */
	spare = NULL;
	if (st != STATUS_PENDING) {
		ntke_io_apc_complete(apc, st, NULL);
		goto fail;
	}
	if (!n->sync)
		return STATUS_PENDING;	/* the watch is its keys' now */
	st = cm_notify_wait(n, apc, IoStatusBlock);
fail:
	kfree(spare);
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
	return cm_notify(KeyHandle, NULL, Event, ApcRoutine, ApcContext,
			 IoStatusBlock, CompletionFilter, WatchTree,
			 Asynchronous);
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
	if (Count && !SlaveObjects)
		return STATUS_ACCESS_VIOLATION;
	return cm_notify(MasterKeyHandle, Count ? SlaveObjects : NULL, Event,
			 ApcRoutine, ApcContext, IoStatusBlock,
			 CompletionFilter, WatchTree, Asynchronous);
}
