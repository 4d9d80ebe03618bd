// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: generic netlink family "scst" (include/uapi/scst_netlink.h).
 *
 * Runtime state that does not belong in configfs: the sessions with the
 * LUNs each one sees, the counters of sessions, LUNs and devices
 * (stats.c), buffer-cache statistics; and the
 * multicast group "events" for session and LUN-set changes.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <net/genetlink.h>

#include <uapi/scst_netlink.h>

#include "scst_priv.h"
#include "netlink.h"

static struct genl_family scst_genl_family;

enum { SCST_MCGRP_EVENTS_IDX };

static const struct genl_multicast_group scst_mcgrps[] = {
	[SCST_MCGRP_EVENTS_IDX] = {
		.name	= SCST_GENL_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

static const int scst_nl_lat_attrs[SCST_STATS_DIRS] = {
	[SCST_STATS_READ]	= SCST_ATTR_LAT_READ,
	[SCST_STATS_WRITE]	= SCST_ATTR_LAT_WRITE,
	[SCST_STATS_OTHER]	= SCST_ATTR_LAT_OTHER,
};

/* A histogram without its trailing zeros; nothing if it is empty. */
static int scst_nl_put_hist(struct sk_buff *skb, int attr, const u64 *h)
{
	int n = SCST_LAT_BUCKETS;

	while (n && !h[n - 1])
		n--;
	return n ? nla_put(skb, attr, n * sizeof(u64), h) : 0;
}

/* COUNTERS of include/uapi/scst_netlink.h; @sum is scratch space. */
static int scst_nl_put_stats(struct sk_buff *skb,
			     struct scst_stats __percpu *stats,
			     struct scst_stats *sum)
{
	int d;

	scst_stats_read(stats, sum);
	if (nla_put_u64_64bit(skb, SCST_ATTR_CMDS, sum->cmds, SCST_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, SCST_ATTR_READ_BYTES, sum->read_bytes,
			      SCST_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, SCST_ATTR_WRITE_BYTES, sum->write_bytes,
			      SCST_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, SCST_ATTR_ERRORS, sum->errors,
			      SCST_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, SCST_ATTR_OTHER_ERRORS, sum->other_errors,
			      SCST_ATTR_PAD))
		return -EMSGSIZE;
	for (d = 0; d < SCST_STATS_DIRS; d++)
		if (scst_nl_put_hist(skb, scst_nl_lat_attrs[d], sum->lat[d]))
			return -EMSGSIZE;
	return 0;
}

static int scst_nl_put_lun(struct sk_buff *skb, struct scst_lun *lun,
			   struct scst_dev *dev, struct scst_stats *sum)
{
	struct nlattr *entry = nla_nest_start(skb, SCST_ATTR_LUN_ENTRY);

	if (!entry)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SCST_ATTR_LUN, lun->id) ||
	    nla_put_string(skb, SCST_ATTR_DEVICE, dev->pub.name) ||
	    nla_put_u8(skb, SCST_ATTR_READ_ONLY, lun->read_only) ||
	    (sum && scst_nl_put_stats(skb, lun->stats, sum))) {
		nla_nest_cancel(skb, entry);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, entry);
	return 0;
}

/*
 * The LUNs of @sess from number *@next on, with their counters if @sum
 * is given.  Return: 0 (all of them), 1 (some: *@next is the first LUN
 * left out) or -EMSGSIZE (not even one fits).
 */
static int scst_nl_put_luns(struct sk_buff *skb, struct scst_session *sess,
			    unsigned long *next, struct scst_stats *sum)
{
	unsigned long idx, start = next ? *next : 0;
	struct scst_lun *lun;
	struct scst_acg *acg;
	struct nlattr *luns;
	int n = 0, ret = 0;

	luns = nla_nest_start(skb, SCST_ATTR_LUNS);
	if (!luns)
		return -EMSGSIZE;
	rcu_read_lock();
	acg = rcu_dereference(sess->acg);
	xa_for_each_start(&acg->luns, idx, lun, start) {
		struct scst_dev *dev = READ_ONCE(lun->dev);

		if (!dev)
			continue;
		if (scst_nl_put_lun(skb, lun, dev, sum)) {
			ret = next && n ? 1 : -EMSGSIZE;
			if (ret > 0)
				*next = idx;
			break;
		}
		n++;
	}
	rcu_read_unlock();
	if (ret < 0) {
		nla_nest_cancel(skb, luns);
		return ret;
	}
	nla_nest_end(skb, luns);
	return ret;
}

/*
 * One message about @sess.  Dumps pass @next (the first LUN number to
 * put; on return 1, the first one that did not fit) and @sum (scratch
 * space: counters are sent); events pass NULL for both.
 * Return: 0, 1 (the LUNs from *@next on are left for another message)
 * or -EMSGSIZE.
 */
