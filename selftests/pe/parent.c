// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 14's parent: starts child.exe (next to itself) through
 * RtlCreateUserProcess, resumes its thread, waits on its process handle
 * and reads the child's exit code with
 * NtQueryInformationProcess(ProcessBasicInformation): final the moment the
 * wait returns, as on XP, so it is read once.
 * Prints what it saw; exits 0 when the child's code was 42.
 */
#include "native.h"

/* XP's, which mingw's headers do not declare */
typedef struct {
	ULONG Length;
	HANDLE ProcessHandle;
	HANDLE ThreadHandle;
	CLIENT_ID ClientId;
	BYTE ImageInformation[0x30];	/* SECTION_IMAGE_INFORMATION */
} RTL_USER_PROCESS_INFORMATION;

NTSTATUS NTAPI RtlCreateProcessParameters(PRTL_USER_PROCESS_PARAMETERS *pp,
					  PUNICODE_STRING ImagePathName,
					  PUNICODE_STRING DllPath,
					  PUNICODE_STRING CurrentDirectory,
					  PUNICODE_STRING CommandLine,
					  PWSTR Environment,
					  PUNICODE_STRING WindowTitle,
					  PUNICODE_STRING DesktopInfo,
					  PUNICODE_STRING ShellInfo,
					  PUNICODE_STRING RuntimeData);
NTSTATUS NTAPI RtlDestroyProcessParameters(PRTL_USER_PROCESS_PARAMETERS pp);
NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName,
				    ULONG Attributes,
				    PRTL_USER_PROCESS_PARAMETERS ProcessParameters,
				    PVOID ProcessSecurityDescriptor,
				    PVOID ThreadSecurityDescriptor,
				    HANDLE ParentProcess, BOOLEAN InheritHandles,
				    HANDLE DebugPort, HANDLE ExceptionPort,
				    RTL_USER_PROCESS_INFORMATION *Info);
NTSTATUS NTAPI NtResumeThread(HANDLE Thread, PULONG SuspendCount);

static void say(const char *fmt, unsigned long a, unsigned long b)
{
	char buf[128];

	_snprintf(buf, sizeof(buf), fmt, a, b);
	out(buf);
}

NTSTATUS NTAPI NtProcessStartup(PPEB peb)
{
	UNICODE_STRING *self = &peb->ProcessParameters->ImagePathName;
	static const WCHAR child[] = L"child.exe";
	PROCESS_BASIC_INFORMATION pbi;
	RTL_USER_PROCESS_INFORMATION info;
	PRTL_USER_PROCESS_PARAMETERS pp;
	WCHAR path[512];
	UNICODE_STRING us;
	NTSTATUS st;
	int n = self->Length / 2;

	/* child.exe in our directory: \??\unix\...\parent.exe */
	while (n > 0 && self->Buffer[n - 1] != L'\\')
		n--;
	if (n + 10 > 512)
		return 2;
	memcpy(path, self->Buffer, n * 2);
	memcpy(path + n, child, sizeof(child));
	us.Buffer = path;
	us.Length = (n + 9) * 2;
	us.MaximumLength = us.Length + 2;

	st = RtlCreateProcessParameters(&pp, &us, NULL, NULL, NULL, NULL, NULL,
					NULL, NULL, NULL);
	if (st) {
		say("RtlCreateProcessParameters %08lx\n", st, 0);
		return 3;
	}
	memset(&info, 0, sizeof(info));
	st = RtlCreateUserProcess(&us, OBJ_CASE_INSENSITIVE, pp, NULL, NULL,
				  NULL, FALSE, NULL, NULL, &info);
	RtlDestroyProcessParameters(pp);
	if (st) {
		say("RtlCreateUserProcess %08lx\n", st, 0);
		return 4;
	}
	say("info %lu, same pid and tid %lu\n", info.Length,
	    info.ClientId.UniqueProcess == info.ClientId.UniqueThread);
	st = NtResumeThread(info.ThreadHandle, NULL);
	if (!st)
		st = NtWaitForSingleObject(info.ProcessHandle, FALSE, NULL);
	if (st) {
		say("resume/wait %08lx\n", st, 0);
		return 5;
	}
	st = NtQueryInformationProcess(info.ProcessHandle, ProcessBasicInformation,
				       &pbi, sizeof(pbi), NULL);
	say("child exit code %lu, query %08lx\n", pbi.ExitStatus, st);
	NtClose(info.ThreadHandle);
	NtClose(info.ProcessHandle);
	return st || pbi.ExitStatus != 42;
}
