// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: cross-object checks of a parsed configuration */
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vctx {
	const struct schema *s;
	const struct config *c;
	struct errlist *el;
};

static void check_devices(struct vctx *v)
{
	const struct config *c = v->c;

	for (int i = 0; i < c->ndevs; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(c->devs[i].name, c->devs[j].name)) {
				el_error(v->el, c->file, c->devs[i].line,
					 c->devs[i].name,
					 "device name already used at line %d (names are unique across handlers)",
					 c->devs[j].line);
				break;
			}
}

static void check_lunset(struct vctx *v, const struct lunset *set,
			 const char *ctx, int line)
{
	char key[400];

	for (int i = 0; i < set->n; i++) {
		const struct lun *l = &set->v[i];

		snprintf(key, sizeof(key), "%s.luns[%u]", ctx, l->num);
		for (int j = 0; j < i; j++)
			if (set->v[j].num == l->num)
				el_error(v->el, v->c->file, l->line, key,
					 "duplicate LUN (first at line %d)",
					 set->v[j].line);
		if (!cfg_find_device(v->c, l->device))
			el_error(v->el, v->c->file, l->line, key,
				 "undefined device \"%s\"", l->device);
	}
	if (set->n && !lunset_find(set, 0))
		el_warn(v->el, v->c->file, line, ctx,
			"no LUN 0: many initiators will not scan the other LUNs");
}

static void check_dups(struct vctx *v, const struct strlist *l,
		       const char *ctx, int line, const char *what)
{
	for (int i = 0; i < l->n; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(l->v[i], l->v[j])) {
				el_error(v->el, v->c->file, line, ctx,
					 "%s \"%s\" listed twice", what, l->v[i]);
				break;
			}
}

static void check_initiators(struct vctx *v, const struct target *t,
			     const char *ctx)
{
	for (int g = 0; g < t->ngroups; g++) {
		const struct group *gr = &t->groups[g];

		for (int i = 0; i < gr->inits.n; i++)
			for (int h = 0; h < g; h++)
				if (sl_has(&t->groups[h].inits, gr->inits.v[i]))
					el_error(v->el, v->c->file, gr->line, ctx,
						 "initiator \"%s\" is in groups \"%s\" and \"%s\"",
						 gr->inits.v[i], t->groups[h].name,
						 gr->name);
	}
}

static void check_groups(struct vctx *v, const struct target *t,
			 const char *ctx)
{
	char gctx[500];

	for (int g = 0; g < t->ngroups; g++) {
		const struct group *gr = &t->groups[g];

		snprintf(gctx, sizeof(gctx), "%s.groups[%s]", ctx, gr->name);
		for (int h = 0; h < g; h++)
			if (!strcmp(t->groups[h].name, gr->name))
				el_error(v->el, v->c->file, gr->line, gctx,
					 "duplicate group (first at line %d)",
					 t->groups[h].line);
		check_dups(v, &gr->inits, gctx, gr->line, "initiator");
		check_lunset(v, &gr->luns, gctx, gr->line);
	}
	check_initiators(v, t, ctx);
}

static const struct kv *auth_kv(const struct kvlist *l, const char *pfx,
			        const char *name)
{
	char *k = xasprintf("%sauth/%s", pfx, name);
	const struct kv *r = kv_get(l, k);

	free(k);
	return r;
}

/*
 * CHAP credentials of one auth group ("auth/..." or "<ini>/auth/..."):
 * a mutual secret equal to the secret is refused by the kernel (RFC 7143
 * 12.1.3); a userid set with an empty secret, or the reverse, makes
 * it refuse every login (a warning).  One of the two missing from the
 * file is not reported: a dump leaves write-only secrets out.
 */
static void check_auth(struct vctx *v, const struct kvlist *l,
		       const char *pfx, const char *ctx)
{
	const struct kv *u = auth_kv(l, pfx, "userid");
	const struct kv *s = auth_kv(l, pfx, "secret");
	const struct kv *ms = auth_kv(l, pfx, "mutual_secret");
	char key[700];

	snprintf(key, sizeof(key), "%s.%sauth", ctx, pfx);
	if (s && ms && *s->val && !strcmp(s->val, ms->val))
		el_error(v->el, v->c->file, ms->line, key,
			 "mutual_secret must differ from secret (RFC 7143 12.1.3)");
	if (u && s && !*u->val != !*s->val)
		el_warn(v->el, v->c->file, u ? u->line : s->line, key,
			"userid and secret must both be set (or both empty): logins are refused while only one is");
}

static void check_auths(struct vctx *v, const struct target *t,
			const char *ctx)
{
	check_auth(v, &t->attrs, "", ctx);
	for (int g = 0; g < t->ngroups; g++) {
		const struct group *gr = &t->groups[g];

		for (int i = 0; i < gr->inits.n; i++) {
			char *pfx = xasprintf("%s/", gr->inits.v[i]);

			check_auth(v, &gr->iattrs, pfx, ctx);
			free(pfx);
		}
	}
}

static void check_rel_tgt_id(struct vctx *v, int i, const char *ctx)
{
	const struct kv *a = kv_get(&v->c->tgts[i].attrs, "rel_tgt_id");

	for (int j = 0; a && j < i; j++) {
		const struct kv *b = kv_get(&v->c->tgts[j].attrs, "rel_tgt_id");

		if (b && !strcmp(a->val, b->val))
			el_error(v->el, v->c->file, a->line, ctx,
				 "rel_tgt_id %s already used by target %s/%s",
				 a->val, v->c->tgts[j].driver, v->c->tgts[j].name);
	}
}

static void check_targets(struct vctx *v)
{
	const struct config *c = v->c;
	char ctx[300];

	for (int i = 0; i < c->ntgts; i++) {
		const struct target *t = &c->tgts[i];

		snprintf(ctx, sizeof(ctx), "targets[%s/%s]", t->driver, t->name);
		for (int j = 0; j < i; j++)
			if (!strcmp(t->driver, c->tgts[j].driver) &&
			    !strcmp(t->name, c->tgts[j].name))
				el_error(v->el, c->file, t->line, ctx,
					 "duplicate target (first at line %d)",
					 c->tgts[j].line);
		check_lunset(v, &t->luns, ctx, t->line);
		check_groups(v, t, ctx);
		check_dups(v, &t->sessions, ctx, t->line, "session");
		check_rel_tgt_id(v, i, ctx);
		check_auths(v, t, ctx);
	}
}

static void check_drvs(struct vctx *v)
{
	for (int i = 0; i < v->c->ndrvs; i++) {
		const struct drvcfg *d = &v->c->drvs[i];
		char ctx[100];

		snprintf(ctx, sizeof(ctx), "drivers.%s", d->driver);
		check_dups(v, &d->portals, ctx, d->line, "portal");
	}
}

void validate_config(const struct schema *s, const struct config *c,
		     struct errlist *el)
{
	struct vctx v = { s, c, el };

	check_devices(&v);
	check_targets(&v);
	check_drvs(&v);
	validate_names(c, el);
}
