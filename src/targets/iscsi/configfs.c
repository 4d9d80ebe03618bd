// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: configfs.
 *
 *   targets/iscsi/<iqn>/          the core's target directory, plus the
 *     <negotiation parameters>    attributes below (used by new logins)
 *     auth/                       userid, secret, mutual_userid,
 *                                 mutual_secret (CHAP), failed_logins
 *     groups/<g>/initiators/<i>/auth/   the same, for one initiator
 *                                 (auth.c)
 *   drivers/iscsi/
 *     portals/<addr>:<port>/      mkdir = listen
 *     discovery_auth/             CHAP for discovery sessions
 *
 * Secrets are write-only (mode 0200, no show).  Writing an empty line
 * clears a value.  CHAP is required when userid and secret
 * are both set; see auth.c for which credentials a login uses.
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include <linux/slab.h>
#include <linux/string.h>

#include "iscsi.h"

struct iscsi_auth iscsi_discovery_auth = { .what = "drivers/iscsi/discovery_auth" };

/* The value written, without the trailing newline; -EINVAL if too long. */
static int iscsi_cfs_value(const char *page, size_t count, char *buf,
			   size_t size)
{
	size_t len = strcspn(page, "\n");

	if (len > count)
		len = count;
	if (len >= size)
		return -EINVAL;
	memcpy(buf, page, len);
	buf[len] = '\0';
	return 0;
}

/* --- target negotiation parameters --- */

static struct iscsi_tgt *iscsi_item_tgt(struct config_item *item)
{
	return to_iscsi_tgt(scst_tgt_from_item(item));
}

static ssize_t iscsi_param_show(struct config_item *item, int id, char *page)
{
	struct iscsi_tgt *itgt = iscsi_item_tgt(item);
	char buf[32];

	mutex_lock(&iscsi_mutex);
	if (id == ISC_K_INITIAL_R2T || id == ISC_K_IMMEDIATE_DATA)
		/* 0/1 like every boolean of the tree; Yes/No accepted too */
		snprintf(buf, sizeof(buf), "%u", !!itgt->params.v[id]);
	else
		isc_params_format_value(id, itgt->params.v[id], buf,
					sizeof(buf));
	mutex_unlock(&iscsi_mutex);
	return sysfs_emit(page, "%s\n", buf);
}

static int iscsi_parse_yes_no(const char *s, u32 *val)
{
	if (!strcmp(s, "1") || !strcmp(s, "Yes")) {
		*val = 1;
		return 0;
	}
	if (!strcmp(s, "0") || !strcmp(s, "No")) {
		*val = 0;
		return 0;
	}
	return -EINVAL;
}

static ssize_t iscsi_param_store(struct config_item *item, int id,
				 const char *attr, const char *page,
				 size_t count)
{
	struct iscsi_tgt *itgt = iscsi_item_tgt(item);
	char buf[32];
	u32 val;
	int ret;

	ret = iscsi_cfs_value(page, count, buf, sizeof(buf));
	if (!ret && (id == ISC_K_INITIAL_R2T || id == ISC_K_IMMEDIATE_DATA))
		ret = iscsi_parse_yes_no(buf, &val);
	else if (!ret)
		ret = isc_params_parse_value(id, buf, &val);
	if (ret) {
		pr_warn("targets/iscsi/%s: %s: invalid value for %s\n",
			scst_tgt_name(itgt->tgt), attr, isc_key_name(id));
		return -EINVAL;
	}
	mutex_lock(&iscsi_mutex);
	itgt->params.v[id] = val;
	mutex_unlock(&iscsi_mutex);
	return count;
}

