// SPDX-License-Identifier: GPL-2.0
/*
 * Image sections: NtCreateSection(SEC_IMAGE), image views, NtQuerySection
 * (SectionImageInformation), MEM_IMAGE in NtQueryVirtualMemory,
 * NtAreMappedFilesTheSame.
 *
 * The images are PE files linked by mingw-w64 (selftests/pe/, installed
 * beside this test in pe/): img_a (file alignment 0x200, mingw's
 * default), img_b (file alignment 0x1000: sections are file mappings),
 * img_c (section alignment 0x4000: no-access pages between sections),
 * img_flat (section alignment 0x200 == file alignment: mapped as the file
 * lies). Malformed images are copies of img_a with one field changed.
 *
 * Windows' statuses from Wine's dlls/kernel32/tests/loader.c (test_Loader,
 * map_image_section, query_image_section), kernel32/tests/virtual.c
 * (test_NtAreMappedFilesTheSame) and ring3k's tests/section.c (run on XP).
 */
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nt_test.h"
#include "nt_user.h"

#define PAGE		0x1000u
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((a) - 1))
#define TMP_IMG		"/tmp/ntimage.exe"
#define NOEXEC_DIR	"/tmp/ntimage-noexec"

/* The PE fields the test reads (offsets as on disk). */
struct pe_section {
	char name[8];
	uint32_t vsize, va, rawsize, rawptr, relocs, lines;
	uint16_t nr_relocs, nr_lines;
	uint32_t characteristics;
};

struct pe {
	unsigned char *data;
	size_t size;
	uint32_t lfanew, image_base, sa, fa, size_of_image, size_of_headers;
	uint32_t entry;
	uint16_t nsec, opt_size;
	struct pe_section *sec;
};

#define OPT(pe)		((pe)->lfanew + 24)
#define U16(pe, off)	(*(uint16_t *)((pe)->data + (off)))
#define U32(pe, off)	(*(uint32_t *)((pe)->data + (off)))

static char pe_dir[256];

static const char *img_path(const char *name, char *buf)
{
	snprintf(buf, 300, "%s/pe/%s", pe_dir, name);
	return buf;
}

static int pe_load(struct pe *pe, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	memset(pe, 0, sizeof(*pe));
	if (fd < 0 || fstat(fd, &st))
		return -1;
	pe->size = st.st_size;
	pe->data = malloc(pe->size);
	if (read(fd, pe->data, pe->size) != (ssize_t)pe->size)
		return -1;
	close(fd);
	pe->lfanew = U32(pe, 0x3c);
	pe->nsec = U16(pe, pe->lfanew + 6);
	pe->opt_size = U16(pe, pe->lfanew + 20);
	pe->entry = U32(pe, OPT(pe) + 0x10);
	pe->image_base = U32(pe, OPT(pe) + 0x1c);
	pe->sa = U32(pe, OPT(pe) + 0x20);
	pe->fa = U32(pe, OPT(pe) + 0x24);
	pe->size_of_image = U32(pe, OPT(pe) + 0x38);
	pe->size_of_headers = U32(pe, OPT(pe) + 0x3c);
	pe->sec = (struct pe_section *)(pe->data + OPT(pe) + pe->opt_size);
	return 0;
}

static int pe_save(const struct pe *pe, const char *path, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, pe->data, size);
	close(fd);
	return n == (ssize_t)size ? 0 : -1;
}

/* "\??\unix\a\b" for the Linux path /a/b */
static WCHAR *ntname(WCHAR *out, const char *path)
{
	int n = 0;

	for (const char *p = "\\??\\unix"; *p; p++)
		out[n++] = *p;
	for (; *path; path++)
		out[n++] = *path == '/' ? '\\' : *path;
	out[n] = 0;
	return out;
}

static NTSTATUS open_file(HANDLE *h, const char *path, ACCESS_MASK access)
{
	WCHAR buf[300];
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK iosb;

	*h = NULL;
	nt_oa(&oa, &us, ntname(buf, path), OBJ_CASE_INSENSITIVE);
	return NtOpenFile(h, access | SYNCHRONIZE, &oa, &iosb,
			  FILE_SHARE_READ | FILE_SHARE_DELETE,
			  FILE_SYNCHRONOUS_IO_NONALERT);
}

/* NtCreateSection(SEC_IMAGE) of the file at @path, opened for @access. */
static NTSTATUS image_section(HANDLE *s, const char *path, ACCESS_MASK access,
			      ULONG prot)
{
	NTSTATUS status;
	HANDLE f;

	*s = NULL;
	status = open_file(&f, path, access);
	if (status)
		return status | 0x10000000;	/* an open failure never matches */
	status = NtCreateSection(s, SECTION_ALL_ACCESS, NULL, NULL, prot,
				 SEC_IMAGE, f);
	NtClose(f);
	return status;
}

static NTSTATUS map_image(HANDLE s, void **base, SIZE_T *size)
{
	*size = 0;
	return NtMapViewOfSection(s, NtCurrentProcess(), base, 0, 0, NULL, size,
				  ViewUnmap, 0, PAGE_READONLY);
}

static MEMORY_BASIC_INFORMATION query(const void *addr)
{
	MEMORY_BASIC_INFORMATION mbi;

	memset(&mbi, 0xcc, sizeof(mbi));
	if (NtQueryVirtualMemory(NtCurrentProcess(), (void *)addr,
				 MemoryBasicInformation, &mbi, sizeof(mbi), NULL))
		mbi.State = 0xdead;
	return mbi;
}

/* Does touching @p fault? (in a child, so the test survives) */
static int faults(volatile char *p, int write)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		if (write)
			*p = 1;
		else
			(void)*p;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static ULONG scn_protect(uint32_t c)
{
	int x = !!(c & 0x20000000), r = !!(c & 0x40000000), w = !!(c & 0x80000000);

	if (w)
		return x ? PAGE_EXECUTE_WRITECOPY : PAGE_WRITECOPY;
	if (x)
		return r ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
	return r ? PAGE_READONLY : PAGE_NOACCESS;
}

FIXTURE(image) {};
NT_GATE_VARIANTS(image);
FIXTURE_SETUP(image)
{
	char exe[256];
	ssize_t n;

	NT_GATE_SETUP();
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_GT(n, 0);
	exe[n] = 0;
	snprintf(pe_dir, sizeof(pe_dir), "%s", dirname(exe));
}
FIXTURE_TEARDOWN(image)
{
	unlink(TMP_IMG);
}

/*
 * Every page of the view of @pe at @base: protection (one region per run
 * of equal protection, all MEM_IMAGE of the one allocation), contents
 * (file bytes, then zeroes) and no-access pages that fault.
 */
