// SPDX-License-Identifier: GPL-2.0
/*
 * The image loader of ntdll.dll: what runs between the first instruction
 * of a native process and its entry point, and LdrLoadDll and friends
 * after it. XP's design, learnt from the PE specification, ReactOS's
 * dll/ntdll/ldr and Wine's dlls/ntdll/loader.c (no code taken):
 *
 *  LdrInitializeThunk(Context, NtdllBase, ...) is where the first thread
 *  starts (the process starter, tools/ntpeload.c, calls it on the image's
 *  stack with the CONTEXT the image must start with). The first time it
 *  initializes the process: the process heap, the loader lock, PEB->Ldr
 *  with the exe and ntdll as the first two modules, then the exe's
 *  imports, recursively, each DLL mapped through NtCreateSection
 *  (SEC_IMAGE) and NtMapViewOfSection, relocated when the kernel answers
 *  STATUS_IMAGE_NOT_AT_BASE, its imports bound by name or ordinal,
 *  forwarders followed; then static TLS for the thread, then every DLL's
 *  TLS callbacks and DllMain(DLL_PROCESS_ATTACH) in initialization order
 *  (a DLL after the DLLs it imports), the exe's TLS callbacks last. Then
 *  NtContinue(Context): the image's entry point.
 *
 *  A native entry point, NtProcessStartup(PEB), may return: the first
 *  thread's stack has a return slot the starter leaves 0 (as XP's
 *  RtlInitializeContext does); the loader puts LdrpExitThunk there,
 *  which ends the process with the returned value, after
 *  DLL_PROCESS_DETACH (LdrShutdownProcess).
 *
 *  Search path: a name with a path is used as it is; otherwise
 *  ProcessParameters->DllPath, directories separated by ';' (the
 *  starter sets the exe's directory, then the directory ntdll.dll came
 *  from, the "system directory"). ".dll" is appended to a name without
 *  an extension, as XP does.
 *
 * Locking: the loader lock (PEB->LoaderLock, a critical section) is held
 * across every walk or change of the module lists and across DllMain
 * calls, as on XP, so DllMain may call LdrLoadDll (recursive entry).
 *
 * Threads made by RtlCreateUserThread start in LdrpThreadStart: static
 * TLS and DLL_THREAD_ATTACH, then their routine; RtlExitUserThread sends
 * DLL_THREAD_DETACH (LdrShutdownThread). XP does this from
 * LdrInitializeThunk, where its kernel starts every thread.
 *
 * When ntpeload registered LdrInitializeThunk with the kernel, every
 * thread NtCreateThread makes starts there first (with its CONTEXT on its
 * stack, as XP's first user APC): static TLS and DLL_THREAD_ATTACH for a
 * bare NtCreateThread thread too, and LdrpThreadStart leaves it at that.
 *
 * Not done yet: unloading does not
 * unload the unloaded DLL's own dependencies; no activation contexts,
 * no KnownDlls, no bound imports (bindings are always re-resolved).
 */
#include <stdint.h>
#include "ntdll_private.h"
#include "pe_image.h"

/* The image helpers are in both libraries. */

void *NTAPI RtlImageNtHeader(void *Base)
{
	IMAGE_DOS_HEADER *dos = Base;
	IMAGE_NT_HEADERS32 *nt;

	if (!dos || dos->e_magic != IMAGE_DOS_SIGNATURE ||
	    dos->e_lfanew < 0 || dos->e_lfanew > 0x10000000)
		return NULL;
	nt = (IMAGE_NT_HEADERS32 *)((char *)Base + dos->e_lfanew);
	if (nt->Signature != IMAGE_NT_SIGNATURE)
		return NULL;
	return nt;
}

void *NTAPI RtlImageDirectoryEntryToData(void *Base, BOOLEAN MappedAsImage,
					 USHORT Directory, ULONG *Size)
{
	IMAGE_NT_HEADERS32 *nt = RtlImageNtHeader(Base);
	IMAGE_DATA_DIRECTORY *d;

	(void)MappedAsImage;	/* only mapped images are handled */
	if (!nt || nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR32_MAGIC ||
	    Directory >= nt->OptionalHeader.NumberOfRvaAndSizes ||
	    Directory >= IMAGE_NUMBEROF_DIRECTORY_ENTRIES)
		return NULL;
	d = &nt->OptionalHeader.DataDirectory[Directory];
	if (!d->VirtualAddress || !d->Size)
		return NULL;
	if (Size)
		*Size = d->Size;
	return (char *)Base + d->VirtualAddress;
}

#ifdef NTDLL_PE

unsigned long strtoul(const char *s, char **end, int base);

#define LDR_MAX_TLS	64

typedef LDR_DATA_TABLE_ENTRY LDR;

static PEB_LDR_DATA ldr_data;
static RTL_CRITICAL_SECTION ldr_lock;
static int ldr_tls_count;
static IMAGE_TLS_DIRECTORY32 *ldr_tls[LDR_MAX_TLS];
static int ldr_shutting_down;

/* ld gives every PE image this symbol at its own base */
extern IMAGE_DOS_HEADER __ImageBase;

static void list_init(LIST_ENTRY32 *l)
{
	l->Flink = l->Blink = l;
}

static void list_add_tail(LIST_ENTRY32 *head, LIST_ENTRY32 *e)
{
	e->Flink = head;
	e->Blink = head->Blink;
	head->Blink->Flink = e;
	head->Blink = e;
}

static void list_del(LIST_ENTRY32 *e)
{
	if (!e->Flink)
		return;
	e->Blink->Flink = e->Flink;
	e->Flink->Blink = e->Blink;
	e->Flink = e->Blink = NULL;
}

#define LDR_OF(e, field) \
	((LDR *)((char *)(e) - __builtin_offsetof(LDR, field)))

static IMAGE_NT_HEADERS32 *nt_of(void *base)
{
	return RtlImageNtHeader(base);
}

static WCHAR lower(WCHAR c)
{
	return RtlDowncaseUnicodeChar(c);
}

/* Does module m have base name n (n units), case-insensitively? */
static int name_is(const LDR *m, const WCHAR *n, size_t len)
{
	size_t i;

	if (m->BaseDllName.Length != len * sizeof(WCHAR))
		return 0;
	for (i = 0; i < len; i++)
		if (lower(m->BaseDllName.Buffer[i]) != lower(n[i]))
			return 0;
	return 1;
}

static LDR *find_by_base(void *base)
{
	LIST_ENTRY32 *e;

	for (e = ldr_data.InLoadOrderModuleList.Flink;
	     e != &ldr_data.InLoadOrderModuleList; e = e->Flink)
		if (LDR_OF(e, InLoadOrderLinks)->DllBase == base)
			return LDR_OF(e, InLoadOrderLinks);
	return NULL;
}

static LDR *find_by_name(const WCHAR *n, size_t len)
{
	LIST_ENTRY32 *e;

	for (e = ldr_data.InLoadOrderModuleList.Flink;
	     e != &ldr_data.InLoadOrderModuleList; e = e->Flink)
		if (name_is(LDR_OF(e, InLoadOrderLinks), n, len))
			return LDR_OF(e, InLoadOrderLinks);
	return NULL;
}

/* A heap copy of w[0..n) as a NUL-terminated UNICODE_STRING. */
static NTSTATUS ustr_dup(UNICODE_STRING *u, const WCHAR *w, size_t n)
{
	u->Buffer = ntdll_alloc((n + 1) * sizeof(WCHAR));
	if (!u->Buffer)
		return STATUS_NO_MEMORY;
	memcpy(u->Buffer, w, n * sizeof(WCHAR));
	u->Buffer[n] = 0;
	u->Length = n * sizeof(WCHAR);
	u->MaximumLength = (n + 1) * sizeof(WCHAR);
	return STATUS_SUCCESS;
}

/* The part after the last '\' (or '/') of w[0..n). */
static const WCHAR *base_name(const WCHAR *w, size_t n, size_t *len)
{
	size_t i = n;

	while (i && w[i - 1] != '\\' && w[i - 1] != '/')
		i--;
	*len = n - i;
	return w + i;
}

