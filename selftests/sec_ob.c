// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 12, the object manager's rows, each attacked as an unprivileged
 * uid in the VM:
 *  - row 9: OBJ_PERMANENT needs CAP_SYS_ADMIN (STATUS_PRIVILEGE_NOT_HELD);
 *    a periodic timer stops when its last handle goes, and a process's
 *    timers do not outlive it (debugfs ob/objects "ArmedTimer" and
 *    "Timer" back at their baseline);
 *  - row 11: a named object belongs to its creator: another user cannot
 *    open it (NtOpenXxx, or NtCreateXxx of the existing name), hence not
 *    hold, make temporary or map it; a NULL DACL shares it on purpose;
 *    root opens everything; \BaseNamedObjects is open to all, a user's
 *    own directory is not;
 *  - row 13: keyed events match the key and the process, across users
 *    and within one user.
 *
 * The cross-user tests keep user A (uid 1000) alive in a child of its own
 * while user B (uid 1001) attacks through NT_AS_UID(), sequenced by pipes:
 * a temporary named object lives only as long as its creator's handles.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ob_test.h"
#include "nt_user.h"

#define BNO u"\\BaseNamedObjects\\"

FIXTURE(sec_ob) {
	int unused;
};
NT_GATE_VARIANTS(sec_ob);

FIXTURE_SETUP(sec_ob)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(sec_ob)
{
}

static NTSTATUS mk_event(HANDLE *h, const char16_t *name, ULONG attr, void *sd)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;

	*h = OB_POISON;
	ob_attr(&oa, ob_name(&n, name), attr, NULL);
	oa.SecurityDescriptor = sd;
	return NtCreateEvent(h, EVENT_ALL_ACCESS, &oa, NotificationEvent, 0);
}

static NTSTATUS op_event(HANDLE *h, ACCESS_MASK access, const char16_t *name)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;

	*h = OB_POISON;
	return NtOpenEvent(h, access, ob_attr(&oa, ob_name(&n, name), 0, NULL));
}

static NTSTATUS mk_timer(HANDLE *h, const char16_t *name, ULONG attr)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;

	*h = OB_POISON;
	return NtCreateTimer(h, TIMER_ALL_ACCESS,
			     ob_attr(&oa, name ? ob_name(&n, name) : NULL, attr, NULL),
			     NotificationTimer);
}

static NTSTATUS op_timer(HANDLE *h, const char16_t *name)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;

	*h = OB_POISON;
	return NtOpenTimer(h, TIMER_ALL_ACCESS, ob_attr(&oa, ob_name(&n, name), 0, NULL));
}

/* Every @ms milliseconds from @ms from now. */
static NTSTATUS set_periodic(HANDLE t, long ms)
{
	LARGE_INTEGER due;

	return NtSetTimer(t, ob_ms(&due, ms), NULL, NULL, 0, ms, NULL);
}

/* Poll a debugfs counter until it is @want (up to 2 s); its last value. */
static long live_settles(const char *type, long want)
{
	long n = -1;
	int i;

	for (i = 0; i < 200; i++) {
		n = ob_live(type);
		if (n == want)
			break;
		usleep(10000);
	}
	return n;
}

/* ---- row 9: OBJ_PERMANENT and timers -------------------------------- */

TEST_F(sec_ob, permanent_needs_privilege)
{
	long timers = ob_live("Timer"), armed = ob_live("ArmedTimer");
	HANDLE h;
	NTSTATUS st;

	ASSERT_LE(0, timers);
	EXPECT_LE(0, armed);	/* the counter is new: go on without it */
	NT_AS_USER(variant->gate) {
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD,
			      mk_event(&h, BNO u"sec-ob-perm-ev", OBJ_PERMANENT, NULL));
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD,
			      mk_timer(&h, BNO u"sec-ob-perm-tm", OBJ_PERMANENT));
		if (h != OB_POISON)	/* the old code: leave it running */
			set_periodic(h, 1);
		/* unnamed too: the privilege is about the attribute */
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD,
			      mk_timer(&h, NULL, OBJ_PERMANENT));
		/* without the attribute all is well */
		EXPECT_STATUS(STATUS_SUCCESS, mk_event(&h, BNO u"sec-ob-perm-ev", 0, NULL));
		NtClose(h);	/* not left to the exit teardown, which may lag */
	}
	/* nothing left in the namespace (clean up after the old code) */
	st = op_event(&h, EVENT_ALL_ACCESS, BNO u"sec-ob-perm-ev");
	if (st == STATUS_SUCCESS) {
		NtMakeTemporaryObject(h);
		NtClose(h);
	}
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, st);
	st = op_timer(&h, BNO u"sec-ob-perm-tm");
	if (st == STATUS_SUCCESS) {
		NtCancelTimer(h, NULL);
		NtMakeTemporaryObject(h);
		NtClose(h);
	}
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, st);
	EXPECT_EQ(timers, live_settles("Timer", timers));
	EXPECT_EQ(armed, live_settles("ArmedTimer", armed));
}

