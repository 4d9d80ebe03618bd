/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_rsoc.h - REPORT SUPPORTED OPERATION CODES parameter data (SPC-4)
 *
 * The commands reported are the rows of the CDB decode table for the
 * device type that the caller's filter accepts (the commands the device
 * server actually carries out for that logical unit).  The CDB usage data
 * of a command is its table usage data: exactly the bits scst_cdb_decode()
 * lets through, so what is reported is what is checked.
 */
#ifndef SCST_RSOC_H
#define SCST_RSOC_H

#include "scst_cdb.h"

/* REPORTING OPTIONS field (CDB byte 2, bits 2..0) */
#define SCST_RSOC_ALL		0x0	/* all_commands format */
#define SCST_RSOC_OP		0x1	/* one_command, opcode only */
#define SCST_RSOC_OP_SA		0x2	/* one_command, opcode and SA */
#define SCST_RSOC_OP_ANY	0x3	/* one_command, SA if it has one */

/* SUPPORT field of the one_command format */
#define SCST_RSOC_NOT_SUPPORTED	0x1
#define SCST_RSOC_SUPPORTED	0x3

#define SCST_RSOC_DESC_LEN	8	/* command descriptor */
#define SCST_RSOC_CTD_LEN	12	/* command timeouts descriptor */

/**
 * typedef scst_rsoc_filter - does the device server carry out a command?
 * @ctx: the caller's context
 * @d: a command of the decode table for the device type
 * @usage: a copy of @d->usage (@d->cdb_len bytes); the filter clears the
 *	bits the logical unit treats as reserved (refuses with INVALID
 *	FIELD IN CDB whenever set) although the table lets them through.
 *	Bits it sets are dropped.
 *
 * Return: false if the logical unit answers the command with INVALID
 * COMMAND OPERATION CODE.
 */
typedef bool (*scst_rsoc_filter)(void *ctx, const struct scst_cdb_opdesc *d,
				 u8 *usage);

/*
 * REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS: the supported bits of
 * parameter data bytes 0 (high byte here) and 1 (low byte)
 */
#define SCST_RSTMF_ATS		0x8000	/* ABORT TASK */
#define SCST_RSTMF_ATSS		0x4000	/* ABORT TASK SET */
#define SCST_RSTMF_CACAS	0x2000	/* CLEAR ACA */
#define SCST_RSTMF_CTSS		0x1000	/* CLEAR TASK SET */
#define SCST_RSTMF_LURS		0x0800	/* LOGICAL UNIT RESET */
#define SCST_RSTMF_QTS		0x0400	/* QUERY TASK */
#define SCST_RSTMF_TRS		0x0200	/* TARGET RESET */
#define SCST_RSTMF_QAES		0x0004	/* QUERY ASYNCHRONOUS EVENT */
#define SCST_RSTMF_QTSS		0x0002	/* QUERY TASK SET */
#define SCST_RSTMF_ITNRS	0x0001	/* I_T NEXUS RESET */

int scst_rstmf_build(const u8 *cdb, u16 supported, u8 *buf, u32 len);
int scst_rsoc_build(const u8 *cdb, u8 dev_type, scst_rsoc_filter supported,
		    void *ctx, u8 *buf, u32 len, struct scst_cdb_err *err);
u32 scst_rsoc_max_len(u8 dev_type);

#endif /* SCST_RSOC_H */
