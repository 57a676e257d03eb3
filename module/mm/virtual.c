// SPDX-License-Identifier: GPL-2.0
/*
 * NT virtual memory on Linux mappings: NtAllocateVirtualMemory,
 * NtFreeVirtualMemory, NtProtectVirtualMemory, NtQueryVirtualMemory,
 * NtRead/WriteVirtualMemory and NtFlushInstructionCache.
 *
 * A reservation is an anonymous PROT_NONE mapping (MAP_NORESERVE) aligned
 * to the 64 KiB allocation granularity; committing maps fresh zero pages
 * over it (or changes the protection of pages already committed),
 * decommitting maps PROT_NONE again, which discards the contents as
 * Windows does. Each reservation is a struct ntmm_region holding the NT
 * protection of every page (0 = reserved only), so NtQueryVirtualMemory
 * reports exactly what NT code asked for.
 *
 * Addresses outside NT regions (the ELF image, the stack, Linux mmaps) are
 * reported from their VMAs: committed, MEM_MAPPED if file-backed, else
 * MEM_PRIVATE, protection from the VMA flags.
 *
 * Mapped views of sections (section.c) are regions too (MEM_MAPPED): they
 * can be protected, queried and (pagefile-backed ones) committed, not
 * freed.
 *
 * PAGE_GUARD pages are PROT_NONE; the first touch clears the guard
 * (ntmm_guard_fault, from the fault's exception path: ps/except.c), so
 * it is one-shot, as on Windows. Limits, documented: PAGE_NOCACHE and
 * PAGE_WRITECOMBINE are recorded but change nothing. A partial MEM_RELEASE
 * splits the reservation, as XP splits the VAD.
 *
 * Another process: NtRead/WriteVirtualMemory reach a process the handle
 * grants PROCESS_VM_READ/PROCESS_VM_WRITE on, as /proc/pid/mem does;
 * NtAllocate/Free/ProtectVirtualMemory and NtMap/UnmapViewOfSection need
 * PROCESS_VM_OPERATION, NtQueryVirtualMemory PROCESS_QUERY_INFORMATION,
 * and run in the target's address space on a worker (ntmm_run_in). Every
 * one makes the ptrace attach check again at each call against the image
 * the process runs then (mm_access), so a handle opened before the process
 * exec'd a setuid program does not reach the new image
 * (STATUS_ACCESS_DENIED). A Linux process that is not attached has no NT
 * regions: STATUS_NOT_SUPPORTED for the services that keep them.
 * Linux munmap/mprotect calls on NT
 * regions are not tracked. ZeroBits only restricts where memory may be
 * placed after the fact (STATUS_NO_MEMORY if Linux picked a higher address).
 *
 * Locking: proc->mm.lock (a mutex) guards the region list and page arrays
 * and is held across the Linux calls that change the mappings, so two NT
 * calls never interleave on the same region.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/memcontrol.h>
#include <linux/mman.h>
#include <linux/kthread.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <asm/ptrace.h>
#include "ex/ex.h"
#include "mm/mm.h"

#define NTMM_CURRENT_PROCESS	((HANDLE)0xffffffff)

static inline void __user *ntmm_uptr(u32 addr)
{
	return (void __user *)(unsigned long)addr;
}

static inline u32 ntmm_npages(u32 size)
{
	return size >> PAGE_SHIFT;
}

/* -------------------------------------------------------------------- */
/* protections */

#define NTMM_PAGE_BASE_MASK	0xff
#define NTMM_PAGE_MODIFIERS	(PAGE_GUARD | PAGE_NOCACHE | PAGE_WRITECOMBINE)

/* Exactly one base protection; modifiers not on NOACCESS, not combined. */
static bool ntmm_valid_protect(u32 prot, bool allow_writecopy)
{
	u32 base = prot & NTMM_PAGE_BASE_MASK, mods = prot & ~NTMM_PAGE_BASE_MASK;

	if (!base || (base & (base - 1)) || (mods & ~NTMM_PAGE_MODIFIERS))
		return false;
	if (mods && base == PAGE_NOACCESS)
		return false;
	if (hweight32(mods) > 1)
		return false;
	if (!allow_writecopy &&
	    (base == PAGE_WRITECOPY || base == PAGE_EXECUTE_WRITECOPY))
		return false;
	return true;
}

unsigned long ntmm_linux_prot(u32 prot)
{
	if (prot & PAGE_GUARD)
		return PROT_NONE;
	switch (prot & NTMM_PAGE_BASE_MASK) {
	case PAGE_READONLY:
		return PROT_READ;
	case PAGE_READWRITE:
	case PAGE_WRITECOPY:
		return PROT_READ | PROT_WRITE;
	case PAGE_EXECUTE:
	case PAGE_EXECUTE_READ:
		return PROT_READ | PROT_EXEC;
	case PAGE_EXECUTE_READWRITE:
	case PAGE_EXECUTE_WRITECOPY:
		return PROT_READ | PROT_WRITE | PROT_EXEC;
	default:
		return PROT_NONE;
	}
}

static u32 ntmm_prot_from_vma(struct vm_area_struct *vma)
{
	unsigned long f = vma->vm_flags;
	bool cow = !(f & VM_SHARED) && vma->vm_file;

	if (f & VM_EXEC) {
		if (f & VM_WRITE)
			return PAGE_EXECUTE_READWRITE;
		if (f & VM_MAYWRITE && cow)
			return PAGE_EXECUTE_WRITECOPY;
		return PAGE_EXECUTE_READ;
	}
	if (f & VM_WRITE)
		return cow ? PAGE_WRITECOPY : PAGE_READWRITE;
	if (f & VM_READ)
		return PAGE_READONLY;
	return PAGE_NOACCESS;
}

