// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_rsoc.c - unit tests for REPORT SUPPORTED OPERATION CODES
 * (scst_rsoc_build()) and for the agreement of the reported CDB usage
 * data with what scst_cdb_decode() accepts
 */
#include <stdio.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "scst_cdb.h"
#include "scst_rsoc.h"
#include "tests.h"

#define D	SCST_TYPE_DISK
#define R	SCST_TYPE_ROM
#define BIG	4096

static bool all(void *ctx, const struct scst_cdb_opdesc *d, u8 *usage)
{
	(void)ctx;
	(void)d;
	(void)usage;
	return true;
}

/* clears byte 1 bit 3 and tries to set every other bit */
static bool clear_b1(void *ctx, const struct scst_cdb_opdesc *d, u8 *usage)
{
	(void)ctx;
	memset(usage, 0xff, d->cdb_len);
	usage[1] &= ~0x08;
	return true;
}

/* only the opcodes listed in the 0-terminated byte string @ctx */
static bool only(void *ctx, const struct scst_cdb_opdesc *d, u8 *usage)
{
	const u8 *op;

	(void)usage;
	for (op = ctx; *op; op++)
		if (*op == d->opcode)
			return true;
	return false;
}

static void rsoc_cdb(u8 *cdb, u8 opts, u8 op, u16 sa, u32 alloc)
{
	memset(cdb, 0, 12);
	cdb[0] = 0xa3;
	cdb[1] = 0x0c;
	cdb[2] = opts;
	cdb[3] = op;
	cdb[4] = sa >> 8;
	cdb[5] = sa & 0xff;
	cdb[6] = alloc >> 24;
	cdb[7] = alloc >> 16;
	cdb[8] = alloc >> 8;
	cdb[9] = alloc & 0xff;
}

