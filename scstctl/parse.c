// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: scst.conf (libconfig syntax) -> model */
#include "parse.h"
#include "sa_parse.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int prescan(const struct schema *sch, const char *buf, size_t len,
	    const char *name, struct errlist *el);

#define VALMAX 8192

struct pctx {
	const struct schema *s;
	struct errlist *el;
	const char *file;
	struct config *c;
};

static int line_of(const config_setting_t *st)
{
	return st ? config_setting_source_line(st) : 0;
}

static void perr(struct pctx *p, const config_setting_t *st, const char *key,
		 const char *fmt, const char *msg)
{
	el_error(p->el, p->file, line_of(st), key, fmt, msg);
}

/* scalar setting -> string; -1 for groups, lists, floats, huge strings */
static int scalar(const config_setting_t *st, char *buf, size_t n)
{
	const char *v;

	switch (config_setting_type(st)) {
	case CONFIG_TYPE_INT:
		snprintf(buf, n, "%d", config_setting_get_int(st));
		return 0;
	case CONFIG_TYPE_INT64:
		snprintf(buf, n, "%lld", config_setting_get_int64(st));
		return 0;
	case CONFIG_TYPE_BOOL:
		snprintf(buf, n, "%d", config_setting_get_bool(st));
		return 0;
	case CONFIG_TYPE_STRING:
		v = config_setting_get_string(st);
		if (strlen(v) >= n)
			return -2;
		strcpy(buf, v);
		return 0;
	default:
		return -1;
	}
}

/* a string member; NULL (after an error) when missing or not a string */
static const char *req_string(struct pctx *p, const config_setting_t *g,
			      const char *ctx, const char *key)
{
	config_setting_t *st = config_setting_get_member(g, key);
	char k[300];

	snprintf(k, sizeof(k), "%s.%s", ctx, key);
	if (!st) {
		el_error(p->el, p->file, line_of(g), k, "missing");
		return NULL;
	}
	if (config_setting_type(st) != CONFIG_TYPE_STRING) {
		el_error(p->el, p->file, line_of(st), k, "must be a string");
		return NULL;
	}
	return config_setting_get_string(st);
}

static bool check_name(struct pctx *p, const config_setting_t *st,
		       const char *key, const char *ph, const char *name)
{
	const struct sc_placeholder *pl = schema_ph(p->s, ph);
	char why[300];

	if (pl && schema_check_name(pl, name, why, sizeof(why))) {
		el_error(p->el, p->file, line_of(st), key, "%s", why);
		return false;
	}
	return true;
}

/* one attribute setting of an object, validated by the schema */
static void parse_attr(struct pctx *p, const struct sc_object *o,
		       const char *prefix, const config_setting_t *st,
		       const char *ctx, struct kvlist *out)
{
	const char *name = config_setting_name(st);
	const struct sc_attr *a = schema_attr(o, name);
	static char val[VALMAX], canon[VALMAX];
	char key[400], why[300];

	snprintf(key, sizeof(key), "%s.%s%s", ctx, prefix, name);
	if (!a)
		return perr(p, st, key, "%s", "unknown key");
	if (a->action)
		return perr(p, st, key, "%s", "is an action, not configuration");
	if (!(a->access & ACC_W))
		return perr(p, st, key, "%s", "is read-only and cannot be configured");
	if ((a->type == T_STRING || a->type == T_SECRET || a->type == T_HEX) &&
	    config_setting_type(st) != CONFIG_TYPE_STRING)
		return perr(p, st, key, "%s", "must be a string (in double quotes)");
	if (scalar(st, val, sizeof(val)))
		return perr(p, st, key, "%s", "expected a scalar value (string, number or boolean)");
	if (schema_canon(a, val, canon, sizeof(canon), why, sizeof(why)))
		return perr(p, st, key, "%s", why);
	if (prefix[0]) {
		snprintf(key, sizeof(key), "%s%s", prefix, name);
		kv_set(out, key, canon, line_of(st));
	} else {
		kv_set(out, name, canon, line_of(st));
	}
}

