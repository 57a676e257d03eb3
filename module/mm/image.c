// SPDX-License-Identifier: GPL-2.0
/*
 * PE images: the header checks of NtCreateSection(SEC_IMAGE) and the
 * layout of an image view (NtMapViewOfSection).
 *
 * The statuses are XP's, as Windows reports them to Wine's tests
 * (dlls/kernel32/tests/loader.c, test_Loader and map_image_section): no
 * "MZ" is STATUS_INVALID_IMAGE_NOT_MZ; an e_lfanew outside the file or a
 * signature that is neither "PE\0\0" nor "NE" is STATUS_INVALID_IMAGE_PROTECT;
 * an NE image is STATUS_INVALID_IMAGE_NE_FORMAT (ne_exetyp 2, Windows:
 * STATUS_INVALID_IMAGE_WIN_16; 5, DOS 4: STATUS_INVALID_IMAGE_PROTECT);
 * everything wrong in a PE header (machine, optional header magic and size,
 * alignments, SizeOfImage, sections overlapping, beyond the image or out of
 * the file) is STATUS_INVALID_IMAGE_FORMAT. What XP accepts, so do we:
 * optional headers cut after SizeOfHeaders (the rest reads as zero),
 * headers running past the end of the file, 92-byte images.
 *
 * A view is laid out as XP's MiCreateImageFileMap does (ReactOS
 * ntoskrnl/mm/section.c and Wine's map_image_into_view show the same
 * cases): with SectionAlignment >= the page size, the headers read-only at
 * the base and each section at its VirtualAddress with the protection of
 * its IMAGE_SCN_MEM_* bits, writable ones copy-on-write, the pages between
 * sections no-access; with a smaller SectionAlignment (which must then
 * equal FileAlignment, and each section's file offset its RVA), the file
 * as it lies, all PAGE_EXECUTE_WRITECOPY.
 *
 * Every page of a view is a private mapping, copy-on-write: pages whose
 * file data starts on a page boundary map the file itself; the rest (file
 * alignment below a page, mingw's default, and the partial last page of
 * each section, zeroed beyond SizeOfRawData) map the section's shadow, a
 * shmem file filled once per file with those pages at their RVAs and
 * shared by its sections (imagecache.c), as XP's image control area holds
 * an image's prototype pages; what
 * lies beyond the data (.bss) is anonymous zero pages. So a view copies
 * nothing, and views in any number of processes share the pages until
 * they are written. The shadow is charged to the creator's memcg and is
 * at most the file's data plus a page per section.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include "mm/mm.h"
#include "mm/image.h"

/* The on-disk PE structures, the parts read here (x86: little endian). */
#define PE_DOS_MAGIC		0x5a4d		/* "MZ" */
#define PE_NT_SIGNATURE		0x00004550	/* "PE\0\0" */
#define PE_OS2_SIGNATURE	0x454e		/* "NE" */
#define PE_MACHINE_I386		0x014c
#define PE_OPT_MAGIC32		0x010b
#define PE_MAX_SECTIONS		96		/* the Windows loader's limit */

#define PE_SCN_MEM_SHARED	0x10000000
#define PE_SCN_MEM_EXECUTE	0x20000000
#define PE_SCN_MEM_READ		0x40000000
#define PE_SCN_MEM_WRITE	0x80000000

struct pe_file_header {
	u16 machine;
	u16 nr_sections;
	u32 timestamp;
	u32 symtab;
	u32 nr_symbols;
	u16 opt_size;
	u16 characteristics;
};

struct pe_opt_header {
	u16 magic;
	u8 linker_major;
	u8 linker_minor;
	u32 size_of_code;
	u32 size_of_data;
	u32 size_of_bss;
	u32 entry;
	u32 base_of_code;
	u32 base_of_data;
	u32 image_base;
	u32 section_alignment;
	u32 file_alignment;
	u16 os_major;
	u16 os_minor;
	u16 image_major;
	u16 image_minor;
	u16 subsystem_major;
	u16 subsystem_minor;
	u32 win32_version;
	u32 size_of_image;
	u32 size_of_headers;		/* 0x3c: what XP needs ends here */
	u32 checksum;
	u16 subsystem;
	u16 dll_characteristics;
	u32 stack_reserve;
	u32 stack_commit;
	u32 heap_reserve;
	u32 heap_commit;
	u32 loader_flags;
	u32 nr_dirs;
	u32 dirs[16][2];
};

