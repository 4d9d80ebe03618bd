// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_cdb_pt.c - unit tests for the pass-through CDB helpers
 */
#include <string.h>
#include <CUnit/CUnit.h>

#include "scst_cdb_pt.h"
#include "scst_resv.h"
#include "tests.h"

static int decode(const u8 *cdb, unsigned int len, u8 type,
		  enum scst_data_dir dir, u32 exp, struct scst_cdb_info *ci)
{
	struct scst_cdb_err err;

	return scst_cdb_decode_pt(cdb, len, type, dir, exp, ci, &err);
}

/* Commands of the table keep the table's decoding. */
static void test_known(void)
{
	static const u8 rd10[10] = { 0x28, 0, 0, 0, 0x10, 0, 0, 0, 8, 0 };
	static const u8 rd10_bad[10] = { 0x28, 0, 0, 0, 0, 0, 0x40, 0, 8, 0 };
	struct scst_cdb_info ci;

	CU_ASSERT_EQUAL(decode(rd10, 10, 0, SCST_DIR_READ, 999, &ci), 0);
	CU_ASSERT(ci.flags & SCST_CDB_BLOCKIO);
	CU_ASSERT_EQUAL(ci.lba, 0x1000);
	CU_ASSERT_EQUAL(ci.nblocks, 8);
	/* reserved bits are still refused */
	CU_ASSERT_EQUAL(decode(rd10_bad, 10, 0, SCST_DIR_READ, 4096, &ci),
			-EINVAL);
}

/* SPC commands are recognised for every type, as for a disk. */
static void test_spc_any_type(void)
{
	static const u8 inq[6] = { 0x12, 0, 0, 0, 96, 0 };
	static const u8 rl[12] = { 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 };
	static const u8 res6[6] = { 0x16 };
	static const u8 prin[10] = { 0x5e, 0, 0, 0, 0, 0, 0, 0, 8, 0 };
	const u8 types[] = { 1, 3, 7, 8, 0x0c };
	struct scst_cdb_info ci;
	unsigned int i;

	for (i = 0; i < sizeof(types); i++) {
		CU_ASSERT_EQUAL(decode(inq, 6, types[i], SCST_DIR_READ, 96,
				       &ci), 0);
		CU_ASSERT(ci.flags & SCST_CDB_UA_EXEMPT);
		CU_ASSERT_EQUAL(ci.data_len, 96);
		CU_ASSERT_EQUAL(decode(rl, 12, types[i], SCST_DIR_READ, 256,
				       &ci), 0);
		CU_ASSERT_EQUAL(ci.opcode, 0xa0);
		CU_ASSERT_EQUAL(ci.data_len, 256);
		CU_ASSERT_EQUAL(decode(res6, 6, types[i], SCST_DIR_NONE, 0,
				       &ci), 0);
		CU_ASSERT_EQUAL(ci.resv, SCST_RESV_SPC2);
		CU_ASSERT_EQUAL(decode(prin, 10, types[i], SCST_DIR_READ, 8,
				       &ci), 0);
		CU_ASSERT_EQUAL(ci.opcode, 0x5e);
	}
}

