/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private header of the SCST core (scst.ko).
 *
 * Locking rules
 * -------------
 * scst_cfg_mutex    serialises every configuration change: registration
 *                   of handlers and drivers, mkdir/rmdir/link of devices,
 *                   targets, LUNs, groups and initiators, session
 *                   registration and the matching of sessions to groups.
 *                   Never taken on the I/O path.
 * tgt->enable_mutex a target's `enabled` state; taken outside
 *                   scst_cfg_mutex, and held while the driver's
 *                   ->enable_target() and ->remove_target() run, which
 *                   register and unregister sessions.
 * dev->mutex        a device's attributes and its enable state; nests
 *                   inside scst_cfg_mutex.
 * sess->lock        (spinlock) the session's list of commands in flight
 *                   and its UNIT ATTENTION queue; every abort of one of
 *                   its commands (tmf.c) is made under it.
 * cmd->flags        atomic bit operations; ABORTED/ABORT_TAS (set by an
 *                   abort) and XMIT (set by scst_cmd_aborted() when the
 *                   response is committed) are set with cmpxchg on the
 *                   whole word, so exactly one of the two wins without
 *                   a lock on the response path.
 * dev->order.lock   (spinlock) task-attribute ordering of one device.
 *
 * The I/O path takes no mutex: it finds a LUN with rcu_read_lock(),
 * rcu_dereference(sess->acg) and xa_load(&acg->luns), and holds the
 * device with percpu_ref_tryget_live(&dev->io_ref) for the command's life.
 * Unmapping a LUN erases it from the xarray and clears lun->dev; LUNs,
 * groups and devices are freed only after an RCU grace period, so a
 * lookup never touches freed memory.  Disabling a device kills io_ref and
 * waits for the commands in flight.
 */
#ifndef _SCST_PRIV_H
#define _SCST_PRIV_H

#include <linux/configfs.h>
#include <linux/mutex.h>
#include <linux/percpu-refcount.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <linux/completion.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/sysfs.h>
#include <scsi/scsi_proto.h>

#include <scst/scst.h>
#include <scst_compat.h>
#include <scst_cdb.h>
#include <scst_sense.h>
#include <scst_sense_codes.h>
#include <scst_lun.h>
#include <uapi/scst_netlink.h>

#include "pr.h"

#define SCST_PATTERN_MAX	224

extern struct mutex scst_cfg_mutex;
extern struct workqueue_struct *scst_wq;
extern struct list_head scst_dev_list;		/* under scst_cfg_mutex */
extern struct list_head scst_sess_list;		/* RCU; scst_cfg_mutex */

/* --- I/O counters (stats.c) --- */

enum {
	SCST_STATS_READ,
	SCST_STATS_WRITE,
	SCST_STATS_OTHER,
	SCST_STATS_DIRS,
};

/*
 * Completion counters of a LUN, a session or a device; one copy per CPU
 * (alloc_percpu()), summed by scst_stats_read().  u64 only: the reader
 * adds them up as an array.
 */
struct scst_stats {
	u64	cmds;
	u64	read_bytes;
	u64	write_bytes;
	u64	errors;			/* CHECK CONDITION */
	u64	other_errors;		/* any other status but GOOD */
	u64	lat[SCST_STATS_DIRS][SCST_LAT_BUCKETS];
};

struct scst_stats __percpu *scst_stats_alloc(void);
void scst_stats_free(struct scst_stats __percpu *stats);
void scst_stats_read(struct scst_stats __percpu *stats,
		     struct scst_stats *sum);
void scst_stats_cmd_done(struct scst_cmd *cmd);
ssize_t scst_stats_show(struct scst_stats __percpu *stats, char *page);

/* --- devices (device.c) --- */

struct scst_order {
	spinlock_t		lock;
	unsigned int		running;	/* commands admitted, not done */
	bool			ordered_running;
	struct list_head	deferred;
};

struct scst_dev {
	struct scst_device	pub;
	struct config_group	group;
	struct mutex		mutex;
	bool			enabled;
	unsigned int		nr_luns;	/* LUNs linking to it */
	struct percpu_ref	io_ref;
	struct completion	io_drained;
	struct scst_order	order;
	struct scst_resv	resv;		/* reservations (pr.h) */
	struct list_head	entry;		/* scst_dev_list */
	struct scst_stats __percpu *stats;	/* stats.c */
	atomic64_t		io_errors;	/* MEDIUM/HARDWARE ERROR */
	/* device events for netlink (netlink.c), coalesced per kind */
	struct work_struct	event_work;
	unsigned long		event_pending;	/* SCST_DEV_EVENT_* bits */
	u32			last_err_lun;
	u8			last_err_sense[3];	/* key, ASC, ASCQ */
	struct rcu_head		rcu;
};

enum {
	SCST_DEV_EVENT_ERROR,
	SCST_DEV_EVENT_RESV,
};

static inline struct scst_dev *to_scst_dev(struct scst_device *d)
{
	return container_of(d, struct scst_dev, pub);
}

