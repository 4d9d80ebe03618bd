/* SPDX-License-Identifier: GPL-2.0-only */
/* scstctl: runtime data from the generic netlink family "scst" */
#ifndef SCSTCTL_NETLINK_H
#define SCSTCTL_NETLINK_H

#include <stdint.h>

#include "model.h"

struct rt_lun {
	uint32_t lun;
	char *device;
	bool read_only;
	uint64_t cmds, read_bytes, write_bytes, errors;
};

struct rt_session {
	char *driver, *target, *initiator, *group;
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
	uint64_t size, cmds, errors;
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
