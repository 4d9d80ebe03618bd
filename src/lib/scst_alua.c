// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_alua.c - asymmetric logical unit access (SPC-4 5.16), the pure
 * part: the commands each access state lets through (5.16.2.4), REPORT
 * TARGET PORT GROUPS data (6.37) and the SET TARGET PORT GROUPS
 * parameter list (6.45)
 */
#include "scst_alua.h"
#include "scst_sense_codes.h"

static const struct {
	u8 state;
	const char *name;
} scst_alua_names[] = {
	{ SCST_ALUA_AO, "active_optimized" },
	{ SCST_ALUA_ANO, "active_nonoptimized" },
	{ SCST_ALUA_STANDBY, "standby" },
	{ SCST_ALUA_UNAVAILABLE, "unavailable" },
	{ SCST_ALUA_OFFLINE, "offline" },
	{ SCST_ALUA_TRANSITIONING, "transitioning" },
};

#define SCST_ALUA_NSTATES \
	(sizeof(scst_alua_names) / sizeof(scst_alua_names[0]))

/**
 * scst_alua_state_parse() - a state's name to its value
 * @s: name, optionally followed by one newline
 * @state: the value (SCST_ALUA_*)
 *
 * Return: 0, or -EINVAL for an unknown name.
 */
int scst_alua_state_parse(const char *s, u8 *state)
{
	unsigned int i, n = (unsigned int)strlen(s);

	if (n && s[n - 1] == '\n')
		n--;
	for (i = 0; i < SCST_ALUA_NSTATES; i++) {
		if (strlen(scst_alua_names[i].name) == n &&
		    !strncmp(s, scst_alua_names[i].name, n)) {
			*state = scst_alua_names[i].state;
			return 0;
		}
	}
	return -EINVAL;
}
SCST_LIB_EXPORT(scst_alua_state_parse);

/**
 * scst_alua_state_name() - the name of an access state
 * @state: SCST_ALUA_*
 *
 * Return: the name, "reserved" for a value SPC-4 does not define.
 */
const char *scst_alua_state_name(u8 state)
{
	unsigned int i;

	for (i = 0; i < SCST_ALUA_NSTATES; i++)
		if (scst_alua_names[i].state == state)
			return scst_alua_names[i].name;
	return "reserved";
}
SCST_LIB_EXPORT(scst_alua_state_name);

/* READ BUFFER / WRITE BUFFER in echo buffer mode (0Ah) */
static bool scst_alua_echo_buffer(const u8 *cdb, unsigned int len)
{
	return (cdb[0] == 0x3c || cdb[0] == 0x3b) && len > 1 &&
	       (cdb[1] & 0x1f) == 0x0a;
}

/*
 * Allowed in every state: INQUIRY, REPORT LUNS, REQUEST SENSE, REPORT
 * TARGET PORT GROUPS and the other MAINTENANCE IN reports (supported
 * operation codes and task management functions), echo buffer.
 */
static bool scst_alua_always(const u8 *cdb, unsigned int len)
{
	switch (cdb[0]) {
	case 0x12:	/* INQUIRY */
	case 0xa0:	/* REPORT LUNS */
	case 0x03:	/* REQUEST SENSE */
		return true;
	case 0xa3:	/* MAINTENANCE IN */
		if (len < 2)
			return false;
		return (cdb[1] & 0x1f) == 0x0a || (cdb[1] & 0x1f) == 0x0c ||
		       (cdb[1] & 0x1f) == 0x0d;
	}
	return scst_alua_echo_buffer(cdb, len);
}

static bool scst_alua_stpg(const u8 *cdb, unsigned int len)
{
	return cdb[0] == 0xa4 && len > 1 && (cdb[1] & 0x1f) == 0x0a;
}

/*
 * SPC-4 5.16.2.4.4: besides the above, standby allows these; SBC-3
 * (4.20, ALUA) adds READ CAPACITY, so that an initiator learns the
 * capacity through a standby path too.
 */
static bool scst_alua_standby_ok(const u8 *cdb, unsigned int len)
{
	switch (cdb[0]) {
	case 0x25:	/* READ CAPACITY(10) */
	case 0x4c:	/* LOG SELECT */
	case 0x4d:	/* LOG SENSE */
	case 0x15:	/* MODE SELECT(6) */
	case 0x55:	/* MODE SELECT(10) */
	case 0x1a:	/* MODE SENSE(6) */
	case 0x5a:	/* MODE SENSE(10) */
	case 0x1c:	/* RECEIVE DIAGNOSTIC RESULTS */
	case 0x1d:	/* SEND DIAGNOSTIC */
	case 0x5e:	/* PERSISTENT RESERVE IN */
	case 0x5f:	/* PERSISTENT RESERVE OUT */
		return true;
	case 0x9e:	/* READ CAPACITY(16) */
		return len > 1 && (cdb[1] & 0x1f) == 0x10;
	}
	return scst_alua_stpg(cdb, len);
}

/**
 * scst_alua_check() - may a command run in an access state
 * @state: the access state of the target port group the command came in
 *	through (SCST_ALUA_*)
 * @cdb: the CDB
 * @cdb_len: its length, at least 1
 *
 * The refused command ends with CHECK CONDITION, sense key NOT READY and
 * the additional sense code returned: LOGICAL UNIT NOT ACCESSIBLE,
 * TARGET PORT IN STANDBY STATE (04h/0Bh), ... IN UNAVAILABLE STATE
 * (04h/0Ch), ... ASYMMETRIC ACCESS STATE TRANSITION (04h/0Ah), or
 * LOGICAL UNIT NOT READY, OFFLINE (04h/12h).  A reserved state value
 * is treated as unavailable.
 *
 * Return: 0 if the command may run, else the ASC/ASCQ (SCST_AQ()).
 */
