// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: model -> scst.conf text */
#include "render.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* a JSON string: control characters as \u00XX (libconfig's \xXX is not JSON) */
void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

void render_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static bool numeric(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s || strlen(s) > 19)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static void render_value(FILE *f, const struct sc_attr *a, const char *v)
{
	long long n;

	switch (a->type) {
	case T_BOOL:
		fputs(!strcmp(v, "1") ? "true" : "false", f);
		return;
	case T_INT:
	case T_SIZE:
	case T_ENUM:
		if (numeric(v)) {
			n = strtoll(v, NULL, 10);
			fprintf(f, "%lld%s", n, n > 2147483647LL || n < -2147483648LL ?
				"L" : "");
			return;
		}
		/* fall through */
	default:
		render_string(f, v);
	}
}

static void indent(FILE *f, int n)
{
	while (n--)
		fputc('\t', f);
}

/* one attribute line; name is the key without its group prefix */
static void render_attr(FILE *f, int ind, const struct sc_attr *a,
			const char *name, const char *val, bool secrets)
{
	char canon[8192], why[256];

	if (!a || !(a->access & ACC_W) || a->action)
		return;
	if (a->type == T_SECRET && !(a->access & ACC_R) && !secrets) {
		indent(f, ind);
		fprintf(f, "# %s = \"********\";  (write-only; known to scstctl, shown with --secrets)\n",
			name);
		return;
	}
	if (schema_canon(a, val, canon, sizeof(canon), why, sizeof(why))) {
		indent(f, ind);
		fprintf(f, "# %s: live value not valid for the schema (%s)\n", name, why);
		return;
	}
	if ((a->def && !strcmp(a->def, canon)) || (a->dynamic && !*canon))
		return;
	indent(f, ind);
	fprintf(f, "%s = ", name);
	render_value(f, a, canon);
	fputs(";\n", f);
}

static void render_unknown_secrets(FILE *f, int ind, const struct schema *s,
				   const char *pattern, const char *prefix,
				   const struct kvlist *l)
{
	char *p = xasprintf("%s%s%.*s", pattern, *prefix ? "/" : "",
			    (int)(strlen(prefix) ? strlen(prefix) - 1 : 0), prefix);
	const struct sc_object *o = schema_by_pattern(s, p);

	for (int i = 0; o && i < o->nattrs; i++) {
		const struct sc_attr *a = &o->attrs[i];
		char *key = xasprintf("%s%s", prefix, a->name);
		/* the user name of a secret: "secret" -> "userid" */
		char *user = xasprintf("%s%.*suserid", prefix,
				       (int)(strlen(a->name) > 6 ? strlen(a->name) - 6 : 0),
				       a->name);
		const struct kv *u = kv_get(l, user);

		free(user);
		if (a->type == T_SECRET && !(a->access & ACC_R) && !kv_get(l, key) &&
		    u && *u->val) {
			indent(f, ind);
			fprintf(f, "# %s: write-only, not known to scstctl (set elsewhere or before reboot of the state)\n",
				a->name);
		}
		free(key);
	}
	free(p);
}

/* plain attributes, then attribute groups ("auth/x") as name = { ... }; */
static void render_attrs(FILE *f, int ind, const struct schema *s,
			 const char *pattern, const struct kvlist *l,
			 bool secrets)
{
	struct strlist groups = { 0 };

	for (int i = 0; i < l->n; i++) {
		const char *k = l->v[i].key, *slash = strchr(k, '/');
		char *g;

		if (!slash) {
			if (strcmp(k, "enable") && strcmp(k, "enabled"))
				render_attr(f, ind,
					    schema_attr_under(s, pattern, k),
					    k, l->v[i].val, secrets);
			continue;
		}
		g = strndup(k, slash - k);
		if (!sl_has(&groups, g))
			sl_add(&groups, g);
		free(g);
	}
	for (int j = 0; j < groups.n; j++) {
		char *prefix = xasprintf("%s/", groups.v[j]), *body = NULL;
		size_t len = 0;
		FILE *b = open_memstream(&body, &len);

		for (int i = 0; i < l->n; i++)
			if (!strncmp(l->v[i].key, prefix, strlen(prefix)))
				render_attr(b, ind + 1,
					    schema_attr_under(s, pattern,
							      l->v[i].key),
					    l->v[i].key + strlen(prefix),
					    l->v[i].val, secrets);
		render_unknown_secrets(b, ind + 1, s, pattern, prefix, l);
		fclose(b);
		if (len) {	/* a group with nothing set is left out */
			indent(f, ind);
			fprintf(f, "%s = {\n%s", groups.v[j], body);
			indent(f, ind);
			fputs("};\n", f);
		}
		free(body);
		free(prefix);
	}
	sl_free(&groups);
}

