// SPDX-License-Identifier: GPL-2.0
/*
 * Sections: NtCreateSection, NtOpenSection, NtMapViewOfSection,
 * NtUnmapViewOfSection, NtQuerySection.
 *
 * A "Section" object holds a struct file: the data file for a
 * file-backed section, a shmem file for a pagefile-backed one (SEC_COMMIT
 * or SEC_RESERVE; shmem allocates on first touch, so both reserve only).
 * A view is a MAP_SHARED mapping of that file (MAP_PRIVATE for the
 * copy-on-write protections) at a 64 KiB-aligned address, recorded as a
 * MEM_MAPPED region so that NtQueryVirtualMemory and
 * NtProtectVirtualMemory see it. An image section (SEC_IMAGE) holds a PE
 * file whose headers NtCreateSection has checked (image.c); its views are
 * MEM_IMAGE regions laid out as the memory manager lays out images, see
 * docs/images.md. A view of another process is not supported
 * (STATUS_NOT_IMPLEMENTED, like the rest of mm/).
 *
 * A section larger than its file grows the file when the handle may
 * write it; otherwise that is STATUS_SECTION_TOO_BIG.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include "mm/mm.h"
#include "mm/image.h"
#include "mm/imagecache.h"
#include "io/io.h"

#define NTMM_SEC_KIND	(SEC_COMMIT | SEC_RESERVE | SEC_IMAGE)

struct ntmm_section {
	struct ntob_object obj;
	struct file *filp;
	u64 size;
	u32 attributes;		/* SEC_*, plus SEC_FILE for a data file */
	u32 protect;		/* SectionPageProtection */
	/* SEC_IMAGE: the file's checked image (imagecache.c), and its parts */
	struct ntmm_ctl *ctl;
	const struct ntmm_image *image;	/* the parsed headers */
	struct file *shadow;	/* the pages views copy (image.c) */
};

static NTSTATUS ntmm_section_set_image(struct ntmm_section *s)
{
	NTSTATUS status = ntmm_ctl_get(s->filp, &s->ctl);

	if (NT_SUCCESS(status)) {
		s->image = s->ctl->image;
		s->shadow = s->ctl->shadow;
	}
	return status;
}

static void ntmm_section_destroy(struct ntob_object *obj)
{
	struct ntmm_section *s = container_of(obj, struct ntmm_section, obj);

	if (s->filp)
		fput(s->filp);
	if (s->ctl)
		ntmm_ctl_put(s->ctl);
}

static const struct ntob_type ntmm_section_type = {
	.name = "Section",
	.index = NTOB_TYPE_SECTION,
	.valid_access = SECTION_ALL_ACCESS,
	.mapping = {
		STANDARD_RIGHTS_READ | SECTION_QUERY | SECTION_MAP_READ,
		STANDARD_RIGHTS_WRITE | SECTION_MAP_WRITE,
		STANDARD_RIGHTS_EXECUTE | SECTION_MAP_EXECUTE,
		SECTION_ALL_ACCESS,
	},
	.destroy = ntmm_section_destroy,
};

static bool ntmm_prot_writes(u32 prot)
{
	prot &= 0xff;
	return prot == PAGE_READWRITE || prot == PAGE_EXECUTE_READWRITE;
}

static bool ntmm_prot_copies(u32 prot)
{
	prot &= 0xff;
	return prot == PAGE_WRITECOPY || prot == PAGE_EXECUTE_WRITECOPY;
}

static bool ntmm_section_prot_valid(u32 prot)
{
	switch (prot) {
	case PAGE_READONLY:
	case PAGE_READWRITE:
	case PAGE_WRITECOPY:
	case PAGE_EXECUTE:
	case PAGE_EXECUTE_READ:
	case PAGE_EXECUTE_READWRITE:
	case PAGE_EXECUTE_WRITECOPY:
		return true;
	default:
		return false;
	}
}

static NTSTATUS ntmm_section_file(struct ntmm_section *s, HANDLE file,
				  s64 max, bool have_max)
{
	bool write = ntmm_prot_writes(s->protect);
	loff_t isize;
	NTSTATUS status;
	int err;

	status = ntio_file_for_section(file, FILE_READ_DATA |
				       (write ? FILE_WRITE_DATA : 0), &s->filp);
	if (!NT_SUCCESS(status))
		return status;
	s->attributes |= SEC_FILE;
	isize = i_size_read(file_inode(s->filp));
	if (!have_max || !max) {
		if (!isize)
			return STATUS_MAPPED_FILE_SIZE_ZERO;
		s->size = isize;
		return STATUS_SUCCESS;
	}
	s->size = max;
	if (max <= isize)
		return STATUS_SUCCESS;
	if (!write)
		return STATUS_SECTION_TOO_BIG;
	err = vfs_truncate(&s->filp->f_path, max);
	return err ? nt_status_from_errno(err) : STATUS_SUCCESS;
}

