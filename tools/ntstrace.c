// SPDX-License-Identifier: GPL-2.0
/*
 * ntstrace [-o FILE] PROGRAM [ARGS]: run PROGRAM and print each NT system
 * call it makes, as strace does for Linux calls:
 *
 *	NtClose(0x1234) = STATUS_INVALID_HANDLE
 *
 * The source is the module's tracepoints ntpersonality:nt_sys_enter and
 * nt_sys_exit, read in binary from a private tracefs instance
 * (instances/ntstrace-PID) that only records the program's tasks
 * (set_event_pid with the event-fork option, so threads and children
 * follow). Event layouts come from the events' format files, so only the
 * field names matter: on entry "nr" (service index), "args" (array of
 * 32-bit words), optionally "nargs" and "name"; on exit "status".
 * Argument formats and names otherwise come from the spec
 * (NtpServiceInfo(), generated from module/nt_services.tbl); status names
 * from NtpStatusName(). Threads other than the first are prefixed "[tid]".
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <ntdll.h>

#define MAX_FIELDS	24
#define MAX_CPUS	64
#define MAX_TASKS	256
#define MAX_ARGS	17

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
	uint32_t nr;
	unsigned int nargs;
	uint32_t args[MAX_ARGS];
	char name[64];
};

static const char *tracefs;
static char inst[256];
static const char *sys_name = "ntpersonality";
static const char *enter_name = "nt_sys_enter";
static const char *exit_name = "nt_sys_exit";
static int nt_events = 1;	/* decode as NT services and statuses */
static struct event ev_enter, ev_exit;
static int hdr_commit_off = 8, hdr_commit_size = 4, hdr_data_off = 12;
static struct pending tasks[MAX_TASKS];
static pid_t child_pid;
static FILE *out;

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
		*br = 0;
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
	memset(&tasks[free_slot], 0, sizeof(tasks[0]));
	tasks[free_slot].tid = tid;
	return &tasks[free_slot];
}

static void print_call(int tid, const struct pending *t)
{
	const struct ntp_service_info *info = nt_events ? NtpServiceInfo(t->nr) : NULL;
	unsigned int i;

	if (tid != child_pid)
		fprintf(out, "[%d] ", tid);
	if (t->name[0])
		fprintf(out, "%s(", t->name);
	else if (info)
		fprintf(out, "%s(", info->name);
	else
		fprintf(out, "%s_%u(", nt_events ? "NtService" : "sys", t->nr);
	for (i = 0; i < t->nargs; i++) {
		char k = (info && i < info->nargs) ? info->kinds[i] : 'x';
		uint32_t a = t->args[i];
		const char *sn;

		if (i)
			fprintf(out, ", ");
		switch (k) {
		case 'p':
			if (a)
				fprintf(out, "0x%x", a);
			else
				fprintf(out, "NULL");
			break;
		case 'b':
			fprintf(out, (a & 0xff) ? "TRUE" : "FALSE");
			break;
		case 'd':
			fprintf(out, "%d", (int32_t)a);
			break;
		case 'u':
			fprintf(out, "%u", a);
			break;
		case 's':
			sn = NtpStatusName((NTSTATUS)a);
			if (sn)
				fprintf(out, "%s", sn);
			else
				fprintf(out, "0x%08x", a);
			break;
		default:	/* h, x */
			fprintf(out, "0x%x", a);
			break;
		}
	}
	fprintf(out, ")");
}

