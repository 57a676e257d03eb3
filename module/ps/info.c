// SPDX-License-Identifier: GPL-2.0
/*
 * Process and thread information services: NtQueryInformationProcess,
 * NtQueryInformationThread, NtOpenProcess, NtOpenThread,
 * NtTerminateProcess, NtTerminateThread; and the process-handle check used
 * by mm/.
 *
 * Any Linux process or thread can be opened by CLIENT_ID (UniqueProcess =
 * tgid, UniqueThread = tid, numbers of the caller's pid namespace) if the
 * caller may ptrace it (read mode for query-only access, attach mode
 * otherwise), so NT programs see every Linux process they could ptrace.
 * The "Process" and "Thread" objects made here hold a struct pid, never a
 * number, and lead a wait (ntob_type.wait_object) to the dispatcher header
 * of what they name: an attached process's (struct ntke_process, signaled
 * by its last thread's exit with the final status, ps/hooks.c) or an
 * attached thread's thread object (the one NtCurrentThread names: one
 * thread object per thread, however it was opened). Taken when the handle
 * is made, or at the first wait; a process or thread that has already
 * ended gets an object signaled from the start. A running Linux process
 * that is not attached gets one signaled by its Linux exit (its pidfd
 * notification, ntps_exit_watch); a running thread of one has none
 * (STATUS_NOT_IMPLEMENTED): Linux tells of a thread's end only to its
 * parent.
 *
 * Cross-process access is checked again at each use, not only at open:
 * a handle outlives execve, and a process that execs a setuid program is
 * no longer what the handle was opened on (CVE-2012-0056, /proc/pid/mem).
 * Each use of another process or thread holds it against exec (the
 * exec_update_lock, as mm_access() does) and asks ptrace_may_access()
 * again, with the caller's credentials of now, in the mode the right
 * being used needs: read for queries, attach for termination. Memory is
 * reached through mm_access() itself (ntps_ref_process_mm). A use that
 * is no longer allowed is STATUS_ACCESS_DENIED; the handle stays, and
 * works again if access comes back. NtDuplicateObject checks a wider
 * access than the source handle's like an open (ntps_may_grant).
 * NtCurrentProcess() is resolved here; NtCurrentThread() and thread
 * handles made by ke (ke/thread.c) are understood too.
 *
 * PebBaseAddress and TebBaseAddress are the attached task's (ps/teb.c);
 * 0 for a Linux process that is not attached. SessionId is 0.
 * ExitStatus is STATUS_PENDING while the process runs (until its last
 * thread is dead, even if the leader ended first) or the thread runs.
 * Then it is the whole NTSTATUS given to NtTerminateProcess /
 * NtTerminateThread, kept past the exit by ps/exit_status.c until the
 * task is freed; a thread ended by NtTerminateProcess has the process's
 * status. Without one (a Linux exit or kill) it is what wait(2) reports:
 * the exit code, or the number of the killing signal.
 *
 * ProcessImageFileName: a UNICODE_STRING followed by the name it points
 * to (NUL-terminated), the whole length or STATUS_INFO_LENGTH_MISMATCH,
 * ReturnLength the size needed either way (ReactOS ntoskrnl/ps/query.c).
 * XP gives a \Device\HarddiskVolumeN\... name; there is no such device
 * here, so the name is the one the caller can open: \??\C:\... when the
 * executable is under the caller's C: root, else \??\unix\... (io/path.c).
 * A process without an executable (exited) has an empty name.
 * get_task_exe_file() is not exported either: nt_lookup finds it.
 *
 * Termination: the whole ExitStatus is recorded first (ps/exit_status.c),
 * then NtTerminateProcess on the caller's own process ends the thread
 * group with its low 8 bits as the Linux exit code (do_group_exit, found
 * with nt_lookup: it is not exported), from the service itself, like
 * exit_group(2). Another process gets SIGKILL (for wait(2) it was "killed
 * by signal 9"); one that is already exiting or dead answers
 * STATUS_PROCESS_IS_TERMINATING and keeps its status: the first one wins,
 * as on Windows. NtTerminateThread on the calling thread ends just that
 * thread (do_exit), or answers STATUS_CANT_TERMINATE_SELF if it is the
 * last one, as Windows does; other threads cannot be ended alone on Linux
 * (STATUS_NOT_IMPLEMENTED). A NULL process handle (ExitProcess's first
 * step: "all other threads") succeeds only when there are no other threads.
 *
 * A Thread handle reaches its thread only while the task is attached to
 * its pid: the leader stays a zombie until the last thread is gone, but
 * Linux reaps any other thread as it ends, so a dead non-leader thread
 * answers STATUS_THREAD_IS_TERMINATING and its kept status goes unread.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/sched/cputime.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_io_accounting_ops.h>
#include "internal.h"
#include "ke/ke.h"
#include "ex/ex.h"
#include "ps/exit_status.h"
#include "ps/ps.h"

#define NTPS_CURRENT_PROCESS	((HANDLE)0xffffffff)
#define NTPS_CURRENT_THREAD	((HANDLE)0xfffffffe)
#define NTPS_PRIORITY_NORMAL	8

struct ntps_exit_watch;

/* A Process or Thread object: a reference to a Linux pid. */
struct ntps_obj {
	struct ntob_object obj;
	struct pid *pid;
	bool husk;	/* NtCreateProcess's: its close may end the process */
	/* the dispatcher header a wait waits on: set once (cmpxchg), referenced */
	struct ntob_object *ke;
	/* a Linux process's exit, watched for ke (set with it), or NULL */
	struct ntps_exit_watch *watch;
};

static void ntps_exit_watch_stop(struct ntps_exit_watch *w);

/* Atomic context is fine: so are both puts (ke/thread.c) and the stop. */
static void ntps_obj_destroy(struct ntob_object *obj)
{
	struct ntps_obj *p = container_of(obj, struct ntps_obj, obj);

	if (p->watch)
		ntps_exit_watch_stop(p->watch);
	if (p->ke)
		ntob_put(p->ke);
	put_pid(p->pid);
}

static NTSTATUS ntps_wait_object(struct ntob_object *obj,
				 struct ntob_object **out);

static NTSTATUS ntps_may_grant(struct ntob_object *obj, ACCESS_MASK access);

static void ntps_process_close(struct ntob_object *obj)
{
	struct ntps_obj *p = container_of(obj, struct ntps_obj, obj);

	if (p->husk)
		ntps_husk_orphan(p->pid);
}

static const struct ntob_type ntps_process_type = {
	.name = "Process",
	.index = NTOB_TYPE_PROCESS,
	.valid_access = PROCESS_ALL_ACCESS,
	.mapping = {
		STANDARD_RIGHTS_READ | PROCESS_VM_READ | PROCESS_QUERY_INFORMATION,
		STANDARD_RIGHTS_WRITE | PROCESS_CREATE_PROCESS |
		PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION | PROCESS_VM_WRITE |
		PROCESS_DUP_HANDLE | PROCESS_SET_QUOTA |
		PROCESS_SET_INFORMATION | PROCESS_SUSPEND_RESUME,
		STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
		PROCESS_ALL_ACCESS,
	},
	.close = ntps_process_close,
	.destroy = ntps_obj_destroy,
	.may_grant = ntps_may_grant,
	.wait_object = ntps_wait_object,
};

static const struct ntob_type ntps_thread_type = {
	.name = "Thread",
	.index = NTOB_TYPE_THREAD,
	.valid_access = THREAD_ALL_ACCESS,
	.mapping = {
		STANDARD_RIGHTS_READ | THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION,
		STANDARD_RIGHTS_WRITE | THREAD_TERMINATE | THREAD_SUSPEND_RESUME |
		THREAD_ALERT | THREAD_SET_CONTEXT | THREAD_SET_INFORMATION,
		STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
		THREAD_ALL_ACCESS,
	},
	.destroy = ntps_obj_destroy,
	.may_grant = ntps_may_grant,
	.wait_object = ntps_wait_object,
};

/* Kernel functions that are not exported, found once. */
static bool (*ntps_ptrace_may_access)(struct task_struct *task,
				      unsigned int mode);
static void (*ntps_do_group_exit)(int code);
static void (*ntps_do_exit)(long code);
static struct file *(*ntps_get_task_exe_file)(struct task_struct *task);
static struct mm_struct *(*ntps_mm_access)(struct task_struct *task,
					   unsigned int mode);

