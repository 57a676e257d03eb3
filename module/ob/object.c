// SPDX-License-Identifier: GPL-2.0
/*
 * Object core: the common header's lifetime, access mapping, the per-type
 * live counters in debugfs, NtQueryObject and NtMakeTemporaryObject.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "dispatch.h"
#include "ob/ob.h"

static atomic_long_t ntob_live[NTOB_TYPE_COUNT];
atomic_long_t ntob_armed_timers;
static const char *const ntob_index_names[NTOB_TYPE_COUNT] = {
	[NTOB_TYPE_DIRECTORY] = "Directory",
	[NTOB_TYPE_SYMLINK] = "SymbolicLink",
	[NTOB_TYPE_EVENT] = "Event",
	[NTOB_TYPE_MUTANT] = "Mutant",
	[NTOB_TYPE_SEMAPHORE] = "Semaphore",
	[NTOB_TYPE_TIMER] = "Timer",
	[NTOB_TYPE_KEYED_EVENT] = "KeyedEvent",
	[NTOB_TYPE_THREAD] = "Thread",
	[NTOB_TYPE_PROCESS] = "Process",
	[NTOB_TYPE_FILE] = "File",
	[NTOB_TYPE_SECTION] = "Section",
	[NTOB_TYPE_KEY] = "Key",
	[NTOB_TYPE_OTHER] = "Other",
};

void ntob_object_init(struct ntob_object *obj, const struct ntob_type *type)
{
	kref_init(&obj->ref);
	obj->type = type;
	atomic_set(&obj->handle_count, 0);
	obj->flags = 0;
	obj->dir = NULL;
	obj->name = NULL;
	obj->name_len = 0;
	INIT_HLIST_NODE(&obj->hash_node);
	obj->dir_index = 0;
	obj->owner = current_euid();
	obj->world = 0;
	atomic_long_inc(&ntob_live[type->index]);
}

static void ntob_free_rcu(struct rcu_head *rcu)
{
	struct ntob_object *obj = container_of(rcu, struct ntob_object, rcu);

	kfree(obj->name);
	kfree(obj);
}

/*
 * The last reference: the body's resources go now, its memory (and the
 * name lock-free lookups compare) after a grace period (ob.h, "Lifetime").
 * May run in atomic context: call_rcu() does not sleep.
 */
static void ntob_release(struct kref *ref)
{
	struct ntob_object *obj = container_of(ref, struct ntob_object, ref);
	enum ntob_type_index index = obj->type->index;

	/* A named object is unnamed before its last reference can go. */
	WARN_ON_ONCE(obj->dir);
	if (obj->type->destroy)
		obj->type->destroy(obj);
	call_rcu(&obj->rcu, ntob_free_rcu);
	atomic_long_dec(&ntob_live[index]);
}

void ntob_put(struct ntob_object *obj)
{
	kref_put(&obj->ref, ntob_release);
}

/* Generic rights to specific ones; MAXIMUM_ALLOWED is everything valid. */
ACCESS_MASK ntob_map_access(const struct ntob_type *type, ACCESS_MASK access)
{
	const GENERIC_MAPPING *m = &type->mapping;

	if (access & GENERIC_READ)
		access |= m->GenericRead;
	if (access & GENERIC_WRITE)
		access |= m->GenericWrite;
	if (access & GENERIC_EXECUTE)
		access |= m->GenericExecute;
	if (access & GENERIC_ALL)
		access |= m->GenericAll;
	if (access & MAXIMUM_ALLOWED)
		access |= type->valid_access;
	return access & type->valid_access;
}

static NTSTATUS ntob_query_basic(struct ntob_object *obj, ACCESS_MASK granted,
				 ULONG attributes, void __user *info, ULONG len,
				 ULONG *ret)
{
	OBJECT_BASIC_INFORMATION b = {};

	*ret = sizeof(b);
	if (len != sizeof(b))
		return STATUS_INFO_LENGTH_MISMATCH;
	b.Attributes = attributes;
	b.GrantedAccess = granted;
	b.HandleCount = atomic_read(&obj->handle_count);
	b.PointerCount = kref_read(&obj->ref) - 1;	/* less our own */
	if (READ_ONCE(obj->dir))
		b.NameInformationLength = sizeof(UNICODE_STRING) +
			(ntob_path_of(obj, NULL, 0) + 1) * sizeof(WCHAR);
	b.TypeInformationLength = sizeof(OBJECT_TYPE_INFORMATION) +
		(strlen(obj->type->name) + 1) * sizeof(WCHAR);
	return nt_copy_out(info, &b, sizeof(b));
}

