// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: asymmetric logical unit access (SPC-4 5.16).
 *
 * Model: alua/port_groups/<name>/ is a target port group with an id and
 * an access state; a target port joins one by its `port_group`
 * attribute (ports not in any group form the implicit group 0, always
 * active/optimized).  A device's `alua` attribute (off, implicit,
 * explicit, both) says whether it takes part: for such a device the
 * state of the group of the port a command came in through decides
 * whether the command runs (scst_alua_check()), REPORT TARGET PORT
 * GROUPS lists every group, and with explicit ALUA SET TARGET PORT
 * GROUPS changes states.  A state change gives every I_T_L nexus of
 * every ALUA device a UNIT ATTENTION ASYMMETRIC ACCESS STATE CHANGED
 * (but the nexus whose SET TARGET PORT GROUPS made it) and a netlink
 * event.  Group membership and states change under scst_cfg_mutex; the
 * I/O path reads them under rcu_read_lock().
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/slab.h>

#include "scst_priv.h"
#include "netlink.h"
#include <scst_alua.h>

static struct config_group scst_alua_group;
static struct config_group scst_alua_pgs_group;
static LIST_HEAD(scst_alua_grps);		/* scst_cfg_mutex */
static u8 scst_alua_trans_secs;

static inline struct scst_alua_grp *item_to_grp(struct config_item *item)
{
	return container_of(to_config_group(item), struct scst_alua_grp,
			    group);
}

static inline struct scst_tport *item_to_tport(struct config_item *item)
{
	return container_of(to_config_group(item), struct scst_tport, group);
}

static struct scst_alua_grp *scst_alua_find_id(u16 id)
{
	struct scst_alua_grp *g;

	lockdep_assert_held(&scst_cfg_mutex);
	list_for_each_entry(g, &scst_alua_grps, entry)
		if (g->id == id)
			return g;
	return NULL;
}

/*
 * Access states changed: a UNIT ATTENTION for every nexus of every ALUA
 * device but @except's.
 */
static void scst_alua_changed(struct scst_session *except)
{
	struct scst_dev *dev;

	lockdep_assert_held(&scst_cfg_mutex);
	list_for_each_entry(dev, &scst_dev_list, entry)
		if (READ_ONCE(dev->pub.tpgs))
			scst_ua_dev_all(dev, except, SCST_KEY_UNIT_ATTENTION,
					SCST_AQ_ASC(SCST_AQ_ASYMMETRIC_ACCESS_CHANGED),
					SCST_AQ_ASCQ(SCST_AQ_ASYMMETRIC_ACCESS_CHANGED));
}

static void scst_alua_set_state(struct scst_alua_grp *g, u8 state,
				struct scst_session *except)
{
	lockdep_assert_held(&scst_cfg_mutex);
	g->by_stpg = except;
	if (g->state == state)
		return;
	WRITE_ONCE(g->state, state);
	scst_alua_changed(except);
	scst_nl_event_alua(config_item_name(&g->group.cg_item), g->id, state);
}

/* --- alua/port_groups/<name>/ --- */

static ssize_t scst_alua_grp_group_id_show(struct config_item *item,
					   char *page)
{
	return sysfs_emit(page, "%u\n", item_to_grp(item)->id);
}

static ssize_t scst_alua_grp_group_id_store(struct config_item *item,
					    const char *page, size_t count)
{
	struct scst_alua_grp *g = item_to_grp(item), *other;
	int ret = count;
	u16 id;

	if (kstrtou16(page, 0, &id) || !id) {
		scst_log_attr(item, "group_id", "expected 1..65535");
		return -EINVAL;
	}
	mutex_lock(&scst_cfg_mutex);
	other = scst_alua_find_id(id);
	if (other && other != g) {
		scst_log_attr(item, "group_id", "%u is used by %s", id,
			      config_item_name(&other->group.cg_item));
		ret = -EEXIST;
	} else {
		g->id = id;
	}
	mutex_unlock(&scst_cfg_mutex);
	return ret;
}
CONFIGFS_ATTR(scst_alua_grp_, group_id);

static ssize_t scst_alua_grp_state_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n",
			  scst_alua_state_name(READ_ONCE(item_to_grp(item)->state)));
}

