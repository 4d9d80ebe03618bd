// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: import-scstadmin - an scstadmin scst.conf -> scst.conf(5) */
#include "cmd.h"
#include "parse.h"
#include "render.h"
#include "sa_import.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct option import_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int read_input(const char *path, char **buf, size_t *len)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	int rc;

	if (fd < 0)
		return -errno;
	rc = read_whole_fd(fd, 64 << 20, buf, len);
	if (fd)
		close(fd);
	return rc;
}

/* the converted text: a header naming what was not converted, then the model */
static char *convert(struct ctx *c, const char *name, const struct config *m,
		     const struct errlist *notes)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	fprintf(f, "# Converted by scstctl import-scstadmin from %s.\n", name);
	if (notes->msgs.n)
		fprintf(f, "# Not converted (%d line%s; see scstctl(8), IMPORT):\n",
			notes->msgs.n, notes->msgs.n == 1 ? "" : "s");
	for (int i = 0; i < notes->msgs.n; i++) {
		const char *w = strstr(notes->msgs.v[i], "warning: ");
		struct sbuf b;

		sb_init(&b);
		sb_addn(&b, notes->msgs.v[i], w ? (size_t)(w - notes->msgs.v[i]) :
			strlen(notes->msgs.v[i]));
		sb_add(&b, w ? w + 9 : "");
		fprintf(f, "#   %s\n", b.s);
		sb_free(&b);
	}
	fputc('\n', f);
	render_conf(f, c->s, m, true);
	fclose(f);
	return text;
}

static int write_out(const char *out, const char *text)
{
	int fd = out ? open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : 1;
	size_t n = strlen(text);

	if (fd < 0) {
		fprintf(stderr, "scstctl: %s: %s%s\n", out, strerror(errno),
			errno == EEXIST ? " (not overwritten)" : "");
		return -1;
	}
	if (write(fd, text, n) != (ssize_t)n) {
		fprintf(stderr, "scstctl: %s: %s\n", out ? out : "stdout", strerror(errno));
		return -1;
	}
	if (out)
		close(fd);
	return 0;
}

int cmd_import(struct ctx *c, int argc, char **argv)
{
	const struct cmd *cmd = cmd_find("import-scstadmin");
	struct errlist notes = { 0 }, el = { 0 };
	const char *out = NULL, *name;
	struct config *m, *back;
	struct sa_node *root;
	char err[300], *buf = NULL, *text;
	size_t len;
	int o, rc;

	while ((o = sub_getopt(cmd, argc, argv, "o:h", import_opts)) != -1)
		if (o == 'o')
			out = optarg;
	if (optind + 1 != argc || ctx_schema(c)) {
		fprintf(stderr, "usage: scstctl %s\n", cmd->usage);
		return 2;
	}
	name = strcmp(argv[optind], "-") ? argv[optind] : "<stdin>";
	rc = read_input(argv[optind], &buf, &len);
	if (rc) {
		fprintf(stderr, "scstctl: %s: %s\n", name, strerror(-rc));
		return 2;
	}
	root = sa_parse(buf, len, err, sizeof(err));
	free(buf);
	if (!root) {
		fprintf(stderr, "%s:%s\n", name, err);
		return 1;
	}
	m = sa_import(c->s, root, name, &notes);
	sa_free(root);
	text = convert(c, name, m, &notes);
	el_print(&notes);
	/* the result must itself be a valid scst.conf */
	back = parse_buf(c->s, text, strlen(text), out ? out : "<converted>", &el);
	el_print(&el);
	rc = write_out(out, text) ? 2 : el.nerr ? 1 : 0;
	if (el.nerr)
		fprintf(stderr, "scstctl: the converted file has %d error%s: edit it before applying\n",
			el.nerr, el.nerr == 1 ? "" : "s");
	fprintf(stderr, "%s: %d device%s, %d target%s converted; %d line%s not converted\n",
		name, m->ndevs, m->ndevs == 1 ? "" : "s", m->ntgts,
		m->ntgts == 1 ? "" : "s", notes.msgs.n, notes.msgs.n == 1 ? "" : "s");
	cfg_free(back);
	cfg_free(m);
	free(text);
	el_free(&notes);
	el_free(&el);
	return rc;
}
