// SPDX-License-Identifier: GPL-2.0
/*
 * NT thread control on Linux tasks: NtCreateThread, NT suspension
 * (NtSuspendThread/NtResumeThread/NtAlertResumeThread, NtSuspendProcess/
 * NtResumeProcess), NtGetContextThread/NtSetContextThread, and
 * NtTerminateThread of another thread.
 *
 * Creation. NtCreateThread clones the calling thread (kernel_clone() with
 * the flags pthread_create() uses, found by name: it is not exported) and
 * hands the new thread, through the fork probe, what it needs before its
 * first user instruction: the caller's CONTEXT and INITIAL_TEB, a thread
 * object made in advance (so the handle is returned at once, waitable,
 * signaled at exit) and, for CreateSuspended, a suspend count of 1. The new
 * thread's setup task_work (ps/process.c) makes its TEB on the given stack,
 * loads the CONTEXT (sanitized: i386/context.c) and parks if suspended.
 * The thread starts with gs = 0 and inherits the creator's signal mask and
 * FPU state; it is an NT thread, not a C library's: code that uses glibc
 * TLS does not belong on it. Threads of another process come with NT
 * process creation (issue 14): STATUS_NOT_SUPPORTED until then.
 *
 * Suspension. A suspended thread parks: a task_work makes it sleep
 * (killable) before it returns to user mode, until its count is back at 0.
 * Its user frame is then stable, which is what Get/SetContextThread of
 * another thread need: they suspend it, wait until it is parked, read or
 * write, and resume it (XP uses a kernel APC to the same effect). A thread
 * that sleeps in an NT wait parks when the wait ends; until then a
 * GetContextThread on it waits too (XP's APC would interrupt the wait).
 * Counts are NT's: the previous count is returned, more than
 * MAXIMUM_SUSPEND_COUNT (127) is STATUS_SUSPEND_COUNT_EXCEEDED.
 *
 * Termination of another thread: it is marked (the first status wins),
 * woken if parked, and sent a task_work with TWA_SIGNAL, which ends an
 * interruptible sleep, so that it records its status and calls do_exit()
 * itself, as XP's PspTerminateThreadByPointer queues a kernel APC.
 *
 * Access: the handle's rights (THREAD_SUSPEND_RESUME, THREAD_GET_CONTEXT,
 * THREAD_SET_CONTEXT, THREAD_TERMINATE) and, for another process's
 * thread, ptrace attach mode at the moment of use (ntps_ref_thread). The
 * check holds the target against exec only for its own length: an exec
 * releases the target's NT state, and every step here stops at a released
 * thread, so nothing done through the handle reaches the new image.
 * Linux threads that are not attached have no NT state to suspend:
 * STATUS_NOT_SUPPORTED.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <asm/segment.h>
#include "internal.h"
#include "i386/arch.h"
#include "ke/ke.h"
#include "ob/ob.h"
#include "mm/mm.h"
#include "ps/ps.h"
#include "ps/exit_status.h"
#include "status.h"
#include "uaccess.h"
#include "generated/nt_services.h"

/* What NtCreateThread hands the thread it creates. */
struct ntps_start {
	CONTEXT ctx;
	INITIAL_TEB iteb;
	struct ntke_thread *kt;	/* its thread object, ours until the handoff */
	bool suspended;
};

static pid_t (*ntps_kernel_clone)(struct kernel_clone_args *args);
static void (*ntps_do_exit)(long code);

/* -------------------------------------------------------------------- */
/* suspension */

/* In the thread itself, from a task_work: sleep while suspended. */
static void ntps_park(struct nt_thread *t)
{
	spin_lock(&t->ctl_lock);
	t->park_queued = false;
	while (t->suspend_count && !t->kill) {
		t->parked = true;
		spin_unlock(&t->ctl_lock);
		wake_up_all(&t->ctl_wq);
		if (ntps_wait_event_freezable_killable(t->ctl_wq,
						       !READ_ONCE(t->suspend_count) ||
						       READ_ONCE(t->kill))) {
			spin_lock(&t->ctl_lock);
			break;	/* a fatal signal: the thread dies */
		}
		spin_lock(&t->ctl_lock);
	}
	t->parked = false;
	spin_unlock(&t->ctl_lock);
}

