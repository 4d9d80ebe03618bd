// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_aptpl.c - libFuzzer target: the APTPL state file loader and
 * writer (scst_pr_file_check(), scst_pr_file_rec(),
 * scst_pr_file_encode() in scst_pr.c)
 *
 * Input byte 0 selects what the rest is:
 *  bit 0 clear: a payload; the harness puts a valid header (magic,
 *    version, length, CRC-32) in front of it, so that the fuzzer reaches
 *    the record checks (a random CRC would never match);
 *  bit 0 set: a whole file, header included;
 *  bit 2 set (with bit 0 clear): the payload is also cut or padded with
 *    zeros to end where its records end (at most 64 records walked),
 *    so that every record length the fuzzer tries gives a file whose
 *    structure is right.
 * Bit 1 also builds a state and records from the same bytes and writes
 * them with scst_pr_file_encode().
 *
 * The file is loaded as the kernel does (scst_pr_file_load(): check,
 * then every record into a struct scst_pr_rec on the stack).
 * Invariants:
 *  - an accepted file has the length its header says, a valid type, at
 *    most SCST_PR_FILE_MAX_REGS records, and its records fill it exactly;
 *  - the loader never accepts a record whose name is longer than its
 *    field (SCST_PR_NAME_MAX bytes with the NUL): reported as
 *    "scst_pr_file_rec: name ... does not fit";
 *  - a loaded name is the bytes of the record up to the first NUL;
 *  - there is no record after the last one;
 *  - round trip: encoding the loaded state and records gives the same
 *    file (but for the two reserved bytes), when no name has a NUL;
 *  - whatever scst_pr_file_encode() writes is accepted and loads back
 *    to what was written.
 */
#include <string.h>

#include "fuzz_check.h"
#include "scst_pr.h"
#include "scst_resv.h"

#define HDR	SCST_PR_FILE_HDR_LEN
#define FIXED	12
#define REC_MIN	12

static void put_header(u8 *f, size_t len)
{
	memcpy(f, SCST_PR_FILE_MAGIC, 8);
	put_unaligned_be32(SCST_PR_FILE_VERSION, f + 8);
	put_unaligned_be32((u32)(len - HDR), f + 12);
	put_unaligned_be32(scst_pr_crc32(f + HDR, len - HDR), f + 16);
}

static void check_rec(const u8 *f, size_t off, const struct scst_pr_rec *rec)
{
	u8 n = f[off + 11];

	if (n >= SCST_PR_NAME_MAX) {
		fprintf(stderr, "invariant failed: scst_pr_file_rec: name of %u bytes at offset %zu does not fit its %d-byte field\n",
			n, off, SCST_PR_NAME_MAX);
		abort();
	}
	CHECK(rec->key == get_unaligned_be64(f + off));
	CHECK(rec->rel_tgt_id == get_unaligned_be16(f + off + 8));
	CHECK(rec->all_tg_pt == (f[off + 10] & 1));
	CHECK(rec->holder == !!(f[off + 10] & 2));
	CHECK(strlen(rec->name) == strnlen((const char *)f + off + 12, n));
	CHECK(!memcmp(rec->name, f + off + 12, strlen(rec->name)));
}

/* encode what was loaded: the same bytes but the reserved ones */
static void round_trip(const u8 *f, size_t len,
		       const struct scst_pr_file_state *st,
		       const struct scst_pr_rec *recs)
{
	size_t cap = scst_pr_file_size(st->nr_regs), n;
	u8 *out = malloc(cap);

	CHECK(scst_pr_file_encode(out, cap - 1, st, recs) == 0 ||
	      cap - 1 >= len);
	n = scst_pr_file_encode(out, cap, st, recs);
	CHECK(n == len);
	CHECK(!memcmp(out + HDR, f + HDR, 6));
	CHECK(!memcmp(out + HDR + 8, f + HDR + 8, len - HDR - 8));
	free(out);
}

static void load(const u8 *f, size_t len)
{
	struct scst_pr_file_state st;
	struct scst_pr_rec rec, *recs;
	bool has_nul = false;
	size_t off = HDR + FIXED;
	u32 i;

	if (scst_pr_file_check(f, len, &st))
		return;
	CHECK(len >= HDR + FIXED && len == HDR + get_unaligned_be32(f + 12));
	CHECK(st.nr_regs <= SCST_PR_FILE_MAX_REGS);
	CHECK(st.nr_regs == get_unaligned_be32(f + 28));
	CHECK(st.nr_regs <= (len - HDR - FIXED) / (REC_MIN + 1));
	CHECK(!st.type || scst_pr_type_valid(st.type));
	CHECK(st.aptpl == f[25] && st.generation == get_unaligned_be32(f + 20));
	recs = calloc(st.nr_regs + 1, sizeof(*recs));
	for (i = 0; i < st.nr_regs; i++) {
		CHECK(off + REC_MIN <= len);
		/* on the stack, like scst_pr_file_regs() */
		if (scst_pr_file_rec(f, len, i, &rec))
			goto out;	/* the loader refuses the file */
		check_rec(f, off, &rec);
		has_nul |= strlen(rec.name) != f[off + 11];
		recs[i] = rec;
		off += REC_MIN + f[off + 11];
	}
	CHECK(off == len);
	CHECK(scst_pr_file_rec(f, len, st.nr_regs, &rec) == -EINVAL);
	if (!has_nul)
		round_trip(f, len, &st, recs);
out:
	free(recs);
}

