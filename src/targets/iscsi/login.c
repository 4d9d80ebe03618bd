// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: the login phase (RFC 7143 6.3, 11.12, 11.13), run by the
 * connection's rx thread before anything else.  The text keys go
 * through params.c and chap_fmt.c (pure C); this file does the PDU
 * exchange, the target lookup and the checks of who may log in where;
 * login_sm.c (pure C) decides the stage transitions and whether
 * authentication succeeded.  auth.c picks the credentials (per initiator or
 * per target).  A login refused by authentication is counted in the
 * failed_logins of the auth/ groups involved and answered only after
 * ISCSI_AUTH_FAIL_DELAY_MS, with no lock held: guessing is slow, and
 * costs the guesser its own connection only.
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include <linux/delay.h>
#include <linux/slab.h>

#include "iscsi.h"

struct iscsi_login {
	struct isc_login_sm	sm;	/* neg, chap, stages: login_sm.c */
	struct isc_params	cfg;
	struct isc_chap_cred	cred;
	struct iscsi_auth	*tgt_auth;	/* target's or discovery_auth */
	struct iscsi_auth	*ini_auth;	/* initiator entry's, a ref */
	bool			ini_used;	/* cred are ini_auth's */
	char			why[320];
	bool			declared;	/* TargetPortalGroupTag sent */
	bool			declared_dsl;
	bool			first;
	u8			isid[6];
	u16			tsih;
	u16			cid;
	u32			itt;
	u32			cmd_sn;
	u8			csg;
	u16			status;
	u32			text_len;
	char			text[ISC_TEXT_MAX];
	struct isc_textbuf	rsp;
	char			rspbuf[ISCSI_LOGIN_DSL];
	struct isc_kv		kv[ISC_MAX_PAIRS];
};

/* --- sending --- */

static int iscsi_login_send(struct iscsi_conn *conn, struct iscsi_login *l,
			    u8 flags, u16 status, u16 tsih)
{
	u8 bhs[ISC_BHS_LEN], pad[4] = { 0 };
	u32 dlen = status ? 0 : l->rsp.len;
	struct kvec iov[3];
	int n = 0;

	isc_bhs_init(bhs, ISC_OP_LOGIN_RSP, flags, l->itt);
	bhs[ISC_OFF_VMAX] = 0;
	bhs[ISC_OFF_VMIN] = 0;
	memcpy(bhs + ISC_OFF_ISID, l->isid, 6);
	put_unaligned_be16(tsih, bhs + ISC_OFF_TSIH);
	put_unaligned_be32(conn->stat_sn++, bhs + ISC_OFF_STATSN);
	put_unaligned_be32(l->cmd_sn, bhs + ISC_OFF_EXPCMDSN);
	put_unaligned_be32(l->cmd_sn + conn->queue_depth - 1,
			   bhs + ISC_OFF_MAXCMDSN);
	bhs[ISC_OFF_LSTATUS] = status >> 8;
	bhs[ISC_OFF_LSTATUS + 1] = status & 0xff;
	isc_bhs_set_dsl(bhs, dlen);
	iov[n++] = (struct kvec){ bhs, ISC_BHS_LEN };
	if (dlen) {
		iov[n++] = (struct kvec){ l->rsp.buf, dlen };
		if (isc_pad4(dlen))
			iov[n++] = (struct kvec){ pad, isc_pad4(dlen) };
	}
	return iscsi_conn_send(conn, iov, n);
}

/* Count a refusal by authentication, then make the initiator wait. */
static void iscsi_login_auth_failed(struct iscsi_login *l)
{
	if (l->tgt_auth)
		atomic_long_inc(&l->tgt_auth->failed_logins);
	if (l->ini_auth && l->ini_used)
		atomic_long_inc(&l->ini_auth->failed_logins);
	/* interruptible: stopping the connection ends the wait */
	msleep_interruptible(ISCSI_AUTH_FAIL_DELAY_MS);
}