/*
 * The file access a protection needs, XP's MmMakeFileAccess for images:
 * execute needs FILE_EXECUTE, reading FILE_READ_DATA (PAGE_EXECUTE alone,
 * as kernel32's loader asks, needs only FILE_EXECUTE). An image never
 * writes its file.
 */
static ACCESS_MASK ntmm_image_file_access(u32 prot)
{
	switch (prot) {
	case PAGE_EXECUTE:
		return FILE_EXECUTE;
	case PAGE_EXECUTE_READ:
	case PAGE_EXECUTE_READWRITE:
	case PAGE_EXECUTE_WRITECOPY:
		return FILE_EXECUTE | FILE_READ_DATA;
	default:
		return FILE_READ_DATA;
	}
}

static NTSTATUS ntmm_section_image(struct ntmm_section *s, HANDLE file,
				   s64 max, bool have_max)
{
	NTSTATUS status;
	int err;

	if (!file)
		return STATUS_INVALID_FILE_FOR_SECTION;
	status = ntio_file_for_section(file, ntmm_image_file_access(s->protect),
				       &s->filp);
	if (!NT_SUCCESS(status))
		return status;
	s->attributes |= SEC_FILE;
	err = ntmm_image_may_exec(s->filp);
	if (err)
		return nt_status_from_errno(err);
	status = ntmm_section_set_image(s);
	if (!NT_SUCCESS(status))
		return status;
	/* Wine's query_image_section: a size up to the image's is kept */
	if (have_max && max > s->image->size)
		return STATUS_SECTION_TOO_BIG;
	s->size = have_max && max ? max : s->image->size;
	return STATUS_SUCCESS;
}

NTSTATUS NtCreateSection(HANDLE __user *SectionHandle, ACCESS_MASK DesiredAccess,
			 const OBJECT_ATTRIBUTES __user *ObjectAttributes,
			 const LARGE_INTEGER __user *MaximumSize,
			 ULONG SectionPageProtection, ULONG AllocationAttributes,
			 HANDLE FileHandle)
{
	u32 kind = AllocationAttributes & NTMM_SEC_KIND;
	struct ntmm_section *s;
	struct nt_oa oa;
	NTSTATUS status;
	s64 max = 0;

	status = ntob_begin_create(SectionHandle, ObjectAttributes, &oa);
	if (!NT_SUCCESS(status))
		return status;
	status = STATUS_INVALID_PARAMETER_6;
	if (!kind || (kind & (kind - 1)) ||
	    (AllocationAttributes & ~(NTMM_SEC_KIND | SEC_NOCACHE)))
		goto out_oa;
	status = STATUS_INVALID_PAGE_PROTECTION;
	if (!ntmm_section_prot_valid(SectionPageProtection))
		goto out_oa;
	if (MaximumSize) {
		status = nt_get_large_integer(MaximumSize, &max);
		if (!NT_SUCCESS(status))
			goto out_oa;
		status = STATUS_INVALID_PARAMETER_4;
		if (max < 0 || max > NTMM_HIGHEST)
			goto out_oa;
	}
	status = STATUS_NO_MEMORY;
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		goto out_oa;
	ntob_object_init(&s->obj, &ntmm_section_type);
	s->attributes = kind;
	s->protect = SectionPageProtection;
	if (kind == SEC_IMAGE) {
		status = ntmm_section_image(s, FileHandle, max, MaximumSize);
	} else if (FileHandle) {
		status = ntmm_section_file(s, FileHandle, max, MaximumSize);
	} else if (!max) {
		status = STATUS_INVALID_PARAMETER_4;
	} else {
		s->size = max;
		s->filp = shmem_file_setup("ntsection", max, VM_NORESERVE);
		status = IS_ERR(s->filp) ? nt_status_from_errno(PTR_ERR(s->filp)) :
			 STATUS_SUCCESS;
		if (IS_ERR(s->filp))
			s->filp = NULL;
	}
	if (!NT_SUCCESS(status)) {
		ntob_put(&s->obj);
		goto out_oa;
	}
	status = ntob_insert(&s->obj, &oa, DesiredAccess, SectionHandle);
out_oa:
	nt_release_oa(&oa);
	return status;
}

