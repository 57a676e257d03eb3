// SPDX-License-Identifier: GPL-2.0
/*
 * NtCreateProcess / NtCreateProcessEx from an image section and the first
 * thread NtCreateThread gives the new process (module/ps/create.c,
 * docs/images.md "Processes"): what RtlCreateUserProcess does, by hand.
 *
 * The child maps img_a.exe (never run); its thread runs a few bytes of
 * code the test writes into it with NtAllocateVirtualMemory +
 * NtWriteVirtualMemory, which make NT calls through int 0x2e and end the
 * process with NtTerminateProcess, so the child needs no ntdll.
 * Statuses for bad arguments follow ReactOS ntoskrnl/ps/process.c
 * (NtCreateProcessEx: Flags outside the legal mask, no parent) and
 * mm/ARM3 (a data section is STATUS_SECTION_NOT_IMAGE).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nt_test.h"
#include "nt_user.h"
#include "nt_proc.h"

#define SVC_NtSetEvent		0x0db
#define SVC_NtTerminateProcess	0x101
#define CHILD_STACK		0x10000

static char pe_dir[256];
static char saved_ntdll[4096];

static int param_rw(char *buf, size_t len, int write)
{
	return nt_param_rw("ntdll", buf, len, write);
}

/* The ntdll.dll NtCreateProcess maps: the build's, or none ("\n"). */
static int set_ntdll(int with)
{
	char path[300];

	if (!with)
		return param_rw("\n", 1, 1);
	/* next to the build's selftests, or installed (the VM's /usr/bin) */
	snprintf(path, sizeof(path), "%s/../bin/ntdll.dll", pe_dir);
	if (access(path, R_OK))
		snprintf(path, sizeof(path), "%s", access("/usr/bin/ntdll.dll", R_OK) ?
			 "/usr/local/bin/ntdll.dll" : "/usr/bin/ntdll.dll");
	return param_rw(path, strlen(path), 1);
}

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

static NTSTATUS image_section_of(HANDLE *s, const char *path)
{
	WCHAR buf[300];
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK iosb;
	NTSTATUS status;
	HANDLE f;

	*s = NULL;
	nt_oa(&oa, &us, ntname(buf, path), OBJ_CASE_INSENSITIVE);
	status = NtOpenFile(&f, FILE_EXECUTE | FILE_READ_DATA | SYNCHRONIZE, &oa,
			    &iosb, FILE_SHARE_READ | FILE_SHARE_DELETE,
			    FILE_SYNCHRONOUS_IO_NONALERT);
	if (status)
		return status;
	status = NtCreateSection(s, SECTION_ALL_ACCESS, NULL, NULL,
				 PAGE_EXECUTE_READ, SEC_IMAGE, f);
	NtClose(f);
	return status;
}

static NTSTATUS img_a_section(HANDLE *s)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/pe/img_a.exe", pe_dir);
	return image_section_of(s, path);
}

static NTSTATUS create(HANDLE *p, HANDLE section, ULONG flags)
{
	return NtCreateProcessEx(p, PROCESS_ALL_ACCESS, NULL, NtCurrentProcess(),
				 flags, section, NULL, NULL, FALSE);
}

static PROCESS_BASIC_INFORMATION basic(HANDLE p)
{
	PROCESS_BASIC_INFORMATION pbi;

	memset(&pbi, 0xcc, sizeof(pbi));
	if (NtQueryInformationProcess(p, ProcessBasicInformation, &pbi,
				      sizeof(pbi), NULL))
		pbi.ExitStatus = 0xdead;
	return pbi;
}

/*
 * @len bytes of code and a stack in process @p, the CONTEXT and
 * INITIAL_TEB of a thread that runs them.
 */
static NTSTATUS child_place(HANDLE p, const uint8_t *code, size_t len,
			    CONTEXT *ctx, INITIAL_TEB *iteb)
{
	void *mem = NULL;
	SIZE_T size = CHILD_STACK + 0x1000, done = 0;
	NTSTATUS status;
	uint32_t stack, text;

	status = NtAllocateVirtualMemory(p, &mem, 0, &size, MEM_COMMIT,
					 PAGE_EXECUTE_READWRITE);
	if (status)
		return status;
	text = (uintptr_t)mem + CHILD_STACK;
	stack = (uintptr_t)mem;
	status = NtWriteVirtualMemory(p, (void *)(uintptr_t)text, code, len,
				      &done);
	if (status)
		return status;
	memset(ctx, 0, sizeof(*ctx));
	memset(iteb, 0, sizeof(*iteb));
	iteb->StackBase = (void *)(uintptr_t)(stack + CHILD_STACK);
	iteb->StackLimit = (void *)(uintptr_t)stack;
	iteb->AllocatedStackBase = (void *)(uintptr_t)stack;
	ctx->ContextFlags = CONTEXT_FULL;
	ctx->SegCs = NT_USER_CS;
	ctx->SegSs = ctx->SegDs = ctx->SegEs = NT_USER_DS;
	ctx->SegFs = NT_TEB_SELECTOR;
	ctx->EFlags = 0x202;
	ctx->Esp = stack + CHILD_STACK - 64;
	ctx->Eip = text;
	return STATUS_SUCCESS;
}

