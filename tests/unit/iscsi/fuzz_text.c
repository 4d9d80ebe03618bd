// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_text.c - libFuzzer target: a login or text data segment, parsed
 * and negotiated in every phase against the target defaults.
 *
 * Invariants:
 *  - the parsed pairs lie within the segment, keys are non-empty and
 *    without '=', and no more pairs than there is room for;
 *  - the response never overflows its buffer and is itself a valid text
 *    segment (key=value pairs, each with its NUL), with no more pairs
 *    than the request had keys;
 *  - a configuration value that parses formats back to text that parses
 *    to the same value.
 */
#include <string.h>

#include "fuzz_check.h"
#include "params.h"

static void check_response(const struct isc_textbuf *tb, unsigned int nreq)
{
	static struct isc_kv kv[ISC_MAX_PAIRS + 1];
	char *copy;
	unsigned int n;

	CHECK(tb->len <= tb->cap);
	if (tb->overflow || !tb->len)
		return;
	copy = malloc(tb->len);
	memcpy(copy, tb->buf, tb->len);
	CHECK(isc_text_parse(copy, tb->len, kv, ISC_MAX_PAIRS + 1, &n) == 0);
	CHECK(n <= nreq + 8);	/* answers, and a few declarations */
	free(copy);
}

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
	check_response(&tb, n);
}

static void check_pairs(const char *buf, size_t size, struct isc_kv *kv,
			unsigned int n)
{
	unsigned int i;

	CHECK(n <= ISC_MAX_PAIRS);
	for (i = 0; i < n; i++) {
		CHECK(kv[i].key >= buf && kv[i].key < buf + size);
		CHECK(kv[i].val > kv[i].key && kv[i].val <= buf + size - 1);
		CHECK(kv[i].key[0] && !strchr(kv[i].key, '='));
		CHECK(kv[i].key + strlen(kv[i].key) + 1 == kv[i].val);
		CHECK(kv[i].val + strlen(kv[i].val) < buf + size);
	}
}

static void check_value(int id, const char *val)
{
	char text[64];
	u32 v, v2;
	int len;

	if (isc_params_parse_value(id, val, &v))
		return;
	len = isc_params_format_value(id, v, text, sizeof(text));
	CHECK(len > 0 && (size_t)len < sizeof(text));
	CHECK(isc_params_parse_value(id, text, &v2) == 0 && v2 == v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct isc_kv kv[ISC_MAX_PAIRS];
	struct isc_params cfg;
	unsigned int n, i;
	char *buf;

	if (size > ISC_TEXT_MAX)
		return 0;
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	isc_params_set_target_defaults(&cfg);
	if (!isc_text_parse(buf, size, kv, ISC_MAX_PAIRS, &n)) {
		check_pairs(buf, size, kv, n);
		negotiate(kv, n, ISC_PH_SECURITY, &cfg);
		negotiate(kv, n, ISC_PH_OPERATIONAL, &cfg);
		negotiate(kv, n, ISC_PH_FFP, &cfg);
		for (i = 0; i < n; i++) {
			int id = isc_key_lookup(kv[i].key);

			if (id >= 0)
				check_value(id, kv[i].val);
			(void)isc_name_valid(kv[i].val);
		}
	}
	free(buf);
	return 0;
}
