// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: target drivers and their targets, targets/<driver>/<target>.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/module.h>
#include <linux/slab.h>

#include "scst_priv.h"

static struct config_group scst_targets_group;
static struct config_group scst_drivers_group;
static LIST_HEAD(scst_driver_list);
static LIST_HEAD(scst_tgt_list);

/* --- attributes of a target --- */

static ssize_t scst_tgt_enabled_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(item_to_tgt(item)->enabled));
}

static ssize_t scst_tgt_enabled_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct scst_tgt *tgt = item_to_tgt(item);
	bool enable;
	int ret = 0;

	if (scst_parse_bool(page, &enable)) {
		scst_log_attr(item, "enabled", "expected 0 or 1");
		return -EINVAL;
	}

	/*
	 * Driver callbacks run without scst_cfg_mutex: they register and
	 * unregister sessions, which take it.
	 */
	mutex_lock(&tgt->enable_mutex);
	if (enable != tgt->enabled) {
		/* Accept sessions before the driver starts creating them. */
		if (enable)
			WRITE_ONCE(tgt->enabled, true);
		if (tgt->tt->enable_target)
			ret = tgt->tt->enable_target(tgt, enable);
		if (ret) {
			scst_log_attr(item, "enabled", "driver refused: %d",
				      ret);
			enable = !enable;
		}
		WRITE_ONCE(tgt->enabled, enable);
	}
	mutex_unlock(&tgt->enable_mutex);
	return ret ? ret : count;
}
CONFIGFS_ATTR(scst_tgt_, enabled);

/* Whether a target port of any target has relative port id @id. */
bool scst_rel_tgt_id_used(u16 id)
{
	struct scst_tport *tport;
	struct scst_tgt *tgt;

	lockdep_assert_held(&scst_cfg_mutex);
	list_for_each_entry(tgt, &scst_tgt_list, entry)
		list_for_each_entry(tport, &tgt->tports, entry)
			if (tport->rel_tgt_id == id)
				return true;
	return false;
}

/* Unmap every LUN of every initiator group that links to @dev. */
void scst_targets_unmap_dev(struct scst_dev *dev)
{
	struct scst_tgt *tgt;
	struct scst_acg *acg;

	lockdep_assert_held(&scst_cfg_mutex);
	list_for_each_entry(tgt, &scst_tgt_list, entry) {
		scst_acg_unmap_dev(tgt->def_acg, dev);
		list_for_each_entry(acg, &tgt->acgs, entry)
			scst_acg_unmap_dev(acg, dev);
	}
}

/**
 * scst_for_each_tport() - call @fn for every target port of every target
 * @fn: the function
 * @data: passed to @fn
 */
void scst_for_each_tport(void (*fn)(struct scst_tport *tport, void *data),
			 void *data)
{
	struct scst_tport *tport;
	struct scst_tgt *tgt;

	lockdep_assert_held(&scst_cfg_mutex);
	list_for_each_entry(tgt, &scst_tgt_list, entry)
		list_for_each_entry(tport, &tgt->tports, entry)
			fn(tport, data);
}

/* REGISTER AND MOVE names a target port by its relative id. */
bool scst_tgt_rel_id_exists(u16 rel_tgt_id)
{
	bool ret;

	mutex_lock(&scst_cfg_mutex);
	ret = scst_rel_tgt_id_used(rel_tgt_id);
	mutex_unlock(&scst_cfg_mutex);
	return ret;
}

static ssize_t scst_tgt_rel_tgt_id_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n",
			  READ_ONCE(item_to_tgt(item)->port1->rel_tgt_id));
}