#define EMIT8(b)	(*c++ = (b))
#define EMIT32(v)	do { uint32_t v_ = (v); memcpy(c, &v_, 4); c += 4; } while (0)

/* NtTerminateProcess(-1, the value on top of the stack) */
static uint8_t *emit_terminate(uint8_t *c)
{
	EMIT8(0x6a); EMIT8(0xff);				/* push -1 */
	EMIT8(0xb8); EMIT32(SVC_NtTerminateProcess);		/* mov eax, n */
	EMIT8(0x89); EMIT8(0xe2);				/* mov edx, esp */
	EMIT8(0xcd); EMIT8(0x2e);				/* int 0x2e */
	EMIT8(0xeb); EMIT8(0xfe);				/* jmp $ */
	return c;
}

/*
 * Code and a stack in process @p: NtSetEvent(@event) when @event, then
 * NtTerminateProcess(-1, NtSetEvent's status, or @code without an event).
 */
static NTSTATUS child_code(HANDLE p, HANDLE event, NTSTATUS code, CONTEXT *ctx,
			   INITIAL_TEB *iteb)
{
	uint8_t code_buf[64], *c = code_buf;

	if (event) {
		EMIT8(0x6a); EMIT8(0x00);			/* push 0 */
		EMIT8(0x68); EMIT32((uintptr_t)event);		/* push event */
		EMIT8(0xb8); EMIT32(SVC_NtSetEvent);		/* mov eax, n */
		EMIT8(0x89); EMIT8(0xe2);			/* mov edx, esp */
		EMIT8(0xcd); EMIT8(0x2e);			/* int 0x2e */
		EMIT8(0x50);					/* push eax */
	} else {
		EMIT8(0x68); EMIT32(code);			/* push code */
	}
	c = emit_terminate(c);
	return child_place(p, code_buf, c - code_buf, ctx, iteb);
}

/*
 * Code that asks Linux whether fd @fd is open in the child: its exit
 * status is fcntl(@fd, F_GETFD) through int 0x80, -EBADF when it is not.
 */
static NTSTATUS child_probe_fd(HANDLE p, int fd, CONTEXT *ctx,
			       INITIAL_TEB *iteb)
{
	uint8_t code_buf[64], *c = code_buf;

	EMIT8(0xb8); EMIT32(55);				/* mov eax, __NR_fcntl */
	EMIT8(0xbb); EMIT32(fd);				/* mov ebx, fd */
	EMIT8(0xb9); EMIT32(F_GETFD);				/* mov ecx, F_GETFD */
	EMIT8(0xcd); EMIT8(0x80);				/* int 0x80 */
	EMIT8(0x50);						/* push eax */
	c = emit_terminate(c);
	return child_place(p, code_buf, c - code_buf, ctx, iteb);
}

static NTSTATUS wait_ms(HANDLE h, long long ms)
{
	LARGE_INTEGER t = { .QuadPart = -ms * 10000 };

	return NtWaitForSingleObject(h, FALSE, &t);
}

/*
 * The first thread of @p, on @ctx and @iteb, not suspended, and the
 * process to its end: its NT exit status, read while it is a zombie
 * (wait(2) sees its low 8 bits); the child is reaped.
 */
static NTSTATUS run_to_exit(struct __test_metadata *_metadata, HANDLE p,
			    CONTEXT *ctx, INITIAL_TEB *iteb)
{
	pid_t pid = (pid_t)basic(p).UniqueProcessId;
	NTSTATUS status;
	CLIENT_ID cid;
	siginfo_t si;
	int wstatus;
	HANDLE th;

	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateThread(&th, THREAD_ALL_ACCESS, NULL, p, &cid, ctx,
				     iteb, FALSE));
	ASSERT_STATUS(STATUS_WAIT_0, wait_ms(th, 10000));
	ASSERT_EQ(0, waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	status = basic(p).ExitStatus;
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	ASSERT_TRUE(WIFEXITED(wstatus));
	ASSERT_EQ(status & 0xff, WEXITSTATUS(wstatus));
	NtClose(th);
	return status;
}

FIXTURE(create_process) {};
NT_GATE_VARIANTS(create_process);

FIXTURE_SETUP(create_process)
{
	char exe[256];
	ssize_t n;

	NT_GATE_SETUP();
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_GT(n, 0);
	exe[n] = 0;
	snprintf(pe_dir, sizeof(pe_dir), "%s", dirname(exe));
	ASSERT_EQ(0, param_rw(saved_ntdll, sizeof(saved_ntdll), 0));
	/* these tests run code of their own in the child: no loader */
	ASSERT_EQ(0, set_ntdll(0));
}
FIXTURE_TEARDOWN(create_process)
{
	param_rw(saved_ntdll, strlen(saved_ntdll), 1);
}

