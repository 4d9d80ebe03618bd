// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pass-through command execution.
 *
 * Each command becomes one or more SCSI pass-through requests on the
 * device's queue (scsi_alloc_request(), REQ_OP_DRV_IN/OUT), with the CDB
 * as received and the command's data pages added to bios directly (no
 * copy), executed with blk_execute_rq_nowait(); the end_io callback
 * copies status, sense and residual back and completes the command.
 *
 * Context: where the target driver submits in task context, the first
 * request goes out right there (->exec_nowait(): no allocation or tag
 * wait allowed; if one would be needed the core runs ->exec() on its
 * workqueue instead).  The first bio of a request is embedded in the
 * per-command state (no allocation for transfers of up to
 * PT_INLINE_VECS pages).  The request is not started with bottom halves
 * off (to run the device's completion softirq in this context rather
 * than in ksoftirqd): blk-mq refuses to run a queue synchronously from
 * what looks like interrupt context.
 *
 * Size: one request carries at most what the queue takes (max hardware
 * sectors, max segments) and the device's max_xfer_kb.  A disk READ or
 * WRITE (6/10/12/16) larger than that is sent as several requests, one
 * after the other, each with its own LBA and length; any other command
 * that does not fit is refused with ILLEGAL REQUEST, INVALID FIELD IN
 * CDB (a tape WRITE cannot be cut in two without changing the tape).
 */
#include <linux/slab.h>
#include <linux/blk-mq.h>
#include <linux/bio.h>
#include <linux/log2.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_proto.h>

#include "pt.h"

#define PT_TIMEOUT		(60 * HZ)
#define PT_TIMEOUT_LONG		(3 * 3600 * HZ)	/* tapes, changers */
#define PT_INLINE_VECS		8

/**
 * struct pt_cmd - one command on its way through the device
 * @cmd:      the SCST command
 * @pd:       its device
 * @work:     next piece, or a completion that needs process context
 * @cdb:      the CDB of the current piece
 * @lba:      split READ/WRITE: first block of the next piece
 * @left:     split READ/WRITE: blocks still to transfer
 * @off:      bytes of the data buffer already transferred
 * @len:      bytes of the current piece
 * @rq:       the request at the device (under pd->lock), or NULL
 * @split:    a READ/WRITE sent in pieces
 * @result:   the SCSI result of the last request
 * @resid:    its residual count
 * @sense_len: bytes of sense in @sense
 * @sense:    sense data of the last request
 * @bio:      the first bio of the current request
 * @bvec:     its pages
 */
struct pt_cmd {
	struct scst_cmd		*cmd;
	struct pt_dev		*pd;
	struct work_struct	work;
	u8			cdb[SCST_MAX_CDB_SIZE];
	u64			lba;
	u32			left;
	u32			off;
	u32			len;
	struct request		*rq;
	bool			split;
	int			result;
	u32			resid;
	u8			sense_len;
	u8			sense[SCSI_SENSE_BUFFERSIZE];
	struct bio		bio;
	struct bio_vec		bvec[PT_INLINE_VECS];
};

static struct kmem_cache *pt_cmd_cache;

static u8 pt_status(int result)
{
	return result & 0xff;
}

int pt_cmd_cache_init(void)
{
	pt_cmd_cache = KMEM_CACHE(pt_cmd, 0);
	return pt_cmd_cache ? 0 : -ENOMEM;
}

void pt_cmd_cache_exit(void)
{
	kmem_cache_destroy(pt_cmd_cache);
}

static unsigned int pt_timeout(struct pt_dev *pd)
{
	switch (pd->sdev->type) {
	case TYPE_TAPE:
	case TYPE_MEDIUM_CHANGER:
		return PT_TIMEOUT_LONG;
	default:
		return PT_TIMEOUT;
	}
}

/* Largest number of data bytes one request to the device may carry. */
static u32 pt_max_bytes(struct pt_dev *pd)
{
	struct request_queue *q = pd->sdev->request_queue;
	u64 max = (u64)queue_max_hw_sectors(q) << SECTOR_SHIFT;
	u32 kb = READ_ONCE(pd->max_xfer_kb);

	if (pd->sdev->type == TYPE_DISK)
		max = min_t(u64, max, (u64)queue_max_sectors(q) << SECTOR_SHIFT);
	if (kb)
		max = min_t(u64, max, (u64)kb << 10);
	return min_t(u64, max, SCST_MAX_IO_BYTES);
}

