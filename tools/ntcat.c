// SPDX-License-Identifier: GPL-2.0
/*
 * ntcat: the NT "type" command, written against libntdll only. Each
 * argument (a DOS path: C:\dir\file, a relative path, or /linux/path) is
 * opened with NtOpenFile, read with NtReadFile and copied to the console
 * (\??\CONOUT$, the process's standard output) with NtWriteFile.
 *
 *	ntcat C:\etc\hostname README.md
 */
#include <stdio.h>
#include <stdlib.h>
#include <ntdll.h>

static HANDLE console;

static void say(const char *s)
{
	IO_STATUS_BLOCK iosb;

	NtWriteFile(console, NULL, NULL, NULL, &iosb, s, strlen(s), NULL, NULL);
}

static NTSTATUS open_console(void)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK iosb;

	RtlInitUnicodeString(&us, u"\\??\\CONOUT$");
	InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, NULL, NULL);
	return NtOpenFile(&console, GENERIC_WRITE | SYNCHRONIZE, &oa, &iosb,
			  FILE_SHARE_READ | FILE_SHARE_WRITE,
			  FILE_SYNCHRONOUS_IO_NONALERT);
}

/* argv is UTF-8: convert, then DOS -> NT ("/x" is a Linux path). */
static BOOLEAN nt_path(const char *arg, UNICODE_STRING *nt)
{
	UNICODE_STRING dos;
	BOOLEAN ok;

	if (!RtlCreateUnicodeStringFromAsciiz(&dos, arg))
		return FALSE;
	if (arg[0] == '/') {
		UNICODE_STRING prefix;
		size_t i;

		RtlInitUnicodeString(&prefix, u"\\??\\unix");
		nt->MaximumLength = prefix.Length + dos.Length + sizeof(WCHAR);
		nt->Buffer = malloc(nt->MaximumLength);
		nt->Length = 0;
		ok = nt->Buffer != NULL;
		if (ok) {
			RtlCopyUnicodeString(nt, &prefix);
			RtlAppendUnicodeStringToString(nt, &dos);
			for (i = 0; i < nt->Length / sizeof(WCHAR); i++)
				if (nt->Buffer[i] == '/')
					nt->Buffer[i] = '\\';
		}
	} else {
		ok = RtlDosPathNameToNtPathName_U(dos.Buffer, nt, NULL, NULL);
	}
	RtlFreeUnicodeString(&dos);
	return ok;
}

static void report(const char *arg, NTSTATUS st)
{
	char msg[512];
	const char *name = NtpStatusName(st);

	snprintf(msg, sizeof(msg), "ntcat: %s: %s (0x%08x)\n", arg,
		 name ? name : "?", (unsigned int)st);
	say(msg);
}

static NTSTATUS cat(const char *arg)
{
	static char buf[65536];
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING name;
	IO_STATUS_BLOCK iosb;
	HANDLE h;
	NTSTATUS st;

	if (!nt_path(arg, &name))
		return STATUS_OBJECT_NAME_INVALID;
	InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
	st = NtOpenFile(&h, GENERIC_READ | SYNCHRONIZE, &oa, &iosb, FILE_SHARE_READ,
			FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
	RtlFreeUnicodeString(&name);
	if (!NT_SUCCESS(st))
		return st;
	for (;;) {
		st = NtReadFile(h, NULL, NULL, NULL, &iosb, buf, sizeof(buf), NULL, NULL);
		if (!NT_SUCCESS(st))
			break;
		st = NtWriteFile(console, NULL, NULL, NULL, &iosb, buf,
				 iosb.Information, NULL, NULL);
		if (!NT_SUCCESS(st))
			break;
	}
	NtClose(h);
	return st == STATUS_END_OF_FILE ? STATUS_SUCCESS : st;
}

int main(int argc, char **argv)
{
	NTSTATUS st;
	int i, rc = 0;

	if (!NT_SUCCESS(open_console()))
		return 2;
	if (argc < 2) {
		say("usage: ntcat FILE...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		st = cat(argv[i]);
		if (!NT_SUCCESS(st)) {
			report(argv[i], st);
			rc = 1;
		}
	}
	NtClose(console);
	return rc;
}
