// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: status and monitor */
#include "cmd.h"
#include "render.h"
#include "status.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const struct option json_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int json_arg(const char *name, int argc, char **argv, bool *json)
{
	int o;

	*json = false;
	while ((o = sub_getopt(cmd_find(name), argc, argv, "jh", json_opts)) != -1)
		*json = o == 'j';
	if (optind != argc) {
		fprintf(stderr, "usage: scstctl %s\n", cmd_find(name)->usage);
		return -1;
	}
	return 0;
}

/* the status model filled: the live tree and, on a kernel, netlink */
static int status_fill(struct ctx *c, struct status *st, struct config *h)
{
	int nl = 0;

	st->s = c->s;
	st->cfg = h;
	if (c->t->fake)
		st->rt.why = xstrdup("--root: no kernel runtime data for a stand-in tree");
	else
		nl = nl_query(&st->rt);
	status_modules(c->s, h, &st->modules);
	if (nl)
		fprintf(stderr, "scstctl: %s (needs CAP_NET_ADMIN)\n", st->rt.why);
	return nl;
}

static const struct option metrics_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* FILE.tmp, then rename: the textfile collector never reads half a file */
static int write_metrics(const char *out, const struct status *st)
{
	char *tmp = xasprintf("%s.tmp", out);
	FILE *f = fopen(tmp, "we");
	int rc = 0;

	if (!f) {
		rc = -errno;
	} else {
		status_metrics(f, st);
		if (fchmod(fileno(f), 0644) || fflush(f))
			rc = -errno;
		if (fclose(f) && !rc)
			rc = -errno;
		if (!rc && rename(tmp, out))
			rc = -errno;
	}
	if (rc) {
		fprintf(stderr, "scstctl: metrics: %s: %s\n", out, strerror(-rc));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

int cmd_metrics(struct ctx *c, int argc, char **argv)
{
	const struct cmd *cmd = cmd_find("metrics");
	struct status st = { 0 };
	const char *out = NULL;
	struct config *h;
	int o, nl;

	while ((o = sub_getopt(cmd, argc, argv, "o:h", metrics_opts)) != -1)
		if (o == 'o')
			out = optarg;
	if (optind != argc) {
		fprintf(stderr, "usage: scstctl %s\n", cmd->usage);
		return 2;
	}
	if (ctx_tree(c, false))
		return 2;
	h = ctx_live(c);
	if (!h)
		return 1;
	nl = status_fill(c, &st, h);
	if (out)
		nl = write_metrics(out, &st) ? 1 : nl;
	else
		status_metrics(stdout, &st);
	rt_free(&st.rt);
	sl_free(&st.modules);
	cfg_free(h);
	return nl ? 1 : 0;
}

int cmd_status(struct ctx *c, int argc, char **argv)
{
	struct status st = { 0 };
	struct config *h;
	int nl = 0;
	bool json;

	if (json_arg("status", argc, argv, &json) || ctx_tree(c, false))
		return 2;
	h = ctx_live(c);
	if (!h)
		return 1;
	st.s = c->s;
	st.cfg = h;
	if (c->t->fake)
		st.rt.why = xstrdup("--root: no kernel runtime data for a stand-in tree");
	else
		nl = nl_query(&st.rt);
	status_modules(c->s, h, &st.modules);
	status_render(stdout, &st, json);
	if (nl)
		fprintf(stderr, "scstctl: status: %s (needs CAP_NET_ADMIN)\n",
			st.rt.why);
	rt_free(&st.rt);
	sl_free(&st.modules);
	cfg_free(h);
	return nl ? 1 : 0;
}

static void print_event(const struct nl_event *ev, void *arg)
{
	bool json = *(bool *)arg;
	char ts[64];
	time_t now = time(NULL);

	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
	if (json) {
		printf("{\"time\": \"%s\", \"event\": \"%s\"", ts, ev->name);
		for (int i = 0; i < ev->kv.n; i++) {
			printf(", ");
			render_string(stdout, ev->kv.v[i].key);
			printf(": ");
			render_string(stdout, ev->kv.v[i].val);
		}
		printf("}\n");
	} else {
		printf("%s %s", ts, ev->name);
		for (int i = 0; i < ev->kv.n; i++)
			printf(" %s=%s", ev->kv.v[i].key, ev->kv.v[i].val);
		printf("\n");
	}
	fflush(stdout);
}

int cmd_monitor(struct ctx *c, int argc, char **argv)
{
	char err[300];
	bool json;

	(void)c;
	if (json_arg("monitor", argc, argv, &json))
		return 2;
	nl_monitor(print_event, &json, err, sizeof(err));
	fprintf(stderr, "scstctl: monitor: %s\n", err);
	return 1;
}