static ssize_t scst_alua_grp_state_store(struct config_item *item,
					 const char *page, size_t count)
{
	u8 state;

	if (scst_alua_state_parse(page, &state)) {
		scst_log_attr(item, "state",
			      "expected active_optimized, active_nonoptimized, standby, unavailable, offline or transitioning");
		return -EINVAL;
	}
	mutex_lock(&scst_cfg_mutex);
	scst_alua_set_state(item_to_grp(item), state, NULL);
	mutex_unlock(&scst_cfg_mutex);
	return count;
}
CONFIGFS_ATTR(scst_alua_grp_, state);

static ssize_t scst_alua_grp_preferred_show(struct config_item *item,
					    char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(item_to_grp(item)->preferred));
}

static ssize_t scst_alua_grp_preferred_store(struct config_item *item,
					     const char *page, size_t count)
{
	bool val;

	if (scst_parse_bool(page, &val)) {
		scst_log_attr(item, "preferred", "expected 0 or 1");
		return -EINVAL;
	}
	WRITE_ONCE(item_to_grp(item)->preferred, val);
	return count;
}
CONFIGFS_ATTR(scst_alua_grp_, preferred);

/* "<driver>/<target>/<tpgt> <rel_tgt_id>" per member port */
static ssize_t scst_alua_grp_ports_show(struct config_item *item, char *page)
{
	struct scst_alua_grp *g = item_to_grp(item);
	struct scst_tport *tport;
	ssize_t len = 0;

	mutex_lock(&scst_cfg_mutex);
	list_for_each_entry(tport, &g->ports, alua_entry)
		len += scnprintf(page + len, PAGE_SIZE - len, "%s/%s/%u %u\n",
				 tport->tgt->tt->name,
				 scst_tgt_name(tport->tgt), tport->tpgt,
				 tport->rel_tgt_id);
	mutex_unlock(&scst_cfg_mutex);
	return len;
}
CONFIGFS_ATTR_RO(scst_alua_grp_, ports);

static struct configfs_attribute *scst_alua_grp_attrs[] = {
	&scst_alua_grp_attr_group_id,
	&scst_alua_grp_attr_state,
	&scst_alua_grp_attr_preferred,
	&scst_alua_grp_attr_ports,
	NULL,
};

static void scst_alua_grp_release(struct config_item *item)
{
	kfree_rcu(item_to_grp(item), rcu);
}

static struct configfs_item_operations scst_alua_grp_item_ops = {
	.release	= scst_alua_grp_release,
};

static const struct config_item_type scst_alua_grp_type = {
	.ct_item_ops	= &scst_alua_grp_item_ops,
	.ct_attrs	= scst_alua_grp_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *scst_alua_grp_make(struct config_group *group,
					       const char *name)
{
	struct scst_alua_grp *g;
	u16 id = 1;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return ERR_PTR(-ENOMEM);
	g->state = SCST_ALUA_AO;
	INIT_LIST_HEAD(&g->ports);
	config_group_init_type_name(&g->group, name, &scst_alua_grp_type);
	mutex_lock(&scst_cfg_mutex);
	while (scst_alua_find_id(id) && id < U16_MAX)
		id++;
	g->id = id;
	list_add_tail(&g->entry, &scst_alua_grps);
	mutex_unlock(&scst_cfg_mutex);
	return &g->group;
}

/* Its ports go back to group 0 (active/optimized). */
static void scst_alua_grp_drop(struct config_group *group,
			       struct config_item *item)
{
	struct scst_alua_grp *g = item_to_grp(item);
	struct scst_tport *tport, *tmp;
	bool changed;

	mutex_lock(&scst_cfg_mutex);
	changed = !list_empty(&g->ports) && g->state != SCST_ALUA_AO;
	list_for_each_entry_safe(tport, tmp, &g->ports, alua_entry) {
		RCU_INIT_POINTER(tport->alua, NULL);
		list_del_init(&tport->alua_entry);
	}
	list_del(&g->entry);
	if (changed)
		scst_alua_changed(NULL);
	mutex_unlock(&scst_cfg_mutex);
	config_item_put(item);
}

static struct configfs_group_operations scst_alua_pgs_ops = {
	.make_group	= scst_alua_grp_make,
	.drop_item	= scst_alua_grp_drop,
};

static const struct config_item_type scst_alua_pgs_type = {
	.ct_group_ops	= &scst_alua_pgs_ops,
	.ct_owner	= THIS_MODULE,
};

/* alua/implicit_trans_secs: IMPLICIT TRANSITION TIME of RTPG */
static ssize_t scst_alua_implicit_trans_secs_show(struct config_item *item,
						  char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(scst_alua_trans_secs));
}

