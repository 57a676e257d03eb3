// SPDX-License-Identifier: GPL-2.0
/*
 * File and volume information: NtQueryInformationFile,
 * NtSetInformationFile, NtQueryAttributesFile, NtQueryFullAttributesFile,
 * NtQueryVolumeInformationFile.
 *
 * Attributes from Linux modes (documented choices): DIRECTORY for
 * directories; READONLY when nobody has a write bit; HIDDEN for names
 * starting with '.' (as Wine does); ARCHIVE for every other regular file;
 * NORMAL when none of these applies. Setting attributes changes only
 * READONLY (clears or sets the write bits).
 *
 * Times: CreationTime is the birth time when the file system records one,
 * else the modification time; LastAccessTime = atime, LastWriteTime =
 * mtime, ChangeTime = ctime. Setting a time of 0 keeps it, -1 too.
 *
 * Query lengths follow Windows: at least the fixed size of the class
 * (STATUS_INFO_LENGTH_MISMATCH), and for the classes that end with a name
 * a short buffer gets as much of the name as fits and
 * STATUS_BUFFER_OVERFLOW.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/nls.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include "io/io.h"

s64 ntio_time(const struct timespec64 *ts)
{
	return ntex_time_from_timespec(ts);
}

int ntio_getattr(const struct path *path, struct kstat *st)
{
	return vfs_getattr(path, st, STATX_BASIC_STATS | STATX_BTIME,
			   AT_STATX_SYNC_AS_STAT);
}

/* HIDDEN: a name starting with '.', except "." and ".." (as Wine does) */
bool ntio_name_hidden(const char *name, u32 len)
{
	return len && name[0] == '.' && !(len == 1 || (len == 2 && name[1] == '.'));
}

/*
 * The same for a dentry's name, which a rename (of ours or of Linux) may
 * change under us: d_move() swaps d_name under d_lock and frees an old
 * long name after an RCU grace period, so it is read under d_lock.
 */
static bool ntio_dentry_hidden(struct dentry *dentry)
{
	bool hidden;

	if (!dentry)
		return false;
	spin_lock(&dentry->d_lock);
	hidden = ntio_name_hidden((const char *)dentry->d_name.name,
				  dentry->d_name.len);
	spin_unlock(&dentry->d_lock);
	return hidden;
}

u32 ntio_attributes(const struct kstat *st, bool hidden)
{
	u32 a = 0;

	if (S_ISDIR(st->mode))
		a |= FILE_ATTRIBUTE_DIRECTORY;
	else if (S_ISREG(st->mode))
		a |= FILE_ATTRIBUTE_ARCHIVE;
	if (!(st->mode & 0222))
		a |= FILE_ATTRIBUTE_READONLY;
	if (hidden)
		a |= FILE_ATTRIBUTE_HIDDEN;
	return a ? a : FILE_ATTRIBUTE_NORMAL;
}

static s64 ntio_ctime(const struct kstat *st)
{
	if (st->result_mask & STATX_BTIME)
		return ntio_time(&st->btime);
	return ntio_time(&st->mtime);
}

void ntio_fill_basic(const struct kstat *st, bool hidden,
		     FILE_BASIC_INFORMATION *fbi)
{
	memset(fbi, 0, sizeof(*fbi));
	fbi->CreationTime.QuadPart = ntio_ctime(st);
	fbi->LastAccessTime.QuadPart = ntio_time(&st->atime);
	fbi->LastWriteTime.QuadPart = ntio_time(&st->mtime);
	fbi->ChangeTime.QuadPart = ntio_time(&st->ctime);
	fbi->FileAttributes = ntio_attributes(st, hidden);
}

static u64 ntio_alloc_size(const struct kstat *st)
{
	return S_ISDIR(st->mode) ? 0 : st->blocks << 9;
}

static u64 ntio_eof(const struct kstat *st)
{
	return S_ISDIR(st->mode) ? 0 : st->size;
}

void ntio_fill_network(const struct kstat *st, bool hidden,
		       FILE_NETWORK_OPEN_INFORMATION *fni)
{
	memset(fni, 0, sizeof(*fni));
	fni->CreationTime.QuadPart = ntio_ctime(st);
	fni->LastAccessTime.QuadPart = ntio_time(&st->atime);
	fni->LastWriteTime.QuadPart = ntio_time(&st->mtime);
	fni->ChangeTime.QuadPart = ntio_time(&st->ctime);
	fni->AllocationSize.QuadPart = ntio_alloc_size(st);
	fni->EndOfFile.QuadPart = ntio_eof(st);
	fni->FileAttributes = ntio_attributes(st, hidden);
}

