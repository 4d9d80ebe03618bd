/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_user: private declarations.
 *
 * One open file of /dev/scst_user is one struct su_dev.  After
 * SCST_USER_REGISTER it owns a core device (handlers/scst_user/<name>)
 * and a data area of nr_slots buffers.  Each buffer has a preallocated
 * slot that carries one command from ->exec() to the reply:
 *
 *   FREE -> FILLING (->exec() copies WRITE data in, no lock held)
 *        -> QUEUED (on execq, waiting for the process to fetch it)
 *        -> FETCHED (the process holds it; ABORT may be queued)
 *        -> REPLYING (the reply copies READ data out) -> FREE
 *
 * Commands that find no free slot wait on a FIFO chained through
 * cmd->dev_priv (no allocation); a freed slot takes the oldest.
 *
 * Locking: su->lock (spinlock, irqsave) protects the slots, the queues
 * and the flags.  ->abort() is called by the core under sess->lock, so
 * su->lock nests inside sess->lock and scst_cmd_complete() is never
 * called with su->lock held.
 *
 * Lifetime: the file's release marks the device dead, fails every
 * command it holds with HARDWARE ERROR / LOGICAL UNIT COMMUNICATION
 * FAILURE and unregisters the core device; struct su_dev is freed by
 * the core's ->free() callback (the configfs item may outlive the file
 * for a moment), which also drops the module reference taken at
 * registration.
 */
#ifndef _SCST_USER_PRIV_H
#define _SCST_USER_PRIV_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/list.h>

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
	SU_SLOT_FILLING,
	SU_SLOT_QUEUED,
	SU_SLOT_FETCHED,
	SU_SLOT_REPLYING,
};

struct su_slot {
	struct scst_cmd		*cmd;
	u64			handle;
	u32			idx;
	u8			state;
	bool			abort_queued;
	struct list_head	entry;		/* free list or execq */
	struct list_head	abort_entry;	/* abortq */
};

struct su_dev {
	spinlock_t		lock;
	wait_queue_head_t	wq;
	struct mutex		ioctl_mutex;	/* REGISTER, SET_CAPACITY */
	struct scst_device	*dev;		/* set once registered */
	struct su_slot		*slots;
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
	unsigned int		in_use;		/* slots not FREE */
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
struct su_slot *su_slot_put(struct su_dev *su, struct su_slot *slot);
struct su_slot *su_pop_aborted(struct su_dev *su);
struct scst_cmd *su_take_all(struct su_dev *su);

/* reply.c */
long su_reply_and_get(struct su_dev *su, void __user *arg);

#endif /* _SCST_USER_PRIV_H */
