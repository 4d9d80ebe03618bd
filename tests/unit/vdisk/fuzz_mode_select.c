// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_mode_select.c - libFuzzer target: MODE SELECT(6/10) parameter
 * lists (vdisk_mode_select_parse() in fmt_mode.c)
 *
 * Input: byte 0 the current mode parameters and the CDB (bit 0 MODE
 * SELECT(10), bit 1 CD-ROM, bit 2 WCE, bit 3 D_SENSE, bit 4 SWP, bit 5
 * TAS, bits 6-7 QERR, 10b read as 11b), byte 1 the capacity and block
 * size, the rest the parameter list, copied into a buffer of exactly its
 * length.  Invariants:
 *  - a refused list changes nothing and points at a byte of the list
 *    (INVALID FIELD IN PARAMETER LIST) or is a PARAMETER LIST LENGTH
 *    ERROR;
 *  - an accepted list changes only the changeable parameters (WCE,
 *    D_SENSE, QERR, TAS), never to the reserved QERR 10b;
 *  - round trip: what MODE SENSE reports for the new parameters (current
 *    values, all pages, with and without block descriptor) is accepted by
 *    MODE SELECT from the old ones and gives the new ones again.
 */
#include <string.h>

#include "fuzz_check.h"
#include "vdisk_fmt.h"
#include "scst_sense_codes.h"

static void check_err(const struct vdisk_mode_err *err, unsigned int len)
{
	if (err->aq == SCST_AQ_PARAM_LIST_LENGTH_ERROR) {
		CHECK(err->bit == -1);
		return;
	}
	CHECK(err->aq == SCST_AQ_INVALID_FIELD_IN_PARAM_LIST);
	CHECK(err->field < len && err->bit >= 0 && err->bit <= 7);
}

static bool same_fixed(const struct vdisk_mode *a, const struct vdisk_mode *b)
{
	return a->cdrom == b->cdrom && a->wce_default == b->wce_default &&
	       a->swp == b->swp && a->wp == b->wp && a->locked == b->locked &&
	       a->nr_blocks == b->nr_blocks && a->block_size == b->block_size;
}

static bool same(const struct vdisk_mode *a, const struct vdisk_mode *b)
{
	return same_fixed(a, b) && a->wce == b->wce &&
	       a->d_sense == b->d_sense && a->qerr == b->qerr &&
	       a->tas == b->tas;
}

/* MODE SENSE of @m as a MODE SELECT list, selected from @cur */
static void round_trip(bool ten, bool dbd, const struct vdisk_mode *cur,
		       const struct vdisk_mode *m)
{
	struct vdisk_mode out;
	struct vdisk_mode_err err;
	u8 *buf = malloc(VDISK_FMT_BUF);
	int len;

	len = vdisk_fmt_mode_sense(buf, VDISK_FMT_BUF, ten, dbd, false,
				   VDISK_MODE_ALL_PAGES, VDISK_PC_CURRENT, m);
	CHECK(len > (ten ? 8 : 4) && len <= VDISK_FMT_BUF);
	/* MODE DATA LENGTH is reserved in MODE SELECT; WP is ignored */
	buf[0] = 0;
	if (ten)
		buf[1] = 0;
	CHECK(vdisk_mode_select_parse(buf, len, ten, cur, &out, &err) == 0);
	CHECK(same(&out, m));
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const u32 bs[4] = { 512, 4096, 2048, 1024 };
	struct vdisk_mode cur = { 0 }, out;
	struct vdisk_mode_err err;
	unsigned int len;
	bool ten;
	u8 *buf;
	int r;

	if (size < 2)
		return 0;
	ten = data[0] & 1;
	cur.cdrom = data[0] & 2;
	cur.wce = data[0] & 4;
	cur.d_sense = data[0] & 8;
	cur.swp = data[0] & 0x10;
	cur.tas = data[0] & 0x20;
	cur.qerr = data[0] >> 6 == 2 ? 3 : data[0] >> 6;
	cur.wp = data[1] & 0x80;
	cur.nr_blocks = (data[1] & 0x40) ? 0x100000000ULL + data[1] : 2048;
	cur.block_size = cur.cdrom ? 2048 : bs[data[1] & 3];
	len = (unsigned int)(size - 2);
	buf = malloc(len ? len : 1);
	memcpy(buf, data + 2, len);

	memset(&err, 0, sizeof(err));
	memset(&out, 0x5a, sizeof(out));
	r = vdisk_mode_select_parse(buf, len, ten, &cur, &out, &err);
	CHECK(r == 0 || r == -EINVAL);
	if (r) {
		check_err(&err, len);
		CHECK(same(&out, &cur));
	} else {
		CHECK(same_fixed(&out, &cur));
		CHECK(out.qerr == 0 || out.qerr == 1 || out.qerr == 3);
		round_trip(ten, false, &cur, &out);
		round_trip(ten, true, &cur, &out);
		round_trip(!ten, false, &out, &out);
	}
	free(buf);
	return 0;
}
