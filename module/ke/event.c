// SPDX-License-Identifier: GPL-2.0
/*
 * Event objects, notification (manual reset) and synchronization (auto
 * reset): NtCreateEvent, NtOpenEvent, NtSetEvent, NtResetEvent,
 * NtClearEvent, NtPulseEvent, NtQueryEvent, NtSetEventBoostPriority.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include "ke/ke.h"

const struct ntob_type ntke_event_type = {
	.name = "Event",
	.index = NTOB_TYPE_EVENT,
	.valid_access = EVENT_ALL_ACCESS,
	.mapping = {
		READ_CONTROL | EVENT_QUERY_STATE,
		READ_CONTROL | EVENT_MODIFY_STATE,
		READ_CONTROL | SYNCHRONIZE,
		EVENT_ALL_ACCESS,
	},
};

enum ntke_event_op { NTKE_SET, NTKE_RESET, NTKE_PULSE };

/* The state change proper: returns the previous state. */
static LONG ntke_event_state(struct ntke_obj *ev, enum ntke_event_op op,
			     bool all)
{
	LONG prev = ev->u.event.signaled;

	lockdep_assert_held(&ev->lock);
	switch (op) {
	case NTKE_SET:
		ev->u.event.signaled = true;
		ntke_wake(ev, all);
		break;
	case NTKE_PULSE:
		ev->u.event.signaled = true;
		ntke_wake(ev, all);
		ev->u.event.signaled = false;
		break;
	case NTKE_RESET:
		ev->u.event.signaled = false;
		break;
	}
	return prev;
}

static LONG ntke_event_op(struct ntke_obj *ev, enum ntke_event_op op)
{
	bool all = ntke_lock_obj(ev);
	LONG prev = ntke_event_state(ev, op, all);

	ntke_unlock_obj(ev, all);
	return prev;
}

NTSTATUS ntke_event_set(struct ntke_obj *ev, LONG *prev)
{
	*prev = ntke_event_op(ev, NTKE_SET);
	return STATUS_SUCCESS;
}

NTSTATUS NtCreateEvent(HANDLE __user *EventHandle, ACCESS_MASK DesiredAccess,
		       const OBJECT_ATTRIBUTES __user *ObjectAttributes,
		       EVENT_TYPE EventType, BOOLEAN InitialState)
{
	struct ntke_obj *ev;
	struct nt_oa oa;
	NTSTATUS st;

	st = ntob_begin_create(EventHandle, ObjectAttributes, &oa);
	if (!NT_SUCCESS(st))
		goto out;
	if (EventType != NotificationEvent && EventType != SynchronizationEvent) {
		st = STATUS_INVALID_PARAMETER;
		goto out;
	}
	ev = kzalloc(sizeof(*ev), GFP_KERNEL_ACCOUNT);
	if (!ev) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	ntke_obj_init(ev, &ntke_event_type, NTKE_EVENT);
	ev->u.event.manual = EventType == NotificationEvent;
	ev->u.event.signaled = !!InitialState;
	st = ntob_insert(&ev->ob, &oa, DesiredAccess, EventHandle);
out:
	nt_release_oa(&oa);
	return st;
}

NTSTATUS NtOpenEvent(HANDLE __user *EventHandle, ACCESS_MASK DesiredAccess,
		     const OBJECT_ATTRIBUTES __user *ObjectAttributes)
{
	return ntob_open_service(EventHandle, DesiredAccess, ObjectAttributes,
				 &ntke_event_type);
}

/* Reference, operate, write the previous state if asked for. */
static NTSTATUS ntke_event_service(HANDLE h, enum ntke_event_op op,
				   LONG __user *prev_state)
{
	struct ntob_object *obj;
	NTSTATUS st;
	LONG prev;

	st = ntob_ref_by_handle(h, EVENT_MODIFY_STATE, &ntke_event_type, &obj);
	if (!NT_SUCCESS(st))
		return st;
	prev = ntke_event_op(to_ntke(obj), op);
	ntob_put(obj);
	if (prev_state)
		st = nt_put_u32(prev_state, prev);
	return st;
}

NTSTATUS NtSetEvent(HANDLE EventHandle, LONG __user *PreviousState)
{
	return ntke_event_service(EventHandle, NTKE_SET, PreviousState);
}

NTSTATUS NtSetEventBoostPriority(HANDLE EventHandle)
{
	return ntke_event_service(EventHandle, NTKE_SET, NULL);
}

NTSTATUS NtResetEvent(HANDLE EventHandle, LONG __user *PreviousState)
{
	return ntke_event_service(EventHandle, NTKE_RESET, PreviousState);
}

NTSTATUS NtClearEvent(HANDLE EventHandle)
{
	return ntke_event_service(EventHandle, NTKE_RESET, NULL);
}

NTSTATUS NtPulseEvent(HANDLE EventHandle, LONG __user *PreviousState)
{
	return ntke_event_service(EventHandle, NTKE_PULSE, PreviousState);
}

NTSTATUS NtQueryEvent(HANDLE EventHandle, EVENT_INFORMATION_CLASS EventInformationClass,
		      void __user *EventInformation, ULONG EventInformationLength,
		      ULONG __user *ReturnLength)
{
	EVENT_BASIC_INFORMATION info;
	struct ntob_object *obj;
	struct ntke_obj *ev;
	NTSTATUS st;

	st = ntob_ref_by_handle(EventHandle, EVENT_QUERY_STATE, &ntke_event_type,
				&obj);
	if (!NT_SUCCESS(st))
		return st;
	ev = to_ntke(obj);
	spin_lock(&ev->lock);
	info.EventType = ev->u.event.manual ? NotificationEvent : SynchronizationEvent;
	info.EventState = ev->u.event.signaled;
	spin_unlock(&ev->lock);
	ntob_put(obj);
	return ntke_query_out(EventInformationClass, 0, EventInformation,
			      EventInformationLength, ReturnLength, &info,
			      sizeof(info));
}
