// SPDX-License-Identifier: GPL-2.0
/*
 * Hives mounted by NtLoadKey, written back to their files, and
 * NtReplaceKey (docs/registry.md, "Mounted hives written back").
 *
 * NtLoadKey keeps what writing the file later needs: the directory it is
 * in and its name there, the loader's credentials, and the file's
 * identity as read (inode, device, size, mtime, ctime). NtFlushKey of a
 * key of the hive, NtUnloadKey and module unload write the whole hive as
 * REGF (hive.c's writer) to a temp file in that directory, fsync it,
 * rename it over the file (the LSM hooks rename(2) runs included) and
 * fsync the directory, all with the loader's credentials: the module
 * never writes where the loader could not. A file that is no longer the
 * one read or last written (replaced, or changed in place, since) is not
 * overwritten: the write is STATUS_REGISTRY_IO_FAILED and the hive stays
 * dirty.
 *
 * Locking: a mount's @lock serializes its file work and is taken before
 * cm_lock, never under it; @gen, @clean and @root are under cm_lock.
 * The image is built under cm_lock (shared) and written after it is
 * dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/random.h>
#include <linux/security.h>
#include <linux/slab.h>
#include "cm/cm.h"
#include "io/io.h"
#include "status.h"

/* What a file was when it was read or last written: has it changed? */
struct cm_ident {
	u64 ino;
	dev_t dev;
	loff_t size;
	struct timespec64 mtime, ctime;
};

struct cm_mount {
	refcount_t ref;
	struct mutex lock;		/* the file; taken before cm_lock */
	struct cm_key *root;		/* while mounted; under cm_lock */
	/*
	 * Changes made (@gen) and the last one on disk (@clean), under
	 * cm_lock: the hive is dirty until an image built after its last
	 * change is written.
	 */
	u64 gen, clean;
	bool replaced;			/* by NtReplaceKey; under @lock */
	bool conflict;			/* the file changed on disk; @lock */
	struct path dir;		/* the directory the file is in */
	char *name;			/* its name there */
	const struct cred *cred;	/* the loader's */
	struct cm_ident id;		/* under @lock */
	umode_t mode;
	kuid_t uid;
	kgid_t gid;
	u8 *late;			/* image built at unmount, to write */
	u32 late_len;
};

static void cm_ident_of(struct inode *inode, struct cm_ident *id)
{
	id->ino = inode->i_ino;
	id->dev = inode->i_sb->s_dev;
	id->size = i_size_read(inode);
	id->mtime = inode->i_mtime;
	id->ctime = inode->i_ctime;
}

static bool cm_ident_same(struct inode *inode, const struct cm_ident *id)
{
	struct cm_ident now;

	cm_ident_of(inode, &now);
	return now.ino == id->ino && now.dev == id->dev &&
	       now.size == id->size &&
	       timespec64_equal(&now.mtime, &id->mtime) &&
	       timespec64_equal(&now.ctime, &id->ctime);
}

/* The file NtLoadKey just opened with the caller's credentials. */
struct cm_mount *cm_mount_new(struct file *filp)
{
	struct cm_mount *m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	struct inode *inode = file_inode(filp);
	struct name_snapshot snap;

	if (!m)
		return NULL;
	take_dentry_name_snapshot(&snap, filp->f_path.dentry);
	m->name = kstrdup(snap.name.name, GFP_KERNEL_ACCOUNT);
	release_dentry_name_snapshot(&snap);
	if (!m->name) {
		kfree(m);
		return NULL;
	}
	refcount_set(&m->ref, 1);
	mutex_init(&m->lock);
	m->dir.mnt = mntget(filp->f_path.mnt);
	m->dir.dentry = dget_parent(filp->f_path.dentry);
	m->cred = get_current_cred();
	cm_ident_of(inode, &m->id);
	m->mode = inode->i_mode & 0777;
	m->uid = inode->i_uid;
	m->gid = inode->i_gid;
	return m;
}

void cm_mount_put(struct cm_mount *m)
{
	if (!m || !refcount_dec_and_test(&m->ref))
		return;
	path_put(&m->dir);
	put_cred(m->cred);
	kvfree(m->late);
	kfree(m->name);
	kfree(m);
}

