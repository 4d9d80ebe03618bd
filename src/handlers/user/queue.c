// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_user: the command side: ->exec() puts a command into a slot and
 * queues it for the process; ->abort() and ->reset() queue notifications.
 */
#define pr_fmt(fmt) "scst_user: " fmt

#include <linux/slab.h>
#include <scst_sense_codes.h>

#include "user.h"

/**
 * su_fail_cmd() - end a command the process will never answer
 * @cmd: the command
 *
 * CHECK CONDITION, HARDWARE ERROR, LOGICAL UNIT COMMUNICATION FAILURE.
 */
void su_fail_cmd(struct scst_cmd *cmd)
{
	scst_cmd_set_sense(cmd, SCST_KEY_HARDWARE_ERROR, 0x08, 0x00);
	scst_cmd_complete(cmd);
}

static void su_pend_add(struct su_dev *su, struct scst_cmd *cmd)
{
	lockdep_assert_held(&su->lock);
	cmd->dev_priv = NULL;
	if (su->pend_tail)
		su->pend_tail->dev_priv = cmd;
	else
		su->pend_head = cmd;
	su->pend_tail = cmd;
	su->nr_pending++;
}

static struct scst_cmd *su_pend_pop(struct su_dev *su)
{
	struct scst_cmd *cmd = su->pend_head;

	lockdep_assert_held(&su->lock);
	if (!cmd)
		return NULL;
	su->pend_head = cmd->dev_priv;
	if (!su->pend_head)
		su->pend_tail = NULL;
	su->nr_pending--;
	return cmd;
}

/* Give @cmd the free slot @slot; it is then FILLING. */
static void su_slot_take(struct su_dev *su, struct su_slot *slot,
			 struct scst_cmd *cmd)
{
	lockdep_assert_held(&su->lock);
	list_del(&slot->entry);
	slot->cmd = cmd;
	slot->state = SU_SLOT_FILLING;
	slot->abort_queued = false;
	su->seq++;
	slot->handle = ((u64)su->seq << SU_IDX_BITS) | slot->idx;
	su->filling++;
	su->in_use++;
}

/**
 * su_slot_put() - a slot's command is done with it
 * @su: the device
 * @slot: the slot, not FREE
 *
 * Context: su->lock held.
 * Return: @slot again when a waiting command took it (FILLING: the
 * caller passes it to su_start() without the lock), else NULL.
 */
struct su_slot *su_slot_put(struct su_dev *su, struct su_slot *slot)
{
	struct scst_cmd *cmd;

	lockdep_assert_held(&su->lock);
	if (slot->abort_queued) {
		list_del_init(&slot->abort_entry);
		slot->abort_queued = false;
	}
	slot->cmd = NULL;
	slot->state = SU_SLOT_FREE;
	su->in_use--;
	list_add(&slot->entry, &su->free);
	if (su->dead)
		return NULL;
	cmd = su_pend_pop(su);
	if (!cmd)
		return NULL;
	su_slot_take(su, slot, cmd);
	return slot;
}

/**
 * su_start() - fill a FILLING slot and queue it for the process
 * @su: the device
 * @slot: the slot; su->lock not held
 */
void su_start(struct su_dev *su, struct su_slot *slot)
{
	struct scst_cmd *cmd = slot->cmd;
	unsigned long flags;
	bool dead;

	if (cmd->dir == SCST_DIR_WRITE)
		scst_cmd_copy_from_buf(cmd, su->area +
				       (size_t)slot->idx * su->slot_size,
				       cmd->data_len);

	spin_lock_irqsave(&su->lock, flags);
	su->filling--;
	dead = su->dead;
	if (dead) {
		/* su_teardown() waits for filling == 0 */
		slot->cmd = NULL;
		slot->state = SU_SLOT_FREE;
		su->in_use--;
		list_add(&slot->entry, &su->free);
	} else {
		slot->state = SU_SLOT_QUEUED;
		list_add_tail(&slot->entry, &su->execq);
	}
	spin_unlock_irqrestore(&su->lock, flags);
	if (dead)
		su_fail_cmd(cmd);
	wake_up_interruptible(&su->wq);
}

/*
 * ->exec(): may run in atomic context.  The WRITE data is copied into the
 * slot's buffer (the core's buffer is not shared with the process).
 */
void su_exec(struct scst_cmd *cmd)
{
	struct su_dev *su = cmd->dev->priv;
	struct su_slot *slot = NULL;
	unsigned long flags;
	bool dead;

	if (cmd->dir == SCST_DIR_BIDI) {
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_OPCODE);
		scst_cmd_complete(cmd);
		return;
	}
	if (cmd->data_len > su->slot_size) {
		/* longer than the handler's largest transfer */
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_FIELD_IN_CDB);
		scst_cmd_complete(cmd);
		return;
	}

	spin_lock_irqsave(&su->lock, flags);
	dead = su->dead;
	if (!dead) {
		slot = list_first_entry_or_null(&su->free, struct su_slot,
						entry);
		if (slot)
			su_slot_take(su, slot, cmd);
		else
			su_pend_add(su, cmd);	/* queue_depth reached */
	}
	spin_unlock_irqrestore(&su->lock, flags);
	if (dead)
		su_fail_cmd(cmd);
	else if (slot)
		su_start(su, slot);
}

/*
 * ->abort(), under the session's lock: only a command the process holds
 * needs a notification.  One still queued or waiting for a slot is ended
 * when the process would fetch it (scst_cmd_abort_pending() tells).
 */
void su_abort(struct scst_cmd *cmd)
{
	struct su_dev *su = cmd->dev->priv;
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&su->lock, flags);
	for (i = 0; i < su->nr_slots; i++) {
		struct su_slot *slot = &su->slots[i];

		if (slot->cmd != cmd || slot->state != SU_SLOT_FETCHED ||
		    slot->abort_queued)
			continue;
		slot->abort_queued = true;
		list_add_tail(&slot->abort_entry, &su->abortq);
		break;
	}
	spin_unlock_irqrestore(&su->lock, flags);
	wake_up_interruptible(&su->wq);
}

/* ->reset(): under rcu_read_lock(), must not sleep. */
void su_reset(struct scst_device *dev)
{
	struct su_dev *su = dev->priv;
	unsigned long flags;

	spin_lock_irqsave(&su->lock, flags);
	if (!su->dead)
		su->resets++;
	spin_unlock_irqrestore(&su->lock, flags);
	wake_up_interruptible(&su->wq);
}

/**
 * su_take_all() - take every command the device holds, for failing them
 * @su: the device, dead, with no slot FILLING
 *
 * Return: the commands (queued, fetched or waiting for a slot), chained
 * through cmd->dev_priv.
 */
struct scst_cmd *su_take_all(struct su_dev *su)
{
	struct scst_cmd *cmd;
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&su->lock, flags);
	for (i = 0; i < su->nr_slots; i++) {
		struct su_slot *slot = &su->slots[i];

		if (slot->state == SU_SLOT_FREE)
			continue;
		WARN_ON_ONCE(slot->state == SU_SLOT_FILLING ||
			     slot->state == SU_SLOT_REPLYING);
		if (slot->state == SU_SLOT_QUEUED)
			list_del(&slot->entry);
		su_pend_add(su, slot->cmd);
		su_slot_put(su, slot);
	}
	cmd = su->pend_head;
	su->pend_head = NULL;
	su->pend_tail = NULL;
	su->nr_pending = 0;
	spin_unlock_irqrestore(&su->lock, flags);
	return cmd;
}
