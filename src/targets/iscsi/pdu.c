// SPDX-License-Identifier: GPL-2.0-only
/*
 * iSCSI PDU headers: decoding and validation of what the network sends,
 * and the common part of what the target sends.  Pure C (no kernel
 * calls): the same file is unit-tested and fuzzed on the host.
 */
#include "pdu.h"

/**
 * isc_bhs_decode() - the fields every PDU has, in host order
 * @raw: the 48 bytes of a Basic Header Segment
 * @h: result
 */
void isc_bhs_decode(const u8 *raw, struct isc_bhs *h)
{
	h->raw = raw;
	h->opcode = raw[0] & ISC_OP_MASK;
	h->immediate = raw[0] & ISC_OP_IMMEDIATE;
	h->flags = raw[1];
	h->ahs_len = raw[4] * 4;
	h->dsl = get_unaligned_be24(raw + ISC_OFF_DSL);
	h->itt = get_unaligned_be32(raw + ISC_OFF_ITT);
	h->ttt = get_unaligned_be32(raw + ISC_OFF_TTT);
	h->sn = get_unaligned_be32(raw + ISC_OFF_CMDSN);
	h->exp_stat_sn = get_unaligned_be32(raw + ISC_OFF_EXPSTATSN);
}

/**
 * isc_opcode_is_initiator() - whether an initiator may send this opcode
 * @op: opcode without the immediate bit
 */
bool isc_opcode_is_initiator(u8 op)
{
	switch (op) {
	case ISC_OP_NOP_OUT:
	case ISC_OP_SCSI_CMD:
	case ISC_OP_TMF_REQ:
	case ISC_OP_LOGIN_REQ:
	case ISC_OP_TEXT_REQ:
	case ISC_OP_DATA_OUT:
	case ISC_OP_LOGOUT_REQ:
	case ISC_OP_SNACK_REQ:
		return true;
	}
	return false;
}

/* Per-opcode field checks; returns a reject reason or 0. */
static int isc_bhs_check_op(const struct isc_bhs *h)
{
	switch (h->opcode) {
	case ISC_OP_SCSI_CMD:
		if ((h->flags & ISC_CMD_WRITE) && (h->flags & ISC_CMD_READ) &&
		    !(h->flags & ISC_FLAG_FINAL))
			return ISC_REJ_PROTOCOL;
		if (!(h->flags & ISC_FLAG_FINAL) &&
		    !(h->flags & ISC_CMD_WRITE))
			return ISC_REJ_PROTOCOL;
		if (h->dsl && !(h->flags & ISC_CMD_WRITE))
			return ISC_REJ_PROTOCOL;
		break;
	case ISC_OP_NOP_OUT:
		/* A ping with the reserved ITT must not ask for a reply. */
		if (h->itt == ISC_RSVD_TAG && !h->immediate)
			return ISC_REJ_PROTOCOL;
		if (!(h->flags & ISC_FLAG_FINAL))
			return ISC_REJ_PROTOCOL;
		break;
	case ISC_OP_TEXT_REQ:
		if ((h->flags & ISC_FLAG_FINAL) && (h->flags & ISC_FLAG_CONT))
			return ISC_REJ_PROTOCOL;
		break;
	case ISC_OP_TMF_REQ:
	case ISC_OP_LOGOUT_REQ:
		if (!(h->flags & ISC_FLAG_FINAL))
			return ISC_REJ_PROTOCOL;
		if (h->dsl)
			return ISC_REJ_PROTOCOL;
		break;
	case ISC_OP_SNACK_REQ:
		return ISC_REJ_SNACK;	/* ErrorRecoveryLevel 0 */
	default:
		break;
	}
	if (h->itt == ISC_RSVD_TAG && h->opcode != ISC_OP_NOP_OUT &&
	    h->opcode != ISC_OP_DATA_OUT && h->opcode != ISC_OP_SNACK_REQ)
		return ISC_REJ_INVALID_FIELD;
	return 0;
}

