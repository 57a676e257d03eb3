/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NT ABI names ob/ and ke/ use (uapi/nt/), plus the generated service
 * prototypes, in one include.
 */
#ifndef NTOB_NT_TYPES_H
#define NTOB_NT_TYPES_H

#include "nt/ntdef.h"
#include "nt/ntstatus.h"
#include "nt/access.h"
#include "nt/ntobj.h"
#include "nt_protos.h"

#endif /* NTOB_NT_TYPES_H */
