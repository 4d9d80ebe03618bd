// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_alua.c - unit tests for the ALUA state checks, REPORT TARGET PORT
 * GROUPS data and the SET TARGET PORT GROUPS parameter list
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "scst_alua.h"
#include "scst_sense_codes.h"
#include "tests.h"

static u16 chk(u8 state, u8 op, u8 b1)
{
	u8 cdb[16] = { op, b1 };

	return scst_alua_check(state, cdb, sizeof(cdb));
}

static void test_active(void)
{
	CU_ASSERT_EQUAL(chk(SCST_ALUA_AO, 0x2a, 0), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_ANO, 0x28, 0), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_ANO, 0x00, 0), 0);
}

static void test_standby(void)
{
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0x28, 0),
			SCST_AQ_LU_NOT_READY_ALUA_STANDBY);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0x00, 0),
			SCST_AQ_LU_NOT_READY_ALUA_STANDBY);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0x25, 0), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0x9e, 0x10), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0x9e, 0x12),
			SCST_AQ_LU_NOT_READY_ALUA_STANDBY);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_UNAVAILABLE, 0x25, 0),
			SCST_AQ_LU_NOT_READY_ALUA_UNAVAILABLE);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0x12, 0), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0xa0, 0), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0x1a, 0), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0x5f, 0), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0xa3, 0x0a), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0xa4, 0x0a), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0x3c, 0x0a), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0x3c, 0x02),
			SCST_AQ_LU_NOT_READY_ALUA_STANDBY);
	/* MAINTENANCE IN other than the reports */
	CU_ASSERT_EQUAL(chk(SCST_ALUA_STANDBY, 0xa3, 0x05),
			SCST_AQ_LU_NOT_READY_ALUA_STANDBY);
}

static void test_unavailable_transitioning_offline(void)
{
	CU_ASSERT_EQUAL(chk(SCST_ALUA_UNAVAILABLE, 0x1a, 0),
			SCST_AQ_LU_NOT_READY_ALUA_UNAVAILABLE);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_UNAVAILABLE, 0xa4, 0x0a), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_UNAVAILABLE, 0x12, 0), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_TRANSITIONING, 0x28, 0),
			SCST_AQ_LU_NOT_READY_ALUA_TRANSITION);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_TRANSITIONING, 0xa4, 0x0a),
			SCST_AQ_LU_NOT_READY_ALUA_TRANSITION);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_TRANSITIONING, 0xa3, 0x0a), 0);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_OFFLINE, 0x00, 0),
			SCST_AQ_LU_NOT_READY_OFFLINE);
	CU_ASSERT_EQUAL(chk(SCST_ALUA_OFFLINE, 0x03, 0), 0);
	/* a reserved state is unavailable */
	CU_ASSERT_EQUAL(chk(0x7, 0x28, 0),
			SCST_AQ_LU_NOT_READY_ALUA_UNAVAILABLE);
}

static void test_names(void)
{
	u8 s = 0xff;

	CU_ASSERT_EQUAL(scst_alua_state_parse("standby\n", &s), 0);
	CU_ASSERT_EQUAL(s, SCST_ALUA_STANDBY);
	CU_ASSERT_EQUAL(scst_alua_state_parse("transitioning", &s), 0);
	CU_ASSERT_EQUAL(s, SCST_ALUA_TRANSITIONING);
	CU_ASSERT_EQUAL(scst_alua_state_parse("standb", &s), -EINVAL);
	CU_ASSERT_EQUAL(scst_alua_state_parse("standby\n\n", &s), -EINVAL);
	CU_ASSERT_STRING_EQUAL(scst_alua_state_name(SCST_ALUA_ANO),
			       "active_nonoptimized");
	CU_ASSERT_STRING_EQUAL(scst_alua_state_name(5), "reserved");
}

