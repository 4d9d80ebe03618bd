// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: SCSI commands (RFC 7143 11.3, 11.4, 11.7, 11.8).
 *
 * WRITE data (immediate, unsolicited and solicited by R2T) is received
 * before the command is submitted, straight into the buffer the command
 * executes from: scst_cmd_prepare() at the Command PDU gives it (the
 * device handler's, ->alloc_buf(), or the core's), no ->rdy_to_xfer()
 * copy.  A CDB asking for less than EDTL gets the first part (residual
 * underflow; the rest is received and dropped); one asking for more is
 * trimmed by the core to the whole blocks of EDTL, or refused if that
 * cannot be done (residual overflow either way, RFC 7143 11.4.5.2).  A
 * command the core will refuse gets no buffer: its data is dropped.
 * READ data goes out as Data-In PDUs from the core's buffer; the status
 * rides on the last Data-In when there is no sense data, else in a SCSI
 * Response.
 *
 * Limits (see limits.c): a WRITE gets its buffer only while the buffers
 * of the commands waiting for Data-Out stay within max_session_data (one
 * always may); beyond it a WRITE that brings no data waits, without
 * buffer and R2T, until a buffer is released, and one that brings
 * immediate or unsolicited data is answered TASK SET FULL (the rx thread
 * cannot wait for buffers that only its own reading releases).  Beyond
 * queue_depth commands in the target (immediate ones count too) an
 * immediate command is rejected, another one answered TASK SET FULL.
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include <linux/slab.h>

#include "iscsi.h"

static struct kmem_cache *iscsi_cmd_cache;

static void iscsi_cmds_start_deferred(struct iscsi_conn *conn);

/* --- commands of a connection --- */

static struct iscsi_cmd *iscsi_cmd_find(struct iscsi_conn *conn, u32 itt)
{
	struct iscsi_cmd *cmd, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&conn->lock, flags);
	list_for_each_entry(cmd, &conn->cmds, entry) {
		if (cmd->itt == itt) {
			found = cmd;
			break;
		}
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	return found;
}

/**
 * iscsi_cmd_find_rx() - a command still receiving WRITE data
 * @conn: the connection
 * @itt: its task tag
 *
 * Context: the rx thread (such commands are its own).
 */
struct iscsi_cmd *iscsi_cmd_find_rx(struct iscsi_conn *conn, u32 itt)
{
	struct iscsi_cmd *cmd = iscsi_cmd_find(conn, itt);

	return cmd && READ_ONCE(cmd->state) == ISCSI_CMD_RX_DATA ? cmd : NULL;
}

/**
 * iscsi_cmd_claim() - ABORT TASK's hold on a command the core has
 * @conn: the connection
 * @itt: the Referenced Task Tag
 * @lun: the LUN of the request (8 bytes)
 *
 * A command whose response is not going out yet is marked: the tx work
 * drops its response, so that the initiator sees either the response
 * or a successful abort, never both.
 *
 * Return: 0 (marked), -EALREADY (its response is going out), -ENXIO
 * (the command is another LUN's: the core decides), -ENOENT (no such
 * command: it completed, or was never received).
 */
int iscsi_cmd_claim(struct iscsi_conn *conn, u32 itt, const u8 *lun)
{
	struct iscsi_cmd *cmd;
	unsigned long flags;
	int ret = -ENOENT;

	spin_lock_irqsave(&conn->lock, flags);
	list_for_each_entry(cmd, &conn->cmds, entry) {
		if (cmd->itt != itt || cmd->state == ISCSI_CMD_RX_DATA)
			continue;
		if (cmd->state == ISCSI_CMD_SENDING) {
			ret = -EALREADY;
		} else if (memcmp(cmd->lun, lun, 8)) {
			ret = -ENXIO;
		} else {
			cmd->abort_req = true;
			ret = 0;
		}
		break;
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	return ret;
}

/* The response may go out unless ABORT TASK claimed the command. */
static bool iscsi_cmd_start_sending(struct iscsi_conn *conn,
				    struct iscsi_cmd *cmd)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&conn->lock, flags);
	ok = !cmd->abort_req;
	if (ok) {
		cmd->state = ISCSI_CMD_SENDING;
		/* its slot in the window reopens with this response */
		if (cmd->busy)
			conn->nr_busy--;
		cmd->busy = false;
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	return ok;
}

