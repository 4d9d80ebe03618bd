// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: generic netlink client for the kernel family "scst" */
#include "netlink.h"

#include <errno.h>
#include <inttypes.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/scst_netlink.h>

static struct nla_policy policy[SCST_ATTR_MAX + 1] = {
	[SCST_ATTR_TGT_DRIVER] = { .type = NLA_NUL_STRING },
	[SCST_ATTR_TARGET] = { .type = NLA_NUL_STRING },
	[SCST_ATTR_INITIATOR] = { .type = NLA_NUL_STRING },
	[SCST_ATTR_GROUP] = { .type = NLA_NUL_STRING },
	[SCST_ATTR_LUNS] = { .type = NLA_NESTED },
	[SCST_ATTR_LUN_ENTRY] = { .type = NLA_NESTED },
	[SCST_ATTR_LUN] = { .type = NLA_U32 },
	[SCST_ATTR_DEVICE] = { .type = NLA_NUL_STRING },
	[SCST_ATTR_READ_ONLY] = { .type = NLA_U8 },
	[SCST_ATTR_CMDS] = { .type = NLA_U64 },
	[SCST_ATTR_READ_BYTES] = { .type = NLA_U64 },
	[SCST_ATTR_WRITE_BYTES] = { .type = NLA_U64 },
	[SCST_ATTR_ERRORS] = { .type = NLA_U64 },
	[SCST_ATTR_HANDLER] = { .type = NLA_NUL_STRING },
	[SCST_ATTR_ENABLED] = { .type = NLA_U8 },
	[SCST_ATTR_SIZE] = { .type = NLA_U64 },
	[SCST_ATTR_BLOCKSIZE] = { .type = NLA_U32 },
	[SCST_ATTR_PR_GENERATION] = { .type = NLA_U32 },
	[SCST_ATTR_PR_HOLDER] = { .type = NLA_NUL_STRING },
	[SCST_ATTR_PR_TYPE] = { .type = NLA_U8 },
	[SCST_ATTR_PR_REGISTRANTS] = { .type = NLA_NESTED },
	[SCST_ATTR_PR_REGISTRANT] = { .type = NLA_NESTED },
	[SCST_ATTR_PR_KEY] = { .type = NLA_U64 },
	[SCST_ATTR_BUF_HITS] = { .type = NLA_U64 },
	[SCST_ATTR_BUF_MISSES] = { .type = NLA_U64 },
	[SCST_ATTR_IO_ERRORS] = { .type = NLA_U64 },
	[SCST_ATTR_SENSE_KEY] = { .type = NLA_U8 },
	[SCST_ATTR_ASC] = { .type = NLA_U8 },
	[SCST_ATTR_ASCQ] = { .type = NLA_U8 },
	[SCST_ATTR_OTHER_ERRORS] = { .type = NLA_U64 },
	[SCST_ATTR_LAT_READ] = { .type = NLA_UNSPEC },
	[SCST_ATTR_LAT_WRITE] = { .type = NLA_UNSPEC },
	[SCST_ATTR_LAT_OTHER] = { .type = NLA_UNSPEC },
	[SCST_ATTR_CONTINUED] = { .type = NLA_U8 },
};

static char *str(struct nlattr **tb, int a)
{
	return xstrdup(tb[a] ? nla_get_string(tb[a]) : "");
}

static uint64_t u64(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u64(tb[a]) : 0;
}

static int parse(struct nl_msg *msg, struct nlattr **tb)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, tb, SCST_ATTR_MAX, policy);
}

/* a histogram: u64[] in host order, trailing zero buckets left out */
static void parse_hist(struct nlattr *a, uint64_t *h)
{
	int n;

	if (!a)
		return;
	n = nla_len(a) / (int)sizeof(uint64_t);
	if (n > SCST_LAT_BUCKETS)
		n = SCST_LAT_BUCKETS;
	memcpy(h, nla_data(a), n * sizeof(uint64_t));
}

