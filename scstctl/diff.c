// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: model x model -> plan */
#include "diff.h"
#include "live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dctx {
	const struct schema *s;
	const struct config *w, *h;
	const struct diff_opts *o;
	struct plan *p;
	struct errlist *el;
	struct strlist recreate;	/* device names removed in teardown */
};

enum which { ALL, CREATION, OTHER };

static char *join(const char *a, const char *b)
{
	return *a ? xasprintf("%s/%s", a, b) : xstrdup(b);
}

static bool same_value(const struct sc_attr *a, const char *want,
		       const char *have)
{
	char canon[8192], why[256];

	if (!have)
		return false;
	if (a && !schema_canon(a, have, canon, sizeof(canon), why, sizeof(why)))
		return !strcmp(canon, want);
	return !strcmp(have, want);
}

static struct step *add(struct dctx *d, enum step_op op, const char *path,
			const char *val, bool disruptive, const char *note)
{
	struct step *st = plan_add(d->p, op, path, val);

	st->disruptive = disruptive;
	st->note = note ? xstrdup(note) : NULL;
	return st;
}

static void add_write(struct dctx *d, const char *base, const char *key,
		      const struct sc_attr *a, const char *val,
		      const char *old, bool disruptive, const char *note)
{
	char *path = join(base, key);
	struct step *st = add(d, S_WRITE, path, val, disruptive, note);

	st->old = old ? xstrdup(old) : NULL;
	st->secret = a && a->type == T_SECRET;
	free(path);
}

static bool is_switch(const char *key)
{
	return !strcmp(key, "enable") || !strcmp(key, "enabled");
}

static bool wanted(const struct sc_attr *a, enum which which)
{
	if (which == CREATION)
		return a && a->creation;
	if (which == OTHER)
		return !a || !a->creation;
	return true;
}

/* write the attributes of want that differ; have NULL = new object */
static void write_attrs(struct dctx *d, const char *base, const char *pattern,
			const struct kvlist *want, const struct kvlist *have,
			enum which which)
{
	for (int i = 0; i < want->n; i++) {
		const struct kv *k = &want->v[i];
		const struct sc_attr *a = schema_attr_under(d->s, pattern, k->key);
		const struct kv *hv = have ? kv_get(have, k->key) : NULL;

		if (is_switch(k->key) || !wanted(a, which))
			continue;
		if (!have && a && a->def && !strcmp(a->def, k->val))
			continue;
		if (!have && a && !a->def && !a->dynamic && !*k->val)
			continue;
		if (hv && same_value(a, k->val, hv->val))
			continue;
		add_write(d, base, k->key, a, k->val, hv ? hv->val : NULL,
			  false, NULL);
	}
}

static bool is_on(const struct kvlist *l, const char *key)
{
	const struct kv *k = kv_get(l, key);

	return k && (!strcmp(k->val, "1") || !strcmp(k->val, "Y"));
}

static const char *wanted_handler(struct dctx *d, const char *dev)
{
	const struct device *wd = cfg_find_device(d->w, dev);

	return wd ? wd->handler : "";
}

/* the LUN's link must be (re)made: device or its handler changes */
static bool relink(struct dctx *d, const struct lun *hl, const struct lun *wl)
{
	return !hl->device[0] || !hl->handler || strcmp(hl->device, wl->device) ||
	       strcmp(hl->handler, wanted_handler(d, wl->device)) ||
	       sl_has(&d->recreate, wl->device);
}

/* ------------------------------------------------------------ teardown */

/* an object (relative path) that is live but not in the file goes */
static bool unlisted_goes(struct dctx *d, const char *path)
{
	if (d->o->prune)
		return true;
	return !d->o->keep_unlisted && owned_has(d->o->owned, path);
}

static bool target_goes(struct dctx *d, const struct target *ht)
{
	char *p = xasprintf("targets/%s/%s", ht->driver, ht->name);
	bool r = unlisted_goes(d, p);

	free(p);
	return r;
}

static bool device_goes(struct dctx *d, const struct device *hd)
{
	char *p = xasprintf("handlers/%s/%s", hd->handler, hd->name);
	bool r = unlisted_goes(d, p);

	free(p);
	return r;
}

static const char *unlisted_why(struct dctx *d, const char *what)
{
	if (d->o->prune)
		return what[0] == 't' ? "target not in the file (--prune)" :
					"device not in the file (--prune)";
	return what[0] == 't' ? "target left the file" :
				"device left the file";
}

