// SPDX-License-Identifier: GPL-2.0
/*
 * KUSER_SHARED_DATA at 0x7ffe0000 (placeholder until the entry path).
 */
#include "internal.h"
#include "i386/arch.h"

int nt_arch_attach_mm(struct nt_process *proc)
{
	return 0;
}

void nt_arch_detach_mm(struct nt_process *proc)
{
}