static NTSTATUS ntob_query_type(struct ntob_object *obj, void __user *info,
				ULONG len, ULONG *ret)
{
	const struct ntob_type *type = obj->type;
	u32 nlen = strlen(type->name), i;
	OBJECT_TYPE_INFORMATION t = {};
	WCHAR *name;
	NTSTATUS st;

	*ret = sizeof(t) + (nlen + 1) * sizeof(WCHAR);
	if (len < *ret)
		return STATUS_INFO_LENGTH_MISMATCH;
	name = kcalloc(nlen + 1, sizeof(WCHAR), GFP_KERNEL);
	if (!name)
		return STATUS_INSUFFICIENT_RESOURCES;
	for (i = 0; i < nlen; i++)
		name[i] = type->name[i];
	t.TypeName.Length = nlen * sizeof(WCHAR);
	t.TypeName.MaximumLength = (nlen + 1) * sizeof(WCHAR);
	t.TypeName.Buffer = (u32)(unsigned long)info + sizeof(t);
	t.TotalNumberOfObjects = atomic_long_read(&ntob_live[type->index]);
	t.InvalidAttributes = 0;
	t.GenericMapping = type->mapping;
	t.ValidAccessMask = type->valid_access;
	t.MaintainHandleCount = 1;
	st = nt_copy_out(info, &t, sizeof(t));
	if (NT_SUCCESS(st))
		st = nt_copy_out(info + sizeof(t), name, (nlen + 1) * sizeof(WCHAR));
	kfree(name);
	return st;
}

/*
 * ObjectNameInformation of an object named by its type (a file), as XP's
 * IopQueryName answers it: shorter than the header is
 * STATUS_INFO_LENGTH_MISMATCH with nothing reported (Wine
 * ntdll/tests/om.c, test_query_object: broken(!len) is XP); shorter than
 * the name is STATUS_BUFFER_OVERFLOW with the header, what fits of the
 * name, and the whole length reported.
 */
static NTSTATUS ntob_query_type_name(struct ntob_object *obj, void __user *info,
				     ULONG len, ULONG *ret)
{
	UNICODE_STRING u = {};
	WCHAR *name;
	u32 bytes, room;
	u16 n;
	NTSTATUS st;

	*ret = 0;
	if (len < sizeof(u))
		return STATUS_INFO_LENGTH_MISMATCH;
	st = obj->type->query_name(obj, &name, &n);
	if (!NT_SUCCESS(st))
		return st;
	bytes = name ? (n + 1) * sizeof(WCHAR) : 0;
	*ret = sizeof(u) + bytes;
	if (name) {
		u.Length = n * sizeof(WCHAR);
		u.MaximumLength = bytes;
		u.Buffer = (u32)(unsigned long)info + sizeof(u);
	}
	room = min_t(u32, bytes, len - sizeof(u));
	st = nt_copy_out(info, &u, sizeof(u));
	if (NT_SUCCESS(st) && room) {
		/* the terminator goes with the last character */
		if (room == bytes)
			name[n] = 0;
		st = nt_copy_out(info + sizeof(u), name, room);
	}
	if (NT_SUCCESS(st) && room < bytes)
		st = STATUS_BUFFER_OVERFLOW;
	kfree(name);
	return st;
}

static NTSTATUS ntob_query_name(struct ntob_object *obj, void __user *info,
				ULONG len, ULONG *ret)
{
	UNICODE_STRING u = {};
	WCHAR *buf = NULL;
	u32 n = 0;
	NTSTATUS st;

	if (!READ_ONCE(obj->dir) && obj->type->query_name)
		return ntob_query_type_name(obj, info, len, ret);
	if (READ_ONCE(obj->dir)) {
		n = ntob_path_of(obj, NULL, 0);
		buf = kcalloc(n + 1, sizeof(WCHAR), GFP_KERNEL);
		if (!buf)
			return STATUS_INSUFFICIENT_RESOURCES;
		/* a path only shrinks (its names are unlinked), never grows */
		if (ntob_path_of(obj, buf, n) != n)
			n = 0;
	}
	*ret = sizeof(u) + (n ? (n + 1) * sizeof(WCHAR) : 0);
	if (len < *ret) {
		st = STATUS_INFO_LENGTH_MISMATCH;
		goto out;
	}
	if (n) {
		u.Length = n * sizeof(WCHAR);
		u.MaximumLength = u.Length + sizeof(WCHAR);
		u.Buffer = (u32)(unsigned long)info + sizeof(u);
	}
	st = nt_copy_out(info, &u, sizeof(u));
	if (NT_SUCCESS(st) && n)
		st = nt_copy_out(info + sizeof(u), buf, (n + 1) * sizeof(WCHAR));
out:
	kfree(buf);
	return st;
}

