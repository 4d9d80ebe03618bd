// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: connections.  Each accepted socket gets an rx thread that
 * runs the login, then reads PDUs until the connection ends, then tears
 * it down; and a tx work item, the only writer of the socket after the
 * login, that sends what the tx queue holds: control PDUs and command
 * responses (Data-In, SCSI Response) in queue order.
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include <linux/bvec.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/sock.h>
#include <net/tcp.h>

#include <scst_compat.h>

#include "iscsi.h"

/* --- socket I/O --- */

/*
 * One sendmsg() on a blocking socket: it returns short only when it
 * waited sk_sndtimeo (ISCSI_SEND_TIMEOUT, counted across its waits) for
 * room, or on a signal or an error.  A short return after the whole
 * timeout is a failure too: otherwise a peer that opens its window a
 * few bytes at a time keeps the connection, and its queue, for ever.
 * @zc: the iterator's pages are lent to the socket, not copied
 * (scst_sock_sendmsg_pages()).
 */
static int iscsi_sock_send(struct iscsi_conn *conn, struct msghdr *msg,
			   bool zc)
{
	size_t left = msg_data_left(msg);
	unsigned long t0 = jiffies;
	int ret;

	if (zc)
		ret = scst_sock_sendmsg_pages(conn->sock, msg);
	else
		ret = sock_sendmsg(conn->sock, msg);
	if (ret > 0 && ret < left &&
	    time_after_eq(jiffies, t0 + ISCSI_SEND_TIMEOUT))
		return -EAGAIN;
	return ret;
}

/*
 * Send all of @msg.  MSG_MORE holds back a partial segment until more
 * data comes: only for a part that is followed by another part of the
 * same PDU, or by another PDU already in the tx queue (conn->tx_more),
 * never for the last, or it waits for the peer's next (possibly delayed)
 * ACK; conn->tx_held tells the tx work to push what is held back when
 * its queue runs empty.
 */
static int iscsi_conn_sendmsg(struct iscsi_conn *conn, struct msghdr *msg,
			      bool more, bool zc)
{
	int ret;

	msg->msg_flags = MSG_NOSIGNAL | (more ? MSG_MORE : 0);
	conn->tx_held = more;
	while (msg_data_left(msg)) {
		ret = iscsi_sock_send(conn, msg, zc);
		if (ret <= 0)
			return ret ? ret : -EPIPE;
	}
	return 0;
}

static int iscsi_conn_sendv(struct iscsi_conn *conn, struct kvec *iov, int n,
			    bool more)
{
	struct msghdr msg = { };
	size_t len = 0;
	int i;

	for (i = 0; i < n; i++)
		len += iov[i].iov_len;
	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, iov, n, len);
	return iscsi_conn_sendmsg(conn, &msg, more, false);
}

/**
 * iscsi_conn_send() - send a vector completely
 * @conn: the connection
 * @iov: the vector (consumed)
 * @n: its number of entries
 *
 * Return: 0 or a negative errno.
 */
int iscsi_conn_send(struct iscsi_conn *conn, struct kvec *iov, int n)
{
	return iscsi_conn_sendv(conn, iov, n, false);
}

/* The entry of @sg holding byte *@off; *@off becomes the offset in it. */
static struct scatterlist *iscsi_sg_seek(struct scatterlist *sg, u32 *off)
{
	while (sg && *off >= sg->length) {
		*off -= sg->length;
		sg = sg_next(sg);
	}
	return sg;
}

