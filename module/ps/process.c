// SPDX-License-Identifier: GPL-2.0
/*
 * NT processes and threads: attach, fork, exec, exit.
 *
 * Policy: the personality belongs to a thread group. New threads join it;
 * fork gives the child a process of its own with a copy of the handle
 * table (as fds are copied); execve drops it, unless the exec was requested
 * through NTP_ATTACH_ON_EXEC (ntrun), which attaches exactly that one exec,
 * unless the exec raises privileges (setuid, setgid, file capabilities, an
 * LSM transition: the kernel's secure exec) or makes the image one its
 * caller may not read (not dumpable): then the exec goes on unattached,
 * as a ptrace attach would be refused across it.
 * NTP_ATTACH_C_ROOT gives the new process its own \??\C:\ directory
 * (io/path.c); fork children inherit it.
 *
 * The kernel calls us from the sched_process_{fork,exec,exit} tracepoints,
 * where we may not sleep. Work that sleeps (mapping SharedUserData, copying
 * handles) runs from task_work in the task itself before it returns to user
 * mode; the last reference of a process is dropped onto a workqueue.
 *
 * Lifetime: a live thread holds a module reference, dropped synchronously
 * when it exits (from the tracepoint, which unload synchronizes with), so
 * rmmod works as soon as the last NT task is gone. A queued setup work holds
 * its own, dropped from an RCU callback. What is left behind (freeing
 * memory, closing a dead process's handles) is drained by module exit with
 * rcu_barrier() and destroy_workqueue(), so no module code runs after unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/binfmts.h>
#include <linux/ptrace.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/seccomp.h>
#include "internal.h"
#include "i386/arch.h"
#include "ke/ke.h"
#include "ps/ps.h"
#include "ps/exit_status.h"

static struct workqueue_struct *nt_wq;
/* tid -> nt_thread, for queries about other tasks; RCU readers. */
static DEFINE_XARRAY(nt_threads);
static atomic_t nt_live_processes = ATOMIC_INIT(0);

static struct nt_thread *nt_thread_alloc(struct task_struct *task, gfp_t gfp)
{
	struct nt_thread *t = kzalloc(sizeof(*t), gfp);

	if (!t)
		return NULL;
	if (xa_err(xa_store(&nt_threads, task->pid, t, gfp))) {
		kfree(t);
		return NULL;
	}
	preempt_notifier_init(&t->pn, &nt_preempt_ops);
	spin_lock_init(&t->ctl_lock);
	init_waitqueue_head(&t->ctl_wq);
	t->task = task;
	t->tid = task->pid;
	INIT_LIST_HEAD(&t->node);
	refcount_set(&t->users, 1);
	__module_get(THIS_MODULE);
	return t;
}

static void nt_thread_put(struct nt_thread *t)
{
	if (refcount_dec_and_test(&t->users))
		kfree_rcu(t, rcu);
}

/* The setup work's references, dropped where rcu_barrier() can wait for us. */
static void nt_setup_done_rcu(struct rcu_head *rcu)
{
	nt_thread_put(container_of(rcu, struct nt_thread, work_rcu));
	module_put(THIS_MODULE);
}

/*
 * The rule for deferred work: whatever touches the file system after the
 * fact runs with the credentials of the task that caused it, never with
 * the kworker's (root's). This work closes a dead process's handles on
 * nt_wq, so it runs under the credentials the process was created with
 * (attach or fork). Actions that need a permission of their own keep
 * the credentials of whoever asked for them and run under those: the
 * delete-on-close of a file (io/share.c) is made as the task that set it,
 * whatever closes the last handle.
 */
static void nt_process_teardown(struct work_struct *work)
{
	struct nt_process *proc = container_of(work, struct nt_process, teardown);
	const struct cred *old;

	old = override_creds(proc->cred);
	ntps_process_fini(proc);
	revert_creds(old);
	ntob_put(&proc->ke->obj.ob);
	put_cred(proc->cred);
	kfree(proc);
	atomic_dec(&nt_live_processes);
}

