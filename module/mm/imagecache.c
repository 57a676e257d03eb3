// SPDX-License-Identifier: GPL-2.0
/*
 * The image cache: one checked image per file, as XP keeps one control
 * area (and one segment of prototype pages) per image file, shared by
 * every section object of that file.
 *
 * NtCreateSection(SEC_IMAGE) used to parse the headers and fill a new
 * shadow (image.c) for every section, that is for every process started
 * from an image and for ntdll.dll in each of them. The entry here holds
 * both, built once per file and reused while the file is unchanged.
 *
 * What is shared is only what any caller allowed to map the image would
 * compute itself: the cache is consulted after the caller has opened the
 * file with its own credentials and passed the exec checks
 * (ntmm_image_may_exec: read access, noexec mounts, the LSM's mmap_file),
 * and each view repeats those checks for the mapping caller (section.c).
 *
 * Key and invalidation. An entry is keyed by the file's identity (super
 * block, inode number, generation) and remembers the file's state when it
 * was read: size, ctime, mtime and i_version where the filesystem keeps
 * one. A lookup reuses it only if that state is unchanged; otherwise the
 * image is read again and the stale entry leaves the cache (sections
 * using it keep it). ctime cannot be set from user space and every write,
 * truncate or fallocate changes it, but only at the clock's granularity
 * (a jiffy, or the filesystem's s_time_gran): a write in the same tick as
 * the last one leaves it equal. So, as git does with its "racy" index
 * entries, an image is cached only if its ctime lies before the tick in
 * which the cache started reading it, no one had the file open for
 * writing (i_writecount) before and after the read, and the state was the
 * same before and after; anything later then moves ctime. Filesystems
 * whose inode times are not kept locally (S_NOCMTIME: NFS, FUSE with a
 * writeback cache) are never cached. An image that cannot be cached is
 * built for its section alone, as before.
 *
 * Bounds. The cache holds at most NTMM_CTL_MAX entries and
 * NTMM_CTL_MAX_BYTES of shadow pages; the least recently used entry
 * leaves first, and a shadow larger than the byte cap is never cached.
 * Under memory pressure a shrinker drops the entries no section uses,
 * least recently used first (ntmm_ctl_scan_objects below).
 * Each entry's memory (the layout, slab, and the shadow's shmem pages) is
 * charged to the memcg of the process that built it; an entry leaves
 * memory with its last section once out of the cache, and every cached
 * entry goes at module unload. Entries hold no reference on the file or
 * its inode, so a cached image never keeps a deleted file's blocks or a
 * filesystem mounted. Locking: ntmm_ctl_lock (a mutex: lookups sleep in
 * the file checks around them anyway) guards the hash, the LRU, the
 * counters and ->hashed; the cache's reference on a hashed entry is
 * dropped under it, so a lookup's kref_get never sees zero. The image and
 * shadow never change once built, so users read them without a lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/iversion.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/shmem_fs.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include "dispatch.h"
#include "mm/mm.h"
#include "mm/image.h"
#include "mm/imagecache.h"

#define NTMM_CTL_MAX		32
#define NTMM_CTL_MAX_BYTES	(32u << 20)

static DEFINE_MUTEX(ntmm_ctl_lock);
static DEFINE_HASHTABLE(ntmm_ctl_hash, 6);
static LIST_HEAD(ntmm_ctl_lru);			/* most recently used first */
static unsigned int ntmm_ctl_count;
static u64 ntmm_ctl_bytes;
/* what the cache would give back emptied, in pages; read without the lock */
static unsigned long ntmm_ctl_pages_held;

static void ntmm_ctl_free(struct kref *ref)
{
	struct ntmm_ctl *ctl = container_of(ref, struct ntmm_ctl, ref);

	if (ctl->shadow)
		fput(ctl->shadow);
	kfree(ctl->image);
	kfree(ctl);
}

/* May run in atomic context (a section's last reference): fput defers. */
void ntmm_ctl_put(struct ntmm_ctl *ctl)
{
	kref_put(&ctl->ref, ntmm_ctl_free);
}

