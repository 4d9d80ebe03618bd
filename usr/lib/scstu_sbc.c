// SPDX-License-Identifier: GPL-2.0-only
/*
 * SBC emulation for scst_user handlers (see scstu_sbc.h)
 *
 * The CDB is checked by the table-driven decoder of src/lib (reserved
 * bits, lengths, service actions); the pages are built by the vdisk
 * formatters (src/handlers/vdisk/fmt_*.c).  What is left here is the
 * command semantics and the LBA range checks.
 */
#include <stdio.h>
#include <string.h>

#include "scstu_sbc.h"
#include "scst_cdb.h"
#include "scst_sense.h"

#ifndef SCSTU_VERSION
#define SCSTU_VERSION "0"
#endif

#define STATUS_BUSY		0x08

enum {
	OP_TUR = 0x00, OP_READ6 = 0x08, OP_WRITE6 = 0x0a, OP_INQUIRY = 0x12,
	OP_MODE_SENSE6 = 0x1a, OP_START_STOP = 0x1b, OP_READ_CAP10 = 0x25,
	OP_READ10 = 0x28, OP_WRITE10 = 0x2a, OP_VERIFY10 = 0x2f,
	OP_SYNC_CACHE10 = 0x35, OP_WRITE_SAME10 = 0x41,
	OP_MODE_SENSE10 = 0x5a, OP_READ16 = 0x88, OP_WRITE16 = 0x8a,
	OP_VERIFY16 = 0x8f, OP_SYNC_CACHE16 = 0x91, OP_WRITE_SAME16 = 0x93,
	OP_SA_IN16 = 0x9e, OP_READ12 = 0xa8, OP_WRITE12 = 0xaa,
	OP_VERIFY12 = 0xaf,
};

#define SA_READ_CAP16		0x10
#define MAX_WRITE_SAME		(1U << 16)	/* blocks, VPD B0h */

static void sense(struct scstu_sbc *d, struct scst_user_reply *r, u8 key,
		  u16 aq)
{
	scstu_reply_sense(r, d->d_sense, key, SCST_AQ_ASC(aq),
			  SCST_AQ_ASCQ(aq));
}

static void invalid_cdb(struct scstu_sbc *d, struct scst_user_reply *r,
			u16 field, int bit)
{
	sense(d, r, SCST_KEY_ILLEGAL_REQUEST, SCST_AQ_INVALID_FIELD_IN_CDB);
	scstu_reply_field(r, true, field, bit);
}

static void io_error(struct scstu_sbc *d, struct scst_user_reply *r,
		     bool write, int err)
{
	if (err == -ENOMEM || err == -EAGAIN) {
		memset(r, 0, offsetof(struct scst_user_reply, sense));
		r->status = STATUS_BUSY;
		return;
	}
	sense(d, r, SCST_KEY_MEDIUM_ERROR, write ? SCST_AQ_WRITE_ERROR :
	      SCST_AQ_UNRECOVERED_READ_ERROR);
}