void *ntps_sym(void **slot, const char *name)
{
	void *p = READ_ONCE(*slot);

	if (!p) {
		p = (void *)nt_lookup(name);
		WRITE_ONCE(*slot, p);
	}
	return p;
}

/* -------------------------------------------------------------------- */
/* access checks: at open and at each use */

#define NTPS_QUERY_ONLY	(PROCESS_QUERY_INFORMATION | SYNCHRONIZE | READ_CONTROL | \
			 THREAD_QUERY_INFORMATION)

/* The ptrace mode rights on another process or thread need. */
static unsigned int ntps_ptrace_mode(ACCESS_MASK access)
{
	return (access & ~NTPS_QUERY_ONLY) ? PTRACE_MODE_ATTACH_REALCREDS :
					     PTRACE_MODE_READ_REALCREDS;
}

bool ntps_may_access(struct task_struct *task, unsigned int mode)
{
	bool (*may)(struct task_struct *task, unsigned int mode);

	if (same_thread_group(task, current))
		return true;
	may = ntps_sym((void **)&ntps_ptrace_may_access, "ptrace_may_access");
	return may && may(task, mode);
}

/*
 * A duplicate wider than its source handle: checked as NtOpenProcess /
 * NtOpenThread would check @access now. A task already reaped cannot be
 * checked, so it gets nothing wider.
 */
NTSTATUS ntps_may_grant_pid(struct pid *pid, ACCESS_MASK access)
{
	struct task_struct *task = get_pid_task(pid, PIDTYPE_PID);
	bool ok;

	if (!task)
		return STATUS_ACCESS_DENIED;
	ok = ntps_may_access(task, ntps_ptrace_mode(access));
	put_task_struct(task);
	return ok ? STATUS_SUCCESS : STATUS_ACCESS_DENIED;
}

static NTSTATUS ntps_may_grant(struct ntob_object *obj, ACCESS_MASK access)
{
	return ntps_may_grant_pid(container_of(obj, struct ntps_obj, obj)->pid,
				  access);
}

/*
 * The start of a use of @task through a handle that granted @access:
 * another process is held against exec for the length of the use (its
 * exec_update_lock, read side, as mm_access() holds it) and checked as it
 * is now. Our own process needs neither. ntps_unref() ends the use.
 */
static NTSTATUS ntps_use_begin(struct task_struct *task, ACCESS_MASK access)
{
	int err;

	if (same_thread_group(task, current))
		return STATUS_SUCCESS;
	err = down_read_killable(&task->signal->exec_update_lock);
	if (err)
		return nt_status_from_errno(err);
	if (ntps_may_access(task, ntps_ptrace_mode(access)))
		return STATUS_SUCCESS;
	up_read(&task->signal->exec_update_lock);
	return STATUS_ACCESS_DENIED;
}

/* End a use begun by ntps_ref_process/ntps_ref_thread; drop the task. */
void ntps_unref(struct task_struct *task)
{
	if (!same_thread_group(task, current))
		up_read(&task->signal->exec_update_lock);
	put_task_struct(task);
}

/* The task behind a process handle (its thread-group leader), referenced. */
static NTSTATUS ntps_get_process(HANDLE h, ACCESS_MASK access,
				 struct task_struct **task)
{
	struct ntob_object *obj;
	NTSTATUS status;

	*task = NULL;
	if (h == NTPS_CURRENT_PROCESS) {
		*task = get_task_struct(current->group_leader);
		return STATUS_SUCCESS;
	}
	status = ntob_ref_by_handle(h, access, &ntps_process_type, &obj);
	if (!NT_SUCCESS(status))
		return status;
	*task = get_pid_task(container_of(obj, struct ntps_obj, obj)->pid,
			     PIDTYPE_PID);
	ntob_put(obj);
	return *task ? STATUS_SUCCESS : STATUS_PROCESS_IS_TERMINATING;
}

/*
 * The same, checked for a use of @access (ntps_use_begin): the caller
 * ends the use with ntps_unref().
 */
NTSTATUS ntps_ref_process(HANDLE h, ACCESS_MASK access,
			  struct task_struct **task)
{
	NTSTATUS status = ntps_get_process(h, access, task);

	if (!NT_SUCCESS(status))
		return status;
	status = ntps_use_begin(*task, access);
	if (!NT_SUCCESS(status)) {
		put_task_struct(*task);
		*task = NULL;
	}
	return status;
}

/* The task behind a thread handle (ours or ke's), as ntps_ref_process. */
NTSTATUS ntps_ref_thread(HANDLE h, ACCESS_MASK access,
			 struct task_struct **task)
{
	struct ntob_object *obj;
	ACCESS_MASK granted;
	ULONG attributes;
	NTSTATUS status;

	*task = NULL;
	if (h == NTPS_CURRENT_THREAD) {
		*task = get_task_struct(current);
		return STATUS_SUCCESS;
	}
	/* the type before the rights, as ObReferenceObjectByHandle checks */
	status = ntob_ref_by_handle_info(h, 0, NULL, &obj, &granted, &attributes);
	if (!NT_SUCCESS(status))
		return status;
	if (obj->type != &ntps_thread_type && obj->type != &ntke_thread_type)
		status = STATUS_OBJECT_TYPE_MISMATCH;
	else if ((granted & access) != access)
		status = STATUS_ACCESS_DENIED;
	if (!NT_SUCCESS(status)) {
		ntob_put(obj);
		return status;
	}
	if (obj->type == &ntps_thread_type) {
		*task = get_pid_task(container_of(obj, struct ntps_obj, obj)->pid,
				     PIDTYPE_PID);
	} else if (obj->type == &ntke_thread_type) {
		*task = get_pid_task(container_of(obj, struct ntke_thread,
						  obj.ob)->pid, PIDTYPE_PID);
	} else {
		status = STATUS_OBJECT_TYPE_MISMATCH;
	}
	ntob_put(obj);
	if (NT_SUCCESS(status) && !*task)
		status = STATUS_THREAD_IS_TERMINATING;
	if (NT_SUCCESS(status)) {
		status = ntps_use_begin(*task, access);
		if (!NT_SUCCESS(status)) {
			put_task_struct(*task);
			*task = NULL;
		}
	}
	return status;
}

/*
 * Another process's memory, as /proc/pid/mem and process_vm_writev reach
 * it: mm_access() checks ptrace attach mode against the image the process
 * runs now, under its exec_update_lock, and pins that mm; an exec after
 * this leaves the caller with the old, dying address space, never the new
 * one. *@mm is NULL for the current process.
 */
NTSTATUS ntps_ref_process_mm(HANDLE process, ACCESS_MASK access,
			     struct mm_struct **mm)
{
	struct mm_struct *(*get_mm)(struct task_struct *task, unsigned int mode);
	struct task_struct *task;
	NTSTATUS status;

	*mm = NULL;
	status = ntps_get_process(process, access, &task);
	if (!NT_SUCCESS(status))
		return status;
	if (same_thread_group(task, current))
		goto out;
	get_mm = ntps_sym((void **)&ntps_mm_access, "mm_access");
	if (!get_mm) {
		status = STATUS_NOT_IMPLEMENTED;
		goto out;
	}
	*mm = get_mm(task, PTRACE_MODE_ATTACH_REALCREDS);
	if (IS_ERR(*mm)) {
		status = nt_status_from_errno(PTR_ERR(*mm));
		*mm = NULL;
	} else if (!*mm) {
		status = STATUS_PROCESS_IS_TERMINATING;	/* no address space left */
	}
out:
	put_task_struct(task);
	return status;
}

/*
 * Does @t still hold its own NT process (not a fork's parent's)? The
 * thread's exit sets ke_closed under ctl_lock before it drops its
 * reference to t->proc, so under ctl_lock a true answer means the process
 * cannot go while the caller takes a reference of its own.
 */
static bool ntps_thread_proc_held(struct nt_thread *t)
{
	lockdep_assert_held(&t->ctl_lock);
	return !t->ke_closed && t->proc &&
	       !test_bit(NT_THREAD_FORKED, &t->flags);
}

