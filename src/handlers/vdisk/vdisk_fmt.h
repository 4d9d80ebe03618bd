/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pure formatting and parsing code of the vdisk handlers
 *
 * Everything declared here works on caller-provided buffers and plain
 * values: no locks, no allocation, no kernel calls.  The .c files that
 * implement it (fmt_inquiry.c, fmt_mode.c, fmt_sbc.c, fmt_mmc.c) include
 * only this header, so they build in user space as well, for the host
 * unit tests.
 *
 * Builders return the full length of the data they would produce; they
 * never write past @size bytes of @buf (@size must be at least
 * VDISK_FMT_MIN bytes) and the caller truncates to the allocation length.
 */
#ifndef VDISK_FMT_H
#define VDISK_FMT_H

#include "scst_lib_types.h"

#ifdef __KERNEL__
#include <linux/kernel.h>
#else
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#define VDISK_FMT_MIN		64
#define VDISK_FMT_BUF		512	/* enough for any page built here */

/* --- INQUIRY and VPD (fmt_inquiry.c) --- */

#define VDISK_VEND_LEN		8
#define VDISK_PROD_LEN		16
#define VDISK_DEV_ID_LEN	64
#define VDISK_USN_LEN		32

/**
 * struct vdisk_ids - identification of a logical unit
 * @vend: T10 vendor identification, NUL-terminated, <= 8 characters
 * @prod: product identification, <= 16 characters
 * @dev_id: vendor specific part of the T10 vendor ID designator
 * @usn: unit serial number
 * @eui64: EUI-64 designator, valid if @has_eui64
 * @naa: NAA designator (8 bytes NAA 5 or 16 bytes NAA 6), @naa_len bytes
 */
struct vdisk_ids {
	char vend[VDISK_VEND_LEN + 1];
	char prod[VDISK_PROD_LEN + 1];
	char dev_id[VDISK_DEV_ID_LEN + 1];
	char usn[VDISK_USN_LEN + 1];
	u8 eui64[8];
	bool has_eui64;
	u8 naa[16];
	u8 naa_len;
};

/**
 * struct vdisk_inq - what INQUIRY reports besides the identification
 * @type: peripheral device type
 * @removable: RMB bit
 * @rev: product revision level, <= 4 characters
 * @rel_tgt_id: relative target port identifier of the receiving port
 * @tgt_name: SCSI name of the target port, or NULL
 * @tpgs: TPGS field of the standard data (ALUA: 1 implicit, 2 explicit,
 *	3 both, 0 none); with ALUA VPD 83h has a target port group
 *	designator with @tpg_id
 * @tpg_id: target port group of the receiving port
 * @nv_cache: the write cache is non-volatile (VPD 86h NV_SUP/V_SUP)
 * @rotational: report the medium rotation rate as "not reported"
 *	instead of "non-rotating" (VPD B1h)
 */
struct vdisk_inq {
	u8 type;
	bool removable;
	const char *rev;
	u16 rel_tgt_id;
	const char *tgt_name;
	u8 tpgs;
	u16 tpg_id;
	bool nv_cache;
	bool rotational;
};

/**
 * struct vdisk_limits - block limits and provisioning (VPD B0h/B2h,
 *	READ CAPACITY(16))
 * @max_xfer: maximum transfer length in logical blocks
 * @opt_gran: optimal transfer length granularity in logical blocks
 * @phys_exp: log2(logical blocks per physical block)
 * @max_caw: maximum COMPARE AND WRITE length in logical blocks
 * @max_unmap: maximum UNMAP LBA count
 * @max_unmap_desc: maximum UNMAP block descriptor count
 * @unmap_gran: optimal unmap granularity in logical blocks
 * @max_ws: maximum WRITE SAME length in logical blocks
 * @thin: logical block provisioning management enabled (LBPME)
 * @lbprz: unmapped blocks read as zeros
 */
struct vdisk_limits {
	u32 max_xfer;
	u32 opt_gran;
	u8 phys_exp;
	u8 max_caw;
	u32 max_unmap;
	u32 max_unmap_desc;
	u32 unmap_gran;
	u64 max_ws;
	bool thin;
	bool lbprz;
};

void vdisk_fmt_default_ids(const char *identity, const char *name,
			   struct vdisk_ids *ids);
int vdisk_fmt_std_inquiry(u8 *buf, unsigned int size,
			  const struct vdisk_ids *ids,
			  const struct vdisk_inq *inq);
int vdisk_fmt_vpd(u8 *buf, unsigned int size, u8 page,
		  const struct vdisk_ids *ids, const struct vdisk_inq *inq,
		  const struct vdisk_limits *lim);

/* --- mode pages (fmt_mode.c) --- */

enum vdisk_pc {
	VDISK_PC_CURRENT = 0,
	VDISK_PC_CHANGEABLE = 1,
	VDISK_PC_DEFAULT = 2,
	VDISK_PC_SAVED = 3,
};

