// SPDX-License-Identifier: GPL-2.0
/*
 * ntpeload: the process starter of a native PE program (the user-side
 * answer of issue 14 until the kernel's binfmt does it; docs/images.md).
 * ntrun execs it, attached on exec, with argv as the PE program's:
 *	argv[0]   the program as the user named it (its path)
 *	argv[1..] its arguments
 * so the kernel builds the process's ProcessParameters (command line,
 * environment, current directory, std handles) from exactly what the
 * program was started with. This static ELF program then does what XP's
 * kernel and CreateProcess do before the first user instruction, with NT
 * system calls only:
 *
 *  1. maps ntdll.dll (at its base, 0x7c900000) and the program as image
 *     sections (NtCreateSection(SEC_IMAGE), NtMapViewOfSection; the
 *     program may land elsewhere: STATUS_IMAGE_NOT_AT_BASE, the loader
 *     relocates it);
 *  2. names the program's view as the process's image to the kernel
 *     (NTP_IOC_SET_IMAGE: PEB->ImageBaseAddress and the subsystem fields),
 *     sets ProcessParameters->ImagePathName (the program's NT name) and
 *     ->DllPath (the program's directory, then ntdll.dll's: the search
 *     path of the loader);
 *  3. registers ntdll.dll's KiUserApcDispatcher with the kernel;
 *  4. makes the thread's stack as the image asks (SizeOfStackReserve;
 *     the TEB describes it), with the CONTEXT the image starts with:
 *     Eip = the entry point, Esp = [return slot 0][PEB], as XP's
 *     RtlInitializeContext makes it for NtProcessStartup(PEB);
 *  5. switches to that stack and jumps to ntdll's LdrInitializeThunk
 *     (Context, NtdllBase, 0, 0), never to come back: the ELF program
 *     is left behind like Wine's preloader.
 *
 * Started by the kernel's PE binfmt (module/ps/binfmt.c) for an execve()
 * of a .exe, it is handed the program open (AT_EXECFD): the file the
 * kernel checked for exec is the one mapped, through /proc/self/fd, and
 * its name is what that link reads. An attached process's exec of a .exe
 * replaces its NT process in that exec (module/ps/process.c); where the
 * module refuses (a secure exec) or has no memory for it, this program
 * is unattached: it asks for the attach and execs itself once more
 * with the program's name, as ntrun does.
 *
 * ntdll.dll is taken from $NTP_NTDLL if set, else from the directory
 * this program is in (the binfmt's module parameter pe_loader names
 * where that is). Exit status 127 with a message when something is
 * missing, 126 when the image cannot be mapped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <ntdll.h>
#include "ntpersonality.h"
#include "../libntdll/pe_image.h"

#define NTDLL_BASE	0x7c900000u

static const char *prog;

static void die(int code, const char *what, NTSTATUS st)
{
	const char *n = NtpStatusName(st);

	fprintf(stderr, "ntpeload: %s: %s: %s (0x%08x)\n", prog, what,
		n ? n : "error", (unsigned int)st);
	exit(code);
}

/* "/a/b" -> UTF-16 "\??\unix\a\b" (NT) or "\\?\unix\a\b" (DOS form). */
static WCHAR *to_wide(const char *prefix, const char *path, size_t *len)
{
	size_t n = strlen(prefix) + strlen(path), i = 0;
	WCHAR *w = calloc(n + 1, sizeof(WCHAR));
	ANSI_STRING a;
	UNICODE_STRING u;
	const char *p;

	if (!w)
		exit(127);
	for (p = prefix; *p; p++)
		w[i++] = *p;
	RtlInitAnsiString(&a, path);
	u.Buffer = w + i;
	u.MaximumLength = (n + 1 - i) * sizeof(WCHAR);
	if (!NT_SUCCESS(RtlAnsiStringToUnicodeString(&u, &a, FALSE)))
		exit(127);
	i += u.Length / sizeof(WCHAR);
	w[i] = 0;
	for (size_t k = 0; k < i; k++)
		if (w[k] == '/')
			w[k] = '\\';
	*len = i;
	return w;
}

