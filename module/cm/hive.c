// SPDX-License-Identifier: GPL-2.0
/*
 * Hive files in NT's REGF format: NtSaveKey and NtSaveKeyEx write a key's
 * subtree as a hive that Windows, hivex (hivexsh, hivexregedit) and
 * ReactOS's cmlib read.
 *
 * The format, as the public descriptions give it (the libyal regf format
 * specification, hivex's lib/hivex-internal.h, ReactOS sdk/lib/cmlib):
 * a 4 KiB base block ("regf", sequence numbers, root cell offset, size of
 * the hive bins, an XOR checksum of its first 508 bytes), then hive bins
 * ("hbin", multiples of 4 KiB) holding cells. A cell is a 32-bit size,
 * negative when allocated, then its data, 8-byte aligned; every offset is
 * relative to the first hbin. Keys are "nk" cells, their subkey lists "lf"
 * cells (offset and a four-character hint, sorted by upcased name), values
 * "vk" cells (data of up to four bytes inside the cell, longer data in a
 * cell of its own), value lists arrays of offsets, and every key points at
 * one "sk" cell holding a security descriptor.
 *
 * This writer makes version 1.3 hives (XP's): one hbin with every cell,
 * lf lists, no big-data "db" cells (a value is at most 1 MiB here and
 * fits one cell). Volatile keys are not saved, as Windows saves none.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/unaligned.h>
#include "cm/cm.h"
#include "ex/ex.h"
#include "io/io.h"
#include "status.h"

#define REGF_BASE	0x1000
#define REGF_HBIN_HDR	0x20
#define REGF_NK_FIXED	0x4c
#define REGF_VK_FIXED	0x14
#define REGF_NONE	0xffffffff

#define KEY_HIVE_ENTRY	0x0004
#define KEY_NO_DELETE	0x0008
#define KEY_SYM_LINK	0x0010
#define KEY_COMP_NAME	0x0020
#define VALUE_COMP_NAME	0x0001

/*
 * The one security descriptor: owner Administrators (S-1-5-32-544), group
 * SYSTEM (S-1-5-18), a DACL granting Everyone KEY_READ and Administrators
 * and SYSTEM KEY_ALL_ACCESS, self-relative.
 */
static const u8 regf_sd[] = {
	1, 0, 0x04, 0x80,		/* revision, control: DACL, self-rel */
	0x14, 0, 0, 0,			/* owner at 20 */
	0x24, 0, 0, 0,			/* group at 36 */
	0, 0, 0, 0,			/* no SACL */
	0x30, 0, 0, 0,			/* DACL at 48 */
	1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0,	/* S-1-5-32-544 */
	1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0,			/* S-1-5-18 */
	2, 0, 0x48, 0, 3, 0, 0, 0,	/* ACL: rev 2, size 72, 3 ACEs */
	0, 0, 0x14, 0, 0x19, 0, 0x02, 0,			/* Everyone: KEY_READ */
	1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
	0, 0, 0x18, 0, 0x3f, 0, 0x0f, 0,			/* Admins: all */
	1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0,
	0, 0, 0x14, 0, 0x3f, 0, 0x0f, 0,			/* SYSTEM: all */
	1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0,
};

struct regf_w {
	u8 *buf;		/* the hbin; NULL while sizing */
	u32 used;		/* bytes of cells allocated, header included */
	u32 sk;			/* the sk cell */
	u32 root;		/* the top key's nk cell */
	u32 keys;
};

static bool regf_compressible(const WCHAR *s, u16 len)
{
	u16 i;

	for (i = 0; i < len; i++)
		if (s[i] > 0xff)
			return false;
	return true;
}

static u32 regf_name_bytes(const WCHAR *s, u16 len)
{
	return regf_compressible(s, len) ? len : len * sizeof(WCHAR);
}

static void regf_put_name(u8 *dst, const WCHAR *s, u16 len)
{
	u16 i;

	if (regf_compressible(s, len)) {
		for (i = 0; i < len; i++)
			dst[i] = s[i];
	} else {
		memcpy(dst, s, len * sizeof(WCHAR));
	}
}

/* A cell of @size data bytes; its offset (of the size field). */
static u32 regf_cell(struct regf_w *w, u32 size)
{
	u32 off = w->used, total = ALIGN(size + 4, 8);

	if (w->buf)
		put_unaligned_le32(-(s32)total, w->buf + off);
	w->used += total;
	return off;
}