/* attribute group such as auth = { userid = ...; } */
static void parse_attr_group(struct pctx *p, const struct sc_object *o,
			     const config_setting_t *g, const char *ctx,
			     struct kvlist *out)
{
	char prefix[80];
	int n = config_setting_length(g);

	snprintf(prefix, sizeof(prefix), "%s/", config_setting_name(g));
	for (int i = 0; i < n; i++)
		parse_attr(p, o, prefix, config_setting_get_elem(g, i), ctx, out);
}

static void required_attrs(struct pctx *p, const struct sc_object *o,
			   const config_setting_t *g, const char *ctx,
			   const struct kvlist *attrs)
{
	for (int i = 0; i < o->nattrs; i++)
		if (o->attrs[i].required && !kv_get(attrs, o->attrs[i].name)) {
			char k[300];

			snprintf(k, sizeof(k), "%s.%s", ctx, o->attrs[i].name);
			el_error(p->el, p->file, line_of(g), k,
				 "required for handler");
		}
}

static bool need_group(struct pctx *p, const config_setting_t *st,
		       const char *key)
{
	if (config_setting_is_group(st))
		return true;
	perr(p, st, key, "%s", "must be a group { ... }");
	return false;
}

static bool need_list(struct pctx *p, const config_setting_t *st,
		      const char *key, long long max, const char *what)
{
	char msg[200];

	if (!config_setting_is_aggregate(st) || config_setting_is_group(st)) {
		perr(p, st, key, "%s", "must be a list ( ... ) or array [ ... ]");
		return false;
	}
	if (config_setting_length(st) > max) {
		snprintf(msg, sizeof(msg), "too many %s (%d, limit %lld)", what,
			 config_setting_length(st), max);
		perr(p, st, key, "%s", msg);
		return false;
	}
	return true;
}

static void parse_device(struct pctx *p, const config_setting_t *g, int idx)
{
	const char *name, *handler;
	const struct sc_object *o;
	struct device *d;
	char ctx[200], pat[100];

	snprintf(ctx, sizeof(ctx), "devices[%d]", idx);
	if (!need_group(p, g, ctx))
		return;
	name = req_string(p, g, ctx, "name");
	handler = req_string(p, g, ctx, "handler");
	if (!name || !handler)
		return;
	snprintf(ctx, sizeof(ctx), "devices[%.64s]", name);
	if (!check_name(p, g, ctx, "device", name))
		return;
	snprintf(pat, sizeof(pat), "handlers/%.32s/<device>", handler);
	o = schema_by_pattern(p->s, pat);
	if (!o || strlen(handler) > 32) {
		el_error(p->el, p->file, line_of(g), ctx,
			 "unknown handler \"%.40s\"", handler);
		return;
	}
	d = cfg_add_device(p->c, name, handler);
	d->line = line_of(g);
	for (int i = 0; i < config_setting_length(g); i++) {
		config_setting_t *st = config_setting_get_elem(g, i);
		const char *k = config_setting_name(st);

		if (strcmp(k, "name") && strcmp(k, "handler"))
			parse_attr(p, o, "", st, ctx, &d->attrs);
	}
	if (!kv_get(&d->attrs, "enable"))
		kv_set(&d->attrs, "enable", "1", d->line);
	required_attrs(p, o, g, ctx, &d->attrs);
}

