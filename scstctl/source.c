// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstctl: from a step of a plan back to the file: "FILE:LINE: key" of
 * the object (or attribute) the step writes, so that a refusal of the
 * kernel names the line of scst.conf that asked for it.
 */
#include "diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int kv_line(const struct kvlist *l, const char *key, int def)
{
	const struct kv *k = key ? kv_get(l, key) : NULL;

	return k && k->line ? k->line : def;
}

static char *at(const struct config *w, int line, const char *fmt,
		const char *a, const char *b, const char *c)
{
	char *key = xasprintf(fmt, a, b, c);
	char *r = xasprintf("%s:%d: %s", w->file ? w->file : "-", line, key);

	free(key);
	return r;
}

static char *device_source(const struct config *w, char **part, int n)
{
	const struct device *d = n >= 3 ? cfg_find_device(w, part[2]) : NULL;

	if (!d)
		return NULL;
	if (n >= 4)
		return at(w, kv_line(&d->attrs, part[3], d->line),
			  "devices[%s].%s%s", d->name, part[3], "");
	return at(w, d->line, "devices[%s]%s%s", d->name, "", "");
}

static char *target_source(const struct config *w, char **part, int n)
{
	const struct target *t = n >= 3 ? cfg_find_target(w, part[1], part[2]) : NULL;
	char *tn;
	char *r;

	if (!t)
		return NULL;
	tn = xasprintf("%s/%s", t->driver, t->name);
	if (n >= 5 && !strcmp(part[3], "luns")) {
		const struct lun *l = lunset_find(&t->luns, strtoul(part[4], NULL, 10));

		r = at(w, l ? l->line : t->line, "targets[%s].luns[%s]%s", tn, part[4], "");
	} else if (n >= 5 && !strcmp(part[3], "groups")) {
		const struct group *g = tgt_find_group(t, part[4]);

		r = at(w, g ? g->line : t->line, "targets[%s].groups[%s]%s", tn, part[4], "");
	} else if (n >= 4) {
		r = at(w, kv_line(&t->attrs, part[3], t->line), "targets[%s].%s%s",
		       tn, part[3], "");
	} else {
		r = at(w, t->line, "targets[%s]%s%s", tn, "", "");
	}
	free(tn);
	return r;
}

char *plan_step_source(const struct config *w, const struct step *s)
{
	char *copy, *part[8], *save = NULL, *r = NULL;
	int n = 0;

	if (!w || s->op == S_MODPROBE)
		return NULL;
	copy = xstrdup(s->path);
	for (char *p = strtok_r(copy, "/", &save); p && n < 8;
	     p = strtok_r(NULL, "/", &save))
		part[n++] = p;
	if (n >= 1 && !strcmp(part[0], "handlers")) {
		r = device_source(w, part, n);
	} else if (n >= 1 && !strcmp(part[0], "targets")) {
		r = target_source(w, part, n);
	} else if (n >= 2 && !strcmp(part[0], "drivers")) {
		const struct drvcfg *d = cfg_find_drv(w, part[1]);

		if (d)
			r = at(w, d->line, "drivers.%s%s%s", d->driver,
			       n >= 3 ? "." : "", n >= 3 ? part[2] : "");
	} else if (n == 1) {
		r = at(w, kv_line(&w->root, part[0], 0), "%s%s%s", part[0], "", "");
	}
	free(copy);
	return r;
}
