// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_user: zero copy.  A command whose data buffer the core allocates
 * gets the pages of a free slot as that buffer (->alloc_buf()), so the
 * process reads WRITE data and writes READ data right where the target
 * driver moves them (over iSCSI both ways: scst_iscsi gets the buffer of
 * a WRITE from scst_cmd_prepare() and receives the data into it); the
 * slot is free again after ->free_buf().  See the state machine at the
 * top of user.h.
 */
#define pr_fmt(fmt) "scst_user: " fmt

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "user.h"

/**
 * su_build_sg() - one scatterlist per slot over the data area
 * @su: the device, its area allocated
 *
 * Built once at registration: ->alloc_buf() only trims the last entry.
 *
 * Return: 0 or -ENOMEM.
 */
int su_build_sg(struct su_dev *su)
{
	u32 per = su->slot_size >> PAGE_SHIFT, i, j;
	struct scatterlist *sg;
	void *p = su->area;

	su->sgs = kvmalloc_array((size_t)su->nr_slots * per, sizeof(*su->sgs),
				 GFP_KERNEL);
	if (!su->sgs)
		return -ENOMEM;
	for (i = 0; i < su->nr_slots; i++) {
		sg = su->sgs + (size_t)i * per;
		sg_init_table(sg, per);
		for (j = 0; j < per; j++, p += PAGE_SIZE)
			sg_set_page(&sg[j], vmalloc_to_page(p), PAGE_SIZE, 0);
		su->slots[i].sg = sg;
	}
	return 0;
}

/* The slot's table covers @len bytes: trim (or restore, @len 0) the end. */
static void su_sg_trim(struct su_dev *su, struct su_slot *slot, u32 len)
{
	u32 per = su->slot_size >> PAGE_SHIFT;
	struct scatterlist *last;

	if (len) {
		slot->nents = DIV_ROUND_UP(len, PAGE_SIZE);
		last = &slot->sg[slot->nents - 1];
		last->length = len - (slot->nents - 1) * PAGE_SIZE;
		if (slot->nents < per)
			sg_mark_end(last);
	} else {
		last = &slot->sg[slot->nents - 1];
		last->length = PAGE_SIZE;
		if (slot->nents < per)
			sg_unmark_end(last);
		slot->nents = 0;
	}
}

/**
 * su_slot_free() - nobody uses @slot any more
 * @su: the device
 * @slot: the slot
 *
 * Context: su->lock held.
 * Return: @slot again when a command waiting for a slot took it
 * (FILLING: the caller passes it to su_start() without the lock), else
 * NULL.
 */
struct su_slot *su_slot_free(struct su_dev *su, struct su_slot *slot)
{
	lockdep_assert_held(&su->lock);
	slot->cmd = NULL;
	slot->state = SU_SLOT_FREE;
	slot->zc = false;
	list_add(&slot->entry, &su->free);
	return su_slot_wake_pending(su, slot);
}

/**
 * su_alloc_buf() - ->alloc_buf(): a free slot's pages as @cmd's buffer
 * @cmd: a command with data, not yet at ->exec()
 * @gfp: unused: nothing is allocated
 *
 * Context: any; takes su->lock.
 * Return: 0, or -EAGAIN (no slot now, or a command ->exec() refuses:
 * the core's buffer is used and ->exec() copies as before).
 */
int su_alloc_buf(struct scst_cmd *cmd, gfp_t gfp)
{
	struct su_dev *su = cmd->dev->priv;
	struct su_slot *slot = NULL;
	unsigned long flags;

	if (cmd->dir == SCST_DIR_BIDI || !cmd->data_len ||
	    cmd->data_len > su->slot_size)
		return -EAGAIN;
	spin_lock_irqsave(&su->lock, flags);
	/* keep one slot out of reach of commands not yet admitted */
	if (!su->dead && !su->nr_pending && su->attached + 1 < su->nr_slots)
		slot = list_first_entry_or_null(&su->free, struct su_slot,
						entry);
	if (slot) {
		list_del(&slot->entry);
		slot->cmd = cmd;
		slot->state = SU_SLOT_ATTACHED;
		slot->zc = true;
		su->attached++;
		su_sg_trim(su, slot, cmd->data_len);
	}
	spin_unlock_irqrestore(&su->lock, flags);
	if (!slot)
		return -EAGAIN;
	cmd->dev_priv = slot;
	cmd->sg = slot->sg;
	cmd->sg_cnt = slot->nents;
	cmd->buf_len = cmd->data_len;
	return 0;
}

/**
 * su_free_buf() - ->free_buf(): the target driver is done with the pages
 * @cmd: a command su_alloc_buf() gave a slot
 *
 * Context: any; takes su->lock.
 */
void su_free_buf(struct scst_cmd *cmd)
{
	struct su_dev *su = cmd->dev->priv;
	struct su_slot *slot = cmd->dev_priv, *next = NULL;
	unsigned long flags;

	spin_lock_irqsave(&su->lock, flags);
	if (WARN_ON_ONCE(slot->cmd != cmd || !slot->zc)) {
		spin_unlock_irqrestore(&su->lock, flags);
		return;
	}
	if (slot->state == SU_SLOT_ATTACHED) {
		/* ended before ->exec() */
		su->attached--;
	} else if (WARN_ON_ONCE(slot->state != SU_SLOT_LENT)) {
		/* still with the process: keep the slot, lose it */
		spin_unlock_irqrestore(&su->lock, flags);
		return;
	}
	su_sg_trim(su, slot, 0);
	next = su_slot_free(su, slot);
	spin_unlock_irqrestore(&su->lock, flags);
	cmd->dev_priv = NULL;
	if (next)
		su_start(su, next);
}

/**
 * su_exec_zc() - ->exec() of a command whose buffer is its slot's pages
 * @su: the device
 * @slot: the command's ATTACHED slot
 *
 * Queues the slot for the process: nothing to copy.
 */
void su_exec_zc(struct su_dev *su, struct su_slot *slot)
{
	struct scst_cmd *cmd = slot->cmd;
	unsigned long flags;
	bool dead;

	spin_lock_irqsave(&su->lock, flags);
	WARN_ON_ONCE(slot->state != SU_SLOT_ATTACHED);
	su->attached--;
	dead = su->dead;
	if (dead) {
		/* the pages stay the command's until ->free_buf() */
		slot->state = SU_SLOT_LENT;
	} else {
		su_slot_handle(su, slot);
		slot->state = SU_SLOT_QUEUED;
		su->in_use++;
		su->zc_cmds++;
		list_add_tail(&slot->entry, &su->execq);
	}
	spin_unlock_irqrestore(&su->lock, flags);
	if (dead)
		su_fail_cmd(cmd);
	else
		wake_up(&su->wq);
}
