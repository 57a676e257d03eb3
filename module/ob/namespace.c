// SPDX-License-Identifier: GPL-2.0
/*
 * The object namespace: directory objects, path lookup with symbolic link
 * reparsing, naming objects at creation, opening them by name, and the
 * directory services.
 *
 * Scope: one namespace per module instance, shared by every attached
 * process (named events and mutexes are how Windows programs talk to each
 * other); there is no per-user or per-session split. Roots created at load
 * and permanent: '\', '\BaseNamedObjects' (with 'Global' and 'Local' links
 * back to itself, as kernel32 expects) and '\??' (whose drive links io/
 * fills in).
 *
 * Security (issue 12): every object has an owner, the creator's euid, and
 * a @world mask (ob.h). Opening a name (NtOpenXxx, or NtCreateXxx with
 * OBJ_OPENIF of an existing name) and creating a name inside a directory
 * go through ntob_access_check(): the owner and CAP_IPC_OWNER get what
 * they ask for, everyone else only what @world grants, else
 * STATUS_ACCESS_DENIED. A SECURITY_DESCRIPTOR with a NULL DACL makes
 * @world everything, a real DACL what it allows Everyone (S-1-1-0); no
 * descriptor leaves it empty. '\BaseNamedObjects' lets everyone create
 * names in it, as on XP; '\' and '\??' may be listed by everyone but
 * only root creates in them. Intermediate directories are not checked
 * (Windows' traverse checking is bypassed for everyone by default).
 * OBJ_PERMANENT needs CAP_SYS_ADMIN (SeCreatePermanentPrivilege): a
 * permanent name outlives its creator, and so does what the object holds
 * (a running timer, a file).
 *
 * Scale (issue 19): each directory has a hash table that doubles as it
 * fills (load factor at most 1, so a lookup compares about one name
 * whatever the directory holds) and an xarray of its entries, each at an
 * index that stays its own while it is named (the lowest free one when it
 * was named): the cursor NtQueryDirectoryObject's Context resumes from in
 * O(log64 N) instead of walking from the first entry.
 * Both are charged to the memcg of whoever adds the entry.
 *
 * Locking: no global lock, and no lock at all to look a name up. Each
 * directory's mutex @lock guards changes to its hash table, its entries
 * xarray's contents and @count, and the name link of every object in it
 * (@dir, @hash_node, @dir_index). Lookups walk the hash chains under
 * rcu_read_lock() alone (ntob_dir_get()): chains change with the _rcu
 * list primitives, objects (and their names) and bucket arrays are freed
 * after a grace period (ob.h, "Lifetime"), an entry found is referenced
 * with ntob_get_unless_zero() and then checked to be still the
 * directory's (@dir), and a miss counts only if no rehash moved entries
 * meanwhile (@resize). Whatever is unsure is looked up again under the
 * directory's lock, where a named object always has a reference (a
 * handle's or the permanent pin) until it is unlinked, so kref_get() is
 * safe. ntob_path_of() reads the @dir chain and the names under RCU too,
 * and ntob_unname() references an object's directory
 * (kref_get_unless_zero) to lock it.
 *
 * "Last handle closed -> unname" against "found by name -> new handle":
 * ntob_unname() unlinks only an object with no handle, under the lock of
 * its directory. A lock-free open counts its handle before making it,
 * but only on an object that has a handle (ntob_dir_reserve():
 * atomic_inc_not_zero), then checks the object is still named: from then
 * on the count cannot reach zero, so the name stays. An object with no
 * handle (its last one closing, a permanent name, a create not yet
 * done) is opened under the directory's lock instead, the handle made
 * before the lock is dropped. So an open that finds a name keeps it, and
 * a name whose last close returned is never found. Creates (and the
 * NtQueryDirectoryObject cursor) take the lock of the one directory
 * they change; everything else runs in parallel.
 *
 * Symbolic link targets are immutable (symlink.c), so reparsing needs no
 * lock either: each walk sees every directory as it was when it looked.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include "ob/ob.h"

#define NTOB_DIR_MIN_BITS	4	/* 16 buckets in a new directory */
#define NTOB_DIR_MAX_BITS	24
#define NTOB_MAX_REPARSE	32
#define NTOB_QUERY_MAX		0x10000	/* bytes of one query's answer */
/* the smallest entry: a record, a 1-char name, a 3-char type name */
#define NTOB_QUERY_MIN_ENTRY	(sizeof(OBJECT_DIRECTORY_INFORMATION) + 4 + 8)
/* entries of one answer: a page of pointers (more: STATUS_MORE_ENTRIES) */
#define NTOB_QUERY_MAX_ENTRIES	(PAGE_SIZE / sizeof(void *))
#define STATUS_MORE_ENTRIES	((NTSTATUS)0x00000105)

/* A directory's hash buckets: replaced whole when they double. */
struct ntob_dir_hash {
	struct rcu_head rcu;
	u8 bits;			/* 1 << @bits buckets */
	struct hlist_head b[];
};

struct ntob_directory {
	struct ntob_object ob;
	struct mutex lock;		/* guards what follows ("Locking") */
	struct ntob_dir_hash __rcu *hash;
	/* odd while a rehash moves entries: a lock-free miss is unsure */
	seqcount_t resize;
	u32 count;
	struct xarray entries;		/* dir_index -> object: the listing */
};

static struct ntob_directory *ntob_root, *ntob_bno, *ntob_dosdevices;
static struct ntob_directory *to_dir(struct ntob_object *obj)
{
	return container_of(obj, struct ntob_directory, ob);
}

/* What XP's Everyone has on the namespace directories the module makes. */
#define NTOB_DIR_WORLD_READ	(READ_CONTROL | DIRECTORY_QUERY | DIRECTORY_TRAVERSE)
#define NTOB_DIR_WORLD_CREATE	(NTOB_DIR_WORLD_READ | DIRECTORY_CREATE_OBJECT | \
				 DIRECTORY_CREATE_SUBDIRECTORY)
#define NTOB_LINK_WORLD_READ	(READ_CONTROL | SYMBOLIC_LINK_QUERY)

NTSTATUS ntob_access_check(struct ntob_object *obj, ACCESS_MASK desired,
			   ACCESS_MASK *granted)
{
	const struct ntob_type *type = obj->type;
	ACCESS_MASK want = ntob_map_access(type, desired & ~MAXIMUM_ALLOWED);
	ACCESS_MASK world = READ_ONCE(obj->world) & type->valid_access;

	/* Enough for anyone: no need to ask for a capability (and audit it). */
	if (world && !(want & ~world) && !(desired & MAXIMUM_ALLOWED)) {
		*granted = want;
		return STATUS_SUCCESS;
	}
	/* The default DACL of a user's objects: the owner and root, all. */
	if (uid_eq(obj->owner, current_euid()) || capable(CAP_IPC_OWNER)) {
		*granted = ntob_map_access(type, desired);
		return STATUS_SUCCESS;
	}
	/* Nothing granted is a denial, also for DesiredAccess 0 (SeAccessCheck). */
	if (!world || (want & ~world))
		return STATUS_ACCESS_DENIED;
	*granted = want | world;	/* MAXIMUM_ALLOWED */
	return STATUS_SUCCESS;
}

