// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_local: the Linux SCSI host of a session, its command path and its
 * error handler.
 *
 * The scsi_cmnd's data buffer is the command's buffer (no copy) and the
 * struct scst_cmd lives in the scsi_cmnd's private area (no allocation).
 *
 * Who completes a scsi_cmnd
 * -------------------------
 * Each command carries a state (lcmd->state); every transition out of
 * INFLIGHT is an atomic_cmpxchg(), so exactly one party wins:
 *
 *   queuecommand:      IDLE/COMPLETED/RELEASED -> INFLIGHT
 *   ->xmit_response(): INFLIGHT -> COMPLETED, then scsi_done()
 *   ->eh_timed_out():  INFLIGHT -> EH: the midlayer's error handler owns
 *                      the scsi_cmnd; scsi_done() is never called for it
 *   ->xmit_response(): EH -> RELEASED, after scst_cmd_finished(), no
 *                      scsi_done(); wakes the error handler
 *
 * If ->xmit_response() wins, ->eh_timed_out() asks for more time and the
 * scsi_done() that is on its way completes the command normally.  If the
 * timeout wins, the error handler returns SUCCESS for a command only
 * once it is RELEASED, that is once the core has let go of the embedded
 * struct scst_cmd: the midlayer may reuse the scsi_cmnd right away.
 * COMPLETED is written before scsi_done() and nothing of the command is
 * touched after it.
 *
 * Where the kernel allows it, queuecommand may sleep (scst_compat.h,
 * scst_sht_set_may_block()): blk-mq runs it in task context under SRCU,
 * and the core may start backing I/O right there (->exec_nowait()),
 * without a context switch per command.
 *
 * Commands that task management aborts while INFLIGHT (a reset through
 * sg_reset, or another initiator's LUN or target reset) are completed
 * with DID_RESET so that the midlayer retries them.
 */
#define pr_fmt(fmt) "scst_local: " fmt

#include <linux/blk-mq.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/scatterlist.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

#include <scst_compat.h>

#include "local.h"

enum scst_local_cmd_state {
	SCST_LOCAL_CMD_IDLE,		/* never queued */
	SCST_LOCAL_CMD_INFLIGHT,	/* in the core; the driver completes it */
	SCST_LOCAL_CMD_COMPLETED,	/* the driver called scsi_done() */
	SCST_LOCAL_CMD_EH,		/* timed out; still in the core */
	SCST_LOCAL_CMD_RELEASED,	/* timed out; the core let it go */
};

/*
 * Flat space LUN 16383 is the integer 0x7fff in Linux; a manual scan of
 * one LUN requires lun < max_lun.
 */
#define SCST_LOCAL_MAX_LUN	0x8000
#define SCST_LOCAL_CAN_QUEUE	128
#define SCST_LOCAL_CMD_PER_LUN	64
#define SCST_LOCAL_MAX_SECTORS	2048	/* 1 MiB */

/* How long abort, LUN, target and bus reset wait for the core. */
#define SCST_LOCAL_EH_WAIT	(10 * HZ)

static struct device *scst_local_root;

/* --- sysfs: /sys/class/scsi_host/hostN/scst_{target,initiator} --- */

static struct scst_local_host *dev_to_lhost(struct device *dev)
{
	return shost_priv(class_to_shost(dev));
}

static ssize_t scst_target_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct scst_local_sess *ls = dev_to_lhost(dev)->lsess;

	return sysfs_emit(buf, "%s\n", scst_tgt_name(ls->ltgt->tgt));
}
static DEVICE_ATTR_RO(scst_target);

static ssize_t scst_initiator_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  scst_local_sess_name(dev_to_lhost(dev)->lsess));
}
static DEVICE_ATTR_RO(scst_initiator);

static struct attribute *scst_local_host_attrs[] = {
	&dev_attr_scst_target.attr,
	&dev_attr_scst_initiator.attr,
	NULL,
};
ATTRIBUTE_GROUPS(scst_local_host);

/* --- the command path --- */

static int scst_local_queuecommand(struct Scsi_Host *shost,
				   struct scsi_cmnd *sc)
{
	struct scst_local_host *lh = shost_priv(shost);
	struct scst_local_cmd *lc = scsi_cmd_priv(sc);
	enum scst_data_dir dir;
	struct scsi_lun lun;

