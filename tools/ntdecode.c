// SPDX-License-Identifier: GPL-2.0
/*
 * ntstrace's decoder: see ntdecode.h. The flag names come from the uapi
 * headers' constants, so a renamed or new flag shows up here by name
 * only once it has a definition there.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <ntdll.h>
#include "ntdecode.h"

unsigned int ntd_strsize = 32;

/* ---- the recorded items (module/dispatch_trace.c) ---- */

#define ITEM_EXIT	0x01
#define ITEM_FAULT	0x02
#define ITEM_TRUNC	0x04

struct item {
	int found;
	unsigned int flags;
	const unsigned char *p;
	size_t len;
};

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static struct item find_item(const unsigned char *d, size_t n, unsigned int param)
{
	struct item it = { 0 };
	size_t off = 0;

	while (d && off + 4 <= n) {
		size_t len = le16(d + off + 2);

		if (off + 4 + len > n)
			break;
		if (d[off] == param) {
			it.found = 1;
			it.flags = d[off + 1];
			it.p = d + off + 4;
			it.len = len;
			return it;
		}
		off += 4 + len;
	}
	return it;
}

/* ---- names of flags and values ---- */

struct name {
	uint32_t v;
	const char *n;
};

#define N(x) { x, #x }

static const struct name generic_rights[] = {
	N(GENERIC_READ), N(GENERIC_WRITE), N(GENERIC_EXECUTE), N(GENERIC_ALL),
	N(MAXIMUM_ALLOWED), N(ACCESS_SYSTEM_SECURITY), N(DELETE),
	N(READ_CONTROL), N(WRITE_DAC), N(WRITE_OWNER), N(SYNCHRONIZE), { 0 }
};

static const struct name file_rights[] = {
	N(FILE_READ_DATA), N(FILE_WRITE_DATA), N(FILE_APPEND_DATA),
	N(FILE_READ_EA), N(FILE_WRITE_EA), N(FILE_EXECUTE),
	N(FILE_DELETE_CHILD), N(FILE_READ_ATTRIBUTES),
	N(FILE_WRITE_ATTRIBUTES), { 0 }
};

static const struct name event_rights[] = {
	N(EVENT_QUERY_STATE), N(EVENT_MODIFY_STATE), { 0 }
};

static const struct name mutant_rights[] = { N(MUTANT_QUERY_STATE), { 0 } };

static const struct name semaphore_rights[] = {
	N(SEMAPHORE_QUERY_STATE), N(SEMAPHORE_MODIFY_STATE), { 0 }
};

static const struct name timer_rights[] = {
	N(TIMER_QUERY_STATE), N(TIMER_MODIFY_STATE), { 0 }
};

static const struct name keyed_event_rights[] = {
	N(KEYEDEVENT_WAIT), N(KEYEDEVENT_WAKE), { 0 }
};

static const struct name completion_rights[] = {
	N(IO_COMPLETION_QUERY_STATE), N(IO_COMPLETION_MODIFY_STATE), { 0 }
};

static const struct name directory_rights[] = {
	N(DIRECTORY_QUERY), N(DIRECTORY_TRAVERSE), N(DIRECTORY_CREATE_OBJECT),
	N(DIRECTORY_CREATE_SUBDIRECTORY), { 0 }
};

/* Rights of objects whose constants uapi does not define (yet). */
static const struct name section_rights[] = {
	{ 0x01, "SECTION_QUERY" }, { 0x02, "SECTION_MAP_WRITE" },
	{ 0x04, "SECTION_MAP_READ" }, { 0x08, "SECTION_MAP_EXECUTE" },
	{ 0x10, "SECTION_EXTEND_SIZE" }, { 0 }
};

static const struct name process_rights[] = {
	{ 0x0001, "PROCESS_TERMINATE" }, { 0x0002, "PROCESS_CREATE_THREAD" },
	{ 0x0004, "PROCESS_SET_SESSIONID" }, { 0x0008, "PROCESS_VM_OPERATION" },
	{ 0x0010, "PROCESS_VM_READ" }, { 0x0020, "PROCESS_VM_WRITE" },
	{ 0x0040, "PROCESS_DUP_HANDLE" }, { 0x0080, "PROCESS_CREATE_PROCESS" },
	{ 0x0100, "PROCESS_SET_QUOTA" }, { 0x0200, "PROCESS_SET_INFORMATION" },
	{ 0x0400, "PROCESS_QUERY_INFORMATION" },
	{ 0x0800, "PROCESS_SUSPEND_RESUME" }, { 0 }
};