static void parse_counters(struct nlattr **tb, struct rt_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->present = tb[SCST_ATTR_CMDS] != NULL;
	st->cmds = u64(tb, SCST_ATTR_CMDS);
	st->read_bytes = u64(tb, SCST_ATTR_READ_BYTES);
	st->write_bytes = u64(tb, SCST_ATTR_WRITE_BYTES);
	st->errors = u64(tb, SCST_ATTR_ERRORS);
	st->other_errors = u64(tb, SCST_ATTR_OTHER_ERRORS);
	parse_hist(tb[SCST_ATTR_LAT_READ], st->lat[RT_LAT_READ]);
	parse_hist(tb[SCST_ATTR_LAT_WRITE], st->lat[RT_LAT_WRITE]);
	parse_hist(tb[SCST_ATTR_LAT_OTHER], st->lat[RT_LAT_OTHER]);
}

static void parse_lun(struct rt_session *s, struct nlattr *nest)
{
	struct nlattr *tb[SCST_ATTR_MAX + 1];
	struct rt_lun *l;

	if (nla_parse_nested(tb, SCST_ATTR_MAX, nest, policy))
		return;
	grow(&s->luns, &s->cap, s->nluns, sizeof(*s->luns));
	l = &s->luns[s->nluns++];
	l->lun = tb[SCST_ATTR_LUN] ? nla_get_u32(tb[SCST_ATTR_LUN]) : 0;
	l->device = str(tb, SCST_ATTR_DEVICE);
	l->read_only = tb[SCST_ATTR_READ_ONLY] && nla_get_u8(tb[SCST_ATTR_READ_ONLY]);
	parse_counters(tb, &l->st);
}

static bool same_str(struct nlattr **tb, int a, const char *v)
{
	return !strcmp(tb[a] ? nla_get_string(tb[a]) : "", v);
}

/* More LUNs of the session of the previous message (CONTINUED). */
static struct rt_session *continued(struct runtime *rt, struct nlattr **tb)
{
	struct rt_session *s = rt->nsess ? &rt->sess[rt->nsess - 1] : NULL;

	if (!tb[SCST_ATTR_CONTINUED] || !nla_get_u8(tb[SCST_ATTR_CONTINUED]) ||
	    !s || !same_str(tb, SCST_ATTR_TGT_DRIVER, s->driver) ||
	    !same_str(tb, SCST_ATTR_TARGET, s->target) ||
	    !same_str(tb, SCST_ATTR_INITIATOR, s->initiator))
		return NULL;
	return s;
}

int nl_parse_session(struct nl_msg *msg, struct runtime *rt)
{
	struct nlattr *tb[SCST_ATTR_MAX + 1], *pos;
	struct rt_session *s;
	int rem;

	if (parse(msg, tb))
		return NL_SKIP;
	s = continued(rt, tb);
	if (!s) {
		grow(&rt->sess, &rt->caps, rt->nsess, sizeof(*rt->sess));
		s = &rt->sess[rt->nsess++];
		memset(s, 0, sizeof(*s));
		s->driver = str(tb, SCST_ATTR_TGT_DRIVER);
		s->target = str(tb, SCST_ATTR_TARGET);
		s->initiator = str(tb, SCST_ATTR_INITIATOR);
		s->group = str(tb, SCST_ATTR_GROUP);
		parse_counters(tb, &s->st);
	}
	if (tb[SCST_ATTR_LUNS])
		nla_for_each_nested(pos, tb[SCST_ATTR_LUNS], rem)
			parse_lun(s, pos);
	return NL_OK;
}

static int on_session(struct nl_msg *msg, void *arg)
{
	return nl_parse_session(msg, arg);
}

static void parse_regs(struct rt_device *d, struct nlattr *regs)
{
	struct nlattr *pos, *tb[SCST_ATTR_MAX + 1];
	int rem;

	nla_for_each_nested(pos, regs, rem) {
		if (nla_parse_nested(tb, SCST_ATTR_MAX, pos, policy))
			continue;
		grow(&d->regs, &d->cap, d->nregs, sizeof(*d->regs));
		d->regs[d->nregs].initiator = str(tb, SCST_ATTR_INITIATOR);
		d->regs[d->nregs++].key = u64(tb, SCST_ATTR_PR_KEY);
	}
}