/* Room for @n bio_vecs in *@bv (*@nr of them now). */
static int iscsi_bvec_grow(struct bio_vec **bv, unsigned int *nr,
			   unsigned int n)
{
	struct bio_vec *b;

	if (n <= *nr)
		return 0;
	b = kvmalloc_array(n, sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	kvfree(*bv);
	*bv = b;
	*nr = n;
	return 0;
}

/*
 * @len bytes of @sg from @off as conn->tx_bvec: returns its number of
 * entries, or a negative errno.  *@zc is cleared unless every page may
 * be lent to the socket (sendpage_ok()).
 */
static int iscsi_tx_bvec_fill(struct iscsi_conn *conn, struct scatterlist *sg,
			      u32 off, u32 len, bool *zc)
{
	struct scatterlist *s;
	unsigned int nr = 0;
	u32 left, o, n;
	int ret;

	sg = iscsi_sg_seek(sg, &off);
	for (s = sg, o = off, left = len; s && left; s = sg_next(s), o = 0) {
		left -= min(s->length - o, left);
		nr++;
	}
	if (left)
		return -EINVAL;
	ret = iscsi_bvec_grow(&conn->tx_bvec, &conn->tx_bvec_n, nr);
	if (ret)
		return ret;
	nr = 0;
	for (s = sg, o = off, left = len; left; s = sg_next(s), o = 0) {
		n = min(s->length - o, left);
		bvec_set_page(&conn->tx_bvec[nr++], sg_page(s), n,
			      s->offset + o);
		/* one page each: sendpage_ok() looks at one */
		if (*zc && (s->offset + o + n > PAGE_SIZE ||
			    !sendpage_ok(sg_page(s))))
			*zc = false;
		left -= n;
	}
	return nr;
}

/*
 * Send part of a scatterlist in one go; @zc: lend its pages to the
 * socket (they stay unchanged until TCP is done with them, see
 * scst_cmd_buf_lend()) instead of copying them.
 */
static int iscsi_conn_send_sg(struct iscsi_conn *conn, struct scatterlist *sg,
			      u32 off, u32 len, bool more, bool zc)
{
	struct msghdr msg = { };
	int nr;

	nr = iscsi_tx_bvec_fill(conn, sg, off, len, &zc);
	if (nr < 0)
		return nr;
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, conn->tx_bvec, nr, len);
	return iscsi_conn_sendmsg(conn, &msg, more, zc);
}

/**
 * iscsi_conn_recv() - receive exactly @len bytes
 * @conn: the connection
 * @buf: where
 * @len: how many
 *
 * Return: 0, or a negative errno (the peer closed, the socket was shut
 * down, the login timeout expired).
 */
int iscsi_conn_recv(struct iscsi_conn *conn, void *buf, size_t len)
{
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_flags = MSG_WAITALL };
	int ret;

	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &iov, 1, len);
	while (msg_data_left(&msg)) {
		ret = sock_recvmsg(conn->sock, &msg, MSG_WAITALL);
		if (ret <= 0)
			return ret ? ret : -ECONNRESET;
	}
	conn->last_rx = jiffies;
	return 0;
}

/*
 * The rest of the current PDU's data segment after its first @len bytes
 * (discarded), the padding and the data digest; @crc is the running
 * CRC32C of the first @len bytes.
 */
static int iscsi_rx_data_tail(struct iscsi_conn *conn, u32 len, u32 crc)
{
	u32 dsl = conn->h.dsl, pad = isc_pad4(dsl), n;
	u8 scratch[256], tail[8];
	int ret;

	for (; len < dsl; len += n) {
		n = min_t(u32, dsl - len, sizeof(scratch));
		ret = iscsi_conn_recv(conn, scratch, n);
		if (ret)
			return ret;
		if (conn->data_digest)
			crc = iscsi_crc(scratch, n, crc);
	}
	if (!dsl)
		return 0;
	n = pad + (conn->data_digest ? ISC_DIGEST_LEN : 0);
	if (!n)
		return 0;
	ret = iscsi_conn_recv(conn, tail, n);
	if (ret)
		return ret;
	if (!conn->data_digest)
		return 0;
	crc = iscsi_crc(tail, pad, crc);
	return iscsi_crc_check(crc, tail + pad) ? 0 : -EBADMSG;
}

/**
 * iscsi_rx_data() - receive the data segment of the current PDU
 * @conn: the connection
 * @dst: where to put the first @len bytes, or NULL to discard them
 * @len: bytes wanted (at most the DataSegmentLength); the rest of the
 *       segment is discarded
 *
 * Reads the padding and checks the data digest too.
 *
 * Return: 0, -EBADMSG on a digest error, or another negative errno.
 */
int iscsi_rx_data(struct iscsi_conn *conn, void *dst, u32 len)
{
	u32 crc = ~0U;
	int ret;

	if (len > conn->h.dsl)
		return -EINVAL;
	if (dst && len) {
		ret = iscsi_conn_recv(conn, dst, len);
		if (ret)
			return ret;
		if (conn->data_digest)
			crc = iscsi_crc(dst, len, crc);
	} else {
		len = 0;
	}
	return iscsi_rx_data_tail(conn, len, crc);
}