static void check_view(struct __test_metadata *_metadata, const struct pe *pe,
		       unsigned char *base)
{
	uint32_t size = ALIGN_UP(pe->size_of_image, PAGE), npages = size / PAGE;
	ULONG *prot = calloc(npages, sizeof(ULONG));
	unsigned char *want = calloc(size, 1);
	MEMORY_BASIC_INFORMATION mbi;
	uint32_t i, j, n;

	ASSERT_TRUE(prot && want);
	if (pe->sa < PAGE) {
		for (i = 0; i < npages; i++)
			prot[i] = PAGE_EXECUTE_WRITECOPY;
		n = pe->size < size ? pe->size : size;
		memcpy(want, pe->data, n);
	} else {
		for (i = 0; i < npages; i++)
			prot[i] = PAGE_NOACCESS;
		for (i = 0; i < ALIGN_UP(pe->size_of_headers, PAGE) / PAGE; i++)
			prot[i] = PAGE_READONLY;
		memcpy(want, pe->data, pe->size_of_headers);
		for (i = 0; i < pe->nsec; i++) {
			const struct pe_section *s = &pe->sec[i];
			uint32_t vsize = s->vsize ? s->vsize : s->rawsize;
			uint32_t vlen = ALIGN_UP(vsize, PAGE);

			for (j = 0; j < vlen / PAGE; j++)
				prot[s->va / PAGE + j] = scn_protect(s->characteristics);
			memcpy(want + s->va, pe->data + s->rawptr,
			       s->rawsize < vlen ? s->rawsize : vlen);
		}
	}
	for (i = 0; i < npages; i = j) {
		for (j = i + 1; j < npages && prot[j] == prot[i]; j++)
			;
		mbi = query(base + i * PAGE + 0x123);
		EXPECT_EQ((ULONG_PTR)base + i * PAGE, (ULONG_PTR)mbi.BaseAddress);
		EXPECT_EQ((ULONG_PTR)base, (ULONG_PTR)mbi.AllocationBase);
		EXPECT_EQ((ULONG)PAGE_EXECUTE_WRITECOPY, mbi.AllocationProtect);
		EXPECT_EQ((j - i) * PAGE, mbi.RegionSize);
		EXPECT_EQ((ULONG)MEM_COMMIT, mbi.State);
		EXPECT_EQ(prot[i], mbi.Protect);
		EXPECT_EQ((ULONG)MEM_IMAGE, mbi.Type);
		if (prot[i] == PAGE_NOACCESS) {
			EXPECT_TRUE(faults((char *)base + i * PAGE, 0));
			continue;
		}
		EXPECT_EQ(0, memcmp(want + i * PAGE, base + i * PAGE, (j - i) * PAGE))
			TH_LOG("pages 0x%x-0x%x differ from the file", i * PAGE, j * PAGE);
		if (prot[i] == PAGE_READONLY || prot[i] == PAGE_EXECUTE_READ)
			EXPECT_TRUE(faults((char *)base + i * PAGE, 1));
	}
	mbi = query(base + size);
	EXPECT_NE((ULONG_PTR)base, (ULONG_PTR)mbi.AllocationBase);
	free(prot);
	free(want);
}

static void map_and_check(struct __test_metadata *_metadata, const char *name)
{
	void *a = NULL, *b = NULL;
	SIZE_T sa, sb;
	char path[300];
	struct pe pe;
	HANDLE s;

	ASSERT_EQ(0, pe_load(&pe, img_path(name, path)));
	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s, path, FILE_EXECUTE,
						    PAGE_EXECUTE));
	ASSERT_STATUS(STATUS_SUCCESS, map_image(s, &a, &sa));
	EXPECT_EQ(pe.image_base, (ULONG_PTR)a);
	EXPECT_EQ(ALIGN_UP(pe.size_of_image, PAGE), sa);
	check_view(_metadata, &pe, a);

	/* the base is taken: elsewhere, a success the loader must relocate */
	ASSERT_STATUS(STATUS_IMAGE_NOT_AT_BASE, map_image(s, &b, &sb));
	EXPECT_NE((ULONG_PTR)a, (ULONG_PTR)b);
	EXPECT_EQ(0u, (ULONG_PTR)b & 0xffff);
	EXPECT_EQ(sa, sb);
	check_view(_metadata, &pe, b);
	EXPECT_STATUS(STATUS_SUCCESS, NtAreMappedFilesTheSame(a, b));
	EXPECT_STATUS(STATUS_SUCCESS, NtAreMappedFilesTheSame(b, (char *)a + 0x1234));

	/* unmapped as one view, from any address inside it */
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtUnmapViewOfSection(NtCurrentProcess(), (char *)a + PAGE));
	EXPECT_EQ((ULONG)MEM_FREE, query(a).State);
	EXPECT_EQ((ULONG)MEM_FREE, query((char *)a + sa - 1).State);
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(NtCurrentProcess(), b));
	EXPECT_EQ((ULONG)MEM_FREE, query(b).State);
	NtClose(s);
	free(pe.data);
}

TEST_F(image, file_alignment_below_page)
{
	map_and_check(_metadata, "img_a.exe");
}

TEST_F(image, page_aligned_file_offsets)
{
	map_and_check(_metadata, "img_b.exe");
}

TEST_F(image, gaps_between_sections_are_noaccess)
{
	map_and_check(_metadata, "img_c.exe");
}

TEST_F(image, flat_image_below_page_alignment)
{
	map_and_check(_metadata, "img_flat.exe");
}

/*
 * The smallest image XP loads (Wine's test_Loader): 92 bytes, a DOS header
 * cut to 4 bytes whose e_lfanew is the optional header's SectionAlignment,
 * no sections, SizeOfImage 1. Mapped flat: one page, the file in it.
 */
TEST_F(image, minimal_92_byte_image)
{
	unsigned char f[92] = { 'M', 'Z' }, *base = NULL;
	unsigned char *opt = f + 4 + 24;
	MEMORY_BASIC_INFORMATION mbi;
	SIZE_T size;
	HANDLE s;
	int fd;

	memcpy(f + 4, "PE\0\0", 4);
	*(uint16_t *)(f + 8) = 0x14c;			/* Machine */
	*(uint16_t *)(f + 24) = 0x40;			/* SizeOfOptionalHeader */
	*(uint16_t *)(f + 26) = 0x2002;			/* EXECUTABLE | DLL */
	*(uint16_t *)opt = 0x10b;
	*(uint32_t *)(opt + 0x1c) = 0x10000000;		/* ImageBase */
	*(uint32_t *)(opt + 0x20) = 4;			/* SectionAlignment = e_lfanew */
	*(uint32_t *)(opt + 0x24) = 4;			/* FileAlignment */
	*(uint32_t *)(opt + 0x38) = 1;			/* SizeOfImage */
	ASSERT_EQ(4u, *(uint32_t *)(f + 0x3c));
	fd = open(TMP_IMG, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_EQ((ssize_t)sizeof(f), write(fd, f, sizeof(f)));
	close(fd);
	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s, TMP_IMG, FILE_EXECUTE,
						    PAGE_EXECUTE));
	ASSERT_STATUS(STATUS_SUCCESS, map_image(s, (void **)&base, &size));
	EXPECT_EQ(0x10000000u, (ULONG_PTR)base);
	EXPECT_EQ(PAGE, size);
	mbi = query(base);
	EXPECT_EQ(PAGE, mbi.RegionSize);
	EXPECT_EQ((ULONG)PAGE_EXECUTE_WRITECOPY, mbi.Protect);
	EXPECT_EQ((ULONG)MEM_IMAGE, mbi.Type);
	EXPECT_EQ(0, memcmp(base, f, sizeof(f)));
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(NtCurrentProcess(), base));
	NtClose(s);
}

