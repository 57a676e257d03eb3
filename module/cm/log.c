// SPDX-License-Identifier: GPL-2.0
/*
 * The records of the registry's redo log (docs/registry.md, "Persistence").
 *
 * One record is what one NtFlushKey found changed in a hive: for every
 * dirty key, its whole state (path from the hive root, link flag, write
 * time, user flags, class, values in order, and the names of its saved
 * subkeys). Replaying a record makes each of those keys exactly so:
 * missing keys on its path and missing subkeys are created, subkeys it
 * does not list are deleted with their subtree, its values are replaced.
 * So a record is idempotent and needs no "before" state, and one flush is
 * one append however the key got there (created, set, deleted below).
 * Renames move a subtree, which a key's state cannot say: persist.c
 * checkpoints the hive instead.
 *
 * Encoded little-endian, packed:
 *   u32 nkeys, then per key:
 *     u16 ncomp, ncomp x { u16 len, WCHAR name[len] }
 *     u32 flags (bit 0: link), u64 last_write, u32 user_flags,
 *     u16 class_len, u8 class[class_len],
 *     u32 nval, nval x { u32 type, u16 name_len, u32 data_len,
 *                        WCHAR name[name_len], u8 data[data_len] }
 *     u32 nsub, nsub x { u16 len, WCHAR name[len], u32 flags,
 *                        u16 class_len, u8 class[class_len] }
 *
 * Everything here runs under cm_lock held for writing: encoding at flush
 * (persist.c holds it while it takes the dirty list), replay at load
 * before the tree is visible.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <asm/unaligned.h>
#include "cm/cm.h"

#define CM_LOG_LINK	0x1

struct cm_lw {
	u8 *buf;	/* NULL: the sizing pass */
	u32 pos;
};

static void lw_put(struct cm_lw *w, const void *p, u32 n)
{
	if (w->buf && n)
		memcpy(w->buf + w->pos, p, n);
	w->pos += n;
}

static void lw_16(struct cm_lw *w, u16 v)
{
	__le16 x = cpu_to_le16(v);

	lw_put(w, &x, 2);
}

static void lw_32(struct cm_lw *w, u32 v)
{
	__le32 x = cpu_to_le32(v);

	lw_put(w, &x, 4);
}

static void lw_64(struct cm_lw *w, u64 v)
{
	__le64 x = cpu_to_le64(v);

	lw_put(w, &x, 8);
}

static void lw_name(struct cm_lw *w, const WCHAR *s, u16 len)
{
	u16 i;

	lw_16(w, len);
	for (i = 0; i < len; i++)
		lw_16(w, s[i]);
}

/* Saved as regf_build saves: neither volatile nor another hive's root. */
static bool cm_log_saved(const struct cm_key *key)
{
	return !test_bit(CM_KEY_VOLATILE, &key->flags) &&
	       !test_bit(CM_KEY_LOADED, &key->flags);
}

static u32 cm_log_kflags(const struct cm_key *key)
{
	return test_bit(CM_KEY_LINK, &key->flags) ? CM_LOG_LINK : 0;
}

/* @path: @key and its ancestors below the hive root, @key first. */
static void cm_log_key(struct cm_lw *w, struct cm_key *key,
		       struct cm_key **path, u32 depth)
{
	struct cm_key *c;
	u32 i, n;

	lw_16(w, depth);
	for (i = depth; i-- > 0;)
		lw_name(w, path[i]->name, path[i]->name_len);
	lw_32(w, cm_log_kflags(key));
	lw_64(w, key->last_write);
	lw_32(w, key->user_flags);
	lw_16(w, key->class_len);
	lw_put(w, key->class, key->class_len);
	lw_32(w, key->nval);
	for (i = 0; i < key->nval; i++) {
		struct cm_value *v = key->val[i];

		lw_32(w, v->type);
		lw_16(w, v->name_len);
		lw_32(w, v->data_len);
		for (n = 0; n < v->name_len; n++)
			lw_16(w, v->name[n]);
		lw_put(w, v->data, v->data_len);
	}
	for (i = 0, n = 0; i < key->nsub; i++)
		n += cm_log_saved(key->sub[i]);
	lw_32(w, n);
	for (i = 0; i < key->nsub; i++) {
		c = key->sub[i];
		if (!cm_log_saved(c))
			continue;
		lw_name(w, c->name, c->name_len);
		lw_32(w, cm_log_kflags(c));
		lw_16(w, c->class_len);
		lw_put(w, c->class, c->class_len);
	}
}

/*
 * @key and its ancestors below @root into @path, @key first; false if
 * @key is not a saved key of @root's subtree (deleted, volatile, in a
 * volatile subtree, or outside it).
 */
static bool cm_log_path(struct cm_key *root, struct cm_key *key,
			struct cm_key **path, u32 *depth)
{
	struct cm_key *k;
	u32 d = 0;

