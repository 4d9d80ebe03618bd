// SPDX-License-Identifier: GPL-2.0-only
/*
 * READ, WRITE, WRITE AND VERIFY and VERIFY (6/10/12/16)
 *
 * The core decoded the CDB (cmd->ci: lba, nblocks, FUA/DPO, BYTCHK) and
 * checked the range against dev->nr_blocks; the range is checked again
 * here because resync_size may shrink the device in between.
 *
 * Block I/O and fileio READs and WRITEs complete from the bio end_io
 * handler or ->ki_complete() (a page-cache transfer as soon as it is
 * issued), and are started in the submitter's context where it allows
 * (vdisk_rw_nowait()), else in the exec thread, which does not wait for
 * them.  Their per-command state (struct vdisk_aio: the vdisk_io and the
 * backend's kiocb or bio counter) is one object of a kmem_cache.
 * Everything else completes in the exec thread (see "vd->writes" in
 * vdisk.h).
 * WRITE AND VERIFY writes through to stable storage, then verifies the
 * medium by reading it back (and comparing it with the data when BYTCHK
 * is set).
 */
#include <linux/slab.h>
#include <scsi/scsi_proto.h>

#include "vdisk.h"

/* byte offset of the TRANSFER LENGTH field, for the sense field pointer */
static unsigned int vdisk_xfer_len_field(const struct scst_cmd *cmd)
{
	switch (cmd->ci.cdb_len) {
	case 6:
		return 4;
	case 10:
		return 7;
	case 12:
		return 6;
	default:
		return 10;
	}
}

/* common checks of the block commands; false: the status is set */
static bool vdisk_rw_check(struct vdisk_dev *vd, struct scst_cmd *cmd,
			   u64 lba, u32 nblocks)
{
	u64 nr_blocks = READ_ONCE(cmd->dev->nr_blocks);

	if (cmd->ci.cdb_len > 6 && (cmd->cdb[1] & 0xe0)) {
		vdisk_invalid_cdb(cmd, 1, 7);	/* no protection information */
		return false;
	}
	if (lba > nr_blocks || nblocks > nr_blocks - lba) {
		scst_cmd_set_sense(cmd, SCST_SENSE_LBA_OUT_OF_RANGE);
		return false;
	}
	if (((u64)nblocks << vdisk_shift(vd)) > VDISK_MAX_XFER_BYTES) {
		vdisk_invalid_cdb(cmd, vdisk_xfer_len_field(cmd), 7);
		return false;
	}
	return true;
}

static bool vdisk_buf_check(struct scst_cmd *cmd, u64 len)
{
	if (cmd->buf_len >= len)
		return true;
	WARN_ONCE(1, "scst_vdisk: %s: buffer of %u bytes for %llu\n",
		  cmd->ci.name, cmd->buf_len, len);
	scst_cmd_set_sense(cmd, SCST_SENSE_INTERNAL_TARGET_FAILURE);
	return false;
}

/*
 * The per-command state of an asynchronous transfer: the vdisk_io and
 * the backend's state after it, one object of the backend's cache.
 */
struct vdisk_aio {
	struct vdisk_io	io;
	u64		ctx[];
};

static struct kmem_cache *vdisk_fileio_aio_cache;
static struct kmem_cache *vdisk_blockio_aio_cache;

static struct kmem_cache *vdisk_aio_cache(const struct vdisk_dev *vd)
{
	return vdisk_kind(vd) == VDISK_FILEIO ? vdisk_fileio_aio_cache :
						vdisk_blockio_aio_cache;
}

static struct kmem_cache *vdisk_aio_cache_create(const char *name,
						 const struct vdisk_backend *be)
{
	return kmem_cache_create(name, sizeof(struct vdisk_aio) +
				 round_up(be->ctx_size, sizeof(u64)),
				 __alignof__(struct vdisk_aio), 0, NULL);
}

/**
 * vdisk_aio_init() - create the caches of the asynchronous transfers
 *
 * Return: 0 or -ENOMEM.
 */
