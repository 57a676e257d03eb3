// SPDX-License-Identifier: GPL-2.0
/*
 * Exceptions: a CPU fault of an NT thread, and NtRaiseException, go to
 * user mode as XP's KiDispatchException sends them, through the
 * process's KiUserExceptionDispatcher (NTP_IOC_SET_DISPATCHERS) with an
 * EXCEPTION_RECORD and the CONTEXT on the thread's own stack
 * (nt_arch_push_user_exception). A process that registered none, and a
 * thread being ptraced (the debugger is a Linux one: it sees the
 * signal), keep Linux's signals.
 *
 * The fault: Linux's trap handler forces a signal on the faulting task.
 * The signal_generate tracepoint sees it there, in the task itself, with
 * the trap still in current->thread (nt_arch_fault_probe); it queues a
 * task_work (no TWA notification: the task is on its way to user mode
 * with a signal pending, and get_signal() runs task_work before it
 * dequeues anything). The work, in process context, takes the signal
 * back (dequeue_signal() under siglock) and pushes the exception frame
 * instead. Allocation in the probe is atomic (siglock is held); if it
 * fails, the fault stays a Linux signal.
 *
 * The end: an exception nobody handles (NtRaiseException with FirstChance
 * FALSE, which KiUserExceptionDispatcher calls when RtlDispatchException
 * found no handler) ends the process with the exception code as its NT
 * exit status, as XP does without a debugger; so does a frame that
 * cannot be written on the user stack (XP: the same second chance). The
 * Linux end is the signal the fault would have been (SIGSEGV for an
 * access violation, SIGFPE, SIGILL, SIGTRAP: default action, core dump,
 * what a shell or waitpid() expects of a crashed program); an exception
 * that is no CPU fault (a software code) is an exit with the code's low
 * byte. Either way NtQueryInformationProcess reports the whole code.
 *
 * Security: a thread can only fault itself, and its frame is written with
 * its own user access; NtRaiseException sets only the caller's context,
 * sanitized as NtContinue's.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include "internal.h"
#include "i386/arch.h"
#include "mm/mm.h"
#include "ps/ps.h"
#include "ps/exit_status.h"
#include "uaccess.h"
#include "generated/nt_services.h"

struct ntps_fault {
	struct callback_head cb;
	struct rcu_head rcu;
	struct nt_thread *t;
	struct nt_arch_fault f;
};

/* The Linux end of an unhandled exception: the fault it stands for */
static int ntps_exception_signal(NTSTATUS code)
{
	switch (code) {
	case STATUS_ACCESS_VIOLATION:
	case STATUS_GUARD_PAGE_VIOLATION:
	case STATUS_STACK_OVERFLOW:
	case STATUS_ARRAY_BOUNDS_EXCEEDED:
	case STATUS_INTEGER_OVERFLOW:
		return SIGSEGV;
	case STATUS_IN_PAGE_ERROR:
	case STATUS_DATATYPE_MISALIGNMENT:
		return SIGBUS;
	case STATUS_INTEGER_DIVIDE_BY_ZERO:
	case STATUS_FLOAT_DENORMAL_OPERAND:
	case STATUS_FLOAT_DIVIDE_BY_ZERO:
	case STATUS_FLOAT_INEXACT_RESULT:
	case STATUS_FLOAT_INVALID_OPERATION:
	case STATUS_FLOAT_OVERFLOW:
	case STATUS_FLOAT_STACK_CHECK:
	case STATUS_FLOAT_UNDERFLOW:
	case STATUS_FLOAT_MULTIPLE_TRAPS:
		return SIGFPE;
	case STATUS_ILLEGAL_INSTRUCTION:
	case STATUS_PRIVILEGED_INSTRUCTION:
		return SIGILL;
	case STATUS_BREAKPOINT:
	case STATUS_SINGLE_STEP:
	case STATUS_ASSERTION_FAILURE:
		return SIGTRAP;
	}
	return 0;
}

static void (*ntps_force_fatal_sig)(int sig);

/*
 * XP's third strike without a debugger: ZwTerminateProcess(self, code).
 * Returns: the process is on its way out once current returns to user
 * mode (the fatal signal, with its default action whatever the handler)
 * or has exited.
 */
static void ntps_exception_unhandled(NTSTATUS code)
{
	void (*fatal)(int sig);
	struct nt_thread *t = nt_thread_current();
	int sig = ntps_exception_signal(code);

	if (!(READ_ONCE(current->signal->flags) & SIGNAL_GROUP_EXIT))
		ntps_status_record(current->group_leader, NTPS_STATUS_PROCESS,
				   code);
	fatal = ntps_sym((void **)&ntps_force_fatal_sig, "force_fatal_sig");
	if (sig && fatal && t) {
		set_bit(NT_THREAD_EXC_FATAL, &t->flags);	/* not ours */
		fatal(sig);
		return;
	}
	NtTerminateProcess((HANDLE)0xffffffff, code);
}