TEST_F(image, query_section)
{
	SECTION_IMAGE_INFORMATION sii;
	SECTION_BASIC_INFORMATION sbi;
	LARGE_INTEGER max;
	SIZE_T len = 0xdead;
	char path[300];
	struct pe pe;
	HANDLE s, f;

	ASSERT_EQ(0, pe_load(&pe, img_path("img_a.exe", path)));
	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s, path, FILE_EXECUTE,
						    PAGE_EXECUTE));
	nt_poison(&sii);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQuerySection(s, SectionImageInformation, &sii, sizeof(sii),
				     &len));
	EXPECT_EQ(sizeof(sii), len);
	EXPECT_EQ(pe.image_base + pe.entry, (ULONG_PTR)sii.TransferAddress);
	EXPECT_EQ(0u, sii.ZeroBits);
	EXPECT_EQ(U32(&pe, OPT(&pe) + 0x48), sii.MaximumStackSize);
	EXPECT_EQ(U32(&pe, OPT(&pe) + 0x4c), sii.CommittedStackSize);
	EXPECT_EQ(1u, sii.SubSystemType);		/* native */
	EXPECT_EQ(U16(&pe, OPT(&pe) + 0x30), sii.SubSystemMajorVersion);
	EXPECT_EQ(U16(&pe, OPT(&pe) + 0x32), sii.SubSystemMinorVersion);
	EXPECT_EQ(0u, sii.GpValue);
	EXPECT_EQ(U16(&pe, pe.lfanew + 22), sii.ImageCharacteristics);
	EXPECT_EQ(U16(&pe, OPT(&pe) + 0x46), sii.DllCharacteristics);
	EXPECT_EQ(0x14c, sii.Machine);
	EXPECT_EQ(1, sii.ImageContainsCode);
	EXPECT_EQ(U32(&pe, OPT(&pe) + 0x58), sii.LoaderFlags);
	EXPECT_EQ(pe.size, sii.ImageFileSize);
	EXPECT_EQ(U32(&pe, OPT(&pe) + 0x40), sii.CheckSum);

	nt_poison(&sbi);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQuerySection(s, SectionBasicInformation, &sbi, sizeof(sbi),
				     NULL));
	EXPECT_EQ(0u, (ULONG_PTR)sbi.BaseAddress);
	EXPECT_EQ((ULONG)(SEC_IMAGE | SEC_FILE), sbi.AllocationAttributes);
	EXPECT_EQ(ALIGN_UP(pe.size_of_image, PAGE), sbi.MaximumSize.QuadPart);
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQuerySection(s, SectionImageInformation, &sii,
				     sizeof(sii) - 1, NULL));
	NtClose(s);

	/* query_image_section: a size up to the image's is kept, more is too big */
	ASSERT_STATUS(STATUS_SUCCESS, open_file(&f, path, FILE_EXECUTE));
	max.QuadPart = ALIGN_UP(pe.size_of_image, PAGE) + 1;
	EXPECT_STATUS(STATUS_SECTION_TOO_BIG,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_EXECUTE, SEC_IMAGE, f));
	max.QuadPart = 1;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_EXECUTE, SEC_IMAGE, f));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQuerySection(s, SectionBasicInformation, &sbi, sizeof(sbi),
				     NULL));
	EXPECT_EQ(1, sbi.MaximumSize.QuadPart);
	NtClose(s);
	NtClose(f);
	free(pe.data);
}

static void check_writes_private(struct __test_metadata *_metadata,
				 const char *name)
{
	unsigned char *a = NULL, *b = NULL, *data;
	char path[300];
	SIZE_T sa, sb, n = 1;
	struct pe pe, after;
	void *p;
	ULONG old;
	HANDLE s;
	int i, w = -1;

	ASSERT_EQ(0, pe_load(&pe, img_path(name, path)));
	for (i = 0; i < pe.nsec; i++)
		if (!strncmp(pe.sec[i].name, ".data", 8))
			w = i;
	ASSERT_GE(w, 0);
	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s, path, FILE_EXECUTE,
						    PAGE_EXECUTE));
	ASSERT_STATUS(STATUS_SUCCESS, map_image(s, (void **)&a, &sa));
	ASSERT_STATUS(STATUS_IMAGE_NOT_AT_BASE, map_image(s, (void **)&b, &sb));
	data = a + pe.sec[w].va;
	ASSERT_EQ(0, memcmp(data, "DATA", 4));
	memcpy(data, "XXXX", 4);
	EXPECT_EQ(0, memcmp(b + pe.sec[w].va, "DATA", 4));
	ASSERT_EQ(0, pe_load(&after, path));
	EXPECT_EQ(0, memcmp(after.data, pe.data, pe.size));
	/* a view's pages are protected like other views' */
	p = data;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtProtectVirtualMemory(NtCurrentProcess(), &p, &n,
					     PAGE_READONLY, &old));
	EXPECT_EQ((ULONG)PAGE_WRITECOPY, old);
	EXPECT_EQ((ULONG)PAGE_READONLY, query(data).Protect);
	EXPECT_EQ((ULONG)MEM_IMAGE, query(data).Type);
	EXPECT_TRUE(faults((char *)data, 1));
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(NtCurrentProcess(), a));
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(NtCurrentProcess(), b));
	NtClose(s);
	free(pe.data);
	free(after.data);
}

/*
 * Writes to a writable section stay in the view: not in the file, not in
 * another view, whether the page came from the file (img_b) or from the
 * section's shadow of copied pages (img_a).
 */
TEST_F(image, writes_stay_private)
{
	check_writes_private(_metadata, "img_b.exe");
	check_writes_private(_metadata, "img_a.exe");
}

TEST_F(image, map_parameters)
{
	void *p = (void *)0x30001000;
	char path[300];
	SIZE_T size;
	HANDLE s;

	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s, img_path("img_a.exe", path),
						    FILE_EXECUTE, PAGE_EXECUTE));
	EXPECT_STATUS(STATUS_MAPPED_ALIGNMENT, map_image(s, &p, &size));
	/* a base the caller names is not the image's: relocated */
	p = (void *)0x30000000;
	ASSERT_STATUS(STATUS_IMAGE_NOT_AT_BASE, map_image(s, &p, &size));
	EXPECT_EQ(0x30000000u, (ULONG_PTR)p);
	EXPECT_EQ((ULONG)MEM_IMAGE, query(p).Type);
	EXPECT_EQ(0x30000000u, (ULONG_PTR)query((char *)p + size - 1).AllocationBase);
	EXPECT_STATUS(STATUS_UNABLE_TO_DELETE_SECTION,
		      NtFreeVirtualMemory(NtCurrentProcess(), &p, &(SIZE_T){ 0 },
					  MEM_RELEASE));
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(NtCurrentProcess(), p));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtMapViewOfSection(s, NtCurrentProcess(), (void *)0xc0001000,
					 0, 0, NULL, &size, ViewUnmap, 0,
					 PAGE_READONLY));
	NtClose(s);
}

/*
 * What creating a process from an image needs: an image mapped into
 * another process by a handle with PROCESS_VM_OPERATION, laid out there
 * as in the caller, read back with NtReadVirtualMemory.
 */