/* mprotect is not exported; its syscall entry is, to kallsyms. */
static long (*ntmm_sys_mprotect)(const struct pt_regs *regs);

static int ntmm_mprotect(u32 start, u32 len, unsigned long prot)
{
	struct pt_regs regs = { .bx = start, .cx = len, .dx = prot };
	long (*fn)(const struct pt_regs *regs) = READ_ONCE(ntmm_sys_mprotect);

	if (!fn) {
		fn = (void *)nt_lookup("__ia32_sys_mprotect");
		if (!fn)
			return -EOPNOTSUPP;
		WRITE_ONCE(ntmm_sys_mprotect, fn);
	}
	return fn(&regs);
}

/* Map fresh anonymous pages over [start, start + len). */
static int ntmm_map_fixed(u32 start, u32 len, unsigned long prot)
{
	unsigned long addr;

	addr = vm_mmap(NULL, start, len, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
		       (prot == PROT_NONE ? MAP_NORESERVE : 0), 0);
	return IS_ERR_VALUE(addr) ? (int)addr : 0;
}

/* -------------------------------------------------------------------- */
/* region bookkeeping, under mm->lock */

struct ntmm_region *ntmm_find(struct ntmm_process *mm, u32 addr)
{
	struct ntmm_region *r;

	list_for_each_entry(r, &mm->regions, node) {
		if (addr < r->base)
			return NULL;
		if (addr - r->base < r->size)
			return r;
	}
	return NULL;
}

/* first region starting above @addr, or NULL */
static struct ntmm_region *ntmm_next(struct ntmm_process *mm, u32 addr)
{
	struct ntmm_region *r;

	list_for_each_entry(r, &mm->regions, node)
		if (r->base > addr)
			return r;
	return NULL;
}

struct ntmm_region *ntmm_region_alloc(u32 base, u32 size, u32 protect)
{
	struct ntmm_region *r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);

	if (!r)
		return NULL;
	r->prot = kvcalloc(ntmm_npages(size), sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!r->prot) {
		kfree(r);
		return NULL;
	}
	r->base = base;
	r->size = size;
	r->alloc_protect = protect;
	r->type = MEM_PRIVATE;
	return r;
}

static void ntmm_region_free_unlinked(struct ntmm_region *r)
{
	if (r->filp)
		fput(r->filp);
	kvfree(r->prot);
	kfree(r);
}

void ntmm_region_free(struct ntmm_region *r)
{
	list_del(&r->node);
	ntmm_region_free_unlinked(r);
}

void ntmm_insert(struct ntmm_process *mm, struct ntmm_region *new)
{
	struct ntmm_region *r;

	list_for_each_entry(r, &mm->regions, node) {
		if (r->base > new->base) {
			list_add_tail(&new->node, &r->node);
			return;
		}
	}
	list_add_tail(&new->node, &mm->regions);
}

int ntmm_process_init(struct ntmm_process *mm, struct ntmm_process *parent)
{
	struct ntmm_region *r, *copy;
	int err = 0;

	mutex_init(&mm->lock);
	INIT_LIST_HEAD(&mm->regions);
	if (!parent)
		return 0;
	/* fork: the child's address space is a copy, so is the bookkeeping */
	mutex_lock(&parent->lock);
	list_for_each_entry(r, &parent->regions, node) {
		copy = ntmm_region_alloc(r->base, r->size, r->alloc_protect);
		if (!copy) {
			err = -ENOMEM;
			break;
		}
		memcpy(copy->prot, r->prot, ntmm_npages(r->size) * sizeof(u32));
		copy->type = r->type;
		copy->filp = r->filp ? get_file(r->filp) : NULL;
		list_add_tail(&copy->node, &mm->regions);
	}
	mutex_unlock(&parent->lock);
	if (err)
		ntmm_process_fini(mm);
	return err;
}

/* The address space is gone or going: only the bookkeeping is freed. */
void ntmm_process_fini(struct ntmm_process *mm)
{
	struct ntmm_region *r, *tmp;

	list_for_each_entry_safe(r, tmp, &mm->regions, node)
		ntmm_region_free(r);
}

/* -------------------------------------------------------------------- */
/* placement */

/* Lowest free, granularity-aligned range of @size at or above @from. */
static u32 ntmm_find_bottom_up(u32 size)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long addr = NTMM_LOWEST;

	mmap_read_lock(mm);
	for (;;) {
		if (addr + size - 1 > NTMM_HIGHEST || addr + size < addr) {
			addr = 0;
			break;
		}
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start >= addr + size)
			break;
		addr = ALIGN(vma->vm_end, NTMM_GRANULARITY);
	}
	mmap_read_unlock(mm);
	return addr;
}

/*
 * Reserve @size bytes: at @base (granularity-aligned, may not overlap),
 * or where Linux places it (top down) / lowest free (bottom up).
 */
