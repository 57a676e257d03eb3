// SPDX-License-Identifier: GPL-2.0
/*
 * RtlCreateHeap and friends: the heap a native process allocates from
 * (PEB->ProcessHeap) and any private heap, on memory from
 * NtAllocateVirtualMemory only, so the same code serves ntdll.dll, where
 * nothing else exists, and the ELF libntdll.
 *
 * A heap is a list of segments. A segment is one reserved region whose
 * committed part grows page by page from its start; blocks are carved
 * contiguously up to seg->top, the end of the last block, and the rest of
 * the committed part is the "wilderness". Every block has a 16-byte
 * header (so user pointers are 16-byte aligned; XP promises 8):
 *	size		whole block in bytes, a multiple of 16
 *	prev		size of the block just below (0: first of segment)
 *	req		what the caller asked for (RtlSizeHeap's answer)
 *	magic		BLOCK_USED, BLOCK_FREE or BLOCK_BIG
 * Free blocks are on one doubly linked list (first fit) and are merged
 * with free neighbours at once; a free block ending at top gives its
 * space back to the wilderness. Requests of BIG_THRESHOLD and more get a
 * region of their own (XP's VirtualAllocThreshold), released on free.
 *
 * The magic is checked on every free, size and realloc: a pointer that is
 * not a live block of this heap is refused (FALSE / -1 / NULL), never
 * written through.
 *
 * Locking: one critical section per heap unless HEAP_NO_SERIALIZE was
 * given at creation or on the call, as XP does.
 */
#include <stddef.h>
#include <stdint.h>
#include "ntdll_private.h"

#define PAGE		0x1000u
#define GRAIN		16u
#define HDR		16u
#define MIN_BLOCK	32u		/* header and the free-list links */
#define BIG_THRESHOLD	0x7f000u	/* XP's default VirtualAllocThreshold */
#define DEFAULT_RESERVE	0x100000u
#define HEAP_MAGIC	0x50616548u	/* "HeaP" */
#define BLOCK_USED	0xb10c0001u
#define BLOCK_FREE	0xb10c0000u
#define BLOCK_BIG	0xb10c0b16u
#define MAX_REQUEST	0x7ffdefffu	/* larger requests fail, as on XP */

struct block {
	ULONG size;
	ULONG prev;
	ULONG req;
	ULONG magic;
	/* free blocks only: */
	struct block *fnext;
	struct block *fprev;
};

struct segment {
	struct segment *next;
	uint8_t *base;		/* the region, == this segment */
	ULONG reserved;		/* bytes reserved */
	ULONG committed;	/* bytes committed from base */
	uint8_t *first;		/* first block */
	uint8_t *top;		/* end of the last block */
	ULONG last;		/* size of the block ending at top, 0: none */
};

struct big {
	struct big *next;
	struct big *prev;
	ULONG region;		/* bytes reserved for it */
	ULONG pad;
	struct block hdr;	/* the block header, user data follows */
};
#define BIG_DATA	(offsetof(struct big, hdr) + HDR)

struct heap {
	ULONG magic;
	ULONG flags;
	RTL_CRITICAL_SECTION lock;
	struct segment *segs;
	struct block *free;	/* free list head */
	struct big *bigs;
	ULONG next_reserve;	/* size of the next segment to reserve */
};

static ULONG round_up(ULONG v, ULONG a)
{
	return (v + a - 1) & ~(a - 1);
}

static NTSTATUS vm_reserve(void **base, ULONG size)
{
	SIZE_T s = size;

	*base = NULL;
	return NtAllocateVirtualMemory(NtCurrentProcess(), base, 0, &s,
				       MEM_RESERVE, PAGE_READWRITE);
}

static NTSTATUS vm_commit(void *addr, ULONG size)
{
	SIZE_T s = size;

	return NtAllocateVirtualMemory(NtCurrentProcess(), &addr, 0, &s,
				       MEM_COMMIT, PAGE_READWRITE);
}

