/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration manager (registry): key objects under \REGISTRY, their
 * values, and the services on them. docs/registry.md has the model.
 *
 * Locking: one rw_semaphore, cm_lock, guards the whole tree: every key's
 * parent pointer, subkey and value arrays, class, flags, times and maxima,
 * and every hive's byte count. Lookups and queries take it shared,
 * anything that changes the tree or a value takes it exclusive. Nothing
 * touches user memory under it (results are staged in kernel buffers and
 * copied out after it is dropped), so a faulting or userfaultfd-backed
 * buffer cannot hold the registry. Key lifetime is the object reference
 * count: a parent's subkey array holds one reference on each child; a
 * child's @parent pointer holds none and is valid while the child is
 * linked (a parent with children cannot be deleted).
 */
#ifndef NTCM_CM_H
#define NTCM_CM_H

#include <linux/list.h>
#include <linux/rwsem.h>
#include <linux/uidgid.h>
#include "ob/ob.h"
#include "nt/ntreg.h"

#define CM_MAX_KEY_NAME		255		/* WCHARs in one component */
#define CM_MAX_VALUE_NAME	16383		/* WCHARs */
#define CM_MAX_VALUE_DATA	(1024 * 1024)	/* bytes */
#define CM_MAX_DEPTH		512		/* levels below a hive root */

/*
 * A hive: the subtree whose keys share an owner and a quota. The machine
 * hive, and one per user below \REGISTRY\USER. @bytes is what its keys
 * and values hold, under cm_lock.
 */
struct cm_hive {
	struct list_head node;
	kuid_t owner;
	ACCESS_MASK world;	/* what everyone gets on its keys */
	long bytes;
	/* NtUnloadKeyEx waiting for the last handle: its root and event */
	struct cm_key *unload_root;
	struct ntob_object *unload_event;	/* referenced */
	struct cm_plog *plog;	/* persistence (persist.c), or NULL */
	struct cm_mount *mount;	/* NtLoadKey's file (mount.c), or NULL */
};

struct cm_value {
	u32 type;
	u32 data_len;
	u16 name_len;		/* WCHARs */
	WCHAR *name;		/* into @store */
	u8 *data;		/* into @store */
	u8 store[];
};

enum {
	CM_KEY_VOLATILE,
	CM_KEY_LINK,
	CM_KEY_DELETED,
	CM_KEY_HIVE_ROOT,	/* cannot be deleted or renamed */
	CM_KEY_LOADED,		/* root of a hive NtLoadKey mounted */
	CM_KEY_DIRTY,		/* on its hive's dirty list (persist.c) */
};

struct cm_key {
	struct ntob_object ob;
	struct cm_key *parent;		/* not referenced, see above */
	struct cm_hive *hive;
	WCHAR *name;
	u16 name_len;			/* WCHARs */
	u16 class_len;			/* bytes */
	WCHAR *class;
	unsigned long flags;
	u32 depth;
	u32 user_flags;
	s64 last_write;
	struct cm_key **sub;		/* sorted by upcased name */
	u32 nsub, sub_cap;
	struct cm_value **val;		/* in creation order */
	u32 nval, val_cap;
	struct list_head notify;	/* its handles' notify blocks */
	struct list_head slaves;	/* posts watching it as a slave key */
	u32 nnotify;			/* blocks + slave posts */
	struct cm_key *dirty_next;	/* the hive's dirty list, under cm_lock */
	/* Grow-only maxima in bytes, as a hive's key node keeps them. */
	u32 max_name, max_class, max_vname, max_vdata;
};

static inline struct cm_key *to_cm_key(struct ntob_object *obj)
{
	return container_of(obj, struct cm_key, ob);
}

extern struct rw_semaphore cm_lock;
extern const struct ntob_type cm_key_type;

/* value.c */
NTSTATUS cm_value_store(struct cm_key *key, struct cm_value *v);
struct cm_value *cm_value_alloc(u16 name_len, u32 data_len);
long cm_value_cost(const struct cm_value *v);

/* notify.c: changes reported under cm_lock, completed after it. */
void cm_report(struct cm_key *key, u32 filter, struct list_head *fired);
void cm_report_cleanup(struct cm_key *key, bool closed,
		       struct list_head *fired);
void cm_notify_complete(struct list_head *fired);
void cm_notify_drop(struct cm_key *key);
/* In cm_report_cleanup()'s filter: every watch, whatever it watches. */
#define CM_NOTIFY_ANY	0x80000000