TEST_F(image, map_into_another_process)
{
	MEMORY_BASIC_INFORMATION mbi;
	int go[2], status;
	CLIENT_ID cid = { 0 };
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	void *base = NULL;
	char path[300], hdr[2], c;
	struct pe pe;
	SIZE_T size = 0, done;
	HANDLE s, h = NULL;
	pid_t pid;

	ASSERT_EQ(0, pe_load(&pe, img_path("img_a.exe", path)));
	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s, path, FILE_EXECUTE,
						    PAGE_EXECUTE));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		close(go[1]);
		_exit(read(go[0], &c, 1) == 0 ? 0 : 1);
	}
	close(go[0]);
	cid.UniqueProcess = (HANDLE)(ULONG_PTR)pid;
	/* until the child ran once it is not an NT process of its own */
	for (int i = 0; i < 200; i++) {
		ASSERT_STATUS(STATUS_SUCCESS,
			      NtOpenProcess(&h, PROCESS_VM_OPERATION | PROCESS_VM_READ |
					    PROCESS_VM_WRITE | PROCESS_QUERY_INFORMATION,
					    nt_oa(&oa, &us, NULL, 0), &cid));
		mbi.State = 0;
		if (!NtQueryVirtualMemory(h, (void *)(ULONG_PTR)pe.image_base,
					  MemoryBasicInformation, &mbi,
					  sizeof(mbi), NULL))
			break;
		NtClose(h);
		h = NULL;
		usleep(10000);
	}
	ASSERT_TRUE(h != NULL);
	EXPECT_EQ((ULONG)MEM_FREE, mbi.State);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtMapViewOfSection(s, h, &base, 0, 0, NULL, &size, ViewShare,
					 0, PAGE_READWRITE));
	EXPECT_EQ(pe.image_base, (ULONG_PTR)base);
	EXPECT_EQ(ALIGN_UP(pe.size_of_image, PAGE), size);
	EXPECT_EQ((ULONG)MEM_FREE, query(base).State);	/* not in ours */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryVirtualMemory(h, base, MemoryBasicInformation, &mbi,
					   sizeof(mbi), NULL));
	EXPECT_EQ((ULONG)MEM_IMAGE, mbi.Type);
	EXPECT_EQ((ULONG)PAGE_READONLY, mbi.Protect);	/* the headers */
	EXPECT_EQ((ULONG)PAGE_EXECUTE_WRITECOPY, mbi.AllocationProtect);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtReadVirtualMemory(h, base, hdr, sizeof(hdr), &done));
	EXPECT_EQ(0, memcmp(hdr, "MZ", 2));
	/* the headers are read-only there too */
	EXPECT_STATUS(STATUS_PARTIAL_COPY,
		      NtWriteVirtualMemory(h, base, "ZM", 2, &done));
	/* a second view there is relocated */
	size = 0;
	base = NULL;
	{
		void *second = NULL;

		ASSERT_STATUS(STATUS_IMAGE_NOT_AT_BASE,
			      NtMapViewOfSection(s, h, &second, 0, 0, NULL, &size,
						 ViewShare, 0, PAGE_READWRITE));
		EXPECT_NE(pe.image_base, (ULONG_PTR)second);
		EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(h, second));
	}
	base = (void *)(ULONG_PTR)pe.image_base;
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(h, (char *)base + PAGE));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryVirtualMemory(h, base, MemoryBasicInformation, &mbi,
					   sizeof(mbi), NULL));
	EXPECT_EQ((ULONG)MEM_FREE, mbi.State);
	NtClose(h);
	NtClose(s);
	close(go[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(image, create_parameters)
{
	char path[300];
	HANDLE s, f;

	img_path("img_a.exe", path);
	/* ring3k's tests/section.c */
	EXPECT_STATUS(STATUS_INVALID_FILE_FOR_SECTION,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, NULL,
				      PAGE_EXECUTE, SEC_IMAGE, NULL));
	EXPECT_STATUS(STATUS_INVALID_HANDLE,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, NULL,
				      PAGE_READONLY, SEC_IMAGE, (HANDLE)0x8000));
	/* MmMakeFileAccess: execute needs FILE_EXECUTE, reading FILE_READ_DATA */
	EXPECT_STATUS(STATUS_ACCESS_DENIED,
		      image_section(&s, path, FILE_READ_DATA, PAGE_EXECUTE));
	EXPECT_STATUS(STATUS_ACCESS_DENIED,
		      image_section(&s, path, FILE_EXECUTE, PAGE_EXECUTE_READ));
	EXPECT_STATUS(STATUS_ACCESS_DENIED,
		      image_section(&s, path, FILE_EXECUTE, PAGE_READONLY));
	ASSERT_STATUS(STATUS_SUCCESS,
		      image_section(&s, path, FILE_READ_DATA, PAGE_READONLY));
	NtClose(s);
	ASSERT_STATUS(STATUS_SUCCESS,
		      image_section(&s, path, FILE_READ_DATA | FILE_EXECUTE,
				    PAGE_EXECUTE_WRITECOPY));
	NtClose(s);
	/* a directory */
	ASSERT_STATUS(STATUS_SUCCESS, open_file(&f, "/tmp", FILE_EXECUTE |
						FILE_READ_DATA));
	EXPECT_STATUS(STATUS_INVALID_FILE_FOR_SECTION,
		      NtCreateSection(&s, SECTION_ALL_ACCESS, NULL, NULL,
				      PAGE_EXECUTE, SEC_IMAGE, f));
	NtClose(f);
}

enum mut {
	M_NONE, M_MAGIC, M_TINY, M_SHORT_DOS, M_LFANEW, M_SIGNATURE, M_NE, M_NE_WIN16,
	M_NE_DOS4, M_MACHINE, M_MACHINE0, M_MACHINE_AMD64, M_OPT_MAGIC,
	M_OPT_MAGIC64, M_OPT_SIZE0, M_OPT_SIZE_SMALL, M_SA_BELOW_FA, M_SA_POW2,
	M_FA0, M_FA_SA_SMALL, M_IMAGE0, M_IMAGE_SMALL, M_BASE_ALIGN,
	M_NSEC_97, M_OVERLAP, M_VA_ALIGN, M_RAW_OUT, M_TRUNCATED, M_TABLE_OUT,
	M_HEADERS_BIG, M_OPT_CUT,
};

static const struct {
	enum mut m;
	NTSTATUS status;
	const char *what;
} malformed[] = {
	{ M_NONE, STATUS_SUCCESS, "unchanged" },
	{ M_MAGIC, STATUS_INVALID_IMAGE_NOT_MZ, "e_magic 0" },
	{ M_TINY, STATUS_INVALID_IMAGE_NOT_MZ, "1-byte file" },
	{ M_SHORT_DOS, STATUS_INVALID_IMAGE_PROTECT, "MZ, 0x20 bytes" },
	{ M_LFANEW, STATUS_INVALID_IMAGE_PROTECT, "e_lfanew 0x98760000" },
	{ M_SIGNATURE, STATUS_INVALID_IMAGE_PROTECT, "signature 0xdeadbeef" },
	{ M_NE, STATUS_INVALID_IMAGE_NE_FORMAT, "NE, ne_exetyp 0" },
	{ M_NE_WIN16, STATUS_INVALID_IMAGE_WIN_16, "NE, ne_exetyp 2" },
	{ M_NE_DOS4, STATUS_INVALID_IMAGE_PROTECT, "NE, ne_exetyp 5" },
	{ M_MACHINE, STATUS_INVALID_IMAGE_FORMAT, "machine 0xdead" },
	{ M_MACHINE0, STATUS_INVALID_IMAGE_FORMAT, "machine unknown" },
	{ M_MACHINE_AMD64, STATUS_INVALID_IMAGE_FORMAT, "machine amd64" },
	{ M_OPT_MAGIC, STATUS_INVALID_IMAGE_FORMAT, "optional magic 0xdead" },
	{ M_OPT_MAGIC64, STATUS_INVALID_IMAGE_FORMAT, "optional magic PE32+" },
	{ M_OPT_SIZE0, STATUS_INVALID_IMAGE_FORMAT, "SizeOfOptionalHeader 0" },
	{ M_OPT_SIZE_SMALL, STATUS_INVALID_IMAGE_FORMAT, "optional header cut before SizeOfHeaders" },
	{ M_SA_BELOW_FA, STATUS_INVALID_IMAGE_FORMAT, "SectionAlignment < FileAlignment" },
	{ M_SA_POW2, STATUS_INVALID_IMAGE_FORMAT, "SectionAlignment 0x3000" },
	{ M_FA0, STATUS_INVALID_IMAGE_FORMAT, "FileAlignment 0" },
	{ M_FA_SA_SMALL, STATUS_INVALID_IMAGE_FORMAT, "SectionAlignment 0x800 != FileAlignment" },
	{ M_IMAGE0, STATUS_INVALID_IMAGE_FORMAT, "SizeOfImage 0" },
	{ M_IMAGE_SMALL, STATUS_INVALID_IMAGE_FORMAT, "SizeOfImage below the last section" },
	{ M_BASE_ALIGN, STATUS_INVALID_IMAGE_FORMAT, "ImageBase not 64 KiB aligned" },
	{ M_NSEC_97, STATUS_INVALID_IMAGE_FORMAT, "97 sections" },
	{ M_OVERLAP, STATUS_INVALID_IMAGE_FORMAT, "sections overlap" },
	{ M_VA_ALIGN, STATUS_INVALID_IMAGE_FORMAT, "section RVA misaligned" },
	{ M_RAW_OUT, STATUS_INVALID_IMAGE_FORMAT, "section data beyond the file" },
	{ M_TRUNCATED, STATUS_INVALID_IMAGE_FORMAT, "file cut in a section" },
	{ M_TABLE_OUT, STATUS_INVALID_IMAGE_FORMAT, "section table beyond the file" },
	{ M_HEADERS_BIG, STATUS_INVALID_IMAGE_FORMAT, "SizeOfHeaders > SizeOfImage" },
	{ M_OPT_CUT, STATUS_SUCCESS, "optional header cut after SizeOfHeaders" },
};

