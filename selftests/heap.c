// SPDX-License-Identifier: GPL-2.0
/*
 * The Rtl pieces of ntdll that need the kernel: the heap (its memory
 * comes from NtAllocateVirtualMemory) and critical sections (their
 * waiters sleep on an NT event), run in an attached process. The same
 * code is ntdll.dll's (libntdll/heap.c, critsec.c). Expectations follow
 * Wine's dlls/ntdll/tests/heap.c and rtl.c and kernel32's heap tests:
 * RtlSizeHeap is the size asked for, HEAP_ZERO_MEMORY zeroes what
 * RtlReAllocateHeap adds, HEAP_REALLOC_IN_PLACE_ONLY fails rather than
 * move, a fixed-size heap runs out, a bad pointer is refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include "nt_test.h"

static int all_bytes(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != (unsigned char)c)
			return 0;
	return 1;
}

TEST(heap_alloc_size_free)
{
	void *h = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
	unsigned char *p, *q;

	ASSERT_NE(NULL, h);
	p = RtlAllocateHeap(h, HEAP_ZERO_MEMORY, 100);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0u, (uintptr_t)p & 7);
	EXPECT_TRUE(all_bytes(p, 0, 100));
	EXPECT_EQ(100u, RtlSizeHeap(h, 0, p));
	memset(p, 0xab, 100);
	q = RtlAllocateHeap(h, 0, 0);		/* 0 bytes is a valid block */
	ASSERT_NE(NULL, q);
	EXPECT_EQ(0u, RtlSizeHeap(h, 0, q));
	EXPECT_TRUE(RtlFreeHeap(h, 0, q));
	EXPECT_TRUE(all_bytes(p, 0xab, 100));
	EXPECT_TRUE(RtlFreeHeap(h, 0, p));
	EXPECT_TRUE(RtlFreeHeap(h, 0, NULL));
	EXPECT_EQ(NULL, RtlDestroyHeap(h));
}

TEST(heap_refuses_bad_pointers)
{
	void *h = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
	char *p, local[64];

	ASSERT_NE(NULL, h);
	p = RtlAllocateHeap(h, 0, 32);
	ASSERT_NE(NULL, p);
	EXPECT_FALSE(RtlFreeHeap(h, 0, p + 16));
	EXPECT_FALSE(RtlFreeHeap(h, 0, local));
	EXPECT_EQ((SIZE_T)-1, RtlSizeHeap(h, 0, p + 8));
	EXPECT_EQ(NULL, RtlReAllocateHeap(h, 0, local, 10));
	EXPECT_TRUE(RtlFreeHeap(h, 0, p));
	EXPECT_FALSE(RtlFreeHeap(h, 0, p));	/* twice */
	EXPECT_EQ(NULL, RtlAllocateHeap(h, 0, 0x80000000u));
	EXPECT_EQ(NULL, RtlAllocateHeap(local, 0, 8));	/* not a heap */
	EXPECT_EQ(NULL, RtlDestroyHeap(h));
}

TEST(heap_realloc_keeps_and_zeroes)
{
	void *h = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
	unsigned char *p, *q, *blocker;

	ASSERT_NE(NULL, h);
	p = RtlAllocateHeap(h, 0, 40);
	ASSERT_NE(NULL, p);
	memset(p, 0x5a, 40);
	blocker = RtlAllocateHeap(h, 0, 40);	/* no room to grow in place */
	ASSERT_NE(NULL, blocker);
	EXPECT_EQ(NULL, RtlReAllocateHeap(h, HEAP_REALLOC_IN_PLACE_ONLY, p, 4000));
	EXPECT_EQ(40u, RtlSizeHeap(h, 0, p));
	q = RtlReAllocateHeap(h, HEAP_ZERO_MEMORY, p, 4000);
	ASSERT_NE(NULL, q);
	EXPECT_EQ(4000u, RtlSizeHeap(h, 0, q));
	EXPECT_TRUE(all_bytes(q, 0x5a, 40));
	EXPECT_TRUE(all_bytes(q + 40, 0, 4000 - 40));
	/* shrinking stays in place and keeps the prefix */
	p = RtlReAllocateHeap(h, 0, q, 10);
	EXPECT_EQ(q, p);
	EXPECT_EQ(10u, RtlSizeHeap(h, 0, p));
	EXPECT_TRUE(all_bytes(p, 0x5a, 10));
	EXPECT_EQ(NULL, RtlReAllocateHeap(h, 0, NULL, 10));	/* as XP */
	EXPECT_EQ(NULL, RtlDestroyHeap(h));
}