/* S-1-1-0: revision 1, one sub-authority, authority 1 (big-endian), RID 0. */
static const u8 ntob_sid_everyone[12] = { 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 };

/*
 * What the DACL at @uacl gives Everyone: its allow and deny ACEs naming
 * S-1-1-0 in order, the first ACE that names a bit deciding it, as
 * SeAccessCheck does. ACEs for other SIDs are ignored: no Linux user is
 * mapped to a SID, so they grant nobody but the owner and root (who have
 * everything anyway); a deny for another SID is not enforced.
 */
static NTSTATUS ntob_acl_world(const struct ntob_type *type, u32 uacl,
			       ACCESS_MASK *world)
{
	ACCESS_MASK decided = 0, mask;
	u32 off = sizeof(ACL), i;
	NTSTATUS st;
	ACE_HEADER ah;
	ACL hdr;
	u8 *acl;

	st = nt_copy_in(&hdr, nt_uptr(uacl), sizeof(hdr));
	if (!NT_SUCCESS(st))
		return st;
	if (hdr.AclRevision < ACL_REVISION || hdr.AclRevision > ACL_REVISION_DS ||
	    hdr.AclSize < sizeof(hdr))
		return STATUS_INVALID_ACL;
	acl = kmalloc(hdr.AclSize, GFP_KERNEL_ACCOUNT);	/* < 64 KiB */
	if (!acl)
		return STATUS_INSUFFICIENT_RESOURCES;
	st = nt_copy_in(acl, nt_uptr(uacl), hdr.AclSize);
	for (i = 0; NT_SUCCESS(st) && i < hdr.AceCount; i++, off += ah.AceSize) {
		if (off + sizeof(ah) > hdr.AclSize) {
			st = STATUS_INVALID_ACL;
			break;
		}
		memcpy(&ah, acl + off, sizeof(ah));
		if (ah.AceSize < sizeof(ah) || ah.AceSize > hdr.AclSize - off) {
			st = STATUS_INVALID_ACL;
			break;
		}
		if ((ah.AceType != ACCESS_ALLOWED_ACE_TYPE &&
		     ah.AceType != ACCESS_DENIED_ACE_TYPE) ||
		    (ah.AceFlags & INHERIT_ONLY_ACE) ||
		    ah.AceSize < offsetof(ACCESS_ALLOWED_ACE, SidStart) +
				 sizeof(ntob_sid_everyone) ||
		    memcmp(acl + off + offsetof(ACCESS_ALLOWED_ACE, SidStart),
			   ntob_sid_everyone, sizeof(ntob_sid_everyone)))
			continue;
		memcpy(&mask, acl + off + offsetof(ACCESS_ALLOWED_ACE, Mask),
		       sizeof(mask));
		mask = ntob_map_access(type, mask & ~MAXIMUM_ALLOWED);
		if (ah.AceType == ACCESS_ALLOWED_ACE_TYPE)
			*world |= mask & ~decided;
		decided |= mask;
	}
	kfree(acl);
	if (!NT_SUCCESS(st))
		*world = 0;
	return st;
}

/*
 * What OBJECT_ATTRIBUTES.SecurityDescriptor @usd gives everyone on a new
 * object of @type: everything for a NULL DACL (SE_DACL_PRESENT, no DACL:
 * what programs pass to share an object on purpose), what its ACEs for
 * Everyone allow for a real DACL, nothing without a descriptor or a DACL
 * (the default DACL: owner and root only). Dacl is at the same offset in
 * the absolute and the self-relative layout (there an offset from the
 * descriptor), and 0 is "none" in both.
 */
static NTSTATUS ntob_sd_world(const struct ntob_type *type, u32 usd,
			      ACCESS_MASK *world)
{
	SECURITY_DESCRIPTOR sd;
	NTSTATUS st;

	*world = 0;
	if (!usd)
		return STATUS_SUCCESS;
	st = nt_copy_in(&sd, nt_uptr(usd), sizeof(sd));
	if (!NT_SUCCESS(st))
		return st;
	if (sd.Revision != SECURITY_DESCRIPTOR_REVISION)
		return STATUS_INVALID_SECURITY_DESCR;
	if (!(sd.Control & SE_DACL_PRESENT))
		return STATUS_SUCCESS;
	if (!sd.Dacl) {
		*world = type->valid_access;
		return STATUS_SUCCESS;
	}
	return ntob_acl_world(type, sd.Control & SE_SELF_RELATIVE ?
			      usd + sd.Dacl : sd.Dacl, world);
}

/*
 * The last reference: empty by then (every entry held one on us). A
 * lock-free lookup may still be reading the buckets; ob frees @d itself
 * after a grace period.
 */
static void ntob_dir_destroy(struct ntob_object *obj)
{
	struct ntob_directory *d = container_of(obj, struct ntob_directory, ob);

	WARN_ON_ONCE(d->count);
	xa_destroy(&d->entries);
	kvfree_rcu(rcu_dereference_protected(d->hash, true), rcu);
}

const struct ntob_type ntob_directory_type = {
	.name = "Directory",
	.index = NTOB_TYPE_DIRECTORY,
	.valid_access = DIRECTORY_ALL_ACCESS,
	.mapping = {
		READ_CONTROL | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
		READ_CONTROL | DIRECTORY_CREATE_OBJECT | DIRECTORY_CREATE_SUBDIRECTORY,
		READ_CONTROL | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
		DIRECTORY_ALL_ACCESS,
	},
	.destroy = ntob_dir_destroy,
};

static struct ntob_dir_hash *ntob_buckets_alloc(u8 bits)
{
	struct ntob_dir_hash *t;
	u32 i;

	t = kvmalloc(struct_size(t, b, 1U << bits), GFP_KERNEL_ACCOUNT);
	if (t) {
		t->bits = bits;
		for (i = 0; i < 1U << bits; i++)
			INIT_HLIST_HEAD(&t->b[i]);
	}
	return t;
}

static struct ntob_directory *ntob_dir_alloc(void)
{
	struct ntob_directory *d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);

	BUILD_BUG_ON(offsetof(struct ntob_directory, ob));
	if (!d)
		return NULL;
	RCU_INIT_POINTER(d->hash, ntob_buckets_alloc(NTOB_DIR_MIN_BITS));
	if (!rcu_access_pointer(d->hash)) {
		kfree(d);
		return NULL;
	}
	mutex_init(&d->lock);
	seqcount_init(&d->resize);
	xa_init_flags(&d->entries, XA_FLAGS_ALLOC | XA_FLAGS_ACCOUNT);
	ntob_object_init(&d->ob, &ntob_directory_type);
	return d;
}

/* Case-folded, so that both lookups of a name land in the same bucket. */
static u32 ntob_hash(const WCHAR *s, u16 len)
{
	u32 h = 0;

	while (len--)
		h = h * 31 + ntob_upcase(*s++);
	return h;
}

/* The buckets of @d, under its lock or RCU. */
static struct ntob_dir_hash *ntob_dir_hash(struct ntob_directory *d)
{
	return rcu_dereference_check(d->hash, lockdep_is_held(&d->lock));
}

