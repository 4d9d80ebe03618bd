// SPDX-License-Identifier: GPL-2.0-only
/*
 * Vcdrom: an MMC-6 read-only drive with a tray, whose medium is
 * an ISO image (2048-byte blocks)
 *
 * The medium is absent when filename is empty or after an eject by START
 * STOP UNIT; the admin changes it by writing filename while the device is
 * enabled (refused while an initiator prevents medium removal, which then
 * sees an eject request event).  Loading a medium raises NOT READY TO
 * READY CHANGE, MEDIUM MAY HAVE CHANGED on every I_T nexus and a new
 * media event for GET EVENT STATUS NOTIFICATION.
 */
#include <linux/slab.h>
#include <linux/cdrom.h>
#include <scsi/scsi_proto.h>

#include "vdisk.h"

/**
 * vdisk_cdrom_get_state() - snapshot of the drive state
 * @vd: the device
 * @m: output
 */
void vdisk_cdrom_get_state(struct vdisk_dev *vd, struct vdisk_mmc *m)
{
	unsigned long flags;

	spin_lock_irqsave(&vd->lock, flags);
	*m = vd->mmc;
	spin_unlock_irqrestore(&vd->lock, flags);
	m->nr_blocks = READ_ONCE(vd->dev->nr_blocks);
}

/* NOT READY unless a medium is loaded; false: the status is set */
static bool vdisk_cdrom_ready(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	struct vdisk_mmc m;

	vdisk_cdrom_get_state(vd, &m);
	if (m.present)
		return true;
	if (m.tray_open)
		scst_cmd_set_sense(cmd, SCST_KEY_NOT_READY,
				   SCST_AQ_ASC(SCST_AQ_MEDIUM_NOT_PRESENT_TRAY_OPEN),
				   SCST_AQ_ASCQ(SCST_AQ_MEDIUM_NOT_PRESENT_TRAY_OPEN));
	else
		scst_cmd_set_sense(cmd, SCST_KEY_NOT_READY,
				   SCST_AQ_ASC(SCST_AQ_MEDIUM_NOT_PRESENT_TRAY_CLOSED),
				   SCST_AQ_ASCQ(SCST_AQ_MEDIUM_NOT_PRESENT_TRAY_CLOSED));
	return false;
}

static void vdisk_cdrom_loaded(struct vdisk_dev *vd)
{
	scst_dev_ua_all(vd->dev, SCST_SENSE_NOT_READY_TO_READY_CHANGE);
}

static int vdisk_cdrom_start_stop(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	unsigned long flags;
	u8 b4 = cmd->cdb[4];
	bool load = false;
	int ret = 0;

	if ((b4 & 0xf0) || !(b4 & 0x02))	/* power condition, no LOEJ */
		return 0;
	spin_lock_irqsave(&vd->lock, flags);
	if (!(b4 & 0x01)) {			/* eject */
		if (vd->mmc.locked) {
			ret = -EBUSY;
		} else {
			vd->mmc.tray_open = true;
			vdisk_mmc_set_present(vd, false);
		}
	} else if (vd->mmc.tray_open) {		/* load */
		vd->mmc.tray_open = false;
		vdisk_mmc_set_present(vd, vd->file);
		load = vd->mmc.present;
		if (load)
			vd->mmc.event = VDISK_MMC_EV_NEW_MEDIA;
	}
	spin_unlock_irqrestore(&vd->lock, flags);
	if (ret)
		scst_cmd_set_sense(cmd, SCST_SENSE_MEDIUM_REMOVAL_PREVENTED);
	if (load)
		vdisk_cdrom_loaded(vd);
	return 0;
}

static int vdisk_cdrom_prevent(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	unsigned long flags;

	spin_lock_irqsave(&vd->lock, flags);
	vd->mmc.locked = cmd->cdb[4] & 0x03;
	spin_unlock_irqrestore(&vd->lock, flags);
	return 0;
}

