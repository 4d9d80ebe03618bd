// SPDX-License-Identifier: GPL-2.0-only
/* test_pdu.c - BHS decoding and checks, AHS/extended CDB */
#include <CUnit/CUnit.h>

#include "pdu.h"
#include "tests.h"

static void mk(u8 *b, u8 op, u8 flags, u32 dsl, u32 itt)
{
	memset(b, 0, ISC_BHS_LEN);
	b[0] = op;
	b[1] = flags;
	put_unaligned_be24(dsl, b + 5);
	put_unaligned_be32(itt, b + 16);
}

static void test_decode(void)
{
	u8 b[ISC_BHS_LEN];
	struct isc_bhs h;

	mk(b, ISC_OP_SCSI_CMD | ISC_OP_IMMEDIATE, 0xa1, 0x123456, 0xdeadbeef);
	b[4] = 3;
	put_unaligned_be32(77, b + 24);
	put_unaligned_be32(88, b + 28);
	isc_bhs_decode(b, &h);
	CU_ASSERT_EQUAL(h.opcode, ISC_OP_SCSI_CMD);
	CU_ASSERT_TRUE(h.immediate);
	CU_ASSERT_EQUAL(h.flags, 0xa1);
	CU_ASSERT_EQUAL(h.ahs_len, 12);
	CU_ASSERT_EQUAL(h.dsl, 0x123456);
	CU_ASSERT_EQUAL(h.itt, 0xdeadbeef);
	CU_ASSERT_EQUAL(h.sn, 77);
	CU_ASSERT_EQUAL(h.exp_stat_sn, 88);
	/* TotalAHSLength up to 255 words: 1020 bytes (was cut to 8 bits) */
	b[4] = 255;
	isc_bhs_decode(b, &h);
	CU_ASSERT_EQUAL(h.ahs_len, 1020);
	b[4] = 64;
	isc_bhs_decode(b, &h);
	CU_ASSERT_EQUAL(h.ahs_len, 256);
}

static int chk(u8 op, u8 flags, u32 dsl, u32 itt, bool login)
{
	u8 b[ISC_BHS_LEN];
	struct isc_bhs h;

	mk(b, op, flags, dsl, itt);
	isc_bhs_decode(b, &h);
	return isc_bhs_check(&h, 8192, login);
}

static void test_check(void)
{
	CU_ASSERT_EQUAL(chk(ISC_OP_SCSI_CMD, 0xa0, 512, 1, false), 0);
	CU_ASSERT_EQUAL(chk(ISC_OP_SCSI_CMD, 0xc0, 0, 1, false), 0);
	/* data without W */
	CU_ASSERT_EQUAL(chk(ISC_OP_SCSI_CMD, 0xc0, 4, 1, false),
			ISC_REJ_PROTOCOL);
	/* longer than our MaxRecvDataSegmentLength */
	CU_ASSERT_EQUAL(chk(ISC_OP_SCSI_CMD, 0xa0, 8193, 1, false), -EPROTO);
	/* target opcode from the initiator */
	CU_ASSERT_EQUAL(chk(ISC_OP_NOP_IN, 0x80, 0, 1, false),
			ISC_REJ_CMD_NOT_SUPP);
	CU_ASSERT_EQUAL(chk(ISC_OP_LOGIN_REQ, 0x87, 0, 1, false),
			ISC_REJ_PROTOCOL);
	CU_ASSERT_EQUAL(chk(ISC_OP_SNACK_REQ, 0x80, 0, 1, false),
			ISC_REJ_SNACK);
	/* login phase: only Login Requests */
	CU_ASSERT_EQUAL(chk(ISC_OP_LOGIN_REQ, 0x87, 100, 1, true), 0);
	CU_ASSERT_EQUAL(chk(ISC_OP_SCSI_CMD, 0x80, 0, 1, true), -EPROTO);
	/* reserved ITT */
	CU_ASSERT_EQUAL(chk(ISC_OP_TMF_REQ, 0x81, 0, ISC_RSVD_TAG, false),
			ISC_REJ_INVALID_FIELD);
	CU_ASSERT_EQUAL(chk(ISC_OP_NOP_OUT | ISC_OP_IMMEDIATE, 0x80, 0,
			    ISC_RSVD_TAG, false), 0);
	CU_ASSERT_EQUAL(chk(ISC_OP_NOP_OUT, 0x80, 0, ISC_RSVD_TAG, false),
			ISC_REJ_PROTOCOL);
	CU_ASSERT_EQUAL(chk(ISC_OP_TEXT_REQ, 0xc0, 0, 5, false),
			ISC_REJ_PROTOCOL);
	CU_ASSERT_EQUAL(chk(ISC_OP_LOGOUT_REQ, 0x80, 4, 5, false),
			ISC_REJ_PROTOCOL);
}