static void nt_process_release(struct kref *ref)
{
	struct nt_process *proc = container_of(ref, struct nt_process, ref);

	/* Closing handles may sleep; the last put may come from atomic context. */
	queue_work(nt_wq, &proc->teardown);
}

void nt_process_put(struct nt_process *proc)
{
	kref_put(&proc->ref, nt_process_release);
}

/*
 * @c_root: the attach's NTP_ATTACH_C_ROOT directory, or NULL (fork:
 * inherited); @creator: NtCreateProcess's (ps/create.c), or NULL.
 */
static struct nt_process *nt_process_create_as(struct nt_process *parent,
					       const struct path *c_root,
					       struct nt_process *creator,
					       bool inherit)
{
	struct nt_process *proc = kzalloc(sizeof(*proc), GFP_KERNEL);
	int err;

	if (!proc)
		return ERR_PTR(-ENOMEM);
	kref_init(&proc->ref);
	proc->tgid = current->tgid;
	spin_lock_init(&proc->lock);
	INIT_LIST_HEAD(&proc->threads);
	INIT_WORK(&proc->teardown, nt_process_teardown);
	proc->ke = ntke_process_alloc();
	if (!proc->ke) {
		kfree(proc);
		return ERR_PTR(-ENOMEM);
	}
	err = creator ? ntps_process_init_husk(proc, creator, inherit) :
			ntps_process_init(proc, parent);
	if (err) {
		ntob_put(&proc->ke->obj.ob);
		kfree(proc);
		return ERR_PTR(err);
	}
	proc->cred = get_current_cred();	/* for the teardown */
	if (c_root)
		ntio_process_set_c_root(&proc->io, c_root);
	atomic_inc(&nt_live_processes);
	return proc;
}

static struct nt_process *nt_process_create(struct nt_process *parent,
					    const struct path *c_root)
{
	return nt_process_create_as(parent, c_root, NULL, false);
}

struct nt_process *ntps_process_new_husk(struct nt_process *creator,
					 bool inherit)
{
	return nt_process_create_as(NULL, NULL, creator, inherit);
}

static void nt_thread_join(struct nt_thread *t, struct nt_process *proc)
{
	t->proc = proc;
	spin_lock(&proc->lock);
	list_add_tail(&t->node, &proc->threads);
	spin_unlock(&proc->lock);
}

/*
 * Forget the current task's NT state. Atomic context is fine: the exit
 * tracepoint calls this.
 */
static void nt_thread_release(struct nt_thread *t)
{
	struct nt_process *proc = t->proc;

	preempt_disable();
	if (proc)
		nt_arch_sched_out(t);
	nt_thread_unregister(t);
	preempt_enable();
	xa_erase(&nt_threads, t->tid);

	if (proc && !test_bit(NT_THREAD_FORKED, &t->flags)) {
		ntps_thread_exit(t);
		spin_lock(&proc->lock);
		list_del(&t->node);
		spin_unlock(&proc->lock);
	}
	if (proc)
		nt_process_put(proc);
	t->proc = NULL;
	if (t->husk)
		ntps_husk_exit(t);
	/* fput() defers the last close: fine in atomic context, unlike path_put() */
	if (t->exec_c_root)
		fput(t->exec_c_root);
	t->exec_c_root = NULL;
	if (t->exec_replace)
		fput(t->exec_replace);
	t->exec_replace = NULL;
	set_bit(NT_THREAD_RELEASED, &t->flags);
	ntps_thread_ctl_release(t);	/* wakes whoever waits for it to stop */
	nt_thread_put(t);
	module_put(THIS_MODULE);
}

/* ps/create.c: current joins @proc, its first NT process */
void ntps_thread_join_current(struct nt_thread *t, struct nt_process *proc)
{
	preempt_disable();
	clear_bit(NT_THREAD_EXEC_PENDING, &t->flags);
	nt_thread_join(t, proc);
	nt_arch_sched_in(t);
	preempt_enable();
}

