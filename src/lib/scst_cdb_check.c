// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_cdb_check.c - command specific CDB checks and field decoding
 *
 * Each function is called by scst_cdb_decode() after the generic checks
 * passed, i.e. the CDB is at least cdb_len bytes long and has no bit set
 * outside the command's usage data. ci->lba, ci->nblocks and ci->data_len
 * are already extracted from the table's field positions.
 */
#include "scst_cdb_int.h"
#include "scst_sense_codes.h"

int scst_cdb_err_set(struct scst_cdb_err *err, u16 aq, bool sksv,
		     u16 field, int bit)
{
	err->key = SCST_KEY_ILLEGAL_REQUEST;
	err->asc = SCST_AQ_ASC(aq);
	err->ascq = SCST_AQ_ASCQ(aq);
	err->sksv = sksv;
	err->field = field;
	err->bit = (s8)bit;
	return -EINVAL;
}

int scst_cdb_invalid_field(struct scst_cdb_err *err, u16 field, int bit)
{
	return scst_cdb_err_set(err, SCST_AQ_INVALID_FIELD_IN_CDB, true,
				field, bit);
}

static void fua_dpo(const u8 *cdb, struct scst_cdb_info *ci)
{
	if (cdb[1] & 0x08)
		ci->flags |= SCST_CDB_FUA;
	if (cdb[1] & 0x10)
		ci->flags |= SCST_CDB_DPO;
}

/* READ(6), WRITE(6): 21-bit LBA, transfer length 0 means 256 blocks */
int scst_chk_rw6(const u8 *cdb, struct scst_cdb_info *ci,
		 struct scst_cdb_err *err)
{
	(void)err;
	ci->lba = get_unaligned_be24(cdb + 1) & 0x1fffff;
	ci->nblocks = cdb[4] ? cdb[4] : 256;
	return 0;
}

/* READ/WRITE(10/12/16), COMPARE AND WRITE */
int scst_chk_rw(const u8 *cdb, struct scst_cdb_info *ci,
		struct scst_cdb_err *err)
{
	(void)err;
	fua_dpo(cdb, ci);
	return 0;
}

static u8 bytchk(const u8 *cdb)
{
	return (cdb[1] >> 1) & 0x03;
}

/*
 * VERIFY(10/12/16), SBC-3 BYTCHK: 00b medium verification only, no data;
 * 01b compare nblocks of data; 11b compare one block of data with each
 * block; 10b reserved.
 */
int scst_chk_verify(const u8 *cdb, struct scst_cdb_info *ci,
		    struct scst_cdb_err *err)
{
	if (cdb[1] & 0x10)
		ci->flags |= SCST_CDB_DPO;
	switch (bytchk(cdb)) {
	case 0:
		ci->flags |= SCST_CDB_NO_DATA;
		ci->dir = SCST_DIR_NONE;
		return 0;
	case 1:
		ci->flags |= SCST_CDB_BYTCHK;
		return 0;
	case 3:
		ci->flags |= SCST_CDB_BYTCHK | SCST_CDB_DATA_ONE_BLOCK;
		return 0;
	default:
		return scst_cdb_invalid_field(err, 1, 2);
	}
}

/* WRITE AND VERIFY(10/12/16): BYTCHK 00b or 01b, data always nblocks */
int scst_chk_write_verify(const u8 *cdb, struct scst_cdb_info *ci,
			  struct scst_cdb_err *err)
{
	if (cdb[1] & 0x10)
		ci->flags |= SCST_CDB_DPO;
	if (bytchk(cdb) > 1)
		return scst_cdb_invalid_field(err, 1, 2);
	if (bytchk(cdb))
		ci->flags |= SCST_CDB_BYTCHK;
	return 0;
}

/* SYNCHRONIZE CACHE and PRE-FETCH: IMMED, length 0 = to the last LBA */
int scst_chk_cache(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err)
{
	(void)err;
	if (cdb[1] & 0x02)
		ci->flags |= SCST_CDB_IMMED;
	if (!ci->nblocks)
		ci->flags |= SCST_CDB_ZERO_TO_END;
	return 0;
}

