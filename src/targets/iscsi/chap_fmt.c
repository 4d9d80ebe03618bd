// SPDX-License-Identifier: GPL-2.0-only
/*
 * CHAP for iSCSI: the target's side of the exchange
 *
 *   I -> T  CHAP_A=<list>
 *   T -> I  CHAP_A=<a> CHAP_I=<id> CHAP_C=<challenge>
 *   I -> T  CHAP_N=<name> CHAP_R=<response> [CHAP_I=<id'> CHAP_C=<c'>]
 *   T -> I  [CHAP_N=<mutual name> CHAP_R=<mutual response>]
 *
 * Binary values are "0x" hexadecimal or "0b" base64 (RFC 7143 6.1).
 * Pure C (no kernel calls): unit-tested and fuzzed on the host.
 */
#include "chap_fmt.h"
#include "params.h"
#include "pdu.h"

static int isc_b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int isc_hex_decode(const char *s, u8 *out, size_t max, size_t *len)
{
	size_t sl = strlen(s), i = 0, o = 0;
	int hi, lo;

	if (!sl)
		return -EINVAL;
	if (sl & 1) {		/* an odd count: the first nibble stands alone */
		lo = isc_hex_digit(s[0]);
		if (lo < 0 || !max)
			return -EINVAL;
		out[o++] = lo;
		i = 1;
	}
	for (; i < sl; i += 2) {
		hi = isc_hex_digit(s[i]);
		lo = isc_hex_digit(s[i + 1]);
		if (hi < 0 || lo < 0 || o >= max)
			return -EINVAL;
		out[o++] = hi << 4 | lo;
	}
	*len = o;
	return 0;
}

static int isc_b64_decode(const char *s, u8 *out, size_t max, size_t *len)
{
	size_t sl = strlen(s), i, o = 0, pad = 0;
	u32 acc = 0;
	int v, bits = 0;

	if (!sl || sl % 4)
		return -EINVAL;
	while (pad < 2 && s[sl - 1 - pad] == '=')
		pad++;
	for (i = 0; i < sl - pad; i++) {
		v = isc_b64_value(s[i]);
		if (v < 0)
			return -EINVAL;
		acc = (acc << 6 | v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= max)
				return -EINVAL;
			out[o++] = (u8)(acc >> bits);
		}
	}
	*len = o;
	return o ? 0 : -EINVAL;
}

/**
 * isc_bin_decode() - decode a binary value ("0x..." or "0b...")
 * @s: the text
 * @out: the bytes
 * @max: room in @out
 * @len: number of bytes
 *
 * Return: 0 or -EINVAL.
 */
int isc_bin_decode(const char *s, u8 *out, size_t max, size_t *len)
{
	if (s[0] != '0')
		return -EINVAL;
	if (s[1] == 'x' || s[1] == 'X')
		return isc_hex_decode(s + 2, out, max, len);
	if (s[1] == 'b' || s[1] == 'B')
		return isc_b64_decode(s + 2, out, max, len);
	return -EINVAL;
}

/**
 * isc_bin_encode_hex() - encode bytes as "0x..."
 * @in: the bytes
 * @len: their number
 * @out: the text
 * @size: room in @out, including the NUL
 *
 * Return: 0 or -ENOSPC.
 */
int isc_bin_encode_hex(const u8 *in, size_t len, char *out, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (size < 2 * len + 3)
		return -ENOSPC;
	out[0] = '0';
	out[1] = 'x';
	for (i = 0; i < len; i++) {
		out[2 + 2 * i] = digits[in[i] >> 4];
		out[3 + 2 * i] = digits[in[i] & 15];
	}
	out[2 + 2 * len] = '\0';
	return 0;
}

/**
 * isc_chap_digest_len() - digest size of a CHAP algorithm
 * @alg: CHAP_A value
 *
 * Return: the size in bytes, 0 if the algorithm is not supported.
 */
size_t isc_chap_digest_len(int alg)
{
	switch (alg) {
	case ISC_CHAP_MD5:
		return 16;
	case ISC_CHAP_SHA256:
		return 32;
	}
	return 0;
}

/**
 * isc_chap_secret_valid() - a secret of 12 to 255 printable characters
 * @s: the secret
 *
 * Return: 0 or -EINVAL.
 */
