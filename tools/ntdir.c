// SPDX-License-Identifier: GPL-2.0
/*
 * ntdir: the NT "dir" command, written against libntdll only. Lists a
 * directory (default: the current one) with NtQueryDirectoryFile
 * (FileBothDirectoryInformation), optionally filtered by a wildcard mask,
 * and prints a dir-like listing with NT times and sizes to the console.
 *
 *	ntdir [DIRECTORY [MASK]]	e.g. ntdir C:\etc *.conf
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

/* NT time -> "YYYY-MM-DD HH:MM" (UTC), civil-from-days arithmetic */
static void format_time(long long nt, char *out)
{
	long long secs = nt / 10000000LL - 11644473600LL;
	long long days = secs / 86400, rem = secs % 86400;
	long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned int doe = z - era * 146097;
	unsigned int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned int mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	unsigned int m = mp < 10 ? mp + 3 : mp - 9;
	long long y = yoe + era * 400 + (m <= 2);

	if (rem < 0)
		rem += 86400;
	sprintf(out, "%04lld-%02u-%02u %02lld:%02lld", y, m, d, rem / 3600,
		(rem / 60) % 60);
}

static void report(const char *what, NTSTATUS st)
{
	char msg[512];
	const char *name = NtpStatusName(st);

	snprintf(msg, sizeof(msg), "ntdir: %s: %s (0x%08x)\n", what,
		 name ? name : "?", (unsigned int)st);
	say(msg);
}

int main(int argc, char **argv)
{
	static char buf[65536];
	const char *dir = argc > 1 ? argv[1] : ".";
	UNICODE_STRING dos, name, mask, *pmask = NULL;
	ULONG files = 0, dirs = 0;
	long long bytes = 0;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK iosb;
	BOOLEAN restart = TRUE;
	NTSTATUS st;
	HANDLE h;

	if (!NT_SUCCESS(open_console()))
		return 2;
	if (!RtlCreateUnicodeStringFromAsciiz(&dos, dir) ||
	    !RtlDosPathNameToNtPathName_U(dos.Buffer, &name, NULL, NULL)) {
		report(dir, STATUS_OBJECT_NAME_INVALID);
		return 1;
	}
	if (argc > 2) {
		if (!RtlCreateUnicodeStringFromAsciiz(&mask, argv[2]))
			return 2;
		pmask = &mask;
	}
	InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
	st = NtOpenFile(&h, FILE_LIST_DIRECTORY | SYNCHRONIZE, &oa, &iosb,
			FILE_SHARE_READ | FILE_SHARE_WRITE,
			FILE_SYNCHRONOUS_IO_NONALERT | FILE_DIRECTORY_FILE);
	if (!NT_SUCCESS(st)) {
		report(dir, st);
		return 1;
	}
	say(" Directory of ");
	say(dir);
	say("\n\n");
	for (;;) {
		FILE_BOTH_DIR_INFORMATION *e;

		st = NtQueryDirectoryFile(h, NULL, NULL, NULL, &iosb, buf, sizeof(buf),
					  FileBothDirectoryInformation, FALSE, pmask,
					  restart);
		restart = FALSE;
		if (st != STATUS_SUCCESS)
			break;
		for (e = (void *)buf;; e = (void *)((char *)e + e->NextEntryOffset)) {
			char line[600], when[32], fname[400];
			ANSI_STRING a;
			UNICODE_STRING u = { e->FileNameLength, e->FileNameLength,
					     e->FileName };

			format_time(e->LastWriteTime.QuadPart, when);
			if (NT_SUCCESS(RtlUnicodeStringToAnsiString(&a, &u, TRUE))) {
				snprintf(fname, sizeof(fname), "%.*s", a.Length, a.Buffer);
				RtlFreeAnsiString(&a);
			} else {
				strcpy(fname, "?");
			}
			if (e->FileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
				snprintf(line, sizeof(line), "%s    <DIR>          %s\n",
					 when, fname);
				dirs++;
			} else {
				snprintf(line, sizeof(line), "%s %15lld %s\n", when,
					 (long long)e->EndOfFile.QuadPart, fname);
				files++;
				bytes += e->EndOfFile.QuadPart;
			}
			say(line);
			if (!e->NextEntryOffset)
				break;
		}
	}
	NtClose(h);
	if (st != STATUS_NO_MORE_FILES) {
		report(dir, st);
		return 1;
	}
	snprintf(buf, sizeof(buf), "%16u File(s) %15lld bytes\n%16u Dir(s)\n",
		 (unsigned int)files, bytes, (unsigned int)dirs);
	say(buf);
	return 0;
}
