/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uapi/ntpersonality.h defines its ioctl numbers with Linux's _IO*
 * macros. ntdll.dll never issues an ioctl (a PE process is attached
 * before its first instruction), but it shares the header's structures,
 * so the numbers must still expand: Linux's i386 encoding.
 */
#ifndef _NTDLL_PE_LINUX_IOCTL_H
#define _NTDLL_PE_LINUX_IOCTL_H

#define _IOC(dir, type, nr, size) \
	(((dir) << 30) | ((size) << 16) | ((type) << 8) | (nr))
#define _IO(type, nr)		_IOC(0U, (type), (nr), 0)
#define _IOR(type, nr, t)	_IOC(2U, (type), (nr), sizeof(t))
#define _IOW(type, nr, t)	_IOC(1U, (type), (nr), sizeof(t))
#define _IOWR(type, nr, t)	_IOC(3U, (type), (nr), sizeof(t))

#endif
