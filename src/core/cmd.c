// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: the life of a command, from scst_cmd_submit() to
 * scst_cmd_finished().
 *
 * prepare (optional, driver's task context; cmd_prep stages below)
 *   -> LUN lookup, CDB decode, range and write checks, and the data
 *      buffer of a WRITE, for the driver to receive the data into
 * submit (driver's context, never sleeps)
 *   -> LUN lookup, CDB decode, UNIT ATTENTION, range and write checks
 *      (of a prepared command: only the UNIT ATTENTION; the outcome of
 *      the rest is answered in the same order)
 *   -> data buffer (the driver's, the handler's (->alloc_buf), or the
 *      buffer cache's)
 *   -> ->rdy_to_xfer() for WRITE data into a core buffer
 *   -> task-attribute admission (order.c)
 *   -> ->exec(): inline for handlers that do not sleep; else
 *      ->exec_nowait() inline if the driver submits in task context
 *      (tt->submit_in_task) and the handler takes the command there,
 *      else ->exec() on scst_wq
 * complete (handler, any context)
 *   -> ordering release -> counters (stats.c) -> ->xmit_response()
 * finished (driver)
 *   -> buffers and references dropped
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/module.h>
#include <linux/scatterlist.h>

#include "scst_priv.h"
#include "scst_cdb_pt.h"
#include "netlink.h"

static void scst_cmd_admit(struct scst_cmd *cmd, bool in_task);

/**
 * scst_cmd_init() - prepare a command for scst_cmd_submit()
 * @cmd: the command, embedded in the driver's per-command structure
 * @sess: the session (I_T nexus) it came in on
 * @lun: the 8-byte LUN field as received
 * @cdb: the CDB
 * @cdb_len: its length
 * @attr: task attribute
 * @tag: the transport's task tag, used by ABORT TASK and QUERY TASK
 * @dir: data direction the initiator expects
 * @expected_len: number of bytes the initiator expects to transfer; with
 *                tt->reports_overflow a WRITE asking for more is carried
 *                out for the whole blocks of @expected_len, or refused
 *                (scst_cmd_trim_write())
 *
 * Zeroes @cmd first; set cmd->tgt_priv afterwards.
 */
void scst_cmd_init(struct scst_cmd *cmd, struct scst_session *sess,
		   const u8 *lun, const u8 *cdb, unsigned int cdb_len,
		   enum scst_task_attr attr, u64 tag,
		   enum scst_data_dir dir, u32 expected_len)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->sess = sess;
	memcpy(cmd->lun_raw, lun, sizeof(cmd->lun_raw));
	cmd->cdb_len = min_t(unsigned int, cdb_len, SCST_MAX_CDB_SIZE);
	memcpy(cmd->cdb, cdb, cmd->cdb_len);
	if (cdb_len > SCST_MAX_CDB_SIZE)
		cmd->cdb_len = 0;	/* answered INVALID FIELD IN CDB */
	cmd->task_attr = attr;
	cmd->tag = tag;
	cmd->expected_dir = dir;
	cmd->expected_len = expected_len;
	INIT_LIST_HEAD(&cmd->list);
	INIT_LIST_HEAD(&cmd->order_entry);
	percpu_ref_get(&sess->ref);
	cmd->start_ns = ktime_get_ns();
}
EXPORT_SYMBOL_GPL(scst_cmd_init);

/**
 * scst_cmd_set_tgt_sg() - let the command use the driver's data buffer
 * @cmd: the command
 * @sg: scatterlist of the buffer
 * @sg_cnt: its number of entries
 * @len: its length in bytes
 *
 * With a driver buffer the core does not call ->rdy_to_xfer(): WRITE data
 * must be in the buffer at scst_cmd_submit() time.  The buffer must be
 * the initiator's own memory: a handler may leave it unwritten on a READ
 * (scst_cmd_buf_is_initiators()).
 */
void scst_cmd_set_tgt_sg(struct scst_cmd *cmd, struct scatterlist *sg,
			 unsigned int sg_cnt, u32 len)
{
	cmd->sg = sg;
	cmd->sg_cnt = sg_cnt;
	cmd->buf_len = len;
}
EXPORT_SYMBOL_GPL(scst_cmd_set_tgt_sg);

/**
 * scst_cmd_buf_is_initiators() - whether cmd->sg is the initiator's memory
 * @cmd: the command, with its data buffer
 *
 * True for a buffer the driver gave (scst_cmd_set_tgt_sg(): for
 * scst_local the pages the initiator's kernel put in the request), false
 * for a buffer of the core's cache or of a handler (->alloc_buf()), which
 * may still hold the data of another command, of another initiator.  Only the former may be left
 * unwritten by a READ (vdisk_nullio read_zero=0).
 *
 * Return: true if the data buffer belongs to the initiator.
 */
bool scst_cmd_buf_is_initiators(const struct scst_cmd *cmd)
{
	return cmd->sg && !test_bit(SCST_CMD_CORE_BUF, &cmd->flags) &&
	       !test_bit(SCST_CMD_DEV_BUF, &cmd->flags);
}
EXPORT_SYMBOL_GPL(scst_cmd_buf_is_initiators);

/**
 * scst_cmd_buf_lend() - lend cmd->sg's pages by reference, if they may be
 * @cmd: the command, with its data buffer
 *
 * True for a buffer of the core's cache: its pages may be handed to the
 * network stack without a copy (MSG_SPLICE_PAGES, sendpage), which keeps
 * its own page references past scst_cmd_finished(); the buffer is then
 * marked so that the cache, when it gets it back, gives up every page
 * somebody else still holds (see buf.c).  False for a driver's or a
 * handler's buffer, which its owner may reuse at once: copy it.
 *
 * Return: true if the pages may be lent.
 */
bool scst_cmd_buf_lend(struct scst_cmd *cmd)
{
	if (!cmd->sg || !test_bit(SCST_CMD_CORE_BUF, &cmd->flags))
		return false;
	set_bit(SCST_CMD_BUF_LENT, &cmd->flags);
	return true;
}
EXPORT_SYMBOL_GPL(scst_cmd_buf_lend);

/* --- results --- */

/**
 * scst_cmd_set_status() - set the SCSI status of a command
 * @cmd: the command
 * @status: SAM status code
 */
void scst_cmd_set_status(struct scst_cmd *cmd, u8 status)
{
	cmd->status = status;
}
EXPORT_SYMBOL_GPL(scst_cmd_set_status);

static bool scst_cmd_d_sense(struct scst_cmd *cmd)
{
	return cmd->dev && READ_ONCE(cmd->dev->d_sense);
}

/**
 * scst_cmd_set_sense() - CHECK CONDITION with the given sense
 * @cmd: the command
 * @key: sense key
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * The format (fixed or descriptor) follows the device's D_SENSE bit.
 */
void scst_cmd_set_sense(struct scst_cmd *cmd, u8 key, u8 asc, u8 ascq)
{
	int len = scst_sense_build(cmd->sense, sizeof(cmd->sense),
				   scst_cmd_d_sense(cmd), key, asc, ascq);

	cmd->sense_len = len > 0 ? len : 0;
	cmd->status = SCST_STATUS_CHECK_CONDITION;
	cmd->resp_len = 0;
}
EXPORT_SYMBOL_GPL(scst_cmd_set_sense);

/* Add the sense-key specific field pointer to the sense just built. */
static void scst_cmd_set_field_pointer(struct scst_cmd *cmd, bool in_cdb,
				       u16 byte, int bit)
{
	int len = scst_sense_set_field_pointer(cmd->sense, sizeof(cmd->sense),
					       in_cdb, byte, bit);

	if (len > 0)
		cmd->sense_len = len;
}

/**
 * scst_cmd_set_invalid_field() - ILLEGAL REQUEST with a field pointer
 * @cmd: the command
 * @in_cdb: the field is in the CDB (INVALID FIELD IN CDB), else in the
 *          parameter list (INVALID FIELD IN PARAMETER LIST)
 * @byte: byte offset of the field
 * @bit: its most significant bit, or -1
 */
void scst_cmd_set_invalid_field(struct scst_cmd *cmd, bool in_cdb,
				u16 byte, int bit)
{
	if (in_cdb)
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_FIELD_IN_CDB);
	else
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_FIELD_IN_PARAM_LIST);
	scst_cmd_set_field_pointer(cmd, in_cdb, byte, bit);
}
EXPORT_SYMBOL_GPL(scst_cmd_set_invalid_field);

