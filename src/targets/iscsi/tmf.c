// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: Task Management Function requests (RFC 7143 11.5, 11.6,
 * and the RFC 7144 functions QUERY TASK, QUERY TASK SET, I_T NEXUS RESET
 * and QUERY ASYNCHRONOUS EVENT), mapped to scst_tmf_exec().  A command
 * still receiving WRITE data is not known to the core yet: such commands
 * are dropped here (or found, for the QUERY functions).  Aborted
 * commands get no response unless the core asks for TASK ABORTED status
 * (TAS=1, aborted from another I_T nexus); the TMF response is sent after
 * all of them are finished (scst_tmf_exec() waits for that).
 *
 * QUERY ASYNCHRONOUS EVENT answers "Function succeeded" (RFC 7144) while
 * a UNIT ATTENTION is pending; the RFC 7143 Task Management Function
 * Response has no field for SAM-5's additional response information, so
 * the sense key and codes are not sent.
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include "iscsi.h"

static void iscsi_tmf_rsp(struct iscsi_conn *conn, u32 itt, u8 response)
{
	struct iscsi_pdu_out *pdu = iscsi_pdu_alloc(0, GFP_KERNEL);

	if (!pdu)
		return;
	isc_bhs_init(pdu->bhs, ISC_OP_TMF_RSP, ISC_FLAG_FINAL, itt);
	pdu->bhs[2] = response;
	pdu->flags = ISCSI_PDU_STATSN;
	iscsi_pdu_queue(conn, pdu);
}

static u8 iscsi_tmf_response(int scst_resp)
{
	switch (scst_resp) {
	case SCST_TMF_COMPLETE:
		return ISC_TMF_RSP_COMPLETE;
	case SCST_TMF_SUCCEEDED:
		return ISC_TMF_RSP_SUCCEEDED;
	case SCST_TMF_INCORRECT_LUN:
		return ISC_TMF_RSP_NO_LUN;
	default:
		return ISC_TMF_RSP_REJECTED;
	}
}

/*
 * RFC 7143 11.5.1: a task that is not found was never received if its
 * RefCmdSN lies in the CmdSN window, before the TMF's own CmdSN ("Function
 * complete"); otherwise it was received and has ended ("Task does not
 * exist").  CmdSNs are taken in order, so the window starts at ExpCmdSN.
 */
static bool iscsi_tmf_ref_pending(struct iscsi_conn *conn, u32 ref)
{
	struct iscsi_sess *sess = conn->sess;
	unsigned long flags;
	bool pending;

	spin_lock_irqsave(&sess->sn_lock, flags);
	pending = !isc_sn_lt(ref, sess->exp_cmd_sn) &&
		  !isc_sn_lt(sess->max_cmd_sn, ref) &&
		  isc_sn_lt(ref, conn->h.sn);
	spin_unlock_irqrestore(&sess->sn_lock, flags);
	return pending;
}

/*
 * ABORT TASK: a task still receiving data ends here.  A task whose
 * response is going out has ended ("Task does not exist"); any other the
 * connection has is claimed first (iscsi_cmd_claim(): its response is
 * withheld), so that the initiator never gets both a status and
 * "Function complete" for it, even if it completes meanwhile and the
 * core no longer finds it.
 */
static u8 iscsi_tmf_abort_task(struct iscsi_conn *conn, const u8 *lun,
			       u32 rtt)
{
	struct iscsi_cmd *cmd = iscsi_cmd_find_rx(conn, rtt);
	struct scst_tmf_info info;
	int claim, ret;

	if (cmd) {
		iscsi_cmd_free(cmd);
		return ISC_TMF_RSP_COMPLETE;
	}
	claim = iscsi_cmd_claim(conn, rtt, lun);
	if (claim == -EALREADY)
		return ISC_TMF_RSP_NO_TASK;
	ret = scst_tmf_exec_info(conn->sess->scst_sess, SCST_TMF_ABORT_TASK,
				 lun, rtt, &info);
	if (ret == SCST_TMF_COMPLETE && !info.found && claim &&
	    !iscsi_tmf_ref_pending(conn,
			get_unaligned_be32(conn->bhs + ISC_OFF_REFCMDSN)))
		return ISC_TMF_RSP_NO_TASK;
	return iscsi_tmf_response(ret);
}

