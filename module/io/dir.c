// SPDX-License-Identifier: GPL-2.0
/*
 * NtQueryDirectoryFile: directory enumeration with NT wildcard masks.
 *
 * The first query (and every RestartScan) reads the directory with
 * iterate_dir into a snapshot: each name matching the mask of that query
 * (FileName; "*" when NULL) is converted to UTF-16 once and kept, with its
 * case-folded key, in 16 KiB chunks. The mask stays until the next
 * restart, as on Windows, and like Wine we filter before sorting. The
 * snapshot is sorted by the folded key ("." and ".." first), which is the
 * order NTFS returns (its collation compares upcased UTF-16); Linux
 * returns hash or creation order. Names equal but for case (possible on
 * Linux) are ordered by their bytes. Entries are stat'ed when they are
 * returned, except for FileNamesInformation, which needs only the name.
 * The snapshot's names are freed as soon as its last entry has been
 * returned (the handle then only remembers that the listing is over, and
 * answers STATUS_NO_MORE_FILES until a RestartScan reads the directory
 * again), so a completed listing holds no memory for its names.
 *
 * Too big to sort (issue 19): when more than dir_sort_max names match,
 * the listing is not sorted but streamed in the file system's order, as
 * Wine always lists: a window of dir_sort_max names at a time, read with
 * iterate_dir from where the previous window stopped (the handle keeps a
 * private file of the directory for that, opened with the opener's
 * credentials), '.' and '..' still first. So a listing in progress holds
 * at most one window (~64 bytes a name), whatever the directory's size.
 * Names created or removed during a streamed listing may or may not be
 * seen, as with getdents(2).
 *
 * The sort is a radix sort on the folded UTF-8 key (its byte order is
 * code-point order; it differs from UTF-16 order only between
 * supplementary-plane names and U+E000..U+FFFF): the prefix all names
 * share is skipped, an LSD pass per varying byte orders the next four
 * bytes, and MSD finishes the ties. A listing already in order or in
 * reverse order (tmpfs lists the newest name first) is found in one pass.
 * Directories are large and names share long prefixes (IMG_0001.JPG...),
 * which makes comparison sorts spend their time re-reading equal bytes.
 *
 * Folding: ASCII and Latin-1 letters are upcased (the RtlUpcaseUnicodeChar
 * subset this module implements everywhere: ntob_upcase()).
 *
 * Masks take '*', '?' and the DOS wildcards '<', '>', '"' (treated as
 * '*', '?', '.'); matching is case-insensitive.
 *
 * Buffer rules (Windows): entries are 8-byte aligned and chained by
 * NextEntryOffset (0 in the last); an entry that does not fit ends the
 * call and is returned by the next one, except when it is the first of the
 * call: then the fixed part and as much of the name as fits are written,
 * the entry is consumed and the status is STATUS_BUFFER_OVERFLOW. No match
 * at all on the first query is STATUS_NO_SUCH_FILE, the end of the
 * listing STATUS_NO_MORE_FILES. Short (8.3) names are not generated:
 * ShortNameLength is 0. The drive root lists "." and ".." too. Names that
 * are not valid UTF-8 are converted as utf8s_to_utf16s() does (invalid
 * bytes dropped); such files cannot be opened by that name.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/nls.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <asm/unaligned.h>
#include "io/io.h"
#include "ke/ke.h"

/*
 * A snapshot entry. key[] holds the folded key and its NUL, then the UTF-8
 * name and its NUL, then (2-byte aligned) the UTF-16 name of @wlen units.
 * The index of a snapshot points at keys, which is all the sort reads.
 */
struct ntio_dirent {
	u16 ulen;		/* bytes of UTF-8 */
	u16 wlen;		/* UTF-16 code units */
	u8 key[];
};

static const struct ntio_dirent *ntio_de(const u8 *key)
{
	return container_of(key, const struct ntio_dirent, key[0]);
}

static const char *ntio_de_name(const struct ntio_dirent *e)
{
	return (const char *)e->key + e->ulen + 1;
}

/* offset of the UTF-16 name in an entry whose UTF-8 name has @ulen bytes */
static u32 ntio_de_wname_off(u32 ulen)
{
	return ALIGN(offsetof(struct ntio_dirent, key) + 2 * (ulen + 1), 2);
}

static const WCHAR *ntio_de_wname(const struct ntio_dirent *e)
{
	return (const WCHAR *)((const u8 *)e + ntio_de_wname_off(e->ulen));
}

