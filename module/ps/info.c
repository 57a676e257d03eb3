// SPDX-License-Identifier: GPL-2.0
/*
 * Process and thread information services and the process handle checks
 * used by mm/.
 */
#include "internal.h"
#include "ex/ex.h"

#define NTPS_CURRENT_PROCESS	((HANDLE)0xffffffff)

NTSTATUS ntps_check_current_process(HANDLE process)
{
	if (process == NTPS_CURRENT_PROCESS)
		return STATUS_SUCCESS;
	return STATUS_INVALID_HANDLE;
}
