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
#include <unistd.h>

#define DEFAULT_CONF "/etc/scst.conf"

static const struct option dump_opts[] = {
	{ "secrets", no_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int dump_args(const char *name, int argc, char **argv, bool *secrets)
{
	int o;

	*secrets = false;
	while ((o = sub_getopt(cmd_find(name), argc, argv, "sh", dump_opts)) != -1)
		if (o == 's')
			*secrets = true;
	return optind;
}

int cmd_dump(struct ctx *c, int argc, char **argv)
{
	struct config *h;
	bool secrets;

	if (dump_args("dump", argc, argv, &secrets) != argc) {
		fprintf(stderr, "usage: scstctl %s\n", cmd_find("dump")->usage);
		return 2;
	}
	if (ctx_tree(c, true))
		return 2;
	h = ctx_live(c);
	if (!h)
		return 1;
	render_conf(stdout, c->s, h, secrets);
	cfg_free(h);
	return fflush(stdout) ? 1 : 0;
}

/* temp file in the same dir, fsync, rename, fsync the dir; mode 0600 */
static int write_atomic(const char *file, const struct schema *s,
			const struct config *h, bool secrets)
{
	char *copy = xstrdup(file), *dir = dirname(copy);
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, strrchr(file, '/') ?
			      strrchr(file, '/') + 1 : file);
	int fd = mkstemp(tmp), dfd, rc = 0;
	FILE *f;

	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	fchmod(fd, 0600);
	f = fdopen(fd, "w");
	render_conf(f, s, h, secrets);
	if (fflush(f) || fsync(fd))
		rc = -errno;
	if (fclose(f) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, file))
		rc = -errno;
	if (rc)
		unlink(tmp);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
out:
	free(tmp);
	free(copy);
	return rc;
}

int cmd_save(struct ctx *c, int argc, char **argv)
{
	const char *file = DEFAULT_CONF;
	struct config *h;
	bool secrets;
	int i = dump_args("save", argc, argv, &secrets), rc;

	if (i < argc)
		file = argv[i++];
	if (i != argc) {
		fprintf(stderr, "usage: scstctl %s\n", cmd_find("save")->usage);
		return 2;
	}
	if (ctx_tree(c, true))
		return 2;
	h = ctx_live(c);
	if (!h)
		return 1;
	/* /etc/scst.conf must be able to restore CHAP secrets at boot */
	(void)secrets;
	rc = write_atomic(file, c->s, h, true);
	cfg_free(h);
	if (rc) {
		fprintf(stderr, "scstctl: save %s: %s\n", file, strerror(-rc));
		return 1;
	}
	printf("saved to %s\n", file);
	return 0;
}
