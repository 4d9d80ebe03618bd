// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the scstadmin syntax reader (sa_parse.c) and the
 * import (sa_import.c), then render + parse of the result.
 *
 * Any input gives a tree or an error, never a crash, a leak or a hang.
 * Invariants:
 *  - an error is "LINE: reason" with LINE in 1..(lines of the input + 1);
 *  - every statement has a key, and its line is >= its parent's and
 *    >= the previous sibling's, within the input;
 *  - the depth stays within SA_MAX_DEPTH, the statement count within
 *    SA_MAX_NODES;
 *  - the import counts what it reports (warnings only) and gives a model
 *    whose counts are within its arrays;
 *  - the rendered conversion parses (errors allowed: a converted file may
 *    refer to a device it does not define) and the parser counts what it
 *    reports.
 */
#include <ctype.h>
#include <string.h>

#include "fuzz_check.h"
#include "parse.h"
#include "render.h"
#include "sa_import.h"
#include "sa_parse.h"

static struct schema *sch;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("SCST_SCHEMA");
	char err[512];

	(void)argc;
	(void)argv;
	sch = schema_load(path ? path : FUZZ_SCHEMA, err, sizeof(err));
	if (!sch) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	return 0;
}

static int walk(const struct sa_node *n, int depth, int maxline, int *count)
{
	int prev = n->line;

	CHECK(depth <= SA_MAX_DEPTH);
	for (int i = 0; i < n->nkids; i++) {
		const struct sa_node *k = &n->kids[i];

		CHECK(k->key != NULL);
		CHECK(k->line >= prev && k->line <= maxline);
		CHECK(k->nargs >= 0 && k->nargs <= SA_MAX_ARGS);
		for (int j = 0; j < k->nargs; j++)
			CHECK(k->args[j] != NULL);
		CHECK(k->block || !k->nkids);
		prev = k->line;
		(*count)++;
		walk(k, depth + 1, maxline, count);
	}
	return 0;
}

static void import(const struct sa_node *root)
{
	struct errlist notes = { 0 }, el = { 0 };
	struct config *m = sa_import(sch, root, "fuzz.conf", &notes), *back;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	CHECK(notes.nerr == 0 && notes.msgs.n == notes.nwarn);
	CHECK(m->ndevs <= m->capd && m->ntgts <= m->capt && m->ndrvs <= m->capdrv);
	f = open_memstream(&text, &len);
	CHECK(f != NULL);
	render_conf(f, sch, m, true);
	CHECK(fclose(f) == 0);
	back = parse_buf(sch, text, len, "converted.conf", &el);
	CHECK(el.msgs.n == el.nerr + el.nwarn);
	cfg_free(back);
	cfg_free(m);
	free(text);
	el_free(&notes);
	el_free(&el);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[300];
	struct sa_node *root;
	int lines = 1, count = 0;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	root = sa_parse((const char *)data, size, err, sizeof(err));
	if (!root) {
		CHECK(isdigit((unsigned char)err[0]));
		CHECK(atoi(err) >= 1 && atoi(err) <= lines);
		return 0;
	}
	CHECK(root->key == NULL);
	walk(root, 0, lines, &count);
	CHECK(count <= SA_MAX_NODES);
	import(root);
	sa_free(root);
	(void)sa_looks_like((const char *)data, size);
	return 0;
}