/*
 * WRITE SAME(10/16). A NUMBER OF LOGICAL BLOCKS of zero means "up to the
 * last LBA", which is only valid if the Block Limits VPD page reports
 * WSNZ=0: flagged, the caller decides. NDOB (16 only): no data-out
 * buffer, the blocks are written with zeros.
 */
int scst_chk_write_same(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err)
{
	(void)err;
	if (cdb[1] & 0x08)
		ci->flags |= SCST_CDB_UNMAP_BIT;
	if (cdb[1] & 0x10)
		ci->flags |= SCST_CDB_ANCHOR;
	if (ci->cdb_len == 16 && (cdb[1] & 0x01)) {
		ci->flags |= SCST_CDB_NDOB | SCST_CDB_NO_DATA;
		ci->flags &= ~SCST_CDB_DATA_ONE_BLOCK;
		ci->dir = SCST_DIR_NONE;
	}
	if (!ci->nblocks)
		ci->flags |= SCST_CDB_ZERO_TO_END;
	return 0;
}

int scst_chk_unmap(const u8 *cdb, struct scst_cdb_info *ci,
		   struct scst_cdb_err *err)
{
	(void)err;
	if (cdb[1] & 0x01)
		ci->flags |= SCST_CDB_ANCHOR;
	return 0;
}

/*
 * FORMAT UNIT: with FMTDATA=1 a parameter list follows whose length is
 * given by its own header (4 bytes, or 8 with LONGLIST=1): data_len is
 * the header length and SCST_CDB_VAR_DATA_LEN is set.
 */
int scst_chk_format_unit(const u8 *cdb, struct scst_cdb_info *ci,
			 struct scst_cdb_err *err)
{
	(void)err;
	if (!(cdb[1] & 0x10)) {
		ci->dir = SCST_DIR_NONE;
		ci->data_len = 0;
		return 0;
	}
	ci->dir = SCST_DIR_WRITE;
	ci->data_len = (cdb[1] & 0x20) ? 8 : 4;
	ci->flags |= SCST_CDB_VAR_DATA_LEN;
	return 0;
}

/* READ CAPACITY(10): 8 bytes of data; LBA must be 0 unless PMI=1 */
int scst_chk_read_cap10(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err)
{
	if (!(cdb[8] & 0x01) && get_unaligned_be32(cdb + 2))
		return scst_cdb_invalid_field(err, 2, 7);
	ci->data_len = 8;
	return 0;
}

int scst_chk_read_cap16(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err)
{
	(void)ci;
	if (!(cdb[14] & 0x01) && get_unaligned_be64(cdb + 2))
		return scst_cdb_invalid_field(err, 2, 7);
	return 0;
}

/* INQUIRY: PAGE CODE must be zero unless EVPD=1 */
int scst_chk_inquiry(const u8 *cdb, struct scst_cdb_info *ci,
		     struct scst_cdb_err *err)
{
	(void)ci;
	if (!(cdb[1] & 0x01) && cdb[2])
		return scst_cdb_invalid_field(err, 2, 7);
	return 0;
}

/* MODE SELECT(6/10): SP asks to save the pages */
int scst_chk_mode_select(const u8 *cdb, struct scst_cdb_info *ci,
			 struct scst_cdb_err *err)
{
	(void)err;
	if (cdb[1] & 0x01)
		ci->flags |= SCST_CDB_SAVE_PARAMS;
	return 0;
}

/* LOG SELECT: a parameter list is not allowed together with PCR=1 */
int scst_chk_log_select(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err)
{
	if ((cdb[1] & 0x02) && ci->data_len)
		return scst_cdb_invalid_field(err, 7, 7);
	if (cdb[1] & 0x01)
		ci->flags |= SCST_CDB_SAVE_PARAMS;
	return 0;
}

int scst_chk_log_sense(const u8 *cdb, struct scst_cdb_info *ci,
		       struct scst_cdb_err *err)
{
	(void)err;
	if (cdb[1] & 0x01)
		ci->flags |= SCST_CDB_SAVE_PARAMS;
	return 0;
}