/* A heap of a fixed 64 KiB runs out; what is freed can be had again. */
TEST(heap_fixed_size_runs_out)
{
	void *h = RtlCreateHeap(0, NULL, 0x10000, 0x1000, NULL, NULL);
	void *blocks[64];
	int n = 0;

	ASSERT_NE(NULL, h);
	while (n < 64 && (blocks[n] = RtlAllocateHeap(h, 0, 4000)))
		n++;
	EXPECT_GT(n, 10);
	EXPECT_LT(n, 17);		/* 64 KiB holds at most 16 */
	ASSERT_TRUE(RtlFreeHeap(h, 0, blocks[n / 2]));
	blocks[n / 2] = RtlAllocateHeap(h, 0, 4000);
	EXPECT_NE(NULL, blocks[n / 2]);
	EXPECT_EQ(NULL, RtlDestroyHeap(h));
}

/* Growable: 8 MiB in 64 KiB pieces, then blocks of a region of their own. */
TEST(heap_grows_and_big_blocks)
{
	void *h = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
	void *big, *blocks[128];
	MEMORY_BASIC_INFORMATION mbi;
	int i;

	ASSERT_NE(NULL, h);
	for (i = 0; i < 128; i++) {
		blocks[i] = RtlAllocateHeap(h, 0, 0x10000);
		ASSERT_NE(NULL, blocks[i]);
		memset(blocks[i], i, 0x10000);
	}
	for (i = 0; i < 128; i++)
		ASSERT_TRUE(all_bytes(blocks[i], i, 0x10000));
	big = RtlAllocateHeap(h, HEAP_ZERO_MEMORY, 3 << 20);
	ASSERT_NE(NULL, big);
	EXPECT_EQ((SIZE_T)(3 << 20), RtlSizeHeap(h, 0, big));
	EXPECT_TRUE(all_bytes(big, 0, 3 << 20));
	ASSERT_TRUE(RtlFreeHeap(h, 0, big));
	/* the region went back to the system */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryVirtualMemory(NtCurrentProcess(), big,
					   MemoryBasicInformation, &mbi,
					   sizeof(mbi), NULL));
	EXPECT_EQ(MEM_FREE, mbi.State);
	for (i = 0; i < 128; i++)
		ASSERT_TRUE(RtlFreeHeap(h, 0, blocks[i]));
	EXPECT_EQ(NULL, RtlDestroyHeap(h));
}

/* Random sizes, random order, every block's bytes checked at free. */
TEST(heap_random_churn)
{
	void *h = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
	struct { unsigned char *p; SIZE_T n; } b[256] = { 0 };
	unsigned int seed = 12345;
	int i, k;

	ASSERT_NE(NULL, h);
	for (i = 0; i < 20000; i++) {
		k = rand_r(&seed) % 256;
		if (b[k].p) {
			ASSERT_EQ(b[k].n, RtlSizeHeap(h, 0, b[k].p));
			ASSERT_TRUE(all_bytes(b[k].p, k, b[k].n));
			if (rand_r(&seed) & 1) {
				SIZE_T n = rand_r(&seed) % 3000;
				unsigned char *q = RtlReAllocateHeap(h, 0, b[k].p, n);

				ASSERT_NE(NULL, q);
				if (n > b[k].n)
					memset(q + b[k].n, k, n - b[k].n);
				b[k].p = q;
				b[k].n = n;
				continue;
			}
			ASSERT_TRUE(RtlFreeHeap(h, 0, b[k].p));
			b[k].p = NULL;
		} else {
			b[k].n = rand_r(&seed) % (k == 7 ? 600000 : 2000);
			b[k].p = RtlAllocateHeap(h, 0, b[k].n);
			ASSERT_NE(NULL, b[k].p);
			memset(b[k].p, k, b[k].n);
		}
	}
	EXPECT_EQ(NULL, RtlDestroyHeap(h));
}

/*
 * Critical sections: XP's field protocol (LockCount -1 when free, the
 * owner's thread id, the recursion count; Wine's dlls/ntdll/tests/rtl.c
 * and kernel32's sync tests read the same fields).
 */
TEST(critical_section_fields_and_recursion)
{
	RTL_CRITICAL_SECTION cs;

	nt_poison(&cs);
	ASSERT_STATUS(STATUS_SUCCESS, RtlInitializeCriticalSection(&cs));
	EXPECT_EQ(-1, cs.LockCount);
	EXPECT_EQ(0, cs.RecursionCount);
	EXPECT_EQ(0u, (uintptr_t)cs.OwningThread);
	ASSERT_STATUS(STATUS_SUCCESS, RtlEnterCriticalSection(&cs));
	EXPECT_EQ(0, cs.LockCount);
	EXPECT_EQ(1, cs.RecursionCount);
	EXPECT_EQ((uintptr_t)NtCurrentTeb()->ClientId.UniqueThread,
		  (uintptr_t)cs.OwningThread);
	EXPECT_TRUE(RtlTryEnterCriticalSection(&cs));
	EXPECT_EQ(1, cs.LockCount);
	EXPECT_EQ(2, cs.RecursionCount);
	RtlLeaveCriticalSection(&cs);
	RtlLeaveCriticalSection(&cs);
	EXPECT_EQ(-1, cs.LockCount);
	EXPECT_EQ(0u, (uintptr_t)cs.OwningThread);
	EXPECT_EQ(0u, (uintptr_t)cs.LockSemaphore);	/* never contended */
	ASSERT_STATUS(STATUS_SUCCESS, RtlDeleteCriticalSection(&cs));
}

