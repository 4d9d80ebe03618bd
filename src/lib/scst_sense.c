// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_sense.c - building and decoding SCSI sense data
 *
 * Fixed format layout used here (SPC-4 4.5.3):
 *   0: VALID(7) | response code    3..6: INFORMATION
 *   2: sense key                   7: additional sense length
 *   12/13: ASC/ASCQ                15..17: sense-key specific
 * Descriptor format (SPC-4 4.5.2):
 *   0: response code  1: sense key  2/3: ASC/ASCQ  7: additional length,
 *   followed by descriptors of (type, additional length, payload).
 */
#include "scst_sense.h"

#define SKS_SKSV	0x80
#define SKS_CD		0x40
#define SKS_BPV		0x08
#define FIXED_VALID	0x80

static bool sense_is_desc(const u8 *buf)
{
	u8 rc = buf[0] & 0x7f;

	return rc == SCST_SENSE_RESP_DESC || rc == SCST_SENSE_RESP_DESC_DEFERRED;
}

static bool sense_is_fixed(const u8 *buf)
{
	u8 rc = buf[0] & 0x7f;

	return rc == SCST_SENSE_RESP_FIXED ||
	       rc == SCST_SENSE_RESP_FIXED_DEFERRED;
}

/**
 * scst_sense_length() - length of the sense data in a buffer
 * @buf: sense data
 * @buflen: size of @buf in bytes
 *
 * Return: 8 plus the ADDITIONAL SENSE LENGTH, limited to @buflen, or
 * -EINVAL when @buf does not hold fixed or descriptor format sense data.
 */
int scst_sense_length(const u8 *buf, unsigned int buflen)
{
	unsigned int len;

	if (buflen < SCST_SENSE_DESC_HDR_LEN ||
	    (!sense_is_desc(buf) && !sense_is_fixed(buf)))
		return -EINVAL;
	len = SCST_SENSE_DESC_HDR_LEN + buf[7];
	return len < buflen ? (int)len : (int)buflen;
}
SCST_LIB_EXPORT(scst_sense_length);

/**
 * scst_sense_build() - build sense data with a key and ASC/ASCQ
 * @buf: output buffer
 * @buflen: size of @buf
 * @descriptor: true for descriptor format, false for fixed format
 * @key: sense key (SCST_KEY_*)
 * @asc: additional sense code
 * @ascq: additional sense code qualifier
 *
 * Fixed format sense data is 18 bytes long, descriptor format sense data
 * 8 bytes (without descriptors). The rest of @buf is not touched.
 *
 * Return: number of bytes written, or -EINVAL if @buf is too small.
 */
int scst_sense_build(u8 *buf, unsigned int buflen, bool descriptor,
		     u8 key, u8 asc, u8 ascq)
{
	if (descriptor) {
		if (buflen < SCST_SENSE_DESC_HDR_LEN)
			return -EINVAL;
		memset(buf, 0, SCST_SENSE_DESC_HDR_LEN);
		buf[0] = SCST_SENSE_RESP_DESC;
		buf[1] = key & 0x0f;
		buf[2] = asc;
		buf[3] = ascq;
		return SCST_SENSE_DESC_HDR_LEN;
	}
	if (buflen < SCST_SENSE_FIXED_LEN)
		return -EINVAL;
	memset(buf, 0, SCST_SENSE_FIXED_LEN);
	buf[0] = SCST_SENSE_RESP_FIXED;
	buf[2] = key & 0x0f;
	buf[7] = SCST_SENSE_FIXED_LEN - 8;
	buf[12] = asc;
	buf[13] = ascq;
	return SCST_SENSE_FIXED_LEN;
}
SCST_LIB_EXPORT(scst_sense_build);

/*
 * Return a pointer to a descriptor of @type with payload length @dlen in
 * descriptor format sense data, adding one at the end if there is none.
 * NULL if the buffer is malformed or too small.
 */
static u8 *sense_get_desc(u8 *buf, unsigned int buflen, u8 type, u8 dlen)
{
	unsigned int end = SCST_SENSE_DESC_HDR_LEN + buf[7];
	unsigned int pos = SCST_SENSE_DESC_HDR_LEN;

	if (end > buflen)
		return NULL;
	while (pos + 2 <= end) {
		unsigned int next = pos + 2 + buf[pos + 1];

		if (next > end)
			return NULL;
		if (buf[pos] == type)
			return buf[pos + 1] == dlen ? buf + pos : NULL;
		pos = next;
	}
	if (pos != end || end + 2 + dlen > buflen ||
	    end + 2 + dlen > SCST_SENSE_MAX_LEN)
		return NULL;
	memset(buf + end, 0, 2 + dlen);
	buf[end] = type;
	buf[end + 1] = dlen;
	buf[7] += 2 + dlen;
	return buf + end;
}