/*
 * START STOP UNIT: only START=1 with POWER CONDITION 0 is allowed under
 * a reservation held by another I_T nexus.
 */
int scst_chk_start_stop(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err)
{
	(void)err;
	if (cdb[1] & 0x01)
		ci->flags |= SCST_CDB_IMMED;
	if ((cdb[4] & 0x01) && !(cdb[4] & 0xf0)) {
		ci->resv = SCST_RESV_ALLOWED;
		ci->flags |= SCST_CDB_SPC2_ALLOWED;
	} else {
		ci->resv = SCST_RESV_WRITE;
	}
	return 0;
}

/* PREVENT ALLOW MEDIUM REMOVAL: allowing removal never conflicts */
int scst_chk_prevent(const u8 *cdb, struct scst_cdb_info *ci,
		     struct scst_cdb_err *err)
{
	(void)err;
	if (cdb[4] & 0x03) {
		ci->resv = SCST_RESV_WRITE;
	} else {
		ci->resv = SCST_RESV_ALLOWED;
		ci->flags |= SCST_CDB_SPC2_ALLOWED;
	}
	return 0;
}

/* SEND DIAGNOSTIC: SELF-TEST CODE must be 000b when SELFTEST=1 */
int scst_chk_send_diag(const u8 *cdb, struct scst_cdb_info *ci,
		       struct scst_cdb_err *err)
{
	(void)ci;
	if ((cdb[1] & 0x04) && (cdb[1] & 0xe0))
		return scst_cdb_invalid_field(err, 1, 7);
	return 0;
}

/* REPORT LUNS: SELECT REPORT 00h..02h, ALLOCATION LENGTH >= 16 */
int scst_chk_report_luns(const u8 *cdb, struct scst_cdb_info *ci,
			 struct scst_cdb_err *err)
{
	if (cdb[2] > 0x02)
		return scst_cdb_invalid_field(err, 2, 7);
	if (ci->data_len < 16)
		return scst_cdb_invalid_field(err, 6, 7);
	return 0;
}

/* REPORT TARGET PORT GROUPS: PARAMETER DATA FORMAT 000b or 001b */
int scst_chk_rtpg(const u8 *cdb, struct scst_cdb_info *ci,
		  struct scst_cdb_err *err)
{
	(void)ci;
	if ((cdb[1] >> 5) > 1)
		return scst_cdb_invalid_field(err, 1, 7);
	return 0;
}

/* REPORT SUPPORTED OPERATION CODES: REPORTING OPTIONS 000b..011b */
int scst_chk_rsoc(const u8 *cdb, struct scst_cdb_info *ci,
		  struct scst_cdb_err *err)
{
	(void)ci;
	if ((cdb[2] & 0x07) > 3)
		return scst_cdb_invalid_field(err, 2, 2);
	return 0;
}

/* REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS: ALLOCATION LENGTH >= 4 */
int scst_chk_rstmf(const u8 *cdb, struct scst_cdb_info *ci,
		   struct scst_cdb_err *err)
{
	(void)cdb;
	if (ci->data_len < 4)
		return scst_cdb_invalid_field(err, 6, 7);
	return 0;
}

#define PR_OUT_REGISTER			0x00
#define PR_OUT_RESERVE			0x01
#define PR_OUT_RELEASE			0x02
#define PR_OUT_PREEMPT			0x04
#define PR_OUT_PREEMPT_AND_ABORT	0x05
#define PR_OUT_REGISTER_AND_MOVE	0x07
#define PR_OUT_BASIC_PARAM_LEN		24

static bool pr_type_valid(u8 type)
{
	switch (type) {
	case 1: case 3: case 5: case 6: case 7: case 8:
		return true;
	default:
		return false;
	}
}

/*
 * PERSISTENT RESERVE OUT: SCOPE must be LU_SCOPE and TYPE a defined
 * reservation type for the service actions that use them. The parameter
 * list is 24 bytes, except for REGISTER (longer with SPEC_I_PT=1, which
 * the caller checks in the data) and REGISTER AND MOVE.
 */