/*
 * The thread asleep in an NT wait (ke's ntke_schedule) saw its suspend
 * count up: it parks there, as XP's suspend APC runs inside a wait, and
 * the wait resumes after (its deadline is absolute: the time parked
 * counts). Its user frame is the one it entered the service with.
 */
void ntps_park_in_wait(struct nt_thread *t)
{
	ntps_park(t);
}

/* +1; the previous count in *prev. @task is t's. */
static NTSTATUS ntps_suspend(struct nt_thread *t, struct task_struct *task,
			     u32 *prev)
{
	bool queue = false;

	spin_lock(&t->ctl_lock);
	*prev = t->suspend_count;
	if (t->suspend_count >= MAXIMUM_SUSPEND_COUNT) {
		spin_unlock(&t->ctl_lock);
		return STATUS_SUSPEND_COUNT_EXCEEDED;
	}
	if (test_bit(NT_THREAD_RELEASED, &t->flags)) {
		spin_unlock(&t->ctl_lock);
		return STATUS_THREAD_IS_TERMINATING;
	}
	if (!t->suspend_count++ && !t->park_queued) {
		queue = true;
		t->park_queued = true;
	}
	spin_unlock(&t->ctl_lock);
	/* TWA_RESUME kicks a thread running in user mode into the park */
	if (queue && ntps_thread_work(t, task, ntps_park, false)) {
		spin_lock(&t->ctl_lock);
		t->park_queued = false;
		spin_unlock(&t->ctl_lock);
	}
	/*
	 * One asleep in an NT wait parks there (nt_park_hook): it set
	 * in_nt_wait before its sleeping state, and reads the count after.
	 */
	smp_mb();
	if (READ_ONCE(t->in_nt_wait))
		wake_up_process(task);
	return STATUS_SUCCESS;
}

/* -1 unless 0; the previous count in *prev. */
static void ntps_resume(struct nt_thread *t, u32 *prev)
{
	spin_lock(&t->ctl_lock);
	*prev = t->suspend_count;
	if (t->suspend_count)
		t->suspend_count--;
	spin_unlock(&t->ctl_lock);
	wake_up_all(&t->ctl_wq);
}

/* Suspend @t and wait until its user frame is stable; undo with resume. */
static NTSTATUS ntps_stop(struct nt_thread *t, struct task_struct *task)
{
	u32 prev;
	NTSTATUS status = ntps_suspend(t, task, &prev);

	if (!NT_SUCCESS(status))
		return status;
	if (ntps_wait_event_freezable_killable(t->ctl_wq, READ_ONCE(t->parked) ||
					       test_bit(NT_THREAD_RELEASED, &t->flags))) {
		ntps_resume(t, &prev);
		return STATUS_USER_APC;	/* the caller is being killed */
	}
	if (test_bit(NT_THREAD_RELEASED, &t->flags)) {
		ntps_resume(t, &prev);
		return STATUS_THREAD_IS_TERMINATING;
	}
	return STATUS_SUCCESS;
}

/* A start nobody will use: it still owns its thread object reference. */
static void ntps_thread_ctl_release_start(struct ntps_start *start)
{
	if (start->kt)
		ntob_put(&start->kt->obj.ob);
	kfree(start);
}

/* exit tracepoint (atomic): no one may wait for this thread any more */
void ntps_thread_ctl_release(struct nt_thread *t)
{
	struct ntps_start *start;

	/* NtCreateThread hands a husk its start under the lock (create.c) */
	spin_lock(&t->ctl_lock);
	start = t->start;
	t->start = NULL;
	spin_unlock(&t->ctl_lock);
	if (start)
		ntps_thread_ctl_release_start(start);
	wake_up_all(&t->ctl_wq);
}

/*
 * The NT state of the thread behind @h, checked for @access, referenced;
 * the task too (*@task, put_task_struct()). The check's hold on another
 * process ends here: see the header comment.
 */
static NTSTATUS ntps_ctl_ref(HANDLE h, ACCESS_MASK access,
			     struct task_struct **task, struct nt_thread **t)
{
	NTSTATUS status = ntps_ref_thread(h, access, task);

	if (!NT_SUCCESS(status))
		return status;
	*t = ntps_thread_get(*task);
	get_task_struct(*task);
	ntps_unref(*task);
	if (!*t) {
		/* an exiting thread has let go of its NT state already */
		status = (READ_ONCE((*task)->flags) & PF_EXITING) ?
			 STATUS_THREAD_IS_TERMINATING : STATUS_NOT_SUPPORTED;
		put_task_struct(*task);
		return status;
	}
	return STATUS_SUCCESS;
}