static void test_rtpg(void)
{
	static const u16 p1[] = { 1 }, p2[] = { 2, 3 };
	const struct scst_alua_tpg g[] = {
		{ .id = 10, .state = SCST_ALUA_AO, .pref = true, .nports = 1,
		  .ports = p1 },
		{ .id = 20, .state = SCST_ALUA_STANDBY, .nports = 2,
		  .ports = p2 },
	};
	u8 buf[64];
	int len;

	len = scst_alua_rtpg_build(NULL, 0, false, 0, g, 2);
	CU_ASSERT_EQUAL(len, 4 + 8 + 4 + 8 + 8);
	CU_ASSERT_EQUAL(scst_alua_rtpg_build(buf, len - 1, false, 0, g, 2),
			-ENOSPC);
	len = scst_alua_rtpg_build(buf, sizeof(buf), false, 0, g, 2);
	CU_ASSERT_EQUAL(len, 32);
	CU_ASSERT_EQUAL(get_unaligned_be32(buf), 28);
	CU_ASSERT_EQUAL(buf[4], 0x80);
	CU_ASSERT_EQUAL(buf[5], 0xcf);
	CU_ASSERT_EQUAL(get_unaligned_be16(buf + 6), 10);
	CU_ASSERT_EQUAL(buf[11], 1);
	CU_ASSERT_EQUAL(get_unaligned_be16(buf + 14), 1);
	CU_ASSERT_EQUAL(buf[16], SCST_ALUA_STANDBY);
	CU_ASSERT_EQUAL(get_unaligned_be16(buf + 18), 20);
	CU_ASSERT_EQUAL(buf[23], 2);
	CU_ASSERT_EQUAL(get_unaligned_be16(buf + 26), 2);
	CU_ASSERT_EQUAL(get_unaligned_be16(buf + 30), 3);

	len = scst_alua_rtpg_build(buf, sizeof(buf), true, 7, g, 1);
	CU_ASSERT_EQUAL(len, 8 + 8 + 4);
	CU_ASSERT_EQUAL(get_unaligned_be32(buf), 16);
	CU_ASSERT_EQUAL(buf[4], 0x10);
	CU_ASSERT_EQUAL(buf[5], 7);
	CU_ASSERT_EQUAL(get_unaligned_be16(buf + 10), 10);
}

static void test_stpg(void)
{
	struct scst_alua_stpg d[4];
	u8 list[12] = { 0, 0, 0, 0, 0x00, 0, 0, 10, 0x02, 0, 0, 20 };
	u16 bad = 0xffff;

	CU_ASSERT_EQUAL(scst_alua_stpg_parse(list, 12, d, 4, &bad), 2);
	CU_ASSERT_EQUAL(d[0].state, SCST_ALUA_AO);
	CU_ASSERT_EQUAL(d[0].id, 10);
	CU_ASSERT_EQUAL(d[1].state, SCST_ALUA_STANDBY);
	CU_ASSERT_EQUAL(d[1].id, 20);
	CU_ASSERT_EQUAL(scst_alua_stpg_parse(list, 0, d, 4, &bad), 0);
	CU_ASSERT_EQUAL(scst_alua_stpg_parse(list, 12, d, 1, &bad), -E2BIG);
	CU_ASSERT_EQUAL(scst_alua_stpg_parse(list, 10, d, 4, &bad), -EINVAL);
	CU_ASSERT_EQUAL(bad, 0);
	list[8] = SCST_ALUA_TRANSITIONING;
	CU_ASSERT_EQUAL(scst_alua_stpg_parse(list, 12, d, 4, &bad), -EINVAL);
	CU_ASSERT_EQUAL(bad, 8);
	list[8] = SCST_ALUA_OFFLINE;
	CU_ASSERT_EQUAL(scst_alua_stpg_parse(list, 12, d, 4, &bad), -EINVAL);
}

static const struct test_def alua_tests[] = {
	{ "active states allow everything", test_active },
	{ "standby allows the SPC-4 list", test_standby },
	{ "unavailable, transitioning, offline", test_unavailable_transitioning_offline },
	{ "state names", test_names },
	{ "REPORT TARGET PORT GROUPS data", test_rtpg },
	{ "SET TARGET PORT GROUPS list", test_stpg },
	{ NULL, NULL },
};

int register_alua_tests(void)
{
	return register_suite("alua", alua_tests);
}
