/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_cdb_pt.h - CDB helpers for pass-through devices
 *
 * A pass-through device executes commands the command table does not
 * know (tape, changer, vendor commands).  scst_cdb_decode_pt() describes
 * such a command from what the transport says about it; the table still
 * decodes every command it knows, so that the core's checks (UNIT
 * ATTENTION, ranges, read-only LUNs) apply to them.  An unknown command
 * counts as writing the medium unless scst_cdb_pt_harmless() lists it.
 *
 * scst_cdb_rw_split() rewrites the LBA and transfer length of a READ or
 * WRITE (6/10/12/16) copy, to send a transfer larger than the device
 * takes as several commands.
 */
#ifndef SCST_CDB_PT_H
#define SCST_CDB_PT_H

#include "scst_cdb.h"

int scst_cdb_decode_pt(const u8 *cdb, unsigned int len, u8 dev_type,
		       enum scst_data_dir exp_dir, u32 exp_len,
		       struct scst_cdb_info *ci, struct scst_cdb_err *err);
bool scst_cdb_pt_harmless(u8 dev_type, u8 opcode);
bool scst_cdb_rw_splittable(u8 opcode);
u32 scst_cdb_rw_max_blocks(u8 opcode);
int scst_cdb_rw_split(u8 *cdb, u64 lba, u32 nblocks);

#endif /* SCST_CDB_PT_H */