/* Apply @m to the copy of img_a in @pe; returns the file size to write. */
static size_t mutate(struct pe *pe, enum mut m)
{
	uint32_t opt = OPT(pe);
	size_t size = pe->size;
	struct pe_section *last = &pe->sec[pe->nsec - 1];

	switch (m) {
	case M_NONE: break;
	case M_MAGIC: U16(pe, 0) = 0; break;
	case M_TINY: size = 1; break;
	case M_SHORT_DOS: size = 0x20; break;
	case M_LFANEW: U32(pe, 0x3c) = 0x98760000; break;
	case M_SIGNATURE: U32(pe, pe->lfanew) = 0xdeadbeef; break;
	case M_NE: U32(pe, pe->lfanew) = 0x454e; pe->data[pe->lfanew + 0x36] = 0; break;
	case M_NE_WIN16: U32(pe, pe->lfanew) = 0x454e; pe->data[pe->lfanew + 0x36] = 2; break;
	case M_NE_DOS4: U32(pe, pe->lfanew) = 0x454e; pe->data[pe->lfanew + 0x36] = 5; break;
	case M_MACHINE: U16(pe, pe->lfanew + 4) = 0xdead; break;
	case M_MACHINE0: U16(pe, pe->lfanew + 4) = 0; break;
	case M_MACHINE_AMD64: U16(pe, pe->lfanew + 4) = 0x8664; break;
	case M_OPT_MAGIC: U16(pe, opt) = 0xdead; break;
	case M_OPT_MAGIC64: U16(pe, opt) = 0x20b; break;
	case M_OPT_SIZE0: U16(pe, pe->lfanew + 20) = 0; break;
	case M_OPT_SIZE_SMALL: U16(pe, pe->lfanew + 20) = 0x3c; break;
	case M_SA_BELOW_FA: U32(pe, opt + 0x20) = 0x100; break;
	case M_SA_POW2: U32(pe, opt + 0x20) = 0x3000; break;
	case M_FA0: U32(pe, opt + 0x24) = 0; break;
	case M_FA_SA_SMALL: U32(pe, opt + 0x20) = 0x800; break;
	case M_IMAGE0: U32(pe, opt + 0x38) = 0; break;
	case M_IMAGE_SMALL: U32(pe, opt + 0x38) = last->va; break;
	case M_BASE_ALIGN: U32(pe, opt + 0x1c) += 0x1000; break;
	case M_NSEC_97: U16(pe, pe->lfanew + 6) = 97; break;
	case M_OVERLAP: pe->sec[1].va = pe->sec[0].va; break;
	case M_VA_ALIGN: pe->sec[1].va += 0x10; break;
	case M_RAW_OUT: pe->sec[0].rawptr = pe->size - 0x100; break;
	case M_TRUNCATED: size = pe->sec[1].rawptr + 0x10; break;
	case M_TABLE_OUT: U16(pe, pe->lfanew + 20) = 0xf000; break;
	case M_HEADERS_BIG: U32(pe, opt + 0x3c) = pe->size_of_image + PAGE; break;
	case M_OPT_CUT:
		/* XP needs the fields up to SizeOfHeaders only (test_Loader) */
		U16(pe, pe->lfanew + 20) = 0x40;
		memmove(pe->data + opt + 0x40, pe->sec, pe->nsec * sizeof(*pe->sec));
		break;
	}
	return size;
}

TEST_F(image, malformed_headers)
{
	char path[300];
	struct pe pe;
	HANDLE s;
	size_t i, size;

	img_path("img_a.exe", path);
	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		ASSERT_EQ(0, pe_load(&pe, path));
		size = mutate(&pe, malformed[i].m);
		ASSERT_EQ(0, pe_save(&pe, TMP_IMG, size));
		EXPECT_STATUS(malformed[i].status,
			      image_section(&s, TMP_IMG, FILE_EXECUTE, PAGE_EXECUTE))
			TH_LOG("%s", malformed[i].what);
		if (malformed[i].status == STATUS_SUCCESS)
			NtClose(s);
		free(pe.data);
	}
}

/* Every byte of the headers and section table set to each of a few values. */
TEST_F(image, every_header_byte)
{
	static const unsigned char vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	void *base;
	char path[300];
	struct pe pe, orig;
	uint32_t end, off, v;
	NTSTATUS st;
	SIZE_T size;
	HANDLE s;

	ASSERT_EQ(0, pe_load(&orig, img_path("img_a.exe", path)));
	end = OPT(&orig) + orig.opt_size + orig.nsec * sizeof(struct pe_section);
	for (off = 0; off < end; off++) {
		for (v = 0; v < sizeof(vals); v++) {
			ASSERT_EQ(0, pe_load(&pe, path));
			pe.data[off] = vals[v];
			ASSERT_EQ(0, pe_save(&pe, TMP_IMG, pe.size));
			free(pe.data);
			st = image_section(&s, TMP_IMG, FILE_EXECUTE, PAGE_EXECUTE);
			if (st) {
				EXPECT_TRUE(st == STATUS_INVALID_IMAGE_NOT_MZ ||
					    st == STATUS_INVALID_IMAGE_PROTECT ||
					    st == STATUS_INVALID_IMAGE_FORMAT ||
					    st == STATUS_INVALID_IMAGE_NE_FORMAT ||
					    st == STATUS_INVALID_IMAGE_WIN_16)
					TH_LOG("byte 0x%x = 0x%x: 0x%08x", off,
					       vals[v], (unsigned int)st);
				continue;
			}
			base = NULL;
			st = map_image(s, &base, &size);
			if (NT_SUCCESS(st))
				NtUnmapViewOfSection(NtCurrentProcess(), base);
			NtClose(s);
		}
	}
	free(orig.data);
}

/*
 * The image cut at every 16 bytes: an image status while any section's
 * data is missing, a view from there on (the COFF symbols after the last
 * section are no part of the image).
 */
TEST_F(image, every_truncation)
{
	size_t len, need = 0;
	char path[300];
	void *base;
	struct pe pe;
	SIZE_T size;
	NTSTATUS st;
	HANDLE s;
	int i;

	ASSERT_EQ(0, pe_load(&pe, img_path("img_a.exe", path)));
	for (i = 0; i < pe.nsec; i++)
		if (pe.sec[i].rawsize && pe.sec[i].rawptr + pe.sec[i].rawsize > need)
			need = pe.sec[i].rawptr + pe.sec[i].rawsize;
	ASSERT_LE(need, pe.size);
	for (len = 0; len <= pe.size; len += 16) {
		ASSERT_EQ(0, pe_save(&pe, TMP_IMG, len));
		st = image_section(&s, TMP_IMG, FILE_EXECUTE, PAGE_EXECUTE);
		if (len < need) {
			EXPECT_TRUE(st == STATUS_INVALID_IMAGE_NOT_MZ ||
				    st == STATUS_INVALID_IMAGE_PROTECT ||
				    st == STATUS_INVALID_IMAGE_FORMAT)
				TH_LOG("cut at 0x%zx: 0x%08x", len, (unsigned int)st);
			continue;
		}
		EXPECT_STATUS(STATUS_SUCCESS, st)
			TH_LOG("cut at 0x%zx", len);
		if (st)
			continue;
		base = NULL;
		EXPECT_STATUS(STATUS_SUCCESS, map_image(s, &base, &size));
		NtUnmapViewOfSection(NtCurrentProcess(), base);
		NtClose(s);
	}
	free(pe.data);
}

