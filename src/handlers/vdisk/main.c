// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_vdisk.ko: the handlers vdisk_fileio, vdisk_blockio, vdisk_nullio
 * and vcdrom; device life cycle, command dispatch and the helpers every
 * command uses.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/log2.h>
#include <scsi/scsi_proto.h>

#include "vdisk.h"

/* --- helpers for command functions --- */

/**
 * vdisk_copy_resp() - return data-in to the initiator
 * @cmd: the command
 * @buf: the complete response
 * @len: its length; truncated to the allocation length and the buffer
 */
void vdisk_copy_resp(struct scst_cmd *cmd, const void *buf, unsigned int len)
{
	unsigned int n = min3(len, cmd->data_len, cmd->buf_len);

	cmd->resp_len = sg_copy_from_buffer(cmd->sg, cmd->sg_cnt, buf, n);
}

void vdisk_invalid_cdb(struct scst_cmd *cmd, unsigned int byte, int bit)
{
	scst_cmd_set_invalid_field(cmd, true, byte, bit);
}

/* CHECK CONDITION with the INFORMATION field set */
void vdisk_set_sense_info(struct scst_cmd *cmd, u8 key, u16 aq, u64 info)
{
	int len;

	scst_cmd_set_sense(cmd, key, SCST_AQ_ASC(aq), SCST_AQ_ASCQ(aq));
	len = scst_sense_set_info(cmd->sense, sizeof(cmd->sense), info);
	if (len > 0)
		cmd->sense_len = len;
}

/**
 * vdisk_set_io_error() - turn a backing store error into sense data
 * @cmd: the command
 * @write: the failed transfer was a write
 * @err: negative errno
 */
void vdisk_set_io_error(struct scst_cmd *cmd, bool write, int err)
{
	pr_warn_ratelimited("scst: %s: %s error %d (%s)\n",
			    scst_dev_name(cmd->dev), write ? "write" : "read",
			    err, cmd->ci.name ? cmd->ci.name : "?");
	if (err == -ENOSPC)
		scst_cmd_set_sense(cmd, SCST_KEY_DATA_PROTECT,
				   SCST_AQ_ASC(SCST_AQ_SPACE_ALLOC_FAILED_WP),
				   SCST_AQ_ASCQ(SCST_AQ_SPACE_ALLOC_FAILED_WP));
	else if (err == -ENOMEM)
		scst_cmd_set_status(cmd, SCST_STATUS_BUSY);
	else if (write)
		scst_cmd_set_sense(cmd, SCST_SENSE_WRITE_ERROR);
	else
		scst_cmd_set_sense(cmd, SCST_SENSE_UNRECOVERED_READ_ERROR);
}

/*
 * The core refuses SCST_CDB_WRITES_MEDIUM commands on read-only LUNs and
 * devices; this is the handler's own check for the commands it modifies
 * the medium with, so that a table mistake cannot write.
 */
bool vdisk_write_protected(struct scst_cmd *cmd)
{
	if (!cmd->lun_read_only && !cmd->dev->read_only)
		return false;
	scst_cmd_set_sense(cmd, SCST_SENSE_WRITE_PROTECTED);
	return true;
}

void vdisk_get_limits(struct vdisk_dev *vd, struct vdisk_limits *lim)
{
	unsigned int shift = vdisk_shift(vd);

	memset(lim, 0, sizeof(*lim));
	lim->max_xfer = VDISK_MAX_XFER_BYTES >> shift;
	lim->opt_gran = 1U << vd->phys_exp;
	lim->phys_exp = vd->phys_exp;
	lim->max_caw = min(255U, VDISK_MAX_CAW_BYTES >> shift);
	lim->max_unmap = VDISK_MAX_UNMAP_BYTES >> shift;
	lim->max_unmap_desc = VDISK_MAX_UNMAP_DESC;
	lim->unmap_gran = max(vd->unmap_gran, 1U);
	lim->max_ws = VDISK_MAX_WS_BYTES >> shift;
	lim->thin = vd->thin;
	lim->lbprz = vd->lbprz;
}

/* A UNIT ATTENTION for every I_T nexus but the one @cmd came from. */
void vdisk_ua_others(struct scst_cmd *cmd, u8 key, u16 aq)
{
	scst_cmd_ua_others(cmd, key, SCST_AQ_ASC(aq), SCST_AQ_ASCQ(aq));
}

/* set the advertised size; the capacity is rounded down to whole blocks */
int vdisk_set_size(struct vdisk_dev *vd, loff_t size)
{
	if (size < 0)
		return -EINVAL;
	vd->size = size;
	WRITE_ONCE(vd->dev->nr_blocks, (u64)size >> vdisk_shift(vd));
	return 0;
}

/* --- device life cycle --- */