static const struct name thread_rights[] = {
	{ 0x0001, "THREAD_TERMINATE" }, { 0x0002, "THREAD_SUSPEND_RESUME" },
	{ 0x0004, "THREAD_ALERT" }, { 0x0008, "THREAD_GET_CONTEXT" },
	{ 0x0010, "THREAD_SET_CONTEXT" }, { 0x0020, "THREAD_SET_INFORMATION" },
	{ 0x0040, "THREAD_QUERY_INFORMATION" },
	{ 0x0080, "THREAD_SET_THREAD_TOKEN" }, { 0x0100, "THREAD_IMPERSONATE" },
	{ 0x0200, "THREAD_DIRECT_IMPERSONATION" }, { 0 }
};

static const struct name key_rights[] = {
	{ 0x01, "KEY_QUERY_VALUE" }, { 0x02, "KEY_SET_VALUE" },
	{ 0x04, "KEY_CREATE_SUB_KEY" }, { 0x08, "KEY_ENUMERATE_SUB_KEYS" },
	{ 0x10, "KEY_NOTIFY" }, { 0x20, "KEY_CREATE_LINK" }, { 0 }
};

static const struct name symlink_rights[] = { { 0x1, "SYMBOLIC_LINK_QUERY" }, { 0 } };

static const struct name share_flags[] = {
	N(FILE_SHARE_READ), N(FILE_SHARE_WRITE), N(FILE_SHARE_DELETE), { 0 }
};

static const struct name dispositions[] = {
	N(FILE_SUPERSEDE), N(FILE_OPEN), N(FILE_CREATE), N(FILE_OPEN_IF),
	N(FILE_OVERWRITE), N(FILE_OVERWRITE_IF), { 0, NULL }
};

static const struct name file_options[] = {
	N(FILE_DIRECTORY_FILE), N(FILE_WRITE_THROUGH), N(FILE_SEQUENTIAL_ONLY),
	N(FILE_NO_INTERMEDIATE_BUFFERING), N(FILE_SYNCHRONOUS_IO_ALERT),
	N(FILE_SYNCHRONOUS_IO_NONALERT), N(FILE_NON_DIRECTORY_FILE),
	N(FILE_CREATE_TREE_CONNECTION), N(FILE_COMPLETE_IF_OPLOCKED),
	N(FILE_NO_EA_KNOWLEDGE), N(FILE_OPEN_FOR_RECOVERY),
	N(FILE_RANDOM_ACCESS), N(FILE_DELETE_ON_CLOSE), N(FILE_OPEN_BY_FILE_ID),
	N(FILE_OPEN_FOR_BACKUP_INTENT), N(FILE_NO_COMPRESSION),
	N(FILE_RESERVE_OPFILTER), N(FILE_OPEN_REPARSE_POINT),
	N(FILE_OPEN_NO_RECALL), N(FILE_OPEN_FOR_FREE_SPACE_QUERY), { 0 }
};

static const struct name file_attributes[] = {
	N(FILE_ATTRIBUTE_READONLY), N(FILE_ATTRIBUTE_HIDDEN),
	N(FILE_ATTRIBUTE_SYSTEM), N(FILE_ATTRIBUTE_DIRECTORY),
	N(FILE_ATTRIBUTE_ARCHIVE), N(FILE_ATTRIBUTE_DEVICE),
	N(FILE_ATTRIBUTE_NORMAL), N(FILE_ATTRIBUTE_TEMPORARY),
	N(FILE_ATTRIBUTE_SPARSE_FILE), N(FILE_ATTRIBUTE_REPARSE_POINT),
	N(FILE_ATTRIBUTE_COMPRESSED), N(FILE_ATTRIBUTE_OFFLINE),
	N(FILE_ATTRIBUTE_NOT_CONTENT_INDEXED), N(FILE_ATTRIBUTE_ENCRYPTED), { 0 }
};

