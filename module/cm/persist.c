// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence of \REGISTRY\MACHINE: a REGF hive file, machine.hiv, in the
 * directory of the module parameter registry_dir (default
 * /var/lib/ntpersonality; it must exist, the module does not create it).
 *
 * Written crash-safely, as a careful program would: the whole hive to
 * .machine.hiv.tmp, fsync, rename over machine.hiv, fsync of the
 * directory; so after a crash the file is the old hive or the new one,
 * never a torn one. It is written on NtFlushKey of any key (which returns
 * once the data is on disk) and at module unload, with the module's own
 * credentials (kernel credentials, as for files the kernel owns), not the
 * caller's: the registry is the module's data, and every access to it is
 * checked by the registry's own rules. Loaded at module init; a missing
 * or unreadable file leaves the seeded hive (and says so in the log).
 * Volatile keys are never written. User hives are not persisted yet.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include "cm/cm.h"
#include "status.h"

static char *registry_dir = "/var/lib/ntpersonality";
module_param(registry_dir, charp, 0444);
MODULE_PARM_DESC(registry_dir, "Directory of the persistent registry (machine.hiv)");

#define CM_HIVE_FILE	"machine.hiv"
#define CM_HIVE_TMP	".machine.hiv.tmp"
#define CM_MAX_FILE	(128U << 20)

static DEFINE_MUTEX(cm_persist_lock);	/* one writer of the file at a time */
static const struct cred *cm_kcred;

/* Rename @from over @to inside @dir, as rename(2) would. */
static int cm_rename(const struct path *dir, const char *from, const char *to)
{
	struct renamedata rd = {};
	struct dentry *old, *new, *trap;
	int err;

	err = mnt_want_write(dir->mnt);
	if (err)
		return err;
	trap = lock_rename(dir->dentry, dir->dentry);
	old = lookup_one_len(from, dir->dentry, strlen(from));
	err = PTR_ERR(old);
	if (IS_ERR(old))
		goto unlock;
	new = lookup_one_len(to, dir->dentry, strlen(to));
	err = PTR_ERR(new);
	if (IS_ERR(new))
		goto put_old;
	err = -ENOENT;
	if (d_really_is_positive(old) && old != trap && new != trap) {
		rd.old_mnt_userns = &init_user_ns;
		rd.old_dir = d_inode(dir->dentry);
		rd.old_dentry = old;
		rd.new_mnt_userns = &init_user_ns;
		rd.new_dir = d_inode(dir->dentry);
		rd.new_dentry = new;
		err = vfs_rename(&rd);
	}
	dput(new);
put_old:
	dput(old);
unlock:
	unlock_rename(dir->dentry, dir->dentry);
	mnt_drop_write(dir->mnt);
	return err;
}

static int cm_write_hive(const u8 *buf, u32 len)
{
	struct path dir;
	struct file *f;
	char *tmp;
	loff_t pos = 0;
	ssize_t n;
	int err;

	err = kern_path(registry_dir, LOOKUP_DIRECTORY, &dir);
	if (err)
		return err;
	tmp = kasprintf(GFP_KERNEL, "%s/" CM_HIVE_TMP, registry_dir);
	err = -ENOMEM;
	if (!tmp)
		goto out_path;
	f = filp_open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_LARGEFILE, 0600);
	err = PTR_ERR(f);
	if (IS_ERR(f))
		goto out_tmp;
	n = kernel_write(f, buf, len, &pos);
	err = n < 0 ? n : (n != len ? -EIO : 0);
	if (!err)
		err = vfs_fsync(f, 0);
	fput(f);
	if (!err)
		err = cm_rename(&dir, CM_HIVE_TMP, CM_HIVE_FILE);
	if (!err) {
		f = filp_open(registry_dir, O_RDONLY | O_DIRECTORY, 0);
		err = IS_ERR(f) ? PTR_ERR(f) : vfs_fsync(f, 0);
		if (!IS_ERR(f))
			fput(f);
	}
out_tmp:
	kfree(tmp);
out_path:
	path_put(&dir);
	return err;
}

NTSTATUS cm_persist_flush(void)
{
	const struct cred *old;
	NTSTATUS st;
	u8 *buf;
	u32 len;
	int err;

	if (!cm_kcred || !cm_machine_key)
		return STATUS_SUCCESS;
	mutex_lock(&cm_persist_lock);
	st = regf_build(cm_machine_key, &buf, &len);
	if (NT_SUCCESS(st)) {
		old = override_creds(cm_kcred);
		err = cm_write_hive(buf, len);
		revert_creds(old);
		kvfree(buf);
		if (err == -ENOENT || err == -ENOTDIR) {
			/* No directory: a registry that lives in memory only. */
			st = STATUS_SUCCESS;
		} else if (err) {
			pr_warn_ratelimited("registry: writing %s/%s: %d\n",
					    registry_dir, CM_HIVE_FILE, err);
			st = STATUS_REGISTRY_IO_FAILED;
		}
	}
	mutex_unlock(&cm_persist_lock);
	return st;
}

/* Graft the keys and values of a loaded root onto @machine (cm_lock held). */
static void cm_graft(struct cm_key *machine, struct cm_key *root)
{
	u32 i;

	swap(machine->sub, root->sub);
	swap(machine->nsub, root->nsub);
	swap(machine->sub_cap, root->sub_cap);
	swap(machine->val, root->val);
	swap(machine->nval, root->nval);
	swap(machine->val_cap, root->val_cap);
	for (i = 0; i < machine->nsub; i++)
		machine->sub[i]->parent = machine;
	machine->max_name = root->max_name;
	machine->max_vname = root->max_vname;
	machine->max_vdata = root->max_vdata;
	machine->last_write = root->last_write;
}

bool cm_persist_load(struct cm_key *machine, struct cm_hive *hive)
{
	struct cm_key *root = NULL;
	const struct cred *old;
	struct file *f;
	loff_t size, pos = 0;
	u8 *buf = NULL;
	char *path;
	NTSTATUS st;
	ssize_t n;

	cm_kcred = prepare_kernel_cred(NULL);
	if (!cm_kcred)
		return false;
	path = kasprintf(GFP_KERNEL, "%s/" CM_HIVE_FILE, registry_dir);
	if (!path)
		return false;
	old = override_creds(cm_kcred);
	f = filp_open(path, O_RDONLY | O_LARGEFILE, 0);
	revert_creds(old);
	kfree(path);
	if (IS_ERR(f))
		return false;
	size = i_size_read(file_inode(f));
	if (size > 0 && size <= CM_MAX_FILE)
		buf = kvmalloc(size, GFP_KERNEL);
	n = buf ? kernel_read(f, buf, size, &pos) : -ENOMEM;
	fput(f);
	if (n != size) {
		pr_warn("registry: cannot read %s/%s, starting from the seed\n",
			registry_dir, CM_HIVE_FILE);
		kvfree(buf);
		return false;
	}
	down_write(&cm_lock);
	st = regf_load(buf, size, hive, &root);
	if (NT_SUCCESS(st)) {
		cm_graft(machine, root);
		cm_clear(root);
		ntob_put(&root->ob);
	}
	up_write(&cm_lock);
	kvfree(buf);
	if (!NT_SUCCESS(st))
		pr_warn("registry: %s/%s is not a valid hive (0x%08x), starting from the seed\n",
			registry_dir, CM_HIVE_FILE, st);
	return NT_SUCCESS(st);
}

void cm_persist_exit(void)
{
	cm_persist_flush();
	if (cm_kcred)
		put_cred(cm_kcred);
	cm_kcred = NULL;
}