static void test_ahs(void)
{
	u8 bhs[ISC_BHS_LEN] = { 0 }, ahs[32] = { 0 }, cdb[32];
	unsigned int len;
	int i;

	for (i = 0; i < 16; i++)
		bhs[32 + i] = i;
	CU_ASSERT_EQUAL(isc_ahs_cdb(ahs, 0, bhs, cdb, 32, &len), 0);
	CU_ASSERT_EQUAL(len, 16);
	CU_ASSERT_EQUAL(cdb[15], 15);
	/* extended CDB of 16 more bytes: AHSLength 17, 20 bytes in all */
	put_unaligned_be16(17, ahs);
	ahs[2] = ISC_AHS_EXT_CDB;
	for (i = 0; i < 16; i++)
		ahs[4 + i] = 16 + i;
	CU_ASSERT_EQUAL(isc_ahs_cdb(ahs, 20, bhs, cdb, 32, &len), 0);
	CU_ASSERT_EQUAL(len, 32);
	CU_ASSERT_EQUAL(cdb[31], 31);
	/* longer than the buffer: length reported, nothing overrun */
	CU_ASSERT_EQUAL(isc_ahs_cdb(ahs, 20, bhs, cdb, 20, &len), 0);
	CU_ASSERT_EQUAL(len, 32);
	/* AHSLength beyond the AHS */
	put_unaligned_be16(40, ahs);
	CU_ASSERT_EQUAL(isc_ahs_cdb(ahs, 20, bhs, cdb, 32, &len), -EPROTO);
	/* unknown type */
	put_unaligned_be16(1, ahs);
	ahs[2] = 9;
	CU_ASSERT_EQUAL(isc_ahs_cdb(ahs, 4, bhs, cdb, 32, &len), -EPROTO);
	/* bidi length */
	put_unaligned_be16(5, ahs);
	ahs[2] = ISC_AHS_BIDI_LEN;
	CU_ASSERT_EQUAL(isc_ahs_cdb(ahs, 8, bhs, cdb, 32, &len), 0);
	CU_ASSERT_EQUAL(len, 16);
}

static void test_sn(void)
{
	CU_ASSERT_TRUE(isc_sn_lt(1, 2));
	CU_ASSERT_TRUE(isc_sn_lt(0xffffffff, 0));
	CU_ASSERT_FALSE(isc_sn_lt(5, 5));
	CU_ASSERT_TRUE(isc_sn_le(5, 5));
	CU_ASSERT_EQUAL(isc_pad4(5), 3);
	CU_ASSERT_EQUAL(isc_pad4(8), 0);
}

int register_pdu_tests(void)
{
	CU_pSuite s = CU_add_suite("pdu", NULL, NULL);

	if (!s || !CU_add_test(s, "decode", test_decode) ||
	    !CU_add_test(s, "check", test_check) ||
	    !CU_add_test(s, "ahs", test_ahs) ||
	    !CU_add_test(s, "serial numbers", test_sn))
		return -1;
	return 0;
}
