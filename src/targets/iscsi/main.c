// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: module entry points, the target template and the global
 * lists (see iscsi.h for the rules).
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include <linux/module.h>

#include "iscsi.h"

DEFINE_MUTEX(iscsi_mutex);
LIST_HEAD(iscsi_tgts);
LIST_HEAD(iscsi_conns);
DECLARE_WAIT_QUEUE_HEAD(iscsi_wq);
struct workqueue_struct *iscsi_tx_wq;
struct isc_params iscsi_discovery_params;

static struct scst_tgt_template iscsi_template = {
	.name		= ISCSI_NAME,
	.owner		= THIS_MODULE,
	.reports_overflow = true,	/* the O bit and Residual Count */
	/* commands are submitted by the rx thread, which holds no lock */
	.submit_in_task	= true,
	.tgt_attrs	= iscsi_tgt_attrs,
	.drv_groups	= iscsi_drv_groups,
	.add_target	= iscsi_add_target,
	.remove_target	= iscsi_remove_target,
	.enable_target	= iscsi_enable_target,
	.make_initiator	= iscsi_make_initiator,
	.rdy_to_xfer	= iscsi_rdy_to_xfer,
	.xmit_response	= iscsi_xmit_response,
};

static int __init iscsi_init(void)
{
	int ret;

	isc_params_set_target_defaults(&iscsi_discovery_params);
	iscsi_configfs_init();
	ret = iscsi_cmd_init();
	if (ret)
		return ret;
	iscsi_tx_wq = alloc_workqueue("iscsi_tx", WQ_UNBOUND | WQ_MEM_RECLAIM,
				      0);
	if (!iscsi_tx_wq) {
		ret = -ENOMEM;
		goto cmd_exit;
	}
	ret = scst_register_target_driver(&iscsi_template);
	if (ret)
		goto wq;
	return 0;
wq:
	destroy_workqueue(iscsi_tx_wq);
cmd_exit:
	iscsi_cmd_exit();
	return ret;
}

/*
 * Targets and portals pin this module (configfs), connections hold a
 * reference each: nothing of ours is alive here.
 */
static void __exit iscsi_exit(void)
{
	scst_unregister_target_driver(&iscsi_template);
	destroy_workqueue(iscsi_tx_wq);
	iscsi_cmd_exit();
}

module_init(iscsi_init);
module_exit(iscsi_exit);

MODULE_DESCRIPTION("SCST iSCSI target driver (RFC 7143)");
MODULE_LICENSE("GPL");
MODULE_VERSION(SCST_VERSION);
MODULE_SOFTDEP("pre: crc32c md5 sha256");