static u8 *regf_data(struct regf_w *w, u32 cell)
{
	return w->buf + cell + 4;
}

static void regf_put32(u8 *p, u32 off, u32 v)
{
	put_unaligned_le32(v, p + off);
}

/* Below the key saved: not volatile keys, nor hives mounted there. */
static bool regf_saved(struct cm_key *key)
{
	return !test_bit(CM_KEY_VOLATILE, &key->flags) &&
	       !test_bit(CM_KEY_LOADED, &key->flags);
}

/* The values of @key: the list, each vk, each data cell. */
static u32 regf_values(struct regf_w *w, struct cm_key *key)
{
	u32 list, i;

	if (!key->nval)
		return REGF_NONE;
	list = regf_cell(w, key->nval * 4);
	for (i = 0; i < key->nval; i++) {
		struct cm_value *v = key->val[i];
		u32 nb = regf_name_bytes(v->name, v->name_len);
		u32 vk = regf_cell(w, REGF_VK_FIXED + nb), data = 0;
		u8 *p;

		if (v->data_len > 4)
			data = regf_cell(w, v->data_len);
		if (!w->buf)
			continue;
		regf_put32(regf_data(w, list), i * 4, vk);
		p = regf_data(w, vk);
		p[0] = 'v';
		p[1] = 'k';
		put_unaligned_le16(nb, p + 2);
		if (v->data_len > 4) {
			regf_put32(p, 4, v->data_len);
			regf_put32(p, 8, data);
			memcpy(regf_data(w, data), v->data, v->data_len);
		} else {
			/* Inline: the top bit of the size says so. */
			regf_put32(p, 4, v->data_len | 0x80000000);
			memcpy(p + 8, v->data, v->data_len);
		}
		regf_put32(p, 12, v->type);
		put_unaligned_le16(regf_compressible(v->name, v->name_len) ?
				   VALUE_COMP_NAME : 0, p + 16);
		regf_put_name(p + REGF_VK_FIXED, v->name, v->name_len);
	}
	return list;
}

/* The nk cell of @key and what hangs off it except its subkeys. */
static u32 regf_key(struct regf_w *w, struct cm_key *key, u32 parent,
		    bool root, u32 *lf)
{
	u32 nb = regf_name_bytes(key->name, key->name_len);
	u32 nk = regf_cell(w, REGF_NK_FIXED + nb), cls = REGF_NONE, vals;
	u32 nsub = 0, i;
	u16 flags = 0;
	u8 *p;

	for (i = 0; i < key->nsub; i++)
		nsub += regf_saved(key->sub[i]);
	*lf = REGF_NONE;
	if (nsub)
		*lf = regf_cell(w, 4 + nsub * 8);
	if (key->class_len)
		cls = regf_cell(w, key->class_len);
	vals = regf_values(w, key);
	w->keys++;
	if (!w->buf)
		return nk;
	if (regf_compressible(key->name, key->name_len))
		flags |= KEY_COMP_NAME;
	if (root)
		flags |= KEY_HIVE_ENTRY | KEY_NO_DELETE;
	if (test_bit(CM_KEY_LINK, &key->flags))
		flags |= KEY_SYM_LINK;
	p = regf_data(w, nk);
	p[0] = 'n';
	p[1] = 'k';
	put_unaligned_le16(flags, p + 2);
	put_unaligned_le64(key->last_write, p + 4);
	regf_put32(p, 0x10, parent);
	regf_put32(p, 0x14, nsub);
	regf_put32(p, 0x1c, *lf);
	regf_put32(p, 0x20, REGF_NONE);
	regf_put32(p, 0x24, key->nval);
	regf_put32(p, 0x28, vals);
	regf_put32(p, 0x2c, w->sk);
	regf_put32(p, 0x30, cls);
	regf_put32(p, 0x34, key->max_name);
	regf_put32(p, 0x38, key->max_class);
	regf_put32(p, 0x3c, key->max_vname);
	regf_put32(p, 0x40, key->max_vdata);
	put_unaligned_le16(nb, p + 0x48);
	put_unaligned_le16(key->class_len, p + 0x4a);
	regf_put_name(p + REGF_NK_FIXED, key->name, key->name_len);
	if (key->class_len)
		memcpy(regf_data(w, cls), key->class, key->class_len);
	if (nsub) {
		u8 *l = regf_data(w, *lf);

		l[0] = 'l';
		l[1] = 'f';
		put_unaligned_le16(nsub, l + 2);
	}
	return nk;
}

