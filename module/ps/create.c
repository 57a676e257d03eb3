// SPDX-License-Identifier: GPL-2.0
/*
 * NtCreateProcess / NtCreateProcessEx from an image section, and the first
 * thread NtCreateThread gives such a process (docs/images.md, "Processes").
 *
 * The new process is a Linux child of the creating thread (SIGCHLD, so
 * wait(2) and the zombie work as for fork), made with kernel_clone() and a
 * kernel function as call_usermodehelper makes its tasks: the "husk". It
 * keeps only fds 0-2 of the creator (ntps_husk_exec()). Still
 * in the kernel, it execs the husk_exec file (a module parameter, any
 * executable: none of its instructions ever runs) with an exec attach,
 * which gives it a fresh address space and the creator's credentials
 * (a setuid or unreadable stub is refused: ps/process.c's exec rule, so
 * the creator's credentials are all the child has; the image is only
 * mapped, its file's setuid bit means nothing, as for any mapping; the
 * creator needs exec permission on the image file, as execve()). Its
 * exec attach's setup work (still before any user instruction) then:
 * unmaps all the stub's mappings but the vDSO, makes the NT process (the
 * creator's OBJ_INHERIT handles at the same values when asked, as XP's
 * ObInitProcess; the creator's C: root), its PEB and a TEB page, maps the
 * image section at its base with the creator's credentials (mm's exec
 * checks), fills PEB->ImageBaseAddress and the subsystem fields as XP's
 * MmCreatePeb, and makes the image the task's exe file (/proc/pid/exe,
 * ProcessImageFileName) and name. It tells the creator, which waits for
 * that, and sleeps (killable, freezable: a system suspend freezes it
 * there) until NtCreateThread gives it its CONTEXT and INITIAL_TEB: it
 * becomes that thread (the TEB rewritten for that
 * stack, the thread object made in advance, CreateSuspended honoured),
 * as XP's first thread of a process, and starts in LdrInitializeThunk
 * when the process registered one (ps/thread.c). PEB->ProcessParameters
 * stays NULL: RtlCreateUserProcess writes them, as on XP.
 *
 * ntdll.dll (the ntdll module parameter) is mapped at its base as XP's
 * kernel maps it, and its LdrInitializeThunk, KiUserApcDispatcher and
 * KiUserExceptionDispatcher, found in its export table, registered: the
 * first thread starts in the loader. It is opened and checked with the
 * creator's credentials (exec permission, noexec mounts, the LSM's mmap
 * hook), parsed again for each process (XP keeps one section).
 *
 * Not as XP: ParentProcess must be the caller's
 * own (Linux has one parent); SectionHandle NULL (a copy of the parent's
 * address space) is STATUS_NOT_IMPLEMENTED; DebugPort and ExceptionPort
 * (no LPC here) are STATUS_NOT_IMPLEMENTED when given.
 *
 * Lifetime: a husk whose creator's handle (the object NtCreateProcess
 * returned, duplicates included) is closed before it got a thread is
 * killed, as XP deletes a process without threads; it stays a zombie
 * child of its creator until reaped, as any Linux child (its exit status
 * is readable through handles until then). A creator killed while it
 * waits kills the husk too.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"
#include "i386/arch.h"
#include "ke/ke.h"
#include "ob/ob.h"
#include "mm/mm.h"
#include "ps/ps.h"
#include "status.h"
#include "uaccess.h"
#include "generated/nt_services.h"

/* XP's PROCESS_CREATE_FLAGS_*: 1 breakaway, 2 no debug inherit, 4, 8 override */
#define NTPS_CREATE_FLAGS_INHERIT_HANDLES	0x4
#define NTPS_CREATE_FLAGS_LEGAL			0xf

/* Root's choice: any executable file; it is exec'd, never run. */
static char husk_exec[PATH_MAX] = "/bin/true";
module_param_string(husk_exec, husk_exec, sizeof(husk_exec), 0644);
MODULE_PARM_DESC(husk_exec, "file NtCreateProcess execs to get an empty address space (never run)");

