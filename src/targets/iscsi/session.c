// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: sessions.  A login that completes attaches its connection
 * to a new session, after ending a session it reinstates:
 *
 *  - TSIH 0 and the ISID, InitiatorName and target of a live session:
 *    session reinstatement; the new session gets a new TSIH;
 *  - the TSIH of a live session and the CID of its connection:
 *    connection reinstatement; with ErrorRecoveryLevel 0 the tasks of
 *    the old connection end with it, the session keeps its TSIH;
 *  - the TSIH of a live session and another CID: a second connection,
 *    refused (MaxConnections is 1).
 *
 * Also the CmdSN window and Logout.
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include <linux/slab.h>

#include "iscsi.h"

static LIST_HEAD(iscsi_sessions);
static u16 iscsi_tsih_next = 1;

/* --- the CmdSN window (RFC 7143 3.2.2.1) --- */

/**
 * iscsi_cmdsn_check() - accept the CmdSN of the PDU just received
 * @conn: the connection
 *
 * Immediate PDUs do not advance ExpCmdSN (an immediate SCSI command is
 * also checked by iscsi_cmd_window_room()).  A non-immediate PDU is accepted
 * only if its CmdSN is ExpCmdSN and not above the MaxCmdSN advertised:
 * with a single connection per session nothing can arrive out of order,
 * so anything else is outside the window or a duplicate, and is ignored
 * (RFC 7143 3.2.2.1), and counted.
 *
 * Return: true to process the PDU, false to ignore it.
 */
bool iscsi_cmdsn_check(struct iscsi_conn *conn)
{
	struct iscsi_sess *sess = conn->sess;
	unsigned long flags;
	u32 exp, max;
	bool ok = false;

	if (conn->h.immediate)
		return true;
	spin_lock_irqsave(&sess->sn_lock, flags);
	exp = sess->exp_cmd_sn;
	max = sess->max_cmd_sn;
	if (conn->h.sn == exp && !isc_sn_lt(max, exp)) {
		sess->exp_cmd_sn++;
		ok = true;
	}
	spin_unlock_irqrestore(&sess->sn_lock, flags);
	if (!ok) {
		pr_debug("%pISpc: CmdSN %u ignored, expected %u, max %u\n",
			 &conn->peer, conn->h.sn, exp, max);
		iscsi_conn_stat(conn, ISCSI_ST_CMDSN_DROPPED);
	}
	return ok;
}

/**
 * iscsi_cmd_window_room() - may one more command enter the target
 * @conn: the connection
 *
 * Immediate commands take no CmdSN but count against the queue depth
 * like the others, so that a session never has more than queue_depth
 * commands in the target: an immediate one beyond it is rejected, a
 * non-immediate one in a window that immediate ones filled is answered
 * TASK SET FULL (cmd.c).
 *
 * Context: the rx thread (the only one that adds commands).
 */
bool iscsi_cmd_window_room(struct iscsi_conn *conn)
{
	return READ_ONCE(conn->nr_busy) < conn->queue_depth;
}

/**
 * iscsi_sn_fields() - ExpCmdSN and MaxCmdSN of a target PDU
 * @conn: the connection
 * @bhs: the header
 *
 * The window is the queue depth minus the commands in the target (but
 * the one whose response is going out); MaxCmdSN never goes back.
 */
void iscsi_sn_fields(struct iscsi_conn *conn, u8 *bhs)
{
	struct iscsi_sess *sess = conn->sess;
	unsigned int busy = min(READ_ONCE(conn->nr_busy), conn->queue_depth);
	unsigned long flags;
	u32 exp, max;

	spin_lock_irqsave(&sess->sn_lock, flags);
	exp = sess->exp_cmd_sn;
	max = exp + conn->queue_depth - busy - 1;
	if (isc_sn_lt(max, sess->max_cmd_sn))
		max = sess->max_cmd_sn;
	sess->max_cmd_sn = max;
	spin_unlock_irqrestore(&sess->sn_lock, flags);
	put_unaligned_be32(exp, bhs + ISC_OFF_EXPCMDSN);
	put_unaligned_be32(max, bhs + ISC_OFF_MAXCMDSN);
}

/* --- attach and detach --- */

static struct iscsi_sess *iscsi_sess_find_tsih(u16 tsih)
{
	struct iscsi_sess *sess;

	lockdep_assert_held(&iscsi_mutex);
	list_for_each_entry(sess, &iscsi_sessions, entry)
		if (sess->tsih == tsih)
			return sess;
	return NULL;
}

static struct iscsi_sess *iscsi_sess_find_isid(struct iscsi_tgt *itgt,
					       const char *ini, const u8 *isid,
					       u16 tpgt)
{
	struct iscsi_sess *sess;

	lockdep_assert_held(&iscsi_mutex);
	list_for_each_entry(sess, &iscsi_sessions, entry)
		if (sess->itgt == itgt && !memcmp(sess->isid, isid, 6) &&
		    sess->tpgt == tpgt && !strcmp(sess->initiator, ini))
			return sess;
	return NULL;
}

