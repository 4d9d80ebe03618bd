// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_pr.c - unit tests for PERSISTENT RESERVE OUT parameter lists,
 * TransportIDs and the APTPL file format
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "scst_pr.h"
#include "scst_resv.h"
#include "tests.h"

static void test_pr_out_basic(void)
{
	struct scst_pr_out_params p;
	struct scst_cdb_err err;
	u8 b[64] = { 0 };

	b[7] = 0x11;
	b[15] = 0x22;
	b[20] = 0x05;	/* ALL_TG_PT, APTPL */
	CU_ASSERT_EQUAL(scst_pr_out_parse(b, 24, SCST_PR_OUT_REGISTER, &p,
					  &err), 0);
	CU_ASSERT_EQUAL(p.key, 0x11);
	CU_ASSERT_EQUAL(p.sa_key, 0x22);
	CU_ASSERT(p.all_tg_pt && p.aptpl && !p.spec_i_pt);
	/* ALL_TG_PT ignored for RESERVE */
	CU_ASSERT_EQUAL(scst_pr_out_parse(b, 24, SCST_PR_OUT_RESERVE, &p,
					  &err), 0);
	CU_ASSERT_FALSE(p.all_tg_pt);
	/* too short */
	CU_ASSERT_EQUAL(scst_pr_out_parse(b, 20, SCST_PR_OUT_REGISTER, &p,
					  &err), -EINVAL);
	CU_ASSERT_EQUAL(err.asc, 0x1a);
	/* longer than 24 without SPEC_I_PT */
	CU_ASSERT_EQUAL(scst_pr_out_parse(b, 28, SCST_PR_OUT_REGISTER, &p,
					  &err), -EINVAL);
	CU_ASSERT_EQUAL(err.asc, 0x1a);
	/* reserved bit */
	b[20] = 0x02;
	CU_ASSERT_EQUAL(scst_pr_out_parse(b, 24, SCST_PR_OUT_REGISTER, &p,
					  &err), -EINVAL);
	CU_ASSERT_EQUAL(err.asc, 0x26);
	CU_ASSERT_EQUAL(err.field, 20);
	/* SPEC_I_PT only with REGISTER */
	b[20] = 0x08;
	CU_ASSERT_EQUAL(scst_pr_out_parse(b, 24, SCST_PR_OUT_REGISTER_IGNORE,
					  &p, &err), -EINVAL);
	CU_ASSERT_EQUAL(err.asc, 0x26);
	CU_ASSERT_EQUAL(err.bit, 3);
	/* SPEC_I_PT with a TransportID list of 24 bytes */
	b[27] = 24;
	CU_ASSERT_EQUAL(scst_pr_out_parse(b, 52, SCST_PR_OUT_REGISTER, &p,
					  &err), 0);
	CU_ASSERT(p.spec_i_pt);
	CU_ASSERT_EQUAL(p.tid_off, 28);
	CU_ASSERT_EQUAL(p.tid_len, 24);
	CU_ASSERT_EQUAL(scst_pr_out_parse(b, 48, SCST_PR_OUT_REGISTER, &p,
					  &err), -EINVAL);
	CU_ASSERT_EQUAL(err.asc, 0x1a);
}

static void test_pr_out_move(void)
{
	struct scst_pr_out_params p;
	struct scst_cdb_err err;
	u8 b[64] = { 0 };

	b[17] = 0x03;
	b[19] = 2;
	b[23] = 24;
	CU_ASSERT_EQUAL(scst_pr_out_parse(b, 48,
					  SCST_PR_OUT_REGISTER_AND_MOVE, &p,
					  &err), 0);
	CU_ASSERT(p.unreg && p.aptpl);
	CU_ASSERT_EQUAL(p.rel_tgt_id, 2);
	CU_ASSERT_EQUAL(p.tid_off, 24);
	CU_ASSERT_EQUAL(p.tid_len, 24);
	b[17] = 0x04;
	CU_ASSERT_EQUAL(scst_pr_out_parse(b, 48,
					  SCST_PR_OUT_REGISTER_AND_MOVE, &p,
					  &err), -EINVAL);
	CU_ASSERT_EQUAL(err.field, 17);
	b[17] = 0;
	CU_ASSERT_EQUAL(scst_pr_out_parse(b, 52,
					  SCST_PR_OUT_REGISTER_AND_MOVE, &p,
					  &err), -EINVAL);
	CU_ASSERT_EQUAL(err.asc, 0x1a);
}

