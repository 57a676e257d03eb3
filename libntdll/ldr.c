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
	    !NT_SUCCESS(ustr_dup(&m->BaseDllName, b, blen)))
		return NULL;
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
 * Relocation and import binding write to pages the image maps
 * read-only: make the whole image writable first, then give every
 * section (and the headers) its protection back.
 */
static NTSTATUS image_unprotect(void *base)
{
	IMAGE_NT_HEADERS32 *nt = nt_of(base);

	return protect(base, nt->OptionalHeader.SizeOfImage,
		       PAGE_EXECUTE_READWRITE);
}

static void image_reprotect(void *base)
{
	IMAGE_NT_HEADERS32 *nt = nt_of(base);
	IMAGE_SECTION_HEADER *s = IMAGE_FIRST_SECTION(nt);
	ULONG align = nt->OptionalHeader.SectionAlignment;
	int i;

	if (align < 0x1000)
		return;		/* one flat view: leave it as the kernel made it */
	protect(base, nt->OptionalHeader.SizeOfHeaders, PAGE_READONLY);
	for (i = 0; i < nt->FileHeader.NumberOfSections; i++, s++) {
		ULONG size = s->VirtualSize ? s->VirtualSize : s->SizeOfRawData;

		protect((char *)base + s->VirtualAddress,
			(size + align - 1) & ~(align - 1),
			section_protect(s->Characteristics));
	}
}

