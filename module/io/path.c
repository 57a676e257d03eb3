// SPDX-License-Identifier: GPL-2.0
/*
 * NT file names -> Linux paths.
 *
 *   \??\C:\a\b        <root>/a/b     (the process's NTP_ATTACH_C_ROOT
 *                                    directory, else the module parameter
 *                                    c_root, default "/")
 *   \??\Z:\a          /a             (the whole Linux tree, as Wine's Z:)
 *   \??\unix\a\b      /a/b           (an absolute Linux path, as Wine)
 *   \Device\Null, \??\NUL            the null device
 *   \??\CON, \??\CONIN$, \??\CONOUT$ the caller's fd 0 (read) / fd 1 (write)
 *   \DosDevices\ and \GLOBAL??\ are accepted for \??\.
 *
 * With RootDirectory, the name is relative to that open directory.
 *
 * Each component is validated (no wildcards, '/', ':', '"', '<', '>', '|'
 * or control characters, at most 255 bytes of UTF-8: else
 * STATUS_OBJECT_NAME_INVALID); "." is dropped and ".." removes the
 * previous component but never climbs above the drive root (lexically,
 * in ntio_split(), before any lookup: so \??\C:\..\..\etc is
 * <root>/etc). A trailing
 * backslash is ignored. When a component does not exist with the exact
 * case, the directory is searched case-insensitively (ASCII and Latin-1
 * letters fold) and the on-disk name is used, because Windows programs
 * rely on case-insensitive names. Symbolic links are followed.
 *
 * A missing middle component is STATUS_OBJECT_PATH_NOT_FOUND, a missing
 * last one is reported to the caller (t->exists = false) so that create
 * dispositions can decide. A Linux path longer than PATH_MAX is
 * STATUS_NAME_TOO_LONG.
 *
 * The per-process C: root is a referenced struct path taken at attach.
 * The I/O layer opens by Linux path string (as for RootDirectory), so each
 * C: lookup names that directory afresh with d_path() and checks that the
 * name leads back to the very same directory: a rename of the root is
 * followed, and if the caller has since moved to another root or mount
 * namespace from which the directory cannot be named (or something is
 * mounted over it), C: names fail with STATUS_OBJECT_PATH_NOT_FOUND
 * instead of reaching another directory. The root is a name mapping, not
 * a sandbox (the process can make Linux calls): symbolic links inside it
 * are followed as Linux follows them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/nls.h>
#include <linux/slab.h>
#include "internal.h"
#include "io/io.h"

static char *c_root = "/";
module_param(c_root, charp, 0644);
MODULE_PARM_DESC(c_root, "Linux directory that \\??\\C:\\ maps to (default /)");

void ntio_process_init(struct ntio_process *io, const struct ntio_process *parent)
{
	if (parent && parent->c_root.dentry)
		ntio_process_set_c_root(io, &parent->c_root);
}

void ntio_process_fini(struct ntio_process *io)
{
	if (io->c_root.dentry)
		path_put(&io->c_root);
	memset(&io->c_root, 0, sizeof(io->c_root));
}

void ntio_process_set_c_root(struct ntio_process *io, const struct path *root)
{
	io->c_root = *root;
	path_get(&io->c_root);
}

/* A copy of the module parameter: sysfs may replace (and free) it meanwhile. */
static char *ntio_c_root_param(void)
{
	char *s;

	kernel_param_lock(THIS_MODULE);
	s = kstrdup(c_root, GFP_KERNEL);
	kernel_param_unlock(THIS_MODULE);
	return s;
}

/* The Linux name of @root in @buf (PATH_MAX bytes) if it leads back to it. */
static char *ntio_c_root_name(const struct path *root, char *buf)
{
	struct path p;
	char *name;
	bool same;

	name = d_path(root, buf, PATH_MAX);
	if (IS_ERR(name))
		return name;
	if (kern_path(name, 0, &p))
		return ERR_PTR(-ENOENT);
	same = path_equal(&p, root);
	path_put(&p);
	return same ? name : ERR_PTR(-ENOENT);
}

static bool ntio_prefix(const WCHAR *s, u16 len, const char *p)
{
	u16 i, n = strlen(p);

	if (len < n)
		return false;
	for (i = 0; i < n; i++)
		if (ntob_upcase(s[i]) != ntob_upcase((u8)p[i]))
			return false;
	return true;
}

static bool ntio_equal(const WCHAR *s, u16 len, const char *p)
{
	return len == strlen(p) && ntio_prefix(s, len, p);
}

