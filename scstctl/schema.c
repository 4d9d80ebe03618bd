// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: loading and querying the configfs schema */
#include "schema.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
	[T_BOOL] = "bool", [T_INT] = "int", [T_SIZE] = "size",
	[T_STRING] = "string", [T_ENUM] = "enum", [T_SECRET] = "secret",
	[T_HEX] = "hex", [T_TEXT] = "text",
};

const char *schema_type_name(enum sc_type t)
{
	return type_names[t];
}

const char *schema_default_path(const char *opt)
{
	const char *env = getenv("SCST_SCHEMA");

	if (opt)
		return opt;
	if (env && *env)
		return env;
	return SCST_SCHEMA_PATH;
}

static char *sdup(const config_setting_t *g, const char *key)
{
	const char *v;

	if (!config_setting_lookup_string(g, key, &v))
		return NULL;
	return xstrdup(v);
}

static long long ll(const config_setting_t *g, const char *key, long long d)
{
	config_setting_t *s = config_setting_get_member(g, key);

	if (!s)
		return d;
	if (config_setting_type(s) == CONFIG_TYPE_INT64)
		return config_setting_get_int64(s);
	return config_setting_get_int(s);
}

static bool flag(const config_setting_t *g, const char *key)
{
	int v = 0;

	config_setting_lookup_bool(g, key, &v);
	return v;
}

static int parse_type(const char *t, enum sc_type *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(type_names); i++)
		if (t && !strcmp(t, type_names[i])) {
			*out = i;
			return 0;
		}
	return -1;
}

static int load_attr(const config_setting_t *g, struct sc_attr *a,
		     char *err, size_t n)
{
	const char *t = NULL, *acc = NULL;
	config_setting_t *arr;

	memset(a, 0, sizeof(*a));
	a->name = sdup(g, "name");
	config_setting_lookup_string(g, "type", &t);
	config_setting_lookup_string(g, "access", &acc);
	if (!a->name || parse_type(t, &a->type) || !acc) {
		snprintf(err, n, "line %d: attribute needs name, type, access",
			 config_setting_source_line(g));
		return -1;
	}
	a->access = (strchr(acc, 'r') ? ACC_R : 0) | (strchr(acc, 'w') ? ACC_W : 0);
	if (a->type == T_TEXT && a->access != ACC_R) {
		snprintf(err, n, "line %d: type text is for read-only status",
			 config_setting_source_line(g));
		return -1;
	}
	a->min = ll(g, "min", 0);
	a->max = ll(g, "max", 0);
	a->min_len = ll(g, "min_len", 0);
	a->max_len = ll(g, "max_len", 4095);
	a->def = sdup(g, "default");
	a->dynamic = sdup(g, "dynamic");
	a->desc = sdup(g, "description");
	a->creation = flag(g, "creation");
	a->required = flag(g, "required");
	a->action = flag(g, "action");
	a->naa = flag(g, "naa");
	a->allow_empty = flag(g, "allow_empty");
	arr = config_setting_get_member(g, "values");
	if (arr) {
		a->nvalues = config_setting_length(arr);
		a->values = xcalloc(a->nvalues, sizeof(char *));
		for (int i = 0; i < a->nvalues; i++)
			a->values[i] = xstrdup(config_setting_get_string_elem(arr, i));
	}
	arr = config_setting_get_member(g, "digits");
	for (int i = 0; arr && i < config_setting_length(arr) && i < 2; i++)
		a->digits[i] = config_setting_get_int_elem(arr, i);
	return 0;
}

static void split_path(struct sc_object *o)
{
	char *p, *save = NULL, *copy = xstrdup(o->path);

	o->segs = xcalloc(strlen(o->path) + 1, sizeof(char *));
	for (p = strtok_r(copy, "/", &save); p; p = strtok_r(NULL, "/", &save))
		o->segs[o->nsegs++] = xstrdup(p);
	free(copy);
}