static void test_pr_tid(void)
{
	char name[SCST_PR_NAME_MAX];
	u8 b[300];
	u32 len, tl;

	len = scst_pr_tid_build("iqn.2024-01.x:a", b, sizeof(b));
	CU_ASSERT_EQUAL(len, 24);
	CU_ASSERT_EQUAL(b[0], 0x05);
	CU_ASSERT_EQUAL(b[3], 20);
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, len, name, sizeof(name), &tl), 0);
	CU_ASSERT_STRING_EQUAL(name, "iqn.2024-01.x:a");
	CU_ASSERT_EQUAL(tl, 24);
	/* truncated */
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, 20, name, sizeof(name), &tl),
			-EINVAL);
	/* format 01b: name,i,0xISID */
	memset(b, 0, sizeof(b));
	b[0] = 0x45;
	b[3] = 32;
	strcpy((char *)b + 4, "iqn.x:b,i,0x123456789abc");
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, 36, name, sizeof(name), &tl), 0);
	CU_ASSERT_STRING_EQUAL(name, "iqn.x:b,i,0x123456789abc");
	CU_ASSERT(scst_pr_name_is_port(name));
	/* built back as format 01b, the same name (25 bytes with the NUL) */
	CU_ASSERT_EQUAL(scst_pr_tid_build(name, b + 100, 100), 32);
	CU_ASSERT_EQUAL(b[100], 0x45);
	CU_ASSERT_EQUAL(b[103], 28);
	CU_ASSERT(!memcmp(b + 4, b + 104, 28));
	/* the ISID in upper case or without leading zeros: one port name */
	strcpy((char *)b + 4, "iqn.x:b,I,0X8012340000AB");
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, 36, name, sizeof(name), &tl), 0);
	CU_ASSERT_STRING_EQUAL(name, "iqn.x:b,i,0x8012340000ab");
	memset(b + 4, 0, 32);
	strcpy((char *)b + 4, "iqn.x:b,i,0x1f");
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, 36, name, sizeof(name), &tl), 0);
	CU_ASSERT_STRING_EQUAL(name, "iqn.x:b,i,0x00000000001f");
	/* no ISID digits, 13 digits, a non-hex digit */
	memset(b + 4, 0, 32);
	strcpy((char *)b + 4, "iqn.x:b,i,0x");
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, 36, name, sizeof(name), &tl),
			-EINVAL);
	strcpy((char *)b + 4, "iqn.x:b,i,0x1234567890abc");
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, 36, name, sizeof(name), &tl),
			-EINVAL);
	memset(b + 4, 0, 32);
	strcpy((char *)b + 4, "iqn.x:b,i,0x12g4");
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, 36, name, sizeof(name), &tl),
			-EINVAL);
	/* the port name does not fit the buffer given: refused, not cut */
	strcpy((char *)b + 4, "iqn.x:b,i,0x1234");
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, 36, name, 24, &tl), -EINVAL);
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, 36, name, 25, &tl), 0);
	/* a format 00b name is never a port name */
	CU_ASSERT_FALSE(scst_pr_name_is_port("iqn.x:b"));
	CU_ASSERT_FALSE(scst_pr_name_is_port(",i,0x123456789abc"));
	CU_ASSERT_FALSE(scst_pr_name_is_port("a,i,0x123456789ABC"));
	CU_ASSERT_FALSE(scst_pr_name_is_port("a,i,0x123456789ab"));
	memset(b + 4, 0, 32);
	strcpy((char *)b + 4, "iqn.x:b");
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, 36, name, sizeof(name), &tl),
			-EINVAL);
	/* format 01b with no name before ",i,0x" */
	memset(b + 4, 0, 32);
	strcpy((char *)b + 4, ",i,0x123456789abc");
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, 36, name, sizeof(name), &tl),
			-EINVAL);
	/* another protocol (SAS) */
	b[0] = 0x06;
	CU_ASSERT_EQUAL(scst_pr_tid_parse(b, 36, name, sizeof(name), &tl),
			-EOPNOTSUPP);
}