/*
 * How many bytes from @off on fit in one request: at most @limit, and no
 * more pieces (page-contiguous parts of the scatterlist) than the queue
 * has segments.
 */
static u32 pt_fit(struct scst_cmd *cmd, struct request_queue *q, u32 off,
		  u32 limit)
{
	unsigned int segs = 0, max_segs = queue_max_segments(q);
	struct scatterlist *sg;
	u32 pos = 0, fit = 0;
	int i;

	for_each_sg(cmd->sg, sg, cmd->sg_cnt, i) {
		u32 start = max(pos, off), end = pos + sg->length;

		pos = end;
		while (start < end && fit < limit) {
			u32 po = (sg->offset + start - (pos - sg->length)) &
				 ~PAGE_MASK;
			u32 n = min3(end - start, (u32)PAGE_SIZE - po,
				     limit - fit);

			if (++segs > max_segs)
				return fit;
			fit += n;
			start += n;
		}
		if (fit >= limit)
			break;
	}
	return fit;
}

static void pt_bio_free(struct bio *bio)
{
	bio_uninit(bio);
	kfree(bio);
}

/* The end of the bio embedded in struct pt_cmd: nothing to free. */
static void pt_bio_end_inline(struct bio *bio)
{
	bio_uninit(bio);
}

static void pt_rq_free_bios(struct request *rq)
{
	struct bio *bio;

	while ((bio = rq->bio)) {
		rq->bio = bio->bi_next;
		bio->bi_end_io(bio);
	}
}

/* The request's first bio is @pc's own, later ones are allocated. */
static struct bio *pt_bio_new(struct pt_cmd *pc, struct request *rq,
			      unsigned int pages, gfp_t gfp)
{
	unsigned short nr = min_t(unsigned int, pages, BIO_MAX_VECS);
	struct bio *bio;

	if (!rq->bio) {
		bio_init(&pc->bio, NULL, pc->bvec, PT_INLINE_VECS, req_op(rq));
		pc->bio.bi_end_io = pt_bio_end_inline;
		return &pc->bio;
	}
	bio = bio_kmalloc(nr, gfp);
	if (!bio)
		return NULL;
	bio_init(bio, NULL, bio->bi_inline_vecs, nr, req_op(rq));
	bio->bi_end_io = pt_bio_free;
	return bio;
}

/*
 * Add @len bytes of the command's buffer from @off on to @rq; @gfp for
 * the bios beyond the first.
 */
static int pt_map(struct pt_cmd *pc, struct request *rq, u32 off, u32 len,
		  gfp_t gfp)
{
	struct scst_cmd *cmd = pc->cmd;
	struct request_queue *q = rq->q;
	struct bio *bio = NULL;
	struct scatterlist *sg;
	u32 pos = 0, done = 0;
	int i, ret;

	for_each_sg(cmd->sg, sg, cmd->sg_cnt, i) {
		u32 start = max(pos, off), end = pos + sg->length;
		u32 base = pos;

		pos = end;
		while (start < end && done < len) {
			u32 o = sg->offset + start - base;
			struct page *page = nth_page(sg_page(sg), o >> PAGE_SHIFT);
			u32 po = o & ~PAGE_MASK;
			u32 n = min3(end - start, (u32)PAGE_SIZE - po,
				     len - done);

			if (!bio || bio->bi_vcnt == bio->bi_max_vecs) {
				if (bio) {
					ret = blk_rq_append_bio(rq, bio);
					if (ret)
						goto free;
				}
				bio = pt_bio_new(pc, rq,
						 DIV_ROUND_UP(len - done,
							      PAGE_SIZE) + 1,
						 gfp);
				if (!bio)
					return -ENOMEM;
			}
			if (bio_add_pc_page(q, bio, page, n, po) != n) {
				ret = -EINVAL;
				goto free;
			}
			done += n;
			start += n;
		}
		if (done >= len)
			break;
	}
	if (!bio)
		return done == len ? 0 : -EINVAL;
	ret = blk_rq_append_bio(rq, bio);
	if (ret)
		goto free;
	return done == len ? 0 : -EINVAL;
free:
	bio->bi_end_io(bio);
	return ret;
}

static void pt_finish(struct pt_cmd *pc)
{
	struct scst_cmd *cmd = pc->cmd;
	struct pt_dev *pd = pc->pd;
	unsigned long flags;

	spin_lock_irqsave(&pd->lock, flags);
	cmd->dev_priv = NULL;
	spin_unlock_irqrestore(&pd->lock, flags);
	kmem_cache_free(pt_cmd_cache, pc);
	scst_cmd_complete(cmd);
}