/* The whole way: process, image, PEB, suspended thread, resume, exit. */
TEST_F(create_process, from_image_section)
{
	PROCESS_BASIC_INFORMATION pbi;
	MEMORY_BASIC_INFORMATION mbi;
	CLIENT_ID cid = { 0 };
	INITIAL_TEB iteb;
	CONTEXT ctx;
	HANDLE s, p, th;
	ULONG prev = 99;
	uint32_t image = 0, params = 1;
	SIZE_T done;
	siginfo_t si;
	int wstatus;
	pid_t pid;
	union {
		UNICODE_STRING us;
		char raw[1200];
	} name;
	char link[64], target[300];
	WCHAR *tail;
	ssize_t n;

	ASSERT_STATUS(STATUS_SUCCESS, img_a_section(&s));
	ASSERT_STATUS(STATUS_SUCCESS, create(&p, s, 0));
	NtClose(s);
	pbi = basic(p);
	ASSERT_STATUS(STATUS_PENDING, pbi.ExitStatus);
	pid = (pid_t)pbi.UniqueProcessId;
	ASSERT_NE(getpid(), pid);
	ASSERT_EQ((ULONG_PTR)getpid(), pbi.InheritedFromUniqueProcessId);
	ASSERT_NE(NULL, pbi.PebBaseAddress);
	/* the PEB names the image; no parameters yet (RtlCreateUserProcess's) */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtReadVirtualMemory(p, (char *)pbi.PebBaseAddress +
					  offsetof(PEB, ImageBaseAddress),
					  &image, 4, &done));
	ASSERT_EQ(0x20000000u, image);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtReadVirtualMemory(p, (char *)pbi.PebBaseAddress +
					  offsetof(PEB, ProcessParameters),
					  &params, 4, &done));
	ASSERT_EQ(0u, params);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryVirtualMemory(p, (void *)0x20000000,
					   MemoryBasicInformation, &mbi,
					   sizeof(mbi), NULL));
	ASSERT_EQ(MEM_IMAGE, mbi.Type);
	/* nothing of the stub it was exec'd from: its ELF is gone */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryVirtualMemory(p, (void *)0x08048000,
					   MemoryBasicInformation, &mbi,
					   sizeof(mbi), NULL));
	ASSERT_EQ(MEM_FREE, mbi.State);
	/* the image is what it runs: ProcessImageFileName, /proc/pid/exe */
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryInformationProcess(p, ProcessImageFileName, &name,
						sizeof(name), NULL));
	ASSERT_LT(18u, name.us.Length);
	tail = name.us.Buffer + name.us.Length / 2 - 10;
	for (int i = 0; i < 10; i++)
		ASSERT_EQ((WCHAR)"\\img_a.exe"[i], tail[i]);
	snprintf(link, sizeof(link), "/proc/%d/exe", pid);
	n = readlink(link, target, sizeof(target) - 1);
	ASSERT_LT(0, n);
	target[n] = 0;
	ASSERT_STREQ("img_a.exe", basename(target));

	ASSERT_STATUS(STATUS_SUCCESS, child_code(p, NULL, 0x1234, &ctx, &iteb));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateThread(&th, THREAD_ALL_ACCESS, NULL, p, &cid, &ctx,
				     &iteb, TRUE));
	ASSERT_EQ(pid, (pid_t)(ULONG_PTR)cid.UniqueProcess);
	ASSERT_EQ(pid, (pid_t)(ULONG_PTR)cid.UniqueThread);
	/* a process has one first thread */
	ASSERT_STATUS(STATUS_NOT_SUPPORTED,
		      NtCreateThread(&s, THREAD_ALL_ACCESS, NULL, p, &cid, &ctx,
				     &iteb, TRUE));
	ASSERT_STATUS(STATUS_TIMEOUT, wait_ms(th, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtResumeThread(th, &prev));
	ASSERT_EQ(1u, prev);
	ASSERT_STATUS(STATUS_WAIT_0, wait_ms(th, 10000));
	/* the whole status while it is a zombie; the low 8 bits for wait(2) */
	ASSERT_EQ(0, waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	ASSERT_STATUS(0x1234, basic(p).ExitStatus);
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	ASSERT_TRUE(WIFEXITED(wstatus));
	ASSERT_EQ(0x34, WEXITSTATUS(wstatus));
	NtClose(th);
	NtClose(p);
}

TEST_F(create_process, not_suspended_runs_at_once)
{
	INITIAL_TEB iteb;
	CONTEXT ctx;
	HANDLE s, p;

	ASSERT_STATUS(STATUS_SUCCESS, img_a_section(&s));
	ASSERT_STATUS(STATUS_SUCCESS, create(&p, s, 0));
	NtClose(s);
	ASSERT_STATUS(STATUS_SUCCESS, child_code(p, NULL, 42, &ctx, &iteb));
	ASSERT_STATUS(42, run_to_exit(_metadata, p, &ctx, &iteb));
	NtClose(p);
}

/*
 * ntdll.dll mapped by the kernel at its base, as XP's, and the first
 * thread sent through its LdrInitializeThunk before its CONTEXT; a
 * missing ntdll.dll is XP's STATUS_DLL_NOT_FOUND.
 */
TEST_F(create_process, maps_ntdll_and_starts_in_loader)
{
	MEMORY_BASIC_INFORMATION mbi;
	INITIAL_TEB iteb;
	CONTEXT ctx;
	HANDLE s, p;

	ASSERT_STATUS(STATUS_SUCCESS, img_a_section(&s));
	ASSERT_EQ(0, param_rw("/nonexistent/ntdll.dll", 22, 1));
	ASSERT_STATUS(STATUS_DLL_NOT_FOUND, create(&p, s, 0));
	ASSERT_EQ(0, set_ntdll(1));
	ASSERT_STATUS(STATUS_SUCCESS, create(&p, s, 0));
	NtClose(s);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtQueryVirtualMemory(p, (void *)0x7c900000,
					   MemoryBasicInformation, &mbi,
					   sizeof(mbi), NULL));
	ASSERT_EQ(MEM_IMAGE, mbi.Type);
	ASSERT_EQ((void *)0x7c900000, mbi.AllocationBase);
	ASSERT_STATUS(STATUS_SUCCESS, child_code(p, NULL, 77, &ctx, &iteb));
	ASSERT_STATUS(77, run_to_exit(_metadata, p, &ctx, &iteb));
	NtClose(p);
}

