// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SBC-3 commands of vdisk besides READ and WRITE: READ
 * CAPACITY, SYNCHRONIZE CACHE, UNMAP, WRITE SAME, COMPARE AND WRITE,
 * GET LBA STATUS, FORMAT UNIT, START STOP UNIT and PREVENT ALLOW MEDIUM
 * REMOVAL.
 */
#include <linux/slab.h>
#include <scsi/scsi_proto.h>

#include "vdisk.h"

#define LBA_STATUS_MAX_DESC	32

static bool vdisk_range_ok(struct scst_cmd *cmd, u64 lba, u64 nblocks)
{
	u64 nr_blocks = READ_ONCE(cmd->dev->nr_blocks);

	if (lba <= nr_blocks && nblocks <= nr_blocks - lba)
		return true;
	scst_cmd_set_sense(cmd, SCST_SENSE_LBA_OUT_OF_RANGE);
	return false;
}

/**
 * vdisk_cmd_read_capacity() - READ CAPACITY(10) and (16)
 * @vd: the device
 * @cmd: the command
 *
 * Return: 0.
 */
int vdisk_cmd_read_capacity(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	u64 nr_blocks = READ_ONCE(cmd->dev->nr_blocks);
	u32 bs = 1U << vdisk_shift(vd);
	struct vdisk_limits lim;
	u8 buf[32];
	int len;

	if (cmd->cdb[0] == READ_CAPACITY) {
		len = vdisk_fmt_read_cap10(buf, nr_blocks, bs);
	} else {
		vdisk_get_limits(vd, &lim);
		len = vdisk_fmt_read_cap16(buf, nr_blocks, bs, &lim);
	}
	vdisk_copy_resp(cmd, buf, len);
	return 0;
}

/**
 * vdisk_cmd_sync_cache() - SYNCHRONIZE CACHE(10/16)
 * @vd: the device
 * @cmd: the command
 *
 * With nv_cache=1 there is nothing to do.  With IMMED=1 the command
 * completes before the flush; the file reference keeps the backing store
 * open until the flush is done.
 *
 * Return: 0, or VDISK_ASYNC if the command was completed already.
 */
int vdisk_cmd_sync_cache(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	int (*flush)(struct file *file, loff_t pos, loff_t len);
	const struct scst_cdb_info *ci = &cmd->ci;
	unsigned int shift = vdisk_shift(vd);
	u64 nblocks = ci->nblocks;
	struct file *file;
	loff_t pos;
	int err;

	if (!nblocks && ci->lba <= cmd->dev->nr_blocks)
		nblocks = cmd->dev->nr_blocks - ci->lba;
	if (!vdisk_range_ok(cmd, ci->lba, nblocks))
		return 0;
	if (READ_ONCE(vd->nv_cache) || !vd->file)
		return 0;
	if (!(ci->flags & SCST_CDB_IMMED)) {
		err = vd->vh->be->flush(vd->file, ci->lba << shift,
					nblocks << shift);
		if (err)
			vdisk_set_io_error(cmd, true, err);
		return 0;
	}
	/* after the completion the device may go away: only the file */
	file = get_file(vd->file);
	flush = vd->vh->be->flush;
	pos = ci->lba << shift;
	scst_cmd_complete(cmd);
	err = flush(file, pos, nblocks << shift);
	if (err)
		pr_warn_ratelimited("scst: %pD: cache flush failed: %d\n",
				    file, err);
	fput(file);
	return VDISK_ASYNC;
}

/* deallocate blocks, writing through if the write cache is off */
static int vdisk_unmap_range(struct vdisk_dev *vd, u64 lba, u64 nblocks)
{
	unsigned int shift = vdisk_shift(vd);
	int err;

	vdisk_write_lock(vd);
	err = vd->vh->be->unmap(vd, lba << shift, nblocks << shift);
	vdisk_write_unlock(vd);
	if (!err && vd->file && vdisk_sync_writes(vd, false))
		err = vd->vh->be->flush(vd->file, lba << shift,
					nblocks << shift);
	return err;
}