	switch (sc->sc_data_direction) {
	case DMA_NONE:
		dir = SCST_DIR_NONE;
		break;
	case DMA_TO_DEVICE:
		dir = SCST_DIR_WRITE;
		break;
	case DMA_FROM_DEVICE:
		dir = SCST_DIR_READ;
		break;
	default:
		/* Linux no longer issues bidirectional commands. */
		sc->result = 0;
		set_host_byte(sc, DID_ERROR);
		scsi_done(sc);
		return 0;
	}

	/*
	 * The 8-byte LUN is Linux's integer LUN turned back into SAM form:
	 * the same bytes REPORT LUNS gave.  A request carries no task
	 * attribute any more (blk-mq has no ordered or head-of-queue
	 * requests), so every command is SIMPLE.
	 */
	int_to_scsilun(sc->device->lun, &lun);
	scst_cmd_init(&lc->cmd, lh->sess, lun.scsi_lun, sc->cmnd, sc->cmd_len,
		      SCST_TASK_SIMPLE, blk_mq_unique_tag(scsi_cmd_to_rq(sc)),
		      dir, scsi_bufflen(sc));
	lc->cmd.tgt_priv = sc;
	if (scsi_bufflen(sc))
		scst_cmd_set_tgt_sg(&lc->cmd, scsi_sglist(sc),
				    scsi_sg_count(sc), scsi_bufflen(sc));
	atomic_set(&lc->state, SCST_LOCAL_CMD_INFLIGHT);
	scst_cmd_submit(&lc->cmd);
	return 0;
}

/**
 * scst_local_rdy_to_xfer() - WRITE data for a core-allocated buffer
 * @cmd: a command whose CDB asks for data-out while the scsi_cmnd came
 *       without a buffer (a pass-through CDB with a wrong length)
 *
 * Every scsi_cmnd with data hands its own buffer to the core, so the
 * only case left is a data-out CDB without data: fail the transfer.
 *
 * Return: 0.
 */
int scst_local_rdy_to_xfer(struct scst_cmd *cmd)
{
	scst_cmd_rx_done(cmd, false);
	return 0;
}

/* Status, sense and residual of a command the driver completes. */
static void scst_local_set_result(struct scsi_cmnd *sc, struct scst_cmd *cmd)
{
	u32 bufflen = scsi_bufflen(sc);
	u32 done = 0;

	sc->result = 0;
	if (scst_cmd_aborted(cmd)) {
		set_host_byte(sc, DID_RESET);
		scsi_set_resid(sc, bufflen);
		return;
	}
	set_host_byte(sc, DID_OK);
	set_status_byte(sc, cmd->status);
	if (cmd->sense_len)
		memcpy(sc->sense_buffer, cmd->sense,
		       min_t(unsigned int, cmd->sense_len,
			     SCSI_SENSE_BUFFERSIZE));

	if (sc->sc_data_direction == DMA_FROM_DEVICE)
		done = cmd->resp_len;
	else if (sc->sc_data_direction == DMA_TO_DEVICE)
		done = cmd->status == SCST_STATUS_GOOD ? cmd->data_len : 0;
	scsi_set_resid(sc, bufflen - min(done, bufflen));
}

/**
 * scst_local_xmit_response() - the core answers a command
 * @cmd: the command, embedded in a scsi_cmnd of one of our hosts
 *
 * Context: any context, also inside scst_cmd_submit() called by our
 * queuecommand.
 */
void scst_local_xmit_response(struct scst_cmd *cmd)
{
	struct scst_local_cmd *lc = to_scst_local_cmd(cmd);
	struct scsi_cmnd *sc = cmd->tgt_priv;
	struct scst_local_host *lh;

	if (atomic_cmpxchg(&lc->state, SCST_LOCAL_CMD_INFLIGHT,
			   SCST_LOCAL_CMD_COMPLETED) == SCST_LOCAL_CMD_INFLIGHT) {
		scst_local_set_result(sc, cmd);
		scst_cmd_finished(cmd);
		scsi_done(sc);
		return;
	}

	/* Timed out: the error handler owns @sc and waits for the core. */
	lh = shost_priv(sc->device->host);
	WARN_ON_ONCE(atomic_read(&lc->state) != SCST_LOCAL_CMD_EH);
	scst_cmd_finished(cmd);
	atomic_set_release(&lc->state, SCST_LOCAL_CMD_RELEASED);
	/* scst_local_eh_wait() reads eh_released, then the states */
	smp_mb__before_atomic();
	atomic_inc(&lh->eh_released);
	wake_up(&lh->eh_wait);
}

