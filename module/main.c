// SPDX-License-Identifier: GPL-2.0
/*
 * ntpersonality: a Windows NT (XP SP3) system-call personality for 32-bit
 * x86 Linux processes.
 *
 * Load order, undone in reverse on unload: symbol lookup, processes (the
 * tracepoints that follow fork/exec/exit), the arch entry points, and last
 * the control device through which processes attach.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include "internal.h"
#include "dispatch.h"
#include "i386/arch.h"
#include "ob/ob.h"
#include "cm/cm.h"
#include "ps/binfmt.h"
#include "mm/imagecache.h"

static long ntp_ioctl_attach(void __user *argp)
{
	struct ntp_attach a;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	if ((a.flags & ~NTP_ATTACH_FLAGS) || a.pad || a.pad2 || a.reserved ||
	    (!(a.flags & NTP_ATTACH_C_ROOT) && a.c_root_fd))
		return -EINVAL;
	return ntps_attach_current(a.flags, a.c_root_fd);
}

static long ntp_ioctl_query(void __user *argp)
{
	struct ntp_query q;
	pid_t tgid;
	int err;

	if (copy_from_user(&q, argp, sizeof(q)))
		return -EFAULT;
	if (q.pad)
		return -EINVAL;
	/* q.pid is in the caller's pid namespace; 0 is the caller */
	err = ntps_query(q.pid, &q.state, &tgid);
	if (err)
		return err;
	q.tgid = tgid;
	return copy_to_user(argp, &q, sizeof(q)) ? -EFAULT : 0;
}

static long ntp_ioctl_set_gate(u32 __user *argp)
{
	u32 gate;

	if (get_user(gate, argp))
		return -EFAULT;
	if (!nt_process_current())
		return -ENOENT;
	return nt_arch_set_gate(gate);
}

static long ntp_ioctl_set_dispatchers(void __user *argp)
{
	struct ntp_dispatchers d;
	struct nt_process *proc = nt_process_current();

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	if (d.flags)
		return -EINVAL;
	if (d.user_apc >= TASK_SIZE || d.exception >= TASK_SIZE ||
	    d.ldr_thunk >= TASK_SIZE)
		return -EFAULT;
	if (!proc)
		return -ENOENT;
	WRITE_ONCE(proc->env.apc_dispatcher, d.user_apc);
	WRITE_ONCE(proc->env.exception_dispatcher, d.exception);
	WRITE_ONCE(proc->env.ldr_thunk, d.ldr_thunk);
	return 0;
}

static long ntp_ioctl_set_image(void __user *argp)
{
	struct ntp_image img;

	if (copy_from_user(&img, argp, sizeof(img)))
		return -EFAULT;
	return ntps_set_image(&img);
}

static long ntp_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case NTP_IOC_ATTACH:
		return ntp_ioctl_attach(argp);
	case NTP_IOC_DETACH:
		return ntps_detach_current();
	case NTP_IOC_QUERY:
		return ntp_ioctl_query(argp);
	case NTP_IOC_SET_GATE:
		return ntp_ioctl_set_gate(argp);
	case NTP_IOC_SET_DISPATCHERS:
		return ntp_ioctl_set_dispatchers(argp);
	case NTP_IOC_SET_IMAGE:
		return ntp_ioctl_set_image(argp);
	default:
		return -ENOIOCTLCMD;
	}
}

static const struct file_operations ntp_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = ntp_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice ntp_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = NTP_DEVICE_NAME,
	.fops = &ntp_fops,
	.mode = 0666,
};

static int __init ntp_init(void)
{
	int err;

	pr_info("version %s: pti=%s sep=%s cpus=%u\n", NTP_VERSION,
		boot_cpu_has(X86_FEATURE_PTI) ? "on" : "off",
		boot_cpu_has(X86_FEATURE_SEP) ? "yes" : "no", num_online_cpus());

	err = nt_lookup_init();
	if (err)
		return err;
	err = nt_dispatch_init();
	if (err)
		return err;
	err = ntob_init();
	if (err)
		goto err_dispatch;
	err = cm_init();
	if (err)
		goto err_ob;
	err = ntps_init();
	if (err)
		goto err_cm;
	err = nt_arch_init();
	if (err)
		goto err_ps;
	err = ntmm_imagecache_init();
	if (err)
		goto err_arch;
	err = misc_register(&ntp_misc);
	if (err)
		goto err_cache;
	/* last: an exec'd PE attaches through the device's code paths */
	ntps_binfmt_init();
	return 0;

err_cache:
	ntmm_imagecache_exit();
err_arch:
	nt_arch_exit();
err_ps:
	ntps_exit();
err_cm:
	cm_exit();
err_ob:
	ntob_exit();
err_dispatch:
	nt_dispatch_exit();
	return err;
}

/*
 * Not quite the reverse of init: no thread is attached any more (each
 * holds a module reference), but the teardown of the last processes may
 * still be queued, holding handles and a SharedUserData clock user. Drain
 * it (ntps_exit) before the pages and the clock's hrtimer go away.
 */
static void __exit ntp_exit(void)
{
	ntps_binfmt_exit();
	misc_deregister(&ntp_misc);
	ntps_exit();
	nt_arch_exit();
	cm_exit();
	ntob_exit();
	ntmm_imagecache_exit();
	nt_dispatch_exit();
}

module_init(ntp_init);
module_exit(ntp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Windows NT system-call personality for i386 processes");
MODULE_VERSION(NTP_VERSION);
MODULE_AUTHOR("ntpersonality developers");
