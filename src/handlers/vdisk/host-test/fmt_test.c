// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host test of the pure vdisk builders and parsers (fmt_*.c), built with
 * ASan/UBSan and run by `make -C tests/unit/vdisk check` (part of
 * tests/run.sh --unit); that directory also has their fuzzers.  Prints
 * "FAIL ..." per failed check and ends with "N passed, N failed".
 *
 * Besides the checks, it feeds truncated MODE SELECT parameter lists of
 * every length to the parser, so that the sanitizer catches reads past
 * the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vdisk_fmt.h"
#include "scst_sense_codes.h"
static int fails, passes;
#define CHECK(c) do {							\
	if (!(c)) {							\
		printf("FAIL %s:%d %s\n", __FILE__, __LINE__, #c);	\
		fails++;						\
	} else {							\
		passes++;						\
	}								\
} while (0)
int main(void)
{
	struct vdisk_mode m = { .wce = 0, .nr_blocks = 1000, .block_size = 512 }, out;
	struct vdisk_mode_err err;
	struct vdisk_limits lim = { .max_unmap = 100, .max_unmap_desc = 2, .thin = 1, .lbprz = 1, .max_xfer = 16384 };
	struct vdisk_range r[4];
	struct vdisk_unmap_err uerr;
	u8 buf[512];
	int len, i, n;

	/* mode sense all pages, then select it back unchanged */
	len = vdisk_fmt_mode_sense(buf, sizeof(buf), 1, 0, 0, 0x3f, VDISK_PC_CURRENT, &m);
	CHECK(len > 8);
	buf[0] = buf[1] = 0; buf[3] = 0;
	CHECK(vdisk_mode_select_parse(buf, len, 1, &m, &out, &err) == 0);
	/* find caching page and set WCE */
	for (i = 16; i < len; i += buf[i + 1] + 2)
		if ((buf[i] & 0x3f) == 8) { buf[i + 2] |= 4; break; }
	CHECK(vdisk_mode_select_parse(buf, len, 1, &m, &out, &err) == 0 && out.wce);
	buf[i + 2] |= 1; /* RCD: not changeable */
	CHECK(vdisk_mode_select_parse(buf, len, 1, &m, &out, &err) == -EINVAL && err.field == i + 2 && err.bit == 0);
	/* control page: QERR and TAS changeable, QERR 10b reserved */
	len = vdisk_fmt_mode_sense(buf, sizeof(buf), 1, 1, 0, 0x0a, VDISK_PC_CHANGEABLE, &m);
	CHECK(len == 8 + 12 && buf[8 + 2] == 0x04 && buf[8 + 3] == 0x06 && buf[8 + 5] == 0x40);
	len = vdisk_fmt_mode_sense(buf, sizeof(buf), 1, 1, 0, 0x0a, VDISK_PC_CURRENT, &m);
	buf[0] = buf[1] = 0;
	buf[8 + 3] = 0x01 << 1; buf[8 + 5] = 0x40;
	CHECK(vdisk_mode_select_parse(buf, len, 1, &m, &out, &err) == 0 && out.qerr == 1 && out.tas);
	buf[8 + 3] = 0x03 << 1;
	CHECK(vdisk_mode_select_parse(buf, len, 1, &m, &out, &err) == 0 && out.qerr == 3);
	buf[8 + 3] = 0x02 << 1;
	CHECK(vdisk_mode_select_parse(buf, len, 1, &m, &out, &err) == -EINVAL && err.field == 8 + 3 && err.bit == 2 && out.qerr == 0);
	m.qerr = 3; m.tas = 1;
	len = vdisk_fmt_mode_sense(buf, sizeof(buf), 1, 1, 0, 0x0a, VDISK_PC_CURRENT, &m);
	CHECK(buf[8 + 3] == 0x06 && buf[8 + 5] == 0x40);
	len = vdisk_fmt_mode_sense(buf, sizeof(buf), 1, 1, 0, 0x0a, VDISK_PC_DEFAULT, &m);
	CHECK(buf[8 + 3] == 0 && buf[8 + 5] == 0);
	m.qerr = 0; m.tas = 0;
	len = vdisk_fmt_mode_sense(buf, sizeof(buf), 1, 0, 0, 0x3f, VDISK_PC_CURRENT, &m);
	buf[0] = buf[1] = 0; buf[3] = 0;
	/* a page that changes WCE, then one stray byte: nothing changes */
	for (i = 16; i < len; i += buf[i + 1] + 2)
		if ((buf[i] & 0x3f) == 8)
			break;
	buf[i + 2] |= 4;
	n = i + 2 + buf[i + 1];
	CHECK(vdisk_mode_select_parse(buf, n, 1, &m, &out, &err) == 0 && out.wce);
	buf[n] = 0x08;
	CHECK(vdisk_mode_select_parse(buf, n + 1, 1, &m, &out, &err) == -EINVAL &&
	      !out.wce && err.aq == SCST_AQ_PARAM_LIST_LENGTH_ERROR);
	len = vdisk_fmt_mode_sense(buf, sizeof(buf), 1, 0, 0, 0x3f, VDISK_PC_CURRENT, &m);
	buf[0] = buf[1] = 0; buf[3] = 0;
	/* truncated lists of every length must not read past len */
	for (n = 0; n < len; n++) {
		u8 *p = malloc(n ? n : 1);
		memcpy(p, buf, n);
		vdisk_mode_select_parse(p, n, 1, &m, &out, &err);
		vdisk_mode_select_parse(p, n, 0, &m, &out, &err);
		free(p);
	}
	/* unmap */
	memset(buf, 0, sizeof(buf));
	buf[3] = 32; put_unaligned_be64(10, buf + 8); put_unaligned_be32(5, buf + 16);
	put_unaligned_be64(990, buf + 24); put_unaligned_be32(10, buf + 32);
	CHECK(vdisk_unmap_parse(buf, 40, 1000, &lim, r, 4, &uerr) == 2 && r[1].lba == 990);
	put_unaligned_be32(11, buf + 32);
	CHECK(vdisk_unmap_parse(buf, 40, 1000, &lim, r, 4, &uerr) == -EINVAL && uerr.aq == SCST_AQ_LBA_OUT_OF_RANGE);
	put_unaligned_be32(96, buf + 32);
	CHECK(vdisk_unmap_parse(buf, 40, 1000, &lim, r, 4, &uerr) == -EINVAL && uerr.aq == SCST_AQ_INVALID_FIELD_IN_PARAM_LIST && uerr.field == 32);
	buf[3] = 48;
	CHECK(vdisk_unmap_parse(buf, 56, 1000, &lim, r, 4, &uerr) == -EINVAL && uerr.field == 2);
	CHECK(vdisk_unmap_parse(buf, 40 + 5, 1000, &lim, r, 4, &uerr) == -EINVAL); /* 2 full + partial: field 32 too many LBAs */
	CHECK(vdisk_unmap_parse(buf, 5, 1000, &lim, r, 4, &uerr) == -EINVAL && uerr.aq == SCST_AQ_PARAM_LIST_LENGTH_ERROR);
	CHECK(vdisk_unmap_parse(buf, 0, 1000, &lim, r, 4, &uerr) == 0);
	/* read cap */
	CHECK(vdisk_fmt_read_cap10(buf, 0x200000000ULL, 512) == 8 && get_unaligned_be32(buf) == 0xffffffff);
	vdisk_fmt_read_cap16(buf, 1000, 512, &lim);
	CHECK(get_unaligned_be64(buf) == 999 && buf[14] == 0xc0);
	/* vpd */
	{
		struct vdisk_ids ids = { "SCST", "P", "dev", "usn", {0}, 0, {0x50}, 8 };
		struct vdisk_inq inq = { .type = 0, .rev = "0.1", .rel_tgt_id = 1, .tgt_name = "tgt" };
		len = vdisk_fmt_vpd(buf, sizeof(buf), 0x83, &ids, &inq, &lim);
		CHECK(len == 4 + 4 + 8 + 3 + 12 + 8 + 8 && get_unaligned_be16(buf + 2) == len - 4);
		CHECK(vdisk_fmt_vpd(buf, sizeof(buf), 0x99, &ids, &inq, &lim) == -EOPNOTSUPP);
		inq.type = 5;
		CHECK(vdisk_fmt_vpd(buf, sizeof(buf), 0xb0, &ids, &inq, &lim) == -EOPNOTSUPP);
		CHECK(vdisk_fmt_std_inquiry(buf, sizeof(buf), &ids, &inq) == 96 && buf[1] == 0);
		CHECK(buf[5] == 0);
	}
	/* default names: stable for one identity, different across identities */
	{
		struct vdisk_ids a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
		vdisk_fmt_default_ids("id:7", "disk1", &a);
		vdisk_fmt_default_ids("id:7", "disk1", &b);
		vdisk_fmt_default_ids("id:8", "disk1", &c);
		vdisk_fmt_default_ids("id:7", "disk2", &d);
		CHECK(a.naa_len == 16 && (a.naa[0] >> 4) == 6 && a.has_eui64);
		CHECK(!memcmp(&a, &b, sizeof(a)));
		CHECK(memcmp(a.naa, c.naa, 16) && memcmp(a.naa, d.naa, 16));
		CHECK(memcmp(a.eui64, c.eui64, 8) && memcmp(a.eui64, d.eui64, 8));
		CHECK(strcmp(a.usn, c.usn) && strcmp(a.usn, d.usn) && strlen(a.usn) == 24);
		/* company id 02-53-43 in both designators */
		CHECK(a.naa[0] == 0x60 && a.naa[1] == 0x25 && a.naa[2] == 0x34 && (a.naa[3] >> 4) == 3);
		CHECK(a.eui64[0] == 0x02 && a.eui64[1] == 0x53 && a.eui64[2] == 0x43);
		/* an identity that is a prefix of another's is still different */
		vdisk_fmt_default_ids("id:7d", "isk1", &c);
		CHECK(memcmp(a.naa, c.naa, 16));
	}
	/* ALUA: TPGS bits, target port group designator */
	{
		struct vdisk_ids ids = { "SCST", "P", "dev", "usn", {0}, 0, {0x50}, 8 };
		struct vdisk_inq inq = { .type = 0, .rev = "0.1", .rel_tgt_id = 2, .tgt_name = "tgt", .tpgs = 3, .tpg_id = 0x1234 };
		CHECK(vdisk_fmt_std_inquiry(buf, sizeof(buf), &ids, &inq) == 96 && buf[5] == 0x30);
		inq.tpgs = 1;
		CHECK(vdisk_fmt_std_inquiry(buf, sizeof(buf), &ids, &inq) == 96 && buf[5] == 0x10);
		len = vdisk_fmt_vpd(buf, sizeof(buf), 0x83, &ids, &inq, &lim);
		CHECK(len == 4 + 4 + 8 + 3 + 12 + 8 + 8 + 8);
		/* relative target port, then target port group */
		CHECK(buf[4 + 15 + 12 + 1] == 0x14 && get_unaligned_be16(buf + 4 + 15 + 12 + 6) == 2);
		CHECK(buf[4 + 15 + 12 + 8 + 1] == 0x15 && get_unaligned_be16(buf + 4 + 15 + 12 + 8 + 6) == 0x1234);
	}
	/* mmc */
	{
		struct vdisk_mmc mm = { .present = 1, .nr_blocks = 1024 };
		len = vdisk_fmt_read_toc(buf, sizeof(buf), &mm, 0, 1, 0);
		CHECK(len == 20 && buf[4 + 8 + 2] == 0xaa && buf[4 + 8 + 5] == 0 && buf[4 + 8 + 6] == 15 && buf[4 + 8 + 7] == 49);
		CHECK(vdisk_fmt_read_toc(buf, sizeof(buf), &mm, 0, 0, 2) == -EINVAL);
		len = vdisk_fmt_get_config(buf, sizeof(buf), &mm, 0, 0);
		CHECK(get_unaligned_be16(buf + 6) == 8 && get_unaligned_be32(buf) == (u32)len - 4);
		len = vdisk_fmt_get_config(buf, sizeof(buf), &mm, 2, 3);
		CHECK(len == 8 + 8 && get_unaligned_be16(buf + 8) == 3);
	}
	printf("%d passed, %d failed\n", passes, fails);
	return !!fails;
}