#define ISCSI_PARAM_ATTR(_name, _id)					\
static ssize_t iscsi_tgt_##_name##_show(struct config_item *item,	\
					char *page)			\
{									\
	return iscsi_param_show(item, _id, page);			\
}									\
static ssize_t iscsi_tgt_##_name##_store(struct config_item *item,	\
					 const char *page, size_t count) \
{									\
	return iscsi_param_store(item, _id, #_name, page, count);	\
}									\
CONFIGFS_ATTR(iscsi_tgt_, _name)

ISCSI_PARAM_ATTR(max_recv_data_segment_length, ISC_K_MAX_RECV_DSL);
ISCSI_PARAM_ATTR(max_burst_length, ISC_K_MAX_BURST);
ISCSI_PARAM_ATTR(first_burst_length, ISC_K_FIRST_BURST);
ISCSI_PARAM_ATTR(initial_r2t, ISC_K_INITIAL_R2T);
ISCSI_PARAM_ATTR(immediate_data, ISC_K_IMMEDIATE_DATA);
ISCSI_PARAM_ATTR(max_outstanding_r2t, ISC_K_MAX_OUTSTANDING_R2T);
ISCSI_PARAM_ATTR(header_digest, ISC_K_HEADER_DIGEST);
ISCSI_PARAM_ATTR(data_digest, ISC_K_DATA_DIGEST);
ISCSI_PARAM_ATTR(default_time2wait, ISC_K_TIME2WAIT);
ISCSI_PARAM_ATTR(default_time2retain, ISC_K_TIME2RETAIN);

/* seconds; 0 = off */
static ssize_t iscsi_nop_show(struct config_item *item, u32 *field,
			      char *page)
{
	u32 v;

	mutex_lock(&iscsi_mutex);
	v = *field;
	mutex_unlock(&iscsi_mutex);
	return sysfs_emit(page, "%u\n", v);
}

static ssize_t iscsi_nop_store(struct config_item *item, u32 *field,
			       const char *attr, const char *page,
			       size_t count)
{
	u32 v;

	if (kstrtou32(page, 0, &v) || v > 3600) {
		pr_warn("targets/iscsi/%s: %s: expected 0..3600 seconds\n",
			scst_tgt_name(iscsi_item_tgt(item)->tgt), attr);
		return -EINVAL;
	}
	mutex_lock(&iscsi_mutex);
	*field = v;
	mutex_unlock(&iscsi_mutex);
	return count;
}

static ssize_t iscsi_tgt_nop_in_interval_show(struct config_item *item,
					      char *page)
{
	return iscsi_nop_show(item, &iscsi_item_tgt(item)->nop_in_interval,
			      page);
}

static ssize_t iscsi_tgt_nop_in_interval_store(struct config_item *item,
					       const char *page, size_t count)
{
	return iscsi_nop_store(item, &iscsi_item_tgt(item)->nop_in_interval,
			       "nop_in_interval", page, count);
}
CONFIGFS_ATTR(iscsi_tgt_, nop_in_interval);

static ssize_t iscsi_tgt_nop_in_timeout_show(struct config_item *item,
					     char *page)
{
	return iscsi_nop_show(item, &iscsi_item_tgt(item)->nop_in_timeout,
			      page);
}

static ssize_t iscsi_tgt_nop_in_timeout_store(struct config_item *item,
					      const char *page, size_t count)
{
	return iscsi_nop_store(item, &iscsi_item_tgt(item)->nop_in_timeout,
			       "nop_in_timeout", page, count);
}
CONFIGFS_ATTR(iscsi_tgt_, nop_in_timeout);

/* --- resource limits (limits.c), u32 within a range --- */

static ssize_t iscsi_u32_show(u32 *field, char *page)
{
	u32 v;

	mutex_lock(&iscsi_mutex);
	v = *field;
	mutex_unlock(&iscsi_mutex);
	return sysfs_emit(page, "%u\n", v);
}

static ssize_t iscsi_u32_store(u32 *field, u32 min, u32 max,
			       const char *what, const char *name,
			       const char *attr, const char *page,
			       size_t count)
{
	u32 v;

	if (kstrtou32(page, 0, &v) || v < min || v > max) {
		pr_warn("%s/%s: %s: expected %u..%u\n", what, name, attr,
			min, max);
		return -EINVAL;
	}
	mutex_lock(&iscsi_mutex);
	*field = v;
	mutex_unlock(&iscsi_mutex);
	return count;
}

#define ISCSI_TGT_LIMIT_ATTR(_name, _min, _max)				\
static ssize_t iscsi_tgt_##_name##_show(struct config_item *item,	\
					char *page)			\
{									\
	return iscsi_u32_show(&iscsi_item_tgt(item)->_name, page);	\
}									\
static ssize_t iscsi_tgt_##_name##_store(struct config_item *item,	\
					 const char *page, size_t count) \
{									\
	struct iscsi_tgt *itgt = iscsi_item_tgt(item);			\
									\
	return iscsi_u32_store(&itgt->_name, _min, _max,		\
			       "targets/iscsi", scst_tgt_name(itgt->tgt), \
			       #_name, page, count);			\
}									\
CONFIGFS_ATTR(iscsi_tgt_, _name)

ISCSI_TGT_LIMIT_ATTR(queue_depth, 1, 4096);
ISCSI_TGT_LIMIT_ATTR(max_session_data, 1U << 20, 1U << 30);
ISCSI_TGT_LIMIT_ATTR(max_tx_queue, 64U << 10, 1U << 30);
ISCSI_TGT_LIMIT_ATTR(max_sessions, 1, 65535);
ISCSI_TGT_LIMIT_ATTR(max_logins, 1, 65535);

static ssize_t iscsi_tgt_stats_show(struct config_item *item, char *page)
{
	struct iscsi_tgt *itgt = iscsi_item_tgt(item);
	unsigned int sessions, logins;
	ssize_t len;

	mutex_lock(&iscsi_mutex);
	sessions = itgt->nr_sessions;
	logins = itgt->nr_logins;
	mutex_unlock(&iscsi_mutex);
	len = sysfs_emit(page, "sessions %u\nlogins %u\n", sessions, logins);
	return iscsi_stats_show(&itgt->stats, page, len);
}
CONFIGFS_ATTR_RO(iscsi_tgt_, stats);

static ssize_t iscsi_tgt_max_connections_show(struct config_item *item,
					      char *page)
{
	return sysfs_emit(page, "1\n");
}
CONFIGFS_ATTR_RO(iscsi_tgt_, max_connections);

static ssize_t iscsi_tgt_error_recovery_level_show(struct config_item *item,
						   char *page)
{
	return sysfs_emit(page, "0\n");
}
CONFIGFS_ATTR_RO(iscsi_tgt_, error_recovery_level);

struct configfs_attribute *iscsi_tgt_attrs[] = {
	&iscsi_tgt_attr_max_recv_data_segment_length,
	&iscsi_tgt_attr_max_burst_length,
	&iscsi_tgt_attr_first_burst_length,
	&iscsi_tgt_attr_initial_r2t,
	&iscsi_tgt_attr_immediate_data,
	&iscsi_tgt_attr_max_outstanding_r2t,
	&iscsi_tgt_attr_header_digest,
	&iscsi_tgt_attr_data_digest,
	&iscsi_tgt_attr_default_time2wait,
	&iscsi_tgt_attr_default_time2retain,
	&iscsi_tgt_attr_nop_in_interval,
	&iscsi_tgt_attr_nop_in_timeout,
	&iscsi_tgt_attr_max_connections,
	&iscsi_tgt_attr_error_recovery_level,
	&iscsi_tgt_attr_queue_depth,
	&iscsi_tgt_attr_max_session_data,
	&iscsi_tgt_attr_max_tx_queue,
	&iscsi_tgt_attr_max_sessions,
	&iscsi_tgt_attr_max_logins,
	&iscsi_tgt_attr_stats,
	NULL,
};

/* --- auth/ and discovery_auth/ --- */

static ssize_t iscsi_auth_show(struct config_item *item, size_t off,
			       char *page)
{
	struct iscsi_auth *auth = to_iscsi_auth(item);
	const char *val = (const char *)&auth->cred + off;
	ssize_t ret;

	mutex_lock(&iscsi_mutex);
	ret = sysfs_emit(page, "%s\n", val);
	mutex_unlock(&iscsi_mutex);
	return ret;
}

static int iscsi_auth_check(const char *val, bool secret)
{
	size_t i;

	if (!val[0])
		return 0;
	if (secret)
		return isc_chap_secret_valid(val);
	for (i = 0; val[i]; i++)
		if ((unsigned char)val[i] < ' ' || val[i] == 0x7f)
			return -EINVAL;
	return 0;
}

/*
 * RFC 7143 12.1.3: the secret that authenticates the target must differ
 * from the one that authenticates the initiator.  Returns the name of the
 * other secret when @val equals it.
 */
static const char *iscsi_auth_same_secret(struct iscsi_auth *auth,
					  size_t off, const char *val)
{
	size_t s = offsetof(struct isc_chap_cred, secret);
	size_t ms = offsetof(struct isc_chap_cred, mutual_secret);
	const char *other;

	lockdep_assert_held(&iscsi_mutex);
	if (!val[0] || (off != s && off != ms))
		return NULL;
	other = (const char *)&auth->cred + (off == s ? ms : s);
	if (strcmp(val, other))
		return NULL;
	return off == s ? "mutual_secret" : "secret";
}

static ssize_t iscsi_auth_store(struct config_item *item, size_t off,
				bool secret, const char *attr,
				const char *page, size_t count)
{
	struct iscsi_auth *auth = to_iscsi_auth(item);
	char *dst = (char *)&auth->cred + off;
	char buf[ISC_CHAP_SECRET_MAX + 1];
	const char *same;

	if (iscsi_cfs_value(page, count, buf, sizeof(buf)) ||
	    iscsi_auth_check(buf, secret)) {
		pr_warn("%s: %s: %s\n", auth->what, attr, secret ?
			"expected 12 to 255 printable characters" :
			"expected up to 255 printable characters");
		memzero_explicit(buf, sizeof(buf));
		return -EINVAL;
	}
	mutex_lock(&iscsi_mutex);
	same = iscsi_auth_same_secret(auth, off, buf);
	if (!same)
		strscpy(dst, buf, ISC_CHAP_SECRET_MAX + 1);
	mutex_unlock(&iscsi_mutex);
	memzero_explicit(buf, sizeof(buf));
	if (same) {
		pr_warn("%s: %s: must differ from %s (RFC 7143 12.1.3)\n",
			auth->what, attr, same);
		return -EINVAL;
	}
	return count;
}

/* user names are readable; secrets are write-only */
#define ISCSI_AUTH_ATTR(_name)						\
static ssize_t iscsi_auth_##_name##_show(struct config_item *item,	\
					 char *page)			\
{									\
	return iscsi_auth_show(item,					\
		offsetof(struct isc_chap_cred, _name), page);		\
}									\
static ssize_t iscsi_auth_##_name##_store(struct config_item *item,	\
					  const char *page, size_t count) \
{									\
	return iscsi_auth_store(item,					\
		offsetof(struct isc_chap_cred, _name), false, #_name,	\
		page, count);						\
}									\
CONFIGFS_ATTR(iscsi_auth_, _name)

