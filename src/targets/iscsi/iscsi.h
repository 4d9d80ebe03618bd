/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_iscsi: an iSCSI target driver (RFC 7143) for SCST.
 *
 * Objects
 * -------
 * struct iscsi_tgt     one per targets/iscsi/<iqn>/ (scst_tgt_priv()); its
 *                      negotiation parameters and auth/ credentials.
 * struct iscsi_portal  one per drivers/iscsi/portals/<addr>:<port>/: a
 *                      listening socket and its accept thread.
 * struct iscsi_conn    one per accepted TCP connection: an rx thread
 *                      (login, then every received PDU, then teardown) and
 *                      a tx work item (the only writer of the socket once
 *                      the login is over).
 * struct iscsi_sess    one per logged-in session; MaxConnections is 1, so
 *                      a session has exactly one connection, which owns
 *                      it: the session ends when its connection ends.
 * struct iscsi_cmd     one per SCSI Command PDU; embeds the scst_cmd.
 * struct iscsi_pdu_out a control PDU waiting in a connection's tx queue.
 *
 * Locking rules
 * -------------
 * iscsi_mutex    protects the lists of targets, sessions and connections,
 *                every iscsi_tgt's parameters, enabled flag and
 *                credentials, the discovery credentials, and sess->conn.
 *                Order: the core's tgt->enable_mutex -> iscsi_mutex ->
 *                the core's scst_cfg_mutex (session registration).
 *                Never taken on the I/O path (->xmit_response() may run
 *                under scst_cfg_mutex).
 * conn->lock     (spinlock, irqsave: ->xmit_response() may run in any
 *                context) protects conn->tx_list, conn->tx_bytes,
 *                conn->cmds, conn->nr_cmds, conn->nr_busy,
 *                conn->core_bytes, conn->closing, and a command's
 *                abort_req, busy, core_bytes and its move to
 *                ISCSI_CMD_SENDING.
 * sess->sn_lock  (spinlock, irqsave) protects the CmdSN window.
 * Everything else of a connection belongs to its rx thread (the receive
 * state, cmds still receiving data, conn->rx_bytes) or to its tx work (StatSN, the send
 * state); a command moves from the first to the second when it is
 * submitted to the core.
 *
 * Lifetimes
 * ---------
 * A connection's rx thread holds a module reference until it exits; it
 * frees the connection (and its session) after every command has been
 * finished and the tx work has stopped.  A connection of a normal session
 * counts in itgt->nr_sessions from the login until it is freed, so that
 * disabling a target can wait for all of them.
 */
#ifndef _SCST_ISCSI_H
#define _SCST_ISCSI_H

#include <linux/configfs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/scatterlist.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <scst/scst.h>

#include "pdu.h"
#include "params.h"
#include "chap_fmt.h"
#include "login_sm.h"

#define ISCSI_NAME		"iscsi"
#define ISCSI_TPGT		1	/* a portal's default tpgt */
#define ISCSI_QUEUE_DEPTH	128
#define ISCSI_LOGIN_DSL		8192
#define ISCSI_NOP_IN_INTERVAL	30	/* seconds, default */
#define ISCSI_NOP_IN_TIMEOUT	30
#define ISCSI_SEND_TIMEOUT	(30 * HZ)
#define ISCSI_ZC_MIN		(32U << 10)	/* READs sent without a copy */

/* resource limits (limits.c): defaults */
#define ISCSI_MAX_SESSION_DATA	(64U << 20)	/* bytes */
#define ISCSI_MAX_TX_QUEUE	(8U << 20)	/* bytes */
#define ISCSI_TGT_MAX_SESSIONS	64
#define ISCSI_TGT_MAX_LOGINS	16
#define ISCSI_PORTAL_MAX_CONNS	256
#define ISCSI_PORTAL_MAX_LOGINS	32
#define ISCSI_LOGIN_TIMEOUT	15	/* seconds, whole login phase */
#define ISCSI_DISC_IDLE_TIMEOUT	60	/* seconds */

