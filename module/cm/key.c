// SPDX-License-Identifier: GPL-2.0
/*
 * Registry keys: the key object type, the tree under \REGISTRY, parsing a
 * key path (case-insensitive, following link keys), access checks, and
 * NtCreateKey, NtOpenKey, NtDeleteKey, NtRenameKey, NtSetInformationKey,
 * NtFlushKey, NtCompactKeys, NtCompressKey, NtQueryOpenSubKeys.
 *
 * Who may do what (docs/security.md, docs/registry.md): a key belongs to a
 * hive and has the hive's owner. The owner, and a task with CAP_SYS_ADMIN
 * (Windows' Administrators and SYSTEM have full control of every hive),
 * get any access; everyone else only what the key's @world grants:
 * KEY_READ on \REGISTRY, \REGISTRY\MACHINE and \REGISTRY\USER and below
 * MACHINE, nothing in another user's hive. A user may create exactly one
 * key directly under \REGISTRY\USER: the one named by their own SID
 * (cm_uid_sid()), which becomes the root of their hive.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include "cm/cm.h"
#include "ex/ex.h"
#include "ke/ke.h"

DECLARE_RWSEM(cm_lock);

static unsigned long hive_quota = 64UL << 20;
module_param(hive_quota, ulong, 0644);
MODULE_PARM_DESC(hive_quota, "Bytes of keys and values one registry hive may hold");

static struct cm_key *cm_root, *cm_machine, *cm_user;
struct cm_key *cm_machine_key;	/* for persist.c, set while it may be used */
static struct cm_hive cm_machine_hive;
static LIST_HEAD(cm_hives);

#define CM_MAX_REPARSE	16
#define CM_WORLD_READ	(KEY_READ & ~SYNCHRONIZE)

static const WCHAR cm_link_value[] = {
	'S', 'y', 'm', 'b', 'o', 'l', 'i', 'c', 'L', 'i', 'n', 'k',
	'V', 'a', 'l', 'u', 'e'
};

static void cm_key_destroy(struct ntob_object *obj)
{
	struct cm_key *key = to_cm_key(obj);
	u32 i;

	WARN_ON_ONCE(key->nsub);
	cm_notify_drop(key);
	for (i = 0; i < key->nval; i++)
		kvfree(key->val[i]);
	kvfree(key->val);
	kvfree(key->sub);
	kfree(key->name);
	kfree(key->class);
}

static atomic_t cm_late_unloads = ATOMIC_INIT(0);
static struct ntob_object *cm_late_unload(struct cm_key *key,
					  struct list_head *fired,
					  struct cm_mount **m);

/*
 * The last handle is gone: its pending watches end (Wine test_notify),
 * and a hive waiting for its last handle (NtUnloadKeyEx) is unloaded.
 */
static void cm_key_close(struct ntob_object *obj)
{
	struct cm_key *key = to_cm_key(obj);
	struct ntob_object *ev = NULL;
	struct cm_mount *m = NULL;
	LIST_HEAD(fired);

	if (!READ_ONCE(key->nnotify) && !atomic_read(&cm_late_unloads))
		return;
	down_write(&cm_lock);
	if (key->nnotify)
		cm_report_cleanup(key, true, &fired);
	/* A detached key's hive may be gone: only a linked one is asked. */
	if (!test_bit(CM_KEY_DELETED, &key->flags) && key->hive->unload_root)
		ev = cm_late_unload(key, &fired, &m);
	up_write(&cm_lock);
	cm_notify_complete(&fired);
	/* The unloaded hive's changes to its file, as its loader. */
	cm_mount_finish(m);
	if (ev) {
		LONG prev;

		ntke_event_set(to_ntke(ev), &prev);
		ntob_put(ev);
	}
}

const struct ntob_type cm_key_type = {
	.name = "Key",
	.index = NTOB_TYPE_KEY,
	.valid_access = KEY_ALL_ACCESS,
	.mapping = {
		KEY_READ,
		KEY_WRITE,
		KEY_EXECUTE,
		KEY_ALL_ACCESS,
	},
	.close = cm_key_close,
	.destroy = cm_key_destroy,
};

/* The one place a Linux uid becomes a SID: Samba's Unix user SIDs. */
static u16 cm_uid_sid(kuid_t uid, WCHAR *buf)
{
	char s[32];
	int n, i;

	n = scnprintf(s, sizeof(s), "S-1-22-1-%u",
		      from_kuid_munged(&init_user_ns, uid));
	for (i = 0; i < n; i++)
		buf[i] = s[i];
	return n;
}

static bool cm_is_admin(void)
{
	return capable(CAP_SYS_ADMIN);
}

/*
 * The access check of an open or create by name: @desired (generic bits,
 * MAXIMUM_ALLOWED allowed) against @key's owner and @world.
 */
static NTSTATUS cm_access(struct cm_key *key, ACCESS_MASK desired,
			  ACCESS_MASK *granted)
{
	ACCESS_MASK want, world = key->ob.world;

	desired &= ~(KEY_WOW64_64KEY | KEY_WOW64_32KEY);
	want = ntob_map_access(&cm_key_type, desired & ~MAXIMUM_ALLOWED);
	if (world && !(want & ~world) && !(desired & MAXIMUM_ALLOWED)) {
		*granted = want;
		return STATUS_SUCCESS;
	}
	if (uid_eq(key->ob.owner, current_euid()) || cm_is_admin()) {
		*granted = ntob_map_access(&cm_key_type, desired);
		return STATUS_SUCCESS;
	}
	if (!world || (want & ~world))
		return STATUS_ACCESS_DENIED;
	*granted = want | world;
	return STATUS_SUCCESS;
}

NTSTATUS cm_ref_key(HANDLE h, ACCESS_MASK access, struct cm_key **key)
{
	struct ntob_object *obj;
	NTSTATUS st;

	st = ntob_ref_by_handle(h, access, &cm_key_type, &obj);
	if (NT_SUCCESS(st))
		*key = to_cm_key(obj);
	return st;
}

bool cm_over_quota(struct cm_hive *hive, long delta)
{
	lockdep_assert_held_write(&cm_lock);
	return delta > 0 && hive->bytes + delta > READ_ONCE(hive_quota);
}

void cm_touch(struct cm_key *key)
{
	lockdep_assert_held_write(&cm_lock);
	key->last_write = ntex_system_time();
	cm_log_dirty(key);
}

