// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: live configfs tree -> model */
#include "live.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lctx {
	struct tree *t;
	const struct wostate *wo;
	struct errlist *el;
	struct config *c;
};

static void rerr(struct lctx *l, const char *path, int rc)
{
	el_error(l->el, path, 0, NULL, "%s", strerror(-rc));
}

/* attributes of the object at path (and of its kernel attr groups) */
static void read_attrs(struct lctx *l, const char *path, const char *prefix,
		       struct kvlist *out)
{
	const struct sc_object *o = schema_match(l->t->s, path);
	char val[8192];

	for (int i = 0; o && i < o->nattrs; i++) {
		const struct sc_attr *a = &o->attrs[i];
		char *p = *path ? xasprintf("%s/%s", path, a->name) : xstrdup(a->name);
		char *key = xasprintf("%s%s", prefix, a->name);
		const char *known;
		int rc;

		if (a->access & ACC_R) {
			rc = l->t->ops->read(l->t, p, val, sizeof(val));
			if (rc)
				rerr(l, p, rc);
			else
				kv_set(out, key, val, 0);
		} else if (!a->action && (known = wo_get(l->wo, p))) {
			kv_set(out, key, known, 0);
		}
		free(key);
		free(p);
	}
}

static void read_attr_groups(struct lctx *l, const char *path,
			     const char *pattern, struct kvlist *out)
{
	const struct schema *s = l->t->s;
	size_t n = strlen(pattern);

	for (int i = 0; i < s->nobjs; i++) {
		const struct sc_object *o = &s->objs[i];
		const char *sub = o->path + n + 1;
		char *p, *prefix;

		if (strncmp(o->path, pattern, n) || o->path[n] != '/' ||
		    strchr(sub, '/') || o->created != C_KERNEL || !o->nattrs)
			continue;
		p = xasprintf("%s/%s", path, sub);
		prefix = xasprintf("%s/", sub);
		if (fs_exists(l->t->rootfd, p))
			read_attrs(l, p, prefix, out);
		free(prefix);
		free(p);
	}
}

static int list_dirs(struct lctx *l, const char *path, struct entries *e)
{
	int rc = l->t->ops->list(l->t, path, e);

	if (rc && rc != -ENOENT)
		rerr(l, path, rc);
	if (rc)
		return rc;
	/* keep directories only */
	for (int i = 0, j = 0; i < e->n; i++) {
		if (e->v[i].type == 'd')
			e->v[j++] = e->v[i];
		else
			free(e->v[i].name);
		if (i == e->n - 1)
			e->n = j;
	}
	return 0;
}

static void read_devices(struct lctx *l, const char *handler)
{
	char *hp = xasprintf("handlers/%s", handler);
	struct entries e;

	if (!list_dirs(l, hp, &e)) {
		for (int i = 0; i < e.n; i++) {
			struct device *d = cfg_add_device(l->c, e.v[i].name, handler);
			char *p = xasprintf("%s/%s", hp, e.v[i].name);

			read_attrs(l, p, "", &d->attrs);
			free(p);
		}
		entries_free(&e);
	}
	free(hp);
}

char *lun_link_target(const char *lun_dir, const char *handler,
		      const char *device)
{
	struct sbuf b;
	int depth = 1;

	for (const char *p = lun_dir; *p; p++)
		depth += *p == '/';
	sb_init(&b);
	while (depth--)
		sb_add(&b, "../");
	sb_printf(&b, "handlers/%s/%s", handler, device);
	return sb_steal(&b);
}

static void parse_link(struct lun *lun, const char *target)
{
	const char *dev = strrchr(target, '/');
	const char *h;

	if (!dev)
		return;
	for (h = dev - 1; h > target && h[-1] != '/'; h--)
		;
	free(lun->device);
	lun->device = xstrdup(dev + 1);
	lun->handler = strndup(h, dev - h);
}

static void read_luns(struct lctx *l, const char *path, struct lunset *set)
{
	char *lp = xasprintf("%s/luns", path);
	char buf[4096];
	struct entries e;

	if (!list_dirs(l, lp, &e)) {
		for (int i = 0; i < e.n; i++) {
			char *p = xasprintf("%s/%s/read_only", lp, e.v[i].name);
			struct lun *lun = lunset_add(set, strtoul(e.v[i].name, NULL, 10), "");

			if (!l->t->ops->read(l->t, p, buf, sizeof(buf)))
				lun->read_only = !strcmp(buf, "1");
			free(p);
			p = xasprintf("%s/%s/device", lp, e.v[i].name);
			if (!l->t->ops->readlink(l->t, p, buf, sizeof(buf)))
				parse_link(lun, buf);
			free(p);
		}
		entries_free(&e);
	}
	free(lp);
}