TEST_F(sec_ob, permanent_as_root)
{
	long armed = ob_live("ArmedTimer");
	LARGE_INTEGER t;
	HANDLE h, t1;

	ASSERT_LE(0, armed);
	ASSERT_STATUS(STATUS_SUCCESS, mk_event(&h, BNO u"sec-ob-root-ev", OBJ_PERMANENT, NULL));
	NtClose(h);
	ASSERT_STATUS(STATUS_SUCCESS, op_event(&h, EVENT_ALL_ACCESS, BNO u"sec-ob-root-ev"));
	ASSERT_STATUS(STATUS_SUCCESS, NtMakeTemporaryObject(h));
	NtClose(h);
	ASSERT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      op_event(&h, EVENT_ALL_ACCESS, BNO u"sec-ob-root-ev"));

	/* a permanent timer keeps running without a handle, as on NT */
	ASSERT_STATUS(STATUS_SUCCESS, mk_timer(&t1, BNO u"sec-ob-root-tm", OBJ_PERMANENT));
	ASSERT_STATUS(STATUS_SUCCESS, set_periodic(t1, 1));
	NtClose(t1);
	EXPECT_EQ(armed + 1, ob_live("ArmedTimer"));
	ASSERT_STATUS(STATUS_SUCCESS, op_timer(&t1, BNO u"sec-ob-root-tm"));
	EXPECT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(t1, 0, ob_ms(&t, 2000)));
	ASSERT_STATUS(STATUS_SUCCESS, NtMakeTemporaryObject(t1));
	NtClose(t1);
	EXPECT_EQ(armed, live_settles("ArmedTimer", armed));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, op_timer(&t1, BNO u"sec-ob-root-tm"));
}

TEST_F(sec_ob, timer_stops_with_last_handle)
{
	long armed = ob_live("ArmedTimer");
	HANDLE t1, t2;

	ASSERT_LE(0, armed);
	ASSERT_STATUS(STATUS_SUCCESS, mk_timer(&t1, BNO u"sec-ob-last", 0));
	ASSERT_STATUS(STATUS_SUCCESS, set_periodic(t1, 1));
	ASSERT_STATUS(STATUS_SUCCESS, op_timer(&t2, BNO u"sec-ob-last"));
	EXPECT_EQ(armed + 1, ob_live("ArmedTimer"));
	NtClose(t1);
	EXPECT_EQ(armed + 1, ob_live("ArmedTimer"));	/* one handle left */
	NtClose(t2);
	EXPECT_EQ(armed, ob_live("ArmedTimer"));
}

TEST_F(sec_ob, user_timers_die_with_process)
{
	long timers = ob_live("Timer"), armed = ob_live("ArmedTimer");
	NTSTATUS st;
	HANDLE t;

	ASSERT_LE(0, timers);
	EXPECT_LE(0, armed);
	NT_AS_USER(variant->gate) {
		HANDLE h;
		int i;

		/* periodic 1 ms timers, left running at exit */
		for (i = 0; i < 64; i++) {
			ASSERT_STATUS(STATUS_SUCCESS, mk_timer(&h, NULL, 0));
			ASSERT_STATUS(STATUS_SUCCESS, set_periodic(h, 1));
		}
		ASSERT_STATUS(STATUS_SUCCESS, mk_timer(&h, BNO u"sec-ob-exit-tm", 0));
		ASSERT_STATUS(STATUS_SUCCESS, set_periodic(h, 1));
		/* the old code let a user pin one for good */
		if (mk_timer(&h, BNO u"sec-ob-exit-perm", OBJ_PERMANENT) == STATUS_SUCCESS)
			set_periodic(h, 1);
	}
	st = op_timer(&t, BNO u"sec-ob-exit-perm");
	if (st == STATUS_SUCCESS) {
		NtCancelTimer(t, NULL);
		NtMakeTemporaryObject(t);
		NtClose(t);
	}
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, st);
	EXPECT_EQ(armed, live_settles("ArmedTimer", armed));
	EXPECT_EQ(timers, live_settles("Timer", timers));
}

