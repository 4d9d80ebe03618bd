/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * SCST generic netlink protocol: runtime state that is not configuration
 * (sessions, counters, reservations) and events. Configuration lives in
 * configfs (/sys/kernel/config/scst).
 *
 * Family "scst", version 1, multicast group "events".
 *
 * Commands (requests with NLM_F_DUMP; one reply message per object):
 *   SCST_CMD_GET_SESSIONS  per session: TGT_DRIVER, TARGET, INITIATOR,
 *                          GROUP ("" = default LUN set), the session's
 *                          counters (COUNTERS below), LUNS (nested
 *                          LUN_ENTRY: LUN, DEVICE, READ_ONLY and the
 *                          COUNTERS of that LUN object: every session
 *                          that sees the same LUN set adds to them).
 *                          A session with more LUNs than fit in one
 *                          message comes in several consecutive
 *                          messages: the first as above, the others with
 *                          TGT_DRIVER, TARGET, INITIATOR, GROUP,
 *                          CONTINUED and the next LUNs.
 *   SCST_CMD_GET_DEVICES   per device: DEVICE, HANDLER, ENABLED, SIZE,
 *                          BLOCKSIZE, COUNTERS of the device (every LUN
 *                          linking to it) and, when persistent
 *                          reservations exist: PR_GENERATION, PR_HOLDER,
 *                          PR_TYPE, PR_REGISTRANTS (nested PR_REGISTRANT:
 *                          INITIATOR, PR_KEY)
 *   SCST_CMD_GET_STATS     one message: BUF_HITS, BUF_MISSES
 *
 * Events (multicast on "events", no request):
 *   SCST_EVT_SESSION_ADD   TGT_DRIVER, TARGET, INITIATOR, GROUP
 *   SCST_EVT_SESSION_DEL   TGT_DRIVER, TARGET, INITIATOR, GROUP
 *   SCST_EVT_LUNS_CHANGED  TGT_DRIVER, TARGET, GROUP
 *   SCST_EVT_DEV_ERROR     the device's GET_DEVICES attributes, plus
 *                          IO_ERRORS (total), LUN, SENSE_KEY, ASC, ASCQ
 *                          of the latest MEDIUM or HARDWARE ERROR; events
 *                          of one device are coalesced (a burst of errors
 *                          gives one event with the newest values)
 *   SCST_EVT_RESERVATION   the device's GET_DEVICES attributes (with the
 *                          reservation state) after registrations or the
 *                          reservation changed; coalesced the same way
 *   SCST_EVT_ALUA_STATE    ALUA_GROUP, ALUA_GROUP_ID, ALUA_STATE (0
 *                          active/optimized, 1 active/non-optimized, 2
 *                          standby, 3 unavailable, 14 offline, 15
 *                          transitioning) after a target port group
 *                          changed its state (configfs or SET TARGET
 *                          PORT GROUPS)
 *
 * COUNTERS (since the LUN's mkdir, the session's login, the device's
 * mkdir): CMDS, READ_BYTES (data-in delivered), WRITE_BYTES (data-out of
 * commands that ended GOOD), ERRORS (CHECK CONDITION), OTHER_ERRORS (any
 * other status but GOOD, aborted commands included), and LAT_READ,
 * LAT_WRITE, LAT_OTHER: latency histograms (from the command's arrival
 * to its response) of commands whose CDB reads, writes, or neither.  A
 * histogram is an array of u64 in host byte order: element 0 counts
 * latencies under 1 us, element i (1 <= i < SCST_LAT_BUCKETS - 1) those
 * in [2^(i-1), 2^i) us, the last one everything longer.  Trailing zero
 * elements are left out (an empty histogram is no attribute at all).
 * Kernels before these counters sent none of them (a reader shows them
 * as unknown, not as 0).
 *
 * Strings are NUL-terminated (NLA_NUL_STRING). u64 values are sent with
 * nla_put_u64_64bit(..., SCST_ATTR_PAD). New attributes are only added
 * at the end of enum scst_attr; readers ignore attributes they do not know.
 */
#ifndef _UAPI_SCST_NETLINK_H
#define _UAPI_SCST_NETLINK_H

#include <linux/types.h>

