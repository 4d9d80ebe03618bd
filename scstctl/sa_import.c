// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: scstadmin configuration -> model */
#include "sa_import.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ictx {
	const struct schema *s;
	const char *file;
	struct config *c;
	struct errlist *el;
};

static void note(struct ictx *x, const struct sa_node *n, const char *fmt,
		 const char *a, const char *b)
{
	el_warn(x->el, x->file, n->line, n->key, fmt, a, b);
}

/* the arguments joined by single spaces */
static char *value_of(const struct sa_node *n)
{
	struct sbuf b;

	sb_init(&b);
	for (int i = 0; i < n->nargs; i++) {
		if (i)
			sb_add(&b, " ");
		sb_add(&b, n->args[i]);
	}
	return sb_steal(&b);
}

/* HeaderDigest -> header_digest, DefaultTime2Wait -> default_time2wait */
static char *snake(const char *k)
{
	struct sbuf b;

	sb_init(&b);
	for (const char *p = k; *p; p++) {
		char c[2] = { (char)tolower((unsigned char)*p), 0 };

		if (p > k && isupper((unsigned char)*p) && islower((unsigned char)p[-1]))
			sb_add(&b, "_");
		sb_add(&b, c);
	}
	return sb_steal(&b);
}

/* scstadmin writes iSCSI booleans as Yes/No, some numbers in hex */
static int canon(const struct sc_attr *a, const char *in, char *out,
		 size_t n, char *why, size_t wn)
{
	if (!schema_canon(a, in, out, n, why, wn))
		return 0;
	if (a->type == T_INT && (!strncmp(in, "0x", 2) || !strncmp(in, "0X", 2)) &&
	    in[2] && strspn(in + 2, "0123456789abcdefABCDEF") == strlen(in + 2) &&
	    strlen(in + 2) <= 16) {
		char dec[32];

		snprintf(dec, sizeof(dec), "%llu", strtoull(in + 2, NULL, 16));
		return schema_canon(a, dec, out, n, why, wn);
	}
	if (a->type == T_BOOL && (!strcasecmp(in, "yes") || !strcasecmp(in, "no")))
		return schema_canon(a, strcasecmp(in, "yes") ? "0" : "1", out, n,
				    why, wn);
	return -1;
}

/*
 * One attribute statement into l (key as given, or snake-cased);
 * pattern: the schema object. Returns false (and notes why) if not.
 */
static bool set_attr(struct ictx *x, const struct sa_node *n,
		     const char *pattern, const char *key, const char *val,
		     struct kvlist *l)
{
	const struct sc_attr *a = schema_attr_under(x->s, pattern, key);
	char *alt = NULL, out[8192], why[256];
	bool ok = false;

	if (!a) {
		alt = snake(key);
		a = schema_attr_under(x->s, pattern, alt);
		key = alt;
	}
	if (n->block)
		note(x, n, "not converted: a block here is not understood%s%s", "", "");
	else if (!a)
		note(x, n, "not converted: no such attribute in this SCST (%s)%s",
		     pattern, "");
	else if (!(a->access & ACC_W) || a->action)
		note(x, n, "not converted: %s is read-only here%s", key,
		     !strcmp(key, "size") ? " (the size of a backing file is the file's)" : "");
	else if (canon(a, val, out, sizeof(out), why, sizeof(why)))
		note(x, n, "not converted: %s: %s", val, why);
	else {
		kv_set(l, key, out, n->line);
		ok = true;
	}
	free(alt);
	return ok;
}

/* ---------------------------------------------------------------- devices */

static void import_device(struct ictx *x, const char *handler,
			  const struct sa_node *n)
{
	char *pattern = xasprintf("handlers/%s/<device>", handler);
	struct device *d;

	if (n->nargs != 1) {
		note(x, n, "not converted: DEVICE takes one name%s%s", "", "");
		free(pattern);
		return;
	}
	d = cfg_add_device(x->c, n->args[0], handler);
	d->line = n->line;
	for (int i = 0; i < n->nkids; i++) {
		const struct sa_node *k = &n->kids[i];
		char *v = value_of(k);

		if (!strcmp(k->key, "size_mb")) {
			char *mb = xasprintf("%sM", v);

			set_attr(x, k, pattern, "size", mb, &d->attrs);
			free(mb);
		} else {
			set_attr(x, k, pattern, k->key, v, &d->attrs);
		}
		free(v);
	}
	free(pattern);
}

