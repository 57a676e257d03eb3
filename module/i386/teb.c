// SPDX-License-Identifier: GPL-2.0
/*
 * fs of an NT thread: selector 0x3b, GDT entry 7, the second of the three
 * per-thread TLS descriptors that the kernel reloads into the GDT at every
 * context switch (thread.tls_array, as set_thread_area() fills them).
 * glibc's i386 TLS takes entry 6 (gs = 0x33), so ELF code keeps working
 * beside NT code that reads its TEB through fs, as XP's ntdll and every
 * compiler's SEH do.
 *
 * The descriptor is what XP's KGDT_R3_TEB is: base = TEB, limit 0xfff,
 * byte granular, 32-bit read/write data, DPL 3.
 */
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>
#include <asm/desc.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include "i386/arch.h"
#include "nt/ntps.h"

static_assert(NT_TEB_SELECTOR == ((GDT_ENTRY_TLS_MIN + 1) << 3 | 3));

void nt_arch_set_teb(u32 teb)
{
	struct user_desc info = {
		.entry_number = NT_TEB_SELECTOR >> 3,
		.base_addr = teb,
		.limit = 0xfff,
		.seg_32bit = 1,
	};
	struct desc_struct desc;
	int cpu;

	if (teb)
		fill_ldt(&desc, &info);
	else
		memset(&desc, 0, sizeof(desc));
	cpu = get_cpu();
	current->thread.tls_array[(NT_TEB_SELECTOR >> 3) - GDT_ENTRY_TLS_MIN] = desc;
	load_TLS(&current->thread, cpu);
	put_cpu();
	/* user fs is restored from the frame on the way out */
	task_pt_regs(current)->fs = teb ? NT_TEB_SELECTOR : 0;
}
