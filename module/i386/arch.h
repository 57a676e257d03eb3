/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the rest of the module asks of the i386 entry code.
 */
#ifndef NTP_I386_ARCH_H
#define NTP_I386_ARCH_H

struct nt_thread;
struct nt_process;

int nt_arch_init(void);
void nt_arch_exit(void);
/* Preempt notifier hooks of an attached thread; preemption is disabled. */
void nt_arch_sched_in(struct nt_thread *t);
void nt_arch_sched_out(struct nt_thread *t);
/* Map (unmap) SharedUserData into current->mm. May sleep. */
int nt_arch_attach_mm(struct nt_process *proc);
void nt_arch_detach_mm(struct nt_process *proc);

#endif /* NTP_I386_ARCH_H */