struct pe_nt_headers {
	u32 signature;
	struct pe_file_header file;
	struct pe_opt_header opt;
};

struct pe_section {
	char name[8];
	u32 vsize;
	u32 va;
	u32 rawsize;
	u32 rawptr;
	u32 relocs;
	u32 lines;
	u16 nr_relocs;
	u16 nr_lines;
	u32 characteristics;
};

static_assert(sizeof(struct pe_opt_header) == 0xe0);
static_assert(sizeof(struct pe_section) == 40);
static_assert(offsetof(struct pe_opt_header, checksum) == 0x40);

#define PE_OPT_MIN	offsetof(struct pe_opt_header, checksum)

/* Read @len bytes at @pos; what lies beyond the end of the file is zero. */
static NTSTATUS ntmm_pe_read(struct file *f, void *buf, u32 len, u64 pos,
			     u32 *got)
{
	loff_t p = pos;
	ssize_t n;

	memset(buf, 0, len);
	n = kernel_read(f, buf, len, &p);
	if (n < 0)
		return nt_status_from_errno(n);
	if (got)
		*got = n;
	return STATUS_SUCCESS;
}

static bool ntmm_pow2(u32 x)
{
	return x && !(x & (x - 1));
}

/* XP's MiGetImageProtection: writable sections are copy-on-write. */
static u32 ntmm_scn_protect(u32 c)
{
	bool x = c & PE_SCN_MEM_EXECUTE, r = c & PE_SCN_MEM_READ,
	     w = c & PE_SCN_MEM_WRITE;

	if (w)
		return x ? PAGE_EXECUTE_WRITECOPY : PAGE_WRITECOPY;
	if (x)
		return r ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
	return r ? PAGE_READONLY : PAGE_NOACCESS;
}

/* An NE header: which 16-bit or DOS flavour (Wine's loader.c test). */
static NTSTATUS ntmm_ne_status(struct file *f, u32 lfanew)
{
	u8 exetyp;

	if (!NT_SUCCESS(ntmm_pe_read(f, &exetyp, 1, (u64)lfanew + 0x36, NULL)))
		return STATUS_INVALID_IMAGE_NE_FORMAT;
	if (exetyp == 2)
		return STATUS_INVALID_IMAGE_WIN_16;
	if (exetyp == 5)
		return STATUS_INVALID_IMAGE_PROTECT;
	return STATUS_INVALID_IMAGE_NE_FORMAT;
}

static void ntmm_image_fill_info(struct ntmm_image *img,
				 const struct pe_nt_headers *nt, u64 fsize)
{
	const struct pe_opt_header *o = &nt->opt;
	SECTION_IMAGE_INFORMATION *i = &img->info;

	i->TransferAddress = o->image_base + o->entry;
	i->ZeroBits = 0;
	i->MaximumStackSize = o->stack_reserve;
	i->CommittedStackSize = o->stack_commit;
	i->SubSystemType = o->subsystem;
	i->SubSystemMinorVersion = o->subsystem_minor;
	i->SubSystemMajorVersion = o->subsystem_major;
	i->GpValue = 0;
	i->ImageCharacteristics = nt->file.characteristics;
	i->DllCharacteristics = o->dll_characteristics;
	i->Machine = nt->file.machine;
	/* XP's rule, as Wine's query_image_section finds it on <= win8 */
	i->ImageContainsCode = o->size_of_code || o->entry;
	i->LoaderFlags = o->loader_flags;
	i->ImageFileSize = min_t(u64, fsize, U32_MAX);
	i->CheckSum = o->checksum;
}

