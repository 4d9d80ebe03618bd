// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: PERSISTENT RESERVE OUT (SPC-4 5.13, 6.16).
 *
 * Every service action runs on scst_wq under dev->resv.mutex; the state
 * it changes is also under dev->resv.lock, which the I/O path takes to
 * check for conflicts.  Registrations are allocated before the lock is
 * taken and freed after it is dropped.  PREEMPT AND ABORT aborts the
 * preempted nexuses' commands through the task management code after
 * the mutex is released, and completes once they are all finished.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/slab.h>

#include "scst_priv.h"
#include "pr.h"

static bool scst_pr_reg_matches(const struct scst_pr_reg *reg,
				const char *name, u16 rel_tgt_id)
{
	return (reg->all_tg_pt || reg->rel_tgt_id == rel_tgt_id) &&
	       !strcmp(reg->name, name);
}

/**
 * scst_pr_find() - the registration of an I_T nexus
 * @r: reservation state, under r->lock or r->mutex
 * @name: initiator port name
 * @rel_tgt_id: relative target port identifier
 *
 * Return: the registration or NULL.
 */
struct scst_pr_reg *scst_pr_find(struct scst_resv *r, const char *name,
				 u16 rel_tgt_id)
{
	struct scst_pr_reg *reg;

	list_for_each_entry(reg, &r->regs, entry)
		if (scst_pr_reg_matches(reg, name, rel_tgt_id))
			return reg;
	return NULL;
}

struct scst_pr_reg *scst_pr_find_nexus(struct scst_resv *r,
				       struct scst_session *sess)
{
	return scst_pr_find(r, sess->initiator, scst_sess_rel_tgt_id(sess));
}

/* Does @reg (may be NULL) hold the persistent reservation? */
bool scst_pr_is_holder(struct scst_resv *r, struct scst_pr_reg *reg)
{
	if (!reg || r->type == SCST_PR_TYPE_NONE)
		return false;
	return scst_pr_type_all_registrants(r->type) || r->holder == reg;
}

/* Drop everything: registrations and both kinds of reservations. */
void scst_pr_remove_all(struct scst_resv *r)
{
	struct scst_pr_reg *reg, *tmp;
	LIST_HEAD(gone);

	spin_lock_irq(&r->lock);
	list_splice_init(&r->regs, &gone);
	r->nr_regs = 0;
	r->holder = NULL;
	r->type = SCST_PR_TYPE_NONE;
	r->spc2_holder = NULL;
	scst_resv_update_active(r);
	spin_unlock_irq(&r->lock);
	list_for_each_entry_safe(reg, tmp, &gone, entry)
		kfree(reg);
}

/* --- UNIT ATTENTIONs for registered nexuses --- */

struct scst_pr_ua {
	struct list_head	*regs;
	struct scst_session	*except;
	u8			asc;
	u8			ascq;
};

static void scst_pr_ua_one(struct scst_session *sess, u16 lun, void *data)
{
	struct scst_pr_ua *ua = data;
	struct scst_pr_reg *reg;

	if (sess == ua->except)
		return;
	list_for_each_entry(reg, ua->regs, entry) {
		if (scst_pr_reg_matches(reg, sess->initiator,
					scst_sess_rel_tgt_id(sess))) {
			scst_ua_add(sess, lun, SCST_KEY_UNIT_ATTENTION,
				    ua->asc, ua->ascq);
			return;
		}
	}
}

/* A UNIT ATTENTION for every nexus of @regs but the command's own. */
static void scst_pr_ua(struct scst_cmd *cmd, struct list_head *regs, u16 aq)
{
	struct scst_pr_ua ua = {
		.regs = regs, .except = cmd->sess,
		.asc = SCST_AQ_ASC(aq), .ascq = SCST_AQ_ASCQ(aq),
	};

	scst_for_each_dev_nexus(to_scst_dev(cmd->dev), scst_pr_ua_one, &ua);
}

static void scst_pr_free_list(struct list_head *list)
{
	struct scst_pr_reg *reg, *tmp;

	list_for_each_entry_safe(reg, tmp, list, entry)
		kfree(reg);
}

/* --- helpers under r->mutex --- */

