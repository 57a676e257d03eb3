/* SPDX-License-Identifier: GPL-2.0 */
/*
 * errno -> NTSTATUS: the one place where a Linux error becomes an NT status.
 *
 * Thin wrappers over Linux calls return -errno; services convert once, at
 * the boundary, with nt_status_from_errno(). Callers that know better map
 * locally first and say so (ENOENT on a middle path component is
 * STATUS_OBJECT_PATH_NOT_FOUND, not ..._NAME_NOT_FOUND). The table and the
 * reason for each choice are in docs/errno.md, which a host test
 * (scripts/tests/errno-doc) keeps in step with status.c.
 */
#ifndef NTP_STATUS_H
#define NTP_STATUS_H

/* Until branch `spec` is merged: stand-in names (io/prelim.h). */
#if defined(__has_include) && !defined(__CHECKER__)
#if __has_include("nt/ntstatus.h")
#define NTP_HAVE_NT_UAPI
#endif
#endif
#ifdef NTP_HAVE_NT_UAPI
#include "nt/ntdef.h"
#include "nt/ntstatus.h"
#else
#include "io/prelim.h"
#endif

/*
 * @err may be given negative (-EACCES, as Linux returns it) or positive;
 * 0 gives STATUS_SUCCESS. An errno missing from the table gives
 * STATUS_UNSUCCESSFUL and, once, a warning naming it (debug builds).
 */
NTSTATUS nt_status_from_errno(int err);

#endif /* NTP_STATUS_H */