static void test_pr_file(void)
{
	struct scst_pr_rec recs[2] = {
		{ .key = 0xabc, .rel_tgt_id = 1, .holder = true,
		  .name = "iqn.a,i,0x80123400000a" },
		{ .key = 0xdef, .rel_tgt_id = 2, .all_tg_pt = true,
		  .name = "host-b" },
	};
	struct scst_pr_file_state st = {
		.generation = 7, .type = SCST_PR_TYPE_WE, .aptpl = true,
		.nr_regs = 2,
	}, got;
	struct scst_pr_rec r;
	u8 buf[2048];
	size_t len, i;

	len = scst_pr_file_encode(buf, sizeof(buf), &st, recs);
	CU_ASSERT(len > 0);
	CU_ASSERT_EQUAL(scst_pr_file_check(buf, len, &got), 0);
	CU_ASSERT_EQUAL(got.generation, 7);
	CU_ASSERT_EQUAL(got.type, SCST_PR_TYPE_WE);
	CU_ASSERT(got.aptpl);
	CU_ASSERT_EQUAL(got.nr_regs, 2);
	CU_ASSERT_EQUAL(scst_pr_file_rec(buf, len, 1, &r), 0);
	CU_ASSERT_EQUAL(r.key, 0xdef);
	CU_ASSERT_EQUAL(r.rel_tgt_id, 2);
	CU_ASSERT(r.all_tg_pt && !r.holder);
	CU_ASSERT_STRING_EQUAL(r.name, "host-b");
	CU_ASSERT_EQUAL(scst_pr_file_rec(buf, len, 0, &r), 0);
	CU_ASSERT(r.holder);
	CU_ASSERT_STRING_EQUAL(r.name, "iqn.a,i,0x80123400000a");
	/* every truncation is detected */
	for (i = 0; i < len; i++)
		CU_ASSERT_EQUAL(scst_pr_file_check(buf, i, &got), -EINVAL);
	/* every single-bit flip is detected */
	for (i = 0; i < len * 8; i++) {
		buf[i / 8] ^= 1 << (i % 8);
		CU_ASSERT_EQUAL(scst_pr_file_check(buf, len, &got), -EINVAL);
		buf[i / 8] ^= 1 << (i % 8);
	}
	CU_ASSERT_EQUAL(scst_pr_file_encode(buf, 40, &st, recs), 0);
	CU_ASSERT_EQUAL(got.version, SCST_PR_FILE_VERSION);
	CU_ASSERT_EQUAL(SCST_PR_FILE_VERSION, 2);
	/* a version 1 file (the same layout) still loads, version 3 not */
	put_unaligned_be32(1, buf + 8);
	CU_ASSERT_EQUAL(scst_pr_file_check(buf, len, &got), 0);
	CU_ASSERT_EQUAL(got.version, 1);
	CU_ASSERT_EQUAL(scst_pr_file_rec(buf, len, 1, &r), 0);
	CU_ASSERT_STRING_EQUAL(r.name, "host-b");
	put_unaligned_be32(3, buf + 8);
	CU_ASSERT_EQUAL(scst_pr_file_check(buf, len, &got), -EINVAL);
	put_unaligned_be32(0, buf + 8);
	CU_ASSERT_EQUAL(scst_pr_file_check(buf, len, &got), -EINVAL);
	/* the CRC of the check string */
	CU_ASSERT_EQUAL(scst_pr_crc32((const u8 *)"123456789", 9),
			0xcbf43926);
}

/*
 * Crafted APTPL files: a payload is given record by record and the file
 * gets a correct header, length and CRC, so that only the record checks
 * can refuse it.
 */
