// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: schema-check (live tree vs schema) and schema-doc (man page) */
#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct walk {
	struct ctx *c;
	int diffs, objects, attrs;
	bool *seen;		/* per schema object */
	bool defaults;		/* also compare values with static defaults */
};

static void diffp(struct walk *w, const char *path, const char *fmt,
		  const char *a, const char *b)
{
	printf("%s: ", *path ? path : "(root)");
	printf(fmt, a, b);
	putchar('\n');
	w->diffs++;
}

static bool pattern_child(const struct sc_object *p, const struct sc_object *k)
{
	if (k->nsegs != p->nsegs + 1)
		return false;
	for (int i = 0; i < p->nsegs; i++)
		if (strcmp(p->segs[i], k->segs[i]))
			return false;
	return true;
}

static char *join(const char *a, const char *b)
{
	return *a ? xasprintf("%s/%s", a, b) : xstrdup(b);
}

/*
 * A required attribute of an object that is not configured yet reads as
 * empty (strings) or 0 (sizes): that is "not set", not a wrong value.
 */
static bool unset_required(const struct sc_attr *a, const char *val)
{
	return a->required && (!val[0] || !strcmp(val, "0"));
}

/* --defaults: a value that differs from the schema's static default */
static void check_default(struct walk *w, const char *p,
			  const struct sc_attr *a, const char *canon)
{
	char dcanon[8192], why[256];

	if (schema_canon(a, a->def, dcanon, sizeof(dcanon), why, sizeof(why)))
		diffp(w, p, "schema default \"%s\" does not fit its type: %s",
		      a->def, why);
	else if (strcmp(canon, dcanon))
		diffp(w, p, "value \"%s\", schema default \"%s\"", canon,
		      dcanon);
}

static void check_attr(struct walk *w, const char *path,
		       const struct sc_attr *a, const struct entry *e)
{
	char *p = join(path, a->name);
	bool r = e->mode & 0444, wr = e->mode & 0222;
	char val[8192], canon[8192], why[256];

	w->attrs++;
	if (r != !!(a->access & ACC_R) || wr != !!(a->access & ACC_W))
		diffp(w, p, "mode %s, schema says %s", r ? (wr ? "rw" : "ro") :
		      (wr ? "wo" : "none"), a->access == (ACC_R | ACC_W) ? "rw" :
		      a->access == ACC_R ? "ro" : "wo");
	if ((a->access & ACC_R) && r &&
	    !w->c->t->ops->read(w->c->t, p, val, sizeof(val)) &&
	    !unset_required(a, val) &&
	    schema_canon(a, val, canon, sizeof(canon), why, sizeof(why)))
		diffp(w, p, "value \"%s\" does not fit the schema: %s", val, why);
	else if (w->defaults && a->def && (a->access & ACC_R) && r)
		check_default(w, p, a, canon);
	free(p);
}

static bool module_loaded(struct walk *w, const char *module)
{
	char *p;
	bool yes;

	if (w->c->t->fake)
		return false;	/* unknowable: module-made objects are optional */
	p = xasprintf("/sys/module/%s", module);
	yes = !access(p, F_OK);
	free(p);
	return yes;
}

static void check_missing(struct walk *w, const char *path,
			  const struct sc_object *o, const struct entries *e)
{
	for (int i = 0; i < o->nattrs; i++)
		if (!entries_has(e, o->attrs[i].name))
			diffp(w, path, "attribute %s missing%s", o->attrs[i].name, "");
	for (int i = 0; i < w->c->s->nobjs; i++) {
		const struct sc_object *k = &w->c->s->objs[i];
		const char *name;

		if (k->created != C_KERNEL || !pattern_child(o, k) || k->optional)
			continue;
		name = k->segs[k->nsegs - 1];
		if (entries_has(e, name))
			continue;
		if (!k->module || module_loaded(w, k->module))
			diffp(w, path, "kernel object %s missing%s", name,
			      k->module ? " although its module is loaded" : "");
	}
}

static void walk_dir(struct walk *w, const char *path, const struct sc_object *o);