/*
 * Entries live in a list of chunks, so the index can point into them and
 * growing never copies them. The largest entry (NAME_MAX bytes, twice,
 * plus the UTF-16 name) is far below a chunk. A snapshot is as big as the
 * directory: it is charged to the caller's memory cgroup
 * (GFP_KERNEL_ACCOUNT).
 */
#define NTIO_CHUNK_SIZE	(16 * 1024)

struct ntio_dir_chunk {
	struct ntio_dir_chunk *next;
	u8 data[];
};

/* ents[0..1] are kept for "." and "..": NTFS lists them first */
#define NTIO_DOTS	2

/* Enumeration state of a directory handle; guarded by ntio_file.lock. */
struct ntio_dir {
	struct ntio_dir_chunk *chunks;	/* newest first */
	u32 used;		/* bytes used in chunks->data */
	const u8 **ents;	/* keys, in listing order from ents[cursor] */
	u32 count;		/* NTIO_DOTS + the other names */
	u32 cap;
	const u8 *dot[NTIO_DOTS];	/* "." and "..", if listed */
	u32 cursor;
	bool returned;		/* something matched since the last restart */
	WCHAR *mask;		/* NULL = everything */
	u16 mask_len;
	int err;
	struct file *filp;	/* streaming: where the next window starts */
	bool stream;		/* too big to sort: file system order */
};

/*
 * A directory with more matching names than this is not sorted: it is
 * listed in the file system's order, a window of this many names at a
 * time (as Wine always lists), so that a listing in progress holds at
 * most this many names (~64 bytes each) whatever the directory's size.
 */
static unsigned int dir_sort_max = 65536;
module_param(dir_sort_max, uint, 0644);
MODULE_PARM_DESC(dir_sort_max, "Names NtQueryDirectoryFile sorts; larger directories stream in file system order (default 65536, 0 = no limit)");

/*
 * Free the names of a snapshot, keeping what the next query must still
 * know (the mask, whether anything was returned): a listing that has
 * returned its last entry holds no memory for its names (issue 19),
 * however large the directory was, until a RestartScan reads it again.
 */
static void ntio_dir_drop_names(struct ntio_dir *d)
{
	struct ntio_dir_chunk *c, *next;

	for (c = d->chunks; c; c = next) {
		next = c->next;
		kfree(c);
	}
	d->chunks = NULL;
	d->used = 0;
	kvfree(d->ents);
	d->ents = NULL;
	d->count = 0;
	d->cursor = 0;
	d->cap = 0;
	memset(d->dot, 0, sizeof(d->dot));
}

static void ntio_dir_stream_end(struct ntio_dir *d)
{
	if (d->filp)
		fput(d->filp);
	d->filp = NULL;
}

void ntio_dir_free(struct ntio_dir *d)
{
	if (!d)
		return;
	ntio_dir_stream_end(d);
	ntio_dir_drop_names(d);
	kfree(d->mask);
	kfree(d);
}

