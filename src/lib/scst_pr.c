// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_pr.c - persistent reservations: parameter lists, TransportIDs and
 * the APTPL state file
 *
 * APTPL file layout (all integers big-endian):
 *
 *   0   8  magic "SCSTPR\r\n"
 *   8   4  version (2; 1 is still read)
 *   12  4  length of the payload that follows the header
 *   16  4  CRC-32 (IEEE 802.3) of the payload
 *   20     payload: generation (4), type (1), aptpl (1), reserved (2),
 *          number of registrations (4), then per registration:
 *          key (8), relative target port id (2), flags (1: bit 0
 *          all_tg_pt, bit 1 holder), name length (1), name (no NUL)
 *
 * Version 2 has the layout of version 1; its names are initiator port
 * names, "<iSCSI name>,i,0x<ISID>" for an iSCSI port (see
 * scst_pr_name_is_port()).  A version 1 file was written when a nexus
 * was named by its initiator name only: its names load as initiator
 * names, each of which matches every port of that initiator.
 *
 * A file whose magic, version, length or CRC does not match, or whose
 * records do not fill the payload exactly, is rejected as a whole.  The
 * CRC only catches accidents: the records are also checked as if
 * crafted, since the file can be written by anyone with root on the host
 * or access to its disk.  Every record must be one the encoder could
 * have written: a name of 1 to SCST_PR_NAME_MAX - 1 bytes without NUL, a
 * non-zero key, no unknown flag bits, relative target port id 1 or
 * more unless all_tg_pt, no nexus twice, at most one holder, a holder
 * exactly when there is a reservation, and no registrations or
 * reservation when APTPL is off.
 */
#include "scst_pr.h"
#include "scst_sense_codes.h"
#include "scst_cdb_int.h"
#include "scst_resv.h"

#define PR_OUT_BASIC_LEN	24

static int pl_invalid(struct scst_cdb_err *err, u16 field, int bit)
{
	err->key = SCST_KEY_ILLEGAL_REQUEST;
	err->asc = SCST_AQ_ASC(SCST_AQ_INVALID_FIELD_IN_PARAM_LIST);
	err->ascq = SCST_AQ_ASCQ(SCST_AQ_INVALID_FIELD_IN_PARAM_LIST);
	err->sksv = true;
	err->field = field;
	err->bit = (s8)bit;
	return -EINVAL;
}

static int pl_length(struct scst_cdb_err *err)
{
	err->key = SCST_KEY_ILLEGAL_REQUEST;
	err->asc = SCST_AQ_ASC(SCST_AQ_PARAM_LIST_LENGTH_ERROR);
	err->ascq = SCST_AQ_ASCQ(SCST_AQ_PARAM_LIST_LENGTH_ERROR);
	err->sksv = false;
	err->field = 0;
	err->bit = -1;
	return -EINVAL;
}

/* The TransportID list that follows the basic parameter list. */
static int pr_out_tids(const u8 *buf, u32 len, u32 off,
		       struct scst_pr_out_params *p, struct scst_cdb_err *err)
{
	u32 tl;

	if (len < off + 4)
		return pl_length(err);
	tl = get_unaligned_be32(buf + off);
	if ((u64)off + 4 + tl != len)
		return pl_length(err);
	p->tid_off = off + 4;
	p->tid_len = tl;
	return 0;
}

/**
 * scst_pr_out_parse() - decode and check a PERSISTENT RESERVE OUT
 *	parameter list
 * @buf: the parameter list
 * @len: its length (the PARAMETER LIST LENGTH of the CDB)
 * @sa: the service action
 * @p: the decoded fields
 * @err: the sense to return when the list is invalid
 *
 * Return: 0, or -EINVAL with @err set (INVALID FIELD IN PARAMETER LIST
 * with a field pointer, or PARAMETER LIST LENGTH ERROR).
 */
int scst_pr_out_parse(const u8 *buf, u32 len, u16 sa,
		      struct scst_pr_out_params *p, struct scst_cdb_err *err)
{
	memset(p, 0, sizeof(*p));
	if (len < PR_OUT_BASIC_LEN)
		return pl_length(err);
	p->key = get_unaligned_be64(buf);
	p->sa_key = get_unaligned_be64(buf + 8);

