// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_pdu.c - libFuzzer target: a received BHS and its AHS, as the rx
 * thread sees them (decode, check in both phases, CDB from the AHS).
 */
#include <stdint.h>
#include <stddef.h>

#include "pdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 bhs[ISC_BHS_LEN], ahs[ISC_MAX_AHS_LEN], cdb[32];
	struct isc_bhs h;
	unsigned int cdb_len, ahs_len;

	if (size < ISC_BHS_LEN)
		return 0;
	memcpy(bhs, data, ISC_BHS_LEN);
	isc_bhs_decode(bhs, &h);
	(void)isc_bhs_check(&h, 8192, false);
	(void)isc_bhs_check(&h, 8192, true);
	(void)isc_bhs_check(&h, ISC_MAX_DSL, false);
	/* the AHS really received: what follows, up to what the BHS says */
	ahs_len = size - ISC_BHS_LEN;
	if (ahs_len > h.ahs_len)
		ahs_len = h.ahs_len;
	memcpy(ahs, data + ISC_BHS_LEN, ahs_len);
	(void)isc_ahs_cdb(ahs, ahs_len & ~3U, bhs, cdb, sizeof(cdb),
			  &cdb_len);
	(void)isc_ahs_cdb(ahs, ahs_len & ~3U, bhs, cdb, 16, &cdb_len);
	return 0;
}