/*
 * A failing LdrLoadDll leaves the module lists as they were, as XP's
 * does (ReactOS dll/ntdll/ldr/ldrutils.c LdrpLoadDll: a DLL whose load
 * fails is unloaded, and with it what it loaded). Each module it maps
 * and each LoadCount it raises is noted in its ldr_txn, newest first;
 * on failure those are undone (txn_undo). Process initialization has
 * none: a failure there ends the process. A DllMain's LdrLoadDll is a
 * transaction of its own, inside the one that called the DllMain. A
 * note that cannot be allocated fails the load with nothing left
 * unrecorded: a LoadCount is raised only once noted, and a new module
 * that cannot be noted is freed at once.
 */
struct ldr_note {
	struct ldr_note *next;
	LDR *m;			/* NULL: the module went meanwhile */
	int fresh;		/* mapped by the transaction; else a LoadCount */
};

struct ldr_txn {
	struct ldr_txn *outer;
	struct ldr_note *notes;
};

static struct ldr_txn *ldr_txn;	/* the innermost under way, or NULL */

static NTSTATUS txn_note(LDR *m, int fresh)
{
	struct ldr_note *n;

	if (!ldr_txn)
		return STATUS_SUCCESS;
	n = RtlAllocateHeap(ntdll_process_heap(), 0, sizeof(*n));
	if (!n)
		return STATUS_NO_MEMORY;
	n->m = m;
	n->fresh = fresh;
	n->next = ldr_txn->notes;
	ldr_txn->notes = n;
	return STATUS_SUCCESS;
}

/* m is going: no transaction under way may undo anything on it. */
static void txn_forget(LDR *m)
{
	struct ldr_txn *t;
	struct ldr_note *n;

	for (t = ldr_txn; t; t = t->outer)
		for (n = t->notes; n; n = n->next)
			if (n->m == m)
				n->m = NULL;
}

/* Out of every list, unmapped, freed. Caller holds the loader lock. */
static void free_entry(LDR *m)
{
	txn_forget(m);
	list_del(&m->InInitializationOrderLinks);
	list_del(&m->InLoadOrderLinks);
	list_del(&m->InMemoryOrderLinks);
	NtUnmapViewOfSection(NtCurrentProcess(), m->DllBase);
	RtlFreeUnicodeString(&m->FullDllName);
	RtlFreeUnicodeString(&m->BaseDllName);
	RtlFreeHeap(ntdll_process_heap(), 0, m);
}

static LDR *new_entry(void *base, const WCHAR *full, size_t n)
{
	IMAGE_NT_HEADERS32 *nt = nt_of(base);
	const WCHAR *b;
	size_t blen;
	LDR *m;

	m = RtlAllocateHeap(ntdll_process_heap(), HEAP_ZERO_MEMORY, sizeof(*m));
	if (!m)
		return NULL;
	m->DllBase = base;
	m->SizeOfImage = nt->OptionalHeader.SizeOfImage;
	m->TimeDateStamp = nt->FileHeader.TimeDateStamp;
	if (nt->OptionalHeader.AddressOfEntryPoint)
		m->EntryPoint = (char *)base + nt->OptionalHeader.AddressOfEntryPoint;
	if (nt->FileHeader.Characteristics & IMAGE_FILE_DLL)
		m->Flags |= LDRP_IMAGE_DLL;
	if ((uintptr_t)base != nt->OptionalHeader.ImageBase)
		m->Flags |= LDRP_IMAGE_NOT_AT_BASE;
	m->LoadCount = 1;
	list_init(&m->HashLinks);
	b = base_name(full, n, &blen);
	if (!NT_SUCCESS(ustr_dup(&m->FullDllName, full, n)) ||
	    !NT_SUCCESS(ustr_dup(&m->BaseDllName, b, blen))) {
		RtlFreeUnicodeString(&m->FullDllName);
		RtlFreeHeap(ntdll_process_heap(), 0, m);
		return NULL;
	}
	list_add_tail(&ldr_data.InLoadOrderModuleList, &m->InLoadOrderLinks);
	list_add_tail(&ldr_data.InMemoryOrderModuleList, &m->InMemoryOrderLinks);
	return m;
}

/* Section characteristics -> the protection after loading. */
static ULONG section_protect(ULONG c)
{
	int x = !!(c & IMAGE_SCN_MEM_EXECUTE), w = !!(c & IMAGE_SCN_MEM_WRITE);
	int r = !!(c & IMAGE_SCN_MEM_READ);

	if (x)
		return w ? PAGE_EXECUTE_READWRITE : r ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
	if (w)
		return PAGE_READWRITE;
	return r ? PAGE_READONLY : PAGE_NOACCESS;
}

static NTSTATUS protect(void *addr, SIZE_T size, ULONG prot)
{
	ULONG old;

	if (!size)
		return STATUS_SUCCESS;
	return NtProtectVirtualMemory(NtCurrentProcess(), &addr, &size, prot, &old);
}

/*
 * The loader does not trust a mapped image (issue 14). The kernel checked
 * the headers and the section table when it made the section (mm/image.c)
 * and mapped them read-only, so those are what they were; everything
 * else is the image's own data: every directory, RVA, count, name and
 * pointer in it is checked against the view before the loader reads or
 * writes through it, overflow-safe (64-bit sums of 32-bit fields). The
 * view is laid out as mm/image.c makes it: headers at the base, each
 * section at its RVA up to the page after its VirtualSize (else
 * SizeOfRawData), no-access pages between them and for a section with
 * none of the read, write and execute bits; an image with a section
 * alignment below a page is one flat view, all of it accessible.
 *
 * A malformed directory ends the load with STATUS_INVALID_IMAGE_FORMAT,
 * what ReactOS's loader answers for a bad relocation block or a DLL
 * without an export table (sdk/lib/rtl/image.c LdrRelocateImageWithBias,
 * dll/ntdll/ldr/ldrpe.c LdrpSnapIAT); an import that is not there is
 * STATUS_ENTRYPOINT_NOT_FOUND or STATUS_ORDINAL_NOT_FOUND
 * (ldrpe.c LdrpSnapThunk), as XP reports them.
 */
struct img {
	char *base;
	IMAGE_NT_HEADERS32 *nt;
	IMAGE_SECTION_HEADER *sec;
	ULONG nsec;
	uint64_t size;		/* SizeOfImage, page-aligned */
	uint64_t hdrs;		/* the headers' pages */
	int flat;
};

#define LDR_PAGE_UP(x)	(((uint64_t)(x) + 0xfff) & ~(uint64_t)0xfff)
#define SCN_RWX		(IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE | \
			 IMAGE_SCN_MEM_EXECUTE)

static void img_init(struct img *im, void *base)
{
	IMAGE_NT_HEADERS32 *nt = nt_of(base);
	ULONG hdrs = nt->OptionalHeader.SizeOfHeaders;

	im->base = base;
	im->nt = nt;
	im->sec = IMAGE_FIRST_SECTION(nt);
	im->nsec = nt->FileHeader.NumberOfSections;
	im->size = LDR_PAGE_UP(nt->OptionalHeader.SizeOfImage);
	im->hdrs = LDR_PAGE_UP(hdrs ? hdrs : 1);
	if (im->hdrs > im->size)
		im->hdrs = im->size;
	im->flat = nt->OptionalHeader.SectionAlignment < 0x1000;
}

/* The section whose mapped pages hold rva, or NULL. */
static IMAGE_SECTION_HEADER *img_section(const struct img *im, uint64_t rva,
					 uint64_t *end)
{
	IMAGE_SECTION_HEADER *s = im->sec;
	ULONG i, vsize;

	for (i = 0; i < im->nsec; i++, s++) {
		vsize = s->VirtualSize ? s->VirtualSize : s->SizeOfRawData;
		*end = LDR_PAGE_UP((uint64_t)s->VirtualAddress + vsize);
		if (rva >= s->VirtualAddress && rva < *end)
			return s;
	}
	return NULL;
}