static inline struct scst_dev *item_to_dev(struct config_item *item)
{
	return container_of(to_config_group(item), struct scst_dev, group);
}

bool scst_item_is_dev(struct config_item *item);
int scst_handlers_init(struct config_group *parent);
void scst_handlers_exit(void);

/* --- targets, groups, LUNs (target.c, group.c, lun.c) --- */

struct scst_acg;
struct scst_tport;

struct scst_tgt {
	struct scst_tgt_template *tt;
	struct config_group	group;
	struct config_group	groups_group;
	struct mutex		enable_mutex;	/* outside scst_cfg_mutex */
	struct scst_acg		*def_acg;	/* the target's own luns/ */
	struct list_head	acgs;		/* named groups */
	struct list_head	sessions;
	struct list_head	entry;		/* scst_tgt_list */
	bool			enabled;
	struct config_group	ports_group;	/* ports/ */
	struct scst_tport	*port1;		/* ports/1, always there */
	struct list_head	tports;		/* scst_cfg_mutex */
	void			*priv;
};

static inline struct scst_tgt *item_to_tgt(struct config_item *item)
{
	return container_of(to_config_group(item), struct scst_tgt, group);
}

/* An initiator group: the default LUN set of a target or groups/<name>. */
struct scst_acg {
	struct scst_tgt		*tgt;
	struct config_group	group;		/* groups/<name> */
	struct config_group	initiators_group;
	struct config_group	luns_group;
	struct xarray		luns;		/* u16 -> struct scst_lun */
	struct list_head	initiators;
	struct list_head	entry;		/* tgt->acgs */
	struct rcu_head		rcu;
};

struct scst_initiator {
	struct config_group	group;
	struct scst_acg		*acg;
	struct list_head	entry;
	struct config_group	*drv_group;	/* ->make_initiator()'s */
	bool			wildcard;
};

/*
 * A LUN of a LUN set.  A command addressed through it holds ref from the
 * LUN lookup to scst_cmd_finished(), for its counters (stats); rmdir
 * kills ref, the last put frees the LUN after a grace period.
 */
struct scst_lun {
	struct config_group	group;
	struct scst_acg		*acg;
	struct scst_dev		*dev;		/* set while linked */
	u16			id;
	bool			read_only;
	bool			stale;		/* its device was unregistered */
	struct percpu_ref	ref;
	struct scst_stats __percpu *stats;	/* since mkdir */
	struct rcu_head		rcu;
};

int scst_targets_init(struct config_group *parent);
void scst_targets_exit(void);
struct scst_acg *scst_acg_create(struct scst_tgt *tgt, const char *name);
void scst_acg_destroy(struct scst_acg *acg);
extern const struct config_item_type scst_luns_type;
extern const struct config_item_type scst_groups_type;
void scst_acg_luns_changed(struct scst_acg *acg);
void scst_targets_unmap_dev(struct scst_dev *dev);
void scst_acg_unmap_dev(struct scst_acg *acg, struct scst_dev *dev);

/* --- target ports (tport.c) and ALUA port groups (alua.c) --- */

/*
 * An ALUA target port group, alua/port_groups/<name>/.  @state is
 * written under scst_cfg_mutex and read with READ_ONCE() on the I/O
 * path (through tport->alua, under rcu_read_lock()); freed after a
 * grace period.
 */
struct scst_alua_grp {
	struct config_group	group;
	u16			id;
	u8			state;		/* SCST_ALUA_* */
	bool			preferred;
	bool			by_stpg;	/* last change: SET TPG */
	struct list_head	ports;		/* scst_tport.alua_entry */
	struct list_head	entry;		/* scst_alua_grps */
	struct rcu_head		rcu;
};

/*
 * A target port (SAM-5): a target and a port group tag (iSCSI TPGT),
 * targets/<driver>/<target>/ports/<tpgt>/.  Sessions bind to one
 * (scst_sess_set_tpgt()) and hold a reference to its item.
 */
struct scst_tport {
	struct config_group	group;
	struct scst_tgt		*tgt;
	u16			tpgt;
	u16			rel_tgt_id;	/* scst_cfg_mutex */
	struct scst_alua_grp __rcu *alua;	/* NULL: active/optimized */
	struct list_head	entry;		/* tgt->tports */
	struct list_head	alua_entry;	/* alua->ports */
	struct scst_stats __percpu *stats;	/* since mkdir */
};

struct scst_tport *scst_tport_create(struct scst_tgt *tgt, u16 tpgt);
int scst_tports_init(struct scst_tgt *tgt);
struct scst_tport *scst_sess_tport(struct scst_session *sess);
void scst_tport_sess_gone(struct scst_session *sess);
bool scst_rel_tgt_id_used(u16 id);
u16 scst_rel_tgt_id_next(void);
u8 scst_tport_alua_state(struct scst_tport *tport);
void scst_for_each_tport(void (*fn)(struct scst_tport *tport, void *data),
			 void *data);

