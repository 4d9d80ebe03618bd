// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: the status model rendered as text or JSON */
#include "status.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void status_modules(const struct schema *s, const struct config *c,
		    struct strlist *out)
{
	sl_add(out, "scst");
	for (int i = 0; i < c->present.n; i++) {
		const char *m = schema_module_of(s, c->present.v[i]);

		if (m && !sl_has(out, m))
			sl_add(out, m);
	}
}

static const struct rt_device *rt_dev(const struct runtime *rt,
				      const char *name)
{
	for (int i = 0; i < rt->ndevs; i++)
		if (!strcmp(rt->devs[i].name, name))
			return &rt->devs[i];
	return NULL;
}

static const char *attr(const struct kvlist *l, const char *k)
{
	const struct kv *v = kv_get(l, k);

	return v ? v->val : "";
}

static void render_pr(struct emit *e, const struct rt_device *r)
{
	em_begin(e, "reservation", "reservation:");
	em_u64(e, "generation", r->pr_generation);
	em_str(e, "holder", r->pr_holder);
	em_u64(e, "type", r->pr_type);
	em_list(e, "registrants");
	for (int i = 0; i < r->nregs; i++) {
		char *t = xasprintf("%s key 0x%016llx", r->regs[i].initiator,
				    (unsigned long long)r->regs[i].key);

		em_begin(e, NULL, t);
		em_str(e, "initiator", r->regs[i].initiator);
		em_u64(e, "key", r->regs[i].key);
		em_end(e);
		free(t);
	}
	em_list_end(e);
	em_end(e);
}

static const char *const lat_names[RT_LAT_DIRS] = { "read", "write", "other" };

/* text: "<from>-<to>us <count>" of the non-empty buckets */
static char *lat_text(const char *dir, const uint64_t *h)
{
	char *t = xasprintf("%s latency:", dir), *n;

	for (int b = 0; b < SCST_LAT_BUCKETS; b++) {
		if (!h[b])
			continue;
		if (b == 0)
			n = xasprintf("%s <1us %" PRIu64 ",", t, h[b]);
		else if (b == SCST_LAT_BUCKETS - 1)
			n = xasprintf("%s >=%lluus %" PRIu64 ",", t,
				      1ULL << (b - 1), h[b]);
		else
			n = xasprintf("%s %llu-%lluus %" PRIu64 ",", t,
				      1ULL << (b - 1), 1ULL << b, h[b]);
		free(t);
		t = n;
	}
	t[strlen(t) - 1] = '\0';	/* the last comma (or the colon) */
	return t;
}

/*
 * The counters as members (JSON) and the latency histograms: JSON
 * "latency_us": {"read": [24 buckets], ...}, text one line per
 * direction with completions.  Nothing for a kernel without counters.
 */
static void render_counters(struct emit *e, const struct rt_stats *st)
{
	if (!st->present)
		return;
	if (e->json) {
		em_u64(e, "commands", st->cmds);
		em_u64(e, "read_bytes", st->read_bytes);
		em_u64(e, "write_bytes", st->write_bytes);
		em_u64(e, "errors", st->errors);
		em_u64(e, "other_errors", st->other_errors);
		em_begin(e, "latency_us", NULL);
		for (int d = 0; d < RT_LAT_DIRS; d++) {
			em_list(e, lat_names[d]);
			for (int b = 0; b < SCST_LAT_BUCKETS; b++)
				em_u64(e, NULL, st->lat[d][b]);
			em_list_end(e);
		}
		em_end(e);
		return;
	}
	for (int d = 0; d < RT_LAT_DIRS; d++) {
		uint64_t n = 0;
		char *t;

		for (int b = 0; b < SCST_LAT_BUCKETS; b++)
			n += st->lat[d][b];
		if (!n)
			continue;
		t = lat_text(lat_names[d], st->lat[d]);
		em_begin(e, NULL, t);
		em_end(e);
		free(t);
	}
}

/* "N cmds, N bytes read, N bytes written, N errors, N other errors" */
static char *counters_text(const struct rt_stats *st)
{
	return xasprintf("%" PRIu64 " cmds, %" PRIu64 " bytes read, %" PRIu64
			 " bytes written, %" PRIu64 " errors, %" PRIu64
			 " other errors", st->cmds, st->read_bytes,
			 st->write_bytes, st->errors, st->other_errors);
}

static void render_device(struct emit *e, const struct status *st,
			  const struct device *d)
{
	const struct rt_device *r = rt_dev(&st->rt, d->name);
	char *title = xasprintf("%s (%s)", d->name, d->handler);

	em_begin(e, NULL, title);
	em_str(e, "name", d->name);
	em_str(e, "handler", d->handler);
	em_bool(e, "enabled", !strcmp(attr(&d->attrs, "enable"), "1"));
	if (kv_get(&d->attrs, "filename"))
		em_str(e, "filename", attr(&d->attrs, "filename"));
	if (kv_get(&d->attrs, "size"))
		em_u64(e, "size", strtoull(attr(&d->attrs, "size"), NULL, 10));
	if (r) {
		em_u64(e, "blocksize", r->blocksize);
		if (r->st.present && !e->json) {
			char *c = counters_text(&r->st);

			em_str(e, "counters", c);
			free(c);
		}
		render_counters(e, &r->st);
		if (r->has_pr)
			render_pr(e, r);
	}
	em_end(e);
	free(title);
}

