/* SPDX-License-Identifier: GPL-2.0 */
/*
 * I/O manager: NT file objects over Linux struct file, NT path resolution,
 * share-mode bookkeeping. Private to module/io/.
 */
#ifndef NTP_IO_H
#define NTP_IO_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/stat.h>
#include "ex/ex.h"
#include "ob/ob.h"
#include "nt/ntfile.h"

enum ntio_kind {
	NTIO_DISK,		/* a regular file or directory */
	NTIO_NULL,		/* \Device\Null, \??\NUL */
	NTIO_CONSOLE,		/* \??\CON: the caller's fd 0 / fd 1 */
};

struct ntio_share;
struct ntio_dir;

/*
 * A byte-range lock held through this file object (exact-match unlock).
 * @node is in owner->locks (under owner->lock); @inode_node in the share
 * record's list of every NT lock on the inode (under its spinlock), which
 * NtReadFile/NtWriteFile check (ntio_lock_check()).
 */
struct ntio_lock {
	struct list_head node;
	struct list_head inode_node;
	struct ntio_file *owner;
	u64 start;
	u64 len;
	u32 key;
	bool exclusive;
	short type;	/* the Linux lock taken for it: F_RDLCK, F_WRLCK, F_UNLCK (none) */
};

/* Do two locks' ranges overlap? Zero-length locks overlap nothing. */
static inline bool ntio_locks_overlap(const struct ntio_lock *a,
				      const struct ntio_lock *b)
{
	if (!a->len || !b->len)
		return false;
	return a->start <= b->start + (b->len - 1) &&
	       b->start <= a->start + (a->len - 1);
}

/*
 * The body of an NT "File" object. Set up once at create time except:
 * @lock (a mutex) guards @pos, @dir, @locks and @locks_closed; @share is
 * written under the share table's mutex and read under it or RCU
 * (share.c). Nothing sleeps on a lock wait while holding @lock, and the
 * callers that may wait behind a transfer take it killably: synchronous
 * I/O holds it across the copy to or from user memory, as Linux holds
 * f_pos_lock.
 */
struct ntio_file {
	struct ntob_object obj;
	enum ntio_kind kind;
	struct file *filp;		/* NULL for NTIO_NULL */
	struct file *filp_out;		/* NTIO_CONSOLE: fd 1 (filp is fd 0) */
	ACCESS_MASK access;		/* granted at open */
	u32 share_mode;			/* FILE_SHARE_* */
	u32 options;			/* CreateOptions */
	bool is_dir;
	struct ntio_share *share;
	WCHAR *name;			/* volume-relative NT name ("\a\b") */
	u16 name_len;			/* in WCHARs */
	struct mutex lock;
	u64 pos;			/* CurrentByteOffset */
	struct ntio_dir *dir;		/* directory enumeration state */
	struct list_head locks;
	bool locks_closed;		/* last handle gone: locks released, no new ones */
};

extern const struct ntob_type ntio_file_type;

static inline struct ntio_file *to_ntio_file(struct ntob_object *obj)
{
	return container_of(obj, struct ntio_file, obj);
}

/* path.c: NT name -> Linux path */
struct ntio_target {
	enum ntio_kind kind;
	char *path;		/* kmalloc'd absolute Linux path (NTIO_DISK) */
	bool exists;		/* the last component exists (exact name in @path) */
	WCHAR *nt_name;		/* volume-relative NT name for FileNameInformation */
	u16 nt_name_len;
};

NTSTATUS ntio_resolve(const struct nt_oa *oa, struct ntio_target *t);
/* file.c: a handle on the caller's fd (standard handles) */
NTSTATUS ntio_std_handle(unsigned int fd, HANDLE *h);
void ntio_target_free(struct ntio_target *t);
/* A name without backslashes, in the directory of @f (FileRenameInformation). */
NTSTATUS ntio_resolve_sibling(struct ntio_file *f, const struct nt_oa *oa,
			      struct ntio_target *t);
