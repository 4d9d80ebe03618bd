// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: check, diff, apply, clear, fake-init */
#include "apply.h"
#include "cmd.h"
#include "diff.h"
#include "parse.h"
#include "render.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct apply_args {
	bool dry_run, prune, keep, quiet, yes, no_disrupt, json, offline;
	const char *file;
};

enum { O_KEEP = 0x100, O_NODIS, O_JSON, O_OFFLINE };

static const struct option apply_opts[] = {
	{ "dry-run", no_argument, NULL, 'n' },
	{ "prune", no_argument, NULL, 'p' },
	{ "keep-unlisted", no_argument, NULL, O_KEEP },
	{ "quiet", no_argument, NULL, 'q' },
	{ "yes", no_argument, NULL, 'y' },
	{ "no-disruptive", no_argument, NULL, O_NODIS },
	{ "no-disrupt", no_argument, NULL, O_NODIS },
	{ "json", no_argument, NULL, O_JSON },
	{ "offline", no_argument, NULL, O_OFFLINE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void set_opt(struct apply_args *a, int o)
{
	static const int ids[] = { 'n', 'p', O_KEEP, 'q', 'y', O_NODIS,
				   O_JSON, O_OFFLINE };
	bool *flags[] = { &a->dry_run, &a->prune, &a->keep, &a->quiet,
			  &a->yes, &a->no_disrupt, &a->json, &a->offline };

	for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
		if (ids[i] == o)
			*flags[i] = true;
}

/* an option the command's usage line does not name is refused */
static bool opt_allowed(const struct cmd *cmd, int o)
{
	for (const struct option *op = apply_opts; op->name; op++)
		if (op->val == o) {
			char *w = xasprintf("--%s", op->name);
			bool ok = strstr(cmd->usage, w) != NULL;

			free(w);
			if (ok)
				return true;
		}
	return false;
}

static int get_args(const char *name, int argc, char **argv,
		    struct apply_args *a, bool need_file)
{
	const struct cmd *cmd = cmd_find(name);
	int o;

	memset(a, 0, sizeof(*a));
	while ((o = sub_getopt(cmd, argc, argv, "npqyh", apply_opts)) != -1) {
		if (!opt_allowed(cmd, o)) {
			fprintf(stderr, "usage: scstctl %s\n", cmd->usage);
			return -1;
		}
		set_opt(a, o);
	}
	if (a->prune && a->keep) {
		fprintf(stderr, "scstctl: --prune and --keep-unlisted exclude each other\n");
		return -1;
	}
	if (optind + (need_file ? 1 : 0) != argc) {
		fprintf(stderr, "usage: scstctl %s\n", cmd->usage);
		return -1;
	}
	a->file = need_file ? argv[optind] : NULL;
	return 0;
}

static const char *shown(const char *file)
{
	return strcmp(file, "-") ? file : "<stdin>";
}

static struct config *load_conf(struct ctx *c, const char *file,
				struct errlist *el)
{
	struct config *w = parse_file(c->s, file, el);

	if (el->nerr) {
		cfg_free(w);
		w = NULL;
	}
	return w;
}

static void el_json(FILE *f, const struct errlist *el)
{
	fputs("\"messages\": [", f);
	for (int i = 0; i < el->msgs.n; i++) {
		fputs(i ? ",\n  " : "\n  ", f);
		json_string(f, el->msgs.v[i]);
	}
	fputs(el->msgs.n ? "\n]" : "]", f);
}

int cmd_check(struct ctx *c, int argc, char **argv)
{
	struct errlist el = { 0 };
	struct apply_args a;
	struct config *w;
	int rc;

	if (get_args("check", argc, argv, &a, true) || ctx_schema(c))
		return 2;
	w = load_conf(c, a.file, &el);
	if (w && !a.offline)
		validate_host(w, &el);
	if (a.json) {
		printf("{\"file\": ");
		json_string(stdout, shown(a.file));
		printf(", \"ok\": %s, \"errors\": %d, \"warnings\": %d, ",
		       el.nerr ? "false" : "true", el.nerr, el.nwarn);
		printf("\"devices\": %d, \"targets\": %d, ", w ? w->ndevs : 0,
		       w ? w->ntgts : 0);
		el_json(stdout, &el);
		printf("}\n");
	} else {
		el_print(&el);
		if (el.nerr)
			fprintf(stderr, "%s: %d error%s\n", shown(a.file),
				el.nerr, el.nerr == 1 ? "" : "s");
		else
			printf("%s: OK (%d device%s, %d target%s)\n", shown(a.file),
			       w->ndevs, w->ndevs == 1 ? "" : "s", w->ntgts,
			       w->ntgts == 1 ? "" : "s");
	}
	rc = el.nerr ? 1 : 0;
	cfg_free(w);
	el_free(&el);
	return rc;
}

static int make_plan(struct ctx *c, struct config *w,
		     const struct apply_args *a, struct plan *p)
{
	struct diff_opts o = { .prune = a->prune, .keep_unlisted = a->keep,
			       .owned = &c->owned };
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

/* "y"/"yes" on the terminal; anything else, or EOF, is no */
static bool ask(int changes, int disruptive)
{
	char line[64];

	fprintf(stderr, "%d change%s, %d disruptive (marked \"!\" above). Go on? [y/N] ",
		changes, changes == 1 ? "" : "s", disruptive);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	line[strcspn(line, "\n")] = 0;
	return !strcasecmp(line, "y") || !strcasecmp(line, "yes");
}

/*
 * Disruptive steps go ahead with --yes, or after a "y" on a terminal;
 * --no-disruptive refuses them, and so does a run without a terminal
 * (systemctl reload, scripts) unless --yes.
 */
static int confirm(const struct plan *p, const struct apply_args *a)
{
	int d = plan_disruptive(p);

	if (!d || (a->yes && !a->no_disrupt))
		return 0;
	if (!a->no_disrupt && isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
		plan_print(stdout, p);
		fflush(stdout);
		if (ask(p->n, d))
			return 0;
		fprintf(stderr, "scstctl: not confirmed; nothing changed\n");
		return 1;
	}
	plan_print(stderr, p);
	fprintf(stderr, "scstctl: %d disruptive step%s (marked \"!\"): %s; nothing changed\n",
		d, d == 1 ? "" : "s", a->no_disrupt ? "refused (--no-disruptive)" :
		"not on a terminal: confirm with --yes");
	return 1;
}

static void point_to_source(struct ctx *c, const struct config *w,
			    const struct plan *p)
{
	char *where;

	if (p->failed < 0)
		return;
	where = plan_step_source(w, &p->v[p->failed]);
	if (where)
		fprintf(stderr, "scstctl: %s: refused by the kernel\n", where);
	fprintf(stderr, "scstctl: the kernel's reason is in its log: %s\n",
		c->root ? "(--root: no kernel)" : "dmesg | grep 'scst:' | tail");
	free(where);
}

static int run_plan(struct ctx *c, const struct config *w, struct plan *p,
		    const struct apply_args *a)
{
	struct errlist el = { 0 };
	int rc;

	if (a->dry_run || !p->n) {
		if (a->json)
			plan_print_json(stdout, p);
		else
			plan_print(stdout, p);
		return 0;
	}
	if (confirm(p, a))
		return 1;
	rc = apply_plan(c->t, p, &c->wo, a->quiet ? NULL : stdout, &el);
	el_print(&el);
	el_free(&el);
	if (rc) {
		point_to_source(c, w, p);
		fprintf(stderr, "scstctl: apply failed\n");
		return 1;
	}
	owned_update(&c->owned, p, p->n);
	rc = wo_save(&c->wo);
	if (!rc)
		rc = owned_save(&c->owned);
	if (rc)
		fprintf(stderr, "scstctl: warning: state in %s: %s\n", c->statedir,
			strerror(-rc));
	printf("%d change%s", p->n, p->n == 1 ? "" : "s");
	if (plan_disruptive(p))
		printf(" (%d disruptive)", plan_disruptive(p));
	printf("\n");
	return 0;
}

/* 0 done (or no change), 1 failed, refused (or, with diff, changes), 2 error */
static int plan_file(struct ctx *c, const struct apply_args *a, bool diff)
{
	struct errlist el = { 0 };
	struct plan p = { 0 };
	struct config *w;
	int rc;

	if (ctx_schema(c))
		return 2;
	w = load_conf(c, a->file, &el);
	el_print(&el);
	el_free(&el);
	if (!w) {
		fprintf(stderr, "%s: nothing changed\n", shown(a->file));
		return diff ? 2 : 1;
	}
	if (ctx_tree(c, true)) {
		cfg_free(w);
		return 2;
	}
	if (make_plan(c, w, a, &p))
		rc = diff ? 2 : 1;
	else if (diff)
		rc = run_plan(c, w, &p, a) ? 2 : p.n ? 1 : 0;
	else
		rc = run_plan(c, w, &p, a);
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
	return plan_file(c, &a, true);
}

int cmd_apply(struct ctx *c, int argc, char **argv)
{
	struct apply_args a;

	if (get_args("apply", argc, argv, &a, true))
		return 2;
	return plan_file(c, &a, false);
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
	/* clear is meant to be destructive: only a terminal is asked */
	if (!isatty(STDIN_FILENO))
		a.yes = true;
	a.prune = true;
	empty->file = xstrdup("clear");
	rc = make_plan(c, empty, &a, &p) ? 1 : run_plan(c, empty, &p, &a);
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