NTSTATUS NtOpenSection(HANDLE __user *SectionHandle, ACCESS_MASK DesiredAccess,
		       const OBJECT_ATTRIBUTES __user *ObjectAttributes)
{
	return ntob_open_service(SectionHandle, DesiredAccess, ObjectAttributes,
				 &ntmm_section_type);
}

static ACCESS_MASK ntmm_view_access(u32 prot)
{
	ACCESS_MASK a = SECTION_MAP_READ;

	if (ntmm_prot_writes(prot))
		a |= SECTION_MAP_WRITE;
	if ((prot & 0xff) >= PAGE_EXECUTE)
		a |= SECTION_MAP_EXECUTE;
	return a;
}

/*
 * An image view: the whole image reserved at its preferred base or, when
 * that is taken or the caller names another address, elsewhere, which is
 * STATUS_IMAGE_NOT_AT_BASE (a success: the loader relocates). The file's
 * exec checks are made again with the mapping caller's credentials.
 */
static NTSTATUS ntmm_map_image(struct ntmm_process *mm, struct ntmm_section *s,
			       u32 *base)
{
	const struct ntmm_image *img = s->image;
	struct ntmm_region *r;
	u32 want = *base;
	NTSTATUS status;
	int err;

	if (want & (NTMM_GRANULARITY - 1))
		return STATUS_MAPPED_ALIGNMENT;
	err = ntmm_image_may_exec(s->filp);
	if (err)
		return nt_status_from_errno(err);
	mutex_lock(&mm->lock);
	if (!want && img->image_base >= NTMM_LOWEST &&
	    img->image_base - 1 + img->size <= NTMM_HIGHEST) {
		*base = img->image_base;
		err = ntmm_reserve(base, img->size, true, PROT_NONE);
		if (err == -EEXIST) {
			*base = 0;
			err = ntmm_reserve(base, img->size, true, PROT_NONE);
		}
	} else {
		err = ntmm_reserve(base, img->size, true, PROT_NONE);
	}
	if (err) {
		status = err == -EEXIST ? STATUS_CONFLICTING_ADDRESSES :
			 nt_status_from_errno(err);
		goto out;
	}
	r = ntmm_region_alloc(*base, img->size, PAGE_EXECUTE_WRITECOPY);
	if (!r) {
		vm_munmap(*base, img->size);
		status = STATUS_NO_MEMORY;
		goto out;
	}
	r->type = MEM_IMAGE;
	r->filp = get_file(s->filp);
	ntmm_insert(mm, r);
	err = ntmm_image_map(s->filp, s->shadow, img, *base, r->prot);
	if (err) {
		vm_munmap(*base, img->size);
		ntmm_region_free(r);
		status = nt_status_from_errno(err);
		goto out;
	}
	status = *base == img->image_base ? STATUS_SUCCESS :
		 STATUS_IMAGE_NOT_AT_BASE;
out:
	mutex_unlock(&mm->lock);
	return status;
}

struct ntmm_map_args {
	struct ntmm_section *s;
	u32 base, size, protect;
	s64 off;
};