static u32 be32(const u8 *p)
{
	return ((u32)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

static u16 be16(const u8 *p)
{
	return (u16)((p[0] << 8) | p[1]);
}

static unsigned int table_rows(u8 type)
{
	unsigned int pos = 0, n = 0;

	while (scst_cdb_opcode_next(type, &pos))
		n++;
	return n;
}

static void check_all(u8 type, bool rctd)
{
	unsigned int pos = 0, n = table_rows(type), dl = rctd ? 20 : 8;
	const struct scst_cdb_opdesc *d;
	struct scst_cdb_err err;
	static u8 buf[BIG];
	u8 cdb[12];
	u8 *p;
	int len;

	rsoc_cdb(cdb, rctd ? 0x80 : 0, 0x12, 0x34, BIG);
	len = scst_rsoc_build(cdb, type, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, 4 + n * dl);
	CU_ASSERT_EQUAL(be32(buf), n * dl);
	CU_ASSERT(len <= (int)scst_rsoc_max_len(type));
	p = buf + 4;
	while ((d = scst_cdb_opcode_next(type, &pos))) {
		bool sa = d->flags & SCST_CDB_SERVICE_ACTION;

		CU_ASSERT_EQUAL(p[0], d->opcode);
		CU_ASSERT_EQUAL(p[1], 0);
		CU_ASSERT_EQUAL(be16(&p[2]), sa ? d->sa : 0);
		CU_ASSERT_EQUAL(p[4], 0);
		CU_ASSERT_EQUAL(p[5], (sa ? 0x01 : 0) | (rctd ? 0x02 : 0));
		CU_ASSERT_EQUAL(be16(&p[6]), d->cdb_len);
		CU_ASSERT_EQUAL(sa, scst_cdb_opcode_has_sa(d->opcode));
		if (rctd) {
			CU_ASSERT_EQUAL(be16(&p[8]), 0x0a);
			CU_ASSERT_EQUAL(be32(&p[12]), 0);
			CU_ASSERT_EQUAL(be32(&p[16]), 0);
		}
		p += dl;
	}
}

static void test_all_commands(void)
{
	check_all(D, false);
	check_all(D, true);
	check_all(R, false);
	check_all(R, true);
}

static void test_filter(void)
{
	static const u8 ops[] = { 0x28, 0x5e, 0 };
	struct scst_cdb_err err;
	u8 buf[256], cdb[12];
	int len;

	rsoc_cdb(cdb, 0, 0, 0, sizeof(buf));
	len = scst_rsoc_build(cdb, D, only, (void *)ops, buf, sizeof(buf),
			      &err);
	/* READ(10) and the four PERSISTENT RESERVE IN service actions */
	CU_ASSERT_EQUAL(len, 4 + 5 * 8);
	CU_ASSERT_EQUAL(buf[4], 0x28);
	CU_ASSERT_EQUAL(buf[4 + 5], 0);
	CU_ASSERT_EQUAL(buf[12], 0x5e);
	CU_ASSERT_EQUAL(buf[12 + 5], 0x01);
	CU_ASSERT_EQUAL(be16(&buf[36 + 2]), 3);

	/* a command the LU does not carry out: SUPPORT 001b */
	rsoc_cdb(cdb, 1, 0x2a, 0, sizeof(buf));
	len = scst_rsoc_build(cdb, D, only, (void *)ops, buf, sizeof(buf),
			      &err);
	CU_ASSERT_EQUAL(len, 4);
	CU_ASSERT_EQUAL(buf[1], 0x01);
	rsoc_cdb(cdb, 1, 0x28, 0, sizeof(buf));
	len = scst_rsoc_build(cdb, D, only, (void *)ops, buf, sizeof(buf),
			      &err);
	CU_ASSERT_EQUAL(len, 14);
	CU_ASSERT_EQUAL(buf[1], 0x03);
}

static void test_one_command(void)
{
	const struct scst_cdb_opdesc *d;
	struct scst_cdb_err err;
	u8 buf[64], cdb[12];
	int len;

	/* 001b READ(10): usage data is the table's, DPO and FUA included */
	d = scst_cdb_opcode_find(D, 0x28, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	rsoc_cdb(cdb, 1, 0x28, 0x55, sizeof(buf));
	memset(buf, 0xee, sizeof(buf));
	len = scst_rsoc_build(cdb, D, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, 4 + 10);
	CU_ASSERT_EQUAL(buf[0], 0);
	CU_ASSERT_EQUAL(buf[1], 0x03);
	CU_ASSERT_EQUAL(be16(&buf[2]), 10);
	CU_ASSERT_EQUAL(memcmp(&buf[4], d->usage, 10), 0);
	CU_ASSERT_EQUAL(buf[4], 0x28);
	CU_ASSERT_EQUAL(buf[5] & 0x18, 0x18);
	CU_ASSERT_EQUAL(buf[14], 0xee);

	/* with RCTD: CTDP and a timeouts descriptor after the usage data */
	rsoc_cdb(cdb, 0x81, 0x28, 0, sizeof(buf));
	len = scst_rsoc_build(cdb, D, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, 4 + 10 + 12);
	CU_ASSERT_EQUAL(buf[1], 0x83);
	CU_ASSERT_EQUAL(be16(&buf[14]), 0x0a);

	/* 001b on an opcode with service actions: INVALID FIELD IN CDB */
	rsoc_cdb(cdb, 1, 0x5e, 0, sizeof(buf));
	len = scst_rsoc_build(cdb, D, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, -EINVAL);
	CU_ASSERT_EQUAL(err.asc, 0x24);
	CU_ASSERT_EQUAL(err.field, 3);

	/* 010b on an opcode without service actions: the same */
	rsoc_cdb(cdb, 2, 0x28, 0, sizeof(buf));
	len = scst_rsoc_build(cdb, D, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, -EINVAL);
	CU_ASSERT_EQUAL(err.field, 3);

	/* 010b PERSISTENT RESERVE IN / READ RESERVATION */
	rsoc_cdb(cdb, 2, 0x5e, 1, sizeof(buf));
	len = scst_rsoc_build(cdb, D, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, 4 + 10);
	CU_ASSERT_EQUAL(buf[1], 0x03);
	CU_ASSERT_EQUAL(buf[4], 0x5e);
	CU_ASSERT_EQUAL(buf[5], 0x01);

	/* 010b, a service action the table does not have */
	rsoc_cdb(cdb, 2, 0x5e, 9, sizeof(buf));
	len = scst_rsoc_build(cdb, D, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, 4);
	CU_ASSERT_EQUAL(buf[1], 0x01);
	rsoc_cdb(cdb, 2, 0x9e, 0x110, sizeof(buf));
	len = scst_rsoc_build(cdb, D, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, 4);

	/* 011b: the service action is used, or ignored without one */
	rsoc_cdb(cdb, 3, 0x9e, 0x10, sizeof(buf));
	len = scst_rsoc_build(cdb, D, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, 4 + 16);
	CU_ASSERT_EQUAL(buf[5], 0x10);
	rsoc_cdb(cdb, 3, 0x2a, 0x1234, sizeof(buf));
	len = scst_rsoc_build(cdb, D, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, 4 + 10);
	CU_ASSERT_EQUAL(buf[4], 0x2a);

	/* an opcode not in the table, and one of another device type */
	rsoc_cdb(cdb, 1, 0x02, 0, sizeof(buf));
	len = scst_rsoc_build(cdb, D, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, 4);
	CU_ASSERT_EQUAL(buf[1], 0x01);
	rsoc_cdb(cdb, 1, 0x43, 0, sizeof(buf));
	len = scst_rsoc_build(cdb, D, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(buf[1], 0x01);
	len = scst_rsoc_build(cdb, R, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(buf[1], 0x03);

	/* reserved REPORTING OPTIONS */
	rsoc_cdb(cdb, 4, 0x28, 0, sizeof(buf));
	len = scst_rsoc_build(cdb, D, all, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, -EINVAL);
	CU_ASSERT_EQUAL(err.field, 2);
	CU_ASSERT_EQUAL(err.bit, 2);
}

static void test_usage_filter(void)
{
	const struct scst_cdb_opdesc *d;
	struct scst_cdb_err err;
	u8 buf[64], cdb[12];
	unsigned int i;
	int len;

	/* WRITE SAME(16): a cleared bit is gone, set bits are dropped */
	d = scst_cdb_opcode_find(D, 0x93, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	rsoc_cdb(cdb, 1, 0x93, 0, sizeof(buf));
	len = scst_rsoc_build(cdb, D, clear_b1, NULL, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(len, 4 + 16);
	CU_ASSERT_EQUAL(buf[4], 0x93);
	CU_ASSERT_EQUAL(buf[5], d->usage[1] & ~0x08);
	for (i = 2; i < 16; i++)
		CU_ASSERT_EQUAL(buf[4 + i], d->usage[i]);
}

static void test_truncated(void)
{
	struct scst_cdb_err err;
	u8 buf[8], cdb[12];
	int len;

	memset(buf, 0xee, sizeof(buf));
	rsoc_cdb(cdb, 0, 0, 0, 2);
	len = scst_rsoc_build(cdb, D, all, NULL, buf, 2, &err);
	CU_ASSERT_EQUAL(len, 4 + 8 * table_rows(D));
	CU_ASSERT_EQUAL(buf[2], 0xee);
	CU_ASSERT_EQUAL((buf[0] << 8) | buf[1], 0);
	len = scst_rsoc_build(cdb, D, all, NULL, buf, 7, &err);
	CU_ASSERT_EQUAL(buf[4], 0x00);	/* TEST UNIT READY */
	CU_ASSERT_EQUAL(buf[7], 0xee);
	memset(buf, 0xee, sizeof(buf));
	rsoc_cdb(cdb, 1, 0x28, 0, 3);
	len = scst_rsoc_build(cdb, D, all, NULL, buf, 3, &err);
	CU_ASSERT_EQUAL(len, 14);
	CU_ASSERT_EQUAL(buf[3], 0xee);
}

/*
 * The usage data reported is what the decoder checks: for every command
 * of the table, a CDB with a single bit set outside the usage data and
 * the ignored bits (CONTROL byte aside, checked on its own) is refused
 * with INVALID FIELD IN CDB pointing at that bit, before any command
 * specific check; and every reported bit of byte 1 and up is not refused
 * as a reserved bit.
 */
static void check_usage(u8 type)
{
	const struct scst_cdb_opdesc *d;
	unsigned int pos = 0;

	while ((d = scst_cdb_opcode_next(type, &pos))) {
		unsigned int i, b;

		for (i = 1; i + 1 < d->cdb_len; i++) {
			for (b = 0; b < 8; b++) {
				u8 m = 1u << b, cdb[16] = { 0 };
				struct scst_cdb_err err = { 0 };
				struct scst_cdb_info ci;
				bool used = (d->usage[i] | d->ignore[i]) & m;
				int ret;

				if (d->flags & SCST_CDB_SERVICE_ACTION &&
				    i == 1 && b < 5)
					continue;	/* the SA field */
				cdb[0] = d->opcode;
				if (d->flags & SCST_CDB_SERVICE_ACTION)
					cdb[1] = d->sa;
				cdb[i] |= m;
				ret = scst_cdb_decode(cdb, d->cdb_len, type,
						      &ci, &err);
				if (!used) {
					CU_ASSERT_EQUAL(ret, -EINVAL);
					CU_ASSERT(err.sksv && err.field == i &&
						  err.bit == (s8)b);
					if (ret != -EINVAL || err.field != i)
						printf("%s byte %u bit %u\n",
						       d->name, i, b);
				} else if (ret == -EINVAL && err.sksv &&
					   err.field == i && err.bit == (s8)b &&
					   err.asc == 0x24 &&
					   !(d->usage[i] & m)) {
					CU_FAIL("ignored bit refused");
				}
			}
		}
	}
}

static void test_usage_matches_decode(void)
{
	check_usage(D);
	check_usage(R);
}

static void test_rstmf(void)
{
	u8 cdb[12] = { 0xa3, 0x0d, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0 };
	u8 buf[20];
	int len;

	memset(buf, 0xee, sizeof(buf));
	len = scst_rstmf_build(cdb, SCST_RSTMF_ATS | SCST_RSTMF_LURS |
			       SCST_RSTMF_QAES | SCST_RSTMF_ITNRS, buf,
			       sizeof(buf));
	CU_ASSERT_EQUAL(len, 4);
	CU_ASSERT_EQUAL(buf[0], 0x88);
	CU_ASSERT_EQUAL(buf[1], 0x05);
	CU_ASSERT_EQUAL(buf[2], 0);
	CU_ASSERT_EQUAL(buf[3], 0);
	CU_ASSERT_EQUAL(buf[4], 0xee);
	cdb[2] = 0x80;		/* REPD: extended format */
	len = scst_rstmf_build(cdb, SCST_RSTMF_QTSS, buf, sizeof(buf));
	CU_ASSERT_EQUAL(len, 16);
	CU_ASSERT_EQUAL(buf[1], 0x02);
	CU_ASSERT_EQUAL(buf[3], 0x0c);
	CU_ASSERT_EQUAL(buf[4], 0);	/* TMFTMOV */
	CU_ASSERT_EQUAL(buf[16], 0xee);
	memset(buf, 0xee, sizeof(buf));
	len = scst_rstmf_build(cdb, SCST_RSTMF_ATS, buf, 1);
	CU_ASSERT_EQUAL(len, 16);
	CU_ASSERT_EQUAL(buf[0], 0x80);
	CU_ASSERT_EQUAL(buf[1], 0xee);
}

static const struct test_def rsoc_tests[] = {
	{ "all_commands format", test_all_commands },
	{ "filtered by the LU", test_filter },
	{ "one_command format", test_one_command },
	{ "usage data refined by the LU", test_usage_filter },
	{ "allocation length", test_truncated },
	{ "REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS", test_rstmf },
	{ "usage data is what decode checks", test_usage_matches_decode },
	{ NULL, NULL },
};

int register_rsoc_tests(void)
{
	return register_suite("rsoc", rsoc_tests);
}