#define ISCSI_AUTH_SECRET_ATTR(_name)					\
static ssize_t iscsi_auth_##_name##_store(struct config_item *item,	\
					  const char *page, size_t count) \
{									\
	return iscsi_auth_store(item,					\
		offsetof(struct isc_chap_cred, _name), true, #_name,	\
		page, count);						\
}									\
CONFIGFS_ATTR_WO(iscsi_auth_, _name)

ISCSI_AUTH_ATTR(userid);
ISCSI_AUTH_SECRET_ATTR(secret);
ISCSI_AUTH_ATTR(mutual_userid);
ISCSI_AUTH_SECRET_ATTR(mutual_secret);

/* logins refused by authentication (each delayed, see login.c) */
static ssize_t iscsi_auth_failed_logins_show(struct config_item *item,
					     char *page)
{
	struct iscsi_auth *auth = to_iscsi_auth(item);

	return sysfs_emit(page, "%lu\n",
			  atomic_long_read(&auth->failed_logins));
}
CONFIGFS_ATTR_RO(iscsi_auth_, failed_logins);

struct configfs_attribute *iscsi_auth_attrs[] = {
	&iscsi_auth_attr_userid,
	&iscsi_auth_attr_secret,
	&iscsi_auth_attr_mutual_userid,
	&iscsi_auth_attr_mutual_secret,
	&iscsi_auth_attr_failed_logins,
	NULL,
};