/*
 * ntdll.dll, mapped into every process NtCreateProcess makes, as XP's
 * kernel does; the package installs it there. Empty: none (the creator
 * maps one itself; the process then has no dispatchers).
 */
static char ntdll[PATH_MAX] = "/usr/lib/ntpersonality/ntdll.dll";
module_param_string(ntdll, ntdll, sizeof(ntdll), 0644);
MODULE_PARM_DESC(ntdll, "ntdll.dll NtCreateProcess maps into the new process");

enum { NTPS_HUSK_SETUP, NTPS_HUSK_WAITING, NTPS_HUSK_STARTED };

struct ntps_husk {
	struct kref ref;		/* the creator's, and the husk thread's */
	struct completion ready;	/* the husk is set up, or failed */
	atomic_t done;
	NTSTATUS status;
	int state;			/* NTPS_HUSK_*, under the husk's ctl_lock */
	struct nt_process *creator;	/* referenced */
	struct ntob_object *section;	/* the creator's, while it waits */
	bool inherit;
	u32 peb;
};

static pid_t (*ntps_kernel_clone)(struct kernel_clone_args *args);
static int (*ntps_kernel_execve)(const char *name, const char *const *argv,
				 const char *const *envp);
static void (*ntps_do_exit)(long code);
static long (*ntps_kernel_wait4)(pid_t pid, int __user *status, int options,
				 struct rusage *ru);
static int (*ntps_replace_exe)(struct mm_struct *mm, struct file *f);
static void (*ntps_set_comm)(struct task_struct *tsk, const char *from,
			     bool exec);
static int (*ntps_close_range)(unsigned int fd, unsigned int max_fd,
			       unsigned int flags);

static void ntps_husk_free(struct kref *ref)
{
	struct ntps_husk *h = container_of(ref, struct ntps_husk, ref);

	if (h->creator)
		nt_process_put(h->creator);	/* atomic context is fine */
	kfree(h);
}

/* Atomic context is fine (the exit tracepoint). */
static void ntps_husk_put(struct ntps_husk *h)
{
	kref_put(&h->ref, ntps_husk_free);
}

/* The creator may go on: the first result counts. Atomic context is fine. */
static void ntps_husk_done(struct ntps_husk *h, NTSTATUS status)
{
	if (atomic_xchg(&h->done, 1))
		return;
	h->status = status;
	complete_all(&h->ready);
}

/* exit tracepoint: a husk that dies before it is set up tells its creator */
void ntps_husk_exit(struct nt_thread *t)
{
	/* killed, or the exec probe refused the attach (setuid stub) */
	ntps_husk_done(t->husk, (current->flags & PF_EXITING) ?
		       STATUS_PROCESS_IS_TERMINATING : STATUS_ACCESS_DENIED);
	ntps_husk_put(t->husk);
	t->husk = NULL;
}

/*
 * The stub's exec, with the NT process's fd table.
 *
 * Linux fds are not NT handles: the creator's open files do not pass into
 * an NT process, as none of its handles does without INHERIT_HANDLES.
 * 0-2 stay, the console (\??\CON and the std handles are those fds,
 * io/file.c), as an XP child shares its parent's console. The table is
 * the husk's own copy (no CLONE_FILES), so this is close_range(3, ~0U, 0)
 * in the child, before the exec and so before any user instruction of
 * it; the creator's POSIX locks stay (they belong to its files_struct).
 */
static int ntps_husk_exec(void)
{
	const char *argv[2] = { NULL, NULL };
	const char *envp[1] = { NULL };
	char *path;
	int err;

	err = ntps_close_range(3, ~0U, 0);
	if (err)
		return err;
	path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	kernel_param_lock(THIS_MODULE);
	strscpy(path, husk_exec, PATH_MAX);
	kernel_param_unlock(THIS_MODULE);
	argv[0] = path;
	err = ntps_kernel_execve(path, argv, envp);
	kfree(path);
	return err;
}

/*
 * The husk's first steps, in the kernel (kernel_clone's fn): it still
 * shares the creator's mm and must never return to user mode unless its
 * exec succeeded.
 */
