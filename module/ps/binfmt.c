// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's binfmt for PE images: execve() of an i386 PE file starts an
 * attached NT process, so ./prog.exe works without a binfmt_misc entry.
 *
 * It lives in ps/ because it is process creation: it asks for the same
 * exec attach as NTP_ATTACH_ON_EXEC (ps/process.c) and nothing below ps
 * knows about exec. The design (docs/images.md, "The kernel's PE binfmt")
 * is an interpreter rewrite, as binfmt_script and binfmt_misc's "O" flag
 * do it: the exec goes on with the static ELF preloader ntpeload (module
 * parameter pe_loader) as the file the kernel loads, argv[0] replaced by
 * the name the PE was exec'd by, and the PE itself handed over open
 * (AT_EXECFD), so the preloader maps exactly the file the kernel checked
 * for exec permission, noexec mounts and the LSM's exec hook, and not
 * whatever the name points to by then. One exec instead of ntrun's two.
 *
 * Who may: who may open /dev/ntpersonality (ntpe_may_use()).
 *
 * Credentials: those of the preloader, which is not setuid, as for a
 * script or a binfmt_misc entry without "C": a setuid or setgid bit (or
 * file capabilities) on a .exe is ignored. The NT loader that runs next
 * follows the environment (DllPath, NTP_NTDLL) and was never meant to
 * run with more rights than the user who started it.
 *
 * The handler sits at the tail of the kernel's list (register_binfmt), so
 * ELF, scripts and a binfmt_misc entry for "MZ" all come first; anything
 * that is not an i386 PE is -ENOEXEC, for the next handler.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include "internal.h"
#include "ps/binfmt.h"

static bool pe_binfmt = true;
module_param(pe_binfmt, bool, 0644);
MODULE_PARM_DESC(pe_binfmt, "execve() of an i386 PE file starts it as an NT process (default Y)");

/*
 * ntpeload maps the ntdll.dll in its own directory: one parameter names
 * both, an installed pair or a build tree's, and ntpeload finds the DLL
 * with one readlink of /proc/self/exe rather than a read of sysfs.
 */
static char *pe_loader = "/usr/lib/ntpersonality/ntpeload";
module_param(pe_loader, charp, 0644);
MODULE_PARM_DESC(pe_loader, "Static ELF preloader that starts PE images, with ntdll.dll in its directory (default /usr/lib/ntpersonality/ntpeload)");

#define PE_DOS_LFANEW		0x3c
#define PE_MACHINE_I386		0x014c

/* "PE\0\0" and the i386 machine at e_lfanew, read from the file if past buf. */
static bool ntpe_is_i386_pe(struct linux_binprm *bprm)
{
	u8 hdr[6];
	loff_t pos;
	u32 lfanew;

	if (bprm->buf[0] != 'M' || bprm->buf[1] != 'Z')
		return false;
	lfanew = get_unaligned_le32(bprm->buf + PE_DOS_LFANEW);
	if (lfanew <= BINPRM_BUF_SIZE - sizeof(hdr)) {
		memcpy(hdr, bprm->buf + lfanew, sizeof(hdr));
	} else {
		/* the file's size is unknown here: a short read says no */
		pos = lfanew;
		if (kernel_read(bprm->file, hdr, sizeof(hdr), &pos) != sizeof(hdr))
			return false;
	}
	return !memcmp(hdr, "PE\0\0", 4) &&
	       get_unaligned_le16(hdr + 4) == PE_MACHINE_I386;
}

/*
 * A copy of the module parameter: sysfs may replace (and free) it
 * meanwhile. Trailing white space goes: `echo PATH >` leaves a newline.
 */
static char *ntpe_loader_param(void)
{
	char *s;

	kernel_param_lock(THIS_MODULE);
	s = kstrdup(pe_loader, GFP_KERNEL);
	kernel_param_unlock(THIS_MODULE);
	if (s)
		strim(s);
	return s;
}

/*
 * The attach for this exec, unless one is pending already (a program's
 * own NTP_ATTACH_ON_EXEC, maybe with a C: root that must stay). An
 * attached caller's NT process is replaced by the new one at this exec
 * (ps/process.c ntps_exec_replace_on()), under the same rule as an exec
 * attach; where that is refused (a secure exec) the exec drops the old
 * NT process, and ntpeload, finding itself unattached, asks for the
 * attach and execs itself once more (tools/ntpeload.c).
 */
static int ntpe_attach(struct file *loader)
{
	struct nt_thread *t = nt_thread_current();
	int err;

	if (t && t->proc && !test_bit(NT_THREAD_FORKED, &t->flags)) {
		ntps_exec_replace_on(t, loader);
		return 0;
	}
	if (t && test_bit(NT_THREAD_EXEC_PENDING, &t->flags) && !t->proc)
		return 0;
	err = ntps_attach_current(NTP_ATTACH_ON_EXEC, 0);
	return err == -EALREADY ? 0 : err;
}

/*
 * Who may use the personality is who may open the control device
 * (docs/security.md: a udev rule restricts it to a group). An exec'd PE
 * becomes an attached process without opening it, so the binfmt asks
 * the device node's permission, as open(2) of it would, with the
 * caller's credentials.
 */
static int ntpe_may_use(void)
{
	struct path p;
	int err;

	err = kern_path(NTP_DEVICE_PATH, LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	err = inode_permission(mnt_user_ns(p.mnt), d_inode(p.dentry),
			       MAY_READ | MAY_WRITE);
	path_put(&p);
	return err;
}

static int ntpe_load_binary(struct linux_binprm *bprm)
{
	struct file *loader;
	char *name;
	int err;

	if (!READ_ONCE(pe_binfmt) || !ntpe_is_i386_pe(bprm))
		return -ENOEXEC;
	/* ntpeload is ELF; a PE "interpreter" would loop */
	if (bprm->interpreter || bprm->executable)
		return -ENOEXEC;

	err = ntpe_may_use();
	if (err)
		return err;
	name = ntpe_loader_param();
	if (!name)
		return -ENOMEM;
	/*
	 * argv[0] becomes the name the PE was exec'd by, the rest stays:
	 * ntpeload's argv is the program's, as ntrun gives it.
	 */
	err = remove_arg_zero(bprm);
	if (err)
		goto out;
	err = copy_string_kernel(bprm->interp, bprm);
	if (err < 0)
		goto out;
	bprm->argc++;
	err = bprm_change_interp(name, bprm);
	if (err)
		goto out;
	loader = open_exec(name);
	err = PTR_ERR(loader);
	if (IS_ERR(loader))
		goto out;
	/* a loader the caller may not read makes the process undumpable */
	would_dump(bprm, loader);
	/*
	 * Last, so that nothing above fails with an attach left pending.
	 * Refused (seccomp): the exec fails rather than start a PE that
	 * cannot run.
	 */
	err = ntpe_attach(loader);
	if (err) {
		allow_write_access(loader);
		fput(loader);
		goto out;
	}
	bprm->interpreter = loader;
	bprm->have_execfd = 1;
out:
	kfree(name);
	return err;
}

static struct linux_binfmt ntpe_format = {
	.module = THIS_MODULE,
	.load_binary = ntpe_load_binary,
};

void ntps_binfmt_init(void)
{
	register_binfmt(&ntpe_format);
}

void ntps_binfmt_exit(void)
{
	unregister_binfmt(&ntpe_format);
}
