// SPDX-License-Identifier: GPL-2.0
/*
 * Lock-free name lookups (issue 19) against everything that changes a
 * directory at the same time: creates, opens, closes (the last close
 * removes a temporary name) and rehashes, from several threads and
 * several processes. namespace.c's last_close_races_open_by_name is the
 * test that broke the first lock-free attempt; these widen it.
 *
 * What must hold, whatever the interleaving (the locked lookup gave it):
 * - a name whose holder keeps a handle is always found, also while the
 *   directory's hash is being doubled under the lookup;
 * - a name whose last close returned is never found again;
 * - an open by a thread that itself holds a handle always succeeds;
 * - when everyone is done, no name, object or handle is left.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ob_test.h"

#define BNO u"\\BaseNamedObjects\\"

static NTSTATUS create_event(HANDLE *h, const char16_t *name, ULONG attr, HANDLE root)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;

	*h = OB_POISON;
	return NtCreateEvent(h, EVENT_ALL_ACCESS, ob_attr(&oa, ob_name(&n, name), attr, root),
			     NotificationEvent, 0);
}

static NTSTATUS open_event(HANDLE *h, const char16_t *name, ULONG attr, HANDLE root)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;

	*h = OB_POISON;
	return NtOpenEvent(h, EVENT_ALL_ACCESS, ob_attr(&oa, ob_name(&n, name), attr, root));
}

/* @prefix and 5 digits as UTF-16 into @w (room for 32). */
static const char16_t *num_name(char16_t *w, const char *prefix, unsigned int i)
{
	char a[32];
	int k;

	snprintf(a, sizeof(a), "%s%05u", prefix, i);
	for (k = 0; a[k]; k++)
		w[k] = (unsigned char)a[k];
	w[k] = 0;
	return w;
}

static HANDLE make_dir(const char16_t *name)
{
	UNICODE_STRING n;
	OBJECT_ATTRIBUTES oa;
	HANDLE d = OB_POISON;

	if (NtCreateDirectoryObject(&d, DIRECTORY_ALL_ACCESS,
				    ob_attr(&oa, ob_name(&n, name), 0, NULL)))
		return NULL;
	return d;
}

FIXTURE(ns_race) {
	int unused;
};
NT_GATE_VARIANTS(ns_race);

FIXTURE_SETUP(ns_race)
{
	NT_GATE_SETUP();
}

FIXTURE_TEARDOWN(ns_race)
{
}

/* ---- held names stay found while the hash doubles under the lookups */

#define HELD	32
#define FILLER	6000	/* 16 buckets doubled 9 times */

struct filler {
	HANDLE dir;
	HANDLE h[FILLER];
	atomic_int done;
	long bad;
};

static void *fill(void *arg)
{
	struct filler *f = arg;
	char16_t w[32];
	unsigned int i;

	for (i = 0; i < FILLER; i++)
		if (create_event(&f->h[i], num_name(w, "fill", i), 0, f->dir))
			f->bad++;
	atomic_store(&f->done, 1);
	return NULL;
}

TEST_F(ns_race, held_names_found_while_the_hash_grows)
{
	static struct filler f;
	HANDLE held[HELD], e;
	char16_t w[32];
	unsigned int i, rounds = 0;
	long misses = 0, case_misses = 0;
	pthread_t t;

	memset(&f, 0, sizeof(f));
	f.dir = make_dir(BNO u"ob-race-grow");
	ASSERT_NE(NULL, f.dir);
	for (i = 0; i < HELD; i++)
		ASSERT_STATUS(STATUS_SUCCESS,
			      create_event(&held[i], num_name(w, "held", i), 0, f.dir));
	ASSERT_EQ(0, pthread_create(&t, NULL, fill, &f));
	while (!atomic_load(&f.done)) {
		for (i = 0; i < HELD; i++) {
			if (open_event(&e, num_name(w, "held", i), 0, f.dir))
				misses++;
			else
				NtClose(e);
			if (open_event(&e, num_name(w, "HELD", i), OBJ_CASE_INSENSITIVE,
				       f.dir))
				case_misses++;
			else
				NtClose(e);
		}
		rounds++;
	}
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(0, f.bad);
	EXPECT_EQ(0, misses);
	EXPECT_EQ(0, case_misses);
	TH_LOG("%u rounds of %d opens during %d creates", rounds, 2 * HELD, FILLER);
	/* and every filler name is there once the hash has settled */
	for (i = 0; i < FILLER; i++) {
		ASSERT_STATUS(STATUS_SUCCESS, open_event(&e, num_name(w, "fill", i), 0, f.dir));
		NtClose(e);
	}
	for (i = 0; i < FILLER; i++)
		NtClose(f.h[i]);
	for (i = 0; i < HELD; i++)
		NtClose(held[i]);
	ASSERT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
		      open_event(&e, num_name(w, "held", 0), 0, f.dir));
	NtClose(f.dir);
}

