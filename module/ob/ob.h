/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Object manager API: typed reference-counted objects, per-process handle
 * tables and the global namespace of directories and symbolic links.
 *
 * An object body embeds struct ntob_object as its FIRST member (objects are
 * freed through it) and gets back with container_of(). Each type is one
 * const struct ntob_type next to its code.
 *
 * References: ntob_get()/ntob_put() count pointers (struct kref); handles
 * count separately (@handle_count): when the last handle goes, type->close
 * runs and a temporary object loses its name. A permanent named object is
 * pinned by its directory until NtMakeTemporaryObject.
 *
 * Lifetime (issues 16 and 19): when the last reference goes, type->destroy
 * releases what the body holds at once (share access, locks, files: the
 * next call must see them gone), and the memory of the object and its name
 * is freed only after an RCU grace period. So a reader under
 * rcu_read_lock() that loaded an object pointer from an RCU-published
 * place (a handle table slot, a directory's hash chain) may read its
 * immutable fields (@type, @name, @name_len, @hash) and try to reference
 * it with ntob_get_unless_zero(), as get_file_rcu() does a struct file;
 * having failed, it must not touch the body again. The object must then
 * still be checked to be what the reader looked for (the slot or the
 * directory may have let go of it meanwhile): handle.c and namespace.c say
 * how each does. Nothing but the memory is RCU-deferred: a body whose
 * destroy ran is dead, and its type-specific fields are off limits.
 */
#ifndef NTOB_OB_H
#define NTOB_OB_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include "ob/nt_types.h"
#include "ob/ob_process.h"
#include "uaccess.h"

struct nt_process;
struct ntob_object;

/* Slots for the per-type live-object counters in debugfs. */
enum ntob_type_index {
	NTOB_TYPE_DIRECTORY,
	NTOB_TYPE_SYMLINK,
	NTOB_TYPE_EVENT,
	NTOB_TYPE_MUTANT,
	NTOB_TYPE_SEMAPHORE,
	NTOB_TYPE_TIMER,
	NTOB_TYPE_KEYED_EVENT,
	NTOB_TYPE_THREAD,
	NTOB_TYPE_PROCESS,
	NTOB_TYPE_FILE,		/* free for io/ */
	NTOB_TYPE_SECTION,	/* free for mm/ */
	NTOB_TYPE_KEY,		/* cm/ */
	NTOB_TYPE_OTHER,
	NTOB_TYPE_COUNT
};

struct ntob_type {
	const char *name;		/* "Event", as ObjectTypeInformation says */
	enum ntob_type_index index;
	ACCESS_MASK valid_access;
	GENERIC_MAPPING mapping;
	/* The last handle was closed. Process context, may sleep. Optional. */
	void (*close)(struct ntob_object *obj);
	/*
	 * The last reference is gone: release what the body holds, but do
	 * not free the body itself: ob frees it (a kmalloc'ed block starting
	 * with the header) after an RCU grace period, for the lock-free
	 * readers described above. Optional. Must not sleep for types whose
	 * references are dropped in atomic context (mutant, thread: see ke/).
	 */
	void (*destroy)(struct ntob_object *obj);
	/*
	 * May the caller have a new handle to @obj with @access (specific
	 * rights), checked as an open of it would be? NtDuplicateObject asks
	 * when a duplicate would grant more than its source handle. Without
	 * it a duplicate is never wider than its source. Optional.
	 */
	NTSTATUS (*may_grant)(struct ntob_object *obj, ACCESS_MASK access);
	/*
	 * For an object that is not a dispatcher object itself but has one
	 * (ps/'s Process and Thread): that one, referenced, for a wait on a
	 * handle to @obj (ke/dispatcher.c). Process context. Optional.
	 */
	NTSTATUS (*wait_object)(struct ntob_object *obj, struct ntob_object **out);
	/*
	 * The name of an object that is not in the namespace (a file):
	 * kmalloc'ed in *@name, *@len WCHARs with room for one more (the
	 * terminator); *@name NULL for none. ObjectNameInformation asks. Optional.
	 */
	NTSTATUS (*query_name)(struct ntob_object *obj, WCHAR **name, u16 *len);
};

#define NTOB_PERMANENT	0	/* flags bit: named object kept with no handle */

/*
 * Who may open a named object (issue 12). Windows gives a user's objects
 * a default DACL of "the owner, SYSTEM and Administrators: all"; here the
 * owner is the creator's euid and "SYSTEM and Administrators" is a task
 * with CAP_IPC_OWNER in the initial user namespace (the capability that
 * bypasses SysV IPC permissions, the closest Linux kin of named objects).
 * @world is what everyone else may have: 0 by default, everything for a
 * SECURITY_DESCRIPTOR with a NULL DACL, what a DACL's ACEs allow Everyone
 * (S-1-1-0), and on the namespace's own directories what XP grants
 * Everyone there. Set once before the object is named.
 */

/*
 * Common header. @ref and @handle_count are atomic; @flags bits are atomic
 * bitops. @dir, @hash_node and @dir_index are guarded by the lock of the
 * directory the object is named in (namespace.c); @name, @name_len and
 * @hash are set once when the object is named and stay until it is freed
 * (an unnamed object has @dir NULL).
 */
struct ntob_object {
	struct kref ref;
	const struct ntob_type *type;
	atomic_t handle_count;
	unsigned long flags;
	struct ntob_object *dir;	/* parent directory, referenced */
	WCHAR *name;			/* last path component, NULL if unnamed */
	u16 name_len;			/* in WCHARs */
	u32 hash;
	struct hlist_node hash_node;	/* in the parent's hash buckets */
	u32 dir_index;			/* in the parent's listing (xarray) */
	kuid_t owner;			/* creator's euid */
	ACCESS_MASK world;		/* granted to everyone (see above) */
	struct rcu_head rcu;		/* frees the memory (see "Lifetime") */
};

/* object.c */
void ntob_object_init(struct ntob_object *obj, const struct ntob_type *type);
static inline void ntob_get(struct ntob_object *obj)
{
	kref_get(&obj->ref);
}

/*
 * A reference to an object found under RCU alone, or false if its last
 * reference is already gone (then leave it alone: see "Lifetime").
 */
static inline bool __must_check ntob_get_unless_zero(struct ntob_object *obj)
{
	return kref_get_unless_zero(&obj->ref);
}

void ntob_put(struct ntob_object *obj);
/* Running timers (ke/timer.c keeps it), shown in debugfs ob/objects. */
extern atomic_long_t ntob_armed_timers;
ACCESS_MASK ntob_map_access(const struct ntob_type *type, ACCESS_MASK access);
int ntob_init(void);
void ntob_exit(void);

/* handle.c */
#define NT_CURRENT_PROCESS	((HANDLE)0xffffffff)
#define NT_CURRENT_THREAD	((HANDLE)0xfffffffe)

int ntob_process_init(struct ntob_process *p, struct ntob_process *parent);
int ntob_process_init_inherit(struct ntob_process *p,
			      struct ntob_process *parent);
void ntob_process_fini(struct ntob_process *p);

/*
 * Look up @h in the current process: check the type (NULL = any), check
 * that every bit of @access (already specific, not generic) was granted,
 * and return a new reference in *@obj. Pseudo-handles come first.
 * STATUS_INVALID_HANDLE / STATUS_OBJECT_TYPE_MISMATCH / STATUS_ACCESS_DENIED.
 */
NTSTATUS ntob_ref_by_handle(HANDLE h, ACCESS_MASK access,
			    const struct ntob_type *type,
			    struct ntob_object **obj);
/* The same, also returning the handle's granted access and attributes. */
NTSTATUS ntob_ref_by_handle_info(HANDLE h, ACCESS_MASK access,
				 const struct ntob_type *type,
				 struct ntob_object **obj,
				 ACCESS_MASK *granted, ULONG *attributes);
/* New handle to @obj in the current process; takes its own reference. */
NTSTATUS ntob_create_handle(struct ntob_object *obj, ACCESS_MASK granted,
			    ULONG attributes, HANDLE *h);
NTSTATUS ntob_close_handle(HANDLE h);
/*
 * For lock-free opens by name (namespace.c): count a handle on @obj ahead
 * of making it, but only while @obj still has one (false: its last handle
 * is being closed, so its name may be going). ntob_create_handle_reserved()
 * turns the count into a handle (on failure the count stays the caller's);
 * ntob_handle_unreserve() gives it back, as a close would.
 */
bool ntob_handle_reserve(struct ntob_object *obj);
void ntob_handle_unreserve(struct ntob_object *obj);
NTSTATUS ntob_create_handle_reserved(struct ntob_object *obj,
				     ACCESS_MASK granted, ULONG attributes,
				     HANDLE *h);
/* Handles of the current process with a user out-pointer. */
NTSTATUS ntob_create_handle_out(struct ntob_object *obj, ACCESS_MASK granted,
				ULONG attributes, HANDLE __user *uh);
long ntob_handle_total(void);
int ntob_handle_cache_init(void);
void ntob_handle_cache_exit(void);
u32 ntob_handle_count(struct ntob_process *p);

/* namespace.c */
/*
 * Resolve a path in the namespace. @path/@len (WCHARs) is the remaining
 * name; @root is a referenced directory to start from, or NULL for '\'
 * (then the path must start with '\'). Symbolic links are followed, the
 * last component too unless @attributes has OBJ_OPENLINK or @type is the
 * symbolic link type. Returns a reference in *@obj, or
 * STATUS_OBJECT_NAME_NOT_FOUND (last component), _PATH_NOT_FOUND (an
 * intermediate one), _NAME_INVALID (empty component), _PATH_SYNTAX_BAD,
 * STATUS_OBJECT_TYPE_MISMATCH (a non-directory in the middle, or @type
 * given and different).
 *
 * For io/: resolving "\??\C:" gives whatever object the link points to;
 * a device object type with its own parse step is future work: today the
 * lookup stops at non-directories with STATUS_OBJECT_TYPE_MISMATCH.
 */
NTSTATUS ntob_lookup_path(const WCHAR *path, u16 len, ULONG attributes,
			  struct ntob_object *root, const struct ntob_type *type,
			  struct ntob_object **obj);

/*
 * The end of every NtCreateXxx: name @obj after @oa (if named), make a
 * handle with @access (generic bits mapped here) and write it to @uh.
 * Consumes the caller's reference on @obj whatever happens.
 * STATUS_OBJECT_NAME_EXISTS (OBJ_OPENIF, handle to the existing object,
 * after ntob_access_check()), STATUS_OBJECT_NAME_COLLISION,
 * STATUS_OBJECT_TYPE_MISMATCH, STATUS_ACCESS_DENIED (no
 * DIRECTORY_CREATE_OBJECT on the directory, or the existing object's
 * check), STATUS_PRIVILEGE_NOT_HELD (OBJ_PERMANENT without
 * CAP_SYS_ADMIN), STATUS_INVALID_SECURITY_DESCR, ...
 */
NTSTATUS ntob_insert(struct ntob_object *obj, const struct nt_oa *oa,
		     ACCESS_MASK access, HANDLE __user *uh);
/* The whole of every NtOpenXxx: capture, look up, check type, hand out. */
NTSTATUS ntob_open_service(HANDLE __user *uh, ACCESS_MASK access,
			   const OBJECT_ATTRIBUTES __user *uoa,
			   const struct ntob_type *type);
/* Pre-write the out-handle and capture @uoa: the start of a create. */
NTSTATUS ntob_begin_create(HANDLE __user *uh, const OBJECT_ATTRIBUTES __user *uoa,
			   struct nt_oa *oa);
void ntob_unname(struct ntob_object *obj);
/*
 * Name @obj permanently in the root directory, @world for everyone (cm/'s
 * \REGISTRY); takes its own reference. ntob_make_temporary() undoes it.
 */
int ntob_ns_add_root(const char *name, struct ntob_object *obj,
		     ACCESS_MASK world);
void ntob_make_temporary(struct ntob_object *obj);
/*
 * The access check of an open by name: @desired (generic bits and
 * MAXIMUM_ALLOWED allowed) against @obj's owner and @world, with the
 * caller's credentials. The specific access to grant goes to *@granted.
 * STATUS_ACCESS_DENIED.
 */
NTSTATUS ntob_access_check(struct ntob_object *obj, ACCESS_MASK desired,
			   ACCESS_MASK *granted);
/* Full path of a named object into @buf (NULL: just count), in WCHARs. */
u32 ntob_path_of(struct ntob_object *obj, WCHAR *buf, u32 room);
extern const struct ntob_type ntob_directory_type;
extern const struct ntob_type ntob_symlink_type;
int ntob_namespace_init(void);
void ntob_namespace_exit(void);

/* symlink.c: the target of a link, for namespace.c. */
void ntob_symlink_target(struct ntob_object *obj, const WCHAR **buf, u16 *len);
/* A new link object (one reference) with an ASCII target. */
NTSTATUS ntob_symlink_create_kernel(const char *target, struct ntob_object **obj);

/* ke/ hooks used by ob: the current thread as an object (referenced). */
NTSTATUS ntke_current_thread_object(struct ntob_object **obj);

/*
 * RtlUpcaseUnicodeChar as far as this module folds names: ASCII and
 * Latin-1 letters. Object names (ob), file names and directory masks (io)
 * all fold with it, so a name matches the same way everywhere.
 */
static inline WCHAR ntob_upcase(WCHAR c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7))
		return c - 0x20;
	return c;
}

#endif /* NTOB_OB_H */
