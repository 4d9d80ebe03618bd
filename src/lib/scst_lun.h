/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_lun.h - SAM-5 LUN encoding and REPORT LUNS parameter data
 *
 * SCST uses single level LUNs 0..16383. LUNs below 256 are encoded with
 * the peripheral device addressing method (00b, bus 0), others with the
 * flat space addressing method (01b).
 */
#ifndef SCST_LUN_H
#define SCST_LUN_H

#include "scst_lib_types.h"

#define SCST_MAX_LUN			16383
#define SCST_REPORT_LUNS_HDR_LEN	8

int scst_lun_decode(const u8 lun[8], u16 *out);
void scst_lun_encode(u16 lun, u8 out[8]);
unsigned int scst_report_luns_fill(u8 *buf, unsigned int alloc_len,
				   const u16 *luns, unsigned int n);

#endif /* SCST_LUN_H */
