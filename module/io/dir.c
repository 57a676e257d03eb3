// SPDX-License-Identifier: GPL-2.0
/*
 * NtQueryDirectoryFile: directory enumeration with NT wildcard masks.
 *
 * The first query (and every RestartScan) reads the whole directory with
 * iterate_dir into a snapshot, sorted case-insensitively with "." and ".."
 * first (NTFS returns names in order; Linux in hash order). The mask of
 * that query (FileName; "*" when NULL) stays until the next restart, as on
 * Windows. Each entry is stat'ed when it is returned. Masks take '*', '?'
 * and the DOS wildcards '<', '>', '"' (treated as '*', '?', '.');
 * matching is case-insensitive.
 *
 * Buffer rules (Windows): entries are 8-byte aligned and chained by
 * NextEntryOffset (0 in the last); an entry that does not fit ends the
 * call and is returned by the next one, except when it is the first of the
 * call: then the fixed part and as much of the name as fits are written,
 * the entry is consumed and the status is STATUS_BUFFER_OVERFLOW. No match
 * at all on the first query is STATUS_NO_SUCH_FILE, the end of the
 * listing STATUS_NO_MORE_FILES. Short (8.3) names are not generated:
 * ShortNameLength is 0. The drive root lists "." and ".." too.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/nls.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include "io/io.h"

struct ntio_dirent {
	u16 len;		/* bytes of UTF-8 */
	char name[];
};

/* Enumeration state of a directory handle; guarded by ntio_file.lock. */
struct ntio_dir {
	struct ntio_dirent **ents;
	u32 count;
	u32 room;
	u32 cursor;
	bool returned;		/* something matched since the last restart */
	WCHAR *mask;		/* NULL = everything */
	u16 mask_len;
	int err;
};

void ntio_dir_free(struct ntio_dir *d)
{
	u32 i;

	if (!d)
		return;
	for (i = 0; i < d->count; i++)
		kfree(d->ents[i]);
	kvfree(d->ents);
	kfree(d->mask);
	kfree(d);
}

struct ntio_dir_ctx {
	struct dir_context ctx;
	struct ntio_dir *d;
	u32 seen;
};

static bool ntio_dir_actor(struct dir_context *ctx, const char *name, int len,
			   loff_t off, u64 ino, unsigned int type)
{
	struct ntio_dir_ctx *c = container_of(ctx, struct ntio_dir_ctx, ctx);
	struct ntio_dir *d = c->d;
	struct ntio_dirent *e;

	c->seen++;
	if (d->count == d->room) {
		u32 room = d->room ? d->room * 2 : 64;
		struct ntio_dirent **ents;

		ents = kvmalloc_array(room, sizeof(*ents), GFP_KERNEL);
		if (!ents)
			goto nomem;
		if (d->count)
			memcpy(ents, d->ents, d->count * sizeof(*ents));
		kvfree(d->ents);
		d->ents = ents;
		d->room = room;
	}
	e = kmalloc(sizeof(*e) + len + 1, GFP_KERNEL);
	if (!e)
		goto nomem;
	e->len = len;
	memcpy(e->name, name, len);
	e->name[len] = 0;
	d->ents[d->count++] = e;
	return true;
nomem:
	d->err = -ENOMEM;
	return false;
}

static int ntio_dot_rank(const struct ntio_dirent *e)
{
	if (e->len == 1 && e->name[0] == '.')
		return 0;
	if (e->len == 2 && e->name[0] == '.' && e->name[1] == '.')
		return 1;
	return 2;
}

static int ntio_dirent_cmp(const void *a, const void *b)
{
	const struct ntio_dirent *x = *(const struct ntio_dirent **)a;
	const struct ntio_dirent *y = *(const struct ntio_dirent **)b;
	int rx = ntio_dot_rank(x), ry = ntio_dot_rank(y);

	if (rx != ry)
		return rx - ry;
	return strcasecmp(x->name, y->name);
}

