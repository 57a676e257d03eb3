// SPDX-License-Identifier: GPL-2.0
/*
 * Share modes and delete-on-close between NT file objects.
 *
 * One struct ntio_share per inode opened through NT handles, found in a
 * small hash table keyed by the inode pointer (the open files pin the
 * inode). It counts the opens that asked for read/write/delete access and
 * the opens that allow others to read/write/delete, the check Windows'
 * IoCheckShareAccess makes: a new open conflicts if it wants an access
 * that an existing open does not share, or refuses to share an access an
 * existing open has. Opens with no read, write or delete access (e.g.
 * attributes only) neither check nor count.
 *
 * Delete-pending (FileDispositionInformation, FILE_DELETE_ON_CLOSE) also
 * lives here: the name is removed when the last NT open of the inode
 * closes, and new opens of a delete-pending file get STATUS_DELETE_PENDING.
 * Linux opens are not seen: share modes bind NT handles only.
 *
 * Credentials: the last close can happen anywhere: NtClose by the owner,
 * a close by another process the handle was duplicated into, or the exit
 * teardown of a process, which runs on a workqueue as root. The delete
 * therefore keeps the credentials of the task that asked for it (checked
 * with them then: ntio_may_delete()) and the unlink runs under them
 * (override_creds), so the VFS and the LSMs see that task and refuse what
 * it may not do, whoever closes last. This is ksmbd's rule for its
 * deferred deletes.
 *
 * The record also lists every NT byte-range lock on the inode, whatever
 * file object holds it, because Windows locks are mandatory: NtReadFile
 * and NtWriteFile ask ntio_lock_check() first. The rules are those of
 * FsRtlFastCheckLockForRead/Write (ReactOS ntoskrnl/fsrtl/filelock.c;
 * LockFileEx in the Win32 documentation: an exclusive lock denies other
 * handles read and write, a shared lock denies everyone write, its holder
 * included), with the file object as the owner: the Key of a lock and of
 * an I/O are not compared, and a handle inherited by a forked process is
 * the same owner. Linux read()/write() and mappings are not checked.
 *
 * Locking: ntio_share_lock (a mutex) guards the table and every record's
 * counts. @locks_lock (a spinlock, inside the owning file's f->lock when
 * both are taken) guards @locks and @nlocks. Records are freed after an
 * RCU grace period, so ntio_lock_check() reads f->share and @nlocks
 * without the mutex: one load when the inode has no NT locks.
 *
 * f->share goes NULL when the file object's last handle closes, while
 * other threads may still hold references to the object (a call that
 * looked the handle up just before NtClose): everyone else reads it
 * under ntio_share_lock (or RCU) and finds it gone, never a NULL or freed
 * record (STATUS_FILE_CLOSED, as Windows answers for a file object after
 * its cleanup).
 *
 * Lock requests that conflict with another file object's NT lock wait
 * (NtLockFile with FailImmediately FALSE) on the inode's address
 * (wait_var_event): every lock leaving @locks wakes them.
 */
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include "io/io.h"

struct ntio_share {
	struct hlist_node node;
	struct inode *inode;
	u32 refs;		/* NT file objects pointing here */
	u32 opens;		/* opens with read, write or delete access */
	u32 readers, writers, deleters;
	u32 shared_read, shared_write, shared_delete;
	bool delete_pending;
	u32 doc_opens;		/* file objects opened FILE_DELETE_ON_CLOSE */
	struct path delete_path;	/* the name to remove */
	const struct cred *delete_cred;	/* ... by whom (who asked) */
	spinlock_t locks_lock;	/* guards locks, nlocks */
	struct list_head locks;	/* struct ntio_lock.inode_node, all holders */
	unsigned int nlocks;	/* entries in locks; read without the lock */
	struct rcu_head rcu;
};

static DEFINE_HASHTABLE(ntio_shares, 6);
static DEFINE_MUTEX(ntio_share_lock);

#define NTIO_READ_ACCESS	(FILE_READ_DATA | FILE_EXECUTE)
#define NTIO_WRITE_ACCESS	(FILE_WRITE_DATA | FILE_APPEND_DATA)

static struct ntio_share *ntio_share_find(struct inode *inode)
{
	struct ntio_share *s;