int scst_chk_pr_out(const u8 *cdb, struct scst_cdb_info *ci,
		    struct scst_cdb_err *err)
{
	u16 sa = ci->service_action;

	switch (sa) {
	case PR_OUT_RESERVE:
	case PR_OUT_RELEASE:
	case PR_OUT_PREEMPT:
	case PR_OUT_PREEMPT_AND_ABORT:
	case PR_OUT_REGISTER_AND_MOVE:
		if (cdb[2] & 0xf0)
			return scst_cdb_invalid_field(err, 2, 7);
		if (!pr_type_valid(cdb[2] & 0x0f))
			return scst_cdb_invalid_field(err, 2, 3);
		break;
	default:
		break;
	}
	if (ci->data_len < PR_OUT_BASIC_PARAM_LEN ||
	    (ci->data_len != PR_OUT_BASIC_PARAM_LEN &&
	     sa != PR_OUT_REGISTER && sa != PR_OUT_REGISTER_AND_MOVE))
		return scst_cdb_err_set(err, SCST_AQ_PARAM_LIST_LENGTH_ERROR,
					true, 5, 7);
	return 0;
}

/* READ TOC/PMA/ATIP: FORMAT 0h..5h */
int scst_chk_read_toc(const u8 *cdb, struct scst_cdb_info *ci,
		      struct scst_cdb_err *err)
{
	(void)ci;
	if ((cdb[2] & 0x0f) > 5)
		return scst_cdb_invalid_field(err, 2, 3);
	return 0;
}

/* GET CONFIGURATION: RT 11b is reserved */
int scst_chk_get_config(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err)
{
	(void)ci;
	if ((cdb[1] & 0x03) == 0x03)
		return scst_cdb_invalid_field(err, 1, 1);
	return 0;
}

/* GET EVENT STATUS NOTIFICATION: only polled operation is supported */
int scst_chk_gesn(const u8 *cdb, struct scst_cdb_info *ci,
		  struct scst_cdb_err *err)
{
	(void)ci;
	if (!(cdb[1] & 0x01))
		return scst_cdb_invalid_field(err, 1, 0);
	return 0;
}

/* READ DISC INFORMATION: DATA TYPE 000b..010b */
int scst_chk_read_disc_info(const u8 *cdb, struct scst_cdb_info *ci,
			    struct scst_cdb_err *err)
{
	(void)ci;
	if ((cdb[1] & 0x07) > 2)
		return scst_cdb_invalid_field(err, 1, 2);
	return 0;
}

/* READ TRACK INFORMATION: ADDRESS/NUMBER TYPE 11b is reserved */
int scst_chk_read_track_info(const u8 *cdb, struct scst_cdb_info *ci,
			     struct scst_cdb_err *err)
{
	(void)ci;
	if ((cdb[1] & 0x03) == 0x03)
		return scst_cdb_invalid_field(err, 1, 1);
	return 0;
}

/*
 * GET PERFORMANCE: the allocation is given as a number of descriptors,
 * whose size depends on TYPE: performance data (00h) uses 16-byte
 * nominal or 6-byte exception descriptors, write speed (03h) 16-byte
 * descriptors. The other types are not supported.
 */
int scst_chk_get_perf(const u8 *cdb, struct scst_cdb_info *ci,
		      struct scst_cdb_err *err)
{
	u32 ndesc = get_unaligned_be16(cdb + 8);
	u32 dsize;

	switch (cdb[10]) {
	case 0x00:
		dsize = (cdb[1] & 0x03) ? 6 : 16;
		break;
	case 0x03:
		dsize = 16;
		break;
	default:
		return scst_cdb_invalid_field(err, 10, 7);
	}
	ci->data_len = 8 + ndesc * dsize;
	return 0;
}

/* READ SUB-CHANNEL: SUB-CHANNEL PARAMETER LIST 01h..03h */
int scst_chk_read_subchannel(const u8 *cdb, struct scst_cdb_info *ci,
			     struct scst_cdb_err *err)
{
	(void)ci;
	if (cdb[3] < 1 || cdb[3] > 3)
		return scst_cdb_invalid_field(err, 3, 7);
	return 0;
}