static const struct name page_flags[] = {
	N(PAGE_NOACCESS), N(PAGE_READONLY), N(PAGE_READWRITE),
	N(PAGE_WRITECOPY), N(PAGE_EXECUTE), N(PAGE_EXECUTE_READ),
	N(PAGE_EXECUTE_READWRITE), N(PAGE_EXECUTE_WRITECOPY), N(PAGE_GUARD),
	N(PAGE_NOCACHE), N(PAGE_WRITECOMBINE), { 0 }
};

static const struct name mem_flags[] = {
	N(MEM_COMMIT), N(MEM_RESERVE), N(MEM_DECOMMIT), N(MEM_RELEASE),
	N(MEM_FREE), N(MEM_PRIVATE), N(MEM_MAPPED), N(MEM_RESET),
	N(MEM_TOP_DOWN), N(MEM_WRITE_WATCH), N(MEM_PHYSICAL), N(MEM_IMAGE),
	N(MEM_LARGE_PAGES), N(MEM_4MB_PAGES), { 0 }
};

static const struct name sec_flags[] = {
	N(SEC_FILE), N(SEC_IMAGE), N(SEC_RESERVE), N(SEC_COMMIT),
	N(SEC_NOCACHE), N(SEC_LARGE_PAGES), { 0 }
};

static const struct name obj_flags[] = {
	N(OBJ_INHERIT), N(OBJ_PERMANENT), N(OBJ_EXCLUSIVE),
	N(OBJ_CASE_INSENSITIVE), N(OBJ_OPENIF), N(OBJ_OPENLINK),
	N(OBJ_KERNEL_HANDLE), N(OBJ_FORCE_ACCESS_CHECK), { 0 }
};

static const struct name duplicate_flags[] = {
	{ 1, "DUPLICATE_CLOSE_SOURCE" }, { 2, "DUPLICATE_SAME_ACCESS" },
	{ 4, "DUPLICATE_SAME_ATTRIBUTES" }, { 0 }
};

static const struct name event_types[] = {
	{ 0, "NotificationEvent" }, { 1, "SynchronizationEvent" }, { 0, NULL }
};

static const struct name timer_types[] = {
	{ 0, "NotificationTimer" }, { 1, "SynchronizationTimer" }, { 0, NULL }
};

static const struct name wait_types[] = {
	{ 0, "WaitAll" }, { 1, "WaitAny" }, { 0, NULL }
};

static const struct name file_classes[] = {
	{ 1, "FileDirectoryInformation" }, { 2, "FileFullDirectoryInformation" },
	{ 3, "FileBothDirectoryInformation" }, { 4, "FileBasicInformation" },
	{ 5, "FileStandardInformation" }, { 6, "FileInternalInformation" },
	{ 7, "FileEaInformation" }, { 8, "FileAccessInformation" },
	{ 9, "FileNameInformation" }, { 10, "FileRenameInformation" },
	{ 11, "FileLinkInformation" }, { 12, "FileNamesInformation" },
	{ 13, "FileDispositionInformation" }, { 14, "FilePositionInformation" },
	{ 15, "FileFullEaInformation" }, { 16, "FileModeInformation" },
	{ 17, "FileAlignmentInformation" }, { 18, "FileAllInformation" },
	{ 19, "FileAllocationInformation" }, { 20, "FileEndOfFileInformation" },
	{ 21, "FileAlternateNameInformation" }, { 22, "FileStreamInformation" },
	{ 23, "FilePipeInformation" }, { 24, "FilePipeLocalInformation" },
	{ 25, "FilePipeRemoteInformation" },
	{ 26, "FileMailslotQueryInformation" },
	{ 27, "FileMailslotSetInformation" },
	{ 28, "FileCompressionInformation" }, { 29, "FileObjectIdInformation" },
	{ 30, "FileCompletionInformation" }, { 31, "FileMoveClusterInformation" },
	{ 32, "FileQuotaInformation" }, { 33, "FileReparsePointInformation" },
	{ 34, "FileNetworkOpenInformation" },
	{ 35, "FileAttributeTagInformation" }, { 36, "FileTrackingInformation" },
	{ 37, "FileIdBothDirectoryInformation" },
	{ 38, "FileIdFullDirectoryInformation" },
	{ 39, "FileValidDataLengthInformation" },
	{ 40, "FileShortNameInformation" }, { 0, NULL }
};

