// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence of the registry's hives (docs/registry.md, "Persistence"):
 * \REGISTRY\MACHINE and each user's \REGISTRY\USER\S-1-22-1-<uid>, in
 * the directory of the module parameter registry_dir (default
 * /var/lib/ntpersonality; it must exist, the module does not create it).
 *
 * Each hive is two files: a REGF base, <name>.hiv, that hivexsh and
 * Windows read, and a redo log, <name>.log, of the records log.c builds.
 * NtFlushKey appends one record (what changed in the hive since the last
 * flush) with one write and one fdatasync, over zeros written ahead (so
 * the fdatasync has no size change to commit). A checkpoint merges the log
 * into the base: the hive is written whole to .<name>.hiv.tmp, fsynced,
 * renamed over <name>.hiv, the directory fsynced, and only then a new
 * header naming the new base (its length and CRC, and a new nonce) is
 * written over the log's old one; the file is kept (cm_log_reset). It
 * runs at unload, from a worker when the log outgrows the base, and on
 * the next flush after a change a record cannot say (a rename) or a
 * failed write. At load, the base is read and every record of a log
 * whose header names that base is replayed, in order, up to the first
 * that is torn (short, bad CRC, out of sequence).
 *
 * Files are written and read with the module's own credentials (kernel
 * credentials, as for files the kernel owns), not the caller's: the
 * registry is the module's data, every access to it is checked by the
 * registry's own rules, and the file names are the module's own
 * ("machine", "user-<uid>"), never a caller's string.
 *
 * Locking: a hive's plog->lock serializes its files and is taken before
 * cm_lock; the dirty list and plog->root are under cm_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <asm/unaligned.h>
#include "cm/cm.h"
#include "status.h"

static char *registry_dir = "/var/lib/ntpersonality";
module_param(registry_dir, charp, 0444);
MODULE_PARM_DESC(registry_dir, "Directory of the persistent registry (machine.hiv)");

#define CM_MAX_FILE	(128U << 20)
#define CM_LOG_MIN	(64U << 10)	/* a log checkpoints past max(this, base) */
#define CM_MAX_USERS	1024		/* user hives persisted */
#define CM_MAX_DIRTY	16384		/* keys listed; more: a checkpoint */
#define CM_LOG_HDR	64
#define CM_LOG_GROW	(64U << 10)	/* zeros written ahead of the records */
#define CM_LOG_MAGIC	"NTPRLOG1"
#define CM_REC_MAGIC	0x4352544eU	/* "NTRC" */

enum {
	CM_PLOG_CHECKPOINT,
	CM_PLOG_OFF,
	CM_PLOG_REPLACED,	/* NtReplaceKey staged <name>.hiv.new */
};

struct cm_plog {
	struct list_head node;		/* in cm_plogs */
	struct cm_hive *hive;
	struct cm_key *root;		/* under cm_lock */
	struct cm_key *dirty;		/* under cm_lock, each referenced */
	u32 ndirty;			/* under cm_lock */
	unsigned long state;
	struct mutex lock;		/* the files and what follows */
	struct file *log;		/* open for appends, or NULL */
	loff_t end;			/* of the last complete record */
	loff_t alloc;			/* file size: zeros from @end to it */
	u32 seq, salt, base_len;
	struct work_struct work;
	char name[24];			/* "machine", "user-<uid>" */
};

static LIST_HEAD(cm_plogs);
static DEFINE_SPINLOCK(cm_plogs_lock);
static unsigned int cm_nusers;
static const struct cred *cm_kcred;

static char *cm_file(const struct cm_plog *pl, const char *fmt)
{
	return kasprintf(GFP_KERNEL, fmt, registry_dir, pl->name);
}

static int cm_fsync_dir(void)
{
	struct file *f = filp_open(registry_dir, O_RDONLY | O_DIRECTORY, 0);
	int err;

	if (IS_ERR(f))
		return PTR_ERR(f);
	err = vfs_fsync(f, 0);
	fput(f);
	return err;
}

/*
 * A file of the hive: a temp file, fsync, rename over <name>.<ext>,
 * directory fsync. @ext is "hiv" (the base) or "hiv.new" (NtReplaceKey).
 */