/* counters of a target or a portal, shown by their stats attribute */
enum iscsi_stat {
	ISCSI_ST_CMDSN_DROPPED,		/* non-immediate PDU outside window */
	ISCSI_ST_IMMEDIATE_REJECTED,	/* immediate command beyond depth */
	ISCSI_ST_DATA_DEFERRED,		/* WRITE waited for buffer budget */
	ISCSI_ST_TASK_SET_FULL,		/* answered TASK SET FULL */
	ISCSI_ST_RX_PAUSED,		/* rx waited for tx queue / data */
	ISCSI_ST_SEND_TIMEOUTS,		/* a send made no progress */
	ISCSI_ST_CONNS_REFUSED,		/* beyond max_connections */
	ISCSI_ST_LOGINS_REFUSED,	/* beyond max_logins/max_sessions */
	ISCSI_ST_LOGIN_TIMEOUTS,	/* login phase past login_timeout */
	ISCSI_ST_IDLE_CLOSED,		/* discovery session idled out */
	ISCSI_ST_NR
};

struct iscsi_stats {
	atomic_long_t		v[ISCSI_ST_NR];
};

#define ISCSI_AUTH_FAIL_DELAY_MS 1500	/* before an authentication reject */

struct iscsi_auth {
	struct config_group	group;
	struct isc_chap_cred	cred;	/* under iscsi_mutex */
	const char		*what;	/* for log lines */
	atomic_long_t		failed_logins;
};

struct iscsi_tgt {
	struct scst_tgt		*tgt;
	struct iscsi_auth	auth;
	struct isc_params	params;
	u32			nop_in_interval;
	u32			nop_in_timeout;
	/* limits, under iscsi_mutex; used by new logins */
	u32			queue_depth;
	u32			max_session_data;
	u32			max_tx_queue;
	u32			max_sessions;
	u32			max_logins;
	bool			enabled;
	struct list_head	entry;		/* iscsi_tgts */
	struct list_head	sessions;
	unsigned int		nr_sessions;	/* incl. logins in progress */
	unsigned int		nr_logins;	/* logins in progress */
	struct iscsi_stats	stats;
};

struct iscsi_portal {
	struct config_group	group;
	struct sockaddr_storage	addr;
	struct socket		*sock;
	struct task_struct	*thread;
	struct list_head	entry;		/* iscsi_portals */
	/* limits and counts, under iscsi_mutex */
	u32			max_connections;
	u32			max_logins;
	u32			login_timeout;		/* seconds */
	u32			disc_idle_timeout;	/* seconds */
	u32			tpgt;		/* target portal group tag */
	unsigned int		nr_conns;
	unsigned int		nr_logins;
	struct iscsi_stats	stats;
};

struct iscsi_sess {
	struct iscsi_tgt	*itgt;		/* NULL: discovery session */
	struct scst_session	*scst_sess;
	struct iscsi_conn	*conn;
	char			initiator[ISC_NAME_MAX + 1];
	u8			isid[6];
	u16			tsih;
	u16			tpgt;		/* of the portal it came in at */
	struct isc_params	params;
	spinlock_t		sn_lock;
	u32			exp_cmd_sn;
	u32			max_cmd_sn;
	struct list_head	entry;		/* iscsi_sessions */
};

enum iscsi_tx_kind {
	ISCSI_TX_PDU,
	ISCSI_TX_CMD,
};

struct iscsi_txent {
	struct list_head	entry;		/* conn->tx_list */
	enum iscsi_tx_kind	kind;
	u32			bytes;		/* counted in conn->tx_bytes */
};

/* iscsi_send_pdu_sg() flags */
#define ISCSI_SEND_ZC		BIT(0)	/* lend the pages, no copy */
#define ISCSI_SEND_MORE		BIT(1)	/* another PDU follows at once */

/* iscsi_pdu_out flags */
#define ISCSI_PDU_STATSN	BIT(0)	/* takes a StatSN */
#define ISCSI_PDU_CLOSE		BIT(1)	/* close the connection once sent */
#define ISCSI_PDU_NO_SN		BIT(2)	/* fields 24..35 are set already */

