// SPDX-License-Identifier: GPL-2.0
/*
 * RTL_USER_PROCESS_PARAMETERS of a process started by ntrun (an exec
 * attach): what XP's CreateProcess hands a new process, made from what a
 * Linux exec hands it. Built in the task itself, after its PEB and before
 * its first user instruction, and pointed at by PEB->ProcessParameters.
 *
 *  - CommandLine: argv joined with spaces, each argument quoted as
 *    CommandLineToArgvW() and the C runtime split it back (quotes around an
 *    argument with a space, tab or quote or an empty one; a quote escaped
 *    by a backslash, backslashes before a quote doubled). At most 32766
 *    characters, as a UNICODE_STRING can hold: longer ones are cut.
 *  - ImagePathName: the executable's NT name (\??\C:\... under the
 *    process's C: directory, else \??\unix\...), as ProcessImageFileName.
 *  - Environment: envp as "NAME=value\0...\0\0" in UTF-16.
 *  - CurrentDirectory.DosPath: the cwd as a DOS path with its trailing
 *    backslash: C:\dir\ under the C: directory, else Z:\dir\ (Z: is the
 *    whole Linux tree). Handle 0: nothing here opens the directory.
 *  - StandardInput/Output/Error: inheritable handles on fds 0, 1, 2 (0 for
 *    a closed fd), served as console files (io/file.c ntio_std_handle()).
 *
 * One private mapping holds the structure, its strings and the
 * environment, normalized (Flags bit 0: the Buffers are addresses). A
 * process that attaches itself (NtpAttach) has no parameters: its PEB's
 * ProcessParameters stays NULL, as it did not start as an NT process.
 */
#include <linux/file.h>
#include <linux/fs_struct.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/nls.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include "internal.h"
#include "ps/ps.h"
#include "io/io.h"
#include "uaccess.h"
#include "nt/ntps.h"

#define NTPS_CMDLINE_MAX	32766	/* WCHARs: a UNICODE_STRING and its NUL */
#define NTPS_CWD_MAX		260	/* XP's buffer: MAX_PATH WCHARs */