static u16 iscsi_tsih_alloc(void)
{
	u16 tsih;

	do {
		tsih = iscsi_tsih_next++;
	} while (!tsih || iscsi_sess_find_tsih(tsih));
	return tsih;
}

static bool iscsi_tsih_gone(u16 tsih)
{
	bool gone;

	mutex_lock(&iscsi_mutex);
	gone = !iscsi_sess_find_tsih(tsih);
	mutex_unlock(&iscsi_mutex);
	return gone;
}

/*
 * The session that this login replaces, if any; *status set if the
 * login must fail.  Called with iscsi_mutex held.
 */
static struct iscsi_sess *iscsi_sess_old(struct iscsi_conn *conn,
					 struct isc_neg *neg, const u8 *isid,
					 u16 tsih, u16 *status)
{
	struct iscsi_sess *old;

	*status = ISC_LS_SUCCESS;
	if (!tsih)
		return iscsi_sess_find_isid(conn->itgt, neg->initiator_name,
					    isid, conn->tpgt);
	old = iscsi_sess_find_tsih(tsih);
	if (!old || old->itgt != conn->itgt || memcmp(old->isid, isid, 6) ||
	    old->tpgt != conn->tpgt ||
	    strcmp(old->initiator, neg->initiator_name)) {
		*status = ISC_LS_NO_SESSION;
		return NULL;
	}
	if (old->conn && old->conn->cid != conn->cid) {
		*status = ISC_LS_TOO_MANY_CONNS;
		return NULL;
	}
	return old;
}

static struct iscsi_sess *iscsi_sess_alloc(struct iscsi_conn *conn,
					   struct isc_neg *neg,
					   const u8 *isid, u32 cmd_sn)
{
	struct iscsi_sess *sess = kzalloc(sizeof(*sess), GFP_KERNEL);

	if (!sess)
		return NULL;
	sess->itgt = conn->itgt;
	strscpy(sess->initiator, neg->initiator_name, sizeof(sess->initiator));
	memcpy(sess->isid, isid, 6);
	sess->tpgt = conn->tpgt;
	sess->params = neg->res;
	spin_lock_init(&sess->sn_lock);
	sess->exp_cmd_sn = cmd_sn;
	sess->max_cmd_sn = cmd_sn + conn->queue_depth - 1;
	sess->conn = conn;
	return sess;
}

/*
 * The SCST session of a normal session: an I_T nexus whose initiator port
 * is "<InitiatorName>,i,0x<ISID>" (RFC 7143 4.4.1, SPC-4 7.6.4.6), so
 * that two sessions of one initiator with different ISIDs are two nexuses.
 */
static struct scst_session *iscsi_sess_register(struct scst_tgt *tgt,
						struct isc_neg *neg,
						const u8 *isid, void *priv)
{
	char port[ISC_NAME_MAX + sizeof(",i,0x") + 12];

	snprintf(port, sizeof(port), "%s,i,0x%6phN", neg->initiator_name, isid);
	return scst_register_session_port(tgt, neg->initiator_name, port,
					  priv);
}

/**
 * iscsi_sess_attach() - the login succeeds: give the connection a session
 * @conn: the connection (conn->itgt set for a normal session)
 * @neg: the login's negotiation
 * @isid: the ISID of the login
 * @tsih: the TSIH of the login (0: a new session)
 * @cmd_sn: the CmdSN of the login request
 *
 * Ends the session the login reinstates first, and waits for it.
 *
 * Return: ISC_LS_SUCCESS (the TSIH is in conn->sess) or a login status.
 */
int iscsi_sess_attach(struct iscsi_conn *conn, struct isc_neg *neg,
		      const u8 *isid, u16 tsih, u32 cmd_sn)
{
	struct scst_session *ss = NULL;
	struct iscsi_sess *sess, *old;
	u16 status, old_tsih;

	sess = iscsi_sess_alloc(conn, neg, isid, cmd_sn);
	if (!sess)
		return ISC_LS_NO_RESOURCES;
	mutex_lock(&iscsi_mutex);
	while ((old = iscsi_sess_old(conn, neg, isid, tsih, &status))) {
		old_tsih = old->tsih;
		pr_info("%s: reinstating session 0x%x\n", neg->initiator_name,
			old_tsih);
		if (old->conn)
			iscsi_conn_kill(old->conn);
		mutex_unlock(&iscsi_mutex);
		wait_event(iscsi_wq, iscsi_tsih_gone(old_tsih));
		mutex_lock(&iscsi_mutex);
		if (tsih)
			break;	/* connection reinstatement: keep the TSIH */
	}
	if (status)
		goto fail;
	if (conn->itgt) {
		status = ISC_LS_REMOVED;
		if (!conn->itgt->enabled)
			goto fail;
		ss = iscsi_sess_register(conn->itgt->tgt, neg, isid, sess);
		if (IS_ERR(ss))
			goto fail;
		if (scst_sess_set_tpgt(ss, conn->tpgt)) {
			/* checked at login (iscsi_login_target()): raced */
			scst_unregister_session(ss);
			goto fail;
		}
	}
	sess->scst_sess = ss;
	sess->tsih = tsih && !iscsi_sess_find_tsih(tsih) ? tsih :
		     iscsi_tsih_alloc();
	list_add_tail(&sess->entry, &iscsi_sessions);
	conn->sess = sess;
	mutex_unlock(&iscsi_mutex);
	return ISC_LS_SUCCESS;

fail:
	mutex_unlock(&iscsi_mutex);
	kfree(sess);
	return status;
}

