// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_local: module entry points and the target template.
 */
#define pr_fmt(fmt) "scst_local: " fmt

#include <linux/module.h>

#include "local.h"

static struct scst_tgt_template scst_local_template = {
	.name		= SCST_LOCAL_NAME,
	.owner		= THIS_MODULE,
	.add_target	= scst_local_add_target,
	.remove_target	= scst_local_remove_target,
	.enable_target	= scst_local_enable_target,
	.rdy_to_xfer	= scst_local_rdy_to_xfer,
	.xmit_response	= scst_local_xmit_response,
};

static int __init scst_local_init(void)
{
	int ret;

	ret = scst_local_host_init(&scst_local_template);
	if (ret)
		return ret;
	ret = scst_register_target_driver(&scst_local_template);
	if (ret)
		scst_local_host_exit();
	return ret;
}

/*
 * Every target pins this module (configfs item owner), so no target, no
 * session and no SCSI host of ours exists here.
 */
static void __exit scst_local_exit(void)
{
	scst_unregister_target_driver(&scst_local_template);
	scst_local_host_exit();
}

module_init(scst_local_init);
module_exit(scst_local_exit);

MODULE_DESCRIPTION("SCST local target driver: sessions as Linux SCSI hosts");
MODULE_LICENSE("GPL");
MODULE_VERSION(SCST_VERSION);
