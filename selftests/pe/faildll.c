// SPDX-License-Identifier: GPL-2.0
/*
 * DLLs whose LdrLoadDll fails after they are mapped (ldrfail.exe), all
 * importing testc.dll: FAIL_DEP also imports from xnosuch.dll, which does not
 * exist, FAIL_IMP a name testc.dll does not export, FAIL_INIT returns
 * FALSE from DllMain, FAIL_PIN too after its DllMain's own LdrLoadDll
 * of testc.dll (which the failed load had mapped).
 */
#include "native.h"

int __stdcall c_twice(int x);
#if defined(FAIL_DEP)
int __stdcall nd_value(int x);
#elif defined(FAIL_IMP)
int __stdcall c_missing(int x);
#endif

int __stdcall f_use(int x)
{
#if defined(FAIL_DEP)
	return c_twice(nd_value(x));
#elif defined(FAIL_IMP)
	return c_twice(c_missing(x));
#else
	return c_twice(x);
#endif
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
	char buf[64];

	_snprintf(buf, sizeof(buf), "F: DllMain %lu\n", reason);
	out(buf);
#if defined(FAIL_PIN)
	if (reason == DLL_PROCESS_ATTACH) {
		UNICODE_STRING tc;
		PVOID c;

		RtlInitUnicodeString(&tc, L"testc.dll");
		_snprintf(buf, sizeof(buf), "F: LdrLoadDll 0x%08lx\n",
			  LdrLoadDll(NULL, NULL, &tc, &c));
		out(buf);
	}
	return reason != DLL_PROCESS_ATTACH;
#elif defined(FAIL_INIT)
	return reason != DLL_PROCESS_ATTACH;
#else
	return TRUE;
#endif
}