static ssize_t scst_alua_implicit_trans_secs_store(struct config_item *item,
						   const char *page,
						   size_t count)
{
	u8 val;

	if (kstrtou8(page, 0, &val)) {
		scst_log_attr(item, "implicit_trans_secs", "expected 0..255");
		return -EINVAL;
	}
	WRITE_ONCE(scst_alua_trans_secs, val);
	return count;
}
CONFIGFS_ATTR(scst_alua_, implicit_trans_secs);

static struct configfs_attribute *scst_alua_attrs[] = {
	&scst_alua_attr_implicit_trans_secs,
	NULL,
};

static const struct config_item_type scst_alua_type = {
	.ct_attrs	= scst_alua_attrs,
	.ct_owner	= THIS_MODULE,
};

int scst_alua_init(struct config_group *parent)
{
	config_group_init_type_name(&scst_alua_group, "alua", &scst_alua_type);
	config_group_init_type_name(&scst_alua_pgs_group, "port_groups",
				    &scst_alua_pgs_type);
	configfs_add_default_group(&scst_alua_pgs_group, &scst_alua_group);
	configfs_add_default_group(&scst_alua_group, parent);
	return 0;
}

/* --- a target port's port_group attribute --- */

static ssize_t scst_tport_port_group_show(struct config_item *item,
					  char *page)
{
	struct scst_tport *tport = item_to_tport(item);
	struct scst_alua_grp *g;
	ssize_t len;

	mutex_lock(&scst_cfg_mutex);
	g = rcu_dereference_protected(tport->alua,
				      lockdep_is_held(&scst_cfg_mutex));
	len = sysfs_emit(page, "%s\n",
			 g ? config_item_name(&g->group.cg_item) : "");
	mutex_unlock(&scst_cfg_mutex);
	return len;
}

static ssize_t scst_tport_port_group_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct scst_tport *tport = item_to_tport(item);
	struct scst_alua_grp *g = NULL, *old;
	size_t n = strcspn(page, "\n");
	u8 before, after;

	mutex_lock(&scst_cfg_mutex);
	if (n) {
		list_for_each_entry(g, &scst_alua_grps, entry)
			if (strlen(config_item_name(&g->group.cg_item)) == n &&
			    !strncmp(config_item_name(&g->group.cg_item),
				     page, n))
				break;
		if (list_entry_is_head(g, &scst_alua_grps, entry)) {
			mutex_unlock(&scst_cfg_mutex);
			scst_log_attr(item, "port_group",
				      "no such alua/port_groups entry");
			return -ENOENT;
		}
	}
	old = rcu_dereference_protected(tport->alua,
					lockdep_is_held(&scst_cfg_mutex));
	before = old ? old->state : SCST_ALUA_AO;
	after = g ? g->state : SCST_ALUA_AO;
	if (g)
		list_move_tail(&tport->alua_entry, &g->ports);
	else
		list_del_init(&tport->alua_entry);
	rcu_assign_pointer(tport->alua, g);
	if (before != after || old != g)
		scst_alua_changed(NULL);
	mutex_unlock(&scst_cfg_mutex);
	return count;
}
/* not static: tport.c lists it */
struct configfs_attribute scst_tport_attr_port_group = {
	.ca_name	= "port_group",
	.ca_mode	= 0644,
	.ca_owner	= THIS_MODULE,
	.show		= scst_tport_port_group_show,
	.store		= scst_tport_port_group_store,
};

/* @tport goes away: out of its group. */
void scst_alua_tport_gone(struct scst_tport *tport)
{
	lockdep_assert_held(&scst_cfg_mutex);
	list_del_init(&tport->alua_entry);
}

/**
 * scst_tport_alua_state() - the access state of a target port
 * @tport: the port
 *
 * Context: any context.
 */
u8 scst_tport_alua_state(struct scst_tport *tport)
{
	struct scst_alua_grp *g;
	u8 state = SCST_ALUA_AO;

	rcu_read_lock();
	g = rcu_dereference(tport->alua);
	if (g)
		state = READ_ONCE(g->state);
	rcu_read_unlock();
	return state;
}

/**
 * scst_cmd_tpg_id() - target port group of the port a command came in at
 * @cmd: the command
 *
 * Return: the group's id, 0 for a port in no group.
 */