static void print_flags(FILE *f, uint32_t v, const struct name *t)
{
	int any = 0;

	for (; t->n; t++) {
		if (t->v && (v & t->v) == t->v) {
			fprintf(f, "%s%s", any ? "|" : "", t->n);
			v &= ~t->v;
			any = 1;
		}
	}
	if (v || !any)
		fprintf(f, any ? "|%#x" : "%#x", v);
}

static void print_enum(FILE *f, uint32_t v, const struct name *t)
{
	for (; t->n; t++)
		if (t->v == v) {
			fputs(t->n, f);
			return;
		}
	fprintf(f, "%#x", v);
}

/* The specific rights of the object a service is about. */
static const struct name *rights_of(const char *svc)
{
	static const struct { const char *word; const struct name *t; } map[] = {
		{ "File", file_rights }, { "KeyedEvent", keyed_event_rights },
		{ "Event", event_rights }, { "Mutant", mutant_rights },
		{ "Semaphore", semaphore_rights }, { "Timer", timer_rights },
		{ "IoCompletion", completion_rights },
		{ "DirectoryObject", directory_rights },
		{ "SymbolicLink", symlink_rights }, { "Section", section_rights },
		{ "Thread", thread_rights }, { "Process", process_rights },
		{ "Key", key_rights },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strstr(svc, map[i].word))
			return map[i].t;
	return NULL;
}

static void print_access(FILE *f, uint32_t v, const char *svc)
{
	const struct name *spec = rights_of(svc);
	uint32_t rest = v;
	int any = 0;
	const struct name *t;

	if (!v) {
		fputs("0", f);
		return;
	}
	for (t = spec; t && t->n; t++)
		if ((rest & t->v) == t->v) {
			fprintf(f, "%s%s", any ? "|" : "", t->n);
			rest &= ~t->v;
			any = 1;
		}
	for (t = generic_rights; t->n; t++)
		if ((rest & t->v) == t->v) {
			fprintf(f, "%s%s", any ? "|" : "", t->n);
			rest &= ~t->v;
			any = 1;
		}
	if (rest)
		fprintf(f, any ? "|%#x" : "%#x", rest);
}

/* A scalar argument whose meaning its parameter name tells. */
static int print_named(FILE *f, const char *pname, uint32_t v, const char *svc)
{
	if (!strcmp(pname, "DesiredAccess") || !strcmp(pname, "GrantedAccess"))
		print_access(f, v, svc);
	else if (!strcmp(pname, "ShareAccess"))
		print_flags(f, v, share_flags);
	else if (!strcmp(pname, "CreateDisposition"))
		print_enum(f, v, dispositions);
	else if (!strcmp(pname, "CreateOptions") || !strcmp(pname, "OpenOptions"))
		print_flags(f, v, file_options);
	else if (!strcmp(pname, "FileAttributes"))
		print_flags(f, v, file_attributes);
	else if (strstr(pname, "Protect"))
		print_flags(f, v, page_flags);
	else if (!strcmp(pname, "AllocationType") || !strcmp(pname, "FreeType"))
		print_flags(f, v, mem_flags);
	else if (!strcmp(pname, "AllocationAttributes"))
		print_flags(f, v, sec_flags);
	else if (!strcmp(pname, "HandleAttributes") || !strcmp(pname, "Attributes"))
		print_flags(f, v, obj_flags);
	else if (!strcmp(pname, "Options") && strstr(svc, "Duplicate"))
		print_flags(f, v, duplicate_flags);
	else if (!strcmp(pname, "EventType"))
		print_enum(f, v, event_types);
	else if (!strcmp(pname, "TimerType"))
		print_enum(f, v, timer_types);
	else if (!strcmp(pname, "WaitType"))
		print_enum(f, v, wait_types);
	else if (!strcmp(pname, "FileInformationClass"))
		print_enum(f, v, file_classes);
	else
		return 0;
	return 1;
}

