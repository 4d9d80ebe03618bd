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
	struct scst_cmd		*qerr_cmd;	/* QErr: the failed command */
	const u8		*lun;		/* the LUN field, if any */
	u64			tag;
	atomic_t		pending;
	struct completion	done;
	unsigned int		found;
	bool			wait;		/* a TMF waits; QErr does not */
	u8			qerr;		/* SCST_QERR_* for qerr_cmd */
	u8			ua_ascq;	/* 2Fh/ascq when TAS=0, or 0xff */
};

void scst_tmf_cmd_done(struct scst_cmd *cmd)
{
	struct scst_tmf_req *req = cmd->abort_tmf;

	if (atomic_dec_and_test(&req->pending))
		complete(&req->done);
}

static bool scst_tmf_affects(struct scst_tmf_req *req, struct scst_cmd *cmd)
{
	if (req->qerr_cmd)
		return cmd != req->qerr_cmd && cmd->dev == req->dev &&
		       (req->qerr == SCST_QERR_ALL || cmd->sess == req->sess);

	switch (req->fn) {
	case SCST_TMF_ABORT_TASK:
	case SCST_TMF_QUERY_TASK:
		return cmd->sess == req->sess && cmd->tag == req->tag;
	case SCST_TMF_ABORT_TASK_SET:
	case SCST_TMF_QUERY_TASK_SET:
		return cmd->sess == req->sess && cmd->dev == req->dev;
	case SCST_TMF_CLEAR_TASK_SET:
	case SCST_TMF_LUN_RESET:
		return cmd->dev == req->dev;
	case SCST_TMF_I_T_NEXUS_RESET:
		return cmd->sess == req->sess;
	case SCST_TMF_TARGET_RESET:
		return cmd->sess->tgt == req->sess->tgt;
	case SCST_TMF_QUERY_ASYNC_EVENT:
	case SCST_TMF_CLEAR_ACA:
		return false;
	}
	return false;
}

static bool scst_tmf_is_query(enum scst_tmf fn)
{
	return fn == SCST_TMF_QUERY_TASK || fn == SCST_TMF_QUERY_TASK_SET;
}

/*
 * Abort @cmd unless its response is committed (SCST_CMD_XMIT, set by
 * scst_cmd_aborted() with a compare-and-exchange on the same word, so
 * exactly one of the two wins).  A command of another I_T nexus gets
 * TASK ABORTED status when its device has TAS=1 (SPC-4 7.5.8); with
 * TAS=0 it ends silently and its nexus may be owed a COMMANDS CLEARED
 * UNIT ATTENTION.  Every abort holds cmd->sess->lock, so no two aborts
 * of one command race; scst_cmd_aborted() takes no lock.
 *
 * Return: true if this call aborted @cmd.
 */
static bool scst_tmf_abort_one(struct scst_tmf_req *req, struct scst_cmd *cmd)
{
	bool other = cmd->sess != req->sess && cmd->dev;
	bool tas = other && READ_ONCE(cmd->dev->tas);
	unsigned long old = READ_ONCE(cmd->flags), new;

	lockdep_assert_held(&cmd->sess->lock);
	do {
		if (old & (BIT(SCST_CMD_XMIT) | BIT(SCST_CMD_ABORTED)))
			return false;
		new = old | BIT(SCST_CMD_ABORTED);
		if (tas)
			new |= BIT(SCST_CMD_ABORT_TAS);
	} while (!try_cmpxchg(&cmd->flags, &old, new));
	if (other && !tas && req->ua_ascq != 0xff)
		scst_ua_add_locked(cmd->sess, cmd->lun, SCST_KEY_UNIT_ATTENTION,
				   0x2f, req->ua_ascq);
	return true;
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
		if (!scst_tmf_is_query(req->fn) &&
		    scst_tmf_abort_one(req, cmd)) {
			req->found++;
			if (cmd->dev &&
			    scst_order_remove(to_scst_dev(cmd->dev), cmd))
				list_add_tail(&cmd->order_entry, to_complete);
			else if (cmd->dev && cmd->dev->handler->abort)
				cmd->dev->handler->abort(cmd);
		} else if (!test_bit(SCST_CMD_XMIT, &cmd->flags)) {
			/* not on the wire yet (maybe aborted before): found */
			req->found++;
		}
		if (scst_tmf_is_query(req->fn))
			continue;
		/*
		 * A command aborted before (by QErr, or whose response is
		 * already on its way) is waited for all the same, unless
		 * another function waits for it already.
		 */
		if (req->wait && !cmd->abort_tmf) {
			cmd->abort_tmf = req;
			atomic_inc(&req->pending);
		}
	}
	spin_unlock_irqrestore(&sess->lock, flags);
}