static ssize_t scst_tgt_rel_tgt_id_store(struct config_item *item,
					 const char *page, size_t count)
{
	struct scst_tgt *tgt = item_to_tgt(item);
	int ret = 0;
	u16 id;

	if (kstrtou16(page, 0, &id) || !id) {
		scst_log_attr(item, "rel_tgt_id", "expected 1..65535");
		return -EINVAL;
	}

	mutex_lock(&tgt->enable_mutex);
	mutex_lock(&scst_cfg_mutex);
	if (tgt->enabled) {
		scst_log_attr(item, "rel_tgt_id", "cannot change while enabled");
		ret = -EBUSY;
	} else if (id != tgt->port1->rel_tgt_id && scst_rel_tgt_id_used(id)) {
		scst_log_attr(item, "rel_tgt_id", "%u is used by another port",
			      id);
		ret = -EEXIST;
	} else {
		WRITE_ONCE(tgt->port1->rel_tgt_id, id);
	}
	mutex_unlock(&scst_cfg_mutex);
	mutex_unlock(&tgt->enable_mutex);
	return ret ? ret : count;
}
CONFIGFS_ATTR(scst_tgt_, rel_tgt_id);

/* --- API for target drivers --- */

/**
 * scst_tgt_from_item() - the target behind a driver attribute's item
 * @item: the config_item passed to a driver's target attribute
 */
struct scst_tgt *scst_tgt_from_item(struct config_item *item)
{
	return item_to_tgt(item);
}
EXPORT_SYMBOL_GPL(scst_tgt_from_item);

/**
 * scst_tgt_group() - a target's configfs group, for driver default groups
 * @tgt: the target
 */
struct config_group *scst_tgt_group(struct scst_tgt *tgt)
{
	return &tgt->group;
}
EXPORT_SYMBOL_GPL(scst_tgt_group);

/**
 * scst_tgt_name() - a target's name (its directory name)
 * @tgt: the target
 */
const char *scst_tgt_name(struct scst_tgt *tgt)
{
	return config_item_name(&tgt->group.cg_item);
}
EXPORT_SYMBOL_GPL(scst_tgt_name);

/**
 * scst_tgt_priv() - the driver's private pointer of a target
 * @tgt: the target
 */
void *scst_tgt_priv(struct scst_tgt *tgt)
{
	return tgt->priv;
}
EXPORT_SYMBOL_GPL(scst_tgt_priv);

/**
 * scst_tgt_set_priv() - set the driver's private pointer of a target
 * @tgt: the target
 * @priv: the pointer
 */
void scst_tgt_set_priv(struct scst_tgt *tgt, void *priv)
{
	tgt->priv = priv;
}
EXPORT_SYMBOL_GPL(scst_tgt_set_priv);

/**
 * scst_tgt_enabled() - whether the target accepts sessions
 * @tgt: the target
 */
bool scst_tgt_enabled(struct scst_tgt *tgt)
{
	return READ_ONCE(tgt->enabled);
}
EXPORT_SYMBOL_GPL(scst_tgt_enabled);

/* --- targets/<driver>/<target> --- */

static void scst_tgt_release(struct config_item *item)
{
	struct scst_tgt *tgt = item_to_tgt(item);

	scst_acg_destroy(tgt->def_acg);
	kfree(tgt);
}

static struct configfs_item_operations scst_tgt_item_ops = {
	.release	= scst_tgt_release,
};

u16 scst_rel_tgt_id_next(void)
{
	u16 id = 1;

	while (scst_rel_tgt_id_used(id) && id < U16_MAX)
		id++;
	return id;
}