static void ntps_ctl_unref(struct task_struct *task, struct nt_thread *t)
{
	ntps_thread_put(t);
	put_task_struct(task);
}

static NTSTATUS ntps_put_count(ULONG __user *out, u32 count)
{
	if (out && !NT_SUCCESS(nt_copy_out(out, &count, sizeof(count))))
		return STATUS_ACCESS_VIOLATION;
	return STATUS_SUCCESS;
}

NTSTATUS NtSuspendThread(HANDLE ThreadHandle, ULONG __user *PreviousSuspendCount)
{
	struct task_struct *task;
	struct nt_thread *t;
	NTSTATUS status;
	u32 prev = 0;

	status = ntps_ctl_ref(ThreadHandle, THREAD_SUSPEND_RESUME, &task, &t);
	if (!NT_SUCCESS(status))
		return status;
	status = ntps_suspend(t, task, &prev);
	ntps_ctl_unref(task, t);
	if (!NT_SUCCESS(status))
		return status;
	return ntps_put_count(PreviousSuspendCount, prev);
}

NTSTATUS NtResumeThread(HANDLE ThreadHandle, ULONG __user *SuspendCount)
{
	struct task_struct *task;
	struct nt_thread *t;
	NTSTATUS status;
	u32 prev;

	status = ntps_ctl_ref(ThreadHandle, THREAD_SUSPEND_RESUME, &task, &t);
	if (!NT_SUCCESS(status))
		return status;
	ntps_resume(t, &prev);
	ntps_ctl_unref(task, t);
	return ntps_put_count(SuspendCount, prev);
}

struct ntke_thread *ntps_thread_ke(struct nt_thread *t, struct task_struct *task);

/* Alert, then resume: a thread parked in an alertable wait wakes alerted. */
NTSTATUS NtAlertResumeThread(HANDLE ThreadHandle, ULONG __user *PreviousSuspendCount)
{
	struct task_struct *task;
	struct ntke_thread *kt;
	struct nt_thread *t;
	NTSTATUS status;
	u32 prev;

	status = ntps_ctl_ref(ThreadHandle, THREAD_SUSPEND_RESUME, &task, &t);
	if (!NT_SUCCESS(status))
		return status;
	kt = ntps_thread_ke(t, task);
	if (kt) {
		ntke_alert(kt);
		ntob_put(&kt->obj.ob);
	}
	ntps_resume(t, &prev);
	ntps_ctl_unref(task, t);
	return ntps_put_count(PreviousSuspendCount, prev);
}

/* Every attached thread of the process behind @h, suspended or resumed. */
static NTSTATUS ntps_process_ctl(HANDLE h, bool suspend)
{
	struct task_struct *leader, *th, **tasks;
	unsigned int n = 0, max, i;
	struct nt_thread *t;
	NTSTATUS status;
	u32 prev;

	status = ntps_ref_process(h, PROCESS_SUSPEND_RESUME, &leader);
	if (!NT_SUCCESS(status))
		return status;
	max = get_nr_threads(leader) + 8;
	tasks = kcalloc(max, sizeof(*tasks), GFP_KERNEL_ACCOUNT);
	if (!tasks) {
		ntps_unref(leader);
		return STATUS_NO_MEMORY;
	}
	rcu_read_lock();
	for_each_thread(leader, th) {
		if (n == max)
			break;	/* threads made meanwhile: as if made after */
		tasks[n++] = get_task_struct(th);
	}
	rcu_read_unlock();
	ntps_unref(leader);
	for (i = 0; i < n; i++) {
		t = ntps_thread_get(tasks[i]);
		if (t) {
			if (suspend)
				ntps_suspend(t, tasks[i], &prev);
			else
				ntps_resume(t, &prev);
			ntps_thread_put(t);
		}
		put_task_struct(tasks[i]);
	}
	kfree(tasks);
	return STATUS_SUCCESS;
}

NTSTATUS NtSuspendProcess(HANDLE ProcessHandle)
{
	return ntps_process_ctl(ProcessHandle, true);
}

