/* SPDX-License-Identifier: GPL-2.0 */
/* Per-process state of the mm services (a member of struct nt_process). */
#ifndef NTP_MM_STATE_H
#define NTP_MM_STATE_H

#include <linux/list.h>
#include <linux/mutex.h>

/*
 * The NT allocations (reservations) of a process, sorted by address.
 * @lock guards @regions and every region's page array; it is taken before
 * the Linux mmap lock, never inside it.
 */
struct ntmm_process {
	struct mutex lock;		/* regions; taken before mmap_lock */
	struct list_head regions;
};

#endif /* NTP_MM_STATE_H */