static struct config_group *scst_tgt_make(struct config_group *group,
					  const char *name)
{
	struct scst_tgt_template *tt =
		container_of(group, struct scst_tgt_template, group);
	struct scst_tgt *tgt;
	int ret;

	if (strlen(name) > 223) {
		scst_log_attr(&group->cg_item, name, "name too long");
		return ERR_PTR(-ENAMETOOLONG);
	}
	tgt = kzalloc(sizeof(*tgt), GFP_KERNEL);
	if (!tgt)
		return ERR_PTR(-ENOMEM);
	tgt->tt = tt;
	mutex_init(&tgt->enable_mutex);
	INIT_LIST_HEAD(&tgt->acgs);
	INIT_LIST_HEAD(&tgt->sessions);
	INIT_LIST_HEAD(&tgt->tports);
	config_group_init_type_name(&tgt->group, name, &tt->tgt_type);

	tgt->def_acg = scst_acg_create(tgt, NULL);
	if (!tgt->def_acg) {
		kfree(tgt);
		return ERR_PTR(-ENOMEM);
	}
	configfs_add_default_group(&tgt->def_acg->luns_group, &tgt->group);
	config_group_init_type_name(&tgt->groups_group, "groups",
				    &scst_groups_type);
	configfs_add_default_group(&tgt->groups_group, &tgt->group);
	ret = scst_tports_init(tgt);
	if (ret) {
		config_item_put(&tgt->group.cg_item);
		return ERR_PTR(ret);
	}

	ret = tt->add_target ? tt->add_target(tgt) : 0;
	if (ret) {
		config_item_put(&tgt->port1->group.cg_item);
		config_item_put(&tgt->group.cg_item);
		return ERR_PTR(ret);
	}
	mutex_lock(&scst_cfg_mutex);
	tgt->port1->rel_tgt_id = scst_rel_tgt_id_next();
	list_add_tail(&tgt->port1->entry, &tgt->tports);
	list_add_tail(&tgt->entry, &scst_tgt_list);
	mutex_unlock(&scst_cfg_mutex);
	return &tgt->group;
}

static void scst_tgt_drop(struct config_group *group, struct config_item *item)
{
	struct scst_tgt *tgt = item_to_tgt(item);

	mutex_lock(&tgt->enable_mutex);
	if (tgt->enabled && tgt->tt->enable_target)
		tgt->tt->enable_target(tgt, false);
	WRITE_ONCE(tgt->enabled, false);
	if (tgt->tt->remove_target)
		tgt->tt->remove_target(tgt);
	mutex_unlock(&tgt->enable_mutex);

	mutex_lock(&scst_cfg_mutex);
	WARN_ON(!list_empty(&tgt->sessions));
	list_del(&tgt->entry);
	/* ports/1 is a default group: no drop_item of its own */
	list_del(&tgt->port1->entry);
	scst_alua_tport_gone(tgt->port1);
	mutex_unlock(&scst_cfg_mutex);
	config_item_put(item);
}

static struct configfs_group_operations scst_driver_group_ops = {
	.make_group	= scst_tgt_make,
	.drop_item	= scst_tgt_drop,
};

static const struct config_item_type scst_driver_type = {
	.ct_group_ops	= &scst_driver_group_ops,
	.ct_owner	= THIS_MODULE,
};

static const struct config_item_type scst_targets_type = {
	.ct_owner	= THIS_MODULE,
};

/* drivers/ and drivers/<driver>/: only the driver's default groups below */
static const struct config_item_type scst_drivers_type = {
	.ct_owner	= THIS_MODULE,
};

static struct configfs_attribute *scst_tgt_core_attrs[] = {
	&scst_tgt_attr_enabled,
	&scst_tgt_attr_rel_tgt_id,
	NULL,
};

static int scst_driver_build_attrs(struct scst_tgt_template *tt)
{
	int ncore = ARRAY_SIZE(scst_tgt_core_attrs) - 1;
	struct configfs_attribute **a;
	int n = 0;

	for (a = tt->tgt_attrs; a && *a; a++)
		n++;
	tt->all_attrs = kcalloc(ncore + n + 1, sizeof(*a), GFP_KERNEL);
	if (!tt->all_attrs)
		return -ENOMEM;
	memcpy(tt->all_attrs, scst_tgt_core_attrs, ncore * sizeof(*a));
	if (n)
		memcpy(&tt->all_attrs[ncore], tt->tgt_attrs, n * sizeof(*a));
	return 0;
}