NTSTATUS ntmm_image_parse(struct file *f, struct ntmm_image **out)
{
	u64 fsize = i_size_read(file_inode(f)), next, end, table;
	struct pe_section *sec = NULL;
	struct ntmm_image_piece *p;
	struct pe_opt_header *o;
	struct pe_nt_headers nt;
	struct ntmm_image *img;
	u32 lfanew, got, sa, fa, n, i, vsize, hdrs;
	u16 dos[0x20];
	NTSTATUS status;
	bool flat;

	*out = NULL;
	status = ntmm_pe_read(f, dos, sizeof(dos), 0, &got);
	if (!NT_SUCCESS(status))
		return status;
	if (got < 2 || dos[0] != PE_DOS_MAGIC)
		return STATUS_INVALID_IMAGE_NOT_MZ;
	lfanew = dos[0x1e] | (u32)dos[0x1f] << 16;
	if (got < sizeof(dos) ||
	    (u64)lfanew + sizeof(u32) + sizeof(struct pe_file_header) > fsize)
		return STATUS_INVALID_IMAGE_PROTECT;
	status = ntmm_pe_read(f, &nt, sizeof(nt), lfanew, NULL);
	if (!NT_SUCCESS(status))
		return status;
	if (nt.signature != PE_NT_SIGNATURE) {
		if ((u16)nt.signature == PE_OS2_SIGNATURE)
			return ntmm_ne_status(f, lfanew);
		return STATUS_INVALID_IMAGE_PROTECT;
	}
	o = &nt.opt;
	if (nt.file.opt_size < sizeof(*o))
		memset((u8 *)o + nt.file.opt_size, 0, sizeof(*o) - nt.file.opt_size);

	status = STATUS_INVALID_IMAGE_FORMAT;
	if (nt.file.machine != PE_MACHINE_I386 || o->magic != PE_OPT_MAGIC32 ||
	    nt.file.opt_size < PE_OPT_MIN)
		return status;
	sa = o->section_alignment;
	fa = o->file_alignment;
	if (!ntmm_pow2(sa) || !ntmm_pow2(fa) || sa < fa)
		return status;
	flat = sa < PAGE_SIZE;
	if (flat && fa != sa)
		return status;
	if (!o->size_of_image || o->image_base & (NTMM_GRANULARITY - 1) ||
	    PAGE_ALIGN((u64)o->size_of_image) > NTMM_HIGHEST + 1 - NTMM_LOWEST)
		return status;
	n = nt.file.nr_sections;
	table = (u64)lfanew + offsetof(struct pe_nt_headers, opt) + nt.file.opt_size;
	if (n > PE_MAX_SECTIONS || table + n * sizeof(*sec) > fsize)
		return status;

	status = STATUS_NO_MEMORY;
	img = kzalloc(struct_size(img, piece, n + 1), GFP_KERNEL_ACCOUNT);
	if (n)
		sec = kmalloc_array(n, sizeof(*sec), GFP_KERNEL_ACCOUNT);
	if (!img || (n && !sec))
		goto fail;
	status = ntmm_pe_read(f, sec, n * sizeof(*sec), table, NULL);
	if (!NT_SUCCESS(status))
		goto fail;

	img->image_base = o->image_base;
	img->size = PAGE_ALIGN(o->size_of_image);
	hdrs = o->size_of_headers;
	status = STATUS_INVALID_IMAGE_FORMAT;
	p = img->piece;
	if (flat) {
		p->vlen = img->size;
		/* whole pages of the file, as Windows maps it (Wine's test_Loader) */
		p->rawlen = min_t(u64, fsize, img->size);
		p->prot = PAGE_EXECUTE_WRITECOPY;
		next = 0;
	} else {
		if (hdrs > img->size)
			goto fail;
		next = ALIGN((u64)max(hdrs, 1u), sa);
		p->vlen = min_t(u64, PAGE_ALIGN((u64)max(hdrs, 1u)), img->size);
		p->rawlen = min_t(u64, hdrs, fsize);
		p->prot = PAGE_READONLY;
	}
	img->nr_pieces = 1;
	for (i = 0; i < n; i++) {
		const struct pe_section *s = &sec[i];

		vsize = s->vsize ? s->vsize : s->rawsize;
		if (s->va & (sa - 1) || s->va < next)
			goto fail;		/* misaligned or overlapping */
		end = (u64)s->va + vsize;
		if (end > img->size)
			goto fail;
		if (s->rawsize && (u64)s->rawptr + s->rawsize > fsize)
			goto fail;
		if (flat) {
			if (s->rawsize && s->rawptr != s->va)
				goto fail;
			next = end;
			continue;
		}
		next = ALIGN(end, sa);
		if (!vsize)
			continue;
		p = &img->piece[img->nr_pieces++];
		p->va = s->va;
		p->vlen = PAGE_ALIGN(end) - s->va;
		p->off = s->rawptr;
		p->rawlen = min(s->rawsize, p->vlen);
		p->prot = ntmm_scn_protect(s->characteristics);
	}
	ntmm_image_fill_info(img, &nt, fsize);
	kfree(sec);
	*out = img;
	return STATUS_SUCCESS;
fail:
	kfree(sec);
	kfree(img);
	return status;
}

static int (*ntmm_hook_mmap_file)(struct file *file, unsigned long prot,
				  unsigned long flags);

