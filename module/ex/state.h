/* SPDX-License-Identifier: GPL-2.0 */
/* Per-process state of the ex services (a member of struct nt_process). */
#ifndef NTP_EX_STATE_H
#define NTP_EX_STATE_H

#include <linux/types.h>

struct ntex_process {
	u32 timer_resolution;	/* NtSetTimerResolution request, 0 = none */
};

#endif /* NTP_EX_STATE_H */
