// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_lun.c - SAM-5 LUN encoding and REPORT LUNS parameter data
 */
#include "scst_lun.h"

#define LUN_METHOD_PERIPHERAL	0x00
#define LUN_METHOD_FLAT		0x01

/**
 * scst_lun_decode() - decode an 8-byte single level LUN
 * @lun: the LUN field as received from the initiator
 * @out: decoded LUN number
 *
 * Accepts the peripheral device addressing method with bus identifier 0
 * (LUN 0..255) and the flat space addressing method (LUN 0..16383). The
 * second to fourth levels (bytes 2..7) must be zero.
 *
 * Return: 0, or -EINVAL for any other addressing method or a multi level
 * LUN; *@out is only written on success.
 */
int scst_lun_decode(const u8 lun[8], u16 *out)
{
	unsigned int i;

	for (i = 2; i < 8; i++)
		if (lun[i])
			return -EINVAL;

	switch (lun[0] >> 6) {
	case LUN_METHOD_PERIPHERAL:
		if (lun[0] != 0)	/* bus identifier */
			return -EINVAL;
		*out = lun[1];
		return 0;
	case LUN_METHOD_FLAT:
		*out = (u16)(((lun[0] & 0x3f) << 8) | lun[1]);
		return 0;
	default:
		return -EINVAL;
	}
}
SCST_LIB_EXPORT(scst_lun_decode);

/**
 * scst_lun_encode() - encode a LUN number as an 8-byte single level LUN
 * @lun: LUN number, 0..16383 (higher bits are dropped)
 * @out: 8-byte LUN field
 *
 * Uses peripheral device addressing for LUNs below 256 (as Linux and most
 * initiators expect) and flat space addressing for the others.
 */
void scst_lun_encode(u16 lun, u8 out[8])
{
	memset(out, 0, 8);
	lun &= SCST_MAX_LUN;
	if (lun < 256) {
		out[1] = (u8)lun;
	} else {
		out[0] = (u8)((LUN_METHOD_FLAT << 6) | (lun >> 8));
		out[1] = (u8)lun;
	}
}
SCST_LIB_EXPORT(scst_lun_encode);

/**
 * scst_report_luns_fill() - build REPORT LUNS parameter data
 * @buf: output buffer, at least @alloc_len bytes
 * @alloc_len: ALLOCATION LENGTH from the CDB (or the buffer size if smaller)
 * @luns: LUN numbers to report
 * @n: number of entries in @luns
 *
 * Writes the 8-byte header (LUN LIST LENGTH = 8 * @n) followed by one
 * 8-byte LUN per entry, truncated to @alloc_len bytes.
 *
 * Return: number of bytes written.
 */
unsigned int scst_report_luns_fill(u8 *buf, unsigned int alloc_len,
				   const u16 *luns, unsigned int n)
{
	u8 hdr[SCST_REPORT_LUNS_HDR_LEN] = { 0 };
	u8 ent[8];
	unsigned int pos, i, chunk;
	u64 list_len = (u64)n * 8;

	put_unaligned_be32(list_len > 0xffffffffULL ? 0xffffffffU :
			   (u32)list_len, hdr);
	chunk = alloc_len < sizeof(hdr) ? alloc_len : sizeof(hdr);
	memcpy(buf, hdr, chunk);
	pos = chunk;
	for (i = 0; i < n && pos < alloc_len; i++) {
		scst_lun_encode(luns[i], ent);
		chunk = alloc_len - pos < 8 ? alloc_len - pos : 8;
		memcpy(buf + pos, ent, chunk);
		pos += chunk;
	}
	return pos;
}
SCST_LIB_EXPORT(scst_report_luns_fill);
