// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_resv.c - unit tests for the reservation conflict helpers
 */
#include <CUnit/CUnit.h>

#include "scst_resv.h"
#include "tests.h"

static struct scst_cdb_info dec(const u8 *cdb, unsigned int len)
{
	struct scst_cdb_info ci;
	struct scst_cdb_err err;

	CU_ASSERT_EQUAL(scst_cdb_decode(cdb, len, SCST_TYPE_DISK, &ci, &err), 0);
	return ci;
}

/*
 * Expected conflicts, columns: WE, EA (non-holder), WE-RO registered,
 * WE-RO unregistered, EA-RO registered, EA-RO unregistered.
 */
static void check_row(const struct scst_cdb_info *ci, const char *row)
{
	CU_ASSERT_EQUAL(scst_resv_pr_conflict(ci, SCST_PR_TYPE_WE, false,
					      true), row[0] == 'C');
	CU_ASSERT_EQUAL(scst_resv_pr_conflict(ci, SCST_PR_TYPE_EA, false,
					      true), row[1] == 'C');
	CU_ASSERT_EQUAL(scst_resv_pr_conflict(ci, SCST_PR_TYPE_WE_RO, false,
					      true), row[2] == 'C');
	CU_ASSERT_EQUAL(scst_resv_pr_conflict(ci, SCST_PR_TYPE_WE_RO, false,
					      false), row[3] == 'C');
	CU_ASSERT_EQUAL(scst_resv_pr_conflict(ci, SCST_PR_TYPE_EA_AR, false,
					      true), row[4] == 'C');
	CU_ASSERT_EQUAL(scst_resv_pr_conflict(ci, SCST_PR_TYPE_EA_RO, false,
					      false), row[5] == 'C');
	/* the holder never conflicts */
	CU_ASSERT_FALSE(scst_resv_pr_conflict(ci, SCST_PR_TYPE_EA, true,
					      true));
	CU_ASSERT_FALSE(scst_resv_pr_conflict(ci, SCST_PR_TYPE_NONE, false,
					      false));
}

static void test_pr_classes(void)
{
	static const u8 inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	static const u8 rd[10] = { 0x28, [8] = 1 };
	static const u8 vfy[10] = { 0x2f, [8] = 1 };
	static const u8 wr[10] = { 0x2a, [8] = 1 };
	static const u8 ms[6] = { 0x1a, 0, 0x3f, 0, 0xff, 0 };
	static const u8 rc[10] = { 0x25 };
	static const u8 sc[10] = { 0x35 };
	static const u8 tur[6] = { 0 };
	struct scst_cdb_info ci;

	ci = dec(inq, 6);
	check_row(&ci, "AAAAAA");
	ci = dec(rc, 10);
	check_row(&ci, "AAAAAA");
	ci = dec(tur, 6);
	check_row(&ci, "AAAAAA");
	ci = dec(rd, 10);
	check_row(&ci, "ACAAAC");
	ci = dec(vfy, 10);
	check_row(&ci, "ACAAAC");
	ci = dec(wr, 10);
	check_row(&ci, "CCACAC");
	ci = dec(ms, 6);
	check_row(&ci, "CCACAC");
	ci = dec(sc, 10);
	check_row(&ci, "CCACAC");
}

static void test_pr_out_and_spc2(void)
{
	static const u8 reg[10] = { 0x5f, 0x00, [8] = 24 };
	static const u8 res[10] = { 0x5f, 0x01, 0x01, [8] = 24 };
	static const u8 rsv6[6] = { 0x16 };
	static const u8 rel6[6] = { 0x17 };
	static const u8 inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	static const u8 rd[10] = { 0x28, [8] = 1 };
	static const u8 start[6] = { 0x1b, 0, 0, 0, 1, 0 };
	static const u8 stop[6] = { 0x1b, 0, 0, 0, 0, 0 };
	struct scst_cdb_info ci;

	ci = dec(reg, 10);
	CU_ASSERT_FALSE(scst_resv_pr_conflict(&ci, SCST_PR_TYPE_WE, false,
					      false));
	ci = dec(res, 10);
	CU_ASSERT(scst_resv_pr_conflict(&ci, SCST_PR_TYPE_WE, false, false));
	CU_ASSERT_FALSE(scst_resv_pr_conflict(&ci, SCST_PR_TYPE_WE, false,
					      true));
	ci = dec(rsv6, 6);
	CU_ASSERT(scst_resv_pr_conflict(&ci, SCST_PR_TYPE_NONE, false, true));
	CU_ASSERT(scst_resv_spc2_conflict(&ci));
	ci = dec(rel6, 6);
	CU_ASSERT_FALSE(scst_resv_spc2_conflict(&ci));
	ci = dec(inq, 6);
	CU_ASSERT_FALSE(scst_resv_spc2_conflict(&ci));
	ci = dec(rd, 10);
	CU_ASSERT(scst_resv_spc2_conflict(&ci));
	ci = dec(start, 6);
	CU_ASSERT_FALSE(scst_resv_spc2_conflict(&ci));
	ci = dec(stop, 6);
	CU_ASSERT(scst_resv_spc2_conflict(&ci));
}

static const struct test_def resv_tests[] = {
	{ "PR conflict classes", test_pr_classes },
	{ "PR OUT and SPC-2", test_pr_out_and_spc2 },
	{ NULL, NULL },
};

int register_resv_tests(void)
{
	return register_suite("resv", resv_tests);
}