/* task_work: the end of a fork or an exec attach, in the task itself. */
static void nt_thread_setup_work(struct callback_head *cb)
{
	struct nt_thread *t = container_of(cb, struct nt_thread, work);
	struct nt_process *parent = NULL, *proc;

	/*
	 * At exit this runs from exit_task_work(), after the exit tracepoint
	 * has released t: then there is nothing left to set up.
	 */
	if (test_bit(NT_THREAD_RELEASED, &t->flags))
		goto released;

	/*
	 * A new thread of an attached process: only its TEB is missing, and
	 * for NtCreateThread's, its CONTEXT (and maybe a first suspension).
	 */
	if (test_and_clear_bit(NT_THREAD_NEW, &t->flags)) {
		int err = t->start ? ntps_thread_start(t) : ntps_env_thread(t, NULL);

		if (err) {
			pr_warn_ratelimited("%s[%d]: cannot make the TEB: %d\n",
					    current->comm, current->pid, err);
			force_sig(SIGKILL);
		}
		goto done;
	}

	/* NtCreateProcess's child, exec'd: it builds itself (ps/create.c) */
	if (t->husk) {
		ntps_husk_setup(t);
		goto done;
	}
	if (test_bit(NT_THREAD_FORKED, &t->flags))
		parent = t->proc;
	proc = nt_process_create(parent, t->exec_c_root ?
				 &t->exec_c_root->f_path : NULL);
	if (t->exec_c_root)
		fput(t->exec_c_root);
	t->exec_c_root = NULL;
	if (!IS_ERR(proc)) {
		int err = nt_arch_attach_mm(proc);

		if (!err)
			err = parent ? ntps_env_fork(proc, parent, t) :
				       ntps_env_create(proc, t);
		if (err) {
			pr_warn_ratelimited("%s[%d]: cannot map SharedUserData, PEB or TEB: %d\n",
					    current->comm, current->pid, err);
			nt_process_put(proc);
			proc = ERR_PTR(err);
		}
	}
	if (IS_ERR(proc)) {
		/* An NT program without its personality must not run on. */
		force_sig(SIGKILL);
		goto done;
	}

	preempt_disable();
	t->proc = NULL;
	clear_bit(NT_THREAD_FORKED, &t->flags);
	clear_bit(NT_THREAD_EXEC_PENDING, &t->flags);
	nt_thread_join(t, proc);
	nt_arch_sched_in(t);
	preempt_enable();
	if (parent)
		nt_process_put(parent);
	/*
	 * An exec attach starts an NT program: its parameters, made once
	 * it is the current NT process (their handles go into its table).
	 */
	if (!parent && ntps_params_create(proc)) {
		pr_warn_ratelimited("%s[%d]: cannot make the process parameters\n",
				    current->comm, current->pid);
		force_sig(SIGKILL);
	}
done:
	/* The live thread still pins t and the module: not the last puts. */
	nt_thread_put(t);
	module_put(THIS_MODULE);
	return;
released:
	call_rcu(&t->work_rcu, nt_setup_done_rcu);
}

static void nt_queue_setup(struct nt_thread *t, struct task_struct *task)
{
	refcount_inc(&t->users);
	__module_get(THIS_MODULE);
	init_task_work(&t->work, nt_thread_setup_work);
	if (task_work_add(task, &t->work, TWA_RESUME)) {
		/* exiting: the exit tracepoint releases t */
		nt_thread_put(t);
		module_put(THIS_MODULE);
	}
}

static void nt_probe_fork(void *data, struct task_struct *parent,
			  struct task_struct *child)
{
	struct nt_thread *pt = nt_thread_current();
	struct nt_thread *t;