/* Apply the base relocations for the image at base. */
static NTSTATUS relocate(void *base)
{
	IMAGE_NT_HEADERS32 *nt = nt_of(base);
	LONG delta = (LONG)((uintptr_t)base - nt->OptionalHeader.ImageBase);
	IMAGE_BASE_RELOCATION *r;
	ULONG size, done = 0, limit = nt->OptionalHeader.SizeOfImage;
	USHORT *e;
	ULONG n, i;

	if (!delta)
		return STATUS_SUCCESS;
	r = RtlImageDirectoryEntryToData(base, TRUE,
					 IMAGE_DIRECTORY_ENTRY_BASERELOC, &size);
	if (!r)
		return (nt->FileHeader.Characteristics & IMAGE_FILE_RELOCS_STRIPPED) ?
			STATUS_CONFLICTING_ADDRESSES : STATUS_SUCCESS;
	while (done + sizeof(*r) <= size && r->SizeOfBlock >= sizeof(*r)) {
		if (r->SizeOfBlock > size - done)
			return STATUS_INVALID_IMAGE_FORMAT;
		n = (r->SizeOfBlock - sizeof(*r)) / sizeof(USHORT);
		e = (USHORT *)(r + 1);
		for (i = 0; i < n; i++) {
			ULONG off = r->VirtualAddress + (e[i] & 0xfff);
			char *p = (char *)base + off;

			if (off + 4 > limit)
				return STATUS_INVALID_IMAGE_FORMAT;
			switch (e[i] >> 12) {
			case IMAGE_REL_BASED_ABSOLUTE:
				break;
			case IMAGE_REL_BASED_HIGHLOW:
				*(ULONG *)p += delta;
				break;
			case IMAGE_REL_BASED_HIGH:
				*(USHORT *)p += (USHORT)(delta >> 16);
				break;
			case IMAGE_REL_BASED_LOW:
				*(USHORT *)p += (USHORT)delta;
				break;
			default:
				return STATUS_INVALID_IMAGE_FORMAT;
			}
		}
		done += r->SizeOfBlock;
		r = (IMAGE_BASE_RELOCATION *)((char *)r + r->SizeOfBlock);
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

static NTSTATUS get_proc(LDR *m, const char *name, ULONG ordinal, void **addr,
			 int depth)
{
	char *base = m->DllBase;
	IMAGE_EXPORT_DIRECTORY *ex;
	ULONG size, rva, lo, hi, mid, *names, *funcs;
	USHORT *ords;
	int c;

	ex = RtlImageDirectoryEntryToData(base, TRUE,
					  IMAGE_DIRECTORY_ENTRY_EXPORT, &size);
	if (!ex)
		return name ? STATUS_PROCEDURE_NOT_FOUND : STATUS_ORDINAL_NOT_FOUND;
	funcs = (ULONG *)(base + ex->AddressOfFunctions);
	if (name) {
		names = (ULONG *)(base + ex->AddressOfNames);
		ords = (USHORT *)(base + ex->AddressOfNameOrdinals);
		lo = 0;
		hi = ex->NumberOfNames;
		while (lo < hi) {		/* the names are sorted */
			mid = (lo + hi) / 2;
			c = strcmp(name, base + names[mid]);
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
	if (rva >= (ULONG)((char *)ex - base) &&
	    rva < (ULONG)((char *)ex - base) + size)
		return forward(base + rva, addr, depth);
	*addr = base + rva;
	return STATUS_SUCCESS;
}

/* Bind the import table of m. */
static NTSTATUS snap_imports(LDR *m)
{
	char *base = m->DllBase;
	IMAGE_IMPORT_DESCRIPTOR *d;
	ULONG size, *lookup, *iat;
	WCHAR dll[256];
	const char *n;
	size_t i;
	LDR *dep;
	NTSTATUS st;
	void *addr;

	d = RtlImageDirectoryEntryToData(base, TRUE,
					 IMAGE_DIRECTORY_ENTRY_IMPORT, &size);
	if (!d)
		return STATUS_SUCCESS;
	for (; d->Name && d->FirstThunk; d++) {
		n = base + d->Name;
		for (i = 0; n[i] && i < 255; i++)
			dll[i] = (unsigned char)n[i];
		st = load_dll(dll, i, NULL, &dep);
		if (!NT_SUCCESS(st)) {
			DbgPrint("ntdll: %s needed by %wZ: status 0x%08lx\n", n,
				 &m->BaseDllName, (unsigned long)st);
			return st;
		}
		lookup = (ULONG *)(base + (d->OriginalFirstThunk ?
					   d->OriginalFirstThunk : d->FirstThunk));
		iat = (ULONG *)(base + d->FirstThunk);
		for (; *lookup; lookup++, iat++) {
			if (*lookup & IMAGE_ORDINAL_FLAG32)
				st = get_proc(dep, NULL, *lookup & 0xffff, &addr, 0);
			else
				st = get_proc(dep, base + *lookup + 2, 0, &addr, 0);
			if (!NT_SUCCESS(st)) {
				if (*lookup & IMAGE_ORDINAL_FLAG32)
					DbgPrint("ntdll: ordinal %lu not in %s\n",
						 (unsigned long)(*lookup & 0xffff), n);
				else
					DbgPrint("ntdll: %s not in %s\n",
						 base + *lookup + 2, n);
				return st;
			}
			*iat = (ULONG)(uintptr_t)addr;
		}
	}
	return STATUS_SUCCESS;
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
		if (m->LoadCount != 0xffff)
			m->LoadCount++;
		*out = m;
		return STATUS_SUCCESS;
	}
	map = search_and_map(full, n, path, &nt, &base);
	if (!NT_SUCCESS(map))
		return map;
	m = new_entry(base, nt.Buffer, nt.Length / sizeof(WCHAR));
	RtlFreeUnicodeString(&nt);
	if (!m)
		return STATUS_NO_MEMORY;
	m->Flags |= LDRP_LOAD_IN_PROGRESS;
	st = image_unprotect(base);
	if (NT_SUCCESS(st) && map == STATUS_IMAGE_NOT_AT_BASE)
		st = relocate(base);
	if (NT_SUCCESS(st))
		st = snap_imports(m);
	image_reprotect(base);
	m->Flags &= ~LDRP_LOAD_IN_PROGRESS;
	if (!NT_SUCCESS(st)) {
		list_del(&m->InLoadOrderLinks);
		list_del(&m->InMemoryOrderLinks);
		NtUnmapViewOfSection(NtCurrentProcess(), base);
		return st;
	}
	*out = m;
	return STATUS_SUCCESS;
}

typedef void (NTAPI *tls_callback)(void *base, ULONG reason, void *reserved);
typedef BOOLEAN (NTAPI *dll_main)(void *base, ULONG reason, void *reserved);

static void call_tls_callbacks(void *base, ULONG reason)
{
	IMAGE_TLS_DIRECTORY32 *tls;
	tls_callback *cb;

	tls = RtlImageDirectoryEntryToData(base, TRUE,
					   IMAGE_DIRECTORY_ENTRY_TLS, NULL);
	if (!tls || !tls->AddressOfCallBacks)
		return;
	for (cb = (tls_callback *)(uintptr_t)tls->AddressOfCallBacks; *cb; cb++)
		(*cb)(base, reason, NULL);
}

/*
 * Static TLS: give each image with a TLS directory an index, and the
 * current thread its blocks (TEB->ThreadLocalStoragePointer).
 */
static NTSTATUS tls_register(LDR *m)
{
	IMAGE_TLS_DIRECTORY32 *tls;

	tls = RtlImageDirectoryEntryToData(m->DllBase, TRUE,
					   IMAGE_DIRECTORY_ENTRY_TLS, NULL);
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
	WCHAR dll[256];
	const char *n;
	size_t i;
	LDR *dep;
	NTSTATUS st;

	if (m->Flags & LDRP_ENTRY_PROCESSED)
		return STATUS_SUCCESS;
	m->Flags |= LDRP_ENTRY_PROCESSED;	/* also breaks import cycles */
	d = RtlImageDirectoryEntryToData(base, TRUE,
					 IMAGE_DIRECTORY_ENTRY_IMPORT, NULL);
	for (; d && d->Name && d->FirstThunk; d++) {
		n = base + d->Name;
		for (i = 0; n[i] && i < 255; i++)
			dll[i] = (unsigned char)n[i];
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
		st = image_unprotect(exe->DllBase);
	}
	if (NT_SUCCESS(st))
		st = relocate(exe->DllBase);
	if (NT_SUCCESS(st))
		st = snap_imports(exe);
	if (exe)
		image_reprotect(exe->DllBase);
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

NTSTATUS NTAPI LdrLoadDll(const WCHAR *SearchPath, ULONG *Flags,
			  const UNICODE_STRING *Name, void **BaseAddress)
{
	NTSTATUS st;
	LDR *m;

	(void)Flags;
	if (!Name || !Name->Buffer || !BaseAddress)
		return STATUS_INVALID_PARAMETER;
	RtlEnterCriticalSection(&ldr_lock);
	st = load_dll(Name->Buffer, Name->Length / sizeof(WCHAR), SearchPath, &m);
	/* no static TLS for images loaded at run time, as on XP */
	if (NT_SUCCESS(st))
		st = init_module(m, NULL);
	if (NT_SUCCESS(st))
		st = init_rest(NULL);
	if (NT_SUCCESS(st)) {
		*BaseAddress = m->DllBase;
	} else if (st == STATUS_DLL_INIT_FAILED && m->LoadCount != 0xffff) {
		m->Flags &= ~LDRP_PROCESS_ATTACH_CALLED;	/* no DETACH */
		m->LoadCount = 1;
		RtlLeaveCriticalSection(&ldr_lock);
		LdrUnloadDll(m->DllBase);
		return st;
	}
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
		list_del(&m->InInitializationOrderLinks);
		list_del(&m->InLoadOrderLinks);
		list_del(&m->InMemoryOrderLinks);
		NtUnmapViewOfSection(NtCurrentProcess(), m->DllBase);
		RtlFreeUnicodeString(&m->FullDllName);
		RtlFreeUnicodeString(&m->BaseDllName);
		RtlFreeHeap(ntdll_process_heap(), 0, m);
	}
	RtlLeaveCriticalSection(&ldr_lock);
	return st;
}

#endif /* NTDLL_PE */