static bool ntio_valid_char(WCHAR c)
{
	if (c < 0x20)
		return false;
	return !strchr("*?\"<>|:/", c < 0x80 ? (char)c : 'a');
}

/* The component list being built; at most @max entries. */
struct ntio_walk {
	char **comp;		/* UTF-8, kmalloc'd */
	int n;
	int max;
};

static void ntio_walk_free(struct ntio_walk *w)
{
	while (w->n)
		kfree(w->comp[--w->n]);
	kfree(w->comp);
}

/* Split @name into validated UTF-8 components. */
static NTSTATUS ntio_split(const WCHAR *name, u16 len, struct ntio_walk *w)
{
	u16 i = 0, start, n;
	char *utf8;
	int bytes;

	w->max = len / 2 + 1;
	w->comp = kcalloc(w->max, sizeof(char *), GFP_KERNEL);
	if (!w->comp)
		return STATUS_NO_MEMORY;
	if (len && name[0] == '\\')
		i = 1;
	while (i < len) {
		start = i;
		while (i < len && name[i] != '\\') {
			if (!ntio_valid_char(name[i]))
				return STATUS_OBJECT_NAME_INVALID;
			i++;
		}
		n = i - start;
		if (i < len)
			i++;			/* the backslash */
		if (!n)
			return STATUS_OBJECT_NAME_INVALID;	/* "\\" */
		if (n == 1 && name[start] == '.')
			continue;
		if (n == 2 && name[start] == '.' && name[start + 1] == '.') {
			if (w->n)
				kfree(w->comp[--w->n]);
			continue;
		}
		utf8 = kmalloc(NAME_MAX + 1, GFP_KERNEL);
		if (!utf8)
			return STATUS_NO_MEMORY;
		bytes = utf16s_to_utf8s((const wchar_t *)(name + start), n,
					UTF16_LITTLE_ENDIAN, utf8, NAME_MAX + 1);
		if (bytes > NAME_MAX || bytes <= 0) {
			kfree(utf8);
			return STATUS_OBJECT_NAME_INVALID;
		}
		utf8[bytes] = 0;
		w->comp[w->n++] = utf8;
	}
	return STATUS_SUCCESS;
}

/* "@base/c0/c1/.../c(n-1)" in a new buffer, or NULL if too long. */
static char *ntio_join(const char *base, struct ntio_walk *w, int n)
{
	size_t len = strlen(base), total = len;
	char *p;
	int i;

	for (i = 0; i < n; i++)
		total += 1 + strlen(w->comp[i]);
	if (total >= PATH_MAX)
		return NULL;
	p = kmalloc(total + 2, GFP_KERNEL);
	if (!p)
		return NULL;
	strcpy(p, base);
	for (i = 0; i < n; i++) {
		if (!len || p[len - 1] != '/')
			p[len++] = '/';
		strcpy(p + len, w->comp[i]);
		len += strlen(w->comp[i]);
	}
	p[len] = 0;
	if (!len) {
		p[0] = '/';
		p[1] = 0;
	}
	return p;
}

/* Case-insensitive search of one directory. */
struct ntio_ci_ctx {
	struct dir_context ctx;
	WCHAR want[NAME_MAX + 1];
	int want_len;
	char *found;
};

static bool ntio_ci_actor(struct dir_context *ctx, const char *name, int len,
			  loff_t off, u64 ino, unsigned int type)
{
	struct ntio_ci_ctx *c = container_of(ctx, struct ntio_ci_ctx, ctx);
	WCHAR got[NAME_MAX + 1];
	int n, i;

	n = utf8s_to_utf16s(name, len, UTF16_HOST_ENDIAN, got, NAME_MAX + 1);
	if (n != c->want_len)
		return true;
	for (i = 0; i < n; i++)
		if (ntob_upcase(got[i]) != c->want[i])
			return true;
	c->found = kstrndup(name, len, GFP_KERNEL);
	return false;
}