/* What dropping @ctl from the cache gives back: its shadow, its layout. */
static unsigned long ntmm_ctl_pages(const struct ntmm_ctl *ctl)
{
	return (ctl->bytes >> PAGE_SHIFT) + 1;
}

static u32 ntmm_ctl_hashkey(struct super_block *sb, unsigned long ino)
{
	return hash_ptr(sb, 32) ^ hash_long(ino, 32);
}

/* The file's state that any change to its data moves. */
static void ntmm_ctl_state(struct inode *inode, struct ntmm_ctl *st)
{
	inode_lock_shared(inode);
	st->size = i_size_read(inode);
	st->mtime = inode->i_mtime;
	st->ctime = inode->i_ctime;
	st->iversion = IS_I_VERSION(inode) ? inode_query_iversion(inode) : 0;
	inode_unlock_shared(inode);
}

static bool ntmm_ctl_same_state(const struct ntmm_ctl *a,
				const struct ntmm_ctl *b)
{
	return a->size == b->size && a->iversion == b->iversion &&
	       timespec64_equal(&a->mtime, &b->mtime) &&
	       timespec64_equal(&a->ctime, &b->ctime);
}

static bool ntmm_ctl_same_file(const struct ntmm_ctl *ctl,
			       const struct inode *inode)
{
	return ctl->sb == inode->i_sb && ctl->ino == inode->i_ino &&
	       ctl->generation == inode->i_generation;
}

/* Caller holds ntmm_ctl_lock; drops the cache's reference. */
static void ntmm_ctl_unhash(struct ntmm_ctl *ctl)
{
	lockdep_assert_held(&ntmm_ctl_lock);
	hash_del(&ctl->hash);
	list_del(&ctl->lru);
	ctl->hashed = false;
	ntmm_ctl_count--;
	ntmm_ctl_bytes -= ctl->bytes;
	WRITE_ONCE(ntmm_ctl_pages_held,
		   ntmm_ctl_pages_held - ntmm_ctl_pages(ctl));
	ntmm_ctl_put(ctl);
}

/* The entry of @inode's file, stale or not; ntmm_ctl_lock held. */
static struct ntmm_ctl *ntmm_ctl_find(struct inode *inode)
{
	struct ntmm_ctl *ctl;

	hash_for_each_possible(ntmm_ctl_hash, ctl, hash,
			       ntmm_ctl_hashkey(inode->i_sb, inode->i_ino))
		if (ntmm_ctl_same_file(ctl, inode))
			return ctl;
	return NULL;
}

/* The shadow's pages: what fill_shadow writes, rounded to pages. */
static u64 ntmm_ctl_shadow_bytes(const struct ntmm_image *img)
{
	const struct ntmm_image_piece *p;
	u64 bytes = 0;
	u32 i, whole;

	for (i = 0; i < img->nr_pieces; i++) {
		p = &img->piece[i];
		whole = p->off & ~PAGE_MASK ? 0 : p->rawlen & PAGE_MASK;
		bytes += PAGE_ALIGN(p->rawlen) - whole;
	}
	return bytes;
}

static NTSTATUS ntmm_ctl_build(struct file *filp, struct ntmm_ctl *ctl)
{
	struct ntmm_image *img;
	NTSTATUS status;
	int err;

	status = ntmm_image_parse(filp, &img);
	if (!NT_SUCCESS(status))
		return status;
	ctl->image = img;
	ctl->bytes = ntmm_ctl_shadow_bytes(img);
	ctl->shadow = shmem_file_setup("ntimage", img->size, VM_NORESERVE);
	if (IS_ERR(ctl->shadow)) {
		err = PTR_ERR(ctl->shadow);
		ctl->shadow = NULL;
		return nt_status_from_errno(err);
	}
	err = ntmm_image_fill_shadow(filp, img, ctl->shadow);
	return err ? nt_status_from_errno(err) : STATUS_SUCCESS;
}

