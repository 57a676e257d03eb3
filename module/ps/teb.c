// SPDX-License-Identifier: GPL-2.0
/*
 * The PEB and the TEBs of an NT process, in its own address space, laid
 * out as XP SP3's (uapi/nt/ntps.h), with fs = 0x3b pointing at the
 * running thread's TEB (i386/teb.c).
 *
 * Where: the PEB at 0x7ffdf000 and TEBs one page each downwards from
 * 0x7ffde000, as XP places them, when those addresses are free; anywhere
 * else otherwise (a program may have mapped something there, and nothing
 * may rely on the addresses: XP SP2 already randomised them). They are
 * ordinary private anonymous pages, so fork copies them and exec drops
 * them like the rest of the address space.
 *
 * When: at attach and at an exec attach (a new PEB and the first TEB), at
 * fork (the child keeps the copies it inherited: its PEB and its thread's
 * TEB stay where they were, the other threads' TEB pages become free
 * pages to reuse), and for every new thread of an attached process before
 * it first returns to user mode (a task_work queued by the fork probe), so
 * a thread made by clone() or pthread_create() has its TEB before its first
 * NT call. The TEB page of an exited thread is kept and reused, zeroed, by
 * the next thread: the exit path runs in atomic context and cannot unmap.
 *
 * What the kernel owns and fills: in the PEB, the image base, processor
 * count, OS version (5.1.2600 SP3), session, BeingDebugged, the heap and
 * critical-section defaults XP's kernel sets, the ProcessHeaps array just
 * after the PEB; in the TEB, the exception list end, stack bounds, Self,
 * ClientId, the PEB pointer, the locale and the static unicode buffer.
 * Everything else belongs to user mode (ntdll), as on Windows.
 *
 * Writes go through the uaccess helpers: the pages are the process's own
 * and it may have unmapped or protected them; that is its business, and a
 * thread whose TEB cannot be written is told so (the caller kills it).
 */
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include "internal.h"
#include "i386/arch.h"
#include "mm/mm.h"
#include "ps/ps.h"
#include "uaccess.h"
#include "nt/ntps.h"

#define NTPS_TEB_FREE		XA_MARK_1
/* Fixed TEB addresses tried below NT_TEB_TOP before "anywhere" */
#define NTPS_TEB_SLOTS		256

#define IMAGE_SUBSYSTEM_NATIVE	1
#define NTPS_LOCALE_EN_US	0x0409
/* XP's defaults, as its kernel writes them into every new PEB */
#define NTPS_CS_TIMEOUT		(-2592000LL * 10000000LL)	/* 30 days */
#define NTPS_HEAP_RESERVE	0x100000
#define NTPS_HEAP_COMMIT	0x2000
#define NTPS_HEAP_DECOMMIT_TOTAL	0x10000
#define NTPS_HEAP_DECOMMIT_BLOCK	0x1000

void ntps_env_init(struct nt_process *proc)
{
	xa_init_flags(&proc->env.tebs, XA_FLAGS_ACCOUNT);
}

void ntps_env_fini(struct nt_process *proc)
{
	xa_destroy(&proc->env.tebs);
	if (proc->env.image)
		fput(proc->env.image);
}

/* Take @f (a reference) as the process's image file. */
static void ntps_env_set_image(struct nt_process *proc, struct file *f)
{
	struct file *old;

	spin_lock(&proc->lock);
	old = proc->env.image;
	proc->env.image = f;
	spin_unlock(&proc->lock);
	if (old)
		fput(old);
}

/* The process's image file, referenced, or NULL. */
struct file *ntps_env_image(struct nt_process *proc)
{
	struct file *f;

	spin_lock(&proc->lock);
	f = proc->env.image ? get_file(proc->env.image) : NULL;
	spin_unlock(&proc->lock);
	return f;
}

/* One private read-write page at @where if it is free, else anywhere. */
static unsigned long ntps_map_page(unsigned long where)
{
	unsigned long addr;

	addr = vm_mmap(NULL, where, PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, 0);
	if (IS_ERR_VALUE(addr) && where)
		addr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	return addr;
}

/* The lowest mapping of the file whose code runs: the image base. */
static u32 ntps_image_base(struct mm_struct *mm)
{
	struct vm_area_struct *code, *vma;
	u32 base = 0;

	mmap_read_lock(mm);
	code = find_vma(mm, mm->start_code);
	if (code && code->vm_file) {
		base = code->vm_start;
		for (vma = find_vma(mm, 0); vma && vma->vm_start < code->vm_start;
		     vma = find_vma(mm, vma->vm_end)) {
			if (vma->vm_file &&
			    file_inode(vma->vm_file) == file_inode(code->vm_file)) {
				base = vma->vm_start;
				break;
			}
		}
	}
	mmap_read_unlock(mm);
	return base;
}