/* Replace @w->comp[i] by its on-disk spelling in @dir: 0, -ENOENT, ... */
static int ntio_ci_lookup(const char *dir, struct ntio_walk *w, int i)
{
	struct ntio_ci_ctx *c;
	struct file *filp;
	int err, k;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->ctx.actor = ntio_ci_actor;
	c->want_len = utf8s_to_utf16s(w->comp[i], strlen(w->comp[i]),
				      UTF16_HOST_ENDIAN, c->want, NAME_MAX + 1);
	for (k = 0; k < c->want_len; k++)
		c->want[k] = ntob_upcase(c->want[k]);
	filp = filp_open(dir, O_RDONLY | O_DIRECTORY | O_LARGEFILE, 0);
	if (IS_ERR(filp)) {
		err = PTR_ERR(filp);
		goto out;
	}
	err = iterate_dir(filp, &c->ctx);
	fput(filp);
	if (!err && !c->found)
		err = -ENOENT;
	if (c->found) {
		kfree(w->comp[i]);
		w->comp[i] = c->found;
		err = 0;
	}
out:
	kfree(c);
	return err;
}

static NTSTATUS ntio_path_status(int err, bool last)
{
	if (err == -ENOENT)
		return nt_status_mapped(err, last ? STATUS_OBJECT_NAME_NOT_FOUND :
						    STATUS_OBJECT_PATH_NOT_FOUND);
	if (err == -ENOTDIR)
		return nt_status_mapped(err, STATUS_OBJECT_PATH_NOT_FOUND);
	return nt_status_from_errno(err);
}

/* Find every component, fixing its case; fills t->path and t->exists. */
static NTSTATUS ntio_lookup(const char *base, struct ntio_walk *w,
			    struct ntio_target *t)
{
	struct path p;
	char *cur;
	int err, i;

	t->path = ntio_join(base, w, w->n);
	if (!t->path)
		return STATUS_NAME_TOO_LONG;
	err = kern_path(t->path, LOOKUP_FOLLOW, &p);
	if (!err) {
		path_put(&p);
		t->exists = true;
		return STATUS_SUCCESS;
	}
	if (err != -ENOENT)
		return ntio_path_status(err, w->n == 0);
	if (!w->n)
		return STATUS_OBJECT_PATH_NOT_FOUND;	/* the drive root */
	/* walk: exact name first, else a case-insensitive match */
	for (i = 0; i < w->n; i++) {
		bool last = i == w->n - 1;

		cur = ntio_join(base, w, i + 1);
		if (!cur)
			return STATUS_NAME_TOO_LONG;
		err = kern_path(cur, LOOKUP_FOLLOW, &p);
		kfree(cur);
		if (!err) {
			path_put(&p);
			continue;
		}
		if (err != -ENOENT)
			return ntio_path_status(err, last);
		cur = ntio_join(base, w, i);
		if (!cur)
			return STATUS_NAME_TOO_LONG;
		err = ntio_ci_lookup(cur, w, i);
		kfree(cur);
		if (err == -ENOENT && last)
			break;
		if (err)
			return ntio_path_status(err, last);
	}
	kfree(t->path);
	t->path = ntio_join(base, w, w->n);
	if (!t->path)
		return STATUS_NAME_TOO_LONG;
	t->exists = i == w->n;
	return STATUS_SUCCESS;
}

/* "\c0\c1..." after @prefix (WCHARs), as the volume-relative NT name. */
static NTSTATUS ntio_make_nt_name(const WCHAR *prefix, u16 plen,
				  struct ntio_walk *w, struct ntio_target *t)
{
	size_t room = plen + 1, len = plen;
	WCHAR *buf;
	int i, n;

	for (i = 0; i < w->n; i++)
		room += 1 + strlen(w->comp[i]);
	if (room > 0x7fff)
		return STATUS_NAME_TOO_LONG;
	buf = kmalloc_array(room, sizeof(WCHAR), GFP_KERNEL);
	if (!buf)
		return STATUS_NO_MEMORY;
	memcpy(buf, prefix, plen * sizeof(WCHAR));
	for (i = 0; i < w->n; i++) {
		buf[len++] = '\\';
		n = utf8s_to_utf16s(w->comp[i], strlen(w->comp[i]),
				    UTF16_HOST_ENDIAN, buf + len, room - len);
		if (n > 0)
			len += n;
	}
	if (!len)
		buf[len++] = '\\';
	t->nt_name = buf;
	t->nt_name_len = len;
	return STATUS_SUCCESS;
}

static NTSTATUS ntio_resolve_disk(const char *base, const WCHAR *nt_prefix,
				  u16 nt_prefix_len, const WCHAR *rest,
				  u16 len, struct ntio_target *t)
{
	struct ntio_walk w = {};
	NTSTATUS status;

	t->kind = NTIO_DISK;
	status = ntio_split(rest, len, &w);
	if (NT_SUCCESS(status))
		status = ntio_lookup(base, &w, t);
	if (NT_SUCCESS(status))
		status = ntio_make_nt_name(nt_prefix, nt_prefix_len, &w, t);
	ntio_walk_free(&w);
	return status;
}

