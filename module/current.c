// SPDX-License-Identifier: GPL-2.0
/*
 * The NT thread and process of the running task, for every layer.
 *
 * An attached thread's struct nt_thread is a preempt notifier on its
 * task: that is how the running task finds its NT state without a lookup
 * (the notifier keeps a per-CPU pointer to it, internal.h), and how the
 * sysenter hook follows the task across CPUs. This file owns the
 * notifier's ops and its registration; ps/process.c decides when.
 * Base layer: it calls only the arch part.
 */
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include "internal.h"
#include "i386/arch.h"

DEFINE_PER_CPU(struct nt_thread *, nt_current_thread);

static void nt_sched_in(struct preempt_notifier *pn, int cpu)
{
	struct nt_thread *t = container_of(pn, struct nt_thread, pn);

	__this_cpu_write(nt_current_thread, t);
	if (t->proc)
		nt_arch_sched_in(t);
}

static void nt_sched_out(struct preempt_notifier *pn, struct task_struct *next)
{
	struct nt_thread *t = container_of(pn, struct nt_thread, pn);

	__this_cpu_write(nt_current_thread, NULL);
	if (t->proc)
		nt_arch_sched_out(t);
}

void (*nt_park_hook)(struct nt_thread *t) __read_mostly;

struct preempt_ops nt_preempt_ops = {
	.sched_in = nt_sched_in,
	.sched_out = nt_sched_out,
};

/*
 * The running task adds its own notifier (a parent adds a child's before
 * the child first runs, which the child's first sched_in then finds).
 * Preemption off: a switch between the two would clear the pointer.
 */
void nt_thread_register(struct nt_thread *t)
{
	preempt_disable();
	preempt_notifier_register(&t->pn);
	__this_cpu_write(nt_current_thread, t);
	preempt_enable();
}

/* The running task removes its own, with preemption off (its caller's). */
void nt_thread_unregister(struct nt_thread *t)
{
	lockdep_assert_preemption_disabled();
	preempt_notifier_unregister(&t->pn);
	__this_cpu_write(nt_current_thread, NULL);
}

/*
 * The running thread's exception frame buffer (i386/arch.h), made at its
 * first use and kept, charged to it, until the thread exits
 * (ps/hooks.c): ps/except.c builds exceptions in it, NtContinue reads its
 * CONTEXT into it. Neither overlaps with the other (an exception is
 * pushed before the thread runs user code again), so the common path
 * allocates nothing. NULL without memory, or for a task that is no NT
 * thread.
 */
struct nt_exception_frame *nt_thread_exc_frame(void)
{
	struct nt_thread *t = nt_thread_current();

	if (!t)
		return NULL;
	if (!t->exc_frame)
		t->exc_frame = kmalloc(sizeof(*t->exc_frame), GFP_KERNEL_ACCOUNT);
	return t->exc_frame;
}
