/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SCST core: generic netlink family "scst" (runtime state and events).
 */
#ifndef _SCST_NETLINK_H
#define _SCST_NETLINK_H

struct scst_session;
struct scst_dev;
struct scst_cmd;

int scst_netlink_init(void);
void scst_netlink_exit(void);
void scst_nl_event_session(struct scst_session *sess, bool added);
void scst_nl_event_luns_changed(struct scst_session *sess);
void scst_nl_dev_event_work(struct work_struct *work);
void scst_nl_event_alua(const char *group, u16 id, u8 state);
void scst_nl_event_dev_error(struct scst_cmd *cmd);
void scst_nl_event_resv(struct scst_dev *dev);

#endif /* _SCST_NETLINK_H */