static void teardown_luns(struct dctx *d, const char *base,
			  const struct lunset *hset, const struct lunset *wset)
{
	for (int i = 0; i < hset->n; i++) {
		const struct lun *hl = &hset->v[i];
		const struct lun *wl = wset ? lunset_find(wset, hl->num) : NULL;
		char *lp = xasprintf("%s/luns/%u", base, hl->num);
		char *link = xasprintf("%s/device", lp);

		if (!wl) {
			if (hl->device[0])
				add(d, S_UNLINK, link, NULL, true, "LUN removed");
			add(d, S_RMDIR, lp, NULL, true, "LUN removed");
		} else if (hl->device[0] && relink(d, hl, wl)) {
			add(d, S_UNLINK, link, NULL, true, "LUN changes device");
		}
		free(link);
		free(lp);
	}
}

static void teardown_group(struct dctx *d, const char *gp,
			   const struct group *hg)
{
	for (int i = 0; i < hg->inits.n; i++) {
		char *ip = xasprintf("%s/initiators/%s", gp, hg->inits.v[i]);

		add(d, S_RMDIR, ip, NULL, true, "initiator removed");
		free(ip);
	}
	teardown_luns(d, gp, &hg->luns, NULL);
	add(d, S_RMDIR, gp, NULL, true, "group removed");
}

static void teardown_groups(struct dctx *d, const char *tp,
			    const struct target *ht, const struct target *wt)
{
	for (int i = 0; i < ht->ngroups; i++) {
		const struct group *hg = &ht->groups[i];
		const struct group *wg = wt ? tgt_find_group(wt, hg->name) : NULL;
		char *gp = xasprintf("%s/groups/%s", tp, hg->name);

		if (!wg) {
			teardown_group(d, gp, hg);
		} else {
			for (int j = 0; j < hg->inits.n; j++) {
				char *ip;

				if (sl_has(&wg->inits, hg->inits.v[j]))
					continue;
				ip = xasprintf("%s/initiators/%s", gp, hg->inits.v[j]);
				add(d, S_RMDIR, ip, NULL, true, "initiator removed");
				free(ip);
			}
			teardown_luns(d, gp, &hg->luns, &wg->luns);
		}
		free(gp);
	}
}

/* wt NULL: remove the whole target */
static void teardown_target(struct dctx *d, const struct target *ht,
			    const struct target *wt)
{
	char *tp = xasprintf("targets/%s/%s", ht->driver, ht->name);

	if (is_on(&ht->attrs, "enabled") && (!wt || !is_on(&wt->attrs, "enabled")))
		add_write(d, tp, "enabled", NULL, "0", kv_get(&ht->attrs, "enabled")->val,
			  true, wt ? "target disabled" : "target removed");
	for (int i = 0; i < ht->sessions.n; i++) {
		char *sp;

		if (wt && sl_has(&wt->sessions, ht->sessions.v[i]))
			continue;
		sp = xasprintf("%s/sessions/%s", tp, ht->sessions.v[i]);
		add(d, S_RMDIR, sp, NULL, true, "session removed");
		free(sp);
	}
	teardown_groups(d, tp, ht, wt);
	teardown_luns(d, tp, &ht->luns, wt ? &wt->luns : NULL);
	if (!wt)
		add(d, S_RMDIR, tp, NULL, true, unlisted_why(d, "target"));
	free(tp);
}

static void teardown_device(struct dctx *d, const struct device *hd,
			    const char *why)
{
	char *dp = xasprintf("handlers/%s/%s", hd->handler, hd->name);

	if (is_on(&hd->attrs, "enable"))
		add_write(d, dp, "enable", NULL, "0", kv_get(&hd->attrs, "enable")->val,
			  true, why);
	add(d, S_RMDIR, dp, NULL, true, why);
	free(dp);
}

static bool lunset_uses(const struct lunset *s, const char *dev)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].device, dev))
			return true;
	return false;
}

static const struct lun *target_uses(const struct target *t, const char *dev)
{
	for (int i = 0; i < t->luns.n; i++)
		if (!strcmp(t->luns.v[i].device, dev))
			return &t->luns.v[i];
	for (int g = 0; g < t->ngroups; g++)
		if (lunset_uses(&t->groups[g].luns, dev))
			return &t->groups[g].luns.v[0];
	return NULL;
}

/*
 * Devices of some handlers (scst_user) are made by a process, not by
 * mkdir: the file can configure them (enable, LUNs) but neither create
 * nor remove them.
 */
static bool made_by_process(struct dctx *d, const char *handler)
{
	char *p = xasprintf("handlers/%s/<device>", handler);
	const struct sc_object *o = schema_by_pattern(d->s, p);

	free(p);
	return o && o->created == C_KERNEL;
}

