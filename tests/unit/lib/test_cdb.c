// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_cdb.c - unit tests for scst_cdb_decode() and the command table
 */
#include <stdio.h>
#include <CUnit/CUnit.h>

#include "scst_cdb.h"
#include "scst_cdb_int.h"
#include "tests.h"

#define D	SCST_TYPE_DISK
#define R	SCST_TYPE_ROM
#define OK	0
#define NOTSUP	(-EOPNOTSUPP)
#define BAD	(-EINVAL)

#define DNONE	SCST_DIR_NONE
#define DIN	SCST_DIR_READ
#define DOUT	SCST_DIR_WRITE

/*
 * One decode case. For OK: dir, lba, nblocks, data_len are compared and
 * every bit of flags must be set in the result. For BAD: asc, field and
 * bit are compared (field < 0: no field pointer expected).
 */
struct dcase {
	const char *what;
	u8 type;
	u8 len;
	u8 cdb[16];
	int ret;
	u8 dir;
	u32 flags;
	u64 lba;
	u32 nblocks;
	u32 data_len;
	u8 asc;
	int field;
	int bit;
};

#define OKC(w, t, l, dir_, fl, lba_, nb, dl, ...) \
	{ .what = w, .type = t, .len = l, .cdb = { __VA_ARGS__ }, .ret = OK, \
	  .dir = dir_, .flags = fl, .lba = lba_, .nblocks = nb, .data_len = dl }
#define BADC(w, t, l, asc_, fld, b, ...) \
	{ .what = w, .type = t, .len = l, .cdb = { __VA_ARGS__ }, .ret = BAD, \
	  .asc = asc_, .field = fld, .bit = b }
#define NSC(w, t, l, ...) \
	{ .what = w, .type = t, .len = l, .cdb = { __VA_ARGS__ }, .ret = NOTSUP }

#define F_BIO	SCST_CDB_BLOCKIO
#define F_WM	SCST_CDB_WRITES_MEDIUM
#define F_UA	(SCST_CDB_UA_EXEMPT | SCST_CDB_LUN_INDEPENDENT)
#define F_SA	SCST_CDB_SERVICE_ACTION
#define IFC	0x24	/* INVALID FIELD IN CDB */
#define PLLE	0x1a	/* PARAMETER LIST LENGTH ERROR */

