// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_alua.c - libFuzzer target: the ALUA state check and the SET
 * TARGET PORT GROUPS parameter list (scst_alua.c)
 *
 * Input byte 0 is an access state (low 4 bits), the rest is both a CDB
 * (its first up to 16 bytes) and an STPG parameter list, copied into a
 * buffer of exactly its length.  Invariants:
 *  - the active states allow every command; INQUIRY and REPORT LUNS are
 *    allowed in every state; a refusal is one of the four NOT READY
 *    codes of scst_alua_check(), and the one of its state;
 *  - a parsed list has (len - 4) / 4 descriptors, each with a state STPG
 *    may set and the group id of its bytes; a refused one names a byte
 *    inside the list at a descriptor boundary;
 *  - the RTPG data built from the parsed descriptors (one port each) has
 *    the length it announces and repeats ids and states.
 */
#include <string.h>

#include "fuzz_check.h"
#include "scst_alua.h"
#include "scst_sense_codes.h"

#define MAXD 64

static void check_cdb(u8 state, const u8 *cdb, size_t len)
{
	u16 aq;

	if (!len)
		return;
	aq = scst_alua_check(state, cdb, (unsigned int)len);
	if (state == SCST_ALUA_AO || state == SCST_ALUA_ANO ||
	    cdb[0] == 0x12 || cdb[0] == 0xa0)
		CHECK(aq == 0);
	if (!aq)
		return;
	switch (state) {
	case SCST_ALUA_STANDBY:
		CHECK(aq == SCST_AQ_LU_NOT_READY_ALUA_STANDBY);
		break;
	case SCST_ALUA_TRANSITIONING:
		CHECK(aq == SCST_AQ_LU_NOT_READY_ALUA_TRANSITION);
		break;
	case SCST_ALUA_OFFLINE:
		CHECK(aq == SCST_AQ_LU_NOT_READY_OFFLINE);
		break;
	default:
		CHECK(aq == SCST_AQ_LU_NOT_READY_ALUA_UNAVAILABLE);
	}
}

static void check_rtpg(const struct scst_alua_stpg *d, int n)
{
	struct scst_alua_tpg g[MAXD];
	u16 port = 1;
	u8 buf[8 + MAXD * 12];
	int i, len;

	for (i = 0; i < n; i++) {
		g[i] = (struct scst_alua_tpg){ .id = d[i].id,
			.state = d[i].state, .nports = 1, .ports = &port };
	}
	len = scst_alua_rtpg_build(buf, sizeof(buf), true, 0, g, n);
	CHECK(len == 8 + 12 * n);
	CHECK(get_unaligned_be32(buf) == (u32)len - 4);
	for (i = 0; i < n; i++) {
		CHECK((buf[8 + 12 * i] & 0x0f) == d[i].state);
		CHECK(get_unaligned_be16(buf + 10 + 12 * i) == d[i].id);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scst_alua_stpg d[MAXD];
	u16 bad = 0xffff;
	u8 *list;
	size_t len;
	int n, i;

	if (!size)
		return 0;
	len = size - 1;
	list = malloc(len ? len : 1);
	if (!list)
		return 0;
	memcpy(list, data + 1, len);
	check_cdb(data[0] & 0x0f, list, len < 16 ? len : 16);

	n = scst_alua_stpg_parse(list, (unsigned int)len, d, MAXD, &bad);
	if (n >= 0) {
		CHECK(len == 0 ? n == 0 : (size_t)n == (len - 4) / 4);
		for (i = 0; i < n; i++) {
			CHECK(d[i].state == (list[4 + 4 * i] & 0x0f));
			CHECK(d[i].state <= SCST_ALUA_UNAVAILABLE);
			CHECK(d[i].id == get_unaligned_be16(list + 6 + 4 * i));
		}
		check_rtpg(d, n);
	} else if (n == -EINVAL) {
		CHECK(bad < len || (bad == 0 && len < 4));
		CHECK(bad % 4 == 0);
	} else {
		CHECK(n == -E2BIG && (len - 4) / 4 > MAXD);
	}
	free(list);
	return 0;
}