static void vm_release(void *base)
{
	SIZE_T s = 0;

	NtFreeVirtualMemory(NtCurrentProcess(), &base, &s, MEM_RELEASE);
}

static void lock(struct heap *h, ULONG flags)
{
	if (!((h->flags | flags) & HEAP_NO_SERIALIZE))
		RtlEnterCriticalSection(&h->lock);
}

static void unlock(struct heap *h, ULONG flags)
{
	if (!((h->flags | flags) & HEAP_NO_SERIALIZE))
		RtlLeaveCriticalSection(&h->lock);
}

static void free_insert(struct heap *h, struct block *b)
{
	b->magic = BLOCK_FREE;
	b->fprev = NULL;
	b->fnext = h->free;
	if (h->free)
		h->free->fprev = b;
	h->free = b;
}

static void free_remove(struct heap *h, struct block *b)
{
	if (b->fprev)
		b->fprev->fnext = b->fnext;
	else
		h->free = b->fnext;
	if (b->fnext)
		b->fnext->fprev = b->fprev;
}

static struct segment *seg_of(struct heap *h, const void *p)
{
	struct segment *s;

	for (s = h->segs; s; s = s->next)
		if ((const uint8_t *)p >= s->first && (const uint8_t *)p < s->top)
			return s;
	return NULL;
}

/* Tell the block after b (or the segment, if b is last) b's size. */
static void fix_next(struct segment *s, struct block *b)
{
	uint8_t *n = (uint8_t *)b + b->size;

	if (n < s->top)
		((struct block *)n)->prev = b->size;
	else
		s->last = b->size;
}

static struct segment *seg_create(struct heap *h, uint8_t *base,
				  ULONG reserved, ULONG committed)
{
	struct segment *s = (struct segment *)base;

	s->next = NULL;
	s->base = base;
	s->reserved = reserved;
	s->committed = committed;
	s->first = base + round_up(sizeof(*s), GRAIN);
	if ((uint8_t *)h == s->first)	/* the heap's own segment */
		s->first += round_up(sizeof(*h), GRAIN);
	s->top = s->first;
	s->last = 0;
	return s;
}

/*
 * Move top up by size bytes, committing pages as needed; the caller
 * writes the header of what it gets (the old top).
 */
static struct block *seg_carve(struct segment *s, ULONG size)
{
	ULONG used = s->top - s->base, need, grow;
	struct block *b;

	if (size > s->reserved - used)
		return NULL;
	need = used + size;
	if (need > s->committed) {
		grow = round_up(need - s->committed, PAGE);
		if (grow < 16 * PAGE && s->committed + 16 * PAGE <= s->reserved)
			grow = 16 * PAGE;	/* fewer system calls */
		if (!NT_SUCCESS(vm_commit(s->base + s->committed, grow)))
			return NULL;
		s->committed += grow;
	}
	b = (struct block *)s->top;
	s->top += size;
	return b;
}

/* A new used block of size bytes at the top of s, or NULL. */
static struct block *seg_new_block(struct segment *s, ULONG size)
{
	struct block *b = seg_carve(s, size);

	if (!b)
		return NULL;
	b->size = size;
	b->prev = s->last;
	b->magic = BLOCK_USED;
	s->last = size;
	return b;
}

