/* SPDX-License-Identifier: GPL-2.0 */
/* <stddef.h> for the freestanding ntdll.dll build (i386, ILP32). */
#ifndef _NTDLL_PE_STDDEF_H
#define _NTDLL_PE_STDDEF_H

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __WCHAR_TYPE__ wchar_t;
#define NULL ((void *)0)
#define offsetof(type, member) __builtin_offsetof(type, member)

#endif
