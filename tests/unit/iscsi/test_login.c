// SPDX-License-Identifier: GPL-2.0-only
/* test_login.c - the login state machine (login_sm.c): stages and CHAP */
#include <CUnit/CUnit.h>
#include <stdio.h>

#include "login_sm.h"
#include "tests.h"

int test_chap_hash(void *ctx, int alg, u8 id, const u8 *secret,
		   size_t slen, const u8 *chal, size_t clen, u8 *out);

#define T	ISC_LOGIN_TRANSIT
#define SEC	(ISC_STAGE_SECURITY << 2)
#define OPER	(ISC_STAGE_OPERATIONAL << 2)

static struct isc_login_sm m;
static char rspbuf[4096];
static struct isc_textbuf rsp;
static const struct isc_chap_cred chap = {
	.userid = "alice", .secret = "alice-secret-1",
};
static const struct isc_chap_cred nocred;

static void fake_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0x42, len);
}

static void start(const struct isc_chap_cred *cred)
{
	struct isc_params cfg;

	isc_params_set_target_defaults(&cfg);
	isc_login_sm_init(&m, &cfg, cred, test_chap_hash, fake_random, NULL);
}

/* one request of "k=v" strings; returns isc_login_sm_step's */
static int req(u8 flags, unsigned int n, char **pairs)
{
	static char kbuf[8][256];
	struct isc_kv kv[8];
	unsigned int i;

	for (i = 0; i < n; i++) {
		char *eq;

		snprintf(kbuf[i], sizeof(kbuf[i]), "%s", pairs[i]);
		eq = strchr(kbuf[i], '=');
		*eq = '\0';
		kv[i] = (struct isc_kv){ kbuf[i], eq + 1 };
	}
	rsp = (struct isc_textbuf){ .buf = rspbuf, .cap = sizeof(rspbuf) };
	return isc_login_sm_step(&m, flags, kv, n, &rsp);
}

static const char *answer(const char *key)
{
	size_t kl = strlen(key);
	u32 pos = 0;

	while (pos < rsp.len) {
		const char *p = rspbuf + pos;

		if (!strncmp(p, key, kl) && p[kl] == '=')
			return p + kl + 1;
		pos += strlen(p) + 1;
	}
	return NULL;
}

/* CHAP_N/CHAP_R for the challenge of the last answer */
static int respond(u8 flags, const char *name, const char *secret)
{
	u8 chal[64], resp[32];
	char rhex[80], nkv[300], rkv[100];
	char *pairs[2] = { nkv, rkv };
	size_t clen;
	u64 id;

	if (!answer("CHAP_I") || !answer("CHAP_C"))
		return -99;
	isc_parse_number(answer("CHAP_I"), 255, &id);
	isc_bin_decode(answer("CHAP_C"), chal, sizeof(chal), &clen);
	test_chap_hash(NULL, ISC_CHAP_MD5, (u8)id, (const u8 *)secret,
		       strlen(secret), chal, clen, resp);
	isc_bin_encode_hex(resp, 16, rhex, sizeof(rhex));
	snprintf(nkv, sizeof(nkv), "CHAP_N=%s", name);
	snprintf(rkv, sizeof(rkv), "CHAP_R=%s", rhex);
	return req(flags, 2, pairs);
}

static void test_chap_login(void)
{
	char *auth[] = { "AuthMethod=CHAP,None" };
	char *alg[] = { "CHAP_A=5" };

	start(&chap);
	/* T=1 to operational, but CHAP is not done: the answer stays */
	CU_ASSERT_EQUAL(req(T | SEC | 1, 1, auth), ISC_LSM_CONTINUE);
	CU_ASSERT_STRING_EQUAL(answer("AuthMethod"), "CHAP");
	CU_ASSERT_FALSE(m.transit);
	CU_ASSERT_EQUAL(req(T | SEC | 1, 1, alg), ISC_LSM_CONTINUE);
	CU_ASSERT_FALSE(m.transit);
	CU_ASSERT_EQUAL(respond(T | SEC | 1, "alice", "alice-secret-1"),
			ISC_LSM_CONTINUE);
	CU_ASSERT_TRUE(m.transit);
	CU_ASSERT_EQUAL(m.nsg, ISC_STAGE_OPERATIONAL);
	CU_ASSERT_EQUAL(req(T | OPER | ISC_STAGE_FFP, 0, NULL), ISC_LSM_FFP);
}

