// SPDX-License-Identifier: GPL-2.0
/*
 * ntstrace: strace for NT system calls.
 *
 *	ntstrace [-f] [-c] [-T] [-tt] [-z|-Z] [-s N] [-e trace=SET] [-o FILE]
 *		 { PROGRAM [ARGS] | -p PID }
 *
 * prints each NT call of PROGRAM (or of the running process PID) as
 *
 *	NtOpenFile([0x10], FILE_READ_DATA|SYNCHRONIZE, {"\??\C:\etc\motd",
 *	  OBJ_CASE_INSENSITIVE}, {STATUS_SUCCESS, 1}, FILE_SHARE_READ,
 *	  FILE_SYNCHRONOUS_IO_NONALERT) = STATUS_SUCCESS
 *
 * The source is the module's tracepoints ntpersonality:nt_sys_enter and
 * nt_sys_exit, read in binary from a private tracefs instance
 * (instances/ntstrace-PID) that only records the traced tasks
 * (set_event_pid, plus the event-fork option with -f so that threads and
 * children follow). Event layouts come from the events' format files, so
 * only the field names matter: on entry "nr" (service index), "args"
 * (32-bit words), optionally "nargs", "name" and "data" (what the module
 * read behind the pointers, module/dispatch_trace.c); on exit "status"
 * and optionally "data". Decoding is ntdecode.c's, from the service spec;
 * times are the ring buffer's, on the instance's "mono" clock.
 *
 * Needs root and tracefs. NTSTRACE_EVENTS=system:enter:exit traces other
 * events of the same shape ("id" and "ret" are accepted for "nr" and
 * "status"); the tests use raw_syscalls:sys_enter:sys_exit to check the
 * ring-buffer reader on kernels without the NT tracepoints.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <ntdll.h>
#include "ntdecode.h"

#define MAX_FIELDS	24
#define MAX_CPUS	64
#define MAX_TASKS	256
#define MAX_ARGS	17
#define MAX_DATA	1100

struct field {
	char name[32];
	int offset;
	int size;		/* of the whole field */
	int count;		/* array elements, 1 for a scalar */
	int is_signed;
	int dataloc;		/* __data_loc: u32 = len << 16 | offset */
};

struct event {
	const char *name;
	int id;
	int nfields;
	struct field f[MAX_FIELDS];
};

/* A task between its enter and exit events. */
struct pending {
	int tid;
	int busy;
	uint64_t t_enter;
	struct nt_call call;
	char name[64];
	unsigned char in[MAX_DATA];
};

/* -c: per service */
struct count {
	unsigned long calls, errors;
	uint64_t ns;
};

static const char *tracefs;
static char inst[256];
static const char *sys_name = "ntpersonality";
static const char *enter_name = "nt_sys_enter";
static const char *exit_name = "nt_sys_exit";
static int nt_events = 1;	/* decode as NT services and statuses */
static struct event ev_enter, ev_exit, ev_errno;
static int have_errno_event;
static int hdr_commit_off = 8, hdr_commit_size = 4, hdr_data_off = 12;
static struct pending tasks[MAX_TASKS];
static pid_t child_pid;		/* the program run, or -p's process */
static FILE *out;

/* options */
static int opt_follow, opt_count, opt_time_spent, opt_abs_time;
static int opt_only_ok, opt_only_failed;
static unsigned char *trace_set;	/* -e trace=: services shown, NULL: all */
static struct count *counts;
static unsigned int nservices;
static int64_t mono_to_real;	/* ns to add to the trace clock for -tt */

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "ntstrace: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

static char *read_file(const char *path)
{
	static char buf[16384];
	int fd = open(path, O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf + total, sizeof(buf) - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = 0;
	return buf;
}

static const char *find_tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char p[128];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/instances", dirs[i]);
		if (!access(p, F_OK))
			return dirs[i];
	}
	return NULL;
}