/* Read every name of the directory at @path into a new snapshot. */
static int ntio_dir_read(const struct path *path, struct ntio_dir *d)
{
	struct ntio_dir_ctx c = { .ctx.actor = ntio_dir_actor, .d = d };
	struct file *filp;
	int err;

	filp = dentry_open(path, O_RDONLY | O_DIRECTORY | O_LARGEFILE,
			   current_cred());
	if (IS_ERR(filp))
		return PTR_ERR(filp);
	do {
		c.seen = 0;
		err = iterate_dir(filp, &c.ctx);
	} while (!err && !d->err && c.seen);
	fput(filp);
	if (d->err)
		return d->err;
	if (err)
		return err;
	sort(d->ents, d->count, sizeof(*d->ents), ntio_dirent_cmp, NULL);
	return 0;
}

/* Is the directory at @path empty (only "." and "..")? */
bool ntio_dir_is_empty(const struct path *path)
{
	struct ntio_dir *d = kzalloc(sizeof(*d), GFP_KERNEL);
	bool empty = false;
	u32 i;

	if (!d)
		return false;
	if (!ntio_dir_read(path, d)) {
		empty = true;
		for (i = 0; i < d->count; i++)
			if (ntio_dot_rank(d->ents[i]) == 2)
				empty = false;
	}
	ntio_dir_free(d);
	return empty;
}

static WCHAR ntio_wup(WCHAR c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7))
		return c - 0x20;
	return c;
}

/* NT wildcard match, case-insensitive; iterative with one backtrack point. */
static bool ntio_match(const WCHAR *m, u32 mlen, const WCHAR *s, u32 slen)
{
	u32 mi = 0, si = 0, star_m = U32_MAX, star_s = 0;

	while (si < slen) {
		WCHAR mc = mi < mlen ? m[mi] : 0;

		if (mi < mlen && (mc == '*' || mc == '<')) {
			star_m = mi++;
			star_s = si;
			continue;
		}
		if (mi < mlen && (mc == '?' || mc == '>' ||
				  (mc == '"' && s[si] == '.') ||
				  ntio_wup(mc) == ntio_wup(s[si]))) {
			mi++;
			si++;
			continue;
		}
		if (star_m == U32_MAX)
			return false;
		mi = star_m + 1;
		si = ++star_s;
	}
	while (mi < mlen && (m[mi] == '*' || m[mi] == '<' || m[mi] == '>' ||
			     m[mi] == '"'))
		mi++;
	return mi == mlen;
}

/* Fixed size of an entry of @cls, or 0 if the class is not a listing. */
static u32 ntio_dir_fixed(u32 cls)
{
	switch (cls) {
	case FileDirectoryInformation:
		return offsetof(FILE_DIRECTORY_INFORMATION, FileName);
	case FileFullDirectoryInformation:
		return offsetof(FILE_FULL_DIR_INFORMATION, FileName);
	case FileBothDirectoryInformation:
		return offsetof(FILE_BOTH_DIR_INFORMATION, FileName);
	case FileNamesInformation:
		return offsetof(FILE_NAMES_INFORMATION, FileName);
	case FileIdFullDirectoryInformation:
		return offsetof(FILE_ID_FULL_DIR_INFORMATION, FileName);
	case FileIdBothDirectoryInformation:
		return offsetof(FILE_ID_BOTH_DIR_INFORMATION, FileName);
	default:
		return 0;
	}
}

/*
 * stat one entry of the directory; "." and ".." are the dir and its parent.
 * @searchable: the caller may search the directory (checked once per call),
 * so a cached dentry can be used without a permission check per entry.
 */
static int ntio_dir_stat(struct ntio_file *f, const struct ntio_dirent *e,
			 struct kstat *st, bool searchable)
{
	struct path p = { .mnt = f->filp->f_path.mnt };
	struct dentry *dir = f->filp->f_path.dentry;
	int err;