int ntmm_reserve(u32 *base, u32 size, bool top_down, unsigned long prot)
{
	unsigned long flags = MAP_PRIVATE | MAP_ANONYMOUS |
			      (prot == PROT_NONE ? MAP_NORESERVE : 0);
	unsigned long addr, head, tail;
	int tries;

	if (*base) {
		addr = vm_mmap(NULL, *base, size, prot,
			       flags | MAP_FIXED_NOREPLACE, 0);
		if (addr == (unsigned long)-EEXIST)
			return -EEXIST;
		return IS_ERR_VALUE(addr) ? (int)addr : 0;
	}
	if (!top_down) {
		for (tries = 0; tries < 4; tries++) {
			addr = ntmm_find_bottom_up(size);
			if (!addr)
				return -ENOMEM;
			addr = vm_mmap(NULL, addr, size, prot,
				       flags | MAP_FIXED_NOREPLACE, 0);
			if (!IS_ERR_VALUE(addr)) {
				*base = addr;
				return 0;
			}
			if (addr != (unsigned long)-EEXIST)
				return (int)addr;
		}
		return -ENOMEM;
	}
	/* over-allocate by the granularity, then trim to an aligned range */
	if (size > NTMM_HIGHEST - NTMM_GRANULARITY)
		return -ENOMEM;
	addr = vm_mmap(NULL, 0, size + NTMM_GRANULARITY - PAGE_SIZE, prot,
		       flags, 0);
	if (IS_ERR_VALUE(addr))
		return (int)addr;
	head = ALIGN(addr, NTMM_GRANULARITY) - addr;
	tail = NTMM_GRANULARITY - PAGE_SIZE - head;
	if (head)
		vm_munmap(addr, head);
	if (tail)
		vm_munmap(addr + head + size, tail);
	*base = addr + head;
	if (*base + size - 1 > NTMM_HIGHEST) {
		vm_munmap(*base, size);
		return -ENOMEM;
	}
	return 0;
}

/* Commit [addr, addr + len) of @r with @prot, page runs at a time. */
static int ntmm_commit(struct ntmm_region *r, u32 addr, u32 len, u32 prot)
{
	u32 first = (addr - r->base) >> PAGE_SHIFT, n = ntmm_npages(len), i, j;
	unsigned long lprot = ntmm_linux_prot(prot);
	int err;

	for (i = first; i < first + n; i = j) {
		bool committed = r->prot[i];

		for (j = i + 1; j < first + n && !!r->prot[j] == committed; j++)
			;
		if (committed)
			err = ntmm_mprotect(r->base + (i << PAGE_SHIFT),
					    (j - i) << PAGE_SHIFT, lprot);
		else
			err = ntmm_map_fixed(r->base + (i << PAGE_SHIFT),
					     (j - i) << PAGE_SHIFT, lprot);
		if (err)
			return err;
		for (; i < j; i++)
			r->prot[i] = prot;
	}
	return 0;
}

/*
 * A fault of the current process at @addr: if its page is a PAGE_GUARD
 * one, the guard goes (the page gets its base protection) and true is
 * returned; the caller raises STATUS_GUARD_PAGE_VIOLATION or moves a
 * stack's guard (ntmm_set_guard).
 */
bool ntmm_guard_fault(u32 addr)
{
	struct nt_process *proc = nt_process_current();
	struct ntmm_region *r;
	bool hit = false;
	u32 i, prot;

	if (!proc)
		return false;
	mutex_lock(&proc->mm.lock);
	r = ntmm_find(&proc->mm, addr);
	if (r) {
		i = (addr - r->base) >> PAGE_SHIFT;
		prot = r->prot[i] & ~PAGE_GUARD;
		hit = (r->prot[i] & PAGE_GUARD) &&
		      !ntmm_mprotect(r->base + (i << PAGE_SHIFT), PAGE_SIZE,
				     ntmm_linux_prot(prot));
		if (hit)
			r->prot[i] = prot;
	}
	mutex_unlock(&proc->mm.lock);
	return hit;
}

/* The page at @addr committed PAGE_READWRITE | PAGE_GUARD: a stack's next guard. */
int ntmm_set_guard(u32 addr)
{
	struct nt_process *proc = nt_process_current();
	struct ntmm_region *r;
	int err = -EFAULT;

	if (!proc)
		return err;
	addr &= PAGE_MASK;
	mutex_lock(&proc->mm.lock);
	r = ntmm_find(&proc->mm, addr);
	if (r && r->type == MEM_PRIVATE)
		err = ntmm_commit(r, addr, PAGE_SIZE, PAGE_READWRITE | PAGE_GUARD);
	mutex_unlock(&proc->mm.lock);
	return err;
}

/*
 * Commit [addr, addr + len) of a mapped view. A view of a pagefile-backed
 * section (SEC_RESERVE or SEC_COMMIT; a shmem file on the kernel's
 * internal mount) takes the commit as a protection change, as XP's
 * MiAllocateVirtualMemory commits the section's pages in place; a view of
 * a file is all committed already (STATUS_ALREADY_COMMITTED).
 */