NTSTATUS NtQueryObject(HANDLE Handle, OBJECT_INFORMATION_CLASS ObjectInformationClass,
		       void __user *ObjectInformation, ULONG Length,
		       ULONG __user *ResultLength)
{
	struct ntob_object *obj;
	ACCESS_MASK granted;
	ULONG attributes, ret = 0;
	NTSTATUS st, st2;

	if (ObjectInformationClass != ObjectBasicInformation &&
	    ObjectInformationClass != ObjectNameInformation &&
	    ObjectInformationClass != ObjectTypeInformation)
		return STATUS_INVALID_INFO_CLASS;
	st = ntob_ref_by_handle_info(Handle, 0, NULL, &obj, &granted, &attributes);
	if (!NT_SUCCESS(st))
		return st;
	switch (ObjectInformationClass) {
	case ObjectBasicInformation:
		st = ntob_query_basic(obj, granted, attributes, ObjectInformation,
				      Length, &ret);
		break;
	case ObjectNameInformation:
		st = ntob_query_name(obj, ObjectInformation, Length, &ret);
		break;
	default:
		st = ntob_query_type(obj, ObjectInformation, Length, &ret);
		break;
	}
	ntob_put(obj);
	if (ResultLength && (NT_SUCCESS(st) || st == STATUS_INFO_LENGTH_MISMATCH ||
			     st == STATUS_BUFFER_OVERFLOW)) {
		st2 = nt_put_u32(ResultLength, ret);
		if (!NT_SUCCESS(st2))
			st = st2;
	}
	return st;
}

NTSTATUS NtMakeTemporaryObject(HANDLE Handle)
{
	struct ntob_object *obj;
	NTSTATUS st;

	st = ntob_ref_by_handle(Handle, DELETE, NULL, &obj);
	if (!NT_SUCCESS(st))
		return st;
	ntob_make_temporary(obj);
	ntob_put(obj);
	return STATUS_SUCCESS;
}

/* debugfs: ntpersonality/ob/{objects,handles} */
static struct dentry *ntob_debugfs_root_dir;
static bool ntob_debugfs_own_root;
static struct dentry *ntob_debugfs_dir;

static int ntob_objects_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < NTOB_TYPE_COUNT; i++)
		seq_printf(m, "%s %ld\n", ntob_index_names[i],
			   atomic_long_read(&ntob_live[i]));
	seq_printf(m, "ArmedTimer %ld\n", atomic_long_read(&ntob_armed_timers));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntob_objects);

static int ntob_handles_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%ld\n", ntob_handle_total());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntob_handles);

/*
 * The module's debugfs root is the dispatcher's (nt_debugfs_root(), made
 * before ntob_init()); without it, make one and remove it again at exit.
 */
static void ntob_debugfs_init(void)
{
	struct dentry *root = nt_debugfs_root();

	if (IS_ERR_OR_NULL(root)) {
		root = debugfs_create_dir(KBUILD_MODNAME, NULL);
		ntob_debugfs_own_root = true;
	}
	ntob_debugfs_root_dir = root;
	ntob_debugfs_dir = debugfs_create_dir("ob", root);
	debugfs_create_file("objects", 0444, ntob_debugfs_dir, NULL,
			    &ntob_objects_fops);
	debugfs_create_file("handles", 0444, ntob_debugfs_dir, NULL,
			    &ntob_handles_fops);
}

static void ntob_debugfs_exit(void)
{
	debugfs_remove(ntob_debugfs_dir);
	if (ntob_debugfs_own_root)
		debugfs_remove(ntob_debugfs_root_dir);
}

int ntob_init(void)
{
	int err = ntob_handle_cache_init();

	if (err)
		return err;
	err = ntob_namespace_init();
	if (err) {
		ntob_handle_cache_exit();
		return err;
	}
	ntob_debugfs_init();
	return 0;
}

void ntob_exit(void)
{
	int i;

	ntob_debugfs_exit();
	ntob_namespace_exit();
	rcu_barrier();	/* ntob_free_rcu() is module text */
	ntob_handle_cache_exit();
	for (i = 0; i < NTOB_TYPE_COUNT; i++)
		WARN(atomic_long_read(&ntob_live[i]), "%ld %s objects leaked\n",
		     atomic_long_read(&ntob_live[i]), ntob_index_names[i]);
}