/* What follows \??\ */
static NTSTATUS ntio_resolve_dos(const WCHAR *s, u16 len, struct ntio_target *t)
{
	struct nt_process *proc;
	const char *base;
	NTSTATUS status;
	char *buf;

	if (ntio_equal(s, len, "NUL")) {
		t->kind = NTIO_NULL;
		return STATUS_SUCCESS;
	}
	if (ntio_equal(s, len, "CON") || ntio_equal(s, len, "CONIN$") ||
	    ntio_equal(s, len, "CONOUT$")) {
		t->kind = NTIO_CONSOLE;
		return STATUS_SUCCESS;
	}
	if (ntio_equal(s, len, "unix") || ntio_prefix(s, len, "unix\\")) {
		len -= 4;
		return ntio_resolve_disk("/", NULL, 0, s + 4, len, t);
	}
	if (len >= 2 && s[1] == ':' && (len == 2 || s[2] == '\\')) {
		switch (ntob_upcase(s[0])) {
		case 'C':
			proc = nt_process_current();
			if (!proc || !proc->io.c_root.dentry) {
				buf = ntio_c_root_param();
				if (!buf)
					return STATUS_NO_MEMORY;
				base = buf;
			} else {
				buf = kmalloc(PATH_MAX, GFP_KERNEL);
				if (!buf)
					return STATUS_NO_MEMORY;
				base = ntio_c_root_name(&proc->io.c_root, buf);
			}
			if (IS_ERR(base)) {
				kfree(buf);
				return PTR_ERR(base) == -ENAMETOOLONG ?
				       STATUS_NAME_TOO_LONG :
				       STATUS_OBJECT_PATH_NOT_FOUND;
			}
			status = ntio_resolve_disk(base, NULL, 0, s + 2, len - 2, t);
			kfree(buf);
			return status;
		case 'Z':
			base = "/";
			break;
		default:
			return STATUS_OBJECT_PATH_NOT_FOUND;
		}
		return ntio_resolve_disk(base, NULL, 0, s + 2, len - 2, t);
	}
	return STATUS_OBJECT_PATH_NOT_FOUND;
}

NTSTATUS ntio_resolve(const struct nt_oa *oa, struct ntio_target *t)
{
	static const char *const dos[] = { "\\??\\", "\\DosDevices\\", "\\GLOBAL??\\" };
	const WCHAR *s = oa->name.buf;
	u16 len = oa->name.len;
	struct ntio_file *root;
	NTSTATUS status;
	char *buf, *base;
	int i;

	memset(t, 0, sizeof(*t));
	if (oa->root) {
		if (len && s[0] == '\\')
			return STATUS_OBJECT_NAME_INVALID;
		status = ntio_ref_file(oa->root, 0, &root);
		if (!NT_SUCCESS(status))
			return status;
		if (root->kind != NTIO_DISK || !root->is_dir) {
			ntob_put(&root->obj);
			return STATUS_INVALID_PARAMETER;
		}
		status = STATUS_NO_MEMORY;
		buf = kmalloc(PATH_MAX, GFP_KERNEL);
		if (buf) {
			base = d_path(&root->filp->f_path, buf, PATH_MAX);
			if (IS_ERR(base))
				status = STATUS_NAME_TOO_LONG;
			else
				status = ntio_resolve_disk(base, root->name,
							   root->name_len > 1 ?
							   root->name_len : 0,
							   s, len, t);
			kfree(buf);
		}
		ntob_put(&root->obj);
		return status;
	}
	if (!len || s[0] != '\\')
		return STATUS_OBJECT_PATH_SYNTAX_BAD;
	if (ntio_equal(s, len, "\\Device\\Null")) {
		t->kind = NTIO_NULL;
		return STATUS_SUCCESS;
	}
	for (i = 0; i < ARRAY_SIZE(dos); i++) {
		u16 n = strlen(dos[i]);

		if (ntio_prefix(s, len, dos[i]))
			return ntio_resolve_dos(s + n, len - n, t);
	}
	return STATUS_OBJECT_PATH_NOT_FOUND;
}

NTSTATUS ntio_resolve_sibling(struct ntio_file *f, const struct nt_oa *oa,
			      struct ntio_target *t)
{
	char *buf, *dir, *slash;
	u16 plen = f->name_len;
	NTSTATUS status;