static NTSTATUS ntmm_commit_view(struct ntmm_region *r, u32 addr, u32 len,
				 u32 prot)
{
	struct vm_area_struct *vma;
	bool anon_section;
	u32 first, i;
	int err;

	/* an image's pages are the image's (Wine's virtual.c: access denied) */
	if (r->type == MEM_IMAGE)
		return STATUS_ACCESS_DENIED;
	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, addr);
	anon_section = vma && vma->vm_start <= addr && vma->vm_file &&
		       (file_inode(vma->vm_file)->i_sb->s_flags & SB_KERNMOUNT);
	mmap_read_unlock(current->mm);
	if (!anon_section)
		return STATUS_ALREADY_COMMITTED;
	err = ntmm_mprotect(addr, len, ntmm_linux_prot(prot));
	if (err)
		return err == -EACCES ? STATUS_SECTION_PROTECTION :
					nt_status_from_errno(err);
	first = (addr - r->base) >> PAGE_SHIFT;
	for (i = first; i < first + ntmm_npages(len); i++)
		r->prot[i] = prot;
	return STATUS_SUCCESS;
}

NTSTATUS ntmm_check_process(HANDLE process)
{
	if (process == NTMM_CURRENT_PROCESS)
		return STATUS_SUCCESS;
	return ntps_check_current_process(process);
}

/*
 * Another process's mappings are changed by a kernel worker that borrows
 * its address space (kthread_use_mm, as io_uring's and USB gadget's
 * workers do) while the caller waits: vm_mmap(), the mprotect path and
 * find_vma() all work on current->mm, which the caller cannot swap for its
 * own task. The worker runs with the caller's credentials (the LSM's
 * mmap_file hook and file permission checks of a view see the caller, as
 * XP checks the caller's access to the section) and charges what it
 * allocates (VMAs, page tables) to the caller's memory cgroup; pages the
 * target later faults in are the target's, as for any of its mappings.
 * The target's region list is locked by @fn itself (nm->lock) as for the
 * current process. The caller holds the mm (mm_users, from mm_access:
 * ptrace attach mode checked now, so an exec into a setuid image in
 * between leaves only the old, dying address space reachable) and the NT
 * process (its region list) until the worker is done.
 */
struct ntmm_remote {
	struct work_struct work;
	struct mm_struct *mm;
	struct ntmm_process *nm;
	const struct cred *cred;
	struct mem_cgroup *memcg;
	ntmm_op_fn fn;
	void *arg;
	NTSTATUS status;
};

static void ntmm_remote_work(struct work_struct *work)
{
	struct ntmm_remote *rw = container_of(work, struct ntmm_remote, work);
	struct mem_cgroup *old_memcg;
	const struct cred *old_cred;

	old_cred = override_creds(rw->cred);
	old_memcg = set_active_memcg(rw->memcg);
	kthread_use_mm(rw->mm);
	rw->status = rw->fn(rw->nm, rw->arg);
	kthread_unuse_mm(rw->mm);
	set_active_memcg(old_memcg);
	revert_creds(old_cred);
}

/*
 * Run @fn on the NT regions of the process @process names, in its address
 * space, with the handle granting @access. @fn must not touch the caller's
 * user memory (for another process it runs on a worker): services copy
 * their arguments in before and out after.
 */
NTSTATUS ntmm_run_in(HANDLE process, ACCESS_MASK access, ntmm_op_fn fn,
		     void *arg)
{
	struct ntmm_remote rw = { .fn = fn, .arg = arg };
	struct nt_process *proc;
	NTSTATUS status;

	if (process == NTMM_CURRENT_PROCESS) {
		proc = nt_process_current();
		return proc ? fn(&proc->mm, arg) : STATUS_INVALID_HANDLE;
	}
	status = ntps_ref_process_vm(process, access, &rw.mm, &proc);
	if (!NT_SUCCESS(status))
		return status;
	if (!rw.mm) {
		proc = nt_process_current();
		return proc ? fn(&proc->mm, arg) : STATUS_INVALID_HANDLE;
	}
	rw.nm = &proc->mm;
	rw.cred = get_current_cred();
	rw.memcg = get_mem_cgroup_from_mm(current->mm);
	INIT_WORK_ONSTACK(&rw.work, ntmm_remote_work);
	queue_work(system_unbound_wq, &rw.work);
	flush_work(&rw.work);
	destroy_work_on_stack(&rw.work);
	mem_cgroup_put(rw.memcg);
	put_cred(rw.cred);
	nt_process_put(proc);
	mmput(rw.mm);
	return rw.status;
}

/* -------------------------------------------------------------------- */
/* services */

struct ntmm_alloc_args {
	u32 base, size, zero_bits, type, protect;
};

