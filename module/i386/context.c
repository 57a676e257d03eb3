// SPDX-License-Identifier: GPL-2.0
/*
 * An x86 CONTEXT and a thread's user-mode state: its pt_regs and, for the
 * floating point parts, its saved FPU image. The thread is current or
 * parked (ps/thread.c: it sleeps in a task_work before returning to user
 * mode), so neither its frame nor its FPU state can change meanwhile.
 *
 * What user mode gives is never trusted (as XP's KeContextToTrapFrame
 * sanitizes it, and as Linux's ptrace and sigreturn do):
 *  - segments: CS and SS are always the user's; DS and ES the user data
 *    segment; FS and GS only a null selector or one of the three TLS
 *    entries (FS is the TEB's 0x3b for an NT thread), anything else
 *    becomes the default. No kernel selector, no RPL below 3. XP's user
 *    selectors 0x1b/0x23 are what CONTEXT shows for Linux's 0x73/0x7b.
 *  - EFlags: only the flags ptrace lets a tracer change (arithmetic, TF,
 *    DF, RF, AC); IF stays set, IOPL 0, no NT/VM/VIF.
 *  - the debug registers: reported as the thread's (none are set for NT
 *    threads; hardware breakpoints belong to ptrace here), and a request
 *    to set any is refused (STATUS_NOT_SUPPORTED) rather than ignored.
 *  - MXCSR: reserved bits cleared with the CPU's feature mask.
 * orig_ax is cleared when registers are set, so that no system call
 * restart rewinds the new EIP (sigreturn does the same).
 */
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/processor-flags.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include "i386/arch.h"
#include "uaccess.h"
#include "nt/ntps.h"
#include "nt/ntstatus.h"

#define NT_EFLAGS_USER	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_TF | \
			 X86_EFLAGS_DF | X86_EFLAGS_OF | X86_EFLAGS_RF | \
			 X86_EFLAGS_AC)

static u32 nt_sel_to_nt(u16 sel)
{
	if (sel == __USER_CS)
		return NT_USER_CS;
	if (sel == __USER_DS)
		return NT_USER_DS;
	return sel;
}

/* FS or GS: null, or a TLS entry with RPL 3; else @dflt. */
static u16 nt_sel_tls(u32 sel, u16 dflt)
{
	u32 index = sel >> 3;

	if (sel == 0)
		return 0;
	if ((sel & 7) == 3 && index >= GDT_ENTRY_TLS_MIN &&
	    index <= GDT_ENTRY_TLS_MAX)
		return sel;
	return dflt;
}

/*
 * The thread's FXSAVE image in memory, complete: with XSAVE, a component
 * in its init state may not have been written there (the header says
 * so), so it is written out as what it is (FNINIT's x87, zeroed XMM and
 * the default MXCSR) and marked present. The CPU's copy, if any, is
 * forgotten: the thread reloads from memory on its way out.
 */
/*
 * User gs is not in pt_regs on i386 since 5.12: the kernel leaves the
 * register alone and __switch_to() keeps it in thread.gs. So it is the
 * live register for current, the saved one for a parked thread.
 */
static u16 nt_get_gs(struct task_struct *task)
{
	u16 gs;

	if (task != current)
		return task->thread.gs;
	savesegment(gs, gs);
	return gs;
}

static void nt_set_gs(struct task_struct *task, u16 gs)
{
	if (task == current)
		loadsegment(gs, gs);
	else
		task->thread.gs = gs;
}

static struct fxregs_state *nt_fx_state(struct task_struct *task)
{
	struct fpu *fpu = &task->thread.fpu;
	struct fxregs_state *fx = &fpu->fpstate->regs.fxsave;

	if (task == current) {
		/*
		 * Live registers go to memory, and come back from there on
		 * the way out (TIF_NEED_FPU_LOAD), edited or not.
		 */
		kernel_fpu_begin();
		kernel_fpu_end();
	}
	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		u64 *xfeatures = &fpu->fpstate->regs.xsave.header.xfeatures;

