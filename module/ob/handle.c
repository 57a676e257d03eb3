// SPDX-License-Identifier: GPL-2.0
/*
 * Per-process handle tables: handle values, lookup with type and access
 * checks, fork copy, teardown, NtClose and NtDuplicateObject.
 *
 * A handle is its table index << 2 (the low two bits are ignored on input,
 * as Windows does), so the first handle is 4 and none is 0. Freed indexes
 * go on a small stack consulted before the lowest free index, which makes
 * reuse last-freed-first like Windows' handle table free list.
 *
 * The table is a flat array of slots, as the fd table is (struct
 * ntob_table, ob_process.h): a lookup is a bound check and an index, not
 * a radix-tree walk. It grows by copy and publish, as expand_fdtable()
 * does: the new array replaces the old under the lock and the old one is
 * freed after an RCU grace period, so a reader under RCU alone may index
 * whichever it loaded (every lookup does).
 *
 * Lookups take no lock, as __fget_files_rcu() takes none: under
 * rcu_read_lock() the slot gives the entry, the entry gives the object
 * and the access it grants, and the object is referenced with
 * ntob_get_unless_zero() (objects are freed after a grace period: ob.h,
 * "Lifetime"). Entries come from a SLAB_TYPESAFE_BY_RCU cache, as struct
 * file does since 6.7: freed at once (a kfree_rcu() per close cost about
 * 400 instructions on every NtClose that finds its handle), their memory
 * stays an entry for as long as a reader may hold it, but it may be
 * reused for another handle meanwhile. So a lookup reads the entry, takes
 * its reference, then checks that the slot still holds the entry and the
 * entry still names the object (and starts again if not), as
 * __fget_files_rcu() does. The object pointer it read is safe to try
 * whatever the entry became: it was a live handle's during the RCU
 * section (an object's memory outlives its handles by a grace period),
 * and the cache keeps its free pointer outside the entry. A granted mask
 * read from a reused entry of the same object in the same slot is one
 * this handle value had during the lookup.
 *
 * Changes (insert, close, grow, fork copy, teardown) take @lock, as the fd
 * table's take file_lock; NtClose of a missing handle too (a lock-free
 * miss test was measured to cost more on real closes than it saves:
 * docs/performance.md).
 *
 * Who frees what: an entry holds one object reference and one handle
 * count; it is taken out of its slot under @lock, then ntob_handle_free()
 * drops both outside it (the last handle count runs type->close and
 * unnames the object) and frees the entry after a grace period.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/nospec.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include "internal.h"
#include "ob/ob.h"

#define NTOB_MAX_INDEX	((1U << 24) - 1)	/* 16M handles, as Windows */

/*
 * Windows lets a process have 16M handles. Here each one costs lowmem (its
 * entry, its table slot, often an object of its own), charged to the
 * caller's memcg, but 16M of them would still take over a GB of an i386
 * kernel's lowmem. So a process gets at most max_handles, and at most
 * RLIMIT_NOFILE File handles, which hold an open struct file each, like
 * fds. Beyond: STATUS_INSUFFICIENT_RESOURCES, XP's answer when its handle
 * table cannot grow. docs/security.md lists the limits.
 */
static unsigned int max_handles = 1U << 16;
module_param(max_handles, uint, 0644);
MODULE_PARM_DESC(max_handles, "Handles per NT process (default 65536, at most 16M)");

/* One handle: the object it references and what it may do. Immutable. */
struct ntob_handle {
	struct ntob_object *obj;
	ACCESS_MASK granted;
	ULONG attributes;
};

/* SLAB_TYPESAFE_BY_RCU: see the top of the file for the rules */
static struct kmem_cache *ntob_handle_cache;

int ntob_handle_cache_init(void)
{
	ntob_handle_cache = KMEM_CACHE(ntob_handle,
				       SLAB_TYPESAFE_BY_RCU | SLAB_ACCOUNT);
	return ntob_handle_cache ? 0 : -ENOMEM;
}

void ntob_handle_cache_exit(void)
{
	kmem_cache_destroy(ntob_handle_cache);	/* waits for readers */
}

static atomic_long_t ntob_handles_live = ATOMIC_LONG_INIT(0);

long ntob_handle_total(void)
{
	return atomic_long_read(&ntob_handles_live);
}