/* A target's auth/ group frees the target: it is the last to go. */
static void iscsi_tgt_auth_release(struct config_item *item)
{
	struct iscsi_tgt *itgt = container_of(to_iscsi_auth(item),
					      struct iscsi_tgt, auth);

	kfree(itgt->auth.what);
	kfree(itgt);
}

static struct configfs_item_operations iscsi_tgt_auth_ops = {
	.release	= iscsi_tgt_auth_release,
};

static const struct config_item_type iscsi_tgt_auth_type = {
	.ct_item_ops	= &iscsi_tgt_auth_ops,
	.ct_attrs	= iscsi_auth_attrs,
	.ct_owner	= THIS_MODULE,
};

static const struct config_item_type iscsi_disc_auth_type = {
	.ct_attrs	= iscsi_auth_attrs,
	.ct_owner	= THIS_MODULE,
};

/* --- targets --- */

/**
 * iscsi_add_target() - mkdir targets/iscsi/<name>
 * @tgt: the new target
 *
 * Return: 0, or -EINVAL if the name is not an iSCSI name.
 */
int iscsi_add_target(struct scst_tgt *tgt)
{
	const char *name = scst_tgt_name(tgt);
	struct iscsi_tgt *itgt;

	if (!isc_name_valid(name)) {
		pr_warn("targets/iscsi: %s: not an iSCSI name (iqn., eui. or naa., up to 223 characters)\n",
			name);
		return -EINVAL;
	}
	itgt = kzalloc(sizeof(*itgt), GFP_KERNEL);
	if (!itgt)
		return -ENOMEM;
	itgt->auth.what = kasprintf(GFP_KERNEL, "targets/iscsi/%s/auth", name);
	if (!itgt->auth.what) {
		kfree(itgt);
		return -ENOMEM;
	}
	itgt->tgt = tgt;
	isc_params_set_target_defaults(&itgt->params);
	itgt->nop_in_interval = ISCSI_NOP_IN_INTERVAL;
	itgt->nop_in_timeout = ISCSI_NOP_IN_TIMEOUT;
	itgt->queue_depth = ISCSI_QUEUE_DEPTH;
	itgt->max_session_data = ISCSI_MAX_SESSION_DATA;
	itgt->max_tx_queue = ISCSI_MAX_TX_QUEUE;
	itgt->max_sessions = ISCSI_TGT_MAX_SESSIONS;
	itgt->max_logins = ISCSI_TGT_MAX_LOGINS;
	iscsi_stats_init(&itgt->stats);
	INIT_LIST_HEAD(&itgt->sessions);
	config_group_init_type_name(&itgt->auth.group, "auth",
				    &iscsi_tgt_auth_type);
	configfs_add_default_group(&itgt->auth.group, scst_tgt_group(tgt));
	scst_tgt_set_priv(tgt, itgt);
	mutex_lock(&iscsi_mutex);
	list_add_tail(&itgt->entry, &iscsi_tgts);
	mutex_unlock(&iscsi_mutex);
	return 0;
}