		if (!(*xfeatures & XFEATURE_MASK_FP)) {
			fx->cwd = 0x37f;
			fx->swd = 0;
			fx->twd = 0;
			fx->fop = 0;
			fx->fip = 0;
			fx->fcs = 0;
			fx->foo = 0;
			fx->fos = 0;
			memset(fx->st_space, 0, sizeof(fx->st_space));
		}
		if (!(*xfeatures & XFEATURE_MASK_SSE)) {
			memset(fx->xmm_space, 0, sizeof(fx->xmm_space));
			fx->mxcsr = MXCSR_DEFAULT;
		}
		*xfeatures |= XFEATURE_MASK_FPSSE;
	}
	fpu->last_cpu = -1;
	return fx;
}

/*
 * A new NT thread's FPU, as XP's KiInitializeContextThread gives it: the
 * x87 initialized with control word 0x27f (53-bit precision, all
 * exceptions masked), nothing in use, XMM zero and MXCSR 0x1f80; not the
 * creator's state, which clone() copied. @task has not run yet (the fork
 * probe), so its state in memory is the whole of it.
 */
void nt_arch_reset_fpu(struct task_struct *task)
{
	struct fxregs_state *fx = nt_fx_state(task);

	memset(fx, 0, offsetof(struct fxregs_state, sw_reserved));
	fx->cwd = 0x27f;
	fx->mxcsr = MXCSR_DEFAULT;
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		/* AVX and wider: their init state */
		task->thread.fpu.fpstate->regs.xsave.header.xfeatures &=
			~(XFEATURE_MASK_YMM | XFEATURE_MASK_AVX512);
	task->thread.gs = 0;	/* nor the creator's gs */
}

/* The i387 tag word from FXSAVE's abridged one (as the CPU's FSAVE). */
static u32 nt_fsave_tag(const struct fxregs_state *fx)
{
	u32 top = (fx->swd >> 11) & 7, tag = 0, i;

	for (i = 0; i < 8; i++) {
		const u8 *reg = (const u8 *)fx->st_space + 16 * ((i - top) & 7);
		u16 exp = (reg[9] << 8 | reg[8]) & 0x7fff;
		u32 t;

		if (!(fx->twd & (1 << i)))
			t = 3;					/* empty */
		else if (exp == 0x7fff)
			t = 2;					/* special */
		else if (exp == 0 && !memchr_inv(reg, 0, 8))
			t = 1;					/* zero */
		else if (exp == 0 || !(reg[7] & 0x80))
			t = 2;					/* denormal */
		else
			t = 0;					/* valid */
		tag |= t << (2 * i);
	}
	return tag | 0xffff0000;
}

void nt_arch_get_context(struct task_struct *task, CONTEXT *ctx)
{
	struct pt_regs *regs = task_pt_regs(task);
	u32 flags = ctx->ContextFlags;

	if ((flags & CONTEXT_CONTROL) == CONTEXT_CONTROL) {
		ctx->Ebp = regs->bp;
		ctx->Eip = regs->ip;
		ctx->SegCs = nt_sel_to_nt(regs->cs);
		ctx->EFlags = regs->flags;
		ctx->Esp = regs->sp;
		ctx->SegSs = nt_sel_to_nt(regs->ss);
	}
	if ((flags & CONTEXT_INTEGER) == CONTEXT_INTEGER) {
		ctx->Edi = regs->di;
		ctx->Esi = regs->si;
		ctx->Ebx = regs->bx;
		ctx->Edx = regs->dx;
		ctx->Ecx = regs->cx;
		ctx->Eax = regs->ax;
	}
	if ((flags & CONTEXT_SEGMENTS) == CONTEXT_SEGMENTS) {
		ctx->SegGs = nt_get_gs(task);
		ctx->SegFs = regs->fs;
		ctx->SegEs = nt_sel_to_nt(regs->es);
		ctx->SegDs = nt_sel_to_nt(regs->ds);
	}
	if ((flags & CONTEXT_DEBUG_REGISTERS) == CONTEXT_DEBUG_REGISTERS) {
		ctx->Dr0 = 0;
		ctx->Dr1 = 0;
		ctx->Dr2 = 0;
		ctx->Dr3 = 0;
		ctx->Dr6 = 0;
		ctx->Dr7 = 0;
	}
	if ((flags & (CONTEXT_FLOATING_POINT & ~CONTEXT_i386)) ||
	    (flags & (CONTEXT_EXTENDED_REGISTERS & ~CONTEXT_i386))) {
		const struct fxregs_state *fx = nt_fx_state(task);
		FLOATING_SAVE_AREA *fs = &ctx->FloatSave;
		int i;

		if ((flags & CONTEXT_FLOATING_POINT) == CONTEXT_FLOATING_POINT) {
			fs->ControlWord = fx->cwd | 0xffff0000;
			fs->StatusWord = fx->swd | 0xffff0000;
			fs->TagWord = nt_fsave_tag(fx);
			fs->ErrorOffset = fx->fip;
			fs->ErrorSelector = (fx->fcs & 0xffff) |
					    (u32)(fx->fop & 0x7ff) << 16;
			fs->DataOffset = fx->foo;
			fs->DataSelector = fx->fos | 0xffff0000;
			for (i = 0; i < 8; i++)
				memcpy(fs->RegisterArea + 10 * i,
				       (const u8 *)fx->st_space + 16 * i, 10);
			fs->Cr0NpxState = 0;
		}
		if ((flags & CONTEXT_EXTENDED_REGISTERS) ==
		    CONTEXT_EXTENDED_REGISTERS)
			memcpy(ctx->ExtendedRegisters, fx,
			       sizeof(ctx->ExtendedRegisters));
	}
}

