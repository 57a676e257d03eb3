/* SPDX-License-Identifier: GPL-2.0 */
/* The status -> name table generated from uapi/nt/ntstatus.h. */
#ifndef NTDLL_STATUS_NAMES_H
#define NTDLL_STATUS_NAMES_H

struct ntp_status_name {
	unsigned int value;
	const char *name;
};

extern const struct ntp_status_name ntp_status_names[];
extern const unsigned int ntp_status_names_count;

#endif