int isc_chap_secret_valid(const char *s)
{
	size_t len = strlen(s), i;

	if (len < ISC_CHAP_SECRET_MIN || len > ISC_CHAP_SECRET_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return -EINVAL;
	return 0;
}

/**
 * isc_chap_cred_set() - whether any of the four values is set
 * @cred: the credentials
 */
bool isc_chap_cred_set(const struct isc_chap_cred *cred)
{
	return cred->userid[0] || cred->secret[0] ||
	       cred->mutual_userid[0] || cred->mutual_secret[0];
}

/**
 * isc_chap_cred_check() - whether credentials are usable as configured
 * @cred: the credentials
 *
 * Either nothing is set (no CHAP), or userid and secret are (CHAP
 * required), and then either both mutual values or none are set; the
 * mutual secret must differ from the secret (RFC 7143 12.1.3).
 *
 * Return: NULL if usable, else the reason, for the log.
 */
const char *isc_chap_cred_check(const struct isc_chap_cred *cred)
{
	bool u = cred->userid[0], s = cred->secret[0];
	bool mu = cred->mutual_userid[0], ms = cred->mutual_secret[0];

	if (u && !s)
		return "userid set without secret";
	if (s && !u)
		return "secret set without userid";
	if (mu != ms)
		return mu ? "mutual_userid set without mutual_secret" :
			    "mutual_secret set without mutual_userid";
	if (mu && !u)
		return "mutual CHAP set without userid and secret";
	if (ms && !strcmp(cred->secret, cred->mutual_secret))
		return "mutual_secret equals secret";
	return NULL;
}

/**
 * isc_chap_init() - start the exchange
 * @c: the state
 * @cred: credentials the initiator must prove (and mutual ones)
 * @hash: computes a CHAP response
 * @random: fills the identifier and the challenge
 * @ctx: passed to the callbacks
 */
void isc_chap_init(struct isc_chap *c, const struct isc_chap_cred *cred,
		   isc_chap_hash_fn hash, isc_chap_random_fn random,
		   void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->cred = cred;
	c->hash = hash;
	c->random = random;
	c->ctx = ctx;
}

static const char *isc_kv_find(const struct isc_kv *kv, unsigned int n,
			       const char *key)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].val;
	return NULL;
}

static int isc_chap_fail(struct isc_chap *c, const char *why)
{
	c->state = ISC_CHAP_FAILED;
	c->why = why;
	return -EACCES;
}

/* CHAP_A: choose the first algorithm of the list that we know. */
static int isc_chap_pick(struct isc_chap *c, const char *list,
			 struct isc_textbuf *out)
{
	char hex[2 * ISC_CHAP_DIGEST_MAX + 3];
	const char *p = list;
	u64 alg;

	for (;;) {
		char item[12];
		const char *comma = strchr(p, ',');
		size_t l = comma ? (size_t)(comma - p) : strlen(p);

		if (l < sizeof(item)) {
			memcpy(item, p, l);
			item[l] = '\0';
			if (!isc_parse_number(item, 255, &alg) &&
			    isc_chap_digest_len((int)alg))
				break;
		}
		if (!comma) {
			isc_text_add(out, "CHAP_A", "Reject");
			return isc_chap_fail(c, "no supported CHAP_A");
		}
		p = comma + 1;
	}
	c->alg = (int)alg;
	c->dlen = isc_chap_digest_len(c->alg);
	c->clen = c->dlen;
	c->random(c->ctx, &c->id, 1);
	c->random(c->ctx, c->challenge, c->clen);
	isc_text_add_u32(out, "CHAP_A", c->alg);
	isc_text_add_u32(out, "CHAP_I", c->id);
	isc_bin_encode_hex(c->challenge, c->clen, hex, sizeof(hex));
	isc_text_add(out, "CHAP_C", hex);
	c->state = ISC_CHAP_WAIT_R;
	return 0;
}

static bool isc_mem_equal(const u8 *a, const u8 *b, size_t len)
{
	u8 diff = 0;
	size_t i;

	for (i = 0; i < len; i++)
		diff |= a[i] ^ b[i];
	return !diff;
}

