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
 * Locking: one mutex, ntob_ns_lock, guards every directory's entries and
 * every object's name link (dir, name, hash, hash_node, dir_node), and
 * serializes "last handle closed -> unname" against "found by name -> new
 * handle": handles made from a lookup are created under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "ob/ob.h"

#define NTOB_DIR_BUCKETS	37	/* as Windows */
#define NTOB_MAX_REPARSE	32
#define NTOB_QUERY_MAX		0x10000	/* kernel staging for one query */
#define STATUS_MORE_ENTRIES	((NTSTATUS)0x00000105)

/* Entries guarded by ntob_ns_lock; @entries keeps creation order. */
struct ntob_directory {
	struct ntob_object ob;
	struct hlist_head buckets[NTOB_DIR_BUCKETS];
	struct list_head entries;
	u32 count;
};

static DEFINE_MUTEX(ntob_ns_lock);
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
};

static struct ntob_directory *ntob_dir_alloc(void)
{
	struct ntob_directory *d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	int i;

	BUILD_BUG_ON(offsetof(struct ntob_directory, ob));
	if (!d)
		return NULL;
	ntob_object_init(&d->ob, &ntob_directory_type);
	for (i = 0; i < NTOB_DIR_BUCKETS; i++)
		INIT_HLIST_HEAD(&d->buckets[i]);
	INIT_LIST_HEAD(&d->entries);
	return d;
}

