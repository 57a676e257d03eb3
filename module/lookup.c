// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve kernel symbols that are not exported to modules.
 *
 * kallsyms_lookup_name() itself is not exported since 5.7; a kprobe on it
 * reports its address, and it is only ever used at load time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include "internal.h"

static unsigned long (*kallsyms_lookup_name_fn)(const char *name);

int nt_lookup_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int err;

	err = register_kprobe(&kp);
	if (err) {
		pr_err("cannot find kallsyms_lookup_name (%d)\n", err);
		return err;
	}
	kallsyms_lookup_name_fn = (void *)kp.addr;
	unregister_kprobe(&kp);
	return 0;
}

unsigned long nt_lookup(const char *name)
{
	unsigned long addr = kallsyms_lookup_name_fn(name);

	if (!addr)
		pr_err("kernel symbol %s not found\n", name);
	return addr;
}
