// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_cdb_table.c - the command table behind scst_cdb_decode() and
 * REPORT SUPPORTED OPERATION CODES
 *
 * One row per (opcode, service action, set of device types). Rows are
 * sorted by opcode, then service action; the unit tests check the order
 * and that no (opcode, service action) pair appears twice for a type.
 *
 * Usage data (U): byte 0 is the opcode; for service action commands the
 * service action code sits in its field in byte 1; every other one bit
 * marks a CDB bit the device server evaluates. Bits outside the usage
 * data and the ignore mask (IGN) make the command fail with INVALID FIELD
 * IN CDB. The CONTROL byte is checked separately (NACA, LINK).
 */
#include "scst_cdb_int.h"

#define T_DISK	(1u << SCST_TYPE_DISK)
#define T_ROM	(1u << SCST_TYPE_ROM)
#define T_ALL	(T_DISK | T_ROM)

#define NONE	SCST_DIR_NONE
#define IN	SCST_DIR_READ
#define OUT	SCST_DIR_WRITE

#define R_ALL	SCST_RESV_ALLOWED
#define R_RD	SCST_RESV_READ
#define R_WR	SCST_RESV_WRITE
#define R_PR	SCST_RESV_PR_OUT
#define R_SPC2	SCST_RESV_SPC2

#define F_BIO	SCST_CDB_BLOCKIO
#define F_WM	SCST_CDB_WRITES_MEDIUM
#define F_UA	SCST_CDB_UA_EXEMPT
#define F_LI	SCST_CDB_LUN_INDEPENDENT
#define F_1BLK	SCST_CDB_DATA_ONE_BLOCK
#define F_2X	SCST_CDB_DATA_TWICE
#define F_NOD	SCST_CDB_NO_DATA
#define F_MED	SCST_CDB_NEEDS_MEDIUM
#define F_SA	SCST_CDB_SERVICE_ACTION
#define F_SPC2	SCST_CDB_SPC2_ALLOWED

/* U() list fragments (4 and 8 bytes of 0xff), so no parentheses */
#define X4	0xff, 0xff, 0xff, 0xff
#define X8	X4, X4

#define U(...)		.usage = { __VA_ARGS__ }
#define IGN(...)	.ignore = { __VA_ARGS__ }

/*
 * CMD(opcode, service action, CDB length, types, direction, reservation
 *     class, flags, name, check, xfer offset, xfer size, lba offset,
 *     lba size, U(...) [, IGN(...)])
 */
#define CMD(op_, sa_, len_, t_, dir_, r_, f_, name_, chk_, xo_, xs_, lo_, \
	    ls_, ...)							\
	{								\
		.d = {							\
			.opcode = (op_), .sa = (sa_), .cdb_len = (len_),\
			.types = (t_), .dir = (dir_), .resv = (r_),	\
			.flags = (f_), .name = (name_),			\
			.xfer_off = (xo_), .xfer_size = (xs_),		\
			.lba_off = (lo_), .lba_size = (ls_),		\
			__VA_ARGS__					\
		},							\
		.check = (chk_),					\
	}