	if (!pt || !pt->proc || test_bit(NT_THREAD_FORKED, &pt->flags))
		return;
	t = nt_thread_alloc(child, GFP_ATOMIC);
	if (!t) {
		pr_warn_ratelimited("no memory for the NT state of %d\n", child->pid);
		send_sig(SIGKILL, child, 1);
		return;
	}
	/* The child has not run yet, so its notifier list is ours to edit. */
	hlist_add_head(&t->pn.link, &child->preempt_notifiers);
	if (pt->husk && !same_thread_group(parent, child)) {
		/* NtCreateProcess's: attached at its exec (ps/create.c) */
		t->husk = pt->husk;
		pt->husk = NULL;
		set_bit(NT_THREAD_EXEC_PENDING, &t->flags);
		return;
	}
	kref_get(&pt->proc->ref);
	if (same_thread_group(parent, child)) {
		nt_thread_join(t, pt->proc);
		ntps_thread_init(t);
		/* made by NtCreateThread: its CONTEXT, object and suspension */
		if (pt->start)
			ntps_start_handoff(pt, t, child);
		/* its TEB, before the thread first returns to user mode */
		set_bit(NT_THREAD_NEW, &t->flags);
		nt_queue_setup(t, child);
		return;
	}
	t->proc = pt->proc;	/* the parent, until the child has its own */
	t->teb = pt->teb;	/* the child's copy of it, at the same address */
	set_bit(NT_THREAD_FORKED, &t->flags);
	nt_queue_setup(t, child);
}

/*
 * An attach requested before exec was asked for by the old image's user;
 * the new image may run with more privilege than that user has. The
 * attach would hand the requester the new image's system calls (and a C:
 * root of its choosing), so it follows ptrace's rule: not across a secure
 * exec (AT_SECURE: uid, gid or capabilities gained) nor into an image the
 * requester could not read or trace (dumpable no longer SUID_DUMP_USER).
 */
static bool ntps_exec_may_attach(struct task_struct *p,
				 struct linux_binprm *bprm)
{
	return !bprm->secureexec && p->mm &&
	       get_dumpable(p->mm) == SUID_DUMP_USER;
}

/*
 * The PE binfmt's exec by an attached thread (ps/binfmt.c): the NT process
 * the exec starts replaces the caller's, as a pending exec attach of an
 * unattached caller would start one, in this exec rather than in a second
 * one ntpeload would make to ask for the attach. Only the exec the binfmt
 * rewrote onto @file, its open of the preloader (bprm->file when the exec
 * is done; the PE itself is an fd by then): an exec that fails after the
 * binfmt leaves a mark no other exec matches (the reference keeps that
 * struct file from being reused).
 */
void ntps_exec_replace_on(struct nt_thread *t, struct file *file)
{
	struct file *old = xchg(&t->exec_replace, get_file(file));

	if (old)
		fput(old);
}

/*
 * In the exec tracepoint, past the point of no return: the old NT state
 * goes as at any exec (its handles are closed once its last reference
 * is), and the task
 * gets a new nt_thread with the exec attach pending, whose setup work
 * builds the new process before the first user instruction. Without
 * memory for it the exec just drops the personality (ntpeload then asks
 * for the attach itself).
 */
static void nt_exec_replace(struct nt_thread *t, struct task_struct *p)
{
	__module_get(THIS_MODULE);	/* t's reference goes first */
	nt_thread_release(t);
	t = nt_thread_alloc(p, GFP_ATOMIC);
	if (t) {
		set_bit(NT_THREAD_EXEC_PENDING, &t->flags);
		nt_thread_register(t);
		nt_queue_setup(t, p);
	}
	module_put(THIS_MODULE);
}

static void nt_probe_exec(void *data, struct task_struct *p, pid_t old_pid,
			  struct linux_binprm *bprm)
{
	struct nt_thread *t = nt_thread_current();

	if (!t)
		return;
	if (old_pid != p->pid) {
		/* a non-leader thread exec'd and took the leader's pid */
		xa_erase(&nt_threads, t->tid);
		t->tid = p->pid;
		xa_store(&nt_threads, t->tid, t, GFP_ATOMIC);
	}
	if (test_bit(NT_THREAD_EXEC_PENDING, &t->flags) && !t->proc &&
	    ntps_exec_may_attach(p, bprm)) {
		nt_queue_setup(t, p);
		return;
	}
	/* the same rule: never across a secure exec */
	if (t->proc && t->exec_replace && t->exec_replace == bprm->file &&
	    !test_bit(NT_THREAD_FORKED, &t->flags) &&
	    ntps_exec_may_attach(p, bprm)) {
		nt_exec_replace(t, p);
		return;
	}
	/* exec drops the personality */
	nt_thread_release(t);
}