static void check_process_devices(struct dctx *d)
{
	for (int i = 0; i < d->w->ndevs; i++) {
		const struct device *wd = &d->w->devs[i];
		const struct device *hd = cfg_find_device(d->h, wd->name);

		if (hd && strcmp(wd->handler, hd->handler) &&
		    made_by_process(d, hd->handler))
			el_error(d->el, d->w->file, wd->line, wd->name,
				 "device is registered by a process under handler %s and cannot move to %s",
				 hd->handler, wd->handler);
		else if (!hd && made_by_process(d, wd->handler))
			el_error(d->el, d->w->file, wd->line, wd->name,
				 "devices of handler %s are created by their process: start it first (it is not registered now)",
				 wd->handler);
	}
}

/*
 * Devices to remove: pruned, or re-created under another handler (never
 * a device made by a process).
 */
static int plan_recreate(struct dctx *d)
{
	check_process_devices(d);
	for (int i = 0; i < d->h->ndevs; i++) {
		const struct device *hd = &d->h->devs[i];
		const struct device *wd = cfg_find_device(d->w, hd->name);

		if (made_by_process(d, hd->handler))
			continue;
		if ((!wd && device_goes(d, hd)) || (wd && strcmp(wd->handler, hd->handler)))
			sl_add(&d->recreate, hd->name);
	}
	for (int i = 0; i < d->h->ntgts; i++) {
		const struct target *ht = &d->h->tgts[i];

		if (cfg_find_target(d->w, ht->driver, ht->name) || target_goes(d, ht))
			continue;
		for (int j = 0; j < d->recreate.n; j++)
			if (target_uses(ht, d->recreate.v[j]))
				el_error(d->el, d->w->file, 0, d->recreate.v[j],
					 "device must be removed but target %s/%s, which is not in the file and was not made by scstctl, uses it (add the target or use --prune)",
					 ht->driver, ht->name);
	}
	return d->el->nerr ? -1 : 0;
}

/*
 * Portals that are live but not wanted: removed when the file lists the
 * driver's portals, or, for a driver the file does not mention, when
 * scstctl made them or with --prune (and so by clear).
 */
static void teardown_drvs(struct dctx *d)
{
	for (int i = 0; i < d->h->ndrvs; i++) {
		const struct drvcfg *hd = &d->h->drvs[i];
		const struct drvcfg *wd = cfg_find_drv(d->w, hd->driver);

		for (int j = 0; j < hd->portals.n; j++) {
			char *pp;

			if (wd && sl_has(&wd->portals, hd->portals.v[j]))
				continue;
			pp = xasprintf("drivers/%s/portals/%s", hd->driver,
				       hd->portals.v[j]);
			if (wd || unlisted_goes(d, pp))
				add(d, S_RMDIR, pp, NULL, true, "portal removed");
			free(pp);
		}
	}
}

static void teardown(struct dctx *d)
{
	for (int i = 0; i < d->h->ntgts; i++) {
		const struct target *ht = &d->h->tgts[i];
		const struct target *wt = cfg_find_target(d->w, ht->driver, ht->name);

		if (wt || target_goes(d, ht))
			teardown_target(d, ht, wt);
	}
	for (int i = 0; i < d->h->ndevs; i++) {
		const struct device *hd = &d->h->devs[i];

		if (sl_has(&d->recreate, hd->name))
			teardown_device(d, hd, cfg_find_device(d->w, hd->name) ?
					"device changes handler" :
					unlisted_why(d, "device"));
	}
	teardown_drvs(d);
}

/* --------------------------------------------------------------- build */

static void add_need(struct strlist *l, const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);

	if (!sl_has(l, p))
		sl_add(l, p);
	free(p);
}

static void modules(struct dctx *d)
{
	struct strlist need = { 0 }, mods = { 0 };

	for (int i = 0; i < d->w->ndevs; i++)
		add_need(&need, "handlers", d->w->devs[i].handler);
	for (int i = 0; i < d->w->ntgts; i++)
		add_need(&need, "targets", d->w->tgts[i].driver);
	for (int i = 0; i < d->w->ndrvs; i++)
		add_need(&need, "drivers", d->w->drvs[i].driver);
	for (int i = 0; i < need.n; i++) {
		const char *m = schema_module_of(d->s, need.v[i]);

		if (m && !sl_has(&d->h->present, need.v[i]) && !sl_has(&mods, m)) {
			sl_add(&mods, m);
			add(d, S_MODPROBE, m, NULL, false, NULL);
		}
	}
	sl_free(&mods);
	sl_free(&need);
}