/* ---- row 11: owners ------------------------------------------------- */

/* User A's side: a child that keeps its objects while B attacks. */
struct owner {
	pid_t pid;
	int ready[2];		/* A -> parent: 'y' made, 'n' failed */
	int done[2];		/* parent -> A: go away */
};

static const char sec_data[] = "private data of uid 1000\n";

static NTSTATUS mk_named(NTSTATUS (*fn)(HANDLE *, OBJECT_ATTRIBUTES *, void *),
			 const char16_t *name, void *arg, void *sd, HANDLE *h)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;

	ob_attr(&oa, ob_name(&n, name), 0, NULL);
	oa.SecurityDescriptor = sd;
	return fn(h, &oa, arg);
}

static NTSTATUS a_section(HANDLE *h, OBJECT_ATTRIBUTES *oa, void *arg)
{
	return NtCreateSection(h, SECTION_ALL_ACCESS, oa, NULL, PAGE_READWRITE,
			       SEC_COMMIT, *(HANDLE *)arg);
}

static NTSTATUS a_timer(HANDLE *h, OBJECT_ATTRIBUTES *oa, void *arg)
{
	return NtCreateTimer(h, TIMER_ALL_ACCESS, oa, NotificationTimer);
}

static NTSTATUS a_keyed(HANDLE *h, OBJECT_ATTRIBUTES *oa, void *arg)
{
	return NtCreateKeyedEvent(h, KEYEDEVENT_ALL_ACCESS, oa, 0);
}

static NTSTATUS a_mutant(HANDLE *h, OBJECT_ATTRIBUTES *oa, void *arg)
{
	return NtCreateMutant(h, MUTANT_ALL_ACCESS, oa, 0);
}

static NTSTATUS a_dir(HANDLE *h, OBJECT_ATTRIBUTES *oa, void *arg)
{
	return NtCreateDirectoryObject(h, DIRECTORY_ALL_ACCESS, oa);
}

static NTSTATUS a_event(HANDLE *h, OBJECT_ATTRIBUTES *oa, void *arg)
{
	return NtCreateEvent(h, EVENT_ALL_ACCESS, oa, NotificationEvent, 0);
}

/* "\??\unix" + @path */
static UNICODE_STRING *unix_name(UNICODE_STRING *us, WCHAR *buf, const char *path)
{
	int n = 0;

	for (const char *p = "\\??\\unix"; *p; p++)
		buf[n++] = *p;
	for (; *path; path++)
		buf[n++] = *path == '/' ? '\\' : *path;
	buf[n] = 0;
	us->Length = n * sizeof(WCHAR);
	us->MaximumLength = us->Length + sizeof(WCHAR);
	us->Buffer = buf;
	return us;
}