static int scst_local_init_cmd_priv(struct Scsi_Host *shost,
				    struct scsi_cmnd *sc)
{
	struct scst_local_cmd *lc = scsi_cmd_priv(sc);

	atomic_set(&lc->state, SCST_LOCAL_CMD_IDLE);
	return 0;
}

/* --- error handling --- */

static SCST_EH_TIMEOUT_RET scst_local_eh_timed_out(struct scsi_cmnd *sc)
{
	struct scst_local_cmd *lc = scsi_cmd_priv(sc);

	if (atomic_cmpxchg(&lc->state, SCST_LOCAL_CMD_INFLIGHT,
			   SCST_LOCAL_CMD_EH) == SCST_LOCAL_CMD_INFLIGHT)
		return SCST_EH_TIMEOUT_RUN_EH;
	/* ->xmit_response() is completing it. */
	return SCST_EH_TIMEOUT_RESET_TIMER;
}

struct scst_local_eh_scan {
	struct scsi_device	*sdev;	/* NULL: the whole host */
	unsigned int		held;	/* commands the core still holds */
};

static bool scst_local_eh_count(struct scsi_cmnd *sc, void *data)
{
	struct scst_local_eh_scan *scan = data;
	struct scst_local_cmd *lc = scsi_cmd_priv(sc);

	if ((!scan->sdev || sc->device == scan->sdev) &&
	    atomic_read(&lc->state) == SCST_LOCAL_CMD_EH)
		scan->held++;
	return true;
}

static bool scst_local_eh_released(struct Scsi_Host *shost,
				   struct scsi_device *sdev)
{
	struct scst_local_eh_scan scan = { .sdev = sdev };

	scsi_host_busy_iter(shost, scst_local_eh_count, &scan);
	return !scan.held;
}

/*
 * Wait until the core has released every timed-out command of @sdev (or
 * of the host).  Without a timeout, wait for as long as it takes: the
 * midlayer ends such commands after a host reset, and the core must not
 * hold them then.
 */
static bool scst_local_eh_wait(struct Scsi_Host *shost,
			       struct scsi_device *sdev, bool forever)
{
	struct scst_local_host *lh = shost_priv(shost);
	unsigned long deadline = jiffies + SCST_LOCAL_EH_WAIT;
	long left;
	int seen;

	for (;;) {
		seen = atomic_read_acquire(&lh->eh_released);
		if (scst_local_eh_released(shost, sdev))
			return true;
		left = (long)(deadline - jiffies);
		if (left <= 0) {
			if (!forever)
				return false;
			shost_printk(KERN_WARNING, shost,
				     "waiting for SCST to release timed-out commands\n");
			deadline = jiffies + SCST_LOCAL_EH_WAIT;
			left = SCST_LOCAL_EH_WAIT;
		}
		wait_event_timeout(lh->eh_wait,
				   atomic_read(&lh->eh_released) != seen, left);
	}
}

/*
 * Task management on the host's session.  An ioctl (sg_reset) can reach
 * the reset handlers while the host is being removed: once the session
 * is unregistered they get SCST_TMF_REJECTED.
 */
static int scst_local_tmf_exec(struct scst_local_host *lh, enum scst_tmf fn,
			       const u8 *lun, u64 tag)
{
	int resp = SCST_TMF_REJECTED;

	down_read(&lh->tmf_rwsem);
	if (lh->sess)
		resp = scst_tmf_exec(lh->sess, fn, lun, tag);
	up_read(&lh->tmf_rwsem);
	return resp;
}