/* ---- a name whose last close returned is gone for every thread */

#define DELETES	3000

static atomic_uint deleted;	/* names 0..deleted-1 are closed for good */
static atomic_int del_stop;

static void *delete_names(void *arg)
{
	HANDLE dir = arg, h, keep[64];
	char16_t w[32];
	unsigned int i, nkeep = 0;
	long bad = 0;

	for (i = 0; i < DELETES; i++) {
		if (create_event(&h, num_name(w, "del", i), 0, dir))
			bad++;
		else
			NtClose(h);
		atomic_store_explicit(&deleted, i + 1, memory_order_release);
		/* now and then a name that stays: the hash grows meanwhile */
		if (i % 47 == 0 && nkeep < 64 &&
		    !create_event(&keep[nkeep], num_name(w, "keep", i), 0, dir))
			nkeep++;
	}
	atomic_store(&del_stop, 1);
	while (nkeep)
		NtClose(keep[--nkeep]);
	return (void *)bad;
}

TEST_F(ns_race, closed_name_never_found_again)
{
	HANDLE dir, e;
	char16_t w[32];
	unsigned int k;
	long found = 0, checks = 0;
	void *bad;
	pthread_t t;

	dir = make_dir(BNO u"ob-race-del");
	ASSERT_NE(NULL, dir);
	atomic_store(&deleted, 0);
	atomic_store(&del_stop, 0);
	ASSERT_EQ(0, pthread_create(&t, NULL, delete_names, dir));
	while (!atomic_load(&del_stop)) {
		k = atomic_load_explicit(&deleted, memory_order_acquire);
		if (!k)
			continue;
		checks++;
		if (open_event(&e, num_name(w, "del", k - 1), 0, dir) !=
		    STATUS_OBJECT_NAME_NOT_FOUND) {
			found++;
			NtClose(e);
		}
	}
	ASSERT_EQ(0, pthread_join(t, &bad));
	EXPECT_EQ(0, (long)bad);
	EXPECT_EQ(0, found);
	TH_LOG("%ld opens of just-closed names, none found", checks);
	NtClose(dir);
}

/* ---- the same few names created, opened and closed everywhere */

#define NAMES	8
#define ROUNDS	1500

/*
 * One worker: create-or-open each name (SUCCESS or NAME_EXISTS), open it
 * again while holding that handle (must succeed: the name cannot go while
 * we hold it), signal it, close both. Another's bare opens meanwhile may
 * find a name or not, and nothing else. Returns the wrong answers seen.
 */
static long churn(HANDLE dir, unsigned int seed)
{
	char16_t w[32];
	unsigned int i, k;
	NTSTATUS st;
	HANDLE a, b;
	long bad = 0;

	for (i = 0; i < ROUNDS; i++) {
		k = (i * 7 + seed) % NAMES;
		num_name(w, "same", k);
		st = create_event(&a, w, OBJ_OPENIF, dir);
		if (st != STATUS_SUCCESS && st != STATUS_OBJECT_NAME_EXISTS) {
			bad++;
			continue;
		}
		if (open_event(&b, w, 0, dir) != STATUS_SUCCESS) {
			bad++;
		} else {
			if (NtSetEvent(b, NULL))
				bad++;
			NtClose(b);
		}
		NtClose(a);
		st = open_event(&b, num_name(w, "same", (k + 3) % NAMES), 0, dir);
		if (st == STATUS_SUCCESS)
			NtClose(b);
		else if (st != STATUS_OBJECT_NAME_NOT_FOUND)
			bad++;
	}
	return bad;
}

struct churner {
	HANDLE dir;
	unsigned int seed;
};

static void *churn_thread(void *arg)
{
	struct churner *c = arg;

	return (void *)churn(c->dir, c->seed);
}

static void expect_all_gone(struct __test_metadata *_metadata, HANDLE dir)
{
	char16_t w[32];
	unsigned int k;
	HANDLE e;

	for (k = 0; k < NAMES; k++)
		EXPECT_STATUS(STATUS_OBJECT_NAME_NOT_FOUND,
			      open_event(&e, num_name(w, "same", k), 0, dir));
}