	hash_for_each_possible(ntio_shares, s, node, (unsigned long)inode)
		if (s->inode == inode)
			return s;
	return NULL;
}

/* Does @s as it is allow an open with @access and @share? */
static bool ntio_share_ok(struct ntio_share *s, u32 access, u32 share)
{
	bool r = access & NTIO_READ_ACCESS, w = access & NTIO_WRITE_ACCESS;
	bool d = access & DELETE;

	if (!r && !w && !d)
		return true;
	if ((r && s->shared_read < s->opens) ||
	    (w && s->shared_write < s->opens) ||
	    (d && s->shared_delete < s->opens))
		return false;
	if ((s->readers && !(share & FILE_SHARE_READ)) ||
	    (s->writers && !(share & FILE_SHARE_WRITE)) ||
	    (s->deleters && !(share & FILE_SHARE_DELETE)))
		return false;
	return true;
}

static void ntio_share_count(struct ntio_share *s, u32 access, u32 share,
			     int delta)
{
	if (!(access & (NTIO_READ_ACCESS | NTIO_WRITE_ACCESS | DELETE)))
		return;
	s->opens += delta;
	s->readers += (access & NTIO_READ_ACCESS) ? delta : 0;
	s->writers += (access & NTIO_WRITE_ACCESS) ? delta : 0;
	s->deleters += (access & DELETE) ? delta : 0;
	s->shared_read += (share & FILE_SHARE_READ) ? delta : 0;
	s->shared_write += (share & FILE_SHARE_WRITE) ? delta : 0;
	s->shared_delete += (share & FILE_SHARE_DELETE) ? delta : 0;
}

NTSTATUS ntio_share_open(struct ntio_file *f)
{
	struct inode *inode = file_inode(f->filp);
	struct ntio_share *s, *new;
	NTSTATUS status = STATUS_SUCCESS;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return STATUS_NO_MEMORY;
	mutex_lock(&ntio_share_lock);
	s = ntio_share_find(inode);
	if (!s) {
		s = new;
		new = NULL;
		s->inode = inode;
		spin_lock_init(&s->locks_lock);
		INIT_LIST_HEAD(&s->locks);
		hash_add(ntio_shares, &s->node, (unsigned long)inode);
	}
	if (s->delete_pending)
		status = STATUS_DELETE_PENDING;
	else if (!ntio_share_ok(s, f->access, f->share_mode))
		status = STATUS_SHARING_VIOLATION;
	if (NT_SUCCESS(status)) {
		ntio_share_count(s, f->access, f->share_mode, 1);
		s->doc_opens += !!(f->options & FILE_DELETE_ON_CLOSE);
		s->refs++;
		f->share = s;
	} else if (!s->refs) {
		hash_del(&s->node);
		kfree(s);
	}
	mutex_unlock(&ntio_share_lock);
	kfree(new);
	return status;
}

/* The file object closes: drop its counts; the last one deletes. */
void ntio_share_close(struct ntio_file *f)
{
	struct ntio_share *s = f->share;
	const struct cred *cred = NULL, *old;
	struct path del = {};

	if (!s)
		return;
	mutex_lock(&ntio_share_lock);
	ntio_share_count(s, f->access, f->share_mode, -1);
	s->doc_opens -= !!(f->options & FILE_DELETE_ON_CLOSE);
	WRITE_ONCE(f->share, NULL);
	if (--s->refs) {
		s = NULL;
	} else {
		hash_del(&s->node);
		if (s->delete_pending) {
			del = s->delete_path;
			cred = s->delete_cred;
		}
	}
	mutex_unlock(&ntio_share_lock);
	if (del.dentry) {
		/* best effort: the handle is gone; as the asker, see the top */
		old = override_creds(cred);
		ntio_unlink_path(&del);
		revert_creds(old);
		put_cred(cred);
		path_put(&del);
	}
	if (s) {
		/* every file object has released its locks (ntio_unlock_all) */
		WARN_ON_ONCE(s->nlocks);
		kfree_rcu(s, rcu);	/* ntio_lock_check() may still look */
	}
}

/*
 * @f's caller asks for the name to go at the last close (@del) or not any
 * more. The caller has checked that it may delete (ntio_may_delete());
 * its credentials are kept for the unlink. A second request while one is
 * pending keeps the first asker's.
 */