static int scst_local_tmf(struct scsi_cmnd *sc, enum scst_tmf fn)
{
	struct scst_local_host *lh = shost_priv(sc->device->host);
	struct scsi_lun lun;

	int_to_scsilun(sc->device->lun, &lun);
	return scst_local_tmf_exec(lh, fn, lun.scsi_lun, 0);
}

static bool scst_local_tmf_ok(int resp)
{
	return resp == SCST_TMF_COMPLETE || resp == SCST_TMF_SUCCEEDED;
}

static int scst_local_eh_abort(struct scsi_cmnd *sc)
{
	struct scst_local_host *lh = shost_priv(sc->device->host);
	struct scst_local_cmd *lc = scsi_cmd_priv(sc);
	int state, resp;

	/* Normally ->eh_timed_out() made it ours already. */
	state = atomic_cmpxchg(&lc->state, SCST_LOCAL_CMD_INFLIGHT,
			       SCST_LOCAL_CMD_EH);
	if (state != SCST_LOCAL_CMD_INFLIGHT && state != SCST_LOCAL_CMD_EH)
		return SUCCESS;		/* not in the core any more */

	resp = scst_local_tmf_exec(lh, SCST_TMF_ABORT_TASK, lc->cmd.lun_raw,
				   lc->cmd.tag);
	/*
	 * The core returns once the command was finished, or at once if its
	 * response was already on its way: wait for that one to end.
	 */
	if (scst_local_tmf_ok(resp))
		wait_event_timeout(lh->eh_wait,
				   atomic_read_acquire(&lc->state) ==
				   SCST_LOCAL_CMD_RELEASED,
				   SCST_LOCAL_EH_WAIT);
	if (atomic_read_acquire(&lc->state) == SCST_LOCAL_CMD_RELEASED)
		return SUCCESS;
	scmd_printk(KERN_WARNING, sc, "abort: task management response %#x\n",
		    resp);
	return FAILED;
}

static int scst_local_eh_device_reset(struct scsi_cmnd *sc)
{
	int resp = scst_local_tmf(sc, SCST_TMF_LUN_RESET);

	if (!scst_local_eh_wait(sc->device->host, sc->device, false))
		return FAILED;
	return scst_local_tmf_ok(resp) ? SUCCESS : FAILED;
}

static int scst_local_eh_target_reset(struct scsi_cmnd *sc)
{
	int resp = scst_local_tmf(sc, SCST_TMF_TARGET_RESET);

	if (!scst_local_eh_wait(sc->device->host, NULL, false))
		return FAILED;
	return scst_local_tmf_ok(resp) ? SUCCESS : FAILED;
}

static int scst_local_eh_bus_reset(struct scsi_cmnd *sc)
{
	int resp = scst_local_tmf(sc, SCST_TMF_I_T_NEXUS_RESET);

	if (!scst_local_eh_wait(sc->device->host, NULL, false))
		return FAILED;
	return scst_local_tmf_ok(resp) ? SUCCESS : FAILED;
}

/* The last resort: whatever it returns, the midlayer ends every command. */
static int scst_local_eh_host_reset(struct scsi_cmnd *sc)
{
	int resp = scst_local_tmf(sc, SCST_TMF_I_T_NEXUS_RESET);

	scst_local_eh_wait(sc->device->host, NULL, true);
	return scst_local_tmf_ok(resp) ? SUCCESS : FAILED;
}

static struct scsi_host_template scst_local_sht = {
	.module			= THIS_MODULE,
	.name			= SCST_LOCAL_NAME,
	.proc_name		= SCST_LOCAL_NAME,
	.queuecommand		= scst_local_queuecommand,
	.init_cmd_priv		= scst_local_init_cmd_priv,
	.eh_timed_out		= scst_local_eh_timed_out,
	.eh_abort_handler	= scst_local_eh_abort,
	.eh_device_reset_handler = scst_local_eh_device_reset,
	.eh_target_reset_handler = scst_local_eh_target_reset,
	.eh_bus_reset_handler	= scst_local_eh_bus_reset,
	.eh_host_reset_handler	= scst_local_eh_host_reset,
	.can_queue		= SCST_LOCAL_CAN_QUEUE,
	.cmd_per_lun		= SCST_LOCAL_CMD_PER_LUN,
	.this_id		= -1,
	.skip_settle_delay	= 1,	/* no bus to settle after a reset */
	.sg_tablesize		= SG_MAX_SEGMENTS,
	.max_sectors		= SCST_LOCAL_MAX_SECTORS,
	.cmd_size		= sizeof(struct scst_local_cmd),
	.shost_groups		= scst_local_host_groups,
};

