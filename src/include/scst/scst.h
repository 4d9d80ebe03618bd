/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SCST public interface for target drivers and device handlers.
 *
 * A target driver receives SCSI commands from a transport (a local SCSI
 * host, iSCSI, ...) and hands them to the core.  A device handler executes
 * commands against a backing store.  The core sits in between: it owns the
 * configfs tree, maps initiators to LUNs, keeps UNIT ATTENTIONs, orders
 * tasks and emulates the LUN-independent part of SPC.
 *
 * Command life cycle, as seen by a target driver:
 *
 *   scst_cmd_init()           fill the command (embedded in the driver's own
 *                             per-command structure: no allocation by the
 *                             core); it zeroes the structure, so set
 *                             cmd->tgt_priv after it
 *   scst_cmd_set_tgt_sg()     optional: the driver owns the data buffer;
 *                             only for memory of the initiator itself
 *                             (what a READ leaves unwritten, the initiator
 *                             had already: scst_cmd_buf_is_initiators())
 *   scst_cmd_prepare()        optional, task context: LUN, CDB and checks
 *                             now, and for a WRITE the data buffer
 *                             (cmd->sg) to receive the data into before
 *                             scst_cmd_submit() (no ->rdy_to_xfer())
 *   scst_cmd_submit()         any context, never sleeps
 *   ->rdy_to_xfer(cmd)        WRITE with a core-allocated buffer: fetch the
 *                             data into cmd->sg, then call scst_cmd_rx_done()
 *   ->xmit_response(cmd)      send cmd->resp_len bytes of cmd->sg (READ),
 *                             the status and the sense; called exactly once
 *                             per submitted command, also for aborted ones
 *                             (scst_cmd_aborted() tells); may be called in
 *                             atomic context
 *   scst_cmd_finished()       the driver is done with the buffers; the core
 *                             drops its references, the memory is the driver's
 *
 * Device handler:
 *
 *   ->exec(cmd)               called in process context if the handler sets
 *                             SCST_HANDLER_EXEC_SLEEPS, else possibly in the
 *                             submitter's atomic context; the handler sets
 *                             the status (scst_cmd_set_sense() etc.) and
 *                             calls scst_cmd_complete() once, from any context
 */
#ifndef _SCST_SCST_H
#define _SCST_SCST_H

#include <linux/types.h>
#include <linux/configfs.h>
#include <linux/scatterlist.h>
#include <linux/workqueue.h>
#include <linux/list.h>

#include <scst_cdb.h>

#define SCST_MAX_CDB_SIZE	32
#define SCST_SENSE_BUFFERSIZE	96
#define SCST_MAX_LUN		16383
#define SCST_NAME_MAX		64
/* Largest data transfer of one command; the Block Limits VPD reports it. */
#define SCST_MAX_IO_BYTES	(8U << 20)

/* SAM-5 status codes */
#define SCST_STATUS_GOOD			0x00
#define SCST_STATUS_CHECK_CONDITION		0x02
#define SCST_STATUS_BUSY			0x08
#define SCST_STATUS_RESERVATION_CONFLICT	0x18
#define SCST_STATUS_TASK_SET_FULL		0x28
#define SCST_STATUS_TASK_ABORTED		0x40

enum scst_task_attr {
	SCST_TASK_SIMPLE,
	SCST_TASK_ORDERED,
	SCST_TASK_HEAD_OF_QUEUE,
	SCST_TASK_ACA,
};

struct scst_session;
struct scst_lun;
struct scst_tgt;
struct scst_device;
struct scst_dev_handler;
struct scst_tgt_template;

/**
 * struct scst_cmd - one SCSI command
 *
 * Fields marked (driver) are set through scst_cmd_init() and may be read by
 * anyone; (core) fields are valid from the time the handler sees the
 * command; (result) fields are set by whoever completes the command.
 */
struct scst_cmd {
	/* (driver) */
	struct scst_session	*sess;
	u8			cdb[SCST_MAX_CDB_SIZE];
	u8			cdb_len;
	u8			lun_raw[8];
	enum scst_task_attr	task_attr;
	u64			tag;
	enum scst_data_dir	expected_dir;
	u32			expected_len;
	void			*tgt_priv;