static void render_lun(struct emit *e, const struct rt_lun *l)
{
	char *c = l->st.present ? counters_text(&l->st) : NULL;
	char *t = xasprintf("LUN %u -> %s%s%s%s", l->lun, l->device,
			    l->read_only ? " (ro)" : "", c ? ": " : "",
			    c ? c : "");

	em_begin(e, NULL, t);
	if (e->json) {
		em_u64(e, "lun", l->lun);
		em_str(e, "device", l->device);
		em_bool(e, "read_only", l->read_only);
	}
	render_counters(e, &l->st);
	em_end(e);
	free(t);
	free(c);
}

static void render_sessions(struct emit *e, const struct status *st,
			    const struct target *t)
{
	em_list(e, "sessions");
	for (int i = 0; st->rt.available && i < st->rt.nsess; i++) {
		const struct rt_session *s = &st->rt.sess[i];
		char *title;

		if (strcmp(s->driver, t->driver) || strcmp(s->target, t->name))
			continue;
		title = xasprintf("%s (group %s)", s->initiator,
				  *s->group ? s->group : "default");
		em_begin(e, NULL, title);
		em_str(e, "initiator", s->initiator);
		em_str(e, "group", s->group);
		if (s->st.present && !e->json) {
			char *c = counters_text(&s->st);

			em_str(e, "counters", c);
			free(c);
		}
		render_counters(e, &s->st);
		em_list(e, "luns");
		for (int j = 0; j < s->nluns; j++)
			render_lun(e, &s->luns[j]);
		em_list_end(e);
		em_end(e);
		free(title);
	}
	if (!st->rt.available)
		for (int i = 0; i < t->sessions.n; i++)
			em_str(e, NULL, t->sessions.v[i]);
	em_list_end(e);
}

static void render_lunset(struct emit *e, const char *key,
			  const struct lunset *set)
{
	em_list(e, key);
	for (int i = 0; i < set->n; i++) {
		em_begin(e, NULL, NULL);
		em_u64(e, "lun", set->v[i].num);
		em_str(e, "device", set->v[i].device);
		em_bool(e, "read_only", set->v[i].read_only);
		em_end(e);
	}
	em_list_end(e);
}

/* JSON: the LUN map of the target and of each group */
static void render_maps(struct emit *e, const struct target *t)
{
	render_lunset(e, "lun_map", &t->luns);
	em_list(e, "group_map");
	for (int i = 0; i < t->ngroups; i++) {
		const struct group *g = &t->groups[i];

		em_begin(e, NULL, NULL);
		em_str(e, "name", g->name);
		em_list(e, "initiators");
		for (int j = 0; j < g->inits.n; j++)
			em_str(e, NULL, g->inits.v[j]);
		em_list_end(e);
		render_lunset(e, "luns", &g->luns);
		em_end(e);
	}
	em_list_end(e);
}

static void render_target(struct emit *e, const struct status *st,
			  const struct target *t)
{
	char *title = xasprintf("%s/%s", t->driver, t->name);

	em_begin(e, NULL, title);
	em_str(e, "driver", t->driver);
	em_str(e, "name", t->name);
	em_bool(e, "enabled", !strcmp(attr(&t->attrs, "enabled"), "1"));
	em_u64(e, "luns", t->luns.n);
	em_list(e, "groups");
	for (int i = 0; i < t->ngroups; i++)
		em_str(e, NULL, t->groups[i].name);
	em_list_end(e);
	if (e->json)
		render_maps(e, t);
	render_sessions(e, st, t);
	em_end(e);
	free(title);
}

void status_render(FILE *f, const struct status *st, bool json)
{
	struct emit e = { .f = f, .json = json };

	e.first[0] = true;
	em_begin(&e, NULL, NULL);
	em_bool(&e, "kernel_runtime", st->rt.available);
	if (!st->rt.available)
		em_str(&e, "note", st->rt.why ? st->rt.why : "runtime data unavailable");
	em_list(&e, "modules");
	for (int i = 0; i < st->modules.n; i++)
		em_str(&e, NULL, st->modules.v[i]);
	em_list_end(&e);
	em_list(&e, "devices");
	for (int i = 0; i < st->cfg->ndevs; i++)
		render_device(&e, st, &st->cfg->devs[i]);
	em_list_end(&e);
	em_list(&e, "targets");
	for (int i = 0; i < st->cfg->ntgts; i++)
		render_target(&e, st, &st->cfg->tgts[i]);
	em_list_end(&e);
	if (st->rt.have_stats) {
		em_begin(&e, "buffer_cache", "buffer cache:");
		em_u64(&e, "hits", st->rt.buf_hits);
		em_u64(&e, "misses", st->rt.buf_misses);
		em_end(&e);
	}
	em_end(&e);
}
