/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_local: a target driver whose sessions are Linux SCSI hosts.
 *
 * Objects
 * -------
 * struct scst_local_tgt   one per targets/scst_local/<target>/; owns the
 *                         default group sessions/ and the list of sessions.
 * struct scst_local_sess  one per sessions/<initiator>/ (a config_item).
 *                         While its target is enabled it is "online": it
 *                         has an SCST session and a Scsi_Host.
 * struct scst_local_host  the Scsi_Host's private data (shost_priv()).
 * struct scst_local_cmd   the scsi_cmnd's private data (scsi_cmd_priv());
 *                         embeds the struct scst_cmd, so a command costs
 *                         no allocation.
 *
 * Locking rules
 * -------------
 * ltgt->mutex   protects ltgt->sessions, ltgt->nr_sessions,
 *               ltgt->enabled and, for every session of the target,
 *               lsess->shost (i.e. whether it is online).  Taken in
 *               make_item/drop_item (configfs su_mutex held) and in
 *               ->enable_target() (the core's tgt->enable_mutex held);
 *               the core's scst_cfg_mutex nests inside it (session
 *               registration).  Never taken on the I/O path.
 * lcmd->state   (atomic) decides who completes a scsi_cmnd: the driver
 *               through scsi_done(), or the SCSI error handler.  See
 *               host.c for the state machine.
 * lh->tmf_rwsem  held for reading while a task management function uses
 *               lh->sess, for writing while the host, already removed,
 *               drops lh->sess before the session is unregistered.
 * The I/O path (queuecommand, ->xmit_response) takes no lock of its own.
 *
 * Lifetimes
 * ---------
 * A Scsi_Host lives from scst_local_host_add() to scst_local_host_remove();
 * its SCST session is registered before the host is added and
 * unregistered after scsi_remove_host() has drained every command.  A
 * session item pins its target's sessions/ group (configfs parent
 * reference), and that group's release frees the scst_local_tgt.
 */
#ifndef _SCST_LOCAL_H
#define _SCST_LOCAL_H

#include <linux/atomic.h>
#include <linux/configfs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/wait.h>

#include <scst/scst.h>

#define SCST_LOCAL_NAME		"scst_local"
#define SCST_LOCAL_MAX_SESSIONS	1024	/* per target (configfs schema) */
#define SCST_LOCAL_NAME_MAX	223	/* initiator name (configfs schema) */

struct Scsi_Host;

struct scst_local_tgt {
	struct scst_tgt		*tgt;
	struct config_group	sessions_group;
	struct mutex		mutex;
	struct list_head	sessions;
	unsigned int		nr_sessions;
	bool			enabled;
};

struct scst_local_sess {
	struct config_item	item;
	struct scst_local_tgt	*ltgt;
	struct list_head	entry;		/* in ltgt->sessions */
	struct Scsi_Host	*shost;		/* NULL while offline */
};

struct scst_local_host {
	struct scst_local_sess	*lsess;
	struct scst_session	*sess;		/* NULL once unregistered */
	struct rw_semaphore	tmf_rwsem;	/* read: a TMF uses sess */
	wait_queue_head_t	eh_wait;	/* eh_released changed */
	atomic_t		eh_released;	/* timed-out commands released */
};

struct scst_local_cmd {
	struct scst_cmd		cmd;
	atomic_t		state;		/* enum scst_local_cmd_state */
};

static inline struct scst_local_tgt *
to_scst_local_tgt(struct config_group *sessions_group)
{
	return container_of(sessions_group, struct scst_local_tgt,
			    sessions_group);
}

static inline struct scst_local_sess *to_scst_local_sess(struct config_item *item)
{
	return container_of(item, struct scst_local_sess, item);
}

static inline struct scst_local_cmd *to_scst_local_cmd(struct scst_cmd *cmd)
{
	return container_of(cmd, struct scst_local_cmd, cmd);
}

static inline const char *scst_local_sess_name(struct scst_local_sess *ls)
{
	return config_item_name(&ls->item);
}

/* configfs.c: the target driver callbacks about targets */
int scst_local_add_target(struct scst_tgt *tgt);
void scst_local_remove_target(struct scst_tgt *tgt);
int scst_local_enable_target(struct scst_tgt *tgt, bool enable);

/* host.c: SCSI hosts and the command path */
int scst_local_host_add(struct scst_local_sess *ls);
void scst_local_host_remove(struct scst_local_sess *ls);
int scst_local_rdy_to_xfer(struct scst_cmd *cmd);
void scst_local_xmit_response(struct scst_cmd *cmd);
int scst_local_host_init(struct scst_tgt_template *tt);
void scst_local_host_exit(void);

#endif /* _SCST_LOCAL_H */