/* hive.c */
NTSTATUS regf_read_whole(struct file *filp, loff_t min, u8 **buf, u32 *len);
NTSTATUS regf_build(struct cm_key *key, u8 **out, u32 *len);
NTSTATUS regf_build_locked(struct cm_key *key, u8 **out, u32 *len);
NTSTATUS regf_load(const u8 *file, u32 fsize, struct cm_hive *hive,
		   struct cm_key **out);

/* persist.c */
struct cm_plog;
bool cm_persist_load(struct cm_key *machine, struct cm_hive *hive);
NTSTATUS cm_persist_flush(struct cm_hive *hive);
void cm_persist_exit(void);
void cm_persist_attach(struct cm_hive *hive);
void cm_log_dirty(struct cm_key *key);
void cm_log_subtree_changed(struct cm_key *key);
NTSTATUS cm_persist_replace(struct cm_key *key, const u8 *buf, u32 len,
			    const char *oldpath);
extern struct cm_key *cm_machine_key;

/* mount.c: hives NtLoadKey mounted, written back; NtReplaceKey. */
struct cm_mount;
struct cm_ident;
struct file;
struct path;
struct cm_mount *cm_mount_new(struct file *filp);
void cm_mount_put(struct cm_mount *m);
void cm_mount_attach(struct cm_mount *m, struct cm_key *root);
void cm_mount_dirty(struct cm_key *key);
bool cm_mount_flush(struct cm_key *key, NTSTATUS *st);
NTSTATUS cm_mount_flush_root(struct cm_key *parent, const WCHAR *name, u16 len);
struct cm_mount *cm_mount_detach(struct cm_hive *hive);
void cm_mount_finish(struct cm_mount *m);
int cm_fsync_dirpath(const struct path *dir);
int cm_rename_at(const struct path *odir, const char *oname,
		 const struct path *ndir, const char *nname, unsigned int flags,
		 const struct cm_ident *src_id, const struct cm_ident *dst_id,
		 struct cm_ident *moved);
int cm_unlink_at(const struct path *dir, const char *name);
int cm_unlink_path(const char *path);

/* log.c: the records of the redo log, built and replayed under cm_lock. */
#define CM_LOG_REC_HDR	16	/* bytes cm_log_encode leaves for persist.c */
int cm_log_encode(struct cm_key *root, struct cm_key *dirty, u8 **out,
		  u32 *len);
int cm_log_replay(struct cm_key *root, const u8 *p, u32 len);

/* key.c */
NTSTATUS cm_ref_key(HANDLE h, ACCESS_MASK access, struct cm_key **key);
NTSTATUS cm_open_key_oa(const OBJECT_ATTRIBUTES __user *uoa, ACCESS_MASK desired,
			struct cm_key **key);
void cm_touch(struct cm_key *key);
bool cm_over_quota(struct cm_hive *hive, long delta);
int cm_grow(void ***arr, u32 n, u32 *cap);
struct cm_value *cm_find_value(struct cm_key *key, const WCHAR *name, u16 len,
			       u32 *index);
u32 cm_path_len(struct cm_key *key);
void cm_path_fill(struct cm_key *key, WCHAR *buf, u32 len);
int cm_visit_below(struct cm_key *top,
		   int (*fn)(struct cm_key *key, void *arg), void *arg);
u32 cm_sub_index(struct cm_key *key, const WCHAR *name, u16 len, bool *found);
struct cm_key *cm_key_alloc(const WCHAR *name, u16 len);
int cm_link(struct cm_key *parent, struct cm_key *child, u32 index);
void cm_clear(struct cm_key *top);
NTSTATUS cm_hive_parent(const struct nt_oa *oa, struct cm_key **parent,
			const WCHAR **name, u16 *len);
struct cm_hive *cm_hive_new(struct cm_key *parent, const WCHAR *name, u16 len);
void cm_hive_free(struct cm_hive *hive);
int cm_hive_mount(struct cm_key *parent, struct cm_key *root,
		  struct cm_hive *hive, const WCHAR *name, u16 len);
NTSTATUS cm_hive_unmount(const struct nt_oa *oa);
NTSTATUS cm_hive_unmount_ex(const struct nt_oa *oa, struct ntob_object *ev);
bool cm_is_master_key(struct cm_key *key);
long cm_subtree_bytes(struct cm_key *top);
void cm_clear_accounted(struct cm_key *key);
void cm_adopt(struct cm_key *key, struct cm_key *root);
int cm_init(void);
void cm_exit(void);

#endif /* NTCM_CM_H */
