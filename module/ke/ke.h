/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dispatcher objects and waits (ntsync's shape, NT's objects): events,
 * mutants, semaphores, timers, threads and processes share struct
 * ntke_obj; waits
 * queue a struct ntke_q on each object and sleep in one helper.
 *
 * Lock order: ntke_wait_all_lock -> ntke_obj.lock (several only under the
 * wait-all lock, spin_lock_nest_lock) -> ntke_thread.lock. All spinlocks,
 * never taken from interrupts (timers signal from a work item), so every
 * operation also works in the atomic thread-exit hook.
 */
#ifndef NTKE_KE_H
#define NTKE_KE_H

#include <linux/ktime.h>
#include <linux/spinlock.h>
#include "ob/ob.h"

struct nt_thread;
struct ntke_thread;

enum ntke_kind {
	NTKE_EVENT,
	NTKE_MUTANT,
	NTKE_SEMAPHORE,
	NTKE_TIMER,
	NTKE_THREAD,
	NTKE_PROCESS,
};

/*
 * A waitable object. @lock guards @u and @any_waiters; @all_waiters is
 * guarded by ntke_wait_all_lock; @all_hint counts wait-all waiters queued
 * here (written under ntke_wait_all_lock), telling single-object
 * operations to take that lock too. @kind never changes.
 */
struct ntke_obj {
	struct ntob_object ob;
	enum ntke_kind kind;
	spinlock_t lock;		/* guards u, any_waiters */
	atomic_t all_hint;
	struct list_head any_waiters;
	struct list_head all_waiters;
	union {
		struct {
			u32 count;
			u32 max;
		} sem;
		struct {
			u32 count;			/* recursion; 0 = free */
			struct ntke_thread *owner;	/* NULL when free */
			bool abandoned;
			struct list_head owner_node;	/* owner->mutants, owner->lock */
		} mutant;
		struct {
			bool manual;	/* notification event/timer */
			bool signaled;
		} event;		/* events and timers */
		struct {
			bool exited;
		} thread;		/* threads and processes */
	} u;
};

/*
 * A user APC waiting for its thread (ke/apc.c). A timer's is part of the
 * timer and is queued at most once at a time (@inserted, under the
 * thread object's lock), as XP reuses a timer's KAPC.
 */
struct ntke_apc {
	struct list_head node;
	u32 routine;			/* user addresses and words, as queued */
	u32 context;
	u32 arg1;
	u32 arg2;
	bool embedded;			/* a timer's: never freed from the queue */
	bool inserted;			/* embedded: on a thread's queue now */
};

/*
 * The NT thread object of one Linux thread, made on first need and pinned
 * by that thread until it exits. @lock guards @alerted, @alert_target,
 * @alert_task, @mutants (owned mutants, in acquisition order), @apcs and
 * @apc_count.
 */
struct ntke_thread {
	struct ntke_obj obj;
	spinlock_t lock;		/* guards alert state, mutants, APCs */
	bool alerted;
	bool exited_apcs;		/* the thread is gone: no more APCs */
	struct list_head apcs;		/* user APCs, oldest first */
	u32 apc_count;
	atomic_t *alert_target;		/* the alertable wait in progress */
	struct task_struct *alert_task;
	struct list_head mutants;
	struct pid *pid;		/* the thread's, referenced: never a raw tid */
	/* set by ps at the thread's exit, before u.thread.exited */
	NTSTATUS exit_status;
	struct pid *tgid;		/* its process, referenced */
};

/*
 * The dispatcher header of an NT process (XP's KPROCESS.Header): one per
 * attached process, referenced by the process (ps/) and by the handle
 * objects that reach it; signaled once, when the process's last thread
 * exits, after @exit_status is set (ntke_process_exit()). Never in a
 * handle table itself: a Process handle's object leads here through its
 * type's wait_object (ob/ob.h).
 */
struct ntke_process {
	struct ntke_obj obj;
	NTSTATUS exit_status;		/* final once u.thread.exited is set */
};

/* A deadline converted once from NT's 100 ns units. */
struct ntke_timeout {
	bool infinite;
	bool poll;
	clockid_t clock;
	ktime_t deadline;
};

/* A wait's result slot: -1 = not yet; else an entry index or below. */
#define NTKE_Q_ALERTED	0x7ffffff0
#define NTKE_Q_USER_APC	0x7ffffff1	/* an alertable wait ended by an APC */

/*
 * ke/apc.c: user APCs. Queue one for @kt's thread (it runs in an alertable
 * wait or at NtTestAlert, through the process's KiUserApcDispatcher);
 * deliver the oldest pending one to current on its way out of the NT call
 * that returns @status (the CONTEXT it resumes carries it in Eax).
 */
NTSTATUS ntke_queue_user_apc(struct ntke_thread *kt, u32 routine, u32 context,
			     u32 arg1, u32 arg2);
NTSTATUS ntke_insert_user_apc(struct ntke_thread *kt, struct ntke_apc *apc,
			      u32 arg1, u32 arg2);
