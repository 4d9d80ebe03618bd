/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_cdb.h - CDB decoding for SPC-4, SBC-3 and MMC-6 commands
 *
 * scst_cdb_decode() validates a CDB against the command table for a
 * peripheral device type and extracts what the core needs to set up the
 * data transfer and to apply the generic checks (read-only LUNs, pending
 * unit attentions, reservations). Command-specific processing is left to
 * the caller, which may look at the CDB again.
 *
 * Reserved bits: every CDB byte is checked against the CDB usage data of
 * the command (the bit map REPORT SUPPORTED OPERATION CODES returns), so
 * any bit set that the table does not know is rejected with INVALID FIELD
 * IN CDB, with a field pointer at the highest such bit. The exceptions are
 * the vendor specific bits of the CONTROL byte and a few obsolete bits
 * initiators still send, which are ignored.
 */
#ifndef SCST_CDB_H
#define SCST_CDB_H

#include "scst_lib_types.h"

#define SCST_MAX_CDB_LEN	16

/* peripheral device types handled by the table */
#define SCST_TYPE_DISK		0x00
#define SCST_TYPE_ROM		0x05

enum scst_data_dir {
	SCST_DIR_NONE = 0,
	SCST_DIR_WRITE = 1,	/* data-out: initiator to target */
	SCST_DIR_READ = 2,	/* data-in: target to initiator */
	SCST_DIR_BIDI = 3,
};

/*
 * Reservation classes, from the SPC-4 table "SPC commands that are
 * allowed in the presence of various reservations" and its SBC-3
 * counterpart. The columns of those tables collapse into three patterns
 * (A = allowed, C = conflict; "non-holder" is an I_T nexus that does not
 * hold the reservation):
 *
 *                    WE    EA   | WE-RO/AR      | EA-RO/AR
 *                    non-holder | reg. / unreg. | reg. / unreg.
 *   ALLOWED          A     A    | A      A      | A      A
 *   READ             A     C    | A      A      | A      C
 *   WRITE            C     C    | A      C      | A      C
 *
 * PR_OUT and SPC2 commands follow their own rules (see scst_resv.h).
 * MMC has no such table; MMC media reads use READ, status queries
 * ALLOWED and SET CD SPEED WRITE.
 */
enum scst_resv_class {
	SCST_RESV_ALLOWED = 0,
	SCST_RESV_READ = 1,
	SCST_RESV_WRITE = 2,
	SCST_RESV_PR_OUT = 3,	/* PERSISTENT RESERVE OUT */
	SCST_RESV_SPC2 = 4,	/* RESERVE(6/10), RELEASE(6/10) */
};

/* scst_cdb_info.flags */
#define SCST_CDB_BLOCKIO	(1u << 0)  /* lba/nblocks valid */
#define SCST_CDB_WRITES_MEDIUM	(1u << 1)  /* refused on read-only LUNs */
#define SCST_CDB_FUA		(1u << 2)
#define SCST_CDB_DPO		(1u << 3)
#define SCST_CDB_UA_EXEMPT	(1u << 4)  /* runs despite a pending UA */
#define SCST_CDB_LUN_INDEPENDENT (1u << 5) /* may address an absent LUN */
#define SCST_CDB_UNMAP_BIT	(1u << 6)  /* WRITE SAME with UNMAP */
#define SCST_CDB_ANCHOR		(1u << 7)  /* WRITE SAME / UNMAP ANCHOR */
#define SCST_CDB_BYTCHK		(1u << 8)  /* compare data with the medium */
#define SCST_CDB_NDOB		(1u << 9)  /* WRITE SAME(16) NDOB */
#define SCST_CDB_NO_DATA	(1u << 10) /* nblocks valid, but no data */
#define SCST_CDB_DATA_ONE_BLOCK	(1u << 11) /* one block of data, any nblocks */
#define SCST_CDB_DATA_TWICE	(1u << 12) /* 2 * nblocks of data */
#define SCST_CDB_ZERO_TO_END	(1u << 13) /* nblocks == 0: up to last LBA */
#define SCST_CDB_IMMED		(1u << 14)
#define SCST_CDB_HAS_LBA	(1u << 15) /* lba valid (also non-BLOCKIO) */
#define SCST_CDB_SERVICE_ACTION	(1u << 16) /* service_action valid */
#define SCST_CDB_SAVE_PARAMS	(1u << 17) /* SP bit set (MODE/LOG SELECT) */
#define SCST_CDB_VAR_DATA_LEN	(1u << 18) /* data_len is the header only */
#define SCST_CDB_NEEDS_MEDIUM	(1u << 19) /* NOT READY if no medium */
#define SCST_CDB_SPC2_ALLOWED	(1u << 20) /* allowed under another nexus'
					    * RESERVE(6/10) reservation
					    */