static void parse_lun(struct pctx *p, const config_setting_t *g,
		      const char *ctx, struct lunset *set)
{
	const struct sc_placeholder *ph = schema_ph(p->s, "lun");
	config_setting_t *st;
	const char *dev;
	struct lun *l;
	int ro = 0;
	long long num;
	char k[300];

	snprintf(k, sizeof(k), "%s.luns", ctx);
	if (!need_group(p, g, k))
		return;
	st = config_setting_get_member(g, "lun");
	if (!st || (config_setting_type(st) != CONFIG_TYPE_INT &&
		    config_setting_type(st) != CONFIG_TYPE_INT64))
		return perr(p, st ? st : g, k, "%s", "lun = <number> missing");
	num = config_setting_type(st) == CONFIG_TYPE_INT ?
	      config_setting_get_int(st) : config_setting_get_int64(st);
	snprintf(k, sizeof(k), "%s.luns[%lld]", ctx, num);
	if (ph && (num < ph->min || num > ph->max)) {
		el_error(p->el, p->file, line_of(st), k, "LUN out of range %lld..%lld",
			 ph->min, ph->max);
		return;
	}
	dev = req_string(p, g, k, "device");
	if (!dev)
		return;
	for (int i = 0; i < config_setting_length(g); i++) {
		const char *n = config_setting_name(config_setting_get_elem(g, i));

		if (strcmp(n, "lun") && strcmp(n, "device") && strcmp(n, "read_only"))
			el_error(p->el, p->file, line_of(config_setting_get_elem(g, i)),
				 k, "unknown key \"%s\"", n);
	}
	st = config_setting_get_member(g, "read_only");
	if (st && config_setting_type(st) != CONFIG_TYPE_BOOL)
		return perr(p, st, k, "%s", "read_only must be true or false");
	if (st)
		ro = config_setting_get_bool(st);
	l = lunset_add(set, num, dev);
	l->read_only = ro;
	l->line = line_of(g);
}

static void parse_luns(struct pctx *p, const config_setting_t *st,
		       const char *ctx, struct lunset *set)
{
	char k[300];

	snprintf(k, sizeof(k), "%s.luns", ctx);
	if (!need_list(p, st, k, p->s->lim.max_luns_per_target, "LUNs"))
		return;
	for (int i = 0; i < config_setting_length(st); i++)
		parse_lun(p, config_setting_get_elem(st, i), ctx, set);
}

static void parse_names(struct pctx *p, const config_setting_t *st,
			const char *key, const char *ph, long long max,
			struct strlist *out)
{
	if (!need_list(p, st, key, max, "entries"))
		return;
	for (int i = 0; i < config_setting_length(st); i++) {
		config_setting_t *e = config_setting_get_elem(st, i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			perr(p, e, key, "%s", "entries must be strings");
			continue;
		}
		if (check_name(p, e, key, ph, config_setting_get_string(e)))
			sl_add(out, config_setting_get_string(e));
	}
}

/* an initiator entry with attribute groups: { name = "..."; auth = { }; } */
static void parse_initiator(struct pctx *p, const struct target *t,
			    struct group *gr, const config_setting_t *e,
			    const char *key)
{
	char pat[200], ctx[600], *pfx;
	struct kvlist one = { 0 };
	const char *name;

	name = req_string(p, e, key, "name");
	if (!name || !check_name(p, e, key, "initiator", name))
		return;
	sl_add(&gr->inits, name);
	snprintf(pat, sizeof(pat),
		 "targets/%.32s/<target>/groups/<group>/initiators/<initiator>",
		 t->driver);
	snprintf(ctx, sizeof(ctx), "%s[%s]", key, name);
	for (int i = 0; i < config_setting_length(e); i++) {
		config_setting_t *st = config_setting_get_elem(e, i);
		const char *n = config_setting_name(st);
		const struct sc_object *ag = schema_attr_group(p->s, pat, n);
		char k[700];

		snprintf(k, sizeof(k), "%s.%s", ctx, n);
		if (!strcmp(n, "name"))
			continue;
		if (!ag)
			perr(p, st, k, "%s", "unknown key");
		else if (need_group(p, st, k))
			parse_attr_group(p, ag, st, ctx, &one);
	}
	pfx = xasprintf("%s/", name);
	for (int i = 0; i < one.n; i++) {
		char *ik = xasprintf("%s%s", pfx, one.v[i].key);

		kv_set(&gr->iattrs, ik, one.v[i].val, one.v[i].line);
		free(ik);
	}
	free(pfx);
	kv_free(&one);
}

/* initiators = ( "name", { name = "name"; auth = { ... }; }, ... ) */
static void parse_initiators(struct pctx *p, const struct target *t,
			     struct group *gr, const config_setting_t *st,
			     const char *key)
{
	if (!need_list(p, st, key, p->s->lim.max_initiators_per_group,
		       "entries"))
		return;
	for (int i = 0; i < config_setting_length(st); i++) {
		config_setting_t *e = config_setting_get_elem(st, i);

		if (config_setting_is_group(e)) {
			parse_initiator(p, t, gr, e, key);
			continue;
		}
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			perr(p, e, key, "%s", "entries must be strings or { name = ...; auth = { ... }; }");
			continue;
		}
		if (check_name(p, e, key, "initiator", config_setting_get_string(e)))
			sl_add(&gr->inits, config_setting_get_string(e));
	}
}

