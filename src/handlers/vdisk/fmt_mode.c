// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mode parameter pages of vdisk: MODE SENSE data and the
 * validation of MODE SELECT parameter lists (SPC-4 7.5, SBC-3 6.4,
 * MMC-6 7)
 *
 * Changeable parameters: WCE (caching page); D_SENSE, QERR and TAS
 * (control page; QERR 10b is reserved and refused).
 * Nothing can be saved.  Pure code: see vdisk_fmt.h.
 */
#include "vdisk_fmt.h"
#include "scst_sense_codes.h"

#define PAGE_ERR_RECOVERY	0x01
#define PAGE_CACHING		0x08
#define PAGE_CONTROL		0x0a
#define PAGE_IEC		0x1c
#define PAGE_MM_CAP		0x2a

#define CACHING_WCE		0x04
#define CONTROL_D_SENSE		0x04
#define CONTROL_GLTSD		0x02
#define CONTROL_SWP		0x08
#define CONTROL_QERR_SHIFT	1
#define CONTROL_QERR_MASK	(0x3 << CONTROL_QERR_SHIFT)
#define CONTROL_QERR_RESERVED	0x2
#define CONTROL_TAS		0x40
#define IEC_DEXCPT		0x08
#define DSP_WP			0x80
#define DSP_DPOFUA		0x10
#define MM_READ_SPEED		7056	/* kB/s, 40x */
#define MAX_PAGE_LEN		0x14

struct mode_page {
	u8 code;
	u8 len;		/* PAGE LENGTH field: bytes after byte 1 */
	bool disk;
	bool rom;
	void (*fill)(u8 *p, enum vdisk_pc pc, const struct vdisk_mode *m);
	void (*apply)(const u8 *p, struct vdisk_mode *m);
};

static void fill_err_recovery(u8 *p, enum vdisk_pc pc,
			      const struct vdisk_mode *m)
{
}

static void fill_caching(u8 *p, enum vdisk_pc pc, const struct vdisk_mode *m)
{
	bool wce = pc == VDISK_PC_DEFAULT ? m->wce_default : m->wce;

	if (pc == VDISK_PC_CHANGEABLE || wce)
		p[2] = CACHING_WCE;
}

static void apply_caching(const u8 *p, struct vdisk_mode *m)
{
	m->wce = p[2] & CACHING_WCE;
}

static void fill_control(u8 *p, enum vdisk_pc pc, const struct vdisk_mode *m)
{
	if (pc == VDISK_PC_CHANGEABLE) {
		p[2] = CONTROL_D_SENSE;
		p[3] = CONTROL_QERR_MASK;
		p[5] = CONTROL_TAS;
		return;
	}
	p[2] = CONTROL_GLTSD;
	if (pc == VDISK_PC_CURRENT) {
		if (m->d_sense)
			p[2] |= CONTROL_D_SENSE;
		p[3] = (m->qerr << CONTROL_QERR_SHIFT) & CONTROL_QERR_MASK;
		if (m->tas)
			p[5] = CONTROL_TAS;
	}
	if (m->swp)
		p[4] = CONTROL_SWP;
}

static void apply_control(const u8 *p, struct vdisk_mode *m)
{
	m->d_sense = p[2] & CONTROL_D_SENSE;
	m->qerr = (p[3] & CONTROL_QERR_MASK) >> CONTROL_QERR_SHIFT;
	m->tas = p[5] & CONTROL_TAS;
}

static void fill_iec(u8 *p, enum vdisk_pc pc, const struct vdisk_mode *m)
{
	if (pc != VDISK_PC_CHANGEABLE)
		p[2] = IEC_DEXCPT;
}

static void fill_mm_cap(u8 *p, enum vdisk_pc pc, const struct vdisk_mode *m)
{
	if (pc == VDISK_PC_CHANGEABLE)
		return;
	p[2] = 0x08;			/* DVD-ROM read (CD-ROM implied) */
	p[6] = 0x20 | 0x08 | 0x01;	/* tray, eject, lock */
	if (m->locked)
		p[6] |= 0x02;		/* lock state */
	put_unaligned_be16(MM_READ_SPEED, p + 8);
	put_unaligned_be16(MM_READ_SPEED, p + 14);
}

static const struct mode_page mode_pages[] = {
	{ PAGE_ERR_RECOVERY, 0x0a, true, true, fill_err_recovery, NULL },
	{ PAGE_CACHING, 0x12, true, false, fill_caching, apply_caching },
	{ PAGE_CONTROL, 0x0a, true, true, fill_control, apply_control },
	{ PAGE_IEC, 0x0a, true, true, fill_iec, NULL },
	{ PAGE_MM_CAP, 0x14, false, true, fill_mm_cap, NULL },
};

