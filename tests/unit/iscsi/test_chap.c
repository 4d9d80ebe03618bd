// SPDX-License-Identifier: GPL-2.0-only
/* test_chap.c - CHAP exchange, with OpenSSL's MD5 and SHA-256 */
#include <CUnit/CUnit.h>
#include <openssl/evp.h>

#include "chap_fmt.h"
#include "tests.h"

int test_chap_hash(void *ctx, int alg, u8 id, const u8 *secret,
		   size_t slen, const u8 *chal, size_t clen, u8 *out);

int test_chap_hash(void *ctx, int alg, u8 id, const u8 *secret,
		   size_t slen, const u8 *chal, size_t clen, u8 *out)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int n;

	(void)ctx;
	EVP_DigestInit_ex(c, alg == ISC_CHAP_SHA256 ? EVP_sha256() :
			  EVP_md5(), NULL);
	EVP_DigestUpdate(c, &id, 1);
	EVP_DigestUpdate(c, secret, slen);
	EVP_DigestUpdate(c, chal, clen);
	EVP_DigestFinal_ex(c, out, &n);
	EVP_MD_CTX_free(c);
	return 0;
}

static void fake_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0x5a, len);
}

static struct isc_chap_cred cred = {
	.userid = "alice", .secret = "alice-secret-1",
	.mutual_userid = "tgt", .mutual_secret = "target-secret-2",
};
static const struct isc_chap_cred *use = &cred;	/* run()'s */
static char rspbuf[4096];
static struct isc_textbuf rsp;

static const char *answer(const char *key)
{
	u32 pos = 0;
	size_t kl = strlen(key);

	while (pos < rsp.len) {
		const char *p = rspbuf + pos;

		if (!strncmp(p, key, kl) && p[kl] == '=')
			return p + kl + 1;
		pos += strlen(p) + 1;
	}
	return NULL;
}

static void clear_rsp(void)
{
	rsp.buf = rspbuf;
	rsp.cap = sizeof(rspbuf);
	rsp.len = 0;
	rsp.overflow = false;
}

static void test_bin(void)
{
	u8 out[16];
	char hex[64];
	size_t len;

	CU_ASSERT_EQUAL(isc_bin_decode("0x0a0B", out, 16, &len), 0);
	CU_ASSERT_EQUAL(len, 2);
	CU_ASSERT_EQUAL(out[1], 0x0b);
	CU_ASSERT_EQUAL(isc_bin_decode("0xabc", out, 16, &len), 0);
	CU_ASSERT_EQUAL(len, 2);
	CU_ASSERT_EQUAL(out[0], 0x0a);
	CU_ASSERT_EQUAL(isc_bin_decode("0bAAEC", out, 16, &len), 0);
	CU_ASSERT_EQUAL(len, 3);
	CU_ASSERT_EQUAL(out[2], 2);
	CU_ASSERT_EQUAL(isc_bin_decode("0bAQ==", out, 16, &len), 0);
	CU_ASSERT_EQUAL(len, 1);
	CU_ASSERT_EQUAL(out[0], 1);
	CU_ASSERT_EQUAL(isc_bin_decode("0x", out, 16, &len), -EINVAL);
	CU_ASSERT_EQUAL(isc_bin_decode("0xzz", out, 16, &len), -EINVAL);
	CU_ASSERT_EQUAL(isc_bin_decode("1234", out, 16, &len), -EINVAL);
	CU_ASSERT_EQUAL(isc_bin_decode("0b@@@@", out, 16, &len), -EINVAL);
	CU_ASSERT_EQUAL(isc_bin_decode("0x00112233445566778899aabbccddeeff00",
				       out, 16, &len), -EINVAL);
	CU_ASSERT_EQUAL(isc_bin_encode_hex((const u8 *)"\x01\xff", 2, hex,
					   sizeof(hex)), 0);
	CU_ASSERT_STRING_EQUAL(hex, "0x01ff");
	CU_ASSERT_EQUAL(isc_bin_encode_hex(out, 16, hex, 10), -ENOSPC);
	CU_ASSERT_EQUAL(isc_chap_secret_valid("short"), -EINVAL);
	CU_ASSERT_EQUAL(isc_chap_secret_valid("twelve-chars"), 0);
}

