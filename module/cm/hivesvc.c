// SPDX-License-Identifier: GPL-2.0
/*
 * The hive services over whole subtrees: NtRestoreKey (a REGF file
 * replaces a key's values and subkeys), NtSaveMergedKeys (two subtrees
 * saved as one hive, the high-precedence one winning) and NtUnloadKeyEx
 * (NtUnloadKey, or with an event an unload deferred to the hive's last
 * handle). The REGF reading and writing is hive.c's.
 *
 * Privileges as XP's: restoring and unloading need SeRestorePrivilege,
 * CAP_SYS_ADMIN here as for NtLoadKey; saving needs SeBackupPrivilege,
 * CAP_DAC_READ_SEARCH as for NtSaveKey. The file is the caller's file
 * handle, used with the rights it was opened with: FILE_READ_DATA to
 * restore from it, FILE_WRITE_DATA to save to it.
 *
 * Every tree walk here is iterative (a key can be CM_MAX_DEPTH deep).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "cm/cm.h"
#include "io/io.h"
#include "ke/ke.h"
#include "status.h"

#define CM_RESTORE_FLAGS	(REG_WHOLE_HIVE_VOLATILE | REG_REFRESH_HIVE | \
				 REG_NO_LAZY_FLUSH | REG_FORCE_RESTORE)

/* The regular disk file behind @h with @access, referenced. */
static NTSTATUS cm_ref_hive_file(HANDLE h, ACCESS_MASK access,
				 struct file **filp)
{
	struct ntio_file *f;
	NTSTATUS st;

	st = ntio_ref_file(h, access, &f);
	if (!NT_SUCCESS(st))
		return st;
	if (f->kind != NTIO_DISK || f->is_dir ||
	    !S_ISREG(file_inode(f->filp)->i_mode))
		st = STATUS_INVALID_PARAMETER;
	else
		*filp = get_file(f->filp);
	ntob_put(&f->obj);
	return st;
}

/* ------------------------------------------------------------------ */
/* NtRestoreKey */

struct cm_restore_scan {
	u32 max_depth;		/* of the loaded tree, its root at 0 */
	bool volatile_keys;
	u32 base;		/* depth of the key restored onto */
};

/* Old subtree: no other hive's root, no open handle unless forced. */
static int cm_restore_check(struct cm_key *key, void *arg)
{
	bool force = *(bool *)arg;

	if (test_bit(CM_KEY_HIVE_ROOT, &key->flags))
		return -EBUSY;
	if (!force && atomic_read(&key->ob.handle_count))
		return -EBUSY;
	return 0;
}

/* Old subtree going away: its watches end (cm_report_cleanup). */
static int cm_restore_cleanup(struct cm_key *key, void *arg)
{
	if (key->nnotify)
		cm_report_cleanup(key, false, arg);
	return 0;
}

static int cm_restore_depth(struct cm_key *key, void *arg)
{
	struct cm_restore_scan *s = arg;

	s->max_depth = max(s->max_depth, key->depth);
	return 0;
}

/* Grafted keys: their depth below the target, and volatility. */
static int cm_restore_fix(struct cm_key *key, void *arg)
{
	struct cm_restore_scan *s = arg;

	key->depth = key->parent->depth + 1;
	if (s->volatile_keys)
		__set_bit(CM_KEY_VOLATILE, &key->flags);
	return 0;
}

/*
 * XP's rules (MSDN RegRestoreKey, and ReactOS's NtRestoreKey/CmRestoreKey
 * prototypes): unknown flags are STATUS_INVALID_PARAMETER; without
 * REG_FORCE_RESTORE a key open below the target is STATUS_CANNOT_DELETE
 * (with it, those handles then give STATUS_KEY_DELETED);
 * REG_WHOLE_HIVE_VOLATILE makes what is restored memory-only and is
 * taken only at a hive root; REG_NO_LAZY_FLUSH means nothing here (there
 * is no lazy flusher: the machine hive is written at NtFlushKey).
 * REG_REFRESH_HIVE (go back to the hive's last flush) is not built:
 * STATUS_NOT_IMPLEMENTED (docs/registry.md).
 */