static bool scst_tmf_all_sessions(struct scst_tmf_req *req)
{
	if (req->qerr_cmd)
		return req->qerr == SCST_QERR_ALL;
	return req->fn == SCST_TMF_CLEAR_TASK_SET ||
	       req->fn == SCST_TMF_LUN_RESET ||
	       req->fn == SCST_TMF_TARGET_RESET;
}

static void scst_tmf_mark_all(struct scst_tmf_req *req)
{
	struct scst_session *sess;
	struct scst_cmd *cmd, *tmp;
	LIST_HEAD(to_complete);

	if (scst_tmf_all_sessions(req)) {
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

/**
 * scst_tmf_qerr() - a command ends with CHECK CONDITION: apply QErr
 * @cmd: the command, before its status is sent
 *
 * SPC-4 7.5.8: QERR 01b aborts every other command of the device's task
 * set (other I_T nexuses: TASK ABORTED with TAS=1, else the UNIT
 * ATTENTION COMMANDS CLEARED BY DEVICE SERVER), 11b only those of the
 * same I_T nexus.  Nothing waits for the aborted commands: they end when
 * their backing I/O ends.
 *
 * Context: any context but hard irq.
 */
void scst_tmf_qerr(struct scst_cmd *cmd)
{
	struct scst_tmf_req req = {
		.sess = cmd->sess, .dev = cmd->dev, .qerr_cmd = cmd,
		.qerr = READ_ONCE(cmd->dev->qerr), .ua_ascq = 0x02,
	};

	if (req.qerr != SCST_QERR_ALL && req.qerr != SCST_QERR_NEXUS)
		return;
	scst_tmf_mark_all(&req);
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

/* The handler's part of a logical unit reset. */
static void scst_tmf_dev_reset(struct scst_device *dev)
{
	if (dev->handler->reset)
		dev->handler->reset(dev);
}

/* A reset condition on every LUN @sess sees; @reset: reset them too. */
static void scst_tmf_ua_sess(struct scst_session *sess, u8 ascq, bool reset)
{
	struct scst_lun *lun;
	struct scst_acg *acg;
	struct scst_dev *dev;
	unsigned long idx;

	rcu_read_lock();
	acg = rcu_dereference(sess->acg);
	xa_for_each(&acg->luns, idx, lun) {
		scst_ua_reset(sess, lun->id, ascq);
		dev = READ_ONCE(lun->dev);
		if (reset && dev)
			scst_tmf_dev_reset(&dev->pub);
	}
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
		rcu_read_lock();
		scst_tmf_dev_reset(req->dev);
		rcu_read_unlock();
		break;
	case SCST_TMF_I_T_NEXUS_RESET:
		/* I_T NEXUS LOSS OCCURRED */
		scst_tmf_ua_sess(req->sess, 0x07, false);
		break;
	case SCST_TMF_TARGET_RESET:
		/* Every I_T nexus of the target port: POWER ON, RESET. */
		rcu_read_lock();
		list_for_each_entry_rcu(sess, &scst_sess_list, global_entry)
			if (sess->tgt == req->sess->tgt)
				scst_tmf_ua_sess(sess, 0x00, true);
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
	switch (fn) {
	case SCST_TMF_ABORT_TASK_SET:
	case SCST_TMF_CLEAR_TASK_SET:
	case SCST_TMF_LUN_RESET:
	case SCST_TMF_QUERY_TASK_SET:
	case SCST_TMF_QUERY_ASYNC_EVENT:
	case SCST_TMF_CLEAR_ACA:
		return true;
	default:
		return false;
	}
}

/*
 * QUERY ASYNCHRONOUS EVENT (SAM-5 7.9): FUNCTION SUCCEEDED while a UNIT
 * ATTENTION is pending for the I_T_L nexus, with the condition that the
 * next command would report.  There are no deferred errors: every error
 * is reported with the command that caused it.
 */
static int scst_tmf_query_async(struct scst_tmf_req *req,
				struct scst_tmf_info *info)
{
	struct scst_tmf_info found = { };
	u16 lun;

	if (scst_lun_decode(req->lun, &lun))
		return SCST_TMF_INCORRECT_LUN;
	found.valid = scst_ua_peek(req->sess, lun, &found.key, &found.asc,
				   &found.ascq);
	if (info)
		*info = found;
	return found.valid ? SCST_TMF_SUCCEEDED : SCST_TMF_COMPLETE;
}

static int scst_tmf_result(struct scst_tmf_req *req)
{
	if (scst_tmf_is_query(req->fn) && req->found)
		return SCST_TMF_SUCCEEDED;
	return SCST_TMF_COMPLETE;
}

/**
 * scst_tmf_exec_info() - perform a task management function
 * @sess: the I_T nexus it arrived on
 * @fn: the function
 * @lun: the 8-byte LUN field, for functions addressed to a LUN
 * @tag: the task tag, for ABORT TASK and QUERY TASK
 * @info: NULL, or where the number of commands found goes, and what
 *        QUERY ASYNCHRONOUS EVENT puts in the additional response
 *        information (sense key, ASC, ASCQ of the condition)
 *
 * Returns after every command the function aborted was finished by the
 * driver.  Commands of other I_T nexuses that CLEAR TASK SET, LOGICAL
 * UNIT RESET or TARGET RESET abort get TASK ABORTED status if their
 * device has TAS=1; with TAS=0 they end without a response (CLEAR TASK
 * SET then leaves COMMANDS CLEARED BY ANOTHER INITIATOR to their nexus).
 * CLEAR ACA completes without effect: NACA=1 is refused, so no ACA
 * condition can exist.
 *
 * Context: process context.
 * Return: SCST_TMF_COMPLETE, SCST_TMF_SUCCEEDED (a QUERY function found
 * what it asked for), SCST_TMF_INCORRECT_LUN or SCST_TMF_REJECTED.
 */
int scst_tmf_exec_info(struct scst_session *sess, enum scst_tmf fn,
		       const u8 *lun, u64 tag, struct scst_tmf_info *info)
{
	struct scst_tmf_req req = {
		.fn = fn, .sess = sess, .tag = tag, .lun = lun,
		.pending = ATOMIC_INIT(1), .wait = true,
		.ua_ascq = fn == SCST_TMF_CLEAR_TASK_SET ? 0x00 : 0xff,
	};
	bool held = false;
	int ret;

	if (info)
		memset(info, 0, sizeof(*info));
	init_completion(&req.done);
	if (scst_tmf_needs_lun(fn)) {
		req.dev = scst_tmf_lun_dev(sess, lun, &held);
		if (!req.dev)
			return SCST_TMF_INCORRECT_LUN;
	}

	if (fn == SCST_TMF_QUERY_ASYNC_EVENT) {
		ret = scst_tmf_query_async(&req, info);
		goto out;
	}
	scst_tmf_mark_all(&req);
	if (!atomic_dec_and_test(&req.pending))
		wait_for_completion(&req.done);
	scst_tmf_set_ua(&req);
	scst_resv_tmf_reset(fn, sess, req.dev);
	ret = scst_tmf_result(&req);
	if (info)
		info->found = req.found;
out:
	if (held)
		percpu_ref_put(&to_scst_dev(req.dev)->io_ref);
	return ret;
}
EXPORT_SYMBOL_GPL(scst_tmf_exec_info);

/**
 * scst_tmf_exec() - perform a task management function
 * @sess: the I_T nexus it arrived on
 * @fn: the function
 * @lun: the 8-byte LUN field, for functions addressed to a LUN
 * @tag: the task tag, for ABORT TASK and QUERY TASK
 *
 * scst_tmf_exec_info() without the additional response information.
 *
 * Context: process context.
 * Return: see scst_tmf_exec_info().
 */
int scst_tmf_exec(struct scst_session *sess, enum scst_tmf fn,
		  const u8 *lun, u64 tag)
{
	return scst_tmf_exec_info(sess, fn, lun, tag, NULL);
}
EXPORT_SYMBOL_GPL(scst_tmf_exec);

/**
 * scst_tmf_abort_sessions() - abort the commands of some I_T nexuses on
 *	one device (PREEMPT AND ABORT)
 * @sess: the I_T nexus that asks for it
 * @dev: the device
 * @match: called under rcu_read_lock() for every session; true selects it
 * @data: passed to @match
 *
 * Works like CLEAR TASK SET restricted to the selected nexuses: their
 * commands end with TASK ABORTED if the device has TAS=1, else silently
 * with COMMANDS CLEARED BY ANOTHER INITIATOR for their nexus.  Returns
 * after the driver has finished every command it aborted; those in the
 * middle of backing I/O end when that I/O does and are answered once.
 *
 * Context: process context.
 */
void scst_tmf_abort_sessions(struct scst_session *sess,
			     struct scst_device *dev,
			     bool (*match)(struct scst_session *sess,
					   void *data),
			     void *data)
{
	struct scst_tmf_req req = {
		.fn = SCST_TMF_CLEAR_TASK_SET, .sess = sess, .dev = dev,
		.pending = ATOMIC_INIT(1), .wait = true, .ua_ascq = 0x00,
	};
	struct scst_session *s;
	struct scst_cmd *cmd, *tmp;
	LIST_HEAD(to_complete);

	init_completion(&req.done);
	rcu_read_lock();
	list_for_each_entry_rcu(s, &scst_sess_list, global_entry)
		if (s != sess && match(s, data))
			scst_tmf_mark(&req, s, &to_complete);
	rcu_read_unlock();
	list_for_each_entry_safe(cmd, tmp, &to_complete, order_entry) {
		list_del_init(&cmd->order_entry);
		scst_cmd_respond(cmd);
	}
	if (!atomic_dec_and_test(&req.pending))
		wait_for_completion(&req.done);
}