static void pt_fail(struct pt_cmd *pc, u8 key, u8 asc, u8 ascq)
{
	scst_cmd_set_sense(pc->cmd, key, asc, ascq);
	pt_finish(pc);
}

static void pt_too_large(struct pt_cmd *pc, u32 max)
{
	struct pt_dev *pd = pc->pd;

	if (!xchg(&pd->warned_big, true))
		pr_warn("%s: %s of %u bytes exceeds the device's limit of %u bytes per command: refused (logged once)\n",
			scst_dev_name(pd->dev), pc->cmd->ci.name,
			pc->cmd->data_len, max);
	scst_cmd_set_invalid_field(pc->cmd, true, 0, -1);
	pt_finish(pc);
}

static enum rq_end_io_ret pt_end_io(struct request *rq, blk_status_t err);

/*
 * Bytes of the next piece of @pc, 0 if it cannot be sent (the command
 * was then ended as too large).  A split READ/WRITE gets its CDB for
 * the piece.
 */
static u32 pt_piece_len(struct pt_cmd *pc)
{
	struct scst_cmd *cmd = pc->cmd;
	struct pt_dev *pd = pc->pd;
	struct request_queue *q = pd->sdev->request_queue;
	u32 shift = cmd->dev->block_shift, max = pt_max_bytes(pd);
	u32 len = cmd->data_len, nb;

	if (pc->split) {
		nb = min_t(u64, pc->left, scst_cdb_rw_max_blocks(pc->cdb[0]));
		len = pt_fit(cmd, q, pc->off, min_t(u64, max,
						    (u64)nb << shift));
		nb = len >> shift;
		if (!nb || scst_cdb_rw_split(pc->cdb, pc->lba, nb))
			goto too_large;
		return nb << shift;
	}
	if (len && (len > max || pt_fit(cmd, q, 0, len) < len))
		goto too_large;
	return len;
too_large:
	pt_too_large(pc, max);
	return 0;
}

/*
 * Send the next (or only) piece of @pc.  With @nowait (the submitter's
 * context) nothing may wait for memory or a tag: if that would be
 * needed, nothing is sent and false is returned, @pc unchanged but for
 * the CDB of a split piece.  Otherwise true: the piece is on its way or
 * the command was ended.
 */
static bool pt_submit(struct pt_cmd *pc, bool nowait)
{
	struct scst_cmd *cmd = pc->cmd;
	struct pt_dev *pd = pc->pd;
	blk_opf_t op = cmd->dir == SCST_DIR_WRITE ? REQ_OP_DRV_OUT :
						    REQ_OP_DRV_IN;
	gfp_t gfp = nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO;
	struct scsi_cmnd *scmd;
	unsigned long flags;
	struct request *rq;
	int ret;

	pc->len = pt_piece_len(pc);
	if (!pc->len && cmd->data_len)
		return true;
	rq = scsi_alloc_request(pd->sdev->request_queue, op,
				nowait ? BLK_MQ_REQ_NOWAIT : 0);
	if (IS_ERR(rq)) {
		if (nowait)
			return false;
		pt_fail(pc, SCST_SENSE_TRIPLE(SCST_KEY_ABORTED_COMMAND,
					      SCST_AQ_INSUFFICIENT_RESOURCES));
		return true;
	}
	scmd = blk_mq_rq_to_pdu(rq);
	memcpy(scmd->cmnd, pc->cdb, cmd->cdb_len);
	scmd->cmd_len = cmd->cdb_len;
	scmd->allowed = 0;
	rq->timeout = pt_timeout(pd);
	rq->end_io = pt_end_io;
	rq->end_io_data = pc;
	ret = pc->len ? pt_map(pc, rq, pc->off, pc->len, gfp) : 0;
	if (ret) {
		pt_rq_free_bios(rq);
		blk_mq_free_request(rq);
		if (nowait && ret == -ENOMEM)
			return false;
		pt_fail(pc, SCST_SENSE_INTERNAL_TARGET_FAILURE);
		return true;
	}
	spin_lock_irqsave(&pd->lock, flags);
	pc->rq = rq;
	spin_unlock_irqrestore(&pd->lock, flags);
	blk_execute_rq_nowait(rq, false);
	return true;
}

