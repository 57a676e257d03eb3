// SPDX-License-Identifier: GPL-2.0
/*
 * NT file objects: NtCreateFile, NtOpenFile, NtReadFile, NtWriteFile,
 * NtFlushBuffersFile, NtLockFile, NtUnlockFile, NtDeleteFile,
 * NtFsControlFile and NtDeviceIoControlFile.
 *
 * A "File" object owns one Linux struct file, opened with the data access
 * the handle was granted (O_PATH when it has none, so attribute-only and
 * delete-only opens need no read permission). Every operation completes
 * before the service returns: there is no STATUS_PENDING. A given Event
 * is set when the operation completes; an APC routine is refused with
 * STATUS_NOT_IMPLEMENTED. Files opened with FILE_SYNCHRONOUS_IO_* keep
 * a current byte offset (CurrentByteOffset) used when ByteOffset is NULL
 * or FILE_USE_FILE_POINTER_POSITION; the others need an explicit offset.
 *
 * Byte-range locks: every NT lock is listed in the inode's share record
 * (share.c), which decides between NT file objects and makes the locks
 * mandatory between them as on Windows: NtReadFile/NtWriteFile of a range
 * another file object holds exclusively, or a write to a range anyone
 * holds shared, fail with STATUS_FILE_LOCK_CONFLICT and transfer nothing
 * (ntio_lock_check()). Linux sees each NT lock as an open-file-description
 * lock on the object's struct file, of the kind fcntl(F_OFD_SETLK) would
 * let that open file take (ntio_lock_type(): an exclusive lock through a
 * read-only handle is a Linux read lock), so Linux OFD/POSIX lockers and
 * NT handles wait for each other, and an NT handle never holds a Linux
 * lock its open mode does not allow. Linux read()/write() stay
 * unaffected. Each object also keeps its own list, so NtUnlockFile needs
 * the exact range (STATUS_RANGE_NOT_LOCKED) as on Windows; zero-length
 * locks exist only in the lists. A waiting NtLockFile sleeps without the
 * object's lock, interruptibly. A file object's locks go when its last
 * handle closes, as at Windows' IRP_MJ_CLEANUP.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/namei.h>
#include <linux/moduleparam.h>
#include <linux/mount.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include "internal.h"
#include "io/io.h"
#include "ke/ke.h"

#define NTIO_READ_ACCESS	(FILE_READ_DATA | FILE_EXECUTE)
#define NTIO_WRITE_ACCESS	(FILE_WRITE_DATA | FILE_APPEND_DATA)
#define NTIO_SYNC_OPTIONS	(FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT)

/*
 * Byte-range locks a file object may hold: each is memory charged to the
 * caller, and every NtReadFile/NtWriteFile of the inode walks them all
 * (docs/security.md, Limits).
 */
static unsigned int max_file_locks = 1024;
module_param(max_file_locks, uint, 0644);
MODULE_PARM_DESC(max_file_locks, "Byte-range locks per NT file object (default 1024)");

static void ntio_unlock_all(struct ntio_file *f);

static void ntio_file_close(struct ntob_object *obj)
{
	struct ntio_file *f = to_ntio_file(obj);

	ntio_unlock_all(f);	/* before the share record may go */
	ntio_share_close(f);
}

static void ntio_file_destroy(struct ntob_object *obj)
{
	struct ntio_file *f = to_ntio_file(obj);

	ntio_unlock_all(f);
	ntio_share_close(f);
	ntio_dir_free(f->dir);
	if (f->filp)
		fput(f->filp);
	if (f->filp_out)
		fput(f->filp_out);
	kfree(f->name);
}

/*
 * ObjectNameInformation of a file: the NT name the caller would open it
 * by (\??\C:\... or \??\unix\..., io/path.c), where XP answers the volume
 * device's path (\Device\HarddiskVolume1\...): our namespace has no volume
 * device objects (docs/conformance.md). The null device is \Device\Null;
 * the console has no name.
 */
static NTSTATUS ntio_file_query_name(struct ntob_object *obj, WCHAR **name,
				     u16 *len)
{
	static const char null_name[] = "\\Device\\Null";
	struct ntio_file *f = to_ntio_file(obj);
	u16 n = sizeof(null_name) - 1;
	NTSTATUS status;
	WCHAR *w;
	int i;

	*name = NULL;
	*len = 0;
	if (f->kind == NTIO_DISK) {
		status = ntio_nt_name_of_path(&f->filp->f_path, &w, len);
		if (NT_SUCCESS(status))
			*name = w;
		return status;
	}
	if (f->kind != NTIO_NULL)
		return STATUS_SUCCESS;
	w = kmalloc_array(n + 1, sizeof(WCHAR), GFP_KERNEL);
	if (!w)
		return STATUS_NO_MEMORY;
	for (i = 0; i < n; i++)
		w[i] = null_name[i];
	*name = w;
	*len = n;
	return STATUS_SUCCESS;
}

const struct ntob_type ntio_file_type = {
	.name = "File",
	.index = NTOB_TYPE_FILE,
	.valid_access = FILE_ALL_ACCESS | ACCESS_SYSTEM_SECURITY,
	.mapping = {
		FILE_GENERIC_READ,
		FILE_GENERIC_WRITE,
		FILE_GENERIC_EXECUTE,
		FILE_ALL_ACCESS,
	},
	.close = ntio_file_close,
	.destroy = ntio_file_destroy,
	.query_name = ntio_file_query_name,
};

NTSTATUS ntio_ref_file(HANDLE h, ACCESS_MASK access, struct ntio_file **f)
{
	struct ntob_object *obj;
	NTSTATUS status;

	status = ntob_ref_by_handle(h, access, &ntio_file_type, &obj);
	*f = NT_SUCCESS(status) ? to_ntio_file(obj) : NULL;
	return status;
}

NTSTATUS ntio_put_iosb(IO_STATUS_BLOCK __user *iosb, NTSTATUS status,
		       u32 information)
{
	return nt_put_iosb(iosb, status, information);
}

NTSTATUS ntio_ref_event(HANDLE event, struct ntob_object **obj)
{
	*obj = NULL;
	if (!event)
		return STATUS_SUCCESS;
	return ntob_ref_by_handle(event, EVENT_MODIFY_STATE, &ntke_event_type,
				  obj);
}

void ntio_complete_event(struct ntob_object *ev)
{
	LONG prev;

	if (!ev)
		return;
	ntke_event_set(to_ntke(ev), &prev);
	ntob_put(ev);
}

/* -------------------------------------------------------------------- */
/* create / open */