static int vdisk_cdrom_read_toc(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	struct vdisk_mmc m;
	u8 buf[VDISK_FMT_MIN];
	int len;

	vdisk_cdrom_get_state(vd, &m);
	len = vdisk_fmt_read_toc(buf, sizeof(buf), &m, cmd->cdb[2] & 0x0f,
				 cmd->cdb[1] & 0x02, cmd->cdb[6]);
	if (len == -EOPNOTSUPP)
		vdisk_invalid_cdb(cmd, 2, 3);
	else if (len < 0)
		vdisk_invalid_cdb(cmd, 6, 7);
	else
		vdisk_copy_resp(cmd, buf, len);
	return 0;
}

static int vdisk_cdrom_get_config(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	struct vdisk_mmc m;
	u8 buf[VDISK_FMT_BUF];
	int len;

	vdisk_cdrom_get_state(vd, &m);
	len = vdisk_fmt_get_config(buf, sizeof(buf), &m, cmd->cdb[1] & 0x03,
				   get_unaligned_be16(cmd->cdb + 2));
	vdisk_copy_resp(cmd, buf, len);
	return 0;
}

static int vdisk_cdrom_gesn(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	unsigned long flags;
	struct vdisk_mmc m;
	u8 buf[VDISK_FMT_MIN];
	int len;

	if (!(cmd->cdb[1] & 0x01)) {		/* asynchronous: no */
		vdisk_invalid_cdb(cmd, 1, 0);
		return 0;
	}
	spin_lock_irqsave(&vd->lock, flags);
	m = vd->mmc;
	if (cmd->cdb[4] & 0x10)
		vd->mmc.event = VDISK_MMC_EV_NONE;	/* reported now */
	spin_unlock_irqrestore(&vd->lock, flags);
	len = vdisk_fmt_gesn(buf, sizeof(buf), &m, cmd->cdb[4]);
	vdisk_copy_resp(cmd, buf, len);
	return 0;
}

static int vdisk_cdrom_disc_info(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	struct vdisk_mmc m;
	u8 buf[VDISK_FMT_MIN];

	if (cmd->cdb[1] & VDISK_DISC_INFO_REFUSED) {
		vdisk_invalid_cdb(cmd, 1, 2);
		return 0;
	}
	vdisk_cdrom_get_state(vd, &m);
	vdisk_copy_resp(cmd, buf, vdisk_fmt_disc_info(buf, sizeof(buf), &m));
	return 0;
}

static int vdisk_cdrom_track_info(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	struct vdisk_mmc m;
	u8 buf[VDISK_FMT_MIN];
	int len;

	vdisk_cdrom_get_state(vd, &m);
	len = vdisk_fmt_track_info(buf, sizeof(buf), &m, cmd->cdb[1] & 0x03,
				   get_unaligned_be32(cmd->cdb + 2));
	if (len < 0)
		vdisk_invalid_cdb(cmd, 2, 7);
	else
		vdisk_copy_resp(cmd, buf, len);
	return 0;
}

static int vdisk_cdrom_mech_status(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	struct vdisk_mmc m;
	u8 buf[VDISK_FMT_MIN];

	vdisk_cdrom_get_state(vd, &m);
	vdisk_copy_resp(cmd, buf, vdisk_fmt_mech_status(buf, sizeof(buf), &m));
	return 0;
}

static int vdisk_cdrom_tur(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	return 0;
}

/* commands that need a medium */
static vdisk_cmd_fn vdisk_cdrom_medium_fn(u8 op)
{
	switch (op) {
	case TEST_UNIT_READY:
		return vdisk_cdrom_tur;
	case READ_6: case READ_10: case READ_12:
		return vdisk_cmd_rw;
	case READ_CAPACITY:
		return vdisk_cmd_read_capacity;
	case READ_TOC:
		return vdisk_cdrom_read_toc;
	case GPCMD_READ_DISC_INFO:
		return vdisk_cdrom_disc_info;
	case GPCMD_READ_TRACK_RZONE_INFO:
		return vdisk_cdrom_track_info;
	default:
		return NULL;
	}
}