/* The sense of the last request, as the command's. */
static void pt_copy_sense(struct pt_cmd *pc)
{
	struct scst_cmd *cmd = pc->cmd;
	unsigned int n = min_t(unsigned int, pc->sense_len, sizeof(cmd->sense));

	memcpy(cmd->sense, pc->sense, n);
	cmd->sense_len = n;
}

/*
 * A UNIT ATTENTION of the device concerns every initiator: the command
 * that received it returns it, every other nexus gets it queued.  A
 * capacity or medium change also updates the block size and count.
 */
static void pt_unit_attention(struct pt_cmd *pc)
{
	u8 key, asc, ascq;

	if (!scst_sense_decode(pc->sense, pc->sense_len, &key, &asc, &ascq) ||
	    key != SCST_KEY_UNIT_ATTENTION)
		return;
	scst_cmd_ua_others(pc->cmd, key, asc, ascq);
	if ((asc == 0x2a && ascq == 0x09) || asc == 0x28)
		queue_work(pt_wq, &pc->pd->cap_work);
}

/* Process context: after each piece that needs more than a completion. */
static void pt_work(struct work_struct *work)
{
	struct pt_cmd *pc = container_of(work, struct pt_cmd, work);

	if (pc->split && pc->left && pt_status(pc->result) == SAM_STAT_GOOD &&
	    !host_byte(pc->result) && !scst_cmd_aborted(pc->cmd)) {
		pt_submit(pc, false);
		return;
	}
	if (pc->sense_len)
		pt_unit_attention(pc);
	pt_finish(pc);
}

/* Status of the command from the last request. */
static void pt_set_result(struct pt_cmd *pc)
{
	struct scst_cmd *cmd = pc->cmd;
	u32 got = pc->len - min(pc->resid, pc->len);

	if (host_byte(pc->result) != DID_OK) {
		scst_cmd_set_sense(cmd, SCST_KEY_ABORTED_COMMAND, 0, 0);
		cmd->resp_len = pc->off;
		return;
	}
	pc->off += got;
	if (cmd->dir == SCST_DIR_READ)
		cmd->resp_len = pc->off;
	cmd->status = pt_status(pc->result);
	if (pc->sense_len && cmd->status == SAM_STAT_CHECK_CONDITION)
		pt_copy_sense(pc);
}

static enum rq_end_io_ret pt_end_io(struct request *rq, blk_status_t err)
{
	struct pt_cmd *pc = rq->end_io_data;
	struct scsi_cmnd *scmd = blk_mq_rq_to_pdu(rq);
	unsigned long flags;
	bool more;

	spin_lock_irqsave(&pc->pd->lock, flags);
	pc->rq = NULL;
	spin_unlock_irqrestore(&pc->pd->lock, flags);

	pc->result = scmd->result;
	pc->resid = scmd->resid_len;
	pc->sense_len = 0;
	if (pt_status(pc->result) == SAM_STAT_CHECK_CONDITION &&
	    scmd->sense_len)
		pc->sense_len = min_t(unsigned int, scmd->sense_len,
				      sizeof(pc->sense));
	memcpy(pc->sense, scmd->sense_buffer, pc->sense_len);
	blk_mq_free_request(rq);

	if (pc->split)
		pc->left -= min_t(u32, pc->left,
				  pc->len >> pc->cmd->dev->block_shift);
	if (pc->split)
		pc->lba += pc->len >> pc->cmd->dev->block_shift;
	pt_set_result(pc);

	more = pc->split && pc->left && pc->cmd->status == SAM_STAT_GOOD;
	if (more || pc->sense_len) {
		INIT_WORK(&pc->work, pt_work);
		queue_work(pt_wq, &pc->work);
	} else {
		pt_finish(pc);
	}
	return RQ_END_IO_NONE;
}

static bool pt_reservation_cmd(u8 opcode)
{
	switch (opcode) {
	case RESERVE: case RELEASE:
	case RESERVE_10: case RELEASE_10:
	case PERSISTENT_RESERVE_IN: case PERSISTENT_RESERVE_OUT:
		return true;
	default:
		return false;
	}
}

/*
 * Commands that never reach the device: true if @cmd was answered.
 *
 * The device sees one nexus, ours: a reservation it granted would hold
 * for every initiator at once.  The core carries these commands out
 * itself (scst_resv_exec()); should one get here, it is refused rather
 * than sent to the device.
 */