NTSTATUS NtRestoreKey(HANDLE KeyHandle, HANDLE FileHandle, ULONG Flags)
{
	struct cm_restore_scan scan = {};
	struct cm_key *key, *root = NULL;
	bool force = Flags & REG_FORCE_RESTORE;
	LIST_HEAD(fired);
	struct file *filp;
	long old_bytes;
	u8 *buf = NULL;
	NTSTATUS st;
	u32 len;
	int ret;

	if (Flags & ~CM_RESTORE_FLAGS)
		return STATUS_INVALID_PARAMETER;
	if (!capable(CAP_SYS_ADMIN))
		return STATUS_PRIVILEGE_NOT_HELD;
	st = cm_ref_key(KeyHandle, 0, &key);
	if (!NT_SUCCESS(st))
		return st;
	if (Flags & REG_REFRESH_HIVE) {
		st = STATUS_NOT_IMPLEMENTED;
		goto out_key;
	}
	st = cm_ref_hive_file(FileHandle, FILE_READ_DATA, &filp);
	if (!NT_SUCCESS(st))
		goto out_key;
	/* a base block and at least one bin */
	st = regf_read_whole(filp, 0x2000, &buf, &len);
	if (!NT_SUCCESS(st))
		goto out_file;

	down_write(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags)) {
		st = STATUS_KEY_DELETED;
		goto unlock;
	}
	if (cm_is_master_key(key)) {
		st = STATUS_ACCESS_DENIED;
		goto unlock;
	}
	if ((Flags & REG_WHOLE_HIVE_VOLATILE) &&
	    !test_bit(CM_KEY_HIVE_ROOT, &key->flags)) {
		st = STATUS_INVALID_PARAMETER;
		goto unlock;
	}
	ret = cm_visit_below(key, cm_restore_check, &force);
	if (ret) {
		st = ret == -ENOMEM ? STATUS_INSUFFICIENT_RESOURCES :
				    STATUS_CANNOT_DELETE;
		goto unlock;
	}
	old_bytes = key->hive->bytes;
	st = regf_load(buf, len, key->hive, &root);
	if (!NT_SUCCESS(st)) {
		key->hive->bytes = old_bytes;
		goto unlock;
	}
	if (cm_visit_below(root, cm_restore_depth, &scan) ||
	    key->depth + scan.max_depth > CM_MAX_DEPTH) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto drop_new;
	}
	/* Nothing can fail from here on. */
	cm_visit_below(key, cm_restore_cleanup, &fired);
	cm_report(key, REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET,
		  &fired);
	cm_clear_accounted(key);
	cm_adopt(key, root);
	scan.volatile_keys = (Flags & REG_WHOLE_HIVE_VOLATILE) ||
			     test_bit(CM_KEY_VOLATILE, &key->flags);
	cm_visit_below(key, cm_restore_fix, &scan);
	cm_touch(key);
	cm_log_subtree_changed(key);
	st = STATUS_SUCCESS;
drop_new:
	/* @root now holds what it had (on failure) or @key's old values. */
	if (!NT_SUCCESS(st))
		key->hive->bytes = old_bytes;
	cm_clear(root);
	ntob_put(&root->ob);
unlock:
	up_write(&cm_lock);
	cm_notify_complete(&fired);
out_file:
	kvfree(buf);
	fput(filp);
out_key:
	ntob_put(&key->ob);
	return st;
}

/* ------------------------------------------------------------------ */
/* NtSaveMergedKeys */

/*
 * Make @dst's values copies of @src's (the high-precedence key's values
 * replace the low one's, as a key present in both trees is the high
 * tree's), and its class @src's.
 */
static NTSTATUS cm_copy_values(struct cm_key *dst, struct cm_key *src)
{
	struct cm_value *v;
	u32 i;

	for (i = 0; i < dst->nval; i++) {
		dst->hive->bytes -= cm_value_cost(dst->val[i]);
		kvfree(dst->val[i]);
	}
	dst->nval = 0;
	for (i = 0; i < src->nval; i++) {
		v = cm_value_alloc(src->val[i]->name_len, src->val[i]->data_len);
		if (!v)
			return STATUS_INSUFFICIENT_RESOURCES;
		v->type = src->val[i]->type;
		memcpy(v->name, src->val[i]->name, v->name_len * sizeof(WCHAR));
		memcpy(v->data, src->val[i]->data, v->data_len);
		if (!NT_SUCCESS(cm_value_store(dst, v))) {
			kvfree(v);
			return STATUS_INSUFFICIENT_RESOURCES;
		}
	}
	if (src->class_len) {
		WCHAR *c = kmemdup(src->class, src->class_len, GFP_KERNEL_ACCOUNT);

		if (!c)
			return STATUS_INSUFFICIENT_RESOURCES;
		kfree(dst->class);
		dst->class = c;
		dst->class_len = src->class_len;
	}
	dst->flags |= src->flags & (BIT(CM_KEY_VOLATILE) | BIT(CM_KEY_LINK));
	dst->last_write = src->last_write;
	return STATUS_SUCCESS;
}

/*
 * Overlay the tree of @src onto @dst: every key of @src gets its twin
 * below @dst (made if missing) with @src's values. Depth first without
 * recursion; the walk's own stack pairs the two trees.
 */