const struct scst_cdb_entry scst_cdb_table[] = {
	CMD(0x00, 0, 6, T_ALL, NONE, R_ALL, F_MED, "TEST UNIT READY",
	    NULL, 0, 0, 0, 0, U(0x00, 0, 0, 0, 0, 0)),
	CMD(0x03, 0, 6, T_ALL, IN, R_ALL, F_UA | F_LI | F_SPC2,
	    "REQUEST SENSE", NULL, 4, 1, 0, 0,
	    U(0x03, 0x01, 0, 0, 0xff, 0)),
	CMD(0x04, 0, 6, T_DISK, NONE, R_WR, F_WM | F_MED, "FORMAT UNIT",
	    scst_chk_format_unit, 0, 0, 0, 0,
	    U(0x04, 0x3f, 0, 0, 0, 0), IGN(0, 0, 0xff, 0xff, 0xff, 0)),
	CMD(0x08, 0, 6, T_DISK, IN, R_RD, F_BIO | F_MED, "READ(6)",
	    scst_chk_rw6, 0, 0, 0, 0, U(0x08, 0x1f, 0xff, 0xff, 0xff, 0)),
	CMD(0x0a, 0, 6, T_DISK, OUT, R_WR, F_BIO | F_WM | F_MED, "WRITE(6)",
	    scst_chk_rw6, 0, 0, 0, 0, U(0x0a, 0x1f, 0xff, 0xff, 0xff, 0)),
	CMD(0x12, 0, 6, T_ALL, IN, R_ALL, F_UA | F_LI | F_SPC2, "INQUIRY",
	    scst_chk_inquiry, 3, 2, 0, 0,
	    U(0x12, 0x01, 0xff, 0xff, 0xff, 0)),
	CMD(0x15, 0, 6, T_DISK, OUT, R_WR, 0, "MODE SELECT(6)",
	    scst_chk_mode_select, 4, 1, 0, 0,
	    U(0x15, 0x11, 0, 0, 0xff, 0)),
	CMD(0x16, 0, 6, T_ALL, NONE, R_SPC2, 0, "RESERVE(6)",
	    NULL, 0, 0, 0, 0, U(0x16, 0, 0, 0, 0, 0)),
	CMD(0x17, 0, 6, T_ALL, NONE, R_SPC2, F_SPC2, "RELEASE(6)",
	    NULL, 0, 0, 0, 0, U(0x17, 0, 0, 0, 0, 0)),
	CMD(0x1a, 0, 6, T_DISK, IN, R_WR, 0, "MODE SENSE(6)",
	    NULL, 4, 1, 0, 0, U(0x1a, 0x08, 0xff, 0xff, 0xff, 0)),
	CMD(0x1b, 0, 6, T_ALL, NONE, R_WR, 0, "START STOP UNIT",
	    scst_chk_start_stop, 0, 0, 0, 0,
	    U(0x1b, 0x01, 0, 0x0f, 0xf7, 0)),
	CMD(0x1c, 0, 6, T_ALL, IN, R_WR, 0, "RECEIVE DIAGNOSTIC RESULTS",
	    NULL, 3, 2, 0, 0, U(0x1c, 0x01, 0xff, 0xff, 0xff, 0)),
	CMD(0x1d, 0, 6, T_ALL, OUT, R_WR, 0, "SEND DIAGNOSTIC",
	    scst_chk_send_diag, 3, 2, 0, 0,
	    U(0x1d, 0xf7, 0, 0xff, 0xff, 0)),
	CMD(0x1e, 0, 6, T_ALL, NONE, R_WR, 0, "PREVENT ALLOW MEDIUM REMOVAL",
	    scst_chk_prevent, 0, 0, 0, 0, U(0x1e, 0, 0, 0, 0x03, 0)),
	CMD(0x25, 0, 10, T_ALL, IN, R_ALL, F_SPC2 | F_MED,
	    "READ CAPACITY(10)", scst_chk_read_cap10, 0, 0, 0, 0,
	    U(0x25, 0, X4, 0, 0, 0x01, 0)),
	CMD(0x28, 0, 10, T_DISK, IN, R_RD, F_BIO | F_MED, "READ(10)",
	    scst_chk_rw, 7, 2, 2, 4, U(0x28, 0x1e, X4, 0x1f, 0xff, 0xff, 0)),
	CMD(0x28, 0, 10, T_ROM, IN, R_RD, F_BIO | F_MED, "READ(10)",
	    scst_chk_rw, 7, 2, 2, 4, U(0x28, 0x18, X4, 0, 0xff, 0xff, 0)),
	CMD(0x2a, 0, 10, T_DISK, OUT, R_WR, F_BIO | F_WM | F_MED, "WRITE(10)",
	    scst_chk_rw, 7, 2, 2, 4, U(0x2a, 0x1a, X4, 0x1f, 0xff, 0xff, 0)),
	CMD(0x2e, 0, 10, T_DISK, OUT, R_WR, F_BIO | F_WM | F_MED,
	    "WRITE AND VERIFY(10)", scst_chk_write_verify, 7, 2, 2, 4,
	    U(0x2e, 0x16, X4, 0x1f, 0xff, 0xff, 0)),
	CMD(0x2f, 0, 10, T_DISK, OUT, R_RD, F_BIO | F_MED, "VERIFY(10)",
	    scst_chk_verify, 7, 2, 2, 4,
	    U(0x2f, 0x16, X4, 0x1f, 0xff, 0xff, 0)),
	CMD(0x34, 0, 10, T_DISK, NONE, R_RD, F_BIO | F_NOD | F_MED,
	    "PRE-FETCH(10)", scst_chk_cache, 7, 2, 2, 4,
	    U(0x34, 0x02, X4, 0x1f, 0xff, 0xff, 0)),
	CMD(0x35, 0, 10, T_DISK, NONE, R_WR, F_BIO | F_NOD | F_MED,
	    "SYNCHRONIZE CACHE(10)", scst_chk_cache, 7, 2, 2, 4,
	    U(0x35, 0x02, X4, 0x1f, 0xff, 0xff, 0), IGN(0, 0x04)),
	CMD(0x3b, 0, 10, T_ALL, OUT, R_WR, 0, "WRITE BUFFER",
	    NULL, 6, 3, 0, 0, U(0x3b, 0xff, X4, 0xff, 0xff, 0xff, 0)),
	CMD(0x3c, 0, 10, T_ALL, IN, R_WR, 0, "READ BUFFER",
	    NULL, 6, 3, 0, 0, U(0x3c, 0x1f, X4, 0xff, 0xff, 0xff, 0)),
	CMD(0x41, 0, 10, T_DISK, OUT, R_WR, F_BIO | F_WM | F_1BLK | F_MED,
	    "WRITE SAME(10)", scst_chk_write_same, 7, 2, 2, 4,
	    U(0x41, 0x18, X4, 0x1f, 0xff, 0xff, 0)),
	CMD(0x42, 0, 10, T_DISK, OUT, R_WR, F_WM | F_MED, "UNMAP",
	    scst_chk_unmap, 7, 2, 0, 0,
	    U(0x42, 0x01, 0, 0, 0, 0, 0x1f, 0xff, 0xff, 0)),
	CMD(0x42, 0, 10, T_ROM, IN, R_RD, F_MED, "READ SUB-CHANNEL",
	    scst_chk_read_subchannel, 7, 2, 0, 0,
	    U(0x42, 0x02, 0x40, 0xff, 0, 0, 0xff, 0xff, 0xff, 0)),
	CMD(0x43, 0, 10, T_ROM, IN, R_RD, F_MED, "READ TOC/PMA/ATIP",
	    scst_chk_read_toc, 7, 2, 0, 0,
	    U(0x43, 0x02, 0x0f, 0, 0, 0, 0xff, 0xff, 0xff, 0)),
	CMD(0x46, 0, 10, T_ROM, IN, R_ALL, F_UA, "GET CONFIGURATION",
	    scst_chk_get_config, 7, 2, 0, 0,
	    U(0x46, 0x03, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, 0)),
	CMD(0x4a, 0, 10, T_ROM, IN, R_ALL, F_UA,
	    "GET EVENT STATUS NOTIFICATION", scst_chk_gesn, 7, 2, 0, 0,
	    U(0x4a, 0x01, 0, 0, 0xff, 0, 0, 0xff, 0xff, 0)),
	CMD(0x4c, 0, 10, T_ALL, OUT, R_WR, 0, "LOG SELECT",
	    scst_chk_log_select, 7, 2, 0, 0,
	    U(0x4c, 0x03, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, 0)),
	CMD(0x4d, 0, 10, T_ALL, IN, R_ALL, F_SPC2, "LOG SENSE",
	    scst_chk_log_sense, 7, 2, 0, 0,
	    U(0x4d, 0x01, 0xff, 0xff, 0, 0xff, 0xff, 0xff, 0xff, 0)),
	CMD(0x51, 0, 10, T_ROM, IN, R_ALL, F_MED, "READ DISC INFORMATION",
	    scst_chk_read_disc_info, 7, 2, 0, 0,
	    U(0x51, 0x07, 0, 0, 0, 0, 0, 0xff, 0xff, 0)),
	CMD(0x52, 0, 10, T_ROM, IN, R_ALL, F_MED, "READ TRACK INFORMATION",
	    scst_chk_read_track_info, 7, 2, 0, 0,
	    U(0x52, 0x07, X4, 0, 0xff, 0xff, 0)),
	CMD(0x55, 0, 10, T_ALL, OUT, R_WR, 0, "MODE SELECT(10)",
	    scst_chk_mode_select, 7, 2, 0, 0,
	    U(0x55, 0x11, 0, 0, 0, 0, 0, 0xff, 0xff, 0)),
	CMD(0x56, 0, 10, T_ALL, NONE, R_SPC2, 0, "RESERVE(10)",
	    NULL, 0, 0, 0, 0, U(0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
	CMD(0x57, 0, 10, T_ALL, NONE, R_SPC2, F_SPC2, "RELEASE(10)",
	    NULL, 0, 0, 0, 0, U(0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
	CMD(0x5a, 0, 10, T_ALL, IN, R_WR, 0, "MODE SENSE(10)",
	    NULL, 7, 2, 0, 0,
	    U(0x5a, 0x18, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, 0)),
#define PR_IN(sa_, name_)						\
	CMD(0x5e, sa_, 10, T_ALL, IN, R_ALL, F_SA, name_, NULL, 7, 2, 0, 0, \
	    U(0x5e, sa_, 0, 0, 0, 0, 0, 0xff, 0xff, 0))
	PR_IN(0x00, "PERSISTENT RESERVE IN(READ KEYS)"),
	PR_IN(0x01, "PERSISTENT RESERVE IN(READ RESERVATION)"),
	PR_IN(0x02, "PERSISTENT RESERVE IN(REPORT CAPABILITIES)"),
	PR_IN(0x03, "PERSISTENT RESERVE IN(READ FULL STATUS)"),
#define PR_OUT(sa_, name_)						\
	CMD(0x5f, sa_, 10, T_ALL, OUT, R_PR, F_SA, name_, scst_chk_pr_out, \
	    5, 4, 0, 0, U(0x5f, sa_, 0xff, 0, 0, X4, 0))
	PR_OUT(0x00, "PERSISTENT RESERVE OUT(REGISTER)"),
	PR_OUT(0x01, "PERSISTENT RESERVE OUT(RESERVE)"),
	PR_OUT(0x02, "PERSISTENT RESERVE OUT(RELEASE)"),
	PR_OUT(0x03, "PERSISTENT RESERVE OUT(CLEAR)"),
	PR_OUT(0x04, "PERSISTENT RESERVE OUT(PREEMPT)"),
	PR_OUT(0x05, "PERSISTENT RESERVE OUT(PREEMPT AND ABORT)"),
	PR_OUT(0x06, "PERSISTENT RESERVE OUT(REGISTER AND IGNORE EXISTING KEY)"),
	PR_OUT(0x07, "PERSISTENT RESERVE OUT(REGISTER AND MOVE)"),
	CMD(0x88, 0, 16, T_DISK, IN, R_RD, F_BIO | F_MED, "READ(16)",
	    scst_chk_rw, 10, 4, 2, 8, U(0x88, 0x1e, X8, X4, 0x1f, 0)),
	CMD(0x89, 0, 16, T_DISK, OUT, R_WR, F_BIO | F_WM | F_2X | F_MED,
	    "COMPARE AND WRITE", scst_chk_rw, 13, 1, 2, 8,
	    U(0x89, 0x1a, X8, 0, 0, 0, 0xff, 0x1f, 0)),
	CMD(0x8a, 0, 16, T_DISK, OUT, R_WR, F_BIO | F_WM | F_MED, "WRITE(16)",
	    scst_chk_rw, 10, 4, 2, 8, U(0x8a, 0x1a, X8, X4, 0x1f, 0)),
	CMD(0x8e, 0, 16, T_DISK, OUT, R_WR, F_BIO | F_WM | F_MED,
	    "WRITE AND VERIFY(16)", scst_chk_write_verify, 10, 4, 2, 8,
	    U(0x8e, 0x16, X8, X4, 0x1f, 0)),
	CMD(0x8f, 0, 16, T_DISK, OUT, R_RD, F_BIO | F_MED, "VERIFY(16)",
	    scst_chk_verify, 10, 4, 2, 8, U(0x8f, 0x16, X8, X4, 0x1f, 0)),
	CMD(0x90, 0, 16, T_DISK, NONE, R_RD, F_BIO | F_NOD | F_MED,
	    "PRE-FETCH(16)", scst_chk_cache, 10, 4, 2, 8,
	    U(0x90, 0x02, X8, X4, 0x1f, 0)),
	CMD(0x91, 0, 16, T_DISK, NONE, R_WR, F_BIO | F_NOD | F_MED,
	    "SYNCHRONIZE CACHE(16)", scst_chk_cache, 10, 4, 2, 8,
	    U(0x91, 0x02, X8, X4, 0x1f, 0), IGN(0, 0x04)),
	CMD(0x93, 0, 16, T_DISK, OUT, R_WR, F_BIO | F_WM | F_1BLK | F_MED,
	    "WRITE SAME(16)", scst_chk_write_same, 10, 4, 2, 8,
	    U(0x93, 0x19, X8, X4, 0x1f, 0)),
	CMD(0x9e, 0x10, 16, T_DISK, IN, R_ALL, F_SA | F_SPC2 | F_MED,
	    "READ CAPACITY(16)", scst_chk_read_cap16, 10, 4, 0, 0,
	    U(0x9e, 0x10, X8, X4, 0x01, 0)),
	CMD(0x9e, 0x12, 16, T_DISK, IN, R_RD, F_SA | F_MED, "GET LBA STATUS",
	    NULL, 10, 4, 2, 8, U(0x9e, 0x12, X8, X4, 0, 0)),
	CMD(0xa0, 0, 12, T_ALL, IN, R_ALL, F_UA | F_LI | F_SPC2,
	    "REPORT LUNS", scst_chk_report_luns, 6, 4, 0, 0,
	    U(0xa0, 0, 0xff, 0, 0, 0, X4, 0, 0)),
	CMD(0xa3, 0x0a, 12, T_ALL, IN, R_ALL, F_SA | F_SPC2,
	    "REPORT TARGET PORT GROUPS", scst_chk_rtpg, 6, 4, 0, 0,
	    U(0xa3, 0xea, 0, 0, 0, 0, X4, 0, 0)),
	CMD(0xa3, 0x0c, 12, T_ALL, IN, R_ALL, F_SA | F_SPC2,
	    "REPORT SUPPORTED OPERATION CODES", scst_chk_rsoc, 6, 4, 0, 0,
	    U(0xa3, 0x0c, 0x87, 0xff, 0xff, 0xff, X4, 0, 0)),
	CMD(0xa3, 0x0d, 12, T_ALL, IN, R_ALL, F_SA | F_SPC2,
	    "REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS", scst_chk_rstmf,
	    6, 4, 0, 0, U(0xa3, 0x0d, 0x80, 0, 0, 0, X4, 0, 0)),
	CMD(0xa4, 0x0a, 12, T_DISK, OUT, R_WR, F_SA,
	    "SET TARGET PORT GROUPS", NULL, 6, 4, 0, 0,
	    U(0xa4, 0x0a, 0, 0, 0, 0, X4, 0, 0)),
	CMD(0xa8, 0, 12, T_DISK, IN, R_RD, F_BIO | F_MED, "READ(12)",
	    scst_chk_rw, 6, 4, 2, 4, U(0xa8, 0x1e, X4, X4, 0x1f, 0)),
	CMD(0xa8, 0, 12, T_ROM, IN, R_RD, F_BIO | F_MED, "READ(12)",
	    scst_chk_rw, 6, 4, 2, 4, U(0xa8, 0x18, X4, X4, 0x80, 0)),
	CMD(0xaa, 0, 12, T_DISK, OUT, R_WR, F_BIO | F_WM | F_MED, "WRITE(12)",
	    scst_chk_rw, 6, 4, 2, 4, U(0xaa, 0x1a, X4, X4, 0x1f, 0)),
	CMD(0xac, 0, 12, T_ROM, IN, R_ALL, 0, "GET PERFORMANCE",
	    scst_chk_get_perf, 0, 0, 0, 0,
	    U(0xac, 0x1f, X4, 0, 0, 0xff, 0xff, 0xff, 0)),
	CMD(0xad, 0, 12, T_ROM, IN, R_RD, 0, "READ DISC STRUCTURE",
	    NULL, 8, 2, 0, 0,
	    U(0xad, 0x0f, X4, 0xff, 0xff, 0xff, 0xff, 0xc0, 0)),
	CMD(0xae, 0, 12, T_DISK, OUT, R_WR, F_BIO | F_WM | F_MED,
	    "WRITE AND VERIFY(12)", scst_chk_write_verify, 6, 4, 2, 4,
	    U(0xae, 0x16, X4, X4, 0x1f, 0)),
	CMD(0xaf, 0, 12, T_DISK, OUT, R_RD, F_BIO | F_MED, "VERIFY(12)",
	    scst_chk_verify, 6, 4, 2, 4, U(0xaf, 0x16, X4, X4, 0x1f, 0)),
	CMD(0xbb, 0, 12, T_ROM, NONE, R_WR, 0, "SET CD SPEED",
	    NULL, 0, 0, 0, 0, U(0xbb, 0x03, X4, 0, 0, 0, 0, 0, 0)),
	CMD(0xbd, 0, 12, T_ROM, IN, R_ALL, 0, "MECHANISM STATUS",
	    NULL, 8, 2, 0, 0, U(0xbd, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0)),
};

const unsigned int scst_cdb_table_len = sizeof(scst_cdb_table) /
					sizeof(scst_cdb_table[0]);