static void creation_note(const struct device *wd, const struct device *hd,
			  struct dctx *d, const char *pattern, char *buf, size_t n)
{
	int len = snprintf(buf, n, "creation attribute change:");

	for (int i = 0; i < wd->attrs.n; i++) {
		const struct kv *k = &wd->attrs.v[i];
		const struct sc_attr *a = schema_attr_under(d->s, pattern, k->key);
		const struct kv *hv = kv_get(&hd->attrs, k->key);

		if (a && a->creation && !same_value(a, k->val, hv ? hv->val : NULL) &&
		    len < (int)n)
			len += snprintf(buf + len, n - len, " %s", k->key);
	}
}

static bool creation_changes(struct dctx *d, const struct device *wd,
			     const struct device *hd, const char *pattern)
{
	for (int i = 0; i < wd->attrs.n; i++) {
		const struct kv *k = &wd->attrs.v[i];
		const struct sc_attr *a = schema_attr_under(d->s, pattern, k->key);
		const struct kv *hv = kv_get(&hd->attrs, k->key);

		if (a && a->creation && !same_value(a, k->val, hv ? hv->val : NULL))
			return true;
	}
	return false;
}

static void change_device(struct dctx *d, const struct device *wd,
			  const struct device *hd, const char *dp,
			  const char *pattern)
{
	bool h_on = is_on(&hd->attrs, "enable"), w_on = is_on(&wd->attrs, "enable");
	const struct kv *old = kv_get(&hd->attrs, "enable");
	char note[300];

	if (creation_changes(d, wd, hd, pattern) && h_on) {
		creation_note(wd, hd, d, pattern, note, sizeof(note));
		add_write(d, dp, "enable", NULL, "0", old->val, true, note);
		write_attrs(d, dp, pattern, &wd->attrs, &hd->attrs, CREATION);
		write_attrs(d, dp, pattern, &wd->attrs, &hd->attrs, OTHER);
		if (w_on)
			add_write(d, dp, "enable", NULL, "1", "0", true, "re-enable");
		return;
	}
	if (h_on && !w_on)
		add_write(d, dp, "enable", NULL, "0", old->val, true, "device disabled");
	write_attrs(d, dp, pattern, &wd->attrs, &hd->attrs, CREATION);
	write_attrs(d, dp, pattern, &wd->attrs, &hd->attrs, OTHER);
	if (w_on && !h_on)
		add_write(d, dp, "enable", NULL, "1", old ? old->val : NULL, false, NULL);
}

static void build_device(struct dctx *d, const struct device *wd)
{
	const struct device *hd = cfg_find_device(d->h, wd->name);
	char *dp = xasprintf("handlers/%s/%s", wd->handler, wd->name);
	char *pattern = xasprintf("handlers/%s/<device>", wd->handler);

	if (hd && sl_has(&d->recreate, wd->name))
		hd = NULL;
	if (hd) {
		change_device(d, wd, hd, dp, pattern);
	} else {
		add(d, S_MKDIR, dp, NULL, false, NULL);
		write_attrs(d, dp, pattern, &wd->attrs, NULL, CREATION);
		write_attrs(d, dp, pattern, &wd->attrs, NULL, OTHER);
		if (is_on(&wd->attrs, "enable"))
			add_write(d, dp, "enable", NULL, "1", NULL, false, NULL);
	}
	free(pattern);
	free(dp);
}

static void build_luns(struct dctx *d, const char *base,
		       const struct lunset *wset, const struct lunset *hset)
{
	for (int i = 0; i < wset->n; i++) {
		const struct lun *wl = &wset->v[i];
		const struct lun *hl = hset ? lunset_find(hset, wl->num) : NULL;
		char *lp = xasprintf("%s/luns/%u", base, wl->num);
		char *link = xasprintf("%s/device", lp);
		char *target = lun_link_target(lp, wanted_handler(d, wl->device),
					       wl->device);

		if (!hl)
			add(d, S_MKDIR, lp, NULL, false, NULL);
		if ((hl && hl->read_only != wl->read_only) || (!hl && wl->read_only))
			add_write(d, lp, "read_only", NULL, wl->read_only ? "1" : "0",
				  hl ? (hl->read_only ? "1" : "0") : NULL, false, NULL);
		if (!hl || relink(d, hl, wl))
			add(d, S_SYMLINK, link, target, false, NULL);
		free(target);
		free(link);
		free(lp);
	}
}