static void import_handler(struct ictx *x, const struct sa_node *n)
{
	const char *h = n->nargs == 1 ? n->args[0] : "";
	char *pattern = xasprintf("handlers/%s/<device>", h);
	const struct sc_object *o = schema_by_pattern(x->s, pattern);

	free(pattern);
	if (!o || o->created != C_MKDIR) {
		note(x, n, "not converted: handler %s%s", *h ? h : "(no name)",
		     o ? " makes its devices itself" : " is not part of this SCST");
		return;
	}
	for (int i = 0; i < n->nkids; i++) {
		if (!strcmp(n->kids[i].key, "DEVICE"))
			import_device(x, h, &n->kids[i]);
		else
			note(x, &n->kids[i], "not converted: HANDLER takes DEVICE blocks%s%s",
			     "", "");
	}
}

/* ---------------------------------------------------------------- targets */

/* "user secret" as one quoted argument or two words */
static bool user_secret(const struct sa_node *n, char **user, char **secret)
{
	char *v = value_of(n), *sp = strchr(v, ' ');

	if (!sp || !sp[1] || strchr(sp + 1, ' ')) {
		free(v);
		return false;
	}
	*sp = 0;
	*user = xstrdup(v);
	*secret = xstrdup(sp + 1);
	free(v);
	return true;
}

static void import_chap(struct ictx *x, const struct sa_node *n,
			const char *pattern, const char *grp, bool mutual,
			struct kvlist *l)
{
	char *user, *secret, *ku, *ks;

	if (!user_secret(n, &user, &secret)) {
		note(x, n, "not converted: expected \"USER SECRET\"%s%s", "", "");
		return;
	}
	ku = xasprintf("%s/%suserid", grp, mutual ? "mutual_" : "");
	ks = xasprintf("%s/%ssecret", grp, mutual ? "mutual_" : "");
	if (kv_get(l, ku))
		note(x, n, "not converted: only one %s (the first is kept)%s",
		     n->key, "");
	else if (set_attr(x, n, pattern, ku, user, l))
		set_attr(x, n, pattern, ks, secret, l);
	free(ku);
	free(ks);
	free(user);
	free(secret);
}

static bool lun_number(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v > 16383)
		return false;
	*out = (unsigned int)v;
	return true;
}

static void import_lun(struct ictx *x, const struct sa_node *n,
		       struct lunset *set)
{
	unsigned int num;
	struct lun *l;

	if (n->nargs != 2 || !lun_number(n->args[0], &num)) {
		note(x, n, "not converted: expected LUN NUMBER DEVICE (0..16383)%s%s", "", "");
		return;
	}
	l = lunset_add(set, num, n->args[1]);
	l->line = n->line;
	for (int i = 0; i < n->nkids; i++) {
		const struct sa_node *k = &n->kids[i];

		if (!strcmp(k->key, "read_only") && k->nargs == 1 &&
		    (!strcmp(k->args[0], "0") || !strcmp(k->args[0], "1")))
			l->read_only = k->args[0][0] == '1';
		else
			note(x, k, "not converted: a LUN takes only read_only 0|1%s%s", "", "");
	}
}

static void import_group(struct ictx *x, struct target *t,
			 const struct sa_node *n)
{
	struct group *g;

	if (n->nargs != 1) {
		note(x, n, "not converted: GROUP takes one name%s%s", "", "");
		return;
	}
	g = tgt_add_group(t, n->args[0]);
	g->line = n->line;
	for (int i = 0; i < n->nkids; i++) {
		const struct sa_node *k = &n->kids[i];

		if (!strcmp(k->key, "LUN"))
			import_lun(x, k, &g->luns);
		else if (!strcmp(k->key, "INITIATOR") && k->nargs == 1)
			sl_add(&g->inits, k->args[0]);
		else
			note(x, k, "not converted: a GROUP takes LUN and INITIATOR%s%s", "", "");
	}
}