NTSTATUS ntio_share_set_delete(struct ntio_file *f, bool del)
{
	const struct cred *put = NULL;
	struct path drop = {};
	struct ntio_share *s;

	mutex_lock(&ntio_share_lock);
	s = f->share;
	if (!s) {
		/* the last handle was closed under us: the record is gone */
		mutex_unlock(&ntio_share_lock);
		return STATUS_FILE_CLOSED;
	}
	/*
	 * FILE_DELETE_ON_CLOSE marks the file at the cleanup of its file
	 * object, whatever the disposition was set to meanwhile (Wine
	 * ntdll/tests/file.c, test_file_disposition_information): while
	 * such an object is open, a reset to FALSE succeeds and changes
	 * nothing. The mark is set at open here, so it is simply kept.
	 */
	if (!del && s->doc_opens) {
		mutex_unlock(&ntio_share_lock);
		return STATUS_SUCCESS;
	}
	if (del && !s->delete_pending) {
		s->delete_path = f->filp->f_path;
		path_get(&s->delete_path);
		s->delete_cred = get_current_cred();
	} else if (!del && s->delete_pending) {
		drop = s->delete_path;
		put = s->delete_cred;
		memset(&s->delete_path, 0, sizeof(s->delete_path));
		s->delete_cred = NULL;
	}
	s->delete_pending = del;
	mutex_unlock(&ntio_share_lock);
	if (drop.dentry)
		path_put(&drop);
	if (put)
		put_cred(put);
	return STATUS_SUCCESS;
}

bool ntio_share_get_delete(struct ntio_file *f)
{
	bool del;

	mutex_lock(&ntio_share_lock);
	del = f->share && f->share->delete_pending;
	mutex_unlock(&ntio_share_lock);
	return del;
}

/*
 * Is @inode open through an NT file object? A rename may not replace
 * such a file (Windows: STATUS_ACCESS_DENIED).
 */
bool ntio_share_is_open(struct inode *inode)
{
	bool open;

	mutex_lock(&ntio_share_lock);
	open = ntio_share_find(inode);
	mutex_unlock(&ntio_share_lock);
	return open;
}

/*
 * NtDeleteFile: the name may go now unless an NT open of the inode does
 * not share delete (STATUS_SHARING_VIOLATION) or it is already going
 * (STATUS_DELETE_PENDING).
 */
NTSTATUS ntio_share_check_delete(struct inode *inode)
{
	struct ntio_share *s;
	NTSTATUS status = STATUS_SUCCESS;

	mutex_lock(&ntio_share_lock);
	s = ntio_share_find(inode);
	if (s && s->delete_pending)
		status = STATUS_DELETE_PENDING;
	else if (s && !ntio_share_ok(s, DELETE, FILE_SHARE_VALID_FLAGS))
		status = STATUS_SHARING_VIOLATION;
	mutex_unlock(&ntio_share_lock);
	return status;
}

/* -------------------------------------------------------------------- */
/* mandatory byte-range locks */

/*
 * Does another file object's NT lock stand in the way of @l for @f? An
 * exclusive lock conflicts with every overlapping lock, a shared one with
 * overlapping exclusive ones. @f's own locks are checked by the caller
 * (they fail at once instead of waiting). Under s->locks_lock.
 */
static bool ntio_share_lock_conflict(struct ntio_share *s, struct ntio_file *f,
				     const struct ntio_lock *l)
{
	struct ntio_lock *it;

	lockdep_assert_held(&s->locks_lock);
	list_for_each_entry(it, &s->locks, inode_node)
		if (it->owner != f && (it->exclusive || l->exclusive) &&
		    ntio_locks_overlap(it, l))
			return true;
	return false;
}

/*
 * Grant @l to @f in the inode's list unless another file object's lock
 * conflicts (false). f->lock held and f->share set: the file is open.
 * The list, not the Linux lock, decides between NT file objects: the
 * Linux lock of a handle may be weaker than the NT one (file.c).
 */
bool ntio_share_lock_add(struct ntio_file *f, struct ntio_lock *l)
{
	struct ntio_share *s = f->share;
	bool ok;

	lockdep_assert_held(&f->lock);
	l->owner = f;
	spin_lock(&s->locks_lock);
	ok = !ntio_share_lock_conflict(s, f, l);
	if (ok) {
		list_add_tail(&l->inode_node, &s->locks);
		WRITE_ONCE(s->nlocks, s->nlocks + 1);
	}
	spin_unlock(&s->locks_lock);
	return ok;
}