static int cm_write_file(struct cm_plog *pl, const char *ext, const u8 *buf,
			 u32 len)
{
	char *tmp, from[40], to[40];
	struct path dir;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	int err;

	err = kern_path(registry_dir, LOOKUP_DIRECTORY, &dir);
	if (err)
		return err;
	snprintf(from, sizeof(from), ".%s.%s.tmp", pl->name, ext);
	snprintf(to, sizeof(to), "%s.%s", pl->name, ext);
	tmp = kasprintf(GFP_KERNEL, "%s/%s", registry_dir, from);
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
		err = cm_rename_at(&dir, from, &dir, to, 0, NULL, NULL, NULL);
	if (!err)
		err = cm_fsync_dir();
out_tmp:
	kfree(tmp);
out_path:
	path_put(&dir);
	return err;
}

/*
 * The seed of the records' CRCs: the header's first 24 bytes (magic,
 * version, size, the base's length and CRC) and its nonce, so a record of
 * another log, or of this file before its last reset, never validates.
 * A log without a nonce (0: written before logs were reused) is seeded
 * by the 24 bytes alone, as it was written.
 */
static u32 cm_hdr_salt(const u8 *hdr)
{
	u32 salt = crc32_le(~0U, hdr, 24);

	if (get_unaligned_le64(hdr + 24))
		salt = crc32_le(salt, hdr + 24, 8);
	return salt;
}

/*
 * The log naming the base just written. The file is kept, with the
 * zeros and old records past its header: a new header, with a new nonce,
 * is written over the old one and fdatasynced, so the records after it
 * no longer validate and appends overwrite them. Keeping it saves the
 * truncate and the regrowth, each a journal commit, at every checkpoint.
 * Until the header is on disk the log names the old base and is ignored
 * at load (the new base has everything); a torn header fails its CRC,
 * with the same effect. A new file, or one grown far past what this
 * base needs, is created or truncated instead, fsynced with its
 * directory.
 */
static int cm_log_reset(struct cm_plog *pl, u32 base_len, u32 base_crc)
{
	loff_t keep = 2 * max_t(loff_t, CM_LOG_MIN, base_len) + CM_LOG_GROW;
	int flags = O_WRONLY | O_CREAT | O_LARGEFILE;
	u8 hdr[CM_LOG_HDR] = {};
	struct file *f = pl->log;
	bool fresh = !f;
	loff_t pos = 0, size;
	u64 nonce;
	char *path;
	ssize_t n;
	int err;

	pl->log = NULL;
	while (!f || i_size_read(file_inode(f)) > keep) {
		if (f) {
			fput(f);
			flags |= O_TRUNC;
		}
		path = cm_file(pl, "%s/%s.log");
		if (!path)
			return -ENOMEM;
		f = filp_open(path, flags, 0600);
		kfree(path);
		if (IS_ERR(f))
			return PTR_ERR(f);
		fresh = true;
	}
	do {
		nonce = get_random_u64();
	} while (!nonce);
	memcpy(hdr, CM_LOG_MAGIC, 8);
	put_unaligned_le32(1, hdr + 8);
	put_unaligned_le32(CM_LOG_HDR, hdr + 12);
	put_unaligned_le32(base_len, hdr + 16);
	put_unaligned_le32(base_crc, hdr + 20);
	put_unaligned_le64(nonce, hdr + 24);
	put_unaligned_le32(crc32_le(~0U, hdr, CM_LOG_HDR - 4), hdr + CM_LOG_HDR - 4);
	n = kernel_write(f, hdr, sizeof(hdr), &pos);
	err = n < 0 ? n : (n != sizeof(hdr) ? -EIO : 0);
	/* A file that may be new, or truncated: its size and entry too. */
	if (!err)
		err = vfs_fsync(f, !fresh);
	if (!err && fresh)
		err = cm_fsync_dir();
	if (err) {
		fput(f);
		return err;
	}
	size = i_size_read(file_inode(f));
	pl->log = f;
	pl->end = CM_LOG_HDR;
	pl->alloc = max_t(loff_t, size, CM_LOG_HDR);
	pl->seq = 1;
	pl->salt = cm_hdr_salt(hdr);
	pl->base_len = base_len;
	return 0;
}

/* Take the dirty list (cm_lock held for writing); put it with cm_put_dirty. */
static struct cm_key *cm_take_dirty(struct cm_plog *pl)
{
	struct cm_key *list = pl->dirty, *key;

	lockdep_assert_held_write(&cm_lock);
	pl->dirty = NULL;
	pl->ndirty = 0;
	for (key = list; key; key = key->dirty_next)
		clear_bit(CM_KEY_DIRTY, &key->flags);
	return list;
}

