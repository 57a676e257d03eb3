// SPDX-License-Identifier: GPL-2.0
/* NTSTATUS value -> name, from the table generated from ntstatus.h. */
#include <ntdll.h>
#include "status_names.h"

const char *NtpStatusName(NTSTATUS status)
{
	unsigned int i;

	/* First match wins: the header lists the preferred name first. */
	for (i = 0; i < ntp_status_names_count; i++)
		if (ntp_status_names[i].value == (unsigned int)status)
			return ntp_status_names[i].name;
	return NULL;
}
