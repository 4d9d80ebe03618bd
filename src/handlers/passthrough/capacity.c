// SPDX-License-Identifier: GPL-2.0-only
/*
 * Block size and capacity of a pass-through disk or CD-ROM, which the
 * core needs to check ranges and to size READ/WRITE transfers.  Read at
 * enable and again when the device reports CAPACITY DATA HAS CHANGED or
 * a medium change.
 */
#include <linux/slab.h>
#include <linux/blk-mq.h>
#include <linux/log2.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_proto.h>

#include "pt.h"

/* One synchronous data-in command to the device; 0 on GOOD status. */
static int pt_sync_in(struct pt_dev *pd, const u8 *cdb, unsigned int len,
		      void *buf, unsigned int buflen)
{
	struct request_queue *q = pd->sdev->request_queue;
	struct scsi_cmnd *scmd;
	struct request *rq;
	int ret;

	rq = scsi_alloc_request(q, REQ_OP_DRV_IN, 0);
	if (IS_ERR(rq))
		return PTR_ERR(rq);
	scmd = blk_mq_rq_to_pdu(rq);
	memcpy(scmd->cmnd, cdb, len);
	scmd->cmd_len = len;
	scmd->allowed = 1;
	rq->timeout = 30 * HZ;
	ret = blk_rq_map_kern(q, rq, buf, buflen, GFP_KERNEL);
	if (!ret) {
		blk_execute_rq(rq, false);
		ret = scmd->result ? -EIO : 0;
	}
	blk_mq_free_request(rq);
	return ret;
}

/**
 * pt_read_capacity() - set the device's block size and count
 * @pd: a pass-through device
 *
 * Devices without a capacity (tapes, changers, ...) are left alone.  A
 * disk or CD-ROM whose capacity cannot be read (no medium, not ready)
 * gets an unknown capacity: the core's range check then passes every
 * LBA and the device answers for itself.
 *
 * Return: 0, or a negative errno if the capacity is unknown.
 */
int pt_read_capacity(struct pt_dev *pd)
{
	struct scst_device *dev = pd->dev;
	u8 cdb[16] = { 0 };
	u64 last;
	u32 bs;
	u8 *buf;
	int ret;

	if (pd->sdev->type != TYPE_DISK && pd->sdev->type != TYPE_ROM &&
	    pd->sdev->type != TYPE_MOD)
		return 0;
	buf = kzalloc(32, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	cdb[0] = READ_CAPACITY;
	ret = pt_sync_in(pd, cdb, 10, buf, 8);
	last = get_unaligned_be32(buf);
	bs = get_unaligned_be32(buf + 4);
	if (!ret && last == 0xffffffff) {
		memset(cdb, 0, sizeof(cdb));
		cdb[0] = SERVICE_ACTION_IN_16;
		cdb[1] = SAI_READ_CAPACITY_16;
		put_unaligned_be32(32, &cdb[10]);
		ret = pt_sync_in(pd, cdb, 16, buf, 32);
		last = get_unaligned_be64(buf);
		bs = get_unaligned_be32(buf + 8);
	}
	kfree(buf);
	if (!ret && (!is_power_of_2(bs) || bs < 512 || bs > 65536))
		ret = -EINVAL;
	if (ret) {
		WRITE_ONCE(dev->nr_blocks, U64_MAX >> dev->block_shift);
		return ret;
	}
	dev->block_shift = ilog2(bs);
	WRITE_ONCE(dev->nr_blocks, last + 1);
	return 0;
}

void pt_cap_work(struct work_struct *work)
{
	struct pt_dev *pd = container_of(work, struct pt_dev, cap_work);

	pt_read_capacity(pd);
}
