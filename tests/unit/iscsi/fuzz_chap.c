// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_chap.c - libFuzzer target: the CHAP exchange of the security
 * stage with fuzzed key=value pairs (CHAP_A, then CHAP_N/R/I/C), with a
 * stand-in hash (the exchange logic and the decoders are under test).
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>

#include "chap_fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fake_hash(void *ctx, int alg, u8 id, const u8 *secret,
		     size_t slen, const u8 *chal, size_t clen, u8 *out)
{
	size_t i, n = isc_chap_digest_len(alg);

	(void)ctx;
	memset(out, id, n);
	for (i = 0; i < slen; i++)
		out[i % n] ^= secret[i];
	for (i = 0; i < clen; i++)
		out[i % n] += chal[i];
	return 0;
}

static void fake_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0x11, len);
}

static const struct isc_chap_cred cred = {
	.userid = "user", .secret = "secret-secret",
	.mutual_userid = "tgt", .mutual_secret = "mutual-secret",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[8192];
	struct isc_textbuf tb = { .buf = out, .cap = sizeof(out) };
	struct isc_kv kv[16];
	struct isc_chap c;
	unsigned int n, i, split;
	char *buf;
	u8 bin[1024];
	size_t blen;

	if (size < 1 || size > 16384)
		return 0;
	buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	if (isc_text_parse(buf, size - 1, kv, 16, &n))
		goto out;
	/* the first byte says how many pairs go in the first request */
	split = data[0] % (n + 1);
	isc_chap_init(&c, &cred, fake_hash, fake_random, NULL);
	if (!isc_chap_step(&c, kv, split, &tb))
		(void)isc_chap_step(&c, kv + split, n - split, &tb);
	for (i = 0; i < n; i++)
		(void)isc_bin_decode(kv[i].val, bin, sizeof(bin), &blen);
	if (tb.len > tb.cap)
		abort();
out:
	free(buf);
	return 0;
}
