// SPDX-License-Identifier: GPL-2.0-only
/*
 * INQUIRY: standard data and VPD pages, built by the pure builders of
 * vdisk_fmt.h from a snapshot of the device's identification
 */
#include "vdisk.h"

/* "0.1.0" -> "0.1": at most four characters, no trailing dot */
static void vdisk_revision(char *rev)
{
	unsigned int n;

	strscpy(rev, SCST_VERSION, 5);
	n = strlen(rev);
	while (n && rev[n - 1] == '.')
		rev[--n] = '\0';
}

/**
 * vdisk_cmd_inquiry() - INQUIRY
 * @vd: the device
 * @cmd: the command
 *
 * Return: 0.
 */
int vdisk_cmd_inquiry(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	unsigned long flags;
	struct vdisk_ids ids;
	struct vdisk_limits lim;
	struct vdisk_inq inq = {
		.type = vd->vh->h.type,
		.removable = vdisk_kind(vd) == VDISK_CDROM,
		.rel_tgt_id = scst_cmd_rel_tgt_id(cmd),
		.tgt_name = scst_cmd_tgt_name(cmd),
		.tpgs = READ_ONCE(cmd->dev->tpgs),
		.tpg_id = scst_cmd_tpg_id(cmd),
		.rotational = READ_ONCE(vd->rotational),
	};
	char rev[5];
	u8 buf[VDISK_FMT_BUF];
	int len;

	vdisk_revision(rev);
	inq.rev = rev;
	spin_lock_irqsave(&vd->lock, flags);
	ids = vd->ids;
	inq.nv_cache = vd->nv_cache;
	spin_unlock_irqrestore(&vd->lock, flags);
	vdisk_get_limits(vd, &lim);

	if (cmd->cdb[1] & 0x01) {
		len = vdisk_fmt_vpd(buf, sizeof(buf), cmd->cdb[2], &ids, &inq,
				    &lim);
	} else if (cmd->cdb[2]) {
		len = -EOPNOTSUPP;
	} else {
		len = vdisk_fmt_std_inquiry(buf, sizeof(buf), &ids, &inq);
	}
	if (len == -EOPNOTSUPP)
		vdisk_invalid_cdb(cmd, 2, 7);
	else if (len < 0)
		scst_cmd_set_sense(cmd, SCST_SENSE_INTERNAL_TARGET_FAILURE);
	else
		vdisk_copy_resp(cmd, buf, len);
	return 0;
}
