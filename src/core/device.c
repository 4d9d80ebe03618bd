// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: device handlers and their devices, handlers/<handler>/<dev>.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/ctype.h>

#include "scst_priv.h"
#include "netlink.h"

static struct config_group scst_handlers_group;
static LIST_HEAD(scst_handler_list);
LIST_HEAD(scst_dev_list);

/* --- the `enable` attribute and the in-flight reference --- */

static void scst_dev_io_release(struct percpu_ref *ref)
{
	struct scst_dev *dev = container_of(ref, struct scst_dev, io_ref);

	complete(&dev->io_drained);
}

static int scst_dev_enable(struct scst_dev *dev)
{
	struct scst_dev_handler *h = dev->pub.handler;
	int ret;

	lockdep_assert_held(&dev->mutex);
	ret = h->enable(&dev->pub);
	if (ret)
		return ret;
	/* reservations start clean, or from the APTPL file */
	scst_pr_file_load(dev);
	reinit_completion(&dev->io_drained);
	percpu_ref_resurrect(&dev->io_ref);
	dev->enabled = true;
	return 0;
}

static void scst_dev_disable(struct scst_dev *dev)
{
	lockdep_assert_held(&dev->mutex);
	dev->enabled = false;
	percpu_ref_kill(&dev->io_ref);
	wait_for_completion(&dev->io_drained);
	dev->pub.handler->disable(&dev->pub);
}

static ssize_t scst_dev_enable_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(item_to_dev(item)->enabled));
}

static ssize_t scst_dev_enable_store(struct config_item *item,
				     const char *page, size_t count)
{
	struct scst_dev *dev = item_to_dev(item);
	bool enable;
	int ret = 0;

	if (scst_parse_bool(page, &enable)) {
		scst_log_attr(item, "enable", "expected 0 or 1");
		return -EINVAL;
	}

	mutex_lock(&dev->mutex);
	/* A handler that refuses to enable logs the reason itself. */
	if (enable && !dev->enabled)
		ret = scst_dev_enable(dev);
	else if (!enable && dev->enabled)
		scst_dev_disable(dev);
	mutex_unlock(&dev->mutex);
	return ret ? ret : count;
}
CONFIGFS_ATTR(scst_dev_, enable);

static ssize_t scst_dev_pr_state_show(struct config_item *item, char *page)
{
	return scst_pr_show(item_to_dev(item), page, PAGE_SIZE);
}
CONFIGFS_ATTR_RO(scst_dev_, pr_state);

/*
 * Commands in the core that hold the device (from the LUN lookup to
 * scst_cmd_finished()), counted on the sessions' lists when read: 0 when
 * idle, so tests can tell that aborted commands were not leaked.
 */
static ssize_t scst_dev_inflight_show(struct config_item *item, char *page)
{
	struct scst_dev *dev = item_to_dev(item);
	struct scst_session *sess;
	struct scst_cmd *cmd;
	unsigned long flags;
	unsigned int n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(sess, &scst_sess_list, global_entry) {
		spin_lock_irqsave(&sess->lock, flags);
		list_for_each_entry(cmd, &sess->cmds, list)
			if (cmd->dev == &dev->pub)
				n++;
		spin_unlock_irqrestore(&sess->lock, flags);
	}
	rcu_read_unlock();
	return sysfs_emit(page, "%u\n", n);
}
CONFIGFS_ATTR_RO(scst_dev_, inflight);

/* --- API for handlers --- */

/**
 * scst_dev_from_item() - the device behind a handler attribute's item
 * @item: the config_item passed to a handler's show/store function
 */
struct scst_device *scst_dev_from_item(struct config_item *item)
{
	return &item_to_dev(item)->pub;
}
EXPORT_SYMBOL_GPL(scst_dev_from_item);

/**
 * scst_dev_attr_lock() - lock a device for an attribute write
 * @dev: the device
 * @attr: attribute name, for the log line
 * @creation: the attribute fixes identity or backing and may only change
 *            while the device is disabled
 *
 * Return: 0 with the device locked, or -EBUSY (logged) when @creation is
 * set and the device is enabled.
 */
