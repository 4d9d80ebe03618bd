// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_local: targets/scst_local/<target>/sessions/<initiator>.
 *
 * mkdir of a session declares an initiator; while the target is enabled
 * the session is online: an SCST session plus a Linux SCSI host.  rmdir
 * takes the host down and ends the session.  Enabling and disabling the
 * target brings every session of it online or offline.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <scsi/scsi_host.h>

#include "local.h"

/* The configfs schema's charset for <session>: A-Za-z0-9_.:@,+=- */
static bool scst_local_name_valid(const char *name)
{
	const char *p;

	for (p = name; *p; p++)
		if (!isalnum(*p) && !strchr("_.:@,+=-", *p))
			return false;
	return p != name && p - name <= SCST_LOCAL_NAME_MAX;
}

static void scst_local_sess_release(struct config_item *item)
{
	kfree(to_scst_local_sess(item));
}

static struct configfs_item_operations scst_local_sess_item_ops = {
	.release	= scst_local_sess_release,
};

/*
 * The core's counters of the SCST session while the session is online
 * (since it came online), nothing while it is offline.
 */
static ssize_t scst_local_sess_stats_show(struct config_item *item,
					  char *page)
{
	struct scst_local_sess *ls = to_scst_local_sess(item);
	struct scst_local_host *lh;
	ssize_t ret = 0;

	mutex_lock(&ls->ltgt->mutex);
	if (ls->shost) {
		lh = shost_priv(ls->shost);
		ret = scst_sess_stats_show(lh->sess, page);
	}
	mutex_unlock(&ls->ltgt->mutex);
	return ret;
}
CONFIGFS_ATTR_RO(scst_local_sess_, stats);

static struct configfs_attribute *scst_local_sess_attrs[] = {
	&scst_local_sess_attr_stats,
	NULL,
};

