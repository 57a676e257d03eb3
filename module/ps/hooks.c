// SPDX-License-Identifier: GPL-2.0
/*
 * The one place that knows which subsystem keeps state per process and per
 * thread, and in which order it is built and torn down.
 */
#include <linux/sched/signal.h>
#include "ps/ps.h"
#include "i386/arch.h"
#include "ob/ob.h"
#include "ke/ke.h"
#include "mm/mm.h"

int ntps_process_init(struct nt_process *proc, struct nt_process *parent)
{
	int err;

	err = ntob_process_init(&proc->ob, parent ? &parent->ob : NULL);
	if (err)
		return err;
	err = ntmm_process_init(&proc->mm, parent ? &parent->mm : NULL);
	if (err) {
		ntob_process_fini(&proc->ob);
		return err;
	}
	ntio_process_init(&proc->io, parent ? &parent->io : NULL);
	ntps_env_init(proc);
	return 0;
}

/*
 * NtCreateProcess(Ex)'s process (ps/create.c): a fresh address space, the
 * creator's inheritable handles or none, and the creator's C: root.
 */
int ntps_process_init_husk(struct nt_process *proc, struct nt_process *creator,
			   bool inherit)
{
	int err;

	err = inherit ? ntob_process_init_inherit(&proc->ob, &creator->ob) :
			ntob_process_init(&proc->ob, NULL);
	if (err)
		return err;
	err = ntmm_process_init(&proc->mm, NULL);
	if (err) {
		ntob_process_fini(&proc->ob);
		return err;
	}
	ntio_process_init(&proc->io, &creator->io);
	ntps_env_init(proc);
	return 0;
}

/* On nt_wq, under the process's credentials (nt_process_teardown()). */
void ntps_process_fini(struct nt_process *proc)
{
	ntio_process_fini(&proc->io);
	ntmm_process_fini(&proc->mm);
	ntob_process_fini(&proc->ob);	/* closes handles: may sleep */
	ntps_env_fini(proc);
	nt_arch_process_fini(proc);
}

void ntps_thread_init(struct nt_thread *t)
{
}

void ntps_thread_exit(struct nt_thread *t)
{
	ntps_thread_ke_close(t);	/* before t->ke goes */
	/* what its thread object will answer once Linux has reaped it */
	if (t->ke) {
		t->ke->exit_status = ntps_exiting_thread_status();
		t->ke->tgid = get_task_pid(current, PIDTYPE_TGID);
	}
	ntke_thread_exit(t);	/* abandons owned mutants; atomic */
	/*
	 * The last thread of the thread group (each exiting thread counted
	 * itself out of signal->live before this tracepoint): the process
	 * has exited, its status is final, its waiters wake (XP signals the
	 * process as its last thread terminates, PspExitThread). A detach
	 * (no PF_EXITING) is no exit.
	 */
	if ((current->flags & PF_EXITING) &&
	    !atomic_read(&current->signal->live))
		ntke_process_exit(t->proc->ke, ntps_exiting_process_status());
	ntps_env_thread_exit(t);
	kfree(t->exc_frame);	/* nt_thread_exc_frame() */
	t->exc_frame = NULL;
}
