// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: target ports, targets/<driver>/<target>/ports/<tpgt>/.
 *
 * SAM-5 names a target port by its target and, for iSCSI, the target
 * portal group tag (TPGT) of the portal the initiator came in through.
 * Every target has port 1 (ports/1, made with the target; the target's
 * `rel_tgt_id` is its relative port id); mkdir ports/<tpgt> adds port
 * <tpgt> (2..65535).  A driver binds each session to the port it
 * arrived at (scst_sess_set_tpgt(); drivers that do not stay on port
 * 1).  The port gives the session its relative target port id
 * (reservations, VPD 83h), its ALUA port group (alua.c) and counts its
 * commands (stats).
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/slab.h>

#include "scst_priv.h"

static inline struct scst_tport *item_to_tport(struct config_item *item)
{
	return container_of(to_config_group(item), struct scst_tport, group);
}

static ssize_t scst_tport_rel_tgt_id_show(struct config_item *item,
					  char *page)
{
	return sysfs_emit(page, "%u\n",
			  READ_ONCE(item_to_tport(item)->rel_tgt_id));
}

static ssize_t scst_tport_rel_tgt_id_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct scst_tport *tport = item_to_tport(item);
	struct scst_tgt *tgt = tport->tgt;
	int ret = 0;
	u16 id;

	if (kstrtou16(page, 0, &id) || !id) {
		scst_log_attr(item, "rel_tgt_id", "expected 1..65535");
		return -EINVAL;
	}
	mutex_lock(&tgt->enable_mutex);
	mutex_lock(&scst_cfg_mutex);
	if (tgt->enabled) {
		scst_log_attr(item, "rel_tgt_id",
			      "cannot change while the target is enabled");
		ret = -EBUSY;
	} else if (id != tport->rel_tgt_id && scst_rel_tgt_id_used(id)) {
		scst_log_attr(item, "rel_tgt_id", "%u is used by another port",
			      id);
		ret = -EEXIST;
	} else {
		WRITE_ONCE(tport->rel_tgt_id, id);
	}
	mutex_unlock(&scst_cfg_mutex);
	mutex_unlock(&tgt->enable_mutex);
	return ret ? ret : count;
}
CONFIGFS_ATTR(scst_tport_, rel_tgt_id);

static ssize_t scst_tport_stats_show(struct config_item *item, char *page)
{
	return scst_stats_show(item_to_tport(item)->stats, page);
}
CONFIGFS_ATTR_RO(scst_tport_, stats);

static struct configfs_attribute *scst_tport_attrs[] = {
	&scst_tport_attr_rel_tgt_id,
	&scst_tport_attr_port_group,
	&scst_tport_attr_stats,
	NULL,
};

static void scst_tport_release(struct config_item *item)
{
	struct scst_tport *tport = item_to_tport(item);

	scst_stats_free(tport->stats);
	kfree(tport);
}

static struct configfs_item_operations scst_tport_item_ops = {
	.release	= scst_tport_release,
};

static const struct config_item_type scst_tport_type = {
	.ct_item_ops	= &scst_tport_item_ops,
	.ct_attrs	= scst_tport_attrs,
	.ct_owner	= THIS_MODULE,
};

/**
 * scst_tport_create() - allocate a target port, not yet listed
 * @tgt: its target
 * @tpgt: its port group tag
 *
 * Return: the port (its item holds one reference) or NULL.
 */
struct scst_tport *scst_tport_create(struct scst_tgt *tgt, u16 tpgt)
{
	struct scst_tport *tport;
	char name[8];

	tport = kzalloc(sizeof(*tport), GFP_KERNEL);
	if (!tport)
		return NULL;
	tport->stats = scst_stats_alloc();
	if (!tport->stats) {
		kfree(tport);
		return NULL;
	}
	tport->tgt = tgt;
	tport->tpgt = tpgt;
	INIT_LIST_HEAD(&tport->entry);
	INIT_LIST_HEAD(&tport->alua_entry);
	snprintf(name, sizeof(name), "%u", tpgt);
	config_group_init_type_name(&tport->group, name, &scst_tport_type);
	return tport;
}

static struct scst_tport *scst_tport_find(struct scst_tgt *tgt, u16 tpgt)
{
	struct scst_tport *tport;

	lockdep_assert_held(&scst_cfg_mutex);
	list_for_each_entry(tport, &tgt->tports, entry)
		if (tport->tpgt == tpgt)
			return tport;
	return NULL;
}