	if (test_bit(CM_KEY_DELETED, &key->flags) || key->hive != root->hive)
		return false;
	for (k = key; k != root; k = k->parent) {
		if (!k->parent || d >= CM_MAX_DEPTH || !cm_log_saved(k))
			return false;
		path[d++] = k;
	}
	*depth = d;
	return true;
}

static void cm_log_walk(struct cm_lw *w, struct cm_key *root,
			struct cm_key *dirty, struct cm_key **path, u32 *nkeys)
{
	struct cm_key *key;
	u32 depth;

	for (key = dirty; key; key = key->dirty_next) {
		if (!cm_log_path(root, key, path, &depth))
			continue;
		(*nkeys)++;
		cm_log_key(w, key, path, depth);
	}
}

/*
 * The record of the keys on the list @dirty (linked by dirty_next) below
 * @root, kvmalloc'd in @out with CM_LOG_REC_HDR bytes free in front and
 * its length padded to 8 in @len; *out is NULL when nothing is saved.
 */
int cm_log_encode(struct cm_key *root, struct cm_key *dirty, u8 **out,
		  u32 *len)
{
	struct cm_lw w = { .pos = CM_LOG_REC_HDR + 4 };
	struct cm_key **path;
	u32 nkeys = 0;

	lockdep_assert_held(&cm_lock);
	*out = NULL;
	path = kvmalloc_array(CM_MAX_DEPTH + 1, sizeof(*path), GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	cm_log_walk(&w, root, dirty, path, &nkeys);
	if (!nkeys) {
		kvfree(path);
		return 0;
	}
	*len = ALIGN(w.pos, 8);
	w.buf = kvzalloc(*len, GFP_KERNEL_ACCOUNT);
	if (!w.buf) {
		kvfree(path);
		return -ENOMEM;
	}
	w.pos = CM_LOG_REC_HDR;
	lw_32(&w, nkeys);
	nkeys = 0;
	cm_log_walk(&w, root, dirty, path, &nkeys);
	kvfree(path);
	*out = w.buf;
	return 0;
}

struct cm_lr {
	const u8 *p;
	u32 left;
	bool bad;
};

static const u8 *lr_take(struct cm_lr *r, u32 n)
{
	const u8 *p = r->p;

	if (r->bad || n > r->left) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return p;
}

static u16 lr_16(struct cm_lr *r)
{
	const u8 *p = lr_take(r, 2);

	return p ? get_unaligned_le16(p) : 0;
}

static u32 lr_32(struct cm_lr *r)
{
	const u8 *p = lr_take(r, 4);

	return p ? get_unaligned_le32(p) : 0;
}

static u64 lr_64(struct cm_lr *r)
{
	const u8 *p = lr_take(r, 8);

	return p ? get_unaligned_le64(p) : 0;
}

/* A name of at most @max WCHARs into @buf (aligned, @max long). */
static u16 lr_name(struct cm_lr *r, WCHAR *buf, u16 max)
{
	u16 len = lr_16(r), i;
	const u8 *p;

	if (len > max) {
		r->bad = true;
		return 0;
	}
	p = lr_take(r, len * 2);
	if (!p)
		return 0;
	for (i = 0; i < len; i++)
		buf[i] = get_unaligned_le16(p + 2 * i);
	return len;
}

/* A new subkey of @parent at @index, as cm_create would make it. */
static struct cm_key *cm_log_new(struct cm_key *parent, const WCHAR *name,
				 u16 len, u32 index)
{
	struct cm_key *key;

	if (parent->depth + 1 > CM_MAX_DEPTH)
		return NULL;
	key = cm_key_alloc(name, len);
	if (!key)
		return NULL;
	key->hive = parent->hive;
	key->ob.owner = parent->hive->owner;
	key->ob.world = parent->ob.world;
	if (cm_link(parent, key, index)) {
		ntob_put(&key->ob);
		return NULL;
	}
	return key;
}

static int cm_log_class(struct cm_lr *r, struct cm_key *key)
{
	u16 len = lr_16(r) & ~1;
	const u8 *p = lr_take(r, len);
	WCHAR *c = NULL;

	if (r->bad)
		return -EINVAL;
	if (len) {
		c = kmemdup(p, len, GFP_KERNEL_ACCOUNT);
		if (!c)
			return -ENOMEM;
	}
	kfree(key->class);
	key->class = c;
	key->class_len = len;
	if (key->parent)
		key->parent->max_class = max_t(u32, key->parent->max_class, len);
	return 0;
}

static void cm_log_set_link(struct cm_key *key, u32 flags)
{
	if (flags & CM_LOG_LINK)
		set_bit(CM_KEY_LINK, &key->flags);
	else
		clear_bit(CM_KEY_LINK, &key->flags);
}

static int cm_log_values(struct cm_lr *r, struct cm_key *key)
{
	u32 n = lr_32(r), i, type, dlen;
	struct cm_value *v;
	const u8 *p;
	u16 nlen, j;

	for (i = 0; i < key->nval; i++)
		kvfree(key->val[i]);
	key->nval = 0;
	for (i = 0; i < n && !r->bad; i++) {
		type = lr_32(r);
		nlen = lr_16(r);
		dlen = lr_32(r);
		if (nlen > CM_MAX_VALUE_NAME || dlen > CM_MAX_VALUE_DATA)
			return -EINVAL;
		p = lr_take(r, nlen * 2 + dlen);
		if (!p)
			return -EINVAL;
		if (cm_grow((void ***)&key->val, key->nval, &key->val_cap))
			return -ENOMEM;
		v = cm_value_alloc(nlen, dlen);
		if (!v)
			return -ENOMEM;
		v->type = type;
		for (j = 0; j < nlen; j++)
			v->name[j] = get_unaligned_le16(p + 2 * j);
		memcpy(v->data, p + nlen * 2, dlen);
		key->val[key->nval++] = v;
		key->max_vname = max_t(u32, key->max_vname, nlen * 2);
		key->max_vdata = max_t(u32, key->max_vdata, dlen);
	}
	return r->bad ? -EINVAL : 0;
}

/* Drop @child and its subtree from @parent's array (at @i). */
static void cm_log_drop(struct cm_key *parent, u32 i)
{
	struct cm_key *child = parent->sub[i];

	cm_clear(child);
	memmove(parent->sub + i, parent->sub + i + 1,
		(parent->nsub - i - 1) * sizeof(*parent->sub));
	parent->nsub--;
	child->parent = NULL;
	set_bit(CM_KEY_DELETED, &child->flags);
	ntob_put(&child->ob);
}

/*
 * The subkeys @key must have: missing ones are made, unlisted saved ones
 * go with their subtrees. CM_KEY_DIRTY marks the listed ones meanwhile:
 * replay runs before the hive has a log, so nothing else uses the bit.
 */
static int cm_log_subkeys(struct cm_lr *r, struct cm_key *key, WCHAR *name)
{
	u32 n = lr_32(r), i, index, flags;
	struct cm_key *c;
	bool found;
	u16 len;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		len = lr_name(r, name, CM_MAX_KEY_NAME);
		flags = lr_32(r);
		if (r->bad || !len) {
			err = -EINVAL;
			break;
		}
		index = cm_sub_index(key, name, len, &found);
		c = found ? key->sub[index] : cm_log_new(key, name, len, index);
		if (!c) {
			err = -ENOMEM;
			break;
		}
		if (!found) {
			cm_log_set_link(c, flags);
			err = cm_log_class(r, c);
		} else {
			u16 cl = lr_16(r) & ~1;

			lr_take(r, cl);
			err = r->bad ? -EINVAL : 0;
		}
		set_bit(CM_KEY_DIRTY, &c->flags);
	}
	for (i = key->nsub; i-- > 0;) {
		c = key->sub[i];
		if (test_and_clear_bit(CM_KEY_DIRTY, &c->flags))
			continue;
		if (!err && cm_log_saved(c))
			cm_log_drop(key, i);
	}
	return err;
}