/* Compare as the hive's sorted subkey lists do: upcased, then by length. */
static int cm_cmp(const WCHAR *a, u16 alen, const WCHAR *b, u16 blen)
{
	u16 i, n = min(alen, blen);

	for (i = 0; i < n; i++) {
		WCHAR ca = ntob_upcase(a[i]), cb = ntob_upcase(b[i]);

		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return alen == blen ? 0 : (alen < blen ? -1 : 1);
}

/* Binary search: the child's index, or where it would go (*@found false). */
u32 cm_sub_index(struct cm_key *key, const WCHAR *name, u16 len, bool *found)
{
	u32 lo = 0, hi = key->nsub;

	lockdep_assert_held(&cm_lock);
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		struct cm_key *c = key->sub[mid];
		int r = cm_cmp(name, len, c->name, c->name_len);

		if (!r) {
			*found = true;
			return mid;
		}
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = false;
	return lo;
}

static struct cm_key *cm_find_sub(struct cm_key *key, const WCHAR *name, u16 len)
{
	bool found;
	u32 i = cm_sub_index(key, name, len, &found);

	return found ? key->sub[i] : NULL;
}

struct cm_value *cm_find_value(struct cm_key *key, const WCHAR *name, u16 len,
			       u32 *index)
{
	u32 i;

	lockdep_assert_held(&cm_lock);
	for (i = 0; i < key->nval; i++) {
		struct cm_value *v = key->val[i];

		if (v->name_len == len && !cm_cmp(v->name, len, name, len)) {
			if (index)
				*index = i;
			return v;
		}
	}
	return NULL;
}

/* Grow an array of pointers to hold one more. */
int cm_grow(void ***arr, u32 n, u32 *cap)
{
	u32 ncap;
	void **a;

	if (n < *cap)
		return 0;
	ncap = max(8U, *cap * 2);
	a = kvmalloc_array(ncap, sizeof(void *), GFP_KERNEL_ACCOUNT);
	if (!a)
		return -ENOMEM;
	if (n)
		memcpy(a, *arr, n * sizeof(void *));
	kvfree(*arr);
	*arr = a;
	*cap = ncap;
	return 0;
}

/*
 * Call @fn on every key strictly below @top, parents before children
 * (cm_lock held); a non-zero return stops the walk and is returned.
 */
int cm_visit_below(struct cm_key *top,
		   int (*fn)(struct cm_key *key, void *arg), void *arg)
{
	struct cm_key *key = top;
	u32 *pos, depth = 0;
	int ret = 0;

	lockdep_assert_held(&cm_lock);
	pos = kvcalloc(CM_MAX_DEPTH + 2, sizeof(*pos), GFP_KERNEL);
	if (!pos)
		return -ENOMEM;
	for (;;) {
		if (depth <= CM_MAX_DEPTH && pos[depth] < key->nsub) {
			key = key->sub[pos[depth]++];
			ret = fn(key, arg);
			if (ret)
				break;
			pos[++depth] = 0;
			continue;
		}
		if (key == top)
			break;
		key = key->parent;
		depth--;
	}
	kvfree(pos);
	return ret;
}

u32 cm_path_len(struct cm_key *key)
{
	u32 len = 0;

	lockdep_assert_held(&cm_lock);
	for (; key; key = key->parent)
		len += 1 + key->name_len;
	return len;
}

void cm_path_fill(struct cm_key *key, WCHAR *buf, u32 len)
{
	for (; key; key = key->parent) {
		len -= key->name_len;
		memcpy(buf + len, key->name, key->name_len * sizeof(WCHAR));
		buf[--len] = '\\';
	}
}

static long cm_key_cost(u16 name_len, u16 class_len)
{
	return sizeof(struct cm_key) + name_len * sizeof(WCHAR) + class_len;
}

struct cm_key *cm_key_alloc(const WCHAR *name, u16 len)
{
	struct cm_key *key = kzalloc(sizeof(*key), GFP_KERNEL_ACCOUNT);

	if (!key)
		return NULL;
	key->name = kmemdup(name, len * sizeof(WCHAR), GFP_KERNEL_ACCOUNT);
	if (!key->name && len) {
		kfree(key);
		return NULL;
	}
	key->name_len = len;
	INIT_LIST_HEAD(&key->notify);
	INIT_LIST_HEAD(&key->slaves);
	ntob_object_init(&key->ob, &cm_key_type);
	key->last_write = ntex_system_time();
	return key;
}

/* Link @child under @parent at @index; the array takes our reference. */
int cm_link(struct cm_key *parent, struct cm_key *child, u32 index)
{
	lockdep_assert_held_write(&cm_lock);
	if (cm_grow((void ***)&parent->sub, parent->nsub, &parent->sub_cap))
		return -ENOMEM;
	memmove(parent->sub + index + 1, parent->sub + index,
		(parent->nsub - index) * sizeof(*parent->sub));
	parent->sub[index] = child;
	parent->nsub++;
	child->parent = parent;
	child->depth = parent->depth + 1;
	parent->max_name = max_t(u32, parent->max_name,
				 child->name_len * sizeof(WCHAR));
	parent->max_class = max_t(u32, parent->max_class, child->class_len);
	cm_touch(parent);
	cm_log_dirty(child);
	return 0;
}

static void cm_unlink(struct cm_key *child)
{
	struct cm_key *parent = child->parent;
	bool found;
	u32 i;

	lockdep_assert_held_write(&cm_lock);
	i = cm_sub_index(parent, child->name, child->name_len, &found);
	if (WARN_ON_ONCE(!found || parent->sub[i] != child))
		return;
	memmove(parent->sub + i, parent->sub + i + 1,
		(parent->nsub - i - 1) * sizeof(*parent->sub));
	parent->nsub--;
	child->parent = NULL;
	cm_touch(parent);
}

/* Does @path begin with the component \REGISTRY? Returns what follows. */
static bool cm_strip_registry(const WCHAR **path, u16 *len, bool ci)
{
	static const char reg[] = "\\REGISTRY";
	const u16 n = sizeof(reg) - 1;
	u16 i;

	if (*len < n || (*len > n && (*path)[n] != '\\'))
		return false;
	for (i = 0; i < n; i++) {
		WCHAR c = (*path)[i];

		if ((ci ? ntob_upcase(c) : c) != reg[i])
			return false;
	}
	*path += n;
	*len -= n;
	return true;
}

/*
 * Result of a walk: the key that holds the last component (referenced;
 * NULL when the path named its start key), the key found (referenced, or
 * NULL) and the last component, which may point into @alloc after a link.
 */
struct cm_walk {
	struct cm_key *parent;
	struct cm_key *found;
	const WCHAR *last;
	u16 last_len;
	WCHAR *alloc;
};

static void cm_walk_done(struct cm_walk *w)
{
	if (w->parent)
		ntob_put(&w->parent->ob);
	if (w->found)
		ntob_put(&w->found->ob);
	kfree(w->alloc);
}

/* Restart at the target of link key @link followed by @rest. */
static NTSTATUS cm_reparse(struct cm_walk *w, struct cm_key *link,
			   const WCHAR *rest, u16 rest_len,
			   const WCHAR **path, u16 *len)
{
	struct cm_value *v;
	const WCHAR *t;
	u32 tlen;
	WCHAR *buf;

	v = cm_find_value(link, cm_link_value, ARRAY_SIZE(cm_link_value), NULL);
	if (!v || v->type != REG_LINK || v->data_len < sizeof(WCHAR))
		return STATUS_OBJECT_NAME_NOT_FOUND;
	t = (const WCHAR *)v->data;
	tlen = v->data_len / sizeof(WCHAR);
	if (tlen + rest_len > NT_NAME_MAX_BYTES / sizeof(WCHAR))
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
	if (!cm_strip_registry(path, len, true))
		return STATUS_OBJECT_NAME_NOT_FOUND;
	return STATUS_SUCCESS;
}

/*
 * Walk @path below @start under cm_lock. Every missing key, intermediate
 * or last, is STATUS_OBJECT_NAME_NOT_FOUND inside the registry (RegOpenKey
 * never gives ERROR_PATH_NOT_FOUND); trailing backslashes are ignored, and
 * so are empty components in the middle (Wine's dlls/ntdll/tests/reg.c
 * test_NtCreateKey: "test_subkey2\\\\test\\\\" creates test).
 */
static NTSTATUS cm_walk(struct cm_walk *w, struct cm_key *start,
			const WCHAR *path, u16 len, bool follow_last)
{
	struct cm_key *key, *child;
	int reparse = 0;
	NTSTATUS st;
	u16 n;

	lockdep_assert_held(&cm_lock);
	memset(w, 0, sizeof(*w));
restart:
	key = start;
	while (len && path[0] == '\\') {
		path++;
		len--;
	}
	while (len && path[len - 1] == '\\')
		len--;
	if (test_bit(CM_KEY_DELETED, &key->flags))
		return STATUS_KEY_DELETED;
	if (!len) {
		ntob_get(&key->ob);
		w->found = key;
		return STATUS_SUCCESS;
	}
	for (;;) {
		for (n = 0; n < len && path[n] != '\\'; n++)
			;
		if (!n)
			return STATUS_OBJECT_NAME_INVALID;
		child = cm_find_sub(key, path, n);
		if (child && test_bit(CM_KEY_LINK, &child->flags) &&
		    (n < len || follow_last)) {
			if (++reparse > CM_MAX_REPARSE)
				return STATUS_REPARSE_POINT_NOT_RESOLVED;
			st = cm_reparse(w, child, path + n, len - n, &path, &len);
			if (!NT_SUCCESS(st))
				return st;
			start = cm_root;
			goto restart;
		}
		if (n == len) {
			ntob_get(&key->ob);
			w->parent = key;
			w->last = path;
			w->last_len = n;
			if (child) {
				ntob_get(&child->ob);
				w->found = child;
			}
			return STATUS_SUCCESS;
		}
		if (!child)
			return STATUS_OBJECT_NAME_NOT_FOUND;
		key = child;
		path += n + 1;
		len -= n + 1;
		/* a run of backslashes separates as one (Wine test_NtCreateKey) */
		while (len && path[0] == '\\') {
			path++;
			len--;
		}
	}
}

/*
 * Where a key path starts: a key handle (relative), or \REGISTRY. Any
 * other absolute path is the object manager's: its own status, or
 * STATUS_OBJECT_TYPE_MISMATCH when it names something that is not a key.
 * Windows looks \REGISTRY up in the root directory like any name, so
 * "\Registry" without OBJ_CASE_INSENSITIVE is not found there (Wine's
 * dlls/ntdll/tests/reg.c, test_NtOpenKey: STATUS_OBJECT_PATH_NOT_FOUND).
 */
static NTSTATUS cm_start(const struct nt_oa *oa, struct cm_key **start,
			 const WCHAR **path, u16 *len)
{
	struct ntob_object *obj;
	NTSTATUS st;

	*path = oa->name.buf;
	*len = oa->name.len;
	if (oa->root) {
		st = ntob_ref_by_handle(oa->root, 0, NULL, &obj);
		if (!NT_SUCCESS(st))
			return st;
		if (obj->type != &cm_key_type) {
			ntob_put(obj);
			return STATUS_OBJECT_TYPE_MISMATCH;
		}
		if (*len && (*path)[0] == '\\') {
			ntob_put(obj);
			return STATUS_OBJECT_PATH_SYNTAX_BAD;
		}
		*start = to_cm_key(obj);
		return STATUS_SUCCESS;
	}
	if (!*len || (*path)[0] != '\\')
		return STATUS_OBJECT_PATH_SYNTAX_BAD;
	if (cm_strip_registry(path, len, oa->attributes & OBJ_CASE_INSENSITIVE)) {
		ntob_get(&cm_root->ob);
		*start = cm_root;
		return STATUS_SUCCESS;
	}
	st = ntob_lookup_path(oa->name.buf, oa->name.len, oa->attributes, NULL,
			      NULL, &obj);
	if (!NT_SUCCESS(st))
		return st;
	if (obj != &cm_root->ob) {
		ntob_put(obj);
		return STATUS_OBJECT_TYPE_MISMATCH;
	}
	*start = cm_root;
	*len = 0;
	return STATUS_SUCCESS;
}

/* Hand out a handle to @key (referenced by the caller) and write it. */
static NTSTATUS cm_hand_out(struct cm_key *key, ACCESS_MASK granted,
			    ULONG attributes, HANDLE __user *uh)
{
	NTSTATUS st;
	HANDLE h;

	st = ntob_create_handle(&key->ob, granted, attributes, &h);
	if (!NT_SUCCESS(st))
		return st;
	st = nt_put_handle(uh, h);
	if (!NT_SUCCESS(st))
		ntob_close_handle(h);
	return st;
}

/* Find the key @oa names and check @desired on it: referenced in *@out. */
static NTSTATUS cm_open(const struct nt_oa *oa, ACCESS_MASK desired,
			struct cm_key **out, ACCESS_MASK *granted)
{
	struct cm_key *start = NULL;
	const WCHAR *path;
	struct cm_walk w;
	NTSTATUS st;
	u16 len;

	*out = NULL;
	/* SeAccessCheck grants nothing for nothing (Wine test_NtOpenKey) */
	if (!(desired & ~(KEY_WOW64_64KEY | KEY_WOW64_32KEY)))
		return STATUS_ACCESS_DENIED;
	st = cm_start(oa, &start, &path, &len);
	if (!NT_SUCCESS(st))
		return st;
	down_read(&cm_lock);
	st = cm_walk(&w, start, path, len, !(oa->attributes & OBJ_OPENLINK));
	if (NT_SUCCESS(st)) {
		if (!w.found)
			st = STATUS_OBJECT_NAME_NOT_FOUND;
		else
			st = cm_access(w.found, desired, granted);
		if (NT_SUCCESS(st))
			swap(*out, w.found);
		cm_walk_done(&w);
	}
	up_read(&cm_lock);
	ntob_put(&start->ob);
	return st;
}

/* A key by OBJECT_ATTRIBUTES without a handle (a notification's slave). */
NTSTATUS cm_open_key_oa(const OBJECT_ATTRIBUTES __user *uoa, ACCESS_MASK desired,
			struct cm_key **key)
{
	ACCESS_MASK granted;
	struct nt_oa oa;
	NTSTATUS st;

	st = nt_capture_oa(uoa, &oa);
	if (!NT_SUCCESS(st))
		return st;
	st = cm_open(&oa, desired, key, &granted);
	nt_release_oa(&oa);
	return st;
}

NTSTATUS NtOpenKey(HANDLE __user *KeyHandle, ACCESS_MASK DesiredAccess,
		   const OBJECT_ATTRIBUTES __user *ObjectAttributes)
{
	struct cm_key *key = NULL;
	ACCESS_MASK granted = 0;
	struct nt_oa oa;
	NTSTATUS st;

	st = ntob_begin_create(KeyHandle, ObjectAttributes, &oa);
	if (!NT_SUCCESS(st))
		goto out;
	if (!ObjectAttributes) {
		st = STATUS_ACCESS_VIOLATION;	/* XP: probes it */
		goto out;
	}
	st = cm_open(&oa, DesiredAccess, &key, &granted);
	if (key) {
		st = cm_hand_out(key, granted, oa.attributes, KeyHandle);
		ntob_put(&key->ob);
	}
out:
	nt_release_oa(&oa);
	return st;
}

/* Who may create @name directly below @parent? (cm_lock held) */
static NTSTATUS cm_may_create(struct cm_key *parent, const WCHAR *name,
			      u16 len)
{
	ACCESS_MASK granted;
	WCHAR sid[32];

	if (NT_SUCCESS(cm_access(parent, KEY_CREATE_SUB_KEY, &granted)))
		return STATUS_SUCCESS;
	/* Everyone may create the root of their own hive. */
	if (parent == cm_user && len == cm_uid_sid(current_euid(), sid) &&
	    !cm_cmp(sid, len, name, len))
		return STATUS_SUCCESS;
	return STATUS_ACCESS_DENIED;
}

/* The uid of an S-1-22-1-<uid> name, for a hive root an admin creates. */
static kuid_t cm_sid_uid(const WCHAR *name, u16 len)
{
	char s[32];
	u32 uid;
	u16 i;

	if (len >= sizeof(s))
		return GLOBAL_ROOT_UID;
	for (i = 0; i < len; i++)
		s[i] = name[i] < 0x80 ? ntob_upcase(name[i]) : '?';
	s[len] = 0;
	if (strncmp(s, "S-1-22-1-", 9) || kstrtou32(s + 9, 10, &uid))
		return GLOBAL_ROOT_UID;
	return make_kuid(&init_user_ns, uid);
}

/* A new hive below \REGISTRY\USER for @name. */
static struct cm_hive *cm_user_hive(const WCHAR *name, u16 len)
{
	struct cm_hive *hive = kzalloc(sizeof(*hive), GFP_KERNEL_ACCOUNT);

	if (!hive)
		return NULL;
	hive->owner = cm_sid_uid(name, len);
	if (!uid_valid(hive->owner))
		hive->owner = GLOBAL_ROOT_UID;
	list_add_tail(&hive->node, &cm_hives);
	cm_persist_attach(hive);
	return hive;
}

/* Create @w->last below @w->parent (cm_lock held for writing). */
static NTSTATUS cm_create(struct cm_walk *w, const struct nt_ustr *class,
			  ULONG options, struct cm_key **out,
			  struct list_head *fired)
{
	struct cm_key *parent = w->parent, *key;
	struct cm_hive *hive = parent->hive;
	bool new_hive = parent == cm_user;
	long cost;
	bool found;
	u32 index;
	NTSTATUS st;

	if (test_bit(CM_KEY_DELETED, &parent->flags))
		return STATUS_KEY_DELETED;
	if (w->last_len > CM_MAX_KEY_NAME)
		return STATUS_INVALID_PARAMETER;
	st = cm_may_create(parent, w->last, w->last_len);
	if (!NT_SUCCESS(st))
		return st;
	if (test_bit(CM_KEY_VOLATILE, &parent->flags) &&
	    !(options & REG_OPTION_VOLATILE))
		return STATUS_CHILD_MUST_BE_VOLATILE;
	if (parent->depth + 1 > CM_MAX_DEPTH)
		return STATUS_INVALID_PARAMETER;
	if (class->len * sizeof(WCHAR) > U16_MAX)
		return STATUS_INVALID_PARAMETER;
	cost = cm_key_cost(w->last_len, class->len * sizeof(WCHAR));
	if (!new_hive && cm_over_quota(hive, cost))
		return STATUS_INSUFFICIENT_RESOURCES;
	key = cm_key_alloc(w->last, w->last_len);
	if (!key)
		return STATUS_INSUFFICIENT_RESOURCES;
	if (class->len) {
		key->class = kmemdup(class->buf, class->len * sizeof(WCHAR),
				     GFP_KERNEL_ACCOUNT);
		if (!key->class)
			goto nomem;
		key->class_len = class->len * sizeof(WCHAR);
	}
	if (new_hive) {
		hive = cm_user_hive(w->last, w->last_len);
		if (!hive)
			goto nomem;
		__set_bit(CM_KEY_HIVE_ROOT, &key->flags);
		key->ob.world = 0;
	} else {
		key->ob.world = parent->ob.world;
	}
	key->hive = hive;
	key->ob.owner = hive->owner;
	if (options & REG_OPTION_VOLATILE)
		__set_bit(CM_KEY_VOLATILE, &key->flags);
	if (options & REG_OPTION_CREATE_LINK)
		__set_bit(CM_KEY_LINK, &key->flags);
	index = cm_sub_index(parent, key->name, key->name_len, &found);
	if (cm_link(parent, key, index))
		goto nomem;
	hive->bytes += cost;
	cm_report(parent, REG_NOTIFY_CHANGE_NAME, fired);
	ntob_get(&key->ob);
	*out = key;
	return STATUS_SUCCESS;
nomem:
	ntob_put(&key->ob);
	return STATUS_INSUFFICIENT_RESOURCES;
}

NTSTATUS NtCreateKey(HANDLE __user *KeyHandle, ACCESS_MASK DesiredAccess,
		     const OBJECT_ATTRIBUTES __user *ObjectAttributes,
		     ULONG TitleIndex, const UNICODE_STRING __user *Class,
		     ULONG CreateOptions, ULONG __user *Disposition)
{
	struct cm_key *start = NULL, *key = NULL;
	struct nt_ustr class = {};
	LIST_HEAD(fired);
	ACCESS_MASK granted = 0;
	ULONG disp = 0;
	const WCHAR *path;
	struct cm_walk w;
	struct nt_oa oa;
	NTSTATUS st;
	bool follow;
	u16 len;

	st = ntob_begin_create(KeyHandle, ObjectAttributes, &oa);
	if (!NT_SUCCESS(st))
		goto out;
	if (!ObjectAttributes) {
		st = STATUS_ACCESS_VIOLATION;
		goto out;
	}
	if (CreateOptions & ~REG_LEGAL_OPTION) {
		st = STATUS_INVALID_PARAMETER;
		goto out;
	}
	if (Class) {
		st = nt_capture_ustr(Class, &class);
		if (!NT_SUCCESS(st))
			goto out;
	}
	st = cm_start(&oa, &start, &path, &len);
	if (!NT_SUCCESS(st))
		goto out;
	follow = !(oa.attributes & OBJ_OPENLINK) &&
		 !(CreateOptions & (REG_OPTION_OPEN_LINK | REG_OPTION_CREATE_LINK));
	down_write(&cm_lock);
	st = cm_walk(&w, start, path, len, follow);
	if (NT_SUCCESS(st)) {
		if (w.found) {
			if (CreateOptions & REG_OPTION_CREATE_LINK) {
				st = STATUS_OBJECT_NAME_COLLISION;
			} else {
				st = cm_access(w.found, DesiredAccess, &granted);
				disp = REG_OPENED_EXISTING_KEY;
			}
			if (NT_SUCCESS(st))
				swap(key, w.found);
		} else {
			st = cm_create(&w, &class, CreateOptions, &key, &fired);
			if (NT_SUCCESS(st)) {
				disp = REG_CREATED_NEW_KEY;
				st = cm_access(key, DesiredAccess, &granted);
			}
		}
		cm_walk_done(&w);
	}
	up_write(&cm_lock);
	cm_notify_complete(&fired);
	ntob_put(&start->ob);
	if (key) {
		if (NT_SUCCESS(st))
			st = cm_hand_out(key, granted, oa.attributes, KeyHandle);
		ntob_put(&key->ob);
	}
	if (NT_SUCCESS(st) && Disposition)
		st = nt_put_u32(Disposition, disp);
out:
	nt_release_ustr(&class);
	nt_release_oa(&oa);
	return st;
}

NTSTATUS NtDeleteKey(HANDLE KeyHandle)
{
	LIST_HEAD(fired);
	struct cm_key *key;
	NTSTATUS st;
	u32 i;

	st = cm_ref_key(KeyHandle, DELETE, &key);
	if (!NT_SUCCESS(st))
		return st;
	down_write(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags)) {
		/* Not twice, and not an error (XP's CmDeleteKey; Wine test_NtDeleteKey) */
		st = STATUS_SUCCESS;
	} else if (test_bit(CM_KEY_HIVE_ROOT, &key->flags) || key->nsub) {
		st = STATUS_CANNOT_DELETE;
	} else {
		cm_report(key->parent, REG_NOTIFY_CHANGE_NAME, &fired);
		cm_report_cleanup(key, false, &fired);
		cm_unlink(key);
		set_bit(CM_KEY_DELETED, &key->flags);
		key->hive->bytes -= cm_key_cost(key->name_len, key->class_len);
		for (i = 0; i < key->nval; i++) {
			key->hive->bytes -= sizeof(struct cm_value) +
				key->val[i]->name_len * sizeof(WCHAR) +
				key->val[i]->data_len;
			kvfree(key->val[i]);
		}
		key->nval = 0;
		ntob_put(&key->ob);	/* the parent's */
	}
	up_write(&cm_lock);
	cm_notify_complete(&fired);
	ntob_put(&key->ob);
	return st;
}

