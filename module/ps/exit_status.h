/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NT exit statuses kept past the exit (ps/exit_status.c): recorded by
 * NtTerminateProcess/NtTerminateThread, read by the info queries (ps/info.c),
 * dropped from the sched_process_free tracepoint (ps/process.c).
 */
#ifndef NTP_PS_EXIT_STATUS_H
#define NTP_PS_EXIT_STATUS_H

#include <linux/sched.h>
#include "internal.h"

enum ntps_status_kind {
	NTPS_STATUS_PROCESS,	/* of the thread group; kept on its leader */
	NTPS_STATUS_THREAD,	/* of that one thread */
	NTPS_STATUS_KINDS
};

/* 0, -EEXIST (one came first), -ESRCH (@task released) or -ENOMEM. May sleep. */
int ntps_status_record(struct task_struct *task, enum ntps_status_kind kind,
		       NTSTATUS status);
/* The caller holds a reference to @task. Any context. */
bool ntps_status_lookup(const struct task_struct *task,
			enum ntps_status_kind kind, NTSTATUS *status);
/* sched_process_free probe: RCU callback context. */
void ntps_status_probe_free(void *data, struct task_struct *task);
void ntps_status_init(void);
/* After the probe is unregistered: frees what is left. */
void ntps_status_fini(void);

#endif /* NTP_PS_EXIT_STATUS_H */