static int cm_log_replay_key(struct cm_lr *r, struct cm_key *root,
			     WCHAR *name)
{
	struct cm_key *key = root, *c;
	u16 ncomp = lr_16(r), i, len;
	u32 index, flags, uflags;
	s64 time;
	bool found;
	int err;

	if (ncomp > CM_MAX_DEPTH)
		return -EINVAL;
	for (i = 0; i < ncomp; i++) {
		len = lr_name(r, name, CM_MAX_KEY_NAME);
		if (r->bad || !len)
			return -EINVAL;
		index = cm_sub_index(key, name, len, &found);
		c = found ? key->sub[index] : cm_log_new(key, name, len, index);
		if (!c)
			return -ENOMEM;
		key = c;
	}
	flags = lr_32(r);
	time = lr_64(r);
	uflags = lr_32(r);
	if (r->bad)
		return -EINVAL;
	if (key != root)
		cm_log_set_link(key, flags);
	err = cm_log_class(r, key);
	if (!err)
		err = cm_log_values(r, key);
	if (!err)
		err = cm_log_subkeys(r, key, name);
	/* After the subkeys: linking them stamped the key with the time. */
	key->last_write = time;
	key->user_flags = uflags;
	return err;
}

/*
 * Apply one record's payload (after its header) to the tree below @root,
 * which is not visible yet (cm_lock held for writing). A record that does
 * not parse stops the replay: persist.c checked its checksum, so that is
 * a bug or a file changed behind the module's back.
 */
int cm_log_replay(struct cm_key *root, const u8 *p, u32 len)
{
	struct cm_lr r = { .p = p, .left = len };
	u32 nkeys, i;
	WCHAR *name;
	int err = 0;

	lockdep_assert_held_write(&cm_lock);
	name = kmalloc_array(CM_MAX_KEY_NAME, sizeof(WCHAR), GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	nkeys = lr_32(&r);
	for (i = 0; i < nkeys && !err; i++)
		err = cm_log_replay_key(&r, root, name);
	if (!err && r.bad)
		err = -EINVAL;
	kfree(name);
	return err;
}
