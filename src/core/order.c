// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: task attributes (SAM-5 8.6), one shared task set per device.
 *
 * SIMPLE tasks run concurrently.  An ORDERED task starts when every task
 * before it has ended, and tasks after it wait until it has ended.  A
 * HEAD OF QUEUE task starts at once.  ACA is not supported (NACA is
 * refused in the CDB), so an ACA task is treated as SIMPLE.
 *
 * State is under dev->order.lock; commands that cannot start yet wait on
 * dev->order.deferred in arrival order.
 */
#include "scst_priv.h"

static bool scst_order_may_start(struct scst_order *o, struct scst_cmd *cmd)
{
	if (cmd->task_attr == SCST_TASK_HEAD_OF_QUEUE)
		return true;
	if (o->ordered_running)
		return false;
	if (cmd->task_attr == SCST_TASK_ORDERED)
		return o->running == 0;
	return true;
}

static void scst_order_start(struct scst_order *o, struct scst_cmd *cmd)
{
	lockdep_assert_held(&o->lock);
	o->running++;
	if (cmd->task_attr == SCST_TASK_ORDERED)
		o->ordered_running = true;
	set_bit(SCST_CMD_ADMITTED, &cmd->flags);
}

/**
 * scst_order_admit() - admit a command into the device's task set
 * @dev: the device
 * @cmd: the command
 *
 * Return: true if @cmd may run now; false if it was deferred and will be
 * run by scst_order_done() of an earlier command.
 */
bool scst_order_admit(struct scst_dev *dev, struct scst_cmd *cmd)
{
	struct scst_order *o = &dev->order;
	unsigned long flags;
	bool run;

	spin_lock_irqsave(&o->lock, flags);
	run = (cmd->task_attr == SCST_TASK_HEAD_OF_QUEUE ||
	       list_empty(&o->deferred)) && scst_order_may_start(o, cmd);
	if (run)
		scst_order_start(o, cmd);
	else
		list_add_tail(&cmd->order_entry, &o->deferred);
	spin_unlock_irqrestore(&o->lock, flags);
	return run;
}

/**
 * scst_order_done() - a command left the task set
 * @dev: the device
 * @cmd: the command, admitted before
 *
 * Starts the deferred commands that may run now; they run on scst_wq.
 */
void scst_order_done(struct scst_dev *dev, struct scst_cmd *cmd)
{
	struct scst_order *o = &dev->order;
	struct scst_cmd *next, *tmp;
	unsigned long flags;
	LIST_HEAD(ready);

	spin_lock_irqsave(&o->lock, flags);
	o->running--;
	if (cmd->task_attr == SCST_TASK_ORDERED)
		o->ordered_running = false;
	clear_bit(SCST_CMD_ADMITTED, &cmd->flags);
	list_for_each_entry_safe(next, tmp, &o->deferred, order_entry) {
		if (!scst_order_may_start(o, next))
			break;
		scst_order_start(o, next);
		list_move_tail(&next->order_entry, &ready);
		if (next->task_attr == SCST_TASK_ORDERED)
			break;
	}
	spin_unlock_irqrestore(&o->lock, flags);

	list_for_each_entry_safe(next, tmp, &ready, order_entry) {
		list_del_init(&next->order_entry);
		scst_cmd_exec(next, false);
	}
}

/**
 * scst_order_remove() - take an aborted command off the deferred list
 * @dev: the device
 * @cmd: the command
 *
 * Return: true if @cmd was waiting and is now the caller's to complete.
 */
bool scst_order_remove(struct scst_dev *dev, struct scst_cmd *cmd)
{
	struct scst_order *o = &dev->order;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&o->lock, flags);
	if (!test_bit(SCST_CMD_ADMITTED, &cmd->flags) &&
	    !list_empty(&cmd->order_entry)) {
		list_del_init(&cmd->order_entry);
		found = true;
	}
	spin_unlock_irqrestore(&o->lock, flags);
	return found;
}