static void cm_put_dirty(struct cm_key *list)
{
	struct cm_key *key;

	while (list) {
		key = list;
		list = key->dirty_next;
		key->dirty_next = NULL;
		ntob_put(&key->ob);
	}
}

/*
 * Merge everything into the base (plog->lock held, module credentials).
 * The dirty list is dropped first: a change made while the base is built
 * is in the base, or dirty again, or both.
 */
static int cm_checkpoint(struct cm_plog *pl)
{
	struct cm_key *list, *root;
	struct path dir;
	NTSTATUS st;
	u8 *buf;
	u32 len;
	int err;

	/* No directory yet: memory only, and try again at the next flush. */
	err = kern_path(registry_dir, LOOKUP_DIRECTORY, &dir);
	if (err)
		return err;
	path_put(&dir);
	down_write(&cm_lock);
	list = cm_take_dirty(pl);
	clear_bit(CM_PLOG_CHECKPOINT, &pl->state);
	root = pl->root;
	if (root)
		ntob_get(&root->ob);
	up_write(&cm_lock);
	cm_put_dirty(list);
	if (!root)
		return 0;
	st = regf_build(root, &buf, &len);
	ntob_put(&root->ob);
	err = NT_SUCCESS(st) ? 0 : -ENOMEM;
	if (!err) {
		err = cm_write_file(pl, "hiv", buf, len);
		if (!err)
			err = cm_log_reset(pl, len, crc32_le(~0U, buf, len));
		kvfree(buf);
	}
	if (err)
		set_bit(CM_PLOG_CHECKPOINT, &pl->state);
	return err;
}

/*
 * Make the log at least @need bytes long, in CM_LOG_GROW steps of zeros,
 * and fsync that. An append then overwrites blocks that exist and were
 * written, so its fdatasync flushes the data alone: no size or block
 * allocation to commit to the journal, once per append, as a file grown
 * by every write would need.
 */
static int cm_log_grow(struct cm_plog *pl, loff_t need)
{
	const void *zero = page_address(ZERO_PAGE(0));
	loff_t pos = pl->alloc, to = round_up(need, CM_LOG_GROW);
	ssize_t n;

	while (pos < to) {
		n = kernel_write(pl->log, zero, min_t(loff_t, PAGE_SIZE, to - pos),
				 &pos);
		if (n <= 0)
			return n < 0 ? n : -EIO;
	}
	pl->alloc = pos;
	return vfs_fsync(pl->log, 0);
}

/* One record of what changed, one write, one fdatasync (plog->lock held). */
static int cm_append(struct cm_plog *pl)
{
	struct cm_key *list;
	loff_t pos = pl->end;
	u8 *buf = NULL;
	ssize_t n;
	u32 len;
	int err;

	down_write(&cm_lock);
	list = cm_take_dirty(pl);
	err = list && pl->root ? cm_log_encode(pl->root, list, &buf, &len) : 0;
	up_write(&cm_lock);
	cm_put_dirty(list);
	if (!err && buf) {
		put_unaligned_le32(CM_REC_MAGIC, buf);
		put_unaligned_le32(len, buf + 4);
		put_unaligned_le32(pl->seq, buf + 8);
		put_unaligned_le32(0, buf + 12);
		put_unaligned_le32(crc32_le(pl->salt, buf, len), buf + 12);
		if (pos + len > pl->alloc)
			err = cm_log_grow(pl, pos + len);
		n = err ? err : kernel_write(pl->log, buf, len, &pos);
		err = n < 0 ? n : (n != len ? -EIO : 0);
		/* fdatasync: the data and the size that makes it readable. */
		if (!err)
			err = vfs_fsync(pl->log, 1);
		if (!err) {
			pl->end += len;
			pl->seq++;
		}
	}
	kvfree(buf);
	/* What the list said is in memory only now: the next flush merges. */
	if (err)
		set_bit(CM_PLOG_CHECKPOINT, &pl->state);
	return err;
}

static int cm_plog_sync(struct cm_plog *pl, bool checkpoint)
{
	const struct cred *old;
	int err;

	mutex_lock(&pl->lock);
	old = override_creds(cm_kcred);
	if (checkpoint || !pl->log ||
	    test_bit(CM_PLOG_CHECKPOINT, &pl->state))
		err = cm_checkpoint(pl);
	else
		err = cm_append(pl);
	revert_creds(old);
	if (!err && pl->log && pl->end > max(CM_LOG_MIN, pl->base_len))
		queue_work(system_unbound_wq, &pl->work);
	mutex_unlock(&pl->lock);
	return err;
}

