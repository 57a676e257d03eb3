// SPDX-License-Identifier: GPL-2.0
/*
 * Placeholder written by the spec branch: only the entry that the
 * generated table uses for notimpl services. The lead's dispatch.c (the
 * dispatcher proper) replaces this file.
 */
#include "dispatch.h"
#include "nt/ntstatus.h"

NTSTATUS nt_not_implemented(const u32 *args)
{
	return STATUS_NOT_IMPLEMENTED;
}
