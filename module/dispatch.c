// SPDX-License-Identifier: GPL-2.0
/*
 * The NT service tables. The dispatcher itself, in the order of
 * ReactOS's KiSystemServiceHandler (decode table and index, bound-check,
 * copy exactly Number[index] argument bytes from the caller, count,
 * trace, call), is nt_dispatch() in dispatch.h, inlined into the entries.
 *
 * KeServiceDescriptorTable has four descriptors. Table 0 is the XP SP3
 * ntoskrnl table; table 1 (services 0x1000-0x1fff) is left for a win32k-like
 * module, which installs it with KeAddSystemServiceTable(). Only bit 12 of
 * the service number selects a table, as on XP.
 *
 * Tasks under seccomp are refused every NT call (STATUS_ACCESS_DENIED):
 * their filters only ever see Linux system calls.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/jump_label.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/seccomp.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "dispatch.h"
#include "nt/ntstatus.h"
#include "generated/nt_services.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

struct nt_service_descriptor KeServiceDescriptorTable[NT_MAX_SERVICE_TABLES];
EXPORT_SYMBOL_GPL(KeServiceDescriptorTable);

static DEFINE_MUTEX(nt_tables_lock);	/* serializes KeAdd/RemoveSystemServiceTable */
atomic_t nt_table_users[NT_MAX_SERVICE_TABLES];
static unsigned long nt_table0_count[NT_SERVICE_COUNT];
static struct dentry *nt_debugfs;

/*
 * Per-service call counts (KSERVICE_TABLE_DESCRIPTOR's CounterTable),
 * which XP keeps only in checked builds: off by default, and then not
 * even a test on the call path (a static key). Switched by the module
 * parameter count_services; debugfs "counters" shows what was counted.
 */
DEFINE_STATIC_KEY_FALSE(nt_count_services);

static int nt_count_services_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err = kstrtobool(val, &on);

	if (err)
		return err;
	if (on)
		static_branch_enable(&nt_count_services);
	else
		static_branch_disable(&nt_count_services);
	return 0;
}

static int nt_count_services_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n",
			  static_branch_unlikely(&nt_count_services) ? 'Y' : 'N');
}

static const struct kernel_param_ops nt_count_services_ops = {
	.set = nt_count_services_set,
	.get = nt_count_services_get,
};
module_param_cb(count_services, &nt_count_services_ops, NULL, 0644);
MODULE_PARM_DESC(count_services, "Count calls per service in debugfs ntpersonality/counters (default N)");

NTSTATUS nt_not_implemented(const u32 *args)
{
	return STATUS_NOT_IMPLEMENTED;
}

/*
 * Tables 1-3 (only table 1 can be named: bit 12 selects it). The count of
 * callers lets KeRemoveSystemServiceTable() wait for calls in flight.
 */
NTSTATUS nt_dispatch_other(u32 service, const u32 __user *uargs)
{
	unsigned int table = NT_SERVICE_TABLE(service);
	NTSTATUS status;

	atomic_inc(&nt_table_users[table]);
	/* Number[] is another module's memory: bounded at every call */
	status = nt_dispatch_table(&KeServiceDescriptorTable[table], service, uargs, false);
	atomic_dec(&nt_table_users[table]);
	return status;
}

/*
 * Install a service table at @index (1-3), as ReactOS's function of that
 * name. The caller keeps the arrays alive until KeRemoveSystemServiceTable.
 * Argument sizes must be whole words, as on XP: the dispatcher copies words.
 */
bool KeAddSystemServiceTable(const nt_service_fn *base, unsigned long *count,
			     u32 limit, const u8 *number, u32 index)
{
	struct nt_service_descriptor *d;
	bool ok = false;
	u32 i;

	if (index == 0 || index >= NT_MAX_SERVICE_TABLES || !base || !number ||
	    !limit || limit > 0x1000)
		return false;
	for (i = 0; i < limit; i++)
		if (number[i] % 4 || number[i] > NT_MAX_ARG_BYTES)
			return false;
	mutex_lock(&nt_tables_lock);
	d = &KeServiceDescriptorTable[index];
	if (!d->Base) {
		d->Base = base;
		d->Count = count;
		d->Number = number;
		/* publish: a reader that sees Limit sees Base and Number */
		smp_store_release(&d->Limit, limit);
		ok = true;
	}
	mutex_unlock(&nt_tables_lock);
	return ok;
}
EXPORT_SYMBOL_GPL(KeAddSystemServiceTable);

/* Not in NT, whose tables never go away: waits for calls in flight. */
bool KeRemoveSystemServiceTable(u32 index)
{
	struct nt_service_descriptor *d;

	if (index == 0 || index >= NT_MAX_SERVICE_TABLES)
		return false;
	mutex_lock(&nt_tables_lock);
	d = &KeServiceDescriptorTable[index];
	if (!d->Base) {
		mutex_unlock(&nt_tables_lock);
		return false;
	}
	/* no new calls; the grace period lets in-flight ones raise the count */
	smp_store_release(&d->Limit, 0);
	synchronize_rcu();
	while (atomic_read(&nt_table_users[index]))
		usleep_range(1000, 2000);
	d->Base = NULL;
	d->Count = NULL;
	d->Number = NULL;
	mutex_unlock(&nt_tables_lock);
	return true;
}
EXPORT_SYMBOL_GPL(KeRemoveSystemServiceTable);

/* debugfs: <index> <name> <calls> for every table-0 service called so far */
static int nt_counters_show(struct seq_file *m, void *unused)
{
	unsigned int i;

	for (i = 0; i < NT_SERVICE_COUNT; i++)
		if (nt_table0_count[i])
			seq_printf(m, "%#05x %s %lu\n", i, nt_table0_names[i],
				   nt_table0_count[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nt_counters);

struct dentry *nt_debugfs_root(void)
{
	return nt_debugfs;
}

int nt_dispatch_init(void)
{
	struct nt_service_descriptor *d = &KeServiceDescriptorTable[0];
	unsigned int i;

	/* nt_dispatch() copies table 0's Number[] bytes unbounded */
	for (i = 0; i < NT_SERVICE_COUNT; i++)
		if (WARN_ON(nt_table0_number[i] % 4 ||
			    nt_table0_number[i] > NT_MAX_ARG_BYTES))
			return -EINVAL;
	d->Base = nt_table0_base;
	d->Count = nt_table0_count;
	d->Number = nt_table0_number;
	/* publish table 0, as KeAddSystemServiceTable does */
	smp_store_release(&d->Limit, NT_SERVICE_COUNT);

	nt_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("counters", 0444, nt_debugfs, NULL, &nt_counters_fops);
	return 0;
}

void nt_dispatch_exit(void)
{
	debugfs_remove(nt_debugfs);
	nt_debugfs = NULL;
	WRITE_ONCE(KeServiceDescriptorTable[0].Limit, 0);
}