/* The hive is mounted: @root is its root (cm_lock held for writing). */
void cm_mount_attach(struct cm_mount *m, struct cm_key *root)
{
	lockdep_assert_held_write(&cm_lock);
	m->root = root;
	root->hive->mount = m;
}

/* A change in @key's hive: the next flush or unload writes it. */
void cm_mount_dirty(struct cm_key *key)
{
	struct cm_mount *m = key->hive ? key->hive->mount : NULL;

	lockdep_assert_held_write(&cm_lock);
	if (m && !test_bit(CM_KEY_VOLATILE, &key->flags))
		m->gen++;
}

/* @key's hive's mount, referenced, or NULL (cm_lock held). */
static struct cm_mount *cm_mount_get_locked(struct cm_key *key)
{
	struct cm_mount *m;

	lockdep_assert_held(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags) || !key->hive)
		return NULL;
	m = key->hive->mount;
	if (m)
		refcount_inc(&m->ref);
	return m;
}

/* ------------------------------------------------------------------ */
/* The VFS steps, as the syscalls would run them, with current's creds. */

/* fsync a directory: the entries a rename or create changed. */
int cm_fsync_dirpath(const struct path *dir)
{
	struct file *f = dentry_open(dir, O_RDONLY | O_DIRECTORY, current_cred());
	int err;

	if (IS_ERR(f))
		return PTR_ERR(f);
	err = vfs_fsync(f, 0);
	fput(f);
	return err;
}

/*
 * rename(2) of @odir/@oname to @ndir/@nname, as do_renameat2() does it
 * (mnt_want_write, lock_rename, security_path_rename, vfs_rename), with
 * @flags (RENAME_NOREPLACE). When @src_id or @dst_id is given, the
 * source, or the entry replaced, must still be that file (checked under
 * the rename lock, so no other rename can slip in between): if not, 1 is
 * returned and nothing is renamed. On success the moved file's identity
 * after the rename is put in @moved, if given.
 */
int cm_rename_at(const struct path *odir, const char *oname,
		 const struct path *ndir, const char *nname, unsigned int flags,
		 const struct cm_ident *src_id, const struct cm_ident *dst_id,
		 struct cm_ident *moved)
{
	struct renamedata rd = {};
	struct dentry *old, *new, *trap;
	int err;

	if (odir->mnt != ndir->mnt)
		return -EXDEV;
	err = mnt_want_write(odir->mnt);
	if (err)
		return err;
	trap = lock_rename(ndir->dentry, odir->dentry);
	old = lookup_one_len(oname, odir->dentry, strlen(oname));
	err = PTR_ERR(old);
	if (IS_ERR(old))
		goto unlock;
	new = lookup_one_len(nname, ndir->dentry, strlen(nname));
	err = PTR_ERR(new);
	if (IS_ERR(new))
		goto put_old;
	err = -ENOENT;
	if (d_really_is_negative(old))
		goto put_new;
	err = -EINVAL;
	if (old == trap || new == trap)
		goto put_new;
	err = -EEXIST;
	if ((flags & RENAME_NOREPLACE) && d_really_is_positive(new))
		goto put_new;
	err = 1;
	if (src_id && !cm_ident_same(d_inode(old), src_id))
		goto put_new;
	if (dst_id && (d_really_is_negative(new) ||
		       !cm_ident_same(d_inode(new), dst_id)))
		goto put_new;
	err = security_path_rename(odir, old, ndir, new, flags);
	if (err)
		goto put_new;
	rd.old_mnt_userns = mnt_user_ns(odir->mnt);
	rd.old_dir = d_inode(odir->dentry);
	rd.old_dentry = old;
	rd.new_mnt_userns = mnt_user_ns(ndir->mnt);
	rd.new_dir = d_inode(ndir->dentry);
	rd.new_dentry = new;
	rd.flags = flags;
	err = vfs_rename(&rd);
	if (!err && moved)
		cm_ident_of(d_inode(old), moved);
put_new:
	dput(new);
put_old:
	dput(old);
unlock:
	unlock_rename(ndir->dentry, odir->dentry);
	mnt_drop_write(odir->mnt);
	return err;
}