/* Make room for @ctl, then cache it; ntmm_ctl_lock held. */
static void ntmm_ctl_insert(struct ntmm_ctl *ctl)
{
	struct ntmm_ctl *old;

	while (ntmm_ctl_count &&
	       (ntmm_ctl_count >= NTMM_CTL_MAX ||
		ntmm_ctl_bytes + ctl->bytes > NTMM_CTL_MAX_BYTES)) {
		old = list_last_entry(&ntmm_ctl_lru, struct ntmm_ctl, lru);
		ntmm_ctl_unhash(old);
	}
	kref_get(&ctl->ref);
	hash_add(ntmm_ctl_hash, &ctl->hash,
		 ntmm_ctl_hashkey(ctl->sb, ctl->ino));
	list_add(&ctl->lru, &ntmm_ctl_lru);
	ctl->hashed = true;
	ntmm_ctl_count++;
	ntmm_ctl_bytes += ctl->bytes;
	WRITE_ONCE(ntmm_ctl_pages_held,
		   ntmm_ctl_pages_held + ntmm_ctl_pages(ctl));
}

NTSTATUS ntmm_ctl_get(struct file *filp, struct ntmm_ctl **out)
{
	struct inode *inode = file_inode(filp);
	struct ntmm_ctl *ctl, *old, now;
	struct timespec64 start;
	bool cacheable;
	NTSTATUS status;

	*out = NULL;
	cacheable = !(inode->i_flags & S_NOCMTIME);
	ntmm_ctl_state(inode, &now);
	if (cacheable) {
		mutex_lock(&ntmm_ctl_lock);
		old = ntmm_ctl_find(inode);
		if (old && ntmm_ctl_same_state(old, &now)) {
			kref_get(&old->ref);
			list_move(&old->lru, &ntmm_ctl_lru);
			mutex_unlock(&ntmm_ctl_lock);
			*out = old;
			return STATUS_SUCCESS;
		}
		if (old)
			ntmm_ctl_unhash(old);	/* the file changed */
		mutex_unlock(&ntmm_ctl_lock);
	}

	ctl = kzalloc(sizeof(*ctl), GFP_KERNEL_ACCOUNT);
	if (!ctl)
		return STATUS_NO_MEMORY;
	kref_init(&ctl->ref);
	INIT_LIST_HEAD(&ctl->lru);
	ctl->sb = inode->i_sb;
	ctl->ino = inode->i_ino;
	ctl->generation = inode->i_generation;
	/* the tick the read starts in, truncated as the inode's times are */
	ktime_get_coarse_real_ts64(&start);
	start = timestamp_truncate(start, inode);
	ntmm_ctl_state(inode, ctl);
	cacheable = cacheable && atomic_read(&inode->i_writecount) <= 0 &&
		    timespec64_compare(&ctl->ctime, &start) < 0 &&
		    timespec64_compare(&ctl->mtime, &start) < 0;
	status = ntmm_ctl_build(filp, ctl);
	if (!NT_SUCCESS(status)) {
		ntmm_ctl_put(ctl);
		return status;
	}
	ntmm_ctl_state(inode, &now);
	cacheable = cacheable && atomic_read(&inode->i_writecount) <= 0 &&
		    ntmm_ctl_same_state(ctl, &now) &&
		    ctl->bytes <= NTMM_CTL_MAX_BYTES;
	if (cacheable) {
		mutex_lock(&ntmm_ctl_lock);
		old = ntmm_ctl_find(inode);
		if (old && ntmm_ctl_same_state(old, ctl)) {
			/* built at the same time by another caller: share it */
			kref_get(&old->ref);
			list_move(&old->lru, &ntmm_ctl_lru);
			mutex_unlock(&ntmm_ctl_lock);
			ntmm_ctl_put(ctl);
			*out = old;
			return STATUS_SUCCESS;
		}
		if (old)
			ntmm_ctl_unhash(old);
		ntmm_ctl_insert(ctl);
		mutex_unlock(&ntmm_ctl_lock);
	}
	*out = ctl;
	return STATUS_SUCCESS;
}

