// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_user: SCST_USER_REPLY_AND_GET, the process's side of the queue:
 * take the replies, complete their commands, hand out the next messages.
 */
#define pr_fmt(fmt) "scst_user: " fmt

#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "user.h"

/* Complete the command of one reply; -EINVAL for an unknown handle. */
static int su_take_reply(struct su_dev *su, const struct scst_user_reply *r)
{
	u32 idx = r->handle & ((1U << SU_IDX_BITS) - 1);
	struct su_slot *slot, *next;
	struct scst_cmd *cmd;
	unsigned long flags;
	u32 len;

	if (idx >= su->nr_slots || r->sense_len > SCST_USER_SENSE_MAX)
		return -EINVAL;
	slot = &su->slots[idx];
	spin_lock_irqsave(&su->lock, flags);
	if (slot->state != SU_SLOT_FETCHED || slot->handle != r->handle) {
		spin_unlock_irqrestore(&su->lock, flags);
		return -EINVAL;
	}
	slot->state = SU_SLOT_REPLYING;
	spin_unlock_irqrestore(&su->lock, flags);

	cmd = slot->cmd;
	if (cmd->dir == SCST_DIR_READ && r->resp_len) {
		len = min(r->resp_len, cmd->data_len);
		if (slot->zc)	/* the data is in the command's buffer */
			cmd->resp_len = len;
		else
			scst_cmd_copy_to_buf(cmd, su->area +
					     (size_t)idx * su->slot_size, len);
	}
	scst_cmd_set_status(cmd, r->status);
	if (r->status == SCST_STATUS_CHECK_CONDITION && r->sense_len) {
		memcpy(cmd->sense, r->sense, r->sense_len);
		cmd->sense_len = r->sense_len;
	}

	spin_lock_irqsave(&su->lock, flags);
	next = su_slot_put(su, slot);
	spin_unlock_irqrestore(&su->lock, flags);
	scst_cmd_complete(cmd);
	if (next)
		su_start(su, next);
	return 0;
}

static void su_msg_exec(struct su_dev *su, struct su_slot *slot,
			struct scst_user_msg *m)
{
	struct scst_cmd *cmd = slot->cmd;

	m->handle = slot->handle;
	m->kind = SCST_USER_MSG_EXEC;
	m->cdb_len = min_t(u8, cmd->cdb_len, SCST_USER_CDB_MAX);
	memcpy(m->cdb, cmd->cdb, m->cdb_len);
	switch (cmd->dir) {
	case SCST_DIR_WRITE:
		m->data_dir = SCST_USER_DIR_WRITE;
		break;
	case SCST_DIR_READ:
		m->data_dir = SCST_USER_DIR_READ;
		break;
	default:
		m->data_dir = SCST_USER_DIR_NONE;
		break;
	}
	m->task_attr = cmd->task_attr;
	m->lun = cmd->lun;
	m->data_len = m->data_dir == SCST_USER_DIR_NONE ? 0 : cmd->data_len;
	m->buf_off = (u64)slot->idx * su->slot_size;
}

/*
 * Take the next message off the queues, under su->lock.  Returns the
 * slot of an EXEC (now FETCHED), or NULL with @m filled for a
 * notification; *aborted gets a queued command that task management
 * ended before the process saw it (its slot was released; *next may
 * then be a slot to start).  Returns ERR_PTR(-EAGAIN) when empty.
 */
static struct su_slot *su_next_msg(struct su_dev *su, struct scst_user_msg *m,
				   struct scst_cmd **aborted,
				   struct su_slot **next)
{
	struct su_slot *slot;

	lockdep_assert_held(&su->lock);
	slot = list_first_entry_or_null(&su->abortq, struct su_slot,
					abort_entry);
	if (slot) {
		/* stays marked: a second ABORT of it is not queued */
		list_del_init(&slot->abort_entry);
		m->kind = SCST_USER_MSG_ABORT;
		m->handle = slot->handle;
		return NULL;
	}
	if (su->resets) {
		su->resets--;
		m->kind = SCST_USER_MSG_RESET;
		return NULL;
	}
	if (su->detach) {
		su->detach = false;
		m->kind = SCST_USER_MSG_DETACH;
		return NULL;
	}
	slot = list_first_entry_or_null(&su->execq, struct su_slot, entry);
	if (!slot)
		return ERR_PTR(-EAGAIN);
	list_del(&slot->entry);
	if (scst_cmd_abort_pending(slot->cmd)) {
		*aborted = slot->cmd;
		scst_cmd_set_status(slot->cmd, SCST_STATUS_TASK_ABORTED);
		*next = su_slot_put(su, slot);
		return ERR_PTR(-ECANCELED);
	}
	slot->state = SU_SLOT_FETCHED;
	return slot;
}

