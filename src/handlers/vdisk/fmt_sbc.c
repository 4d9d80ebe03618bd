// SPDX-License-Identifier: GPL-2.0-only
/*
 * SBC-3 parameter data of vdisk: READ CAPACITY data, the
 * UNMAP parameter list, GET LBA STATUS descriptors, data comparison
 *
 * Pure code: see vdisk_fmt.h.
 */
#include "vdisk_fmt.h"
#include "scst_sense_codes.h"

#define UNMAP_HDR_LEN	8
#define UNMAP_DESC_LEN	16

/**
 * vdisk_fmt_read_cap10() - READ CAPACITY(10) data
 * @buf: 8 bytes of output
 * @nr_blocks: capacity in logical blocks
 * @block_size: logical block length
 *
 * Return: 8.  The last LBA saturates at FFFFFFFFh (use READ CAPACITY(16)).
 */
int vdisk_fmt_read_cap10(u8 *buf, u64 nr_blocks, u32 block_size)
{
	u64 last = nr_blocks ? nr_blocks - 1 : 0;

	put_unaligned_be32(last > 0xfffffffeULL ? 0xffffffffU : (u32)last,
			   buf);
	put_unaligned_be32(block_size, buf + 4);
	return 8;
}

/**
 * vdisk_fmt_read_cap16() - READ CAPACITY(16) parameter data
 * @buf: 32 bytes of output
 * @nr_blocks: capacity in logical blocks
 * @block_size: logical block length
 * @lim: physical block exponent and provisioning (LBPME, LBPRZ)
 *
 * Return: 32.
 */
int vdisk_fmt_read_cap16(u8 *buf, u64 nr_blocks, u32 block_size,
			 const struct vdisk_limits *lim)
{
	memset(buf, 0, 32);
	put_unaligned_be64(nr_blocks ? nr_blocks - 1 : 0, buf);
	put_unaligned_be32(block_size, buf + 8);
	buf[13] = lim->phys_exp & 0x0f;
	if (lim->thin)
		buf[14] = 0x80 | (lim->lbprz ? 0x40 : 0);
	return 32;
}

static int unmap_err(struct vdisk_unmap_err *err, u16 aq, unsigned int field,
		     int bit)
{
	err->aq = aq;
	err->field = (u16)field;
	err->bit = bit;
	return -EINVAL;
}

/**
 * vdisk_unmap_parse() - validate an UNMAP parameter list (SBC-3 5.28)
 * @buf: the parameter list
 * @len: PARAMETER LIST LENGTH (bytes in @buf)
 * @nr_blocks: capacity in logical blocks
 * @lim: MAXIMUM UNMAP LBA COUNT and BLOCK DESCRIPTOR COUNT
 * @out: the ranges, in list order; descriptors with zero blocks are
 *	left out
 * @max_out: room in @out, at least @lim->max_unmap_desc
 * @err: why the list was refused, on -EINVAL
 *
 * A PARAMETER LIST LENGTH of zero is not an error (nothing to do); 1 to 7
 * is a PARAMETER LIST LENGTH ERROR.  The descriptors used are those that
 * fit completely both in UNMAP BLOCK DESCRIPTOR DATA LENGTH and in the
 * transferred data; an incomplete last descriptor is ignored.  Too many
 * descriptors or too many blocks in total are an INVALID FIELD IN
 * PARAMETER LIST (pointing to the descriptor data length, resp. the
 * number of blocks of the descriptor that crosses the limit); a range
 * beyond the capacity is LBA OUT OF RANGE.  All descriptors are checked
 * before the caller unmaps anything.
 *
 * Return: the number of ranges in @out, or -EINVAL.
 */
int vdisk_unmap_parse(const u8 *buf, unsigned int len, u64 nr_blocks,
		      const struct vdisk_limits *lim,
		      struct vdisk_range *out, unsigned int max_out,
		      struct vdisk_unmap_err *err)
{
	unsigned int ndesc, i, n = 0, avail;
	u64 total = 0, lba;
	u32 nr;

	if (!len)
		return 0;
	if (len < UNMAP_HDR_LEN)
		return unmap_err(err, SCST_AQ_PARAM_LIST_LENGTH_ERROR, 0, -1);
	avail = get_unaligned_be16(buf + 2);
	if (avail > len - UNMAP_HDR_LEN)
		avail = len - UNMAP_HDR_LEN;
	ndesc = avail / UNMAP_DESC_LEN;
	if (ndesc > lim->max_unmap_desc || ndesc > max_out)
		return unmap_err(err, SCST_AQ_INVALID_FIELD_IN_PARAM_LIST, 2, 7);
	for (i = 0; i < ndesc; i++) {
		const u8 *d = buf + UNMAP_HDR_LEN + i * UNMAP_DESC_LEN;

		lba = get_unaligned_be64(d);
		nr = get_unaligned_be32(d + 8);
		total += nr;
		if (total > lim->max_unmap)
			return unmap_err(err,
					 SCST_AQ_INVALID_FIELD_IN_PARAM_LIST,
					 UNMAP_HDR_LEN + i * UNMAP_DESC_LEN + 8,
					 7);
		if (lba > nr_blocks || nr > nr_blocks - lba)
			return unmap_err(err, SCST_AQ_LBA_OUT_OF_RANGE, 0, -1);
		if (!nr)
			continue;
		out[n].lba = lba;
		out[n].nr = nr;
		n++;
	}
	return (int)n;
}

/**
 * vdisk_fmt_lba_status_desc() - one LBA status descriptor (SBC-3 5.4)
 * @buf: 16 bytes of output
 * @lba: first block of the extent
 * @nr: its number of blocks
 * @mapped: mapped (0) or deallocated (1)
 *
 * Return: 16.
 */
int vdisk_fmt_lba_status_desc(u8 *buf, u64 lba, u32 nr, bool mapped)
{
	memset(buf, 0, 16);
	put_unaligned_be64(lba, buf);
	put_unaligned_be32(nr, buf + 8);
	buf[12] = mapped ? 0 : 1;
	return 16;
}

/**
 * vdisk_first_mismatch() - offset of the first byte that differs
 * @a: first buffer
 * @b: second buffer
 * @len: bytes to compare
 *
 * Return: the offset, or @len if the buffers are equal.
 */
u64 vdisk_first_mismatch(const u8 *a, const u8 *b, u64 len)
{
	u64 i;

	if (!memcmp(a, b, len))
		return len;
	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return i;
	return len;
}
