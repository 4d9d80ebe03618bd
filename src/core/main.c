// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: module init and exit.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/module.h>
#include <linux/workqueue.h>

#include "scst_priv.h"
#include "netlink.h"

struct workqueue_struct *scst_wq;

static int __init scst_init(void)
{
	int ret;

	/*
	 * One worker pool per CPU: a command is executed on the CPU that
	 * queued it, so the data stays in that CPU's cache.
	 */
	scst_wq = alloc_workqueue("scst", WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!scst_wq)
		return -ENOMEM;

	ret = scst_buf_init();
	if (ret)
		goto destroy_wq;

	ret = scst_configfs_init();
	if (ret)
		goto buf_exit;

	ret = scst_netlink_init();
	if (ret)
		goto configfs_exit;

	pr_info("version %s loaded\n", SCST_VERSION);
	return 0;

configfs_exit:
	scst_configfs_exit();
buf_exit:
	scst_buf_exit();
destroy_wq:
	destroy_workqueue(scst_wq);
	return ret;
}

static void __exit scst_exit(void)
{
	scst_netlink_exit();
	scst_configfs_exit();
	/*
	 * RCU callbacks of removed devices and LUNs run code of this
	 * module; a LUN's percpu_ref release queues one more.
	 */
	rcu_barrier();
	rcu_barrier();
	scst_buf_exit();
	destroy_workqueue(scst_wq);
	pr_info("unloaded\n");
}

module_init(scst_init);
module_exit(scst_exit);

MODULE_DESCRIPTION("SCST: generic SCSI target core");
MODULE_LICENSE("GPL");
MODULE_VERSION(SCST_VERSION);