/* Enter @child (the @n-th saved one) in its parent's lf list. */
static void regf_lf_entry(struct regf_w *w, u32 lf, u32 n, u32 nk,
			  struct cm_key *child)
{
	u8 *e = regf_data(w, lf) + 4 + n * 8;
	u16 i;

	regf_put32(e, 0, nk);
	memset(e + 4, 0, 4);
	for (i = 0; i < 4 && i < child->name_len; i++)
		e[4 + i] = child->name[i] > 0xff ? '?' : child->name[i];
}

/*
 * Walk the saved subtree of @top depth first, without recursion: the
 * sizing pass (w->buf NULL) and the writing pass are the same walk.
 */
static int regf_walk(struct regf_w *w, struct cm_key *top)
{
	struct regf_frame { struct cm_key *key; u32 nk, lf, pos, n; } *st;
	struct cm_key *key;
	u32 depth = 0, nk, lf;

	lockdep_assert_held(&cm_lock);
	st = kvmalloc_array(CM_MAX_DEPTH + 2, sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	w->sk = regf_cell(w, 20 + sizeof(regf_sd));
	nk = regf_key(w, top, 0, true, &lf);
	w->root = nk;
	st[0] = (struct regf_frame){ top, nk, lf, 0, 0 };
	for (;;) {
		struct regf_frame *f = &st[depth];

		if (f->pos < f->key->nsub) {
			key = f->key->sub[f->pos++];
			if (!regf_saved(key))
				continue;
			if (depth + 1 > CM_MAX_DEPTH)
				continue;
			nk = regf_key(w, key, f->nk, false, &lf);
			if (w->buf)
				regf_lf_entry(w, f->lf, f->n, nk, key);
			f->n++;
			st[++depth] = (struct regf_frame){ key, nk, lf, 0, 0 };
			continue;
		}
		if (!depth)
			break;
		depth--;
	}
	kvfree(st);
	return 0;
}

static void regf_base_block(u8 *base, u32 root, u32 hbins, s64 now)
{
	u32 sum = 0, i;

	memcpy(base, "regf", 4);
	regf_put32(base, 0x04, 1);
	regf_put32(base, 0x08, 1);
	put_unaligned_le64(now, base + 0x0c);
	regf_put32(base, 0x14, 1);	/* version 1.3 */
	regf_put32(base, 0x18, 3);
	regf_put32(base, 0x1c, 0);	/* primary file */
	regf_put32(base, 0x20, 1);	/* memory image */
	regf_put32(base, 0x24, root);
	regf_put32(base, 0x28, hbins);
	regf_put32(base, 0x2c, 1);
	for (i = 0; i < 0x1fc; i += 4)
		sum ^= get_unaligned_le32(base + i);
	if (sum == 0)
		sum = 1;
	else if (sum == 0xffffffff)
		sum = 0xfffffffe;
	regf_put32(base, 0x1fc, sum);
}

/*
 * The whole file for @key's subtree, kvmalloc'd, in @out and @len
 * (cm_lock held, shared or not).
 */
NTSTATUS regf_build_locked(struct cm_key *key, u8 **out, u32 *len)
{
	struct regf_w w = { .used = REGF_HBIN_HDR };
	u32 hbin, root;
	s64 now = ntex_system_time();
	u8 *file, *sk;

	lockdep_assert_held(&cm_lock);
	if (test_bit(CM_KEY_DELETED, &key->flags))
		return STATUS_KEY_DELETED;
	if (regf_walk(&w, key))
		return STATUS_INSUFFICIENT_RESOURCES;
	hbin = ALIGN(w.used, 4096);
	file = kvzalloc(REGF_BASE + hbin, GFP_KERNEL_ACCOUNT);
	if (!file)
		return STATUS_INSUFFICIENT_RESOURCES;
	w = (struct regf_w){ .buf = file + REGF_BASE, .used = REGF_HBIN_HDR };
	if (regf_walk(&w, key)) {
		kvfree(file);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	root = w.root;
	sk = regf_data(&w, w.sk);
	sk[0] = 's';
	sk[1] = 'k';
	regf_put32(sk, 4, w.sk);
	regf_put32(sk, 8, w.sk);
	regf_put32(sk, 12, w.keys);
	regf_put32(sk, 16, sizeof(regf_sd));
	memcpy(sk + 20, regf_sd, sizeof(regf_sd));
	/* The free rest of the bin is one free cell. */
	if (hbin > w.used)
		put_unaligned_le32(hbin - w.used, w.buf + w.used);
	memcpy(w.buf, "hbin", 4);
	regf_put32(w.buf, 4, 0);
	regf_put32(w.buf, 8, hbin);
	put_unaligned_le64(now, w.buf + 0x14);
	regf_base_block(file, root, hbin, now);
	*out = file;
	*len = REGF_BASE + hbin;
	return STATUS_SUCCESS;
}

/* The same, taking cm_lock shared for the walk. */
NTSTATUS regf_build(struct cm_key *key, u8 **out, u32 *len)
{
	NTSTATUS st;

	down_read(&cm_lock);
	st = regf_build_locked(key, out, len);
	up_read(&cm_lock);
	return st;
}

/* The regular file behind @h, opened for writing, referenced. */
static NTSTATUS cm_hive_file(HANDLE h, struct file **filp)
{
	struct ntio_file *f;
	NTSTATUS st;

	st = ntio_ref_file(h, FILE_WRITE_DATA, &f);
	if (!NT_SUCCESS(st))
		return st;
	if (f->kind != NTIO_DISK || f->is_dir || !S_ISREG(file_inode(f->filp)->i_mode))
		st = STATUS_INVALID_PARAMETER;
	else
		*filp = get_file(f->filp);
	ntob_put(&f->obj);
	return st;
}

/*
 * XP needs SeBackupPrivilege, the right to read everything whatever its
 * ACL: CAP_DAC_READ_SEARCH here. The file needs FILE_WRITE_DATA; it is
 * written from offset 0 with the credentials it was opened with.
 */
NTSTATUS NtSaveKeyEx(HANDLE KeyHandle, HANDLE FileHandle, ULONG Format)
{
	struct cm_key *key;
	struct file *filp;
	loff_t pos = 0;
	NTSTATUS st;
	ssize_t n;
	u8 *buf;
	u32 len;

	/* REG_STANDARD_FORMAT, REG_LATEST_FORMAT, REG_NO_COMPRESSION */
	if (Format < 1 || Format > 4 || Format == 3)
		return STATUS_INVALID_PARAMETER;
	if (!capable(CAP_DAC_READ_SEARCH))
		return STATUS_PRIVILEGE_NOT_HELD;
	st = cm_ref_key(KeyHandle, 0, &key);
	if (!NT_SUCCESS(st))
		return st;
	st = cm_hive_file(FileHandle, &filp);
	if (!NT_SUCCESS(st))
		goto out_key;
	st = regf_build(key, &buf, &len);
	if (!NT_SUCCESS(st))
		goto out_file;
	n = kernel_write(filp, buf, len, &pos);
	if (n < 0)
		st = nt_status_from_errno(n);
	else if (n != len)
		st = STATUS_DISK_FULL;
	kvfree(buf);
out_file:
	fput(filp);
out_key:
	ntob_put(&key->ob);
	return st;
}

NTSTATUS NtSaveKey(HANDLE KeyHandle, HANDLE FileHandle)
{
	return NtSaveKeyEx(KeyHandle, FileHandle, 1);
}

/* ------------------------------------------------------------------ */
/* Reading hives: NtLoadKey, NtLoadKey2, NtUnloadKey */

#define REGF_MAX_FILE	(128U << 20)
#define REGF_DB_SEGMENT	16344		/* data bytes per big-data segment */

/* A hive file in memory, every read bounds-checked against it. */
struct regf_r {
	const u8 *bins;		/* the first hbin */
	u32 size;		/* bytes of hbins */
	u32 budget;		/* cells we may still turn into keys/values */
};

/* The data of the allocated cell at @off, at least @need bytes, or NULL. */
static const u8 *regf_at(struct regf_r *r, u32 off, u32 need, u32 *len)
{
	s32 size;

	if (off < REGF_HBIN_HDR || off > r->size - 4 || (off & 7))
		return NULL;
	size = (s32)get_unaligned_le32(r->bins + off);
	if (size >= 0 || (u32)-size < 4 || (u32)-size > r->size - off)
		return NULL;
	if ((u32)-size - 4 < need)
		return NULL;
	if (len)
		*len = (u32)-size - 4;
	return r->bins + off + 4;
}

static WCHAR *regf_name(const u8 *p, u16 bytes, bool comp, u16 *len)
{
	WCHAR *w;
	u16 i, n = comp ? bytes : bytes / 2;

	if (!n || n > CM_MAX_KEY_NAME * 64)
		return NULL;
	w = kmalloc_array(n, sizeof(WCHAR), GFP_KERNEL_ACCOUNT);
	if (!w)
		return NULL;
	for (i = 0; i < n; i++)
		w[i] = comp ? p[i] : get_unaligned_le16(p + 2 * i);
	*len = n;
	return w;
}

/* The data of a value: inline, one cell, or big-data segments. */
static int regf_value_data(struct regf_r *r, const u8 *vk, u8 *dst, u32 len)
{
	u32 raw = get_unaligned_le32(vk + 4), off = get_unaligned_le32(vk + 8);
	u32 cell_len, n, i, done = 0;
	const u8 *d, *db, *list;

	if (raw & 0x80000000) {
		memcpy(dst, vk + 8, len);
		return 0;
	}
	d = regf_at(r, off, 2, &cell_len);
	if (!d)
		return -EINVAL;
	if (len > REGF_DB_SEGMENT && d[0] == 'd' && d[1] == 'b') {
		db = regf_at(r, off, 8, NULL);
		if (!db)
			return -EINVAL;
		n = get_unaligned_le16(db + 2);
		list = regf_at(r, get_unaligned_le32(db + 4), n * 4, NULL);
		if (!list)
			return -EINVAL;
		for (i = 0; i < n && done < len; i++) {
			u32 seg = min(len - done, (u32)REGF_DB_SEGMENT);

			d = regf_at(r, get_unaligned_le32(list + 4 * i), seg, NULL);
			if (!d)
				return -EINVAL;
			memcpy(dst + done, d, seg);
			done += seg;
		}
		return done == len ? 0 : -EINVAL;
	}
	if (cell_len < len)
		return -EINVAL;
	memcpy(dst, d, len);
	return 0;
}

static int regf_load_values(struct regf_r *r, struct cm_key *key, const u8 *nk)
{
	u32 n = get_unaligned_le32(nk + 0x24), i;
	const u8 *list;

	if (!n)
		return 0;
	if (n > r->budget)
		return -EINVAL;
	r->budget -= n;
	list = regf_at(r, get_unaligned_le32(nk + 0x28), n * 4, NULL);
	if (!list)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		const u8 *vk = regf_at(r, get_unaligned_le32(list + 4 * i),
				       REGF_VK_FIXED, NULL);
		u16 nb, nlen = 0, j;
		u32 len, vlen;
		struct cm_value *v;
		bool comp;

		if (!vk || vk[0] != 'v' || vk[1] != 'k')
			return -EINVAL;
		nb = get_unaligned_le16(vk + 2);
		comp = get_unaligned_le16(vk + 16) & VALUE_COMP_NAME;
		len = get_unaligned_le32(vk + 4);
		if (len & 0x80000000) {
			len &= 0x7fffffff;
			if (len > 4)
				return -EINVAL;
		}
		if (len > CM_MAX_VALUE_DATA)
			return -EFBIG;
		if (!regf_at(r, get_unaligned_le32(list + 4 * i),
			     REGF_VK_FIXED + nb, &vlen))
			return -EINVAL;
		nlen = comp ? nb : nb / 2;
		if (nlen > CM_MAX_VALUE_NAME)
			return -EINVAL;
		v = cm_value_alloc(nlen, len);
		if (!v)
			return -ENOMEM;
		v->type = get_unaligned_le32(vk + 12);
		for (j = 0; j < nlen; j++)
			v->name[j] = comp ? vk[REGF_VK_FIXED + j] :
				get_unaligned_le16(vk + REGF_VK_FIXED + 2 * j);
		if (regf_value_data(r, vk, v->data, len) ||
		    cm_find_value(key, v->name, v->name_len, NULL)) {
			kvfree(v);
			return -EINVAL;
		}
		if (!NT_SUCCESS(cm_value_store(key, v))) {
			kvfree(v);
			return -ENOSPC;
		}
	}
	return 0;
}

/* One key from its nk cell at @off, linked below @parent (cm_lock held). */
static struct cm_key *regf_load_key(struct regf_r *r, u32 off,
				    struct cm_key *parent, struct cm_hive *hive,
				    int *err)
{
	const u8 *nk = regf_at(r, off, REGF_NK_FIXED, NULL);
	u16 nb, flags, nlen;
	struct cm_key *key;
	WCHAR *name;
	bool found;
	u32 index;

	*err = -EINVAL;
	if (!nk || nk[0] != 'n' || nk[1] != 'k' || !r->budget)
		return NULL;
	r->budget--;
	flags = get_unaligned_le16(nk + 2);
	nb = get_unaligned_le16(nk + 0x48);
	if (!regf_at(r, off, REGF_NK_FIXED + nb, NULL))
		return NULL;
	name = regf_name(nk + REGF_NK_FIXED, nb, flags & KEY_COMP_NAME, &nlen);
	if (!name || nlen > CM_MAX_KEY_NAME) {
		kfree(name);
		return NULL;
	}
	index = parent ? cm_sub_index(parent, name, nlen, &found) : 0;
	if (parent && found) {
		kfree(name);
		return NULL;
	}
	*err = -ENOMEM;
	key = cm_key_alloc(name, nlen);
	kfree(name);
	if (!key)
		return NULL;
	key->hive = hive;
	key->ob.owner = hive->owner;
	key->ob.world = hive->world;
	key->last_write = get_unaligned_le64(nk + 4);
	if (flags & KEY_SYM_LINK)
		__set_bit(CM_KEY_LINK, &key->flags);
	key->class_len = get_unaligned_le16(nk + 0x4a) & ~1;
	if (key->class_len) {
		const u8 *cls = regf_at(r, get_unaligned_le32(nk + 0x30),
					key->class_len, NULL);

		key->class = cls ? kmemdup(cls, key->class_len, GFP_KERNEL_ACCOUNT) :
				   NULL;
		if (!key->class) {
			*err = cls ? -ENOMEM : -EINVAL;
			ntob_put(&key->ob);
			return NULL;
		}
	}
	if (parent && cm_link(parent, key, index)) {
		ntob_put(&key->ob);
		return NULL;
	}
	hive->bytes += sizeof(*key) + nlen * sizeof(WCHAR) + key->class_len;
	*err = regf_load_values(r, key, nk);
	if (*err)
		return parent ? key : (ntob_put(&key->ob), NULL);
	if (cm_over_quota(hive, 1))
		*err = -ENOSPC;
	return key;
}

/*
 * The subkey offsets of an nk into @out: lf/lh (offset + hint), li
 * (offsets) and ri (a list of such lists, one level).
 */
static int regf_subkeys(struct regf_r *r, u32 list_off, u32 *out, u32 max,
			u32 *count, int level)
{
	const u8 *l = regf_at(r, list_off, 4, NULL);
	u32 n, i, step;
	int err;

	if (!l)
		return -EINVAL;
	n = get_unaligned_le16(l + 2);
	if (l[0] == 'r' && l[1] == 'i' && !level) {
		if (!regf_at(r, list_off, 4 + n * 4, NULL))
			return -EINVAL;
		for (i = 0; i < n; i++) {
			err = regf_subkeys(r, get_unaligned_le32(l + 4 + 4 * i),
					   out, max, count, 1);
			if (err)
				return err;
		}
		return 0;
	}
	if ((l[0] == 'l' && (l[1] == 'f' || l[1] == 'h')))
		step = 8;
	else if (l[0] == 'l' && l[1] == 'i')
		step = 4;
	else
		return -EINVAL;
	if (!regf_at(r, list_off, 4 + n * step, NULL))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (*count >= max)
			return -EINVAL;
		out[(*count)++] = get_unaligned_le32(l + 4 + i * step);
	}
	return 0;
}

