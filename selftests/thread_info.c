// SPDX-License-Identifier: GPL-2.0
/*
 * NtSetInformationThread (issue 13) and the NtQueryInformationThread
 * classes that read back what it set.
 *
 * Windows behaviour: ReactOS ntoskrnl/ps/query.c (NtSetInformationThread:
 * exact lengths, priority 1..31, base increments -2..2 and the 16/-16
 * saturations, a zero affinity or one outside the process's refused with
 * STATUS_INVALID_PARAMETER, ThreadHideFromDebugger with length 0,
 * ThreadZeroTlsCell only on the calling thread) and Wine's
 * dlls/ntdll/tests/info.c (test_thread_info, test_HideFromDebugger).
 * Priorities are nice values here: raising one is setpriority(2)'s
 * privilege, STATUS_PRIVILEGE_NOT_HELD without it.
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "nt_test.h"
#include "nt_user.h"

static NTSTATUS set_u32(HANDLE h, THREADINFOCLASS cls, ULONG v)
{
	return NtSetInformationThread(h, cls, &v, sizeof(v));
}

static void prio_of(HANDLE h, LONG *prio, LONG *base)
{
	THREAD_BASIC_INFORMATION tbi;

	memset(&tbi, 0, sizeof(tbi));
	NtQueryInformationThread(h, ThreadBasicInformation, &tbi, sizeof(tbi),
				 NULL);
	*prio = tbi.Priority;
	*base = tbi.BasePriority;
}

static int my_nice(void)
{
	errno = 0;
	return getpriority(PRIO_PROCESS, syscall(SYS_gettid));
}

FIXTURE(thread_info) { int unused; };
NT_GATE_VARIANTS(thread_info);
FIXTURE_SETUP(thread_info) { NT_GATE_SETUP(); }
FIXTURE_TEARDOWN(thread_info)
{
	setpriority(PRIO_PROCESS, syscall(SYS_gettid), 0);
}

TEST_F(thread_info, classes_lengths_and_handles)
{
	ULONG v = 1, buf[2] = { 0, 1 };
	HANDLE q, ev;

	/* classes XP refuses to set, and one past the end */
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtSetInformationThread(NtCurrentThread(), ThreadBasicInformation,
					     &v, sizeof(v)));
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtSetInformationThread(NtCurrentThread(), ThreadAmILastThread,
					     &v, sizeof(v)));
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtSetInformationThread(NtCurrentThread(), 99, &v, sizeof(v)));
	/* exact lengths */
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtSetInformationThread(NtCurrentThread(), ThreadPriority, &v, 3));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtSetInformationThread(NtCurrentThread(), ThreadBasePriority,
					     buf, 8));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtSetInformationThread(NtCurrentThread(), ThreadHideFromDebugger,
					     &v, sizeof(v)));
	/* the buffer: alignment, then the fault */
	EXPECT_STATUS(STATUS_DATATYPE_MISALIGNMENT,
		      NtSetInformationThread(NtCurrentThread(), ThreadAffinityMask,
					     (char *)buf + 1, 4));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtSetInformationThread(NtCurrentThread(), ThreadAffinityMask,
					     (void *)0x1000, 4));
	/* no tokens here */
	EXPECT_STATUS(STATUS_NOT_IMPLEMENTED,
		      set_u32(NtCurrentThread(), ThreadImpersonationToken, 0));
	/* handles: bad, wrong type, without THREAD_SET_INFORMATION */
	EXPECT_STATUS(STATUS_INVALID_HANDLE,
		      set_u32((HANDLE)0x1234, ThreadPriorityBoost, 1));
	ASSERT_STATUS(STATUS_SUCCESS, NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL,
						    NotificationEvent, FALSE));
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      set_u32(ev, ThreadPriorityBoost, 1));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(),
					NtCurrentProcess(), &q,
					THREAD_QUERY_INFORMATION, 0, 0));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, set_u32(q, ThreadPriorityBoost, 1));
	NtClose(q);
	NtClose(ev);
}