static NTSTATUS ntmm_allocate(struct ntmm_process *mm, void *arg)
{
	struct ntmm_alloc_args *a = arg;
	u32 type = a->type, base = a->base, size = a->size, end;
	u32 Protect = a->protect;
	struct ntmm_region *r;
	NTSTATUS status;
	int err = 0;

	/* the first 64 KiB are never user memory (XP's MM_LOWEST_USER_ADDRESS) */
	if (base > NTMM_HIGHEST || (base && base < NTMM_LOWEST))
		return STATUS_INVALID_PARAMETER_2;
	if (!size || size > NTMM_HIGHEST + 1 - base)
		return STATUS_INVALID_PARAMETER_4;

	/*
	 * A commit with no base has nothing to commit into: NT reserves and
	 * commits, which is what VirtualAlloc(NULL, n, MEM_COMMIT) relies on
	 * (Wine kernel32 and ntdll virtual tests).
	 */
	if (!base)
		type |= MEM_RESERVE;

	mutex_lock(&mm->lock);
	if (type & MEM_RESERVE) {
		end = PAGE_ALIGN(base + size);
		base = round_down(base, NTMM_GRANULARITY);
		size = (base ? end : PAGE_ALIGN(size)) - base;
		/* reserve + commit of fresh memory is one mapping */
		err = ntmm_reserve(&base, size, type & MEM_TOP_DOWN,
				   (type & MEM_COMMIT) ? ntmm_linux_prot(Protect) :
							 PROT_NONE);
		if (err == -EEXIST) {
			status = STATUS_CONFLICTING_ADDRESSES;
			goto out;
		}
		if (!err && a->zero_bits &&
		    base + size - 1 > (0xffffffffu >> a->zero_bits)) {
			vm_munmap(base, size);
			err = -ENOMEM;
		}
		if (err)
			goto out_err;
		r = ntmm_region_alloc(base, size, Protect);
		if (!r) {
			vm_munmap(base, size);
			err = -ENOMEM;
			goto out_err;
		}
		ntmm_insert(mm, r);
		if (type & MEM_COMMIT)
			memset32(r->prot, Protect, ntmm_npages(size));
	} else {
		end = PAGE_ALIGN(base + size);
		base = round_down(base, PAGE_SIZE);
		size = end - base;
		r = ntmm_find(mm, base);
		if (!r || end - r->base > r->size) {
			status = STATUS_CONFLICTING_ADDRESSES;
			goto out;
		}
		if (r->type != MEM_PRIVATE) {
			status = ntmm_commit_view(r, base, size, Protect);
			if (!NT_SUCCESS(status))
				goto out;
		} else {
			err = ntmm_commit(r, base, size, Protect);
			if (err)
				goto out_err;
		}
	}
	mutex_unlock(&mm->lock);
	a->base = base;
	a->size = size;
	return STATUS_SUCCESS;

out_err:
	status = nt_status_from_errno(err);
out:
	mutex_unlock(&mm->lock);
	return status;
}

NTSTATUS NtAllocateVirtualMemory(HANDLE ProcessHandle,
				 u32 __user *BaseAddress, ULONG ZeroBits,
				 SIZE_T __user *RegionSize,
				 ULONG AllocationType, ULONG Protect)
{
	struct ntmm_alloc_args a = {
		.zero_bits = ZeroBits, .type = AllocationType, .protect = Protect,
	};
	u32 type = AllocationType;
	NTSTATUS status;

	if (ZeroBits > 21)
		return STATUS_INVALID_PARAMETER_3;
	if (!(type & (MEM_COMMIT | MEM_RESERVE)) ||
	    (type & ~(MEM_COMMIT | MEM_RESERVE | MEM_TOP_DOWN)))
		return STATUS_INVALID_PARAMETER_5;
	if (!ntmm_valid_protect(Protect, false))
		return STATUS_INVALID_PAGE_PROTECTION;
	status = ntex_copy_in(&a.base, BaseAddress, sizeof(a.base));
	if (NT_SUCCESS(status))
		status = ntex_copy_in(&a.size, RegionSize, sizeof(a.size));
	if (!NT_SUCCESS(status))
		return status;
	status = ntmm_run_in(ProcessHandle, PROCESS_VM_OPERATION,
			     ntmm_allocate, &a);
	if (!NT_SUCCESS(status))
		return status;
	status = ntex_copy_out(BaseAddress, &a.base, sizeof(a.base));
	if (NT_SUCCESS(status))
		status = ntex_copy_out(RegionSize, &a.size, sizeof(a.size));
	return status;
}

/*
 * MEM_RELEASE of the reservation that starts at @base, for the kernel's
 * own use: the stack of a thread that ends (ps/thread.c), as XP's
 * PspExitThread frees Teb->DeallocationStack.
 */
NTSTATUS ntmm_release(u32 base)
{
	struct nt_process *proc = nt_process_current();
	struct ntmm_region *r;
	NTSTATUS status = STATUS_MEMORY_NOT_ALLOCATED;
	int err;

	if (!proc)
		return STATUS_INVALID_PARAMETER;
	mutex_lock(&proc->mm.lock);
	r = ntmm_find(&proc->mm, base);
	if (r && r->base == base && r->type == MEM_PRIVATE) {
		err = vm_munmap(r->base, r->size);
		if (!err)
			ntmm_region_free(r);
		status = err ? nt_status_from_errno(err) : STATUS_SUCCESS;
	}
	mutex_unlock(&proc->mm.lock);
	return status;
}

/*
 * Release [base, base + size) of private region @r, splitting it when the
 * range is inside: XP's MiFreeVirtualMemory trims or splits the VAD, and
 * each piece is its own allocation afterwards (AllocationBase is the
 * piece's start).
 */
static int ntmm_release_range(struct ntmm_process *mm, struct ntmm_region *r,
			      u32 base, u32 size)
{
	u32 head = (base - r->base) >> PAGE_SHIFT, n = ntmm_npages(size);
	u32 tail = ntmm_npages(r->size) - head - n;
	struct ntmm_region *upper = NULL;
	int err;

	if (head && tail) {
		upper = ntmm_region_alloc(base + size, tail << PAGE_SHIFT,
					  r->alloc_protect);
		if (!upper)
			return -ENOMEM;
	}
	err = vm_munmap(base, size);
	if (err) {
		if (upper)
			ntmm_region_free_unlinked(upper);
		return err;
	}
	if (!head && !tail) {
		ntmm_region_free(r);
	} else if (upper) {
		memcpy(upper->prot, r->prot + head + n, tail * sizeof(u32));
		r->size = head << PAGE_SHIFT;
		ntmm_insert(mm, upper);
	} else if (head) {
		r->size = head << PAGE_SHIFT;
	} else {
		memmove(r->prot, r->prot + n, tail * sizeof(u32));
		r->base += size;
		r->size -= size;
	}
	return 0;
}