struct regf_frame {
	struct cm_key *key;
	u32 *subs;		/* the nk offsets of its subkeys */
	u32 n, pos;
};

static int regf_frame_init(struct regf_r *r, struct regf_frame *f,
			   struct cm_key *key, u32 off)
{
	const u8 *nk = regf_at(r, off, REGF_NK_FIXED, NULL);
	u32 n = get_unaligned_le32(nk + 0x14), count = 0;
	int err;

	f->key = key;
	f->subs = NULL;
	f->n = 0;
	f->pos = 0;
	if (!n)
		return 0;
	if (n > r->budget)
		return -EINVAL;
	f->subs = kvmalloc_array(n, sizeof(u32), GFP_KERNEL);
	if (!f->subs)
		return -ENOMEM;
	err = regf_subkeys(r, get_unaligned_le32(nk + 0x1c), f->subs, n, &count, 0);
	f->n = count;
	return err;
}

/*
 * Build the tree of the hive in @file, depth first without recursion; the
 * root comes back unlinked in *@out. Every nk, vk and list is checked
 * against the file's bounds; r.budget caps the keys and values at what
 * the file could hold, so lists pointing at one key many times cannot
 * multiply it.
 */
NTSTATUS regf_load(const u8 *file, u32 fsize, struct cm_hive *hive,
		   struct cm_key **out)
{
	struct regf_frame *st;
	struct cm_key *root, *key;
	u32 depth = 0, sum = 0, i, root_off;
	struct regf_r r;
	int err;