/* ---- strings and buffers, as strace shows them ---- */

static void put_char(FILE *f, uint32_t c)
{
	switch (c) {
	case '"':
		fputs("\\\"", f);
		return;
	case '\n':
		fputs("\\n", f);
		return;
	case '\t':
		fputs("\\t", f);
		return;
	case '\r':
		fputs("\\r", f);
		return;
	case 0:
		fputs("\\0", f);
		return;
	}
	if (c < 0x20 || c == 0x7f)
		fprintf(f, "\\x%02x", c);
	else if (c < 0x80)
		fputc(c, f);
	else if (c < 0x800)
		fprintf(f, "%c%c", 0xc0 | c >> 6, 0x80 | (c & 0x3f));
	else
		fprintf(f, "%c%c%c", 0xe0 | c >> 12, 0x80 | (c >> 6 & 0x3f),
			0x80 | (c & 0x3f));
}

/* UTF-16LE text: @have bytes recorded of @total. */
static void print_wstr(FILE *f, const unsigned char *p, size_t have, size_t total)
{
	size_t i, n = have / 2;

	if (n > ntd_strsize)
		n = ntd_strsize;
	fputc('"', f);
	for (i = 0; i < n; i++)
		put_char(f, le16(p + 2 * i));
	fputc('"', f);
	if (n * 2 < total)
		fputs("...", f);
}

static void print_bytes(FILE *f, const unsigned char *p, size_t have, size_t total)
{
	size_t i, n = have < ntd_strsize ? have : ntd_strsize;

	fputc('"', f);
	for (i = 0; i < n; i++)
		if (p[i] >= 0x80)
			fprintf(f, "\\x%02x", p[i]);
		else
			put_char(f, p[i]);
	fputc('"', f);
	if (n < total)
		fputs("...", f);
}

/* ---- handles the trace has seen named ---- */

#define MAX_HANDLES 4096

static struct {
	int tgid;
	uint32_t h;
	char *desc;
} handles[MAX_HANDLES];
static unsigned int handle_next;

static const char *handle_desc(int tgid, uint32_t h)
{
	unsigned int i;

	for (i = 0; i < MAX_HANDLES; i++)
		if (handles[i].desc && handles[i].tgid == tgid && handles[i].h == h)
			return handles[i].desc;
	return NULL;
}

static void handle_forget(int tgid, uint32_t h)
{
	unsigned int i;

	for (i = 0; i < MAX_HANDLES; i++)
		if (handles[i].desc && handles[i].tgid == tgid && handles[i].h == h) {
			free(handles[i].desc);
			handles[i].desc = NULL;
		}
}

static void handle_remember(int tgid, uint32_t h, char *desc)
{
	unsigned int i = handle_next++ % MAX_HANDLES;

	handle_forget(tgid, h);
	free(handles[i].desc);
	handles[i].tgid = tgid;
	handles[i].h = h;
	handles[i].desc = desc;
}

static void print_handle(FILE *f, int tgid, uint32_t h)
{
	const char *d = handle_desc(tgid, h);

	if (!h)
		fputs("NULL", f);
	else if (h == 0xffffffff)
		fputs("NtCurrentProcess()", f);
	else if (h == 0xfffffffe)
		fputs("NtCurrentThread()", f);
	else if (d)
		fprintf(f, "%#x<%s>", h, d);
	else
		fprintf(f, "%#x", h);
}

/* ---- one parameter ---- */

struct param {
	char type[128];
	char name[128];
};