static NTSTATUS ntmm_map_view(struct ntmm_process *mm, void *arg)
{
	struct ntmm_map_args *a = arg;
	struct ntmm_section *s = a->s;
	u32 base = a->base, size = a->size, i;
	struct ntmm_region *r;
	unsigned long addr;
	NTSTATUS status;
	s64 off = a->off;
	int err;

	if (s->image) {
		/* SectionOffset and the size asked for do not apply to images */
		status = ntmm_map_image(mm, s, &a->base);
		a->size = s->image->size;
		return status;
	}
	if (ntmm_prot_writes(a->protect) && !ntmm_prot_writes(s->protect))
		return STATUS_SECTION_PROTECTION;
	if (off & (NTMM_GRANULARITY - 1) || (base & (NTMM_GRANULARITY - 1)))
		return STATUS_MAPPED_ALIGNMENT;
	if (off < 0 || off >= s->size || size > s->size - off)
		return STATUS_INVALID_VIEW_SIZE;
	if (!size)
		size = s->size - off;
	size = PAGE_ALIGN(size);

	mutex_lock(&mm->lock);
	err = ntmm_reserve(&base, size, true, PROT_NONE);
	if (err) {
		status = err == -EEXIST ? STATUS_CONFLICTING_ADDRESSES :
			 nt_status_from_errno(err);
		goto out_unlock;
	}
	addr = vm_mmap(s->filp, base, size, ntmm_linux_prot(a->protect),
		       MAP_FIXED | (ntmm_prot_copies(a->protect) ? MAP_PRIVATE :
				    MAP_SHARED), off);
	r = IS_ERR_VALUE(addr) ? NULL : ntmm_region_alloc(base, size, a->protect);
	if (!r) {
		vm_munmap(base, size);
		status = IS_ERR_VALUE(addr) ? nt_status_from_errno((int)addr) :
			 STATUS_NO_MEMORY;
		goto out_unlock;
	}
	r->type = MEM_MAPPED;
	r->filp = get_file(s->filp);
	for (i = 0; i < size >> PAGE_SHIFT; i++)
		r->prot[i] = a->protect;
	ntmm_insert(mm, r);
	a->base = base;
	a->size = size;
	status = STATUS_SUCCESS;
out_unlock:
	mutex_unlock(&mm->lock);
	return status;
}

NTSTATUS NtMapViewOfSection(HANDLE SectionHandle, HANDLE ProcessHandle,
			    ULONG_PTR __user *BaseAddress, ULONG_PTR ZeroBits,
			    SIZE_T CommitSize, LARGE_INTEGER __user *SectionOffset,
			    SIZE_T __user *ViewSize, SECTION_INHERIT InheritDisposition,
			    ULONG AllocationType, ULONG Win32Protect)
{
	struct ntmm_map_args a = { .protect = Win32Protect };
	struct ntob_object *obj;
	NTSTATUS status;

	if (!ntmm_section_prot_valid(Win32Protect))
		return STATUS_INVALID_PAGE_PROTECTION;
	if (InheritDisposition != ViewShare && InheritDisposition != ViewUnmap)
		return STATUS_INVALID_PARAMETER_8;
	if (AllocationType & ~(MEM_TOP_DOWN | MEM_RESERVE))
		return STATUS_INVALID_PARAMETER_9;
	status = nt_copy_in(&a.base, BaseAddress, sizeof(a.base));
	if (NT_SUCCESS(status))
		status = nt_copy_in(&a.size, ViewSize, sizeof(a.size));
	if (NT_SUCCESS(status) && SectionOffset)
		status = nt_get_large_integer(SectionOffset, &a.off);
	if (!NT_SUCCESS(status))
		return status;
	status = ntob_ref_by_handle(SectionHandle, ntmm_view_access(Win32Protect),
				    &ntmm_section_type, &obj);
	if (!NT_SUCCESS(status))
		return status;
	a.s = container_of(obj, struct ntmm_section, obj);
	status = ntmm_run_in(ProcessHandle, PROCESS_VM_OPERATION,
			     ntmm_map_view, &a);
	if (NT_SUCCESS(status)) {
		NTSTATUS st = nt_copy_out(BaseAddress, &a.base, sizeof(a.base));

		if (NT_SUCCESS(st))
			st = nt_copy_out(ViewSize, &a.size, sizeof(a.size));
		if (!NT_SUCCESS(st))
			status = st;
	}
	ntob_put(obj);
	return status;
}

static NTSTATUS ntmm_unmap_view(struct ntmm_process *mm, void *arg)
{
	u32 addr = *(u32 *)arg;
	struct ntmm_region *r;
	NTSTATUS status = STATUS_SUCCESS;
	int err;

	mutex_lock(&mm->lock);
	r = ntmm_find(mm, addr);
	if (!r || (r->type != MEM_MAPPED && r->type != MEM_IMAGE)) {
		status = STATUS_NOT_MAPPED_VIEW;
	} else {
		err = vm_munmap(r->base, r->size);
		if (err)
			status = nt_status_from_errno(err);
		else
			ntmm_region_free(r);
	}
	mutex_unlock(&mm->lock);
	return status;
}

NTSTATUS NtUnmapViewOfSection(HANDLE ProcessHandle, void __user *BaseAddress)
{
	u32 addr = (u32)(unsigned long)BaseAddress;

	return ntmm_run_in(ProcessHandle, PROCESS_VM_OPERATION,
			   ntmm_unmap_view, &addr);
}

