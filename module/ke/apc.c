// SPDX-License-Identifier: GPL-2.0
/*
 * User APCs: NtQueueApcThread's routines, run by their thread when it is
 * in an alertable wait (the wait then returns STATUS_USER_APC) or calls
 * NtTestAlert, never in the middle of anything else.
 *
 * Delivery is XP's KiInitializeUserApc: on the way out of the NT call,
 * the interrupted user context (a CONTEXT_FULL whose Eax is the call's
 * status) and the APC's four words (routine, context, two arguments) go
 * on the user stack, and the thread returns into its process's
 * KiUserApcDispatcher (registered with NTP_IOC_SET_DISPATCHERS), which
 * calls routine(context, arg1, arg2) and then NtContinue(&CONTEXT, TRUE):
 * that resumes the interrupted context, or delivers the next APC first.
 * So the APCs run oldest first, one per return to user mode. A process
 * with no dispatcher registered keeps its APCs queued.
 *
 * Bounded: NTKE_MAX_USER_APCS queued per thread (memory charged to the
 * queuer), STATUS_INSUFFICIENT_RESOURCES beyond. What is queued when the
 * thread exits is freed unrun.
 */
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include "internal.h"
#include "i386/arch.h"
#include "ke/ke.h"
#include "uaccess.h"

#define NTKE_MAX_USER_APCS	4096

NTSTATUS ntke_queue_user_apc(struct ntke_thread *kt, u32 routine, u32 context,
			     u32 arg1, u32 arg2)
{
	/* zeroed: not embedded, not inserted */
	struct ntke_apc *apc = kzalloc(sizeof(*apc), GFP_KERNEL_ACCOUNT);

	if (!apc)
		return STATUS_NO_MEMORY;
	apc->routine = routine;
	apc->context = context;
	return ntke_insert_user_apc(kt, apc, arg1, arg2);
}

/*
 * Queue @apc, made beforehand (ntke_io_apc_prepare), for @kt's thread,
 * which need not be current: a completion that happens in another thread
 * allocates nothing, so it cannot fail for memory or charge the thread
 * that caused it. Consumes @apc.
 */
NTSTATUS ntke_insert_user_apc(struct ntke_thread *kt, struct ntke_apc *apc,
			      u32 arg1, u32 arg2)
{
	NTSTATUS status = STATUS_SUCCESS;
	int s = -1;

	apc->arg1 = arg1;
	apc->arg2 = arg2;
	spin_lock(&kt->lock);
	if (kt->exited_apcs) {
		status = STATUS_UNSUCCESSFUL;	/* as KeInsertQueueApc's FALSE */
	} else if (kt->apc_count >= NTKE_MAX_USER_APCS) {
		status = STATUS_INSUFFICIENT_RESOURCES;
	} else {
		list_add_tail(&apc->node, &kt->apcs);
		kt->apc_count++;
		apc = NULL;
		/* an alertable wait in progress ends now */
		if (kt->alert_target &&
		    atomic_try_cmpxchg(kt->alert_target, &s, NTKE_Q_USER_APC))
			wake_up_process(kt->alert_task);
	}
	spin_unlock(&kt->lock);
	kfree(apc);
	return status;
}

NTSTATUS ntke_io_apc_prepare(const void __user *routine,
			     const void __user *context, struct ntke_apc **out)
{
	struct ntke_thread *kt = ntke_thread_current();
	struct ntke_apc *apc;
	bool full;

	*out = NULL;
	if (!routine)
		return STATUS_SUCCESS;
	if (!kt)
		return STATUS_INSUFFICIENT_RESOURCES;
	spin_lock(&kt->lock);
	full = kt->apc_count >= NTKE_MAX_USER_APCS;
	spin_unlock(&kt->lock);
	if (full)
		return STATUS_INSUFFICIENT_RESOURCES;
	apc = kzalloc(sizeof(*apc), GFP_KERNEL_ACCOUNT);
	if (!apc)
		return STATUS_INSUFFICIENT_RESOURCES;
	apc->routine = (u32)(unsigned long)routine;
	apc->context = (u32)(unsigned long)context;
	*out = apc;
	return STATUS_SUCCESS;
}

/*
 * The I/O that @apc was made for is over with @status: as XP's
 * IopCompleteRequest, the APC is queued to the calling thread,
 * routine(ApcContext, IoStatusBlock, 0), unless the status is an error
 * (then the IRP completes without APC, event or IOSB). Consumes @apc.
 */
void ntke_io_apc_complete(struct ntke_apc *apc, NTSTATUS status,
			  const void __user *iosb)
{
	struct ntke_thread *kt;

	if (!apc)
		return;
	kt = ntke_thread_current();
	if (NT_ERROR(status) || !kt) {
		kfree(apc);
		return;
	}
	apc->arg1 = (u32)(unsigned long)iosb;
	apc->arg2 = 0;
	spin_lock(&kt->lock);
	if (!kt->exited_apcs) {
		list_add_tail(&apc->node, &kt->apcs);
		kt->apc_count++;
		apc = NULL;	/* its thread is in this call: no wait to end */
	}
	spin_unlock(&kt->lock);
	kfree(apc);
}

