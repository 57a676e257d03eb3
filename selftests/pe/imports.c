// SPDX-License-Identifier: GPL-2.0
/*
 * Load-time linking: imports from testa.dll by name and by ordinal, a
 * forwarder through testa.dll to ntdll, testb.dll (relocated: same
 * preferred base as testa.dll), a TLS variable and a TLS callback. The
 * output shows the order: DllMains (A before B, which imports A), then
 * the exe's TLS callback, then the entry point; at the end the
 * reverse, after the entry point returns 7. A thread made by
 * RtlCreateUserThread gets DLL_THREAD_ATTACH/DETACH and its own copy of
 * the TLS template.
 */
#include "native.h"

const char *__stdcall a_value(void);
int __stdcall a_add(int x, int y);
size_t __cdecl a_strlen(const char *s);
const char *__stdcall b_message(int i);
const char *__stdcall b_from_a(void);

/* static TLS, as a compiler lays it out: the loader fills tls_index */
ULONG _tls_index;
static char tls_start[16] __attribute__((section(".tls"))) = "tls-data";
static char tls_end __attribute__((section(".tls$ZZZ")));

static void NTAPI tls_cb(PVOID base, DWORD reason, PVOID reserved)
{
	char buf[64];

	_snprintf(buf, sizeof(buf), "exe: TLS callback %lu\n", reason);
	out(buf);
}

static PIMAGE_TLS_CALLBACK callbacks[] = { tls_cb, NULL };

const IMAGE_TLS_DIRECTORY _tls_used = {
	(DWORD)tls_start, (DWORD)&tls_end, (DWORD)&_tls_index,
	(DWORD)callbacks, 0, 0
};

static char *my_tls(void)
{
	char **slots = *(char ***)((char *)NtCurrentTeb() + 0x2c);

	return slots[_tls_index];
}

static NTSTATUS NTAPI thread_main(PVOID param)
{
	char buf[64];

	_snprintf(buf, sizeof(buf), "thread: tls=%s\n", my_tls());
	out(buf);
	return 0x55;
}

/*
 * A thread made by a bare NtCreateThread: the kernel starts it in
 * LdrInitializeThunk as XP's does, so it gets DLL_THREAD_ATTACH and its
 * static TLS before its CONTEXT's Eip, like any other.
 */
typedef struct {
	PVOID OldStackBase, OldStackLimit, StackBase, StackLimit, AllocatedStackBase;
} INITIAL_TEB_XP;

NTSTATUS NTAPI NtCreateThread(PHANDLE Thread, ACCESS_MASK Access,
			      POBJECT_ATTRIBUTES Attributes, HANDLE Process,
			      PCLIENT_ID ClientId, PCONTEXT Context,
			      INITIAL_TEB_XP *InitialTeb, BOOLEAN Suspended);
NTSTATUS NTAPI NtTerminateThread(HANDLE Thread, NTSTATUS Status);
NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE Process, PVOID *Base,
				       ULONG_PTR ZeroBits, PSIZE_T Size,
				       ULONG Type, ULONG Protect);

static void NTAPI bare_main(PVOID param)
{
	char buf[64];

	_snprintf(buf, sizeof(buf), "bare: tls=%s %s\n", my_tls(), (char *)param);
	out(buf);
	NtTerminateThread((HANDLE)-2, 0x66);
}

static NTSTATUS bare_thread(HANDLE *h)
{
	static char param[] = "param";
	INITIAL_TEB_XP iteb = { 0 };
	SIZE_T size = 0x10000;
	OBJECT_ATTRIBUTES oa = { sizeof(oa) };
	CLIENT_ID cid;
	CONTEXT ctx = { 0 };
	PVOID base = NULL;
	ULONG *top, cs, ss;
	NTSTATUS st;

	st = NtAllocateVirtualMemory((HANDLE)-1, &base, 0, &size,
				     MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
	if (st)
		return st;
	top = (ULONG *)((char *)base + size);
	top[-1] = (ULONG)param;
	top[-2] = 0;				/* return address */
	iteb.StackBase = top;
	iteb.StackLimit = base;
	iteb.AllocatedStackBase = base;
	__asm__("movl %%cs, %0; movl %%ss, %1" : "=r"(cs), "=r"(ss));
	ctx.ContextFlags = CONTEXT_FULL;
	ctx.SegCs = cs;
	ctx.SegSs = ctx.SegDs = ctx.SegEs = ss;
	ctx.SegFs = 0x3b;
	ctx.EFlags = 0x200;
	ctx.Esp = (ULONG)(top - 2);
	ctx.Eip = (ULONG)bare_main;
	return NtCreateThread(h, 0x1f03ff, &oa, (HANDLE)-1, &cid, &ctx, &iteb,
			      FALSE);
}

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	char buf[160];
	HANDLE h;

	_snprintf(buf, sizeof(buf), "main: %s %d %u %s %s %s tls=%s\n",
		  a_value(), a_add(40, 2), (unsigned int)a_strlen("four"),
		  b_message(0), b_message(1), b_from_a(), my_tls());
	out(buf);
	memcpy(my_tls(), "main-tls", 9);	/* the thread gets the template */
	if (RtlCreateUserThread((HANDLE)-1, NULL, FALSE, 0, 0, 0, thread_main,
				NULL, &h, NULL))
		return 1;
	NtWaitForSingleObject(h, FALSE, NULL);
	NtClose(h);
	if (bare_thread(&h))
		return 2;
	NtWaitForSingleObject(h, FALSE, NULL);
	NtClose(h);
	return 7;
}