/* Map path as an image; its section handle in *section if asked for. */
static NTSTATUS map(const char *path, void **base, HANDLE *section)
{
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;
	UNICODE_STRING name;
	HANDLE file, sec;
	SIZE_T size = 0;
	NTSTATUS st;
	size_t n;

	name.Buffer = to_wide("\\??\\unix", path, &n);
	name.Length = n * sizeof(WCHAR);
	name.MaximumLength = name.Length + sizeof(WCHAR);
	InitializeObjectAttributes(&oa, &name, 0, NULL, NULL);
	st = NtOpenFile(&file, SYNCHRONIZE | FILE_EXECUTE | FILE_READ_DATA,
			&oa, &io, FILE_SHARE_READ | FILE_SHARE_DELETE,
			FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
	free(name.Buffer);
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
	if (section && NT_SUCCESS(st))
		*section = sec;
	else
		NtClose(sec);
	return st;
}

/* An export of the mapped image at base, by name. */
static void *export_of(void *base, const char *name)
{
	IMAGE_EXPORT_DIRECTORY *ex;
	ULONG *names, *funcs, size;
	USHORT *ords;
	char *b = base;

	ex = RtlImageDirectoryEntryToData(base, TRUE,
					  IMAGE_DIRECTORY_ENTRY_EXPORT, &size);
	if (!ex)
		return NULL;
	names = (ULONG *)(b + ex->AddressOfNames);
	ords = (USHORT *)(b + ex->AddressOfNameOrdinals);
	funcs = (ULONG *)(b + ex->AddressOfFunctions);
	/* sorted, as the PE format has them: 10 compares, not 700 */
	for (ULONG lo = 0, hi = ex->NumberOfNames; lo < hi;) {
		ULONG mid = lo + (hi - lo) / 2;
		int c = strcmp(name, b + names[mid]);

		if (!c)
			return b + funcs[ords[mid]];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * Copies of a[0..na) and b[0..nb) (NUL-terminated) in one allocation of
 * the process: one system call where each string took one.
 */
static void set_ustrs(UNICODE_STRING *ua, const WCHAR *a, size_t na,
		      UNICODE_STRING *ub, const WCHAR *b, size_t nb)
{
	SIZE_T size = (na + 1 + nb + 1) * sizeof(WCHAR);
	WCHAR *p = NULL;

	if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), (void **)&p,
						0, &size,
						MEM_RESERVE | MEM_COMMIT,
						PAGE_READWRITE)))
		exit(127);
	memcpy(p, a, na * sizeof(WCHAR));
	p[na] = 0;
	ua->Buffer = p;
	ua->Length = na * sizeof(WCHAR);
	ua->MaximumLength = (na + 1) * sizeof(WCHAR);
	p += na + 1;
	memcpy(p, b, nb * sizeof(WCHAR));
	p[nb] = 0;
	ub->Buffer = p;
	ub->Length = nb * sizeof(WCHAR);
	ub->MaximumLength = (nb + 1) * sizeof(WCHAR);
}

static char *dir_of(const char *path)
{
	char *d = strdup(path), *slash;

	if (!d)
		exit(127);
	slash = strrchr(d, '/');
	if (slash && slash != d)
		*slash = 0;
	else if (slash)
		slash[1] = 0;
	return d;
}

/* ntdll.dll in the directory of this program */
static void ntdll_beside_me(char *dll, size_t size)
{
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (len < 0)
		exit(127);
	self[len] = 0;
	snprintf(dll, size, "%s/ntdll.dll", dir_of(self));
}

/*
 * libntdll's constructor would attach a program that is not attached and
 * register the ELF library's dispatchers: two round trips to the device
 * that ntpeload does not want. It is attached by its exec (ntrun's or the
 * binfmt's) or must not run on, and it registers the PE ntdll's
 * dispatchers itself. Defining the constructor here keeps libntdll's
 * (attach.o) out of the link.
 */
void ntdll_auto_attach(void);
void ntdll_auto_attach(void)
{
}

/* Attached: the module keeps fs on the TEB's selector (Linux leaves it 0). */
static int attached(void)
{
	unsigned short fs;

	__asm__ __volatile__("movw %%fs, %0" : "=r" (fs));
	return fs == NT_TEB_SELECTOR;
}

/*
 * Started by the binfmt but not attached by the exec (one the module
 * would not attach, module/ps/process.c nt_probe_exec()): the attach
 * for the next exec, and this program again, with the program's name
 * as ntrun would exec it (the name is checked for exec once more by
 * that exec).
 */
static void reexec_attached(char **argv, const char *exe, int execfd)
{
	struct ntp_attach a = { .flags = NTP_ATTACH_ON_EXEC };
	int fd = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	char name[PATH_MAX];

	close(execfd);
	if (fd < 0 || ioctl(fd, NTP_IOC_ATTACH, &a)) {
		fprintf(stderr, "ntpeload: %s: attach: %s\n", prog, strerror(errno));
		exit(127);
	}
	close(fd);
	/* the name as given, for the command line, if it still is the file */
	if (!realpath(argv[0], name) || strcmp(name, exe))
		argv[0] = (char *)exe;
	execv("/proc/self/exe", argv);
	fprintf(stderr, "ntpeload: %s: %s\n", prog, strerror(errno));
	exit(127);
}