	if (ntio_dot_rank(e) == 0)
		return ntio_getattr(&f->filp->f_path, st);
	if (ntio_dot_rank(e) == 1) {
		p.dentry = dget_parent(dir);
	} else {
		struct qstr q = QSTR_INIT(e->name, e->len);

		p.dentry = searchable ? d_hash_and_lookup(dir, &q) : NULL;
		if (IS_ERR_OR_NULL(p.dentry))
			p.dentry = lookup_one_len_unlocked(e->name, dir, e->len);
		if (IS_ERR(p.dentry))
			return PTR_ERR(p.dentry);
		if (d_is_negative(p.dentry)) {
			dput(p.dentry);
			return -ENOENT;
		}
	}
	err = ntio_getattr(&p, st);
	dput(p.dentry);
	return err;
}

/* Write entry @e of class @cls at @rec; returns its full size. */
static u32 ntio_dir_fill(u32 cls, void *rec, const struct kstat *st,
			 const struct ntio_dirent *e, const WCHAR *name,
			 u32 name_bytes, u32 copy)
{
	FILE_NETWORK_OPEN_INFORMATION n;
	FILE_ID_BOTH_DIR_INFORMATION *b = rec;	/* the common prefix */
	u32 fixed = ntio_dir_fixed(cls);
	WCHAR *dst;
	struct dentry fake = {};

	fake.d_name.name = e->name;
	fake.d_name.len = e->len;
	if (cls == FileNamesInformation) {
		FILE_NAMES_INFORMATION *ni = rec;

		ni->FileNameLength = name_bytes;
		dst = ni->FileName;
	} else {
		ntio_fill_network(st, &fake, &n);
		b->CreationTime = n.CreationTime;
		b->LastAccessTime = n.LastAccessTime;
		b->LastWriteTime = n.LastWriteTime;
		b->ChangeTime = n.ChangeTime;
		b->EndOfFile = n.EndOfFile;
		b->AllocationSize = n.AllocationSize;
		b->FileAttributes = n.FileAttributes;
		b->FileNameLength = name_bytes;
		dst = (WCHAR *)((u8 *)rec + fixed);
		if (cls == FileIdFullDirectoryInformation)
			((FILE_ID_FULL_DIR_INFORMATION *)rec)->FileId.QuadPart = st->ino;
		if (cls == FileIdBothDirectoryInformation)
			b->FileId.QuadPart = st->ino;
	}
	memcpy(dst, name, copy);
	return fixed + name_bytes;
}

