// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: Task Management Function requests (RFC 7143 11.5, 11.6),
 * mapped to scst_tmf_exec().  A command still receiving WRITE data is
 * not known to the core yet: such commands are dropped here.  Aborted
 * commands get no response; the TMF response is sent after all of them
 * are finished (scst_tmf_exec() waits for that).
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
	case SCST_TMF_SUCCEEDED:
		return ISC_TMF_RSP_COMPLETE;
	case SCST_TMF_INCORRECT_LUN:
		return ISC_TMF_RSP_NO_LUN;
	default:
		return ISC_TMF_RSP_REJECTED;
	}
}

/*
 * ABORT TASK of a task the connection does not have (RFC 7143 11.5.1):
 * "Function complete" if RefCmdSN is in the CmdSN window and before the
 * request's own CmdSN (the task was not received yet), else "Task does
 * not exist" (it completed: its CmdSN is below ExpCmdSN).
 */
static u8 iscsi_tmf_abort_absent(struct iscsi_conn *conn, u32 ref_sn)
{
	struct iscsi_sess *sess = conn->sess;
	unsigned long flags;
	u32 exp, max;

	spin_lock_irqsave(&sess->sn_lock, flags);
	exp = sess->exp_cmd_sn;
	max = sess->max_cmd_sn;
	spin_unlock_irqrestore(&sess->sn_lock, flags);
	if (!isc_sn_lt(ref_sn, exp) && !isc_sn_lt(max, ref_sn) &&
	    isc_sn_lt(ref_sn, conn->h.sn))
		return ISC_TMF_RSP_COMPLETE;
	return ISC_TMF_RSP_NO_TASK;
}

/*
 * ABORT TASK: a task still receiving data ends here; one whose response
 * is going out, or that is gone, does not exist any more; any other is
 * aborted in the core, its response withheld.
 */
static u8 iscsi_tmf_abort_task(struct iscsi_conn *conn, const u8 *lun,
			       u32 rtt, u32 ref_sn)
{
	struct iscsi_cmd *cmd = iscsi_cmd_find_rx(conn, rtt);
	int ret;

	if (cmd) {
		iscsi_cmd_free(cmd);
		return ISC_TMF_RSP_COMPLETE;
	}
	ret = iscsi_cmd_claim(conn, rtt, lun);
	if (ret == -EALREADY)
		return ISC_TMF_RSP_NO_TASK;
	if (ret == -ENOENT)
		return iscsi_tmf_abort_absent(conn, ref_sn);
	return iscsi_tmf_response(scst_tmf_exec(conn->sess->scst_sess,
						SCST_TMF_ABORT_TASK, lun,
						rtt));
}

static int iscsi_tmf_map(u8 fn, enum scst_tmf *sfn, bool *per_lun)
{
	*per_lun = true;
	switch (fn) {
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
			get_unaligned_be32(conn->bhs + ISC_OFF_RTT),
			get_unaligned_be32(conn->bhs + ISC_OFF_REFCMDSN));
	} else if (fn == ISC_TMF_TASK_REASSIGN) {
		resp = 4;	/* allegiance reassignment not supported */
	} else if (iscsi_tmf_map(fn, &sfn, &per_lun)) {
		resp = ISC_TMF_RSP_NOT_SUPP;
	} else {
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