/**
 * iscsi_cmd_free() - forget a command
 * @cmd: a command of the connection's list, initialised for the core
 *       (iscsi_rx_scsi_cmd() does that before it lists it): finished
 *       there, also a WRITE still receiving data (its buffer and device
 *       reference go back)
 *
 * Context: process context (the rx thread or the tx work).
 */
void iscsi_cmd_free(struct iscsi_cmd *cmd)
{
	struct iscsi_conn *conn = cmd->conn;
	unsigned long flags;

	scst_cmd_finished(&cmd->scmd);
	if (cmd->rx_bytes)	/* only RX_DATA: the rx thread's */
		conn->rx_bytes -= cmd->rx_bytes;
	spin_lock_irqsave(&conn->lock, flags);
	list_del(&cmd->entry);
	conn->nr_cmds--;
	if (cmd->busy)
		conn->nr_busy--;
	conn->core_bytes -= cmd->core_bytes;
	wake_up_all(&conn->wq);
	spin_unlock_irqrestore(&conn->lock, flags);
	kmem_cache_free(iscsi_cmd_cache, cmd);
}

/**
 * iscsi_cmds_drop_rx() - forget the commands still receiving data
 * @conn: the connection
 * @lun: only those of this LUN (8 bytes), or NULL for all
 *
 * Context: the rx thread.
 */
