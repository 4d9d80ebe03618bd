// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: the SPC commands the core answers itself, because they do
 * not depend on a device: REPORT LUNS, REQUEST SENSE, INQUIRY of a LUN
 * that has no enabled device, and REPORT SUPPORTED OPERATION CODES and
 * REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS for handlers that say which
 * commands they carry out (->supports()).  They run on scst_wq.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/slab.h>

#include "scst_priv.h"
#include <scst_rsoc.h>

/* REPORT SUPPORTED OPERATION CODES or TASK MANAGEMENT FUNCTIONS */
static bool scst_spc_is_rsoc(u8 opcode, u16 sa)
{
	return opcode == MAINTENANCE_IN &&
	       (sa == MI_REPORT_SUPPORTED_OPERATION_CODES ||
		sa == MI_REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS);
}

/* @cmd has a device: the commands the core runs instead of the handler */
bool scst_spc_emulated(struct scst_cmd *cmd)
{
	return cmd->ci.opcode == REPORT_LUNS ||
	       cmd->ci.opcode == REQUEST_SENSE ||
	       (scst_spc_is_rsoc(cmd->ci.opcode, cmd->ci.service_action) &&
		cmd->dev->handler->supports);
}

/*
 * Every function of enum scst_tmf is carried out by the core (tmf.c) for
 * every device; TARGET RESET too (TRS).
 */
#define SCST_SPC_TMFS	(SCST_RSTMF_ATS | SCST_RSTMF_ATSS | SCST_RSTMF_CACAS | \
			 SCST_RSTMF_CTSS | SCST_RSTMF_LURS | SCST_RSTMF_QTS | \
			 SCST_RSTMF_TRS | SCST_RSTMF_QAES | SCST_RSTMF_QTSS | \
			 SCST_RSTMF_ITNRS)

static void scst_spc_rstmf(struct scst_cmd *cmd)
{
	u8 buf[16];
	int len;

	len = scst_rstmf_build(cmd->cdb, SCST_SPC_TMFS, buf, sizeof(buf));
	scst_cmd_copy_to_buf(cmd, buf, len);
}

static int scst_spc_buf(struct scst_cmd *cmd)
{
	if (cmd->sg || !cmd->data_len)
		return 0;
	if (scst_buf_alloc(cmd, GFP_KERNEL)) {
		scst_cmd_set_sense(cmd, SCST_SENSE_TRIPLE(
				   SCST_KEY_ABORTED_COMMAND,
				   SCST_AQ_INSUFFICIENT_RESOURCES));
		return -ENOMEM;
	}
	return 0;
}

static void scst_spc_report_luns(struct scst_cmd *cmd)
{
	struct scst_session *sess = cmd->sess;
	unsigned int n = 0, len;
	struct scst_lun *lun;
	struct scst_acg *acg;
	unsigned long idx;
	u16 *luns;
	u8 *buf;

	/* Well-known LUNs only: we have none; the list is empty. */
	luns = kvmalloc_array(SCST_MAX_LUN + 1, sizeof(*luns), GFP_KERNEL);
	buf = kvmalloc(8 + 8 * (SCST_MAX_LUN + 1), GFP_KERNEL);
	if (!luns || !buf) {
		scst_cmd_set_sense(cmd, SCST_SENSE_TRIPLE(
				   SCST_KEY_ABORTED_COMMAND,
				   SCST_AQ_INSUFFICIENT_RESOURCES));
		goto free;
	}
	if ((cmd->cdb[2] & 0xff) != 0x01) {
		rcu_read_lock();
		acg = rcu_dereference(sess->acg);
		xa_for_each(&acg->luns, idx, lun)
			if (READ_ONCE(lun->dev) && n <= SCST_MAX_LUN)
				luns[n++] = lun->id;
		rcu_read_unlock();
	}
	len = scst_report_luns_fill(buf, 8 + 8 * n, luns, n);
	scst_cmd_copy_to_buf(cmd, buf, len);
	scst_ua_clear_luns_changed(sess);
free:
	kvfree(buf);
	kvfree(luns);
}