/*
 * libntdll.a's RtlCreateUserProcess from an ELF program: pe/child.exe
 * with the kernel's ntdll.dll and its loader; RTL_USER_PROCESS_INFORMATION
 * as XP fills it; the child checks the parameters it got (exit 42).
 */
TEST_F(create_process, rtl_create_user_process)
{
	RTL_USER_PROCESS_PARAMETERS *pp;
	RTL_USER_PROCESS_INFORMATION info;
	char path[300];
	WCHAR buf[400];
	UNICODE_STRING us;
	ULONG prev = 9;
	siginfo_t si;
	int wstatus;
	pid_t pid;

	ASSERT_EQ(0, set_ntdll(1));
	snprintf(path, sizeof(path), "%s/pe/child.exe", pe_dir);
	ntname(buf, path);
	us.Buffer = buf;
	us.Length = 0;
	while (buf[us.Length / 2])
		us.Length += 2;
	us.MaximumLength = us.Length + 2;
	ASSERT_STATUS(STATUS_SUCCESS,
		      RtlCreateProcessParameters(&pp, &us, NULL, NULL, NULL, NULL,
						 NULL, NULL, NULL, NULL));
	memset(&info, 0xcc, sizeof(info));
	ASSERT_STATUS(STATUS_SUCCESS,
		      RtlCreateUserProcess(&us, OBJ_CASE_INSENSITIVE, pp, NULL,
					   NULL, NULL, FALSE, NULL, NULL, &info));
	RtlDestroyProcessParameters(pp);
	ASSERT_EQ(0x44u, info.Length);
	pid = (pid_t)(ULONG_PTR)info.ClientId.UniqueProcess;
	ASSERT_EQ(pid, (pid_t)basic(info.ProcessHandle).UniqueProcessId);
	ASSERT_EQ(pid, (pid_t)(ULONG_PTR)info.ClientId.UniqueThread);
	ASSERT_EQ(1u, info.ImageInformation.SubSystemType);	/* native */
	ASSERT_NE(0, (uintptr_t)info.ImageInformation.TransferAddress);
	/* created suspended, as XP's: the caller resumes it */
	ASSERT_STATUS(STATUS_TIMEOUT, wait_ms(info.ThreadHandle, 100));
	ASSERT_STATUS(STATUS_SUCCESS, NtResumeThread(info.ThreadHandle, &prev));
	ASSERT_EQ(1u, prev);
	ASSERT_STATUS(STATUS_WAIT_0, wait_ms(info.ThreadHandle, 10000));
	ASSERT_EQ(0, waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	ASSERT_STATUS(42, basic(info.ProcessHandle).ExitStatus);
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	ASSERT_TRUE(WIFEXITED(wstatus));
	ASSERT_EQ(42, WEXITSTATUS(wstatus));
	NtClose(info.ThreadHandle);
	NtClose(info.ProcessHandle);
}

/*
 * A process handle is waitable, as on XP: not signaled while any thread
 * of the process runs, signaled once the last one has exited, and the
 * exit status is final the moment the wait returns (read before wait(2)
 * has seen the child; Wine ntdll/tests/info.c and kernel32/tests/process.c
 * wait on process handles and read the exit code at once).
 */
TEST_F(create_process, wait_on_process_handle)
{
	HANDLE s, p, th, ev, objs[2], opened, nosync;
	CLIENT_ID cid = { 0 };
	OBJECT_ATTRIBUTES oa = { .Length = sizeof(oa) };
	INITIAL_TEB iteb;
	LARGE_INTEGER zero = { .QuadPart = 0 };
	CONTEXT ctx;
	int wstatus;
	pid_t pid;

	ASSERT_STATUS(STATUS_SUCCESS, img_a_section(&s));
	ASSERT_STATUS(STATUS_SUCCESS, create(&p, s, 0));
	NtClose(s);
	pid = (pid_t)basic(p).UniqueProcessId;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL, NotificationEvent,
				    FALSE));
	/* opened by id: a handle of its own, reaching the same process */
	cid.UniqueProcess = (HANDLE)(ULONG_PTR)pid;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenProcess(&opened, SYNCHRONIZE, &oa, &cid));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtDuplicateObject(NtCurrentProcess(), p, NtCurrentProcess(),
					&nosync, PROCESS_QUERY_INFORMATION, 0, 0));
	cid.UniqueProcess = NULL;
	/* alive (no thread yet): a timeout, through every wait service */
	ASSERT_STATUS(STATUS_TIMEOUT, NtWaitForSingleObject(p, FALSE, &zero));
	ASSERT_STATUS(STATUS_TIMEOUT, wait_ms(opened, 50));
	/* our own process: never signaled while we wait on it */
	ASSERT_STATUS(STATUS_TIMEOUT, wait_ms(NtCurrentProcess(), 20));
	objs[0] = ev;
	objs[1] = p;
	ASSERT_STATUS(STATUS_TIMEOUT,
		      NtWaitForMultipleObjects(2, objs, WaitAny, FALSE, &zero));
	/* no SYNCHRONIZE: XP's ObReferenceObjectByHandle answer */
	ASSERT_STATUS(STATUS_ACCESS_DENIED, NtWaitForSingleObject(nosync, FALSE, &zero));
	ASSERT_STATUS(STATUS_ACCESS_DENIED,
		      NtSignalAndWaitForSingleObject(ev, nosync, FALSE, &zero));

	ASSERT_STATUS(STATUS_SUCCESS, child_code(p, NULL, 0xc0de1234, &ctx, &iteb));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateThread(&th, THREAD_ALL_ACCESS, NULL, p, &cid, &ctx,
				     &iteb, FALSE));
	ASSERT_STATUS(STATUS_WAIT_0, wait_ms(p, 10000));
	/* final at once: no zombie yet needed, the whole NTSTATUS */
	ASSERT_STATUS(0xc0de1234, basic(p).ExitStatus);
	ASSERT_STATUS(0xc0de1234, basic(nosync).ExitStatus);
	/* stays signaled; the other handles see it too */
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(p, FALSE, &zero));
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(opened, FALSE, &zero));
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(th, FALSE, &zero));
	/* WaitAny: the unsignaled event first, the process second */
	ASSERT_STATUS(STATUS_WAIT_0 + 1,
		      NtWaitForMultipleObjects(2, objs, WaitAny, FALSE, &zero));
	ASSERT_STATUS(STATUS_TIMEOUT,
		      NtWaitForMultipleObjects(2, objs, WaitAll, FALSE, &zero));
	/* signal the event and wait on the process, in one call */
	ASSERT_STATUS(STATUS_WAIT_0,
		      NtSignalAndWaitForSingleObject(ev, p, FALSE, &zero));
	ASSERT_STATUS(STATUS_WAIT_0,
		      NtWaitForMultipleObjects(2, objs, WaitAll, FALSE, &zero));
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	ASSERT_TRUE(WIFEXITED(wstatus));
	ASSERT_EQ(0x34, WEXITSTATUS(wstatus));
	/* reaped: still signaled, the status kept */
	ASSERT_STATUS(STATUS_WAIT_0, NtWaitForSingleObject(p, FALSE, &zero));
	NtClose(nosync);
	NtClose(opened);
	NtClose(ev);
	NtClose(th);
	NtClose(p);
}

