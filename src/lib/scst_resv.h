/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_resv.h - reservation conflict decision for a decoded command
 */
#ifndef SCST_RESV_H
#define SCST_RESV_H

#include "scst_cdb.h"

/* PERSISTENT RESERVE OUT TYPE field values (SPC-4) */
#define SCST_PR_TYPE_NONE		0x0	/* no reservation */
#define SCST_PR_TYPE_WE			0x1
#define SCST_PR_TYPE_EA			0x3
#define SCST_PR_TYPE_WE_RO		0x5
#define SCST_PR_TYPE_EA_RO		0x6
#define SCST_PR_TYPE_WE_AR		0x7
#define SCST_PR_TYPE_EA_AR		0x8

/* PERSISTENT RESERVE OUT service actions */
#define SCST_PR_OUT_REGISTER		0x00
#define SCST_PR_OUT_RESERVE		0x01
#define SCST_PR_OUT_RELEASE		0x02
#define SCST_PR_OUT_CLEAR		0x03
#define SCST_PR_OUT_PREEMPT		0x04
#define SCST_PR_OUT_PREEMPT_AND_ABORT	0x05
#define SCST_PR_OUT_REGISTER_IGNORE	0x06
#define SCST_PR_OUT_REGISTER_AND_MOVE	0x07

bool scst_pr_type_valid(u8 pr_type);
bool scst_pr_type_all_registrants(u8 pr_type);
bool scst_pr_type_registrants(u8 pr_type);
bool scst_resv_pr_conflict(const struct scst_cdb_info *ci, u8 pr_type,
			   bool holder, bool registered);
bool scst_resv_spc2_conflict(const struct scst_cdb_info *ci);

#endif /* SCST_RESV_H */
