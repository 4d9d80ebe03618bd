// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_pr_out.c - libFuzzer target: PERSISTENT RESERVE OUT parameter
 * lists and the iSCSI TransportIDs they carry (scst_pr.c)
 *
 * Input byte 0 is the service action (low 3 bits), the rest the
 * parameter list, copied into a buffer of exactly its length.  The list
 * is decoded like the core does (scst_pr_out_parse(), then every
 * TransportID of SPEC_I_PT or REGISTER AND MOVE with scst_pr_tid_parse())
 * and the same bytes are also read as one TransportID.  Invariants:
 *  - a decoded list repeats the keys and bits of the buffer, and its
 *    TransportID list lies within the buffer and ends where it ends;
 *  - an error is ILLEGAL REQUEST with a field pointer inside the list;
 *  - a decoded TransportID is at least 24 bytes, a multiple of 4, within
 *    what was available, and its name is a non-empty C string shorter
 *    than the buffer given: for format 00b the TransportID's name, for
 *    format 01b an initiator port name (scst_pr_name_is_port()) whose
 *    part before ",i,0x" starts the TransportID's name;
 *  - scst_pr_tid_build() of that name parses back to the same name.
 */
#include <string.h>

#include "fuzz_check.h"
#include "scst_pr.h"
#include "scst_resv.h"
#include "scst_sense_codes.h"

static void check_name(const u8 *tid, u32 tl, u32 avail, const char *name,
		       size_t name_len)
{
	size_t n = strnlen(name, name_len);
	u8 built[4 + SCST_PR_NAME_MAX + 4];
	char back[SCST_PR_NAME_MAX];
	u32 bl, btl;

	CHECK(tl >= 24 && !(tl & 3) && tl <= avail);
	CHECK(tl == 4u + get_unaligned_be16(tid + 2));
	if (!n) {
		fprintf(stderr, "invariant failed: tid-empty-name: scst_pr_tid_parse() accepted a TransportID (format %u) with an empty name\n",
			tid[0] >> 6);
		abort();
	}
	CHECK(n < name_len);
	if (tid[0] >> 6) {
		/* format 01b: the name, ",i,0x" and a 12-digit ISID */
		CHECK(scst_pr_name_is_port(name));
		n -= SCST_PR_PORT_SUFFIX_LEN;
		CHECK(!memcmp(name, tid + 4, n) && tid[4 + n] == ',');
	} else {
		CHECK(!memcmp(name, tid + 4, n) && tid[4 + n] == '\0');
	}
	n = strlen(name);
	/* a name too long for the buffer is refused, not cut */
	if (n > 1) {
		u32 tl2;
		char small[8];
		size_t sl = n < sizeof(small) ? n : sizeof(small);

		CHECK(scst_pr_tid_parse(tid, avail, small, sl, &tl2) ==
		      -EINVAL);
	}
	if (n >= SCST_PR_NAME_MAX)
		return;
	bl = scst_pr_tid_build(name, built, sizeof(built));
	CHECK(bl >= 24 && !(bl & 3) && bl <= sizeof(built));
	CHECK(bl == 4 + (((n + 1 + 3) & ~(size_t)3) < 20 ? 20 :
			 ((n + 1 + 3) & ~(size_t)3)));
	CHECK(scst_pr_tid_parse(built, bl, back, sizeof(back), &btl) == 0);
	CHECK(btl == bl && !strcmp(back, name));
}

/* one TransportID at @tid, @avail bytes (>= 1) */
static int fuzz_tid(const u8 *tid, u32 avail, u32 *tl)
{
	char name[SCST_PR_NAME_MAX];
	int r;

	memset(name, 0x5a, sizeof(name));
	r = scst_pr_tid_parse(tid, avail, name, sizeof(name), tl);
	CHECK(r == 0 || r == -EINVAL || r == -EOPNOTSUPP);
	if (r == -EOPNOTSUPP)
		CHECK(avail >= 4 && (tid[0] & 0x0f) != SCST_PR_PROTO_ISCSI);
	if (!r)
		check_name(tid, *tl, avail, name, sizeof(name));
	return r;
}

static void check_err(const struct scst_cdb_err *err, u32 len)
{
	CHECK(err->key == SCST_KEY_ILLEGAL_REQUEST);
	if (err->sksv) {
		CHECK(err->asc == 0x26 && err->ascq == 0);
		CHECK(err->field < len && err->bit >= 0 && err->bit <= 7);
	} else {
		CHECK(err->asc == 0x1a && err->ascq == 0);
	}
}

static void check_ok(const u8 *buf, u32 len, u16 sa,
		     const struct scst_pr_out_params *p)
{
	u32 off, end, tl;

	CHECK(len >= 24);
	CHECK(p->key == get_unaligned_be64(buf));
	CHECK(p->sa_key == get_unaligned_be64(buf + 8));
	if (sa == SCST_PR_OUT_REGISTER_AND_MOVE) {
		CHECK(p->tid_off == 24 && !p->spec_i_pt && !p->all_tg_pt);
		CHECK(p->rel_tgt_id == get_unaligned_be16(buf + 18));
		CHECK(p->aptpl == (buf[17] & 1) && p->unreg == !!(buf[17] & 2));
	} else {
		CHECK(!p->unreg && !p->rel_tgt_id);
		CHECK(p->aptpl == (buf[20] & 1));
		CHECK(p->spec_i_pt == !!(buf[20] & 8));
		CHECK(!p->spec_i_pt || sa == SCST_PR_OUT_REGISTER);
		CHECK(!p->all_tg_pt || sa == SCST_PR_OUT_REGISTER ||
		      sa == SCST_PR_OUT_REGISTER_IGNORE);
		CHECK(p->spec_i_pt ? p->tid_off == 28 :
				     (!p->tid_off && !p->tid_len && len == 24));
	}
	if (!p->tid_off)
		return;
	CHECK((u64)p->tid_off + p->tid_len == len);
	CHECK(get_unaligned_be32(buf + p->tid_off - 4) == p->tid_len);
	/* the TransportIDs one after the other, as the core reads them */
	off = p->tid_off;
	end = off + p->tid_len;
	while (off < end) {
		if (fuzz_tid(buf + off, end - off, &tl))
			break;
		CHECK(tl <= end - off);
		off += tl;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scst_pr_out_params p;
	struct scst_cdb_err err;
	u32 len, tl;
	u8 *buf;
	u16 sa;
	int r;

	if (size < 1 || size > 65536)
		return 0;
	sa = data[0] & 0x07;
	len = (u32)(size - 1);
	buf = malloc(len ? len : 1);
	memcpy(buf, data + 1, len);

	memset(&err, 0, sizeof(err));
	r = scst_pr_out_parse(buf, len, sa, &p, &err);
	CHECK(r == 0 || r == -EINVAL);
	if (r)
		check_err(&err, len);
	else
		check_ok(buf, len, sa, &p);
	if (len)
		fuzz_tid(buf, len, &tl);
	free(buf);
	return 0;
}
