// SPDX-License-Identifier: GPL-2.0
/*
 * Thread local storage slots, as XP's ntdll and kernel32 keep them: the
 * PEB's TlsBitmap (64 bits in PEB.TlsBitmapBits) and TlsExpansionBitmap
 * (1024 bits in PEB.TlsExpansionBitmapBits) say which indexes are taken,
 * set up as LdrpInitializeProcess does (RTL_BITMAPs in ntdll's data); the
 * values live in each thread's TEB.TlsSlots[64] and, for indexes 64 and
 * up, in TEB.TlsExpansionSlots, an array of 1024 made on the thread's
 * first need (one page, from NtAllocateVirtualMemory: no C library here,
 * these sources also build the PE ntdll.dll). The Rtl names are this
 * library's own; they do what XP's TlsAlloc/TlsFree/TlsGetValue/
 * TlsSetValue do, with NTSTATUS results.
 *
 * XP takes the PEB lock around the bitmaps; here each bit is taken and
 * released with one atomic operation, which needs no lock and cannot be
 * left held by a thread that dies. Freeing an index clears it in every
 * thread first (NtSetInformationThread ThreadZeroTlsCell), so the next
 * owner of the index finds NULL everywhere.
 *
 * An expansion array is not freed when a thread ends (XP frees it in
 * LdrShutdownThread; a pthread never passes there): RtlExitUserThread
 * frees it.
 */
#include <stdint.h>
#include <ntdll.h>

static RTL_BITMAP tls_bitmap, tls_expansion_bitmap;

/* XP's LdrpInitializeProcess part for TLS: idempotent, per process. */
void NTAPI RtlpInitializeTlsBitmaps(void)
{
	PEB *peb = NtCurrentPeb();

	tls_bitmap.SizeOfBitMap = TLS_MINIMUM_AVAILABLE;
	tls_bitmap.Buffer = peb->TlsBitmapBits;
	tls_expansion_bitmap.SizeOfBitMap = TLS_EXPANSION_SLOTS;
	tls_expansion_bitmap.Buffer = peb->TlsExpansionBitmapBits;
	peb->TlsBitmap = &tls_bitmap;
	peb->TlsExpansionBitmap = &tls_expansion_bitmap;
}

static PEB *tls_peb(void)
{
	PEB *peb = NtCurrentPeb();

	if (!peb->TlsBitmap || !peb->TlsExpansionBitmap)
		RtlpInitializeTlsBitmaps();
	return peb;
}

/* The lowest clear bit of @bits (@n bits), set atomically; -1 if none. */
static int tls_take(ULONG *bits, unsigned int n)
{
	unsigned int w, b;

	for (w = 0; w < n / 32; w++) {
		ULONG v = __atomic_load_n(&bits[w], __ATOMIC_RELAXED);

		while (v != 0xffffffffu) {
			b = __builtin_ctz(~v);
			if (!(__atomic_fetch_or(&bits[w], 1u << b,
						__ATOMIC_ACQ_REL) & (1u << b)))
				return w * 32 + b;
			v = __atomic_load_n(&bits[w], __ATOMIC_RELAXED);
		}
	}
	return -1;
}

/* The calling thread's expansion array, made on first need. */
static void **tls_expansion(TEB *teb)
{
	void *base = NULL;
	SIZE_T size = TLS_EXPANSION_SLOTS * sizeof(void *);

	if (teb->TlsExpansionSlots)
		return teb->TlsExpansionSlots;
	if (NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size,
				    MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE))
		return NULL;
	teb->TlsExpansionSlots = base;
	return base;
}

