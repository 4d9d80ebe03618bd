// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: which CHAP credentials a login must prove.
 *
 * Every initiator entry of an iSCSI target,
 * targets/iscsi/<iqn>/groups/<g>/initiators/<name-or-pattern>/, has an
 * auth/ group with the attributes of the target's auth/ (configfs.c).
 * A login to a target looks up the entry that decides the initiator's
 * group (scst_initiator_drv_group(): an exact name first, else the first
 * matching pattern).  If that entry's auth/ has any value set, those are
 * the credentials: CHAP is required, with exactly that userid and
 * secret, and the target's auth/ is not consulted.  Otherwise the
 * target's auth/ applies, as for initiators listed in no group.  A
 * discovery session uses drivers/iscsi/discovery_auth/ only.
 *
 * Credentials in use must be complete (isc_chap_cred_check()); a target
 * whose own auth/ is half configured refuses every login, whichever
 * credentials the initiator would use.
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include <linux/slab.h>

#include "iscsi.h"

/* An initiator entry's auth/ lives until the core drops the entry. */
static void iscsi_ini_auth_release(struct config_item *item)
{
	struct iscsi_auth *auth = to_iscsi_auth(item);

	memzero_explicit(&auth->cred, sizeof(auth->cred));
	kfree(auth->what);
	kfree(auth);
}

static struct configfs_item_operations iscsi_ini_auth_ops = {
	.release	= iscsi_ini_auth_release,
};

static const struct config_item_type iscsi_ini_auth_type = {
	.ct_item_ops	= &iscsi_ini_auth_ops,
	.ct_attrs	= iscsi_auth_attrs,
	.ct_owner	= THIS_MODULE,
};

/**
 * iscsi_make_initiator() - the auth/ group of a new initiator entry
 * @tgt: the target
 * @group: the name of the entry's group
 * @initiator: the entry's name or pattern
 *
 * Return: the group (its initial reference is the core's) or
 * ERR_PTR(-ENOMEM).
 */
struct config_group *iscsi_make_initiator(struct scst_tgt *tgt,
					  const char *group,
					  const char *initiator)
{
	struct iscsi_auth *auth = kzalloc(sizeof(*auth), GFP_KERNEL);

	if (!auth)
		return ERR_PTR(-ENOMEM);
	auth->what = kasprintf(GFP_KERNEL,
			       "targets/iscsi/%s/groups/%s/initiators/%s/auth",
			       scst_tgt_name(tgt), group, initiator);
	if (!auth->what) {
		kfree(auth);
		return ERR_PTR(-ENOMEM);
	}
	config_group_init_type_name(&auth->group, "auth",
				    &iscsi_ini_auth_type);
	return &auth->group;
}

/**
 * iscsi_auth_initiator() - the auth/ of the entry matching an initiator
 * @itgt: the target
 * @initiator: the InitiatorName of the login
 *
 * Return: the auth/ with a reference (iscsi_auth_put()), or NULL.
 */
struct iscsi_auth *iscsi_auth_initiator(struct iscsi_tgt *itgt,
					const char *initiator)
{
	struct config_group *g;

	g = scst_initiator_drv_group(itgt->tgt, initiator);
	return g ? container_of(g, struct iscsi_auth, group) : NULL;
}

/**
 * iscsi_auth_put() - drop the reference of iscsi_auth_initiator()
 * @auth: the auth/, or NULL
 */
void iscsi_auth_put(struct iscsi_auth *auth)
{
	if (auth)
		config_group_put(&auth->group);
}

/**
 * iscsi_auth_creds() - the credentials a login must prove
 * @tgt: the target's auth/ (or discovery_auth/)
 * @ini: the initiator entry's auth/, or NULL
 * @cred: a copy of the credentials to use
 * @ini_used: whether they are @ini's
 * @why: the reason of a refusal, for the log
 * @why_len: room in @why
 *
 * Return: 0, or -EACCES when the credentials are not usable.
 */
int iscsi_auth_creds(struct iscsi_auth *tgt, struct iscsi_auth *ini,
		     struct isc_chap_cred *cred, bool *ini_used,
		     char *why, size_t why_len)
{
	const char *bad = NULL, *what = tgt->what;

	mutex_lock(&iscsi_mutex);
	*ini_used = ini && isc_chap_cred_set(&ini->cred);
	*cred = tgt->cred;
	bad = isc_chap_cred_check(cred);
	if (!bad && *ini_used) {
		*cred = ini->cred;
		what = ini->what;
		bad = isc_chap_cred_check(cred);
	}
	mutex_unlock(&iscsi_mutex);
	if (!bad)
		return 0;
	memzero_explicit(cred, sizeof(*cred));
	snprintf(why, why_len, "%s: %s", what, bad);
	return -EACCES;
}
