// SPDX-License-Identifier: GPL-2.0
/*
 * Run-time linking: LdrLoadDll of testc.dll (found in the exe's
 * directory), LdrGetProcedureAddress by name and by ordinal,
 * LdrGetDllHandle, LdrUnloadDll (DLL_PROCESS_DETACH), and the statuses
 * of a DLL and a procedure that do not exist.
 */
#include "native.h"

typedef int (__stdcall *c_fn)(int);

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	UNICODE_STRING name, missing;
	ANSI_STRING proc, noproc;
	PVOID base, h, addr, addr2;
	NTSTATUS st;
	char buf[160];

	RtlInitUnicodeString(&name, L"testc");
	st = LdrLoadDll(NULL, NULL, &name, &base);
	_snprintf(buf, sizeof(buf), "load: 0x%08lx\n", st);
	out(buf);
	if (st)
		return 1;
	RtlInitUnicodeString(&name, L"TESTC.DLL");
	st = LdrGetDllHandle(NULL, NULL, &name, &h);
	_snprintf(buf, sizeof(buf), "handle: 0x%08lx same=%d\n", st, h == base);
	out(buf);
	RtlInitAnsiString(&proc, "c_twice");
	st = LdrGetProcedureAddress(base, &proc, 0, &addr);
	LdrGetProcedureAddress(base, NULL, 3, &addr2);
	_snprintf(buf, sizeof(buf), "proc: 0x%08lx %d %d\n", st,
		  ((c_fn)addr)(21), addr2 == addr);
	out(buf);
	RtlInitAnsiString(&noproc, "c_nothing");
	st = LdrGetProcedureAddress(base, &noproc, 0, &addr);
	_snprintf(buf, sizeof(buf), "noproc: 0x%08lx\n", st);
	out(buf);
	st = LdrGetProcedureAddress(base, NULL, 99, &addr);
	_snprintf(buf, sizeof(buf), "noord: 0x%08lx\n", st);
	out(buf);
	RtlInitUnicodeString(&missing, L"nosuch.dll");
	st = LdrLoadDll(NULL, NULL, &missing, &h);
	_snprintf(buf, sizeof(buf), "missing: 0x%08lx\n", st);
	out(buf);
	st = LdrUnloadDll(base);
	_snprintf(buf, sizeof(buf), "unload: 0x%08lx\n", st);
	out(buf);
	RtlInitUnicodeString(&name, L"testc.dll");
	st = LdrGetDllHandle(NULL, NULL, &name, &h);
	_snprintf(buf, sizeof(buf), "after: 0x%08lx\n", st);
	out(buf);
	return 0;
}