struct ntmm_free_args {
	u32 base, size, type;
};

static NTSTATUS ntmm_free(struct ntmm_process *mm, void *arg)
{
	struct ntmm_free_args *a = arg;
	u32 base = a->base, size = a->size, end;
	struct ntmm_region *r;
	NTSTATUS status;
	int err = 0;

	if (base > NTMM_HIGHEST)
		return STATUS_INVALID_PARAMETER_2;
	if (size > NTMM_HIGHEST + 1 - base)
		return STATUS_INVALID_PARAMETER_3;

	mutex_lock(&mm->lock);
	r = ntmm_find(mm, base);
	if (!r) {
		status = STATUS_MEMORY_NOT_ALLOCATED;
		goto out;
	}
	if (r->type != MEM_PRIVATE) {
		status = STATUS_UNABLE_TO_DELETE_SECTION;	/* a view */
		goto out;
	}
	if (!size) {
		/*
		 * The whole reservation, named by any address in its first
		 * page (Wine ntdll/tests/virtual.c, test_NtAllocateVirtualMemory:
		 * base + 0xfff frees, base + 0x1001 does not).
		 */
		if (round_down(base, PAGE_SIZE) != r->base) {
			status = STATUS_FREE_VM_NOT_AT_BASE;
			goto out;
		}
		base = r->base;
		size = r->size;
	} else {
		end = PAGE_ALIGN(base + size);
		base = round_down(base, PAGE_SIZE);
		size = end - base;
		if (end - r->base > r->size) {
			status = STATUS_UNABLE_TO_FREE_VM;
			goto out;
		}
	}
	if (a->type == MEM_RELEASE) {
		err = ntmm_release_range(mm, r, base, size);
	} else {
		err = ntmm_map_fixed(base, size, PROT_NONE);
		if (!err)
			memset(r->prot + ((base - r->base) >> PAGE_SHIFT), 0,
			       ntmm_npages(size) * sizeof(u32));
	}
	status = err ? nt_status_from_errno(err) : STATUS_SUCCESS;
	a->base = base;
	a->size = size;
out:
	mutex_unlock(&mm->lock);
	return status;
}

NTSTATUS NtFreeVirtualMemory(HANDLE ProcessHandle, u32 __user *BaseAddress,
			     SIZE_T __user *RegionSize, ULONG FreeType)
{
	struct ntmm_free_args a = { .type = FreeType };
	NTSTATUS status;

	if (FreeType != MEM_DECOMMIT && FreeType != MEM_RELEASE)
		return STATUS_INVALID_PARAMETER_4;
	status = ntex_copy_in(&a.base, BaseAddress, sizeof(a.base));
	if (NT_SUCCESS(status))
		status = ntex_copy_in(&a.size, RegionSize, sizeof(a.size));
	if (!NT_SUCCESS(status))
		return status;
	status = ntmm_run_in(ProcessHandle, PROCESS_VM_OPERATION, ntmm_free, &a);
	if (!NT_SUCCESS(status))
		return status;
	status = ntex_copy_out(BaseAddress, &a.base, sizeof(a.base));
	if (NT_SUCCESS(status))
		status = ntex_copy_out(RegionSize, &a.size, sizeof(a.size));
	return status;
}

/* Protection of the Linux mapping at @addr outside NT regions, or 0. */
static u32 ntmm_vma_protect(u32 addr, u32 len)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	u32 prot = 0;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr && addr + len <= vma->vm_end)
		prot = ntmm_prot_from_vma(vma);
	mmap_read_unlock(mm);
	return prot;
}

struct ntmm_protect_args {
	u32 base, size, protect, old;
};

static NTSTATUS ntmm_protect(struct ntmm_process *mm, void *arg)
{
	struct ntmm_protect_args *a = arg;
	u32 base = a->base, size = a->size, end, old, first = 0, i;
	struct ntmm_region *r;
	NTSTATUS status;
	int err;

	if (base > NTMM_HIGHEST)
		return STATUS_INVALID_PARAMETER_2;
	if (!size || size > NTMM_HIGHEST + 1 - base)
		return STATUS_INVALID_PARAMETER_3;
	end = PAGE_ALIGN(base + size);
	base = round_down(base, PAGE_SIZE);
	size = end - base;

	mutex_lock(&mm->lock);
	r = ntmm_find(mm, base);
	if (r) {
		if (end - r->base > r->size) {
			status = STATUS_CONFLICTING_ADDRESSES;
			goto out;
		}
		first = (base - r->base) >> PAGE_SHIFT;
		for (i = first; i < first + ntmm_npages(size); i++) {
			if (!r->prot[i]) {
				status = STATUS_NOT_COMMITTED;
				goto out;
			}
		}
		old = r->prot[first];
	} else {
		/* a Linux mapping (image, stack): protect it as it is */
		old = ntmm_vma_protect(base, size);
		if (!old) {
			status = STATUS_NOT_COMMITTED;
			goto out;
		}
	}
	err = ntmm_mprotect(base, size, ntmm_linux_prot(a->protect));
	if (err) {
		status = nt_status_from_errno(err);
		goto out;
	}
	if (r)
		for (i = first; i < first + ntmm_npages(size); i++)
			r->prot[i] = a->protect;
	a->base = base;
	a->size = size;
	a->old = old;
	status = STATUS_SUCCESS;
out:
	mutex_unlock(&mm->lock);
	return status;
}