/* Split the spec's "TYPE NAME;TYPE NAME" into parameters. */
static unsigned int split_params(const char *s, struct param *p, unsigned int max)
{
	unsigned int n = 0;

	while (s && *s && n < max) {
		const char *end = strchr(s, ';');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		const char *sp;
		char buf[128];

		snprintf(buf, sizeof(buf), "%.*s", (int)len, s);
		sp = strrchr(buf, ' ');
		if (sp && sp[1] == '*')
			sp++;
		if (!sp) {
			snprintf(p[n].type, sizeof(p[n].type), "%s", buf);
			p[n].name[0] = 0;
		} else {
			size_t tl = sp - buf;

			if (*sp == '*')
				tl++, sp++;
			else
				sp++;
			while (sp[0] == '*')
				sp++, tl++;
			snprintf(p[n].type, sizeof(p[n].type), "%.*s", (int)tl, buf);
			snprintf(p[n].name, sizeof(p[n].name), "%s", sp);
		}
		n++;
		s = end ? end + 1 : NULL;
	}
	return n;
}

static void print_oa(FILE *f, const struct item *it, int tgid)
{
	uint32_t root, attr;
	uint16_t len;
	int any = 0;

	if (it->len < 12)
		return;
	root = le32(it->p);
	attr = le32(it->p + 4);
	len = le16(it->p + 8);
	fputc('{', f);
	if (root) {
		fputs("RootDirectory=", f);
		print_handle(f, tgid, root);
		any = 1;
	}
	if (len != 0xffff) {
		if (any)
			fputs(", ", f);
		print_wstr(f, it->p + 12, it->len - 12, len);
		any = 1;
	}
	if (attr) {
		if (any)
			fputs(", ", f);
		print_flags(f, attr, obj_flags);
	}
	fputc('}', f);
}

/* A LARGE_INTEGER time: relative (negative) 100 ns units or absolute. */
static void print_time(FILE *f, int64_t t)
{
	if (t < 0)
		fprintf(f, "%lld.%07llds", (long long)(-t / 10000000),
			(long long)(-t % 10000000));
	else
		fprintf(f, "@%lld", (long long)t);
}

static int is_time_name(const char *n)
{
	/* Timeout, DueTime, ... all contain "Time" */
	return strstr(n, "Time") || strstr(n, "Interval");
}

/* The value a scalar pointer points to, printed by its type and name. */
static void print_pointee(FILE *f, const struct param *p, const unsigned char *d,
			  size_t n, const struct nt_call *c, const char *svc)
{
	const char *t = p->type;

	if (!strncmp(t, "const ", 6))
		t += 6;
	if (!strcmp(t, "HANDLE *") && n >= 4) {
		print_handle(f, c->tgid, le32(d));
	} else if (!strcmp(t, "IO_STATUS_BLOCK *") && n >= 8) {
		const char *sn = NtpStatusName((NTSTATUS)le32(d));

		if (sn)
			fprintf(f, "{%s, %u}", sn, le32(d + 4));
		else
			fprintf(f, "{%#x, %u}", le32(d), le32(d + 4));
	} else if (!strcmp(t, "CLIENT_ID *") && n >= 8) {
		fprintf(f, "{UniqueProcess=%u, UniqueThread=%u}", le32(d), le32(d + 4));
	} else if (strstr(t, "LARGE_INTEGER") && n >= 8) {
		int64_t v = (int64_t)((uint64_t)le32(d + 4) << 32 | le32(d));

		if (is_time_name(p->name))
			print_time(f, v);
		else
			fprintf(f, "%lld", (long long)v);
	} else if (!strcmp(t, "NTSTATUS *") && n >= 4) {
		const char *sn = NtpStatusName((NTSTATUS)le32(d));

		if (sn)
			fputs(sn, f);
		else
			fprintf(f, "%#x", le32(d));
	} else if (!strcmp(t, "BOOLEAN *") && n >= 1) {
		fputs(d[0] ? "TRUE" : "FALSE", f);
	} else if (n >= 4) {
		uint32_t v = le32(d);

		if (!print_named(f, p->name, v, svc)) {
			if (!strcmp(t, "void **") || strstr(p->name, "Address"))
				fprintf(f, "%#x", v);
			else if (!strcmp(t, "LONG *"))
				fprintf(f, "%d", (int32_t)v);
			else
				fprintf(f, "%u", v);
		}
	} else if (n >= 1) {
		fprintf(f, "%u", d[0]);
	}
}

/*
 * How many bytes of an out buffer are meaningful: what the IO_STATUS_BLOCK
 * or a returned length says, else the whole buffer.
 */