/* A login failure: the status, then the connection closes. */
static int iscsi_login_fail(struct iscsi_conn *conn, struct iscsi_login *l,
			    u16 status, const char *why)
{
	pr_info("%pISpc: login of %s to %s refused (0x%04x): %s\n",
		&conn->peer, l->sm.neg.initiator_name[0] ?
		l->sm.neg.initiator_name : "?", l->sm.neg.target_name[0] ?
		l->sm.neg.target_name : "discovery", status, why);
	if (status == ISC_LS_AUTH_FAILED)
		iscsi_login_auth_failed(l);
	iscsi_login_send(conn, l, 0, status, 0);
	return -EACCES;
}

/* --- the first request: who logs in where --- */

static struct iscsi_tgt *iscsi_tgt_find(const char *name)
{
	struct iscsi_tgt *itgt;

	lockdep_assert_held(&iscsi_mutex);
	list_for_each_entry(itgt, &iscsi_tgts, entry)
		if (!strcmp(scst_tgt_name(itgt->tgt), name))
			return itgt;
	return NULL;
}

/* Reserve the target and copy its configuration. */
static u16 iscsi_login_target(struct iscsi_conn *conn, struct iscsi_login *l)
{
	struct iscsi_tgt *itgt;
	u16 status = ISC_LS_SUCCESS;

	mutex_lock(&iscsi_mutex);
	itgt = iscsi_tgt_find(l->sm.neg.target_name);
	/* a target is reached through the portals of its ports' tpgts */
	if (!itgt || !scst_tgt_has_tpgt(itgt->tgt, conn->tpgt))
		status = ISC_LS_NOT_FOUND;
	else if (!itgt->enabled)
		status = ISC_LS_REMOVED;
	else
		status = iscsi_tgt_admit(itgt, conn);
	if (!status) {
		l->cfg = itgt->params;
		l->tgt_auth = &itgt->auth;
		conn->nop_in_interval = itgt->nop_in_interval * HZ;
		conn->nop_in_timeout = itgt->nop_in_timeout * HZ;
	}
	mutex_unlock(&iscsi_mutex);
	return status;
}

static u16 iscsi_login_discovery(struct iscsi_conn *conn,
				 struct iscsi_login *l)
{
	mutex_lock(&iscsi_mutex);
	l->cfg = iscsi_discovery_params;
	l->tgt_auth = &iscsi_discovery_auth;
	mutex_unlock(&iscsi_mutex);
	conn->nop_in_interval = 0;
	return ISC_LS_SUCCESS;
}

/*
 * The keys that must be in the first request decide the configuration
 * the rest of the login negotiates against.
 */
static int iscsi_login_first_keys(struct iscsi_conn *conn,
				  struct iscsi_login *l, unsigned int n)
{
	const char *type = NULL, *ini = NULL, *tgt = NULL;
	unsigned int i;
	u16 status;

	for (i = 0; i < n; i++) {
		if (!strcmp(l->kv[i].key, "SessionType"))
			type = l->kv[i].val;
		else if (!strcmp(l->kv[i].key, "InitiatorName"))
			ini = l->kv[i].val;
		else if (!strcmp(l->kv[i].key, "TargetName"))
			tgt = l->kv[i].val;
	}
	if (!ini || !*ini || strlen(ini) > ISC_NAME_MAX)
		return iscsi_login_fail(conn, l, ISC_LS_MISSING_PARAM,
					"no InitiatorName");
	strscpy(l->sm.neg.initiator_name, ini,
		sizeof(l->sm.neg.initiator_name));
	if (type && !strcmp(type, "Discovery")) {
		status = iscsi_login_discovery(conn, l);
	} else {
		if (!tgt || !*tgt || strlen(tgt) > ISC_NAME_MAX)
			return iscsi_login_fail(conn, l, ISC_LS_MISSING_PARAM,
						"no TargetName");
		strscpy(l->sm.neg.target_name, tgt,
			sizeof(l->sm.neg.target_name));
		status = iscsi_login_target(conn, l);
	}
	if (status)
		return iscsi_login_fail(conn, l, status,
					status == ISC_LS_NO_RESOURCES ?
					"too many sessions or logins" :
					"no such target");
	if (conn->itgt)
		l->ini_auth = iscsi_auth_initiator(conn->itgt, ini);
	if (iscsi_auth_creds(l->tgt_auth, l->ini_auth, &l->cred, &l->ini_used,
			     l->why, sizeof(l->why)))
		return iscsi_login_fail(conn, l, ISC_LS_AUTH_FAILED, l->why);
	return 0;
}