/*
 * The same for the memory services that change another process's
 * mappings (mm/virtual.c ntmm_run_in): its mm as mm_access() gives it
 * (ptrace attach mode, now) and its NT process, both referenced (mmput(),
 * nt_process_put()). Both NULL for the current process. A Linux process
 * that is not attached has no NT regions to keep: STATUS_NOT_SUPPORTED.
 */
NTSTATUS ntps_ref_process_vm(HANDLE process, ACCESS_MASK access,
			     struct mm_struct **mm, struct nt_process **proc)
{
	struct task_struct *task;
	struct nt_thread *t;
	NTSTATUS status;

	*proc = NULL;
	status = ntps_ref_process_mm(process, access, mm);
	if (!NT_SUCCESS(status) || !*mm)
		return status;
	status = ntps_get_process(process, access, &task);
	if (!NT_SUCCESS(status))
		goto out;
	t = ntps_thread_get(task);
	put_task_struct(task);
	if (t) {
		spin_lock(&t->ctl_lock);
		if (ntps_thread_proc_held(t)) {
			*proc = t->proc;
			kref_get(&(*proc)->ref);
		}
		spin_unlock(&t->ctl_lock);
		ntps_thread_put(t);
	}
	if (!*proc)
		status = STATUS_NOT_SUPPORTED;
out:
	if (!NT_SUCCESS(status)) {
		mmput(*mm);
		*mm = NULL;
	}
	return status;
}

NTSTATUS ntps_check_current_process(HANDLE process)
{
	struct task_struct *task;
	NTSTATUS status;

	status = ntps_get_process(process, 0, &task);
	if (!NT_SUCCESS(status))
		return status;
	if (!same_thread_group(task, current))
		status = STATUS_NOT_IMPLEMENTED;
	put_task_struct(task);
	return status;
}

/* -------------------------------------------------------------------- */
/* queries */

static s64 ntps_boot_time(void)
{
	return ntex_system_time() - ntex_ticks_from_ns(ktime_get_boottime_ns());
}

/* What Linux kept of an exit: the killing signal, else 8 bits. */
static NTSTATUS ntps_linux_exit_code(int code)
{
	return (code & 0x7f) ? (code & 0x7f) : (code >> 8) & 0xff;
}

/*
 * The status of @p's process, the leader of a group that has ended: the
 * one NtTerminateProcess recorded, else the Linux code.
 */
static NTSTATUS ntps_group_status(struct task_struct *p)
{
	NTSTATUS status;

	if (ntps_status_lookup(p, NTPS_STATUS_PROCESS, &status))
		return status;
	/* as wait(2) reports it: the leader may have ended with its own code */
	if (READ_ONCE(p->signal->flags) & SIGNAL_GROUP_EXIT)
		return ntps_linux_exit_code(READ_ONCE(p->signal->group_exit_code));
	return ntps_linux_exit_code(READ_ONCE(p->exit_code));
}

/*
 * A process has exited once its leader is dead and no other thread is
 * left (a leader that ended alone is a zombie while the others run).
 */
static NTSTATUS ntps_exit_status(struct task_struct *p)
{
	if (!p->exit_state || !thread_group_empty(p))
		return STATUS_PENDING;
	return ntps_group_status(p);
}

/*
 * A dead thread: its own NtTerminateThread status, else that of the
 * NtTerminateProcess that ended its process (Windows ends each thread
 * with the process's status), else the Linux code. The leader is looked
 * up only while @t is not released: until then the leader is not
 * released either, so its task_struct (the key) is not a reused one.
 */
static NTSTATUS ntps_thread_exit_status(struct task_struct *t)
{
	NTSTATUS status;
	bool found;

	if (!t->exit_state)
		return STATUS_PENDING;
	if (ntps_status_lookup(t, NTPS_STATUS_THREAD, &status))
		return status;
	rcu_read_lock();
	found = pid_alive(t) &&
		ntps_status_lookup(t->group_leader, NTPS_STATUS_PROCESS, &status);
	rcu_read_unlock();
	return found ? status : ntps_linux_exit_code(READ_ONCE(t->exit_code));
}

/*
 * The status of current, a thread that is exiting (the exit tracepoint:
 * exit_state is not set yet), for its thread object to keep.
 */
NTSTATUS ntps_exiting_thread_status(void)
{
	NTSTATUS status;

	if (ntps_status_lookup(current, NTPS_STATUS_THREAD, &status) ||
	    ntps_status_lookup(current->group_leader, NTPS_STATUS_PROCESS,
			       &status))
		return status;
	if (READ_ONCE(current->signal->flags) & SIGNAL_GROUP_EXIT)
		return ntps_linux_exit_code(READ_ONCE(current->signal->group_exit_code));
	return ntps_linux_exit_code(READ_ONCE(current->exit_code));
}

/* The same for current's process, of which current is the last thread. */
NTSTATUS ntps_exiting_process_status(void)
{
	NTSTATUS status;

	if (ntps_status_lookup(current->group_leader, NTPS_STATUS_PROCESS,
			       &status))
		return status;
	if (READ_ONCE(current->signal->flags) & SIGNAL_GROUP_EXIT)
		return ntps_linux_exit_code(READ_ONCE(current->signal->group_exit_code));
	/* as wait(2) reports it: the leader's code (it ended first, or is us) */
	return ntps_linux_exit_code(READ_ONCE(current->group_leader->exit_code));
}

/* -------------------------------------------------------------------- */
/* waits on Process and Thread handles */

/*
 * The dispatcher header of an attached @task, referenced, or NULL. The
 * process's is reached through a thread still on it
 * (ntps_thread_proc_held()), so the process and its header outlive this
 * look.
 */
static struct ntob_object *ntps_attached_ke(struct task_struct *task,
					    bool thread)
{
	struct nt_thread *t = ntps_thread_get(task);
	struct ntob_object *ke = NULL;
	struct ntke_thread *kt;

	if (!t)
		return NULL;
	if (thread) {
		kt = ntps_thread_ke(t, task);
		if (kt)
			ke = &kt->obj.ob;
	} else {
		spin_lock(&t->ctl_lock);
		if (ntps_thread_proc_held(t)) {
			ke = &t->proc->ke->obj.ob;
			ntob_get(ke);
		}
		spin_unlock(&t->ctl_lock);
	}
	ntps_thread_put(t);
	return ke;
}

/* Has @task (or, for a process, its whole thread group) ended? */
static bool ntps_task_ended(struct task_struct *task, bool thread)
{
	if (!task)
		return true;
	if (thread)
		return task->flags & PF_EXITING;
	return !atomic_read(&task->signal->live);
}

/*
 * An object signaled from the start for what ended before a handle to it
 * reached its header; a process's with the status known now.
 */
static struct ntob_object *ntps_ended_ke(struct task_struct *task, bool thread)
{
	struct ntke_process *kp;
	struct ntke_thread *kt;

	if (thread) {
		kt = ntke_thread_alloc();
		if (!kt)
			return NULL;
		if (task)
			kt->pid = get_task_pid(task, PIDTYPE_PID);
		ntke_set_exited(&kt->obj);
		return &kt->obj.ob;
	}
	kp = ntke_process_alloc();
	if (!kp)
		return NULL;
	ntke_process_exit(kp, task ? ntps_exit_status(task) : STATUS_PENDING);
	return &kp->obj.ob;
}

/*
 * The exit of a Linux process that is not attached, which no NT exit
 * signals: its header is signaled when Linux notifies the process's pidfd
 * waiters (do_notify_pidfd(), as the leader becomes a zombie with its
 * whole group dead, or the last thread of a group whose leader ended
 * first is released). That wake-up runs under tasklist_lock and the
 * wait-queue lock with interrupts off, where the dispatcher's locks may
 * not be taken (they are taken with interrupts on elsewhere, and
 * tasklist_lock is read from interrupts): it only queues the work that
 * reads the status and signals, in process context. The watch holds the
 * leader's task_struct, so the status (ps/exit_status.c records and the
 * Linux codes) is still there after Linux reaps it. References: the
 * object's and, while the work is queued, the work's.
 */
struct ntps_exit_watch {
	wait_queue_entry_t wq;
	struct wait_queue_head *head;	/* the pid's wait_pidfd */
	struct work_struct work;
	struct task_struct *task;	/* the leader, referenced */
	struct ntke_process *kp;	/* referenced */
	refcount_t ref;
	atomic_t fired;
};