TEST_F(image, are_mapped_files_the_same)
{
	void *img = NULL, *img2 = NULL, *data = NULL, *priv = NULL;
	SIZE_T si, si2, sd = 0, sp = 0x10000;
	HANDLE s, s2, ds, f;
	char path[300];
	int local;

	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s, img_path("img_a.exe", path),
						    FILE_EXECUTE, PAGE_EXECUTE));
	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s2, img_path("img_b.exe", path),
						    FILE_EXECUTE, PAGE_EXECUTE));
	ASSERT_STATUS(STATUS_SUCCESS, map_image(s, &img, &si));
	ASSERT_STATUS(STATUS_SUCCESS, map_image(s2, &img2, &si2));
	ASSERT_STATUS(STATUS_SUCCESS, open_file(&f, img_path("img_a.exe", path),
						FILE_READ_DATA));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSection(&ds, SECTION_ALL_ACCESS, NULL, NULL,
				      PAGE_READONLY, SEC_COMMIT, f));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtMapViewOfSection(ds, NtCurrentProcess(), &data, 0, 0, NULL,
					 &sd, ViewUnmap, 0, PAGE_READONLY));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtAllocateVirtualMemory(NtCurrentProcess(), &priv, 0, &sp,
					      MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));

	EXPECT_STATUS(STATUS_SUCCESS, NtAreMappedFilesTheSame(img, img));
	EXPECT_STATUS(STATUS_SUCCESS, NtAreMappedFilesTheSame(img, (char *)img + 4096));
	/* an image and the same file mapped as data */
	EXPECT_STATUS(STATUS_SUCCESS, NtAreMappedFilesTheSame(img, data));
	/* the first address must be an image */
	EXPECT_STATUS(STATUS_NOT_SAME_DEVICE, NtAreMappedFilesTheSame(data, data));
	EXPECT_STATUS(STATUS_NOT_SAME_DEVICE, NtAreMappedFilesTheSame(data, img));
	EXPECT_STATUS(STATUS_NOT_SAME_DEVICE, NtAreMappedFilesTheSame(img, img2));
	EXPECT_STATUS(STATUS_INVALID_ADDRESS, NtAreMappedFilesTheSame(img, NULL));
	EXPECT_STATUS(STATUS_INVALID_ADDRESS, NtAreMappedFilesTheSame(NULL, NULL));
	EXPECT_STATUS(STATUS_CONFLICTING_ADDRESSES, NtAreMappedFilesTheSame(img, priv));
	EXPECT_STATUS(STATUS_CONFLICTING_ADDRESSES, NtAreMappedFilesTheSame(img, &local));
	EXPECT_STATUS(STATUS_INVALID_ADDRESS,
		      NtAreMappedFilesTheSame(img, (void *)0xc0001000));

	NtUnmapViewOfSection(NtCurrentProcess(), img);
	NtUnmapViewOfSection(NtCurrentProcess(), img2);
	NtUnmapViewOfSection(NtCurrentProcess(), data);
	NtFreeVirtualMemory(NtCurrentProcess(), &priv, &(SIZE_T){ 0 }, MEM_RELEASE);
	NtClose(ds);
	NtClose(f);
	NtClose(s);
	NtClose(s2);
}

/* uid 1000 cannot read a root-owned 0600 image; 0644 it can map. */
TEST_F(image, user_and_root_owned_image)
{
	char path[300];
	struct pe pe;

	ASSERT_EQ(0, pe_load(&pe, img_path("img_a.exe", path)));
	ASSERT_EQ(0, pe_save(&pe, TMP_IMG, pe.size));
	ASSERT_EQ(0, chmod(TMP_IMG, 0600));
	NT_AS_USER(variant->gate) {
		HANDLE f;

		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      open_file(&f, TMP_IMG, FILE_EXECUTE));
	}
	ASSERT_EQ(0, chmod(TMP_IMG, 0644));
	NT_AS_USER(variant->gate) {
		void *base = NULL;
		SIZE_T size;
		HANDLE s;

		ASSERT_STATUS(STATUS_SUCCESS,
			      image_section(&s, TMP_IMG, FILE_EXECUTE, PAGE_EXECUTE));
		ASSERT_STATUS(STATUS_SUCCESS, map_image(s, &base, &size));
		EXPECT_EQ((ULONG)MEM_IMAGE, query(base).Type);
	}
	free(pe.data);
}

/*
 * The inode of the shadow (image.c: a shmem file "ntimage") mapped in the
 * view at @base, from /proc/self/maps; 0 if none.
 */
static unsigned long shadow_ino(const void *base, SIZE_T size)
{
	unsigned long lo, hi, ino, found = 0;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, "ntimage") ||
		    sscanf(line, "%lx-%lx %*s %*s %*s %lu", &lo, &hi, &ino) != 3)
			continue;
		if (lo >= (unsigned long)base && hi <= (unsigned long)base + size) {
			found = ino;
			break;
		}
	}
	fclose(f);
	return found;
}

/* A section of img_a whose data the view takes from the shadow. */
static const struct pe_section *shadowed_section(const struct pe *pe)
{
	for (int i = 0; i < pe->nsec; i++)
		if (pe->sec[i].rawsize > 0x20 && pe->sec[i].rawptr & (PAGE - 1))
			return &pe->sec[i];
	return NULL;
}

/*
 * XP keeps one control area per image file: every section of an
 * unchanged file shares the checked image and its prototype pages (here
 * the shadow), so views of two sections map the same shadow pages and
 * agree with the file.
 */
TEST_F(image, sections_of_one_file_share)
{
	unsigned long ino_a, ino_b;
	void *a = NULL, *b = NULL;
	HANDLE s1, s2;
	SIZE_T sa, sb;
	char path[300];
	struct pe pe;

	ASSERT_EQ(0, pe_load(&pe, img_path("img_a.exe", path)));
	ASSERT_NE(NULL, shadowed_section(&pe));
	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s1, path, FILE_EXECUTE,
						    PAGE_EXECUTE));
	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s2, path, FILE_EXECUTE,
						    PAGE_EXECUTE));
	ASSERT_STATUS(STATUS_SUCCESS, map_image(s1, &a, &sa));
	ASSERT_STATUS(STATUS_IMAGE_NOT_AT_BASE, map_image(s2, &b, &sb));
	ino_a = shadow_ino(a, sa);
	ino_b = shadow_ino(b, sb);
	EXPECT_NE(0, ino_a);
	EXPECT_EQ(ino_a, ino_b);
	check_view(_metadata, &pe, a);
	check_view(_metadata, &pe, b);
	/* the first section's going leaves the second's image whole */
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(NtCurrentProcess(), a));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(s1));
	check_view(_metadata, &pe, b);
	EXPECT_STATUS(STATUS_SUCCESS, NtUnmapViewOfSection(NtCurrentProcess(), b));
	EXPECT_STATUS(STATUS_SUCCESS, NtClose(s2));
	free(pe.data);
}

/* Section, view, one byte of the shadowed section's data; -1 on failure. */
static int view_byte(struct __test_metadata *_metadata, const struct pe *pe,
		     uint32_t rva, unsigned long *ino)
{
	void *base = NULL;
	SIZE_T size;
	HANDLE s;
	int byte;

	EXPECT_STATUS(STATUS_SUCCESS, image_section(&s, TMP_IMG, FILE_EXECUTE,
						    PAGE_EXECUTE));
	if (!s)
		return -1;
	EXPECT_STATUS(STATUS_SUCCESS, map_image(s, &base, &size));
	byte = base ? ((unsigned char *)base)[rva] : -1;
	if (ino)
		*ino = shadow_ino(base, size);
	if (base)
		check_view(_metadata, pe, base);
	NtUnmapViewOfSection(NtCurrentProcess(), base);
	NtClose(s);
	return byte;
}