static bool su_has_msg(struct su_dev *su)
{
	return !list_empty(&su->abortq) || su->resets || su->detach ||
	       !list_empty(&su->execq);
}

static bool su_wait_cond(struct su_dev *su)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&su->lock, flags);
	ret = su_has_msg(su) || su->dead;
	spin_unlock_irqrestore(&su->lock, flags);
	return ret;
}

/* Fetch at most @max messages into @umsgs; returns the count or -errno. */
static int su_get_msgs(struct su_dev *su, struct scst_user_msg __user *umsgs,
		       u32 max)
{
	struct scst_user_msg m;
	struct su_slot *slot, *next;
	struct scst_cmd *aborted;
	unsigned long flags;
	u32 n = 0;

	while (n < max) {
		memset(&m, 0, sizeof(m));
		aborted = NULL;
		next = NULL;
		spin_lock_irqsave(&su->lock, flags);
		slot = su_next_msg(su, &m, &aborted, &next);
		if (slot && !IS_ERR(slot))
			su_msg_exec(su, slot, &m);
		spin_unlock_irqrestore(&su->lock, flags);
		if (aborted) {
			scst_cmd_complete(aborted);
			if (next)
				su_start(su, next);
			continue;
		}
		if (IS_ERR(slot))
			break;
		if (copy_to_user(&umsgs[n], &m, sizeof(m))) {
			/* give it back: the process never saw it */
			spin_lock_irqsave(&su->lock, flags);
			if (slot) {
				slot->state = SU_SLOT_QUEUED;
				list_add(&slot->entry, &su->execq);
			}
			spin_unlock_irqrestore(&su->lock, flags);
			return -EFAULT;
		}
		n++;
	}
	return n;
}

/**
 * su_reply_and_get() - SCST_USER_REPLY_AND_GET
 * @su: the file's state, registered
 * @arg: struct scst_user_get in user space
 *
 * Return: 0; -EINVAL for a bad argument or a reply with an unknown
 * handle (nr_replies then counts the replies taken); -EINTR when a
 * signal interrupted the wait; -EFAULT.
 */
long su_reply_and_get(struct su_dev *su, void __user *arg)
{
	struct scst_user_get __user *ug = arg;
	struct scst_user_reply __user *ureps;
	struct scst_user_reply r;
	struct scst_user_get g;
	int ret = 0, n;
	u32 i;

	if (copy_from_user(&g, arg, sizeof(g)))
		return -EFAULT;
	if (g.nr_replies > SU_MAX_BATCH || g.max_msgs > SU_MAX_BATCH ||
	    (g.flags & ~SCST_USER_GET_NONBLOCK))
		return -EINVAL;

	ureps = u64_to_user_ptr(g.replies);
	for (i = 0; i < g.nr_replies; i++) {
		if (copy_from_user(&r, &ureps[i], sizeof(r))) {
			ret = -EFAULT;
			break;
		}
		ret = su_take_reply(su, &r);
		if (ret)
			break;
	}
	if (ret) {
		if (put_user(i, &ug->nr_replies) || put_user(0, &ug->nr_msgs))
			return -EFAULT;
		return ret;
	}

	n = 0;
	while (g.max_msgs) {
		n = su_get_msgs(su, u64_to_user_ptr(g.msgs), g.max_msgs);
		if (n || (g.flags & SCST_USER_GET_NONBLOCK))
			break;
		ret = wait_event_interruptible(su->wq, su_wait_cond(su));
		if (ret) {
			ret = -EINTR;
			break;
		}
	}
	if (n < 0) {
		ret = n;
		n = 0;
	}
	if (put_user((u32)n, &ug->nr_msgs))
		return -EFAULT;
	return ret;
}