/**
 * scst_local_host_add() - bring a session online
 * @ls: the session, offline
 *
 * Registers the SCST session, adds a SCSI host for it and starts a scan
 * (asynchronous if the SCSI midlayer scans asynchronously).
 *
 * Return: 0 or a negative errno.
 */
int scst_local_host_add(struct scst_local_sess *ls)
{
	struct scst_local_host *lh;
	struct scst_session *sess;
	struct Scsi_Host *shost;
	int ret;

	lockdep_assert_held(&ls->ltgt->mutex);
	if (WARN_ON(ls->shost))
		return -EEXIST;

	sess = scst_register_session(ls->ltgt->tgt, scst_local_sess_name(ls),
				     ls);
	if (IS_ERR(sess))
		return PTR_ERR(sess);

	shost = scsi_host_alloc(&scst_local_sht, sizeof(*lh));
	if (!shost) {
		ret = -ENOMEM;
		goto unregister;
	}
	lh = shost_priv(shost);
	lh->lsess = ls;
	lh->sess = sess;
	init_waitqueue_head(&lh->eh_wait);
	init_rwsem(&lh->tmf_rwsem);
	shost->max_channel = 0;
	shost->max_id = 1;
	shost->max_lun = SCST_LOCAL_MAX_LUN;
	shost->max_cmd_len = SCST_MAX_CDB_SIZE;
	/*
	 * A hardware queue per CPU over one tag space: a command completed
	 * on the CPU that submitted it ends right there, where a single
	 * queue would complete it through the block softirq (and wake
	 * ksoftirqd when scsi_done() runs in task context).
	 */
	shost->nr_hw_queues = num_possible_cpus();
	shost->host_tagset = 1;

	ret = scsi_add_host(shost, scst_local_root);
	if (ret)
		goto put;
	/*
	 * Shared tags over several hardware queues would give every Linux
	 * SCSI device of the host mq-deadline, with MAX_SCHED_RQ (2048)
	 * preallocated requests of cmd_size each plus a sense buffer: 2.3
	 * MiB per scanned LUN.  The core orders and queues commands itself;
	 * "none" is the default (docs/scale.md).
	 */
	scst_shost_no_default_sched(shost);
	ls->shost = shost;
	scsi_scan_host(shost);
	return 0;

put:
	scsi_host_put(shost);
unregister:
	scst_unregister_session(sess);
	return ret;
}

/**
 * scst_local_host_remove() - take a session offline
 * @ls: the session, online
 *
 * scsi_remove_host() returns once every command of the host has ended,
 * so the SCST session has no command left when it is unregistered.
 */
void scst_local_host_remove(struct scst_local_sess *ls)
{
	struct Scsi_Host *shost = ls->shost;
	struct scst_local_host *lh = shost_priv(shost);

	struct scst_session *sess;

	lockdep_assert_held(&ls->ltgt->mutex);
	scsi_remove_host(shost);
	down_write(&lh->tmf_rwsem);
	sess = lh->sess;
	lh->sess = NULL;
	up_write(&lh->tmf_rwsem);
	scst_unregister_session(sess);
	ls->shost = NULL;
	scsi_host_put(shost);
}

/**
 * scst_local_host_init() - create the parent device of all our hosts
 * @tt: the target template; submit_in_task is set if queuecommand may
 *      sleep on this kernel (the core may then start I/O right in it)
 *
 * Return: 0 or a negative errno.
 */
int scst_local_host_init(struct scst_tgt_template *tt)
{
	tt->submit_in_task = scst_sht_set_may_block(&scst_local_sht);
	scst_local_root = root_device_register(SCST_LOCAL_NAME);
	return PTR_ERR_OR_ZERO(scst_local_root);
}

/**
 * scst_local_host_exit() - remove the parent device; no host is left
 */
void scst_local_host_exit(void)
{
	root_device_unregister(scst_local_root);
}