/* state and records made of the input, written and read back */
static void encode(const u8 *data, size_t size)
{
	struct scst_pr_file_state st = { 0 }, st2;
	struct scst_pr_rec *recs, rec;
	size_t cap, len, pos = 0;
	u32 i;
	u8 *f;

	if (size < 6)
		return;
	st.generation = get_unaligned_be32(data);
	st.type = data[4] & 0x0f;
	if (st.type && !scst_pr_type_valid(st.type))
		st.type = SCST_PR_TYPE_WE;
	st.aptpl = data[4] & 0x10;
	st.nr_regs = data[5] & 0x0f;
	/* what the loader accepts: see the rules in scst_pr.c */
	if (!st.aptpl)
		st.nr_regs = 0;
	if (!st.nr_regs)
		st.type = 0;
	pos = 6;
	recs = calloc(st.nr_regs + 1, sizeof(*recs));
	for (i = 0; i < st.nr_regs; i++) {
		size_t n = pos < size ? data[pos] % SCST_PR_NAME_MAX : 0;

		/* a key, a port or all ports; no nexus twice */
		recs[i].key = (i + 1) * 0x0101010101010101ULL;
		recs[i].rel_tgt_id = (u16)(i + 1);
		recs[i].all_tg_pt = i == 1;
		recs[i].holder = i == 0 && st.type;
		pos++;
		if (n > size - (pos < size ? pos : size))
			n = size - (pos < size ? pos : size);
		if (!n)
			n = 1, recs[i].name[0] = 'x';
		else
			memcpy(recs[i].name, data + pos, n);
		recs[i].name[n < SCST_PR_NAME_MAX ? n : SCST_PR_NAME_MAX - 1] = 0;
		if (!recs[i].name[0])
			recs[i].name[0] = 'y';
		pos += n;
	}
	cap = scst_pr_file_size(st.nr_regs);
	f = malloc(cap);
	len = scst_pr_file_encode(f, cap, &st, recs);
	CHECK(len >= HDR + FIXED && len <= cap);
	CHECK(scst_pr_file_check(f, len, &st2) == 0);
	CHECK(st2.generation == st.generation && st2.type == st.type &&
	      st2.aptpl == st.aptpl && st2.nr_regs == st.nr_regs);
	for (i = 0; i < st.nr_regs; i++) {
		CHECK(scst_pr_file_rec(f, len, i, &rec) == 0);
		CHECK(rec.key == recs[i].key && !strcmp(rec.name, recs[i].name));
		CHECK(rec.rel_tgt_id == recs[i].rel_tgt_id &&
		      rec.all_tg_pt == recs[i].all_tg_pt &&
		      rec.holder == recs[i].holder);
	}
	/* any one byte changed is refused (CRC, length or magic) */
	f[data[0] % len] ^= 0x40;
	CHECK(scst_pr_file_check(f, len, &st2) == -EINVAL);
	free(f);
	free(recs);
}

/* length of a payload that ends where its records end */
static size_t fit_len(const u8 *p, size_t size)
{
	size_t off = FIXED;
	u32 i, nr;

	if (size < FIXED)
		return FIXED;
	nr = get_unaligned_be32(p + 8);
	for (i = 0; i < nr && i < 64; i++)
		off += REC_MIN + (off + 11 < size ? p[off + 11] : 0);
	return off;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len, n;
	u8 *f;

	if (size < 1 || size > 65536)
		return 0;
	if (data[0] & 1) {
		len = size - 1;
		f = malloc(len ? len : 1);
		memcpy(f, data + 1, len);
	} else {
		n = data[0] & 4 ? fit_len(data + 1, size - 1) : size - 1;
		len = HDR + n;
		f = calloc(1, len);
		memcpy(f + HDR, data + 1, n < size - 1 ? n : size - 1);
		put_header(f, len);
	}
	load(f, len);
	free(f);
	if (data[0] & 2)
		encode(data + 1, size - 1);
	return 0;
}
