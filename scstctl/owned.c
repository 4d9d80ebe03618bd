// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: the record of objects scstctl created */
#include "owned.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int owned_load(struct owned *o, const char *dir)
{
	char line[4096];
	FILE *f;

	memset(o, 0, sizeof(*o));
	o->file = xasprintf("%s/owned", dir);
	f = fopen(o->file, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (owned_kind(line) && !sl_has(&o->paths, line))
			sl_add(&o->paths, line);
	}
	fclose(f);
	return 0;
}

static void owned_fill(FILE *f, const void *arg)
{
	const struct owned *o = arg;

	for (int i = 0; i < o->paths.n; i++)
		fprintf(f, "%s\n", o->paths.v[i]);
}

int owned_save(const struct owned *o)
{
	return write_file_atomic(o->file, owned_fill, o);
}

bool owned_has(const struct owned *o, const char *path)
{
	return o && sl_has(&o->paths, path);
}

static int depth(const char *p)
{
	int n = 0;

	for (; *p; p++)
		n += *p == '/';
	return n;
}

bool owned_kind(const char *path)
{
	if (!strncmp(path, "targets/", 8) || !strncmp(path, "handlers/", 9))
		return depth(path) == 2;
	if (!strncmp(path, "drivers/", 8))
		return depth(path) == 3 && strstr(path, "/portals/");
	return false;
}

static void forget(struct owned *o, const char *path)
{
	int j = 0;

	for (int i = 0; i < o->paths.n; i++) {
		if (!strcmp(o->paths.v[i], path)) {
			free(o->paths.v[i]);
			continue;
		}
		o->paths.v[j++] = o->paths.v[i];
	}
	o->paths.n = j;
}

void owned_update(struct owned *o, const struct plan *p, int n)
{
	for (int i = 0; i < n && i < p->n; i++) {
		const struct step *s = &p->v[i];

		if (!owned_kind(s->path))
			continue;
		if (s->op == S_MKDIR && !sl_has(&o->paths, s->path))
			sl_add(&o->paths, s->path);
		else if (s->op == S_RMDIR)
			forget(o, s->path);
	}
}

void owned_free(struct owned *o)
{
	sl_free(&o->paths);
	free(o->file);
	o->file = NULL;
}