void *NTAPI RtlCreateHeap(ULONG Flags, void *HeapBase, SIZE_T ReserveSize,
			  SIZE_T CommitSize, void *Lock, void *Parameters)
{
	ULONG reserve, commit;
	struct heap *h;
	void *base;

	if (HeapBase || Lock || Parameters)
		return NULL;
	if (!ReserveSize) {
		Flags |= HEAP_GROWABLE;
		ReserveSize = DEFAULT_RESERVE;
	}
	if (ReserveSize > 0x40000000u || CommitSize > ReserveSize)
		return NULL;
	reserve = round_up(ReserveSize, 0x10000);
	commit = round_up(CommitSize ? CommitSize : PAGE, PAGE);
	if (!NT_SUCCESS(vm_reserve(&base, reserve)))
		return NULL;
	if (!NT_SUCCESS(vm_commit(base, commit))) {
		vm_release(base);
		return NULL;
	}
	/* The heap header lives right after the first segment's header. */
	h = (struct heap *)((uint8_t *)base + round_up(sizeof(struct segment),
						       GRAIN));
	h->magic = HEAP_MAGIC;
	h->flags = Flags & (HEAP_NO_SERIALIZE | HEAP_GROWABLE |
			    HEAP_GENERATE_EXCEPTIONS | HEAP_ZERO_MEMORY);
	h->free = NULL;
	h->bigs = NULL;
	h->next_reserve = reserve < DEFAULT_RESERVE ? DEFAULT_RESERVE : reserve;
	h->segs = seg_create(h, base, reserve, commit);
	if (!(h->flags & HEAP_NO_SERIALIZE))
		RtlInitializeCriticalSection(&h->lock);
	return h;
}

static struct heap *heap_check(void *Heap)
{
	struct heap *h = Heap;

	if (!h || ((uintptr_t)h & (GRAIN - 1)) || h->magic != HEAP_MAGIC)
		return NULL;
	return h;
}

void *NTAPI RtlDestroyHeap(void *Heap)
{
	struct heap *h = heap_check(Heap);
	struct segment *s, *n;
	struct big *b, *bn;

	if (!h || Heap == NtCurrentPeb()->ProcessHeap)
		return Heap;
	for (b = h->bigs; b; b = bn) {
		bn = b->next;
		vm_release(b);
	}
	if (!(h->flags & HEAP_NO_SERIALIZE))
		RtlDeleteCriticalSection(&h->lock);
	h->magic = 0;
	/* the first segment holds the heap: release it last */
	for (s = h->segs->next; s; s = n) {
		n = s->next;
		vm_release(s->base);
	}
	vm_release(h->segs->base);
	return NULL;
}

static void *big_alloc(struct heap *h, ULONG size)
{
	ULONG region = round_up(BIG_DATA + size, PAGE);
	struct big *b;
	void *base;

	if (!NT_SUCCESS(vm_reserve(&base, region)))
		return NULL;
	if (!NT_SUCCESS(vm_commit(base, region))) {
		vm_release(base);
		return NULL;
	}
	b = base;
	b->region = region;
	b->hdr.size = 0;
	b->hdr.prev = 0;
	b->hdr.req = size;
	b->hdr.magic = BLOCK_BIG;
	b->prev = NULL;
	b->next = h->bigs;
	if (h->bigs)
		h->bigs->prev = b;
	h->bigs = b;
	return &b->hdr.fnext;
}

static void small_free(struct heap *h, struct block *b);

/* Split b so that it is size bytes; the rest becomes a free block. */
static void split(struct heap *h, struct segment *s, struct block *b,
		  ULONG size)
{
	struct block *r;

	if (b->size - size < MIN_BLOCK)
		return;
	r = (struct block *)((uint8_t *)b + size);
	r->size = b->size - size;
	r->prev = size;
	r->magic = BLOCK_USED;
	b->size = size;
	fix_next(s, r);
	small_free(h, r);	/* merges it with a free block above */
}

static void *small_alloc(struct heap *h, ULONG size)
{
	struct block *b;
	struct segment *s;
	uint8_t *base;
	ULONG reserve;

	for (b = h->free; b; b = b->fnext)
		if (b->size >= size)
			break;
	if (b) {
		free_remove(h, b);
		b->magic = BLOCK_USED;	/* before split: it merges with free */
		s = seg_of(h, b);
		split(h, s, b, size);
		return b;
	}
	for (s = h->segs; s; s = s->next) {
		b = seg_new_block(s, size);
		if (b)
			return b;
	}
	if (!(h->flags & HEAP_GROWABLE))
		return NULL;
	reserve = h->next_reserve;
	while (reserve < size + 2 * PAGE)
		reserve *= 2;
	if (!NT_SUCCESS(vm_reserve((void **)&base, reserve)))
		return NULL;
	if (!NT_SUCCESS(vm_commit(base, PAGE))) {
		vm_release(base);
		return NULL;
	}
	s = seg_create(h, base, reserve, PAGE);
	s->next = h->segs->next;	/* keep the heap's own segment first */
	h->segs->next = s;
	if (h->next_reserve < 0x1000000u)
		h->next_reserve *= 2;
	return seg_new_block(s, size);
}

