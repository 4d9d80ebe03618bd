// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_pdu.c - libFuzzer target: a received BHS and its AHS, as the rx
 * thread sees them (decode, check in both phases, CDB from the AHS).
 *
 * Invariants:
 *  - the decoded header repeats the raw fields;
 *  - a PDU accepted (or merely rejected) never has a data segment longer
 *    than the limit given, and in the login phase only a Login Request
 *    without AHS is accepted;
 *  - the CDB starts with the 16 bytes of the BHS, is at most 16 bytes
 *    longer than the AHS, its extension is the bytes of the Extended CDB
 *    AHS, and the size of the output buffer changes what is copied, not
 *    the verdict nor the length.
 */
#define _GNU_SOURCE	/* memmem() */
#include <string.h>

#include "fuzz_check.h"
#include "pdu.h"

static void check_decode(const u8 *bhs, const struct isc_bhs *h)
{
	CHECK(h->opcode == (bhs[0] & 0x3f));
	CHECK(h->immediate == !!(bhs[0] & 0x40));
	CHECK(h->flags == bhs[1]);
	CHECK(h->ahs_len == bhs[4] * 4u);
	CHECK(h->dsl == get_unaligned_be24(bhs + 5));
	CHECK(h->itt == get_unaligned_be32(bhs + 16));
}

static void check_phase(const struct isc_bhs *h, u32 max_dsl, bool login)
{
	int r = isc_bhs_check(h, max_dsl, login);

	CHECK(r == -EPROTO || r >= 0);
	if (r >= 0)
		CHECK(h->dsl <= max_dsl);
	if (login && !r)
		CHECK(h->opcode == ISC_OP_LOGIN_REQ && !h->ahs_len);
	if (!login && !r)
		CHECK(isc_opcode_is_initiator(h->opcode));
}

static void check_cdb(const u8 *ahs, unsigned int ahs_len, const u8 *bhs)
{
	unsigned int len32, len16, lenmax;
	u8 *c32 = malloc(32), *c16 = malloc(16), *cmax;
	int r32, r16, rmax;

	r32 = isc_ahs_cdb(ahs, ahs_len, bhs, c32, 32, &len32);
	r16 = isc_ahs_cdb(ahs, ahs_len, bhs, c16, 16, &len16);
	CHECK(r32 == 0 || r32 == -EPROTO);
	CHECK(r16 == r32);
	if (!r32) {
		CHECK(len16 == len32);
		CHECK(len32 >= ISC_CDB_LEN && len32 <= ISC_CDB_LEN + ahs_len);
		CHECK(!memcmp(c32, bhs + ISC_OFF_CDB, ISC_CDB_LEN));
		CHECK(!memcmp(c16, bhs + ISC_OFF_CDB, ISC_CDB_LEN));
		/* a buffer of exactly the CDB length gets all of it */
		cmax = malloc(len32);
		rmax = isc_ahs_cdb(ahs, ahs_len, bhs, cmax, len32, &lenmax);
		CHECK(rmax == 0 && lenmax == len32);
		if (len32 > ISC_CDB_LEN)
			CHECK(memmem(ahs, ahs_len, cmax + ISC_CDB_LEN,
				     len32 - ISC_CDB_LEN) != NULL);
		if (len32 <= 32)
			CHECK(!memcmp(c32, cmax, len32));
		free(cmax);
	}
	free(c32);
	free(c16);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 bhs[ISC_BHS_LEN], *ahs;
	struct isc_bhs h;
	unsigned int ahs_len;

	if (size < ISC_BHS_LEN)
		return 0;
	memcpy(bhs, data, ISC_BHS_LEN);
	isc_bhs_decode(bhs, &h);
	check_decode(bhs, &h);
	check_phase(&h, 8192, false);
	check_phase(&h, 8192, true);
	check_phase(&h, ISC_MAX_DSL, false);
	/* the AHS really received: what follows, up to what the BHS says */
	ahs_len = size - ISC_BHS_LEN;
	if (ahs_len > h.ahs_len)
		ahs_len = h.ahs_len;
	ahs_len &= ~3U;
	ahs = malloc(ahs_len ? ahs_len : 1);
	memcpy(ahs, data + ISC_BHS_LEN, ahs_len);
	check_cdb(ahs, ahs_len, bhs);
	free(ahs);
	return 0;
}