	/* data buffer: the driver's (scst_cmd_set_tgt_sg) or the core's */
	struct scatterlist	*sg;
	unsigned int		sg_cnt;
	u32			buf_len;

	/* (core) */
	struct scst_device	*dev;
	u16			lun;
	bool			lun_read_only;
	struct scst_cdb_info	ci;
	enum scst_data_dir	dir;	/* from the CDB */
	/*
	 * spdtl: bytes the CDB asks to move; data_len: bytes to move, which
	 * is spdtl but for a WRITE trimmed to a shorter expected_len
	 */
	u32			spdtl;
	u32			data_len;
	void			*dev_priv;	/* free for the handler */

	/* (result) */
	u8			status;
	u8			sense_len;
	u32			resp_len;	/* bytes of data to return */
	u8			sense[SCST_SENSE_BUFFERSIZE];

	/* private to the core */
	unsigned long		flags;
	struct list_head	list;		/* session's commands */
	struct list_head	order_entry;	/* deferred by task attribute */
	struct work_struct	work;
	void			*buf;
	void			*abort_tmf;
	u8			pdt;	/* LUN without an enabled device */
	u8			prep;	/* scst_cmd_prepare()'s outcome */
	struct scatterlist	*tgt_sg;	/* driver's buffer, if bounced */
	unsigned int		tgt_sg_cnt;
	u32			tgt_buf_len;
	struct scst_lun		*lun_ref;	/* LUN held, for its counters */
	u64			start_ns;	/* ktime_get_ns() at init */
};

/**
 * struct scst_tgt_template - a target driver
 * @name:          directory name under targets/
 * @owner:         THIS_MODULE
 * @tgt_attrs:     extra attributes of targets/<name>/<target>/, or NULL
 * @drv_groups:    NULL-terminated array of driver-wide groups, or NULL; the
 *                 core creates drivers/<name>/ and makes them its default
 *                 groups (the driver initializes them with its own types)
 * @add_target:    optional; called after mkdir of a target, may refuse it
 * @remove_target: optional; called before the target goes away, after all
 *                 its sessions were unregistered by the driver
 * @enable_target: optional; the `enabled` attribute changed
 * @make_initiator: optional; mkdir of groups/<group>/initiators/<name>
 *                 of one of the driver's targets: may return a group of
 *                 the driver (e.g. "auth") that the core makes a default
 *                 group of the entry, NULL for none, or an ERR_PTR() to
 *                 refuse the mkdir.  The core owns the group's initial
 *                 reference and drops it when the entry is released;
 *                 scst_initiator_drv_group() finds it.
 * @rdy_to_xfer:   fetch WRITE data into cmd->sg, then scst_cmd_rx_done()
 * @xmit_response: send data, status and sense; then scst_cmd_finished()
 * @tmf_done:      optional; an asynchronous task-management request ended
 * @reports_overflow: the transport reports a residual overflow to the
 *                 initiator (iSCSI): a WRITE whose CDB asks for more than
 *                 the command's expected_len is carried out for the whole
 *                 blocks of expected_len (else it is refused as before)
 * @submit_in_task: scst_cmd_submit() is always called in task context
 *                 with no spinlock or RCU read lock held: it may be
 *                 rescheduled, but must not wait for I/O; handlers may
 *                 then start I/O right there (->exec_nowait())
 */
struct scst_tgt_template {
	const char		*name;
	struct module		*owner;
	struct configfs_attribute **tgt_attrs;
	struct config_group	**drv_groups;

	int	(*add_target)(struct scst_tgt *tgt);
	void	(*remove_target)(struct scst_tgt *tgt);
	int	(*enable_target)(struct scst_tgt *tgt, bool enable);
	struct config_group *(*make_initiator)(struct scst_tgt *tgt,
					       const char *group,
					       const char *initiator);
	int	(*rdy_to_xfer)(struct scst_cmd *cmd);
	void	(*xmit_response)(struct scst_cmd *cmd);

	bool	reports_overflow;
	bool	submit_in_task;

	/* private to the core */
	struct config_group	group;
	struct config_group	drv_group;	/* drivers/<name>/ */
	struct config_item_type	tgt_type;
	struct configfs_attribute **all_attrs;
	struct list_head	entry;
};

