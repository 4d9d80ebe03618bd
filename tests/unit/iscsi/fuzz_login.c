// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_login.c - libFuzzer target: sequences of Login Requests through
 * the login state machine (login_sm.c) of a target that requires CHAP.
 * Input: records of [flags byte][length byte][length bytes of
 * NUL-separated key=value text].  With a stand-in hash simple enough for
 * the fuzzer to answer the challenge now and then, it asserts that no
 * sequence leaves the security stage (an answer with T to a later
 * stage, a request accepted in the operational stage, or full feature
 * phase) unless the CHAP exchange succeeded.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>

#include "fuzz_chap_fake.h"
#include "login_sm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the invariant: past the security stage only after CHAP succeeded */
static void check(const struct isc_login_sm *m, int ret)
{
	bool past = ret == ISC_LSM_FFP ||
		    m->csg != ISC_STAGE_SECURITY ||
		    (m->transit && m->nsg != ISC_STAGE_SECURITY);

	if (ret < 0)
		return;
	if (past && (m->chap.state != ISC_CHAP_DONE || !m->auth_done))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[8192], text[256];
	struct isc_textbuf tb = { .buf = out, .cap = sizeof(out) };
	struct isc_kv kv[ISC_MAX_PAIRS];
	struct isc_params cfg;
	struct isc_login_sm m;
	size_t pos = 0;
	unsigned int n;
	int ret;

	isc_params_set_target_defaults(&cfg);
	isc_login_sm_init(&m, &cfg, &cred, fake_hash, fake_random, NULL);
	if (!m.auth_required)
		abort();
	while (pos + 2 <= size) {
		u8 flags = data[pos], len = data[pos + 1];

		pos += 2;
		if (len > size - pos)
			len = size - pos;
		memcpy(text, data + pos, len);
		pos += len;
		if (isc_text_parse(text, len, kv, ISC_MAX_PAIRS, &n))
			break;
		tb.len = 0;
		ret = isc_login_sm_step(&m, flags, kv, n, &tb);
		check(&m, ret);
		if (tb.len > tb.cap)
			abort();
		if (ret)	/* failed, or full feature phase */
			break;
	}
	return 0;
}