/* Null and console objects: a character device with no times. */
static void ntio_device_stat(struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->mode = S_IFCHR | 0666;
	st->nlink = 1;
}

static int ntio_file_stat(struct ntio_file *f, struct kstat *st)
{
	if (f->kind == NTIO_DISK)
		return ntio_getattr(&f->filp->f_path, st);
	ntio_device_stat(st);
	return 0;
}

static bool ntio_hidden(struct ntio_file *f)
{
	return f->kind == NTIO_DISK && ntio_dentry_hidden(f->filp->f_path.dentry);
}

/* -------------------------------------------------------------------- */
/* NtQueryAttributesFile, NtQueryFullAttributesFile */

static NTSTATUS ntio_stat_oa(const OBJECT_ATTRIBUTES __user *uoa,
			     struct kstat *st, struct path *p)
{
	struct ntio_target t;
	NTSTATUS status;
	int err;

	status = ntio_resolve_oa(uoa, &t);
	if (!NT_SUCCESS(status))
		return status;
	p->dentry = NULL;
	if (t.kind != NTIO_DISK) {
		ntio_device_stat(st);
	} else if (!t.exists) {
		status = STATUS_OBJECT_NAME_NOT_FOUND;
	} else {
		err = kern_path(t.path, LOOKUP_FOLLOW, p);
		if (!err) {
			err = ntio_getattr(p, st);
			if (err)
				path_put(p);
		}
		if (err)
			status = nt_status_from_errno(err);
	}
	ntio_target_free(&t);
	return status;
}

NTSTATUS NtQueryAttributesFile(const OBJECT_ATTRIBUTES __user *ObjectAttributes,
			       FILE_BASIC_INFORMATION __user *FileInformation)
{
	FILE_BASIC_INFORMATION fbi;
	struct kstat st;
	struct path p;
	NTSTATUS status;

	status = nt_probe_out(FileInformation, sizeof(fbi));
	if (!NT_SUCCESS(status) || !FileInformation)
		return STATUS_ACCESS_VIOLATION;
	status = ntio_stat_oa(ObjectAttributes, &st, &p);
	if (!NT_SUCCESS(status))
		return status;
	ntio_fill_basic(&st, ntio_dentry_hidden(p.dentry), &fbi);
	if (p.dentry)
		path_put(&p);
	return nt_copy_out(FileInformation, &fbi, sizeof(fbi));
}

NTSTATUS NtQueryFullAttributesFile(const OBJECT_ATTRIBUTES __user *ObjectAttributes,
				   FILE_NETWORK_OPEN_INFORMATION __user *FileInformation)
{
	FILE_NETWORK_OPEN_INFORMATION fni;
	struct kstat st;
	struct path p;
	NTSTATUS status;

	status = nt_probe_out(FileInformation, sizeof(fni));
	if (!NT_SUCCESS(status) || !FileInformation)
		return STATUS_ACCESS_VIOLATION;
	status = ntio_stat_oa(ObjectAttributes, &st, &p);
	if (!NT_SUCCESS(status))
		return status;
	ntio_fill_network(&st, ntio_dentry_hidden(p.dentry), &fni);
	if (p.dentry)
		path_put(&p);
	return nt_copy_out(FileInformation, &fni, sizeof(fni));
}

/* -------------------------------------------------------------------- */
/* NtQueryInformationFile */

#define NTIO_Q		NTEX_IC_QUERY
#define NTIO_S		NTEX_IC_SET
#define NTIO_MIN	NTEX_IC_MIN_SIZE