static void render_switch(FILE *f, int ind, const struct kvlist *l,
			  const char *key)
{
	const struct kv *k = kv_get(l, key);

	if (k && strcmp(k->val, "1")) {
		indent(f, ind);
		fprintf(f, "%s = false;\n", key);
	}
}

static void render_devices(FILE *f, const struct schema *s,
			   const struct config *c, bool secrets)
{
	if (!c->ndevs)
		return;
	fputs("devices = (\n", f);
	for (int i = 0; i < c->ndevs; i++) {
		const struct device *d = &c->devs[i];
		char *pattern = xasprintf("handlers/%s/<device>", d->handler);

		fputs("\t{\n\t\tname = ", f);
		render_string(f, d->name);
		fputs(";\n\t\thandler = ", f);
		render_string(f, d->handler);
		fputs(";\n", f);
		render_attrs(f, 2, s, pattern, &d->attrs, secrets);
		render_switch(f, 2, &d->attrs, "enable");
		fprintf(f, "\t}%s\n", i + 1 < c->ndevs ? "," : "");
		free(pattern);
	}
	fputs(");\n\n", f);
}

static void render_luns(FILE *f, int ind, const struct lunset *set)
{
	int n = 0;

	for (int i = 0; i < set->n; i++)
		n += set->v[i].device[0] != 0;
	for (int i = 0; i < set->n; i++)
		if (!set->v[i].device[0]) {
			indent(f, ind);
			fprintf(f, "# LUN %u has no device link and is left out\n",
				set->v[i].num);
		}
	if (!n)
		return;
	indent(f, ind);
	fputs("luns = (\n", f);
	for (int i = 0; i < set->n; i++) {
		const struct lun *l = &set->v[i];

		if (!l->device[0])
			continue;
		indent(f, ind + 1);
		fprintf(f, "{ lun = %u; device = ", l->num);
		render_string(f, l->device);
		fprintf(f, ";%s }%s\n", l->read_only ? " read_only = true;" : "",
			--n ? "," : "");
	}
	indent(f, ind);
	fputs(");\n", f);
}

static void render_names(FILE *f, int ind, const char *key,
			 const struct strlist *l)
{
	if (!l->n)
		return;
	indent(f, ind);
	fprintf(f, "%s = [ ", key);
	for (int i = 0; i < l->n; i++) {
		render_string(f, l->v[i]);
		fputs(i + 1 < l->n ? ", " : " ", f);
	}
	fputs("];\n", f);
}

/* whether an initiator entry has settings of its own to write out */
static bool ini_has_settings(const struct schema *s, const char *pattern,
			     const struct kvlist *sub)
{
	for (int i = 0; i < sub->n; i++) {
		const struct sc_attr *a = schema_attr_under(s, pattern,
							    sub->v[i].key);

		if (a && (a->access & ACC_W) && !a->action &&
		    *sub->v[i].val && !(a->def && !strcmp(a->def, sub->v[i].val)))
			return true;
	}
	return false;
}

/*
 * initiators = [ "a", "b" ]; or, when an entry has settings (per-initiator
 * CHAP), a list with { name = "b"; auth = { ... }; } for that entry
 */