/*
 * XP's CmRenameKey: a new last component for the key, in place; a name
 * already taken by a sibling is STATUS_CANNOT_DELETE (ReactOS
 * ntoskrnl/config/cmapi.c does the same).
 */
NTSTATUS NtRenameKey(HANDLE KeyHandle, const UNICODE_STRING __user *NewName)
{
	struct cm_key *key, *parent;
	struct nt_ustr name;
	LIST_HEAD(fired);
	bool found;
	WCHAR *old;
	NTSTATUS st;
	u32 i, j;

	/*
	 * The name is captured and checked before the handle (Wine's
	 * dlls/ntdll/tests/reg.c test_NtRenameKey: NULL is
	 * STATUS_ACCESS_VIOLATION, "" STATUS_INVALID_PARAMETER, even on a
	 * handle without KEY_WRITE or no handle at all).
	 */
	st = nt_capture_ustr(NewName, &name);
	if (!NT_SUCCESS(st))
		return st;
	st = STATUS_INVALID_PARAMETER;
	if (!name.len || name.len > CM_MAX_KEY_NAME)
		goto out_name;
	for (i = 0; i < name.len; i++)
		if (name.buf[i] == '\\')
			goto out_name;
	st = cm_ref_key(KeyHandle, KEY_WRITE & ~READ_CONTROL, &key);
	if (!NT_SUCCESS(st))
		goto out_name;
	down_write(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags)) {
		st = STATUS_KEY_DELETED;
		goto unlock;
	}
	if (test_bit(CM_KEY_HIVE_ROOT, &key->flags) || !key->parent) {
		st = STATUS_ACCESS_DENIED;
		goto unlock;
	}
	parent = key->parent;
	/*
	 * Any key of that name, the key itself included (a rename to its own
	 * name, in any case): XP's CmRenameKey finds it and refuses
	 * (ReactOS ntoskrnl/config/cmapi.c; Wine's test_NtRenameKey).
	 */
	cm_sub_index(parent, name.buf, name.len, &found);
	if (found) {
		st = STATUS_CANNOT_DELETE;
		goto unlock;
	}
	i = cm_sub_index(parent, key->name, key->name_len, &found);
	old = key->name;
	key->hive->bytes += (long)(name.len - key->name_len) * sizeof(WCHAR);
	key->name = name.buf;
	key->name_len = name.len;
	name.buf = old;
	/* Move within the sorted array: take it out, put it where it goes. */
	memmove(parent->sub + i, parent->sub + i + 1,
		(parent->nsub - i - 1) * sizeof(*parent->sub));
	parent->nsub--;
	j = cm_sub_index(parent, key->name, key->name_len, &found);
	memmove(parent->sub + j + 1, parent->sub + j,
		(parent->nsub - j) * sizeof(*parent->sub));
	parent->sub[j] = key;
	parent->nsub++;
	parent->max_name = max_t(u32, parent->max_name,
				 key->name_len * sizeof(WCHAR));
	cm_touch(parent);
	cm_touch(key);
	cm_log_subtree_changed(key);
	cm_report(parent, REG_NOTIFY_CHANGE_NAME, &fired);
	st = STATUS_SUCCESS;