/*
 * What mmap(PROT_READ | PROT_EXEC, MAP_PRIVATE) of the file checks, for
 * the parts of a view that are copied rather than mapped: a readable
 * file, not on a noexec mount (path_noexec), and the LSM's mmap_file hook
 * (security_mmap_file is not exported to modules: looked up; without it
 * the image is refused rather than the LSM skipped).
 */
int ntmm_image_may_exec(struct file *f)
{
	int (*hook)(struct file *file, unsigned long prot, unsigned long flags);
	const struct path *path = &f->f_path;

	if (!(f->f_mode & FMODE_READ))
		return -EACCES;
	if ((path->mnt->mnt_flags & MNT_NOEXEC) ||
	    (path->mnt->mnt_sb->s_iflags & SB_I_NOEXEC))
		return -EPERM;
	hook = READ_ONCE(ntmm_hook_mmap_file);
	if (!hook) {
		hook = (void *)nt_lookup("security_mmap_file");
		if (!hook)
			return -EOPNOTSUPP;
		WRITE_ONCE(ntmm_hook_mmap_file, hook);
	}
	return hook(f, PROT_READ | PROT_EXEC, MAP_PRIVATE);
}

/* Whole pages of file data that start on a page: mapped from the file. */
static u32 ntmm_piece_whole(const struct ntmm_image_piece *p)
{
	return p->off & ~PAGE_MASK ? 0 : p->rawlen & PAGE_MASK;
}

int ntmm_image_fill_shadow(struct file *f, const struct ntmm_image *img,
			   struct file *shadow)
{
	const struct ntmm_image_piece *p;
	u32 i, whole, len, chunk, got;
	loff_t out;
	NTSTATUS status;
	ssize_t n;
	void *buf;
	u64 pos;
	int err = 0;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < img->nr_pieces && !err; i++) {
		p = &img->piece[i];
		whole = ntmm_piece_whole(p);
		len = p->rawlen - whole;
		pos = (u64)p->off + whole;
		out = p->va + whole;
		while (len) {
			chunk = min_t(u32, len, PAGE_SIZE);
			status = ntmm_pe_read(f, buf, chunk, pos, &got);
			if (!NT_SUCCESS(status)) {
				err = -EIO;
				break;
			}
			if (!got)
				break;		/* cut since parsed: zeroes */
			n = kernel_write(shadow, buf, got, &out);
			if (n != got) {
				err = n < 0 ? n : -EIO;
				break;
			}
			pos += got;
			len -= got;
		}
	}
	kfree(buf);
	return err;
}

/*
 * A run of pages: the file's own pages where its data starts on a page,
 * then the shadow's pages (the rest of the data, the tail page zeroed past
 * it), then anonymous zero pages; all private, with the final protection,
 * so nothing is copied or faulted in here.
 */
static int ntmm_image_piece_map(struct file *f, struct file *shadow,
				const struct ntmm_image_piece *p, u32 addr)
{
	unsigned long lprot = ntmm_linux_prot(p->prot), ret;
	u32 whole = ntmm_piece_whole(p);
	u32 copied = PAGE_ALIGN(p->rawlen) - whole;
	u32 rest = p->vlen - whole - copied;

	if (whole) {
		ret = vm_mmap(f, addr, whole, lprot, MAP_PRIVATE | MAP_FIXED,
			      p->off);
		if (IS_ERR_VALUE(ret))
			return (int)ret;
	}
	if (copied) {
		ret = vm_mmap(shadow, addr + whole, copied, lprot,
			      MAP_PRIVATE | MAP_FIXED, p->va + whole);
		if (IS_ERR_VALUE(ret))
			return (int)ret;
	}
	if (rest) {
		ret = vm_mmap(NULL, addr + whole + copied, rest, lprot,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
		if (IS_ERR_VALUE(ret))
			return (int)ret;
	}
	return 0;
}

int ntmm_image_map(struct file *f, struct file *shadow,
		   const struct ntmm_image *img, u32 base, u32 *prot)
{
	const struct ntmm_image_piece *p;
	u32 i, j;
	int err;

	for (i = 0; i < img->size >> PAGE_SHIFT; i++)
		prot[i] = PAGE_NOACCESS;
	for (i = 0; i < img->nr_pieces; i++) {
		p = &img->piece[i];
		err = ntmm_image_piece_map(f, shadow, p, base + p->va);
		if (err)
			return err;
		for (j = 0; j < p->vlen >> PAGE_SHIFT; j++)
			prot[(p->va >> PAGE_SHIFT) + j] = p->prot;
	}
	return 0;
}