/**
 * scst_cmd_copy_to_buf() - return data to the initiator from a buffer
 * @cmd: a data-in command
 * @buf: the data
 * @len: its length
 *
 * Copies at most the allocation length and the buffer size, and sets
 * cmd->resp_len to what was copied.
 *
 * Return: the number of bytes copied.
 */
int scst_cmd_copy_to_buf(struct scst_cmd *cmd, const void *buf,
			 unsigned int len)
{
	unsigned int n = min3(len, cmd->data_len, cmd->buf_len);

	if (n)
		n = sg_copy_from_buffer(cmd->sg, cmd->sg_cnt, (void *)buf, n);
	cmd->resp_len = n;
	return n;
}
EXPORT_SYMBOL_GPL(scst_cmd_copy_to_buf);

/**
 * scst_cmd_copy_from_buf() - read the data-out buffer of a command
 * @cmd: a data-out command
 * @buf: where to copy
 * @len: at most this many bytes
 *
 * Return: the number of bytes copied.
 */
int scst_cmd_copy_from_buf(struct scst_cmd *cmd, void *buf, unsigned int len)
{
	unsigned int n = min3(len, cmd->data_len, cmd->buf_len);

	return n ? sg_copy_to_buffer(cmd->sg, cmd->sg_cnt, buf, n) : 0;
}
EXPORT_SYMBOL_GPL(scst_cmd_copy_from_buf);