NTSTATUS NtResumeProcess(HANDLE ProcessHandle)
{
	return ntps_process_ctl(ProcessHandle, false);
}

/* -------------------------------------------------------------------- */
/* user APCs */

/*
 * @t's thread object with a reference, made for it if it has none yet
 * (a thread makes its own on its first wait; another may need it first).
 * t->ke is set once, by cmpxchg, and let go only by the thread's exit,
 * which closes it under ctl_lock first: a reference taken under that lock
 * before the close is taken before the exit's put.
 */
struct ntke_thread *ntps_thread_ke(struct nt_thread *t, struct task_struct *task)
{
	struct ntke_thread *kt, *made = NULL;

	for (;;) {
		spin_lock(&t->ctl_lock);
		kt = t->ke_closed ? NULL : READ_ONCE(t->ke);
		if (kt) {
			ntob_get(&kt->obj.ob);
		} else if (made && !t->ke_closed &&
			   !cmpxchg(&t->ke, NULL, made)) {
			kt = made;	/* the thread's reference, and ours: */
			ntob_get(&kt->obj.ob);
			made = NULL;
		}
		spin_unlock(&t->ctl_lock);
		if (kt || t->ke_closed)
			break;
		if (!made) {
			made = ntke_thread_alloc();
			if (!made)
				break;
			made->pid = get_task_pid(task, PIDTYPE_PID);
		}
	}
	if (made)
		ntob_put(&made->obj.ob);
	return kt;
}

/* exit hook (atomic): no new references to t->ke from here on */
void ntps_thread_ke_close(struct nt_thread *t)
{
	spin_lock(&t->ctl_lock);
	t->ke_closed = true;
	spin_unlock(&t->ctl_lock);
}

/*
 * An APC for the thread behind @ThreadHandle: ApcRoutine(ApcArgument1,
 * ApcArgument2, ApcArgument3) in that thread at its next alertable wait
 * or NtTestAlert. THREAD_SET_CONTEXT, as on XP (and ptrace attach mode
 * for another process's thread).
 */
NTSTATUS NtQueueApcThread(HANDLE ThreadHandle, void __user *ApcRoutine,
			  void __user *ApcArgument1, void __user *ApcArgument2,
			  void __user *ApcArgument3)
{
	struct task_struct *task;
	struct ntke_thread *kt;
	struct nt_thread *t;
	NTSTATUS status;

	status = ntps_ctl_ref(ThreadHandle, THREAD_SET_CONTEXT, &task, &t);
	/* a thread that has ended takes no APC: KeInsertQueueApc's FALSE */
	if (status == STATUS_THREAD_IS_TERMINATING)
		return STATUS_UNSUCCESSFUL;
	if (!NT_SUCCESS(status))
		return status;
	kt = ntps_thread_ke(t, task);
	if (kt) {
		status = ntke_queue_user_apc(kt, (u32)(unsigned long)ApcRoutine,
					     (u32)(unsigned long)ApcArgument1,
					     (u32)(unsigned long)ApcArgument2,
					     (u32)(unsigned long)ApcArgument3);
		ntob_put(&kt->obj.ob);
	} else {
		status = t->ke_closed ? STATUS_UNSUCCESSFUL : STATUS_NO_MEMORY;
	}
	ntps_ctl_unref(task, t);
	return status;
}

/* -------------------------------------------------------------------- */
/* contexts */

static NTSTATUS ntps_context_of(struct task_struct *task, CONTEXT *ctx, bool set)
{
	if (set)
		return nt_arch_set_context(task, ctx);
	nt_arch_get_context(task, ctx);
	return STATUS_SUCCESS;
}

/* The caller's own registers, or another thread's while it is stopped. */
static NTSTATUS ntps_context(HANDLE h, CONTEXT __user *uctx, bool set)
{
	struct task_struct *task;
	struct nt_thread *t;
	NTSTATUS status;
	CONTEXT *ctx;
	u32 prev;

	status = nt_capture_context(uctx, &ctx);
	if (!NT_SUCCESS(status))
		return status;
	status = ntps_ctl_ref(h, set ? THREAD_SET_CONTEXT : THREAD_GET_CONTEXT,
			      &task, &t);
	if (!NT_SUCCESS(status))
		goto out;
	if (task == current) {
		status = ntps_context_of(task, ctx, set);
	} else {
		status = ntps_stop(t, task);
		if (NT_SUCCESS(status)) {
			status = ntps_context_of(task, ctx, set);
			ntps_resume(t, &prev);
		}
	}
	ntps_ctl_unref(task, t);
	if (NT_SUCCESS(status) && !set)
		status = nt_copy_out(uctx, ctx, sizeof(*ctx));
out:
	kfree(ctx);
	return status;
}

