/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_alua.h - asymmetric logical unit access (SPC-4 5.16): which
 * commands a target port group state lets through, REPORT TARGET PORT
 * GROUPS data and the SET TARGET PORT GROUPS parameter list
 */
#ifndef SCST_ALUA_H
#define SCST_ALUA_H

#include "scst_lib_types.h"

/* ASYMMETRIC ACCESS STATE values (SPC-4 6.37) */
#define SCST_ALUA_AO		0x0	/* active/optimized */
#define SCST_ALUA_ANO		0x1	/* active/non-optimized */
#define SCST_ALUA_STANDBY	0x2
#define SCST_ALUA_UNAVAILABLE	0x3
#define SCST_ALUA_OFFLINE	0xe
#define SCST_ALUA_TRANSITIONING	0xf

/* TPGS field of the standard INQUIRY data */
#define SCST_TPGS_IMPLICIT	0x1
#define SCST_TPGS_EXPLICIT	0x2

/* largest number of groups / ports per group RTPG reports */
#define SCST_ALUA_MAX_GROUPS	256

int scst_alua_state_parse(const char *s, u8 *state);
const char *scst_alua_state_name(u8 state);
u16 scst_alua_check(u8 state, const u8 *cdb, unsigned int cdb_len);

/**
 * struct scst_alua_tpg - one target port group, for RTPG
 * @id: TARGET PORT GROUP
 * @state: SCST_ALUA_*
 * @pref: PREF bit
 * @nports: entries of @ports
 * @ports: relative target port identifiers of its members
 */
struct scst_alua_tpg {
	u16 id;
	u8 state;
	bool pref;
	u16 nports;
	const u16 *ports;
};

int scst_alua_rtpg_build(u8 *buf, unsigned int size, bool extended,
			 u8 trans_time, const struct scst_alua_tpg *g,
			 unsigned int ngroups);

/**
 * struct scst_alua_stpg - one descriptor of SET TARGET PORT GROUPS
 * @state: requested SCST_ALUA_AO, _ANO, _STANDBY or _UNAVAILABLE
 * @id: TARGET PORT GROUP
 */
struct scst_alua_stpg {
	u8 state;
	u16 id;
};

int scst_alua_stpg_parse(const u8 *data, unsigned int len,
			 struct scst_alua_stpg *out, unsigned int max,
			 u16 *bad_byte);

#endif /* SCST_ALUA_H */