static const struct dcase cases[] = {
	/* SPC, both device types */
	OKC("TUR", D, 6, DNONE, SCST_CDB_NEEDS_MEDIUM, 0, 0, 0, 0x00),
	OKC("TUR rom", R, 6, DNONE, 0, 0, 0, 0, 0x00),
	BADC("TUR reserved byte 3", D, 6, IFC, 3, 0, 0x00, 0, 0, 0x01),
	OKC("REQUEST SENSE", D, 6, DIN, F_UA, 0, 0, 252, 0x03, 0, 0, 0, 252),
	OKC("REQUEST SENSE desc", D, 6, DIN, F_UA, 0, 0, 18, 0x03, 1, 0, 0,
	    18),
	BADC("REQUEST SENSE reserved", D, 6, IFC, 1, 1, 0x03, 0x02, 0, 0, 18),
	OKC("INQUIRY std", D, 6, DIN, F_UA | SCST_CDB_SPC2_ALLOWED, 0, 0, 96,
	    0x12, 0, 0, 0, 0x60, 0),
	OKC("INQUIRY vpd 83", R, 6, DIN, F_UA, 0, 0, 256, 0x12, 1, 0x83,
	    0x01, 0x00, 0),
	BADC("INQUIRY page w/o EVPD", D, 6, IFC, 2, 7, 0x12, 0, 0x80, 0, 255),
	BADC("INQUIRY CMDDT", D, 6, IFC, 1, 1, 0x12, 0x02, 0, 0, 255),
	OKC("MODE SELECT(6)", D, 6, DOUT, 0, 0, 0, 24, 0x15, 0x10, 0, 0, 24),
	OKC("MODE SELECT(6) SP", D, 6, DOUT, SCST_CDB_SAVE_PARAMS, 0, 0, 24,
	    0x15, 0x11, 0, 0, 24),
	NSC("MODE SELECT(6) rom", R, 6, 0x15, 0x10, 0, 0, 24),
	OKC("MODE SENSE(6)", D, 6, DIN, 0, 0, 0, 255, 0x1a, 0x08, 0x3f, 0,
	    0xff),
	BADC("MODE SENSE(6) bit 4", D, 6, IFC, 1, 4, 0x1a, 0x10, 0x3f, 0, 4),
	NSC("MODE SENSE(6) rom", R, 6, 0x1a, 0, 0x3f, 0, 0xff),
	OKC("MODE SELECT(10)", R, 10, DOUT, 0, 0, 0, 0x104, 0x55, 0x10, 0, 0,
	    0, 0, 0, 0x01, 0x04),
	OKC("MODE SENSE(10)", D, 10, DIN, 0, 0, 0, 0x1000, 0x5a, 0x18, 0x3f,
	    0xff, 0, 0, 0, 0x10, 0x00),
	BADC("MODE SENSE(10) byte 4", D, 10, IFC, 4, 0, 0x5a, 0, 0x3f, 0, 1),
	OKC("START STOP IMMED", D, 6, DNONE, SCST_CDB_IMMED, 0, 0, 0, 0x1b, 1,
	    0, 0, 1),
	OKC("START STOP eject", R, 6, DNONE, 0, 0, 0, 0, 0x1b, 0, 0, 0, 2),
	BADC("START STOP byte 2", D, 6, IFC, 2, 7, 0x1b, 0, 0x80, 0, 1),
	OKC("PREVENT", R, 6, DNONE, 0, 0, 0, 0, 0x1e, 0, 0, 0, 1),
	BADC("PREVENT bit 2", D, 6, IFC, 4, 2, 0x1e, 0, 0, 0, 5),
	OKC("RECEIVE DIAGNOSTIC", D, 6, DIN, 0, 0, 0, 256, 0x1c, 1, 0, 1, 0),
	OKC("SEND DIAGNOSTIC selftest", D, 6, DOUT, 0, 0, 0, 0, 0x1d, 0x04),
	BADC("SEND DIAGNOSTIC code+selftest", D, 6, IFC, 1, 7, 0x1d, 0x24),
	OKC("SEND DIAGNOSTIC page", D, 6, DOUT, 0, 0, 0, 8, 0x1d, 0x10, 0, 0,
	    8),
	OKC("RESERVE(6)", D, 6, DNONE, 0, 0, 0, 0, 0x16),
	BADC("RESERVE(6) 3rd party", D, 6, IFC, 1, 4, 0x16, 0x10),
	OKC("RELEASE(6)", R, 6, DNONE, SCST_CDB_SPC2_ALLOWED, 0, 0, 0, 0x17),
	OKC("RESERVE(10)", D, 10, DNONE, 0, 0, 0, 0, 0x56),
	BADC("RESERVE(10) LONGID", D, 10, IFC, 1, 1, 0x56, 0x02),
	OKC("RELEASE(10)", D, 10, DNONE, 0, 0, 0, 0, 0x57),
	OKC("READ BUFFER", D, 10, DIN, 0, 0, 0, 0x1000, 0x3c, 0x02, 0, 0, 0,
	    0, 0, 0x10, 0),
	BADC("READ BUFFER mode specific", D, 10, IFC, 1, 5, 0x3c, 0x22),
	OKC("WRITE BUFFER", R, 10, DOUT, 0, 0, 0, 0x10203, 0x3b, 0x05, 0, 0,
	    0, 0, 0x01, 0x02, 0x03),
	OKC("LOG SELECT PCR", D, 10, DOUT, 0, 0, 0, 0, 0x4c, 0x02, 0xc0),
	BADC("LOG SELECT PCR+data", D, 10, IFC, 7, 7, 0x4c, 0x02, 0xc0, 0, 0,
	     0, 0, 0, 8),
	OKC("LOG SENSE", D, 10, DIN, 0, 0, 0, 512, 0x4d, 0, 0x4d, 0, 0, 0, 0,
	    0x02, 0x00),
	BADC("LOG SENSE PPC", D, 10, IFC, 1, 1, 0x4d, 0x02, 0x40),
	OKC("REPORT LUNS", D, 12, DIN, F_UA, 0, 0, 4096, 0xa0, 0, 0, 0, 0, 0,
	    0, 0, 0x10, 0, 0, 0),
	OKC("REPORT LUNS sel 2 rom", R, 12, DIN, F_UA, 0, 0, 16, 0xa0, 0, 2,
	    0, 0, 0, 0, 0, 0, 16, 0, 0),
	BADC("REPORT LUNS alloc 15", D, 12, IFC, 6, 7, 0xa0, 0, 0, 0, 0, 0, 0,
	     0, 0, 15, 0, 0),
	BADC("REPORT LUNS select 3", D, 12, IFC, 2, 7, 0xa0, 0, 3, 0, 0, 0, 0,
	     0, 0, 16, 0, 0),
	BADC("REPORT LUNS byte 10", D, 12, IFC, 10, 0, 0xa0, 0, 0, 0, 0, 0, 0,
	     0, 0, 16, 1, 0),
	OKC("RTPG", D, 12, DIN, F_SA, 0, 0, 0x100, 0xa3, 0x0a, 0, 0, 0, 0, 0,
	    0, 1, 0, 0, 0),
	OKC("RTPG extended", R, 12, DIN, F_SA, 0, 0, 0x100, 0xa3, 0x2a, 0, 0,
	    0, 0, 0, 0, 1, 0, 0, 0),
	BADC("RTPG format 2", D, 12, IFC, 1, 7, 0xa3, 0x4a, 0, 0, 0, 0, 0, 0,
	     1, 0, 0, 0),
	OKC("RSOC all", D, 12, DIN, F_SA, 0, 0, 0x2000, 0xa3, 0x0c, 0, 0, 0,
	    0, 0, 0, 0x20, 0, 0, 0),
	OKC("RSOC one", D, 12, DIN, F_SA, 0, 0, 20, 0xa3, 0x0c, 0x82, 0x9e, 0,
	    0x10, 0, 0, 0, 20, 0, 0),
	BADC("RSOC options 4", D, 12, IFC, 2, 2, 0xa3, 0x0c, 0x04, 0, 0, 0, 0,
	     0, 2, 0, 0, 0),
	OKC("RSTMF", D, 12, DIN, F_SA, 0, 0, 4, 0xa3, 0x0d, 0x80, 0, 0, 0, 0,
	    0, 0, 4, 0, 0),
	BADC("RSTMF alloc 3", D, 12, IFC, 6, 7, 0xa3, 0x0d, 0, 0, 0, 0, 0, 0,
	     0, 3, 0, 0),
	BADC("MAINTENANCE IN unknown SA", D, 12, IFC, 1, 4, 0xa3, 0x05, 0, 0,
	     0, 0, 0, 0, 0, 16, 0, 0),
	OKC("PR IN READ KEYS", D, 10, DIN, F_SA, 0, 0, 0x1000, 0x5e, 0, 0, 0,
	    0, 0, 0, 0x10, 0, 0),
	OKC("PR IN READ FULL STATUS", R, 10, DIN, F_SA, 0, 0, 0x1000, 0x5e, 3,
	    0, 0, 0, 0, 0, 0x10, 0, 0),
	BADC("PR IN SA 4", D, 10, IFC, 1, 4, 0x5e, 4, 0, 0, 0, 0, 0, 0x10),
	BADC("PR IN reserved byte 2", D, 10, IFC, 2, 0, 0x5e, 0, 1),
	OKC("PR OUT REGISTER", D, 10, DOUT, F_SA, 0, 0, 24, 0x5f, 0, 0, 0, 0,
	    0, 0, 0, 24, 0),
	OKC("PR OUT REGISTER SPEC_I_PT", D, 10, DOUT, F_SA, 0, 0, 60, 0x5f, 0,
	    0, 0, 0, 0, 0, 0, 60, 0),
	OKC("PR OUT RESERVE WE", D, 10, DOUT, F_SA, 0, 0, 24, 0x5f, 1, 0x01,
	    0, 0, 0, 0, 0, 24, 0),
	OKC("PR OUT PREEMPT EA-AR", R, 10, DOUT, F_SA, 0, 0, 24, 0x5f, 4,
	    0x08, 0, 0, 0, 0, 0, 24, 0),
	OKC("PR OUT REGISTER AND MOVE", D, 10, DOUT, F_SA, 0, 0, 40, 0x5f, 7,
	    0x03, 0, 0, 0, 0, 0, 40, 0),
	BADC("PR OUT RESERVE type 2", D, 10, IFC, 2, 3, 0x5f, 1, 0x02, 0, 0,
	     0, 0, 0, 24, 0),
	BADC("PR OUT RESERVE scope 1", D, 10, IFC, 2, 7, 0x5f, 1, 0x11, 0, 0,
	     0, 0, 0, 24, 0),
	BADC("PR OUT RELEASE len 20", D, 10, PLLE, 5, 7, 0x5f, 2, 0x01, 0, 0,
	     0, 0, 0, 20, 0),
	BADC("PR OUT CLEAR len 48", D, 10, PLLE, 5, 7, 0x5f, 3, 0, 0, 0, 0, 0,
	     0, 48, 0),
	BADC("PR OUT REGISTER len 0", D, 10, PLLE, 5, 7, 0x5f, 0),
	BADC("PR OUT SA 8", D, 10, IFC, 1, 4, 0x5f, 8, 0, 0, 0, 0, 0, 0, 24),
	BADC("PR OUT reserved byte 3", D, 10, IFC, 3, 7, 0x5f, 0, 0, 0x80, 0,
	     0, 0, 0, 24, 0),

	/* SBC-3 */
	OKC("READ(6) max", D, 6, DIN, F_BIO, 0x1fffff, 256, 0, 0x08, 0x1f,
	    0xff, 0xff, 0, 0),
	OKC("READ(6)", D, 6, DIN, F_BIO, 0x10203, 8, 0, 0x08, 0x01, 0x02, 0x03,
	    8, 0),
	BADC("READ(6) bit 5 of byte 1", D, 6, IFC, 1, 5, 0x08, 0x21, 0, 0, 1),
	OKC("WRITE(6) 0=256", D, 6, DOUT, F_BIO | F_WM, 0x10, 256, 0, 0x0a, 0,
	    0, 0x10, 0, 0),
	NSC("WRITE(6) rom", R, 6, 0x0a, 0, 0, 0x10, 1, 0),
	NSC("READ(6) rom", R, 6, 0x08, 0, 0, 0x10, 1, 0),
	OKC("READ(10) FUA DPO", D, 10, DIN,
	    F_BIO | SCST_CDB_FUA | SCST_CDB_DPO, 0x12345678, 16, 0, 0x28, 0x18,
	    0x12, 0x34, 0x56, 0x78, 0, 0, 0x10, 0),
	OKC("READ(10) group 0x1f", D, 10, DIN, F_BIO, 1, 0, 0, 0x28, 0, 0, 0,
	    0, 1, 0x1f, 0, 0, 0),
	BADC("READ(10) RDPROTECT", D, 10, IFC, 1, 5, 0x28, 0x20, 0, 0, 0, 0, 0,
	     0, 1, 0),
	BADC("READ(10) bit 0", D, 10, IFC, 1, 0, 0x28, 0x01, 0, 0, 0, 0, 0, 0,
	     1, 0),
	BADC("READ(10) group bit 5", D, 10, IFC, 6, 5, 0x28, 0, 0, 0, 0, 0,
	     0x20, 0, 1, 0),
	BADC("READ(10) NACA", D, 10, IFC, 9, 2, 0x28, 0, 0, 0, 0, 0, 0, 0, 1,
	     0x04),
	BADC("READ(10) LINK", D, 10, IFC, 9, 0, 0x28, 0, 0, 0, 0, 0, 0, 0, 1,
	     0x01),
	BADC("READ(10) FLAG", D, 10, IFC, 9, 1, 0x28, 0, 0, 0, 0, 0, 0, 0, 1,
	     0x02),
	OKC("READ(10) vendor control bits", D, 10, DIN, F_BIO, 0, 1, 0, 0x28,
	    0, 0, 0, 0, 0, 0, 0, 1, 0xc0),
	BADC("READ(10) short", D, 9, IFC, -1, -1, 0x28, 0, 0, 0, 0, 0, 0, 0,
	     1),
	OKC("READ(10) long buffer", D, 16, DIN, F_BIO, 5, 1, 0, 0x28, 0, 0, 0,
	    0, 5, 0, 0, 1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
	OKC("READ(12)", D, 12, DIN, F_BIO, 0xa0b0c0d0, 0x01020304, 0, 0xa8, 0,
	    0xa0, 0xb0, 0xc0, 0xd0, 1, 2, 3, 4, 0x05, 0),
	BADC("READ(12) streaming on disk", D, 12, IFC, 10, 7, 0xa8, 0, 0, 0, 0,
	     0, 0, 0, 0, 1, 0x80, 0),
	OKC("READ(16)", D, 16, DIN, F_BIO | SCST_CDB_FUA,
	    0x0102030405060708ULL, 0x10000, 0, 0x88, 0x08, 1, 2, 3, 4, 5, 6, 7,
	    8, 0, 1, 0, 0, 0, 0),
	BADC("READ(16) byte 14 bit 6", D, 16, IFC, 14, 6, 0x88, 0, 0, 0, 0, 0,
	     0, 0, 0, 0, 0, 0, 0, 1, 0x40, 0),
	OKC("WRITE(10)", D, 10, DOUT, F_BIO | F_WM | SCST_CDB_FUA, 0x100, 8, 0,
	    0x2a, 0x08, 0, 0, 1, 0, 0, 0, 8, 0),
	BADC("WRITE(10) bit 2", D, 10, IFC, 1, 2, 0x2a, 0x04, 0, 0, 1, 0, 0, 0,
	     8, 0),
	OKC("WRITE(12)", D, 12, DOUT, F_BIO | F_WM, 7, 0x10000, 0, 0xaa, 0, 0,
	    0, 0, 7, 0, 1, 0, 0, 0, 0),
	OKC("WRITE(16)", D, 16, DOUT, F_BIO | F_WM | SCST_CDB_DPO,
	    0xffffffffffULL, 3, 0, 0x8a, 0x10, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0, 0, 0, 3, 0, 0),
	BADC("WRITE(16) WRPROTECT", D, 16, IFC, 1, 7, 0x8a, 0x80),
	NSC("WRITE(10) rom", R, 10, 0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0),
	NSC("WRITE(12) rom", R, 12, 0xaa),
	NSC("WRITE(16) rom", R, 16, 0x8a),
	OKC("WRITE AND VERIFY(10) bytchk", D, 10, DOUT,
	    F_BIO | F_WM | SCST_CDB_BYTCHK, 9, 2, 0, 0x2e, 0x02, 0, 0, 0, 9, 0,
	    0, 2, 0),
	BADC("WRITE AND VERIFY(10) bytchk 2", D, 10, IFC, 1, 2, 0x2e, 0x04, 0,
	     0, 0, 9, 0, 0, 2, 0),
	BADC("WRITE AND VERIFY(10) FUA", D, 10, IFC, 1, 3, 0x2e, 0x08, 0, 0, 0,
	     9, 0, 0, 2, 0),
	OKC("WRITE AND VERIFY(12)", D, 12, DOUT, F_BIO | F_WM, 9, 2, 0, 0xae,
	    0, 0, 0, 0, 9, 0, 0, 0, 2, 0, 0),
	OKC("WRITE AND VERIFY(16)", D, 16, DOUT, F_BIO | F_WM | SCST_CDB_DPO,
	    9, 2, 0, 0x8e, 0x10, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 2, 0, 0),
	NSC("WRITE AND VERIFY(10) rom", R, 10, 0x2e),
	OKC("VERIFY(10) no data", D, 10, DNONE, F_BIO | SCST_CDB_NO_DATA, 4,
	    100, 0, 0x2f, 0, 0, 0, 0, 4, 0, 0, 100, 0),
	OKC("VERIFY(10) bytchk 1", D, 10, DOUT, F_BIO | SCST_CDB_BYTCHK, 4,
	    100, 0, 0x2f, 0x02, 0, 0, 0, 4, 0, 0, 100, 0),
	OKC("VERIFY(10) bytchk 3", D, 10, DOUT,
	    F_BIO | SCST_CDB_BYTCHK | SCST_CDB_DATA_ONE_BLOCK, 4, 100, 0, 0x2f,
	    0x06, 0, 0, 0, 4, 0, 0, 100, 0),
	BADC("VERIFY(10) bytchk 2", D, 10, IFC, 1, 2, 0x2f, 0x04, 0, 0, 0, 4,
	     0, 0, 100, 0),
	BADC("VERIFY(10) VRPROTECT", D, 10, IFC, 1, 7, 0x2f, 0xe0),
	OKC("VERIFY(12)", D, 12, DOUT, F_BIO | SCST_CDB_BYTCHK, 4, 100, 0, 0xaf,
	    0x02, 0, 0, 0, 4, 0, 0, 0, 100, 0, 0),
	OKC("VERIFY(16)", D, 16, DNONE, F_BIO | SCST_CDB_NO_DATA, 4, 100, 0,
	    0x8f, 0x10, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 100, 0, 0),
	OKC("SYNC CACHE(10) all", D, 10, DNONE,
	    F_BIO | SCST_CDB_IMMED | SCST_CDB_NO_DATA | SCST_CDB_ZERO_TO_END,
	    0, 0, 0, 0x35, 0x02),
	OKC("SYNC CACHE(10) SYNC_NV ignored", D, 10, DNONE, F_BIO, 0x10, 0x20,
	    0, 0x35, 0x04, 0, 0, 0, 0x10, 0, 0, 0x20, 0),
	BADC("SYNC CACHE(10) bit 0", D, 10, IFC, 1, 0, 0x35, 0x01),
	OKC("SYNC CACHE(16)", D, 16, DNONE, F_BIO | SCST_CDB_NO_DATA, 1, 2, 0,
	    0x91, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0),
	NSC("SYNC CACHE(10) rom", R, 10, 0x35),
	OKC("PRE-FETCH(10)", D, 10, DNONE,
	    F_BIO | SCST_CDB_IMMED | SCST_CDB_NO_DATA, 0x40, 0x80, 0, 0x34,
	    0x02, 0, 0, 0, 0x40, 0, 0, 0x80, 0),
	BADC("PRE-FETCH(10) bit 0", D, 10, IFC, 1, 0, 0x34, 0x01),
	OKC("PRE-FETCH(16) to end", D, 16, DNONE,
	    F_BIO | SCST_CDB_NO_DATA | SCST_CDB_ZERO_TO_END, 0x40, 0, 0, 0x90,
	    0, 0, 0, 0, 0, 0, 0, 0, 0x40),
	NSC("PRE-FETCH(16) rom", R, 16, 0x90),
	OKC("WRITE SAME(10) UNMAP", D, 10, DOUT,
	    F_BIO | F_WM | SCST_CDB_UNMAP_BIT | SCST_CDB_DATA_ONE_BLOCK, 0x20,
	    8, 0, 0x41, 0x08, 0, 0, 0, 0x20, 0, 0, 8, 0),
	OKC("WRITE SAME(10) zero len", D, 10, DOUT,
	    F_BIO | SCST_CDB_ZERO_TO_END | SCST_CDB_ANCHOR, 0, 0, 0, 0x41,
	    0x18),
	BADC("WRITE SAME(10) PBDATA", D, 10, IFC, 1, 2, 0x41, 0x04),
	BADC("WRITE SAME(10) LBDATA", D, 10, IFC, 1, 1, 0x41, 0x02),
	BADC("WRITE SAME(10) NDOB bit", D, 10, IFC, 1, 0, 0x41, 0x01),
	OKC("WRITE SAME(16) NDOB", D, 16, DNONE,
	    F_BIO | F_WM | SCST_CDB_NDOB | SCST_CDB_NO_DATA |
	    SCST_CDB_UNMAP_BIT, 0x100000000ULL, 0x800, 0, 0x93, 0x09, 0, 0, 0,
	    1, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0),
	NSC("WRITE SAME(16) rom", R, 16, 0x93),
	OKC("UNMAP", D, 10, DOUT, F_WM, 0, 0, 24, 0x42, 0, 0, 0, 0, 0, 0, 0, 24,
	    0),
	OKC("UNMAP anchor", D, 10, DOUT, F_WM | SCST_CDB_ANCHOR, 0, 0, 24, 0x42,
	    1, 0, 0, 0, 0, 0, 0, 24, 0),
	BADC("UNMAP reserved byte 2", D, 10, IFC, 2, 0, 0x42, 0, 1, 0, 0, 0, 0,
	     0, 24, 0),
	OKC("COMPARE AND WRITE", D, 16, DOUT,
	    F_BIO | F_WM | SCST_CDB_DATA_TWICE | SCST_CDB_FUA, 0x1234, 4, 0,
	    0x89, 0x08, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 4, 0, 0),
	BADC("COMPARE AND WRITE byte 10", D, 16, IFC, 10, 0, 0x89, 0, 0, 0, 0,
	     0, 0, 0, 0, 0, 1, 0, 0, 4, 0, 0),
	OKC("FORMAT UNIT", D, 6, DNONE, F_WM, 0, 0, 0, 0x04),
	OKC("FORMAT UNIT FMTDATA", D, 6, DOUT, F_WM | SCST_CDB_VAR_DATA_LEN, 0,
	    0, 4, 0x04, 0x10),
	OKC("FORMAT UNIT LONGLIST", D, 6, DOUT, SCST_CDB_VAR_DATA_LEN, 0, 0, 8,
	    0x04, 0x30, 0xaa, 0x12, 0x34, 0),
	BADC("FORMAT UNIT FMTPINFO", D, 6, IFC, 1, 7, 0x04, 0x80),
	NSC("FORMAT UNIT rom", R, 6, 0x04),
	OKC("READ CAPACITY(10)", D, 10, DIN, SCST_CDB_SPC2_ALLOWED, 0, 0, 8,
	    0x25),
	OKC("READ CAPACITY(10) PMI", R, 10, DIN, 0, 0, 0, 8, 0x25, 0, 0, 0, 1,
	    0, 0, 0, 1, 0),
	BADC("READ CAPACITY(10) LBA w/o PMI", D, 10, IFC, 2, 7, 0x25, 0, 0, 0,
	     1, 0, 0, 0, 0, 0),
	BADC("READ CAPACITY(10) RELADR", D, 10, IFC, 1, 0, 0x25, 1),
	OKC("READ CAPACITY(16)", D, 16, DIN, F_SA, 0, 0, 32, 0x9e, 0x10, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0),
	BADC("READ CAPACITY(16) LBA w/o PMI", D, 16, IFC, 2, 7, 0x9e, 0x10, 0,
	     0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 32, 0, 0),
	BADC("READ CAPACITY(16) byte 1 bit 5", D, 16, IFC, 1, 5, 0x9e, 0x30),
	NSC("READ CAPACITY(16) rom", R, 16, 0x9e, 0x10),
	OKC("GET LBA STATUS", D, 16, DIN, F_SA | SCST_CDB_HAS_LBA,
	    0x0102030405060708ULL, 0, 24, 0x9e, 0x12, 1, 2, 3, 4, 5, 6, 7, 8,
	    0, 0, 0, 24, 0, 0),
	BADC("SERVICE ACTION IN unknown SA", D, 16, IFC, 1, 4, 0x9e, 0x11),
	NSC("EXTENDED COPY", D, 16, 0x83),
	NSC("opcode 0xff", D, 16, 0xff),
	NSC("tape type", 1, 6, 0x12, 0, 0, 0, 36, 0),

	/* MMC-6 */
	OKC("READ TOC", R, 10, DIN, SCST_CDB_NEEDS_MEDIUM, 0, 0, 12, 0x43,
	    0x02, 0, 0, 0, 0, 1, 0, 12, 0x40),
	OKC("READ TOC full", R, 10, DIN, 0, 0, 0, 0xfffe, 0x43, 0, 2, 0, 0, 0,
	    1, 0xff, 0xfe, 0),
	BADC("READ TOC format 6", R, 10, IFC, 2, 3, 0x43, 0, 6, 0, 0, 0, 0, 0,
	     12, 0),
	BADC("READ TOC byte 1 bit 0", R, 10, IFC, 1, 0, 0x43, 1),
	NSC("READ TOC disk", D, 10, 0x43),
	OKC("GET CONFIGURATION", R, 10, DIN, SCST_CDB_UA_EXEMPT, 0, 0, 8, 0x46,
	    0x02, 0, 0, 0, 0, 0, 0, 8, 0),
	BADC("GET CONFIGURATION RT 3", R, 10, IFC, 1, 1, 0x46, 0x03, 0, 0, 0,
	     0, 0, 0, 8, 0),
	NSC("GET CONFIGURATION disk", D, 10, 0x46, 0x02),
	OKC("GESN", R, 10, DIN, SCST_CDB_UA_EXEMPT, 0, 0, 8, 0x4a, 0x01, 0, 0,
	    0x10, 0, 0, 0, 8, 0),
	BADC("GESN async", R, 10, IFC, 1, 0, 0x4a, 0, 0, 0, 0x10, 0, 0, 0, 8,
	     0),
	OKC("READ DISC INFORMATION", R, 10, DIN, 0, 0, 0, 34, 0x51, 0, 0, 0, 0,
	    0, 0, 0, 34, 0),
	BADC("READ DISC INFORMATION type 3", R, 10, IFC, 1, 2, 0x51, 3, 0, 0,
	     0, 0, 0, 0, 34, 0),
	OKC("READ TRACK INFORMATION", R, 10, DIN, 0, 0, 0, 28, 0x52, 0x01, 0,
	    0, 0, 1, 0, 0, 28, 0),
	BADC("READ TRACK INFORMATION type 3", R, 10, IFC, 1, 1, 0x52, 0x03, 0,
	     0, 0, 1, 0, 0, 28, 0),
	OKC("MECHANISM STATUS", R, 12, DIN, 0, 0, 0, 8, 0xbd, 0, 0, 0, 0, 0, 0,
	    0, 0, 8, 0, 0),
	BADC("MECHANISM STATUS byte 2", R, 12, IFC, 2, 0, 0xbd, 0, 1),
	OKC("GET PERFORMANCE write speed", R, 12, DIN, 0, 0, 0, 8 + 2 * 16,
	    0xac, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0x03, 0),
	OKC("GET PERFORMANCE exceptions", R, 12, DIN, 0, 0, 0, 8 + 10 * 6,
	    0xac, 0x01, 0, 0, 0, 0, 0, 0, 0, 10, 0x00, 0),
	BADC("GET PERFORMANCE type 2", R, 12, IFC, 10, 7, 0xac, 0, 0, 0, 0, 0,
	     0, 0, 0, 1, 0x02, 0),
	OKC("SET CD SPEED", R, 12, DNONE, 0, 0, 0, 0, 0xbb, 0, 0xff, 0xff,
	    0xff, 0xff),
	BADC("SET CD SPEED byte 6", R, 12, IFC, 6, 7, 0xbb, 0, 0xff, 0xff,
	     0xff, 0xff, 0x80),
	OKC("READ SUB-CHANNEL", R, 10, DIN, 0, 0, 0, 16, 0x42, 0x02, 0x40, 1, 0,
	    0, 0, 0, 16, 0),
	BADC("READ SUB-CHANNEL code 0", R, 10, IFC, 3, 7, 0x42, 0x02, 0x40, 0,
	     0, 0, 0, 0, 16, 0),
	OKC("READ DISC STRUCTURE", R, 12, DIN, 0, 0, 0, 0x804, 0xad, 0, 0, 0,
	    0, 0, 0, 0, 0x08, 0x04, 0, 0),
	OKC("READ(10) rom", R, 10, DIN, F_BIO, 16, 1, 0, 0x28, 0, 0, 0, 0, 16,
	    0, 0, 1, 0),
	BADC("READ(10) rom group", R, 10, IFC, 6, 0, 0x28, 0, 0, 0, 0, 16, 1,
	     0, 1, 0),
	BADC("READ(10) rom RARC", R, 10, IFC, 1, 2, 0x28, 0x04, 0, 0, 0, 16, 0,
	     0, 1, 0),
	OKC("READ(12) rom streaming", R, 12, DIN, F_BIO, 16, 2, 0, 0xa8, 0, 0,
	    0, 0, 16, 0, 0, 0, 2, 0x80, 0),
	OKC("READ CAPACITY(10) rom", R, 10, DIN, 0, 0, 0, 8, 0x25),
	OKC("MODE SENSE(10) rom", R, 10, DIN, 0, 0, 0, 0x2a, 0x5a, 0, 0x2a, 0,
	    0, 0, 0, 0, 0x2a, 0),
	NSC("UNMAP-as-rom is READ SUB-CHANNEL, disk READ TOC", D, 10, 0x43),
};

static void run_case(const struct dcase *c)
{
	struct scst_cdb_info ci;
	struct scst_cdb_err err;
	int ret;

	ret = scst_cdb_decode(c->cdb, c->len, c->type, &ci, &err);
	if (ret != c->ret)
		fprintf(stderr, "\n%s: ret %d, expected %d (field %u bit %d)\n",
			c->what, ret, c->ret, err.field, err.bit);
	CU_ASSERT_EQUAL(ret, c->ret);
	if (ret != c->ret || ret == NOTSUP)
		return;
	CU_ASSERT_EQUAL(ci.opcode, c->cdb[0]);
	if (ret == BAD) {
		int field = err.sksv ? err.field : -1;

		if (err.asc != c->asc || field != c->field ||
		    (field >= 0 && err.bit != c->bit))
			fprintf(stderr, "\n%s: asc %02x field %d bit %d\n",
				c->what, err.asc, field, err.bit);
		CU_ASSERT_EQUAL(err.key, 0x05);
		CU_ASSERT_EQUAL(err.asc, c->asc);
		CU_ASSERT_EQUAL(field, c->field);
		if (field >= 0)
			CU_ASSERT_EQUAL(err.bit, c->bit);
		return;
	}
	if (ci.dir != c->dir || (ci.flags & c->flags) != c->flags ||
	    ci.lba != c->lba || ci.nblocks != c->nblocks ||
	    ci.data_len != c->data_len)
		fprintf(stderr, "\n%s: dir %d flags %x lba %llx nb %u dl %u\n",
			c->what, ci.dir, ci.flags, (unsigned long long)ci.lba,
			ci.nblocks, ci.data_len);
	CU_ASSERT_EQUAL(ci.dir, c->dir);
	CU_ASSERT_EQUAL(ci.flags & c->flags, c->flags);
	CU_ASSERT_EQUAL(ci.lba, c->lba);
	CU_ASSERT_EQUAL(ci.nblocks, c->nblocks);
	CU_ASSERT_EQUAL(ci.data_len, c->data_len);
	CU_ASSERT_PTR_NOT_NULL(ci.name);
	CU_ASSERT(ci.cdb_len <= c->len);
}

static void test_cases(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

static unsigned int group_len(u8 opcode)
{
	static const u8 len[8] = { 6, 10, 10, 0, 16, 12, 0, 0 };

	return len[opcode >> 5];
}

static void test_table_sanity(void)
{
	unsigned int i, j;

	for (i = 0; i < scst_cdb_table_len; i++) {
		const struct scst_cdb_opdesc *d = &scst_cdb_table[i].d;

		CU_ASSERT_PTR_NOT_NULL(d->name);
		CU_ASSERT_EQUAL(d->usage[0], d->opcode);
		CU_ASSERT_EQUAL(d->cdb_len, group_len(d->opcode));
		CU_ASSERT_EQUAL(d->usage[d->cdb_len - 1], 0);
		CU_ASSERT_NOT_EQUAL(d->types, 0);
		for (j = d->cdb_len; j < SCST_MAX_CDB_LEN; j++)
			CU_ASSERT_EQUAL(d->usage[j] | d->ignore[j], 0);
		for (j = 0; j < d->xfer_size; j++)
			CU_ASSERT_EQUAL(d->usage[d->xfer_off + j], 0xff);
		for (j = 0; j < d->lba_size; j++)
			CU_ASSERT_EQUAL(d->usage[d->lba_off + j], 0xff);
		CU_ASSERT(d->xfer_off + d->xfer_size < d->cdb_len);
		CU_ASSERT(d->lba_off + d->lba_size < d->cdb_len);
		CU_ASSERT_EQUAL(!!(d->flags & SCST_CDB_SERVICE_ACTION),
				scst_cdb_opcode_has_sa(d->opcode));
		if (d->flags & SCST_CDB_SERVICE_ACTION) {
			CU_ASSERT_EQUAL(d->usage[1] & 0x1f, d->sa);
		} else {
			CU_ASSERT_EQUAL(d->sa, 0);
		}
		if (d->flags & SCST_CDB_WRITES_MEDIUM)
			CU_ASSERT_EQUAL(d->types & (1u << SCST_TYPE_ROM), 0);
		if (!i)
			continue;
		/* sorted, and no (opcode, sa) twice for one type */
		const struct scst_cdb_opdesc *p = &scst_cdb_table[i - 1].d;

		CU_ASSERT(p->opcode < d->opcode ||
			  (p->opcode == d->opcode && p->sa <= d->sa));
		for (j = 0; j < i; j++) {
			p = &scst_cdb_table[j].d;
			if (p->opcode == d->opcode && p->sa == d->sa)
				CU_ASSERT_EQUAL(p->types & d->types, 0);
		}
	}
}

static void test_iterator(void)
{
	const struct scst_cdb_opdesc *d, *prev = NULL;
	unsigned int pos = 0, n = 0;

	while ((d = scst_cdb_opcode_next(SCST_TYPE_DISK, &pos))) {
		CU_ASSERT(d->types & 1);
		if (prev)
			CU_ASSERT(prev->opcode < d->opcode ||
				  (prev->opcode == d->opcode &&
				   prev->sa < d->sa));
		CU_ASSERT_PTR_EQUAL(scst_cdb_opcode_find(SCST_TYPE_DISK,
							 d->opcode, d->sa), d);
		prev = d;
		n++;
	}
	CU_ASSERT(n > 50);
	pos = 0;
	n = 0;
	while ((d = scst_cdb_opcode_next(SCST_TYPE_ROM, &pos))) {
		CU_ASSERT(d->types & (1u << SCST_TYPE_ROM));
		n++;
	}
	CU_ASSERT(n > 30);
	pos = 0;
	CU_ASSERT_PTR_NULL(scst_cdb_opcode_next(1, &pos));
	CU_ASSERT_PTR_NULL(scst_cdb_opcode_next(200, &pos));

	d = scst_cdb_opcode_find(SCST_TYPE_DISK, 0x9e, 0x10);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->usage[1], 0x10);
	CU_ASSERT_EQUAL(d->usage[14], 0x01);
	CU_ASSERT_EQUAL(d->cdb_len, 16);
	CU_ASSERT_PTR_NULL(scst_cdb_opcode_find(SCST_TYPE_DISK, 0x9e, 0x11));
	CU_ASSERT_PTR_NULL(scst_cdb_opcode_find(SCST_TYPE_ROM, 0x9e, 0x10));
	d = scst_cdb_opcode_find(SCST_TYPE_ROM, 0x28, 0x1234);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->usage[1], 0x18);
	d = scst_cdb_opcode_find(SCST_TYPE_DISK, 0x28, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->usage[1], 0x1e);
	CU_ASSERT_EQUAL(d->usage[6], 0x1f);
	CU_ASSERT_PTR_NULL(scst_cdb_opcode_find(SCST_TYPE_ROM, 0x2a, 0));
	CU_ASSERT_PTR_NULL(scst_cdb_opcode_find(SCST_TYPE_DISK, 0x83, 0));
	CU_ASSERT(scst_cdb_opcode_has_sa(0xa3));
	CU_ASSERT(!scst_cdb_opcode_has_sa(0x28));
}

