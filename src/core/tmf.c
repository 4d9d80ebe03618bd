// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: task management functions (SAM-5 7).
 *
 * A function marks the commands it affects as aborted, completes those
 * that still wait for their turn in the task set, and then waits until
 * the driver has finished every marked command: commands in the middle
 * of backing I/O end when that I/O ends, and their response is sent once,
 * flagged aborted (the transport decides what reaches the wire).
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/slab.h>

#include "scst_priv.h"

struct scst_tmf_req {
	enum scst_tmf		fn;
	struct scst_session	*sess;		/* the requester */
	struct scst_device	*dev;		/* NULL: every device */
	u64			tag;
	atomic_t		pending;
	struct completion	done;
	unsigned int		found;
};

void scst_tmf_cmd_done(struct scst_cmd *cmd)
{
	struct scst_tmf_req *req = cmd->abort_tmf;

	if (atomic_dec_and_test(&req->pending))
		complete(&req->done);
}

static bool scst_tmf_affects(struct scst_tmf_req *req, struct scst_cmd *cmd)
{
	switch (req->fn) {
	case SCST_TMF_ABORT_TASK:
	case SCST_TMF_QUERY_TASK:
		return cmd->sess == req->sess && cmd->tag == req->tag;
	case SCST_TMF_ABORT_TASK_SET:
		return cmd->sess == req->sess && cmd->dev == req->dev;
	case SCST_TMF_CLEAR_TASK_SET:
	case SCST_TMF_LUN_RESET:
		return cmd->dev == req->dev;
	case SCST_TMF_I_T_NEXUS_RESET:
		return cmd->sess == req->sess;
	case SCST_TMF_TARGET_RESET:
		return cmd->sess->tgt == req->sess->tgt;
	}
	return false;
}

/* Mark the affected commands of one session; returns those now ours. */
static void scst_tmf_mark(struct scst_tmf_req *req, struct scst_session *sess,
			  struct list_head *to_complete)
{
	struct scst_cmd *cmd;
	unsigned long flags;

	spin_lock_irqsave(&sess->lock, flags);
	list_for_each_entry(cmd, &sess->cmds, list) {
		if (!scst_tmf_affects(req, cmd))
			continue;
		req->found++;
		/*
		 * A command whose response is already on its way is waited
		 * for all the same: the function ends after the driver has
		 * finished every command it touched.
		 */
		if (req->fn == SCST_TMF_QUERY_TASK ||
		    test_and_set_bit(SCST_CMD_ABORTED, &cmd->flags))
			continue;
		cmd->abort_tmf = req;
		atomic_inc(&req->pending);
		if (cmd->dev && scst_order_remove(to_scst_dev(cmd->dev), cmd))
			list_add_tail(&cmd->order_entry, to_complete);
		else if (cmd->dev && cmd->dev->handler->abort)
			cmd->dev->handler->abort(cmd);
	}
	spin_unlock_irqrestore(&sess->lock, flags);
}

static void scst_tmf_mark_all(struct scst_tmf_req *req)
{
	struct scst_session *sess;
	struct scst_cmd *cmd, *tmp;
	LIST_HEAD(to_complete);

	if (req->fn == SCST_TMF_CLEAR_TASK_SET ||
	    req->fn == SCST_TMF_LUN_RESET ||
	    req->fn == SCST_TMF_TARGET_RESET) {
		/* No mutex: error recovery must not wait for configuration. */
		rcu_read_lock();
		list_for_each_entry_rcu(sess, &scst_sess_list, global_entry)
			scst_tmf_mark(req, sess, &to_complete);
		rcu_read_unlock();
	} else {
		scst_tmf_mark(req, req->sess, &to_complete);
	}

	list_for_each_entry_safe(cmd, tmp, &to_complete, order_entry) {
		list_del_init(&cmd->order_entry);
		scst_cmd_respond(cmd);
	}
}

struct scst_tmf_ua {
	struct scst_session	*except;
	u8			ascq;
};

static void scst_tmf_ua_one(struct scst_session *sess, u16 lun, void *data)
{
	struct scst_tmf_ua *ua = data;

	if (sess != ua->except)
		scst_ua_reset(sess, lun, ua->ascq);
}