/* Receive exactly @len bytes into a part of a scatterlist, at once. */
static int iscsi_conn_recv_sg(struct iscsi_conn *conn, struct scatterlist *sg,
			      u32 off, u32 len)
{
	struct msghdr msg = { .msg_flags = MSG_WAITALL };
	unsigned int nr = 0;
	u32 left = len, n;
	int ret;

	ret = iscsi_bvec_grow(&conn->rx_bvec, &conn->rx_bvec_n,
			      len / PAGE_SIZE + 2);
	if (ret)
		return ret;
	for (sg = iscsi_sg_seek(sg, &off); sg && left; sg = sg_next(sg)) {
		n = min(sg->length - off, left);
		if (nr == conn->rx_bvec_n)
			return -EINVAL;
		bvec_set_page(&conn->rx_bvec[nr++], sg_page(sg), n,
			      sg->offset + off);
		left -= n;
		off = 0;
	}
	if (left)
		return -EINVAL;
	iov_iter_bvec(&msg.msg_iter, ITER_DEST, conn->rx_bvec, nr, len);
	while (msg_data_left(&msg)) {
		ret = sock_recvmsg(conn->sock, &msg, MSG_WAITALL);
		if (ret <= 0)
			return ret ? ret : -ECONNRESET;
	}
	conn->last_rx = jiffies;
	return 0;
}

/**
 * iscsi_rx_data_sg() - receive the data segment of the current PDU into
 * a scatterlist
 * @conn: the connection
 * @sg: the list
 * @off: where in it the first byte goes
 * @len: bytes wanted (at most the DataSegmentLength); the rest of the
 *       segment is discarded
 *
 * Return: as iscsi_rx_data().
 */
int iscsi_rx_data_sg(struct iscsi_conn *conn, struct scatterlist *sg,
		     u32 off, u32 len)
{
	u32 crc = ~0U;
	int ret;

	if (len > conn->h.dsl)
		return -EINVAL;
	if (len) {
		ret = iscsi_conn_recv_sg(conn, sg, off, len);
		if (ret)
			return ret;
		if (conn->data_digest)
			crc = iscsi_crc_sg(sg, off, len, crc);
	}
	return iscsi_rx_data_tail(conn, len, crc);
}

/* --- the tx queue --- */

/**
 * iscsi_pdu_alloc() - a control PDU with room for @dlen data bytes
 * @dlen: data segment length
 * @gfp: allocation flags
 */
struct iscsi_pdu_out *iscsi_pdu_alloc(u32 dlen, gfp_t gfp)
{
	struct iscsi_pdu_out *pdu;

	pdu = kzalloc(struct_size(pdu, data, dlen), gfp);
	if (pdu) {
		pdu->tx.kind = ISCSI_TX_PDU;
		pdu->dlen = dlen;
	}
	return pdu;
}

/*
 * Queue @tx and kick the tx work, both under conn->lock: once the lock is
 * dropped, the connection may be freed as soon as the work has run.
 * Returns false if the connection is closing: nothing is queued then.
 */
static bool iscsi_tx_add(struct iscsi_conn *conn, struct iscsi_txent *tx)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&conn->lock, flags);
	ok = !conn->closing;
	if (ok) {
		list_add_tail(&tx->entry, &conn->tx_list);
		conn->tx_bytes += tx->bytes;
		queue_work(iscsi_tx_wq, &conn->tx_work);
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	return ok;
}

/**
 * iscsi_pdu_queue() - send a control PDU (it is freed once sent)
 * @conn: the connection
 * @pdu: the PDU
 *
 * Context: any context.
 */
void iscsi_pdu_queue(struct iscsi_conn *conn, struct iscsi_pdu_out *pdu)
{
	pdu->tx.bytes = struct_size(pdu, data, pdu->dlen);
	if (!iscsi_tx_add(conn, &pdu->tx))
		kfree(pdu);
}

/**
 * iscsi_cmd_queue() - send a command's response
 * @conn: the connection
 * @cmd: the command
 *
 * Context: any context.
 */
void iscsi_cmd_queue(struct iscsi_conn *conn, struct iscsi_cmd *cmd)
{
	cmd->tx.kind = ISCSI_TX_CMD;
	cmd->tx.bytes = sizeof(*cmd) + cmd->scmd.buf_len;
	cmd->state = ISCSI_CMD_RESPONDING;
	if (!iscsi_tx_add(conn, &cmd->tx))
		iscsi_cmd_free(cmd);
}