static int load_object(const config_setting_t *g, struct sc_object *o,
		       char *err, size_t n)
{
	const char *c = NULL;
	config_setting_t *attrs;

	memset(o, 0, sizeof(*o));
	o->path = sdup(g, "path");
	config_setting_lookup_string(g, "created", &c);
	if (!o->path || !c) {
		snprintf(err, n, "line %d: object needs path and created",
			 config_setting_source_line(g));
		return -1;
	}
	o->created = !strcmp(c, "mkdir") ? C_MKDIR :
		     !strcmp(c, "symlink") ? C_SYMLINK : C_KERNEL;
	o->module = sdup(g, "module");
	o->link_to = sdup(g, "link_to");
	o->desc = sdup(g, "description");
	o->optional = flag(g, "optional");
	split_path(o);
	attrs = config_setting_get_member(g, "attributes");
	if (!attrs)
		return 0;
	o->nattrs = config_setting_length(attrs);
	o->attrs = xcalloc(o->nattrs, sizeof(*o->attrs));
	for (int i = 0; i < o->nattrs; i++)
		if (load_attr(config_setting_get_elem(attrs, i), &o->attrs[i],
			      err, n))
			return -1;
	return 0;
}

static void load_limits(const config_setting_t *g, struct sc_limits *l)
{
	l->max_file_size = ll(g, "max_file_size", 16 << 20);
	l->max_devices = ll(g, "max_devices", 16384);
	l->max_targets = ll(g, "max_targets", 4096);
	l->max_luns_per_target = ll(g, "max_luns_per_target", 16384);
	l->max_groups_per_target = ll(g, "max_groups_per_target", 1024);
	l->max_initiators_per_group = ll(g, "max_initiators_per_group", 4096);
	l->max_sessions_per_target = ll(g, "max_sessions_per_target", 1024);
	l->max_portals = ll(g, "max_portals", 256);
	l->max_nesting = ll(g, "max_nesting", 8);
}

static void load_placeholders(const config_setting_t *list, struct schema *s)
{
	s->nph = list ? config_setting_length(list) : 0;
	s->ph = xcalloc(s->nph, sizeof(*s->ph));
	for (int i = 0; i < s->nph; i++) {
		config_setting_t *g = config_setting_get_elem(list, i);
		struct sc_placeholder *p = &s->ph[i];
		const char *t = NULL;

		p->name = sdup(g, "name");
		config_setting_lookup_string(g, "type", &t);
		p->type = t && !strcmp(t, "int") ? T_INT : T_STRING;
		p->min = ll(g, "min", 0);
		p->max = ll(g, "max", 0);
		p->min_len = ll(g, "min_len", 1);
		p->max_len = ll(g, "max_len", 255);
		p->charset = sdup(g, "charset");
		p->desc = sdup(g, "description");
	}
}

static int load_root(config_t *cfg, struct schema *s, char *err, size_t n)
{
	config_setting_t *root = config_root_setting(cfg);
	config_setting_t *objs = config_setting_get_member(root, "objects");
	config_setting_t *lim = config_setting_get_member(root, "limits");

	if (!objs || !config_setting_is_list(objs)) {
		snprintf(err, n, "%s: no objects list", s->file);
		return -1;
	}
	load_limits(lim ? lim : root, &s->lim);
	load_placeholders(config_setting_get_member(root, "placeholders"), s);
	s->nobjs = config_setting_length(objs);
	s->objs = xcalloc(s->nobjs, sizeof(*s->objs));
	for (int i = 0; i < s->nobjs; i++)
		if (load_object(config_setting_get_elem(objs, i), &s->objs[i],
				err, n))
			return -1;
	return 0;
}

struct schema *schema_load(const char *path, char *err, size_t n)
{
	struct schema *s = xcalloc(1, sizeof(*s));
	config_t cfg;
	int rc;

	s->file = xstrdup(path);
	config_init(&cfg);
	if (!config_read_file(&cfg, path)) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			snprintf(err, n, "schema %s: %s", path, strerror(errno));
		else
			snprintf(err, n, "schema %s:%d: %s", path,
				 config_error_line(&cfg), config_error_text(&cfg));
		config_destroy(&cfg);
		schema_free(s);
		return NULL;
	}
	rc = load_root(&cfg, s, err, n);
	config_destroy(&cfg);
	if (rc) {
		schema_free(s);
		return NULL;
	}
	return s;
}

static void free_attr(struct sc_attr *a)
{
	free(a->name);
	for (int i = 0; i < a->nvalues; i++)
		free(a->values[i]);
	free(a->values);
	free(a->def);
	free(a->dynamic);
	free(a->desc);
}