/**
 * scst_cmd_abort_pending() - whether task management aborted a command
 * @cmd: a command the handler holds (between ->exec() and completion)
 *
 * For handlers that queue commands before starting them: an aborted one
 * that did not start yet may be completed at once, without running it.
 * Unlike scst_cmd_aborted(), this changes nothing and takes no lock.
 *
 * Context: any context.
 */
bool scst_cmd_abort_pending(struct scst_cmd *cmd)
{
	return test_bit(SCST_CMD_ABORTED, &cmd->flags);
}
EXPORT_SYMBOL_GPL(scst_cmd_abort_pending);

/**
 * scst_cmd_aborted() - whether the command was aborted without a response
 * @cmd: the command
 *
 * A driver's ->xmit_response() (or its transmit path) calls this once,
 * right before it sends the response: the transport decides whether an
 * aborted command still gets a response.  A command of another I_T nexus
 * aborted on a device with TAS=1 is not "aborted" here: it must reach its
 * initiator with TASK ABORTED status (cmd->status).  When this returns
 * false the response is committed: task management that comes later
 * counts the task as ended (ABORT TASK of it answers "no such task").
 *
 * Context: any context.
 */
bool scst_cmd_aborted(struct scst_cmd *cmd)
{
	unsigned long old = READ_ONCE(cmd->flags);

	/*
	 * One compare-and-exchange against scst_tmf_abort_one(): either
	 * the abort came first and is seen here, or XMIT is set first and
	 * task management sees it (and leaves the command alone).
	 */
	do {
		if ((old & BIT(SCST_CMD_ABORTED)) &&
		    !(old & BIT(SCST_CMD_ABORT_TAS)))
			return true;
	} while (!try_cmpxchg(&cmd->flags, &old, old | BIT(SCST_CMD_XMIT)));
	return false;
}
EXPORT_SYMBOL_GPL(scst_cmd_aborted);

/**
 * scst_cmd_rel_tgt_id() - relative target port id of the command's target
 * @cmd: the command
 */
u16 scst_cmd_rel_tgt_id(struct scst_cmd *cmd)
{
	return scst_sess_rel_tgt_id(cmd->sess);
}
EXPORT_SYMBOL_GPL(scst_cmd_rel_tgt_id);

/**
 * scst_cmd_tgt_name() - name of the command's target (its port name)
 * @cmd: the command
 */
const char *scst_cmd_tgt_name(struct scst_cmd *cmd)
{
	return scst_tgt_name(cmd->sess->tgt);
}
EXPORT_SYMBOL_GPL(scst_cmd_tgt_name);

/* --- the life cycle --- */

/*
 * The driver's buffer is shorter than the data the CDB asks for: a READ
 * runs into a core buffer, of which the driver gets what fits
 * (scst_cmd_unbounce()); a WRITE cannot be carried out.
 */
static int scst_cmd_bounce(struct scst_cmd *cmd)
{
	if (cmd->dir != SCST_DIR_READ) {
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_FIELD_IN_CDB);
		return -EINVAL;
	}
	cmd->tgt_sg = cmd->sg;
	cmd->tgt_sg_cnt = cmd->sg_cnt;
	cmd->tgt_buf_len = cmd->buf_len;
	cmd->sg = NULL;
	cmd->buf_len = 0;
	return 0;
}

static void scst_cmd_unbounce(struct scst_cmd *cmd)
{
	u32 n = min(cmd->resp_len, cmd->tgt_buf_len);
	struct sg_mapping_iter m;
	u32 off = 0;

	sg_miter_start(&m, cmd->sg, cmd->sg_cnt,
		       SG_MITER_FROM_SG | SG_MITER_ATOMIC);
	while (off < n && sg_miter_next(&m)) {
		size_t len = min_t(size_t, m.length, n - off);

		sg_pcopy_from_buffer(cmd->tgt_sg, cmd->tgt_sg_cnt, m.addr, len,
				     off);
		off += len;
	}
	sg_miter_stop(&m);
	cmd->sg = cmd->tgt_sg;
	cmd->sg_cnt = cmd->tgt_sg_cnt;
	cmd->buf_len = cmd->tgt_buf_len;
	cmd->resp_len = n;
	cmd->tgt_sg = NULL;
}