static u32 ntob_hash(const WCHAR *s, u16 len)
{
	u32 h = 0;

	while (len--)
		h = h * 31 + ntob_upcase(*s++);
	return h;
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

static struct ntob_object *ntob_dir_find(struct ntob_directory *d,
					 const WCHAR *s, u16 len, bool ci)
{
	u32 h = ntob_hash(s, len);
	struct ntob_object *obj;

	lockdep_assert_held(&ntob_ns_lock);
	hlist_for_each_entry(obj, &d->buckets[h % NTOB_DIR_BUCKETS], hash_node)
		if (obj->hash == h && ntob_name_eq(obj, s, len, ci))
			return obj;
	return NULL;
}

static NTSTATUS ntob_dir_link(struct ntob_directory *d, struct ntob_object *obj,
			      const WCHAR *s, u16 len)
{
	lockdep_assert_held(&ntob_ns_lock);
	obj->name = kmemdup(s, len * sizeof(WCHAR), GFP_KERNEL_ACCOUNT);
	if (!obj->name)
		return STATUS_INSUFFICIENT_RESOURCES;
	obj->name_len = len;
	obj->hash = ntob_hash(s, len);
	ntob_get(&d->ob);
	obj->dir = &d->ob;
	hlist_add_head(&obj->hash_node, &d->buckets[obj->hash % NTOB_DIR_BUCKETS]);
	list_add_tail(&obj->dir_node, &d->entries);
	d->count++;
	return STATUS_SUCCESS;
}

/* Take @obj out of its directory; drops the permanent pin if any. */
static void ntob_unlink_locked(struct ntob_object *obj)
{
	struct ntob_object *dir = obj->dir;

	lockdep_assert_held(&ntob_ns_lock);
	hlist_del_init(&obj->hash_node);
	list_del_init(&obj->dir_node);
	to_dir(dir)->count--;
	kfree(obj->name);
	obj->name = NULL;
	obj->name_len = 0;
	obj->dir = NULL;
	ntob_put(dir);
	if (test_and_clear_bit(NTOB_PERMANENT, &obj->flags))
		ntob_put(obj);
}

void ntob_unname(struct ntob_object *obj)
{
	if (!READ_ONCE(obj->dir))
		return;
	mutex_lock(&ntob_ns_lock);
	if (obj->dir && !test_bit(NTOB_PERMANENT, &obj->flags) &&
	    !atomic_read(&obj->handle_count))
		ntob_unlink_locked(obj);
	mutex_unlock(&ntob_ns_lock);
}

void ntob_make_temporary(struct ntob_object *obj)
{
	bool unpin;

	mutex_lock(&ntob_ns_lock);
	unpin = test_and_clear_bit(NTOB_PERMANENT, &obj->flags);
	if (obj->dir && !atomic_read(&obj->handle_count))
		ntob_unlink_locked(obj);
	mutex_unlock(&ntob_ns_lock);
	if (unpin)
		ntob_put(obj);
}

u32 ntob_path_of(struct ntob_object *obj, WCHAR *buf, u32 room)
{
	struct ntob_object *o;
	u32 n = 0, pos;

	mutex_lock(&ntob_ns_lock);
	if (!obj->dir && obj != &ntob_root->ob)
		goto out;
	if (obj == &ntob_root->ob) {
		n = 1;
		if (buf && room >= 1)
			buf[0] = '\\';
		goto out;
	}
	for (o = obj; o->dir; o = o->dir)
		n += 1 + o->name_len;
	if (!buf || room < n)
		goto out;
	pos = n;
	for (o = obj; o->dir; o = o->dir) {
		pos -= o->name_len;
		memcpy(buf + pos, o->name, o->name_len * sizeof(WCHAR));
		buf[--pos] = '\\';
	}
out:
	mutex_unlock(&ntob_ns_lock);
	return n;
}

/*
 * Result of a walk: the directory holding the last component (referenced,
 * NULL for '\' itself or a bare root handle), the object it names
 * (referenced, NULL if absent) and the last component, which may point
 * into @alloc when a link was followed.
 */
struct ntob_walk {
	struct ntob_object *dir;
	struct ntob_object *found;
	const WCHAR *last;
	u16 last_len;
	WCHAR *alloc;
};

static void ntob_walk_done(struct ntob_walk *w)
{
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
 * Walk @path under ntob_ns_lock. Success means every intermediate
 * directory exists; w->found says whether the last component does.
 */
static NTSTATUS ntob_walk(struct ntob_walk *w, const WCHAR *path, u16 len,
			  ULONG attributes, struct ntob_object *root,
			  bool follow_last)
{
	bool ci = attributes & OBJ_CASE_INSENSITIVE;
	struct ntob_object *dir, *child;
	int reparse = 0;
	NTSTATUS st;
	u16 n;

	lockdep_assert_held(&ntob_ns_lock);
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
		child = ntob_dir_find(to_dir(dir), path, n, ci);
		if (n == len && (!child || !follow_last ||
				 child->type != &ntob_symlink_type)) {
			w->dir = dir;
			w->last = path;
			w->last_len = n;
			if (child) {
				ntob_get(child);
				w->found = child;
			}
			return STATUS_SUCCESS;
		}
		if (!child) {
			st = STATUS_OBJECT_PATH_NOT_FOUND;
			goto fail;
		}
		if (child->type == &ntob_symlink_type) {
			ntob_put(dir);
			if (++reparse > NTOB_MAX_REPARSE)
				return STATUS_REPARSE_POINT_NOT_RESOLVED;
			st = ntob_reparse(w, child, path + n, len - n, &path, &len);
			if (!NT_SUCCESS(st))
				return st;
			root = NULL;
			goto restart;
		}
		if (child->type != &ntob_directory_type) {
			st = STATUS_OBJECT_TYPE_MISMATCH;
			goto fail;
		}
		ntob_get(child);
		ntob_put(dir);
		dir = child;
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
	mutex_lock(&ntob_ns_lock);
	st = ntob_walk(&w, path, len, attributes, root, follow);
	mutex_unlock(&ntob_ns_lock);
	if (!NT_SUCCESS(st))
		return st;
	if (!w.found)
		st = STATUS_OBJECT_NAME_NOT_FOUND;
	else if (type && w.found->type != type)
		st = STATUS_OBJECT_TYPE_MISMATCH;
	else
		swap(*obj, w.found);
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

NTSTATUS ntob_insert(struct ntob_object *obj, const struct nt_oa *oa,
		     ACCESS_MASK desired, HANDLE __user *uh)
{
	ACCESS_MASK access = ntob_map_access(obj->type, desired), unused;
	struct ntob_object *root, *target;
	struct ntob_walk w;
	NTSTATUS st, ret;
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
	/* read before the lock: a user page fault may sleep */
	st = ntob_sd_world(obj->type, oa->sd, &obj->world);
	if (!NT_SUCCESS(st))
		goto out_obj;
	st = ntob_ref_root(oa, &root);
	if (!NT_SUCCESS(st))
		goto out_obj;
	mutex_lock(&ntob_ns_lock);
	st = ntob_walk(&w, oa->name.buf, oa->name.len, oa->attributes, root, false);
	if (!NT_SUCCESS(st))
		goto out_unlock;
	target = w.found;
	ret = STATUS_OBJECT_NAME_EXISTS;
	if (target) {
		if (!(oa->attributes & OBJ_OPENIF))
			st = STATUS_OBJECT_NAME_COLLISION;
		else if (target->type != obj->type)
			st = STATUS_OBJECT_TYPE_MISMATCH;
		else	/* an open of the existing object */
			st = ntob_access_check(target, desired, &access);
	} else {
		target = obj;
		ret = STATUS_SUCCESS;
		st = ntob_access_check(w.dir, obj->type == &ntob_directory_type ?
				       DIRECTORY_CREATE_SUBDIRECTORY :
				       DIRECTORY_CREATE_OBJECT, &unused);
		if (NT_SUCCESS(st))
			st = ntob_dir_link(to_dir(w.dir), obj, w.last, w.last_len);
		if (NT_SUCCESS(st) && (oa->attributes & OBJ_PERMANENT)) {
			set_bit(NTOB_PERMANENT, &obj->flags);
			ntob_get(obj);
		}
	}
	if (NT_SUCCESS(st))
		st = ntob_create_handle(target, access, oa->attributes, &h);
	if (!NT_SUCCESS(st) && target == obj && obj->dir)
		ntob_unlink_locked(obj);
	ntob_walk_done(&w);
out_unlock:
	mutex_unlock(&ntob_ns_lock);
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
	mutex_lock(&ntob_ns_lock);
	st = ntob_walk(&w, oa.name.buf, oa.name.len, oa.attributes, root, follow);
	if (!NT_SUCCESS(st))
		goto out_unlock;
	if (!w.found)
		st = STATUS_OBJECT_NAME_NOT_FOUND;
	else if (w.found->type != type)
		st = STATUS_OBJECT_TYPE_MISMATCH;
	else
		st = ntob_access_check(w.found, access, &granted);
	if (NT_SUCCESS(st))
		st = ntob_create_handle(w.found, granted, oa.attributes, &h);
	ntob_walk_done(&w);
out_unlock:
	mutex_unlock(&ntob_ns_lock);
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
 * Stage entries from index @start into @kbuf (user layout, with string
 * pointers relative to @ubase): the records, a zeroed terminator, then the
 * strings. Returns the number of entries staged; *@used is the size, and
 * *@need the size one entry would have needed if none fitted.
 */
static u32 ntob_dir_stage(struct ntob_directory *d, u32 start, bool single,
			  u8 *kbuf, u32 room, u32 ubase, u32 *used, u32 *need,
			  bool *more)
{
	struct ntob_object *e;
	u32 i = 0, k = 0, nent = 0, strbytes = 0, size, off;
	OBJECT_DIRECTORY_INFORMATION *rec = (void *)kbuf;

	mutex_lock(&ntob_ns_lock);
	/* first pass: how many fit */
	list_for_each_entry(e, &d->entries, dir_node) {
		u32 sb;

		if (i++ < start)
			continue;
		sb = (e->name_len + 1 + strlen(e->type->name) + 1) * sizeof(WCHAR);
		size = (nent + 2) * sizeof(*rec) + strbytes + sb;
		if (size > room) {
			if (!nent)
				*need = size;
			*more = true;
			break;
		}
		nent++;
		strbytes += sb;
		if (single) {
			*more = i < d->count;
			break;
		}
	}
	if (!nent)
		goto out;
	memset(kbuf, 0, (nent + 1) * sizeof(*rec));
	off = (nent + 1) * sizeof(*rec);
	i = 0;
	list_for_each_entry(e, &d->entries, dir_node) {
		const char *tn = e->type->name;
		u32 j, tl = strlen(tn);
		WCHAR *s;

		if (i++ < start)
			continue;
		if (k == nent)
			break;
		s = (WCHAR *)(kbuf + off);
		memcpy(s, e->name, e->name_len * sizeof(WCHAR));
		s[e->name_len] = 0;
		rec[k].Name.Length = e->name_len * sizeof(WCHAR);
		rec[k].Name.MaximumLength = rec[k].Name.Length + sizeof(WCHAR);
		rec[k].Name.Buffer = ubase + off;
		off += (e->name_len + 1) * sizeof(WCHAR);
		s = (WCHAR *)(kbuf + off);
		for (j = 0; j < tl; j++)
			s[j] = tn[j];
		s[tl] = 0;
		rec[k].TypeName.Length = tl * sizeof(WCHAR);
		rec[k].TypeName.MaximumLength = rec[k].TypeName.Length + sizeof(WCHAR);
		rec[k].TypeName.Buffer = ubase + off;
		off += (tl + 1) * sizeof(WCHAR);
		k++;
	}
	*used = off;
out:
	mutex_unlock(&ntob_ns_lock);
	return nent;
}

NTSTATUS NtQueryDirectoryObject(HANDLE DirectoryHandle, void __user *Buffer,
				ULONG Length, BOOLEAN ReturnSingleEntry,
				BOOLEAN RestartScan, ULONG __user *Context,
				ULONG __user *ReturnLength)
{
	u32 start = 0, used = 0, need = 0, n, room;
	struct ntob_object *obj;
	bool more = false;
	u8 *kbuf = NULL;
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
	kbuf = kzalloc(room + sizeof(OBJECT_DIRECTORY_INFORMATION), GFP_KERNEL_ACCOUNT);
	if (!kbuf) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	n = ntob_dir_stage(to_dir(obj), start, ReturnSingleEntry, kbuf, room,
			   (u32)(unsigned long)Buffer, &used, &need, &more);
	if (!n) {
		if (need) {
			st = STATUS_BUFFER_TOO_SMALL;
			used = need;
		} else {
			st = STATUS_NO_MORE_ENTRIES;
		}
	} else {
		st = nt_copy_out(Buffer, kbuf, used);
		if (NT_SUCCESS(st) && more && !ReturnSingleEntry)
			st = STATUS_MORE_ENTRIES;
		if (NT_SUCCESS(st))
			st = nt_put_u32(Context, start + n);
	}
	if (ReturnLength && (NT_SUCCESS(st) || st == STATUS_BUFFER_TOO_SMALL)) {
		NTSTATUS st2 = nt_put_u32(ReturnLength, used);

		if (!NT_SUCCESS(st2))
			st = st2;
	}
out:
	kfree(kbuf);
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
	WCHAR w[32];
	u16 i, len = strlen(name);
	NTSTATUS st;

	for (i = 0; i < len && i < ARRAY_SIZE(w); i++)
		w[i] = name[i];
	obj->world = world;
	mutex_lock(&ntob_ns_lock);
	st = ntob_dir_link(parent, obj, w, i);
	if (NT_SUCCESS(st))
		set_bit(NTOB_PERMANENT, &obj->flags);	/* the pin is our ref */
	mutex_unlock(&ntob_ns_lock);
	if (!NT_SUCCESS(st)) {
		ntob_put(obj);
		return -ENOMEM;
	}
	return 0;
}

int ntob_ns_add_root(const char *name, struct ntob_object *obj,
		     ACCESS_MASK world)
{
	ntob_get(obj);
	return ntob_ns_add(ntob_root, name, obj, world);
}

/* Unlink everything below @top, depth first without recursion. */
static void ntob_ns_clear(struct ntob_directory *top)
{
	struct ntob_directory *d = top;
	struct ntob_object *e;

	mutex_lock(&ntob_ns_lock);
	for (;;) {
		e = list_first_entry_or_null(&d->entries, struct ntob_object,
					     dir_node);
		if (!e) {
			if (d == top)
				break;
			e = &d->ob;
			d = to_dir(e->dir);
			ntob_unlink_locked(e);
			continue;
		}
		if (e->type == &ntob_directory_type &&
		    !list_empty(&to_dir(e)->entries)) {
			d = to_dir(e);
			continue;
		}
		ntob_unlink_locked(e);
	}
	mutex_unlock(&ntob_ns_lock);
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
	return err;
}

void ntob_namespace_exit(void)
{
	ntob_ns_clear(ntob_root);
	ntob_put(&ntob_root->ob);
}