/*
 * May [rva, rva + len) be read? With @scn, the section it lies in
 * (NULL: the headers or a flat image, which the loader may write once
 * made writable).
 */
static int img_ok(const struct img *im, uint64_t rva, uint64_t len,
		  IMAGE_SECTION_HEADER **scn)
{
	IMAGE_SECTION_HEADER *s;
	uint64_t end;

	if (scn)
		*scn = NULL;
	if (rva > im->size || len > im->size - rva)
		return 0;
	if (im->flat || rva + len <= im->hdrs)
		return 1;
	s = img_section(im, rva, &end);
	if (!s || rva + len > end || !(s->Characteristics & SCN_RWX))
		return 0;
	if (scn)
		*scn = s;
	return 1;
}

/* A NUL-terminated string at rva, all of it readable; NULL if not. */
static const char *img_str(const struct img *im, ULONG rva)
{
	IMAGE_SECTION_HEADER *s;
	uint64_t end, i;
	const char *p;

	if (!img_ok(im, rva, 1, NULL))
		return NULL;
	if (im->flat)
		end = im->size;
	else if (rva < im->hdrs)
		end = im->hdrs;
	else if ((s = img_section(im, rva, &end)) == NULL)
		return NULL;
	if (end > im->size)
		end = im->size;
	p = im->base + rva;
	for (i = 0; rva + i < end; i++)
		if (!p[i])
			return p;
	return NULL;
}

/* A directory: its RVA (0: none), checked to be readable whole. */
static NTSTATUS img_dir(const struct img *im, USHORT which, ULONG min,
			ULONG *rva, ULONG *size)
{
	IMAGE_OPTIONAL_HEADER32 *o = &im->nt->OptionalHeader;
	IMAGE_DATA_DIRECTORY *d;

	*rva = 0;
	if (which >= o->NumberOfRvaAndSizes ||
	    which >= IMAGE_NUMBEROF_DIRECTORY_ENTRIES)
		return STATUS_SUCCESS;
	d = &o->DataDirectory[which];
	if (!d->VirtualAddress || !d->Size)
		return STATUS_SUCCESS;
	if (d->Size < min || !img_ok(im, d->VirtualAddress, d->Size, NULL))
		return STATUS_INVALID_IMAGE_FORMAT;
	*rva = d->VirtualAddress;
	if (size)
		*size = d->Size;
	return STATUS_SUCCESS;
}

/* A VA the image holds (TLS fields are VAs) as an RVA; ~0 if below it. */
static uint64_t img_rva(const struct img *im, ULONG va)
{
	return va >= (ULONG)(uintptr_t)im->base ?
		va - (ULONG)(uintptr_t)im->base : ~(uint64_t)0 >> 1;
}

/* The end of section s's mapped pages (an RVA). */
static uint64_t scn_end(const IMAGE_SECTION_HEADER *s)
{
	ULONG vsize = s->VirtualSize ? s->VirtualSize : s->SizeOfRawData;

	return LDR_PAGE_UP((uint64_t)s->VirtualAddress + vsize);
}

/*
 * Relocations and import binding write into the image; nothing else of
 * it is the loader's to change. XP's loader makes each section that is
 * not writable writable for the fixups and gives it its own protection
 * back after (ReactOS dll/ntdll/ldr/ldrutils.c LdrpSetProtection, called
 * around LdrRelocateImageWithBias and the IAT snap): the headers keep
 * the PAGE_READONLY, the pages between and after the sections the
 * PAGE_NOACCESS the kernel gave them (MiCreateImageFileMap;
 * mm/image.c here). So each write target must lie in one section's
 * mapped pages (the headers or a gap: STATUS_INVALID_IMAGE_FORMAT), and
 * a section that is not writable is made PAGE_READWRITE the first time
 * a write lands in it: never writable and executable at once, the image
 * runs no code before it is fixed. Two system calls per such section,
 * none for a section the image writes itself (mingw's .idata) or an
 * image at its base with its IAT in such a section. A flat image is all
 * PAGE_EXECUTE_WRITECOPY, the kernel's as XP's: written as it is.
 */
struct unprot {
	const IMAGE_SECTION_HEADER *last;	/* the last write's section */
	uint64_t last_end;
	ULONG mask[(96 + 31) / 32];		/* made writable */
};

static NTSTATUS img_writable(const struct img *im, struct unprot *u,
			     uint64_t rva, uint64_t len)
{
	IMAGE_SECTION_HEADER *s;
	NTSTATUS st;
	ULONG i;

	if (u->last && rva >= u->last->VirtualAddress &&
	    rva + len <= u->last_end)
		return STATUS_SUCCESS;
	if (!img_ok(im, rva, len, &s))
		return STATUS_INVALID_IMAGE_FORMAT;
	if (im->flat)
		return STATUS_SUCCESS;
	if (!s)
		return STATUS_INVALID_IMAGE_FORMAT;	/* in the headers */
	i = s - im->sec;
	if (i >= 96)
		return STATUS_INVALID_IMAGE_FORMAT;
	if (!(s->Characteristics & IMAGE_SCN_MEM_WRITE) &&
	    !(u->mask[i / 32] & (1u << (i % 32)))) {
		st = protect(im->base + s->VirtualAddress,
			     (SIZE_T)(scn_end(s) - s->VirtualAddress),
			     PAGE_READWRITE);
		if (!NT_SUCCESS(st))
			return st;
		u->mask[i / 32] |= 1u << (i % 32);
	}
	u->last = s;
	u->last_end = scn_end(s);
	return STATUS_SUCCESS;
}

/* Every section img_writable() changed gets its own protection back. */
static void img_reprotect(const struct img *im, const struct unprot *u)
{
	const IMAGE_SECTION_HEADER *s;
	ULONG i;

	for (i = 0; i < im->nsec && i < 96; i++) {
		if (!(u->mask[i / 32] & (1u << (i % 32))))
			continue;
		s = &im->sec[i];
		protect(im->base + s->VirtualAddress,
			(SIZE_T)(scn_end(s) - s->VirtualAddress),
			section_protect(s->Characteristics));
	}
}

/*
 * Apply the base relocations of the image: every block within the
 * directory, every target within one section (img_writable).
 */
static NTSTATUS relocate(const struct img *im, struct unprot *u)
{
	IMAGE_NT_HEADERS32 *nt = im->nt;
	LONG delta = (LONG)((uintptr_t)im->base - nt->OptionalHeader.ImageBase);
	IMAGE_BASE_RELOCATION *r;
	ULONG rva, size, done = 0, n, i;
	uint64_t off;
	USHORT *e;
	NTSTATUS st;

	if (!delta)
		return STATUS_SUCCESS;
	st = img_dir(im, IMAGE_DIRECTORY_ENTRY_BASERELOC, 0, &rva, &size);
	if (!NT_SUCCESS(st))
		return st;
	if (!rva)
		return (nt->FileHeader.Characteristics & IMAGE_FILE_RELOCS_STRIPPED) ?
			STATUS_CONFLICTING_ADDRESSES : STATUS_SUCCESS;
	while (size - done >= sizeof(*r)) {
		r = (IMAGE_BASE_RELOCATION *)(im->base + rva + done);
		if (r->SizeOfBlock < sizeof(*r) || r->SizeOfBlock > size - done ||
		    (r->SizeOfBlock & 1))
			return STATUS_INVALID_IMAGE_FORMAT;
		n = (r->SizeOfBlock - sizeof(*r)) / sizeof(USHORT);
		e = (USHORT *)(r + 1);
		for (i = 0; i < n; i++) {
			char *p;

			off = (uint64_t)r->VirtualAddress + (e[i] & 0xfff);
			p = im->base + off;
			switch (e[i] >> 12) {
			case IMAGE_REL_BASED_ABSOLUTE:
				break;
			case IMAGE_REL_BASED_HIGHLOW:
				st = img_writable(im, u, off, 4);
				if (!NT_SUCCESS(st))
					return st;
				*(ULONG *)p += delta;
				break;
			case IMAGE_REL_BASED_HIGH:
				st = img_writable(im, u, off, 2);
				if (!NT_SUCCESS(st))
					return st;
				*(USHORT *)p += (USHORT)(delta >> 16);
				break;
			case IMAGE_REL_BASED_LOW:
				st = img_writable(im, u, off, 2);
				if (!NT_SUCCESS(st))
					return st;
				*(USHORT *)p += (USHORT)delta;
				break;
			default:
				return STATUS_INVALID_IMAGE_FORMAT;
			}
		}
		done += r->SizeOfBlock;
	}
	return STATUS_SUCCESS;
}