struct scst_pr_ctx {
	struct scst_cmd			*cmd;
	struct scst_dev			*dev;
	struct scst_resv		*r;
	struct scst_pr_out_params	p;
	const u8			*buf;
	struct scst_pr_reg		*reg;	/* the command's nexus */
	u8				type;	/* TYPE of the CDB */
	bool				save;	/* state to write (APTPL) */
	bool				changed;
	bool				port_ok; /* REGISTER AND MOVE's */
	struct list_head		removed; /* preempted registrations */
};

static void scst_pr_conflict(struct scst_pr_ctx *c)
{
	scst_cmd_set_status(c->cmd, SCST_STATUS_RESERVATION_CONFLICT);
}

static struct scst_pr_reg *scst_pr_reg_alloc(const char *name, u16 rel,
					     bool all_tg_pt, u64 key)
{
	struct scst_pr_reg *reg = kzalloc(sizeof(*reg), GFP_KERNEL);

	if (!reg)
		return NULL;
	strscpy(reg->name, name, sizeof(reg->name));
	reg->rel_tgt_id = rel;
	reg->all_tg_pt = all_tg_pt;
	reg->key = key;
	return reg;
}

/* Unlink @reg (under r->lock); its reservation goes with it. */
static void scst_pr_unlink(struct scst_resv *r, struct scst_pr_reg *reg,
			   bool *released)
{
	list_del(&reg->entry);
	r->nr_regs--;
	*released = false;
	if (r->type == SCST_PR_TYPE_NONE)
		return;
	if (scst_pr_type_all_registrants(r->type)) {
		if (!r->nr_regs) {
			r->type = SCST_PR_TYPE_NONE;
			r->holder = NULL;
			*released = true;
		} else if (r->holder == reg) {
			r->holder = list_first_entry(&r->regs,
						     struct scst_pr_reg, entry);
		}
	} else if (r->holder == reg) {
		r->type = SCST_PR_TYPE_NONE;
		r->holder = NULL;
		*released = true;
	}
}

/* SPEC_I_PT: allocate one registration per TransportID. */
static int scst_pr_spec_i_pt(struct scst_pr_ctx *c, struct list_head *new)
{
	u16 rel = scst_cmd_rel_tgt_id(c->cmd);
	char name[SCST_PR_NAME_MAX];
	struct scst_pr_reg *reg, *o;
	u32 off = c->p.tid_off, end = off + c->p.tid_len, tl;

	while (off < end) {
		if (scst_pr_tid_parse(c->buf + off, end - off, name,
				      sizeof(name), &tl)) {
			scst_cmd_set_invalid_field(c->cmd, false, off, 7);
			return -EINVAL;
		}
		/* An I_T nexus named twice, or already registered. */
		list_for_each_entry(o, new, entry)
			if (scst_pr_reg_matches(o, name, rel))
				goto invalid;
		if (scst_pr_find(c->r, name, rel))
			goto invalid;
		reg = scst_pr_reg_alloc(name, rel, c->p.all_tg_pt,
					c->p.sa_key);
		if (!reg) {
			scst_cmd_set_sense(c->cmd,
					   SCST_SENSE_INSUFFICIENT_REG_RESOURCES);
			return -ENOMEM;
		}
		list_add_tail(&reg->entry, new);
		off += tl;
	}
	return 0;
invalid:
	scst_cmd_set_invalid_field(c->cmd, false, off, 7);
	return -EINVAL;
}

/* REGISTER or REGISTER AND IGNORE EXISTING KEY of an unregistered nexus. */
static void scst_pr_register_new(struct scst_pr_ctx *c)
{
	struct scst_session *sess = c->cmd->sess;
	struct scst_resv *r = c->r;
	struct scst_pr_reg *reg;
	unsigned int n = 1;
	LIST_HEAD(new);

	if (c->cmd->ci.service_action == SCST_PR_OUT_REGISTER && c->p.key) {
		scst_pr_conflict(c);
		return;
	}
	if (!c->p.sa_key)
		return;		/* nothing to do: GOOD */
	reg = scst_pr_reg_alloc(sess->initiator, scst_sess_rel_tgt_id(sess),
				c->p.all_tg_pt, c->p.sa_key);
	if (!reg) {
		scst_cmd_set_sense(c->cmd, SCST_SENSE_INSUFFICIENT_REG_RESOURCES);
		return;
	}
	list_add_tail(&reg->entry, &new);
	if (c->p.spec_i_pt && scst_pr_spec_i_pt(c, &new)) {
		scst_pr_free_list(&new);
		return;
	}
	list_for_each_entry(reg, &new, entry)
		n++;
	if (r->nr_regs + n - 1 > SCST_PR_MAX_REGS) {
		scst_pr_free_list(&new);
		scst_cmd_set_sense(c->cmd, SCST_SENSE_INSUFFICIENT_REG_RESOURCES);
		return;
	}
	spin_lock_irq(&r->lock);
	list_splice_tail(&new, &r->regs);
	r->nr_regs += n - 1;
	r->generation++;
	r->aptpl = c->p.aptpl;
	scst_resv_update_active(r);
	spin_unlock_irq(&r->lock);
	c->save = c->changed = true;
}