static void parse_group(struct pctx *p, struct target *t,
			const config_setting_t *g, const char *tctx)
{
	const char *name;
	struct group *gr;
	char ctx[400], k[450];

	snprintf(ctx, sizeof(ctx), "%s.groups", tctx);
	if (!need_group(p, g, ctx))
		return;
	name = req_string(p, g, ctx, "name");
	if (!name || !check_name(p, g, ctx, "group", name))
		return;
	snprintf(ctx, sizeof(ctx), "%s.groups[%s]", tctx, name);
	gr = tgt_add_group(t, name);
	gr->line = line_of(g);
	for (int i = 0; i < config_setting_length(g); i++) {
		config_setting_t *st = config_setting_get_elem(g, i);
		const char *n = config_setting_name(st);

		snprintf(k, sizeof(k), "%s.%s", ctx, n);
		if (!strcmp(n, "initiators"))
			parse_initiators(p, t, gr, st, k);
		else if (!strcmp(n, "luns"))
			parse_luns(p, st, ctx, &gr->luns);
		else if (strcmp(n, "name"))
			perr(p, st, k, "%s", "unknown key");
	}
}

static void parse_target_member(struct pctx *p, struct target *t,
				const struct sc_object *o,
				const config_setting_t *st, const char *ctx)
{
	const char *n = config_setting_name(st);
	const struct sc_object *ag;
	char k[400], pat[100];

	snprintf(k, sizeof(k), "%s.%s", ctx, n);
	snprintf(pat, sizeof(pat), "targets/%s/<target>", t->driver);
	if (!strcmp(n, "driver") || !strcmp(n, "name"))
		return;
	if (!strcmp(n, "luns"))
		return parse_luns(p, st, ctx, &t->luns);
	if (!strcmp(n, "groups")) {
		if (!need_list(p, st, k, p->s->lim.max_groups_per_target, "groups"))
			return;
		for (int i = 0; i < config_setting_length(st); i++)
			parse_group(p, t, config_setting_get_elem(st, i), ctx);
		return;
	}
	if (!strcmp(n, "sessions")) {
		snprintf(pat, sizeof(pat), "targets/%s/<target>/sessions", t->driver);
		if (!schema_by_pattern(p->s, pat))
			return perr(p, st, k, "%s", "this driver has no local sessions");
		return parse_names(p, st, k, "session",
				   p->s->lim.max_sessions_per_target, &t->sessions);
	}
	ag = schema_attr_group(p->s, pat, n);
	if (ag && need_group(p, st, k))
		return parse_attr_group(p, ag, st, ctx, &t->attrs);
	if (!ag)
		parse_attr(p, o, "", st, ctx, &t->attrs);
}

static void parse_target(struct pctx *p, const config_setting_t *g, int idx)
{
	const char *name, *drv;
	const struct sc_object *o;
	struct target *t;
	char ctx[300], pat[100];

	snprintf(ctx, sizeof(ctx), "targets[%d]", idx);
	if (!need_group(p, g, ctx))
		return;
	drv = req_string(p, g, ctx, "driver");
	name = req_string(p, g, ctx, "name");
	if (!drv || !name)
		return;
	snprintf(pat, sizeof(pat), "targets/%.32s/<target>", drv);
	o = schema_by_pattern(p->s, pat);
	if (!o || strlen(drv) > 32) {
		el_error(p->el, p->file, line_of(g), ctx,
			 "unknown target driver \"%.40s\"", drv);
		return;
	}
	if (!check_name(p, g, ctx, "target", name))
		return;
	snprintf(ctx, sizeof(ctx), "targets[%s/%s]", drv, name);
	t = cfg_add_target(p->c, drv, name);
	t->line = line_of(g);
	for (int i = 0; i < config_setting_length(g); i++)
		parse_target_member(p, t, o, config_setting_get_elem(g, i), ctx);
	if (!kv_get(&t->attrs, "enabled"))
		kv_set(&t->attrs, "enabled", "1", t->line);
}

