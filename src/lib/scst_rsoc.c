// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_rsoc.c - REPORT SUPPORTED OPERATION CODES (SPC-4, MAINTENANCE IN
 * service action 0Ch) parameter data from the CDB decode table, and
 * REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (service action 0Dh)
 *
 * all_commands format: a 4-byte COMMAND DATA LENGTH, then per command an
 * 8-byte command descriptor (opcode, service action, SERVACTV, CTDP, CDB
 * length), followed by a 12-byte command timeouts descriptor when RCTD is
 * set.  one_command format: 4 bytes (CTDP, SUPPORT, CDB SIZE), the CDB
 * usage data, and the timeouts descriptor when RCTD is set.  No command
 * has a timeout the device server could promise, so both timeouts are
 * zero ("not specified").
 */
#include "scst_rsoc.h"
#include "scst_cdb_int.h"

#define RSOC_RCTD	0x80
#define RSOC_OPTIONS	0x07
#define SERVACTV	0x01
#define CTDP_DESC	0x02
#define CTDP_ONE	0x80
#define SA_MASK		0x1f

static void put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put_be32(u8 *p, u32 v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v & 0xffff);
}

/* copy @n bytes at offset @off of the parameter data, within @len */
static void emit(u8 *buf, u32 len, u32 off, const u8 *src, u32 n)
{
	if (off >= len)
		return;
	memcpy(buf + off, src, n < len - off ? n : len - off);
}

/* the timeouts descriptor: DESCRIPTOR LENGTH 0Ah, timeouts unspecified */
static void timeouts_desc(u8 *p)
{
	memset(p, 0, SCST_RSOC_CTD_LEN);
	put_be16(p, SCST_RSOC_CTD_LEN - 2);
}

static bool has_sa(const struct scst_cdb_opdesc *d)
{
	return d->flags & SCST_CDB_SERVICE_ACTION;
}

static u32 all_commands(u8 dev_type, bool rctd, scst_rsoc_filter supported,
			void *ctx, u8 *buf, u32 len)
{
	u32 dlen = SCST_RSOC_DESC_LEN + (rctd ? SCST_RSOC_CTD_LEN : 0);
	const struct scst_cdb_opdesc *d;
	unsigned int pos = 0;
	u32 off = 4;
	u8 hdr[4];

	while ((d = scst_cdb_opcode_next(dev_type, &pos))) {
		u8 desc[SCST_RSOC_DESC_LEN + SCST_RSOC_CTD_LEN] = { 0 };
		u8 usage[SCST_MAX_CDB_LEN];

		memcpy(usage, d->usage, sizeof(usage));
		if (!supported(ctx, d, usage))
			continue;
		desc[0] = d->opcode;
		if (has_sa(d)) {
			put_be16(&desc[2], d->sa);
			desc[5] |= SERVACTV;
		}
		if (rctd) {
			desc[5] |= CTDP_DESC;
			timeouts_desc(&desc[SCST_RSOC_DESC_LEN]);
		}
		put_be16(&desc[6], d->cdb_len);
		emit(buf, len, off, desc, dlen);
		off += dlen;
	}
	put_be32(hdr, off - 4);
	emit(buf, len, 0, hdr, sizeof(hdr));
	return off;
}

static u32 one_command(const struct scst_cdb_opdesc *d, bool rctd,
		       scst_rsoc_filter supported, void *ctx, u8 *buf, u32 len)
{
	u8 one[4 + SCST_MAX_CDB_LEN + SCST_RSOC_CTD_LEN] = { 0 };
	u8 usage[SCST_MAX_CDB_LEN];
	unsigned int i;
	u32 n = 4;

	if (d) {
		memcpy(usage, d->usage, sizeof(usage));
		if (!supported(ctx, d, usage))
			d = NULL;
	}
	if (!d) {
		one[1] = SCST_RSOC_NOT_SUPPORTED;
	} else {
		one[1] = SCST_RSOC_SUPPORTED | (rctd ? CTDP_ONE : 0);
		put_be16(&one[2], d->cdb_len);
		/* the filter may only clear bits; byte 0 is the opcode */
		for (i = 1; i < d->cdb_len; i++)
			one[4 + i] = usage[i] & d->usage[i];
		one[4] = d->opcode;
		n += d->cdb_len;
		if (rctd) {
			timeouts_desc(&one[n]);
			n += SCST_RSOC_CTD_LEN;
		}
	}
	emit(buf, len, 0, one, n);
	return n;
}

