// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_cdb_pt.c - unit tests for the pass-through CDB helpers
 */
#include <string.h>
#include <CUnit/CUnit.h>

#include "scst_cdb_pt.h"
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
	{ "READ/WRITE split", test_split },
	{ NULL, NULL },
};

int register_cdb_pt_tests(void)
{
	return register_suite("cdb_pt", pt_tests);
}
