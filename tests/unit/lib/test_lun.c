// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_lun.c - unit tests for LUN encoding and REPORT LUNS data
 */
#include <string.h>
#include <CUnit/CUnit.h>

#include "scst_lun.h"
#include "tests.h"

static void test_encode(void)
{
	static const struct { u16 lun; u8 b0, b1; } v[] = {
		{ 0, 0x00, 0x00 }, { 5, 0x00, 0x05 }, { 255, 0x00, 0xff },
		{ 256, 0x41, 0x00 }, { 0x1234, 0x52, 0x34 },
		{ 16383, 0x7f, 0xff },
	};
	static const u8 zero[6];
	unsigned int i;
	u8 out[8];

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(out, 0xee, sizeof(out));
		scst_lun_encode(v[i].lun, out);
		CU_ASSERT_EQUAL(out[0], v[i].b0);
		CU_ASSERT_EQUAL(out[1], v[i].b1);
		CU_ASSERT_EQUAL(memcmp(out + 2, zero, 6), 0);
	}
}

static void test_round_trip(void)
{
	unsigned int lun, bad = 0;
	u8 out[8];
	u16 back;

	for (lun = 0; lun <= SCST_MAX_LUN; lun++) {
		scst_lun_encode((u16)lun, out);
		if (scst_lun_decode(out, &back) || back != lun)
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_decode(void)
{
	static const struct { u8 lun[8]; int ret; u16 val; } v[] = {
		{ { 0x00, 0x07 }, 0, 7 },
		{ { 0x40, 0x07 }, 0, 7 },		/* flat, small */
		{ { 0x7f, 0xff }, 0, 16383 },
		{ { 0x01, 0x00 }, -EINVAL, 0 },		/* bus 1 */
		{ { 0x3f, 0x00 }, -EINVAL, 0 },
		{ { 0x80, 0x01 }, -EINVAL, 0 },		/* logical unit */
		{ { 0xc0, 0x01 }, -EINVAL, 0 },		/* extended */
		{ { 0x00, 0x01, 0x00, 0x01 }, -EINVAL, 0 },	/* 2 levels */
		{ { 0x00, 0x01, 0, 0, 0, 0, 0, 1 }, -EINVAL, 0 },
		{ { 0x40, 0x01, 0x40, 0x00 }, -EINVAL, 0 },
	};
	unsigned int i;
	u16 out;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		out = 0xbeef;
		CU_ASSERT_EQUAL(scst_lun_decode(v[i].lun, &out), v[i].ret);
		CU_ASSERT_EQUAL(out, v[i].ret ? 0xbeef : v[i].val);
	}
}

static void test_report_luns(void)
{
	static const u16 luns[3] = { 0, 1, 300 };
	static const u8 exp[32] = {
		0, 0, 0, 24, 0, 0, 0, 0,
		0x00, 0x00, 0, 0, 0, 0, 0, 0,
		0x00, 0x01, 0, 0, 0, 0, 0, 0,
		0x41, 0x2c, 0, 0, 0, 0, 0, 0,
	};
	u8 buf[64];

	memset(buf, 0xee, sizeof(buf));
	CU_ASSERT_EQUAL(scst_report_luns_fill(buf, 100, luns, 3), 32);
	CU_ASSERT_EQUAL(memcmp(buf, exp, 32), 0);
	CU_ASSERT_EQUAL(buf[32], 0xee);

	memset(buf, 0xee, sizeof(buf));
	CU_ASSERT_EQUAL(scst_report_luns_fill(buf, 28, luns, 3), 28);
	CU_ASSERT_EQUAL(memcmp(buf, exp, 28), 0);
	CU_ASSERT_EQUAL(buf[28], 0xee);

	memset(buf, 0xee, sizeof(buf));
	CU_ASSERT_EQUAL(scst_report_luns_fill(buf, 16, luns, 3), 16);
	CU_ASSERT_EQUAL(memcmp(buf, exp, 16), 0);
	CU_ASSERT_EQUAL(buf[16], 0xee);

	memset(buf, 0xee, sizeof(buf));
	CU_ASSERT_EQUAL(scst_report_luns_fill(buf, 4, luns, 3), 4);
	CU_ASSERT_EQUAL(memcmp(buf, exp, 4), 0);
	CU_ASSERT_EQUAL(buf[4], 0xee);

	memset(buf, 0xee, sizeof(buf));
	CU_ASSERT_EQUAL(scst_report_luns_fill(buf, 0, luns, 3), 0);
	CU_ASSERT_EQUAL(buf[0], 0xee);

	memset(buf, 0xee, sizeof(buf));
	CU_ASSERT_EQUAL(scst_report_luns_fill(buf, 64, NULL, 0), 8);
	CU_ASSERT_EQUAL(memcmp(buf, exp + 8, 8), 0);	/* all zero */
	CU_ASSERT_EQUAL(buf[8], 0xee);
}

static const struct test_def lun_tests[] = {
	{ "encode", test_encode },
	{ "round trip 0..16383", test_round_trip },
	{ "decode and rejects", test_decode },
	{ "REPORT LUNS fill", test_report_luns },
	{ NULL, NULL },
};

int register_lun_tests(void)
{
	return register_suite("lun", lun_tests);
}
