// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: NOP-Out / NOP-In (RFC 7143 11.18, 11.19), the keep-alive
 * of idle connections, and Asynchronous Messages (11.9).
 *
 * Keep-alive: when nothing arrived for nop_in_interval seconds the
 * target sends a NOP-In ping (a Target Transfer Tag, the reserved ITT);
 * when still nothing arrived nop_in_timeout seconds later the connection
 * is dropped.  Any received PDU counts as a sign of life.
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include "iscsi.h"

#define ISCSI_NOP_TTT	0x4e4f5000U	/* pings: "NOP" + a counter */

/**
 * iscsi_rx_nop_out() - a NOP-Out: answer a ping, note a reply to ours
 * @conn: the connection
 *
 * Return: 0 or a negative errno.
 */
int iscsi_rx_nop_out(struct iscsi_conn *conn)
{
	u32 len = conn->h.dsl, itt = conn->h.itt;
	struct iscsi_pdu_out *pdu;
	int ret;

	if (conn->h.ttt != ISC_RSVD_TAG || itt == ISC_RSVD_TAG) {
		/* a reply to our ping, or a ping that wants no answer */
		ret = iscsi_rx_data(conn, NULL, 0);
		if (!ret && itt != ISC_RSVD_TAG)
			iscsi_cmdsn_check(conn);
		return ret;
	}
	if (len > conn->max_xmit_dsl)
		len = 0;	/* cannot echo more than the initiator takes */
	pdu = iscsi_pdu_alloc(len, GFP_KERNEL);
	ret = iscsi_rx_data(conn, pdu ? pdu->data : NULL, len);
	if (ret || !pdu || !iscsi_cmdsn_check(conn)) {
		kfree(pdu);
		return ret;
	}
	isc_bhs_init(pdu->bhs, ISC_OP_NOP_IN, ISC_FLAG_FINAL, itt);
	memcpy(pdu->bhs + ISC_OFF_LUN, conn->bhs + ISC_OFF_LUN, 8);
	put_unaligned_be32(ISC_RSVD_TAG, pdu->bhs + ISC_OFF_TTT);
	pdu->flags = ISCSI_PDU_STATSN;
	iscsi_pdu_queue(conn, pdu);
	return 0;
}

static void iscsi_nop_ping(struct iscsi_conn *conn)
{
	struct iscsi_pdu_out *pdu = iscsi_pdu_alloc(0, GFP_KERNEL);

	if (!pdu)
		return;
	isc_bhs_init(pdu->bhs, ISC_OP_NOP_IN, ISC_FLAG_FINAL, ISC_RSVD_TAG);
	put_unaligned_be32(ISCSI_NOP_TTT | (conn->next_ttt & 0xff),
			   pdu->bhs + ISC_OFF_TTT);
	iscsi_pdu_queue(conn, pdu);
}

/**
 * iscsi_nop_work() - the keep-alive of a connection
 * @work: conn->nop_work
 */
void iscsi_nop_work(struct work_struct *work)
{
	struct iscsi_conn *conn = container_of(to_delayed_work(work),
					       struct iscsi_conn, nop_work);
	unsigned long idle = jiffies - READ_ONCE(conn->last_rx);
	unsigned long next = conn->nop_in_interval;

	if (idle >= conn->nop_in_interval + conn->nop_in_timeout) {
		pr_warn("%pISpc: no answer to NOP-In for %u s, dropping the connection\n",
			&conn->peer, conn->nop_in_timeout / HZ);
		iscsi_conn_kill(conn);
		return;
	}
	if (idle >= conn->nop_in_interval) {
		iscsi_nop_ping(conn);
		next = conn->nop_in_interval + conn->nop_in_timeout - idle;
	} else {
		next = conn->nop_in_interval - idle;
	}
	schedule_delayed_work(&conn->nop_work, max(next, 1UL));
}

/**
 * iscsi_send_async_drop() - tell the initiator we drop the connection
 * @conn: the connection; it closes once the message is out
 *
 * Context: may sleep.
 */
void iscsi_send_async_drop(struct iscsi_conn *conn)
{
	struct iscsi_pdu_out *pdu = iscsi_pdu_alloc(0, GFP_KERNEL);

	if (!pdu) {
		iscsi_conn_kill(conn);
		return;
	}
	isc_bhs_init(pdu->bhs, ISC_OP_ASYNC_MSG, ISC_FLAG_FINAL, ISC_RSVD_TAG);
	pdu->bhs[ISC_OFF_AEVENT] = ISC_ASYNC_DROP_CONN;
	put_unaligned_be16(conn->cid, pdu->bhs + ISC_OFF_APARAM1);
	put_unaligned_be16(conn->sess->params.v[ISC_K_TIME2WAIT],
			   pdu->bhs + ISC_OFF_APARAM2);
	put_unaligned_be16(conn->sess->params.v[ISC_K_TIME2RETAIN],
			   pdu->bhs + ISC_OFF_APARAM3);
	pdu->flags = ISCSI_PDU_STATSN | ISCSI_PDU_CLOSE;
	iscsi_pdu_queue(conn, pdu);
}
