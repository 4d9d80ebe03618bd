// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_text.c - libFuzzer target: a login or text data segment, parsed
 * and negotiated in every phase against the target defaults.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>

#include "params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void negotiate(struct isc_kv *kv, unsigned int n, enum isc_phase ph,
		      const struct isc_params *cfg)
{
	static char out[8192];
	struct isc_textbuf tb = { .buf = out, .cap = sizeof(out) };
	struct isc_neg neg;
	unsigned int i;

	isc_neg_init(&neg, cfg, ph);
	for (i = 0; i < n; i++)
		if (isc_neg_key(&neg, kv[i].key, kv[i].val, &tb) < 0)
			break;
	isc_neg_finish(&neg);
	if (tb.len > tb.cap)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct isc_kv kv[ISC_MAX_PAIRS];
	struct isc_params cfg;
	unsigned int n, i;
	char *buf;
	u32 v;

	if (size > ISC_TEXT_MAX)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	isc_params_set_target_defaults(&cfg);
	if (!isc_text_parse(buf, size, kv, ISC_MAX_PAIRS, &n)) {
		negotiate(kv, n, ISC_PH_SECURITY, &cfg);
		negotiate(kv, n, ISC_PH_OPERATIONAL, &cfg);
		negotiate(kv, n, ISC_PH_FFP, &cfg);
		for (i = 0; i < n; i++) {
			int id = isc_key_lookup(kv[i].key);

			if (id >= 0)
				(void)isc_params_parse_value(id, kv[i].val,
							     &v);
			(void)isc_name_valid(kv[i].val);
		}
	}
	free(buf);
	return 0;
}