static int decode(u8 type, const u8 *cdb, unsigned int len,
		  struct scst_cdb_info *ci)
{
	struct scst_cdb_err err;

	return scst_cdb_decode(cdb, len, type, ci, &err);
}

static void test_data_len(void)
{
	static const u8 rd[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 16, 0 };
	static const u8 v0[10] = { 0x2f, 0, 0, 0, 0, 0, 0, 0, 16, 0 };
	static const u8 v3[10] = { 0x2f, 6, 0, 0, 0, 0, 0, 0, 16, 0 };
	static const u8 ws[10] = { 0x41, 0, 0, 0, 0, 0, 0, 0, 16, 0 };
	static const u8 caw[16] = { 0x89, [13] = 16 };
	static const u8 inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	static const u8 sc[10] = { 0x35, 0, 0, 0, 0, 0, 0, 0, 16, 0 };
	struct scst_cdb_info ci;

	CU_ASSERT_EQUAL_FATAL(decode(0, rd, 10, &ci), 0);
	CU_ASSERT_EQUAL(scst_cdb_data_len(&ci, 512), 8192);
	CU_ASSERT_EQUAL(scst_cdb_data_len(&ci, 4096), 65536);
	CU_ASSERT_EQUAL_FATAL(decode(0, v0, 10, &ci), 0);
	CU_ASSERT_EQUAL(scst_cdb_data_len(&ci, 512), 0);
	CU_ASSERT_EQUAL_FATAL(decode(0, v3, 10, &ci), 0);
	CU_ASSERT_EQUAL(scst_cdb_data_len(&ci, 512), 512);
	CU_ASSERT_EQUAL_FATAL(decode(0, ws, 10, &ci), 0);
	CU_ASSERT_EQUAL(scst_cdb_data_len(&ci, 4096), 4096);
	CU_ASSERT_EQUAL_FATAL(decode(0, caw, 16, &ci), 0);
	CU_ASSERT_EQUAL(scst_cdb_data_len(&ci, 512), 16384);
	CU_ASSERT_EQUAL_FATAL(decode(0, inq, 6, &ci), 0);
	CU_ASSERT_EQUAL(scst_cdb_data_len(&ci, 512), 36);
	CU_ASSERT_EQUAL_FATAL(decode(0, sc, 10, &ci), 0);
	CU_ASSERT_EQUAL(scst_cdb_data_len(&ci, 512), 0);
	CU_ASSERT_EQUAL(ci.nblocks, 16);
	CU_ASSERT_EQUAL(ci.flags & SCST_CDB_ZERO_TO_END, 0);
}