unlock:
	up_write(&cm_lock);
	cm_notify_complete(&fired);
	ntob_put(&key->ob);
out_name:
	kfree(name.buf);
	return st;
}

NTSTATUS NtSetInformationKey(HANDLE KeyHandle, ULONG KeySetInformationClass,
			     void __user *KeySetInformation,
			     ULONG KeySetInformationLength)
{
	LIST_HEAD(fired);
	struct cm_key *key;
	NTSTATUS st;
	s64 time;
	u32 flags;

	switch (KeySetInformationClass) {
	case KeyWriteTimeInformation:
		if (KeySetInformationLength != sizeof(s64))
			return STATUS_INFO_LENGTH_MISMATCH;
		st = nt_get_large_integer(KeySetInformation, &time);
		break;
	case KeyUserFlagsInformation:
		if (KeySetInformationLength != sizeof(u32))
			return STATUS_INFO_LENGTH_MISMATCH;
		st = nt_copy_in(&flags, KeySetInformation, sizeof(flags));
		break;
	default:
		return STATUS_INVALID_INFO_CLASS;
	}
	if (!NT_SUCCESS(st))
		return st;
	st = cm_ref_key(KeyHandle, KEY_SET_VALUE, &key);
	if (!NT_SUCCESS(st))
		return st;
	down_write(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags))
		st = STATUS_KEY_DELETED;
	else if (KeySetInformationClass == KeyWriteTimeInformation)
		key->last_write = time;
	else
		key->user_flags = flags;
	if (NT_SUCCESS(st)) {
		cm_log_dirty(key);
		cm_report(key, REG_NOTIFY_CHANGE_LAST_SET, &fired);
	}
	up_write(&cm_lock);
	cm_notify_complete(&fired);
	ntob_put(&key->ob);
	return st;
}