/* the attribute groups (auth/) of an initiator entry; have NULL: new entry */
static void build_initiator_attrs(struct dctx *d, const char *ip,
				  const struct target *wt, const char *ini,
				  const struct group *wg, const struct group *hg)
{
	char *pattern = xasprintf("targets/%s/<target>/groups/<group>/initiators/<initiator>",
				  wt->driver);
	char *pfx = xasprintf("%s/", ini);
	struct kvlist want = { 0 }, have = { 0 };

	kv_sub(&wg->iattrs, pfx, &want);
	if (hg)
		kv_sub(&hg->iattrs, pfx, &have);
	write_attrs(d, ip, pattern, &want, hg ? &have : NULL, ALL);
	kv_free(&want);
	kv_free(&have);
	free(pfx);
	free(pattern);
}

static void build_groups(struct dctx *d, const char *tp,
			 const struct target *wt, const struct target *ht)
{
	for (int i = 0; i < wt->ngroups; i++) {
		const struct group *wg = &wt->groups[i];
		const struct group *hg = ht ? tgt_find_group(ht, wg->name) : NULL;
		char *gp = xasprintf("%s/groups/%s", tp, wg->name);

		if (!hg)
			add(d, S_MKDIR, gp, NULL, false, NULL);
		for (int j = 0; j < wg->inits.n; j++) {
			bool had = hg && sl_has(&hg->inits, wg->inits.v[j]);
			char *ip = xasprintf("%s/initiators/%s", gp, wg->inits.v[j]);

			if (!had)
				add(d, S_MKDIR, ip, NULL, false, NULL);
			build_initiator_attrs(d, ip, wt, wg->inits.v[j], wg,
					      had ? hg : NULL);
			free(ip);
		}
		build_luns(d, gp, &wg->luns, hg ? &hg->luns : NULL);
		free(gp);
	}
}

static void build_target(struct dctx *d, const struct target *wt)
{
	const struct target *ht = cfg_find_target(d->h, wt->driver, wt->name);
	char *tp = xasprintf("targets/%s/%s", wt->driver, wt->name);
	char *pattern = xasprintf("targets/%s/<target>", wt->driver);

	if (!ht)
		add(d, S_MKDIR, tp, NULL, false, NULL);
	write_attrs(d, tp, pattern, &wt->attrs, ht ? &ht->attrs : NULL, ALL);
	build_luns(d, tp, &wt->luns, ht ? &ht->luns : NULL);
	build_groups(d, tp, wt, ht);
	for (int i = 0; i < wt->sessions.n; i++) {
		char *sp;

		if (ht && sl_has(&ht->sessions, wt->sessions.v[i]))
			continue;
		sp = xasprintf("%s/sessions/%s", tp, wt->sessions.v[i]);
		add(d, S_MKDIR, sp, NULL, false, NULL);
		free(sp);
	}
	if (is_on(&wt->attrs, "enabled") && (!ht || !is_on(&ht->attrs, "enabled")))
		add_write(d, tp, "enabled", NULL, "1",
			  ht && kv_get(&ht->attrs, "enabled") ?
			  kv_get(&ht->attrs, "enabled")->val : NULL, false, NULL);
	free(pattern);
	free(tp);
}

static void build_drv(struct dctx *d, const struct drvcfg *wd)
{
	const struct drvcfg *hd = cfg_find_drv(d->h, wd->driver);
	char *dp = xasprintf("drivers/%s", wd->driver);

	for (int i = 0; i < wd->portals.n; i++) {
		char *pp;

		if (hd && sl_has(&hd->portals, wd->portals.v[i]))
			continue;
		pp = xasprintf("%s/portals/%s", dp, wd->portals.v[i]);
		add(d, S_MKDIR, pp, NULL, false, NULL);
		free(pp);
	}
	write_attrs(d, dp, dp, &wd->attrs, hd ? &hd->attrs : NULL, ALL);
	free(dp);
}

static void build(struct dctx *d)
{
	write_attrs(d, "", "", &d->w->root, &d->h->root, ALL);
	for (int i = 0; i < d->w->ndevs; i++)
		build_device(d, &d->w->devs[i]);
	for (int i = 0; i < d->w->ntgts; i++)
		build_target(d, &d->w->tgts[i]);
	for (int i = 0; i < d->w->ndrvs; i++)
		build_drv(d, &d->w->drvs[i]);
}

int diff_configs(const struct schema *s, const struct config *want,
		 const struct config *have, const struct diff_opts *o,
		 struct plan *out, struct errlist *el)
{
	struct dctx d = { s, want, have, o, out, el, { 0 } };
	int rc = plan_recreate(&d);

	if (!rc) {
		modules(&d);
		teardown(&d);
		build(&d);
	}
	sl_free(&d.recreate);
	return rc;
}