/* A session item pins the module: configfs takes a reference on ct_owner. */
static const struct config_item_type scst_local_sess_type = {
	.ct_item_ops	= &scst_local_sess_item_ops,
	.ct_attrs	= scst_local_sess_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_item *scst_local_make_sess(struct config_group *group,
						const char *name)
{
	struct scst_local_tgt *ltgt = to_scst_local_tgt(group);
	struct scst_local_sess *ls;
	int ret = 0;

	if (!scst_local_name_valid(name)) {
		pr_warn("targets/%s/%s/sessions: %s: invalid initiator name (1..%d of A-Za-z0-9_.:@,+=-)\n",
			SCST_LOCAL_NAME, scst_tgt_name(ltgt->tgt), name,
			SCST_LOCAL_NAME_MAX);
		return ERR_PTR(-EINVAL);
	}
	ls = kzalloc(sizeof(*ls), GFP_KERNEL);
	if (!ls)
		return ERR_PTR(-ENOMEM);
	config_item_init_type_name(&ls->item, name, &scst_local_sess_type);
	ls->ltgt = ltgt;
	INIT_LIST_HEAD(&ls->entry);

	mutex_lock(&ltgt->mutex);
	if (ltgt->nr_sessions >= SCST_LOCAL_MAX_SESSIONS) {
		pr_warn("targets/%s/%s/sessions: %s: more than %d sessions\n",
			SCST_LOCAL_NAME, scst_tgt_name(ltgt->tgt), name,
			SCST_LOCAL_MAX_SESSIONS);
		ret = -ENOSPC;
	} else if (ltgt->enabled) {
		ret = scst_local_host_add(ls);
	}
	if (!ret) {
		list_add_tail(&ls->entry, &ltgt->sessions);
		ltgt->nr_sessions++;
	}
	mutex_unlock(&ltgt->mutex);

	if (ret) {
		config_item_put(&ls->item);
		return ERR_PTR(ret);
	}
	return &ls->item;
}

static void scst_local_drop_sess(struct config_group *group,
				 struct config_item *item)
{
	struct scst_local_tgt *ltgt = to_scst_local_tgt(group);
	struct scst_local_sess *ls = to_scst_local_sess(item);

	mutex_lock(&ltgt->mutex);
	if (ls->shost)
		scst_local_host_remove(ls);
	list_del(&ls->entry);
	ltgt->nr_sessions--;
	mutex_unlock(&ltgt->mutex);
	config_item_put(item);
}

static void scst_local_sessions_release(struct config_item *item)
{
	struct scst_local_tgt *ltgt = to_scst_local_tgt(to_config_group(item));

	WARN_ON(!list_empty(&ltgt->sessions));
	mutex_destroy(&ltgt->mutex);
	kfree(ltgt);
}

static struct configfs_item_operations scst_local_sessions_item_ops = {
	.release	= scst_local_sessions_release,
};

static struct configfs_group_operations scst_local_sessions_group_ops = {
	.make_item	= scst_local_make_sess,
	.drop_item	= scst_local_drop_sess,
};

static const struct config_item_type scst_local_sessions_type = {
	.ct_item_ops	= &scst_local_sessions_item_ops,
	.ct_group_ops	= &scst_local_sessions_group_ops,
	.ct_owner	= THIS_MODULE,
};

/**
 * scst_local_add_target() - give a new target its sessions/ group
 * @tgt: the target, being created by the core's mkdir
 *
 * Return: 0 or -ENOMEM.
 */
int scst_local_add_target(struct scst_tgt *tgt)
{
	struct scst_local_tgt *ltgt;

	ltgt = kzalloc(sizeof(*ltgt), GFP_KERNEL);
	if (!ltgt)
		return -ENOMEM;
	ltgt->tgt = tgt;
	mutex_init(&ltgt->mutex);
	INIT_LIST_HEAD(&ltgt->sessions);
	config_group_init_type_name(&ltgt->sessions_group, "sessions",
				    &scst_local_sessions_type);
	configfs_add_default_group(&ltgt->sessions_group, scst_tgt_group(tgt));
	scst_tgt_set_priv(tgt, ltgt);
	return 0;
}

/**
 * scst_local_remove_target() - the target's directory is being removed
 * @tgt: the target; configfs has unlinked its default groups already and
 *       refused the rmdir while any session existed
 *
 * Drops the initial reference of sessions/, which frees the target's
 * state once configfs is done with it.
 */
void scst_local_remove_target(struct scst_tgt *tgt)
{
	struct scst_local_tgt *ltgt = scst_tgt_priv(tgt);

	scst_tgt_set_priv(tgt, NULL);
	list_del_init(&ltgt->sessions_group.group_entry);
	config_group_put(&ltgt->sessions_group);
}

/**
 * scst_local_enable_target() - bring every session online or offline
 * @tgt: the target
 * @enable: true when `enabled` became 1 (the core accepts sessions of
 *          @tgt by then), false when it becomes 0
 *
 * If one session cannot be brought online, the ones before it are taken
 * offline again and the target stays disabled.
 *
 * Return: 0 or the negative errno of the session that failed.
 */
int scst_local_enable_target(struct scst_tgt *tgt, bool enable)
{
	struct scst_local_tgt *ltgt = scst_tgt_priv(tgt);
	struct scst_local_sess *ls;
	int ret = 0;

	mutex_lock(&ltgt->mutex);
	if (enable == ltgt->enabled)
		goto unlock;
	if (!enable) {
		ltgt->enabled = false;
		list_for_each_entry(ls, &ltgt->sessions, entry)
			if (ls->shost)
				scst_local_host_remove(ls);
		goto unlock;
	}
	list_for_each_entry(ls, &ltgt->sessions, entry) {
		ret = scst_local_host_add(ls);
		if (ret)
			break;
	}
	if (!ret) {
		ltgt->enabled = true;
		goto unlock;
	}
	/* The core logs the refusal. */
	list_for_each_entry_continue_reverse(ls, &ltgt->sessions, entry)
		scst_local_host_remove(ls);
unlock:
	mutex_unlock(&ltgt->mutex);
	return ret;
}