NTSTATUS NtGetContextThread(HANDLE ThreadHandle, CONTEXT __user *ThreadContext)
{
	return ntps_context(ThreadHandle, ThreadContext, false);
}

NTSTATUS NtSetContextThread(HANDLE ThreadHandle, CONTEXT __user *ThreadContext)
{
	return ntps_context(ThreadHandle, ThreadContext, true);
}

/* -------------------------------------------------------------------- */
/* termination */

/*
 * A thread that ends itself and asked for it (TEB.FreeStackOnTermination,
 * set by RtlExitUserThread as kernel32's ExitThread sets it on XP) gets
 * its stack reservation, TEB.DeallocationStack, freed on its way out, as
 * XP's PspExitThread does: the thread cannot free the stack it runs on.
 */
void ntps_free_stack_on_termination(void)
{
	struct nt_thread *t = nt_thread_current();
	u32 stack;
	u8 flag;

	if (!t || !t->teb)
		return;
	if (!NT_SUCCESS(nt_copy_in(&flag, nt_uptr(t->teb +
				   offsetof(TEB, FreeStackOnTermination)), 1)) ||
	    !flag ||
	    !NT_SUCCESS(nt_copy_in(&stack, nt_uptr(t->teb +
				   offsetof(TEB, DeallocationStack)), 4)) ||
	    !stack)
		return;
	ntmm_release(stack);
}

/* -------------------------------------------------------------------- */
/* termination of another thread */

/*
 * In the thread, from a task_work. do_exit() here would lose whatever
 * else is queued behind this work in the same run (task_work_run() takes
 * the whole list, and runs it newest first): a setup work not yet run, a
 * park. So the thread leaves through user mode into its own
 * NtTerminateThread(NtCurrentThread(), status), as XP's termination APC
 * ends the thread on its way out; the direct do_exit() is left for a
 * thread whose stack or SharedUserData is gone.
 */
static void ntps_kill(struct nt_thread *t)
{
	u32 args[2] = { (u32)(uintptr_t)NtCurrentThread(), READ_ONCE(t->kill_status) };
	u32 service = NT_IDX_NtTerminateThread;

	/*
	 * Not started yet (NtCreateThread's): its frame is still a copy of
	 * its creator's, stack included. Its start sees t->kill instead.
	 */
	if (t->start)
		return;
	/* the last thread ends its process, as on Windows */
	if (get_nr_threads(current) == 1) {
		args[0] = (u32)(uintptr_t)NtCurrentProcess();
		service = NT_IDX_NtTerminateProcess;
	}
	if (!nt_arch_call_service(service, args, 2))
		return;
	ntps_status_record(current, NTPS_STATUS_THREAD, READ_ONCE(t->kill_status));
	ntps_do_exit((READ_ONCE(t->kill_status) & 0xff) << 8);
}

NTSTATUS ntps_terminate_thread(struct task_struct *task, NTSTATUS code)
{
	struct nt_thread *t;
	bool first;

	if (!ntps_sym((void **)&ntps_do_exit, "do_exit"))
		return STATUS_NOT_IMPLEMENTED;
	t = ntps_thread_get(task);
	if (!t)
		return STATUS_NOT_SUPPORTED;
	spin_lock(&t->ctl_lock);
	first = !t->kill;
	if (first) {
		t->kill = true;
		t->kill_status = code;
	}
	spin_unlock(&t->ctl_lock);
	wake_up_all(&t->ctl_wq);
	if (first && ntps_thread_work(t, task, ntps_kill, true)) {
		ntps_thread_put(t);
		return STATUS_THREAD_IS_TERMINATING;
	}
	ntps_thread_put(t);
	return STATUS_SUCCESS;
}

/* -------------------------------------------------------------------- */
/* creation */

void ntps_start_handoff(struct nt_thread *creator, struct nt_thread *t,
			struct task_struct *child)
{
	struct ntps_start *start = creator->start;

