// SPDX-License-Identifier: GPL-2.0
#include "internal.h"
#include "i386/arch.h"

int nt_arch_init(void)
{
	return 0;
}

void nt_arch_exit(void)
{
}

void nt_arch_sched_in(struct nt_thread *t)
{
}

void nt_arch_sched_out(struct nt_thread *t)
{
}