struct ntio_create {
	ACCESS_MASK access;
	bool max_allowed;	/* MAXIMUM_ALLOWED: drop what is not allowed */
	u32 attributes;
	u32 share;
	u32 disposition;
	u32 options;
};

static NTSTATUS ntio_check_create(const struct ntio_create *c)
{
	u32 o = c->options;

	if (c->disposition > FILE_MAXIMUM_DISPOSITION ||
	    (o & ~FILE_VALID_OPTION_FLAGS) ||
	    (c->share & ~FILE_SHARE_VALID_FLAGS) ||
	    (c->attributes & ~FILE_ATTRIBUTE_VALID_FLAGS))
		return STATUS_INVALID_PARAMETER;
	if ((o & NTIO_SYNC_OPTIONS) == NTIO_SYNC_OPTIONS ||
	    ((o & NTIO_SYNC_OPTIONS) && !(c->access & SYNCHRONIZE)))
		return STATUS_INVALID_PARAMETER;
	if ((o & FILE_DIRECTORY_FILE) && (o & FILE_NON_DIRECTORY_FILE))
		return STATUS_INVALID_PARAMETER;
	if ((o & FILE_DIRECTORY_FILE) && c->disposition != FILE_CREATE &&
	    c->disposition != FILE_OPEN && c->disposition != FILE_OPEN_IF)
		return STATUS_INVALID_PARAMETER;
	if ((o & FILE_DELETE_ON_CLOSE) && !(c->access & DELETE))
		return STATUS_INVALID_PARAMETER;
	return STATUS_SUCCESS;
}

static struct ntio_file *ntio_file_alloc(enum ntio_kind kind)
{
	struct ntio_file *f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);

	if (!f)
		return NULL;
	ntob_object_init(&f->obj, &ntio_file_type);
	f->kind = kind;
	mutex_init(&f->lock);
	INIT_LIST_HEAD(&f->locks);
	return f;
}

/* \??\CON: the caller's standard input and output. */
static NTSTATUS ntio_open_console(struct ntio_file *f)
{
	f->filp = fget(0);
	f->filp_out = fget(1);
	if (!f->filp && !f->filp_out)
		return STATUS_OBJECT_NAME_NOT_FOUND;
	return STATUS_SUCCESS;
}

/*
 * A handle for the caller's Linux fd @fd, as the standard handles of a
 * process's parameters (ps/params.c): a console-kind file object on that
 * open file, with the access its open mode gives and synchronous I/O at
 * the file's own position (a tty or pipe has none). *h is 0 when @fd is
 * not open. Process context, the handle goes into current's table.
 */
NTSTATUS ntio_std_handle(unsigned int fd, HANDLE *h)
{
	struct ntio_file *f;
	struct file *filp;
	NTSTATUS status;

	*h = 0;
	filp = fget(fd);
	if (!filp)
		return STATUS_SUCCESS;
	f = ntio_file_alloc(NTIO_CONSOLE);
	if (!f) {
		fput(filp);
		return STATUS_NO_MEMORY;
	}
	f->filp = filp;
	f->access = SYNCHRONIZE | FILE_READ_ATTRIBUTES;
	if (filp->f_mode & FMODE_READ)
		f->access |= FILE_GENERIC_READ;
	if (filp->f_mode & FMODE_WRITE)
		f->access |= FILE_GENERIC_WRITE;
	f->share_mode = FILE_SHARE_READ | FILE_SHARE_WRITE;
	f->options = FILE_SYNCHRONOUS_IO_NONALERT;
	status = ntob_create_handle(&f->obj, f->access, OBJ_INHERIT, h);
	ntob_put(&f->obj);
	return status;
}

/*
 * The open(2) mode that checks what the NT access needs of the file itself
 * (may_open() with the caller's credentials, and the LSM's file_open):
 * FILE_READ_DATA / FILE_EXECUTE read, FILE_WRITE_DATA / FILE_APPEND_DATA
 * (and an overwrite, @truncate) write; a directory is read for
 * FILE_LIST_DIRECTORY. FILE_READ_ATTRIBUTES, READ_CONTROL, SYNCHRONIZE and
 * the like need only the lookup, as stat(2) does: O_PATH. An O_PATH file
 * serves attribute queries only; everything that reads or writes data
 * through the handle asks for the access bit that made the open read or
 * write. DELETE is checked apart (ntio_may_delete()).
 */
static int ntio_open_flags(const struct ntio_create *c, bool is_dir,
			   bool truncate)
{
	bool r = c->access & (NTIO_READ_ACCESS | FILE_LIST_DIRECTORY);
	bool w = (c->access & NTIO_WRITE_ACCESS) || truncate;

	if (is_dir)
		return O_RDONLY | O_DIRECTORY | O_LARGEFILE;
	if (r && w)
		return O_RDWR | O_LARGEFILE;
	if (w)
		return O_WRONLY | O_LARGEFILE;
	if (r)
		return O_RDONLY | O_LARGEFILE;
	return O_PATH;
}

static struct file *ntio_mkdir_open(const char *path, u32 attributes)
{
	umode_t mode = (attributes & FILE_ATTRIBUTE_READONLY) ? 0555 : 0777;
	struct dentry *dentry;
	struct path parent;
	int err;

	dentry = kern_path_create(AT_FDCWD, path, &parent, LOOKUP_DIRECTORY);
	if (IS_ERR(dentry))
		return ERR_CAST(dentry);
	mode &= ~current_umask();
	/* what do_mkdirat() runs between the lookup and vfs_mkdir() */
	err = security_path_mkdir(&parent, dentry, mode);
	if (!err)
		err = vfs_mkdir(mnt_user_ns(parent.mnt), d_inode(parent.dentry),
				dentry, mode);
	done_path_create(&parent, dentry);
	if (err)
		return ERR_PTR(err);
	return filp_open(path, O_RDONLY | O_DIRECTORY | O_LARGEFILE, 0);
}