TEST_F(ns_race, same_names_from_four_threads)
{
	struct churner c[4];
	pthread_t t[4];
	long events = ob_live("Event"), handles;
	void *bad;
	HANDLE dir;
	int i;

	dir = make_dir(BNO u"ob-race-thr");
	ASSERT_NE(NULL, dir);
	handles = ob_handles();
	for (i = 0; i < 4; i++) {
		c[i].dir = dir;
		c[i].seed = i;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, churn_thread, &c[i]));
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &bad));
		EXPECT_EQ(0, (long)bad);
	}
	expect_all_gone(_metadata, dir);
	if (events >= 0)
		EXPECT_EQ(events, ob_live("Event"));
	if (handles >= 0)
		EXPECT_EQ(handles, ob_handles());
	NtClose(dir);
}

TEST_F(ns_race, same_names_from_four_processes)
{
	long events = ob_live("Event");
	pid_t pid[3];
	int i, status;
	HANDLE dir;
	long bad;

	/* the children inherit the directory handle, as fds at fork */
	dir = make_dir(BNO u"ob-race-proc");
	ASSERT_NE(NULL, dir);
	for (i = 0; i < 3; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i])
			_exit(churn(dir, i + 1) ? 1 : 0);
	}
	bad = churn(dir, 0);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_EQ(0, status);
	}
	EXPECT_EQ(0, bad);
	expect_all_gone(_metadata, dir);
	if (events >= 0)
		EXPECT_EQ(events, ob_live("Event"));
	NtClose(dir);
}

/* ---- a handle looked up while another thread closes and reuses it */

static atomic_int reuse_stop;
static atomic_uint reuse_value;

/*
 * Close and re-create, so that the same handle value (LIFO reuse) and the
 * same entry memory (SLAB_TYPESAFE_BY_RCU) name an event with every
 * right, a semaphore, then an event with SYNCHRONIZE only, again and
 * again.
 */
static void *reuser(void *arg)
{
	OBJECT_ATTRIBUTES oa;
	HANDLE h;
	long bad = 0;
	int i;

	(void)arg;
	ob_attr(&oa, NULL, 0, NULL);
	for (i = 0; !atomic_load(&reuse_stop); i++) {
		NTSTATUS st;

		switch (i % 3) {
		case 0:
			st = NtCreateEvent(&h, EVENT_ALL_ACCESS, &oa, NotificationEvent, 0);
			break;
		case 1:
			st = NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, &oa, 0, 1 << 30);
			break;
		default:
			st = NtCreateEvent(&h, SYNCHRONIZE, &oa, NotificationEvent, 0);
			break;
		}
		if (st) {
			bad++;
			continue;
		}
		atomic_store(&reuse_value, HV(h));
		NtClose(h);
	}
	return (void *)bad;
}

TEST_F(ns_race, handle_lookup_races_close_and_reuse)
{
	long ok = 0, gone = 0, other = 0, wrong = 0, events = ob_live("Event");
	unsigned int v;
	void *bad;
	pthread_t t;
	int i;

	atomic_store(&reuse_stop, 0);
	atomic_store(&reuse_value, 0);
	ASSERT_EQ(0, pthread_create(&t, NULL, reuser, NULL));
	while (!atomic_load(&reuse_value))
		sched_yield();
	for (i = 0; i < 100000; i++) {
		NTSTATUS st;

		v = atomic_load(&reuse_value);
		st = NtSetEvent((HANDLE)(uintptr_t)v, NULL);
		if (st == STATUS_SUCCESS)
			ok++;
		else if (st == STATUS_INVALID_HANDLE)
			gone++;
		else if (st == STATUS_OBJECT_TYPE_MISMATCH || st == STATUS_ACCESS_DENIED)
			other++;	/* the semaphore, the SYNCHRONIZE-only event */
		else
			wrong++;
	}
	atomic_store(&reuse_stop, 1);
	ASSERT_EQ(0, pthread_join(t, &bad));
	EXPECT_EQ(0, (long)bad);
	EXPECT_EQ(0, wrong);
	EXPECT_EQ(100000, ok + gone + other);
	if (events >= 0)
		EXPECT_EQ(events, ob_live("Event"));
	TH_LOG("set %ld, invalid %ld, mismatch or denied %ld", ok, gone, other);
}

TEST_HARNESS_MAIN
