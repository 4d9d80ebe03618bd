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

/**
 * su_slot_handle() - a new handle for a slot about to be queued
 * @su: the device
 * @slot: the slot
 *
 * Context: su->lock held.
 */
void su_slot_handle(struct su_dev *su, struct su_slot *slot)
{
	lockdep_assert_held(&su->lock);
	slot->abort_queued = false;
	su->seq++;
	slot->handle = ((u64)su->seq << SU_IDX_BITS) | slot->idx;
}

/* Give @cmd the free slot @slot; it is then FILLING. */
static void su_slot_take(struct su_dev *su, struct su_slot *slot,
			 struct scst_cmd *cmd)
{
	lockdep_assert_held(&su->lock);
	list_del(&slot->entry);
	slot->cmd = cmd;
	slot->state = SU_SLOT_FILLING;
	su_slot_handle(su, slot);
	su->filling++;
	su->in_use++;
}

/**
 * su_slot_wake_pending() - give a slot just freed to the oldest waiter
 * @su: the device
 * @slot: the slot, FREE
 *
 * Context: su->lock held.
 * Return: @slot when a waiting command took it (FILLING: the caller
 * passes it to su_start() without the lock), else NULL.
 */
struct su_slot *su_slot_wake_pending(struct su_dev *su, struct su_slot *slot)
{
	struct scst_cmd *cmd;

	lockdep_assert_held(&su->lock);
	if (su->dead)
		return NULL;
	cmd = su_pend_pop(su);
	if (!cmd)
		return NULL;
	su_slot_take(su, slot, cmd);
	return slot;
}

/**
 * su_slot_put() - a slot's command is answered (or failed)
 * @su: the device
 * @slot: the slot, QUEUED to REPLYING
 *
 * A zero-copy slot is LENT until ->free_buf(); another is free again.
 *
 * Context: su->lock held.
 * Return: as su_slot_free().
 */
struct su_slot *su_slot_put(struct su_dev *su, struct su_slot *slot)
{
	lockdep_assert_held(&su->lock);
	if (slot->abort_queued) {
		list_del_init(&slot->abort_entry);
		slot->abort_queued = false;
	}
	su->in_use--;
	if (slot->zc) {
		slot->state = SU_SLOT_LENT;
		return NULL;
	}
	return su_slot_free(su, slot);
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
		su->in_use--;
		su_slot_free(su, slot);	/* dead: nobody takes it */
	} else {
		slot->state = SU_SLOT_QUEUED;
		if (cmd->dir != SCST_DIR_NONE && cmd->data_len)
			su->copied_cmds++;
		list_add_tail(&slot->entry, &su->execq);
	}
	spin_unlock_irqrestore(&su->lock, flags);
	if (dead)
		su_fail_cmd(cmd);
	wake_up(&su->wq);
}

/*
 * ->exec(): may run in atomic context.  A command whose buffer is a slot
 * (su_alloc_buf()) is queued as it is; for another, the WRITE data is
 * copied into a free slot's buffer.
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
	if (cmd->dev_priv) {
		su_exec_zc(su, cmd->dev_priv);
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
	wake_up(&su->wq);
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
	wake_up(&su->wq);
}

/**
 * su_fail_all() - fail every command the device holds
 * @su: the device, dead, with no slot FILLING
 *
 * The commands queued for or held by the process and those waiting for
 * a slot end with LOGICAL UNIT COMMUNICATION FAILURE.  Zero-copy slots
 * stay LENT (or ATTACHED) until the core frees their buffers.
 */
void su_fail_all(struct su_dev *su)
{
	struct scst_cmd *cmd, *next;
	unsigned long flags;
	u32 i;

	for (i = 0; i < su->nr_slots; i++) {
		struct su_slot *slot = &su->slots[i];

		cmd = NULL;
		spin_lock_irqsave(&su->lock, flags);
		WARN_ON_ONCE(slot->state == SU_SLOT_FILLING ||
			     slot->state == SU_SLOT_REPLYING);
		if (slot->state == SU_SLOT_QUEUED ||
		    slot->state == SU_SLOT_FETCHED) {
			if (slot->state == SU_SLOT_QUEUED)
				list_del(&slot->entry);
			cmd = slot->cmd;
			su_slot_put(su, slot);	/* dead: nobody takes it */
		}
		spin_unlock_irqrestore(&su->lock, flags);
		if (cmd)
			su_fail_cmd(cmd);
	}

	spin_lock_irqsave(&su->lock, flags);
	cmd = su->pend_head;
	su->pend_head = NULL;
	su->pend_tail = NULL;
	su->nr_pending = 0;
	spin_unlock_irqrestore(&su->lock, flags);
	for (; cmd; cmd = next) {
		next = cmd->dev_priv;
		su_fail_cmd(cmd);
	}
}