static void ntps_exit_watch_put(struct ntps_exit_watch *w)
{
	if (!refcount_dec_and_test(&w->ref))
		return;
	put_task_struct(w->task);
	ntob_put(&w->kp->obj.ob);
	kfree(w);
}

static void ntps_exit_watch_work(struct work_struct *work)
{
	struct ntps_exit_watch *w = container_of(work, struct ntps_exit_watch, work);

	ntke_process_exit(w->kp, ntps_group_status(w->task));
	ntps_exit_watch_put(w);
}

/* Once, when the whole group has gone through do_exit(). */
static void ntps_exit_watch_fire(struct ntps_exit_watch *w)
{
	if (atomic_read(&w->task->signal->live) || atomic_xchg(&w->fired, 1))
		return;
	refcount_inc(&w->ref);
	ntps_queue_work(&w->work);
}

static int ntps_exit_watch_wake(wait_queue_entry_t *wq, unsigned int mode,
				int sync, void *key)
{
	ntps_exit_watch_fire(container_of(wq, struct ntps_exit_watch, wq));
	return 0;
}

static void ntps_exit_watch_stop(struct ntps_exit_watch *w)
{
	remove_wait_queue(w->head, &w->wq);
	ntps_exit_watch_put(w);
}

/*
 * A header for @task, a Linux process that runs and is not attached,
 * signaled when it ends; *@watch is what ends it, for @p to keep.
 */
static struct ntob_object *ntps_linux_ke(struct task_struct *task,
					 struct ntps_exit_watch **watch)
{
	struct ntps_exit_watch *w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);

	if (!w)
		return NULL;
	w->kp = ntke_process_alloc();
	if (!w->kp) {
		kfree(w);
		return NULL;
	}
	init_waitqueue_func_entry(&w->wq, ntps_exit_watch_wake);
	INIT_WORK(&w->work, ntps_exit_watch_work);
	w->head = &task_pid(task)->wait_pidfd;
	w->task = get_task_struct(task);
	refcount_set(&w->ref, 1);
	ntob_get(&w->kp->obj.ob);	/* the object's, below */
	*watch = w;
	return &w->kp->obj.ob;
}

/*
 * Find and keep @p's header (at the handle's making and at a wait). A
 * thread of a Linux process that is not attached has none while it runs
 * (Linux tells of a thread's end only to its parent): STATUS_NOT_IMPLEMENTED.
 */
static NTSTATUS ntps_obj_ke(struct ntps_obj *p, struct task_struct *task)
{
	bool thread = p->obj.type == &ntps_thread_type;
	struct ntps_exit_watch *watch = NULL;
	struct ntob_object *ke;

	/* pairs with the cmpxchg below: the header is initialized before */
	if (smp_load_acquire(&p->ke))
		return STATUS_SUCCESS;
	ke = task ? ntps_attached_ke(task, thread) : NULL;
	if (!ke && !ntps_task_ended(task, thread)) {
		if (thread || !thread_group_leader(task))
			return STATUS_NOT_IMPLEMENTED;
		ke = ntps_linux_ke(task, &watch);
		if (!ke)
			return STATUS_NO_MEMORY;
	} else if (!ke) {
		ke = ntps_ended_ke(task, thread);
		if (!ke)
			return STATUS_NO_MEMORY;
	}
	if (cmpxchg(&p->ke, NULL, ke)) {
		/* another wait was first */
		if (watch)
			ntps_exit_watch_put(watch);
		ntob_put(ke);
		return STATUS_SUCCESS;
	}
	if (watch) {
		/*
		 * Only the winner gets here; destroy, which stops the watch,
		 * comes after the caller's reference, so after this store.
		 */
		p->watch = watch;
		add_wait_queue(watch->head, &watch->wq);
		/* it may have ended before the entry was on the queue */
		ntps_exit_watch_fire(watch);
	}
	return STATUS_SUCCESS;
}

/*
 * ntob_type.wait_object. The handle had SYNCHRONIZE (checked by the wait
 * core); another process's task is checked again now in ptrace read mode,
 * as every use of a handle to it is.
 */
static NTSTATUS ntps_wait_object(struct ntob_object *obj,
				 struct ntob_object **out)
{
	struct ntps_obj *p = container_of(obj, struct ntps_obj, obj);
	struct task_struct *task = get_pid_task(p->pid, PIDTYPE_PID);
	NTSTATUS status = STATUS_SUCCESS;

	if (task && !ntps_may_access(task, PTRACE_MODE_READ_REALCREDS))
		status = STATUS_ACCESS_DENIED;
	if (NT_SUCCESS(status))
		status = ntps_obj_ke(p, task);
	if (task)
		put_task_struct(task);
	if (!NT_SUCCESS(status))
		return status;
	*out = p->ke;
	ntob_get(*out);
	return STATUS_SUCCESS;
}

/*
 * A process handle's final status once its header is signaled, for the
 * moment between its last thread's exit and Linux's zombie state.
 */
static NTSTATUS ntps_handle_exit_status(HANDLE h, NTSTATUS status)
{
	struct ntob_object *obj, *ke;
	NTSTATUS kst;

	if (status != STATUS_PENDING || h == NTPS_CURRENT_PROCESS ||
	    !NT_SUCCESS(ntob_ref_by_handle(h, 0, &ntps_process_type, &obj)))
		return status;
	/* pairs with ntps_obj_ke()'s cmpxchg */
	ke = smp_load_acquire(&container_of(obj, struct ntps_obj, obj)->ke);
	if (ke && ntke_exited(to_ntke(ke), &kst))
		status = kst;
	ntob_put(obj);
	return status;
}

/*
 * ThreadBasicInformation from the thread object of a thread Linux has
 * already reaped (non-leader threads are reaped as they end): what its
 * exit recorded. False if @h is not such an object.
 */
static bool ntps_dead_thread_basic(HANDLE h, THREAD_BASIC_INFORMATION *b)
{
	struct ntke_thread *kt;
	struct ntob_object *obj;
	bool dead, all;

	if (!NT_SUCCESS(ntob_ref_by_handle(h, THREAD_QUERY_INFORMATION,
					   &ntke_thread_type, &obj)))
		return false;
	kt = container_of(obj, struct ntke_thread, obj.ob);
	/* exited is set after these, under the object's lock */
	all = ntke_lock_obj(&kt->obj);
	dead = kt->obj.u.thread.exited;
	ntke_unlock_obj(&kt->obj, all);
	if (dead) {
		b->ExitStatus = kt->exit_status;
		b->ClientId.UniqueProcess = pid_vnr(kt->tgid);
		b->ClientId.UniqueThread = pid_vnr(kt->pid);
	}
	ntob_put(obj);
	return dead;
}

static u32 ntps_affinity(struct task_struct *t)
{
	return t->cpus_ptr ? (u32)cpumask_bits(t->cpus_ptr)[0] : 1;
}

static void ntps_process_times(struct task_struct *p, KERNEL_USER_TIMES *kut)
{
	struct task_struct *t;
	u64 utime, stime;

	rcu_read_lock();
	utime = p->signal->utime;
	stime = p->signal->stime;
	for_each_thread(p, t) {
		utime += t->utime;
		stime += t->stime;
	}
	rcu_read_unlock();
	kut->CreateTime.QuadPart = ntps_boot_time() +
				   ntex_ticks_from_ns(p->start_boottime);
	kut->KernelTime.QuadPart = ntex_ticks_from_ns(stime);
	kut->UserTime.QuadPart = ntex_ticks_from_ns(utime);
}

static void ntps_vm_counters(struct task_struct *p, VM_COUNTERS *vm)
{
	struct mm_struct *mm = get_task_mm(p);

	if (!mm)
		return;
	vm->VirtualSize = mm->total_vm << PAGE_SHIFT;
	vm->PeakVirtualSize = max(mm->hiwater_vm, mm->total_vm) << PAGE_SHIFT;
	vm->WorkingSetSize = get_mm_rss(mm) << PAGE_SHIFT;
	vm->PeakWorkingSetSize = max(mm->hiwater_rss, get_mm_rss(mm)) << PAGE_SHIFT;
	vm->PagefileUsage = get_mm_counter(mm, MM_ANONPAGES) << PAGE_SHIFT;
	vm->PeakPagefileUsage = vm->PagefileUsage;
	vm->PageFaultCount = p->maj_flt + p->min_flt;
	mmput(mm);
}

