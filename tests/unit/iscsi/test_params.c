// SPDX-License-Identifier: GPL-2.0-only
/* test_params.c - text data segments and key negotiation */
#include <CUnit/CUnit.h>

#include "params.h"
#include "pdu.h"
#include "tests.h"

static char rspbuf[8192];
static struct isc_textbuf rsp;
static struct isc_params cfg;
static struct isc_neg neg;

static void reset(enum isc_phase ph)
{
	rsp.buf = rspbuf;
	rsp.cap = sizeof(rspbuf);
	rsp.len = 0;
	rsp.overflow = false;
	isc_params_set_target_defaults(&cfg);
	isc_neg_init(&neg, &cfg, ph);
}

/* The value of @key in the response, or NULL. */
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

static void neg1(const char *k, const char *v)
{
	CU_ASSERT_EQUAL(isc_neg_key(&neg, k, v, &rsp), 0);
}

static void test_parse(void)
{
	char buf[] = "A=1\0B=two\0\0C=\0";
	char bad1[] = "A=1\0B";
	char bad2[] = "noequal\0";
	char bad3[] = "=v\0";
	char bad4[] = "sp ace=1\0";
	struct isc_kv kv[4];
	unsigned int n;

	CU_ASSERT_EQUAL(isc_text_parse(buf, sizeof(buf) - 1, kv, 4, &n), 0);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_STRING_EQUAL(kv[1].key, "B");
	CU_ASSERT_STRING_EQUAL(kv[1].val, "two");
	CU_ASSERT_STRING_EQUAL(kv[2].val, "");
	CU_ASSERT_EQUAL(isc_text_parse(bad1, sizeof(bad1) - 1, kv, 4, &n),
			-EINVAL);
	CU_ASSERT_EQUAL(isc_text_parse(bad2, sizeof(bad2) - 1, kv, 4, &n),
			-EINVAL);
	CU_ASSERT_EQUAL(isc_text_parse(bad3, sizeof(bad3) - 1, kv, 4, &n),
			-EINVAL);
	CU_ASSERT_EQUAL(isc_text_parse(bad4, sizeof(bad4) - 1, kv, 4, &n),
			-EINVAL);
	{
		char again[] = "A=1\0B=2\0C=3\0";

		CU_ASSERT_EQUAL(isc_text_parse(again, sizeof(again) - 1, kv,
					       2, &n), -E2BIG);
	}
	CU_ASSERT_EQUAL(isc_text_parse(buf, 0, kv, 2, &n), 0);
	CU_ASSERT_EQUAL(n, 0);
}

