// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMC-6 parameter data of vcdrom: a single-session disc
 * with one data track (mode 1) that covers the whole image
 *
 * Pure code: see vdisk_fmt.h.  Builders expect @size >= VDISK_FMT_BUF.
 */
#include "vdisk_fmt.h"

#define CD_MAX_BLOCKS		360000	/* 80 minutes of 2048-byte sectors */
#define LEAD_OUT_TRACK		0xaa
#define ADR_CONTROL_DATA	0x14	/* ADR 1 (Q position), data track */
#define MSF_OFFSET		150	/* two seconds of pre-gap */

#define FEAT_PROFILE_LIST	0x0000
#define FEAT_CORE		0x0001
#define FEAT_MORPHING		0x0002
#define FEAT_REMOVABLE		0x0003
#define FEAT_RANDOM_READ	0x0010

#define FEAT_PERSISTENT		0x02
#define FEAT_CURRENT		0x01

/**
 * vdisk_mmc_profile() - the current profile
 * @m: drive state
 *
 * Return: DVD-ROM for images larger than a CD, CD-ROM otherwise, none
 * without a medium.
 */
u16 vdisk_mmc_profile(const struct vdisk_mmc *m)
{
	if (!m->present)
		return VDISK_MMC_PROFILE_NONE;
	return m->nr_blocks > CD_MAX_BLOCKS ? VDISK_MMC_PROFILE_DVDROM :
					      VDISK_MMC_PROFILE_CDROM;
}

static void put_addr(u8 *p, u64 lba, bool msf)
{
	u64 f = lba + MSF_OFFSET;

	if (!msf) {
		put_unaligned_be32((u32)lba, p);
		return;
	}
	p[0] = 0;
	p[1] = (u8)(f / (60 * 75));
	p[2] = (u8)((f / 75) % 60);
	p[3] = (u8)(f % 75);
}

static unsigned int toc_desc(u8 *p, u8 track, u64 lba, bool msf)
{
	p[0] = 0;
	p[1] = ADR_CONTROL_DATA;
	p[2] = track;
	p[3] = 0;
	put_addr(p + 4, lba, msf);
	return 8;
}

/**
 * vdisk_fmt_read_toc() - READ TOC/PMA/ATIP data, formats 0 and 1
 * @buf: output
 * @size: size of @buf
 * @m: drive state (a medium must be present)
 * @format: 0 (TOC) or 1 (session information)
 * @msf: addresses in MSF form
 * @track: TRACK/SESSION NUMBER field
 *
 * Return: the data length, -EOPNOTSUPP for another format, -EINVAL if
 * @track is beyond the last track (and not the lead-out).
 */
int vdisk_fmt_read_toc(u8 *buf, unsigned int size, const struct vdisk_mmc *m,
		       u8 format, bool msf, u8 track)
{
	unsigned int len = 4;

	if (size < VDISK_FMT_MIN)
		return -EINVAL;
	memset(buf, 0, 4);
	buf[2] = 1;
	buf[3] = 1;
	switch (format) {
	case 0:
		if (track > 1 && track != LEAD_OUT_TRACK)
			return -EINVAL;
		if (track <= 1)
			len += toc_desc(buf + len, 1, 0, msf);
		len += toc_desc(buf + len, LEAD_OUT_TRACK, m->nr_blocks, msf);
		break;
	case 1:
		len += toc_desc(buf + len, 1, 0, msf);
		break;
	default:
		return -EOPNOTSUPP;
	}
	put_unaligned_be16((u16)(len - 2), buf);
	return (int)len;
}

static unsigned int feat_hdr(u8 *p, u16 code, u8 version, u8 flags, u8 len)
{
	memset(p, 0, 4 + len);
	put_unaligned_be16(code, p);
	p[2] = (u8)(version << 2) | flags;
	p[3] = len;
	return 4 + len;
}

static unsigned int feat_profiles(u8 *p, const struct vdisk_mmc *m)
{
	u16 cur = vdisk_mmc_profile(m);
	unsigned int len = feat_hdr(p, FEAT_PROFILE_LIST, 0,
				    FEAT_PERSISTENT | FEAT_CURRENT, 8);

	put_unaligned_be16(VDISK_MMC_PROFILE_DVDROM, p + 4);
	p[6] = cur == VDISK_MMC_PROFILE_DVDROM;
	put_unaligned_be16(VDISK_MMC_PROFILE_CDROM, p + 8);
	p[10] = cur == VDISK_MMC_PROFILE_CDROM;
	return len;
}

static unsigned int feat_core(u8 *p, const struct vdisk_mmc *m)
{
	unsigned int len = feat_hdr(p, FEAT_CORE, 2,
				    FEAT_PERSISTENT | FEAT_CURRENT, 8);

	put_unaligned_be32(1, p + 4);	/* physical interface: SCSI family */
	return len;
}

static unsigned int feat_morphing(u8 *p, const struct vdisk_mmc *m)
{
	return feat_hdr(p, FEAT_MORPHING, 1, FEAT_PERSISTENT | FEAT_CURRENT,
			4);
}

static unsigned int feat_removable(u8 *p, const struct vdisk_mmc *m)
{
	unsigned int len = feat_hdr(p, FEAT_REMOVABLE, 0,
				    FEAT_PERSISTENT | FEAT_CURRENT, 4);

	p[4] = 0x20 | 0x08 | 0x01;	/* tray, eject, lock */
	return len;
}

static unsigned int feat_random_read(u8 *p, const struct vdisk_mmc *m)
{
	unsigned int len = feat_hdr(p, FEAT_RANDOM_READ, 0,
				    m->present ? FEAT_CURRENT : 0, 8);

	put_unaligned_be32(2048, p + 4);
	put_unaligned_be16(vdisk_mmc_profile(m) == VDISK_MMC_PROFILE_DVDROM ?
			   16 : 1, p + 8);
	return len;
}