static u32 ntps_handle_count(struct task_struct *p)
{
	struct nt_process *proc = nt_process_current();

	if (!same_thread_group(p, current) || !proc)
		return 0;
	return ntob_handle_count(&proc->ob);
}

static const struct ntex_info_class ntps_process_classes[] = {
	[ProcessBasicInformation] = NTEX_IC(PROCESS_BASIC_INFORMATION, 4, NTEX_IC_QUERY),
	[ProcessIoCounters] = NTEX_IC(IO_COUNTERS, 4, NTEX_IC_QUERY),
	[ProcessVmCounters] = NTEX_IC(VM_COUNTERS, 4, NTEX_IC_QUERY),
	[ProcessTimes] = NTEX_IC(KERNEL_USER_TIMES, 4, NTEX_IC_QUERY),
	[ProcessDebugPort] = NTEX_IC(HANDLE, 4, NTEX_IC_QUERY),
	[ProcessDefaultHardErrorMode] = NTEX_IC(ULONG, 4, NTEX_IC_QUERY),
	[ProcessHandleCount] = NTEX_IC(ULONG, 4, NTEX_IC_QUERY),
	[ProcessAffinityMask] = NTEX_IC(KAFFINITY, 4, NTEX_IC_QUERY),
	[ProcessPriorityBoost] = NTEX_IC(ULONG, 4, NTEX_IC_QUERY),
	[ProcessSessionInformation] = NTEX_IC(PROCESS_SESSION_INFORMATION, 4,
					      NTEX_IC_QUERY),
	[ProcessWow64Information] = NTEX_IC(ULONG_PTR, 4, NTEX_IC_QUERY),
	[ProcessBreakOnTermination] = NTEX_IC(ULONG, 4, NTEX_IC_QUERY),
	[ProcessDebugFlags] = NTEX_IC(ULONG, 4, NTEX_IC_QUERY),
};

/*
 * The file ProcessImageFileName names: an attached process's image (set by
 * its loader, NTP_IOC_SET_IMAGE), whose loader (ntpeload, the ./prog.exe
 * binfmt's interpreter) is what Linux keeps as the executable, else that
 * executable (NtCreateProcess's children have their image there).
 */
static struct file *ntps_image_file(struct task_struct *p,
				    struct file *(*get_exe)(struct task_struct *))
{
	struct nt_thread *t = ntps_thread_get(p);
	struct file *f = NULL;

	if (t) {
		spin_lock(&t->ctl_lock);
		if (ntps_thread_proc_held(t))
			f = ntps_env_image(t->proc);
		spin_unlock(&t->ctl_lock);
		ntps_thread_put(t);
	}
	return f ? f : get_exe(p);
}

/* ProcessImageFileName: the name is variable, so not a table row. */
static NTSTATUS ntps_query_image_name(HANDLE h, void __user *buf, u32 len,
				      ULONG __user *ret_len)
{
	UNICODE_STRING *us = NULL;
	struct file *(*get_exe)(struct task_struct *task);
	struct task_struct *p;
	struct file *exe;
	WCHAR *name = NULL;
	NTSTATUS status;
	u32 needed = sizeof(*us);
	u16 n = 0;

	status = ntex_probe(buf, len, 4);
	if (!NT_SUCCESS(status))
		return status;
	get_exe = ntps_sym((void **)&ntps_get_task_exe_file, "get_task_exe_file");
	if (!get_exe)
		return STATUS_NOT_IMPLEMENTED;
	status = ntps_ref_process(h, PROCESS_QUERY_INFORMATION, &p);
	if (!NT_SUCCESS(status))
		return status;
	exe = ntps_image_file(p, get_exe);
	ntps_unref(p);
	if (exe) {
		status = ntio_nt_name_of_path(&exe->f_path, &name, &n);
		fput(exe);
		if (!NT_SUCCESS(status))
			return status;
		needed += (n + 1) * sizeof(WCHAR);
	}
	if (len < needed) {
		status = STATUS_INFO_LENGTH_MISMATCH;
		goto out;
	}
	status = STATUS_NO_MEMORY;
	us = kzalloc(needed, GFP_KERNEL_ACCOUNT);
	if (!us)
		goto out;
	if (name) {
		us->Length = n * sizeof(WCHAR);
		us->MaximumLength = us->Length + sizeof(WCHAR);
		us->Buffer = (u32)(unsigned long)buf + sizeof(*us);
		memcpy(us + 1, name, us->Length);	/* the NUL is kzalloc's */
	}
	status = ntex_copy_out(buf, us, needed);
	kfree(us);
out:
	kfree(name);
	if (ret_len && (NT_SUCCESS(status) ||
			status == STATUS_INFO_LENGTH_MISMATCH) &&
	    !NT_SUCCESS(ntex_put_u32(ret_len, needed)))
		return STATUS_ACCESS_VIOLATION;
	return status;
}

NTSTATUS NtQueryInformationProcess(HANDLE ProcessHandle,
				   PROCESSINFOCLASS ProcessInformationClass,
				   void __user *ProcessInformation,
				   ULONG ProcessInformationLength,
				   ULONG __user *ReturnLength)
{
	u32 cls = ProcessInformationClass, needed;
	struct task_struct *p;
	NTSTATUS status;
	union {
		PROCESS_BASIC_INFORMATION basic;
		IO_COUNTERS io;
		VM_COUNTERS vm;
		KERNEL_USER_TIMES times;
		ULONG ul;
	} u = {};

	if (cls == ProcessImageFileName)
		return ntps_query_image_name(ProcessHandle, ProcessInformation,
					     ProcessInformationLength,
					     ReturnLength);
	status = ntex_check_info(ntps_process_classes,
				 ARRAY_SIZE(ntps_process_classes), cls, false,
				 ProcessInformation, ProcessInformationLength,
				 &needed);
	if (status == STATUS_INFO_LENGTH_MISMATCH)
		goto out_len;
	if (!NT_SUCCESS(status))
		return status;
	status = ntps_ref_process(ProcessHandle, PROCESS_QUERY_INFORMATION, &p);
	if (!NT_SUCCESS(status))
		return status;
	switch (cls) {
	case ProcessBasicInformation:
		u.basic.ExitStatus = ntps_handle_exit_status(ProcessHandle,
							     ntps_exit_status(p));
		u.basic.PebBaseAddress = ntps_peb_of(p);
		u.basic.AffinityMask = ntps_affinity(p);
		u.basic.BasePriority = NTPS_PRIORITY_NORMAL;
		u.basic.UniqueProcessId = task_tgid_vnr(p);
		rcu_read_lock();
		u.basic.InheritedFromUniqueProcessId =
			task_tgid_vnr(rcu_dereference(p->real_parent));
		rcu_read_unlock();
		break;
	case ProcessIoCounters:
#ifdef CONFIG_TASK_IO_ACCOUNTING
		u.io.ReadOperationCount = p->ioac.syscr + p->signal->ioac.syscr;
		u.io.WriteOperationCount = p->ioac.syscw + p->signal->ioac.syscw;
		u.io.ReadTransferCount = p->ioac.rchar + p->signal->ioac.rchar;
		u.io.WriteTransferCount = p->ioac.wchar + p->signal->ioac.wchar;
#endif
		break;
	case ProcessVmCounters:
		ntps_vm_counters(p, &u.vm);
		break;
	case ProcessTimes:
		ntps_process_times(p, &u.times);
		break;
	case ProcessDebugPort:
		u.ul = p->ptrace ? ~0u : 0;
		break;
	case ProcessHandleCount:
		u.ul = ntps_handle_count(p);
		break;
	case ProcessAffinityMask:
		u.ul = ntps_affinity(p);
		break;
	case ProcessDebugFlags:
		u.ul = !p->ptrace;
		break;
	default:
		break;		/* 0: hard error mode, boost, session, wow64 */
	}
	ntps_unref(p);
	status = ntex_copy_out(ProcessInformation, &u, needed);
out_len:
	if (ReturnLength && (NT_SUCCESS(status) ||
			     status == STATUS_INFO_LENGTH_MISMATCH) &&
	    !NT_SUCCESS(ntex_put_u32(ReturnLength, needed)))
		return STATUS_ACCESS_VIOLATION;
	return status;
}