static void test_chap_wrong(void)
{
	char *auth[] = { "AuthMethod=CHAP" };
	char *alg[] = { "CHAP_A=5" };

	start(&chap);
	req(SEC, 1, auth);
	req(SEC, 1, alg);
	CU_ASSERT_EQUAL(respond(T | SEC | 1, "alice", "wrong-secret-1"),
			-EACCES);
	CU_ASSERT_EQUAL(m.status, ISC_LS_AUTH_FAILED);
	/* the right secret under another name */
	start(&chap);
	req(SEC, 1, auth);
	req(SEC, 1, alg);
	CU_ASSERT_EQUAL(respond(T | SEC | 1, "bob", "alice-secret-1"),
			-EACCES);
}

/* ways around CHAP when it is required */
static void test_chap_bypass(void)
{
	char *none[] = { "AuthMethod=None" };
	char *auth[] = { "AuthMethod=CHAP" };

	/* straight to the operational stage */
	start(&chap);
	CU_ASSERT_EQUAL(req(T | OPER | ISC_STAGE_FFP, 0, NULL), -EACCES);
	CU_ASSERT_EQUAL(m.status, ISC_LS_AUTH_FAILED);
	CU_ASSERT_STRING_EQUAL(m.why, "authentication required");
	/* AuthMethod=None */
	start(&chap);
	CU_ASSERT_EQUAL(req(T | SEC | ISC_STAGE_FFP, 1, none), -EACCES);
	CU_ASSERT_EQUAL(m.status, ISC_LS_AUTH_FAILED);
	/* security stage straight to full feature phase, no CHAP keys */
	start(&chap);
	CU_ASSERT_EQUAL(req(T | SEC | ISC_STAGE_FFP, 1, auth),
			ISC_LSM_CONTINUE);
	CU_ASSERT_FALSE(m.transit);
	CU_ASSERT_EQUAL(req(T | SEC | ISC_STAGE_FFP, 0, NULL),
			ISC_LSM_CONTINUE);
	CU_ASSERT_FALSE(m.transit);
	/* then to the operational stage anyway */
	CU_ASSERT_EQUAL(req(T | OPER | ISC_STAGE_FFP, 0, NULL), -EACCES);
	/* a bad stage */
	start(&chap);
	CU_ASSERT_EQUAL(req(T | (2 << 2) | ISC_STAGE_FFP, 0, NULL), -EACCES);
	CU_ASSERT_EQUAL(m.status, ISC_LS_INIT_ERR);
}

static void test_no_auth(void)
{
	char *none[] = { "AuthMethod=None" };

	start(&nocred);
	CU_ASSERT_FALSE(m.auth_required);
	CU_ASSERT_EQUAL(req(T | SEC | ISC_STAGE_FFP, 1, none), ISC_LSM_FFP);
	start(&nocred);
	CU_ASSERT_EQUAL(req(T | OPER | ISC_STAGE_FFP, 0, NULL), ISC_LSM_FFP);
}

int register_login_tests(void)
{
	CU_pSuite s = CU_add_suite("login", NULL, NULL);

	if (!s || !CU_add_test(s, "chap login", test_chap_login) ||
	    !CU_add_test(s, "chap wrong", test_chap_wrong) ||
	    !CU_add_test(s, "chap bypass", test_chap_bypass) ||
	    !CU_add_test(s, "no auth", test_no_auth))
		return -1;
	return 0;
}
