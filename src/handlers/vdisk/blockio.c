// SPDX-License-Identifier: GPL-2.0-only
/*
 * Backing store: a block device, through bios built directly
 * on the command's pages
 *
 * The device is opened exclusively.  A transfer is split into as many
 * bios as needed, submitted under a plug; an atomic count of the bios in
 * flight (plus one for the submitter) ends the transfer, with the first
 * error; the count lives in io->ctx when the submitter provides it (one
 * allocation per command, see vdisk_aio_start()).  FUA writes use
 * REQ_FUA, which the block layer turns into a flush when the device has
 * no FUA.  A transfer with io->nowait sleeps
 * nowhere: GFP_NOWAIT allocations and REQ_NOWAIT bios, and -EAGAIN
 * (BLK_STS_AGAIN) where it would have waited.
 */
#include <linux/slab.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/log2.h>

#include "vdisk.h"

struct blockio_ctx {
	struct vdisk_io		*io;
	struct block_device	*bdev;
	struct bio		*bio;
	blk_opf_t		opf;
	gfp_t			gfp;
	sector_t		sector;
	unsigned int		pages_left;
	atomic_t		pending;
	int			err;
	bool			allocated;
};

static int blockio_open(struct vdisk_dev *vd)
{
	int flags = O_LARGEFILE | O_EXCL | (vd->read_only ? O_RDONLY : O_RDWR);
	struct block_device *bdev;
	unsigned int lbs, pbs;
	struct file *file;

	if (!vd->filename)
		return vdisk_attr_err(vd, "enable", -EINVAL,
				      "filename is not set");
	file = filp_open(vd->filename, flags, 0);
	if (IS_ERR(file))
		return vdisk_attr_err(vd, "enable", PTR_ERR(file),
				      "cannot open %s: %ld", vd->filename,
				      PTR_ERR(file));
	if (!S_ISBLK(file_inode(file)->i_mode)) {
		fput(file);
		return vdisk_attr_err(vd, "enable", -ENOTBLK,
				      "%s is no block device", vd->filename);
	}
	bdev = scst_file_bdev(file);
	lbs = bdev_logical_block_size(bdev);
	pbs = bdev_physical_block_size(bdev);
	if (vd->blocksize < lbs) {
		fput(file);
		return vdisk_attr_err(vd, "enable", -EINVAL,
				      "blocksize %u is below the logical block size %u of %s",
				      vd->blocksize, lbs, vd->filename);
	}
	if (vd->thin && !bdev_max_discard_sectors(bdev)) {
		fput(file);
		return vdisk_attr_err(vd, "enable", -EOPNOTSUPP,
				      "thin_provisioned: %s has no discard",
				      vd->filename);
	}
	vd->file = file;
	vd->bdev = bdev;
	vd->phys_exp = pbs > vd->blocksize ? ilog2(pbs / vd->blocksize) : 0;
	vd->unmap_gran = max(1U, bdev_discard_granularity(bdev) >>
				 vdisk_shift(vd));
	vd->lbprz = false;	/* discarded blocks may read as anything */
	return vdisk_set_size(vd, bdev_nr_bytes(bdev));
}

static void blockio_close(struct vdisk_dev *vd)
{
	if (vd->file)
		fput(vd->file);
	vd->file = NULL;
	vd->bdev = NULL;
}

static int blockio_get_size(struct vdisk_dev *vd, loff_t *size)
{
	*size = bdev_nr_bytes(vd->bdev);
	return 0;
}

static void blockio_put(struct blockio_ctx *ctx)
{
	struct vdisk_io *io = ctx->io;
	int err = ctx->err;

	if (!atomic_dec_and_test(&ctx->pending))
		return;
	if (ctx->allocated)
		kfree(ctx);
	io->done(io, err);
}

static void blockio_end_io(struct bio *bio)
{
	struct blockio_ctx *ctx = bio->bi_private;

	if (bio->bi_status)
		cmpxchg(&ctx->err, 0, blk_status_to_errno(bio->bi_status));
	bio_put(bio);
	blockio_put(ctx);
}