static int vdisk_alloc(struct scst_device *dev)
{
	struct vdisk_handler *vh =
		container_of(dev->handler, struct vdisk_handler, h);
	struct vdisk_dev *vd;
	int ret;

	vd = kzalloc(sizeof(*vd), GFP_KERNEL);
	if (!vd)
		return -ENOMEM;
	ret = vdisk_writes_init(vd);
	if (ret) {
		kfree(vd);
		return ret;
	}
	vd->dev = dev;
	vd->vh = vh;
	spin_lock_init(&vd->lock);
	init_rwsem(&vd->medium_sem);
	vd->rotational = vh->rotational;
	vd->read_zero = true;
	if (vh->kind == VDISK_CDROM) {
		vd->blocksize = 1U << VDISK_CDROM_SHIFT;
		vd->read_only = true;
		dev->read_only = true;
	} else {
		vd->blocksize = 512;
	}
	dev->block_shift = ilog2(vd->blocksize);
	dev->priv = vd;
	return vdisk_ids_init(vd);
}

static void vdisk_free(struct scst_device *dev)
{
	struct vdisk_dev *vd = to_vdisk(dev);

	if (!vd)
		return;
	dev->priv = NULL;
	vdisk_writes_exit(vd);
	kfree(vd->filename);
	kfree(vd);
}

/* called by the core with the device mutex held */
static int vdisk_enable(struct scst_device *dev)
{
	unsigned long flags;
	struct vdisk_dev *vd = to_vdisk(dev);
	int ret;

	dev->block_shift = ilog2(vd->blocksize);
	vd->phys_exp = 0;
	vd->unmap_gran = 1;
	vd->lbprz = false;
	ret = vd->vh->be->open(vd);
	if (ret)
		return ret;
	dev->read_only = vd->read_only;
	dev->d_sense = false;
	spin_lock_irqsave(&vd->lock, flags);
	vd->wce = vd->nv_cache;
	vd->mmc.locked = false;
	vd->mmc.tray_open = false;
	vd->mmc.event = VDISK_MMC_EV_NONE;
	spin_unlock_irqrestore(&vd->lock, flags);
	return 0;
}

static void vdisk_disable(struct scst_device *dev)
{
	struct vdisk_dev *vd = to_vdisk(dev);

	vd->vh->be->close(vd);
	vd->size = 0;
	dev->nr_blocks = 0;
}

/* A logical unit reset allows medium removal again (SPC-4, MMC-6). */
static void vdisk_reset(struct scst_device *dev)
{
	struct vdisk_dev *vd = to_vdisk(dev);
	unsigned long flags;

	spin_lock_irqsave(&vd->lock, flags);
	vd->mmc.locked = false;
	spin_unlock_irqrestore(&vd->lock, flags);
}

/* --- command dispatch --- */

static int vdisk_cmd_tur(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	return 0;
}

/*
 * The function that carries out @op/@sa on a disk, or NULL if vdisk
 * answers it with INVALID COMMAND OPERATION CODE.  Both ->exec() and
 * ->supports() (REPORT SUPPORTED OPERATION CODES) ask here, so what is
 * reported is what runs.
 */
static vdisk_cmd_fn vdisk_disk_fn(struct vdisk_dev *vd, u8 op, u16 sa)
{
	switch (op) {
	case TEST_UNIT_READY:
		return vdisk_cmd_tur;
	case INQUIRY:
		return vdisk_cmd_inquiry;
	case READ_6: case READ_10: case READ_12: case READ_16:
	case WRITE_6: case WRITE_10: case WRITE_12: case WRITE_16:
	case WRITE_VERIFY: case WRITE_VERIFY_12: case WRITE_VERIFY_16:
		return vdisk_cmd_rw;
	case VERIFY: case VERIFY_12: case VERIFY_16:
		return vdisk_cmd_verify;
	case READ_CAPACITY:
		return vdisk_cmd_read_capacity;
	case SERVICE_ACTION_IN_16:
		if (sa == SAI_READ_CAPACITY_16)
			return vdisk_cmd_read_capacity;
		if (sa == SAI_GET_LBA_STATUS)
			return vdisk_cmd_get_lba_status;
		return NULL;
	case SYNCHRONIZE_CACHE: case SYNCHRONIZE_CACHE_16:
		return vdisk_cmd_sync_cache;
	case WRITE_SAME: case WRITE_SAME_16:
		return vdisk_cmd_write_same;
	case UNMAP:
		/* only with logical block provisioning management */
		return vd->thin ? vdisk_cmd_unmap : NULL;
	case COMPARE_AND_WRITE:
		return vdisk_cmd_caw;
	case FORMAT_UNIT:
		return vdisk_cmd_format;
	case MODE_SENSE: case MODE_SENSE_10:
		return vdisk_cmd_mode_sense;
	case MODE_SELECT: case MODE_SELECT_10:
		return vdisk_cmd_mode_select;
	case START_STOP:
		return vdisk_cmd_start_stop;
	case ALLOW_MEDIUM_REMOVAL:
		return vdisk_cmd_prevent;
	default:
		return NULL;
	}
}

