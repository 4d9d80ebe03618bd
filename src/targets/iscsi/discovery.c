// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: Text Requests in full feature phase (RFC 7143 11.10,
 * 11.11): SendTargets (discovery, appendix C) and the keys that may be
 * renegotiated after login.  A response longer than the initiator's
 * MaxRecvDataSegmentLength goes out in parts: the initiator asks for
 * each next part with an empty Text Request carrying our Target
 * Transfer Tag.
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/slab.h>

#include "iscsi.h"

/* "addr:port,tpgt" of the portal the initiator reached us through */
static void iscsi_portal_text(struct iscsi_conn *conn, char *buf,
			      size_t size)
{
	struct sockaddr_storage *ss = &conn->local;

	if (ss->ss_family == AF_INET6)
		snprintf(buf, size, "[%pI6c]:%u,%u",
			 &((struct sockaddr_in6 *)ss)->sin6_addr,
			 ntohs(((struct sockaddr_in6 *)ss)->sin6_port),
			 conn->tpgt);
	else
		snprintf(buf, size, "%pI4:%u,%u",
			 &((struct sockaddr_in *)ss)->sin_addr,
			 ntohs(((struct sockaddr_in *)ss)->sin_port),
			 conn->tpgt);
}

/*
 * Whether SendTargets lists @itgt: enabled, the one asked for, and one
 * the initiator has access to (a normal session sees only its own
 * target).  Access, as in scst_tgt_visible(): a group of the target
 * names the initiator, or none does and the target's own luns/ is not
 * empty.  An initiator that would see no LUN through a target is not
 * told about it; a login to it still succeeds (and finds no LUN).
 */
static bool iscsi_st_visible(struct iscsi_conn *conn, struct isc_neg *neg,
			     struct iscsi_tgt *itgt)
{
	const char *name = scst_tgt_name(itgt->tgt);

	if (!itgt->enabled)
		return false;
	if (!iscsi_discovery(conn))
		return conn->sess->itgt == itgt &&
		       (!neg->send_targets[0] || neg->send_targets_all ||
			!strcmp(neg->send_targets, name));
	if (!neg->send_targets_all && strcmp(neg->send_targets, name))
		return false;
	/* through a portal of a tag the target has a port for */
	return scst_tgt_has_tpgt(itgt->tgt, conn->tpgt) &&
	       scst_tgt_visible(itgt->tgt, conn->sess->initiator);
}

static void iscsi_send_targets(struct iscsi_conn *conn, struct isc_neg *neg,
			       struct isc_textbuf *out)
{
	struct iscsi_tgt *itgt;
	char addr[64];

	if (iscsi_discovery(conn) && !neg->send_targets_all &&
	    !neg->send_targets[0]) {
		isc_text_add(out, "SendTargets", "Reject");
		return;
	}
	iscsi_portal_text(conn, addr, sizeof(addr));
	mutex_lock(&iscsi_mutex);
	list_for_each_entry(itgt, &iscsi_tgts, entry) {
		if (!iscsi_st_visible(conn, neg, itgt))
			continue;
		isc_text_add(out, "TargetName", scst_tgt_name(itgt->tgt));
		isc_text_add(out, "TargetAddress", addr);
	}
	mutex_unlock(&iscsi_mutex);
}

/* Send the next part of conn->text_rsp. */
static void iscsi_text_part(struct iscsi_conn *conn, u32 itt)
{
	u32 left = conn->text_len - conn->text_off;
	u32 n = min(left, conn->max_xmit_dsl);
	struct iscsi_pdu_out *pdu = iscsi_pdu_alloc(n, GFP_KERNEL);
	bool last = n == left;

	if (!pdu)
		return;
	isc_bhs_init(pdu->bhs, ISC_OP_TEXT_RSP,
		     last ? ISC_FLAG_FINAL : ISC_FLAG_CONT, itt);
	memcpy(pdu->bhs + ISC_OFF_LUN, conn->bhs + ISC_OFF_LUN, 8);
	if (!last) {
		conn->text_ttt = conn->next_ttt++;
		if (conn->text_ttt == ISC_RSVD_TAG)
			conn->text_ttt = conn->next_ttt++;
	}
	put_unaligned_be32(last ? ISC_RSVD_TAG : conn->text_ttt,
			   pdu->bhs + ISC_OFF_TTT);
	memcpy(pdu->data, conn->text_rsp + conn->text_off, n);
	conn->text_off += n;
	pdu->flags = ISCSI_PDU_STATSN;
	iscsi_pdu_queue(conn, pdu);
	if (last) {
		kfree(conn->text_rsp);
		conn->text_rsp = NULL;
	}
}

/* Negotiate a complete request into a new conn->text_rsp. */
static int iscsi_text_request(struct iscsi_conn *conn, u32 len)
{
	struct isc_textbuf out = { .cap = ISC_TEXT_MAX };
	struct isc_kv *kv;
	struct isc_neg *neg;
	unsigned int n, i;
	int ret = -ENOMEM;

	kv = kcalloc(ISC_MAX_PAIRS, sizeof(*kv), GFP_KERNEL);
	neg = kmalloc(sizeof(*neg), GFP_KERNEL);
	out.buf = kmalloc(out.cap, GFP_KERNEL);
	if (!kv || !neg || !out.buf)
		goto free;
	ret = isc_text_parse(conn->rx_buf, len, kv, ISC_MAX_PAIRS, &n);
	if (ret)
		goto free;
	isc_neg_init(neg, &conn->sess->params, ISC_PH_FFP);
	for (i = 0; i < n; i++)
		isc_neg_key(neg, kv[i].key, kv[i].val, &out);
	if (neg->seen & (1ULL << ISC_K_SEND_TARGETS))
		iscsi_send_targets(conn, neg, &out);
	if (neg->seen & (1ULL << ISC_K_MAX_RECV_DSL))
		conn->max_xmit_dsl = neg->res.v[ISC_K_MAX_RECV_DSL];
	ret = out.overflow ? -E2BIG : 0;
	if (!ret) {
		kfree(conn->text_rsp);
		conn->text_rsp = out.buf;
		conn->text_len = out.len;
		conn->text_off = 0;
		out.buf = NULL;
	}
free:
	kfree(out.buf);
	kfree(neg);
	kfree(kv);
	return ret;
}

/**
 * iscsi_rx_text() - a Text Request
 * @conn: the connection
 *
 * Requests spread over several PDUs (C bit) are not supported: they are
 * rejected.
 *
 * Return: 0 or a negative errno.
 */
int iscsi_rx_text(struct iscsi_conn *conn)
{
	u32 itt = conn->h.itt, ttt = conn->h.ttt;
	int ret;

	ret = iscsi_rx_data(conn, conn->rx_buf, conn->h.dsl);
	if (ret || !iscsi_cmdsn_check(conn))
		return ret;
	if (ttt != ISC_RSVD_TAG) {
		if (!conn->text_rsp || ttt != conn->text_ttt)
			iscsi_send_reject(conn, ISC_REJ_INVALID_FIELD);
		else
			iscsi_text_part(conn, itt);
		return 0;
	}
	if (conn->h.flags & ISC_FLAG_CONT) {
		iscsi_send_reject(conn, ISC_REJ_CMD_NOT_SUPP);
		return 0;
	}
	if (iscsi_text_request(conn, conn->h.dsl)) {
		iscsi_send_reject(conn, ISC_REJ_PROTOCOL);
		return 0;
	}
	iscsi_text_part(conn, itt);
	return 0;
}
