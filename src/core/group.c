// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: initiator groups, targets/<drv>/<tgt>/groups/<group>, and
 * their initiator names and patterns, .../initiators/<name-or-pattern>.
 *
 * A target driver may add a group of its own to every initiator entry of
 * its targets (->make_initiator(), e.g. iSCSI's per-initiator CHAP
 * credentials in auth/).  The core owns that group's initial reference
 * and drops it when the entry is released (after it left the lists), so
 * scst_initiator_drv_group() can take a reference under scst_cfg_mutex
 * while the entry is listed.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/glob.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "scst_priv.h"

static const struct config_item_type scst_acg_type;
static const struct config_item_type scst_initiators_type;

static inline struct scst_acg *item_to_acg(struct config_item *item)
{
	return container_of(to_config_group(item), struct scst_acg, group);
}

static inline struct scst_initiator *item_to_initiator(struct config_item *item)
{
	return container_of(to_config_group(item), struct scst_initiator,
			    group);
}

/**
 * scst_acg_create() - allocate an initiator group
 * @tgt: its target
 * @name: groups/<name>, or NULL for the target's default LUN set
 *
 * Return: the group or NULL.
 */
struct scst_acg *scst_acg_create(struct scst_tgt *tgt, const char *name)
{
	struct scst_acg *acg = kzalloc(sizeof(*acg), GFP_KERNEL);

	if (!acg)
		return NULL;
	acg->tgt = tgt;
	xa_init(&acg->luns);
	INIT_LIST_HEAD(&acg->initiators);
	INIT_LIST_HEAD(&acg->entry);
	config_group_init_type_name(&acg->luns_group, "luns", &scst_luns_type);
	if (name) {
		config_group_init_type_name(&acg->group, name, &scst_acg_type);
		config_group_init_type_name(&acg->initiators_group,
					    "initiators",
					    &scst_initiators_type);
		configfs_add_default_group(&acg->initiators_group,
					   &acg->group);
		configfs_add_default_group(&acg->luns_group, &acg->group);
	}
	return acg;
}

/**
 * scst_acg_destroy() - free an initiator group after an RCU grace period
 * @acg: the group; it has no LUNs and no session points to it
 */
void scst_acg_destroy(struct scst_acg *acg)
{
	WARN_ON(!xa_empty(&acg->luns));
	xa_destroy(&acg->luns);
	kfree_rcu(acg, rcu);
}

/* --- groups/<group> --- */

static void scst_acg_release(struct config_item *item)
{
	scst_acg_destroy(item_to_acg(item));
}

static struct configfs_item_operations scst_acg_item_ops = {
	.release	= scst_acg_release,
};

static const struct config_item_type scst_acg_type = {
	.ct_item_ops	= &scst_acg_item_ops,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *scst_acg_make(struct config_group *group,
					  const char *name)
{
	struct scst_tgt *tgt = item_to_tgt(group->cg_item.ci_parent);
	struct scst_acg *acg;

	if (strlen(name) >= SCST_NAME_MAX) {
		scst_log_attr(&group->cg_item, name, "name too long");
		return ERR_PTR(-ENAMETOOLONG);
	}
	acg = scst_acg_create(tgt, name);
	if (!acg)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&scst_cfg_mutex);
	list_add_tail(&acg->entry, &tgt->acgs);
	mutex_unlock(&scst_cfg_mutex);
	return &acg->group;
}

static void scst_acg_drop(struct config_group *group, struct config_item *item)
{
	struct scst_acg *acg = item_to_acg(item);

	/* Its initiators and LUNs are gone: configfs removed them first. */
	mutex_lock(&scst_cfg_mutex);
	list_del(&acg->entry);
	mutex_unlock(&scst_cfg_mutex);
	config_item_put(item);
}

static struct configfs_group_operations scst_groups_group_ops = {
	.make_group	= scst_acg_make,
	.drop_item	= scst_acg_drop,
};