u16 scst_cmd_tpg_id(struct scst_cmd *cmd)
{
	struct scst_tport *tport = scst_sess_tport(cmd->sess);
	struct scst_alua_grp *g;
	u16 id = 0;

	rcu_read_lock();
	g = rcu_dereference(tport->alua);
	if (g)
		id = READ_ONCE(g->id);
	rcu_read_unlock();
	return id;
}
EXPORT_SYMBOL_GPL(scst_cmd_tpg_id);

/* --- the device's `alua` attribute --- */

static const char * const scst_alua_modes[] = {
	"off", "implicit", "explicit", "both",
};

static ssize_t scst_dev_alua_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n",
			  scst_alua_modes[READ_ONCE(item_to_dev(item)->pub.tpgs) & 3]);
}

static ssize_t scst_dev_alua_store(struct config_item *item,
				   const char *page, size_t count)
{
	struct scst_dev *dev = item_to_dev(item);
	int i = sysfs_match_string(scst_alua_modes, page);

	if (i < 0) {
		scst_log_attr(item, "alua",
			      "expected off, implicit, explicit or both");
		return -EINVAL;
	}
	mutex_lock(&scst_cfg_mutex);
	WRITE_ONCE(dev->pub.tpgs, i);
	mutex_unlock(&scst_cfg_mutex);
	return count;
}
/* not static: device.c lists it */
struct configfs_attribute scst_dev_attr_alua = {
	.ca_name	= "alua",
	.ca_mode	= 0644,
	.ca_owner	= THIS_MODULE,
	.show		= scst_dev_alua_show,
	.store		= scst_dev_alua_store,
};

/* --- the I/O path --- */

/**
 * scst_alua_cmd_refused() - answer a command its port's state refuses
 * @cmd: a decoded command with a device
 *
 * Return: true if @cmd got NOT READY (see scst_alua_check()).
 */
bool scst_alua_cmd_refused(struct scst_cmd *cmd)
{
	u16 aq;

	if (!READ_ONCE(cmd->dev->tpgs))
		return false;
	aq = scst_alua_check(scst_tport_alua_state(scst_sess_tport(cmd->sess)),
			     cmd->cdb, cmd->cdb_len);
	if (!aq)
		return false;
	scst_cmd_set_sense(cmd, SCST_KEY_NOT_READY, SCST_AQ_ASC(aq),
			   SCST_AQ_ASCQ(aq));
	return true;
}

static bool scst_alua_is_rtpg(struct scst_cmd *cmd)
{
	return cmd->ci.opcode == MAINTENANCE_IN &&
	       cmd->ci.service_action == MI_REPORT_TARGET_PGS;
}

static bool scst_alua_is_stpg(struct scst_cmd *cmd)
{
	return cmd->ci.opcode == MAINTENANCE_OUT &&
	       cmd->ci.service_action == MO_SET_TARGET_PGS;
}

/* Commands the core carries out for a device with ALUA on. */
bool scst_alua_emulated(struct scst_cmd *cmd)
{
	return READ_ONCE(cmd->dev->tpgs) &&
	       (scst_alua_is_rtpg(cmd) || scst_alua_is_stpg(cmd));
}

struct scst_alua_rtpg_ctx {
	struct scst_alua_tpg	*tpg;
	u16			*ports;
	unsigned int		ngroups;
	unsigned int		nports;
};

/* Group 0 (the ports in no group) first, then each group's members. */
static void scst_alua_rtpg_port(struct scst_tport *tport, void *data)
{
	struct scst_alua_rtpg_ctx *c = data;

	if (list_empty(&tport->alua_entry))
		c->ports[c->nports++] = tport->rel_tgt_id;
}

static int scst_alua_rtpg_collect(struct scst_alua_rtpg_ctx *c,
				  unsigned int maxp)
{
	struct scst_alua_grp *g;
	struct scst_tport *tport;

	lockdep_assert_held(&scst_cfg_mutex);
	scst_for_each_tport(scst_alua_rtpg_port, c);
	if (c->nports)
		c->tpg[c->ngroups++] = (struct scst_alua_tpg){
			.id = 0, .state = SCST_ALUA_AO,
			.nports = c->nports, .ports = c->ports };
	list_for_each_entry(g, &scst_alua_grps, entry) {
		struct scst_alua_tpg *t = &c->tpg[c->ngroups++];

		*t = (struct scst_alua_tpg){ .id = g->id, .state = g->state,
			.pref = g->preferred, .ports = c->ports + c->nports };
		list_for_each_entry(tport, &g->ports, alua_entry) {
			if (c->nports < maxp)
				c->ports[c->nports++] = tport->rel_tgt_id;
			t->nports++;
		}
	}
	return 0;
}