/*
 * The shrinker. An entry only the cache holds (a kref of 1, read under
 * ntmm_ctl_lock, under which every new reference is taken) is memory the
 * kernel can have back at once; one a section uses would free nothing
 * until that section goes, so it stays. Objects are pages, so a large
 * shadow feels more pressure than a small one. The count is what the
 * cache holds, in use or not (a cheap read; the scan skips what is used).
 *
 * Reclaim may call in with any gfp mask: the scan allocates nothing and
 * frees through ntmm_ctl_put, whose fput of the shadow is deferred (task
 * work, or the delayed fput worker from kswapd), so no filesystem code
 * runs here and __GFP_FS does not matter. Nothing allocates while holding
 * ntmm_ctl_lock, so reclaim never recurses into it; the scan still only
 * trylocks it rather than make reclaim wait behind a lookup.
 *
 * Not memcg aware: a memcg at its limit reclaims the shadow's shmem pages
 * (to swap) as any other, and the cache's own bound is global.
 */
static unsigned long ntmm_ctl_count_objects(struct shrinker *sh,
					    struct shrink_control *sc)
{
	unsigned long pages = READ_ONCE(ntmm_ctl_pages_held);

	return pages ? pages : SHRINK_EMPTY;
}

static unsigned long ntmm_ctl_scan_objects(struct shrinker *sh,
					   struct shrink_control *sc)
{
	struct ntmm_ctl *ctl, *tmp;
	unsigned long freed = 0;

	if (!mutex_trylock(&ntmm_ctl_lock))
		return SHRINK_STOP;
	list_for_each_entry_safe_reverse(ctl, tmp, &ntmm_ctl_lru, lru) {
		if (freed >= sc->nr_to_scan)
			break;
		if (kref_read(&ctl->ref) != 1)
			continue;
		freed += ntmm_ctl_pages(ctl);
		ntmm_ctl_unhash(ctl);
	}
	mutex_unlock(&ntmm_ctl_lock);
	return freed ? freed : SHRINK_STOP;
}

static struct shrinker ntmm_ctl_shrinker = {
	.count_objects = ntmm_ctl_count_objects,
	.scan_objects = ntmm_ctl_scan_objects,
	.seeks = DEFAULT_SEEKS,
};

/*
 * debugfs: ntpersonality/mm/imagecache, the cache's entries, their
 * shadow bytes and how many of them a section uses (tests, leak checks).
 */
static struct dentry *ntmm_ctl_debugfs;

static int ntmm_ctl_stats_show(struct seq_file *m, void *v)
{
	struct ntmm_ctl *ctl;
	unsigned int used = 0;

	mutex_lock(&ntmm_ctl_lock);
	list_for_each_entry(ctl, &ntmm_ctl_lru, lru)
		used += kref_read(&ctl->ref) > 1;
	seq_printf(m, "entries %u\nbytes %llu\nin_use %u\n", ntmm_ctl_count,
		   ntmm_ctl_bytes, used);
	mutex_unlock(&ntmm_ctl_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntmm_ctl_stats);

int ntmm_imagecache_init(void)
{
	struct dentry *root = nt_debugfs_root();
	int err;

	err = register_shrinker(&ntmm_ctl_shrinker, "ntpersonality-imagecache");
	if (err)
		return err;
	if (!IS_ERR_OR_NULL(root)) {
		ntmm_ctl_debugfs = debugfs_create_dir("mm", root);
		debugfs_create_file("imagecache", 0444, ntmm_ctl_debugfs, NULL,
				    &ntmm_ctl_stats_fops);
	}
	return 0;
}

/* Module unload, or a failed load after ntmm_imagecache_init. */
void ntmm_imagecache_exit(void)
{
	struct ntmm_ctl *ctl, *tmp;

	debugfs_remove(ntmm_ctl_debugfs);
	ntmm_ctl_debugfs = NULL;
	unregister_shrinker(&ntmm_ctl_shrinker);
	mutex_lock(&ntmm_ctl_lock);
	list_for_each_entry_safe(ctl, tmp, &ntmm_ctl_lru, lru)
		ntmm_ctl_unhash(ctl);
	mutex_unlock(&ntmm_ctl_lock);
}