TEST_F(thread_info, priorities_are_nice_values)
{
	LONG prio, base;

	prio_of(NtCurrentThread(), &prio, &base);
	EXPECT_EQ(8, prio);
	EXPECT_EQ(0, base);
	/* out of range */
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      set_u32(NtCurrentThread(), ThreadPriority, 0));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      set_u32(NtCurrentThread(), ThreadPriority, 32));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      set_u32(NtCurrentThread(), ThreadBasePriority, 3));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      set_u32(NtCurrentThread(), ThreadBasePriority, (ULONG)-3));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      set_u32(NtCurrentThread(), ThreadBasePriority, 15));
	/* THREAD_PRIORITY_LOWEST: base 6, nice 5 */
	ASSERT_STATUS(STATUS_SUCCESS,
		      set_u32(NtCurrentThread(), ThreadBasePriority, (ULONG)-2));
	prio_of(NtCurrentThread(), &prio, &base);
	EXPECT_EQ(6, prio);
	EXPECT_EQ(-2, base);
	EXPECT_EQ(5, my_nice());
	/* a current priority, the base kept */
	ASSERT_STATUS(STATUS_SUCCESS, set_u32(NtCurrentThread(), ThreadPriority, 10));
	prio_of(NtCurrentThread(), &prio, &base);
	EXPECT_EQ(10, prio);
	EXPECT_EQ(-2, base);
	EXPECT_EQ(-5, my_nice());
	/* saturations: TIME_CRITICAL and IDLE */
	ASSERT_STATUS(STATUS_SUCCESS, set_u32(NtCurrentThread(), ThreadBasePriority, 16));
	prio_of(NtCurrentThread(), &prio, &base);
	EXPECT_EQ(15, prio);
	EXPECT_EQ(16, base);
	ASSERT_STATUS(STATUS_SUCCESS,
		      set_u32(NtCurrentThread(), ThreadBasePriority, (ULONG)-16));
	prio_of(NtCurrentThread(), &prio, &base);
	EXPECT_EQ(1, prio);
	EXPECT_EQ(-16, base);
	EXPECT_EQ(19, my_nice());
	/* a realtime priority is the strongest nice */
	ASSERT_STATUS(STATUS_SUCCESS, set_u32(NtCurrentThread(), ThreadPriority, 24));
	prio_of(NtCurrentThread(), &prio, &base);
	EXPECT_EQ(24, prio);
	EXPECT_EQ(-20, my_nice());
	/* a nice set by Linux is read back as the nearest NT priority */
	ASSERT_EQ(0, setpriority(PRIO_PROCESS, syscall(SYS_gettid), 2));
	prio_of(NtCurrentThread(), &prio, &base);
	EXPECT_EQ(7, prio);
	EXPECT_EQ(-1, base);
}

TEST_F(thread_info, raising_a_priority_needs_the_privilege)
{
	NT_AS_USER(variant->gate) {
		LONG prio, base;

		ASSERT_STATUS(STATUS_SUCCESS,
			      set_u32(NtCurrentThread(), ThreadBasePriority,
				      (ULONG)-1));
		EXPECT_EQ(2, my_nice());
		/* back up is what setpriority(2) refuses a user */
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD,
			      set_u32(NtCurrentThread(), ThreadBasePriority, 0));
		EXPECT_STATUS(STATUS_PRIVILEGE_NOT_HELD,
			      set_u32(NtCurrentThread(), ThreadPriority, 20));
		EXPECT_EQ(2, my_nice());
		prio_of(NtCurrentThread(), &prio, &base);
		EXPECT_EQ(7, prio);
		EXPECT_EQ(-1, base);
		/* lower still is allowed */
		EXPECT_STATUS(STATUS_SUCCESS,
			      set_u32(NtCurrentThread(), ThreadPriority, 2));
		EXPECT_EQ(15, my_nice());
	}
}

TEST_F(thread_info, affinity_within_the_process)
{
	ULONG_PTR procmask = 0, mask = 0, low;
	cpu_set_t set;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationProcess(NtCurrentProcess(),
						ProcessAffinityMask, &procmask,
						sizeof(procmask), NULL));
	ASSERT_NE(0, procmask);
	low = procmask & -procmask;
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      set_u32(NtCurrentThread(), ThreadAffinityMask, 0));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      set_u32(NtCurrentThread(), ThreadAffinityMask, 0x80000000));
	ASSERT_STATUS(STATUS_SUCCESS,
		      set_u32(NtCurrentThread(), ThreadAffinityMask, low));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(NtCurrentThread(), ThreadAffinityMask,
					       &mask, sizeof(mask), NULL));
	EXPECT_EQ(low, mask);
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(set), &set));
	EXPECT_EQ(1, CPU_COUNT(&set));
	EXPECT_TRUE(CPU_ISSET(__builtin_ctz(low), &set));
	ASSERT_STATUS(STATUS_SUCCESS,
		      set_u32(NtCurrentThread(), ThreadAffinityMask, procmask));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(NtCurrentThread(), ThreadAffinityMask,
					       &mask, sizeof(mask), NULL));
	EXPECT_EQ(procmask, mask);
}

struct tls_peer {
	TEB *teb;
	HANDLE self;
	void *exp[TLS_EXPANSION_SLOTS];
	int ready, done;
};