/* 64-bit FNV-1a, for the serial number and NAA designator of a name */
static u64 name_hash(const char *s)
{
	u64 h = 0xcbf29ce484222325ULL;

	while (*s) {
		h ^= (u8)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/**
 * scstu_sbc_init() - set up an emulated disk
 * @d: the disk
 * @name: device name (product identification, designators, serial)
 * @block_size: logical block size, a power of two from 512 to 4096
 * @nr_blocks: capacity in blocks
 * @max_xfer_bytes: largest transfer (the data buffer size)
 * @wce: the backend has a volatile write cache
 * @be: backend
 * @priv: backend argument
 *
 * Return: 0 or -EINVAL.
 */
int scstu_sbc_init(struct scstu_sbc *d, const char *name, uint32_t block_size,
		   uint64_t nr_blocks, uint32_t max_xfer_bytes, bool wce,
		   const struct scstu_backend *be, void *priv)
{
	u64 h = name_hash(name);
	unsigned int i;

	if (block_size < 512 || block_size > 4096 ||
	    (block_size & (block_size - 1)) || max_xfer_bytes < block_size)
		return -EINVAL;
	memset(d, 0, offsetof(struct scstu_sbc, scratch));
	d->be = be;
	d->priv = priv;
	d->block_size = block_size;
	d->shift = (unsigned int)__builtin_ctz(block_size);
	d->nr_blocks = nr_blocks;
	d->max_xfer = max_xfer_bytes >> d->shift;
	d->wce = wce;
	snprintf(d->ids.vend, sizeof(d->ids.vend), "SCST_USR");
	snprintf(d->ids.prod, sizeof(d->ids.prod), "%.16s", name);
	snprintf(d->ids.dev_id, sizeof(d->ids.dev_id), "%s", name);
	snprintf(d->ids.usn, sizeof(d->ids.usn), "%016llx",
		 (unsigned long long)h);
	/* NAA 3, locally assigned: 60 bits of the name's hash */
	for (i = 0; i < 8; i++)
		d->ids.naa[i] = (u8)(h >> (56 - 8 * i));
	d->ids.naa[0] = (u8)(0x30 | (d->ids.naa[0] & 0x0f));
	d->ids.naa_len = 8;
	snprintf(d->rev, sizeof(d->rev), "%.4s", SCSTU_VERSION);
	return 0;
}

/* copy @len bytes of response, cut to the allocation length and buffer */
static void respond(struct scst_user_reply *r, const struct scst_user_msg *m,
		    u8 *buf, const u8 *data, u32 len, u32 alloc)
{
	if (len > alloc)
		len = alloc;
	if (len > m->data_len)
		len = m->data_len;
	if (len)
		memcpy(buf, data, len);
	scstu_reply_good(r, len);
}

/*
 * VPD 83h without the target port designators: a user-space handler does
 * not know through which port the command came.
 */
static int strip_tport_desig(u8 *page, int len)
{
	int in = 4, out = 4;

	while (in + 4 <= len) {
		int dlen = 4 + page[in + 3];

		if (in + dlen > len)
			break;
		if (((page[in + 1] >> 4) & 0x03) == 0) {	/* LU */
			memmove(page + out, page + in, (size_t)dlen);
			out += dlen;
		}
		in += dlen;
	}
	put_unaligned_be16((u16)(out - 4), page + 2);
	return out;
}

static void get_limits(struct scstu_sbc *d, struct vdisk_limits *lim)
{
	memset(lim, 0, sizeof(*lim));
	lim->max_xfer = d->max_xfer;
	lim->opt_gran = d->block_size < 4096 ? 4096 >> d->shift : 1;
	lim->max_ws = MAX_WRITE_SAME;
}

static void cmd_inquiry(struct scstu_sbc *d, const struct scst_user_msg *m,
			u8 *buf, const struct scst_cdb_info *ci,
			struct scst_user_reply *r)
{
	struct vdisk_inq inq = { .type = SCST_TYPE_DISK, .rev = d->rev };
	struct vdisk_limits lim;
	u8 page[VDISK_FMT_BUF];
	int len;

	get_limits(d, &lim);
	if (m->cdb[1] & 0x01) {
		len = vdisk_fmt_vpd(page, sizeof(page), m->cdb[2], &d->ids,
				    &inq, &lim);
		if (len > 0 && m->cdb[2] == 0x83)
			len = strip_tport_desig(page, len);
	} else if (m->cdb[2]) {
		len = -EOPNOTSUPP;
	} else {
		len = vdisk_fmt_std_inquiry(page, sizeof(page), &d->ids, &inq);
	}
	if (len == -EOPNOTSUPP)
		invalid_cdb(d, r, 2, 7);
	else if (len < 0)
		sense(d, r, SCST_KEY_HARDWARE_ERROR, SCST_AQ(0x44, 0x00));
	else
		respond(r, m, buf, page, (u32)len, ci->data_len);
}

static void cmd_mode_sense(struct scstu_sbc *d, const struct scst_user_msg *m,
			   u8 *buf, const struct scst_cdb_info *ci,
			   struct scst_user_reply *r)
{
	bool ten = m->cdb[0] == OP_MODE_SENSE10;
	enum vdisk_pc pc = (enum vdisk_pc)(m->cdb[2] >> 6);
	u8 pcode = m->cdb[2] & 0x3f, subpage = m->cdb[3];
	struct vdisk_mode mode = {
		.wce = d->wce, .wce_default = d->wce, .d_sense = d->d_sense,
		.nr_blocks = d->nr_blocks, .block_size = d->block_size,
	};
	u8 page[VDISK_FMT_BUF];
	int len;

	if (pc == VDISK_PC_SAVED) {
		sense(d, r, SCST_KEY_ILLEGAL_REQUEST, SCST_AQ(0x39, 0x00));
		return;
	}
	if (subpage && !(pcode == VDISK_MODE_ALL_PAGES && subpage == 0xff)) {
		invalid_cdb(d, r, 3, 7);
		return;
	}
	len = vdisk_fmt_mode_sense(page, sizeof(page), ten, m->cdb[1] & 0x08,
				   ten && (m->cdb[1] & 0x10), pcode, pc, &mode);
	if (len < 0)
		invalid_cdb(d, r, 2, 5);
	else
		respond(r, m, buf, page, (u32)len, ci->data_len);
}

static void cmd_read_cap(struct scstu_sbc *d, const struct scst_user_msg *m,
			 u8 *buf, const struct scst_cdb_info *ci,
			 struct scst_user_reply *r)
{
	struct vdisk_limits lim;
	u8 data[32];
	int len;

	memset(data, 0, sizeof(data));
	if (m->cdb[0] == OP_READ_CAP10) {
		/* PMI is obsolete in SBC-3: the LBA field must be zero */
		if (get_unaligned_be32(m->cdb + 2)) {
			invalid_cdb(d, r, 2, 7);
			return;
		}
		len = vdisk_fmt_read_cap10(data, d->nr_blocks, d->block_size);
		respond(r, m, buf, data, (u32)len, 8);
		return;
	}
	get_limits(d, &lim);
	if (get_unaligned_be64(m->cdb + 2)) {
		invalid_cdb(d, r, 2, 7);
		return;
	}
	len = vdisk_fmt_read_cap16(data, d->nr_blocks, d->block_size, &lim);
	respond(r, m, buf, data, (u32)len, ci->data_len);
}

static bool range_ok(struct scstu_sbc *d, struct scst_user_reply *r,
		     u64 lba, u64 nblocks)
{
	if (lba > d->nr_blocks || nblocks > d->nr_blocks - lba) {
		sense(d, r, SCST_KEY_ILLEGAL_REQUEST,
		      SCST_AQ_LBA_OUT_OF_RANGE);
		return false;
	}
	return true;
}

static bool flush(struct scstu_sbc *d, struct scst_user_reply *r, u64 lba,
		  u64 nblocks)
{
	int err;

	if (!d->wce || !d->be->flush)
		return true;
	err = d->be->flush(d->priv, lba << d->shift, nblocks << d->shift);
	if (err) {
		io_error(d, r, true, err);
		return false;
	}
	return true;
}

/* the data buffer must hold @need bytes of data-out */
static bool data_ok(struct scstu_sbc *d, const struct scst_user_msg *m,
		    const u8 *buf, struct scst_user_reply *r, u64 need)
{
	if (need && (!buf || m->data_len < need)) {
		sense(d, r, SCST_KEY_ILLEGAL_REQUEST,
		      SCST_AQ_INVALID_FIELD_IN_CMD_IU);
		return false;
	}
	return true;
}

/*
 * Blocks of data-out a WRITE or VERIFY carries.  When the initiator's
 * buffer was shorter than the CDB asks for, the kernel hands over the
 * whole blocks it holds (data_len); those are written, no more.
 */
static bool out_blocks(struct scstu_sbc *d, const struct scst_user_msg *m,
		       struct scst_user_reply *r, u32 *nblocks)
{
	u64 len = (u64)*nblocks << d->shift;

	if (m->data_len >= len)
		return true;
	if (m->data_len & (d->block_size - 1)) {
		sense(d, r, SCST_KEY_ILLEGAL_REQUEST,
		      SCST_AQ_INVALID_FIELD_IN_CMD_IU);
		return false;
	}
	*nblocks = m->data_len >> d->shift;
	return true;
}

static void cmd_rw(struct scstu_sbc *d, const struct scst_user_msg *m,
		   u8 *buf, const struct scst_cdb_info *ci,
		   struct scst_user_reply *r)
{
	u64 len = (u64)ci->nblocks << d->shift;
	u64 off = ci->lba << d->shift;
	u32 nblocks = ci->nblocks;
	int err;

	if (!range_ok(d, r, ci->lba, ci->nblocks))
		return;
	if (ci->dir == SCST_DIR_READ) {
		/* a shorter buffer is a shorter expected transfer: residual */
		if (len > m->data_len)
			len = m->data_len;
		err = len ? d->be->read(d->priv, buf, off, len) : 0;
		if (err)
			io_error(d, r, false, err);
		else
			scstu_reply_good(r, (u32)len);
		return;
	}
	if (!out_blocks(d, m, r, &nblocks))
		return;
	len = (u64)nblocks << d->shift;
	err = len ? d->be->write(d->priv, buf, off, len) : 0;
	if (err) {
		io_error(d, r, true, err);
		return;
	}
	if ((ci->flags & SCST_CDB_FUA) && !flush(d, r, ci->lba, nblocks))
		return;
	scstu_reply_good(r, 0);
}

/*
 * VERIFY: read the range back; BYTCHK 01b compares it with the data-out
 * buffer, 11b compares every block with the one block sent.
 */
static void cmd_verify(struct scstu_sbc *d, const struct scst_user_msg *m,
		       u8 *buf, const struct scst_cdb_info *ci,
		       struct scst_user_reply *r)
{
	u8 bytchk = (m->cdb[1] >> 1) & 0x03;
	u32 chunk = SCSTU_SCRATCH, bs = d->block_size, nblocks = ci->nblocks;
	u64 len, done = 0, off;
	int err;

	if (bytchk == 2) {
		invalid_cdb(d, r, 1, 2);
		return;
	}
	if (!range_ok(d, r, ci->lba, ci->nblocks) ||
	    (bytchk == 1 && !out_blocks(d, m, r, &nblocks)) ||
	    (bytchk == 3 && !data_ok(d, m, buf, r, bs)))
		return;
	len = (u64)nblocks << d->shift;
	while (done < len) {
		u64 n = len - done < chunk ? len - done : chunk;

		err = d->be->read(d->priv, d->scratch, (ci->lba << d->shift) +
				  done, n);
		if (err) {
			io_error(d, r, false, err);
			return;
		}
		for (off = 0; bytchk && off < n; off += bs) {
			const u8 *want = bytchk == 3 ? buf : buf + done + off;
			u64 bad = vdisk_first_mismatch(d->scratch + off, want,
						       bs);

			if (bad < bs) {
				sense(d, r, SCST_KEY_MISCOMPARE,
				      SCST_AQ_MISCOMPARE_DURING_VERIFY);
				scstu_reply_info(r, done + off + bad);
				return;
			}
		}
		done += n;
	}
	scstu_reply_good(r, 0);
}

static void cmd_sync_cache(struct scstu_sbc *d, const struct scst_cdb_info *ci,
			   struct scst_user_reply *r)
{
	u64 nblocks = ci->nblocks;

	if (!nblocks && ci->lba <= d->nr_blocks)
		nblocks = d->nr_blocks - ci->lba;
	if (range_ok(d, r, ci->lba, nblocks) && flush(d, r, ci->lba, nblocks))
		scstu_reply_good(r, 0);
}

/*
 * WRITE SAME without thin provisioning: UNMAP=1 is refused (the Logical
 * Block Provisioning VPD page says LBPWS=0), NDOB writes zeros.
 */
static void cmd_write_same(struct scstu_sbc *d, const struct scst_user_msg *m,
			   u8 *buf, const struct scst_cdb_info *ci,
			   struct scst_user_reply *r)
{
	u32 bs = d->block_size, fill, i;
	u64 len, done = 0;
	int err;

	if (ci->flags & (SCST_CDB_ANCHOR | SCST_CDB_UNMAP_BIT)) {
		invalid_cdb(d, r, 1, ci->flags & SCST_CDB_ANCHOR ? 4 : 3);
		return;
	}
	if (!ci->nblocks || ci->nblocks > MAX_WRITE_SAME) {	/* WSNZ */
		invalid_cdb(d, r, m->cdb[0] == OP_WRITE_SAME10 ? 7 : 10, 7);
		return;
	}
	if (!range_ok(d, r, ci->lba, ci->nblocks))
		return;
	if (ci->flags & SCST_CDB_NDOB)
		memset(d->scratch, 0, bs);
	else if (data_ok(d, m, buf, r, bs))
		memcpy(d->scratch, buf, bs);
	else
		return;
	len = (u64)ci->nblocks << d->shift;
	fill = len < SCSTU_SCRATCH ? (u32)len : SCSTU_SCRATCH;
	for (i = bs; i < fill; i += bs)
		memcpy(d->scratch + i, d->scratch, bs);
	while (done < len) {
		u64 n = len - done < fill ? len - done : fill;

		err = d->be->write(d->priv, d->scratch,
				   (ci->lba << d->shift) + done, n);
		if (err) {
			io_error(d, r, true, err);
			return;
		}
		done += n;
	}
	if ((ci->flags & SCST_CDB_FUA) && !flush(d, r, ci->lba, ci->nblocks))
		return;
	scstu_reply_good(r, 0);
}

static void decode_error(struct scstu_sbc *d, struct scst_user_reply *r,
			 int rc, const struct scst_cdb_err *err)
{
	if (rc == -EOPNOTSUPP) {
		sense(d, r, SCST_KEY_ILLEGAL_REQUEST, SCST_AQ_INVALID_OPCODE);
		return;
	}
	scstu_reply_sense(r, d->d_sense, err->key, err->asc, err->ascq);
	if (err->sksv)
		scstu_reply_field(r, true, err->field, err->bit);
}

/**
 * scstu_sbc_exec() - execute one command
 * @d: the disk
 * @m: the SCST_USER_MSG_EXEC message
 * @buf: its data buffer (m->data_len bytes), or NULL
 * @r: the reply: status, sense data and resp_len are set here
 */
void scstu_sbc_exec(struct scstu_sbc *d, const struct scst_user_msg *m,
		    uint8_t *buf, struct scst_user_reply *r)
{
	struct scst_cdb_info ci;
	struct scst_cdb_err err;
	int rc;

	scstu_reply_good(r, 0);
	memset(&ci, 0, sizeof(ci));
	rc = scst_cdb_decode(m->cdb, m->cdb_len, SCST_TYPE_DISK, &ci, &err);
	if (rc) {
		decode_error(d, r, rc, &err);
		return;
	}
	if (ci.flags & SCST_CDB_BLOCKIO && ci.nblocks > d->max_xfer &&
	    !(ci.flags & (SCST_CDB_NO_DATA | SCST_CDB_DATA_ONE_BLOCK)) &&
	    (ci.dir != SCST_DIR_NONE)) {
		/* longer than the Block Limits VPD page allows */
		const struct scst_cdb_opdesc *od;

		od = scst_cdb_opcode_find(SCST_TYPE_DISK, ci.opcode,
					  ci.service_action);
		invalid_cdb(d, r, od ? od->xfer_off : 0, od ? 7 : -1);
		return;
	}
	switch (ci.opcode) {
	case OP_TUR:
	case OP_START_STOP:	/* a fixed disk: nothing to spin or eject */
		return;
	case OP_INQUIRY:
		cmd_inquiry(d, m, buf, &ci, r);
		return;
	case OP_MODE_SENSE6:
	case OP_MODE_SENSE10:
		cmd_mode_sense(d, m, buf, &ci, r);
		return;
	case OP_READ_CAP10:
		cmd_read_cap(d, m, buf, &ci, r);
		return;
	case OP_SA_IN16:
		if (ci.service_action == SA_READ_CAP16) {
			cmd_read_cap(d, m, buf, &ci, r);
			return;
		}
		break;
	case OP_READ6: case OP_READ10: case OP_READ12: case OP_READ16:
	case OP_WRITE6: case OP_WRITE10: case OP_WRITE12: case OP_WRITE16:
		cmd_rw(d, m, buf, &ci, r);
		return;
	case OP_VERIFY10: case OP_VERIFY12: case OP_VERIFY16:
		cmd_verify(d, m, buf, &ci, r);
		return;
	case OP_SYNC_CACHE10: case OP_SYNC_CACHE16:
		cmd_sync_cache(d, &ci, r);
		return;
	case OP_WRITE_SAME10: case OP_WRITE_SAME16:
		cmd_write_same(d, m, buf, &ci, r);
		return;
	default:
		break;
	}
	sense(d, r, SCST_KEY_ILLEGAL_REQUEST, SCST_AQ_INVALID_OPCODE);
}
