// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_cdb_pt.c - libFuzzer target: CDB decoding for pass-through
 * devices and the READ/WRITE split (scst_cdb_pt.c)
 *
 * Input: byte 0 device type (low 5 bits), byte 1 expected direction
 * (low 2 bits), bytes 2-5 expected length, 6-13 LBA and 14-17 number of
 * blocks for the split, the rest the CDB (at most SCST_MAX_CDB_SIZE,
 * 32, as the core keeps), copied into a buffer of exactly its length.
 * Invariants:
 *  - a command the table has for the type (or a common SPC command, as
 *    for a disk) decodes exactly as scst_cdb_decode() decodes it;
 *  - any other command is described by the transport: its length, the
 *    expected direction (none without data) and length, WRITES_MEDIUM
 *    only with data-out, no other flag, no LBA; bidirectional refused
 *    with INVALID FIELD IN CDB;
 *  - scst_cdb_rw_split() of a READ/WRITE accepts exactly the values that
 *    fit, and the rewritten CDB decodes to that LBA and length with every
 *    other field as before.
 */
#include <string.h>

#include "fuzz_check.h"
#include "scst_cdb.h"
#include "scst_cdb_pt.h"

#define MAX_CDB	32	/* SCST_MAX_CDB_SIZE */

static bool spc_common(u8 op)
{
	static const u8 ops[] = { 0x00, 0x03, 0x12, 0x16, 0x17, 0x56, 0x57,
				  0x5e, 0x5f, 0xa0 };

	return memchr(ops, op, sizeof(ops)) != NULL;
}

static bool same_ci(const struct scst_cdb_info *a,
		    const struct scst_cdb_info *b)
{
	return a->opcode == b->opcode && a->service_action ==
	       b->service_action && a->cdb_len == b->cdb_len &&
	       a->dir == b->dir && a->resv == b->resv &&
	       a->flags == b->flags && a->lba == b->lba &&
	       a->nblocks == b->nblocks && a->data_len == b->data_len &&
	       a->name == b->name;
}

static u32 max_lba_bits(u8 op)
{
	switch (op) {
	case 0x08: case 0x0a:
		return 21;
	case 0x88: case 0x8a:
		return 64;
	default:
		return 32;
	}
}

static void fuzz_split(const u8 *cdb, unsigned int len, u64 lba, u32 nb)
{
	u32 max = scst_cdb_rw_max_blocks(cdb[0]);
	static const u8 group_len[8] = { 6, 10, 10, 0, 16, 12, 0, 0 };
	struct scst_cdb_info ci, ci2;
	struct scst_cdb_err err;
	unsigned int i, clen;
	bool fits;
	u8 *c;
	int r;

	CHECK(scst_cdb_rw_splittable(cdb[0]) == (max != 0));
	/* the core splits whole READ/WRITE CDBs only */
	if (!max || len < group_len[cdb[0] >> 5])
		return;
	c = malloc(len);
	/* nblocks mostly small, LBA mostly near the limit of the CDB */
	if (max_lba_bits(cdb[0]) < 64)
		lba &= (1ULL << (max_lba_bits(cdb[0]) + 1)) - 1;
	memcpy(c, cdb, len);
	r = scst_cdb_rw_split(c, lba, nb);
	fits = nb && nb <= max &&
	       (max_lba_bits(cdb[0]) == 64 ||
		lba < (1ULL << max_lba_bits(cdb[0])));
	CHECK(fits ? r == 0 : r == -EINVAL);
	if (r) {
		CHECK(!memcmp(c, cdb, len));
		goto out;
	}
	if (scst_cdb_decode(cdb, len, SCST_TYPE_DISK, &ci, &err))
		goto out;
	CHECK(scst_cdb_decode(c, len, SCST_TYPE_DISK, &ci2, &err) == 0);
	CHECK(ci2.lba == lba && ci2.nblocks == nb);
	CHECK(ci2.opcode == ci.opcode && ci2.flags == ci.flags &&
	      ci2.dir == ci.dir && ci2.cdb_len == ci.cdb_len);
	clen = ci.cdb_len;
	/* the control byte and everything after the CDB are untouched */
	for (i = clen - 1; i < len; i++)
		CHECK(c[i] == cdb[i]);
	if (clen == 6)
		CHECK((c[1] & 0xe0) == (cdb[1] & 0xe0));
	else
		CHECK(c[1] == cdb[1]);
out:
	free(c);
}

static void fuzz_pt(const u8 *cdb, unsigned int len, u8 type,
		    enum scst_data_dir dir, u32 exp_len)
{
	struct scst_cdb_info ci, ref;
	struct scst_cdb_err err, rerr;
	bool known = false;
	u16 sa;
	int r, rr;

	r = scst_cdb_decode_pt(cdb, len, type, dir, exp_len, &ci, &err);
	CHECK(r == 0 || r == -EINVAL || r == -EOPNOTSUPP);
	if (!len) {
		CHECK(r == -EINVAL && err.key == 0x05 && err.asc == 0x24);
		return;
	}
	if (spc_common(cdb[0])) {
		known = true;
		rr = scst_cdb_decode(cdb, len, SCST_TYPE_DISK, &ref, &rerr);
	} else {
		sa = scst_cdb_opcode_has_sa(cdb[0]) && len > 1 ?
		     cdb[1] & 0x1f : 0;
		known = scst_cdb_opcode_find(type, cdb[0], sa) != NULL;
		if (known)
			rr = scst_cdb_decode(cdb, len, type, &ref, &rerr);
	}
	if (known) {
		CHECK(r == rr);
		if (!r)
			CHECK(same_ci(&ci, &ref));
		else if (r == -EINVAL)
			CHECK(err.key == rerr.key && err.asc == rerr.asc &&
			      err.sksv == rerr.sksv && err.field == rerr.field);
		return;
	}
	CHECK(r != -EOPNOTSUPP);
	if (dir == SCST_DIR_BIDI) {
		CHECK(r == -EINVAL && err.key == 0x05 && err.asc == 0x24 &&
		      !err.sksv);
		return;
	}
	CHECK(r == 0);
	CHECK(ci.opcode == cdb[0] && ci.cdb_len == len && ci.name);
	CHECK(ci.dir == (exp_len ? dir : SCST_DIR_NONE));
	CHECK(ci.data_len == (ci.dir == SCST_DIR_NONE ? 0 : exp_len));
	/* not in the table: writing unless on the harmless list */
	if (scst_cdb_pt_harmless(type, cdb[0]))
		CHECK(ci.flags == 0u && ci.resv == SCST_RESV_READ);
	else
		CHECK(ci.flags == (u32)SCST_CDB_WRITES_MEDIUM &&
		      ci.resv == SCST_RESV_WRITE);
	CHECK(!ci.lba && !ci.nblocks && !ci.service_action);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int len;
	u8 *cdb;

	if (size < 18 || size - 18 > MAX_CDB)
		return 0;
	len = (unsigned int)(size - 18);
	cdb = malloc(len ? len : 1);
	memcpy(cdb, data + 18, len);
	fuzz_pt(cdb, len, data[0] & 0x1f, (enum scst_data_dir)(data[1] & 3),
		get_unaligned_be32(data + 2));
	if (len)
		fuzz_split(cdb, len, get_unaligned_be64(data + 6),
			   get_unaligned_be32(data + 14));
	free(cdb);
	return 0;
}