static void import_target_stmt(struct ictx *x, struct target *t,
			       const char *pattern, const struct sa_node *k)
{
	char *v = value_of(k);

	if (!strcmp(k->key, "LUN"))
		import_lun(x, k, &t->luns);
	else if (!strcmp(k->key, "GROUP"))
		import_group(x, t, k);
	else if (!strcmp(k->key, "IncomingUser") || !strcmp(k->key, "OutgoingUser"))
		import_chap(x, k, pattern, "auth", k->key[0] == 'O', &t->attrs);
	else if (!strcmp(k->key, "session_name") && !strcmp(t->driver, "scst_local"))
		sl_add(&t->sessions, v);
	else if (!strcmp(k->key, "allowed_portal"))
		note(x, k, "not converted: portals are driver-wide here (drivers.%s.portals)%s",
		     t->driver, "");
	else
		set_attr(x, k, pattern, k->key, v, &t->attrs);
	free(v);
}

static void import_target(struct ictx *x, const char *drv,
			  const struct sa_node *n)
{
	char *pattern = xasprintf("targets/%s/<target>", drv);
	struct target *t;

	if (n->nargs != 1) {
		note(x, n, "not converted: TARGET takes one name%s%s", "", "");
		free(pattern);
		return;
	}
	t = cfg_add_target(x->c, drv, n->args[0]);
	t->line = n->line;
	for (int i = 0; i < n->nkids; i++)
		import_target_stmt(x, t, pattern, &n->kids[i]);
	/* scstadmin's iSCSI targets are disabled unless "enabled 1" */
	if (!strcmp(drv, "iscsi") && !kv_get(&t->attrs, "enabled"))
		kv_set(&t->attrs, "enabled", "0", t->line);
	free(pattern);
}

static void import_driver_stmt(struct ictx *x, const char *drv,
			       const struct sa_node *k)
{
	struct drvcfg *d;
	char *pattern;

	if (!strcmp(k->key, "TARGET")) {
		import_target(x, drv, k);
		return;
	}
	if (!strcmp(k->key, "enabled") && k->nargs == 1 && !strcmp(k->args[0], "1"))
		return;		/* a loaded driver is enabled */
	pattern = xasprintf("drivers/%s", drv);
	if ((!strcmp(k->key, "IncomingUser") || !strcmp(k->key, "OutgoingUser")) &&
	    schema_by_pattern(x->s, pattern)) {
		d = cfg_find_drv(x->c, drv);
		if (!d)
			d = cfg_add_drv(x->c, drv);
		d->line = d->line ? d->line : k->line;
		import_chap(x, k, pattern, "discovery_auth", k->key[0] == 'O', &d->attrs);
	} else {
		note(x, k, "not converted: driver setting of %s not known here%s", drv, "");
	}
	free(pattern);
}

static void import_driver(struct ictx *x, const struct sa_node *n)
{
	const char *drv = n->nargs == 1 ? n->args[0] : "";
	char *pattern = xasprintf("targets/%s/<target>", drv);
	const struct sc_object *o = schema_by_pattern(x->s, pattern);

	free(pattern);
	if (!o) {
		note(x, n, "not converted: target driver %s is not part of this SCST%s",
		     *drv ? drv : "(no name)", "");
		return;
	}
	for (int i = 0; i < n->nkids; i++)
		import_driver_stmt(x, drv, &n->kids[i]);
}

struct config *sa_import(const struct schema *s, const struct sa_node *root,
			 const char *file, struct errlist *notes)
{
	struct ictx x = { s, file, xcalloc(1, sizeof(struct config)), notes };

	x.c->file = xstrdup(file);
	for (int i = 0; i < root->nkids; i++) {
		const struct sa_node *n = &root->kids[i];
		char *v = value_of(n);

		if (!strcmp(n->key, "HANDLER"))
			import_handler(&x, n);
		else if (!strcmp(n->key, "TARGET_DRIVER"))
			import_driver(&x, n);
		else if (!strcmp(n->key, "DEVICE_GROUP"))
			note(&x, n, "not converted: ALUA device groups are not converted%s%s", "", "");
		else
			set_attr(&x, n, "", n->key, v, &x.c->root);
		free(v);
	}
	cfg_sort(x.c);
	return x.c;
}