static void *resume_later(void *th)
{
	usleep(100000);
	NtResumeThread(*(HANDLE *)th, NULL);
	return NULL;
}

/* A wait that sleeps is woken by the exit (not only found signaled). */
TEST_F(create_process, wait_wakes_at_exit)
{
	pthread_t resumer;
	HANDLE s, p, th, ev, objs[2];
	CLIENT_ID cid = { 0 };
	INITIAL_TEB iteb;
	CONTEXT ctx;
	pid_t pid;

	ASSERT_STATUS(STATUS_SUCCESS, img_a_section(&s));
	ASSERT_STATUS(STATUS_SUCCESS, create(&p, s, 0));
	NtClose(s);
	pid = (pid_t)basic(p).UniqueProcessId;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL, NotificationEvent,
				    FALSE));
	ASSERT_STATUS(STATUS_SUCCESS, child_code(p, NULL, 7, &ctx, &iteb));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateThread(&th, THREAD_ALL_ACCESS, NULL, p, &cid, &ctx,
				     &iteb, TRUE));
	objs[0] = ev;
	objs[1] = p;
	ASSERT_STATUS(STATUS_TIMEOUT,
		      NtWaitForMultipleObjects(2, objs, WaitAny, FALSE,
					       &(LARGE_INTEGER){ .QuadPart = -500000 }));
	/* asleep in the wait when the child starts and ends */
	ASSERT_EQ(0, pthread_create(&resumer, NULL, resume_later, &th));
	ASSERT_STATUS(STATUS_WAIT_0 + 1,
		      NtWaitForMultipleObjects(2, objs, WaitAny, FALSE, NULL));
	ASSERT_STATUS(7, basic(p).ExitStatus);
	pthread_join(resumer, NULL);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	NtClose(ev);
	NtClose(th);
	NtClose(p);
}