static int ntps_write_peb(u32 peb_addr)
{
	PEB *peb = kzalloc(sizeof(*peb), GFP_KERNEL);
	NTSTATUS st;

	if (!peb)
		return -ENOMEM;
	peb->BeingDebugged = !!(current->ptrace & PT_PTRACED);
	peb->ImageBaseAddress = ntps_image_base(current->mm);
	peb->NumberOfProcessors = num_online_cpus();
	peb->CriticalSectionTimeout.QuadPart = NTPS_CS_TIMEOUT;
	peb->HeapSegmentReserve = NTPS_HEAP_RESERVE;
	peb->HeapSegmentCommit = NTPS_HEAP_COMMIT;
	peb->HeapDeCommitTotalFreeThreshold = NTPS_HEAP_DECOMMIT_TOTAL;
	peb->HeapDeCommitFreeBlockThreshold = NTPS_HEAP_DECOMMIT_BLOCK;
	/* the rest of the PEB's page holds the heap list, as on XP */
	peb->ProcessHeaps = peb_addr + sizeof(PEB);
	peb->MaximumNumberOfHeaps = (PAGE_SIZE - sizeof(PEB)) / sizeof(u32);
	peb->OSMajorVersion = NT_OS_MAJOR;
	peb->OSMinorVersion = NT_OS_MINOR;
	peb->OSBuildNumber = NT_OS_BUILD;
	peb->OSCSDVersion = NT_OS_CSD;
	peb->OSPlatformId = NT_OS_PLATFORM_NT;
	peb->ImageSubsystem = IMAGE_SUBSYSTEM_NATIVE;
	peb->ImageSubsystemMajorVersion = NT_OS_MAJOR;
	peb->ImageSubsystemMinorVersion = NT_OS_MINOR;
	peb->SessionId = 0;
	st = nt_copy_out(nt_uptr(peb_addr), peb, sizeof(*peb));
	kfree(peb);
	return NT_SUCCESS(st) ? 0 : -EFAULT;
}

/* The bounds of the stack current returns to: the mapping around its sp. */
static void ntps_stack_bounds(u32 *base, u32 *limit)
{
	unsigned long sp = user_stack_pointer(task_pt_regs(current));
	struct vm_area_struct *vma;

	*base = 0;
	*limit = 0;
	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, sp);
	if (vma && vma->vm_start <= sp) {
		*base = vma->vm_end;
		*limit = vma->vm_start;
	}
	mmap_read_unlock(current->mm);
}

/*
 * @iteb: the stack NtCreateThread's caller made (as XP's MmCreateTeb
 * reads it: a fixed stack when the Previous fields are set), or NULL for
 * the stack the thread runs on.
 */
static int ntps_write_teb(u32 teb_addr, u32 peb_addr, const INITIAL_TEB *iteb)
{
	TEB *teb = kzalloc(PAGE_SIZE, GFP_KERNEL);	/* the whole page */
	NTSTATUS st;

	static_assert(sizeof(TEB) <= PAGE_SIZE);
	if (!teb)
		return -ENOMEM;
	teb->NtTib.ExceptionList = EXCEPTION_CHAIN_END;
	if (!iteb) {
		ntps_stack_bounds(&teb->NtTib.StackBase, &teb->NtTib.StackLimit);
		teb->DeallocationStack = teb->NtTib.StackLimit;
	} else if (iteb->PreviousStackBase || iteb->PreviousStackLimit) {
		teb->NtTib.StackBase = iteb->PreviousStackBase;
		teb->NtTib.StackLimit = iteb->PreviousStackLimit;
	} else {
		teb->NtTib.StackBase = iteb->StackBase;
		teb->NtTib.StackLimit = iteb->StackLimit;
		teb->DeallocationStack = iteb->AllocatedStackBase;
	}
	teb->NtTib.Self = teb_addr;
	teb->ClientId.UniqueProcess = task_tgid_vnr(current);
	teb->ClientId.UniqueThread = task_pid_vnr(current);
	teb->RealClientId = teb->ClientId;
	teb->ProcessEnvironmentBlock = peb_addr;
	teb->CurrentLocale = NTPS_LOCALE_EN_US;
	teb->StaticUnicodeString.MaximumLength = sizeof(teb->StaticUnicodeBuffer);
	teb->StaticUnicodeString.Buffer = teb_addr +
		offsetof(TEB, StaticUnicodeBuffer);
	st = nt_copy_out(nt_uptr(teb_addr), teb, PAGE_SIZE);
	kfree(teb);
	return NT_SUCCESS(st) ? 0 : -EFAULT;
}