/* Handler flags */
#define SCST_HANDLER_EXEC_SLEEPS	BIT(0)	/* ->exec() must run in process context */
/*
 * Pass-through: commands the command table does not know for the
 * handler's type reach ->exec() with the direction and length the
 * transport announced (see scst_cdb_decode_pt()).
 */
#define SCST_HANDLER_PASSTHROUGH	BIT(1)

/**
 * struct scst_dev_handler - a device handler
 * @name:      directory name under handlers/
 * @owner:     THIS_MODULE
 * @type:      SCSI peripheral device type of its devices
 * @flags:     SCST_HANDLER_*
 * @dev_attrs: attributes of handlers/<name>/<device>/ besides `enable`
 * @alloc:     mkdir of a device: allocate the handler's state (keep it
 *             in dev->priv); may refuse the name
 * @free:      the device is going away (always disabled first)
 * @enable:    open the backing store; set dev->block_shift and
 *             dev->nr_blocks
 * @disable:   close it; no command is in flight any more
 * @exec:      execute a command (see the top of this file)
 * @exec_nowait: optional, for SCST_HANDLER_EXEC_SLEEPS handlers; called
 *             instead of queueing the command to a thread when the
 *             submitter may not sleep: start it without sleeping (it
 *             then completes as after ->exec()) and return true, or
 *             return false, having changed nothing, and ->exec() runs in
 *             process context.  Saves a context switch per command.
 * @abort:     optional; task management aborted a command that ->exec()
 *             may hold: end it early if the backing store allows (it is
 *             still completed once with scst_cmd_complete()); may be
 *             called before ->exec() or after completion, and in atomic
 *             context
 * @reset:     optional; a LOGICAL UNIT RESET or TARGET RESET reset the
 *             logical unit (SAM-5 6.3.3): drop the state a reset clears,
 *             such as the prevention of medium removal; called after the
 *             aborted commands ended, in process context under
 *             rcu_read_lock() (must not sleep)
 * @supports:  optional; true if ->exec() carries out the command @opcode
 *             (with service action @sa, 0 for opcodes without one) for
 *             @dev, false if it would answer INVALID COMMAND OPERATION
 *             CODE.  @usage holds the command table's CDB usage data for
 *             it (the bits the core's decoding lets through); the handler
 *             clears those it refuses with INVALID FIELD IN CDB whenever
 *             they are set.  With ->supports() the core answers REPORT
 *             SUPPORTED OPERATION CODES for the handler's devices: the
 *             table rows this returns true for, plus the commands the
 *             core carries out itself.  Without it that command reaches
 *             ->exec() (pass-through).  Called on an enabled device, in
 *             process context; must not sleep
 * @alloc_buf: optional; give @cmd, a command with cmd->data_len bytes to
 *             move that will be handed to ->exec() (not one the core
 *             answers itself), the handler's own data buffer instead of
 *             one from the core's cache, so that ->exec() need not copy:
 *             set cmd->sg, cmd->sg_cnt and cmd->buf_len (at least
 *             cmd->data_len) and return 0; ->free_buf() is then called
 *             once, from scst_cmd_finished().  Return -EAGAIN when no
 *             buffer is available now (the core's buffer is used and
 *             ->exec() gets the command as without this callback); any
 *             other negative errno is treated as a failed allocation of
 *             the core's buffer.  The command may still end without
 *             reaching ->exec() (aborted, reservation conflict, failed
 *             transfer).  Called from scst_cmd_submit() (any context,
 *             @gfp GFP_NOWAIT) or from a work item (@gfp GFP_KERNEL);
 *             should not allocate (it runs once per command) and must
 *             not sleep
 * @free_buf:  optional, required with @alloc_buf; the target driver is
 *             done with the buffer ->alloc_buf() gave @cmd.  Called
 *             from scst_cmd_finished(), in any context, before the
 *             command drops its reference to the device (so disabling
 *             or removing the device waits for it)
 */
struct scst_dev_handler {
	const char		*name;
	struct module		*owner;
	u8			type;
	unsigned long		flags;
	struct configfs_attribute **dev_attrs;

