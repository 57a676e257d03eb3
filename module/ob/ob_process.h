/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The object manager's per-process state (a member of struct nt_process),
 * kept apart from ob.h so that internal.h can include it.
 */
#ifndef NTOB_PROCESS_H
#define NTOB_PROCESS_H

#include <linux/types.h>
#include <linux/xarray.h>

#define NTOB_FREE_SLOTS	32

/*
 * The handle table. Index i holds handle i << 2 (a struct ntob_handle *);
 * index 0 is never used, so no handle is 0.
 *
 * The xarray's own lock (xa_lock) guards the entries and @free/@nfree, the
 * stack of recently freed indexes that makes reuse LIFO as on Windows, and
 * the counts that bound the table (handle.c: max_handles, RLIMIT_NOFILE).
 */
struct ntob_process {
	struct xarray handles;
	u32 free[NTOB_FREE_SLOTS];
	unsigned int nfree;
	unsigned int count;	/* handles in the table (xa_lock) */
	unsigned int nfiles;	/* of which File handles (xa_lock) */
};

#endif /* NTOB_PROCESS_H */