static size_t out_count(const struct nt_call *c, const struct param *ps,
			unsigned int np, size_t full)
{
	unsigned int i;

	for (i = 0; i < np; i++) {
		struct item it = find_item(c->out, c->out_len, i);

		if (!it.found || (it.flags & ITEM_FAULT) || it.len < 4)
			continue;
		if (!strcmp(ps[i].type, "IO_STATUS_BLOCK *") && it.len >= 8)
			return le32(it.p + 4) < full ? le32(it.p + 4) : full;
		if (strstr(ps[i].name, "ReturnLength") || strstr(ps[i].name, "ResultLength") ||
		    strstr(ps[i].name, "NumberOfBytes"))
			return le32(it.p) < full ? le32(it.p) : full;
	}
	return full;
}

static void print_param(FILE *f, const struct nt_call *c, const struct ntp_service_info *info,
			const struct param *ps, unsigned int np, unsigned int i)
{
	const struct param *p = &ps[i];
	uint32_t a = c->args[i];
	char k = info->capture && strlen(info->capture) > 2 * i ? info->capture[2 * i] : '.';
	char kind = info->kinds[i];
	struct item in = find_item(c->in, c->in_len, i);
	struct item out = find_item(c->out, c->out_len, i);

	if (kind != 'p') {
		switch (kind) {
		case 'h':
			print_handle(f, c->tgid, a);
			return;
		case 'b':
			fputs((a & 0xff) ? "TRUE" : "FALSE", f);
			return;
		case 's': {
			const char *sn = NtpStatusName((NTSTATUS)a);

			if (sn)
				fputs(sn, f);
			else
				fprintf(f, "%#x", a);
			return;
		}
		}
		if (print_named(f, p->name, a, info->name))
			return;
		if (kind == 'd')
			fprintf(f, "%d", (int32_t)a);
		else if (kind == 'u')
			fprintf(f, "%u", a);
		else
			fprintf(f, "0x%x", a);
		return;
	}
	if (!a) {
		fputs("NULL", f);
		return;
	}
	switch (k) {
	case 'o':
		if (in.found && !(in.flags & ITEM_FAULT)) {
			print_oa(f, &in, c->tgid);
			return;
		}
		break;
	case 's':
		if (in.found && !(in.flags & ITEM_FAULT) && in.len >= 4) {
			print_wstr(f, in.p + 4, in.len - 4, le16(in.p));
			return;
		}
		break;
	case 'r':
	case 'R': {
		const struct item *it = k == 'r' ? &in : &out;
		size_t full, n;

		if (!it->found || (it->flags & ITEM_FAULT) || it->len < 4)
			break;
		full = le32(it->p);
		if (k == 'R')
			full = out_count(c, ps, np, full);
		n = it->len - 4 < full ? it->len - 4 : full;
		if (strstr(p->type, "WCHAR"))
			print_wstr(f, it->p + 4, n, full);
		else
			print_bytes(f, it->p + 4, n, full);
		return;
	}
	case 'b': case 'w': case 'q':
		if (in.found && !(in.flags & ITEM_FAULT)) {
			fputc('[', f);
			print_pointee(f, p, in.p, in.len, c, info->name);
			fputc(']', f);
			return;
		}
		break;
	case 'B': case 'W': case 'Q':
		if (out.found && !(out.flags & ITEM_FAULT)) {
			/* a structure shows as {...}, a value as [...] */
			int brackets = strcmp(p->type, "IO_STATUS_BLOCK *") &&
				       strcmp(p->type, "CLIENT_ID *");

			if (brackets)
				fputc('[', f);
			print_pointee(f, p, out.p, out.len, c, info->name);
			if (brackets)
				fputc(']', f);
			return;
		}
		break;
	case 'X': case 'Y':
		if (in.found && !(in.flags & ITEM_FAULT)) {
			fputc('[', f);
			print_pointee(f, p, in.p, in.len, c, info->name);
			if (out.found && !(out.flags & ITEM_FAULT) &&
			    (out.len != in.len || memcmp(out.p, in.p, in.len))) {
				fputs(" => ", f);
				print_pointee(f, p, out.p, out.len, c, info->name);
			}
			fputc(']', f);
			return;
		}
		break;
	}
	fprintf(f, "%#x", a);
}