static const struct ntex_info_class ntps_thread_classes[] = {
	[ThreadBasicInformation] = NTEX_IC(THREAD_BASIC_INFORMATION, 4, NTEX_IC_QUERY),
	[ThreadTimes] = NTEX_IC(KERNEL_USER_TIMES, 4, NTEX_IC_QUERY),
	[ThreadAffinityMask] = NTEX_IC(KAFFINITY, 4, NTEX_IC_QUERY),
	[ThreadQuerySetWin32StartAddress] = NTEX_IC(ULONG_PTR, 4, NTEX_IC_QUERY),
	[ThreadAmILastThread] = NTEX_IC(ULONG, 4, NTEX_IC_QUERY),
	[ThreadPriorityBoost] = NTEX_IC(ULONG, 4, NTEX_IC_QUERY),
	[ThreadIsIoPending] = NTEX_IC(ULONG, 4, NTEX_IC_QUERY),
	/* Vista's (XP refuses the query): what ThreadHideFromDebugger set */
	[ThreadHideFromDebugger] = NTEX_IC(BOOLEAN, 1, NTEX_IC_QUERY),
};

static void ntps_priority_of(struct task_struct *t, s32 *prio, s32 *base);

NTSTATUS NtQueryInformationThread(HANDLE ThreadHandle,
				  THREADINFOCLASS ThreadInformationClass,
				  void __user *ThreadInformation,
				  ULONG ThreadInformationLength,
				  ULONG __user *ReturnLength)
{
	u32 cls = ThreadInformationClass, needed;
	struct task_struct *t;
	struct nt_thread *nt;
	NTSTATUS status;
	union {
		THREAD_BASIC_INFORMATION basic;
		KERNEL_USER_TIMES times;
		ULONG ul;
	} u = {};

	status = ntex_check_info(ntps_thread_classes,
				 ARRAY_SIZE(ntps_thread_classes), cls, false,
				 ThreadInformation, ThreadInformationLength,
				 &needed);
	if (status == STATUS_INFO_LENGTH_MISMATCH)
		goto out_len;
	if (!NT_SUCCESS(status))
		return status;
	/*
	 * A thread object that has seen its thread's exit knows how it
	 * ended, also once Linux has reaped the task (at once, for all but
	 * a leader), and already while the task is still being torn down.
	 */
	if (cls == ThreadBasicInformation &&
	    ntps_dead_thread_basic(ThreadHandle, &u.basic)) {
		status = ntex_copy_out(ThreadInformation, &u, needed);
		goto out_len;
	}
	status = ntps_ref_thread(ThreadHandle, THREAD_QUERY_INFORMATION, &t);
	if (!NT_SUCCESS(status))
		return status;
	switch (cls) {
	case ThreadBasicInformation:
		u.basic.ExitStatus = ntps_thread_exit_status(t);
		u.basic.TebBaseAddress = ntps_teb_of(t);
		u.basic.ClientId.UniqueProcess = task_tgid_vnr(t);
		u.basic.ClientId.UniqueThread = task_pid_vnr(t);
		u.basic.AffinityMask = ntps_affinity(t);
		ntps_priority_of(t, &u.basic.Priority, &u.basic.BasePriority);
		break;
	case ThreadTimes:
		u.times.CreateTime.QuadPart = ntps_boot_time() +
					      ntex_ticks_from_ns(t->start_boottime);
		u.times.KernelTime.QuadPart = ntex_ticks_from_ns(t->stime);
		u.times.UserTime.QuadPart = ntex_ticks_from_ns(t->utime);
		break;
	case ThreadAffinityMask:
		u.ul = ntps_affinity(t);
		break;
	case ThreadAmILastThread:
		u.ul = same_thread_group(t, current) &&
		       get_nr_threads(current) == 1;
		break;
	case ThreadQuerySetWin32StartAddress:
	case ThreadPriorityBoost:
	case ThreadHideFromDebugger:
		nt = ntps_thread_get(t);
		if (!nt)
			break;		/* not attached: nothing was set */
		spin_lock(&nt->ctl_lock);
		u.ul = cls == ThreadQuerySetWin32StartAddress ? nt->win32_start :
		       cls == ThreadPriorityBoost ? nt->disable_boost :
		       nt->hide_from_debugger;
		spin_unlock(&nt->ctl_lock);
		ntps_thread_put(nt);
		break;
	default:
		break;		/* no I/O is ever pending: every call completes */
	}
	ntps_unref(t);
	status = ntex_copy_out(ThreadInformation, &u, needed);
out_len:
	if (ReturnLength && (NT_SUCCESS(status) ||
			     status == STATUS_INFO_LENGTH_MISMATCH) &&
	    !NT_SUCCESS(ntex_put_u32(ReturnLength, needed)))
		return STATUS_ACCESS_VIOLATION;
	return status;
}

/* -------------------------------------------------------------------- */
/* thread priority, affinity and the rest of NtSetInformationThread */

/*
 * NT priorities on nice values. Linux has one knob per thread; a normal
 * class process's threads live in NT's 1..15 (base 8 = nice 0), the
 * realtime range 16..31 is the strongest nice there is (no SCHED_FIFO: a
 * priority no caller could take back from a spinning thread). The steps
 * follow the scheduler's ~10% weight per nice level, about 2.5 levels per
 * NT step.
 */
static const s8 ntps_nice_of[16] = {
	19, 19, 15, 12, 10, 7, 5, 2, 0, -2, -5, -7, -10, -12, -15, -18,
};

#define NTPS_LOW_REALTIME	16
#define NTPS_HIGH_PRIORITY	31
#define NTPS_BASE_MAX		2	/* THREAD_BASE_PRIORITY_MAX */
#define NTPS_BASE_LOWRT		15	/* THREAD_BASE_PRIORITY_LOWRT */
#define NTPS_BASE_IDLE		(-15)	/* THREAD_BASE_PRIORITY_IDLE */

static int ntps_priority_nice(u32 prio)
{
	return prio >= NTPS_LOW_REALTIME ? MIN_NICE : ntps_nice_of[prio];
}

/* The NT priority closest to a nice value set behind our back. */
static u32 ntps_nice_priority(int nice)
{
	u32 p, best = 1;

	for (p = 1; p < NTPS_LOW_REALTIME; p++)
		if (abs(ntps_nice_of[p] - nice) < abs(ntps_nice_of[best] - nice))
			best = p;
	return best;
}

/* Priority and base increment of @t as the queries report them. */
static void ntps_priority_of(struct task_struct *t, s32 *prio, s32 *base)
{
	struct nt_thread *nt = ntps_thread_get(t);
	int nice = task_nice(t);

	*prio = 0;
	if (nt) {
		spin_lock(&nt->ctl_lock);
		if (nt->nt_priority && nt->nt_nice == nice) {
			*prio = nt->nt_priority;
			*base = nt->nt_base;
		}
		spin_unlock(&nt->ctl_lock);
		ntps_thread_put(nt);
	}
	if (!*prio) {
		*prio = ntps_nice_priority(nice);
		*base = clamp_t(s32, *prio - NTPS_PRIORITY_NORMAL,
				-NTPS_BASE_MAX, NTPS_BASE_MAX);
	}
}

static int (*ntps_security_task_setnice)(struct task_struct *p, int nice);
static int (*ntps_security_task_setscheduler)(struct task_struct *p);
static void (*ntps_cpuset_cpus_allowed)(struct task_struct *p,
					struct cpumask *mask);

/*
 * setpriority(2)'s rules (kernel/sys.c set_one_prio), with the caller's
 * credentials of now: the target's owner or CAP_SYS_NICE over it; a
 * stronger nice only with RLIMIT_NICE or CAP_SYS_NICE (can_nice), which
 * NT says as STATUS_PRIVILEGE_NOT_HELD (SeIncreaseBasePriorityPrivilege);
 * and the LSM's word.
 */
static NTSTATUS ntps_set_nice(struct task_struct *t, int nice)
{
	const struct cred *cred = current_cred(), *tcred;
	bool owner;
	int err;

	rcu_read_lock();
	tcred = __task_cred(t);
	owner = uid_eq(tcred->uid, cred->euid) ||
		uid_eq(tcred->euid, cred->euid) ||
		ns_capable(tcred->user_ns, CAP_SYS_NICE);
	rcu_read_unlock();
	if (!owner)
		return STATUS_ACCESS_DENIED;
	if (nice < task_nice(t) && !can_nice(t, nice))
		return STATUS_PRIVILEGE_NOT_HELD;
	if (!ntps_sym((void **)&ntps_security_task_setnice,
		      "security_task_setnice"))
		return STATUS_NOT_SUPPORTED;
	err = ntps_security_task_setnice(t, nice);
	if (err)
		return nt_status_from_errno(err);
	set_user_nice(t, nice);
	return STATUS_SUCCESS;
}

