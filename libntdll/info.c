// SPDX-License-Identifier: GPL-2.0
/* Service index -> the spec's name and argument kinds (generated table). */
#include <ntdll.h>

extern const struct ntp_service_info ntp_services[];
extern const unsigned int ntp_service_count;

const struct ntp_service_info *NtpServiceInfo(ULONG index)
{
	return index < ntp_service_count ? &ntp_services[index] : NULL;
}