int nl_parse_device(struct nl_msg *msg, struct runtime *rt)
{
	struct nlattr *tb[SCST_ATTR_MAX + 1];
	struct rt_device *d;

	if (parse(msg, tb))
		return NL_SKIP;
	grow(&rt->devs, &rt->capd, rt->ndevs, sizeof(*rt->devs));
	d = &rt->devs[rt->ndevs++];
	memset(d, 0, sizeof(*d));
	d->name = str(tb, SCST_ATTR_DEVICE);
	d->handler = str(tb, SCST_ATTR_HANDLER);
	d->enabled = tb[SCST_ATTR_ENABLED] && nla_get_u8(tb[SCST_ATTR_ENABLED]);
	d->size = u64(tb, SCST_ATTR_SIZE);
	d->blocksize = tb[SCST_ATTR_BLOCKSIZE] ? nla_get_u32(tb[SCST_ATTR_BLOCKSIZE]) : 0;
	parse_counters(tb, &d->st);
	d->has_pr = tb[SCST_ATTR_PR_GENERATION] != NULL;
	d->pr_generation = d->has_pr ? nla_get_u32(tb[SCST_ATTR_PR_GENERATION]) : 0;
	d->pr_holder = str(tb, SCST_ATTR_PR_HOLDER);
	d->pr_type = tb[SCST_ATTR_PR_TYPE] ? nla_get_u8(tb[SCST_ATTR_PR_TYPE]) : 0;
	if (tb[SCST_ATTR_PR_REGISTRANTS])
		parse_regs(d, tb[SCST_ATTR_PR_REGISTRANTS]);
	return NL_OK;
}

static int on_device(struct nl_msg *msg, void *arg)
{
	return nl_parse_device(msg, arg);
}

int nl_parse_stats(struct nl_msg *msg, struct runtime *rt)
{
	struct nlattr *tb[SCST_ATTR_MAX + 1];

	if (parse(msg, tb))
		return NL_SKIP;
	rt->have_stats = true;
	rt->buf_hits = u64(tb, SCST_ATTR_BUF_HITS);
	rt->buf_misses = u64(tb, SCST_ATTR_BUF_MISSES);
	return NL_OK;
}

static int on_stats(struct nl_msg *msg, void *arg)
{
	return nl_parse_stats(msg, arg);
}

static int dump(struct nl_sock *sk, int family, int cmd,
		nl_recvmsg_msg_cb_t cb, void *arg)
{
	struct nl_msg *msg = nlmsg_alloc();
	int rc;

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
			 cmd, SCST_GENL_VERSION)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	rc = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (rc < 0)
		return rc;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, cb, arg);
	return nl_recvmsgs_default(sk);
}

int nl_query(struct runtime *rt)
{
	struct nl_sock *sk = nl_socket_alloc();
	int family, rc = 0;

	memset(rt, 0, sizeof(*rt));
	if (!sk || genl_connect(sk)) {
		rt->why = xstrdup("cannot open a generic netlink socket");
		goto out;
	}
	family = genl_ctrl_resolve(sk, SCST_GENL_NAME);
	if (family < 0) {
		rt->why = xstrdup("generic netlink family \"scst\" not registered: the kernel side is not loaded");
		goto out;
	}
	rt->available = true;
	rc = dump(sk, family, SCST_CMD_GET_SESSIONS, on_session, rt);
	if (!rc)
		rc = dump(sk, family, SCST_CMD_GET_DEVICES, on_device, rt);
	if (!rc)
		rc = dump(sk, family, SCST_CMD_GET_STATS, on_stats, rt);
	if (rc) {
		rt->why = xasprintf("netlink query failed: %s", nl_geterror(rc));
		rt->available = false;
	}
out:
	nl_socket_free(sk);
	/* the kernel's ops need CAP_NET_ADMIN */
	return rc == -NLE_PERM ? -EPERM : 0;
}

void rt_free(struct runtime *rt)
{
	for (int i = 0; i < rt->nsess; i++) {
		struct rt_session *s = &rt->sess[i];

		free(s->driver);
		free(s->target);
		free(s->initiator);
		free(s->group);
		for (int j = 0; j < s->nluns; j++)
			free(s->luns[j].device);
		free(s->luns);
	}
	for (int i = 0; i < rt->ndevs; i++) {
		struct rt_device *d = &rt->devs[i];

		free(d->name);
		free(d->handler);
		free(d->pr_holder);
		for (int j = 0; j < d->nregs; j++)
			free(d->regs[j].initiator);
		free(d->regs);
	}
	free(rt->sess);
	free(rt->devs);
	free(rt->why);
	memset(rt, 0, sizeof(*rt));
}