	lockdep_assert_held_write(&cm_lock);
	*out = NULL;
	if (fsize < REGF_BASE + 4096 || memcmp(file, "regf", 4))
		return STATUS_NOT_REGISTRY_FILE;
	for (i = 0; i < 0x1fc; i += 4)
		sum ^= get_unaligned_le32(file + i);
	if (sum == 0)
		sum = 1;
	else if (sum == 0xffffffff)
		sum = 0xfffffffe;
	if (sum != get_unaligned_le32(file + 0x1fc) ||
	    get_unaligned_le32(file + 0x14) != 1)
		return STATUS_NOT_REGISTRY_FILE;
	r.bins = file + REGF_BASE;
	r.size = min(get_unaligned_le32(file + 0x28), fsize - REGF_BASE);
	r.budget = r.size / 16;
	root_off = get_unaligned_le32(file + 0x24);
	if (r.size < 4096)
		return STATUS_REGISTRY_CORRUPT;
	st = kvcalloc(CM_MAX_DEPTH + 2, sizeof(*st), GFP_KERNEL);
	if (!st)
		return STATUS_INSUFFICIENT_RESOURCES;
	root = regf_load_key(&r, root_off, NULL, hive, &err);
	if (!root)
		goto out;
	err = regf_frame_init(&r, &st[0], root, root_off);
	while (!err) {
		struct regf_frame *f = &st[depth];
		u32 off;

		if (f->pos < f->n) {
			off = f->subs[f->pos++];
			if (depth + 1 > CM_MAX_DEPTH) {
				err = -EINVAL;
				break;
			}
			key = regf_load_key(&r, off, f->key, hive, &err);
			if (!key || err)
				break;
			depth++;
			err = regf_frame_init(&r, &st[depth], key, off);
			continue;
		}
		kvfree(f->subs);
		f->subs = NULL;
		if (!depth)
			break;
		depth--;
	}
	for (i = 0; i <= depth; i++)
		kvfree(st[i].subs);
	if (err) {
		cm_clear(root);
		ntob_put(&root->ob);
		root = NULL;
	}
out:
	kvfree(st);
	*out = root;
	if (root)
		return STATUS_SUCCESS;
	if (err == -ENOMEM)
		return STATUS_INSUFFICIENT_RESOURCES;
	if (err == -ENOSPC || err == -EFBIG)
		return STATUS_INSUFFICIENT_RESOURCES;
	return STATUS_REGISTRY_CORRUPT;
}