static void *tls_peer_main(void *arg)
{
	struct tls_peer *p = arg;

	p->teb = NtCurrentTeb();
	p->teb->TlsSlots[5] = (void *)0x5555;
	p->exp[3] = (void *)0x3333;
	p->teb->TlsExpansionSlots = p->exp;
	NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(),
			  NtCurrentProcess(), &p->self, 0, 0,
			  DUPLICATE_SAME_ACCESS);
	__atomic_store_n(&p->ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&p->done, __ATOMIC_ACQUIRE))
		usleep(1000);
	p->teb->TlsExpansionSlots = NULL;
	return NULL;
}

TEST_F(thread_info, zero_tls_cell_clears_the_slot_in_every_thread)
{
	static struct tls_peer peer;
	void *mine[TLS_EXPANSION_SLOTS] = { 0 };
	TEB *teb = NtCurrentTeb();
	pthread_t th;

	memset(&peer, 0, sizeof(peer));
	ASSERT_EQ(0, pthread_create(&th, NULL, tls_peer_main, &peer));
	while (!__atomic_load_n(&peer.ready, __ATOMIC_ACQUIRE))
		usleep(1000);
	teb->TlsSlots[5] = (void *)0x5556;
	teb->TlsSlots[6] = (void *)0x6666;
	mine[3] = (void *)0x3334;
	mine[4] = (void *)0x4444;
	teb->TlsExpansionSlots = mine;
	/* only the calling thread may ask */
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      set_u32(peer.self, ThreadZeroTlsCell, 5));
	EXPECT_EQ((void *)0x5555, peer.teb->TlsSlots[5]);
	ASSERT_STATUS(STATUS_SUCCESS, set_u32(NtCurrentThread(), ThreadZeroTlsCell, 5));
	EXPECT_EQ(NULL, teb->TlsSlots[5]);
	EXPECT_EQ(NULL, peer.teb->TlsSlots[5]);
	EXPECT_EQ((void *)0x6666, teb->TlsSlots[6]);
	ASSERT_STATUS(STATUS_SUCCESS,
		      set_u32(NtCurrentThread(), ThreadZeroTlsCell, 64 + 3));
	EXPECT_EQ(NULL, mine[3]);
	EXPECT_EQ(NULL, peer.exp[3]);
	EXPECT_EQ((void *)0x4444, mine[4]);
	/* beyond every slot: nothing to clear */
	EXPECT_STATUS(STATUS_SUCCESS,
		      set_u32(NtCurrentThread(), ThreadZeroTlsCell, 64 + 1024));
	EXPECT_EQ((void *)0x4444, mine[4]);
	teb->TlsExpansionSlots = NULL;
	teb->TlsSlots[6] = NULL;
	__atomic_store_n(&peer.done, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	NtClose(peer.self);
}

TEST_F(thread_info, flags_and_start_address_read_back)
{
	ULONG v = 0xdead;
	BOOLEAN hidden = 0xcc;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(NtCurrentThread(),
					       ThreadHideFromDebugger, &hidden,
					       1, NULL));
	EXPECT_EQ(0, hidden);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtSetInformationThread(NtCurrentThread(),
					     ThreadHideFromDebugger, NULL, 0));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(NtCurrentThread(),
					       ThreadHideFromDebugger, &hidden,
					       1, NULL));
	EXPECT_EQ(1, hidden);

	ASSERT_STATUS(STATUS_SUCCESS,
		      set_u32(NtCurrentThread(), ThreadQuerySetWin32StartAddress,
			      0x401000));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(NtCurrentThread(),
					       ThreadQuerySetWin32StartAddress,
					       &v, sizeof(v), NULL));
	EXPECT_EQ(0x401000, v);

	ASSERT_STATUS(STATUS_SUCCESS,
		      set_u32(NtCurrentThread(), ThreadPriorityBoost, 7));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(NtCurrentThread(),
					       ThreadPriorityBoost, &v,
					       sizeof(v), NULL));
	EXPECT_EQ(1, v);

	/* the previous ideal processor is the "status"; 32 only asks */
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      set_u32(NtCurrentThread(), ThreadIdealProcessor, 33));
	EXPECT_EQ(0, set_u32(NtCurrentThread(), ThreadIdealProcessor, 0));
	EXPECT_EQ(0, set_u32(NtCurrentThread(), ThreadIdealProcessor, 32));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationThread(NtCurrentThread(), ThreadIsIoPending,
					       &v, sizeof(v), NULL));
	EXPECT_EQ(0, v);
}

TEST_HARNESS_MAIN