/* drivers/<tt->name>/ with the driver's groups as its default groups */
static int scst_driver_register_groups(struct scst_tgt_template *tt)
{
	struct config_group **g;
	int ret;

	config_group_init_type_name(&tt->drv_group, tt->name,
				    &scst_drivers_type);
	for (g = tt->drv_groups; *g; g++)
		configfs_add_default_group(*g, &tt->drv_group);
	ret = configfs_register_group(&scst_drivers_group, &tt->drv_group);
	if (ret) {
		pr_err("cannot register drivers/%s: %d\n", tt->name, ret);
		/* configfs_add_default_group() linked them: unlink again */
		for (g = tt->drv_groups; *g; g++)
			list_del_init(&(*g)->group_entry);
		tt->drv_groups = NULL;
	}
	return ret;
}

/**
 * scst_register_target_driver() - make a target driver available
 * @tt: the driver's template; lives until scst_unregister_target_driver()
 *
 * Creates targets/<tt->name>/ in configfs and, if @tt->drv_groups is set,
 * drivers/<tt->name>/ with those groups below it.  The driver module stays
 * pinned while any of its targets, or any item the driver lets the admin
 * create below drivers/<tt->name>/, exists.
 *
 * Return: 0 or a negative errno.
 */
int scst_register_target_driver(struct scst_tgt_template *tt)
{
	struct scst_tgt_template *other;
	int ret;

	if (!tt->name || !tt->xmit_response)
		return -EINVAL;
	ret = scst_driver_build_attrs(tt);
	if (ret)
		return ret;
	tt->tgt_type = (struct config_item_type) {
		.ct_item_ops	= &scst_tgt_item_ops,
		.ct_attrs	= tt->all_attrs,
		.ct_owner	= tt->owner,
	};
	config_group_init_type_name(&tt->group, tt->name, &scst_driver_type);

	/*
	 * configfs_register_group() takes the subsystem mutex, under which
	 * every mkdir and rmdir in our tree runs and takes scst_cfg_mutex:
	 * register outside scst_cfg_mutex.
	 */
	mutex_lock(&scst_cfg_mutex);
	list_for_each_entry(other, &scst_driver_list, entry) {
		if (!strcmp(other->name, tt->name)) {
			ret = -EEXIST;
			break;
		}
	}
	if (!ret)
		list_add_tail(&tt->entry, &scst_driver_list);
	mutex_unlock(&scst_cfg_mutex);
	if (!ret) {
		ret = configfs_register_group(&scst_targets_group, &tt->group);
		if (ret) {
			mutex_lock(&scst_cfg_mutex);
			list_del(&tt->entry);
			mutex_unlock(&scst_cfg_mutex);
		}
	}
	if (!ret && tt->drv_groups) {
		ret = scst_driver_register_groups(tt);
		if (ret)
			scst_unregister_target_driver(tt);
		return ret;
	}
	if (ret) {
		kfree(tt->all_attrs);
		pr_err("cannot register target driver %s: %d\n", tt->name, ret);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(scst_register_target_driver);

/**
 * scst_unregister_target_driver() - remove a target driver
 * @tt: the template
 *
 * Called from the driver's module exit; no target of it exists then.
 * Removes drivers/<tt->name>/ too.
 */
void scst_unregister_target_driver(struct scst_tgt_template *tt)
{
	if (tt->drv_groups)
		configfs_unregister_group(&tt->drv_group);
	mutex_lock(&scst_cfg_mutex);
	list_del(&tt->entry);
	mutex_unlock(&scst_cfg_mutex);
	configfs_unregister_group(&tt->group);
	kfree(tt->all_attrs);
}
EXPORT_SYMBOL_GPL(scst_unregister_target_driver);

int scst_targets_init(struct config_group *parent)
{
	config_group_init_type_name(&scst_targets_group, "targets",
				    &scst_targets_type);
	configfs_add_default_group(&scst_targets_group, parent);
	config_group_init_type_name(&scst_drivers_group, "drivers",
				    &scst_drivers_type);
	configfs_add_default_group(&scst_drivers_group, parent);
	return 0;
}

void scst_targets_exit(void)
{
}
