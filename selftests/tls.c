// SPDX-License-Identifier: GPL-2.0
/*
 * TLS slots in libntdll (issue 13): the PEB's bitmaps as XP's
 * LdrpInitializeProcess sets them up, the TEB's 64 slots and the 1024
 * expansion slots made on a thread's first need, and an index freed in
 * every thread (ThreadZeroTlsCell).
 *
 * Windows behaviour: kernel32's TlsAlloc/TlsFree/TlsGetValue/TlsSetValue
 * (ReactOS dll/win32/kernel32/client/thread.c; Wine's
 * dlls/kernel32/tests/thread.c test_TLS: the lowest free index, a new
 * index reads NULL in every thread, TlsFree of a free index fails with
 * ERROR_INVALID_PARAMETER, TlsGetValue sets the last error to 0).
 */
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>
#include "nt_test.h"

#define ALL_SLOTS	(TLS_MINIMUM_AVAILABLE + TLS_EXPANSION_SLOTS)

static int bit_set(const ULONG *bits, ULONG i)
{
	return !!(bits[i / 32] & (1u << (i % 32)));
}

static int peb_bit(ULONG index)
{
	PEB *peb = NtCurrentPeb();

	return index < TLS_MINIMUM_AVAILABLE ?
		bit_set(peb->TlsBitmapBits, index) :
		bit_set(peb->TlsExpansionBitmapBits, index - TLS_MINIMUM_AVAILABLE);
}

/* A second thread that reads and writes slots on request. */
struct peer {
	pthread_t th;
	int op;			/* 1 get, 2 set, 3 quit */
	ULONG index;
	void *value;
	NTSTATUS status;
	int seq, done;
};

static void *peer_main(void *arg)
{
	struct peer *p = arg;
	int seen = 0;

	for (;;) {
		while (__atomic_load_n(&p->seq, __ATOMIC_ACQUIRE) == seen)
			usleep(200);
		seen++;
		if (p->op == 3)
			break;
		if (p->op == 1)
			p->value = RtlTlsGetValue(p->index);
		else
			p->status = RtlTlsSetValue(p->index, p->value);
		__atomic_store_n(&p->done, seen, __ATOMIC_RELEASE);
	}
	RtlpFreeTlsExpansion();
	return NULL;
}

static void peer_do(struct peer *p, int op, ULONG index, void *value)
{
	int n = p->seq + 1;

	p->op = op;
	p->index = index;
	p->value = value;
	__atomic_store_n(&p->seq, n, __ATOMIC_RELEASE);
	if (op == 3)
		return;
	while (__atomic_load_n(&p->done, __ATOMIC_ACQUIRE) != n)
		usleep(200);
}

FIXTURE(tls) { struct peer peer; };
NT_GATE_VARIANTS(tls);
FIXTURE_SETUP(tls)
{
	NT_GATE_SETUP();
	memset(&self->peer, 0, sizeof(self->peer));
	ASSERT_EQ(0, pthread_create(&self->peer.th, NULL, peer_main, &self->peer));
}
FIXTURE_TEARDOWN(tls)
{
	peer_do(&self->peer, 3, 0, NULL);
	pthread_join(self->peer.th, NULL);
}

TEST_F(tls, peb_bitmaps_as_xp_sets_them_up)
{
	PEB *peb = NtCurrentPeb();
	RTL_BITMAP *b = peb->TlsBitmap, *x = peb->TlsExpansionBitmap;

	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, x);
	EXPECT_EQ(TLS_MINIMUM_AVAILABLE, b->SizeOfBitMap);
	EXPECT_EQ(&peb->TlsBitmapBits[0], b->Buffer);
	EXPECT_EQ(TLS_EXPANSION_SLOTS, x->SizeOfBitMap);
	EXPECT_EQ(&peb->TlsExpansionBitmapBits[0], x->Buffer);
	/* the offsets XP's kernel32 reads them at */
	EXPECT_EQ(0x40, (char *)&peb->TlsBitmap - (char *)peb);
	EXPECT_EQ(0x150, (char *)&peb->TlsExpansionBitmap - (char *)peb);
}