static void parse_drv(struct pctx *p, const config_setting_t *g)
{
	const char *drv = config_setting_name(g);
	char ctx[200], pat[200];
	struct drvcfg *d;

	snprintf(ctx, sizeof(ctx), "drivers.%.40s", drv);
	snprintf(pat, sizeof(pat), "drivers/%.40s", drv);
	if (!schema_by_pattern(p->s, pat))
		return perr(p, g, ctx, "%s", "unknown driver or no driver-wide settings");
	if (!need_group(p, g, ctx))
		return;
	d = cfg_add_drv(p->c, drv);
	d->line = line_of(g);
	for (int i = 0; i < config_setting_length(g); i++) {
		config_setting_t *st = config_setting_get_elem(g, i);
		const char *n = config_setting_name(st);
		const struct sc_object *ag = schema_attr_group(p->s, pat, n);
		char k[300];

		snprintf(k, sizeof(k), "%s.%s", ctx, n);
		if (!strcmp(n, "portals"))
			parse_names(p, st, k, "portal", p->s->lim.max_portals,
				    &d->portals);
		else if (ag && need_group(p, st, k))
			parse_attr_group(p, ag, st, ctx, &d->attrs);
		else if (!ag)
			perr(p, st, k, "%s", "unknown key");
	}
}

static void parse_list(struct pctx *p, const config_setting_t *st,
		       long long max, const char *what,
		       void (*fn)(struct pctx *, const config_setting_t *, int))
{
	if (!need_list(p, st, config_setting_name(st), max, what))
		return;
	for (int i = 0; i < config_setting_length(st); i++)
		fn(p, config_setting_get_elem(st, i), i);
}

static void parse_top(struct pctx *p, const config_setting_t *root)
{
	const struct sc_object *ro = schema_by_pattern(p->s, "");

	for (int i = 0; i < config_setting_length(root); i++) {
		config_setting_t *st = config_setting_get_elem(root, i);
		const char *n = config_setting_name(st);

		if (!strcmp(n, "devices"))
			parse_list(p, st, p->s->lim.max_devices, "devices",
				   parse_device);
		else if (!strcmp(n, "targets"))
			parse_list(p, st, p->s->lim.max_targets, "targets",
				   parse_target);
		else if (!strcmp(n, "drivers") && need_group(p, st, n))
			for (int j = 0; j < config_setting_length(st); j++)
				parse_drv(p, config_setting_get_elem(st, j));
		else if (strcmp(n, "drivers"))
			parse_attr(p, ro, "", st, "scst", &p->c->root);
	}
}

/*
 * libconfig reads a decimal literal above INT32_MAX without an L suffix
 * as a wrapped 32-bit int (3000000000 -> -1294967296): add the L, outside
 * strings and comments, so that values are read as unsigned 64-bit
 * ranges expect.
 */
static char *widen_ints(const char *t)
{
	struct sbuf b;
	const char *p = t;

	sb_init(&b);
	while (*p) {
		if (*p == '"') {		/* a string, escapes included */
			const char *q = p + 1;

			while (*q && *q != '"')
				q += q[0] == '\\' && q[1] ? 2 : 1;
			q += *q == '"';
			sb_addn(&b, p, q - p);
			p = q;
		} else if (*p == '#' || (p[0] == '/' && (p[1] == '/' || p[1] == '*'))) {
			const char *q = p[1] == '*' ? strstr(p + 2, "*/") : strchr(p, '\n');

			q = q ? q + (p[1] == '*' ? 2 : 0) : p + strlen(p);
			sb_addn(&b, p, q - p);
			p = q;
		} else if (isdigit((unsigned char)*p) && (p == t || (!isalnum((unsigned char)p[-1]) &&
			   p[-1] != '_' && p[-1] != '.'))) {
			size_t n = strspn(p, "0123456789");

			sb_addn(&b, p, n);
			if ((n > 10 || (n == 10 && strncmp(p, "2147483647", 10) > 0)) &&
			    !strchr(".eExXLl", p[n] ? p[n] : ' ') && !isalnum((unsigned char)p[n]))
				sb_add(&b, "L");
			p += n;
		} else {
			sb_addn(&b, p++, 1);
		}
	}
	return sb_steal(&b);
}