static void scst_pr_register(struct scst_pr_ctx *c)
{
	struct scst_resv *r = c->r;
	struct scst_pr_reg *reg = c->reg;
	bool released = false;
	u8 old_type;
	LIST_HEAD(gone);

	if (!reg) {
		scst_pr_register_new(c);
		return;
	}
	if (c->cmd->ci.service_action == SCST_PR_OUT_REGISTER &&
	    c->p.key != reg->key) {
		scst_pr_conflict(c);
		return;
	}
	if (c->p.spec_i_pt) {
		scst_cmd_set_invalid_field(c->cmd, false, 20, 3);
		return;
	}
	spin_lock_irq(&r->lock);
	old_type = r->type;
	if (c->p.sa_key) {
		reg->key = c->p.sa_key;
	} else {
		scst_pr_unlink(r, reg, &released);
		list_add(&reg->entry, &gone);
	}
	r->generation++;
	r->aptpl = c->p.aptpl;
	scst_resv_update_active(r);
	spin_unlock_irq(&r->lock);
	/* A registrants-only reservation released by its holder leaving. */
	if (released && (old_type == SCST_PR_TYPE_WE_RO ||
			 old_type == SCST_PR_TYPE_EA_RO))
		scst_pr_ua(c->cmd, &r->regs, SCST_AQ_RESERVATIONS_RELEASED);
	scst_pr_free_list(&gone);
	c->save = c->changed = true;
}

static void scst_pr_reserve(struct scst_pr_ctx *c)
{
	struct scst_resv *r = c->r;

	if (c->p.key != c->reg->key) {
		scst_pr_conflict(c);
		return;
	}
	if (r->type != SCST_PR_TYPE_NONE) {
		/* Only the holder may reserve again, with the same type. */
		if (!scst_pr_is_holder(r, c->reg) || r->type != c->type)
			scst_pr_conflict(c);
		return;
	}
	spin_lock_irq(&r->lock);
	r->type = c->type;
	r->holder = c->reg;
	scst_resv_update_active(r);
	spin_unlock_irq(&r->lock);
	c->save = c->changed = true;
}

static void scst_pr_release(struct scst_pr_ctx *c)
{
	struct scst_resv *r = c->r;
	u8 old_type = r->type;

	if (c->p.key != c->reg->key) {
		scst_pr_conflict(c);
		return;
	}
	if (!scst_pr_is_holder(r, c->reg))
		return;		/* GOOD, nothing released */
	if (r->type != c->type) {
		scst_cmd_set_sense(c->cmd, SCST_SENSE_INVALID_RELEASE_OF_PR);
		return;
	}
	spin_lock_irq(&r->lock);
	r->type = SCST_PR_TYPE_NONE;
	r->holder = NULL;
	scst_resv_update_active(r);
	spin_unlock_irq(&r->lock);
	if (scst_pr_type_registrants(old_type))
		scst_pr_ua(c->cmd, &r->regs, SCST_AQ_RESERVATIONS_RELEASED);
	c->save = c->changed = true;
}

static void scst_pr_clear(struct scst_pr_ctx *c)
{
	struct scst_resv *r = c->r;
	LIST_HEAD(gone);

	if (c->p.key != c->reg->key) {
		scst_pr_conflict(c);
		return;
	}
	spin_lock_irq(&r->lock);
	list_splice_init(&r->regs, &gone);
	r->nr_regs = 0;
	r->type = SCST_PR_TYPE_NONE;
	r->holder = NULL;
	r->generation++;
	scst_resv_update_active(r);
	spin_unlock_irq(&r->lock);
	scst_pr_ua(c->cmd, &gone, SCST_AQ_RESERVATIONS_PREEMPTED);
	scst_pr_free_list(&gone);
	c->save = c->changed = true;
}