/**
 * isc_bhs_check() - validate a received BHS before reading the rest
 * @h: the decoded header
 * @max_dsl: the largest data segment this side accepts
 *           (MaxRecvDataSegmentLength it declared; 8192 during login)
 * @login: the connection is in the login phase
 *
 * Return: 0 if the PDU is acceptable; a positive Reject reason if it must
 * be rejected (its AHS and data segment can still be skipped safely); or
 * -EPROTO if the connection must be dropped (the stream cannot be trusted
 * or the PDU is not allowed at all in this phase).
 */
int isc_bhs_check(const struct isc_bhs *h, u32 max_dsl, bool login)
{
	if (login)
		return h->opcode == ISC_OP_LOGIN_REQ &&
		       !h->ahs_len && h->dsl <= max_dsl ? 0 : -EPROTO;
	if (h->dsl > max_dsl)
		return -EPROTO;
	if (!isc_opcode_is_initiator(h->opcode))
		return ISC_REJ_CMD_NOT_SUPP;
	if (h->opcode == ISC_OP_LOGIN_REQ)
		return ISC_REJ_PROTOCOL;
	if (h->ahs_len && h->opcode != ISC_OP_SCSI_CMD)
		return ISC_REJ_PROTOCOL;
	return isc_bhs_check_op(h);
}

/**
 * isc_ahs_cdb() - the full CDB of a SCSI Command PDU
 * @ahs: the Additional Header Segments
 * @ahs_len: their total length (a multiple of 4)
 * @bhs: the BHS (its CDB field holds the first 16 bytes)
 * @cdb: where to copy the CDB
 * @cdb_max: size of @cdb; a longer CDB is reported but not copied whole
 * @cdb_len: the CDB length
 *
 * Walks every AHS: an Extended CDB appends to the 16 bytes of the BHS, a
 * Bidirectional Read Expected Data Transfer Length is accepted and
 * ignored, other types are a protocol error.
 *
 * Return: 0 or -EPROTO.
 */
int isc_ahs_cdb(const u8 *ahs, unsigned int ahs_len, const u8 *bhs,
		u8 *cdb, unsigned int cdb_max, unsigned int *cdb_len)
{
	unsigned int pos = 0, len, ext, n;
	bool have_ext = false;

	n = cdb_max < ISC_CDB_LEN ? cdb_max : ISC_CDB_LEN;
	memcpy(cdb, bhs + ISC_OFF_CDB, n);
	*cdb_len = ISC_CDB_LEN;

	while (pos < ahs_len) {
		if (ahs_len - pos < 4)
			return -EPROTO;
		len = get_unaligned_be16(ahs + pos);	/* AHSLength */
		if (len > ahs_len - pos - 3)
			return -EPROTO;
		switch (ahs[pos + 2]) {
		case ISC_AHS_EXT_CDB:
			if (have_ext || len < 2)
				return -EPROTO;
			have_ext = true;
			ext = len - 1;	/* the first byte is reserved */
			if (ISC_CDB_LEN + ext <= cdb_max)
				memcpy(cdb + ISC_CDB_LEN, ahs + pos + 4, ext);
			*cdb_len = ISC_CDB_LEN + ext;
			break;
		case ISC_AHS_BIDI_LEN:
			if (len != 5)
				return -EPROTO;
			break;
		default:
			return -EPROTO;
		}
		pos += 3 + len;
		pos += isc_pad4(pos);
	}
	return 0;
}

/**
 * isc_bhs_init() - start a target PDU
 * @bhs: 48 bytes
 * @opcode: target opcode
 * @flags: byte 1
 * @itt: Initiator Task Tag
 */
void isc_bhs_init(u8 *bhs, u8 opcode, u8 flags, u32 itt)
{
	memset(bhs, 0, ISC_BHS_LEN);
	bhs[0] = opcode;
	bhs[1] = flags;
	put_unaligned_be32(itt, bhs + ISC_OFF_ITT);
}

/**
 * isc_bhs_set_dsl() - set DataSegmentLength
 * @bhs: the header
 * @dsl: the length, below 2^24
 */
void isc_bhs_set_dsl(u8 *bhs, u32 dsl)
{
	put_unaligned_be24(dsl & ISC_MAX_DSL, bhs + ISC_OFF_DSL);
}
