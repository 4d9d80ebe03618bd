// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_user: read-only attributes of handlers/scst_user/<device>/.
 */
#include <linux/configfs.h>
#include <linux/sysfs.h>

#include "user.h"

static struct su_dev *su_of(struct config_item *item)
{
	return scst_dev_from_item(item)->priv;
}

static ssize_t su_pid_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", su_of(item)->pid);
}
CONFIGFS_ATTR_RO(su_, pid);

static ssize_t su_queue_depth_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", su_of(item)->nr_slots);
}
CONFIGFS_ATTR_RO(su_, queue_depth);

static ssize_t su_slot_size_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", su_of(item)->slot_size);
}
CONFIGFS_ATTR_RO(su_, slot_size);

static ssize_t su_block_size_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", su_of(item)->block_size);
}
CONFIGFS_ATTR_RO(su_, block_size);

static ssize_t su_nr_blocks_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%llu\n", READ_ONCE(su_of(item)->nr_blocks));
}
CONFIGFS_ATTR_RO(su_, nr_blocks);

/* commands in slots (queued or held by the process) plus those waiting */
static ssize_t su_outstanding_show(struct config_item *item, char *page)
{
	struct su_dev *su = su_of(item);
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&su->lock, flags);
	n = su->in_use + su->nr_pending;
	spin_unlock_irqrestore(&su->lock, flags);
	return sysfs_emit(page, "%u\n", n);
}
CONFIGFS_ATTR_RO(su_, outstanding);

/* data commands given to the process since registration */
static ssize_t su_count_show(struct config_item *item, char *page, bool zc)
{
	struct su_dev *su = su_of(item);
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&su->lock, flags);
	n = zc ? su->zc_cmds : su->copied_cmds;
	spin_unlock_irqrestore(&su->lock, flags);
	return sysfs_emit(page, "%llu\n", n);
}

/* their buffer was a slot: no copy */
static ssize_t su_zero_copy_cmds_show(struct config_item *item, char *page)
{
	return su_count_show(item, page, true);
}
CONFIGFS_ATTR_RO(su_, zero_copy_cmds);

/* their data was copied between the core's buffer and a slot */
static ssize_t su_copied_cmds_show(struct config_item *item, char *page)
{
	return su_count_show(item, page, false);
}
CONFIGFS_ATTR_RO(su_, copied_cmds);

struct configfs_attribute *su_dev_attrs[] = {
	&su_attr_pid,
	&su_attr_queue_depth,
	&su_attr_slot_size,
	&su_attr_block_size,
	&su_attr_nr_blocks,
	&su_attr_outstanding,
	&su_attr_zero_copy_cmds,
	&su_attr_copied_cmds,
	NULL,
};