	int	(*alloc)(struct scst_device *dev);
	void	(*free)(struct scst_device *dev);
	int	(*enable)(struct scst_device *dev);
	void	(*disable)(struct scst_device *dev);
	void	(*exec)(struct scst_cmd *cmd);
	bool	(*exec_nowait)(struct scst_cmd *cmd);
	void	(*abort)(struct scst_cmd *cmd);
	void	(*reset)(struct scst_device *dev);
	bool	(*supports)(struct scst_device *dev, u8 opcode, u16 sa,
			    u8 *usage);
	int	(*alloc_buf)(struct scst_cmd *cmd, gfp_t gfp);
	void	(*free_buf)(struct scst_cmd *cmd);

	/* private to the core */
	struct config_group	group;
	struct config_item_type	dev_type;
	struct configfs_attribute **all_attrs;
	struct list_head	entry;
};

/**
 * struct scst_device - a device declared under handlers/<handler>/
 *
 * The handler sets @block_shift and @nr_blocks in ->enable() and whenever
 * the capacity changes (then scst_dev_capacity_changed()); @d_sense
 * follows the D_SENSE bit of the control mode page; @no_medium is set
 * while a removable medium is out, and the core then answers commands
 * that need one with NOT READY, MEDIUM NOT PRESENT.  @tas and @qerr are
 * the TAS bit and the QERR field of the control mode page (SPC-4
 * 7.5.8), read by the core's task management (SCST_QERR_*); the handler
 * owns them (MODE SELECT, configfs), the core reads them with READ_ONCE().
 * @tpgs is the TPGS field of the standard INQUIRY data (SCST_TPGS_*
 * bits, 0 = no ALUA), the core's `alua` attribute; handlers read it.
 */
struct scst_device {
	const char		*name;
	struct scst_dev_handler	*handler;
	unsigned int		block_shift;
	u64			nr_blocks;
	bool			read_only;
	bool			d_sense;
	bool			no_medium;
	bool			tas;
	u8			qerr;
	u8			tpgs;
	void			*priv;
};

/* QERR field of the control mode page; 10b is reserved */
#define SCST_QERR_NONE		0x0	/* CHECK CONDITION aborts nothing */
#define SCST_QERR_ALL		0x1	/* ... every command of the task set */
#define SCST_QERR_NEXUS		0x3	/* ... those of the same I_T nexus */

int scst_register_target_driver(struct scst_tgt_template *tt);
void scst_unregister_target_driver(struct scst_tgt_template *tt);
int scst_register_dev_handler(struct scst_dev_handler *h);
void scst_unregister_dev_handler(struct scst_dev_handler *h);

/* devices, for handlers */
struct scst_device *scst_dev_register(struct scst_dev_handler *h,
				      const char *name, void *priv);
void scst_dev_unregister(struct scst_device *dev);
struct scst_device *scst_dev_from_item(struct config_item *item);
int scst_dev_attr_lock(struct scst_device *dev, const char *attr,
		       bool creation);
void scst_dev_attr_unlock(struct scst_device *dev);
bool scst_dev_enabled(struct scst_device *dev);
void scst_dev_capacity_changed(struct scst_device *dev);
void scst_dev_ua_all(struct scst_device *dev, u8 key, u8 asc, u8 ascq);
void scst_cmd_ua_others(struct scst_cmd *cmd, u8 key, u8 asc, u8 ascq);
const char *scst_dev_name(struct scst_device *dev);
u32 scst_get_setup_id(void);
u16 scst_cmd_rel_tgt_id(struct scst_cmd *cmd);
u16 scst_cmd_tpg_id(struct scst_cmd *cmd);
const char *scst_cmd_tgt_name(struct scst_cmd *cmd);

/* targets and sessions, for drivers */
struct scst_tgt *scst_tgt_from_item(struct config_item *item);
struct config_group *scst_tgt_group(struct scst_tgt *tgt);
const char *scst_tgt_name(struct scst_tgt *tgt);
void *scst_tgt_priv(struct scst_tgt *tgt);
void scst_tgt_set_priv(struct scst_tgt *tgt, void *priv);
bool scst_tgt_enabled(struct scst_tgt *tgt);
bool scst_tgt_visible(struct scst_tgt *tgt, const char *initiator);
struct config_group *scst_initiator_drv_group(struct scst_tgt *tgt,
					      const char *initiator);

struct scst_session *scst_register_session(struct scst_tgt *tgt,
					   const char *initiator,
					   void *drv_priv);