static NTSTATUS open_file(HANDLE *h, const char *path, ACCESS_MASK access)
{
	IO_STATUS_BLOCK iosb;
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	WCHAR buf[300];

	return NtCreateFile(h, access | SYNCHRONIZE,
			    ob_attr(&oa, unix_name(&us, buf, path), OBJ_CASE_INSENSITIVE, NULL),
			    &iosb, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
			    FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

/* A NULL DACL, absolute and self-relative. */
static SECURITY_DESCRIPTOR null_dacl = {
	.Revision = SECURITY_DESCRIPTOR_REVISION, .Control = SE_DACL_PRESENT,
};
static SECURITY_DESCRIPTOR_RELATIVE null_dacl_rel = {
	.Revision = SECURITY_DESCRIPTOR_REVISION,
	.Control = SE_DACL_PRESENT | SE_SELF_RELATIVE,
};

/* User A: make everything, say so, hold it until told. Exit code = verdict. */
static int owner_main(struct owner *o, const char *path, int gate)
{
	HANDLE f = NULL, h[10];
	char c = 'n';
	int bad = 0;

	if (nt_become(NT_TEST_UID, NT_TEST_GID, gate))
		goto out;
	bad |= open_file(&f, path, GENERIC_READ | GENERIC_WRITE) != STATUS_SUCCESS;
	bad |= mk_named(a_event, BNO u"sec-ob-a-ev", NULL, NULL, &h[0]) != STATUS_SUCCESS;
	bad |= mk_named(a_section, BNO u"sec-ob-a-sec", &f, NULL, &h[1]) != STATUS_SUCCESS;
	bad |= mk_named(a_timer, BNO u"sec-ob-a-tm", NULL, NULL, &h[2]) != STATUS_SUCCESS;
	bad |= mk_named(a_keyed, BNO u"sec-ob-a-ke", NULL, NULL, &h[3]) != STATUS_SUCCESS;
	bad |= mk_named(a_mutant, BNO u"sec-ob-a-mx", NULL, NULL, &h[4]) != STATUS_SUCCESS;
	bad |= mk_named(a_dir, BNO u"sec-ob-a-dir", NULL, NULL, &h[5]) != STATUS_SUCCESS;
	bad |= mk_named(a_event, BNO u"sec-ob-a-world", NULL, &null_dacl, &h[6]) != STATUS_SUCCESS;
	bad |= mk_named(a_event, BNO u"sec-ob-a-world2", NULL, &null_dacl_rel, &h[7]) !=
	       STATUS_SUCCESS;
	bad |= mk_named(a_dir, BNO u"sec-ob-a-wdir", NULL, &null_dacl, &h[8]) != STATUS_SUCCESS;
	/* the owner itself opens its objects */
	bad |= op_event(&h[9], EVENT_ALL_ACCESS, BNO u"sec-ob-a-ev") != STATUS_SUCCESS;
	if (!bad)
		c = 'y';
out:
	if (write(o->ready[1], &c, 1) != 1)
		return 2;
	if (read(o->done[0], &c, 1) < 0)
		return 3;
	return c == 'y' && !bad ? 0 : 1;
}

static int owner_start(struct owner *o, const char *path, int gate)
{
	char c = 0;

	if (pipe(o->ready) || pipe(o->done))
		return -1;
	fflush(stdout);
	fflush(stderr);
	o->pid = fork();
	if (o->pid < 0)
		return -1;
	if (!o->pid)
		_exit(owner_main(o, path, gate));
	if (read(o->ready[0], &c, 1) != 1)
		return -1;
	return c == 'y' ? 0 : -1;
}

/* Let A go; its exit code. */
static int owner_stop(struct owner *o)
{
	int status;

	if (write(o->done[1], "y", 1) != 1)
		return -1;
	while (waitpid(o->pid, &status, 0) < 0)
		;
	close(o->ready[0]);
	close(o->ready[1]);
	close(o->done[0]);
	close(o->done[1]);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(sec_ob, named_objects_belong_to_owner)
{
	struct owner o;
	char path[64], buf[64] = {};
	LARGE_INTEGER off = {};
	void *base = NULL;
	SIZE_T size = 0;
	NTSTATUS st;
	int i;
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	HANDLE h;
	int fd, started;

	o.pid = -1;
	snprintf(path, sizeof(path), "/tmp/sec_ob.%d", getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)sizeof(sec_data) - 1, write(fd, sec_data, sizeof(sec_data) - 1));
	ASSERT_EQ(0, fchown(fd, NT_TEST_UID, NT_TEST_GID));
	close(fd);

	started = owner_start(&o, path, variant->gate);
	EXPECT_EQ(0, started);
	NT_AS_UID(NT_TEST_UID2, NT_TEST_GID2, variant->gate) {
		/* open, hold (access 0), or make temporary (DELETE): denied */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      op_event(&h, EVENT_ALL_ACCESS, BNO u"sec-ob-a-ev"));
		EXPECT_EQ(0, HV(h));	/* pre-written, as ReactOS */
		EXPECT_STATUS(STATUS_ACCESS_DENIED, op_event(&h, 0, BNO u"sec-ob-a-ev"));
		EXPECT_STATUS(STATUS_ACCESS_DENIED, op_event(&h, DELETE, BNO u"sec-ob-a-ev"));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      op_event(&h, MAXIMUM_ALLOWED, BNO u"sec-ob-a-ev"));
		/* NtCreateEvent of an existing name is an open */
		ob_attr(&oa, ob_name(&n, BNO u"sec-ob-a-ev"), OBJ_OPENIF, NULL);
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtCreateEvent(&h, EVENT_ALL_ACCESS, &oa, NotificationEvent, 0));
		/* the section over A's 0600 file: neither open nor map */
		ob_attr(&oa, ob_name(&n, BNO u"sec-ob-a-sec"), 0, NULL);
		h = OB_POISON;
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtOpenSection(&h, SECTION_MAP_READ | SECTION_MAP_WRITE, &oa));
		if (h != OB_POISON) {	/* the old code: B writes A's file */
			if (NtMapViewOfSection(h, NtCurrentProcess(), &base, 0, 0, &off,
					       &size, ViewUnmap, 0,
					       PAGE_READWRITE) == STATUS_SUCCESS)
				memcpy(base, "OWNED", 5);
		}
		EXPECT_STATUS(STATUS_ACCESS_DENIED, NtOpenSection(&h, SECTION_QUERY, &oa));
		/* the other types */
		EXPECT_STATUS(STATUS_ACCESS_DENIED, op_timer(&h, BNO u"sec-ob-a-tm"));
		ob_attr(&oa, ob_name(&n, BNO u"sec-ob-a-ke"), 0, NULL);
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtOpenKeyedEvent(&h, KEYEDEVENT_ALL_ACCESS, &oa));
		ob_attr(&oa, ob_name(&n, BNO u"sec-ob-a-mx"), 0, NULL);
		EXPECT_STATUS(STATUS_ACCESS_DENIED, NtOpenMutant(&h, MUTANT_ALL_ACCESS, &oa));
		ob_attr(&oa, ob_name(&n, BNO u"sec-ob-a-dir"), 0, NULL);
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtOpenDirectoryObject(&h, DIRECTORY_QUERY, &oa));
		/* nor create a name in A's directory */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      mk_event(&h, BNO u"sec-ob-a-dir\\b", 0, NULL));
		/* shared on purpose: a NULL DACL, absolute or self-relative */
		EXPECT_STATUS(STATUS_SUCCESS,
			      op_event(&h, EVENT_ALL_ACCESS, BNO u"sec-ob-a-world"));
		EXPECT_STATUS(STATUS_SUCCESS, NtSetEvent(h, NULL));
		NtClose(h);
		EXPECT_STATUS(STATUS_SUCCESS,
			      op_event(&h, EVENT_ALL_ACCESS, BNO u"sec-ob-a-world2"));
		NtClose(h);
		EXPECT_STATUS(STATUS_SUCCESS, mk_event(&h, BNO u"sec-ob-a-wdir\\b", 0, NULL));
		NtClose(h);
		/* \BaseNamedObjects is everyone's */
		EXPECT_STATUS(STATUS_SUCCESS, mk_event(&h, BNO u"sec-ob-b-ev", 0, NULL));
		NtClose(h);
		/* but '\' is root's */
		EXPECT_STATUS(STATUS_ACCESS_DENIED, mk_event(&h, u"\\sec-ob-b-root", 0, NULL));
	}
	/* root opens everything while A holds it */
	EXPECT_STATUS(STATUS_SUCCESS, op_event(&h, EVENT_ALL_ACCESS, BNO u"sec-ob-a-ev"));
	NtClose(h);
	ob_attr(&oa, ob_name(&n, BNO u"sec-ob-a-sec"), 0, NULL);
	EXPECT_STATUS(STATUS_SUCCESS, NtOpenSection(&h, SECTION_MAP_READ, &oa));
	/* a view never exceeds what the section handle was granted */
	EXPECT_STATUS(STATUS_ACCESS_DENIED,
		      NtMapViewOfSection(h, NtCurrentProcess(), &base, 0, 0, &off, &size,
					 ViewUnmap, 0, PAGE_READWRITE));
	NtClose(h);
	EXPECT_STATUS(STATUS_SUCCESS, op_timer(&h, BNO u"sec-ob-a-tm"));
	NtClose(h);
	ob_attr(&oa, ob_name(&n, BNO u"sec-ob-a-dir"), 0, NULL);
	EXPECT_STATUS(STATUS_SUCCESS, NtOpenDirectoryObject(&h, DIRECTORY_ALL_ACCESS, &oa));
	NtClose(h);
	if (o.pid > 0)
		EXPECT_EQ(0, owner_stop(&o));
	/* A's file is untouched */
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ((ssize_t)sizeof(sec_data) - 1, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	unlink(path);
	EXPECT_STREQ(sec_data, buf);
	/* and A's names went with A (its handles close at teardown, soon after) */
	for (i = 0; i < 200; i++) {
		st = op_event(&h, EVENT_ALL_ACCESS, BNO u"sec-ob-a-ev");
		if (st != STATUS_SUCCESS)
			break;
		NtClose(h);
		usleep(10000);
	}
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND, st);
}

