/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the rest of the module asks of the i386 entry code.
 */
#ifndef NTP_I386_ARCH_H
#define NTP_I386_ARCH_H

#include <linux/types.h>
#include "nt/ntps.h"

struct nt_thread;
struct nt_process;
struct task_struct;

int nt_arch_init(void);
void nt_arch_exit(void);
/* Preempt notifier hooks of an attached thread; preemption is disabled. */
void nt_arch_sched_in(struct nt_thread *t);
void nt_arch_sched_out(struct nt_thread *t);
/* Map (unmap) SharedUserData into current->mm. May sleep. */
int nt_arch_attach_mm(struct nt_process *proc);
void nt_arch_detach_mm(struct nt_process *proc);
/* The process is gone (workqueue context). */
void nt_arch_process_fini(struct nt_process *proc);
/*
 * fs = 0x3b with base @teb for the current thread (teb.c); 0 clears both.
 * Process context.
 */
void nt_arch_set_teb(u32 teb);
/*
 * context.c: the user-mode registers of @task (current, or a thread that
 * is parked before returning to user mode) as a CONTEXT, for the parts
 * ctx->ContextFlags asks; and back, sanitized.
 */
void nt_arch_get_context(struct task_struct *task, CONTEXT *ctx);
NTSTATUS nt_arch_set_context(struct task_struct *task, const CONTEXT *ctx);
/* A thread that has not run yet: XP's initial FPU state, gs 0. */
void nt_arch_reset_fpu(struct task_struct *task);
/*
 * context.c: current returns to user mode into @dispatcher with a user
 * APC frame on its stack: @words (routine, context, two arguments), then
 * the CONTEXT it was leaving, with Eax = @status. -EFAULT if the stack
 * cannot take it.
 */
int nt_arch_push_user_apc(u32 dispatcher, const u32 *words, NTSTATUS status);
/*
 * context.c: current returns to user mode at @ip with @len bytes of @frame
 * pushed on its user stack (no syscall restart); -EFAULT if they do not fit.
 */
int nt_arch_enter_user(u32 ip, const void *frame, size_t len);
/*
 * An exception on its way to user mode: XP's frame once the record is cut
 * after its parameters (nt_arch_push_user_exception moves the CONTEXT
 * down to it, in place).
 */
struct nt_exception_frame {
	u32 args[2];		/* the record's and the CONTEXT's addresses */
	EXCEPTION_RECORD rec;
	CONTEXT ctx;
};

/*
 * context.c: current returns to user mode into KiUserExceptionDispatcher
 * (@dispatcher) with XP's exception frame of @f->rec and @f->ctx (whose
 * Eip goes back over the int3 of a STATUS_BREAKPOINT); -EFAULT if the
 * stack cannot take it. @f is spent.
 */
int nt_arch_push_user_exception(u32 dispatcher, struct nt_exception_frame *f);
void nt_arch_fpu_clear_x87_exceptions(void);
/*
 * exception.c: a CPU fault of current, as the kernel's trap handler left
 * it in current->thread when it forced the signal.
 */
struct nt_arch_fault {
	int sig;
	int si_code;
	u32 addr;		/* si_addr */
	u32 trap;
	u32 error;
};

struct kernel_siginfo;
/* From the signal_generate tracepoint: is @sig current's CPU fault? */
bool nt_arch_fault_probe(int sig, const struct kernel_siginfo *info,
			 struct nt_arch_fault *f);
/*
 * In the faulting thread (process context): the fault as XP's trap
 * handlers describe it, and the CONTEXT of the thread (CONTEXT_ALL).
 */
void nt_arch_fault_exception(const struct nt_arch_fault *f,
			     EXCEPTION_RECORD *rec, CONTEXT *ctx);
/* shared_page.c: current returns to user mode into NT service @service */
int nt_arch_call_service(u32 service, const u32 *args, unsigned int nargs);
/* exported by the kernel's FPU code, declared only in its private header */
extern unsigned int mxcsr_feature_mask;
/* Point current's SharedUserData->SystemCall at NTP_GATE_*. */
int nt_arch_set_gate(u32 gate);

/* shared_page.c */
int nt_kuser_init(void);
void nt_kuser_exit(void);
/* SharedUserData->SystemTime, refreshed, as NtQuerySystemTime's answer; 0 if not ticking */
u64 nt_kuser_system_time(void);

#endif /* NTP_I386_ARCH_H */