struct crafted {
	u8 buf[70000];
	size_t len;
};

static void craft_start(struct crafted *c, u8 type, u8 aptpl, u32 nr)
{
	memset(c->buf, 0, 32);
	memcpy(c->buf, SCST_PR_FILE_MAGIC, 8);
	put_unaligned_be32(SCST_PR_FILE_VERSION, c->buf + 8);
	put_unaligned_be32(1, c->buf + 20);
	c->buf[24] = type;
	c->buf[25] = aptpl;
	put_unaligned_be32(nr, c->buf + 28);
	c->len = 32;
}

static void craft_rec(struct crafted *c, u64 key, u16 rel, u8 flags,
		      u8 name_len, char fill)
{
	u8 *r = c->buf + c->len;

	put_unaligned_be64(key, r);
	put_unaligned_be16(rel, r + 8);
	r[10] = flags;
	r[11] = name_len;
	memset(r + 12, fill, name_len);
	c->len += 12 + name_len;
}

static int craft_check(struct crafted *c)
{
	struct scst_pr_file_state st;

	put_unaligned_be32((u32)(c->len - 20), c->buf + 12);
	put_unaligned_be32(scst_pr_crc32(c->buf + 20, c->len - 20),
			   c->buf + 16);
	return scst_pr_file_check(c->buf, c->len, &st);
}