/*
 * The shared image is the file's as it is now: a file rewritten between
 * two NtCreateSection calls is read again, whether the write comes long
 * after the image was read (ctime moves) or in the same clock tick
 * (imagecache.c caches no image whose ctime is that recent), and with the
 * same size. An unchanged file's sections keep sharing.
 */
TEST_F(image, changed_file_is_read_again)
{
	const struct pe_section *sec;
	unsigned long ino1, ino2;
	char path[300];
	struct pe pe;
	uint32_t off, rva;
	HANDLE s;

	ASSERT_EQ(0, pe_load(&pe, img_path("img_a.exe", path)));
	sec = shadowed_section(&pe);
	ASSERT_NE(NULL, sec);
	off = sec->rawptr + 0x10;
	rva = sec->va + 0x10;
	pe.data[off] = 0x5a;
	ASSERT_EQ(0, pe_save(&pe, TMP_IMG, pe.size));
	usleep(50000);		/* past the write's clock tick: cacheable */
	EXPECT_EQ(0x5a, view_byte(_metadata, &pe, rva, &ino1));
	EXPECT_EQ(0x5a, view_byte(_metadata, &pe, rva, &ino2));
	EXPECT_EQ(ino1, ino2);	/* shared while unchanged */

	/* rewritten in place, same size, right away */
	for (int i = 0; i < 16; i++) {
		int fd = open(TMP_IMG, O_WRONLY);

		ASSERT_LE(0, fd);
		pe.data[off] = 0xa0 + i;
		ASSERT_EQ(1, pwrite(fd, &pe.data[off], 1, off));
		close(fd);
		EXPECT_EQ(0xa0 + i, view_byte(_metadata, &pe, rva, &ino2));
		EXPECT_NE(ino1, ino2);
		if (i == 7)
			usleep(50000);	/* and once after a cached read */
	}
	/* replaced by another file under the same name */
	pe.data[off] = 0x77;
	ASSERT_EQ(0, unlink(TMP_IMG));
	ASSERT_EQ(0, pe_save(&pe, TMP_IMG, pe.size));
	EXPECT_EQ(0x77, view_byte(_metadata, &pe, rva, NULL));
	/* truncated: the cached image must not survive the new size */
	ASSERT_EQ(0, truncate(TMP_IMG, 0x40));
	EXPECT_STATUS(STATUS_INVALID_IMAGE_PROTECT,
		      image_section(&s, TMP_IMG, FILE_EXECUTE, PAGE_EXECUTE));
	free(pe.data);
}

/*
 * The cache is bounded (imagecache.c: 32 images, least recently used
 * out): after sections of 40 other files, the first file's image is
 * read again; while it is among the recent ones it is shared.
 */
TEST_F(image, cache_is_bounded)
{
	unsigned long first, again;
	char path[300], name[64];
	struct pe pe;
	int i;

	ASSERT_EQ(0, pe_load(&pe, img_path("img_a.exe", path)));
	for (i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "/tmp/ntimage-lru%d.exe", i);
		ASSERT_EQ(0, pe_save(&pe, name, pe.size));
	}
	ASSERT_EQ(0, rename("/tmp/ntimage-lru0.exe", TMP_IMG));
	usleep(50000);		/* past the writes' clock tick: cacheable */
	view_byte(_metadata, &pe, 0, &first);
	view_byte(_metadata, &pe, 0, &again);
	EXPECT_NE(0, first);
	EXPECT_EQ(first, again);
	for (i = 1; i <= 40; i++) {
		HANDLE s;

		snprintf(name, sizeof(name), "/tmp/ntimage-lru%d.exe", i);
		EXPECT_STATUS(STATUS_SUCCESS, image_section(&s, name, FILE_EXECUTE,
							    PAGE_EXECUTE));
		NtClose(s);
		unlink(name);
	}
	view_byte(_metadata, &pe, 0, &again);
	EXPECT_NE(first, again);
	free(pe.data);
}

/*
 * The image cache's counters (debugfs ntpersonality/mm/imagecache):
 * cached entries, and of them the ones a section uses; -1 if unreadable.
 */
static int cache_stats(int *in_use)
{
	FILE *f = fopen("/sys/kernel/debug/ntpersonality/mm/imagecache", "r");
	unsigned long long bytes;
	int entries, used, n;

	if (!f)
		return -1;
	n = fscanf(f, "entries %d bytes %llu in_use %d", &entries, &bytes, &used);
	fclose(f);
	if (n != 3)
		return -1;
	if (in_use)
		*in_use = used;
	return entries;
}

static int drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, "2", 1) == 1;	/* 2: slab and shrinkers */
	close(fd);
	return ok ? 0 : -1;
}

/*
 * A cache of pages gives them back under memory pressure: reclaim runs
 * the cache's shrinker (drop_caches runs every shrinker), which drops
 * every image no section uses and keeps the one a section holds, still
 * shared by the next section of that file.
 */
TEST_F(image, cache_shrinks_under_reclaim)
{
	unsigned long first, again;
	int entries, used;
	char path[300];
	struct pe pe;
	HANDLE held, s;

	ASSERT_EQ(0, pe_load(&pe, img_path("img_a.exe", path)));
	ASSERT_EQ(0, pe_save(&pe, TMP_IMG, pe.size));
	usleep(50000);		/* past the write's clock tick: cacheable */
	view_byte(_metadata, &pe, 0, &first);
	ASSERT_STATUS(STATUS_SUCCESS,
		      image_section(&held, img_path("img_b.exe", path),
				    FILE_EXECUTE, PAGE_EXECUTE));
	ASSERT_STATUS(STATUS_SUCCESS,
		      image_section(&s, img_path("img_c.exe", path),
				    FILE_EXECUTE, PAGE_EXECUTE));
	NtClose(s);
	entries = cache_stats(&used);
	ASSERT_GE(entries, 3) TH_LOG("no debugfs mm/imagecache?");
	EXPECT_EQ(1, used);

	ASSERT_EQ(0, drop_caches());
	EXPECT_EQ(1, cache_stats(&used));
	EXPECT_EQ(1, used);
	/* TMP_IMG's image went: read again, a new shadow */
	view_byte(_metadata, &pe, 0, &again);
	EXPECT_NE(0, again);
	EXPECT_NE(first, again);
	EXPECT_EQ(2, cache_stats(&used));
	/* img_b's stayed: a second section of it adds nothing */
	ASSERT_STATUS(STATUS_SUCCESS,
		      image_section(&s, img_path("img_b.exe", path),
				    FILE_EXECUTE, PAGE_EXECUTE));
	EXPECT_EQ(2, cache_stats(&used));
	NtClose(s);
	NtClose(held);
	ASSERT_EQ(0, drop_caches());
	EXPECT_EQ(0, cache_stats(&used));
	free(pe.data);
}

/*
 * The cache shares what the caller could compute itself, no more
 * (imagecache.c): an image root cached from a root-owned 0700 file is
 * not the user's to map, whether the user asks with no handle to it,
 * or with a handle that does not give FILE_EXECUTE; and what a user
 * maps after the file changed under the cached image (rewritten in
 * place at the same size, or another file renamed over it) is the new
 * file.
 */