static int vdisk_disk_cmd(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	vdisk_cmd_fn fn = vdisk_disk_fn(vd, cmd->cdb[0], cmd->cdb[1] & 0x1f);

	if (!fn) {
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_OPCODE);
		return 0;
	}
	return fn(vd, cmd);
}

static void vdisk_exec(struct scst_cmd *cmd)
{
	struct vdisk_dev *vd = cmd_to_vdisk(cmd);

	if (vdisk_kind(vd) == VDISK_CDROM) {
		vdisk_cdrom_exec(vd, cmd);
		return;
	}
	if (vdisk_disk_cmd(vd, cmd) != VDISK_ASYNC)
		scst_cmd_complete(cmd);
}

/* ->supports(): the commands ->exec() carries out, see vdisk_disk_fn() */
static bool vdisk_supports(struct scst_device *dev, u8 opcode, u16 sa,
			   u8 *usage)
{
	struct vdisk_dev *vd = to_vdisk(dev);

	if (vdisk_kind(vd) == VDISK_CDROM)
		return vdisk_cdrom_supports(opcode, usage);
	switch (opcode) {
	case WRITE_SAME: case WRITE_SAME_16:
		usage[1] &= ~vdisk_ws_refused(vd);
		break;
	case UNMAP:
		usage[1] &= ~VDISK_UNMAP_REFUSED;
		break;
	}
	return vdisk_disk_fn(vd, opcode, sa);
}

/* --- the handlers --- */

#define VDISK_HANDLER(_name, _type, _flags, _attrs)		\
	.h = {							\
		.name		= _name,			\
		.owner		= THIS_MODULE,			\
		.type		= _type,			\
		.flags		= _flags,			\
		.dev_attrs	= _attrs,			\
		.alloc		= vdisk_alloc,			\
		.free		= vdisk_free,			\
		.enable		= vdisk_enable,			\
		.disable	= vdisk_disable,		\
		.exec		= vdisk_exec,			\
		.exec_nowait	= vdisk_rw_nowait,		\
		.reset		= vdisk_reset,			\
		.supports	= vdisk_supports,		\
	}

static struct vdisk_handler vdisk_handlers[] = {
	{
		VDISK_HANDLER("vdisk_fileio", SCST_TYPE_DISK,
			      SCST_HANDLER_EXEC_SLEEPS, vdisk_fileio_attrs),
		.kind = VDISK_FILEIO,
		.be = &vdisk_fileio_backend,
		.prod_id = "VDISK-FILEIO",
		.rotational = true,
	},
	{
		VDISK_HANDLER("vdisk_blockio", SCST_TYPE_DISK,
			      SCST_HANDLER_EXEC_SLEEPS, vdisk_blockio_attrs),
		.kind = VDISK_BLOCKIO,
		.be = &vdisk_blockio_backend,
		.prod_id = "VDISK-BLOCKIO",
		.rotational = true,
	},
	{
		/* nullio never sleeps in ->exec() */
		VDISK_HANDLER("vdisk_nullio", SCST_TYPE_DISK, 0,
			      vdisk_nullio_attrs),
		.kind = VDISK_NULLIO,
		.be = &vdisk_nullio_backend,
		.prod_id = "VDISK-NULLIO",
		.rotational = false,
	},
	{
		VDISK_HANDLER("vcdrom", SCST_TYPE_ROM,
			      SCST_HANDLER_EXEC_SLEEPS, vdisk_cdrom_attrs),
		.kind = VDISK_CDROM,
		.be = &vdisk_cdrom_backend,
		.prod_id = "VCDROM",
		.rotational = true,
	},
};

static void vdisk_unregister(unsigned int n)
{
	while (n--)
		scst_unregister_dev_handler(&vdisk_handlers[n].h);
}

static int __init vdisk_init(void)
{
	unsigned int i;
	int ret;

	ret = vdisk_aio_init();
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(vdisk_handlers); i++) {
		ret = scst_register_dev_handler(&vdisk_handlers[i].h);
		if (ret) {
			vdisk_unregister(i);
			vdisk_aio_exit();
			return ret;
		}
	}
	return 0;
}

static void __exit vdisk_exit(void)
{
	vdisk_unregister(ARRAY_SIZE(vdisk_handlers));
	vdisk_aio_exit();
}

module_init(vdisk_init);
module_exit(vdisk_exit);

MODULE_DESCRIPTION("SCST virtual disk and CD-ROM device handlers");
MODULE_LICENSE("GPL");
MODULE_VERSION(SCST_VERSION);