/* Open or create the disk file @t; *info gets the IOSB Information. */
static NTSTATUS ntio_open_disk(struct ntio_file *f, const struct ntio_create *c,
			       const struct ntio_target *t, u32 *info)
{
	u32 disp = c->disposition, o = c->options;
	bool truncate = false;
	struct file *filp;
	struct kstat st;
	NTSTATUS status;
	int err;

	if (t->exists) {
		struct path p;

		if (disp == FILE_CREATE)
			return STATUS_OBJECT_NAME_COLLISION;
		err = kern_path(t->path, LOOKUP_FOLLOW, &p);
		if (err)
			return nt_status_from_errno(err);
		err = ntio_getattr(&p, &st);
		path_put(&p);
		if (err)
			return nt_status_from_errno(err);
		f->is_dir = S_ISDIR(st.mode);
		if (f->is_dir && (o & FILE_NON_DIRECTORY_FILE))
			return STATUS_FILE_IS_A_DIRECTORY;
		if (!f->is_dir && (o & FILE_DIRECTORY_FILE))
			return STATUS_NOT_A_DIRECTORY;
		truncate = disp == FILE_SUPERSEDE || disp == FILE_OVERWRITE ||
			   disp == FILE_OVERWRITE_IF;
		if (truncate && f->is_dir)
			return STATUS_FILE_IS_A_DIRECTORY;
		/*
		 * FILE_ATTRIBUTE_READONLY binds everyone, administrators
		 * included (CAP_DAC_OVERRIDE does not lift it): no data
		 * write and no overwrite: STATUS_ACCESS_DENIED. A supersede
		 * replaces the file, attributes included, and is allowed
		 * (Wine ntdll/tests/file.c, test_NtCreateFile's table; Wine
		 * kernel32/tests/file.c for the writes).
		 */
		if (!f->is_dir && !(st.mode & 0222) &&
		    ((truncate && disp != FILE_SUPERSEDE) ||
		     (c->access & NTIO_WRITE_ACCESS)))
			return STATUS_ACCESS_DENIED;
		if ((o & FILE_DELETE_ON_CLOSE) && !f->is_dir &&
		    !(st.mode & 0222))
			return STATUS_CANNOT_DELETE;
		filp = filp_open(t->path, ntio_open_flags(c, f->is_dir, truncate),
				 0);
		/*
		 * A directory that may not be listed can still be opened
		 * for what needs no permission on it (e.g. FILE_TRAVERSE,
		 * attributes): O_PATH, as Linux allows. Not for
		 * FILE_LIST_DIRECTORY: that is read permission.
		 */
		if (IS_ERR(filp) && f->is_dir && PTR_ERR(filp) == -EACCES &&
		    !(c->access & FILE_LIST_DIRECTORY))
			filp = filp_open(t->path, O_PATH, 0);
		*info = disp == FILE_SUPERSEDE ? FILE_SUPERSEDED :
			truncate ? FILE_OVERWRITTEN : FILE_OPENED;
	} else {
		if (disp == FILE_OPEN || disp == FILE_OVERWRITE)
			return STATUS_OBJECT_NAME_NOT_FOUND;
		f->is_dir = o & FILE_DIRECTORY_FILE;
		if (f->is_dir) {
			filp = ntio_mkdir_open(t->path, c->attributes);
		} else {
			int flags = ntio_open_flags(c, false, false);

			if (flags == O_PATH)
				flags = O_RDONLY | O_LARGEFILE;
			filp = filp_open(t->path, flags | O_CREAT | O_EXCL,
					 (c->attributes & FILE_ATTRIBUTE_READONLY) ?
					 0444 : 0666);
		}
		*info = FILE_CREATED;
	}
	if (IS_ERR(filp)) {
		err = PTR_ERR(filp);
		if (err == -EEXIST)
			return STATUS_OBJECT_NAME_COLLISION;
		if (err == -ENOENT)
			return STATUS_OBJECT_PATH_NOT_FOUND;
		return nt_status_from_errno(err);
	}
	f->filp = filp;
	if (f->access & DELETE) {
		/*
		 * DELETE is the right to unlink the name, checked now as
		 * unlink(2) would check it (Windows checks it at open too):
		 * a handle with DELETE can delete later (disposition,
		 * delete-on-close, rename). MAXIMUM_ALLOWED only loses it.
		 */
		err = ntio_may_delete(&filp->f_path);
		if (err && c->max_allowed && !(o & FILE_DELETE_ON_CLOSE))
			f->access &= ~DELETE;
		else if (err)
			return nt_status_from_errno(err);
	}
	status = ntio_share_open(f);
	if (!NT_SUCCESS(status))
		return status;
	if (truncate) {
		err = vfs_truncate(&filp->f_path, 0);
		if (err)
			return nt_status_from_errno(err);
		/*
		 * An overwrite or supersede gives the file the attributes
		 * asked for, as a new file gets them (Wine
		 * ntdll/tests/file.c, test_NtCreateFile's attribute table):
		 * READONLY is the one stored (docs/conformance.md), and a
		 * supersede without it makes a read-only file writable
		 * again. Best effort, as chmod(2) would do it: a caller
		 * that may write the file but does not own it cannot change
		 * its mode, and the data is already gone.
		 */
		if ((c->attributes & FILE_ATTRIBUTE_READONLY) || !(st.mode & 0222)) {
			FILE_BASIC_INFORMATION fbi = {
				.FileAttributes =
					(c->attributes & FILE_ATTRIBUTE_READONLY) ?:
					FILE_ATTRIBUTE_NORMAL,
			};

			ntio_set_basic(f, &fbi);
		}
	}
	if (o & FILE_DELETE_ON_CLOSE)
		ntio_share_set_delete(f, true);
	return STATUS_SUCCESS;
}

static NTSTATUS ntio_create(HANDLE __user *uh, const OBJECT_ATTRIBUTES __user *uoa,
			    IO_STATUS_BLOCK __user *iosb, struct ntio_create *c,
			    u32 ea_length)
{
	struct ntio_target t;
	struct ntio_file *f;
	struct nt_oa oa;
	NTSTATUS status;
	u32 info = FILE_OPENED;

	status = nt_prewrite_handle(uh);
	if (!NT_SUCCESS(status))
		return status;
	c->max_allowed = c->access & MAXIMUM_ALLOWED;
	c->access = ntob_map_access(&ntio_file_type, c->access);
	status = ntio_check_create(c);
	if (!NT_SUCCESS(status))
		return status;
	if (ea_length)
		return STATUS_EAS_NOT_SUPPORTED;
	if (!iosb)
		return STATUS_ACCESS_VIOLATION;
	status = nt_probe_out(iosb, sizeof(*iosb));
	if (!NT_SUCCESS(status))
		return status;
	if (!uoa)
		return STATUS_ACCESS_VIOLATION;
	status = nt_capture_oa(uoa, &oa);
	if (!NT_SUCCESS(status))
		return status;
	status = ntio_resolve(&oa, &t);
	if (!NT_SUCCESS(status))
		goto out_oa;
	f = ntio_file_alloc(t.kind);
	if (!f) {
		status = STATUS_NO_MEMORY;
		goto out_target;
	}
	f->access = c->access;
	f->share_mode = c->share;
	f->options = c->options;
	f->name = t.nt_name;
	f->name_len = t.nt_name_len;
	t.nt_name = NULL;
	if (t.kind == NTIO_DISK)
		status = ntio_open_disk(f, c, &t, &info);
	else if (t.kind == NTIO_CONSOLE)
		status = ntio_open_console(f);
	if (!NT_SUCCESS(status)) {
		ntob_put(&f->obj);
		goto out_target;
	}
	status = ntob_create_handle_out(&f->obj, f->access,
					oa.attributes & OBJ_INHERIT, uh);
	ntob_put(&f->obj);
	if (NT_SUCCESS(status))
		status = ntio_put_iosb(iosb, STATUS_SUCCESS, info);
out_target:
	ntio_target_free(&t);
out_oa:
	nt_release_oa(&oa);
	return status;
}