int vdisk_aio_init(void)
{
	vdisk_fileio_aio_cache = vdisk_aio_cache_create("scst_vdisk_fileio_aio",
							&vdisk_fileio_backend);
	vdisk_blockio_aio_cache =
		vdisk_aio_cache_create("scst_vdisk_blockio_aio",
				       &vdisk_blockio_backend);
	if (vdisk_fileio_aio_cache && vdisk_blockio_aio_cache)
		return 0;
	vdisk_aio_exit();
	return -ENOMEM;
}

void vdisk_aio_exit(void)
{
	kmem_cache_destroy(vdisk_fileio_aio_cache);
	kmem_cache_destroy(vdisk_blockio_aio_cache);
	vdisk_fileio_aio_cache = NULL;
	vdisk_blockio_aio_cache = NULL;
}

static void vdisk_aio_retry(struct work_struct *work)
{
	struct vdisk_io *io = container_of(work, struct vdisk_io, work);

	io->vd->vh->be->submit(io);
}

/* the end of a transfer started by vdisk_aio_start(), in any context */
static void vdisk_aio_done(struct vdisk_io *io, int err)
{
	struct scst_cmd *cmd = io->priv;
	struct vdisk_dev *vd = io->vd;

	if (err == -EAGAIN && io->nowait) {
		/* it would have slept: again, from a thread that may */
		io->nowait = false;
		INIT_WORK(&io->work, vdisk_aio_retry);
		queue_work(system_unbound_wq, &io->work);
		return;
	}
	if (io->write)
		vdisk_write_unlock(vd);
	if (err)
		vdisk_set_io_error(cmd, io->write, err);
	else if (!io->write)
		cmd->resp_len = io->len;
	kmem_cache_free(vdisk_aio_cache(vd),
			container_of(io, struct vdisk_aio, io));
	scst_cmd_complete(cmd);
}

/*
 * Start a block I/O or fileio READ or WRITE that completes @cmd from its
 * bio completion or ->ki_complete(); a WRITE holds vd->writes until
 * then.  One allocation: the vdisk_io with the backend's state.  With
 * @nowait nothing sleeps.  False if it could not be started (no memory,
 * or COMPARE AND WRITE in the way with @nowait): nothing was changed.
 */
static bool vdisk_aio_start(struct vdisk_dev *vd, struct scst_cmd *cmd,
			    const struct vdisk_io *io, bool nowait)
{
	gfp_t gfp = nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO;
	struct vdisk_aio *aio;

	aio = kmem_cache_alloc(vdisk_aio_cache(vd), gfp);
	if (!aio)
		return false;
	aio->io = *io;
	if (io->write) {
		if (!nowait)
			vdisk_write_lock(vd);
		else if (!vdisk_write_trylock(vd)) {
			kmem_cache_free(vdisk_aio_cache(vd), aio);
			return false;
		}
	}
	aio->io.nowait = nowait;
	aio->io.done = vdisk_aio_done;
	aio->io.priv = cmd;
	aio->io.ctx = aio->ctx;
	vd->vh->be->submit(&aio->io);
	return true;
}

static int vdisk_read(struct vdisk_dev *vd, struct scst_cmd *cmd,
		      struct vdisk_io *io)
{
	int err;

	if ((vdisk_kind(vd) == VDISK_BLOCKIO || vdisk_kind(vd) == VDISK_FILEIO) &&
	    vdisk_aio_start(vd, cmd, io, false))
		return VDISK_ASYNC;
	/* nullio read_zero=0: the initiator's buffer stays as it was */
	if (vdisk_kind(vd) == VDISK_NULLIO && !vd->read_zero &&
	    scst_cmd_buf_is_initiators(cmd)) {
		cmd->resp_len = io->len;
		return 0;
	}
	err = vdisk_io_sync(io);
	if (err)
		vdisk_set_io_error(cmd, false, err);
	else
		cmd->resp_len = io->len;
	return 0;
}

