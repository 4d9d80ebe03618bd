/* SPDX-License-Identifier: GPL-2.0-only */
/* scstctl: runtime data from the generic netlink family "scst" */
#ifndef SCSTCTL_NETLINK_H
#define SCSTCTL_NETLINK_H

#include <stdint.h>
#include <netlink/msg.h>

#include <uapi/scst_netlink.h>

#include "model.h"

enum { RT_LAT_READ, RT_LAT_WRITE, RT_LAT_OTHER, RT_LAT_DIRS };

/* I/O counters of a LUN, session or device (COUNTERS in scst_netlink.h) */
struct rt_stats {
	bool present;		/* false: a kernel without counters */
	uint64_t cmds, read_bytes, write_bytes, errors, other_errors;
	uint64_t lat[RT_LAT_DIRS][SCST_LAT_BUCKETS];
};

struct rt_lun {
	uint32_t lun;
	char *device;
	bool read_only;
	struct rt_stats st;
};

struct rt_session {
	char *driver, *target, *initiator, *group;
	struct rt_stats st;
	struct rt_lun *luns;
	int nluns, cap;
};

struct rt_registrant {
	char *initiator;
	uint64_t key;
};

struct rt_device {
	char *name, *handler;
	bool enabled, has_pr;
	uint64_t size;
	struct rt_stats st;
	uint32_t blocksize, pr_generation;
	char *pr_holder;
	uint8_t pr_type;
	struct rt_registrant *regs;
	int nregs, cap;
};

struct runtime {
	bool available;
	char *why;		/* why not available */
	struct rt_session *sess;
	int nsess, caps;
	struct rt_device *devs;
	int ndevs, capd;
	bool have_stats;
	uint64_t buf_hits, buf_misses;
};

/*
 * 0 = queried (or family absent: available false, why set); -EPERM = the
 * kernel refused (not CAP_NET_ADMIN): available false, why set
 */
int nl_query(struct runtime *rt);
/* one reply message of GET_SESSIONS / GET_DEVICES / GET_STATS into @rt */
int nl_parse_session(struct nl_msg *msg, struct runtime *rt);
int nl_parse_device(struct nl_msg *msg, struct runtime *rt);
int nl_parse_stats(struct nl_msg *msg, struct runtime *rt);
void rt_free(struct runtime *rt);

/* an event: name plus attributes rendered as key/value strings */
struct nl_event {
	const char *name;
	struct kvlist kv;
};

/* runs until an error; cb is called for every event */
int nl_monitor(void (*cb)(const struct nl_event *ev, void *arg), void *arg,
	       char *err, size_t n);

#endif