void iscsi_cmds_drop_rx(struct iscsi_conn *conn, const u8 *lun)
{
	struct iscsi_cmd *cmd, *tmp;
	unsigned long flags;
	LIST_HEAD(drop);

	spin_lock_irqsave(&conn->lock, flags);
	list_for_each_entry_safe(cmd, tmp, &conn->cmds, entry) {
		if (cmd->state != ISCSI_CMD_RX_DATA ||
		    (lun && memcmp(cmd->lun, lun, 8)))
			continue;
		list_move_tail(&cmd->entry, &drop);
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	list_for_each_entry_safe(cmd, tmp, &drop, entry) {
		spin_lock_irqsave(&conn->lock, flags);
		list_move_tail(&cmd->entry, &conn->cmds);
		spin_unlock_irqrestore(&conn->lock, flags);
		iscsi_cmd_free(cmd);
	}
	if (lun)
		iscsi_cmds_start_deferred(conn);
}

/* --- receiving --- */

static enum scst_task_attr iscsi_task_attr(u8 attr)
{
	switch (attr) {
	case 2:
		return SCST_TASK_ORDERED;
	case 3:
		return SCST_TASK_HEAD_OF_QUEUE;
	case 4:
		return SCST_TASK_ACA;
	default:	/* untagged, simple */
		return SCST_TASK_SIMPLE;
	}
}

static void iscsi_cmd_scst_init(struct iscsi_conn *conn,
				struct iscsi_cmd *cmd)
{
	enum scst_data_dir dir = SCST_DIR_NONE;

	if (cmd->write)
		dir = SCST_DIR_WRITE;
	else if (cmd->read)
		dir = SCST_DIR_READ;
	scst_cmd_init(&cmd->scmd, conn->sess->scst_sess, cmd->lun, cmd->cdb,
		      cmd->cdb_len, iscsi_task_attr(cmd->attr), cmd->itt, dir,
		      cmd->edtl);
	cmd->scmd.tgt_priv = cmd;
}

static void iscsi_cmd_submit(struct iscsi_conn *conn, struct iscsi_cmd *cmd)
{
	unsigned long flags;

	conn->rx_bytes -= cmd->rx_bytes;
	cmd->rx_bytes = 0;
	spin_lock_irqsave(&conn->lock, flags);
	if (cmd->read || cmd->write)
		cmd->core_bytes = cmd->edtl;
	conn->core_bytes += cmd->core_bytes;
	spin_unlock_irqrestore(&conn->lock, flags);
	WRITE_ONCE(cmd->state, ISCSI_CMD_SUBMITTED);
	scst_cmd_submit(&cmd->scmd);
}

/* Ask for more WRITE data, up to MaxOutstandingR2T sequences. */
static void iscsi_r2t_fill(struct iscsi_conn *conn, struct iscsi_cmd *cmd)
{
	const struct isc_params *p = &conn->sess->params;
	struct iscsi_pdu_out *pdu;
	u32 len;

	while (cmd->r2t_out < p->v[ISC_K_MAX_OUTSTANDING_R2T] &&
	       cmd->r2t_next < cmd->edtl) {
		pdu = iscsi_pdu_alloc(0, GFP_KERNEL);
		if (!pdu)
			return;	/* the initiator times out */
		len = min(p->v[ISC_K_MAX_BURST], cmd->edtl - cmd->r2t_next);
		isc_bhs_init(pdu->bhs, ISC_OP_R2T, ISC_FLAG_FINAL, cmd->itt);
		memcpy(pdu->bhs + ISC_OFF_LUN, cmd->lun, 8);
		put_unaligned_be32(cmd->ttt, pdu->bhs + ISC_OFF_TTT);
		put_unaligned_be32(cmd->r2t_sn++, pdu->bhs + ISC_OFF_DATASN);
		put_unaligned_be32(cmd->r2t_next, pdu->bhs + ISC_OFF_BUFOFF);
		put_unaligned_be32(len, pdu->bhs + ISC_OFF_R2T_LEN);
		iscsi_pdu_queue(conn, pdu);
		cmd->r2t_next += len;
		cmd->r2t_out++;
	}
}

/* A status without sense data for a command the core never saw. */
static void iscsi_send_status(struct iscsi_conn *conn, u32 itt, u8 status)
{
	struct iscsi_pdu_out *pdu = iscsi_pdu_alloc(0, GFP_KERNEL);

	if (!pdu)
		return;
	isc_bhs_init(pdu->bhs, ISC_OP_SCSI_RSP, ISC_FLAG_FINAL, itt);
	pdu->bhs[3] = status;
	pdu->flags = ISCSI_PDU_STATSN;
	iscsi_pdu_queue(conn, pdu);
}

/* CHECK CONDITION for a command the core never saw. */
static void iscsi_send_sense(struct iscsi_conn *conn, u32 itt, u8 key,
			     u8 asc, u8 ascq)
{
	struct iscsi_pdu_out *pdu = iscsi_pdu_alloc(2 + 18, GFP_KERNEL);

	if (!pdu)
		return;
	isc_bhs_init(pdu->bhs, ISC_OP_SCSI_RSP, ISC_FLAG_FINAL, itt);
	pdu->bhs[3] = SCST_STATUS_CHECK_CONDITION;
	put_unaligned_be16(18, pdu->data);
	pdu->data[2] = 0x70;
	pdu->data[2 + 2] = key;
	pdu->data[2 + 7] = 10;
	pdu->data[2 + 12] = asc;
	pdu->data[2 + 13] = ascq;
	pdu->flags = ISCSI_PDU_STATSN;
	iscsi_pdu_queue(conn, pdu);
}

static struct iscsi_cmd *iscsi_cmd_new(struct iscsi_conn *conn)
{
	const u8 *b = conn->bhs;
	struct iscsi_cmd *cmd;

	cmd = kmem_cache_zalloc(iscsi_cmd_cache, GFP_KERNEL);
	if (!cmd)
		return NULL;
	cmd->conn = conn;
	cmd->itt = conn->h.itt;
	cmd->edtl = get_unaligned_be32(b + ISC_OFF_EDTL);
	cmd->cmd_sn = conn->h.sn;
	cmd->read = conn->h.flags & ISC_CMD_READ;
	cmd->write = conn->h.flags & ISC_CMD_WRITE;
	cmd->attr = conn->h.flags & ISC_CMD_ATTR_MASK;
	memcpy(cmd->lun, b + ISC_OFF_LUN, 8);
	if (isc_ahs_cdb(conn->ahs, conn->h.ahs_len, b, cmd->cdb,
			sizeof(cmd->cdb), &cmd->cdb_len)) {
		kmem_cache_free(iscsi_cmd_cache, cmd);
		return ERR_PTR(-EPROTO);
	}
	return cmd;
}

static void iscsi_cmd_add(struct iscsi_conn *conn, struct iscsi_cmd *cmd)
{
	unsigned long flags;

	spin_lock_irqsave(&conn->lock, flags);
	list_add_tail(&cmd->entry, &conn->cmds);
	conn->nr_cmds++;
	conn->nr_busy++;
	cmd->busy = true;
	spin_unlock_irqrestore(&conn->lock, flags);
}

/*
 * The WRITE part of a new command: the immediate data, and where the
 * unsolicited data ends.  Returns a Reject reason, or a negative errno.
 */
static int iscsi_cmd_write_setup(struct iscsi_conn *conn,
				 struct iscsi_cmd *cmd)
{
	const struct isc_params *p = &conn->sess->params;
	u32 imm = conn->h.dsl;

	if (imm && (!p->v[ISC_K_IMMEDIATE_DATA] ||
		    imm > p->v[ISC_K_FIRST_BURST] || imm > cmd->edtl))
		return ISC_REJ_PROTOCOL;
	if (!(conn->h.flags & ISC_FLAG_FINAL) && p->v[ISC_K_INITIAL_R2T])
		return ISC_REJ_PROTOCOL;
	cmd->wrecv = imm;
	if (conn->h.flags & ISC_FLAG_FINAL)
		cmd->unsol_end = imm;
	else
		cmd->unsol_end = min(p->v[ISC_K_FIRST_BURST], cmd->edtl);
	cmd->r2t_next = cmd->unsol_end;
	cmd->ttt = conn->next_ttt++;
	if (cmd->ttt == ISC_RSVD_TAG)
		cmd->ttt = conn->next_ttt++;
	return 0;
}

/*
 * The buffer for the WRITE data (scst_cmd_prepare()): without one (the
 * core refuses the command, or no memory) the data is received and
 * dropped, and scst_cmd_submit() answers.
 */
static void iscsi_cmd_write_buf(struct iscsi_conn *conn,
				struct iscsi_cmd *cmd)
{
	struct scst_cmd *scmd = &cmd->scmd;

	cmd->rx_bytes = cmd->edtl;
	conn->rx_bytes += cmd->rx_bytes;
	if (!scst_cmd_prepare(scmd))
		cmd->wlen = min3(scmd->data_len, scmd->buf_len, cmd->edtl);
}

/* Whether a WRITE of @len bytes may have a buffer now. */
static bool iscsi_wbuf_room(struct iscsi_conn *conn, u32 len)
{
	return !conn->rx_bytes || conn->rx_bytes + len <= conn->max_data;
}

static struct iscsi_cmd *iscsi_cmd_first_deferred(struct iscsi_conn *conn)
{
	struct iscsi_cmd *cmd, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&conn->lock, flags);
	list_for_each_entry(cmd, &conn->cmds, entry) {
		if (cmd->deferred && cmd->state == ISCSI_CMD_RX_DATA) {
			found = cmd;
			break;
		}
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	return found;
}

/*
 * Buffers were released: give them to the WRITEs waiting for one, in
 * order, and ask for their data.  Context: the rx thread.
 */
static void iscsi_cmds_start_deferred(struct iscsi_conn *conn)
{
	struct iscsi_cmd *cmd;

	while ((cmd = iscsi_cmd_first_deferred(conn)) &&
	       iscsi_wbuf_room(conn, cmd->edtl)) {
		cmd->deferred = false;
		iscsi_cmd_write_buf(conn, cmd);
		iscsi_r2t_fill(conn, cmd);
	}
}

/*
 * A WRITE beyond the buffer budget: returns 1 if it was deferred or
 * answered, 0 if it may have its buffer now.
 */
static int iscsi_cmd_write_over(struct iscsi_conn *conn,
				struct iscsi_cmd *cmd)
{
	if (iscsi_wbuf_room(conn, cmd->edtl))
		return 0;
	if (cmd->unsol_end) {
		/* its data is on the way: no buffer to put it in */
		kmem_cache_free(iscsi_cmd_cache, cmd);
		iscsi_conn_stat(conn, ISCSI_ST_TASK_SET_FULL);
		iscsi_send_status(conn, conn->h.itt,
				  SCST_STATUS_TASK_SET_FULL);
		return 1;
	}
	iscsi_cmd_scst_init(conn, cmd);
	cmd->deferred = true;
	iscsi_cmd_add(conn, cmd);
	iscsi_conn_stat(conn, ISCSI_ST_DATA_DEFERRED);
	return 1;
}

/* Bytes [@off, @off + @len) of the WRITE data: the buffer's part kept. */
static int iscsi_rx_wdata(struct iscsi_conn *conn, struct iscsi_cmd *cmd,
			  u32 off, u32 len)
{
	u32 n = off < cmd->wlen ? min(len, cmd->wlen - off) : 0;

	return iscsi_rx_data_sg(conn, cmd->scmd.sg, off, n);
}

/* Reject the command PDU, skip its data; 0 or a negative errno. */
static int iscsi_cmd_refuse(struct iscsi_conn *conn, int reason)
{
	iscsi_send_reject(conn, reason);
	return iscsi_rx_data(conn, NULL, 0);
}

/**
 * iscsi_rx_scsi_cmd() - a SCSI Command PDU
 * @conn: the connection
 *
 * Return: 0 or a negative errno (the connection ends).
 */
int iscsi_rx_scsi_cmd(struct iscsi_conn *conn)
{
	struct iscsi_cmd *cmd;
	int ret;

	if (!iscsi_cmdsn_check(conn))
		return iscsi_rx_data(conn, NULL, 0);
	if (!iscsi_cmd_window_room(conn)) {
		if (conn->h.immediate) {
			iscsi_conn_stat(conn, ISCSI_ST_IMMEDIATE_REJECTED);
			return iscsi_cmd_refuse(conn, ISC_REJ_IMM_CMD);
		}
		iscsi_conn_stat(conn, ISCSI_ST_TASK_SET_FULL);
		iscsi_send_status(conn, conn->h.itt,
				  SCST_STATUS_TASK_SET_FULL);
		return iscsi_rx_data(conn, NULL, 0);
	}
	if (iscsi_cmd_find(conn, conn->h.itt))
		return iscsi_cmd_refuse(conn, ISC_REJ_TASK_IN_PROG);
	cmd = iscsi_cmd_new(conn);
	if (IS_ERR_OR_NULL(cmd))
		return iscsi_cmd_refuse(conn, cmd ? ISC_REJ_PROTOCOL :
					ISC_REJ_NO_RESOURCES);
	if (!cmd->write || !cmd->edtl) {
		if (conn->h.dsl) {
			kmem_cache_free(iscsi_cmd_cache, cmd);
			return iscsi_cmd_refuse(conn, ISC_REJ_PROTOCOL);
		}
		iscsi_cmd_scst_init(conn, cmd);
		iscsi_cmd_add(conn, cmd);
		iscsi_cmd_submit(conn, cmd);
		return 0;
	}
	if (cmd->edtl > SCST_MAX_IO_BYTES) {
		kmem_cache_free(iscsi_cmd_cache, cmd);
		/* INVALID FIELD IN CDB; unsolicited Data-Out is ignored */
		iscsi_send_sense(conn, conn->h.itt, 0x05, 0x24, 0x00);
		return iscsi_rx_data(conn, NULL, 0);
	}
	ret = iscsi_cmd_write_setup(conn, cmd);
	if (ret) {
		kmem_cache_free(iscsi_cmd_cache, cmd);
		return iscsi_cmd_refuse(conn, ret);
	}
	if (iscsi_cmd_write_over(conn, cmd))
		return iscsi_rx_data(conn, NULL, 0);
	iscsi_cmd_scst_init(conn, cmd);
	iscsi_cmd_write_buf(conn, cmd);
	iscsi_cmd_add(conn, cmd);
	ret = iscsi_rx_wdata(conn, cmd, 0, cmd->wrecv);
	if (ret)
		return ret;
	iscsi_r2t_fill(conn, cmd);
	if (cmd->wrecv == cmd->edtl) {
		iscsi_cmd_submit(conn, cmd);
		iscsi_cmds_start_deferred(conn);
	}
	return 0;
}

/* Whether a Data-Out PDU fits the command's transfer. */
static int iscsi_data_out_check(struct iscsi_conn *conn,
				struct iscsi_cmd *cmd, u32 off)
{
	u32 len = conn->h.dsl, ttt = conn->h.ttt;
	u32 sn = get_unaligned_be32(conn->bhs + ISC_OFF_DATASN);

	if (ttt != ISC_RSVD_TAG && ttt != cmd->ttt)
		return ISC_REJ_INVALID_FIELD;
	/* DataSN counts from 0 in every sequence (unsolicited, each R2T) */
	if (sn != cmd->rx_data_sn)
		return -EPROTO;
	if (off != cmd->wrecv || len > cmd->edtl - off)
		return -EPROTO;
	if (ttt == ISC_RSVD_TAG && off + len > cmd->unsol_end)
		return -EPROTO;
	if (ttt != ISC_RSVD_TAG && off + len > cmd->r2t_next)
		return -EPROTO;
	return 0;
}

/**
 * iscsi_rx_data_out() - a SCSI Data-Out PDU
 * @conn: the connection
 *
 * Data must come in order (DataPDUInOrder and DataSequenceInOrder are
 * Yes).  Data for a task that is gone (aborted) is skipped.
 *
 * Return: 0 or a negative errno (the connection ends).
 */
int iscsi_rx_data_out(struct iscsi_conn *conn)
{
	u32 off = get_unaligned_be32(conn->bhs + ISC_OFF_BUFOFF);
	struct iscsi_cmd *cmd = iscsi_cmd_find_rx(conn, conn->h.itt);
	int ret;

	if (!cmd)
		return iscsi_rx_data(conn, NULL, 0);
	ret = iscsi_data_out_check(conn, cmd, off);
	if (ret > 0)
		return iscsi_cmd_refuse(conn, ret);
	if (ret) {
		pr_warn("%pISpc: Data-Out DataSN %u at %u (+%u) for ITT 0x%x out of order (have %u of %u)\n",
			&conn->peer,
			get_unaligned_be32(conn->bhs + ISC_OFF_DATASN), off,
			conn->h.dsl, cmd->itt, cmd->wrecv, cmd->edtl);
		iscsi_send_reject(conn, ISC_REJ_PROTOCOL);
		return ret;
	}
	ret = iscsi_rx_wdata(conn, cmd, off, conn->h.dsl);
	if (ret)
		return ret;
	cmd->wrecv += conn->h.dsl;
	cmd->rx_data_sn++;
	if (conn->h.flags & ISC_FLAG_FINAL)
		cmd->rx_data_sn = 0;
	if ((conn->h.flags & ISC_FLAG_FINAL) && conn->h.ttt != ISC_RSVD_TAG &&
	    cmd->r2t_out) {
		cmd->r2t_out--;
		iscsi_r2t_fill(conn, cmd);
	}
	if (cmd->wrecv == cmd->edtl) {
		iscsi_cmd_submit(conn, cmd);
		iscsi_cmds_start_deferred(conn);
	}
	return 0;
}

/* --- the core's callbacks --- */

/**
 * iscsi_rdy_to_xfer() - the core wants WRITE data the initiator did not send
 * @scmd: the command
 *
 * WRITE data is in the command's buffer (scst_cmd_prepare()) before it
 * is submitted, so the core asks only for a command that brought none
 * (no W bit, or an Expected Data Transfer Length of 0, with a CDB that
 * transfers data out): it ends with a data phase error.
 *
 * Return: 0.
 */
int iscsi_rdy_to_xfer(struct scst_cmd *scmd)
{
	scst_cmd_rx_done(scmd, false);
	return 0;
}

/**
 * iscsi_xmit_response() - the core is done: queue the response
 * @scmd: the command
 *
 * Context: any context.  Aborted commands are finished by the tx work
 * without a response (task management answers for them).
 */
void iscsi_xmit_response(struct scst_cmd *scmd)
{
	struct iscsi_cmd *cmd = to_iscsi_cmd(scmd);

	iscsi_cmd_queue(cmd->conn, cmd);
}

/* --- sending the response --- */

struct iscsi_resid {
	u8	flags;	/* ISC_RES_OVERFLOW / ISC_RES_UNDERFLOW */
	u32	count;
};

/*
 * RFC 7143 11.4.5.2: the residual compares the SCSI-Presented Data
 * Transfer Length with the Expected Data Transfer Length.  For a WRITE
 * that is what the CDB asked for (the core wrote at most EDTL of it);
 * for a READ, the data the command produced.
 */
static void iscsi_cmd_resid(struct iscsi_cmd *cmd, struct iscsi_resid *r)
{
	struct scst_cmd *scmd = &cmd->scmd;
	u32 done;

	if (cmd->write)
		done = scmd->spdtl;
	else
		done = scmd->resp_len;
	r->flags = 0;
	r->count = 0;
	if (done < cmd->edtl) {
		r->flags = ISC_RES_UNDERFLOW;
		r->count = cmd->edtl - done;
	} else if (done > cmd->edtl) {
		r->flags = ISC_RES_OVERFLOW;
		r->count = done - cmd->edtl;
	}
}

static int iscsi_tx_data_in(struct iscsi_conn *conn, struct iscsi_cmd *cmd,
			    u32 len, bool collapse, struct iscsi_resid *r)
{
	u32 burst = conn->sess->params.v[ISC_K_MAX_BURST], off, n;
	unsigned int zc = 0, more;
	u8 bhs[ISC_BHS_LEN];
	bool last;
	int ret;

	/*
	 * The core's buffer pages stay unchanged while the socket has them.
	 * A short READ is copied: a page the socket still holds when the
	 * command ends costs the buffer cache a new zeroed page, more than
	 * copying a few pages.
	 */
	if (len >= ISCSI_ZC_MIN && scst_cmd_buf_lend(&cmd->scmd))
		zc = ISCSI_SEND_ZC;
	for (off = 0; off < len; off += n) {
		n = min(conn->max_xmit_dsl, len - off);
		n = min(n, burst - off % burst);
		last = off + n == len;
		isc_bhs_init(bhs, ISC_OP_DATA_IN, 0, cmd->itt);
		if (last || !((off + n) % burst))
			bhs[1] |= ISC_FLAG_FINAL;
		put_unaligned_be32(ISC_RSVD_TAG, bhs + ISC_OFF_TTT);
		put_unaligned_be32(cmd->data_sn++, bhs + ISC_OFF_DATASN);
		put_unaligned_be32(off, bhs + ISC_OFF_BUFOFF);
		if (last && collapse) {
			bhs[1] |= ISC_DATA_STATUS | r->flags;
			bhs[3] = cmd->scmd.status;
			put_unaligned_be32(r->count, bhs + ISC_OFF_RESID);
		}
		iscsi_fill_sn(conn, bhs, last && collapse);
		isc_bhs_set_dsl(bhs, n);
		more = !last || !collapse || conn->tx_more ? ISCSI_SEND_MORE : 0;
		ret = iscsi_send_pdu_sg(conn, bhs, cmd->scmd.sg, off, n,
					zc | more);
		if (ret)
			return ret;
	}
	return 0;
}

static int iscsi_tx_scsi_rsp(struct iscsi_conn *conn, struct iscsi_cmd *cmd,
			     struct iscsi_resid *r)
{
	struct scst_cmd *scmd = &cmd->scmd;
	u8 bhs[ISC_BHS_LEN], sense[2 + SCST_SENSE_BUFFERSIZE];
	u32 slen = scmd->sense_len ? 2 + scmd->sense_len : 0;

	isc_bhs_init(bhs, ISC_OP_SCSI_RSP, ISC_FLAG_FINAL | r->flags, cmd->itt);
	bhs[3] = scmd->status;
	put_unaligned_be32(cmd->data_sn, bhs + ISC_OFF_DATASN);
	put_unaligned_be32(r->count, bhs + ISC_OFF_RESID);
	iscsi_fill_sn(conn, bhs, true);
	isc_bhs_set_dsl(bhs, slen);
	if (slen) {
		put_unaligned_be16(scmd->sense_len, sense);
		memcpy(sense + 2, scmd->sense, scmd->sense_len);
	}
	/* a buffer, not a scatterlist: the stack may be vmalloc memory */
	return iscsi_send_pdu_buf(conn, bhs, sense, slen, conn->tx_more);
}

/**
 * iscsi_tx_cmd() - send the response of a command, then forget it
 * @conn: the connection
 * @cmd: the command
 *
 * Context: the tx work.
 * Return: 0 or a negative errno (the connection is broken).
 */
int iscsi_tx_cmd(struct iscsi_conn *conn, struct iscsi_cmd *cmd)
{
	struct scst_cmd *scmd = &cmd->scmd;
	struct iscsi_resid r;
	bool collapse;
	u32 len = 0;
	int ret = 0;

	if (scst_cmd_aborted(scmd) || !iscsi_cmd_start_sending(conn, cmd))
		goto out;
	iscsi_cmd_resid(cmd, &r);
	if (cmd->read && scmd->sg)
		len = min3(scmd->resp_len, cmd->edtl, scmd->buf_len);
	collapse = len && !scmd->sense_len &&
		   scmd->status == SCST_STATUS_GOOD;
	if (len)
		ret = iscsi_tx_data_in(conn, cmd, len, collapse, &r);
	if (!ret && !collapse)
		ret = iscsi_tx_scsi_rsp(conn, cmd, &r);
out:
	iscsi_cmd_free(cmd);
	return ret;
}

int iscsi_cmd_init(void)
{
	iscsi_cmd_cache = KMEM_CACHE(iscsi_cmd, 0);
	return iscsi_cmd_cache ? 0 : -ENOMEM;
}

void iscsi_cmd_exit(void)
{
	kmem_cache_destroy(iscsi_cmd_cache);
}