/**
 * vdisk_rw_nowait() - start a READ or WRITE without sleeping
 * @cmd: the command, in the submitter's context (->exec_nowait())
 *
 * READ and WRITE of vdisk_blockio need no thread: the bios are submitted
 * with REQ_NOWAIT right here and the command completes from their
 * end_io.  READs and WRITEs of vdisk_fileio likewise, with an
 * IOCB_NOWAIT kiocb, where the file honours it (vdisk_fileio_nowait():
 * WRITEs with O_DIRECT, or through a page cache that takes IOCB_NOWAIT
 * writes).  fileio WRITEs that must reach stable storage (FUA, WCE=0)
 * start in ->exec() instead: IOCB_DSYNC may flush in ->write_iter().
 * If the block layer or the file system would have had to wait (no
 * request free, queue frozen, a split, page not cached, blocks to
 * allocate) or memory is short, the transfer is submitted once more from
 * a workqueue, where it may sleep.  A WRITE that finds COMPARE AND WRITE
 * excluding writes, and everything else, runs in ->exec().
 *
 * Return: true if the command was taken.
 */
bool vdisk_rw_nowait(struct scst_cmd *cmd)
{
	struct vdisk_dev *vd = to_vdisk(cmd->dev);
	const struct scst_cdb_info *ci = &cmd->ci;
	struct vdisk_io io = {
		.vd = vd, .sg = cmd->sg, .nents = cmd->sg_cnt,
		.pos = ci->lba << vdisk_shift(vd),
		.len = (size_t)ci->nblocks << vdisk_shift(vd),
	};

	if (vdisk_kind(vd) != VDISK_BLOCKIO && vdisk_kind(vd) != VDISK_FILEIO)
		return false;
	switch (cmd->cdb[0]) {
	case READ_6: case READ_10: case READ_12: case READ_16:
		break;
	case WRITE_6: case WRITE_10: case WRITE_12: case WRITE_16:
		io.write = true;
		break;
	default:
		return false;
	}
	if (vdisk_kind(vd) == VDISK_BLOCKIO ? !bdev_nowait(vd->bdev) :
	    !vdisk_fileio_nowait(vd, io.write))
		return false;
	if (io.write) {
		io.fua = vdisk_sync_writes(vd, ci->flags & SCST_CDB_FUA);
		if (io.fua && vdisk_kind(vd) == VDISK_FILEIO)
			return false;
	}
	if (!vdisk_rw_check(vd, cmd, ci->lba, ci->nblocks) || !io.len ||
	    !vdisk_buf_check(cmd, io.len) ||
	    (io.write && vdisk_write_protected(cmd))) {
		scst_cmd_complete(cmd);
		return true;
	}
	return vdisk_aio_start(vd, cmd, &io, true);
}

static int vdisk_write(struct vdisk_dev *vd, struct scst_cmd *cmd,
		       struct vdisk_io *io)
{
	int err;

	vdisk_write_lock(vd);
	err = vdisk_io_sync(io);
	vdisk_write_unlock(vd);
	if (err)
		vdisk_set_io_error(cmd, true, err);
	return err;
}

/*
 * Compare @len bytes read from the medium at byte @done of the range with
 * the data-out buffer; returns the offset of the first difference within
 * the chunk, or @len.
 */
static u64 vdisk_compare_chunk(struct scst_cmd *cmd, const u8 *media,
			       u8 *data, u64 len, u64 done, u8 bytchk,
			       unsigned int bs)
{
	u64 i, m;

	if (bytchk == 1) {
		sg_pcopy_to_buffer(cmd->sg, cmd->sg_cnt, data, len, done);
		return vdisk_first_mismatch(media, data, len);
	}
	for (i = 0; i < len; i += bs) {
		m = vdisk_first_mismatch(media + i, data, bs);
		if (m < bs)
			return i + m;
	}
	return len;
}

/*
 * Read [lba, lba + nblocks) back and compare it: bytchk 0 only reads,
 * 1 compares with the data-out buffer, 3 compares every block with the
 * single block of the data-out buffer.  A mismatch is a MISCOMPARE whose
 * INFORMATION field is the byte offset of the first difference.
 */