void scst_cmd_respond(struct scst_cmd *cmd)
{
	struct scst_dev *dev = cmd->dev ? to_scst_dev(cmd->dev) : NULL;

	if (unlikely(cmd->tgt_sg))
		scst_cmd_unbounce(cmd);

	if (dev && cmd->status == SCST_STATUS_CHECK_CONDITION)
		scst_nl_event_dev_error(cmd);
	if (test_bit(SCST_CMD_ABORTED, &cmd->flags)) {
		cmd->status = SCST_STATUS_TASK_ABORTED;
		cmd->sense_len = 0;
		cmd->resp_len = 0;
	} else if (dev && cmd->status == SCST_STATUS_CHECK_CONDITION &&
		   READ_ONCE(cmd->dev->qerr)) {
		scst_tmf_qerr(cmd);
	}
	scst_stats_cmd_done(cmd);
	cmd->sess->tgt->tt->xmit_response(cmd);
}

/**
 * scst_cmd_complete() - the handler is done with a command
 * @cmd: the command, its status and data set
 *
 * Context: any context.
 */
void scst_cmd_complete(struct scst_cmd *cmd)
{
	if (test_bit(SCST_CMD_ADMITTED, &cmd->flags))
		scst_order_done(to_scst_dev(cmd->dev), cmd);
	scst_cmd_respond(cmd);
}
EXPORT_SYMBOL_GPL(scst_cmd_complete);

static void scst_cmd_exec_work(struct work_struct *work)
{
	struct scst_cmd *cmd = container_of(work, struct scst_cmd, work);

	cmd->dev->handler->exec(cmd);
}

static void scst_cmd_queue(struct scst_cmd *cmd, work_func_t fn)
{
	INIT_WORK(&cmd->work, fn);
	queue_work(scst_wq, &cmd->work);
}

static void scst_cmd_resv_work(struct work_struct *work)
{
	scst_resv_exec(container_of(work, struct scst_cmd, work));
}

static void scst_cmd_alua_work(struct work_struct *work)
{
	scst_alua_exec(container_of(work, struct scst_cmd, work));
}

/**
 * scst_cmd_exec() - run an admitted command in the handler
 * @cmd: the command
 * @in_task: the caller is in task context without spinlocks or RCU read
 *           lock held: it may be rescheduled but must not wait for I/O
 *
 * A handler that sleeps is run on scst_wq unless, with @in_task, its
 * ->exec_nowait() takes the command; others run right here, in the
 * caller's context.
 */
void scst_cmd_exec(struct scst_cmd *cmd, bool in_task)
{
	struct scst_dev_handler *h = cmd->dev->handler;

	if (test_bit(SCST_CMD_ABORTED, &cmd->flags)) {
		scst_cmd_complete(cmd);
		return;
	}
	if (scst_resv_conflict(cmd)) {
		scst_cmd_set_status(cmd, SCST_STATUS_RESERVATION_CONFLICT);
		cmd->resp_len = 0;
		scst_cmd_complete(cmd);
		return;
	}
	if (scst_resv_cmd_is_ours(cmd)) {
		/* reservation commands sleep: always on scst_wq */
		scst_cmd_queue(cmd, scst_cmd_resv_work);
		return;
	}
	if (scst_alua_emulated(cmd)) {
		scst_cmd_queue(cmd, scst_cmd_alua_work);
		return;
	}
	if (!(h->flags & SCST_HANDLER_EXEC_SLEEPS))
		h->exec(cmd);
	else if (!in_task || !h->exec_nowait || !h->exec_nowait(cmd))
		scst_cmd_queue(cmd, scst_cmd_exec_work);
}

static void scst_cmd_admit(struct scst_cmd *cmd, bool in_task)
{
	if (scst_order_admit(to_scst_dev(cmd->dev), cmd))
		scst_cmd_exec(cmd, in_task);
}

/**
 * scst_cmd_rx_done() - WRITE data arrived in the core's buffer
 * @cmd: the command
 * @ok: false if the transfer failed; the command then ends with
 *      ABORTED COMMAND
 *
 * Context: any context.
 */