NTSTATUS NtCreateFile(HANDLE __user *FileHandle, ACCESS_MASK DesiredAccess,
		      const OBJECT_ATTRIBUTES __user *ObjectAttributes,
		      IO_STATUS_BLOCK __user *IoStatusBlock,
		      const LARGE_INTEGER __user *AllocationSize,
		      ULONG FileAttributes, ULONG ShareAccess,
		      ULONG CreateDisposition, ULONG CreateOptions,
		      void __user *EaBuffer, ULONG EaLength)
{
	struct ntio_create c = {
		.access = DesiredAccess,
		.attributes = FileAttributes,
		.share = ShareAccess,
		.disposition = CreateDisposition,
		.options = CreateOptions,
	};

	return ntio_create(FileHandle, ObjectAttributes, IoStatusBlock, &c,
			   EaBuffer ? EaLength : 0);
}

NTSTATUS NtOpenFile(HANDLE __user *FileHandle, ACCESS_MASK DesiredAccess,
		    const OBJECT_ATTRIBUTES __user *ObjectAttributes,
		    IO_STATUS_BLOCK __user *IoStatusBlock, ULONG ShareAccess,
		    ULONG OpenOptions)
{
	struct ntio_create c = {
		.access = DesiredAccess,
		.share = ShareAccess,
		.disposition = FILE_OPEN,
		.options = OpenOptions,
	};

	return ntio_create(FileHandle, ObjectAttributes, IoStatusBlock, &c, 0);
}

/* -------------------------------------------------------------------- */
/* read / write */

struct ntio_io {
	struct ntio_file *f;
	struct ntob_object *event;
	bool sync;
	loff_t pos;
};

/* Common start of read/write: handle, APC, event, IOSB, buffer, offset. */
static __always_inline NTSTATUS
ntio_io_begin(struct ntio_io *io, HANDLE h, ACCESS_MASK access,
	      HANDLE event, IO_STATUS_BLOCK __user *iosb, void __user *buf,
	      u32 len, const LARGE_INTEGER __user *offset,
	      bool write)
{
	struct ntio_file *f;
	NTSTATUS status;
	s64 off = 0;

	memset(io, 0, sizeof(*io));
	status = ntio_ref_file(h, 0, &f);
	if (!NT_SUCCESS(status))
		return status;
	io->f = f;
	if (!(f->access & access))
		return STATUS_ACCESS_DENIED;
	status = ntio_ref_event(event, &io->event);
	if (!NT_SUCCESS(status))
		return status;
	if (!iosb || !NT_SUCCESS(nt_probe_out(iosb, sizeof(*iosb))))
		return STATUS_ACCESS_VIOLATION;
	/*
	 * No buffer at all: XP's answers (Wine ntdll/tests/file.c,
	 * test_read_write), before any I/O and with the IO_STATUS_BLOCK
	 * left alone.
	 */
	if (len && !buf)
		return write ? STATUS_INVALID_USER_BUFFER : STATUS_ACCESS_VIOLATION;
	if (len && !access_ok(buf, len))
		return STATUS_ACCESS_VIOLATION;
	if (offset) {
		status = nt_get_large_integer(offset, &off);
		if (!NT_SUCCESS(status))
			return status;
	}
	if (f->is_dir)
		return STATUS_INVALID_DEVICE_REQUEST;
	io->sync = f->options & NTIO_SYNC_OPTIONS;
	if (f->kind != NTIO_DISK)
		return STATUS_SUCCESS;
	if (write && (off == -1 || !(f->access & FILE_WRITE_DATA))) {
		io->pos = i_size_read(file_inode(f->filp));	/* append */
	} else if (!offset || off == -2) {
		if (!io->sync)
			return STATUS_INVALID_PARAMETER;
		io->pos = -1;		/* the file pointer, read under f->lock */
	} else {
		if (off < 0)
			return STATUS_INVALID_PARAMETER;
		io->pos = off;
	}
	return ntio_lock_check(f, io->pos, len, write);
}

static void ntio_io_end(struct ntio_io *io)
{
	if (io->event)
		ntob_put(io->event);
	if (io->f)
		ntob_put(&io->f->obj);
}

static __always_inline ssize_t ntio_rw(struct ntio_io *io, void __user *buf, u32 len, bool write)
{
	struct ntio_file *f = io->f;
	struct file *filp = write && f->filp_out ? f->filp_out : f->filp;
	/* set up by import_single_range(), not worth zeroing first */
	struct iov_iter iter __uninitialized;
	struct iovec iov __uninitialized;
	loff_t *ppos, pos;
	ssize_t n;

	if (f->kind == NTIO_NULL)
		return write ? len : 0;
	if (!filp)
		return -EBADF;
	if (!len)
		return 0;
	n = import_single_range(write ? ITER_SOURCE : ITER_DEST, buf, len,
				&iov, &iter);
	if (n)
		return n;
	if (f->kind == NTIO_CONSOLE) {
		ppos = (filp->f_mode & FMODE_STREAM) ? NULL : &filp->f_pos;
		pos = ppos ? *ppos : 0;
		n = write ? vfs_iter_write(filp, &iter, &pos, 0) :
			    vfs_iter_read(filp, &iter, &pos, 0);
		if (n > 0 && ppos)
			*ppos = pos;
		return n;
	}
	if (io->pos == -1) {
		pos = f->pos;
		n = write ? vfs_iter_write(filp, &iter, &pos, 0) :
			    vfs_iter_read(filp, &iter, &pos, 0);
		if (n > 0)
			f->pos = pos;
		return n;
	}
	pos = io->pos;
	n = write ? vfs_iter_write(filp, &iter, &pos, 0) :
		    vfs_iter_read(filp, &iter, &pos, 0);
	if (n > 0 && io->sync)
		f->pos = pos;
	return n;
}