static const struct mode_page *page_find(u8 code, const struct vdisk_mode *m)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mode_pages); i++) {
		const struct mode_page *d = &mode_pages[i];

		if (d->code == code && (m->cdrom ? d->rom : d->disk))
			return d;
	}
	return NULL;
}

/* one page at @p: returns its total length */
static unsigned int page_build(u8 *p, const struct mode_page *d,
			       enum vdisk_pc pc, const struct vdisk_mode *m)
{
	memset(p, 0, 2 + d->len);
	p[0] = d->code;
	p[1] = d->len;
	d->fill(p, pc, m);
	return 2 + d->len;
}

static unsigned int block_desc(u8 *p, bool llbaa, const struct vdisk_mode *m)
{
	if (llbaa) {
		memset(p, 0, 16);
		put_unaligned_be64(m->nr_blocks, p);
		put_unaligned_be32(m->block_size, p + 12);
		return 16;
	}
	memset(p, 0, 8);
	put_unaligned_be32(m->nr_blocks > 0xffffffffULL ? 0xffffffffU :
			   (u32)m->nr_blocks, p);
	put_unaligned_be24(m->block_size, p + 5);
	return 8;
}

/**
 * vdisk_fmt_mode_sense() - MODE SENSE(6/10) parameter data
 * @buf: output
 * @size: size of @buf, at least VDISK_FMT_BUF
 * @ten: MODE SENSE(10) header
 * @dbd: no block descriptor (always the case for MMC devices)
 * @llbaa: long LBA block descriptor (MODE SENSE(10) only)
 * @page: page code, VDISK_MODE_ALL_PAGES for all
 * @pc: page control; VDISK_PC_SAVED is the caller's business
 * @m: mode parameters
 *
 * Return: the data length, -EOPNOTSUPP for an unsupported page or
 * -EINVAL if @size is too small.
 */
int vdisk_fmt_mode_sense(u8 *buf, unsigned int size, bool ten, bool dbd,
			 bool llbaa, u8 page, enum vdisk_pc pc,
			 const struct vdisk_mode *m)
{
	unsigned int hdr = ten ? 8 : 4;
	unsigned int len = hdr, bdl = 0, i;
	const struct mode_page *d;

	if (size < VDISK_FMT_BUF)
		return -EINVAL;
	memset(buf, 0, hdr);
	if (!m->cdrom && !dbd)
		bdl = block_desc(buf + hdr, ten && llbaa, m);
	len += bdl;
	if (page == VDISK_MODE_ALL_PAGES) {
		for (i = 0; i < ARRAY_SIZE(mode_pages); i++) {
			d = &mode_pages[i];
			if (m->cdrom ? d->rom : d->disk)
				len += page_build(buf + len, d, pc, m);
		}
	} else {
		d = page_find(page, m);
		if (!d)
			return -EOPNOTSUPP;
		len += page_build(buf + len, d, pc, m);
	}
	if (!m->cdrom)
		buf[ten ? 3 : 2] = (m->wp ? DSP_WP : 0) | DSP_DPOFUA;
	if (ten) {
		put_unaligned_be16((u16)(len - 2), buf);
		buf[4] = bdl == 16 ? 0x01 : 0;
		put_unaligned_be16((u16)bdl, buf + 6);
	} else {
		buf[0] = (u8)(len - 1);
		buf[3] = (u8)bdl;
	}
	return (int)len;
}

static int sel_err(struct vdisk_mode_err *err, u16 aq, unsigned int field,
		   int bit)
{
	err->aq = aq;
	err->field = (u16)field;
	err->bit = bit;
	return -EINVAL;
}

static int high_bit(u8 v)
{
	int bit = 7;

	while (bit > 0 && !(v & (1u << bit)))
		bit--;
	return bit;
}

static int check_block_desc(const u8 *bd, unsigned int off, unsigned int bdl,
			    const struct vdisk_mode *cur,
			    struct vdisk_mode_err *err)
{
	u64 nr = bdl == 16 ? get_unaligned_be64(bd) : get_unaligned_be32(bd);
	u32 bs = bdl == 16 ? get_unaligned_be32(bd + 12) :
			     get_unaligned_be24(bd + 5);
	u64 cur_nr = cur->nr_blocks;

	if (bdl == 8 && cur_nr > 0xffffffffULL)
		cur_nr = 0xffffffffULL;
	if (nr && nr != cur_nr)
		return sel_err(err, SCST_AQ_INVALID_FIELD_IN_PARAM_LIST, off, 7);
	if (bdl == 8 && bd[4])
		return sel_err(err, SCST_AQ_INVALID_FIELD_IN_PARAM_LIST,
			       off + 4, 7);
	if (bs != cur->block_size)
		return sel_err(err, SCST_AQ_INVALID_FIELD_IN_PARAM_LIST,
			       off + (bdl == 16 ? 12 : 5), 7);
	return 0;
}