/* FXSAVE's abridged tag: a register is in use unless its tag is empty. */
static u16 nt_fxsr_tag(u32 tag)
{
	u16 ftw = 0;
	int i;

	for (i = 0; i < 8; i++)
		if (((tag >> (2 * i)) & 3) != 3)
			ftw |= 1 << i;
	return ftw;
}

NTSTATUS nt_arch_set_context(struct task_struct *task, const CONTEXT *ctx)
{
	struct pt_regs *regs = task_pt_regs(task);
	u32 flags = ctx->ContextFlags;

	if ((flags & CONTEXT_DEBUG_REGISTERS) == CONTEXT_DEBUG_REGISTERS &&
	    (ctx->Dr0 | ctx->Dr1 | ctx->Dr2 | ctx->Dr3 | (ctx->Dr7 & 0xff)))
		return STATUS_NOT_SUPPORTED;
	if ((flags & CONTEXT_CONTROL) == CONTEXT_CONTROL) {
		regs->bp = ctx->Ebp;
		regs->ip = ctx->Eip;
		regs->cs = __USER_CS;
		regs->flags = (regs->flags & ~NT_EFLAGS_USER) |
			      (ctx->EFlags & NT_EFLAGS_USER);
		regs->sp = ctx->Esp;
		regs->ss = __USER_DS;
	}
	if ((flags & CONTEXT_INTEGER) == CONTEXT_INTEGER) {
		regs->di = ctx->Edi;
		regs->si = ctx->Esi;
		regs->bx = ctx->Ebx;
		regs->dx = ctx->Edx;
		regs->cx = ctx->Ecx;
		regs->ax = ctx->Eax;
	}
	if ((flags & CONTEXT_SEGMENTS) == CONTEXT_SEGMENTS) {
		nt_set_gs(task, nt_sel_tls(ctx->SegGs, 0));
		regs->fs = nt_sel_tls(ctx->SegFs, NT_TEB_SELECTOR);
		regs->es = __USER_DS;
		regs->ds = __USER_DS;
	}
	if ((flags & CONTEXT_EXTENDED_REGISTERS) == CONTEXT_EXTENDED_REGISTERS ||
	    (flags & CONTEXT_FLOATING_POINT) == CONTEXT_FLOATING_POINT) {
		struct fxregs_state *fx = nt_fx_state(task);
		const FLOATING_SAVE_AREA *fs = &ctx->FloatSave;
		int i;

		if ((flags & CONTEXT_EXTENDED_REGISTERS) ==
		    CONTEXT_EXTENDED_REGISTERS) {
			/* the legacy FXSAVE image only: not the XSAVE header */
			memcpy(fx, ctx->ExtendedRegisters, 416);
			fx->mxcsr &= mxcsr_feature_mask;
		}
		if ((flags & CONTEXT_FLOATING_POINT) == CONTEXT_FLOATING_POINT) {
			fx->cwd = fs->ControlWord;
			fx->swd = fs->StatusWord;
			fx->twd = nt_fxsr_tag(fs->TagWord);
			fx->fip = fs->ErrorOffset;
			fx->fcs = fs->ErrorSelector & 0xffff;
			fx->fop = (fs->ErrorSelector >> 16) & 0x7ff;
			fx->foo = fs->DataOffset;
			fx->fos = fs->DataSelector & 0xffff;
			for (i = 0; i < 8; i++)
				memcpy((u8 *)fx->st_space + 16 * i,
				       fs->RegisterArea + 10 * i, 10);
		}
	}
	regs->orig_ax = -1;
	return STATUS_SUCCESS;
}