static __always_inline NTSTATUS
ntio_read_write(HANDLE h, HANDLE event,
		IO_STATUS_BLOCK __user *iosb, void __user *buf,
		u32 len, const LARGE_INTEGER __user *offset,
		bool write)
{
	struct ntio_io io;
	NTSTATUS status;
	ssize_t n;

	status = ntio_io_begin(&io, h, write ? NTIO_WRITE_ACCESS : FILE_READ_DATA,
			       event, iosb, buf, len, offset, write);
	if (!NT_SUCCESS(status))
		goto out;
	/*
	 * A write from a buffer that is readable only in part is refused
	 * before anything is written, as XP's I/O manager refuses it. It
	 * also keeps the caller out of a livelock of this kernel's
	 * generic_perform_write(): a partial source copy into a page past
	 * EOF at an unaligned offset is retried forever, and only SIGKILL
	 * ends it (write(2) has it too; the fuzzer found it through here).
	 */
	if (write && io.f->kind == NTIO_DISK && len) {
		status = nt_probe_read_all(buf, len);
		if (!NT_SUCCESS(status))
			goto out;
	}
	/*
	 * The file pointer's transfers are serialized, and the lock is held
	 * across the user copy (Linux's f_pos_lock is too): wait for it
	 * killably, a stalled fault must not wedge the other threads.
	 */
	if (io.sync) {
		n = mutex_lock_killable(&io.f->lock);
		if (n) {
			status = nt_status_from_errno(n);
			goto out;
		}
	}
	n = ntio_rw(&io, buf, len, write);
	if (io.sync)
		mutex_unlock(&io.f->lock);
	if (n < 0) {
		status = nt_status_from_errno(n);
		goto out;
	}
	status = STATUS_SUCCESS;
	if (!n && len && !write)
		status = STATUS_END_OF_FILE;
	if (!NT_SUCCESS(ntio_put_iosb(iosb, status, n)))
		status = STATUS_ACCESS_VIOLATION;
	ntio_complete_event(io.event);
	io.event = NULL;
out:
	ntio_io_end(&io);
	return status;
}

/*
 * With a completion APC: made before anything (a call that fails frees
 * it unqueued), queued after the transfer and its event (ke/apc.c).
 * Out of line, so that the common call pays nothing for it.
 */
static noinline NTSTATUS
ntio_read_write_apc(HANDLE h, HANDLE event, const void __user *apc,
		    const void __user *apc_context,
		    IO_STATUS_BLOCK __user *iosb, void __user *buf, u32 len,
		    const LARGE_INTEGER __user *offset, bool write)
{
	struct ntke_apc *a;
	NTSTATUS status;

	status = ntke_io_apc_prepare(apc, apc_context, &a);
	if (!NT_SUCCESS(status))
		return status;
	status = ntio_read_write(h, event, iosb, buf, len, offset, write);
	ntke_io_apc_complete(a, status, iosb);
	return status;
}

NTSTATUS NtReadFile(HANDLE FileHandle, HANDLE Event, void __user *ApcRoutine,
		    void __user *ApcContext, IO_STATUS_BLOCK __user *IoStatusBlock,
		    void __user *Buffer, ULONG Length,
		    const LARGE_INTEGER __user *ByteOffset, const ULONG __user *Key)
{
	if (unlikely(ApcRoutine))
		return ntio_read_write_apc(FileHandle, Event, ApcRoutine,
					   ApcContext, IoStatusBlock, Buffer,
					   Length, ByteOffset, false);
	return ntio_read_write(FileHandle, Event, IoStatusBlock, Buffer, Length,
			       ByteOffset, false);
}

NTSTATUS NtWriteFile(HANDLE FileHandle, HANDLE Event, void __user *ApcRoutine,
		     void __user *ApcContext, IO_STATUS_BLOCK __user *IoStatusBlock,
		     const void __user *Buffer, ULONG Length,
		     const LARGE_INTEGER __user *ByteOffset,
		     const ULONG __user *Key)
{
	if (unlikely(ApcRoutine))
		return ntio_read_write_apc(FileHandle, Event, ApcRoutine,
					   ApcContext, IoStatusBlock,
					   (void __user *)Buffer, Length,
					   ByteOffset, true);
	return ntio_read_write(FileHandle, Event, IoStatusBlock,
			       (void __user *)Buffer, Length, ByteOffset, true);
}

NTSTATUS NtFlushBuffersFile(HANDLE FileHandle,
			    IO_STATUS_BLOCK __user *IoStatusBlock)
{
	struct ntio_file *f;
	NTSTATUS status;
	int err = 0;

	status = ntio_ref_file(FileHandle, 0, &f);
	if (!NT_SUCCESS(status))
		return status;
	if (!(f->access & NTIO_WRITE_ACCESS)) {
		status = STATUS_ACCESS_DENIED;
		goto out;
	}
	if (!IoStatusBlock) {
		status = STATUS_ACCESS_VIOLATION;
		goto out;
	}
	if (f->kind == NTIO_DISK)
		err = vfs_fsync(f->filp, 0);
	else if (f->kind == NTIO_CONSOLE && f->filp_out)
		vfs_fsync(f->filp_out, 0);	/* ttys and pipes: nothing */
	status = err ? nt_status_from_errno(err) : STATUS_SUCCESS;
	if (NT_SUCCESS(status))
		status = ntio_put_iosb(IoStatusBlock, STATUS_SUCCESS, 0);
out:
	ntob_put(&f->obj);
	return status;
}

/* -------------------------------------------------------------------- */
/* byte-range locks */

/*
 * The Linux lock an NT lock takes on @filp: what fcntl(F_OFD_SETLK) lets
 * this open file take (check_fmode_for_setlk: F_WRLCK needs FMODE_WRITE,
 * F_RDLCK FMODE_READ). Windows grants an exclusive lock through a read
 * handle; on Linux it is a read lock, so a read-only handle never blocks
 * other readers' read locks (a root daemon's database). A shared lock
 * through a write-only handle takes none: a Linux write lock would shut
 * out the other NT handles' shared locks. Between NT file objects the
 * inode's NT lock list decides (share.c), whatever the Linux lock.
 */
static short ntio_lock_type(const struct ntio_file *f, const struct ntio_lock *l)
{
	fmode_t mode = f->filp->f_mode;

	/* zero-length and out-of-range locks live only in the NT lists */
	if (!l->len || l->start > LLONG_MAX || l->len - 1 > LLONG_MAX - l->start)
		return F_UNLCK;
	if (l->exclusive && (mode & FMODE_WRITE))
		return F_WRLCK;
	if (mode & FMODE_READ)
		return F_RDLCK;
	return F_UNLCK;
}