/* One row per class; the sizes are the minimum lengths. */
static const struct ntex_info_class ntio_file_classes[FileMaximumInformation] = {
	[FileBasicInformation] = NTEX_IC(FILE_BASIC_INFORMATION, 4,
					 NTIO_Q | NTIO_S | NTIO_MIN),
	[FileStandardInformation] = NTEX_IC(FILE_STANDARD_INFORMATION, 4,
					    NTIO_Q | NTIO_MIN),
	[FileInternalInformation] = NTEX_IC(FILE_INTERNAL_INFORMATION, 4,
					    NTIO_Q | NTIO_MIN),
	[FileEaInformation] = NTEX_IC(FILE_EA_INFORMATION, 4, NTIO_Q | NTIO_MIN),
	[FileAccessInformation] = NTEX_IC(FILE_ACCESS_INFORMATION, 4,
					  NTIO_Q | NTIO_MIN),
	[FileNameInformation] = { offsetof(FILE_NAME_INFORMATION, FileName), 4,
				  NTIO_Q | NTIO_MIN },
	[FileRenameInformation] = { offsetof(FILE_RENAME_INFORMATION, FileName),
				    4, NTIO_S | NTIO_MIN },
	[FileDispositionInformation] = NTEX_IC(FILE_DISPOSITION_INFORMATION, 1,
					       NTIO_S | NTIO_MIN),
	[FilePositionInformation] = NTEX_IC(FILE_POSITION_INFORMATION, 4,
					    NTIO_Q | NTIO_S | NTIO_MIN),
	[FileModeInformation] = NTEX_IC(FILE_MODE_INFORMATION, 4,
					NTIO_Q | NTIO_MIN),
	[FileAlignmentInformation] = NTEX_IC(FILE_ALIGNMENT_INFORMATION, 4,
					     NTIO_Q | NTIO_MIN),
	[FileAllInformation] = { offsetof(FILE_ALL_INFORMATION, NameInformation) +
				 offsetof(FILE_NAME_INFORMATION, FileName), 4,
				 NTIO_Q | NTIO_MIN },
	[FileAllocationInformation] = NTEX_IC(FILE_ALLOCATION_INFORMATION, 4,
					      NTIO_S | NTIO_MIN),
	[FileEndOfFileInformation] = NTEX_IC(FILE_END_OF_FILE_INFORMATION, 4,
					     NTIO_S | NTIO_MIN),
	[FileNetworkOpenInformation] = NTEX_IC(FILE_NETWORK_OPEN_INFORMATION, 4,
					       NTIO_Q | NTIO_MIN),
	[FileAttributeTagInformation] = NTEX_IC(FILE_ATTRIBUTE_TAG_INFORMATION, 4,
						NTIO_Q | NTIO_MIN),
};

/* The handle's name, in as much of @room bytes as fits. */
static u32 ntio_put_name(struct ntio_file *f, FILE_NAME_INFORMATION *fni,
			 u32 room, NTSTATUS *status)
{
	static const WCHAR null_name[] = { '\\', 'N', 'u', 'l', 'l' };
	const WCHAR *name = f->name;
	u32 bytes = f->name_len * sizeof(WCHAR), copy;

	if (!name) {
		name = null_name;
		bytes = sizeof(null_name);
	}
	fni->FileNameLength = bytes;
	copy = min(bytes, room);
	memcpy(fni->FileName, name, copy);
	if (copy < bytes)
		*status = STATUS_BUFFER_OVERFLOW;
	return copy;
}