/**
 * iscsi_fill_sn() - StatSN, ExpCmdSN and MaxCmdSN of a target PDU
 * @conn: the connection
 * @bhs: the header
 * @take_stat_sn: the PDU carries status: it consumes a StatSN
 *
 * Context: the tx work (or the rx thread during the login).
 */
void iscsi_fill_sn(struct iscsi_conn *conn, u8 *bhs, bool take_stat_sn)
{
	put_unaligned_be32(conn->stat_sn, bhs + ISC_OFF_STATSN);
	if (take_stat_sn)
		conn->stat_sn++;
	iscsi_sn_fields(conn, bhs);
}

/**
 * iscsi_send_pdu_buf() - send a header, then @dlen bytes of @data with
 * digests
 * @conn: the connection
 * @bhs: the header, DataSegmentLength set to @dlen
 * @data: the data segment (copied: any memory, the stack too)
 * @dlen: its length
 * @more: another PDU follows at once (MSG_MORE)
 *
 * Return: 0 or a negative errno.
 */
int iscsi_send_pdu_buf(struct iscsi_conn *conn, u8 *bhs, const void *data,
		       u32 dlen, bool more)
{
	u8 hd[ISC_DIGEST_LEN], dd[ISC_DIGEST_LEN], pad[4] = { 0 };
	struct kvec iov[5];
	int n = 0;

	iov[n++] = (struct kvec){ bhs, ISC_BHS_LEN };
	if (conn->hdr_digest) {
		iscsi_crc_put(iscsi_crc(bhs, ISC_BHS_LEN, ~0U), hd);
		iov[n++] = (struct kvec){ hd, ISC_DIGEST_LEN };
	}
	if (dlen) {
		iov[n++] = (struct kvec){ (void *)data, dlen };
		if (isc_pad4(dlen))
			iov[n++] = (struct kvec){ pad, isc_pad4(dlen) };
		if (conn->data_digest) {
			u32 crc = iscsi_crc(data, dlen, ~0U);

			crc = iscsi_crc(pad, isc_pad4(dlen), crc);
			iscsi_crc_put(crc, dd);
			iov[n++] = (struct kvec){ dd, ISC_DIGEST_LEN };
		}
	}
	return iscsi_conn_sendv(conn, iov, n, more);
}

/**
 * iscsi_send_pdu_sg() - send a header and part of a scatterlist
 * @conn: the connection
 * @bhs: the header, DataSegmentLength set to @len
 * @sg: the data
 * @off: offset of the part
 * @len: its length
 * @flags: ISCSI_SEND_ZC: lend the pages of @sg to the socket instead of
 *         copying them, only for pages that stay unchanged until TCP is
 *         done with them (scst_cmd_buf_lend()); ISCSI_SEND_MORE:
 *         another PDU follows at once (MSG_MORE on the last part too)
 *
 * The header is copied; the data goes in one sendmsg().  Context: the
 * tx work.
 *
 * Return: 0 or a negative errno.
 */
int iscsi_send_pdu_sg(struct iscsi_conn *conn, u8 *bhs,
		      struct scatterlist *sg, u32 off, u32 len, unsigned int flags)
{
	u8 hd[ISC_DIGEST_LEN], tail[8] = { 0 };
	u32 pad = isc_pad4(len), crc;
	bool more = flags & ISCSI_SEND_MORE;
	struct kvec iov[2];
	int n = 0, ret;

	iov[n++] = (struct kvec){ bhs, ISC_BHS_LEN };
	if (conn->hdr_digest) {
		iscsi_crc_put(iscsi_crc(bhs, ISC_BHS_LEN, ~0U), hd);
		iov[n++] = (struct kvec){ hd, ISC_DIGEST_LEN };
	}
	ret = iscsi_conn_sendv(conn, iov, n, len || more);
	if (ret || !len)
		return ret;
	ret = iscsi_conn_send_sg(conn, sg, off, len,
				 pad || conn->data_digest || more,
				 flags & ISCSI_SEND_ZC);
	if (ret)
		return ret;
	n = pad;
	if (conn->data_digest) {
		crc = iscsi_crc_sg(sg, off, len, ~0U);
		crc = iscsi_crc(tail, pad, crc);
		iscsi_crc_put(crc, tail + pad);
		n += ISC_DIGEST_LEN;
	}
	if (!n)
		return 0;
	iov[0] = (struct kvec){ tail, n };
	return iscsi_conn_sendv(conn, iov, 1, more);
}