static int scst_nl_fill_session(struct sk_buff *skb, struct scst_session *sess,
				u32 portid, u32 seq, int flags, u8 cmd,
				unsigned long *next, struct scst_stats *sum)
{
	struct scst_acg *acg;
	const char *group;
	void *hdr;
	int ret = 0;

	hdr = genlmsg_put(skb, portid, seq, &scst_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	rcu_read_lock();
	acg = rcu_dereference(sess->acg);
	group = acg == sess->tgt->def_acg ? "" :
		config_item_name(&acg->group.cg_item);
	if (nla_put_string(skb, SCST_ATTR_TGT_DRIVER, sess->tgt->tt->name) ||
	    nla_put_string(skb, SCST_ATTR_TARGET, scst_tgt_name(sess->tgt)) ||
	    nla_put_string(skb, SCST_ATTR_INITIATOR, sess->initiator) ||
	    nla_put_string(skb, SCST_ATTR_GROUP, group)) {
		rcu_read_unlock();
		goto cancel;
	}
	rcu_read_unlock();
	if (next && *next) {
		if (nla_put_u8(skb, SCST_ATTR_CONTINUED, 1))
			goto cancel;
	} else if (sum && scst_nl_put_stats(skb, sess->stats, sum)) {
		goto cancel;
	}
	if (cmd != SCST_EVT_SESSION_DEL) {
		ret = scst_nl_put_luns(skb, sess, next, sum);
		if (ret < 0)
			goto cancel;
	}
	genlmsg_end(skb, hdr);
	return ret;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * cb->args[0]: sessions sent; cb->args[1]: the first LUN number of the
 * next message when the session at args[0] did not fit in one.
 */
static int scst_nl_dump_sessions(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct scst_session *sess;
	long idx = 0, skip = cb->args[0];
	struct scst_stats *sum;
	int ret;

	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	mutex_lock(&scst_cfg_mutex);
	list_for_each_entry(sess, &scst_sess_list, global_entry) {
		if (idx++ < skip)
			continue;
		ret = scst_nl_fill_session(skb, sess,
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI,
					   SCST_CMD_GET_SESSIONS,
					   (unsigned long *)&cb->args[1], sum);
		if (ret) {
			idx--;
			break;
		}
		cb->args[1] = 0;
	}
	mutex_unlock(&scst_cfg_mutex);
	kfree(sum);
	cb->args[0] = idx;
	return skb->len;
}

/* Persistent reservation state, if there are registrations. */
static int scst_nl_put_pr(struct sk_buff *skb, struct scst_dev *dev)
{
	struct scst_resv *r = &dev->resv;
	struct nlattr *regs, *e;
	struct scst_pr_reg *reg;
	const char *holder;
	int ret = -EMSGSIZE;

	spin_lock_irq(&r->lock);
	if (!r->nr_regs && r->type == SCST_PR_TYPE_NONE) {
		ret = 0;
		goto unlock;
	}
	if (r->type == SCST_PR_TYPE_NONE)
		holder = "";
	else if (scst_pr_type_all_registrants(r->type))
		holder = "(all registrants)";
	else
		holder = r->holder->name;
	if (nla_put_u32(skb, SCST_ATTR_PR_GENERATION, r->generation) ||
	    nla_put_string(skb, SCST_ATTR_PR_HOLDER, holder) ||
	    nla_put_u8(skb, SCST_ATTR_PR_TYPE, r->type))
		goto unlock;
	regs = nla_nest_start(skb, SCST_ATTR_PR_REGISTRANTS);
	if (!regs)
		goto unlock;
	list_for_each_entry(reg, &r->regs, entry) {
		e = nla_nest_start(skb, SCST_ATTR_PR_REGISTRANT);
		if (!e || nla_put_string(skb, SCST_ATTR_INITIATOR, reg->name) ||
		    nla_put_u64_64bit(skb, SCST_ATTR_PR_KEY, reg->key,
				      SCST_ATTR_PAD))
			goto unlock;
		nla_nest_end(skb, e);
	}
	nla_nest_end(skb, regs);
	ret = 0;
unlock:
	spin_unlock_irq(&r->lock);
	return ret;
}

static int scst_nl_put_dev(struct sk_buff *skb, struct scst_dev *dev)
{
	struct scst_device *d = &dev->pub;
	struct scst_stats *sum;
	int ret;

	if (nla_put_string(skb, SCST_ATTR_DEVICE, d->name) ||
	    nla_put_string(skb, SCST_ATTR_HANDLER, d->handler->name) ||
	    nla_put_u8(skb, SCST_ATTR_ENABLED, READ_ONCE(dev->enabled)) ||
	    nla_put_u64_64bit(skb, SCST_ATTR_SIZE,
			      d->nr_blocks << d->block_shift, SCST_ATTR_PAD) ||
	    nla_put_u32(skb, SCST_ATTR_BLOCKSIZE, 1U << d->block_shift) ||
	    nla_put_u64_64bit(skb, SCST_ATTR_IO_ERRORS,
			      atomic64_read(&dev->io_errors), SCST_ATTR_PAD))
		return -EMSGSIZE;
	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	ret = scst_nl_put_stats(skb, dev->stats, sum);
	kfree(sum);
	return ret ? ret : scst_nl_put_pr(skb, dev);
}

static int scst_nl_fill_dev(struct sk_buff *skb, struct scst_dev *dev,
			    struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &scst_genl_family, NLM_F_MULTI,
			  SCST_CMD_GET_DEVICES);
	if (!hdr)
		return -EMSGSIZE;
	if (scst_nl_put_dev(skb, dev)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int scst_nl_dump_devices(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	long idx = 0, skip = cb->args[0];
	struct scst_dev *dev;

	mutex_lock(&scst_cfg_mutex);
	list_for_each_entry(dev, &scst_dev_list, entry) {
		if (idx++ < skip)
			continue;
		if (scst_nl_fill_dev(skb, dev, cb)) {
			idx--;
			break;
		}
	}
	mutex_unlock(&scst_cfg_mutex);
	cb->args[0] = idx;
	return skb->len;
}

static int scst_nl_fill_stats(struct sk_buff *msg, u32 portid, u32 seq,
			      int flags)
{
	u64 hits, misses;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &scst_genl_family, flags,
			  SCST_CMD_GET_STATS);
	if (!hdr)
		return -EMSGSIZE;
	scst_buf_stats(&hits, &misses);
	if (nla_put_u64_64bit(msg, SCST_ATTR_BUF_HITS, hits, SCST_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, SCST_ATTR_BUF_MISSES, misses,
			      SCST_ATTR_PAD)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

static int scst_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	if (scst_nl_fill_stats(msg, info->snd_portid, info->snd_seq, 0)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return genlmsg_reply(msg, info);
}

/* The same as a one-message dump, for clients that dump everything. */
static int scst_nl_dump_stats(struct sk_buff *skb, struct netlink_callback *cb)
{
	if (cb->args[0])
		return 0;
	if (scst_nl_fill_stats(skb, NETLINK_CB(cb->skb).portid,
			       cb->nlh->nlmsg_seq, NLM_F_MULTI))
		return -EMSGSIZE;
	cb->args[0] = 1;
	return skb->len;
}

/*
 * Sessions, devices, PR keys and counters are for the administrator only:
 * every op needs CAP_NET_ADMIN (GENL_ADMIN_PERM), and so does joining the
 * events group (GENL_MCAST_CAP_NET_ADMIN).
 */
static const struct genl_small_ops scst_genl_ops[] = {
	{
		.cmd	= SCST_CMD_GET_SESSIONS,
		.flags	= GENL_ADMIN_PERM,
		.dumpit	= scst_nl_dump_sessions,
	},
	{
		.cmd	= SCST_CMD_GET_DEVICES,
		.flags	= GENL_ADMIN_PERM,
		.dumpit	= scst_nl_dump_devices,
	},
	{
		.cmd	= SCST_CMD_GET_STATS,
		.flags	= GENL_ADMIN_PERM,
		.doit	= scst_nl_get_stats,
		.dumpit	= scst_nl_dump_stats,
	},
};

static struct genl_family scst_genl_family __ro_after_init = {
	.name		= SCST_GENL_NAME,
	.version	= SCST_GENL_VERSION,
	.maxattr	= SCST_ATTR_MAX,
	.module		= THIS_MODULE,
	.small_ops	= scst_genl_ops,
	.n_small_ops	= ARRAY_SIZE(scst_genl_ops),
	.resv_start_op	= SCST_CMD_GET_STATS + 1,
	.mcgrps		= scst_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(scst_mcgrps),
};

static void scst_nl_notify(struct scst_session *sess, u8 cmd)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&scst_genl_family, &init_net,
				SCST_MCGRP_EVENTS_IDX))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (scst_nl_fill_session(skb, sess, 0, 0, 0, cmd, NULL, NULL)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast(&scst_genl_family, skb, 0, SCST_MCGRP_EVENTS_IDX,
			  GFP_KERNEL);
}

static int scst_nl_put_dev_error(struct sk_buff *skb, struct scst_dev *dev)
{
	return nla_put_u32(skb, SCST_ATTR_LUN, READ_ONCE(dev->last_err_lun)) ||
	       nla_put_u8(skb, SCST_ATTR_SENSE_KEY, dev->last_err_sense[0]) ||
	       nla_put_u8(skb, SCST_ATTR_ASC, dev->last_err_sense[1]) ||
	       nla_put_u8(skb, SCST_ATTR_ASCQ, dev->last_err_sense[2]);
}

static void scst_nl_dev_notify(struct scst_dev *dev, u8 cmd)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &scst_genl_family, 0, cmd);
	if (!hdr ||
	    scst_nl_put_dev(skb, dev) ||
	    (cmd == SCST_EVT_DEV_ERROR && scst_nl_put_dev_error(skb, dev))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&scst_genl_family, skb, 0, SCST_MCGRP_EVENTS_IDX,
			  GFP_KERNEL);
}

