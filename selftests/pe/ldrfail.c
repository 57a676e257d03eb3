// SPDX-License-Identifier: GPL-2.0
/*
 * LdrLoadDll that fails after the loader made the DLL's entry, mapped
 * it and loaded what it imports: the module lists (PEB->Ldr, all
 * three) are as they were before, every LoadCount too, and the DLL's
 * view and its new dependency's are unmapped. The statuses are XP's
 * (ReactOS dll/ntdll/ldr/ldrpe.c LdrpSnapThunk, ldrutils.c LdrpLoadDll;
 * Wine's dlls/kernel32/tests/loader.c expects ERROR_MOD_NOT_FOUND,
 * ERROR_PROC_NOT_FOUND and ERROR_DLL_INIT_FAILED from LoadLibrary for
 * the three): a missing dependency STATUS_DLL_NOT_FOUND, a missing
 * import STATUS_ENTRYPOINT_NOT_FOUND, DllMain returning FALSE
 * STATUS_DLL_INIT_FAILED. A dependency whose DLL_PROCESS_ATTACH ran
 * gets its DLL_PROCESS_DETACH when the failed load takes it away.
 */
#include "native.h"

void *__cdecl memset(void *d, int c, size_t n);

NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE Process, PVOID Address, ULONG Class,
				    PVOID Info, SIZE_T Length, PSIZE_T Result);

/* XP's PEB_LDR_DATA and LDR_DATA_TABLE_ENTRY, the fields walked here */
struct ldr_data {
	ULONG Length;
	BOOLEAN Initialized;
	PVOID SsHandle;
	LIST_ENTRY lists[3];	/* load, memory, initialization order */
};

struct ldr_entry {
	LIST_ENTRY links[3];
	PVOID DllBase;
	PVOID EntryPoint;
	ULONG SizeOfImage;
	UNICODE_STRING FullDllName, BaseDllName;
	ULONG Flags;
	USHORT LoadCount;
};

#define MAX_MODS 32

struct snap {
	int n[3];
	void *e[3][MAX_MODS];
	USHORT count[3][MAX_MODS];
};

static void take(struct snap *s)
{
	PPEB peb = NtCurrentTeb()->ProcessEnvironmentBlock;
	struct ldr_data *ld = *(struct ldr_data **)((char *)peb + 0xc);
	LIST_ENTRY *e;
	int l;

	memset(s, 0, sizeof(*s));
	for (l = 0; l < 3; l++) {
		s->n[l] = 0;
		for (e = ld->lists[l].Flink; e != &ld->lists[l] &&
		     s->n[l] < MAX_MODS; e = e->Flink) {
			struct ldr_entry *m = (void *)(e - l);

			s->e[l][s->n[l]] = m;
			s->count[l][s->n[l]++] = m->LoadCount;
		}
	}
}

static int same(const struct snap *a, const struct snap *b)
{
	int l, i;

	for (l = 0; l < 3; l++) {
		if (a->n[l] != b->n[l])
			return 0;
		for (i = 0; i < a->n[l]; i++)
			if (a->e[l][i] != b->e[l][i] ||
			    a->count[l][i] != b->count[l][i])
				return 0;
	}
	return 1;
}

static int is_free(ULONG addr)
{
	MEMORY_BASIC_INFORMATION mbi;

	if (NtQueryVirtualMemory((HANDLE)-1, (PVOID)addr, 0, &mbi, sizeof(mbi),
				 NULL))
		return -1;
	return mbi.State == MEM_FREE;
}

static void try_load(const WCHAR *name, const char *tag, ULONG base)
{
	struct snap before, after;
	UNICODE_STRING us, tc;
	PVOID h = NULL;
	NTSTATUS st;
	char buf[128];

	take(&before);
	RtlInitUnicodeString(&us, name);
	st = LdrLoadDll(NULL, NULL, &us, &h);
	take(&after);
	RtlInitUnicodeString(&tc, L"testc.dll");
	_snprintf(buf, sizeof(buf), "%s: 0x%08lx same=%d free=%d testc=0x%08lx\n",
		  tag, st, same(&before, &after), is_free(base),
		  LdrGetDllHandle(NULL, NULL, &tc, &h));
	out(buf);
}

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	UNICODE_STRING tc;
	PVOID c = NULL;
	NTSTATUS st;
	char buf[64];

	try_load(L"faildep.dll", "missing dependency", 0x31000000);
	try_load(L"failimp.dll", "missing import", 0x32000000);
	try_load(L"failinit.dll", "DllMain FALSE", 0x30000000);
	/* testc.dll loaded already: its LoadCount comes back down */
	RtlInitUnicodeString(&tc, L"testc.dll");
	st = LdrLoadDll(NULL, NULL, &tc, &c);
	try_load(L"failinit.dll", "DllMain FALSE, testc loaded", 0x30000000);
	try_load(L"failimp.dll", "missing import, testc loaded", 0x32000000);
	st |= LdrUnloadDll(c);
	_snprintf(buf, sizeof(buf), "testc: 0x%08lx\n", st);
	out(buf);
	/*
	 * The failing DllMain's own LdrLoadDll took testc.dll, which the
	 * failed load had mapped: testc stays, the failed DLL goes.
	 */
	try_load(L"failpin.dll", "DllMain loads testc", 0x33000000);
	st = LdrGetDllHandle(NULL, NULL, &tc, &c);
	st |= LdrUnloadDll(c);
	_snprintf(buf, sizeof(buf), "testc: 0x%08lx\n", st);
	out(buf);
	return 0;
}
