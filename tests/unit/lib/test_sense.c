// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_sense.c - unit tests for the sense data builder and decoder
 */
#include <string.h>
#include <CUnit/CUnit.h>

#include "scst_sense.h"
#include "tests.h"

static void test_build_fixed(void)
{
	static const u8 exp[18] = {
		0x70, 0, 0x05, 0, 0, 0, 0, 0x0a,
		0, 0, 0, 0, 0x24, 0x00, 0, 0, 0, 0,
	};
	u8 buf[32];

	memset(buf, 0xee, sizeof(buf));
	CU_ASSERT_EQUAL(scst_sense_build(buf, sizeof(buf), false,
					 SCST_SENSE_INVALID_FIELD_IN_CDB), 18);
	CU_ASSERT_EQUAL(memcmp(buf, exp, sizeof(exp)), 0);
	CU_ASSERT_EQUAL(buf[18], 0xee);
	CU_ASSERT_EQUAL(scst_sense_length(buf, sizeof(buf)), 18);
	CU_ASSERT_EQUAL(scst_sense_build(buf, 17, false, 5, 0x24, 0), -EINVAL);
}

static void test_build_desc(void)
{
	static const u8 exp[8] = { 0x72, 0x06, 0x29, 0x07, 0, 0, 0, 0 };
	u8 buf[8];

	CU_ASSERT_EQUAL(scst_sense_build(buf, sizeof(buf), true,
					 SCST_SENSE_I_T_NEXUS_LOSS), 8);
	CU_ASSERT_EQUAL(memcmp(buf, exp, sizeof(exp)), 0);
	CU_ASSERT_EQUAL(scst_sense_build(buf, 7, true, 5, 0x24, 0), -EINVAL);
}

static void test_field_pointer_fixed(void)
{
	static const u8 exp[18] = {
		0x70, 0, 0x05, 0, 0, 0, 0, 0x0a,
		0, 0, 0, 0, 0x24, 0x00, 0, 0xcf, 0x00, 0x02,
	};
	static const u8 exp_param[3] = { 0x80, 0x01, 0x02 };
	u8 buf[18];

	scst_sense_build(buf, sizeof(buf), false, 5, 0x24, 0);
	CU_ASSERT_EQUAL(scst_sense_set_field_pointer(buf, sizeof(buf), true, 2,
						     7), 18);
	CU_ASSERT_EQUAL(memcmp(buf, exp, sizeof(exp)), 0);

	scst_sense_build(buf, sizeof(buf), false, 5, 0x26, 0);
	CU_ASSERT_EQUAL(scst_sense_set_field_pointer(buf, sizeof(buf), false,
						     0x102, -1), 18);
	CU_ASSERT_EQUAL(memcmp(buf + 15, exp_param, 3), 0);
	CU_ASSERT_EQUAL(scst_sense_set_field_pointer(buf, sizeof(buf), true, 1,
						     8), -EINVAL);
	CU_ASSERT_EQUAL(scst_sense_set_field_pointer(buf, 17, true, 1, 0),
			-EINVAL);
}

static void test_field_pointer_desc(void)
{
	static const u8 exp[16] = {
		0x72, 0x05, 0x24, 0x00, 0, 0, 0, 0x08,
		0x02, 0x06, 0, 0, 0xc9, 0x00, 0x0a, 0,
	};
	u8 buf[64];

	scst_sense_build(buf, sizeof(buf), true, 5, 0x24, 0);
	CU_ASSERT_EQUAL(scst_sense_set_field_pointer(buf, sizeof(buf), true,
						     10, 1), 16);
	CU_ASSERT_EQUAL(memcmp(buf, exp, sizeof(exp)), 0);
	/* a second call replaces the descriptor */
	CU_ASSERT_EQUAL(scst_sense_set_field_pointer(buf, sizeof(buf), false,
						     3, -1), 16);
	CU_ASSERT_EQUAL(buf[12], 0x80);
	CU_ASSERT_EQUAL(buf[14], 0x03);
	/* no room */
	scst_sense_build(buf, sizeof(buf), true, 5, 0x24, 0);
	CU_ASSERT_EQUAL(scst_sense_set_field_pointer(buf, 15, true, 1, 1),
			-EINVAL);
	CU_ASSERT_EQUAL(buf[7], 0);
}