/**
 * iscsi_remove_target() - rmdir of a target (disabled, no session left)
 * @tgt: the target
 */
void iscsi_remove_target(struct scst_tgt *tgt)
{
	struct iscsi_tgt *itgt = to_iscsi_tgt(tgt);

	mutex_lock(&iscsi_mutex);
	list_del(&itgt->entry);
	mutex_unlock(&iscsi_mutex);
	/* the initial reference; configfs may still hold one */
	config_item_put(&itgt->auth.group.cg_item);
}

/**
 * iscsi_enable_target() - the target's `enabled` changed
 * @tgt: the target
 * @enable: its new state
 *
 * Disabling ends every session of the target and waits for them.
 *
 * Return: 0.
 */
int iscsi_enable_target(struct scst_tgt *tgt, bool enable)
{
	struct iscsi_tgt *itgt = to_iscsi_tgt(tgt);

	mutex_lock(&iscsi_mutex);
	itgt->enabled = enable;
	mutex_unlock(&iscsi_mutex);
	if (!enable)
		iscsi_tgt_kill_sessions(itgt);
	return 0;
}

/* --- drivers/iscsi/portals --- */

static void iscsi_portal_release(struct config_item *item)
{
	iscsi_portal_destroy(to_iscsi_portal(item));
}

static struct configfs_item_operations iscsi_portal_ops = {
	.release	= iscsi_portal_release,
};

