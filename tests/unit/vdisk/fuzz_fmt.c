// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_fmt.c - libFuzzer target: the vdisk data builders (INQUIRY and
 * VPD pages, MODE SENSE, READ CAPACITY, and the MMC ones: READ TOC, GET
 * CONFIGURATION, GET EVENT STATUS NOTIFICATION, READ DISC/TRACK
 * INFORMATION, MECHANISM STATUS) in fmt_*.c
 *
 * Input: byte 0 the builder, byte 1 the buffer size (VDISK_FMT_MIN to
 * VDISK_FMT_BUF), then the CDB fields and the device state the builder
 * takes, then the identification strings.  Each builder runs twice, into
 * buffers of exactly that size filled with 00h and FFh.  Invariants:
 *  - the same result both times, and every byte of the data it returns
 *    (up to the buffer size) written, the same both times: no byte of
 *    old memory goes to the initiator;
 *  - the length is at most VDISK_FMT_BUF; a buffer smaller than a
 *    builder needs is refused, not overrun (ASan);
 *  - the length fields of the headers agree with the length returned.
 */
#include <string.h>

#include "fuzz_check.h"
#include "vdisk_fmt.h"

struct in {
	const u8 *p;
	size_t left;
};

static u8 take(struct in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static u32 take32(struct in *in)
{
	u32 v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v = v << 8 | take(in);
	return v;
}

static void take_str(struct in *in, char *s, size_t max)
{
	size_t n = take(in) % (max + 1), i;

	for (i = 0; i < n; i++)
		s[i] = (char)(take(in) | 0x20);	/* printable-ish, no NUL */
	s[n] = '\0';
}

struct state {
	u8 sel, a, b, c;
	u32 addr;
	struct vdisk_ids ids;
	struct vdisk_inq inq;
	struct vdisk_limits lim;
	struct vdisk_mode m;
	struct vdisk_mmc mmc;
	char rev[5], tgt[224];
};

static int build(const struct state *s, u8 *buf, unsigned int size)
{
	switch (s->sel % 11) {
	case 0:
		return vdisk_fmt_std_inquiry(buf, size, &s->ids, &s->inq);
	case 1:
		return vdisk_fmt_vpd(buf, size, s->a, &s->ids, &s->inq,
				     &s->lim);
	case 2:
		return vdisk_fmt_mode_sense(buf, size, s->b & 1, s->b & 2,
					    s->b & 4, s->a & 0x3f,
					    (enum vdisk_pc)(s->b >> 6), &s->m);
	case 3:
		return vdisk_fmt_read_toc(buf, size, &s->mmc, s->a & 3,
					  s->b & 1, s->c);
	case 4:
		return vdisk_fmt_get_config(buf, size, &s->mmc, s->b & 3,
					    (u16)(s->a << 8 | s->c));
	case 5:
		return vdisk_fmt_gesn(buf, size, &s->mmc, s->a);
	case 6:
		return vdisk_fmt_disc_info(buf, size, &s->mmc);
	case 7:
		return vdisk_fmt_track_info(buf, size, &s->mmc, s->b & 3,
					    s->addr);
	case 8:
		return vdisk_fmt_mech_status(buf, size, &s->mmc);
	case 9:
		return vdisk_fmt_read_cap10(buf, s->m.nr_blocks,
					    s->m.block_size);
	default:
		return vdisk_fmt_read_cap16(buf, s->m.nr_blocks,
					    s->m.block_size, &s->lim);
	}
}

/* the length field of each header */
static void check_header(const struct state *s, const u8 *b, int len)
{
	switch (s->sel % 11) {
	case 0:
		CHECK(len >= 36 && b[4] == len - 5);
		break;
	case 1:
		CHECK(len >= 4 && b[1] == s->a &&
		      get_unaligned_be16(b + 2) == len - 4);
		break;
	case 2:
		if (s->b & 1)
			CHECK(get_unaligned_be16(b) == len - 2 &&
			      get_unaligned_be16(b + 6) ==
			      (s->m.cdrom || (s->b & 2) ? 0 :
			       (s->b & 4) ? 16 : 8));
		else
			CHECK(b[0] == len - 1 &&
			      b[3] == (s->m.cdrom || (s->b & 2) ? 0 : 8));
		break;
	case 3: case 5: case 6: case 7:
		CHECK(get_unaligned_be16(b) == len - 2);
		break;
	case 4:
		CHECK(get_unaligned_be32(b) == (u32)len - 4);
		break;
	case 9:
		CHECK(len == 8);
		break;
	case 10:
		CHECK(len == 32);
		break;
	}
}

static void parse_state(struct state *s, struct in *in)
{
	s->sel = take(in);
	s->a = take(in);
	s->b = take(in);
	s->c = take(in);
	s->addr = take32(in);
	s->m.cdrom = s->c & 1;
	s->m.wce = s->c & 2;
	s->m.wce_default = s->c & 4;
	s->m.d_sense = s->c & 8;
	s->m.swp = s->c & 0x10;
	s->m.tas = s->c & 0x20;
	s->m.qerr = (s->c >> 6) == 2 ? 3 : s->c >> 6;
	s->m.nr_blocks = (u64)take32(in) << (take(in) & 31);
	s->m.block_size = 512u << (take(in) & 3);
	s->mmc.present = s->b & 0x10;
	s->mmc.nr_blocks = s->m.nr_blocks;
	s->mmc.locked = s->b & 0x20;
	s->mmc.tray_open = s->a & 0x80;
	s->mmc.event = take(in) & 3;
	s->lim.max_xfer = take32(in);
	s->lim.opt_gran = take32(in);
	s->lim.phys_exp = take(in);
	s->lim.max_caw = take(in);
	s->lim.max_unmap = take32(in);
	s->lim.max_unmap_desc = take32(in);
	s->lim.unmap_gran = take32(in);
	s->lim.max_ws = take32(in);
	s->lim.thin = s->b & 0x08;
	s->lim.lbprz = s->b & 0x40;
	s->inq.type = s->m.cdrom ? 5 : 0;
	s->inq.removable = s->m.cdrom;
	s->inq.rel_tgt_id = (u16)s->addr;
	s->inq.nv_cache = s->c & 0x40;
	s->inq.rotational = s->c & 0x80;
	take_str(in, s->ids.vend, VDISK_VEND_LEN);
	take_str(in, s->ids.prod, VDISK_PROD_LEN);
	take_str(in, s->ids.dev_id, VDISK_DEV_ID_LEN);
	take_str(in, s->ids.usn, VDISK_USN_LEN);
	take_str(in, s->rev, 4);
	s->inq.rev = s->rev;
	take_str(in, s->tgt, sizeof(s->tgt) - 1);
	s->inq.tgt_name = s->tgt[0] ? s->tgt : NULL;
	s->ids.has_eui64 = s->a & 0x40;
	memset(s->ids.eui64, 0x11, 8);
	s->ids.naa_len = (s->b & 0x80) ? 16 : (s->a & 0x20) ? 8 : 0;
	memset(s->ids.naa, 0x60, sizeof(s->ids.naa));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct state s;
	unsigned int bsize;
	u8 *b0, *b1;
	int r0, r1;

	memset(&s, 0, sizeof(s));
	bsize = VDISK_FMT_MIN + take(&in) % (VDISK_FMT_BUF - VDISK_FMT_MIN + 1);
	parse_state(&s, &in);
	if (s.sel % 11 >= 9)
		bsize = s.sel % 11 == 9 ? 8 : 32;
	b0 = malloc(bsize);
	b1 = malloc(bsize);
	memset(b0, 0x00, bsize);
	memset(b1, 0xff, bsize);
	r0 = build(&s, b0, bsize);
	r1 = build(&s, b1, bsize);
	CHECK(r0 == r1);
	CHECK(r0 == -EINVAL || r0 == -EOPNOTSUPP || r0 > 0);
	if (r0 > 0) {
		CHECK(r0 <= VDISK_FMT_BUF);
		CHECK(!memcmp(b0, b1, (unsigned int)r0 < bsize ? r0 : bsize));
		if ((unsigned int)r0 <= bsize)
			check_header(&s, b0, r0);
	}
	free(b0);
	free(b1);
	return 0;
}