/* The handles in @p's table now (ProcessHandleCount) */
u32 ntob_handle_count(struct ntob_process *p)
{
	return READ_ONCE(p->count);
}

static __always_inline struct ntob_process *ntob_current(void)
{
	struct nt_process *proc = nt_process_current();

	return proc ? &proc->ob : NULL;
}

/* One handle count less: the last one runs close and unnames the object. */
static void ntob_handle_count_put(struct ntob_object *obj)
{
	if (atomic_dec_and_test(&obj->handle_count)) {
		if (obj->type->close)
			obj->type->close(obj);
		ntob_unname(obj);
	}
}

bool ntob_handle_reserve(struct ntob_object *obj)
{
	return atomic_inc_not_zero(&obj->handle_count);
}

void ntob_handle_unreserve(struct ntob_object *obj)
{
	ntob_handle_count_put(obj);
}

/* Drop what a handle held (no lock held: close may sleep). */
static void ntob_handle_free(struct ntob_handle *e)
{
	struct ntob_object *obj = e->obj;

	/* a lock-free lookup reading @e re-checks it (top of the file) */
	kmem_cache_free(ntob_handle_cache, e);
	atomic_long_dec(&ntob_handles_live);
	ntob_handle_count_put(obj);
	ntob_put(obj);
}

/* @reserved: the caller's ntob_handle_reserve() count becomes the handle's */
static struct ntob_handle *ntob_handle_alloc(struct ntob_object *obj,
					     ACCESS_MASK granted, ULONG attributes,
					     bool reserved)
{
	struct ntob_handle *e = kmem_cache_alloc(ntob_handle_cache, GFP_KERNEL);

	if (!e)
		return NULL;
	ntob_get(obj);
	if (!reserved)
		atomic_inc(&obj->handle_count);
	atomic_long_inc(&ntob_handles_live);
	/* a stale reader of this memory may look: whole words, published later */
	WRITE_ONCE(e->obj, obj);
	WRITE_ONCE(e->granted, granted);
	WRITE_ONCE(e->attributes, attributes & OBJ_INHERIT);
	return e;
}

static bool ntob_handle_is_file(const struct ntob_handle *e)
{
	return e->obj->type->index == NTOB_TYPE_FILE;
}

static inline struct ntob_table *ntob_table_locked(struct ntob_process *p)
{
	return rcu_dereference_protected(p->table, lockdep_is_held(&p->lock));
}

/* The slot of @index, or NULL past the end (p->lock held) */
static inline struct ntob_handle __rcu **
ntob_slotp(struct ntob_process *p, u32 index)
{
	struct ntob_table *t = ntob_table_locked(p);

	if (!t || index >= t->max)
		return NULL;
	return &t->slot[array_index_nospec(index, t->max)];
}

/* The entry at @index, or NULL (p->lock held) */
static inline struct ntob_handle *ntob_slot_locked(struct ntob_process *p,
						   u32 index)
{
	struct ntob_handle __rcu **slot = ntob_slotp(p, index);

	if (!slot)
		return NULL;
	return rcu_dereference_protected(*slot, lockdep_is_held(&p->lock));
}

/* Count @e in or (@delta -1) out of the table's bounds (p->lock held). */
static void ntob_table_count(struct ntob_process *p,
			     const struct ntob_handle *e, int delta)
{
	p->count += delta;
	if (ntob_handle_is_file(e))
		p->nfiles += delta;
}

/* May the current process add @e to its table @p? (p->lock held) */
static bool ntob_table_room(struct ntob_process *p, const struct ntob_handle *e)
{
	if (p->count >= min(READ_ONCE(max_handles), NTOB_MAX_INDEX))
		return false;
	return !ntob_handle_is_file(e) || p->nfiles < rlimit(RLIMIT_NOFILE);
}

/*
 * Make slot @index exist. Called and returns with p->lock held, but drops
 * it to allocate (memcg-charged, may sleep), so the caller looks again.
 * Sizes go by powers of two from 32 slots up to the largest index, as the
 * fd table's do. The replaced array is freed after a grace period.
 */