/* commands that run without a medium */
static vdisk_cmd_fn vdisk_cdrom_fn(u8 op)
{
	switch (op) {
	case INQUIRY:
		return vdisk_cmd_inquiry;
	case MODE_SENSE: case MODE_SENSE_10:
		return vdisk_cmd_mode_sense;
	case MODE_SELECT: case MODE_SELECT_10:
		return vdisk_cmd_mode_select;
	case START_STOP:
		return vdisk_cdrom_start_stop;
	case ALLOW_MEDIUM_REMOVAL:
		return vdisk_cdrom_prevent;
	case GPCMD_GET_CONFIGURATION:
		return vdisk_cdrom_get_config;
	case GPCMD_GET_EVENT_STATUS_NOTIFICATION:
		return vdisk_cdrom_gesn;
	case GPCMD_MECHANISM_STATUS:
		return vdisk_cdrom_mech_status;
	default:
		return NULL;
	}
}

/**
 * vdisk_cdrom_supports() - does a vcdrom device carry out @op?
 * @op: operation code (no MMC command vcdrom runs has service actions)
 * @usage: its CDB usage data; the bits refused whenever set are cleared
 *
 * Return: false for the commands answered with INVALID COMMAND
 * OPERATION CODE.
 */
bool vdisk_cdrom_supports(u8 op, u8 *usage)
{
	if (op == GPCMD_READ_DISC_INFO)
		usage[1] &= ~VDISK_DISC_INFO_REFUSED;
	return vdisk_cdrom_medium_fn(op) || vdisk_cdrom_fn(op);
}

static void vdisk_cdrom_cmd(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	vdisk_cmd_fn fn = vdisk_cdrom_medium_fn(cmd->cdb[0]);

	if (fn) {
		lockdep_assert_held(&vd->medium_sem);
		if (vdisk_cdrom_ready(vd, cmd))
			fn(vd, cmd);
		return;
	}
	fn = vdisk_cdrom_fn(cmd->cdb[0]);
	if (fn)
		fn(vd, cmd);
	else
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_OPCODE);
}

/**
 * vdisk_cdrom_exec() - execute a command on a vcdrom device
 * @vd: the device
 * @cmd: the command
 *
 * Runs with vd->medium_sem held for reading, so the medium cannot change
 * under a command.  Reads of an image are synchronous (fileio).
 */
void vdisk_cdrom_exec(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	down_read(&vd->medium_sem);
	vdisk_cdrom_cmd(vd, cmd);
	up_read(&vd->medium_sem);
	scst_cmd_complete(cmd);
}

/**
 * vdisk_cdrom_set_medium() - the admin changes the medium
 * @vd: an enabled vcdrom device, device mutex held
 * @name: the new image, or "" to remove the medium
 *
 * Return: 0, -EBUSY if removal is prevented, or the open error; logged.
 */
int vdisk_cdrom_set_medium(struct vdisk_dev *vd, const char *name)
{
	unsigned long flags;
	struct file *file = NULL, *old;
	loff_t size = 0;
	bool locked;

	spin_lock_irqsave(&vd->lock, flags);
	locked = vd->mmc.locked && vd->mmc.present;
	if (locked)
		vd->mmc.event = VDISK_MMC_EV_EJECT_REQUEST;
	spin_unlock_irqrestore(&vd->lock, flags);
	if (locked)
		return vdisk_attr_err(vd, "filename", -EBUSY,
				      "medium removal prevented by an initiator");
	if (name[0]) {
		file = vdisk_file_open(vd, name, "filename", &size);
		if (IS_ERR(file))
			return PTR_ERR(file);
	}
	down_write(&vd->medium_sem);
	old = vd->file;
	vd->file = file;
	vdisk_set_size(vd, size);
	spin_lock_irqsave(&vd->lock, flags);
	vd->mmc.tray_open = false;
	vdisk_mmc_set_present(vd, file);
	vd->mmc.event = file ? VDISK_MMC_EV_NEW_MEDIA :
			       VDISK_MMC_EV_MEDIA_REMOVAL;
	spin_unlock_irqrestore(&vd->lock, flags);
	up_write(&vd->medium_sem);
	if (old)
		fput(old);
	if (file)
		vdisk_cdrom_loaded(vd);
	return 0;
}
