// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: the SCST admin tool - entry point and subcommand table */
#include "cmd.h"
#include "live.h"
#include "lock.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SCSTCTL_VERSION
#define SCSTCTL_VERSION "0.1.0"
#endif

const struct cmd commands[] = {
	{ "help", cmd_help, "help [COMMAND]",
	  "this list, or the options of COMMAND (same as COMMAND --help)" },
	{ "check", cmd_check, "check [--offline] [--json] FILE",
	  "validate FILE (syntax, schema, references, names, portals, backing\n"
	  "files); list every problem; change nothing; exit 0 OK, 1 problems\n"
	  "--offline: do not look for backing files and devices on this host\n"
	  "--json: the result and the messages as JSON" },
	{ "diff", cmd_diff, "diff [--prune|--keep-unlisted] [--json] FILE",
	  "print the steps apply would take (same as apply --dry-run);\n"
	  "exit 0 no changes, 1 changes, 2 error\n"
	  "--json: the plan as JSON; --prune, --keep-unlisted: as for apply" },
	{ "apply", cmd_apply,
	  "apply [--dry-run] [--prune|--keep-unlisted] [--yes|--no-disruptive] [--quiet] FILE",
	  "make the running configuration equal FILE; roll back on failure.\n"
	  "Objects scstctl created that left FILE are removed; objects made by\n"
	  "other means are left alone.\n"
	  "--prune: also remove objects FILE does not list that scstctl did not make\n"
	  "--keep-unlisted: remove nothing FILE does not list\n"
	  "--yes: do disruptive steps (\"!\") without asking; without it they are\n"
	  "asked for on a terminal and refused elsewhere\n"
	  "--no-disruptive: refuse a plan with disruptive steps (exit 1, no change)" },
	{ "dump", cmd_dump, "dump [--secrets] [--json]",
	  "print the running configuration in scst.conf syntax\n"
	  "--secrets: print the CHAP secrets scstctl knows (else masked)\n"
	  "--json: as JSON (devices, targets with LUN map, groups, sessions, drivers)" },
	{ "save", cmd_save, "save [--backups N] [FILE]",
	  "write the running configuration, known secrets included, to FILE\n"
	  "(default /etc/scst.conf; with --root FILE is required) atomically,\n"
	  "mode 0600. The file replaced is kept as FILE.YYYYmmdd-HHMMSS.bak\n"
	  "(the newest N, default 5; 0 = no backup) and its leading comment\n"
	  "block is carried over" },
	{ "clear", cmd_clear, "clear [--dry-run] [--yes]",
	  "remove every target, LUN, group, session, portal and device;\n"
	  "on a terminal asks first (--yes: do not ask)" },
	{ "status", cmd_status, "status [--json]",
	  "modules, devices, targets, sessions, LUNs and counters" },
	{ "metrics", cmd_metrics, "metrics [-o FILE]",
	  "the counters of devices, sessions and LUNs in Prometheus text format\n"
	  "(scst_lun_read_bytes_total{...} ...); -o: write FILE atomically\n"
	  "(node_exporter's textfile collector; see scst-metrics.timer)" },
	{ "monitor", cmd_monitor, "monitor [--json]",
	  "print events from the kernel as they happen" },
	{ "schema-check", cmd_schema_check, "schema-check [--complete] [--defaults]",
	  "compare the live tree with the schema; exit 1 on any difference\n"
	  "--complete: also fail when a schema object of a loaded module was not found\n"
	  "--defaults: also fail when a value differs from the schema's default" },
	{ "schema-doc", cmd_schema_doc, "schema-doc",
	  "print the attribute reference (troff) generated from the schema" },
	{ "import-scstadmin", cmd_import, "import-scstadmin [-o OUT] FILE",
	  "convert an scstadmin (upstream SCST) configuration to this syntax;\n"
	  "print it (or write OUT, mode 0600, never over an existing file);\n"
	  "what cannot be converted is listed as FILE:LINE in its header and on\n"
	  "stderr; exit 0 converted, 1 the result needs editing, 2 error" },
	{ "fake-init", cmd_fake_init, "fake-init [MODULE...]",
	  "--root only: create an empty fake configfs tree (tests)" },
	{ NULL, NULL, NULL, NULL },
};