static void test_numbers(void)
{
	u64 v;

	CU_ASSERT_EQUAL(isc_parse_number("8192", 0xffffffff, &v), 0);
	CU_ASSERT_EQUAL(v, 8192);
	CU_ASSERT_EQUAL(isc_parse_number("0x2000", 0xffffffff, &v), 0);
	CU_ASSERT_EQUAL(v, 8192);
	CU_ASSERT_EQUAL(isc_parse_number("", 10, &v), -EINVAL);
	CU_ASSERT_EQUAL(isc_parse_number("0x", 10, &v), -EINVAL);
	CU_ASSERT_EQUAL(isc_parse_number("11", 10, &v), -EINVAL);
	CU_ASSERT_EQUAL(isc_parse_number("-1", 10, &v), -EINVAL);
	CU_ASSERT_EQUAL(isc_parse_number("99999999999999999999999",
					 0xffffffffffffffffULL, &v), -EINVAL);
	/* a digit above max: max - digit must not wrap */
	v = 1234;
	CU_ASSERT_EQUAL(isc_parse_number("5", 0, &v), -EINVAL);
	CU_ASSERT_EQUAL(isc_parse_number("9", 3, &v), -EINVAL);
	CU_ASSERT_EQUAL(isc_parse_number("0xf", 14, &v), -EINVAL);
	CU_ASSERT_EQUAL(isc_parse_number("0x10", 15, &v), -EINVAL);
	CU_ASSERT_EQUAL(isc_parse_number("19", 1, &v), -EINVAL);
	CU_ASSERT_EQUAL(isc_parse_number("12", 9, &v), -EINVAL);
	CU_ASSERT_EQUAL(v, 1234);	/* untouched on error */
	CU_ASSERT_EQUAL(isc_parse_number("0", 0, &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(isc_parse_number("3", 3, &v), 0);
	CU_ASSERT_EQUAL(v, 3);
	CU_ASSERT_EQUAL(isc_parse_number("0xe", 14, &v), 0);
	CU_ASSERT_EQUAL(v, 14);
	CU_ASSERT_EQUAL(isc_parse_number("18446744073709551615",
					 0xffffffffffffffffULL, &v), 0);
	CU_ASSERT_EQUAL(v, 0xffffffffffffffffULL);
	CU_ASSERT_EQUAL(isc_parse_number("18446744073709551616",
					 0xffffffffffffffffULL, &v), -EINVAL);
	CU_ASSERT_EQUAL(isc_parse_number("256", 255, &v), -EINVAL);
	CU_ASSERT_TRUE(isc_list_has("CRC32C,None", "None"));
	CU_ASSERT_FALSE(isc_list_has("CRC32C,Nonex", "None"));
}

static void test_operational(void)
{
	reset(ISC_PH_OPERATIONAL);
	neg1("HeaderDigest", "CRC32C,None");
	CU_ASSERT_STRING_EQUAL(answer("HeaderDigest"), "CRC32C");
	neg1("DataDigest", "None,CRC32C");
	CU_ASSERT_STRING_EQUAL(answer("DataDigest"), "None");
	neg1("MaxBurstLength", "16776192");
	CU_ASSERT_STRING_EQUAL(answer("MaxBurstLength"), "1048576");
	neg1("FirstBurstLength", "4096");
	CU_ASSERT_STRING_EQUAL(answer("FirstBurstLength"), "4096");
	neg1("InitialR2T", "No");
	CU_ASSERT_STRING_EQUAL(answer("InitialR2T"), "No");
	neg1("ImmediateData", "Yes");
	CU_ASSERT_STRING_EQUAL(answer("ImmediateData"), "Yes");
	neg1("MaxConnections", "8");
	CU_ASSERT_STRING_EQUAL(answer("MaxConnections"), "1");
	neg1("DefaultTime2Wait", "0");
	CU_ASSERT_STRING_EQUAL(answer("DefaultTime2Wait"), "2");
	neg1("DefaultTime2Retain", "60");
	CU_ASSERT_STRING_EQUAL(answer("DefaultTime2Retain"), "0");
	neg1("ErrorRecoveryLevel", "2");
	CU_ASSERT_STRING_EQUAL(answer("ErrorRecoveryLevel"), "0");
	neg1("MaxRecvDataSegmentLength", "65536");
	CU_ASSERT_PTR_NULL(answer("MaxRecvDataSegmentLength"));
	CU_ASSERT_EQUAL(neg.res.v[ISC_K_MAX_RECV_DSL], 65536);
	neg1("OFMarker", "Yes");
	CU_ASSERT_STRING_EQUAL(answer("OFMarker"), "No");
	neg1("IFMarkInt", "2048~8192");
	CU_ASSERT_STRING_EQUAL(answer("IFMarkInt"), "Irrelevant");
	neg1("X-com.example.foo", "1");
	CU_ASSERT_STRING_EQUAL(answer("X-com.example.foo"), "NotUnderstood");
	neg1("iSCSIProtocolLevel", "2");
	CU_ASSERT_STRING_EQUAL(answer("iSCSIProtocolLevel"), "1");
	neg1("TaskReporting", "FastAbort,RFC3720");
	CU_ASSERT_STRING_EQUAL(answer("TaskReporting"), "RFC3720");
	isc_neg_finish(&neg);
	CU_ASSERT_EQUAL(neg.res.v[ISC_K_FIRST_BURST], 4096);
	CU_ASSERT_EQUAL(neg.res.v[ISC_K_INITIAL_R2T], 0);
	CU_ASSERT_FALSE(rsp.overflow);
}

static void test_bad_values(void)
{
	reset(ISC_PH_OPERATIONAL);
	neg1("MaxBurstLength", "100");
	CU_ASSERT_STRING_EQUAL(answer("MaxBurstLength"), "Reject");
	CU_ASSERT_EQUAL(neg.res.v[ISC_K_MAX_BURST], 262144);
	neg1("InitialR2T", "maybe");
	CU_ASSERT_STRING_EQUAL(answer("InitialR2T"), "Reject");
	neg1("HeaderDigest", "MD5");
	CU_ASSERT_STRING_EQUAL(answer("HeaderDigest"), "Reject");
	neg1("MaxRecvDataSegmentLength", "16777216");
	CU_ASSERT_STRING_EQUAL(answer("MaxRecvDataSegmentLength"), "Reject");
	/* negotiating twice is a protocol error */
	CU_ASSERT_TRUE(isc_neg_key(&neg, "MaxBurstLength", "512", &rsp) < 0);
	CU_ASSERT_EQUAL(neg.status, ISC_LS_INIT_ERR);
	/* SessionType */
	reset(ISC_PH_SECURITY);
	CU_ASSERT_TRUE(isc_neg_key(&neg, "SessionType", "Other", &rsp) < 0);
	CU_ASSERT_EQUAL(neg.status, ISC_LS_BAD_SESS_TYPE);
	/* target-only keys */
	reset(ISC_PH_SECURITY);
	neg1("TargetAddress", "1.2.3.4");
	CU_ASSERT_STRING_EQUAL(answer("TargetAddress"), "Reject");
}

static void test_auth(void)
{
	reset(ISC_PH_SECURITY);
	cfg.v[ISC_K_AUTH_METHOD] = ISC_AUTH_NONE;
	neg1("AuthMethod", "CHAP,None");
	CU_ASSERT_STRING_EQUAL(answer("AuthMethod"), "None");
	reset(ISC_PH_SECURITY);
	cfg.v[ISC_K_AUTH_METHOD] = ISC_AUTH_CHAP;
	neg1("AuthMethod", "None,CHAP");
	CU_ASSERT_STRING_EQUAL(answer("AuthMethod"), "CHAP");
	reset(ISC_PH_SECURITY);
	cfg.v[ISC_K_AUTH_METHOD] = ISC_AUTH_CHAP;
	CU_ASSERT_TRUE(isc_neg_key(&neg, "AuthMethod", "None", &rsp) < 0);
	CU_ASSERT_EQUAL(neg.status, ISC_LS_AUTH_FAILED);
	/* CHAP keys go to the caller, only in the security stage */
	reset(ISC_PH_SECURITY);
	CU_ASSERT_EQUAL(isc_neg_key(&neg, "CHAP_A", "5", &rsp), 1);
	reset(ISC_PH_OPERATIONAL);
	CU_ASSERT_TRUE(isc_neg_key(&neg, "CHAP_A", "5", &rsp) < 0);
	/* AuthMethod outside the security stage */
	reset(ISC_PH_OPERATIONAL);
	neg1("AuthMethod", "None");
	CU_ASSERT_STRING_EQUAL(answer("AuthMethod"), "Reject");
}

static void test_ffp(void)
{
	reset(ISC_PH_FFP);
	neg1("SendTargets", "All");
	CU_ASSERT_TRUE(neg.send_targets_all);
	neg1("MaxBurstLength", "4096");
	CU_ASSERT_STRING_EQUAL(answer("MaxBurstLength"), "Reject");
	neg1("MaxRecvDataSegmentLength", "4096");
	CU_ASSERT_EQUAL(neg.res.v[ISC_K_MAX_RECV_DSL], 4096);
	reset(ISC_PH_OPERATIONAL);
	neg1("SendTargets", "All");
	CU_ASSERT_STRING_EQUAL(answer("SendTargets"), "Reject");
}

static void test_names_and_config(void)
{
	u32 v;
	char buf[32];

	CU_ASSERT_TRUE(isc_name_valid("iqn.2024-01.org.example:t1"));
	CU_ASSERT_TRUE(isc_name_valid("eui.0123456789abcdef"));
	CU_ASSERT_FALSE(isc_name_valid("iqn."));
	CU_ASSERT_FALSE(isc_name_valid("foo.bar"));
	CU_ASSERT_FALSE(isc_name_valid("iqn.a b"));
	CU_ASSERT_EQUAL(isc_params_parse_value(ISC_K_HEADER_DIGEST,
					       "CRC32C,None", &v), 0);
	CU_ASSERT_EQUAL(v, ISC_DIGEST_CRC32C | ISC_DIGEST_NONE);
	CU_ASSERT_EQUAL(isc_params_parse_value(ISC_K_HEADER_DIGEST, "MD5",
					       &v), -EINVAL);
	CU_ASSERT_EQUAL(isc_params_parse_value(ISC_K_MAX_BURST, "511", &v),
			-EINVAL);
	CU_ASSERT_EQUAL(isc_params_parse_value(ISC_K_MAX_BURST, "16777215",
					       &v), 0);
	CU_ASSERT_EQUAL(isc_params_parse_value(ISC_K_MAX_BURST, "16777216",
					       &v), -EINVAL);
	CU_ASSERT_EQUAL(isc_params_parse_value(ISC_K_INITIAL_R2T, "Yes", &v),
			0);
	CU_ASSERT_EQUAL(v, 1);
	isc_params_format_value(ISC_K_DATA_DIGEST, ISC_DIGEST_CRC32C, buf,
				sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "CRC32C");
	CU_ASSERT_EQUAL(isc_key_lookup("FirstBurstLength"),
			ISC_K_FIRST_BURST);
	CU_ASSERT_EQUAL(isc_key_lookup("firstburstlength"), -ENOENT);
}

static void test_textbuf_overflow(void)
{
	char small[16];
	struct isc_textbuf tb = { .buf = small, .cap = sizeof(small) };

	isc_text_add(&tb, "Key", "value");
	CU_ASSERT_EQUAL(tb.len, 10);
	isc_text_add(&tb, "Key2", "value");
	CU_ASSERT_TRUE(tb.overflow);
	CU_ASSERT_EQUAL(tb.len, 10);
}

int register_params_tests(void)
{
	CU_pSuite s = CU_add_suite("params", NULL, NULL);

	if (!s || !CU_add_test(s, "parse", test_parse) ||
	    !CU_add_test(s, "numbers", test_numbers) ||
	    !CU_add_test(s, "operational", test_operational) ||
	    !CU_add_test(s, "bad values", test_bad_values) ||
	    !CU_add_test(s, "auth method", test_auth) ||
	    !CU_add_test(s, "full feature phase", test_ffp) ||
	    !CU_add_test(s, "names and config", test_names_and_config) ||
	    !CU_add_test(s, "textbuf overflow", test_textbuf_overflow))
		return -1;
	return 0;
}