u16 scst_alua_check(u8 state, const u8 *cdb, unsigned int cdb_len)
{
	if (state == SCST_ALUA_AO || state == SCST_ALUA_ANO)
		return 0;
	if (!cdb_len)
		return SCST_AQ_LU_NOT_READY_ALUA_UNAVAILABLE;
	if (scst_alua_always(cdb, cdb_len))
		return 0;
	switch (state) {
	case SCST_ALUA_STANDBY:
		return scst_alua_standby_ok(cdb, cdb_len) ? 0 :
		       SCST_AQ_LU_NOT_READY_ALUA_STANDBY;
	case SCST_ALUA_TRANSITIONING:
		return SCST_AQ_LU_NOT_READY_ALUA_TRANSITION;
	case SCST_ALUA_OFFLINE:
		return SCST_AQ_LU_NOT_READY_OFFLINE;
	default:
		return scst_alua_stpg(cdb, cdb_len) ? 0 :
		       SCST_AQ_LU_NOT_READY_ALUA_UNAVAILABLE;
	}
}
SCST_LIB_EXPORT(scst_alua_check);

/* T_SUP, O_SUP, U_SUP, S_SUP, AN_SUP, AO_SUP: every state above */
#define SCST_ALUA_SUP		0xcf
#define SCST_RTPG_DESC_LEN	8

/**
 * scst_alua_rtpg_build() - REPORT TARGET PORT GROUPS parameter data
 * @buf: output
 * @size: size of @buf
 * @extended: extended header (PARAMETER DATA FORMAT 001b) with @trans_time
 * @trans_time: IMPLICIT TRANSITION TIME, seconds
 * @g: the groups
 * @ngroups: entries of @g
 *
 * A group with more than 255 ports lists its first 255 (TARGET PORT
 * COUNT is one byte).
 *
 * Return: the length of the data, or -ENOSPC if it does not fit @size
 * (the caller sizes @buf with scst_alua_rtpg_build(NULL, 0, ...)'s
 * answer: with a NULL @buf the length is computed only).
 */
int scst_alua_rtpg_build(u8 *buf, unsigned int size, bool extended,
			 u8 trans_time, const struct scst_alua_tpg *g,
			 unsigned int ngroups)
{
	unsigned int hdr = extended ? 8 : 4, len = hdr, i, j, n;
	u8 *p;

	for (i = 0; i < ngroups; i++)
		len += SCST_RTPG_DESC_LEN + 4 * (g[i].nports > 255 ? 255 :
						 g[i].nports);
	if (!buf)
		return (int)len;
	if (len > size)
		return -ENOSPC;
	memset(buf, 0, len);
	put_unaligned_be32(len - 4, buf);
	if (extended) {
		buf[4] = 0x10;
		buf[5] = trans_time;
	}
	p = buf + hdr;
	for (i = 0; i < ngroups; i++) {
		n = g[i].nports > 255 ? 255 : g[i].nports;
		p[0] = (g[i].pref ? 0x80 : 0) | (g[i].state & 0x0f);
		p[1] = SCST_ALUA_SUP;
		put_unaligned_be16(g[i].id, p + 2);
		p[7] = (u8)n;
		p += SCST_RTPG_DESC_LEN;
		for (j = 0; j < n; j++, p += 4)
			put_unaligned_be16(g[i].ports[j], p + 2);
	}
	return (int)len;
}
SCST_LIB_EXPORT(scst_alua_rtpg_build);

/**
 * scst_alua_stpg_parse() - SET TARGET PORT GROUPS parameter list
 * @data: the parameter list (4 reserved bytes, then 4-byte descriptors)
 * @len: its length
 * @out: the descriptors, in order
 * @max: entries of @out
 * @bad_byte: on -EINVAL the byte of @data with the invalid field
 *
 * Only active/optimized, active/non-optimized, standby and unavailable
 * may be asked for.  A list of 0 bytes is valid and asks for nothing.
 *
 * Return: the number of descriptors, -EINVAL for an invalid field (a
 * requested state that may not be set, a length that is not a multiple
 * of four), -E2BIG for more than @max descriptors.
 */
int scst_alua_stpg_parse(const u8 *data, unsigned int len,
			 struct scst_alua_stpg *out, unsigned int max,
			 u16 *bad_byte)
{
	unsigned int i, n;
	u8 state;

	if (!len)
		return 0;
	if (len < 4 || len % 4) {
		*bad_byte = 0;
		return -EINVAL;
	}
	n = (len - 4) / 4;
	if (n > max)
		return -E2BIG;
	for (i = 0; i < n; i++) {
		const u8 *d = data + 4 + 4 * i;

		state = d[0] & 0x0f;
		if (state != SCST_ALUA_AO && state != SCST_ALUA_ANO &&
		    state != SCST_ALUA_STANDBY &&
		    state != SCST_ALUA_UNAVAILABLE) {
			*bad_byte = (u16)(4 + 4 * i);
			return -EINVAL;
		}
		out[i].state = state;
		out[i].id = get_unaligned_be16(d + 2);
	}
	return (int)n;
}
SCST_LIB_EXPORT(scst_alua_stpg_parse);