const struct cmd *cmd_find(const char *name)
{
	for (const struct cmd *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: scstctl [--root DIR] [--schema FILE] COMMAND [ARGS]\n\n"
		"  --root DIR     use DIR instead of %s (a plain directory\n"
		"                 gets a fake configfs emulation, for tests)\n"
		"  --schema FILE  schema file (default $SCST_SCHEMA or %s)\n\n"
		"commands:\n", SCST_CONFIGFS_ROOT, SCST_SCHEMA_PATH);
	for (const struct cmd *c = commands; c->name; c++)	/* first line */
		fprintf(f, "  %-16s %.*s\n", c->name, (int)strcspn(c->help, "\n"),
			c->help);
	fprintf(f, "\n'scstctl COMMAND --help' for a command's options.\n");
}

static int global_opts(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "schema", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int o;

	while ((o = getopt_long(argc, argv, "+r:s:hV", opts, NULL)) != -1) {
		switch (o) {
		case 'r':
			c->root = optarg;
			break;
		case 's':
			c->schema_path = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("scstctl %s\n", SCSTCTL_VERSION);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	return optind;
}

static void usage(FILE *f);

int cmd_help(struct ctx *c, int argc, char **argv)
{
	const struct cmd *cmd = argc == 2 ? cmd_find(argv[1]) : NULL;

	(void)c;
	if (argc == 2 && !strcmp(argv[1], "--help"))
		cmd = cmd_find("help");
	if (argc > 2 || (argc == 2 && !cmd)) {
		fprintf(stderr, "usage: scstctl help [COMMAND]\n");
		return 2;
	}
	if (cmd)
		printf("usage: scstctl %s\n\n%s\n", cmd->usage, cmd->help);
	else
		usage(stdout);
	return 0;
}

int sub_getopt(const struct cmd *cmd, int argc, char **argv,
	       const char *shortopts, const void *longopts)
{
	int o = getopt_long(argc, argv, shortopts, longopts, NULL);

	if (o == 'h') {
		printf("usage: scstctl %s\n\n%s\n", cmd->usage, cmd->help);
		exit(0);
	}
	if (o == '?') {
		fprintf(stderr, "usage: scstctl %s\n", cmd->usage);
		exit(2);
	}
	return o;
}

int ctx_schema(struct ctx *c)
{
	char err[512];

	if (c->s)
		return 0;
	c->s = schema_load(schema_default_path(c->schema_path), err, sizeof(err));
	if (!c->s) {
		fprintf(stderr, "scstctl: %s\n", err);
		return -1;
	}
	return 0;
}

int ctx_tree(struct ctx *c, bool lock)
{
	char err[512];
	int rc;

	if (ctx_schema(c))
		return -1;
	c->t = tree_open(c->root, c->s, err, sizeof(err));
	if (!c->t) {
		fprintf(stderr, "scstctl: %s\n", err);
		return -1;
	}
	c->statedir = state_dir(c->root);
	if (lock) {
		c->lockfd = lock_take(c->statedir, err, sizeof(err));
		if (c->lockfd < 0) {
			fprintf(stderr, "scstctl: lock: %s\n", err);
			return -1;
		}
	}
	rc = wo_load(&c->wo, c->statedir);
	if (rc)
		fprintf(stderr, "scstctl: warning: %s: %s\n", c->wo.file, strerror(-rc));
	rc = owned_load(&c->owned, c->statedir);
	if (rc)
		fprintf(stderr, "scstctl: warning: %s: %s\n", c->owned.file, strerror(-rc));
	return 0;
}

struct config *ctx_live(struct ctx *c)
{
	struct errlist el = { 0 };
	struct config *h = live_read(c->t, &c->wo, &el);

	el_print(&el);
	if (el.nerr) {
		fprintf(stderr, "scstctl: cannot read the live tree %s\n", c->t->root);
		cfg_free(h);
		h = NULL;
	}
	el_free(&el);
	return h;
}

int main(int argc, char **argv)
{
	struct ctx c = { .lockfd = -1 };
	const struct cmd *cmd;
	int i = global_opts(&c, argc, argv), rc;

	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = cmd_find(argv[i]);
	if (!cmd) {
		fprintf(stderr, "scstctl: unknown command '%s'\n", argv[i]);
		usage(stderr);
		return 2;
	}
	optind = 1;
	rc = cmd->fn(&c, argc - i, argv + i);
	lock_release(c.lockfd);
	wo_free(&c.wo);
	owned_free(&c.owned);
	free(c.statedir);
	tree_close(c.t);
	schema_free(c.s);
	return rc;
}
