/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iSCSI login: the decisions of the security and operational stages
 * (RFC 7143 6.3) for one complete Login Request at a time: stage
 * transitions, text negotiation, and CHAP when it is required.  Pure C,
 * built into scst_iscsi.ko (login.c does the PDUs, the target lookup
 * and the session) and into the host unit tests and fuzzers.
 */
#ifndef _ISC_LOGIN_SM_H
#define _ISC_LOGIN_SM_H

#include "chap_fmt.h"
#include "params.h"
#include "pdu.h"

#define ISC_LOGIN_CHAP_KEYS	8

/* What a step decided, besides a failure (negative). */
#define ISC_LSM_CONTINUE	0	/* answer, stay in the login phase */
#define ISC_LSM_FFP		1	/* answer with full feature phase */

struct isc_login_sm {
	struct isc_params	cfg;	/* the target's, AuthMethod set */
	struct isc_neg		neg;
	struct isc_chap		chap;
	struct isc_chap_cred	cred;
	bool			auth_required;
	bool			auth_done;
	u8			csg;	/* of the last request */
	u8			nsg;
	bool			transit;	/* T bit of the answer */
	u16			status;	/* login status of a failure */
	const char		*why;	/* and its reason, for the log */
	struct isc_kv		chap_kv[ISC_LOGIN_CHAP_KEYS];
	unsigned int		nchap;
};

void isc_login_sm_init(struct isc_login_sm *m, const struct isc_params *cfg,
		       const struct isc_chap_cred *cred,
		       isc_chap_hash_fn hash, isc_chap_random_fn random,
		       void *ctx);
int isc_login_sm_step(struct isc_login_sm *m, u8 flags,
		      const struct isc_kv *kv, unsigned int n,
		      struct isc_textbuf *rsp);

#endif /* _ISC_LOGIN_SM_H */
