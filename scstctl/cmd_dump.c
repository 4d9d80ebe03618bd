// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: dump and save */
#include "cmd.h"
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <glob.h>

#define DEFAULT_CONF "/etc/scst.conf"

struct dump_args {
	bool secrets, json;
	int backups;
};

static const struct option dump_opts[] = {
	{ "secrets", no_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ "backups", required_argument, NULL, 'b' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int dump_args(const char *name, int argc, char **argv,
		     struct dump_args *a)
{
	const struct cmd *cmd = cmd_find(name);
	int o;

	a->secrets = a->json = false;
	a->backups = 5;
	while ((o = sub_getopt(cmd, argc, argv, "sjb:h", dump_opts)) != -1) {
		char *w = xasprintf("--%s", o == 's' ? "secrets" : o == 'j' ? "json" : "backups");
		bool ok = strstr(cmd->usage, w) != NULL;

		free(w);
		if (!ok)
			return -1;
		if (o == 's')
			a->secrets = true;
		else if (o == 'j')
			a->json = true;
		else if (o == 'b')
			a->backups = atoi(optarg);
	}
	return a->backups < 0 ? -1 : optind;
}

int cmd_dump(struct ctx *c, int argc, char **argv)
{
	struct config *h;
	struct dump_args a;

	if (dump_args("dump", argc, argv, &a) != argc) {
		fprintf(stderr, "usage: scstctl %s\n", cmd_find("dump")->usage);
		return 2;
	}
	if (ctx_tree(c, true))
		return 2;
	h = ctx_live(c);
	if (!h)
		return 1;
	if (a.json)
		model_json(stdout, c->s, h, a.secrets);
	else
		render_conf(stdout, c->s, h, a.secrets);
	cfg_free(h);
	return fflush(stdout) ? 1 : 0;
}

/*
 * The leading comment block of the file being replaced (the admin's
 * header), without the line render_conf() writes itself; NULL if none.
 */
static char *old_header(const char *file)
{
	FILE *f = fopen(file, "re");
	char line[4096];
	struct sbuf b;

	if (!f)
		return NULL;
	sb_init(&b);
	while (fgets(line, sizeof(line), f)) {
		const char *p = line + strspn(line, " \t");

		if (*p != '#' && *p != '\n')
			break;
		if (!strstr(line, "written by scstctl"))
			sb_add(&b, line);
	}
	fclose(f);
	if (!b.len || !strchr(b.s, '#')) {
		sb_free(&b);
		return NULL;
	}
	return sb_steal(&b);
}

static int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out, rc = 0;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		rc = -errno;
		close(in);
		return rc;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			rc = -EIO;
			break;
		}
	if (n < 0 || fsync(out))
		rc = rc ? rc : -errno;
	close(in);
	close(out);
	return rc;
}

/* FILE.YYYYmmdd-HHMMSS.bak; the oldest beyond keep are removed */
static int backup(const char *file, int keep, char **made)
{
	char stamp[32], *pat;
	time_t now = time(NULL);
	glob_t g;
	int rc;

	*made = NULL;
	if (!keep || access(file, F_OK))
		return 0;
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	*made = xasprintf("%s.%s.bak", file, stamp);
	rc = copy_file(file, *made);
	if (rc == -EEXIST)	/* two saves in one second: the first backup stays */
		rc = 0;
	if (rc)
		return rc;
	pat = xasprintf("%s.*.bak", file);
	if (!glob(pat, 0, NULL, &g)) {
		/* glob sorts: the time stamps sort oldest first */
		for (size_t i = 0; g.gl_pathc > (size_t)keep && i < g.gl_pathc - keep; i++)
			unlink(g.gl_pathv[i]);
		globfree(&g);
	}
	free(pat);
	return 0;
}

struct save_ctx {
	const struct schema *s;
	const struct config *h;
	const char *header;
};

static void save_fill(FILE *f, const void *arg)
{
	const struct save_ctx *sc = arg;

	if (sc->header)
		fputs(sc->header, f);
	render_conf(f, sc->s, sc->h, true);
}

int cmd_save(struct ctx *c, int argc, char **argv)
{
	const char *file = DEFAULT_CONF;
	char *header, *bak;
	struct dump_args a;
	struct config *h;
	int i = dump_args("save", argc, argv, &a), rc;
	bool named = i >= 0 && i < argc;

	if (named)
		file = argv[i++];
	if (i != argc) {
		fprintf(stderr, "usage: scstctl %s\n", cmd_find("save")->usage);
		return 2;
	}
	if (c->root && !named) {
		fprintf(stderr, "scstctl: with --root, name the file to save to (%s is left alone)\n",
			DEFAULT_CONF);
		return 2;
	}
	if (ctx_tree(c, true))
		return 2;
	h = ctx_live(c);
	if (!h)
		return 1;
	rc = backup(file, a.backups, &bak);
	if (rc) {
		fprintf(stderr, "scstctl: save %s: backup %s: %s; nothing written\n",
			file, bak, strerror(-rc));
		free(bak);
		cfg_free(h);
		return 1;
	}
	header = old_header(file);
	/* /etc/scst.conf must be able to restore CHAP secrets at boot */
	rc = write_file_atomic(file, save_fill,
			       &(struct save_ctx){ c->s, h, header });
	cfg_free(h);
	free(header);
	if (rc) {
		fprintf(stderr, "scstctl: save %s: %s\n", file, strerror(-rc));
		free(bak);
		return 1;
	}
	printf("saved to %s%s%s%s\n", file, bak ? " (previous file: " : "",
	       bak ? bak : "", bak ? ")" : "");
	free(bak);
	return 0;
}
