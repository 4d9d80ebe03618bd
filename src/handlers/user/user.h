/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_user: private declarations.
 *
 * One open file of /dev/scst_user is one struct su_dev.  After
 * SCST_USER_REGISTER it owns a core device (handlers/scst_user/<name>)
 * and a data area of nr_slots buffers.  Each buffer has a preallocated
 * slot that carries one command from ->exec() to the reply.  A command
 * whose buffer the core allocates (iSCSI READs, and WRITEs: scst_iscsi
 * receives their data into it, scst_cmd_prepare()) gets the slot's
 * pages as its buffer (->alloc_buf(), zero copy: slot->zc); one that
 * comes with the target driver's buffer (scst_local), or finds no slot
 * then, is copied:
 *
 *   copy:  FREE -> FILLING (->exec() copies WRITE data in, no lock held)
 *               -> QUEUED (on execq, waiting for the process to fetch it)
 *               -> FETCHED (the process holds it; ABORT may be queued)
 *               -> REPLYING (the reply copies READ data out) -> FREE
 *   zero copy:
 *          FREE -> ATTACHED (->alloc_buf(): the command's buffer; the
 *                  driver may be receiving WRITE data into it)
 *               -> QUEUED (->exec(), no copy) -> FETCHED -> REPLYING
 *               -> LENT (answered; the driver may still be sending the
 *                  READ data from it) -> FREE (->free_buf())
 *          ATTACHED -> FREE (->free_buf() of a command that never
 *                  reached ->exec(): aborted, reservation conflict...)
 *          ATTACHED -> LENT (->exec() on a dead device)
 *
 * A zero-copy slot is free again only when both the process answered
 * (or the device died) and the core freed the buffer.  At most
 * nr_slots - 1 slots are ATTACHED: a command that waits in the core for
 * an ordered task holds its ATTACHED slot, so one slot always stays for
 * the commands that waiting depends on.  An iSCSI WRITE holds its
 * ATTACHED slot from its command PDU on, while its data comes in.
 *
 * Commands that find no free slot in ->exec() wait on a FIFO chained
 * through cmd->dev_priv (no allocation); a freed slot takes the oldest.
 * ->alloc_buf() does not take a slot while commands wait there.  For a
 * zero-copy command cmd->dev_priv is its slot, from ->alloc_buf() to
 * ->free_buf(); it is never on the FIFO.
 *
 * Locking: su->lock (spinlock, irqsave) protects the slots, the queues,
 * the counters and the flags.  ->abort() is called by the core under
 * sess->lock, so su->lock nests inside sess->lock and
 * scst_cmd_complete() is never called with su->lock held.
 * ->alloc_buf() and ->free_buf() take su->lock and never sleep.
 *
 * Lifetime: the file's release marks the device dead, fails every
 * command it holds with HARDWARE ERROR / LOGICAL UNIT COMMUNICATION
 * FAILURE and unregisters the core device; struct su_dev is freed by
 * the core's ->free() callback (the configfs item may outlive the file
 * for a moment), which also drops the module reference taken at
 * registration.  The data area lives as long as struct su_dev: the core
 * calls ->free_buf() before a command drops its device reference, and
 * unregistering waits for those, so no command still uses slot pages
 * (a target driver sending READ data after the process died) when
 * ->free() runs.
 */
#ifndef _SCST_USER_PRIV_H
#define _SCST_USER_PRIV_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/list.h>
#include <linux/scatterlist.h>

#include <scst/scst.h>
#include <uapi/scst_user.h>

#define SU_NAME			"scst_user"
#define SU_MAX_QUEUE_DEPTH	1024
#define SU_MAX_SLOT_SIZE	(8U << 20)
#define SU_MAX_AREA		(1ULL << 30)	/* queue_depth * slot_size */
#define SU_MAX_BATCH		1024		/* replies or msgs per call */
#define SU_IDX_BITS		16

enum su_slot_state {
	SU_SLOT_FREE,
	SU_SLOT_ATTACHED,
	SU_SLOT_FILLING,
	SU_SLOT_QUEUED,
	SU_SLOT_FETCHED,
	SU_SLOT_REPLYING,
	SU_SLOT_LENT,
};

struct su_slot {
	struct scst_cmd		*cmd;
	u64			handle;
	struct scatterlist	*sg;		/* slot_size / PAGE_SIZE pages */
	u32			idx;
	u32			nents;		/* of sg, while zc */
	u8			state;
	bool			abort_queued;
	bool			zc;		/* sg is cmd's buffer */
	struct list_head	entry;		/* free list or execq */
	struct list_head	abort_entry;	/* abortq */
};

struct su_dev {
	spinlock_t		lock;
	wait_queue_head_t	wq;
	struct mutex		ioctl_mutex;	/* REGISTER, SET_CAPACITY */
	struct scst_device	*dev;		/* set once registered */
	struct su_slot		*slots;
	struct scatterlist	*sgs;		/* of all slots */
	void			*area;		/* vmalloc_user() */
	u64			area_len;
	u32			nr_slots;
	u32			slot_size;
	u32			block_size;
	u64			nr_blocks;
	pid_t			pid;
	u32			seq;
	bool			dead;
	bool			detach;		/* DETACH to deliver */
	unsigned int		resets;		/* RESETs to deliver */
	unsigned int		filling;	/* slots in FILLING */
	unsigned int		in_use;		/* FILLING to REPLYING */
	unsigned int		attached;	/* slots ATTACHED */
	u64			zc_cmds;	/* data commands, zero copy */
	u64			copied_cmds;	/* data commands, copied */
	unsigned int		nr_pending;
	struct scst_cmd		*pend_head;	/* chained by dev_priv */
	struct scst_cmd		*pend_tail;
	struct list_head	free;
	struct list_head	execq;
	struct list_head	abortq;
};

extern struct scst_dev_handler su_handler;
extern struct configfs_attribute *su_dev_attrs[];

/* register.c */
long su_register(struct su_dev *su, void __user *arg);
long su_set_capacity(struct su_dev *su, void __user *arg);
void su_teardown(struct su_dev *su);
void su_free(struct su_dev *su);

/* queue.c */
void su_exec(struct scst_cmd *cmd);
void su_abort(struct scst_cmd *cmd);
void su_reset(struct scst_device *dev);
void su_fail_cmd(struct scst_cmd *cmd);
void su_start(struct su_dev *su, struct su_slot *slot);
void su_slot_handle(struct su_dev *su, struct su_slot *slot);
struct su_slot *su_slot_wake_pending(struct su_dev *su, struct su_slot *slot);
struct su_slot *su_slot_put(struct su_dev *su, struct su_slot *slot);
void su_fail_all(struct su_dev *su);

/* buf.c */
int su_build_sg(struct su_dev *su);
int su_alloc_buf(struct scst_cmd *cmd, gfp_t gfp);
void su_free_buf(struct scst_cmd *cmd);
struct su_slot *su_slot_free(struct su_dev *su, struct su_slot *slot);
void su_exec_zc(struct su_dev *su, struct su_slot *slot);

/* reply.c */
long su_reply_and_get(struct su_dev *su, void __user *arg);

#endif /* _SCST_USER_PRIV_H */