NTSTATUS NtQueryInformationFile(HANDLE FileHandle,
				IO_STATUS_BLOCK __user *IoStatusBlock,
				void __user *FileInformation, ULONG Length,
				FILE_INFORMATION_CLASS FileInformationClass)
{
	u32 cls = FileInformationClass, needed, out;
	NTSTATUS status;
	struct ntio_file *f;
	struct kstat st;
	void *buf = NULL;
	int err;

	status = ntex_check_info(ntio_file_classes, ARRAY_SIZE(ntio_file_classes),
				 cls, false, FileInformation, Length, &needed);
	if (!NT_SUCCESS(status))
		return status;
	if (!IoStatusBlock || !NT_SUCCESS(nt_probe_out(IoStatusBlock, 8)))
		return STATUS_ACCESS_VIOLATION;
	status = ntio_ref_file(FileHandle, 0, &f);
	if (!NT_SUCCESS(status))
		return status;
	if ((cls == FileBasicInformation || cls == FileAllInformation ||
	     cls == FileNetworkOpenInformation ||
	     cls == FileAttributeTagInformation) &&
	    !(f->access & FILE_READ_ATTRIBUTES)) {
		status = STATUS_ACCESS_DENIED;
		goto out;
	}
	out = needed;
	buf = kzalloc(min_t(u32, Length, needed + 0x10000), GFP_KERNEL);
	if (!buf) {
		status = STATUS_NO_MEMORY;
		goto out;
	}
	err = ntio_file_stat(f, &st);
	if (err)
		goto out_err;
	status = STATUS_SUCCESS;
	switch (cls) {
	case FileBasicInformation:
		ntio_fill_basic(&st, ntio_hidden(f), buf);
		break;
	case FileStandardInformation: {
		FILE_STANDARD_INFORMATION *fsi = buf;

		fsi->AllocationSize.QuadPart = ntio_alloc_size(&st);
		fsi->EndOfFile.QuadPart = ntio_eof(&st);
		fsi->NumberOfLinks = st.nlink;
		fsi->DeletePending = ntio_share_get_delete(f);
		fsi->Directory = S_ISDIR(st.mode);
		break;
	}
	case FileInternalInformation:
		((FILE_INTERNAL_INFORMATION *)buf)->IndexNumber.QuadPart = st.ino;
		break;
	case FileEaInformation:
		break;
	case FileAccessInformation:
		((FILE_ACCESS_INFORMATION *)buf)->AccessFlags = f->access;
		break;
	case FileNameInformation:
		err = mutex_lock_killable(&f->lock);	/* see io.h */
		if (err)
			goto out_err;
		out += ntio_put_name(f, buf, min_t(u32, Length, needed + 0xfffe) -
				     needed, &status);
		mutex_unlock(&f->lock);
		break;
	case FilePositionInformation:
		err = mutex_lock_killable(&f->lock);
		if (err)
			goto out_err;
		((FILE_POSITION_INFORMATION *)buf)->CurrentByteOffset.QuadPart = f->pos;
		mutex_unlock(&f->lock);
		break;
	case FileModeInformation:
		((FILE_MODE_INFORMATION *)buf)->Mode = f->options &
			(FILE_WRITE_THROUGH | FILE_SEQUENTIAL_ONLY |
			 FILE_NO_INTERMEDIATE_BUFFERING |
			 FILE_SYNCHRONOUS_IO_ALERT |
			 FILE_SYNCHRONOUS_IO_NONALERT | FILE_DELETE_ON_CLOSE);
		break;
	case FileAlignmentInformation:
		break;
	case FileAllInformation: {
		FILE_ALL_INFORMATION *fai = buf;

		ntio_fill_basic(&st, ntio_hidden(f), &fai->BasicInformation);
		fai->StandardInformation.AllocationSize.QuadPart = ntio_alloc_size(&st);
		fai->StandardInformation.EndOfFile.QuadPart = ntio_eof(&st);
		fai->StandardInformation.NumberOfLinks = st.nlink;
		fai->StandardInformation.DeletePending = ntio_share_get_delete(f);
		fai->StandardInformation.Directory = S_ISDIR(st.mode);
		fai->InternalInformation.IndexNumber.QuadPart = st.ino;
		fai->AccessInformation.AccessFlags = f->access;
		err = mutex_lock_killable(&f->lock);
		if (err)
			goto out_err;
		fai->PositionInformation.CurrentByteOffset.QuadPart = f->pos;
		out += ntio_put_name(f, &fai->NameInformation,
				     min_t(u32, Length, needed + 0xfffe) - needed,
				     &status);
		mutex_unlock(&f->lock);
		fai->ModeInformation.Mode = f->options &
			(FILE_WRITE_THROUGH | FILE_SEQUENTIAL_ONLY |
			 FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT |
			 FILE_DELETE_ON_CLOSE);
		break;
	}
	case FileNetworkOpenInformation:
		ntio_fill_network(&st, ntio_hidden(f), buf);
		break;
	case FileAttributeTagInformation:
		((FILE_ATTRIBUTE_TAG_INFORMATION *)buf)->FileAttributes =
			ntio_attributes(&st, ntio_hidden(f));
		break;
	}
	if (!NT_SUCCESS(nt_copy_out(FileInformation, buf, out)) ||
	    !NT_SUCCESS(ntio_put_iosb(IoStatusBlock, status, out)))
		status = STATUS_ACCESS_VIOLATION;
	goto out;
out_err:
	status = nt_status_from_errno(err);
out:
	kfree(buf);
	ntob_put(&f->obj);
	return status;
}

/* -------------------------------------------------------------------- */
/* NtSetInformationFile */