/*
 * All of @filp, a regular file of @min bytes to REGF_MAX_FILE, into a
 * buffer charged to the caller: NtLoadKey's, NtReplaceKey's and
 * NtRestoreKey's reading of a hive file.
 */
NTSTATUS regf_read_whole(struct file *filp, loff_t min, u8 **buf, u32 *len)
{
	loff_t size = i_size_read(file_inode(filp)), pos = 0;
	ssize_t n;

	if (!S_ISREG(file_inode(filp)->i_mode) || size < min ||
	    size > REGF_MAX_FILE)
		return STATUS_NOT_REGISTRY_FILE;
	*buf = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!*buf)
		return STATUS_INSUFFICIENT_RESOURCES;
	n = kernel_read(filp, *buf, size, &pos);
	if (n != size) {
		kvfree(*buf);
		*buf = NULL;
		return n < 0 ? nt_status_from_errno(n) : STATUS_REGISTRY_IO_FAILED;
	}
	*len = size;
	return STATUS_SUCCESS;
}

/*
 * The whole file named by @uoa, read with the caller's credentials, and
 * what writing it back needs (@mount).
 */
static NTSTATUS regf_read_file(const OBJECT_ATTRIBUTES __user *uoa, u8 **buf,
			       u32 *len, struct cm_mount **mount)
{
	struct ntio_target t = {};
	struct file *filp;
	struct nt_oa oa;
	NTSTATUS st;

	st = nt_capture_oa(uoa, &oa);
	if (!NT_SUCCESS(st))
		return st;
	st = ntio_resolve(&oa, &t);
	nt_release_oa(&oa);
	if (!NT_SUCCESS(st))
		return st;
	if (t.kind != NTIO_DISK) {
		ntio_target_free(&t);
		return STATUS_INVALID_PARAMETER;
	}
	filp = filp_open(t.path, O_RDONLY | O_LARGEFILE, 0);
	ntio_target_free(&t);
	if (IS_ERR(filp))
		return nt_status_from_errno(PTR_ERR(filp));
	/* Its identity before it is read: a change from now on is seen. */
	st = STATUS_INSUFFICIENT_RESOURCES;
	*mount = cm_mount_new(filp);
	if (*mount)
		st = regf_read_whole(filp, REGF_BASE, buf, len);
	if (!NT_SUCCESS(st)) {
		cm_mount_put(*mount);
		*mount = NULL;
	}
	fput(filp);
	return st;
}

