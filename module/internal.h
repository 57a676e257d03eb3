/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by the whole module: the NT process and thread that back an
 * attached Linux thread group, and the hooks each subsystem provides.
 */
#ifndef NTP_INTERNAL_H
#define NTP_INTERNAL_H

#include <linux/kref.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <linux/list.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "ntpersonality.h"
#include "ob/ob_process.h"
#include "ex/state.h"
#include "mm/state.h"
#include "io/state.h"
#include "ps/state.h"

#define NTP_VERSION "0.1"

/*
 * One per attached thread group. Owned by its threads (one reference each)
 * and by anything that must outlive them (a deferred teardown).
 *
 * @lock guards @threads.
 */
struct nt_process {
	struct kref ref;
	pid_t tgid;
	spinlock_t lock;		/* guards threads */
	struct list_head threads;
	struct work_struct teardown;
	const struct cred *cred;	/* the teardown runs with these (process.c) */
	bool kuser_ref;			/* holds a SharedUserData clock user */
	struct ntob_process ob;		/* handle table (ob/handle.c) */
	struct ntex_process ex;		/* ex: timer resolution request */
	struct ntmm_process mm;		/* mm: NT virtual memory regions */
	struct ntio_process io;		/* io: the \??\C:\ root (io/path.c) */
	struct ntps_env env;		/* ps: PEB and TEB pages (ps/teb.c) */
	struct ntke_process *ke;	/* its dispatcher header (ke/thread.c) */
};

/*
 * One per Linux thread known to the module. Lives in the task's preempt
 * notifier list, which is how the running task finds its own NT state
 * without a lookup and how the sysenter hook follows the task across CPUs.
 * Only the task itself adds or removes it (or its parent before it first
 * runs), so the list needs no lock.
 */
struct nt_thread {
	struct preempt_notifier pn;
	struct task_struct *task;
	struct nt_process *proc;	/* NULL while only an exec attach is pending */
	struct list_head node;		/* in proc->threads */
	pid_t tid;			/* key in the thread index */
	unsigned long flags;
	refcount_t users;		/* the task's registration + a queued setup */
	struct callback_head work;	/* deferred attach (exec) or fork setup */
	struct rcu_head rcu;
	struct rcu_head work_rcu;
	struct ntke_thread *ke;		/* NT thread object, made lazily (ke/thread.c) */
	struct file *exec_c_root;	/* NTP_ATTACH_C_ROOT of a pending exec attach */
	struct file *exec_replace;	/* the exec that replaces proc (ps/binfmt.c) */
	u32 teb;			/* user address of its TEB, 0 = none yet */
	u32 peb;			/* its process's PEB, for lock-free queries */
	/*
	 * ps/thread.c: NT suspension and control. @ctl_lock guards the
	 * fields below; @ctl_wq is woken at each change of them.
	 */
	spinlock_t ctl_lock;
	u8 suspend_count;		/* NtSuspendThread's count */
	bool parked;			/* asleep before user mode, frame stable */
	bool park_queued;		/* a park work is on its way */
	bool kill;			/* ended by another thread */
	bool ke_closed;			/* exiting: t->ke is not to be taken */
	NTSTATUS kill_status;
	wait_queue_head_t ctl_wq;
	struct ntps_start *start;	/* NtCreateThread's, until it starts */
	struct ntps_husk *husk;		/* NtCreateProcess's child (ps/create.c) */
	struct nt_exception_frame *exc_frame;	/* nt_thread_exc_frame() */
	/*
	 * ps/info.c: what NtSetInformationThread set, for the queries.
	 * @nt_priority/@nt_base hold while the nice value is still @nt_nice
	 * (0 priority: never set); under @ctl_lock.
	 */
	u8 nt_priority;
	s8 nt_base;
	s8 nt_nice;
	u8 ideal_cpu;
	bool disable_boost;
	bool hide_from_debugger;
	u32 win32_start;		/* ThreadQuerySetWin32StartAddress */
	bool in_nt_wait;		/* ke/: asleep in an NT wait (see nt_park_hook) */
};

#define NT_THREAD_EXEC_PENDING	0	/* attach at the next execve */
#define NT_THREAD_FORKED	1	/* new process: finish setup in the child */
#define NT_THREAD_RELEASED	2	/* the task let go; a queued setup is moot */
#define NT_THREAD_NEW		3	/* new thread of a process: make its TEB */
#define NT_THREAD_EXC_FATAL	4	/* dying of an unhandled exception */

/*
 * module/current.c: the running task's NT state, for every layer.
 *
 * Inline, because every NT call asks twice (the entry's check and the
 * service's own). The thread's preempt notifier keeps a per-CPU pointer
 * to the NT thread of the task running there: its sched_in sets it, its
 * sched_out clears it, and nt_thread_register()/nt_thread_unregister()
 * set and clear it when the task adds or removes its own notifier. A
 * task without one is switched in after a sched_out that cleared it, so
 * the pointer is the running task's thread or NULL on every CPU, at every
 * instant the task can look. One per-CPU load, with no walk of the
 * notifier list; the value stays right if the task migrates after the
 * load, since it is the task's own. The notifier list is the kernel's,
 * the ops are ours: nothing a user does can make a foreign pointer here.
 */
DECLARE_PER_CPU(struct nt_thread *, nt_current_thread);
extern struct preempt_ops nt_preempt_ops;
void nt_thread_register(struct nt_thread *t);
void nt_thread_unregister(struct nt_thread *t);

static __always_inline struct nt_thread *nt_thread_current(void)
{
	return this_cpu_read(nt_current_thread);
}

/* NULL for a task not (or not yet: a forked child's setup) attached */
static __always_inline struct nt_process *nt_process_current(void)
{
	struct nt_thread *t = nt_thread_current();

	/*
	 * FORKED is set before the task first runs and cleared by the task
	 * itself (ps/process.c), so this read of its own thread cannot race
	 * with a change of that bit; others may change under it, unread. A
	 * plain read lets the compiler test the bit in memory (test_bit()
	 * and READ_ONCE() are volatile loads into a register first).
	 */
	if (!t || data_race(t->flags & BIT(NT_THREAD_FORKED)))
		return NULL;
	return t->proc;
}

struct nt_exception_frame *nt_thread_exc_frame(void);
/*
 * NT suspension of a thread asleep in an NT wait (ke/): ps/ sets this to
 * its park, which the wait calls when the thread's suspend count is up,
 * as XP's suspend APC interrupts a wait; the wait goes on after it.
 */
extern void (*nt_park_hook)(struct nt_thread *t);

/* module/ps/process.c */
int ntps_init(void);
void ntps_exit(void);
int ntps_attach_current(u32 flags, int c_root_fd);
void ntps_exec_replace_on(struct nt_thread *t, struct file *file);
int ntps_detach_current(void);
/* ps/teb.c: NTP_IOC_SET_IMAGE for the calling process; 0 or -errno */
int ntps_set_image(const struct ntp_image *img);
int ntps_query(pid_t pid, u32 *state, pid_t *tgid);
u32 ntps_teb_of(struct task_struct *task);
u32 ntps_peb_of(struct task_struct *task);
void nt_process_put(struct nt_process *proc);

/* module/lookup.c: symbols the kernel does not export */
int nt_lookup_init(void);
unsigned long nt_lookup(const char *name);

#endif /* NTP_INTERNAL_H */