static int iscsi_tx_pdu(struct iscsi_conn *conn, struct iscsi_pdu_out *pdu)
{
	int ret;

	if (!(pdu->flags & ISCSI_PDU_NO_SN))
		iscsi_fill_sn(conn, pdu->bhs, pdu->flags & ISCSI_PDU_STATSN);
	isc_bhs_set_dsl(pdu->bhs, pdu->dlen);
	ret = iscsi_send_pdu_buf(conn, pdu->bhs, pdu->data, pdu->dlen,
				 conn->tx_more);
	if (!ret && (pdu->flags & ISCSI_PDU_CLOSE))
		ret = -ESHUTDOWN;
	return ret;
}

static struct iscsi_txent *iscsi_tx_next(struct iscsi_conn *conn)
{
	struct iscsi_txent *tx;
	unsigned long flags;

	spin_lock_irqsave(&conn->lock, flags);
	tx = list_first_entry_or_null(&conn->tx_list, struct iscsi_txent,
				      entry);
	if (tx) {
		list_del_init(&tx->entry);
		conn->tx_bytes -= tx->bytes;
		/* what it sends last may wait for the next one (MSG_MORE) */
		conn->tx_more = !list_empty(&conn->tx_list);
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	if (tx)
		wake_up_all(&conn->wq);	/* iscsi_rx_throttle() */
	return tx;
}

/* Give up on an entry: nothing more is sent on this connection. */
static void iscsi_tx_drop(struct iscsi_txent *tx)
{
	if (tx->kind == ISCSI_TX_PDU)
		kfree(container_of(tx, struct iscsi_pdu_out, tx));
	else
		iscsi_cmd_free(container_of(tx, struct iscsi_cmd, tx));
}

/**
 * iscsi_tx_work() - send everything queued
 * @work: conn->tx_work
 *
 * After a send error, the rest of the queue, and everything queued
 * later, is dropped (commands are finished) and the connection is shut
 * down, which ends the rx thread.
 */
void iscsi_tx_work(struct work_struct *work)
{
	struct iscsi_conn *conn = container_of(work, struct iscsi_conn,
					       tx_work);
	struct iscsi_txent *tx;
	int ret;

	while ((tx = iscsi_tx_next(conn))) {
		if (READ_ONCE(conn->dead)) {
			iscsi_tx_drop(tx);
			continue;
		}
		if (tx->kind == ISCSI_TX_PDU) {
			ret = iscsi_tx_pdu(conn, container_of(tx,
				struct iscsi_pdu_out, tx));
			kfree(container_of(tx, struct iscsi_pdu_out, tx));
		} else {
			ret = iscsi_tx_cmd(conn, container_of(tx,
				struct iscsi_cmd, tx));
		}
		if (ret == -EAGAIN) {
			pr_warn("%pISpc: a send made no progress for %u s, dropping the connection\n",
				&conn->peer, ISCSI_SEND_TIMEOUT / HZ);
			conn->send_timeout = true;
		}
		if (ret) {
			WRITE_ONCE(conn->dead, true);
			iscsi_conn_kill(conn);
		}
		WRITE_ONCE(conn->last_tx, jiffies);
		cond_resched();
	}
	/* the queue ran empty: nothing follows what MSG_MORE held back */
	if (conn->tx_held && !READ_ONCE(conn->dead))
		tcp_sock_set_cork(conn->sock->sk, false);
	conn->tx_held = false;
}

/**
 * iscsi_send_reject() - reject the PDU just received
 * @conn: the connection
 * @reason: ISC_REJ_*
 */
void iscsi_send_reject(struct iscsi_conn *conn, u8 reason)
{
	struct iscsi_pdu_out *pdu = iscsi_pdu_alloc(ISC_BHS_LEN, GFP_KERNEL);

	if (!pdu)
		return;
	isc_bhs_init(pdu->bhs, ISC_OP_REJECT, ISC_FLAG_FINAL, ISC_RSVD_TAG);
	pdu->bhs[2] = reason;
	memcpy(pdu->data, conn->bhs, ISC_BHS_LEN);
	pdu->flags = ISCSI_PDU_STATSN;
	iscsi_pdu_queue(conn, pdu);
}

/* --- the rx loop --- */

/**
 * iscsi_conn_kill() - make the connection end
 * @conn: the connection
 *
 * Shuts the socket down: the rx thread sees an error (or stops waiting
 * in iscsi_rx_throttle()) and tears the connection down.  Context: any
 * context that may sleep (the shutdown takes the socket lock).
 */
void iscsi_conn_kill(struct iscsi_conn *conn)
{
	WRITE_ONCE(conn->killed, true);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);
	wake_up_all(&conn->wq);
}