/* A DACL of @n ACEs for Everyone: @types[i] (allow/deny) of @masks[i]. */
static ACL *everyone_dacl(void *buf, int n, const UCHAR *types, const ACCESS_MASK *masks)
{
	static const UCHAR everyone[12] = { 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 };
	ACL *acl = buf;
	UCHAR *p = (UCHAR *)(acl + 1);
	int i;

	memset(acl, 0, sizeof(*acl));
	acl->AclRevision = ACL_REVISION;
	acl->AceCount = n;
	for (i = 0; i < n; i++, p += 20) {
		ACE_HEADER h = { types[i], 0, 20 };

		memcpy(p, &h, sizeof(h));
		memcpy(p + 4, &masks[i], 4);
		memcpy(p + 8, everyone, sizeof(everyone));
	}
	acl->AclSize = p - (UCHAR *)buf;
	return acl;
}

static NTSTATUS mk_event_sd(HANDLE *h, const char16_t *name, ACL *dacl)
{
	SECURITY_DESCRIPTOR sd = {
		.Revision = SECURITY_DESCRIPTOR_REVISION, .Control = SE_DACL_PRESENT,
		.Dacl = dacl,
	};

	return mk_event(h, name, 0, &sd);
}

static ACCESS_MASK granted_of(HANDLE h)
{
	OBJECT_BASIC_INFORMATION b = {};

	NtQueryObject(h, ObjectBasicInformation, &b, sizeof(b), NULL);
	return b.GrantedAccess;
}