static int ntps_husk_main(void *unused)
{
	struct nt_thread *t = ntps_thread_get(current);
	struct ntps_husk *h = t ? t->husk : NULL;
	int err;

	if (!h)
		goto out_dead;
	kref_get(&h->ref);
	err = ntps_husk_exec();
	/* the exec probe refused the attach (setuid or unreadable stub) */
	if (!err && test_bit(NT_THREAD_RELEASED, &t->flags))
		err = -EACCES;
	if (err) {
		ntps_husk_done(h, err == -EACCES || err == -EPERM ?
			       STATUS_ACCESS_DENIED : nt_status_from_errno(err));
		ntps_husk_put(h);
		goto out_dead;
	}
	ntps_husk_put(h);
	ntps_thread_put(t);
	return 0;	/* on to user mode: the setup work runs first */
out_dead:
	if (t)
		ntps_thread_put(t);
	ntps_do_exit(SIGKILL);
	return 0;
}

/* Everything the stub's exec mapped, but the vDSO (VM_DONTEXPAND). */
static void ntps_husk_clear_mm(void)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long start, len;

	for (;;) {
		VMA_ITERATOR(vmi, mm, 0);

		len = 0;
		mmap_read_lock(mm);
		for_each_vma(vmi, vma) {
			if (!(vma->vm_flags & VM_DONTEXPAND)) {
				start = vma->vm_start;
				len = vma->vm_end - vma->vm_start;
				break;
			}
		}
		mmap_read_unlock(mm);
		if (!len || vm_munmap(start, len))
			return;
	}
}

static int ntps_husk_write_peb(u32 peb, u32 base,
			       const SECTION_IMAGE_INFORMATION *sii)
{
	struct {
		u32 type;
		u32 major;
		u32 minor;
	} sub = {
		sii->SubSystemType, sii->SubSystemMajorVersion,
		sii->SubSystemMinorVersion,
	};

	if (!NT_SUCCESS(nt_copy_out(nt_uptr(peb + offsetof(PEB, ImageBaseAddress)),
				    &base, sizeof(base))) ||
	    !NT_SUCCESS(nt_copy_out(nt_uptr(peb + offsetof(PEB, ImageSubsystem)),
				    &sub, sizeof(sub))))
		return -EFAULT;
	return 0;
}

/*
 * The address of @name exported by the image at @base of the current
 * process, 0 if none (or a forwarder): XP's kernel finds ntdll's
 * dispatchers so (PspLookupKernelUserEntryPoints). The image is user
 * memory the process could change, read with the uaccess helpers.
 */
static u32 ntps_export(u32 base, const char *name)
{
	struct {
		u32 chars, stamp;
		u16 major, minor;
		u32 name, base, nfuncs, nnames, funcs, names, ords;
	} ed;
	size_t len = strlen(name) + 1;
	u32 lfanew, dir[2], i, rva;
	char buf[32];
	u16 ord;

	if (len > sizeof(buf) ||
	    nt_copy_in(&lfanew, nt_uptr(base + 0x3c), 4) ||
	    lfanew > 0x10000000 ||
	    /* the optional header's export directory (PE32: 24 + 96) */
	    nt_copy_in(dir, nt_uptr(base + lfanew + 24 + 96), sizeof(dir)) ||
	    !dir[0] || nt_copy_in(&ed, nt_uptr(base + dir[0]), sizeof(ed)))
		return 0;
	for (i = 0; i < ed.nnames && i < 0x10000; i++) {
		if (nt_copy_in(&rva, nt_uptr(base + ed.names + 4 * i), 4) ||
		    nt_copy_in(buf, nt_uptr(base + rva), len) ||
		    memcmp(buf, name, len))
			continue;
		if (nt_copy_in(&ord, nt_uptr(base + ed.ords + 2 * i), 2) ||
		    ord >= ed.nfuncs ||
		    nt_copy_in(&rva, nt_uptr(base + ed.funcs + 4 * ord), 4) ||
		    (rva >= dir[0] && rva - dir[0] < dir[1]))
			return 0;
		return base + rva;
	}
	return 0;
}