static struct hlist_head *ntob_bucket(struct ntob_dir_hash *t, u32 hash)
{
	return &t->b[hash_32(hash, t->bits)];
}

static bool ntob_name_eq(const struct ntob_object *obj, const WCHAR *s, u16 len,
			 bool ci)
{
	u16 i;

	if (obj->name_len != len)
		return false;
	if (!ci)
		return !memcmp(obj->name, s, len * sizeof(WCHAR));
	for (i = 0; i < len; i++)
		if (ntob_upcase(obj->name[i]) != ntob_upcase(s[i]))
			return false;
	return true;
}

/*
 * Under @d's lock, or under RCU alone: then an entry found may be leaving
 * (reference it with ntob_get_unless_zero() and check it is still @d's),
 * and a miss is sure only if no rehash ran meanwhile (ntob_dir_get()).
 * Names, name lengths and hashes are written before an entry is
 * published (hlist_add_head_rcu) and freed only after a grace period.
 */
static struct ntob_object *ntob_dir_find(struct ntob_directory *d,
					 const WCHAR *s, u16 len, u32 h, bool ci)
{
	struct ntob_object *obj;

	hlist_for_each_entry_rcu(obj, ntob_bucket(ntob_dir_hash(d), h), hash_node,
				 lockdep_is_held(&d->lock))
		if (obj->hash == h && ntob_name_eq(obj, s, len, ci))
			return obj;
	return NULL;
}

/*
 * Find @s in @d and reference it without @d's lock (issue 19): NULL for a
 * sure miss, the entry, or ERR_PTR(-EAGAIN) when the caller must look
 * again under the lock:
 * - a rehash ran meanwhile (@resize changed), so a miss may be false;
 * - the entry's last reference is gone (then it was unlinked: a named
 *   object is referenced by its handles or its pin until then);
 * - it is no longer @d's. Checked after the reference: an entry once
 *   unlinked is never linked again, so @dir still @d means the name is
 *   there now, and a name whose removal returned is never found.
 */
static struct ntob_object *ntob_dir_get(struct ntob_directory *d,
					const WCHAR *s, u16 len, u32 h, bool ci)
{
	struct ntob_object *obj;
	unsigned int seq;

	rcu_read_lock();
	seq = raw_seqcount_begin(&d->resize);
	obj = ntob_dir_find(d, s, len, h, ci);
	if (!obj) {
		if (read_seqcount_retry(&d->resize, seq))
			obj = ERR_PTR(-EAGAIN);
		rcu_read_unlock();
		return obj;
	}
	if (!ntob_get_unless_zero(obj)) {
		rcu_read_unlock();
		return ERR_PTR(-EAGAIN);
	}
	rcu_read_unlock();
	smp_rmb();	/* @dir after the reference, which orders nothing */
	if (READ_ONCE(obj->dir) != &d->ob) {
		ntob_put(obj);
		return ERR_PTR(-EAGAIN);
	}
	return obj;
}

/*
 * An open by name found @obj in @d without the lock: count its new handle
 * now (ntob_handle_reserve()), so that its name cannot go before the
 * handle is made, which the lock gave the locked path ("Locking"). Fails
 * (the caller looks again under the lock) when @obj has no handle: its
 * last one is being closed and its name may be going (ntob_unname()
 * unlinks only at a zero count, which a reservation rules out from then
 * on), or it never had one (a permanent name, or a create between its
 * link and its handle); and when @obj left @d meanwhile.
 */
static bool ntob_dir_reserve(struct ntob_directory *d, struct ntob_object *obj)
{
	if (!ntob_handle_reserve(obj))
		return false;
	/* atomic_inc_not_zero() is a full barrier: @dir is read after it */
	if (READ_ONCE(obj->dir) != &d->ob) {
		ntob_handle_unreserve(obj);
		return false;
	}
	return true;
}

/*
 * Lock-free lookups meanwhile: an entry is moved with hlist_del_rcu() and
 * hlist_add_head_rcu(), so a reader walking the old chains never meets a
 * poisoned or freed pointer and never loops (a moved entry links only to
 * entries moved before it), but it may be led into another chain and miss
 * its name: @resize tells it to look again under the lock. The writer
 * stays preemptible (readers do not spin on @resize, they fall back to
 * the lock the writer holds).
 */
static void ntob_dir_grow(struct ntob_directory *d)
{
	struct ntob_dir_hash *nt, *old;
	struct hlist_node *tmp;
	struct ntob_object *obj;
	u8 bits;
	u32 i;

	rcu_read_lock();
	bits = rcu_dereference(d->hash)->bits;
	rcu_read_unlock();
	if (READ_ONCE(d->count) <= 1U << bits || bits >= NTOB_DIR_MAX_BITS)
		return;
	nt = ntob_buckets_alloc(bits + 1);
	if (!nt)
		return;
	mutex_lock(&d->lock);
	old = rcu_dereference_protected(d->hash, lockdep_is_held(&d->lock));
	if (old->bits != bits) {
		mutex_unlock(&d->lock);
		kvfree(nt);
		return;
	}
	raw_write_seqcount_begin(&d->resize);
	for (i = 0; i < 1U << bits; i++)
		hlist_for_each_entry_safe(obj, tmp, &old->b[i], hash_node) {
			hlist_del_rcu(&obj->hash_node);
			hlist_add_head_rcu(&obj->hash_node,
					   ntob_bucket(nt, obj->hash));
		}
	rcu_assign_pointer(d->hash, nt);
	raw_write_seqcount_end(&d->resize);
	mutex_unlock(&d->lock);
	kvfree_rcu(old, rcu);
}

/*
 * What a name link needs, made before the directory lock is taken: the
 * name's copy and a reserved slot in the directory's listing.
 */
struct ntob_link_prep {
	WCHAR *name;
	u32 index;
	bool reserved;
};