/* A free TEB page of the process, taken; 0 if there is none. */
static u32 ntps_take_free_teb(struct ntps_env *env)
{
	unsigned long index = 0;
	void *entry;

	xa_lock(&env->tebs);
	entry = xa_find(&env->tebs, &index, ULONG_MAX, NTPS_TEB_FREE);
	if (entry)
		__xa_clear_mark(&env->tebs, index, NTPS_TEB_FREE);
	xa_unlock(&env->tebs);
	return entry ? index << PAGE_SHIFT : 0;
}

/* A new TEB page: the highest free slot below the PEB, or anywhere. */
static int ntps_new_teb(struct ntps_env *env, u32 *teb)
{
	unsigned long addr = 0, slot;
	int err;

	for (slot = 0; slot < NTPS_TEB_SLOTS; slot++) {
		addr = NT_TEB_TOP - slot * PAGE_SIZE;
		if (!xa_load(&env->tebs, addr >> PAGE_SHIFT))
			break;
	}
	addr = ntps_map_page(slot < NTPS_TEB_SLOTS ? addr : 0);
	if (IS_ERR_VALUE(addr))
		return (int)addr;
	err = xa_err(xa_store(&env->tebs, addr >> PAGE_SHIFT, xa_mk_value(0),
			      GFP_KERNEL_ACCOUNT));
	if (err) {
		vm_munmap(addr, PAGE_SIZE);
		return err;
	}
	*teb = addr;
	return 0;
}

/* Give current a TEB in @proc and point its fs at it. */
static int ntps_teb_create(struct nt_process *proc, struct nt_thread *t,
			   const INITIAL_TEB *iteb)
{
	struct ntps_env *env = &proc->env;
	u32 teb;
	int err;

	/* A free page that no longer takes writes is forgotten, not fatal */
	while ((teb = ntps_take_free_teb(env))) {
		if (!ntps_write_teb(teb, env->peb, iteb))
			goto done;
		xa_erase(&env->tebs, teb >> PAGE_SHIFT);
	}
	err = ntps_new_teb(env, &teb);
	if (err)
		return err;
	err = ntps_write_teb(teb, env->peb, iteb);
	if (err) {
		xa_erase(&env->tebs, teb >> PAGE_SHIFT);
		vm_munmap(teb, PAGE_SIZE);
		return err;
	}
done:
	t->peb = env->peb;
	WRITE_ONCE(t->teb, teb);
	nt_arch_set_teb(teb);
	return 0;
}

int ntps_env_create(struct nt_process *proc, struct nt_thread *t)
{
	unsigned long peb;
	int err;

	peb = ntps_map_page(NT_PEB_ADDRESS);
	if (IS_ERR_VALUE(peb))
		return (int)peb;
	err = ntps_write_peb(peb);
	if (err)
		goto err_unmap;
	WRITE_ONCE(proc->env.peb, peb);
	err = ntps_teb_create(proc, t, NULL);
	if (err)
		goto err_unmap;
	return 0;

err_unmap:
	proc->env.peb = 0;
	vm_munmap(peb, PAGE_SIZE);
	return err;
}

/*
 * A fork child: its copies of the PEB and of the forking thread's TEB are
 * its own now; the other TEB pages it inherited are free for its threads.
 */
int ntps_env_fork(struct nt_process *proc, struct nt_process *parent,
		  struct nt_thread *t)
{
	unsigned long index;
	void *entry;
	int err;

	proc->env.peb = parent->env.peb;
	/* the same code at the same addresses */
	proc->env.apc_dispatcher = READ_ONCE(parent->env.apc_dispatcher);
	proc->env.exception_dispatcher = READ_ONCE(parent->env.exception_dispatcher);
	proc->env.ldr_thunk = READ_ONCE(parent->env.ldr_thunk);
	proc->env.image = ntps_env_image(parent);
	xa_for_each(&parent->env.tebs, index, entry) {
		err = xa_err(xa_store(&proc->env.tebs, index, xa_mk_value(0),
				      GFP_KERNEL_ACCOUNT));
		if (err)
			return err;
		if (index != t->teb >> PAGE_SHIFT)
			xa_set_mark(&proc->env.tebs, index, NTPS_TEB_FREE);
	}
	if (!t->teb)
		return ntps_teb_create(proc, t, NULL);
	/* the same page at the same address: only the ids changed */
	t->peb = proc->env.peb;
	err = ntps_write_teb(t->teb, proc->env.peb, NULL);
	if (!err)
		nt_arch_set_teb(t->teb);
	return err;
}