/*
 * A non-volatile key of the machine hive or a user hive: what changed in
 * its hive is in registry_dir before this returns (persist.c). Of a hive
 * NtLoadKey mounted: the hive is written to its file (mount.c). Volatile
 * keys are memory only: flushing them succeeds and writes nothing, as
 * flushing XP's volatile hives does.
 */
NTSTATUS NtFlushKey(HANDLE KeyHandle)
{
	struct cm_key *key;
	NTSTATUS st;

	st = cm_ref_key(KeyHandle, 0, &key);
	if (!NT_SUCCESS(st))
		return st;
	if (test_bit(CM_KEY_DELETED, &key->flags))
		st = STATUS_KEY_DELETED;
	else if (!test_bit(CM_KEY_VOLATILE, &key->flags) &&
		 !cm_mount_flush(key, &st))
		st = cm_persist_flush(key->hive);
	ntob_put(&key->ob);
	return st;
}

/* Nothing to compact in a tree of kmalloc'd nodes: check and succeed. */
NTSTATUS NtCompactKeys(ULONG Count, HANDLE __user *KeyArray)
{
	struct cm_key *key;
	NTSTATUS st;
	HANDLE h;
	ULONG i;

	if (Count > 0x1000)
		return STATUS_INVALID_PARAMETER;
	for (i = 0; i < Count; i++) {
		st = nt_copy_in(&h, KeyArray + i, sizeof(h));
		if (!NT_SUCCESS(st))
			return st;
		st = cm_ref_key(h, 0, &key);
		if (!NT_SUCCESS(st))
			return st;
		ntob_put(&key->ob);
	}
	return STATUS_SUCCESS;
}