void *NTAPI RtlAllocateHeap(void *Heap, ULONG Flags, SIZE_T Size)
{
	struct heap *h = heap_check(Heap);
	struct block *b;
	void *p;
	ULONG size;

	if (!h || Size > MAX_REQUEST)
		return NULL;
	Flags |= h->flags;
	lock(h, Flags);
	if (Size >= BIG_THRESHOLD) {
		p = big_alloc(h, Size);	/* fresh pages are zero already */
		unlock(h, Flags);
		return p;
	}
	size = round_up(Size + HDR, GRAIN);
	if (size < MIN_BLOCK)
		size = MIN_BLOCK;
	b = small_alloc(h, size);
	if (b)
		b->req = Size;
	unlock(h, Flags);
	if (!b)
		return NULL;
	p = &b->fnext;
	if (Flags & HEAP_ZERO_MEMORY)
		memset(p, 0, Size);
	return p;
}

/* The live block of p in h, or NULL; *big set for a region block. */
static struct block *block_of(struct heap *h, const void *p, struct big **big)
{
	struct block *b;
	struct big *g;

	*big = NULL;
	if (!p || ((uintptr_t)p & (GRAIN - 1)))
		return NULL;
	b = (struct block *)((const uint8_t *)p - HDR);
	if (((uintptr_t)p & (PAGE - 1)) == BIG_DATA) {
		for (g = h->bigs; g; g = g->next)
			if (&g->hdr == b && b->magic == BLOCK_BIG) {
				*big = g;
				return b;
			}
	}
	if (!seg_of(h, b) || b->magic != BLOCK_USED)
		return NULL;
	return b;
}

static void small_free(struct heap *h, struct block *b)
{
	struct segment *s = seg_of(h, b);
	struct block *n, *p;

	b->magic = BLOCK_FREE;
	n = (struct block *)((uint8_t *)b + b->size);
	if ((uint8_t *)n < s->top && n->magic == BLOCK_FREE) {
		free_remove(h, n);
		b->size += n->size;
		fix_next(s, b);
	}
	if (b->prev) {
		p = (struct block *)((uint8_t *)b - b->prev);
		if (p->magic == BLOCK_FREE) {
			free_remove(h, p);
			p->size += b->size;
			fix_next(s, p);
			b = p;
		}
	}
	if ((uint8_t *)b + b->size == s->top) {
		s->top = (uint8_t *)b;	/* back to the wilderness */
		s->last = b->prev;	/* used: free ones were merged */
		b->magic = 0;
		return;
	}
	free_insert(h, b);
}

BOOLEAN NTAPI RtlFreeHeap(void *Heap, ULONG Flags, void *Ptr)
{
	struct heap *h = heap_check(Heap);
	struct block *b;
	struct big *g;

	if (!Ptr)
		return TRUE;
	if (!h)
		return FALSE;
	Flags |= h->flags;
	lock(h, Flags);
	b = block_of(h, Ptr, &g);
	if (b && g) {
		if (g->prev)
			g->prev->next = g->next;
		else
			h->bigs = g->next;
		if (g->next)
			g->next->prev = g->prev;
		g->hdr.magic = 0;
		vm_release(g);
	} else if (b) {
		small_free(h, b);
	}
	unlock(h, Flags);
	return b != NULL;
}