/* Move every registration with @key but the command's own to c->removed. */
static unsigned int scst_pr_remove_key(struct scst_pr_ctx *c, u64 key,
				       bool any_key)
{
	struct scst_pr_reg *reg, *tmp;
	struct scst_resv *r = c->r;
	unsigned int n = 0;
	bool released;

	list_for_each_entry_safe(reg, tmp, &r->regs, entry) {
		if (reg == c->reg || (!any_key && reg->key != key))
			continue;
		scst_pr_unlink(r, reg, &released);
		list_add_tail(&reg->entry, &c->removed);
		n++;
	}
	return n;
}

static void scst_pr_preempt(struct scst_pr_ctx *c)
{
	struct scst_resv *r = c->r;
	u64 sa_key = c->p.sa_key;
	bool all_reg = scst_pr_type_all_registrants(r->type);
	bool holder_key, keys_found;
	u8 old_type = r->type;

	if (c->p.key != c->reg->key) {
		scst_pr_conflict(c);
		return;
	}
	if (!sa_key && !(r->type != SCST_PR_TYPE_NONE && all_reg)) {
		scst_cmd_set_invalid_field(c->cmd, false, 8, 7);
		return;
	}
	holder_key = r->type != SCST_PR_TYPE_NONE &&
		     (all_reg ? !sa_key : r->holder->key == sa_key);
	keys_found = all_reg && !sa_key;
	if (!keys_found) {
		struct scst_pr_reg *reg;

		list_for_each_entry(reg, &r->regs, entry)
			if (reg->key == sa_key)
				keys_found = true;
	}
	if (!keys_found) {
		scst_pr_conflict(c);
		return;
	}

	spin_lock_irq(&r->lock);
	scst_pr_remove_key(c, sa_key, all_reg && !sa_key);
	if (holder_key) {
		/* The preempting nexus now holds a reservation of TYPE. */
		r->type = c->type;
		r->holder = c->reg;
	}
	r->generation++;
	scst_resv_update_active(r);
	spin_unlock_irq(&r->lock);

	scst_pr_ua(c->cmd, &c->removed, SCST_AQ_REGISTRATIONS_PREEMPTED);
	if (holder_key && old_type != c->type)
		scst_pr_ua(c->cmd, &r->regs, SCST_AQ_RESERVATIONS_RELEASED);
	c->save = c->changed = true;
}

static void scst_pr_move(struct scst_pr_ctx *c)
{
	struct scst_resv *r = c->r;
	char name[SCST_PR_NAME_MAX];
	struct scst_pr_reg *dst, *new = NULL;
	bool released;
	u32 tl;
	int ret;

	if (c->p.key != c->reg->key || !scst_pr_is_holder(r, c->reg) ||
	    scst_pr_type_all_registrants(r->type)) {
		scst_pr_conflict(c);
		return;
	}
	if (!c->p.sa_key) {
		scst_cmd_set_invalid_field(c->cmd, false, 8, 7);
		return;
	}
	ret = c->p.tid_len ? scst_pr_tid_parse(c->buf + c->p.tid_off,
					       c->p.tid_len, name,
					       sizeof(name), &tl) : -EINVAL;
	if (ret) {
		scst_cmd_set_invalid_field(c->cmd, false, c->p.tid_off, 7);
		return;
	}
	if (!c->port_ok) {
		scst_cmd_set_invalid_field(c->cmd, false, 18, 7);
		return;
	}
	if (scst_pr_reg_matches(c->reg, name, c->p.rel_tgt_id)) {
		/* moving to itself */
		scst_cmd_set_invalid_field(c->cmd, false, c->p.tid_off, 7);
		return;
	}
	dst = scst_pr_find(r, name, c->p.rel_tgt_id);
	if (!dst) {
		new = scst_pr_reg_alloc(name, c->p.rel_tgt_id, false,
					c->p.sa_key);
		if (!new) {
			scst_cmd_set_sense(c->cmd,
					   SCST_SENSE_INSUFFICIENT_REG_RESOURCES);
			return;
		}
	}
	spin_lock_irq(&r->lock);
	if (new) {
		list_add_tail(&new->entry, &r->regs);
		r->nr_regs++;
		dst = new;
	}
	r->holder = dst;
	if (c->p.unreg) {
		scst_pr_unlink(r, c->reg, &released);
		list_add(&c->reg->entry, &c->removed);
	}
	r->generation++;
	r->aptpl = c->p.aptpl;
	scst_resv_update_active(r);
	spin_unlock_irq(&r->lock);
	c->save = c->changed = true;
}