void ntio_share_lock_del(struct ntio_file *f, struct ntio_lock *l)
{
	struct ntio_share *s = f->share;

	lockdep_assert_held(&f->lock);
	spin_lock(&s->locks_lock);
	list_del(&l->inode_node);
	WRITE_ONCE(s->nlocks, s->nlocks - 1);
	spin_unlock(&s->locks_lock);
	ntio_share_lock_wake(f);
}

/* Lock waiters of the inode of @f look again (a lock went, @f closed). */
void ntio_share_lock_wake(struct ntio_file *f)
{
	/* pairs with the waiter's set_current_state() in wait_var_event */
	smp_mb();
	wake_up_var(file_inode(f->filp));
}

/* May @l be worth another try: no conflict now, or @f closed? */
static bool ntio_share_lock_may_go(struct ntio_file *f,
				   const struct ntio_lock *l)
{
	struct ntio_share *s;
	bool conflict = false;

	rcu_read_lock();
	s = READ_ONCE(f->share);
	if (s && !READ_ONCE(f->locks_closed)) {
		spin_lock(&s->locks_lock);
		conflict = ntio_share_lock_conflict(s, f, l);
		spin_unlock(&s->locks_lock);
	}
	rcu_read_unlock();
	return !conflict;
}

/*
 * Sleep until @l may be granted to @f, without f->lock (I/O on @f goes
 * on meanwhile) and interruptibly. 0 or -ERESTARTSYS; the caller tries
 * again under f->lock.
 */
int ntio_share_lock_wait(struct ntio_file *f, const struct ntio_lock *l)
{
	return wait_var_event_interruptible(file_inode(f->filp),
					    ntio_share_lock_may_go(f, l));
}

static bool ntio_io_overlaps(const struct ntio_lock *l, u64 pos, u32 len)
{
	u64 end = pos + len - 1;

	if (!l->len)
		return false;	/* zero-length locks never block I/O */
	if (end < pos)
		end = U64_MAX;
	return l->start <= end && pos <= l->start + (l->len - 1);
}

/* Does a lock on @s forbid @f this transfer? Under s->locks_lock. */
static bool ntio_lock_conflict_state(struct ntio_share *s, struct ntio_file *f,
				     u64 pos, u32 len, bool write)
{
	struct ntio_lock *l;

	lockdep_assert_held(&s->locks_lock);
	list_for_each_entry(l, &s->locks, inode_node) {
		if (!ntio_io_overlaps(l, pos, len))
			continue;
		if (!l->exclusive ? write : l->owner != f)
			return true;
	}
	return false;
}

/*
 * Called by ntio_io_begin() for disk files. Nothing stops another handle
 * from taking a lock while a checked transfer is under way: that transfer
 * completes, as one that started just before the lock would. f->lock is
 * taken only for the file pointer, which synchronous I/O locks anyway: a
 * NtLockFile waiting under it must not stall I/O with explicit offsets.
 */
NTSTATUS ntio_lock_check(struct ntio_file *f, s64 pos, u32 len, bool write)
{
	struct ntio_share *s;
	bool conflict = false;

	if (!len)
		return STATUS_SUCCESS;
	rcu_read_lock();
	s = READ_ONCE(f->share);
	if (likely(!s || !READ_ONCE(s->nlocks))) {
		rcu_read_unlock();
		return STATUS_SUCCESS;
	}
	rcu_read_unlock();

	if (pos == -1) {
		int err = mutex_lock_killable(&f->lock);

		if (err)
			return nt_status_from_errno(err);
		pos = f->pos;
		mutex_unlock(&f->lock);
	}
	/* locks leave the list under locks_lock before they are freed */
	rcu_read_lock();
	s = READ_ONCE(f->share);
	if (s) {
		spin_lock(&s->locks_lock);
		conflict = ntio_lock_conflict_state(s, f, pos, len, write);
		spin_unlock(&s->locks_lock);
	}
	rcu_read_unlock();
	return conflict ? STATUS_FILE_LOCK_CONFLICT : STATUS_SUCCESS;
}
