// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: the configuration model */
#include "model.h"

#include <stdlib.h>
#include <string.h>

void kv_set(struct kvlist *l, const char *key, const char *val, int line)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key)) {
			free(l->v[i].val);
			l->v[i].val = xstrdup(val);
			l->v[i].line = line;
			return;
		}
	grow(&l->v, &l->cap, l->n, sizeof(*l->v));
	l->v[l->n].key = xstrdup(key);
	l->v[l->n].val = xstrdup(val);
	l->v[l->n++].line = line;
}

const struct kv *kv_get(const struct kvlist *l, const char *key)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return &l->v[i];
	return NULL;
}

void kv_sub(const struct kvlist *l, const char *prefix, struct kvlist *out)
{
	size_t n = strlen(prefix);

	for (int i = 0; i < l->n; i++)
		if (!strncmp(l->v[i].key, prefix, n))
			kv_set(out, l->v[i].key + n, l->v[i].val, l->v[i].line);
}

void kv_free(struct kvlist *l)
{
	for (int i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].val);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->key, ((const struct kv *)b)->key);
}

struct lun *lunset_add(struct lunset *s, unsigned int num, const char *dev)
{
	struct lun *l;

	grow(&s->v, &s->cap, s->n, sizeof(*s->v));
	l = &s->v[s->n++];
	memset(l, 0, sizeof(*l));
	l->num = num;
	l->device = xstrdup(dev ? dev : "");
	return l;
}

struct lun *lunset_find(const struct lunset *s, unsigned int num)
{
	for (int i = 0; i < s->n; i++)
		if (s->v[i].num == num)
			return &s->v[i];
	return NULL;
}

static int cmp_lun(const void *a, const void *b)
{
	unsigned int x = ((const struct lun *)a)->num;
	unsigned int y = ((const struct lun *)b)->num;

	return x < y ? -1 : x > y;
}

void lunset_sort(struct lunset *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_lun);
}

static void lunset_free(struct lunset *s)
{
	for (int i = 0; i < s->n; i++) {
		free(s->v[i].device);
		free(s->v[i].handler);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

struct device *cfg_add_device(struct config *c, const char *name,
			      const char *handler)
{
	struct device *d;

	grow(&c->devs, &c->capd, c->ndevs, sizeof(*c->devs));
	d = &c->devs[c->ndevs++];
	memset(d, 0, sizeof(*d));
	d->name = xstrdup(name);
	d->handler = xstrdup(handler);
	return d;
}

struct device *cfg_find_device(const struct config *c, const char *name)
{
	for (int i = 0; i < c->ndevs; i++)
		if (!strcmp(c->devs[i].name, name))
			return &c->devs[i];
	return NULL;
}

struct target *cfg_add_target(struct config *c, const char *drv,
			      const char *name)
{
	struct target *t;

	grow(&c->tgts, &c->capt, c->ntgts, sizeof(*c->tgts));
	t = &c->tgts[c->ntgts++];
	memset(t, 0, sizeof(*t));
	t->driver = xstrdup(drv);
	t->name = xstrdup(name);
	return t;
}

struct target *cfg_find_target(const struct config *c, const char *drv,
			       const char *name)
{
	for (int i = 0; i < c->ntgts; i++)
		if (!strcmp(c->tgts[i].driver, drv) &&
		    !strcmp(c->tgts[i].name, name))
			return &c->tgts[i];
	return NULL;
}

struct group *tgt_add_group(struct target *t, const char *name)
{
	struct group *g;

	grow(&t->groups, &t->capg, t->ngroups, sizeof(*t->groups));
	g = &t->groups[t->ngroups++];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	return g;
}

struct group *tgt_find_group(const struct target *t, const char *name)
{
	for (int i = 0; i < t->ngroups; i++)
		if (!strcmp(t->groups[i].name, name))
			return &t->groups[i];
	return NULL;
}

struct drvcfg *cfg_add_drv(struct config *c, const char *drv)
{
	struct drvcfg *d;

	grow(&c->drvs, &c->capdrv, c->ndrvs, sizeof(*c->drvs));
	d = &c->drvs[c->ndrvs++];
	memset(d, 0, sizeof(*d));
	d->driver = xstrdup(drv);
	return d;
}

struct drvcfg *cfg_find_drv(const struct config *c, const char *drv)
{
	for (int i = 0; i < c->ndrvs; i++)
		if (!strcmp(c->drvs[i].driver, drv))
			return &c->drvs[i];
	return NULL;
}

static int cmp_dev(const void *a, const void *b)
{
	return strcmp(((const struct device *)a)->name,
		      ((const struct device *)b)->name);
}

static int cmp_tgt(const void *a, const void *b)
{
	const struct target *x = a, *y = b;
	int r = strcmp(x->driver, y->driver);

	return r ? r : strcmp(x->name, y->name);
}

static int cmp_grp(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->name,
		      ((const struct group *)b)->name);
}

static void sort_kv(struct kvlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_kv);
}

static void tgt_sort(struct target *t)
{
	sort_kv(&t->attrs);
	lunset_sort(&t->luns);
	sl_sort(&t->sessions);
	if (t->ngroups > 1)
		qsort(t->groups, t->ngroups, sizeof(*t->groups), cmp_grp);
	for (int i = 0; i < t->ngroups; i++) {
		sl_sort(&t->groups[i].inits);
		sort_kv(&t->groups[i].iattrs);
		lunset_sort(&t->groups[i].luns);
	}
}

void cfg_sort(struct config *c)
{
	sort_kv(&c->root);
	if (c->ndevs > 1)
		qsort(c->devs, c->ndevs, sizeof(*c->devs), cmp_dev);
	for (int i = 0; i < c->ndevs; i++)
		sort_kv(&c->devs[i].attrs);
	if (c->ntgts > 1)
		qsort(c->tgts, c->ntgts, sizeof(*c->tgts), cmp_tgt);
	for (int i = 0; i < c->ntgts; i++)
		tgt_sort(&c->tgts[i]);
	for (int i = 0; i < c->ndrvs; i++) {
		sl_sort(&c->drvs[i].portals);
		sort_kv(&c->drvs[i].attrs);
	}
	sl_sort(&c->present);
}

static void tgt_free(struct target *t)
{
	free(t->driver);
	free(t->name);
	kv_free(&t->attrs);
	lunset_free(&t->luns);
	for (int i = 0; i < t->ngroups; i++) {
		free(t->groups[i].name);
		sl_free(&t->groups[i].inits);
		kv_free(&t->groups[i].iattrs);
		lunset_free(&t->groups[i].luns);
	}
	free(t->groups);
	sl_free(&t->sessions);
}

void cfg_free(struct config *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->ndevs; i++) {
		free(c->devs[i].name);
		free(c->devs[i].handler);
		kv_free(&c->devs[i].attrs);
	}
	free(c->devs);
	for (int i = 0; i < c->ntgts; i++)
		tgt_free(&c->tgts[i]);
	free(c->tgts);
	for (int i = 0; i < c->ndrvs; i++) {
		free(c->drvs[i].driver);
		sl_free(&c->drvs[i].portals);
		kv_free(&c->drvs[i].attrs);
	}
	free(c->drvs);
	kv_free(&c->root);
	sl_free(&c->present);
	free(c->file);
	free(c);
}