/* --- PREEMPT AND ABORT: the preempted nexuses' commands --- */

static bool scst_pr_abort_match(struct scst_session *sess, void *data)
{
	struct list_head *removed = data;
	struct scst_pr_reg *reg;

	list_for_each_entry(reg, removed, entry)
		if (scst_pr_reg_matches(reg, sess->initiator,
					scst_sess_rel_tgt_id(sess)))
			return true;
	return false;
}

static void scst_pr_dispatch(struct scst_pr_ctx *c)
{
	u16 sa = c->cmd->ci.service_action;

	if (!c->reg && sa != SCST_PR_OUT_REGISTER &&
	    sa != SCST_PR_OUT_REGISTER_IGNORE) {
		scst_pr_conflict(c);
		return;
	}
	if (c->r->spc2_holder && c->r->spc2_holder != c->cmd->sess) {
		scst_pr_conflict(c);
		return;
	}
	switch (sa) {
	case SCST_PR_OUT_REGISTER:
	case SCST_PR_OUT_REGISTER_IGNORE:
		scst_pr_register(c);
		break;
	case SCST_PR_OUT_RESERVE:
		scst_pr_reserve(c);
		break;
	case SCST_PR_OUT_RELEASE:
		scst_pr_release(c);
		break;
	case SCST_PR_OUT_CLEAR:
		scst_pr_clear(c);
		break;
	case SCST_PR_OUT_PREEMPT:
	case SCST_PR_OUT_PREEMPT_AND_ABORT:
		scst_pr_preempt(c);
		break;
	case SCST_PR_OUT_REGISTER_AND_MOVE:
		scst_pr_move(c);
		break;
	default:
		scst_cmd_set_invalid_field(c->cmd, true, 1, 4);
		break;
	}
}

/**
 * scst_pr_out() - carry out PERSISTENT RESERVE OUT
 * @cmd: the command, its parameter list in cmd->sg
 *
 * Context: process context; takes dev->resv.mutex.
 */
void scst_pr_out(struct scst_cmd *cmd)
{
	struct scst_pr_ctx c = {
		.cmd = cmd, .dev = to_scst_dev(cmd->dev),
		.type = cmd->cdb[2] & 0x0f,
	};
	struct scst_cdb_err err;
	u8 *buf;

	INIT_LIST_HEAD(&c.removed);
	c.r = &c.dev->resv;
	buf = kvmalloc(cmd->data_len, GFP_KERNEL);
	if (!buf) {
		scst_cmd_set_sense(cmd, SCST_SENSE_TRIPLE(
				   SCST_KEY_ABORTED_COMMAND,
				   SCST_AQ_INSUFFICIENT_RESOURCES));
		return;
	}
	if (scst_cmd_copy_from_buf(cmd, buf, cmd->data_len) != cmd->data_len) {
		scst_cmd_set_sense(cmd, SCST_SENSE_PARAM_LIST_LENGTH_ERROR);
		goto free;
	}
	c.buf = buf;
	if (scst_pr_out_parse(buf, cmd->data_len, cmd->ci.service_action,
			      &c.p, &err)) {
		scst_cmd_set_sense(cmd, err.key, err.asc, err.ascq);
		if (err.sksv)
			scst_cmd_set_invalid_field(cmd, false, err.field,
						   err.bit);
		goto free;
	}

	/* scst_cfg_mutex nests outside resv.mutex: look up before. */
	if (cmd->ci.service_action == SCST_PR_OUT_REGISTER_AND_MOVE)
		c.port_ok = scst_tgt_rel_id_exists(c.p.rel_tgt_id);
	mutex_lock(&c.r->mutex);
	c.reg = scst_pr_find_nexus(c.r, cmd->sess);
	scst_pr_dispatch(&c);
	if (c.save && scst_pr_file_save(c.dev))
		scst_cmd_set_sense(cmd, SCST_SENSE_INTERNAL_TARGET_FAILURE);
	mutex_unlock(&c.r->mutex);

	if (c.changed)
		scst_resv_changed(c.dev);
	if (cmd->ci.service_action == SCST_PR_OUT_PREEMPT_AND_ABORT &&
	    !list_empty(&c.removed))
		scst_tmf_abort_sessions(cmd->sess, cmd->dev,
					scst_pr_abort_match,
					&c.removed);
	scst_pr_free_list(&c.removed);
free:
	kvfree(buf);
}
