// SPDX-License-Identifier: GPL-2.0-only
/*
 * iSCSI login: stage transitions, negotiation and CHAP of one request.
 *
 * The rule this file exists for: when CHAP is required (the credentials
 * have a userid and a secret), no request leaves the security stage,
 * and so none reaches the operational stage or full feature phase,
 * before the CHAP exchange succeeded (tests/unit/iscsi/fuzz_login.c
 * checks it on arbitrary request sequences).
 */
#include "login_sm.h"

/**
 * isc_login_sm_init() - start a login
 * @m: the state
 * @cfg: the target's negotiation values (copied)
 * @cred: the credentials the initiator must prove (copied); CHAP is
 *        required when userid and secret are set
 * @hash: computes CHAP responses
 * @random: fills CHAP identifiers and challenges
 * @ctx: passed to @hash and @random
 */
void isc_login_sm_init(struct isc_login_sm *m, const struct isc_params *cfg,
		       const struct isc_chap_cred *cred,
		       isc_chap_hash_fn hash, isc_chap_random_fn random,
		       void *ctx)
{
	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
	m->cred = *cred;
	m->auth_required = cred->userid[0] && cred->secret[0];
	m->cfg.v[ISC_K_AUTH_METHOD] = m->auth_required ? ISC_AUTH_CHAP :
							 ISC_AUTH_NONE;
	isc_neg_init(&m->neg, &m->cfg, ISC_PH_SECURITY);
	isc_chap_init(&m->chap, &m->cred, hash, random, ctx);
}

static int isc_login_sm_fail(struct isc_login_sm *m, u16 status,
			     const char *why)
{
	m->status = status;
	m->why = why;
	return -EACCES;
}

static bool isc_login_sm_stage_ok(const struct isc_login_sm *m)
{
	if (m->csg == 2 || m->csg == ISC_STAGE_FFP)
		return false;
	if (m->transit && (m->nsg == 2 || m->nsg <= m->csg))
		return false;
	return true;
}

/* Negotiate the keys of the request; CHAP keys are set aside. */
static int isc_login_sm_keys(struct isc_login_sm *m, const struct isc_kv *kv,
			     unsigned int n, struct isc_textbuf *rsp)
{
	unsigned int i;
	int ret;

	m->neg.phase = m->csg == ISC_STAGE_SECURITY ? ISC_PH_SECURITY :
						      ISC_PH_OPERATIONAL;
	m->nchap = 0;
	for (i = 0; i < n; i++) {
		ret = isc_neg_key(&m->neg, kv[i].key, kv[i].val, rsp);
		if (ret == 1 && m->nchap < ISC_LOGIN_CHAP_KEYS)
			m->chap_kv[m->nchap++] = kv[i];
		else if (ret)
			return isc_login_sm_fail(m, m->neg.status ?
						 m->neg.status :
						 ISC_LS_INIT_ERR,
						 m->neg.fail_key ?
						 m->neg.fail_key : "CHAP key");
	}
	return 0;
}

/* The security stage: AuthMethod chosen, then CHAP. */
static int isc_login_sm_auth(struct isc_login_sm *m, struct isc_textbuf *rsp)
{
	bool chosen = m->neg.seen & (1ULL << ISC_K_AUTH_METHOD);

	if (m->auth_done)
		return m->nchap ? isc_login_sm_fail(m, ISC_LS_INIT_ERR,
						    "CHAP after auth") : 0;
	if (!chosen)
		return m->nchap ? isc_login_sm_fail(m, ISC_LS_INIT_ERR,
						    "CHAP before AuthMethod") :
				  0;
	if (m->neg.res.v[ISC_K_AUTH_METHOD] == ISC_AUTH_NONE) {
		/* only offered when CHAP is not required */
		if (m->auth_required)
			return isc_login_sm_fail(m, ISC_LS_AUTH_FAILED,
						 "authentication required");
		m->auth_done = true;
		return 0;
	}
	if (isc_chap_step(&m->chap, m->chap_kv, m->nchap, rsp))
		return isc_login_sm_fail(m, ISC_LS_AUTH_FAILED,
					 m->chap.why ? m->chap.why : "CHAP");
	m->auth_done = m->chap.state == ISC_CHAP_DONE;
	return 0;
}

/**
 * isc_login_sm_step() - handle one complete Login Request
 * @m: the state
 * @flags: the request's flags byte (T, CSG, NSG)
 * @kv: its key=value pairs
 * @n: their number
 * @rsp: the keys of the answer are appended here
 *
 * On success m->csg is the answer's CSG and m->transit its T bit (with
 * m->nsg as NSG); the caller adds its declarative keys and sends it.
 *
 * Return: ISC_LSM_CONTINUE, ISC_LSM_FFP (the answer moves to full
 * feature phase), or -EACCES (m->status and m->why say why).
 */
int isc_login_sm_step(struct isc_login_sm *m, u8 flags,
		      const struct isc_kv *kv, unsigned int n,
		      struct isc_textbuf *rsp)
{
	int ret;

	m->csg = ISC_LOGIN_CSG(flags);
	m->nsg = ISC_LOGIN_NSG(flags);
	m->transit = flags & ISC_LOGIN_TRANSIT;
	if (!isc_login_sm_stage_ok(m))
		return isc_login_sm_fail(m, ISC_LS_INIT_ERR, "stage");
	ret = isc_login_sm_keys(m, kv, n, rsp);
	if (!ret && m->csg == ISC_STAGE_SECURITY)
		ret = isc_login_sm_auth(m, rsp);
	if (ret)
		return ret;
	if (m->csg == ISC_STAGE_OPERATIONAL && !m->auth_done) {
		if (m->auth_required)
			return isc_login_sm_fail(m, ISC_LS_AUTH_FAILED,
						 "authentication required");
		m->auth_done = true;
	}
	if (m->transit && m->csg == ISC_STAGE_SECURITY && !m->auth_done)
		m->transit = false;	/* not yet: go on with CHAP */
	if (m->transit && m->nsg == ISC_STAGE_FFP)
		return ISC_LSM_FFP;
	return ISC_LSM_CONTINUE;
}
