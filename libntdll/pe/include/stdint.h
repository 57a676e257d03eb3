/* SPDX-License-Identifier: GPL-2.0 */
/* <stdint.h> for the freestanding ntdll.dll build (i386, ILP32). */
#ifndef _NTDLL_PE_STDINT_H
#define _NTDLL_PE_STDINT_H

typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef short int16_t;
typedef unsigned short uint16_t;
typedef int int32_t;
typedef unsigned int uint32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;
typedef __INTPTR_TYPE__ intptr_t;
typedef __UINTPTR_TYPE__ uintptr_t;
#define SIZE_MAX __SIZE_MAX__

#endif