static int check_page(const u8 *buf, unsigned int off, unsigned int len,
		      const struct vdisk_mode *cur, struct vdisk_mode *out,
		      struct vdisk_mode_err *err)
{
	const u8 *p = buf + off;
	const struct mode_page *d;
	u8 now[2 + MAX_PAGE_LEN], mask[2 + MAX_PAGE_LEN], diff;
	unsigned int i;

	if (p[0] & 0x40)	/* SPF: no subpages here */
		return sel_err(err, SCST_AQ_INVALID_FIELD_IN_PARAM_LIST, off, 6);
	d = page_find(p[0] & 0x3f, cur);
	if (!d)
		return sel_err(err, SCST_AQ_INVALID_FIELD_IN_PARAM_LIST, off, 5);
	if (p[1] != d->len)
		return sel_err(err, SCST_AQ_INVALID_FIELD_IN_PARAM_LIST,
			       off + 1, 7);
	if (off + 2 + d->len > len)
		return sel_err(err, SCST_AQ_PARAM_LIST_LENGTH_ERROR, 0, -1);
	page_build(now, d, VDISK_PC_CURRENT, cur);
	page_build(mask, d, VDISK_PC_CHANGEABLE, cur);
	for (i = 2; i < 2u + d->len; i++) {
		diff = (p[i] ^ now[i]) & ~mask[i];
		if (diff)
			return sel_err(err, SCST_AQ_INVALID_FIELD_IN_PARAM_LIST,
				       off + i, high_bit(diff));
	}
	if (d->code == PAGE_CONTROL &&
	    (p[3] & CONTROL_QERR_MASK) >> CONTROL_QERR_SHIFT ==
	    CONTROL_QERR_RESERVED)
		return sel_err(err, SCST_AQ_INVALID_FIELD_IN_PARAM_LIST,
			       off + 3, 2);
	if (d->apply)
		d->apply(p, out);
	return (int)(2 + d->len);
}

/**
 * vdisk_mode_select_parse() - validate a MODE SELECT parameter list
 * @buf: the parameter list
 * @len: its length (PARAMETER LIST LENGTH)
 * @ten: MODE SELECT(10) header
 * @cur: the current mode parameters
 * @out: the new mode parameters (a copy of @cur with the changes)
 * @err: where the list is wrong, on -EINVAL
 *
 * Every bit that is not changeable must equal its current value; block
 * descriptors may only repeat the current block length and capacity (or
 * give a zero capacity).  Nothing is applied when an error is found.
 *
 * Return: 0 or -EINVAL.
 */
int vdisk_mode_select_parse(const u8 *buf, unsigned int len, bool ten,
			    const struct vdisk_mode *cur,
			    struct vdisk_mode *out,
			    struct vdisk_mode_err *err)
{
	unsigned int hdr = ten ? 8 : 4, bdl, off;
	bool longlba;
	int ret;

	*out = *cur;
	if (!len)
		return 0;
	if (len < hdr)
		return sel_err(err, SCST_AQ_PARAM_LIST_LENGTH_ERROR, 0, -1);
	longlba = ten && (buf[4] & 0x01);
	if (buf[ten ? 2 : 1])		/* MEDIUM TYPE */
		return sel_err(err, SCST_AQ_INVALID_FIELD_IN_PARAM_LIST,
			       ten ? 2 : 1, 7);
	bdl = ten ? get_unaligned_be16(buf + 6) : buf[3];
	if (bdl && bdl != (longlba ? 16u : 8u))
		return sel_err(err, SCST_AQ_INVALID_FIELD_IN_PARAM_LIST,
			       ten ? 6 : 3, 7);
	if (hdr + bdl > len)
		return sel_err(err, SCST_AQ_PARAM_LIST_LENGTH_ERROR, 0, -1);
	if (bdl) {
		ret = check_block_desc(buf + hdr, hdr, bdl, cur, err);
		if (ret)
			return ret;
	}
	for (off = hdr + bdl; off < len; off += (unsigned int)ret) {
		if (len - off < 2)
			ret = sel_err(err, SCST_AQ_PARAM_LIST_LENGTH_ERROR,
				      0, -1);
		else
			ret = check_page(buf, off, len, cur, out, err);
		if (ret < 0) {
			*out = *cur;	/* a page before may have changed it */
			return ret;
		}
	}
	return 0;
}
