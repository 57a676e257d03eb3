// SPDX-License-Identifier: GPL-2.0
/*
 * Timer objects: NtCreateTimer, NtOpenTimer, NtSetTimer, NtCancelTimer,
 * NtQueryTimer. A notification timer stays signaled until set again; a
 * synchronization timer releases one waiter. Expiry runs from an hrtimer
 * that queues a work item, which signals through the same wake helpers as
 * NtSetEvent (no object lock is ever taken in interrupt context).
 * A TimerApcRoutine runs in the thread that set the timer, as a user APC
 * (ke/apc.c) queued at each expiry unless the last one is still waiting:
 * routine(TimerContext, low and high half of the system time it fired).
 * Cancelling or setting the timer again takes a waiting one back, as
 * XP's KeRemoveQueueApc.
 *
 * Bounds (issue 12): a running timer costs CPU on system_highpri_wq that
 * nobody is charged for, so it must not outlive what holds it. A timer
 * stops when its last handle is closed (process exit closes them all),
 * unless it is permanent, which only CAP_SYS_ADMIN can make (ob/). So the
 * timers a user keeps running are bounded by the handles the user holds,
 * and each one is memcg-charged (GFP_KERNEL_ACCOUNT). debugfs
 * ob/objects "ArmedTimer" counts the running ones.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "ke/ke.h"

/*
 * @obj.u.event holds the state (manual = notification timer), @active is
 * under @obj.lock. @set_lock serializes NtSetTimer/NtCancelTimer, which
 * sleep while cancelling; @hrt, @work, @period and @due belong to it.
 */
struct ntke_timer {
	struct ntke_obj obj;
	struct mutex set_lock;		/* serializes set/cancel */
	struct hrtimer hrt;
	struct work_struct work;
	ktime_t period;
	bool active;
	/* the TimerApcRoutine's, set under @set_lock while stopped */
	struct ntke_thread *apc_thread;	/* referenced */
	struct ntke_apc apc;
};

static struct ntke_timer *to_timer(struct ntob_object *ob)
{
	return container_of(ob, struct ntke_timer, obj.ob);
}

static void ntke_timer_stop(struct ntke_timer *tm)
{
	hrtimer_cancel(&tm->hrt);
	cancel_work_sync(&tm->work);
}

/* @active changes here only, under @obj.lock, counted for debugfs. */
static void ntke_timer_set_active(struct ntke_timer *tm, bool active)
{
	lockdep_assert_held(&tm->obj.lock);
	if (tm->active == active)
		return;
	tm->active = active;
	if (active)
		atomic_long_inc(&ntob_armed_timers);
	else
		atomic_long_dec(&ntob_armed_timers);
}

static bool ntke_timer_cancel(struct ntke_timer *tm, bool reset);

/* Stopped timer (@set_lock, or destruction): no APC any more. */
static void ntke_timer_drop_apc(struct ntke_timer *tm)
{
	if (!tm->apc_thread)
		return;
	ntke_remove_embedded_apc(tm->apc_thread, &tm->apc);
	ntob_put(&tm->apc_thread->obj.ob);
	tm->apc_thread = NULL;
}

/*
 * The last handle is gone. A temporary timer loses its name next, so
 * nobody can wait on it or set it again: stop it now (NT deletes it). A
 * permanent one keeps running until NtMakeTemporaryObject, as on NT.
 */
static void ntke_timer_close(struct ntob_object *ob)
{
	struct ntke_timer *tm = to_timer(ob);

	if (test_bit(NTOB_PERMANENT, &ob->flags))
		return;
	mutex_lock(&tm->set_lock);
	ntke_timer_cancel(tm, false);
	ntke_timer_drop_apc(tm);
	mutex_unlock(&tm->set_lock);
}

static void ntke_timer_destroy(struct ntob_object *ob)
{
	struct ntke_timer *tm = to_timer(ob);

	ntke_timer_stop(tm);
	ntke_timer_drop_apc(tm);
	if (tm->active)
		atomic_long_dec(&ntob_armed_timers);
}