void ntd_print_call(FILE *f, const struct nt_call *c)
{
	const struct ntp_service_info *info = NtpServiceInfo(c->nr);
	struct param ps[17];
	unsigned int i, np = 0;

	if (!info) {
		fprintf(f, "NtService_%#x(", c->nr);
		for (i = 0; i < c->nargs && i < 17; i++)
			fprintf(f, "%s%#x", i ? ", " : "", c->args[i]);
		fputc(')', f);
		return;
	}
	if (info->params)
		np = split_params(info->params, ps, 17);
	fprintf(f, "%s(", info->name);
	for (i = 0; i < c->nargs && i < 17; i++) {
		if (i)
			fputs(", ", f);
		if (i < np && i < info->nargs && info->kinds)
			print_param(f, c, info, ps, np, i);
		else
			fprintf(f, "%#x", c->args[i]);
	}
	fputc(')', f);
}

void ntd_print_status(FILE *f, const struct nt_call *c)
{
	const char *sn;

	if (!c->exited) {
		fputs(" = ?", f);
		return;
	}
	sn = NtpStatusName((NTSTATUS)c->status);
	if (sn)
		fprintf(f, " = %s", sn);
	else
		fprintf(f, " = %#010x", c->status);
	if (c->err) {
		const char *en = strerrorname_np(c->err);

		if (en)
			fprintf(f, " (%s)", en);
		else
			fprintf(f, " (errno %d)", c->err);
	}
}

/* "File", "Event", "Directory" from NtCreateFile, NtOpenEvent, ... */
static void object_kind(const char *svc, char *buf, size_t n)
{
	const char *s = svc + 2;
	char *p;

	if (!strncmp(s, "Create", 6))
		s += 6;
	else if (!strncmp(s, "Open", 4))
		s += 4;
	snprintf(buf, n, "%s", s);
	p = strstr(buf, "Object");
	if (p && p != buf)
		*p = 0;
}

void ntd_track_handles(const struct nt_call *c)
{
	const struct ntp_service_info *info = NtpServiceInfo(c->nr);
	struct param ps[17];
	unsigned int i, np;
	int out_h = -1, oa = -1;

	if (!info || !c->exited || (c->status >> 30) == 3)
		return;
	if (!strcmp(info->name, "NtClose") && c->nargs >= 1 && !c->status) {
		handle_forget(c->tgid, c->args[0]);
		return;
	}
	np = split_params(info->params, ps, 17);
	for (i = 0; i < np && i < info->nargs; i++) {
		if (info->capture[2 * i] == 'W' && !strcmp(ps[i].type, "HANDLE *") && out_h < 0)
			out_h = i;
		if (info->capture[2 * i] == 'o' && oa < 0)
			oa = i;
	}
	if (out_h >= 0) {
		struct item h = find_item(c->out, c->out_len, out_h);
		struct item o = oa >= 0 ? find_item(c->in, c->in_len, oa) : (struct item){ 0 };
		char kind[48], *desc;
		char *buf = NULL;
		size_t len = 0;
		FILE *m;

		if (!h.found || (h.flags & ITEM_FAULT) || h.len < 4)
			return;
		m = open_memstream(&buf, &len);
		if (!m)
			return;
		object_kind(info->name, kind, sizeof(kind));
		fputs(kind, m);
		if (o.found && !(o.flags & ITEM_FAULT) && o.len >= 12 &&
		    le16(o.p + 8) != 0xffff) {
			uint32_t root = le32(o.p);
			uint16_t nl = le16(o.p + 8);
			size_t j;

			fputc(' ', m);
			if (root && handle_desc(c->tgid, root)) {
				const char *rd = strchr(handle_desc(c->tgid, root), ' ');

				if (rd)
					fprintf(m, "%s\\", rd + 1);
			}
			for (j = 0; j + 1 < o.len - 12 && j < nl; j += 2)
				put_char(m, le16(o.p + 12 + j));
		}
		fclose(m);
		desc = buf;
		handle_remember(c->tgid, le32(h.p), desc);
	}
}