const struct config_item_type scst_groups_type = {
	.ct_group_ops	= &scst_groups_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* --- groups/<group>/initiators/<name-or-pattern> --- */

static void scst_initiator_release(struct config_item *item)
{
	struct scst_initiator *ini = item_to_initiator(item);

	if (ini->drv_group)
		config_group_put(ini->drv_group);
	kfree(ini);
}

static struct configfs_item_operations scst_initiator_item_ops = {
	.release	= scst_initiator_release,
};

static const struct config_item_type scst_initiator_type = {
	.ct_item_ops	= &scst_initiator_item_ops,
	.ct_owner	= THIS_MODULE,
};

static bool scst_pattern_valid(const char *name)
{
	const char *p;

	if (!*name || strlen(name) > SCST_PATTERN_MAX)
		return false;
	for (p = name; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

static struct scst_initiator *scst_initiator_find(struct scst_tgt *tgt,
						  const char *name)
{
	struct scst_initiator *ini;
	struct scst_acg *acg;

	lockdep_assert_held(&scst_cfg_mutex);
	list_for_each_entry(acg, &tgt->acgs, entry)
		list_for_each_entry(ini, &acg->initiators, entry)
			if (!strcmp(config_item_name(&ini->group.cg_item),
				    name))
				return ini;
	return NULL;
}

/**
 * scst_initiator_match() - the entry that decides an initiator's group
 * @tgt: the target
 * @name: the initiator's name
 *
 * The first entry (groups in creation order) naming @name exactly;
 * failing that, the first pattern that matches it.
 *
 * Return: the entry or NULL.
 */
struct scst_initiator *scst_initiator_match(struct scst_tgt *tgt,
					     const char *name)
{
	struct scst_initiator *ini;
	struct scst_acg *acg;

	lockdep_assert_held(&scst_cfg_mutex);
	list_for_each_entry(acg, &tgt->acgs, entry)
		list_for_each_entry(ini, &acg->initiators, entry)
			if (!ini->wildcard &&
			    !strcmp(config_item_name(&ini->group.cg_item),
				    name))
				return ini;
	list_for_each_entry(acg, &tgt->acgs, entry)
		list_for_each_entry(ini, &acg->initiators, entry)
			if (ini->wildcard &&
			    glob_match(config_item_name(&ini->group.cg_item),
				       name))
				return ini;
	return NULL;
}

/**
 * scst_initiator_drv_group() - the driver's group of an initiator's entry
 * @tgt: the target
 * @initiator: the initiator's name
 *
 * Looks up the entry scst_initiator_match() picks for @initiator (the one
 * that decides its group and LUNs) and returns the group the driver's
 * ->make_initiator() gave it.
 *
 * Context: process context; takes scst_cfg_mutex.
 * Return: the group with a reference the caller drops with
 * config_group_put(), or NULL (no entry, or the entry has no such group).
 */
struct config_group *scst_initiator_drv_group(struct scst_tgt *tgt,
					      const char *initiator)
{
	struct config_group *g = NULL;
	struct scst_initiator *ini;

	mutex_lock(&scst_cfg_mutex);
	ini = scst_initiator_match(tgt, initiator);
	if (ini && ini->drv_group)
		g = config_group_get(ini->drv_group);
	mutex_unlock(&scst_cfg_mutex);
	return g;
}
EXPORT_SYMBOL_GPL(scst_initiator_drv_group);

/* The driver's own group of a new entry, if it has one. */
static int scst_initiator_make_drv(struct scst_acg *acg,
				   struct scst_initiator *ini,
				   const char *name)
{
	struct scst_tgt *tgt = acg->tgt;
	struct config_group *g;

	if (!tgt->tt->make_initiator)
		return 0;
	g = tgt->tt->make_initiator(tgt, config_item_name(&acg->group.cg_item),
				    name);
	if (IS_ERR(g))
		return PTR_ERR(g);
	ini->drv_group = g;
	return 0;
}

static struct config_group *scst_initiator_make(struct config_group *group,
						const char *name)
{
	struct scst_acg *acg = item_to_acg(group->cg_item.ci_parent);
	struct scst_initiator *ini;
	int ret = 0;

	if (!scst_pattern_valid(name)) {
		scst_log_attr(&group->cg_item, name,
			      "invalid initiator name or pattern");
		return ERR_PTR(-EINVAL);
	}
	ini = kzalloc(sizeof(*ini), GFP_KERNEL);
	if (!ini)
		return ERR_PTR(-ENOMEM);
	config_group_init_type_name(&ini->group, name, &scst_initiator_type);
	ini->acg = acg;
	ini->wildcard = strpbrk(name, "*?[") != NULL;
	ret = scst_initiator_make_drv(acg, ini, name);
	if (ret) {
		kfree(ini);
		return ERR_PTR(ret);
	}

	mutex_lock(&scst_cfg_mutex);
	if (scst_initiator_find(acg->tgt, name)) {
		scst_log_attr(&group->cg_item, name,
			      "already in a group of this target");
		ret = -EEXIST;
	} else {
		list_add_tail(&ini->entry, &acg->initiators);
		scst_sess_rematch(acg->tgt);
	}
	mutex_unlock(&scst_cfg_mutex);
	if (ret) {
		if (ini->drv_group)
			config_group_put(ini->drv_group);
		kfree(ini);
		return ERR_PTR(ret);
	}
	/* its initial reference is ours, dropped by the entry's release */
	if (ini->drv_group)
		configfs_add_default_group(ini->drv_group, &ini->group);
	return &ini->group;
}

static void scst_initiator_drop(struct config_group *group,
				struct config_item *item)
{
	struct scst_initiator *ini = item_to_initiator(item);

	mutex_lock(&scst_cfg_mutex);
	list_del(&ini->entry);
	scst_sess_rematch(ini->acg->tgt);
	mutex_unlock(&scst_cfg_mutex);
	config_item_put(item);
}

static struct configfs_group_operations scst_initiators_group_ops = {
	.make_group	= scst_initiator_make,
	.drop_item	= scst_initiator_drop,
};

static const struct config_item_type scst_initiators_type = {
	.ct_group_ops	= &scst_initiators_group_ops,
	.ct_owner	= THIS_MODULE,
};
