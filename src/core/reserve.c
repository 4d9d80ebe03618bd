// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: reservations, the part every command sees.
 *
 * scst_resv_conflict() decides for an admitted command whether an SPC-2
 * reservation or a persistent reservation (SPC-4 5.13, tables "SPC
 * commands that are allowed in the presence of various reservations")
 * makes it end with RESERVATION CONFLICT; the reservation class of the
 * command comes from the CDB table (enum scst_resv_class).
 *
 * This file also carries out RESERVE(6/10) and RELEASE(6/10) and drops
 * SPC-2 reservations on resets and session loss (SPC-2 5.5.1 and the
 * SPC-4 exceptions in 5.13.3: a device with registrations answers
 * RESERVE and RELEASE with RESERVATION CONFLICT).  The reservation
 * commands run on scst_wq, serialised by dev->resv.mutex.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/slab.h>

#include "scst_priv.h"
#include "pr.h"
#include "netlink.h"

void scst_resv_init(struct scst_resv *r)
{
	mutex_init(&r->mutex);
	spin_lock_init(&r->lock);
	INIT_LIST_HEAD(&r->regs);
}

void scst_resv_free(struct scst_resv *r)
{
	scst_pr_remove_all(r);
}

/* Recompute the I/O path's shortcut; under r->lock. */
void scst_resv_update_active(struct scst_resv *r)
{
	lockdep_assert_held(&r->lock);
	WRITE_ONCE(r->active, r->spc2_holder || r->nr_regs ||
		   r->type != SCST_PR_TYPE_NONE);
}

/* Registrations or the reservation changed: tell the monitors. */
void scst_resv_changed(struct scst_dev *dev)
{
	scst_nl_event_resv(dev);
}

/**
 * scst_resv_cmd_is_ours() - a reservation command the core carries out?
 * @cmd: an admitted command
 */
bool scst_resv_cmd_is_ours(struct scst_cmd *cmd)
{
	return scst_resv_op_is_ours(cmd->ci.opcode, cmd->ci.resv);
}

/**
 * scst_resv_op_is_ours() - scst_resv_cmd_is_ours() for a table command
 * @opcode: operation code
 * @resv: its reservation class (enum scst_resv_class)
 */
bool scst_resv_op_is_ours(u8 opcode, u8 resv)
{
	return resv == SCST_RESV_SPC2 || resv == SCST_RESV_PR_OUT ||
	       opcode == PERSISTENT_RESERVE_IN;
}

/**
 * scst_resv_conflict() - does a reservation forbid this command?
 * @cmd: an admitted command with a device
 *
 * Context: any context but hard irq.
 * Return: true if the command must end with RESERVATION CONFLICT.
 */
bool scst_resv_conflict(struct scst_cmd *cmd)
{
	struct scst_resv *r = &to_scst_dev(cmd->dev)->resv;
	const struct scst_cdb_info *ci = &cmd->ci;
	struct scst_pr_reg *reg;
	unsigned long flags;
	bool conflict;

	if (!READ_ONCE(r->active))
		return false;
	spin_lock_irqsave(&r->lock, flags);
	if (r->spc2_holder) {
		conflict = r->spc2_holder != cmd->sess &&
			   scst_resv_spc2_conflict(ci);
	} else if (r->nr_regs || r->type != SCST_PR_TYPE_NONE) {
		reg = scst_pr_find_nexus(r, cmd->sess);
		conflict = scst_resv_pr_conflict(ci, r->type,
						 scst_pr_is_holder(r, reg),
						 reg);
	} else {
		conflict = false;
	}
	spin_unlock_irqrestore(&r->lock, flags);
	return conflict;
}

static void scst_resv_reserve(struct scst_cmd *cmd)
{
	struct scst_dev *dev = to_scst_dev(cmd->dev);
	struct scst_resv *r = &dev->resv;
	bool changed = false;

	spin_lock_irq(&r->lock);
	if (r->nr_regs || r->type != SCST_PR_TYPE_NONE ||
	    (r->spc2_holder && r->spc2_holder != cmd->sess)) {
		scst_cmd_set_status(cmd, SCST_STATUS_RESERVATION_CONFLICT);
	} else {
		changed = !r->spc2_holder;
		r->spc2_holder = cmd->sess;
		scst_resv_update_active(r);
	}
	spin_unlock_irq(&r->lock);
	if (changed)
		scst_resv_changed(dev);
}

static void scst_resv_release(struct scst_cmd *cmd)
{
	struct scst_dev *dev = to_scst_dev(cmd->dev);
	struct scst_resv *r = &dev->resv;
	bool changed = false;

	spin_lock_irq(&r->lock);
	if (r->nr_regs || r->type != SCST_PR_TYPE_NONE) {
		scst_cmd_set_status(cmd, SCST_STATUS_RESERVATION_CONFLICT);
	} else if (r->spc2_holder == cmd->sess) {
		/* RELEASE by another nexus is GOOD and releases nothing. */
		r->spc2_holder = NULL;
		scst_resv_update_active(r);
		changed = true;
	}
	spin_unlock_irq(&r->lock);
	if (changed)
		scst_resv_changed(dev);
}

/**
 * scst_resv_exec() - carry out a reservation command
 * @cmd: an admitted command for which scst_resv_cmd_is_ours() holds
 *
 * Context: process context (scst_wq); completes @cmd.
 */
void scst_resv_exec(struct scst_cmd *cmd)
{
	struct scst_resv *r = &to_scst_dev(cmd->dev)->resv;

	if (cmd->data_len && !cmd->sg) {
		/* every such command that moves data got a buffer */
		scst_cmd_set_sense(cmd, SCST_SENSE_INTERNAL_TARGET_FAILURE);
		goto done;
	}
	switch (cmd->ci.opcode) {
	case PERSISTENT_RESERVE_IN:
		mutex_lock(&r->mutex);
		scst_pr_in(cmd);
		mutex_unlock(&r->mutex);
		break;
	case PERSISTENT_RESERVE_OUT:
		scst_pr_out(cmd);	/* takes the mutex itself */
		break;
	case RESERVE:
	case RESERVE_10:
		mutex_lock(&r->mutex);
		scst_resv_reserve(cmd);
		mutex_unlock(&r->mutex);
		break;
	default:
		mutex_lock(&r->mutex);
		scst_resv_release(cmd);
		mutex_unlock(&r->mutex);
		break;
	}
done:
	scst_cmd_complete(cmd);
}

/* Drop @dev's SPC-2 reservation if @sess (or anyone, if NULL) holds it. */
void scst_resv_spc2_reset(struct scst_dev *dev, struct scst_session *sess)
{
	struct scst_resv *r = &dev->resv;
	unsigned long flags;
	bool changed = false;

	if (!READ_ONCE(r->active))
		return;
	spin_lock_irqsave(&r->lock, flags);
	if (r->spc2_holder && (!sess || r->spc2_holder == sess)) {
		r->spc2_holder = NULL;
		scst_resv_update_active(r);
		changed = true;
	}
	spin_unlock_irqrestore(&r->lock, flags);
	if (changed)
		scst_resv_changed(dev);
}

/**
 * scst_resv_sess_gone() - an I_T nexus ended: its SPC-2 reservations go
 * @sess: the session, already off every list
 *
 * Context: process context; takes scst_cfg_mutex.
 */
void scst_resv_sess_gone(struct scst_session *sess)
{
	struct scst_dev *dev;

	mutex_lock(&scst_cfg_mutex);
	list_for_each_entry(dev, &scst_dev_list, entry)
		scst_resv_spc2_reset(dev, sess);
	mutex_unlock(&scst_cfg_mutex);
}

/* The SPC-2 reservations of every LUN @sess sees; NULL: anyone's. */
static void scst_resv_reset_luns(struct scst_session *sess,
				 struct scst_session *holder)
{
	struct scst_lun *lun;
	struct scst_acg *acg;
	unsigned long idx;

	rcu_read_lock();
	acg = rcu_dereference(sess->acg);
	xa_for_each(&acg->luns, idx, lun) {
		struct scst_dev *dev = READ_ONCE(lun->dev);

		if (dev)
			scst_resv_spc2_reset(dev, holder);
	}
	rcu_read_unlock();
}

/**
 * scst_resv_tmf_reset() - a reset releases SPC-2 reservations
 * @fn: the task management function that ended
 * @sess: the I_T nexus it arrived on
 * @dev: the device of a LOGICAL UNIT RESET
 *
 * LOGICAL UNIT RESET releases the reservation of its device, I_T NEXUS
 * RESET those of the nexus, TARGET RESET those of every logical unit of
 * the target.  Persistent reservations are not affected.
 */
void scst_resv_tmf_reset(enum scst_tmf fn, struct scst_session *sess,
			 struct scst_device *dev)
{
	struct scst_session *s;

	switch (fn) {
	case SCST_TMF_LUN_RESET:
		scst_resv_spc2_reset(to_scst_dev(dev), NULL);
		break;
	case SCST_TMF_I_T_NEXUS_RESET:
		scst_resv_reset_luns(sess, sess);
		break;
	case SCST_TMF_TARGET_RESET:
		rcu_read_lock();
		list_for_each_entry_rcu(s, &scst_sess_list, global_entry)
			if (s->tgt == sess->tgt)
				scst_resv_reset_luns(s, NULL);
		rcu_read_unlock();
		break;
	default:
		break;
	}
}
