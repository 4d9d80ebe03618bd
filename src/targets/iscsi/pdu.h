/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iSCSI PDUs (RFC 7143 chapter 11): opcodes, field offsets of the Basic
 * Header Segment, and the checks every received BHS passes before anything
 * else looks at it.  Pure C: also built in user space.
 */
#ifndef _ISC_PDU_H
#define _ISC_PDU_H

#include "isc_types.h"

#define ISC_BHS_LEN		48
#define ISC_DIGEST_LEN		4
#define ISC_MAX_AHS_LEN		(255 * 4)	/* TotalAHSLength is 8 bits */
#define ISC_RSVD_TAG		0xffffffffU
#define ISC_MAX_DSL		((1U << 24) - 1)

/* Initiator opcodes */
#define ISC_OP_NOP_OUT		0x00
#define ISC_OP_SCSI_CMD		0x01
#define ISC_OP_TMF_REQ		0x02
#define ISC_OP_LOGIN_REQ	0x03
#define ISC_OP_TEXT_REQ		0x04
#define ISC_OP_DATA_OUT		0x05
#define ISC_OP_LOGOUT_REQ	0x06
#define ISC_OP_SNACK_REQ	0x10
/* Target opcodes */
#define ISC_OP_NOP_IN		0x20
#define ISC_OP_SCSI_RSP		0x21
#define ISC_OP_TMF_RSP		0x22
#define ISC_OP_LOGIN_RSP	0x23
#define ISC_OP_TEXT_RSP		0x24
#define ISC_OP_DATA_IN		0x25
#define ISC_OP_LOGOUT_RSP	0x26
#define ISC_OP_R2T		0x31
#define ISC_OP_ASYNC_MSG	0x32
#define ISC_OP_REJECT		0x3f

#define ISC_OP_MASK		0x3f
#define ISC_OP_IMMEDIATE	0x40

/* Byte 1 flags */
#define ISC_FLAG_FINAL		0x80
#define ISC_FLAG_CONT		0x40	/* Text, Login: C */
#define ISC_CMD_READ		0x40
#define ISC_CMD_WRITE		0x20
#define ISC_CMD_ATTR_MASK	0x07
#define ISC_DATA_ACK		0x40	/* Data-In: A */
#define ISC_DATA_STATUS		0x01	/* Data-In: S */
#define ISC_RES_OVERFLOW	0x04	/* Data-In, SCSI Response: O */
#define ISC_RES_UNDERFLOW	0x02	/* Data-In, SCSI Response: U */
#define ISC_LOGIN_TRANSIT	0x80
#define ISC_LOGIN_CSG(f)	(((f) >> 2) & 3)
#define ISC_LOGIN_NSG(f)	((f) & 3)

/* Login stages */
#define ISC_STAGE_SECURITY	0
#define ISC_STAGE_OPERATIONAL	1
#define ISC_STAGE_FFP		3

/* Common field offsets in the BHS */
#define ISC_OFF_DSL		5	/* 24 bits */
#define ISC_OFF_LUN		8
#define ISC_OFF_ITT		16
#define ISC_OFF_TTT		20
#define ISC_OFF_CMDSN		24	/* initiator PDUs */
#define ISC_OFF_EXPSTATSN	28
#define ISC_OFF_STATSN		24	/* target PDUs */
#define ISC_OFF_EXPCMDSN	28
#define ISC_OFF_MAXCMDSN	32
/* SCSI Command */
#define ISC_OFF_EDTL		20
#define ISC_OFF_CDB		32
#define ISC_CDB_LEN		16
/* Data-Out, Data-In, R2T */
#define ISC_OFF_DATASN		36
#define ISC_OFF_BUFOFF		40
#define ISC_OFF_RESID		44	/* Data-In, SCSI Response */
#define ISC_OFF_R2T_LEN		44
/* Login */
#define ISC_OFF_VMAX		2
#define ISC_OFF_VMIN		3
#define ISC_OFF_ISID		8
#define ISC_OFF_TSIH		14
#define ISC_OFF_CID		20
#define ISC_OFF_LSTATUS		36
/* TMF */
#define ISC_OFF_RTT		20
#define ISC_OFF_REFCMDSN	32
/* Logout response */
#define ISC_OFF_T2WAIT		40
#define ISC_OFF_T2RETAIN	42
/* Asynchronous Message */
#define ISC_OFF_AEVENT		36
#define ISC_OFF_APARAM1		38
#define ISC_OFF_APARAM2		40
#define ISC_OFF_APARAM3		42

/* AHS types */
#define ISC_AHS_EXT_CDB		1
#define ISC_AHS_BIDI_LEN	2