static void check_link(struct walk *w, const char *p, const struct sc_object *k)
{
	char buf[4096];
	struct stat st;

	if (w->c->t->ops->readlink(w->c->t, p, buf, sizeof(buf))) {
		diffp(w, p, "cannot read link%s%s", "", "");
		return;
	}
	if (fstatat(w->c->t->rootfd, p, &st, 0) || !S_ISDIR(st.st_mode))
		diffp(w, p, "link -> %s does not resolve to a directory%s", buf, "");
	else if (k->link_to && !strstr(buf, "handlers/"))
		diffp(w, p, "link -> %s does not point to %s", buf, k->link_to);
}

static void check_entry(struct walk *w, const char *path,
			const struct sc_object *o, const struct entry *e)
{
	char *p = join(path, e->name);
	const struct sc_object *k = schema_match(w->c->s, p);
	const struct sc_attr *a = schema_attr(o, e->name);
	char why[300];

	if (e->type == 'f' && a)
		check_attr(w, path, a, e);
	else if (e->type == 'f')
		diffp(w, p, "file not in the schema%s%s", "", "");
	else if (!k || !pattern_child(o, k))
		diffp(w, p, "%s not in the schema%s", e->type == 'd' ? "directory" :
		      e->type == 'l' ? "symlink" : "entry", "");
	else if (e->type == 'l' && k->created == C_SYMLINK)
		check_link(w, p, k);
	else if (e->type == 'd' && k->created != C_SYMLINK) {
		const char *seg = k->segs[k->nsegs - 1];
		char *ph = strndup(seg + 1, strlen(seg) - 2);
		const struct sc_placeholder *pl = seg[0] == '<' ?
						  schema_ph(w->c->s, ph) : NULL;

		if (pl && schema_check_name(pl, e->name, why, sizeof(why)))
			diffp(w, p, "bad name: %s%s", why, "");
		free(ph);
		walk_dir(w, p, k);
	} else
		diffp(w, p, "is a %s, schema says %s", e->type == 'l' ? "symlink" :
		      "directory", k->created == C_SYMLINK ? "symlink" : "directory");
	free(p);
}

static void walk_dir(struct walk *w, const char *path, const struct sc_object *o)
{
	struct entries e;
	int rc = w->c->t->ops->list(w->c->t, path, &e);

	w->objects++;
	w->seen[o - w->c->s->objs] = true;
	if (rc) {
		diffp(w, path, "cannot list: %s%s", strerror(-rc), "");
		return;
	}
	check_missing(w, path, o, &e);
	for (int i = 0; i < e.n; i++)
		check_entry(w, path, o, &e.v[i]);
	entries_free(&e);
}

/* the module that registers @o or the nearest ancestor that names one */
static const char *object_module(const struct schema *s,
				 const struct sc_object *o)
{
	const char *best = NULL;
	size_t best_len = 0;

	for (int j = 0; j < s->nobjs; j++) {
		const struct sc_object *a = &s->objs[j];
		size_t n = strlen(a->path);

		if (!a->module || n < best_len || strncmp(o->path, a->path, n) ||
		    (o->path[n] && o->path[n] != '/'))
			continue;
		best = a->module;
		best_len = n;
	}
	return best;
}

/* schema objects of the loaded modules that were not found */
static void check_complete(struct walk *w)
{
	for (int i = 0; i < w->c->s->nobjs; i++) {
		const struct sc_object *o = &w->c->s->objs[i];
		const char *m = object_module(w->c->s, o);

		if (m && !module_loaded(w, m))
			continue;
		if (!w->seen[i] && !o->optional && o->created != C_SYMLINK)
			diffp(w, o->path, "schema object not found in the tree%s%s", "", "");
	}
}

static void mark_links(struct walk *w)
{
	/* symlink objects are checked in place; count them as seen via parents */
	for (int i = 0; i < w->c->s->nobjs; i++)
		if (w->c->s->objs[i].created == C_SYMLINK)
			w->seen[i] = true;
}