	if (sa == SCST_PR_OUT_REGISTER_AND_MOVE) {
		/* 16: reserved, 17: UNREG APTPL, 18: port, 20: TID length */
		if (buf[16])
			return pl_invalid(err, 16, 7);
		if (buf[17] & 0xfc)
			return pl_invalid(err, 17, 7);
		p->unreg = buf[17] & 0x02;
		p->aptpl = buf[17] & 0x01;
		p->rel_tgt_id = get_unaligned_be16(buf + 18);
		return pr_out_tids(buf, len, 20, p, err);
	}

	if (buf[20] & 0xf2)
		return pl_invalid(err, 20, 7);
	p->spec_i_pt = buf[20] & 0x08;
	p->aptpl = buf[20] & 0x01;
	if (sa == SCST_PR_OUT_REGISTER || sa == SCST_PR_OUT_REGISTER_IGNORE)
		p->all_tg_pt = buf[20] & 0x04;
	if (p->spec_i_pt && sa != SCST_PR_OUT_REGISTER)
		return pl_invalid(err, 20, 3);
	if (p->spec_i_pt)
		return pr_out_tids(buf, len, PR_OUT_BASIC_LEN, p, err);
	if (len != PR_OUT_BASIC_LEN)
		return pl_length(err);
	return 0;
}
SCST_LIB_EXPORT(scst_pr_out_parse);

/**
 * scst_pr_name_is_port() - whether a name is an iSCSI initiator port name
 * @name: the name
 *
 * An initiator port name is "<iSCSI name>,i,0x<ISID>" with the ISID as
 * 12 lower-case hex digits (SPC-4 7.6.4.6), as scst_pr_tid_parse() makes
 * it of a TransportID of format 01b; any other name names an initiator
 * device (format 00b) or a port that has nothing but its name.
 */