NTSTATUS ntio_set_basic(struct ntio_file *f, const FILE_BASIC_INFORMATION *fbi)
{
	struct dentry *dentry = f->filp->f_path.dentry;
	struct inode *inode = d_inode(dentry);
	struct iattr ia = {};
	struct kstat st;
	s64 t;
	int err;

	if (fbi->FileAttributes & ~FILE_ATTRIBUTE_VALID_SET_FLAGS)
		return STATUS_INVALID_PARAMETER;
	err = ntio_getattr(&f->filp->f_path, &st);
	if (err)
		return nt_status_from_errno(err);
	t = fbi->LastAccessTime.QuadPart;
	if (t && t != -1) {
		ia.ia_valid |= ATTR_ATIME | ATTR_ATIME_SET;
		t -= NTEX_EPOCH_DELTA;
		ia.ia_atime.tv_sec = div_s64_rem(t, NTEX_TICKS_PER_SEC,
						 (s32 *)&ia.ia_atime.tv_nsec);
		ia.ia_atime.tv_nsec *= 100;
	}
	t = fbi->LastWriteTime.QuadPart;
	if (t && t != -1) {
		ia.ia_valid |= ATTR_MTIME | ATTR_MTIME_SET;
		t -= NTEX_EPOCH_DELTA;
		ia.ia_mtime.tv_sec = div_s64_rem(t, NTEX_TICKS_PER_SEC,
						 (s32 *)&ia.ia_mtime.tv_nsec);
		ia.ia_mtime.tv_nsec *= 100;
	}
	if (fbi->FileAttributes) {
		umode_t mode = st.mode & 07777;

		if (fbi->FileAttributes & FILE_ATTRIBUTE_READONLY)
			mode &= ~0222;
		else if (!(mode & 0222))
			mode |= 0200;
		if (mode != (st.mode & 07777)) {
			ia.ia_valid |= ATTR_MODE;
			ia.ia_mode = mode | (st.mode & S_IFMT);
		}
	}
	if (!ia.ia_valid)
		return STATUS_SUCCESS;
	/*
	 * As utimensat(2) and chmod(2): notify_change() with the caller's
	 * credentials (setattr_prepare(): explicit times and modes are the
	 * owner's or CAP_FOWNER's), ctime set too, and chmod's LSM path
	 * hook first. The handle's FILE_WRITE_ATTRIBUTES grants nothing
	 * more than that.
	 */
	ia.ia_valid |= ATTR_CTIME;
	err = mnt_want_write(f->filp->f_path.mnt);
	if (err)
		return nt_status_from_errno(err);
	inode_lock(inode);
	err = 0;
	if (ia.ia_valid & ATTR_MODE)
		err = ntio_security_path_chmod(&f->filp->f_path, ia.ia_mode);
	if (!err)
		err = notify_change(mnt_user_ns(f->filp->f_path.mnt), dentry,
				    &ia, NULL);
	inode_unlock(inode);
	mnt_drop_write(f->filp->f_path.mnt);
	return err ? nt_status_from_errno(err) : STATUS_SUCCESS;
}

static NTSTATUS ntio_set_disposition(struct ntio_file *f, bool del)
{
	struct kstat st;
	int err;

	/* closed already (early answer: ntio_share_set_delete() decides) */
	if (!READ_ONCE(f->share))
		return STATUS_FILE_CLOSED;
	if (del) {
		err = ntio_getattr(&f->filp->f_path, &st);
		if (err)
			return nt_status_from_errno(err);
		if (!S_ISDIR(st.mode) && !(st.mode & 0222))
			return STATUS_CANNOT_DELETE;
		/*
		 * A file mapped into memory cannot be deleted, as XP's
		 * MmFlushImageSection(MmFlushForDelete) refuses while a view
		 * exists (Wine ntdll/tests/file.c,
		 * test_file_disposition_information). Linux mappings count
		 * too: they are views of the same pages.
		 */
		if (mapping_mapped(f->filp->f_mapping))
			return STATUS_CANNOT_DELETE;
		/*
		 * The handle's DELETE was checked at open; the caller may
		 * be another process now, or the directory may have changed:
		 * check again, as unlink(2) would, with the caller's
		 * credentials, which the delete at the last close keeps.
		 */
		err = ntio_may_delete(&f->filp->f_path);
		if (err)
			return nt_status_from_errno(err);
		/* only told to who may remove the directory (rmdir tells) */
		if (S_ISDIR(st.mode) && !ntio_dir_is_empty(&f->filp->f_path))
			return STATUS_DIRECTORY_NOT_EMPTY;
	}
	/* the share record decides: the last handle may be gone by now */
	return ntio_share_set_delete(f, del);
}

/*
 * FileRenameInformation: the new name, resolved like any NT name, then
 * what renameat(2) does (do_renameat2): the same mount or EXDEV; the two
 * parents locked together, the source's parent from the source itself
 * (lock_rename_child: the handle's dentry may have moved since it was
 * opened) and unlocked as that same pair; the source still hashed (an
 * unlinked name cannot come back: ENOENT) and not an ancestor of the
 * target (EINVAL); the target looked up under the lock; the LSM path
 * hook; vfs_rename()'s permission checks (may_delete, may_create) with
 * the caller's credentials. Windows' rules on top: an existing target is
 * replaced only with ReplaceIfExists, and never a directory.
 */