static RTL_CRITICAL_SECTION shared_cs;
static volatile int shared_count, inside;
static volatile int overlap;

#define ROUNDS 2000

static void NTAPI cs_worker(void *param)
{
	(void)param;
	for (int i = 0; i < ROUNDS; i++) {
		RtlEnterCriticalSection(&shared_cs);
		if (inside++)
			overlap = 1;
		shared_count++;
		if (!(i % 16))
			NtYieldExecution();	/* let the others pile up */
		inside--;
		RtlLeaveCriticalSection(&shared_cs);
	}
	RtlExitUserThread(0);
}

/* Four threads through one section: never two inside, nothing lost. */
TEST(critical_section_contention)
{
	HANDLE h[4];
	LARGE_INTEGER to;
	int i;

	ASSERT_STATUS(STATUS_SUCCESS, RtlInitializeCriticalSection(&shared_cs));
	for (i = 0; i < 4; i++)
		ASSERT_STATUS(STATUS_SUCCESS,
			      RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0,
						  0, 0, (void *)cs_worker, NULL,
						  &h[i], NULL));
	for (i = 0; i < 4; i++) {
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtWaitForSingleObject(h[i], FALSE,
						    nt_timeout_ms(&to, 60000)));
		NtClose(h[i]);
	}
	EXPECT_EQ(0, overlap);
	EXPECT_EQ(4 * ROUNDS, shared_count);
	EXPECT_EQ(-1, shared_cs.LockCount);
	/* the threads did meet: the event exists */
	EXPECT_NE(0u, (uintptr_t)shared_cs.LockSemaphore);
	ASSERT_STATUS(STATUS_SUCCESS, RtlDeleteCriticalSection(&shared_cs));
}

/*
 * RtlCreateProcessParameters: one block, denormalized (offsets), the
 * command line defaulting to the image name, the current directory with
 * MAX_PATH of room (ReactOS's rtl/ppb.c, Wine's env.c tests).
 */
TEST(process_parameters_block)
{
	RTL_USER_PROCESS_PARAMETERS *pp = NULL;
	UNICODE_STRING image, cwd, title;
	WCHAR env[] = u"A=1\0";

	RtlInitUnicodeString(&image, u"\\??\\C:\\dir\\x.exe");
	RtlInitUnicodeString(&cwd, u"C:\\dir\\");
	RtlInitUnicodeString(&title, u"title");
	ASSERT_STATUS(STATUS_SUCCESS,
		      RtlCreateProcessParameters(&pp, &image, NULL, &cwd, NULL,
						 env, &title, NULL, NULL, NULL));
	ASSERT_NE(NULL, pp);
	EXPECT_EQ(0u, pp->Flags & RTL_USER_PROC_PARAMS_NORMALIZED);
	EXPECT_EQ(pp->Length, pp->MaximumLength);
	EXPECT_LT((uintptr_t)pp->CommandLine.Buffer, pp->Length);
	EXPECT_EQ((uintptr_t)env, (uintptr_t)pp->Environment);
	EXPECT_EQ(image.Length, pp->CommandLine.Length);
	EXPECT_EQ(520, pp->CurrentDirectory.DosPath.MaximumLength);
	EXPECT_EQ(pp, RtlNormalizeProcessParams(pp));
	EXPECT_EQ(1u, pp->Flags & RTL_USER_PROC_PARAMS_NORMALIZED);
	EXPECT_TRUE(RtlEqualUnicodeString(&pp->ImagePathName, &image, FALSE));
	EXPECT_TRUE(RtlEqualUnicodeString(&pp->CommandLine, &image, FALSE));
	EXPECT_TRUE(RtlEqualUnicodeString(&pp->CurrentDirectory.DosPath, &cwd,
					  FALSE));
	EXPECT_TRUE(RtlEqualUnicodeString(&pp->WindowTitle, &title, FALSE));
	EXPECT_EQ(0, pp->ShellInfo.Length);
	EXPECT_EQ(0, pp->ImagePathName.Buffer[image.Length / 2]);
	EXPECT_GT((uintptr_t)pp->ImagePathName.Buffer, (uintptr_t)pp);
	EXPECT_LT((uintptr_t)pp->RuntimeData.Buffer, (uintptr_t)pp + pp->Length);
	RtlDeNormalizeProcessParams(pp);
	EXPECT_LT((uintptr_t)pp->ImagePathName.Buffer, pp->Length);
	ASSERT_STATUS(STATUS_SUCCESS, RtlDestroyProcessParameters(pp));
}

TEST_HARNESS_MAIN
