// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: sessions (I_T nexuses) and their match to initiator groups.
 *
 * A session sees the LUNs of the first group that names its initiator
 * exactly; failing that, of the first group (in creation order) with a
 * matching pattern; failing that, the target's own luns/.  The match is
 * redone whenever initiators come or go, without dropping the session.
 *
 * A session is one I_T nexus: the initiator port (sess->port_name, for
 * iSCSI "<iqn>,i,0x<ISID>") and the target port (scst_sess_rel_tgt_id()).
 * Group matching uses the initiator name; UNIT ATTENTIONs, reservations
 * and registrations use the nexus.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/slab.h>
#include <linux/string.h>

#include "scst_priv.h"
#include "netlink.h"

/* Every session, for events that concern a device rather than a target. */
LIST_HEAD(scst_sess_list);

static struct scst_acg *scst_sess_match(struct scst_tgt *tgt,
					const char *name)
{
	struct scst_initiator *ini = scst_initiator_match(tgt, name);

	return ini ? ini->acg : tgt->def_acg;
}

/**
 * scst_tgt_visible() - whether an initiator has access to a target
 * @tgt: the target
 * @initiator: the initiator's name
 *
 * For discovery (iSCSI SendTargets): true if a group of @tgt names
 * @initiator (exactly or by a pattern), whatever its LUNs, or if none
 * does and the target's own luns/ holds at least one LUN.
 *
 * Context: process context; takes scst_cfg_mutex.
 */
