/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The object manager's per-process state (a member of struct nt_process),
 * kept apart from ob.h so that internal.h can include it.
 */
#ifndef NTOB_PROCESS_H
#define NTOB_PROCESS_H

#include <linux/spinlock.h>
#include <linux/types.h>

#define NTOB_FREE_SLOTS	32

struct ntob_handle;

/*
 * The slots of a handle table, as struct fdtable is for fds: slot i holds
 * handle i << 2. Replaced whole (copy and publish) when it must grow; the
 * old one is freed after a grace period, so a reader under RCU may index
 * whichever one it loaded.
 */
struct ntob_table {
	unsigned int max;			/* slots; slot 0 is never used */
	struct rcu_head rcu;
	struct ntob_handle __rcu *slot[];
};

/*
 * The handle table of a process (handle.c). @lock guards every change to
 * the slots and @table, the stack @free/@nfree of recently freed indexes
 * that makes reuse LIFO as on Windows, the lowest-free hint @next, and the
 * counts that bound the table (max_handles, RLIMIT_NOFILE). Readers may
 * also look at @table and its slots under RCU alone.
 */
struct ntob_process {
	spinlock_t lock;		/* see above */
	struct ntob_table __rcu *table;	/* NULL until the first handle */
	unsigned int next;		/* no free index below this one */
	u32 free[NTOB_FREE_SLOTS];
	unsigned int nfree;
	unsigned int count;	/* handles in the table */
	unsigned int nfiles;	/* of which File handles */
};

#endif /* NTOB_PROCESS_H */