void scst_cmd_rx_done(struct scst_cmd *cmd, bool ok)
{
	if (!ok) {
		scst_cmd_set_sense(cmd, SCST_KEY_ABORTED_COMMAND,
				   SCST_AQ_ASC(SCST_AQ_DATA_PHASE_ERROR),
				   SCST_AQ_ASCQ(SCST_AQ_DATA_PHASE_ERROR));
		scst_cmd_respond(cmd);
		return;
	}
	scst_cmd_admit(cmd, false);
}
EXPORT_SYMBOL_GPL(scst_cmd_rx_done);

static void scst_cmd_spc_work(struct work_struct *work)
{
	struct scst_cmd *cmd = container_of(work, struct scst_cmd, work);

	scst_spc_exec(cmd);
}

/*
 * The data buffer of a command for the handler's ->exec(): the handler's
 * own when it offers one (->alloc_buf(), so that it need not copy), else
 * one from the core's cache.
 */
static int scst_cmd_buf_get(struct scst_cmd *cmd, gfp_t gfp)
{
	struct scst_dev_handler *h = cmd->dev->handler;
	int ret;

	if (h->alloc_buf && !scst_resv_cmd_is_ours(cmd) &&
	    !scst_alua_emulated(cmd)) {
		ret = h->alloc_buf(cmd, gfp);
		if (!ret) {
			WARN_ON_ONCE(!cmd->sg || cmd->buf_len < cmd->data_len);
			set_bit(SCST_CMD_DEV_BUF, &cmd->flags);
			return 0;
		}
		if (ret != -EAGAIN)
			return ret;
	}
	return scst_buf_alloc(cmd, gfp);
}

/* Buffer allocation that could not be done in atomic context. */
static void scst_cmd_buf_work(struct work_struct *work)
{
	struct scst_cmd *cmd = container_of(work, struct scst_cmd, work);

	if (scst_cmd_buf_get(cmd, GFP_KERNEL)) {
		scst_cmd_set_sense(cmd, SCST_SENSE_TRIPLE(
				   SCST_KEY_ABORTED_COMMAND,
				   SCST_AQ_INSUFFICIENT_RESOURCES));
		scst_cmd_respond(cmd);
		return;
	}
	if (cmd->dir == SCST_DIR_WRITE && cmd->data_len) {
		cmd->sess->tgt->tt->rdy_to_xfer(cmd);
		return;
	}
	scst_cmd_admit(cmd, true);
}

/* Look the LUN up and hold its device; false if it has none. */
static bool scst_cmd_lookup(struct scst_cmd *cmd, bool *not_ready)
{
	struct scst_lun *lun;
	struct scst_acg *acg;
	struct scst_dev *dev;
	bool found = false;

	*not_ready = false;
	if (scst_lun_decode(cmd->lun_raw, &cmd->lun))
		return false;

	rcu_read_lock();
	acg = rcu_dereference(cmd->sess->acg);
	lun = xa_load(&acg->luns, cmd->lun);
	dev = lun ? READ_ONCE(lun->dev) : NULL;
	if (dev) {
		found = true;
		/* fails only for a LUN being removed: then it counts nothing */
		if (percpu_ref_tryget_live(&lun->ref))
			cmd->lun_ref = lun;
		cmd->lun_read_only = READ_ONCE(lun->read_only);
		if (percpu_ref_tryget_live(&dev->io_ref)) {
			cmd->dev = &dev->pub;
			set_bit(SCST_CMD_DEV_REF, &cmd->flags);
		} else {
			/* Disabled: no reference, keep only its type. */
			cmd->pdt = dev->pub.handler->type;
			*not_ready = true;
		}
	}
	rcu_read_unlock();
	return found;
}

static int scst_cmd_decode(struct scst_cmd *cmd, u8 type)
{
	struct scst_cdb_err err;
	int ret;

	if (cmd->dev &&
	    (cmd->dev->handler->flags & SCST_HANDLER_PASSTHROUGH))
		ret = scst_cdb_decode_pt(cmd->cdb, cmd->cdb_len, type,
					 cmd->expected_dir, cmd->expected_len,
					 &cmd->ci, &err);
	else
		ret = scst_cdb_decode(cmd->cdb, cmd->cdb_len, type, &cmd->ci,
				      &err);
	if (ret == -EOPNOTSUPP) {
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_OPCODE);
	} else if (ret) {
		scst_cmd_set_sense(cmd, err.key, err.asc, err.ascq);
		if (err.sksv)
			scst_cmd_set_field_pointer(cmd, true, err.field,
						   err.bit);
	}
	return ret;
}