bool scst_tgt_visible(struct scst_tgt *tgt, const char *initiator)
{
	struct scst_acg *acg;
	bool ret;

	mutex_lock(&scst_cfg_mutex);
	acg = scst_sess_match(tgt, initiator);
	ret = acg != tgt->def_acg || !xa_empty(&acg->luns);
	mutex_unlock(&scst_cfg_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(scst_tgt_visible);

/* Give every session of @tgt the group it matches now. */
void scst_sess_rematch(struct scst_tgt *tgt)
{
	struct scst_session *sess;
	struct scst_acg *acg;

	lockdep_assert_held(&scst_cfg_mutex);
	list_for_each_entry(sess, &tgt->sessions, entry) {
		acg = scst_sess_match(tgt, sess->initiator);
		if (acg == rcu_dereference_protected(sess->acg,
				lockdep_is_held(&scst_cfg_mutex)))
			continue;
		rcu_assign_pointer(sess->acg, acg);
		scst_ua_luns_changed(sess);
		scst_nl_event_luns_changed(sess);
	}
}

/* The LUN set of @acg changed: tell the sessions that see it. */
void scst_acg_luns_changed(struct scst_acg *acg)
{
	struct scst_session *sess;

	lockdep_assert_held(&scst_cfg_mutex);
	list_for_each_entry(sess, &acg->tgt->sessions, entry) {
		if (rcu_access_pointer(sess->acg) != acg)
			continue;
		scst_ua_luns_changed(sess);
		scst_nl_event_luns_changed(sess);
	}
}

/**
 * scst_for_each_dev_nexus() - call @fn for every I_T_L nexus reaching @dev
 * @dev: the device
 * @fn: called under rcu_read_lock() with the session and LUN number
 * @data: passed to @fn
 */
void scst_for_each_dev_nexus(struct scst_dev *dev,
			     void (*fn)(struct scst_session *sess, u16 lun,
					void *data),
			     void *data)
{
	struct scst_session *sess;
	struct scst_lun *lun;
	struct scst_acg *acg;
	unsigned long idx;

	rcu_read_lock();
	list_for_each_entry_rcu(sess, &scst_sess_list, global_entry) {
		acg = rcu_dereference(sess->acg);
		xa_for_each(&acg->luns, idx, lun)
			if (READ_ONCE(lun->dev) == dev)
				fn(sess, lun->id, data);
	}
	rcu_read_unlock();
}

static void scst_sess_ref_release(struct percpu_ref *ref)
{
	struct scst_session *sess = container_of(ref, struct scst_session, ref);

	complete(&sess->drained);
}

/**
 * scst_register_session_port() - start an I_T nexus named by its
 *	initiator port
 * @tgt: the target the initiator logged in to; it must be enabled
 * @initiator: the initiator's name (matched against group patterns)
 * @port_name: the initiator port name, the identity of the nexus for
 *	reservations (e.g. "<iqn>,i,0x<ISID>" for iSCSI, SPC-4 7.6.4.6);
 *	NULL: @initiator
 * @drv_priv: the driver's pointer, see scst_sess_priv()
 *
 * Two sessions of one initiator with different @port_name are two I_T
 * nexuses: their UNIT ATTENTIONs, reservations and registrations are
 * their own.  LUN masking looks at @initiator only.
 *
 * Context: process context; takes scst_cfg_mutex.
 * Return: the session or an ERR_PTR().
 */
struct scst_session *scst_register_session_port(struct scst_tgt *tgt,
						const char *initiator,
						const char *port_name,
						void *drv_priv)
{
	struct scst_session *sess;
	int ret = -ENOMEM;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return ERR_PTR(-ENOMEM);
	sess->initiator = kstrdup(initiator, GFP_KERNEL);
	if (!sess->initiator)
		goto free_sess;
	sess->port_name = kstrdup(port_name ?: initiator, GFP_KERNEL);
	if (!sess->port_name)
		goto free_name;
	sess->stats = scst_stats_alloc();
	if (!sess->stats)
		goto free_name;
	if (percpu_ref_init(&sess->ref, scst_sess_ref_release, 0, GFP_KERNEL))
		goto free_name;
	if (scst_ua_init_sess(sess))
		goto exit_ref;
	sess->tgt = tgt;
	sess->drv_priv = drv_priv;
	spin_lock_init(&sess->lock);
	INIT_LIST_HEAD(&sess->cmds);
	init_completion(&sess->drained);

	mutex_lock(&scst_cfg_mutex);
	if (!READ_ONCE(tgt->enabled)) {
		mutex_unlock(&scst_cfg_mutex);
		ret = -EACCES;
		goto free_ua;
	}
	rcu_assign_pointer(sess->acg, scst_sess_match(tgt, initiator));
	list_add_tail(&sess->entry, &tgt->sessions);
	list_add_tail_rcu(&sess->global_entry, &scst_sess_list);
	mutex_unlock(&scst_cfg_mutex);

	scst_nl_event_session(sess, true);
	return sess;

free_ua:
	scst_ua_free_sess(sess);
exit_ref:
	percpu_ref_exit(&sess->ref);
free_name:
	scst_stats_free(sess->stats);
	kfree(sess->port_name);
	kfree(sess->initiator);
free_sess:
	kfree(sess);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(scst_register_session_port);

/**
 * scst_register_session() - start an I_T nexus named by the initiator
 * @tgt: the target the initiator logged in to; it must be enabled
 * @initiator: the initiator's name, also its port name
 * @drv_priv: the driver's pointer, see scst_sess_priv()
 *
 * scst_register_session_port() with no port name of its own.
 *
 * Context: process context; takes scst_cfg_mutex.
 * Return: the session or an ERR_PTR().
 */
struct scst_session *scst_register_session(struct scst_tgt *tgt,
					   const char *initiator,
					   void *drv_priv)
{
	return scst_register_session_port(tgt, initiator, NULL, drv_priv);
}
EXPORT_SYMBOL_GPL(scst_register_session);

/**
 * scst_unregister_session() - end an I_T nexus
 * @sess: the session
 *
 * Waits until every command of the session was finished by the driver
 * (scst_cmd_finished()); the driver must keep answering ->xmit_response()
 * until then.
 *
 * Context: process context; takes scst_cfg_mutex.
 */
void scst_unregister_session(struct scst_session *sess)
{
	mutex_lock(&scst_cfg_mutex);
	list_del(&sess->entry);
	list_del_rcu(&sess->global_entry);
	mutex_unlock(&scst_cfg_mutex);
	/* scst_for_each_dev_nexus() may still be looking at it. */
	synchronize_rcu();

	percpu_ref_kill(&sess->ref);
	wait_for_completion(&sess->drained);
	scst_resv_sess_gone(sess);
	scst_nl_event_session(sess, false);
	scst_tport_sess_gone(sess);

	scst_ua_free_sess(sess);
	percpu_ref_exit(&sess->ref);
	scst_stats_free(sess->stats);
	kfree(sess->port_name);
	kfree(sess->initiator);
	kfree(sess);
}
EXPORT_SYMBOL_GPL(scst_unregister_session);

/**
 * scst_sess_priv() - the driver's pointer given at registration
 * @sess: the session
 */
void *scst_sess_priv(struct scst_session *sess)
{
	return sess->drv_priv;
}
EXPORT_SYMBOL_GPL(scst_sess_priv);

/**
 * scst_sess_initiator() - the initiator name of a session
 * @sess: the session
 */
const char *scst_sess_initiator(struct scst_session *sess)
{
	return sess->initiator;
}
EXPORT_SYMBOL_GPL(scst_sess_initiator);

/**
 * scst_sess_port_name() - the initiator port name of a session, the
 *	identity of its I_T nexus
 * @sess: the session
 */
const char *scst_sess_port_name(struct scst_session *sess)
{
	return sess->port_name;
}
EXPORT_SYMBOL_GPL(scst_sess_port_name);