static void cm_plog_work(struct work_struct *work)
{
	struct cm_plog *pl = container_of(work, struct cm_plog, work);

	mutex_lock(&pl->lock);
	if (pl->log && pl->end > max(CM_LOG_MIN, pl->base_len)) {
		const struct cred *old = override_creds(cm_kcred);

		cm_checkpoint(pl);
		revert_creds(old);
	}
	mutex_unlock(&pl->lock);
}

/*
 * NtFlushKey: what changed in @hive is on disk when this returns. A hive
 * without a plog (mounted by NtLoadKey, or past CM_MAX_USERS), one not
 * persisted (CM_PLOG_OFF: a hive root not named S-1-22-1-<its owner>)
 * and a registry_dir that does not exist are memory only: success.
 */
NTSTATUS cm_persist_flush(struct cm_hive *hive)
{
	struct cm_plog *pl = READ_ONCE(hive->plog);
	int err;

	if (!pl || !cm_kcred || test_bit(CM_PLOG_OFF, &pl->state))
		return STATUS_SUCCESS;
	err = cm_plog_sync(pl, false);
	if (err == -ENOENT || err == -ENOTDIR)
		return STATUS_SUCCESS;
	if (err) {
		pr_warn_ratelimited("registry: writing %s/%s: %d\n",
				    registry_dir, pl->name, err);
		return STATUS_REGISTRY_IO_FAILED;
	}
	return STATUS_SUCCESS;
}

/*
 * NtReplaceKey of the machine hive or a user's hive (mount.c has checked
 * the privilege and that @buf, NewFile's content, is a valid hive). The
 * hive as it is now is saved to @oldpath, a new file, with the caller's
 * credentials: XP renames the hive's file there, but this file is the
 * module's. Then @buf is staged as <name>.hiv.new in registry_dir with
 * the module's credentials, which the next module load takes in place of
 * the base (cm_take_new). Until then the hive goes on as it is, flushed
 * to its base and log, as XP goes on with the old file until reboot.
 */
NTSTATUS cm_persist_replace(struct cm_key *key, const u8 *buf, u32 len,
			    const char *oldpath)
{
	struct cm_key *root = NULL;
	const struct cred *old;
	struct cm_plog *pl;
	struct file *f;
	loff_t pos = 0;
	u32 ilen = 0;
	u8 *img;
	NTSTATUS st;
	ssize_t n;
	int err;

	down_read(&cm_lock);
	pl = key->hive ? key->hive->plog : NULL;
	if (pl && !test_bit(CM_PLOG_OFF, &pl->state) && pl->root) {
		root = pl->root;
		ntob_get(&root->ob);
	}
	up_read(&cm_lock);
	/* A hive with no file: nothing to replace at the next load. */
	if (!root || !cm_kcred) {
		if (root)
			ntob_put(&root->ob);
		return STATUS_ACCESS_DENIED;
	}
	mutex_lock(&pl->lock);
	st = STATUS_FILE_RENAMED;
	if (test_bit(CM_PLOG_REPLACED, &pl->state))
		goto unlock;
	st = regf_build(root, &img, &ilen);
	if (!NT_SUCCESS(st))
		goto unlock;
	f = filp_open(oldpath, O_WRONLY | O_CREAT | O_EXCL | O_LARGEFILE |
		      O_NOFOLLOW, 0600);
	if (IS_ERR(f)) {
		kvfree(img);
		st = nt_status_from_errno(PTR_ERR(f));
		goto unlock;
	}
	n = kernel_write(f, img, ilen, &pos);
	kvfree(img);
	err = n < 0 ? n : (n != ilen ? -ENOSPC : 0);
	if (!err)
		err = vfs_fsync(f, 0);
	fput(f);
	if (!err) {
		old = override_creds(cm_kcred);
		err = cm_write_file(pl, "hiv.new", buf, len);
		revert_creds(old);
	}
	if (err) {
		cm_unlink_path(oldpath);
		st = nt_status_from_errno(err);
		goto unlock;
	}
	set_bit(CM_PLOG_REPLACED, &pl->state);
	st = STATUS_SUCCESS;
unlock:
	mutex_unlock(&pl->lock);
	ntob_put(&root->ob);
	return st;
}