/* Priority @prio, base increment @base (as recorded) on @t. */
static NTSTATUS ntps_set_priority(struct task_struct *t, u32 prio, s32 base,
				  bool keep_base)
{
	int nice = ntps_priority_nice(prio);
	struct nt_thread *nt;
	NTSTATUS status;
	s32 p0, b0;

	ntps_priority_of(t, &p0, &b0);
	status = ntps_set_nice(t, nice);
	if (!NT_SUCCESS(status))
		return status;
	nt = ntps_thread_get(t);
	if (nt) {
		spin_lock(&nt->ctl_lock);
		nt->nt_priority = prio;
		nt->nt_base = keep_base ? b0 : base;
		nt->nt_nice = nice;
		spin_unlock(&nt->ctl_lock);
		ntps_thread_put(nt);
	}
	return STATUS_SUCCESS;
}

/*
 * sched_setaffinity(2)'s rules on a task we hold: the owner or
 * CAP_SYS_NICE, the LSM, and never outside the task's cpuset. The mask
 * must be a non-empty subset of what the process may use (XP: of the
 * process affinity), else STATUS_INVALID_PARAMETER.
 */
static NTSTATUS ntps_set_affinity(struct task_struct *t, u32 affinity)
{
	const struct cred *cred = current_cred(), *tcred;
	cpumask_var_t allowed, want;
	NTSTATUS status;
	bool owner;
	int err, cpu;

	if (!ntps_sym((void **)&ntps_security_task_setscheduler,
		      "security_task_setscheduler") ||
	    !ntps_sym((void **)&ntps_cpuset_cpus_allowed, "cpuset_cpus_allowed"))
		return STATUS_NOT_SUPPORTED;
	if (t->flags & PF_NO_SETAFFINITY)
		return STATUS_INVALID_PARAMETER;
	rcu_read_lock();
	tcred = __task_cred(t);
	owner = uid_eq(tcred->euid, cred->euid) ||
		uid_eq(tcred->uid, cred->euid) ||
		ns_capable(tcred->user_ns, CAP_SYS_NICE);
	rcu_read_unlock();
	if (!owner)
		return STATUS_ACCESS_DENIED;
	err = ntps_security_task_setscheduler(t);
	if (err)
		return nt_status_from_errno(err);
	if (!alloc_cpumask_var(&allowed, GFP_KERNEL))
		return STATUS_NO_MEMORY;
	if (!alloc_cpumask_var(&want, GFP_KERNEL)) {
		free_cpumask_var(allowed);
		return STATUS_NO_MEMORY;
	}
	ntps_cpuset_cpus_allowed(t, allowed);
	cpumask_and(allowed, allowed, cpu_active_mask);
	cpumask_clear(want);
	for (cpu = 0; cpu < 32 && cpu < nr_cpu_ids; cpu++)
		if (affinity & BIT(cpu))
			cpumask_set_cpu(cpu, want);
	status = STATUS_INVALID_PARAMETER;
	if ((nr_cpu_ids >= 32 || !(affinity >> nr_cpu_ids)) &&
	    !cpumask_empty(want) && cpumask_subset(want, allowed)) {
		err = set_cpus_allowed_ptr(t, want);
		status = err ? nt_status_from_errno(err) : STATUS_SUCCESS;
	}
	free_cpumask_var(want);
	free_cpumask_var(allowed);
	return status;
}

static const struct ntex_info_class ntps_thread_set_classes[] = {
	[ThreadPriority] = NTEX_IC(KPRIORITY, 4, NTEX_IC_SET),
	[ThreadBasePriority] = NTEX_IC(LONG, 4, NTEX_IC_SET),
	[ThreadAffinityMask] = NTEX_IC(KAFFINITY, 4, NTEX_IC_SET),
	[ThreadImpersonationToken] = NTEX_IC(HANDLE, 4, NTEX_IC_SET),
	[ThreadQuerySetWin32StartAddress] = NTEX_IC(ULONG_PTR, 4, NTEX_IC_SET),
	[ThreadZeroTlsCell] = NTEX_IC(ULONG, 4, NTEX_IC_SET),
	[ThreadIdealProcessor] = NTEX_IC(ULONG, 4, NTEX_IC_SET),
	[ThreadPriorityBoost] = NTEX_IC(ULONG, 4, NTEX_IC_SET),
	[ThreadHideFromDebugger] = { 0, 1, NTEX_IC_SET },
};

/*
 * XP's NtSetInformationThread (ReactOS ntoskrnl/ps/query.c): the class,
 * its exact length and the value are checked before the handle, which
 * needs THREAD_SET_INFORMATION (another process's thread: ptrace attach
 * rules again, ntps_ref_thread). What the personality cannot honour is
 * STATUS_NOT_IMPLEMENTED (impersonation: no tokens), other classes are
 * STATUS_INVALID_INFO_CLASS as on XP.
 */
NTSTATUS NtSetInformationThread(HANDLE ThreadHandle,
				THREADINFOCLASS ThreadInformationClass,
				void __user *ThreadInformation,
				ULONG ThreadInformationLength)
{
	u32 cls = ThreadInformationClass, needed, v = 0;
	struct task_struct *t;
	struct nt_thread *nt;
	NTSTATUS status;
	s32 base = 0;

	status = ntex_check_info(ntps_thread_set_classes,
				 ARRAY_SIZE(ntps_thread_set_classes), cls, true,
				 ThreadInformation, ThreadInformationLength,
				 &needed);
	if (!NT_SUCCESS(status))
		return status;
	if (needed) {
		status = ntex_copy_in(&v, ThreadInformation, 4);
		if (!NT_SUCCESS(status))
			return status;
	}
	switch (cls) {
	case ThreadPriority:
		if (v - 1 >= NTPS_HIGH_PRIORITY)	/* LOW_PRIORITY < p <= HIGH */
			return STATUS_INVALID_PARAMETER;
		break;
	case ThreadBasePriority:
		base = (s32)v;
		if (abs(base) > NTPS_BASE_MAX && base != NTPS_BASE_LOWRT + 1 &&
		    base != NTPS_BASE_IDLE - 1)
			return STATUS_INVALID_PARAMETER;
		break;
	case ThreadAffinityMask:
		if (!v)
			return STATUS_INVALID_PARAMETER;
		break;
	case ThreadImpersonationToken:
		return STATUS_NOT_IMPLEMENTED;
	case ThreadIdealProcessor:
		if (v > 32)		/* MAXIMUM_PROCESSORS: just ask */
			return STATUS_INVALID_PARAMETER;
		break;
	}
	status = ntps_ref_thread(ThreadHandle, THREAD_SET_INFORMATION, &t);
	if (!NT_SUCCESS(status))
		return status;
	switch (cls) {
	case ThreadPriority:
		status = ntps_set_priority(t, v, 0, true);
		goto out;
	case ThreadBasePriority:
		/* saturation: the class's top (15) and bottom (1) */
		v = base > NTPS_BASE_MAX ? NTPS_BASE_LOWRT :
		    base < -NTPS_BASE_MAX ? 1 : NTPS_PRIORITY_NORMAL + base;
		status = ntps_set_priority(t, v, base, false);
		goto out;
	case ThreadAffinityMask:
		status = ntps_set_affinity(t, v);
		goto out;
	case ThreadZeroTlsCell:
		/* the thread itself only; then every TEB of its process */
		if (t != current) {
			status = STATUS_INVALID_PARAMETER;
			goto out;
		}
		if (nt_process_current())
			ntps_zero_tls_cell(nt_process_current(), v);
		goto out;
	}
	/* the rest is NT state the attached thread keeps for the queries */
	nt = ntps_thread_get(t);
	if (!nt) {
		status = STATUS_INVALID_PARAMETER;
		goto out;
	}
	spin_lock(&nt->ctl_lock);
	switch (cls) {
	case ThreadQuerySetWin32StartAddress:
		nt->win32_start = v;
		break;
	case ThreadIdealProcessor:
		/* a hint Linux has no place for: the previous one returned */
		status = nt->ideal_cpu;
		if (v < nr_cpu_ids)
			nt->ideal_cpu = v;
		break;
	case ThreadPriorityBoost:
		nt->disable_boost = !!v;
		break;
	case ThreadHideFromDebugger:
		nt->hide_from_debugger = true;
		break;
	}
	spin_unlock(&nt->ctl_lock);
	ntps_thread_put(nt);
out:
	ntps_unref(t);
	return status;
}

