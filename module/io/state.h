/* SPDX-License-Identifier: GPL-2.0 */
/* Per-process state of the io services (a member of struct nt_process). */
#ifndef NTP_IO_STATE_H
#define NTP_IO_STATE_H

#include <linux/path.h>
#include "nt/ntdef.h"

/*
 * @c_root: the directory \??\C:\ maps to for this process (a reference
 * taken at attach from the caller's NTP_ATTACH_C_ROOT fd, copied by
 * fork), or no dentry when the module parameter c_root applies. Set
 * before the process is published and never changed: no lock.
 */
struct ntio_process {
	struct path c_root;
};

/* ps/hooks.c: fork copies the parent's root; fini drops it (may sleep). */
void ntio_process_init(struct ntio_process *io, const struct ntio_process *parent);
void ntio_process_fini(struct ntio_process *io);
/* Attach: @root becomes the process's C: root (referenced). */
void ntio_process_set_c_root(struct ntio_process *io, const struct path *root);

/*
 * For ps/info.c: the NT name of @p for the calling process (\??\C:\...
 * under its C: root, else \??\unix\...): kmalloc'd, *@len WCHARs, no NUL.
 */
NTSTATUS ntio_nt_name_of_path(const struct path *p, WCHAR **name, u16 *len);

#endif /* NTP_IO_STATE_H */