/*
 * A guard page was hit at @addr (its guard is gone). In the thread's own
 * stack (TEB DeallocationStack..StackBase) it is XP's stack growth
 * (MiCheckForUserStackOverflow): StackLimit goes down to the page, the
 * guard to the page below, and the thread goes on as if nothing had
 * happened (0); when the guard would reach the last page of the
 * reservation, STATUS_STACK_OVERFLOW, with StackLimit one page above the
 * reservation's base (what is left is the handler's). Elsewhere,
 * STATUS_GUARD_PAGE_VIOLATION.
 */
static NTSTATUS ntps_guard_hit(u32 addr)
{
	struct nt_thread *t = nt_thread_current();
	u32 page = addr & PAGE_MASK, dealloc, base;
	TEB __user *teb;

	if (!t || !t->teb)
		return STATUS_GUARD_PAGE_VIOLATION;
	teb = nt_uptr(t->teb);
	if (get_user(dealloc, &teb->DeallocationStack) ||
	    get_user(base, &teb->NtTib.StackBase) ||
	    addr < dealloc || addr >= base)
		return STATUS_GUARD_PAGE_VIOLATION;
	if (page - 2 * PAGE_SIZE <= dealloc || page < 2 * PAGE_SIZE) {
		put_user(dealloc + PAGE_SIZE, &teb->NtTib.StackLimit);
		return STATUS_STACK_OVERFLOW;
	}
	if (put_user(page, &teb->NtTib.StackLimit) ||
	    ntmm_set_guard(page - PAGE_SIZE))
		return STATUS_STACK_OVERFLOW;
	return 0;
}

/*
 * XP moves TEB.StackLimit down as its stack guard page moves; Linux grows
 * a main thread's stack (VM_GROWSDOWN) by itself. Before user mode checks
 * its handler chain against the limit, follow the growth.
 */
static void ntps_follow_stack(void)
{
	struct nt_thread *t = nt_thread_current();
	unsigned long sp = task_pt_regs(current)->sp;
	struct vm_area_struct *vma;
	TEB __user *teb;
	u32 limit, low = 0;

	if (!t || !t->teb)
		return;
	teb = nt_uptr(t->teb);
	if (get_user(limit, &teb->NtTib.StackLimit) || sp >= limit)
		return;
	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, sp);
	if (vma && vma->vm_start <= sp && (vma->vm_flags & VM_GROWSDOWN))
		low = vma->vm_start;
	mmap_read_unlock(current->mm);
	if (low)
		put_user(low, &teb->NtTib.StackLimit);
}

/*
 * The frame is about to go below StackLimit, onto the stack's guard
 * page: the stack grows through it first, as XP's probe of the frame
 * would make it (an overflow there leaves the push to fail).
 */
static void ntps_grow_for_frame(void)
{
	struct nt_thread *t = nt_thread_current();
	u32 bottom = task_pt_regs(current)->sp -
		     sizeof(struct nt_exception_frame);
	u32 limit;

	if (!t || !t->teb ||
	    get_user(limit, &((TEB __user *)nt_uptr(t->teb))->NtTib.StackLimit))
		return;
	while (bottom < limit && limit >= PAGE_SIZE &&
	       ntmm_guard_fault(limit - PAGE_SIZE) &&
	       !ntps_guard_hit(limit - PAGE_SIZE))
		limit -= PAGE_SIZE;
}

/*
 * current goes to KiUserExceptionDispatcher with @e; on a stack that
 * cannot take the frame, or without a dispatcher, it ends.
 */
static void ntps_exception_dispatch(struct nt_exception_frame *e)
{
	struct nt_process *proc = nt_process_current();
	u32 dispatcher = proc ? READ_ONCE(proc->env.exception_dispatcher) : 0;

	ntps_follow_stack();
	ntps_grow_for_frame();
	if (!dispatcher ||
	    nt_arch_push_user_exception(dispatcher, e))
		ntps_exception_unhandled(e->rec.ExceptionCode);
}

static void ntps_fault_free(struct rcu_head *rcu)
{
	struct ntps_fault *w = container_of(rcu, struct ntps_fault, rcu);

	ntps_thread_put(w->t);
	kfree(w);
	module_put(THIS_MODULE);
}

/* Take back the fault's signal; false if it is not pending any more. */
static bool ntps_take_signal(const struct nt_arch_fault *f)
{
	/* a task's own sighand only changes under it (exec) */
	struct sighand_struct *sighand =
		rcu_dereference_protected(current->sighand, 1);
	kernel_siginfo_t info;
	enum pid_type type;
	sigset_t mask;
	int sig;

	siginitsetinv(&mask, sigmask(f->sig));
	spin_lock_irq(&sighand->siglock);
	sig = dequeue_signal(current, &mask, &info, &type);
	spin_unlock_irq(&sighand->siglock);
	return sig == f->sig;
}

