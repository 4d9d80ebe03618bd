// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: generic netlink family "scst".
 *
 * Not wired up yet: the family, its dumps and events come with
 * include/uapi/scst_netlink.h.
 */
#include "scst_priv.h"
#include "netlink.h"

int scst_netlink_init(void)
{
	return 0;
}

void scst_netlink_exit(void)
{
}

void scst_nl_event_session(struct scst_session *sess, bool added)
{
}

void scst_nl_event_luns_changed(struct scst_session *sess)
{
}