static void scst_alua_count(struct scst_tport *tport, void *data)
{
	(*(unsigned int *)data)++;
}

static void scst_alua_rtpg(struct scst_cmd *cmd)
{
	struct scst_alua_rtpg_ctx c = { };
	struct scst_alua_grp *g;
	unsigned int nports = 0, ngroups = 1;
	bool ext = (cmd->cdb[1] >> 5) == 1;
	u8 *buf = NULL;
	int len;

	mutex_lock(&scst_cfg_mutex);
	scst_for_each_tport(scst_alua_count, &nports);
	list_for_each_entry(g, &scst_alua_grps, entry)
		ngroups++;
	c.tpg = kcalloc(ngroups, sizeof(*c.tpg), GFP_KERNEL);
	c.ports = kcalloc(nports + 1, sizeof(*c.ports), GFP_KERNEL);
	if (c.tpg && c.ports) {
		scst_alua_rtpg_collect(&c, nports);
		len = scst_alua_rtpg_build(NULL, 0, ext,
					   READ_ONCE(scst_alua_trans_secs),
					   c.tpg, c.ngroups);
		buf = kmalloc(len, GFP_KERNEL);
		if (buf)
			len = scst_alua_rtpg_build(buf, len, ext,
						   READ_ONCE(scst_alua_trans_secs),
						   c.tpg, c.ngroups);
	}
	mutex_unlock(&scst_cfg_mutex);
	if (buf)
		scst_cmd_copy_to_buf(cmd, buf, len);
	else
		scst_cmd_set_sense(cmd, SCST_SENSE_TRIPLE(
				   SCST_KEY_ABORTED_COMMAND,
				   SCST_AQ_INSUFFICIENT_RESOURCES));
	kfree(buf);
	kfree(c.ports);
	kfree(c.tpg);
}

#define SCST_STPG_MAX	64	/* descriptors of one SET TARGET PORT GROUPS */

static void scst_alua_stpg(struct scst_cmd *cmd)
{
	struct scst_alua_stpg *d;
	struct scst_alua_grp *g;
	u32 len = min_t(u32, cmd->data_len, 4 + 4 * SCST_STPG_MAX);
	u16 bad = 0;
	u8 *list;
	int n, i;

	if (!(READ_ONCE(cmd->dev->tpgs) & SCST_TPGS_EXPLICIT)) {
		scst_cmd_set_sense(cmd, SCST_SENSE_INVALID_OPCODE);
		return;
	}
	list = kzalloc(len + 1, GFP_KERNEL);
	d = kcalloc(SCST_STPG_MAX, sizeof(*d), GFP_KERNEL);
	if (!list || !d) {
		scst_cmd_set_sense(cmd, SCST_SENSE_TRIPLE(
				   SCST_KEY_ABORTED_COMMAND,
				   SCST_AQ_INSUFFICIENT_RESOURCES));
		goto free;
	}
	len = scst_cmd_copy_from_buf(cmd, list, len);
	n = scst_alua_stpg_parse(list, len, d, SCST_STPG_MAX, &bad);
	if (n == -E2BIG) {
		scst_cmd_set_sense(cmd, SCST_SENSE_TRIPLE(
				   SCST_KEY_ILLEGAL_REQUEST,
				   SCST_AQ_PARAM_LIST_LENGTH_ERROR));
		goto free;
	}
	mutex_lock(&scst_cfg_mutex);
	for (i = 0; n >= 0 && i < n; i++) {
		if (!scst_alua_find_id(d[i].id)) {
			bad = 4 + 4 * i + 2;
			n = -EINVAL;
		}
	}
	for (i = 0; i < n; i++) {
		g = scst_alua_find_id(d[i].id);
		scst_alua_set_state(g, d[i].state, cmd->sess);
	}
	mutex_unlock(&scst_cfg_mutex);
	if (n < 0)
		scst_cmd_set_invalid_field(cmd, false, bad, -1);
free:
	kfree(d);
	kfree(list);
}

/**
 * scst_alua_exec() - REPORT or SET TARGET PORT GROUPS
 * @cmd: an admitted command, scst_alua_emulated()
 *
 * Context: process context (scst_wq).
 */
void scst_alua_exec(struct scst_cmd *cmd)
{
	if (scst_alua_is_rtpg(cmd))
		scst_alua_rtpg(cmd);
	else
		scst_alua_stpg(cmd);
	scst_cmd_complete(cmd);
}