/* Root's objects with descriptors; uid 1000 opens them while root holds them. */
TEST_F(sec_ob, security_descriptor_dacl)
{
	static const UCHAR allow[] = { ACCESS_ALLOWED_ACE_TYPE };
	static const UCHAR deny_allow[] = { ACCESS_DENIED_ACE_TYPE, ACCESS_ALLOWED_ACE_TYPE };
	static const ACCESS_MASK query_sync[] = { EVENT_QUERY_STATE | SYNCHRONIZE };
	static const ACCESS_MASK modify_all[] = { EVENT_MODIFY_STATE, GENERIC_ALL };
	SECURITY_DESCRIPTOR bad = { .Revision = 2 };
	uint32_t b1[32], b2[32], b3[4];
	HANDLE r1, r2, r3, h;
	ACL *empty;

	/* captured and checked like Windows does */
	EXPECT_STATUS(STATUS_INVALID_SECURITY_DESCR,
		      mk_event(&h, BNO u"sec-ob-sd-bad", 0, &bad));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      mk_event(&h, BNO u"sec-ob-sd-bad", 0, (void *)16));
	empty = everyone_dacl(b3, 0, NULL, NULL);
	empty->AceCount = 1;	/* an ACE that is not there */
	EXPECT_STATUS(STATUS_INVALID_ACL, mk_event_sd(&h, BNO u"sec-ob-sd-bad", empty));
	EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      op_event(&h, EVENT_ALL_ACCESS, BNO u"sec-ob-sd-bad"));

	ASSERT_STATUS(STATUS_SUCCESS, mk_event_sd(&r1, BNO u"sec-ob-sd-query",
						  everyone_dacl(b1, 1, allow, query_sync)));
	ASSERT_STATUS(STATUS_SUCCESS, mk_event_sd(&r2, BNO u"sec-ob-sd-deny",
						  everyone_dacl(b2, 2, deny_allow, modify_all)));
	empty->AceCount = 0;
	ASSERT_STATUS(STATUS_SUCCESS, mk_event_sd(&r3, BNO u"sec-ob-sd-empty", empty));
	NT_AS_USER(variant->gate) {
		/* Everyone may query and wait, not modify */
		EXPECT_STATUS(STATUS_SUCCESS,
			      op_event(&h, SYNCHRONIZE, BNO u"sec-ob-sd-query"));
		NtClose(h);
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      op_event(&h, EVENT_MODIFY_STATE, BNO u"sec-ob-sd-query"));
		EXPECT_STATUS(STATUS_SUCCESS,
			      op_event(&h, MAXIMUM_ALLOWED, BNO u"sec-ob-sd-query"));
		EXPECT_EQ(EVENT_QUERY_STATE | SYNCHRONIZE, granted_of(h));
		NtClose(h);
		/* the first ACE naming a bit decides it */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      op_event(&h, EVENT_MODIFY_STATE, BNO u"sec-ob-sd-deny"));
		EXPECT_STATUS(STATUS_SUCCESS,
			      op_event(&h, EVENT_QUERY_STATE, BNO u"sec-ob-sd-deny"));
		NtClose(h);
		/* an empty DACL grants Everyone nothing */
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      op_event(&h, SYNCHRONIZE, BNO u"sec-ob-sd-empty"));
	}
	NtClose(r1);
	NtClose(r2);
	NtClose(r3);
}