/* BHS, AHS and header digest of the next PDU. */
static int iscsi_rx_header(struct iscsi_conn *conn)
{
	u8 hd[ISC_DIGEST_LEN];
	u32 crc;
	int ret;

	ret = iscsi_conn_recv(conn, conn->bhs, ISC_BHS_LEN);
	if (ret)
		return ret;
	isc_bhs_decode(conn->bhs, &conn->h);
	if (conn->h.ahs_len) {
		ret = iscsi_conn_recv(conn, conn->ahs, conn->h.ahs_len);
		if (ret)
			return ret;
	}
	if (!conn->hdr_digest)
		return 0;
	ret = iscsi_conn_recv(conn, hd, ISC_DIGEST_LEN);
	if (ret)
		return ret;
	crc = iscsi_crc(conn->bhs, ISC_BHS_LEN, ~0U);
	crc = iscsi_crc(conn->ahs, conn->h.ahs_len, crc);
	if (!iscsi_crc_check(crc, hd)) {
		pr_warn("%pISpc: header digest error, dropping the connection\n",
			&conn->peer);
		return -EBADMSG;
	}
	return 0;
}

static int iscsi_rx_dispatch(struct iscsi_conn *conn)
{
	switch (conn->h.opcode) {
	case ISC_OP_SCSI_CMD:
		return iscsi_discovery(conn) ? -EPROTO :
		       iscsi_rx_scsi_cmd(conn);
	case ISC_OP_DATA_OUT:
		return iscsi_rx_data_out(conn);
	case ISC_OP_NOP_OUT:
		return iscsi_rx_nop_out(conn);
	case ISC_OP_TEXT_REQ:
		return iscsi_rx_text(conn);
	case ISC_OP_TMF_REQ:
		return iscsi_discovery(conn) ? -EPROTO : iscsi_rx_tmf(conn);
	case ISC_OP_LOGOUT_REQ:
		return iscsi_rx_logout(conn);
	}
	return -EPROTO;
}

