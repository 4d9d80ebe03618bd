// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_cdb_pt.c - CDB helpers for pass-through devices
 */
#include "scst_cdb_int.h"
#include "scst_cdb_pt.h"
#include "scst_sense_codes.h"

#define PT_TYPE_TAPE		0x01
#define PT_TYPE_CHANGER		0x08

/*
 * SPC commands whose CDB layout is the same for every device type and
 * that the core itself looks at: REPORT LUNS and REQUEST SENSE are
 * answered by the core, RESERVE/RELEASE and PERSISTENT RESERVE must be
 * recognised so that they never reach a device shared by many nexuses.
 */
static bool pt_spc_common(u8 opcode)
{
	switch (opcode) {
	case 0x00:		/* TEST UNIT READY */
	case 0x03:		/* REQUEST SENSE */
	case 0x12:		/* INQUIRY */
	case 0x16: case 0x17:	/* RESERVE(6), RELEASE(6) */
	case 0x56: case 0x57:	/* RESERVE(10), RELEASE(10) */
	case 0x5e: case 0x5f:	/* PERSISTENT RESERVE IN/OUT */
	case 0xa0:		/* REPORT LUNS */
		return true;
	default:
		return false;
	}
}

/*
 * Commands the table does not know, per device type, that cannot change
 * the medium or what other nexuses see of it: they read, report or
 * position.  Every other unknown command, with or without data-out
 * (SANITIZE, WRITE LONG, ATA PASS-THROUGH, FORMAT MEDIUM, WRITE
 * FILEMARKS, LOAD UNLOAD, vendor commands, unknown service actions of
 * OUT opcodes), counts as writing: refused on read-only LUNs and a
 * conflict under Write Exclusive reservations held by another nexus.
 */
static bool pt_harmless_spc(u8 opcode)
{
	switch (opcode) {
	case 0x1a:		/* MODE SENSE(6) */
	case 0x1c:		/* RECEIVE DIAGNOSTIC RESULTS */
	case 0x3c:		/* READ BUFFER(10) */
	case 0x4d:		/* LOG SENSE */
	case 0x5a:		/* MODE SENSE(10) */
		return true;
	default:
		return false;
	}
}

static bool pt_harmless_disk(u8 opcode)
{
	switch (opcode) {
	case 0x37:		/* READ DEFECT DATA(10) */
	case 0x3e:		/* READ LONG(10) */
	case 0x9e:		/* SERVICE ACTION IN(16) */
	case 0xb7:		/* READ DEFECT DATA(12) */
		return true;
	default:
		return false;
	}
}

static bool pt_harmless_tape(u8 opcode)
{
	switch (opcode) {
	case 0x01:		/* REWIND */
	case 0x05:		/* READ BLOCK LIMITS */
	case 0x08:		/* READ(6) */
	case 0x0f:		/* READ REVERSE(6) */
	case 0x11:		/* SPACE(6) */
	case 0x13:		/* VERIFY(6) */
	case 0x14:		/* RECOVER BUFFERED DATA */
	case 0x2b:		/* LOCATE(10) */
	case 0x34:		/* READ POSITION */
	case 0x44:		/* REPORT DENSITY SUPPORT */
	case 0x8c:		/* READ ATTRIBUTE */
	case 0x91:		/* SPACE(16) */
	case 0x92:		/* LOCATE(16) */
		return true;
	default:
		return false;
	}
}

static bool pt_harmless_rom(u8 opcode)
{
	switch (opcode) {
	case 0x23:		/* READ FORMAT CAPACITIES */
	case 0x5c:		/* READ BUFFER CAPACITY */
	case 0xa4:		/* REPORT KEY */
	case 0xb9:		/* READ CD MSF */
	case 0xbe:		/* READ CD */
		return true;
	default:
		return false;
	}
}

/**
 * scst_cdb_pt_harmless() - whether a command the table lacks is known not
 *	to change the medium
 * @dev_type: peripheral device type
 * @opcode: operation code
 *
 * Return: true for the commands of the allow lists above (SPC reporting
 * commands for every type, plus reading and positioning commands of
 * disks, tapes, CD/DVD and changers).
 */
bool scst_cdb_pt_harmless(u8 dev_type, u8 opcode)
{
	if (pt_harmless_spc(opcode))
		return true;
	/* MAINTENANCE IN (REPORT ...), but SEND KEY (data-out) for MMC */
	if (opcode == 0xa3)
		return dev_type != SCST_TYPE_ROM;
	switch (dev_type) {
	case SCST_TYPE_DISK:
		return pt_harmless_disk(opcode);
	case PT_TYPE_TAPE:
		return pt_harmless_tape(opcode);
	case SCST_TYPE_ROM:
		return pt_harmless_rom(opcode);
	case PT_TYPE_CHANGER:
		return opcode == 0xb8;	/* READ ELEMENT STATUS */
	default:
		return false;
	}
}
SCST_LIB_EXPORT(scst_cdb_pt_harmless);

/**
 * scst_cdb_decode_pt() - decode a CDB for a pass-through device
 * @cdb: the CDB
 * @len: its length as received
 * @dev_type: peripheral device type of the device
 * @exp_dir: data direction the initiator announced
 * @exp_len: number of bytes it announced
 * @ci: result
 * @err: why -EINVAL was returned
 *
 * Commands the table has for @dev_type (opcode and service action) are
 * decoded by scst_cdb_decode(), the common SPC commands as for a disk.
 * Any other command, also an unknown service action of a known opcode, is
 * described by the transport's direction and length: the device is the
 * judge of its fields.  Unless scst_cdb_pt_harmless() knows it, such a
 * command is taken as writing the medium, whatever its direction
 * (SCST_CDB_WRITES_MEDIUM, SCST_RESV_WRITE).
 *
 * Return: 0, or -EINVAL with @err set (bidirectional or malformed).
 */
