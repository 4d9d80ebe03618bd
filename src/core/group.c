// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: initiator groups, targets/<drv>/<tgt>/groups/<group>, and
 * their initiator names and patterns, .../initiators/<name-or-pattern>.
 */
#define pr_fmt(fmt) "scst: " fmt

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
	kfree(item_to_initiator(item));
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
		kfree(ini);
		return ERR_PTR(ret);
	}
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
