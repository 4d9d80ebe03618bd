// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_cdb.c - table driven CDB decoding
 *
 * Decoding steps: look the command up by device type, opcode and (for the
 * service action opcodes) service action; check the CDB length, the
 * CONTROL byte and every other byte against the command's usage data;
 * extract LBA and length fields from the positions the table gives; run
 * the command specific check.
 */
#include "scst_cdb_int.h"
#include "scst_sense_codes.h"

#define CONTROL_NACA	0x04
#define CONTROL_LINK	0x01
/* bits 5..3 reserved, bit 1 obsolete (FLAG), bits 7..6 vendor specific */
#define CONTROL_CHECKED	0x3f

#define SA_MASK		0x1f

/**
 * scst_cdb_opcode_has_sa() - whether an opcode carries a service action
 * @opcode: operation code
 *
 * Return: true for the opcodes whose CDB byte 1 bits 4..0 hold a service
 * action (SPC-4 and SBC-3 service action IN/OUT and MAINTENANCE IN/OUT,
 * PERSISTENT RESERVE IN/OUT).
 */
bool scst_cdb_opcode_has_sa(u8 opcode)
{
	switch (opcode) {
	case 0x5e: case 0x5f:	/* PERSISTENT RESERVE IN/OUT */
	case 0x9e: case 0x9f:	/* SERVICE ACTION IN/OUT(16) */
	case 0xa3: case 0xa4:	/* MAINTENANCE IN/OUT */
		return true;
	default:
		return false;
	}
}
SCST_LIB_EXPORT(scst_cdb_opcode_has_sa);

static u8 type_mask(u8 dev_type)
{
	return dev_type < 8 ? (u8)(1u << dev_type) : 0;
}