static struct config_group *scst_ports_make(struct config_group *group,
					    const char *name)
{
	struct scst_tgt *tgt = container_of(group, struct scst_tgt,
					    ports_group);
	struct scst_tport *tport;
	u16 tpgt;

	if (kstrtou16(name, 10, &tpgt) || tpgt < 2) {
		scst_log_attr(&group->cg_item, name,
			      "expected a port group tag 2..65535");
		return ERR_PTR(-EINVAL);
	}
	tport = scst_tport_create(tgt, tpgt);
	if (!tport)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&scst_cfg_mutex);
	if (scst_tport_find(tgt, tpgt)) {
		mutex_unlock(&scst_cfg_mutex);
		scst_log_attr(&group->cg_item, name, "port exists");
		config_item_put(&tport->group.cg_item);
		return ERR_PTR(-EEXIST);
	}
	tport->rel_tgt_id = scst_rel_tgt_id_next();
	list_add_tail(&tport->entry, &tgt->tports);
	mutex_unlock(&scst_cfg_mutex);
	return &tport->group;
}

/* Sessions bound to the port keep it (their item reference). */
static void scst_ports_drop(struct config_group *group,
			    struct config_item *item)
{
	struct scst_tport *tport = item_to_tport(item);

	mutex_lock(&scst_cfg_mutex);
	list_del_init(&tport->entry);
	scst_alua_tport_gone(tport);
	mutex_unlock(&scst_cfg_mutex);
	config_item_put(item);
}

static struct configfs_group_operations scst_ports_group_ops = {
	.make_group	= scst_ports_make,
	.drop_item	= scst_ports_drop,
};

static const struct config_item_type scst_ports_type = {
	.ct_group_ops	= &scst_ports_group_ops,
	.ct_owner	= THIS_MODULE,
};

/**
 * scst_tports_init() - ports/ and ports/1 of a new target
 * @tgt: the target, not yet listed
 *
 * Return: 0 or -ENOMEM.
 */
int scst_tports_init(struct scst_tgt *tgt)
{
	tgt->port1 = scst_tport_create(tgt, 1);
	if (!tgt->port1)
		return -ENOMEM;
	config_group_init_type_name(&tgt->ports_group, "ports",
				    &scst_ports_type);
	configfs_add_default_group(&tgt->port1->group, &tgt->ports_group);
	configfs_add_default_group(&tgt->ports_group, &tgt->group);
	return 0;
}

/**
 * scst_tgt_has_tpgt() - whether a target has a port with a group tag
 * @tgt: the target
 * @tpgt: the tag (iSCSI: the portal's)
 *
 * Context: process context; takes scst_cfg_mutex.
 */
bool scst_tgt_has_tpgt(struct scst_tgt *tgt, u16 tpgt)
{
	bool ret;

	mutex_lock(&scst_cfg_mutex);
	ret = scst_tport_find(tgt, tpgt);
	mutex_unlock(&scst_cfg_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(scst_tgt_has_tpgt);

/**
 * scst_sess_set_tpgt() - bind a session to the target port it came in at
 * @sess: the session, before its first command
 * @tpgt: the port group tag
 *
 * A session that is not bound is on port 1.
 *
 * Context: process context; takes scst_cfg_mutex.
 * Return: 0, or -ENOENT if the target has no port @tpgt.
 */
int scst_sess_set_tpgt(struct scst_session *sess, u16 tpgt)
{
	struct scst_tport *tport;

	if (tpgt == 1)
		return 0;
	mutex_lock(&scst_cfg_mutex);
	tport = scst_tport_find(sess->tgt, tpgt);
	if (tport && !sess->tport) {
		config_item_get(&tport->group.cg_item);
		sess->tport = tport;
	}
	mutex_unlock(&scst_cfg_mutex);
	return tport ? 0 : -ENOENT;
}
EXPORT_SYMBOL_GPL(scst_sess_set_tpgt);

/* Unregistration: drop the session's reference to its port. */
void scst_tport_sess_gone(struct scst_session *sess)
{
	if (sess->tport)
		config_item_put(&sess->tport->group.cg_item);
	sess->tport = NULL;
}

/* The target port of a session. */
struct scst_tport *scst_sess_tport(struct scst_session *sess)
{
	return sess->tport ? sess->tport : sess->tgt->port1;
}

/**
 * scst_sess_rel_tgt_id() - relative target port id of a session's port
 * @sess: the session
 */
u16 scst_sess_rel_tgt_id(struct scst_session *sess)
{
	return READ_ONCE(scst_sess_tport(sess)->rel_tgt_id);
}
EXPORT_SYMBOL_GPL(scst_sess_rel_tgt_id);