TEST_F(image, cache_as_user)
{
	const struct pe_section *sec;
	char path[300];
	uint32_t off, rva;
	struct pe pe;
	HANDLE s;
	int fd;

	ASSERT_EQ(0, pe_load(&pe, img_path("img_a.exe", path)));
	sec = shadowed_section(&pe);
	ASSERT_NE(NULL, sec);
	off = sec->rawptr + 0x10;
	rva = sec->va + 0x10;
	pe.data[off] = 0x11;
	ASSERT_EQ(0, pe_save(&pe, TMP_IMG, pe.size));
	ASSERT_EQ(0, chmod(TMP_IMG, 0700));
	usleep(50000);		/* past the write's clock tick: cacheable */
	ASSERT_EQ(0x11, view_byte(_metadata, &pe, rva, NULL));
	ASSERT_STATUS(STATUS_SUCCESS,
		      image_section(&s, TMP_IMG, FILE_EXECUTE, PAGE_EXECUTE));
	NT_AS_USER(variant->gate) {
		HANDLE f, us;

		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      open_file(&f, TMP_IMG, FILE_EXECUTE));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      open_file(&f, TMP_IMG, FILE_READ_DATA));
		/* a handle for the attributes alone the user may have */
		ASSERT_STATUS(STATUS_SUCCESS,
			      open_file(&f, TMP_IMG, FILE_READ_ATTRIBUTES));
		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      NtCreateSection(&us, SECTION_ALL_ACCESS, NULL, NULL,
					      PAGE_EXECUTE, SEC_IMAGE, f));
		NtClose(f);
	}
	NtClose(s);

	/* readable now; rewritten in place, same size: the new bytes */
	ASSERT_EQ(0, chmod(TMP_IMG, 0755));
	ASSERT_EQ(0x11, view_byte(_metadata, &pe, rva, NULL));
	fd = open(TMP_IMG, O_WRONLY);
	ASSERT_LE(0, fd);
	pe.data[off] = 0x22;
	ASSERT_EQ(1, pwrite(fd, &pe.data[off], 1, off));
	close(fd);
	NT_AS_USER(variant->gate) {
		EXPECT_EQ(0x22, view_byte(_metadata, &pe, rva, NULL));
	}
	/* another root file renamed over it: the new file */
	usleep(50000);
	ASSERT_EQ(0x22, view_byte(_metadata, &pe, rva, NULL));	/* cached */
	pe.data[off] = 0x33;
	ASSERT_EQ(0, pe_save(&pe, TMP_IMG ".new", pe.size));
	ASSERT_EQ(0, chmod(TMP_IMG ".new", 0755));
	ASSERT_EQ(0, rename(TMP_IMG ".new", TMP_IMG));
	NT_AS_USER(variant->gate) {
		EXPECT_EQ(0x33, view_byte(_metadata, &pe, rva, NULL));
	}
	free(pe.data);
}

/*
 * A file on a noexec mount is no image, as mmap(PROT_EXEC) refuses it,
 * for root too; a section made before the mount turned noexec cannot be
 * mapped after (checked at use).
 */
TEST_F(image, noexec_mount)
{
	char path[300], file[300];
	void *base = NULL;
	struct pe pe;
	SIZE_T size;
	HANDLE s, s2;

	mkdir(NOEXEC_DIR, 0755);
	if (mount("ntimage", NOEXEC_DIR, "tmpfs", 0, "size=1m"))
		SKIP(return, "cannot mount tmpfs: %s", strerror(errno));
	snprintf(file, sizeof(file), "%s/img.exe", NOEXEC_DIR);
	ASSERT_EQ(0, pe_load(&pe, img_path("img_a.exe", path)));
	ASSERT_EQ(0, pe_save(&pe, file, pe.size));
	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s, file, FILE_EXECUTE,
						    PAGE_EXECUTE));
	ASSERT_EQ(0, mount(NULL, NOEXEC_DIR, NULL, MS_REMOUNT | MS_NOEXEC, "size=1m"));
	EXPECT_STATUS(STATUS_ACCESS_DENIED,
		      image_section(&s2, file, FILE_EXECUTE, PAGE_EXECUTE));
	EXPECT_STATUS(STATUS_ACCESS_DENIED, map_image(s, &base, &size));
	EXPECT_EQ((ULONG)MEM_FREE, query((void *)pe.image_base).State);
	NT_AS_USER(variant->gate) {
		HANDLE us;

		EXPECT_STATUS(STATUS_ACCESS_DENIED,
			      image_section(&us, file, FILE_EXECUTE, PAGE_EXECUTE));
	}
	NtClose(s);
	umount(NOEXEC_DIR);
	rmdir(NOEXEC_DIR);
	free(pe.data);
}

/*
 * NTP_IOC_SET_IMAGE: a loader that mapped the program names its view; the
 * PEB says what MmCreatePeb writes from an image. Only a view of the named
 * image section, only from its base.
 */
TEST_F(image, set_image_sets_peb)
{
	LARGE_INTEGER max = { .QuadPart = 0x10000 };
	SECTION_IMAGE_INFORMATION sii;
	struct ntp_image im = { 0 };
	void *base = NULL, *other = NULL;
	PEB *peb = NtCurrentPeb();
	HANDLE s, s2, data, ev;
	char path[300];
	SIZE_T size;
	int fd;

	fd = open(NTP_DEVICE_PATH, O_RDWR);
	ASSERT_GE(fd, 0);
	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s, img_path("img_a.exe", path),
						    FILE_EXECUTE, PAGE_EXECUTE));
	ASSERT_STATUS(STATUS_SUCCESS, image_section(&s2, img_path("img_b.exe", path),
						    FILE_EXECUTE, PAGE_EXECUTE));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSection(&data, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_READWRITE, SEC_COMMIT, NULL));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL, NotificationEvent,
				    FALSE));
	ASSERT_STATUS(STATUS_SUCCESS, map_image(s, &base, &size));
	ASSERT_STATUS(STATUS_SUCCESS, map_image(s2, &other, &size));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQuerySection(s, SectionImageInformation, &sii, sizeof(sii),
				     NULL));
	ASSERT_NE((ULONG_PTR)base, (ULONG_PTR)peb->ImageBaseAddress);

	im.section = (ULONG_PTR)s;
	im.base = (ULONG_PTR)base + PAGE;
	EXPECT_EQ(-1, ioctl(fd, NTP_IOC_SET_IMAGE, &im));
	EXPECT_EQ(EINVAL, errno);
	im.base = (ULONG_PTR)other;		/* a view of another image */
	EXPECT_EQ(-1, ioctl(fd, NTP_IOC_SET_IMAGE, &im));
	EXPECT_EQ(EINVAL, errno);
	im.section = (ULONG_PTR)data;
	im.base = (ULONG_PTR)base;
	EXPECT_EQ(-1, ioctl(fd, NTP_IOC_SET_IMAGE, &im));
	EXPECT_EQ(EINVAL, errno);
	im.section = (ULONG_PTR)ev;
	EXPECT_EQ(-1, ioctl(fd, NTP_IOC_SET_IMAGE, &im));
	EXPECT_EQ(EINVAL, errno);
	im.section = 0x1234;
	EXPECT_EQ(-1, ioctl(fd, NTP_IOC_SET_IMAGE, &im));
	EXPECT_EQ(EBADF, errno);
	im.section = (ULONG_PTR)s;
	im.flags = 1;
	EXPECT_EQ(-1, ioctl(fd, NTP_IOC_SET_IMAGE, &im));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE((ULONG_PTR)base, (ULONG_PTR)peb->ImageBaseAddress);

	im.flags = 0;
	ASSERT_EQ(0, ioctl(fd, NTP_IOC_SET_IMAGE, &im));
	EXPECT_EQ((ULONG_PTR)base, (ULONG_PTR)peb->ImageBaseAddress);
	EXPECT_EQ(sii.SubSystemType, peb->ImageSubsystem);
	EXPECT_EQ(1u, peb->ImageSubsystem);
	EXPECT_EQ(sii.SubSystemMajorVersion, peb->ImageSubsystemMajorVersion);
	EXPECT_EQ(sii.SubSystemMinorVersion, peb->ImageSubsystemMinorVersion);
	close(fd);
	NtClose(ev);
	NtClose(data);
	NtClose(s2);
	NtClose(s);
}

TEST_HARNESS_MAIN