void schema_free(struct schema *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nobjs; i++) {
		struct sc_object *o = &s->objs[i];

		free(o->path);
		for (int j = 0; j < o->nsegs; j++)
			free(o->segs[j]);
		free(o->segs);
		free(o->module);
		free(o->link_to);
		free(o->desc);
		for (int j = 0; j < o->nattrs; j++)
			free_attr(&o->attrs[j]);
		free(o->attrs);
	}
	for (int i = 0; i < s->nph; i++) {
		free(s->ph[i].name);
		free(s->ph[i].charset);
		free(s->ph[i].desc);
	}
	free(s->ph);
	free(s->objs);
	free(s->file);
	free(s);
}

static bool is_ph(const char *seg)
{
	return seg[0] == '<';
}

/* score: -1 = no match, else number of literal segments matched */
static int match_score(const struct sc_object *o, char **segs, int n)
{
	int score = 0;

	if (o->nsegs != n)
		return -1;
	for (int i = 0; i < n; i++) {
		if (is_ph(o->segs[i]))
			continue;
		if (strcmp(o->segs[i], segs[i]))
			return -1;
		score++;
	}
	return score;
}

static const struct sc_object *match_segs(const struct schema *s,
					  char **segs, int n)
{
	const struct sc_object *best = NULL;
	int best_score = -1;

	for (int i = 0; i < s->nobjs; i++) {
		int sc = match_score(&s->objs[i], segs, n);

		if (sc > best_score) {
			best_score = sc;
			best = &s->objs[i];
		}
	}
	return best;
}

const struct sc_object *schema_match(const struct schema *s, const char *path)
{
	char *copy = xstrdup(path), *save = NULL, *p;
	char **segs = xcalloc(strlen(path) + 1, sizeof(char *));
	const struct sc_object *o;
	int n = 0;

	for (p = strtok_r(copy, "/", &save); p; p = strtok_r(NULL, "/", &save))
		segs[n++] = p;
	o = match_segs(s, segs, n);
	free(segs);
	free(copy);
	return o;
}

const struct sc_object *schema_by_pattern(const struct schema *s,
					  const char *pattern)
{
	for (int i = 0; i < s->nobjs; i++)
		if (!strcmp(s->objs[i].path, pattern))
			return &s->objs[i];
	return NULL;
}

const struct sc_attr *schema_attr(const struct sc_object *o, const char *name)
{
	for (int i = 0; o && i < o->nattrs; i++)
		if (!strcmp(o->attrs[i].name, name))
			return &o->attrs[i];
	return NULL;
}

const struct sc_attr *schema_attr_under(const struct schema *s,
				       const char *pattern, const char *key)
{
	const char *slash = strrchr(key, '/');
	const struct sc_attr *a;
	char *p;

	if (!slash)
		return schema_attr(schema_by_pattern(s, pattern), key);
	p = xasprintf("%s%s%.*s", pattern, *pattern ? "/" : "",
		      (int)(slash - key), key);
	a = schema_attr(schema_by_pattern(s, p), slash + 1);
	free(p);
	return a;
}

const struct sc_placeholder *schema_ph(const struct schema *s,
				       const char *name)
{
	for (int i = 0; i < s->nph; i++)
		if (!strcmp(s->ph[i].name, name))
			return &s->ph[i];
	return NULL;
}

bool schema_is_handler(const struct schema *s, const char *name)
{
	char *p = xasprintf("handlers/%s", name);
	const struct sc_object *o = schema_by_pattern(s, p);

	free(p);
	return o && o->created == C_KERNEL && o->module;
}

bool schema_is_driver(const struct schema *s, const char *name)
{
	char *p = xasprintf("targets/%s", name);
	const struct sc_object *o = schema_by_pattern(s, p);

	free(p);
	return o && o->created == C_KERNEL && o->module;
}

const char *schema_module_of(const struct schema *s, const char *kpath)
{
	const struct sc_object *o = schema_by_pattern(s, kpath);

	return o ? o->module : NULL;
}

const struct sc_object *schema_attr_group(const struct schema *s,
					  const char *parent_pattern,
					  const char *sub)
{
	char *p = xasprintf("%s/%s", parent_pattern, sub);
	const struct sc_object *o = schema_by_pattern(s, p);

	free(p);
	if (o && o->created == C_KERNEL && o->nattrs)
		return o;
	return NULL;
}