/**
 * scst_rsoc_build() - REPORT SUPPORTED OPERATION CODES parameter data
 * @cdb: the command's CDB (12 bytes, decoded by scst_cdb_decode())
 * @dev_type: peripheral device type of the logical unit
 * @supported: true for the table commands the logical unit carries out
 * @ctx: passed to @supported
 * @buf: where the parameter data goes
 * @len: size of @buf; the data is cut there
 * @err: set when -EINVAL is returned
 *
 * REPORTING OPTIONS 001b names an opcode without service actions and
 * 010b one with service actions; the other case is INVALID FIELD IN CDB
 * (field pointer at the REQUESTED OPERATION CODE).  011b takes the
 * service action if the opcode has service actions and ignores the
 * REQUESTED SERVICE ACTION field otherwise.  An opcode the logical unit
 * does not carry out is reported with SUPPORT 001b.  The CDB usage data
 * is the table's, less the bits @supported clears (see scst_rsoc_filter).
 *
 * Return: the length of the complete parameter data (may exceed @len),
 * or -EINVAL.
 */
int scst_rsoc_build(const u8 *cdb, u8 dev_type, scst_rsoc_filter supported,
		    void *ctx, u8 *buf, u32 len, struct scst_cdb_err *err)
{
	bool rctd = cdb[2] & RSOC_RCTD;
	u8 op = cdb[3];
	u16 sa = get_unaligned_be16(&cdb[4]);
	bool op_sa = scst_cdb_opcode_has_sa(op);
	const struct scst_cdb_opdesc *d;

	switch (cdb[2] & RSOC_OPTIONS) {
	case SCST_RSOC_ALL:
		return all_commands(dev_type, rctd, supported, ctx, buf, len);
	case SCST_RSOC_OP:
		if (op_sa)
			return scst_cdb_invalid_field(err, 3, 7);
		break;
	case SCST_RSOC_OP_SA:
		if (!op_sa)
			return scst_cdb_invalid_field(err, 3, 7);
		break;
	case SCST_RSOC_OP_ANY:
		break;
	default:
		return scst_cdb_invalid_field(err, 2, 2);
	}
	if (!op_sa)
		sa = 0;
	d = sa > SA_MASK ? NULL : scst_cdb_opcode_find(dev_type, op, sa);
	return one_command(d, rctd, supported, ctx, buf, len);
}
SCST_LIB_EXPORT(scst_rsoc_build);

/**
 * scst_rsoc_max_len() - longest parameter data scst_rsoc_build() can return
 * @dev_type: peripheral device type
 *
 * Return: the all_commands length with timeouts for every table command of
 * @dev_type (at least the one_command maximum).
 */
u32 scst_rsoc_max_len(u8 dev_type)
{
	u32 n = 4 + SCST_MAX_CDB_LEN + SCST_RSOC_CTD_LEN, all = 4;
	unsigned int pos = 0;

	while (scst_cdb_opcode_next(dev_type, &pos))
		all += SCST_RSOC_DESC_LEN + SCST_RSOC_CTD_LEN;
	return all > n ? all : n;
}
SCST_LIB_EXPORT(scst_rsoc_max_len);

#define RSTMF_REPD	0x80
#define RSTMF_EXT_LEN	16

/**
 * scst_rstmf_build() - REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS data
 * @cdb: the command's CDB (12 bytes, decoded by scst_cdb_decode())
 * @supported: SCST_RSTMF_* bits of the functions the logical unit carries
 *	out
 * @buf: where the parameter data goes
 * @len: size of @buf; the data is cut there
 *
 * REPD=0: the 4-byte basic format.  REPD=1: the 16-byte extended format,
 * ADDITIONAL DATA LENGTH 0Ch, TMFTMOV zero (no timeouts reported).
 *
 * Return: the length of the complete parameter data.
 */
int scst_rstmf_build(const u8 *cdb, u16 supported, u8 *buf, u32 len)
{
	u8 d[RSTMF_EXT_LEN] = { 0 };
	u32 n = 4;

	put_be16(d, supported);
	if (cdb[2] & RSTMF_REPD) {
		n = RSTMF_EXT_LEN;
		d[3] = RSTMF_EXT_LEN - 4;
	}
	emit(buf, len, 0, d, n);
	return n;
}
SCST_LIB_EXPORT(scst_rstmf_build);