bool scst_pr_name_is_port(const char *name)
{
	size_t n = strnlen(name, SCST_PR_NAME_MAX);
	size_t i;

	if (n >= SCST_PR_NAME_MAX || n <= SCST_PR_PORT_SUFFIX_LEN ||
	    memcmp(name + n - SCST_PR_PORT_SUFFIX_LEN, SCST_PR_ISID_SEP, 5))
		return false;
	for (i = n - 12; i < n; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		      (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	return true;
}
SCST_LIB_EXPORT(scst_pr_name_is_port);

static int pr_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Start of the last ",i,0x" (either case of i and x) in @s, or NULL. */
static const char *pr_isid_sep(const char *s, u32 n)
{
	u32 i;

	for (i = n; i-- > 0;)
		if (n - i >= 5 && s[i] == ',' && (s[i + 1] | 0x20) == 'i' &&
		    s[i + 2] == ',' && s[i + 3] == '0' &&
		    (s[i + 4] | 0x20) == 'x')
			return s + i;
	return NULL;
}

/*
 * Format 01b: "<name>,i,0x<ISID>" of @n bytes at @s into @name as
 * "<name>,i,0x" and the ISID as 12 lower-case hex digits.
 */
static int pr_tid_port(const char *s, u32 n, char *name, size_t name_len)
{
	static const char hex[] = "0123456789abcdef";
	const char *sep = pr_isid_sep(s, n);
	u32 k, digits, i;
	u64 isid = 0;
	int d;

	if (!sep || sep == s)
		return -EINVAL;	/* no separator, or no name before it */
	k = (u32)(sep - s);
	digits = n - k - 5;
	if (!digits || digits > 12)
		return -EINVAL;
	for (i = 0; i < digits; i++) {
		d = pr_hex_digit(sep[5 + i]);
		if (d < 0)
			return -EINVAL;
		isid = isid << 4 | (u64)d;
	}
	if ((size_t)k + SCST_PR_PORT_SUFFIX_LEN >= name_len)
		return -EINVAL;
	memcpy(name, s, k);
	memcpy(name + k, SCST_PR_ISID_SEP, 5);
	for (i = 0; i < 12; i++)
		name[k + 5 + i] = hex[(isid >> (44 - 4 * i)) & 0xf];
	name[k + SCST_PR_PORT_SUFFIX_LEN] = '\0';
	return 0;
}

/**
 * scst_pr_tid_parse() - decode one iSCSI TransportID
 * @tid: the TransportID
 * @avail: bytes available at @tid
 * @name: the initiator device name (format 00b), or the initiator port
 *	name "<name>,i,0x<ISID>" with the ISID as 12 lower-case hex digits
 *	(format 01b), see scst_pr_name_is_port()
 * @name_len: size of @name
 * @tid_len: the length of the TransportID
 *
 * Return: 0, -EINVAL if the TransportID is malformed, does not fit in
 * @avail or its name does not fit in @name, -EOPNOTSUPP for a protocol
 * other than iSCSI.
 */
int scst_pr_tid_parse(const u8 *tid, u32 avail, char *name, size_t name_len,
		      u32 *tid_len)
{
	u32 al, n;
	u8 fmt;

	if (avail < 4)
		return -EINVAL;
	fmt = tid[0] >> 6;
	if ((tid[0] & 0x0f) != SCST_PR_PROTO_ISCSI)
		return -EOPNOTSUPP;
	if ((tid[0] & 0x30) || fmt > 1)
		return -EINVAL;
	al = get_unaligned_be16(tid + 2);
	if (al < 20 || (al & 3) || al > avail - 4)
		return -EINVAL;
	n = (u32)strnlen((const char *)tid + 4, al);
	if (n == al || n == 0)
		return -EINVAL;		/* not NUL-terminated, or empty */
	if (fmt == 1) {
		if (pr_tid_port((const char *)tid + 4, n, name, name_len))
			return -EINVAL;
	} else {
		if (n >= name_len)
			return -EINVAL;
		memcpy(name, tid + 4, n);
		name[n] = '\0';
	}
	*tid_len = 4 + al;
	return 0;
}
SCST_LIB_EXPORT(scst_pr_tid_parse);

/**
 * scst_pr_tid_build() - the iSCSI TransportID of a name
 * @name: initiator port name (format 01b, see scst_pr_name_is_port()) or
 *	initiator name (format 00b)
 * @buf: where to write it
 * @len: size of @buf
 *
 * Return: the length of the TransportID (a multiple of 4, at least 24);
 * only min(@len, that) bytes were written.
 */
u32 scst_pr_tid_build(const char *name, u8 *buf, u32 len)
{
	u32 n = (u32)strnlen(name, SCST_PR_NAME_MAX - 1);
	u32 al = (n + 1 + 3) & ~3u;
	u8 tmp[4 + SCST_PR_NAME_MAX + 4];

	if (al < 20)
		al = 20;
	memset(tmp, 0, sizeof(tmp));
	tmp[0] = SCST_PR_PROTO_ISCSI;
	if (scst_pr_name_is_port(name))
		tmp[0] |= 0x40;		/* FORMAT CODE 01b */
	put_unaligned_be16((u16)al, tmp + 2);
	memcpy(tmp + 4, name, n);
	memcpy(buf, tmp, len < 4 + al ? len : 4 + al);
	return 4 + al;
}
SCST_LIB_EXPORT(scst_pr_tid_build);

/* --- APTPL state file --- */

/**
 * scst_pr_crc32() - CRC-32 (IEEE 802.3, as crc32 of zlib) of a buffer
 * @buf: the data
 * @len: its length
 */
u32 scst_pr_crc32(const u8 *buf, size_t len)
{
	u32 crc = 0xffffffff;
	size_t i;
	int b;

	for (i = 0; i < len; i++) {
		crc ^= buf[i];
		for (b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xedb88320 & (0u - (crc & 1)));
	}
	return ~crc;
}
SCST_LIB_EXPORT(scst_pr_crc32);

#define PR_FILE_FIXED	12	/* payload before the records */
#define PR_FILE_REC_MIN	12	/* record without its name */

/**
 * scst_pr_file_size() - buffer size that scst_pr_file_encode() may need
 * @nr_regs: number of registrations
 */
size_t scst_pr_file_size(u32 nr_regs)
{
	return SCST_PR_FILE_HDR_LEN + PR_FILE_FIXED +
	       (size_t)nr_regs * (PR_FILE_REC_MIN + SCST_PR_NAME_MAX);
}
SCST_LIB_EXPORT(scst_pr_file_size);

/**
 * scst_pr_file_encode() - build an APTPL state file
 * @buf: the buffer, at least scst_pr_file_size(@st->nr_regs) bytes
 * @len: its size
 * @st: device-wide state
 * @recs: @st->nr_regs registrations
 *
 * Return: the file length, or 0 if @buf is too small.
 */
size_t scst_pr_file_encode(u8 *buf, size_t len,
			   const struct scst_pr_file_state *st,
			   const struct scst_pr_rec *recs)
{
	size_t off = SCST_PR_FILE_HDR_LEN + PR_FILE_FIXED;
	u32 i, n;

	if (len < scst_pr_file_size(st->nr_regs))
		return 0;
	memset(buf, 0, off);
	memcpy(buf, SCST_PR_FILE_MAGIC, 8);
	put_unaligned_be32(SCST_PR_FILE_VERSION, buf + 8);
	put_unaligned_be32(st->generation, buf + 20);
	buf[24] = st->type;
	buf[25] = st->aptpl;
	put_unaligned_be32(st->nr_regs, buf + 28);
	for (i = 0; i < st->nr_regs; i++) {
		n = (u32)strnlen(recs[i].name, SCST_PR_NAME_MAX - 1);
		put_unaligned_be64(recs[i].key, buf + off);
		put_unaligned_be16(recs[i].rel_tgt_id, buf + off + 8);
		buf[off + 10] = (recs[i].all_tg_pt ? 1 : 0) |
				(recs[i].holder ? 2 : 0);
		buf[off + 11] = (u8)n;
		memcpy(buf + off + 12, recs[i].name, n);
		off += PR_FILE_REC_MIN + n;
	}
	put_unaligned_be32((u32)(off - SCST_PR_FILE_HDR_LEN), buf + 12);
	put_unaligned_be32(scst_pr_crc32(buf + SCST_PR_FILE_HDR_LEN,
					 off - SCST_PR_FILE_HDR_LEN), buf + 16);
	return off;
}
SCST_LIB_EXPORT(scst_pr_file_encode);

#define PR_FILE_REC_FLAGS	3	/* bit 0 all_tg_pt, bit 1 holder */

/*
 * Length of the record at @off, or 0 if it is malformed or does not fit
 * before @end.  Every later access to a record relies on this check.
 */
static size_t pr_file_rec_len(const u8 *buf, size_t off, size_t end)
{
	const u8 *rec = buf + off;
	u8 n, flags;

	if (off > end || end - off < PR_FILE_REC_MIN)
		return 0;
	n = rec[11];
	flags = rec[10];
	if (!n || n >= SCST_PR_NAME_MAX || end - off - PR_FILE_REC_MIN < n ||
	    flags & ~PR_FILE_REC_FLAGS || !get_unaligned_be64(rec) ||
	    (!(flags & 1) && !get_unaligned_be16(rec + 8)) ||
	    memchr(rec + PR_FILE_REC_MIN, 0, n))
		return 0;
	return PR_FILE_REC_MIN + n;
}

/* Do the records at @a and @b name the same I_T nexus? */
static bool pr_file_same_nexus(const u8 *buf, size_t a, size_t b)
{
	u8 n = buf[a + 11];

	if (n != buf[b + 11] || memcmp(buf + a + 12, buf + b + 12, n))
		return false;
	if ((buf[a + 10] & 1) != (buf[b + 10] & 1))
		return false;
	return (buf[a + 10] & 1) || get_unaligned_be16(buf + a + 8) ==
				    get_unaligned_be16(buf + b + 8);
}

/*
 * Check the @nr records from @start to @end; return 0 if they fill it
 * exactly, with at most one holder (its presence in *@holders), no
 * nexus twice.
 */
static int pr_file_recs_check(const u8 *buf, size_t start, size_t end,
			      u32 nr, u32 *holders)
{
	size_t off = start, rl, o2;
	u32 i;

	*holders = 0;
	for (i = 0; i < nr; i++) {
		rl = pr_file_rec_len(buf, off, end);
		if (!rl)
			return -EINVAL;
		if (buf[off + 10] & 2)
			(*holders)++;
		/* quadratic, but nr <= SCST_PR_FILE_MAX_REGS, once at enable */
		for (o2 = start; o2 < off; o2 += PR_FILE_REC_MIN + buf[o2 + 11])
			if (pr_file_same_nexus(buf, o2, off))
				return -EINVAL;
		off += rl;
	}
	return off == end && *holders <= 1 ? 0 : -EINVAL;
}

/* Offset of record @i of a checked file, or 0 if it is malformed. */
static size_t pr_file_rec_off(const u8 *buf, size_t end, u32 i)
{
	size_t off = SCST_PR_FILE_HDR_LEN + PR_FILE_FIXED, rl;

	for (;;) {
		rl = pr_file_rec_len(buf, off, end);
		if (!rl)
			return 0;
		if (!i--)
			return off;
		off += rl;
	}
}

/**
 * scst_pr_file_check() - validate an APTPL state file
 * @buf: its contents
 * @len: its length
 * @st: the device-wide state, if valid
 *
 * Treats @buf as hostile: see the rules at the top of this file.
 *
 * Accepts versions SCST_PR_FILE_VERSION_MIN to SCST_PR_FILE_VERSION and
 * tells which in @st->version.
 *
 * Return: 0, or -EINVAL (bad magic or version, truncated, trailing
 * bytes, CRC mismatch, malformed or inconsistent records).
 */
int scst_pr_file_check(const u8 *buf, size_t len,
		       struct scst_pr_file_state *st)
{
	u32 holders;
	u64 end;

	if (len < SCST_PR_FILE_HDR_LEN + PR_FILE_FIXED ||
	    memcmp(buf, SCST_PR_FILE_MAGIC, 8) ||
	    get_unaligned_be32(buf + 8) < SCST_PR_FILE_VERSION_MIN ||
	    get_unaligned_be32(buf + 8) > SCST_PR_FILE_VERSION)
		return -EINVAL;
	end = SCST_PR_FILE_HDR_LEN + (u64)get_unaligned_be32(buf + 12);
	if (end != len ||
	    scst_pr_crc32(buf + SCST_PR_FILE_HDR_LEN, len -
			  SCST_PR_FILE_HDR_LEN) != get_unaligned_be32(buf + 16))
		return -EINVAL;
	st->version = get_unaligned_be32(buf + 8);
	st->generation = get_unaligned_be32(buf + 20);
	st->type = buf[24];
	st->aptpl = buf[25] & 1;
	st->nr_regs = get_unaligned_be32(buf + 28);
	if (st->nr_regs > SCST_PR_FILE_MAX_REGS || buf[25] > 1 ||
	    buf[26] || buf[27] ||
	    (st->type && !scst_pr_type_valid(st->type)) ||
	    (!st->aptpl && (st->nr_regs || st->type)))
		return -EINVAL;
	if (pr_file_recs_check(buf, SCST_PR_FILE_HDR_LEN + PR_FILE_FIXED,
			       len, st->nr_regs, &holders))
		return -EINVAL;
	/* a reservation needs a holder, a holder needs a reservation */
	return !st->type == !holders ? 0 : -EINVAL;
}
SCST_LIB_EXPORT(scst_pr_file_check);

/**
 * scst_pr_file_rec() - one registration of a file scst_pr_file_check()
 *	accepted
 * @buf: the file
 * @len: its length
 * @i: index of the registration
 * @rec: the registration
 *
 * The record is checked again on its own (bounds, name length and
 * contents), so that @rec->name is always NUL-terminated within its size.
 *
 * Return: 0 or -EINVAL.
 */
int scst_pr_file_rec(const u8 *buf, size_t len, u32 i,
		     struct scst_pr_rec *rec)
{
	size_t off = pr_file_rec_off(buf, len, i);
	u8 n;

	if (!off)
		return -EINVAL;
	n = buf[off + 11];
	if (n >= sizeof(rec->name))
		return -EINVAL;
	rec->key = get_unaligned_be64(buf + off);
	rec->rel_tgt_id = get_unaligned_be16(buf + off + 8);
	rec->all_tg_pt = buf[off + 10] & 1;
	rec->holder = buf[off + 10] & 2;
	memcpy(rec->name, buf + off + 12, n);
	rec->name[n] = '\0';
	return 0;
}
SCST_LIB_EXPORT(scst_pr_file_rec);
