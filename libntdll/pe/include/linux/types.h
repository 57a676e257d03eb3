/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntdll.dll is built by i686-w64-mingw32-gcc with -nostdinc: no Linux and
 * no mingw headers. The uapi headers it shares with the kernel and with
 * libntdll name their fixed-width types as <linux/types.h> does; these
 * are the same widths on i386 whatever the object format.
 */
#ifndef _NTDLL_PE_LINUX_TYPES_H
#define _NTDLL_PE_LINUX_TYPES_H

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;

#endif
