/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the object manager and synchronization selftests
 * (handle, namespace, event, mutant, semaphore, wait, timer, keyed_event,
 * stress): names, attributes, timeouts, debugfs counters, and blocking
 * proofs the ntsync way (a thread plus a bounded join).
 */
#ifndef OB_TEST_H
#define OB_TEST_H

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <uchar.h>
#include "nt_test.h"

/* The harness compares int literals with unsigned fields everywhere. */
#pragma GCC diagnostic ignored "-Wsign-compare"

/* A UNICODE_STRING over a u"" literal (not copied). */
static inline UNICODE_STRING *ob_name(UNICODE_STRING *us, const char16_t *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	us->Length = n * sizeof(WCHAR);
	us->MaximumLength = us->Length + sizeof(WCHAR);
	us->Buffer = (WCHAR *)s;
	return us;
}

static inline OBJECT_ATTRIBUTES *ob_attr(OBJECT_ATTRIBUTES *oa, UNICODE_STRING *name,
					 ULONG attributes, HANDLE root)
{
	memset(oa, 0, sizeof(*oa));
	oa->Length = sizeof(*oa);
	oa->RootDirectory = root;
	oa->ObjectName = name;
	oa->Attributes = attributes;
	return oa;
}

/* A relative NT timeout of @ms milliseconds (negative 100 ns units). */
static inline LARGE_INTEGER *ob_ms(LARGE_INTEGER *li, long long ms)
{
	li->QuadPart = -ms * 10000;
	return li;
}

#define OB_POISON	((HANDLE)0xdeadbeef)
/* A handle as an integer, for the harness's comparisons. */
#define HV(h)		((uintptr_t)(h))

/* Live objects of one type, from debugfs; -1 if unreadable. */
static inline long ob_live(const char *type)
{
	FILE *f = fopen("/sys/kernel/debug/ntpersonality/ob/objects", "r");
	char name[64];
	long n, ret = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", name, &n) == 2)
		if (!strcmp(name, type))
			ret = n;
	fclose(f);
	return ret;
}

static inline long ob_handles(void)
{
	FILE *f = fopen("/sys/kernel/debug/ntpersonality/ob/handles", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/*
 * A wait in another thread: start it, prove it blocks (a 100 ms bounded
 * join must time out), release, then join it for its status.
 */
struct ob_waiter {
	pthread_t thread;
	HANDLE objs[MAXIMUM_WAIT_OBJECTS];
	ULONG count;
	WAIT_TYPE type;
	BOOLEAN alertable;
	LARGE_INTEGER *timeout;
	NTSTATUS status;
	HANDLE self;		/* a real handle to the waiting thread */
	volatile int ready;
};

static void *ob_waiter_main(void *arg)
{
	struct ob_waiter *w = arg;

	if (NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(),
			      NtCurrentProcess(), &w->self, 0, 0,
			      DUPLICATE_SAME_ACCESS))
		w->self = NULL;
	w->ready = 1;
	if (w->count == 1)
		w->status = NtWaitForSingleObject(w->objs[0], w->alertable, w->timeout);
	else
		w->status = NtWaitForMultipleObjects(w->count, w->objs, w->type,
						     w->alertable, w->timeout);
	return NULL;
}

static inline int ob_waiter_start(struct ob_waiter *w)
{
	w->status = (NTSTATUS)0xdeadbeef;
	w->ready = 0;
	if (pthread_create(&w->thread, NULL, ob_waiter_main, w))
		return -1;
	while (!w->ready)
		sched_yield();
	return 0;
}

/* 0 if the thread finished within @ms, else ETIMEDOUT. */
static inline int ob_waiter_join(struct ob_waiter *w, int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	return pthread_timedjoin_np(w->thread, NULL, &ts);
}

#endif /* OB_TEST_H */