extern struct configfs_attribute scst_dev_attr_alua;
extern struct configfs_attribute scst_tport_attr_port_group;
int scst_alua_init(struct config_group *parent);
void scst_alua_tport_gone(struct scst_tport *tport);
bool scst_alua_cmd_refused(struct scst_cmd *cmd);
bool scst_alua_emulated(struct scst_cmd *cmd);
void scst_alua_exec(struct scst_cmd *cmd);

/* --- sessions (session.c) --- */

#define SCST_UA_LUN_BITS	(SCST_MAX_LUN + 1)

struct scst_session {
	struct scst_tgt		*tgt;
	struct scst_acg __rcu	*acg;
	char			*initiator;	/* for group matching */
	char			*port_name;	/* the nexus' initiator port */
	void			*drv_priv;
	struct percpu_ref	ref;
	struct completion	drained;
	spinlock_t		lock;
	struct list_head	cmds;		/* in flight */
	struct list_head	entry;		/* tgt->sessions */
	struct list_head	global_entry;	/* RCU list of all sessions */
	struct scst_stats __percpu *stats;	/* since registration */
	struct scst_tport	*tport;		/* NULL: tgt->port1 (tport.c) */
	/* UNIT ATTENTIONs (ua.c) */
	bool			ua_pending;
	unsigned long		*ua_reset;	/* POWER ON, RESET per LUN */
	unsigned long		*ua_luns_changed;
	struct list_head	ua_list;
};

void scst_sess_rematch(struct scst_tgt *tgt);
struct scst_initiator *scst_initiator_match(struct scst_tgt *tgt,
					     const char *name);
void scst_for_each_dev_nexus(struct scst_dev *dev,
			     void (*fn)(struct scst_session *sess, u16 lun,
					void *data),
			     void *data);

/* --- UNIT ATTENTION (ua.c) --- */

int scst_ua_init_sess(struct scst_session *sess);
void scst_ua_free_sess(struct scst_session *sess);
void scst_ua_luns_changed(struct scst_session *sess);
int scst_ua_add(struct scst_session *sess, u16 lun, u8 key, u8 asc, u8 ascq);
int scst_ua_add_locked(struct scst_session *sess, u16 lun, u8 key, u8 asc,
		       u8 ascq);
bool scst_ua_peek(struct scst_session *sess, u16 lun, u8 *key, u8 *asc,
		  u8 *ascq);
bool scst_ua_take(struct scst_session *sess, u16 lun, u8 *key, u8 *asc,
		  u8 *ascq);
void scst_ua_reset(struct scst_session *sess, u16 lun, u8 ascq);
void scst_ua_clear_luns_changed(struct scst_session *sess);
void scst_ua_dev_all(struct scst_dev *dev, struct scst_session *except,
		     u8 key, u8 asc, u8 ascq);

/* --- commands (cmd.c, order.c, spc.c, buf.c) --- */

enum {
	SCST_CMD_ABORTED,	/* task management ended it */
	SCST_CMD_CORE_BUF,	/* cmd->sg is the core's */
	SCST_CMD_BUF_LENT,	/* its pages were lent (scst_cmd_buf_lend()) */
	SCST_CMD_ADMITTED,	/* holds an ordering slot */
	SCST_CMD_DEV_REF,	/* holds dev->io_ref */
	SCST_CMD_ABORT_TAS,	/* aborted: still answer TASK ABORTED */
	SCST_CMD_XMIT,		/* the driver is sending the response */
	SCST_CMD_DEV_BUF,	/* cmd->sg is the handler's (->alloc_buf) */
};

void scst_cmd_exec(struct scst_cmd *cmd, bool in_task);
void scst_cmd_respond(struct scst_cmd *cmd);
void scst_tmf_cmd_done(struct scst_cmd *cmd);
void scst_tmf_qerr(struct scst_cmd *cmd);

bool scst_order_admit(struct scst_dev *dev, struct scst_cmd *cmd);
void scst_order_done(struct scst_dev *dev, struct scst_cmd *cmd);
bool scst_order_remove(struct scst_dev *dev, struct scst_cmd *cmd);

bool scst_spc_emulated(struct scst_cmd *cmd);
void scst_spc_exec(struct scst_cmd *cmd);

int scst_buf_alloc(struct scst_cmd *cmd, gfp_t gfp);
void scst_buf_free(struct scst_cmd *cmd);
int scst_buf_init(void);
void scst_buf_exit(void);
void scst_buf_stats(u64 *hits, u64 *misses);
u64 scst_buf_cached_bytes(void);
u64 scst_buf_cache_max(void);
u64 scst_buf_cache_limit(void);
int scst_buf_set_cache_max(u64 bytes);

/* --- configfs helpers (configfs.c) --- */

int scst_configfs_init(void);
void scst_configfs_exit(void);
int scst_parse_bool(const char *page, bool *val);
void scst_log_attr(struct config_item *item, const char *attr,
		   const char *fmt, ...) __printf(3, 4);

#endif /* _SCST_PRIV_H */
