/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SCST core: reservations of a device, SPC-2 (RESERVE/RELEASE) and
 * SPC-4 persistent reservations.
 *
 * Locking: dev->resv.mutex serialises the commands that change the state
 * (RESERVE, RELEASE, PERSISTENT RESERVE OUT) and the APTPL file; it is
 * taken in process context only.  dev->resv.lock (spinlock) protects the
 * state itself and is what the I/O path takes to check for a conflict,
 * and only when dev->resv.active says there is anything to check.
 *
 * An I_T nexus is named by its initiator port name (the session's
 * port_name: "<iqn>,i,0x<ISID>" for iSCSI, the initiator name for
 * scst_local) and the relative target port identifier of its target port
 * (scst_sess_rel_tgt_id()).  A registration made with ALL_TG_PT holds
 * for every target port; one whose name is not a port name (a
 * TransportID of format 00b, an APTPL file of version 1) holds for every
 * initiator port of that initiator.  Registrations outlive sessions; an
 * SPC-2 reservation belongs to one session and ends with it.
 */
#ifndef _SCST_PR_PRIV_H
#define _SCST_PR_PRIV_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include <scst_pr.h>
#include <scst_resv.h>

struct scst_dev;
struct scst_session;
struct scst_cmd;

/**
 * struct scst_pr_reg - one registered I_T nexus
 * @entry: in scst_resv.regs
 * @key: its reservation key
 * @rel_tgt_id: relative target port identifier
 * @all_tg_pt: registered through every target port (@rel_tgt_id unused)
 * @name: initiator port name, or initiator name (see above)
 */
struct scst_pr_reg {
	struct list_head	entry;
	u64			key;
	u16			rel_tgt_id;
	bool			all_tg_pt;
	char			name[SCST_PR_NAME_MAX];
};

/**
 * struct scst_resv - reservation state of a device
 * @mutex: serialises changes, see above
 * @lock: protects everything below
 * @active: an SPC-2 reservation, a registration or a persistent
 *	reservation exists
 * @spc2_holder: session holding an SPC-2 reservation, or NULL
 * @regs: registrations (struct scst_pr_reg)
 * @nr_regs: their number
 * @generation: PRgeneration
 * @holder: registration holding the persistent reservation, or NULL;
 *	for the all-registrants types any registration (all hold it)
 * @type: its type, SCST_PR_TYPE_NONE if none
 * @aptpl: activate persist through power loss
 * @file_aptpl: the APTPL file on disk holds state with APTPL set
 */
struct scst_resv {
	struct mutex		mutex;
	spinlock_t		lock;
	bool			active;
	struct scst_session	*spc2_holder;
	struct list_head	regs;
	unsigned int		nr_regs;
	u32			generation;
	struct scst_pr_reg	*holder;
	u8			type;
	bool			aptpl;
	bool			file_aptpl;
};

#define SCST_PR_MAX_REGS	1024

/* reserve.c */
void scst_resv_init(struct scst_resv *r);
void scst_resv_free(struct scst_resv *r);
bool scst_resv_cmd_is_ours(struct scst_cmd *cmd);
bool scst_resv_op_is_ours(u8 opcode, u8 resv);
bool scst_resv_conflict(struct scst_cmd *cmd);
void scst_resv_exec(struct scst_cmd *cmd);
void scst_resv_update_active(struct scst_resv *r);
void scst_resv_spc2_reset(struct scst_dev *dev, struct scst_session *sess);
void scst_resv_sess_gone(struct scst_session *sess);
void scst_resv_changed(struct scst_dev *dev);
void scst_resv_tmf_reset(enum scst_tmf fn, struct scst_session *sess,
			 struct scst_device *dev);

/* pr.c, pr_in.c */
void scst_pr_out(struct scst_cmd *cmd);
void scst_pr_in(struct scst_cmd *cmd);
struct scst_pr_reg *scst_pr_find(struct scst_resv *r, const char *name,
				 u16 rel_tgt_id);
struct scst_pr_reg *scst_pr_find_nexus(struct scst_resv *r,
				       struct scst_session *sess);
bool scst_pr_is_holder(struct scst_resv *r, struct scst_pr_reg *reg);
void scst_pr_remove_all(struct scst_resv *r);
int scst_pr_show(struct scst_dev *dev, char *page, size_t size);

/* tmf.c, target.c */
void scst_tmf_abort_sessions(struct scst_session *sess,
			     struct scst_device *dev,
			     bool (*match)(struct scst_session *sess,
					   void *data),
			     void *data);
bool scst_tgt_rel_id_exists(u16 rel_tgt_id);

/* pr_file.c */
extern char *scst_pr_dir;
int scst_pr_file_save(struct scst_dev *dev);
void scst_pr_file_load(struct scst_dev *dev);

#endif /* _SCST_PR_PRIV_H */