struct iscsi_pdu_out {
	struct iscsi_txent	tx;
	u8			bhs[ISC_BHS_LEN];
	unsigned int		flags;
	u32			dlen;
	u8			data[];
};

enum iscsi_cmd_state {
	ISCSI_CMD_RX_DATA,	/* waiting for WRITE data; the rx thread's */
	ISCSI_CMD_SUBMITTED,	/* the core's */
	ISCSI_CMD_RESPONDING,	/* in the tx queue */
	ISCSI_CMD_SENDING,	/* its response is going out */
};

struct iscsi_cmd {
	struct scst_cmd		scmd;
	struct iscsi_txent	tx;
	struct iscsi_conn	*conn;
	struct list_head	entry;		/* conn->cmds */
	enum iscsi_cmd_state	state;
	u8			lun[8];
	u8			cdb[SCST_MAX_CDB_SIZE];
	unsigned int		cdb_len;
	u8			attr;
	bool			read;
	bool			write;
	bool			abort_req;	/* ABORT TASK: no response */
	bool			busy;		/* counted in conn->nr_busy */
	bool			deferred;	/* WRITE waiting for budget */
	u32			rx_bytes;	/* counted in conn->rx_bytes */
	u32			core_bytes;	/* counted in conn->core_bytes */
	u32			itt;
	u32			edtl;
	u32			cmd_sn;
	/*
	 * WRITE data, received before the command is submitted: its first
	 * wlen bytes into scmd.sg (scst_cmd_prepare()), the rest dropped
	 */
	u32			wlen;
	u32			wrecv;		/* bytes received, in order */
	u32			unsol_end;	/* end of unsolicited data */
	u32			r2t_next;	/* next offset to ask for */
	u32			r2t_out;	/* outstanding R2Ts */
	u32			r2t_sn;
	u32			ttt;
	u32			rx_data_sn;	/* next DataSN expected */
	u32			data_sn;	/* next Data-In DataSN */
};

struct iscsi_conn {
	struct socket		*sock;
	struct sockaddr_storage	local;
	struct sockaddr_storage	peer;
	struct iscsi_portal	*portal;	/* NULL once it went away */
	u16			tpgt;		/* the portal's, at accept */
	struct iscsi_sess	*sess;
	struct iscsi_tgt	*itgt;		/* counted in nr_sessions */
	u16			cid;
	bool			hdr_digest;
	bool			data_digest;
	u32			max_recv_dsl;	/* ours */
	u32			max_xmit_dsl;	/* the initiator's */
	u32			nop_in_interval;	/* jiffies, 0 = off */
	u32			nop_in_timeout;

	/* limits, fixed at the login */
	u32			queue_depth;
	u32			max_data;	/* bytes, see limits.c */
	u32			max_tx_queue;	/* bytes */
	u32			login_timeout;	/* jiffies */
	u32			idle_timeout;	/* jiffies, discovery */
	bool			in_login;	/* counted in portal nr_logins */
	bool			tgt_login;	/* counted in itgt nr_logins */
	bool			send_timeout;	/* a send made no progress */
	struct delayed_work	limit_work;	/* login deadline, idle */
	unsigned long		last_tx;

	spinlock_t		lock;
	struct list_head	tx_list;
	u32			tx_bytes;
	struct list_head	cmds;
	unsigned int		nr_cmds;
	unsigned int		nr_busy;	/* in the CmdSN window */
	u32			core_bytes;	/* data of submitted commands */
	bool			closing;	/* nothing may be queued */
	bool			dead;		/* nothing is sent any more */
	bool			killed;		/* iscsi_conn_kill() */
	wait_queue_head_t	wq;

	struct work_struct	tx_work;
	/* tx work */
	u32			stat_sn;
	struct bio_vec		*tx_bvec;	/* a Data-In PDU's pages */
	unsigned int		tx_bvec_n;
	bool			tx_more;	/* more is queued after this */
	bool			tx_held;	/* MSG_MORE held data back */
	struct delayed_work	nop_work;
	unsigned long		last_rx;
	u32			next_ttt;

