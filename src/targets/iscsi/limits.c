// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: bounds on what a peer can make the target hold.
 *
 *  - per portal: connections (max_connections) and logins in progress
 *    (max_logins); beyond either a new socket is closed at once.  The
 *    whole login phase has a deadline (login_timeout); a discovery
 *    session that sent no PDU and has nothing left to receive for
 *    discovery_idle_timeout seconds is closed.
 *  - per target: connections incl. logins (max_sessions) and logins in
 *    progress (max_logins): a login beyond them is refused with "out of
 *    resources".  Each session gets, fixed at its login:
 *      queue_depth        the CmdSN window (session.c) and the cap on
 *                         commands in the target, immediate ones too;
 *      max_session_data   the cap on buffers of commands waiting for
 *                         Data-Out (cmd.c defers or refuses beyond it),
 *                         and on the data of commands in the core (the
 *                         rx thread stops reading until it drops);
 *      max_tx_queue       the cap on the bytes in the tx queue: beyond
 *                         it the rx thread stops reading until the
 *                         queue drains.  A send that makes no progress
 *                         for 30 s kills the connection (sk_sndtimeo).
 *
 * Every refusal, pause and timeout is counted in the stats of the
 * connection's target (or of its portal for discovery sessions, logins
 * not yet tied to a target, and refused sockets).
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include <linux/sched/signal.h>

#include "iscsi.h"

const char *const iscsi_stat_names[ISCSI_ST_NR] = {
	[ISCSI_ST_CMDSN_DROPPED]	= "cmdsn_dropped",
	[ISCSI_ST_IMMEDIATE_REJECTED]	= "immediate_rejected",
	[ISCSI_ST_DATA_DEFERRED]	= "data_deferred",
	[ISCSI_ST_TASK_SET_FULL]	= "task_set_full",
	[ISCSI_ST_RX_PAUSED]		= "rx_paused",
	[ISCSI_ST_SEND_TIMEOUTS]	= "send_timeouts",
	[ISCSI_ST_CONNS_REFUSED]	= "connections_refused",
	[ISCSI_ST_LOGINS_REFUSED]	= "logins_refused",
	[ISCSI_ST_LOGIN_TIMEOUTS]	= "login_timeouts",
	[ISCSI_ST_IDLE_CLOSED]		= "idle_closed",
};

/**
 * iscsi_stats_init() - zero a set of counters
 * @st: the counters
 */
void iscsi_stats_init(struct iscsi_stats *st)
{
	int i;

	for (i = 0; i < ISCSI_ST_NR; i++)
		atomic_long_set(&st->v[i], 0);
}

/**
 * iscsi_stats_show() - "name value" lines of a set of counters
 * @st: the counters
 * @page: the configfs page
 * @len: bytes already in @page
 *
 * Return: the new length of @page.
 */
ssize_t iscsi_stats_show(struct iscsi_stats *st, char *page, ssize_t len)
{
	int i;

	for (i = 0; i < ISCSI_ST_NR; i++)
		len += sysfs_emit_at(page, len, "%s %ld\n",
				     iscsi_stat_names[i],
				     atomic_long_read(&st->v[i]));
	return len;
}

/**
 * iscsi_conn_stat() - count an event of a connection
 * @conn: the connection
 * @id: what happened
 *
 * Context: the rx thread or the limit work (may sleep).
 */
void iscsi_conn_stat(struct iscsi_conn *conn, enum iscsi_stat id)
{
	if (conn->itgt) {
		atomic_long_inc(&conn->itgt->stats.v[id]);
		return;
	}
	mutex_lock(&iscsi_mutex);
	if (conn->portal)
		atomic_long_inc(&conn->portal->stats.v[id]);
	mutex_unlock(&iscsi_mutex);
}

/**
 * iscsi_portal_admit() - count a new connection in its portal
 * @portal: where it was accepted
 * @conn: the connection
 *
 * Return: false (counted as refused) if the portal has max_connections
 * connections or max_logins logins in progress already.
 */
bool iscsi_portal_admit(struct iscsi_portal *portal, struct iscsi_conn *conn)
{
	bool ok;

	mutex_lock(&iscsi_mutex);
	ok = portal->nr_conns < portal->max_connections &&
	     portal->nr_logins < portal->max_logins;
	if (ok) {
		portal->nr_conns++;
		portal->nr_logins++;
		conn->in_login = true;
		conn->login_timeout = portal->login_timeout * HZ;
		conn->idle_timeout = portal->disc_idle_timeout * HZ;
		list_add_tail(&conn->entry, &iscsi_conns);
	} else {
		atomic_long_inc(&portal->stats.v[ISCSI_ST_CONNS_REFUSED]);
	}
	mutex_unlock(&iscsi_mutex);
	return ok;
}

/**
 * iscsi_tgt_admit() - count a login in its target
 * @itgt: the target, enabled
 * @conn: the connection
 *
 * Called with iscsi_mutex held.
 * Return: ISC_LS_SUCCESS, or ISC_LS_NO_RESOURCES (counted).
 */
u16 iscsi_tgt_admit(struct iscsi_tgt *itgt, struct iscsi_conn *conn)
{
	lockdep_assert_held(&iscsi_mutex);
	if (itgt->nr_sessions >= itgt->max_sessions ||
	    itgt->nr_logins >= itgt->max_logins) {
		atomic_long_inc(&itgt->stats.v[ISCSI_ST_LOGINS_REFUSED]);
		return ISC_LS_NO_RESOURCES;
	}
	itgt->nr_sessions++;
	itgt->nr_logins++;
	conn->tgt_login = true;
	conn->itgt = itgt;
	conn->queue_depth = itgt->queue_depth;
	conn->max_data = itgt->max_session_data;
	conn->max_tx_queue = itgt->max_tx_queue;
	return ISC_LS_SUCCESS;
}