	memset(t, 0, sizeof(*t));
	if (f->kind != NTIO_DISK)
		return STATUS_INVALID_PARAMETER;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return STATUS_NO_MEMORY;
	dir = d_path(&f->filp->f_path, buf, PATH_MAX);
	if (IS_ERR(dir)) {
		kfree(buf);
		return STATUS_NAME_TOO_LONG;
	}
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = 0;
	else if (slash)
		*slash = 0;
	while (plen && f->name[plen - 1] != '\\')
		plen--;
	if (plen)
		plen--;		/* the NT name of the directory, no backslash */
	status = ntio_resolve_disk(dir, f->name, plen, oa->name.buf,
				   oa->name.len, t);
	kfree(buf);
	return status;
}

NTSTATUS ntio_resolve_oa(const OBJECT_ATTRIBUTES __user *uoa,
			 struct ntio_target *t)
{
	struct nt_oa oa;
	NTSTATUS status;

	memset(t, 0, sizeof(*t));
	if (!uoa)
		return STATUS_ACCESS_VIOLATION;
	status = nt_capture_oa(uoa, &oa);
	if (!NT_SUCCESS(status))
		return status;
	status = ntio_resolve(&oa, t);
	nt_release_oa(&oa);
	if (!NT_SUCCESS(status))
		ntio_target_free(t);
	return status;
}

void ntio_target_free(struct ntio_target *t)
{
	kfree(t->path);
	kfree(t->nt_name);
	t->path = NULL;
	t->nt_name = NULL;
}

/* The calling process's C: directory, referenced; -errno if none. */
static int ntio_c_root_path(struct path *root)
{
	struct nt_process *proc = nt_process_current();
	char *name;
	int err;

	if (proc && proc->io.c_root.dentry) {
		*root = proc->io.c_root;
		path_get(root);
		return 0;
	}
	name = ntio_c_root_param();
	if (!name)
		return -ENOMEM;
	err = kern_path(name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, root);
	kfree(name);
	return err;
}

/*
 * The NT name of @p as the calling process would open it: \??\C:\... when
 * @p is under the caller's C: directory, else \??\unix\... (the names are
 * resolved in the caller's \??, so that is the C: that counts). The path
 * is the one d_path() gives, in the caller's root.
 */
NTSTATUS ntio_nt_name_of_path(const struct path *p, WCHAR **name, u16 *len)
{
	const char *prefix = "\\??\\unix", *rest;
	struct path root;
	size_t plen, room, rlen;
	char *buf, *r;
	WCHAR *out;
	int i, n;

	*name = NULL;
	*len = 0;
	buf = kmalloc(2 * PATH_MAX, GFP_KERNEL);
	if (!buf)
		return STATUS_NO_MEMORY;
	rest = d_path(p, buf, PATH_MAX);
	if (IS_ERR(rest)) {
		kfree(buf);
		return STATUS_NAME_TOO_LONG;
	}
	if (!ntio_c_root_path(&root)) {
		r = path_is_under(p, &root) ?
		    d_path(&root, buf + PATH_MAX, PATH_MAX) : ERR_PTR(-ENOENT);
		path_put(&root);
		rlen = IS_ERR(r) ? 0 : strlen(r);
		if (rlen == 1)
			rlen = 0;	/* C: is "/" */
		if (!IS_ERR(r) && !strncmp(rest, r, rlen) &&
		    (rest[rlen] == '/' || !rest[rlen])) {
			prefix = "\\??\\C:";
			rest += rlen;
		}
	}
	plen = strlen(prefix);
	room = plen + strlen(rest) + 1;
	out = kmalloc_array(room, sizeof(WCHAR), GFP_KERNEL);
	if (!out) {
		kfree(buf);
		return STATUS_NO_MEMORY;
	}
	for (i = 0; i < plen; i++)
		out[i] = prefix[i];
	n = utf8s_to_utf16s(rest, strlen(rest), UTF16_HOST_ENDIAN,
			    (wchar_t *)out + plen, room - plen);
	n = plen + max(n, 0);
	for (i = plen; i < n; i++)
		if (out[i] == '/')
			out[i] = '\\';
	if (n == plen)
		out[n++] = '\\';	/* the drive's root itself */
	kfree(buf);
	if (n > 0x7ffe) {	/* USHORT bytes with room for a terminator */
		kfree(out);
		return STATUS_NAME_TOO_LONG;
	}
	*name = out;
	*len = n;
	return STATUS_SUCCESS;
}