/* Unknown commands take the transport's direction and length. */
static void test_raw(void)
{
	static const u8 tape_wr[6] = { 0x0a, 0x00, 0x02, 0x00, 0x00, 0 };
	static const u8 tape_rd[6] = { 0x08, 0x01, 0x00, 0x00, 0x10, 0 };
	static const u8 wfm[6] = { 0x10, 0, 0, 0, 1, 0 };
	static const u8 vendor[10] = { 0xc0 };
	struct scst_cdb_info ci;

	CU_ASSERT_EQUAL(decode(tape_wr, 6, 1, SCST_DIR_WRITE, 131072, &ci), 0);
	CU_ASSERT_EQUAL(ci.dir, SCST_DIR_WRITE);
	CU_ASSERT_EQUAL(ci.data_len, 131072);
	CU_ASSERT(ci.flags & SCST_CDB_WRITES_MEDIUM);
	CU_ASSERT_FALSE(ci.flags & SCST_CDB_BLOCKIO);
	CU_ASSERT_FALSE(ci.flags & SCST_CDB_UA_EXEMPT);
	CU_ASSERT_EQUAL(decode(tape_rd, 6, 1, SCST_DIR_READ, 8192, &ci), 0);
	CU_ASSERT_EQUAL(ci.dir, SCST_DIR_READ);
	CU_ASSERT_EQUAL(ci.data_len, 8192);
	CU_ASSERT_FALSE(ci.flags & SCST_CDB_WRITES_MEDIUM);
	CU_ASSERT_EQUAL(decode(wfm, 6, 1, SCST_DIR_NONE, 0, &ci), 0);
	CU_ASSERT_EQUAL(ci.dir, SCST_DIR_NONE);
	CU_ASSERT_EQUAL(ci.data_len, 0);
	/* a direction without length is no transfer */
	CU_ASSERT_EQUAL(decode(vendor, 10, 0, SCST_DIR_READ, 0, &ci), 0);
	CU_ASSERT_EQUAL(ci.dir, SCST_DIR_NONE);
	CU_ASSERT_EQUAL(decode(vendor, 10, 0, SCST_DIR_BIDI, 512, &ci),
			-EINVAL);
	CU_ASSERT_EQUAL(decode(vendor, 0, 0, SCST_DIR_NONE, 0, &ci), -EINVAL);
}

/* A service action the table lacks goes to the device; known ones not. */
static void test_unknown_sa(void)
{
	static const u8 gss[16] = { 0x9e, 0x16, [13] = 0x40 };
	static const u8 rc16[16] = { 0x9e, 0x10, [13] = 0x20 };
	struct scst_cdb_info ci;

	CU_ASSERT_EQUAL(decode(gss, 16, 0, SCST_DIR_READ, 64, &ci), 0);
	CU_ASSERT_STRING_EQUAL(ci.name, "pass-through");
	CU_ASSERT_EQUAL(ci.data_len, 64);
	CU_ASSERT_EQUAL(decode(rc16, 16, 0, SCST_DIR_READ, 32, &ci), 0);
	CU_ASSERT_STRING_NOT_EQUAL(ci.name, "pass-through");
	CU_ASSERT_EQUAL(ci.data_len, 32);
}

/*
 * Unknown commands change the medium unless allow-listed, whatever their
 * direction: refused on read-only LUNs, a conflict under Write Exclusive
 * held by another nexus.
 */
static void expect_writes(const u8 *cdb, unsigned int len, u8 type,
			  enum scst_data_dir dir, u32 exp)
{
	struct scst_cdb_info ci;

	CU_ASSERT_EQUAL_FATAL(decode(cdb, len, type, dir, exp, &ci), 0);
	CU_ASSERT(ci.flags & SCST_CDB_WRITES_MEDIUM);
	CU_ASSERT_EQUAL(ci.resv, SCST_RESV_WRITE);
	CU_ASSERT(scst_resv_pr_conflict(&ci, SCST_PR_TYPE_WE, false, false));
	CU_ASSERT_FALSE(scst_resv_pr_conflict(&ci, SCST_PR_TYPE_WE, true,
					      true));
}

static void expect_harmless(const u8 *cdb, unsigned int len, u8 type,
			    enum scst_data_dir dir, u32 exp)
{
	struct scst_cdb_info ci;

	CU_ASSERT_EQUAL_FATAL(decode(cdb, len, type, dir, exp, &ci), 0);
	CU_ASSERT_STRING_EQUAL(ci.name, "pass-through");
	CU_ASSERT_FALSE(ci.flags & SCST_CDB_WRITES_MEDIUM);
	CU_ASSERT_EQUAL(ci.resv, SCST_RESV_READ);
	CU_ASSERT_FALSE(scst_resv_pr_conflict(&ci, SCST_PR_TYPE_WE, false,
					      false));
	CU_ASSERT(scst_resv_pr_conflict(&ci, SCST_PR_TYPE_EA, false, false));
}