/*
 * At load, before the base is read: a <name>.hiv.new staged by
 * NtReplaceKey becomes the base. The log goes first (it holds changes to
 * the replaced hive), then the rename; a crash between the two leaves
 * the staged file, taken at the next load.
 */
static void cm_take_new(struct cm_plog *pl)
{
	char staged[40], base[40], log[40];
	const struct cred *old;
	struct dentry *d;
	struct path dir;
	bool found;
	int err;

	snprintf(staged, sizeof(staged), "%s.hiv.new", pl->name);
	snprintf(base, sizeof(base), "%s.hiv", pl->name);
	snprintf(log, sizeof(log), "%s.log", pl->name);
	old = override_creds(cm_kcred);
	if (kern_path(registry_dir, LOOKUP_DIRECTORY, &dir))
		goto out;
	d = lookup_one_len_unlocked(staged, dir.dentry, strlen(staged));
	if (IS_ERR(d))
		goto put;
	found = d_really_is_positive(d);
	dput(d);
	if (!found)
		goto put;
	err = cm_unlink_at(&dir, log);
	if (!err)
		err = cm_fsync_dirpath(&dir);
	if (err == -ENOENT)
		err = 0;
	if (!err)
		err = cm_rename_at(&dir, staged, &dir, base, 0, NULL, NULL, NULL);
	if (!err)
		err = cm_fsync_dirpath(&dir);
	if (err)
		pr_warn("registry: %s/%s not taken (%d)\n", registry_dir, staged, err);
	else
		pr_info("registry: %s/%s replaced by the hive NtReplaceKey staged\n",
			registry_dir, base);
put:
	path_put(&dir);
out:
	revert_creds(old);
}

/* The canonical S-1-22-1-<uid> of @hive's owner: the only name persisted. */
static bool cm_user_name_ok(const struct cm_hive *hive,
			    const struct cm_key *root)
{
	char s[32];
	int n, i;

	n = scnprintf(s, sizeof(s), "S-1-22-1-%u",
		      from_kuid(&init_user_ns, hive->owner));
	if (n != root->name_len)
		return false;
	for (i = 0; i < n; i++)
		if (ntob_upcase(root->name[i]) != s[i])
			return false;
	return true;
}

/* A change to @key, to be logged by the next flush (cm_lock held). */
void cm_log_dirty(struct cm_key *key)
{
	struct cm_plog *pl = key->hive ? key->hive->plog : NULL;

	lockdep_assert_held_write(&cm_lock);
	cm_mount_dirty(key);
	if (!pl || test_bit(CM_PLOG_OFF, &pl->state) ||
	    test_bit(CM_KEY_VOLATILE, &key->flags))
		return;
	if (!pl->root) {
		/* A new user hive: its root is linked first. */
		if (!test_bit(CM_KEY_HIVE_ROOT, &key->flags) ||
		    !cm_user_name_ok(pl->hive, key)) {
			set_bit(CM_PLOG_OFF, &pl->state);
			return;
		}
		pl->root = key;
		set_bit(CM_PLOG_CHECKPOINT, &pl->state);
	}
	/*
	 * The next flush merges the whole hive: nothing to list. The bound
	 * also caps the deleted keys the list can keep alive.
	 */
	if (test_bit(CM_PLOG_CHECKPOINT, &pl->state))
		return;
	if (pl->ndirty >= CM_MAX_DIRTY) {
		set_bit(CM_PLOG_CHECKPOINT, &pl->state);
		return;
	}
	if (test_and_set_bit(CM_KEY_DIRTY, &key->flags))
		return;
	ntob_get(&key->ob);
	key->dirty_next = pl->dirty;
	pl->dirty = key;
	pl->ndirty++;
}

/*
 * A rename moves a subtree and a restore replaces one; no record can say
 * either: merge the whole hive at the next flush.
 */
void cm_log_subtree_changed(struct cm_key *key)
{
	struct cm_plog *pl = key->hive ? key->hive->plog : NULL;

	lockdep_assert_held_write(&cm_lock);
	cm_mount_dirty(key);
	if (pl)
		set_bit(CM_PLOG_CHECKPOINT, &pl->state);
}

static struct cm_plog *cm_plog_new(struct cm_hive *hive, const char *name)
{
	struct cm_plog *pl = kzalloc(sizeof(*pl), GFP_KERNEL_ACCOUNT);