static void nt_probe_exit(void *data, struct task_struct *p)
{
	struct nt_thread *t = nt_thread_current();

	if (t)
		nt_thread_release(t);
}

struct nt_tracepoint {
	const char *name;
	void *probe;
	struct tracepoint *tp;
};

static struct nt_tracepoint nt_tps[] = {
	{ "sched_process_fork", nt_probe_fork },
	{ "sched_process_exec", nt_probe_exec },
	{ "sched_process_exit", nt_probe_exit },
	/* drops the NT exit status kept for a dead task (ps/exit_status.c) */
	{ "sched_process_free", ntps_status_probe_free },
	/* a CPU fault becomes an NT exception (ps/except.c) */
	{ "signal_generate", ntps_probe_signal },
};

static void nt_find_tp(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nt_tps); i++)
		if (!strcmp(tp->name, nt_tps[i].name))
			nt_tps[i].tp = tp;
}

/* NTP_IOC_ATTACH's number encodes the size: c_root_fd took reserved[0]. */
static_assert(sizeof(struct ntp_attach) == 24);

/*
 * The directory of an NTP_ATTACH_C_ROOT fd, as fchdir() checks it: an open
 * file (O_PATH too) of a directory the caller may search. The struct file
 * is kept rather than its path until the process exists, because a pending
 * exec attach may have to drop it from the atomic exit tracepoint.
 */
static int ntps_get_c_root(int fd, struct file **root)
{
	struct file *f = fget_raw(fd);
	struct inode *inode;
	int err;

	if (!f)
		return -EBADF;
	inode = file_inode(f);
	if (!S_ISDIR(inode->i_mode))
		err = -ENOTDIR;
	else
		err = inode_permission(file_mnt_user_ns(f), inode,
				       MAY_EXEC | MAY_CHDIR);
	if (err) {
		fput(f);
		return err;
	}
	*root = f;
	return 0;
}

int ntps_attach_current(u32 flags, int c_root_fd)
{
	struct nt_thread *t = nt_thread_current();
	struct file *root = NULL;
	struct nt_process *proc;
	int err;

	if (flags & NTP_ATTACH_C_ROOT) {
		err = ntps_get_c_root(c_root_fd, &root);
		if (err)
			return err;
	}
	if (t) {
		err = t->proc ? -EALREADY : (flags & NTP_ATTACH_ON_EXEC ? 0 : -EBUSY);
		/* a repeated exec attach: its root (or none) replaces the first's */
		if (!err)
			swap(t->exec_c_root, root);
		goto err_root;
	}
	/* NT calls are invisible to seccomp filters: no way out of a sandbox */
	err = -EPERM;
	if (current->seccomp.mode != SECCOMP_MODE_DISABLED)
		goto err_root;
	/* Other threads are out of reach: their notifiers are theirs to add. */
	err = -EBUSY;
	if (!(flags & NTP_ATTACH_ON_EXEC) && get_nr_threads(current) > 1)
		goto err_root;

	err = -ENOMEM;
	t = nt_thread_alloc(current, GFP_KERNEL);
	if (!t)
		goto err_root;
	if (flags & NTP_ATTACH_ON_EXEC) {
		t->exec_c_root = root;
		set_bit(NT_THREAD_EXEC_PENDING, &t->flags);
		nt_thread_register(t);
		return 0;
	}

	proc = nt_process_create(NULL, root ? &root->f_path : NULL);
	if (root)
		fput(root);
	root = NULL;
	if (IS_ERR(proc)) {
		err = PTR_ERR(proc);
		goto err_thread;
	}
	err = nt_arch_attach_mm(proc);
	if (err)
		goto err_proc;
	err = ntps_env_create(proc, t);
	if (err) {
		nt_arch_detach_mm(proc);
		goto err_proc;
	}
	nt_thread_join(t, proc);
	ntps_thread_init(t);
	nt_thread_register(t);
	preempt_disable();
	nt_arch_sched_in(t);
	preempt_enable();
	return 0;

err_proc:
	nt_process_put(proc);
err_thread:
	xa_erase(&nt_threads, t->tid);
	nt_thread_put(t);
	module_put(THIS_MODULE);
err_root:
	if (root)
		fput(root);
	return err;
}