static void read_names(struct lctx *l, const char *path, struct strlist *out)
{
	struct entries e;

	if (list_dirs(l, path, &e))
		return;
	for (int i = 0; i < e.n; i++)
		sl_add(out, e.v[i].name);
	entries_free(&e);
}

/* the attribute groups (auth/) of each initiator entry of a group */
static void read_initiator_attrs(struct lctx *l, const char *ip,
				 const char *drv, struct group *g)
{
	char *pattern = xasprintf("targets/%s/<target>/groups/<group>/initiators/<initiator>",
				  drv);

	for (int i = 0; i < g->inits.n; i++) {
		char *p = xasprintf("%s/%s", ip, g->inits.v[i]);
		struct kvlist one = { 0 };

		read_attr_groups(l, p, pattern, &one);
		for (int j = 0; j < one.n; j++) {
			char *k = xasprintf("%s/%s", g->inits.v[i], one.v[j].key);

			kv_set(&g->iattrs, k, one.v[j].val, 0);
			free(k);
		}
		kv_free(&one);
		free(p);
	}
	free(pattern);
}

static void read_groups(struct lctx *l, const char *tp, struct target *t)
{
	char *gp = xasprintf("%s/groups", tp);
	struct entries e;

	if (!list_dirs(l, gp, &e)) {
		for (int i = 0; i < e.n; i++) {
			struct group *g = tgt_add_group(t, e.v[i].name);
			char *p = xasprintf("%s/%s", gp, e.v[i].name);
			char *ip = xasprintf("%s/initiators", p);

			read_names(l, ip, &g->inits);
			read_initiator_attrs(l, ip, t->driver, g);
			read_luns(l, p, &g->luns);
			free(ip);
			free(p);
		}
		entries_free(&e);
	}
	free(gp);
}

static void read_targets(struct lctx *l, const char *drv)
{
	char *dp = xasprintf("targets/%s", drv);
	char *pattern = xasprintf("targets/%s/<target>", drv);
	struct entries e;

	if (!list_dirs(l, dp, &e)) {
		for (int i = 0; i < e.n; i++) {
			struct target *t = cfg_add_target(l->c, drv, e.v[i].name);
			char *tp = xasprintf("%s/%s", dp, e.v[i].name);
			char *sp = xasprintf("%s/sessions", tp);

			read_attrs(l, tp, "", &t->attrs);
			read_attr_groups(l, tp, pattern, &t->attrs);
			read_luns(l, tp, &t->luns);
			read_groups(l, tp, t);
			if (fs_exists(l->t->rootfd, sp))
				read_names(l, sp, &t->sessions);
			free(sp);
			free(tp);
		}
		entries_free(&e);
	}
	free(pattern);
	free(dp);
}

static void read_drv(struct lctx *l, const char *drv)
{
	struct drvcfg *d = cfg_add_drv(l->c, drv);
	char *dp = xasprintf("drivers/%s", drv);
	char *pp = xasprintf("%s/portals", dp);

	if (fs_exists(l->t->rootfd, pp))
		read_names(l, pp, &d->portals);
	read_attr_groups(l, dp, dp, &d->attrs);
	free(pp);
	free(dp);
}

/* handlers/x, targets/y, drivers/z present in the tree */
static void read_present(struct lctx *l)
{
	const struct schema *s = l->t->s;

	for (int i = 0; i < s->nobjs; i++) {
		const struct sc_object *o = &s->objs[i];

		if (o->created != C_KERNEL || !o->module || o->nsegs != 2)
			continue;
		if (!fs_exists(l->t->rootfd, o->path))
			continue;
		sl_add(&l->c->present, o->path);
		if (!strcmp(o->segs[0], "handlers"))
			read_devices(l, o->segs[1]);
		else if (!strcmp(o->segs[0], "targets"))
			read_targets(l, o->segs[1]);
		else if (!strcmp(o->segs[0], "drivers"))
			read_drv(l, o->segs[1]);
	}
}

struct config *live_read(struct tree *t, const struct wostate *wo,
			 struct errlist *el)
{
	struct lctx l = { t, wo, el, xcalloc(1, sizeof(struct config)) };

	l.c->file = xstrdup(t->root);
	read_attrs(&l, "", "", &l.c->root);
	read_present(&l);
	cfg_sort(l.c);
	return l.c;
}