NTSTATUS NtProtectVirtualMemory(HANDLE ProcessHandle,
				u32 __user *BaseAddress,
				SIZE_T __user *NumberOfBytesToProtect,
				ULONG NewAccessProtection,
				ULONG __user *OldAccessProtection)
{
	struct ntmm_protect_args a = { .protect = NewAccessProtection };
	NTSTATUS status;

	status = ntex_copy_in(&a.base, BaseAddress, sizeof(a.base));
	if (NT_SUCCESS(status))
		status = ntex_copy_in(&a.size, NumberOfBytesToProtect,
				      sizeof(a.size));
	if (NT_SUCCESS(status))
		status = ntex_probe(OldAccessProtection, sizeof(u32), 1);
	if (!NT_SUCCESS(status))
		return status;
	if (!OldAccessProtection)
		return STATUS_ACCESS_VIOLATION;
	if (!ntmm_valid_protect(NewAccessProtection, true))
		return STATUS_INVALID_PAGE_PROTECTION;
	status = ntmm_run_in(ProcessHandle, PROCESS_VM_OPERATION,
			     ntmm_protect, &a);
	if (!NT_SUCCESS(status))
		return status;
	status = ntex_put_u32(OldAccessProtection, a.old);
	if (NT_SUCCESS(status))
		status = ntex_copy_out(BaseAddress, &a.base, sizeof(a.base));
	if (NT_SUCCESS(status))
		status = ntex_copy_out(NumberOfBytesToProtect, &a.size,
				       sizeof(a.size));
	return status;
}

/* Fill @mbi for @addr (page aligned) from the NT regions, else the VMAs. */
static void ntmm_describe(struct ntmm_process *nm, u32 addr,
			  MEMORY_BASIC_INFORMATION *mbi)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct ntmm_region *r = ntmm_find(nm, addr), *next;
	u32 i, n, limit;

	mbi->BaseAddress = addr;
	if (r) {
		i = (addr - r->base) >> PAGE_SHIFT;
		n = ntmm_npages(r->size);
		mbi->AllocationBase = r->base;
		mbi->AllocationProtect = r->alloc_protect;
		mbi->Protect = r->prot[i];
		mbi->State = r->prot[i] ? MEM_COMMIT : MEM_RESERVE;
		mbi->Type = r->type;
		while (i < n && r->prot[i] == mbi->Protect)
			i++;
		mbi->RegionSize = r->base + (i << PAGE_SHIFT) - addr;
		return;
	}
	next = ntmm_next(nm, addr);
	limit = next ? next->base : NTMM_HIGHEST + 1;
	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr) {
		mbi->AllocationBase = vma->vm_start;
		mbi->AllocationProtect = ntmm_prot_from_vma(vma);
		mbi->Protect = mbi->AllocationProtect;
		mbi->State = MEM_COMMIT;
		mbi->Type = vma->vm_file ? MEM_MAPPED : MEM_PRIVATE;
		mbi->RegionSize = min_t(unsigned long, vma->vm_end, limit) - addr;
	} else {
		if (vma && vma->vm_start < limit)
			limit = vma->vm_start;
		mbi->AllocationBase = 0;
		mbi->AllocationProtect = 0;
		mbi->Protect = PAGE_NOACCESS;
		mbi->State = MEM_FREE;
		mbi->Type = 0;
		mbi->RegionSize = limit - addr;
	}
	mmap_read_unlock(mm);
}

struct ntmm_query_args {
	u32 addr;
	MEMORY_BASIC_INFORMATION mbi;
};

static NTSTATUS ntmm_query(struct ntmm_process *mm, void *arg)
{
	struct ntmm_query_args *a = arg;

	if (a->addr > NTMM_HIGHEST)
		return STATUS_INVALID_PARAMETER;
	mutex_lock(&mm->lock);
	ntmm_describe(mm, round_down(a->addr, PAGE_SIZE), &a->mbi);
	mutex_unlock(&mm->lock);
	return STATUS_SUCCESS;
}

NTSTATUS NtQueryVirtualMemory(HANDLE ProcessHandle, void __user *BaseAddress,
			      MEMORY_INFORMATION_CLASS MemoryInformationClass,
			      void __user *MemoryInformation,
			      SIZE_T MemoryInformationLength,
			      SIZE_T __user *ReturnLength)
{
	struct ntmm_query_args a = { .addr = (u32)(unsigned long)BaseAddress };
	NTSTATUS status;

	if (MemoryInformationClass != MemoryBasicInformation)
		return STATUS_INVALID_INFO_CLASS;
	if (MemoryInformationLength < sizeof(a.mbi))
		return STATUS_INFO_LENGTH_MISMATCH;
	status = ntex_probe(MemoryInformation, sizeof(a.mbi), 4);
	if (!NT_SUCCESS(status))
		return status;
	status = ntmm_run_in(ProcessHandle, PROCESS_QUERY_INFORMATION,
			     ntmm_query, &a);
	if (!NT_SUCCESS(status))
		return status;
	status = ntex_copy_out(MemoryInformation, &a.mbi, sizeof(a.mbi));
	if (NT_SUCCESS(status) && ReturnLength)
		status = ntex_put_u32(ReturnLength, sizeof(a.mbi));
	return status;
}

