/* SPDX-License-Identifier: GPL-2.0 */
/* Virtual memory services: per-process bookkeeping used by ps/hooks.c. */
#ifndef NTP_MM_H
#define NTP_MM_H

#include "internal.h"

int ntmm_process_init(struct ntmm_process *mm, struct ntmm_process *parent);
void ntmm_process_fini(struct ntmm_process *mm);

#endif /* NTP_MM_H */