static int ntob_table_expand(struct ntob_process *p, u32 index)
	__must_hold(&p->lock)
{
	struct ntob_table *old, *new;
	unsigned int max;

	max = max_t(unsigned int, roundup_pow_of_two(index + 1), 32);
	max = min_t(unsigned int, max, NTOB_MAX_INDEX + 1);
	if (index >= max)
		return -EMFILE;
	spin_unlock(&p->lock);
	new = kvzalloc(struct_size(new, slot, max), GFP_KERNEL_ACCOUNT);
	spin_lock(&p->lock);
	if (!new)
		return -ENOMEM;
	old = ntob_table_locked(p);
	if (old && old->max >= max) {
		/* another thread grew it meanwhile; vfree must not run here */
		kvfree_rcu(new, rcu);
		return 0;
	}
	new->max = max;
	if (old)
		memcpy(new->slot, old->slot, old->max * sizeof(new->slot[0]));
	rcu_assign_pointer(p->table, new);
	if (old)
		kvfree_rcu(old, rcu);
	return 0;
}

/*
 * The index for a new entry (p->lock held): the most recently freed one
 * still free, else the lowest free one (@next: none is free below it).
 */
static u32 ntob_table_pick(struct ntob_process *p)
{
	struct ntob_table *t = ntob_table_locked(p);
	u32 i;

	while (p->nfree) {
		i = p->free[--p->nfree];
		/* the lowest-free scan may have reused it since */
		if (!ntob_slot_locked(p, i))
			return i;
	}
	i = max(p->next, 1U);
	while (t && i < t->max && rcu_access_pointer(t->slot[i]))
		i++;
	p->next = i;
	return i;
}

/* Store @e at @index, growing the table as needed (p->lock held). */
static int ntob_table_store(struct ntob_process *p, struct ntob_handle *e,
			    u32 index)
	__must_hold(&p->lock)
{
	struct ntob_table *t = ntob_table_locked(p);
	int err;

	while (!t || index >= t->max) {
		err = ntob_table_expand(p, index);
		if (err)
			return err;
		if (ntob_slot_locked(p, index))
			return -EBUSY;	/* taken while the lock was dropped */
		t = ntob_table_locked(p);
	}
	rcu_assign_pointer(t->slot[index], e);
	return 0;
}

/* Put @e in the table at the most recently freed index, else the lowest. */
static int ntob_table_insert(struct ntob_process *p, struct ntob_handle *e,
			     u32 *index)
{
	int err;
	u32 i;

	spin_lock(&p->lock);
	if (!ntob_table_room(p, e)) {
		spin_unlock(&p->lock);
		return -EMFILE;
	}
	/* counted first: growing the table drops the lock */
	ntob_table_count(p, e, 1);
	do {
		i = ntob_table_pick(p);
		err = ntob_table_store(p, e, i);
	} while (err == -EBUSY);
	if (err)
		ntob_table_count(p, e, -1);
	else
		*index = i;
	spin_unlock(&p->lock);
	return err;
}

static __always_inline struct ntob_handle *
ntob_table_erase(struct ntob_process *p, u32 index)
{
	struct ntob_handle __rcu **slot;
	struct ntob_handle *e;

	/* load first: closing a handle that is not there stores nothing */
	spin_lock(&p->lock);
	slot = ntob_slotp(p, index);
	e = slot ? rcu_dereference_protected(*slot, lockdep_is_held(&p->lock)) : NULL;
	if (e) {
		RCU_INIT_POINTER(*slot, NULL);
		ntob_table_count(p, e, -1);
		if (index < p->next)
			p->next = index;
		if (p->nfree == NTOB_FREE_SLOTS) {
			memmove(p->free, p->free + 1, sizeof(p->free[0]) * (NTOB_FREE_SLOTS - 1));
			p->nfree--;
		}
		p->free[p->nfree++] = index;
	}
	spin_unlock(&p->lock);
	return e;
}