/* -------------------------------------------------------------------- */
/* open by CLIENT_ID */

static NTSTATUS ntps_open(HANDLE __user *uh, ACCESS_MASK access,
			  const OBJECT_ATTRIBUTES __user *uoa,
			  const CLIENT_ID __user *ucid, bool thread)
{
	const struct ntob_type *type = thread ? &ntps_thread_type :
					       &ntps_process_type;
	struct task_struct *task = NULL;
	struct ntps_obj *obj;
	struct nt_oa oa;
	CLIENT_ID cid;
	NTSTATUS status;

	status = nt_prewrite_handle(uh);
	if (!NT_SUCCESS(status))
		return status;
	if (!uoa)
		return STATUS_ACCESS_VIOLATION;
	status = nt_capture_oa(uoa, &oa);
	if (!NT_SUCCESS(status))
		return status;
	if (oa.name.len && ucid)
		status = STATUS_INVALID_PARAMETER_MIX;
	else if (!ucid)
		status = oa.name.len ? STATUS_OBJECT_NAME_NOT_FOUND :
				       STATUS_INVALID_PARAMETER_MIX;
	else
		status = nt_copy_in(&cid, ucid, sizeof(cid));
	if (!NT_SUCCESS(status))
		goto out_oa;
	status = STATUS_INVALID_CID;
	rcu_read_lock();
	if (cid.UniqueThread) {
		task = pid_task(find_vpid(cid.UniqueThread), PIDTYPE_PID);
		if (task && cid.UniqueProcess &&
		    task_tgid_vnr(task) != cid.UniqueProcess)
			task = NULL;
		if (task && !thread)
			task = task->group_leader;
	} else if (!thread && cid.UniqueProcess) {
		task = pid_task(find_vpid(cid.UniqueProcess), PIDTYPE_PID);
		if (task && !thread_group_leader(task))
			task = NULL;
	}
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		goto out_oa;
	access = ntob_map_access(type, access);
	status = STATUS_ACCESS_DENIED;
	if (!ntps_may_access(task, ntps_ptrace_mode(access)))
		goto out_task;
	status = STATUS_NO_MEMORY;
	obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj)
		goto out_task;
	ntob_object_init(&obj->obj, type);
	obj->pid = get_task_pid(task, PIDTYPE_PID);
	ntps_obj_ke(obj, task);	/* else at the first wait */
	status = ntob_create_handle_out(&obj->obj, access,
					oa.attributes & OBJ_INHERIT, uh);
	ntob_put(&obj->obj);
out_task:
	put_task_struct(task);
out_oa:
	nt_release_oa(&oa);
	return status;
}

NTSTATUS ntps_process_handle_out(struct task_struct *task, ACCESS_MASK access,
				 ULONG attributes, HANDLE __user *uh, bool husk)
{
	struct ntps_obj *obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	NTSTATUS status;

	if (!obj)
		return STATUS_NO_MEMORY;
	ntob_object_init(&obj->obj, &ntps_process_type);
	obj->pid = get_task_pid(task, PIDTYPE_PID);
	obj->husk = husk;
	ntps_obj_ke(obj, task);	/* else at the first wait */
	status = ntob_create_handle_out(&obj->obj,
					ntob_map_access(&ntps_process_type, access),
					attributes, uh);
	ntob_put(&obj->obj);
	return status;
}

NTSTATUS NtOpenProcess(HANDLE __user *ProcessHandle, ACCESS_MASK DesiredAccess,
		       const OBJECT_ATTRIBUTES __user *ObjectAttributes,
		       CLIENT_ID __user *ClientId)
{
	return ntps_open(ProcessHandle, DesiredAccess, ObjectAttributes,
			 ClientId, false);
}

NTSTATUS NtOpenThread(HANDLE __user *ThreadHandle, ACCESS_MASK DesiredAccess,
		      const OBJECT_ATTRIBUTES __user *ObjectAttributes,
		      CLIENT_ID __user *ClientId)
{
	return ntps_open(ThreadHandle, DesiredAccess, ObjectAttributes,
			 ClientId, true);
}

/* -------------------------------------------------------------------- */
/* termination */

/*
 * Exiting already: a group exit (exit_group, a fatal signal, an earlier
 * NtTerminateProcess) or the last thread's own exit. Its status came
 * first and stays (Windows: STATUS_PROCESS_IS_TERMINATING). An exit that
 * starts just after this check still races with the kill, as on Linux.
 */
static bool ntps_process_exiting(struct task_struct *p)
{
	return (READ_ONCE(p->signal->flags) & SIGNAL_GROUP_EXIT) ||
	       ((READ_ONCE(p->flags) & PF_EXITING) && thread_group_empty(p));
}

/* Another process: record the status, then SIGKILL. */
static NTSTATUS ntps_terminate_other(struct task_struct *p, NTSTATUS exit_status)
{
	int err;

	if (ntps_process_exiting(p))
		return STATUS_PROCESS_IS_TERMINATING;
	err = ntps_status_record(p, NTPS_STATUS_PROCESS, exit_status);
	if (err == -ENOMEM)
		return STATUS_NO_MEMORY;
	if (err)	/* -EEXIST: another NtTerminateProcess; -ESRCH: reaped */
		return STATUS_PROCESS_IS_TERMINATING;
	return nt_status_from_errno(send_sig(SIGKILL, p, 1));
}

NTSTATUS NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus)
{
	void (*group_exit)(int code);
	struct task_struct *p;
	NTSTATUS status;

	if (!ProcessHandle)	/* the other threads of this process */
		return get_nr_threads(current) == 1 ? STATUS_SUCCESS :
						       STATUS_NOT_IMPLEMENTED;
	status = ntps_ref_process(ProcessHandle, PROCESS_TERMINATE, &p);
	if (!NT_SUCCESS(status))
		return status;
	if (!same_thread_group(p, current)) {
		status = ntps_terminate_other(p, ExitStatus);
		ntps_unref(p);
		return status;
	}
	ntps_unref(p);
	group_exit = ntps_sym((void **)&ntps_do_group_exit, "do_group_exit");
	if (!group_exit)
		return STATUS_NOT_IMPLEMENTED;
	/*
	 * Unless a group exit came first (its code wins), keep the whole
	 * status for the queries; without memory only the low byte survives,
	 * which is no reason not to exit.
	 */
	if (!(READ_ONCE(current->signal->flags) & SIGNAL_GROUP_EXIT))
		ntps_status_record(current->group_leader, NTPS_STATUS_PROCESS,
				   ExitStatus);
	group_exit((ExitStatus & 0xff) << 8);
	return STATUS_SUCCESS;	/* not reached */
}

NTSTATUS NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus)
{
	void (*thread_exit)(long code);
	struct task_struct *t;
	NTSTATUS status;

	if (!ThreadHandle)
		ThreadHandle = NTPS_CURRENT_THREAD;
	status = ntps_ref_thread(ThreadHandle, THREAD_TERMINATE, &t);
	if (!NT_SUCCESS(status))
		return status;
	ntps_unref(t);
	if (t != current)
		return ntps_terminate_thread(t, ExitStatus);
	if (get_nr_threads(current) == 1)
		return STATUS_CANT_TERMINATE_SELF;
	thread_exit = ntps_sym((void **)&ntps_do_exit, "do_exit");
	if (!thread_exit)
		return STATUS_NOT_IMPLEMENTED;
	/* as in NtTerminateProcess; a group exit ends the thread with its code */
	if (!(READ_ONCE(current->signal->flags) & SIGNAL_GROUP_EXIT))
		ntps_status_record(current, NTPS_STATUS_THREAD, ExitStatus);
	ntps_free_stack_on_termination();
	thread_exit((ExitStatus & 0xff) << 8);
	return STATUS_SUCCESS;	/* not reached */
}
