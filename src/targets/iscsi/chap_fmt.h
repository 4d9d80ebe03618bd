/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CHAP for iSCSI (RFC 7143 12.1.3, RFC 1994): the key exchange of the
 * security stage, binary value encodings, and the checks of the
 * initiator's response.  The hash and the random source are callbacks,
 * so this file is pure C and also built in user space.
 */
#ifndef _ISC_CHAP_FMT_H
#define _ISC_CHAP_FMT_H

#include "params.h"

#define ISC_CHAP_MD5		5	/* CHAP_A values (IANA PPP auth) */
#define ISC_CHAP_SHA256		7
#define ISC_CHAP_DIGEST_MAX	32
#define ISC_CHAP_SECRET_MIN	12
#define ISC_CHAP_SECRET_MAX	255
#define ISC_CHAP_USER_MAX	255
#define ISC_CHAP_CHALLENGE_MAX	1024

/* Credentials of one direction pair; empty strings mean "not set". */
struct isc_chap_cred {
	char	userid[ISC_CHAP_USER_MAX + 1];
	char	secret[ISC_CHAP_SECRET_MAX + 1];
	char	mutual_userid[ISC_CHAP_USER_MAX + 1];
	char	mutual_secret[ISC_CHAP_SECRET_MAX + 1];
};

/* out = H(id || secret || challenge); returns 0 or a negative errno */
typedef int (*isc_chap_hash_fn)(void *ctx, int alg, u8 id,
				const u8 *secret, size_t secret_len,
				const u8 *chal, size_t chal_len, u8 *out);
typedef void (*isc_chap_random_fn)(void *ctx, void *buf, size_t len);

enum isc_chap_state {
	ISC_CHAP_WAIT_A,	/* expecting CHAP_A */
	ISC_CHAP_WAIT_R,	/* challenge sent, expecting CHAP_N/CHAP_R */
	ISC_CHAP_DONE,		/* authenticated */
	ISC_CHAP_FAILED,
};

struct isc_chap {
	enum isc_chap_state	state;
	int			alg;
	size_t			dlen;
	u8			id;
	u8			challenge[ISC_CHAP_DIGEST_MAX];
	size_t			clen;
	const struct isc_chap_cred *cred;
	isc_chap_hash_fn	hash;
	isc_chap_random_fn	random;
	void			*ctx;
	const char		*why;	/* reason of a failure, for the log */
};

int isc_bin_decode(const char *s, u8 *out, size_t max, size_t *len);
int isc_bin_encode_hex(const u8 *in, size_t len, char *out, size_t size);
size_t isc_chap_digest_len(int alg);
int isc_chap_secret_valid(const char *s);
bool isc_chap_cred_set(const struct isc_chap_cred *cred);
const char *isc_chap_cred_check(const struct isc_chap_cred *cred);

void isc_chap_init(struct isc_chap *c, const struct isc_chap_cred *cred,
		   isc_chap_hash_fn hash, isc_chap_random_fn random,
		   void *ctx);
int isc_chap_step(struct isc_chap *c, const struct isc_kv *kv,
		  unsigned int n, struct isc_textbuf *out);

#endif /* _ISC_CHAP_FMT_H */