/* ---- row 13: keyed events ------------------------------------------- */

#define KEY	((void *)0x1230)

/*
 * Process A (as @uid, or root if 0) waits on KEY of the named keyed
 * event for 3 s and exits 0 if that timed out; the caller releases the
 * same key with a short timeout. Nobody from another process may meet A.
 */
static void keyed_across(struct __test_metadata *_metadata, uid_t uid, gid_t gid,
			 int gate, const char16_t *name)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	LARGE_INTEGER t;
	int ready[2], status;
	HANDLE k;
	pid_t pid;
	char c;

	ob_attr(&oa, ob_name(&n, name), 0, NULL);
	oa.SecurityDescriptor = &null_dacl;	/* the other user may open it */
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateKeyedEvent(&k, KEYEDEVENT_ALL_ACCESS, &oa, 0));
	ASSERT_EQ(0, pipe(ready));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		HANDLE mine;
		NTSTATUS st;

		if (uid && nt_become(uid, gid, gate))
			_exit(10);
		if (NtOpenKeyedEvent(&mine, KEYEDEVENT_ALL_ACCESS, &oa))
			_exit(11);
		if (write(ready[1], "y", 1) != 1)
			_exit(12);
		st = NtWaitForKeyedEvent(mine, KEY, 0, ob_ms(&t, 3000));
		_exit(st == STATUS_TIMEOUT ? 0 : st == STATUS_SUCCESS ? 1 : 13);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	usleep(300000);		/* A is queued */
	EXPECT_STATUS(STATUS_TIMEOUT, NtReleaseKeyedEvent(k, KEY, 0, ob_ms(&t, 300)));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(ready[0]);
	close(ready[1]);
	NtClose(k);
}

TEST_F(sec_ob, keyed_event_same_user_other_process)
{
	keyed_across(_metadata, 0, 0, variant->gate, BNO u"sec-ob-keyed-1");
}

TEST_F(sec_ob, keyed_event_other_user)
{
	keyed_across(_metadata, NT_TEST_UID, NT_TEST_GID, variant->gate,
		     BNO u"sec-ob-keyed-2");
}

/* Within one process the rendezvous still works, with a named event too. */
static void *keyed_waiter(void *arg)
{
	LARGE_INTEGER t;

	return (void *)(uintptr_t)NtWaitForKeyedEvent(*(HANDLE *)arg, KEY, 0,
						      ob_ms(&t, 5000));
}

TEST_F(sec_ob, keyed_event_same_process)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	LARGE_INTEGER t;
	pthread_t th;
	void *ret;
	HANDLE k;

	NT_AS_USER(variant->gate) {
		ob_attr(&oa, ob_name(&n, BNO u"sec-ob-keyed-3"), 0, NULL);
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtCreateKeyedEvent(&k, KEYEDEVENT_ALL_ACCESS, &oa, 0));
		ASSERT_EQ(0, pthread_create(&th, NULL, keyed_waiter, &k));
		usleep(100000);
		EXPECT_STATUS(STATUS_SUCCESS,
			      NtReleaseKeyedEvent(k, KEY, 0, ob_ms(&t, 5000)));
		ASSERT_EQ(0, pthread_join(th, &ret));
		EXPECT_STATUS(STATUS_SUCCESS, (NTSTATUS)(uintptr_t)ret);
		NtClose(k);
	}
}

TEST_HARNESS_MAIN