/*
 * The initiator's Data-Out buffer (expected_len) is shorter than the data
 * a WRITE-type command asks for.  SAM-5 leaves the outcome to the
 * transport; as FCP-4 (9.4.2) does, and as RFC 7143 (11.4.5.2) reports
 * it (residual overflow of SPDTL - EDTL bytes): a command whose data is
 * a run of logical blocks is carried out for the whole blocks the buffer
 * holds, none for an empty buffer, and nothing past them is requested
 * or written; any other such command (a partial block, a parameter list,
 * WRITE SAME, COMPARE AND WRITE) ends with ILLEGAL REQUEST, INVALID
 * FIELD IN COMMAND INFORMATION UNIT before data moves.  cmd->spdtl keeps
 * what the CDB asked for.  Only for drivers that report the overflow to
 * the initiator (tt->reports_overflow): elsewhere a short write would go
 * unnoticed, and the command fails as it always did.
 */
static bool scst_cmd_trim_write(struct scst_cmd *cmd, u64 *len)
{
	const u32 not_runs = SCST_CDB_NO_DATA | SCST_CDB_DATA_ONE_BLOCK |
			     SCST_CDB_DATA_TWICE | SCST_CDB_ZERO_TO_END;
	struct scst_cdb_info *ci = &cmd->ci;
	u32 shift = cmd->dev->block_shift;

	if (ci->dir != SCST_DIR_WRITE || cmd->expected_dir == SCST_DIR_READ ||
	    *len <= cmd->expected_len ||
	    !cmd->sess->tgt->tt->reports_overflow)
		return true;
	if (!(ci->flags & SCST_CDB_BLOCKIO) || (ci->flags & not_runs) ||
	    (cmd->expected_len & ((1U << shift) - 1))) {
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_FIELD_IN_CMD_IU);
		return false;
	}
	ci->nblocks = cmd->expected_len >> shift;
	*len = cmd->expected_len;
	return true;
}

/* Range, size and write-protection checks of a decoded command. */
static bool scst_cmd_check(struct scst_cmd *cmd)
{
	struct scst_device *dev = cmd->dev;
	struct scst_cdb_info *ci = &cmd->ci;
	u64 len;

	if ((ci->flags & SCST_CDB_NEEDS_MEDIUM) && READ_ONCE(dev->no_medium)) {
		scst_cmd_set_sense(cmd, SCST_SENSE_MEDIUM_NOT_PRESENT);
		return false;
	}
	if (ci->flags & SCST_CDB_BLOCKIO) {
		if (ci->lba > dev->nr_blocks ||
		    ci->nblocks > dev->nr_blocks - ci->lba) {
			scst_cmd_set_sense(cmd, SCST_SENSE_LBA_OUT_OF_RANGE);
			return false;
		}
		len = scst_cdb_data_len(ci, 1U << dev->block_shift);
	} else {
		len = ci->data_len;
	}
	if (len > SCST_MAX_IO_BYTES) {
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_FIELD_IN_CDB);
		return false;
	}
	cmd->spdtl = len;
	if (!scst_cmd_trim_write(cmd, &len))
		return false;
	cmd->data_len = len;
	cmd->dir = len ? ci->dir : SCST_DIR_NONE;

	if ((ci->flags & SCST_CDB_WRITES_MEDIUM) &&
	    (cmd->lun_read_only || READ_ONCE(dev->read_only))) {
		scst_cmd_set_sense(cmd, SCST_SENSE_WRITE_PROTECTED);
		return false;
	}
	return true;
}

/* Commands to a LUN without an enabled device, or without any device. */
static void scst_cmd_no_device(struct scst_cmd *cmd, bool mapped)
{
	u8 op = cmd->cdb_len ? cmd->cdb[0] : 0xff;
	/* The three commands below have the same layout for every type. */
	u8 type = SCST_TYPE_DISK;

	if (!mapped)
		cmd->pdt = 0x1f;	/* INQUIRY: no logical unit here */

	if (op != INQUIRY && op != REQUEST_SENSE && op != REPORT_LUNS) {
		if (mapped)
			scst_cmd_set_sense(cmd, SCST_SENSE_TRIPLE(
					   SCST_KEY_NOT_READY,
					   SCST_AQ_LU_NOT_READY_MANUAL_INTERV));
		else
			scst_cmd_set_sense(cmd, SCST_SENSE_LUN_NOT_SUPPORTED);
		scst_cmd_respond(cmd);
		return;
	}
	if (scst_cmd_decode(cmd, type)) {
		scst_cmd_respond(cmd);
		return;
	}
	cmd->data_len = min_t(u32, cmd->ci.data_len, SCST_MAX_IO_BYTES);
	cmd->dir = cmd->data_len ? SCST_DIR_READ : SCST_DIR_NONE;
	scst_cmd_queue(cmd, scst_cmd_spc_work);
}

