/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual memory: per-process region bookkeeping shared by virtual.c and
 * section.c, and the hooks used by ps/hooks.c.
 */
#ifndef NTP_MM_H
#define NTP_MM_H

#include "internal.h"
#include "ex/ex.h"

#define NTMM_GRANULARITY	0x10000u
#define NTMM_LOWEST		0x10000u
#define NTMM_HIGHEST		(TASK_SIZE - 1)		/* last user byte */

/*
 * One NT allocation (a reservation, or a mapped view of a section), in
 * ntmm_process.regions; guarded by ntmm_process.lock.
 */
struct ntmm_region {
	struct list_head node;		/* by base */
	u32 base;
	u32 size;
	u32 alloc_protect;
	u32 type;			/* MEM_PRIVATE, MEM_MAPPED or MEM_IMAGE */
	u32 *prot;			/* per page: NT protection, 0 = reserved */
	struct file *filp;		/* a view's file (referenced), or NULL */
};

int ntmm_process_init(struct ntmm_process *mm, struct ntmm_process *parent);
void ntmm_process_fini(struct ntmm_process *mm);

/* virtual.c, for section.c; region functions need mm->lock */
struct ntmm_region *ntmm_find(struct ntmm_process *mm, u32 addr);
struct ntmm_region *ntmm_region_alloc(u32 base, u32 size, u32 protect);
void ntmm_region_free(struct ntmm_region *r);
void ntmm_insert(struct ntmm_process *mm, struct ntmm_region *r);
/* map @size bytes at a granularity-aligned address with @prot (Linux) */
int ntmm_reserve(u32 *base, u32 size, bool top_down, unsigned long prot);
unsigned long ntmm_linux_prot(u32 prot);
NTSTATUS ntmm_check_process(HANDLE process);
/*
 * Run @fn on the NT regions of the process @process names (granting
 * @access), in its address space: directly for the current process, on a
 * worker that borrows the target's mm for another (virtual.c). @fn must
 * not touch the caller's user memory.
 */
typedef NTSTATUS (*ntmm_op_fn)(struct ntmm_process *nm, void *arg);
NTSTATUS ntmm_run_in(HANDLE process, ACCESS_MASK access, ntmm_op_fn fn,
		     void *arg);
/*
 * section.c, for NTP_IOC_SET_IMAGE: is @base the start of a view of the
 * image section @section in the current process? Its image information
 * and, referenced, the image's file.
 */
NTSTATUS ntmm_image_view_info(HANDLE section, u32 base,
			      SECTION_IMAGE_INFORMATION *info,
			      struct file **filp);
struct ntob_object;
/* section.c, for ps/create.c: NtCreateProcess(Ex)'s image section and view */
NTSTATUS ntmm_ref_image_section(HANDLE section, ACCESS_MASK access,
				struct ntob_object **obj);
NTSTATUS ntmm_map_image_current(struct ntob_object *obj, u32 *base,
				SECTION_IMAGE_INFORMATION *info,
				struct file **filp);
NTSTATUS ntmm_map_image_file(struct file *filp, u32 *base);
/* A fault at @addr hit a guard page: the guard is gone (one-shot) */
bool ntmm_guard_fault(u32 addr);
/* The page at @addr becomes PAGE_READWRITE | PAGE_GUARD */
int ntmm_set_guard(u32 addr);
/* The whole private reservation at @base of the current process, freed. */
NTSTATUS ntmm_release(u32 base);

#endif /* NTP_MM_H */