struct mmc_feature {
	u16 code;
	unsigned int (*build)(u8 *p, const struct vdisk_mmc *m);
};

static const struct mmc_feature mmc_features[] = {
	{ FEAT_PROFILE_LIST, feat_profiles },
	{ FEAT_CORE, feat_core },
	{ FEAT_MORPHING, feat_morphing },
	{ FEAT_REMOVABLE, feat_removable },
	{ FEAT_RANDOM_READ, feat_random_read },
};

/**
 * vdisk_fmt_get_config() - GET CONFIGURATION data
 * @buf: output
 * @size: size of @buf, at least VDISK_FMT_BUF
 * @m: drive state
 * @rt: RT field: 0 all features, 1 current features, 2 one feature
 * @start: STARTING FEATURE NUMBER
 *
 * Return: the data length.
 */
int vdisk_fmt_get_config(u8 *buf, unsigned int size,
			 const struct vdisk_mmc *m, u8 rt, u16 start)
{
	unsigned int len = 8, i, n;

	if (size < VDISK_FMT_BUF)
		return -EINVAL;
	memset(buf, 0, 8);
	put_unaligned_be16(vdisk_mmc_profile(m), buf + 6);
	for (i = 0; i < ARRAY_SIZE(mmc_features); i++) {
		const struct mmc_feature *f = &mmc_features[i];

		if (f->code < start || (rt == 2 && f->code != start))
			continue;
		n = f->build(buf + len, m);
		if (rt == 1 && !(buf[len + 2] & FEAT_CURRENT))
			continue;
		len += n;
	}
	put_unaligned_be32(len - 4, buf);
	return (int)len;
}

/**
 * vdisk_fmt_gesn() - GET EVENT STATUS NOTIFICATION data (polled)
 * @buf: output
 * @size: size of @buf
 * @m: drive state; @m->event is the pending media event
 * @classes: NOTIFICATION CLASS REQUEST field
 *
 * Only the media class is supported.  The caller clears the pending event
 * once it was reported (the data is longer than 4 bytes then).
 *
 * Return: the data length.
 */
int vdisk_fmt_gesn(u8 *buf, unsigned int size, const struct vdisk_mmc *m,
		   u8 classes)
{
	if (size < VDISK_FMT_MIN)
		return -EINVAL;
	memset(buf, 0, 8);
	buf[3] = 0x10;			/* supported: media class */
	if (!(classes & 0x10)) {
		put_unaligned_be16(2, buf);
		buf[2] = 0x80;		/* NEA */
		return 4;
	}
	put_unaligned_be16(6, buf);
	buf[2] = 0x04;			/* media class */
	buf[4] = m->event & 0x0f;
	buf[5] = (m->present && !m->tray_open ? 0x02 : 0) |
		 (m->tray_open ? 0x01 : 0);
	return 8;
}

/**
 * vdisk_fmt_disc_info() - READ DISC INFORMATION standard data
 * @buf: output
 * @size: size of @buf
 * @m: drive state (a medium must be present)
 *
 * Return: the data length (34).
 */
int vdisk_fmt_disc_info(u8 *buf, unsigned int size,
			const struct vdisk_mmc *m)
{
	if (size < VDISK_FMT_MIN)
		return -EINVAL;
	memset(buf, 0, 34);
	put_unaligned_be16(32, buf);
	buf[2] = 0x0e;		/* last session complete, disc finalized */
	buf[3] = 1;		/* first track on disc */
	buf[4] = 1;		/* sessions */
	buf[5] = 1;		/* first track in last session */
	buf[6] = 1;		/* last track in last session */
	put_unaligned_be32(0xffffffffU, buf + 16);	/* no next session */
	put_unaligned_be32(0xffffffffU, buf + 20);
	return 34;
}

/**
 * vdisk_fmt_track_info() - READ TRACK INFORMATION data
 * @buf: output
 * @size: size of @buf
 * @m: drive state (a medium must be present)
 * @type: ADDRESS/NUMBER TYPE: 0 LBA, 1 track, 2 session
 * @addr: LOGICAL BLOCK ADDRESS/TRACK/SESSION NUMBER
 *
 * Return: the data length (36), or -EINVAL if @addr names no track.
 */
int vdisk_fmt_track_info(u8 *buf, unsigned int size,
			 const struct vdisk_mmc *m, u8 type, u32 addr)
{
	if (size < VDISK_FMT_MIN)
		return -EINVAL;
	if ((type == 0 && addr >= m->nr_blocks) || (type != 0 && addr != 1))
		return -EINVAL;
	memset(buf, 0, 36);
	put_unaligned_be16(34, buf);
	buf[2] = 1;		/* track */
	buf[3] = 1;		/* session */
	buf[5] = 0x04;		/* data track, recorded uninterrupted */
	buf[6] = 0x01;		/* data mode 1 */
	put_unaligned_be32((u32)m->nr_blocks, buf + 24);
	put_unaligned_be32((u32)(m->nr_blocks ? m->nr_blocks - 1 : 0),
			   buf + 28);
	return 36;
}

/**
 * vdisk_fmt_mech_status() - MECHANISM STATUS header (no changer)
 * @buf: output
 * @size: size of @buf
 * @m: drive state
 *
 * Return: the data length (8).
 */
int vdisk_fmt_mech_status(u8 *buf, unsigned int size,
			  const struct vdisk_mmc *m)
{
	if (size < VDISK_FMT_MIN)
		return -EINVAL;
	memset(buf, 0, 8);
	if (m->tray_open)
		buf[1] = 0x10;	/* door open */
	return 8;
}