NTSTATUS NtCompressKey(HANDLE Key)
{
	struct cm_key *key;
	NTSTATUS st;

	st = cm_ref_key(Key, 0, &key);
	if (!NT_SUCCESS(st))
		return st;
	if (test_bit(CM_KEY_DELETED, &key->flags))
		st = STATUS_KEY_DELETED;
	ntob_put(&key->ob);
	return st;
}

static int cm_add_handles(struct cm_key *key, void *count)
{
	*(u32 *)count += atomic_read(&key->ob.handle_count);
	return 0;
}

/* Handles open to keys of @key's subtree, @key included. */
static u32 cm_count_handles(struct cm_key *top)
{
	u32 count = atomic_read(&top->ob.handle_count);

	cm_visit_below(top, cm_add_handles, &count);
	return count;
}

NTSTATUS NtQueryOpenSubKeys(const OBJECT_ATTRIBUTES __user *TargetKey,
			    ULONG __user *HandleCount)
{
	struct cm_key *start = NULL;
	const WCHAR *path;
	struct cm_walk w;
	struct nt_oa oa;
	u32 count = 0;
	NTSTATUS st;
	u16 len;

	st = nt_put_u32(HandleCount, 0);
	if (!NT_SUCCESS(st))
		return st;
	st = nt_capture_oa(TargetKey, &oa);
	if (!NT_SUCCESS(st))
		return st;
	st = cm_start(&oa, &start, &path, &len);
	if (!NT_SUCCESS(st))
		goto out;
	down_read(&cm_lock);
	st = cm_walk(&w, start, path, len, true);
	if (NT_SUCCESS(st)) {
		if (!w.found)
			st = STATUS_OBJECT_NAME_NOT_FOUND;
		else if (!test_bit(CM_KEY_HIVE_ROOT, &w.found->flags))
			st = STATUS_INVALID_PARAMETER;	/* XP: hive roots only */
		else
			count = cm_count_handles(w.found);
		cm_walk_done(&w);
	}
	up_read(&cm_lock);
	ntob_put(&start->ob);
	if (NT_SUCCESS(st))
		st = nt_put_u32(HandleCount, count);
out:
	nt_release_oa(&oa);
	return st;
}

static struct cm_key *cm_make_root(struct cm_key *parent, const char *name,
				   struct cm_hive *hive)
{
	WCHAR w[16];
	struct cm_key *key;
	u16 i, len = strlen(name);

	for (i = 0; i < len; i++)
		w[i] = name[i];
	key = cm_key_alloc(w, len);
	if (!key)
		return NULL;
	key->hive = hive;
	key->ob.owner = GLOBAL_ROOT_UID;
	key->ob.world = CM_WORLD_READ;
	__set_bit(CM_KEY_HIVE_ROOT, &key->flags);
	if (parent) {
		bool found;
		u32 index = cm_sub_index(parent, key->name, len, &found);

		if (cm_link(parent, key, index)) {
			ntob_put(&key->ob);
			return NULL;
		}
	}
	return key;
}

/* A key below @parent for the seed content (cm_lock held). */
static struct cm_key *cm_seed_key(struct cm_key *parent, const char *path)
{
	struct cm_key *key = parent, *child;
	WCHAR w[CM_MAX_KEY_NAME];
	const char *p = path;
	bool found;
	u32 index;
	u16 n;

	while (key && *p) {
		for (n = 0; p[n] && p[n] != '\\' && n < ARRAY_SIZE(w); n++)
			w[n] = p[n];
		child = cm_find_sub(key, w, n);
		if (!child) {
			child = cm_key_alloc(w, n);
			if (!child)
				return NULL;
			child->hive = key->hive;
			child->ob.owner = key->ob.owner;
			child->ob.world = key->ob.world;
			index = cm_sub_index(key, w, n, &found);
			if (cm_link(key, child, index)) {
				ntob_put(&child->ob);
				return NULL;
			}
			key->hive->bytes += cm_key_cost(n, 0);
		}
		key = child;
		p += n;
		if (*p)
			p++;
	}
	return key;
}

/* A REG_SZ (with its terminating NUL, as Windows stores it) or a DWORD. */
static void cm_seed_value(struct cm_key *key, const char *name, u32 type,
			  const char *sz, u32 dw)
{
	u16 i, nlen = strlen(name);
	u32 len = type == REG_DWORD ? 4 : (strlen(sz) + 1) * sizeof(WCHAR);
	struct cm_value *v;

	if (!key)
		return;
	v = cm_value_alloc(nlen, len);
	if (!v)
		return;
	v->type = type;
	for (i = 0; i < nlen; i++)
		v->name[i] = name[i];
	if (type == REG_DWORD) {
		memcpy(v->data, &dw, 4);
	} else {
		WCHAR *d = (WCHAR *)v->data;

		for (i = 0; i < len / sizeof(WCHAR); i++)
			d[i] = sz[i];
	}
	if (!NT_SUCCESS(cm_value_store(key, v)))
		kvfree(v);
}

/*
 * What an XP program reads at start (docs/registry.md lists it). Made
 * once at load; what fails to allocate is simply absent.
 */