static void ntio_fl_init(struct file_lock *fl, struct ntio_file *f,
			 const struct ntio_lock *l, short type, bool sleep)
{
	locks_init_lock(fl);
	fl->fl_flags = FL_POSIX | FL_OFDLCK | (sleep ? FL_SLEEP : 0);
	fl->fl_owner = f->filp;
	fl->fl_pid = -1;
	fl->fl_file = f->filp;
	fl->fl_type = type;
	fl->fl_start = l->start;
	fl->fl_end = l->start + l->len - 1;
}

/*
 * Set @fl on the Linux side, as F_OFD_SETLK(W) would (vfs_lock_file: a
 * file system's own ->lock too). 0, FILE_LOCK_DEFERRED (FL_SLEEP, queued
 * behind a conflicting lock: wait on fl->fl_wait, then try again) or
 * -errno.
 */
static int ntio_vfs_lock(struct ntio_file *f, struct file_lock *fl)
{
	return vfs_lock_file(f->filp, (fl->fl_flags & FL_SLEEP) ?
			     F_OFD_SETLKW : F_OFD_SETLK, fl, NULL);
}

/* Put back the Linux side of @l (unlock and re-lock, f->lock held). */
static void ntio_vfs_relock(struct ntio_file *f, const struct ntio_lock *l,
			    short type)
{
	struct file_lock fl;

	if (l->type == F_UNLCK)
		return;
	ntio_fl_init(&fl, f, l, type, false);
	ntio_vfs_lock(f, &fl);
	locks_release_private(&fl);
}

/*
 * @l leaves @f (f->lock held): its Linux range goes, and @f's other locks
 * over that range come back (one OFD owner: Linux merged them).
 */
static void ntio_lock_remove(struct ntio_file *f, struct ntio_lock *l)
{
	struct ntio_lock *it;

	lockdep_assert_held(&f->lock);
	list_del(&l->node);
	ntio_vfs_relock(f, l, F_UNLCK);
	if (l->type != F_UNLCK)
		list_for_each_entry(it, &f->locks, node)
			if (ntio_locks_overlap(it, l))
				ntio_vfs_relock(f, it, it->type);
	ntio_share_lock_del(f, l);
}

/* The last handle is gone (or the object): release every lock of @f. */
static void ntio_unlock_all(struct ntio_file *f)
{
	struct ntio_lock *l, *tmp;

	mutex_lock(&f->lock);
	list_for_each_entry_safe(l, tmp, &f->locks, node) {
		list_del(&l->node);
		ntio_share_lock_del(f, l);
		ntio_vfs_relock(f, l, F_UNLCK);
		kfree(l);
	}
	WRITE_ONCE(f->locks_closed, true);
	mutex_unlock(&f->lock);
	/* requests of @f waiting for other objects' locks give up */
	if (f->kind == NTIO_DISK && f->filp)
		ntio_share_lock_wake(f);
}

/*
 * @f's own locks: an exclusive lock also excludes its own handle
 * (Windows), and a file object holds at most max_file_locks. f->lock held.
 */
static NTSTATUS ntio_own_check(struct ntio_file *f, const struct ntio_lock *l)
{
	unsigned int n = 0;
	struct ntio_lock *it;

	list_for_each_entry(it, &f->locks, node) {
		if ((it->exclusive || l->exclusive) && ntio_locks_overlap(it, l))
			return STATUS_LOCK_NOT_GRANTED;
		n++;
	}
	if (n >= READ_ONCE(max_file_locks))
		return STATUS_INSUFFICIENT_RESOURCES;
	return STATUS_SUCCESS;
}

/*
 * Grant @l to @f: first against the other NT file objects' locks (the
 * inode's list), then on the Linux side. Sleeps (when @wait) only
 * without f->lock, so I/O through @f carries on, and interruptibly:
 * a signal ends the call with STATUS_USER_APC, SIGKILL kills it.
 */
static NTSTATUS ntio_lock_acquire(struct ntio_file *f, struct ntio_lock *l,
				  bool wait)
{
	/* a file system's own ->lock may sleep: it gets polled instead */
	bool sleep = wait && !f->filp->f_op->lock;
	NTSTATUS status = STATUS_SUCCESS;
	struct file_lock fl;
	int err;

	ntio_fl_init(&fl, f, l, l->type, sleep);
	for (;;) {
		err = mutex_lock_killable(&f->lock);
		if (err)
			break;
		if (f->locks_closed) {
			/* the last handle was closed while we were on our way */
			mutex_unlock(&f->lock);
			status = STATUS_FILE_CLOSED;
			break;
		}
		/* at once, waiting or not: nothing would wake us */
		status = ntio_own_check(f, l);
		if (!NT_SUCCESS(status)) {
			mutex_unlock(&f->lock);
			break;
		}
		if (!ntio_share_lock_add(f, l)) {
			mutex_unlock(&f->lock);
			err = -EAGAIN;
			if (!wait)
				break;
			err = ntio_share_lock_wait(f, l);
			if (err)
				break;
			continue;
		}
		err = l->type == F_UNLCK ? 0 : ntio_vfs_lock(f, &fl);
		if (!err) {
			list_add_tail(&l->node, &f->locks);
			mutex_unlock(&f->lock);
			break;
		}
		ntio_share_lock_del(f, l);
		mutex_unlock(&f->lock);
		if (err == FILE_LOCK_DEFERRED) {
			/* queued behind a Linux lock: sleep without f->lock */
			err = wait_event_interruptible(fl.fl_wait,
						       list_empty(&fl.fl_blocked_member));
			if (err)
				break;
			continue;
		}
		if (err != -EAGAIN || !wait)
			break;
		/* a ->lock file system, busy: look again in a while */
		schedule_timeout_interruptible(HZ / 50);
		if (signal_pending(current)) {
			err = -ERESTARTSYS;
			break;
		}
	}
	/* off the Linux waiters' lists, waking those queued behind us */
	locks_delete_block(&fl);
	locks_release_private(&fl);
	if (!NT_SUCCESS(status))
		return status;
	if (err == -EAGAIN || err == -EDEADLK)
		return STATUS_LOCK_NOT_GRANTED;
	return nt_status_from_errno(err);
}

