// SPDX-License-Identifier: GPL-2.0-only
/*
 * MODE SENSE(6/10) and MODE SELECT(6/10)
 *
 * The pages are built and checked by the vdisk_fmt.h code.  WCE (caching
 * page), D_SENSE, QERR and TAS (control page) are changeable; a change
 * raises MODE PARAMETERS CHANGED on the other I_T nexuses.  Turning the write cache off flushes
 * it.  Nothing can be saved.
 */
#include <linux/slab.h>
#include <scsi/scsi_proto.h>

#include "vdisk.h"

static void vdisk_mode_get(struct vdisk_dev *vd, struct scst_cmd *cmd,
			   struct vdisk_mode *m)
{
	unsigned long flags;

	memset(m, 0, sizeof(*m));
	m->cdrom = vdisk_kind(vd) == VDISK_CDROM;
	m->d_sense = cmd->dev->d_sense;
	m->tas = READ_ONCE(cmd->dev->tas);
	m->qerr = READ_ONCE(cmd->dev->qerr);
	m->swp = vd->read_only;
	m->wp = cmd->dev->read_only || cmd->lun_read_only;
	m->nr_blocks = READ_ONCE(cmd->dev->nr_blocks);
	m->block_size = 1U << vdisk_shift(vd);
	spin_lock_irqsave(&vd->lock, flags);
	m->wce = vd->wce;
	m->wce_default = vd->nv_cache;
	m->locked = vd->mmc.locked;
	spin_unlock_irqrestore(&vd->lock, flags);
}

/**
 * vdisk_cmd_mode_sense() - MODE SENSE(6/10)
 * @vd: the device
 * @cmd: the command
 *
 * Return: 0.
 */
int vdisk_cmd_mode_sense(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	bool ten = cmd->cdb[0] == MODE_SENSE_10;
	enum vdisk_pc pc = cmd->cdb[2] >> 6;
	u8 page = cmd->cdb[2] & 0x3f, subpage = cmd->cdb[3];
	struct vdisk_mode m;
	u8 buf[VDISK_FMT_BUF];
	int len;

	if (pc == VDISK_PC_SAVED) {
		scst_cmd_set_sense(cmd, SCST_SENSE_SAVING_PARAMS_NOT_SUPPORTED);
		return 0;
	}
	if (subpage && !(page == VDISK_MODE_ALL_PAGES && subpage == 0xff)) {
		vdisk_invalid_cdb(cmd, 3, 7);
		return 0;
	}
	vdisk_mode_get(vd, cmd, &m);
	len = vdisk_fmt_mode_sense(buf, sizeof(buf), ten, cmd->cdb[1] & 0x08,
				   ten && (cmd->cdb[1] & 0x10), page, pc, &m);
	if (len < 0)
		vdisk_invalid_cdb(cmd, 2, 5);
	else
		vdisk_copy_resp(cmd, buf, len);
	return 0;
}

/* apply new values; returns whether anything changed */
static bool vdisk_mode_apply(struct vdisk_dev *vd, struct scst_cmd *cmd,
			     const struct vdisk_mode *m, bool *cache_off)
{
	unsigned long flags;
	bool changed;

	spin_lock_irqsave(&vd->lock, flags);
	changed = vd->wce != m->wce || cmd->dev->d_sense != m->d_sense ||
		  cmd->dev->tas != m->tas || cmd->dev->qerr != m->qerr;
	*cache_off = vd->wce && !m->wce;
	WRITE_ONCE(vd->wce, m->wce);
	cmd->dev->d_sense = m->d_sense;
	WRITE_ONCE(cmd->dev->tas, m->tas);
	WRITE_ONCE(cmd->dev->qerr, m->qerr);
	spin_unlock_irqrestore(&vd->lock, flags);
	return changed;
}

static void vdisk_mode_select_list(struct vdisk_dev *vd, struct scst_cmd *cmd,
				   const u8 *buf, u32 len)
{
	struct vdisk_mode cur, m;
	struct vdisk_mode_err err;
	bool cache_off;
	int ret;

	vdisk_mode_get(vd, cmd, &cur);
	if (vdisk_mode_select_parse(buf, len, cmd->cdb[0] == MODE_SELECT_10,
				    &cur, &m, &err)) {
		if (err.aq == SCST_AQ_INVALID_FIELD_IN_PARAM_LIST)
			scst_cmd_set_invalid_field(cmd, false, err.field,
						   err.bit);
		else
			scst_cmd_set_sense(cmd, SCST_KEY_ILLEGAL_REQUEST,
					   SCST_AQ_ASC(err.aq),
					   SCST_AQ_ASCQ(err.aq));
		return;
	}
	if (!vdisk_mode_apply(vd, cmd, &m, &cache_off))
		return;
	vdisk_ua_others(cmd, SCST_KEY_UNIT_ATTENTION,
			SCST_AQ_MODE_PARAMETERS_CHANGED);
	if (cache_off && vd->file && !READ_ONCE(vd->nv_cache)) {
		ret = vd->vh->be->flush(vd->file, 0, 0);
		if (ret)
			vdisk_set_io_error(cmd, true, ret);
	}
}

/**
 * vdisk_cmd_mode_select() - MODE SELECT(6/10)
 * @vd: the device
 * @cmd: the command
 *
 * PF must be one (only the SPC page format is known); SP=1 is an
 * INVALID FIELD IN CDB since no page can be saved.
 *
 * Return: 0.
 */
int vdisk_cmd_mode_select(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	u32 len = min(cmd->data_len, cmd->buf_len);
	u8 *buf;

	if (cmd->cdb[1] & 0x01) {
		vdisk_invalid_cdb(cmd, 1, 0);
		return 0;
	}
	if (!(cmd->cdb[1] & 0x10) && len) {
		vdisk_invalid_cdb(cmd, 1, 4);
		return 0;
	}
	if (!len)
		return 0;
	buf = kmalloc(len, vdisk_gfp(vd));
	if (!buf) {
		scst_cmd_set_status(cmd, SCST_STATUS_BUSY);
		return 0;
	}
	sg_copy_to_buffer(cmd->sg, cmd->sg_cnt, buf, len);
	vdisk_mode_select_list(vd, cmd, buf, len);
	kfree(buf);
	return 0;
}