/* ntdll.dll at its base and its three entry points registered. */
static NTSTATUS ntps_husk_ntdll(struct nt_process *proc)
{
	struct file *filp;
	NTSTATUS status;
	u32 base, thunk, apc, exc;
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);

	if (!path)
		return STATUS_NO_MEMORY;
	kernel_param_lock(THIS_MODULE);
	strscpy(path, ntdll, PATH_MAX);
	kernel_param_unlock(THIS_MODULE);
	path[strcspn(path, "\n")] = 0;	/* as echo writes it */
	if (!*path) {
		kfree(path);
		return STATUS_SUCCESS;
	}
	filp = filp_open(path, O_RDONLY | O_LARGEFILE, 0);
	kfree(path);
	if (IS_ERR(filp))
		return PTR_ERR(filp) == -EACCES ? STATUS_ACCESS_DENIED :
						  STATUS_DLL_NOT_FOUND;
	status = ntmm_map_image_file(filp, &base);
	fput(filp);
	if (!NT_SUCCESS(status))
		return status;
	thunk = ntps_export(base, "LdrInitializeThunk");
	apc = ntps_export(base, "KiUserApcDispatcher");
	exc = ntps_export(base, "KiUserExceptionDispatcher");
	if (!thunk || !apc || !exc)
		return STATUS_INVALID_IMAGE_FORMAT;
	WRITE_ONCE(proc->env.apc_dispatcher, apc);
	WRITE_ONCE(proc->env.exception_dispatcher, exc);
	WRITE_ONCE(proc->env.ldr_thunk, thunk);
	return STATUS_SUCCESS;
}

static NTSTATUS ntps_husk_build(struct nt_thread *t, struct ntps_husk *h)
{
	SECTION_IMAGE_INFORMATION sii;
	struct nt_process *proc;
	struct file *filp;
	NTSTATUS status;
	u32 base;
	int err;

	ntps_husk_clear_mm();
	proc = ntps_process_new_husk(h->creator, h->inherit);
	if (IS_ERR(proc))
		return nt_status_from_errno(PTR_ERR(proc));
	err = nt_arch_attach_mm(proc);
	if (!err)
		err = ntps_env_create(proc, t);
	if (err) {
		nt_process_put(proc);
		return nt_status_from_errno(err);
	}
	ntps_thread_join_current(t, proc);

	status = ntmm_map_image_current(h->section, &base, &sii, &filp);
	if (!NT_SUCCESS(status))
		return status;
	/*
	 * A process is made of the image as execve() makes one of a file:
	 * the creator needs exec permission on it, more than the mapping
	 * (mmap(PROT_EXEC) of any readable file) needs.
	 */
	if (inode_permission(file_mnt_user_ns(filp), file_inode(filp), MAY_EXEC))
		return STATUS_ACCESS_DENIED;
	if (ntps_husk_write_peb(proc->env.peb, base, &sii))
		return STATUS_ACCESS_VIOLATION;
	status = ntps_husk_ntdll(proc);
	if (!NT_SUCCESS(status))
		return status;
	h->peb = proc->env.peb;
	/* the image is what the process runs: /proc/pid/exe, its name */
	if (ntps_sym((void **)&ntps_replace_exe, "replace_mm_exe_file"))
		ntps_replace_exe(current->mm, filp);
	if (ntps_sym((void **)&ntps_set_comm, "__set_task_comm"))
		ntps_set_comm(current, filp->f_path.dentry->d_name.name, false);
	return STATUS_SUCCESS;
}

/*
 * The exec attach's setup work of a husk (ps/process.c), in the husk:
 * build the process, tell the creator, wait for the first thread.
 */
