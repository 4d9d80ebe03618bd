/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_chap_fake.h - what the CHAP fuzzers (fuzz_chap.c, fuzz_login.c)
 * put in place of the digest and the random source: a stand-in hash
 * simple enough for the fuzzer to answer a challenge now and then, a
 * constant "random" challenge, and the target's credentials.
 */
#ifndef FUZZ_CHAP_FAKE_H
#define FUZZ_CHAP_FAKE_H

#include <string.h>

#include "chap_fmt.h"

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

#endif /* FUZZ_CHAP_FAKE_H */
