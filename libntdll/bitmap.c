// SPDX-License-Identifier: GPL-2.0
/*
 * RTL_BITMAP: SizeOfBitMap bits in an array of ULONGs, bit n being bit
 * n % 32 of Buffer[n / 32]. Ranges that run past the end are refused
 * (XP's checked build asserts; the free build would scribble past the
 * buffer, which nothing should rely on): the Are* tests answer FALSE and
 * Set/Clear do nothing. The searches behave as ReactOS's
 * modules/rostests/apitests/ntdll/RtlBitmap.c and Wine's
 * dlls/ntdll/tests/rtlbitmap.c show Windows': a search for 0 bits
 * answers the hint rounded down to a byte (0 for a hint past the end),
 * a hint past the end counts as 0, and the search wraps around to the
 * start before giving up with ~0.
 */
#include "ntdll_private.h"

#define NONE	0xffffffffu

static int range_ok(const RTL_BITMAP *bm, ULONG start, ULONG count)
{
	return start <= bm->SizeOfBitMap && count <= bm->SizeOfBitMap - start;
}

static int bit(const RTL_BITMAP *bm, ULONG n)
{
	return (bm->Buffer[n >> 5] >> (n & 31)) & 1;
}

void NTAPI RtlInitializeBitMap(RTL_BITMAP *bm, ULONG *Buffer, ULONG Size)
{
	bm->SizeOfBitMap = Size;
	bm->Buffer = Buffer;
}

void NTAPI RtlSetAllBits(RTL_BITMAP *bm)
{
	memset(bm->Buffer, 0xff, ((bm->SizeOfBitMap + 31) / 32) * 4);
}

void NTAPI RtlClearAllBits(RTL_BITMAP *bm)
{
	memset(bm->Buffer, 0, ((bm->SizeOfBitMap + 31) / 32) * 4);
}

static void set_range(RTL_BITMAP *bm, ULONG start, ULONG count, int on)
{
	ULONG n = start, end = start + count, mask;

	while (n < end) {
		if (!(n & 31) && end - n >= 32) {
			bm->Buffer[n >> 5] = on ? 0xffffffffu : 0;
			n += 32;
			continue;
		}
		mask = 1u << (n & 31);
		if (on)
			bm->Buffer[n >> 5] |= mask;
		else
			bm->Buffer[n >> 5] &= ~mask;
		n++;
	}
}

void NTAPI RtlSetBits(RTL_BITMAP *bm, ULONG Start, ULONG Count)
{
	if (range_ok(bm, Start, Count))
		set_range(bm, Start, Count, 1);
}

void NTAPI RtlClearBits(RTL_BITMAP *bm, ULONG Start, ULONG Count)
{
	if (range_ok(bm, Start, Count))
		set_range(bm, Start, Count, 0);
}

static int all(const RTL_BITMAP *bm, ULONG start, ULONG count, int on)
{
	ULONG n;

	for (n = start; n < start + count; n++) {
		if (!(n & 31) && start + count - n >= 32) {
			if (bm->Buffer[n >> 5] != (on ? 0xffffffffu : 0))
				return 0;
			n += 31;
			continue;
		}
		if (bit(bm, n) != on)
			return 0;
	}
	return 1;
}

BOOLEAN NTAPI RtlAreBitsSet(const RTL_BITMAP *bm, ULONG Start, ULONG Count)
{
	return Count && range_ok(bm, Start, Count) && all(bm, Start, Count, 1);
}

BOOLEAN NTAPI RtlAreBitsClear(const RTL_BITMAP *bm, ULONG Start, ULONG Count)
{
	return Count && range_ok(bm, Start, Count) && all(bm, Start, Count, 0);
}

/* First run of count bits equal to on in [from, to), or NONE. */
static ULONG find_in(const RTL_BITMAP *bm, ULONG count, ULONG from, ULONG to,
		     int on)
{
	ULONG n, run = 0;

	for (n = from; n < to; n++) {
		if (bit(bm, n) == on) {
			if (++run == count)
				return n + 1 - count;
		} else {
			run = 0;
		}
	}
	return NONE;
}

static ULONG find(const RTL_BITMAP *bm, ULONG count, ULONG hint, int on)
{
	ULONG size = bm->SizeOfBitMap, r;

	if (!count)
		return hint < size ? hint & ~7u : 0;	/* as XP: see the top */
	if (count > size)
		return NONE;
	if (hint >= size)
		hint = 0;
	r = find_in(bm, count, hint, size, on);
	if (r == NONE && hint) {
		/* wrap: a run may end anywhere up to hint + count - 1 */
		ULONG to = hint + count - 1 < size ? hint + count - 1 : size;

		r = find_in(bm, count, 0, to, on);
	}
	return r;
}

ULONG NTAPI RtlFindClearBits(const RTL_BITMAP *bm, ULONG Count, ULONG Hint)
{
	return find(bm, Count, Hint, 0);
}

ULONG NTAPI RtlFindSetBits(const RTL_BITMAP *bm, ULONG Count, ULONG Hint)
{
	return find(bm, Count, Hint, 1);
}

ULONG NTAPI RtlFindClearBitsAndSet(RTL_BITMAP *bm, ULONG Count, ULONG Hint)
{
	ULONG r = find(bm, Count, Hint, 0);

	if (r != NONE)
		set_range(bm, r, Count, 1);
	return r;
}

ULONG NTAPI RtlFindSetBitsAndClear(RTL_BITMAP *bm, ULONG Count, ULONG Hint)
{
	ULONG r = find(bm, Count, Hint, 1);

	if (r != NONE)
		set_range(bm, r, Count, 0);
	return r;
}

ULONG NTAPI RtlNumberOfSetBits(const RTL_BITMAP *bm)
{
	ULONG n, total = 0, words = bm->SizeOfBitMap / 32;

	for (n = 0; n < words; n++)
		total += __builtin_popcount(bm->Buffer[n]);
	for (n = words * 32; n < bm->SizeOfBitMap; n++)
		total += bit(bm, n);
	return total;
}

ULONG NTAPI RtlNumberOfClearBits(const RTL_BITMAP *bm)
{
	return bm->SizeOfBitMap - RtlNumberOfSetBits(bm);
}
