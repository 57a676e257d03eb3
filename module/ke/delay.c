// SPDX-License-Identifier: GPL-2.0
/*
 * NtDelayExecution: a wait on no object, through the wait core's one sleep
 * helper (dispatcher.c). Relative (negative) and absolute (positive, since
 * 1601) intervals in 100 ns units; an alert ends an alertable delay with
 * STATUS_ALERTED; a Linux signal ends any delay with STATUS_USER_APC and
 * its handler runs on the way out; an elapsed delay is STATUS_SUCCESS.
 */
#include "ke/ke.h"

NTSTATUS NtDelayExecution(BOOLEAN Alertable, const LARGE_INTEGER __user *DelayInterval)
{
	return ntke_delay_execution(Alertable, DelayInterval);
}