NTSTATUS NtLockFile(HANDLE FileHandle, HANDLE Event, void __user *ApcRoutine,
		    void __user *ApcContext, IO_STATUS_BLOCK __user *IoStatusBlock,
		    const LARGE_INTEGER __user *ByteOffset,
		    const LARGE_INTEGER __user *Length,
		    ULONG Key, BOOLEAN FailImmediately, BOOLEAN ExclusiveLock)
{
	struct ntob_object *ev = NULL;
	struct ntke_apc *apc = NULL;
	struct ntio_lock *l;
	struct ntio_file *f;
	NTSTATUS status;
	s64 off, len;

	status = ntio_ref_file(FileHandle, 0, &f);
	if (!NT_SUCCESS(status))
		return status;
	status = STATUS_ACCESS_DENIED;
	if (!(f->access & (FILE_READ_DATA | FILE_WRITE_DATA)))
		goto out;
	status = ntio_ref_event(Event, &ev);
	if (!NT_SUCCESS(status))
		goto out;
	status = STATUS_ACCESS_VIOLATION;
	if (!IoStatusBlock || !NT_SUCCESS(nt_probe_out(IoStatusBlock, 8)))
		goto out;
	status = nt_get_large_integer(ByteOffset, &off);
	if (NT_SUCCESS(status))
		status = nt_get_large_integer(Length, &len);
	if (!NT_SUCCESS(status))
		goto out;
	status = STATUS_INVALID_DEVICE_REQUEST;
	if (f->kind != NTIO_DISK || f->is_dir)
		goto out;
	status = STATUS_INVALID_PARAMETER;
	if (len && (u64)off + (u64)len - 1 < (u64)off)
		goto out;
	status = ntke_io_apc_prepare(ApcRoutine, ApcContext, &apc);
	if (!NT_SUCCESS(status))
		goto out;
	status = STATUS_NO_MEMORY;
	l = kzalloc(sizeof(*l), GFP_KERNEL_ACCOUNT);
	if (!l)
		goto out;
	l->start = off;
	l->len = len;
	l->key = Key;
	l->exclusive = ExclusiveLock & 0xff;
	l->type = ntio_lock_type(f, l);
	status = ntio_lock_acquire(f, l, !(FailImmediately & 0xff));
	if (!NT_SUCCESS(status)) {
		kfree(l);
		goto out;
	}
	status = ntio_put_iosb(IoStatusBlock, STATUS_SUCCESS, 0);
	ntio_complete_event(ev);
	ev = NULL;
out:
	/* queued only for a lock granted: an error completes without it */
	ntke_io_apc_complete(apc, status, IoStatusBlock);
	if (ev)
		ntob_put(ev);
	ntob_put(&f->obj);
	return status;
}

NTSTATUS NtUnlockFile(HANDLE FileHandle, IO_STATUS_BLOCK __user *IoStatusBlock,
		      const LARGE_INTEGER __user *ByteOffset,
		      const LARGE_INTEGER __user *Length,
		      ULONG Key)
{
	struct ntio_lock *l, *found = NULL;
	struct ntio_file *f;
	NTSTATUS status;
	s64 off, len;
	int err;

	status = ntio_ref_file(FileHandle, 0, &f);
	if (!NT_SUCCESS(status))
		return status;
	status = STATUS_ACCESS_DENIED;
	if (!(f->access & (FILE_READ_DATA | FILE_WRITE_DATA)))
		goto out;
	status = STATUS_ACCESS_VIOLATION;
	if (!IoStatusBlock || !NT_SUCCESS(nt_probe_out(IoStatusBlock, 8)))
		goto out;
	status = nt_get_large_integer(ByteOffset, &off);
	if (NT_SUCCESS(status))
		status = nt_get_large_integer(Length, &len);
	if (!NT_SUCCESS(status))
		goto out;
	err = mutex_lock_killable(&f->lock);
	if (err) {
		status = nt_status_from_errno(err);
		goto out;
	}
	list_for_each_entry(l, &f->locks, node) {
		if (l->start == (u64)off && l->len == (u64)len && l->key == Key) {
			found = l;
			break;
		}
	}
	if (found)
		ntio_lock_remove(f, found);
	mutex_unlock(&f->lock);
	if (!found) {
		status = STATUS_RANGE_NOT_LOCKED;
		goto out;
	}
	kfree(found);
	status = ntio_put_iosb(IoStatusBlock, STATUS_SUCCESS, 0);
out:
	ntob_put(&f->obj);
	return status;
}

NTSTATUS ntio_file_for_section(HANDLE h, ACCESS_MASK access, struct file **filp)
{
	struct ntio_file *f;
	NTSTATUS status;

	*filp = NULL;
	status = ntio_ref_file(h, access, &f);
	if (!NT_SUCCESS(status))
		return status;
	if (f->kind != NTIO_DISK || f->is_dir || !S_ISREG(file_inode(f->filp)->i_mode))
		status = STATUS_INVALID_FILE_FOR_SECTION;
	else
		*filp = get_file(f->filp);
	ntob_put(&f->obj);
	return status;
}

/* -------------------------------------------------------------------- */
/* delete by name, control codes */

/*
 * The LSM path hooks of rmdir(2) and chmod(2) are not exported to modules
 * (security_path_unlink/mkdir/mknod/rename are); they are found once by
 * name. Without them the operation is refused: skipping the hook would let
 * Landlock, AppArmor or TOMOYO path rules be bypassed.
 */
static int (*ntio_hook_path_rmdir)(const struct path *dir, struct dentry *dentry);
static int (*ntio_hook_path_chmod)(const struct path *path, umode_t mode);

static void *ntio_hook(void **cache, const char *name)
{
	void *fn = READ_ONCE(*cache);

	if (!fn) {
		fn = (void *)nt_lookup(name);
		if (fn)
			WRITE_ONCE(*cache, fn);
	}
	return fn;
}

static int ntio_security_path_rmdir(const struct path *dir, struct dentry *dentry)
{
	int (*fn)(const struct path *dir, struct dentry *dentry);

	if (!IS_ENABLED(CONFIG_SECURITY_PATH))
		return 0;
	fn = ntio_hook((void **)&ntio_hook_path_rmdir, "security_path_rmdir");
	return fn ? fn(dir, dentry) : -EOPNOTSUPP;
}

int ntio_security_path_chmod(const struct path *path, umode_t mode)
{
	int (*fn)(const struct path *path, umode_t mode);

	if (!IS_ENABLED(CONFIG_SECURITY_PATH))
		return 0;
	fn = ntio_hook((void **)&ntio_hook_path_chmod, "security_path_chmod");
	return fn ? fn(path, mode) : -EOPNOTSUPP;
}

