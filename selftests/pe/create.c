// SPDX-License-Identifier: GPL-2.0
/*
 * Creates \??\unix\tmp\ntpe_bin\root\probe and ends with the status (its
 * low 8 bits are the exit status: 0 created, 0x22 STATUS_ACCESS_DENIED):
 * what rights the process runs with, for pe_run's setuid test.
 */
#include "native.h"

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	static WCHAR path[] = L"\\??\\unix\\tmp\\ntpe_bin\\root\\probe";
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;
	UNICODE_STRING name;
	HANDLE h;
	NTSTATUS st;

	(void)peb;
	RtlInitUnicodeString(&name, path);
	InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
	st = NtCreateFile(&h, GENERIC_WRITE | SYNCHRONIZE, &oa, &io, NULL,
			  FILE_ATTRIBUTE_NORMAL, 0, FILE_CREATE,
			  FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
			  NULL, 0);
	if (NT_SUCCESS(st))
		NtClose(h);
	return st;
}
