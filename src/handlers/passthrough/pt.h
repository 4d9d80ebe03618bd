/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_passthrough.ko: export local SCSI devices (H:C:I:L) through SCST.
 *
 * The device sees one I_T nexus (this host); the target keeps what must
 * stay per nexus: REPORT LUNS and REQUEST SENSE are the core's, RESERVE,
 * RELEASE and PERSISTENT RESERVE never reach the device, UNIT ATTENTIONs
 * the device reports are given to every nexus.
 */
#ifndef _SCST_PT_H
#define _SCST_PT_H

#include <linux/workqueue.h>
#include <scsi/scsi_device.h>
#include <scst/scst.h>
#include <scst_sense.h>
#include <scst_sense_codes.h>
#include <scst_cdb_pt.h>

#include "scst_compat.h"

#undef pr_fmt
#define pr_fmt(fmt) "scst: " fmt

/**
 * struct pt_dev - a pass-through device, handlers/dev_<type>/H:C:I:L
 * @dev:         the SCST device
 * @sdev:        the local SCSI device, referenced from mkdir to rmdir
 * @max_xfer_kb: attribute: largest transfer of one request to the
 *               device, 0 = the device queue's own limit
 * @warned_big:  a command too large for the device was logged once
 * @cap_work:    re-reads the capacity after the device reported a change
 * @lock:        protects cmd->dev_priv of its commands and the request
 *               each has at the device, for pt_abort()
 */
struct pt_dev {
	struct scst_device	*dev;
	struct scsi_device	*sdev;
	u32			max_xfer_kb;
	bool			warned_big;
	struct work_struct	cap_work;
	spinlock_t		lock;
};

static inline struct pt_dev *to_pt(struct scst_device *dev)
{
	return dev->priv;
}

extern struct workqueue_struct *pt_wq;
extern struct configfs_attribute *pt_dev_attrs[];

void pt_exec(struct scst_cmd *cmd);
bool pt_exec_nowait(struct scst_cmd *cmd);
void pt_abort(struct scst_cmd *cmd);
int pt_read_capacity(struct pt_dev *pd);
void pt_cap_work(struct work_struct *work);
int pt_cmd_cache_init(void);
void pt_cmd_cache_exit(void);

#endif /* _SCST_PT_H */