/*
 * The checks do_unlinkat() / do_rmdir() make before the name goes, with
 * the caller's credentials and in their order: the LSM path hook, then
 * may_delete() (write and search permission on the directory, the sticky
 * bit, append-only and immutable inodes). @parent is locked and still
 * @dentry's parent. vfs_unlink() / vfs_rmdir() make may_delete() again
 * and add the LSM inode hooks; this copy of it exists to answer
 * STATUS_ACCESS_DENIED before a delete is promised (an open with DELETE,
 * FileDispositionInformation).
 */
static int ntio_may_delete_locked(struct vfsmount *mnt, struct dentry *parent,
				  struct dentry *dentry)
{
	struct user_namespace *ns = mnt_user_ns(mnt);
	struct inode *dir = d_inode(parent), *inode = d_backing_inode(dentry);
	struct path dir_path = { .mnt = mnt, .dentry = parent };
	int err;

	if (d_is_negative(dentry))
		return -ENOENT;
	err = d_is_dir(dentry) ? ntio_security_path_rmdir(&dir_path, dentry) :
				 security_path_unlink(&dir_path, dentry);
	if (err)
		return err;
	/* may_delete() */
	if (!uid_valid(i_uid_into_mnt(ns, inode)) ||
	    !gid_valid(i_gid_into_mnt(ns, inode)))
		return -EOVERFLOW;
	err = inode_permission(ns, dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if (IS_APPEND(dir) || check_sticky(ns, dir, inode) ||
	    IS_APPEND(inode) || IS_IMMUTABLE(inode) || IS_SWAPFILE(inode) ||
	    HAS_UNMAPPED_ID(ns, inode))
		return -EPERM;
	if (IS_DEADDIR(dir))
		return -ENOENT;
	if (d_mountpoint(dentry) || (dentry->d_flags & DCACHE_NFSFS_RENAMED))
		return -EBUSY;
	return 0;
}

/*
 * May the caller delete the name @path now? 0 or -errno, as unlink(2)
 * or rmdir(2) would answer (a read-only mount too).
 */
int ntio_may_delete(const struct path *path)
{
	struct dentry *dentry = path->dentry, *parent;
	struct inode *dir;
	int err;

	if (IS_ROOT(dentry))
		return -EBUSY;	/* a mount's root: its parent is out of reach */
	err = mnt_want_write(path->mnt);
	if (err)
		return err;
	parent = dget_parent(dentry);
	dir = d_inode(parent);
	inode_lock_nested(dir, I_MUTEX_PARENT);
	if (dentry->d_parent != parent || d_unhashed(dentry))
		err = -ENOENT;
	else
		err = ntio_may_delete_locked(path->mnt, parent, dentry);
	inode_unlock(dir);
	dput(parent);
	mnt_drop_write(path->mnt);
	return err;
}

/*
 * Delete the name @path with the current credentials, as unlink(2) or
 * rmdir(2) would: the LSM path hook, then vfs_unlink()/vfs_rmdir(), which
 * check may_delete() and the inode hooks. Deferred deletes run this under
 * the credentials of whoever asked for them (share.c).
 */
int ntio_unlink_path(const struct path *path)
{
	struct dentry *dentry = path->dentry, *parent;
	struct user_namespace *ns = mnt_user_ns(path->mnt);
	struct path dir_path = { .mnt = path->mnt };
	struct inode *dir;
	int err;

	err = mnt_want_write(path->mnt);
	if (err)
		return err;
	parent = dget_parent(dentry);
	dir_path.dentry = parent;
	dir = d_inode(parent);
	inode_lock_nested(dir, I_MUTEX_PARENT);
	if (dentry->d_parent != parent || d_unhashed(dentry)) {
		err = -ENOENT;
	} else if (d_is_dir(dentry)) {
		err = ntio_security_path_rmdir(&dir_path, dentry);
		if (!err)
			err = vfs_rmdir(ns, dir, dentry);
	} else {
		err = security_path_unlink(&dir_path, dentry);
		if (!err)
			err = vfs_unlink(ns, dir, dentry, NULL);
	}
	inode_unlock(dir);
	dput(parent);
	mnt_drop_write(path->mnt);
	return err;
}

NTSTATUS NtDeleteFile(const OBJECT_ATTRIBUTES __user *ObjectAttributes)
{
	struct ntio_target t;
	struct kstat st;
	struct path p;
	NTSTATUS status;
	int err;

	status = ntio_resolve_oa(ObjectAttributes, &t);
	if (!NT_SUCCESS(status))
		return status;
	if (t.kind != NTIO_DISK) {
		status = STATUS_ACCESS_DENIED;
		goto out;
	}
	if (!t.exists) {
		status = STATUS_OBJECT_NAME_NOT_FOUND;
		goto out;
	}
	err = kern_path(t.path, 0, &p);
	if (err) {
		status = nt_status_from_errno(err);
		goto out;
	}
	err = ntio_getattr(&p, &st);
	if (!err && !S_ISDIR(st.mode) && !(st.mode & 0222))
		status = STATUS_CANNOT_DELETE;
	else if (!err)
		status = ntio_share_check_delete(d_inode(p.dentry));
	else
		status = nt_status_from_errno(err);
	if (NT_SUCCESS(status)) {
		err = ntio_unlink_path(&p);
		if (err)
			status = nt_status_from_errno(err);
	}
	path_put(&p);
out:
	ntio_target_free(&t);
	return status;
}

static NTSTATUS ntio_control(HANDLE h)
{
	struct ntio_file *f;
	NTSTATUS status;

	status = ntio_ref_file(h, 0, &f);
	if (!NT_SUCCESS(status))
		return status;
	ntob_put(&f->obj);
	return STATUS_INVALID_DEVICE_REQUEST;
}

/* No device or file-system control codes are implemented. */
NTSTATUS NtFsControlFile(HANDLE FileHandle, HANDLE Event, void __user *ApcRoutine,
			 void __user *ApcContext,
			 IO_STATUS_BLOCK __user *IoStatusBlock, ULONG FsControlCode,
			 void __user *InputBuffer, ULONG InputBufferLength,
			 void __user *OutputBuffer, ULONG OutputBufferLength)
{
	return ntio_control(FileHandle);
}

NTSTATUS NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event,
			       void __user *ApcRoutine, void __user *ApcContext,
			       IO_STATUS_BLOCK __user *IoStatusBlock,
			       ULONG IoControlCode, void __user *InputBuffer,
			       ULONG InputBufferLength, void __user *OutputBuffer,
			       ULONG OutputBufferLength)
{
	return ntio_control(FileHandle);
}