/* access_remote_vm is not exported; kallsyms has it. */
static int (*ntmm_access_remote_vm)(struct mm_struct *mm, unsigned long addr,
				    void *buf, int len, unsigned int gup_flags);

/*
 * Another process, through a kernel page, its side with access_remote_vm
 * on the mm that ntps_ref_process_mm checked and pinned. A fault on the
 * other process's side is STATUS_PARTIAL_COPY, on ours
 * STATUS_ACCESS_VIOLATION.
 */
static NTSTATUS ntmm_copy_remote(struct mm_struct *mm, u32 remote,
				 void __user *local, u32 len, bool write,
				 u32 *done)
{
	int (*access)(struct mm_struct *mm, unsigned long addr, void *buf,
		      int len, unsigned int gup_flags);
	NTSTATUS status = STATUS_SUCCESS;
	u32 chunk;
	void *page;
	int n;

	*done = 0;
	access = READ_ONCE(ntmm_access_remote_vm);
	if (!access) {
		access = (void *)nt_lookup("access_remote_vm");
		if (!access)
			return STATUS_NOT_IMPLEMENTED;
		WRITE_ONCE(ntmm_access_remote_vm, access);
	}
	page = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
	if (!page)
		return STATUS_NO_MEMORY;
	while (*done < len) {
		chunk = min_t(u32, len - *done, PAGE_SIZE);
		if (write) {
			status = ntex_copy_in(page, local + *done, chunk);
			if (!NT_SUCCESS(status))
				break;
		}
		n = access(mm, remote + *done, page, chunk,
			   write ? FOLL_WRITE : 0);
		if (!write && n > 0) {
			status = ntex_copy_out(local + *done, page, n);
			if (!NT_SUCCESS(status))
				break;
		}
		*done += max(n, 0);
		if (n != chunk) {
			status = STATUS_PARTIAL_COPY;
			break;
		}
	}
	kfree(page);
	return status;
}

/*
 * Copy between two user ranges of the current process, or between ours
 * and another's. Within ours, a fault on the source is STATUS_PARTIAL_COPY
 * (with the count), on the destination STATUS_ACCESS_VIOLATION.
 */
static NTSTATUS ntmm_copy(HANDLE process, u32 from, u32 to, u32 len,
			  SIZE_T __user *done_out, bool write)
{
	struct mm_struct *mm = NULL;
	bool from_bad, to_bad;
	u32 done = 0;
	NTSTATUS status;

	if (done_out) {
		status = ntex_probe(done_out, sizeof(u32), 4);
		if (!NT_SUCCESS(status))
			return status;
	}
	if (process != NTMM_CURRENT_PROCESS) {
		status = ntps_ref_process_mm(process, write ? PROCESS_VM_WRITE :
					     PROCESS_VM_READ, &mm);
		if (!NT_SUCCESS(status))
			return status;
	}
	from_bad = len && (from + len < from || from + len > TASK_SIZE);
	to_bad = len && (to + len < to || to + len > TASK_SIZE);
	if (from_bad || to_bad) {
		/* the side being read from, or the other process's, is partial */
		status = (mm && write ? to_bad : from_bad) ?
			 STATUS_PARTIAL_COPY : STATUS_ACCESS_VIOLATION;
		goto out;
	}
	if (mm)
		status = write ? ntmm_copy_remote(mm, to, ntmm_uptr(from), len,
						  true, &done) :
				 ntmm_copy_remote(mm, from, ntmm_uptr(to), len,
						  false, &done);
	else
		status = ntex_copy_user(ntmm_uptr(to), ntmm_uptr(from), len, &done);
out:
	if (mm)
		mmput(mm);
	if (done_out && !NT_SUCCESS(ntex_put_u32(done_out, done)))
		return STATUS_ACCESS_VIOLATION;
	return status;
}

NTSTATUS NtReadVirtualMemory(HANDLE ProcessHandle, void __user *BaseAddress,
			     void __user *Buffer, SIZE_T BufferSize,
			     SIZE_T __user *NumberOfBytesRead)
{
	return ntmm_copy(ProcessHandle, (u32)(unsigned long)BaseAddress,
			 (u32)(unsigned long)Buffer, BufferSize,
			 NumberOfBytesRead, false);
}

NTSTATUS NtWriteVirtualMemory(HANDLE ProcessHandle, void __user *BaseAddress,
			      const void __user *Buffer, SIZE_T BufferSize,
			      SIZE_T __user *NumberOfBytesWritten)
{
	return ntmm_copy(ProcessHandle, (u32)(unsigned long)Buffer,
			 (u32)(unsigned long)BaseAddress, BufferSize,
			 NumberOfBytesWritten, true);
}

/* x86 keeps instruction caches coherent: only the handle is checked. */
NTSTATUS NtFlushInstructionCache(HANDLE ProcessHandle, void __user *BaseAddress,
				 SIZE_T Length)
{
	struct mm_struct *mm;
	NTSTATUS status;

	if (ProcessHandle == NTMM_CURRENT_PROCESS)
		return STATUS_SUCCESS;
	/* XP asks PROCESS_VM_WRITE of the handle */
	status = ntps_ref_process_mm(ProcessHandle, PROCESS_VM_WRITE, &mm);
	if (mm)
		mmput(mm);
	return status;
}