/* --- one request --- */

static int iscsi_login_hdr(struct iscsi_conn *conn, struct iscsi_login *l)
{
	const u8 *b = conn->bhs;
	u16 tsih = get_unaligned_be16(b + ISC_OFF_TSIH);
	u16 cid = get_unaligned_be16(b + ISC_OFF_CID);

	if (isc_bhs_check(&conn->h, ISCSI_LOGIN_DSL, true))
		return -EPROTO;
	l->csg = ISC_LOGIN_CSG(conn->h.flags);
	if (l->first) {
		memcpy(l->isid, b + ISC_OFF_ISID, 6);
		l->tsih = tsih;
		l->cid = cid;
		l->itt = conn->h.itt;
		l->cmd_sn = conn->h.sn;
		conn->stat_sn = conn->h.exp_stat_sn;
		conn->cid = cid;
		if (b[ISC_OFF_VMIN] > 0)
			return iscsi_login_fail(conn, l, ISC_LS_BAD_VERSION,
						"version");
		return 0;
	}
	if (memcmp(l->isid, b + ISC_OFF_ISID, 6) || l->tsih != tsih ||
	    l->cid != cid || l->itt != conn->h.itt)
		return iscsi_login_fail(conn, l, ISC_LS_INIT_ERR,
					"ISID, TSIH, CID or ITT changed");
	return 0;
}

/* Our declarative keys, once per login. */
static void iscsi_login_declare(struct iscsi_conn *conn, struct iscsi_login *l)
{
	if (l->declared)
		return;
	l->declared = true;
	if (conn->itgt)
		isc_text_add_u32(&l->rsp, "TargetPortalGroupTag", conn->tpgt);
}

/*
 * MaxRecvDataSegmentLength is an operational key: declared once, in the
 * operational stage (initiators refuse it in the security stage; a login
 * that skips the operational stage leaves both sides at 8192).
 */
static void iscsi_login_declare_dsl(struct iscsi_login *l)
{
	if (l->declared_dsl || l->sm.csg != ISC_STAGE_OPERATIONAL)
		return;
	isc_text_add_u32(&l->rsp, "MaxRecvDataSegmentLength",
			 l->sm.cfg.v[ISC_K_MAX_RECV_DSL]);
	l->declared_dsl = true;
}

/* Full feature phase from the next PDU on. */
static int iscsi_login_finish(struct iscsi_conn *conn, struct iscsi_login *l)
{
	struct isc_params *r = &l->sm.neg.res;
	u16 status;

	isc_neg_finish(&l->sm.neg);
	status = iscsi_sess_attach(conn, &l->sm.neg, l->isid, l->tsih,
				   l->cmd_sn);
	if (status)
		return iscsi_login_fail(conn, l, status, "session");
	conn->max_recv_dsl = l->declared_dsl ?
			     l->sm.cfg.v[ISC_K_MAX_RECV_DSL] : ISCSI_LOGIN_DSL;
	conn->max_xmit_dsl = r->v[ISC_K_MAX_RECV_DSL];
	conn->rx_buf = kvmalloc(conn->max_recv_dsl, GFP_KERNEL);
	if (!conn->rx_buf)
		return iscsi_login_fail(conn, l, ISC_LS_NO_RESOURCES, "memory");
	if (iscsi_login_send(conn, l, ISC_LOGIN_TRANSIT | l->sm.csg << 2 |
			     ISC_STAGE_FFP, 0, conn->sess->tsih))
		return -EPIPE;
	conn->hdr_digest = r->v[ISC_K_HEADER_DIGEST] == ISC_DIGEST_CRC32C;
	conn->data_digest = r->v[ISC_K_DATA_DIGEST] == ISC_DIGEST_CRC32C;
	pr_info("%pISpc: %s logged in to %s (TSIH 0x%x)\n", &conn->peer,
		l->sm.neg.initiator_name, conn->itgt ?
		l->sm.neg.target_name : "discovery", conn->sess->tsih);
	return 1;
}