SIZE_T NTAPI RtlSizeHeap(void *Heap, ULONG Flags, const void *Ptr)
{
	struct heap *h = heap_check(Heap);
	struct block *b;
	struct big *g;
	SIZE_T ret = (SIZE_T)-1;

	if (!h)
		return ret;
	Flags |= h->flags;
	lock(h, Flags);
	b = block_of(h, Ptr, &g);
	if (b)
		ret = b->req;
	unlock(h, Flags);
	return ret;
}

void *NTAPI RtlReAllocateHeap(void *Heap, ULONG Flags, void *Ptr, SIZE_T Size)
{
	struct heap *h = heap_check(Heap);
	struct block *b, *n;
	struct segment *s;
	struct big *g;
	ULONG size, old;
	void *p;

	if (!h || !Ptr || Size > MAX_REQUEST)
		return NULL;
	Flags |= h->flags;
	lock(h, Flags);
	b = block_of(h, Ptr, &g);
	if (!b) {
		unlock(h, Flags);
		return NULL;
	}
	old = b->req;
	size = round_up(Size + HDR, GRAIN);
	if (size < MIN_BLOCK)
		size = MIN_BLOCK;
	if (g) {
		if (BIG_DATA + Size <= g->region) {
			b->req = Size;	/* fits the region; new bytes are zero
					 * only if never written: clear them */
			if (Size > old)
				memset((uint8_t *)Ptr + old, 0, Size - old);
			unlock(h, Flags);
			return Ptr;
		}
	} else if (Size < BIG_THRESHOLD) {
		s = seg_of(h, b);
		if (size <= b->size) {
			split(h, s, b, size);
			goto in_place;
		}
		n = (struct block *)((uint8_t *)b + b->size);
		if ((uint8_t *)n < s->top && n->magic == BLOCK_FREE &&
		    b->size + n->size >= size) {
			free_remove(h, n);
			b->size += n->size;
			fix_next(s, b);
			split(h, s, b, size);
			goto in_place;
		}
		if ((uint8_t *)n == s->top && seg_carve(s, size - b->size)) {
			b->size = size;
			s->last = size;
			goto in_place;
		}
	}
	unlock(h, Flags);
	if (Flags & HEAP_REALLOC_IN_PLACE_ONLY)
		return NULL;
	p = RtlAllocateHeap(Heap, Flags & ~HEAP_ZERO_MEMORY, Size);
	if (!p)
		return NULL;
	memcpy(p, Ptr, old < Size ? old : Size);
	if ((Flags & HEAP_ZERO_MEMORY) && Size > old)
		memset((uint8_t *)p + old, 0, Size - old);
	RtlFreeHeap(Heap, Flags, Ptr);
	return p;

in_place:
	b->req = Size;
	unlock(h, Flags);
	if ((Flags & HEAP_ZERO_MEMORY) && Size > old)
		memset((uint8_t *)Ptr + old, 0, Size - old);
	return Ptr;
}

/*
 * The process heap. The PE loader creates it first thing
 * (LdrInitializeThunk); an ELF program that calls Rtl heap functions on
 * NtCurrentPeb()->ProcessHeap gets one made here on first use. Two
 * threads racing to make it: the loser destroys its own.
 */
void *ntdll_process_heap(void)
{
	PEB *peb = NtCurrentPeb();
	void *h = peb->ProcessHeap, *mine;

	if (h)
		return h;
	mine = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
	if (!mine)
		return NULL;
	h = __sync_val_compare_and_swap(&peb->ProcessHeap, NULL, mine);
	if (h) {
		RtlDestroyHeap(mine);
		return h;
	}
	return mine;
}

#ifdef NTDLL_PE
void *ntdll_alloc(SIZE_T n)
{
	return RtlAllocateHeap(ntdll_process_heap(), 0, n);
}

void *ntdll_realloc(void *p, SIZE_T n)
{
	if (!p)
		return ntdll_alloc(n);
	return RtlReAllocateHeap(ntdll_process_heap(), 0, p, n);
}

void ntdll_free(void *p)
{
	RtlFreeHeap(ntdll_process_heap(), 0, p);
}
#endif