static int ntio_dot_rank(const char *name, u32 len)
{
	if (len == 1 && name[0] == '.')
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return 1;
	return NTIO_DOTS;
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
				  ntob_upcase(mc) == ntob_upcase(s[si]))) {
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

/* ntob_upcase() on UTF-8: U+00E0..U+00FE (but U+00F7) are 0xc3 0xa0..0xbe. */
static void ntio_fold(u8 *key, const u8 *s, u32 len)
{
	u32 i;
	u8 c;

	for (i = 0; i < len; i++) {
		c = s[i];
		if (c >= 'a' && c <= 'z')
			c -= 0x20;
		else if (i && s[i - 1] == 0xc3 && c >= 0xa0 && c <= 0xbe &&
			 c != 0xb7)
			c -= 0x20;
		key[i] = c;
	}
	key[len] = 0;
}

/*
 * The zero bytes of @x flagged by their top bit. Flags above the lowest
 * zero byte can be false (a borrow), the lowest one is exact: callers only
 * use the lowest (see include/asm-generic/word-at-a-time.h).
 */
static u32 ntio_zero_bytes(u32 x)
{
	return (x - 0x01010101) & ~x & 0x80808080;
}

/* a-z upcased in four ASCII bytes: the high bits stop every borrow */
static u32 ntio_upcase4(u32 x)
{
	u32 ge_a = (x | 0x80808080) - 0x61616161;	/* high bit: >= 'a' */
	u32 gt_z = (x | 0x80808080) - 0x7b7b7b7b;	/* high bit: > 'z' */

	return x ^ ((ge_a & ~gt_z & 0x80808080) >> 2);
}

/*
 * Fill @e from @s (@len bytes of UTF-8): key, name, and the UTF-16 name of
 * at most @len units (UTF-16 never needs more units than UTF-8 needs
 * bytes). Returns the number of units. Names are mostly ASCII, and every
 * name of a directory passes here on each restart: four bytes at a time.
 */
static int ntio_dirent_set(struct ntio_dirent *e, const char *s, u32 len)
{
	u8 *name = e->key + len + 1;
	WCHAR *w;
	u32 i, x;
	u8 c;

	e->ulen = len;
	w = (WCHAR *)ntio_de_wname(e);
	for (i = 0; i + 4 <= len; i += 4) {
		x = get_unaligned((const u32 *)(s + i));
		if (x & 0x80808080)
			goto unicode;
		put_unaligned(x, (u32 *)(name + i));
		put_unaligned(ntio_upcase4(x), (u32 *)(e->key + i));
		put_unaligned((x & 0xff) | (x & 0xff00) << 8, (u32 *)(w + i));
		put_unaligned((x >> 16 & 0xff) | (x >> 8 & 0xff0000),
			      (u32 *)(w + i + 2));
	}
	for (; i < len; i++) {
		c = s[i];
		if (c >= 0x80)
			goto unicode;
		name[i] = c;
		w[i] = c;
		e->key[i] = c >= 'a' && c <= 'z' ? c - 0x20 : c;
	}
	name[len] = 0;
	e->key[len] = 0;
	return len;
unicode:
	memcpy(name, s, len);
	name[len] = 0;
	ntio_fold(e->key, name, len);
	return utf8s_to_utf16s(s, len, UTF16_HOST_ENDIAN, (wchar_t *)w, len);
}

/* Room for an entry of @size bytes and its index slot. */
static int ntio_dir_reserve(struct ntio_dir *d, u32 size)
{
	struct ntio_dir_chunk *c;
	void *p;

	if (!d->chunks || d->used + size > NTIO_CHUNK_SIZE - sizeof(*c)) {
		c = kmalloc(NTIO_CHUNK_SIZE, GFP_KERNEL_ACCOUNT);
		if (!c)
			return -ENOMEM;
		c->next = d->chunks;
		d->chunks = c;
		d->used = 0;
	}
	if (d->count == d->cap) {
		u32 cap = d->cap * 2;

		p = kvrealloc(d->ents, d->cap * sizeof(*d->ents),
			      cap * sizeof(*d->ents), GFP_KERNEL_ACCOUNT);
		if (!p)
			return -ENOMEM;
		d->ents = p;
		d->cap = cap;
	}
	return 0;
}

struct ntio_dir_ctx {
	struct dir_context ctx;
	struct ntio_dir *d;
	u32 seen;
	u32 limit;	/* names in a window; 0: all */
	bool full;
};

static bool ntio_dir_actor(struct dir_context *ctx, const char *name, int len,
			   loff_t off, u64 ino, unsigned int type)
{
	struct ntio_dir_ctx *c = container_of(ctx, struct ntio_dir_ctx, ctx);
	struct ntio_dir *d = c->d;
	struct ntio_dirent *e;
	u32 wname;
	int n, rank;

	/* a snapshot is the whole directory: let a huge one be interrupted */
	if (!(++c->seen % 1024)) {
		if (fatal_signal_pending(current)) {
			d->err = -EINTR;
			return false;
		}
		cond_resched();
	}
	if (len <= 0 || len > NAME_MAX)
		return true;
	/* a full window refuses the name: the next window starts with it */
	if (c->limit && d->count - NTIO_DOTS >= c->limit) {
		c->full = true;
		return false;
	}
	wname = ntio_de_wname_off(len);
	if (ntio_dir_reserve(d, ALIGN(wname + len * sizeof(WCHAR), 4))) {
		d->err = -ENOMEM;
		return false;
	}
	e = (struct ntio_dirent *)(d->chunks->data + d->used);
	n = ntio_dirent_set(e, name, len);
	if (n <= 0)
		return true;	/* nothing an NT name can say */
	if (d->mask && !ntio_match(d->mask, d->mask_len, ntio_de_wname(e), n))
		return true;
	e->wlen = n;
	d->used += ALIGN(wname + n * sizeof(WCHAR), 4);
	rank = ntio_dot_rank(name, len);
	if (rank < NTIO_DOTS)
		d->dot[rank] = e->key;
	else
		d->ents[d->count++] = e->key;
	return true;
}

/* ---- sorting --------------------------------------------------------- */

#define NTIO_SORT_SMALL	4	/* buckets this small: insertion sort */

struct ntio_sort_job {
	u32 lo;
	u32 n;
	u32 depth;		/* keys of ents[lo..lo+n) agree before it */
};

/*
 * Order of two entries whose keys agree before @depth, four bytes at a
 * time (word reads may pass a key's NUL by up to three bytes: the entry's
 * name follows it). The lowest byte that differs or is @a's NUL decides;
 * equal keys (names equal but for case) go by their raw names.
 */
static int ntio_dirent_cmp(const u8 *a, const u8 *b, u32 depth)
{
	u32 x, y, stop, shift;

	for (;; depth += 4) {
		x = get_unaligned((const u32 *)(a + depth));
		y = get_unaligned((const u32 *)(b + depth));
		stop = (x ^ y) | ntio_zero_bytes(x);
		if (stop)
			break;
	}
	shift = __ffs(stop) & ~7;
	x = x >> shift & 0xff;
	y = y >> shift & 0xff;
	if (x != y)
		return x < y ? -1 : 1;
	return strcmp(ntio_de_name(ntio_de(a)), ntio_de_name(ntio_de(b)));
}

static void ntio_insertion_sort(const u8 **v, u32 n, u32 depth)
{
	const u8 *x;
	u32 i, j;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j && ntio_dirent_cmp(v[j - 1], x, depth) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * How many bytes from @depth all keys of @v share (stops at their end).
 * Four bytes at a time: the first difference or NUL in a word is found
 * from its bits. Word reads may pass a key's NUL by up to three bytes: the
 * entry's name follows it.
 */
static u32 ntio_common_prefix(const u8 **v, u32 n, u32 depth)
{
	const u8 *first = v[0] + depth, *k;
	u32 i, j, lcp = U32_MAX, x, stop;

	for (i = 1; i < n && lcp; i++) {
		k = v[i] + depth;
		for (j = 0; j < lcp; j += 4) {
			x = get_unaligned((const u32 *)(k + j));
			/* bytes that differ, and the key's NUL (exact if lowest) */
			stop = (x ^ get_unaligned((const u32 *)(first + j))) |
			       ntio_zero_bytes(x);
			if (stop) {
				j += __ffs(stop) / 8;
				break;
			}
		}
		lcp = min(j, lcp);
	}
	return lcp;
}

/*
 * Are the keys already in order (1), in reverse order (-1), or neither
 * (0)? tmpfs lists the newest name first, btrfs and others the oldest,
 * and names are often made in order (logs, numbered images): one pass,
 * which in any other case ends within a few comparisons.
 */
static int ntio_presorted(const u8 **v, u32 n, u32 depth)
{
	int first = ntio_dirent_cmp(v[0], v[1], depth);
	u32 i;

	for (i = 2; i < n; i++)
		if (ntio_dirent_cmp(v[i - 1], v[i], depth) != first)
			return 0;
	return -first;	/* a < b is -1: ascending */
}

/* The LSD passes take 11, 11 and 10 bits of the 32-bit prefix word. */
#define NTIO_LSD_BITS	11
#define NTIO_LSD_MASK	((1u << NTIO_LSD_BITS) - 1)
#define NTIO_LSD_PASSES	3

/* Scratch of one sort; count[] and hist[] are all zero between uses. */
struct ntio_sorter {
	const u8 **tmp;
	struct ntio_sort_job *stack;
	struct ntio_prefix {
		u32 w;			/* four key bytes, big-endian */
		const u8 *key;
	} *pairs;			/* 2 * n: the LSD passes ping-pong */
	u32 *count;			/* [256] */
	u32 (*hist)[1 << NTIO_LSD_BITS];	/* one per pass */
};

/*
 * MSD radix sort of @n keys that agree before @depth. Iterative: a kernel
 * stack cannot hold a recursion as deep as a name is long. Each job first
 * skips the bytes its keys share (directories are full of IMG_0001.JPG-like
 * names), then distributes by the next byte, counting only over the byte
 * range present. Pending jobs cover disjoint ranges of more than
 * NTIO_SORT_SMALL keys, so n / 2 + 1 stack slots are plenty. Keys that end
 * together are equal but for case: their order is the raw names'.
 */
static void ntio_msd_sort(struct ntio_sorter *s, const u8 **a, u32 n, u32 depth)
{
	struct ntio_sort_job job, *stack = s->stack;
	u32 *count = s->count, sp = 0, i, b, lo, hi, start, end;
	const u8 **tmp = s->tmp;
	u8 c;

	stack[sp++] = (struct ntio_sort_job){ .lo = 0, .n = n, .depth = depth };
	while (sp) {
		const u8 **v;

		job = stack[--sp];
		v = a + job.lo;
		if (job.n <= NTIO_SORT_SMALL) {
			ntio_insertion_sort(v, job.n, job.depth);
			continue;
		}
		job.depth += ntio_common_prefix(v, job.n, job.depth);
		if (!v[0][job.depth]) {
			/* every key ended: all equal */
			ntio_insertion_sort(v, job.n, job.depth);
			continue;
		}
		lo = 255;
		hi = 0;
		for (i = 0; i < job.n; i++) {
			c = v[i][job.depth];
			count[c]++;
			lo = min_t(u32, lo, c);
			hi = max_t(u32, hi, c);
		}
		for (b = lo, start = 0; b <= hi; b++) {
			end = start + count[b];
			count[b] = start;
			start = end;
		}
		for (i = 0; i < job.n; i++)
			tmp[count[v[i][job.depth]]++] = v[i];
		memcpy(v, tmp, job.n * sizeof(*v));
		/* count[b] is now the end of bucket b; leave count[] zeroed */
		for (b = lo, start = 0; b <= hi; b++) {
			u32 m = count[b] - start;

			count[b] = 0;
			if (m > NTIO_SORT_SMALL && b)
				stack[sp++] = (struct ntio_sort_job){
					.lo = job.lo + start, .n = m,
					.depth = job.depth + 1 };
			else if (m > 1)
				ntio_insertion_sort(v + start, m, job.depth + !!b);
			start += m;
		}
	}
}

/* MSD's scratch for up to @n keys, made when a sort first needs it. */
static int ntio_msd_scratch(struct ntio_sorter *s, u32 n)
{
	if (s->count)
		return 0;
	s->tmp = kvmalloc_array(n, sizeof(*s->tmp), GFP_KERNEL_ACCOUNT);
	s->stack = kvmalloc_array(n / 2 + 1, sizeof(*s->stack), GFP_KERNEL_ACCOUNT);
	s->count = kcalloc(256, sizeof(*s->count), GFP_KERNEL_ACCOUNT);
	return s->tmp && s->stack && s->count ? 0 : -ENOMEM;
}

/*
 * The four key bytes at @k as a big-endian number, zero from the key's NUL
 * on (a shorter key sorts first). The read may pass the NUL by up to three
 * bytes: the entry's name follows it.
 */
static u32 ntio_prefix_word(const u8 *k)
{
	u32 x = get_unaligned((const u32 *)k);
	u32 m = ntio_zero_bytes(x);

	if (m)
		x &= ((m & -m) >> 7) - 1;
	return swab32(x);
}

#define NTIO_LSD_MIN	256	/* fewer keys: the 4 x 256 counters cost more */

/*
 * Sort @n keys that agree before @depth by their next four bytes: one LSD
 * counting pass per byte that varies, over (word, key) pairs, which reads
 * each key once instead of once per MSD level. Runs of equal words are
 * then finished by MSD from depth + 4, or by the raw names if the keys
 * ended inside the word.
 */
static int ntio_lsd_sort(struct ntio_sorter *s, const u8 **a, u32 n, u32 depth)
{
	struct ntio_prefix *p = s->pairs, *q = s->pairs + n;
	u32 i, j, w, pass, b, start, end, *h;

	for (i = 0; i < n; i++) {
		w = ntio_prefix_word(a[i] + depth);
		p[i].w = w;
		p[i].key = a[i];
		s->hist[0][w & NTIO_LSD_MASK]++;
		s->hist[1][w >> NTIO_LSD_BITS & NTIO_LSD_MASK]++;
		s->hist[2][w >> 2 * NTIO_LSD_BITS]++;
	}
	for (pass = 0; pass < NTIO_LSD_PASSES; pass++) {
		u32 shift = pass * NTIO_LSD_BITS;

		h = s->hist[pass];
		if (h[p[0].w >> shift & NTIO_LSD_MASK] == n) {
			h[p[0].w >> shift & NTIO_LSD_MASK] = 0;	/* one value: no pass */
			continue;
		}
		for (b = 0, start = 0; b <= NTIO_LSD_MASK; b++) {
			end = start + h[b];
			h[b] = start;
			start = end;
		}
		for (i = 0; i < n; i++)
			q[h[p[i].w >> shift & NTIO_LSD_MASK]++] = p[i];
		swap(p, q);
		memset(h, 0, sizeof(s->hist[0]));
	}
	for (i = 0; i < n; i = j) {
		a[i] = p[i].key;
		for (j = i + 1; j < n && p[j].w == p[i].w; j++)
			a[j] = p[j].key;
		if (j - i < 2)
			continue;
		if (!(p[i].w & 0xff)) {
			ntio_insertion_sort(a + i, j - i, depth);	/* equal keys */
			continue;
		}
		if (ntio_msd_scratch(s, n))
			return -ENOMEM;
		ntio_msd_sort(s, a + i, j - i, depth + 4);
	}
	return 0;
}

/* Sort @n keys: NTFS's order, see the top of the file. */
static int ntio_dir_sort(const u8 **a, u32 n)
{
	struct ntio_sorter s = {};
	int err = -ENOMEM;
	u32 i, depth;

	if (n < 2)
		return 0;
	depth = ntio_common_prefix(a, n, 0);
	switch (ntio_presorted(a, n, depth)) {
	case 1:
		return 0;
	case -1:
		for (i = 0; i < n / 2; i++)
			swap(a[i], a[n - 1 - i]);
		return 0;
	}
	if (n < NTIO_LSD_MIN) {
		err = ntio_msd_scratch(&s, n);
		if (!err)
			ntio_msd_sort(&s, a, n, depth);
	} else {
		s.pairs = kvmalloc_array(2 * n, sizeof(*s.pairs), GFP_KERNEL_ACCOUNT);
		s.hist = kvcalloc(NTIO_LSD_PASSES, sizeof(*s.hist), GFP_KERNEL_ACCOUNT);
		if (s.pairs && s.hist)
			err = ntio_lsd_sort(&s, a, n, depth);
	}
	kvfree(s.tmp);
	kvfree(s.stack);
	kfree(s.count);
	kvfree(s.pairs);
	kvfree(s.hist);
	return err;
}

/*
 * Read names from @filp into @d until the directory ends (0) or, with a
 * @limit, until @d holds that many (1: @filp's position is the first name
 * left out). A negative errno on failure.
 */
static int ntio_dir_fill(struct ntio_dir *d, struct file *filp, u32 limit)
{
	struct ntio_dir_ctx c = { .ctx.actor = ntio_dir_actor, .d = d,
				  .limit = limit };
	int err;

	do {
		c.seen = 0;
		err = iterate_dir(filp, &c.ctx);
	} while (!err && !d->err && c.seen && !c.full);
	if (d->err)
		return d->err;
	if (err)
		return err;
	return c.full;
}

/*
 * Snapshot the names of the directory @dir (the handle's file) that match
 * d->mask. Listing is reading the directory: the handle's file must have
 * been opened for reading, which checked the opener's read permission
 * (may_open) and the LSMs' file_open, as getdents(2) needs an fd opened
 * for reading. A private file of the same directory, with the opener's
 * credentials, keeps the read position ours.
 */
static int ntio_dir_read(struct file *dir, struct ntio_dir *d)
{
	struct file *filp;
	int full, err, i;

	if (!(dir->f_mode & FMODE_READ))
		return -EACCES;	/* an O_PATH handle: attributes only */
	d->cap = 256;
	d->count = NTIO_DOTS;
	d->ents = kvmalloc_array(d->cap, sizeof(*d->ents), GFP_KERNEL_ACCOUNT);
	if (!d->ents)
		return -ENOMEM;
	filp = dentry_open(&dir->f_path, O_RDONLY | O_DIRECTORY | O_LARGEFILE,
			   dir->f_cred);
	if (IS_ERR(filp))
		return PTR_ERR(filp);
	full = ntio_dir_fill(d, filp, READ_ONCE(dir_sort_max));
	if (full > 0) {
		d->stream = true;	/* the rest comes window by window */
		d->filp = filp;
	} else {
		fput(filp);
	}
	if (full < 0)
		return full;
	if (!d->stream) {
		err = ntio_dir_sort(d->ents + NTIO_DOTS, d->count - NTIO_DOTS);
		if (err)
			return err;
	}
	/* ".." goes right before the names, "." before it */
	d->cursor = NTIO_DOTS;
	for (i = NTIO_DOTS - 1; i >= 0; i--)
		if (d->dot[i])
			d->ents[--d->cursor] = d->dot[i];
	return 0;
}

/*
 * Streaming (a directory with more than dir_sort_max names): replace the
 * window just listed by the next one, from where the last stopped. The
 * stream ends (its file is let go) with the window that reaches the end.
 */
static int ntio_dir_next_window(struct ntio_dir *d)
{
	struct ntio_dir_chunk *c, *next;
	int full;

	for (c = d->chunks; c; c = next) {
		next = c->next;
		kfree(c);
	}
	d->chunks = NULL;
	d->used = 0;
	d->count = NTIO_DOTS;
	d->cursor = NTIO_DOTS;
	memset(d->dot, 0, sizeof(d->dot));
	full = ntio_dir_fill(d, d->filp, READ_ONCE(dir_sort_max));
	if (full <= 0)
		ntio_dir_stream_end(d);
	return full < 0 ? full : 0;
}

struct ntio_empty_ctx {
	struct dir_context ctx;
	bool empty;
	u32 seen;
};

static bool ntio_empty_actor(struct dir_context *ctx, const char *name, int len,
			     loff_t off, u64 ino, unsigned int type)
{
	struct ntio_empty_ctx *c = container_of(ctx, struct ntio_empty_ctx, ctx);

	c->seen++;
	if (ntio_dot_rank(name, len) < NTIO_DOTS)
		return true;
	c->empty = false;
	return false;
}

/*
 * Is the directory at @path empty (only "." and "..")? Read without read
 * permission: only ever asked after the caller was found allowed to
 * remove it (ntio_may_delete()), when rmdir(2) would tell it as much.
 */
bool ntio_dir_is_empty(const struct path *path)
{
	struct ntio_empty_ctx c = { .ctx.actor = ntio_empty_actor, .empty = true };
	struct file *filp;
	int err;

	filp = dentry_open(path, O_RDONLY | O_DIRECTORY | O_LARGEFILE,
			   current_cred());
	if (IS_ERR(filp))
		return false;
	do {
		c.seen = 0;
		err = iterate_dir(filp, &c.ctx);
	} while (!err && c.empty && c.seen);
	fput(filp);
	return !err && c.empty;
}

/* ---- NtQueryDirectoryFile --------------------------------------------- */

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
	const char *name = ntio_de_name(e);
	int rank = ntio_dot_rank(name, e->ulen);
	int err;

	if (rank == 0)
		return ntio_getattr(&f->filp->f_path, st);
	if (rank == 1) {
		p.dentry = dget_parent(dir);
	} else {
		struct qstr q = QSTR_INIT(name, e->ulen);

		p.dentry = searchable ? d_hash_and_lookup(dir, &q) : NULL;
		if (IS_ERR_OR_NULL(p.dentry))
			p.dentry = lookup_one_len_unlocked(name, dir, e->ulen);
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

/*
 * The fixed part of a listing entry of a class with times and sizes: the
 * names-only class is written inline by the caller, without the stack
 * structures (zeroed on every call by this kernel's INIT_STACK_ALL_ZERO).
 */
static noinline void ntio_dir_fill_info(u32 cls, void *rec,
					const struct kstat *st,
					const struct ntio_dirent *e)
{
	FILE_NETWORK_OPEN_INFORMATION n;
	FILE_ID_BOTH_DIR_INFORMATION *b = rec;	/* the common prefix */

	ntio_fill_network(st, ntio_name_hidden(ntio_de_name(e), e->ulen), &n);
	memset(rec, 0, ntio_dir_fixed(cls));
	b->CreationTime = n.CreationTime;
	b->LastAccessTime = n.LastAccessTime;
	b->LastWriteTime = n.LastWriteTime;
	b->ChangeTime = n.ChangeTime;
	b->EndOfFile = n.EndOfFile;
	b->AllocationSize = n.AllocationSize;
	b->FileAttributes = n.FileAttributes;
	b->FileNameLength = e->wlen * sizeof(WCHAR);
	if (cls == FileIdFullDirectoryInformation)
		((FILE_ID_FULL_DIR_INFORMATION *)rec)->FileId.QuadPart = st->ino;
	if (cls == FileIdBothDirectoryInformation)
		b->FileId.QuadPart = st->ino;
}

/* A new snapshot for @f, filtered by @mask (NULL or "*": everything). */
static int ntio_dir_restart(struct ntio_file *f, struct nt_ustr *mask)
{
	struct ntio_dir *d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	int err;

	if (!d)
		return -ENOMEM;
	if (mask->len && !(mask->len == 1 && mask->buf[0] == '*')) {
		d->mask = mask->buf;
		d->mask_len = mask->len;
		mask->buf = NULL;
	}
	err = ntio_dir_read(f->filp, d);
	if (err) {
		ntio_dir_free(d);
		return err;
	}
	ntio_dir_free(f->dir);
	f->dir = d;
	return 0;
}

/*
 * Entries from the cursor into @kbuf (@length bytes), as the buffer rules
 * above say; *@end is where Information ends. Called under f->lock. Every
 * entry's NextEntryOffset is written as if another followed, and the last
 * one's is cleared at the end.
 */
static NTSTATUS ntio_dir_list(struct ntio_file *f, u32 cls, u8 *kbuf,
			      u32 length, bool single, u32 *end)
{
	u32 fixed = ntio_dir_fixed(cls), off = 0, last = U32_MAX;
	u32 name_bytes, size, cur;
	struct ntio_dir *d = f->dir;
	bool searchable = false;
	struct kstat st;

	*end = 0;
	if (cls != FileNamesInformation)
		searchable = !inode_permission(mnt_user_ns(f->filp->f_path.mnt),
					       d_inode(f->filp->f_path.dentry),
					       MAY_EXEC);
	for (cur = d->cursor; ; cur++) {
		const struct ntio_dirent *e;
		FILE_NAMES_INFORMATION *rec = (void *)(kbuf + off);

		if (cur >= d->count) {
			int err;

			if (!d->filp)
				break;
			err = ntio_dir_next_window(d);
			cur = d->cursor;
			if (err && last == U32_MAX)
				return nt_status_from_errno(err);
			if (err || cur >= d->count)
				break;
		}
		e = ntio_de(d->ents[cur]);

		if (cls != FileNamesInformation &&
		    ntio_dir_stat(f, e, &st, searchable))
			continue;	/* gone since the snapshot */
		name_bytes = e->wlen * sizeof(WCHAR);
		size = fixed + name_bytes;
		if (off + size > length) {
			if (last != U32_MAX)
				break;	/* returned by the next call */
			/* the first entry does not fit: its start, consumed */
			if (cls == FileNamesInformation)
				rec->FileNameLength = name_bytes;
			else
				ntio_dir_fill_info(cls, rec, &st, e);
			rec->NextEntryOffset = 0;
			rec->FileIndex = 0;
			memcpy((u8 *)rec + fixed, ntio_de_wname(e), length - fixed);
			d->returned = true;
			d->cursor = cur + 1;
			*end = length;
			return STATUS_BUFFER_OVERFLOW;
		}
		/*
		 * The padding to a next entry is the end of the entry's last
		 * 8-byte word: zero that word first. The last entry of the
		 * buffer needs none (Information stops at its name).
		 */
		if (off + ALIGN(size, 8) <= length)
			*(u64 *)(kbuf + off + ALIGN(size, 8) - 8) = 0;
		if (cls == FileNamesInformation) {
			rec->FileIndex = 0;
			rec->FileNameLength = name_bytes;
		} else {
			ntio_dir_fill_info(cls, rec, &st, e);
		}
		rec->NextEntryOffset = ALIGN(size, 8);
		memcpy((u8 *)rec + fixed, ntio_de_wname(e), name_bytes);
		last = off;
		*end = off + size;
		off += ALIGN(size, 8);
		if (single || off >= length) {
			cur++;
			break;
		}
	}
	d->cursor = cur;
	if (last == U32_MAX)
		return d->returned ? STATUS_NO_MORE_FILES : STATUS_NO_SUCH_FILE;
	((FILE_NAMES_INFORMATION *)(kbuf + last))->NextEntryOffset = 0;
	d->returned = true;
	return STATUS_SUCCESS;
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
	u32 cls = FileInformationClass, fixed = ntio_dir_fixed(cls), end = 0;
	struct ntob_object *ev = NULL;
	struct ntke_apc *apc = NULL;
	struct nt_ustr mask = {};
	struct ntio_file *f;
	NTSTATUS status;
	u8 *kbuf = NULL;
	int err;

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
	status = ntke_io_apc_prepare(ApcRoutine, ApcContext, &apc);
	if (!NT_SUCCESS(status))
		goto out;
	status = STATUS_NO_MEMORY;
	/* every byte up to the end is written: no kernel bytes reach the caller */
	Length = min_t(u32, Length, 1u << 20);
	kbuf = kvmalloc(Length, GFP_KERNEL);
	if (!kbuf)
		goto out;

	mutex_lock(&f->lock);
	if (!f->dir || (RestartScan & 0xff)) {
		err = ntio_dir_restart(f, &mask);
		if (err) {
			mutex_unlock(&f->lock);
			status = nt_status_from_errno(err);
			goto out;
		}
	}
	status = ntio_dir_list(f, cls, kbuf, Length, ReturnSingleEntry & 0xff,
			       &end);
	if (f->dir->cursor >= f->dir->count && f->dir->ents && !f->dir->filp)
		ntio_dir_drop_names(f->dir);	/* the listing is complete */
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
	/* STATUS_NO_MORE_FILES and other errors complete without it */
	ntke_io_apc_complete(apc, status, IoStatusBlock);
	if (ev)
		ntob_put(ev);
	kvfree(kbuf);
	nt_release_ustr(&mask);
	ntob_put(&f->obj);
	return status;
}