	creator->start = NULL;
	t->start = start;
	if (start->kt) {
		start->kt->pid = get_task_pid(child, PIDTYPE_PID);
		t->ke = start->kt;	/* the thread's reference now */
		start->kt = NULL;
	}
	t->suspend_count = start->suspended;
	nt_arch_reset_fpu(child);
	/* XP's PspCreateThread: Win32StartAddress is the context's Eax */
	t->win32_start = start->ctx.Eax;
}

static void ntps_kill(struct nt_thread *t);

/*
 * A process whose ntdll registered LdrInitializeThunk: the thread starts
 * there, as XP's PspUserThreadStartup sends it (the first user APC),
 * with the CONTEXT it was made with on its stack for the loader to
 * NtContinue() to after DLL_THREAD_ATTACH and its static TLS:
 * [return 0][&CONTEXT][0][0][0] then the CONTEXT, below CONTEXT.Esp.
 * The thread writes its own stack; on a stack it cannot write it starts
 * at the CONTEXT as it is and faults there by itself (an NT exception,
 * as XP's KiInitializeUserApc raises one), with no kernel message.
 */
static int ntps_thread_via_loader(struct nt_thread *t, struct pt_regs *regs)
{
	u32 thunk = READ_ONCE(t->proc->env.ldr_thunk);
	u32 ctx_at, frame[5] = { 0 };
	CONTEXT *ctx;

	if (!thunk)
		return 0;
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return -ENOMEM;
	ctx->ContextFlags = CONTEXT_FULL;
	nt_arch_get_context(current, ctx);
	ctx_at = (regs->sp - sizeof(*ctx)) & ~3u;
	frame[1] = ctx_at;
	if (ctx_at - sizeof(frame) < regs->sp &&
	    !copy_to_user((void __user *)(unsigned long)ctx_at, ctx, sizeof(*ctx)) &&
	    !copy_to_user((void __user *)(unsigned long)(ctx_at - sizeof(frame)),
			  frame, sizeof(frame))) {
		regs->sp = ctx_at - sizeof(frame);
		regs->ip = thunk;
	}
	kfree(ctx);
	return 0;
}

/* The new thread itself, in its setup task_work. */
int ntps_thread_start(struct nt_thread *t)
{
	struct ntps_start *start = t->start;
	struct pt_regs *regs = task_pt_regs(current);
	int err;

	err = ntps_env_thread(t, &start->iteb);
	if (!err) {
		/* what the CONTEXT does not say is zero (gs too), not the creator's */
		regs->bx = 0;
		regs->cx = 0;
		regs->dx = 0;
		regs->si = 0;
		regs->di = 0;
		regs->bp = 0;
		regs->ax = 0;
		loadsegment(gs, 0);
		start->ctx.ContextFlags |= CONTEXT_CONTROL;
		if (!NT_SUCCESS(nt_arch_set_context(current, &start->ctx)))
			err = -EINVAL;
	}
	t->start = NULL;
	kfree(start);
	/* ended before it ran: it leaves from its own stack, now set */
	if (!err && READ_ONCE(t->kill)) {
		ntps_kill(t);
		return 0;
	}
	if (!err) {
		spin_lock(&t->ctl_lock);
		if (t->suspend_count)
			t->park_queued = true;
		spin_unlock(&t->ctl_lock);
		ntps_park(t);
		/* after a first suspension: the CONTEXT as it was set meanwhile */
		if (!READ_ONCE(t->kill) && !fatal_signal_pending(current))
			err = ntps_thread_via_loader(t, regs);
	}
	return err;
}

#define NTPS_CLONE_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			  CLONE_THREAD | CLONE_SYSVSEM)