NTSTATUS NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event,
			      void __user *ApcRoutine, void __user *ApcContext,
			      IO_STATUS_BLOCK __user *IoStatusBlock,
			      void __user *FileInformation, ULONG Length,
			      FILE_INFORMATION_CLASS FileInformationClass,
			      BOOLEAN ReturnSingleEntry,
			      const UNICODE_STRING __user *FileName,
			      BOOLEAN RestartScan)
{
	u32 cls = FileInformationClass, fixed = ntio_dir_fixed(cls);
	u32 off = 0, end = 0, prev = U32_MAX, name_bytes, size, copy;
	struct ntob_object *ev = NULL;
	struct nt_ustr mask = {};
	struct ntio_dir *d;
	struct ntio_file *f;
	WCHAR *name = NULL;
	struct kstat st;
	NTSTATUS status;
	u8 *kbuf = NULL;
	bool searchable;
	int n, err;

	if (!fixed)
		return STATUS_INVALID_INFO_CLASS;
	if (Length < fixed)
		return STATUS_INFO_LENGTH_MISMATCH;
	status = ntex_probe(FileInformation, Length, 4);
	if (!NT_SUCCESS(status))
		return status;
	if (!IoStatusBlock || !NT_SUCCESS(nt_probe_out(IoStatusBlock, 8)))
		return STATUS_ACCESS_VIOLATION;
	status = ntio_ref_file(FileHandle, FILE_LIST_DIRECTORY, &f);
	if (!NT_SUCCESS(status))
		return status;
	status = STATUS_NOT_IMPLEMENTED;
	if (ApcRoutine)
		goto out;
	status = STATUS_INVALID_PARAMETER;
	if (f->kind != NTIO_DISK || !f->is_dir)
		goto out;
	status = ntio_ref_event(Event, &ev);
	if (!NT_SUCCESS(status))
		goto out;
	if (FileName) {
		status = nt_capture_ustr(FileName, &mask);
		if (!NT_SUCCESS(status))
			goto out;
	}
	status = STATUS_NO_MEMORY;
	Length = min_t(u32, Length, 1u << 20);
	kbuf = kvzalloc(Length, GFP_KERNEL);
	name = kmalloc_array(NAME_MAX + 1, sizeof(WCHAR), GFP_KERNEL);
	if (!kbuf || !name)
		goto out;

	mutex_lock(&f->lock);
	if (!f->dir || (RestartScan & 0xff)) {
		d = kzalloc(sizeof(*d), GFP_KERNEL);
		err = d ? ntio_dir_read(&f->filp->f_path, d) : -ENOMEM;
		if (err) {
			ntio_dir_free(d);
			mutex_unlock(&f->lock);
			status = nt_status_from_errno(err);
			goto out;
		}
		if (mask.len && !(mask.len == 1 && mask.buf[0] == '*')) {
			d->mask = mask.buf;
			d->mask_len = mask.len;
			mask.buf = NULL;
		}
		ntio_dir_free(f->dir);
		f->dir = d;
	}
	d = f->dir;
	searchable = !inode_permission(mnt_user_ns(f->filp->f_path.mnt),
				       d_inode(f->filp->f_path.dentry), MAY_EXEC);
	status = STATUS_SUCCESS;
	for (; d->cursor < d->count; d->cursor++) {
		const struct ntio_dirent *e = d->ents[d->cursor];

		n = utf8s_to_utf16s(e->name, e->len, UTF16_HOST_ENDIAN,
				    (wchar_t *)name, NAME_MAX + 1);
		if (n <= 0)
			continue;
		if (d->mask && !ntio_match(d->mask, d->mask_len, name, n))
			continue;
		if (cls != FileNamesInformation &&
		    ntio_dir_stat(f, e, &st, searchable))
			continue;	/* gone since the snapshot */
		name_bytes = n * sizeof(WCHAR);
		size = fixed + name_bytes;
		if (prev != U32_MAX && off + size > Length)
			break;		/* returned by the next call */
		copy = min(name_bytes, Length - off - fixed);
		ntio_dir_fill(cls, kbuf + off, &st, e, name, name_bytes, copy);
		d->returned = true;
		if (prev != U32_MAX)
			*(u32 *)(kbuf + prev) = off - prev;
		prev = off;
		if (copy < name_bytes) {
			status = STATUS_BUFFER_OVERFLOW;
			end = Length;
			d->cursor++;
			break;
		}
		off += size;
		end = off;
		if (ReturnSingleEntry & 0xff) {
			d->cursor++;
			break;
		}
		off = ALIGN(off, 8);
		if (off >= Length) {
			d->cursor++;
			break;
		}
	}
	if (prev == U32_MAX)
		status = d->returned ? STATUS_NO_MORE_FILES : STATUS_NO_SUCH_FILE;
	mutex_unlock(&f->lock);
	/* Information ends with the last entry, without its padding */
	if (end && !NT_SUCCESS(nt_copy_out(FileInformation, kbuf, end))) {
		status = STATUS_ACCESS_VIOLATION;
		goto out;
	}
	if (!NT_ERROR(status)) {
		if (!NT_SUCCESS(ntio_put_iosb(IoStatusBlock, status, end)))
			status = STATUS_ACCESS_VIOLATION;
		ntio_complete_event(ev);
		ev = NULL;
	}
out:
	if (ev)
		ntob_put(ev);
	kfree(name);
	kvfree(kbuf);
	nt_release_ustr(&mask);
	ntob_put(&f->obj);
	return status;
}