/* the text of line n (1-based) of text, in out */
static void line_text(const char *text, int n, char *out, size_t len)
{
	const char *p = text, *e;

	while (--n > 0 && (p = strchr(p, '\n')))
		p++;
	if (!p || n > 0) {
		out[0] = 0;
		return;
	}
	e = strchr(p, '\n');
	snprintf(out, len, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
}

static bool has_seq(const char *l, char a, char b)
{
	for (const char *p = strchr(l, a); p; p = strchr(p + 1, a)) {
		const char *q = p + 1;

		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == b)
			return true;
	}
	return false;
}

static char last_char(const char *l)
{
	size_t n = strlen(l);

	while (n && (l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	return n ? l[n - 1] : 0;
}

/* libconfig says "syntax error": say which of the usual slips it is */
static const char *syntax_hint(const char *text, int line)
{
	char cur[512], prev[512];

	line_text(text, line, cur, sizeof(cur));
	line_text(text, line > 1 ? line - 1 : 0, prev, sizeof(prev));
	if (has_seq(cur, '[', '{') || has_seq(prev, '[', '{'))
		return "a list of groups is written ( { ... }, { ... } ) with round brackets; [ ] holds plain values only";
	if (has_seq(cur, ',', ')') || has_seq(cur, ',', ']') ||
	    (strchr(")]", cur[strspn(cur, " \t")]) && cur[strspn(cur, " \t")] &&
	     last_char(prev) == ','))
		return "a comma after the last element of a list; remove it";
	return NULL;
}

struct config *parse_buf(const struct schema *s, const char *buf, size_t len,
			 const char *name, struct errlist *el)
{
	struct pctx p = { s, el, name, xcalloc(1, sizeof(struct config)) };
	config_t cfg;
	char *text;

	p.c->file = xstrdup(name);
	if (sa_looks_like(buf, len)) {
		el_error(el, name, 0, NULL,
			 "this is scstadmin syntax (upstream SCST); convert it with: scstctl import-scstadmin %s > NEW.conf",
			 name);
		return p.c;
	}
	if (prescan(s, buf, len, name, el))
		return p.c;
	/* buf has no NUL (prescan); libconfig wants a C string */
	text = xmalloc(len + 1);
	memcpy(text, buf, len);
	text[len] = 0;
	{
		char *wide = widen_ints(text);

		free(text);
		text = wide;
	}
	config_init(&cfg);
	if (!config_read_string(&cfg, text)) {
		const char *hint = syntax_hint(text, config_error_line(&cfg));

		el_error(el, name, config_error_line(&cfg), NULL, "%s%s%s",
			 config_error_text(&cfg), hint ? ": " : "", hint ? hint : "");
		config_destroy(&cfg);
		free(text);
		return p.c;
	}
	free(text);
	parse_top(&p, config_root_setting(&cfg));
	config_destroy(&cfg);
	/* names and portals are checked even after other errors: check lists them all */
	if (!el->nerr)
		validate_config(s, p.c, el);
	else
		validate_names(p.c, el);
	return p.c;
}

struct config *parse_file(const struct schema *s, const char *path,
			  struct errlist *el)
{
	bool in = !strcmp(path, "-");
	const char *name = in ? "<stdin>" : path;
	struct config *c;
	size_t len = 0;
	char *buf = NULL;
	int fd = in ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0) {
		el_error(el, name, 0, NULL, "%s", strerror(errno));
		return NULL;
	}
	rc = read_whole_fd(fd, s->lim.max_file_size, &buf, &len);
	if (!in)
		close(fd);
	if (rc) {
		el_error(el, name, 0, NULL, "%s", rc == -EFBIG ?
			 "file larger than the max_file_size limit" : strerror(-rc));
		return NULL;
	}
	c = parse_buf(s, buf, len, name, el);
	free(buf);
	return c;
}
