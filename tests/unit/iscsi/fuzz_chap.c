// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_chap.c - libFuzzer target: the CHAP exchange of the security
 * stage with fuzzed key=value pairs (CHAP_A, then CHAP_N/R/I/C), with a
 * stand-in hash (the exchange logic and the decoders are under test).
 *
 * Invariants:
 *  - a step either goes on or fails with -EACCES and a reason;
 *  - authentication succeeds only with CHAP_N the configured user name
 *    and a CHAP_R that is the digest of the identifier, the secret and
 *    the challenge the target sent;
 *  - the response never overflows and is a valid text segment;
 *  - a decoded binary value fits the buffer, and encoding it in hex and
 *    decoding that gives the same bytes.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "chap_fmt.h"
#include "fuzz_chap_fake.h"
#include "fuzz_check.h"

static const char *find(const struct isc_kv *kv, unsigned int n,
			const char *key)
{
	unsigned int i;

	/* the first one counts, as for the target */
	for (i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].val;
	return NULL;
}

/* what the initiator must have sent for the target to be satisfied */
static void check_done(const struct isc_chap *c, const struct isc_kv *kv,
		       unsigned int n)
{
	const char *name = find(kv, n, "CHAP_N"), *r = find(kv, n, "CHAP_R");
	u8 want[ISC_CHAP_DIGEST_MAX], got[ISC_CHAP_DIGEST_MAX + 1];
	size_t glen;

	CHECK(name && !strcmp(name, cred.userid));
	CHECK(r && !isc_bin_decode(r, got, sizeof(got), &glen));
	CHECK(c->dlen == isc_chap_digest_len(c->alg) && glen == c->dlen);
	fake_hash(NULL, c->alg, c->id, (const u8 *)cred.secret,
		  strlen(cred.secret), c->challenge, c->clen, want);
	CHECK(!memcmp(got, want, glen));
}

static void check_response(const struct isc_textbuf *tb)
{
	struct isc_kv kv[32];
	unsigned int n;
	char *copy;

	CHECK(tb->len <= tb->cap);
	if (tb->overflow || !tb->len)
		return;
	copy = malloc(tb->len);
	memcpy(copy, tb->buf, tb->len);
	CHECK(isc_text_parse(copy, tb->len, kv, 32, &n) == 0);
	free(copy);
}

static void check_bin(const char *val)
{
	u8 bin[1024], back[1024];
	char hex[2 * 1024 + 3];
	size_t blen, blen2;

	if (isc_bin_decode(val, bin, sizeof(bin), &blen))
		return;
	CHECK(blen > 0 && blen <= sizeof(bin));
	CHECK(isc_bin_encode_hex(bin, blen, hex, sizeof(hex)) == 0);
	CHECK(isc_bin_decode(hex, back, sizeof(back), &blen2) == 0);
	CHECK(blen2 == blen && !memcmp(bin, back, blen));
	/* too small a buffer is refused */
	CHECK(isc_bin_decode(val, back, blen - 1, &blen2) == -EINVAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[8192];
	struct isc_textbuf tb = { .buf = out, .cap = sizeof(out) };
	struct isc_kv kv[16];
	struct isc_chap c;
	unsigned int n, i, split;
	char *buf;
	int r1, r2 = 0;

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
	r1 = isc_chap_step(&c, kv, split, &tb);
	CHECK(r1 == 0 || r1 == -EACCES);
	if (!r1) {
		r2 = isc_chap_step(&c, kv + split, n - split, &tb);
		CHECK(r2 == 0 || r2 == -EACCES);
	}
	if (r1 || r2)
		CHECK(c.state == ISC_CHAP_FAILED && c.why);
	if (c.state == ISC_CHAP_DONE)
		check_done(&c, kv + split, n - split);
	check_response(&tb);
	for (i = 0; i < n; i++)
		check_bin(kv[i].val);
out:
	free(buf);
	return 0;
}