	if (!pl)
		return NULL;
	pl->hive = hive;
	mutex_init(&pl->lock);
	INIT_WORK(&pl->work, cm_plog_work);
	strscpy(pl->name, name, sizeof(pl->name));
	/* Until a log names the base, the first flush is a checkpoint. */
	set_bit(CM_PLOG_CHECKPOINT, &pl->state);
	spin_lock(&cm_plogs_lock);
	list_add_tail(&pl->node, &cm_plogs);
	spin_unlock(&cm_plogs_lock);
	return pl;
}

/* A user hive NtCreateKey just made below \REGISTRY\USER (cm_lock held). */
void cm_persist_attach(struct cm_hive *hive)
{
	char name[24];

	lockdep_assert_held_write(&cm_lock);
	if (!cm_kcred || hive->plog)
		return;
	if (cm_nusers >= CM_MAX_USERS) {
		pr_warn_once("registry: more than %u user hives, later ones are memory only\n",
			     CM_MAX_USERS);
		return;
	}
	snprintf(name, sizeof(name), "user-%u",
		 from_kuid(&init_user_ns, hive->owner));
	hive->plog = cm_plog_new(hive, name);
	if (hive->plog)
		cm_nusers++;
}

/* @path (in registry_dir) read whole: 0, or -ENOENT and other errors. */
static int cm_read(struct cm_plog *pl, const char *fmt, u8 **buf, u32 *len)
{
	const struct cred *old;
	struct file *f;
	loff_t size, pos = 0;
	char *path;
	ssize_t n;

	*buf = NULL;
	path = cm_file(pl, fmt);
	if (!path)
		return -ENOMEM;
	old = override_creds(cm_kcred);
	f = filp_open(path, O_RDONLY | O_LARGEFILE, 0);
	revert_creds(old);
	kfree(path);
	if (IS_ERR(f))
		return PTR_ERR(f);
	size = i_size_read(file_inode(f));
	if (size <= 0 || size > CM_MAX_FILE) {
		fput(f);
		return size ? -EFBIG : -ENODATA;
	}
	*buf = kvmalloc(size, GFP_KERNEL);
	n = *buf ? kernel_read(f, *buf, size, &pos) : -ENOMEM;
	fput(f);
	if (n != size) {
		kvfree(*buf);
		*buf = NULL;
		return n < 0 ? n : -EIO;
	}
	*len = size;
	return 0;
}

/*
 * Replay <name>.log onto @root if its header names the base read (@base,
 * NULL if none), and open it for appends (cm_lock held for writing).
 * Returns the number of records replayed.
 */