static void test_info_fields(void)
{
	static const u8 rc16[16] = { 0x9e, 0x10, [13] = 32 };
	static const u8 pro[10] = { 0x5f, 0x05, 0x03, [8] = 24 };
	static const u8 ss[6] = { 0x1b, 0, 0, 0, 0x01, 0 };
	static const u8 ss_pc[6] = { 0x1b, 0, 0, 0, 0x11, 0 };
	static const u8 pa0[6] = { 0x1e, 0, 0, 0, 0, 0 };
	static const u8 pa1[6] = { 0x1e, 0, 0, 0, 1, 0 };
	static const u8 rd[10] = { 0x28, [8] = 1 };
	static const u8 wr[10] = { 0x2a, [8] = 1 };
	struct scst_cdb_info ci;
	struct scst_cdb_err err;

	CU_ASSERT_EQUAL_FATAL(decode(0, rc16, 16, &ci), 0);
	CU_ASSERT_EQUAL(ci.service_action, 0x10);
	CU_ASSERT_EQUAL(ci.cdb_len, 16);
	CU_ASSERT_STRING_EQUAL(ci.name, "READ CAPACITY(16)");
	CU_ASSERT_EQUAL(ci.resv, SCST_RESV_ALLOWED);
	CU_ASSERT_EQUAL_FATAL(decode(0, pro, 10, &ci), 0);
	CU_ASSERT_EQUAL(ci.service_action, 5);
	CU_ASSERT_EQUAL(ci.resv, SCST_RESV_PR_OUT);
	CU_ASSERT_EQUAL_FATAL(decode(0, ss, 6, &ci), 0);
	CU_ASSERT_EQUAL(ci.resv, SCST_RESV_ALLOWED);
	CU_ASSERT(ci.flags & SCST_CDB_SPC2_ALLOWED);
	CU_ASSERT_EQUAL_FATAL(decode(0, ss_pc, 6, &ci), 0);
	CU_ASSERT_EQUAL(ci.resv, SCST_RESV_WRITE);
	CU_ASSERT_EQUAL_FATAL(decode(5, pa0, 6, &ci), 0);
	CU_ASSERT_EQUAL(ci.resv, SCST_RESV_ALLOWED);
	CU_ASSERT_EQUAL_FATAL(decode(5, pa1, 6, &ci), 0);
	CU_ASSERT_EQUAL(ci.resv, SCST_RESV_WRITE);
	CU_ASSERT_EQUAL_FATAL(decode(0, rd, 10, &ci), 0);
	CU_ASSERT_EQUAL(ci.resv, SCST_RESV_READ);
	CU_ASSERT_EQUAL(ci.flags & SCST_CDB_WRITES_MEDIUM, 0);
	CU_ASSERT_EQUAL_FATAL(decode(0, wr, 10, &ci), 0);
	CU_ASSERT_EQUAL(ci.resv, SCST_RESV_WRITE);

	/* error paths keep the command identity for logging */
	CU_ASSERT_EQUAL(scst_cdb_decode(wr, 5, 0, &ci, &err), -EINVAL);
	CU_ASSERT_EQUAL(ci.opcode, 0x2a);
	CU_ASSERT_STRING_EQUAL(ci.name, "WRITE(10)");
	CU_ASSERT_FALSE(err.sksv);
	CU_ASSERT_EQUAL(err.asc, 0x24);
	CU_ASSERT_EQUAL(scst_cdb_decode(wr, 0, 0, &ci, &err), -EINVAL);
	CU_ASSERT_EQUAL(scst_cdb_decode(pro, 1, 0, &ci, &err), -EINVAL);
	CU_ASSERT_EQUAL(scst_cdb_decode(pro, 1, 1, &ci, &err), -EOPNOTSUPP);
}

static const struct test_def cdb_tests[] = {
	{ "decode cases", test_cases },
	{ "table sanity", test_table_sanity },
	{ "opcode iterator and find", test_iterator },
	{ "data length helper", test_data_len },
	{ "info fields", test_info_fields },
	{ NULL, NULL },
};

int register_cdb_tests(void)
{
	return register_suite("cdb", cdb_tests);
}