static void vdisk_unmap_list(struct vdisk_dev *vd, struct scst_cmd *cmd,
			     const u8 *buf, u32 len)
{
	struct vdisk_range *r;
	struct vdisk_unmap_err uerr;
	struct vdisk_limits lim;
	int n, i, err = 0;

	vdisk_get_limits(vd, &lim);
	r = kmalloc_array(lim.max_unmap_desc, sizeof(*r), vdisk_gfp(vd));
	if (!r) {
		scst_cmd_set_status(cmd, SCST_STATUS_BUSY);
		return;
	}
	n = vdisk_unmap_parse(buf, len, READ_ONCE(cmd->dev->nr_blocks), &lim,
			      r, lim.max_unmap_desc, &uerr);
	if (n < 0 && uerr.aq == SCST_AQ_INVALID_FIELD_IN_PARAM_LIST)
		scst_cmd_set_invalid_field(cmd, false, uerr.field, uerr.bit);
	else if (n < 0)
		scst_cmd_set_sense(cmd, SCST_KEY_ILLEGAL_REQUEST,
				   SCST_AQ_ASC(uerr.aq), SCST_AQ_ASCQ(uerr.aq));
	for (i = 0; i < n && !err; i++)
		err = vdisk_unmap_range(vd, r[i].lba, r[i].nr);
	if (err)
		vdisk_set_io_error(cmd, true, err);
	kfree(r);
}

/**
 * vdisk_cmd_unmap() - UNMAP
 * @vd: the device
 * @cmd: the command
 *
 * Only for thin_provisioned devices (else the opcode is not supported);
 * ANCHOR is not supported.  The parameter list is validated completely
 * before the first range is deallocated.
 *
 * Return: 0.
 */
int vdisk_cmd_unmap(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	u32 len = cmd->data_len;
	u8 *buf;

	if (!vd->thin) {
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_OPCODE);
		return 0;
	}
	if (cmd->cdb[1] & VDISK_UNMAP_REFUSED) {
		vdisk_invalid_cdb(cmd, 1, 0);
		return 0;
	}
	if (vdisk_write_protected(cmd) || !len)
		return 0;
	len = min(len, cmd->buf_len);
	buf = kmalloc(len, vdisk_gfp(vd));
	if (!buf) {
		scst_cmd_set_status(cmd, SCST_STATUS_BUSY);
		return 0;
	}
	sg_copy_to_buffer(cmd->sg, cmd->sg_cnt, buf, len);
	vdisk_unmap_list(vd, cmd, buf, len);
	kfree(buf);
	return 0;
}

/*
 * WRITE SAME without unmapping: the block, repeated, in chunks; written
 * through with one flush of the range at the end, not per chunk.
 */
static int vdisk_write_pattern(struct vdisk_dev *vd, const u8 *block,
			       u64 pos, u64 len, bool fua)
{
	unsigned int bs = 1U << vdisk_shift(vd);
	u64 chunk = min_t(u64, len, VDISK_CHUNK_BYTES), done, i;
	u8 *buf;
	int err = 0;

	buf = kmalloc(chunk, vdisk_gfp(vd));
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < chunk; i += bs)
		memcpy(buf + i, block, bs);
	for (done = 0; done < len && !err; done += chunk) {
		chunk = min(chunk, len - done);
		vdisk_write_lock(vd);
		err = vdisk_rw_buf(vd, buf, pos + done, chunk, true, false);
		vdisk_write_unlock(vd);
	}
	kfree(buf);
	if (!err && fua && vd->file)
		err = vd->vh->be->flush(vd->file, pos, len);
	return err;
}

#define WS_ANCHOR	0x10
#define WS_UNMAP	0x08

/**
 * vdisk_ws_refused() - WRITE SAME bits of CDB byte 1 refused when set
 * @vd: the device
 *
 * ANCHOR always (no anchored LBAs).  UNMAP on a fully provisioned LU:
 * SBC-4 defines the UNMAP bit for logical units with logical block
 * provisioning management only, and vdisk reports LBPME, LBPWS and
 * LBPWS10 as zero there, so the bit is not implemented and is refused
 * with INVALID FIELD IN CDB like any other bit the device server does not
 * evaluate, rather than ignored.
 *
 * Return: the mask.
 */
u8 vdisk_ws_refused(struct vdisk_dev *vd)
{
	return WS_ANCHOR | (vd->thin ? 0 : WS_UNMAP);
}

static bool vdisk_ws_check(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	const struct scst_cdb_info *ci = &cmd->ci;
	unsigned int nr_field = ci->cdb_len == 10 ? 7 : 10;
	u8 refused = cmd->cdb[1] & vdisk_ws_refused(vd);
	struct vdisk_limits lim;

	vdisk_get_limits(vd, &lim);
	if (cmd->cdb[1] & 0xe0) {
		vdisk_invalid_cdb(cmd, 1, 7);	/* WRPROTECT */
		return false;
	}
	if (refused) {
		vdisk_invalid_cdb(cmd, 1, fls(refused) - 1);
		return false;
	}
	if (cmd->cdb[1] & 0x06) {
		vdisk_invalid_cdb(cmd, 1, 2);	/* PBDATA, LBDATA */
		return false;
	}
	if (!ci->nblocks || ci->nblocks > lim.max_ws) {
		vdisk_invalid_cdb(cmd, nr_field, 7);	/* WSNZ=1 */
		return false;
	}
	return vdisk_range_ok(cmd, ci->lba, ci->nblocks) &&
	       !vdisk_write_protected(cmd);
}

