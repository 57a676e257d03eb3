/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Configuration manager (registry) ABI: key access rights, value types,
 * create options and dispositions, the key and value information classes
 * and their structures. XP SP3 layouts (32-bit).
 */
#ifndef _UAPI_NT_NTREG_H
#define _UAPI_NT_NTREG_H

#include "ntdef.h"

/* Key specific rights */
#define KEY_QUERY_VALUE			0x0001
#define KEY_SET_VALUE			0x0002
#define KEY_CREATE_SUB_KEY		0x0004
#define KEY_ENUMERATE_SUB_KEYS		0x0008
#define KEY_NOTIFY			0x0010
#define KEY_CREATE_LINK			0x0020
#define KEY_WOW64_64KEY			0x0100
#define KEY_WOW64_32KEY			0x0200
#define KEY_READ			(0x00020000 | KEY_QUERY_VALUE | \
					 KEY_ENUMERATE_SUB_KEYS | KEY_NOTIFY)
#define KEY_WRITE			(0x00020000 | KEY_SET_VALUE | \
					 KEY_CREATE_SUB_KEY)
#define KEY_EXECUTE			KEY_READ
#define KEY_ALL_ACCESS			(0x000f0000 | KEY_QUERY_VALUE | \
					 KEY_SET_VALUE | KEY_CREATE_SUB_KEY | \
					 KEY_ENUMERATE_SUB_KEYS | KEY_NOTIFY | \
					 KEY_CREATE_LINK)

/* Value types */
#define REG_NONE			0
#define REG_SZ				1
#define REG_EXPAND_SZ			2
#define REG_BINARY			3
#define REG_DWORD			4
#define REG_DWORD_LITTLE_ENDIAN		4
#define REG_DWORD_BIG_ENDIAN		5
#define REG_LINK			6
#define REG_MULTI_SZ			7
#define REG_RESOURCE_LIST		8
#define REG_FULL_RESOURCE_DESCRIPTOR	9
#define REG_RESOURCE_REQUIREMENTS_LIST	10
#define REG_QWORD			11

/* NtCreateKey CreateOptions */
#define REG_OPTION_RESERVED		0x00000000
#define REG_OPTION_NON_VOLATILE		0x00000000
#define REG_OPTION_VOLATILE		0x00000001
#define REG_OPTION_CREATE_LINK		0x00000002
#define REG_OPTION_BACKUP_RESTORE	0x00000004
#define REG_OPTION_OPEN_LINK		0x00000008
#define REG_LEGAL_OPTION		0x0000000f

/* NtCreateKey Disposition */
#define REG_CREATED_NEW_KEY		0x00000001
#define REG_OPENED_EXISTING_KEY		0x00000002

/* NtNotifyChangeKey CompletionFilter */
#define REG_NOTIFY_CHANGE_NAME		0x00000001
#define REG_NOTIFY_CHANGE_ATTRIBUTES	0x00000002
#define REG_NOTIFY_CHANGE_LAST_SET	0x00000004
#define REG_NOTIFY_CHANGE_SECURITY	0x00000008
#define REG_LEGAL_CHANGE_FILTER		0x0000000f

/* NtLoadKey2 and NtRestoreKey Flags */
#define REG_WHOLE_HIVE_VOLATILE		0x00000001
#define REG_REFRESH_HIVE		0x00000002
#define REG_NO_LAZY_FLUSH		0x00000004
#define REG_FORCE_RESTORE		0x00000008

typedef enum _KEY_INFORMATION_CLASS {
	KeyBasicInformation = 0,
	KeyNodeInformation = 1,
	KeyFullInformation = 2,
	KeyNameInformation = 3,
	KeyCachedInformation = 4,
	KeyFlagsInformation = 5,
} KEY_INFORMATION_CLASS;

typedef enum _KEY_SET_INFORMATION_CLASS {
	KeyWriteTimeInformation = 0,
	KeyUserFlagsInformation = 1,
} KEY_SET_INFORMATION_CLASS;

typedef enum _KEY_VALUE_INFORMATION_CLASS {
	KeyValueBasicInformation = 0,
	KeyValueFullInformation = 1,
	KeyValuePartialInformation = 2,
	KeyValueFullInformationAlign64 = 3,
	KeyValuePartialInformationAlign64 = 4,
} KEY_VALUE_INFORMATION_CLASS;

