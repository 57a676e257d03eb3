// SPDX-License-Identifier: GPL-2.0
/*
 * NT exit statuses that survive the exit. Windows keeps the whole 32-bit
 * ExitStatus of NtTerminateProcess/NtTerminateThread and returns it from
 * NtQueryInformationProcess/Thread (ReactOS ntoskrnl/ps/kill.c; Wine
 * dlls/ntdll/tests); Linux keeps 8 bits of an exit code, or the number of
 * the killing signal. ps/info.c records the status here just before the
 * exit or kill and looks it up when it reports a dead task.
 *
 * Key: the task_struct pointer, used as an identity only (never
 * dereferenced). A record is added only while its task is not released
 * yet (pid_alive() seen inside an RCU read section, under the lock) and
 * removed from the sched_process_free tracepoint, which
 * delayed_put_task_struct() fires a grace period after release_task() and
 * before the put that may free the task_struct. So a task_struct with a
 * record is never freed, no new task can get its address, and a new task
 * with the old pid number has another task_struct: pid reuse cannot hand
 * a status to a new process. Being added inside that RCU section also
 * means the free probe of the task cannot have run before the record
 * exists. No task or pid reference is held, so the RCU callback has
 * nothing to drop but the record itself.
 *
 * A record holds one status per kind (process, thread), each set at most
 * once: the first status wins, as on Windows.
 *
 * Locking: ntps_status_lock guards the hash table and the count. It is
 * taken with interrupts off because the free probe runs in RCU callback
 * (softirq) context; nothing sleeps or allocates under it.
 *
 * Module unload unregisters the probe first, then frees what is left
 * (records of tasks not reaped yet): ntps_status_fini().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/hashtable.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "dispatch.h"
#include "ps/exit_status.h"

struct ntps_status {
	struct hlist_node node;		/* in ntps_statuses */
	const struct task_struct *task;	/* the key; never dereferenced */
	unsigned long set;		/* BIT(kind) once status[kind] is set */
	NTSTATUS status[NTPS_STATUS_KINDS];
};

#define NTPS_STATUS_HASH_BITS	6

static DEFINE_SPINLOCK(ntps_status_lock);
static DEFINE_HASHTABLE(ntps_statuses, NTPS_STATUS_HASH_BITS);
static unsigned int ntps_status_count;	/* records; READ_ONCE without the lock */
static struct dentry *ntps_status_debugfs;

static struct ntps_status *ntps_status_find(const struct task_struct *task)
{
	struct ntps_status *s;

	lockdep_assert_held(&ntps_status_lock);
	hash_for_each_possible(ntps_statuses, s, node, (unsigned long)task)
		if (s->task == task)
			return s;
	return NULL;
}

int ntps_status_record(struct task_struct *task, enum ntps_status_kind kind,
		       NTSTATUS status)
{
	struct ntps_status *s, *fresh;
	unsigned long flags;
	int err = 0;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;
	rcu_read_lock();
	spin_lock_irqsave(&ntps_status_lock, flags);
	if (!pid_alive(task)) {
		err = -ESRCH;	/* released: its free probe may have run */
		goto out;
	}
	s = ntps_status_find(task);
	if (!s) {
		s = fresh;
		fresh = NULL;
		s->task = task;
		hash_add(ntps_statuses, &s->node, (unsigned long)task);
		WRITE_ONCE(ntps_status_count, ntps_status_count + 1);
	}
	if (s->set & BIT(kind)) {
		err = -EEXIST;
		goto out;
	}
	s->status[kind] = status;
	s->set |= BIT(kind);
out:
	spin_unlock_irqrestore(&ntps_status_lock, flags);
	rcu_read_unlock();
	kfree(fresh);
	return err;
}

/*
 * The caller's reference keeps @task's address from being reused. If the
 * task was freed meanwhile (a query racing with the reap), the record may
 * be gone and the caller falls back to the Linux exit code.
 */
bool ntps_status_lookup(const struct task_struct *task,
			enum ntps_status_kind kind, NTSTATUS *status)
{
	struct ntps_status *s;
	unsigned long flags;
	bool found = false;

	if (!READ_ONCE(ntps_status_count))
		return false;
	spin_lock_irqsave(&ntps_status_lock, flags);
	s = ntps_status_find(task);
	if (s && (s->set & BIT(kind))) {
		*status = s->status[kind];
		found = true;
	}
	spin_unlock_irqrestore(&ntps_status_lock, flags);
	return found;
}

/*
 * Fires for every task the system frees, hence the lockless check first:
 * a record added for this task is visible here, because it was added
 * inside an RCU read section that this callback's grace period waited for.
 */
void ntps_status_probe_free(void *data, struct task_struct *task)
{
	struct ntps_status *s;
	unsigned long flags;

	if (!READ_ONCE(ntps_status_count))
		return;
	spin_lock_irqsave(&ntps_status_lock, flags);
	s = ntps_status_find(task);
	if (s) {
		hash_del(&s->node);
		WRITE_ONCE(ntps_status_count, ntps_status_count - 1);
	}
	spin_unlock_irqrestore(&ntps_status_lock, flags);
	kfree(s);
}

/* debugfs: ntpersonality/ps/exit_statuses, the number of records (leak checks) */
static int ntps_status_records_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%u\n", READ_ONCE(ntps_status_count));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntps_status_records);

void ntps_status_init(void)
{
	struct dentry *root = nt_debugfs_root();

	if (IS_ERR_OR_NULL(root))
		return;
	ntps_status_debugfs = debugfs_create_dir("ps", root);
	debugfs_create_file("exit_statuses", 0444, ntps_status_debugfs, NULL,
			    &ntps_status_records_fops);
}

void ntps_status_fini(void)
{
	struct ntps_status *s;
	struct hlist_node *tmp;
	unsigned long flags;
	int bkt;

	debugfs_remove(ntps_status_debugfs);
	ntps_status_debugfs = NULL;
	spin_lock_irqsave(&ntps_status_lock, flags);
	hash_for_each_safe(ntps_statuses, bkt, tmp, s, node) {
		hash_del(&s->node);
		kfree(s);
	}
	WRITE_ONCE(ntps_status_count, 0);
	spin_unlock_irqrestore(&ntps_status_lock, flags);
}