/* Run the exchange as an initiator would; returns isc_chap_step's. */
static int run(int alg_offer, const char *name, const char *secret,
	       bool mutual, struct isc_chap *c)
{
	struct isc_kv kv[4];
	char alist[16], rhex[80], chex[80], ibuf[8];
	u8 chal[32], resp[32], mchal[16];
	size_t clen;
	u64 id;
	int ret, n = 0;

	isc_chap_init(c, use, test_chap_hash, fake_random, NULL);
	clear_rsp();
	snprintf(alist, sizeof(alist), "%d,5", alg_offer);
	kv[0] = (struct isc_kv){ "CHAP_A", alist };
	ret = isc_chap_step(c, kv, 1, &rsp);
	if (ret)
		return ret;
	CU_ASSERT_EQUAL(c->state, ISC_CHAP_WAIT_R);
	isc_parse_number(answer("CHAP_I"), 255, &id);
	isc_bin_decode(answer("CHAP_C"), chal, sizeof(chal), &clen);
	test_chap_hash(NULL, c->alg, (u8)id, (const u8 *)secret,
		       strlen(secret), chal, clen, resp);
	isc_bin_encode_hex(resp, isc_chap_digest_len(c->alg), rhex,
			   sizeof(rhex));
	clear_rsp();
	kv[n++] = (struct isc_kv){ "CHAP_N", (char *)name };
	kv[n++] = (struct isc_kv){ "CHAP_R", rhex };
	if (mutual) {
		memset(mchal, 0x33, sizeof(mchal));
		isc_bin_encode_hex(mchal, sizeof(mchal), chex, sizeof(chex));
		strcpy(ibuf, "77");
		kv[n++] = (struct isc_kv){ "CHAP_I", ibuf };
		kv[n++] = (struct isc_kv){ "CHAP_C", chex };
	}
	return isc_chap_step(c, kv, n, &rsp);
}

static void test_md5(void)
{
	struct isc_chap c;

	CU_ASSERT_EQUAL(run(5, "alice", "alice-secret-1", false, &c), 0);
	CU_ASSERT_EQUAL(c.alg, ISC_CHAP_MD5);
	CU_ASSERT_EQUAL(c.state, ISC_CHAP_DONE);
	CU_ASSERT_EQUAL(run(5, "alice", "wrong-secret-1", false, &c),
			-EACCES);
	CU_ASSERT_EQUAL(run(5, "bob", "alice-secret-1", false, &c), -EACCES);
}

static void test_sha256_and_mutual(void)
{
	struct isc_chap c;
	u8 want[32], got[32], mchal[16];
	size_t len;

	CU_ASSERT_EQUAL(run(7, "alice", "alice-secret-1", true, &c), 0);
	CU_ASSERT_EQUAL(c.alg, ISC_CHAP_SHA256);
	CU_ASSERT_STRING_EQUAL(answer("CHAP_N"), "tgt");
	memset(mchal, 0x33, sizeof(mchal));
	test_chap_hash(NULL, ISC_CHAP_SHA256, 77,
		       (const u8 *)"target-secret-2", 15, mchal, 16, want);
	CU_ASSERT_EQUAL(isc_bin_decode(answer("CHAP_R"), got, 32, &len), 0);
	CU_ASSERT_EQUAL(len, 32);
	CU_ASSERT_EQUAL(memcmp(want, got, 32), 0);
}