static int sense_fixed_check(const u8 *buf, unsigned int buflen)
{
	if (buflen < SCST_SENSE_FIXED_LEN ||
	    SCST_SENSE_DESC_HDR_LEN + buf[7] < SCST_SENSE_FIXED_LEN)
		return -EINVAL;
	return 0;
}

/**
 * scst_sense_set_field_pointer() - add sense-key specific field pointer data
 * @buf: sense data built by scst_sense_build()
 * @buflen: size of @buf
 * @in_cdb: true if the field is in the CDB (C/D=1), false for parameter data
 * @field: byte offset of the field in error
 * @bit: bit number (0..7) of the most significant bit of the field in
 *	error, or -1 if no bit pointer is to be reported
 *
 * Sets SKSV in the fixed format or adds/replaces the sense key specific
 * descriptor (type 02h) in the descriptor format.
 *
 * Return: the new length of the sense data, or -EINVAL.
 */
int scst_sense_set_field_pointer(u8 *buf, unsigned int buflen, bool in_cdb,
				 u16 field, int bit)
{
	u8 sks = SKS_SKSV;
	u8 *p;

	if (bit > 7 || bit < -1 || buflen < SCST_SENSE_DESC_HDR_LEN)
		return -EINVAL;
	if (in_cdb)
		sks |= SKS_CD;
	if (bit >= 0)
		sks |= SKS_BPV | (u8)bit;
	if (sense_is_fixed(buf)) {
		if (sense_fixed_check(buf, buflen))
			return -EINVAL;
		p = buf + 15;
	} else if (sense_is_desc(buf)) {
		p = sense_get_desc(buf, buflen, SCST_SENSE_DESC_SKS, 6);
		if (!p)
			return -EINVAL;
		p += 4;
	} else {
		return -EINVAL;
	}
	p[0] = sks;
	put_unaligned_be16(field, p + 1);
	return scst_sense_length(buf, buflen);
}
SCST_LIB_EXPORT(scst_sense_set_field_pointer);

/**
 * scst_sense_set_info() - set the INFORMATION field
 * @buf: sense data built by scst_sense_build()
 * @buflen: size of @buf
 * @info: value, e.g. the first LBA in error
 *
 * Sets VALID and the 4-byte INFORMATION field in the fixed format (values
 * above 0xffffffff cannot be represented there: -EINVAL), or adds/replaces
 * the information descriptor (type 00h) in the descriptor format.
 *
 * Return: the new length of the sense data, or -EINVAL.
 */
int scst_sense_set_info(u8 *buf, unsigned int buflen, u64 info)
{
	u8 *p;

	if (buflen < SCST_SENSE_DESC_HDR_LEN)
		return -EINVAL;
	if (sense_is_fixed(buf)) {
		if (sense_fixed_check(buf, buflen) || info > 0xffffffffULL)
			return -EINVAL;
		buf[0] |= FIXED_VALID;
		put_unaligned_be32((u32)info, buf + 3);
	} else if (sense_is_desc(buf)) {
		p = sense_get_desc(buf, buflen, SCST_SENSE_DESC_INFO, 10);
		if (!p)
			return -EINVAL;
		p[2] = FIXED_VALID;
		put_unaligned_be64(info, p + 4);
	} else {
		return -EINVAL;
	}
	return scst_sense_length(buf, buflen);
}
SCST_LIB_EXPORT(scst_sense_set_info);

/**
 * scst_sense_decode() - extract key, ASC and ASCQ from sense data
 * @buf: sense data in fixed or descriptor format
 * @len: number of valid bytes in @buf
 * @key: sense key output
 * @asc: additional sense code output (0 if not present)
 * @ascq: additional sense code qualifier output (0 if not present)
 *
 * Return: true if @buf holds sense data in a known format; the outputs
 * are only written in that case.
 */
bool scst_sense_decode(const u8 *buf, unsigned int len,
		       u8 *key, u8 *asc, u8 *ascq)
{
	unsigned int end;

	if (!buf || len < 1)
		return false;
	if (sense_is_desc(buf)) {
		if (len < 4)
			return false;
		*key = buf[1] & 0x0f;
		*asc = buf[2];
		*ascq = buf[3];
		return true;
	}
	if (!sense_is_fixed(buf) || len < 3)
		return false;
	*key = buf[2] & 0x0f;
	end = len < 8 ? 8 : SCST_SENSE_DESC_HDR_LEN + buf[7];
	if (end > len)
		end = len;
	*asc = end > 12 ? buf[12] : 0;
	*ascq = end > 13 ? buf[13] : 0;
	return true;
}
SCST_LIB_EXPORT(scst_sense_decode);