static void test_info(void)
{
	static const u8 exp_fixed[18] = {
		0xf0, 0, 0x03, 0x12, 0x34, 0x56, 0x78, 0x0a,
		0, 0, 0, 0, 0x11, 0x00, 0, 0, 0, 0,
	};
	static const u8 exp_desc[28] = {
		0x72, 0x03, 0x11, 0x00, 0, 0, 0, 0x14,
		0x00, 0x0a, 0x80, 0, 0x01, 0x02, 0x03, 0x04,
		0x05, 0x06, 0x07, 0x08,
		0x02, 0x06, 0, 0, 0x80, 0x00, 0x04, 0,
	};
	u8 buf[64];

	scst_sense_build(buf, sizeof(buf), false,
			 SCST_SENSE_UNRECOVERED_READ_ERROR);
	CU_ASSERT_EQUAL(scst_sense_set_info(buf, sizeof(buf), 0x12345678), 18);
	CU_ASSERT_EQUAL(memcmp(buf, exp_fixed, sizeof(exp_fixed)), 0);
	CU_ASSERT_EQUAL(scst_sense_set_info(buf, sizeof(buf), 0x100000000ULL),
			-EINVAL);

	scst_sense_build(buf, sizeof(buf), true,
			 SCST_SENSE_UNRECOVERED_READ_ERROR);
	CU_ASSERT_EQUAL(scst_sense_set_info(buf, sizeof(buf),
					    0x0102030405060708ULL), 20);
	CU_ASSERT_EQUAL(scst_sense_set_field_pointer(buf, sizeof(buf), false,
						     4, -1), 28);
	CU_ASSERT_EQUAL(memcmp(buf, exp_desc, sizeof(exp_desc)), 0);
	CU_ASSERT_EQUAL(scst_sense_length(buf, sizeof(buf)), 28);
	CU_ASSERT_EQUAL(scst_sense_length(buf, 10), 10);

	memset(buf, 0, sizeof(buf));
	CU_ASSERT_EQUAL(scst_sense_set_info(buf, sizeof(buf), 1), -EINVAL);
	CU_ASSERT_EQUAL(scst_sense_set_field_pointer(buf, sizeof(buf), true, 1,
						     1), -EINVAL);
	CU_ASSERT_EQUAL(scst_sense_length(buf, sizeof(buf)), -EINVAL);
}

static void test_decode(void)
{
	u8 buf[32], key = 0xff, asc = 0xff, ascq = 0xff;

	scst_sense_build(buf, sizeof(buf), false, SCST_SENSE_WRITE_PROTECTED);
	CU_ASSERT(scst_sense_decode(buf, 18, &key, &asc, &ascq));
	CU_ASSERT_EQUAL(key, 0x07);
	CU_ASSERT_EQUAL(asc, 0x27);
	CU_ASSERT_EQUAL(ascq, 0x00);

	scst_sense_build(buf, sizeof(buf), true,
			 SCST_SENSE_REPORTED_LUNS_DATA_CHANGED);
	CU_ASSERT(scst_sense_decode(buf, 8, &key, &asc, &ascq));
	CU_ASSERT_EQUAL(key, 0x06);
	CU_ASSERT_EQUAL(asc, 0x3f);
	CU_ASSERT_EQUAL(ascq, 0x0e);
	buf[0] = 0x73;		/* deferred */
	CU_ASSERT(scst_sense_decode(buf, 4, &key, &asc, &ascq));
	CU_ASSERT_FALSE(scst_sense_decode(buf, 3, &key, &asc, &ascq));

	/* truncated fixed format: key only */
	scst_sense_build(buf, sizeof(buf), false, SCST_SENSE_MEDIUM_NOT_PRESENT);
	buf[0] = 0xf1;		/* VALID, deferred */
	CU_ASSERT(scst_sense_decode(buf, 8, &key, &asc, &ascq));
	CU_ASSERT_EQUAL(key, 0x02);
	CU_ASSERT_EQUAL(asc, 0);
	CU_ASSERT_EQUAL(ascq, 0);
	/* short additional length hides ASC */
	buf[0] = 0x70;
	buf[7] = 4;
	CU_ASSERT(scst_sense_decode(buf, 18, &key, &asc, &ascq));
	CU_ASSERT_EQUAL(asc, 0);

	buf[0] = 0x00;
	CU_ASSERT_FALSE(scst_sense_decode(buf, 18, &key, &asc, &ascq));
	CU_ASSERT_FALSE(scst_sense_decode(buf, 0, &key, &asc, &ascq));
	CU_ASSERT_FALSE(scst_sense_decode(NULL, 18, &key, &asc, &ascq));
}

static void test_codes(void)
{
	u8 buf[18];

	scst_sense_build(buf, sizeof(buf), false,
			 SCST_SENSE_CAPACITY_DATA_CHANGED);
	CU_ASSERT_EQUAL(buf[2], 0x06);
	CU_ASSERT_EQUAL(buf[12], 0x2a);
	CU_ASSERT_EQUAL(buf[13], 0x09);
	CU_ASSERT_EQUAL(SCST_AQ_ASC(SCST_AQ_INSUFFICIENT_REG_RESOURCES), 0x55);
	CU_ASSERT_EQUAL(SCST_AQ_ASCQ(SCST_AQ_INSUFFICIENT_REG_RESOURCES), 0x04);
	CU_ASSERT_EQUAL(SCST_AQ_INVALID_RELEASE_OF_PR, 0x2604);
	CU_ASSERT_EQUAL(SCST_AQ_MEDIUM_REMOVAL_PREVENTED, 0x5302);
	CU_ASSERT_EQUAL(SCST_AQ_CMDS_CLEARED_BY_ANOTHER_INIT, 0x2f00);
}

static const struct test_def sense_tests[] = {
	{ "build fixed", test_build_fixed },
	{ "build descriptor", test_build_desc },
	{ "field pointer fixed", test_field_pointer_fixed },
	{ "field pointer descriptor", test_field_pointer_desc },
	{ "information field", test_info },
	{ "decode", test_decode },
	{ "codes", test_codes },
	{ NULL, NULL },
};

int register_sense_tests(void)
{
	return register_suite("sense", sense_tests);
}
