// SPDX-License-Identifier: GPL-2.0-only
/*
 * Standard INQUIRY data and the VPD pages of vdisk
 *
 * Pure code: see vdisk_fmt.h.
 */
#include "vdisk_fmt.h"
#include "scst_cdb.h"

#define STD_INQ_LEN		96
#define VPD_PAGE_LEN_3C		0x3c

/* version descriptors (SPC-4 table "Version descriptor values") */
#define VERSION_SAM5		0x00a0
#define VERSION_SPC4		0x0460
#define VERSION_SBC3		0x04c0
#define VERSION_MMC6		0x04e0

/* designator fields (SPC-4 7.8.6) */
#define CODE_SET_BINARY		1
#define CODE_SET_ASCII		2
#define CODE_SET_UTF8		3
#define ASSOC_LU		0x00
#define ASSOC_TPORT		0x10
#define DESIG_T10		1
#define DESIG_EUI64		2
#define DESIG_NAA		3
#define DESIG_REL_TPORT		4
#define DESIG_TPG		5
#define DESIG_SCSI_NAME		8

/*
 * Default names: a locally administered company id (the U/L bit, 02h of
 * the first octet, is set: no IEEE-assigned OUI has it, so these names
 * cannot collide with a registered vendor's), "SC" after it.
 */
#define VDISK_LOCAL_CID		0x025343u

/* FNV-1a 64 of @s (with its NUL) onto @h, then a splitmix64 finalizer */
static u64 vdisk_hash(u64 h, const char *a, const char *b)
{
	const char *s[2] = { a, b };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		const char *p = s[i];

		do {
			h ^= (u8)*p;
			h *= 0x100000001b3ULL;
		} while (*p++);
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

/**
 * vdisk_fmt_default_ids() - default NAA, EUI-64 and unit serial number
 * @identity: the setup's identity (the core's setup_id, or the host
 *	name when it is 0), any NUL-terminated string
 * @name: the device name
 * @ids: its naa (NAA 6, IEEE registered extended, 16 bytes), eui64 and
 *	usn (24 hex digits) are set
 *
 * The same @identity and @name give the same names on every host; a
 * different @identity or @name gives different ones (100 bits of hash
 * in the NAA, 40 in the EUI-64, 96 in the serial number).  NAA 6 rather
 * than 5 for its 100 vendor bits; the company id is VDISK_LOCAL_CID.
 */
void vdisk_fmt_default_ids(const char *identity, const char *name,
			   struct vdisk_ids *ids)
{
	u64 h1 = vdisk_hash(0xcbf29ce484222325ULL, identity, name);
	u64 h2 = vdisk_hash(0x84222325cbf29ce4ULL, identity, name);
	static const char hex[] = "0123456789abcdef";
	unsigned int i;

	ids->naa[0] = 0x60 | ((VDISK_LOCAL_CID >> 20) & 0x0f);
	ids->naa[1] = (u8)(VDISK_LOCAL_CID >> 12);
	ids->naa[2] = (u8)(VDISK_LOCAL_CID >> 4);
	ids->naa[3] = (u8)(((VDISK_LOCAL_CID & 0x0f) << 4) | ((h1 >> 32) & 0x0f));
	put_unaligned_be32((u32)h1, ids->naa + 4);
	put_unaligned_be64(h2, ids->naa + 8);
	ids->naa_len = 16;

	ids->eui64[0] = (u8)(VDISK_LOCAL_CID >> 16);
	ids->eui64[1] = (u8)(VDISK_LOCAL_CID >> 8);
	ids->eui64[2] = (u8)VDISK_LOCAL_CID;
	for (i = 0; i < 5; i++)
		ids->eui64[3 + i] = (u8)((h1 ^ h2) >> (8 * i));
	ids->has_eui64 = true;

	for (i = 0; i < 8; i++)
		ids->usn[i] = hex[(h1 >> (28 - 4 * i)) & 0xf];
	for (i = 0; i < 16; i++)
		ids->usn[8 + i] = hex[(h2 >> (60 - 4 * i)) & 0xf];
	ids->usn[24] = '\0';
}

/* copy @src into an @n byte field, padded with spaces */
static void put_ascii(u8 *dst, const char *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && src && src[i]; i++)
		dst[i] = (u8)src[i];
	for (; i < n; i++)
		dst[i] = ' ';
}