	/* rx thread */
	u8			bhs[ISC_BHS_LEN];
	u8			ahs[ISC_MAX_AHS_LEN];
	struct isc_bhs		h;
	u8			*rx_buf;	/* max_recv_dsl bytes */
	struct bio_vec		*rx_bvec;	/* receiving into pages */
	unsigned int		rx_bvec_n;
	u32			exp_stat_sn;
	u32			rx_bytes;	/* buffers waiting for Data-Out */
	char			*text_rsp;	/* a Text Response in parts */
	u32			text_len;
	u32			text_off;
	u32			text_ttt;
	bool			logout;

	struct list_head	entry;		/* iscsi_conns */
};

static inline struct iscsi_cmd *to_iscsi_cmd(struct scst_cmd *scmd)
{
	return container_of(scmd, struct iscsi_cmd, scmd);
}

static inline struct iscsi_tgt *to_iscsi_tgt(struct scst_tgt *tgt)
{
	return scst_tgt_priv(tgt);
}

static inline struct iscsi_auth *to_iscsi_auth(struct config_item *item)
{
	return container_of(to_config_group(item), struct iscsi_auth, group);
}

static inline struct iscsi_portal *to_iscsi_portal(struct config_item *item)
{
	return container_of(to_config_group(item), struct iscsi_portal, group);
}

static inline bool iscsi_discovery(struct iscsi_conn *conn)
{
	return !conn->sess || !conn->sess->itgt;
}

/* main.c */
extern struct mutex iscsi_mutex;
extern struct list_head iscsi_tgts;
extern struct list_head iscsi_conns;
extern wait_queue_head_t iscsi_wq;
extern struct workqueue_struct *iscsi_tx_wq;
extern struct iscsi_auth iscsi_discovery_auth;
extern struct isc_params iscsi_discovery_params;

/* configfs.c */
extern struct configfs_attribute *iscsi_tgt_attrs[];
extern struct configfs_attribute *iscsi_auth_attrs[];
extern struct config_group *iscsi_drv_groups[];
int iscsi_add_target(struct scst_tgt *tgt);
void iscsi_remove_target(struct scst_tgt *tgt);
int iscsi_enable_target(struct scst_tgt *tgt, bool enable);
void iscsi_configfs_init(void);

/* portal.c */
struct iscsi_portal *iscsi_portal_create(const char *name);
void iscsi_portal_destroy(struct iscsi_portal *portal);

/* conn.c */
void iscsi_conn_start(struct iscsi_portal *portal, struct socket *sock);
void iscsi_conn_kill(struct iscsi_conn *conn);
int iscsi_conn_send(struct iscsi_conn *conn, struct kvec *iov, int n);
int iscsi_send_pdu_buf(struct iscsi_conn *conn, u8 *bhs, const void *data,
		       u32 dlen, bool more);
int iscsi_send_pdu_sg(struct iscsi_conn *conn, u8 *bhs,
		      struct scatterlist *sg, u32 off, u32 len, unsigned int flags);
int iscsi_conn_recv(struct iscsi_conn *conn, void *buf, size_t len);
int iscsi_rx_data(struct iscsi_conn *conn, void *dst, u32 len);
int iscsi_rx_data_sg(struct iscsi_conn *conn, struct scatterlist *sg,
		     u32 off, u32 len);
struct iscsi_pdu_out *iscsi_pdu_alloc(u32 dlen, gfp_t gfp);
void iscsi_pdu_queue(struct iscsi_conn *conn, struct iscsi_pdu_out *pdu);
void iscsi_cmd_queue(struct iscsi_conn *conn, struct iscsi_cmd *cmd);
void iscsi_tx_work(struct work_struct *work);
void iscsi_send_reject(struct iscsi_conn *conn, u8 reason);
void iscsi_fill_sn(struct iscsi_conn *conn, u8 *bhs, bool take_stat_sn);