int ntps_detach_current(void)
{
	struct nt_thread *t = nt_thread_current();

	if (!t)
		return -ENOENT;
	if (t->proc && get_nr_threads(current) > 1)
		return -EBUSY;
	if (refcount_read(&t->users) > 1)
		return -EBUSY;	/* setup still queued */
	if (t->proc) {
		ntps_env_detach(t->proc, t);
		nt_arch_detach_mm(t->proc);
	}
	nt_thread_release(t);
	return 0;
}

struct nt_thread *ntps_thread_get(struct task_struct *task)
{
	struct nt_thread *t;

	rcu_read_lock();
	t = xa_load(&nt_threads, task->pid);
	if (t && (t->task != task || !refcount_inc_not_zero(&t->users)))
		t = NULL;
	rcu_read_unlock();
	return t;
}

void ntps_thread_put(struct nt_thread *t)
{
	nt_thread_put(t);
}

/*
 * A task_work of ps/thread.c on another thread: it holds the thread's NT
 * state and the module until an RCU callback after it ran, as the setup
 * work does, and does nothing if the NT state was released before (the
 * exit tracepoint runs before exit_task_work()).
 */
struct ntps_twork {
	struct callback_head cb;
	struct rcu_head rcu;
	struct nt_thread *t;
	void (*fn)(struct nt_thread *t);
};

static void ntps_twork_free(struct rcu_head *rcu)
{
	struct ntps_twork *w = container_of(rcu, struct ntps_twork, rcu);

	nt_thread_put(w->t);
	kfree(w);
	module_put(THIS_MODULE);
}

/*
 * The references are let go before @fn runs, because @fn may not return
 * (a terminated thread calls do_exit()). A thread that runs @fn is not
 * released, so its own references keep t and the module meanwhile.
 */
static void ntps_twork_run(struct callback_head *cb)
{
	struct ntps_twork *w = container_of(cb, struct ntps_twork, cb);
	void (*fn)(struct nt_thread *t) = w->fn;
	struct nt_thread *t = w->t;
	bool run = !test_bit(NT_THREAD_RELEASED, &t->flags);

	call_rcu(&w->rcu, ntps_twork_free);
	if (run)
		fn(t);
}

int ntps_thread_work(struct nt_thread *t, struct task_struct *task,
		     void (*fn)(struct nt_thread *t), bool signal)
{
	struct ntps_twork *w = kmalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);

	if (!w)
		return -ENOMEM;
	if (!refcount_inc_not_zero(&t->users)) {
		kfree(w);
		return -ESRCH;
	}
	__module_get(THIS_MODULE);
	w->t = t;
	w->fn = fn;
	init_task_work(&w->cb, ntps_twork_run);
	if (task_work_add(task, &w->cb, signal ? TWA_SIGNAL : TWA_RESUME)) {
		nt_thread_put(t);
		kfree(w);
		module_put(THIS_MODULE);
		return -ESRCH;
	}
	return 0;
}

/*
 * The TEB and PEB addresses of an attached task, 0 when it has none: for
 * queries about other tasks. nt_thread is RCU-freed, so its own copies
 * are safe to read where its process may already be gone.
 */
u32 ntps_teb_of(struct task_struct *task)
{
	struct nt_thread *t;
	u32 teb = 0;

	rcu_read_lock();
	t = xa_load(&nt_threads, task->pid);
	if (t && t->task == task)
		teb = READ_ONCE(t->teb);
	rcu_read_unlock();
	return teb;
}