/* XP's user APC frame (KiInitializeUserApc): four words, then a CONTEXT */
struct nt_user_apc_frame {
	u32 words[4];
	CONTEXT ctx;
};

/* Where a frame of @len bytes pushed on current's user stack begins */
static unsigned long nt_user_frame_sp(size_t len)
{
	return (task_pt_regs(current)->sp & ~3ul) - len;
}

int nt_arch_enter_user(u32 ip, const void *frame, size_t len)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long sp = nt_user_frame_sp(len);

	if (!NT_SUCCESS(nt_copy_out((void __user *)sp, frame, len)))
		return -EFAULT;
	regs->sp = sp;
	regs->ip = ip;
	regs->cs = __USER_CS;
	regs->orig_ax = -1;	/* no system call restart moves ip back */
	return 0;
}

int nt_arch_push_user_apc(u32 dispatcher, const u32 *words, NTSTATUS status)
{
	struct nt_user_apc_frame *frame;
	int err;

	frame = kzalloc(sizeof(*frame), GFP_KERNEL);
	if (!frame)
		return -ENOMEM;
	memcpy(frame->words, words, sizeof(frame->words));
	frame->ctx.ContextFlags = CONTEXT_FULL;
	nt_arch_get_context(current, &frame->ctx);
	frame->ctx.Eax = status;
	err = nt_arch_enter_user(dispatcher, frame, sizeof(*frame));
	kfree(frame);
	return err;
}

/*
 * XP's user exception frame (KiDispatchException): below the interrupted
 * ESP (4-aligned) the CONTEXT, below it the EXCEPTION_RECORD cut after its
 * NumberParameters words of ExceptionInformation, below that the two
 * arguments of KiUserExceptionDispatcher: the record's address (at the new
 * ESP) and the CONTEXT's.
 */
int nt_arch_push_user_exception(u32 dispatcher, struct nt_exception_frame *f)
{
	size_t rlen = offsetof(EXCEPTION_RECORD, ExceptionInformation) +
		      min_t(u32, f->rec.NumberParameters,
			    EXCEPTION_MAXIMUM_PARAMETERS) * sizeof(u32);
	size_t len = sizeof(f->args) + rlen + sizeof(f->ctx);
	unsigned long sp = nt_user_frame_sp(len);
	struct pt_regs *regs = task_pt_regs(current);
	int err;

	static_assert(offsetof(struct nt_exception_frame, rec) ==
		      sizeof(f->args));
	/* XP backs EIP up over int3 for every STATUS_BREAKPOINT, raised too */
	if (f->rec.ExceptionCode == STATUS_BREAKPOINT)
		f->ctx.Eip--;
	f->args[0] = sp + sizeof(f->args);
	f->args[1] = sp + sizeof(f->args) + rlen;
	if (rlen < sizeof(f->rec))
		memmove((u8 *)&f->rec + rlen, &f->ctx, sizeof(f->ctx));
	err = nt_arch_enter_user(dispatcher, f, len);
	if (err)
		return err;
	/* the dispatcher runs unstepped, with the ABI's direction flag */
	regs->flags &= ~(X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_RF);
	return 0;
}

/*
 * An x87 exception stays pending in the status word and would fault
 * again at the dispatcher's first x87 instruction: the CONTEXT keeps it,
 * the live state forgets it (FNCLEX), as a signal handler's fresh FPU
 * state would.
 */
void nt_arch_fpu_clear_x87_exceptions(void)
{
	struct fxregs_state *fx = nt_fx_state(current);

	fx->swd &= ~0x80ff;
}