/**
 * iscsi_limits_login_start() - arm the login deadline
 * @conn: the connection, about to run its login
 */
void iscsi_limits_login_start(struct iscsi_conn *conn)
{
	schedule_delayed_work(&conn->limit_work, conn->login_timeout);
}

/* The connection leaves the login phase: uncount it. */
static void iscsi_limits_login_done(struct iscsi_conn *conn)
{
	mutex_lock(&iscsi_mutex);
	if (conn->in_login && conn->portal)
		conn->portal->nr_logins--;
	conn->in_login = false;
	if (conn->tgt_login && conn->itgt)
		conn->itgt->nr_logins--;
	conn->tgt_login = false;
	mutex_unlock(&iscsi_mutex);
}

/**
 * iscsi_limits_login_end() - the login phase is over, successfully
 * @conn: the connection
 *
 * A discovery session starts its idle timer.
 */
void iscsi_limits_login_end(struct iscsi_conn *conn)
{
	cancel_delayed_work_sync(&conn->limit_work);
	iscsi_limits_login_done(conn);
	conn->last_tx = jiffies;
	if (iscsi_discovery(conn) && conn->idle_timeout)
		schedule_delayed_work(&conn->limit_work, conn->idle_timeout);
}

/**
 * iscsi_limits_conn_end() - the connection is being torn down
 * @conn: the connection
 */
void iscsi_limits_conn_end(struct iscsi_conn *conn)
{
	cancel_delayed_work_sync(&conn->limit_work);
	iscsi_limits_login_done(conn);
	if (conn->send_timeout)
		iscsi_conn_stat(conn, ISCSI_ST_SEND_TIMEOUTS);
	mutex_lock(&iscsi_mutex);
	if (conn->portal)
		conn->portal->nr_conns--;
	mutex_unlock(&iscsi_mutex);
}

static bool iscsi_tx_idle(struct iscsi_conn *conn)
{
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&conn->lock, flags);
	idle = list_empty(&conn->tx_list) && !conn->tx_bytes;
	spin_unlock_irqrestore(&conn->lock, flags);
	return idle;
}

/**
 * iscsi_limit_work() - the login deadline, then a discovery session's
 * idle timer
 * @work: conn->limit_work
 */
void iscsi_limit_work(struct work_struct *work)
{
	struct iscsi_conn *conn = container_of(to_delayed_work(work),
					       struct iscsi_conn, limit_work);
	unsigned long last, idle;

	if (READ_ONCE(conn->in_login)) {
		pr_info("%pISpc: login not done in %u s, dropping the connection\n",
			&conn->peer, conn->login_timeout / HZ);
		iscsi_conn_stat(conn, ISCSI_ST_LOGIN_TIMEOUTS);
		iscsi_conn_kill(conn);
		return;
	}
	last = READ_ONCE(conn->last_rx);
	if (time_after(READ_ONCE(conn->last_tx), last))
		last = READ_ONCE(conn->last_tx);
	idle = jiffies - last;
	if (!iscsi_tx_idle(conn)) {
		schedule_delayed_work(&conn->limit_work, conn->idle_timeout);
		return;
	}
	if (idle >= conn->idle_timeout) {
		pr_info("%pISpc: discovery session idle for %u s, closing it\n",
			&conn->peer, conn->idle_timeout / HZ);
		iscsi_conn_stat(conn, ISCSI_ST_IDLE_CLOSED);
		iscsi_conn_kill(conn);
		return;
	}
	schedule_delayed_work(&conn->limit_work,
			      max(conn->idle_timeout - idle, 1UL));
}

static bool iscsi_rx_may_go(struct iscsi_conn *conn)
{
	unsigned long flags;
	bool ok;

	if (READ_ONCE(conn->dead) || READ_ONCE(conn->killed))
		return true;
	spin_lock_irqsave(&conn->lock, flags);
	ok = conn->tx_bytes < conn->max_tx_queue &&
	     conn->core_bytes < conn->max_data;
	spin_unlock_irqrestore(&conn->lock, flags);
	return ok;
}

/**
 * iscsi_rx_throttle() - wait before reading the next PDU while the tx
 * queue or the data of the commands in the core is over its cap
 * @conn: the connection
 *
 * Both drain without the rx thread (the core completes commands, the tx
 * work sends or times out), so waiting here cannot deadlock; it stops
 * only this connection.
 *
 * Context: the rx thread.
 * Return: 0, or -ESHUTDOWN if the connection died meanwhile (-EINTR on
 * SIGKILL).
 */
int iscsi_rx_throttle(struct iscsi_conn *conn)
{
	if (iscsi_rx_may_go(conn))
		return 0;
	iscsi_conn_stat(conn, ISCSI_ST_RX_PAUSED);
	/* interruptible: only SIGKILL is allowed, and it ends the thread */
	if (wait_event_interruptible(conn->wq, iscsi_rx_may_go(conn)))
		return -EINTR;
	return READ_ONCE(conn->dead) || READ_ONCE(conn->killed) ?
	       -ESHUTDOWN : 0;
}