static void ntps_fault_work(struct callback_head *cb)
{
	struct ntps_fault *w = container_of(cb, struct ntps_fault, cb);
	struct nt_arch_fault f = w->f;
	bool released = test_bit(NT_THREAD_RELEASED, &w->t->flags);
	struct nt_exception_frame *e;

	call_rcu(&w->rcu, ntps_fault_free);
	if (released || (current->flags & PF_EXITING) ||
	    fatal_signal_pending(current))
		return;
	e = nt_thread_exc_frame();
	if (!e)
		return;		/* the signal does it */
	if (ntps_take_signal(&f)) {
		nt_arch_fault_exception(&f, &e->rec, &e->ctx);
		if (f.sig == SIGSEGV && f.si_code == SEGV_ACCERR &&
		    e->rec.ExceptionCode == STATUS_ACCESS_VIOLATION &&
		    ntmm_guard_fault(f.addr)) {
			/* one-shot guard page; the record's parameters stay */
			e->rec.ExceptionCode = ntps_guard_hit(f.addr);
			if (!e->rec.ExceptionCode)
				return;		/* a stack grew: retry it */
		}
		ntps_exception_dispatch(e);
	}
}

/* TRACE_SIGNAL_DELIVERED of include/trace/events/signal.h */
#define NTPS_SIGNAL_DELIVERED	0

/*
 * signal_generate tracepoint: every signal sent, under the target's
 * siglock. Cheap tests first; ours is a CPU fault forced on current.
 */
void ntps_probe_signal(void *data, int sig, struct kernel_siginfo *info,
		       struct task_struct *task, int group, int result)
{
	struct nt_process *proc;
	struct nt_thread *t;
	struct ntps_fault *w;

	if (task != current || group || result != NTPS_SIGNAL_DELIVERED ||
	    info == SEND_SIG_NOINFO || info == SEND_SIG_PRIV ||
	    info->si_code <= 0)
		return;
	if (!(sigmask(sig) & (sigmask(SIGSEGV) | sigmask(SIGBUS) |
			      sigmask(SIGFPE) | sigmask(SIGILL) |
			      sigmask(SIGTRAP))))
		return;
	if (current->ptrace || (current->flags & (PF_KTHREAD | PF_EXITING |
						  PF_IO_WORKER)))
		return;
	t = nt_thread_current();
	if (!t || test_bit(NT_THREAD_EXC_FATAL, &t->flags))
		return;
	proc = nt_process_current();
	if (!proc || !READ_ONCE(proc->env.exception_dispatcher))
		return;
	w = kmalloc(sizeof(*w), GFP_ATOMIC | __GFP_ACCOUNT | __GFP_NOWARN);
	if (!w)
		return;
	if (!nt_arch_fault_probe(sig, info, &w->f) ||
	    !refcount_inc_not_zero(&t->users)) {
		kfree(w);
		return;
	}
	__module_get(THIS_MODULE);
	w->t = t;
	init_task_work(&w->cb, ntps_fault_work);
	if (task_work_add(current, &w->cb, TWA_NONE)) {
		ntps_thread_put(t);
		kfree(w);
		module_put(THIS_MODULE);
	}
}

/*
 * NtRaiseException: XP's KiRaiseException. The thread takes @Context
 * (sanitized as NtContinue does) and the exception is dispatched from
 * there: first chance to KiUserExceptionDispatcher, second chance (no
 * handler took it) ends the process.
 */
NTSTATUS NtRaiseException(EXCEPTION_RECORD __user *ExceptionRecord,
			  CONTEXT __user *ContextRecord, BOOLEAN FirstChance)
{
	const size_t head = offsetof(EXCEPTION_RECORD, ExceptionInformation);
	struct nt_exception_frame *e = nt_thread_exc_frame();
	NTSTATUS status;
	u32 eax;

	if (!e)
		return STATUS_NO_MEMORY;
	status = nt_copy_in(&e->rec, ExceptionRecord, head);
	if (!NT_SUCCESS(status))
		return status;
	if (e->rec.NumberParameters > EXCEPTION_MAXIMUM_PARAMETERS)
		return STATUS_INVALID_PARAMETER;
	status = nt_copy_in(e->rec.ExceptionInformation,
			    (u8 __user *)ExceptionRecord + head,
			    e->rec.NumberParameters * sizeof(u32));
	if (!NT_SUCCESS(status))
		return status;
	/* the kernel's own bit: user mode may not claim it (XP) */
	e->rec.ExceptionCode &= ~0x10000000;
	status = nt_copy_in(&e->ctx, ContextRecord, sizeof(e->ctx));
	if (!NT_SUCCESS(status))
		return status;
	status = nt_arch_set_context(current, &e->ctx);
	if (!NT_SUCCESS(status))
		return status;
	eax = task_pt_regs(current)->ax;
	if (!FirstChance) {
		ntps_exception_unhandled(e->rec.ExceptionCode);
	} else {
		e->ctx.ContextFlags = CONTEXT_ALL;
		nt_arch_get_context(current, &e->ctx);
		ntps_exception_dispatch(e);
	}
	/* as NtContinue: the return path puts the "status" in Eax */
	return eax;
}
