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

#include "nt/ntdef.h"
#include "nt/ntstatus.h"

/*
 * @err may be given negative (-EACCES, as Linux returns it) or positive;
 * 0 gives STATUS_SUCCESS. An errno missing from the table gives
 * STATUS_UNSUCCESSFUL and, once, a warning naming it (debug builds).
 */
NTSTATUS nt_status_from_errno(int err);

/*
 * A caller's own mapping of @err to @status (see above), returned as is;
 * tracers see it as they see the table's (ntstrace's "(ENOENT)").
 */
NTSTATUS nt_status_mapped(int err, NTSTATUS status);

#endif /* NTP_STATUS_H */
