/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_cdb_int.h - internals shared by scst_cdb.c, scst_cdb_check.c and
 * scst_cdb_table.c. Not for use outside src/lib.
 */
#ifndef SCST_CDB_INT_H
#define SCST_CDB_INT_H

#include "scst_cdb.h"

/*
 * Per-command semantic check, run after the generic checks (length,
 * CONTROL byte, reserved bits) and field extraction. May adjust @ci (dir,
 * flags, data_len, resv) and returns 0 or -EINVAL with @err filled.
 */
typedef int (*scst_cdb_check_fn)(const u8 *cdb, struct scst_cdb_info *ci,
				 struct scst_cdb_err *err);

struct scst_cdb_entry {
	struct scst_cdb_opdesc d;
	scst_cdb_check_fn check;
};

/* sorted by opcode, then service action */
extern const struct scst_cdb_entry scst_cdb_table[];
extern const unsigned int scst_cdb_table_len;

int scst_cdb_err_set(struct scst_cdb_err *err, u16 aq, bool sksv,
		     u16 field, int bit);
int scst_cdb_invalid_field(struct scst_cdb_err *err, u16 field, int bit);

int scst_chk_rw6(const u8 *cdb, struct scst_cdb_info *ci,
		 struct scst_cdb_err *err);
int scst_chk_rw(const u8 *cdb, struct scst_cdb_info *ci,
		struct scst_cdb_err *err);
int scst_chk_verify(const u8 *cdb, struct scst_cdb_info *ci,
		    struct scst_cdb_err *err);
int scst_chk_write_verify(const u8 *cdb, struct scst_cdb_info *ci,
			  struct scst_cdb_err *err);
int scst_chk_cache(const u8 *cdb, struct scst_cdb_info *ci,
		   struct scst_cdb_err *err);
int scst_chk_write_same(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err);
int scst_chk_unmap(const u8 *cdb, struct scst_cdb_info *ci,
		   struct scst_cdb_err *err);
int scst_chk_format_unit(const u8 *cdb, struct scst_cdb_info *ci,
			 struct scst_cdb_err *err);
int scst_chk_read_cap10(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err);
int scst_chk_read_cap16(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err);
int scst_chk_inquiry(const u8 *cdb, struct scst_cdb_info *ci,
		     struct scst_cdb_err *err);
int scst_chk_mode_select(const u8 *cdb, struct scst_cdb_info *ci,
			 struct scst_cdb_err *err);
int scst_chk_log_select(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err);
int scst_chk_log_sense(const u8 *cdb, struct scst_cdb_info *ci,
		       struct scst_cdb_err *err);
int scst_chk_start_stop(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err);
int scst_chk_prevent(const u8 *cdb, struct scst_cdb_info *ci,
		     struct scst_cdb_err *err);
int scst_chk_send_diag(const u8 *cdb, struct scst_cdb_info *ci,
		       struct scst_cdb_err *err);
int scst_chk_report_luns(const u8 *cdb, struct scst_cdb_info *ci,
			 struct scst_cdb_err *err);
int scst_chk_rtpg(const u8 *cdb, struct scst_cdb_info *ci,
		  struct scst_cdb_err *err);
int scst_chk_rsoc(const u8 *cdb, struct scst_cdb_info *ci,
		  struct scst_cdb_err *err);
int scst_chk_rstmf(const u8 *cdb, struct scst_cdb_info *ci,
		   struct scst_cdb_err *err);
int scst_chk_pr_out(const u8 *cdb, struct scst_cdb_info *ci,
		    struct scst_cdb_err *err);
int scst_chk_read_toc(const u8 *cdb, struct scst_cdb_info *ci,
		      struct scst_cdb_err *err);
int scst_chk_get_config(const u8 *cdb, struct scst_cdb_info *ci,
			struct scst_cdb_err *err);
int scst_chk_gesn(const u8 *cdb, struct scst_cdb_info *ci,
		  struct scst_cdb_err *err);
int scst_chk_read_disc_info(const u8 *cdb, struct scst_cdb_info *ci,
			    struct scst_cdb_err *err);
int scst_chk_read_track_info(const u8 *cdb, struct scst_cdb_info *ci,
			     struct scst_cdb_err *err);
int scst_chk_get_perf(const u8 *cdb, struct scst_cdb_info *ci,
		      struct scst_cdb_err *err);
int scst_chk_read_subchannel(const u8 *cdb, struct scst_cdb_info *ci,
			     struct scst_cdb_err *err);

#endif /* SCST_CDB_INT_H */