/* A NUL-separated block of the current process's memory (argv, envp). */
static char *ntps_read_block(unsigned long start, unsigned long end,
			     size_t *len)
{
	char *buf;

	*len = end > start ? end - start : 0;
	buf = kvmalloc(*len + 1, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return NULL;
	if (*len && !NT_SUCCESS(nt_copy_in(buf, nt_uptr(start), *len)))
		*len = 0;
	buf[*len] = 0;
	return buf;
}

/* Append @arg to @out (UTF-8) quoted for CommandLineToArgvW; new length. */
static size_t ntps_quote_arg(char *out, size_t n, const char *arg)
{
	size_t slashes = 0;
	const char *p;

	if (*arg && !strpbrk(arg, " \t\"")) {
		strcpy(out + n, arg);
		return n + strlen(arg);
	}
	out[n++] = '"';
	for (p = arg; ; p++) {
		if (*p == '\\') {
			slashes++;
			continue;
		}
		/* before a quote (or the closing one) backslashes double */
		if (*p == '"' || !*p) {
			memset(out + n, '\\', slashes * 2);
			n += slashes * 2;
		} else {
			memset(out + n, '\\', slashes);
			n += slashes;
		}
		slashes = 0;
		if (!*p)
			break;
		if (*p == '"')
			out[n++] = '\\';
		out[n++] = *p;
	}
	out[n++] = '"';
	return n;
}

/* argv as one command line, UTF-16, cut at NTPS_CMDLINE_MAX. */
static WCHAR *ntps_command_line(const char *args, size_t len, u16 *wlen)
{
	size_t n = 0, room = 3 * len + 3;	/* worst case: all quotes */
	const char *a;
	WCHAR *w = NULL;
	char *line;
	int nw;

	line = kvmalloc(room, GFP_KERNEL_ACCOUNT);
	if (!line)
		return NULL;
	for (a = args; a < args + len; a += strlen(a) + 1) {
		if (n)
			line[n++] = ' ';
		n = ntps_quote_arg(line, n, a);
	}
	line[n] = 0;
	w = kvmalloc_array(n + 1, sizeof(WCHAR), GFP_KERNEL_ACCOUNT);
	if (w) {
		nw = max(utf8s_to_utf16s(line, n, UTF16_HOST_ENDIAN,
					 (wchar_t *)w, n), 0);
		if (nw > NTPS_CMDLINE_MAX) {
			nw = NTPS_CMDLINE_MAX;
			/* never half a surrogate pair */
			if ((w[nw - 1] & 0xfc00) == 0xd800)
				nw--;
		}
		w[nw] = 0;
		*wlen = nw;
	}
	kvfree(line);
	return w;
}

/* "A=B\0C=D\0\0" in UTF-16; *wlen counts every WCHAR including the NULs. */
static WCHAR *ntps_environment(const char *env, size_t len, size_t *wlen)
{
	const char *e;
	WCHAR *w;
	size_t n = 0;
	int k;

	w = kvmalloc_array(len + 2, sizeof(WCHAR), GFP_KERNEL_ACCOUNT);
	if (!w)
		return NULL;
	for (e = env; e < env + len; e += strlen(e) + 1) {
		if (!*e)
			continue;	/* an empty string would end the block */
		k = utf8s_to_utf16s(e, strlen(e), UTF16_HOST_ENDIAN,
				    (wchar_t *)w + n, len - n);
		n += max(k, 0);
		w[n++] = 0;
	}
	if (!n)
		w[n++] = 0;
	w[n++] = 0;
	*wlen = n;
	return w;
}

/* The cwd as a DOS path with its trailing backslash (C:\... or Z:\...). */
static WCHAR *ntps_cwd(u16 *wlen)
{
	WCHAR *nt, *dos;
	struct path pwd;
	NTSTATUS status;
	u16 n, skip;
	size_t k = 0;

	get_fs_pwd(current->fs, &pwd);
	status = ntio_nt_name_of_path(&pwd, &nt, &n);
	path_put(&pwd);
	if (!NT_SUCCESS(status))
		return NULL;
	dos = kmalloc_array(NTPS_CWD_MAX + 1, sizeof(WCHAR), GFP_KERNEL_ACCOUNT);
	if (!dos) {
		kfree(nt);
		return NULL;
	}
	/* \??\C:\dir -> C:\dir, \??\unix\dir -> Z:\dir */
	if (n >= 6 && nt[5] == ':') {
		skip = 4;
	} else {
		dos[k++] = 'Z';
		dos[k++] = ':';
		skip = 8;
	}
	for (; skip < n && k < NTPS_CWD_MAX - 1; skip++)
		dos[k++] = nt[skip];
	if (k < 3)
		dos[k++] = '\\';
	else if (dos[k - 1] != '\\')
		dos[k++] = '\\';
	dos[k] = 0;
	*wlen = k;
	kfree(nt);
	return dos;
}

static struct file *ntps_exe_file(struct mm_struct *mm)
{
	struct file *exe;

	rcu_read_lock();
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
	rcu_read_unlock();
	return exe;
}

struct ntps_strings {
	WCHAR *cmd, *image, *cwd, *env;
	u16 cmd_len, image_len, cwd_len;	/* WCHARs, without the NUL */
	size_t env_len;				/* WCHARs, all NULs included */
};

static void ntps_strings_free(struct ntps_strings *s)
{
	kvfree(s->cmd);
	kfree(s->image);
	kfree(s->cwd);
	kvfree(s->env);
}

static int ntps_strings_get(struct ntps_strings *s)
{
	struct mm_struct *mm = current->mm;
	unsigned long as, ae, es, ee;
	char *args, *env;
	struct file *exe;
	size_t alen, elen;
	int err = -ENOMEM;

	spin_lock(&mm->arg_lock);
	as = mm->arg_start;
	ae = mm->arg_end;
	es = mm->env_start;
	ee = mm->env_end;
	spin_unlock(&mm->arg_lock);

	args = ntps_read_block(as, ae, &alen);
	env = ntps_read_block(es, ee, &elen);
	if (args && env) {
		s->cmd = ntps_command_line(args, alen, &s->cmd_len);
		s->env = ntps_environment(env, elen, &s->env_len);
	}
	kvfree(args);
	kvfree(env);
	s->cwd = ntps_cwd(&s->cwd_len);
	exe = ntps_exe_file(mm);
	if (exe) {
		if (!NT_SUCCESS(ntio_nt_name_of_path(&exe->f_path, &s->image,
						     &s->image_len)))
			s->image = NULL;
		fput(exe);
	}
	if (s->cmd && s->env && s->cwd && s->image)
		err = 0;
	return err;
}

/* Copy @len WCHARs and a NUL to @blk at *@off; fill @us to point there. */
static void ntps_put_string(u8 *blk, u32 base, size_t *off, UNICODE_STRING *us,
			    const WCHAR *s, u16 len, u16 room)
{
	memcpy(blk + *off, s, len * sizeof(WCHAR));
	((WCHAR *)(blk + *off))[len] = 0;
	us->Length = len * sizeof(WCHAR);
	us->MaximumLength = max_t(u16, room, len + 1) * sizeof(WCHAR);
	us->Buffer = base + *off;
	*off += ALIGN(us->MaximumLength, 4);
}

int ntps_params_create(struct nt_process *proc)
{
	struct ntps_strings s = {};
	RTL_USER_PROCESS_PARAMETERS *pp;
	size_t size, off, env_off;
	unsigned long base;
	NTSTATUS status;
	u8 *blk;
	int err;

	err = ntps_strings_get(&s);
	if (err)
		goto out;
	size = ALIGN(sizeof(*pp), 4) +
	       ALIGN((NTPS_CWD_MAX + 1) * sizeof(WCHAR), 4) +
	       ALIGN((s.image_len + 1) * sizeof(WCHAR), 4) +
	       ALIGN((s.cmd_len + 1) * sizeof(WCHAR), 4) + sizeof(WCHAR) * 2;
	env_off = ALIGN(size, 16);
	size = env_off + s.env_len * sizeof(WCHAR);
	err = -ENOMEM;
	blk = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!blk)
		goto out;
	base = vm_mmap(NULL, 0, PAGE_ALIGN(size), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(base)) {
		err = (int)base;
		goto out_blk;
	}

	pp = (RTL_USER_PROCESS_PARAMETERS *)blk;
	pp->MaximumLength = size;
	pp->Length = size;
	pp->Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
	off = ALIGN(sizeof(*pp), 4);
	ntps_put_string(blk, base, &off, &pp->CurrentDirectory.DosPath,
			s.cwd, s.cwd_len, NTPS_CWD_MAX + 1);
	ntps_put_string(blk, base, &off, &pp->ImagePathName,
			s.image, s.image_len, 0);
	ntps_put_string(blk, base, &off, &pp->CommandLine,
			s.cmd, s.cmd_len, 0);
	/* an empty DllPath: the loader's search order applies */
	ntps_put_string(blk, base, &off, &pp->DllPath, NULL, 0, 0);
	memcpy(blk + env_off, s.env, s.env_len * sizeof(WCHAR));
	pp->Environment = base + env_off;

	status = ntio_std_handle(0, &pp->StandardInput);
	if (NT_SUCCESS(status))
		status = ntio_std_handle(1, &pp->StandardOutput);
	if (NT_SUCCESS(status))
		status = ntio_std_handle(2, &pp->StandardError);
	if (NT_SUCCESS(status))
		status = nt_copy_out(nt_uptr(base), blk, size);
	if (NT_SUCCESS(status)) {
		u32 at = base;

		status = nt_copy_out(nt_uptr(proc->env.peb +
					     offsetof(PEB, ProcessParameters)),
				     &at, sizeof(at));
	}
	/* the handles made so far die with the process that cannot run */
	err = NT_SUCCESS(status) ? 0 : -ENOMEM;
	if (err)
		vm_munmap(base, PAGE_ALIGN(size));
out_blk:
	kvfree(blk);
out:
	ntps_strings_free(&s);
	return err;
}
