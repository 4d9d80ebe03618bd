// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: LUNs, .../luns/<N>, mapped to a device by the symlink
 * .../luns/<N>/device -> handlers/<handler>/<device>.
 *
 * A LUN is visible to initiators only while it links to a device: the
 * link publishes it in its group's xarray, unlinking removes it again.
 * Its I/O counters (`stats`, stats.c) live from mkdir to rmdir, across
 * links to different devices.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/slab.h>

#include "scst_priv.h"

static inline struct scst_lun *item_to_lun(struct config_item *item)
{
	return container_of(to_config_group(item), struct scst_lun, group);
}

static inline struct scst_acg *luns_item_to_acg(struct config_item *item)
{
	return container_of(to_config_group(item), struct scst_acg,
			    luns_group);
}

static ssize_t scst_lun_read_only_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(item_to_lun(item)->read_only));
}

static ssize_t scst_lun_read_only_store(struct config_item *item,
					const char *page, size_t count)
{
	bool ro;

	if (scst_parse_bool(page, &ro)) {
		scst_log_attr(item, "read_only", "expected 0 or 1");
		return -EINVAL;
	}
	WRITE_ONCE(item_to_lun(item)->read_only, ro);
	return count;
}
CONFIGFS_ATTR(scst_lun_, read_only);

static ssize_t scst_lun_stats_show(struct config_item *item, char *page)
{
	return scst_stats_show(item_to_lun(item)->stats, page);
}
CONFIGFS_ATTR_RO(scst_lun_, stats);

static struct configfs_attribute *scst_lun_attrs[] = {
	&scst_lun_attr_read_only,
	&scst_lun_attr_stats,
	NULL,
};

static int scst_lun_allow_link(struct config_item *src,
			       struct config_item *target)
{
	struct scst_lun *lun = item_to_lun(src);
	struct scst_dev *dev;
	int ret;

	mutex_lock(&scst_cfg_mutex);
	if (lun->stale) {
		scst_log_attr(src, "device",
			      "stale link to a removed device: remove it first");
		ret = -EBUSY;
		goto unlock;
	}
	if (!scst_item_is_dev(target)) {
		scst_log_attr(src, "device", "link target is not a device");
		ret = -EINVAL;
		goto unlock;
	}
	if (lun->dev) {
		scst_log_attr(src, "device", "already mapped");
		ret = -EEXIST;
		goto unlock;
	}
	dev = item_to_dev(target);
	if (list_empty(&dev->entry)) {
		/* scst_dev_unregister() is removing it */
		scst_log_attr(src, "device", "the device is going away");
		ret = -ENOENT;
		goto unlock;
	}
	lun->dev = dev;
	ret = xa_err(xa_store(&lun->acg->luns, lun->id, lun, GFP_KERNEL));
	if (ret) {
		lun->dev = NULL;
		goto unlock;
	}
	dev->nr_luns++;
	scst_acg_luns_changed(lun->acg);
unlock:
	mutex_unlock(&scst_cfg_mutex);
	return ret;
}

static void scst_lun_drop_link(struct config_item *src,
			       struct config_item *target)
{
	struct scst_lun *lun = item_to_lun(src);

	/*
	 * A lookup that found the LUN before the erase sees either the
	 * device, which stays allocated for a grace period after it is
	 * removed, or NULL.
	 */
	mutex_lock(&scst_cfg_mutex);
	if (lun->stale) {
		/* the device went away before (scst_lun_unmap_dev()) */
		lun->stale = false;
		mutex_unlock(&scst_cfg_mutex);
		return;
	}
	xa_erase(&lun->acg->luns, lun->id);
	lun->dev->nr_luns--;
	WRITE_ONCE(lun->dev, NULL);
	scst_acg_luns_changed(lun->acg);
	mutex_unlock(&scst_cfg_mutex);
}

/*
 * A device made by the kernel is going away while LUNs of @acg may link
 * to it: unpublish those LUNs.  Their configfs link stays (the kernel
 * cannot remove a symlink); it is marked stale, and its removal by the
 * admin only clears the mark.
 */
void scst_acg_unmap_dev(struct scst_acg *acg, struct scst_dev *dev)
{
	struct scst_lun *lun;
	unsigned long id;
	bool changed = false;

	xa_for_each(&acg->luns, id, lun) {
		if (lun->dev != dev)
			continue;
		xa_erase(&acg->luns, id);
		dev->nr_luns--;
		WRITE_ONCE(lun->dev, NULL);
		lun->stale = true;
		changed = true;
	}
	if (changed)
		scst_acg_luns_changed(acg);
}

static void scst_lun_free(struct scst_lun *lun)
{
	percpu_ref_exit(&lun->ref);
	scst_stats_free(lun->stats);
	kfree(lun);
}

static void scst_lun_free_rcu(struct rcu_head *rcu)
{
	scst_lun_free(container_of(rcu, struct scst_lun, rcu));
}

/*
 * The last command addressed through a removed LUN is finished (any
 * context).  A lookup may still hold the pointer under rcu_read_lock().
 */
static void scst_lun_ref_release(struct percpu_ref *ref)
{
	struct scst_lun *lun = container_of(ref, struct scst_lun, ref);

	call_rcu(&lun->rcu, scst_lun_free_rcu);
}

/* rmdir: configfs refused it while the LUN linked to a device */
static void scst_lun_release(struct config_item *item)
{
	percpu_ref_kill(&item_to_lun(item)->ref);
}

static struct configfs_item_operations scst_lun_item_ops = {
	.release	= scst_lun_release,
	.allow_link	= scst_lun_allow_link,
	.drop_link	= scst_lun_drop_link,
};

static const struct config_item_type scst_lun_type = {
	.ct_item_ops	= &scst_lun_item_ops,
	.ct_attrs	= scst_lun_attrs,
	.ct_owner	= THIS_MODULE,
};

/* "0".."16383" without leading zeros, so that one number has one name */
static int scst_lun_parse_name(const char *name, u16 *id)
{
	char canon[8];

	if (kstrtou16(name, 10, id) || *id > SCST_MAX_LUN)
		return -EINVAL;
	snprintf(canon, sizeof(canon), "%u", *id);
	return strcmp(name, canon) ? -EINVAL : 0;
}

static struct config_group *scst_lun_make(struct config_group *group,
					  const char *name)
{
	struct scst_lun *lun;
	u16 id;

	if (scst_lun_parse_name(name, &id)) {
		scst_log_attr(&group->cg_item, name,
			      "LUN must be a number 0..%d", SCST_MAX_LUN);
		return ERR_PTR(-EINVAL);
	}
	lun = kzalloc(sizeof(*lun), GFP_KERNEL);
	if (!lun)
		return ERR_PTR(-ENOMEM);
	lun->stats = scst_stats_alloc();
	if (!lun->stats ||
	    percpu_ref_init(&lun->ref, scst_lun_ref_release, 0, GFP_KERNEL)) {
		scst_stats_free(lun->stats);
		kfree(lun);
		return ERR_PTR(-ENOMEM);
	}
	lun->id = id;
	lun->acg = luns_item_to_acg(&group->cg_item);
	config_group_init_type_name(&lun->group, name, &scst_lun_type);
	return &lun->group;
}

static struct configfs_group_operations scst_luns_group_ops = {
	.make_group	= scst_lun_make,
};

const struct config_item_type scst_luns_type = {
	.ct_group_ops	= &scst_luns_group_ops,
	.ct_owner	= THIS_MODULE,
};