static const struct ntex_info_class ntmm_section_classes[] = {
	[SectionBasicInformation] = NTEX_IC(SECTION_BASIC_INFORMATION, 4,
					    NTEX_IC_QUERY | NTEX_IC_MIN_SIZE),
	[SectionImageInformation] = NTEX_IC(SECTION_IMAGE_INFORMATION, 4,
					    NTEX_IC_QUERY | NTEX_IC_MIN_SIZE),
};

NTSTATUS NtQuerySection(HANDLE SectionHandle,
			SECTION_INFORMATION_CLASS SectionInformationClass,
			void __user *SectionInformation,
			SIZE_T SectionInformationLength, SIZE_T __user *ReturnLength)
{
	SECTION_BASIC_INFORMATION sbi = {};
	struct ntob_object *obj;
	struct ntmm_section *s;
	NTSTATUS status;
	u32 needed;

	status = ntex_check_info(ntmm_section_classes,
				 ARRAY_SIZE(ntmm_section_classes),
				 SectionInformationClass, false, SectionInformation,
				 SectionInformationLength, &needed);
	if (!NT_SUCCESS(status))
		return status;
	status = ntob_ref_by_handle(SectionHandle, SECTION_QUERY,
				    &ntmm_section_type, &obj);
	if (!NT_SUCCESS(status))
		return status;
	s = container_of(obj, struct ntmm_section, obj);
	if (SectionInformationClass == SectionImageInformation) {
		status = STATUS_SECTION_NOT_IMAGE;
		if (s->image) {
			status = nt_copy_out(SectionInformation, &s->image->info,
					     sizeof(s->image->info));
			if (NT_SUCCESS(status) && ReturnLength)
				status = nt_put_u32(ReturnLength,
						    sizeof(s->image->info));
		}
	} else {
		sbi.AllocationAttributes = s->attributes;
		sbi.MaximumSize.QuadPart = s->size;
		status = nt_copy_out(SectionInformation, &sbi, sizeof(sbi));
		if (NT_SUCCESS(status) && ReturnLength)
			status = nt_put_u32(ReturnLength, sizeof(sbi));
	}
	ntob_put(obj);
	return status;
}

/*
 * What lies at @addr: a view (its region), STATUS_INVALID_ADDRESS if
 * nothing is mapped there, STATUS_CONFLICTING_ADDRESSES for memory that
 * is no view (private memory, the ELF image, Linux mappings).
 */
static NTSTATUS ntmm_view_at(struct ntmm_process *mm, u32 addr,
			     struct ntmm_region **view)
{
	struct ntmm_region *r = ntmm_find(mm, addr);
	struct vm_area_struct *vma;
	bool mapped;

	*view = NULL;
	if (r) {
		if (!r->filp)
			return STATUS_CONFLICTING_ADDRESSES;
		*view = r;
		return STATUS_SUCCESS;
	}
	if (addr > NTMM_HIGHEST)
		return STATUS_INVALID_ADDRESS;
	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, addr);
	mapped = vma && vma->vm_start <= addr;
	mmap_read_unlock(current->mm);
	return mapped ? STATUS_CONFLICTING_ADDRESSES : STATUS_INVALID_ADDRESS;
}

/*
 * Is the image mapped at @File1MappedAsAnImage the file mapped at
 * @File2MappedAsFile? Wine's kernel32/tests/virtual.c
 * (test_NtAreMappedFilesTheSame) shows XP's answers: free memory is
 * STATUS_INVALID_ADDRESS, memory that is no view
 * STATUS_CONFLICTING_ADDRESSES, a first address that is no image view or
 * views of different files STATUS_NOT_SAME_DEVICE.
 */
NTSTATUS NtAreMappedFilesTheSame(void __user *File1MappedAsAnImage,
				 void __user *File2MappedAsFile)
{
	struct ntmm_process *mm = &nt_process_current()->mm;
	struct ntmm_region *r1, *r2;
	NTSTATUS s1, s2, status;

	mutex_lock(&mm->lock);
	s1 = ntmm_view_at(mm, (u32)(unsigned long)File1MappedAsAnImage, &r1);
	s2 = ntmm_view_at(mm, (u32)(unsigned long)File2MappedAsFile, &r2);
	if (s1 == STATUS_INVALID_ADDRESS || s2 == STATUS_INVALID_ADDRESS)
		status = STATUS_INVALID_ADDRESS;
	else if (!NT_SUCCESS(s1) || !NT_SUCCESS(s2))
		status = STATUS_CONFLICTING_ADDRESSES;
	else if (r1->type == MEM_IMAGE &&
		 file_inode(r1->filp) == file_inode(r2->filp))
		status = STATUS_SUCCESS;
	else
		status = STATUS_NOT_SAME_DEVICE;
	mutex_unlock(&mm->lock);
	return status;
}

