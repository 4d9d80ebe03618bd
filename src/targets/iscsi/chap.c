// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: the kernel side of CHAP: the hash (MD5 or SHA-256 through
 * the crypto API) and the random identifier and challenge.  The exchange
 * itself is in chap_fmt.c.
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include <crypto/hash.h>
#include <linux/random.h>

#include "iscsi.h"

/**
 * iscsi_chap_hash() - H(id || secret || challenge)
 * @ctx: unused
 * @alg: ISC_CHAP_MD5 or ISC_CHAP_SHA256
 * @id: the CHAP identifier
 * @secret: the secret
 * @secret_len: its length
 * @chal: the challenge
 * @chal_len: its length
 * @out: the digest (16 or 32 bytes)
 *
 * Return: 0 or a negative errno.
 */
int iscsi_chap_hash(void *ctx, int alg, u8 id, const u8 *secret,
		    size_t secret_len, const u8 *chal, size_t chal_len,
		    u8 *out)
{
	const char *name = alg == ISC_CHAP_SHA256 ? "sha256" : "md5";
	struct crypto_shash *tfm;
	struct shash_desc *desc;
	int ret;

	tfm = crypto_alloc_shash(name, 0, 0);
	if (IS_ERR(tfm)) {
		pr_warn("CHAP: no %s: %ld\n", name, PTR_ERR(tfm));
		return PTR_ERR(tfm);
	}
	desc = kzalloc(sizeof(*desc) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!desc) {
		crypto_free_shash(tfm);
		return -ENOMEM;
	}
	desc->tfm = tfm;
	ret = crypto_shash_init(desc);
	if (!ret)
		ret = crypto_shash_update(desc, &id, 1);
	if (!ret)
		ret = crypto_shash_update(desc, secret, secret_len);
	if (!ret)
		ret = crypto_shash_update(desc, chal, chal_len);
	if (!ret)
		ret = crypto_shash_final(desc, out);
	kfree_sensitive(desc);
	crypto_free_shash(tfm);
	return ret;
}

/**
 * iscsi_chap_random() - random bytes for CHAP_I and CHAP_C
 * @ctx: unused
 * @buf: the bytes
 * @len: their number
 */
void iscsi_chap_random(void *ctx, void *buf, size_t len)
{
	get_random_bytes(buf, len);
}