#define ISCSI_PORTAL_LIMIT_ATTR(_name, _field, _min, _max)		\
static ssize_t iscsi_portal_##_name##_show(struct config_item *item,	\
					   char *page)			\
{									\
	return iscsi_u32_show(&to_iscsi_portal(item)->_field, page);	\
}									\
static ssize_t iscsi_portal_##_name##_store(struct config_item *item,	\
					    const char *page,		\
					    size_t count)		\
{									\
	return iscsi_u32_store(&to_iscsi_portal(item)->_field, _min,	\
			       _max, "drivers/iscsi/portals",		\
			       config_item_name(item), #_name, page,	\
			       count);					\
}									\
CONFIGFS_ATTR(iscsi_portal_, _name)

ISCSI_PORTAL_LIMIT_ATTR(max_connections, max_connections, 1, 65535);
ISCSI_PORTAL_LIMIT_ATTR(max_logins, max_logins, 1, 65535);
ISCSI_PORTAL_LIMIT_ATTR(login_timeout, login_timeout, 1, 3600);
ISCSI_PORTAL_LIMIT_ATTR(discovery_idle_timeout, disc_idle_timeout, 1, 3600);
ISCSI_PORTAL_LIMIT_ATTR(tpgt, tpgt, 1, 65535);

static ssize_t iscsi_portal_stats_show(struct config_item *item, char *page)
{
	struct iscsi_portal *portal = to_iscsi_portal(item);
	unsigned int conns, logins;
	ssize_t len;

	mutex_lock(&iscsi_mutex);
	conns = portal->nr_conns;
	logins = portal->nr_logins;
	mutex_unlock(&iscsi_mutex);
	len = sysfs_emit(page, "connections %u\nlogins %u\n", conns, logins);
	return iscsi_stats_show(&portal->stats, page, len);
}
CONFIGFS_ATTR_RO(iscsi_portal_, stats);

static struct configfs_attribute *iscsi_portal_attrs[] = {
	&iscsi_portal_attr_max_connections,
	&iscsi_portal_attr_max_logins,
	&iscsi_portal_attr_login_timeout,
	&iscsi_portal_attr_discovery_idle_timeout,
	&iscsi_portal_attr_tpgt,
	&iscsi_portal_attr_stats,
	NULL,
};

static const struct config_item_type iscsi_portal_type = {
	.ct_item_ops	= &iscsi_portal_ops,
	.ct_attrs	= iscsi_portal_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *iscsi_portal_make(struct config_group *group,
					      const char *name)
{
	struct iscsi_portal *portal = iscsi_portal_create(name);

	if (IS_ERR(portal))
		return ERR_CAST(portal);
	config_group_init_type_name(&portal->group, name, &iscsi_portal_type);
	return &portal->group;
}

static struct configfs_group_operations iscsi_portals_ops = {
	.make_group	= iscsi_portal_make,
};

static const struct config_item_type iscsi_portals_type = {
	.ct_group_ops	= &iscsi_portals_ops,
	.ct_owner	= THIS_MODULE,
};

static struct config_group iscsi_portals_group;

struct config_group *iscsi_drv_groups[] = {
	&iscsi_portals_group,
	&iscsi_discovery_auth.group,
	NULL,
};

/**
 * iscsi_configfs_init() - prepare the driver-wide groups
 */
void iscsi_configfs_init(void)
{
	config_group_init_type_name(&iscsi_portals_group, "portals",
				    &iscsi_portals_type);
	config_group_init_type_name(&iscsi_discovery_auth.group,
				    "discovery_auth", &iscsi_disc_auth_type);
}