const struct ntob_type ntke_timer_type = {
	.name = "Timer",
	.index = NTOB_TYPE_TIMER,
	.valid_access = TIMER_ALL_ACCESS,
	.mapping = {
		READ_CONTROL | TIMER_QUERY_STATE,
		READ_CONTROL | TIMER_MODIFY_STATE,
		READ_CONTROL | SYNCHRONIZE,
		TIMER_ALL_ACCESS,
	},
	.close = ntke_timer_close,
	.destroy = ntke_timer_destroy,
};

static void ntke_timer_work(struct work_struct *work)
{
	struct ntke_timer *tm = container_of(work, struct ntke_timer, work);
	bool all = ntke_lock_obj(&tm->obj);

	tm->obj.u.event.signaled = true;
	if (!tm->period)
		ntke_timer_set_active(tm, false);
	ntke_wake(&tm->obj, all);
	ntke_unlock_obj(&tm->obj, all);
	if (tm->apc_thread) {
		/* NT system time: 100 ns units since 1601 */
		u64 now = div_u64(ktime_get_real_ns(), 100) + 116444736000000000ULL;

		ntke_insert_embedded_apc(tm->apc_thread, &tm->apc, (u32)now,
					 (u32)(now >> 32));
	}
}

static enum hrtimer_restart ntke_timer_fire(struct hrtimer *hrt)
{
	struct ntke_timer *tm = container_of(hrt, struct ntke_timer, hrt);

	queue_work(system_highpri_wq, &tm->work);
	if (!tm->period)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(hrt, tm->period);
	return HRTIMER_RESTART;
}