static void test_pr_file_crafted(void)
{
	static struct crafted c;
	struct scst_pr_rec r;
	u32 i;

	/* the accepted baseline, and the longest name */
	craft_start(&c, SCST_PR_TYPE_WE, 1, 2);
	craft_rec(&c, 1, 1, 2, 5, 'a');
	craft_rec(&c, 2, 1, 0, SCST_PR_NAME_MAX - 1, 'b');
	CU_ASSERT_EQUAL(craft_check(&c), 0);
	CU_ASSERT_EQUAL(scst_pr_file_rec(c.buf, c.len, 1, &r), 0);
	CU_ASSERT_EQUAL(strlen(r.name), SCST_PR_NAME_MAX - 1);
	CU_ASSERT_EQUAL(scst_pr_file_rec(c.buf, c.len, 2, &r), -EINVAL);

	/* name of 255 bytes: the stack overflow of issue #14 */
	craft_start(&c, 0, 1, 1);
	craft_rec(&c, 1, 1, 0, 255, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* even unchecked, a record never overflows rec->name */
	CU_ASSERT_EQUAL(scst_pr_file_rec(c.buf, c.len, 0, &r), -EINVAL);
	/* name of exactly SCST_PR_NAME_MAX bytes: no room for the NUL */
	craft_start(&c, 0, 1, 1);
	craft_rec(&c, 1, 1, 0, SCST_PR_NAME_MAX, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	CU_ASSERT_EQUAL(scst_pr_file_rec(c.buf, c.len, 0, &r), -EINVAL);
	/* empty name */
	craft_start(&c, 0, 1, 1);
	craft_rec(&c, 1, 1, 0, 0, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* NUL inside the name */
	craft_start(&c, 0, 1, 1);
	craft_rec(&c, 1, 1, 0, 8, 'x');
	c.buf[c.len - 4] = 0;
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* key 0 is never registered */
	craft_start(&c, 0, 1, 1);
	craft_rec(&c, 0, 1, 0, 8, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* unknown flag bit */
	craft_start(&c, 0, 1, 1);
	craft_rec(&c, 1, 1, 4, 8, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* relative target port id 0 */
	craft_start(&c, 0, 1, 1);
	craft_rec(&c, 1, 0, 0, 8, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* two holders */
	craft_start(&c, SCST_PR_TYPE_WE, 1, 2);
	craft_rec(&c, 1, 1, 2, 8, 'x');
	craft_rec(&c, 1, 1, 2, 8, 'y');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* holder without reservation, reservation without holder */
	craft_start(&c, 0, 1, 1);
	craft_rec(&c, 1, 1, 2, 8, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	craft_start(&c, SCST_PR_TYPE_WE, 1, 1);
	craft_rec(&c, 1, 1, 0, 8, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* invalid reservation type */
	craft_start(&c, 2, 1, 1);
	craft_rec(&c, 1, 1, 2, 8, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* the same I_T nexus twice */
	craft_start(&c, 0, 1, 2);
	craft_rec(&c, 1, 3, 0, 8, 'x');
	craft_rec(&c, 2, 3, 0, 8, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	craft_start(&c, 0, 1, 2);
	craft_rec(&c, 1, 3, 1, 8, 'x');
	craft_rec(&c, 2, 4, 1, 8, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* same name through another port is another nexus */
	craft_start(&c, 0, 1, 2);
	craft_rec(&c, 1, 3, 0, 8, 'x');
	craft_rec(&c, 2, 4, 0, 8, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), 0);
	/* count larger, smaller, huge */
	craft_start(&c, 0, 1, 3);
	craft_rec(&c, 1, 3, 0, 8, 'x');
	craft_rec(&c, 2, 4, 0, 8, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	put_unaligned_be32(1, c.buf + 28);
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	put_unaligned_be32(0xffffffff, c.buf + 28);
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	put_unaligned_be32(SCST_PR_FILE_MAX_REGS + 1, c.buf + 28);
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* the last name runs past the end */
	craft_start(&c, 0, 1, 1);
	craft_rec(&c, 1, 3, 0, 200, 'x');
	c.len -= 100;
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* a record header cut short */
	craft_start(&c, 0, 1, 1);
	craft_rec(&c, 1, 3, 0, 8, 'x');
	c.len = 32 + 11;
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* reserved bytes, aptpl not 0/1, APTPL off with state */
	craft_start(&c, 0, 1, 0);
	CU_ASSERT_EQUAL(craft_check(&c), 0);
	c.buf[26] = 1;
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	craft_start(&c, 0, 3, 0);
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	craft_start(&c, 0, 0, 1);
	craft_rec(&c, 1, 3, 0, 8, 'x');
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	craft_start(&c, SCST_PR_TYPE_WE, 0, 0);
	CU_ASSERT_EQUAL(craft_check(&c), -EINVAL);
	/* a payload length that wraps: refused, not read past the end */
	craft_start(&c, 0, 1, 0);
	craft_check(&c);
	put_unaligned_be32(0xffffffff, c.buf + 12);
	CU_ASSERT_EQUAL(scst_pr_file_check(c.buf, c.len, &(struct
			scst_pr_file_state){ 0 }), -EINVAL);
	/* the most registrations, every one valid, is accepted */
	craft_start(&c, 0, 1, SCST_PR_FILE_MAX_REGS);
	for (i = 0; i < SCST_PR_FILE_MAX_REGS; i++)
		craft_rec(&c, i + 1, (u16)(i + 1), 0, 1, 'n');
	CU_ASSERT_EQUAL(craft_check(&c), 0);
}

static void test_pr_types(void)
{
	CU_ASSERT(scst_pr_type_valid(SCST_PR_TYPE_EA_AR));
	CU_ASSERT_FALSE(scst_pr_type_valid(2));
	CU_ASSERT_FALSE(scst_pr_type_valid(4));
	CU_ASSERT(scst_pr_type_all_registrants(SCST_PR_TYPE_WE_AR));
	CU_ASSERT_FALSE(scst_pr_type_all_registrants(SCST_PR_TYPE_WE_RO));
	CU_ASSERT(scst_pr_type_registrants(SCST_PR_TYPE_WE_RO));
}

static const struct test_def pr_tests[] = {
	{ "PR OUT basic parameter list", test_pr_out_basic },
	{ "PR OUT REGISTER AND MOVE list", test_pr_out_move },
	{ "iSCSI TransportID", test_pr_tid },
	{ "APTPL file", test_pr_file },
	{ "APTPL file, crafted", test_pr_file_crafted },
	{ "PR types", test_pr_types },
	{ NULL, NULL },
};

int register_pr_tests(void)
{
	return register_suite("pr", pr_tests);
}