int main(int argc, char **argv)
{
	char exe[PATH_MAX], dll[PATH_MAX + 16];
	char fdpath[64], *image_path;
	long execfd;
	int has_execfd;
	const char *env = getenv("NTP_NTDLL");
	void *ntdll, *image, *thunk, *apc, *exc;
	RTL_USER_PROCESS_PARAMETERS *pp;
	IMAGE_NT_HEADERS32 *nt;
	struct ntp_dispatchers d;
	struct ntp_image img;
	HANDLE exe_section;
	SIZE_T reserve, size;
	uint8_t *stack = NULL, *top, *p;
	WCHAR *w, *w2, *dllpath, *imgname;
	size_t n, n2, nimg;
	ULONG old_prot;
	CONTEXT *ctx;
	ULONG *frame, *sp;
	TEB *teb;
	PEB *peb;
	NTSTATUS st;
	ssize_t len;
	int fd;

	prog = argc > 0 ? argv[0] : "?";
	/* AT_EXECFD (which may be 0 if stdin was closed): the binfmt's start */
	errno = 0;
	execfd = (long)getauxval(AT_EXECFD);
	has_execfd = errno != ENOENT;
	if (has_execfd) {
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%ld", execfd);
		len = readlink(fdpath, exe, sizeof(exe) - 1);
		if (len <= 0 || exe[0] != '/') {
			fprintf(stderr, "ntpeload: %s: the program has no name\n",
				prog);
			return 127;
		}
		exe[len] = 0;
		image_path = fdpath;
	} else {
		if (argc < 1 || !realpath(argv[0], exe)) {
			fprintf(stderr, "ntpeload: %s: %s\n", prog,
				strerror(errno));
			return 127;
		}
		image_path = exe;
	}
	if (env && *env)
		snprintf(dll, sizeof(dll), "%s", env);
	else
		ntdll_beside_me(dll, sizeof(dll));
	if (!attached() && has_execfd)
		reexec_attached(argv, exe, execfd);
	if (!attached()) {
		fprintf(stderr, "ntpeload: %s: not attached (start it through ntrun)\n",
			prog);
		return 127;
	}
	peb = NtCurrentPeb();
	pp = peb->ProcessParameters;
	if (!pp) {
		fprintf(stderr, "ntpeload: %s: not started by ntrun (no process parameters)\n",
			prog);
		return 127;
	}

	st = map(dll, &ntdll, NULL);
	if (st != STATUS_SUCCESS) {
		if (NT_SUCCESS(st))
			NtUnmapViewOfSection(NtCurrentProcess(), ntdll);
		prog = dll;
		die(127, st == STATUS_IMAGE_NOT_AT_BASE ?
		    "ntdll.dll is not at its base 0x7c900000" : "ntdll.dll", st);
	}
	if ((uintptr_t)ntdll != NTDLL_BASE)
		die(127, "ntdll.dll mapped off its base", STATUS_CONFLICTING_ADDRESSES);
	thunk = export_of(ntdll, "LdrInitializeThunk");
	apc = export_of(ntdll, "KiUserApcDispatcher");
	exc = export_of(ntdll, "KiUserExceptionDispatcher");
	if (!thunk || !apc || !exc)
		die(127, "ntdll.dll lacks LdrInitializeThunk or a Ki dispatcher",
		    STATUS_INVALID_IMAGE_FORMAT);

	st = map(image_path, &image, &exe_section);
	if (has_execfd)
		close(execfd);	/* the view holds the file now */
	if (!NT_SUCCESS(st))
		die(126, "cannot map the image", st);
	nt = RtlImageNtHeader(image);
	if (!nt)
		die(126, "cannot map the image", STATUS_INVALID_IMAGE_FORMAT);

	/*
	 * The process now is the image: the kernel sets the PEB's image
	 * fields from the section (NTP_IOC_SET_IMAGE); a module without the
	 * ioctl leaves ImageBaseAddress to us.
	 */
	fd = open(NTP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(127, NTP_DEVICE_PATH, STATUS_NO_SUCH_DEVICE);
	memset(&img, 0, sizeof(img));
	img.section = (__u32)(uintptr_t)exe_section;
	img.base = (__u32)(uintptr_t)image;
	if (ioctl(fd, NTP_IOC_SET_IMAGE, &img)) {
		if (errno != ENOTTY)
			die(127, "NTP_IOC_SET_IMAGE", STATUS_UNSUCCESSFUL);
		peb->ImageBaseAddress = image;
	}
	NtClose(exe_section);
	imgname = to_wide("\\??\\unix", exe, &nimg);
	w = to_wide("\\\\?\\unix", dir_of(exe), &n);
	w2 = to_wide("\\\\?\\unix", dir_of(dll), &n2);
	dllpath = calloc(n + n2 + 2, sizeof(WCHAR));
	if (!dllpath)
		return 127;
	memcpy(dllpath, w, n * sizeof(WCHAR));
	dllpath[n] = ';';
	memcpy(dllpath + n + 1, w2, n2 * sizeof(WCHAR));
	set_ustrs(&pp->ImagePathName, imgname, nimg,
		  &pp->DllPath, dllpath, n + 1 + n2);

	/* the kernel's APCs and exceptions go to the DLL's dispatchers from now on */
	memset(&d, 0, sizeof(d));
	d.user_apc = (__u32)(uintptr_t)apc;
	d.exception = (__u32)(uintptr_t)exc;
	/* new threads start in the loader, as XP's (a module before: not) */
	d.ldr_thunk = (__u32)(uintptr_t)thunk;
	if (ioctl(fd, NTP_IOC_SET_DISPATCHERS, &d)) {
		d.ldr_thunk = 0;
		if (errno != EINVAL || ioctl(fd, NTP_IOC_SET_DISPATCHERS, &d))
			die(127, "cannot register ntdll's dispatchers",
			    STATUS_UNSUCCESSFUL);
	}
	close(fd);

	/*
	 * The stack: SizeOfStackReserve, all of it committed but a guard
	 * page at the bottom. XP commits SizeOfStackCommit and grows on
	 * guard-page faults; the personality does not grow stacks yet, and
	 * Linux backs committed memory only when it is touched.
	 */
	reserve = nt->OptionalHeader.SizeOfStackReserve;
	if (reserve < 0x10000)
		reserve = 0x100000;
	reserve = (reserve + 0xffff) & ~(SIZE_T)0xffff;
	size = reserve;
	st = NtAllocateVirtualMemory(NtCurrentProcess(), (void **)&stack, 0,
				     &size, MEM_RESERVE | MEM_COMMIT,
				     PAGE_READWRITE);
	if (!NT_SUCCESS(st))
		die(126, "no stack", st);
	p = stack;
	size = 0x1000;
	st = NtProtectVirtualMemory(NtCurrentProcess(), (void **)&p, &size,
				    PAGE_READWRITE | PAGE_GUARD, &old_prot);
	if (!NT_SUCCESS(st))
		die(126, "no stack", st);
	top = stack + reserve;
	teb = NtCurrentTeb();
	teb->NtTib.StackBase = top;
	teb->NtTib.StackLimit = stack + 0x1000;
	teb->NtTib.ExceptionList = (void *)EXCEPTION_CHAIN_END;
	teb->DeallocationStack = stack;

	/* [return slot 0][PEB] for NtProcessStartup(PEB), then the CONTEXT */
	frame = (ULONG *)(top - 8);
	frame[0] = 0;
	frame[1] = (ULONG)(uintptr_t)peb;
	ctx = (CONTEXT *)(((uintptr_t)frame - sizeof(CONTEXT)) & ~(uintptr_t)15);
	memset(ctx, 0, sizeof(*ctx));
	ctx->ContextFlags = CONTEXT_FULL;
	ctx->SegCs = NT_USER_CS;
	ctx->SegSs = ctx->SegDs = ctx->SegEs = NT_USER_DS;
	ctx->SegFs = NT_TEB_SELECTOR;
	ctx->EFlags = 0x200;
	ctx->Esp = (ULONG)(uintptr_t)frame;
	ctx->Eip = (ULONG)(uintptr_t)image + nt->OptionalHeader.AddressOfEntryPoint;
	ctx->Eax = ctx->Eip;
	ctx->Ebx = (ULONG)(uintptr_t)peb;

	/* LdrInitializeThunk(ctx, ntdll, 0, 0) with a 0 return address */
	sp = (ULONG *)ctx - 5;
	sp[0] = 0;
	sp[1] = (ULONG)(uintptr_t)ctx;
	sp[2] = (ULONG)(uintptr_t)ntdll;
	sp[3] = 0;
	sp[4] = 0;
	__asm__ __volatile__(
		"movl %0, %%esp\n\t"
		"xorl %%ebp, %%ebp\n\t"
		"jmp *%1"
		: : "r" (sp), "r" (thunk) : "memory");
	__builtin_unreachable();
}