/*
 * Device events are raised from any context (command completion may be
 * atomic) and sent from this work item; a kind raised again before the
 * work ran is sent once, with the newest state. scst_dev_release()
 * cancels the work before the device is freed.
 */
void scst_nl_dev_event_work(struct work_struct *work)
{
	struct scst_dev *dev = container_of(work, struct scst_dev, event_work);
	bool listeners = genl_has_listeners(&scst_genl_family, &init_net,
					    SCST_MCGRP_EVENTS_IDX);

	if (test_and_clear_bit(SCST_DEV_EVENT_ERROR, &dev->event_pending) &&
	    listeners)
		scst_nl_dev_notify(dev, SCST_EVT_DEV_ERROR);
	if (test_and_clear_bit(SCST_DEV_EVENT_RESV, &dev->event_pending) &&
	    listeners)
		scst_nl_dev_notify(dev, SCST_EVT_RESERVATION);
}

static void scst_nl_dev_raise(struct scst_dev *dev, int kind)
{
	if (!test_and_set_bit(kind, &dev->event_pending))
		schedule_work(&dev->event_work);
}

/**
 * scst_nl_event_dev_error() - report a MEDIUM or HARDWARE ERROR
 * @cmd: the command that completed with that sense key
 *
 * Counts the error and raises a coalesced SCST_EVT_DEV_ERROR.
 * Context: any context.
 */