static void scst_spc_request_sense(struct scst_cmd *cmd)
{
	bool desc = cmd->cdb[1] & 0x01;
	u8 key = SCST_KEY_NO_SENSE, asc = 0, ascq = 0;
	u8 sense[SCST_SENSE_FIXED_LEN + 8];
	int len;

	if (!cmd->dev && cmd->pdt == 0x1f) {
		key = SCST_KEY_ILLEGAL_REQUEST;
		asc = SCST_AQ_ASC(SCST_AQ_LUN_NOT_SUPPORTED);
	} else if (!cmd->dev) {
		key = SCST_KEY_NOT_READY;
		asc = SCST_AQ_ASC(SCST_AQ_LU_NOT_READY_MANUAL_INTERV);
		ascq = SCST_AQ_ASCQ(SCST_AQ_LU_NOT_READY_MANUAL_INTERV);
	} else {
		scst_ua_take(cmd->sess, cmd->lun, &key, &asc, &ascq);
	}
	len = scst_sense_build(sense, sizeof(sense), desc, key, asc, ascq);
	if (len > 0)
		scst_cmd_copy_to_buf(cmd, sense, len);
}

/* Standard INQUIRY data of a LUN without an enabled device. */
static void scst_spc_inquiry_nodev(struct scst_cmd *cmd)
{
	u8 data[36] = { 0 };

	/* Qualifier 001b: type known, not connected; 011b: no LU at all. */
	data[0] = cmd->pdt == 0x1f ? 0x7f : (0x20 | cmd->pdt);
	if (cmd->cdb[1] & 0x01) {
		/* EVPD: the Supported VPD Pages page, listing only itself. */
		if (cmd->cdb[2] != 0x00) {
			scst_cmd_set_invalid_field(cmd, true, 2, 7);
			return;
		}
		data[1] = 0x00;
		data[3] = 1;
		data[4] = 0x00;
		scst_cmd_copy_to_buf(cmd, data, 5);
		return;
	}
	data[2] = 0x06;		/* SPC-4 */
	data[3] = 0x02;		/* response data format */
	data[4] = sizeof(data) - 5;
	data[7] = 0x02;		/* CmdQue */
	memcpy(&data[8], "SCST    ", 8);
	memset(&data[16], ' ', 16);
	memcpy(&data[32], SCST_VERSION "    ", 4);
	scst_cmd_copy_to_buf(cmd, data, sizeof(data));
}

/*
 * A command of the table the core carries out for every device:
 * scst_spc_emulated() and the reservation commands.
 */
static bool scst_spc_core_cmd(const struct scst_cdb_opdesc *d)
{
	return d->opcode == REPORT_LUNS || d->opcode == REQUEST_SENSE ||
	       scst_spc_is_rsoc(d->opcode, d->sa) ||
	       scst_resv_op_is_ours(d->opcode, d->resv);
}

static bool scst_spc_rsoc_filter(void *ctx, const struct scst_cdb_opdesc *d,
				 u8 *usage)
{
	struct scst_device *dev = ctx;
	u16 sa = (d->flags & SCST_CDB_SERVICE_ACTION) ? d->sa : 0;

	return scst_spc_core_cmd(d) ||
	       dev->handler->supports(dev, d->opcode, sa, usage);
}

/* REPORT SUPPORTED OPERATION CODES (SPC-4), see scst_rsoc_build() */
static void scst_spc_rsoc(struct scst_cmd *cmd)
{
	u8 type = cmd->dev->handler->type;
	u32 max = scst_rsoc_max_len(type);
	struct scst_cdb_err err;
	int len;
	u8 *buf;

	buf = kzalloc(max, GFP_KERNEL);
	if (!buf) {
		scst_cmd_set_sense(cmd, SCST_SENSE_TRIPLE(
				   SCST_KEY_ABORTED_COMMAND,
				   SCST_AQ_INSUFFICIENT_RESOURCES));
		return;
	}
	len = scst_rsoc_build(cmd->cdb, type, scst_spc_rsoc_filter,
			      cmd->dev, buf, max, &err);
	/* the only error: INVALID FIELD IN CDB, with a field pointer */
	if (len < 0)
		scst_cmd_set_invalid_field(cmd, true, err.field, err.bit);
	else
		scst_cmd_copy_to_buf(cmd, buf, min_t(u32, len, max));
	kfree(buf);
}

void scst_spc_exec(struct scst_cmd *cmd)
{
	if (scst_spc_buf(cmd))
		goto respond;

	switch (cmd->ci.opcode) {
	case REPORT_LUNS:
		scst_spc_report_luns(cmd);
		break;
	case REQUEST_SENSE:
		scst_spc_request_sense(cmd);
		break;
	case INQUIRY:
		scst_spc_inquiry_nodev(cmd);
		break;
	case MAINTENANCE_IN:
		if (cmd->ci.service_action == MI_REPORT_SUPPORTED_OPERATION_CODES)
			scst_spc_rsoc(cmd);
		else
			scst_spc_rstmf(cmd);
		break;
	default:
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_OPCODE);
		break;
	}
respond:
	scst_cmd_respond(cmd);
}