/* A UNIT ATTENTION for the command's I_T_L nexus, now its sense. */
static bool scst_cmd_ua(struct scst_cmd *cmd)
{
	u8 key, asc, ascq;

	if ((cmd->ci.flags & SCST_CDB_UA_EXEMPT) ||
	    !scst_ua_take(cmd->sess, cmd->lun, &key, &asc, &ascq))
		return false;
	scst_cmd_set_sense(cmd, key, asc, ascq);
	return true;
}

/* A decoded and checked command: to the emulation or the handler. */
static void scst_cmd_start(struct scst_cmd *cmd)
{
	struct scst_tgt_template *tt = cmd->sess->tgt->tt;

	if (scst_spc_emulated(cmd)) {
		scst_cmd_queue(cmd, scst_cmd_spc_work);
		return;
	}
	if (unlikely(cmd->sg && cmd->buf_len < cmd->data_len) &&
	    scst_cmd_bounce(cmd)) {
		scst_cmd_respond(cmd);
		return;
	}
	if (!cmd->sg && cmd->data_len) {
		if (scst_cmd_buf_get(cmd, GFP_NOWAIT)) {
			scst_cmd_queue(cmd, scst_cmd_buf_work);
			return;
		}
		if (cmd->dir == SCST_DIR_WRITE) {
			tt->rdy_to_xfer(cmd);
			return;
		}
	}
	scst_cmd_admit(cmd, tt->submit_in_task);
}

/*
 * Outcomes of scst_cmd_prepare() (cmd->prep), answered by
 * scst_cmd_submit() in the order an unprepared command meets them: an
 * invalid CDB (length, decode) and a LUN without a device before a UNIT
 * ATTENTION, a failed check or a missing buffer after it.
 */
enum {
	SCST_CMD_UNPREPARED,
	SCST_CMD_PREP_OK,
	SCST_CMD_PREP_BAD_CDB,
	SCST_CMD_PREP_NO_LUN,
	SCST_CMD_PREP_NOT_READY,
	SCST_CMD_PREP_CHECK,
	SCST_CMD_PREP_NOMEM,
};

static u8 scst_cmd_prep_stage(struct scst_cmd *cmd)
{
	bool not_ready;

	if (!cmd->cdb_len) {
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_FIELD_IN_CDB);
		return SCST_CMD_PREP_BAD_CDB;
	}
	if (!scst_cmd_lookup(cmd, &not_ready))
		return SCST_CMD_PREP_NO_LUN;
	if (not_ready)
		return SCST_CMD_PREP_NOT_READY;
	if (scst_cmd_decode(cmd, cmd->dev->handler->type))
		return SCST_CMD_PREP_BAD_CDB;
	if (!scst_cmd_check(cmd))
		return SCST_CMD_PREP_CHECK;
	return SCST_CMD_PREP_OK;
}

/**
 * scst_cmd_prepare() - decode a command and get its WRITE buffer early
 * @cmd: the command, after scst_cmd_init() and before scst_cmd_submit()
 *
 * For a driver that receives all WRITE data before it submits: it may
 * receive the data straight into the buffer the command executes from
 * (the device handler's, ->alloc_buf(), or one of the core's cache),
 * instead of into its own buffer.  Looks the LUN up (the command then
 * holds the device), decodes the CDB and checks range, length and write
 * protection, as scst_cmd_submit() would; takes no UNIT ATTENTION and
 * starts nothing.  Whatever it finds wrong is answered by
 * scst_cmd_submit(), in the order it would have answered it.
 *
 * On 0 the driver puts the first cmd->data_len bytes of the data-out
 * buffer in cmd->sg (cmd->sg_cnt entries, cmd->buf_len bytes) and
 * discards the rest; cmd->data_len may be shorter than expected_len.
 * Otherwise the driver receives the data into nothing; the command still
 * goes to scst_cmd_submit() (and later scst_cmd_finished()) as usual.
 * The command is not on the session's list (task management does not
 * see it) until scst_cmd_submit(); one that never gets there (an abort
 * or connection loss while its data was still coming) needs only
 * scst_cmd_finished(), which releases the device and the buffer.
 *
 * Context: task context, no locks held; may sleep (GFP_KERNEL).
 * Return: 0 (the buffer is in cmd->sg); %SCST_PREP_NO_BUF (no buffer:
 * not a WRITE with data, or the command fails); -ENOMEM (no buffer: the
 * command will end with INSUFFICIENT RESOURCES).
 */