void ntps_husk_setup(struct nt_thread *t)
{
	struct ntps_husk *h = t->husk;
	NTSTATUS status;
	int err;

	status = ntps_husk_build(t, h);
	nt_process_put(h->creator);	/* its handles are copied */
	h->creator = NULL;
	spin_lock(&t->ctl_lock);
	h->state = NT_SUCCESS(status) ? NTPS_HUSK_WAITING : NTPS_HUSK_STARTED;
	spin_unlock(&t->ctl_lock);
	ntps_husk_done(h, status);
	if (!NT_SUCCESS(status)) {
		force_sig(SIGKILL);
		return;
	}
	if (ntps_wait_event_freezable_killable(t->ctl_wq,
					       READ_ONCE(t->start) ||
					       READ_ONCE(t->kill)))
		return;	/* dying (a kill, NtTerminateProcess) */
	if (!t->start) {
		/* ended without a thread: the stub's entry is gone, never run it */
		force_sig(SIGKILL);
		return;
	}
	/* its TEB page, rewritten for the stack NtCreateThread gave */
	ntps_env_thread_exit(t);
	err = ntps_thread_start(t);
	if (err) {
		pr_warn_ratelimited("%s[%d]: cannot start the first thread: %d\n",
				    current->comm, current->pid, err);
		force_sig(SIGKILL);
	}
}

/*
 * NtCreateThread into another process: the husk @task becomes the thread
 * @start describes. Anything else (a process that runs already) is not
 * supported yet: a clone made by the target itself (a task_work) would be.
 */
NTSTATUS ntps_husk_start(struct task_struct *task, struct ntps_start *start,
			 struct ntke_thread *kt, bool suspended, u32 win32)
{
	struct nt_thread *t = ntps_thread_get(task);
	NTSTATUS status = STATUS_NOT_SUPPORTED;

	if (!t)
		return (READ_ONCE(task->flags) & PF_EXITING) ?
		       STATUS_PROCESS_IS_TERMINATING : STATUS_NOT_SUPPORTED;
	spin_lock(&t->ctl_lock);
	/* a husk never ran: nobody made its thread object (ke/thread.c) */
	if (t->husk && t->husk->state == NTPS_HUSK_WAITING &&
	    !test_bit(NT_THREAD_RELEASED, &t->flags) && !t->ke) {
		t->husk->state = NTPS_HUSK_STARTED;
		kt->pid = get_task_pid(task, PIDTYPE_PID);
		t->ke = kt;	/* the thread's reference */
		t->suspend_count = suspended;
		t->win32_start = win32;
		t->start = start;
		status = STATUS_SUCCESS;
	}
	spin_unlock(&t->ctl_lock);
	wake_up_all(&t->ctl_wq);
	ntps_thread_put(t);
	return status;
}

/* The creator's handle is gone: a process without a thread goes too. */
void ntps_husk_orphan(struct pid *pid)
{
	struct task_struct *task = get_pid_task(pid, PIDTYPE_PID);
	struct nt_thread *t;
	bool kill = false;

	if (!task)
		return;
	t = ntps_thread_get(task);
	if (t) {
		spin_lock(&t->ctl_lock);
		kill = t->husk && t->husk->state == NTPS_HUSK_WAITING;
		spin_unlock(&t->ctl_lock);
		ntps_thread_put(t);
	}
	if (kill)
		send_sig(SIGKILL, task, 1);
	put_task_struct(task);
}

static void ntps_husk_reap(pid_t pid)
{
	/* a child of ours that died before anyone saw it: no zombie left */
	if (pid > 0 && ntps_kernel_wait4)
		ntps_kernel_wait4(pid, NULL, __WALL, NULL);
}