static int ntio_do_rename(struct ntio_file *f, struct path *new_parent,
			  const char *last, bool replace)
{
	const struct path *old_path = &f->filp->f_path;
	struct dentry *old = old_path->dentry, *old_parent, *trap, *new;
	struct renamedata rd = {};
	struct path old_dir;
	int err;

	if (new_parent->mnt != old_path->mnt)
		return -EXDEV;
	/* a mount's root has no name to rename (rename(2): EBUSY) */
	if (IS_ROOT(old) || old == old_path->mnt->mnt_root)
		return -EBUSY;
	err = mnt_want_write(old_path->mnt);
	if (err)
		return err;
	trap = lock_rename_child(old, new_parent->dentry);
	old_parent = dget(old->d_parent);	/* stable: locked */
	err = -ENOENT;
	if (d_unhashed(old))
		goto out_unlock;
	err = -EINVAL;
	if (old == trap)
		goto out_unlock;
	new = lookup_one_len(last, new_parent->dentry, strlen(last));
	if (IS_ERR(new)) {
		err = PTR_ERR(new);
		goto out_unlock;
	}
	err = -EEXIST;
	if (d_is_positive(new) && !replace && new != old)
		goto out_dput;
	err = -EACCES;
	/* Windows never replaces a directory; @trap is one of @old's */
	if (new == trap || (d_is_positive(new) && d_is_dir(new) && new != old))
		goto out_dput;
	/*
	 * nor a file open elsewhere (Wine ntdll/tests/file.c,
	 * test_file_rename_information: STATUS_ACCESS_DENIED)
	 */
	if (d_is_positive(new) && new != old &&
	    ntio_share_is_open(d_inode(new)))
		goto out_dput;
	old_dir.mnt = old_path->mnt;
	old_dir.dentry = old_parent;
	err = security_path_rename(&old_dir, old, new_parent, new, 0);
	if (err)
		goto out_dput;
	rd.old_mnt_userns = mnt_user_ns(old_path->mnt);
	rd.old_dir = d_inode(old_parent);
	rd.old_dentry = old;
	rd.new_mnt_userns = rd.old_mnt_userns;
	rd.new_dir = d_inode(new_parent->dentry);
	rd.new_dentry = new;
	err = vfs_rename(&rd);
out_dput:
	dput(new);
out_unlock:
	unlock_rename(old_parent, new_parent->dentry);
	dput(old_parent);
	mnt_drop_write(old_path->mnt);
	return err;
}

static NTSTATUS ntio_rename(struct ntio_file *f, const FILE_RENAME_INFORMATION *ri,
			    u32 len)
{
	bool replace = ri->ReplaceIfExists & 0xff;
	struct path new_parent;
	struct ntio_target t;
	struct nt_oa oa = {};
	char *slash;
	int err;
	NTSTATUS status;

	if (ri->FileNameLength > len - offsetof(FILE_RENAME_INFORMATION, FileName) ||
	    (ri->FileNameLength & 1) || !ri->FileNameLength)
		return STATUS_INVALID_PARAMETER;
	oa.root = ri->RootDirectory;
	oa.name.buf = (WCHAR *)ri->FileName;
	oa.name.len = ri->FileNameLength / 2;
	if (!oa.root && oa.name.buf[0] != '\\') {
		/* a bare name: rename within the same directory */
		u32 i;

		for (i = 0; i < oa.name.len; i++)
			if (oa.name.buf[i] == '\\')
				return STATUS_INVALID_PARAMETER;
		status = ntio_resolve_sibling(f, &oa, &t);
	} else {
		status = ntio_resolve(&oa, &t);
	}
	if (!NT_SUCCESS(status))
		return status;
	status = STATUS_INVALID_PARAMETER;
	if (t.kind != NTIO_DISK)
		goto out;
	/* early answer; checked again under the directory locks */
	if (t.exists && !replace) {
		status = STATUS_OBJECT_NAME_COLLISION;
		goto out;
	}
	slash = strrchr(t.path, '/');
	*slash = 0;
	err = kern_path(t.path[0] ? t.path : "/", LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			&new_parent);
	if (err) {
		status = STATUS_OBJECT_PATH_NOT_FOUND;
		goto out;
	}
	err = ntio_do_rename(f, &new_parent, slash + 1, replace);
	path_put(&new_parent);
	if (err) {
		status = nt_status_from_errno(err);
	} else {
		WCHAR *old_name;

		mutex_lock(&f->lock);
		old_name = f->name;
		f->name = t.nt_name;
		f->name_len = t.nt_name_len;
		mutex_unlock(&f->lock);
		kfree(old_name);
		t.nt_name = NULL;
		status = STATUS_SUCCESS;
	}
out:
	ntio_target_free(&t);
	return status;
}