static void render_initiators(FILE *f, const struct schema *s,
			      const struct target *t, const struct group *g,
			      bool secrets)
{
	char *pattern = xasprintf("targets/%s/<target>/groups/<group>/initiators/<initiator>",
				  t->driver);
	struct kvlist *subs = xcalloc(g->inits.n ? g->inits.n : 1, sizeof(*subs));
	bool any = false;

	for (int i = 0; i < g->inits.n; i++) {
		char *pfx = xasprintf("%s/", g->inits.v[i]);

		kv_sub(&g->iattrs, pfx, &subs[i]);
		if (!ini_has_settings(s, pattern, &subs[i]))
			kv_free(&subs[i]);
		any |= subs[i].n > 0;
		free(pfx);
	}
	if (!any) {
		render_names(f, 4, "initiators", &g->inits);
	} else {
		fputs("\t\t\t\tinitiators = (\n", f);
		for (int i = 0; i < g->inits.n; i++) {
			const char *sep = i + 1 < g->inits.n ? "," : "";

			indent(f, 5);
			if (!subs[i].n) {
				render_string(f, g->inits.v[i]);
				fprintf(f, "%s\n", sep);
				continue;
			}
			fputs("{\n", f);
			indent(f, 6);
			fputs("name = ", f);
			render_string(f, g->inits.v[i]);
			fputs(";\n", f);
			render_attrs(f, 6, s, pattern, &subs[i], secrets);
			indent(f, 5);
			fprintf(f, "}%s\n", sep);
		}
		fputs("\t\t\t\t);\n", f);
	}
	for (int i = 0; i < g->inits.n; i++)
		kv_free(&subs[i]);
	free(subs);
	free(pattern);
}

static void render_groups(FILE *f, const struct schema *s,
			  const struct target *t, bool secrets)
{
	if (!t->ngroups)
		return;
	fputs("\t\tgroups = (\n", f);
	for (int i = 0; i < t->ngroups; i++) {
		const struct group *g = &t->groups[i];

		fputs("\t\t\t{\n\t\t\t\tname = ", f);
		render_string(f, g->name);
		fputs(";\n", f);
		render_initiators(f, s, t, g, secrets);
		render_luns(f, 4, &g->luns);
		fprintf(f, "\t\t\t}%s\n", i + 1 < t->ngroups ? "," : "");
	}
	fputs("\t\t);\n", f);
}

static void render_targets(FILE *f, const struct schema *s,
			   const struct config *c, bool secrets)
{
	if (!c->ntgts)
		return;
	fputs("targets = (\n", f);
	for (int i = 0; i < c->ntgts; i++) {
		const struct target *t = &c->tgts[i];
		char *pattern = xasprintf("targets/%s/<target>", t->driver);

		fputs("\t{\n\t\tdriver = ", f);
		render_string(f, t->driver);
		fputs(";\n\t\tname = ", f);
		render_string(f, t->name);
		fputs(";\n", f);
		render_switch(f, 2, &t->attrs, "enabled");
		render_attrs(f, 2, s, pattern, &t->attrs, secrets);
		render_luns(f, 2, &t->luns);
		render_groups(f, s, t, secrets);
		render_names(f, 2, "sessions", &t->sessions);
		fprintf(f, "\t}%s\n", i + 1 < c->ntgts ? "," : "");
		free(pattern);
	}
	fputs(");\n\n", f);
}

static void render_drvs(FILE *f, const struct schema *s,
			const struct config *c, bool secrets)
{
	int n = 0;

	for (int i = 0; i < c->ndrvs; i++)
		n += c->drvs[i].portals.n || c->drvs[i].attrs.n;
	if (!n)
		return;
	fputs("drivers = {\n", f);
	for (int i = 0; i < c->ndrvs; i++) {
		const struct drvcfg *d = &c->drvs[i];
		char *pattern = xasprintf("drivers/%s", d->driver);

		if (!d->portals.n && !d->attrs.n) {
			free(pattern);
			continue;
		}
		fprintf(f, "\t%s = {\n", d->driver);
		render_names(f, 2, "portals", &d->portals);
		render_attrs(f, 2, s, pattern, &d->attrs, secrets);
		fputs("\t};\n", f);
		free(pattern);
	}
	fputs("};\n", f);
}

void render_conf(FILE *f, const struct schema *s, const struct config *c,
		 bool show_secrets)
{
	fputs("# SCST configuration (scst.conf(5)), written by scstctl\n\n", f);
	render_attrs(f, 0, s, "", &c->root, show_secrets);
	if (c->root.n)
		fputc('\n', f);
	render_devices(f, s, c, show_secrets);
	render_targets(f, s, c, show_secrets);
	render_drvs(f, s, c, show_secrets);
}