static NTSTATUS load_dll(const WCHAR *name, size_t n, const WCHAR *path,
			 LDR **out);
static NTSTATUS get_proc(LDR *m, const char *name, ULONG ordinal, void **addr,
			 int depth);

/* Resolve a forwarder "DLL.Name" or "DLL.#Ordinal". */
static NTSTATUS forward(const char *fwd, void **addr, int depth)
{
	const char *dot = strrchr(fwd, '.');
	WCHAR dll[64];
	size_t i, n;
	LDR *m;
	NTSTATUS st;

	if (!dot || dot == fwd || (size_t)(dot - fwd) >= 60 || depth > 8)
		return STATUS_INVALID_IMAGE_FORMAT;
	n = dot - fwd;
	for (i = 0; i < n; i++)
		dll[i] = (unsigned char)fwd[i];
	st = load_dll(dll, n, NULL, &m);
	if (!NT_SUCCESS(st))
		return st;
	if (dot[1] == '#')
		return get_proc(m, NULL, strtoul(dot + 2, NULL, 10), addr, depth + 1);
	return get_proc(m, dot + 1, 0, addr, depth + 1);
}

/*
 * The export of m by name (or by ordinal when name is NULL). A missing
 * export table or entry is STATUS_PROCEDURE_NOT_FOUND or
 * STATUS_ORDINAL_NOT_FOUND (LdrGetProcedureAddress's answers); a table
 * whose arrays, names or forwarders leave the image is malformed.
 */
