/* SPDX-License-Identifier: GPL-2.0 */
/* Per-process state of ps/teb.c (a member of struct nt_process). */
#ifndef NTP_PS_STATE_H
#define NTP_PS_STATE_H

#include <linux/types.h>
struct file;
#include <linux/xarray.h>

/*
 * The process's PEB and the pages that hold its threads' TEBs, in the
 * process's own address space. @tebs is keyed by page number; an entry
 * marked NTPS_TEB_FREE is a mapped page whose thread has exited (or a
 * copy a fork child inherited) and is reused, zeroed, by the next thread.
 * The xarray's own lock makes "find a free page and take it" atomic.
 */
struct ntps_env {
	u32 peb;			/* user address, 0 until created */
	struct xarray tebs;
	/* ntdll's, from NTP_IOC_SET_DISPATCHERS (0: none) */
	u32 apc_dispatcher;		/* KiUserApcDispatcher */
	u32 exception_dispatcher;	/* KiUserExceptionDispatcher */
	u32 ldr_thunk;			/* LdrInitializeThunk: new threads start there */
	/*
	 * The image's file, from NTP_IOC_SET_IMAGE, referenced, or NULL:
	 * ProcessImageFileName names it rather than the loader that mapped
	 * it (ntpeload, /proc/pid/exe). Under the process's lock.
	 */
	struct file *image;
};

#endif /* NTP_PS_STATE_H */