static void on_enter(const unsigned char *rec, int len, int tid)
{
	const struct field *nr = field(&ev_enter, "nr", "id");
	const struct field *args = field(&ev_enter, "args", NULL);
	const struct field *nargs = field(&ev_enter, "nargs", NULL);
	const struct field *name = field(&ev_enter, "name", NULL);
	const struct ntp_service_info *info;
	struct pending *t = task(tid);
	unsigned int i;

	if (!t)
		return;
	if (t->busy) {		/* an enter without exit: the call never returned */
		print_call(tid, t);
		fprintf(out, " = ?\n");
	}
	memset(t->args, 0, sizeof(t->args));
	t->busy = 1;
	t->nr = nr ? (uint32_t)get_field(rec, len, nr, 0) : 0;
	info = nt_events ? NtpServiceInfo(t->nr) : NULL;
	if (nargs)
		t->nargs = get_field(rec, len, nargs, 0);
	else if (info)
		t->nargs = info->nargs;
	else
		t->nargs = args ? args->count : 0;
	if (args && t->nargs > (unsigned int)args->count)
		t->nargs = args->count;
	if (t->nargs > MAX_ARGS)
		t->nargs = MAX_ARGS;
	for (i = 0; args && i < t->nargs; i++)
		t->args[i] = get_field(rec, len, args, i);
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

static void on_exit_event(const unsigned char *rec, int len, int tid)
{
	const struct field *st = field(&ev_exit, "status", "ret");
	struct pending *t = task(tid);
	int64_t v = st ? get_field(rec, len, st, 0) : 0;
	const char *sn;

	if (!t)
		return;
	if (!t->busy) {
		if (tid != child_pid)
			fprintf(out, "[%d] ", tid);
		fprintf(out, "<... resumed>");
	} else {
		print_call(tid, t);
	}
	t->busy = 0;
	sn = nt_events ? NtpStatusName((NTSTATUS)v) : NULL;
	if (sn)
		fprintf(out, " = %s\n", sn);
	else if (nt_events)
		fprintf(out, " = 0x%08x\n", (uint32_t)v);
	else
		fprintf(out, " = %lld\n", (long long)v);
}

/*
 * One page of a per-CPU ring buffer as trace_pipe_raw hands it out: a
 * header (timestamp, commit = bytes of data) and compressed events, each
 * a 32-bit word type_len:5 | time_delta:27 followed by the record.
 */
static void parse_page(const unsigned char *page, size_t size)
{
	const unsigned char *p, *end, *rec;
	uint64_t commit;
	int common_type_size = 2, pid_off = 4;
	const struct field *cpid = field(&ev_enter, "common_pid", NULL);

	if (size < (size_t)hdr_data_off)
		return;
	if (cpid)
		pid_off = cpid->offset;
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
		case 31:		/* absolute time stamp */
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
		if (rec + len > end || len < pid_off + 4)
			continue;
		{
			int id = get_le(rec, common_type_size);
			int tid = (int32_t)get_le(rec + pid_off, 4);

			if (id == ev_enter.id)
				on_enter(rec, len, tid);
			else if (id == ev_exit.id)
				on_exit_event(rec, len, tid);
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
	fprintf(stderr, "usage: ntstrace [-o FILE] PROGRAM [ARGS...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int fds[MAX_CPUS], ncpu = 0, go[2], status = 0, i, done = 0;
	size_t psize = sysconf(_SC_PAGESIZE);
	const char *evspec = getenv("NTSTRACE_EVENTS");
	unsigned char *page;
	char p[512], pid[32];
	int argi = 1;

	out = stderr;
	if (argi + 1 < argc && !strcmp(argv[argi], "-o")) {
		out = fopen(argv[argi + 1], "w");
		if (!out)
			die("%s: %s", argv[argi + 1], strerror(errno));
		argi += 2;
	}
	if (argi >= argc || argv[argi][0] == '-')
		usage();
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

	snprintf(inst, sizeof(inst), "%s/instances/ntstrace-%d", tracefs, (int)getpid());
	if (mkdir(inst, 0700))
		die("%s: %s", inst, strerror(errno));
	atexit(cleanup);

	if (pipe(go))
		die("pipe: %s", strerror(errno));
	child_pid = fork();
	if (child_pid < 0)
		die("fork: %s", strerror(errno));
	if (!child_pid) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 0)	/* EOF: the parent is ready */
			_exit(127);
		close(go[0]);
		execvp(argv[argi], argv + argi);
		fprintf(stderr, "ntstrace: %s: %s\n", argv[argi], strerror(errno));
		_exit(127);
	}
	close(go[0]);

	snprintf(pid, sizeof(pid), "%d", (int)child_pid);
	snprintf(p, sizeof(p), "%s/set_event_pid", inst);
	if (write_file(p, pid))
		die("%s: cannot write", p);
	snprintf(p, sizeof(p), "%s/options/event-fork", inst);
	write_file(p, "1");
	snprintf(p, sizeof(p), "%s/events/%s/%s/enable", inst, sys_name, enter_name);
	if (write_file(p, "1"))
		die("%s: cannot enable", p);
	snprintf(p, sizeof(p), "%s/events/%s/%s/enable", inst, sys_name, exit_name);
	if (write_file(p, "1"))
		die("%s: cannot enable", p);
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
		if (waitpid(child_pid, &status, WNOHANG) == child_pid)
			done = 1;
	}
	/* Events still in flight on other CPUs. */
	while (drain(fds, ncpu, page, psize))
		;
	for (i = 0; i < MAX_TASKS; i++)
		if (tasks[i].busy) {
			print_call(tasks[i].tid, &tasks[i]);
			fprintf(out, " = ?\n");
		}
	for (i = 0; i < ncpu; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	cleanup();
	if (WIFSIGNALED(status)) {
		fprintf(out, "+++ killed by signal %d +++\n", WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	fprintf(out, "+++ exited with %d +++\n", WEXITSTATUS(status));
	return WEXITSTATUS(status);
}