int scst_cmd_prepare(struct scst_cmd *cmd)
{
	might_sleep();
	cmd->prep = scst_cmd_prep_stage(cmd);
	if (cmd->prep != SCST_CMD_PREP_OK || cmd->dir != SCST_DIR_WRITE ||
	    !cmd->data_len)
		return SCST_PREP_NO_BUF;
	if (scst_cmd_buf_get(cmd, GFP_KERNEL)) {
		cmd->prep = SCST_CMD_PREP_NOMEM;
		return -ENOMEM;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(scst_cmd_prepare);

/* scst_cmd_submit() of a command scst_cmd_prepare() saw. */
static void scst_cmd_submit_prepared(struct scst_cmd *cmd)
{
	switch (cmd->prep) {
	case SCST_CMD_PREP_NO_LUN:
	case SCST_CMD_PREP_NOT_READY:
		scst_cmd_no_device(cmd, cmd->prep == SCST_CMD_PREP_NOT_READY);
		return;
	case SCST_CMD_PREP_BAD_CDB:
		scst_cmd_respond(cmd);
		return;
	}
	if (scst_cmd_ua(cmd) || scst_alua_cmd_refused(cmd)) {
		cmd->spdtl = 0;		/* as if never checked */
		scst_cmd_respond(cmd);
		return;
	}
	if (cmd->prep == SCST_CMD_PREP_NOMEM)
		scst_cmd_set_sense(cmd, SCST_SENSE_TRIPLE(
				   SCST_KEY_ABORTED_COMMAND,
				   SCST_AQ_INSUFFICIENT_RESOURCES));
	if (cmd->prep != SCST_CMD_PREP_OK) {
		scst_cmd_respond(cmd);
		return;
	}
	scst_cmd_start(cmd);
}

/**
 * scst_cmd_submit() - hand a command to the core
 * @cmd: the command, prepared with scst_cmd_init() (and perhaps
 *       scst_cmd_prepare())
 *
 * Context: any context; never blocks (with tt->submit_in_task it may be
 * rescheduled: handlers start I/O here).  The driver hears of the
 * command again through ->rdy_to_xfer() (not for a WRITE whose data
 * the driver received into the buffer of scst_cmd_prepare()) and
 * ->xmit_response().
 */
void scst_cmd_submit(struct scst_cmd *cmd)
{
	struct scst_session *sess = cmd->sess;
	unsigned long flags;
	bool not_ready;

	spin_lock_irqsave(&sess->lock, flags);
	list_add_tail(&cmd->list, &sess->cmds);
	spin_unlock_irqrestore(&sess->lock, flags);

	if (cmd->prep) {
		scst_cmd_submit_prepared(cmd);
		return;
	}
	if (!cmd->cdb_len) {
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_FIELD_IN_CDB);
		goto respond;
	}
	if (!scst_cmd_lookup(cmd, &not_ready) || not_ready) {
		scst_cmd_no_device(cmd, not_ready);
		return;
	}
	if (scst_cmd_decode(cmd, cmd->dev->handler->type) || scst_cmd_ua(cmd) ||
	    scst_alua_cmd_refused(cmd))
		goto respond;
	if (!scst_cmd_check(cmd))
		goto respond;
	scst_cmd_start(cmd);
	return;

respond:
	scst_cmd_respond(cmd);
}
EXPORT_SYMBOL_GPL(scst_cmd_submit);

/**
 * scst_cmd_finished() - the driver is done with a command
 * @cmd: the command; its memory is the driver's again on return
 *
 * Also for a command scst_cmd_prepare() saw but that was never
 * submitted.
 *
 * Context: any context.
 */
void scst_cmd_finished(struct scst_cmd *cmd)
{
	struct scst_session *sess = cmd->sess;
	unsigned long flags;

	spin_lock_irqsave(&sess->lock, flags);
	list_del_init(&cmd->list);
	spin_unlock_irqrestore(&sess->lock, flags);
	if (cmd->abort_tmf)
		scst_tmf_cmd_done(cmd);

	if (test_bit(SCST_CMD_CORE_BUF, &cmd->flags))
		scst_buf_free(cmd);
	else if (test_bit(SCST_CMD_DEV_BUF, &cmd->flags))
		cmd->dev->handler->free_buf(cmd);
	if (test_bit(SCST_CMD_DEV_REF, &cmd->flags))
		percpu_ref_put(&to_scst_dev(cmd->dev)->io_ref);
	if (cmd->lun_ref)
		percpu_ref_put(&cmd->lun_ref->ref);
	percpu_ref_put(&sess->ref);
}
EXPORT_SYMBOL_GPL(scst_cmd_finished);