NTSTATUS ntmm_image_view_info(HANDLE section, u32 base,
			      SECTION_IMAGE_INFORMATION *info,
			      struct file **filp)
{
	struct ntmm_process *mm = &nt_process_current()->mm;
	struct ntob_object *obj;
	struct ntmm_section *s;
	struct ntmm_region *r;
	NTSTATUS status;

	status = ntob_ref_by_handle(section, SECTION_QUERY, &ntmm_section_type,
				    &obj);
	if (!NT_SUCCESS(status))
		return status;
	s = container_of(obj, struct ntmm_section, obj);
	status = STATUS_SECTION_NOT_IMAGE;
	if (!s->image)
		goto out;
	mutex_lock(&mm->lock);
	r = ntmm_find(mm, base);
	if (!r || r->base != base || r->type != MEM_IMAGE ||
	    file_inode(r->filp) != file_inode(s->filp)) {
		status = STATUS_NOT_MAPPED_VIEW;
	} else {
		*info = s->image->info;
		*filp = get_file(s->filp);
		status = STATUS_SUCCESS;
	}
	mutex_unlock(&mm->lock);
out:
	ntob_put(obj);
	return status;
}

/*
 * NtCreateProcess(Ex)'s section (ps/create.c): the image section behind
 * @section, referenced for @access; a data section is
 * STATUS_SECTION_NOT_IMAGE, as XP's MmInitializeProcessAddressSpace
 * answers it.
 */
NTSTATUS ntmm_ref_image_section(HANDLE section, ACCESS_MASK access,
				struct ntob_object **obj)
{
	NTSTATUS status;

	status = ntob_ref_by_handle(section, access, &ntmm_section_type, obj);
	if (!NT_SUCCESS(status))
		return status;
	if (!container_of(*obj, struct ntmm_section, obj)->image) {
		ntob_put(*obj);
		*obj = NULL;
		return STATUS_SECTION_NOT_IMAGE;
	}
	return STATUS_SUCCESS;
}

/*
 * A view of the image section @obj in the current process, at its
 * preferred base if free; its file (not referenced: the section holds it)
 * and image information for the new process's PEB and exe file.
 */
NTSTATUS ntmm_map_image_current(struct ntob_object *obj, u32 *base,
				SECTION_IMAGE_INFORMATION *info,
				struct file **filp)
{
	struct ntmm_section *s = container_of(obj, struct ntmm_section, obj);
	struct nt_process *proc = nt_process_current();
	NTSTATUS status;

	*base = 0;
	status = ntmm_map_image(&proc->mm, s, base);
	if (NT_SUCCESS(status)) {
		*info = s->image->info;
		*filp = s->filp;
	}
	return status;
}

/*
 * ntdll.dll for NtCreateProcess (ps/create.c), as XP's kernel maps it into
 * every process: the PE file @filp (opened by the kernel with the
 * caller's credentials) checked as NtCreateSection(SEC_IMAGE) checks it
 * and mapped into the current process at its base or nowhere
 * (STATUS_CONFLICTING_ADDRESSES). The section lives only for the call;
 * the view keeps what it maps.
 */
NTSTATUS ntmm_map_image_file(struct file *filp, u32 *base)
{
	struct nt_process *proc = nt_process_current();
	struct ntmm_section *s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	NTSTATUS status;
	int err;

	if (!s)
		return STATUS_NO_MEMORY;
	err = ntmm_image_may_exec(filp);
	s->filp = filp;
	status = err ? nt_status_from_errno(err) : ntmm_section_set_image(s);
	if (!NT_SUCCESS(status))
		goto out;
	*base = 0;
	status = ntmm_map_image(&proc->mm, s, base);
	if (status == STATUS_IMAGE_NOT_AT_BASE) {
		ntmm_unmap_view(&proc->mm, base);
		status = STATUS_CONFLICTING_ADDRESSES;
	}
out:
	if (s->ctl)
		ntmm_ctl_put(s->ctl);
	kfree(s);
	return status;
}