/*
 * In the thread itself, at the end of an NT call returning @status: the
 * oldest APC, if any and if the process has a dispatcher. A frame that
 * cannot be written ends the thread's process with SIGSEGV, as a signal
 * frame that cannot be written does.
 */
bool ntke_deliver_user_apc(struct ntke_thread *kt, NTSTATUS status)
{
	struct nt_process *proc = nt_process_current();
	u32 dispatcher = proc ? READ_ONCE(proc->env.apc_dispatcher) : 0;
	struct ntke_apc *apc;
	u32 words[4];

	if (!dispatcher)
		return false;
	spin_lock(&kt->lock);
	apc = list_first_entry_or_null(&kt->apcs, struct ntke_apc, node);
	if (apc) {
		list_del(&apc->node);
		kt->apc_count--;
		words[0] = apc->routine;
		words[1] = apc->context;
		words[2] = apc->arg1;
		words[3] = apc->arg2;
		/* a timer's goes back to its timer, which may fire it again */
		if (apc->embedded) {
			apc->inserted = false;
			apc = NULL;
		}
	} else {
		spin_unlock(&kt->lock);
		return false;
	}
	spin_unlock(&kt->lock);
	kfree(apc);
	if (nt_arch_push_user_apc(dispatcher, words, status))
		force_sig(SIGSEGV);
	return true;
}

/* The thread is gone (atomic context): its APCs will never run. */
void ntke_apcs_free(struct ntke_thread *kt)
{
	struct ntke_apc *apc, *next;
	LIST_HEAD(dead);

	spin_lock(&kt->lock);
	kt->exited_apcs = true;
	list_for_each_entry_safe(apc, next, &kt->apcs, node) {
		list_del(&apc->node);
		if (apc->embedded)
			apc->inserted = false;
		else
			list_add(&apc->node, &dead);
	}
	kt->apc_count = 0;
	spin_unlock(&kt->lock);
	list_for_each_entry_safe(apc, next, &dead, node)
		kfree(apc);
}

/*
 * A timer's APC (ke/timer.c) when its timer fires, from the timer's work:
 * queued unless it is already waiting, or its thread is gone. An
 * alertable wait of the thread ends, as for NtQueueApcThread.
 */
void ntke_insert_embedded_apc(struct ntke_thread *kt, struct ntke_apc *apc,
			      u32 arg1, u32 arg2)
{
	int s = -1;

	spin_lock(&kt->lock);
	if (!apc->inserted && !kt->exited_apcs) {
		apc->arg1 = arg1;
		apc->arg2 = arg2;
		apc->inserted = true;
		list_add_tail(&apc->node, &kt->apcs);
		kt->apc_count++;
		if (kt->alert_target &&
		    atomic_try_cmpxchg(kt->alert_target, &s, NTKE_Q_USER_APC))
			wake_up_process(kt->alert_task);
	}
	spin_unlock(&kt->lock);
}

/* Cancel, re-set or destruction of its timer: it must not run any more. */
void ntke_remove_embedded_apc(struct ntke_thread *kt, struct ntke_apc *apc)
{
	spin_lock(&kt->lock);
	if (apc->inserted) {
		list_del(&apc->node);
		kt->apc_count--;
		apc->inserted = false;
	}
	spin_unlock(&kt->lock);
}

/*
 * NtContinue: the thread resumes @Context (sanitized as for
 * NtSetContextThread), after the next pending APC if @TestAlert. Its
 * "status" is the context's Eax, which is what the return path then puts
 * in the register.
 */
NTSTATUS NtContinue(CONTEXT __user *Context, BOOLEAN TestAlert)
{
	/* the thread's own buffer: an exception's return costs no allocation */
	struct nt_exception_frame *f = nt_thread_exc_frame();
	struct ntke_thread *kt;
	NTSTATUS status;
	u32 eax;

	if (!f)
		return STATUS_NO_MEMORY;
	status = nt_copy_in(&f->ctx, Context, sizeof(f->ctx));
	if (!NT_SUCCESS(status))
		return status;
	status = nt_arch_set_context(current, &f->ctx);
	if (!NT_SUCCESS(status))
		return status;
	eax = task_pt_regs(current)->ax;
	if (TestAlert) {
		kt = ntke_thread_current();
		if (kt) {
			spin_lock(&kt->lock);
			kt->alerted = false;
			spin_unlock(&kt->lock);
			ntke_deliver_user_apc(kt, eax);
		}
	}
	return eax;
}