static bool pt_refused(struct scst_cmd *cmd)
{
	if (pt_reservation_cmd(cmd->cdb[0])) {
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_OPCODE);
		scst_cmd_complete(cmd);
		return true;
	}
	if (cmd->dir == SCST_DIR_BIDI) {
		scst_cmd_set_invalid_field(cmd, true, 0, -1);
		scst_cmd_complete(cmd);
		return true;
	}
	return false;
}

/* The per-command state of @cmd, known to pt_abort() from here on. */
static struct pt_cmd *pt_cmd_new(struct scst_cmd *cmd, gfp_t gfp)
{
	struct pt_dev *pd = to_pt(cmd->dev);
	struct pt_cmd *pc = kmem_cache_zalloc(pt_cmd_cache, gfp);
	unsigned long flags;

	if (!pc)
		return NULL;
	pc->cmd = cmd;
	pc->pd = pd;
	memcpy(pc->cdb, cmd->cdb, cmd->cdb_len);
	if (pd->sdev->type == TYPE_DISK &&
	    (cmd->ci.flags & SCST_CDB_BLOCKIO) &&
	    scst_cdb_rw_splittable(cmd->cdb[0]) && cmd->ci.nblocks &&
	    cmd->data_len == (u64)cmd->ci.nblocks << cmd->dev->block_shift) {
		pc->split = true;
		pc->lba = cmd->ci.lba;
		pc->left = cmd->ci.nblocks;
	}
	spin_lock_irqsave(&pd->lock, flags);
	cmd->dev_priv = pc;
	spin_unlock_irqrestore(&pd->lock, flags);
	return pc;
}

/**
 * pt_exec() - the handlers' ->exec(): send a command to the device
 * @cmd: the command
 *
 * Context: process context (SCST_HANDLER_EXEC_SLEEPS).
 */
void pt_exec(struct scst_cmd *cmd)
{
	struct pt_cmd *pc;

	if (pt_refused(cmd))
		return;
	pc = pt_cmd_new(cmd, GFP_KERNEL);
	if (!pc) {
		scst_cmd_set_status(cmd, SCST_STATUS_BUSY);
		scst_cmd_complete(cmd);
		return;
	}
	pt_submit(pc, false);
}

/**
 * pt_exec_nowait() - the handlers' ->exec_nowait(): send a command to
 *                    the device from the submitter's context
 * @cmd: the command
 *
 * Like pt_exec() as long as nothing has to wait: the per-command state,
 * the request (tag) and the bios are taken without sleeping; if one of
 * them is not to be had, nothing was sent and the core runs pt_exec()
 * instead.  Further pieces of a split READ/WRITE go out from pt_wq.
 *
 * Context: task context, no spinlock held; must not wait.
 *
 * Return: true if the command was taken (sent, or answered).
 */
bool pt_exec_nowait(struct scst_cmd *cmd)
{
	struct pt_dev *pd = to_pt(cmd->dev);
	unsigned long flags;
	struct pt_cmd *pc;

	if (pt_refused(cmd))
		return true;
	pc = pt_cmd_new(cmd, GFP_NOWAIT | __GFP_NOWARN);
	if (!pc)
		return false;
	if (pt_submit(pc, true))
		return true;
	spin_lock_irqsave(&pd->lock, flags);
	cmd->dev_priv = NULL;
	spin_unlock_irqrestore(&pd->lock, flags);
	kmem_cache_free(pt_cmd_cache, pc);
	return false;
}

/**
 * pt_abort() - the handlers' ->abort(): task management aborted @cmd
 * @cmd: the command
 *
 * A request of @cmd at the device is aborted through the block layer
 * (blk_abort_request(): the SCSI midlayer's timeout handling, which asks
 * the low-level driver to abort the command and escalates to a device
 * reset if that fails); the request then ends and completes @cmd.  A
 * split READ/WRITE sends no further piece.  No other command of the
 * device is touched: the device sees only this host's nexus, and a
 * reset of the device would abort the commands of every initiator.
 *
 * Context: any, also under the session lock.
 */
void pt_abort(struct scst_cmd *cmd)
{
	struct pt_dev *pd = to_pt(cmd->dev);
	struct pt_cmd *pc;
	unsigned long flags;

	spin_lock_irqsave(&pd->lock, flags);
	pc = cmd->dev_priv;
	if (pc && pc->rq)
		blk_abort_request(pc->rq);
	spin_unlock_irqrestore(&pd->lock, flags);
}