/* XP's statuses for what is not an image section or not a parent. */
TEST_F(create_process, bad_arguments)
{
	LARGE_INTEGER max = { .QuadPart = 0x10000 };
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	CLIENT_ID cid = { 0 };
	HANDLE s, data, p = NULL, other;

	ASSERT_STATUS(STATUS_SUCCESS, img_a_section(&s));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateSection(&data, SECTION_ALL_ACCESS, NULL, &max,
				      PAGE_READWRITE, SEC_COMMIT, NULL));
	ASSERT_STATUS(STATUS_SECTION_NOT_IMAGE, create(&p, data, 0));
	ASSERT_STATUS(STATUS_SECTION_NOT_IMAGE,
		      NtCreateProcess(&p, PROCESS_ALL_ACCESS, NULL,
				      NtCurrentProcess(), TRUE, data, NULL,
				      NULL));
	ASSERT_STATUS(STATUS_NOT_IMPLEMENTED,
		      NtCreateProcess(&p, PROCESS_ALL_ACCESS, NULL,
				      NtCurrentProcess(), FALSE, s,
				      (HANDLE)4, NULL));
	ASSERT_STATUS(STATUS_INVALID_HANDLE, create(&p, (HANDLE)0x7ffc, 0));
	/* a process handle is not a section */
	ASSERT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      NtCreateProcessEx(&p, PROCESS_ALL_ACCESS, NULL,
					NtCurrentProcess(), 0, NtCurrentProcess(),
					NULL, NULL, FALSE));
	ASSERT_STATUS(STATUS_INVALID_PARAMETER, create(&p, s, 0x10));
	ASSERT_STATUS(STATUS_INVALID_PARAMETER,
		      NtCreateProcessEx(&p, PROCESS_ALL_ACCESS, NULL, NULL, 0, s,
					NULL, NULL, FALSE));
	ASSERT_STATUS(STATUS_INVALID_HANDLE,
		      NtCreateProcessEx(&p, PROCESS_ALL_ACCESS, NULL,
					(HANDLE)0x7ffc, 0, s, NULL, NULL, FALSE));
	/* XP's NULL section (a copy of the parent) is not there yet */
	ASSERT_STATUS(STATUS_NOT_IMPLEMENTED, create(&p, NULL, 0));
	ASSERT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtCreateProcessEx((HANDLE *)1, PROCESS_ALL_ACCESS, NULL,
					NtCurrentProcess(), 0, s, NULL, NULL,
					FALSE));
	/* Linux has one parent: the caller */
	cid.UniqueProcess = (HANDLE)1;
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenProcess(&other, PROCESS_ALL_ACCESS,
				    nt_oa(&oa, &us, NULL, 0), &cid));
	ASSERT_STATUS(STATUS_NOT_SUPPORTED,
		      NtCreateProcessEx(&p, PROCESS_ALL_ACCESS, NULL, other, 0, s,
					NULL, NULL, FALSE));
	ASSERT_EQ(NULL, p);
	NtClose(other);
	NtClose(data);
	NtClose(s);
}

/* OBJ_INHERIT handles at the same value with INHERIT_HANDLES, else none. */
TEST_F(create_process, inherit_handles)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	HANDLE s, ev_inh, ev_not;
	static const struct {
		ULONG flags;
		int inherit;
		NTSTATUS want;
	} cases[] = {
		{ 4, 1, STATUS_SUCCESS },
		{ 4, 0, STATUS_INVALID_HANDLE },
		{ 0, 1, STATUS_INVALID_HANDLE },
	};

	ASSERT_STATUS(STATUS_SUCCESS, img_a_section(&s));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&ev_inh, EVENT_ALL_ACCESS,
				    nt_oa(&oa, &us, NULL, OBJ_INHERIT),
				    NotificationEvent, FALSE));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateEvent(&ev_not, EVENT_ALL_ACCESS,
				    nt_oa(&oa, &us, NULL, 0),
				    NotificationEvent, FALSE));
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		HANDLE ev = cases[i].inherit ? ev_inh : ev_not;
		INITIAL_TEB iteb;
		CONTEXT ctx;
		HANDLE p;

		/* NtCreateProcess's BOOLEAN is Ex's INHERIT_HANDLES */
		ASSERT_STATUS(STATUS_SUCCESS, i == 2 ? create(&p, s, cases[i].flags) :
			      NtCreateProcess(&p, PROCESS_ALL_ACCESS, NULL,
					      NtCurrentProcess(), !!cases[i].flags,
					      s, NULL, NULL));
		ASSERT_STATUS(STATUS_SUCCESS, child_code(p, ev, 0, &ctx, &iteb));
		ASSERT_STATUS(cases[i].want,
			      run_to_exit(_metadata, p, &ctx, &iteb));
		NtClose(p);
	}
	/* the inherited one reached our event: the child's handle was a copy */
	ASSERT_STATUS(STATUS_WAIT_0, wait_ms(ev_inh, 0));
	ASSERT_STATUS(STATUS_TIMEOUT, wait_ms(ev_not, 0));
	NtClose(ev_inh);
	NtClose(ev_not);
	NtClose(s);
}

/*
 * Linux fds are not NT handles: a file the creator opened without
 * O_CLOEXEC is not open in the NT process it makes (XP passes only
 * inheritable handles, and only when asked); fds 0-2, the console the
 * std handles and \??\CON use, stay. Seen from outside (/proc/pid/fd)
 * before the child has a thread, and from inside by its first thread.
 */