/**
 * struct scst_cdb_info - result of scst_cdb_decode()
 * @opcode: CDB byte 0
 * @service_action: service action for opcodes that have one, else 0
 * @cdb_len: CDB length defined by the opcode
 * @dir: data transfer direction
 * @resv: enum scst_resv_class of this command
 * @flags: SCST_CDB_*
 * @lba: first logical block (SCST_CDB_BLOCKIO or SCST_CDB_HAS_LBA)
 * @nblocks: number of logical blocks (SCST_CDB_BLOCKIO); the data length
 *	in bytes is given by scst_cdb_data_len()
 * @data_len: non-block commands: allocation or parameter list length
 * @name: command name for logs, e.g. "READ(10)"
 */
struct scst_cdb_info {
	u8 opcode;
	u16 service_action;
	u8 cdb_len;
	enum scst_data_dir dir;
	u8 resv;
	u32 flags;
	u64 lba;
	u32 nblocks;
	u32 data_len;
	const char *name;
};

/**
 * struct scst_cdb_err - why scst_cdb_decode() returned -EINVAL
 * @key: sense key (always ILLEGAL REQUEST)
 * @asc: additional sense code, e.g. 0x24 INVALID FIELD IN CDB
 * @ascq: additional sense code qualifier
 * @sksv: true if @field/@bit are valid (sense key specific field pointer)
 * @field: byte offset of the offending field in the CDB
 * @bit: most significant bit of the offending field, or -1
 */
struct scst_cdb_err {
	u8 key;
	u8 asc;
	u8 ascq;
	bool sksv;
	u16 field;
	s8 bit;
};

/**
 * struct scst_cdb_opdesc - one supported command, for REPORT SUPPORTED
 *	OPERATION CODES
 * @opcode: operation code
 * @cdb_len: CDB length
 * @sa: service action, valid if @flags has SCST_CDB_SERVICE_ACTION
 * @types: bit n set: supported for peripheral device type n
 * @dir: default data direction
 * @resv: default reservation class
 * @flags: static SCST_CDB_* flags
 * @name: command name
 * @usage: CDB usage data (SPC-4 "one command" format): byte 0 is the
 *	opcode, the service action appears in its field, every other bit
 *	is one if the device server evaluates that CDB bit
 * @ignore: CDB bits that are accepted but neither evaluated nor reported
 *	(obsolete or vendor specific)
 * @xfer_off: offset of the transfer/allocation/parameter list length
 * @xfer_size: its size in bytes, 0 if none
 * @lba_off: offset of the LBA field
 * @lba_size: its size in bytes, 0 if none
 */
struct scst_cdb_opdesc {
	u8 opcode;
	u8 cdb_len;
	u16 sa;
	u8 types;
	u8 dir;
	u8 resv;
	u32 flags;
	const char *name;
	u8 usage[SCST_MAX_CDB_LEN];
	u8 ignore[SCST_MAX_CDB_LEN];
	u8 xfer_off;
	u8 xfer_size;
	u8 lba_off;
	u8 lba_size;
};

int scst_cdb_decode(const u8 *cdb, unsigned int len, u8 dev_type,
		    struct scst_cdb_info *ci, struct scst_cdb_err *err);
u64 scst_cdb_data_len(const struct scst_cdb_info *ci, u32 block_size);
bool scst_cdb_opcode_has_sa(u8 opcode);
const struct scst_cdb_opdesc *scst_cdb_opcode_find(u8 dev_type, u8 opcode,
						    u16 sa);
const struct scst_cdb_opdesc *scst_cdb_opcode_next(u8 dev_type,
						    unsigned int *pos);

#endif /* SCST_CDB_H */