NTSTATUS NTAPI RtlTlsAlloc(ULONG *Index)
{
	PEB *peb = tls_peb();
	TEB *teb = NtCurrentTeb();
	void **exp;
	int i;

	i = tls_take(peb->TlsBitmapBits, TLS_MINIMUM_AVAILABLE);
	if (i >= 0) {
		teb->TlsSlots[i] = NULL;
		*Index = i;
		return STATUS_SUCCESS;
	}
	i = tls_take(peb->TlsExpansionBitmapBits, TLS_EXPANSION_SLOTS);
	if (i < 0) {
		*Index = TLS_OUT_OF_INDEXES;
		return STATUS_NO_MORE_ENTRIES;
	}
	exp = tls_expansion(teb);
	if (!exp) {
		__atomic_fetch_and(&peb->TlsExpansionBitmapBits[i / 32],
				   ~(1u << (i % 32)), __ATOMIC_RELEASE);
		*Index = TLS_OUT_OF_INDEXES;
		return STATUS_NO_MEMORY;
	}
	exp[i] = NULL;
	*Index = TLS_MINIMUM_AVAILABLE + i;
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlTlsFree(ULONG Index)
{
	PEB *peb = tls_peb();
	ULONG *bits = peb->TlsBitmapBits, i = Index, bit;
	NTSTATUS st;

	if (Index >= TLS_MINIMUM_AVAILABLE) {
		i = Index - TLS_MINIMUM_AVAILABLE;
		if (i >= TLS_EXPANSION_SLOTS)
			return STATUS_INVALID_PARAMETER;
		bits = peb->TlsExpansionBitmapBits;
	}
	bit = 1u << (i % 32);
	if (!(__atomic_load_n(&bits[i / 32], __ATOMIC_ACQUIRE) & bit))
		return STATUS_INVALID_PARAMETER;
	/* every thread's value goes before the index can be taken again */
	st = NtSetInformationThread(NtCurrentThread(), ThreadZeroTlsCell,
				    &Index, sizeof(Index));
	if (!NT_SUCCESS(st))
		return st;
	if (!(__atomic_fetch_and(&bits[i / 32], ~bit, __ATOMIC_ACQ_REL) & bit))
		return STATUS_INVALID_PARAMETER;	/* freed meanwhile */
	return STATUS_SUCCESS;
}

/* NULL and ERROR_INVALID_PARAMETER as last error for a bad index. */
void *NTAPI RtlTlsGetValue(ULONG Index)
{
	TEB *teb = NtCurrentTeb();
	void **exp;

	if (Index < TLS_MINIMUM_AVAILABLE) {
		teb->LastErrorValue = 0;
		return teb->TlsSlots[Index];
	}
	if (Index - TLS_MINIMUM_AVAILABLE >= TLS_EXPANSION_SLOTS) {
		teb->LastErrorValue = 87;	/* ERROR_INVALID_PARAMETER */
		return NULL;
	}
	teb->LastErrorValue = 0;
	exp = teb->TlsExpansionSlots;
	return exp ? exp[Index - TLS_MINIMUM_AVAILABLE] : NULL;
}

NTSTATUS NTAPI RtlTlsSetValue(ULONG Index, void *Value)
{
	TEB *teb = NtCurrentTeb();
	void **exp;

	if (Index < TLS_MINIMUM_AVAILABLE) {
		teb->TlsSlots[Index] = Value;
		return STATUS_SUCCESS;
	}
	if (Index - TLS_MINIMUM_AVAILABLE >= TLS_EXPANSION_SLOTS)
		return STATUS_INVALID_PARAMETER;
	exp = tls_expansion(teb);
	if (!exp)
		return STATUS_NO_MEMORY;
	exp[Index - TLS_MINIMUM_AVAILABLE] = Value;
	return STATUS_SUCCESS;
}

/* RtlExitUserThread: the calling thread's expansion array, if it has one. */
void RtlpFreeTlsExpansion(void)
{
	TEB *teb = NtCurrentTeb();
	void *base = teb->TlsExpansionSlots;
	SIZE_T size = 0;

	if (!base)
		return;
	teb->TlsExpansionSlots = NULL;
	NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, MEM_RELEASE);
}
