// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_unmap.c - libFuzzer target: UNMAP parameter lists
 * (vdisk_unmap_parse() in fmt_sbc.c)
 *
 * Input: byte 0 MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT (low 4 bits),
 * bytes 1-4 MAXIMUM UNMAP LBA COUNT, bytes 5-12 the capacity, the rest
 * the parameter list, copied into a buffer of exactly its length; the
 * ranges go to an array of exactly max_unmap_desc entries.
 * Invariants:
 *  - the ranges are the descriptors that fit both the list and its
 *    descriptor data length, in order, without the empty ones; each lies
 *    within the capacity and together they are at most the maximum;
 *  - a refusal names its reason truly: too many descriptors (field 2),
 *    the descriptor whose count crosses the maximum (its field 8), a
 *    range beyond the capacity (LBA OUT OF RANGE), or a list of 1 to 7
 *    bytes (PARAMETER LIST LENGTH ERROR).
 */
#include <string.h>

#include "fuzz_check.h"
#include "vdisk_fmt.h"
#include "scst_sense_codes.h"

static unsigned int nr_desc(const u8 *buf, unsigned int len)
{
	unsigned int avail = get_unaligned_be16(buf + 2);

	if (avail > len - 8)
		avail = len - 8;
	return avail / 16;
}

static void check_ok(const u8 *buf, unsigned int len, u64 nr_blocks,
		     const struct vdisk_limits *lim,
		     const struct vdisk_range *r, int n)
{
	unsigned int i, j = 0, nd;
	u64 total = 0;

	if (!len) {
		CHECK(n == 0);
		return;
	}
	nd = nr_desc(buf, len);
	CHECK(nd <= lim->max_unmap_desc);
	for (i = 0; i < nd; i++) {
		const u8 *d = buf + 8 + 16 * i;
		u32 nr = get_unaligned_be32(d + 8);

		total += nr;
		if (!nr)
			continue;
		CHECK((int)j < n);
		CHECK(r[j].lba == get_unaligned_be64(d) && r[j].nr == nr);
		CHECK(r[j].lba <= nr_blocks && r[j].nr <= nr_blocks - r[j].lba);
		j++;
	}
	CHECK((int)j == n && total <= lim->max_unmap);
}

static void check_err(const u8 *buf, unsigned int len, u64 nr_blocks,
		      const struct vdisk_limits *lim,
		      const struct vdisk_unmap_err *err)
{
	unsigned int i, nd;
	u64 total = 0;
	const u8 *d;

	if (err->aq == SCST_AQ_PARAM_LIST_LENGTH_ERROR) {
		CHECK(len >= 1 && len < 8);
		return;
	}
	CHECK(len >= 8);
	nd = nr_desc(buf, len);
	if (err->aq == SCST_AQ_INVALID_FIELD_IN_PARAM_LIST && err->field == 2) {
		CHECK(nd > lim->max_unmap_desc && err->bit == 7);
		return;
	}
	CHECK(nd <= lim->max_unmap_desc);
	if (err->aq == SCST_AQ_INVALID_FIELD_IN_PARAM_LIST) {
		CHECK(err->field >= 16 && err->field % 16 == 0 &&
		      err->bit == 7);
		i = (err->field - 16) / 16;
		CHECK(i < nd);
		for (nd = 0; nd <= i; nd++)
			total += get_unaligned_be32(buf + 8 + 16 * nd + 8);
		CHECK(total > lim->max_unmap);
		return;
	}
	CHECK(err->aq == SCST_AQ_LBA_OUT_OF_RANGE);
	for (i = 0; i < nd; i++) {
		u64 lba;
		u32 nr;

		d = buf + 8 + 16 * i;
		lba = get_unaligned_be64(d);
		nr = get_unaligned_be32(d + 8);
		if (lba > nr_blocks || nr > nr_blocks - lba)
			return;
	}
	CHECK(!"LBA OUT OF RANGE without a range beyond the capacity");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vdisk_limits lim = { 0 };
	struct vdisk_unmap_err err;
	struct vdisk_range *r;
	unsigned int len;
	u64 nr_blocks;
	u8 *buf;
	int n;

	if (size < 13)
		return 0;
	lim.max_unmap_desc = data[0] & 0x0f;
	lim.max_unmap = get_unaligned_be32(data + 1);
	nr_blocks = get_unaligned_be64(data + 5);
	len = (unsigned int)(size - 13);
	buf = malloc(len ? len : 1);
	memcpy(buf, data + 13, len);
	r = malloc(sizeof(*r) * (lim.max_unmap_desc ? lim.max_unmap_desc : 1));

	memset(&err, 0, sizeof(err));
	n = vdisk_unmap_parse(buf, len, nr_blocks, &lim, r,
			      lim.max_unmap_desc, &err);
	CHECK(n == -EINVAL || (n >= 0 && (unsigned int)n <= lim.max_unmap_desc));
	if (n >= 0)
		check_ok(buf, len, nr_blocks, &lim, r, n);
	else
		check_err(buf, len, nr_blocks, &lim, &err);
	free(r);
	free(buf);
	return 0;
}