/*
 * XP mounts a hive only directly below \REGISTRY\MACHINE or
 * \REGISTRY\USER, and needs SeRestorePrivilege: CAP_SYS_ADMIN here. The
 * mounted hive keeps the file's contents in memory, and is written back
 * to the file by NtFlushKey and at unload, with the loader's credentials
 * (mount.c). XP's only flag, REG_NO_LAZY_FLUSH, changes nothing: there
 * is no lazy flusher.
 */
NTSTATUS NtLoadKey2(const OBJECT_ATTRIBUTES __user *TargetKey,
		    const OBJECT_ATTRIBUTES __user *SourceFile, ULONG Flags)
{
	struct cm_key *parent, *root = NULL;
	struct cm_hive *hive = NULL;
	struct cm_mount *m = NULL;
	struct nt_oa oa = {};
	u8 *file = NULL;
	const WCHAR *name;
	u32 flen;
	NTSTATUS st;
	bool found;
	u16 len;

	if (Flags & ~REG_NO_LAZY_FLUSH)
		return STATUS_INVALID_PARAMETER;
	if (!capable(CAP_SYS_ADMIN))
		return STATUS_PRIVILEGE_NOT_HELD;
	st = nt_capture_oa(TargetKey, &oa);
	if (!NT_SUCCESS(st))
		return st;
	st = cm_hive_parent(&oa, &parent, &name, &len);
	if (!NT_SUCCESS(st))
		goto out;
	st = regf_read_file(SourceFile, &file, &flen, &m);
	if (!NT_SUCCESS(st))
		goto out;
	st = STATUS_INSUFFICIENT_RESOURCES;
	hive = cm_hive_new(parent, name, len);
	if (!hive)
		goto out;
	down_write(&cm_lock);
	cm_sub_index(parent, name, len, &found);
	if (found) {
		st = STATUS_OBJECT_NAME_COLLISION;
	} else {
		st = regf_load(file, flen, hive, &root);
		if (NT_SUCCESS(st) && cm_hive_mount(parent, root, hive, name, len)) {
			cm_clear(root);
			ntob_put(&root->ob);
			st = STATUS_INSUFFICIENT_RESOURCES;
		} else if (NT_SUCCESS(st)) {
			cm_mount_attach(m, root);
			m = NULL;
			hive = NULL;
		}
	}
	up_write(&cm_lock);
out:
	cm_mount_put(m);
	cm_hive_free(hive);
	kvfree(file);
	nt_release_oa(&oa);
	return st;
}

NTSTATUS NtLoadKey(const OBJECT_ATTRIBUTES __user *TargetKey,
		   const OBJECT_ATTRIBUTES __user *SourceFile)
{
	return NtLoadKey2(TargetKey, SourceFile, 0);
}

/* XP: a hive with open keys is STATUS_CANNOT_DELETE. */
NTSTATUS NtUnloadKey(const OBJECT_ATTRIBUTES __user *TargetKey)
{
	struct nt_oa oa = {};
	NTSTATUS st;

	if (!capable(CAP_SYS_ADMIN))
		return STATUS_PRIVILEGE_NOT_HELD;
	st = nt_capture_oa(TargetKey, &oa);
	if (!NT_SUCCESS(st))
		return st;
	st = cm_hive_unmount(&oa);
	nt_release_oa(&oa);
	return st;
}