static void vdisk_verify_range(struct vdisk_dev *vd, struct scst_cmd *cmd,
			       u64 lba, u32 nblocks, u8 bytchk)
{
	unsigned int shift = vdisk_shift(vd), bs = 1U << shift;
	u64 len = (u64)nblocks << shift, pos = lba << shift, done, off;
	u64 chunk = min_t(u64, len, VDISK_CHUNK_BYTES);
	u8 *media, *data = NULL;
	int err = -ENOMEM;

	media = kmalloc(chunk, vdisk_gfp(vd));
	if (bytchk)
		data = kmalloc(chunk, vdisk_gfp(vd));
	if (!media || (bytchk && !data))
		goto out;
	if (bytchk == 3)
		sg_copy_to_buffer(cmd->sg, cmd->sg_cnt, data, bs);
	for (done = 0; done < len; done += chunk) {
		chunk = min(len - done, chunk);
		err = vdisk_rw_buf(vd, media, pos + done, chunk, false, false);
		if (err)
			break;
		if (!bytchk)
			continue;
		off = vdisk_compare_chunk(cmd, media, data, chunk, done,
					  bytchk, bs);
		if (off < chunk) {
			vdisk_set_sense_info(cmd, SCST_KEY_MISCOMPARE,
					     SCST_AQ_MISCOMPARE_DURING_VERIFY,
					     done + off);
			break;
		}
	}
out:
	if (err)
		vdisk_set_io_error(cmd, false, err);
	kfree(data);
	kfree(media);
}

/**
 * vdisk_cmd_rw() - READ, WRITE and WRITE AND VERIFY
 * @vd: the device
 * @cmd: the command
 *
 * Return: 0, or VDISK_ASYNC when the command completes later.
 */
int vdisk_cmd_rw(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	const struct scst_cdb_info *ci = &cmd->ci;
	u8 op = cmd->cdb[0];
	bool verify = op == WRITE_VERIFY || op == WRITE_VERIFY_12 ||
		      op == WRITE_VERIFY_16;
	struct vdisk_io io = {
		.vd = vd, .sg = cmd->sg, .nents = cmd->sg_cnt,
		.pos = ci->lba << vdisk_shift(vd),
		.len = (size_t)ci->nblocks << vdisk_shift(vd),
		.write = ci->dir == SCST_DIR_WRITE,
	};

	if (!vdisk_rw_check(vd, cmd, ci->lba, ci->nblocks) || !io.len)
		return 0;
	if (!vdisk_buf_check(cmd, io.len))
		return 0;
	if (!io.write)
		return vdisk_read(vd, cmd, &io);
	if (vdisk_write_protected(cmd))
		return 0;
	io.fua = vdisk_sync_writes(vd, verify || (ci->flags & SCST_CDB_FUA));
	/* WRITE AND VERIFY reads back after the write: in this thread */
	if (!verify && (vdisk_kind(vd) == VDISK_BLOCKIO ||
			vdisk_kind(vd) == VDISK_FILEIO) &&
	    vdisk_aio_start(vd, cmd, &io, false))
		return VDISK_ASYNC;
	if (vdisk_write(vd, cmd, &io))
		return 0;
	if (verify)
		vdisk_verify_range(vd, cmd, ci->lba, ci->nblocks,
				   ci->flags & SCST_CDB_BYTCHK ? 1 : 0);
	return 0;
}

/**
 * vdisk_cmd_verify() - VERIFY(10/12/16)
 * @vd: the device
 * @cmd: the command
 *
 * Return: 0.
 */
int vdisk_cmd_verify(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	const struct scst_cdb_info *ci = &cmd->ci;
	u8 bytchk = (cmd->cdb[1] >> 1) & 0x03;
	u64 data_len;

	if (bytchk == 2) {
		vdisk_invalid_cdb(cmd, 1, 2);
		return 0;
	}
	if (!vdisk_rw_check(vd, cmd, ci->lba, ci->nblocks) || !ci->nblocks)
		return 0;
	data_len = bytchk == 3 ? 1U << vdisk_shift(vd) :
		   bytchk ? (u64)ci->nblocks << vdisk_shift(vd) : 0;
	if (vdisk_buf_check(cmd, data_len))
		vdisk_verify_range(vd, cmd, ci->lba, ci->nblocks, bytchk);
	return 0;
}
