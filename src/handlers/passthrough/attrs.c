// SPDX-License-Identifier: GPL-2.0-only
/*
 * Configfs attributes of pass-through devices (handlers/dev_<type>/<dev>/)
 *
 *   max_xfer_kb  rw  largest transfer of one request to the device in
 *                    KiB, 0 = the device's queue limit
 */
#include <linux/kernel.h>

#include "pt.h"

static ssize_t pt_max_xfer_kb_show(struct config_item *item, char *page)
{
	struct pt_dev *pd = to_pt(scst_dev_from_item(item));

	return sysfs_emit(page, "%u\n", READ_ONCE(pd->max_xfer_kb));
}

static ssize_t pt_max_xfer_kb_store(struct config_item *item,
				    const char *page, size_t count)
{
	struct scst_device *dev = scst_dev_from_item(item);
	u32 val;

	if (kstrtou32(page, 0, &val) || (val && val < 4) ||
	    val > (SCST_MAX_IO_BYTES >> 10)) {
		pr_warn("handlers/%s/%s: max_xfer_kb: expected 0 or 4..%u\n",
			dev->handler->name, scst_dev_name(dev),
			SCST_MAX_IO_BYTES >> 10);
		return -EINVAL;
	}
	WRITE_ONCE(to_pt(dev)->max_xfer_kb, val);
	return count;
}
CONFIGFS_ATTR(pt_, max_xfer_kb);

struct configfs_attribute *pt_dev_attrs[] = {
	&pt_attr_max_xfer_kb,
	NULL,
};