/* "\tfield:unsigned long args[6];\toffset:12;\tsize:24;\tsigned:0;" */
static void parse_field(struct event *ev, const char *line)
{
	const char *decl = strstr(line, "field:"), *semi, *o, *s, *sg;
	char d[128], *name, *br;
	struct field *f;

	if (!decl || ev->nfields == MAX_FIELDS)
		return;
	decl += 6;
	semi = strchr(decl, ';');
	o = strstr(line, "offset:");
	s = strstr(line, "size:");
	sg = strstr(line, "signed:");
	if (!semi || !o || !s || (size_t)(semi - decl) >= sizeof(d))
		return;
	memcpy(d, decl, semi - decl);
	d[semi - decl] = 0;
	f = &ev->f[ev->nfields++];
	memset(f, 0, sizeof(*f));
	f->offset = atoi(o + 7);
	f->size = atoi(s + 5);
	f->is_signed = sg ? atoi(sg + 7) : 0;
	f->dataloc = !!strstr(d, "__data_loc");
	f->count = 1;
	br = strchr(d, '[');
	if (br && !f->dataloc) {
		f->count = atoi(br + 1);
		*br = 0;
		if (f->count < 1)
			f->count = 1;
	} else if (br) {
		/* "__data_loc u8[] data": the name follows the brackets */
		memmove(br, br + 2, strlen(br + 2) + 1);
	}
	name = strrchr(d, ' ');
	snprintf(f->name, sizeof(f->name), "%.31s", name ? name + 1 : d);
}

static void load_event(struct event *ev, const char *name)
{
	char p[512], *buf, *line, *save;

	ev->name = name;
	snprintf(p, sizeof(p), "%s/events/%s/%s/format", tracefs, sys_name, name);
	buf = read_file(p);
	if (!buf)
		die("no tracepoint %s:%s (%s)", sys_name, name, p);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "ID:", 3))
			ev->id = atoi(line + 3);
		else if (strstr(line, "field:"))
			parse_field(ev, line);
	}
}

static const struct field *field(const struct event *ev, const char *a, const char *b)
{
	int i;

	for (i = 0; i < ev->nfields; i++)
		if (!strcmp(ev->f[i].name, a) || (b && !strcmp(ev->f[i].name, b)))
			return &ev->f[i];
	return NULL;
}

static void load_header_page(void)
{
	char p[512], *buf, *line, *save;

	snprintf(p, sizeof(p), "%s/events/header_page", tracefs);
	buf = read_file(p);
	if (!buf)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *o = strstr(line, "offset:"), *s = strstr(line, "size:");

		if (!o || !s)
			continue;
		if (strstr(line, " commit;")) {
			hdr_commit_off = atoi(o + 7);
			hdr_commit_size = atoi(s + 5);
		} else if (strstr(line, " data;")) {
			hdr_data_off = atoi(o + 7);
		}
	}
}