static void cm_seed(void)
{
	struct cm_key *k, *ctl;

	lockdep_assert_held_write(&cm_lock);
	k = cm_seed_key(cm_machine, "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion");
	cm_seed_value(k, "CurrentVersion", REG_SZ, "5.1", 0);
	cm_seed_value(k, "CurrentBuildNumber", REG_SZ, "2600", 0);
	cm_seed_value(k, "CurrentBuild", REG_SZ, "2600", 0);
	cm_seed_value(k, "CSDVersion", REG_SZ, "Service Pack 3", 0);
	cm_seed_value(k, "CSDBuildNumber", REG_SZ, "5512", 0);
	cm_seed_value(k, "ProductName", REG_SZ, "Microsoft Windows XP", 0);
	cm_seed_value(k, "CurrentType", REG_SZ, "Uniprocessor Free", 0);
	cm_seed_value(k, "SystemRoot", REG_SZ, "C:\\WINDOWS", 0);
	k = cm_seed_key(cm_machine, "SOFTWARE\\Microsoft\\Windows\\CurrentVersion");
	cm_seed_value(k, "ProgramFilesDir", REG_SZ, "C:\\Program Files", 0);
	cm_seed_value(k, "CommonFilesDir", REG_SZ,
		      "C:\\Program Files\\Common Files", 0);
	ctl = cm_seed_key(cm_machine, "SYSTEM\\CurrentControlSet\\Control");
	k = cm_seed_key(ctl, "Session Manager\\Environment");
	cm_seed_value(k, "OS", REG_SZ, "Windows_NT", 0);
	cm_seed_value(k, "PROCESSOR_ARCHITECTURE", REG_SZ, "x86", 0);
	cm_seed_value(k, "windir", REG_SZ, "C:\\WINDOWS", 0);
	k = cm_seed_key(ctl, "Nls\\CodePage");
	cm_seed_value(k, "ACP", REG_SZ, "1252", 0);
	cm_seed_value(k, "OEMCP", REG_SZ, "437", 0);
}

/* Volatile keys are never saved: made at every load. */
static void cm_seed_volatile(void)
{
	struct cm_key *k;

	lockdep_assert_held_write(&cm_lock);
	k = cm_seed_key(cm_machine, "HARDWARE");
	if (k)
		__set_bit(CM_KEY_VOLATILE, &k->flags);
}

/* Tear the tree down depth first, without recursion. */
void cm_clear(struct cm_key *top)
{
	struct cm_key *key = top, *child;

	lockdep_assert_held_write(&cm_lock);
	for (;;) {
		if (key->nsub) {
			key = key->sub[key->nsub - 1];
			continue;
		}
		if (key == top)
			break;
		child = key;
		key = key->parent;
		key->nsub--;
		child->parent = NULL;
		set_bit(CM_KEY_DELETED, &child->flags);
		ntob_put(&child->ob);
	}
}

/*
 * Where NtLoadKey mounts a hive: one component directly below
 * \REGISTRY\MACHINE or \REGISTRY\USER, as XP requires.
 */
NTSTATUS cm_hive_parent(const struct nt_oa *oa, struct cm_key **parent,
			const WCHAR **name, u16 *len)
{
	static const char *const tops[] = { "MACHINE", "USER" };
	const WCHAR *p = oa->name.buf;
	u16 n = oa->name.len, i, j, c;

	if (oa->root || !cm_strip_registry(&p, &n, true))
		return STATUS_INVALID_PARAMETER;
	while (n && p[n - 1] == '\\')
		n--;
	if (n < 2 || p[0] != '\\')
		return STATUS_INVALID_PARAMETER;
	p++;
	n--;
	for (c = 0; c < n && p[c] != '\\'; c++)
		;
	for (i = 0; i < ARRAY_SIZE(tops); i++) {
		if (strlen(tops[i]) != c)
			continue;
		for (j = 0; j < c && ntob_upcase(p[j]) == tops[i][j]; j++)
			;
		if (j == c)
			break;
	}
	if (i == ARRAY_SIZE(tops) || c + 1 >= n)
		return STATUS_INVALID_PARAMETER;
	*name = p + c + 1;
	*len = n - c - 1;
	for (j = 0; j < *len; j++)
		if ((*name)[j] == '\\')
			return STATUS_INVALID_PARAMETER;
	if (*len > CM_MAX_KEY_NAME)
		return STATUS_INVALID_PARAMETER;
	*parent = i ? cm_user : cm_machine;
	return STATUS_SUCCESS;
}

struct cm_hive *cm_hive_new(struct cm_key *parent, const WCHAR *name, u16 len)
{
	struct cm_hive *hive = kzalloc(sizeof(*hive), GFP_KERNEL_ACCOUNT);

	if (!hive)
		return NULL;
	INIT_LIST_HEAD(&hive->node);
	if (parent == cm_user) {
		hive->owner = cm_sid_uid(name, len);
		hive->world = 0;
	} else {
		hive->owner = GLOBAL_ROOT_UID;
		hive->world = CM_WORLD_READ;
	}
	return hive;
}

void cm_hive_free(struct cm_hive *hive)
{
	if (hive)
		cm_mount_put(hive->mount);
	kfree(hive);
}

/* Link a loaded tree at @parent\@name as a hive root (cm_lock held). */
int cm_hive_mount(struct cm_key *parent, struct cm_key *root,
		  struct cm_hive *hive, const WCHAR *name, u16 len)
{
	WCHAR *n = kmemdup(name, len * sizeof(WCHAR), GFP_KERNEL_ACCOUNT);
	bool found;
	u32 index;

	lockdep_assert_held_write(&cm_lock);
	if (!n)
		return -ENOMEM;
	kfree(root->name);
	root->name = n;
	root->name_len = len;
	__set_bit(CM_KEY_HIVE_ROOT, &root->flags);
	__set_bit(CM_KEY_LOADED, &root->flags);
	index = cm_sub_index(parent, n, len, &found);
	if (found || cm_link(parent, root, index))
		return -ENOMEM;
	list_add_tail(&hive->node, &cm_hives);
	return 0;
}

/* Detach and free a mounted hive (cm_lock held); its pending event back. */
static struct ntob_object *cm_unmount_locked(struct cm_key *parent,
					     struct cm_key *key,
					     struct list_head *fired,
					     struct cm_mount **m)
{
	struct cm_hive *hive = key->hive;
	struct ntob_object *ev = hive->unload_event;

	lockdep_assert_held_write(&cm_lock);
	if (hive->unload_root)
		atomic_dec(&cm_late_unloads);
	/* What changed since the last write is built now, written after. */
	*m = cm_mount_detach(hive);
	cm_report(parent, REG_NOTIFY_CHANGE_NAME, fired);
	cm_clear(key);
	cm_unlink(key);
	set_bit(CM_KEY_DELETED, &key->flags);
	list_del(&hive->node);
	kfree(hive);
	ntob_put(&key->ob);
	return ev;
}

/* @key's hive awaits its last handle: is this it? (cm_lock held) */
static struct ntob_object *cm_late_unload(struct cm_key *key,
					  struct list_head *fired,
					  struct cm_mount **m)
{
	struct cm_key *root = key->hive->unload_root;

	lockdep_assert_held_write(&cm_lock);
	if (cm_count_handles(root))
		return NULL;
	return cm_unmount_locked(root->parent, root, fired, m);
}

/*
 * NtUnloadKey (@ev NULL): a hive with open keys is STATUS_CANNOT_DELETE,
 * as XP. NtUnloadKeyEx with an event: such a hive is unloaded when its
 * last handle closes, then @ev is set; STATUS_PENDING meanwhile.
 */