/* ------------------------------------------------------------- events */

static const char *const evt_names[] = {
	[SCST_EVT_SESSION_ADD] = "session_add",
	[SCST_EVT_SESSION_DEL] = "session_del",
	[SCST_EVT_LUNS_CHANGED] = "luns_changed",
	[SCST_EVT_DEV_ERROR] = "dev_error",
	[SCST_EVT_RESERVATION] = "reservation",
};

static const struct { int attr; const char *key; } evt_keys[] = {
	{ SCST_ATTR_TGT_DRIVER, "driver" }, { SCST_ATTR_TARGET, "target" },
	{ SCST_ATTR_INITIATOR, "initiator" }, { SCST_ATTR_GROUP, "group" },
	{ SCST_ATTR_DEVICE, "device" }, { SCST_ATTR_HANDLER, "handler" },
	{ SCST_ATTR_LUN, "lun" }, { SCST_ATTR_ERRORS, "errors" },
	{ SCST_ATTR_PR_GENERATION, "pr_generation" },
	{ SCST_ATTR_PR_HOLDER, "pr_holder" }, { SCST_ATTR_PR_TYPE, "pr_type" },
	{ SCST_ATTR_IO_ERRORS, "io_errors" },
	{ SCST_ATTR_SENSE_KEY, "sense_key" }, { SCST_ATTR_ASC, "asc" },
	{ SCST_ATTR_ASCQ, "ascq" },
};

struct mon {
	void (*cb)(const struct nl_event *ev, void *arg);
	void *arg;
};

static void evt_value(struct nlattr *a, int type, char *buf, size_t n)
{
	switch (policy[type].type) {
	case NLA_U8:
		if (type == SCST_ATTR_SENSE_KEY || type == SCST_ATTR_ASC ||
		    type == SCST_ATTR_ASCQ) {
			snprintf(buf, n, "0x%02x", nla_get_u8(a));
			break;
		}
		snprintf(buf, n, "%u", nla_get_u8(a));
		break;
	case NLA_U32:
		snprintf(buf, n, "%u", nla_get_u32(a));
		break;
	case NLA_U64:
		snprintf(buf, n, "%" PRIu64, (uint64_t)nla_get_u64(a));
		break;
	default:
		snprintf(buf, n, "%s", nla_get_string(a));
	}
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[SCST_ATTR_MAX + 1];
	struct nl_event ev = { NULL, { 0 } };
	struct mon *m = arg;
	char buf[512];

	if (gh->cmd >= (int)(sizeof(evt_names) / sizeof(evt_names[0])) ||
	    !evt_names[gh->cmd] || parse(msg, tb))
		return NL_SKIP;
	ev.name = evt_names[gh->cmd];
	for (size_t i = 0; i < sizeof(evt_keys) / sizeof(evt_keys[0]); i++) {
		if (!tb[evt_keys[i].attr])
			continue;
		evt_value(tb[evt_keys[i].attr], evt_keys[i].attr, buf, sizeof(buf));
		kv_set(&ev.kv, evt_keys[i].key, buf, 0);
	}
	m->cb(&ev, m->arg);
	kv_free(&ev.kv);
	return NL_OK;
}

int nl_monitor(void (*cb)(const struct nl_event *ev, void *arg), void *arg,
	       char *err, size_t n)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct mon m = { cb, arg };
	int grp, rc;

	if (!sk || genl_connect(sk)) {
		snprintf(err, n, "cannot open a generic netlink socket");
		nl_socket_free(sk);
		return -1;
	}
	grp = genl_ctrl_resolve_grp(sk, SCST_GENL_NAME, SCST_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		snprintf(err, n, "generic netlink family \"scst\" (group \"events\") not registered: the kernel side is not loaded");
		nl_socket_free(sk);
		return -1;
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, &m);
	rc = nl_socket_add_membership(sk, grp);
	while (!rc)
		rc = nl_recvmsgs_default(sk);
	snprintf(err, n, "netlink: %s", nl_geterror(rc));
	nl_socket_free(sk);
	return -1;
}