/* Reject reasons (11.17.1) */
#define ISC_REJ_DIGEST		0x02
#define ISC_REJ_SNACK		0x03
#define ISC_REJ_PROTOCOL	0x04
#define ISC_REJ_CMD_NOT_SUPP	0x05
#define ISC_REJ_IMM_CMD		0x06
#define ISC_REJ_TASK_IN_PROG	0x07
#define ISC_REJ_DATA_ACK	0x08
#define ISC_REJ_INVALID_FIELD	0x09
#define ISC_REJ_NO_RESOURCES	0x0a
#define ISC_REJ_WAIT_LOGOUT	0x0c

/* TMF functions and responses (11.5.1, 11.6.1) */
#define ISC_TMF_ABORT_TASK	1
#define ISC_TMF_ABORT_TASK_SET	2
#define ISC_TMF_CLEAR_ACA	3
#define ISC_TMF_CLEAR_TASK_SET	4
#define ISC_TMF_LUN_RESET	5
#define ISC_TMF_TARGET_WARM_RESET 6
#define ISC_TMF_TARGET_COLD_RESET 7
#define ISC_TMF_TASK_REASSIGN	8
#define ISC_TMF_QUERY_TASK	9
#define ISC_TMF_QUERY_TASK_SET	10
#define ISC_TMF_I_T_NEXUS_RESET	11
#define ISC_TMF_QUERY_ASYNC	12
#define ISC_TMF_RSP_COMPLETE	0
#define ISC_TMF_RSP_NO_TASK	1
#define ISC_TMF_RSP_NO_LUN	2
#define ISC_TMF_RSP_NOT_SUPP	5
#define ISC_TMF_RSP_SUCCEEDED	7	/* RFC 7144 */
#define ISC_TMF_RSP_REJECTED	255

/* Logout reasons and responses */
#define ISC_LOGOUT_SESSION	0
#define ISC_LOGOUT_CONN		1
#define ISC_LOGOUT_RECOVERY	2
#define ISC_LOGOUT_OK		0
#define ISC_LOGOUT_NO_CID	1
#define ISC_LOGOUT_NO_RECOVERY	2

/* Asynchronous events */
#define ISC_ASYNC_SCSI		0
#define ISC_ASYNC_LOGOUT_REQ	1
#define ISC_ASYNC_DROP_CONN	2
#define ISC_ASYNC_DROP_ALL	3

/* Login status: class << 8 | detail (11.13.5) */
#define ISC_LS_SUCCESS		0x0000
#define ISC_LS_AUTH_FAILED	0x0201
#define ISC_LS_FORBIDDEN	0x0202
#define ISC_LS_NOT_FOUND	0x0203
#define ISC_LS_REMOVED		0x0204
#define ISC_LS_BAD_VERSION	0x0205
#define ISC_LS_TOO_MANY_CONNS	0x0206
#define ISC_LS_MISSING_PARAM	0x0207
#define ISC_LS_NO_SESS_SPAN	0x0208
#define ISC_LS_BAD_SESS_TYPE	0x0209
#define ISC_LS_NO_SESSION	0x020a
#define ISC_LS_INVALID_REQ	0x020b
#define ISC_LS_INIT_ERR		0x0200
#define ISC_LS_TARGET_ERR	0x0300
#define ISC_LS_NO_RESOURCES	0x0302

/* A received Basic Header Segment, decoded. */
struct isc_bhs {
	u8	opcode;		/* without the immediate bit */
	bool	immediate;
	u8	flags;		/* byte 1 */
	u16	ahs_len;	/* bytes: TotalAHSLength * 4, up to 1020 */
	u32	dsl;		/* DataSegmentLength */
	u32	itt;
	u32	ttt;		/* or the ITT-like field at 20 */
	u32	sn;		/* CmdSN (or the field at 24) */
	u32	exp_stat_sn;
	const u8 *raw;		/* the 48 bytes */
};

static inline u32 isc_pad4(u32 len)
{
	return (4 - (len & 3)) & 3;
}

/* Serial number arithmetic (RFC 1982, 32 bits) */
static inline bool isc_sn_lt(u32 a, u32 b)
{
	return a != b && (s32)(a - b) < 0;
}

static inline bool isc_sn_le(u32 a, u32 b)
{
	return a == b || (s32)(a - b) < 0;
}

void isc_bhs_decode(const u8 *raw, struct isc_bhs *h);
int isc_bhs_check(const struct isc_bhs *h, u32 max_dsl, bool login);
bool isc_opcode_is_initiator(u8 op);
int isc_ahs_cdb(const u8 *ahs, unsigned int ahs_len, const u8 *bhs,
		u8 *cdb, unsigned int cdb_max, unsigned int *cdb_len);
void isc_bhs_init(u8 *bhs, u8 opcode, u8 flags, u32 itt);
void isc_bhs_set_dsl(u8 *bhs, u32 dsl);

#endif /* _ISC_PDU_H */