static NTSTATUS get_proc(LDR *m, const char *name, ULONG ordinal, void **addr,
			 int depth)
{
	IMAGE_EXPORT_DIRECTORY *ex;
	ULONG ex_rva, size, rva, lo, hi, mid, *names, *funcs;
	const char *s;
	struct img im;
	USHORT *ords;
	NTSTATUS st;
	int c;

	img_init(&im, m->DllBase);
	st = img_dir(&im, IMAGE_DIRECTORY_ENTRY_EXPORT, sizeof(*ex), &ex_rva,
		     &size);
	if (!NT_SUCCESS(st))
		return st;
	if (!ex_rva)
		return name ? STATUS_PROCEDURE_NOT_FOUND : STATUS_ORDINAL_NOT_FOUND;
	ex = (IMAGE_EXPORT_DIRECTORY *)(im.base + ex_rva);
	if (!img_ok(&im, ex->AddressOfFunctions,
		    (uint64_t)ex->NumberOfFunctions * 4, NULL))
		return STATUS_INVALID_IMAGE_FORMAT;
	funcs = (ULONG *)(im.base + ex->AddressOfFunctions);
	if (name) {
		if (!img_ok(&im, ex->AddressOfNames,
			    (uint64_t)ex->NumberOfNames * 4, NULL) ||
		    !img_ok(&im, ex->AddressOfNameOrdinals,
			    (uint64_t)ex->NumberOfNames * 2, NULL))
			return STATUS_INVALID_IMAGE_FORMAT;
		names = (ULONG *)(im.base + ex->AddressOfNames);
		ords = (USHORT *)(im.base + ex->AddressOfNameOrdinals);
		lo = 0;
		hi = ex->NumberOfNames;
		while (lo < hi) {		/* the names are sorted */
			mid = lo + (hi - lo) / 2;
			s = img_str(&im, names[mid]);
			if (!s)
				return STATUS_INVALID_IMAGE_FORMAT;
			c = strcmp(name, s);
			if (!c)
				break;
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		if (lo >= hi)
			return STATUS_PROCEDURE_NOT_FOUND;
		ordinal = ords[mid];
	} else {
		if (ordinal < ex->Base || ordinal - ex->Base >= ex->NumberOfFunctions)
			return STATUS_ORDINAL_NOT_FOUND;
		ordinal -= ex->Base;
	}
	if (ordinal >= ex->NumberOfFunctions || !(rva = funcs[ordinal]))
		return name ? STATUS_PROCEDURE_NOT_FOUND : STATUS_ORDINAL_NOT_FOUND;
	if (rva >= ex_rva && rva - ex_rva < size) {
		s = img_str(&im, rva);
		return s ? forward(s, addr, depth) : STATUS_INVALID_IMAGE_FORMAT;
	}
	if (rva >= im.size)
		return STATUS_INVALID_IMAGE_FORMAT;
	*addr = im.base + rva;
	return STATUS_SUCCESS;
}

/*
 * An import descriptor's DLL name, widened into dll[256]; its length, or
 * -1 for a name that is not in the image (or longer than XP's 255).
 */
static int import_name(const struct img *im, ULONG rva, WCHAR *dll,
		       const char **n)
{
	int i;

	*n = img_str(im, rva);
	if (!*n)
		return -1;
	for (i = 0; (*n)[i]; i++) {
		if (i >= 255)
			return -1;
		dll[i] = (unsigned char)(*n)[i];
	}
	return i;
}

/*
 * Bind the import table of m: each descriptor, lookup entry, hint/name
 * and IAT slot checked before use (u: the sections made writable).
 */
static NTSTATUS snap_imports(LDR *m, struct unprot *u)
{
	IMAGE_IMPORT_DESCRIPTOR *d;
	ULONG d_rva, size, look, iat, v, i, j;
	const char *n, *fn;
	struct img im;
	WCHAR dll[256];
	LDR *dep;
	NTSTATUS st;
	void *addr;
	int len;

	img_init(&im, m->DllBase);
	st = img_dir(&im, IMAGE_DIRECTORY_ENTRY_IMPORT, 0, &d_rva, &size);
	if (!NT_SUCCESS(st) || !d_rva)
		return st;
	for (i = 0;; i++) {
		if (!img_ok(&im, (uint64_t)d_rva + (uint64_t)i * sizeof(*d),
			    sizeof(*d), NULL))
			return STATUS_INVALID_IMAGE_FORMAT;
		d = (IMAGE_IMPORT_DESCRIPTOR *)(im.base + d_rva) + i;
		if (!d->Name || !d->FirstThunk)
			break;
		len = import_name(&im, d->Name, dll, &n);
		if (len < 0)
			return STATUS_INVALID_IMAGE_FORMAT;
		st = load_dll(dll, len, NULL, &dep);
		if (!NT_SUCCESS(st)) {
			DbgPrint("ntdll: %s needed by %wZ: status 0x%08lx\n", n,
				 &m->BaseDllName, (unsigned long)st);
			return st;
		}
		look = d->OriginalFirstThunk ? d->OriginalFirstThunk : d->FirstThunk;
		iat = d->FirstThunk;
		for (j = 0;; j++) {
			uint64_t lrva = (uint64_t)look + (uint64_t)j * 4;
			uint64_t irva = (uint64_t)iat + (uint64_t)j * 4;

			if (!img_ok(&im, lrva, 4, NULL))
				return STATUS_INVALID_IMAGE_FORMAT;
			v = *(ULONG *)(im.base + lrva);
			if (!v)
				break;
			if (v & IMAGE_ORDINAL_FLAG32) {
				st = get_proc(dep, NULL, v & 0xffff, &addr, 0);
				if (st == STATUS_PROCEDURE_NOT_FOUND)
					st = STATUS_ORDINAL_NOT_FOUND;
				fn = NULL;
			} else {
				fn = img_ok(&im, v, 2, NULL) ?
					img_str(&im, v + 2) : NULL;
				if (!fn)
					return STATUS_INVALID_IMAGE_FORMAT;
				st = get_proc(dep, fn, 0, &addr, 0);
				/* at load time: ldrpe.c LdrpSnapThunk */
				if (st == STATUS_PROCEDURE_NOT_FOUND)
					st = STATUS_ENTRYPOINT_NOT_FOUND;
			}
			if (!NT_SUCCESS(st)) {
				if (!fn)
					DbgPrint("ntdll: ordinal %lu not in %s\n",
						 (unsigned long)(v & 0xffff), n);
				else
					DbgPrint("ntdll: %s not in %s\n", fn, n);
				return st;
			}
			st = img_writable(&im, u, irva, 4);
			if (!NT_SUCCESS(st))
				return st;
			*(ULONG *)(im.base + irva) = (ULONG)(uintptr_t)addr;
		}
	}
	return STATUS_SUCCESS;
}

/*
 * Relocate (if off its base) and bind m; afterwards every page has the
 * protection the kernel gave it.
 */
static NTSTATUS fix_image(LDR *m, int relocate_it)
{
	struct unprot u;
	struct img im;
	NTSTATUS st = STATUS_SUCCESS;

	memset(&u, 0, sizeof(u));
	img_init(&im, m->DllBase);
	if (relocate_it)
		st = relocate(&im, &u);
	if (NT_SUCCESS(st))
		st = snap_imports(m, &u);
	img_reprotect(&im, &u);
	return st;
}

/* Map the file nt (an NT path) as an image; its base, or an error. */
static NTSTATUS map_image(const UNICODE_STRING *nt, void **base)
{
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;
	HANDLE file, sec;
	SIZE_T size = 0;
	NTSTATUS st;

	InitializeObjectAttributes(&oa, (UNICODE_STRING *)nt,
				   OBJ_CASE_INSENSITIVE, NULL, NULL);
	st = NtOpenFile(&file, SYNCHRONIZE | FILE_EXECUTE | FILE_READ_DATA,
			&oa, &io, FILE_SHARE_READ | FILE_SHARE_DELETE,
			FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
	if (!NT_SUCCESS(st))
		return st;
	st = NtCreateSection(&sec, SECTION_MAP_READ | SECTION_MAP_EXECUTE |
			     SECTION_MAP_WRITE | SECTION_QUERY, NULL, NULL,
			     PAGE_EXECUTE, SEC_IMAGE,
			     file);
	NtClose(file);
	if (!NT_SUCCESS(st))
		return st;
	*base = NULL;
	st = NtMapViewOfSection(sec, NtCurrentProcess(), base, 0, 0, NULL,
				&size, ViewShare, 0, PAGE_READWRITE);
	NtClose(sec);
	return st;
}

/*
 * Open name in the search path: the directories of path (';'-separated
 * DOS paths; NULL: ProcessParameters->DllPath). A name with a path
 * separator is taken as it is. On success nt is the NT name found.
 */
static NTSTATUS search_and_map(const WCHAR *name, size_t n, const WCHAR *path,
			       UNICODE_STRING *nt, void **base)
{
	RTL_USER_PROCESS_PARAMETERS *pp = NtCurrentPeb()->ProcessParameters;
	WCHAR buf[520];
	const WCHAR *p, *end;
	size_t i, dl;
	NTSTATUS st = STATUS_DLL_NOT_FOUND, r;

	for (i = 0; i < n; i++)
		if (name[i] == '\\' || name[i] == '/' || name[i] == ':')
			break;
	if (i < n) {
		if (n >= 520)
			return STATUS_NAME_TOO_LONG;
		memcpy(buf, name, n * sizeof(WCHAR));
		buf[n] = 0;
		if (!RtlDosPathNameToNtPathName_U(buf, nt, NULL, NULL))
			return STATUS_OBJECT_NAME_INVALID;
		r = map_image(nt, base);
		if (!NT_SUCCESS(r))
			RtlFreeUnicodeString(nt);
		return r;
	}
	if (!path)
		path = pp && pp->DllPath.Buffer ? pp->DllPath.Buffer : u"";
	for (p = path; *p; p = *end ? end + 1 : end) {
		for (end = p; *end && *end != ';'; end++)
			;
		dl = end - p;
		if (!dl || dl + 1 + n + 1 > 520)
			continue;
		memcpy(buf, p, dl * sizeof(WCHAR));
		buf[dl] = '\\';
		memcpy(buf + dl + 1, name, n * sizeof(WCHAR));
		buf[dl + 1 + n] = 0;
		if (!RtlDosPathNameToNtPathName_U(buf, nt, NULL, NULL))
			continue;
		r = map_image(nt, base);
		if (NT_SUCCESS(r))
			return r;
		RtlFreeUnicodeString(nt);
		/* a file that is there but is no image is an answer */
		if (r != STATUS_OBJECT_NAME_NOT_FOUND &&
		    r != STATUS_OBJECT_PATH_NOT_FOUND && r != STATUS_NO_SUCH_FILE)
			return r;
	}
	return st;
}

static NTSTATUS tls_check(LDR *m);

/*
 * Find or load the DLL name[0..n) with its imports (not initialized:
 * init_modules does that). Caller holds the loader lock.
 */
static NTSTATUS load_dll(const WCHAR *name, size_t n, const WCHAR *path,
			 LDR **out)
{
	WCHAR full[260];
	UNICODE_STRING nt;
	const WCHAR *b;
	size_t blen, i;
	void *base;
	LDR *m;
	NTSTATUS st, map;

	if (!n || n > 250)
		return STATUS_DLL_NOT_FOUND;
	memcpy(full, name, n * sizeof(WCHAR));
	b = base_name(full, n, &blen);
	for (i = 0; i < blen && b[i] != '.'; i++)
		;
	if (i == blen) {			/* no extension: .dll */
		memcpy(full + n, u".dll", 4 * sizeof(WCHAR));
		n += 4;
		blen += 4;
	}
	m = find_by_name(b, blen);
	if (m) {
		if (m->LoadCount != 0xffff) {
			if (!NT_SUCCESS(txn_note(m, 0)))
				return STATUS_NO_MEMORY;
			m->LoadCount++;
		}
		*out = m;
		return STATUS_SUCCESS;
	}
	map = search_and_map(full, n, path, &nt, &base);
	if (!NT_SUCCESS(map))
		return map;
	m = new_entry(base, nt.Buffer, nt.Length / sizeof(WCHAR));
	RtlFreeUnicodeString(&nt);
	if (!m) {
		NtUnmapViewOfSection(NtCurrentProcess(), base);
		return STATUS_NO_MEMORY;
	}
	m->Flags |= LDRP_LOAD_IN_PROGRESS;
	st = fix_image(m, map == STATUS_IMAGE_NOT_AT_BASE);
	if (NT_SUCCESS(st))
		st = tls_check(m);
	m->Flags &= ~LDRP_LOAD_IN_PROGRESS;
	if (NT_SUCCESS(st))
		st = txn_note(m, 1);
	if (!NT_SUCCESS(st)) {
		/* what its imports loaded is the transaction's to undo */
		free_entry(m);
		return st;
	}
	*out = m;
	return STATUS_SUCCESS;
}

typedef void (NTAPI *tls_callback)(void *base, ULONG reason, void *reserved);
typedef BOOLEAN (NTAPI *dll_main)(void *base, ULONG reason, void *reserved);

/* The TLS directory of base, readable whole, or NULL. */
static IMAGE_TLS_DIRECTORY32 *tls_dir(const struct img *im)
{
	ULONG rva;

	if (!NT_SUCCESS(img_dir(im, IMAGE_DIRECTORY_ENTRY_TLS,
				sizeof(IMAGE_TLS_DIRECTORY32), &rva, NULL)) ||
	    !rva)
		return NULL;
	return (IMAGE_TLS_DIRECTORY32 *)(im->base + rva);
}

/* Is the callback slot i of the TLS directory readable, its value code of the image? */
static int tls_callback_ok(const struct img *im, IMAGE_TLS_DIRECTORY32 *tls,
			   ULONG i, ULONG *cb)
{
	uint64_t slot = img_rva(im, tls->AddressOfCallBacks) + (uint64_t)i * 4;
	IMAGE_SECTION_HEADER *s;
	uint64_t code;

	if (!img_ok(im, slot, 4, NULL))
		return 0;
	*cb = *(ULONG *)(im->base + slot);
	if (!*cb)
		return 1;
	code = img_rva(im, *cb);
	if (!img_ok(im, code, 1, &s))
		return 0;
	return im->flat || (s && (s->Characteristics & IMAGE_SCN_MEM_EXECUTE));
}

/*
 * The TLS directory of m, checked once at load: the template within the
 * image, a bounded zero fill, the index slot writable, each callback
 * slot readable and each callback in an executable section of m.
 */
#define LDR_TLS_MAX	(64u << 20)

static NTSTATUS tls_check(LDR *m)
{
	IMAGE_TLS_DIRECTORY32 *tls;
	IMAGE_SECTION_HEADER *s;
	struct img im;
	ULONG cb, i;

	img_init(&im, m->DllBase);
	if (!NT_SUCCESS(img_dir(&im, IMAGE_DIRECTORY_ENTRY_TLS,
				sizeof(*tls), &i, NULL)))
		return STATUS_INVALID_IMAGE_FORMAT;
	tls = tls_dir(&im);
	if (!tls)
		return STATUS_SUCCESS;
	if (tls->EndAddressOfRawData < tls->StartAddressOfRawData ||
	    (tls->EndAddressOfRawData != tls->StartAddressOfRawData &&
	     !img_ok(&im, img_rva(&im, tls->StartAddressOfRawData),
		     tls->EndAddressOfRawData - tls->StartAddressOfRawData,
		     NULL)) ||
	    (uint64_t)tls->EndAddressOfRawData - tls->StartAddressOfRawData +
	    tls->SizeOfZeroFill > LDR_TLS_MAX)
		return STATUS_INVALID_IMAGE_FORMAT;
	if (tls->AddressOfIndex &&
	    (!img_ok(&im, img_rva(&im, tls->AddressOfIndex), 4, &s) ||
	     (!im.flat && !(s && (s->Characteristics & IMAGE_SCN_MEM_WRITE)))))
		return STATUS_INVALID_IMAGE_FORMAT;
	if (tls->AddressOfCallBacks)
		for (i = 0;; i++) {
			if (!tls_callback_ok(&im, tls, i, &cb))
				return STATUS_INVALID_IMAGE_FORMAT;
			if (!cb)
				break;
		}
	return STATUS_SUCCESS;
}

/*
 * tls_check() passed at load; the image may have changed its writable
 * pages since, so each slot is looked at again: the list ends at the
 * first slot that is no longer what was checked.
 */
static void call_tls_callbacks(void *base, ULONG reason)
{
	IMAGE_TLS_DIRECTORY32 *tls;
	struct img im;
	ULONG cb, i;

	img_init(&im, base);
	tls = tls_dir(&im);
	if (!tls || !tls->AddressOfCallBacks)
		return;
	for (i = 0; tls_callback_ok(&im, tls, i, &cb) && cb; i++)
		((tls_callback)(uintptr_t)cb)(base, reason, NULL);
}

/*
 * Static TLS: give each image with a TLS directory an index, and the
 * current thread its blocks (TEB->ThreadLocalStoragePointer).
 */
static NTSTATUS tls_register(LDR *m)
{
	IMAGE_TLS_DIRECTORY32 *tls;
	struct img im;

	img_init(&im, m->DllBase);
	tls = tls_dir(&im);
	if (!tls)
		return STATUS_SUCCESS;
	if (ldr_tls_count >= LDR_MAX_TLS)
		return STATUS_NO_MEMORY;
	m->TlsIndex = ldr_tls_count;
	if (tls->AddressOfIndex)
		*(ULONG *)(uintptr_t)tls->AddressOfIndex = ldr_tls_count;
	ldr_tls[ldr_tls_count++] = tls;
	return STATUS_SUCCESS;
}

static NTSTATUS tls_thread_init(void)
{
	void **slots;
	int i;

	if (!ldr_tls_count)
		return STATUS_SUCCESS;
	slots = RtlAllocateHeap(ntdll_process_heap(), HEAP_ZERO_MEMORY,
				ldr_tls_count * sizeof(void *));
	if (!slots)
		return STATUS_NO_MEMORY;
	for (i = 0; i < ldr_tls_count; i++) {
		IMAGE_TLS_DIRECTORY32 *t = ldr_tls[i];
		ULONG data = t->EndAddressOfRawData - t->StartAddressOfRawData;
		char *blk;

		blk = RtlAllocateHeap(ntdll_process_heap(), HEAP_ZERO_MEMORY,
				      data + t->SizeOfZeroFill);
		if (!blk)
			return STATUS_NO_MEMORY;
		memcpy(blk, (void *)(uintptr_t)t->StartAddressOfRawData, data);
		slots[i] = blk;
	}
	NtCurrentTeb()->ThreadLocalStoragePointer = slots;
	return STATUS_SUCCESS;
}

/*
 * Initialize, in dependency order, m and every module it imports that
 * has not been: each goes on the initialization-order list, gets its
 * TLS callbacks and its DllMain(DLL_PROCESS_ATTACH).
 */
static NTSTATUS init_module(LDR *m, void *reserved)
{
	IMAGE_IMPORT_DESCRIPTOR *d;
	char *base = m->DllBase;
	ULONG d_rva = 0, size, j;
	struct img im;
	WCHAR dll[256];
	const char *n;
	int i;
	LDR *dep;
	NTSTATUS st;

	if (m->Flags & LDRP_ENTRY_PROCESSED)
		return STATUS_SUCCESS;
	m->Flags |= LDRP_ENTRY_PROCESSED;	/* also breaks import cycles */
	img_init(&im, base);
	/* checked by snap_imports(); looked at again, as the image may write it */
	img_dir(&im, IMAGE_DIRECTORY_ENTRY_IMPORT, 0, &d_rva, &size);
	for (j = 0; d_rva; j++) {
		if (!img_ok(&im, (uint64_t)d_rva + (uint64_t)j * sizeof(*d),
			    sizeof(*d), NULL))
			break;
		d = (IMAGE_IMPORT_DESCRIPTOR *)(base + d_rva) + j;
		if (!d->Name || !d->FirstThunk)
			break;
		i = import_name(&im, d->Name, dll, &n);
		if (i < 0)
			break;
		if (i < 252 && !strchr(n, '.')) {
			memcpy(dll + i, u".dll", 8);
			i += 4;
		}
		dep = find_by_name(dll, i);
		if (dep) {
			st = init_module(dep, reserved);
			if (!NT_SUCCESS(st))
				return st;
		}
	}
	if (!(m->Flags & LDRP_IMAGE_DLL))
		return STATUS_SUCCESS;	/* the exe is initialized last */
	list_add_tail(&ldr_data.InInitializationOrderModuleList,
		      &m->InInitializationOrderLinks);
	call_tls_callbacks(base, DLL_PROCESS_ATTACH);
	if (m->EntryPoint) {
		ldr_data.EntryInProgress = m;
		if (!((dll_main)m->EntryPoint)(base, DLL_PROCESS_ATTACH, reserved)) {
			ldr_data.EntryInProgress = NULL;
			DbgPrint("ntdll: %wZ: DllMain failed\n", &m->BaseDllName);
			return STATUS_DLL_INIT_FAILED;
		}
		ldr_data.EntryInProgress = NULL;
	}
	m->Flags |= LDRP_PROCESS_ATTACH_CALLED;
	return STATUS_SUCCESS;
}

/*
 * Initialize whatever is loaded and not initialized yet: DLLs reached
 * only through a forwarder are not in any import table m names.
 */
static NTSTATUS init_rest(void *reserved)
{
	LIST_ENTRY32 *e;
	NTSTATUS st;

	for (e = ldr_data.InLoadOrderModuleList.Flink;
	     e != &ldr_data.InLoadOrderModuleList; e = e->Flink) {
		LDR *m = LDR_OF(e, InLoadOrderLinks);

		if (!(m->Flags & LDRP_IMAGE_DLL))
			continue;
		st = init_module(m, reserved);
		if (!NT_SUCCESS(st))
			return st;
	}
	return STATUS_SUCCESS;
}

static void detach_module(LDR *m)
{
	if (!(m->Flags & LDRP_PROCESS_ATTACH_CALLED))
		return;
	m->Flags &= ~LDRP_PROCESS_ATTACH_CALLED;
	if (m->EntryPoint)
		((dll_main)m->EntryPoint)(m->DllBase, DLL_PROCESS_DETACH,
					  ldr_shutting_down ? (void *)1 : NULL);
	call_tls_callbacks(m->DllBase, DLL_PROCESS_DETACH);
}

/* DLL_PROCESS_DETACH to every DLL, in reverse initialization order. */
NTSTATUS NTAPI LdrShutdownProcess(void)
{
	LIST_ENTRY32 *e, *head = &ldr_data.InInitializationOrderModuleList;

	if (!ldr_data.Initialized)
		return STATUS_SUCCESS;
	RtlEnterCriticalSection(&ldr_lock);
	ldr_shutting_down = 1;
	for (e = head->Blink; e != head; e = e->Blink)
		detach_module(LDR_OF(e, InInitializationOrderLinks));
	call_tls_callbacks(NtCurrentPeb()->ImageBaseAddress, DLL_PROCESS_DETACH);
	RtlLeaveCriticalSection(&ldr_lock);
	return STATUS_SUCCESS;
}

/*
 * DLL_THREAD_ATTACH / DETACH to every initialized DLL (attach in
 * initialization order, detach in reverse), each DLL's TLS callbacks
 * with its DllMain, the exe's TLS callbacks last, as ReactOS's
 * LdrpInitializeThread and LdrShutdownThread order them.
 */
static void thread_notify(ULONG reason)
{
	LIST_ENTRY32 *e, *head = &ldr_data.InInitializationOrderModuleList;
	LDR *m;

	for (e = reason == DLL_THREAD_ATTACH ? head->Flink : head->Blink;
	     e != head; e = reason == DLL_THREAD_ATTACH ? e->Flink : e->Blink) {
		m = LDR_OF(e, InInitializationOrderLinks);
		if (!(m->Flags & LDRP_PROCESS_ATTACH_CALLED))
			continue;
		call_tls_callbacks(m->DllBase, reason);
		if (m->EntryPoint)
			((dll_main)m->EntryPoint)(m->DllBase, reason, NULL);
	}
	call_tls_callbacks(NtCurrentPeb()->ImageBaseAddress, reason);
}

typedef NTSTATUS (NTAPI *thread_routine)(void *param);

/*
 * Set once the kernel started a thread in LdrInitializeThunk (it does
 * when ntpeload registered it: NTP_IOC_SET_DISPATCHERS): from then on
 * every new thread had its attach there, before LdrpThreadStart.
 */
static volatile LONG ldr_kernel_thunk;

/* A new thread's static TLS and DLL_THREAD_ATTACH, under the loader lock. */
static NTSTATUS thread_attach(void)
{
	NTSTATUS st = STATUS_SUCCESS;

	if (ldr_data.Initialized) {
		RtlEnterCriticalSection(&ldr_lock);
		st = tls_thread_init();
		if (NT_SUCCESS(st))
			thread_notify(DLL_THREAD_ATTACH);
		RtlLeaveCriticalSection(&ldr_lock);
	}
	return st;
}

void NTAPI LdrpThreadStart(void *StartAddress, void *Parameter)
{
	NTSTATUS st = STATUS_SUCCESS;

	if (!ldr_kernel_thunk)
		st = thread_attach();
	if (NT_SUCCESS(st))
		st = ((thread_routine)StartAddress)(Parameter);
	RtlExitUserThread(st);
}

NTSTATUS NTAPI LdrShutdownThread(void)
{
	void **slots = NtCurrentTeb()->ThreadLocalStoragePointer;
	int i;

	if (!ldr_data.Initialized || ldr_shutting_down)
		return STATUS_SUCCESS;
	RtlEnterCriticalSection(&ldr_lock);
	thread_notify(DLL_THREAD_DETACH);
	if (slots) {
		NtCurrentTeb()->ThreadLocalStoragePointer = NULL;
		for (i = 0; i < ldr_tls_count; i++)
			RtlFreeHeap(ntdll_process_heap(), 0, slots[i]);
		RtlFreeHeap(ntdll_process_heap(), 0, slots);
	}
	RtlLeaveCriticalSection(&ldr_lock);
	return STATUS_SUCCESS;
}

/* Where a returning native entry point lands: end with its value. */
void ldrp_exit(NTSTATUS status);
void ldrp_exit(NTSTATUS status)
{
	LdrShutdownProcess();
	NtTerminateProcess(NtCurrentProcess(), status);
}

__asm__(
	".text\n"
	".globl _LdrpExitThunk\n"
	"_LdrpExitThunk:\n"
	"	pushl %eax\n"
	"	call _ldrp_exit\n"
	"	ud2\n"
);
void LdrpExitThunk(void);

static NTSTATUS process_init(CONTEXT *ctx)
{
	PEB *peb = NtCurrentPeb();
	RTL_USER_PROCESS_PARAMETERS *pp = peb->ProcessParameters;
	static const WCHAR ntdll_name[] = u"ntdll.dll";
	WCHAR sys[300];
	LDR *exe, *nt;
	const WCHAR *p, *last = NULL, *end;
	size_t n;
	NTSTATUS st;

	if (!ntdll_process_heap())
		return STATUS_NO_MEMORY;
	RtlInitializeCriticalSection(&ldr_lock);
	peb->LoaderLock = &ldr_lock;
	ldr_data.Length = sizeof(ldr_data);
	list_init(&ldr_data.InLoadOrderModuleList);
	list_init(&ldr_data.InMemoryOrderModuleList);
	list_init(&ldr_data.InInitializationOrderModuleList);
	peb->Ldr = &ldr_data;

	RtlEnterCriticalSection(&ldr_lock);
	/* the exe, under the name the process was started with */
	if (pp && pp->ImagePathName.Buffer)
		exe = new_entry(peb->ImageBaseAddress, pp->ImagePathName.Buffer,
				pp->ImagePathName.Length / sizeof(WCHAR));
	else
		exe = new_entry(peb->ImageBaseAddress, u"main.exe", 8);
	/* ntdll, in the last directory of the search path */
	n = 0;
	if (pp && pp->DllPath.Buffer)
		for (p = pp->DllPath.Buffer; *p; p = *end ? end + 1 : end) {
			for (end = p; *end && *end != ';'; end++)
				;
			if (end > p)
				last = p, n = end - p;
		}
	if (last && n + 10 < 300) {
		memcpy(sys, last, n * sizeof(WCHAR));
		sys[n] = '\\';
		memcpy(sys + n + 1, ntdll_name, sizeof(ntdll_name));
		n += 10;
	} else {
		memcpy(sys, ntdll_name, sizeof(ntdll_name));
		n = 9;
	}
	nt = new_entry(&__ImageBase, sys, n);
	st = exe && nt ? STATUS_SUCCESS : STATUS_NO_MEMORY;
	if (NT_SUCCESS(st)) {
		nt->LoadCount = exe->LoadCount = 0xffff;
		nt->Flags |= LDRP_ENTRY_PROCESSED | LDRP_STATIC_LINK;
		list_add_tail(&ldr_data.InInitializationOrderModuleList,
			      &nt->InInitializationOrderLinks);
		st = fix_image(exe, (uintptr_t)exe->DllBase !=
				    nt_of(exe->DllBase)->OptionalHeader.ImageBase);
	}
	if (NT_SUCCESS(st))
		st = tls_check(exe);
	ldr_data.Initialized = TRUE;
	/* every module loaded so far is a static import */
	if (NT_SUCCESS(st)) {
		LIST_ENTRY32 *e;

		for (e = ldr_data.InLoadOrderModuleList.Flink;
		     e != &ldr_data.InLoadOrderModuleList; e = e->Flink) {
			LDR *m = LDR_OF(e, InLoadOrderLinks);

			m->Flags |= LDRP_STATIC_LINK;
			m->LoadCount = 0xffff;
			st = tls_register(m);
			if (!NT_SUCCESS(st))
				break;
		}
	}
	if (NT_SUCCESS(st))
		st = tls_thread_init();
	if (NT_SUCCESS(st))
		st = init_module(exe, ctx);
	if (NT_SUCCESS(st))
		st = init_rest(ctx);
	if (NT_SUCCESS(st))
		call_tls_callbacks(exe->DllBase, DLL_PROCESS_ATTACH);
	RtlLeaveCriticalSection(&ldr_lock);
	return st;
}

/*
 * The first code of every thread the loader starts: the process's
 * first thread initializes the process. Then the thread goes where
 * Context says (NtContinue).
 */
void NTAPI LdrInitializeThunk(CONTEXT *Context, void *NtdllBase, void *Unused1,
			      void *Unused2)
{
	NTSTATUS st;

	(void)NtdllBase;
	(void)Unused1;
	(void)Unused2;
	if (!ldr_data.Initialized) {
		st = process_init(Context);
		if (!NT_SUCCESS(st)) {
			DbgPrint("ntdll: process initialization failed: 0x%08lx\n",
				 (unsigned long)st);
			NtTerminateProcess(NtCurrentProcess(), st);
		}
		/* a native entry point may return: see the top */
		if (Context->Esp && !*(ULONG *)(uintptr_t)Context->Esp)
			*(ULONG *)(uintptr_t)Context->Esp =
				(ULONG)(uintptr_t)LdrpExitThunk;
	} else {
		/* a later thread, sent here by the kernel as XP's is */
		ldr_kernel_thunk = 1;
		st = thread_attach();
		if (!NT_SUCCESS(st))
			NtTerminateThread(NtCurrentThread(), st);
	}
	st = NtContinue(Context, TRUE);
	NtTerminateProcess(NtCurrentProcess(), st);
}

/*
 * Undo a failed transaction: first the LoadCounts it raised come down
 * (never to 0: a DllMain may have unloaded what the count was for),
 * then each module it mapped goes, newest first (a DLL before the DLLs
 * it imports), after DLL_PROCESS_DETACH if its DllMain had run, as XP's
 * LdrUnloadDll of the failed DLL sends it to the dependencies it
 * unloads (the DLL whose DllMain failed gets none). A module that a
 * DllMain's own LdrLoadDll took a reference to meanwhile is in use
 * outside the transaction: it stays, and so does every module the
 * transaction mapped before it (what it may import: a module is noted
 * after its imports), the transaction's references dropped. Runs with
 * @t still under way, so that a module a DLL_PROCESS_DETACH unloads is
 * forgotten by it (txn_forget).
 */
static void txn_undo(struct ldr_txn *t)
{
	struct ldr_note *n;
	int pinned = 0;

	for (n = t->notes; n; n = n->next)
		if (n->m && !n->fresh && n->m->LoadCount > 1)
			n->m->LoadCount--;
	for (n = t->notes; n; n = n->next) {
		if (!n->m || !n->fresh)
			continue;
		if (n->m->LoadCount > 1)
			pinned = 1;
		if (pinned) {
			if (n->m->LoadCount > 1)
				n->m->LoadCount--;
			continue;
		}
		detach_module(n->m);
		if (n->m)	/* unless its DllMain unloaded itself */
			free_entry(n->m);
	}
}

static void txn_end(struct ldr_txn *t)
{
	struct ldr_note *n, *next;

	for (n = t->notes; n; n = next) {
		next = n->next;
		RtlFreeHeap(ntdll_process_heap(), 0, n);
	}
}

NTSTATUS NTAPI LdrLoadDll(const WCHAR *SearchPath, ULONG *Flags,
			  const UNICODE_STRING *Name, void **BaseAddress)
{
	struct ldr_txn txn;
	NTSTATUS st;
	LDR *m;

	(void)Flags;
	if (!Name || !Name->Buffer || !BaseAddress)
		return STATUS_INVALID_PARAMETER;
	RtlEnterCriticalSection(&ldr_lock);
	txn.outer = ldr_txn;
	txn.notes = NULL;
	ldr_txn = &txn;
	st = load_dll(Name->Buffer, Name->Length / sizeof(WCHAR), SearchPath, &m);
	/* no static TLS for images loaded at run time, as on XP */
	if (NT_SUCCESS(st))
		st = init_module(m, NULL);
	if (NT_SUCCESS(st))
		st = init_rest(NULL);
	/* still under way while undone: a DllMain may unload a module */
	if (NT_SUCCESS(st))
		*BaseAddress = m->DllBase;
	else
		txn_undo(&txn);
	ldr_txn = txn.outer;
	txn_end(&txn);
	RtlLeaveCriticalSection(&ldr_lock);
	return st;
}

NTSTATUS NTAPI LdrGetDllHandle(const WCHAR *Path, void *Unused,
			       const UNICODE_STRING *Name, void **BaseAddress)
{
	WCHAR buf[260];
	const WCHAR *b;
	size_t n, blen, i;
	LDR *m;

	(void)Path;
	(void)Unused;
	if (!Name || !Name->Buffer || !BaseAddress)
		return STATUS_INVALID_PARAMETER;
	n = Name->Length / sizeof(WCHAR);
	if (n > 250)
		return STATUS_DLL_NOT_FOUND;
	memcpy(buf, Name->Buffer, n * sizeof(WCHAR));
	b = base_name(buf, n, &blen);
	for (i = 0; i < blen && b[i] != '.'; i++)
		;
	if (i == blen) {
		memcpy(buf + n, u".dll", 8);
		blen += 4;
	}
	RtlEnterCriticalSection(&ldr_lock);
	m = find_by_name(b, blen);
	if (m)
		*BaseAddress = m->DllBase;
	RtlLeaveCriticalSection(&ldr_lock);
	return m ? STATUS_SUCCESS : STATUS_DLL_NOT_FOUND;
}

NTSTATUS NTAPI LdrGetProcedureAddress(void *BaseAddress, const ANSI_STRING *Name,
				      ULONG Ordinal, void **Address)
{
	char buf[256];
	NTSTATUS st;
	LDR *m;

	if (!Address)
		return STATUS_INVALID_PARAMETER;
	if (Name && Name->Length >= sizeof(buf))
		return STATUS_PROCEDURE_NOT_FOUND;
	if (Name) {
		memcpy(buf, Name->Buffer, Name->Length);
		buf[Name->Length] = 0;
	}
	RtlEnterCriticalSection(&ldr_lock);
	m = find_by_base(BaseAddress);
	st = m ? get_proc(m, Name ? buf : NULL, Ordinal, Address, 0) :
		 STATUS_DLL_NOT_FOUND;
	RtlLeaveCriticalSection(&ldr_lock);
	return st;
}

NTSTATUS NTAPI LdrUnloadDll(void *BaseAddress)
{
	NTSTATUS st = STATUS_SUCCESS;
	LDR *m;

	RtlEnterCriticalSection(&ldr_lock);
	m = find_by_base(BaseAddress);
	if (!m) {
		st = STATUS_DLL_NOT_FOUND;
	} else if (m->LoadCount != 0xffff && !--m->LoadCount) {
		detach_module(m);
		free_entry(m);
	}
	RtlLeaveCriticalSection(&ldr_lock);
	return st;
}

#endif /* NTDLL_PE */