/**
 * vdisk_fmt_std_inquiry() - standard INQUIRY data (SPC-4 6.4.2)
 * @buf: output
 * @size: size of @buf, at least 96 bytes
 * @ids: vendor and product identification
 * @inq: device type, RMB and revision
 *
 * Return: the length of the data (96), or -EINVAL if @size is too small.
 */
int vdisk_fmt_std_inquiry(u8 *buf, unsigned int size,
			  const struct vdisk_ids *ids,
			  const struct vdisk_inq *inq)
{
	if (size < STD_INQ_LEN)
		return -EINVAL;
	memset(buf, 0, STD_INQ_LEN);
	buf[0] = inq->type & 0x1f;
	buf[1] = inq->removable ? 0x80 : 0;
	buf[2] = 0x06;			/* SPC-4 */
	buf[3] = 0x10 | 0x02;		/* HISUP, RESPONSE DATA FORMAT 2 */
	buf[4] = STD_INQ_LEN - 5;
	buf[5] = (inq->tpgs & 3) << 4;	/* TPGS */
	buf[7] = 0x02;			/* CMDQUE */
	put_ascii(buf + 8, ids->vend, VDISK_VEND_LEN);
	put_ascii(buf + 16, ids->prod, VDISK_PROD_LEN);
	put_ascii(buf + 32, inq->rev, 4);
	put_unaligned_be16(VERSION_SAM5, buf + 58);
	put_unaligned_be16(VERSION_SPC4, buf + 60);
	put_unaligned_be16(inq->type == SCST_TYPE_ROM ? VERSION_MMC6 :
			   VERSION_SBC3, buf + 62);
	return STD_INQ_LEN;
}

static bool is_disk(const struct vdisk_inq *inq)
{
	return inq->type == SCST_TYPE_DISK;
}

static int vpd_supported(u8 *buf, const struct vdisk_inq *inq)
{
	static const u8 disk[] = { 0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2 };
	static const u8 rom[] = { 0x00, 0x80, 0x83, 0x86 };
	const u8 *list = is_disk(inq) ? disk : rom;
	unsigned int n = is_disk(inq) ? sizeof(disk) : sizeof(rom);

	memcpy(buf + 4, list, n);
	return 4 + n;
}

static int vpd_usn(u8 *buf, const struct vdisk_ids *ids)
{
	unsigned int n = strlen(ids->usn);

	memcpy(buf + 4, ids->usn, n);
	return 4 + n;
}

/* append one designator header; returns a pointer to its payload */
static u8 *desig(u8 *p, u8 code_set, u8 assoc, u8 type, u8 len)
{
	p[0] = code_set;
	p[1] = assoc | type;
	p[2] = 0;
	p[3] = len;
	return p + 4;
}

static unsigned int desig_t10(u8 *p, const struct vdisk_ids *ids)
{
	unsigned int n = strlen(ids->dev_id);
	u8 *d = desig(p, CODE_SET_ASCII, ASSOC_LU, DESIG_T10,
		      VDISK_VEND_LEN + n);

	put_ascii(d, ids->vend, VDISK_VEND_LEN);
	memcpy(d + VDISK_VEND_LEN, ids->dev_id, n);
	return 4 + VDISK_VEND_LEN + n;
}

/* SCSI name string: NUL terminated, padded to a multiple of four bytes */
static unsigned int desig_name(u8 *p, const char *name)
{
	unsigned int n = strlen(name);
	unsigned int padded;

	if (n > 251)
		n = 251;
	padded = (n + 4) & ~3u;
	memset(p + 4, 0, padded);
	memcpy(desig(p, CODE_SET_UTF8, ASSOC_TPORT, DESIG_SCSI_NAME, padded),
	       name, n);
	return 4 + padded;
}