/* Answer a complete request; 1 when the login is over. */
static int iscsi_login_step(struct iscsi_conn *conn, struct iscsi_login *l)
{
	struct isc_login_sm *m = &l->sm;
	unsigned int n;
	u8 flags;
	int ret;

	if (isc_text_parse(l->text, l->text_len, l->kv, ISC_MAX_PAIRS, &n))
		return iscsi_login_fail(conn, l, ISC_LS_INIT_ERR,
					"malformed text");
	if (l->first) {
		ret = iscsi_login_first_keys(conn, l, n);
		if (ret)
			return ret;
		isc_login_sm_init(m, &l->cfg, &l->cred, iscsi_chap_hash,
				  iscsi_chap_random, NULL);
		memzero_explicit(&l->cred, sizeof(l->cred));
		l->first = false;
	}
	l->rsp.len = 0;
	ret = isc_login_sm_step(m, conn->h.flags, l->kv, n, &l->rsp);
	if (ret < 0)
		return iscsi_login_fail(conn, l, m->status, m->why);
	iscsi_login_declare(conn, l);
	iscsi_login_declare_dsl(l);
	if (l->rsp.overflow)
		return iscsi_login_fail(conn, l, ISC_LS_TARGET_ERR,
					"response too long");
	if (ret == ISC_LSM_FFP)
		return iscsi_login_finish(conn, l);
	flags = m->csg << 2;
	if (m->transit)
		flags |= ISC_LOGIN_TRANSIT | m->nsg;
	return iscsi_login_send(conn, l, flags, 0, 0) ? -EPIPE : 0;
}

/* Receive one Login Request; its text is appended to l->text. */
static int iscsi_login_recv(struct iscsi_conn *conn, struct iscsi_login *l)
{
	u32 dsl;
	int ret;

	ret = iscsi_conn_recv(conn, conn->bhs, ISC_BHS_LEN);
	if (ret)
		return ret;
	isc_bhs_decode(conn->bhs, &conn->h);
	ret = iscsi_login_hdr(conn, l);
	if (ret)
		return ret;
	dsl = conn->h.dsl;
	if (dsl > sizeof(l->text) - l->text_len)
		return iscsi_login_fail(conn, l, ISC_LS_INIT_ERR,
					"text too long");
	ret = iscsi_rx_data(conn, l->text + l->text_len, dsl);
	if (!ret)
		l->text_len += dsl;
	return ret;
}

/**
 * iscsi_login() - run the login phase of a new connection
 * @conn: the connection
 *
 * Return: 0 when the connection is in full feature phase (conn->sess
 * set), a negative errno when it must be closed.
 */
int iscsi_login(struct iscsi_conn *conn)
{
	struct iscsi_login *l = kvzalloc(sizeof(*l), GFP_KERNEL);
	int ret;

	if (!l)
		return -ENOMEM;
	l->first = true;
	l->rsp.buf = l->rspbuf;
	l->rsp.cap = sizeof(l->rspbuf);
	do {
		ret = iscsi_login_recv(conn, l);
		if (ret)
			break;
		if (conn->h.flags & ISC_FLAG_CONT) {
			/* more text follows: acknowledge this part */
			l->rsp.len = 0;
			ret = iscsi_login_send(conn, l, l->csg << 2, 0, 0);
			continue;
		}
		ret = iscsi_login_step(conn, l);
		l->text_len = 0;
	} while (!ret);
	iscsi_auth_put(l->ini_auth);
	memzero_explicit(&l->cred, sizeof(l->cred));
	memzero_explicit(&l->sm.cred, sizeof(l->sm.cred));
	kvfree(l);
	return ret == 1 ? 0 : (ret ? ret : -EPROTO);
}