/* A reset condition on every LUN @sess sees. */
static void scst_tmf_ua_sess(struct scst_session *sess, u8 ascq)
{
	struct scst_lun *lun;
	struct scst_acg *acg;
	unsigned long idx;

	rcu_read_lock();
	acg = rcu_dereference(sess->acg);
	xa_for_each(&acg->luns, idx, lun)
		scst_ua_reset(sess, lun->id, ascq);
	rcu_read_unlock();
}

/* The UNIT ATTENTIONs that the function leaves behind (SAM-5 7.x). */
static void scst_tmf_set_ua(struct scst_tmf_req *req)
{
	struct scst_tmf_ua ua = { .except = NULL };
	struct scst_session *sess;

	switch (req->fn) {
	case SCST_TMF_LUN_RESET:
		ua.ascq = 0x03;	/* BUS DEVICE RESET FUNCTION OCCURRED */
		scst_for_each_dev_nexus(to_scst_dev(req->dev),
					scst_tmf_ua_one, &ua);
		break;
	case SCST_TMF_I_T_NEXUS_RESET:
		scst_tmf_ua_sess(req->sess, 0x07);	/* I_T NEXUS LOSS */
		break;
	case SCST_TMF_TARGET_RESET:
		/* Every I_T nexus of the target port: POWER ON, RESET. */
		rcu_read_lock();
		list_for_each_entry_rcu(sess, &scst_sess_list, global_entry)
			if (sess->tgt == req->sess->tgt)
				scst_tmf_ua_sess(sess, 0x00);
		rcu_read_unlock();
		break;
	default:
		break;
	}
}

static struct scst_device *scst_tmf_lun_dev(struct scst_session *sess,
					    const u8 *lun_raw, bool *held)
{
	struct scst_device *dev = NULL;
	struct scst_lun *lun;
	struct scst_acg *acg;
	u16 id;

	*held = false;
	if (scst_lun_decode(lun_raw, &id))
		return NULL;
	rcu_read_lock();
	acg = rcu_dereference(sess->acg);
	lun = xa_load(&acg->luns, id);
	if (lun && lun->dev && percpu_ref_tryget(&lun->dev->io_ref)) {
		dev = &lun->dev->pub;
		*held = true;
	}
	rcu_read_unlock();
	return dev;
}

static bool scst_tmf_needs_lun(enum scst_tmf fn)
{
	return fn == SCST_TMF_ABORT_TASK_SET || fn == SCST_TMF_CLEAR_TASK_SET ||
	       fn == SCST_TMF_LUN_RESET;
}

/**
 * scst_tmf_exec() - perform a task management function
 * @sess: the I_T nexus it arrived on
 * @fn: the function
 * @lun: the 8-byte LUN field, for functions addressed to a LUN
 * @tag: the task tag, for ABORT TASK and QUERY TASK
 *
 * Returns after every command the function aborted was finished by the
 * driver.
 *
 * Context: process context.
 * Return: SCST_TMF_COMPLETE, SCST_TMF_SUCCEEDED (QUERY TASK found the
 * task), SCST_TMF_INCORRECT_LUN or SCST_TMF_REJECTED.
 */
int scst_tmf_exec(struct scst_session *sess, enum scst_tmf fn,
		  const u8 *lun, u64 tag)
{
	struct scst_tmf_req req = {
		.fn = fn, .sess = sess, .tag = tag,
		.pending = ATOMIC_INIT(1),
	};
	bool held = false;

	init_completion(&req.done);
	if (scst_tmf_needs_lun(fn)) {
		req.dev = scst_tmf_lun_dev(sess, lun, &held);
		if (!req.dev)
			return SCST_TMF_INCORRECT_LUN;
	}

	scst_tmf_mark_all(&req);
	if (!atomic_dec_and_test(&req.pending))
		wait_for_completion(&req.done);
	scst_tmf_set_ua(&req);

	if (held)
		percpu_ref_put(&to_scst_dev(req.dev)->io_ref);
	if (fn == SCST_TMF_QUERY_TASK && req.found)
		return SCST_TMF_SUCCEEDED;
	return SCST_TMF_COMPLETE;
}
EXPORT_SYMBOL_GPL(scst_tmf_exec);