struct scst_session *scst_register_session_port(struct scst_tgt *tgt,
						const char *initiator,
						const char *port_name,
						void *drv_priv);
void scst_unregister_session(struct scst_session *sess);
void *scst_sess_priv(struct scst_session *sess);
const char *scst_sess_initiator(struct scst_session *sess);
const char *scst_sess_port_name(struct scst_session *sess);
u16 scst_sess_rel_tgt_id(struct scst_session *sess);
bool scst_tgt_has_tpgt(struct scst_tgt *tgt, u16 tpgt);
int scst_sess_set_tpgt(struct scst_session *sess, u16 tpgt);
ssize_t scst_sess_stats_show(struct scst_session *sess, char *page);

/* commands, for drivers */
void scst_cmd_init(struct scst_cmd *cmd, struct scst_session *sess,
		   const u8 *lun, const u8 *cdb, unsigned int cdb_len,
		   enum scst_task_attr attr, u64 tag,
		   enum scst_data_dir dir, u32 expected_len);
void scst_cmd_set_tgt_sg(struct scst_cmd *cmd, struct scatterlist *sg,
			 unsigned int sg_cnt, u32 len);
/* scst_cmd_prepare(): no buffer, receive the data into nothing */
#define SCST_PREP_NO_BUF	1
int scst_cmd_prepare(struct scst_cmd *cmd);
void scst_cmd_submit(struct scst_cmd *cmd);
void scst_cmd_rx_done(struct scst_cmd *cmd, bool ok);
void scst_cmd_finished(struct scst_cmd *cmd);
bool scst_cmd_aborted(struct scst_cmd *cmd);
bool scst_cmd_abort_pending(struct scst_cmd *cmd);

/* results, for handlers and the core */
void scst_cmd_set_sense(struct scst_cmd *cmd, u8 key, u8 asc, u8 ascq);
void scst_cmd_set_invalid_field(struct scst_cmd *cmd, bool in_cdb,
				u16 byte, int bit);
void scst_cmd_set_status(struct scst_cmd *cmd, u8 status);
void scst_cmd_complete(struct scst_cmd *cmd);
bool scst_cmd_buf_is_initiators(const struct scst_cmd *cmd);
bool scst_cmd_buf_lend(struct scst_cmd *cmd);
int scst_cmd_copy_to_buf(struct scst_cmd *cmd, const void *buf,
			 unsigned int len);
int scst_cmd_copy_from_buf(struct scst_cmd *cmd, void *buf,
			   unsigned int len);

/* task management */
enum scst_tmf {
	SCST_TMF_ABORT_TASK,
	SCST_TMF_ABORT_TASK_SET,
	SCST_TMF_CLEAR_TASK_SET,
	SCST_TMF_LUN_RESET,
	SCST_TMF_TARGET_RESET,
	SCST_TMF_I_T_NEXUS_RESET,
	SCST_TMF_QUERY_TASK,
	SCST_TMF_QUERY_TASK_SET,
	SCST_TMF_QUERY_ASYNC_EVENT,
	SCST_TMF_CLEAR_ACA,
};

/* TMF response codes (SAM-5) */
#define SCST_TMF_COMPLETE		0x00
#define SCST_TMF_SUCCEEDED		0x08
#define SCST_TMF_REJECTED		0x04
#define SCST_TMF_INCORRECT_LUN		0x09

/**
 * struct scst_tmf_info - what a function found, for the transport
 * @found: the number of commands the function found (ABORT TASK: 0 when
 *         no such task is known any more)
 * @valid: set by QUERY ASYNCHRONOUS EVENT when it reports a condition;
 *         @key, @asc and @ascq are then SAM-5's additional response
 *         information
 * @key: sense key of the pending UNIT ATTENTION
 * @asc: its additional sense code
 * @ascq: its qualifier
 */
struct scst_tmf_info {
	unsigned int found;
	bool	valid;
	u8	key;
	u8	asc;
	u8	ascq;
};

int scst_tmf_exec(struct scst_session *sess, enum scst_tmf fn,
		  const u8 *lun, u64 tag);
int scst_tmf_exec_info(struct scst_session *sess, enum scst_tmf fn,
		       const u8 *lun, u64 tag, struct scst_tmf_info *info);

#endif /* _SCST_SCST_H */