static uint64_t get_le(const unsigned char *p, int size)
{
	uint64_t v = 0;
	int i;

	for (i = size - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Element i of a field, sign-extended when the field is signed. */
static int64_t get_field(const unsigned char *rec, int len, const struct field *f, int i)
{
	int esz = f->size / f->count;
	int off = f->offset + i * esz;
	uint64_t v;

	if (off + esz > len || esz < 1 || esz > 8)
		return 0;
	v = get_le(rec + off, esz);
	if (f->is_signed && esz < 8 && (v >> (esz * 8 - 1)) & 1)
		v |= ~0ULL << (esz * 8);
	return (int64_t)v;
}

static struct pending *task(int tid)
{
	int i, free_slot = -1;

	for (i = 0; i < MAX_TASKS; i++) {
		if (tasks[i].busy && tasks[i].tid == tid)
			return &tasks[i];
		if (!tasks[i].busy && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0)
		return NULL;
	tasks[free_slot].busy = 0;
	tasks[free_slot].tid = tid;
	return &tasks[free_slot];
}

/* The process a traced thread belongs to, for per-process handle names. */
static int tgid_of(int tid)
{
	static int cache_tid[64], cache_tgid[64];
	static unsigned int next;
	char p[64], *s;
	unsigned int i;
	int tgid = tid;

	for (i = 0; i < 64; i++)
		if (cache_tid[i] == tid)
			return cache_tgid[i];
	snprintf(p, sizeof(p), "/proc/%d/status", tid);
	s = read_file(p);
	if (s && (s = strstr(s, "\nTgid:")))
		tgid = atoi(s + 6);
	i = next++ % 64;
	cache_tid[i] = tid;
	cache_tgid[i] = tgid;
	return tgid;
}

/* A dynamic-array field's bytes in a record. */
static const unsigned char *field_data(const unsigned char *rec, int len,
				       const struct field *f, size_t *n)
{
	uint32_t loc;
	int off, sz;

	*n = 0;
	if (!f || !f->dataloc)
		return NULL;
	loc = get_field(rec, len, f, 0);
	off = loc & 0xffff;
	sz = loc >> 16;
	if (off + sz > len || sz <= 0)
		return NULL;
	*n = sz;
	return rec + off;
}

static int shown(uint32_t nr)
{
	return !trace_set || (nr < nservices && trace_set[nr]);
}

static void print_ts(uint64_t ts)
{
	int64_t real = (int64_t)ts + mono_to_real;
	time_t s = real / 1000000000;
	struct tm tm;

	localtime_r(&s, &tm);
	fprintf(out, "%02d:%02d:%02d.%06ld ", tm.tm_hour, tm.tm_min, tm.tm_sec,
		(long)(real % 1000000000 / 1000));
}

/* The whole line of a call, once its exit is known (or never will be). */
static void print_line(const struct pending *t, uint64_t t_exit)
{
	const struct nt_call *c = &t->call;
	int failed = c->exited && (c->status >> 30) == 3;

	if (opt_count || !shown(c->nr))
		return;
	if ((opt_only_ok && (!c->exited || failed)) ||
	    (opt_only_failed && (!c->exited || !failed)))
		return;
	if (t->tid != child_pid)
		fprintf(out, "[%d] ", t->tid);
	if (opt_abs_time)
		print_ts(t->t_enter);
	if (t->name[0] && !nt_events) {
		unsigned int i;

		fprintf(out, "%s(", t->name);
		for (i = 0; i < c->nargs; i++)
			fprintf(out, "%s0x%x", i ? ", " : "", c->args[i]);
		fputc(')', out);
	} else if (nt_events) {
		ntd_print_call(out, c);
	} else {
		unsigned int i;

		fprintf(out, "sys_%u(", c->nr);
		for (i = 0; i < c->nargs; i++)
			fprintf(out, "%s0x%x", i ? ", " : "", c->args[i]);
		fputc(')', out);
	}
	if (!nt_events && c->exited)
		fprintf(out, " = %d", (int32_t)c->status);
	else
		ntd_print_status(out, c);
	if (opt_time_spent && c->exited)
		fprintf(out, " <%llu.%06llu>",
			(unsigned long long)((t_exit - t->t_enter) / 1000000000),
			(unsigned long long)((t_exit - t->t_enter) / 1000 % 1000000));
	fputc('\n', out);
}

static void on_enter(const unsigned char *rec, int len, int tid, uint64_t ts)
{
	const struct field *nr = field(&ev_enter, "nr", "id");
	const struct field *args = field(&ev_enter, "args", NULL);
	const struct field *nargs = field(&ev_enter, "nargs", NULL);
	const struct field *name = field(&ev_enter, "name", NULL);
	const struct ntp_service_info *info;
	struct pending *t = task(tid);
	struct nt_call *c;
	const unsigned char *d;
	size_t dn;
	unsigned int i;

	if (!t)
		return;
	c = &t->call;
	if (t->busy)		/* an enter without exit: the call never returned */
		print_line(t, ts);
	memset(c, 0, sizeof(*c));
	t->busy = 1;
	t->t_enter = ts;
	c->tgid = nt_events ? tgid_of(tid) : tid;
	c->nr = nr ? (uint32_t)get_field(rec, len, nr, 0) : 0;
	info = nt_events ? NtpServiceInfo(c->nr) : NULL;
	if (nargs)
		c->nargs = get_field(rec, len, nargs, 0);
	else if (info)
		c->nargs = info->nargs;
	else
		c->nargs = args ? args->count : 0;
	if (args && c->nargs > (unsigned int)args->count)
		c->nargs = args->count;
	if (c->nargs > MAX_ARGS)
		c->nargs = MAX_ARGS;
	for (i = 0; args && i < c->nargs; i++)
		c->args[i] = get_field(rec, len, args, i);
	d = field_data(rec, len, field(&ev_enter, "data", NULL), &dn);
	if (d && dn <= sizeof(t->in)) {
		memcpy(t->in, d, dn);
		c->in = t->in;
		c->in_len = dn;
	}
	t->name[0] = 0;
	if (name && name->dataloc) {
		uint32_t loc = get_field(rec, len, name, 0);
		int off = loc & 0xffff, n = loc >> 16;

		if (off + n <= len && n > 0)
			snprintf(t->name, sizeof(t->name), "%.*s", n, (const char *)rec + off);
	} else if (name && name->offset + name->size <= len) {
		snprintf(t->name, sizeof(t->name), "%.*s", name->size,
			 (const char *)rec + name->offset);
	}
}

static void on_exit_event(const unsigned char *rec, int len, int tid, uint64_t ts)
{
	const struct field *st = field(&ev_exit, "status", "ret");
	struct pending *t = task(tid);
	int64_t v = st ? get_field(rec, len, st, 0) : 0;
	struct nt_call *c;

	if (!t)
		return;
	c = &t->call;
	if (!t->busy) {
		if (!opt_count) {
			if (tid != child_pid)
				fprintf(out, "[%d] ", tid);
			fprintf(out, "<... resumed> = %#llx\n", (unsigned long long)v);
		}
		return;
	}
	c->status = (uint32_t)v;
	c->exited = 1;
	if (c->err_status != c->status)
		c->err = 0;
	c->out = field_data(rec, len, field(&ev_exit, "data", NULL), &c->out_len);
	print_line(t, ts);
	/* after the line: a closed handle is shown with its name one last time */
	if (nt_events)
		ntd_track_handles(c);
	if (opt_count && c->nr < nservices && shown(c->nr)) {
		counts[c->nr].calls++;
		counts[c->nr].errors += (c->status >> 30) == 3;
		counts[c->nr].ns += ts - t->t_enter;
	}
	c->out = NULL;
	t->busy = 0;
}

/* A Linux errno became an NTSTATUS inside the task's current call. */
static void on_errno_event(const unsigned char *rec, int len, int tid)
{
	const struct field *e = field(&ev_errno, "err", NULL);
	const struct field *st = field(&ev_errno, "status", NULL);
	struct pending *t = task(tid);

	if (!t || !t->busy || !e || !st)
		return;
	t->call.err = get_field(rec, len, e, 0);
	t->call.err_status = get_field(rec, len, st, 0);
}

/*
 * One page of a per-CPU ring buffer as trace_pipe_raw hands it out: a
 * header (timestamp, commit = bytes of data) and compressed events, each
 * a 32-bit word type_len:5 | time_delta:27 followed by the record. Time
 * is the page's stamp plus the deltas; a time extend carries the high
 * bits of a delta, an absolute stamp replaces the time.
 */
static void parse_page(const unsigned char *page, size_t size)
{
	const unsigned char *p, *end, *rec;
	uint64_t commit, ts;
	int common_type_size = 2, pid_off = 4;
	const struct field *cpid = field(&ev_enter, "common_pid", NULL);

	if (size < (size_t)hdr_data_off)
		return;
	if (cpid)
		pid_off = cpid->offset;
	ts = get_le(page, 8);
	commit = get_le(page + hdr_commit_off, hdr_commit_size) & 0x0fffffffu;
	p = page + hdr_data_off;
	end = p + commit;
	if (end > page + size)
		end = page + size;
	while (p + 4 <= end) {
		uint32_t h = get_le(p, 4);
		unsigned int type_len = h & 0x1f, delta = h >> 5;
		int len;

		switch (type_len) {
		case 29:		/* padding; a null one ends the page */
			if (!delta || p + 8 > end)
				return;
			p += 4 + get_le(p + 4, 4);
			continue;
		case 30:		/* time extend */
			if (p + 8 > end)
				return;
			ts += delta + (get_le(p + 4, 4) << 27);
			p += 8;
			continue;
		case 31:		/* absolute time stamp */
			if (p + 8 > end)
				return;
			ts = (ts & ~((1ULL << 59) - 1)) | delta | (get_le(p + 4, 4) << 27);
			p += 8;
			continue;
		case 0:
			if (p + 8 > end)
				return;
			len = (get_le(p + 4, 4) - 4 + 3) & ~3u;
			rec = p + 8;
			p = rec + len;
			break;
		default:
			len = type_len * 4;
			rec = p + 4;
			p = rec + len;
			break;
		}
		ts += delta;
		if (rec + len > end || len < pid_off + 4)
			continue;
		{
			int id = get_le(rec, common_type_size);
			int tid = (int32_t)get_le(rec + pid_off, 4);

			if (id == ev_enter.id)
				on_enter(rec, len, tid, ts);
			else if (id == ev_exit.id)
				on_exit_event(rec, len, tid, ts);
			else if (have_errno_event && id == ev_errno.id)
				on_errno_event(rec, len, tid);
		}
	}
}

/* Read every page available on every CPU; returns pages read. */
static int drain(int *fds, int ncpu, unsigned char *page, size_t psize)
{
	int i, n = 0;
	ssize_t r;

	for (i = 0; i < ncpu; i++) {
		if (fds[i] < 0)
			continue;
		while ((r = read(fds[i], page, psize)) > 0) {
			parse_page(page, r);
			n++;
		}
	}
	fflush(out);
	return n;
}

static void cleanup(void)
{
	char p[512];

	if (!inst[0])
		return;
	snprintf(p, sizeof(p), "%s/events/enable", inst);
	write_file(p, "0");
	rmdir(inst);
	inst[0] = 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ntstrace [-f] [-c] [-T] [-tt] [-z|-Z] [-s N] [-e trace=SET]\n"
		"                [-o FILE] { PROGRAM [ARGS...] | -p PID }\n"
		"  -f        follow threads and children\n"
		"  -p PID    attach to the running process PID (all its threads)\n"
		"  -e trace=NtCreateFile,NtReadFile,%%file,%%sync,%%memory,%%process\n"
		"  -c        count calls, errors and time per service; no call lines\n"
		"  -T        time spent in each call   -tt  wall-clock time of each call\n"
		"  -z        successful calls only     -Z   failing calls only\n"
		"  -s N      longest string shown (32)\n");
	exit(2);
}

/* Services of a class of -e trace=%CLASS, by the words of their names. */
static int in_class(const char *svc, const char *cls)
{
	static const char *const file[] = { "File", NULL };
	static const char *const sync[] = {
		"Event", "Mutant", "Semaphore", "Timer", "WaitFor",
		"SignalAndWait", "DelayExecution", "IoCompletion", NULL };
	static const char *const memory[] = {
		"VirtualMemory", "Section", "WriteWatch", "UserPhysicalPages",
		"FlushInstructionCache", NULL };
	static const char *const process[] = {
		"Process", "Thread", "Job", "Continue", "TestAlert",
		"RaiseException", "YieldExecution", NULL };
	const char *const *w;

	if (!strcmp(cls, "file"))
		w = file;
	else if (!strcmp(cls, "sync"))
		w = sync;
	else if (!strcmp(cls, "memory"))
		w = memory;
	else if (!strcmp(cls, "process"))
		w = process;
	else
		die("unknown class %%%s (file, sync, memory, process)", cls);
	for (; *w; w++)
		if (strstr(svc, *w))
			return 1;
	return 0;
}

static void parse_trace_set(const char *arg)
{
	char *s, *tok, *save;
	unsigned int i;

	if (strncmp(arg, "trace=", 6))
		die("-e: only trace=SET is supported");
	for (nservices = 0; NtpServiceInfo(nservices); nservices++)
		;
	trace_set = calloc(nservices, 1);
	s = strdup(arg + 6);
	if (!trace_set || !s)
		die("out of memory");
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int found = 0;

		for (i = 0; i < nservices; i++) {
			const char *n = NtpServiceInfo(i)->name;

			if (tok[0] == '%' ? in_class(n, tok + 1) : !strcmp(n, tok) ||
			    (!strncmp(tok, "Zw", 2) && !strcmp(n + 2, tok + 2))) {
				trace_set[i] = 1;
				found = 1;
			}
		}
		if (!found)
			die("-e trace=: no service %s", tok);
	}
	free(s);
}

static int cmp_count(const void *a, const void *b)
{
	const struct count *x = &counts[*(const unsigned int *)a];
	const struct count *y = &counts[*(const unsigned int *)b];

	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	return x->calls < y->calls ? 1 : x->calls > y->calls ? -1 : 0;
}

/* strace -c's table, sorted by time. */
static void print_counts(void)
{
	unsigned int *order = calloc(nservices, sizeof(*order));
	unsigned long calls = 0, errors = 0;
	uint64_t ns = 0;
	unsigned int i, n = 0;

	if (!order)
		return;
	for (i = 0; i < nservices; i++)
		if (counts[i].calls) {
			order[n++] = i;
			calls += counts[i].calls;
			errors += counts[i].errors;
			ns += counts[i].ns;
		}
	qsort(order, n, sizeof(*order), cmp_count);
	fprintf(out, "%% time     seconds  usecs/call     calls    errors service\n");
	fprintf(out, "------ ----------- ----------- --------- --------- ----------------------------\n");
	for (i = 0; i < n; i++) {
		const struct count *c = &counts[order[i]];

		fprintf(out, "%6.2f %11.6f %11llu %9lu ", ns ? 100.0 * c->ns / ns : 0.0,
			c->ns / 1e9, (unsigned long long)(c->ns / 1000 / c->calls), c->calls);
		if (c->errors)
			fprintf(out, "%9lu ", c->errors);
		else
			fprintf(out, "%9s ", "");
		fprintf(out, "%s\n", NtpServiceInfo(order[i])->name);
	}
	fprintf(out, "------ ----------- ----------- --------- --------- ----------------------------\n");
	fprintf(out, "100.00 %11.6f %11llu %9lu ", ns / 1e9,
		(unsigned long long)(calls ? ns / 1000 / calls : 0), calls);
	if (errors)
		fprintf(out, "%9lu ", errors);
	else
		fprintf(out, "%9s ", "");
	fprintf(out, "total\n");
	free(order);
}

/* -p: every thread of PID, as set_event_pid's list. */
static void pid_list(pid_t pid, char *buf, size_t n)
{
	char p[64];
	struct dirent *e;
	size_t len = 0;
	DIR *d;

	snprintf(p, sizeof(p), "/proc/%d/task", (int)pid);
	d = opendir(p);
	if (!d)
		die("-p %d: no such process", (int)pid);
	buf[0] = 0;
	while ((e = readdir(d)) && len + 16 < n)
		if (e->d_name[0] != '.')
			len += snprintf(buf + len, n - len, "%s%s", len ? " " : "", e->d_name);
	closedir(d);
}

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

int main(int argc, char **argv)
{
	int fds[MAX_CPUS], ncpu = 0, go[2], status = 0, i, done = 0, c;
	size_t psize = sysconf(_SC_PAGESIZE);
	const char *evspec = getenv("NTSTRACE_EVENTS");
	pid_t attach_pid = 0;
	unsigned char *page;
	char p[512], pids[4096];
	struct timespec mono, real;

	out = stderr;
	while ((c = getopt(argc, argv, "+cfo:p:s:e:tTzZh")) != -1) {
		switch (c) {
		case 'c':
			opt_count = 1;
			break;
		case 'f':
			opt_follow = 1;
			break;
		case 'o':
			out = fopen(optarg, "w");
			if (!out)
				die("%s: %s", optarg, strerror(errno));
			break;
		case 'p':
			attach_pid = atoi(optarg);
			if (attach_pid <= 0)
				die("-p: bad pid %s", optarg);
			break;
		case 's':
			ntd_strsize = atoi(optarg);
			break;
		case 'e':
			parse_trace_set(optarg);
			break;
		case 't':
			opt_abs_time++;
			break;
		case 'T':
			opt_time_spent = 1;
			break;
		case 'z':
			opt_only_ok = 1;
			break;
		case 'Z':
			opt_only_failed = 1;
			break;
		default:
			usage();
		}
	}
	if ((optind >= argc) == !attach_pid)
		usage();
	if (!nservices)
		for (nservices = 0; NtpServiceInfo(nservices); nservices++)
			;
	counts = calloc(nservices, sizeof(*counts));
	if (!counts)
		die("out of memory");
	if (evspec) {
		static char buf[128];
		char *a, *b;

		snprintf(buf, sizeof(buf), "%s", evspec);
		a = strchr(buf, ':');
		b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			die("NTSTRACE_EVENTS must be system:enter:exit");
		*a = *b = 0;
		sys_name = buf;
		enter_name = a + 1;
		exit_name = b + 1;
		nt_events = !strcmp(sys_name, "ntpersonality");
	}

	tracefs = find_tracefs();
	if (!tracefs)
		die("tracefs not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
	load_header_page();
	load_event(&ev_enter, enter_name);
	load_event(&ev_exit, exit_name);
	snprintf(p, sizeof(p), "%s/events/%s/nt_status_errno/format", tracefs, sys_name);
	if (nt_events && !access(p, F_OK)) {
		load_event(&ev_errno, "nt_status_errno");
		have_errno_event = 1;
	}

	snprintf(inst, sizeof(inst), "%s/instances/ntstrace-%d", tracefs, (int)getpid());
	if (mkdir(inst, 0700))
		die("%s: %s", inst, strerror(errno));
	atexit(cleanup);
	snprintf(p, sizeof(p), "%s/trace_clock", inst);
	write_file(p, "mono");
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	mono_to_real = (real.tv_sec - mono.tv_sec) * 1000000000LL +
		       (real.tv_nsec - mono.tv_nsec);

	if (attach_pid) {
		child_pid = attach_pid;
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
	} else {
		if (pipe(go))
			die("pipe: %s", strerror(errno));
		child_pid = fork();
		if (child_pid < 0)
			die("fork: %s", strerror(errno));
		if (!child_pid) {
			char ch;

			close(go[1]);
			if (read(go[0], &ch, 1) != 0)	/* EOF: the parent is ready */
				_exit(127);
			close(go[0]);
			execvp(argv[optind], argv + optind);
			fprintf(stderr, "ntstrace: %s: %s\n", argv[optind], strerror(errno));
			_exit(127);
		}
		close(go[0]);
	}

	if (attach_pid && opt_follow)
		pid_list(attach_pid, pids, sizeof(pids));
	else
		snprintf(pids, sizeof(pids), "%d", (int)child_pid);
	snprintf(p, sizeof(p), "%s/set_event_pid", inst);
	if (write_file(p, pids))
		die("%s: cannot write", p);
	snprintf(p, sizeof(p), "%s/options/event-fork", inst);
	write_file(p, opt_follow ? "1" : "0");
	snprintf(p, sizeof(p), "%s/events/%s/%s/enable", inst, sys_name, enter_name);
	if (write_file(p, "1"))
		die("%s: cannot enable", p);
	snprintf(p, sizeof(p), "%s/events/%s/%s/enable", inst, sys_name, exit_name);
	if (write_file(p, "1"))
		die("%s: cannot enable", p);
	if (have_errno_event) {
		snprintf(p, sizeof(p), "%s/events/%s/nt_status_errno/enable", inst, sys_name);
		write_file(p, "1");
	}
	for (i = 0; i < MAX_CPUS; i++) {
		snprintf(p, sizeof(p), "%s/per_cpu/cpu%d/trace_pipe_raw", inst, i);
		if (access(p, F_OK))
			break;
		fds[i] = open(p, O_RDONLY | O_NONBLOCK);
		ncpu = i + 1;
	}
	page = malloc(psize);
	if (!page || !ncpu)
		die("cannot read the trace buffers");

	if (attach_pid)
		fprintf(stderr, "ntstrace: Process %d attached\n", (int)attach_pid);
	else
		close(go[1]);		/* let the program run */

	while (!done) {
		struct pollfd pfd[MAX_CPUS];
		int n = 0;

		for (i = 0; i < ncpu; i++) {
			if (fds[i] < 0)
				continue;
			pfd[n].fd = fds[i];
			pfd[n].events = POLLIN;
			n++;
		}
		poll(pfd, n, 100);
		drain(fds, ncpu, page, psize);
		if (attach_pid)
			done = interrupted || kill(attach_pid, 0);
		else if (waitpid(child_pid, &status, WNOHANG) == child_pid)
			done = 1;
	}
	/* Events still in flight on other CPUs. */
	while (drain(fds, ncpu, page, psize))
		;
	for (i = 0; i < MAX_TASKS; i++)
		if (tasks[i].busy)
			print_line(&tasks[i], 0);
	for (i = 0; i < ncpu; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	cleanup();
	if (opt_count)
		print_counts();
	if (attach_pid) {
		fprintf(stderr, "ntstrace: Process %d detached\n", (int)attach_pid);
		return 0;
	}
	if (WIFSIGNALED(status)) {
		fprintf(out, "+++ killed by signal %d +++\n", WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	fprintf(out, "+++ exited with %d +++\n", WEXITSTATUS(status));
	return WEXITSTATUS(status);
}
