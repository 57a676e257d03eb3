// SPDX-License-Identifier: GPL-2.0
/*
 * The NT thread and process of the running task, for every layer.
 *
 * An attached thread's struct nt_thread is a preempt notifier on its
 * task: that is how the running task finds its NT state without a lookup
 * (it is the first notifier, unless another module added its own since:
 * the inline accessors in internal.h check the first and come here for
 * the rest), and how the sysenter hook follows the task across CPUs. This
 * file owns the notifier's ops; ps/process.c registers and unregisters
 * threads.
 * Base layer: it calls only the arch part.
 */
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include "internal.h"
#include "i386/arch.h"

static void nt_sched_in(struct preempt_notifier *pn, int cpu)
{
	struct nt_thread *t = container_of(pn, struct nt_thread, pn);

	if (t->proc)
		nt_arch_sched_in(t);
}

static void nt_sched_out(struct preempt_notifier *pn, struct task_struct *next)
{
	struct nt_thread *t = container_of(pn, struct nt_thread, pn);

	if (t->proc)
		nt_arch_sched_out(t);
}

void (*nt_park_hook)(struct nt_thread *t) __read_mostly;

struct preempt_ops nt_preempt_ops = {
	.sched_in = nt_sched_in,
	.sched_out = nt_sched_out,
};

/* Another notifier is in front of ours (see internal.h): walk the rest. */
struct nt_thread *nt_thread_current_walk(struct hlist_node *first)
{
	struct preempt_notifier *pn = hlist_entry(first, struct preempt_notifier, link);

	hlist_for_each_entry_continue(pn, link)
		if (pn->ops == &nt_preempt_ops)
			return container_of(pn, struct nt_thread, pn);
	return NULL;
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