TEST_F(create_process, linux_fds_do_not_pass)
{
	static const struct {
		int fd;
		NTSTATUS want;
	} cases[] = {
		{ 37, (NTSTATUS)-EBADF },
		{ 2, 0 },	/* open, and not close-on-exec */
	};
	HANDLE s;
	int fd;

	ASSERT_LE(0, fcntl(2, F_GETFD));
	fd = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(37, dup2(fd, 37));
	close(fd);
	ASSERT_STATUS(STATUS_SUCCESS, img_a_section(&s));
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char dir[64];
		struct dirent *de;
		INITIAL_TEB iteb;
		CONTEXT ctx;
		HANDLE p;
		DIR *d;
		pid_t pid;

		ASSERT_STATUS(STATUS_SUCCESS, create(&p, s, 0));
		pid = (pid_t)basic(p).UniqueProcessId;
		/* the husk's table: the creator's 0-2, nothing else */
		snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
		d = opendir(dir);
		ASSERT_NE(NULL, d);
		while ((de = readdir(d))) {
			int n = atoi(de->d_name);

			if (de->d_name[0] == '.')
				continue;
			EXPECT_GT(3, n) TH_LOG("fd %d open in the child", n);
		}
		closedir(d);
		ASSERT_STATUS(STATUS_SUCCESS,
			      child_probe_fd(p, cases[i].fd, &ctx, &iteb));
		ASSERT_STATUS(cases[i].want,
			      run_to_exit(_metadata, p, &ctx, &iteb));
		NtClose(p);
	}
	/* still ours */
	ASSERT_EQ(0, fcntl(37, F_GETFD));
	close(37);
	NtClose(s);
}

#define PM_STATE	"/sys/power/state"
#define PM_TEST		"/sys/power/pm_test"
#define PM_TIMEOUT	"/sys/power/pm_freeze_timeout"
#define PM_TEST_DELAY	"/sys/module/suspend/parameters/pm_test_delay"

/* The task's state letter in /proc/pid/stat (D for a killable sleep). */
static char task_state(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (nt_sysfs_rw(path, buf, sizeof(buf), 0, 1))
		return '?';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/*
 * One freeze of every task and its thaw (pm_test "freezer"), giving up
 * after 2 s: 0, or the errno of the write to /sys/power/state (EBUSY: a
 * task would not freeze). -1: no pm_test here (CONFIG_PM_DEBUG).
 */
static int freeze_once(void)
{
	char test[128], timeout[32], delay[32] = "", *cur;
	int err = 0;

	if (nt_sysfs_rw(PM_TEST, test, sizeof(test), 0, 1) || !strstr(test, "freezer") ||
	    nt_sysfs_rw(PM_TIMEOUT, timeout, sizeof(timeout), 0, 1))
		return -1;
	/* the current mode is the one in brackets */
	cur = strchr(test, '[');
	cur = cur ? cur + 1 : test;
	cur[strcspn(cur, "]")] = 0;
	nt_sysfs_rw(PM_TEST_DELAY, delay, sizeof(delay), 0, 1);
	if (nt_sysfs_put(PM_TIMEOUT, "2000") || nt_sysfs_put(PM_TEST, "freezer"))
		err = errno;
	if (!err && *delay)
		nt_sysfs_put(PM_TEST_DELAY, "0");
	if (!err && nt_sysfs_put(PM_STATE, "freeze"))
		err = errno;
	nt_sysfs_put(PM_TEST, cur);
	nt_sysfs_put(PM_TIMEOUT, timeout);
	if (*delay)
		nt_sysfs_put(PM_TEST_DELAY, delay);
	return err;
}

/* Until @pid sleeps in the kernel (D: a killable sleep), at most 1 s. */
static char wait_asleep(pid_t pid)
{
	for (int i = 0; i < 100 && task_state(pid) != 'D'; i++)
		usleep(10000);
	return task_state(pid);
}

/*
 * A system suspend freezes every user task. A suspended NT thread and a
 * process without a thread (asleep until NtCreateThread) sleep killably
 * in the kernel for as long as their creator wants, so they must freeze
 * where they sleep, or every suspend fails ("Freezing of tasks failed",
 * EBUSY). After the thaw each goes on as if nothing happened.
 */
TEST_F(create_process, freezer_freezes_suspended_and_threadless)
{
	CLIENT_ID cid;
	INITIAL_TEB iteb;
	CONTEXT ctx;
	HANDLE s, p1, p2, th2;
	ULONG prev = 9;
	pid_t pid1, pid2;
	int err;

	if (freeze_once() < 0)
		SKIP(return, "no pm_test freezer mode (CONFIG_PM_DEBUG)");
	ASSERT_STATUS(STATUS_SUCCESS, img_a_section(&s));
	/* a suspended first thread, parked in the kernel */
	ASSERT_STATUS(STATUS_SUCCESS, create(&p2, s, 0));
	pid2 = (pid_t)basic(p2).UniqueProcessId;
	ASSERT_STATUS(STATUS_SUCCESS, child_code(p2, NULL, 0x55, &ctx, &iteb));
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtCreateThread(&th2, THREAD_ALL_ACCESS, NULL, p2, &cid,
				     &ctx, &iteb, TRUE));
	ASSERT_EQ('D', wait_asleep(pid2));
	err = freeze_once();
	EXPECT_EQ(0, err) TH_LOG("freeze with a suspended thread: %s",
				 strerror(err));
	/* and a process without a thread */
	ASSERT_STATUS(STATUS_SUCCESS, create(&p1, s, 0));
	pid1 = (pid_t)basic(p1).UniqueProcessId;
	NtClose(s);
	ASSERT_EQ('D', wait_asleep(pid1));
	err = freeze_once();
	EXPECT_EQ(0, err) TH_LOG("freeze with a thread-less process: %s",
				 strerror(err));

	/* thawed: each goes on from where it slept */
	ASSERT_STATUS(STATUS_SUCCESS, NtResumeThread(th2, &prev));
	ASSERT_EQ(1u, prev);
	ASSERT_STATUS(STATUS_WAIT_0, wait_ms(th2, 10000));
	ASSERT_STATUS(0x55, basic(p2).ExitStatus);
	ASSERT_STATUS(STATUS_SUCCESS, child_code(p1, NULL, 0x66, &ctx, &iteb));
	ASSERT_STATUS(0x66, run_to_exit(_metadata, p1, &ctx, &iteb));
	ASSERT_EQ(pid2, waitpid(pid2, NULL, 0));
	NtClose(th2);
	NtClose(p1);
	NtClose(p2);
}