/* The initiator's challenge to us, when it asks for mutual CHAP. */
static int isc_chap_mutual(struct isc_chap *c, const char *ival,
			   const char *cval, struct isc_textbuf *out)
{
	const struct isc_chap_cred *cr = c->cred;
	u8 chal[ISC_CHAP_CHALLENGE_MAX], resp[ISC_CHAP_DIGEST_MAX];
	char hex[2 * ISC_CHAP_DIGEST_MAX + 3];
	size_t clen;
	u64 id;

	if (!cr->mutual_userid[0] || !cr->mutual_secret[0])
		return isc_chap_fail(c, "mutual CHAP asked, not configured");
	if (!strcmp(cr->mutual_secret, cr->secret))
		return isc_chap_fail(c, "mutual_secret equals secret");
	if (isc_parse_number(ival, 255, &id) ||
	    isc_bin_decode(cval, chal, sizeof(chal), &clen) || !clen)
		return isc_chap_fail(c, "malformed CHAP_I or CHAP_C");
	if (clen == c->clen && isc_mem_equal(chal, c->challenge, clen))
		return isc_chap_fail(c, "initiator reflected our challenge");
	if (c->hash(c->ctx, c->alg, (u8)id, (const u8 *)cr->mutual_secret,
		    strlen(cr->mutual_secret), chal, clen, resp))
		return isc_chap_fail(c, "hash failed");
	isc_bin_encode_hex(resp, c->dlen, hex, sizeof(hex));
	isc_text_add(out, "CHAP_N", cr->mutual_userid);
	isc_text_add(out, "CHAP_R", hex);
	return 0;
}

/* CHAP_N and CHAP_R (and maybe CHAP_I, CHAP_C for mutual CHAP). */
static int isc_chap_verify(struct isc_chap *c, const struct isc_kv *kv,
			   unsigned int n, struct isc_textbuf *out)
{
	const char *nval = isc_kv_find(kv, n, "CHAP_N");
	const char *rval = isc_kv_find(kv, n, "CHAP_R");
	const char *ival = isc_kv_find(kv, n, "CHAP_I");
	const char *cval = isc_kv_find(kv, n, "CHAP_C");
	u8 resp[ISC_CHAP_DIGEST_MAX], want[ISC_CHAP_DIGEST_MAX];
	size_t rlen;

	if (!nval || !rval)
		return isc_chap_fail(c, "CHAP_N or CHAP_R missing");
	if (!!ival != !!cval)
		return isc_chap_fail(c, "CHAP_I without CHAP_C or vice versa");
	if (isc_bin_decode(rval, resp, sizeof(resp), &rlen) ||
	    rlen != c->dlen)
		return isc_chap_fail(c, "malformed CHAP_R");
	if (c->hash(c->ctx, c->alg, c->id, (const u8 *)c->cred->secret,
		    strlen(c->cred->secret), c->challenge, c->clen, want))
		return isc_chap_fail(c, "hash failed");
	/* compare both, so that timing does not tell which one was wrong */
	if (!isc_mem_equal(resp, want, rlen) |
	    !!strcmp(nval, c->cred->userid))
		return isc_chap_fail(c, "wrong CHAP_N or CHAP_R");
	if (ival && isc_chap_mutual(c, ival, cval, out))
		return -EACCES;
	c->state = ISC_CHAP_DONE;
	return 0;
}

/**
 * isc_chap_step() - handle the CHAP keys of one login request
 * @c: the state
 * @kv: the CHAP_* pairs of the request
 * @n: their number
 * @out: the response
 *
 * Return: 0 to go on (the state says whether authentication is done),
 * -EACCES if authentication failed (c->why says why).
 */
int isc_chap_step(struct isc_chap *c, const struct isc_kv *kv,
		  unsigned int n, struct isc_textbuf *out)
{
	const char *aval = isc_kv_find(kv, n, "CHAP_A");

	switch (c->state) {
	case ISC_CHAP_WAIT_A:
		if (!aval)
			return n ? isc_chap_fail(c, "CHAP_A expected") : 0;
		return isc_chap_pick(c, aval, out);
	case ISC_CHAP_WAIT_R:
		if (aval)
			return isc_chap_fail(c, "CHAP_A repeated");
		return isc_chap_verify(c, kv, n, out);
	case ISC_CHAP_DONE:
		return n ? isc_chap_fail(c, "CHAP keys after success") : 0;
	default:
		return -EACCES;
	}
}