static void test_protocol_errors(void)
{
	struct isc_chap c;
	struct isc_kv kv[2];
	char a[] = "6,99", n[] = "alice";

	/* no algorithm we know */
	isc_chap_init(&c, &cred, test_chap_hash, fake_random, NULL);
	clear_rsp();
	kv[0] = (struct isc_kv){ "CHAP_A", a };
	CU_ASSERT_EQUAL(isc_chap_step(&c, kv, 1, &rsp), -EACCES);
	CU_ASSERT_STRING_EQUAL(answer("CHAP_A"), "Reject");
	/* CHAP_N without CHAP_A first */
	isc_chap_init(&c, &cred, test_chap_hash, fake_random, NULL);
	kv[0] = (struct isc_kv){ "CHAP_N", n };
	CU_ASSERT_EQUAL(isc_chap_step(&c, kv, 1, &rsp), -EACCES);
	/* nothing yet: wait */
	isc_chap_init(&c, &cred, test_chap_hash, fake_random, NULL);
	CU_ASSERT_EQUAL(isc_chap_step(&c, kv, 0, &rsp), 0);
}

/* credentials as configured: complete, or refused with a reason */
static void test_cred_check(void)
{
	struct isc_chap_cred cr;

	memset(&cr, 0, sizeof(cr));
	CU_ASSERT_PTR_NULL(isc_chap_cred_check(&cr));
	CU_ASSERT_FALSE(isc_chap_cred_set(&cr));
	strcpy(cr.userid, "alice");
	CU_ASSERT_TRUE(isc_chap_cred_set(&cr));
	CU_ASSERT_STRING_EQUAL(isc_chap_cred_check(&cr),
			       "userid set without secret");
	strcpy(cr.secret, "alice-secret-1");
	CU_ASSERT_PTR_NULL(isc_chap_cred_check(&cr));
	cr.userid[0] = '\0';
	CU_ASSERT_STRING_EQUAL(isc_chap_cred_check(&cr),
			       "secret set without userid");
	strcpy(cr.userid, "alice");
	strcpy(cr.mutual_userid, "tgt");
	CU_ASSERT_STRING_EQUAL(isc_chap_cred_check(&cr),
			       "mutual_userid set without mutual_secret");
	strcpy(cr.mutual_secret, "alice-secret-1");
	CU_ASSERT_STRING_EQUAL(isc_chap_cred_check(&cr),
			       "mutual_secret equals secret");
	strcpy(cr.mutual_secret, "target-secret-2");
	CU_ASSERT_PTR_NULL(isc_chap_cred_check(&cr));
	cr.mutual_userid[0] = '\0';
	CU_ASSERT_STRING_EQUAL(isc_chap_cred_check(&cr),
			       "mutual_secret set without mutual_userid");
	strcpy(cr.mutual_userid, "tgt");
	cr.userid[0] = cr.secret[0] = '\0';
	CU_ASSERT_STRING_EQUAL(isc_chap_cred_check(&cr),
			       "mutual CHAP set without userid and secret");
}

/* RFC 7143 12.1.3: no mutual response computed with the secret */
static void test_mutual_same_secret(void)
{
	struct isc_chap_cred same = cred;
	struct isc_chap c;

	strcpy(same.mutual_secret, same.secret);
	use = &same;
	CU_ASSERT_EQUAL(run(5, "alice", "alice-secret-1", true, &c), -EACCES);
	CU_ASSERT_PTR_NULL(answer("CHAP_R"));
	CU_ASSERT_STRING_EQUAL(c.why ? c.why : "",
			       "mutual_secret equals secret");
	/* one-way CHAP with the same credentials still works */
	CU_ASSERT_EQUAL(run(5, "alice", "alice-secret-1", false, &c), 0);
	use = &cred;
}

int register_chap_tests(void)
{
	CU_pSuite s = CU_add_suite("chap", NULL, NULL);

	if (!s || !CU_add_test(s, "binary values", test_bin) ||
	    !CU_add_test(s, "md5", test_md5) ||
	    !CU_add_test(s, "sha256 and mutual", test_sha256_and_mutual) ||
	    !CU_add_test(s, "protocol errors", test_protocol_errors) ||
	    !CU_add_test(s, "credential checks", test_cred_check) ||
	    !CU_add_test(s, "mutual secret equal", test_mutual_same_secret))
		return -1;
	return 0;
}
