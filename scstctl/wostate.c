// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: remembered values of write-only attributes */
#include "wostate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *state_dir(const char *root)
{
	char *d = root ? xasprintf("%s/.scstctl", root) : xstrdup("/run/scst");

	mkdir(d, 0700);
	return d;
}

int wo_load(struct wostate *w, const char *dir)
{
	char line[8192];
	FILE *f;

	memset(w, 0, sizeof(*w));
	w->file = xasprintf("%s/wo-state", dir);
	f = fopen(w->file, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');
		size_t n = strlen(line);

		if (n && line[n - 1] == '\n')
			line[n - 1] = 0;
		if (!tab)
			continue;
		*tab = 0;
		kv_set(&w->kv, line, tab + 1, 0);
	}
	fclose(f);
	return 0;
}

static void wo_fill(FILE *f, const void *arg)
{
	const struct wostate *w = arg;

	for (int i = 0; i < w->kv.n; i++)
		fprintf(f, "%s\t%s\n", w->kv.v[i].key, w->kv.v[i].val);
}

int wo_save(const struct wostate *w)
{
	return write_file_atomic(w->file, wo_fill, w);
}

const char *wo_get(const struct wostate *w, const char *path)
{
	const struct kv *k = kv_get(&w->kv, path);

	return k ? k->val : NULL;
}

void wo_set(struct wostate *w, const char *path, const char *val)
{
	kv_set(&w->kv, path, val, 0);
}

void wo_forget(struct wostate *w, const char *path)
{
	size_t n = strlen(path);
	int j = 0;

	for (int i = 0; i < w->kv.n; i++) {
		struct kv *k = &w->kv.v[i];

		if (!strncmp(k->key, path, n) && (!k->key[n] || k->key[n] == '/')) {
			free(k->key);
			free(k->val);
			continue;
		}
		w->kv.v[j++] = *k;
	}
	w->kv.n = j;
}

void wo_free(struct wostate *w)
{
	kv_free(&w->kv);
	free(w->file);
	w->file = NULL;
}