NTSTATUS cm_hive_unmount_ex(const struct nt_oa *oa, struct ntob_object *ev)
{
	struct ntob_object *done = NULL;
	struct cm_key *parent, *key;
	struct cm_mount *m = NULL;
	LIST_HEAD(fired);
	const WCHAR *name;
	NTSTATUS st;
	u16 len;

	st = cm_hive_parent(oa, &parent, &name, &len);
	if (!NT_SUCCESS(st))
		return st;
	/*
	 * XP writes a hive before it unloads it. A write that fails keeps
	 * the hive mounted, its changes with it. Changes made between this
	 * write and the unmount below are written after it.
	 */
	st = cm_mount_flush_root(parent, name, len);
	if (!NT_SUCCESS(st))
		return st;
	down_write(&cm_lock);
	key = cm_find_sub(parent, name, len);
	if (!key) {
		st = STATUS_OBJECT_NAME_NOT_FOUND;
	} else if (!test_bit(CM_KEY_LOADED, &key->flags)) {
		st = STATUS_INVALID_PARAMETER;
	} else if (key->hive->unload_root) {
		st = STATUS_CANNOT_DELETE;	/* already on its way out */
	} else if (!cm_count_handles(key)) {
		done = cm_unmount_locked(parent, key, &fired, &m);
	} else if (ev) {
		ntob_get(ev);
		key->hive->unload_event = ev;
		key->hive->unload_root = key;
		atomic_inc(&cm_late_unloads);
		st = STATUS_PENDING;
	} else {
		st = STATUS_CANNOT_DELETE;
	}
	up_write(&cm_lock);
	cm_notify_complete(&fired);
	cm_mount_finish(m);
	if (done)	/* cannot be: only a late unload has one */
		ntob_put(done);
	return st;
}

NTSTATUS cm_hive_unmount(const struct nt_oa *oa)
{
	return cm_hive_unmount_ex(oa, NULL);
}

/* \REGISTRY and \REGISTRY\USER: containers of hives, no hive's keys. */
bool cm_is_master_key(struct cm_key *key)
{
	return key == cm_root || key == cm_user;
}

/* What @key and its values count in its hive's bytes. */
static long cm_node_bytes(struct cm_key *key)
{
	long bytes = cm_key_cost(key->name_len, key->class_len);
	u32 i;

	for (i = 0; i < key->nval; i++)
		bytes += cm_value_cost(key->val[i]);
	return bytes;
}

static int cm_add_bytes(struct cm_key *key, void *bytes)
{
	*(long *)bytes += cm_node_bytes(key);
	return 0;
}

/* What @top's subtree holds, as hive->bytes counts it; 0 without memory. */
long cm_subtree_bytes(struct cm_key *top)
{
	long bytes = cm_node_bytes(top);

	lockdep_assert_held(&cm_lock);
	return cm_visit_below(top, cm_add_bytes, &bytes) ? 0 : bytes;
}

/*
 * Empty @key for NtRestoreKey: everything below it goes, and the bytes
 * it and its values held leave the hive's count (cm_lock held; nothing
 * below is another hive's, the caller checked).
 */
void cm_clear_accounted(struct cm_key *key)
{
	struct cm_key *k = key;
	u32 *pos, depth = 0, i;
	long bytes = 0;

	lockdep_assert_held_write(&cm_lock);
	for (i = 0; i < key->nval; i++)
		bytes += cm_value_cost(key->val[i]);
	/*
	 * 2 KiB: no failure allowed past the point of no return, so not
	 * cm_subtree_bytes(), which gives up without memory.
	 */
	pos = kcalloc(CM_MAX_DEPTH + 2, sizeof(*pos), GFP_KERNEL | __GFP_NOFAIL);
	for (;;) {
		if (pos[depth] < k->nsub) {
			k = k->sub[pos[depth]++];
			bytes += cm_node_bytes(k);
			pos[++depth] = 0;
			continue;
		}
		if (k == key)
			break;
		k = k->parent;
		depth--;
	}
	kfree(pos);
	key->hive->bytes -= bytes;
	cm_clear(key);
}

/*
 * Give @key the subkeys and values of the unlinked tree @root (NtRestoreKey);
 * @root takes @key's old values and is then discarded, its own node's
 * bytes with it (cm_lock held, @key emptied by cm_clear_accounted()).
 */
void cm_adopt(struct cm_key *key, struct cm_key *root)
{
	u32 i;

	lockdep_assert_held_write(&cm_lock);
	swap(key->sub, root->sub);
	swap(key->nsub, root->nsub);
	swap(key->sub_cap, root->sub_cap);
	swap(key->val, root->val);
	swap(key->nval, root->nval);
	swap(key->val_cap, root->val_cap);
	for (i = 0; i < key->nsub; i++)
		key->sub[i]->parent = key;
	for (i = 0; i < root->nval; i++)
		root->hive->bytes -= cm_value_cost(root->val[i]);
	key->max_name = root->max_name;
	key->max_class = root->max_class;
	key->max_vname = root->max_vname;
	key->max_vdata = root->max_vdata;
	root->hive->bytes -= cm_key_cost(root->name_len, root->class_len);
}

int cm_init(void)
{
	bool loaded;
	int err;

	cm_machine_hive.owner = GLOBAL_ROOT_UID;
	cm_machine_hive.world = CM_WORLD_READ;
	down_write(&cm_lock);
	cm_root = cm_make_root(NULL, "REGISTRY", &cm_machine_hive);
	if (cm_root) {
		cm_machine = cm_make_root(cm_root, "MACHINE", &cm_machine_hive);
		cm_user = cm_make_root(cm_root, "USER", &cm_machine_hive);
	}
	up_write(&cm_lock);
	err = -ENOMEM;
	if (!cm_root || !cm_machine || !cm_user)
		goto fail;
	/* The saved machine hive, or on first load the seed (docs/registry.md). */
	loaded = cm_persist_load(cm_machine, &cm_machine_hive);
	down_write(&cm_lock);
	if (!loaded)
		cm_seed();
	cm_seed_volatile();
	up_write(&cm_lock);
	cm_machine_key = cm_machine;
	err = ntob_ns_add_root("REGISTRY", &cm_root->ob, CM_WORLD_READ);
	if (err)
		goto fail;
	return 0;
fail:
	/* Nothing is written back from a failed load. */
	cm_machine_key = NULL;
	cm_persist_exit();
	if (cm_root) {
		down_write(&cm_lock);
		cm_clear(cm_root);
		up_write(&cm_lock);
		ntob_put(&cm_root->ob);
	}
	return err;
}

void cm_exit(void)
{
	struct cm_mount *mounts[16];
	struct cm_hive *hive, *tmp;
	unsigned int n, i;

	cm_persist_exit();
	cm_machine_key = NULL;

	/*
	 * Mounted hives are written, as XP writes every hive at shutdown:
	 * in batches, as the loader, outside cm_lock. Nothing is attached
	 * any more, so the list only shrinks.
	 */
	do {
		n = 0;
		down_write(&cm_lock);
		list_for_each_entry(hive, &cm_hives, node) {
			if (!hive->mount || n == ARRAY_SIZE(mounts))
				continue;
			mounts[n++] = cm_mount_detach(hive);
		}
		up_write(&cm_lock);
		for (i = 0; i < n; i++)
			cm_mount_finish(mounts[i]);
	} while (n == ARRAY_SIZE(mounts));

	ntob_make_temporary(&cm_root->ob);
	down_write(&cm_lock);
	cm_clear(cm_root);
	up_write(&cm_lock);
	ntob_put(&cm_root->ob);
	list_for_each_entry_safe(hive, tmp, &cm_hives, node) {
		list_del(&hive->node);
		if (hive->unload_event)
			ntob_put(hive->unload_event);
		kfree(hive);
	}
}