static NTSTATUS cm_merge_into(struct cm_key *dst, struct cm_key *src)
{
	struct cm_key **twin, *s = src, *d = dst, *c;
	u32 *pos, depth = 0, index;
	NTSTATUS st = STATUS_INSUFFICIENT_RESOURCES;
	bool found;

	pos = kvcalloc(CM_MAX_DEPTH + 2, sizeof(*pos), GFP_KERNEL);
	twin = kvcalloc(CM_MAX_DEPTH + 2, sizeof(*twin), GFP_KERNEL);
	if (!pos || !twin)
		goto out;
	st = cm_copy_values(d, s);
	twin[0] = d;
	while (NT_SUCCESS(st)) {
		if (depth <= CM_MAX_DEPTH && pos[depth] < s->nsub) {
			s = s->sub[pos[depth]++];
			/* another hive mounted in the tree is not part of it */
			if (test_bit(CM_KEY_LOADED, &s->flags)) {
				s = s->parent;
				continue;
			}
			index = cm_sub_index(d, s->name, s->name_len, &found);
			if (found) {
				c = d->sub[index];
			} else {
				st = STATUS_INSUFFICIENT_RESOURCES;
				c = cm_key_alloc(s->name, s->name_len);
				if (!c)
					break;
				c->hive = d->hive;
				if (cm_link(d, c, index)) {
					ntob_put(&c->ob);
					break;
				}
			}
			d = c;
			st = cm_copy_values(d, s);
			twin[++depth] = d;
			pos[depth] = 0;
			continue;
		}
		if (s == src)
			break;
		s = s->parent;
		d = twin[--depth];
	}
out:
	kvfree(pos);
	kvfree(twin);
	return st;
}

/*
 * The merged view of two subtrees as one hive (what XP's user profile
 * code saves): the low-precedence tree, overlaid with the high one, whose
 * keys and values prevail. The two keys must be in different hives
 * (STATUS_INVALID_PARAMETER otherwise, as XP: a merge within one hive is
 * NtSaveKey's job). Built as a scratch tree charged to a scratch hive
 * under cm_lock, then written by hive.c's regf_build.
 */
NTSTATUS NtSaveMergedKeys(HANDLE HighPrecedenceKeyHandle,
			  HANDLE LowPrecedenceKeyHandle, HANDLE FileHandle)
{
	struct cm_key *high, *low, *tmp = NULL;
	struct cm_hive scratch = {};
	struct file *filp = NULL;
	loff_t pos = 0;
	u8 *buf = NULL;
	NTSTATUS st;
	ssize_t n;
	u32 len;

	if (!capable(CAP_DAC_READ_SEARCH))
		return STATUS_PRIVILEGE_NOT_HELD;
	st = cm_ref_key(HighPrecedenceKeyHandle, 0, &high);
	if (!NT_SUCCESS(st))
		return st;
	st = cm_ref_key(LowPrecedenceKeyHandle, 0, &low);
	if (!NT_SUCCESS(st))
		goto out_high;
	st = cm_ref_hive_file(FileHandle, FILE_WRITE_DATA, &filp);
	if (!NT_SUCCESS(st))
		goto out_low;
	INIT_LIST_HEAD(&scratch.node);
	scratch.owner = GLOBAL_ROOT_UID;
	tmp = cm_key_alloc(high->name, high->name_len);
	if (!tmp) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out_file;
	}
	tmp->hive = &scratch;
	down_write(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &high->flags) ||
	    test_bit(CM_KEY_DELETED, &low->flags))
		st = STATUS_KEY_DELETED;
	else if (high->hive == low->hive)
		st = STATUS_INVALID_PARAMETER;
	else
		st = cm_merge_into(tmp, low);
	if (NT_SUCCESS(st))
		st = cm_merge_into(tmp, high);
	up_write(&cm_lock);
	/* regf_build takes cm_lock itself; nobody else sees @tmp. */
	if (NT_SUCCESS(st))
		st = regf_build(tmp, &buf, &len);
	if (NT_SUCCESS(st)) {
		n = kernel_write(filp, buf, len, &pos);
		if (n < 0)
			st = nt_status_from_errno(n);
		else if (n != len)
			st = STATUS_DISK_FULL;
		kvfree(buf);
	}
	down_write(&cm_lock);
	cm_clear(tmp);
	up_write(&cm_lock);
	ntob_put(&tmp->ob);
out_file:
	fput(filp);
out_low:
	ntob_put(&low->ob);
out_high:
	ntob_put(&high->ob);
	return st;
}

/* ------------------------------------------------------------------ */
/* NtUnloadKeyEx */

/*
 * Without an event, NtUnloadKey. With one, a hive whose keys are still
 * open is not refused: it is marked for unloading, the call returns
 * STATUS_PENDING, and when the last handle into the hive closes it is
 * unloaded and the event set (XP's late unload, RegUnLoadKey's
 * asynchronous form used by the user profile service).
 */
NTSTATUS NtUnloadKeyEx(const OBJECT_ATTRIBUTES __user *TargetKey, HANDLE Event)
{
	struct ntob_object *ev = NULL;
	struct nt_oa oa = {};
	NTSTATUS st;

	if (!capable(CAP_SYS_ADMIN))
		return STATUS_PRIVILEGE_NOT_HELD;
	if (Event) {
		st = ntob_ref_by_handle(Event, EVENT_MODIFY_STATE,
					&ntke_event_type, &ev);
		if (!NT_SUCCESS(st))
			return st;
	}
	st = nt_capture_oa(TargetKey, &oa);
	if (NT_SUCCESS(st))
		st = cm_hive_unmount_ex(&oa, ev);
	nt_release_oa(&oa);
	if (ev)
		ntob_put(ev);
	return st;
}