/* any live thread of the group knows it: the leader may be gone */
u32 ntps_peb_of(struct task_struct *task)
{
	struct task_struct *th;
	struct nt_thread *t;
	u32 peb = 0;

	rcu_read_lock();
	for_each_thread(task, th) {
		t = xa_load(&nt_threads, th->pid);
		if (t && t->task == th && READ_ONCE(t->teb)) {
			peb = READ_ONCE(t->peb);
			break;
		}
	}
	rcu_read_unlock();
	return peb;
}

/*
 * NTP_IOC_QUERY. @pid is a thread id as the caller's pid namespace numbers
 * it, 0 for the caller; *@tgid comes back in the same numbering. Whether
 * another task is attached is told only to a caller that may ptrace it in
 * read mode (what /proc/pid/ shows beyond the name): -EPERM otherwise. A
 * thread that does not exist (or not in the caller's namespace) is simply
 * not attached.
 */
int ntps_query(pid_t pid, u32 *state, pid_t *tgid)
{
	struct task_struct *task;
	struct nt_thread *t;
	int err = 0;

	*state = 0;
	*tgid = 0;
	if (!pid) {
		task = get_task_struct(current);
	} else {
		rcu_read_lock();
		task = pid_task(find_vpid(pid), PIDTYPE_PID);
		if (task)
			get_task_struct(task);
		rcu_read_unlock();
		if (!task)
			return 0;
	}
	if (!ntps_may_access(task, PTRACE_MODE_READ_REALCREDS)) {
		err = -EPERM;
		goto out;
	}
	rcu_read_lock();
	t = xa_load(&nt_threads, task->pid);
	if (t && t->task == task) {
		if (t->proc && !test_bit(NT_THREAD_FORKED, &t->flags)) {
			*state |= NTP_STATE_ATTACHED;
			*tgid = task_tgid_vnr(task);
		}
		if (test_bit(NT_THREAD_EXEC_PENDING, &t->flags))
			*state |= NTP_STATE_EXEC_PENDING;
	}
	rcu_read_unlock();
out:
	put_task_struct(task);
	return err;
}

void ntps_queue_work(struct work_struct *work)
{
	queue_work(nt_wq, work);
}

int ntps_init(void)
{
	int i, err;

	nt_wq = alloc_workqueue("ntpersonality", 0, 0);
	if (!nt_wq)
		return -ENOMEM;
	for_each_kernel_tracepoint(nt_find_tp, NULL);
	for (i = 0; i < ARRAY_SIZE(nt_tps); i++) {
		if (!nt_tps[i].tp) {
			pr_err("tracepoint %s not found\n", nt_tps[i].name);
			err = -ENOENT;
			goto err;
		}
		err = tracepoint_probe_register(nt_tps[i].tp, nt_tps[i].probe, NULL);
		if (err)
			goto err;
	}
	preempt_notifier_inc();
	ntps_status_init();
	nt_park_hook = ntps_park_in_wait;
	return 0;
err:
	while (--i >= 0)
		tracepoint_probe_unregister(nt_tps[i].tp, nt_tps[i].probe, NULL);
	destroy_workqueue(nt_wq);
	return err;
}

/* Only called once every thread is gone: each holds a module reference. */
void ntps_exit(void)
{
	int i;

	nt_park_hook = NULL;	/* no NT wait runs: every waiter holds the module */
	for (i = 0; i < ARRAY_SIZE(nt_tps); i++)
		tracepoint_probe_unregister(nt_tps[i].tp, nt_tps[i].probe, NULL);
	tracepoint_synchronize_unregister();
	preempt_notifier_dec();
	rcu_barrier();
	destroy_workqueue(nt_wq);
	ntps_status_fini();	/* after the free probe is gone */
	WARN_ON(atomic_read(&nt_live_processes));
	WARN_ON(!xa_empty(&nt_threads));
}
