// SPDX-License-Identifier: GPL-2.0
/*
 * The one place that knows which subsystem keeps state per process and per
 * thread, and in which order it is built and torn down.
 */
#include "ps/ps.h"
#include "mm/mm.h"

int ntps_process_init(struct nt_process *proc, struct nt_process *parent)
{
	return ntmm_process_init(&proc->mm, parent ? &parent->mm : NULL);
}

void ntps_process_fini(struct nt_process *proc)
{
	ntmm_process_fini(&proc->mm);
}

void ntps_thread_init(struct nt_thread *t)
{
}

void ntps_thread_exit(struct nt_thread *t)
{
}
