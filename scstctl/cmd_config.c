// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: check, diff, apply, clear, fake-init */
#include "apply.h"
#include "cmd.h"
#include "diff.h"
#include "parse.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct apply_args {
	bool dry_run, prune, quiet;
	const char *file;
};

static const struct option apply_opts[] = {
	{ "dry-run", no_argument, NULL, 'n' },
	{ "prune", no_argument, NULL, 'p' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int get_args(const char *name, int argc, char **argv,
		    struct apply_args *a, bool need_file)
{
	const struct cmd *cmd = cmd_find(name);
	int o;

	memset(a, 0, sizeof(*a));
	while ((o = sub_getopt(cmd, argc, argv, "npqh", apply_opts)) != -1) {
		if (o == 'n')
			a->dry_run = true;
		else if (o == 'p')
			a->prune = true;
		else if (o == 'q')
			a->quiet = true;
	}
	if (need_file && optind + 1 != argc) {
		fprintf(stderr, "usage: scstctl %s\n", cmd->usage);
		return -1;
	}
	if (!need_file && optind != argc) {
		fprintf(stderr, "usage: scstctl %s\n", cmd->usage);
		return -1;
	}
	a->file = need_file ? argv[optind] : NULL;
	return 0;
}

static struct config *load_conf(struct ctx *c, const char *file)
{
	struct errlist el = { 0 };
	struct config *w = parse_file(c->s, file, &el);

	el_print(&el);
	if (el.nerr) {
		fprintf(stderr, "%s: %d error%s, nothing changed\n",
			strcmp(file, "-") ? file : "<stdin>", el.nerr,
			el.nerr == 1 ? "" : "s");
		cfg_free(w);
		w = NULL;
	}
	el_free(&el);
	return w;
}

int cmd_check(struct ctx *c, int argc, char **argv)
{
	struct apply_args a;
	struct config *w;

	if (get_args("check", argc, argv, &a, true) || ctx_schema(c))
		return 2;
	w = load_conf(c, a.file);
	if (!w)
		return 1;
	printf("%s: OK (%d device%s, %d target%s)\n",
	       strcmp(a.file, "-") ? a.file : "<stdin>", w->ndevs,
	       w->ndevs == 1 ? "" : "s", w->ntgts, w->ntgts == 1 ? "" : "s");
	cfg_free(w);
	return 0;
}

static int make_plan(struct ctx *c, struct config *w, bool prune,
		     struct plan *p)
{
	struct diff_opts o = { .prune = prune };
	struct errlist el = { 0 };
	struct config *h = ctx_live(c);
	int rc;

	if (!h)
		return -1;
	rc = diff_configs(c->s, w, h, &o, p, &el);
	el_print(&el);
	el_free(&el);
	cfg_free(h);
	return rc;
}

static int run_plan(struct ctx *c, struct plan *p, const struct apply_args *a)
{
	struct errlist el = { 0 };
	int rc;

	if (a->dry_run || !p->n) {
		plan_print(stdout, p);
		return 0;
	}
	rc = apply_plan(c->t, p, &c->wo, a->quiet ? NULL : stdout, &el);
	el_print(&el);
	el_free(&el);
	if (rc) {
		fprintf(stderr, "scstctl: apply failed\n");
		return 1;
	}
	rc = wo_save(&c->wo);
	if (rc)
		fprintf(stderr, "scstctl: warning: %s: %s\n", c->wo.file, strerror(-rc));
	printf("%d change%s", p->n, p->n == 1 ? "" : "s");
	if (plan_disruptive(p))
		printf(" (%d disruptive)", plan_disruptive(p));
	printf("\n");
	return 0;
}

static int plan_file(struct ctx *c, const struct apply_args *a)
{
	struct plan p = { 0 };
	struct config *w;
	int rc;

	if (ctx_schema(c))
		return 2;
	w = load_conf(c, a->file);
	if (!w)
		return 1;
	if (ctx_tree(c, true)) {
		cfg_free(w);
		return 2;
	}
	rc = make_plan(c, w, a->prune, &p) ? 1 : run_plan(c, &p, a);
	plan_free(&p);
	cfg_free(w);
	return rc;
}

int cmd_diff(struct ctx *c, int argc, char **argv)
{
	struct apply_args a;

	if (get_args("diff", argc, argv, &a, true))
		return 2;
	a.dry_run = true;
	return plan_file(c, &a);
}

int cmd_apply(struct ctx *c, int argc, char **argv)
{
	struct apply_args a;

	if (get_args("apply", argc, argv, &a, true))
		return 2;
	return plan_file(c, &a);
}

int cmd_clear(struct ctx *c, int argc, char **argv)
{
	struct config *empty = xcalloc(1, sizeof(*empty));
	struct plan p = { 0 };
	struct apply_args a;
	int rc;

	if (get_args("clear", argc, argv, &a, false) || ctx_tree(c, true)) {
		cfg_free(empty);
		return 2;
	}
	empty->file = xstrdup("clear");
	rc = make_plan(c, empty, true, &p) ? 1 : run_plan(c, &p, &a);
	plan_free(&p);
	cfg_free(empty);
	return rc;
}

int cmd_fake_init(struct ctx *c, int argc, char **argv)
{
	int rc;

	if (sub_getopt(cmd_find("fake-init"), argc, argv, "h", apply_opts) != -1)
		return 2;
	if (!c->root) {
		fprintf(stderr, "scstctl: fake-init needs --root\n");
		return 2;
	}
	if (ctx_tree(c, true))
		return 2;
	rc = fake_init(c->t);
	for (int i = optind; !rc && i < argc; i++)
		rc = c->t->ops->load_module(c->t, argv[i]);
	if (rc) {
		fprintf(stderr, "scstctl: fake-init %s: %s\n", c->root,
			rc == -EPERM ? "not a plain directory (configfs?)" : strerror(-rc));
		return 1;
	}
	return 0;
}