/**
 * struct vdisk_mode - the mode parameters of a logical unit
 * @cdrom: MMC device: MM capabilities page, no caching page
 * @wce: caching page WCE (current value)
 * @wce_default: WCE default value
 * @d_sense: control page D_SENSE (current value)
 * @swp: control page SWP (software write protect)
 * @tas: control page TAS (current value)
 * @qerr: control page QERR (current value, 00b, 01b or 11b)
 * @wp: mode parameter header WP bit (device or LUN write protected)
 * @locked: MM capabilities page lock state (PREVENT)
 * @nr_blocks: block descriptor: number of logical blocks
 * @block_size: block descriptor: logical block length
 */
struct vdisk_mode {
	bool cdrom;
	bool wce;
	bool wce_default;
	bool d_sense;
	bool swp;
	bool tas;
	u8 qerr;
	bool wp;
	bool locked;
	u64 nr_blocks;
	u32 block_size;
};

#define VDISK_MODE_ALL_PAGES	0x3f

int vdisk_fmt_mode_sense(u8 *buf, unsigned int size, bool ten, bool dbd,
			 bool llbaa, u8 page, enum vdisk_pc pc,
			 const struct vdisk_mode *m);

/**
 * struct vdisk_mode_err - where a MODE SELECT parameter list is wrong
 * @aq: SCST_AQ_* additional sense code and qualifier
 * @field: byte offset in the parameter list
 * @bit: bit within that byte, or -1
 */
struct vdisk_mode_err {
	u16 aq;
	u16 field;
	int bit;
};

int vdisk_mode_select_parse(const u8 *buf, unsigned int len, bool ten,
			    const struct vdisk_mode *cur,
			    struct vdisk_mode *out,
			    struct vdisk_mode_err *err);

/* --- SBC parameter data (fmt_sbc.c) --- */

/**
 * struct vdisk_range - one range of logical blocks
 * @lba: first block
 * @nr: number of blocks
 */
struct vdisk_range {
	u64 lba;
	u32 nr;
};

/**
 * struct vdisk_unmap_err - why an UNMAP parameter list was refused
 * @aq: SCST_AQ_* additional sense code and qualifier
 * @field: byte offset in the parameter list (if @aq is an INVALID FIELD)
 * @bit: bit within that byte, or -1
 */
struct vdisk_unmap_err {
	u16 aq;
	u16 field;
	int bit;
};

int vdisk_unmap_parse(const u8 *buf, unsigned int len, u64 nr_blocks,
		      const struct vdisk_limits *lim,
		      struct vdisk_range *out, unsigned int max_out,
		      struct vdisk_unmap_err *err);
int vdisk_fmt_read_cap10(u8 *buf, u64 nr_blocks, u32 block_size);
int vdisk_fmt_read_cap16(u8 *buf, u64 nr_blocks, u32 block_size,
			 const struct vdisk_limits *lim);
int vdisk_fmt_lba_status_desc(u8 *buf, u64 lba, u32 nr, bool mapped);
u64 vdisk_first_mismatch(const u8 *a, const u8 *b, u64 len);

/* --- MMC (fmt_mmc.c) --- */

/**
 * struct vdisk_mmc - state of a virtual CD/DVD drive
 * @present: a medium is loaded
 * @nr_blocks: its number of 2048-byte blocks
 * @locked: PREVENT ALLOW MEDIUM REMOVAL in effect
 * @tray_open: ejected by START STOP UNIT
 * @event: pending media event code (GESN), 0 = none
 */
struct vdisk_mmc {
	bool present;
	u64 nr_blocks;
	bool locked;
	bool tray_open;
	u8 event;
};

#define VDISK_MMC_EV_NONE		0
#define VDISK_MMC_EV_EJECT_REQUEST	1
#define VDISK_MMC_EV_NEW_MEDIA		2
#define VDISK_MMC_EV_MEDIA_REMOVAL	3

#define VDISK_MMC_PROFILE_NONE		0x0000
#define VDISK_MMC_PROFILE_CDROM		0x0008
#define VDISK_MMC_PROFILE_DVDROM	0x0010

u16 vdisk_mmc_profile(const struct vdisk_mmc *m);
int vdisk_fmt_read_toc(u8 *buf, unsigned int size, const struct vdisk_mmc *m,
		       u8 format, bool msf, u8 track);
int vdisk_fmt_get_config(u8 *buf, unsigned int size,
			 const struct vdisk_mmc *m, u8 rt, u16 start);
int vdisk_fmt_gesn(u8 *buf, unsigned int size, const struct vdisk_mmc *m,
		   u8 classes);
int vdisk_fmt_disc_info(u8 *buf, unsigned int size,
			const struct vdisk_mmc *m);
int vdisk_fmt_track_info(u8 *buf, unsigned int size,
			 const struct vdisk_mmc *m, u8 type, u32 addr);
int vdisk_fmt_mech_status(u8 *buf, unsigned int size,
			  const struct vdisk_mmc *m);

#endif /* VDISK_FMT_H */
