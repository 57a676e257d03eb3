/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PE images for SEC_IMAGE sections (image.c): the headers parsed and
 * checked once, at NtCreateSection, into the layout every view repeats.
 */
#ifndef NTP_MM_IMAGE_H
#define NTP_MM_IMAGE_H

#include <linux/fs.h>
#include "internal.h"

/*
 * One run of pages of a view: the headers, a section, or the whole image
 * of one whose SectionAlignment is below the page size ("flat", mapped as
 * the file lies). @rawlen bytes of the file from @off, then zeroes to
 * @vlen (page aligned); NT protection @prot.
 */
struct ntmm_image_piece {
	u32 va;
	u32 vlen;
	u32 off;
	u32 rawlen;
	u32 prot;
};

struct ntmm_image {
	SECTION_IMAGE_INFORMATION info;	/* NtQuerySection's answer */
	u32 image_base;			/* preferred, 64 KiB aligned */
	u32 size;			/* SizeOfImage, page aligned */
	u32 nr_pieces;
	struct ntmm_image_piece piece[];
};

/* Parse and check the PE file @filp; *img is kfree()d by the caller. */
NTSTATUS ntmm_image_parse(struct file *filp, struct ntmm_image **img);
/* Would mmap(PROT_EXEC) of @filp be allowed to the caller? 0 or -errno. */
int ntmm_image_may_exec(struct file *filp);
/*
 * Fill the reserved (PROT_NONE) range at @base with the view's pages and
 * record each page's NT protection in @prot. Caller holds mm->lock.
 */
int ntmm_image_map(struct file *filp, const struct ntmm_image *img, u32 base,
		   u32 *prot);

#endif /* NTP_MM_IMAGE_H */