static NTSTATUS ntob_link_prepare(struct ntob_directory *d,
				  struct ntob_link_prep *lp, const WCHAR *s,
				  u16 len)
{
	int err;

	lp->reserved = false;
	lp->name = kmemdup(s, len * sizeof(WCHAR), GFP_KERNEL_ACCOUNT);
	if (!lp->name)
		return STATUS_INSUFFICIENT_RESOURCES;
	/*
	 * The lowest free index: a name made and removed again and again
	 * reuses one slot instead of walking the xarray (and allocating its
	 * nodes) forward. A NULL entry reserves the index (XA_FLAGS_ALLOC).
	 */
	err = xa_alloc(&d->entries, &lp->index, NULL, XA_LIMIT(0, U32_MAX - 1),
		       GFP_KERNEL_ACCOUNT);
	if (err < 0) {
		kfree(lp->name);
		lp->name = NULL;
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	lp->reserved = true;
	return STATUS_SUCCESS;
}

/* Give back what a link did not use. */
static void ntob_link_unprepare(struct ntob_directory *d,
				struct ntob_link_prep *lp)
{
	if (lp->reserved)
		xa_release(&d->entries, lp->index);
	kfree(lp->name);
}

/* Name @obj in @d with what @lp prepared (which it consumes). */
static void ntob_dir_link(struct ntob_directory *d, struct ntob_object *obj,
			  struct ntob_link_prep *lp, u16 len, u32 hash)
{
	lockdep_assert_held(&d->lock);
	obj->name = lp->name;
	obj->name_len = len;
	obj->hash = hash;
	obj->dir_index = lp->index;
	/* a reserved slot: the store replaces it and allocates nothing */
	xa_store(&d->entries, lp->index, obj, GFP_NOWAIT);
	lp->name = NULL;
	lp->reserved = false;
	ntob_get(&d->ob);
	d->count++;
	/* @dir first: a lock-free finder checks it (ntob_dir_get()) */
	WRITE_ONCE(obj->dir, &d->ob);
	hlist_add_head_rcu(&obj->hash_node, ntob_bucket(ntob_dir_hash(d), hash));
}

/*
 * Take @obj out of its directory @d. The references this drops (on @d,
 * and the permanent pin on @obj) go after @d's lock is released (the
 * last one may free @d, or @obj, a directory): they are counted in
 * *@puts for ntob_unlink_puts().
 */
struct ntob_unlink_puts {
	struct ntob_object *dir;
	struct ntob_object *pinned;
};

static void ntob_unlink_locked(struct ntob_directory *d, struct ntob_object *obj,
			       struct ntob_unlink_puts *puts)
{
	lockdep_assert_held(&d->lock);
	/* a lock-free finder may stand on it: keep its way on (->next) */
	hlist_del_init_rcu(&obj->hash_node);
	xa_erase(&d->entries, obj->dir_index);
	d->count--;
	WRITE_ONCE(obj->dir, NULL);
	puts->dir = &d->ob;
	if (test_and_clear_bit(NTOB_PERMANENT, &obj->flags))
		puts->pinned = obj;
}

static void ntob_unlink_puts(struct ntob_unlink_puts *puts)
{
	if (puts->pinned)
		ntob_put(puts->pinned);
	if (puts->dir)
		ntob_put(puts->dir);
}

/*
 * Unlink @obj if it has no handle and is not permanent (after clearing
 * NTOB_PERMANENT first if @make_temporary). Its directory cannot be freed
 * while we look (RCU), and while it is locked and still @obj's, @obj's
 * link holds a reference to it.
 */
static void ntob_unlink_unused(struct ntob_object *obj, bool make_temporary)
{
	struct ntob_unlink_puts puts = {};
	struct ntob_directory *d;
	struct ntob_object *dir;

	rcu_read_lock();
	dir = READ_ONCE(obj->dir);
	if (dir && !kref_get_unless_zero(&dir->ref))
		dir = NULL;	/* unlinked meanwhile: it was @obj's ref */
	rcu_read_unlock();
	if (!dir) {
		/* not named: nothing to keep a permanent object for */
		if (make_temporary && test_and_clear_bit(NTOB_PERMANENT, &obj->flags))
			ntob_put(obj);
		return;
	}
	d = to_dir(dir);
	mutex_lock(&d->lock);
	if (make_temporary && test_and_clear_bit(NTOB_PERMANENT, &obj->flags))
		puts.pinned = obj;
	if (obj->dir == dir && !test_bit(NTOB_PERMANENT, &obj->flags) &&
	    !atomic_read(&obj->handle_count))
		ntob_unlink_locked(d, obj, &puts);
	mutex_unlock(&d->lock);
	ntob_unlink_puts(&puts);
	ntob_put(dir);
}

void ntob_unname(struct ntob_object *obj)
{
	if (READ_ONCE(obj->dir))
		ntob_unlink_unused(obj, false);
}

void ntob_make_temporary(struct ntob_object *obj)
{
	ntob_unlink_unused(obj, true);
}

/*
 * The path of a named object from the chain of its directories, under
 * RCU (see "Locking"). Names are only ever unlinked, so a path can only
 * get shorter while we look: count, fill, and count again until stable.
 */
static u32 ntob_path_count(struct ntob_object *obj)
{
	struct ntob_object *o, *dir;
	u32 n = 0;

	for (o = obj; (dir = READ_ONCE(o->dir)); o = dir)
		n += 1 + o->name_len;
	return n;
}

u32 ntob_path_of(struct ntob_object *obj, WCHAR *buf, u32 room)
{
	struct ntob_object *o, *dir;
	u32 n, pos;

	if (obj == &ntob_root->ob) {
		if (buf && room >= 1)
			buf[0] = '\\';
		return 1;
	}
	rcu_read_lock();
	do {
		n = ntob_path_count(obj);
		if (!n || !buf || room < n)
			break;
		pos = n;
		for (o = obj; (dir = READ_ONCE(o->dir)) && pos > o->name_len;
		     o = dir) {
			pos -= o->name_len;
			memcpy(buf + pos, o->name, o->name_len * sizeof(WCHAR));
			buf[--pos] = '\\';
		}
	} while (pos || ntob_path_count(obj) != n);
	rcu_read_unlock();
	return n;
}

/* What ntob_walk() does with the last component. */
enum ntob_last {
	NTOB_LAST_REF,		/* find it and reference it */
	NTOB_LAST_HOLD,		/* the same, keeping its directory locked */
	NTOB_LAST_NONE,		/* only hash it: the caller locks and looks */
};

/*
 * Result of a walk: the directory holding the last component (referenced,
 * NULL for '\' itself or a bare root handle; locked if @locked), the
 * object it names (referenced, NULL if absent) and the last component,
 * which may point into @alloc when a link was followed, with its hash.
 */
struct ntob_walk {
	struct ntob_object *dir;
	struct ntob_object *found;
	bool locked;
	bool reserved;		/* a handle count on @found (ntob_dir_reserve) */
	const WCHAR *last;
	u16 last_len;
	u32 hash;
	WCHAR *alloc;
};

static void ntob_walk_unlock(struct ntob_walk *w)
{
	if (w->locked)
		mutex_unlock(&to_dir(w->dir)->lock);
	w->locked = false;
}

static void ntob_walk_done(struct ntob_walk *w)
{
	ntob_walk_unlock(w);
	if (w->reserved)
		ntob_handle_unreserve(w->found);
	if (w->dir)
		ntob_put(w->dir);
	if (w->found)
		ntob_put(w->found);
	kfree(w->alloc);
}

/* Replace the walked prefix by the link target: target + @rest. */
static NTSTATUS ntob_reparse(struct ntob_walk *w, struct ntob_object *link,
			     const WCHAR *rest, u16 rest_len,
			     const WCHAR **path, u16 *len)
{
	const WCHAR *t;
	u16 tlen;
	WCHAR *buf;

	ntob_symlink_target(link, &t, &tlen);
	if ((u32)tlen + rest_len > NT_NAME_MAX_BYTES / sizeof(WCHAR))
		return STATUS_OBJECT_NAME_INVALID;
	buf = kmalloc_array(tlen + rest_len + 1, sizeof(WCHAR), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return STATUS_INSUFFICIENT_RESOURCES;
	memcpy(buf, t, tlen * sizeof(WCHAR));
	memcpy(buf + tlen, rest, rest_len * sizeof(WCHAR));
	kfree(w->alloc);
	w->alloc = buf;
	*path = buf;
	*len = tlen + rest_len;
	return STATUS_SUCCESS;
}

/*
 * Walk @path, each component looked up without a lock and, when that is
 * unsure, under its directory's lock (see "Locking"). Success means
 * every intermediate directory exists; w->found says whether the last
 * component does (unless @last is NTOB_LAST_NONE). NTOB_LAST_HOLD
 * returns with either a handle count reserved on w->found (w->reserved)
 * or the directory locked (w->locked).
 */
static NTSTATUS ntob_walk(struct ntob_walk *w, const WCHAR *path, u16 len,
			  ULONG attributes, struct ntob_object *root,
			  bool follow_last, enum ntob_last last)
{
	bool ci = attributes & OBJ_CASE_INSENSITIVE;
	struct ntob_object *dir, *child;
	struct ntob_directory *d;
	int reparse = 0;
	NTSTATUS st;
	u16 n;
	u32 h;

	memset(w, 0, sizeof(*w));
restart:
	if (root) {
		if (len && path[0] == '\\')
			return STATUS_OBJECT_PATH_SYNTAX_BAD;
		ntob_get(root);
		if (!len) {
			w->found = root;
			return STATUS_SUCCESS;
		}
		if (root->type != &ntob_directory_type) {
			ntob_put(root);
			return STATUS_OBJECT_TYPE_MISMATCH;
		}
		dir = root;
	} else {
		if (!len || path[0] != '\\')
			return STATUS_OBJECT_PATH_SYNTAX_BAD;
		dir = &ntob_root->ob;
		ntob_get(dir);
		path++;
		len--;
		if (!len) {
			w->found = dir;
			return STATUS_SUCCESS;
		}
	}
	for (;;) {
		for (n = 0; n < len && path[n] != '\\'; n++)
			;
		if (!n) {
			st = STATUS_OBJECT_NAME_INVALID;
			goto fail;
		}
		h = ntob_hash(path, n);
		if (n == len && last == NTOB_LAST_NONE) {
			w->dir = dir;
			w->last = path;
			w->last_len = n;
			w->hash = h;
			return STATUS_SUCCESS;
		}
		d = to_dir(dir);
		child = ntob_dir_get(d, path, n, h, ci);
		if (!IS_ERR(child) && n == len &&
		    (!child || !follow_last || child->type != &ntob_symlink_type) &&
		    (last != NTOB_LAST_HOLD || !child || ntob_dir_reserve(d, child))) {
			w->found = child;
			w->reserved = child && last == NTOB_LAST_HOLD;
			w->dir = dir;
			w->last = path;
			w->last_len = n;
			w->hash = h;
			return STATUS_SUCCESS;
		}
		if (!IS_ERR_OR_NULL(child) && n != len)
			goto next;
		if (!IS_ERR_OR_NULL(child) && child->type == &ntob_symlink_type &&
		    follow_last)
			goto next;
		if (!IS_ERR_OR_NULL(child))
			ntob_put(child);	/* an unsure open: under the lock */
		if (!child) {
			st = STATUS_OBJECT_PATH_NOT_FOUND;
			goto fail;
		}
		mutex_lock(&d->lock);
		child = ntob_dir_find(d, path, n, h, ci);
		if (n == len && (!child || !follow_last ||
				 child->type != &ntob_symlink_type)) {
			if (child) {
				ntob_get(child);
				w->found = child;
			}
			if (last == NTOB_LAST_HOLD)
				w->locked = true;
			else
				mutex_unlock(&d->lock);
			w->dir = dir;
			w->last = path;
			w->last_len = n;
			w->hash = h;
			return STATUS_SUCCESS;
		}
		if (child)
			ntob_get(child);
		mutex_unlock(&d->lock);
		if (!child) {
			st = STATUS_OBJECT_PATH_NOT_FOUND;
			goto fail;
		}
next:
		if (child->type == &ntob_symlink_type) {
			ntob_put(dir);
			if (++reparse > NTOB_MAX_REPARSE) {
				ntob_put(child);
				return STATUS_REPARSE_POINT_NOT_RESOLVED;
			}
			st = ntob_reparse(w, child, path + n, len - n, &path, &len);
			ntob_put(child);
			if (!NT_SUCCESS(st))
				return st;
			root = NULL;
			goto restart;
		}
		ntob_put(dir);
		dir = child;
		if (child->type != &ntob_directory_type) {
			st = STATUS_OBJECT_TYPE_MISMATCH;
			goto fail;
		}
		path += n + 1;
		len -= n + 1;
		if (!len) {
			/* a trailing '\' */
			st = STATUS_OBJECT_NAME_INVALID;
			goto fail;
		}
	}
fail:
	ntob_put(dir);
	return st;
}

NTSTATUS ntob_lookup_path(const WCHAR *path, u16 len, ULONG attributes,
			  struct ntob_object *root, const struct ntob_type *type,
			  struct ntob_object **obj)
{
	bool follow = !(attributes & OBJ_OPENLINK) && type != &ntob_symlink_type;
	struct ntob_walk w;
	NTSTATUS st;

	*obj = NULL;
	st = ntob_walk(&w, path, len, attributes, root, follow, NTOB_LAST_REF);
	if (!NT_SUCCESS(st))
		goto out;
	if (!w.found)
		st = STATUS_OBJECT_NAME_NOT_FOUND;
	else if (type && w.found->type != type)
		st = STATUS_OBJECT_TYPE_MISMATCH;
	else
		swap(*obj, w.found);
out:
	ntob_walk_done(&w);
	return st;
}

/* The root directory named by OBJECT_ATTRIBUTES, referenced, or NULL. */
static NTSTATUS ntob_ref_root(const struct nt_oa *oa, struct ntob_object **root)
{
	*root = NULL;
	if (!oa->root)
		return STATUS_SUCCESS;
	return ntob_ref_by_handle(oa->root, 0, NULL, root);
}

NTSTATUS ntob_begin_create(HANDLE __user *uh, const OBJECT_ATTRIBUTES __user *uoa,
			   struct nt_oa *oa)
{
	NTSTATUS st = nt_prewrite_handle(uh);

	memset(oa, 0, sizeof(*oa));
	if (!NT_SUCCESS(st))
		return st;
	return nt_capture_oa(uoa, oa);
}

/*
 * Name @obj as w->last in w->dir, or find what already has that name
 * (then w->found, referenced). Returns with the directory locked
 * (w->locked), so that of two creates of one name exactly one links and
 * the handle is made before the name can go (see "Locking"). *@linked
 * says whether @obj was named.
 */
static NTSTATUS ntob_link_or_find(struct ntob_walk *w, struct ntob_object *obj,
				  const struct nt_oa *oa, NTSTATUS create_st,
				  bool *linked)
{
	bool ci = oa->attributes & OBJ_CASE_INSENSITIVE;
	struct ntob_directory *d = to_dir(w->dir);
	struct ntob_link_prep lp = {};
	struct ntob_object *found;
	NTSTATUS st = STATUS_SUCCESS;

	*linked = false;
	if (NT_SUCCESS(create_st)) {
		st = ntob_link_prepare(d, &lp, w->last, w->last_len);
		if (!NT_SUCCESS(st))
			return st;
	}
	mutex_lock(&d->lock);
	w->locked = true;
	found = ntob_dir_find(d, w->last, w->last_len, w->hash, ci);
	if (found) {
		ntob_get(found);
		w->found = found;
	} else if (NT_SUCCESS(create_st)) {
		ntob_dir_link(d, obj, &lp, w->last_len, w->hash);
		if (oa->attributes & OBJ_PERMANENT) {
			set_bit(NTOB_PERMANENT, &obj->flags);
			ntob_get(obj);
		}
		*linked = true;
	} else {
		st = create_st;
	}
	ntob_link_unprepare(d, &lp);
	return st;
}

NTSTATUS ntob_insert(struct ntob_object *obj, const struct nt_oa *oa,
		     ACCESS_MASK desired, HANDLE __user *uh)
{
	ACCESS_MASK access = ntob_map_access(obj->type, desired), unused;
	struct ntob_object *root, *target = NULL;
	bool linked = false;
	NTSTATUS st, ret = STATUS_SUCCESS;
	struct ntob_walk w;
	HANDLE h = 0;

	/* SeCreatePermanentPrivilege: a permanent name outlives its creator. */
	if ((oa->attributes & OBJ_PERMANENT) && !capable(CAP_SYS_ADMIN)) {
		st = STATUS_PRIVILEGE_NOT_HELD;
		goto out_obj;
	}
	if (!oa->name.len) {
		st = ntob_create_handle_out(obj, access, oa->attributes, uh);
		ntob_put(obj);
		return st;
	}
	/* read before any lock: a user page fault may sleep */
	st = ntob_sd_world(obj->type, oa->sd, &obj->world);
	if (!NT_SUCCESS(st))
		goto out_obj;
	st = ntob_ref_root(oa, &root);
	if (!NT_SUCCESS(st))
		goto out_obj;
	st = ntob_walk(&w, oa->name.buf, oa->name.len, oa->attributes, root,
		       false, NTOB_LAST_NONE);
	if (!NT_SUCCESS(st))
		goto out_walk;
	if (w.dir) {
		/* checked before the lock: capable() may audit */
		NTSTATUS create_st = ntob_access_check(w.dir,
				obj->type == &ntob_directory_type ?
				DIRECTORY_CREATE_SUBDIRECTORY :
				DIRECTORY_CREATE_OBJECT, &unused);

		st = ntob_link_or_find(&w, obj, oa, create_st, &linked);
	}
	if (linked) {
		target = obj;
	} else if (w.found) {
		target = w.found;
		ret = STATUS_OBJECT_NAME_EXISTS;
		if (!(oa->attributes & OBJ_OPENIF))
			st = STATUS_OBJECT_NAME_COLLISION;
		else if (target->type != obj->type)
			st = STATUS_OBJECT_TYPE_MISMATCH;
		else	/* an open of the existing object */
			st = ntob_access_check(target, desired, &access);
	}
	if (NT_SUCCESS(st))
		st = ntob_create_handle(target, access, oa->attributes, &h);
	if (linked && !NT_SUCCESS(st)) {
		/* no handle came: no name either, even a permanent one */
		struct ntob_unlink_puts puts = {};

		ntob_unlink_locked(to_dir(w.dir), obj, &puts);
		ntob_walk_unlock(&w);
		ntob_unlink_puts(&puts);
	}
	ntob_walk_unlock(&w);
	if (linked && NT_SUCCESS(st))
		ntob_dir_grow(to_dir(w.dir));
out_walk:
	ntob_walk_done(&w);
	if (root)
		ntob_put(root);
out_obj:
	ntob_put(obj);
	if (!NT_SUCCESS(st))
		return st;
	st = nt_put_handle(uh, h);
	if (!NT_SUCCESS(st)) {
		ntob_close_handle(h);
		return st;
	}
	return ret;
}

NTSTATUS ntob_open_service(HANDLE __user *uh, ACCESS_MASK access,
			   const OBJECT_ATTRIBUTES __user *uoa,
			   const struct ntob_type *type)
{
	bool follow = type != &ntob_symlink_type;
	struct ntob_object *root = NULL;
	ACCESS_MASK granted = 0;
	struct ntob_walk w;
	struct nt_oa oa;
	HANDLE h = 0;
	NTSTATUS st;

	st = ntob_begin_create(uh, uoa, &oa);
	if (!NT_SUCCESS(st))
		goto out;
	if (!uoa) {
		st = STATUS_INVALID_PARAMETER;
		goto out;
	}
	if (oa.attributes & OBJ_OPENLINK)
		follow = false;
	st = ntob_ref_root(&oa, &root);
	if (!NT_SUCCESS(st))
		goto out;
	st = ntob_walk(&w, oa.name.buf, oa.name.len, oa.attributes, root, follow,
		       NTOB_LAST_HOLD);
	if (!NT_SUCCESS(st))
		goto out_walk;
	if (!w.found)
		st = STATUS_OBJECT_NAME_NOT_FOUND;
	else if (w.found->type != type)
		st = STATUS_OBJECT_TYPE_MISMATCH;
	else
		st = ntob_access_check(w.found, access, &granted);
	if (NT_SUCCESS(st) && w.reserved) {
		st = ntob_create_handle_reserved(w.found, granted, oa.attributes,
						 &h);
		if (NT_SUCCESS(st))
			w.reserved = false;	/* the handle's count now */
	} else if (NT_SUCCESS(st)) {
		st = ntob_create_handle(w.found, granted, oa.attributes, &h);
	}
out_walk:
	ntob_walk_done(&w);
	if (root)
		ntob_put(root);
	if (NT_SUCCESS(st)) {
		st = nt_put_handle(uh, h);
		if (!NT_SUCCESS(st))
			ntob_close_handle(h);
	}
out:
	nt_release_oa(&oa);
	return st;
}

NTSTATUS NtCreateDirectoryObject(HANDLE __user *DirectoryHandle,
				 ACCESS_MASK DesiredAccess,
				 const OBJECT_ATTRIBUTES __user *ObjectAttributes)
{
	struct ntob_directory *d;
	struct nt_oa oa;
	NTSTATUS st;

	st = ntob_begin_create(DirectoryHandle, ObjectAttributes, &oa);
	if (!NT_SUCCESS(st))
		goto out;
	d = ntob_dir_alloc();
	if (!d) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	st = ntob_insert(&d->ob, &oa, DesiredAccess, DirectoryHandle);
out:
	nt_release_oa(&oa);
	return st;
}

NTSTATUS NtOpenDirectoryObject(HANDLE __user *DirectoryHandle,
			       ACCESS_MASK DesiredAccess,
			       const OBJECT_ATTRIBUTES __user *ObjectAttributes)
{
	return ntob_open_service(DirectoryHandle, DesiredAccess, ObjectAttributes,
				 &ntob_directory_type);
}

/*
 * The copy-out of a listing, staged through one bounded page instead of a
 * copy of the whole answer: records and strings each gather in their part
 * of it and go out when it fills (records at @urec + @rec_first, strings
 * at @ubuf + @str_off).
 */
#define NTOB_QSTAGE_RECS	32	/* in a page; the rest for strings */
#define NTOB_QSTAGE_SMALL	256	/* an answer this small: on the stack */
#define NTOB_QSTAGE_SMALL_RECS	4

struct ntob_qstage {
	OBJECT_DIRECTORY_INFORMATION *recs;	/* room for @rec_cap */
	u8 *str;				/* room for @str_cap bytes */
	u32 rec_cap, str_cap;
	u32 rec_n, rec_first, str_len, str_off;
	OBJECT_DIRECTORY_INFORMATION __user *urec;
	u8 __user *ubuf;
};

static NTSTATUS ntob_qstage_flush(struct ntob_qstage *q)
{
	NTSTATUS st = STATUS_SUCCESS;

	if (q->rec_n)
		st = nt_copy_out(q->urec + q->rec_first, q->recs,
				 q->rec_n * sizeof(*q->recs));
	q->rec_first += q->rec_n;
	q->rec_n = 0;
	if (NT_SUCCESS(st) && q->str_len)
		st = nt_copy_out(q->ubuf + q->str_off, q->str, q->str_len);
	q->str_off += q->str_len;
	q->str_len = 0;
	return st;
}

/* Strings at the staging cursor: staged, or straight out if too long. */
static NTSTATUS ntob_qstage_str(struct ntob_qstage *q, const void *s, u32 len,
				bool direct)
{
	if (direct) {
		q->str_off += len;
		return nt_copy_out(q->ubuf + q->str_off - len, s, len);
	}
	memcpy(q->str + q->str_len, s, len);
	q->str_len += len;
	return STATUS_SUCCESS;
}

#define NTOB_TYPE_NAME_MAX	31	/* "SymbolicLink" is the longest: 12 */

static u32 ntob_type_name_len(const struct ntob_object *e)
{
	return min_t(u32, strlen(e->type->name), NTOB_TYPE_NAME_MAX);
}

/* The bytes of an entry's strings: name and type name, with their NULs. */
static u32 ntob_dir_entry_size(const struct ntob_object *e)
{
	return (e->name_len + 1 + ntob_type_name_len(e) + 1) * sizeof(WCHAR);
}

/* One entry (@e NULL: the zeroed terminator record). */
static NTSTATUS ntob_qstage_entry(struct ntob_qstage *q, struct ntob_object *e)
{
	u32 tl = 0, nb, sb = e ? ntob_dir_entry_size(e) : 0;
	bool direct = sb > q->str_cap;
	OBJECT_DIRECTORY_INFORMATION *rec;
	static const WCHAR nul;
	NTSTATUS st;
	WCHAR tw[NTOB_TYPE_NAME_MAX + 1];

	if (q->rec_n == q->rec_cap || direct || q->str_len + sb > q->str_cap) {
		st = ntob_qstage_flush(q);
		if (!NT_SUCCESS(st))
			return st;
	}
	rec = &q->recs[q->rec_n++];
	memset(rec, 0, sizeof(*rec));
	if (!e)
		return STATUS_SUCCESS;
	for (; tl < ntob_type_name_len(e); tl++)
		tw[tl] = e->type->name[tl];
	tw[tl] = 0;
	nb = e->name_len * sizeof(WCHAR);
	rec->Name.Length = nb;
	rec->Name.MaximumLength = nb + sizeof(WCHAR);
	rec->Name.Buffer = (u32)(unsigned long)(q->ubuf + q->str_off + q->str_len);
	rec->TypeName.Length = tl * sizeof(WCHAR);
	rec->TypeName.MaximumLength = (tl + 1) * sizeof(WCHAR);
	rec->TypeName.Buffer = rec->Name.Buffer + rec->Name.MaximumLength;
	st = ntob_qstage_str(q, e->name, nb, direct);
	if (NT_SUCCESS(st))
		st = ntob_qstage_str(q, &nul, sizeof(nul), direct);
	if (NT_SUCCESS(st))
		st = ntob_qstage_str(q, tw, (tl + 1) * sizeof(WCHAR), direct);
	return st;
}

/*
 * The entries of @d from listing index @start that fit @room bytes (as
 * records, a zeroed terminator, then the strings), referenced into
 * @ents (room for @cap). Under the directory lock, from the cursor: O(the
 * entries returned), whatever came before them. *@next is the index to
 * resume from, *@used the bytes they take, *@need what one entry would
 * have needed if none fitted, *@more whether entries were left out.
 */
static u32 ntob_dir_collect(struct ntob_directory *d, u32 start, bool single,
			    u32 room, struct ntob_object **ents, u32 cap,
			    u32 *next, u32 *used, u32 *need, bool *more)
{
	XA_STATE(xas, &d->entries, start);
	u32 n = 0, strbytes = 0, size, sb;
	struct ntob_object *e;

	mutex_lock(&d->lock);
	rcu_read_lock();	/* for the xas walk; entries change under @lock */
	xas_for_each(&xas, e, U32_MAX - 1) {
		if (xas_retry(&xas, e))
			continue;	/* also skips reserved slots */
		if (n == cap) {
			*more = true;
			break;
		}
		sb = ntob_dir_entry_size(e);
		size = (n + 2) * sizeof(OBJECT_DIRECTORY_INFORMATION) + strbytes + sb;
		if (size > room) {
			if (!n)
				*need = size;
			*more = true;
			break;
		}
		ntob_get(e);
		ents[n++] = e;
		strbytes += sb;
		*next = xas.xa_index + 1;
		if (single)
			break;
	}
	rcu_read_unlock();
	mutex_unlock(&d->lock);
	*used = (n + 1) * sizeof(OBJECT_DIRECTORY_INFORMATION) + strbytes;
	return n;
}

/*
 * Context is a cursor, the listing index after the last entry returned
 * (entries are listed by index: creation order until names are removed
 * and their slots reused; XP lists in hash-bucket order, so no order is
 * promised either way): in a directory nothing was removed from, it is
 * the count of entries returned so far, as on XP; after removals it need
 * not be, and no entry present throughout a listing is skipped or
 * repeated (an ordinal Context skips one per removal behind it). A
 * resumed query costs what it returns, not what came before.
 *
 * Per call the kernel holds one pointer per returned entry (at most a
 * page of them: a longer answer stops there with STATUS_MORE_ENTRIES, as
 * when the buffer is full) and stages the copy-out through at most one
 * page, not a copy of the whole answer.
 */
NTSTATUS NtQueryDirectoryObject(HANDLE DirectoryHandle, void __user *Buffer,
				ULONG Length, BOOLEAN ReturnSingleEntry,
				BOOLEAN RestartScan, ULONG __user *Context,
				ULONG __user *ReturnLength)
{
	u32 start = 0, next = 0, used = 0, need = 0, n, i, room, cap;
	struct ntob_object *obj, *one, **ents = &one;
	u8 small[NTOB_QSTAGE_SMALL] __aligned(4);
	bool more = false;
	NTSTATUS st;

	if (!RestartScan) {
		st = nt_copy_in(&start, Context, sizeof(start));
		if (!NT_SUCCESS(st))
			return st;
	}
	st = ntob_ref_by_handle(DirectoryHandle, DIRECTORY_QUERY,
				&ntob_directory_type, &obj);
	if (!NT_SUCCESS(st))
		return st;
	room = min_t(u32, Length, NTOB_QUERY_MAX);
	cap = ReturnSingleEntry ? 1 : min_t(u32, room / NTOB_QUERY_MIN_ENTRY + 1,
					    NTOB_QUERY_MAX_ENTRIES);
	if (cap > 1)
		ents = kmalloc_array(cap, sizeof(*ents), GFP_KERNEL_ACCOUNT);
	if (!ents) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	n = ntob_dir_collect(to_dir(obj), start, ReturnSingleEntry, room, ents,
			     cap, &next, &used, &need, &more);
	if (!n) {
		if (need) {
			st = STATUS_BUFFER_TOO_SMALL;
			used = need;
		} else {
			st = STATUS_NO_MORE_ENTRIES;
			used = 0;
		}
	} else {
		struct ntob_qstage q = {
			.urec = Buffer,
			.ubuf = Buffer,
			.str_off = (n + 1) * sizeof(OBJECT_DIRECTORY_INFORMATION),
		};

		if (used <= sizeof(small)) {
			q.recs = (void *)small;
			q.rec_cap = NTOB_QSTAGE_SMALL_RECS;
		} else {
			q.recs = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
			q.rec_cap = NTOB_QSTAGE_RECS;
			if (!q.recs)
				st = STATUS_INSUFFICIENT_RESOURCES;
		}
		q.str = (u8 *)(q.recs + q.rec_cap);
		q.str_cap = (used <= sizeof(small) ? sizeof(small) : PAGE_SIZE) -
			    q.rec_cap * sizeof(*q.recs);
		for (i = 0; i < n && NT_SUCCESS(st); i++)
			st = ntob_qstage_entry(&q, ents[i]);
		if (NT_SUCCESS(st))
			st = ntob_qstage_entry(&q, NULL);	/* the terminator */
		if (NT_SUCCESS(st))
			st = ntob_qstage_flush(&q);
		if (q.recs != (void *)small)
			kfree(q.recs);
		if (NT_SUCCESS(st))
			st = nt_put_u32(Context, next);
		/* (main's order let the Context write turn this into SUCCESS) */
		if (NT_SUCCESS(st) && more && !ReturnSingleEntry)
			st = STATUS_MORE_ENTRIES;
		for (i = 0; i < n; i++)
			ntob_put(ents[i]);
	}
	if (ReturnLength && (NT_SUCCESS(st) || st == STATUS_BUFFER_TOO_SMALL)) {
		NTSTATUS st2 = nt_put_u32(ReturnLength, used);

		if (!NT_SUCCESS(st2))
			st = st2;
	}
out:
	if (ents != &one)
		kfree(ents);
	ntob_put(obj);
	return st;
}

/*
 * Name @obj (a fresh object) at an absolute path, permanently; everyone
 * gets @world on it.
 */
static int ntob_ns_add(struct ntob_directory *parent, const char *name,
		       struct ntob_object *obj, ACCESS_MASK world)
{
	struct ntob_link_prep lp;
	WCHAR w[32];
	u16 i, len = strlen(name);
	NTSTATUS st;

	for (i = 0; i < len && i < ARRAY_SIZE(w); i++)
		w[i] = name[i];
	obj->world = world;
	st = ntob_link_prepare(parent, &lp, w, i);
	if (!NT_SUCCESS(st)) {
		ntob_put(obj);
		return -ENOMEM;
	}
	mutex_lock(&parent->lock);
	ntob_dir_link(parent, obj, &lp, i, ntob_hash(w, i));
	set_bit(NTOB_PERMANENT, &obj->flags);	/* the pin is our ref */
	mutex_unlock(&parent->lock);
	return 0;
}

static struct ntob_object *ntob_dir_first(struct ntob_directory *d)
{
	unsigned long i = 0;

	return xa_find(&d->entries, &i, ULONG_MAX, XA_PRESENT);
}

int ntob_ns_add_root(const char *name, struct ntob_object *obj,
		     ACCESS_MASK world)
{
	ntob_get(obj);
	return ntob_ns_add(ntob_root, name, obj, world);
}

/* Unlink everything below @top, depth first without recursion (unload). */
static void ntob_ns_clear(struct ntob_directory *top)
{
	struct ntob_directory *d = top;
	struct ntob_unlink_puts puts;
	struct ntob_object *e;

	for (;;) {
		e = ntob_dir_first(d);
		if (!e) {
			if (d == top)
				break;
			e = &d->ob;
			d = to_dir(e->dir);
		} else if (e->type == &ntob_directory_type &&
			   ntob_dir_first(to_dir(e))) {
			d = to_dir(e);
			continue;
		}
		memset(&puts, 0, sizeof(puts));
		mutex_lock(&d->lock);
		ntob_unlink_locked(d, e, &puts);
		mutex_unlock(&d->lock);
		ntob_unlink_puts(&puts);
	}
}

int ntob_namespace_init(void)
{
	struct ntob_object *link;
	int err = -ENOMEM;

	ntob_root = ntob_dir_alloc();
	if (!ntob_root)
		return -ENOMEM;
	ntob_root->ob.world = NTOB_DIR_WORLD_READ;
	ntob_root->ob.owner = GLOBAL_ROOT_UID;
	ntob_bno = ntob_dir_alloc();
	if (!ntob_bno)
		goto err;
	err = ntob_ns_add(ntob_root, "BaseNamedObjects", &ntob_bno->ob,
			  NTOB_DIR_WORLD_CREATE);
	if (err)
		goto err;
	ntob_dosdevices = ntob_dir_alloc();
	err = -ENOMEM;
	if (!ntob_dosdevices)
		goto err;
	err = ntob_ns_add(ntob_root, "??", &ntob_dosdevices->ob,
			  NTOB_DIR_WORLD_READ);
	if (err)
		goto err;
	if (!NT_SUCCESS(ntob_symlink_create_kernel("\\BaseNamedObjects", &link)))
		goto err;
	err = ntob_ns_add(ntob_bno, "Global", link, NTOB_LINK_WORLD_READ);
	if (err)
		goto err;
	err = -ENOMEM;
	if (!NT_SUCCESS(ntob_symlink_create_kernel("\\BaseNamedObjects", &link)))
		goto err;
	err = ntob_ns_add(ntob_bno, "Local", link, NTOB_LINK_WORLD_READ);
	if (err)
		goto err;
	return 0;
err:
	ntob_ns_clear(ntob_root);
	ntob_put(&ntob_root->ob);
	rcu_barrier();
	return err;
}

void ntob_namespace_exit(void)
{
	ntob_ns_clear(ntob_root);
	ntob_put(&ntob_root->ob);
	rcu_barrier();	/* ntob_dir_free_rcu() is module text */
}