bool ntke_deliver_user_apc(struct ntke_thread *kt, NTSTATUS status);
void ntke_apcs_free(struct ntke_thread *kt);
/*
 * I/O completion APCs: made (or NULL without @routine) before the I/O
 * starts, queued to the caller by its completion unless the status is an
 * error (XP's IopCompleteRequest), freed otherwise.
 */
NTSTATUS ntke_io_apc_prepare(const void __user *routine,
			     const void __user *context, struct ntke_apc **out);
void ntke_io_apc_complete(struct ntke_apc *apc, NTSTATUS status,
			  const void __user *iosb);
/* An embedded APC onto @kt's queue unless already there; and off again. */
void ntke_insert_embedded_apc(struct ntke_thread *kt, struct ntke_apc *apc,
			      u32 arg1, u32 arg2);
void ntke_remove_embedded_apc(struct ntke_thread *kt, struct ntke_apc *apc);

extern spinlock_t ntke_wait_all_lock;

void ntke_obj_init(struct ntke_obj *obj, const struct ntob_type *type,
		   enum ntke_kind kind);
bool ntke_lock_obj(struct ntke_obj *obj) __acquires(&obj->lock);
void ntke_unlock_obj(struct ntke_obj *obj, bool all) __releases(&obj->lock);
/* After a state change: wake what can be woken; @obj locked as returned. */
void ntke_wake(struct ntke_obj *obj, bool all);

static inline struct ntke_obj *to_ntke(struct ntob_object *ob)
{
	return container_of(ob, struct ntke_obj, ob);
}

/* NT timeout (NULL = infinite; <0 relative, >0 absolute since 1601). */
NTSTATUS ntke_get_timeout(const LARGE_INTEGER __user *nt, struct ntke_timeout *t);
void ntke_timeout_from_nt(s64 nt, struct ntke_timeout *t);
/*
 * Sleep until *@signaled leaves -1, the deadline passes or a signal comes:
 * 0, -ETIMEDOUT or -ERESTARTSYS. The one place where NT waits sleep.
 */
int ntke_schedule(atomic_t *signaled, const struct ntke_timeout *t);

/*
 * For NtDelayExecution (ps/ or dispatch): sleep until the NT interval
 * passes. STATUS_SUCCESS, STATUS_ALERTED (alertable and alerted) or
 * STATUS_USER_APC (a Linux signal).
 */
NTSTATUS ntke_delay(const struct ntke_timeout *t, bool alertable);
/*
 * NtDelayExecution in one call, for whoever owns that service: captures
 * @interval (relative < 0, absolute > 0 since 1601, 0 = just yield the
 * remaining wait; NULL is STATUS_ACCESS_VIOLATION as on Windows) and
 * sleeps with ntke_delay().
 */
NTSTATUS ntke_delay_execution(bool alertable, const LARGE_INTEGER __user *interval);

/* thread.c */
struct ntke_thread *ntke_thread_current(void);
struct ntke_thread *ntke_thread_alloc(void);
/* NtAlertThread's alert: ends an alertable wait, or is kept for the next */
void ntke_alert(struct ntke_thread *kt);
void ntke_thread_exit(struct nt_thread *t);
extern const struct ntob_type ntke_thread_type;
/*
 * Process dispatcher headers. ntke_process_exit() sets the status and
 * wakes the waiters, once (the first call wins); atomic context is fine.
 * ntke_exited() reads a thread or process object's state and, for a
 * process, its status. ntke_set_exited() signals a thread object made
 * for a thread that is already gone.
 */
extern const struct ntob_type ntke_process_type;
struct ntke_process *ntke_process_alloc(void);
void ntke_process_exit(struct ntke_process *kp, NTSTATUS status);
bool ntke_exited(struct ntke_obj *obj, NTSTATUS *status);
void ntke_set_exited(struct ntke_obj *obj);
/* Alertable waits register here; false if an alert was pending (consumed). */
bool ntke_alert_arm(struct ntke_thread *kt, atomic_t *target);
void ntke_alert_disarm(struct ntke_thread *kt);
/* Mutant ownership bookkeeping; mutant lock held. */
void ntke_mutant_acquired(struct ntke_obj *m, struct ntke_thread *kt);
void ntke_mutant_released(struct ntke_obj *m);

/* Signal halves of NtSignalAndWaitForSingleObject; object unlocked. */
extern const struct ntob_type ntke_event_type, ntke_mutant_type,
	ntke_semaphore_type, ntke_timer_type, ntke_keyed_event_type;
NTSTATUS ntke_event_set(struct ntke_obj *ev, LONG *prev);
NTSTATUS ntke_mutant_release(struct ntke_obj *m, struct ntke_thread *kt, LONG *prev);
NTSTATUS ntke_semaphore_release(struct ntke_obj *s, LONG count, LONG *prev);

/* Fixed-size information classes: class, length and copy-out checks. */
NTSTATUS ntke_query_out(u32 class, u32 want, void __user *info, ULONG len,
			ULONG __user *ret, const void *src, u32 size);

#endif /* NTKE_KE_H */