void scst_nl_event_dev_error(struct scst_cmd *cmd)
{
	struct scst_dev *dev = to_scst_dev(cmd->dev);
	u8 key, asc, ascq;

	if (!scst_sense_decode(cmd->sense, cmd->sense_len, &key, &asc, &ascq))
		return;
	if (key != SCST_KEY_MEDIUM_ERROR && key != SCST_KEY_HARDWARE_ERROR)
		return;
	atomic64_inc(&dev->io_errors);
	WRITE_ONCE(dev->last_err_lun, cmd->lun);
	dev->last_err_sense[0] = key;
	dev->last_err_sense[1] = asc;
	dev->last_err_sense[2] = ascq;
	scst_nl_dev_raise(dev, SCST_DEV_EVENT_ERROR);
}

/**
 * scst_nl_event_resv() - registrations or the reservation of @dev changed
 * @dev: the device
 *
 * Raises a coalesced SCST_EVT_RESERVATION. Context: any context.
 */
void scst_nl_event_resv(struct scst_dev *dev)
{
	scst_nl_dev_raise(dev, SCST_DEV_EVENT_RESV);
}

void scst_nl_event_session(struct scst_session *sess, bool added)
{
	scst_nl_notify(sess, added ? SCST_EVT_SESSION_ADD :
				     SCST_EVT_SESSION_DEL);
}

void scst_nl_event_luns_changed(struct scst_session *sess)
{
	scst_nl_notify(sess, SCST_EVT_LUNS_CHANGED);
}

/**
 * scst_nl_event_alua() - an ALUA target port group changed its state
 * @group: its name (alua/port_groups/<name>)
 * @id: its id
 * @state: the new access state (SCST_ALUA_*)
 *
 * Context: process context.
 */
void scst_nl_event_alua(const char *group, u16 id, u8 state)
{
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&scst_genl_family, &init_net,
				SCST_MCGRP_EVENTS_IDX))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &scst_genl_family, 0,
			  SCST_EVT_ALUA_STATE);
	if (!hdr || nla_put_string(skb, SCST_ATTR_ALUA_GROUP, group) ||
	    nla_put_u16(skb, SCST_ATTR_ALUA_GROUP_ID, id) ||
	    nla_put_u8(skb, SCST_ATTR_ALUA_STATE, state)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&scst_genl_family, skb, 0, SCST_MCGRP_EVENTS_IDX,
			  GFP_KERNEL);
}

int scst_netlink_init(void)
{
	return genl_register_family(&scst_genl_family);
}

void scst_netlink_exit(void)
{
	genl_unregister_family(&scst_genl_family);
}