int cmd_schema_check(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "complete", no_argument, NULL, 'c' },
		{ "defaults", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cmd *cmd = cmd_find("schema-check");
	struct walk w = { c, 0, 0, 0, NULL, false };
	bool complete = false;
	const struct sc_object *root;
	int o;

	while ((o = sub_getopt(cmd, argc, argv, "cdh", opts)) != -1) {
		if (o == 'c')
			complete = true;
		else
			w.defaults = true;
	}
	if (ctx_tree(c, false))
		return 2;
	root = schema_by_pattern(c->s, "");
	if (!root) {
		fprintf(stderr, "scstctl: schema has no root object\n");
		return 2;
	}
	w.seen = xcalloc(c->s->nobjs, sizeof(bool));
	walk_dir(&w, "", root);
	mark_links(&w);
	if (complete)
		check_complete(&w);
	printf("schema-check: %d objects, %d attributes checked, %d difference%s\n",
	       w.objects, w.attrs, w.diffs, w.diffs == 1 ? "" : "s");
	free(w.seen);
	return w.diffs ? 1 : 0;
}

/* ------------------------------------------------------------ schema-doc */

static void troff_text(const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
	}
}

static void doc_attr(const struct sc_attr *a)
{
	char type[300];

	schema_type_desc(a, type, sizeof(type));
	printf(".TP\n.B ");
	troff_text(a->name);
	printf("\n(");
	troff_text(type);
	printf("; %s", a->access == (ACC_R | ACC_W) ? "rw" :
	       a->access == ACC_R ? "ro" : "wo");
	if (a->creation)
		printf("; creation attribute");
	if (a->required)
		printf("; required");
	if (a->def) {
		printf("; default \"");
		troff_text(a->def);
		printf("\"");
	} else if (a->dynamic) {
		printf("; default: ");
		troff_text(a->dynamic);
	}
	printf(")\n.br\n");
	troff_text(a->desc);
	printf("\n");
}

static void doc_object(const struct sc_object *o)
{
	static const char *const created[] = { "kernel", "mkdir", "symlink" };

	printf(".SS ");
	troff_text(*o->path ? o->path : "(root)");
	printf("\n");
	troff_text(o->desc);
	printf(".\n.br\nCreated by: %s", created[o->created]);
	if (o->module)
		printf(" (module %s)", o->module);
	if (o->optional)
		printf("; planned, may be absent");
	if (o->link_to) {
		printf("; points to ");
		troff_text(o->link_to);
	}
	printf(".\n");
	for (int i = 0; i < o->nattrs; i++)
		doc_attr(&o->attrs[i]);
}

int cmd_schema_doc(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cmd *cmd = cmd_find("schema-doc");
	const struct sc_limits *l;

	if (sub_getopt(cmd, argc, argv, "h", opts) != -1 || ctx_schema(c))
		return 2;
	l = &c->s->lim;
	printf(".\\\" Generated by 'scstctl schema-doc' from %s: do not edit.\n",
	       "configfs-schema/scst.schema");
	printf(".SH LIMITS\n"
	       "file size %lld bytes; %lld devices; %lld targets; %lld LUNs per LUN set;\n"
	       "%lld groups per target; %lld initiators per group; %lld sessions per target;\n"
	       "%lld portals per driver; nesting %lld levels.\n",
	       l->max_file_size, l->max_devices, l->max_targets,
	       l->max_luns_per_target, l->max_groups_per_target,
	       l->max_initiators_per_group, l->max_sessions_per_target,
	       l->max_portals, l->max_nesting);
	printf(".SH NAMES\n");
	for (int i = 0; i < c->s->nph; i++) {
		const struct sc_placeholder *p = &c->s->ph[i];

		printf(".TP\n.B <%s>\n", p->name);
		if (p->type == T_INT)
			printf("%lld..%lld: ", p->min, p->max);
		else {
			printf("%d..%d characters from [", p->min_len, p->max_len);
			troff_text(p->charset);
			printf("]: ");
		}
		troff_text(p->desc);
		printf("\n");
	}
	printf(".SH ATTRIBUTE REFERENCE\n");
	for (int i = 0; i < c->s->nobjs; i++)
		doc_object(&c->s->objs[i]);
	return 0;
}