NTSTATUS NtCreateThread(HANDLE __user *ThreadHandle, ACCESS_MASK DesiredAccess,
			const OBJECT_ATTRIBUTES __user *ObjectAttributes,
			HANDLE ProcessHandle, CLIENT_ID __user *ClientId,
			CONTEXT __user *ThreadContext, INITIAL_TEB __user *InitialTeb,
			BOOLEAN CreateSuspended)
{
	struct kernel_clone_args args = {
		.flags = NTPS_CLONE_FLAGS,
		.exit_signal = 0,
	};
	struct nt_thread *self = nt_thread_current();
	struct task_struct *proc, *task, *other = NULL;
	struct ntke_thread *kt;
	struct ntps_start *start;
	OBJECT_ATTRIBUTES oa = {};
	ACCESS_MASK access;
	CLIENT_ID cid;
	NTSTATUS status;
	pid_t tid, tgid;

	status = nt_prewrite_handle(ThreadHandle);
	if (!NT_SUCCESS(status))
		return status;
	if (!ThreadContext || !InitialTeb)
		return STATUS_INVALID_PARAMETER;
	/* written once before anything is made, as XP's probe writes it */
	memset(&cid, 0, sizeof(cid));
	if (!NT_SUCCESS(nt_copy_out(ClientId, &cid, sizeof(cid))))
		return STATUS_ACCESS_VIOLATION;
	if (ObjectAttributes &&
	    !NT_SUCCESS(nt_copy_in(&oa, ObjectAttributes, sizeof(oa))))
		return STATUS_ACCESS_VIOLATION;
	if (ObjectAttributes && oa.Length != sizeof(oa))
		return STATUS_INVALID_PARAMETER;
	status = ntps_ref_process(ProcessHandle, PROCESS_CREATE_THREAD, &proc);
	if (!NT_SUCCESS(status))
		return status;
	/* another process: NtCreateProcess's, before its first thread */
	if (!same_thread_group(proc, current))
		other = get_task_struct(proc);
	ntps_unref(proc);
	if (!other && !ntps_sym((void **)&ntps_kernel_clone, "kernel_clone"))
		return STATUS_NOT_IMPLEMENTED;
	access = ntob_map_access(&ntke_thread_type, DesiredAccess);

	status = STATUS_NO_MEMORY;
	start = kzalloc(sizeof(*start), GFP_KERNEL_ACCOUNT);
	if (!start)
		goto out_other;
	if (!NT_SUCCESS(nt_copy_in(&start->ctx, ThreadContext, sizeof(start->ctx))) ||
	    !NT_SUCCESS(nt_copy_in(&start->iteb, InitialTeb, sizeof(start->iteb)))) {
		kfree(start);
		status = STATUS_ACCESS_VIOLATION;
		goto out_other;
	}
	start->suspended = !!CreateSuspended;
	kt = ntke_thread_alloc();
	if (!kt) {
		kfree(start);
		goto out_other;
	}
	/* one reference for the thread (given at the handoff), one for us */
	ntob_get(&kt->obj.ob);
	start->kt = kt;

	if (other) {
		start->kt = NULL;	/* given by ntps_husk_start */
		status = ntps_husk_start(other, start, kt, start->suspended,
					 start->ctx.Eax);
		if (!NT_SUCCESS(status)) {
			ntps_thread_ctl_release_start(start);
			ntob_put(&kt->obj.ob);
			ntob_put(&kt->obj.ob);
			goto out_other;
		}
		tid = task_pid_vnr(other);
		tgid = task_tgid_vnr(other);
		put_task_struct(other);
		goto handle;
	}

	/* the fork probe hands it to the new thread (ntps_start_handoff) */
	self->start = start;
	tid = ntps_kernel_clone(&args);
	if (self->start) {	/* no thread took it */
		self->start = NULL;
		ntps_thread_ctl_release_start(start);
		ntob_put(&kt->obj.ob);
		return tid < 0 ? nt_status_from_errno(tid) : STATUS_UNSUCCESSFUL;
	}
	tgid = task_tgid_vnr(current);
handle:
	status = ntob_create_handle_out(&kt->obj.ob, access,
					oa.Attributes & OBJ_INHERIT, ThreadHandle);
	if (!NT_SUCCESS(status)) {
		/* a thread nobody can reach: end it, as XP does */
		task = get_pid_task(kt->pid, PIDTYPE_PID);
		if (task) {
			ntps_terminate_thread(task, status);
			put_task_struct(task);
		}
		ntob_put(&kt->obj.ob);
		return status;
	}
	ntob_put(&kt->obj.ob);
	cid.UniqueProcess = tgid;
	cid.UniqueThread = tid;
	if (!NT_SUCCESS(nt_copy_out(ClientId, &cid, sizeof(cid))))
		return STATUS_ACCESS_VIOLATION;	/* the thread runs: as XP */
	return STATUS_SUCCESS;
out_other:
	if (other)
		put_task_struct(other);
	return status;
}