/**
 * vdisk_cmd_write_same() - WRITE SAME(10/16)
 * @vd: the device
 * @cmd: the command
 *
 * With UNMAP=1 on a thin_provisioned device and an all-zero block (or
 * NDOB=1) the range is deallocated; a non-zero block is written, since
 * unmapped blocks read as zeros (fileio, nullio with read_zero=1) or
 * undefined (blockio, nullio with read_zero=0).
 * Without thin provisioning UNMAP=1 is refused (vdisk_ws_refused()).
 *
 * Return: 0.
 */
int vdisk_cmd_write_same(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	const struct scst_cdb_info *ci = &cmd->ci;
	unsigned int shift = vdisk_shift(vd), bs = 1U << shift;
	bool zero = true;
	unsigned int i;
	u8 *block;
	int err;

	if (!vdisk_ws_check(vd, cmd))
		return 0;
	block = kzalloc(bs, vdisk_gfp(vd));
	if (!block) {
		scst_cmd_set_status(cmd, SCST_STATUS_BUSY);
		return 0;
	}
	if (!(ci->flags & SCST_CDB_NDOB)) {
		sg_copy_to_buffer(cmd->sg, cmd->sg_cnt, block, bs);
		for (i = 0; i < bs && zero; i++)
			zero = !block[i];
	}
	if ((ci->flags & SCST_CDB_UNMAP_BIT) && vd->thin && zero)
		err = vdisk_unmap_range(vd, ci->lba, ci->nblocks);
	else
		err = vdisk_write_pattern(vd, block, ci->lba << shift,
					  (u64)ci->nblocks << shift,
					  vdisk_sync_writes(vd, ci->flags &
							    SCST_CDB_FUA));
	if (err)
		vdisk_set_io_error(cmd, true, err);
	kfree(block);
	return 0;
}

/* the compare-and-write step, with writers excluded */
static void vdisk_caw_locked(struct vdisk_dev *vd, struct scst_cmd *cmd,
			     u8 *media, const u8 *cmp, u64 pos, u32 len)
{
	struct vdisk_io io = {
		.vd = vd, .sg = cmd->sg, .nents = cmd->sg_cnt, .skip = len,
		.pos = pos, .len = len, .write = true,
		.fua = vdisk_sync_writes(vd, cmd->ci.flags & SCST_CDB_FUA),
	};
	u64 off;
	int err;

	if (vdisk_excludes_caw(vd))
		lockdep_assert_held(&vd->caw_mutex);
	err = vdisk_rw_buf(vd, media, pos, len, false, false);
	if (err) {
		vdisk_set_io_error(cmd, false, err);
		return;
	}
	off = vdisk_first_mismatch(media, cmp, len);
	if (off < len) {
		vdisk_set_sense_info(cmd, SCST_KEY_MISCOMPARE,
				     SCST_AQ_MISCOMPARE_DURING_VERIFY, off);
		return;
	}
	err = vdisk_io_sync(&io);
	if (err)
		vdisk_set_io_error(cmd, true, err);
}

/**
 * vdisk_cmd_caw() - COMPARE AND WRITE
 * @vd: the device
 * @cmd: the command
 *
 * The data-out buffer holds the verify data, then the write data.  The
 * read, compare and write run with every other write excluded
 * (vdisk_writes_block()), so no
 * other write can modify the range in between.
 *
 * Return: 0.
 */