/* index of the first table row with @opcode, or scst_cdb_table_len */
static unsigned int first_row(u8 opcode)
{
	unsigned int lo = 0, hi = scst_cdb_table_len;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (scst_cdb_table[mid].d.opcode < opcode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Find the row for @opcode/@sa and device type mask @tm. *@op_known is set
 * if the opcode exists for that type with some service action.
 */
static const struct scst_cdb_entry *lookup(u8 tm, u8 opcode, u16 sa,
					   bool *op_known)
{
	bool has_sa = scst_cdb_opcode_has_sa(opcode);
	unsigned int i;

	*op_known = false;
	for (i = first_row(opcode); i < scst_cdb_table_len; i++) {
		const struct scst_cdb_entry *e = &scst_cdb_table[i];

		if (e->d.opcode != opcode)
			break;
		if (!(e->d.types & tm))
			continue;
		*op_known = true;
		if (!has_sa || e->d.sa == sa)
			return e;
	}
	return NULL;
}

/**
 * scst_cdb_opcode_find() - look up a supported command
 * @dev_type: peripheral device type
 * @opcode: operation code
 * @sa: service action (ignored for opcodes without one)
 *
 * Return: the command's descriptor, or NULL if not supported.
 */
const struct scst_cdb_opdesc *scst_cdb_opcode_find(u8 dev_type, u8 opcode,
						    u16 sa)
{
	const struct scst_cdb_entry *e;
	bool known;

	e = lookup(type_mask(dev_type), opcode, sa, &known);
	return e ? &e->d : NULL;
}
SCST_LIB_EXPORT(scst_cdb_opcode_find);

/**
 * scst_cdb_opcode_next() - iterate over the supported commands
 * @dev_type: peripheral device type
 * @pos: iterator state, set to 0 before the first call
 *
 * Returns the commands in opcode/service action order, as REPORT
 * SUPPORTED OPERATION CODES lists them.
 *
 * Return: the next descriptor, or NULL at the end.
 */
const struct scst_cdb_opdesc *scst_cdb_opcode_next(u8 dev_type,
						    unsigned int *pos)
{
	u8 tm = type_mask(dev_type);

	while (*pos < scst_cdb_table_len) {
		const struct scst_cdb_entry *e = &scst_cdb_table[(*pos)++];

		if (e->d.types & tm)
			return &e->d;
	}
	return NULL;
}
SCST_LIB_EXPORT(scst_cdb_opcode_next);

static u64 get_be(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = (v << 8) | *p++;
	return v;
}

/* highest set bit of a non-zero byte */
static int top_bit(u8 v)
{
	int bit = 7;

	while (!(v & 0x80)) {
		v <<= 1;
		bit--;
	}
	return bit;
}

static int check_control(const u8 *cdb, unsigned int clen,
			 struct scst_cdb_err *err)
{
	u8 bad = cdb[clen - 1] & CONTROL_CHECKED;

	if (!bad)
		return 0;
	/* NACA is not supported (SAM-5 5.8.2), LINK is obsolete */
	return scst_cdb_invalid_field(err, (u16)(clen - 1), top_bit(bad));
}

static int check_reserved(const u8 *cdb, const struct scst_cdb_opdesc *d,
			  struct scst_cdb_err *err)
{
	unsigned int i;

	for (i = 1; i + 1 < d->cdb_len; i++) {
		u8 ok = d->usage[i] | d->ignore[i];
		u8 bad;

		if (i == 1 && (d->flags & SCST_CDB_SERVICE_ACTION))
			ok |= SA_MASK;
		bad = cdb[i] & (u8)~ok;
		if (bad)
			return scst_cdb_invalid_field(err, (u16)i,
						      top_bit(bad));
	}
	return 0;
}

static void extract_fields(const u8 *cdb, const struct scst_cdb_opdesc *d,
			   struct scst_cdb_info *ci)
{
	u32 xfer = d->xfer_size ? (u32)get_be(cdb + d->xfer_off,
					       d->xfer_size) : 0;

	if (d->lba_size) {
		ci->lba = get_be(cdb + d->lba_off, d->lba_size);
		ci->flags |= SCST_CDB_HAS_LBA;
	}
	if (d->flags & SCST_CDB_BLOCKIO) {
		ci->flags |= SCST_CDB_HAS_LBA;
		ci->nblocks = xfer;
	} else {
		ci->data_len = xfer;
	}
}

static int short_cdb(struct scst_cdb_err *err)
{
	return scst_cdb_err_set(err, SCST_AQ_INVALID_FIELD_IN_CDB, false,
				0, -1);
}

static void init_info(struct scst_cdb_info *ci,
		      const struct scst_cdb_opdesc *d, u16 sa)
{
	ci->opcode = d->opcode;
	ci->cdb_len = d->cdb_len;
	ci->dir = (enum scst_data_dir)d->dir;
	ci->resv = d->resv;
	ci->flags = d->flags;
	ci->name = d->name;
	if (d->flags & SCST_CDB_SERVICE_ACTION)
		ci->service_action = sa;
}

/**
 * scst_cdb_decode() - validate and decode a CDB
 * @cdb: the CDB
 * @len: number of valid bytes at @cdb (may exceed the command's length)
 * @dev_type: peripheral device type of the LU (SCST_TYPE_DISK/ROM)
 * @ci: decoded command, see struct scst_cdb_info
 * @err: on -EINVAL, the sense data to report
 *
 * Only the first cdb_len bytes of @cdb are read, where cdb_len is the
 * length the opcode defines (never more than @len). On error, @ci still
 * holds opcode, name and cdb_len when the command was identified.
 *
 * Return: 0 on success; -EOPNOTSUPP if the opcode is not supported for
 * @dev_type (report INVALID COMMAND OPERATION CODE); -EINVAL if the CDB
 * is too short or a field is invalid, including an unsupported service
 * action of a supported opcode (report @err, normally ILLEGAL REQUEST /
 * INVALID FIELD IN CDB with a field pointer).
 */
int scst_cdb_decode(const u8 *cdb, unsigned int len, u8 dev_type,
		    struct scst_cdb_info *ci, struct scst_cdb_err *err)
{
	const struct scst_cdb_entry *e;
	u16 sa = 0;
	bool known;
	int ret;

	memset(ci, 0, sizeof(*ci));
	memset(err, 0, sizeof(*err));
	err->bit = -1;
	if (!len)
		return short_cdb(err);
	if (scst_cdb_opcode_has_sa(cdb[0]) && len >= 2)
		sa = cdb[1] & SA_MASK;
	e = lookup(type_mask(dev_type), cdb[0], sa, &known);
	if (!e) {
		if (!known)
			return -EOPNOTSUPP;
		ci->opcode = cdb[0];
		if (len < 2)
			return short_cdb(err);
		return scst_cdb_invalid_field(err, 1, 4);
	}
	init_info(ci, &e->d, sa);
	if (len < e->d.cdb_len)
		return short_cdb(err);
	ret = check_reserved(cdb, &e->d, err);
	if (!ret)
		ret = check_control(cdb, e->d.cdb_len, err);
	if (ret)
		return ret;
	extract_fields(cdb, &e->d, ci);
	return e->check ? e->check(cdb, ci, err) : 0;
}
SCST_LIB_EXPORT(scst_cdb_decode);

/**
 * scst_cdb_data_len() - expected data transfer length of a command
 * @ci: decoded command
 * @block_size: logical block size of the LU
 *
 * Return: the number of bytes the initiator is expected to transfer, for
 * block commands derived from nblocks and the SCST_CDB_NO_DATA,
 * SCST_CDB_DATA_ONE_BLOCK and SCST_CDB_DATA_TWICE flags.
 */
u64 scst_cdb_data_len(const struct scst_cdb_info *ci, u32 block_size)
{
	if (!(ci->flags & SCST_CDB_BLOCKIO))
		return ci->data_len;
	if (ci->flags & SCST_CDB_NO_DATA)
		return 0;
	if (ci->flags & SCST_CDB_DATA_ONE_BLOCK)
		return block_size;
	if (ci->flags & SCST_CDB_DATA_TWICE)
		return 2ULL * ci->nblocks * block_size;
	return (u64)ci->nblocks * block_size;
}
SCST_LIB_EXPORT(scst_cdb_data_len);