NTSTATUS NtSetInformationFile(HANDLE FileHandle,
			      IO_STATUS_BLOCK __user *IoStatusBlock,
			      void __user *FileInformation, ULONG Length,
			      FILE_INFORMATION_CLASS FileInformationClass)
{
	u32 cls = FileInformationClass, needed;
	struct ntio_file *f;
	NTSTATUS status;
	void *buf;
	s64 v;
	int err;

	status = ntex_check_info(ntio_file_classes, ARRAY_SIZE(ntio_file_classes),
				 cls, true, FileInformation, Length, &needed);
	if (!NT_SUCCESS(status))
		return status;
	if (!IoStatusBlock || !NT_SUCCESS(nt_probe_out(IoStatusBlock, 8)))
		return STATUS_ACCESS_VIOLATION;
	if (Length > needed + 0xfffe)
		Length = needed + 0xfffe;	/* a name is at most 32 KiB */
	buf = kmalloc(Length, GFP_KERNEL);
	if (!buf)
		return STATUS_NO_MEMORY;
	status = nt_copy_in(buf, FileInformation, Length);
	if (!NT_SUCCESS(status))
		goto out_buf;
	status = ntio_ref_file(FileHandle, 0, &f);
	if (!NT_SUCCESS(status))
		goto out_buf;
	if (f->kind != NTIO_DISK && cls != FilePositionInformation) {
		status = STATUS_INVALID_PARAMETER;
		goto out;
	}
	switch (cls) {
	case FileBasicInformation:
		status = (f->access & FILE_WRITE_ATTRIBUTES) ?
			 ntio_set_basic(f, buf) : STATUS_ACCESS_DENIED;
		break;
	case FilePositionInformation:
		v = ((FILE_POSITION_INFORMATION *)buf)->CurrentByteOffset.QuadPart;
		if (v < 0) {
			status = STATUS_INVALID_PARAMETER;
			break;
		}
		err = mutex_lock_killable(&f->lock);
		if (err) {
			status = nt_status_from_errno(err);
			break;
		}
		f->pos = v;
		mutex_unlock(&f->lock);
		break;
	case FileEndOfFileInformation:
	case FileAllocationInformation:
		if (!(f->access & FILE_WRITE_DATA)) {
			status = STATUS_ACCESS_DENIED;
			break;
		}
		if (f->is_dir) {
			status = STATUS_INVALID_PARAMETER;
			break;
		}
		v = ((FILE_END_OF_FILE_INFORMATION *)buf)->EndOfFile.QuadPart;
		if (v < 0) {
			status = STATUS_INVALID_PARAMETER;
			break;
		}
		/* allocation only ever shrinks the file (Windows) */
		if (cls == FileAllocationInformation &&
		    v >= i_size_read(file_inode(f->filp)))
			break;
		err = vfs_truncate(&f->filp->f_path, v);
		status = err ? nt_status_from_errno(err) : STATUS_SUCCESS;
		break;
	case FileDispositionInformation:
		status = (f->access & DELETE) ?
			 ntio_set_disposition(f, ((FILE_DISPOSITION_INFORMATION *)
						  buf)->DeleteFile & 0xff) :
			 STATUS_ACCESS_DENIED;
		break;
	case FileRenameInformation:
		status = (f->access & DELETE) ? ntio_rename(f, buf, Length) :
			 STATUS_ACCESS_DENIED;
		break;
	}
	if (NT_SUCCESS(status))
		status = ntio_put_iosb(IoStatusBlock, STATUS_SUCCESS, 0);
out:
	ntob_put(&f->obj);
out_buf:
	kfree(buf);
	return status;
}

/* -------------------------------------------------------------------- */
/* NtQueryVolumeInformationFile */

static const struct ntex_info_class ntio_fs_classes[FileFsMaximumInformation] = {
	/*
	 * The whole structure at least, name arrays included, as XP's
	 * IopQueryFsOperationLength (ReactOS apitests
	 * NtQueryVolumeInformationFile.c: the offset of the name, or one
	 * byte short of the structure, is a length mismatch).
	 */
	[FileFsVolumeInformation] = NTEX_IC(FILE_FS_VOLUME_INFORMATION, 4,
					    NTIO_Q | NTIO_MIN),
	[FileFsSizeInformation] = NTEX_IC(FILE_FS_SIZE_INFORMATION, 4,
					  NTIO_Q | NTIO_MIN),
	[FileFsDeviceInformation] = NTEX_IC(FILE_FS_DEVICE_INFORMATION, 4,
					    NTIO_Q | NTIO_MIN),
	[FileFsAttributeInformation] = NTEX_IC(FILE_FS_ATTRIBUTE_INFORMATION, 4,
					       NTIO_Q | NTIO_MIN),
	[FileFsFullSizeInformation] = NTEX_IC(FILE_FS_FULL_SIZE_INFORMATION, 4,
					      NTIO_Q | NTIO_MIN),
};