TEST_F(tls, slots_are_per_thread_and_free_clears_them_everywhere)
{
	TEB *teb = NtCurrentTeb();
	ULONG a, b;

	ASSERT_STATUS(STATUS_SUCCESS, RtlTlsAlloc(&a));
	ASSERT_STATUS(STATUS_SUCCESS, RtlTlsAlloc(&b));
	ASSERT_LT(a, TLS_MINIMUM_AVAILABLE);
	EXPECT_EQ(a + 1, b);		/* the lowest free ones, in order */
	EXPECT_TRUE(peb_bit(a));
	EXPECT_TRUE(peb_bit(b));
	ASSERT_STATUS(STATUS_SUCCESS, RtlTlsSetValue(a, (void *)0xa1));
	EXPECT_EQ((void *)0xa1, teb->TlsSlots[a]);
	RtlSetLastWin32Error(5);
	EXPECT_EQ((void *)0xa1, RtlTlsGetValue(a));
	EXPECT_EQ(0, RtlGetLastWin32Error());
	peer_do(&self->peer, 1, a, NULL);
	EXPECT_EQ(NULL, self->peer.value);
	peer_do(&self->peer, 2, a, (void *)0xb1);
	EXPECT_STATUS(STATUS_SUCCESS, self->peer.status);
	EXPECT_EQ((void *)0xa1, RtlTlsGetValue(a));

	ASSERT_STATUS(STATUS_SUCCESS, RtlTlsFree(a));
	EXPECT_FALSE(peb_bit(a));
	EXPECT_EQ(NULL, teb->TlsSlots[a]);
	peer_do(&self->peer, 1, a, NULL);
	EXPECT_EQ(NULL, self->peer.value);
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, RtlTlsFree(a));
	/* the freed index is the next one given */
	ASSERT_STATUS(STATUS_SUCCESS, RtlTlsAlloc(&a));
	EXPECT_EQ(b - 1, a);
	EXPECT_STATUS(STATUS_SUCCESS, RtlTlsFree(a));
	EXPECT_STATUS(STATUS_SUCCESS, RtlTlsFree(b));
}

TEST_F(tls, expansion_slots_on_first_need_and_the_limit)
{
	static ULONG got[ALL_SLOTS];
	TEB *teb = NtCurrentTeb();
	ULONG n = 0, i, x = 0;

	/* take every index left */
	while (n < ALL_SLOTS && RtlTlsAlloc(&got[n]) == STATUS_SUCCESS) {
		if (got[n] >= TLS_MINIMUM_AVAILABLE && !x)
			x = got[n];
		n++;
	}
	ASSERT_GT(n, 1000);
	ASSERT_NE(0, x);
	EXPECT_EQ(TLS_MINIMUM_AVAILABLE, x);	/* the first expansion index */
	ASSERT_NE(NULL, teb->TlsExpansionSlots);
	i = 0xdead;
	EXPECT_STATUS(STATUS_NO_MORE_ENTRIES, RtlTlsAlloc(&i));
	EXPECT_EQ(TLS_OUT_OF_INDEXES, i);

	ASSERT_STATUS(STATUS_SUCCESS, RtlTlsSetValue(x, (void *)0xe1));
	EXPECT_EQ((void *)0xe1, ((void **)teb->TlsExpansionSlots)[0]);
	EXPECT_EQ((void *)0xe1, RtlTlsGetValue(x));
	/* the peer has no array yet: NULL, then one made by its set */
	peer_do(&self->peer, 1, x, NULL);
	EXPECT_EQ(NULL, self->peer.value);
	peer_do(&self->peer, 2, x, (void *)0xe2);
	EXPECT_STATUS(STATUS_SUCCESS, self->peer.status);
	peer_do(&self->peer, 1, x, NULL);
	EXPECT_EQ((void *)0xe2, self->peer.value);
	ASSERT_STATUS(STATUS_SUCCESS, RtlTlsFree(x));
	EXPECT_EQ(NULL, RtlTlsGetValue(x));
	peer_do(&self->peer, 1, x, NULL);
	EXPECT_EQ(NULL, self->peer.value);
	/* the last index, then give them all back */
	ASSERT_STATUS(STATUS_SUCCESS, RtlTlsAlloc(&i));
	EXPECT_EQ(x, i);
	for (i = 0; i < n; i++)
		EXPECT_STATUS(STATUS_SUCCESS, RtlTlsFree(got[i]));
	EXPECT_FALSE(peb_bit(ALL_SLOTS - 1));
}

TEST_F(tls, bad_indexes)
{
	ULONG free_index;

	ASSERT_STATUS(STATUS_SUCCESS, RtlTlsAlloc(&free_index));
	ASSERT_STATUS(STATUS_SUCCESS, RtlTlsFree(free_index));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, RtlTlsFree(free_index));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, RtlTlsFree(ALL_SLOTS - 1));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, RtlTlsFree(ALL_SLOTS));
	EXPECT_STATUS(STATUS_INVALID_PARAMETER, RtlTlsFree(TLS_OUT_OF_INDEXES));
	RtlSetLastWin32Error(0);
	EXPECT_EQ(NULL, RtlTlsGetValue(ALL_SLOTS));
	EXPECT_EQ(87, RtlGetLastWin32Error());
	EXPECT_STATUS(STATUS_INVALID_PARAMETER,
		      RtlTlsSetValue(ALL_SLOTS, (void *)1));
}

TEST_HARNESS_MAIN
