/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_pr.h - persistent reservations: PERSISTENT RESERVE OUT parameter
 * lists, TransportIDs and the APTPL state file format (SPC-4 6.15, 6.16,
 * 7.6.4)
 */
#ifndef SCST_PR_H
#define SCST_PR_H

#include "scst_lib_types.h"
#include "scst_cdb.h"

/*
 * longest initiator port name we keep, with its NUL: an iSCSI name (at
 * most 223 bytes), ",i,0x" and a 12-digit ISID
 */
#define SCST_PR_NAME_MAX	244

/* what follows the iSCSI name in an initiator port name (SPC-4 7.6.4.6) */
#define SCST_PR_ISID_SEP	",i,0x"
#define SCST_PR_PORT_SUFFIX_LEN	(5 + 12)

/* TransportID protocol identifier of iSCSI */
#define SCST_PR_PROTO_ISCSI	0x5

/**
 * struct scst_pr_out_params - a decoded PERSISTENT RESERVE OUT parameter
 *	list
 * @key: RESERVATION KEY
 * @sa_key: SERVICE ACTION RESERVATION KEY
 * @spec_i_pt: SPEC_I_PT bit
 * @all_tg_pt: ALL_TG_PT bit
 * @aptpl: APTPL bit
 * @unreg: UNREG bit (REGISTER AND MOVE)
 * @rel_tgt_id: RELATIVE TARGET PORT IDENTIFIER (REGISTER AND MOVE)
 * @tid_off: offset of the first TransportID in the list, 0 if none
 * @tid_len: total length of the TransportIDs
 */
struct scst_pr_out_params {
	u64 key;
	u64 sa_key;
	bool spec_i_pt;
	bool all_tg_pt;
	bool aptpl;
	bool unreg;
	u16 rel_tgt_id;
	u32 tid_off;
	u32 tid_len;
};

int scst_pr_out_parse(const u8 *buf, u32 len, u16 sa,
		      struct scst_pr_out_params *p, struct scst_cdb_err *err);
int scst_pr_tid_parse(const u8 *tid, u32 avail, char *name, size_t name_len,
		      u32 *tid_len);
u32 scst_pr_tid_build(const char *name, u8 *buf, u32 len);
bool scst_pr_name_is_port(const char *name);

/* --- APTPL state file --- */

#define SCST_PR_FILE_MAGIC	"SCSTPR\r\n"
#define SCST_PR_FILE_VERSION	2	/* written */
#define SCST_PR_FILE_VERSION_MIN 1	/* oldest still read */
#define SCST_PR_FILE_HDR_LEN	20	/* magic, version, length, crc32 */
#define SCST_PR_FILE_MAX_REGS	4096

/**
 * struct scst_pr_rec - one registration as stored in the APTPL file
 * @key: reservation key
 * @rel_tgt_id: relative target port identifier of the I_T nexus
 * @all_tg_pt: registered through every target port
 * @holder: this registration holds the reservation
 * @name: initiator port name (version 1: initiator name)
 */
struct scst_pr_rec {
	u64 key;
	u16 rel_tgt_id;
	bool all_tg_pt;
	bool holder;
	char name[SCST_PR_NAME_MAX];
};

/**
 * struct scst_pr_file_state - device-wide part of the APTPL file
 * @version: format version of a file read (scst_pr_file_encode() always
 *	writes SCST_PR_FILE_VERSION)
 * @generation: PRgeneration
 * @type: reservation type (SCST_PR_TYPE_*), 0 if none
 * @aptpl: APTPL in effect; false means "restore nothing"
 * @nr_regs: number of registrations that follow
 */
struct scst_pr_file_state {
	u32 version;
	u32 generation;
	u8 type;
	bool aptpl;
	u32 nr_regs;
};

u32 scst_pr_crc32(const u8 *buf, size_t len);
size_t scst_pr_file_size(u32 nr_regs);
size_t scst_pr_file_encode(u8 *buf, size_t len,
			   const struct scst_pr_file_state *st,
			   const struct scst_pr_rec *recs);
int scst_pr_file_check(const u8 *buf, size_t len,
		       struct scst_pr_file_state *st);
int scst_pr_file_rec(const u8 *buf, size_t len, u32 i,
		     struct scst_pr_rec *rec);

#endif /* SCST_PR_H */
