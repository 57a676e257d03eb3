/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Process and thread hooks: where each subsystem sets up and tears down its
 * per-process and per-thread state. Called by ps/process.c only.
 */
#ifndef NTP_PS_H
#define NTP_PS_H

#include <linux/wait.h>
#include "internal.h"
#include "nt/ntps.h"

/*
 * The sleeps of ps/ that last as long as user space wants them to (a
 * process without a thread, a suspended thread, a caller waiting for
 * another thread to stop): killable, and freezable, or one such task
 * would make every system suspend fail ("Freezing of tasks failed"): the
 * freezer turns a TASK_FREEZABLE sleeper into TASK_FROZEN where it is,
 * and its thaw wakes it, so the condition is checked again. Only where
 * no lock is held. 6.1 has no wait_event_*() for this pair; vfork's
 * wait (kernel/fork.c) uses the same state.
 */
#define ntps_wait_event_freezable_killable(wq, cond)			\
	___wait_event(wq, cond, (TASK_KILLABLE | TASK_FREEZABLE), 0, 0,	\
		      schedule())

/* Process context, may sleep. @parent is set for a fork child. */
int ntps_process_init(struct nt_process *proc, struct nt_process *parent);
/* On the module's workqueue, which module unload flushes (process.c). */
void ntps_queue_work(struct work_struct *work);
/* Last reference gone; workqueue context, may sleep. */
void ntps_process_fini(struct nt_process *proc);
/* A thread joins or leaves @t->proc. thread_exit runs in atomic context. */
void ntps_thread_init(struct nt_thread *t);
void ntps_thread_exit(struct nt_thread *t);

/*
 * ps/teb.c: PEB and TEBs in the process's address space, fs at the TEB.
 * All but thread_exit run in the task itself (process context, current's
 * mm) and return 0 or -errno.
 */
void ntps_env_init(struct nt_process *proc);
void ntps_env_fini(struct nt_process *proc);
/* The image file NTP_IOC_SET_IMAGE named, referenced, or NULL (teb.c). */
struct file *ntps_env_image(struct nt_process *proc);
/* a new process (attach, exec attach): PEB and the first TEB */
int ntps_env_create(struct nt_process *proc, struct nt_thread *t);
/* a fork child, before it first returns to user mode */
int ntps_env_fork(struct nt_process *proc, struct nt_process *parent,
		  struct nt_thread *t);
/*
 * a new thread of t->proc, before it first returns to user mode; @iteb:
 * NtCreateThread's stack, or NULL for the one it runs on
 */
int ntps_env_thread(struct nt_thread *t, const INITIAL_TEB *iteb);
/* atomic: the thread is gone, its TEB page is free for the next one */
void ntps_env_thread_exit(struct nt_thread *t);
/* a single-threaded process detaches: PEB and TEB pages unmapped */
void ntps_env_detach(struct nt_process *proc, struct nt_thread *t);

/* ps/params.c: PEB->ProcessParameters of an exec attach (ntrun) */
int ntps_params_create(struct nt_process *proc);

/*
 * info.c: may the caller reach @task in ptrace @mode (PTRACE_MODE_*)?
 * Always for its own thread group.
 */
bool ntps_may_access(struct task_struct *task, unsigned int mode);
/*
 * info.c: may the caller have a handle with @access to the task of @pid,
 * as NtOpenProcess/NtOpenThread would decide now? (ntob_type.may_grant)
 */
NTSTATUS ntps_may_grant_pid(struct pid *pid, ACCESS_MASK access);

/*
 * info.c: the task behind a process (its leader) or thread handle, for a
 * use of @access: checked now (ptrace rules for another process, which is
 * held against exec until ntps_unref()). NtCurrentProcess/Thread work.
 */
NTSTATUS ntps_ref_process(HANDLE h, ACCESS_MASK access,
			  struct task_struct **task);
NTSTATUS ntps_ref_thread(HANDLE h, ACCESS_MASK access,
			 struct task_struct **task);
void ntps_unref(struct task_struct *task);
/* info.c: the status of current, exiting now (the exit tracepoint) */
NTSTATUS ntps_exiting_thread_status(void);
/* info.c: the status of current's process, whose last thread current is */
NTSTATUS ntps_exiting_process_status(void);
/* thread.c: @t's thread object, made if it has none; NULL once it exits */
struct ntke_thread *ntps_thread_ke(struct nt_thread *t, struct task_struct *task);
/* except.c: the signal_generate tracepoint's probe */
struct kernel_siginfo;
void ntps_probe_signal(void *data, int sig, struct kernel_siginfo *info,
		       struct task_struct *task, int group, int result);
/* info.c: a kernel symbol found once by name (nt_lookup), cached in @slot */
void *ntps_sym(void **slot, const char *name);

/*
 * process.c: the NT state of @task with a reference (ntps_thread_put()),
 * or NULL; and a task_work that runs @fn in @task unless its NT state is
 * released first (@signal: TWA_SIGNAL, which also interrupts a sleep).
 */
/* teb.c: ThreadZeroTlsCell: TLS slot @index cleared in every TEB */
void ntps_zero_tls_cell(struct nt_process *proc, u32 index);
struct nt_thread *ntps_thread_get(struct task_struct *task);
void ntps_thread_put(struct nt_thread *t);
/* thread.c: nt_park_hook, a suspension met inside an NT wait */
void ntps_park_in_wait(struct nt_thread *t);
int ntps_thread_work(struct nt_thread *t, struct task_struct *task,
		     void (*fn)(struct nt_thread *t), bool signal);

/*
 * thread.c: NtCreateThread's start (handed from the creator's nt_thread
 * to the new one by the fork probe, in atomic context), the new thread's
 * first steps, and the end of a thread's NT state.
 */
void ntps_start_handoff(struct nt_thread *creator, struct nt_thread *t,
			struct task_struct *child);
int ntps_thread_start(struct nt_thread *t);
void ntps_thread_ctl_release(struct nt_thread *t);
void ntps_thread_ke_close(struct nt_thread *t);
/* thread.c: the stack of a thread ending itself, if it asked for that */
void ntps_free_stack_on_termination(void);
/* thread.c: NtTerminateThread of another thread of a process */
NTSTATUS ntps_terminate_thread(struct task_struct *task, NTSTATUS status);

/*
 * create.c: NtCreateProcess(Ex)'s child ("husk"): its setup (the exec
 * attach's work), its end before that, its first thread (NtCreateThread,
 * handed under its ctl_lock), the close of its creator's handle.
 */
struct ntps_husk;
struct ntps_start;
struct ntke_thread;
void ntps_husk_setup(struct nt_thread *t);
void ntps_husk_exit(struct nt_thread *t);
NTSTATUS ntps_husk_start(struct task_struct *task, struct ntps_start *start,
			 struct ntke_thread *kt, bool suspended, u32 win32);
void ntps_husk_orphan(struct pid *pid);
/* hooks.c and process.c: the husk's NT process, and joining it */
int ntps_process_init_husk(struct nt_process *proc, struct nt_process *creator,
			   bool inherit);
struct nt_process *ntps_process_new_husk(struct nt_process *creator,
					 bool inherit);
void ntps_thread_join_current(struct nt_thread *t, struct nt_process *proc);
/* info.c: a handle to the process of @task (NtCreateProcess: @husk) */
NTSTATUS ntps_process_handle_out(struct task_struct *task, ACCESS_MASK access,
				 ULONG attributes, HANDLE __user *uh, bool husk);

#endif /* NTP_PS_H */
