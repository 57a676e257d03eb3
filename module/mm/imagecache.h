/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The image cache (imagecache.c): one checked image per file, shared by
 * every SEC_IMAGE section of that file, as XP's control area is.
 */
#ifndef NTP_MM_IMAGECACHE_H
#define NTP_MM_IMAGECACHE_H

#include <linux/fs.h>
#include <linux/kref.h>
#include "internal.h"

struct ntmm_image;

/*
 * The parsed layout and the filled shadow of one file's image, read-only
 * once built; referenced by each section using it and, while it is in
 * the cache, by the cache.
 */
struct ntmm_ctl {
	struct kref ref;
	const struct ntmm_image *image;
	struct file *shadow;
	/* the rest is imagecache.c's: key, file state, LRU */
	struct hlist_node hash;
	struct list_head lru;
	struct super_block *sb;
	unsigned long ino;
	u32 generation;
	loff_t size;
	struct timespec64 mtime, ctime;
	u64 iversion;
	u64 bytes;
	bool hashed;
};

/*
 * The checked image of @filp, which the caller has opened and checked
 * (ntmm_image_may_exec) itself: from the cache when the file is unchanged
 * since it was read, else parsed and filled now. A reference on *ctl.
 */
NTSTATUS ntmm_ctl_get(struct file *filp, struct ntmm_ctl **ctl);
void ntmm_ctl_put(struct ntmm_ctl *ctl);
/* Module load: the shrinker and debugfs' mm/imagecache. */
int ntmm_imagecache_init(void);
/* Module unload: drop every cached image. */
void ntmm_imagecache_exit(void);

#endif /* NTP_MM_IMAGECACHE_H */
