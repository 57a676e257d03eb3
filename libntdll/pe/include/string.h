/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <string.h> of ntdll.dll: the C-runtime functions XP's ntdll exports
 * and the Rtl code uses, implemented in libntdll/crt.c. gcc may also
 * emit calls to memcpy/memset/memmove/memcmp on its own, which is why
 * crt.c is built with -fno-tree-loop-distribute-patterns.
 */
#ifndef _NTDLL_PE_STRING_H
#define _NTDLL_PE_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
char *strcat(char *dst, const char *src);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *s, const char *find);

#endif