int vdisk_cmd_caw(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	const struct scst_cdb_info *ci = &cmd->ci;
	unsigned int shift = vdisk_shift(vd);
	u32 len = ci->nblocks << shift;
	struct vdisk_limits lim;
	u8 *media, *cmp;

	vdisk_get_limits(vd, &lim);
	if (cmd->cdb[1] & 0xe0) {
		vdisk_invalid_cdb(cmd, 1, 7);
		return 0;
	}
	if (ci->nblocks > lim.max_caw) {
		vdisk_invalid_cdb(cmd, 13, 7);
		return 0;
	}
	if (!vdisk_range_ok(cmd, ci->lba, ci->nblocks) || !len ||
	    vdisk_write_protected(cmd))
		return 0;
	if (cmd->buf_len < 2 * len) {
		scst_cmd_set_sense(cmd, SCST_SENSE_INTERNAL_TARGET_FAILURE);
		return 0;
	}
	media = kmalloc(len, vdisk_gfp(vd));
	cmp = kmalloc(len, vdisk_gfp(vd));
	if (media && cmp) {
		sg_copy_to_buffer(cmd->sg, cmd->sg_cnt, cmp, len);
		if (vdisk_excludes_caw(vd))
			vdisk_writes_block(vd);
		vdisk_caw_locked(vd, cmd, media, cmp, ci->lba << shift, len);
		if (vdisk_excludes_caw(vd))
			vdisk_writes_unblock(vd);
	} else {
		scst_cmd_set_status(cmd, SCST_STATUS_BUSY);
	}
	kfree(cmp);
	kfree(media);
	return 0;
}

/* the provisioning state of @lba and the first block where it changes */
static int vdisk_lba_extent(struct vdisk_dev *vd, u64 lba, u64 nr_blocks,
			    bool *mapped, u64 *end)
{
	unsigned int shift = vdisk_shift(vd);
	loff_t end_pos;
	int err;

	*mapped = true;
	*end = nr_blocks;
	if (!vd->vh->be->mapped || !vd->thin)
		return 0;
	err = vd->vh->be->mapped(vd, lba << shift, mapped, &end_pos);
	if (err)
		return err;
	if (*mapped)
		*end = DIV_ROUND_UP_ULL(end_pos, 1U << shift);
	else
		*end = end_pos >> shift;
	if (*end <= lba) {	/* a hole smaller than a block */
		*mapped = true;
		*end = lba + 1;
	}
	*end = min(*end, nr_blocks);
	return 0;
}

/**
 * vdisk_cmd_get_lba_status() - GET LBA STATUS
 * @vd: the device
 * @cmd: the command
 *
 * fileio reports holes of the backing file as deallocated (SEEK_DATA,
 * SEEK_HOLE); the other backends report every block as mapped.
 *
 * Return: 0.
 */
int vdisk_cmd_get_lba_status(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	u64 lba = get_unaligned_be64(cmd->cdb + 2), end;
	u64 nr_blocks = READ_ONCE(cmd->dev->nr_blocks);
	unsigned int n = 0, max = LBA_STATUS_MAX_DESC;
	bool mapped;
	u8 *buf;
	int err = 0;

	if (lba >= nr_blocks) {
		scst_cmd_set_sense(cmd, SCST_SENSE_LBA_OUT_OF_RANGE);
		return 0;
	}
	if (cmd->data_len >= 24)
		max = min(max, (cmd->data_len - 8) / 16);
	else
		max = 1;
	buf = kzalloc(8 + 16 * max, vdisk_gfp(vd));
	if (!buf) {
		scst_cmd_set_status(cmd, SCST_STATUS_BUSY);
		return 0;
	}
	while (n < max && lba < nr_blocks && !err) {
		err = vdisk_lba_extent(vd, lba, nr_blocks, &mapped, &end);
		if (err)
			break;
		end = min(end, lba + 0xffffffffULL);
		vdisk_fmt_lba_status_desc(buf + 8 + 16 * n++, lba,
					  (u32)(end - lba), mapped);
		lba = end;
	}
	if (err) {
		vdisk_set_io_error(cmd, false, err);
	} else {
		put_unaligned_be32(4 + 16 * n, buf);
		vdisk_copy_resp(cmd, buf, 8 + 16 * n);
	}
	kfree(buf);
	return 0;
}

/**
 * vdisk_cmd_format() - FORMAT UNIT
 * @vd: the device
 * @cmd: the command
 *
 * Nothing to format: accepted without a parameter list (FMTDATA=0) and
 * without protection information; the medium keeps its data.
 *
 * Return: 0.
 */
int vdisk_cmd_format(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	if (cmd->cdb[1] & 0xc0)
		vdisk_invalid_cdb(cmd, 1, 7);	/* FMTPINFO */
	else if (cmd->cdb[1] & 0x10)
		vdisk_invalid_cdb(cmd, 1, 4);	/* FMTDATA */
	else
		vdisk_write_protected(cmd);
	return 0;
}

/* START STOP UNIT on a disk: nothing to start, stop or eject */
int vdisk_cmd_start_stop(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	return 0;
}

/* PREVENT ALLOW MEDIUM REMOVAL on a disk: the medium is not removable */
int vdisk_cmd_prevent(struct vdisk_dev *vd, struct scst_cmd *cmd)
{
	return 0;
}