/* QUERY TASK / QUERY TASK SET: a task still receiving data is there. */
static bool iscsi_tmf_query_rx(struct iscsi_conn *conn, u8 fn, const u8 *lun,
			       u32 rtt)
{
	struct iscsi_cmd *cmd;
	unsigned long flags;
	bool found = false;

	if (fn == ISC_TMF_QUERY_TASK)
		return iscsi_cmd_find_rx(conn, rtt);
	spin_lock_irqsave(&conn->lock, flags);
	list_for_each_entry(cmd, &conn->cmds, entry) {
		if (cmd->state == ISCSI_CMD_RX_DATA &&
		    !memcmp(cmd->lun, lun, 8)) {
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	return found;
}

static u8 iscsi_tmf_query(struct iscsi_conn *conn, u8 fn, const u8 *lun,
			  u32 rtt)
{
	enum scst_tmf sfn;
	int ret;

	switch (fn) {
	case ISC_TMF_QUERY_TASK:
		sfn = SCST_TMF_QUERY_TASK;
		break;
	case ISC_TMF_QUERY_TASK_SET:
		sfn = SCST_TMF_QUERY_TASK_SET;
		break;
	default:
		sfn = SCST_TMF_QUERY_ASYNC_EVENT;
		break;
	}
	ret = scst_tmf_exec(conn->sess->scst_sess, sfn, lun, rtt);
	if (ret == SCST_TMF_COMPLETE && sfn != SCST_TMF_QUERY_ASYNC_EVENT &&
	    iscsi_tmf_query_rx(conn, fn, lun, rtt))
		ret = SCST_TMF_SUCCEEDED;
	return iscsi_tmf_response(ret);
}

static bool iscsi_tmf_is_query(u8 fn)
{
	return fn == ISC_TMF_QUERY_TASK || fn == ISC_TMF_QUERY_TASK_SET ||
	       fn == ISC_TMF_QUERY_ASYNC;
}

static int iscsi_tmf_map(u8 fn, enum scst_tmf *sfn, bool *per_lun)
{
	*per_lun = true;
	switch (fn) {
	case ISC_TMF_CLEAR_ACA:
		*sfn = SCST_TMF_CLEAR_ACA;
		return 0;
	case ISC_TMF_ABORT_TASK_SET:
		*sfn = SCST_TMF_ABORT_TASK_SET;
		return 0;
	case ISC_TMF_CLEAR_TASK_SET:
		*sfn = SCST_TMF_CLEAR_TASK_SET;
		return 0;
	case ISC_TMF_LUN_RESET:
		*sfn = SCST_TMF_LUN_RESET;
		return 0;
	case ISC_TMF_TARGET_WARM_RESET:
	case ISC_TMF_TARGET_COLD_RESET:
		*per_lun = false;
		*sfn = SCST_TMF_TARGET_RESET;
		return 0;
	case ISC_TMF_I_T_NEXUS_RESET:
		*per_lun = false;
		*sfn = SCST_TMF_I_T_NEXUS_RESET;
		return 0;
	}
	return -EOPNOTSUPP;
}

/**
 * iscsi_rx_tmf() - a Task Management Function Request
 * @conn: the connection
 *
 * Runs the function synchronously in the rx thread: the commands it
 * waits for need only the tx work.  A cold reset also ends the
 * connection once the response is out.
 *
 * Return: 0 or a negative errno.
 */
int iscsi_rx_tmf(struct iscsi_conn *conn)
{
	u8 fn = conn->h.flags & 0x7f, resp;
	u32 itt = conn->h.itt;
	u8 lun[8];
	enum scst_tmf sfn;
	bool per_lun;

	memcpy(lun, conn->bhs + ISC_OFF_LUN, 8);
	if (!iscsi_cmdsn_check(conn))
		return 0;
	if (fn == ISC_TMF_ABORT_TASK) {
		resp = iscsi_tmf_abort_task(conn, lun,
			get_unaligned_be32(conn->bhs + ISC_OFF_RTT));
	} else if (iscsi_tmf_is_query(fn)) {
		resp = iscsi_tmf_query(conn, fn, lun,
			get_unaligned_be32(conn->bhs + ISC_OFF_RTT));
	} else if (fn == ISC_TMF_TASK_REASSIGN) {
		resp = 4;	/* allegiance reassignment not supported */
	} else if (iscsi_tmf_map(fn, &sfn, &per_lun)) {
		resp = ISC_TMF_RSP_NOT_SUPP;
	} else {
		if (sfn != SCST_TMF_CLEAR_ACA)
			iscsi_cmds_drop_rx(conn, per_lun ? lun : NULL);
		resp = iscsi_tmf_response(scst_tmf_exec(conn->sess->scst_sess,
							sfn, lun, 0));
	}
	iscsi_tmf_rsp(conn, itt, resp);
	if (fn == ISC_TMF_TARGET_COLD_RESET && resp == ISC_TMF_RSP_COMPLETE) {
		flush_work(&conn->tx_work);
		return -ECONNRESET;
	}
	return 0;
}