static NTSTATUS __ntob_create_handle(struct ntob_object *obj,
				     ACCESS_MASK granted, ULONG attributes,
				     HANDLE *h, bool reserved)
{
	struct ntob_process *p = ntob_current();
	struct ntob_handle *e;
	u32 index;
	int err;

	if (!p)
		return STATUS_INVALID_HANDLE;
	e = ntob_handle_alloc(obj, granted, attributes, reserved);
	if (!e)
		return STATUS_INSUFFICIENT_RESOURCES;
	err = ntob_table_insert(p, e, &index);
	if (err) {
		/*
		 * Not ntob_handle_free(): callers may hold a directory
		 * lock, and the object is unnamed by whoever closes last.
		 * Never seen by a lookup: no grace period needed. A
		 * reservation stays the caller's.
		 */
		if (!reserved)
			atomic_dec(&obj->handle_count);
		atomic_long_dec(&ntob_handles_live);
		kmem_cache_free(ntob_handle_cache, e);
		ntob_put(obj);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	*h = index << 2;
	return STATUS_SUCCESS;
}

NTSTATUS ntob_create_handle(struct ntob_object *obj, ACCESS_MASK granted,
			    ULONG attributes, HANDLE *h)
{
	return __ntob_create_handle(obj, granted, attributes, h, false);
}

NTSTATUS ntob_create_handle_reserved(struct ntob_object *obj,
				     ACCESS_MASK granted, ULONG attributes,
				     HANDLE *h)
{
	return __ntob_create_handle(obj, granted, attributes, h, true);
}

NTSTATUS ntob_create_handle_out(struct ntob_object *obj, ACCESS_MASK granted,
				ULONG attributes, HANDLE __user *uh)
{
	HANDLE h;
	NTSTATUS st = ntob_create_handle(obj, granted, attributes, &h);

	if (!NT_SUCCESS(st))
		return st;
	st = nt_put_handle(uh, h);
	if (!NT_SUCCESS(st))
		ntob_close_handle(h);
	return st;
}

/* NtClose's body, inline there: no extra frame on the null-call path */
static __always_inline NTSTATUS ntob_close(HANDLE h)
{
	/* not ntob_current(): the kernel's GCC must test &proc->ob for NULL too */
	struct nt_process *proc = nt_process_current();
	struct ntob_handle *e;

	if (!proc || !(h >> 2))
		return STATUS_INVALID_HANDLE;
	e = ntob_table_erase(&proc->ob, h >> 2);
	if (!e)
		return STATUS_INVALID_HANDLE;
	ntob_handle_free(e);
	return STATUS_SUCCESS;
}

NTSTATUS ntob_close_handle(HANDLE h)
{
	return ntob_close(h);
}

/* The type and access checks of every lookup; drops @o when they fail. */
static __always_inline NTSTATUS
ntob_ref_check(struct ntob_object *o, ACCESS_MASK granted, ACCESS_MASK access,
	       const struct ntob_type *type, struct ntob_object **obj)
{
	if (type && o->type != type) {
		ntob_put(o);
		return STATUS_OBJECT_TYPE_MISMATCH;
	}
	if ((granted & access) != access) {
		ntob_put(o);
		return STATUS_ACCESS_DENIED;
	}
	*obj = o;
	return STATUS_SUCCESS;
}

/* NtCurrentThread(): out of line, so that the table path keeps no locals. */
static noinline NTSTATUS ntob_ref_current_thread(ACCESS_MASK access,
						 const struct ntob_type *type,
						 struct ntob_object **obj,
						 ACCESS_MASK *granted,
						 ULONG *attributes)
{
	struct ntob_object *o;
	NTSTATUS st;

	st = ntke_current_thread_object(&o);
	if (!NT_SUCCESS(st))
		return st;
	*granted = THREAD_ALL_ACCESS;
	*attributes = 0;
	return ntob_ref_check(o, THREAD_ALL_ACCESS, access, type, obj);
}

/*
 * Lock-free (see the top of the file): the table and the object are freed
 * after a grace period and the entry stays an entry, so under
 * rcu_read_lock() whatever was loaded may be read; the reference is kept
 * only if the slot still holds the entry and the entry the object.
 */
static __always_inline NTSTATUS
ntob_ref_checked(HANDLE h, ACCESS_MASK access, const struct ntob_type *type,
		 struct ntob_object **obj, ACCESS_MASK *granted,
		 ULONG *attributes)
{
	struct ntob_object *o = NULL, *stale = NULL;
	struct ntob_handle __rcu **slot;
	struct ntob_process *p;
	struct ntob_handle *e;
	struct ntob_table *t;

	*obj = NULL;
	if (unlikely(h == NT_CURRENT_PROCESS)) {
		/* No process objects yet: right type or not, say so. */
		if (type && type->index != NTOB_TYPE_PROCESS)
			return STATUS_OBJECT_TYPE_MISMATCH;
		return STATUS_NOT_IMPLEMENTED;
	}
	if (unlikely(h == NT_CURRENT_THREAD))
		return ntob_ref_current_thread(access, type, obj, granted,
					       attributes);
	p = ntob_current();
	if (!p || !(h >> 2))
		return STATUS_INVALID_HANDLE;
again:
	rcu_read_lock();
	t = rcu_dereference(p->table);
	if (likely(t && (h >> 2) < t->max)) {
		slot = &t->slot[array_index_nospec(h >> 2, t->max)];
		e = rcu_dereference(*slot);
		if (e) {
			o = READ_ONCE(e->obj);
			*granted = READ_ONCE(e->granted);
			*attributes = READ_ONCE(e->attributes);
			if (!ntob_get_unless_zero(o))
				stale = o;	/* NULL it below, unless reused */
			/* the re-checks after the reference (and the reads) */
			smp_rmb();
			if (unlikely(rcu_access_pointer(*slot) != e ||
				     READ_ONCE(e->obj) != o)) {
				rcu_read_unlock();
				if (o != stale)
					ntob_put(o);	/* may sleep: outside RCU */
				o = NULL;
				stale = NULL;
				goto again;
			}
			if (stale)
				o = NULL;	/* the handle is being closed */
		}
	}
	rcu_read_unlock();
	if (!o)
		return STATUS_INVALID_HANDLE;
	return ntob_ref_check(o, *granted, access, type, obj);
}

NTSTATUS ntob_ref_by_handle_info(HANDLE h, ACCESS_MASK access,
				 const struct ntob_type *type,
				 struct ntob_object **obj,
				 ACCESS_MASK *granted, ULONG *attributes)
{
	return ntob_ref_checked(h, access, type, obj, granted, attributes);
}

NTSTATUS ntob_ref_by_handle(HANDLE h, ACCESS_MASK access,
			    const struct ntob_type *type,
			    struct ntob_object **obj)
{
	ACCESS_MASK granted;
	ULONG attributes;

	return ntob_ref_checked(h, access, type, obj, &granted, &attributes);
}

static int ntob_process_copy(struct ntob_process *p,
			     struct ntob_process *parent, bool inherit_only);

int ntob_process_init(struct ntob_process *p, struct ntob_process *parent)
{
	return ntob_process_copy(p, parent, false);
}

/*
 * NtCreateProcess(Ex) with InheritObjectTable (ps/create.c): the new
 * process gets the creator's OBJ_INHERIT handles at the same values, as
 * XP's ObInitProcess copies them; the others are not there.
 */
int ntob_process_init_inherit(struct ntob_process *p,
			      struct ntob_process *parent)
{
	return ntob_process_copy(p, parent, true);
}

static int ntob_process_copy(struct ntob_process *p,
			     struct ntob_process *parent, bool inherit_only)
{
	struct ntob_handle *e, *copy = NULL;
	struct ntob_table *t;
	u32 index;
	int err;

	spin_lock_init(&p->lock);
	RCU_INIT_POINTER(p->table, NULL);
	p->next = 1;
	p->nfree = 0;
	p->count = 0;
	p->nfiles = 0;
	if (!parent)
		return 0;
	/* fork: the child gets every handle at the same value, like fds */
	for (index = 1;; index++) {
		if (!copy) {
			copy = kmem_cache_alloc(ntob_handle_cache, GFP_KERNEL);
			if (!copy) {
				err = -ENOMEM;
				goto err;
			}
		}
		spin_lock(&parent->lock);
		t = ntob_table_locked(parent);
		while (t && index < t->max &&
		       (!rcu_access_pointer(t->slot[index]) ||
			(inherit_only &&
			 !(ntob_slot_locked(parent, index)->attributes & OBJ_INHERIT))))
			index++;
		e = t && index < t->max ? ntob_slot_locked(parent, index) : NULL;
		if (e) {
			*copy = *e;
			ntob_get(copy->obj);
			atomic_inc(&copy->obj->handle_count);
			atomic_long_inc(&ntob_handles_live);
		}
		spin_unlock(&parent->lock);
		if (!e)
			break;
		/* like fds at fork: copied whatever the limits say now */
		spin_lock(&p->lock);
		err = ntob_table_store(p, copy, index);
		if (!err)
			ntob_table_count(p, copy, 1);
		spin_unlock(&p->lock);
		if (err) {
			ntob_handle_free(copy);
			goto err;
		}
		copy = NULL;
		cond_resched();
	}
	if (copy)
		kmem_cache_free(ntob_handle_cache, copy);
	return 0;
err:
	ntob_process_fini(p);
	return err;
}

/*
 * Close everything (process teardown: may sleep). A process may hold
 * max_handles handles: each slot is taken out under the table lock and
 * closed outside it, with a cond_resched() after each (a flag test when
 * nothing waits), so that tearing down a big table never holds the CPU longer than
 * Linux's close_files() does for as many fds (issue 19).
 */
void ntob_process_fini(struct ntob_process *p)
{
	struct ntob_handle *e;
	struct ntob_table *t;
	unsigned int max;
	u32 index;

	for (index = 1;; index++) {
		spin_lock(&p->lock);
		t = ntob_table_locked(p);
		max = t ? t->max : 0;
		spin_unlock(&p->lock);
		if (index >= max)
			break;
		e = ntob_table_erase(p, index);
		if (e)
			ntob_handle_free(e);
		cond_resched();
	}
	spin_lock(&p->lock);
	t = ntob_table_locked(p);
	RCU_INIT_POINTER(p->table, NULL);
	spin_unlock(&p->lock);
	if (t)
		kvfree_rcu(t, rcu);
}

NTSTATUS NtClose(HANDLE Handle)
{
	return ntob_close(Handle);
}

/* Only the current process can be named by a process handle for now. */
static NTSTATUS ntob_check_self(HANDLE process)
{
	struct ntob_object *obj;
	NTSTATUS st;

	if (process == NT_CURRENT_PROCESS)
		return STATUS_SUCCESS;
	st = ntob_ref_by_handle(process, 0, NULL, &obj);
	if (!NT_SUCCESS(st))
		return st;
	ntob_put(obj);
	return STATUS_OBJECT_TYPE_MISMATCH;
}

/*
 * The access of a duplicate made without DUPLICATE_SAME_ACCESS. Narrower
 * than (or equal to) the source handle's: granted as asked. Wider: only
 * if the object's type checks it as an open of the object (processes and
 * threads: ptrace), else STATUS_ACCESS_DENIED, never silently widened.
 * MAXIMUM_ALLOWED without such a check is what the source grants.
 */
static NTSTATUS ntob_duplicate_access(struct ntob_object *obj,
				      ACCESS_MASK source, ACCESS_MASK desired,
				      ACCESS_MASK *granted)
{
	ACCESS_MASK access = ntob_map_access(obj->type, desired);
	NTSTATUS st;

	if (!(access & ~source)) {
		*granted = access;
		return STATUS_SUCCESS;
	}
	if (obj->type->may_grant) {
		st = obj->type->may_grant(obj, access);
		if (NT_SUCCESS(st))
			*granted = access;
		return st;
	}
	if (desired & MAXIMUM_ALLOWED) {
		*granted = source;
		return STATUS_SUCCESS;
	}
	return STATUS_ACCESS_DENIED;
}

NTSTATUS NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
			   HANDLE TargetProcessHandle, HANDLE __user *TargetHandle,
			   ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
			   ULONG Options)
{
	struct ntob_object *obj;
	ACCESS_MASK granted;
	ULONG attributes;
	NTSTATUS st;

	if (TargetHandle) {
		st = nt_prewrite_handle(TargetHandle);
		if (!NT_SUCCESS(st))
			return st;
	}
	st = ntob_check_self(SourceProcessHandle);
	if (!NT_SUCCESS(st))
		return st;
	st = ntob_check_self(TargetProcessHandle);
	if (!NT_SUCCESS(st))
		return st;
	st = ntob_ref_by_handle_info(SourceHandle, 0, NULL, &obj, &granted,
				     &attributes);
	if (!NT_SUCCESS(st))
		return st;
	if (TargetHandle) {
		if (!(Options & DUPLICATE_SAME_ACCESS))
			st = ntob_duplicate_access(obj, granted, DesiredAccess,
						   &granted);
		if (!(Options & DUPLICATE_SAME_ATTRIBUTES))
			attributes = HandleAttributes;
		if (NT_SUCCESS(st))
			st = ntob_create_handle_out(obj, granted, attributes,
						    TargetHandle);
	}
	/*
	 * The source goes after the copy is made (so the copy never reuses
	 * its value) and even when the copy failed (ReactOS ObDuplicateObject).
	 */
	if ((Options & DUPLICATE_CLOSE_SOURCE) && SourceHandle != NT_CURRENT_THREAD)
		ntob_close_handle(SourceHandle);
	ntob_put(obj);
	return st;
}