/* Full feature phase: one PDU per iteration until an error or logout. */
static int iscsi_rx_loop(struct iscsi_conn *conn)
{
	int ret;

	while (!conn->logout) {
		ret = iscsi_rx_throttle(conn);
		if (ret)
			return ret;
		ret = iscsi_rx_header(conn);
		if (ret)
			return ret;
		ret = isc_bhs_check(&conn->h, conn->max_recv_dsl, false);
		if (ret > 0) {
			iscsi_send_reject(conn, ret);
			ret = iscsi_rx_data(conn, NULL, 0);
			if (ret)
				return ret;
			continue;
		}
		if (ret) {
			pr_warn("%pISpc: malformed PDU (opcode 0x%02x, %u data bytes), dropping the connection\n",
				&conn->peer, conn->h.opcode, conn->h.dsl);
			iscsi_send_reject(conn, ISC_REJ_PROTOCOL);
			return ret;
		}
		ret = iscsi_rx_dispatch(conn);
		if (ret == -EBADMSG) {
			pr_warn("%pISpc: data digest error, dropping the connection\n",
				&conn->peer);
			iscsi_send_reject(conn, ISC_REJ_DIGEST);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* Wait until every command is finished and nothing is left to send. */
static void iscsi_conn_drain(struct iscsi_conn *conn)
{
	unsigned long flags;

	WRITE_ONCE(conn->dead, true);
	iscsi_conn_kill(conn);
	cancel_delayed_work_sync(&conn->nop_work);
	iscsi_limits_conn_end(conn);
	iscsi_cmds_drop_rx(conn, NULL);
	if (conn->sess && conn->sess->scst_sess)
		scst_tmf_exec(conn->sess->scst_sess, SCST_TMF_I_T_NEXUS_RESET,
			      NULL, 0);
	wait_event(conn->wq, !READ_ONCE(conn->nr_cmds));
	spin_lock_irqsave(&conn->lock, flags);
	/* the last waker is out of wake_up(); nothing is queued any more */
	conn->closing = true;
	spin_unlock_irqrestore(&conn->lock, flags);
	flush_work(&conn->tx_work);
}

static void iscsi_conn_free(struct iscsi_conn *conn)
{
	iscsi_sess_detach(conn);
	mutex_lock(&iscsi_mutex);
	list_del(&conn->entry);
	mutex_unlock(&iscsi_mutex);
	wake_up_all(&iscsi_wq);
	sock_release(conn->sock);
	kvfree(conn->rx_bvec);
	kvfree(conn->tx_bvec);
	kvfree(conn->rx_buf);
	kfree(conn->text_rsp);
	kfree(conn);
}

static void iscsi_conn_ffp_setup(struct iscsi_conn *conn)
{
	struct sock *sk = conn->sock->sk;

	lock_sock(sk);
	sk->sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
	release_sock(sk);
	conn->last_rx = jiffies;
	if (conn->nop_in_interval)
		schedule_delayed_work(&conn->nop_work, conn->nop_in_interval);
}

static int iscsi_conn_thread(void *data)
{
	struct iscsi_conn *conn = data;
	int ret;

	allow_signal(SIGKILL);
	iscsi_limits_login_start(conn);
	ret = iscsi_login(conn);
	if (!ret) {
		iscsi_limits_login_end(conn);
		iscsi_conn_ffp_setup(conn);
		ret = iscsi_rx_loop(conn);
		if (ret && ret != -ECONNRESET && ret != -ESHUTDOWN &&
		    ret != -EPIPE)
			pr_info("%pISpc: connection ends: %d\n", &conn->peer,
				ret);
	}
	iscsi_conn_drain(conn);
	iscsi_conn_free(conn);
	module_put_and_kthread_exit(0);
}

static struct iscsi_conn *iscsi_conn_alloc(struct socket *sock)
{
	struct iscsi_conn *conn;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		return NULL;
	conn->sock = sock;
	spin_lock_init(&conn->lock);
	INIT_LIST_HEAD(&conn->tx_list);
	INIT_LIST_HEAD(&conn->cmds);
	init_waitqueue_head(&conn->wq);
	INIT_WORK(&conn->tx_work, iscsi_tx_work);
	INIT_DELAYED_WORK(&conn->nop_work, iscsi_nop_work);
	INIT_DELAYED_WORK(&conn->limit_work, iscsi_limit_work);
	/* a discovery session's; a login to a target sets its own */
	conn->queue_depth = ISCSI_QUEUE_DEPTH;
	conn->max_data = ISCSI_MAX_SESSION_DATA;
	conn->max_tx_queue = ISCSI_MAX_TX_QUEUE;
	conn->max_recv_dsl = ISCSI_LOGIN_DSL;
	conn->max_xmit_dsl = ISCSI_LOGIN_DSL;
	conn->next_ttt = 1;
	if (kernel_getsockname(sock, (struct sockaddr *)&conn->local) < 0 ||
	    kernel_getpeername(sock, (struct sockaddr *)&conn->peer) < 0) {
		kfree(conn);
		return NULL;
	}
	return conn;
}

/* sk_sndtimeo: a send that makes no progress for that long fails */
static void iscsi_sock_setup(struct iscsi_conn *conn)
{
	struct sock *sk = conn->sock->sk;

	tcp_sock_set_nodelay(sk);
	lock_sock(sk);
	sk->sk_rcvtimeo = conn->login_timeout;
	sk->sk_sndtimeo = ISCSI_SEND_TIMEOUT;
	release_sock(sk);
}

/**
 * iscsi_conn_start() - a new TCP connection: start its rx thread
 * @portal: where it was accepted
 * @sock: the socket (released here on failure)
 */
void iscsi_conn_start(struct iscsi_portal *portal, struct socket *sock)
{
	struct iscsi_conn *conn = iscsi_conn_alloc(sock);
	struct task_struct *t;

	if (!conn) {
		sock_release(sock);
		return;
	}
	conn->portal = portal;
	conn->tpgt = READ_ONCE(portal->tpgt);
	if (!iscsi_portal_admit(portal, conn)) {
		sock_release(sock);
		kfree(conn);
		return;
	}
	iscsi_sock_setup(conn);

	__module_get(THIS_MODULE);
	t = kthread_run(iscsi_conn_thread, conn, "iscsi_rx");
	if (IS_ERR(t)) {
		module_put(THIS_MODULE);
		iscsi_limits_conn_end(conn);
		mutex_lock(&iscsi_mutex);
		list_del(&conn->entry);
		mutex_unlock(&iscsi_mutex);
		sock_release(sock);
		kfree(conn);
	}
}