/* session.c */
bool iscsi_cmdsn_check(struct iscsi_conn *conn);
bool iscsi_cmd_window_room(struct iscsi_conn *conn);
void iscsi_sn_fields(struct iscsi_conn *conn, u8 *bhs);
int iscsi_sess_attach(struct iscsi_conn *conn, struct isc_neg *neg,
		      const u8 *isid, u16 tsih, u32 cmd_sn);
void iscsi_sess_detach(struct iscsi_conn *conn);
int iscsi_rx_logout(struct iscsi_conn *conn);
void iscsi_tgt_kill_sessions(struct iscsi_tgt *itgt);

/* login.c */
int iscsi_login(struct iscsi_conn *conn);

/* auth.c */
struct config_group *iscsi_make_initiator(struct scst_tgt *tgt,
					  const char *group,
					  const char *initiator);
struct iscsi_auth *iscsi_auth_initiator(struct iscsi_tgt *itgt,
					const char *initiator);
void iscsi_auth_put(struct iscsi_auth *auth);
int iscsi_auth_creds(struct iscsi_auth *tgt, struct iscsi_auth *ini,
		     struct isc_chap_cred *cred, bool *ini_used,
		     char *why, size_t why_len);

/* chap.c */
int iscsi_chap_hash(void *ctx, int alg, u8 id, const u8 *secret,
		    size_t secret_len, const u8 *chal, size_t chal_len,
		    u8 *out);
void iscsi_chap_random(void *ctx, void *buf, size_t len);

/* discovery.c */
int iscsi_rx_text(struct iscsi_conn *conn);

/* cmd.c */
int iscsi_rx_scsi_cmd(struct iscsi_conn *conn);
int iscsi_rx_data_out(struct iscsi_conn *conn);
int iscsi_rdy_to_xfer(struct scst_cmd *scmd);
void iscsi_xmit_response(struct scst_cmd *scmd);
int iscsi_tx_cmd(struct iscsi_conn *conn, struct iscsi_cmd *cmd);
void iscsi_cmd_free(struct iscsi_cmd *cmd);
struct iscsi_cmd *iscsi_cmd_find_rx(struct iscsi_conn *conn, u32 itt);
int iscsi_cmd_claim(struct iscsi_conn *conn, u32 itt, const u8 *lun);
void iscsi_cmds_drop_rx(struct iscsi_conn *conn, const u8 *lun);
int iscsi_cmd_init(void);
void iscsi_cmd_exit(void);


/* tmf.c */
int iscsi_rx_tmf(struct iscsi_conn *conn);

/* nop.c */
int iscsi_rx_nop_out(struct iscsi_conn *conn);
void iscsi_nop_work(struct work_struct *work);
void iscsi_send_async_drop(struct iscsi_conn *conn);

/* limits.c */
extern const char *const iscsi_stat_names[ISCSI_ST_NR];
void iscsi_stats_init(struct iscsi_stats *st);
ssize_t iscsi_stats_show(struct iscsi_stats *st, char *page, ssize_t len);
void iscsi_conn_stat(struct iscsi_conn *conn, enum iscsi_stat id);
bool iscsi_portal_admit(struct iscsi_portal *portal, struct iscsi_conn *conn);
void iscsi_limits_login_start(struct iscsi_conn *conn);
void iscsi_limits_login_end(struct iscsi_conn *conn);
void iscsi_limits_conn_end(struct iscsi_conn *conn);
u16 iscsi_tgt_admit(struct iscsi_tgt *itgt, struct iscsi_conn *conn);
void iscsi_limit_work(struct work_struct *work);
int iscsi_rx_throttle(struct iscsi_conn *conn);

/* digest.c */
u32 iscsi_crc(const void *buf, size_t len, u32 crc);
u32 iscsi_crc_sg(struct scatterlist *sg, u32 off, u32 len, u32 crc);
void iscsi_crc_put(u32 crc, u8 *out);
bool iscsi_crc_check(u32 crc, const u8 *wire);

#endif /* _SCST_ISCSI_H */