static int vpd_devid(u8 *buf, const struct vdisk_ids *ids,
		     const struct vdisk_inq *inq)
{
	u8 *p = buf + 4;

	p += desig_t10(p, ids);
	if (ids->naa_len) {
		memcpy(desig(p, CODE_SET_BINARY, ASSOC_LU, DESIG_NAA,
			     ids->naa_len), ids->naa, ids->naa_len);
		p += 4 + ids->naa_len;
	}
	if (ids->has_eui64) {
		memcpy(desig(p, CODE_SET_BINARY, ASSOC_LU, DESIG_EUI64, 8),
		       ids->eui64, 8);
		p += 12;
	}
	memset(desig(p, CODE_SET_BINARY, ASSOC_TPORT, DESIG_REL_TPORT, 4),
	       0, 4);
	put_unaligned_be16(inq->rel_tgt_id, p + 6);
	p += 8;
	if (inq->tpgs) {
		memset(desig(p, CODE_SET_BINARY, ASSOC_TPORT, DESIG_TPG, 4),
		       0, 4);
		put_unaligned_be16(inq->tpg_id, p + 6);
		p += 8;
	}
	if (inq->tgt_name && inq->tgt_name[0])
		p += desig_name(p, inq->tgt_name);
	return (int)(p - buf);
}

static int vpd_ext_inquiry(u8 *buf, const struct vdisk_inq *inq)
{
	buf[5] = 0x07;			/* HEADSUP, ORDSUP, SIMPSUP */
	buf[6] = inq->nv_cache ? 0x02 : 0x01;	/* NV_SUP : V_SUP */
	buf[7] = 0x01;			/* LUICLR */
	return 4 + VPD_PAGE_LEN_3C;
}

static int vpd_block_limits(u8 *buf, const struct vdisk_limits *lim)
{
	buf[4] = 0x01;			/* WSNZ */
	buf[5] = lim->max_caw;
	put_unaligned_be16((u16)lim->opt_gran, buf + 6);
	put_unaligned_be32(lim->max_xfer, buf + 8);
	if (lim->thin) {
		put_unaligned_be32(lim->max_unmap, buf + 20);
		put_unaligned_be32(lim->max_unmap_desc, buf + 24);
		put_unaligned_be32(lim->unmap_gran, buf + 28);
	}
	put_unaligned_be64(lim->max_ws, buf + 36);
	return 4 + VPD_PAGE_LEN_3C;
}

static int vpd_characteristics(u8 *buf, const struct vdisk_inq *inq)
{
	put_unaligned_be16(inq->rotational ? 0 : 1, buf + 4);
	return 4 + VPD_PAGE_LEN_3C;
}

static int vpd_provisioning(u8 *buf, const struct vdisk_limits *lim)
{
	if (lim->thin) {
		buf[5] = 0x80 | 0x40 | 0x20;	/* LBPU, LBPWS, LBPWS10 */
		if (lim->lbprz)
			buf[5] |= 0x04;		/* LBPRZ */
		buf[6] = 0x02;			/* thin provisioned */
	}
	return 4 + 4;
}

/**
 * vdisk_fmt_vpd() - one VPD page (SPC-4 7.8, SBC-3 6.5)
 * @buf: output, zeroed here
 * @size: size of @buf, at least VDISK_FMT_BUF
 * @page: page code
 * @ids: identification
 * @inq: device properties and the receiving target port
 * @lim: block limits and provisioning (direct access devices)
 *
 * Return: the length of the page, -EOPNOTSUPP for a page that is not
 * supported by this device type, -EINVAL if @size is too small.
 */
int vdisk_fmt_vpd(u8 *buf, unsigned int size, u8 page,
		  const struct vdisk_ids *ids, const struct vdisk_inq *inq,
		  const struct vdisk_limits *lim)
{
	int len;

	if (size < VDISK_FMT_BUF)
		return -EINVAL;
	memset(buf, 0, VDISK_FMT_BUF);
	if (page >= 0xb0 && !is_disk(inq))
		return -EOPNOTSUPP;
	switch (page) {
	case 0x00:
		len = vpd_supported(buf, inq);
		break;
	case 0x80:
		len = vpd_usn(buf, ids);
		break;
	case 0x83:
		len = vpd_devid(buf, ids, inq);
		break;
	case 0x86:
		len = vpd_ext_inquiry(buf, inq);
		break;
	case 0xb0:
		len = vpd_block_limits(buf, lim);
		break;
	case 0xb1:
		len = vpd_characteristics(buf, inq);
		break;
	case 0xb2:
		len = vpd_provisioning(buf, lim);
		break;
	default:
		return -EOPNOTSUPP;
	}
	buf[0] = inq->type & 0x1f;
	buf[1] = page;
	put_unaligned_be16((u16)(len - 4), buf + 2);
	return len;
}