/**
 * iscsi_sess_detach() - the connection ends: end its session
 * @conn: the connection, drained (no command left)
 */
void iscsi_sess_detach(struct iscsi_conn *conn)
{
	struct iscsi_sess *sess = conn->sess;

	if (sess) {
		if (sess->scst_sess)
			scst_unregister_session(sess->scst_sess);
		mutex_lock(&iscsi_mutex);
		list_del(&sess->entry);
		conn->sess = NULL;
		mutex_unlock(&iscsi_mutex);
		kfree(sess);
	}
	if (conn->itgt) {
		mutex_lock(&iscsi_mutex);
		conn->itgt->nr_sessions--;
		conn->itgt = NULL;
		mutex_unlock(&iscsi_mutex);
	}
	wake_up_all(&iscsi_wq);
}

static unsigned int iscsi_tgt_nr_sessions(struct iscsi_tgt *itgt)
{
	unsigned int n;

	mutex_lock(&iscsi_mutex);
	n = itgt->nr_sessions;
	mutex_unlock(&iscsi_mutex);
	return n;
}

/**
 * iscsi_tgt_kill_sessions() - end every session and login of a target
 * @itgt: the target, no longer enabled
 *
 * Logged-in initiators get an Asynchronous Message (the target drops the
 * connection) first.  Waits until all of them are gone.
 */
void iscsi_tgt_kill_sessions(struct iscsi_tgt *itgt)
{
	struct iscsi_conn *conn;

	mutex_lock(&iscsi_mutex);
	list_for_each_entry(conn, &iscsi_conns, entry) {
		if (conn->itgt != itgt)
			continue;
		if (conn->sess)
			iscsi_send_async_drop(conn);
		else
			iscsi_conn_kill(conn);
	}
	mutex_unlock(&iscsi_mutex);
	wait_event(iscsi_wq, !iscsi_tgt_nr_sessions(itgt));
}

/* --- Logout (RFC 7143 11.14, 11.15) --- */

static void iscsi_logout_rsp(struct iscsi_conn *conn, u8 response)
{
	struct iscsi_pdu_out *pdu = iscsi_pdu_alloc(0, GFP_KERNEL);

	if (!pdu)
		return;
	isc_bhs_init(pdu->bhs, ISC_OP_LOGOUT_RSP, ISC_FLAG_FINAL, conn->h.itt);
	pdu->bhs[2] = response;
	if (response == ISC_LOGOUT_OK) {
		put_unaligned_be16(conn->sess->params.v[ISC_K_TIME2WAIT],
				   pdu->bhs + ISC_OFF_T2WAIT);
		pdu->flags = ISCSI_PDU_CLOSE;
	}
	pdu->flags |= ISCSI_PDU_STATSN;
	iscsi_pdu_queue(conn, pdu);
}

/**
 * iscsi_rx_logout() - a Logout Request
 * @conn: the connection
 *
 * Closing the session or this connection is the same here (one
 * connection per session): the commands still in flight are completed
 * and answered, then the response is sent and the connection closes.
 *
 * Return: 0 or a negative errno.
 */
int iscsi_rx_logout(struct iscsi_conn *conn)
{
	u8 reason = conn->h.flags & 0x7f;
	u16 cid = get_unaligned_be16(conn->bhs + ISC_OFF_CID);

	if (!iscsi_cmdsn_check(conn))
		return 0;
	if (reason == ISC_LOGOUT_RECOVERY) {
		iscsi_logout_rsp(conn, ISC_LOGOUT_NO_RECOVERY);
		return 0;
	}
	if (reason == ISC_LOGOUT_CONN && cid != conn->cid) {
		iscsi_logout_rsp(conn, ISC_LOGOUT_NO_CID);
		return 0;
	}
	if (reason > ISC_LOGOUT_RECOVERY) {
		iscsi_send_reject(conn, ISC_REJ_INVALID_FIELD);
		return 0;
	}
	iscsi_cmds_drop_rx(conn, NULL);
	wait_event(conn->wq, !READ_ONCE(conn->nr_cmds));
	iscsi_logout_rsp(conn, ISC_LOGOUT_OK);
	flush_work(&conn->tx_work);
	conn->logout = true;
	return 0;
}