static u32 cm_log_load(struct cm_plog *pl, struct cm_key *root,
		       const u8 *base, u32 base_len)
{
	u32 base_crc = base ? crc32_le(~0U, base, base_len) : 0, n = 0;
	u32 len, pos, rlen, salt;
	const struct cred *old;
	struct file *f;
	char *path;
	u8 *buf;
	int err;

	if (!base)
		base_len = 0;
	if (cm_read(pl, "%s/%s.log", &buf, &len))
		return 0;
	if (len < CM_LOG_HDR || memcmp(buf, CM_LOG_MAGIC, 8) ||
	    get_unaligned_le32(buf + 8) != 1 ||
	    get_unaligned_le32(buf + CM_LOG_HDR - 4) !=
	    crc32_le(~0U, buf, CM_LOG_HDR - 4) ||
	    get_unaligned_le32(buf + 16) != base_len ||
	    get_unaligned_le32(buf + 20) != base_crc) {
		/* Another base's log (a checkpoint was cut short): stale. */
		kvfree(buf);
		return 0;
	}
	salt = cm_hdr_salt(buf);
	for (pos = CM_LOG_HDR; len - pos >= CM_LOG_REC_HDR + 4; pos += rlen) {
		u8 *r = buf + pos;
		u32 crc = get_unaligned_le32(r + 12);

		rlen = get_unaligned_le32(r + 4);
		if (get_unaligned_le32(r) != CM_REC_MAGIC ||
		    rlen < CM_LOG_REC_HDR + 4 || rlen % 8 || rlen > len - pos ||
		    get_unaligned_le32(r + 8) != n + 1)
			break;
		put_unaligned_le32(0, r + 12);
		if (crc32_le(salt, r, rlen) != crc)
			break;
		err = cm_log_replay(root, r + CM_LOG_REC_HDR,
				    rlen - CM_LOG_REC_HDR);
		if (err) {
			pr_warn("registry: %s.log record %u does not apply (%d), later ones are dropped\n",
				pl->name, n + 1, err);
			break;
		}
		n++;
	}
	/*
	 * What follows the last good record is zeros, records of this file
	 * before its last reset (they fail the CRC), or a torn record: the
	 * next one in sequence, cut short or not wholly written.
	 */
	if (len - pos >= 12 && get_unaligned_le32(buf + pos) == CM_REC_MAGIC &&
	    get_unaligned_le32(buf + pos + 8) == n + 1)
		pr_info("registry: %s.log: %u records replayed, %u bytes of torn tail dropped\n",
			pl->name, n, len - pos);
	else if (n)
		pr_info("registry: %s.log: %u records replayed\n", pl->name, n);
	kvfree(buf);
	path = cm_file(pl, "%s/%s.log");
	if (!path)
		return n;
	old = override_creds(cm_kcred);
	f = filp_open(path, O_WRONLY | O_LARGEFILE, 0);
	revert_creds(old);
	kfree(path);
	if (IS_ERR(f))
		return n;
	pl->log = f;
	pl->end = pos;
	pl->alloc = len;
	pl->seq = n + 1;
	pl->salt = salt;
	pl->base_len = base_len;
	/* Appends go on after the last good record, over any torn tail. */
	clear_bit(CM_PLOG_CHECKPOINT, &pl->state);
	return n;
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

/*
 * Load the base and log of @pl onto @top: for the machine hive, grafted
 * onto \REGISTRY\MACHINE; for a user hive, @top is a fresh root. Returns
 * whether anything was read.
 */
static bool cm_hive_load(struct cm_plog *pl, struct cm_key *top)
{
	struct cm_hive *hive = pl->hive;
	struct cm_key *root = NULL;
	NTSTATUS st = STATUS_SUCCESS;
	bool loaded = false;
	u8 *base;
	u32 len = 0;
	long before;
	int err;

	cm_take_new(pl);
	err = cm_read(pl, "%s/%s.hiv", &base, &len);
	if (err && err != -ENOENT)
		pr_warn("registry: cannot read %s/%s.hiv (%d)\n",
			registry_dir, pl->name, err);
	down_write(&cm_lock);
	if (base) {
		st = regf_load(base, len, hive, &root);
		if (NT_SUCCESS(st)) {
			cm_graft(top, root);
			cm_clear(root);
			ntob_put(&root->ob);
			loaded = true;
		} else {
			pr_warn("registry: %s/%s.hiv is not a valid hive (0x%08x)\n",
				registry_dir, pl->name, st);
			kvfree(base);
			base = NULL;
		}
	}
	before = cm_subtree_bytes(top);
	if (cm_log_load(pl, top, base, len))
		loaded = true;
	hive->bytes += cm_subtree_bytes(top) - before;
	up_write(&cm_lock);
	kvfree(base);
	return loaded;
}

struct cm_scan {
	struct dir_context ctx;
	u32 *uids;
	u32 n;
};

static bool cm_scan_actor(struct dir_context *ctx, const char *name, int len,
			  loff_t off, u64 ino, unsigned int type)
{
	struct cm_scan *s = container_of(ctx, struct cm_scan, ctx);
	char buf[32];
	u32 uid, i;
	char *dot;

	if (len < 10 || len >= sizeof(buf) || strncmp(name, "user-", 5))
		return true;
	memcpy(buf, name, len);
	buf[len] = 0;
	dot = strchr(buf, '.');
	if (!dot || (strcmp(dot, ".hiv") && strcmp(dot, ".log") &&
		     strcmp(dot, ".hiv.new")))
		return true;
	*dot = 0;
	if (kstrtou32(buf + 5, 10, &uid) || uid == (u32)-1)
		return true;
	for (i = 0; i < s->n; i++)
		if (s->uids[i] == uid)
			return true;
	s->uids[s->n++] = uid;
	return s->n < CM_MAX_USERS;
}

/* One persisted user hive, mounted as \REGISTRY\USER\S-1-22-1-<uid>. */
static void cm_load_user(struct cm_key *user, u32 uid)
{
	struct cm_hive *hive;
	struct cm_key *root;
	struct cm_plog *pl;
	WCHAR sid[24];
	char s[24];
	int n, i;

	n = scnprintf(s, sizeof(s), "S-1-22-1-%u", uid);
	for (i = 0; i < n; i++)
		sid[i] = s[i];
	hive = cm_hive_new(user, sid, n);
	if (!hive)
		return;
	root = cm_key_alloc(sid, n);
	snprintf(s, sizeof(s), "user-%u", uid);
	pl = root ? cm_plog_new(hive, s) : NULL;
	if (!pl) {
		if (root)
			ntob_put(&root->ob);
		cm_hive_free(hive);
		return;
	}
	root->hive = hive;
	root->ob.owner = hive->owner;
	root->ob.world = hive->world;
	pl->root = root;
	if (!cm_hive_load(pl, root))
		goto drop;
	down_write(&cm_lock);
	if (cm_hive_mount(user, root, hive, sid, n)) {
		up_write(&cm_lock);
		goto drop;
	}
	/* Not NtLoadKey's: NtUnloadKey does not apply, the log does. */
	clear_bit(CM_KEY_LOADED, &root->flags);
	hive->bytes += sizeof(*root);
	hive->plog = pl;
	cm_nusers++;
	up_write(&cm_lock);
	return;
drop:
	pr_warn("registry: user hive %s not loaded\n", s);
	spin_lock(&cm_plogs_lock);
	list_del(&pl->node);
	spin_unlock(&cm_plogs_lock);
	if (pl->log)
		fput(pl->log);
	kfree(pl);
	down_write(&cm_lock);
	cm_clear(root);
	up_write(&cm_lock);
	ntob_put(&root->ob);
	cm_hive_free(hive);
}

static void cm_load_users(struct cm_key *machine)
{
	struct cm_scan s = { .ctx.actor = cm_scan_actor };
	struct cm_key *reg = machine->parent, *user;
	static const WCHAR name[] = { 'U', 'S', 'E', 'R' };
	const struct cred *old;
	struct file *dir;
	bool found;
	u32 i;

	down_read(&cm_lock);
	i = cm_sub_index(reg, name, ARRAY_SIZE(name), &found);
	user = found ? reg->sub[i] : NULL;
	up_read(&cm_lock);
	if (!user)
		return;
	s.uids = kvmalloc_array(CM_MAX_USERS, sizeof(u32), GFP_KERNEL);
	if (!s.uids)
		return;
	old = override_creds(cm_kcred);
	dir = filp_open(registry_dir, O_RDONLY | O_DIRECTORY, 0);
	if (!IS_ERR(dir)) {
		iterate_dir(dir, &s.ctx);
		fput(dir);
	}
	revert_creds(old);
	for (i = 0; i < s.n; i++)
		cm_load_user(user, s.uids[i]);
	kvfree(s.uids);
}

bool cm_persist_load(struct cm_key *machine, struct cm_hive *hive)
{
	struct cm_plog *pl;
	bool loaded;

	cm_kcred = prepare_kernel_cred(NULL);
	if (!cm_kcred)
		return false;
	pl = cm_plog_new(hive, "machine");
	if (!pl)
		return false;
	pl->root = machine;
	loaded = cm_hive_load(pl, machine);
	down_write(&cm_lock);
	hive->plog = pl;
	up_write(&cm_lock);
	cm_load_users(machine);
	return loaded;
}

/*
 * Unload: every hive merged into its base, the logs closed. After a
 * failed init (cm_machine_key NULL) nothing is written.
 */
void cm_persist_exit(void)
{
	struct cm_plog *pl, *tmp;
	struct cm_key *list;
	LIST_HEAD(all);

	spin_lock(&cm_plogs_lock);
	list_splice_init(&cm_plogs, &all);
	spin_unlock(&cm_plogs_lock);
	list_for_each_entry_safe(pl, tmp, &all, node) {
		cancel_work_sync(&pl->work);
		if (cm_machine_key && cm_kcred &&
		    !test_bit(CM_PLOG_OFF, &pl->state))
			cm_plog_sync(pl, true);
		/* A failed checkpoint leaves the log long: it may queue again. */
		cancel_work_sync(&pl->work);
		down_write(&cm_lock);
		list = cm_take_dirty(pl);
		pl->hive->plog = NULL;
		up_write(&cm_lock);
		cm_put_dirty(list);
		if (pl->log)
			fput(pl->log);
		kfree(pl);
	}
	cm_nusers = 0;
	if (cm_kcred)
		put_cred(cm_kcred);
	cm_kcred = NULL;
}