int scst_dev_attr_lock(struct scst_device *dev, const char *attr,
		       bool creation)
{
	struct scst_dev *d = to_scst_dev(dev);

	mutex_lock(&d->mutex);
	if (creation && d->enabled) {
		mutex_unlock(&d->mutex);
		scst_log_attr(&d->group.cg_item, attr,
			      "cannot change while enabled");
		return -EBUSY;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(scst_dev_attr_lock);

/**
 * scst_dev_attr_unlock() - undo scst_dev_attr_lock()
 * @dev: the device
 */
void scst_dev_attr_unlock(struct scst_device *dev)
{
	mutex_unlock(&to_scst_dev(dev)->mutex);
}
EXPORT_SYMBOL_GPL(scst_dev_attr_unlock);

/**
 * scst_dev_enabled() - whether the device's backing store is open
 * @dev: the device
 */
bool scst_dev_enabled(struct scst_device *dev)
{
	return READ_ONCE(to_scst_dev(dev)->enabled);
}
EXPORT_SYMBOL_GPL(scst_dev_enabled);

/**
 * scst_dev_name() - the device's name (its directory under handlers/)
 * @dev: the device
 */
const char *scst_dev_name(struct scst_device *dev)
{
	return dev->name;
}
EXPORT_SYMBOL_GPL(scst_dev_name);

/**
 * scst_dev_capacity_changed() - the handler changed dev->nr_blocks
 * @dev: the device
 *
 * Every I_T nexus that sees the device gets CAPACITY DATA HAS CHANGED.
 */
void scst_dev_capacity_changed(struct scst_device *dev)
{
	scst_ua_dev_all(to_scst_dev(dev), NULL,
			SCST_SENSE_CAPACITY_DATA_CHANGED);
}
EXPORT_SYMBOL_GPL(scst_dev_capacity_changed);

/**
 * scst_dev_ua_all() - establish a UNIT ATTENTION on every nexus of @dev
 * @dev: the device
 * @key: sense key (normally UNIT ATTENTION)
 * @asc: additional sense code
 * @ascq: additional sense code qualifier
 */
void scst_dev_ua_all(struct scst_device *dev, u8 key, u8 asc, u8 ascq)
{
	scst_ua_dev_all(to_scst_dev(dev), NULL, key, asc, ascq);
}
EXPORT_SYMBOL_GPL(scst_dev_ua_all);

/**
 * scst_cmd_ua_others() - a UNIT ATTENTION for the other I_T nexuses
 * @cmd: the command that caused it (e.g. a MODE SELECT)
 * @key: sense key
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * Every I_T_L nexus that reaches cmd->dev gets the condition, except the
 * session @cmd came in on.
 */
void scst_cmd_ua_others(struct scst_cmd *cmd, u8 key, u8 asc, u8 ascq)
{
	scst_ua_dev_all(to_scst_dev(cmd->dev), cmd->sess, key, asc, ascq);
}
EXPORT_SYMBOL_GPL(scst_cmd_ua_others);

/* --- handlers/<handler>/<dev> --- */

bool scst_item_is_dev(struct config_item *item)
{
	struct scst_dev_handler *h;

	lockdep_assert_held(&scst_cfg_mutex);
	list_for_each_entry(h, &scst_handler_list, entry)
		if (item->ci_type == &h->dev_type)
			return true;
	return false;
}

static struct scst_dev *scst_dev_find(const char *name)
{
	struct scst_dev *dev;

	lockdep_assert_held(&scst_cfg_mutex);
	list_for_each_entry(dev, &scst_dev_list, entry)
		if (!strcmp(dev->pub.name, name))
			return dev;
	return NULL;
}

static bool scst_name_valid(const char *name)
{
	const char *p;

	if (!*name || strlen(name) >= SCST_NAME_MAX)
		return false;
	for (p = name; *p; p++)
		if (!isalnum(*p) && !strchr("._:-", *p))
			return false;
	return true;
}

static void scst_dev_free_rcu(struct rcu_head *rcu)
{
	struct scst_dev *dev = container_of(rcu, struct scst_dev, rcu);

	percpu_ref_exit(&dev->io_ref);
	scst_stats_free(dev->stats);
	kfree(dev);
}

/*
 * A command's LUN lookup may still hold a pointer to the device under
 * rcu_read_lock(): free it after a grace period.
 */
static void scst_dev_release(struct config_item *item)
{
	struct scst_dev *dev = item_to_dev(item);

	if (dev->pub.handler->free)
		dev->pub.handler->free(&dev->pub);
	scst_resv_free(&dev->resv);
	cancel_work_sync(&dev->event_work);
	call_rcu(&dev->rcu, scst_dev_free_rcu);
}

static struct configfs_item_operations scst_dev_item_ops = {
	.release	= scst_dev_release,
};

/* A new, disabled device named @name of handler @h, not yet listed. */
static struct scst_dev *scst_dev_new(struct scst_dev_handler *h,
				     const char *name)
{
	struct scst_dev *dev;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->stats = scst_stats_alloc();
	if (!dev->stats) {
		kfree(dev);
		return ERR_PTR(-ENOMEM);
	}
	ret = percpu_ref_init(&dev->io_ref, scst_dev_io_release,
			      PERCPU_REF_INIT_DEAD, GFP_KERNEL);
	if (ret) {
		scst_stats_free(dev->stats);
		kfree(dev);
		return ERR_PTR(ret);
	}
	mutex_init(&dev->mutex);
	init_completion(&dev->io_drained);
	spin_lock_init(&dev->order.lock);
	INIT_LIST_HEAD(&dev->order.deferred);
	scst_resv_init(&dev->resv);
	INIT_WORK(&dev->event_work, scst_nl_dev_event_work);
	config_group_init_type_name(&dev->group, name, &h->dev_type);
	dev->pub.name = config_item_name(&dev->group.cg_item);
	dev->pub.handler = h;
	dev->pub.block_shift = 9;
	return dev;
}

static void scst_dev_destroy_new(struct scst_dev *dev)
{
	percpu_ref_exit(&dev->io_ref);
	scst_stats_free(dev->stats);
	kfree(dev);
}

static struct config_group *scst_dev_make(struct config_group *group,
					  const char *name)
{
	struct scst_dev_handler *h =
		container_of(group, struct scst_dev_handler, group);
	struct scst_dev *dev;
	int ret;

	if (!scst_name_valid(name)) {
		scst_log_attr(&group->cg_item, name,
			      "invalid device name (letters, digits, . _ : -)");
		return ERR_PTR(-EINVAL);
	}

	dev = scst_dev_new(h, name);
	if (IS_ERR(dev))
		return ERR_CAST(dev);

	mutex_lock(&scst_cfg_mutex);
	if (scst_dev_find(name)) {
		ret = -EEXIST;
		scst_log_attr(&group->cg_item, name,
			      "a device of that name exists");
		goto unlock;
	}
	ret = h->alloc ? h->alloc(&dev->pub) : 0;
	if (ret)
		goto unlock;
	list_add_tail(&dev->entry, &scst_dev_list);
	mutex_unlock(&scst_cfg_mutex);
	return &dev->group;

unlock:
	mutex_unlock(&scst_cfg_mutex);
	scst_dev_destroy_new(dev);
	return ERR_PTR(ret);
}

static void scst_dev_drop(struct config_group *group, struct config_item *item)
{
	struct scst_dev *dev = item_to_dev(item);

	/* configfs refuses rmdir while a LUN links here: no LUN remains. */
	mutex_lock(&scst_cfg_mutex);
	list_del(&dev->entry);
	mutex_unlock(&scst_cfg_mutex);

	mutex_lock(&dev->mutex);
	if (dev->enabled)
		scst_dev_disable(dev);
	mutex_unlock(&dev->mutex);
	config_item_put(item);
}

/**
 * scst_dev_register() - create a device from the kernel
 * @h: its handler, registered
 * @name: the device's name under handlers/<h->name>/
 * @priv: the handler's state, stored in dev->priv before the device is
 *        visible
 *
 * For handlers whose devices are declared by something else than an
 * admin's mkdir (scst_user: a process).  The device appears disabled,
 * like a new mkdir'ed one; the admin maps it to LUNs and enables it.
 * It cannot be removed by rmdir, only by scst_dev_unregister().
 * h->alloc() is not called.  Must not be called with scst_cfg_mutex held.
 *
 * Return: the device, or ERR_PTR(-EINVAL) for an invalid name,
 * ERR_PTR(-EEXIST) when a device of that name exists, ERR_PTR(-ENOMEM).
 */
struct scst_device *scst_dev_register(struct scst_dev_handler *h,
				      const char *name, void *priv)
{
	struct scst_dev *dev;
	int ret;

	if (!scst_name_valid(name))
		return ERR_PTR(-EINVAL);
	dev = scst_dev_new(h, name);
	if (IS_ERR(dev))
		return ERR_CAST(dev);
	dev->pub.priv = priv;

	mutex_lock(&scst_cfg_mutex);
	if (scst_dev_find(name)) {
		mutex_unlock(&scst_cfg_mutex);
		scst_dev_destroy_new(dev);
		return ERR_PTR(-EEXIST);
	}
	list_add_tail(&dev->entry, &scst_dev_list);
	mutex_unlock(&scst_cfg_mutex);

	/* configfs takes its own locks, then mkdir/rmdir take ours */
	ret = configfs_register_group(&h->group, &dev->group);
	if (ret) {
		mutex_lock(&scst_cfg_mutex);
		list_del(&dev->entry);
		mutex_unlock(&scst_cfg_mutex);
		scst_dev_destroy_new(dev);
		return ERR_PTR(ret);
	}
	return &dev->pub;
}
EXPORT_SYMBOL_GPL(scst_dev_register);

/**
 * scst_dev_unregister() - remove a device made by scst_dev_register()
 * @dev: the device
 *
 * Unmaps every LUN that links to the device (initiators get REPORTED
 * LUNS DATA HAS CHANGED; each such LUN keeps a stale `device` link in
 * configfs that the admin removes with rm, and that LUN cannot be linked
 * again before), disables the device (waiting for the commands in
 * flight, which the handler must complete) and removes it from configfs.
 * h->free() runs when the last reference to the configfs item goes,
 * possibly before this returns.  Process context, no SCST lock held.
 */
void scst_dev_unregister(struct scst_device *dev)
{
	struct scst_dev *d = to_scst_dev(dev);

	mutex_lock(&scst_cfg_mutex);
	/* unlisted: scst_lun_allow_link() refuses it from now on */
	list_del_init(&d->entry);
	scst_targets_unmap_dev(d);
	mutex_unlock(&scst_cfg_mutex);

	mutex_lock(&d->mutex);
	if (d->enabled)
		scst_dev_disable(d);
	mutex_unlock(&d->mutex);
	configfs_unregister_group(&d->group);
	/* the reference of scst_dev_new(); ->release() frees the device */
	config_item_put(&d->group.cg_item);
}
EXPORT_SYMBOL_GPL(scst_dev_unregister);

static struct configfs_group_operations scst_handler_group_ops = {
	.make_group	= scst_dev_make,
	.drop_item	= scst_dev_drop,
};

static const struct config_item_type scst_handler_type = {
	.ct_group_ops	= &scst_handler_group_ops,
	.ct_owner	= THIS_MODULE,
};

static const struct config_item_type scst_handlers_type = {
	.ct_owner	= THIS_MODULE,
};

static int scst_handler_build_attrs(struct scst_dev_handler *h)
{
	struct configfs_attribute **a;
	int n = 0;

	for (a = h->dev_attrs; a && *a; a++)
		n++;
	h->all_attrs = kcalloc(n + 5, sizeof(*h->all_attrs), GFP_KERNEL);
	if (!h->all_attrs)
		return -ENOMEM;
	h->all_attrs[0] = &scst_dev_attr_enable;
	h->all_attrs[1] = &scst_dev_attr_pr_state;
	h->all_attrs[2] = &scst_dev_attr_inflight;
	h->all_attrs[3] = &scst_dev_attr_alua;
	if (n)
		memcpy(&h->all_attrs[4], h->dev_attrs, n * sizeof(*a));
	return 0;
}

/**
 * scst_register_dev_handler() - make a device handler available
 * @h: the handler; lives until scst_unregister_dev_handler()
 *
 * Creates handlers/<h->name>/ in configfs.  The handler module stays
 * pinned while any of its devices exists.
 *
 * Return: 0 or a negative errno.
 */
int scst_register_dev_handler(struct scst_dev_handler *h)
{
	struct scst_dev_handler *other;
	int ret;

	if (!h->name || !h->enable || !h->disable || !h->exec ||
	    !h->alloc_buf != !h->free_buf)
		return -EINVAL;
	ret = scst_handler_build_attrs(h);
	if (ret)
		return ret;
	h->dev_type = (struct config_item_type) {
		.ct_item_ops	= &scst_dev_item_ops,
		.ct_attrs	= h->all_attrs,
		.ct_owner	= h->owner,
	};
	config_group_init_type_name(&h->group, h->name, &scst_handler_type);

	/*
	 * configfs_register_group() takes the subsystem mutex, under which
	 * every mkdir and rmdir in our tree runs and takes scst_cfg_mutex:
	 * register outside scst_cfg_mutex.
	 */
	mutex_lock(&scst_cfg_mutex);
	list_for_each_entry(other, &scst_handler_list, entry) {
		if (!strcmp(other->name, h->name)) {
			ret = -EEXIST;
			break;
		}
	}
	if (!ret)
		list_add_tail(&h->entry, &scst_handler_list);
	mutex_unlock(&scst_cfg_mutex);
	if (!ret) {
		ret = configfs_register_group(&scst_handlers_group, &h->group);
		if (ret) {
			mutex_lock(&scst_cfg_mutex);
			list_del(&h->entry);
			mutex_unlock(&scst_cfg_mutex);
		}
	}
	if (ret) {
		kfree(h->all_attrs);
		pr_err("cannot register handler %s: %d\n", h->name, ret);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(scst_register_dev_handler);

/**
 * scst_unregister_dev_handler() - remove a device handler
 * @h: the handler
 *
 * Called from the handler's module exit; no device of it exists then.
 */
void scst_unregister_dev_handler(struct scst_dev_handler *h)
{
	mutex_lock(&scst_cfg_mutex);
	list_del(&h->entry);
	mutex_unlock(&scst_cfg_mutex);
	configfs_unregister_group(&h->group);
	kfree(h->all_attrs);
}
EXPORT_SYMBOL_GPL(scst_unregister_dev_handler);

int scst_handlers_init(struct config_group *parent)
{
	config_group_init_type_name(&scst_handlers_group, "handlers",
				    &scst_handlers_type);
	configfs_add_default_group(&scst_handlers_group, parent);
	return 0;
}

void scst_handlers_exit(void)
{
}