int ntps_env_thread(struct nt_thread *t, const INITIAL_TEB *iteb)
{
	return ntps_teb_create(t->proc, t, iteb);
}

/* Atomic context (the exit tracepoint): the page waits for the next thread. */
void ntps_env_thread_exit(struct nt_thread *t)
{
	if (t->teb)
		xa_set_mark(&t->proc->env.tebs, t->teb >> PAGE_SHIFT,
			    NTPS_TEB_FREE);
}

/* Detach of a single-threaded process: its PEB and TEB pages go. */
void ntps_env_detach(struct nt_process *proc, struct nt_thread *t)
{
	unsigned long index;
	void *entry;

	nt_arch_set_teb(0);
	WRITE_ONCE(t->teb, 0);
	xa_for_each(&proc->env.tebs, index, entry) {
		vm_munmap(index << PAGE_SHIFT, PAGE_SIZE);
		xa_erase(&proc->env.tebs, index);
	}
	if (proc->env.peb)
		vm_munmap(proc->env.peb, PAGE_SIZE);
	WRITE_ONCE(proc->env.peb, 0);
}

/*
 * NTP_IOC_SET_IMAGE: a loader that mapped the PE program itself names the
 * view; the PEB then says what XP's MmCreatePeb writes from the image
 * section: the base and the subsystem with its version.
 */
int ntps_set_image(const struct ntp_image *img)
{
	struct nt_process *proc = nt_process_current();
	SECTION_IMAGE_INFORMATION sii;
	struct {
		u32 type;
		u32 major;
		u32 minor;
	} sub;
	struct file *filp;
	NTSTATUS status;
	u32 peb;

	if (img->flags || img->pad)
		return -EINVAL;
	if (!proc)
		return -ENOENT;
	peb = READ_ONCE(proc->env.peb);
	if (!peb)
		return -ENOENT;
	status = ntmm_image_view_info((HANDLE)(unsigned long)img->section,
				      img->base, &sii, &filp);
	switch (status) {
	case STATUS_SUCCESS:
		break;
	case STATUS_INVALID_HANDLE:
		return -EBADF;
	case STATUS_ACCESS_DENIED:
		return -EACCES;
	default:
		return -EINVAL;
	}
	sub.type = sii.SubSystemType;
	sub.major = sii.SubSystemMajorVersion;
	sub.minor = sii.SubSystemMinorVersion;
	if (!NT_SUCCESS(nt_copy_out(nt_uptr(peb + offsetof(PEB, ImageBaseAddress)),
				    &img->base, sizeof(img->base))) ||
	    !NT_SUCCESS(nt_copy_out(nt_uptr(peb + offsetof(PEB, ImageSubsystem)),
				    &sub, sizeof(sub)))) {
		fput(filp);
		return -EFAULT;
	}
	ntps_env_set_image(proc, filp);
	return 0;
}

/*
 * ThreadZeroTlsCell (XP's PspSetInformationThread): the slot in every
 * thread's TEB of the process, TlsSlots or the TlsExpansionSlots array a
 * thread may have (user memory the process owns: a bad pointer there is
 * its own, and skipped). Runs in the process itself, so the TEBs are
 * addresses of current->mm; the xarray is walked without its lock held
 * across the user accesses.
 */
void ntps_zero_tls_cell(struct nt_process *proc, u32 index)
{
	unsigned long page;
	void *entry;
	u32 exp;

	if (index >= TLS_MINIMUM_AVAILABLE + TLS_EXPANSION_SLOTS)
		return;
	xa_for_each(&proc->env.tebs, page, entry) {
		u32 teb = page << PAGE_SHIFT;

		if (xa_get_mark(&proc->env.tebs, page, NTPS_TEB_FREE))
			continue;
		if (index < TLS_MINIMUM_AVAILABLE) {
			nt_put_u32(nt_uptr(teb + offsetof(TEB, TlsSlots) +
					   index * 4), 0);
			continue;
		}
		if (!NT_SUCCESS(nt_copy_in(&exp, nt_uptr(teb +
					offsetof(TEB, TlsExpansionSlots)), 4)) ||
		    !exp)
			continue;
		nt_put_u32(nt_uptr(exp + (index - TLS_MINIMUM_AVAILABLE) * 4), 0);
	}
}