NTSTATUS NtCreateTimer(HANDLE __user *TimerHandle, ACCESS_MASK DesiredAccess,
		       const OBJECT_ATTRIBUTES __user *ObjectAttributes,
		       TIMER_TYPE TimerType)
{
	struct ntke_timer *tm;
	struct nt_oa oa;
	NTSTATUS st;

	st = ntob_begin_create(TimerHandle, ObjectAttributes, &oa);
	if (!NT_SUCCESS(st))
		goto out;
	if (TimerType != NotificationTimer && TimerType != SynchronizationTimer) {
		st = STATUS_INVALID_PARAMETER_4;
		goto out;
	}
	tm = kzalloc(sizeof(*tm), GFP_KERNEL_ACCOUNT);
	if (!tm) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	BUILD_BUG_ON(offsetof(struct ntke_timer, obj));
	ntke_obj_init(&tm->obj, &ntke_timer_type, NTKE_TIMER);
	tm->obj.u.event.manual = TimerType == NotificationTimer;
	mutex_init(&tm->set_lock);
	hrtimer_init(&tm->hrt, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	tm->hrt.function = ntke_timer_fire;
	INIT_WORK(&tm->work, ntke_timer_work);
	st = ntob_insert(&tm->obj.ob, &oa, DesiredAccess, TimerHandle);
out:
	nt_release_oa(&oa);
	return st;
}

NTSTATUS NtOpenTimer(HANDLE __user *TimerHandle, ACCESS_MASK DesiredAccess,
		     const OBJECT_ATTRIBUTES __user *ObjectAttributes)
{
	return ntob_open_service(TimerHandle, DesiredAccess, ObjectAttributes,
				 &ntke_timer_type);
}

/* Stop @tm; returns whether it was signaled. set_lock held. */
static bool ntke_timer_cancel(struct ntke_timer *tm, bool reset)
{
	bool all, prev;

	lockdep_assert_held(&tm->set_lock);
	ntke_timer_stop(tm);
	all = ntke_lock_obj(&tm->obj);
	prev = tm->obj.u.event.signaled;
	if (reset)
		tm->obj.u.event.signaled = false;
	ntke_timer_set_active(tm, false);
	ntke_unlock_obj(&tm->obj, all);
	return prev;
}

NTSTATUS NtSetTimer(HANDLE TimerHandle, const LARGE_INTEGER __user *DueTime,
		    void __user *TimerApcRoutine, void __user *TimerContext,
		    BOOLEAN ResumeTimer, LONG Period, BOOLEAN __user *PreviousState)
{
	struct ntke_thread *kt = NULL;
	struct ntob_object *obj;
	struct ntke_timeout t;
	struct ntke_timer *tm;
	NTSTATUS st;
	bool prev;
	s64 due;

	if (Period < 0)
		return STATUS_INVALID_PARAMETER_6;
	st = nt_get_large_integer(DueTime, &due);
	if (!NT_SUCCESS(st))
		return st;
	st = ntob_ref_by_handle(TimerHandle, TIMER_MODIFY_STATE, &ntke_timer_type,
				&obj);
	if (!NT_SUCCESS(st))
		return st;
	tm = to_timer(obj);
	if (TimerApcRoutine) {
		kt = ntke_thread_current();
		if (!kt) {
			st = STATUS_INSUFFICIENT_RESOURCES;
			goto out;
		}
	}
	ntke_timeout_from_nt(due, &t);
	mutex_lock(&tm->set_lock);
	prev = ntke_timer_cancel(tm, true);
	ntke_timer_drop_apc(tm);
	if (kt) {
		ntob_get(&kt->obj.ob);
		tm->apc_thread = kt;
		tm->apc.embedded = true;
		tm->apc.routine = (u32)(unsigned long)TimerApcRoutine;
		tm->apc.context = (u32)(unsigned long)TimerContext;
	}
	tm->period = ms_to_ktime(Period);
	if (t.poll) {
		t.clock = CLOCK_MONOTONIC;
		t.deadline = ktime_get();
	}
	if (!t.infinite) {
		spin_lock(&tm->obj.lock);
		ntke_timer_set_active(tm, true);
		spin_unlock(&tm->obj.lock);
		hrtimer_init(&tm->hrt, t.clock, HRTIMER_MODE_ABS);
		tm->hrt.function = ntke_timer_fire;
		hrtimer_start(&tm->hrt, t.deadline, HRTIMER_MODE_ABS);
	}
	mutex_unlock(&tm->set_lock);
	if (PreviousState)
		st = nt_put_u8(PreviousState, prev);
out:
	ntob_put(obj);
	return st;
}

NTSTATUS NtCancelTimer(HANDLE TimerHandle, BOOLEAN __user *CurrentState)
{
	struct ntob_object *obj;
	struct ntke_timer *tm;
	NTSTATUS st;
	bool state;

	st = ntob_ref_by_handle(TimerHandle, TIMER_MODIFY_STATE, &ntke_timer_type,
				&obj);
	if (!NT_SUCCESS(st))
		return st;
	tm = to_timer(obj);
	mutex_lock(&tm->set_lock);
	state = ntke_timer_cancel(tm, false);
	ntke_timer_drop_apc(tm);
	mutex_unlock(&tm->set_lock);
	ntob_put(obj);
	if (CurrentState)
		st = nt_put_u8(CurrentState, state);
	return st;
}

NTSTATUS NtQueryTimer(HANDLE TimerHandle, TIMER_INFORMATION_CLASS TimerInformationClass,
		      void __user *TimerInformation, ULONG TimerInformationLength,
		      ULONG __user *ReturnLength)
{
	TIMER_BASIC_INFORMATION info = {};
	struct ntob_object *obj;
	struct ntke_timer *tm;
	NTSTATUS st;
	bool active;

	st = ntob_ref_by_handle(TimerHandle, TIMER_QUERY_STATE, &ntke_timer_type,
				&obj);
	if (!NT_SUCCESS(st))
		return st;
	tm = to_timer(obj);
	/* set_lock: NtSetTimer re-initializes the hrtimer */
	mutex_lock(&tm->set_lock);
	spin_lock(&tm->obj.lock);
	info.TimerState = tm->obj.u.event.signaled;
	active = tm->active;
	spin_unlock(&tm->obj.lock);
	if (active) {
		s64 left = ktime_to_ns(hrtimer_get_remaining(&tm->hrt)) / 100;

		info.RemainingTime.QuadPart = max_t(s64, 0, left);
	}
	mutex_unlock(&tm->set_lock);
	ntob_put(obj);
	return ntke_query_out(TimerInformationClass, 0, TimerInformation,
			      TimerInformationLength, ReturnLength, &info,
			      sizeof(info));
}