static void blockio_submit_bio(struct blockio_ctx *ctx)
{
	struct bio *bio = ctx->bio;

	if (!bio)
		return;
	ctx->bio = NULL;
	ctx->sector += bio_sectors(bio);
	atomic_inc(&ctx->pending);
	submit_bio(bio);
}

static int blockio_new_bio(struct blockio_ctx *ctx)
{
	struct bio *bio;

	/* with GFP_NOIO bio_alloc() does not fail */
	bio = bio_alloc(ctx->bdev, min(ctx->pages_left, BIO_MAX_VECS),
			ctx->opf, ctx->gfp);
	if (!bio)
		return -EAGAIN;
	bio->bi_iter.bi_sector = ctx->sector;
	bio->bi_private = ctx;
	bio->bi_end_io = blockio_end_io;
	ctx->bio = bio;
	return 0;
}

static int blockio_add_page(struct page *page, unsigned int off,
			    unsigned int len, void *arg)
{
	struct blockio_ctx *ctx = arg;
	int ret;

	if (!ctx->bio) {
		ret = blockio_new_bio(ctx);
		if (ret)
			return ret;
	}
	if (bio_add_page(ctx->bio, page, len, off) != len) {
		blockio_submit_bio(ctx);
		ret = blockio_new_bio(ctx);
		if (ret)
			return ret;
		if (bio_add_page(ctx->bio, page, len, off) != len)
			return -EIO;
	}
	ctx->pages_left--;
	return 0;
}

static void blockio_submit(struct vdisk_io *io)
{
	gfp_t gfp = io->nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO;
	struct blockio_ctx *ctx = io->ctx;
	struct blk_plug plug;
	int ret;

	/* io->ctx: vdisk_aio_start() allocated it with @io */
	if (ctx) {
		memset(ctx, 0, sizeof(*ctx));
	} else {
		ctx = kzalloc(sizeof(*ctx), gfp);
		if (!ctx) {
			io->done(io, io->nowait ? -EAGAIN : -ENOMEM);
			return;
		}
		ctx->allocated = true;
	}
	ctx->io = io;
	ctx->gfp = gfp;
	ctx->bdev = io->vd->bdev;
	ctx->sector = io->pos >> SECTOR_SHIFT;
	ctx->pages_left = DIV_ROUND_UP(io->len, PAGE_SIZE) + io->nents;
	ctx->opf = io->write ? REQ_OP_WRITE : REQ_OP_READ;
	if (io->write && io->fua)
		ctx->opf |= REQ_FUA | REQ_SYNC;
	if (io->nowait)
		ctx->opf |= REQ_NOWAIT;
	atomic_set(&ctx->pending, 1);

	blk_start_plug(&plug);
	ret = vdisk_sg_walk(io->sg, io->nents, io->skip, io->len,
			    blockio_add_page, ctx);
	if (ret) {
		cmpxchg(&ctx->err, 0, ret);
		if (ctx->bio)
			bio_put(ctx->bio);
		ctx->bio = NULL;
	}
	blockio_submit_bio(ctx);
	blk_finish_plug(&plug);
	blockio_put(ctx);
}

static int blockio_flush(struct file *file, loff_t pos, loff_t len)
{
	return blkdev_issue_flush(scst_file_bdev(file));
}

static int blockio_unmap(struct vdisk_dev *vd, loff_t pos, loff_t len)
{
	return blkdev_issue_discard(vd->bdev, pos >> SECTOR_SHIFT,
				    len >> SECTOR_SHIFT, GFP_KERNEL);
}

const struct vdisk_backend vdisk_blockio_backend = {
	.open		= blockio_open,
	.close		= blockio_close,
	.get_size	= blockio_get_size,
	.submit		= blockio_submit,
	.flush		= blockio_flush,
	.unmap		= blockio_unmap,
	.ctx_size	= sizeof(struct blockio_ctx),
};