#define SCST_GENL_NAME		"scst"
#define SCST_GENL_VERSION	1
#define SCST_GENL_MCGRP_EVENTS	"events"
#define SCST_LAT_BUCKETS	24	/* elements of a latency histogram */

enum scst_nl_cmd {
	SCST_CMD_UNSPEC,
	SCST_CMD_GET_SESSIONS,
	SCST_CMD_GET_DEVICES,
	SCST_CMD_GET_STATS,
	SCST_EVT_SESSION_ADD,
	SCST_EVT_SESSION_DEL,
	SCST_EVT_LUNS_CHANGED,
	SCST_EVT_DEV_ERROR,
	SCST_EVT_RESERVATION,
	SCST_EVT_ALUA_STATE,
	__SCST_CMD_MAX,
};
#define SCST_CMD_MAX (__SCST_CMD_MAX - 1)

enum scst_nl_attr {
	SCST_ATTR_UNSPEC,
	SCST_ATTR_PAD,			/* padding for 64-bit attributes */
	SCST_ATTR_TGT_DRIVER,		/* string: target driver ("iscsi") */
	SCST_ATTR_TARGET,		/* string: target name */
	SCST_ATTR_INITIATOR,		/* string: initiator name */
	SCST_ATTR_GROUP,		/* string: group, "" = default LUN set */
	SCST_ATTR_LUNS,			/* nested: SCST_ATTR_LUN_ENTRY ... */
	SCST_ATTR_LUN_ENTRY,		/* nested: LUN, DEVICE, READ_ONLY, counters */
	SCST_ATTR_LUN,			/* u32 */
	SCST_ATTR_DEVICE,		/* string: device name */
	SCST_ATTR_READ_ONLY,		/* u8: 0/1 */
	SCST_ATTR_CMDS,			/* u64: commands completed */
	SCST_ATTR_READ_BYTES,		/* u64 */
	SCST_ATTR_WRITE_BYTES,		/* u64 */
	SCST_ATTR_ERRORS,		/* u64: commands completed with CHECK CONDITION */
	SCST_ATTR_HANDLER,		/* string: device handler */
	SCST_ATTR_ENABLED,		/* u8: 0/1 */
	SCST_ATTR_SIZE,			/* u64: bytes */
	SCST_ATTR_BLOCKSIZE,		/* u32: bytes */
	SCST_ATTR_PR_GENERATION,	/* u32: PRgeneration */
	SCST_ATTR_PR_HOLDER,		/* string: initiator holding the reservation */
	SCST_ATTR_PR_TYPE,		/* u8: SPC-4 reservation type, 0 = none */
	SCST_ATTR_PR_REGISTRANTS,	/* nested: SCST_ATTR_PR_REGISTRANT ... */
	SCST_ATTR_PR_REGISTRANT,	/* nested: INITIATOR, PR_KEY */
	SCST_ATTR_PR_KEY,		/* u64: reservation key */
	SCST_ATTR_BUF_HITS,		/* u64: buffer cache hits */
	SCST_ATTR_BUF_MISSES,		/* u64: buffer cache misses */
	SCST_ATTR_IO_ERRORS,		/* u64: MEDIUM/HARDWARE ERROR completions */
	SCST_ATTR_SENSE_KEY,		/* u8 */
	SCST_ATTR_ASC,			/* u8 */
	SCST_ATTR_ASCQ,			/* u8 */
	SCST_ATTR_OTHER_ERRORS,		/* u64: other non-GOOD statuses */
	SCST_ATTR_LAT_READ,		/* binary: u64[], read latencies */
	SCST_ATTR_LAT_WRITE,		/* binary: u64[], write latencies */
	SCST_ATTR_LAT_OTHER,		/* binary: u64[], other commands */
	SCST_ATTR_CONTINUED,		/* u8: 1 = same session as before */
	SCST_ATTR_ALUA_GROUP,		/* string: alua/port_groups/<name> */
	SCST_ATTR_ALUA_GROUP_ID,	/* u16: target port group id */
	SCST_ATTR_ALUA_STATE,		/* u8: SPC-4 asymmetric access state */
	__SCST_ATTR_MAX,
};
#define SCST_ATTR_MAX (__SCST_ATTR_MAX - 1)

#endif /* _UAPI_SCST_NETLINK_H */
