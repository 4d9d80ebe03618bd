/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_sense.h - building and decoding SCSI sense data (SPC-4 4.5)
 *
 * All functions work on a caller-provided buffer; none allocate. Both the
 * fixed format (response code 70h) and the descriptor format (72h) are
 * supported. The functions that add a field to existing sense data return
 * the new total length of the sense data so that the caller can pass it on
 * to the transport.
 */
#ifndef SCST_SENSE_H
#define SCST_SENSE_H

#include "scst_lib_types.h"
#include "scst_sense_codes.h"

#define SCST_SENSE_FIXED_LEN		18
#define SCST_SENSE_DESC_HDR_LEN		8
/* largest sense data SPC allows: 8 header bytes + 244 additional bytes */
#define SCST_SENSE_MAX_LEN		252

#define SCST_SENSE_RESP_FIXED		0x70
#define SCST_SENSE_RESP_FIXED_DEFERRED	0x71
#define SCST_SENSE_RESP_DESC		0x72
#define SCST_SENSE_RESP_DESC_DEFERRED	0x73

#define SCST_SENSE_DESC_INFO		0x00
#define SCST_SENSE_DESC_SKS		0x02

int scst_sense_build(u8 *buf, unsigned int buflen, bool descriptor,
		     u8 key, u8 asc, u8 ascq);
int scst_sense_set_field_pointer(u8 *buf, unsigned int buflen, bool in_cdb,
				 u16 field, int bit);
int scst_sense_set_info(u8 *buf, unsigned int buflen, u64 info);
bool scst_sense_decode(const u8 *buf, unsigned int len,
		       u8 *key, u8 *asc, u8 *ascq);
int scst_sense_length(const u8 *buf, unsigned int buflen);

#endif /* SCST_SENSE_H */