NTSTATUS NtCreateProcessEx(HANDLE __user *ProcessHandle, ACCESS_MASK DesiredAccess,
			   const OBJECT_ATTRIBUTES __user *ObjectAttributes,
			   HANDLE ParentProcess, ULONG Flags, HANDLE SectionHandle,
			   HANDLE DebugPort, HANDLE ExceptionPort, BOOLEAN InJob)
{
	struct kernel_clone_args args = {
		.flags = CLONE_VM | CLONE_UNTRACED,
		.exit_signal = SIGCHLD,
		.fn = ntps_husk_main,
	};
	struct nt_thread *self = nt_thread_current();
	struct task_struct *child;
	OBJECT_ATTRIBUTES oa = {};
	struct ntps_husk *h;
	NTSTATUS status;
	pid_t pid;

	status = nt_prewrite_handle(ProcessHandle);
	if (!NT_SUCCESS(status))
		return status;
	if (ObjectAttributes &&
	    !NT_SUCCESS(nt_copy_in(&oa, ObjectAttributes, sizeof(oa))))
		return STATUS_ACCESS_VIOLATION;
	if (ObjectAttributes && oa.Length != sizeof(oa))
		return STATUS_INVALID_PARAMETER;
	/* ReactOS ntoskrnl/ps/process.c NtCreateProcessEx */
	if (Flags & ~NTPS_CREATE_FLAGS_LEGAL)
		return STATUS_INVALID_PARAMETER;
	if (!ParentProcess)
		return STATUS_INVALID_PARAMETER;
	status = ntps_ref_process(ParentProcess, PROCESS_CREATE_PROCESS, &child);
	if (!NT_SUCCESS(status))
		return status;
	if (!same_thread_group(child, current))
		status = STATUS_NOT_SUPPORTED;	/* Linux gives one parent: us */
	ntps_unref(child);
	if (!NT_SUCCESS(status))
		return status;
	if (DebugPort || ExceptionPort || !SectionHandle)
		return STATUS_NOT_IMPLEMENTED;
	if (!ntps_sym((void **)&ntps_kernel_clone, "kernel_clone") ||
	    !ntps_sym((void **)&ntps_kernel_execve, "kernel_execve") ||
	    !ntps_sym((void **)&ntps_do_exit, "do_exit") ||
	    !ntps_sym((void **)&ntps_close_range, "__close_range"))
		return STATUS_NOT_IMPLEMENTED;
	ntps_sym((void **)&ntps_kernel_wait4, "kernel_wait4");

	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h)
		return STATUS_NO_MEMORY;
	status = ntmm_ref_image_section(SectionHandle, SECTION_MAP_EXECUTE,
					&h->section);
	if (!NT_SUCCESS(status)) {
		kfree(h);
		return status;
	}
	kref_init(&h->ref);
	init_completion(&h->ready);
	h->creator = self->proc;
	kref_get(&self->proc->ref);
	h->inherit = Flags & NTPS_CREATE_FLAGS_INHERIT_HANDLES;

	/* the fork probe gives it to the child with its own reference */
	kref_get(&h->ref);
	self->husk = h;
	pid = ntps_kernel_clone(&args);
	if (self->husk) {	/* no child took it */
		self->husk = NULL;
		ntps_husk_put(h);
		status = pid < 0 ? nt_status_from_errno(pid) : STATUS_NO_MEMORY;
		if (pid > 0)
			ntps_husk_reap(pid);
		goto out;
	}
	if (wait_for_completion_killable(&h->ready)) {
		/* we die: so does the child, once it let go of our section */
		rcu_read_lock();
		kill_pid(find_vpid(pid), SIGKILL, 1);
		rcu_read_unlock();
		wait_for_completion(&h->ready);
		status = STATUS_UNSUCCESSFUL;
		goto out;
	}
	status = h->status;
	if (!NT_SUCCESS(status)) {
		ntps_husk_reap(pid);
		goto out;
	}
	rcu_read_lock();
	child = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (child)
		get_task_struct(child);
	rcu_read_unlock();
	status = child ? ntps_process_handle_out(child, DesiredAccess,
						 oa.Attributes & OBJ_INHERIT,
						 ProcessHandle, true) :
			 STATUS_PROCESS_IS_TERMINATING;
	if (child && !NT_SUCCESS(status))
		send_sig(SIGKILL, child, 1);	/* a process nobody can reach */
	if (child)
		put_task_struct(child);
out:
	ntob_put(h->section);
	h->section = NULL;
	ntps_husk_put(h);
	return status;
}

NTSTATUS NtCreateProcess(HANDLE __user *ProcessHandle, ACCESS_MASK DesiredAccess,
			 const OBJECT_ATTRIBUTES __user *ObjectAttributes,
			 HANDLE ParentProcess, BOOLEAN InheritObjectTable,
			 HANDLE SectionHandle, HANDLE DebugPort,
			 HANDLE ExceptionPort)
{
	return NtCreateProcessEx(ProcessHandle, DesiredAccess, ObjectAttributes,
				 ParentProcess, InheritObjectTable ?
				 NTPS_CREATE_FLAGS_INHERIT_HANDLES : 0,
				 SectionHandle, DebugPort, ExceptionPort, FALSE);
}