/* unlink(2) of @dir/@name, with its LSM hook. */
int cm_unlink_at(const struct path *dir, const char *name)
{
	struct inode *dinode = d_inode(dir->dentry);
	struct dentry *d;
	int err;

	err = mnt_want_write(dir->mnt);
	if (err)
		return err;
	inode_lock_nested(dinode, I_MUTEX_PARENT);
	d = lookup_one_len(name, dir->dentry, strlen(name));
	err = PTR_ERR(d);
	if (!IS_ERR(d)) {
		err = -ENOENT;
		if (d_really_is_positive(d))
			err = security_path_unlink(dir, d);
		if (!err)
			err = vfs_unlink(mnt_user_ns(dir->mnt), dinode, d, NULL);
		dput(d);
	}
	inode_unlock(dinode);
	mnt_drop_write(dir->mnt);
	return err;
}

/* @path split at its last '/': the directory, referenced, and the name. */
static int cm_split_path(const char *path, struct path *dir,
			 const char **name)
{
	const char *slash = strrchr(path, '/');
	char *d;
	int err;

	if (!slash || !slash[1])
		return -EINVAL;
	*name = slash + 1;
	if (!strcmp(*name, ".") || !strcmp(*name, ".."))
		return -EINVAL;
	d = kstrndup(path, max_t(size_t, slash - path, 1), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	err = kern_path(d, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, dir);
	kfree(d);
	return err;
}

/* unlink(2) of a path, as current. */
int cm_unlink_path(const char *path)
{
	const char *name;
	struct path dir;
	int err;

	err = cm_split_path(path, &dir, &name);
	if (err)
		return err;
	err = cm_unlink_at(&dir, name);
	path_put(&dir);
	return err;
}

/* ------------------------------------------------------------------ */
/* Writing a mounted hive back (m->lock held, the loader's creds). */

/* Give the new file the old one's mode and, where allowed, its owner. */
static void cm_keep_attrs(struct cm_mount *m, struct file *f)
{
	struct dentry *d = f->f_path.dentry;
	struct inode *inode = d_inode(d);
	struct iattr ia = { .ia_valid = ATTR_MODE };
	int err;

	ia.ia_mode = (inode->i_mode & ~S_IALLUGO) | m->mode;
	if (!uid_eq(inode->i_uid, m->uid) || !gid_eq(inode->i_gid, m->gid)) {
		ia.ia_valid |= ATTR_UID | ATTR_GID;
		ia.ia_uid = m->uid;
		ia.ia_gid = m->gid;
	}
	inode_lock(inode);
	err = notify_change(mnt_user_ns(f->f_path.mnt), d, &ia, NULL);
	if (err == -EPERM && (ia.ia_valid & ATTR_UID)) {
		/* Without CAP_CHOWN the file is the loader's, as rename(2)'s. */
		ia.ia_valid = ATTR_MODE;
		err = notify_change(mnt_user_ns(f->f_path.mnt), d, &ia, NULL);
	}
	inode_unlock(inode);
}

static int cm_mount_write(struct cm_mount *m, const u8 *buf, u32 len)
{
	const struct cred *old = override_creds(m->cred);
	struct cm_ident moved;
	char tmp[48];
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	int err;

	snprintf(tmp, sizeof(tmp), ".ntreg-%08x.tmp", get_random_u32());
	f = file_open_root(&m->dir, tmp,
			   O_WRONLY | O_CREAT | O_EXCL | O_LARGEFILE | O_NOFOLLOW,
			   0600);
	err = PTR_ERR(f);
	if (IS_ERR(f))
		goto out;
	n = kernel_write(f, buf, len, &pos);
	err = n < 0 ? n : (n != len ? -ENOSPC : 0);
	if (!err) {
		cm_keep_attrs(m, f);
		err = vfs_fsync(f, 0);
	}
	fput(f);
	if (!err)
		err = cm_rename_at(&m->dir, tmp, &m->dir, m->name, 0, NULL,
				   &m->id, &moved);
	if (err) {
		cm_unlink_at(&m->dir, tmp);
		goto out;
	}
	m->id = moved;
	err = cm_fsync_dirpath(&m->dir);
out:
	revert_creds(old);
	return err;
}

static NTSTATUS cm_mount_status(struct cm_mount *m, int err)
{
	if (!err)
		return STATUS_SUCCESS;
	if (err == 1) {
		pr_warn_ratelimited("registry: hive file %s changed on disk since it was loaded, not overwritten\n",
				    m->name);
		return STATUS_REGISTRY_IO_FAILED;
	}
	pr_warn_ratelimited("registry: writing hive file %s: %d\n", m->name, err);
	return nt_status_from_errno(err);
}

/* Write @m's hive if it changed: NtFlushKey, NtUnloadKey. */
static NTSTATUS cm_mount_sync(struct cm_mount *m)
{
	NTSTATUS st = STATUS_SUCCESS;
	u8 *buf = NULL;
	u32 len;
	u64 gen;
	int err;

	mutex_lock(&m->lock);
	/*
	 * Built under the lock with the generation it holds. Until it is
	 * written the hive stays dirty, so an unmount meanwhile builds its
	 * own image, written after this one (it waits for m->lock).
	 */
	down_read(&cm_lock);
	gen = m->gen;
	if (gen != m->clean && m->root)
		st = regf_build_locked(m->root, &buf, &len);
	up_read(&cm_lock);
	if (!buf)
		goto out;
	err = cm_mount_write(m, buf, len);
	kvfree(buf);
	if (err == 1)
		WRITE_ONCE(m->conflict, true);
	st = cm_mount_status(m, err);
	if (NT_SUCCESS(st)) {
		down_write(&cm_lock);
		if (gen > m->clean)
			m->clean = gen;
		up_write(&cm_lock);
	}
out:
	mutex_unlock(&m->lock);
	return st;
}

/*
 * NtFlushKey of a key: a mounted hive's file is written (true), or the
 * key is not of one (false, @st untouched).
 */
bool cm_mount_flush(struct cm_key *key, NTSTATUS *st)
{
	struct cm_mount *m;

	down_read(&cm_lock);
	m = cm_mount_get_locked(key);
	up_read(&cm_lock);
	if (!m)
		return false;
	*st = cm_mount_sync(m);
	cm_mount_put(m);
	return true;
}

/* NtUnloadKey, before it unmounts: the hive named, written if changed. */
NTSTATUS cm_mount_flush_root(struct cm_key *parent, const WCHAR *name, u16 len)
{
	struct cm_mount *m = NULL;
	struct cm_key *key;
	NTSTATUS st = STATUS_SUCCESS;
	bool found;
	u32 i;

	down_read(&cm_lock);
	i = cm_sub_index(parent, name, len, &found);
	if (found) {
		key = parent->sub[i];
		if (test_bit(CM_KEY_LOADED, &key->flags))
			m = cm_mount_get_locked(key);
	}
	up_read(&cm_lock);
	if (!m)
		return st;
	st = cm_mount_sync(m);
	/*
	 * A file changed on disk is someone else's now: the hive cannot be
	 * written without destroying it, and must still be unloadable. Its
	 * unwritten changes are dropped (NtFlushKey said so, the log says it
	 * again). Any other failure keeps the hive mounted.
	 */
	mutex_lock(&m->lock);
	if (st == STATUS_REGISTRY_IO_FAILED && m->conflict) {
		pr_warn("registry: hive file %s changed on disk, unloaded without its changes\n",
			m->name);
		st = STATUS_SUCCESS;
	}
	mutex_unlock(&m->lock);
	cm_mount_put(m);
	return st;
}

/*
 * The hive is being unmounted (cm_lock held for writing): what changed
 * since the last write is built now, while the tree exists, and written
 * by cm_mount_finish() once the lock is dropped. Returns the mount, its
 * reference now the caller's.
 */
struct cm_mount *cm_mount_detach(struct cm_hive *hive)
{
	struct cm_mount *m = hive->mount;

	lockdep_assert_held_write(&cm_lock);
	if (!m)
		return NULL;
	/* m->conflict is read without m->lock: at worst a write refused. */
	if (m->gen != m->clean && m->root && !READ_ONCE(m->conflict) &&
	    !NT_SUCCESS(regf_build_locked(m->root, &m->late, &m->late_len)))
		pr_warn("registry: hive file %s: no memory to write it at unload, changes lost\n",
			m->name);
	m->root = NULL;
	hive->mount = NULL;
	return m;
}

/*
 * After an unmount, with cm_lock dropped: write what cm_mount_detach
 * built, with the loader's credentials. Nobody is left to report a
 * failure to (a late unload runs at some handle's close): it is logged.
 */
void cm_mount_finish(struct cm_mount *m)
{
	NTSTATUS st;

	if (!m)
		return;
	if (m->late) {
		mutex_lock(&m->lock);
		st = cm_mount_status(m, cm_mount_write(m, m->late, m->late_len));
		mutex_unlock(&m->lock);
		if (!NT_SUCCESS(st))
			pr_warn("registry: hive file %s not written at unload (0x%08x), changes lost\n",
				m->name, st);
		kvfree(m->late);
		m->late = NULL;
	}
	cm_mount_put(m);
}

/* ------------------------------------------------------------------ */
/* NtReplaceKey */

/* The hive file @t, read whole with the caller's creds; @id as it was read. */
static NTSTATUS cm_read_named(const struct ntio_target *t, u8 **buf, u32 *len,
			      struct cm_ident *id)
{
	struct file *filp;
	NTSTATUS st;

	filp = filp_open(t->path, O_RDONLY | O_LARGEFILE | O_NOFOLLOW, 0);
	if (IS_ERR(filp))
		return nt_status_from_errno(PTR_ERR(filp));
	cm_ident_of(file_inode(filp), id);
	st = regf_read_whole(filp, 0x1000, buf, len);
	fput(filp);
	return st;
}

/* Is @buf a hive NtLoadKey would mount? Loaded into a scratch hive. */
static NTSTATUS cm_check_hive(const u8 *buf, u32 len)
{
	struct cm_hive scratch = {};
	struct cm_key *root = NULL;
	NTSTATUS st;

	INIT_LIST_HEAD(&scratch.node);
	scratch.owner = GLOBAL_ROOT_UID;
	down_write(&cm_lock);
	st = regf_load(buf, len, &scratch, &root);
	if (root) {
		cm_clear(root);
		ntob_put(&root->ob);
	}
	up_write(&cm_lock);
	return st;
}

/*
 * A mounted hive: its file becomes OldFile, NewFile takes the file's
 * name (XP's CmReplaceKey renames the same way). The hive goes on with
 * the file it has, now named OldFile: later flushes and the unload write
 * there, as XP goes on with its open handle. The next NtLoadKey of the
 * hive's old name reads NewFile's content. All with the caller's
 * credentials.
 */
static NTSTATUS cm_mount_replace(struct cm_mount *m, const char *newpath,
				 const struct cm_ident *new_id,
				 const char *oldpath)
{
	struct path ndir, odir;
	const char *nname, *oname;
	struct cm_ident moved;
	char *oname_copy;
	NTSTATUS st;
	int err, err2;

	err = cm_split_path(oldpath, &odir, &oname);
	if (err)
		return nt_status_from_errno(err);
	err = cm_split_path(newpath, &ndir, &nname);
	if (err) {
		path_put(&odir);
		return nt_status_from_errno(err);
	}
	st = STATUS_INSUFFICIENT_RESOURCES;
	oname_copy = kstrdup(oname, GFP_KERNEL_ACCOUNT);
	if (!oname_copy)
		goto out;
	mutex_lock(&m->lock);
	st = STATUS_FILE_RENAMED;
	if (m->replaced)
		goto unlock;
	/* The hive's file, still the one it read or wrote, to OldFile. */
	err = cm_rename_at(&m->dir, m->name, &odir, oname, RENAME_NOREPLACE,
			   &m->id, NULL, &moved);
	if (err) {
		st = err == 1 ? STATUS_REGISTRY_IO_FAILED :
				nt_status_from_errno(err);
		goto unlock;
	}
	/* NewFile, still the file checked, to the hive file's name. */
	err = cm_rename_at(&ndir, nname, &m->dir, m->name, RENAME_NOREPLACE,
			   new_id, NULL, NULL);
	if (err) {
		st = err == 1 ? STATUS_REGISTRY_IO_FAILED :
				nt_status_from_errno(err);
		/* Put the hive's file back; XP's answer if it cannot be. */
		err2 = cm_rename_at(&odir, oname, &m->dir, m->name,
				    RENAME_NOREPLACE, NULL, NULL, &moved);
		if (err2)
			st = STATUS_REGISTRY_CORRUPT;
		else
			m->id = moved;
		goto unlock;
	}
	m->id = moved;
	m->replaced = true;
	cm_fsync_dirpath(&m->dir);
	if (odir.dentry != m->dir.dentry)
		cm_fsync_dirpath(&odir);
	if (ndir.dentry != m->dir.dentry && ndir.dentry != odir.dentry)
		cm_fsync_dirpath(&ndir);
	/* From now on the hive's file is OldFile. */
	path_put(&m->dir);
	m->dir = odir;
	path_get(&m->dir);
	swap(m->name, oname_copy);
	st = STATUS_SUCCESS;
unlock:
	mutex_unlock(&m->lock);
	kfree(oname_copy);
out:
	path_put(&ndir);
	path_put(&odir);
	return st;
}

/*
 * NtReplaceKey: NewFile becomes the file of TargetHandle's hive at its
 * next load, and the hive's current file is kept as OldFile. As XP's
 * (NT's ntapi.c/cmapi.c CmReplaceKey; ReactOS leaves it unimplemented):
 * SeRestorePrivilege first (CAP_SYS_ADMIN here, as NtLoadKey), any key
 * of the hive names the hive, NewFile must be a valid hive, and a hive
 * already replaced is STATUS_FILE_RENAMED. Mounted hives are renamed now
 * (cm_mount_replace); the machine and users' hives in registry_dir have
 * the new file staged and taken at the next module load
 * (cm_persist_replace). \REGISTRY and \REGISTRY\USER, and a hive with no
 * file (a user's hive kept in memory only), are STATUS_ACCESS_DENIED.
 */
NTSTATUS NtReplaceKey(const OBJECT_ATTRIBUTES __user *NewFile,
		      HANDLE TargetHandle,
		      const OBJECT_ATTRIBUTES __user *OldFile)
{
	struct ntio_target nt = {}, ot = {};
	struct cm_ident new_id;
	struct cm_mount *m = NULL;
	struct cm_key *key;
	u8 *buf = NULL;
	NTSTATUS st;
	u32 len;

	if (!capable(CAP_SYS_ADMIN))
		return STATUS_PRIVILEGE_NOT_HELD;
	st = ntio_resolve_oa(NewFile, &nt);
	if (!NT_SUCCESS(st))
		return st;
	st = ntio_resolve_oa(OldFile, &ot);
	if (!NT_SUCCESS(st))
		goto out_new;
	st = STATUS_INVALID_PARAMETER;
	if (nt.kind != NTIO_DISK || ot.kind != NTIO_DISK)
		goto out_old;
	st = cm_ref_key(TargetHandle, 0, &key);
	if (!NT_SUCCESS(st))
		goto out_old;
	down_read(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags))
		st = STATUS_KEY_DELETED;
	else if (cm_is_master_key(key))
		st = STATUS_ACCESS_DENIED;
	else
		m = cm_mount_get_locked(key);
	up_read(&cm_lock);
	if (!NT_SUCCESS(st))
		goto out_key;
	st = cm_read_named(&nt, &buf, &len, &new_id);
	if (NT_SUCCESS(st))
		st = cm_check_hive(buf, len);
	if (!NT_SUCCESS(st))
		goto out_buf;
	if (m)
		st = cm_mount_replace(m, nt.path, &new_id, ot.path);
	else
		st = cm_persist_replace(key, buf, len, ot.path);
out_buf:
	kvfree(buf);
	cm_mount_put(m);
out_key:
	ntob_put(&key->ob);
out_old:
	ntio_target_free(&ot);
out_new:
	ntio_target_free(&nt);
	return st;
}
