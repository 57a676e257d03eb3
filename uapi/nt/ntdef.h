/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Basic NT types of the 32-bit Windows XP ABI: integer types, handles,
 * LARGE_INTEGER, counted strings, OBJECT_ATTRIBUTES, IO_STATUS_BLOCK and
 * CLIENT_ID.
 *
 * Usable from user space (HANDLE and pointer members are real pointers) and
 * from the kernel (they are __u32, because the kernel must never follow them
 * without going through the uaccess helpers). On i386 both views have the
 * same size, so the layout asserts below hold in both.
 *
 * 64-bit members are 8-byte aligned as in the Windows ABI; gcc's i386
 * System V ABI would align them to 4, which would move every field after a
 * LARGE_INTEGER (FILE_BASIC_INFORMATION is 0x28 bytes, not 0x24).
 */
#ifndef _UAPI_NT_NTDEF_H
#define _UAPI_NT_NTDEF_H

#include <linux/types.h>

#ifdef __KERNEL__
#include <linux/stddef.h>
#else
#include <stddef.h>
#endif

/* Layout checks: only meaningful where pointers are 32 bits wide. */
#if defined(__KERNEL__) || defined(__i386__)
#define NT_ASSERT_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), "sizeof(" #type ")")
#define NT_ASSERT_OFFSET(type, member, off) \
	_Static_assert(offsetof(type, member) == (off), \
		       "offsetof(" #type ", " #member ")")
#else
#define NT_ASSERT_SIZE(type, size)
#define NT_ASSERT_OFFSET(type, member, off)
#endif

/*
 * NT_PTR(type): a pointer member of an ABI structure. A real pointer in
 * user space, a 32-bit user address in the kernel.
 */
#ifdef __KERNEL__
#define NT_PTR(type)	__u32
#else
#define NT_PTR(type)	type *
#endif

typedef __s32 NTSTATUS;
typedef __u32 ULONG;
typedef __s32 LONG;
typedef __u16 USHORT;
typedef __s16 SHORT;
typedef __u8 UCHAR;
typedef char CHAR;
typedef __s8 CCHAR;
typedef __u8 BOOLEAN;
typedef __u16 WCHAR;
typedef __u32 ACCESS_MASK;
typedef __u32 ULONG_PTR;
typedef __s32 LONG_PTR;
typedef __u32 SIZE_T;
typedef __s32 KPRIORITY;
typedef __u32 KAFFINITY;
typedef __u16 RTL_ATOM;
typedef __u64 __attribute__((aligned(8))) ULONGLONG;
typedef __s64 __attribute__((aligned(8))) LONGLONG;

#ifdef __KERNEL__
typedef __u32 HANDLE;
#else
typedef void *HANDLE;
#endif

#define NT_SUCCESS(status)	((NTSTATUS)(status) >= 0)
#define NT_INFORMATION(status)	((((__u32)(status)) >> 30) == 1)
#define NT_WARNING(status)	((((__u32)(status)) >> 30) == 2)
#define NT_ERROR(status)	((((__u32)(status)) >> 30) == 3)

/* Pseudo-handles: resolved before any handle table lookup. */
#define NtCurrentProcess()	((HANDLE)(LONG_PTR)-1)
#define NtCurrentThread()	((HANDLE)(LONG_PTR)-2)

#ifndef FALSE
#define FALSE	0
#endif
#ifndef TRUE
#define TRUE	1
#endif

typedef union _LARGE_INTEGER {
	struct {
		ULONG LowPart;
		LONG HighPart;
	};
	struct {
		ULONG LowPart;
		LONG HighPart;
	} u;
	LONGLONG QuadPart;
} LARGE_INTEGER;
NT_ASSERT_SIZE(LARGE_INTEGER, 8);
NT_ASSERT_OFFSET(LARGE_INTEGER, HighPart, 4);
_Static_assert(_Alignof(LARGE_INTEGER) == 8, "LARGE_INTEGER alignment");

typedef union _ULARGE_INTEGER {
	struct {
		ULONG LowPart;
		ULONG HighPart;
	};
	struct {
		ULONG LowPart;
		ULONG HighPart;
	} u;
	ULONGLONG QuadPart;
} ULARGE_INTEGER;
NT_ASSERT_SIZE(ULARGE_INTEGER, 8);

/* A locally unique id: two 32-bit halves, only 4-byte aligned. */
typedef struct _LUID {
	ULONG LowPart;
	LONG HighPart;
} LUID;
NT_ASSERT_SIZE(LUID, 8);

typedef struct _GUID {
	__u32 Data1;
	__u16 Data2;
	__u16 Data3;
	__u8 Data4[8];
} GUID;
NT_ASSERT_SIZE(GUID, 16);

/* Counted strings: Length and MaximumLength are in bytes, not characters. */
typedef struct _UNICODE_STRING {
	USHORT Length;
	USHORT MaximumLength;
	NT_PTR(WCHAR) Buffer;
} UNICODE_STRING;
NT_ASSERT_SIZE(UNICODE_STRING, 8);
NT_ASSERT_OFFSET(UNICODE_STRING, Buffer, 4);

typedef struct _STRING {
	USHORT Length;
	USHORT MaximumLength;
	NT_PTR(CHAR) Buffer;
} STRING, ANSI_STRING, OEM_STRING;
NT_ASSERT_SIZE(ANSI_STRING, 8);
NT_ASSERT_OFFSET(ANSI_STRING, Buffer, 4);

/* OBJECT_ATTRIBUTES.Attributes */
#define OBJ_INHERIT			0x00000002
#define OBJ_PERMANENT			0x00000010
#define OBJ_EXCLUSIVE			0x00000020
#define OBJ_CASE_INSENSITIVE		0x00000040
#define OBJ_OPENIF			0x00000080
#define OBJ_OPENLINK			0x00000100
#define OBJ_KERNEL_HANDLE		0x00000200
#define OBJ_FORCE_ACCESS_CHECK		0x00000400
#define OBJ_VALID_ATTRIBUTES		0x000007f2

typedef struct _OBJECT_ATTRIBUTES {
	ULONG Length;			/* sizeof(OBJECT_ATTRIBUTES) = 0x18 */
	HANDLE RootDirectory;
	NT_PTR(UNICODE_STRING) ObjectName;
	ULONG Attributes;		/* OBJ_* */
	NT_PTR(void) SecurityDescriptor;
	NT_PTR(void) SecurityQualityOfService;
} OBJECT_ATTRIBUTES;
NT_ASSERT_SIZE(OBJECT_ATTRIBUTES, 0x18);
NT_ASSERT_OFFSET(OBJECT_ATTRIBUTES, RootDirectory, 0x04);
NT_ASSERT_OFFSET(OBJECT_ATTRIBUTES, ObjectName, 0x08);
NT_ASSERT_OFFSET(OBJECT_ATTRIBUTES, Attributes, 0x0c);
NT_ASSERT_OFFSET(OBJECT_ATTRIBUTES, SecurityDescriptor, 0x10);
NT_ASSERT_OFFSET(OBJECT_ATTRIBUTES, SecurityQualityOfService, 0x14);

#ifndef __KERNEL__
#define InitializeObjectAttributes(p, n, a, r, s) do {	\
	(p)->Length = sizeof(OBJECT_ATTRIBUTES);	\
	(p)->RootDirectory = (r);			\
	(p)->Attributes = (a);				\
	(p)->ObjectName = (n);				\
	(p)->SecurityDescriptor = (s);			\
	(p)->SecurityQualityOfService = NULL;		\
} while (0)
#endif

typedef struct _IO_STATUS_BLOCK {
	union {
		NTSTATUS Status;
		NT_PTR(void) Pointer;
	};
	ULONG_PTR Information;
} IO_STATUS_BLOCK;
NT_ASSERT_SIZE(IO_STATUS_BLOCK, 8);
NT_ASSERT_OFFSET(IO_STATUS_BLOCK, Information, 4);

typedef struct _CLIENT_ID {
	HANDLE UniqueProcess;
	HANDLE UniqueThread;
} CLIENT_ID;
NT_ASSERT_SIZE(CLIENT_ID, 8);
NT_ASSERT_OFFSET(CLIENT_ID, UniqueThread, 4);

#endif /* _UAPI_NT_NTDEF_H */