/* Capture @uoa and resolve it. */
NTSTATUS ntio_resolve_oa(const OBJECT_ATTRIBUTES __user *uoa,
			 struct ntio_target *t);

/* share.c */
NTSTATUS ntio_share_open(struct ntio_file *f);
void ntio_share_close(struct ntio_file *f);
/* STATUS_SUCCESS, or STATUS_FILE_CLOSED after the last handle's close */
NTSTATUS ntio_share_set_delete(struct ntio_file *f, bool del);
bool ntio_share_is_open(struct inode *inode);
/* fileinfo.c: FileBasicInformation's effect (times, READONLY), caller's creds */
NTSTATUS ntio_set_basic(struct ntio_file *f, const FILE_BASIC_INFORMATION *fbi);
bool ntio_share_get_delete(struct ntio_file *f);
/* May @inode be deleted by name now (NtDeleteFile)? */
NTSTATUS ntio_share_check_delete(struct inode *inode);
/*
 * Byte-range locks as seen by every NT open of the inode (f->lock held):
 * add fails (false) when another file object's lock conflicts; del wakes
 * the waiters. ntio_share_lock_wait() sleeps, without f->lock, until @l
 * may go or @f is closed: 0 or -ERESTARTSYS.
 */
bool ntio_share_lock_add(struct ntio_file *f, struct ntio_lock *l);
void ntio_share_lock_del(struct ntio_file *f, struct ntio_lock *l);
int ntio_share_lock_wait(struct ntio_file *f, const struct ntio_lock *l);
void ntio_share_lock_wake(struct ntio_file *f);
/*
 * Mandatory locks: may @f read (@write false) or write [@pos, @pos + @len)?
 * @pos -1 is the file pointer. STATUS_SUCCESS or STATUS_FILE_LOCK_CONFLICT.
 */
NTSTATUS ntio_lock_check(struct ntio_file *f, s64 pos, u32 len, bool write);

/* fileinfo.c: attributes and times */
bool ntio_name_hidden(const char *name, u32 len);
u32 ntio_attributes(const struct kstat *st, bool hidden);
s64 ntio_time(const struct timespec64 *ts);
int ntio_getattr(const struct path *path, struct kstat *st);
void ntio_fill_basic(const struct kstat *st, bool hidden,
		     FILE_BASIC_INFORMATION *fbi);
void ntio_fill_network(const struct kstat *st, bool hidden,
		       FILE_NETWORK_OPEN_INFORMATION *fni);
/* file.c: delete by path: unlink, or rmdir (must be empty) */
int ntio_unlink_path(const struct path *path);
/* may the caller delete @path (unlink(2)'s checks, LSM included)? */
int ntio_may_delete(const struct path *path);
/* chmod(2)'s LSM path hook (not exported: looked up) */
int ntio_security_path_chmod(const struct path *path, umode_t mode);

/* dir.c */
void ntio_dir_free(struct ntio_dir *d);
bool ntio_dir_is_empty(const struct path *path);

/*
 * For mm/section.c: the struct file behind a disk-file handle that grants
 * @access (FILE_READ_DATA, FILE_WRITE_DATA, FILE_EXECUTE), referenced
 * (fput() it). STATUS_INVALID_HANDLE, STATUS_OBJECT_TYPE_MISMATCH,
 * STATUS_ACCESS_DENIED, STATUS_INVALID_FILE_FOR_SECTION (a directory or a
 * device).
 */
NTSTATUS ntio_file_for_section(HANDLE h, ACCESS_MASK access, struct file **filp);

/* file.c */
NTSTATUS ntio_ref_file(HANDLE h, ACCESS_MASK access, struct ntio_file **f);
NTSTATUS ntio_put_iosb(IO_STATUS_BLOCK __user *iosb, NTSTATUS status,
		       u32 information);
/* event argument of an I/O service: reference it (or NULL) */
NTSTATUS ntio_ref_event(HANDLE event, struct ntob_object **obj);
void ntio_complete_event(struct ntob_object *ev);

#endif /* NTP_IO_H */