/* XP deletes a process without threads when its last handle goes. */
TEST_F(create_process, closed_without_thread_dies)
{
	HANDLE s, p;
	int wstatus;
	pid_t pid;

	ASSERT_STATUS(STATUS_SUCCESS, img_a_section(&s));
	ASSERT_STATUS(STATUS_SUCCESS, create(&p, s, 0));
	NtClose(s);
	pid = (pid_t)basic(p).UniqueProcessId;
	ASSERT_STATUS(STATUS_SUCCESS, NtClose(p));
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	ASSERT_TRUE(WIFSIGNALED(wstatus));
	ASSERT_EQ(SIGKILL, WTERMSIG(wstatus));
}

TEST_F(create_process, terminate_before_thread)
{
	HANDLE s, p;
	pid_t pid;

	ASSERT_STATUS(STATUS_SUCCESS, img_a_section(&s));
	ASSERT_STATUS(STATUS_SUCCESS, create(&p, s, 0));
	NtClose(s);
	pid = (pid_t)basic(p).UniqueProcessId;
	ASSERT_STATUS(STATUS_SUCCESS, NtTerminateProcess(p, 0xc0000123));
	/* its process handle is signaled by that end too */
	ASSERT_STATUS(STATUS_WAIT_0, wait_ms(p, 10000));
	ASSERT_STATUS(0xc0000123, basic(p).ExitStatus);
	ASSERT_EQ(pid, waitpid(pid, NULL, __WALL));
	NtClose(p);
}

/*
 * The child has its creator's credentials, whatever the image file's
 * mode: a setuid-root image is only mapped.
 */
TEST_F(create_process, setuid_image_runs_as_creator)
{
	char src[300], cmd[700];
	const char *dst = "/tmp/nt_create_suid.exe";
	struct stat st;

	snprintf(src, sizeof(src), "%s/pe/img_a.exe", pe_dir);
	snprintf(cmd, sizeof(cmd), "cp %s %s && chown 0:0 %s && chmod 4755 %s",
		 src, dst, dst, dst);
	ASSERT_EQ(0, system(cmd));
	NT_AS_USER(variant->gate) {
		char proc[64];
		HANDLE s, p;
		pid_t pid;

		ASSERT_TRUE(image_section_of(&s, dst) == STATUS_SUCCESS);
		ASSERT_TRUE(create(&p, s, 0) == STATUS_SUCCESS);
		pid = (pid_t)basic(p).UniqueProcessId;
		snprintf(proc, sizeof(proc), "/proc/%d", pid);
		ASSERT_TRUE(stat(proc, &st) == 0);
		ASSERT_TRUE(st.st_uid == getuid() && getuid() != 0);
		NtClose(p);
		ASSERT_TRUE(waitpid(pid, NULL, 0) == pid);
	}
	unlink(dst);
}

/*
 * A user makes a process only of an image it may execute, as execve():
 * a root-owned 0644 file may be mapped (as mmap(PROT_EXEC) of a readable
 * file may), but is no process of its.
 */
TEST_F(create_process, user_cannot_use_image_it_cannot_execute)
{
	char src[300], cmd[700];
	const char *dst = "/tmp/nt_create_noexec.exe";

	snprintf(src, sizeof(src), "%s/pe/img_a.exe", pe_dir);
	snprintf(cmd, sizeof(cmd), "cp %s %s && chown 0:0 %s && chmod 0644 %s",
		 src, dst, dst, dst);
	ASSERT_EQ(0, system(cmd));
	NT_AS_USER(variant->gate) {
		HANDLE s, p = NULL;

		ASSERT_STATUS(STATUS_SUCCESS, image_section_of(&s, dst));
		ASSERT_STATUS(STATUS_ACCESS_DENIED, create(&p, s, 0));
		ASSERT_EQ(NULL, p);
		NtClose(s);
	}
	unlink(dst);
}

TEST_HARNESS_MAIN