int scst_cdb_decode_pt(const u8 *cdb, unsigned int len, u8 dev_type,
		       enum scst_data_dir exp_dir, u32 exp_len,
		       struct scst_cdb_info *ci, struct scst_cdb_err *err)
{
	u16 sa;

	memset(err, 0, sizeof(*err));
	if (!len)
		goto invalid;
	if (pt_spc_common(cdb[0]))
		return scst_cdb_decode(cdb, len, SCST_TYPE_DISK, ci, err);
	sa = scst_cdb_opcode_has_sa(cdb[0]) && len > 1 ? cdb[1] & 0x1f : 0;
	if (scst_cdb_opcode_find(dev_type, cdb[0], sa))
		return scst_cdb_decode(cdb, len, dev_type, ci, err);

	if (exp_dir == SCST_DIR_BIDI)
		goto invalid;
	memset(ci, 0, sizeof(*ci));
	memset(err, 0, sizeof(*err));
	ci->opcode = cdb[0];
	ci->cdb_len = len;
	ci->dir = exp_len ? exp_dir : SCST_DIR_NONE;
	ci->data_len = ci->dir == SCST_DIR_NONE ? 0 : exp_len;
	if (scst_cdb_pt_harmless(dev_type, cdb[0])) {
		ci->resv = SCST_RESV_READ;
	} else {
		ci->resv = SCST_RESV_WRITE;
		ci->flags |= SCST_CDB_WRITES_MEDIUM;
	}
	ci->name = "pass-through";
	return 0;

invalid:
	err->key = SCST_KEY_ILLEGAL_REQUEST;
	err->asc = SCST_AQ_ASC(SCST_AQ_INVALID_FIELD_IN_CDB);
	err->ascq = SCST_AQ_ASCQ(SCST_AQ_INVALID_FIELD_IN_CDB);
	return -EINVAL;
}
SCST_LIB_EXPORT(scst_cdb_decode_pt);

/**
 * scst_cdb_rw_splittable() - whether a command is a plain READ or WRITE
 * @opcode: operation code
 *
 * Return: true for READ and WRITE (6/10/12/16), the commands of a disk
 * that can be sent as several smaller ones with the same effect.
 */
bool scst_cdb_rw_splittable(u8 opcode)
{
	switch (opcode) {
	case 0x08: case 0x0a:	/* READ(6), WRITE(6) */
	case 0x28: case 0x2a:	/* READ(10), WRITE(10) */
	case 0xa8: case 0xaa:	/* READ(12), WRITE(12) */
	case 0x88: case 0x8a:	/* READ(16), WRITE(16) */
		return true;
	default:
		return false;
	}
}
SCST_LIB_EXPORT(scst_cdb_rw_splittable);

/**
 * scst_cdb_rw_max_blocks() - largest transfer length of a READ/WRITE CDB
 * @opcode: a splittable operation code
 *
 * Return: the largest number of blocks one such CDB carries, 0 if
 * @opcode is not a splittable one.
 */
u32 scst_cdb_rw_max_blocks(u8 opcode)
{
	switch (opcode) {
	case 0x08: case 0x0a:
		return 256;
	case 0x28: case 0x2a:
		return 0xffff;
	case 0xa8: case 0xaa:
	case 0x88: case 0x8a:
		return 0xffffffff;
	default:
		return 0;
	}
}
SCST_LIB_EXPORT(scst_cdb_rw_max_blocks);

static void put_be(u8 *p, u64 v, unsigned int n)
{
	while (n--) {
		p[n] = v & 0xff;
		v >>= 8;
	}
}

/**
 * scst_cdb_rw_split() - set LBA and transfer length of a READ/WRITE CDB
 * @cdb: a copy of a READ or WRITE (6/10/12/16) CDB, rewritten in place
 * @lba: first logical block of the piece
 * @nblocks: its length in blocks, 1 .. scst_cdb_rw_max_blocks()
 *
 * Every other field (flags, group number, CONTROL) is left as received.
 *
 * Return: 0, or -EINVAL if the opcode is not splittable or the values
 * do not fit the CDB.
 */
int scst_cdb_rw_split(u8 *cdb, u64 lba, u32 nblocks)
{
	u32 max = scst_cdb_rw_max_blocks(cdb[0]);

	if (!max || !nblocks || nblocks > max)
		return -EINVAL;
	switch (cdb[0]) {
	case 0x08: case 0x0a:
		if (lba > 0x1fffff)
			return -EINVAL;
		cdb[1] = (cdb[1] & 0xe0) | ((lba >> 16) & 0x1f);
		cdb[2] = (lba >> 8) & 0xff;
		cdb[3] = lba & 0xff;
		cdb[4] = nblocks == 256 ? 0 : nblocks;
		return 0;
	case 0x28: case 0x2a:
		if (lba > 0xffffffffULL)
			return -EINVAL;
		put_be(&cdb[2], lba, 4);
		put_be(&cdb[7], nblocks, 2);
		return 0;
	case 0xa8: case 0xaa:
		if (lba > 0xffffffffULL)
			return -EINVAL;
		put_be(&cdb[2], lba, 4);
		put_be(&cdb[6], nblocks, 4);
		return 0;
	default:	/* 16-byte */
		put_be(&cdb[2], lba, 8);
		put_be(&cdb[10], nblocks, 4);
		return 0;
	}
}
SCST_LIB_EXPORT(scst_cdb_rw_split);