static void test_medium_changing(void)
{
	static const u8 sanitize[10] = { 0x48, 0x01 };	/* OVERWRITE */
	static const u8 wrlong[10] = { 0x3f, 0x80 };	/* WR_UNCOR */
	static const u8 wrlong16[16] = { 0x9f, 0x91 };	/* WRITE LONG(16) */
	static const u8 ata16[16] = { 0x85, 0x06, 0x20 };	/* non-data */
	static const u8 ata12_in[12] = { 0xa1, 0x08, 0x0e, [9] = 0xec };
	static const u8 fmt[6] = { 0x04 };
	static const u8 vendor[10] = { 0xc0 };
	static const u8 wfm[6] = { 0x10, 0, 0, 0, 1, 0 };
	static const u8 erase[6] = { 0x19, 0x01 };
	static const u8 load[6] = { 0x1b, 0, 0, 0, 0, 0 };
	static const u8 move[12] = { 0xa5 };
	static const u8 mnt_out[12] = { 0xa4, 0x0a };
	static const u8 rdpos[10] = { 0x34, 0x06 };
	static const u8 rewind[6] = { 0x01 };
	static const u8 tape_rd[6] = { 0x08, 0x01, 0, 0, 0x10, 0 };
	static const u8 logsense[10] = { 0x4d, 0, 0x40, [8] = 0xfc };
	static const u8 rdd[10] = { 0x37, 0, 0x18, [8] = 4 };
	static const u8 gss[16] = { 0x9e, 0x16, [13] = 0x40 };
	static const u8 rdcd[12] = { 0xbe, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const u8 res[12] = { 0xb8, 0x10, [9] = 0xff };
	static const u8 mnt_in[12] = { 0xa3, 0x0a, [9] = 0xff };
	static const u8 send_key[12] = { 0xa3, 0, [9] = 20 };
	const u8 types[] = { 0, 1, 5, 8, 3, 0x0c };
	unsigned int i;

	for (i = 0; i < sizeof(types); i++) {
		expect_writes(sanitize, 10, types[i], SCST_DIR_NONE, 0);
		expect_writes(ata16, 16, types[i], SCST_DIR_NONE, 0);
		/* even reading (IDENTIFY) through ATA PASS-THROUGH */
		expect_writes(ata12_in, 12, types[i], SCST_DIR_READ, 512);
		expect_writes(vendor, 10, types[i], SCST_DIR_NONE, 0);
		expect_writes(vendor, 10, types[i], SCST_DIR_READ, 64);
		expect_writes(move, 12, types[i], SCST_DIR_NONE, 0);
		/* the table has MAINTENANCE IN for disk and CD */
		if (types[i] == 0 || types[i] == 5)
			continue;
		expect_writes(mnt_out, 12, types[i], SCST_DIR_NONE, 0);
		/* SPC reporting commands are harmless for every type */
		expect_harmless(mnt_in, 12, types[i], SCST_DIR_READ, 255);
	}
	/* 0xa3 with a service action the table lacks: SEND KEY on a CD */
	expect_writes(send_key, 12, 5, SCST_DIR_WRITE, 20);
	expect_writes(wrlong, 10, 0, SCST_DIR_NONE, 0);
	expect_writes(wrlong16, 16, 0, SCST_DIR_NONE, 0);
	/* FORMAT UNIT of a disk is in the table; FORMAT MEDIUM of a tape */
	expect_writes(fmt, 6, 1, SCST_DIR_NONE, 0);
	expect_writes(fmt, 6, 8, SCST_DIR_NONE, 0);
	expect_writes(wfm, 6, 1, SCST_DIR_NONE, 0);
	expect_writes(erase, 6, 1, SCST_DIR_NONE, 0);
	expect_writes(load, 6, 1, SCST_DIR_NONE, 0);
	/* a tape's reading commands are not a disk's */
	expect_writes(rewind, 6, 3, SCST_DIR_NONE, 0);
	expect_writes(rdcd, 12, 1, SCST_DIR_READ, 2352);

	expect_harmless(rdpos, 10, 1, SCST_DIR_READ, 32);
	expect_harmless(rewind, 6, 1, SCST_DIR_NONE, 0);
	expect_harmless(tape_rd, 6, 1, SCST_DIR_READ, 8192);
	expect_harmless(logsense, 10, 1, SCST_DIR_READ, 252);
	expect_harmless(logsense, 10, 8, SCST_DIR_READ, 252);
	expect_harmless(rdd, 10, 0, SCST_DIR_READ, 4);
	expect_harmless(gss, 16, 0, SCST_DIR_READ, 64);
	expect_harmless(rdcd, 12, 5, SCST_DIR_READ, 2352);
	expect_harmless(res, 12, 8, SCST_DIR_READ, 255);
	CU_ASSERT_FALSE(scst_cdb_pt_harmless(0, 0x48));
	CU_ASSERT_FALSE(scst_cdb_pt_harmless(0, 0x85));
	CU_ASSERT_FALSE(scst_cdb_pt_harmless(0, 0xa1));
	CU_ASSERT_FALSE(scst_cdb_pt_harmless(1, 0x0a));
	CU_ASSERT(scst_cdb_pt_harmless(0x0c, 0x1a));
}

static void test_split(void)
{
	u8 c6[6] = { 0x08, 0xe0, 0, 0, 0, 0x5a };
	u8 c10[10] = { 0x2a, 0x08, 0, 0, 0, 0, 0x3f, 0, 0, 0x80 };
	u8 c12[12] = { 0xa8, 0 };
	u8 c16[16] = { 0x88, 0x10, [14] = 0x15 };
	static const u8 e10[10] = { 0x2a, 0x08, 0x01, 0x02, 0x03, 0x04, 0x3f,
				    0x00, 0x80, 0x80 };
	static const u8 e16[16] = { 0x88, 0x10, 0x01, 0x02, 0x03, 0x04, 0x05,
				    0x06, 0x07, 0x08, 0x00, 0x01, 0x00, 0x00,
				    0x15, 0x00 };

	CU_ASSERT_TRUE(scst_cdb_rw_splittable(0x2a));
	CU_ASSERT_FALSE(scst_cdb_rw_splittable(0x2f));	/* VERIFY */
	CU_ASSERT_FALSE(scst_cdb_rw_splittable(0x8e));	/* WRITE AND VERIFY */
	CU_ASSERT_EQUAL(scst_cdb_rw_max_blocks(0x0a), 256);
	CU_ASSERT_EQUAL(scst_cdb_rw_max_blocks(0x12), 0);

	CU_ASSERT_EQUAL(scst_cdb_rw_split(c6, 0x12345, 256), 0);
	CU_ASSERT_EQUAL(c6[1], 0xe1);
	CU_ASSERT_EQUAL(c6[2], 0x23);
	CU_ASSERT_EQUAL(c6[3], 0x45);
	CU_ASSERT_EQUAL(c6[4], 0);
	CU_ASSERT_EQUAL(c6[5], 0x5a);
	CU_ASSERT_EQUAL(scst_cdb_rw_split(c6, 0x200000, 1), -EINVAL);
	CU_ASSERT_EQUAL(scst_cdb_rw_split(c6, 0, 257), -EINVAL);

	CU_ASSERT_EQUAL(scst_cdb_rw_split(c10, 0x01020304, 0x80), 0);
	CU_ASSERT_EQUAL(memcmp(c10, e10, 10), 0);
	CU_ASSERT_EQUAL(scst_cdb_rw_split(c10, 0x100000000ULL, 1), -EINVAL);
	CU_ASSERT_EQUAL(scst_cdb_rw_split(c10, 0, 0x10000), -EINVAL);
	CU_ASSERT_EQUAL(scst_cdb_rw_split(c10, 0, 0), -EINVAL);

	CU_ASSERT_EQUAL(scst_cdb_rw_split(c12, 7, 0x10000), 0);
	CU_ASSERT_EQUAL(c12[5], 7);
	CU_ASSERT_EQUAL(c12[7], 1);
	CU_ASSERT_EQUAL(c12[8], 0);

	CU_ASSERT_EQUAL(scst_cdb_rw_split(c16, 0x0102030405060708ULL, 0x10000),
			0);
	CU_ASSERT_EQUAL(memcmp(c16, e16, 16), 0);
}

static const struct test_def pt_tests[] = {
	{ "known commands", test_known },
	{ "SPC commands for any type", test_spc_any_type },
	{ "unknown commands", test_raw },
	{ "unknown service actions", test_unknown_sa },
	{ "unknown commands change the medium", test_medium_changing },
	{ "READ/WRITE split", test_split },
	{ NULL, NULL },
};

int register_cdb_pt_tests(void)
{
	return register_suite("cdb_pt", pt_tests);
}