typedef struct _KEY_BASIC_INFORMATION {
	LARGE_INTEGER LastWriteTime;
	ULONG TitleIndex;
	ULONG NameLength;
	WCHAR Name[1];
} KEY_BASIC_INFORMATION;
NT_ASSERT_OFFSET(KEY_BASIC_INFORMATION, Name, 16);

typedef struct _KEY_NODE_INFORMATION {
	LARGE_INTEGER LastWriteTime;
	ULONG TitleIndex;
	ULONG ClassOffset;
	ULONG ClassLength;
	ULONG NameLength;
	WCHAR Name[1];
} KEY_NODE_INFORMATION;
NT_ASSERT_OFFSET(KEY_NODE_INFORMATION, Name, 24);

typedef struct _KEY_FULL_INFORMATION {
	LARGE_INTEGER LastWriteTime;
	ULONG TitleIndex;
	ULONG ClassOffset;
	ULONG ClassLength;
	ULONG SubKeys;
	ULONG MaxNameLen;
	ULONG MaxClassLen;
	ULONG Values;
	ULONG MaxValueNameLen;
	ULONG MaxValueDataLen;
	WCHAR Class[1];
} KEY_FULL_INFORMATION;
NT_ASSERT_OFFSET(KEY_FULL_INFORMATION, Class, 44);

typedef struct _KEY_NAME_INFORMATION {
	ULONG NameLength;
	WCHAR Name[1];
} KEY_NAME_INFORMATION;
NT_ASSERT_OFFSET(KEY_NAME_INFORMATION, Name, 4);

typedef struct _KEY_CACHED_INFORMATION {
	LARGE_INTEGER LastWriteTime;
	ULONG TitleIndex;
	ULONG SubKeys;
	ULONG MaxNameLen;
	ULONG Values;
	ULONG MaxValueNameLen;
	ULONG MaxValueDataLen;
	ULONG NameLength;
} KEY_CACHED_INFORMATION;
NT_ASSERT_SIZE(KEY_CACHED_INFORMATION, 40);

typedef struct _KEY_FLAGS_INFORMATION {
	ULONG UserFlags;
} KEY_FLAGS_INFORMATION;
NT_ASSERT_SIZE(KEY_FLAGS_INFORMATION, 4);

typedef struct _KEY_WRITE_TIME_INFORMATION {
	LARGE_INTEGER LastWriteTime;
} KEY_WRITE_TIME_INFORMATION;
NT_ASSERT_SIZE(KEY_WRITE_TIME_INFORMATION, 8);

typedef struct _KEY_USER_FLAGS_INFORMATION {
	ULONG UserFlags;
} KEY_USER_FLAGS_INFORMATION;
NT_ASSERT_SIZE(KEY_USER_FLAGS_INFORMATION, 4);

typedef struct _KEY_VALUE_BASIC_INFORMATION {
	ULONG TitleIndex;
	ULONG Type;
	ULONG NameLength;
	WCHAR Name[1];
} KEY_VALUE_BASIC_INFORMATION;
NT_ASSERT_OFFSET(KEY_VALUE_BASIC_INFORMATION, Name, 12);

typedef struct _KEY_VALUE_FULL_INFORMATION {
	ULONG TitleIndex;
	ULONG Type;
	ULONG DataOffset;
	ULONG DataLength;
	ULONG NameLength;
	WCHAR Name[1];
} KEY_VALUE_FULL_INFORMATION;
NT_ASSERT_OFFSET(KEY_VALUE_FULL_INFORMATION, Name, 20);

typedef struct _KEY_VALUE_PARTIAL_INFORMATION {
	ULONG TitleIndex;
	ULONG Type;
	ULONG DataLength;
	UCHAR Data[1];
} KEY_VALUE_PARTIAL_INFORMATION;
NT_ASSERT_OFFSET(KEY_VALUE_PARTIAL_INFORMATION, Data, 12);

/* NtQueryMultipleValueKey's entries (ValueName is a user pointer). */
typedef struct _KEY_VALUE_ENTRY {
	NT_PTR(UNICODE_STRING) ValueName;
	ULONG DataLength;
	ULONG DataOffset;
	ULONG Type;
} KEY_VALUE_ENTRY;
NT_ASSERT_SIZE(KEY_VALUE_ENTRY, 16);

#endif /* _UAPI_NT_NTREG_H */