NTSTATUS NtQueryVolumeInformationFile(HANDLE FileHandle,
				      IO_STATUS_BLOCK __user *IoStatusBlock,
				      void __user *FsInformation, ULONG Length,
				      FS_INFORMATION_CLASS FsInformationClass)
{
	static const WCHAR fs_name[] = { 'N', 'T', 'F', 'S' };
	u32 cls = FsInformationClass, needed, out, copy;
	union {
		FILE_FS_VOLUME_INFORMATION vol;
		FILE_FS_SIZE_INFORMATION size;
		FILE_FS_FULL_SIZE_INFORMATION full;
		FILE_FS_DEVICE_INFORMATION dev;
		FILE_FS_ATTRIBUTE_INFORMATION attr;
		u8 raw[64];
	} u = {};
	struct kstatfs sfs = {};
	struct ntio_file *f;
	NTSTATUS status;
	int err;

	status = ntex_check_info(ntio_fs_classes, ARRAY_SIZE(ntio_fs_classes),
				 cls, false, FsInformation, Length, &needed);
	if (!NT_SUCCESS(status))
		return status;
	if (!IoStatusBlock || !NT_SUCCESS(nt_probe_out(IoStatusBlock, 8)))
		return STATUS_ACCESS_VIOLATION;
	status = ntio_ref_file(FileHandle, 0, &f);
	if (!NT_SUCCESS(status))
		return status;
	if (f->kind == NTIO_DISK &&
	    (cls == FileFsSizeInformation || cls == FileFsFullSizeInformation ||
	     cls == FileFsVolumeInformation)) {
		err = vfs_statfs(&f->filp->f_path, &sfs);
		if (err) {
			status = nt_status_from_errno(err);
			goto out;
		}
	}
	out = needed;
	status = STATUS_SUCCESS;
	switch (cls) {
	case FileFsVolumeInformation:
		u.vol.VolumeSerialNumber = sfs.f_fsid.val[0] ^ sfs.f_fsid.val[1];
		out = offsetof(FILE_FS_VOLUME_INFORMATION, VolumeLabel);	/* no label */
		break;
	case FileFsSizeInformation:
		u.size.TotalAllocationUnits.QuadPart = sfs.f_blocks;
		u.size.AvailableAllocationUnits.QuadPart = sfs.f_bavail;
		u.size.SectorsPerAllocationUnit = sfs.f_bsize >= 512 ?
						  sfs.f_bsize / 512 : 1;
		u.size.BytesPerSector = 512;
		break;
	case FileFsFullSizeInformation:
		u.full.TotalAllocationUnits.QuadPart = sfs.f_blocks;
		u.full.CallerAvailableAllocationUnits.QuadPart = sfs.f_bavail;
		u.full.ActualAvailableAllocationUnits.QuadPart = sfs.f_bfree;
		u.full.SectorsPerAllocationUnit = sfs.f_bsize >= 512 ?
						  sfs.f_bsize / 512 : 1;
		u.full.BytesPerSector = 512;
		break;
	case FileFsDeviceInformation:
		u.dev.DeviceType = f->kind == NTIO_NULL ? FILE_DEVICE_NULL :
				   f->kind == NTIO_CONSOLE ? FILE_DEVICE_CONSOLE :
				   FILE_DEVICE_DISK;
		u.dev.Characteristics = f->kind == NTIO_DISK ?
					FILE_DEVICE_IS_MOUNTED : 0;
		break;
	case FileFsAttributeInformation:
		u.attr.FileSystemAttributes = FILE_CASE_SENSITIVE_SEARCH |
					      FILE_CASE_PRESERVED_NAMES |
					      FILE_UNICODE_ON_DISK;
		u.attr.MaximumComponentNameLength = 255;
		/*
		 * As NTFS answers: the length is what was copied, byte by
		 * byte, and a short buffer is STATUS_BUFFER_OVERFLOW.
		 */
		out = offsetof(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName);
		copy = min_t(u32, Length - out, sizeof(fs_name));
		u.attr.FileSystemNameLength = copy;
		/*
		 * FileSystemName is declared WCHAR[1]: copy through the raw
		 * view, or FORTIFY_SOURCE sees a field-spanning write.
		 */
		memcpy(u.raw + offsetof(FILE_FS_ATTRIBUTE_INFORMATION,
					FileSystemName), fs_name, copy);
		out += copy;
		if (copy < sizeof(fs_name))
			status = STATUS_BUFFER_OVERFLOW;
		break;
	}
	if (!NT_SUCCESS(nt_copy_out(FsInformation, &u, out)) ||
	    !NT_SUCCESS(ntio_put_iosb(IoStatusBlock, status, out)))
		status = STATUS_ACCESS_VIOLATION;
out:
	ntob_put(&f->obj);
	return status;
}
